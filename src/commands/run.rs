//! `savings run`: one scenario's projection, with the optional checks for scripts.

use std::io::{self, Write};

use anyhow::Result;

use super::{Projected, Warnings, destination, emit, prepare, project_as};
use crate::cli::RunArgs;
use crate::exit::Exit;
use crate::output::RunReport;
use crate::output::sink::Written;
use crate::projection::Delivery;

pub fn run(args: &RunArgs, warnings: &Warnings) -> Result<Exit> {
    let delivery = if args.risk_adjusted {
        Delivery::RiskAdjusted
    } else {
        Delivery::Forecast
    };
    let projected = project_as(
        &prepare(args.scenario.as_deref(), &args.overrides.all())?,
        delivery,
    )?;
    warnings.report(&projected.loaded)?;
    let to = destination(args.output.output.as_deref(), [&projected.loaded.sources])?;
    let failures = check_failures(&projected, args);
    let report = RunReport {
        scenario: &projected.loaded.scenario,
        projection: &projected.projection,
        source: projected.file_name(),
        extends: projected.extends(),
        overrides: &projected.loaded.overrides,
        dp: args.output.dp,
        chart: args.chart,
    };
    let written = emit(&report, &args.output, &to)?;
    if written == Written::ReaderGone || failures.is_empty() {
        return Ok(Exit::Success);
    }
    let mut stderr = io::stderr().lock();
    for failure in &failures {
        let _ = writeln!(stderr, "check failed: {failure}");
    }
    Ok(Exit::CheckFailed)
}

/// The failures of the checks asked for, in words.
fn check_failures(projected: &Projected, args: &RunArgs) -> Vec<String> {
    let scenario = &projected.loaded.scenario;
    let projection = &projected.projection;
    let mut failures = Vec::new();
    if args.check_plan {
        for p in &projection.services {
            let test = &p.meets_plan.central;
            if test.holds {
                continue;
            }
            let service = &scenario.services[p.service];
            let short: Vec<String> = test
                .margins
                .iter()
                .filter(|(_, m)| m.is_negative())
                .map(|(y, m)| format!("{} short by {}", y.quoted(), -m.amount()))
                .collect();
            let path = service.options.get(p.option).map_or_else(
                || format!("service[{}]", service.id),
                |option| service.option_path(option),
            );
            failures.push(format!(
                "--check-plan: {path} does not meet its planned savings: {}",
                short.join(", ")
            ));
        }
    }
    if args.check_gap {
        let gap_years = scenario.gap_years();
        for (t, year) in projection.years.iter().enumerate() {
            let remaining = projection.total.remaining_gap.central[t];
            if gap_years.contains(year) && remaining.is_positive() {
                failures.push(format!(
                    "--check-gap: {} is not closed: remaining gap {remaining} {} (central case)",
                    year.quoted(),
                    scenario.unit
                ));
            }
        }
    }
    failures
}
