//! `savings report`: a report to hand on, in the format asked for or named by the file.

use std::io::IsTerminal;

use anyhow::{Result, bail};

use super::{Warnings, destination, load};
use crate::cli::ReportArgs;
use crate::exit::Exit;
use crate::report::{ReportFormat, ReportInput, notes};
use crate::scenario::shown_path;

pub fn run(args: &ReportArgs, warnings: &Warnings) -> Result<Exit> {
    let format = match (args.format, &args.output) {
        (Some(format), _) => format,
        (None, Some(path)) => ReportFormat::of_path(path).ok_or_else(|| {
            anyhow::anyhow!(
                "cannot tell the report format from {}: name a file ending .md, .html, .xlsx, .svg or .png, or give --format",
                shown_path(path)
            )
        })?,
        (None, None) => bail!("give --format (md, html, xlsx, svg or png) or an --output file"),
    };
    if format.is_binary() && args.output.is_none() && std::io::stdout().is_terminal() {
        bail!(
            "a {} report is binary: write it to a file with --output, or pipe it",
            if format == ReportFormat::Xlsx {
                "xlsx"
            } else {
                "png"
            }
        );
    }
    let projected = load(args.scenario.as_deref(), &args.overrides.all(), warnings)?;
    let to = destination(args.output.as_deref(), [&projected.loaded.sources])?;
    let scenario = &projected.loaded.scenario;
    let simulation = if args.simulate {
        Some(super::simulate::simulated(
            scenario,
            args.trials,
            args.seed,
            args.threads,
        )?)
    } else {
        None
    };
    let notes = notes::collect(&projected.loaded);
    let input = ReportInput {
        scenario,
        projection: &projected.projection,
        simulation: simulation.as_ref(),
        file: projected.file_name(),
        extends: projected.extends(),
        overrides: &projected.loaded.overrides,
        notes: &notes,
        dp: args.dp,
    };
    to.write(|out| format.write(&input, out))?;
    Ok(Exit::Success)
}
