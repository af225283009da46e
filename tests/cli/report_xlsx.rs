//! Issue 6: `savings report --format xlsx` (report_xlsx): the same bytes from the same input;
//! LibreOffice, made to recalculate every formula on load, computes from the workbook the
//! figures `savings run --format csv` prints, and moves them as the same override would when an
//! input is changed; names that look like formulas stay text.
//!
//! The LibreOffice checks need `soffice` (Debian's `libreoffice-calc`) and are skipped, with
//! the reason printed, where it is not installed; the workbook edits need `python3` (its
//! `zipfile`), likewise.

use std::collections::BTreeMap;
use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::support::{TestResult, csv_values, run, stderr, stdout};

/// Sheet name -> rows of cells.
pub(super) type Sheets = BTreeMap<String, Vec<Vec<String>>>;
/// (service or `total`, year, measure, case) -> value.
type Figures = BTreeMap<(String, String, String, String), f64>;

/// `savings report ARGS --format xlsx --output PATH`, which must succeed.
pub(super) fn report(args: &[&str], path: &Path) -> TestResult {
    let path_text = path.display().to_string();
    let mut all = vec!["report"];
    all.extend(args);
    all.extend(["--format", "xlsx", "--output", &path_text]);
    let output = run(&all);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{all:?}: {}",
        stderr(&output)
    );
    assert!(output.stdout.is_empty());
    Ok(())
}

/// `savings run ARGS --format FORMAT`'s standard output.
pub(super) fn figures(args: &[&str], format: &str) -> String {
    let mut all = vec!["run"];
    all.extend(args);
    all.extend(["--format", format]);
    let output = run(&all);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{all:?}: {}",
        stderr(&output)
    );
    stdout(&output)
}

#[test]
fn the_same_input_gives_the_same_bytes() -> TestResult {
    let folder = tempfile::tempdir()?;
    for (name, args) in [
        ("kent", vec![]),
        ("worked", vec!["scenarios/worked-example.toml"]),
        (
            "simulated",
            vec![
                "scenarios/worked-example.toml",
                "--simulate",
                "--trials",
                "500",
            ],
        ),
    ] {
        let first = folder.path().join(format!("{name}-1.xlsx"));
        let second = folder.path().join(format!("{name}-2.xlsx"));
        report(&args, &first)?;
        report(&args, &second)?;
        let bytes = fs::read(&first)?;
        assert!(bytes.starts_with(b"PK\x03\x04"), "{name} is not a zip");
        assert!(bytes == fs::read(&second)?, "{name}: two runs differ");
    }
    Ok(())
}

#[test]
fn libreoffice_computes_the_figures_of_savings_run_from_the_formulas() -> TestResult {
    let Some(work) = libreoffice()? else {
        return Ok(());
    };
    let dir = work.path();
    let kent = dir.join("kent.xlsx");
    let worked = dir.join("worked.xlsx");
    let stale = dir.join("stale.xlsx");
    let nothing = dir.join("nothing.xlsx");
    // Every service deferred or doing nothing: no saving and no cost, no payback needed.
    let nothing_args = [
        "tests/data/thousands.toml",
        "--option",
        "waste=nothing",
        "--defer",
        "leisure",
    ];
    report(&[], &kent)?;
    report(&["scenarios/worked-example.toml"], &worked)?;
    report(&nothing_args, &nothing)?;
    // The workbook stores no result for any formula, so every figure LibreOffice prints is one
    // it computed. A copy with a wrong result stored in every formula proves that the profile
    // below makes it recalculate rather than show what is stored.
    let (formulas, cached) = store_wrong_results(&kent, &stale)?;
    assert!(formulas > 300, "{formulas} formulas");
    assert_eq!(
        cached, 0,
        "the workbook stores results for {cached} formulas"
    );

    let books = recalculate(dir, &[&kent, &worked, &stale, &nothing])?;
    let kent_csv = figures(&[], "csv");
    let kent_json = figures(&[], "json");
    let worked_csv = figures(&["scenarios/worked-example.toml"], "csv");
    let worked_json = figures(&["scenarios/worked-example.toml"], "json");
    let nothing_csv = figures(&nothing_args, "csv");
    let nothing_json = figures(&nothing_args, "json");
    assert!(nothing_json.contains("\"payback_needed\": false"));
    for (name, sheets, csv, json) in [
        ("kent", &books[0], &kent_csv, &kent_json),
        ("worked example", &books[1], &worked_csv, &worked_json),
        (
            "kent with wrong stored results",
            &books[2],
            &kent_csv,
            &kent_json,
        ),
        (
            "nothing to pay back",
            &books[3],
            &nothing_csv,
            &nothing_json,
        ),
    ] {
        assert_same_figures(name, sheets, csv)?;
        assert_same_summary(name, sheets, json)?;
    }
    // docs/model.md section 4's worked example, as the spreadsheet computes it.
    let projection = projection_figures(sheet(&books[1], "Projection")?)?;
    for (year, d, n, r) in [
        ("2015/16", 2.5, 1.5, 1.5),
        ("2016/17", 10.0, 8.0, -1.0),
        ("2024/25", 10.0, 8.0, -1.0),
    ] {
        let at = |service: &str, measure: &str| {
            projection[&(
                service.into(),
                year.into(),
                measure.into(),
                "central".into(),
            )]
        };
        assert_eq!(at("example", "in_year_saving"), d, "{year}");
        assert_eq!(at("total", "contribution"), n, "{year}");
        assert_eq!(at("total", "remaining_gap"), r, "{year}");
    }
    Ok(())
}

