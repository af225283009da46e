//! Writes the spreadsheets `savings import` is tested on (issue 17): workbooks laid out as
//! English councils lay out their MTFS savings appendices and delivery trackers, and broken
//! ones the import must refuse with one clear message.
//!
//! ```text
//! cargo run --example import_fixtures             # writes into tests/
//! cargo run --example import_fixtures -- OUTDIR   # the same tree under OUTDIR
//! cargo run --example import_fixtures -- OUTDIR --no-ods
//! ```
//!
//! writes, under OUTDIR (default `tests`, the crate's test folder):
//!
//! - `data/import/<case>/input.xlsx` or `input.csv`: each case's sheet (the case's `args` and
//!   `expected.toml` are written by hand and never touched here), and `input.ods` beside the
//!   xlsx of the cases marked for it, converted with LibreOffice
//!   (`soffice --headless --convert-to ods`; skipped with a note where `soffice` is missing,
//!   or with `--no-ods`);
//! - `bad-import/<case>.xlsx|.csv|.ods`: the spreadsheets that must be refused (their `.args`
//!   and `.stderr` are beside them, not written here).
//!
//! The xlsx files are the same bytes on every run (a fixed creation time, rust_xlsxwriter's
//! fixed zip times); the ods files carry LibreOffice's own timestamps, so they change when
//! regenerated though what they hold does not. Every formula is saved with the value a
//! spreadsheet would show (rust_xlsxwriter otherwise saves `0`, which a total check would
//! rightly report), except in the case that is about formulas saved without values, where the
//! `<v>` element is taken out of the sheet's XML after writing, as some tools save them.
//! The councils and figures are made up. See tests/data/import/README.md.

use std::fs;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Formula, Workbook};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// A cell of a fixture sheet.
#[derive(Clone, Debug)]
enum C {
    /// Empty.
    E,
    /// Text (a figure typed as text stays text).
    T(&'static str),
    /// A number, shown in the sheet's number format.
    N(f64),
    /// A formula and the value saved with it ([`NO_VALUE`]: saved without one).
    F(&'static str, String),
    /// A date (year, month, day), shown as `mmm-yy`, or `dd/mm/yyyy` for an "As at" cell.
    D(u16, u8, u8),
}

use C::{D, E, N, T};

/// The result written for a formula to be saved without a value: rust_xlsxwriter saves
/// `0` for a formula given no result, so this stands in and is taken out after writing.
const NO_VALUE: &str = "NO VALUE";

/// A formula saved without a value (in a workbook written with `strip_values`).
fn bare(formula: &'static str) -> C {
    C::F(formula, NO_VALUE.to_string())
}

/// A formula saved with the value `value`, printed as a spreadsheet stores it (the shortest
/// decimal of the double).
fn f(formula: &'static str, value: f64) -> C {
    C::F(formula, format!("{value}"))
}

/// A formula whose saved value is the double a spreadsheet computes by adding `values` in
/// order (so `0.1 + 0.2` is saved as `0.30000000000000004`).
fn sum(formula: &'static str, values: &[f64]) -> C {
    f(formula, values.iter().fold(0.0, |a, b| a + b))
}

/// A sheet of a fixture workbook.
struct SheetSpec {
    name: &'static str,
    rows: Vec<Vec<C>>,
    /// Rows hidden, counted from 1 as the sheet shows them.
    hidden: Vec<u32>,
    /// Merged ranges (`B6:B8`); the text of the top-left cell is kept.
    merges: Vec<&'static str>,
    /// The number format of figures (`#,##0.0;(#,##0.0);-` prints negatives in brackets).
    number_format: &'static str,
    /// Column widths, from column A.
    widths: Vec<f64>,
}

impl SheetSpec {
    fn new(name: &'static str, number_format: &'static str, rows: Vec<Vec<C>>) -> Self {
        Self {
            name,
            rows,
            hidden: Vec::new(),
            merges: Vec::new(),
            number_format,
            widths: Vec::new(),
        }
    }

    fn hidden(mut self, rows: &[u32]) -> Self {
        self.hidden = rows.to_vec();
        self
    }

    fn merges(mut self, ranges: &[&'static str]) -> Self {
        self.merges = ranges.to_vec();
        self
    }

    fn widths(mut self, widths: &[f64]) -> Self {
        self.widths = widths.to_vec();
        self
    }
}

/// What a fixture is written as.
enum Body {
    Xlsx {
        sheets: Vec<SheetSpec>,
        /// Also convert it to ods beside it.
        ods: bool,
        /// Take the saved values out of every formula cell.
        strip_values: bool,
    },
    Csv(&'static str),
    /// Bytes as they are (a broken file).
    Raw(Vec<u8>),
    /// The first half of another fixture's xlsx (a workbook cut short).
    TruncatedXlsx(Vec<SheetSpec>),
    /// An xlsx converted to ods, the xlsx then removed (a bad case in ods).
    OdsOnly(Vec<SheetSpec>),
    /// An xlsx saved by LibreOffice as an ods with a password (scripts/encrypt-workbook.py).
    EncryptedOds(Vec<SheetSpec>),
}

struct Fixture {
    /// The path under OUTDIR, without the extension.
    path: String,
    body: Body,
}

fn xlsx(path: &str, sheets: Vec<SheetSpec>) -> Fixture {
    Fixture {
        path: path.to_string(),
        body: Body::Xlsx {
            sheets,
            ods: false,
            strip_values: false,
        },
    }
}

fn xlsx_and_ods(path: &str, sheets: Vec<SheetSpec>) -> Fixture {
    Fixture {
        path: path.to_string(),
        body: Body::Xlsx {
            sheets,
            ods: true,
            strip_values: false,
        },
    }
}

fn csv(path: &str, text: &'static str) -> Fixture {
    Fixture {
        path: path.to_string(),
        body: Body::Csv(text),
    }
}

/// `B6` to (row, column), both from 0.
fn cell_at(name: &str) -> Result<(u32, u16)> {
    let letters: String = name.chars().take_while(char::is_ascii_alphabetic).collect();
    let digits = &name[letters.len()..];
    let mut col: u32 = 0;
    for c in letters.chars() {
        col = col * 26 + (c.to_ascii_uppercase() as u32 - 'A' as u32 + 1);
    }
    let row: u32 = digits.parse()?;
    Ok((row - 1, u16::try_from(col - 1)?))
}

/// The workbook's bytes.
fn workbook_bytes(sheets: &[SheetSpec]) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let fixed = ExcelDateTime::from_ymd(2025, 1, 1)?;
    book.set_properties(
        &DocProperties::new()
            .set_author("savings import fixtures")
            .set_creation_datetime(&fixed),
    );
    for spec in sheets {
        let number = Format::new().set_num_format(spec.number_format);
        let date = Format::new().set_num_format("mmm-yy");
        let day = Format::new().set_num_format("dd/mm/yyyy");
        let heading = Format::new().set_bold().set_text_wrap();
        let sheet = book.add_worksheet();
        sheet.set_name(spec.name)?;
        for (c, width) in spec.widths.iter().enumerate() {
            sheet.set_column_width(u16::try_from(c)?, *width)?;
        }
        for (r, row) in spec.rows.iter().enumerate() {
            let r = u32::try_from(r)?;
            for (c, cell) in row.iter().enumerate() {
                let c = u16::try_from(c)?;
                match cell {
                    E => {}
                    T(t) => {
                        sheet.write_string(r, c, *t)?;
                    }
                    N(n) => {
                        sheet.write_number_with_format(r, c, *n, &number)?;
                    }
                    C::F(formula, value) => {
                        sheet.write_formula_with_format(
                            r,
                            c,
                            Formula::new(*formula).set_result(value.as_str()),
                            &number,
                        )?;
                    }
                    D(y, m, d) => {
                        let when = ExcelDateTime::from_ymd(*y, *m, *d)?;
                        // An "As at" cell shows the day; a year heading the month.
                        let after_as_at = c > 0
                            && matches!(row.get(usize::from(c) - 1), Some(T(t)) if t.to_lowercase().starts_with("as at"));
                        let format = if after_as_at { &day } else { &date };
                        sheet.write_datetime_with_format(r, c, &when, format)?;
                    }
                }
            }
        }
        for range in &spec.merges {
            let (first, last) = range.split_once(':').ok_or("a merge is a range")?;
            let (r1, c1) = cell_at(first)?;
            let (r2, c2) = cell_at(last)?;
            let text = match spec
                .rows
                .get(r1 as usize)
                .and_then(|row| row.get(usize::from(c1)))
            {
                Some(T(t)) => *t,
                _ => "",
            };
            sheet.merge_range(r1, c1, r2, c2, text, &heading)?;
        }
        for row in &spec.hidden {
            sheet.set_row_hidden(row - 1)?;
        }
    }
    Ok(book.save_to_buffer()?)
}

/// The workbook with the saved value of every formula written with [`NO_VALUE`] taken out
/// (its `<v>` and the string type it was given): the cells keep only `<f>`, as some tools
/// save them.
fn strip_formula_values(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i)?;
        let name = entry.name()?.to_string();
        let mut content = Vec::new();
        entry.read_to_end(&mut content)?;
        if name.starts_with("xl/worksheets/sheet") {
            let text = String::from_utf8(content)?;
            content = text
                .replace(&format!("<v>{NO_VALUE}</v>"), "")
                .replace(" t=\"str\"><f>", "><f>")
                .into_bytes();
        }
        out.start_file(name, options)?;
        out.write_all(&content)?;
    }
    Ok(out.finish()?.into_inner())
}

/// Converts `xlsx` to ods beside it with LibreOffice; false where soffice cannot be run.
fn convert_to_ods(xlsx: &Path) -> Result<bool> {
    let dir = xlsx.parent().ok_or("a file has a folder")?;
    let profile = std::env::temp_dir().join("savings-import-fixtures-lo-profile");
    let status = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "ods", "--outdir"])
        .arg(dir)
        .arg(xlsx)
        .output();
    match status {
        Ok(output) if output.status.success() => Ok(true),
        Ok(output) => Err(format!(
            "soffice could not convert {}: {}",
            xlsx.display(),
            String::from_utf8_lossy(&output.stderr)
        )
        .into()),
        Err(_) => Ok(false),
    }
}

