//! Issue 16: the Tracker sheet of `savings report --format xlsx` on a tracked scenario
//! (docs/model.md section 10). LibreOffice, made to recalculate every formula on load, computes
//! from the workbook every figure of `savings run --format csv`, and on the Tracker the savings
//! at risk, the remaining gap as planned, as forecast and risk-adjusted and the totals by RAG
//! and status of `savings track --format json` (and `run --risk-adjusted`); typing a delivered
//! or forecast figure, clearing one, or changing a RAG or a confidence on the Tracker moves them
//! as the same `--set` overrides move `savings run` and `savings track`; the worked example of
//! section 10 figure by figure; a scenario that tracks nothing has no Tracker.
//!
//! The LibreOffice checks need `soffice` and `python3` and are skipped, with the reason
//! printed, where either is missing (see `report_xlsx.rs`).

use std::collections::BTreeMap;
use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};

use super::report_xlsx::{
    Sheets, assert_same_figures, assert_same_summary, cell, close, figures, find_row, libreoffice,
    print_settings, projection_figures, python, recalculate, report, sheet, store_wrong_results,
};
use super::support::{TestResult, csv_values, json, run, stderr};

const TRACKED: &str = "scenarios/worked-example-tracking.toml";
const MONITORING: &str = "scenarios/monitoring-example.toml";
const MONITORING_Q2: &str = "scenarios/monitoring-example-q2.toml";

/// The Tracker's figures below its lines: (block heading, row label) -> (the Lines cell, the
/// figure of each year by year).
type Below = BTreeMap<(String, String), YearFigures>;

/// A row below the Tracker's lines: its Lines cell, and its figure in each year.
type YearFigures = (String, BTreeMap<String, f64>);

/// Reads the blocks below the Tracker's lines: each starts with a header row (its heading in
/// the first cell, "Lines", then the years), then one labelled row per figure.
fn below(rows: &[Vec<String>]) -> Result<Below, Box<dyn Error>> {
    let mut figures = Below::new();
    let mut block: Option<(String, Vec<(usize, String)>)> = None;
    let first = find_row(rows, |r| {
        r.first()
            .is_some_and(|c| c.starts_with("The gap in three views"))
    })?;
    for row in &rows[first..] {
        let label = row.first().map_or("", String::as_str);
        if label.is_empty() {
            continue;
        }
        if label.starts_with("The gap in three views") || label.starts_with("By RAG and by status")
        {
            let years = row
                .iter()
                .enumerate()
                .filter(|(_, c)| c.contains('/'))
                .map(|(i, c)| (i, c.clone()))
                .collect();
            block = Some((label.to_string(), years));
            continue;
        }
        let (heading, years) = block.as_ref().ok_or("a figure before any heading")?;
        let mut values = BTreeMap::new();
        for (col, year) in years {
            let text = row.get(*col).ok_or("a short row")?;
            let value: f64 = text
                .parse()
                .map_err(|e| format!("{label} {year}: {text:?}: {e}"))?;
            values.insert(year.clone(), value);
        }
        let lines = row.get(5).cloned().unwrap_or_default();
        figures.insert((heading.clone(), label.to_string()), (lines, values));
    }
    Ok(figures)
}

/// The figures of one row below the lines, found by the start of its block's heading and its
/// label.
fn row_of<'a>(
    below: &'a Below,
    heading: &str,
    label: &str,
) -> Result<&'a YearFigures, Box<dyn Error>> {
    below
        .iter()
        .find(|((h, l), _)| h.starts_with(heading) && l.starts_with(label))
        .map(|(_, v)| v)
        .ok_or_else(|| format!("no {label:?} under {heading:?} on the Tracker").into())
}

/// A series of `{year, value}` objects from a JSON document.
fn series(value: &serde_json::Value) -> Result<Vec<(String, f64)>, Box<dyn Error>> {
    value
        .as_array()
        .ok_or("a series")?
        .iter()
        .map(|point| -> Result<(String, f64), Box<dyn Error>> {
            let year = point["year"].as_str().ok_or("a year")?.to_string();
            let value = point["value"].as_str().ok_or("a value")?.parse()?;
            Ok((year, value))
        })
        .collect()
}

