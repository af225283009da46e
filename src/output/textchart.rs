//! Text bar charts for the terminal (`--chart`) and the Markdown report: the build-up of
//! in-year savings against planned savings to date, and the remaining gap per year with its
//! zero line; with a simulation, the P10-P90 range and median of the remaining gap. Each line
//! fits 100 columns.

use rust_decimal::Decimal;

use crate::model::{Scenario, grouped};
use crate::projection::Projection;
use crate::simulate::Simulation;

use super::simulate::decimal;

/// Columns for the bars: 100 less the year label and the figures after the bars.
const BARS: usize = 56;

/// Maps values onto `BARS` columns over the range `lo..=hi` (which holds zero).
struct Scale {
    lo: Decimal,
    hi: Decimal,
}

impl Scale {
    fn new<'a>(values: impl IntoIterator<Item = &'a Decimal>) -> Self {
        let mut lo = Decimal::ZERO;
        let mut hi = Decimal::ZERO;
        for v in values {
            lo = lo.min(*v);
            hi = hi.max(*v);
        }
        Self { lo, hi }
    }

    fn column(&self, x: Decimal) -> usize {
        let span = self.hi - self.lo;
        if span.is_zero() {
            return 0;
        }
        let position = ((x - self.lo) / span * Decimal::from(BARS - 1)).round();
        u64::try_from(position)
            .ok()
            .and_then(|p| usize::try_from(p).ok())
            .unwrap_or(0)
            .min(BARS - 1)
    }

    /// A bar from zero to `x`, with `marks` placed over it.
    fn bar(&self, x: Decimal, marks: &[(Decimal, char)]) -> String {
        let zero = self.column(Decimal::ZERO);
        let end = self.column(x);
        let (from, to) = (zero.min(end), zero.max(end));
        let mut cells = vec![' '; BARS];
        if !x.is_zero() {
            for cell in &mut cells[from..=to] {
                *cell = '█';
            }
        }
        cells[zero] = if x.is_zero() { '┊' } else { cells[zero] };
        for (value, mark) in marks {
            cells[self.column(*value)] = *mark;
        }
        cells.into_iter().collect()
    }

    fn legend(&self, unit: &str) -> String {
        format!(
            "{:8}scale {} to {} {unit}; bars run from zero (┊)",
            "",
            grouped(self.lo, 1),
            grouped(self.hi, 1)
        )
    }
}

/// The build-up: total in-year saving (central) per year, with planned savings to date
/// marked `│`.
pub fn build_up(scenario: &Scenario, projection: &Projection, dp: u32) -> (String, String) {
    let total = &projection.total;
    let d: Vec<Decimal> = total.in_year.central.iter().map(|m| m.amount()).collect();
    let lp: Vec<Decimal> = total.planned_to_date.iter().map(|m| m.amount()).collect();
    let scale = Scale::new(d.iter().chain(&lp));
    let mut out = String::new();
    for (i, year) in projection.years.iter().enumerate() {
        out.push_str(&format!(
            "{:8}{} {} (planned {})\n",
            year.to_string(),
            scale.bar(d[i], &[(lp[i], '│')]),
            grouped(d[i], dp),
            grouped(lp[i], dp)
        ));
    }
    out.push_str(&scale.legend(&scenario.unit));
    out.push('\n');
    (
        format!(
            "Chart: in-year saving, central ({}); │ marks planned savings to date",
            scenario.unit
        ),
        out,
    )
}

/// The remaining gap (central) per year, with the low and high cases marked `◆` (low
/// savings leave the larger gap).
pub fn remaining_gap(scenario: &Scenario, projection: &Projection, dp: u32) -> (String, String) {
    let total = &projection.total;
    let central: Vec<Decimal> = total
        .remaining_gap
        .central
        .iter()
        .map(|m| m.amount())
        .collect();
    let low: Vec<Decimal> = total.remaining_gap.low.iter().map(|m| m.amount()).collect();
    let high: Vec<Decimal> = total
        .remaining_gap
        .high
        .iter()
        .map(|m| m.amount())
        .collect();
    let scale = Scale::new(central.iter().chain(&low).chain(&high));
    let mut out = String::new();
    for (i, year) in projection.years.iter().enumerate() {
        let closed = if central[i] <= Decimal::ZERO {
            "closed"
        } else {
            "open"
        };
        out.push_str(&format!(
            "{:8}{} {} {closed}\n",
            year.to_string(),
            scale.bar(central[i], &[(low[i], '◆'), (high[i], '◆')]),
            grouped(central[i], dp),
        ));
    }
    out.push_str(&scale.legend(&scenario.unit));
    out.push('\n');
    (
        format!(
            "Chart: remaining gap, central ({}); ◆ marks the low and high cases; closed at zero or less",
            scenario.unit
        ),
        out,
    )
}

/// The simulated remaining gap: P10 to P90 as `─`, the median `●`, and the chance the year
/// closes.
pub fn simulated_gap(scenario: &Scenario, simulation: &Simulation, dp: u32) -> (String, String) {
    let spreads: Vec<[Decimal; 3]> = simulation
        .remaining_gap
        .iter()
        .map(|s| [decimal(s.p10), decimal(s.p50), decimal(s.p90)])
        .collect();
    let scale = Scale::new(spreads.iter().flatten());
    let mut out = String::new();
    for (i, year) in simulation.years.iter().enumerate() {
        let [p10, p50, p90] = spreads[i];
        let mut cells = vec![' '; BARS];
        cells[scale.column(Decimal::ZERO)] = '┊';
        let (from, to) = (scale.column(p10), scale.column(p90));
        for cell in &mut cells[from..=to] {
            *cell = '─';
        }
        cells[from] = '├';
        cells[to] = '┤';
        cells[scale.column(p50)] = '●';
        out.push_str(&format!(
            "{:8}{} {} P(closed) {}\n",
            year.to_string(),
            cells.into_iter().collect::<String>(),
            grouped(p50, dp),
            super::simulate::probability_shown(simulation.probability_closed[i]),
        ));
    }
    out.push_str(&scale.legend(&scenario.unit));
    out.push('\n');
    (
        format!(
            "Chart: remaining gap, simulated ({}): P10 ├──┤ P90, ● median",
            scenario.unit
        ),
        out,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scale_holds_zero_and_maps_the_ends_to_the_ends() {
        let values = [Decimal::from(10), Decimal::from(-5)];
        let scale = Scale::new(&values);
        assert_eq!(scale.column(Decimal::from(-5)), 0);
        assert_eq!(scale.column(Decimal::from(10)), BARS - 1);
        let positive = Scale::new(&[Decimal::from(4)]);
        assert_eq!(positive.column(Decimal::ZERO), 0);
    }

    #[test]
    fn bars_run_from_zero_and_carry_their_marks() {
        let scale = Scale::new(&[Decimal::from(10), Decimal::from(-10)]);
        let bar = scale.bar(Decimal::from(5), &[(Decimal::from(-10), '│')]);
        assert_eq!(bar.chars().count(), BARS);
        assert!(bar.starts_with('│'));
        assert!(bar.contains('█'));
        let empty = scale.bar(Decimal::ZERO, &[]);
        assert_eq!(empty.trim(), "┊");
    }
}
