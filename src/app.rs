//! The commands: load, project, write. Every command computes the whole projection and its
//! summary before it writes a byte (DOMAIN.md section 6), so bad input or an overflow
//! anywhere is exit 2 with nothing written.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;
use rust_decimal::Decimal;

use crate::cli::{CheckArgs, Cli, Command, RunArgs};
use crate::model::Scenario;
use crate::output::Report;
use crate::output::sink::{Written, write_output};
use crate::projection::{self, Projection};
use crate::scenario::{self, Diagnostic, Input};

/// Exit codes a script can rely on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    /// A check asked for (`--check-plan`, `--check-gap`) failed.
    CheckFailed = 1,
    /// Bad input or usage.
    BadInput = 2,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit as u8)
    }
}

/// Runs the parsed command line. Errors are bad input (exit 2), reported by `main`.
pub fn run(cli: Cli) -> Result<Exit> {
    match cli.command {
        None => run_scenario(&RunArgs::default()),
        Some(Command::Run(args)) => run_scenario(&args),
        Some(Command::Check(args)) => Ok(check(&args)),
    }
}

/// A scenario loaded and projected.
struct Loaded {
    name: String,
    scenario: Scenario,
    projection: Projection,
}

/// Loads, validates and projects the scenario named by `arg` (the built-in one if none).
/// A figure that cannot be computed is reported like bad input, at the field it comes from.
fn load(arg: Option<&str>) -> Result<Loaded, Diagnostic> {
    let input = arg.map_or(Input::Builtin, Input::from_arg);
    let loaded = scenario::load(&input)?;
    let projection = projection::project(&loaded.scenario).map_err(|e| {
        loaded
            .sources
            .diagnostic_for_field(e.field.as_deref(), e.to_string())
    })?;
    Ok(Loaded {
        name: loaded.file_name().to_string(),
        scenario: loaded.scenario,
        projection,
    })
}

fn run_scenario(args: &RunArgs) -> Result<Exit> {
    let loaded = load(args.scenario.as_deref())?;
    let report = Report {
        scenario: &loaded.scenario,
        projection: &loaded.projection,
        source: &loaded.name,
        dp: args.dp,
    };
    let failures = check_failures(&loaded, args);
    let exporter = args.format.exporter();
    let written = write_output(args.output.as_deref(), |out| exporter.write(&report, out))?;
    if written == Written::ReaderGone || failures.is_empty() {
        return Ok(Exit::Success);
    }
    let mut stderr = io::stderr().lock();
    for failure in &failures {
        let _ = writeln!(stderr, "check failed: {failure}");
    }
    Ok(Exit::CheckFailed)
}

/// The failures of the checks asked for, in words.
fn check_failures(loaded: &Loaded, args: &RunArgs) -> Vec<String> {
    let scenario = &loaded.scenario;
    let projection = &loaded.projection;
    let mut failures = Vec::new();
    if args.check_plan {
        for p in &projection.services {
            let test = &p.meets_plan.central;
            if test.holds {
                continue;
            }
            let service = &scenario.services[p.service];
            let short: Vec<String> = test
                .margins
                .iter()
                .filter(|(_, m)| m.amount() < Decimal::ZERO)
                .map(|(y, m)| format!("{y} short by {}", -m.amount()))
                .collect();
            failures.push(format!(
                "--check-plan: service[{}].option[{}] does not meet its planned savings: {}",
                service.id,
                service.options[p.option].id,
                short.join(", ")
            ));
        }
    }
    if args.check_gap {
        for (t, year) in projection.years.iter().enumerate() {
            let remaining = projection.total.remaining_gap.central[t];
            if scenario.gap.unidentified.contains(*year) && remaining.amount() > Decimal::ZERO {
                failures.push(format!(
                    "--check-gap: {year} is not closed: remaining gap {remaining} {} (central case)",
                    scenario.unit
                ));
            }
        }
    }
    failures
}

/// `savings check`: every scenario loaded and projected; a message for each bad one.
fn check(args: &CheckArgs) -> Exit {
    let inputs: Vec<Option<&str>> = if args.scenarios.is_empty() {
        vec![None]
    } else {
        args.scenarios.iter().map(|s| Some(s.as_str())).collect()
    };
    let mut exit = Exit::Success;
    for input in inputs {
        if let Err(err) = load(input) {
            let _ = writeln!(io::stderr().lock(), "error: {err}");
            exit = Exit::BadInput;
        }
    }
    exit
}
