//! Reads a spreadsheet file into a [`Workbook`]: xlsx and xlsm (calamine, streaming each
//! sheet's cells with their formula text), ods (calamine, after a look at the sheets' extent
//! and merged cells), csv (the csv crate; every cell text, read exactly).
//!
//! Limits, each refused before the work it guards (docs/model.md section 11): the file's size
//! before it is read; for a zipped workbook, the uncompressed size of its parts from the zip's
//! central directory (a zip bomb inflates to gigabytes from a few kilobytes: the zip reader
//! also stops at each part's declared size); rows, columns and cells as the sheets are read,
//! before anything is kept beyond them. An encrypted workbook (an OLE container where a zip is
//! expected), an old binary format and a corrupt file each get one clear message.
//!
//! calamine does not see which rows are hidden: hidden rows are read like any other (as a
//! sheet's own totals count them).

use std::fs;
use std::io::{self, BufReader, Cursor, Read};
use std::path::Path;

use calamine::{Data, DataRef, Ods, Reader, Xlsx};

use super::grid::{Cell, CellRef, Date, Kind, Region, Sheet, Value, Workbook};
use super::{ImportError, Problem};

/// The largest file read: a council's plan of a few hundred lines is well under 1 MiB.
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;
/// The most a zipped workbook's parts may hold uncompressed, together.
pub const MAX_UNZIPPED_BYTES: u64 = 256 * 1024 * 1024;
/// The most rows of a sheet read (a cell below is refused).
pub const MAX_ROWS: u32 = 100_000;
/// The most columns of a sheet read (a cell to the right is refused).
pub const MAX_COLUMNS: u32 = 1_000;
/// The most cells holding anything in one workbook (for ods, the cells of each sheet's used
/// rectangle, which the reader holds in full).
pub const MAX_CELLS: u64 = 5_000_000;

/// The start of an OLE compound file: an encrypted xlsx, or an old binary .xls.
const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// A count as a person reads it: `100,000`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The size as a person reads it: `100.0 MB`, `20 MiB` for the limits.
fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// Reads the spreadsheet at `path`, named `shown` in messages.
pub fn read(path: &Path, shown: &str) -> Result<Workbook, ImportError> {
    let fail = |problem: Problem| ImportError::one(shown, problem);
    let kind = kind_of(path).map_err(fail)?;
    let metadata = fs::metadata(path).map_err(|e| fail(open_problem(&e)))?;
    if metadata.is_dir() {
        return Err(fail(Problem::new("is a folder, not a spreadsheet")));
    }
    if !metadata.is_file() {
        return Err(fail(Problem::new(
            "is not a regular file (a named pipe or a device): save the spreadsheet to a file and import that",
        )));
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(fail(
            Problem::new(format!(
                "the file is {}; savings import reads spreadsheets up to {} (a plan of a few hundred lines is well under 1 MiB)",
                mib(metadata.len()),
                mib(MAX_FILE_BYTES)
            ))
            .help("check this is the right file; save just the savings sheet to a new workbook, or as CSV, and import that"),
        ));
    }
    let mut bytes = Vec::new();
    fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| fail(open_problem(&e)))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(fail(Problem::new(format!(
            "the file grew past {} while it was read",
            mib(MAX_FILE_BYTES)
        ))));
    }
    let file_name = path
        .file_name()
        .map_or_else(|| shown.to_string(), |n| n.to_string_lossy().into_owned());
    let sheets = match kind {
        Kind::Csv => vec![read_csv(&bytes).map_err(fail)?],
        Kind::Xlsx | Kind::Ods => {
            check_zip(&bytes, kind).map_err(fail)?;
            guarded(|| match kind {
                Kind::Xlsx => read_xlsx(bytes),
                _ => read_ods(bytes),
            })
            .map_err(fail)?
        }
    };
    Ok(Workbook {
        file: shown.to_string(),
        file_name,
        kind,
        sheets,
    })
}

/// Runs a workbook reader, turning a panic in it (a damaged file it did not expect) into one
/// clear problem rather than a crash.
fn guarded<T>(read: impl FnOnce() -> Result<T, Problem>) -> Result<T, Problem> {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(read));
    std::panic::set_hook(previous);
    result.unwrap_or_else(|_| {
        Err(Problem::new(
            "the workbook cannot be read: the reader failed on it (the file is damaged, or laid out in a way it does not know)",
        )
        .help("open it in your spreadsheet program and save it again, then import the new file; or save the sheet as CSV"))
    })
}

