//! `savings import`: a council's own spreadsheet (xlsx, xlsm, ods or csv) to a scenario, with
//! every figure traced to its cell (docs/model.md section 11).
//!
//! The stages, each usable alone:
//!
//! 1. [`read`]: the file to a [`Workbook`] of cells (values, formula text, merged regions),
//!    refusing what is too large before reading it (file size, the zip's uncompressed size,
//!    rows, columns, cells) and what is encrypted or corrupt;
//! 2. [`table::plan_from_workbook`]: a workbook to an [`ImportedPlan`]: the sheet that holds
//!    the savings table, its header row of years, its columns (reference, line, area, status,
//!    RAG, the year blocks of plan, delivered and forecast figures), its unit, levels or
//!    increments, the sign the sheet prints savings with, and each row as a line, a total, a
//!    section heading or a row skipped; every problem collected, each naming its cell;
//! 3. [`totals::check`]: each total row against the lines it covers;
//! 4. [`write::scenario_text`]: an imported plan to the scenario's TOML text;
//! 5. [`dryrun::report`]: what was found, cell by cell, for `--dry-run`.
//!
//! A later stage can give [`table::plan_from_workbook`] a workbook from elsewhere (the
//! report's own xlsx, read back) and write it with [`write::scenario_text`].

pub mod dryrun;
pub mod figure;
pub mod grid;
pub mod read;
pub mod table;
pub mod totals;
pub mod words;
pub mod write;
pub mod years;

use std::fmt;

use rust_decimal::Decimal;

pub use grid::{CellRef, Workbook};
pub use table::plan_from_workbook;

use crate::model::{Basis, FinancialYear, Rag, Status};
use crate::scenario::MAX_PROBLEMS;
use words::{Block, Role, TotalKind};

/// One problem with the spreadsheet or the flags: where (file, sheet and cell), which field,
/// what is wrong, and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The cell or range (`Savings!D7`), if the problem has one.
    pub place: Option<String>,
    /// What the cell was read as (`status`, `2025/26`).
    pub field: Option<String>,
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            place: None,
            field: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn at(place: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            place: Some(place.into()),
            ..Self::new(message)
        }
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `file: Savings!D7: 2025/26: message`, and the help on its own line.
    pub fn display(&self, file: &str) -> String {
        let mut text = file.to_string();
        if let Some(place) = &self.place {
            text.push_str(": ");
            text.push_str(place);
        }
        if let Some(field) = &self.field {
            text.push_str(": ");
            text.push_str(field);
        }
        text.push_str(": ");
        text.push_str(&self.message);
        if let Some(help) = &self.help {
            text.push_str("\n  = help: ");
            text.push_str(help);
        }
        text
    }
}

/// Why a spreadsheet could not be imported: every problem found (at most
/// [`MAX_PROBLEMS`]). Nothing is written.
#[derive(Clone, Debug)]
pub struct ImportError {
    /// The file as messages name it.
    pub file: String,
    pub problems: Vec<Problem>,
    /// Whether more problems were found than are listed.
    pub stopped: bool,
}

impl ImportError {
    pub fn one(file: &str, problem: Problem) -> Self {
        Self {
            file: file.to_string(),
            problems: vec![problem],
            stopped: false,
        }
    }

    /// The problems collected, if any: the error to return.
    pub fn from_problems(file: &str, mut problems: Vec<Problem>) -> Option<Self> {
        if problems.is_empty() {
            return None;
        }
        let stopped = problems.len() > MAX_PROBLEMS;
        problems.truncate(MAX_PROBLEMS);
        Some(Self {
            file: file.to_string(),
            problems,
            stopped,
        })
    }
}

/// As the scenario loader prints its problems: each after its own `error: ` (the caller
/// prints the first), then a line counting them.
impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n\nerror: ")?;
            }
            f.write_str(&problem.display(&self.file))?;
        }
        if self.problems.len() > 1 || self.stopped {
            write!(
                f,
                "\n\nerror: {}{} problems in {}",
                if self.stopped { "more than " } else { "" },
                self.problems.len(),
                self.file
            )?;
            if self.stopped {
                f.write_str("; checking stopped there, so fix these and import again")?;
            }
            f.write_str("; nothing was written")?;
        }
        Ok(())
    }
}

impl std::error::Error for ImportError {}

/// How the savings are signed in the sheet (`--savings-sign`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sign {
    /// Savings are printed as negative figures: each is multiplied by -1.
    Negative,
    /// Savings are printed as positive figures: kept.
    Positive,
}

