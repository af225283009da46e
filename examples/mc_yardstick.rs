//! The yardstick for `savings simulate` (issue 18): the same Monte Carlo written as plainly
//! as it can be, to measure the product against. It does the draws, D, R and the percentiles
//! and nothing else: no per-service results, no total or NPV, no exact arithmetic, no output
//! formats. What it shares with the product is the model and the draw scheme, so that both do
//! the same work and give the same figures:
//!
//! - xoshiro256++ (rand_xoshiro) seeded by SplitMix64, trials in the same blocks (about 1/64 of
//!   the trials, 1,024 to 16,384), block b drawing from the seed's stream jumped b times;
//! - per trial and procurement group (in the order groups first appear in the file): a failure
//!   draw where the group can fail, a slip draw where it can slip, then one uniform per option
//!   with a range, turned into its saving by the triangular inverse distribution function;
//! - `D(y) = sum of S x factor(slip, y)` over the options not failed, the factors `savings run`
//!   computes (made here by the library, before the clock matters); options with nothing to
//!   draw add the same in every trial and are left out of D, as the product leaves them out;
//! - per year the mean (block sums merged with compensation) and numpy's linear P10, P50 and
//!   P90 by selection; R's spread is the reflection of D's (`R = LG + w x LP - D`), and
//!   P(closed) is the share of trials with D at or above that line. A year whose D is, for
//!   every option and slip, the same as the year before's is not stored twice.
//!
//! It reads plain scenarios only (steady-state savings built up by a ramp, triangular draws,
//! no statuses), such as the built-in Kent scenario. Usage:
//!
//! ```sh
//! cargo build --release --example mc_yardstick
//! target/release/examples/mc_yardstick [SCENARIO] [--trials N] [--seed S] [--threads T]
//! ```
//!
//! It prints the drawn part of D per year (mean, P10, P50, P90, as the shortest f64 text), R's
//! mean and P(closed): for the built-in scenario the D figures equal `savings simulate
//! --format json`'s `in_year_saving` figures. scripts/bench-simulate-kernel.sh measures it
//! against the product.

use std::process::ExitCode;

use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus as Rng;
use rust_decimal::prelude::ToPrimitive;
use savings_modeller::model::{Build, Distribution, Money, Risk, Scenario, Status};
use savings_modeller::projection::{Source, project, slipped};
use savings_modeller::scenario::{Input, load};

/// Drawn savings reaching the line to within this share of themselves close a year (the
/// product's tie allowance).
const RELATIVE_TIE: f64 = 1e-10;

/// An option with a triangular saving and its factors per slip (row `slip - least`).
struct Opt {
    drawn: bool,
    low: f64,
    high: f64,
    range: f64,
    left: f64,
    right: f64,
    table: Vec<f64>,
}

struct Group {
    fail: f64,
    slip_min: u32,
    slip_max: u32,
    options: Vec<Opt>,
}

struct Model {
    horizon: usize,
    groups: Vec<Group>,
    /// `LG + w x LP` less what the options with nothing to draw save, per year.
    line: Vec<f64>,
    /// The years stored (a year equal to the year before is read from its column).
    stored: Vec<usize>,
    column_of: Vec<usize>,
}

fn f(m: Money) -> f64 {
    m.amount().to_f64().unwrap_or(0.0)
}