/// The Tracker's savings at risk, three views of the remaining gap and totals by RAG and by
/// status are those of `savings track ARGS --format json`, and its risk-adjusted gap that of
/// `savings run ARGS --risk-adjusted --format csv`.
fn assert_same_tracking(name: &str, sheets: &Sheets, args: &[&str]) -> TestResult {
    let below = below(sheet(sheets, "Tracker")?)?;
    let mut all = vec!["track"];
    all.extend(args);
    all.extend(["--format", "json"]);
    let track = json(&all);
    let gap = "The gap in three views";
    let compare = |label: &str, expected: &serde_json::Value| -> TestResult {
        let (_, got) = row_of(&below, gap, label)?;
        let expected = series(expected)?;
        assert_eq!(got.len(), expected.len(), "{name}: {label}");
        for (year, value) in expected {
            let figure = got.get(&year).ok_or(format!("{name}: {label} {year}"))?;
            assert!(
                close(*figure, value),
                "{name}: {label} {year}: {figure} in the spreadsheet, {value} from savings track"
            );
        }
        Ok(())
    };
    compare("Savings at risk", &track["savings_at_risk"])?;
    compare(
        "Remaining gap as planned",
        &track["remaining_gap"]["planned"],
    )?;
    compare(
        "Remaining gap as forecast",
        &track["remaining_gap"]["forecast"],
    )?;
    compare(
        "Remaining gap risk-adjusted",
        &track["remaining_gap"]["risk_adjusted"],
    )?;

    // The risk-adjusted view as `run --risk-adjusted` counts it in every figure.
    let mut all = vec!["run"];
    all.extend(args);
    all.extend(["--risk-adjusted", "--format", "csv"]);
    let output = run(&all);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{all:?}: {}",
        stderr(&output)
    );
    let (_, adjusted) = row_of(&below, gap, "Remaining gap risk-adjusted")?;
    let mut years = 0;
    for ((service, _, year, measure, case), value) in
        csv_values(&String::from_utf8_lossy(&output.stdout))
    {
        if service == "total" && measure == "remaining_gap" && case == "central" {
            let value: f64 = value.parse()?;
            assert!(close(adjusted[&year], value), "{name}: {year}");
            years += 1;
        }
    }
    assert_eq!(years, adjusted.len(), "{name}");

    // Totals by RAG and by status in the current year, as `track` gives them (a key it does
    // not list has no line).
    let current = track["current_year"].as_str().ok_or("current_year")?;
    for (kind, prefix, keys) in [
        (
            "by_rag",
            "RAG",
            vec!["blue", "green", "amber", "red", "not rated"],
        ),
        (
            "by_status",
            "Status",
            vec!["proposed", "approved", "in-base", "withdrawn"],
        ),
    ] {
        let listed = track[kind].as_array().ok_or(kind)?;
        for key in keys {
            let entry = listed.iter().find(|e| match &e["key"] {
                serde_json::Value::Null => key == "not rated",
                other => other == key,
            });
            for (heading, field) in [
                ("By RAG and by status: planned savings to date", "plan"),
                ("By RAG and by status: delivery", "delivery"),
                ("By RAG and by status: variance", "variance"),
            ] {
                let label = format!("{prefix} {key}");
                let found = below
                    .iter()
                    .find(|((h, l), _)| h.starts_with(heading) && *l == label);
                let (lines, values) = match (found, entry) {
                    (Some((_, row)), _) => row,
                    // A status no line has is not listed.
                    (None, None) if kind == "by_status" => continue,
                    (None, _) => return Err(format!("{name}: no {label} under {heading}").into()),
                };
                let expected_lines = entry.map_or(0, |e| e["lines"].as_u64().unwrap_or(u64::MAX));
                assert_eq!(lines, &expected_lines.to_string(), "{name}: {label}");
                let expected: f64 = match entry {
                    Some(e) => e[field].as_str().ok_or(field)?.parse()?,
                    None => 0.0,
                };
                let got = values.get(current).ok_or("the current year")?;
                assert!(
                    close(*got, expected),
                    "{name}: {label} {field} {current}: {got} in the spreadsheet, {expected} from savings track"
                );
            }
        }
    }
    Ok(())
}

/// Every figure of `savings run ARGS` (CSV and the Summary's JSON) and of `savings track ARGS`.
fn assert_all_figures(name: &str, sheets: &Sheets, args: &[&str]) -> TestResult {
    assert_same_figures(name, sheets, &figures(args, "csv"))?;
    assert_same_summary(name, sheets, &figures(args, "json"))?;
    assert_same_tracking(name, sheets, args)
}

