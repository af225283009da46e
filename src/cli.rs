//! The command line (clap derive): commands, flags and their `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::output::Format;

/// Savings modeller for council finance officers: projects how service-review savings build
/// up over ten years and tests them against the MTFP's planned savings and unidentified gap.
#[derive(Debug, Parser)]
#[command(
    name = "savings",
    version,
    after_help = "With no command, runs the built-in Kent scenario (Facing the Challenge, Phase 1, May 2014) as a table.\n\n\
Exit codes: 0 success; 1 a check asked for (--check-plan, --check-gap) failed; 2 bad input or usage.\n\n\
Examples:\n  savings\n  savings run scenarios/kcc-2014-phase1.toml --format csv > kent.csv\n  savings run my.toml --check-plan --check-gap\n  savings check a.toml b.toml"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Project a scenario and print the savings year by year, per service and in total
    #[command(
        after_help = "Examples:\n  savings run                                   # the built-in Kent scenario\n  savings run my.toml --format markdown         # for a committee paper\n  savings run my.toml --format json | jq .summary\n  cat my.toml | savings run - --format csv\n  savings run my.toml --check-plan --check-gap  # exit 1 if a check fails"
    )]
    Run(RunArgs),
    /// Validate scenarios and compute their projections without printing anything: exit 0 if
    /// every one is valid, 2 (with a message for each bad one) if not
    #[command(
        after_help = "Examples:\n  savings check scenarios/*.toml\n  savings check - < my.toml"
    )]
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario file (TOML). `-` reads standard input; `builtin:` or nothing runs the built-in
    /// Kent scenario
    pub scenario: Option<String>,

    /// Output format
    #[arg(short, long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Decimal places for money in the table and Markdown (display only; CSV and JSON are
    /// always exact)
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(0..=10))]
    pub dp: u32,

    /// Write to FILE instead of standard output (atomically: a failed run leaves no file)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit 1 if any option taken forward fails "meets planned savings" in an MTFP year
    /// (central case); the failing services are named on standard error
    #[arg(long)]
    pub check_plan: bool,

    /// Exit 1 if any year with an unidentified gap given is not closed in the central case;
    /// the open years are named on standard error
    #[arg(long)]
    pub check_gap: bool,
}

impl Default for RunArgs {
    /// `savings` with no command: the built-in scenario as a table.
    fn default() -> Self {
        Self {
            scenario: None,
            format: Format::Table,
            dp: 1,
            output: None,
            check_plan: false,
            check_gap: false,
        }
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Scenario files (TOML); `-` reads standard input; none checks the built-in scenario
    pub scenarios: Vec<String>,
}
