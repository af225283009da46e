//! `savings track`: the monitoring report of a tracked plan (docs/model.md section 10), with
//! the movement since an earlier report (`--since`) and a check for scripts
//! (`--check-delivery`). Both scenarios are loaded, projected and summed before anything is
//! written.

use std::io::{self, Write};

use anyhow::Result;

use super::{Projected, Warnings, destination, emit, prepare, project};
use crate::cli::TrackArgs;
use crate::exit::Exit;
use crate::model::FinancialYear;
use crate::output::sink::Written;
use crate::output::track::{Monitoring, Since, TrackReport};
use crate::scenario::Diagnostic;

pub fn run(args: &TrackArgs, warnings: &Warnings) -> Result<Exit> {
    // The earlier report is read and projected beside this one (the two are independent; a
    // `--since` report then takes about as long as one). Problems are reported in the order the
    // files are named.
    let (projected, earlier) = std::thread::scope(|threads| {
        let earlier = args
            .since
            .as_deref()
            .map(|file| threads.spawn(move || prepare(Some(file), &[]).and_then(|p| project(&p))));
        let projected =
            prepare(args.scenario.as_deref(), &args.overrides.all()).and_then(|p| project(&p));
        let earlier = earlier.map(|thread| {
            thread
                .join()
                .map_err(|_| anyhow::anyhow!("reading the --since scenario failed unexpectedly"))
        });
        (projected, earlier)
    });
    let projected = projected?;
    warnings.report(&projected.loaded)?;
    let current_year = current_year(&projected, None)?;
    let earlier = match earlier {
        Some(earlier) => {
            let earlier = earlier??;
            warnings.report(&earlier.loaded)?;
            current_year_of_earlier(&earlier, current_year, &projected)?;
            Some(earlier)
        }
        None => None,
    };
    let mut read = vec![&projected.loaded.sources];
    read.extend(earlier.as_ref().map(|e| &e.loaded.sources));
    let to = destination(args.output.output.as_deref(), read)?;
    let now = monitoring(&projected, current_year)?;
    let since = match &earlier {
        Some(e) => Some(
            Since::new(e.file_name(), monitoring(e, current_year)?, &now).map_err(|cause| {
                anyhow::anyhow!(
                    "cannot compute the movement since {}: {cause}",
                    e.file_name()
                )
            })?,
        ),
        None => None,
    };
    let failures = if args.check_delivery {
        now.failing()
    } else {
        Vec::new()
    };
    let report = TrackReport {
        scenario: &projected.loaded.scenario,
        projection: &projected.projection,
        monitoring: &now,
        since: since.as_ref(),
        since_scenario: earlier.as_ref().map(|e| (&e.loaded.scenario, e.extends())),
        source: projected.file_name(),
        extends: projected.extends(),
        overrides: &projected.loaded.overrides,
        dp: args.output.dp,
    };
    let written = emit(&report, &args.output, &to)?;
    if written == Written::ReaderGone || failures.is_empty() {
        return Ok(Exit::Success);
    }
    let mut stderr = io::stderr().lock();
    for failure in &failures {
        let _ = writeln!(stderr, "check failed: --check-delivery: {failure}");
    }
    Ok(Exit::CheckFailed)
}

/// The monitoring figures of a projected scenario in `current_year`.
fn monitoring(projected: &Projected, current_year: FinancialYear) -> Result<Monitoring> {
    Monitoring::new(
        &projected.loaded.scenario,
        &projected.projection,
        current_year,
    )
    .map_err(|cause| {
        anyhow::anyhow!(
            "{}: cannot compute the monitoring totals: {cause}",
            projected.file_name()
        )
    })
}

/// The current year of a scenario `track` reports on: the financial year of its `as_at`,
/// which must be given and be a projected year (the report is of delivery against the plan
/// of a projected year). `reading` names the report it is the earlier one of, if any.
fn current_year(projected: &Projected, reading: Option<&str>) -> Result<FinancialYear, Diagnostic> {
    let loaded = &projected.loaded;
    let scenario = &loaded.scenario;
    let what = match reading {
        Some(now) => format!("savings track --since (the earlier report on {now})"),
        None => "savings track".to_string(),
    };
    let Some(as_at) = scenario.tracking.as_at else {
        return Err(loaded
            .sources
            .diagnostic_for_field(
                Some("scenario.as_at"),
                format!("{what} needs the month the figures describe, and this scenario gives no as_at"),
            )
            .with_help(
                "add as_at = \"YYYY-MM\" under [scenario], the month of the report (docs/model.md section 10)",
            ));
    };
    let year = as_at.financial_year();
    if year <= scenario.base_year {
        return Err(loaded
            .sources
            .diagnostic_for_field(
                Some("scenario.as_at"),
                format!(
                    "{what} reports delivery in the current year, and as_at {as_at} is in the base year {}, which is not projected",
                    scenario.base_year
                ),
            )
            .with_help(format!(
                "give an as_at in a projected year, {} to {}",
                scenario.years().next().unwrap_or(year),
                scenario.last_year()
            )));
    }
    Ok(year)
}

/// Checks the earlier report of `--since`: it has an `as_at` of its own, and this report's
/// current year is one of its projected years, so its delivery in that year can be compared.
fn current_year_of_earlier(
    earlier: &Projected,
    now: FinancialYear,
    report: &Projected,
) -> Result<(), Diagnostic> {
    current_year(earlier, Some(report.file_name()))?;
    let scenario = &earlier.loaded.scenario;
    if !scenario.years().any(|y| y == now) {
        return Err(earlier.loaded.sources.diagnostic_for_field(
            Some("scenario.base_year"),
            format!(
                "savings track --since compares delivery in {now}, the current year of {}, and this earlier report projects {} to {} only",
                report.file_name(),
                scenario.years().next().unwrap_or(now),
                scenario.last_year()
            ),
        ));
    }
    Ok(())
}
