//! Output (docs/model.md section 8). Each command makes a [`Report`]; each format renders it:
//! the table and Markdown formats lay out the same [`TextReport`] (one file each), while CSV
//! and JSON come from the report itself, since their shape is the data's. Reports are made
//! from finished projections (every figure, total and summary already computed), so the only
//! thing that can fail while writing is the writing ([`sink`]).

pub mod compare;
pub mod csv;
pub mod frame;
mod interrupt;
pub mod json;
mod longform;
pub mod markdown;
pub mod options;
pub mod plan;
pub mod run;
pub mod sensitivity;
pub mod simulate;
pub mod sink;
pub mod solve;
pub mod sweep;
mod table;
pub mod textchart;
pub mod track;
pub mod tracking;
pub mod words;
pub mod years;

use std::io::Write;

use clap::ValueEnum;

pub use crate::projection::rows::{Measure, Row, rows, rows_of_service, rows_of_total};
pub use run::RunReport;

/// What a command has to say, in every format.
pub trait Report {
    /// Headings, tables and notes, for the table and Markdown formats; text charts fit
    /// lines of `width` columns.
    fn text(&self, width: usize) -> TextReport;
    /// The long-form CSV.
    fn write_csv(&self, out: &mut dyn Write) -> anyhow::Result<()>;
    /// The JSON document.
    fn write_json(&self, out: &mut dyn Write) -> anyhow::Result<()>;
}

/// A report as text: a title, the scenario's settings, sections of tables, notes.
pub struct TextReport {
    pub title: String,
    pub settings: String,
    pub sections: Vec<Section>,
    /// Text charts (a heading and lines of fixed-width text, within the width the report
    /// was made for), after the tables.
    pub charts: Vec<(String, String)>,
    pub notes: Vec<String>,
    /// Where the figures came from: the file, what it extends, overrides, the program.
    pub footer: Vec<String>,
}

/// A heading and its table.
pub struct Section {
    pub heading: String,
    pub table: TextTable,
}

/// A table of display cells: a header row, then body rows.
pub struct TextTable {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Columns (by index) that hold figures and are right-aligned.
    pub numeric: Vec<usize>,
    /// A shorter header for the terminal, with line breaks, where the full one is too wide.
    pub terminal_header: Option<Vec<String>>,
    /// The least width of the first columns on the terminal, so long names wrap in a column
    /// wide enough to read.
    pub min_widths: Vec<u16>,
    /// How many leading columns label a row (the year, the service): a table too wide for
    /// the terminal is split into several, each repeating these.
    pub keys: usize,
}

impl TextTable {
    /// A table with no terminal-specific layout.
    pub fn new(header: Vec<String>, rows: Vec<Vec<String>>, numeric: Vec<usize>) -> Self {
        Self {
            header,
            rows,
            numeric,
            terminal_header: None,
            min_widths: Vec::new(),
            keys: 1,
        }
    }
}

/// The formats every command writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table for the terminal (fits COLUMNS, else the terminal, else 100 columns), money
    /// rounded for display
    Table,
    /// Long ("tidy") CSV: scenario,service,option,year,measure,case,value; exact values
    Csv,
    /// JSON, schema "savings-modeller/1"; numbers as strings
    Json,
    /// A committee-paper section: headings, tables and notes (`md` too, as `report` spells it)
    #[value(alias = "md")]
    Markdown,
}

impl Format {
    /// Writes `report` in this format.
    pub fn write(self, report: &dyn Report, out: &mut dyn Write) -> anyhow::Result<()> {
        match self {
            Format::Table => {
                let width = table::width();
                table::write(&report.text(width), width, out)
            }
            Format::Markdown => markdown::write(&report.text(markdown::CHART_WIDTH), out),
            Format::Csv => report.write_csv(out),
            Format::Json => report.write_json(out),
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

/// The most rows one long-form output (CSV, or JSON of the same rows) may have: about 1 GB of
/// CSV. A run too large for it is refused before any work, with what to narrow.
pub const MAX_OUTPUT_ROWS: u64 = 10_000_000;

/// Refuses an output of about `rows` rows above [`MAX_OUTPUT_ROWS`].
pub fn check_output_rows(rows: u64, what: &str, narrow: &str) -> anyhow::Result<()> {
    if rows > MAX_OUTPUT_ROWS {
        anyhow::bail!(
            "{what} would write about {rows} rows, above the limit of {MAX_OUTPUT_ROWS} for one output; {narrow}"
        );
    }
    Ok(())
}

/// The program's name and version, for footers and JSON.
pub const PROGRAM: &str = concat!("savings-modeller ", env!("CARGO_PKG_VERSION"));
