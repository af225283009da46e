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
    // Gateshead has no savings lines: no statuses to set side by side, in the CSV or JSON.
    assert!(document["differences"][0].get("statuses_changed").is_none());
    let output = run(&[
        "compare",
        GATESHEAD,
        "--against",
        "--set budget.net=210",
        "--format",
        "csv",
    ]);
    assert!(
        stdout(&output).starts_with("variant,scenario,service,option,year,measure,case,value\n"),
        "{}",
        stdout(&output)
    );
}

// ---- solve and sweep ----

/// `savings solve` on the worked example, as JSON.
fn solve(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["solve"];
    all.extend(args);
    all.extend(["--format", "json"]);
    json(&all)
}

/// `savings solve` that must be refused (exit 2, nothing written), with its message.
fn refused(args: &[&str]) -> String {
    let output = run(args);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{args:?}: {}",
        stderr(&output)
    );
    assert!(output.stdout.is_empty(), "{args:?}");
    stderr(&output)
}

/// The central remaining gap of `year` from `savings run --format csv` with `extra` arguments.
fn remaining_gap(file: &str, extra: &[String], year: &str) -> rust_decimal::Decimal {
    let mut args = vec![
        "run".to_string(),
        file.to_string(),
        "--format".into(),
        "csv".into(),
    ];
    args.extend(extra.iter().cloned());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = run(&args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}: {}",
        stderr(&output)
    );
    let values = super::support::csv_values(&stdout(&output));
    let key = (
        "total".to_string(),
        String::new(),
        year.to_string(),
        "remaining_gap".to_string(),
        "central".to_string(),
    );
    values
        .get(&key)
        .unwrap_or_else(|| panic!("no remaining gap in {year}"))
        .parse()
        .unwrap_or_else(|e| panic!("{e}"))
}

/// One year of a profile is a figure like any other: c's level in 2026/27 closes 2026/27 at
/// R = 5 - c = 0, so c = 5, exactly.
#[test]
fn solve_finds_one_year_of_a_profile() {
    let found = solve(&[
        WORKED,
        "--target",
        "gap-closed=2026/27",
        "--vary",
        "service[c].saving.levels.\"2026/27\"",
    ]);
    assert_eq!(found["value"], "5");
    assert_eq!(found["method"]["kind"], "exact");
    assert_eq!(
        found["reproduce"],
        "--set 'service[c].saving.levels.\"2026/27\"=5'"
    );
    // b's increment in 2027/28 (written -0.5) may be negative: R(2027/28) = 4 - N, N = 3 (c)
    // + D of b (0.5 + x) - its plan (0), so x >= 0.5. Sought from -1e12, where the level
    // would fall below 0, the range starts where the scenario allows it.
    let found = solve(&[
        WORKED,
        "--target",
        "gap-closed=2027/28",
        "--vary",
        "service[b].saving.increments.\"2027/28\"",
    ]);
    assert_eq!(found["value"], "0.5");
    assert_eq!(found["direction"], "smallest");
    // A year written in the other form is refused with the path to use, before any search.
    let message = refused(&[
        "solve",
        WORKED,
        "--target",
        "gap-closed=2026/27",
        "--vary",
        "service[c].saving.increments.\"2026/27\"",
    ]);
    assert!(
        message.starts_with("error: --vary service[c].saving.increments.\"2026/27\": service[c].saving: is written as { levels = { ... } }, so it has no `increments`"),
        "{message}"
    );
    assert!(
        message.contains("service[c].saving.levels.\"2026/27\""),
        "{message}"
    );
    // One case of a profile written once for every case cannot move alone.
    let message = refused(&[
        "solve",
        WORKED,
        "--target",
        "gap-closed=2026/27",
        "--vary",
        "service[c].saving.central.levels.\"2026/27\"",
    ]);
    assert!(
        message.contains("service[c].saving is one profile for every case"),
        "{message}"
    );
    assert!(message.contains("service[c].saving.factor"), "{message}");
    // A profile is not one figure, and has no start.
    for path in [
        "service[c].saving",
        "service[c].saving.central",
        "service[c].start",
    ] {
        let message = refused(&[
            "solve",
            WORKED,
            "--target",
            "gap-closed=2026/27",
            "--vary",
            path,
        ]);
        assert!(message.contains("(a profile)"), "{path}: {message}");
        assert!(
            message.contains("service[c].saving.factor"),
            "{path}: {message}"
        );
    }
}

