//! The command line (clap derive): commands, flags and their `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::analysis::appraisal::SortKey;
use crate::output::Format;
use crate::scenario::Override;

/// Savings modeller for council finance officers: projects how service-review savings build
/// up over ten years and tests them against the MTFP's planned savings and unidentified gap.
#[derive(Debug, Parser)]
#[command(
    name = "savings",
    version,
    after_help = "With no command, runs the built-in Kent scenario (Facing the Challenge, Phase 1, May 2014) as a table.\n\n\
The model (how savings, planned savings, the gap, NPV and the simulation are counted) is explained in docs/model.md; every scenario field is listed in README.md.\n\n\
Exit codes: 0 success; 1 a check asked for failed (--check-plan, --check-gap, --check-same, --check-delivery, --check-totals) or a goal cannot be reached; 2 bad input or usage.\n\n\
Examples:\n  savings\n  savings run scenarios/kcc-2014-phase1.toml --format csv > kent.csv\n  savings run --set scenario.overlap=0.5 --option libraries=in-house\n  savings compare builtin: scenarios/kcc-2014-outturn.toml\n  savings check a.toml b.toml"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Treat warnings about a scenario (a go-live after the horizon, a figure in a year after
    /// it, a service deferred without deferred = true, a gap year no saving can reach) as
    /// errors: print them and exit 2 without output. For scripts
    #[arg(long, global = true)]
    pub deny_warnings: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Project a scenario and print the savings year by year, per service and in total
    #[command(
        after_help = "Examples:\n  savings run                                   # the built-in Kent scenario\n  savings run my.toml --format markdown         # for a committee paper\n  savings run my.toml --format json | jq .summary\n  cat my.toml | savings run - --format csv\n  savings run --set scenario.overlap=0.5 --defer property\n  savings run my.toml --check-plan --check-gap  # exit 1 if a check fails"
    )]
    Run(RunArgs),
    /// Validate scenarios and compute their projections without printing anything: exit 0 if
    /// every one is valid, 2 (with a message for each problem) if not. Warnings about likely
    /// slips are printed too; with --deny-warnings they fail the check
    #[command(
        after_help = "Examples:\n  savings check scenarios/*.toml\n  savings check - < my.toml\n  savings check --deny-warnings scenarios/*.toml   # warnings fail it too"
    )]
    Check(CheckArgs),
    /// Appraise every option of every service side by side: steady-state saving, total over
    /// the horizon, NPV, payback, meets-plan margins, contribution
    #[command(
        after_help = "Examples:\n  savings options                      # every option of the Kent scenario\n  savings options my.toml --by npv     # best net present value first\n  savings options --format csv > options.csv"
    )]
    Options(OptionsArgs),
    /// Compare scenarios side by side, with differences from the first (B - A)
    #[command(
        after_help = "Examples:\n  savings compare builtin: scenarios/kcc-2014-outturn.toml    # plan against outturn\n  savings compare my.toml --against '--set scenario.overlap=0.5'\n  savings compare a.toml b.toml --check-same                  # exit 1 if they differ"
    )]
    Compare(CompareArgs),
    /// Vary one or two inputs over a range, like a spreadsheet data table
    #[command(
        after_help = "Examples:\n  savings sweep --vary scenario.overlap=0:1:0.25\n  savings sweep --vary 'service[legal].option[abs-partner].saving.central=0.5,1,1.5'\n  savings sweep --vary scenario.overlap=0,1 --vary scenario.discount_rate=0.035,0.05"
    )]
    Sweep(SweepArgs),
    /// Monte Carlo: the chance each gap year closes and each service meets its plan, and the
    /// spread of the figures, from random draws of savings, failures and slippage
    #[command(
        after_help = "Examples:\n  savings simulate                                  # the Kent scenario, 100,000 trials\n  savings simulate my.toml --trials 1000000 --seed 7\n  savings simulate --format csv > simulation.csv\n\nThe same scenario, seed and trials give byte-identical output whatever --threads is.\n\nOn a plan: a saving written year by year takes one draw a trial, read through each year's own low, central and high; a slip moves it later month by month; approved lines are drawn like proposals and measured against their own plan; in-base and withdrawn lines are not drawn (docs/model.md section 9.2)."
    )]
    Simulate(SimulateArgs),
    /// Which inputs matter most: a tornado and switching values
    #[command(
        after_help = "Examples:\n  savings sensitivity                                # the Kent scenario\n  savings sensitivity my.toml --format csv > tornado.csv\n\nEach input with a range is moved to its low and its high, everything else central; switching values say how far an input can move before a gap year reopens or closes, or a service stops meeting its plan.\n\nOn a plan: a saving written year by year moves between its low and high profiles and switches as a factor on its central profile; pressure and funding lines with a low or high, and reserves, join the tornado; in-base and withdrawn lines do not move."
    )]
    Sensitivity(SensitivityArgs),
    /// Write a report to hand on: Markdown, HTML, a spreadsheet with live formulas, charts
    #[command(
        after_help = "Examples:\n  savings report --output kent.md                    # the format from the extension\n  savings report --output kent.html --simulate --trials 100000\n  savings report --output kent.xlsx\n  savings report --output kent.svg\n  savings report my.toml --format md > paper.md"
    )]
    Report(ReportArgs),
    /// Find the value of one input that reaches a target (goal seek)
    #[command(
        after_help = "Examples:\n  savings solve --target gap-closed=2016/17 --vary 'service[hr].option[jv].saving.central'\n  savings solve --target meets-plan=legal --vary 'service[legal].option[abs-partner].saving.central'\n  savings solve --target ten-year-total=200 --vary 'service[property].option[latco].saving.central'\n  savings solve --target gap-closed=2016/17 --vary 'service[hr].option[jv].start'\n  savings solve scenarios/worked-example-plan.toml --target gap-closed=2027/28 --vary 'service[c].saving.factor'\n\nOn a plan, vary one year's level (service[c].saving.levels.\"2026/27\") or a whole saving by a factor (service[c].saving.factor): the answer is a factor on the saving as written, with the --set that reproduces it."
    )]
    Solve(SolveArgs),
    /// The monitoring report of a tracked plan: per line, grouped by area, the current year's
    /// plan, delivered or forecast, variance and RAG; totals by RAG and status; savings at
    /// risk; the remaining gap as planned, as forecast and risk-adjusted
    #[command(
        after_help = "Examples:\n  savings track scenarios/monitoring-example.toml\n  savings track scenarios/monitoring-example-q2.toml --since scenarios/monitoring-example.toml\n  savings track my.toml --format csv > monitoring.csv\n  savings track my.toml --check-delivery      # exit 1 if a line is red or below plan\n\nThe scenario needs [scenario] as_at, the month its figures describe (docs/model.md section 10)."
    )]
    Track(TrackArgs),
    /// Turn a council's savings spreadsheet (xlsx, xlsm, ods or csv) into a scenario: finds
    /// the table by its year headings, reads each line with its cells cited, checks the
    /// sheet's totals, and writes the scenario's TOML
    #[command(
        after_help = "Examples:\n  savings import plan.xlsx --output plan.toml\n  savings import plan.xlsx --sheet \"Savings 2025-28\" --amounts increments\n  savings import tracker.csv --columns ref=A,line=B,area=C,status=D,rag=E --output q2.toml\n  savings import plan.xlsx --status \"Still to be confirmed=approved\" --check-totals --dry-run\n  savings import plan.xlsx --dry-run          # what it found, cell by cell; writes nothing\n\nExit codes: 0 imported; 1 --check-totals found a total that does not add up (the scenario is still written); 2 the sheet or the flags have a problem (every one is listed, nothing is written). The rules are in docs/model.md section 11.\n\nA workbook written by savings report --format xlsx reads back whole into the scenario it holds, with what was typed on its Inputs and Tracker (docs/model.md section 12):\n  savings import monitoring.xlsx --output monitoring-q3.toml"
    )]
    Import(ImportArgs),
    /// Print the JSON schema of the `--format json` outputs
    #[command(after_help = "Example:\n  savings schema > savings-modeller-1.schema.json")]
    Schema,
    /// Print a shell completion script
    #[command(
        after_help = "Examples:\n  savings completions bash > ~/.local/share/bash-completion/completions/savings\n  savings completions zsh > ~/.zfunc/_savings"
    )]
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff)
    #[command(after_help = "Example:\n  savings man > savings.1 && man ./savings.1")]
    Man,
}