/// Every kind of line a Tracker holds: an approved line built from S with optimism bias (its
/// D as planned is not its plan) delivered this year and rated amber, an approved profile
/// forecast next year and rated red, a withdrawn line that delivered before it stopped, an
/// in-base line rated blue, a proposed option of a service with several rated amber (the
/// option not taken forward rated too, and not on the Tracker), a deferred service, and the
/// council's own confidence.
const EVERY_LINE: &str = r#"[scenario]
name = "every kind of tracked line"
base_year = "2024/25"
horizon = 3
as_at = "2026-02"

[gap]
unidentified = { "2025/26" = 2, "2026/27" = 1 }

[tracking]
confidence = { green = 0.9, amber = 0.6, red = 0.1 }

[[service]]
id = "ramp-approved"
area = "North"
status = "approved"
saving = { low = 0.8, central = 1.2, high = 1.5 }
start = "2025-10"
ramp = [0.5, 1.0]
optimism_bias = { saving = 0.1, delay_months = 3 }
delivered = { "2025/26" = 0.2 }
rag = "amber"

[[service]]
id = "profile-approved"
area = "North"
status = "approved"
saving = { low = { levels = { "2025/26" = 0.4 } }, central = { levels = { "2025/26" = 0.5, "2026/27" = 0.9 } }, high = { levels = { "2025/26" = 0.6, "2026/27" = 1 } } }
forecast = { "2026/27" = 0.7 }
rag = "red"

[[service]]
id = "withdrawn"
status = "withdrawn"
saving = 0.4
start = "2025-04"
delivered = { "2025/26" = 0.1 }
rag = "green"

[[service]]
id = "in-base"
status = "in-base"
saving = { levels = { "2025/26" = 0.3 } }
rag = "blue"

[[service]]
id = "choice"
planned = { "2025/26" = 0.1 }

  [[service.option]]
  id = "a"
  name = "Shared service"
  saving = 0.3
  start = "2026-04"
  preferred = true
  rag = "amber"

  [[service.option]]
  id = "b"
  saving = 0.2
  start = "2025/26"
  rag = "red"

[[service]]
id = "deferred"
"#;

/// The shipped tracked scenarios and every kind of line: LibreOffice computes from the
/// workbook (no result stored, and again with a wrong result stored in every formula) every
/// figure of `savings run` and, on the Tracker, of `savings track` and `run --risk-adjusted`.
#[test]
fn libreoffice_computes_a_tracked_plans_figures_from_the_formulas() -> TestResult {
    let Some(work) = libreoffice()? else {
        return Ok(());
    };
    let dir = work.path();
    let every = dir.join("every-line.toml");
    fs::write(&every, EVERY_LINE)?;
    let every = every.display().to_string();
    let plans = [
        ("worked-tracking", TRACKED),
        ("monitoring", MONITORING),
        ("monitoring-q2", MONITORING_Q2),
        ("every-line", every.as_str()),
    ];
    let mut books = Vec::new();
    for (name, file) in plans {
        let book = dir.join(format!("{name}.xlsx"));
        report(&[file], &book)?;
        let stale = dir.join(format!("{name}-stale.xlsx"));
        let (formulas, cached) = store_wrong_results(&book, &stale)?;
        assert!(formulas > 100, "{name}: {formulas} formulas");
        assert_eq!(cached, 0, "{name}: results stored for {cached} formulas");
        books.push(book);
        books.push(stale);
    }
    let paths: Vec<&Path> = books.iter().map(PathBuf::as_path).collect();
    let sheets = recalculate(dir, &paths)?;
    for ((name, file), pair) in plans.iter().zip(sheets.chunks(2)) {
        for (book, which) in pair.iter().zip(["", " with wrong stored results"]) {
            assert_all_figures(&format!("{name}{which}"), book, &[file])?;
        }
    }
    Ok(())
}