fn open_problem(e: &io::Error) -> Problem {
    match e.kind() {
        io::ErrorKind::NotFound => Problem::new("no such file"),
        io::ErrorKind::PermissionDenied => Problem::new("cannot read the file: permission denied"),
        _ => Problem::new(format!("cannot read the file: {e}")),
    }
}

/// The format, from the file's extension.
fn kind_of(path: &Path) -> Result<Kind, Problem> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "xlsx" | "xlsm" => Ok(Kind::Xlsx),
        "ods" => Ok(Kind::Ods),
        "csv" => Ok(Kind::Csv),
        "xls" | "xlsb" => Err(Problem::new(format!(
            "is a .{ext} workbook, an older binary format the import does not read"
        ))
        .help("open it in your spreadsheet program and save it as .xlsx (or .ods, or the savings sheet as .csv), then import that")),
        "toml" => Err(Problem::new("is a scenario already (TOML), not a spreadsheet")
            .help("run it: savings run FILE")),
        _ => Err(Problem::new(
            "is not a spreadsheet the import reads: name it .xlsx, .xlsm, .ods or .csv",
        )),
    }
}

/// Refuses what is not a zip (an encrypted workbook, another format) and a zip whose parts
/// would inflate past [`MAX_UNZIPPED_BYTES`], from its central directory.
fn check_zip(bytes: &[u8], kind: Kind) -> Result<(), Problem> {
    let name = kind.name();
    if bytes.starts_with(&OLE_MAGIC) {
        return Err(Problem::new(format!(
            "is encrypted (password-protected): the file is an OLE container, not the zip an .{name} is"
        ))
        .help("open it in your spreadsheet program, remove the password (File > Info > Protect Workbook > Encrypt with Password, cleared), save, and import again; if it is an old .xls, save it as .xlsx"));
    }
    if !bytes.starts_with(b"PK\x03\x04") && !bytes.starts_with(b"PK\x05\x06") {
        return Err(Problem::new(format!(
            "is not an .{name} workbook: it is not a zip archive (the file is corrupt, or another format with the wrong name)"
        )));
    }
    let corrupt = |detail: String| {
        // The zip crate's words for a file cut short, in an officer's.
        let detail = if detail.contains("EOCD") {
            "it is cut short or damaged: the archive's closing record is missing".to_string()
        } else {
            detail
        };
        Problem::new(format!(
            "the workbook is corrupt: its zip archive cannot be read ({detail})"
        ))
        .help("open it in your spreadsheet program and save it again, then import the new file")
    };
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| corrupt(e.to_string()))?;
    if kind == Kind::Ods && ods_is_encrypted(&mut archive) {
        return Err(Problem::new(
            "is encrypted (password-protected): its manifest lists encrypted parts, which savings import cannot read",
        )
        .help("open it in your spreadsheet program, save it again without the password (File > Properties > Security, or Save As with \"Save with password\" cleared), and import the new file"));
    }
    let mut total: u64 = 0;
    let mut has_main = false;
    let main = if kind == Kind::Ods {
        "content.xml"
    } else {
        "xl/workbook.xml"
    };
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| corrupt(e.to_string()))?;
        if entry.encrypted() {
            return Err(
                Problem::new("is encrypted (a part of the zip is password-protected)").help(
                    "remove the password in your spreadsheet program, save, and import again",
                ),
            );
        }
        has_main |= entry.name().is_ok_and(|n| n == main);
        total = total.saturating_add(entry.size());
    }
    if total > MAX_UNZIPPED_BYTES {
        return Err(Problem::new(format!(
            "the workbook's parts would take {} uncompressed; savings import reads at most {} (a zip bomb looks like this)",
            mib(total),
            mib(MAX_UNZIPPED_BYTES)
        ))
        .help("save just the savings sheet to a new workbook, or as CSV, and import that"));
    }
    if !has_main {
        return Err(Problem::new(format!(
            "is not an .{name} workbook: the zip has no {main}"
        )));
    }
    Ok(())
}

/// Counts cells against the limits as a sheet is read.
struct Limits {
    cells: u64,
}

