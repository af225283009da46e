//! `savings report`: what officers hand on. One [`ReportInput`] (the scenario, its
//! projection, optionally a simulation, where the figures came from) laid out as a committee
//! Markdown section, a self-contained HTML page, a spreadsheet with live formulas, or a chart
//! (SVG or PNG).

pub mod chart;
pub mod html;
pub mod markdown;
pub mod notes;
pub mod waterfall;
pub mod xlsx;

use std::path::Path;

use crate::analysis::simulate::Simulation;
use crate::model::{Case, Scenario};
use crate::output::frame::{bias_note, provenance, settings};
use crate::output::markdown::CHART_WIDTH;
use crate::output::run::{self, RunReport};
use crate::output::simulate::SimulateReport;
use crate::output::words::years_count;
use crate::output::years::{YearColumn, YearFigure, year_table};
use crate::output::{PROGRAM, Report, Section, TextReport, TextTable, plan, textchart};
use crate::projection::Projection;

pub use notes::SourceNote;
pub use waterfall::Waterfall;

/// The heading of the table of every figure written and where it came from.
pub const ASSUMPTIONS: &str = "Assumptions and sources";

/// Everything a report says.
pub struct ReportInput<'a> {
    pub scenario: &'a Scenario,
    /// The deterministic projection (low, central, high).
    pub projection: &'a Projection,
    /// With `--simulate`: the Monte Carlo.
    pub simulation: Option<&'a Simulation>,
    /// The scenario file as named, and the scenarios it extends (nearest first).
    pub file: &'a str,
    pub extends: &'a [String],
    /// The command-line overrides applied, as written.
    pub overrides: &'a [String],
    /// Where each figure came from: its comment or `source` field.
    pub notes: &'a [SourceNote],
    /// Decimal places for money shown rounded.
    pub dp: u32,
}

/// The formats of `savings report`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// A committee-paper section (Markdown)
    Md,
    /// One self-contained HTML page, printable to A4
    Html,
    /// A spreadsheet whose projection is live Excel formulas over an Inputs sheet
    Xlsx,
    /// The charts as SVG
    Svg,
    /// The charts as PNG
    Png,
}

impl ReportFormat {
    /// The format an output file's extension names, if any.
    pub fn of_path(path: &Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "md" | "markdown" => Some(Self::Md),
            "html" | "htm" => Some(Self::Html),
            "xlsx" => Some(Self::Xlsx),
            "svg" => Some(Self::Svg),
            "png" => Some(Self::Png),
            _ => None,
        }
    }

    /// Whether the format is binary (never written to a terminal).
    pub fn is_binary(self) -> bool {
        matches!(self, Self::Xlsx | Self::Png)
    }

    /// Writes the report in this format.
    pub fn write(self, input: &ReportInput, out: &mut dyn std::io::Write) -> anyhow::Result<()> {
        match self {
            Self::Md => markdown::write(input, out),
            Self::Html => html::write(input, out),
            Self::Xlsx => out.write_all(&xlsx::workbook(input)?).map_err(Into::into),
            Self::Svg => out
                .write_all(chart::svg(input)?.as_bytes())
                .map_err(Into::into),
            Self::Png => out.write_all(&chart::png(input)?).map_err(Into::into),
        }
    }
}

