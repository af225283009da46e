//! Issue 17, the round trip: the workbook `savings report --format xlsx` writes reads back
//! (`savings_modeller::import_report`) into a scenario that projects as the original does:
//! every shipped scenario and the built-in Kent give the same `savings run --format csv`, row
//! by row, name and all, and the tracked ones the same `savings track --format csv`. What an
//! officer types on the Tracker (a forecast, a delivered figure, a RAG changed or cleared) and
//! on Inputs (a saving, a go-live) comes back, and projects as the same `--set` overrides do; a
//! figure typed where section 10's rules refuse it, or text in a figure cell, is refused
//! naming the cell.
//!
//! Most tests call the reader as a library function and run the real binary on the scenario it
//! returns; `savings_import_reads_the_report_workbook_back` runs `savings import` itself (exit
//! codes, nothing written on a problem). Cells are edited in the workbook's XML (the `zip`
//! crate), as a spreadsheet program would save a typed value.

use std::error::Error;
use std::fs;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use savings_modeller::import_report::{self, Book, ReportImportError};
use savings_modeller::projection::project;
use savings_modeller::report::{ReportInput, xlsx};
use savings_modeller::scenario;

use super::properties::{cases, plan, run_csv, scenario_text};
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

/// Report `file` as xlsx into `folder`, read it back, and check that `run` (and, where it
/// tracks delivery, `track`) of the scenario read back print exactly what they print for
/// `file`. Returns whether it is tracked.
fn assert_round_trip(folder: &Path, i: usize, file: &str) -> Result<bool, Box<dyn Error>> {
    let xlsx = folder.join(format!("book-{i}.xlsx"));
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
    let tracked = tracked(file);
    if tracked {
        assert_eq!(
            csv("track", &[&back])?,
            csv("track", &[file])?,
            "{file}: track"
        );
    }
    Ok(tracked)
}

/// Every shipped scenario (and the built-in Kent): report xlsx, read back, and `run` (and,
/// where it tracks delivery, `track`) of the scenario read back print exactly what they print
/// for the original, every row, the scenario's name included.
#[test]
fn every_shipped_scenario_reads_back_to_the_same_projection() -> TestResult {
    let folder = tempfile::tempdir()?;
    let mut tracked_count = 0;
    for (i, file) in shipped()?.iter().enumerate() {
        tracked_count += usize::from(assert_round_trip(folder.path(), i, file)?);
    }
    assert!(tracked_count >= 3, "the tracked scenarios were tracked");
    Ok(())
}

/// The same for every scenario of the tests that `savings check` passes (the rest are there to
/// be refused), among them tests/data/import-report/every-kind.toml: savings built up from S
/// that are approved, in-base and withdrawn, optimism bias on approved and proposed lines,
/// deferred services of every kind, names that look like formulas, tracking with its
/// confidences.
#[test]
fn every_test_scenario_reads_back_to_the_same_projection() -> TestResult {
    let folder = tempfile::tempdir()?;
    let mut files = Vec::new();
    let mut folders = vec![root().join("tests/data")];
    while let Some(dir) = folders.pop() {
        for entry in fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|x| x == "toml") {
                files.push(path.strip_prefix(root())?.display().to_string());
            }
        }
    }
    files.sort();
    let mut checked = Vec::new();
    for (i, file) in files.iter().enumerate() {
        if run(&["check", file]).status.code() == Some(0) {
            assert_round_trip(folder.path(), i, file)?;
            checked.push(file.as_str());
        }
    }
    assert!(
        checked.contains(&"tests/data/import-report/every-kind.toml"),
        "{checked:?}"
    );
    assert!(checked.len() >= 20, "{checked:?}");
    Ok(())
}

