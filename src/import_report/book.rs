//! The report workbook as the reader sees it: its sheet names, its document properties, and
//! the cells of the sheets that hold the scenario (Summary, Inputs, Tracker), each a value (a
//! number as the spreadsheet stores it, text, a date, an error) and, where it is a formula,
//! its formula text. Cells are named as spreadsheets print them (`Tracker!H12`), so every
//! message can point at the cell it is about.
//!
//! The Projection, Simulation and Sources sheets are not read: they hold formulas over the
//! inputs, statistics of random draws and notes, none of which a scenario is made from.

use std::fmt;
use std::fs;
use std::io::{Cursor, Read};
use std::path::Path;

use calamine::{DataRef, Reader, Xlsx};

use super::Problem;
use crate::import::grid::shown_text;

/// The largest workbook read (the core import's limit): a report of a 2,000-line plan is
/// about 4 MB.
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;
/// The most cells holding anything in the sheets read.
pub const MAX_CELLS: usize = 5_000_000;

/// The sheets a scenario is read from.
pub const READ_SHEETS: [&str; 3] = ["Summary", "Inputs", "Tracker"];

/// A cell's place: 0-based row and column, printed `H12`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct At {
    pub row: u32,
    pub col: u32,
}

impl At {
    pub fn new(row: u32, col: u32) -> Self {
        Self { row, col }
    }
}

impl fmt::Display for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", column_name(self.col), u64::from(self.row) + 1)
    }
}

/// A column's letters: 0 is `A`, 25 `Z`, 26 `AA`.
pub fn column_name(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// What a cell holds.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Value {
    #[default]
    Empty,
    /// A number, as the spreadsheet stores it (a binary double).
    Number(f64),
    Text(String),
    Bool(bool),
    /// A number the spreadsheet shows as a date (its day number).
    Date(f64),
    /// An error value such as `#REF!`.
    Error(String),
}

impl Value {
    /// Whether the cell holds nothing (or only spaces).
    pub fn is_blank(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The value as a message quotes it.
    pub fn describe(&self) -> String {
        match self {
            Value::Empty => "nothing".to_string(),
            Value::Number(n) => format!("the number {n}"),
            Value::Text(t) => format!("the text {:?}", shown_text(t, 40)),
            Value::Bool(b) => format!("the value {}", if *b { "TRUE" } else { "FALSE" }),
            Value::Date(_) => "a date".to_string(),
            Value::Error(e) => format!("the error {e}"),
        }
    }
}

/// One cell: its value (a formula's cached result) and, for a formula, its text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cell {
    pub value: Value,
    pub formula: Option<String>,
}

static EMPTY: Cell = Cell {
    value: Value::Empty,
    formula: None,
};

/// One sheet's cells: each row's cells holding anything, in column order (a sheet is read
/// row by row, so a row of 2,000 lines' figures is pushed, never hashed).
#[derive(Clone, Debug, Default)]
pub struct Sheet {
    pub name: String,
    rows: Vec<Vec<(u32, Cell)>>,
}

impl Sheet {
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_string(),
            rows: Vec::new(),
        }
    }

    pub fn set(&mut self, at: At, cell: Cell) {
        let row = at.row as usize;
        if self.rows.len() <= row {
            self.rows.resize_with(row + 1, Vec::new);
        }
        let cells = &mut self.rows[row];
        match cells.last() {
            Some((col, _)) if *col >= at.col => {
                match cells.binary_search_by_key(&at.col, |c| c.0) {
                    Ok(i) => cells[i].1 = cell,
                    Err(i) => cells.insert(i, (at.col, cell)),
                }
            }
            _ => cells.push((at.col, cell)),
        }
    }

    pub fn cell(&self, at: At) -> &Cell {
        self.rows
            .get(at.row as usize)
            .and_then(|cells| {
                cells
                    .binary_search_by_key(&at.col, |c| c.0)
                    .ok()
                    .map(|i| &cells[i].1)
            })
            .unwrap_or(&EMPTY)
    }

    pub fn value(&self, row: u32, col: u32) -> &Value {
        &self.cell(At::new(row, col)).value
    }

    /// The trimmed text of a text cell; `None` for anything else.
    pub fn text(&self, row: u32, col: u32) -> Option<&str> {
        match self.value(row, col) {
            Value::Text(t) => Some(t.trim()),
            _ => None,
        }
    }

    /// `Tracker!H12`: the cell as messages name it (the sheet quoted where its name needs it).
    pub fn place(&self, at: At) -> String {
        place(&self.name, at)
    }

    /// The last row holding anything, if any.
    pub fn last_row(&self) -> Option<u32> {
        self.rows
            .iter()
            .rposition(|cells| !cells.is_empty())
            .and_then(|r| u32::try_from(r).ok())
    }
}