/// A scenario of every plan form the spreadsheet holds (docs/model.md section 9): statuses on
/// lines built from S and on profiles, optimism bias on both, planned savings and the gap
/// written in levels, pressures added to the unidentified gap, a profile not taken forward.
const EVERY_PLAN_FORM: &str = r#"[scenario]
name = "every plan form in a spreadsheet"
base_year = "2024/25"
horizon = 4
overlap = 0.6

[gap]
unidentified = { levels = { "2025/26" = 3, "2026/27" = 5, "2028/29" = 4.5 } }
required = { levels = { "2025/26" = 4, "2026/27" = 7 } }

[[pressure]]
id = "pay"
amount = { "2025/26" = 0.5, "2027/28" = -0.2 }

[[service]]
id = "ramp-approved"
status = "approved"
saving = { low = 0.8, central = 1.2, high = 1.5 }
start = "2025-10"
ramp = [0.5, 1.0]
optimism_bias = { saving = 0.1, delay_months = 3 }

[[service]]
id = "ramp-in-base"
status = "in-base"
saving = 0.6
start = "2025/26"
ramp = "linear 3"

[[service]]
id = "ramp-withdrawn"
status = "withdrawn"
saving = 0.4
start = "2026-01"
one_off_cost = { "2025/26" = 0.1 }

[[service]]
id = "profile-approved-biased"
status = "approved"
area = "X"
saving = { low = { levels = { "2025/26" = 0.5 } }, central = { levels = { "2025/26" = 0.7, "2027/28" = 0.9 } }, high = { increments = { "2025/26" = 1 } } }
optimism_bias = { saving = 0.25, delay_months = 5 }

[[service]]
id = "profile-in-base"
status = "in-base"
saving = { levels = { "2026/27" = 0.3 } }
optimism_bias = { saving = 0.5 }

[[service]]
id = "proposed-levels"
planned = { levels = { "2025/26" = 0.2, "2027/28" = 0.3 } }
saving = { increments = { "2025/26" = 0.1, "2026/27" = 0.4 } }

[[service]]
id = "choice"

  [[service.option]]
  id = "yearly"
  saving = { levels = { "2026/27" = 0.2 } }

  [[service.option]]
  id = "ramped"
  preferred = true
  saving = 0.3
  start = "2026-04"
"#;

/// Issue 15: a plan's spreadsheet holds its lines' yearly amounts per case, their plans and
/// what the gap is built from, and LibreOffice computes from its formulas (no result stored,
/// and again from a copy with a wrong result stored in every formula) every figure of
/// `savings run --format csv` (services and total, every measure, requirement, funding,
/// reserves and pressures included) and the Summary's figures of its JSON: the plans worked
/// example, both shipped plans, Riverside with optimism bias, a requirement given as printed, a
/// gap of pressures alone, and every plan form together.
#[test]
fn libreoffice_computes_a_plans_figures_of_savings_run_from_the_formulas() -> TestResult {
    let Some(work) = libreoffice()? else {
        return Ok(());
    };
    let dir = work.path();
    let every = dir.join("every-form.toml");
    fs::write(&every, EVERY_PLAN_FORM)?;
    let every = every.display().to_string();
    let plans: Vec<(&str, Vec<&str>)> = vec![
        ("worked-plan", vec!["scenarios/worked-example-plan.toml"]),
        ("riverside", vec!["scenarios/riverside-district-2025.toml"]),
        ("gateshead", vec!["scenarios/gateshead-mtfs-2020.toml"]),
        (
            "riverside-biased",
            vec![
                "scenarios/riverside-district-2025.toml",
                "--set",
                "scenario.optimism_bias.saving=0.2",
                "--set",
                "scenario.optimism_bias.cost=0.41",
                "--set",
                "scenario.optimism_bias.delay_months=7",
            ],
        ),
        ("requirement", vec!["tests/data/plans/requirement.toml"]),
        (
            "pressures",
            vec!["tests/data/plans/pressures-without-budget.toml"],
        ),
        ("every-form", vec![every.as_str()]),
    ];
    let mut books = Vec::new();
    for (name, args) in &plans {
        let book = dir.join(format!("{name}.xlsx"));
        report(args, &book)?;
        let stale = dir.join(format!("{name}-stale.xlsx"));
        let (formulas, cached) = store_wrong_results(&book, &stale)?;
        assert!(formulas > 50, "{name}: {formulas} formulas");
        assert_eq!(cached, 0, "{name}: results stored for {cached} formulas");
        books.push(book);
        books.push(stale);
    }
    let paths: Vec<&Path> = books.iter().map(PathBuf::as_path).collect();
    let sheets = recalculate(dir, &paths)?;
    for ((name, args), pair) in plans.iter().zip(sheets.chunks(2)) {
        let csv = figures(args, "csv");
        let json = figures(args, "json");
        for (book, which) in pair.iter().zip(["", " with wrong stored results"]) {
            let label = format!("{name}{which}");
            assert_same_figures(&label, book, &csv)?;
            assert_same_summary(&label, book, &json)?;
        }
    }
    // The plans worked example (docs/model.md section 9.6), as the spreadsheet computes it.
    let projection = projection_figures(sheet(&sheets[0], "Projection")?)?;
    let total = |year: &str, measure: &str| {
        projection[&(
            "total".to_string(),
            year.to_string(),
            measure.to_string(),
            "central".to_string(),
        )]
    };
    for (year, rq, f, v, lg, n, r) in [
        ("2025/26", 104.0, 101.0, 1.0, 2.0, 0.0, 2.0),
        ("2026/27", 107.0, 102.0, 0.0, 5.0, 3.0, 2.0),
        ("2027/28", 107.0, 103.0, 0.0, 4.0, 3.0, 1.0),
    ] {
        assert_eq!(total(year, "requirement"), rq, "{year}");
        assert_eq!(total(year, "funding"), f, "{year}");
        assert_eq!(total(year, "reserves"), v, "{year}");
        assert_eq!(total(year, "gap_to_date"), lg, "{year}");
        assert!(close(total(year, "contribution"), n), "{year}");
        assert!(close(total(year, "remaining_gap"), r), "{year}");
    }
    Ok(())
}