/// Saves `xlsx` as `ods` with a password (scripts/encrypt-workbook.py, LibreOffice's Python
/// bridge); false where it cannot be run.
fn encrypt_to_ods(xlsx: &Path, ods: &Path) -> Result<bool> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/encrypt-workbook.py");
    match Command::new("/usr/bin/python3")
        .arg(script)
        .arg(xlsx)
        .arg(ods)
        .arg("council-2025")
        .output()
    {
        Ok(output) if output.status.success() && ods.exists() => Ok(true),
        Ok(output) => {
            println!(
                "note: scripts/encrypt-workbook.py failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            Ok(false)
        }
        Err(_) => Ok(false),
    }
}

fn write(out: &Path, fixture: &Fixture, ods: bool) -> Result<()> {
    let base = out.join(&fixture.path);
    if let Some(dir) = base.parent() {
        fs::create_dir_all(dir)?;
    }
    let with = |ext: &str| PathBuf::from(format!("{}.{ext}", base.display()));
    match &fixture.body {
        Body::Xlsx {
            sheets,
            ods: to_ods,
            strip_values,
        } => {
            let mut bytes = workbook_bytes(sheets)?;
            if *strip_values {
                bytes = strip_formula_values(&bytes)?;
            }
            let path = with("xlsx");
            fs::write(&path, bytes)?;
            println!("wrote {}", path.display());
            if *to_ods && ods {
                if convert_to_ods(&path)? {
                    println!("wrote {}", with("ods").display());
                } else {
                    println!(
                        "note: soffice not found; {} not written",
                        with("ods").display()
                    );
                }
            }
        }
        Body::Csv(text) => {
            fs::write(with("csv"), text)?;
            println!("wrote {}", with("csv").display());
        }
        Body::Raw(bytes) => {
            fs::write(with("xlsx"), bytes)?;
            println!("wrote {}", with("xlsx").display());
        }
        Body::TruncatedXlsx(sheets) => {
            let bytes = workbook_bytes(sheets)?;
            fs::write(with("xlsx"), &bytes[..bytes.len() / 2])?;
            println!("wrote {}", with("xlsx").display());
        }
        Body::OdsOnly(sheets) => {
            if !ods {
                return Ok(());
            }
            let path = with("xlsx");
            fs::write(&path, workbook_bytes(sheets)?)?;
            let converted = convert_to_ods(&path)?;
            fs::remove_file(&path)?;
            if converted {
                println!("wrote {}", with("ods").display());
            } else {
                println!(
                    "note: soffice not found; {} not written",
                    with("ods").display()
                );
            }
        }
        Body::EncryptedOds(sheets) => {
            if !ods {
                return Ok(());
            }
            let path = with("xlsx");
            fs::write(&path, workbook_bytes(sheets)?)?;
            let encrypted = encrypt_to_ods(&path, &with("ods"))?;
            fs::remove_file(&path)?;
            if encrypted {
                println!("wrote {}", with("ods").display());
            } else {
                println!(
                    "note: LibreOffice's Python bridge not found; {} not written",
                    with("ods").display()
                );
            }
        }
    }
    Ok(())
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let ods = !args.iter().any(|a| a == "--no-ods");
    let out = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map_or_else(|| PathBuf::from("tests"), PathBuf::from);
    for fixture in cases().iter().chain(bad_cases().iter()) {
        write(&out, fixture, ods)?;
    }
    Ok(())
}

/// Brackets for negatives, one decimal, a dash for zero: how most appendices print £000.
const BRACKETS_1DP: &str = "#,##0.0;(#,##0.0);-";
/// Whole thousands, brackets for negatives.
const BRACKETS_0DP: &str = "#,##0;(#,##0);-";
/// £m to two or three places.
const MILLIONS: &str = "#,##0.00#;-#,##0.00#";

