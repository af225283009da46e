//! docs/model.md section 5: Monte Carlo. For each trial and each procurement group (an option
//! without a group is its own group), one draw says whether the group fails and one how many
//! whole months it slips; then each option taken forward draws its saving from a triangular
//! (or PERT) distribution over (low, central, high). A failed option saves nothing and still
//! incurs its one-off costs; a slipped one goes live later. D, N and R follow as in section 4.
//!
//! Only what is drawn is f64 (docs/model.md section 5: binary floating point inside sampling only):
//! an option with nothing to draw (no chance of failure, no range of slip, one figure for
//! its saving) saves the same in every trial, so its in-year savings are computed exactly,
//! as `savings run` computes them, and added to each statistic exactly. A scenario with no
//! risk and single figures therefore gives every statistic equal to the deterministic
//! figure, at any magnitude, and decides its closed years exactly. Statistics are reported
//! in the scenario's unit. Trials run in fixed blocks,
//! each with its own stream of the generator (see [`Rng`]), and every sum is formed in block
//! and trial order, so the output is byte-identical whatever the number of threads.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator: xoshiro256++ (rand_xoshiro), seeded from the seed by SplitMix64. Block
/// `b` draws from the seed's stream jumped `b` times (each jump is 2^128 draws), so blocks
/// never share draws and each block's draws do not depend on which thread runs it.
type Rng = Xoshiro256PlusPlus;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::model::{ArithmeticError, Case, Distribution, FinancialYear, Money, Risk, Scenario};
use crate::projection::{Projection, ProjectionError, Source, net_present_value};

/// The most trials one run may have.
pub const MAX_TRIALS: u64 = 10_000_000;
/// The most memory a run may need for its per-trial results (2 GiB).
pub const MAX_MEMORY_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// Trials per block (the unit of work and of random streams) lie between these, chosen from
/// the number of trials alone (see [`block_size`]) so that the output never depends on the
/// number of threads.
const MIN_BLOCK: usize = 1024;
const MAX_BLOCK: usize = 16384;
/// The default seed, printed with every result so a run can be repeated.
pub const DEFAULT_SEED: u64 = 20140515;
/// Where something is drawn, a year counts as closed, and a plan as met, when the drawn
/// savings reach the line to within this share of themselves, so that the rounding of f64
/// sums (at most about 1e-12 of the sum for 10,000 options) does not turn a tie into a
/// failure. Drawn savings are never negative, so the allowance scales with the figures'
/// size; where nothing is drawn the allowance is zero and the test is exact.
pub const RELATIVE_TIE: f64 = 1e-10;

/// How to run a simulation.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub trials: u64,
    pub seed: u64,
    /// Worker threads; the results do not depend on it.
    pub threads: usize,
}

impl Settings {
    /// "1 trial", "1000 trials": the count as the outputs print it.
    pub fn trials_text(&self) -> String {
        match self.trials {
            1 => "1 trial".to_string(),
            n => format!("{n} trials"),
        }
    }
}

/// Why a simulation will not run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimulationError {
    TooManyTrials(u64),
    NoTrials,
    TooMuchMemory { needed: u64 },
    Projection(ProjectionError),
}

impl std::fmt::Display for SimulationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SimulationError::TooManyTrials(n) => {
                write!(
                    f,
                    "{n} trials is above the limit of {MAX_TRIALS}; use fewer trials"
                )
            }
            SimulationError::NoTrials => f.write_str("the number of trials must be at least 1"),
            SimulationError::TooMuchMemory { needed } => write!(
                f,
                "this run would need about {} MiB (per-trial results, trials x (horizon + 2) x 8 bytes, and per-slip tables and sums, options x slip months x (horizon x 8 + blocks x 16) bytes, the horizon rounded up to {} years), above the limit of {} MiB; use fewer trials or narrower slip ranges",
                needed / (1024 * 1024),
                row_widths_text(),
                MAX_MEMORY_BYTES / (1024 * 1024)
            ),
            SimulationError::Projection(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for SimulationError {}

/// Mean and the 10th, 50th and 90th percentiles (numpy's default, linear interpolation).
/// Each is the exact part (what nothing drawn changes) plus the spread of what is drawn,
/// rounded; where nothing is drawn it is exact.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Spread {
    pub mean: Money,
    pub p10: Money,
    pub p50: Money,
    pub p90: Money,
}

