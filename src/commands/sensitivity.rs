//! `savings sensitivity`: the tornado and switching values of the central case.

use anyhow::Result;

use super::{Warnings, destination, emit, load};
use crate::analysis::sensitivity::sensitivity;
use crate::cli::SensitivityArgs;
use crate::exit::Exit;
use crate::output::sensitivity::SensitivityReport;

pub fn run(args: &SensitivityArgs, warnings: &Warnings) -> Result<Exit> {
    let projected = load(args.scenario.as_deref(), &args.overrides.all(), warnings)?;
    let to = destination(args.output.output.as_deref(), [&projected.loaded.sources])?;
    let scenario = &projected.loaded.scenario;
    let result = sensitivity(scenario, &projected.projection).map_err(|e| {
        projected
            .loaded
            .sources
            .diagnostic_for_field(e.field.as_deref(), e.to_string())
    })?;
    let report = SensitivityReport::new(
        scenario,
        &result,
        projected.file_name(),
        projected.extends(),
        &projected.loaded.overrides,
        args.output.dp,
    );
    emit(&report, &args.output, &to)?;
    Ok(Exit::Success)
}
