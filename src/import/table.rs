//! A workbook to an [`ImportedPlan`]: finds the savings table and reads it row by row.
//!
//! - The sheet: `--sheet`, else the first sheet with a header row.
//! - The header row: `--header-row`, else the first row with two year headings (or one beside
//!   another heading: a title such as "Savings plan 2025/26" alone on its row is not a header).
//!   A unit row directly below (`£000` cells) is read for the unit and skipped.
//! - Year columns: runs of consecutive years; a run's block (plan, delivered, forecast) from
//!   the words of its year cells or of the title above it (a merged title covers every column
//!   it spans). The years of a run must be consecutive.
//! - Other columns by their headings (reference, line, area, status, RAG) or `--columns`.
//! - Rows below: blank rows skipped; a row whose label starts `Total`, `Sub-total`, `Net`,
//!   `Grand total`, or whose figures are formulas summing cells above, is a total; a row with
//!   only a label is a section heading (the area of the lines below it where there is no area
//!   column); a row of year headings again ends the table; every other row is a line.
//!
//! Every problem is collected, each naming its cell; the caller gets all of them or a plan.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::figure::{self, FigureError};
use super::grid::{Cell, CellRef, Sheet, Value, Workbook, column_name, shown_text};
use super::totals::{self, Event};
use super::words::{self, Block, RAG_WORDS, Role, STATUS_WORDS, WordMap};
use super::years::{self, Heading};
use super::{
    Column, Figure, Found, ImportError, ImportedPlan, Line, Options, Problem, Skipped, TotalRow,
    YearColumn,
};
use crate::model::{Basis, Rag, Status};
use crate::scenario::MAX_FIGURE;
use crate::scenario::first_hidden;

/// The longest name or area a scenario holds (longer text is cut, and the dry run says so).
const MAX_TEXT_CHARS: usize = 200;
/// The longest id.
const MAX_ID_CHARS: usize = 64;

/// Reads the savings table of `book` as `options` say.
pub fn plan_from_workbook(book: &Workbook, options: &Options) -> Result<ImportedPlan, ImportError> {
    let file = book.file.as_str();
    let fail = |problem: Problem| ImportError::one(file, problem);
    let (sheet, header_row, sheets_passed) = choose_sheet(book, options).map_err(fail)?;
    let mut reader = TableReader {
        sheet,
        options,
        header_row,
        problems: Vec::new(),
        warnings: Vec::new(),
    };
    let plan = reader.read(book, sheets_passed);
    match ImportError::from_problems(file, reader.problems) {
        Some(error) => Err(error),
        None => plan.ok_or_else(|| fail(Problem::new("the table could not be read"))),
    }
}

/// The year headings of row `row`, with their columns.
fn year_cells(sheet: &Sheet, row: u32) -> Vec<(u32, Heading)> {
    sheet
        .row(row)
        .iter()
        .filter_map(|(col, cell)| years::heading(&cell.value).map(|h| (*col, h)))
        .collect()
}

/// The year headings of a row: how many are written as years (`2025/26`, a date), and
/// whether they count up year by year (plain numbers such as 2025, 2026 count only so: a
/// line's figures can be whole numbers such as 2000 and 2100).
fn year_evidence(sheet: &Sheet, row: u32) -> (usize, bool) {
    let years = year_cells(sheet, row);
    let plain = |col: u32| match &sheet.at(row, col).value {
        Value::Number(_) => true,
        Value::Text(t) => t.trim().parse::<u16>().is_ok(),
        _ => false,
    };
    let written = years.iter().filter(|(col, _)| !plain(*col)).count();
    let counting = years.len() >= 2
        && years
            .windows(2)
            .all(|w| w[1].1.year.years_after(w[0].1.year) == 1);
    (written, counting)
}

/// Whether `row` is a header row: two year headings (see [`year_evidence`]), or one written
/// in words as a year beside another heading (a title such as "Savings plan 2025/26" alone on
/// its row is not a header, nor is a single date beside a label: "As at" 31/12/2025).
fn is_header(sheet: &Sheet, row: u32) -> bool {
    let (written, counting) = year_evidence(sheet, row);
    let filled = sheet.row(row).iter().filter(|(_, c)| !c.is_blank()).count();
    let one_in_words = || {
        year_cells(sheet, row)
            .iter()
            .any(|(col, _)| matches!(sheet.at(row, *col).value, Value::Text(_)))
    };
    written >= 2 || counting || (written == 1 && filled >= 2 && one_in_words())
}

/// Whether a row below the table's header is another header: two year headings.
fn starts_another_table(sheet: &Sheet, row: u32) -> bool {
    let (written, counting) = year_evidence(sheet, row);
    written >= 2 || counting
}

/// The first header row of `sheet`, if any.
fn find_header(sheet: &Sheet) -> Option<u32> {
    (0..sheet.height()).find(|&r| is_header(sheet, r))
}

/// Sheets passed over, each with why.
type Passed = Vec<(String, String)>;

/// The sheet to read, its header row, and the sheets passed over before it.
fn choose_sheet<'a>(
    book: &'a Workbook,
    options: &Options,
) -> Result<(&'a Sheet, u32, Passed), Problem> {
    let header_of = |sheet: &Sheet| -> Result<Option<u32>, Problem> {
        match options.header_row {
            Some(row) if row >= sheet.height() => Err(Problem::new(format!(
                "--header-row {} is below the last row holding anything ({})",
                row + 1,
                sheet.height()
            ))),
            Some(row) => Ok(Some(row)),
            None => Ok(find_header(sheet)),
        }
    };
    let no_header_help = "give --header-row N (the row of year headings, counting from 1), and --columns 2025/26=D,2026/27=E,... if the years are not headings the import reads";
    if let Some(wanted) = &options.sheet {
        let sheet = book
            .sheets
            .iter()
            .find(|s| s.name == *wanted)
            .or_else(|| {
                book.sheets
                    .iter()
                    .find(|s| s.name.trim().eq_ignore_ascii_case(wanted.trim()))
            })
            .ok_or_else(|| {
                let names: Vec<String> = book
                    .sheets
                    .iter()
                    .map(|s| format!("{:?}", s.name))
                    .collect();
                Problem::new(format!(
                    "there is no sheet {wanted:?}; the sheets are {}",
                    names.join(", ")
                ))
                .field("--sheet")
            })?;
        return match header_of(sheet)? {
            Some(row) => Ok((sheet, row, Vec::new())),
            None if !options.year_columns.is_empty() => Err(Problem::new(format!(
                "sheet {:?} has no row of year headings to start the table from",
                sheet.name
            ))
            .help(no_header_help)),
            None => Err(Problem::new(format!(
                "sheet {:?} holds no savings table: no row has year headings such as 2025/26",
                sheet.name
            ))
            .help(no_header_help)),
        };
    }
    let mut passed = Vec::new();
    for sheet in &book.sheets {
        if let Some(row) = header_of(sheet)? {
            return Ok((sheet, row, passed));
        }
        passed.push((
            sheet.name.clone(),
            if sheet.height() == 0 {
                "empty".to_string()
            } else {
                "no row of year headings".to_string()
            },
        ));
    }
    let names: Vec<String> = book
        .sheets
        .iter()
        .map(|s| format!("{:?}", s.name))
        .collect();
    let empty = |sheet: &Sheet| (0..sheet.height()).all(|r| sheet.row_is_blank(r));
    if book.sheets.iter().all(empty) {
        return Err(Problem::new(format!(
            "no savings table found: {} empty ({})",
            if book.sheets.len() == 1 {
                "the workbook's one sheet is"
            } else {
                "every sheet is"
            },
            names.join(", ")
        ))
        .help("check that this is the file you meant, saved after the table was typed in"));
    }
    Err(Problem::new(if let [sheet] = book.sheets.as_slice() {
        // A CSV's one sheet has no name.
        if sheet.name.is_empty() {
            "no savings table found: no row has year headings such as 2025/26".to_string()
        } else {
            format!(
                "no savings table found: no row of sheet {:?} has year headings such as 2025/26",
                sheet.name
            )
        }
    } else {
        format!(
            "no sheet holds a savings table: no row has year headings such as 2025/26 (sheets read: {})",
            names.join(", ")
        )
    })
    .help(no_header_help))
}

