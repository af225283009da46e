//! The council-layout cases of `savings import` (issue 17), in `tests/data/import/<case>/`:
//! spreadsheets laid out as councils lay out their savings appendices and trackers, each with
//! the scenario it must give. A case folder holds
//!
//! - `input.xlsx`, `input.csv` or `input.ods` (an xlsx case may have an `input.ods` twin, the
//!   same workbook converted by LibreOffice: both must import alike), written by
//!   `cargo run --example import_fixtures` (tests/data/import/README.md);
//! - `args`: the flags after the file, one argument per line (empty: none);
//! - `expected.toml`: the scenario the sheet means, written by hand from what the sheet says,
//!   each figure with a comment naming its cell;
//! - `expected.stderr` (optional): the warnings the import must print, exactly (the file
//!   named `input.xlsx`; an ods twin's warnings are compared with its name put back). Without
//!   it, the import must print nothing on standard error.
//!
//! For each input, `savings import input.* ARGS --output TMP` must exit 0 and write a
//! scenario that `savings check` loads, and that means the same as `expected.toml`: `savings
//! run --format csv` equal row for row but for the scenario's name; `savings options --format
//! json` equal in the scenario's base year, horizon and unit and every option's ids, names,
//! area and status; each `[[service]]` equal in id, name, area, status, rag, `as_at`,
//! `delivered`, `forecast` and `source` (the cells it was read from); and where the scenario
//! is tracked (`as_at`), `savings track --format json` equal in its lines, totals by RAG and
//! status and savings at risk. How the expected scenario writes its amounts (levels or
//! increments, the order of its fields) is free: only what they mean is compared.
//!
//! A case in [`KNOWN_FAILURES`] shows something the import does not yet do as the sheet
//! means: it must still fail (so that, once the import is fixed, the entry has to go).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::Value as Json;
use toml::Value as Toml;

use super::support::{TestResult, run, stderr, stdout};

const FOLDER: &str = "tests/data/import";

/// Cases the import does not yet read as the sheet means, each with why. Each must fail; a
/// case that passes must be taken off this list.
const KNOWN_FAILURES: &[(&str, &str)] = &[];

/// The files a case folder may hold.
const CASE_FILES: &[&str] = &[
    "input.xlsx",
    "input.ods",
    "input.csv",
    "args",
    "expected.toml",
    "expected.stderr",
];

#[test]
fn every_council_layout_imports_as_the_scenario_it_means() -> TestResult {
    let mut cases: Vec<String> = fs::read_dir(FOLDER)?
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    // The folder cannot quietly empty: a test of nothing would pass.
    assert!(cases.len() >= 12, "only {} cases in {FOLDER}", cases.len());
    for (known, _) in KNOWN_FAILURES {
        assert!(
            cases.iter().any(|c| c == known),
            "KNOWN_FAILURES names {known}, which is not a case in {FOLDER}"
        );
    }
    let mut failures = Vec::new();
    let mut inputs_run = 0;
    for case in &cases {
        let folder = Path::new(FOLDER).join(case);
        let mut problems = Vec::new();
        for entry in fs::read_dir(&folder)? {
            let name = entry?.file_name().to_string_lossy().into_owned();
            if !CASE_FILES.contains(&name.as_str()) {
                problems.push(format!("{name}: not a file a case holds"));
            }
        }
        for required in ["args", "expected.toml"] {
            if !folder.join(required).exists() {
                problems.push(format!("no {required}"));
            }
        }
        let inputs: Vec<&str> = ["input.xlsx", "input.ods", "input.csv"]
            .into_iter()
            .filter(|name| folder.join(name).exists())
            .collect();
        if inputs.is_empty() {
            problems.push("no input.xlsx, input.ods or input.csv".to_string());
        }
        if problems.is_empty() {
            for input in &inputs {
                inputs_run += 1;
                if let Err(error) = check_input(case, input, &mut problems) {
                    problems.push(format!("{input}: {error}"));
                }
            }
        }
        let known = KNOWN_FAILURES.iter().find(|(c, _)| c == case);
        match (known, problems.is_empty()) {
            (None, true) | (Some(_), false) => {}
            (None, false) => {
                for problem in problems {
                    failures.push(format!("{FOLDER}/{case}: {problem}"));
                }
            }
            (Some(_), true) => failures.push(format!(
                "{FOLDER}/{case}: now imports as expected: take it off KNOWN_FAILURES in tests/cli/import_cases.rs"
            )),
        }
    }
    assert!(inputs_run >= 20, "only {inputs_run} inputs imported");
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    Ok(())
}

