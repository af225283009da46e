//! `savings sweep`: a data table over one or two inputs.

use anyhow::{Result, bail};

use super::{emit, prepare};
use crate::analysis::sweep::{Axis, sweep};
use crate::app::Exit;
use crate::cli::SweepArgs;
use crate::output::sweep::SweepReport;

pub fn run(args: &SweepArgs) -> Result<Exit> {
    if args.vary.len() > 2 {
        bail!(
            "a sweep varies one input, or two for a grid; found {} --vary",
            args.vary.len()
        );
    }
    let axes = args
        .vary
        .iter()
        .map(|v| Axis::parse(v))
        .collect::<Result<Vec<_>, _>>()
        .map_err(anyhow::Error::msg)?;
    let prepared = prepare(args.scenario.as_deref(), &args.overrides.all())?;
    let points = sweep(&prepared, &axes)?;
    let base = prepared.validate()?;
    let report = SweepReport {
        axes: &axes,
        points: &points,
        source: base.file_name(),
        overrides: &prepared.overrides,
        unit: &base.scenario.unit,
        bias: crate::output::run::bias_note(&base.scenario),
        dp: args.output.dp,
    };
    emit(&report, &args.output)?;
    Ok(Exit::Success)
}
