//! The trial loop: one block of trials, drawn from its own stream, into the per-trial
//! columns and the block's sums.

use super::plan::{OptionPlan, Plan, Shape};
use super::sampler::{FigureDraws, slip_draw};
use super::*;

/// What one block of trials counts as it goes.
#[derive(Clone, Debug)]
pub(super) struct BlockStats {
    /// Per stored column, then the total and the NPV: the plain sum of the block's trials.
    pub(super) sums: Vec<f64>,
    pub(super) closed: Vec<u64>,
    pub(super) meets_plan: Vec<u64>,
    /// Per option taken forward, per slip: the sum of its drawn savings (zero when failed).
    /// The mean of its D in a year is then the sum over slips of these times the factor
    /// table, so a trial adds one figure per option rather than one per option and year.
    pub(super) saving_sums: Vec<Sum>,
}

/// A compensated (Neumaier) sum, so that means do not drift with the number of trials.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Sum {
    pub(super) sum: f64,
    pub(super) compensation: f64,
}

impl Sum {
    pub(super) fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if self.sum.abs() >= x.abs() {
            self.compensation += (self.sum - t) + x;
        } else {
            self.compensation += (x - t) + self.sum;
        }
        self.sum = t;
    }

    pub(super) fn value(self) -> f64 {
        self.sum + self.compensation
    }
}

/// The output slices of one block: its trials of D per year, the total and NPV.
pub(super) struct BlockOut<'a> {
    pub(super) index: usize,
    pub(super) in_year: Vec<&'a mut [f64]>,
    pub(super) total: &'a mut [f64],
    pub(super) npv: &'a mut [f64],
}

/// Declares the row widths the trial loop is built for, and runs a block with the one for the
/// plan's width: a trial's D is a fixed-size array, so that adding a factor row to it is
/// unrolled and, up to 16 years, kept in registers. Each width is built twice, with and
/// without the code for profiles: where a plan has none, the trial loop is all steady
/// states, and keeps more in registers.
macro_rules! row_widths {
    ($($width:literal),+) => {
        /// The widths, narrowest first; the last is at least the longest horizon.
        pub(super) const ROW_WIDTHS: &[usize] = &[$($width),+];

        /// Runs the trials of one block.
        pub(super) fn run_block(plan: &Plan, start: Rng, out: BlockOut) -> BlockStats {
            match (plan.width, plan.has_profiles) {
                $(
                    ($width, false) => run::<$width, false>(plan, start, out),
                    ($width, true) => run::<$width, true>(plan, start, out),
                )+
                // `Plan::width` is always one of the widths ([`row_width`]).
                _ => BlockStats::new(plan),
            }
        }
    };
}

row_widths!(4, 8, 10, 12, 16, 24, 32, 64, 100);

/// The row width for `horizon` years: the narrowest at or above it.
pub(crate) fn row_width(horizon: usize) -> usize {
    ROW_WIDTHS
        .iter()
        .copied()
        .find(|w| *w >= horizon)
        .unwrap_or(horizon)
}

/// The widths as a person reads them: "4, 8, ... or 100".
pub(super) fn row_widths_text() -> String {
    let text: Vec<String> = ROW_WIDTHS.iter().map(usize::to_string).collect();
    match text.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => text.concat(),
    }
}

impl BlockStats {
    fn new(plan: &Plan) -> Self {
        BlockStats {
            sums: vec![0.0; plan.stored.len() + 2],
            closed: vec![0; plan.horizon],
            meets_plan: vec![0; plan.options.len()],
            saving_sums: vec![Sum::default(); plan.sum_offsets.last().copied().unwrap_or(0)],
        }
    }
}

