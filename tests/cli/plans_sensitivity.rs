//! Issue 15, `savings sensitivity` on plans written the docs/model.md section 9 way: profiles
//! (their low and high profiles as the ends, switching values as a factor on the central
//! profile), statuses (approved lines move, in-base and withdrawn ones do not), and the gap's
//! inputs (pressure and funding lines with a range, and reserves). Every expected figure is
//! worked by hand in the comments beside it, from the rules of docs/model.md sections 5.5 and
//! 9, not copied from the program's output.

use super::support::{TestResult, csv_values, json, run, stderr, stdout};

const WORKED: &str = "scenarios/worked-example-plan.toml";
const RANGES: &str = "tests/data/plans/worked-example-ranges.toml";
const RIVERSIDE: &str = "scenarios/riverside-district-2025.toml";
const GATESHEAD: &str = "tests/data/plans/gateshead-ranges.toml";

/// The sensitivity JSON of `file` with `extra` arguments.
fn sensitivity(file: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["sensitivity", file];
    args.extend(extra);
    args.extend(["--format", "json"]);
    json(&args)
}

/// The bar of `input`, if there is one.
fn find_bar<'a>(doc: &'a serde_json::Value, input: &str) -> Option<&'a serde_json::Value> {
    doc["tornado"]
        .as_array()
        .expect("a tornado")
        .iter()
        .find(|b| b["input"] == input)
}

fn bar<'a>(doc: &'a serde_json::Value, input: &str) -> &'a serde_json::Value {
    find_bar(doc, input).unwrap_or_else(|| panic!("no bar for {input}"))
}

/// An end's setting, ten-year total and remaining gap in each gap year.
fn end(bar: &serde_json::Value, which: &str) -> (String, String, Vec<String>) {
    let end = &bar[which];
    (
        end["setting"].as_str().expect("a setting").to_string(),
        end["outcome"]["total_saving"]
            .as_str()
            .expect("a total")
            .to_string(),
        end["outcome"]["remaining_gap"]
            .as_array()
            .expect("gaps")
            .iter()
            .map(|g| g["value"].as_str().expect("a value").to_string())
            .collect(),
    )
}

fn expected(setting: &str, total: &str, gaps: &[&str]) -> (String, String, Vec<String>) {
    (
        setting.to_string(),
        total.to_string(),
        gaps.iter().map(|g| g.to_string()).collect(),
    )
}

/// The switching values of `input`, as (target, value, holds, within range).
fn switches(doc: &serde_json::Value, input: &str) -> Vec<(String, String, bool, bool)> {
    doc["switching"]
        .as_array()
        .expect("switching values")
        .iter()
        .filter(|w| w["input"] == input)
        .map(|w| {
            (
                w["target"].as_str().expect("a target").to_string(),
                w["value"].as_str().expect("a value").to_string(),
                w["holds"].as_bool().expect("holds"),
                w["within_range"].as_bool().expect("within_range"),
            )
        })
        .collect()
}

fn switch(target: &str, value: &str, holds: bool, within: bool) -> (String, String, bool, bool) {
    (target.to_string(), value.to_string(), holds, within)
}

fn kind_of(doc: &serde_json::Value, input: &str) -> String {
    doc["switching"]
        .as_array()
        .expect("switching values")
        .iter()
        .chain(doc["tornado"].as_array().expect("a tornado"))
        .find(|w| w["input"] == input)
        .and_then(|w| w["kind"].as_str())
        .unwrap_or_else(|| panic!("no input {input}"))
        .to_string()
}