impl Spread {
    /// `exact` plus the spread of the drawn part.
    fn of(exact: Money, drawn: &Sampled) -> Result<Self, ArithmeticError> {
        let plus = |x: f64| -> Result<Money, ArithmeticError> {
            if x == 0.0 {
                Ok(exact)
            } else {
                exact.checked_add(Money::rounded(decimal(x)))
            }
        };
        Ok(Self {
            mean: plus(drawn.mean)?,
            p10: plus(drawn.p10)?,
            p50: plus(drawn.p50)?,
            p90: plus(drawn.p90)?,
        })
    }

    /// The spread of `c - x` given the spread of `x`.
    fn reflected(&self, c: Money) -> Result<Self, ArithmeticError> {
        Ok(Self {
            mean: c.checked_sub(self.mean)?,
            p10: c.checked_sub(self.p90)?,
            p50: c.checked_sub(self.p50)?,
            p90: c.checked_sub(self.p10)?,
        })
    }

    fn shifted(&self, c: Money) -> Result<Self, ArithmeticError> {
        Ok(Self {
            mean: self.mean.checked_add(c)?,
            p10: self.p10.checked_add(c)?,
            p50: self.p50.checked_add(c)?,
            p90: self.p90.checked_add(c)?,
        })
    }

    /// In the order mean, P10, P50, P90.
    pub fn values(&self) -> [Money; 4] {
        [self.mean, self.p10, self.p50, self.p90]
    }
}

/// The spread of the drawn part of a figure, in f64 as sampled.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Sampled {
    mean: f64,
    p10: f64,
    p50: f64,
    p90: f64,
}

/// A simulated figure as an exact decimal: the shortest text that reads back as the same
/// f64 (no exponent, no trailing zeros, no negative zero).
pub fn decimal(x: f64) -> Decimal {
    let text = format!("{x}");
    text.parse::<Decimal>()
        .or_else(|_| Decimal::try_from(x))
        .unwrap_or_default()
        .normalize()
}

/// The results of a simulation.
#[derive(Clone, Debug)]
pub struct Simulation {
    pub settings: Settings,
    pub years: Vec<FinancialYear>,
    /// Per year: total D, N and R.
    pub in_year: Vec<Spread>,
    pub contribution: Vec<Spread>,
    pub remaining_gap: Vec<Spread>,
    /// Per year: the share of trials with R <= 0.
    pub probability_closed: Vec<f64>,
    /// Services taken forward, in file order.
    pub services: Vec<ServiceResult>,
    pub total_saving: Spread,
    pub npv: Spread,
}

/// One service taken forward.
#[derive(Clone, Debug)]
pub struct ServiceResult {
    /// Index into `Scenario::services`.
    pub service: usize,
    pub option: usize,
    /// The share of trials in which it meets its planned savings in every MTFP year.
    pub probability_meets_plan: f64,
    /// The mean of its D, per year (exact where nothing about it is drawn).
    pub mean_in_year: Vec<Money>,
}

mod kernel;
mod plan;
mod sampler;
mod stats;

use kernel::*;
use plan::*;
use stats::*;

pub use stats::percentile;

/// Trials per block for a run of `trials`: about 64 blocks, so that two or more threads
/// share the work evenly, but no fewer than [`MIN_BLOCK`] trials a block, so that starting
/// a block stays cheap. It depends on the number of trials only.
pub fn block_size(trials: usize) -> usize {
    trials.div_ceil(64).clamp(MIN_BLOCK, MAX_BLOCK)
}

/// What a run holds besides the figures counted in [`memory_needed`]: the program, the
/// scenario as read and its projection. Where the system says how much the process holds
/// already (Linux: `/proc/self/statm`), that, plus 32 MiB for writing the output; elsewhere
/// 256 MiB, which covers a scenario at every input limit.
fn base_memory_bytes() -> u64 {
    const MIB: u64 = 1024 * 1024;
    let resident = std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|text| text.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map(|pages| pages.saturating_mul(4096));
    resident.map_or(256 * MIB, |bytes| bytes.saturating_add(32 * MIB))
}

