//! Delivery tracking in the table and Markdown formats (docs/model.md section 10): each tracked
//! line's delivered and forecast years and rating, the remaining gap as planned, as forecast
//! and risk-adjusted, the savings at risk, and the notes that say which delivery a run counts.

use crate::model::{Scenario, YearSeries, grouped};
use crate::projection::{Delivery, Projection};

use super::words::percent;
use super::{Section, TextTable};

/// Whether any line taken forward carries delivered, forecast or a rating: the tracking
/// tables are shown only then.
pub fn any_line_tracked(scenario: &Scenario) -> bool {
    scenario.first_tracked().is_some()
}

/// `2025/26: 0.6, 2026/27: 0.8` (rounded for display), or `-` where none is given.
fn by_year(series: &YearSeries, dp: u32) -> String {
    let parts: Vec<String> = series
        .iter()
        .map(|(year, m)| format!("{year}: {}", grouped(m.amount(), dp)))
        .collect();
    if parts.is_empty() {
        "-".to_string()
    } else {
        parts.join(", ")
    }
}

/// One row per tracked line: its status, rating, and the years it gives delivered and
/// forecast figures for.
pub fn lines(scenario: &Scenario, projection: &Projection, dp: u32) -> Option<TextTable> {
    if !any_line_tracked(scenario) {
        return None;
    }
    let labels = scenario.service_labels();
    let rows = projection
        .services
        .iter()
        .filter_map(|p| {
            let service = scenario.services.get(p.service)?;
            let option = service.options.get(p.option)?;
            let t = &option.tracking;
            t.is_given().then(|| {
                let label = if service.one_line {
                    labels[p.service].clone()
                } else {
                    format!("{} ({})", labels[p.service], option.name)
                };
                vec![
                    label,
                    option.status.name().to_string(),
                    t.rag.map_or("-", |r| r.name()).to_string(),
                    by_year(&t.delivered, dp),
                    by_year(&t.forecast, dp),
                ]
            })
        })
        .collect();
    let mut table = TextTable::new(
        ["Line", "Status", "RAG", "Delivered", "Forecast"]
            .map(String::from)
            .to_vec(),
        rows,
        Vec::new(),
    );
    table.min_widths = vec![16];
    Some(table)
}

/// Per year: the remaining gap as planned, as forecast and risk-adjusted, and the savings at
/// risk (central case).
pub fn views(scenario: &Scenario, projection: &Projection, dp: u32) -> Option<TextTable> {
    if !any_line_tracked(scenario) {
        return None;
    }
    gap_views(projection, dp)
}

/// [`views`] for any tracked scenario, whether or not a line is rated or has figures
/// recorded (`savings track`).
pub fn gap_views(projection: &Projection, dp: u32) -> Option<TextTable> {
    let figures = projection.tracking.as_ref()?;
    let mut header = vec!["Year".to_string()];
    header.extend(
        [
            "Remaining gap as planned",
            "Remaining gap as forecast",
            "Remaining gap risk-adjusted",
            "Savings at risk",
        ]
        .map(String::from),
    );
    let rows = projection
        .years
        .iter()
        .enumerate()
        .map(|(t, year)| {
            let shown = |s: &[crate::model::Money]| {
                s.get(t)
                    .map_or_else(String::new, |m| grouped(m.amount(), dp))
            };
            vec![
                year.to_string(),
                shown(&figures.remaining_gap.planned),
                shown(&figures.remaining_gap.forecast),
                shown(&figures.remaining_gap.risk_adjusted),
                shown(&figures.at_risk),
            ]
        })
        .collect();
    let mut table = TextTable::new(header, rows, vec![1, 2, 3, 4]);
    table.terminal_header = Some(
        [
            "Year",
            "Remaining gap\nas planned",
            "Remaining gap\nas forecast",
            "Remaining gap\nrisk-adjusted",
            "Savings\nat risk",
        ]
        .map(String::from)
        .to_vec(),
    );
    Some(table)
}

/// The month tracked figures describe, for the settings line: `; as at 2025-12 (current year
/// 2025/26)`, or nothing.
pub fn as_at_setting(scenario: &Scenario) -> String {
    match scenario.tracking.as_at {
        Some(month) => format!("; as at {month} (current year {})", month.financial_year()),
        None => String::new(),
    }
}

/// The confidence of each rating, as the notes give it: `green 100%, amber 50%, red 0%, blue
/// always 100%`.
pub fn confidence_shares(scenario: &Scenario) -> String {
    let confidence = &scenario.tracking.confidence;
    format!(
        "green {}, amber {}, red {}, blue always 100%",
        percent(confidence.green.value(), 2),
        percent(confidence.amber.value(), 2),
        percent(confidence.red.value(), 2)
    )
}

/// What the figures count for tracked lines, and what the views mean.
pub fn notes(scenario: &Scenario, projection: &Projection) -> Vec<String> {
    let mut notes = Vec::new();
    let shares = confidence_shares(scenario);
    if projection.delivery == Delivery::RiskAdjusted {
        notes.push(format!(
            "Risk-adjusted: every figure counts each rated line (but an in-base one) at the confidence of its rating ({shares}) in every year without a delivered figure."
        ));
    }
    if any_line_tracked(scenario) {
        notes.push(format!(
            "Delivery: an approved or withdrawn line delivers its delivered figure where given, else its forecast, else its plan; planned savings to date stay the plan. Remaining gap as planned ignores delivered and forecast figures; risk-adjusted counts each rated line at {shares}, except where delivered. Savings at risk: the plan of the amber and red lines that are approved or proposed."
        ));
    }
    notes
}

/// The tracked lines and the views of the remaining gap, where any line is tracked, as `run`
/// and the report head them.
pub fn sections(scenario: &Scenario, projection: &Projection, dp: u32) -> Vec<Section> {
    let unit = &scenario.unit;
    let lines = lines(scenario, projection, dp).map(|table| Section {
        heading: format!("Delivery tracked ({unit})"),
        table,
    });
    let views = views(scenario, projection, dp).map(|table| Section {
        heading: format!("Remaining gap by view of delivery ({unit}, central case)"),
        table,
    });
    lines.into_iter().chain(views).collect()
}
