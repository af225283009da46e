//! `D`, `LP` and `N` subtotalled by status and by area (docs/model.md section 9.4).

use super::{Result, ServiceProjection, Subtotal, Subtotals, sum_series};
use crate::model::{Cases, FinancialYear, Scenario, Status};

/// `D`, `LP` and `N` summed over `lines`.
fn subtotal(years: &[FinancialYear], lines: &[&ServiceProjection], what: &str) -> Result<Subtotal> {
    Ok(Subtotal {
        lines: lines.len(),
        in_year: Cases::all(()).try_map(|case, ()| {
            sum_series(
                years,
                lines.iter().map(|s| s.figures.in_year.get(case)),
                &format!("in-year saving of {what}"),
            )
        })?,
        planned_to_date: sum_series(
            years,
            lines.iter().map(|s| &s.planned_to_date),
            &format!("planned savings to date of {what}"),
        )?,
        contribution: Cases::all(()).try_map(|case, ()| {
            sum_series(
                years,
                lines.iter().map(|s| s.contribution.get(case)),
                &format!("contribution of {what}"),
            )
        })?,
    })
}

/// The subtotals by status (every status a line has; the outputs decide what to show) and
/// by area (where any service names one).
pub(super) fn subtotals(
    scenario: &Scenario,
    years: &[FinancialYear],
    services: &[ServiceProjection],
) -> Result<Subtotals> {
    let status_of = |s: &ServiceProjection| {
        scenario.services[s.service]
            .options
            .get(s.option)
            .map_or(Status::Proposed, |o| o.status)
    };
    let mut by_status = Vec::new();
    for status in Status::ALL {
        let lines: Vec<&ServiceProjection> =
            services.iter().filter(|s| status_of(s) == status).collect();
        if !lines.is_empty() {
            by_status.push((status, subtotal(years, &lines, &format!("{status} lines"))?));
        }
    }
    let mut by_area = Vec::new();
    if scenario.services.iter().any(|s| s.area.is_some()) {
        let mut areas: Vec<Option<&String>> = Vec::new();
        for s in services {
            let area = scenario.services[s.service].area.as_ref();
            if !areas.contains(&area) {
                areas.push(area);
            }
        }
        // Lines with no area come last.
        areas.sort_by_key(Option::is_none);
        for area in areas {
            let lines: Vec<&ServiceProjection> = services
                .iter()
                .filter(|s| scenario.services[s.service].area.as_ref() == area)
                .collect();
            let what = area.map_or("lines with no area".to_string(), |a| format!("area {a:?}"));
            by_area.push((area.cloned(), subtotal(years, &lines, &what)?));
        }
    }
    Ok((by_status, by_area))
}