struct TableReader<'a> {
    sheet: &'a Sheet,
    options: &'a Options,
    header_row: u32,
    problems: Vec<Problem>,
    warnings: Vec<String>,
}

/// A row read below the header.
enum RowKind {
    Line(Line),
    Total(TotalRow),
    Heading(String),
    Skip(String),
}

impl TableReader<'_> {
    fn address(&self, at: CellRef) -> String {
        self.sheet.address(at)
    }

    fn problem(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    fn read(
        &mut self,
        book: &Workbook,
        sheets_passed: Vec<(String, String)>,
    ) -> Option<ImportedPlan> {
        let sheet = self.sheet;
        let header = self.header_row;
        let year_columns = self.year_columns()?;
        if year_columns.is_empty() {
            self.problem(
                Problem::at(
                    self.address(CellRef::new(header, 0)),
                    format!("the header row, {}, holds no year heading such as 2025/26", header + 1),
                )
                .help("give the row of year headings (--header-row N), or the year columns (--columns 2025/26=D,2026/27=E,...)"),
            );
            return None;
        }
        let plan_columns: Vec<&YearColumn> = year_columns
            .iter()
            .filter(|c| c.block == Block::Plan)
            .collect();
        let unit_row = (header + 1 < sheet.height())
            .then_some(header + 1)
            .filter(|&r| {
                let cells = sheet.row(r);
                cells.iter().any(|(_, c)| !c.is_blank())
                    && cells.iter().all(|(_, c)| {
                        c.is_blank() || c.value.text().is_some_and(words::is_only_unit)
                    })
            });
        let titles = self.block_titles(&year_columns);
        let unit = self.unit(&year_columns, &titles, unit_row);
        let basis = if plan_columns.is_empty() {
            None
        } else {
            self.basis(&year_columns, &titles, unit_row)
        };
        let as_at = match self.options.as_at {
            Some(month) => Some(Found {
                value: month,
                from: "--as-at".to_string(),
            }),
            None => self.as_at_in_sheet(),
        };
        if year_columns.iter().any(|c| c.block != Block::Plan) && as_at.is_none() {
            let first = year_columns.iter().find(|c| c.block != Block::Plan);
            if let Some(first) = first {
                let at = first.heading.map_or_else(String::new, |h| self.address(h));
                self.problem(
                    Problem::at(
                        at,
                        format!(
                            "the sheet has {} figures, which describe a month, and no \"As at\" cell above the table: give --as-at YYYY-MM, the month they describe",
                            first.block.name()
                        ),
                    )
                    .field("as_at"),
                );
            }
        }
        let columns = self.columns(&year_columns);
        let title = self.title(&year_columns);
        let ignored_columns = self.ignored_columns(&year_columns, &columns, unit_row);
        let first_row = unit_row.map_or(header + 1, |r| r + 1);

        let statuses = WordMap::new(STATUS_WORDS, &self.options.statuses);
        let rags = WordMap::new(RAG_WORDS, &self.options.rags);
        let column_of = |role: Role| columns.iter().find(|c| c.role == role).map(|c| c.col);
        let area_col = column_of(Role::Area);
        let mut lines = Vec::new();
        let mut events = Vec::new();
        let mut total_rows = Vec::new();
        let mut headings = Vec::new();
        let mut skipped = Vec::new();
        let mut second_table = None;
        let mut section: Option<String> = None;
        // Whether a total has been read and no line since: rows there without figures are
        // notes under the table (numbered footnotes), not savings.
        let mut after_total = false;
        for row in first_row..sheet.height() {
            if sheet.row_is_blank(row) {
                skipped.push(Skipped {
                    row,
                    why: "blank".to_string(),
                });
                continue;
            }
            if starts_another_table(sheet, row) {
                second_table = Some(row);
                break;
            }
            match self.row(row, &year_columns, &columns, &statuses, &rags, after_total) {
                RowKind::Line(mut line) => {
                    after_total = false;
                    if area_col.is_none() {
                        line.area.clone_from(&section);
                    }
                    events.push(Event::Line(lines.len()));
                    lines.push(line);
                }
                RowKind::Total(total) => {
                    after_total = true;
                    events.push(Event::Total(total_rows.len()));
                    total_rows.push(total);
                }
                RowKind::Heading(text) => {
                    events.push(Event::Heading);
                    section = Some(clean_text(&text).0);
                    headings.push((row, text));
                }
                RowKind::Skip(why) => skipped.push(Skipped { row, why }),
            }
        }
        if lines.is_empty() && self.problems.is_empty() {
            self.problem(Problem::at(
                self.sheet.address(CellRef::new(header, 0)),
                "the header row has no lines below it",
            ));
        }
        let sign = self.sign(&mut lines);
        // With the sign in question, the figures' own rules would only repeat it.
        if sign.is_some() {
            self.check_lines(&lines, basis.as_ref(), as_at.as_ref().map(|m| m.value));
        }
        assign_ids(&mut lines);
        let totals = totals::check_all(sheet, &year_columns, &lines, &events, total_rows);
        if let Some(row) = second_table {
            self.warnings.push(format!(
                "{}: row {} starts another table (year headings again); it is not imported",
                self.address(CellRef::new(row, 0)),
                row + 1
            ));
        }
        let sign = sign?;
        Some(ImportedPlan {
            file: book.file.clone(),
            file_name: book.file_name.clone(),
            kind: book.kind,
            sheet: sheet.name.clone(),
            sheets_passed,
            title,
            header_row: header,
            unit_row,
            columns,
            year_columns,
            ignored_columns,
            unit,
            basis,
            sign,
            as_at,
            lines,
            totals,
            headings,
            skipped,
            second_table,
            warnings: std::mem::take(&mut self.warnings),
        })
    }

    /// The month an "As at" cell above the header states: in the same cell (`As at 30
    /// September 2025`) or the next one along (a date, or text such as `2025-09`).
    fn as_at_in_sheet(&self) -> Option<Found<super::Month>> {
        for row in 0..self.header_row {
            let cells = self.sheet.row(row);
            for (i, (col, cell)) in cells.iter().enumerate() {
                let Some(text) = cell.value.text() else {
                    continue;
                };
                let lower = text.to_lowercase();
                let Some(at) = lower.find("as at") else {
                    continue;
                };
                let rest = text
                    .get(at + 5..)
                    .unwrap_or_default()
                    .trim_start_matches([':', ' ']);
                let (found_at, month) = if rest.trim().is_empty() {
                    let (next_col, next) = cells.get(i + 1)?;
                    let month = match &next.value {
                        Value::Date(d) => super::Month::of_date(*d),
                        Value::Text(t) => super::Month::from_text(t),
                        _ => None,
                    }?;
                    (CellRef::new(row, *next_col), month)
                } else {
                    (CellRef::new(row, *col), super::Month::from_text(rest)?)
                };
                return Some(Found {
                    value: month,
                    from: format!(
                        "cell {} says {:?}",
                        self.address(found_at),
                        shown_text(
                            &cell_text(self.sheet.cell(found_at)).unwrap_or_default(),
                            40
                        )
                    ),
                });
            }
        }
        None
    }

    /// The year columns: given by `--columns`, or found in the header row and grouped into
    /// blocks.
    fn year_columns(&mut self) -> Option<Vec<YearColumn>> {
        let sheet = self.sheet;
        let header = self.header_row;
        if !self.options.year_columns.is_empty() {
            let mut given: Vec<YearColumn> = self
                .options
                .year_columns
                .iter()
                .map(|(year, col)| YearColumn {
                    col: *col,
                    year: *year,
                    block: Block::Plan,
                    heading: None,
                })
                .collect();
            given.sort_by_key(|c| c.year);
            for pair in given.windows(2) {
                if pair[1].year.years_after(pair[0].year) != 1 {
                    self.problem(
                        Problem::new(format!(
                            "the years given are not consecutive: {} then {}",
                            pair[0].year, pair[1].year
                        ))
                        .field("--columns"),
                    );
                }
            }
            return Some(given);
        }
        let found = year_cells(sheet, header);
        let mut runs: Vec<Vec<(u32, Heading)>> = Vec::new();
        for (col, heading) in found {
            let new_run = match runs.last().and_then(|r| r.last()) {
                None => true,
                Some((prev_col, prev)) => {
                    let between = (prev_col + 1..col).any(|c| {
                        let cell = sheet.at(header, c);
                        !cell.is_blank()
                    });
                    heading.year <= prev.year
                        || between
                        || (heading.block.is_some()
                            && prev.block.is_some()
                            && heading.block != prev.block)
                }
            };
            if !new_run
                && let Some((prev_col, prev)) = runs.last().and_then(|r| r.last())
                && heading.year.years_after(prev.year) != 1
            {
                let (prev_at, at) = (CellRef::new(header, *prev_col), CellRef::new(header, col));
                let problem = Problem::at(
                    self.address(at),
                    format!(
                        "the years are not consecutive: {} follows {} ({})",
                        heading.year,
                        prev.year,
                        self.address(prev_at)
                    ),
                )
                .help("every year of a table has its column: add the missing years (blank cells are fine), or give the columns with --columns");
                self.problem(problem);
            }
            if new_run {
                runs.push(Vec::new());
            }
            if let Some(run) = runs.last_mut() {
                run.push((col, heading));
            }
        }
        let mut columns = Vec::new();
        let mut blocks_seen: BTreeMap<Block, (u32, u32)> = BTreeMap::new();
        for run in &runs {
            let (Some((first_col, _)), Some((last_col, _))) = (run.first(), run.last()) else {
                continue;
            };
            let own: Vec<Block> = run.iter().filter_map(|(_, h)| h.block).collect();
            let block = match own.first() {
                Some(b) => *b,
                None => self
                    .title_over(run.iter().map(|(c, _)| *c))
                    .and_then(|(_, text)| words::block_in(&text))
                    .unwrap_or(Block::Plan),
            };
            if let Some((c0, c1)) = blocks_seen.get(&block) {
                let first = self
                    .sheet
                    .range_address(CellRef::new(header, *c0), CellRef::new(header, *c1));
                let second = self.sheet.range_address(
                    CellRef::new(header, *first_col),
                    CellRef::new(header, *last_col),
                );
                self.problem(
                    Problem::at(
                        second.clone(),
                        format!(
                            "two runs of {} years ({first} and {second}): the import cannot tell which to read",
                            block.name()
                        ),
                    )
                    .help("title each block over its years (\"Forecast\", \"Delivered\"), or give the plan's columns with --columns 2025/26=D,..."),
                );
                continue;
            }
            blocks_seen.insert(block, (*first_col, *last_col));
            for (col, heading) in run {
                columns.push(YearColumn {
                    col: *col,
                    year: heading.year,
                    block,
                    heading: Some(CellRef::new(header, *col)),
                });
            }
        }
        Some(columns)
    }

    /// The title over a run of columns: the first text the row above the header shows over
    /// them (a merged title counts over every column it spans).
    fn title_over(&self, cols: impl Iterator<Item = u32>) -> Option<(CellRef, String)> {
        let above = self.header_row.checked_sub(1)?;
        cols.filter_map(|c| {
            let (from, cell) = self.sheet.shown(CellRef::new(above, c));
            cell.value.text().map(|t| (from, t.to_string()))
        })
        .next()
    }

    /// Each block's title, if it has one.
    fn block_titles(&self, year_columns: &[YearColumn]) -> Vec<(Block, CellRef, String)> {
        let mut titles = Vec::new();
        for block in [Block::Plan, Block::Delivered, Block::Forecast] {
            let cols = year_columns
                .iter()
                .filter(|c| c.block == block)
                .map(|c| c.col);
            if let Some((at, text)) = self.title_over(cols) {
                titles.push((block, at, text));
            }
        }
        titles
    }

    /// The unit, from the sheet (year cells, block titles, the unit row, the rows above the
    /// header) or `--unit`.
    fn unit(
        &mut self,
        year_columns: &[YearColumn],
        titles: &[(Block, CellRef, String)],
        unit_row: Option<u32>,
    ) -> Option<Found<String>> {
        let sheet = self.sheet;
        let mut seen: Vec<(CellRef, &'static str, String)> = Vec::new();
        let mut note = |at: CellRef, text: &str| {
            if let Some(unit) = words::unit_in(text)
                && !seen.iter().any(|(a, _, _)| *a == at)
            {
                seen.push((at, unit, text.to_string()));
            }
        };
        for row in 0..self.header_row {
            for (col, cell) in sheet.row(row) {
                if let Some(t) = cell.value.text() {
                    note(CellRef::new(row, *col), t);
                }
            }
        }
        for (_, at, text) in titles {
            note(*at, text);
        }
        for c in year_columns {
            if let Some(at) = c.heading
                && let Some(t) = sheet.cell(at).value.text()
            {
                note(at, t);
            }
        }
        if let Some(r) = unit_row {
            for (col, cell) in sheet.row(r) {
                if let Some(t) = cell.value.text() {
                    note(CellRef::new(r, *col), t);
                }
            }
        }
        let mut distinct: Vec<&'static str> = seen.iter().map(|(_, u, _)| *u).collect();
        distinct.dedup();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() > 1 {
            let cells: Vec<String> = seen
                .iter()
                .take(6)
                .map(|(at, u, _)| format!("{u} ({})", self.address(*at)))
                .collect();
            self.problem(
                Problem::new(format!(
                    "the sheet names more than one unit: {}; figures in one table must share one unit",
                    cells.join(", ")
                ))
                .field("unit")
                .help("correct the sheet's headings, or import each table on its own"),
            );
            return None;
        }
        let from_sheet = seen.first().map(|(at, unit, text)| Found {
            value: (*unit).to_string(),
            from: format!("cell {} says {:?}", self.address(*at), shown_text(text, 40)),
        });
        match (&self.options.unit, from_sheet) {
            (Some(given), Some(found)) if *given != found.value => {
                self.problem(
                    Problem::new(format!(
                        "--unit {given} disagrees with the sheet: {}; figures are never scaled",
                        found.from
                    ))
                    .field("unit")
                    .help("leave out --unit, or correct the sheet"),
                );
                None
            }
            (Some(given), _) => Some(Found {
                value: given.clone(),
                from: "--unit".to_string(),
            }),
            (None, found) => found,
        }
    }

    /// Levels or increments: `--amounts`, or what the plan's headings, its title, the unit row
    /// or the rows above the header say ("cumulative"; "in-year", "new", "incremental").
    fn basis(
        &mut self,
        year_columns: &[YearColumn],
        titles: &[(Block, CellRef, String)],
        unit_row: Option<u32>,
    ) -> Option<Found<Basis>> {
        if let Some(basis) = self.options.amounts {
            return Some(Found {
                value: basis,
                from: format!("--amounts {}", basis_name(basis)),
            });
        }
        let sheet = self.sheet;
        let mut seen: Vec<(CellRef, Basis, String)> = Vec::new();
        let mut note = |at: CellRef, text: &str| {
            if let Some(basis) = words::basis_in(text) {
                seen.push((at, basis, text.to_string()));
            }
        };
        for row in 0..self.header_row {
            for (col, cell) in sheet.row(row) {
                let at = CellRef::new(row, *col);
                let is_other_title = titles.iter().any(|(b, t, _)| *t == at && *b != Block::Plan);
                if let Some(t) = cell.value.text()
                    && !is_other_title
                {
                    note(at, t);
                }
            }
        }
        for c in year_columns.iter().filter(|c| c.block == Block::Plan) {
            if let Some(at) = c.heading
                && let Some(t) = sheet.cell(at).value.text()
            {
                note(at, t);
            }
            if let Some(r) = unit_row
                && let Some(t) = sheet.at(r, c.col).value.text()
            {
                note(CellRef::new(r, c.col), t);
            }
        }
        let levels = seen.iter().find(|(_, b, _)| *b == Basis::Levels);
        let increments = seen.iter().find(|(_, b, _)| *b == Basis::Increments);
        match (levels, increments) {
            (Some(l), Some(i)) => {
                let (l_at, i_at) = (self.address(l.0), self.address(i.0));
                self.problem(
                    Problem::new(format!(
                        "the sheet says both levels ({l_at}: {:?}) and increments ({i_at}: {:?})",
                        shown_text(&l.2, 40),
                        shown_text(&i.2, 40)
                    ))
                    .field("amounts")
                    .help("give --amounts levels or --amounts increments"),
                );
                None
            }
            (Some((at, basis, text)), None) | (None, Some((at, basis, text))) => Some(Found {
                value: *basis,
                from: format!("cell {} says {:?}", self.address(*at), shown_text(text, 40)),
            }),
            (None, None) => {
                self.problem(
                    Problem::new(
                        "the sheet does not say whether its figures are levels (cumulative: each year's figure is the saving in force that year) or increments (each year's figure is new that year); a wrong guess would silently change every figure after the first year, so the import does not guess",
                    )
                    .field("amounts")
                    .help("give --amounts levels or --amounts increments"),
                );
                None
            }
        }
    }

    /// The roles of the columns that are not years: `--columns` first, then the headings.
    fn columns(&mut self, year_columns: &[YearColumn]) -> Vec<Column> {
        let sheet = self.sheet;
        let header = self.header_row;
        let mut columns: Vec<Column> = Vec::new();
        for (role, col) in &self.options.columns {
            if year_columns.iter().any(|c| c.col == *col) {
                self.problem(
                    Problem::new(format!(
                        "column {} is a year column; it cannot also be the {}",
                        column_name(*col),
                        role.name()
                    ))
                    .field("--columns"),
                );
                continue;
            }
            columns.push(Column {
                col: *col,
                role: *role,
                heading: None,
                found: "--columns".to_string(),
            });
        }
        let width = sheet.width();
        for col in 0..width {
            if year_columns.iter().any(|c| c.col == col) || columns.iter().any(|c| c.col == col) {
                continue;
            }
            let (at, cell) = sheet.shown(CellRef::new(header, col));
            let Some(text) = cell_text(cell) else {
                continue;
            };
            if let Some(role) = words::role_of_heading(&text)
                && !columns.iter().any(|c| c.role == role)
            {
                columns.push(Column {
                    col,
                    role,
                    heading: Some(at),
                    found: format!("heading {:?}", shown_text(&text, 40)),
                });
            }
        }
        if !columns.iter().any(|c| c.role == Role::Line) {
            let first_year = year_columns.iter().map(|c| c.col).min().unwrap_or(width);
            let body = header + 1..sheet.height().min(header + 200);
            let text_column = (0..first_year).find(|col| {
                !columns.iter().any(|c| c.col == *col)
                    && body.clone().any(|r| {
                        sheet
                            .at(r, *col)
                            .value
                            .text()
                            .is_some_and(|t| figure::from_text(t).is_err())
                    })
            });
            match text_column {
                Some(col) => columns.push(Column {
                    col,
                    role: Role::Line,
                    heading: None,
                    found: "the first column of text left of the years".to_string(),
                }),
                None if !columns.iter().any(|c| c.role == Role::Ref) => self.problem(
                    Problem::new("no column names the savings (no heading such as \"Description\" or \"Ref\", and no column of text left of the years)")
                        .field("line")
                        .help("give the columns: --columns ref=A,line=B"),
                ),
                None => {}
            }
        }
        columns.sort_by_key(|c| c.col);
        columns
    }

    /// The sheet's title: the first text above the header that is not a block title or a
    /// unit.
    fn title(&self, year_columns: &[YearColumn]) -> Option<(CellRef, String)> {
        let above = self.header_row.checked_sub(1);
        for row in 0..self.header_row {
            for (col, cell) in self.sheet.row(row) {
                let Some(text) = cell.value.text() else {
                    continue;
                };
                let over_years = Some(row) == above
                    && year_columns.iter().any(|c| {
                        self.sheet.shown(CellRef::new(row, c.col)).0 == CellRef::new(row, *col)
                    });
                let as_at = text.to_lowercase().contains("as at");
                if over_years
                    || as_at
                    || words::is_only_unit(text)
                    || years::from_text(text).is_some()
                {
                    continue;
                }
                return Some((CellRef::new(row, *col), text.to_string()));
            }
        }
        None
    }

    /// Header cells over columns the import does not read: each that has figures under it
    /// (when the other headings are years) is warned about.
    fn ignored_columns(
        &mut self,
        year_columns: &[YearColumn],
        columns: &[Column],
        unit_row: Option<u32>,
    ) -> Vec<(CellRef, String)> {
        let sheet = self.sheet;
        let header = self.header_row;
        let first_row = unit_row.map_or(header + 1, |r| r + 1);
        let mut ignored = Vec::new();
        for (col, cell) in sheet.row(header) {
            if year_columns.iter().any(|c| c.col == *col) || columns.iter().any(|c| c.col == *col) {
                continue;
            }
            let Some(text) = cell_text(cell) else {
                continue;
            };
            let at = CellRef::new(header, *col);
            let has_figures = (first_row..sheet.height().min(first_row + 200)).any(|r| {
                let value = &sheet.at(r, *col).value;
                matches!(value, Value::Number(_))
                    || value
                        .text()
                        .is_some_and(|t| figure::from_text(t).is_ok_and(|f| f.is_some()))
            });
            let why = if words::total_label(&text).is_some() {
                "a total column: not imported (the lines' own figures are)".to_string()
            } else if has_figures && !year_columns.is_empty() {
                let why = if !self.options.year_columns.is_empty() {
                    format!(
                        "the column headed {:?} is not one --columns names: its figures are not imported",
                        shown_text(&text, 40)
                    )
                } else if years::looks_like_a_year(&text) {
                    format!(
                        "the heading {:?} is not read as a year (a year heading holds only the year, and perhaps FY, a unit or a block title): its figures are not imported",
                        shown_text(&text, 40)
                    )
                } else {
                    format!(
                        "the heading {:?} is not a year: its figures are not imported",
                        shown_text(&text, 40)
                    )
                };
                self.warnings.push(format!("{}: {why}", self.address(at)));
                why
            } else {
                "not a column the import reads".to_string()
            };
            ignored.push((at, why));
        }
        ignored
    }

    /// Reads one row below the header.
    fn row(
        &mut self,
        row: u32,
        year_columns: &[YearColumn],
        columns: &[Column],
        statuses: &WordMap<Status>,
        rags: &WordMap<Rag>,
        after_total: bool,
    ) -> RowKind {
        let sheet = self.sheet;
        let column_of = |role: Role| columns.iter().find(|c| c.role == role).map(|c| c.col);
        let text_of = |role: Role, carry: bool| {
            column_of(role).and_then(|c| {
                let at = CellRef::new(row, c);
                let cell = if carry {
                    sheet.shown(at).1
                } else {
                    sheet.cell(at)
                };
                cell_text(cell)
            })
        };
        let label = text_of(Role::Line, false);
        let reference = text_of(Role::Ref, false);
        let first_year_col = year_columns.iter().map(|c| c.col).min().unwrap_or(u32::MAX);
        let first_text = sheet
            .row(row)
            .iter()
            .filter(|(c, _)| *c < first_year_col && !year_columns.iter().any(|y| y.col == *c))
            .find_map(|(_, cell)| cell.value.text().map(str::to_string));
        let status_text = text_of(Role::Status, false);
        let rag_text = text_of(Role::Rag, false);
        // A total has no status or rating, and no reference but its own label: "Net zero
        // fleet" with a reference is a line.
        let total_kind = if status_text.is_some() || rag_text.is_some() {
            None
        } else {
            match (&reference, &label) {
                (Some(r), _) => words::total_label(r),
                (None, Some(l)) => words::total_label(l),
                (None, None) => first_text.as_deref().and_then(words::total_label),
            }
        };
        let sums_above = year_columns.iter().any(|c| {
            sheet
                .at(row, c.col)
                .formula
                .as_deref()
                .and_then(totals::summed_cells)
                .is_some_and(|cells| cells.iter().all(|at| at.col == c.col && at.row < row))
        });
        if total_kind.is_some() || sums_above {
            return RowKind::Total(TotalRow {
                row,
                label: label.or(reference).or(first_text),
                kind: total_kind,
                checks: Vec::new(),
            });
        }
        let figures_blank = year_columns.iter().all(|c| sheet.at(row, c.col).is_blank());
        if figures_blank {
            let described = status_text.is_some() || rag_text.is_some();
            match (&label, &reference) {
                (Some(text), None) | (None, Some(text)) if !described => {
                    return RowKind::Heading(text.clone());
                }
                (None, None) => {
                    return match first_text {
                        Some(text) if !described => RowKind::Heading(text),
                        _ => RowKind::Skip("no reference, name or figure: not a line".to_string()),
                    };
                }
                // A numbered footnote under the total ("1", "Subject to consultation").
                _ if after_total && !described => {
                    return RowKind::Skip(
                        "under a total, with no figure, status or rating: a note, not a line"
                            .to_string(),
                    );
                }
                _ => {}
            }
        }
        // A line.
        let mut notes = Vec::new();
        let name_text = label
            .clone()
            .or_else(|| reference.clone())
            .unwrap_or_else(|| format!("row {}", row + 1));
        let (name, changed) = clean_text(&name_text);
        if changed {
            notes.push(format!(
                "name cleaned to one line of at most {MAX_TEXT_CHARS} characters"
            ));
        }
        if label.is_none() && reference.is_none() {
            self.warnings.push(format!(
                "{}: a row of figures with no reference or name: imported as {name:?}",
                self.address(CellRef::new(row, first_year_col.min(sheet.width())))
            ));
        }
        let area = text_of(Role::Area, true).map(|t| {
            let (area, changed) = clean_text(&t);
            if changed {
                notes.push(format!(
                    "area cleaned to one line of at most {MAX_TEXT_CHARS} characters"
                ));
            }
            area
        });
        let status_col = column_of(Role::Status);
        let status = match &status_text {
            Some(word) => match statuses.get(word) {
                Some(s) => s,
                None => {
                    let at = CellRef::new(row, status_col.unwrap_or(0));
                    self.problem(
                        Problem::at(
                            self.address(at),
                            format!(
                                "unknown status {:?}; the words known are {}",
                                shown_text(word, 40),
                                statuses.known()
                            ),
                        )
                        .field("status")
                        .help(format!(
                            "map it: --status {:?} (or =proposed, =in-base, =withdrawn)",
                            format!("{}=approved", shown_text(word, 40))
                        )),
                    );
                    Status::Proposed
                }
            },
            None => statuses.get("").unwrap_or(Status::Proposed),
        };
        let rag_col = column_of(Role::Rag);
        let rag = match &rag_text {
            Some(word) => match rags.get(word) {
                Some(r) => Some(r),
                None => {
                    let at = CellRef::new(row, rag_col.unwrap_or(0));
                    self.problem(
                        Problem::at(
                            self.address(at),
                            format!(
                                "unknown RAG rating {:?}; the words known are {}",
                                shown_text(word, 40),
                                rags.known()
                            ),
                        )
                        .field("rag")
                        .help(format!(
                            "map it: --rag {:?} (or =red, =green, =blue)",
                            format!("{}=amber", shown_text(word, 40))
                        )),
                    );
                    None
                }
            },
            None => rags.get(""),
        };
        let mut plan = Vec::new();
        let mut delivered = Vec::new();
        let mut forecast = Vec::new();
        for c in year_columns {
            let at = CellRef::new(row, c.col);
            let cell = sheet.cell(at);
            let field = match c.block {
                Block::Plan => c.year.to_string(),
                block => format!("{} {}", block.name(), c.year),
            };
            let value = match figure::read(&cell.value) {
                Ok(Some(v)) => v,
                Ok(None) => {
                    if cell.formula.is_some() && cell.value == Value::Empty {
                        self.problem(
                            Problem::at(
                                self.address(at),
                                "a formula saved without its value: the import reads the values a spreadsheet saves, not formulas",
                            )
                            .field(field)
                            .help("open the file in your spreadsheet program and save it again (it saves each formula's value), then import the new file"),
                        );
                    }
                    continue;
                }
                Err(e) => {
                    self.problem(figure_problem(self.address(at), &field, &e));
                    continue;
                }
            };
            if value.abs() > Decimal::from(MAX_FIGURE) {
                self.problem(
                    Problem::at(
                        self.address(at),
                        format!("{value} is above {MAX_FIGURE} in absolute value, the largest figure a scenario holds"),
                    )
                    .field(field),
                );
                continue;
            }
            let figure = Figure {
                year: c.year,
                at,
                sheet: value,
                double: match cell.value {
                    Value::Number(n) => Some(n),
                    _ => None,
                },
                value,
            };
            match c.block {
                Block::Plan => plan.push(figure),
                Block::Delivered => delivered.push(figure),
                Block::Forecast => forecast.push(figure),
            }
        }
        let cols = columns
            .iter()
            .map(|c| c.col)
            .chain(year_columns.iter().map(|c| c.col));
        let first_col = cols.clone().min().unwrap_or(0);
        let last_col = cols.max().unwrap_or(0);
        RowKind::Line(Line {
            row,
            first_col,
            last_col,
            id: String::new(),
            name,
            named: label.is_some(),
            reference,
            area,
            status,
            status_default: status_text.is_none() && statuses.get("").is_none(),
            status_word: status_text,
            rag,
            plan,
            delivered,
            forecast,
            notes,
        })
    }

    /// The sign savings are printed with: turned positive where every figure of every line
    /// is 0 or below; kept where every one is 0 or above; a question where they are mixed.
    fn sign(&mut self, lines: &mut [Line]) -> Option<Found<i8>> {
        let (multiplier, from) = match self.options.sign {
            Some(super::Sign::Negative) => (
                -1,
                "--savings-sign negative: every figure is multiplied by -1".to_string(),
            ),
            Some(super::Sign::Positive) => (
                1,
                "--savings-sign positive: figures kept as they are".to_string(),
            ),
            None => {
                let negative: Vec<CellRef> = lines
                    .iter()
                    .flat_map(Line::figures)
                    .filter(|f| f.sheet < Decimal::ZERO)
                    .map(|f| f.at)
                    .collect();
                let positive: Vec<CellRef> = lines
                    .iter()
                    .flat_map(Line::figures)
                    .filter(|f| f.sheet > Decimal::ZERO)
                    .map(|f| f.at)
                    .collect();
                match (negative.is_empty(), positive.is_empty()) {
                    (true, _) => (1, "every figure of every line is 0 or above: savings are positive, kept".to_string()),
                    (false, true) => (-1, "every figure of every line is 0 or below: savings are printed as negatives, each multiplied by -1".to_string()),
                    (false, false) => {
                        let list = |cells: &[CellRef]| {
                            let mut shown: Vec<String> =
                                cells.iter().take(3).map(|at| self.address(*at)).collect();
                            if cells.len() > 3 {
                                shown.push(format!("and {} more", cells.len() - 3));
                            }
                            shown.join(", ")
                        };
                        self.problem(
                            Problem::new(format!(
                                "the lines' figures have both signs: below 0 in {}; above 0 in {}. Are savings printed as negative or as positive figures?",
                                list(&negative),
                                list(&positive)
                            ))
                            .field("sign")
                            .help("give --savings-sign negative (savings are the negative figures; a positive one is a saving that reverses) or --savings-sign positive"),
                        );
                        return None;
                    }
                }
            }
        };
        if multiplier == -1 {
            for line in lines.iter_mut() {
                for figure in line
                    .plan
                    .iter_mut()
                    .chain(line.delivered.iter_mut())
                    .chain(line.forecast.iter_mut())
                {
                    figure.value = -figure.sheet;
                }
            }
        }
        Some(Found {
            value: multiplier,
            from,
        })
    }

    /// The scenario's rules a line's figures must meet, checked here so that each message
    /// names its cell: levels never below 0; delivered and forecast figures 0 or above, on
    /// approved and withdrawn lines only, in the years `as_at` allows.
    fn check_lines(
        &mut self,
        lines: &[Line],
        basis: Option<&Found<Basis>>,
        as_at: Option<super::Month>,
    ) {
        let current = as_at.and_then(super::Month::financial_year);
        for line in lines {
            match basis.map(|b| b.value) {
                Some(Basis::Levels) => {
                    for f in &line.plan {
                        if f.value < Decimal::ZERO {
                            self.problem(
                                Problem::at(
                                    self.address(f.at),
                                    format!("a level below 0 ({}): the amount in force in a year is never below 0", f.value),
                                )
                                .field(f.year.to_string())
                                .help("if this is a reversal, the sheet's figures are increments: --amounts increments; if savings are printed negative, --savings-sign negative"),
                            );
                        }
                    }
                }
                Some(_) => {
                    let mut level = Decimal::ZERO;
                    for f in &line.plan {
                        level += f.value;
                        if level < Decimal::ZERO {
                            self.problem(
                                Problem::at(
                                    self.address(f.at),
                                    format!("the saving's level falls below 0 here (to {level}): the increments up to {} add up to less than 0", f.year),
                                )
                                .field(f.year.to_string())
                                .help("check the signs: with savings printed negative, --savings-sign negative"),
                            );
                            break;
                        }
                    }
                }
                None => {}
            }
            // A status left to the scenario extended is checked when the result is loaded.
            let tracked = matches!(line.status, Status::Approved | Status::Withdrawn)
                || (line.status_default && self.options.status_from_parent);
            for (figures, what) in [(&line.delivered, "delivered"), (&line.forecast, "forecast")] {
                for f in figures {
                    let field = format!("{what} {}", f.year);
                    if f.value < Decimal::ZERO {
                        self.problem(
                            Problem::at(
                                self.address(f.at),
                                format!("a {what} figure below 0 ({})", f.value),
                            )
                            .field(field.clone()),
                        );
                    }
                    if !tracked {
                        self.problem(
                            Problem::at(
                                self.address(f.at),
                                format!(
                                    "a {what} figure on a {} line: only approved and withdrawn lines record delivery",
                                    line.status
                                ),
                            )
                            .field(field.clone())
                            .help("give the line's status in a status column, or map blank status cells: --status =approved"),
                        );
                    }
                    if let Some(current) = current {
                        let wrong = match what {
                            "delivered" => (f.year > current).then_some("after"),
                            _ => (f.year < current).then_some("before"),
                        };
                        if let Some(side) = wrong {
                            self.problem(
                                Problem::at(
                                    self.address(f.at),
                                    format!(
                                        "a {what} figure for {}, {side} the current year {current} (as at {})",
                                        f.year,
                                        as_at.map(|m| m.to_string()).unwrap_or_default()
                                    ),
                                )
                                .field(field.clone())
                                .help("delivered figures are for past years and the current one, forecasts for the current year and later: leave the others blank, or check --as-at"),
                            );
                        }
                    }
                }
            }
            for d in &line.delivered {
                if let Some(f) = line.forecast.iter().find(|f| f.year == d.year) {
                    self.problem(
                        Problem::at(
                            self.address(f.at),
                            format!(
                                "both a delivered figure ({}) and a forecast for {}: a year has one or the other",
                                self.address(d.at),
                                d.year
                            ),
                        )
                        .field(format!("forecast {}", d.year))
                        .help("leave one of the two cells blank"),
                    );
                }
            }
        }
    }
}

/// The problem for a figure cell that is not a figure.
fn figure_problem(place: String, field: &str, error: &FigureError) -> Problem {
    let problem = Problem::at(place, error.to_string()).field(field);
    match error {
        FigureError::Percent(_) => problem.help("write the amount itself, in the table's unit"),
        FigureError::Text(_) => {
            problem.help("correct the cell; a figure still to be decided is a blank cell or -")
        }
        _ => problem,
    }
}

/// `levels` or `increments`.
pub fn basis_name(basis: Basis) -> &'static str {
    match basis {
        Basis::Levels => "levels",
        _ => "increments",
    }
}