/// Changes to the scenario for this run only, without editing files. They act before
/// validation, so the result is checked exactly as a file would be. `--set` changes are
/// applied in the order given, then `--option`, then `--defer`.
#[derive(Debug, Default, Args)]
pub struct OverrideArgs {
    /// Set a field: PATH as error messages print it
    /// (service[legal].option[abs-partner].saving.central), VALUE a TOML value (numbers as
    /// written, text in quotes: start="2017-06"). Repeatable
    ///
    /// Figures by year are each year's own amount, not a running total: `planned` and
    /// `gap.unidentified` give what is NEW in that year. An MTFS line reading 10 in 2015/16
    /// and 25 (cumulative) in 2016/17 is planned = { "2015/16" = 10, "2016/17" = 15 }, so
    /// --set 'service[legal].planned."2016/17"=15'; written as levels, planned = { levels =
    /// { "2015/16" = 10, "2016/17" = 25 } }, it is --set
    /// 'service[legal].planned.levels."2016/17"=25' (a table keeps its form). `one_off_cost`
    /// is what is spent in that year; `gap.required` is that year's requirement, for context;
    /// a `ramp` step is the share of the saving reached that year (docs/model.md sections 7
    /// and 9)
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = Override::set)]
    pub set: Vec<Override>,

    /// Take another option forward for a service (as `choose` in the file), even a deferred
    /// one. Repeatable, once per service
    #[arg(long = "option", value_name = "SERVICE=OPTION", value_parser = Override::choose)]
    pub option: Vec<Override>,

    /// Treat a service as deferred: no option taken forward (as `deferred = true` in the
    /// file). Repeatable, once per service
    #[arg(long = "defer", value_name = "SERVICE", value_parser = Override::defer)]
    pub defer: Vec<Override>,
}