/// The memory a run holds at its peak, in bytes, counted before it starts: the per-trial
/// results (at most every year stored, with the totals and NPVs: 8 bytes each; percentiles
/// are selected in place), the factor tables (8 bytes per option, slip and year, the years
/// counted to the row width the trial loop reads, [`row_width`]), each
/// block's sums for the mean D of each option (16 bytes per sum: one per slip for a steady
/// state, one per year for a profile), which are kept until every block is done so that they
/// merge in block order, a working copy of those sums for each block being run (8 bytes per
/// sum, one per thread), and what the process holds already ([`base_memory_bytes`]).
pub fn memory_needed(trials: u64, scenario: &Scenario, threads: usize) -> u64 {
    let horizon = u64::from(scenario.horizon);
    let results = trials.saturating_mul(horizon + 2).saturating_mul(8);
    let (slips, sums) = scenario
        .taken_forward()
        .map(|(_, option)| {
            let risk = Risk::of(option);
            let slips = u64::from(risk.slip_months.1.saturating_sub(risk.slip_months.0)) + 1;
            if option.is_profile() {
                (0, horizon)
            } else {
                (slips, slips)
            }
        })
        .fold((0u64, 0u64), |(a, b), (c, d)| {
            (a.saturating_add(c), b.saturating_add(d))
        });
    let width = u64::try_from(row_width(usize::from(scenario.horizon))).unwrap_or(u64::MAX);
    let tables = slips.saturating_mul(width).saturating_mul(8);
    let block = u64::try_from(block_size(usize::try_from(trials).unwrap_or(usize::MAX)))
        .unwrap_or(u64::MAX);
    let blocks = trials.div_ceil(block.max(1)).saturating_add(1);
    let saving_sums = blocks.saturating_mul(sums).saturating_mul(16);
    let threads = u64::try_from(threads.max(1)).unwrap_or(u64::MAX);
    let working = threads.saturating_mul(sums).saturating_mul(8);
    results
        .saturating_add(tables)
        .saturating_add(saving_sums)
        .saturating_add(working)
        .saturating_add(base_memory_bytes())
}

/// Checks a run's size before any work.
pub fn check(settings: &Settings, scenario: &Scenario) -> Result<(), SimulationError> {
    if settings.trials == 0 {
        return Err(SimulationError::NoTrials);
    }
    if settings.trials > MAX_TRIALS {
        return Err(SimulationError::TooManyTrials(settings.trials));
    }
    let needed = memory_needed(settings.trials, scenario, settings.threads);
    if needed > MAX_MEMORY_BYTES {
        return Err(SimulationError::TooMuchMemory { needed });
    }
    Ok(())
}