fn model(scenario: &Scenario) -> Result<Model, String> {
    let projection = project(scenario).map_err(|e| e.to_string())?;
    let horizon = usize::from(scenario.horizon);
    let mut line: Vec<Money> = projection.total.gap_to_date.clone();
    let mut groups: Vec<(Option<String>, Group)> = Vec::new();
    for projected in &projection.services {
        let option = &scenario.services[projected.service].options[projected.option];
        let weighted = projected
            .weighted_plan(scenario)
            .map_err(|e| e.to_string())?;
        for (l, w) in line.iter_mut().zip(&weighted) {
            *l = l.checked_add(*w).map_err(|e| e.to_string())?;
        }
        if !matches!(option.build, Build::Ramp { .. })
            || option.distribution != Distribution::Triangular
            || !matches!(option.status, Status::Proposed)
        {
            return Err(format!(
                "{}: the yardstick reads plain scenarios only (ramps, triangular draws, proposals)",
                option.id
            ));
        }
        let risk = Risk::of(option);
        let (low, central, high) = (
            f(option.saving.low),
            f(option.saving.central),
            f(option.saving.high),
        );
        if risk.fail.value().is_zero() && risk.slip_months.0 == risk.slip_months.1 && low == high {
            // The same in every trial: off the line, out of D.
            for (l, d) in line.iter_mut().zip(&projected.figures.in_year.central) {
                *l = l.checked_sub(*d).map_err(|e| e.to_string())?;
            }
            continue;
        }
        let mut table = Vec::new();
        for slip in risk.slip_months.0..=risk.slip_months.1 {
            match slipped(option, slip).map_err(|e| e.to_string())? {
                Some(moved) => {
                    let factors = Source::of(&moved)
                        .unit_factors(scenario)
                        .map_err(|e| e.to_string())?;
                    table.extend(factors.iter().map(|x| f(*x)));
                }
                None => table.extend(std::iter::repeat_n(0.0, horizon)),
            }
        }
        let opt = Opt {
            drawn: high > low,
            low,
            high,
            range: high - low,
            left: central - low,
            right: high - central,
            table,
        };
        match groups
            .iter_mut()
            .find(|(k, _)| option.group.is_some() && *k == option.group)
        {
            Some((_, g)) => g.options.push(opt),
            None => groups.push((
                option.group.clone(),
                Group {
                    fail: risk.fail.value().to_f64().unwrap_or(0.0),
                    slip_min: risk.slip_months.0,
                    slip_max: risk.slip_months.1,
                    options: vec![opt],
                },
            )),
        }
    }
    let groups: Vec<Group> = groups.into_iter().map(|(_, g)| g).collect();
    let mut stored = Vec::new();
    let mut column_of = Vec::new();
    for t in 0..horizon {
        let same = t > 0
            && groups.iter().flat_map(|g| &g.options).all(|o| {
                o.table
                    .chunks(horizon)
                    .all(|row| row[t].to_bits() == row[t - 1].to_bits())
            });
        if !same {
            stored.push(t);
        }
        column_of.push(stored.len() - 1);
    }
    Ok(Model {
        horizon,
        groups,
        line: line.into_iter().map(f).collect(),
        stored,
        column_of,
    })
}

/// A block's sums of D per stored year and its counts of closed years.
type BlockSums = (Vec<f64>, Vec<u64>);

/// A block of trials to run: its index, its generator and its slices of the columns.
type Block<'a> = (usize, Rng, Vec<&'a mut [f64]>);

/// One block of trials: D per stored year into `columns`; returns its sums and closed counts.
fn run_block(model: &Model, mut rng: Rng, columns: &mut [&mut [f64]]) -> BlockSums {
    let h = model.horizon;
    let mut sums = vec![0.0; columns.len()];
    let mut closed = vec![0u64; h];
    let mut d = vec![0.0; h];
    let trials = columns.first().map_or(0, |c| c.len());
    for trial in 0..trials {
        d.fill(0.0);
        for g in &model.groups {
            let failed = g.fail > 0.0 && rng.random::<f64>() < g.fail;
            let slip = if g.slip_max > g.slip_min {
                (rng.random_range(g.slip_min..=g.slip_max) - g.slip_min) as usize
            } else {
                0
            };
            for o in &g.options {
                let u = if o.drawn { rng.random::<f64>() } else { 0.0 };
                if failed {
                    continue;
                }
                // The triangular inverse, without a branch on u.
                let scaled = u * o.range;
                let left = f64::from(u8::from(scaled < o.left));
                let right = 1.0 - left;
                let root =
                    (left * (scaled * o.left) + right * ((o.range - scaled) * o.right)).sqrt();
                let s = left * (o.low + root) + right * (o.high - root);
                for (x, factor) in d.iter_mut().zip(&o.table[slip * h..(slip + 1) * h]) {
                    *x += s * factor;
                }
            }
        }
        for ((column, &t), sum) in columns.iter_mut().zip(&model.stored).zip(&mut sums) {
            column[trial] = d[t];
            *sum += d[t];
        }
        for ((x, line), c) in d.iter().zip(&model.line).zip(&mut closed) {
            *c += u64::from(x * (1.0 + RELATIVE_TIE) >= *line);
        }
    }
    (sums, closed)
}

/// numpy's linear percentiles P10, P50, P90 of `v` (reordered), by selection: the median
/// first, then P10 and P90 within the halves either side.
fn percentiles(v: &mut [f64]) -> [f64; 3] {
    let n = v.len();
    let rank = |q: f64| {
        let h = (n - 1) as f64 * q;
        let lower = (h.floor() as usize).min(n - 1);
        (lower, h - lower as f64)
    };
    let middle = rank(0.5).0;
    v.select_nth_unstable_by(middle, f64::total_cmp);
    let (left, rest) = v.split_at_mut(middle);
    let (pivot, right) = rest.split_at_mut(1);
    let pivot = pivot[0];
    let mut at = |q: f64| {
        let (lower, t) = rank(q);
        let (a, b) = if lower < middle {
            let (_, a, after) = left.select_nth_unstable_by(lower, f64::total_cmp);
            (*a, after.iter().copied().fold(pivot, f64::min))
        } else if lower == middle {
            (pivot, right.iter().copied().fold(f64::INFINITY, f64::min))
        } else {
            let (_, a, after) = right.select_nth_unstable_by(lower - middle - 1, f64::total_cmp);
            (*a, after.iter().copied().fold(f64::INFINITY, f64::min))
        };
        if t == 0.0 || lower + 1 >= n {
            a
        } else if t >= 0.5 {
            b - (b - a) * (1.0 - t)
        } else {
            a + (b - a) * t
        }
    };
    [at(0.1), at(0.5), at(0.9)]
}