/// The plans worked example (docs/model.md section 9.6), every saving a single figure.
///
/// Central: LG = 2, 5, 4; N = 0, 3, 3; R = 2, 2, 1; total 1.9 + 5.9 + 5.4 = 13.2.
/// No saving has a range, so no saving bar. Reserves (1 used in 2025/26): none used makes LG
/// 3, 5, 4, so R = 3, 2, 1. The overlap weighs proposed lines only, and the one proposed line
/// (c) has no planned savings: w moves nothing.
///
/// Switching factors k on a central profile: R(y) - (k - 1) x central(y) = 0.
/// - a (approved, 1, 2, 2): 1 + 2/1 = 3; 1 + 2/2 = 2; 1 + 1/2 = 1.5. Its plan is its own
///   central profile, so it meets the plan at k >= 1 (now exactly: holds).
/// - b (approved, 0.5, 0.5, 0): 1 + 2/0.5 = 5 in 2025/26 and 2026/27; its level in 2027/28 is 0,
///   so it cannot switch that year. Meets plan at k >= 1.
/// - c (proposed, 0, 3, 3): 2025/26 cannot switch; 1 + 2/3 in 2026/27 and 1 + 1/3 in 2027/28,
///   which do not end: 12 places, rounded up. No planned savings, so no meets-plan factor.
/// - d (in-base): nothing to move.
///
/// Slips: a and b meet their plans with nothing to spare, so one month's delay loses it (a:
/// 11/12 of 1 in 2025/26 is below 1; b: 11/12 of 0.5 below 0.5). No gap year is closed.
#[test]
fn the_plans_worked_example_by_hand() {
    let doc = sensitivity(WORKED, &[]);
    assert_eq!(
        doc["gap_years"],
        serde_json::json!(["2025/26", "2026/27", "2027/28"])
    );
    let central = &doc["central"];
    assert_eq!(central["total_saving"], "13.2");
    let inputs: Vec<&str> = doc["tornado"]
        .as_array()
        .expect("bars")
        .iter()
        .map(|b| b["input"].as_str().expect("an input"))
        .collect();
    assert_eq!(inputs, ["budget.reserves", "scenario.overlap"]);
    let reserves = bar(&doc, "budget.reserves");
    assert_eq!(reserves["kind"], "reserves");
    assert_eq!(
        end(reserves, "low"),
        expected("none", "13.2", &["3", "2", "1"])
    );
    assert_eq!(
        end(reserves, "high"),
        expected("as given", "13.2", &["2", "2", "1"])
    );
    let overlap = bar(&doc, "scenario.overlap");
    assert_eq!(end(overlap, "low"), expected("0", "13.2", &["2", "2", "1"]));
    assert_eq!(
        end(overlap, "high"),
        expected("1", "13.2", &["2", "2", "1"])
    );

    assert_eq!(kind_of(&doc, "service[a].saving"), "profile");
    assert_eq!(
        switches(&doc, "service[a].saving"),
        [
            switch("gap-closed=2025/26", "3", false, false),
            switch("gap-closed=2026/27", "2", false, false),
            switch("gap-closed=2027/28", "1.5", false, false),
            switch("meets-plan=a", "1", true, true),
        ]
    );
    assert_eq!(
        switches(&doc, "service[b].saving"),
        [
            switch("gap-closed=2025/26", "5", false, false),
            switch("gap-closed=2026/27", "5", false, false),
            switch("meets-plan=b", "1", true, true),
        ]
    );
    assert_eq!(
        switches(&doc, "service[c].saving"),
        [
            switch("gap-closed=2026/27", "1.666666666667", false, false),
            switch("gap-closed=2027/28", "1.333333333334", false, false),
        ]
    );
    assert!(switches(&doc, "service[d].saving").is_empty());
    assert_eq!(
        switches(&doc, "slip of service[a]"),
        [switch("meets-plan=a", "1", true, false)]
    );
    assert_eq!(
        switches(&doc, "slip of service[b]"),
        [switch("meets-plan=b", "1", true, false)]
    );
    assert!(switches(&doc, "slip of service[c]").is_empty());
    assert!(switches(&doc, "slip of service[d]").is_empty());
}