/// docs/model.md section 10's worked example, figure by figure, as the workbook computes it.
#[test]
fn the_worked_example_of_tracking_in_the_spreadsheet() -> TestResult {
    let Some(work) = libreoffice()? else {
        return Ok(());
    };
    let dir = work.path();
    let book = dir.join("worked.xlsx");
    report(&[TRACKED], &book)?;
    let sheets = recalculate(dir, &[&book])?;
    let below = below(sheet(&sheets[0], "Tracker")?)?;
    let gap = "The gap in three views";
    for (label, expected) in [
        ("Remaining gap as forecast", [2.4, 2.0, 1.0]),
        ("Remaining gap risk-adjusted", [2.7, 3.0, 2.0]),
        ("Remaining gap as planned", [2.0, 2.0, 1.0]),
        ("Savings at risk", [1.0, 2.0, 2.0]),
    ] {
        let (_, values) = row_of(&below, gap, label)?;
        let got: Vec<f64> = values.values().copied().collect();
        assert_eq!(got.len(), 3, "{label}");
        for (got, expected) in got.iter().zip(expected) {
            assert!(close(*got, expected), "{label}: {got:?} vs {expected:?}");
        }
    }
    // Subtotals of D by status: approved 1.1, 2.5, 2; proposed 0, 3, 3; in-base 0.4 each year.
    for (label, expected) in [
        ("Status approved", [1.1, 2.5, 2.0]),
        ("Status proposed", [0.0, 3.0, 3.0]),
        ("Status in-base", [0.4, 0.4, 0.4]),
    ] {
        let (_, values) = row_of(&below, "By RAG and by status: delivery", label)?;
        for (got, expected) in values.values().zip(expected) {
            assert!(close(*got, expected), "{label}: {got} vs {expected}");
        }
    }
    // Line a: delivery 0.6, 2, 2 against its plan 1, 2, 2 (the Projection's D takes the
    // forecast in every case); risk-adjusted at amber 0.5.
    let projection = projection_figures(sheet(&sheets[0], "Projection")?)?;
    for case in ["low", "central", "high"] {
        for (year, d) in [("2025/26", 0.6), ("2026/27", 2.0), ("2027/28", 2.0)] {
            let key = (
                "a".to_string(),
                year.to_string(),
                "in_year_saving".to_string(),
                case.to_string(),
            );
            assert!(close(projection[&key], d), "{key:?}");
        }
    }
    let tracker = sheet(&sheets[0], "Tracker")?;
    let line = find_row(tracker, |r| r.first().is_some_and(|c| c == "a"))?;
    let at = |block: &str, year: &str| -> Result<f64, Box<dyn Error>> {
        let col = block_col(tracker, block, year)?;
        Ok(tracker[line][col].parse()?)
    };
    for (year, variance, adjusted) in [
        ("2025/26", -0.4, 0.3),
        ("2026/27", 0.0, 1.0),
        ("2027/28", 0.0, 1.0),
    ] {
        assert!(close(at("Variance", year)?, variance), "{year}");
        assert!(close(at("D risk-adjusted", year)?, adjusted), "{year}");
        assert_eq!(at("Forecast", year).is_ok(), year == "2025/26", "{year}");
    }
    assert_eq!(tracker[line][5], "amber");
    Ok(())
}

/// The column of `year` in the Tracker's block whose group title starts with `block`.
fn block_col(rows: &[Vec<String>], block: &str, year: &str) -> Result<usize, Box<dyn Error>> {
    let header = find_row(rows, |r| r.first().is_some_and(|c| c == "Service id"))?;
    let groups = rows.get(header - 1).ok_or("no group titles")?;
    let start = groups
        .iter()
        .position(|c| c.starts_with(block))
        .ok_or(format!("no block {block:?}"))?;
    let offset = rows[header][start..]
        .iter()
        .position(|c| c == year)
        .ok_or(format!("no {year} in {block:?}"))?;
    Ok(start + offset)
}

