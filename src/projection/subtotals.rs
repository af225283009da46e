//! `D`, `LP` and `N` subtotalled by status and by area (docs/model.md section 9.4).

use super::{Result, ServiceProjection, Subtotal, Subtotals, TotalProjection, sum_series};
use crate::model::{Cases, FinancialYear, Scenario, Status};

/// `D`, `LP` and `N` summed over `lines`; `D` and `LP` taken from `previous` where given
/// (the same lines with the same `D` and `LP`).
fn subtotal(
    years: &[FinancialYear],
    lines: &[&ServiceProjection],
    what: &str,
    previous: Option<&Subtotal>,
) -> Result<Subtotal> {
    let contribution = || {
        Cases::all(()).try_map(|case, ()| {
            sum_series(
                years,
                lines.iter().map(|s| s.contribution.get(case)),
                &format!("contribution of {what}"),
            )
        })
    };
    if let Some(previous) = previous {
        return Ok(Subtotal {
            contribution: contribution()?,
            ..previous.clone()
        });
    }
    // In this order, so that the first sum to overflow is named.
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
        contribution: contribution()?,
    })
}

/// The subtotals by status (every status a line has; the outputs decide what to show) and
/// by area (where any service names one). `previous`: totals of the same lines with the
/// same `D` and `LP`, whose subtotals of those are kept.
pub(super) fn subtotals(
    scenario: &Scenario,
    years: &[FinancialYear],
    services: &[ServiceProjection],
    previous: Option<&TotalProjection>,
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
            let kept = previous
                .and_then(|p| p.by_status.iter().find(|(s, _)| *s == status))
                .map(|(_, t)| t);
            let what = format!("{status} lines");
            by_status.push((status, subtotal(years, &lines, &what, kept)?));
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
            let kept = previous
                .and_then(|p| p.by_area.iter().find(|(a, _)| a.as_ref() == area))
                .map(|(_, t)| t);
            by_area.push((area.cloned(), subtotal(years, &lines, &what, kept)?));
        }
    }
    Ok((by_status, by_area))
}