impl Limits {
    fn admit(&mut self, sheet: &str, at: CellRef) -> Result<(), Problem> {
        let place = || format!("{}!{at}", super::grid::sheet_prefix(sheet));
        if at.row >= MAX_ROWS {
            return Err(Problem::at(
                place(),
                format!(
                    "the sheet holds a cell below row {}, the most rows savings import reads",
                    thousands(u64::from(MAX_ROWS))
                ),
            )
            .help("delete what lies below the table, or copy the table to a new sheet, and import again"));
        }
        if at.col >= MAX_COLUMNS {
            return Err(Problem::at(
                place(),
                format!(
                    "the sheet holds a cell beyond column {} ({} columns), the most savings import reads",
                    super::grid::column_name(MAX_COLUMNS - 1),
                    thousands(u64::from(MAX_COLUMNS))
                ),
            )
            .help("delete what lies to the right of the table, or copy the table to a new sheet, and import again"));
        }
        self.cells += 1;
        if self.cells > MAX_CELLS {
            return Err(Problem::new(format!(
                "the workbook holds more than {} cells with something in them, the most savings import reads",
                thousands(MAX_CELLS)
            ))
            .help("copy the savings table to a new workbook and import that"));
        }
        Ok(())
    }
}

fn read_xlsx(bytes: Vec<u8>) -> Result<Vec<Sheet>, Problem> {
    let corrupt = |e: calamine::XlsxError| {
        Problem::new(format!("the workbook cannot be read: {e}"))
            .help("open it in your spreadsheet program and save it again, then import the new file")
    };
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(corrupt)?;
    let mut limits = Limits { cells: 0 };
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let mut sheet = Sheet::new(&name);
        {
            let mut cells = book.worksheet_cells_reader(&name).map_err(corrupt)?;
            while let Some(cell) = cells.next_cell_with_formula().map_err(corrupt)? {
                let value = xlsx_value(&cell.value);
                let formula = cell.formula.filter(|f| !f.is_empty());
                if value == Value::Empty && formula.is_none() {
                    continue;
                }
                let at = CellRef::new(cell.pos.0, cell.pos.1);
                limits.admit(&name, at)?;
                sheet.set(at, Cell { value, formula });
            }
        }
        for region in book.merge_cells_by_sheet_name(&name).map_err(corrupt)? {
            sheet.merged.push(Region {
                first: CellRef::new(region.start.0, region.start.1),
                last: CellRef::new(region.end.0, region.end.1),
            });
        }
        sheets.push(sheet);
    }
    Ok(sheets)
}

fn xlsx_value(value: &DataRef<'_>) -> Value {
    match value {
        DataRef::Empty => Value::Empty,
        DataRef::Int(i) => Value::Number(*i as f64),
        DataRef::Float(f) => Value::Number(*f),
        DataRef::String(s) => Value::Text(s.clone()),
        DataRef::SharedString(s) => Value::Text((*s).to_string()),
        DataRef::Bool(b) => Value::Bool(*b),
        DataRef::DateTime(d) if d.is_datetime() => {
            let (year, month, day, ..) = d.to_ymd_hms_milli();
            Value::Date(Date {
                year: i32::from(year),
                month: u32::from(month),
                day: u32::from(day),
            })
        }
        DataRef::DateTime(d) => Value::Number(d.as_f64()),
        DataRef::DateTimeIso(s) => {
            Date::from_iso(s).map_or_else(|| Value::Text(s.clone()), Value::Date)
        }
        DataRef::DurationIso(s) => Value::Text(s.clone()),
        DataRef::Error(e) => Value::Error(e.to_string()),
    }
}

fn ods_value(value: &Data) -> Value {
    match value {
        Data::Empty => Value::Empty,
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::String(s) => Value::Text(s.clone()),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(d) if d.is_datetime() => {
            let (year, month, day, ..) = d.to_ymd_hms_milli();
            Value::Date(Date {
                year: i32::from(year),
                month: u32::from(month),
                day: u32::from(day),
            })
        }
        Data::DateTime(d) => Value::Number(d.as_f64()),
        Data::DateTimeIso(s) => {
            Date::from_iso(s).map_or_else(|| Value::Text(s.clone()), Value::Date)
        }
        Data::DurationIso(s) => Value::Text(s.clone()),
        Data::Error(e) => Value::Error(e.to_string()),
    }
}