/// The scenario `text` (called `generated.toml`) through the workbook and back: the
/// scenario read back, and `run --format csv` of the original and of it.
fn through_the_workbook(text: &str) -> (String, String, String) {
    const NAME: &str = "generated.toml";
    let scenario = scenario::from_text(NAME, text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let projection = project(&scenario).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let input = ReportInput {
        scenario: &scenario,
        projection: &projection,
        simulation: None,
        file: NAME,
        extends: &[],
        overrides: &[],
        notes: &[],
        dp: 1,
    };
    let bytes = xlsx::workbook(&input).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let book = Book::from_bytes(bytes).unwrap_or_else(|p| panic!("{}\n{text}", p.message));
    let back = import_report::from_book(&book, "generated.xlsx")
        .unwrap_or_else(|e| panic!("{e}\n{text}"))
        .text;
    let (original, again) = (run_csv(NAME, text), run_csv(NAME, &back));
    (back, original, again)
}

proptest! {
    // Each case writes and reads a workbook: a tenth of the cases of the model's properties.
    #![proptest_config(ProptestConfig::with_cases((cases() / 10).max(16)))]

    /// Generated scenarios of options built up from S (every ramp, go-live month, range, cost,
    /// planned saving and deferral the model's properties generate) read back to the same
    /// projection.
    #[test]
    fn generated_scenarios_read_back_to_the_same_projection(text in scenario_text()) {
        let (back, original, again) = through_the_workbook(&text);
        prop_assert_eq!(again, original, "{}\nread back as\n{}", text, back);
    }

    /// Generated plans (every status, profiles in levels and increments with ranges, areas,
    /// planned savings, the gap from a table or built from the budget, pressures and funding)
    /// read back to the same projection.
    #[test]
    fn generated_plans_read_back_to_the_same_projection(plan in plan(), levels in any::<bool>()) {
        let text = plan.text(levels);
        let (back, original, again) = through_the_workbook(&text);
        prop_assert_eq!(again, original, "{}\nread back as\n{}", text, back);
    }
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

/// The cell of `line`'s figure for `year` in the Tracker's block whose group title starts with
/// `block` (`Delivered`, `Forecast`), or its RAG cell where `block` is `RAG`.
fn tracker_cell(
    xlsx: &Path,
    line: &str,
    block: &str,
    year: &str,
) -> Result<String, Box<dyn Error>> {
    const GROUP_ROW: u32 = 6;
    const HEADER_ROW: u32 = 7;
    let book = Book::open(xlsx).map_err(|p| p.message)?;
    let sheet = book.sheet("Tracker").ok_or("no Tracker")?;
    let row = (HEADER_ROW + 1..HEADER_ROW + 5000)
        .find(|r| sheet.text(*r, 0) == Some(line))
        .ok_or(format!("no line {line}"))?;
    let col = if block == "RAG" {
        (0..20).find(|c| sheet.text(HEADER_ROW, *c) == Some("RAG"))
    } else {
        (0..2000)
            .find(|c| {
                sheet
                    .text(GROUP_ROW, *c)
                    .is_some_and(|t| t.starts_with(block))
            })
            .and_then(|first| {
                (first..first + 200).find(|c| sheet.text(HEADER_ROW, *c) == Some(year))
            })
    }
    .ok_or(format!("no {block} {year}"))?;
    Ok(format!("{}{}", column(col), row + 1))
}

/// The cell of `line`'s (its service id in column A, first match) figure under the Inputs'
/// options heading starting `heading`.
fn inputs_cell(xlsx: &Path, line: &str, heading: &str) -> Result<String, Box<dyn Error>> {
    cell_of(xlsx, "Inputs", line, 5, &|_, t| t.starts_with(heading))
}

/// `savings COMMAND FILE --set ...` for each override.
fn with_sets<'a>(file: &'a str, sets: &'a [&'a str]) -> Vec<&'a str> {
    let mut args = vec![file];
    for set in sets {
        args.extend(["--set", set]);
    }
    args
}