/// The worked example with ranges (tests/data/plans/worked-example-ranges.toml, which extends
/// it), by hand from the central R = 2, 2, 1 and total 13.2:
///
/// - a's low profile 0.8, 1.5, 1.5 is 0.2, 0.5, 0.5 below its plan: total 13.2 - 1.2 = 12; its
///   N falls by as much, so R = 2.2, 2.5, 1.5. Its high profile 1.2, 2.5, 2.5: total 14.4,
///   R = 1.8, 1.5, 0.5. Swing 2.4. Its factors (3, 2, 1.5) lie outside its range (0.8 to 1.2
///   in 2025/26, 0.75 to 1.25 after); 1 for its plan lies inside.
/// - c fails: D = 0, 0, 0 instead of 0, 3, 3: total 7.2, R = 2, 5, 4 (swing 6). Slipped 6
///   months: D = 0, (6 x 3 + 6 x 0)/12 = 1.5, 3: total 11.7, R = 2, 3.5, 1 (swing 1.5).
/// - The pressure (levels 4, 7, 7): low levels 3, 5, 5 move LG by -1, -2, -2: R = 1, 0, -1;
///   high 5, 9, 9: R = 3, 4, 3. Its switching level is its level less R: 4 - 2 = 2 (outside 3
///   to 5), 7 - 2 = 5 (inside 5 to 9, at its end), 7 - 1 = 6 (inside).
/// - The funding line (101, 102, 103) has a low end only, 100, 100.5, 101: LG moves by +1,
///   +1.5, +2, so R = 3, 3.5, 3; its high end is the amount, R as central. Its switching level
///   is its level plus R: 103, 104, 104, above its range every year.
/// - Order: swing in the total (c's failure 6, a 2.4, c's slip 1.5), then the gap's inputs by
///   their swing in the remaining gap (the pressure 4, funding 2, reserves 1, the overlap 0).
#[test]
fn ranges_on_the_worked_example_by_hand() {
    let doc = sensitivity(RANGES, &[]);
    let inputs: Vec<&str> = doc["tornado"]
        .as_array()
        .expect("bars")
        .iter()
        .map(|b| b["input"].as_str().expect("an input"))
        .collect();
    assert_eq!(
        inputs,
        [
            "failure of service[c]",
            "service[a].saving",
            "slip of service[c]",
            "pressure[growth].amount",
            "funding[resources].amount",
            "budget.reserves",
            "scenario.overlap",
        ]
    );
    let a = bar(&doc, "service[a].saving");
    assert_eq!(a["kind"], "profile");
    assert_eq!(
        end(a, "low"),
        expected("low profile", "12", &["2.2", "2.5", "1.5"])
    );
    assert_eq!(
        end(a, "high"),
        expected("high profile", "14.4", &["1.8", "1.5", "0.5"])
    );
    assert_eq!(a["swing"], "2.4");
    assert_eq!(
        switches(&doc, "service[a].saving"),
        [
            switch("gap-closed=2025/26", "3", false, false),
            switch("gap-closed=2026/27", "2", false, false),
            switch("gap-closed=2027/28", "1.5", false, false),
            switch("meets-plan=a", "1", true, true),
        ]
    );
    let failure = bar(&doc, "failure of service[c]");
    assert_eq!(
        end(failure, "low"),
        expected("fails", "7.2", &["2", "5", "4"])
    );
    let slip = bar(&doc, "slip of service[c]");
    assert_eq!(
        end(slip, "high"),
        expected("6 months", "11.7", &["2", "3.5", "1"])
    );

    let pressure = bar(&doc, "pressure[growth].amount");
    assert_eq!(pressure["kind"], "pressure");
    assert_eq!(pressure["swing"], "0");
    assert_eq!(
        end(pressure, "low"),
        expected("low", "13.2", &["1", "0", "-1"])
    );
    assert_eq!(
        end(pressure, "high"),
        expected("high", "13.2", &["3", "4", "3"])
    );
    assert_eq!(
        switches(&doc, "pressure[growth].amount"),
        [
            switch("gap-closed=2025/26", "2", false, false),
            switch("gap-closed=2026/27", "5", false, true),
            switch("gap-closed=2027/28", "6", false, true),
        ]
    );
    let funding = bar(&doc, "funding[resources].amount");
    assert_eq!(funding["kind"], "funding");
    assert_eq!(
        end(funding, "low"),
        expected("low", "13.2", &["3", "3.5", "3"])
    );
    assert_eq!(
        end(funding, "high"),
        expected("high", "13.2", &["2", "2", "1"])
    );
    assert_eq!(
        switches(&doc, "funding[resources].amount"),
        [
            switch("gap-closed=2025/26", "103", false, false),
            switch("gap-closed=2026/27", "104", false, false),
            switch("gap-closed=2027/28", "104", false, false),
        ]
    );
}

/// Each end of a bar is what `run` gives with the input set there, and each switching value is
/// where `run` finds the year closed with nothing to spare.
#[test]
fn ends_and_switching_values_agree_with_run() {
    let remaining = |extra: &[&str]| -> Vec<String> {
        let mut args = vec!["run", RANGES, "--format", "csv"];
        args.extend(extra);
        let output = run(&args);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let values = csv_values(&stdout(&output));
        ["2025/26", "2026/27", "2027/28"]
            .iter()
            .map(|y| {
                values[&(
                    "total".to_string(),
                    String::new(),
                    y.to_string(),
                    "remaining_gap".to_string(),
                    "central".to_string(),
                )]
                    .clone()
            })
            .collect()
    };
    let doc = sensitivity(RANGES, &[]);
    // The pressure's high end as its amount.
    assert_eq!(
        end(bar(&doc, "pressure[growth].amount"), "high").2,
        remaining(&[
            "--set",
            "pressure[growth].amount={ \"2025/26\" = 5, \"2026/27\" = 4 }"
        ])
    );
    // The funding line's low end as its amount.
    assert_eq!(
        end(bar(&doc, "funding[resources].amount"), "low").2,
        remaining(&[
            "--set",
            "funding[resources].amount={ \"2025/26\" = 100, \"2026/27\" = 100.5, \"2027/28\" = 101 }"
        ])
    );
    // a at its low profile: a is the only saving with a range, so this is run's low case (a
    // delivers its low profile against its central plan as written).
    let output = run(&["run", RANGES, "--format", "csv"]);
    let values = csv_values(&stdout(&output));
    let low_case: Vec<String> = ["2025/26", "2026/27", "2027/28"]
        .iter()
        .map(|y| {
            values[&(
                "total".to_string(),
                String::new(),
                y.to_string(),
                "remaining_gap".to_string(),
                "low".to_string(),
            )]
                .clone()
        })
        .collect();
    assert_eq!(end(bar(&doc, "service[a].saving"), "low").2, low_case);
    // The pressure at 5 in 2026/27 (its switching level) closes that year with nothing to
    // spare, and leaves the other years as they were.
    assert_eq!(
        remaining(&[
            "--set",
            "pressure[growth].amount={ levels = { \"2025/26\" = 4, \"2026/27\" = 5, \"2027/28\" = 7 } }"
        ]),
        ["2", "0", "1"]
    );
    // c at 5/3 of its profile (levels 5 from 2026/27) closes 2026/27 with nothing to spare.
    assert_eq!(
        remaining(&[
            "--set",
            "service[c].saving={ levels = { \"2026/27\" = 5 } }"
        ]),
        ["2", "0", "-1"]
    );
}