/// Copies `from` to `to` with cells of the sheet `sheet_name` set: a number, text (an inline
/// string) or, given "", blank. Each cell must be in the sheet already (the Tracker writes its
/// blank inputs).
fn edit_sheet(from: &Path, to: &Path, sheet_name: &str, edits: &[(String, &str)]) -> TestResult {
    let script = r#"
import re, sys, zipfile
source, target, name = sys.argv[1], sys.argv[2], sys.argv[3]
edits = [arg.split("=", 1) for arg in sys.argv[4:]]
with zipfile.ZipFile(source) as book, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
    names = re.findall(r'<sheet name="([^"]+)"', book.read("xl/workbook.xml").decode())
    wanted = "xl/worksheets/sheet%d.xml" % (names.index(name) + 1)
    for item in book.infolist():
        data = book.read(item.filename)
        if item.filename == wanted:
            sheet = data.decode()
            for cell, value in edits:
                found = list(re.finditer(r'<c r="%s"([^>]*?)(?:/>|>.*?</c>)' % cell, sheet, re.S))
                assert len(found) == 1, (cell, len(found))
                m = found[0]
                attributes = re.sub(r' t="[^"]*"', "", m.group(1))
                if value == "":
                    new = '<c r="%s"%s/>' % (cell, attributes)
                elif re.fullmatch(r"-?[0-9.]+", value):
                    new = '<c r="%s"%s><v>%s</v></c>' % (cell, attributes, value)
                else:
                    new = '<c r="%s"%s t="inlineStr"><is><t>%s</t></is></c>' % (cell, attributes, value)
                sheet = sheet[:m.start()] + new + sheet[m.end():]
            data = sheet.encode()
        out.writestr(item, data)
"#;
    let mut args = vec![
        "-c".to_string(),
        script.to_string(),
        from.display().to_string(),
        to.display().to_string(),
        sheet_name.to_string(),
    ];
    args.extend(edits.iter().map(|(cell, value)| format!("{cell}={value}")));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    python(&args)?.ok_or("python3")?;
    Ok(())
}

/// An edit of the Tracker: (line, what, year, value); `what` is a block's group title's start,
/// or "RAG" (no year).
type TrackerEdit<'a> = (&'a str, &'a str, &'a str, &'a str);

/// A case of typing on the Tracker: its name, the scenario reported, the scenario the edited
/// workbook is compared with, the edits, the named cells changed, and the overrides that say
/// the same.
type Typing<'a> = (
    &'a str,
    &'a str,
    &'a str,
    Vec<TrackerEdit<'a>>,
    Vec<(&'a str, &'a str)>,
    Vec<&'a str>,
);

/// The cells of `edits` on the Tracker `rows`, found by their labels.
fn tracker_cells(
    rows: &[Vec<String>],
    edits: &[TrackerEdit],
) -> Result<Vec<(String, String)>, Box<dyn Error>> {
    let header = find_row(rows, |r| r.first().is_some_and(|c| c == "Service id"))?;
    edits
        .iter()
        .map(|(line, what, year, value)| {
            let row = find_row(rows, |r| r.first().is_some_and(|c| c == line))?;
            let col = if *what == "RAG" {
                rows[header]
                    .iter()
                    .position(|c| c == "RAG")
                    .ok_or("no RAG column")?
            } else {
                block_col(rows, what, year)?
            };
            Ok((cell(row, col), value.to_string()))
        })
        .collect()
}

