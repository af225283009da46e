//! `savings compare`: how a scenario B differs from a scenario A, year by year and service by
//! service, over the years both project.

use crate::model::{ArithmeticError, Case, Cases, FinancialYear, Money, Scenario};
use crate::projection::{Projection, Summary};

/// One scenario of a comparison.
pub struct Variant<'a> {
    /// `A`, `B`, `C`, ...
    pub label: String,
    /// What the label stands for: the file, and any overrides that made it.
    pub description: String,
    pub scenario: &'a Scenario,
    pub projection: &'a Projection,
}

/// The key figures of one year, central case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearFigures {
    pub in_year: Money,
    pub contribution: Money,
    pub remaining_gap: Money,
    pub closed: bool,
}

/// One year in A and B.
#[derive(Clone, Debug)]
pub struct YearDifference {
    pub year: FinancialYear,
    pub a: YearFigures,
    pub b: YearFigures,
    pub in_year: Money,
    pub remaining_gap: Money,
}

/// One service in A and B (absent from one of them if only the other has it).
#[derive(Clone, Debug)]
pub struct ServiceDifference {
    pub id: String,
    pub name: String,
    /// The option taken forward; `None` if deferred or absent.
    pub option_a: Option<String>,
    pub option_b: Option<String>,
    pub present_a: bool,
    pub present_b: bool,
    /// Total saving over the common years, central case.
    pub total_a: Money,
    pub total_b: Money,
    pub total: Money,
}

impl ServiceDifference {
    pub fn option_changed(&self) -> bool {
        self.option_a != self.option_b
    }
}

/// B against A.
pub struct Difference {
    pub years: Vec<YearDifference>,
    pub services: Vec<ServiceDifference>,
    /// The figures over the horizon in each case, A then B, and B - A.
    pub summary: Cases<(Summary, Summary)>,
    pub total_saving: Cases<Money>,
    pub npv: Cases<Money>,
    /// Whether B differs from A anywhere: any figure of any row, any option taken forward.
    pub identical: bool,
}

impl Difference {
    /// Years whose closed status differs between A and B (central case).
    pub fn closed_changes(&self) -> impl Iterator<Item = &YearDifference> {
        self.years.iter().filter(|y| y.a.closed != y.b.closed)
    }

    /// Services whose option taken forward differs.
    pub fn option_changes(&self) -> impl Iterator<Item = &ServiceDifference> {
        self.services.iter().filter(|s| s.option_changed())
    }
}

fn year_figures(projection: &Projection, index: usize) -> YearFigures {
    let total = &projection.total;
    let at = |series: &[Money]| series.get(index).copied().unwrap_or_default();
    let remaining_gap = at(&total.remaining_gap.central);
    YearFigures {
        in_year: at(&total.in_year.central),
        contribution: at(&total.contribution.central),
        remaining_gap,
        closed: !remaining_gap.is_positive(),
    }
}

/// Compares B with A over the years both project.
pub fn compare(a: &Variant, b: &Variant) -> Result<Difference, ArithmeticError> {
    let mut years = Vec::new();
    for (ia, year) in a.projection.years.iter().enumerate() {
        let Some(ib) = b.projection.years.iter().position(|y| y == year) else {
            continue;
        };
        let (fa, fb) = (
            year_figures(a.projection, ia),
            year_figures(b.projection, ib),
        );
        years.push(YearDifference {
            year: *year,
            in_year: fb.in_year.checked_sub(fa.in_year)?,
            remaining_gap: fb.remaining_gap.checked_sub(fa.remaining_gap)?,
            a: fa,
            b: fb,
        });
    }

    let mut services: Vec<ServiceDifference> = Vec::new();
    let mut ids: Vec<&str> = a.scenario.services.iter().map(|s| s.id.as_str()).collect();
    for s in &b.scenario.services {
        if !ids.contains(&s.id.as_str()) {
            ids.push(&s.id);
        }
    }
    for id in ids {
        let (option_a, total_a, name_a) = service_figures(a, id, &years)?;
        let (option_b, total_b, name_b) = service_figures(b, id, &years)?;
        services.push(ServiceDifference {
            id: id.to_string(),
            name: name_a.or(name_b).unwrap_or_else(|| id.to_string()),
            present_a: a.scenario.services.iter().any(|s| s.id == id),
            present_b: b.scenario.services.iter().any(|s| s.id == id),
            total: total_b.checked_sub(total_a)?,
            option_a,
            option_b,
            total_a,
            total_b,
        });
    }

    let summary = a
        .projection
        .total
        .summary
        .map(|case, sa| (sa.clone(), b.projection.total.summary.get(case).clone()));
    let total_saving =
        summary.try_map(|_, (sa, sb)| sb.total_saving.checked_sub(sa.total_saving))?;
    let npv = summary.try_map(|_, (sa, sb)| sb.npv.sub_to_full_precision(sa.npv))?;

    let identical = a.projection.years == b.projection.years
        && services
            .iter()
            .all(|s| !s.option_changed() && s.present_a == s.present_b)
        && rows_identical(a, b);
    Ok(Difference {
        years,
        services,
        summary,
        total_saving,
        npv,
        identical,
    })
}

/// The option taken forward, the total saving over `years` (central) and the name of
/// service `id` in a variant.
fn service_figures(
    variant: &Variant,
    id: &str,
    years: &[YearDifference],
) -> Result<(Option<String>, Money, Option<String>), ArithmeticError> {
    let Some(index) = variant.scenario.services.iter().position(|s| s.id == id) else {
        return Ok((None, Money::ZERO, None));
    };
    let service = &variant.scenario.services[index];
    let option = service.taken_forward().map(|o| o.id.clone());
    let projected = variant
        .projection
        .services
        .iter()
        .find(|p| p.service == index);
    let total = match projected {
        None => Money::ZERO,
        Some(p) => Money::total(
            variant
                .projection
                .years
                .iter()
                .zip(p.figures.in_year.get(Case::Central))
                .filter(|(y, _)| years.iter().any(|d| d.year == **y))
                .map(|(_, d)| *d),
        )?,
    };
    Ok((option, total, Some(service.name.clone())))
}

/// Whether every long-form row (services and totals, all measures, years and cases) is the
/// same in both.
fn rows_identical(a: &Variant, b: &Variant) -> bool {
    let ra = crate::projection::rows::rows(a.scenario, a.projection);
    let rb = crate::projection::rows::rows(b.scenario, b.projection);
    ra.map(|r| (r.service, r.option, r.year, r.measure, r.case, r.value))
        .eq(rb.map(|r| (r.service, r.option, r.year, r.measure, r.case, r.value)))
}