/// A budget balanced exactly (requirement 72.183 + 1.036, less funding 72.94 and reserves
/// 0.188, less a saving of 0.091: a remaining gap of exactly 0) is closed in the spreadsheet as
/// in `savings run`, though binary floating point leaves 1.06e-14 of it; so is the Summary's
/// count of years closed.
#[test]
fn a_budget_balanced_exactly_is_closed_in_the_spreadsheet() -> TestResult {
    let Some(work) = libreoffice()? else {
        return Ok(());
    };
    let dir = work.path();
    let scenario = dir.join("balanced.toml");
    fs::write(
        &scenario,
        r#"[scenario]
name = "a balanced budget"
base_year = "2024/25"
horizon = 1

[budget]
net = 72.183
reserves = { "2025/26" = 0.188 }

[[pressure]]
id = "pay"
amount = { "2025/26" = 1.036 }

[[funding]]
id = "council-tax"
amount = { "2025/26" = 72.94 }

[[service]]
id = "fees"
saving = { levels = { "2025/26" = 0.091 } }
"#,
    )?;
    let file = scenario.display().to_string();
    let book = dir.join("balanced.xlsx");
    report(&[&file], &book)?;
    let json = figures(&[&file], "json");
    assert!(
        json.contains("\"closed_years\": [\n        \"2025/26\""),
        "{json}"
    );
    let books = recalculate(dir, &[&book])?;
    let projection = sheet(&books[0], "Projection")?;
    for case in ["Low", "Central", "High"] {
        let heading = find_row(projection, |r| {
            r.first()
                .is_some_and(|c| c == &format!("{case} case: the remaining gap (£m)"))
        })?;
        let closed = &projection[heading + 2];
        assert_eq!(closed[1], "Closed (R(y) <= 0)");
        assert_eq!(closed[2], "yes", "{case}: {closed:?}");
    }
    assert_same_summary("balanced", &books[0], &json)?;
    Ok(())
}

#[test]
fn changing_an_input_moves_the_gap_as_the_same_override_does() -> TestResult {
    let Some(work) = libreoffice()? else {
        return Ok(());
    };
    let dir = work.path();
    let original = dir.join("original.xlsx");
    report(&["scenarios/worked-example.toml"], &original)?;
    let books = recalculate(dir, &[&original])?;
    let inputs = sheet(&books[0], "Inputs")?;

    // The cells of the option taken forward and of the overlap, found by their labels.
    let header = find_row(inputs, |r| r.first().is_some_and(|c| c == "Service id"))?;
    let option = find_row(inputs, |r| r.first().is_some_and(|c| c == "example"))?;
    let overlap = find_row(inputs, |r| r.first().is_some_and(|c| c == "Overlap w"))?;
    let col = |label: &str| -> Result<usize, Box<dyn Error>> {
        inputs[header]
            .iter()
            .position(|c| c == label)
            .ok_or_else(|| format!("no column {label:?} in Inputs").into())
    };
    let edits = [
        (cell(option, col("Saving S high (£m)")?), "12"),
        (
            cell(option, col("Go-live year (starts in April of)")?),
            "2016",
        ),
        (cell(option, col("Ramp r(1)")?), "0.25"),
        (cell(overlap, 1), "0.5"),
    ];
    let edited = dir.join("edited.xlsx");
    edit_inputs(&original, &edited, &edits)?;

    let books = recalculate(dir, &[&edited])?;
    let overrides = [
        "scenarios/worked-example.toml",
        "--set",
        "service[example].option[only].saving.high=12",
        "--set",
        "service[example].option[only].start=\"2016-10\"",
        "--set",
        "service[example].option[only].ramp=[0.25, 1.0]",
        "--set",
        "scenario.overlap=0.5",
    ];
    let moved = figures(&overrides, "csv");
    assert_same_figures("edited worked example", &books[0], &moved)?;
    assert_same_summary(
        "edited worked example",
        &books[0],
        &figures(&overrides, "json"),
    )?;
    // And it did move: the remaining gap of 2016/17, high case, from -1 to 7 - (12 x 0.25 x
    // 6/12 - 0.5 x 2) = 6.5.
    let projection = projection_figures(sheet(&books[0], "Projection")?)?;
    let key = |case: &str| {
        (
            "total".into(),
            "2016/17".into(),
            "remaining_gap".into(),
            case.into(),
        )
    };
    assert_eq!(projection[&key("high")], 6.5);
    assert_eq!(projection[&key("central")], 7.0 - (10.0 * 0.25 * 0.5 - 1.0));
    Ok(())
}

