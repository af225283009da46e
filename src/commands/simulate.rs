//! `savings simulate`: Monte Carlo over the scenario's risks and ranges.

use anyhow::Result;

use super::{Warnings, destination, emit, load};
use crate::analysis::simulate::{self, Progress, Settings};
use crate::cli::SimulateArgs;
use crate::exit::Exit;
use crate::output::simulate::SimulateReport;

pub fn run(args: &SimulateArgs, warnings: &Warnings) -> Result<Exit> {
    let projected = load(args.scenario.as_deref(), &args.overrides.all(), warnings)?;
    let to = destination(args.output.output.as_deref(), [&projected.loaded.sources])?;
    let scenario = &projected.loaded.scenario;
    let simulation = simulated_with(
        scenario,
        Some(&projected.projection),
        args.trials,
        args.seed,
        args.threads,
    )?;
    let report = SimulateReport {
        scenario,
        simulation: &simulation,
        source: projected.file_name(),
        extends: projected.extends(),
        overrides: &projected.loaded.overrides,
        dp: args.output.dp,
        chart: args.chart,
    };
    emit(&report, &args.output, &to)?;
    Ok(Exit::Success)
}

/// Runs the Monte Carlo of `scenario` as the command line asks (threads: one per core by
/// default), refusing a run too large before it starts, with a progress bar on a terminal.
pub fn simulated(
    scenario: &crate::model::Scenario,
    trials: u64,
    seed: u64,
    threads: Option<usize>,
) -> Result<simulate::Simulation> {
    simulated_with(scenario, None, trials, seed, threads)
}

/// [`simulated`], reusing the scenario's projection where the caller has it.
pub fn simulated_with(
    scenario: &crate::model::Scenario,
    projection: Option<&crate::projection::Projection>,
    trials: u64,
    seed: u64,
    threads: Option<usize>,
) -> Result<simulate::Simulation> {
    let settings = Settings {
        trials,
        seed,
        threads: threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .max(1),
    };
    simulate::check(&settings, scenario)?;
    let progress = Progress::new(settings.trials);
    let advance = |done| progress.advance(done);
    let result = match projection {
        Some(projection) => simulate::simulate_projected(scenario, projection, settings, &advance),
        None => simulate::simulate(scenario, settings, &advance),
    };
    progress.finish();
    Ok(result?)
}
