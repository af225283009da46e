//! A workbook as the importer sees it: sheets of cells, each cell a value (empty, a number as
//! the spreadsheet stores it, text, a boolean, a date, an error) and, where the spreadsheet
//! keeps one, the formula text. Cells are addressed as spreadsheets print them (`D7`,
//! `Savings!D7`, `'Savings 2025-28'!A7:F7`), so every message can name the cell it is about.

use std::fmt;

/// A cell's place: 0-based row and column, printed `D7`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellRef {
    pub row: u32,
    pub col: u32,
}

impl CellRef {
    pub fn new(row: u32, col: u32) -> Self {
        Self { row, col }
    }
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", column_name(self.col), u64::from(self.row) + 1)
    }
}

/// The most columns a spreadsheet has (XFD).
pub const SPREADSHEET_COLUMNS: u32 = 16_384;

/// A column's letters: 0 is `A`, 25 `Z`, 26 `AA`.
pub fn column_name(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// Reads a column as a user types it on the command line: letters (`D`, `aa`, up to `XFD`) or
/// a 1-based number (`4`). Returns the 0-based column.
pub fn parse_column(text: &str) -> Result<u32, String> {
    let text = text.trim();
    let invalid = || {
        format!(
            "{text:?} is not a column: write its letters (A to XFD) or its number counting from 1"
        )
    };
    if text.is_empty() {
        return Err(invalid());
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        let n: u32 = text.parse().map_err(|_| invalid())?;
        if n == 0 || n > SPREADSHEET_COLUMNS {
            return Err(invalid());
        }
        return Ok(n - 1);
    }
    if text.len() > 3 || !text.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(invalid());
    }
    let mut n: u32 = 0;
    for b in text.bytes() {
        n = n * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1;
    }
    if n > SPREADSHEET_COLUMNS {
        return Err(invalid());
    }
    Ok(n - 1)
}

/// Reads a cell address such as `F12` (letters then a 1-based row); `$` signs are ignored.
pub fn parse_cell(text: &str) -> Option<CellRef> {
    let text: String = text.chars().filter(|c| *c != '$').collect();
    let split = text.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = text.split_at(split);
    if letters.is_empty() || !letters.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let col = parse_column(letters).ok()?;
    let row: u32 = digits.parse().ok()?;
    (row >= 1).then(|| CellRef::new(row - 1, col))
}

/// A calendar date a cell holds (a spreadsheet stores it as a number with a date format).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Date {
    /// The date of a spreadsheet's day number: days since 30 December 1899 (the 1900
    /// system, counting Lotus's 29 February 1900), or since 1 January 1904.
    pub fn from_serial(serial: f64, is_1904: bool) -> Option<Self> {
        if !serial.is_finite() || !(0.0..3_000_000.0).contains(&serial) {
            return None;
        }
        let mut days = serial.floor() as i64;
        if is_1904 {
            days += 1462;
        } else if days < 61 {
            // Before 1 March 1900 the 1900 system is one day ahead (its 29 February 1900).
            days += 1;
        }
        // Days since 1899-12-30 to a civil date (Howard Hinnant's algorithm).
        let z = days - 25_569 + 719_468; // to days since 0000-03-01
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Some(Self {
            year: i32::try_from(year).ok()?,
            month: u32::try_from(month).ok()?,
            day: u32::try_from(day).ok()?,
        })
    }

    /// Reads the date at the start of an ISO 8601 text (`2025-04-01`, `2025-04-01T00:00:00`).
    pub fn from_iso(text: &str) -> Option<Self> {
        let date = text.get(..10)?;
        let mut parts = date.split('-');
        let year: i32 = parts.next()?.parse().ok()?;
        let month: u32 = parts.next()?.parse().ok()?;
        let day: u32 = parts.next()?.parse().ok()?;
        ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(Self { year, month, day })
    }
}

/// What a cell holds.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Value {
    #[default]
    Empty,
    /// A number, as the spreadsheet stores it (a binary double).
    Number(f64),
    /// Text, as typed (a CSV cell is always text).
    Text(String),
    Bool(bool),
    /// A number the spreadsheet shows as a date.
    Date(Date),
    /// An error value such as `#REF!` or `#DIV/0!`.
    Error(String),
}

impl Value {
    /// The text of a text cell, trimmed; `None` for anything else or blank text.
    pub fn text(&self) -> Option<&str> {
        match self {
            Value::Text(t) if !t.trim().is_empty() => Some(t.trim()),
            _ => None,
        }
    }

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
            Value::Date(d) => format!("the date {d}"),
            Value::Error(e) => format!("the error {e}"),
        }
    }
}