/// Typing on the Tracker of the worked example of section 10 (a forecast in a later year, a
/// forecast cleared, a delivered figure, a RAG changed, one cleared and one given in capitals,
/// the confidence of red) reads back
/// as exactly what was typed, and `run` and `track` of it are those of the original with the
/// same changes made by `--set` (and, for the rating cleared, in its text).
#[test]
fn what_is_typed_on_the_tracker_reads_back() -> TestResult {
    let folder = tempfile::tempdir()?;
    let dir = folder.path();
    let original = dir.join("tracked.xlsx");
    report(&["scenarios/worked-example-tracking.toml"], &original)?;
    let edits = [
        (tracker_cell(&original, "a", "Forecast", "2026/27")?, "1.5"),
        (tracker_cell(&original, "a", "Forecast", "2025/26")?, ""),
        (
            tracker_cell(&original, "b", "Delivered", "2025/26")?,
            "0.45",
        ),
        (tracker_cell(&original, "a", "RAG", "")?, "red"),
        (tracker_cell(&original, "b", "RAG", "")?, ""),
        (tracker_cell(&original, "c", "RAG", "")?, "Amber"),
        // The confidence of a red rating (named ConfidenceRed).
        ("B5".to_string(), "0.25"),
    ];
    let edits: Vec<(&str, &str)> = edits.iter().map(|(c, v)| (c.as_str(), *v)).collect();
    let edited = dir.join("edited.xlsx");
    edit(&original, &edited, "Tracker", &edits)?;
    let toml = read_back(&edited)?;
    let text = fs::read_to_string(&toml)?;
    // Exactly what was typed: a's forecast now names 2026/27 only, b has no rating.
    for expected in [
        "id = \"a\"\nname = \"a\"\nstatus = \"approved\"\nrag = \"red\"\nsaving = { levels = { \"2025/26\" = 1, \"2026/27\" = 2 } }\nforecast = { \"2026/27\" = 1.5 }\n",
        "id = \"b\"\nname = \"b\"\nstatus = \"approved\"\nsaving = { levels = { \"2025/26\" = 0.5, \"2027/28\" = 0 } }\ndelivered = { \"2025/26\" = 0.45 }\n",
        "id = \"c\"\nname = \"c\"\nrag = \"amber\"\nsaving = { levels = { \"2026/27\" = 3 } }\n",
        "as_at = \"2025-12\"",
        "confidence = { green = 1, amber = 0.5, red = 0.25 }",
    ] {
        assert!(text.contains(expected), "{expected}\nnot in\n{text}");
    }

    // The same changes made to the original: the rating cleared in its text, the rest by
    // --set.
    let plan = fs::read_to_string(root().join("scenarios/worked-example-tracking.toml"))?;
    assert!(
        plan.contains("id = \"b\"\nrag = \"green\"\n"),
        "b's rating moved"
    );
    let unrated = dir.join("worked-example-tracking.toml");
    fs::write(
        &unrated,
        plan.replace("id = \"b\"\nrag = \"green\"\n", "id = \"b\"\n")
            .replace(
                "extends = \"worked-example-plan.toml\"",
                &format!(
                    "extends = {:?}",
                    root()
                        .join("scenarios/worked-example-plan.toml")
                        .display()
                        .to_string()
                ),
            ),
    )?;
    let unrated = unrated.display().to_string();
    let sets = [
        "service[a].forecast={\"2026/27\"=1.5}",
        "service[b].delivered.\"2025/26\"=0.45",
        "service[a].rag=\"red\"",
        "service[c].rag=\"amber\"",
        "tracking.confidence.red=0.25",
    ];
    let back = toml.display().to_string();
    let expected = csv("run", &with_sets(&unrated, &sets))?;
    // Not vacuous: the typing moves the figures.
    assert_ne!(
        expected,
        csv("run", &["scenarios/worked-example-tracking.toml"])?
    );
    assert_eq!(csv("run", &[&back])?, expected);
    assert_eq!(
        csv("track", &[&back])?,
        csv("track", &with_sets(&unrated, &sets))?
    );
    Ok(())
}

