//! `savings track`, the monitoring report (docs/model.md section 10): the worked example of
//! section 10 figure by figure; the shipped monitoring example and its quarter-2 report
//! (`--since`), worked by hand; `--check-delivery`'s exit codes; every format; the schema; a
//! scenario without `as_at` refused.

use std::collections::BTreeMap;

use crate::support::*;

const TRACKED: &str = "scenarios/worked-example-tracking.toml";
const Q1: &str = "scenarios/monitoring-example.toml";
const Q2: &str = "scenarios/monitoring-example-q2.toml";

/// The track CSV's rows as `(as_at, area, line, status, rag, year, measure) -> value`, its
/// header checked.
fn track_csv(args: &[&str]) -> BTreeMap<[String; 7], String> {
    let output = run(args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map(|h| h.iter().map(str::to_string).collect())
        .unwrap_or_default();
    assert_eq!(
        header,
        [
            "scenario", "as_at", "area", "line", "option", "status", "rag", "year", "measure",
            "value"
        ]
    );
    let mut rows = BTreeMap::new();
    for record in reader.records() {
        let r = record.unwrap_or_else(|e| panic!("bad CSV: {e}"));
        let key = [1, 2, 3, 5, 6, 7, 8].map(|i| r[i].to_string());
        let value = r[9].to_string();
        assert!(
            rows.insert(key.clone(), value).is_none(),
            "two rows for {key:?}"
        );
    }
    rows
}

/// One value of [`track_csv`]'s rows.
fn value<'a>(rows: &'a BTreeMap<[String; 7], String>, key: [&str; 7]) -> &'a str {
    rows.get(&key.map(str::to_string))
        .map_or_else(|| panic!("no row {key:?}"), String::as_str)
}

/// A JSON series `[{ "year", "value" }]` as its values.
fn values(series: &serde_json::Value) -> Vec<&str> {
    series
        .as_array()
        .map(|a| {
            a.iter()
                .map(|v| v["value"].as_str().unwrap_or("?"))
                .collect()
        })
        .unwrap_or_default()
}

/// The entry of a JSON array whose `field` is `key`.
fn entry<'a>(array: &'a serde_json::Value, field: &str, key: &str) -> &'a serde_json::Value {
    array
        .as_array()
        .and_then(|a| a.iter().find(|e| e[field] == key))
        .unwrap_or_else(|| panic!("no {field} = {key}"))
}