/// Text cut to `max` characters for a message (`...` marks the cut).
pub fn shown_text(text: &str, max: usize) -> String {
    let cut: String = text.chars().take(max).collect();
    if cut.len() < text.len() {
        format!("{cut}...")
    } else {
        cut
    }
}

/// One cell: its value and, in a workbook that keeps it, its formula (without the `=`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cell {
    pub value: Value,
    pub formula: Option<String>,
}

impl Cell {
    /// Whether the cell holds neither a value nor a formula.
    pub fn is_blank(&self) -> bool {
        self.value.is_blank() && self.formula.is_none()
    }
}

/// A rectangle of cells merged into one (the value sits in the top-left cell).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    pub first: CellRef,
    pub last: CellRef,
}

impl Region {
    pub fn contains(&self, at: CellRef) -> bool {
        (self.first.row..=self.last.row).contains(&at.row)
            && (self.first.col..=self.last.col).contains(&at.col)
    }
}

/// One sheet: rows of cells (each row its cells holding anything, in column order, so that
/// a sparse sheet takes no more memory than its cells) and the merged regions.
#[derive(Clone, Debug, Default)]
pub struct Sheet {
    pub name: String,
    rows: Vec<Vec<(u32, Cell)>>,
    pub merged: Vec<Region>,
}

static EMPTY: Cell = Cell {
    value: Value::Empty,
    formula: None,
};

impl Sheet {
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_string(),
            rows: Vec::new(),
            merged: Vec::new(),
        }
    }

    /// Puts `cell` at `at` (the reader has checked the limits). A blank cell clears it.
    pub fn set(&mut self, at: CellRef, cell: Cell) {
        let row = at.row as usize;
        if self.rows.len() <= row {
            if cell.is_blank() {
                return;
            }
            self.rows.resize_with(row + 1, Vec::new);
        }
        let cells = &mut self.rows[row];
        // Cells mostly arrive in order: the common case appends.
        let place = match cells.last() {
            Some((col, _)) if *col < at.col => Err(cells.len()),
            None => Err(0),
            _ => cells.binary_search_by_key(&at.col, |(c, _)| *c),
        };
        match (place, cell.is_blank()) {
            (Ok(i), true) => {
                cells.remove(i);
            }
            (Ok(i), false) => cells[i].1 = cell,
            (Err(_), true) => {}
            (Err(i), false) => cells.insert(i, (at.col, cell)),
        }
    }

    /// The cell at `at` (an empty one where the sheet holds nothing).
    pub fn cell(&self, at: CellRef) -> &Cell {
        self.rows
            .get(at.row as usize)
            .and_then(|r| {
                r.binary_search_by_key(&at.col, |(c, _)| *c)
                    .ok()
                    .map(|i| &r[i].1)
            })
            .unwrap_or(&EMPTY)
    }

    /// The cell at row `row`, column `col`.
    pub fn at(&self, row: u32, col: u32) -> &Cell {
        self.cell(CellRef::new(row, col))
    }

    /// How many rows the sheet holds (up to the last with anything in it).
    pub fn height(&self) -> u32 {
        u32::try_from(self.rows.len()).unwrap_or(u32::MAX)
    }

    /// The number of columns up to the last cell holding anything in any row.
    pub fn width(&self) -> u32 {
        self.rows
            .iter()
            .filter_map(|r| r.last().map(|(c, _)| c + 1))
            .max()
            .unwrap_or(0)
    }

    /// The cells of row `row` holding anything, with their columns, in order.
    pub fn row(&self, row: u32) -> &[(u32, Cell)] {
        self.rows.get(row as usize).map_or(&[], Vec::as_slice)
    }

    /// Whether row `row` holds nothing.
    pub fn row_is_blank(&self, row: u32) -> bool {
        self.row(row).iter().all(|(_, c)| c.is_blank())
    }

    /// The merged region `at` lies in, if any.
    pub fn merged_at(&self, at: CellRef) -> Option<&Region> {
        self.merged.iter().find(|r| r.contains(at))
    }

    /// The cell `at` shows: its own, or the top-left cell of the merged region it lies in.
    pub fn shown(&self, at: CellRef) -> (CellRef, &Cell) {
        match self.merged_at(at) {
            Some(region) if region.first != at && self.cell(at).is_blank() => {
                (region.first, self.cell(region.first))
            }
            _ => (at, self.cell(at)),
        }
    }

    /// `Savings!D7` (see [`address`]).
    pub fn address(&self, at: CellRef) -> String {
        address(&self.name, at)
    }

    /// `Savings!A7:F7` (see [`range_address`]).
    pub fn range_address(&self, first: CellRef, last: CellRef) -> String {
        range_address(&self.name, first, last)
    }
}

