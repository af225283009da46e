//! `savings options`: every option of every service, appraised side by side.

use anyhow::Result;

use super::{Warnings, destination, emit, load};
use crate::analysis::appraisal;
use crate::cli::OptionsArgs;
use crate::exit::Exit;
use crate::output::options::OptionsReport;
use crate::output::{Format, check_output_rows};

pub fn run(args: &OptionsArgs, warnings: &Warnings) -> Result<Exit> {
    let projected = load(args.scenario.as_deref(), &args.overrides.all(), warnings)?;
    let to = destination(args.output.output.as_deref(), [&projected.loaded.sources])?;
    let scenario = &projected.loaded.scenario;
    if matches!(args.output.format, Format::Csv | Format::Json) {
        // Per option: five measures in three cases a year, then the figures over the horizon.
        let options: u64 = scenario
            .services
            .iter()
            .map(|s| s.options.len() as u64)
            .sum();
        let per_option = 15 * u64::from(scenario.horizon) + 9;
        check_output_rows(
            options.saturating_mul(per_option),
            "this appraisal of every option",
            "appraise fewer options or a shorter horizon",
        )?;
    }
    let mut entries = appraisal::appraise(scenario).map_err(|e| {
        projected
            .loaded
            .sources
            .diagnostic_for_field(e.field.as_deref(), e.to_string())
    })?;
    appraisal::sort(&mut entries, args.by);
    let report = OptionsReport {
        scenario,
        entries: &entries,
        by: args.by,
        source: projected.file_name(),
        extends: projected.extends(),
        overrides: &projected.loaded.overrides,
        dp: args.output.dp,
    };
    emit(&report, &args.output, &to)?;
    Ok(Exit::Success)
}