/// The text a cell shows, trimmed: text as written, a number as its shortest decimal;
/// `None` for a blank cell.
pub fn cell_text(cell: &Cell) -> Option<String> {
    match &cell.value {
        Value::Text(t) => cell.value.text().map(|_| t.trim().to_string()),
        Value::Number(n) => figure::from_double(*n).ok().map(|d| d.to_string()),
        Value::Bool(b) => Some(if *b { "TRUE" } else { "FALSE" }.to_string()),
        Value::Date(d) => Some(d.to_string()),
        Value::Error(e) => Some(e.clone()),
        Value::Empty => None,
    }
}

/// Text as a scenario holds a name: one line (line breaks and tabs become spaces, runs of
/// spaces one), no invisible characters, at most 200 characters. Says whether it changed
/// anything beyond trimming.
pub fn clean_text(text: &str) -> (String, bool) {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut clean: String = one_line.chars().filter(|c| !c.is_control()).collect();
    // Each pass removes one kind of hidden character; a joiner only hides at a word's edge.
    for _ in 0..64 {
        match first_hidden(&clean) {
            Some(c) => clean = clean.replace(c, ""),
            None => break,
        }
    }
    let clean = clean.trim().to_string();
    let cut: String = clean.chars().take(MAX_TEXT_CHARS).collect();
    let changed = cut != text.trim();
    (cut, changed)
}