/// The trials of one block, trial by trial in the fixed order of draws: per procurement group
/// (as the trial reaches its first option) a failure draw where it can fail and a slip draw
/// where it can slip, then per option a uniform where it has a range; each option's D added
/// to the trial's as it is drawn, in group order. `W` is the plan's row width: the years
/// after the horizon are 0 throughout. `PROFILES` is whether any option is a profile.
fn run<const W: usize, const PROFILES: bool>(plan: &Plan, start: Rng, out: BlockOut) -> BlockStats {
    // A local copy, so that the generator's state stays in registers.
    let mut rng = start;
    let horizon = plan.horizon;
    let mut stats = BlockStats::new(plan);
    // Within a block, plain sums of the drawn savings (a block is short enough that their
    // rounding stays far below 1e-12); blocks are then added with compensation.
    let mut saving_sums = vec![0.0f64; stats.saving_sums.len()];
    // The lines per year, padded: no padded year closes, none is discounted.
    let mut closes_at = [f64::INFINITY; W];
    closes_at[..horizon].copy_from_slice(&plan.closes_at);
    let mut discount = [0.0; W];
    discount[..horizon].copy_from_slice(&plan.discount);
    let mut closed = [0u64; W];
    let mut profile = ProfileScratch::new(plan);
    let mut moved = [0.0; W];
    let BlockOut {
        mut in_year,
        total: totals,
        npv: npvs,
        ..
    } = out;
    let stored = plan.stored.len();
    for trial in 0..totals.len() {
        let mut d = [0.0; W];
        let (mut failed, mut slip) = (false, 0);
        for (option, count) in plan.options.iter().zip(&mut stats.meets_plan) {
            if let Some(group) = &option.opens {
                failed = group.fail > 0.0 && rng.random::<f64>() < group.fail;
                slip = if group.slip_max > group.slip_min {
                    slip_draw(&mut rng, group.slip_max - group.slip_min) as usize
                } else {
                    0
                };
            }
            let sums = option.first_sum;
            let u = if option.drawn {
                rng.random::<f64>()
            } else {
                0.0
            };
            let meets = match &option.shape {
                Shape::SteadyState {
                    saving,
                    table,
                    meets_from,
                } => {
                    // A failed option saves 0: adding 0 x its row leaves D as it is.
                    let s = if failed {
                        0.0
                    } else {
                        saving.at(u, &plan.pert)
                    };
                    let row = table[slip * W..].first_chunk::<W>().unwrap_or(&[0.0; W]);
                    for (dy, factor) in d.iter_mut().zip(row) {
                        *dy += s * factor;
                    }
                    saving_sums[sums + slip] += s;
                    s >= meets_from[slip]
                }
                Shape::Profile {
                    draws,
                    year,
                    as_planned,
                } => {
                    if !PROFILES {
                        // Never reached: the plan has no profiles.
                        continue;
                    }
                    let meets = profile.trial(
                        plan,
                        option,
                        (draws, year, as_planned),
                        (u, failed, slip),
                        &mut moved[..horizon],
                        &mut saving_sums[sums..sums + horizon],
                    );
                    for (dy, m) in d.iter_mut().zip(&moved) {
                        *dy += m;
                    }
                    meets
                }
            };
            *count += u64::from(meets);
        }
        for ((column, &t), sum) in in_year.iter_mut().zip(&plan.stored).zip(&mut stats.sums) {
            column[trial] = d[t];
            *sum += d[t];
        }
        let mut total = 0.0;
        let mut npv = 0.0;
        for t in 0..W {
            total += d[t];
            npv += d[t] * discount[t];
            closed[t] += u64::from(d[t] * (1.0 + RELATIVE_TIE) >= closes_at[t]);
        }
        totals[trial] = total;
        npvs[trial] = npv;
        stats.sums[stored] += total;
        stats.sums[stored + 1] += npv;
    }
    stats.closed.copy_from_slice(&closed[..horizon]);
    for (sum, value) in stats.saving_sums.iter_mut().zip(saving_sums) {
        sum.add(value);
    }
    stats
}

/// What a profile's draw needs from trial to trial: each distinct figure, and the levels by
/// year before a slip moves them.
struct ProfileScratch {
    figures: Vec<f64>,
    levels: Vec<f64>,
}