impl OverrideArgs {
    /// Every override, in the order they are applied.
    pub fn all(&self) -> Vec<Override> {
        self.set
            .iter()
            .chain(&self.option)
            .chain(&self.defer)
            .cloned()
            .collect()
    }
}

/// How and where to write the output.
#[derive(Debug, Args)]
pub struct OutputArgs {
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
}

impl Default for OutputArgs {
    fn default() -> Self {
        Self {
            format: Format::Table,
            dp: 1,
            output: None,
        }
    }
}

#[derive(Debug, Default, Args)]
pub struct RunArgs {
    /// Scenario file (TOML). `-` reads standard input; `builtin:` or nothing runs the built-in
    /// Kent scenario
    pub scenario: Option<String>,

    #[command(flatten)]
    pub overrides: OverrideArgs,

    #[command(flatten)]
    pub output: OutputArgs,

    /// Exit 1 if any option taken forward fails "meets planned savings" in an MTFP year
    /// (central case); the failing services are named on standard error
    #[arg(long)]
    pub check_plan: bool,

    /// Exit 1 if any year with an unidentified gap given is not closed in the central case;
    /// the open years are named on standard error
    #[arg(long)]
    pub check_gap: bool,

    /// Add text bar charts of the build-up and the remaining gap (table and Markdown formats)
    #[arg(long)]
    pub chart: bool,

    /// Count tracked delivery risk-adjusted (docs/model.md section 10): each line with a RAG
    /// rating at the confidence of its rating ([tracking] confidence; green 1, amber 0.5,
    /// red 0 by default), in every year without a delivered figure. Every figure and format
    /// follows, the CSV included
    #[arg(long)]
    pub risk_adjusted: bool,
}

#[derive(Debug, Args)]
pub struct TrackArgs {
    /// Scenario file (TOML) with `as_at`; `-` reads standard input
    pub scenario: Option<String>,

    /// An earlier report on the same plan (a scenario file with an earlier `as_at`): adds the
    /// movement since it, line by line and in total (delivery in this report's current year
    /// then and now, RAG then and now). Lines are matched by service and option
    #[arg(long, value_name = "EARLIER.toml")]
    pub since: Option<String>,

    /// Exit 1 if any line is rated red, or an approved line delivers or is forecast below its
    /// plan in the current year; the lines are named on standard error
    #[arg(long)]
    pub check_delivery: bool,