/// Runs the simulation. `progress` is told how many trials are done as blocks finish.
pub fn simulate(
    scenario: &Scenario,
    settings: Settings,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Simulation, SimulationError> {
    check(&settings, scenario)?;
    let projection = crate::projection::project(scenario).map_err(SimulationError::Projection)?;
    simulate_projected(scenario, &projection, settings, progress)
}

/// [`simulate`] with the scenario's projection (`savings run`'s figures) already made.
pub fn simulate_projected(
    scenario: &Scenario,
    projection: &Projection,
    settings: Settings,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Simulation, SimulationError> {
    check(&settings, scenario)?;
    let plan = Plan::new(scenario, projection)?;
    let n = settings.trials as usize;
    let horizon = plan.horizon;
    // Only years whose D can differ from the year before are stored.
    let mut in_year: Vec<Vec<f64>> = plan.stored.iter().map(|_| vec![0.0; n]).collect();
    let mut totals = vec![0.0; n];
    let mut npvs = vec![0.0; n];

    // Split every output into per-block slices, then deal the blocks out to the threads.
    let block = block_size(n);
    let blocks = n.div_ceil(block);
    let mut outs: Vec<BlockOut> = {
        let mut year_chunks: Vec<std::slice::ChunksMut<f64>> =
            in_year.iter_mut().map(|c| c.chunks_mut(block)).collect();
        totals
            .chunks_mut(block)
            .zip(npvs.chunks_mut(block))
            .enumerate()
            .map(|(index, (total, npv))| BlockOut {
                index,
                in_year: year_chunks.iter_mut().filter_map(Iterator::next).collect(),
                total,
                npv,
            })
            .collect()
    };
    let threads = settings.threads.clamp(1, blocks.max(1));
    let mut shares: Vec<Vec<BlockOut>> = (0..threads).map(|_| Vec::new()).collect();
    for (i, out) in outs.drain(..).enumerate() {
        shares[i % threads].push(out);
    }
    // Each block's generator, one jump after the block before's.
    let mut starts = Vec::with_capacity(blocks);
    let mut stream = Rng::seed_from_u64(settings.seed);
    for _ in 0..blocks {
        starts.push(stream.clone());
        stream.jump();
    }
    let starts = &starts;
    let plan_ref = &plan;
    let mut stats: Vec<(usize, BlockStats)> = std::thread::scope(|scope| {
        let handles: Vec<_> = shares
            .into_iter()
            .map(|share| {
                scope.spawn(move || {
                    share
                        .into_iter()
                        .map(|out| {
                            let index = out.index;
                            let done = out.total.len() as u64;
                            let result = run_block(plan_ref, starts[index].clone(), out);
                            progress(done);
                            (index, result)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    if stats.len() != blocks {
        return Err(SimulationError::Projection(ProjectionError {
            figure: "simulation (a worker thread stopped)".into(),
            field: None,
            cause: crate::model::ArithmeticError::Overflow,
        }));
    }
    stats.sort_by_key(|(index, _)| *index);

    // Counts and sums, merged in block order (the sums of blocks with compensation).
    let mut sums = vec![Sum::default(); plan.stored.len() + 2];
    let mut closed = vec![0u64; horizon];
    let mut meets = vec![0u64; plan.options.len()];
    let mut saving_sums = vec![Sum::default(); plan.sum_offsets.last().copied().unwrap_or(0)];
    for (_, block) in &stats {
        sums.iter_mut()
            .zip(&block.sums)
            .for_each(|(a, b)| a.add(*b));
        closed
            .iter_mut()
            .zip(&block.closed)
            .for_each(|(a, b)| *a += b);
        meets
            .iter_mut()
            .zip(&block.meets_plan)
            .for_each(|(a, b)| *a += b);
        for (a, b) in saving_sums.iter_mut().zip(&block.saving_sums) {
            a.add(b.sum);
            a.add(b.compensation);
        }
    }
    let trials = n as f64;
    // The mean of each sampled option's D: for a steady state, its per-slip saving sums
    // times the factor table; for a profile, its sums of D per year.
    let mean_in_year = |o: usize| -> Vec<Money> {
        let option = &plan.options[o];
        let sums = &saving_sums[plan.sum_offsets[o]..plan.sum_offsets[o + 1]];
        (0..horizon)
            .map(|t| {
                let total = match &option.shape {
                    Shape::SteadyState { table, .. } => {
                        let mut total = Sum::default();
                        for (slip, sum) in sums.iter().enumerate() {
                            total.add(sum.value() * table[slip * plan.width + t]);
                        }
                        total.value()
                    }
                    Shape::Profile { .. } => sums.get(t).map_or(0.0, |s| s.value()),
                };
                let drawn = Money::rounded(decimal(total / trials));
                // A recorded year is drawn as 0: its figure is exact.
                match option.recorded.iter().find(|(r, _)| *r == t) {
                    Some((_, figure)) => *figure,
                    None => drawn,
                }
            })
            .collect()
    };
    // The spreads of the drawn parts, each column in its own thread where there are threads
    // to spare; then the exact parts added.
    let columns: Vec<&mut Vec<f64>> = in_year.iter_mut().chain([&mut totals, &mut npvs]).collect();
    let means: Vec<f64> = sums.iter().map(|s| s.value() / trials).collect();
    let spreads = spreads_of(columns, &means, settings.threads);
    let nothing = Sampled {
        mean: 0.0,
        p10: 0.0,
        p50: 0.0,
        p90: 0.0,
    };
    let stored = plan.stored.len();
    let spread_error = |what: &str| {
        let what = what.to_string();
        move |cause| projection_error(format!("simulated {what}"), cause)
    };
    let total_saving = Spread::of(plan.fixed_total, spreads.get(stored).unwrap_or(&nothing))
        .map_err(spread_error("total saving"))?;
    let npv = Spread::of(plan.fixed_npv, spreads.get(stored + 1).unwrap_or(&nothing))
        .map_err(spread_error("net present value"))?;
    let in_year_spread = plan
        .column_of
        .iter()
        .zip(&plan.fixed_in_year)
        .map(|(c, fixed)| Spread::of(*fixed, spreads.get(*c).unwrap_or(&nothing)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(spread_error("in-year saving"))?;
    let contribution = in_year_spread
        .iter()
        .zip(&plan.minus_planned)
        .map(|(s, c)| s.shifted(*c))
        .collect::<Result<Vec<_>, _>>()
        .map_err(spread_error("contribution"))?;
    let remaining_gap = in_year_spread
        .iter()
        .zip(&plan.gap_and_planned)
        .map(|(s, c)| s.reflected(*c))
        .collect::<Result<Vec<_>, _>>()
        .map_err(spread_error("remaining gap"))?;
    Ok(Simulation {
        settings,
        years: scenario.years().collect(),
        contribution,
        remaining_gap,
        in_year: in_year_spread,
        probability_closed: closed.iter().map(|c| *c as f64 / trials).collect(),
        services: plan
            .chosen
            .iter()
            .map(|(service, option, member)| {
                let (probability_meets_plan, mean_in_year) = match member {
                    Member::Sampled(i) => (meets[*i] as f64 / trials, mean_in_year(*i)),
                    Member::Fixed(fixed) => (
                        if fixed.meets_plan { 1.0 } else { 0.0 },
                        fixed.in_year.clone(),
                    ),
                };
                ServiceResult {
                    service: *service,
                    option: *option,
                    probability_meets_plan,
                    mean_in_year,
                }
            })
            .collect(),
        total_saving,
        npv,
    })
}

/// Shows progress only when standard error is a terminal and the run has taken over a
/// second: never in pipes or CI.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    started: Instant,
    shown: AtomicBool,
}

impl Progress {
    pub fn new(trials: u64) -> Self {
        use std::io::IsTerminal;
        let bar = std::io::stderr().is_terminal().then(|| {
            indicatif::ProgressBar::with_draw_target(
                Some(trials),
                indicatif::ProgressDrawTarget::hidden(),
            )
        });
        Self {
            bar,
            started: Instant::now(),
            shown: AtomicBool::new(false),
        }
    }

    pub fn advance(&self, trials: u64) {
        let Some(bar) = &self.bar else { return };
        bar.inc(trials);
        if self.started.elapsed().as_secs_f64() > 1.0 && !self.shown.swap(true, Ordering::Relaxed) {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sampler::*;
    use super::*;

    #[test]
    fn percentiles_interpolate_as_numpy_does() {
        // numpy.percentile([1, 2, 3, 4], [10, 50, 90]) == [1.3, 2.5, 3.7]
        let mut v = vec![4.0, 1.0, 3.0, 2.0];
        assert!((percentile(&mut v, 0.1) - 1.3).abs() < 1e-12);
        assert!((percentile(&mut v, 0.5) - 2.5).abs() < 1e-12);
        assert!((percentile(&mut v, 0.9) - 3.7).abs() < 1e-12);
        let mut one = vec![7.0];
        assert_eq!(percentile(&mut one, 0.9), 7.0);
    }

    #[test]
    fn the_spread_agrees_with_plain_percentiles() {
        // A shuffled sequence, so selection has work to do.
        let values: Vec<f64> = (0..1001)
            .map(|i| ((i * 7919) % 1001) as f64 * 0.37)
            .collect();
        for n in [1, 2, 3, 10, 11, 1001] {
            let mut a = values[..n].to_vec();
            let mut b = a.clone();
            let s = spread(&mut a, 0.0);
            assert_eq!(s.p10, percentile(&mut b, 0.1), "{n}");
            assert_eq!(s.p50, percentile(&mut b, 0.5), "{n}");
            assert_eq!(s.p90, percentile(&mut b, 0.9), "{n}");
        }
    }

    #[test]
    fn the_triangular_draw_is_rand_distrs() {
        use rand_distr::Distribution as _;
        use rand_distr::Triangular;
        let ours = TriangularDraw::new(2.0, 5.0, 9.0);
        let theirs = Triangular::new(2.0, 9.0, 5.0).unwrap_or_else(|e| panic!("{e}"));
        let mut a = Rng::seed_from_u64(1);
        let mut b = Rng::seed_from_u64(1);
        for _ in 0..10_000 {
            let x = ours.at(a.random::<f64>());
            let y: f64 = theirs.sample(&mut b);
            assert!((x - y).abs() <= 1e-12 * y.abs().max(1.0), "{x} {y}");
        }
        assert_eq!(ours.at(0.0), 2.0);
        assert!((ours.at(1.0) - 9.0).abs() < 1e-12);
    }

    #[test]
    fn compensated_sums_do_not_drift() {
        let mut s = Sum::default();
        for _ in 0..1_000_000 {
            s.add(24.4);
        }
        assert!((s.value() / 1e6 - 24.4).abs() < 1e-12);
    }
}
