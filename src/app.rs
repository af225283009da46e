//! Dispatches the parsed command line to its command and says how the run ended.

use anyhow::Result;

use crate::cli::{Cli, Command, RunArgs};
use crate::commands::{self, Warnings};
use crate::exit::Exit;

/// Runs the parsed command line. Errors are bad input (exit 2), reported by `main`.
pub fn run(cli: Cli) -> Result<Exit> {
    let warnings = &Warnings::new(cli.deny_warnings);
    match cli.command {
        None => commands::run::run(&RunArgs::default(), warnings),
        Some(Command::Run(args)) => commands::run::run(&args, warnings),
        Some(Command::Check(args)) => Ok(commands::check::run(&args, warnings)),
        Some(Command::Options(args)) => commands::options::run(&args, warnings),
        Some(Command::Compare(args)) => commands::compare::run(&args, warnings),
        Some(Command::Sweep(args)) => commands::sweep::run(&args, warnings),
        Some(Command::Solve(args)) => commands::solve::run(&args, warnings),
        Some(Command::Simulate(args)) => commands::simulate::run(&args, warnings),
        Some(Command::Sensitivity(args)) => commands::sensitivity::run(&args, warnings),
        Some(Command::Report(args)) => commands::report::run(&args, warnings),
        Some(Command::Track(args)) => commands::track::run(&args, warnings),
        Some(Command::Import(args)) => commands::import::run(&args, warnings),
        Some(Command::Schema) => commands::meta::schema(),
        Some(Command::Completions { shell }) => commands::meta::completions(shell),
        Some(Command::Man) => commands::meta::man(),
    }
}
