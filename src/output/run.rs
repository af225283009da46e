//! `savings run`: the projection of one scenario as a report. The text layout (year by
//! year, per service, the figures over the horizon, notes) is shared by the table and
//! Markdown formats; CSV is the long form of docs/model.md section 8; JSON is `savings-modeller/1`.

use std::io::Write;

use crate::model::{Case, Money, Scenario, grouped};
use crate::projection::{Projection, Summary};

use super::frame::{bias_note, deferred_note, provenance, settings};
use super::words::{percent, year_ranges, years_count};
use super::years::{YearColumn, YearFigure, year_table};
use super::{PROGRAM, Report, Section, TextReport, TextTable, csv, json, plan};

/// One scenario's projection, with what is needed to show where it came from.
pub struct RunReport<'a> {
    pub scenario: &'a Scenario,
    pub projection: &'a Projection,
    /// The scenario file as the user named it (`builtin:kcc-2014-phase1.toml`, `<stdin>`).
    pub source: &'a str,
    /// The scenarios it extends, nearest first.
    pub extends: &'a [String],
    /// The overrides applied, as typed.
    pub overrides: &'a [String],
    /// Decimal places for money shown rounded (table and Markdown only).
    pub dp: u32,
    /// Whether the table and Markdown carry text charts.
    pub chart: bool,
}

impl Report for RunReport<'_> {
    fn text(&self, width: usize) -> TextReport {
        let title = self.scenario.name.clone();
        let settings = settings(self.scenario);
        let unit = &self.scenario.unit;
        let mut footer = provenance(self.source, self.extends, self.overrides);
        footer.push(format!("{PROGRAM}."));
        let charts = if self.chart {
            vec![
                super::textchart::build_up(self.scenario, self.projection, self.dp, width),
                super::textchart::remaining_gap(self.scenario, self.projection, self.dp, width),
            ]
        } else {
            Vec::new()
        };
        let mut sections = vec![Section {
            heading: format!("Year by year, all services ({unit})"),
            table: years(self),
        }];
        sections.extend(plan::gap_build_section(
            self.scenario,
            self.projection,
            self.dp,
        ));
        sections.push(Section {
            heading: format!("Services ({unit}, central case)"),
            table: services(self),
        });
        sections.extend(plan::subtotal_sections(self.projection, self.dp, unit));
        sections.extend(super::tracking::sections(
            self.scenario,
            self.projection,
            self.dp,
        ));
        sections.push(Section {
            heading: format!("Over {} ({unit})", years_count(self.scenario.horizon)),
            table: summary(self),
        });
        TextReport {
            charts,
            title,
            settings,
            sections,
            notes: {
                let mut notes = notes(self);
                notes.extend(plan::gap_build_note(self.scenario));
                notes.extend(super::tracking::notes(self.scenario, self.projection));
                notes.extend(bias_note(self.scenario));
                notes
            },
            footer,
        }
    }

    fn write_csv(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let mut writer = csv::LongCsv::new(out, &[])?;
        crate::projection::rows::visit_rows(self.scenario, self.projection, |row| {
            writer.row(&[], row)
        })?;
        writer.finish()
    }

    fn write_json(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        json::write_run(self, out)
    }
}

/// Per year: total in-year saving (low, central, high), planned to date, contribution, gap
/// to date, remaining gap and closed (central).
fn years(report: &RunReport) -> TextTable {
    use YearFigure::*;
    // Two-line headings on the terminal, so that the year table fits 100 columns.
    let columns = [
        YearColumn::with_terminal(InYear(Case::Low), "In-year saving low", "In-year\nlow"),
        YearColumn::with_terminal(
            InYear(Case::Central),
            "In-year saving central",
            "In-year\ncentral",
        ),
        YearColumn::with_terminal(InYear(Case::High), "In-year saving high", "In-year\nhigh"),
        YearColumn::with_terminal(PlannedToDate, "Planned to date", "Planned\nto date"),
        YearColumn::new(Contribution(Case::Central), "Contribution"),
        YearColumn::with_terminal(GapToDate, "Gap to date", "Gap to\ndate"),
        YearColumn::with_terminal(
            RemainingGap(Case::Central),
            "Remaining gap",
            "Remaining\ngap",
        ),
        YearColumn::new(Closed(Case::Central), "Closed"),
    ];
    year_table(report.projection, report.dp, &columns)
}

