//! Issue 17, the round trip: the workbook `savings report --format xlsx` writes reads back
//! (`savings_modeller::import_report`) into a scenario that projects as the original does:
//! every shipped scenario and the built-in Kent give the same `savings run --format csv`, row
//! by row, name and all, and the tracked ones the same `savings track --format csv`. What an
//! officer types on the Tracker (a forecast, a delivered figure, a RAG changed or cleared) and
//! on Inputs (a saving, a go-live) comes back, and projects as the same `--set` overrides do; a
//! figure typed where section 10's rules refuse it, or text in a figure cell, is refused
//! naming the cell.
//!
//! The reader is a library function until `savings import` takes it up: each test writes the
//! scenario it returns to a file and runs the real binary on it. Cells are edited in the
//! workbook's XML (the `zip` crate), as a spreadsheet program would save a typed value.

use std::error::Error;
use std::fs;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use savings_modeller::import_report::{self, Book, ReportImportError};

use super::report_xlsx::report;
use super::support::{TestResult, root, run, stderr, stdout};

/// `savings COMMAND ARGS --format csv`'s standard output, which must succeed.
fn csv(command: &str, args: &[&str]) -> Result<String, Box<dyn Error>> {
    let mut all = vec![command];
    all.extend(args);
    all.extend(["--format", "csv"]);
    let output = run(&all);
    if output.status.code() != Some(0) {
        return Err(format!("{all:?}: {}", stderr(&output)).into());
    }
    Ok(stdout(&output))
}

/// Reads `xlsx` back and writes the scenario beside it as `NAME.toml`.
fn read_back(xlsx: &Path) -> Result<PathBuf, Box<dyn Error>> {
    let imported = import_report::read_report_workbook(xlsx, &xlsx.display().to_string())
        .map_err(|e| format!("{}: {e}", xlsx.display()))?;
    let toml = xlsx.with_extension("toml");
    fs::write(&toml, &imported.text)?;
    Ok(toml)
}

/// The problems reading `xlsx` back finds (the test fails if it reads).
fn refused(xlsx: &Path) -> Result<ReportImportError, Box<dyn Error>> {
    match import_report::read_report_workbook(xlsx, "book.xlsx") {
        Ok(imported) => Err(format!("read back:\n{}", imported.text).into()),
        Err(e) => Ok(e),
    }
}

/// The shipped scenarios, and the built-in one.
fn shipped() -> Result<Vec<String>, Box<dyn Error>> {
    let mut files: Vec<String> = fs::read_dir(root().join("scenarios"))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            format!(
                "scenarios/{}",
                p.file_name().unwrap_or_default().to_string_lossy()
            )
        })
        .collect();
    files.sort();
    files.push("builtin:".to_string());
    Ok(files)
}

/// Whether `savings track` reads the scenario (it tracks delivery).
fn tracked(file: &str) -> bool {
    run(&["track", file, "--format", "csv"]).status.code() == Some(0)
}

/// Every shipped scenario (and the built-in Kent): report xlsx, read back, and `run` (and,
/// where it tracks delivery, `track`) of the scenario read back print exactly what they print
/// for the original, every row, the scenario's name included.
#[test]
fn every_shipped_scenario_reads_back_to_the_same_projection() -> TestResult {
    let folder = tempfile::tempdir()?;
    let mut tracked_count = 0;
    for (i, file) in shipped()?.iter().enumerate() {
        let xlsx = folder.path().join(format!("book-{i}.xlsx"));
        report(&[file], &xlsx)?;
        let toml = read_back(&xlsx)?;
        let back = toml.display().to_string();
        let original = csv("run", &[file])?;
        assert!(original.lines().count() > 10, "{file}");
        assert_eq!(
            csv("run", &[&back])?,
            original,
            "{file}: run, read back as\n{}",
            fs::read_to_string(&toml)?
        );
        if tracked(file) {
            tracked_count += 1;
            assert_eq!(
                csv("track", &[&back])?,
                csv("track", &[file])?,
                "{file}: track"
            );
        }
    }
    assert!(tracked_count >= 3, "the tracked scenarios were tracked");
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Editing cells of a written workbook.

/// The XML part of sheet `name` (rust_xlsxwriter writes `sheetN.xml` in sheet order).
fn sheet_part(book: &[u8], name: &str) -> Result<String, Box<dyn Error>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(book))?;
    let mut workbook = String::new();
    zip.by_name("xl/workbook.xml")?
        .read_to_string(&mut workbook)?;
    let names: Vec<&str> = workbook
        .split("<sheet name=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    let index = names
        .iter()
        .position(|n| *n == name)
        .ok_or(format!("no sheet {name}"))?;
    Ok(format!("xl/worksheets/sheet{}.xml", index + 1))
}

