//! Output formats (DOMAIN.md section 8), one file each behind [`Exporter`], and where they
//! go ([`sink`]). Exporters are given a finished projection (every figure, total and summary
//! already computed), so the only thing that can fail while they write is the writing.

mod csv;
mod json;
mod markdown;
mod notes;
mod rows;
pub mod sink;
mod table;

use std::io::Write;

use clap::ValueEnum;

pub use rows::{Measure, Row, rows};

use crate::model::Scenario;
use crate::projection::Projection;

/// What every exporter is given: the validated scenario, its projection, and how to show it.
pub struct Report<'a> {
    pub scenario: &'a Scenario,
    pub projection: &'a Projection,
    /// The scenario file as the user named it (`builtin:kcc-2014-phase1.toml`, `<stdin>`).
    pub source: &'a str,
    /// Decimal places for money shown rounded (table and Markdown only).
    pub dp: u32,
}

/// One output format.
pub trait Exporter {
    /// Writes the whole output to `out`.
    fn write(&self, report: &Report, out: &mut dyn Write) -> anyhow::Result<()>;
}

/// The formats of `savings run --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table for the terminal (fits 100 columns), money rounded for display
    Table,
    /// Long ("tidy") CSV: scenario,service,option,year,measure,case,value; exact values
    Csv,
    /// JSON, schema "savings-modeller/1": the CSV's rows plus summaries; numbers as strings
    Json,
    /// A committee-paper section: headings, tables and notes
    Markdown,
}

impl Format {
    pub fn exporter(self) -> Box<dyn Exporter> {
        match self {
            Format::Table => Box::new(table::TableExporter),
            Format::Csv => Box::new(csv::CsvExporter),
            Format::Json => Box::new(json::JsonExporter),
            Format::Markdown => Box::new(markdown::MarkdownExporter),
        }
    }
}

/// Guards a text cell against spreadsheet formula injection (OWASP): text that starts with
/// `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`. Numbers never pass here.
pub fn neutralise(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The program's name and version, for footers and JSON.
pub const PROGRAM: &str = concat!("savings-modeller ", env!("CARGO_PKG_VERSION"));