/// Riverside (w = 0.5), from the central figures worked in tests/cli/plans.rs: D = 0.68, 0.972,
/// 1.09, 1.09 (total 3.832); LG = -0.05, 1.1, 1.55, 1.45; R = -0.035, 1.178, 1.535, 1.435.
///
/// - garden-waste (approved; low 0.24, 0.3; central 0.32, 0.4; high 0.36, 0.45; held): its low
///   profile is 0.08, 0.1, 0.1, 0.1 below its plan, so the total is 3.832 - 0.38 = 3.452 and
///   R = 0.045, 1.278, 1.635, 1.535; high: +0.04, +0.05 x 3, total 4.022, R = -0.075, 1.128,
///   1.485, 1.385. Factors: 2025/26 closed now, reopens below 1 - 0.035/0.32 = 0.890625, within
///   its range (0.75 to 1.125); 2026/27 at 1 + 1.178/0.4 = 3.945; its plan at 1.
/// - events-grant (proposed, 0.12, 0.08, 0, 0, a saving that falls): 1 - 0.035/0.12 =
///   0.708333..., rounded up; 1 + 1.178/0.08 = 15.725; nothing after (levels 0).
/// - shared-revenues (proposed, 0, 0.15, 0.3, 0.3 against planned 0, 0.2, 0.25, 0.25): 2026/27
///   at 1 + 1.178/0.15 = 8.8533..., and its plan needs 0.15 k >= 0.2, k >= 4/3 (missed now).
/// - car-parks (in-base) and leisure-trust (withdrawn): nothing to move.
/// - Slips: garden-waste's R(2025/26) rises by 0.32 m/12 for m months, so it reopens past
///   0.035 x 12/0.32 = 1.3125 months: 2; its plan is lost at 1. events-grant's (a falling
///   profile) rises by 0.12 m/12 = 0.01 m: past 3.5 months, 4. digital-first (9 months of
///   2025/26, 0.24 x 0.5) loses 0.01 a month: 4 months; its plan (0.05 in 2025/26) needs
///   0.01 x (9 - m) >= 0.05: lost at 5.
/// - The overlap weighs the proposed lines' planned savings only (0.05, 0.3, 0.35, 0.35); the
///   plans of the approved, in-base and withdrawn lines (0.67, 0.9, 0.9, 0.9) count in full:
///   at w = 0, R = LG - D + 0.67... = -0.06, 1.028, 1.36, 1.26; at w = 1, -0.01, 1.328, 1.71,
///   1.61.
#[test]
fn riverside_by_hand() {
    let doc = sensitivity(RIVERSIDE, &[]);
    let garden = bar(&doc, "service[garden-waste].saving");
    assert_eq!(
        end(garden, "low"),
        expected(
            "low profile",
            "3.452",
            &["0.045", "1.278", "1.635", "1.535"]
        )
    );
    assert_eq!(
        end(garden, "high"),
        expected(
            "high profile",
            "4.022",
            &["-0.075", "1.128", "1.485", "1.385"]
        )
    );
    assert_eq!(
        switches(&doc, "service[garden-waste].saving"),
        [
            switch("gap-closed=2025/26", "0.890625", true, true),
            switch("gap-closed=2026/27", "3.945", false, false),
            switch("gap-closed=2027/28", "4.8375", false, false),
            switch("gap-closed=2028/29", "4.5875", false, false),
            switch("meets-plan=garden-waste", "1", true, true),
        ]
    );
    assert_eq!(
        switches(&doc, "service[events-grant].saving"),
        [
            switch("gap-closed=2025/26", "0.708333333334", true, false),
            switch("gap-closed=2026/27", "15.725", false, false),
        ]
    );
    let shared = switches(&doc, "service[shared-revenues].saving");
    assert_eq!(
        shared[0],
        switch("gap-closed=2026/27", "8.853333333334", false, false)
    );
    assert_eq!(
        shared.last(),
        Some(&switch(
            "meets-plan=shared-revenues",
            "1.333333333334",
            false,
            false
        ))
    );
    for fixed in ["car-parks", "leisure-trust"] {
        let path = format!("service[{fixed}].saving");
        assert!(find_bar(&doc, &path).is_none(), "{fixed}");
        assert!(switches(&doc, &path).is_empty(), "{fixed}");
        assert!(
            switches(&doc, &format!("slip of service[{fixed}]")).is_empty(),
            "{fixed}"
        );
    }
    assert_eq!(
        switches(&doc, "slip of service[garden-waste]"),
        [
            switch("gap-closed=2025/26", "2", true, false),
            switch("meets-plan=garden-waste", "1", true, false),
        ]
    );
    assert_eq!(
        switches(&doc, "slip of service[events-grant]"),
        [switch("gap-closed=2025/26", "4", true, false)]
    );
    assert_eq!(
        switches(
            &doc,
            "slip of service[customer-services].option[digital-first]"
        ),
        [
            switch("gap-closed=2025/26", "4", true, false),
            switch("meets-plan=customer-services", "5", true, false),
        ]
    );
    let overlap = bar(&doc, "scenario.overlap");
    assert_eq!(end(overlap, "low").2, ["-0.06", "1.028", "1.36", "1.26"]);
    assert_eq!(end(overlap, "high").2, ["-0.01", "1.328", "1.71", "1.61"]);
}

