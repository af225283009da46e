//! Text bar charts for the terminal (`--chart`) and the Markdown report: the build-up of
//! in-year savings against planned savings to date, and the remaining gap per year with its
//! zero line; with a simulation, the P10-P90 range and median of the remaining gap. Each line
//! fits the width asked for: the bars narrow to leave room for the figures after them, and
//! where even the fewest bars leave too little, the figures go on a line of their own.

use rust_decimal::Decimal;

use crate::analysis::simulate::Simulation;
use crate::model::{Scenario, grouped};
use crate::projection::Projection;

use super::words::wrap;

/// The most columns of bars (a 100-column line with room for the figures) and the fewest.
const MOST_BARS: usize = 56;
const FEWEST_BARS: usize = 12;

/// The year label before the bars.
const LABEL: usize = 8;

/// How a chart's lines fit `width`: the columns of bars, and whether the figures after them
/// go on a line of their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fit {
    pub bars: usize,
    below: bool,
}

impl Fit {
    /// Lines of a label of `label` columns (its space included), at most `most` columns of
    /// bars, a space and figures at most `figures` wide: the bars narrow to leave the figures
    /// room beside them, down to [`FEWEST_BARS`]; below that the figures go under the bars.
    pub(crate) fn new(width: usize, label: usize, figures: usize, most: usize) -> Self {
        let beside = width.saturating_sub(label + 1 + figures);
        if beside >= FEWEST_BARS {
            Self {
                bars: beside.min(most),
                below: false,
            }
        } else {
            Self {
                bars: width.saturating_sub(label).clamp(FEWEST_BARS, most),
                below: true,
            }
        }
    }

    /// `label` (padded to `label_width`), the bars and the figures.
    pub(crate) fn line(
        &self,
        label: &str,
        label_width: usize,
        bars: &str,
        figures: &str,
    ) -> String {
        if self.below {
            let head = format!("{label:<label_width$}{bars}");
            format!("{}\n{:label_width$}{figures}\n", head.trim_end(), "")
        } else {
            format!("{label:<label_width$}{bars} {figures}\n")
        }
    }
}

/// `text` wrapped to `width`, every line indented by `indent` columns (under the bars).
pub(crate) fn indented(text: &str, indent: usize, width: usize) -> String {
    wrap(text, width.saturating_sub(indent), "")
        .lines()
        .map(|line| format!("{:indent$}{line}\n", ""))
        .collect()
}

/// Maps values onto `bars` columns over the range `lo..=hi` (which holds zero).
struct Scale {
    lo: Decimal,
    hi: Decimal,
    bars: usize,
}

impl Scale {
    fn new<'a>(values: impl IntoIterator<Item = &'a Decimal>) -> Self {
        let mut lo = Decimal::ZERO;
        let mut hi = Decimal::ZERO;
        for v in values {
            lo = lo.min(*v);
            hi = hi.max(*v);
        }
        Self {
            lo,
            hi,
            bars: MOST_BARS,
        }
    }

    /// The same scale over `bars` columns.
    fn over(self, bars: usize) -> Self {
        Self { bars, ..self }
    }

    fn column(&self, x: Decimal) -> usize {
        let span = self.hi - self.lo;
        if span.is_zero() {
            return 0;
        }
        let position = ((x - self.lo) / span * Decimal::from(self.bars - 1)).round();
        u64::try_from(position)
            .ok()
            .and_then(|p| usize::try_from(p).ok())
            .unwrap_or(0)
            .min(self.bars - 1)
    }

    /// A bar from zero to `x`, with `marks` placed over it.
    fn bar(&self, x: Decimal, marks: &[(Decimal, char)]) -> String {
        let zero = self.column(Decimal::ZERO);
        let end = self.column(x);
        let (from, to) = (zero.min(end), zero.max(end));
        let mut cells = vec![' '; self.bars];
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

    fn legend(&self, unit: &str, width: usize) -> String {
        let text = format!(
            "scale {} to {} {unit}; bars run from zero (┊)",
            grouped(self.lo, 1),
            grouped(self.hi, 1)
        );
        indented(&text, LABEL, width)
    }
}

/// The widest of `figures`, in columns.
fn widest(figures: &[String]) -> usize {
    figures.iter().map(|f| f.chars().count()).max().unwrap_or(0)
}