/// The report as headings, tables and notes, shared by Markdown and HTML: the summary over
/// the horizon, the year-by-year build-up against planned savings and the gap in each case,
/// for a plan the gap built line by line and its first MTFP year step by step, the services
/// and their plans, for a plan the subtotals by status and by area, the simulation (with
/// `--simulate`), and the assumptions with their sources. `text_charts` adds the text bar charts (Markdown has no room for images).
pub fn document(input: &ReportInput, text_charts: bool) -> TextReport {
    let scenario = input.scenario;
    let unit = &scenario.unit;
    let run_report = RunReport {
        scenario,
        projection: input.projection,
        source: input.file,
        extends: input.extends,
        overrides: input.overrides,
        dp: input.dp,
        chart: false,
    };
    let mut sections = vec![
        Section {
            heading: format!("Over {} ({unit})", years_count(scenario.horizon)),
            table: run::summary(&run_report),
        },
        Section {
            heading: format!("Year by year: build-up against planned savings and the gap ({unit})"),
            table: years(input),
        },
    ];
    // A plan (docs/model.md section 9): the gap built line by line, the first MTFP year's
    // gap step by step, and the subtotals by status and by area, where the scenario has them.
    sections.extend(plan::gap_build_section(
        scenario,
        input.projection,
        input.dp,
    ));
    let waterfall = Waterfall::of(scenario, input.projection);
    if let Some(waterfall) = &waterfall {
        sections.push(Section {
            heading: format!(
                "The gap in {}, step by step to the remaining gap ({unit}, central case)",
                waterfall.year
            ),
            table: waterfall.table(input.dp),
        });
    }
    sections.push(Section {
        heading: format!("Services: the option taken forward and the plan ({unit}, central case)"),
        table: run::services(&run_report),
    });
    sections.extend(plan::subtotal_sections(input.projection, input.dp, unit));
    // Delivery tracked through the year (docs/model.md section 10), where any line is.
    sections.extend(crate::output::tracking::sections(
        scenario,
        input.projection,
        input.dp,
    ));
    let mut notes = run::notes(&run_report);
    notes.extend(plan::gap_build_note(scenario));
    if let Some(waterfall) = &waterfall {
        notes.extend(waterfall.notes.iter().cloned());
    }
    notes.extend(crate::output::tracking::notes(scenario, input.projection));
    notes.extend(bias_note(scenario));
    let mut charts = Vec::new();
    if text_charts {
        charts.push(textchart::build_up(
            scenario,
            input.projection,
            input.dp,
            CHART_WIDTH,
        ));
        charts.push(textchart::remaining_gap(
            scenario,
            input.projection,
            input.dp,
            CHART_WIDTH,
        ));
    }
    if let Some(simulation) = input.simulation {
        let simulated = SimulateReport {
            scenario,
            simulation,
            source: input.file,
            extends: input.extends,
            overrides: input.overrides,
            dp: input.dp,
            chart: false,
        }
        .text(CHART_WIDTH);
        for section in simulated.sections {
            sections.push(Section {
                heading: format!("Uncertainty: {}", section.heading),
                table: section.table,
            });
        }
        for note in simulated.notes {
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
        if text_charts {
            charts.push(textchart::simulated_gap(
                scenario,
                simulation,
                input.dp,
                CHART_WIDTH,
            ));
        }
    }
    sections.push(Section {
        heading: ASSUMPTIONS.into(),
        table: assumptions(input),
    });
    notes.push("Assumptions and sources: every figure the scenario writes, with the comment on its line (Note) and the source field of its table (Source), so each can be traced to a paragraph of the source or to an assumption.".into());
    let mut footer = provenance(input.file, input.extends, input.overrides);
    match input.simulation {
        Some(s) => footer.push(format!(
            "{}, seed {}. {PROGRAM}.",
            s.settings.trials_text(),
            s.settings.seed
        )),
        None => footer.push(format!("{PROGRAM}.")),
    }
    TextReport {
        title: format!("Savings report: {}", scenario.name),
        settings: settings(scenario),
        sections,
        charts,
        notes,
        footer,
    }
}

/// Year by year, every case: the build-up of in-year savings, planned savings to date, the
/// unidentified gap to date and the remaining gap.
fn years(input: &ReportInput) -> TextTable {
    use YearFigure::*;
    let columns = [
        YearColumn::new(InYear(Case::Low), "In-year saving low"),
        YearColumn::new(InYear(Case::Central), "In-year saving central"),
        YearColumn::new(InYear(Case::High), "In-year saving high"),
        YearColumn::new(PlannedToDate, "Planned to date"),
        YearColumn::new(GapToDate, "Gap to date"),
        YearColumn::new(RemainingGap(Case::Low), "Remaining gap low"),
        YearColumn::new(RemainingGap(Case::Central), "Remaining gap central"),
        YearColumn::new(RemainingGap(Case::High), "Remaining gap high"),
        YearColumn::new(Closed(Case::Central), "Closed (central)"),
    ];
    year_table(input.projection, input.dp, &columns)
}

/// Every figure written, its value and where it came from.
fn assumptions(input: &ReportInput) -> TextTable {
    let or_none = |text: &Option<String>| text.clone().unwrap_or_else(|| "-".into());
    TextTable::new(
        ["Figure", "As written", "Note", "Source", "Where"]
            .map(String::from)
            .to_vec(),
        input
            .notes
            .iter()
            .map(|n| {
                vec![
                    n.field.clone(),
                    n.value.clone(),
                    or_none(&n.note),
                    or_none(&n.source),
                    n.at.clone(),
                ]
            })
            .collect(),
        Vec::new(),
    )
}
