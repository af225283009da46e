//! `savings report`: what officers hand on. One [`ReportInput`] (the scenario, its
//! projection, optionally a simulation, where the figures came from) laid out as a committee
//! Markdown section, a self-contained HTML page, a spreadsheet with live formulas, or a chart
//! (SVG or PNG).

pub mod chart;
pub mod html;
pub mod markdown;
pub mod notes;
pub mod xlsx;

use std::path::Path;

use crate::model::Scenario;
use crate::projection::Projection;
use crate::simulate::Simulation;

pub use notes::SourceNote;

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