/// An id from a reference or a name: lowercase; anything but letters, digits, `-`, `_` and
/// `.` becomes `-`, runs of `-` one; starting with a letter or digit (else `line-` before
/// it); at most 64 characters; never `total`.
pub fn id_from(text: &str) -> Option<String> {
    let mut id = String::new();
    for c in text.trim().chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() || matches!(c, '_' | '.') {
            id.push(c);
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_matches('-').to_string();
    if id.is_empty() {
        return None;
    }
    let id = if id.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        id
    } else {
        format!("line-{id}")
    };
    let mut id: String = id.chars().take(MAX_ID_CHARS).collect();
    while id.ends_with(['-', '_', '.']) {
        id.pop();
    }
    Some(if id == "total" {
        "line-total".to_string()
    } else {
        id
    })
}

/// Gives every line its id: from its reference, else its name, else its row; the second
/// line with an id gets `-2`, the third `-3`. The same sheet always gives the same ids.
fn assign_ids(lines: &mut [Line]) {
    let mut used: BTreeMap<String, u32> = BTreeMap::new();
    let mut taken: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for line in lines.iter_mut() {
        let base = line
            .reference
            .as_deref()
            .and_then(id_from)
            .or_else(|| id_from(&line.name))
            .unwrap_or_else(|| format!("row-{}", line.row + 1));
        let mut id = base.clone();
        let count = used.entry(base.clone()).or_insert(0);
        while taken.contains(&id) {
            *count += 1;
            let suffix = format!("-{}", *count + 1);
            let keep = MAX_ID_CHARS.saturating_sub(suffix.len());
            let stem: String = base.chars().take(keep).collect();
            id = format!("{stem}{suffix}");
        }
        taken.insert(id.clone());
        line.id = id;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::grid::{Kind, Region};

    /// A workbook of one sheet of text cells ("" is blank).
    fn book(rows: &[&[&str]]) -> Workbook {
        let mut sheet = Sheet::new("S");
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                sheet.set(
                    CellRef::new(r as u32, c as u32),
                    Cell {
                        value: Value::Text((*text).to_string()),
                        formula: None,
                    },
                );
            }
        }
        Workbook {
            file: "t.csv".into(),
            file_name: "t.csv".into(),
            kind: Kind::Csv,
            sheets: vec![sheet],
        }
    }

    fn levels() -> Options {
        Options {
            amounts: Some(Basis::Levels),
            ..Options::default()
        }
    }

    proptest::proptest! {
        /// Whatever the cells hold, the import gives a plan or problems, never a panic.
        #[test]
        fn any_grid_of_cells_is_read_without_a_panic(
            cells in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::prop_oneof![
                        proptest::strategy::Just(String::new()),
                        "[0-9(),.£%-]{0,8}",
                        "(Total|Sub-total|Ref|Line|Status|RAG|2025/26|2026/27|25/26|FY 2027/28|£000|Approved|R|new|cumulative|Forecast|Delivered)",
                        ".{0,12}",
                    ],
                    0..7,
                ),
                0..12,
            ),
            amounts in proptest::option::of(proptest::prop_oneof![
                proptest::strategy::Just(Basis::Levels),
                proptest::strategy::Just(Basis::Increments),
            ]),
        ) {
            let rows: Vec<Vec<&str>> = cells.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
            let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
            let options = Options { amounts, ..Options::default() };
            let _ = plan_from_workbook(&book(&rows), &options);
        }
    }

    #[test]
    fn savings_printed_negative_are_turned_positive_and_mixed_signs_asked_about() {
        let negative = book(&[
            &["Ref", "2025/26", "2026/27"],
            &["A", "-5", "(6)"],
            &["B", "0", "-"],
        ]);
        let plan = plan_from_workbook(&negative, &levels()).expect("a plan");
        assert_eq!(plan.sign.value, -1);
        let values: Vec<String> = plan.lines[0]
            .plan
            .iter()
            .map(|f| f.value.to_string())
            .collect();
        assert_eq!(values, ["5", "6"]);
        assert_eq!(
            plan.lines[0].plan[0].sheet.to_string(),
            "-5",
            "the sheet's own figure is kept"
        );

        let positive = book(&[&["Ref", "2025/26"], &["A", "5"], &["B", "0"]]);
        let plan = plan_from_workbook(&positive, &levels()).expect("a plan");
        assert_eq!(plan.sign.value, 1);
        assert_eq!(plan.lines[0].plan[0].value.to_string(), "5");

        let mixed = book(&[&["Ref", "2025/26", "2026/27"], &["A", "-5", "5"]]);
        let increments = Options {
            amounts: Some(Basis::Increments),
            ..Options::default()
        };
        let error = plan_from_workbook(&mixed, &increments).expect_err("asked");
        assert_eq!(error.problems[0].field.as_deref(), Some("sign"));
        let told = Options {
            sign: Some(crate::import::Sign::Negative),
            ..increments
        };
        let plan = plan_from_workbook(&mixed, &told).expect("a plan");
        let values: Vec<String> = plan.lines[0]
            .plan
            .iter()
            .map(|f| f.value.to_string())
            .collect();
        assert_eq!(values, ["5", "-5"], "a reversal, valid in increments");
        // In levels, a level below 0 is an error naming its cell.
        let told_levels = Options {
            amounts: Some(Basis::Levels),
            ..told
        };
        let error = plan_from_workbook(&mixed, &told_levels).expect_err("refused");
        assert_eq!(error.problems[0].place.as_deref(), Some("S!C2"));
    }

    #[test]
    fn a_header_row_without_years_is_refused() {
        let book = book(&[&["Ref", "Line"], &["A", "Fees"]]);
        let options = Options {
            header_row: Some(0),
            ..levels()
        };
        let error = plan_from_workbook(&book, &options).expect_err("refused");
        assert!(
            error.problems[0]
                .message
                .contains("the header row, 1, holds no year heading"),
            "{error}"
        );
    }

    #[test]
    fn a_second_table_ends_the_first_and_is_not_imported() {
        let book = book(&[
            &["Ref", "Line", "2025/26", "2026/27"],
            &["A", "Fees", "2000", "2100"],
            &["B", "Net zero fleet", "5", "5"],
            &[],
            &["Ref", "Line", "2025/26", "2026/27"],
            &["C", "Other", "1", "1"],
        ]);
        let plan = plan_from_workbook(&book, &levels()).expect("a plan");
        let names: Vec<&str> = plan.lines.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(
            names,
            ["Fees", "Net zero fleet"],
            "figures like 2000 are not years"
        );
        assert_eq!(plan.second_table, Some(4));
        assert!(
            plan.warnings[0].contains("row 5 starts another table"),
            "{:?}",
            plan.warnings
        );
        assert!(plan.totals.is_empty());
    }

    #[test]
    fn a_heading_over_figures_that_is_not_a_year_is_warned_about() {
        let book = book(&[
            &[
                "Ref",
                "Line",
                "Budget 2024/25",
                "2025/26",
                "2026/27",
                "Total",
            ],
            &["A", "Fees", "100", "5", "5", "10"],
        ]);
        let plan = plan_from_workbook(&book, &levels()).expect("a plan");
        assert_eq!(plan.year_columns.len(), 2);
        assert_eq!(plan.warnings.len(), 1, "{:?}", plan.warnings);
        assert!(
            plan.warnings[0]
                .starts_with("S!C1: the heading \"Budget 2024/25\" is not read as a year"),
            "{:?}",
            plan.warnings
        );
        assert_eq!(
            plan.ignored_columns.len(),
            2,
            "the total column is noted, not warned"
        );
    }

    #[test]
    fn years_must_be_consecutive() {
        let book = book(&[&["Ref", "2025/26", "2027/28"], &["A", "1", "2"]]);
        let error = plan_from_workbook(&book, &levels()).expect_err("refused");
        assert!(
            error.problems[0]
                .message
                .contains("the years are not consecutive: 2027/28 follows 2025/26"),
            "{error}"
        );
    }

    #[test]
    fn a_merged_area_cell_covers_the_lines_beside_it() {
        let mut book = book(&[
            &["Directorate", "Ref", "Line", "2025/26"],
            &["Adults", "A1", "Day care", "1"],
            &["", "A2", "Transport", "2"],
            &["Children", "C1", "Fostering", "3"],
        ]);
        book.sheets[0].merged.push(Region {
            first: CellRef::new(1, 0),
            last: CellRef::new(2, 0),
        });
        let plan = plan_from_workbook(&book, &levels()).expect("a plan");
        let areas: Vec<Option<&str>> = plan.lines.iter().map(|l| l.area.as_deref()).collect();
        assert_eq!(areas, [Some("Adults"), Some("Adults"), Some("Children")]);
    }

    #[test]
    fn subtotals_and_totals_cover_the_lines_their_labels_say() {
        let book = book(&[
            &["Ref", "Line", "2025/26"],
            &["Adults", "", ""],
            &["A1", "Day care", "1"],
            &["A2", "Transport", "2"],
            &["Total Adults", "", "3"],
            &["Children", "", ""],
            &["C1", "Fostering", "4"],
            &["Total Children", "", "4"],
            &["Grand total", "", "7"],
            &["Total", "", "8"],
        ]);
        let plan = plan_from_workbook(&book, &levels()).expect("a plan");
        let verdicts: Vec<(u32, bool, String)> = plan
            .totals
            .iter()
            .flat_map(|t| {
                t.checks
                    .iter()
                    .map(move |c| (t.row + 1, c.agrees(), c.covers.clone()))
            })
            .collect();
        assert_eq!(
            verdicts,
            [
                (5, true, "the lines in rows 3 to 4".to_string()),
                (8, true, "the lines in row 7".to_string()),
                (9, true, "every line above (rows 3, 4, 7)".to_string()),
                (10, false, "every line above (rows 3, 4, 7)".to_string()),
            ]
        );
        assert_eq!(plan.headings.len(), 2);
    }

    #[test]
    fn ids_come_from_references_and_names() {
        assert_eq!(id_from("ASC-01").as_deref(), Some("asc-01"));
        assert_eq!(id_from("ASC 01 / b").as_deref(), Some("asc-01-b"));
        assert_eq!(
            id_from("  Review of day services ").as_deref(),
            Some("review-of-day-services")
        );
        assert_eq!(id_from("_x").as_deref(), Some("line-_x"));
        assert_eq!(id_from(".5").as_deref(), Some("line-.5"));
        assert_eq!(id_from("Total").as_deref(), Some("line-total"));
        assert_eq!(id_from("£££").as_deref(), None);
        assert_eq!(id_from("Café crème").as_deref(), Some("caf-cr-me"));
        let long = "a".repeat(100);
        assert_eq!(id_from(&long).map(|s| s.len()), Some(64));
    }

    fn line(reference: Option<&str>, name: &str, row: u32) -> Line {
        Line {
            row,
            first_col: 0,
            last_col: 0,
            id: String::new(),
            name: name.to_string(),
            named: true,
            reference: reference.map(str::to_string),
            area: None,
            status: Status::Proposed,
            status_word: None,
            status_default: true,
            rag: None,
            plan: Vec::new(),
            delivered: Vec::new(),
            forecast: Vec::new(),
            notes: Vec::new(),
        }
    }

    #[test]
    fn ids_are_unique_and_stable() {
        let mut lines = vec![
            line(Some("A1"), "x", 5),
            line(Some("a1"), "y", 6),
            line(None, "A1", 7),
            line(None, "A1-2", 8),
            line(None, "", 9),
        ];
        assign_ids(&mut lines);
        let ids: Vec<&str> = lines.iter().map(|l| l.id.as_str()).collect();
        assert_eq!(ids, ["a1", "a1-2", "a1-3", "a1-2-2", "row-10"]);
        let long = "b".repeat(64);
        let mut lines = vec![line(Some(&long), "", 1), line(Some(&long), "", 2)];
        assign_ids(&mut lines);
        assert_eq!(lines[1].id.len(), 64);
        assert!(lines[1].id.ends_with("-2"));
    }

    #[test]
    fn names_are_cleaned_to_one_line() {
        assert_eq!(
            clean_text("  Day\nservices\t review "),
            ("Day services review".to_string(), true)
        );
        assert_eq!(clean_text("Plain"), ("Plain".to_string(), false));
        assert_eq!(clean_text("a\u{200b}b"), ("ab".to_string(), true));
        let (long, changed) = clean_text(&"x".repeat(300));
        assert_eq!(long.len(), 200);
        assert!(changed);
    }
}