/// The cases of tests/data/import: each a sheet and (written by hand beside it) the scenario
/// it must give.
fn cases() -> Vec<Fixture> {
    let case = |name: &str| format!("data/import/{name}/input");
    vec![
        // An MTFS appendix: title and subtitle, "Savings (£000)" merged over the years, a
        // directorate merged down its lines, savings negative in brackets, a blank year,
        // directorate totals as SUM formulas under an unlabelled total, a grand total adding
        // them, a Total column and a Notes column to the right, footnotes under the table.
        xlsx_and_ods(
            &case("appendix-brackets-levels"),
            vec![
                SheetSpec::new(
                    "Appendix C",
                    BRACKETS_1DP,
                    vec![
                        vec![T("Riverside Borough Council")],
                        vec![T("Savings Proposals 2025/26 to 2027/28")],
                        vec![T("Cumulative savings against the 2024/25 base budget")],
                        vec![E, E, E, E, E, T("Savings (£000)"), E, E],
                        vec![
                            T("Ref"),
                            T("Directorate"),
                            T("Description"),
                            T("Status"),
                            T("RAG"),
                            T("2025/26"),
                            T("2026/27"),
                            T("2027/28"),
                            T("Total"),
                            T("Notes"),
                        ],
                        vec![
                            T("ASC01"),
                            T("Adult Social Care"),
                            T("Review of day opportunities"),
                            T("Approved"),
                            T("G"),
                            N(-250.0),
                            N(-400.0),
                            N(-400.0),
                            f("SUM(F6:H6)", -1050.0),
                            T("Consultation closed January 2025"),
                        ],
                        vec![
                            T("ASC02"),
                            E,
                            T("Reablement: expand the in-house service"),
                            T("Approved"),
                            T("A"),
                            N(-120.5),
                            N(-310.0),
                            N(-310.0),
                            f("SUM(F7:H7)", -740.5),
                        ],
                        vec![
                            T("ASC03"),
                            E,
                            T("Shared Lives placements"),
                            T("Proposed"),
                            E,
                            E,
                            N(-75.0),
                            N(-150.0),
                            f("SUM(F8:H8)", -225.0),
                            T("New proposal, subject to consultation"),
                        ],
                        vec![
                            E,
                            E,
                            T("Adult Social Care total"),
                            E,
                            E,
                            f("SUM(F6:F8)", -370.5),
                            f("SUM(G6:G8)", -785.0),
                            f("SUM(H6:H8)", -860.0),
                            f("SUM(F9:H9)", -2015.5),
                        ],
                        vec![
                            T("CHS01"),
                            T("Children's Services"),
                            T("Home to school transport: route review"),
                            T("Agreed"),
                            T("R"),
                            N(-300.0),
                            N(-300.0),
                            N(-300.0),
                            f("SUM(F10:H10)", -900.0),
                            T("Subject to member decision"),
                        ],
                        vec![
                            T("CHS02"),
                            E,
                            T("Family hubs: co-locate services"),
                            T("In base"),
                            T("B"),
                            N(-90.0),
                            N(-90.0),
                            N(-90.0),
                            f("SUM(F11:H11)", -270.0),
                        ],
                        vec![
                            E,
                            E,
                            T("Children's Services total"),
                            E,
                            E,
                            f("SUM(F10:F11)", -390.0),
                            f("SUM(G10:G11)", -390.0),
                            f("SUM(H10:H11)", -390.0),
                            f("SUM(F12:H12)", -1170.0),
                        ],
                        vec![],
                        vec![
                            T("Total savings"),
                            E,
                            E,
                            E,
                            E,
                            f("F9+F12", -760.5),
                            f("G9+G12", -1175.0),
                            f("H9+H12", -1250.0),
                            f("I9+I12", -3185.5),
                        ],
                        vec![],
                        vec![T(
                            "Figures in brackets are savings: reductions in the net budget.",
                        )],
                        vec![T(
                            "RAG: G on track; A some risk; R significant risk; B delivered.",
                        )],
                    ],
                )
                .merges(&["F4:H4", "B6:B8", "B10:B11"])
                .widths(&[8.0, 20.0, 40.0, 10.0, 6.0, 10.0, 10.0, 10.0, 10.0, 36.0]),
            ],
        ),
        // New savings each year (increments, said by "new" in the subtitle), directorates
        // as section rows, `2025-26` headings with a £'000 unit row under them, references
        // as numbers, a dash for no new saving, a withdrawn line, "Sub-total" and "Net
        // savings" rows, and a "Total 2025-28" column that is not a year.
        xlsx_and_ods(
            &case("in-year-section-rows"),
            vec![
                SheetSpec::new(
                    "MTFS Savings",
                    BRACKETS_0DP,
                    vec![
                        vec![T("Northshire County Council")],
                        vec![T(
                            "Medium Term Financial Strategy 2025-2028: new savings in each year (£'000)",
                        )],
                        vec![],
                        vec![
                            T("No."),
                            T("Saving proposal"),
                            T("Status"),
                            T("2025-26"),
                            T("2026-27"),
                            T("2027-28"),
                            T("Total 2025-28"),
                        ],
                        vec![E, E, E, T("£'000"), T("£'000"), T("£'000"), T("£'000")],
                        vec![T("Adults and Health")],
                        vec![
                            N(1.0),
                            T("Care package reviews"),
                            T("Approved"),
                            N(-400.0),
                            N(-200.0),
                            E,
                            f("SUM(D7:F7)", -600.0),
                        ],
                        vec![
                            N(2.0),
                            T("Technology enabled care"),
                            T("Proposed"),
                            T("-"),
                            N(-150.0),
                            N(-100.0),
                            f("SUM(D8:F8)", -250.0),
                        ],
                        vec![
                            T("Sub-total"),
                            E,
                            E,
                            f("SUM(D7:D8)", -400.0),
                            f("SUM(E7:E8)", -350.0),
                            f("SUM(F7:F8)", -100.0),
                            f("SUM(G7:G8)", -850.0),
                        ],
                        vec![],
                        vec![T("Place and Environment")],
                        vec![
                            N(3.0),
                            T("Waste round optimisation"),
                            T("Approved"),
                            N(-180.0),
                            N(0.0),
                            N(0.0),
                            f("SUM(D12:F12)", -180.0),
                        ],
                        vec![
                            N(4.0),
                            T("Parking charges review"),
                            T("Proposed"),
                            N(-95.0),
                            N(-25.0),
                            E,
                            f("SUM(D13:F13)", -120.0),
                        ],
                        vec![
                            N(5.0),
                            T("Library self-service kiosks"),
                            T("Withdrawn"),
                            N(-60.0),
                            E,
                            E,
                            f("SUM(D14:F14)", -60.0),
                        ],
                        vec![
                            T("Sub-total"),
                            E,
                            E,
                            f("SUM(D12:D14)", -335.0),
                            f("SUM(E12:E14)", -25.0),
                            f("SUM(F12:F14)", 0.0),
                            f("SUM(G12:G14)", -360.0),
                        ],
                        vec![],
                        vec![
                            T("Net savings"),
                            E,
                            E,
                            f("D9+D15", -735.0),
                            f("E9+E15", -375.0),
                            f("F9+F15", -100.0),
                            f("G9+G15", -1210.0),
                        ],
                        vec![],
                        vec![T(
                            "A blank or a dash means no new saving in that year.",
                        )],
                    ],
                )
                .widths(&[6.0, 34.0, 12.0, 10.0, 10.0, 10.0, 12.0]),
            ],
        ),
        // A CSV exported from a council's plan: `25/26` headings, a £000 unit row, figures
        // typed with £ and thousands separators, an en dash and a hyphen for no figure,
        // sub-totals and a total labelled in the description column, a notes column, a
        // footnote. Levels; the base year given.
        csv(
            &case("short-years-csv"),
            "\
Savings Programme 2025-2028,,,,,,
,,,,,,
Ref,Service area,Proposal,25/26,26/27,27/28,Notes
,,,£000,£000,£000,
CS-1,Corporate Services,Reduce agency staff spend,\"£1,250\",\"£1,250\",\"£1,250\",Full year effect from April 2025
CS-2,Corporate Services,Digital by default: online forms,300,\"1,100.5\",\"1,100.5\",
CS-3,Corporate Services,Procurement savings,–,200,350,Depends on contract renewals
,,Sub-total Corporate Services,\"1,550\",\"2,550.5\",\"2,700.5\",
HW-1,Highways,Street lighting: part-night dimming,45,45,45,
HW-2,Highways,Winter maintenance review,-,-,30,From 2027/28
,,Sub-total Highways,45,45,75,
,,Total,\"1,595\",\"2,595.5\",\"2,775.5\",
,,,,,,
Note: figures are cumulative savings against the 2024/25 budget.,,,,,,
",
        ),
        // Figures stored as text (pasted from a finance system): brackets with commas, a
        // pound sign before a minus, a unicode minus, beside real numbers; `2025/2026`
        // headings; a hidden line (read like any other); a typed total.
        xlsx_and_ods(
            &case("text-numbers-hidden"),
            vec![
                SheetSpec::new(
                    "Savings",
                    BRACKETS_1DP,
                    vec![
                        vec![T("Eastdale District Council: savings plan")],
                        vec![T("All figures £000; savings shown as negative figures")],
                        vec![],
                        vec![
                            T("Reference"),
                            T("Directorate"),
                            T("Proposal"),
                            T("Status"),
                            T("2025/2026"),
                            T("2026/2027"),
                            T("2027/2028"),
                            T("Comments"),
                        ],
                        vec![
                            T("ENV/01"),
                            T("Environment"),
                            T("Garden waste charge"),
                            T("Approved"),
                            T("(1,250.0)"),
                            T("(1,400.0)"),
                            T("(1,400.0)"),
                        ],
                        vec![
                            T("ENV/02"),
                            T("Environment"),
                            T("Bulky waste fees"),
                            T("Approved"),
                            N(-35.0),
                            T("-35.5"),
                            T("\u{2212}40"),
                            T("Typed as text after a paste from the ledger"),
                        ],
                        vec![
                            T("ENV/03"),
                            T("Environment"),
                            T("Public toilets: community toilet scheme"),
                            T("Proposed"),
                            E,
                            T("(12)"),
                            T("(12)"),
                            T("Row hidden in the printed report"),
                        ],
                        vec![
                            T("RES/01"),
                            T("Resources"),
                            T("Council tax single person discount review"),
                            T("Agreed"),
                            T("-£200"),
                            T("-£200"),
                            T("-£200"),
                        ],
                        vec![
                            T("RES/02"),
                            T("Resources"),
                            T("Printing and postage"),
                            T("Approved"),
                            N(-18.5),
                            N(-18.5),
                            N(-18.5),
                        ],
                        vec![
                            T("Total"),
                            E,
                            E,
                            E,
                            N(-1503.5),
                            N(-1666.0),
                            N(-1670.5),
                        ],
                    ],
                )
                .hidden(&[7])
                .widths(&[10.0, 14.0, 40.0, 10.0, 11.0, 11.0, 11.0, 40.0]),
            ],
        ),
        // A budget sheet with a second table under the savings: "Table 2: pressures" with
        // year headings again (not imported; a warning says it was seen). `2025-2026`
        // headings, £m, "cumulative" in the table's title; SUM totals saved with the double
        // a spreadsheet computes.
        xlsx_and_ods(
            &case("second-table-pressures"),
            vec![
                SheetSpec::new(
                    "Budget 2025-28",
                    MILLIONS,
                    vec![
                        vec![T("Westbury City Council: revenue budget 2025/26 and MTFS")],
                        vec![],
                        vec![T("Table 1: savings (£m, cumulative)")],
                        vec![
                            T("Ref"),
                            T("Directorate"),
                            T("Description"),
                            T("2025-2026"),
                            T("2026-2027"),
                            T("2027-2028"),
                        ],
                        vec![
                            T("S1"),
                            T("Place"),
                            T("Car parking tariff review"),
                            N(-0.45),
                            N(-0.6),
                            N(-0.6),
                        ],
                        vec![
                            T("S2"),
                            T("Place"),
                            T("Waste collection round redesign"),
                            N(-0.3),
                            N(-0.75),
                            N(-0.9),
                        ],
                        vec![
                            T("S3"),
                            T("People"),
                            T("Early help restructure"),
                            N(-0.2),
                            N(-0.2),
                            N(-0.2),
                        ],
                        vec![
                            T("S4"),
                            T("Resources"),
                            T("Shared legal service"),
                            E,
                            N(-0.15),
                            N(-0.25),
                        ],
                        vec![
                            T("Total savings"),
                            E,
                            E,
                            sum("SUM(D5:D8)", &[-0.45, -0.3, -0.2]),
                            sum("SUM(E5:E8)", &[-0.6, -0.75, -0.2, -0.15]),
                            sum("SUM(F5:F8)", &[-0.6, -0.9, -0.2, -0.25]),
                        ],
                        vec![],
                        vec![T("Table 2: pressures (£m)")],
                        vec![
                            T("Ref"),
                            T("Directorate"),
                            T("Description"),
                            T("2025-2026"),
                            T("2026-2027"),
                            T("2027-2028"),
                        ],
                        vec![
                            T("P1"),
                            T("People"),
                            T("Adult social care demand"),
                            N(2.1),
                            N(4.3),
                            N(6.6),
                        ],
                        vec![
                            T("P2"),
                            T("Corporate"),
                            T("Pay award"),
                            N(1.5),
                            N(3.1),
                            N(4.7),
                        ],
                        vec![
                            T("Total pressures"),
                            E,
                            E,
                            sum("SUM(D13:D14)", &[2.1, 1.5]),
                            sum("SUM(E13:E14)", &[4.3, 3.1]),
                            sum("SUM(F13:F14)", &[6.6, 4.7]),
                        ],
                    ],
                )
                .widths(&[8.0, 14.0, 34.0, 11.0, 11.0, 11.0]),
            ],
        ),
        // A delivery tracker: an "As at" line, merged block titles "Cumulative plan (£m)",
        // "Delivered (£m)" and "Forecast (£m)" over their years, RAG words R, A, G, B and
        // Complete, statuses Agreed, In base, Delivered, Withdrawn; a Total row over every
        // block.
        xlsx_and_ods(
            &case("tracker-rag"),
            vec![
                SheetSpec::new(
                    "Q2 Monitoring",
                    MILLIONS,
                    vec![
                        vec![T("Savings Delivery Tracker 2025/26")],
                        vec![T("As at: 30 September 2025")],
                        vec![],
                        vec![
                            E,
                            E,
                            E,
                            E,
                            E,
                            T("Cumulative plan (£m)"),
                            E,
                            E,
                            T("Delivered (£m)"),
                            T("Forecast (£m)"),
                            E,
                            E,
                        ],
                        vec![
                            T("Ref"),
                            T("Saving"),
                            T("Directorate"),
                            T("Status"),
                            T("RAG"),
                            T("2025/26"),
                            T("2026/27"),
                            T("2027/28"),
                            T("2025/26"),
                            T("2025/26"),
                            T("2026/27"),
                            T("2027/28"),
                        ],
                        vec![
                            T("ENV01"),
                            T("Garden waste subscription"),
                            T("Environment"),
                            T("Agreed"),
                            T("G"),
                            N(0.45),
                            N(0.5),
                            N(0.5),
                        ],
                        vec![
                            T("ENV02"),
                            T("LED street lighting"),
                            T("Environment"),
                            T("Agreed"),
                            T("A"),
                            N(0.2),
                            N(0.35),
                            N(0.35),
                            E,
                            N(0.12),
                            N(0.3),
                        ],
                        vec![
                            T("ENV03"),
                            T("Fleet rationalisation"),
                            T("Environment"),
                            T("In base"),
                            T("Complete"),
                            N(0.1),
                            N(0.1),
                            N(0.1),
                        ],
                        vec![
                            T("RES01"),
                            T("Single person discount review"),
                            T("Resources"),
                            T("Approved"),
                            T("R"),
                            N(0.3),
                            N(0.3),
                            N(0.3),
                            E,
                            N(0.0),
                            N(0.1),
                            N(0.2),
                        ],
                        vec![
                            T("RES02"),
                            T("Office closure: Mill Street"),
                            T("Resources"),
                            T("Delivered"),
                            T("B"),
                            N(0.25),
                            N(0.25),
                            N(0.25),
                        ],
                        vec![
                            T("RES03"),
                            T("Income from lettings"),
                            T("Resources"),
                            T("Approved"),
                            T("G"),
                            N(0.05),
                            N(0.1),
                            N(0.1),
                            N(0.05),
                        ],
                        vec![
                            T("RES04"),
                            T("Insurance recharges"),
                            T("Resources"),
                            T("Withdrawn"),
                            T("R"),
                            N(0.15),
                            N(0.15),
                            N(0.15),
                            N(0.04),
                            E,
                            N(0.0),
                            N(0.0),
                        ],
                        vec![
                            T("Total"),
                            E,
                            E,
                            E,
                            E,
                            sum("SUM(F6:F12)", &[0.45, 0.2, 0.1, 0.3, 0.25, 0.05, 0.15]),
                            sum("SUM(G6:G12)", &[0.5, 0.35, 0.1, 0.3, 0.25, 0.1, 0.15]),
                            sum("SUM(H6:H12)", &[0.5, 0.35, 0.1, 0.3, 0.25, 0.1, 0.15]),
                            sum("SUM(I6:I12)", &[0.05, 0.04]),
                            sum("SUM(J6:J12)", &[0.12, 0.0]),
                            sum("SUM(K6:K12)", &[0.3, 0.1, 0.0]),
                            sum("SUM(L6:L12)", &[0.2, 0.0]),
                        ],
                    ],
                )
                .merges(&["F4:H4", "J4:L4"])
                .widths(&[8.0, 30.0, 14.0, 10.0, 9.0]),
            ],
        ),
        // A tracker whose "As at" month is a date cell beside the label (as spreadsheets
        // store a typed 31/12/2025), and block words in the year headings ("Plan 2025/26",
        // "Forecast 2025/26").
        xlsx_and_ods(
            &case("tracker-as-at-date"),
            vec![
                SheetSpec::new(
                    "Tracker",
                    MILLIONS,
                    vec![
                        vec![T("Savings tracker (£m)")],
                        vec![T("As at"), D(2025, 12, 31)],
                        vec![],
                        vec![
                            T("Ref"),
                            T("Saving"),
                            T("Status"),
                            T("RAG"),
                            T("Plan 2025/26"),
                            T("Plan 2026/27"),
                            T("Forecast 2025/26"),
                            T("Forecast 2026/27"),
                        ],
                        vec![
                            T("T1"),
                            T("Channel shift: web payments"),
                            T("Approved"),
                            T("A"),
                            N(0.1),
                            N(0.05),
                            N(0.06),
                            N(0.09),
                        ],
                        vec![
                            T("T2"),
                            T("Pool cars"),
                            T("Approved"),
                            T("G"),
                            N(0.03),
                            E,
                            E,
                            E,
                        ],
                    ],
                ),
            ],
        ),
        // Two sheets: a summary by directorate first (itself a table of years), the lines on
        // the second, chosen with --sheet; `FY 2025/26` headings; a lead officer column.
        xlsx_and_ods(
            &case("second-sheet"),
            vec![
                SheetSpec::new(
                    "Summary",
                    BRACKETS_0DP,
                    vec![
                        vec![T("Summary by directorate (£000)")],
                        vec![
                            T("Directorate"),
                            T("FY 2025/26"),
                            T("FY 2026/27"),
                            T("FY 2027/28"),
                        ],
                        vec![T("Adults"), N(-500.0), N(-300.0), N(-200.0)],
                        vec![T("Children"), N(-250.0), N(-100.0), N(0.0)],
                        vec![
                            T("Total"),
                            f("SUM(B3:B4)", -750.0),
                            f("SUM(C3:C4)", -400.0),
                            f("SUM(D3:D4)", -200.0),
                        ],
                    ],
                ),
                SheetSpec::new(
                    "Savings 2025-28",
                    BRACKETS_0DP,
                    vec![
                        vec![T("Detailed savings proposals")],
                        vec![T("Savings by directorate, £000")],
                        vec![],
                        vec![
                            T("Ref"),
                            T("Directorate"),
                            T("Proposal"),
                            T("FY 2025/26"),
                            T("FY 2026/27"),
                            T("FY 2027/28"),
                            T("Lead officer"),
                        ],
                        vec![
                            T("AD1"),
                            T("Adults"),
                            T("Home care commissioning"),
                            N(-300.0),
                            N(-100.0),
                            N(-100.0),
                            T("J. Patel"),
                        ],
                        vec![
                            T("AD2"),
                            T("Adults"),
                            T("Day centre consolidation"),
                            N(-200.0),
                            N(-200.0),
                            N(-100.0),
                            T("J. Patel"),
                        ],
                        vec![
                            T("CH1"),
                            T("Children"),
                            T("Residential placements: step-down"),
                            N(-250.0),
                            N(-100.0),
                            E,
                            T("S. Okafor"),
                        ],
                        vec![
                            T("Total"),
                            E,
                            E,
                            f("SUM(D5:D7)", -750.0),
                            f("SUM(E5:E7)", -400.0),
                            f("SUM(F5:F7)", -200.0),
                        ],
                    ],
                ),
            ],
        ),
        // The issue's tracker.csv: headings the import reads in part ("Position" and
        // "Confidence" it does not), so --columns names every role; a unit given by --unit.
        csv(
            &case("columns-override-csv"),
            "\
Quarter 2 savings tracker,,,,,,,
Code,Title of proposal,Dept,Position,Confidence,2025/26,2026/27,2027/28
AH-01,Review of care packages,Adults & Health,Agreed,Amber,350,700,700
AH-02,Extra care housing,Adults & Health,Proposed,,,150,300
CS-01,Fostering recruitment,Children's Services,Approved,Green,120,240,240
CS-02,SEND transport,Children's Services,Withdrawn,Red,80,80,80
,Total,,,,550,\"1,170\",\"1,320\"
",
        ),
        // Headings "Year 1", "Year 2", "Year 3" (the years said only in a note above):
        // --header-row and --columns give the years.
        xlsx_and_ods(
            &case("year-one-two-header-row"),
            vec![
                SheetSpec::new(
                    "Proposals",
                    BRACKETS_0DP,
                    vec![
                        vec![T("Budget proposals for consultation")],
                        vec![T("Year 1 is 2025/26; figures are £000")],
                        vec![],
                        vec![
                            T("Proposal ref"),
                            T("Proposal"),
                            T("Year 1"),
                            T("Year 2"),
                            T("Year 3"),
                        ],
                        vec![
                            T("BP-101"),
                            T("Reduce opening hours at recycling centres"),
                            N(-80.0),
                            N(-40.0),
                            E,
                        ],
                        vec![
                            T("BP-102"),
                            T("Introduce a charge for replacement bins"),
                            N(-25.0),
                            E,
                            E,
                        ],
                        vec![
                            T("BP-103"),
                            T("Merge customer contact centres"),
                            E,
                            N(-150.0),
                            N(-150.0),
                        ],
                        vec![
                            T("Total"),
                            E,
                            f("SUM(C5:C7)", -105.0),
                            f("SUM(D5:D7)", -190.0),
                            f("SUM(E5:E7)", -150.0),
                        ],
                    ],
                ),
            ],
        ),
        // Status and RAG words of the council's own, mapped with --status and --rag; a blank
        // status (proposed) and RAG (not rated); the unit in each year heading.
        xlsx_and_ods(
            &case("status-words-mapped"),
            vec![
                SheetSpec::new(
                    "Savings",
                    BRACKETS_0DP,
                    vec![
                        vec![T("Savings programme 2025/26 to 2027/28")],
                        vec![T("Cumulative position")],
                        vec![
                            T("Ref"),
                            T("Service"),
                            T("Saving"),
                            T("Status"),
                            T("RAG"),
                            T("2025/26 £000"),
                            T("2026/27 £000"),
                            T("2027/28 £000"),
                        ],
                        vec![
                            T("SV1"),
                            T("Housing"),
                            T("Temporary accommodation procurement"),
                            T("Still to be confirmed"),
                            T("At risk"),
                            N(-150.0),
                            N(-300.0),
                            N(-300.0),
                        ],
                        vec![
                            T("SV2"),
                            T("Housing"),
                            T("Homelessness prevention fund"),
                            T("Agreed"),
                            T("On track"),
                            N(-60.0),
                            N(-60.0),
                            N(-60.0),
                        ],
                        vec![
                            T("SV3"),
                            T("Leisure"),
                            T("Leisure trust management fee"),
                            T("Pending"),
                            E,
                            E,
                            N(-100.0),
                            N(-200.0),
                        ],
                        vec![
                            T("SV4"),
                            T("Leisure"),
                            T("Sports development restructure"),
                            E,
                            E,
                            N(-40.0),
                            N(-40.0),
                            N(-40.0),
                        ],
                        vec![
                            T("SV5"),
                            T("Leisure"),
                            T("Theatre subsidy"),
                            T("Undeliverable"),
                            T("R"),
                            N(-35.0),
                            N(-35.0),
                            N(-35.0),
                        ],
                        vec![
                            T("SV6"),
                            T("Housing"),
                            T("Lettings agency income"),
                            T("Delivered"),
                            T("Delivered"),
                            N(-20.0),
                            N(-20.0),
                            N(-20.0),
                        ],
                        vec![
                            T("Total"),
                            E,
                            E,
                            E,
                            E,
                            f("SUM(F4:F9)", -305.0),
                            f("SUM(G4:G9)", -555.0),
                            f("SUM(H4:H9)", -655.0),
                        ],
                    ],
                ),
            ],
        ),
        // Totals as formulas saved without their values (some tools write only the
        // formula): each is checked from its range. A line's figure that is a formula of
        // another kind (=-120*2) is read from its saved value.
        Fixture {
            path: case("formulas-no-values"),
            body: Body::Xlsx {
                sheets: vec![SheetSpec::new(
                    "Savings",
                    BRACKETS_0DP,
                    vec![
                        vec![T("Savings plan (cumulative, £000)")],
                        vec![
                            T("Ref"),
                            T("Directorate"),
                            T("Description"),
                            T("2025/26"),
                            T("2026/27"),
                            T("2027/28"),
                        ],
                        vec![
                            T("P01"),
                            T("Place"),
                            T("Street cleansing schedules"),
                            N(-80.0),
                            N(-120.0),
                            N(-120.0),
                        ],
                        vec![
                            T("P02"),
                            T("Place"),
                            T("Pest control charges"),
                            f("-120*2", -240.0),
                            N(-240.0),
                            N(-240.0),
                        ],
                        vec![
                            T("Sub-total Place"),
                            E,
                            E,
                            bare("SUM(D3:D4)"),
                            bare("SUM(E3:E4)"),
                            bare("SUM(F3:F4)"),
                        ],
                        vec![
                            T("C01"),
                            T("Corporate"),
                            T("Members' allowances freeze"),
                            N(-15.0),
                            N(-30.0),
                            N(-45.0),
                        ],
                        vec![
                            T("Sub-total Corporate"),
                            E,
                            E,
                            bare("SUM(D6)"),
                            bare("SUM(E6)"),
                            bare("SUM(F6)"),
                        ],
                        vec![
                            T("Total"),
                            E,
                            E,
                            bare("D5+D7"),
                            bare("E5+E7"),
                            bare("F5+F7"),
                        ],
                    ],
                )],
                ods: false,
                strip_values: true,
            },
        },
        // Totals that do not add up (warnings, with both figures and the cells): a SUM that
        // leaves out a figure typed as text, and a sub-total typed 10 out.
        xlsx_and_ods(
            &case("subtotal-mismatch-warnings"),
            vec![
                SheetSpec::new(
                    "Savings Plan",
                    BRACKETS_0DP,
                    vec![
                        vec![T("Hillford Council savings plan (£000)")],
                        vec![],
                        vec![
                            T("Ref"),
                            T("Directorate"),
                            T("Description"),
                            T("Status"),
                            T("2025/26"),
                            T("2026/27"),
                        ],
                        vec![
                            T("H1"),
                            T("Housing"),
                            T("Void rent loss reduction"),
                            T("Approved"),
                            N(-50.0),
                            N(-25.0),
                        ],
                        vec![
                            T("H2"),
                            T("Housing"),
                            T("Garage site disposals"),
                            T("Approved"),
                            T("(30)"),
                            E,
                        ],
                        vec![
                            T("Sub-total Housing"),
                            E,
                            E,
                            E,
                            f("SUM(E4:E5)", -50.0),
                            f("SUM(F4:F5)", -25.0),
                        ],
                        vec![
                            T("P1"),
                            T("Planning"),
                            T("Pre-application advice fees"),
                            T("Proposed"),
                            N(-15.0),
                            N(-15.0),
                        ],
                        vec![
                            T("P2"),
                            T("Planning"),
                            T("Local plan team restructure"),
                            T("Proposed"),
                            N(-40.0),
                            E,
                        ],
                        vec![
                            T("Sub-total Planning"),
                            E,
                            E,
                            E,
                            N(-65.0),
                            N(-15.0),
                        ],
                        vec![
                            T("Total"),
                            E,
                            E,
                            E,
                            f("E6+E9", -115.0),
                            f("F6+F9", -40.0),
                        ],
                    ],
                ),
            ],
        ),
        // Year headings that are numbers (2025, 2026, 2027: the year starting then), a
        // "Base budget 2024/25" column of figures left of them (not a year: a warning), two
        // area-like columns (Directorate and Service; the first is the area), a unit row
        // and a total column.
        xlsx_and_ods(
            &case("year-numbers"),
            vec![
                SheetSpec::new(
                    "Sheet1",
                    BRACKETS_0DP,
                    vec![
                        vec![T("Savings 2025 to 2028")],
                        vec![
                            T("Directorate"),
                            T("Service"),
                            T("Proposal"),
                            T("Base budget 2024/25"),
                            N(2025.0),
                            N(2026.0),
                            N(2027.0),
                            T("Total"),
                        ],
                        vec![
                            E,
                            E,
                            E,
                            T("£000"),
                            T("£000"),
                            T("£000"),
                            T("£000"),
                            T("£000"),
                        ],
                        vec![
                            T("Adults"),
                            T("Home care"),
                            T("Electronic call monitoring"),
                            N(12500.0),
                            N(-150.0),
                            N(-150.0),
                            N(-150.0),
                            f("SUM(E4:G4)", -450.0),
                        ],
                        vec![
                            T("Adults"),
                            T("Residential care"),
                            T("Block contract renegotiation"),
                            N(30200.0),
                            N(-400.0),
                            N(-500.0),
                            N(-500.0),
                            f("SUM(E5:G5)", -1400.0),
                        ],
                        vec![
                            T("Place"),
                            T("Highways"),
                            T("Highways maintenance contract"),
                            N(8400.0),
                            N(-220.0),
                            N(-220.0),
                            N(-220.0),
                            f("SUM(E6:G6)", -660.0),
                        ],
                        vec![
                            T("Place"),
                            T("Parks"),
                            T("Parks grounds maintenance"),
                            N(2100.0),
                            E,
                            N(-35.0),
                            N(-70.0),
                            f("SUM(E7:G7)", -105.0),
                        ],
                        vec![
                            T("Total"),
                            E,
                            E,
                            f("SUM(D4:D7)", 53200.0),
                            f("SUM(E4:E7)", -770.0),
                            f("SUM(F4:F7)", -905.0),
                            f("SUM(G4:G7)", -940.0),
                            f("SUM(H4:H7)", -2615.0),
                        ],
                    ],
                ),
            ],
        ),
        // Year headings that are dates (31 March of each year, shown as Mar-26: the
        // financial year each falls in), a finance system's export with no reference column
        // ("Scheme", "Area", "Stage"), £m given by --unit.
        xlsx_and_ods(
            &case("year-dates"),
            vec![
                SheetSpec::new(
                    "Export",
                    MILLIONS,
                    vec![
                        vec![T("Report: savings schemes by year end")],
                        vec![
                            T("Scheme"),
                            T("Area"),
                            T("Stage"),
                            D(2026, 3, 31),
                            D(2027, 3, 31),
                            D(2028, 3, 31),
                        ],
                        vec![
                            T("Digital mailroom"),
                            T("Resources"),
                            T("Agreed"),
                            N(-0.08),
                            N(-0.12),
                            N(-0.12),
                        ],
                        vec![
                            T("Energy efficiency: corporate estate"),
                            T("Resources"),
                            T("Proposed"),
                            E,
                            N(-0.05),
                            N(-0.1),
                        ],
                        vec![
                            T("Catering contract retender"),
                            T("Schools"),
                            T("In-base"),
                            N(-0.3),
                            N(-0.3),
                            N(-0.3),
                        ],
                    ],
                ),
            ],
        ),
        // A header over two rows, as many appendices print it: "Ref", "Proposal",
        // "Directorate" and "RAG" merged down both rows, "Savings (£000)" merged across the
        // years, the years in the second row.
        xlsx_and_ods(
            &case("two-row-header-merged"),
            vec![
                SheetSpec::new(
                    "Appendix B",
                    BRACKETS_0DP,
                    vec![
                        vec![T("Lowmoor Borough Council: savings 2025/26 to 2027/28")],
                        vec![],
                        vec![
                            T("Ref"),
                            T("Proposal"),
                            T("Directorate"),
                            T("Savings (£000)"),
                            E,
                            E,
                            T("RAG"),
                        ],
                        vec![E, E, E, T("2025/26"), T("2026/27"), T("2027/28"), E],
                        vec![
                            T("LB-01"),
                            T("Channel shift: online payments"),
                            T("Resources"),
                            N(-60.0),
                            N(-90.0),
                            N(-90.0),
                            T("G"),
                        ],
                        vec![
                            T("LB-02"),
                            T("Review of discretionary rate relief"),
                            T("Resources"),
                            N(-25.0),
                            N(-25.0),
                            N(-25.0),
                            T("A"),
                        ],
                        vec![
                            T("LB-03"),
                            T("Domiciliary care framework"),
                            T("People"),
                            E,
                            N(-200.0),
                            N(-350.0),
                            T("R"),
                        ],
                        vec![
                            T("Total"),
                            E,
                            E,
                            f("SUM(D5:D7)", -85.0),
                            f("SUM(E5:E7)", -315.0),
                            f("SUM(F5:F7)", -465.0),
                        ],
                    ],
                )
                .merges(&["A3:A4", "B3:B4", "C3:C4", "D3:F3", "G3:G4"]),
            ],
        ),
        // Sub-totals and the grand total with Excel's SUBTOTAL(9, ...), whose grand total
        // spans the sub-total rows: SUBTOTAL leaves out the SUBTOTALs in its range, so the
        // sheet's -230 counts each line once.
        xlsx_and_ods(
            &case("subtotal-function"),
            vec![
                SheetSpec::new(
                    "Savings",
                    BRACKETS_0DP,
                    vec![
                        vec![T("Savings plan (£000, cumulative)")],
                        vec![T("Ref"), T("Description"), T("2025/26"), T("2026/27")],
                        vec![T("A1"), T("Care package reviews"), N(-100.0), N(-150.0)],
                        vec![T("A2"), T("Day care modernisation"), N(-50.0), N(-50.0)],
                        vec![
                            T("Sub-total Adults"),
                            E,
                            f("SUBTOTAL(9,C3:C4)", -150.0),
                            f("SUBTOTAL(9,D3:D4)", -200.0),
                        ],
                        vec![T("C1"), T("Home to school transport"), N(-80.0), N(-80.0)],
                        vec![
                            T("Sub-total Children"),
                            E,
                            f("SUBTOTAL(9,C6)", -80.0),
                            f("SUBTOTAL(9,D6)", -80.0),
                        ],
                        vec![
                            T("Total"),
                            E,
                            f("SUBTOTAL(9,C3:C7)", -230.0),
                            f("SUBTOTAL(9,D3:D7)", -280.0),
                        ],
                    ],
                ),
            ],
        ),
        // The same plan twice, side by side: "Incremental" and "Cumulative" blocks of the
        // same years. --columns picks the cumulative block (and --amounts says so).
        xlsx_and_ods(&case("incremental-and-cumulative-blocks"), two_blocks()),
        // Numbered footnotes under the total ("1", "Subject to consultation ..."), each
        // marker in the reference column: notes, not savings.
        csv(
            &case("footnotes-numbered"),
            "\
Savings plan 2025/26 to 2026/27 (£000),,,
Ref,Saving,2025/26,2026/27
F1,Fees and charges review (1),-40,-40
F2,Vacancy management (2),-75,-75
Total,,-115,-115
,,,
Notes,,,
1,Subject to consultation with service users.,,
2,Includes the deletion of three vacant posts.,,
",
        ),
        // In-year changes printed as negatives, with a one-off saving that reverses the next
        // year (a positive figure): the signs are mixed, so --savings-sign negative says
        // which way savings go. A unicode minus; "in-year" says increments.
        csv(
            &case("mixed-sign-reversal"),
            "\
Savings profile (£000): in-year changes,,,,,
Ref,Saving,Status,2025/26,2026/27,2027/28
R-01,Vacancy freeze (one-off),Approved,(500),500,
R-02,Commercial rent review,Approved,(120),\u{2212}30,
R-03,Shared service with Northshire,Proposed,,(200),(100)
Total,,,(620),270,(100)
",
        ),
        // £m to three places: sub-totals whose saved values are the doubles a spreadsheet
        // computes (0.1 + 0.2 = 0.30000000000000004), accepted as the sheet's own
        // arithmetic; a sheet name with a pound sign and a space (quoted in every cell
        // address); sub-total labels in the area column.
        xlsx_and_ods(
            &case("millions-decimals"),
            vec![
                SheetSpec::new(
                    "Savings £m",
                    MILLIONS,
                    vec![
                        vec![T("Cabinet report: Appendix 2")],
                        vec![T("Cumulative savings (£m)")],
                        vec![
                            T("Ref"),
                            T("Portfolio"),
                            T("Saving"),
                            T("Status"),
                            T("2025/26"),
                            T("2026/27"),
                            T("2027/28"),
                        ],
                        vec![
                            T("C-1"),
                            T("Communities"),
                            T("Community centre asset transfer"),
                            T("Approved"),
                            N(0.1),
                            N(0.1),
                            N(0.1),
                        ],
                        vec![
                            T("C-2"),
                            T("Communities"),
                            T("Grants review"),
                            T("Approved"),
                            N(0.2),
                            N(0.2),
                            N(0.2),
                        ],
                        vec![
                            E,
                            T("Subtotal"),
                            E,
                            E,
                            sum("SUM(E4:E5)", &[0.1, 0.2]),
                            sum("SUM(F4:F5)", &[0.1, 0.2]),
                            sum("SUM(G4:G5)", &[0.1, 0.2]),
                        ],
                        vec![
                            T("F-1"),
                            T("Finance"),
                            T("Treasury management"),
                            T("Approved"),
                            N(1.234),
                            N(2.468),
                            N(2.468),
                        ],
                        vec![
                            T("F-2"),
                            T("Finance"),
                            T("Council tax reduction scheme"),
                            T("Proposed"),
                            N(0.7),
                            N(1.05),
                            N(1.05),
                        ],
                        vec![
                            E,
                            T("Subtotal"),
                            E,
                            E,
                            sum("SUM(E7:E8)", &[1.234, 0.7]),
                            sum("SUM(F7:F8)", &[2.468, 1.05]),
                            sum("SUM(G7:G8)", &[2.468, 1.05]),
                        ],
                        vec![
                            E,
                            T("Total"),
                            E,
                            E,
                            sum("E6+E9", &[0.1 + 0.2, 1.234 + 0.7]),
                            sum("F6+F9", &[0.1 + 0.2, 2.468 + 1.05]),
                            sum("G6+G9", &[0.1 + 0.2, 2.468 + 1.05]),
                        ],
                    ],
                ),
            ],
        ),
    ]
}