/// A month, `2025-12`: the month tracked figures describe.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Month {
    pub year: u16,
    pub month: u8,
}

impl Month {
    /// Reads a month as a sheet's "As at" cell may write it: `2025-09`, `2025-09-30`,
    /// `30/09/2025` (day first, as in the UK), `September 2025`, `30 Sept 2025`.
    pub fn from_text(text: &str) -> Option<Self> {
        let text = text.trim();
        if let Ok(month) = Self::parse(text) {
            return Some(month);
        }
        if let Some(date) = grid::Date::from_iso(text) {
            return Self::of_date(date);
        }
        let parts: Vec<&str> = text.split(['/', '.', '-']).map(str::trim).collect();
        if let [day, month, year] = parts.as_slice()
            && day.len() <= 2
            && year.len() == 4
            && let (Ok(_), Ok(month), Ok(year)) =
                (day.parse::<u8>(), month.parse::<u8>(), year.parse::<u16>())
            && (1..=12).contains(&month)
        {
            return Some(Self { year, month });
        }
        const NAMES: [&str; 12] = [
            "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        ];
        let words = words::words(text);
        let month = words.iter().find_map(|w| {
            NAMES
                .iter()
                .position(|n| w.len() >= 3 && w.starts_with(n))
                .map(|i| i as u8 + 1)
        })?;
        let year = words
            .iter()
            .find(|w| w.len() == 4)
            .and_then(|w| w.parse::<u16>().ok())?;
        Some(Self { year, month })
    }

    /// The month a date falls in.
    pub fn of_date(date: grid::Date) -> Option<Self> {
        Some(Self {
            year: u16::try_from(date.year).ok()?,
            month: u8::try_from(date.month).ok()?,
        })
    }

    /// Reads `YYYY-MM`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let invalid = || format!("{text:?} is not a month: write it as YYYY-MM, e.g. 2025-12");
        let (y, m) = text.trim().split_once('-').ok_or_else(invalid)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(invalid());
        }
        let year: u16 = y.parse().map_err(|_| invalid())?;
        let month: u8 = m.parse().map_err(|_| invalid())?;
        if !(1..=12).contains(&month) {
            return Err(invalid());
        }
        Ok(Self { year, month })
    }

    /// The financial year the month falls in.
    pub fn financial_year(self) -> Option<FinancialYear> {
        FinancialYear::starting_in(if self.month >= 4 {
            self.year
        } else {
            self.year.checked_sub(1)?
        })
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// What the user told the import (the flags of `savings import`), already read.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `--sheet`: the sheet to read (else the first that holds a savings table).
    pub sheet: Option<String>,
    /// `--header-row`: the header row, 0-based (the flag counts from 1).
    pub header_row: Option<u32>,
    /// `--columns`: the columns of the roles given (0-based).
    pub columns: Vec<(Role, u32)>,
    /// `--columns 2025/26=F`: the plan's year columns, given rather than found.
    pub year_columns: Vec<(FinancialYear, u32)>,
    /// `--amounts`.
    pub amounts: Option<Basis>,
    /// `--unit`, as the scenario will write it.
    pub unit: Option<String>,
    /// `--savings-sign`.
    pub sign: Option<Sign>,
    /// `--status WORD=STATUS`, in the order given. An empty word is a blank cell.
    pub statuses: Vec<(String, Status)>,
    /// `--rag WORD=RAG`.
    pub rags: Vec<(String, Rag)>,
    /// `--as-at`.
    pub as_at: Option<Month>,
    /// With `--extends`: a line whose status cell is blank (and no `--status =STATUS`) keeps
    /// the status the scenario extended gives it (its default, `proposed`, for a new line).
    pub status_from_parent: bool,
}

/// A column the import found (or was told) and what it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub col: u32,
    pub role: Role,
    /// The heading cell, if the column has one.
    pub heading: Option<CellRef>,
    /// How it was found: "heading \"Ref\"", "--columns".
    pub found: String,
}

/// A column of figures: one year of one block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearColumn {
    pub col: u32,
    pub year: FinancialYear,
    pub block: Block,
    /// The heading cell (none where `--columns` gave it).
    pub heading: Option<CellRef>,
}

/// A figure read from a cell, as the sheet holds it and as the scenario will.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub year: FinancialYear,
    pub at: CellRef,
    /// As the sheet holds it (its sign as printed).
    pub sheet: Decimal,
    /// The double a spreadsheet number cell holds (none for text), for the totals check.
    pub double: Option<f64>,
    /// As the scenario writes it (sign turned where savings are printed negative).
    pub value: Decimal,
}