/// Issue 15: a plan's Inputs drive its Projection: changing a profile's levels (a proposed
/// line's, an approved line's low), a pressure's levels and a funding line's level
/// there moves every figure as the same overrides move `savings run`'s.
#[test]
fn changing_a_plans_inputs_moves_the_gap_as_the_same_override_does() -> TestResult {
    let Some(work) = libreoffice()? else {
        return Ok(());
    };
    let dir = work.path();
    let original = dir.join("riverside.xlsx");
    report(&["scenarios/riverside-district-2025.toml"], &original)?;
    let books = recalculate(dir, &[&original])?;
    let inputs = sheet(&books[0], "Inputs")?;
    // A block's header row holds its years, "2025/26 (£m)" and on.
    let year_col = |header: usize, year: &str| -> Result<usize, Box<dyn Error>> {
        inputs[header]
            .iter()
            .position(|c| c == &format!("{year} (£m)"))
            .ok_or_else(|| format!("no {year} in row {header}").into())
    };
    let profiles = find_row(inputs, |r| {
        r.first().is_some_and(|c| c == "Service id") && r.get(3).is_some_and(|c| c == "Case")
    })?;
    let gap = find_row(inputs, |r| r.first().is_some_and(|c| c == "The MTFP's gap"))?;
    let profile = |id: &str, case: &str| {
        find_row(inputs, |r| {
            r.first().is_some_and(|c| c == id) && r.get(3).is_some_and(|c| c == case)
        })
    };
    let gap_line = |id: &str| {
        find_row(&inputs[gap..], |r| r.first().is_some_and(|c| c == id)).map(|i| gap + i)
    };
    // A single profile is the same in every case: each case's row changes.
    let mut edits = Vec::new();
    for case in ["low", "central", "high"] {
        let shared = profile("shared-revenues", case)?;
        edits.push((cell(shared, year_col(profiles, "2027/28")?), "0.4"));
        edits.push((cell(shared, year_col(profiles, "2028/29")?), "0.4"));
    }
    let garden = profile("garden-waste", "low")?;
    let pay = gap_line("pay")?;
    let tax = gap_line("council-tax")?;
    edits.extend([
        (cell(garden, year_col(profiles, "2025/26")?), "0.2"),
        (cell(pay, year_col(gap, "2026/27")?), "0.8"),
        (cell(pay, year_col(gap, "2027/28")?), "1.05"),
        (cell(pay, year_col(gap, "2028/29")?), "1.3"),
        (cell(tax, year_col(gap, "2025/26")?), "8.2"),
    ]);
    let edited = dir.join("edited.xlsx");
    edit_inputs(&original, &edited, &edits)?;
    let books = recalculate(dir, &[&edited])?;
    let overrides = [
        "scenarios/riverside-district-2025.toml",
        "--set",
        "service[shared-revenues].saving.levels.\"2027/28\"=0.4",
        "--set",
        "service[garden-waste].saving.low.levels.\"2025/26\"=0.2",
        "--set",
        "pressure[pay].amount.\"2026/27\"=0.5",
        "--set",
        "funding[council-tax].amount.\"2025/26\"=8.2",
    ];
    let moved = figures(&overrides, "csv");
    assert_ne!(
        moved,
        figures(&["scenarios/riverside-district-2025.toml"], "csv")
    );
    assert_same_figures("edited Riverside", &books[0], &moved)?;
    assert_same_summary("edited Riverside", &books[0], &figures(&overrides, "json"))?;
    Ok(())
}

#[test]
fn names_that_look_like_formulas_are_written_as_text() -> TestResult {
    let folder = tempfile::tempdir()?;
    let scenario = folder.path().join("injection.toml");
    fs::write(
        &scenario,
        r#"[scenario]
name = "-2+3"
base_year = "2014/15"

[[service]]
id = "svc"
name = '=HYPERLINK("http://x")'
planned = { "2015/16" = 0.5 }

  [[service.option]]
  id = "opt"
  name = "+1"
  preferred = true
  saving = 1                 # @SUM(1)
  start = "2015/16"

[[service]]
id = "later"
name = "@later"

  [[service.option]]
  id = "opt"
  saving = 1
  start = "2016/17"
"#,
    )?;
    let xlsx = folder.path().join("injection.xlsx");
    report(&[&scenario.display().to_string()], &xlsx)?;

    let script = r#"
import html, re, sys, zipfile
book = zipfile.ZipFile(sys.argv[1])
shared = book.read("xl/sharedStrings.xml").decode()
for item in re.findall(r"<si>(.*?)</si>", shared, re.S):
    print("string\t" + html.unescape(re.sub(r"<[^>]+>", "", item)).replace("\n", " "))
for name in sorted(book.namelist()):
    if name.startswith("xl/worksheets/"):
        sheet = book.read(name).decode()
        for formula in re.findall(r"<f>(.*?)</f>", sheet, re.S):
            print("formula\t" + html.unescape(formula))
        for kind in re.findall(r' t="(inlineStr|e)"', sheet):
            print("cell\t" + kind)
"#;
    let Some(listing) = python(&["-c", script, &xlsx.display().to_string()])? else {
        return Ok(());
    };
    let mut strings = Vec::new();
    let mut formulas = Vec::new();
    for line in listing.lines() {
        match line.split_once('\t') {
            Some(("string", text)) => strings.push(text.to_string()),
            Some(("formula", text)) => formulas.push(text.to_string()),
            other => panic!("unexpected cell: {other:?}"),
        }
    }
    for neutralised in [
        "'=HYPERLINK(\"http://x\")",
        "'+1",
        "'-2+3",
        "'@later",
        "'@SUM(1)",
    ] {
        assert!(
            strings.iter().any(|s| s == neutralised),
            "{neutralised} is not a text cell: {strings:?}"
        );
    }
    for text in &strings {
        assert!(
            !text.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "text a spreadsheet would read as a formula: {text:?}"
        );
    }
    assert!(formulas.len() > 50);
    for formula in &formulas {
        assert!(
            !formula.contains("HYPERLINK") && !formula.contains("http"),
            "user text in a formula: {formula}"
        );
    }
    Ok(())
}

