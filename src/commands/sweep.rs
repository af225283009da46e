//! `savings sweep`: a data table over one or two inputs.

use anyhow::{Result, bail};

use super::{Warnings, destination, emit, prepare};
use crate::analysis::sweep::{Axis, sweep};
use crate::cli::SweepArgs;
use crate::exit::Exit;
use crate::output::sweep::SweepReport;
use crate::output::{Format, check_output_rows};

pub fn run(args: &SweepArgs, warnings: &Warnings) -> Result<Exit> {
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
    let to = destination(args.output.output.as_deref(), [prepared.sources()])?;
    let base = prepared.validate()?;
    warnings.report(&base)?;
    let points = axes
        .iter()
        .fold(1u64, |n, a| n.saturating_mul(a.values.len() as u64));
    // Too many points is its own message, from `sweep`.
    if matches!(args.output.format, Format::Csv | Format::Json)
        && points <= crate::analysis::sweep::MAX_POINTS as u64
    {
        // Per point: the remaining gap in each year and case, then six figures.
        let per_point = 3 * u64::from(base.scenario.horizon) + 6;
        check_output_rows(
            points.saturating_mul(per_point),
            "this sweep",
            "use fewer points",
        )?;
    }
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let points = sweep(&prepared, &axes, threads)?;
    let report = SweepReport {
        axes: &axes,
        points: &points,
        notes: crate::analysis::sweep::notes(&prepared, &base, &axes),
        source: base.file_name(),
        overrides: &prepared.overrides,
        unit: &base.scenario.unit,
        bias: crate::output::frame::bias_note(&base.scenario),
        dp: args.output.dp,
    };
    emit(&report, &args.output, &to)?;
    Ok(Exit::Success)
}