    #[command(flatten)]
    pub overrides: OverrideArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Scenario files (TOML); `-` reads standard input; none checks the built-in scenario
    pub scenarios: Vec<String>,

    #[command(flatten)]
    pub overrides: OverrideArgs,
}

#[derive(Debug, Args)]
pub struct OptionsArgs {
    /// Scenario file (TOML); `-` reads standard input; none is the built-in scenario
    pub scenario: Option<String>,

    /// Order of the options: `file` keeps each service's options together in file order;
    /// the others rank every option (largest first, payback earliest first)
    #[arg(long, value_enum, default_value_t = SortKey::File)]
    pub by: SortKey,

    #[command(flatten)]
    pub overrides: OverrideArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Scenario files: the first is A, the others are compared with it. `builtin:` is the
    /// built-in scenario. One file with --against compares it with itself changed
    #[arg(required = true, num_args = 1..)]
    pub scenarios: Vec<String>,

    /// Overrides that make variant B from the one scenario given, as they would be typed:
    /// '--set scenario.overlap=0.5 --option libraries=in-house'
    #[arg(long, value_name = "OVERRIDES", allow_hyphen_values = true)]
    pub against: Option<String>,

    /// Exit 1 if the scenarios differ in any figure
    #[arg(long)]
    pub check_same: bool,

    #[command(flatten)]
    pub overrides: OverrideArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Scenario file (TOML); `-` reads standard input; none is the built-in scenario
    pub scenario: Option<String>,

    /// PATH=START:END:STEP or PATH=V1,V2,...: the values to try for one field, exact
    /// decimals (0:1:0.1 lands on 0.3, not 0.30000000000000004). Give one, or two for a grid
    #[arg(long, required = true, value_name = "PATH=VALUES", num_args = 1, action = clap::ArgAction::Append)]
    pub vary: Vec<String>,

    /// Worker threads (default: one per core); the results do not depend on it
    #[arg(long)]
    pub threads: Option<usize>,

    #[command(flatten)]
    pub overrides: OverrideArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct SolveArgs {
    /// Scenario file (TOML); `-` reads standard input; none is the built-in scenario
    pub scenario: Option<String>,

    /// What to reach: gap-closed=YEAR (the remaining gap is zero or less), meets-plan=SERVICE
    /// (the service meets its planned savings in every MTFP year), ten-year-total=AMOUNT (the
    /// total saving over the horizon is at least AMOUNT)
    #[arg(long, value_name = "TARGET")]
    pub target: String,

    /// The field to vary: a saving or other figure (the smallest value that reaches the
    /// target), a whole saving by a factor (service[x].saving.factor, for a saving written year
    /// by year), or an option's start (the latest month that still reaches it)
    #[arg(long, value_name = "PATH")]
    pub vary: String,

    /// The case the target is tested in
    #[arg(long, value_enum, default_value_t = CaseArg::Central)]
    pub case: CaseArg,

    #[command(flatten)]
    pub overrides: OverrideArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Scenario file (TOML); `-` reads standard input; none is the built-in scenario
    pub scenario: Option<String>,

    /// Number of trials (at most 10,000,000)
    #[arg(long, default_value_t = 100_000)]
    pub trials: u64,

    /// Seed of the random streams; the same seed gives the same results
    #[arg(long, default_value_t = crate::analysis::simulate::DEFAULT_SEED)]
    pub seed: u64,

    /// Worker threads (default: one per core); the results do not depend on it
    #[arg(long)]
    pub threads: Option<usize>,

    /// Add a text chart of the simulated remaining gap (table and Markdown formats)
    #[arg(long)]
    pub chart: bool,

    #[command(flatten)]
    pub overrides: OverrideArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct SensitivityArgs {
    /// Scenario file (TOML); `-` reads standard input; none is the built-in scenario
    pub scenario: Option<String>,

    #[command(flatten)]
    pub overrides: OverrideArgs,

    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Scenario file (TOML); `-` reads standard input; none is the built-in scenario
    pub scenario: Option<String>,

    /// Report format; by default the --output file's extension (.md, .html, .xlsx, .svg, .png)
    #[arg(short, long, value_enum)]
    pub format: Option<crate::report::ReportFormat>,

    /// Write to FILE (atomically) instead of standard output; xlsx and png need a file or a
    /// pipe, never a terminal
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Include the Monte Carlo: the P10-P90 fan and the chance each year closes
    #[arg(long)]
    pub simulate: bool,

    /// Trials for --simulate (at most 10,000,000)
    #[arg(long, default_value_t = 100_000, requires = "simulate")]
    pub trials: u64,

    /// Seed for --simulate
    #[arg(long, default_value_t = crate::analysis::simulate::DEFAULT_SEED, requires = "simulate")]
    pub seed: u64,

    /// Worker threads for --simulate (default: one per core); the results do not depend on it
    #[arg(long, requires = "simulate")]
    pub threads: Option<usize>,

    /// Decimal places for money shown rounded (the spreadsheet keeps every figure exact)
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(0..=10))]
    pub dp: u32,