/// Gateshead with a range on its pay pressure and its council tax (assumed, in
/// tests/data/plans/gateshead-ranges.toml). No savings, so R = LG = 8.069, 24.329, 33.29,
/// 41.715, 49.923 (requirement less funding, tests/cli/plans.rs).
///
/// - pay: levels 1.862, 5.764, 9.732, 13.768, 17.872; low 1.5, 5, 8.5, 12, 15.5 (R falls by
///   0.362, 0.764, 1.232, 1.768, 2.372: 7.707 ... 47.551); high 2.5, 7, 11.5, 16, 20.5 (R
///   rises by 0.638 ... 2.628: 8.707 ... 52.551). The gap closes only if pay falls to its level
///   less R: 1.862 - 8.069 = -6.207 in 2020/21, 17.872 - 49.923 = -32.051 in 2024/25.
/// - council tax: a high end only, 94.5, 97.5, 100.5, 103.5, 106.5 against 93.655, 96.038,
///   98.469, 100.949, 103.478: R falls by 0.845 ... 3.022 (7.224 ... 46.901). The gap closes
///   at its level plus R: 93.655 + 8.069 = 101.724 in 2020/21.
/// - Reserves are 0 in every year: no bar.
#[test]
fn gateshead_with_ranges_by_hand() {
    let doc = sensitivity(GATESHEAD, &[]);
    let pay = bar(&doc, "pressure[corporate-pay].amount");
    assert_eq!(
        end(pay, "low"),
        expected(
            "low",
            "0",
            &["7.707", "23.565", "32.058", "39.947", "47.551"]
        )
    );
    assert_eq!(
        end(pay, "high"),
        expected(
            "high",
            "0",
            &["8.707", "25.565", "35.058", "43.947", "52.551"]
        )
    );
    let pay_switches = switches(&doc, "pressure[corporate-pay].amount");
    assert_eq!(pay_switches.len(), 5);
    assert_eq!(
        pay_switches[0],
        switch("gap-closed=2020/21", "-6.207", false, false)
    );
    assert_eq!(
        pay_switches[4],
        switch("gap-closed=2024/25", "-32.051", false, false)
    );
    let tax = bar(&doc, "funding[council-tax].amount");
    assert_eq!(
        end(tax, "low"),
        expected(
            "low",
            "0",
            &["8.069", "24.329", "33.29", "41.715", "49.923"]
        )
    );
    assert_eq!(
        end(tax, "high"),
        expected(
            "high",
            "0",
            &["7.224", "22.867", "31.259", "39.164", "46.901"]
        )
    );
    assert_eq!(
        switches(&doc, "funding[council-tax].amount")[0],
        switch("gap-closed=2020/21", "101.724", false, false)
    );
    assert!(find_bar(&doc, "budget.reserves").is_none());
    // The shipped file has no ranges: only the overlap.
    let shipped = sensitivity("scenarios/gateshead-mtfs-2020.toml", &[]);
    let inputs: Vec<&str> = shipped["tornado"]
        .as_array()
        .expect("bars")
        .iter()
        .map(|b| b["input"].as_str().expect("an input"))
        .collect();
    assert_eq!(inputs, ["scenario.overlap"]);
}