/// Typing on the Tracker (a forecast in a later year, a delivered figure, a forecast cleared, a
/// withdrawn line's delivery, RAG ratings changed on approved, proposed and in-base lines and
/// one cleared, a line delivered this year rated amber, a confidence) moves every figure as the same `--set` overrides (and, for the
/// rating cleared, the scenario without it) move `savings run` and `savings track`.
#[test]
fn typing_on_the_tracker_moves_the_figures_as_the_same_overrides_do() -> TestResult {
    let Some(work) = libreoffice()? else {
        return Ok(());
    };
    let dir = work.path();
    // The monitoring example with day-services not rated: what clearing its RAG cell says.
    let unrated = dir.join("monitoring-unrated.toml");
    let text = fs::read_to_string(MONITORING)?;
    let rated = "forecast = { \"2026/27\" = 0.3 }             # consultation ran late: a slip, later years as planned\nrag = \"amber\"\n";
    assert!(text.contains(rated), "day-services' rating moved");
    fs::write(
        &unrated,
        text.replace(rated, &rated[..rated.find("rag =").unwrap_or(0)]),
    )?;
    let unrated = unrated.display().to_string();
    let cases: [Typing; 2] = [
        (
            "worked",
            TRACKED,
            TRACKED,
            vec![
                ("a", "Forecast", "2026/27", "1.5"),
                ("b", "Delivered", "2025/26", "0.45"),
                ("a", "RAG", "", "red"),
                ("b", "RAG", "", "amber"),
                ("c", "RAG", "", "amber"),
            ],
            vec![("ConfidenceRed", "0.25")],
            vec![
                "service[a].forecast.\"2026/27\"=1.5",
                "service[b].delivered.\"2025/26\"=0.45",
                "service[a].rag=\"red\"",
                "service[b].rag=\"amber\"",
                "service[c].rag=\"amber\"",
                "tracking.confidence.red=0.25",
            ],
        ),
        (
            "monitoring",
            MONITORING,
            &unrated,
            vec![
                ("library-hours", "Delivered", "2026/27", "0.05"),
                ("care-packages", "Forecast", "2027/28", ""),
                ("reablement", "Forecast", "2028/29", "1"),
                ("digital-channels", "RAG", "", "red"),
                ("vacancy-factor", "RAG", "", "red"),
                ("school-transport", "RAG", "", "blue"),
                ("day-services", "RAG", "", ""),
            ],
            vec![("ConfidenceAmber", "0.4")],
            vec![
                "service[library-hours].delivered.\"2026/27\"=0.05",
                "service[care-packages].forecast={\"2026/27\"=0.4}",
                "service[reablement].forecast.\"2028/29\"=1",
                "service[digital-channels].rag=\"red\"",
                "service[vacancy-factor].rag=\"red\"",
                "service[school-transport].rag=\"blue\"",
                "tracking.confidence.amber=0.4",
            ],
        ),
    ];
    for (name, file, compared, edits, parameters, overrides) in cases {
        let original = dir.join(format!("{name}.xlsx"));
        report(&[file], &original)?;
        let books = recalculate(dir, &[&original])?;
        let tracker = sheet(&books[0], "Tracker")?;
        let mut cells = tracker_cells(tracker, &edits)?;
        for (parameter, value) in parameters {
            let row = find_row(tracker, |r| {
                r.get(2)
                    .is_some_and(|c| c.contains(&format!("(name: {parameter})")))
            })?;
            cells.push((cell(row, 1), value.to_string()));
        }
        let edited = dir.join(format!("{name}-edited.xlsx"));
        let cells: Vec<(String, &str)> =
            cells.iter().map(|(c, v)| (c.clone(), v.as_str())).collect();
        edit_sheet(&original, &edited, "Tracker", &cells)?;
        let books = recalculate(dir, &[&edited])?;
        let mut args = vec![compared];
        for set in &overrides {
            args.extend(["--set", set]);
        }
        // Not vacuous: the edits move the figures.
        assert_ne!(figures(&args, "csv"), figures(&[file], "csv"), "{name}");
        assert_all_figures(&format!("{name}, edited"), &books[0], &args)?;
    }
    Ok(())
}

/// A scenario that tracks nothing has no Tracker and none of its names; one that does has
/// both, and the Tracker prints as the other sheets do, its header rows on every page.
#[test]
fn only_a_tracked_scenario_has_a_tracker() -> TestResult {
    let folder = tempfile::tempdir()?;
    for (name, file, tracked) in [
        ("kent", "scenarios/kcc-2014-phase1.toml", false),
        ("plan", "scenarios/worked-example-plan.toml", false),
        ("tracked", TRACKED, true),
    ] {
        let book = folder.path().join(format!("{name}.xlsx"));
        report(&[file], &book)?;
        let Some(settings) = print_settings(&book)? else {
            return Ok(());
        };
        let sheets: Vec<&String> = settings.as_object().ok_or("sheets")?.keys().collect();
        assert_eq!(
            sheets.iter().any(|s| *s == "Tracker"),
            tracked,
            "{name}: {sheets:?}"
        );
        let bytes = fs::read(&book)?;
        let workbook = python(&[
            "-c",
            "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read('xl/workbook.xml').decode())",
            &book.display().to_string(),
        ])?
        .ok_or("python3")?;
        assert_eq!(workbook.contains("ConfidenceAmber"), tracked, "{name}");
        assert!(!bytes.is_empty());
        if tracked {
            let order: Vec<&str> = workbook
                .split("<sheet name=\"")
                .skip(1)
                .filter_map(|s| s.split('"').next())
                .collect();
            assert_eq!(
                order,
                ["Summary", "Inputs", "Projection", "Tracker", "Sources"]
            );
            let tracker = &settings["Tracker"];
            assert_eq!(tracker["repeat_rows"], "$1:$8", "{tracker}");
            assert_eq!(tracker["page_setup"]["orientation"], "landscape");
        }
    }
    Ok(())
}
