//! Delivery tracking (docs/model.md section 10): the worked example, figure by figure, in
//! every view; `run --risk-adjusted`; the JSON against the schema; and every command taking a
//! tracked scenario (the spreadsheet's Tracker is tested in `report_tracker.rs`).

use crate::support::*;

const TRACKED: &str = "scenarios/worked-example-tracking.toml";
const PLAN: &str = "scenarios/worked-example-plan.toml";

/// `(service, measure) -> [value per year]`, central case, from the long-form CSV.
fn central(args: &[&str], service: &str, measure: &str) -> Vec<String> {
    let output = run(args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let values = csv_values(&stdout(&output));
    ["2025/26", "2026/27", "2027/28"]
        .iter()
        .map(|year| {
            let option = if service == "total" { "" } else { service };
            values
                .get(&(
                    service.to_string(),
                    option.to_string(),
                    year.to_string(),
                    measure.to_string(),
                    "central".to_string(),
                ))
                .cloned()
                .unwrap_or_else(|| panic!("no {service} {measure} {year}"))
        })
        .collect()
}

/// A JSON series `[{ "year", "value" }]` as its values.
fn values(series: &serde_json::Value) -> Vec<String> {
    series
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| v["value"].as_str().unwrap_or("?").to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_worked_example_of_section_10_as_forecast() {
    let csv = ["run", TRACKED, "--format", "csv"];
    // D per line: a forecast 0.6 this year, then as planned; b, c and d as planned.
    assert_eq!(central(&csv, "a", "in_year_saving"), ["0.6", "2", "2"]);
    assert_eq!(central(&csv, "b", "in_year_saving"), ["0.5", "0.5", "0"]);
    assert_eq!(central(&csv, "c", "in_year_saving"), ["0", "3", "3"]);
    assert_eq!(central(&csv, "d", "in_year_saving"), ["0.4", "0.4", "0.4"]);
    // LP stays the plan.
    assert_eq!(central(&csv, "a", "planned_to_date"), ["1", "2", "2"]);
    assert_eq!(central(&csv, "b", "planned_to_date"), ["0.5", "0.5", "0"]);
    // N total, LG, R.
    assert_eq!(central(&csv, "total", "contribution"), ["-0.4", "3", "3"]);
    assert_eq!(central(&csv, "total", "gap_to_date"), ["2", "5", "4"]);
    assert_eq!(central(&csv, "total", "remaining_gap"), ["2.4", "2", "1"]);
    // Every case alike: the forecast is not a range.
    let low = csv_values(&stdout(&run(&csv)));
    assert_eq!(
        low[&(
            "a".into(),
            "a".into(),
            "2025/26".into(),
            "in_year_saving".into(),
            "low".into()
        )],
        "0.6"
    );

    let document = json(&["run", TRACKED, "--format", "json"]);
    // No year closed.
    assert_eq!(
        document["summary"]["central"]["closed_years"],
        serde_json::json!([])
    );
    // Subtotals of D by status.
    let by_status = document["subtotals"]["by_status"].as_array().cloned();
    let subtotal = |status: &str| {
        by_status
            .iter()
            .flatten()
            .find(|s| s["key"] == status)
            .map(|s| values(&s["in_year_saving"]["central"]))
            .unwrap_or_default()
    };
    assert_eq!(subtotal("approved"), ["1.1", "2.5", "2"]);
    assert_eq!(subtotal("proposed"), ["0", "3", "3"]);
    assert_eq!(subtotal("in-base"), ["0.4", "0.4", "0.4"]);
    // The views, savings at risk and variance.
    let tracking = &document["tracking"];
    assert_eq!(tracking["as_at"], "2025-12");
    assert_eq!(tracking["current_year"], "2025/26");
    assert_eq!(tracking["delivery"], "forecast");
    assert_eq!(
        values(&tracking["remaining_gap"]["forecast"]),
        ["2.4", "2", "1"]
    );
    assert_eq!(
        values(&tracking["remaining_gap"]["risk_adjusted"]),
        ["2.7", "3", "2"]
    );
    assert_eq!(
        values(&tracking["remaining_gap"]["planned"]),
        ["2", "2", "1"]
    );
    assert_eq!(values(&tracking["savings_at_risk"]), ["1", "2", "2"]);
    assert_eq!(
        values(&tracking["lines"][0]["variance"]),
        ["-0.4", "0", "0"]
    );
    assert_eq!(tracking["lines"][0]["rag"], "amber");
    assert_eq!(tracking["lines"][1]["rag"], "green");
}

#[test]
fn the_worked_example_risk_adjusted_and_as_planned() {
    let risk = ["run", TRACKED, "--risk-adjusted", "--format", "csv"];
    // a: amber 0.5 x (0.6, 2, 2); b green counts in full.
    assert_eq!(central(&risk, "a", "in_year_saving"), ["0.3", "1", "1"]);
    assert_eq!(central(&risk, "b", "in_year_saving"), ["0.5", "0.5", "0"]);
    assert_eq!(central(&risk, "total", "contribution"), ["-0.7", "2", "2"]);
    assert_eq!(central(&risk, "total", "remaining_gap"), ["2.7", "3", "2"]);
    // The plan does not move.
    assert_eq!(central(&risk, "a", "planned_to_date"), ["1", "2", "2"]);
    // As planned: the plan without tracking gives N = 0, 3, 3 and R = 2, 2, 1.
    let planned = ["run", PLAN, "--format", "csv"];
    assert_eq!(central(&planned, "total", "contribution"), ["0", "3", "3"]);
    assert_eq!(central(&planned, "total", "remaining_gap"), ["2", "2", "1"]);
    let document = json(&["run", TRACKED, "--risk-adjusted", "--format", "json"]);
    assert_eq!(document["tracking"]["delivery"], "risk-adjusted");
    assert_eq!(
        values(&document["tracking"]["in_year_saving"]["planned"]),
        ["1.9", "5.9", "5.4"]
    );
}

#[test]
fn delivered_counts_in_full_and_confidence_is_the_scenarios() {
    // Delivered this year is not risk-adjusted; later years are, at the scenario's amber.
    let args = [
        "run",
        TRACKED,
        "--set",
        "service[a].forecast={}",
        "--set",
        "service[a].delivered.\"2025/26\"=0.8",
        "--set",
        "tracking.confidence.amber=0.25",
        "--risk-adjusted",
        "--format",
        "csv",
    ];
    assert_eq!(central(&args, "a", "in_year_saving"), ["0.8", "0.5", "0.5"]);
    // A withdrawn line delivers what it delivered before it stopped; red counts nothing else.
    let args = [
        "run",
        TRACKED,
        "--set",
        "service[b].status=\"withdrawn\"",
        "--set",
        "service[b].delivered.\"2025/26\"=0.2",
        "--set",
        "service[b].rag=\"red\"",
        "--format",
        "csv",
    ];
    assert_eq!(central(&args, "b", "in_year_saving"), ["0.2", "0", "0"]);
    assert_eq!(central(&args, "b", "contribution"), ["-0.3", "-0.5", "0"]);
    let mut risk = args.to_vec();
    risk.insert(risk.len() - 2, "--risk-adjusted");
    assert_eq!(central(&risk, "b", "in_year_saving"), ["0.2", "0", "0"]);
    // A rated proposed line is adjusted risk-adjusted, and its plan is at risk.
    let document = json(&[
        "run",
        TRACKED,
        "--set",
        "service[c].rag=\"red\"",
        "--risk-adjusted",
        "--format",
        "json",
    ]);
    assert_eq!(
        values(&document["tracking"]["savings_at_risk"]),
        ["1", "5", "5"]
    );
    assert_eq!(
        values(&document["tracking"]["remaining_gap"]["risk_adjusted"]),
        ["2.7", "6", "5"]
    );
}

#[test]
fn the_table_and_markdown_show_the_tracking() {
    for format in ["table", "markdown"] {
        let text = stdout(&run(&["run", TRACKED, "--format", format]));
        for expected in [
            "as at 2025-12 (current year 2025/26)",
            "Delivery tracked",
            "2025/26: 0.6",
            "amber",
            "Remaining gap by view of delivery",
            "Savings at risk",
        ] {
            assert!(text.contains(expected), "{format}: {expected}\n{text}");
        }
    }
    let risk = stdout(&run(&["run", TRACKED, "--risk-adjusted"]));
    assert!(
        risk.contains("Risk-adjusted: every figure counts"),
        "{risk}"
    );
    // A plan without tracking reads as before.
    let plain = stdout(&run(&["run", PLAN]));
    assert!(!plain.contains("as at") && !plain.contains("Delivery tracked"));
}

#[test]
fn tracking_documents_follow_the_published_schema() -> Result<(), String> {
    let schema: serde_json::Value =
        serde_json::from_slice(&run(&["schema"]).stdout).map_err(|e| e.to_string())?;
    let validator = jsonschema::validator_for(&schema).map_err(|e| e.to_string())?;
    let documents = [
        json(&["run", TRACKED, "--format", "json"]),
        json(&["run", TRACKED, "--risk-adjusted", "--format", "json"]),
        json(&["run", PLAN, "--format", "json"]),
    ];
    for document in &documents {
        let errors: Vec<String> = validator
            .iter_errors(document)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
    }
    assert!(documents[2].get("tracking").is_none());
    // Not vacuous: a rating that is not one is refused.
    let mut bad = documents[0].clone();
    bad["tracking"]["lines"][0]["rag"] = serde_json::json!("purple");
    assert!(!validator.is_valid(&bad));
    Ok(())
}

/// No command refuses tracking: the spreadsheet report holds it in its Tracker sheet (its
/// figures are tested in `report_tracker.rs`).
#[test]
fn the_spreadsheet_report_takes_tracking() -> TestResult {
    let folder = tempfile::tempdir()?;
    let book = folder.path().join("tracked.xlsx");
    let book_text = book.display().to_string();
    let args = [
        "report", TRACKED, "--format", "xlsx", "--output", &book_text,
    ];
    let output = run(&args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}: {}",
        stderr(&output)
    );
    assert!(output.stdout.is_empty(), "{args:?}");
    assert!(std::fs::read(&book)?.starts_with(b"PK\x03\x04"));
    // Commands that count it.
    for args in [
        vec!["check", TRACKED],
        vec!["options", TRACKED],
        vec!["compare", PLAN, TRACKED],
    ] {
        assert_eq!(run(&args).status.code(), Some(0), "{args:?}");
    }
    Ok(())
}

/// sweep and solve count tracked delivery: line a's forecast of 0.6 in 2025/26 stays whatever
/// factor its saving takes (its plan stays too, docs/model.md 9.4), so at factor 2 it delivers
/// 0.6, 4, 4 against a plan of 1, 2, 2: R = 2.4, 0, -1. No factor closes 2025/26; c's saving
/// closes 2026/27 at 5/3 (R = 2 needs 3k - 3 more).
#[test]
fn sweep_and_solve_count_tracked_delivery() {
    let output = run(&[
        "sweep",
        TRACKED,
        "--vary",
        "service[a].saving.factor=2",
        "--format",
        "csv",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    for (year, r) in [("2025/26", "2.4"), ("2026/27", "0"), ("2027/28", "-1")] {
        let row = format!(
            "2,\"worked example of a plan, tracked\",total,,{year},remaining_gap,central,{r}\n"
        );
        assert!(text.contains(&row), "{row}\n{text}");
    }
    let output = run(&[
        "solve",
        TRACKED,
        "--target",
        "gap-closed=2025/26",
        "--vary",
        "service[a].saving.factor",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stdout(&output).contains("no value reaches gap-closed=2025/26"));
    let output = run(&[
        "solve",
        TRACKED,
        "--target",
        "gap-closed=2026/27",
        "--vary",
        "service[c].saving.factor",
        "--format",
        "csv",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output)
            .lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("1.666666666667,"))
    );
}

/// The Markdown report shows the tracked lines and the three views of the remaining gap, as
/// `run` does: as planned 2, 2, 1; as forecast 2.4, 2, 1; risk-adjusted 2.7, 3, 2; savings at
/// risk 1, 2, 2 (docs/model.md section 10, the worked example).
#[test]
fn the_report_shows_tracked_delivery() {
    let output = run(&["report", TRACKED, "--format", "md"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("| a | approved | amber | - | 2025/26: 0.6 |"),
        "{text}"
    );
    for row in [
        "| 2025/26 | 2.0 | 2.4 | 2.7 | 1.0 |",
        "| 2026/27 | 2.0 | 2.0 | 3.0 | 2.0 |",
        "| 2027/28 | 1.0 | 1.0 | 2.0 | 2.0 |",
    ] {
        assert!(text.contains(row), "{row}\n{text}");
    }
}

/// Sensitivity counts tracked delivery: a year a line has recorded stays whatever its saving,
/// so it has no switching value there. Line a (forecast 0.6 in 2025/26) closes 2026/27 at
/// 1 + R / D = 1 + 2 / 2 = 2 x its profile and 2027/28 at 1 + 1 / 2 = 1.5; b closes 2025/26
/// at 1 + 2.4 / 0.5 = 5.8.
#[test]
fn sensitivity_counts_tracked_delivery() {
    let output = run(&["sensitivity", TRACKED, "--format", "csv"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let switch = |line: &str, year: &str, value: &str| {
        format!(
            "service[{line}].saving,profile,switch,gap-closed={year},switching_value,{year},{value}\n"
        )
    };
    for row in [
        switch("a", "2026/27", "2"),
        switch("a", "2027/28", "1.5"),
        switch("b", "2025/26", "5.8"),
    ] {
        assert!(text.contains(&row), "{row}\n{text}");
    }
    assert!(
        !text.contains("service[a].saving,profile,switch,gap-closed=2025/26"),
        "{text}"
    );
    // a's recorded 0.6 misses its plan of 1 in 2025/26 whatever its saving: no factor makes
    // it meet its plan. Forecast 1.2 instead and it meets it from a factor of 1 (2026/27:
    // 2k >= 2).
    assert!(!text.contains("meets-plan=a"), "{text}");
    let output = run(&[
        "sensitivity",
        TRACKED,
        "--format",
        "csv",
        "--set",
        "service[a].forecast.\"2025/26\"=1.2",
    ]);
    let text = stdout(&output);
    assert!(
        text.contains("service[a].saving,profile,switch,meets-plan=a,switching_value,,1\n"),
        "{text}"
    );
}
