//! The trial loop: one block of trials, drawn from its own stream, into the per-trial
//! columns and the block's sums.

use super::plan::Plan;
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
        saving_sums: vec![Sum::default(); plan.slip_offsets.last().copied().unwrap_or(0)],
    };
    // Within a block, plain sums of the drawn savings (a block is short enough that their
    // rounding stays far below 1e-12); blocks are then added with compensation.
    let mut saving_sums = vec![0.0f64; stats.saving_sums.len()];
    let options = plan.options.len();
    let groups = plan.groups.len();
    // Trials go in batches: first every draw of the batch, trial by trial in the fixed
    // order (a failure draw where a group can fail, a slip draw where it can slip, then each
    // option's saving); then option by option over the batch, so that an option's factor
    // table stays in cache. Each trial still adds its options in the same order.
    let mut savings = vec![0.0; BATCH * options];
    let mut slips = vec![0usize; BATCH * groups];
    let mut d = vec![0.0; BATCH * horizon];
    let trials = out.total.len();
    let mut first = 0;
    while first < trials {
        let batch = BATCH.min(trials - first);
        for b in 0..batch {
            for (g, group) in plan.groups.iter().enumerate() {
                let failed = group.fail > 0.0 && rng.random::<f64>() < group.fail;
                slips[b * groups + g] = if group.slip_max > group.slip_min {
                    (rng.random_range(group.slip_min..=group.slip_max) - group.slip_min) as usize
                } else {
                    0
                };
                for &o in &group.options {
                    let drawn = plan.options[o].sampler.draw(&mut rng);
                    savings[b * options + o] = if failed { 0.0 } else { drawn };
                }
            }
        }
        d.iter_mut().for_each(|x| *x = 0.0);
        for (g, group) in plan.groups.iter().enumerate() {
            for &o in &group.options {
                let option = &plan.options[o];
                for b in 0..batch {
                    let slip = slips[b * groups + g];
                    let s = savings[b * options + o];
                    let row = &option.table[slip * horizon..(slip + 1) * horizon];
                    for (dy, factor) in d[b * horizon..(b + 1) * horizon].iter_mut().zip(row) {
                        *dy += s * factor;
                    }
                    saving_sums[plan.slip_offsets[o] + slip] += s;
                    if option
                        .plan
                        .iter()
                        .all(|(t, lp)| s * row[*t] * (1.0 + RELATIVE_TIE) >= *lp)
                    {
                        stats.meets_plan[o] += 1;
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