#[test]
fn the_worked_example_of_section_10_through_track() {
    let document = json(&["track", TRACKED, "--format", "json"]);
    assert_eq!(document["kind"], "track");
    assert_eq!(document["as_at"], "2025-12");
    assert_eq!(document["current_year"], "2025/26");
    let lines = &document["lines"];
    // Per line in 2025/26: the plan, the delivery and where it comes from, variance, RAG.
    let a = entry(lines, "service", "a");
    assert_eq!(
        [
            &a["plan"],
            &a["delivery"],
            &a["from"],
            &a["variance"],
            &a["rag"]
        ],
        ["1", "0.6", "forecast", "-0.4", "amber"]
    );
    let b = entry(lines, "service", "b");
    assert_eq!(
        [
            &b["plan"],
            &b["delivery"],
            &b["from"],
            &b["variance"],
            &b["rag"]
        ],
        ["0.5", "0.5", "as planned", "0", "green"]
    );
    // c is proposed (no plan of its own, nothing this year, no variance); d is in-base.
    let c = entry(lines, "service", "c");
    assert_eq!([&c["plan"], &c["delivery"]], ["0", "0"]);
    assert!(c["variance"].is_null() && c["rag"].is_null());
    let d = entry(lines, "service", "d");
    assert_eq!(
        [&d["plan"], &d["delivery"], &d["status"]],
        ["0.4", "0.4", "in-base"]
    );
    assert!(d["variance"].is_null());
    // The current year's plan of the approved lines a and b is 1.5; delivery 1.1.
    let approved = entry(&document["by_status"], "key", "approved");
    assert_eq!(
        [
            &approved["plan"],
            &approved["delivery"],
            &approved["variance"]
        ],
        ["1.5", "1.1", "-0.4"]
    );
    assert_eq!(approved["lines"], 2);
    let amber = entry(&document["by_rag"], "key", "amber");
    assert_eq!([&amber["plan"], &amber["delivery"]], ["1", "0.6"]);
    let total = &document["total"];
    assert_eq!(
        [&total["plan"], &total["delivery"], &total["variance"]],
        ["1.9", "1.5", "-0.4"]
    );
    // Savings at risk 1, 2, 2; the remaining gap in the three views.
    assert_eq!(values(&document["savings_at_risk"]), ["1", "2", "2"]);
    let gap = &document["remaining_gap"];
    assert_eq!(values(&gap["planned"]), ["2", "2", "1"]);
    assert_eq!(values(&gap["forecast"]), ["2.4", "2", "1"]);
    assert_eq!(values(&gap["risk_adjusted"]), ["2.7", "3", "2"]);
    assert!(document["since"].is_null());

    // The CSV carries the same figures.
    let rows = track_csv(&["track", TRACKED, "--format", "csv"]);
    let at = "2025-12";
    let row = |line: &str, status: &str, rag: &str, year: &str, measure: &str| {
        value(&rows, [at, "", line, status, rag, year, measure]).to_string()
    };
    assert_eq!(row("a", "approved", "amber", "2025/26", "plan"), "1");
    assert_eq!(row("a", "approved", "amber", "2025/26", "delivery"), "0.6");
    assert_eq!(row("a", "approved", "amber", "2025/26", "forecast"), "0.6");
    assert_eq!(row("a", "approved", "amber", "2025/26", "variance"), "-0.4");
    assert_eq!(row("total", "approved", "", "2025/26", "plan"), "1.5");
    assert_eq!(row("total", "", "amber", "2025/26", "plan"), "1");
    assert_eq!(row("total", "", "", "2025/26", "lines"), "4");
    for (year, risk, planned, forecast, adjusted) in [
        ("2025/26", "1", "2", "2.4", "2.7"),
        ("2026/27", "2", "2", "2", "3"),
        ("2027/28", "2", "1", "1", "2"),
    ] {
        assert_eq!(row("total", "", "", year, "savings_at_risk"), risk);
        assert_eq!(row("total", "", "", year, "remaining_gap_planned"), planned);
        assert_eq!(
            row("total", "", "", year, "remaining_gap_forecast"),
            forecast
        );
        assert_eq!(
            row("total", "", "", year, "remaining_gap_risk_adjusted"),
            adjusted
        );
    }
}

#[test]
fn the_monitoring_example_worked_by_hand() {
    // Quarter 1, 2026/27: the gap to date 62.4 - (38.5 + 19.6) - 0.8 = 3.5.
    let document = json(&["track", Q1, "--format", "json"]);
    // Areas in the order first named, the line without an area last.
    let areas: Vec<serde_json::Value> = document["by_area"]
        .as_array()
        .map(|a| a.iter().map(|e| e["key"].clone()).collect())
        .unwrap_or_default();
    assert_eq!(
        serde_json::Value::Array(areas),
        serde_json::json!([
            "Adults and Health",
            "Children's Services",
            "Place",
            "Resources",
            null
        ])
    );
    let last = document["lines"]
        .as_array()
        .and_then(|a| a.last())
        .map(|l| l["service"].clone());
    assert_eq!(last, Some("vacancy-factor".into()));
    // As planned: only the withdrawn library hours (plan 0.1) move the gap: R = 3.6.
    // As forecast: variances -0.2 (day services), -0.6 (care), -0.2 (transport), +0.1
    // (parking), -0.1 (library): R = 3.5 + 1 = 4.5.
    // Risk-adjusted (amber 0.5, red 0.25 in this file): day services 0.15 (-0.35), care 0.1
    // (-0.9), transport 0.1 (-0.3), parking +0.1, library -0.1: R = 3.5 + 1.55 = 5.05.
    let gap = &document["remaining_gap"];
    assert_eq!(values(&gap["planned"])[0], "3.6");
    assert_eq!(values(&gap["forecast"])[0], "4.5");
    assert_eq!(values(&gap["risk_adjusted"])[0], "5.05");
    // At risk: the plans of day services 0.5, care 1, transport 0.4 and offices 0.
    assert_eq!(values(&document["savings_at_risk"])[0], "1.9");
    let withdrawn = entry(&document["lines"], "service", "library-hours");
    assert_eq!(
        [
            &withdrawn["plan"],
            &withdrawn["delivery"],
            &withdrawn["from"],
            &withdrawn["variance"]
        ],
        ["0.1", "0", "withdrawn", "-0.1"]
    );
}