/// The XML of cell `cell` set to `value`: a number, text (an inline string), or blank ("").
fn set_cell(xml: &str, cell: &str, value: &str) -> Result<String, Box<dyn Error>> {
    let open = format!("<c r=\"{cell}\"");
    let start = xml
        .match_indices(&open)
        .map(|(i, _)| i)
        .find(|i| matches!(xml.as_bytes().get(i + open.len()), Some(b' ' | b'>' | b'/')))
        .ok_or(format!("no cell {cell}"))?;
    let tag_end = start + xml[start..].find('>').ok_or("an unclosed cell")?;
    let self_closing = xml.as_bytes().get(tag_end - 1) == Some(&b'/');
    let end = if self_closing {
        tag_end + 1
    } else {
        tag_end + xml[tag_end..].find("</c>").ok_or("no </c>")? + 4
    };
    let attributes_end = if self_closing { tag_end - 1 } else { tag_end };
    let attributes: String = xml[start + open.len()..attributes_end]
        .split(' ')
        .filter(|a| !a.is_empty() && !a.starts_with("t="))
        .map(|a| format!(" {a}"))
        .collect();
    let is_number = !value.is_empty()
        && value.parse::<f64>().is_ok()
        && value
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-');
    let new = if value.is_empty() {
        format!("{open}{attributes}/>")
    } else if is_number {
        format!("{open}{attributes}><v>{value}</v></c>")
    } else {
        format!("{open}{attributes} t=\"inlineStr\"><is><t>{value}</t></is></c>")
    };
    Ok(format!("{}{new}{}", &xml[..start], &xml[end..]))
}

/// Copies `from` to `to` with cells of sheet `sheet` set (see [`set_cell`]).
fn edit(from: &Path, to: &Path, sheet: &str, edits: &[(&str, &str)]) -> TestResult {
    let bytes = fs::read(from)?;
    let part = sheet_part(&bytes, sheet)?;
    let mut zip = zip::ZipArchive::new(Cursor::new(&bytes))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i)?;
        let name = entry.name()?.to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data)?;
        if name == part {
            let mut xml = String::from_utf8(data)?;
            for (cell, value) in edits {
                xml = set_cell(&xml, cell, value)?;
            }
            data = xml.into_bytes();
        }
        out.start_file(name, options)?;
        out.write_all(&data)?;
    }
    fs::write(to, out.finish()?.into_inner())?;
    Ok(())
}

#[test]
fn a_cell_is_set_as_a_spreadsheet_saves_it() -> TestResult {
    let xml = r#"<row r="9"><c r="H9" s="4"/><c r="H90" s="4" t="s"><v>3</v></c><c r="I9" s="5" t="s"><v>7</v></c></row>"#;
    assert_eq!(
        set_cell(xml, "H9", "0.35")?,
        r#"<row r="9"><c r="H9" s="4"><v>0.35</v></c><c r="H90" s="4" t="s"><v>3</v></c><c r="I9" s="5" t="s"><v>7</v></c></row>"#
    );
    assert_eq!(
        set_cell(xml, "I9", "red")?,
        r#"<row r="9"><c r="H9" s="4"/><c r="H90" s="4" t="s"><v>3</v></c><c r="I9" s="5" t="inlineStr"><is><t>red</t></is></c></row>"#
    );
    assert_eq!(
        set_cell(xml, "I9", "")?,
        r#"<row r="9"><c r="H9" s="4"/><c r="H90" s="4" t="s"><v>3</v></c><c r="I9" s="5"/></row>"#
    );
    Ok(())
}

/// The cell of `(row label in column A, column heading)` on a sheet read with the library's
/// reader: `heading_row` is the row (0-based) of the headings.
fn cell_of(
    xlsx: &Path,
    sheet: &str,
    line: &str,
    heading_row: u32,
    heading: &dyn Fn(u32, &str) -> bool,
) -> Result<String, Box<dyn Error>> {
    let book = Book::open(xlsx).map_err(|p| p.message)?;
    let sheet = book.sheet(sheet).ok_or("no sheet")?;
    let row = (heading_row + 1..heading_row + 5000)
        .find(|r| sheet.text(*r, 0) == Some(line))
        .ok_or(format!("no line {line}"))?;
    let col = (0..2000)
        .find(|c| sheet.text(heading_row, *c).is_some_and(|t| heading(*c, t)))
        .ok_or("no heading")?;
    Ok(format!("{}{}", column(col), row + 1))
}

fn column(col: u32) -> String {
    let mut n = col + 1;
    let mut letters = Vec::new();
    while n > 0 {
        letters.push(char::from(b'A' + ((n - 1) % 26) as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}
