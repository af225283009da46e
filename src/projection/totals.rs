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
//! figures, the subtotals by status and area, and a tracked plan's views. A sum of lines'
//! `N` that cannot be held exactly (more than 28 decimal places, or past 7.9e28) would make
//! `run` refuse the scenario; so a new `w` is counted here only where [`Headroom`] shows that
//! no sum of any of the lines' `N` can come near that, and a tracked plan's new `w` never
//! (its views sum `N` in other ways). A new discount rate moves only NPVs, which are rounded
//! where they do not terminate, and cannot fail within the validator's limits.

use super::{Changed, Projection, Summary, TotalProjection, closed_years, summarise};
use rust_decimal::prelude::ToPrimitive;

use crate::model::{ArithmeticError, Cases, Money, Scenario, Series, Share, lcm};

type Result<T> = std::result::Result<T, ArithmeticError>;

/// How far sums of the lines' `N = D - w x LP` can grow, whatever `w`: enough to know that
/// every such sum (a total, or a subtotal of some of the lines) is held exactly.
#[derive(Clone, Copy, Debug)]
pub struct Headroom {
    /// Over the lines, the largest `|D| + |LP|` of any year and case, summed (an upper bound,
    /// in f64, on any sum of the lines' `N` for `w` from 0 to 1).
    bound: f64,
    /// The least common multiple of every `D` and `LP`'s denominator.
    denominators: u64,
    /// The most decimal places of any `D`'s numerator, and of any `LP`'s.
    places: (u32, u32),
}

impl Headroom {
    /// The headroom of `projection`'s lines; `None` where a figure is rounded, the common
    /// denominator outgrows 64 bits, or the plan is tracked.
    pub fn of(scenario: &Scenario, projection: &Projection) -> Option<Self> {
        if scenario.is_tracked() {
            return None;
        }
        let mut headroom = Self {
            bound: 0.0,
            denominators: 1,
            places: (0, 0),
        };
        let mut take = |m: Money, plan: bool| -> Option<f64> {
            let (numerator, denominator) = m.fraction_parts()?;
            headroom.denominators = lcm(headroom.denominators, denominator)?;
            let places = if plan {
                &mut headroom.places.1
            } else {
                &mut headroom.places.0
            };
            *places = (*places).max(numerator.scale());
            Some(m.amount().abs().to_f64().unwrap_or(f64::INFINITY))
        };
        let mut bound = 0.0f64;
        for line in &projection.services {
            let mut largest = 0.0f64;
            for (y, lp) in line.planned_to_date.iter().enumerate() {
                let lp = take(*lp, true)?;
                for (_, d) in line.figures.in_year.iter() {
                    let d = take(*d.get(y)?, false)?;
                    largest = largest.max(d + lp);
                }
            }
            bound += largest;
        }
        headroom.bound = bound;
        Some(headroom)
    }

    /// Whether every sum of the lines' `N` at overlap `w` is held exactly: no numerator, over
    /// the common denominator and at the most places `N` can have, comes near 2^96.
    pub fn holds(&self, w: Share) -> bool {
        let places = self.places.0.max(self.places.1 + w.value().scale());
        // Within half of 2^96, and a margin of 1% for the f64 sums.
        let limit = 2f64.powi(95) / 1.01;
        places <= 28 && self.bound * self.denominators as f64 * 10f64.powi(places as i32) < limit
    }
}

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