/// Per service: the option taken forward, steady-state saving, ten-year total and the
/// meets-plan margins (central); deferred services listed as deferred.
pub(crate) fn services(report: &RunReport) -> TextTable {
    let dp = report.dp;
    let scenario = report.scenario;
    let projection = report.projection;
    let labels = scenario.service_labels();
    let mut rows: Vec<(usize, Vec<String>)> = projection
        .services
        .iter()
        .map(|p| {
            let s = &scenario.services[p.service];
            let o = &s.options[p.option];
            let test = &p.meets_plan.central;
            let margins: Vec<String> = test
                .margins
                .iter()
                .map(|(y, m)| format!("{y}: {}", grouped(m.amount(), dp)))
                .collect();
            let how = if s.chosen_explicitly { " (chosen)" } else { "" };
            let status = plan::status_mark(o.status);
            let option = if s.one_line {
                format!("(one line){status}")
            } else {
                format!("{}{how}{status}", o.name)
            };
            (
                p.service,
                vec![
                    labels[p.service].clone(),
                    option,
                    format!(
                        "{} ({}–{})",
                        grouped(p.figures.summary.central.steady_state.amount(), dp),
                        grouped(p.figures.summary.low.steady_state.amount(), dp),
                        grouped(p.figures.summary.high.steady_state.amount(), dp)
                    ),
                    grouped(p.figures.summary.central.total_saving.amount(), dp),
                    margins.join("\n"),
                    if test.holds { "yes" } else { "no" }.to_string(),
                ],
            )
        })
        .collect();
    for &i in &projection.deferred {
        rows.push((
            i,
            vec![
                labels[i].clone(),
                "deferred: no option taken forward".to_string(),
                "-".into(),
                "-".into(),
                "-".into(),
                "-".into(),
            ],
        ));
    }
    rows.sort_by_key(|(i, _)| *i);
    TextTable {
        header: [
            "Service",
            "Option taken forward",
            "Steady state (low–high)",
            &format!("Total over {}", years_count(scenario.horizon)),
            "Meets-plan margin",
            "Meets plan",
        ]
        .map(String::from)
        .to_vec(),
        rows: rows.into_iter().map(|(_, r)| r).collect(),
        numeric: vec![3],
        terminal_header: Some(vec![
            "Service".to_string(),
            "Option taken forward".to_string(),
            "Steady state\n(low–high)".to_string(),
            format!("Total\n{}", years_count(scenario.horizon)),
            "Meets-plan\nmargin".to_string(),
            "Meets\nplan".to_string(),
        ]),
        min_widths: vec![16, 28],
        keys: 1,
    }
}

/// The ten-year figures in each case.
pub(crate) fn summary(report: &RunReport) -> TextTable {
    let dp = report.dp;
    let scenario = report.scenario;
    let summaries = &report.projection.total.summary;
    let line = |label: String, f: &dyn Fn(&Summary) -> String| {
        let mut row = vec![label];
        row.extend(summaries.iter().map(|(_, s)| f(s)));
        row
    };
    let money = |m: Money| grouped(m.amount(), dp);
    TextTable {
        header: vec!["".into(), "Low".into(), "Central".into(), "High".into()],
        rows: vec![
            line(
                format!("Total saving over {}", years_count(scenario.horizon)),
                &|s| money(s.total_saving),
            ),
            line("Average saving per year".into(), &|s| {
                money(s.average_per_year)
            }),
            line("Steady-state annual saving".into(), &|s| {
                money(s.steady_state)
            }),
            line(
                format!(
                    "Net present value at {}",
                    percent(scenario.discount_rate.value(), 2)
                ),
                &|s| money(s.npv),
            ),
            line("Payback year".into(), &|s| s.payback.to_string()),
            line("Years closed".into(), &|s| year_ranges(&s.closed_years)),
        ],
        numeric: vec![1, 2, 3],
        terminal_header: None,
        min_widths: Vec::new(),
        keys: 1,
    }
}