/// `Inputs!B2`, `'My sheet'!B2`.
pub fn place(sheet: &str, at: At) -> String {
    if sheet.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        format!("{sheet}!{at}")
    } else {
        format!("'{}'!{at}", sheet.replace('\'', "''"))
    }
}

/// A workbook: every sheet's name in order, the defined names, the document's title and
/// author, and the cells of the sheets in [`READ_SHEETS`].
#[derive(Clone, Debug, Default)]
pub struct Book {
    pub sheet_names: Vec<String>,
    /// Defined names and what they refer to (`Overlap` -> `Inputs!$B$2`).
    pub defined_names: Vec<(String, String)>,
    pub title: Option<String>,
    pub creator: Option<String>,
    pub sheets: Vec<Sheet>,
}

impl Book {
    pub fn sheet(&self, name: &str) -> Option<&Sheet> {
        self.sheets.iter().find(|s| s.name == name)
    }

    /// Reads the workbook at `path`, refusing a file too large before reading it.
    pub fn open(path: &Path) -> Result<Self, Problem> {
        let metadata = fs::metadata(path).map_err(|e| Problem::new(open_message(&e)))?;
        if !metadata.is_file() {
            return Err(Problem::new(
                "is not a file: save the workbook to a file and read that",
            ));
        }
        if metadata.len() > MAX_FILE_BYTES {
            return Err(Problem::new(format!(
                "the file is {:.1} MiB; a report workbook is read up to {} MiB",
                metadata.len() as f64 / (1024.0 * 1024.0),
                MAX_FILE_BYTES / (1024 * 1024)
            )));
        }
        let mut bytes = Vec::new();
        fs::File::open(path)
            .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
            .map_err(|e| Problem::new(open_message(&e)))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(Problem::new("the file grew while it was read"));
        }
        Self::from_bytes(bytes)
    }

    /// Reads a workbook from its bytes.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, Problem> {
        let corrupt = |e: calamine::XlsxError| {
            Problem::new(format!("the workbook cannot be read: {e}")).help(
                "open it in your spreadsheet program and save it again as .xlsx, then read the new file",
            )
        };
        let mut xlsx = Xlsx::new(Cursor::new(bytes)).map_err(corrupt)?;
        let sheet_names = xlsx.sheet_names();
        let defined_names = xlsx.defined_names().to_vec();
        let (title, creator) = match xlsx.workbook_properties() {
            Ok(p) => (p.title, p.creator),
            Err(_) => (None, None),
        };
        let mut sheets = Vec::new();
        let mut count = 0usize;
        for name in READ_SHEETS {
            if !sheet_names.iter().any(|n| n == name) {
                continue;
            }
            let mut sheet = Sheet::new(name);
            let mut cells = xlsx.worksheet_cells_reader(name).map_err(corrupt)?;
            while let Some(cell) = cells.next_cell_with_formula().map_err(corrupt)? {
                let value = value_of(&cell.value);
                let formula = cell.formula.filter(|f| !f.is_empty());
                if value.is_blank() && formula.is_none() {
                    continue;
                }
                count += 1;
                if count > MAX_CELLS {
                    return Err(Problem::new(format!(
                        "the sheets hold more than {MAX_CELLS} cells: this is not a report workbook of a plan this tool reads"
                    )));
                }
                sheet.set(At::new(cell.pos.0, cell.pos.1), Cell { value, formula });
            }
            sheets.push(sheet);
        }
        Ok(Self {
            sheet_names,
            defined_names,
            title,
            creator,
            sheets,
        })
    }
}

fn open_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "cannot read the file: permission denied".into(),
        _ => format!("cannot read the file: {e}"),
    }
}

fn value_of(value: &DataRef<'_>) -> Value {
    match value {
        DataRef::Empty => Value::Empty,
        DataRef::Int(i) => Value::Number(*i as f64),
        DataRef::Float(f) => Value::Number(*f),
        DataRef::String(s) => Value::Text(s.clone()),
        DataRef::SharedString(s) => Value::Text((*s).to_string()),
        DataRef::Bool(b) => Value::Bool(*b),
        DataRef::DateTime(d) if d.is_datetime() => Value::Date(d.as_f64()),
        DataRef::DateTime(d) => Value::Number(d.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Value::Text(s.clone()),
        DataRef::Error(e) => Value::Error(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_spreadsheets_print_them() {
        assert_eq!(At::new(11, 7).to_string(), "H12");
        assert_eq!(At::new(0, 26).to_string(), "AA1");
        assert_eq!(At::new(0, 16_383).to_string(), "XFD1");
        assert_eq!(place("Tracker", At::new(11, 7)), "Tracker!H12");
        assert_eq!(place("My sheet", At::new(0, 0)), "'My sheet'!A1");
    }
}
