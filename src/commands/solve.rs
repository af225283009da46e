//! `savings solve`: goal seek on one input.

use std::io::{self, Write};

use anyhow::Result;

use super::{Projected, Warnings, destination, emit, prepare};
use crate::analysis::solve::{Target, solve};
use crate::analysis::vary;
use crate::cli::SolveArgs;
use crate::exit::Exit;
use crate::output::sink::Written;
use crate::output::solve::SolveReport;
use crate::scenario::edit::FieldPath;

pub fn run(args: &SolveArgs, warnings: &Warnings) -> Result<Exit> {
    let target = Target::parse(&args.target).map_err(anyhow::Error::msg)?;
    let path =
        FieldPath::parse(&args.vary).map_err(|e| anyhow::anyhow!("--vary {}: {e}", args.vary))?;
    let prepared = prepare(args.scenario.as_deref(), &args.overrides.all())?;
    let to = destination(args.output.output.as_deref(), [prepared.sources()])?;
    // The warnings are the scenario's as given, not the value tried last.
    let base = prepared.validate()?;
    warnings.report(&base)?;
    let (solution, at_value) = solve(&prepared, &target, &path, args.case.into())?;
    // The projection at the value found (or the best reachable), for the CSV and summary, as
    // the search projected it: an approved line varied keeps its plan.
    let mut loaded = at_value.validate()?;
    vary::keep_plans(&mut loaded.scenario, &base.scenario, &[&path]);
    let projection = crate::projection::project(&loaded.scenario).map_err(|e| {
        loaded
            .sources
            .diagnostic_for_field(e.field.as_deref(), e.to_string())
    })?;
    let projected = Projected { loaded, projection };
    let report = SolveReport {
        solution: &solution,
        scenario: &projected.loaded.scenario,
        projection: &projected.projection,
        source: projected.file_name(),
        overrides: &prepared.overrides,
        dp: args.output.dp,
    };
    let written = emit(&report, &args.output, &to)?;
    if solution.value.is_some() || written == Written::ReaderGone {
        return Ok(Exit::Success);
    }
    let _ = writeln!(
        io::stderr().lock(),
        "no value of {} reaches {}: exit 1",
        solution.field,
        solution.target
    );
    Ok(Exit::CheckFailed)
}