/// Changing a saving, a go-live (the go-live year and the months counted in it, which the
/// Projection counts) and the overlap on Inputs reads back as those changes: `run` of the
/// scenario read back is `run` of the original with the same `--set` overrides.
#[test]
fn what_is_changed_on_inputs_reads_back() -> TestResult {
    const RIVERSIDE: &str = "scenarios/riverside-district-2025.toml";
    let folder = tempfile::tempdir()?;
    let original = folder.path().join("riverside.xlsx");
    report(&[RIVERSIDE], &original)?;
    let line = "customer-services";
    let edits = [
        (inputs_cell(&original, line, "Saving S central")?, "0.28"),
        (inputs_cell(&original, line, "Go-live year")?, "2026"),
        (inputs_cell(&original, line, "Months counted")?, "9"),
        ("B2".to_string(), "0.6"),
    ];
    let edits: Vec<(&str, &str)> = edits.iter().map(|(c, v)| (c.as_str(), *v)).collect();
    let edited = folder.path().join("edited.xlsx");
    edit(&original, &edited, "Inputs", &edits)?;
    let toml = read_back(&edited)?;
    let text = fs::read_to_string(&toml)?;
    for expected in [
        "saving = { low = 0.16, central = 0.28, high = 0.3 }\n  start = \"2026-07\"\n",
        "overlap = 0.6\n",
    ] {
        assert!(text.contains(expected), "{expected}\nnot in\n{text}");
    }
    let sets = [
        "service[customer-services].option[digital-first].saving.central=0.28",
        "service[customer-services].option[digital-first].start=\"2026-07\"",
        "scenario.overlap=0.6",
    ];
    let expected = csv("run", &with_sets(RIVERSIDE, &sets))?;
    assert_ne!(
        expected,
        csv("run", &[RIVERSIDE])?,
        "the changes move the figures"
    );
    assert_eq!(csv("run", &[&toml.display().to_string()])?, expected);
    Ok(())
}

/// The problems of `xlsx` read back, each as `book.xlsx: PLACE: FIELD: message`.
fn problems(xlsx: &Path) -> Result<Vec<String>, Box<dyn Error>> {
    let error = refused(xlsx)?;
    Ok(error
        .problems
        .iter()
        .map(|p| p.display("book.xlsx"))
        .collect())
}

/// Asserts that one of `problems` starts with `start` and contains `middle`.
fn assert_problem(problems: &[String], start: &str, middle: &str) {
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with(start) && p.contains(middle)),
        "no problem {start}...{middle}... in\n{}",
        problems.join("\n")
    );
}

/// Figures typed on the Tracker where docs/model.md section 10 refuses them, text in a figure
/// cell and a word that is not a rating are each refused naming the cell, all in one pass;
/// nothing is read back.
#[test]
fn what_the_tracker_refuses_names_its_cell() -> TestResult {
    let folder = tempfile::tempdir()?;
    let original = folder.path().join("tracked.xlsx");
    report(&["scenarios/worked-example-tracking.toml"], &original)?;
    let cell = |line: &str, block: &str, year: &str| tracker_cell(&original, line, block, year);
    let text_cell = cell("a", "Forecast", "2026/27")?;
    let negative = cell("b", "Delivered", "2025/26")?;
    let after = cell("b", "Delivered", "2027/28")?;
    let proposed = cell("c", "Forecast", "2026/27")?;
    let both = cell("b", "Forecast", "2025/26")?;
    let rag = cell("d", "RAG", "")?;
    let edits = [
        (text_cell.as_str(), "1.5m"),
        (negative.as_str(), "-0.2"),
        (after.as_str(), "0.5"),
        (proposed.as_str(), "2"),
        (both.as_str(), "0.4"),
        (rag.as_str(), "purple"),
    ];
    let edited = folder.path().join("edited.xlsx");
    edit(&original, &edited, "Tracker", &edits)?;
    let found = problems(&edited)?;
    assert_problem(
        &found,
        &format!(
            "book.xlsx: Tracker!{text_cell}: service[a].forecast.\"2026/27\": forecast for 2026/27: expected a figure, found the text \"1.5m\""
        ),
        "",
    );
    assert_problem(
        &found,
        &format!(
            "book.xlsx: Tracker!{negative}: service[b].delivered.\"2025/26\": delivered for 2025/26: must be at least 0, found -0.2"
        ),
        "",
    );
    assert_problem(
        &found,
        &format!(
            "book.xlsx: Tracker!{after}: service[b].delivered.\"2027/28\": delivered for 2027/28: 2027/28 is after the current year 2025/26 (as at 2025-12)"
        ),
        "",
    );
    assert_problem(
        &found,
        &format!(
            "book.xlsx: Tracker!{proposed}: service[c].forecast.\"2026/27\": forecast for 2026/27: delivery is recorded only for an approved or withdrawn line, and this line is proposed"
        ),
        "",
    );
    assert_problem(
        &found,
        &format!(
            "book.xlsx: Tracker!{rag}: service[d].rag: RAG: expected blue, green, amber or red, found the text \"purple\""
        ),
        "",
    );
    assert_eq!(found.len(), 5, "{}", found.join("\n"));
    // The delivered figure and the forecast typed for one year: refused at the forecast.
    let edited = folder.path().join("both.xlsx");
    let delivered = cell("b", "Delivered", "2025/26")?;
    edit(
        &original,
        &edited,
        "Tracker",
        &[(delivered.as_str(), "0.5"), (both.as_str(), "0.4")],
    )?;
    assert_problem(
        &problems(&edited)?,
        &format!(
            "book.xlsx: Tracker!{both}: service[b].forecast.\"2025/26\": forecast for 2025/26: 2025/26 has both a delivered figure and a forecast"
        ),
        "",
    );
    // A later month makes a's forecast for 2025/26 one for a past year.
    let edited = folder.path().join("later.xlsx");
    edit(&original, &edited, "Tracker", &[("B2", "2026-12")])?;
    let forecast = cell("a", "Forecast", "2025/26")?;
    assert_problem(
        &problems(&edited)?,
        &format!(
            "book.xlsx: Tracker!{forecast}: service[a].forecast.\"2025/26\": forecast for 2025/26: 2025/26 is before the current year 2026/27 (as at 2026-12)"
        ),
        "",
    );
    // A month that is not one.
    let edited = folder.path().join("month.xlsx");
    edit(&original, &edited, "Tracker", &[("B2", "December")])?;
    assert_problem(
        &problems(&edited)?,
        "book.xlsx: Tracker!B2: scenario.as_at: as at: expected a month written like \"2025-12\", found \"December\"",
        "",
    );
    Ok(())
}