impl ProfileScratch {
    fn new(plan: &Plan) -> Self {
        let widest = plan
            .options
            .iter()
            .map(|o| match &o.shape {
                Shape::Profile { draws, .. } => draws.places(),
                Shape::SteadyState { .. } => 0,
            })
            .max()
            .unwrap_or(0);
        Self {
            figures: vec![0.0; widest],
            levels: vec![0.0; plan.horizon],
        }
    }

    /// A profile's D in one trial (docs/model.md section 9.2) into `moved`, and added to its
    /// `sums` by year: every year's figure at the one uniform `u`, moved later by the slip, 0
    /// where the group failed and in the years whose delivery is recorded. Returns whether it
    /// meets its plan. (Inlined: a call would cost the trial loop its D in registers.)
    #[inline(always)]
    fn trial(
        &mut self,
        plan: &Plan,
        option: &OptionPlan,
        (draws, year, as_planned): (&FigureDraws, &[usize], &[usize]),
        (u, failed, slip): (f64, bool, usize),
        moved: &mut [f64],
        sums: &mut [f64],
    ) -> bool {
        if failed {
            // Nothing saved: the sums stay as they are.
            moved.fill(0.0);
        } else {
            draws.at(u, &plan.pert, &mut self.figures);
            let figures = &self.figures;
            if option.slips == 1 && option.slip_min == 0 {
                // Where the group never slips, each year reads its figure straight (a
                // recorded year reads figure 0, which is 0).
                for ((m, &j), sum) in moved.iter_mut().zip(as_planned).zip(sums.iter_mut()) {
                    *m = figures[j];
                    *sum += *m;
                }
            } else {
                for (level, &j) in self.levels.iter_mut().zip(year) {
                    *level = figures[j];
                }
                let months = option.slip_min as usize + slip;
                moved_later(&self.levels, months, moved);
                for (t, _) in &option.recorded {
                    moved[*t] = 0.0;
                }
                for (sum, m) in sums.iter_mut().zip(moved.iter()) {
                    *sum += m;
                }
            }
        }
        !option.misses_recorded
            && option
                .plan
                .iter()
                .all(|(t, lp)| moved[*t] * (1.0 + RELATIVE_TIE) >= *lp)
    }
}

/// A profile's figures moved `months` later (docs/model.md section 9.2): with
/// `months = 12k + j`, `D'(y) = ((12 - j) x D(y - k) + j x D(y - k - 1)) / 12`, D of the base
/// year and earlier 0.
fn moved_later(levels: &[f64], months: usize, out: &mut [f64]) {
    let (whole, part) = (months / 12, months % 12);
    let at = |y: Option<usize>| y.and_then(|y| levels.get(y)).copied().unwrap_or(0.0);
    for (y, slot) in out.iter_mut().enumerate() {
        let later = at(y.checked_sub(whole));
        *slot = if part == 0 {
            later
        } else {
            let earlier = at(y.checked_sub(whole + 1));
            ((12 - part) as f64 * later + part as f64 * earlier) / 12.0
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_moves_later_by_the_slip_formula() {
        let levels = [1.0, 2.0, 2.0, 0.0];
        let mut out = [0.0; 4];
        moved_later(&levels, 0, &mut out);
        assert_eq!(out, levels);
        moved_later(&levels, 3, &mut out);
        // (9 x D(y) + 3 x D(y - 1)) / 12
        assert_eq!(out, [0.75, 1.75, 2.0, 0.5]);
        moved_later(&levels, 12, &mut out);
        assert_eq!(out, [0.0, 1.0, 2.0, 2.0]);
        moved_later(&levels, 18, &mut out);
        assert_eq!(out, [0.0, 0.5, 1.5, 2.0]);
        moved_later(&levels, 60, &mut out);
        assert_eq!(out, [0.0; 4]);
    }
}