/// The notes printed under the tables.
pub(crate) fn notes(report: &RunReport) -> Vec<String> {
    let dp = report.dp;
    let scenario = report.scenario;
    let projection = report.projection;
    let total = &projection.total;
    let places = if dp == 1 {
        "1 decimal place".to_string()
    } else {
        format!("{dp} decimal places")
    };
    let mut notes = vec![
        format!(
            "Money in {}, rounded half away from zero to {places} for display; totals use unrounded values, so shown figures may not add exactly.",
            scenario.unit
        ),
        format!(
            "Contribution = in-year saving - w x planned savings to date (w = {}){}. Remaining gap = {} - contribution; a year is closed when it is zero or less. Contribution, remaining gap, closed, totals per service and margins are the central case; low and high put every option at its low or high saving (bounds, not percentiles).",
            scenario.overlap,
            if scenario.taken_forward().any(|(_, o)| o.status.is_planned()) {
                "; a saving already in the plan (approved, in-base, withdrawn) is its own plan, without w: an in-base saving delivers it in every case, a withdrawn one nothing"
            } else {
                ""
            },
            if scenario.gap_build.is_given() {
                "gap to date"
            } else {
                "unidentified gap to date"
            }
        ),
        format!(
            "Meets plan: the option's in-year saving is at least the service's planned savings to date in every MTFP year ({} to {}); the margin is the difference, whatever w is.",
            scenario.mtfp_period.0, scenario.mtfp_period.1
        ),
    ];
    let base_planned = projection.context.planned_base_year;
    if !base_planned.is_zero() {
        notes.push(format!(
            "Planned savings in the base year {} ({} across all services) are already in the base budget and are not counted again.",
            scenario.base_year,
            grouped(base_planned.amount(), dp)
        ));
    }
    if !scenario.gap.required.is_empty() {
        // New in each year, as a plain table writes them, whichever form the scenario uses.
        let required: Vec<String> = scenario
            .gap
            .required
            .written_increments(&projection.years)
            .unwrap_or_default()
            .into_iter()
            .map(|(y, m)| format!("{y} {}", grouped(m.amount(), dp)))
            .collect();
        notes.push(format!(
            "Savings required by the MTFP (context): {}.",
            required.join(", ")
        ));
    }
    let gap_years = scenario.gap_years();
    let coverage: Vec<String> = projection
        .years
        .iter()
        .enumerate()
        .filter(|(_, y)| gap_years.contains(y))
        .filter_map(|(t, y)| {
            total
                .gap_coverage(Case::Central, t)
                .map(|c| format!("{y} {}", percent(c, 1)))
        })
        .collect();
    if !coverage.is_empty() {
        notes.push(format!(
            "Share of the {}gap to date the options cover (central): {}.",
            if scenario.gap_build.is_given() {
                ""
            } else {
                "unidentified "
            },
            coverage.join(", ")
        ));
    }
    let costs = total.one_off_cost_total;
    if !costs.is_zero() || !total.base_year_cost.is_zero() {
        notes.push(format!(
            "One-off costs ({} in the projected years, {} in the base year) count in NPV and payback only; they are never netted off the savings that close the gap.",
            grouped(costs.amount(), dp),
            grouped(total.base_year_cost.amount(), dp)
        ));
    }
    notes.extend(deferred_note(scenario));
    notes
}