/// Text in a figure cell on Inputs, and a change the scenario's own rules refuse (a low saving
/// above the central one, a ramp that falls), are refused naming the cell the value came from.
#[test]
fn what_inputs_refuses_names_its_cell() -> TestResult {
    const RIVERSIDE: &str = "scenarios/riverside-district-2025.toml";
    let folder = tempfile::tempdir()?;
    let original = folder.path().join("riverside.xlsx");
    report(&[RIVERSIDE], &original)?;
    let line = "customer-services";
    let text_cell = inputs_cell(&original, line, "Saving S high")?;
    let edited = folder.path().join("text.xlsx");
    edit(
        &original,
        &edited,
        "Inputs",
        &[(text_cell.as_str(), "lots")],
    )?;
    let found = problems(&edited)?;
    assert_problem(
        &found,
        &format!(
            "book.xlsx: Inputs!{text_cell}: saving S high: expected a figure, found the text \"lots\""
        ),
        "",
    );
    assert_eq!(found.len(), 1, "{}", found.join("\n"));

    let low = inputs_cell(&original, line, "Saving S low")?;
    let ramp = inputs_cell(&original, line, "Ramp r(2)")?;
    let edited = folder.path().join("rules.xlsx");
    edit(
        &original,
        &edited,
        "Inputs",
        &[(low.as_str(), "0.5"), (ramp.as_str(), "0.25")],
    )?;
    let found = problems(&edited)?;
    let central = inputs_cell(&original, line, "Saving S central")?;
    assert_problem(
        &found,
        &format!(
            "book.xlsx: Inputs!{central}: service[customer-services].option[digital-first].saving.central: central 0.24 is below low 0.5"
        ),
        "",
    );
    assert_problem(
        &found,
        &format!(
            "book.xlsx: Inputs!{ramp}: service[customer-services].option[digital-first].ramp[#2]: the ramp falls from 0.5 to 0.25"
        ),
        "",
    );
    assert_eq!(found.len(), 2, "{}", found.join("\n"));
    Ok(())
}

