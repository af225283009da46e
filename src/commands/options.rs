//! `savings options`: every option of every service, appraised side by side.

use anyhow::Result;

use super::{emit, load};
use crate::analysis::appraisal;
use crate::app::Exit;
use crate::cli::OptionsArgs;
use crate::output::options::OptionsReport;

pub fn run(args: &OptionsArgs) -> Result<Exit> {
    let projected = load(args.scenario.as_deref(), &args.overrides.all())?;
    let scenario = &projected.loaded.scenario;
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
    emit(&report, &args.output)?;
    Ok(Exit::Success)
}