    #[command(flatten)]
    pub overrides: OverrideArgs,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The spreadsheet: .xlsx, .xlsm, .ods or .csv
    pub file: PathBuf,

    /// Write the scenario to FILE (atomically; never the spreadsheet itself) instead of
    /// standard output
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// The sheet to read (default: the first sheet that holds a savings table)
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,

    /// The header row, counting from 1 (default: the first row of year headings)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1_048_576))]
    pub header_row: Option<u32>,

    /// Which column holds what, as ROLE=COLUMN pairs: ref, line (the saving's name), area,
    /// status, rag, and plan years (2025/26=F); columns as letters (A to XFD) or numbers from
    /// 1. Overrides what the headings say. Repeatable
    #[arg(long, value_name = "ROLE=COL,...")]
    pub columns: Vec<String>,

    /// Whether the plan's figures are levels (cumulative: the saving in force each year) or
    /// increments (new each year). Required unless a heading says "cumulative", "in-year",
    /// "new" or "incremental"
    #[arg(long, value_enum)]
    pub amounts: Option<AmountsArg>,

    /// The unit of the figures where the sheet names none: £000 or £m (£k, £'000 and £million
    /// are read as those), or any short text. Figures are never scaled
    #[arg(long, value_name = "UNIT")]
    pub unit: Option<String>,

    /// How the sheet prints savings: as negative figures (each is multiplied by -1) or
    /// positive. Needed only where the lines' figures have both signs
    #[arg(long, value_enum)]
    pub savings_sign: Option<SignArg>,

    /// Read a status word as a status (approved, proposed, in-base, withdrawn), adding to or
    /// overriding the words known; `=approved` (no word) is a blank status cell. Repeatable
    #[arg(long, value_name = "WORD=STATUS")]
    pub status: Vec<String>,

    /// Read a RAG word as a rating (red, amber, green, blue); `=green` is a blank cell.
    /// Repeatable
    #[arg(long, value_name = "WORD=RAG")]
    pub rag: Vec<String>,

    /// The scenario's base year (default: the year before the first year column)
    #[arg(long, value_name = "YYYY/YY")]
    pub base_year: Option<String>,

    /// Add the lines to this scenario (its base year, horizon, unit and gap): the file written
    /// extends it, and holds only the lines
    #[arg(long, value_name = "SCENARIO.toml")]
    pub extends: Option<String>,

    /// The month delivered and forecast figures describe (needed where the sheet has them)
    #[arg(long, value_name = "YYYY-MM")]
    pub as_at: Option<String>,

    /// Exit 1 if a total row does not add up to the lines it covers (each mismatch is named
    /// on standard error; without this flag they are warnings)
    #[arg(long)]
    pub check_totals: bool,

    /// Print what the import found, cell by cell, and write nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// `--amounts`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AmountsArg {
    Levels,
    Increments,
}

/// `--savings-sign`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SignArg {
    Negative,
    Positive,
}

/// A deterministic case, for the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CaseArg {
    Low,
    Central,
    High,
}

impl From<CaseArg> for crate::model::Case {
    fn from(case: CaseArg) -> Self {
        match case {
            CaseArg::Low => crate::model::Case::Low,
            CaseArg::Central => crate::model::Case::Central,
            CaseArg::High => crate::model::Case::High,
        }
    }
}