/// A workbook that only looks like ours (our sheet names, a council's cells; or a council's
/// own with an "Inputs" sheet) is not taken for one, and reading it back says so; a file that
/// is not a workbook at all is refused with one message.
#[test]
fn only_our_own_workbook_is_read_back() -> TestResult {
    let folder = tempfile::tempdir()?;
    let ours = folder.path().join("ours.xlsx");
    report(&["scenarios/worked-example-plan.toml"], &ours)?;
    assert!(import_report::is_report_workbook(
        &Book::open(&ours).map_err(|p| p.message)?
    ));

    // Our sheets in our order, a council's cells in them.
    let mut book = rust_xlsxwriter::Workbook::new();
    for name in ["Summary", "Inputs", "Projection", "Sources"] {
        let sheet = book.add_worksheet();
        sheet.set_name(name)?;
        sheet.write_string(0, 0, "Savings 2025-28")?;
        sheet.write_string(5, 0, "Service id")?;
        sheet.write_string(1, 0, "Overlap w")?;
    }
    let lookalike = folder.path().join("lookalike.xlsx");
    book.save(&lookalike)?;
    // A council's plan with an Inputs sheet.
    let mut book = rust_xlsxwriter::Workbook::new();
    for name in ["Savings 2025-28", "Inputs"] {
        let sheet = book.add_worksheet();
        sheet.set_name(name)?;
        sheet.write_string(0, 0, "Ref")?;
        sheet.write_string(0, 1, "2025/26")?;
    }
    let council = folder.path().join("council.xlsx");
    book.save(&council)?;
    for file in [&lookalike, &council] {
        assert!(!import_report::is_report_workbook(
            &Book::open(file).map_err(|p| p.message)?
        ));
        assert_problem(
            &problems(file)?,
            "book.xlsx: is not a workbook written by savings report --format xlsx",
            "",
        );
    }

    // Our workbook with its Summary's title changed is not taken for ours either: no one cell
    // decides.
    let retitled = folder.path().join("retitled.xlsx");
    edit(&ours, &retitled, "Summary", &[("A1", "Budget monitoring")])?;
    assert!(!import_report::is_report_workbook(
        &Book::open(&retitled).map_err(|p| p.message)?
    ));

    let text = folder.path().join("plan.xlsx");
    fs::write(&text, "Ref,2025/26\n")?;
    let found = problems(&text)?;
    assert_eq!(found.len(), 1, "{found:?}");
    assert_problem(&found, "book.xlsx: the workbook cannot be read: ", "");
    let missing = folder.path().join("missing.xlsx");
    assert_eq!(problems(&missing)?, ["book.xlsx: no such file"]);
    Ok(())
}

/// A workbook opened and saved again by a spreadsheet program (LibreOffice, which recalculates
/// and stores every formula's result, rewrites the shared strings, styles and names) reads back
/// as the one the report wrote. Skipped, with the reason printed, where `soffice` is missing.
#[test]
fn a_workbook_saved_again_by_libreoffice_reads_back() -> TestResult {
    let installed = std::process::Command::new("soffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed {
        eprintln!("skipped: LibreOffice (soffice) is not installed");
        return Ok(());
    }
    let folder = tempfile::tempdir()?;
    let dir = folder.path();
    let files = [
        "builtin:",
        "scenarios/riverside-district-2025.toml",
        "scenarios/monitoring-example-q2.toml",
        "tests/data/import-report/every-kind.toml",
    ];
    let mut books = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let book = dir.join(format!("book-{i}.xlsx"));
        report(&[file], &book)?;
        books.push(book);
    }
    let out = dir.join("saved");
    let output = std::process::Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.join("profile").display()
        ))
        .args([
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
        ])
        .arg(&out)
        .args(&books)
        .output()?;
    assert!(output.status.success(), "soffice: {}", stderr(&output));
    for (i, file) in files.iter().enumerate() {
        let saved = out.join(format!("book-{i}.xlsx"));
        assert_ne!(fs::read(&saved)?, fs::read(&books[i])?, "saved again");
        let back = read_back(&saved)?.display().to_string();
        assert_eq!(csv("run", &[&back])?, csv("run", &[file])?, "{file}");
        if tracked(file) {
            assert_eq!(csv("track", &[&back])?, csv("track", &[file])?, "{file}");
        }
    }
    Ok(())
}

/// A report made with `--simulate` has a Simulation sheet (before Sources): it is ours, and
/// reads back as the report without it does.
#[test]
fn a_workbook_with_its_simulation_reads_back() -> TestResult {
    const FILE: &str = "scenarios/monitoring-example.toml";
    let folder = tempfile::tempdir()?;
    let book = folder.path().join("simulated.xlsx");
    report(&[FILE, "--simulate", "--trials", "200"], &book)?;
    let read = Book::open(&book).map_err(|p| p.message)?;
    assert!(read.sheet_names.iter().any(|n| n == "Simulation"));
    let back = read_back(&book)?.display().to_string();
    assert_eq!(csv("run", &[&back])?, csv("run", &[FILE])?);
    assert_eq!(csv("track", &[&back])?, csv("track", &[FILE])?);
    Ok(())
}

