//! The views of a plan written as councils write it (docs/model.md section 9), shared by the
//! table and Markdown formats: the gap built line by line, and `D`, `LP` and `N` subtotalled
//! by status and by area. Years run across, as an MTFS prints them.

use crate::model::{FinancialYear, Money, Requirement, SavingOption, Scenario, Status, grouped};
use crate::projection::{Projection, Series, Subtotal};

use super::{Section, TextTable};

/// Whether the scenario's savings are written as a plan (docs/model.md section 9): a line
/// written on its service, a status other than proposed, an area, or yearly amounts. The
/// what-if commands show status, area and how a saving is built only then, so that a
/// scenario using none of it reads exactly as before.
pub fn writes_plan(scenario: &Scenario) -> bool {
    scenario.services.iter().any(|s| {
        s.one_line
            || s.area.is_some()
            || s.options
                .iter()
                .any(|o| o.status != Status::Proposed || o.is_profile())
    })
}

/// How an option's saving is built, in a word or two: `profile` for yearly amounts, else
/// `from` its go-live (a month or a year), which the ramp builds up from.
pub fn build_of(option: &SavingOption) -> String {
    match option.start() {
        Some(start) => format!("from {start}"),
        None => "profile".to_string(),
    }
}

/// A table with label columns (`labels`), then one column per projected year.
fn by_year_table(labels: &[&str], years: &[FinancialYear], rows: Vec<Vec<String>>) -> TextTable {
    let mut header: Vec<String> = labels.iter().map(|l| l.to_string()).collect();
    header.extend(years.iter().map(ToString::to_string));
    let numeric = (labels.len()..labels.len() + years.len()).collect();
    TextTable {
        header,
        rows,
        numeric,
        terminal_header: None,
        min_widths: [24, 16][..labels.len().min(2)].to_vec(),
        keys: labels.len(),
    }
}

/// A row of labels, then a series rounded for display.
fn row<const N: usize>(labels: [String; N], series: &[Money], dp: u32) -> Vec<String> {
    let mut row = labels.to_vec();
    row.extend(series.iter().map(|m| grouped(m.amount(), dp)));
    row
}

/// The gap to date built line by line (docs/model.md section 9.5), where the scenario builds
/// it from `[budget]` or pressures; `None` where it gives only `gap.unidentified`.
pub fn gap_build(scenario: &Scenario, projection: &Projection, dp: u32) -> Option<TextTable> {
    let build = projection.total.gap_build.as_ref()?;
    let inputs = &scenario.gap_build;
    let years = &projection.years;
    let mut rows = Vec::new();
    let negated = |s: &Series| s.iter().map(|m| -*m).collect::<Vec<_>>();
    match inputs.budget.as_ref().map(|b| &b.base) {
        Some(Requirement::Net(net)) => {
            rows.push(row(
                [format!("Net budget {}", scenario.base_year)],
                &vec![*net; years.len()],
                dp,
            ));
        }
        Some(Requirement::Levels(_)) => {}
        None => {
            if let Some(unidentified) = &build.unidentified {
                rows.push(row(["Unidentified gap to date".into()], unidentified, dp));
            }
        }
    }
    for (line, levels) in inputs.pressures.iter().zip(&build.pressure_lines) {
        rows.push(row([format!("Pressure: {}", line.name)], levels, dp));
    }
    if let Some(requirement) = &build.requirement {
        rows.push(row(["Budget requirement".into()], requirement, dp));
    }
    for (line, levels) in inputs.funding.iter().zip(&build.funding_lines) {
        rows.push(row(
            [format!("Funding: {}", line.name)],
            &negated(levels),
            dp,
        ));
    }
    if let Some(funding) = &build.funding {
        rows.push(row(["Funding, total".into()], &negated(funding), dp));
    }
    if let Some(reserves) = &build.reserves
        && reserves.iter().any(|m| !m.is_zero())
    {
        rows.push(row(["Reserves used".into()], &negated(reserves), dp));
    }
    rows.push(row(
        ["Gap to date".into()],
        &projection.total.gap_to_date,
        dp,
    ));
    Some(by_year_table(&[""], years, rows))
}

