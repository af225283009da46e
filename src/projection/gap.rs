//! The gap to date `LG`: the unidentified gap to date, or built from the budget, pressures and
//! funding (docs/model.md section 9.5).

use super::{GapBuild, Naming, ProjectionError, Result, Series, sum_series};
use crate::model::{FinancialYear, Requirement, Scenario};

/// The gap to date `LG` and, where the scenario builds it, what it is built from
/// (docs/model.md section 9.5).
pub(super) fn gap_to_date(
    scenario: &Scenario,
    years: &[FinancialYear],
) -> Result<(Series, Option<GapBuild>)> {
    let inputs = &scenario.gap_build;
    let levels = |lines: &[crate::model::GapLine], table: &str| -> Result<Vec<Series>> {
        lines
            .iter()
            .map(|line| {
                line.amount.levels(years.iter().copied()).naming_at(
                    || format!("levels of {table}[{}]", line.id),
                    || format!("{table}[{}].amount", line.id),
                )
            })
            .collect()
    };
    // A sum or difference that cannot be held points at the first line of what it adds
    // (docs/model.md section 7: every message names a field).
    let first_line = |lines: &[crate::model::GapLine], table: &str| {
        lines
            .first()
            .map(|line| format!("{table}[{}].amount", line.id))
    };
    let pointing = |result: Result<Series>, field: Option<String>| {
        result.map_err(|e| ProjectionError {
            field: e.field.or(field),
            ..e
        })
    };
    let pressure_lines = levels(&inputs.pressures, "pressure")?;
    let funding_lines = levels(&inputs.funding, "funding")?;
    let pressures = pointing(
        sum_series(years, &pressure_lines, "pressures"),
        first_line(&inputs.pressures, "pressure"),
    )?;
    let difference =
        |a: &Series, b: &Series, what: &str, field: Option<String>| -> Result<Series> {
            let result = a
                .iter()
                .zip(b)
                .zip(years)
                .map(|((a, b), year)| {
                    a.checked_sub(*b)
                        .naming(|| format!("{what} in {}", year.quoted()))
                })
                .collect();
            pointing(result, field)
        };
    let Some(budget) = &inputs.budget else {
        let unidentified = scenario
            .gap
            .unidentified
            .levels(years.iter().copied())
            .naming_at(
                || "unidentified gap to date".to_string(),
                || "gap.unidentified".to_string(),
            )?;
        if inputs.pressures.is_empty() {
            return Ok((unidentified, None));
        }
        let field = match scenario.gap.unidentified.iter().next() {
            Some(_) => Some("gap.unidentified".to_string()),
            None => first_line(&inputs.pressures, "pressure"),
        };
        let lg = pointing(
            sum_series(years, [&unidentified, &pressures], "gap to date"),
            field,
        )?;
        return Ok((
            lg,
            Some(GapBuild {
                requirement: None,
                funding: None,
                reserves: None,
                pressures: Some(pressures),
                unidentified: Some(unidentified),
                pressure_lines,
                funding_lines,
            }),
        ));
    };
    let requirement = match &budget.base {
        Requirement::Net(net) => years
            .iter()
            .zip(&pressures)
            .map(|(year, p)| {
                net.checked_add(*p).naming_at(
                    || format!("budget requirement in {}", year.quoted()),
                    || "budget.net".to_string(),
                )
            })
            .collect::<Result<Series>>()?,
        Requirement::Levels(levels) => levels.levels(years.iter().copied()).naming_at(
            || "budget requirement".to_string(),
            || "budget.requirement".to_string(),
        )?,
    };
    let funding = pointing(
        sum_series(years, &funding_lines, "funding"),
        first_line(&inputs.funding, "funding"),
    )?;
    let reserves = budget
        .reserves
        .levels(years.iter().copied())
        .naming_at(|| "reserves".to_string(), || "budget.reserves".to_string())?;
    let net_of_funding = difference(
        &requirement,
        &funding,
        "requirement less funding",
        first_line(&inputs.funding, "funding"),
    )?;
    let lg = difference(
        &net_of_funding,
        &reserves,
        "gap to date",
        Some("budget.reserves".to_string()),
    )?;
    Ok((
        lg,
        Some(GapBuild {
            requirement: Some(requirement),
            funding: Some(funding),
            reserves: Some(reserves),
            pressures: None,
            unidentified: None,
            pressure_lines,
            funding_lines,
        }),
    ))
}