/// An in-base line delivers its plan in every case and a withdrawn one nothing: with a range
/// and a risk on each, neither has a bar, a slip, a failure or a switching value.
#[test]
fn in_base_and_withdrawn_lines_have_nothing_to_move() {
    let doc = sensitivity(
        WORKED,
        &[
            "--set",
            "service[d].saving={ low = { levels = { \"2025/26\" = 0.2 } }, central = { levels = { \"2025/26\" = 0.4 } }, high = { levels = { \"2025/26\" = 0.5 } } }",
            "--set",
            "service[d].risk.fail=0.5",
            "--set",
            "service[d].risk.slip_months=[0, 12]",
            "--set",
            "service[c].status=\"withdrawn\"",
            "--set",
            "service[c].risk.fail=0.5",
            "--set",
            "service[c].risk.slip_months=[0, 12]",
        ],
    );
    let named = |id: &str| {
        doc["tornado"]
            .as_array()
            .expect("bars")
            .iter()
            .chain(doc["switching"].as_array().expect("switches"))
            .any(|x| {
                x["input"]
                    .as_str()
                    .is_some_and(|i| i.contains(&format!("service[{id}]")))
            })
    };
    assert!(!named("c"));
    assert!(!named("d"));
    assert!(named("a"));
}

/// An approved line with a steady state and a ramp: its switching value is on its saving, as
/// written; its plan is its central build-up as written, so its saving moves D only. S = 10
/// from October 2025 with ramp 0.5, 1 (D = 2.5, 10), low 8, high 12, in the worked example's
/// place of a: central N = 0, so R = 2, 2, 1 as before. At 8: D = 2, 8, 8, so N = -0.5, -2,
/// -2 and R = 2.5, 4, 3; the total falls by 0.5 + 2 + 2 = 4.5 from 13.2 + (2.5 + 10 + 10) -
/// (1 + 2 + 2) = 30.7 to 26.2. 2025/26 closes at S = 10 + 2 / 0.25 = 18; 2026/27 at 10 + 2 =
/// 12 (its high end: in range); its plan is met at S >= 10.
#[test]
fn an_approved_steady_state_line_switches_on_its_saving() {
    let doc = sensitivity(
        WORKED,
        &[
            "--set",
            "service[a].saving={ low = 8, central = 10, high = 12 }",
            "--set",
            "service[a].start=\"2025-10\"",
            "--set",
            "service[a].ramp=[0.5, 1.0]",
        ],
    );
    let a = bar(&doc, "service[a].saving");
    assert_eq!(a["kind"], "saving");
    assert_eq!(end(a, "low"), expected("8", "26.2", &["2.5", "4", "3"]));
    assert_eq!(doc["central"]["total_saving"], "30.7");
    assert_eq!(
        switches(&doc, "service[a].saving"),
        [
            switch("gap-closed=2025/26", "18", false, false),
            switch("gap-closed=2026/27", "12", false, true),
            switch("gap-closed=2027/28", "11", false, true),
            switch("meets-plan=a", "10", true, true),
        ]
    );
}

/// The plan's sensitivity JSON follows the published schema, and the table, CSV and Markdown
/// name the new inputs.
#[test]
fn every_format_of_a_plan() -> TestResult {
    let schema: serde_json::Value = serde_json::from_slice(&run(&["schema"]).stdout)?;
    let validator = jsonschema::validator_for(&schema).map_err(|e| e.to_string())?;
    for file in [WORKED, RANGES, RIVERSIDE, GATESHEAD] {
        let document = sensitivity(file, &[]);
        let errors: Vec<String> = validator
            .iter_errors(&document)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{file}: {errors:?}");
    }
    let csv = stdout(&run(&["sensitivity", RANGES, "--format", "csv"]));
    let mut kinds: Vec<String> = csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|r| r.map(|r| r[2].to_string()))
        .collect::<Result<_, _>>()?;
    kinds.dedup();
    for kind in [
        "profile", "pressure", "funding", "reserves", "slip", "failure",
    ] {
        assert!(kinds.iter().any(|k| k == kind), "{kind}: {kinds:?}");
    }
    assert!(csv.contains(",pressure[growth].amount,pressure,low,low,total_saving,,13.2\n"));
    assert!(csv.contains(",service[a].saving,profile,low,low profile,total_saving,,12\n"));
    for format in ["table", "markdown"] {
        let text = stdout(&run(&["sensitivity", RANGES, "--format", format]));
        for words in [
            "a, saving",
            "profile",
            "growth, pressure",
            "resources, funding",
            "Use of reserves",
            "1.6667 x",
            "a factor on its central profile",
            "In-base and withdrawn lines",
            "The gap's inputs move the remaining gap",
        ] {
            assert!(text.contains(words), "{format}: {words}\n{text}");
        }
        // The table wraps a setting within its column; the Markdown does not.
        assert_eq!(
            format == "markdown",
            text.contains("| low profile |"),
            "{format}"
        );
    }
    let table = stdout(&run(&["sensitivity", RIVERSIDE]));
    for line in table.lines() {
        assert!(line.chars().count() <= 100, "{line}");
    }
    Ok(())
}

// ---- generated plans: every bar and switching value against full projections ----