/// `Savings!D7`: a cell named with its sheet, quoted as a spreadsheet quotes it (a CSV's one
/// sheet has no name: `D7`).
pub fn address(sheet: &str, at: CellRef) -> String {
    if sheet.is_empty() {
        return at.to_string();
    }
    format!("{}!{at}", sheet_prefix(sheet))
}

/// `Savings!A7:F7`; one cell as [`address`].
pub fn range_address(sheet: &str, first: CellRef, last: CellRef) -> String {
    if first == last {
        return address(sheet, first);
    }
    if sheet.is_empty() {
        return format!("{first}:{last}");
    }
    format!("{}!{first}:{last}", sheet_prefix(sheet))
}

/// The sheet's name as a formula writes it before `!`: bare if it is letters, digits and `_`
/// only, else in single quotes (a quote doubled).
pub fn sheet_prefix(name: &str) -> String {
    let plain = !name.is_empty()
        && name.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if plain {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

/// What kind of file a workbook was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Xlsx,
    Ods,
    Csv,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Xlsx => "xlsx",
            Kind::Ods => "ods",
            Kind::Csv => "csv",
        }
    }
}

/// A workbook read into memory: its sheets in order.
#[derive(Clone, Debug)]
pub struct Workbook {
    /// The file as messages name it (as typed, control characters escaped).
    pub file: String,
    /// The file's name without its folder, as the `source` fields cite it.
    pub file_name: String,
    pub kind: Kind,
    pub sheets: Vec<Sheet>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_as_spreadsheets_name_them() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
        assert_eq!(column_name(16_383), "XFD");
        assert_eq!(CellRef::new(6, 3).to_string(), "D7");
    }

    #[test]
    fn columns_are_read_as_letters_or_numbers() {
        assert_eq!(parse_column("A"), Ok(0));
        assert_eq!(parse_column("d"), Ok(3));
        assert_eq!(parse_column("AA"), Ok(26));
        assert_eq!(parse_column("XFD"), Ok(16_383));
        assert_eq!(parse_column("4"), Ok(3));
        assert!(parse_column("XFE").is_err());
        assert!(parse_column("0").is_err());
        assert!(parse_column("16385").is_err());
        assert!(parse_column("A1").is_err());
        assert!(parse_column("").is_err());
    }

    #[test]
    fn cells_are_read_from_their_addresses() {
        assert_eq!(parse_cell("F12"), Some(CellRef::new(11, 5)));
        assert_eq!(parse_cell("$F$12"), Some(CellRef::new(11, 5)));
        assert_eq!(parse_cell("F0"), None);
        assert_eq!(parse_cell("12"), None);
        assert_eq!(parse_cell("F"), None);
    }

    #[test]
    fn sheet_names_are_quoted_as_formulas_quote_them() {
        let mut sheet = Sheet::new("Savings");
        assert_eq!(sheet.address(CellRef::new(6, 3)), "Savings!D7");
        sheet.name = "Savings 2025-28".into();
        assert_eq!(
            sheet.range_address(CellRef::new(6, 0), CellRef::new(6, 5)),
            "'Savings 2025-28'!A7:F7"
        );
        sheet.name = "Bob's".into();
        assert_eq!(sheet.address(CellRef::new(0, 0)), "'Bob''s'!A1");
    }

    #[test]
    fn serial_dates_follow_the_1900_and_1904_systems() {
        let d = Date::from_serial(45_748.0, false);
        assert_eq!(
            d,
            Some(Date {
                year: 2025,
                month: 4,
                day: 1
            })
        );
        assert_eq!(
            Date::from_serial(1.0, false),
            Some(Date {
                year: 1900,
                month: 1,
                day: 1
            })
        );
        assert_eq!(
            Date::from_serial(61.0, false),
            Some(Date {
                year: 1900,
                month: 3,
                day: 1
            })
        );
        assert_eq!(
            Date::from_serial(0.0, true),
            Some(Date {
                year: 1904,
                month: 1,
                day: 1
            })
        );
        assert_eq!(Date::from_serial(f64::NAN, false), None);
        assert_eq!(
            Date::from_iso("2026-03-31T00:00:00"),
            Some(Date {
                year: 2026,
                month: 3,
                day: 31
            })
        );
    }

    #[test]
    fn a_merged_region_shows_its_first_cell() {
        let mut sheet = Sheet::new("S");
        sheet.set(
            CellRef::new(0, 1),
            Cell {
                value: Value::Text("Forecast".into()),
                formula: None,
            },
        );
        sheet.merged.push(Region {
            first: CellRef::new(0, 1),
            last: CellRef::new(0, 3),
        });
        let (from, cell) = sheet.shown(CellRef::new(0, 3));
        assert_eq!(from, CellRef::new(0, 1));
        assert_eq!(cell.value.text(), Some("Forecast"));
        assert!(sheet.shown(CellRef::new(0, 4)).1.is_blank());
    }
}