/// A plan printed twice side by side: new savings each year, then cumulative.
fn two_blocks() -> Vec<SheetSpec> {
    vec![
        SheetSpec::new(
            "Savings",
            BRACKETS_0DP,
            vec![
                vec![T("Savings proposals (£000)")],
                vec![E, E, T("Incremental"), E, T("Cumulative"), E],
                vec![
                    T("Ref"),
                    T("Description"),
                    T("2025/26"),
                    T("2026/27"),
                    T("2025/26"),
                    T("2026/27"),
                ],
                vec![
                    T("K1"),
                    T("Library opening hours"),
                    N(-30.0),
                    N(-10.0),
                    N(-30.0),
                    N(-40.0),
                ],
                vec![
                    T("K2"),
                    T("Museum admission charges"),
                    N(-15.0),
                    E,
                    N(-15.0),
                    N(-15.0),
                ],
                vec![
                    T("Total"),
                    E,
                    f("SUM(C4:C5)", -45.0),
                    f("SUM(D4:D5)", -10.0),
                    f("SUM(E4:E5)", -45.0),
                    f("SUM(F4:F5)", -55.0),
                ],
            ],
        )
        .merges(&["C2:D2", "E2:F2"]),
    ]
}

/// A small, good savings sheet that each bad case breaks in one way.
fn plan_sheet(name: &'static str, rows: Vec<Vec<C>>) -> Vec<SheetSpec> {
    vec![SheetSpec::new(name, BRACKETS_0DP, rows)]
}