/// Text from the workbook that goes into the scenario's opening comment (the file the Summary
/// names) cannot end the comment: a line break and any other control character is written as
/// its code, so the scenario reads as the workbook holds it.
#[test]
fn text_from_the_workbook_cannot_end_the_comment() -> TestResult {
    const FILE: &str = "scenarios/worked-example.toml";
    let folder = tempfile::tempdir()?;
    let original = folder.path().join("worked.xlsx");
    report(&[FILE], &original)?;
    let book = Book::open(&original).map_err(|p| p.message)?;
    let summary = book.sheet("Summary").ok_or("no Summary")?;
    let row = (0..20)
        .find(|r| summary.text(*r, 0) == Some("Scenario file"))
        .ok_or("no Scenario file row")?;
    let edited = folder.path().join("edited.xlsx");
    let cell = format!("B{}", row + 1);
    edit(
        &original,
        &edited,
        "Summary",
        // `_x001B_` is how a workbook writes the control character ESC.
        &[(
            cell.as_str(),
            "x\n[gap]\nrequired = { \"2015/16\" = 1 }_x001B_",
        )],
    )?;
    let toml = read_back(&edited)?;
    let text = fs::read_to_string(&toml)?;
    assert!(
        text.contains(
            "(its scenario file: x\\u{a}[gap]\\u{a}required = { \"2015/16\" = 1 }\\u{1b}),"
        ),
        "{text}"
    );
    assert_eq!(
        csv("run", &[&toml.display().to_string()])?,
        csv("run", &[FILE])?
    );
    Ok(())
}

/// `savings import` takes the report's own workbook: it writes the scenario the library reads
/// back (exit 0), prints it with `--dry-run` and writes nothing, refuses the flags that shape a
/// council's table (exit 2), and refuses a figure typed where section 10 refuses it naming the
/// cell, writing nothing (exit 2).
#[test]
fn savings_import_reads_the_report_workbook_back() -> TestResult {
    const FILE: &str = "scenarios/worked-example-tracking.toml";
    let folder = tempfile::tempdir()?;
    let book = folder.path().join("tracked.xlsx");
    report(&[FILE], &book)?;
    let book_arg = book.display().to_string();
    let toml = folder.path().join("tracked.toml");
    let toml_arg = toml.display().to_string();
    let output = run(&["import", &book_arg, "--output", &toml_arg]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    let written = fs::read_to_string(&toml)?;
    let library = import_report::read_report_workbook(&book, &book_arg)
        .map_err(|e| e.to_string())?
        .text;
    assert_eq!(written, library);
    assert_eq!(csv("run", &[&toml_arg])?, csv("run", &[FILE])?);
    assert_eq!(csv("track", &[&toml_arg])?, csv("track", &[FILE])?);

    let dry = folder.path().join("dry.toml");
    let output = run(&["import", &book_arg, "--dry-run"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), library);
    assert!(!dry.exists());

    let output = run(&["import", &book_arg, "--amounts", "levels"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        format!(
            "error: {book_arg}: --amounts does not apply: the file is a workbook written by savings report --format xlsx, which reads back whole (docs/model.md section 12)\n"
        )
    );

    let negative = tracker_cell(&book, "b", "Delivered", "2025/26")?;
    let edited = folder.path().join("edited.xlsx");
    edit(&book, &edited, "Tracker", &[(negative.as_str(), "-0.2")])?;
    let refused_toml = folder.path().join("refused.toml");
    let edited_arg = edited.display().to_string();
    let output = run(&[
        "import",
        &edited_arg,
        "--output",
        &refused_toml.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).starts_with(&format!("error: {edited_arg}: Tracker!{negative}: service[b].delivered.\"2025/26\": delivered for 2025/26: must be at least 0, found -0.2\n")),
        "{}",
        stderr(&output)
    );
    assert!(!refused_toml.exists(), "nothing is written");
    Ok(())
}