/// The text cells of a workbook (its shared strings), or `None` where python3 is missing.
fn shared_strings(xlsx: &Path) -> Result<Option<Vec<String>>, Box<dyn Error>> {
    let script = r#"
import html, json, re, sys, zipfile
shared = zipfile.ZipFile(sys.argv[1]).read("xl/sharedStrings.xml").decode()
items = re.findall(r"<si>(.*?)</si>", shared, re.S)
print(json.dumps([html.unescape(re.sub(r"<[^>]+>", "", item)) for item in items]))
"#;
    let Some(listing) = python(&["-c", script, &xlsx.display().to_string()])? else {
        return Ok(None);
    };
    Ok(Some(serde_json::from_str(&listing)?))
}

/// Issue 11, items 13 and 14: invisible characters in a comment reach the workbook as their
/// codes, a name with a joiner inside a word as written, and a comment longer than a cell
/// holds (32,767 characters; the scenario is valid) is cut with a marker instead of failing
/// the report.
#[test]
fn user_text_in_cells_is_escaped_and_fits_a_cell() -> TestResult {
    let folder = tempfile::tempdir()?;
    let scenario = folder.path().join("notes.toml");
    let long = "x".repeat(40_000);
    fs::write(
        &scenario,
        format!(
            "[scenario]\nname = \"کتاب\\u200Cخانه\"\nbase_year = \"2014/15\"\n\n[[service]]\nid = \"legal\"\n\n  \
             [[service.option]]\n  id = \"abs\"\n  preferred = true\n  saving = 1   # from the \u{202E}review \u{200B}\n  \
             start = \"2015/16\"   # {long}\n"
        ),
    )?;
    let file = scenario.display().to_string();
    let output = run(&["check", &file]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let xlsx = folder.path().join("notes.xlsx");
    report(&[&file], &xlsx)?;
    let Some(strings) = shared_strings(&xlsx)? else {
        return Ok(());
    };
    let all = strings.join("\n");
    assert!(
        all.contains("from the \\u{202e}review \\u{200b}"),
        "{all:.2000}"
    );
    assert!(
        !all.contains(['\u{202E}', '\u{200B}']),
        "a raw invisible character"
    );
    assert!(
        all.contains("کتاب\u{200C}خانه"),
        "the joiner inside the word is kept"
    );
    let cut = strings
        .iter()
        .find(|s| s.starts_with("xxx"))
        .ok_or("the long comment")?;
    assert!(
        cut.ends_with("more characters cut: a spreadsheet cell holds 32767]"),
        "{}",
        &cut[cut.len() - 80..]
    );
    assert!(cut.chars().count() <= 32_767);
    Ok(())
}

/// Issue 12 item 4: the spreadsheet names the remaining gap R "Remaining gap" and only the
/// gap to date LG "Gap to date", as every table does.
#[test]
fn the_spreadsheet_names_the_gaps_as_the_tables_do() -> TestResult {
    let folder = tempfile::tempdir()?;
    let xlsx = folder.path().join("kent.xlsx");
    report(&[], &xlsx)?;
    let Some(strings) = shared_strings(&xlsx)? else {
        return Ok(());
    };
    for label in [
        "Gap to date LG(y)",
        "Remaining gap R(y) = LG(y) - N(y)",
        "Central case: the remaining gap (£m)",
    ] {
        assert!(strings.iter().any(|s| s == label), "no {label:?}");
    }
    for text in &strings {
        let lower = text.to_lowercase();
        assert!(
            !lower.contains("the gap (") && !lower.contains("unidentified gap to date"),
            "{text:?}"
        );
    }
    Ok(())
}

/// Each sheet's print settings, read from the workbook's XML: name -> (the attributes of
/// `pageSetup`, whether it fits to pages, the page header, the rows printed on every page);
/// `None` where python3 is missing.
pub(super) fn print_settings(xlsx: &Path) -> Result<Option<serde_json::Value>, Box<dyn Error>> {
    let script = r#"
import html, json, re, sys, zipfile
book = zipfile.ZipFile(sys.argv[1])
workbook = book.read("xl/workbook.xml").decode()
names = re.findall(r'<sheet name="([^"]+)"', workbook)
titles = {int(i): rows for i, rows in re.findall(
    r'<definedName name="_xlnm.Print_Titles" localSheetId="(\d+)">[^!]*!([^<]+)</definedName>', workbook)}
out = {}
for i, name in enumerate(names):
    sheet = book.read(f"xl/worksheets/sheet{i + 1}.xml").decode()
    setup = re.search(r"<pageSetup ([^>]*)/>", sheet)
    header = re.search(r"<oddHeader>([^<]*)</oddHeader>", sheet)
    out[name] = {
        "page_setup": dict(re.findall(r'(\w+)="([^"]*)"', setup.group(1))) if setup else {},
        "fit_to_page": '<pageSetUpPr fitToPage="1"/>' in sheet,
        "header": html.unescape(header.group(1)) if header else None,
        "repeat_rows": titles.get(i),
    }
print(json.dumps(out))
"#;
    let Some(listing) = python(&["-c", script, &xlsx.display().to_string()])? else {
        return Ok(None);
    };
    Ok(Some(serde_json::from_str(&listing)?))
}

/// Issue 12 item 5: the workbook printed as 27 pages, the Summary's columns split across
/// them. Every sheet now prints landscape on A4, fitted to one page wide (as many pages long
/// as it needs), its header rows repeated on every page (Excel's print titles) and the
/// report's title at the top.
#[test]
fn every_sheet_prints_landscape_one_page_wide_with_its_headers_on_every_page() -> TestResult {
    let folder = tempfile::tempdir()?;
    let xlsx = folder.path().join("kent.xlsx");
    report(&["--simulate", "--trials", "500"], &xlsx)?;
    let Some(settings) = print_settings(&xlsx)? else {
        return Ok(());
    };
    let expected_rows = [
        ("Summary", "$1:$1"),
        ("Inputs", "$1:$6"),
        ("Projection", "$1:$2"),
        ("Simulation", "$1:$2"),
        ("Sources", "$1:$1"),
    ];
    let sheets = settings.as_object().ok_or("sheets")?;
    assert_eq!(sheets.len(), expected_rows.len(), "{settings}");
    for (name, rows) in expected_rows {
        let sheet = &settings[name];
        let setup = &sheet["page_setup"];
        assert_eq!(setup["orientation"], "landscape", "{name}: {sheet}");
        assert_eq!(setup["paperSize"], "9", "{name}: A4: {sheet}");
        assert_eq!(sheet["fit_to_page"], true, "{name}: {sheet}");
        // One page wide (fitToWidth defaults to 1), any number of pages long.
        assert!(
            setup.get("fitToWidth").is_none() || setup["fitToWidth"] == "1",
            "{name}: {sheet}"
        );
        assert_eq!(setup["fitToHeight"], "0", "{name}: {sheet}");
        assert_eq!(sheet["repeat_rows"], rows, "{name}: {sheet}");
        let header = sheet["header"]
            .as_str()
            .ok_or(format!("{name}: no page header"))?;
        assert_eq!(
            header,
            format!("&LSavings report: Facing the Challenge, Phase 1 (May 2014)&R{name}"),
        );
    }
    Ok(())
}

/// A scenario name with `&` (which starts a code in a page header) is printed as written,
/// and a long one is cut to fit Excel's 255 characters.
#[test]
fn a_page_header_prints_the_name_as_written_and_within_excels_limit() -> TestResult {
    let folder = tempfile::tempdir()?;
    let scenario = folder.path().join("ampersand.toml");
    // 191 characters, 87 of them `&`: doubled, far beyond Excel's limit unless cut.
    let name = format!("Waste & Recycling &P {}", "&x".repeat(85));
    fs::write(
        &scenario,
        format!(
            "[scenario]\nname = \"{name}\"\nbase_year = \"2014/15\"\n\n[[service]]\nid = \"waste\"\n\n  [[service.option]]\n  id = \"o\"\n  preferred = true\n  saving = 1\n  start = \"2015/16\"\n"
        ),
    )?;
    let xlsx = folder.path().join("ampersand.xlsx");
    let output = run(&[
        "report",
        &scenario.display().to_string(),
        "--output",
        &xlsx.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // rust_xlsxwriter refuses a header over Excel's limit with a message of its own.
    assert_eq!(stderr(&output), "");
    let Some(settings) = print_settings(&xlsx)? else {
        return Ok(());
    };
    let header = settings["Summary"]["header"]
        .as_str()
        .ok_or("no page header")?;
    assert!(
        header.starts_with("&LSavings report: Waste && Recycling &&P &&x&&x"),
        "{header}"
    );
    assert!(header.ends_with("…&RSummary"), "{header}");
    assert!(header.encode_utf16().count() <= 255, "{header}");
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// LibreOffice and python.

/// A folder for LibreOffice's work, or `None` (with the reason printed) where `soffice` or
/// `python3` is not installed.
pub(super) fn libreoffice() -> Result<Option<tempfile::TempDir>, Box<dyn Error>> {
    let installed = |program: &str| {
        Command::new(program)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !installed("soffice") {
        eprintln!("skipped: LibreOffice (soffice) is not installed");
        return Ok(None);
    }
    if !installed("python3") {
        eprintln!("skipped: python3 is not installed (it edits the workbooks)");
        return Ok(None);
    }
    Ok(Some(tempfile::tempdir()?))
}

/// Runs python3 with `args`; its standard output, or `None` (with the reason printed) where
/// python3 is not installed.
pub(super) fn python(args: &[&str]) -> Result<Option<String>, Box<dyn Error>> {
    let Ok(output) = Command::new("python3").args(args).output() else {
        eprintln!("skipped: python3 is not installed (it reads the workbook)");
        return Ok(None);
    };
    if !output.status.success() {
        return Err(format!("python3 failed: {}", stderr(&output)).into());
    }
    Ok(Some(stdout(&output)))
}

/// Converts each workbook to one CSV per sheet with LibreOffice, started in a throwaway profile
/// that recalculates every formula of an OOXML file on load (`OOXMLRecalcMode` 0, "always"),
/// in one run. For each workbook: sheet name -> rows.
pub(super) fn recalculate(dir: &Path, books: &[&Path]) -> Result<Vec<Sheets>, Box<dyn Error>> {
    let profile = dir.join("profile");
    fs::create_dir_all(profile.join("user"))?;
    fs::write(
        profile.join("user/registrymodifications.xcu"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#,
    )?;
    let out = dir.join("csv");
    let started = std::time::Instant::now();
    let output = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.canonicalize()?.display()
        ))
        .args([
            "--headless",
            "--convert-to",
            // Comma, double quote, UTF-8, every sheet (-1), values not as shown.
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
        ])
        .arg(&out)
        .args(books)
        .output()?;
    assert!(output.status.success(), "soffice: {}", stderr(&output));
    eprintln!(
        "LibreOffice converted {} workbook(s) in {:.1} s",
        books.len(),
        started.elapsed().as_secs_f64()
    );
    books
        .iter()
        .map(|book| {
            let stem = book
                .file_stem()
                .and_then(|s| s.to_str())
                .ok_or("a workbook's name")?;
            let mut sheets = Sheets::new();
            for entry in fs::read_dir(&out)? {
                let path: PathBuf = entry?.path();
                let name = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default();
                if let Some(sheet) = name
                    .strip_prefix(&format!("{stem}-"))
                    .and_then(|rest| rest.strip_suffix(".csv"))
                {
                    let mut reader = csv::ReaderBuilder::new()
                        .has_headers(false)
                        .flexible(true)
                        .from_path(&path)?;
                    let rows = reader
                        .records()
                        .map(|r| r.map(|r| r.iter().map(String::from).collect()))
                        .collect::<Result<Vec<Vec<String>>, _>>()?;
                    sheets.insert(sheet.to_string(), rows);
                }
            }
            assert!(
                sheets.contains_key("Projection"),
                "no sheets of {stem} in {:?}: {}",
                out,
                stdout(&output)
            );
            Ok(sheets)
        })
        .collect()
}

/// Copies `from` to `to` with a wrong result (999999) stored in every formula; returns the
/// number of formulas, and how many stored a result in `from`.
pub(super) fn store_wrong_results(
    from: &Path,
    to: &Path,
) -> Result<(usize, usize), Box<dyn Error>> {
    let script = r#"
import re, sys, zipfile
formulas = cached = 0
with zipfile.ZipFile(sys.argv[1]) as book, zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as out:
    for item in book.infolist():
        data = book.read(item.filename)
        if item.filename.startswith("xl/worksheets/"):
            sheet = data.decode()
            formulas += len(re.findall(r"<f>", sheet))
            cached += len(re.findall(r"</f><v>[^<]", sheet))
            sheet = re.sub(r' t="str"(><f>[^<]*</f>)<v></v>', r"\1<v>999999</v>", sheet)
            data = sheet.encode()
        out.writestr(item, data)
print(formulas, cached)
"#;
    let printed = python(&[
        "-c",
        script,
        &from.display().to_string(),
        &to.display().to_string(),
    ])?
    .ok_or("python3")?;
    let mut counts = printed.split_whitespace().map(str::parse::<usize>);
    match (counts.next(), counts.next()) {
        (Some(Ok(formulas)), Some(Ok(cached))) => Ok((formulas, cached)),
        _ => Err(format!("unexpected: {printed}").into()),
    }
}

/// Copies `from` to `to` with the Inputs sheet's cells `edits` (`F7`, value) changed.
fn edit_inputs(from: &Path, to: &Path, edits: &[(String, &str)]) -> TestResult {
    let script = r#"
import re, sys, zipfile
source, target = sys.argv[1], sys.argv[2]
edits = [arg.split("=", 1) for arg in sys.argv[3:]]
with zipfile.ZipFile(source) as book, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
    # The Inputs sheet is the second.
    for item in book.infolist():
        data = book.read(item.filename)
        if item.filename == "xl/worksheets/sheet2.xml":
            sheet = data.decode()
            for cell, value in edits:
                sheet, n = re.subn(r'(<c r="%s"[^>]*><v>)[^<]*(</v>)' % cell, r"\g<1>%s\g<2>" % value, sheet)
                assert n == 1, (cell, n)
            data = sheet.encode()
        out.writestr(item, data)
"#;
    let mut args = vec![
        "-c".to_string(),
        script.to_string(),
        from.display().to_string(),
        to.display().to_string(),
    ];
    args.extend(edits.iter().map(|(cell, value)| format!("{cell}={value}")));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    python(&args)?.ok_or("python3")?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Reading the sheets back.

pub(super) fn sheet<'a>(
    sheets: &'a Sheets,
    name: &str,
) -> Result<&'a Vec<Vec<String>>, Box<dyn Error>> {
    sheets
        .get(name)
        .ok_or_else(|| format!("no {name} sheet").into())
}

pub(super) fn find_row(
    rows: &[Vec<String>],
    wanted: impl Fn(&Vec<String>) -> bool,
) -> Result<usize, Box<dyn Error>> {
    rows.iter()
        .position(wanted)
        .ok_or_else(|| "no such row".into())
}

/// The A1 name of a cell, from 0-based indexes.
pub(super) fn cell(row: usize, col: usize) -> String {
    let mut name = String::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        name.insert(0, char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    format!("{name}{}", row + 1)
}

/// The Projection sheet's figures: (service or `total`, year, measure, case) -> value, with
/// the measures named as in the CSV. Figures the same in every case are given for each.
pub(super) fn projection_figures(rows: &[Vec<String>]) -> Result<Figures, Box<dyn Error>> {
    let years: Vec<String> = rows.first().ok_or("no header")?[2..]
        .iter()
        .take_while(|y| y.contains('/'))
        .cloned()
        .collect();
    let all = ["low", "central", "high"];
    let mut figures = BTreeMap::new();
    let mut block: Option<(&str, Vec<&str>)> = None;
    for row in rows.iter().skip(2) {
        let (first, second) = (
            row.first().map_or("", String::as_str),
            row.get(1).map_or("", String::as_str),
        );
        if second.is_empty() {
            if first.is_empty() {
                continue;
            }
            // A heading names the measure and the case.
            let case = all
                .iter()
                .find(|c| first.to_lowercase().starts_with(&format!("{c} case")))
                .copied();
            let cases = case.map_or(all.to_vec(), |c| vec![c]);
            let lower = first.to_lowercase();
            let measure = [
                ("planned savings to date", "planned_to_date"),
                ("one-off costs", "one_off_cost"),
                ("in-year saving", "in_year_saving"),
                ("incremental saving", "incremental_saving"),
                ("contribution", "contribution"),
                ("gap", "gap"),
            ]
            .iter()
            .find(|(words, _)| lower.contains(words))
            .map(|(_, measure)| *measure);
            block = measure.map(|m| (m, cases));
            continue;
        }
        let Some((measure, cases)) = &block else {
            continue;
        };
        let measure = match *measure {
            "gap" if second.starts_with("Gap to date") => "gap_to_date",
            "gap" if second.starts_with("Remaining gap") => "remaining_gap",
            // What a plan's gap is built from (docs/model.md section 9.5).
            "gap" if second.starts_with("Budget requirement") => "requirement",
            "gap" if second.starts_with("Funding F") => "funding",
            "gap" if second.starts_with("Reserves used") => "reserves",
            "gap" if second.starts_with("Pressures in force") => "pressures",
            "gap" => continue,
            _ if second.starts_with("One-off costs in the base year") => continue,
            other => other,
        };
        for (year, value) in years.iter().zip(&row[2..]) {
            let value: f64 = value
                .parse()
                .map_err(|e| format!("{first} {second} {year}: {value:?}: {e}"))?;
            for case in cases {
                figures.insert(
                    (
                        first.to_string(),
                        year.clone(),
                        measure.to_string(),
                        case.to_string(),
                    ),
                    value,
                );
            }
        }
    }
    Ok(figures)
}

/// Within 1e-9, relative to the figure (absolute below 1).
pub(super) fn close(got: f64, expected: f64) -> bool {
    (got - expected).abs() <= 1e-9 * expected.abs().max(1.0)
}

/// Every figure of `savings run --format csv` (every measure, service and total, year, case)
/// is on the Projection sheet, and nothing else is.
pub(super) fn assert_same_figures(name: &str, sheets: &Sheets, csv: &str) -> TestResult {
    let projection = projection_figures(sheet(sheets, "Projection")?)?;
    let expected = csv_values(csv);
    assert!(expected.len() > 100, "{name}: {} CSV rows", expected.len());
    for ((service, _option, year, measure, case), value) in &expected {
        let value: f64 = value.parse()?;
        let key = (service.clone(), year.clone(), measure.clone(), case.clone());
        let got = projection
            .get(&key)
            .ok_or_else(|| format!("{name}: {key:?} is not on the Projection sheet"))?;
        assert!(
            close(*got, value),
            "{name}: {key:?}: {got} in the spreadsheet, {value} from savings run"
        );
    }
    assert_eq!(
        projection.len(),
        expected.len(),
        "{name}: figures beyond the CSV's"
    );
    Ok(())
}

/// The Summary sheet's figures over the horizon are those of `savings run --format json`.
pub(super) fn assert_same_summary(name: &str, sheets: &Sheets, json: &str) -> TestResult {
    let json: serde_json::Value = serde_json::from_str(json)?;
    let rows = sheet(sheets, "Summary")?;
    let row = |label: &str| -> Result<&Vec<String>, Box<dyn Error>> {
        rows.iter()
            .find(|r| r.first().is_some_and(|c| c.starts_with(label)))
            .ok_or_else(|| format!("{name}: no {label:?} on the Summary sheet").into())
    };
    for (col, case) in [(1, "low"), (2, "central"), (3, "high")] {
        let summary = &json["summary"][case];
        for (label, field) in [
            ("Total saving", "total_saving"),
            ("Average a year", "average_per_year"),
            ("Steady-state annual saving", "steady_state_saving"),
            ("Net present value", "npv"),
        ] {
            let expected: f64 = summary[field].as_str().ok_or(field)?.parse()?;
            let got: f64 = row(label)?[col].parse()?;
            assert!(
                close(got, expected),
                "{name}, {case}: {label}: {got} vs {expected}"
            );
        }
        let payback = match (summary["payback_year"].as_str(), &summary["payback_needed"]) {
            (Some(year), _) => year,
            (None, serde_json::Value::Bool(false)) => "none needed",
            (None, _) => "none",
        };
        assert_eq!(row("Payback year")?[col], payback, "{name}, {case}");
        let closed = summary["closed_years"].as_array().ok_or("closed_years")?;
        assert_eq!(
            row("Years closed")?[col],
            closed.len().to_string(),
            "{name}, {case}"
        );
        let first = closed.first().and_then(|y| y.as_str()).unwrap_or("none");
        assert_eq!(row("First year closed")?[col], first, "{name}, {case}");
    }
    Ok(())
}