#[test]
fn since_gives_the_movement_line_by_line_worked_by_hand() {
    let document = json(&["track", Q2, "--since", Q1, "--format", "json"]);
    let since = &document["since"];
    assert_eq!(since["scenario"]["as_at"], "2026-06");
    assert_eq!(since["report"]["as_at"], "2026-06");
    assert_eq!(since["report"]["current_year"], "2026/27");
    let lines = &since["lines"];
    // (line, delivery then, now, change, RAG then, now)
    for (line, then, now, change, rag_then, rag_now) in [
        ("reablement", "0.8", "0.8", "0", "green", "green"),
        ("day-services", "0.3", "0.4", "0.1", "amber", "amber"),
        ("care-packages", "0.4", "0.3", "-0.1", "red", "red"),
        ("school-transport", "0.2", "0.4", "0.2", "amber", "green"),
        ("family-hubs", "0.3", "0.3", "0", "green", "blue"),
        ("street-lighting", "0.2", "0.2", "0", "green", "amber"),
    ] {
        let l = entry(lines, "service", line);
        assert_eq!(l["presence"], "both", "{line}");
        assert_eq!(
            [
                &l["delivery_then"],
                &l["delivery_now"],
                &l["change"],
                &l["rag_then"],
                &l["rag_now"]
            ],
            [then, now, change, rag_then, rag_now],
            "{line}"
        );
    }
    // The in-year saving agreed in August is in the later report only.
    let new = entry(lines, "service", "agency-staff");
    assert_eq!(new["presence"], "now only");
    assert!(new["delivery_then"].is_null() && new["change"].is_null());
    assert_eq!(new["delivery_now"], "0.1");
    // Then 0.8 + 0.3 + 0.4 + 0.2 + 0.3 + 0.7 + 0.2 + 0.5 = 3.4; now 3.7 with the new line.
    assert_eq!(
        [
            &since["total"]["delivery_then"],
            &since["total"]["delivery_now"],
            &since["total"]["change"]
        ],
        ["3.4", "3.7", "0.3"]
    );

    // The other way round, the new line is in the earlier report only.
    let back = json(&["track", Q1, "--since", Q2, "--format", "json"]);
    let gone = entry(&back["since"]["lines"], "service", "agency-staff");
    assert_eq!(gone["presence"], "then only");
    assert!(gone["delivery_now"].is_null());

    // CSV: the earlier report's rows under its as_at, then this one's, then the change.
    let rows = track_csv(&["track", Q2, "--since", Q1, "--format", "csv"]);
    let key = |at, area, line, status, rag, measure| {
        value(&rows, [at, area, line, status, rag, "2026/27", measure]).to_string()
    };
    let transport = ["Children's Services", "school-transport", "approved"];
    assert_eq!(
        key(
            "2026-06",
            transport[0],
            transport[1],
            transport[2],
            "amber",
            "delivery"
        ),
        "0.2"
    );
    assert_eq!(
        key(
            "2026-09",
            transport[0],
            transport[1],
            transport[2],
            "green",
            "delivery"
        ),
        "0.4"
    );
    assert_eq!(
        key(
            "2026-09",
            transport[0],
            transport[1],
            transport[2],
            "green",
            "change"
        ),
        "0.2"
    );
    assert_eq!(key("2026-09", "", "total", "", "", "change"), "0.3");

    // The Markdown says it too.
    let output = run(&["track", Q2, "--since", Q1, "--format", "markdown"]);
    let text = stdout(&output);
    assert!(text.contains("Movement since scenarios/monitoring-example.toml (as at 2026-06)"));
    assert!(
        text.contains("| Agency staff controls (now only) | - | 0.1 | - | - | amber |"),
        "{text}"
    );
    assert!(text.contains("| Home to school transport routes | 0.2 | 0.4 | 0.2 | amber | green |"));
}

