//! The long form of DOMAIN.md section 8: one value a row, shared by CSV and JSON.

use crate::model::{Case, FinancialYear, Money};
use crate::projection::{Series, TotalProjection};

use super::Report;

/// The measures, in the order rows list them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Measure {
    /// `D`
    InYearSaving,
    /// `I`
    IncrementalSaving,
    /// `LP`
    PlannedToDate,
    /// `N`
    Contribution,
    /// `C`
    OneOffCost,
    /// `LG` (total rows only)
    GapToDate,
    /// `R` (total rows only)
    RemainingGap,
}

impl Measure {
    pub const SERVICE: [Measure; 5] = [
        Measure::InYearSaving,
        Measure::IncrementalSaving,
        Measure::PlannedToDate,
        Measure::Contribution,
        Measure::OneOffCost,
    ];
    pub const TOTAL: [Measure; 7] = [
        Measure::InYearSaving,
        Measure::IncrementalSaving,
        Measure::PlannedToDate,
        Measure::Contribution,
        Measure::OneOffCost,
        Measure::GapToDate,
        Measure::RemainingGap,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Measure::InYearSaving => "in_year_saving",
            Measure::IncrementalSaving => "incremental_saving",
            Measure::PlannedToDate => "planned_to_date",
            Measure::Contribution => "contribution",
            Measure::OneOffCost => "one_off_cost",
            Measure::GapToDate => "gap_to_date",
            Measure::RemainingGap => "remaining_gap",
        }
    }
}

/// One value of the long form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row<'a> {
    pub scenario: &'a str,
    /// The service id, or `total`.
    pub service: &'a str,
    /// The option id, or empty on total rows.
    pub option: &'a str,
    pub year: FinancialYear,
    pub measure: Measure,
    pub case: Case,
    pub value: Money,
}

/// Every row, in the contract's order: services in file order (the option taken forward
/// only), then `total`; within each, measures in order, years ascending, cases low, central,
/// high.
pub fn rows<'a>(report: &Report<'a>) -> Vec<Row<'a>> {
    let scenario = report.scenario;
    let projection = report.projection;
    let years = &projection.years;
    let mut out = Vec::with_capacity((projection.services.len() * 5 + 7) * years.len() * 3);
    let mut push = |service: &'a str, option: &'a str, measure: Measure, values: [&Series; 3]| {
        for (t, year) in years.iter().enumerate() {
            for (case, series) in crate::model::Case::ALL.into_iter().zip(values) {
                out.push(Row {
                    scenario: &scenario.name,
                    service,
                    option,
                    year: *year,
                    measure,
                    case,
                    value: series[t],
                });
            }
        }
    };
    for service in &projection.services {
        let s = &scenario.services[service.service];
        let o = &s.options[service.option];
        for measure in Measure::SERVICE {
            let values = match measure {
                Measure::InYearSaving => cases(&service.figures.in_year),
                Measure::IncrementalSaving => cases(&service.figures.incremental),
                Measure::PlannedToDate => [&service.planned_to_date; 3],
                Measure::Contribution => cases(&service.contribution),
                Measure::OneOffCost => [&service.figures.one_off_cost; 3],
                Measure::GapToDate | Measure::RemainingGap => continue,
            };
            push(&s.id, &o.id, measure, values);
        }
    }
    let total: &'a TotalProjection = &projection.total;
    for measure in Measure::TOTAL {
        let values = match measure {
            Measure::InYearSaving => cases(&total.in_year),
            Measure::IncrementalSaving => cases(&total.incremental),
            Measure::PlannedToDate => [&total.planned_to_date; 3],
            Measure::Contribution => cases(&total.contribution),
            Measure::OneOffCost => [&total.one_off_cost; 3],
            Measure::GapToDate => [&total.gap_to_date; 3],
            Measure::RemainingGap => cases(&total.remaining_gap),
        };
        push("total", "", measure, values);
    }
    out
}

fn cases(values: &crate::model::Cases<Series>) -> [&Series; 3] {
    [&values.low, &values.central, &values.high]
}