mod generated {
    use proptest::prelude::*;
    use rust_decimal::Decimal;
    use savings_modeller::analysis::sensitivity::{Goal, Input, sensitivity};
    use savings_modeller::model::{Basis, Build, Cases, Money, Scenario, YearSeries};
    use savings_modeller::projection::{Projection, project};
    use savings_modeller::scenario;

    const STATUSES: [&str; 4] = ["proposed", "approved", "in-base", "withdrawn"];

    /// Levels in thousandths for each of `years` years, 0 to 3: they may rise and fall.
    fn levels(years: usize) -> impl Strategy<Value = Vec<i64>> {
        proptest::collection::vec(0i64..=3_000, years)
    }

    fn table(values: &[i64], base: u16) -> String {
        let cells: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(k, v)| {
                let year = base + 1 + k as u16;
                format!(
                    "\"{year}/{:02}\" = {}",
                    (year + 1) % 100,
                    Decimal::new(*v, 3).normalize()
                )
            })
            .collect();
        format!("{{ {} }}", cells.join(", "))
    }

    /// A plan of one-line profiles of every status, a pressure and a funding line with a
    /// range, and reserves.
    fn plan() -> impl Strategy<Value = String> {
        (2usize..=5)
            .prop_flat_map(|years| {
                (
                    Just(years),
                    proptest::collection::vec(
                        (levels(years), 50i64..=100, 100i64..=150, 0usize..4, levels(years)),
                        1..4,
                    ),
                    levels(years),
                    (50i64..=100, 100i64..=150),
                    0i64..=2_000,
                )
            })
            .prop_map(|(years, lines, pressure, (down, up), reserves)| {
                let base = 2024u16;
                let scaled = |values: &[i64], percent: i64| -> Vec<i64> {
                    values.iter().map(|v| v * percent / 100).collect()
                };
                let mut text = format!(
                    "[scenario]\nbase_year = \"2024/25\"\nhorizon = {years}\noverlap = 0.5\n\n[budget]\nnet = 10\nreserves = {{ \"2025/26\" = {} }}\n\n",
                    Decimal::new(reserves, 3)
                );
                text.push_str(&format!(
                    "[[pressure]]\nid = \"pay\"\namount = {{ levels = {} }}\nlow = {{ levels = {} }}\nhigh = {{ levels = {} }}\n\n",
                    table(&pressure, base),
                    table(&scaled(&pressure, down), base),
                    table(&scaled(&pressure, up), base),
                ));
                let funding: Vec<i64> = (0..years).map(|_| 8_000).collect();
                text.push_str(&format!(
                    "[[funding]]\nid = \"tax\"\namount = {}\nlow = {}\n\n",
                    table(&funding, base),
                    table(&scaled(&funding, down), base),
                ));
                for (i, (central, low, high, status, planned)) in lines.iter().enumerate() {
                    let status = STATUSES[*status];
                    text.push_str(&format!(
                        "[[service]]\nid = \"line{i}\"\nstatus = \"{status}\"\nsaving = {{ low = {{ levels = {} }}, central = {{ levels = {} }}, high = {{ levels = {} }} }}\nrisk = {{ fail = 0.1, slip_months = [0, 9] }}\n",
                        table(&scaled(central, *low), base),
                        table(central, base),
                        table(&scaled(central, *high), base),
                    ));
                    if status == "proposed" {
                        text.push_str(&format!(
                            "planned = {{ levels = {} }}\n",
                            table(&scaled(planned, 50), base)
                        ));
                    }
                    text.push('\n');
                }
                text
            })
    }

    fn holds(p: &Projection, scenario: &Scenario, goal: &Goal) -> bool {
        match goal {
            Goal::GapClosed(year) => p
                .years
                .iter()
                .position(|y| y == year)
                .is_some_and(|t| !p.total.remaining_gap.central[t].is_positive()),
            Goal::MeetsPlan(id) => p
                .services
                .iter()
                .find(|s| &scenario.services[s.service].id == id)
                .is_some_and(|s| s.meets_plan.central.holds),
        }
    }

    /// `scenario` with line `id`'s profile at `case`'s levels scaled by `k`, in every case.
    fn with_profile(
        scenario: &Scenario,
        id: &str,
        pick: impl Fn(&Cases<Vec<Money>>) -> Vec<Money>,
    ) -> Scenario {
        let mut changed = scenario.clone();
        let service = changed
            .services
            .iter_mut()
            .find(|s| s.id == id)
            .unwrap_or_else(|| panic!("{id}"));
        let option = &mut service.options[0];
        let Build::Profile(levels) = &option.build else {
            panic!("{id} is not a profile")
        };
        let picked = pick(levels);
        option.saving = Cases::all(picked.last().copied().unwrap_or_default());
        option.build = Build::Profile(Cases::all(picked));
        changed
    }

    fn scaled(levels: &[Money], k: Decimal) -> Vec<Money> {
        levels
            .iter()
            .map(|l| l.times_decimal(k).unwrap_or_else(|e| panic!("{e}")))
            .collect()
    }

    /// `scenario` with a gap line's amount replaced by `levels` (projected years, in order).
    fn with_line(scenario: &Scenario, funding: bool, levels: &[Money]) -> Scenario {
        let mut changed = scenario.clone();
        let lines = if funding {
            &mut changed.gap_build.funding
        } else {
            &mut changed.gap_build.pressures
        };
        lines[0].amount = YearSeries::new(
            Basis::Levels,
            scenario.years().zip(levels.iter().copied()).collect(),
        );
        changed
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Each end of each bar is what a whole projection gives with the input there, and
        /// each switching value of a profile or a gap line is where its target changes state.
        #[test]
        fn bars_and_switching_values_agree_with_full_projections(text in plan()) {
            let s = scenario::from_text("plan.toml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
            let p = project(&s).unwrap_or_else(|e| panic!("{e}"));
            let result = sensitivity(&s, &p).unwrap_or_else(|e| panic!("{e}"));
            let gaps = |q: &Projection| -> Vec<Money> { q.total.remaining_gap.central.clone() };
            let years: Vec<_> = s.years().collect();
            for bar in &result.bars {
                let ends: Option<[Scenario; 2]> = match &bar.input {
                    Input::Profile(line) => Some([
                        with_profile(&s, &line.service, |l| l.low.clone()),
                        with_profile(&s, &line.service, |l| l.high.clone()),
                    ]),
                    Input::Pressure(_) | Input::Funding(_) => {
                        let funding = matches!(bar.input, Input::Funding(_));
                        let line = if funding { &s.gap_build.funding[0] } else { &s.gap_build.pressures[0] };
                        let (low, high) = line.range().unwrap_or_else(|| panic!("a range"));
                        let at = |series: &YearSeries| with_line(&s, funding, &series.levels(years.iter().copied()).unwrap_or_else(|e| panic!("{e}")));
                        Some([at(low), at(high)])
                    }
                    _ => None,
                };
                let Some(ends) = ends else { continue };
                for (end, changed) in [&bar.low, &bar.high].into_iter().zip(ends) {
                    let full = project(&changed).unwrap_or_else(|e| panic!("{e}"));
                    prop_assert_eq!(end.outcome.total_saving, full.total.summary.central.total_saving, "{}\n{}", bar.input, text);
                    prop_assert_eq!(&end.outcome.remaining_gap, &gaps(&full), "{}\n{}", bar.input, text);
                }
            }
            let step = Decimal::new(1, 6);
            for w in &result.switching {
                match &w.input {
                    Input::Profile(line) => {
                        let at = |k: Decimal| {
                            let changed = with_profile(&s, &line.service, |l| scaled(&l.central, k));
                            holds(&project(&changed).unwrap_or_else(|e| panic!("{e}")), &changed, &w.goal)
                        };
                        prop_assert!(at(w.value), "{} {} at {}\n{}", w.input, w.goal, w.value, text);
                        if w.value >= step {
                            prop_assert!(!at(w.value - step), "{} {} below {}\n{}", w.input, w.goal, w.value, text);
                        }
                    }
                    Input::Pressure(_) | Input::Funding(_) => {
                        let funding = matches!(w.input, Input::Funding(_));
                        let Goal::GapClosed(year) = &w.goal else { panic!("{}", w.goal) };
                        let t = years.iter().position(|y| y == year).unwrap_or_else(|| panic!("{year}"));
                        let at = |level: Decimal| {
                            let build = p.total.gap_build.as_ref().unwrap_or_else(|| panic!("built"));
                            let mut levels = if funding { build.funding_lines[0].clone() } else { build.pressure_lines[0].clone() };
                            levels[t] = Money::new(level);
                            holds(&project(&with_line(&s, funding, &levels)).unwrap_or_else(|e| panic!("{e}")), &s, &w.goal)
                        };
                        // A pressure may be at most the value, a funding line at least.
                        let away = if funding { w.value - step } else { w.value + step };
                        prop_assert!(at(w.value), "{} {} at {}\n{}", w.input, w.goal, w.value, text);
                        prop_assert!(!at(away), "{} {} past {}\n{}", w.input, w.goal, w.value, text);
                    }
                    _ => {}
                }
            }
            // Nothing moves an in-base or withdrawn line.
            for service in &s.services {
                let status = service.options[0].status;
                if status.is_planned() && status != savings_modeller::model::Status::Approved {
                    let named = |i: &Input| i.to_string().contains(&format!("service[{}]", service.id));
                    prop_assert!(!result.bars.iter().any(|b| named(&b.input)));
                    prop_assert!(!result.switching.iter().any(|w| named(&w.input)));
                }
            }
        }
    }
}