/// What a look through an ods file's content finds for one sheet: how far its cells reach,
/// and its merged cells (which calamine does not report).
#[derive(Default)]
struct OdsExtent {
    name: String,
    /// First and last row (0-based) holding a cell with anything in it.
    first_row: Option<u64>,
    last_row: u64,
    /// One past the last column holding anything.
    columns: u64,
    merged: Vec<Region>,
}

/// Reads `content.xml` once, before calamine expands it, to refuse a sheet whose cells reach
/// past the limits (a repeated cell or row stands for thousands in a few bytes) and to find
/// the merged cells.
fn ods_extents(bytes: &[u8]) -> Result<Vec<OdsExtent>, Problem> {
    use quick_xml::events::{BytesStart, Event};

    let corrupt = |detail: String| {
        Problem::new(format!("the workbook cannot be read: {detail}"))
            .help("open it in your spreadsheet program and save it again, then import the new file")
    };
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| corrupt(e.to_string()))?;
    let content = archive
        .by_name("content.xml")
        .map_err(|e| corrupt(e.to_string()))?;
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(content));
    let attr = |e: &BytesStart<'_>, name: &str| -> Option<String> {
        e.try_get_attribute(name)
            .ok()
            .flatten()
            .map(|a| a.value.into_owned())
    };
    let count = |e: &BytesStart<'_>, name: &str| -> u64 {
        attr(e, name)
            .and_then(|v| v.trim().parse::<u64>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let mut extents: Vec<OdsExtent> = Vec::new();
    let mut buf = Vec::new();
    let mut row: u64 = 0;
    let mut col: u64 = 0;
    let mut row_repeat: u64 = 1;
    let mut row_columns: u64 = 0;
    let mut in_table = false;
    loop {
        buf.clear();
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| corrupt(e.to_string()))?;
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            match e.name().as_ref() {
                "table:table" if !empty => {
                    in_table = true;
                    row = 0;
                    extents.push(OdsExtent {
                        name: attr(e, "table:name").unwrap_or_default(),
                        ..OdsExtent::default()
                    });
                }
                "table:table-row" if in_table => {
                    row_repeat = count(e, "table:number-rows-repeated");
                    col = 0;
                    row_columns = 0;
                    if empty {
                        row = row.saturating_add(row_repeat);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" if in_table => {
                    let repeat = count(e, "table:number-columns-repeated");
                    let holds = !empty
                        || attr(e, "office:value-type").is_some()
                        || attr(e, "table:formula").is_some();
                    if holds {
                        row_columns = col.saturating_add(repeat);
                    }
                    let across = count(e, "table:number-columns-spanned");
                    let down = count(e, "table:number-rows-spanned");
                    if (across > 1 || down > 1)
                        && let Some(extent) = extents.last_mut()
                        && row < u64::from(MAX_ROWS)
                        && col < u64::from(MAX_COLUMNS)
                    {
                        let clamp =
                            |v: u64, max: u32| u32::try_from(v.min(u64::from(max))).unwrap_or(max);
                        extent.merged.push(Region {
                            first: CellRef::new(clamp(row, MAX_ROWS), clamp(col, MAX_COLUMNS)),
                            last: CellRef::new(
                                clamp(row.saturating_add(down - 1), MAX_ROWS),
                                clamp(col.saturating_add(across - 1), MAX_COLUMNS),
                            ),
                        });
                    }
                    col = col.saturating_add(repeat);
                }
                _ => {}
            }
        }
        match &event {
            Event::End(e) if e.name().as_ref() == "table:table-row" && in_table => {
                if row_columns > 0
                    && let Some(extent) = extents.last_mut()
                {
                    extent.first_row.get_or_insert(row);
                    extent.last_row = row.saturating_add(row_repeat - 1);
                    extent.columns = extent.columns.max(row_columns);
                }
                row = row.saturating_add(row_repeat);
            }
            Event::End(e) if e.name().as_ref() == "table:table" => in_table = false,
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(extents)
}

/// Whether an OpenDocument file is password-protected: its manifest (a small XML part, read
/// only up to 1 MiB) names encryption data for its parts, which are then ciphertext.
fn ods_is_encrypted<R: std::io::Read + std::io::Seek>(archive: &mut zip::ZipArchive<R>) -> bool {
    const MOST: u64 = 1 << 20;
    let Ok(entry) = archive.by_name("META-INF/manifest.xml") else {
        return false;
    };
    let mut text = Vec::new();
    if std::io::Read::read_to_end(&mut std::io::Read::take(entry, MOST), &mut text).is_err() {
        return false;
    }
    text.windows(b"encryption-data".len())
        .any(|w| w == b"encryption-data")
}

fn read_ods(bytes: Vec<u8>) -> Result<Vec<Sheet>, Problem> {
    let extents = ods_extents(&bytes)?;
    let mut cells: u64 = 0;
    for extent in &extents {
        let Some(first_row) = extent.first_row else {
            continue;
        };
        let place = |row: u64, col: u64| {
            format!(
                "{}!{}",
                super::grid::sheet_prefix(&extent.name),
                CellRef::new(
                    u32::try_from(row).unwrap_or(u32::MAX),
                    u32::try_from(col).unwrap_or(u32::MAX)
                )
            )
        };
        if extent.last_row >= u64::from(MAX_ROWS) {
            return Err(Problem::at(
                place(extent.last_row, 0),
                format!(
                    "the sheet holds a cell below row {}, the most rows savings import reads",
                    thousands(u64::from(MAX_ROWS))
                ),
            )
            .help("delete what lies below the table, or copy the table to a new sheet, and import again"));
        }
        if extent.columns > u64::from(MAX_COLUMNS) {
            return Err(Problem::at(
                place(first_row, extent.columns - 1),
                format!(
                    "the sheet holds a cell beyond column {} ({} columns), the most savings import reads",
                    super::grid::column_name(MAX_COLUMNS - 1),
                    thousands(u64::from(MAX_COLUMNS))
                ),
            )
            .help("delete what lies to the right of the table, or copy the table to a new sheet, and import again"));
        }
        cells =
            cells.saturating_add((extent.last_row - first_row + 1).saturating_mul(extent.columns));
    }
    if cells > MAX_CELLS {
        return Err(Problem::new(format!(
            "the workbook's sheets span more than {} cells, the most savings import reads",
            thousands(MAX_CELLS)
        ))
        .help("copy the savings table to a new workbook and import that"));
    }
    let corrupt = |e: calamine::OdsError| {
        Problem::new(format!("the workbook cannot be read: {e}"))
            .help("open it in your spreadsheet program and save it again, then import the new file")
    };
    let mut book = Ods::new(Cursor::new(bytes)).map_err(corrupt)?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let mut sheet = Sheet::new(&name);
        let values = book.worksheet_range(&name).map_err(corrupt)?;
        let formulas = book.worksheet_formula(&name).map_err(corrupt)?;
        let (r0, c0) = values.start().unwrap_or((0, 0));
        for (r, c, data) in values.used_cells() {
            let at = CellRef::new(r0 + r as u32, c0 + c as u32);
            sheet.set(
                at,
                Cell {
                    value: ods_value(data),
                    formula: None,
                },
            );
        }
        let (f0, g0) = formulas.start().unwrap_or((0, 0));
        for (r, c, formula) in formulas.used_cells() {
            if formula.is_empty() {
                continue;
            }
            let at = CellRef::new(f0 + r as u32, g0 + c as u32);
            let mut cell = sheet.cell(at).clone();
            cell.formula = Some(super::totals::excel_notation(formula));
            sheet.set(at, cell);
        }
        if let Some(extent) = extents.iter().find(|e| e.name == name) {
            sheet.merged = extent.merged.clone();
        }
        sheets.push(sheet);
    }
    Ok(sheets)
}