#[test]
fn check_delivery_exits_1_naming_red_and_short_lines() {
    let output = run(&["track", TRACKED, "--check-delivery"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "check failed: --check-delivery: service[a] is forecast 0.4 below its plan of 1 in \"2025/26\"\n"
    );
    assert!(stdout(&output).contains("Delivery in 2025/26 by line"));
    // Forecast at plan: nothing red, nothing short.
    let met = [
        "track",
        TRACKED,
        "--check-delivery",
        "--set",
        "service[a].forecast.\"2025/26\"=1",
    ];
    let output = run(&met);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stderr(&output), "");
    // A red line fails it even on plan.
    let mut red = met.to_vec();
    red.extend(["--set", "service[b].rag=\"red\""]);
    let output = run(&red);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "check failed: --check-delivery: service[b] is rated red\n"
    );
    // Without the flag, the report exits 0 whatever it shows.
    assert_eq!(run(&["track", Q2]).status.code(), Some(0));
    let output = run(&["track", Q2, "--check-delivery", "--format", "csv"]);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    let named: Vec<&str> = message.lines().collect();
    assert_eq!(named.len(), 3, "{named:?}");
    assert!(named[1].contains("service[care-packages] is rated red and is forecast 0.7 below"));
}

#[test]
fn every_format_and_the_schema() -> Result<(), String> {
    let schema: serde_json::Value =
        serde_json::from_slice(&run(&["schema"]).stdout).map_err(|e| e.to_string())?;
    let validator = jsonschema::validator_for(&schema).map_err(|e| e.to_string())?;
    for args in [
        vec!["track", TRACKED, "--format", "json"],
        vec!["track", Q1, "--format", "json"],
        vec!["track", Q2, "--since", Q1, "--format", "json"],
    ] {
        let document = json(&args);
        if let Some(error) = validator.iter_errors(&document).next() {
            return Err(format!("{args:?}: {error} at {}", error.instance_path()));
        }
    }
    let markdown = run(&[
        "track", Q2, "--since", Q1, "--format", "markdown", "--dp", "2",
    ]);
    assert_eq!(markdown.status.code(), Some(0));
    let text = stdout(&markdown);
    assert!(
        text.contains(
            "|  | Day services redesign | approved | 0.50 | 0.40 | forecast | -0.10 | amber |"
        ),
        "{text}"
    );
    assert!(text.contains("## Movement since"), "{text}");
    let table = stdout(&run(&["track", Q1]));
    for heading in [
        "By RAG, 2026/27",
        "By status, 2026/27",
        "Remaining gap by view of delivery",
    ] {
        assert!(table.contains(heading), "{heading}");
    }
    Ok(())
}

#[test]
fn a_scenario_without_as_at_is_refused() {
    let output = run(&["track", "scenarios/worked-example-plan.toml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert_eq!(
        stderr(&output),
        "error: scenarios/worked-example-plan.toml: scenario.as_at: savings track needs the month the figures describe, and this scenario gives no as_at\n  = help: add as_at = \"YYYY-MM\" under [scenario], the month of the report (docs/model.md section 10)\n"
    );
    // The earlier report of --since too, named as such.
    let output = run(&[
        "track",
        TRACKED,
        "--since",
        "scenarios/worked-example-plan.toml",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(stderr(&output).contains(
        "savings track --since (the earlier report on scenarios/worked-example-tracking.toml) needs"
    ));
    // An as_at in the base year has no current year to report.
    let output = run(&["track", TRACKED, "--set", "scenario.as_at=\"2025-01\""]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("as_at 2025-01 is in the base year 2024/25"),
        "{}",
        stderr(&output)
    );
}