/// Where a setting came from, for the dry run and the scenario's comments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found<T> {
    pub value: T,
    /// "cell D3 says \"£000\"", "--unit".
    pub from: String,
}

/// One saving of the plan: a row of the sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub row: u32,
    /// The cells it spans (first and last column read).
    pub first_col: u32,
    pub last_col: u32,
    pub id: String,
    pub name: String,
    /// Whether the name is the sheet's own (a name column's text), not made from the
    /// reference or the row. With `--extends` a made name is not written, so the scenario
    /// extended keeps its own.
    pub named: bool,
    /// The reference as written, if any.
    pub reference: Option<String>,
    pub area: Option<String>,
    pub status: Status,
    /// The status cell's text, or none where the status is the default.
    pub status_word: Option<String>,
    /// The status is not the sheet's: no status cell, and no `--status =STATUS` for blank
    /// ones. With `--extends` it is then left to the scenario extended (not written).
    pub status_default: bool,
    pub rag: Option<Rag>,
    pub plan: Vec<Figure>,
    pub delivered: Vec<Figure>,
    pub forecast: Vec<Figure>,
    /// Changes made to the text so the scenario can hold it (cut, line breaks), for the dry run.
    pub notes: Vec<String>,
}

impl Line {
    /// Every figure of the line, plan first.
    pub fn figures(&self) -> impl Iterator<Item = &Figure> {
        self.plan
            .iter()
            .chain(&self.delivered)
            .chain(&self.forecast)
    }
}

/// A total row: not a line, but checked against the lines it covers.
#[derive(Clone, Debug, PartialEq)]
pub struct TotalRow {
    pub row: u32,
    pub label: Option<String>,
    /// From the label; `None` where only its formulas make it a total.
    pub kind: Option<TotalKind>,
    /// The check in each year column.
    pub checks: Vec<totals::Check>,
}

/// A row that is neither a line nor a total, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub row: u32,
    pub why: String,
}

/// A spreadsheet's savings table, read: what `savings import` writes as a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedPlan {
    /// The file as messages name it.
    pub file: String,
    /// The file's name without its folder, for `source` fields.
    pub file_name: String,
    pub kind: grid::Kind,
    pub sheet: String,
    /// Sheets passed over before this one, and why.
    pub sheets_passed: Vec<(String, String)>,
    /// The sheet's title (the first text above the header), for the scenario's name.
    pub title: Option<(CellRef, String)>,
    /// The header row (0-based); `None` where the years were given and no row holds them.
    pub header_row: u32,
    /// The unit row under the header, if there is one.
    pub unit_row: Option<u32>,
    pub columns: Vec<Column>,
    pub year_columns: Vec<YearColumn>,
    /// Headings not read as years over columns of figures, and headings read as nothing.
    pub ignored_columns: Vec<(CellRef, String)>,
    pub unit: Option<Found<String>>,
    /// Levels or increments (only where the table has plan figures).
    pub basis: Option<Found<Basis>>,
    /// How signs were read: what the sheet's figures are multiplied by, and why.
    pub sign: Found<i8>,
    /// The month tracked figures describe: `--as-at`, or an "As at" cell above the header.
    pub as_at: Option<Found<Month>>,
    pub lines: Vec<Line>,
    pub totals: Vec<TotalRow>,
    /// Section headings: row, text.
    pub headings: Vec<(u32, String)>,
    pub skipped: Vec<Skipped>,
    /// A second table seen below this one (its header row), not imported.
    pub second_table: Option<u32>,
    /// What the import noticed that is not an error (printed as warnings).
    pub warnings: Vec<String>,
}

impl ImportedPlan {
    /// The first and last projected year any figure names.
    pub fn year_span(&self) -> Option<(FinancialYear, FinancialYear)> {
        let first = self.year_columns.iter().map(|c| c.year).min()?;
        let last = self.year_columns.iter().map(|c| c.year).max()?;
        Some((first, last))
    }

    /// Whether any line records delivery (delivered or forecast figures).
    pub fn is_tracked(&self) -> bool {
        self.year_columns.iter().any(|c| c.block != Block::Plan)
    }

    /// The total rows whose check failed.
    pub fn mismatches(&self) -> impl Iterator<Item = (&TotalRow, &totals::Check)> {
        self.totals
            .iter()
            .flat_map(|t| t.checks.iter().map(move |c| (t, c)))
            .filter(|(_, c)| !c.agrees())
    }
}