/// Windows-1252 (what Excel on Windows writes "CSV" in) to text: bytes 0x80 to 0x9F are its
/// own characters, the rest Latin-1.
fn windows_1252(bytes: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

/// A CSV file as one sheet of text cells. UTF-8 (with or without a byte-order mark), or
/// Windows-1252 where the bytes are not UTF-8. Comma-separated, or semicolons or tabs where
/// the first line has those and no comma.
fn read_csv(bytes: &[u8]) -> Result<Sheet, Problem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(_) => windows_1252(bytes),
    };
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter = if first_line.contains(',') {
        b','
    } else if first_line.contains(';') {
        b';'
    } else if first_line.contains('\t') {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut sheet = Sheet::new("");
    let mut limits = Limits { cells: 0 };
    for (row, record) in reader.records().enumerate() {
        let record = record.map_err(|e| Problem::new(format!("the CSV cannot be read: {e}")))?;
        let row = u32::try_from(row).unwrap_or(u32::MAX);
        for (col, field) in record.iter().enumerate() {
            if field.trim().is_empty() {
                continue;
            }
            let at = CellRef::new(row, u32::try_from(col).unwrap_or(u32::MAX));
            limits.admit("", at)?;
            sheet.set(
                at,
                Cell {
                    value: Value::Text(field.to_string()),
                    formula: None,
                },
            );
        }
    }
    Ok(sheet)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_text_read_exactly() {
        let sheet =
            read_csv("Ref,Line,2025/26\nA1,\"Libraries, review\",\"(1,234.5)\"\n".as_bytes())
                .expect("a sheet");
        assert_eq!(sheet.at(1, 1).value.text(), Some("Libraries, review"));
        assert_eq!(sheet.at(1, 2).value.text(), Some("(1,234.5)"));
        assert!(sheet.at(5, 5).is_blank());
    }

    #[test]
    fn csv_in_windows_1252_and_with_semicolons_is_read() {
        let sheet = read_csv(b"Ref;Saving \xA3000\nA1;12\n").expect("a sheet");
        assert_eq!(sheet.at(0, 1).value.text(), Some("Saving £000"));
        assert_eq!(sheet.at(1, 1).value.text(), Some("12"));
        let sheet = read_csv(b"\xEF\xBB\xBFRef,x\n").expect("a sheet");
        assert_eq!(sheet.at(0, 0).value.text(), Some("Ref"));
    }

    #[test]
    fn a_csv_past_the_column_limit_is_refused() {
        let line = vec!["1"; MAX_COLUMNS as usize + 1].join(",");
        let problem = read_csv(line.as_bytes()).expect_err("refused");
        assert!(problem.message.contains("(1,000 columns)"), "{problem:?}");
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(5_000_000), "5,000,000");
    }

    #[test]
    fn a_panic_in_a_reader_is_one_problem() {
        let problem = guarded::<()>(|| panic!("unexpected")).expect_err("caught");
        assert!(
            problem.message.contains("the reader failed on it"),
            "{problem:?}"
        );
        assert_eq!(guarded(|| Ok(5)), Ok(5));
    }

    #[test]
    fn formats_come_from_the_name() {
        assert_eq!(kind_of(Path::new("a.XLSX")), Ok(Kind::Xlsx));
        assert_eq!(kind_of(Path::new("a.xlsm")), Ok(Kind::Xlsx));
        assert_eq!(kind_of(Path::new("a.ods")), Ok(Kind::Ods));
        assert_eq!(kind_of(Path::new("a.csv")), Ok(Kind::Csv));
        assert!(kind_of(Path::new("a.xls")).is_err());
        assert!(kind_of(Path::new("a")).is_err());
    }

    #[test]
    fn an_ole_container_is_refused_as_encrypted() {
        let mut bytes = OLE_MAGIC.to_vec();
        bytes.extend([0; 504]);
        let problem = check_zip(&bytes, Kind::Xlsx).expect_err("refused");
        assert!(problem.message.contains("encrypted"), "{problem:?}");
        let problem = check_zip(b"hello", Kind::Xlsx).expect_err("refused");
        assert!(problem.message.contains("not a zip"), "{problem:?}");
        let problem = check_zip(b"PK\x03\x04broken", Kind::Xlsx).expect_err("refused");
        assert!(problem.message.contains("corrupt"), "{problem:?}");
    }
}

#[cfg(test)]
mod damaged {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(200))]
        /// A workbook with bytes changed here and there is read or refused, never a panic.
        #[test]
        fn a_damaged_workbook_is_read_or_refused(
            name in proptest::prop_oneof![proptest::strategy::Just("plan.xlsx"), proptest::strategy::Just("plan.ods")],
            changes in proptest::collection::vec((0.0_f64..1.0, proptest::num::u8::ANY), 1..8),
        ) {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("spreadsheets").join(name);
            let mut bytes = fs::read(&path).expect("the example");
            for (at, byte) in changes {
                let i = ((bytes.len() as f64) * at) as usize;
                if let Some(b) = bytes.get_mut(i) {
                    *b = byte;
                }
            }
            let dir = tempfile::tempdir().expect("a folder");
            let damaged = dir.path().join(name);
            fs::write(&damaged, &bytes).expect("written");
            if let Ok(book) = read(&damaged, name) {
                let _ = super::super::plan_from_workbook(&book, &super::super::Options::default());
            }
        }
    }
}
