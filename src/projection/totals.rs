//! The totals alone, brought up to date for a new overlap `w` or discount rate: what a sweep
//! of a scenario-wide figure reports at each point (docs/model.md section 8), without the
//! per-line projection [`super::reproject`] keeps.
//!
//! Each line's `N = D - w x LP` is formed exactly as [`super::contribution_of`] forms it and
//! added into the totals in file order, as [`super::project_total`] adds them, so the figures
//! are the same to the last digit; the ten-year totals are [`super::summarise`] of the same
//! total `D`. A point whose totals cannot be counted here is counted again in full, which
//! names the figure that fails.
//!
//! What is not counted again is what a sweep does not report: each line's own ten-year
//! figures, the subtotals by status and area, and a tracked plan's views. So a point is
//! reported where `run` of the same scenario would refuse for one of those alone: a subtotal
//! whose exact value needs more than 28 decimal places (lines of opposite sign that cancel in
//! the total but not within an area, with `w` of 28 places), or an overflow past 7.9e28,
//! which figures within the validator's limits do not reach. Its figures are still exact.

use super::{Changed, Projection, Summary, TotalProjection, closed_years, summarise};
use crate::model::{ArithmeticError, Cases, Money, Scenario, Series, Share};

type Result<T> = std::result::Result<T, ArithmeticError>;

/// What a sweep reports of one point: `R` and the ten-year totals in each case.
#[derive(Clone, Debug)]
pub struct Totals {
    /// `R(y) = LG(y) - N(y)`.
    pub remaining_gap: Cases<Series>,
    /// The ten-year totals, with the years closed.
    pub summary: Cases<Summary>,
}

impl Totals {
    /// The totals of a projection as it stands.
    pub fn of(total: &TotalProjection) -> Self {
        Self {
            remaining_gap: total.remaining_gap.clone(),
            summary: total.summary.clone(),
        }
    }
}

/// The totals of `scenario`, which differs from the scenario `previous` projects only in
/// the overlap and the discount rate, as `changed` says (no service changed). `None` where
/// `changed` names a service: that needs [`super::reproject`]. An error is a figure that
/// cannot be counted (which [`super::reproject`] names).
pub fn totals(
    scenario: &Scenario,
    previous: &Projection,
    changed: Changed,
) -> Option<Result<Totals>> {
    if changed.service.is_some() {
        return None;
    }
    Some(count(scenario, previous, changed))
}

fn count(scenario: &Scenario, previous: &Projection, changed: Changed) -> Result<Totals> {
    let total = &previous.total;
    let contribution = if changed.overlap {
        contributions(scenario, previous)?
    } else {
        total.contribution.clone()
    };
    let remaining_gap = contribution.try_map(|_, n| {
        total
            .gap_to_date
            .iter()
            .zip(n)
            .map(|(lg, n)| lg.checked_sub(*n))
            .collect::<std::result::Result<Series, _>>()
    })?;
    let summary = total.summary.try_map(|case, before| {
        let mut summary = if changed.discount_rate {
            summarise(
                scenario,
                total.in_year.get(case),
                total.base_year_cost,
                &total.one_off_cost,
                before.steady_state,
            )?
        } else {
            before.clone()
        };
        summary.closed_years = closed_years(scenario, remaining_gap.get(case));
        Ok(summary)
    })?;
    Ok(Totals {
        remaining_gap,
        summary,
    })
}

/// The total `N = sum of (D - w x LP)` over the lines, in each case: every line's figure
/// formed as its own projection forms it, added in file order.
fn contributions(scenario: &Scenario, previous: &Projection) -> Result<Cases<Series>> {
    let years = previous.years.len();
    let mut total = Cases::all(vec![Money::ZERO; years]);
    for line in &previous.services {
        let overlap = line.overlap(scenario);
        // (Compared once a line: the comparison costs as much as a year's sums.)
        let whole = overlap == Share::ONE;
        for (y, lp) in line.planned_to_date.iter().enumerate() {
            let weighted = if whole { *lp } else { lp.times(overlap)? };
            let in_year = &line.figures.in_year;
            let cases = [
                (&mut total.low, &in_year.low),
                (&mut total.central, &in_year.central),
                (&mut total.high, &in_year.high),
            ];
            for (sums, in_year) in cases {
                if let (Some(sum), Some(d)) = (sums.get_mut(y), in_year.get(y)) {
                    *sum = sum.checked_add(d.checked_sub(weighted)?)?;
                }
            }
        }
    }
    Ok(total)
}
