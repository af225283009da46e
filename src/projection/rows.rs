//! The long form of docs/model.md section 8: the projection as one value a row, which the CSV
//! and JSON outputs write and `compare` differences (so the analyses need nothing from
//! `output`).

use super::{Projection, Series, ServiceProjection, TotalProjection};
use crate::model::{Case, Cases, FinancialYear, Money, Scenario};

/// The measures, in the order rows list them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
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
    /// `RQ`, the budget requirement (total rows, with `[budget]`).
    Requirement,
    /// `F`, the funding (total rows, with `[budget]`).
    Funding,
    /// `V`, reserves used (total rows, with `[budget]`).
    Reserves,
    /// The pressures' levels (total rows, with pressures and no `[budget]`).
    Pressures,
    /// `LG` (total rows only)
    GapToDate,
    /// `R` (total rows only)
    RemainingGap,
    /// Summary measures, with an empty year, written by the commands that appraise, compare
    /// or vary scenarios (never by `run`, whose CSV keeps the seven measures above).
    TotalSaving,
    SteadyStateSaving,
    Npv,
    /// Monte Carlo: the share of trials in which the year is closed (total rows).
    ProbabilityClosed,
    /// Monte Carlo: the share of trials in which the service meets its plan over the MTFP
    /// period (service rows, empty year).
    ProbabilityMeetsPlan,
}

impl Measure {
    pub fn name(self) -> &'static str {
        match self {
            Measure::InYearSaving => "in_year_saving",
            Measure::IncrementalSaving => "incremental_saving",
            Measure::PlannedToDate => "planned_to_date",
            Measure::Contribution => "contribution",
            Measure::OneOffCost => "one_off_cost",
            Measure::Requirement => "requirement",
            Measure::Funding => "funding",
            Measure::Reserves => "reserves",
            Measure::Pressures => "pressures",
            Measure::GapToDate => "gap_to_date",
            Measure::RemainingGap => "remaining_gap",
            Measure::TotalSaving => "total_saving",
            Measure::SteadyStateSaving => "steady_state_saving",
            Measure::Npv => "npv",
            Measure::ProbabilityClosed => "probability_closed",
            Measure::ProbabilityMeetsPlan => "probability_meets_plan",
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
    /// The projected year; empty for summary measures.
    pub year: Option<FinancialYear>,
    pub measure: Measure,
    /// `low`, `central`, `high` (Monte Carlo adds `mean`, `p10`, `p50`, `p90`).
    pub case: &'static str,
    pub value: Money,
}

/// Every row, in the contract's order: services in file order (the option taken forward
/// only), then `total`; within each, measures in order, years ascending, cases low, central,
/// high. Rows are produced as they are read, so a large scenario's output need not be held
/// in memory.
pub fn rows<'a>(
    scenario: &'a Scenario,
    projection: &'a Projection,
) -> impl Iterator<Item = Row<'a>> + 'a {
    projection
        .services
        .iter()
        .flat_map(move |service| {
            let s = &scenario.services[service.service];
            let o = &s.options[service.option];
            rows_of_service(scenario, service, &s.id, &o.id)
        })
        .chain(rows_of_total(scenario, &projection.total))
}

/// Every row, as [`rows`] gives them, handed to `visit` one by one: the same rows in the same
/// order, by plain loops rather than an iterator (the long-form CSV of a large plan writes
/// hundreds of thousands).
pub fn visit_rows<'a, E>(
    scenario: &'a Scenario,
    projection: &'a Projection,
    mut visit: impl FnMut(&Row<'a>) -> Result<(), E>,
) -> Result<(), E> {
    let years: Vec<FinancialYear> = scenario.years().collect();
    let mut visit_blocks =
        |service: &'a str, option: &'a str, blocks: &[(Measure, [&Series; 3])]| {
            for (measure, values) in blocks {
                for (t, year) in years.iter().enumerate() {
                    for (case, series) in Case::ALL.into_iter().zip(values) {
                        visit(&Row {
                            scenario: &scenario.name,
                            service,
                            option,
                            year: Some(*year),
                            measure: *measure,
                            case: case.name(),
                            value: series.get(t).copied().unwrap_or_default(),
                        })?;
                    }
                }
            }
            Ok(())
        };
    for service in &projection.services {
        let s = &scenario.services[service.service];
        let o = &s.options[service.option];
        visit_blocks(&s.id, &o.id, &service_blocks(service))?;
    }
    visit_blocks("total", "", &total_blocks(&projection.total))
}

