//! The charts' axes: round tick values on the y axis, the financial years labelled on the x
//! axis (thinned out on long horizons), and the plotters axis that puts the ticks chosen here.

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};

use crate::model::group_thousands;

/// The at most so many year labels on the x axis.
pub(super) const MOST_YEAR_LABELS: usize = 12;

/// Tick marks for the y axis: a step of 1, 2, 2.5 or 5 times a power of ten giving about six
/// intervals, and the range widened to whole steps. All-zero data gets 0 to 1.
pub(super) struct Ticks {
    pub(super) lo: f64,
    pub(super) hi: f64,
    pub(super) step: f64,
    pub(super) decimals: usize,
}

impl Ticks {
    pub(super) fn new((lo, hi): (f64, f64)) -> Self {
        // A little room beyond the data, so no bar or marker sits on the frame.
        let room = (hi - lo) * 0.04;
        let (lo, hi) = (
            if lo < 0.0 { lo - room } else { lo },
            if hi > 0.0 { hi + room } else { hi },
        );
        let span = hi - lo;
        if !(span.is_finite() && span > 0.0) {
            return Self {
                lo: 0.0,
                hi: 1.0,
                step: 0.2,
                decimals: 1,
            };
        }
        let raw = span / 6.0;
        let power = raw.log10().floor();
        let magnitude = 10f64.powf(power);
        let nice = [1.0, 2.0, 2.5, 5.0, 10.0]
            .into_iter()
            .find(|n| n * magnitude >= raw * (1.0 - 1e-9))
            .unwrap_or(10.0);
        let step = nice * magnitude;
        let lo = (lo / step + 1e-9).floor() * step;
        let hi = (hi / step - 1e-9).ceil() * step;
        // Enough decimals for the step: 0.25 needs two, 2.5 one, 25 none.
        let step_power = (step.log10() + 1e-9).floor();
        let mut decimals = (-step_power).max(0.0);
        if nice == 2.5 && step_power <= 0.0 {
            decimals += 1.0;
        }
        Self {
            lo,
            hi,
            step,
            // At most a dozen: a tiny range is shown as a tiny range.
            decimals: decimals.min(12.0) as usize,
        }
    }

    /// Widens the range by a step below zero (or above it) where the data stop at zero, so
    /// a zero line is never the edge of the plot.
    pub(super) fn show_both_sides_of_zero(&mut self) {
        if self.lo >= 0.0 {
            self.lo = -self.step;
        }
        if self.hi <= 0.0 {
            self.hi = self.step;
        }
    }

    pub(super) fn points(&self) -> Vec<f64> {
        let count = ((self.hi - self.lo) / self.step).round();
        let count = if count.is_finite() {
            count.clamp(1.0, 40.0) as usize
        } else {
            1
        };
        (0..=count)
            .map(|i| self.lo + self.step * i as f64)
            .collect()
    }

    pub(super) fn label(&self, value: f64) -> String {
        if value.abs() < self.step * 1e-6 {
            return "0".into();
        }
        if value.abs() >= 1e15 {
            return format!("{value:.2e}");
        }
        group_thousands(&format!("{value:.*}", self.decimals))
    }
}

/// The years labelled on the x axis: every year up to [`MOST_YEAR_LABELS`], else every
/// 2nd, 5th, 10th, 20th, ... year.
pub(super) fn year_label_indexes(n: usize) -> Vec<f64> {
    let mut step = 1;
    while n.div_ceil(step) > MOST_YEAR_LABELS {
        step = next_step(step);
    }
    (0..n).step_by(step).map(|i| i as f64).collect()
}

/// The next of 1, 2, 5, 10, 20, 50, ...
pub(super) fn next_step(step: usize) -> usize {
    let mut power = 1;
    while power * 10 <= step {
        power *= 10;
    }
    match step / power {
        1 => 2 * power,
        2 => 5 * power,
        _ => 10 * power,
    }
}

/// A linear f64 axis whose labelled points are chosen here, not by plotters (financial years
/// on x, round values on y).
#[derive(Clone)]
pub(super) struct Axis {
    pub(super) lo: f64,
    pub(super) hi: f64,
    pub(super) ticks: Vec<f64>,
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.hi - self.lo;
        if span <= 0.0 {
            return (limit.0 + limit.1) / 2;
        }
        let share = ((value - self.lo) / span).clamp(-1.0, 2.0);
        limit.0 + (f64::from(limit.1 - limit.0) * share).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        // Labelled (bold) points only: no minor grid.
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_hold_the_data() {
        // A little room beyond the data, then whole steps.
        let t = Ticks::new((-1.0, 10.0));
        assert_eq!((t.lo, t.hi, t.step), (-2.0, 12.0, 2.0));
        assert_eq!(t.label(-2.0), "-2");
        assert_eq!(t.points().len(), 8);
        let t = Ticks::new((0.0, 1.0e12));
        assert_eq!(t.label(1.0e12), "1,000,000,000,000");
        let t = Ticks::new((0.0, 0.0));
        assert_eq!((t.lo, t.hi), (0.0, 1.0));
        assert_eq!(t.label(0.6000000000000001), "0.6");
        let t = Ticks::new((0.0, 14.0));
        assert_eq!(t.step, 2.5);
        assert_eq!(t.label(7.5), "7.5");
        assert_eq!(Ticks::new((0.0, 3.0)).label(1.0), "1");
        assert_eq!(Ticks::new((0.0, 0.14)).label(0.025), "0.025");
        assert_eq!(
            Ticks::new((-1.4e12, 0.0)).label(-2.5e11),
            "-250,000,000,000"
        );
        // The zero line is never the plot's edge.
        let mut t = Ticks::new((-3.0, 0.0));
        t.show_both_sides_of_zero();
        assert!(t.hi > 0.0 && t.lo < -3.0);
    }
    #[test]
    fn year_labels_thin_out_on_long_horizons() {
        assert_eq!(year_label_indexes(10).len(), 10);
        assert_eq!(year_label_indexes(12).len(), 12);
        assert_eq!(year_label_indexes(13).len(), 7);
        assert_eq!(year_label_indexes(100).len(), 10);
        assert_eq!(year_label_indexes(1), vec![0.0]);
    }
}