fn header() -> Vec<C> {
    vec![
        T("Ref"),
        T("Directorate"),
        T("Description"),
        T("Status"),
        T("RAG"),
        T("2025/26"),
        T("2026/27"),
        T("2027/28"),
    ]
}

/// A line of the small sheet.
fn line(
    reference: &'static str,
    status: &'static str,
    rag: &'static str,
    figures: [C; 3],
) -> Vec<C> {
    let [a, b, c] = figures;
    vec![
        T(reference),
        T("Resources"),
        T("A saving"),
        T(status),
        if rag.is_empty() { E } else { T(rag) },
        a,
        b,
        c,
    ]
}

/// The bad spreadsheets of tests/bad-import: each refused with one message (exit 2), or
/// with --check-totals a failed check (exit 1).
fn bad_cases() -> Vec<Fixture> {
    let bad = |name: &str| format!("bad-import/{name}");
    let title = || vec![T("Savings plan, cumulative (£000)")];
    vec![
        // No row holds a year heading: "Year 1", "Year 2".
        xlsx(
            &bad("no-year-header"),
            plan_sheet(
                "Savings",
                vec![
                    title(),
                    vec![T("Ref"), T("Description"), T("Year 1"), T("Year 2")],
                    vec![T("R1"), T("A saving"), N(-10.0), N(-20.0)],
                ],
            ),
        ),
        // A figure cell holding words.
        xlsx(
            &bad("text-figure"),
            plan_sheet(
                "Savings",
                vec![
                    title(),
                    header(),
                    line("R1", "Approved", "G", [N(-10.0), N(-20.0), N(-20.0)]),
                    line("R2", "Proposed", "", [T("TBC"), N(-5.0), N(-5.0)]),
                ],
            ),
        ),
        // A percentage where an amount belongs.
        csv(
            &bad("percentage"),
            "\
Savings plan (£000),,,,
Ref,Description,Status,2025/26,2026/27
R1,Fees and charges uplift,Approved,5%,5%
R2,Vacancy factor,Approved,-100,-100
",
        ),
        // A sub-total typed 10 out: a warning; with --check-totals exit 1.
        xlsx(
            &bad("subtotal-mismatch"),
            plan_sheet(
                "Savings",
                vec![
                    title(),
                    header(),
                    line("R1", "Approved", "G", [N(-10.0), N(-20.0), N(-20.0)]),
                    line("R2", "Approved", "A", [N(-5.0), N(-5.0), N(-5.0)]),
                    vec![
                        T("Sub-total"),
                        E,
                        E,
                        E,
                        E,
                        N(-15.0),
                        N(-35.0),
                        N(-25.0),
                    ],
                ],
            ),
        ),
        // Two blocks of the same years, neither titled delivered or forecast: which is the
        // plan?
        xlsx(&bad("two-plan-blocks"), two_blocks()),
        // A RAG word the import does not know.
        xlsx(
            &bad("unknown-rag"),
            plan_sheet(
                "Savings",
                vec![
                    title(),
                    header(),
                    line("R1", "Approved", "G", [N(-10.0), N(-20.0), N(-20.0)]),
                    line("R2", "Approved", "Purple", [N(-5.0), N(-5.0), N(-5.0)]),
                ],
            ),
        ),
        // A status word the import does not know, in an ods workbook.
        Fixture {
            path: bad("unknown-status"),
            body: Body::OdsOnly(plan_sheet(
                "Savings",
                vec![
                    title(),
                    header(),
                    line("R1", "Approved", "G", [N(-10.0), N(-20.0), N(-20.0)]),
                    line("R2", "Still to be confirmed", "A", [N(-5.0), N(-5.0), N(-5.0)]),
                ],
            )),
        },
        // Savings below 0 and above 0 in the same sheet, without --savings-sign.
        csv(
            &bad("mixed-signs"),
            "\
Savings plan (£000): new savings each year,,,,
Ref,Description,2025/26,2026/27,2027/28
R1,Vacancy freeze (one-off),-200,200,
R2,Fees review,-50,,
R3,Contract retender,-30,-20,
",
        ),
        // Nothing says whether the figures are levels or increments, and no --amounts.
        xlsx(
            &bad("amounts-not-said"),
            plan_sheet(
                "Savings",
                vec![
                    vec![T("Savings plan (£000)")],
                    header(),
                    line("R1", "Approved", "G", [N(-10.0), N(-20.0), N(-20.0)]),
                ],
            ),
        ),
        // A workbook cut short half way (a failed download, a full disk).
        Fixture {
            path: bad("corrupt"),
            body: Body::TruncatedXlsx(plan_sheet(
                "Savings",
                vec![
                    title(),
                    header(),
                    line("R1", "Approved", "G", [N(-10.0), N(-20.0), N(-20.0)]),
                ],
            )),
        },
        // Not a spreadsheet: a web page saved with an .xlsx name, as some finance systems'
        // "export to Excel" does.
        Fixture {
            path: bad("not-a-spreadsheet"),
            body: Body::Raw(
                b"<html><body><table>\n<tr><td>Ref</td><td>2025/26</td></tr>\n<tr><td>R1</td><td>-10</td></tr>\n</table></body></html>\n"
                    .to_vec(),
            ),
        },
        // A workbook whose one sheet is empty.
        xlsx(&bad("empty-sheet"), plan_sheet("Sheet1", vec![])),
        // A password-protected ods, saved so by LibreOffice: still a zip, its content.xml
        // encrypted.
        Fixture {
            path: bad("encrypted-ods"),
            body: Body::EncryptedOds(plan_sheet(
                "Savings",
                vec![
                    title(),
                    header(),
                    line("R1", "Approved", "G", [N(-10.0), N(-20.0), N(-20.0)]),
                ],
            )),
        },
        // Two units in one table: £000 over the plan, £m in the title.
        csv(
            &bad("units-disagree"),
            "\
Savings plan (£m),,,
Ref,Description,2025/26 £000,2026/27 £000
R1,Fees review,-100,-100
",
        ),
        // A year missing between two headings (2025/26, then 2027/28).
        xlsx(
            &bad("years-not-consecutive"),
            plan_sheet(
                "Savings",
                vec![
                    title(),
                    vec![T("Ref"), T("Description"), T("2025/26"), T("2027/28"), T("2028/29")],
                    vec![T("R1"), T("A saving"), N(-10.0), N(-20.0), N(-20.0)],
                ],
            ),
        ),
        // A line's figure is a formula saved without its value: the import reads values.
        Fixture {
            path: bad("line-formula-no-value"),
            body: Body::Xlsx {
                sheets: plan_sheet(
                    "Savings",
                    vec![
                        title(),
                        header(),
                        line("R1", "Approved", "G", [N(-10.0), bare("F3*2"), bare("G3")]),
                    ],
                ),
                ods: false,
                strip_values: true,
            },
        },
        // A password-protected workbook: Excel saves it as an OLE compound file (the
        // magic D0 CF 11 E0 A1 B1 1A E1) holding EncryptionInfo and EncryptedPackage
        // streams, not a zip. The header sector of such a file, then the directory entries'
        // names a reader would find.
        Fixture {
            path: bad("encrypted"),
            body: Body::Raw(ole_encrypted()),
        },
    ]
}