/// The five service measures and their series in each case.
fn service_blocks(service: &ServiceProjection) -> [(Measure, [&Series; 3]); 5] {
    let f = &service.figures;
    [
        (Measure::InYearSaving, cases(&f.in_year)),
        (Measure::IncrementalSaving, cases(&f.incremental)),
        (Measure::PlannedToDate, [&service.planned_to_date; 3]),
        (Measure::Contribution, cases(&service.contribution)),
        (Measure::OneOffCost, [&f.one_off_cost; 3]),
    ]
}

/// One service's rows (the five service measures), labelled with its ids.
pub fn rows_of_service<'a>(
    scenario: &'a Scenario,
    service: &'a ServiceProjection,
    service_id: &'a str,
    option_id: &'a str,
) -> impl Iterator<Item = Row<'a>> + 'a {
    expand(scenario, service_id, option_id, service_blocks(service))
}

/// The `total` rows: the seven measures, and before the gap to date what it is built from
/// (docs/model.md section 9.5): `requirement`, `funding` and `reserves` with `[budget]`, or
/// `pressures` with pressure lines and no `[budget]`.
pub fn rows_of_total<'a>(
    scenario: &'a Scenario,
    total: &'a TotalProjection,
) -> impl Iterator<Item = Row<'a>> + 'a {
    expand(scenario, "total", "", total_blocks(total))
}

/// The total measures and their series in each case (see [`rows_of_total`]).
fn total_blocks(total: &TotalProjection) -> Vec<(Measure, [&Series; 3])> {
    let before = [
        (Measure::InYearSaving, cases(&total.in_year)),
        (Measure::IncrementalSaving, cases(&total.incremental)),
        (Measure::PlannedToDate, [&total.planned_to_date; 3]),
        (Measure::Contribution, cases(&total.contribution)),
        (Measure::OneOffCost, [&total.one_off_cost; 3]),
    ];
    let build = total.gap_build.as_ref();
    let built = [
        (
            Measure::Requirement,
            build.and_then(|b| b.requirement.as_ref()),
        ),
        (Measure::Funding, build.and_then(|b| b.funding.as_ref())),
        (Measure::Reserves, build.and_then(|b| b.reserves.as_ref())),
        (Measure::Pressures, build.and_then(|b| b.pressures.as_ref())),
    ]
    .into_iter()
    .filter_map(|(measure, series)| series.map(|s| (measure, [s; 3])));
    let after = [
        (Measure::GapToDate, [&total.gap_to_date; 3]),
        (Measure::RemainingGap, cases(&total.remaining_gap)),
    ];
    before.into_iter().chain(built).chain(after).collect()
}

/// Measures in order, then years ascending, then cases low, central, high.
fn expand<'a>(
    scenario: &'a Scenario,
    service: &'a str,
    option: &'a str,
    blocks: impl IntoIterator<Item = (Measure, [&'a Series; 3])> + 'a,
) -> impl Iterator<Item = Row<'a>> + 'a {
    blocks.into_iter().flat_map(move |(measure, values)| {
        scenario.years().enumerate().flat_map(move |(t, year)| {
            Case::ALL
                .into_iter()
                .zip(values)
                .map(move |(case, series)| Row {
                    scenario: &scenario.name,
                    service,
                    option,
                    year: Some(year),
                    measure,
                    case: case.name(),
                    value: series.get(t).copied().unwrap_or_default(),
                })
        })
    })
}

fn cases(values: &Cases<Series>) -> [&Series; 3] {
    [&values.low, &values.central, &values.high]
}