/// A year of one case of a profile with a range is sought between the other cases' amounts
/// that year: garden-waste's central level in 2026/27 may go from its low, 0.3, to its high,
/// 0.36 + 0.09 = 0.45; 2026/27 is not closed even at 0.45, so the answer is the best
/// reachable, at the end of that range, exactly.
#[test]
fn solve_keeps_a_year_of_one_case_within_the_others() {
    let output = run(&[
        "solve",
        RIVERSIDE,
        "--target",
        "gap-closed=2026/27",
        "--vary",
        "service[garden-waste].saving.central.levels.\"2026/27\"",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let found: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(found["value"], serde_json::Value::Null);
    assert_eq!(found["best"]["value"], "0.45");
    assert_eq!(found["method"]["kind"], "at-bound");
}

/// A factor on a whole profile: c's levels 0, 3, 3 times k close 2026/27 when 5 - 3k <= 0,
/// k = 5/3, which does not terminate: the answer is rounded up to 12 places (the direction
/// that keeps the gap closed), the --set it prints writes c's level as the file writes it
/// (3 x 1.666666666667 = 5.000000000001), and `savings run` with that --set closes 2026/27.
#[test]
fn solve_answers_a_factor_on_a_profile_and_the_set_that_reproduces_it() {
    let found = solve(&[
        WORKED,
        "--target",
        "gap-closed=2026/27",
        "--vary",
        "service[c].saving.factor",
    ]);
    assert_eq!(found["value"], "1.666666666667");
    assert_eq!(found["method"]["kind"], "rounded");
    assert_eq!(found["direction"], "smallest");
    let reproduce = found["reproduce"].as_str().expect("reproduce");
    assert_eq!(
        reproduce,
        "--set 'service[c].saving.levels.\"2026/27\"=5.000000000001'"
    );
    let sets = shlex::split(reproduce).expect("shell words");
    assert!(remaining_gap(WORKED, &sets, "2026/27") <= rust_decimal::Decimal::ZERO);
    // A hair less does not close it: 1.666666666666 x 3 = 4.999999999998.
    let short = vec![
        "--set".to_string(),
        "service[c].saving.levels.\"2026/27\"=4.999999999998".to_string(),
    ];
    assert!(remaining_gap(WORKED, &short, "2026/27") > rust_decimal::Decimal::ZERO);

    // The report says the factor, rounded the way that keeps the target, and the exact value.
    let output = run(&[
        "solve",
        WORKED,
        "--target",
        "gap-closed=2026/27",
        "--vary",
        "service[c].saving.factor",
        "--format",
        "markdown",
    ]);
    let text = stdout(&output)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("1.67 x the profile (1.666666666667 to 12 places, rounded up so that the target is still reached) is the smallest factor that reaches gap-closed=2026/27"),
        "{text}"
    );

    // Riverside's proposed lines, one a profile in levels, one a steady state with a range:
    // every --set printed, fed back to `savings run`, closes the year.
    for (path, year) in [
        ("service[shared-revenues].saving.factor", "2027/28"),
        ("service[events-grant].saving.factor", "2025/26"),
        (
            "service[customer-services].option[digital-first].saving.factor",
            "2026/27",
        ),
    ] {
        let target = format!("gap-closed={year}");
        let found = solve(&[RIVERSIDE, "--target", &target, "--vary", path]);
        let reproduce = found["reproduce"].as_str().expect("reproduce");
        assert!(!reproduce.is_empty(), "{path}: {found}");
        let sets = shlex::split(reproduce).expect("shell words");
        assert!(
            remaining_gap(RIVERSIDE, &sets, year) <= rust_decimal::Decimal::ZERO,
            "{path}: {reproduce}"
        );
    }
}

/// An approved line's plan is its own central amounts as written (docs/model.md section
/// 9.4): varying what it delivers leaves its plan, so it moves the gap. a's plan is 1, 2, 2:
/// delivering 2k in 2026/27, N = 2k - 2 and R = 5 - (2k - 2) - 3 = 4 - 2k, closed from k = 2;
/// or delivering x in 2026/27, R = 5 - (x - 2) - 3, closed from x = 4.
#[test]
fn solve_on_an_approved_line_varies_what_it_delivers_not_its_plan() {
    let found = solve(&[
        WORKED,
        "--target",
        "gap-closed=2026/27",
        "--vary",
        "service[a].saving.factor",
    ]);
    assert_eq!(found["value"], "2");
    assert_eq!(found["method"]["kind"], "exact");
    // The plan stays 1, 2, 2: the figures at the answer show it.
    let found = solve(&[
        WORKED,
        "--target",
        "gap-closed=2026/27",
        "--vary",
        "service[a].saving.levels.\"2026/27\"",
    ]);
    assert_eq!(found["value"], "4");
    // No --set can keep the plan while changing the delivery: none is offered as a
    // reproduction, and the notes say why, with what it would deliver.
    assert_eq!(found["reproduce"], "");
    let notes = found["notes"].to_string();
    assert!(
        notes.contains("service[a] is approved: its plan"),
        "{notes}"
    );
    assert!(
        notes.contains("--set 'service[a].saving.levels.\\\"2026/27\\\"=4'"),
        "{notes}"
    );
    // The same in a sweep: at a level of 4, R(2026/27) = 0; at 2 (the plan) R = 2.
    let document = json(&[
        "sweep",
        WORKED,
        "--vary",
        "service[a].saving.levels.\"2026/27\"=2,4",
        "--format",
        "json",
    ]);
    let gaps: Vec<&str> = document["points"]
        .as_array()
        .expect("points")
        .iter()
        .map(|p| {
            p["remaining_gap"][1]["central"]
                .as_str()
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(gaps, ["2", "0"]);
}

/// In-base and withdrawn lines cannot move the gap: a clear message and exit 2, in solve and
/// sweep alike, rather than "no value reaches it".
#[test]
fn in_base_and_withdrawn_lines_are_refused() {
    for (file, path, words) in [
        (WORKED, "service[d].saving.factor", "service[d] is in-base"),
        (
            WORKED,
            "service[d].saving.levels.\"2025/26\"",
            "service[d] is in-base",
        ),
        (
            RIVERSIDE,
            "service[leisure-trust].saving.factor",
            "service[leisure-trust] is withdrawn",
        ),
    ] {
        let message = refused(&[
            "solve",
            file,
            "--target",
            "gap-closed=2026/27",
            "--vary",
            path,
        ]);
        assert!(message.contains(words), "{path}: {message}");
        assert!(
            message.contains("never moves the gap") || message.contains("delivers nothing"),
            "{message}"
        );
        let vary = format!("{path}=1,2");
        let message = refused(&["sweep", file, "--vary", &vary]);
        assert!(message.contains(words), "{path}: {message}");
    }
}

/// Targets on the gap built from the budget, varying its inputs, worked by hand:
/// R(2026/27) = net + 7 - 102 - 3 = net - 98; = 2 + p - 3 with p the pressure's 2026/27
/// increment; = 107 - f - 3 with f the funding in 2026/27; R(2025/26) = 104 - 101 - V.
#[test]
fn solve_varies_the_inputs_of_the_gap() {
    for (target, path, value, direction) in [
        ("gap-closed=2026/27", "budget.net", "98", "largest"),
        (
            "gap-closed=2026/27",
            "pressure[growth].amount.\"2026/27\"",
            "1",
            "largest",
        ),
        (
            "gap-closed=2026/27",
            "funding[resources].amount.\"2026/27\"",
            "104",
            "smallest",
        ),
        (
            "gap-closed=2025/26",
            "budget.reserves.\"2025/26\"",
            "3",
            "smallest",
        ),
    ] {
        let found = solve(&[WORKED, "--target", target, "--vary", path]);
        assert_eq!(found["value"], value, "{path}");
        assert_eq!(found["method"]["kind"], "exact", "{path}");
        assert_eq!(found["direction"], direction, "{path}");
    }
    // A pressure and the reserves may be negative, and are sought below zero: with funding
    // of 97 in 2025/26, R(2025/26) = 100 + p - 97 - 1 = p + 2, closed for p <= -2; with
    // funding of 105, R = 104 - 105 - V = -1 - V, closed from V = -1 (a contribution to
    // reserves of 1).
    let found = solve(&[
        WORKED,
        "--set",
        "funding[resources].amount.\"2025/26\"=97",
        "--target",
        "gap-closed=2025/26",
        "--vary",
        "pressure[growth].amount.\"2025/26\"",
    ]);
    assert_eq!(found["value"], "-2");
    let found = solve(&[
        WORKED,
        "--set",
        "funding[resources].amount.\"2025/26\"=105",
        "--target",
        "gap-closed=2025/26",
        "--vary",
        "budget.reserves.\"2025/26\"",
    ]);
    assert_eq!(found["value"], "-1");
    // Gateshead has no savings lines: its remaining gap is its gap to date, 8.069 in
    // 2020/21, so council tax of 93.655 + 8.069 = 101.724 closes it.
    let found = solve(&[
        GATESHEAD,
        "--target",
        "gap-closed=2020/21",
        "--vary",
        "funding[council-tax].amount.\"2020/21\"",
    ]);
    assert_eq!(found["value"], "101.724");
    assert_eq!(
        found["reproduce"],
        "--set 'funding[council-tax].amount.\"2020/21\"=101.724'"
    );
}

/// A sweep of a factor on a profile scales every year exactly: c at 1.25 saves 0, 3.75, 3.75,
/// so R = 2, 1.25, 0.25 and the total saving is 13.2 + 1.5 = 14.7.
#[test]
fn sweep_scales_a_profile_by_a_factor() {
    let document = json(&[
        "sweep",
        WORKED,
        "--vary",
        "service[c].saving.factor=1:1.5:0.25",
        "--format",
        "json",
    ]);
    let points = document["points"].as_array().expect("points");
    assert_eq!(points.len(), 3);
    let point = &points[1];
    assert_eq!(point["values"]["service[c].saving.factor"], "1.25");
    assert_eq!(point["total_saving"]["central"], "14.7");
    let gaps: Vec<&str> = point["remaining_gap"]
        .as_array()
        .expect("remaining_gap")
        .iter()
        .map(|r| r["central"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(gaps, ["2", "1.25", "0.25"]);
    // Cases written in different forms scale together (garden-waste: low and central levels,
    // high increments): every case and year at twice its amount.
    let output = run(&[
        "sweep",
        RIVERSIDE,
        "--vary",
        "service[garden-waste].saving.factor=0,2",
        "--format",
        "csv",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // A factor below 0 is refused.
    let message = refused(&["sweep", WORKED, "--vary", "service[c].saving.factor=-1,1"]);
    assert!(
        message.contains("a factor on a saving is a number from 0"),
        "{message}"
    );
    // A year of one case passing another: the help says to vary the factor.
    let message = refused(&[
        "sweep",
        RIVERSIDE,
        "--vary",
        "service[garden-waste].saving.central.levels.\"2026/27\"=0.4,0.5",
    ]);
    assert!(
        message.contains(
            "vary service[garden-waste].saving.factor to move every year and case together"
        ),
        "{message}"
    );
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
        json(&[
            "sweep",
            RIVERSIDE,
            "--vary",
            "service[garden-waste].saving.factor=0.5:1.5:0.5",
            "--vary",
            "budget.net=15,15.5",
            "--format",
            "json",
        ]),
        solve(&[
            WORKED,
            "--target",
            "gap-closed=2026/27",
            "--vary",
            "service[c].saving.factor",
        ]),
        solve(&[
            WORKED,
            "--target",
            "gap-closed=2026/27",
            "--vary",
            "service[a].saving.levels.\"2026/27\"",
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