/// A small OLE compound file shaped like an encrypted xlsx: the CFB header (version 3,
/// 512-byte sectors) and a directory sector naming the streams Excel writes. The streams
/// hold no real encryption; the import must refuse the file from its first bytes.
fn ole_encrypted() -> Vec<u8> {
    let mut bytes = Vec::with_capacity(1536);
    bytes.extend([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]); // magic
    bytes.extend([0u8; 16]); // CLSID
    bytes.extend(0x003E_u16.to_le_bytes()); // minor version
    bytes.extend(0x0003_u16.to_le_bytes()); // major version 3
    bytes.extend(0xFFFE_u16.to_le_bytes()); // little-endian
    bytes.extend(9_u16.to_le_bytes()); // sector shift: 512 bytes
    bytes.extend(6_u16.to_le_bytes()); // mini sector shift: 64 bytes
    bytes.extend([0u8; 6]); // reserved
    bytes.extend(0_u32.to_le_bytes()); // directory sectors (0 for version 3)
    bytes.extend(1_u32.to_le_bytes()); // FAT sectors
    bytes.extend(1_u32.to_le_bytes()); // first directory sector
    bytes.extend(0_u32.to_le_bytes()); // transaction signature
    bytes.extend(4096_u32.to_le_bytes()); // mini stream cutoff
    bytes.extend(0xFFFF_FFFE_u32.to_le_bytes()); // first mini FAT sector: none
    bytes.extend(0_u32.to_le_bytes()); // mini FAT sectors
    bytes.extend(0xFFFF_FFFE_u32.to_le_bytes()); // first DIFAT sector: none
    bytes.extend(0_u32.to_le_bytes()); // DIFAT sectors
    bytes.extend(0_u32.to_le_bytes()); // DIFAT[0]: the FAT is sector 0
    while bytes.len() < 512 {
        bytes.extend(0xFFFF_FFFF_u32.to_le_bytes());
    }
    // Sector 0: the FAT (sector 0 is FAT, sector 1 the directory's end of chain).
    let mut fat = Vec::new();
    fat.extend(0xFFFF_FFFD_u32.to_le_bytes());
    fat.extend(0xFFFF_FFFE_u32.to_le_bytes());
    while fat.len() < 512 {
        fat.extend(0xFFFF_FFFF_u32.to_le_bytes());
    }
    bytes.extend(fat);
    // Sector 1: the directory, four 128-byte entries.
    for (name, kind) in [
        ("Root Entry", 5u8),
        ("EncryptionInfo", 2),
        ("EncryptedPackage", 2),
        ("\u{6}DataSpaces", 1),
    ] {
        let mut entry = [0u8; 128];
        let utf16: Vec<u8> = name
            .encode_utf16()
            .chain(std::iter::once(0))
            .flat_map(u16::to_le_bytes)
            .collect();
        entry[..utf16.len()].copy_from_slice(&utf16);
        entry[64..66].copy_from_slice(&(utf16.len() as u16).to_le_bytes());
        entry[66] = kind;
        entry[67] = 1; // black
        entry[68..80].copy_from_slice(&[0xFF; 12]); // no siblings, no child
        entry[116..120].copy_from_slice(&0xFFFF_FFFE_u32.to_le_bytes()); // no start sector
        bytes.extend(entry);
    }
    bytes
}