/// The notes under the gap build: what each line means.
pub fn gap_build_note(scenario: &Scenario) -> Option<String> {
    let inputs = &scenario.gap_build;
    match &inputs.budget {
        Some(budget) => Some(match budget.base {
            Requirement::Net(_) => "Gap to date = budget requirement - funding - reserves used; the requirement is the base year's net budget plus each pressure in force (its increments added up from the base year); funding and reserves are shown negative.".to_string(),
            Requirement::Levels(_) => "Gap to date = budget requirement (as given) - funding - reserves used; funding and reserves are shown negative.".to_string(),
        }),
        None if !inputs.pressures.is_empty() => Some(
            "Gap to date = unidentified gap to date + each pressure in force (its increments added up from the base year).".to_string(),
        ),
        None => None,
    }
}

/// `D`, `LP` and `N` (central case) for each group, years across.
fn subtotal_table(
    heading: &str,
    groups: Vec<(String, &Subtotal)>,
    years: &[FinancialYear],
    dp: u32,
) -> TextTable {
    let mut rows = Vec::new();
    for (label, subtotal) in groups {
        let lines = if subtotal.lines == 1 {
            "1 line".to_string()
        } else {
            format!("{} lines", subtotal.lines)
        };
        rows.push(row(
            [format!("{label} ({lines})"), "In-year saving".into()],
            &subtotal.in_year.central,
            dp,
        ));
        rows.push(row(
            [String::new(), "Planned to date".into()],
            &subtotal.planned_to_date,
            dp,
        ));
        rows.push(row(
            [String::new(), "Contribution".into()],
            &subtotal.contribution.central,
            dp,
        ));
    }
    by_year_table(&[heading, "Measure"], years, rows)
}

/// The subtotals by status, where the lines have more than one.
pub fn by_status(projection: &Projection, dp: u32) -> Option<TextTable> {
    let total = &projection.total;
    (total.by_status.len() > 1).then(|| {
        subtotal_table(
            "Status",
            total
                .by_status
                .iter()
                .map(|(status, s)| (status.to_string(), s))
                .collect(),
            &projection.years,
            dp,
        )
    })
}

/// The subtotals by area, where any service names one.
pub fn by_area(projection: &Projection, dp: u32) -> Option<TextTable> {
    let total = &projection.total;
    (!total.by_area.is_empty()).then(|| {
        subtotal_table(
            "Area",
            total
                .by_area
                .iter()
                .map(|(area, s)| (area.clone().unwrap_or_else(|| "(no area)".to_string()), s))
                .collect(),
            &projection.years,
            dp,
        )
    })
}

/// The "By status" and "By area" sections, where the projection has them, as every report
/// heads them.
pub fn subtotal_sections(projection: &Projection, dp: u32, unit: &str) -> Vec<Section> {
    let by_status = by_status(projection, dp).map(|table| Section {
        heading: format!("By status ({unit}, central case)"),
        table,
    });
    let by_area = by_area(projection, dp).map(|table| Section {
        heading: format!("By area ({unit}, central case)"),
        table,
    });
    by_status.into_iter().chain(by_area).collect()
}

/// The "The gap, built from ..." section, where the scenario builds its gap.
pub fn gap_build_section(scenario: &Scenario, projection: &Projection, dp: u32) -> Option<Section> {
    let table = gap_build(scenario, projection, dp)?;
    let from = if scenario.gap_build.budget.is_some() {
        "the budget"
    } else {
        "the unidentified gap and pressures"
    };
    Some(Section {
        heading: format!("The gap, built from {from} ({})", scenario.unit),
        table,
    })
}

/// What a line's label adds for its status: nothing for a proposal, ` [approved]` and so on
/// otherwise, as every table marks it.
pub fn status_mark(status: Status) -> String {
    match status {
        Status::Proposed => String::new(),
        status => format!(" [{status}]"),
    }
}