/// The arguments in a case's `args` file: one a line; blank lines are none.
fn read_args(path: &Path) -> std::io::Result<Vec<String>> {
    Ok(fs::read_to_string(path)?
        .lines()
        .filter(|line| !line.is_empty())
        .map(str::to_string)
        .collect())
}

/// Imports one input of a case and compares what it means with `expected.toml`, adding a line
/// to `problems` for each difference.
fn check_input(case: &str, input: &str, problems: &mut Vec<String>) -> TestResult {
    let folder = format!("{FOLDER}/{case}");
    let path = format!("{folder}/{input}");
    let expected_path = format!("{folder}/expected.toml");
    let mut args = vec!["import".to_string(), path.clone()];
    args.extend(read_args(Path::new(&folder).join("args").as_path())?);
    let dir = tempfile::tempdir()?;
    let written = dir.path().join("imported.toml");
    let written_str = written.to_str().ok_or("a temporary path in UTF-8")?;
    args.extend(["--output".to_string(), written_str.to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = run(&args);
    let mut problem = |what: String| problems.push(format!("{input}: {what}"));
    if output.status.code() != Some(0) {
        problem(format!(
            "savings {} exited {:?}:\n{}",
            args.join(" "),
            output.status.code(),
            stderr(&output)
        ));
        return Ok(());
    }
    if !stdout(&output).is_empty() {
        problem(format!(
            "printed on standard output (the scenario goes to --output):\n{}",
            stdout(&output)
        ));
    }
    // The warnings, with an ods twin named as its xlsx.
    let own_name = |text: &str| text.replace(&path, &format!("{folder}/input.xlsx"));
    let warnings = if input == "input.ods" {
        own_name(&stderr(&output))
    } else {
        stderr(&output)
    };
    let expected_warnings =
        fs::read_to_string(format!("{folder}/expected.stderr")).unwrap_or_default();
    if warnings != expected_warnings {
        problem(format!(
            "standard error differs from expected.stderr:\n--- expected\n{expected_warnings}--- got\n{warnings}"
        ));
    }

    // The scenario loads.
    let check = run(&["check", written_str]);
    if check.status.code() != Some(0) {
        problem(format!(
            "savings check refuses the scenario written:\n{}\n{}",
            stderr(&check),
            fs::read_to_string(&written).unwrap_or_default()
        ));
        return Ok(());
    }
    // Its only warnings are the gaps the import leaves to do (TODO(import) comments).
    let check_warnings = stderr(&check);
    let other_warnings: Vec<&str> = check_warnings
        .lines()
        .filter(|l| l.starts_with("warning:") && !l.contains("left to do after savings import"))
        .collect();
    if !other_warnings.is_empty() {
        problem(format!(
            "savings check warns about the scenario written:\n{check_warnings}"
        ));
    }
    let check = run(&["check", &expected_path]);
    if check.status.code() != Some(0) || !stderr(&check).is_empty() {
        problem(format!(
            "expected.toml does not load cleanly:\n{}",
            stderr(&check)
        ));
        return Ok(());
    }

    // The projection, row for row but for the scenario's name.
    let got = csv_rows(written_str)?;
    let want = csv_rows(&expected_path)?;
    if got != want {
        let first = got
            .iter()
            .zip(&want)
            .position(|(g, w)| g != w)
            .unwrap_or(got.len().min(want.len()));
        problem(format!(
            "savings run --format csv differs ({} rows against {}); first at row {}: got {:?}, expected {:?}",
            got.len(),
            want.len(),
            first + 1,
            got.get(first),
            want.get(first)
        ));
    }

    // The options: ids, names, areas, statuses; the scenario's frame.
    let got = options(written_str)?;
    let want = options(&expected_path)?;
    if got != want {
        problem(format!(
            "savings options --format json differs:\n  got      {got:?}\n  expected {want:?}"
        ));
    }

    // Each line's fields as written, `source` naming its cells.
    let written_text = fs::read_to_string(&written)?;
    let got_text = if input == "input.ods" {
        written_text.replace("input.ods, ", "input.xlsx, ")
    } else {
        written_text
    };
    let got = lines(&got_text)?;
    let want = lines(&fs::read_to_string(&expected_path)?)?;
    if got.len() != want.len() {
        problem(format!(
            "{} lines imported, {} expected: {:?}",
            got.len(),
            want.len(),
            got.iter().map(|l| l.get("id")).collect::<Vec<_>>()
        ));
    }
    for (g, w) in got.iter().zip(&want) {
        if g != w {
            problem(format!(
                "a line differs:\n  got      {g:?}\n  expected {w:?}"
            ));
        }
    }

    // A tracked plan: the monitoring report.
    if got_text.contains("\nas_at = ") {
        let got = tracked(written_str)?;
        let want = tracked(&expected_path)?;
        if got != want {
            problem(format!(
                "savings track --format json differs:\n  got      {got}\n  expected {want}"
            ));
        }
    }
    Ok(())
}

/// `savings run --format csv`, each row without its first column (the scenario's name).
fn csv_rows(scenario: &str) -> Result<Vec<Vec<String>>, Box<dyn std::error::Error>> {
    let output = run(&["run", scenario, "--format", "csv"]);
    if output.status.code() != Some(0) {
        return Err(format!("savings run {scenario}: {}", stderr(&output)).into());
    }
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    let mut rows = Vec::new();
    for record in reader.records() {
        rows.push(record?.iter().skip(1).map(str::to_string).collect());
    }
    Ok(rows)
}

/// What `savings options --format json` says of the scenario's frame and of each option.
fn options(scenario: &str) -> Result<Json, Box<dyn std::error::Error>> {
    let output = run(&["options", scenario, "--format", "json"]);
    if output.status.code() != Some(0) {
        return Err(format!("savings options {scenario}: {}", stderr(&output)).into());
    }
    let json: Json = serde_json::from_slice(&output.stdout)?;
    let frame: Vec<Json> = ["base_year", "horizon", "unit"]
        .iter()
        .map(|k| json["scenario"][k].clone())
        .collect();
    let options: Vec<Json> = json["options"]
        .as_array()
        .ok_or("options is a list")?
        .iter()
        .map(|o| {
            Json::Array(
                [
                    "service",
                    "service_name",
                    "option",
                    "option_name",
                    "area",
                    "status",
                ]
                .iter()
                .map(|k| o[k].clone())
                .collect(),
            )
        })
        .collect();
    Ok(Json::Array(vec![Json::Array(frame), Json::Array(options)]))
}

/// A figure in TOML as an exact decimal, so `1250`, `1250.0` and `1.25e3` are alike.
fn decimal(value: &Toml) -> Option<Decimal> {
    match value {
        Toml::Integer(i) => Some(Decimal::from(*i)),
        Toml::Float(f) => Decimal::from_str(&f.to_string()).ok(),
        _ => None,
    }
    .map(|d| d.normalize())
}

/// Each `[[service]]` of a scenario's text, as the fields compared: id, name, area, status,
/// rag, source, delivered and forecast (figures as decimals); and the scenario's `as_at` on
/// every line, so that it is compared too.
fn lines(text: &str) -> Result<Vec<BTreeMap<String, String>>, Box<dyn std::error::Error>> {
    let scenario: Toml = toml::from_str(text)?;
    let as_at = scenario
        .get("scenario")
        .and_then(|s| s.get("as_at"))
        .and_then(Toml::as_str)
        .map(str::to_string);
    let services = scenario
        .get("service")
        .and_then(Toml::as_array)
        .cloned()
        .unwrap_or_default();
    let mut lines = Vec::new();
    for service in &services {
        let mut line = BTreeMap::new();
        for field in ["id", "name", "area", "status", "rag", "source"] {
            if let Some(value) = service.get(field).and_then(Toml::as_str) {
                line.insert(field.to_string(), value.to_string());
            }
        }
        for field in ["delivered", "forecast"] {
            if let Some(table) = service.get(field).and_then(Toml::as_table) {
                let figures: Vec<String> = table
                    .iter()
                    .map(|(year, v)| {
                        format!(
                            "{year} = {}",
                            decimal(v).map_or_else(|| format!("{v:?}"), |d| d.to_string())
                        )
                    })
                    .collect();
                line.insert(field.to_string(), figures.join(", "));
            }
        }
        if let Some(as_at) = &as_at {
            line.insert("as_at".to_string(), as_at.clone());
        }
        lines.push(line);
    }
    Ok(lines)
}

/// `savings track --format json`: its lines, totals by RAG and status, savings at risk.
fn tracked(scenario: &str) -> Result<Json, Box<dyn std::error::Error>> {
    let output = run(&["track", scenario, "--format", "json"]);
    if output.status.code() != Some(0) {
        return Err(format!("savings track {scenario}: {}", stderr(&output)).into());
    }
    let json: Json = serde_json::from_slice(&output.stdout)?;
    Ok(Json::Array(
        [
            "as_at",
            "current_year",
            "lines",
            "by_rag",
            "by_status",
            "savings_at_risk",
        ]
        .iter()
        .map(|k| json[k].clone())
        .collect(),
    ))
}
