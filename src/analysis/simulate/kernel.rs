//! The trial loop: one block of trials, drawn from its own stream, into the per-trial
//! columns and the block's sums.

use super::plan::{Plan, Shape};
use super::sampler::Draw;
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

/// Runs the trials of one block.
pub(super) fn run_block(plan: &Plan, start: Rng, mut out: BlockOut) -> BlockStats {
    let mut rng = start;
    let horizon = plan.horizon;
    let mut stats = BlockStats {
        sums: vec![0.0; plan.stored.len() + 2],
        closed: vec![0; horizon],
        meets_plan: vec![0; plan.options.len()],
        saving_sums: vec![Sum::default(); plan.sum_offsets.last().copied().unwrap_or(0)],
    };
    // Within a block, plain sums of the drawn savings (a block is short enough that their
    // rounding stays far below 1e-12); blocks are then added with compensation.
    let mut saving_sums = vec![0.0f64; stats.saving_sums.len()];
    let options = plan.options.len();
    let groups = plan.groups.len();
    // Trials go in batches: first every draw of the batch, trial by trial in the fixed
    // order (a failure draw where a group can fail, a slip draw where it can slip, then a
    // uniform for each option with a range); then option by option over the batch, so that
    // an option's tables stay in cache. Each trial still adds its options in the same order.
    // A steady-state option keeps its drawn saving (0 when its group failed), a profile its
    // uniform and its group's failure.
    let mut draws = vec![0.0; BATCH * options];
    let mut slips = vec![0usize; BATCH * groups];
    let mut failures = vec![false; BATCH * groups];
    let mut d = vec![0.0; BATCH * horizon];
    // A profile's figures over a batch: per distinct draw and trial, then per year, then
    // moved.
    let widest = plan
        .options
        .iter()
        .map(|o| match &o.shape {
            Shape::Profile { draws, .. } => draws.len(),
            Shape::SteadyState { .. } => 0,
        })
        .max()
        .unwrap_or(0);
    let mut figures = vec![0.0; widest * BATCH];
    let mut uniforms = [0.0; BATCH];
    let mut levels = vec![0.0; horizon];
    let mut moved = vec![0.0; horizon];
    let trials = out.total.len();
    let mut first = 0;
    while first < trials {
        let batch = BATCH.min(trials - first);
        for b in 0..batch {
            for (g, group) in plan.groups.iter().enumerate() {
                let failed = group.fail > 0.0 && rng.random::<f64>() < group.fail;
                failures[b * groups + g] = failed;
                slips[b * groups + g] = if group.slip_max > group.slip_min {
                    (rng.random_range(group.slip_min..=group.slip_max) - group.slip_min) as usize
                } else {
                    0
                };
                for &o in &group.options {
                    let option = &plan.options[o];
                    let u = if option.drawn {
                        rng.random::<f64>()
                    } else {
                        0.0
                    };
                    draws[b * options + o] = match &option.shape {
                        Shape::Profile { .. } => u,
                        Shape::SteadyState { .. } if failed => 0.0,
                        Shape::SteadyState { saving, .. } => saving.at(u, &plan.pert),
                    };
                }
            }
        }
        d.iter_mut().for_each(|x| *x = 0.0);
        for (g, group) in plan.groups.iter().enumerate() {
            for &o in &group.options {
                let option = &plan.options[o];
                let sums = &mut saving_sums[plan.sum_offsets[o]..plan.sum_offsets[o + 1]];
                match &option.shape {
                    Shape::SteadyState { table, .. } => {
                        for b in 0..batch {
                            let slip = slips[b * groups + g];
                            let s = draws[b * options + o];
                            let row = &table[slip * horizon..(slip + 1) * horizon];
                            for (dy, factor) in
                                d[b * horizon..(b + 1) * horizon].iter_mut().zip(row)
                            {
                                *dy += s * factor;
                            }
                            sums[slip] += s;
                            if !option.misses_recorded
                                && option
                                    .plan
                                    .iter()
                                    .all(|(t, lp)| s * row[*t] * (1.0 + RELATIVE_TIE) >= *lp)
                            {
                                stats.meets_plan[o] += 1;
                            }
                        }
                    }
                    Shape::Profile { draws: each, year } => {
                        // Each distinct figure over the whole batch, so that a triangular
                        // draw's square roots run side by side; then trial by trial.
                        for (b, u) in uniforms[..batch].iter_mut().enumerate() {
                            *u = draws[b * options + o];
                        }
                        for (j, draw) in each.iter().enumerate() {
                            let out = &mut figures[j * BATCH..j * BATCH + batch];
                            match draw {
                                Draw::Constant(v) => out.fill(*v),
                                Draw::Triangular(t) => {
                                    for (x, u) in out.iter_mut().zip(&uniforms[..batch]) {
                                        *x = t.at(*u);
                                    }
                                }
                                Draw::Pert { .. } => {
                                    for (x, u) in out.iter_mut().zip(&uniforms[..batch]) {
                                        *x = draw.at(*u, &plan.pert);
                                    }
                                }
                            }
                        }
                        let unmoved = option.slips == 1 && option.slip_min == 0;
                        for b in 0..batch {
                            if failures[b * groups + g] {
                                moved.iter_mut().for_each(|x| *x = 0.0);
                            } else if unmoved {
                                for (m, &j) in moved.iter_mut().zip(year) {
                                    *m = figures[j * BATCH + b];
                                }
                            } else {
                                for (level, &j) in levels.iter_mut().zip(year) {
                                    *level = figures[j * BATCH + b];
                                }
                                let months = option.slip_min as usize + slips[b * groups + g];
                                moved_later(&levels, months, &mut moved);
                            }
                            for (t, _) in &option.recorded {
                                moved[*t] = 0.0;
                            }
                            for ((dy, m), sum) in d[b * horizon..(b + 1) * horizon]
                                .iter_mut()
                                .zip(&moved)
                                .zip(sums.iter_mut())
                            {
                                *dy += m;
                                *sum += m;
                            }
                            if !option.misses_recorded
                                && option
                                    .plan
                                    .iter()
                                    .all(|(t, lp)| moved[*t] * (1.0 + RELATIVE_TIE) >= *lp)
                            {
                                stats.meets_plan[o] += 1;
                            }
                        }
                    }
                }
            }
        }
        let stored = plan.stored.len();
        for b in 0..batch {
            let trial = first + b;
            let d = &d[b * horizon..(b + 1) * horizon];
            let mut total = 0.0;
            let mut npv = 0.0;
            for ((column, &t), sum) in out
                .in_year
                .iter_mut()
                .zip(&plan.stored)
                .zip(stats.sums.iter_mut())
            {
                column[trial] = d[t];
                *sum += d[t];
            }
            for (((&dt, discount), closes_at), closed) in d
                .iter()
                .zip(&plan.discount)
                .zip(&plan.closes_at)
                .zip(stats.closed.iter_mut())
            {
                total += dt;
                npv += dt * discount;
                if dt * (1.0 + RELATIVE_TIE) >= *closes_at {
                    *closed += 1;
                }
            }
            out.total[trial] = total;
            out.npv[trial] = npv;
            stats.sums[stored] += total;
            stats.sums[stored + 1] += npv;
        }
        first += batch;
    }
    for (sum, value) in stats.saving_sums.iter_mut().zip(saving_sums) {
        sum.add(value);
    }
    stats
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