fn main() -> ExitCode {
    let mut scenario = "builtin:".to_string();
    let (mut trials, mut seed, mut threads) = (1_000_000usize, 20140515u64, 0usize);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Option<u64> {
            let value = args.next().and_then(|v| v.parse().ok());
            if value.is_none() {
                eprintln!("mc_yardstick: {name} needs a whole number");
            }
            value
        };
        match arg.as_str() {
            "--trials" => match number("--trials") {
                Some(n) if n > 0 => trials = n as usize,
                _ => return ExitCode::from(2),
            },
            "--seed" => match number("--seed") {
                Some(n) => seed = n,
                None => return ExitCode::from(2),
            },
            "--threads" => match number("--threads") {
                Some(n) => threads = n as usize,
                None => return ExitCode::from(2),
            },
            _ => scenario = arg,
        }
    }
    if threads == 0 {
        threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    }
    let model = match load(&Input::from_arg(&scenario))
        .map_err(|e| format!("{e:?}"))
        .and_then(|loaded| model(&loaded.scenario))
    {
        Ok(model) => model,
        Err(e) => {
            eprintln!("mc_yardstick: {scenario}: {e}");
            return ExitCode::from(2);
        }
    };

    let block = trials.div_ceil(64).clamp(1024, 16384);
    let blocks = trials.div_ceil(block);
    let mut columns: Vec<Vec<f64>> = model.stored.iter().map(|_| vec![0.0; trials]).collect();
    // Per block: its generator and its slices of the columns, dealt to the threads in turn.
    let mut stream = Rng::seed_from_u64(seed);
    let mut chunks: Vec<_> = columns.iter_mut().map(|c| c.chunks_mut(block)).collect();
    let mut shares: Vec<Vec<Block>> = (0..threads).map(|_| Vec::new()).collect();
    for b in 0..blocks {
        let slices = chunks.iter_mut().filter_map(Iterator::next).collect();
        shares[b % threads].push((b, stream.clone(), slices));
        stream.jump();
    }
    let model = &model;
    let mut results: Vec<(usize, BlockSums)> = std::thread::scope(|scope| {
        let handles: Vec<_> = shares
            .into_iter()
            .map(|share| {
                scope.spawn(move || {
                    share
                        .into_iter()
                        .map(|(b, rng, mut slices)| (b, run_block(model, rng, &mut slices)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    results.sort_by_key(|(b, _)| *b);
    // Block sums merged in block order with compensation (Neumaier).
    let mut sums = vec![(0.0f64, 0.0f64); model.stored.len()];
    let mut closed = vec![0u64; model.horizon];
    for (_, (block_sums, block_closed)) in &results {
        for ((sum, compensation), x) in sums.iter_mut().zip(block_sums) {
            let t = *sum + x;
            *compensation += if sum.abs() >= x.abs() {
                (*sum - t) + x
            } else {
                (x - t) + *sum
            };
            *sum = t;
        }
        closed
            .iter_mut()
            .zip(block_closed)
            .for_each(|(a, b)| *a += b);
    }
    // The percentiles, a column a thread at a time.
    let mut spreads: Vec<[f64; 3]> = Vec::new();
    std::thread::scope(|scope| {
        let mut shares: Vec<Vec<(usize, &mut Vec<f64>)>> =
            (0..threads).map(|_| Vec::new()).collect();
        for (i, column) in columns.iter_mut().enumerate() {
            shares[i % threads].push((i, column));
        }
        let handles: Vec<_> = shares
            .into_iter()
            .map(|share| {
                scope.spawn(move || {
                    share
                        .into_iter()
                        .map(|(i, column)| (i, percentiles(column)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let mut all: Vec<(usize, [f64; 3])> = handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect();
        all.sort_by_key(|(i, _)| *i);
        spreads = all.into_iter().map(|(_, s)| s).collect();
    });
    println!("year  D mean  D p10  D p50  D p90  R mean  P(closed)");
    for t in 0..model.horizon {
        let c = model.column_of[t];
        let mean = (sums[c].0 + sums[c].1) / trials as f64;
        let [p10, p50, p90] = spreads[c];
        let r_mean = model.line[t] - mean;
        let closed = closed[t] as f64 / trials as f64;
        println!("{t} {mean} {p10} {p50} {p90} {r_mean} {closed}");
    }
    ExitCode::SUCCESS
}