/// The build-up: total in-year saving (central) per year, with planned savings to date
/// marked `│`.
pub fn build_up(
    scenario: &Scenario,
    projection: &Projection,
    dp: u32,
    width: usize,
) -> (String, String) {
    let total = &projection.total;
    let d: Vec<Decimal> = total.in_year.central.iter().map(|m| m.amount()).collect();
    let lp: Vec<Decimal> = total.planned_to_date.iter().map(|m| m.amount()).collect();
    let figures: Vec<String> = d
        .iter()
        .zip(&lp)
        .map(|(d, lp)| format!("{} (planned {})", grouped(*d, dp), grouped(*lp, dp)))
        .collect();
    let fit = Fit::new(width, LABEL, widest(&figures), MOST_BARS);
    let scale = Scale::new(d.iter().chain(&lp)).over(fit.bars);
    let mut out = String::new();
    for (i, year) in projection.years.iter().enumerate() {
        out.push_str(&fit.line(
            &year.to_string(),
            LABEL,
            &scale.bar(d[i], &[(lp[i], '│')]),
            &figures[i],
        ));
    }
    out.push_str(&scale.legend(&scenario.unit, width));
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
pub fn remaining_gap(
    scenario: &Scenario,
    projection: &Projection,
    dp: u32,
    width: usize,
) -> (String, String) {
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
    // Closed is decided on the exact remaining gap, never on its rounding.
    let figures: Vec<String> = total
        .remaining_gap
        .central
        .iter()
        .map(|r| {
            let closed = if r.is_positive() { "open" } else { "closed" };
            format!("{} {closed}", grouped(r.amount(), dp))
        })
        .collect();
    let fit = Fit::new(width, LABEL, widest(&figures), MOST_BARS);
    let scale = Scale::new(central.iter().chain(&low).chain(&high)).over(fit.bars);
    let mut out = String::new();
    for (i, year) in projection.years.iter().enumerate() {
        out.push_str(&fit.line(
            &year.to_string(),
            LABEL,
            &scale.bar(central[i], &[(low[i], '◆'), (high[i], '◆')]),
            &figures[i],
        ));
    }
    out.push_str(&scale.legend(&scenario.unit, width));
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
pub fn simulated_gap(
    scenario: &Scenario,
    simulation: &Simulation,
    dp: u32,
    width: usize,
) -> (String, String) {
    let spreads: Vec<[Decimal; 3]> = simulation
        .remaining_gap
        .iter()
        .map(|s| [s.p10.amount(), s.p50.amount(), s.p90.amount()])
        .collect();
    let figures: Vec<String> = spreads
        .iter()
        .zip(&simulation.probability_closed)
        .map(|([_, p50, _], p)| {
            format!(
                "{} P(closed) {}",
                grouped(*p50, dp),
                super::simulate::probability_shown(*p)
            )
        })
        .collect();
    let fit = Fit::new(width, LABEL, widest(&figures), MOST_BARS);
    let scale = Scale::new(spreads.iter().flatten()).over(fit.bars);
    let mut out = String::new();
    for (i, year) in simulation.years.iter().enumerate() {
        let [p10, p50, p90] = spreads[i];
        let mut cells = vec![' '; fit.bars];
        cells[scale.column(Decimal::ZERO)] = '┊';
        let (from, to) = (scale.column(p10), scale.column(p90));
        for cell in &mut cells[from..=to] {
            *cell = '─';
        }
        cells[from] = '├';
        cells[to] = '┤';
        cells[scale.column(p50)] = '●';
        out.push_str(&fit.line(
            &year.to_string(),
            LABEL,
            &cells.into_iter().collect::<String>(),
            &figures[i],
        ));
    }
    out.push_str(&scale.legend(&scenario.unit, width));
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
        assert_eq!(scale.column(Decimal::from(10)), MOST_BARS - 1);
        let positive = Scale::new(&[Decimal::from(4)]);
        assert_eq!(positive.column(Decimal::ZERO), 0);
    }

    #[test]
    fn bars_run_from_zero_and_carry_their_marks() {
        let scale = Scale::new(&[Decimal::from(10), Decimal::from(-10)]);
        let bar = scale.bar(Decimal::from(5), &[(Decimal::from(-10), '│')]);
        assert_eq!(bar.chars().count(), MOST_BARS);
        assert!(bar.starts_with('│'));
        assert!(bar.contains('█'));
        let empty = scale.bar(Decimal::ZERO, &[]);
        assert_eq!(empty.trim(), "┊");
    }
}
