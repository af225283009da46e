//! Issue 15, the what-if commands on plans as councils write them (docs/model.md section 9):
//! `options`, `compare`, `sweep` and `solve` on the plans worked example, checked against
//! figures worked by hand (the working is in the comments), and run on both shipped plans.
//!
//! The plans worked example (scenarios/worked-example-plan.toml): base year 2024/25, horizon 3,
//! w = 1. RQ = 104, 107, 107; F = 101, 102, 103; V = 1 in 2025/26; LG = 2, 5, 4.
//! a (approved) levels 1, 2, 2; b (approved) levels 0.5, 0.5, 0; c (proposed) levels 0, 3, 3;
//! d (in-base) 0.4 each year. N = 0, 3, 3 (only c moves the gap); R = 2, 2, 1.

use super::support::{json, run, stderr, stdout};

const WORKED: &str = "scenarios/worked-example-plan.toml";
const REVISED: &str = "tests/data/plans/worked-example-plan-revised.toml";
const RIVERSIDE: &str = "scenarios/riverside-district-2025.toml";
const GATESHEAD: &str = "scenarios/gateshead-mtfs-2020.toml";

/// `[{ "year", "value" }]` as (year, value) pairs.
fn by_year(value: &serde_json::Value) -> Vec<(String, String)> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not a series: {value}"))
        .iter()
        .map(|v| {
            (
                v["year"].as_str().unwrap_or_default().to_string(),
                v["value"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// The three years of the worked example with `values`.
fn years3(values: [&str; 3]) -> Vec<(String, String)> {
    ["2025/26", "2026/27", "2027/28"]
        .into_iter()
        .zip(values)
        .map(|(y, v)| (y.to_string(), v.to_string()))
        .collect()
}

// ---- options ----

/// Every line of the worked example appraised: each is a line (its option is itself), with its
/// status, no area, a profile with no start; figures by hand from the levels above.
#[test]
fn options_shows_each_line_with_its_status_and_a_profile() {
    let document = json(&["options", WORKED, "--format", "json"]);
    let options = document["options"].as_array().expect("options");
    // (id, status, steady state = level in 2027/28, total of D, margins D - LP in 2025/26 and
    // 2026/27, contribution in 2026/27). a and b are approved: LP is their own plan, so the
    // margins and N are 0; c is proposed with no planned savings: margin = D; d is in-base:
    // D = LP.
    let expected = [
        ("a", "approved", "2", "5", ["0", "0"], "0"),
        ("b", "approved", "0", "1", ["0", "0"], "0"),
        ("c", "proposed", "3", "6", ["0", "3"], "3"),
        ("d", "in-base", "0.4", "1.2", ["0", "0"], "0"),
    ];
    assert_eq!(options.len(), expected.len());
    for (option, (id, status, steady, total, margins, contribution)) in options.iter().zip(expected)
    {
        assert_eq!(option["service"], id);
        assert_eq!(option["option"], id, "a line's option is itself");
        assert_eq!(option["status"], status, "{id}");
        assert_eq!(option["area"], serde_json::Value::Null, "{id}");
        assert_eq!(option["one_line"], true, "{id}");
        assert_eq!(option["profile"], true, "{id}");
        assert_eq!(
            option["start"],
            serde_json::Value::Null,
            "{id}: a profile has no start"
        );
        assert_eq!(option["steady_state_saving"]["central"], steady, "{id}");
        assert_eq!(option["total_saving"]["central"], total, "{id}");
        let found: Vec<&str> = option["meets_plan"]["central"]["margins"]
            .as_array()
            .expect("margins")
            .iter()
            .map(|m| m["value"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(found, margins, "{id}");
        assert_eq!(
            option["contribution_end_of_mtfp"]["central"], contribution,
            "{id}"
        );
    }

    // The table reads them as lines: no "preferred, taken forward" on a line, its status
    // and "profile" under its name.
    let table = run(&["options", WORKED]);
    assert_eq!(table.status.code(), Some(0), "{}", stderr(&table));
    let text = stdout(&table);
    assert!(text.contains("Lines\n"), "{text}");
    assert!(!text.contains("taken forward"), "{text}");
    for status in ["approved; profile", "proposed; profile", "in-base; profile"] {
        assert!(text.contains(status), "{status}: {text}");
    }
}

/// Riverside: lines under their areas, a withdrawn line, and a service that weighs options, one
/// of them a profile and one built up from a go-live month.
#[test]
fn options_on_riverside_groups_lines_by_area_and_names_go_live() {
    let output = run(&["options", RIVERSIDE]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    for heading in [
        "Lines: Environment",
        "Lines: Communities",
        "Lines: Resources",
        "Customer contact (Resources; taken forward: digital-first)",
    ] {
        assert!(text.contains(heading), "{heading}: {text}");
    }
    for about in [
        "withdrawn;",
        "proposed; from 2025-07",
        "proposed; profile",
        "proposed; from 2025/26",
    ] {
        assert!(text.contains(about), "{about}: {text}");
    }
    let document = json(&["options", RIVERSIDE, "--format", "json"]);
    let digital = document["options"]
        .as_array()
        .expect("options")
        .iter()
        .find(|o| o["option"] == "digital-first")
        .expect("digital-first");
    assert_eq!(digital["start"], "2025-07");
    assert_eq!(digital["profile"], false);
    assert_eq!(digital["one_line"], false);
    assert_eq!(digital["area"], "Resources");
    // Gateshead has no lines to appraise: the appraisal is empty, not an error.
    let gateshead = json(&["options", GATESHEAD, "--format", "json"]);
    assert_eq!(gateshead["options"], serde_json::json!([]));
}

// ---- compare ----

/// The worked example against its revision (tests/data/plans/worked-example-plan-revised.toml:
/// a withdrawn, a new pressure of 1 from 2026/27), side by side: the status flagged, the gap
/// build line by line with the line in B only, and the subtotals by status.
#[test]
fn compare_sets_statuses_and_the_gap_build_side_by_side() {
    let document = json(&["compare", WORKED, REVISED, "--format", "json"]);
    let difference = &document["differences"][0];
    // R = 2, 2, 1 in A; 3, 5, 4 in B (see the revised file's header).
    let remaining: Vec<(&str, &str)> = difference["years"]
        .as_array()
        .expect("years")
        .iter()
        .map(|y| {
            (
                y["a"]["remaining_gap"].as_str().unwrap_or_default(),
                y["b"]["remaining_gap"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(remaining, [("2", "3"), ("2", "5"), ("1", "4")]);

    let services = difference["services"].as_array().expect("services");
    let a = &services[0];
    assert_eq!(a["service"], "a");
    assert_eq!(a["status_a"], "approved");
    assert_eq!(a["status_b"], "withdrawn");
    assert_eq!(a["status_changed"], true);
    assert_eq!(
        services[2]["status_changed"], false,
        "c is proposed in both"
    );
    assert_eq!(difference["statuses_changed"], serde_json::json!(["a"]));

    let gap = difference["gap_build"].as_array().expect("gap_build");
    let row = |key: &str| {
        gap.iter()
            .find(|r| r["key"] == key)
            .unwrap_or_else(|| panic!("no gap row {key}"))
    };
    let keys: Vec<&str> = gap
        .iter()
        .map(|r| r["key"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        keys,
        [
            "net_budget",
            "pressure[growth]",
            "pressure[energy]",
            "requirement",
            "funding[resources]",
            "funding",
            "reserves",
            "gap_to_date"
        ]
    );
    // The new pressure is in B only: nothing in A, its levels 0, 1, 1 in B and as the
    // difference.
    let energy = row("pressure[energy]");
    assert_eq!(energy["a"], serde_json::Value::Null);
    assert_eq!(by_year(&energy["b"]), years3(["0", "1", "1"]));
    assert_eq!(by_year(&energy["difference"]), years3(["0", "1", "1"]));
    // RQ = 104, 107, 107 against 104, 108, 108; LG = 2, 5, 4 against 2, 6, 5.
    assert_eq!(
        by_year(&row("requirement")["a"]),
        years3(["104", "107", "107"])
    );
    assert_eq!(
        by_year(&row("requirement")["b"]),
        years3(["104", "108", "108"])
    );
    assert_eq!(
        by_year(&row("gap_to_date")["difference"]),
        years3(["0", "1", "1"])
    );
    // Funding is shown negative, as the tables show it, and did not change.
    assert_eq!(
        by_year(&row("funding")["b"]),
        years3(["-101", "-102", "-103"])
    );
    assert_eq!(
        by_year(&row("funding")["difference"]),
        years3(["0", "0", "0"])
    );

    // Subtotals by status: approved is a and b in A (D = 1.5, 2.5, 2), b alone in B
    // (0.5, 0.5, 0); withdrawn is a in B: D = 0, N = -LP = -1, -2, -2.
    let by_status = difference["subtotals"]["by_status"]
        .as_array()
        .expect("by_status");
    let keys: Vec<&str> = by_status
        .iter()
        .map(|r| r["key"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(keys, ["proposed", "approved", "in-base", "withdrawn"]);
    let approved = &by_status[1];
    assert_eq!(
        (approved["lines_a"].as_str(), approved["lines_b"].as_str()),
        (Some("2"), Some("1"))
    );
    assert_eq!(
        by_year(&approved["in_year_saving"]["a"]),
        years3(["1.5", "2.5", "2"])
    );
    assert_eq!(
        by_year(&approved["in_year_saving"]["b"]),
        years3(["0.5", "0.5", "0"])
    );
    let withdrawn = &by_status[3];
    assert_eq!(withdrawn["lines_a"], "0");
    assert_eq!(
        by_year(&withdrawn["contribution"]["b"]),
        years3(["-1", "-2", "-2"])
    );
    // Each scenario's own views, as `run` gives them.
    for variant in document["variants"].as_array().expect("variants") {
        assert!(variant["gap_build"].is_object(), "{variant}");
        assert!(variant["subtotals"]["by_status"].is_array(), "{variant}");
    }

    // The table flags the status that changed and shows the line in B only as such.
    let output = run(&["compare", WORKED, REVISED]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    for expected in [
        "withdrawn",
        "(changed)",
        "Lines whose status differs in B: a (approved -> withdrawn).",
        "Energy",
        "(in B only)",
        "The gap, built from the budget, B against A",
        "By status, B against A",
    ] {
        assert!(text.contains(expected), "{expected}: {text}");
    }

    // The CSV says each line's status in each scenario and whether it changed from A.
    let output = run(&["compare", WORKED, REVISED, "--format", "csv"]);
    let text = stdout(&output);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header,
        [
            "variant",
            "status",
            "status_changed",
            "scenario",
            "service",
            "option",
            "year",
            "measure",
            "case",
            "value"
        ]
    );
    let mut seen = std::collections::BTreeMap::new();
    for record in reader.records() {
        let r = record.expect("a record");
        seen.insert(
            (r[0].to_string(), r[4].to_string()),
            (r[1].to_string(), r[2].to_string()),
        );
    }
    let status = |variant: &str, service: &str| {
        seen.get(&(variant.to_string(), service.to_string()))
            .cloned()
            .unwrap_or_else(|| panic!("no rows for {variant} {service}"))
    };
    assert_eq!(status("A", "a"), ("approved".into(), String::new()));
    assert_eq!(status("B", "a"), ("withdrawn".into(), "true".into()));
    assert_eq!(status("B", "c"), ("proposed".into(), "false".into()));
    assert_eq!(status("B", "total"), (String::new(), String::new()));
    assert_eq!(status("B-A", "total"), (String::new(), String::new()));
}

/// Both shipped plans compare with a change of their own, in every format.
#[test]
fn compare_runs_on_the_shipped_plans_in_every_format() {
    for (file, change) in [
        (
            RIVERSIDE,
            "--set 'service[garden-waste].status=\"withdrawn\"'",
        ),
        (
            GATESHEAD,
            "--set 'funding[council-tax].amount.\"2021/22\"=97'",
        ),
    ] {
        for format in ["table", "csv", "json", "markdown"] {
            let output = run(&["compare", file, "--against", change, "--format", format]);
            assert_eq!(
                output.status.code(),
                Some(0),
                "{file} {format}: {}",
                stderr(&output)
            );
        }
    }
    // Gateshead's funding line moved by 0.962 (96.038 to 97) in 2021/22 alone (it names the years
    // after): the gap to date 0.962 lower in 2021/22 only.
    let document = json(&[
        "compare",
        GATESHEAD,
        "--against",
        "--set 'funding[council-tax].amount.\"2021/22\"=97'",
        "--format",
        "json",
    ]);
    let gap = document["differences"][0]["gap_build"]
        .as_array()
        .expect("gap_build");
    let gap_to_date = gap
        .iter()
        .find(|r| r["key"] == "gap_to_date")
        .expect("gap_to_date");
    let differences: Vec<String> = by_year(&gap_to_date["difference"])
        .into_iter()
        .map(|(_, v)| v)
        .collect();
    assert_eq!(differences[..3], ["0", "-0.962", "0"]);
}

// ---- the JSON schema ----

/// Every new JSON document of the what-if commands on plans follows the published schema.
#[test]
fn plan_documents_follow_the_published_schema() -> Result<(), String> {
    let schema: serde_json::Value =
        serde_json::from_slice(&run(&["schema"]).stdout).map_err(|e| e.to_string())?;
    let validator = jsonschema::validator_for(&schema).map_err(|e| e.to_string())?;
    let documents = [
        json(&["options", WORKED, "--format", "json"]),
        json(&["options", RIVERSIDE, "--format", "json"]),
        json(&["options", RIVERSIDE, "--by", "npv", "--format", "json"]),
        json(&["compare", WORKED, REVISED, "--format", "json"]),
        json(&[
            "compare",
            RIVERSIDE,
            "--against",
            "--set 'service[garden-waste].status=\"withdrawn\"'",
            "--format",
            "json",
        ]),
        json(&["compare", GATESHEAD, WORKED, "builtin:", "--format", "json"]),
        json(&[
            "compare",
            "tests/data/plans/pressures-without-budget.toml",
            WORKED,
            "--format",
            "json",
        ]),
    ];
    for document in &documents {
        let errors: Vec<String> = validator
            .iter_errors(document)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", document["kind"]);
    }
    // Not vacuous: a status that is not one is refused.
    let mut bad = documents[0].clone();
    bad["options"][0]["status"] = serde_json::json!("maybe");
    assert!(!validator.is_valid(&bad));
    let mut bad = documents[3].clone();
    bad["differences"][0]["gap_build"][0]["a"] = serde_json::json!("104");
    assert!(!validator.is_valid(&bad));
    Ok(())
}
