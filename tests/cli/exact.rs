//! Issue 11, items 1, 2 and 5: a yes/no answer never turns on a rounding. Values that do not
//! terminate (4/12, 1/7, 1/9) are carried as exact fractions, so a tie closes the year in
//! every command; a simulation with nothing to draw equals the deterministic figures exactly
//! at any magnitude; and a slip past the last nameable year saves nothing.

use super::support::{TestResult, csv_values, data, json, run, stderr, stdout};

fn total(csv: &str, year: &str, measure: &str, case: &str) -> String {
    let values = csv_values(csv);
    let key = (
        "total".to_string(),
        String::new(),
        year.to_string(),
        measure.to_string(),
        case.to_string(),
    );
    values
        .get(&key)
        .cloned()
        .unwrap_or_else(|| panic!("no total {measure} {year} {case}"))
}

/// Every command says the tie year is closed: `run` (CSV, JSON, table, --check-gap),
/// the Markdown report, sensitivity (a switching value equal to the saving, in range), solve
/// (the saving as it stands), simulate (P(closed) = 1, remaining gap exactly 0).
fn assert_tie_closes_everywhere(file: &str, year: &str, option: &str) {
    let csv = stdout(&run(&["run", file, "--format", "csv"]));
    for case in ["low", "central", "high"] {
        assert_eq!(
            total(&csv, year, "remaining_gap", case),
            "0",
            "{file} {case}"
        );
    }
    let doc = json(&["run", file, "--format", "json"]);
    let closed = &doc["summary"]["central"]["closed_years"];
    assert!(
        closed
            .as_array()
            .is_some_and(|a| a.iter().any(|y| y == year)),
        "{file}: closed years {closed}"
    );
    let check = run(&["run", file, "--check-gap"]);
    // Only the later, open year may fail the check: the tie year never does.
    assert!(
        !stderr(&check).contains(&format!("\"{year}\" is not closed")),
        "{file}: {}",
        stderr(&check)
    );
    let table = stdout(&run(&["run", file]));
    let row = table
        .lines()
        .find(|l| l.starts_with(&format!("│ {year}")))
        .unwrap_or_else(|| panic!("{file}: no row for {year}"));
    assert!(row.trim_end_matches(['│', ' ']).ends_with("yes"), "{row}");
    let report = stdout(&run(&["report", file, "--format", "md"]));
    let row = report
        .lines()
        .find(|l| l.starts_with(&format!("| {year}")))
        .unwrap_or_else(|| panic!("{file}: no report row for {year}"));
    assert!(
        row.trim_end()
            .trim_end_matches('|')
            .trim_end()
            .ends_with("yes"),
        "{row}"
    );

    let sensitivity = json(&["sensitivity", file, "--format", "json"]);
    let switch = sensitivity["switching"]
        .as_array()
        .expect("switching values")
        .iter()
        .find(|s| {
            s["input"] == format!("{option}.saving") && s["target"] == format!("gap-closed={year}")
        })
        .unwrap_or_else(|| panic!("{file}: no switching value for {option}"));
    assert_eq!(switch["holds"], true, "{switch}");
    assert_eq!(switch["value"], switch["central"], "{switch}");
    assert_eq!(switch["within_range"], true, "{switch}");

    let target = format!("gap-closed={year}");
    let vary = format!("{option}.saving");
    let solved = json(&[
        "solve", file, "--target", &target, "--vary", &vary, "--format", "json",
    ]);
    assert_eq!(solved["value"], switch["central"], "{file}: solve");
    assert_eq!(solved["margin"], "0", "{file}: solve");

    let simulated = json(&["simulate", file, "--trials", "2000", "--format", "json"]);
    let entry = simulated["years"]
        .as_array()
        .expect("years")
        .iter()
        .find(|y| y["year"] == year)
        .expect("the tie year");
    assert_eq!(entry["probability_closed"], "1", "{file}");
    for case in ["mean", "p10", "p50", "p90"] {
        assert_eq!(entry["remaining_gap"][case], "0", "{file} {case}");
    }
}

#[test]
fn three_savings_of_four_twelfths_close_a_gap_of_one_in_every_command() {
    assert_tie_closes_everywhere(
        &data("exact/thirds.toml"),
        "2015/16",
        "service[a].option[o]",
    );
}

#[test]
fn sevenths_and_ninths_close_a_gap_of_two_in_every_command() {
    assert_tie_closes_everywhere(
        &data("exact/sevenths-ninths.toml"),
        "2015/16",
        "service[s7-1].option[o]",
    );
}

/// A scenario in pounds at magnitude `m`: three savings of `s = 0.3 m + 1` from December
/// (`s / 3` each in the first year, which never terminates, so the first year ties the gap
/// of `s` exactly), with planned savings, overlap and one-off costs.
fn at_magnitude(m: u64) -> String {
    let s = 3 * m / 10 + 1;
    let mut text = format!(
        "[scenario]\nname = \"magnitude {m}\"\nbase_year = \"2014/15\"\nunit = \"£\"\noverlap = 0.5\n\
         [gap]\nunidentified = {{ \"2015/16\" = {s}, \"2016/17\" = {} }}\n",
        2 * s + 7
    );
    for (i, start) in ["2015-12", "2015-12", "2015-12"].iter().enumerate() {
        text.push_str(&format!(
            "[[service]]\nid = \"s{i}\"\nplanned = {{ \"2016/17\" = {} }}\n\
             [[service.option]]\nid = \"o\"\npreferred = true\nsaving = {s}\nstart = \"{start}\"\n\
             one_off_cost = {{ \"2015/16\" = {} }}\n",
            s / 7,
            s / 9
        ));
    }
    text
}

#[test]
fn without_risk_every_simulated_statistic_equals_run_at_any_magnitude() -> TestResult {
    let dir = tempfile::tempdir()?;
    for m in [1_000u64, 100_000_000, 1_000_000_000_000] {
        let path = dir.path().join(format!("m{m}.toml"));
        std::fs::write(&path, at_magnitude(m))?;
        let file = path.display().to_string();
        let csv = stdout(&run(&["run", &file, "--format", "csv"]));
        let deterministic = json(&["run", &file, "--format", "json"]);
        let sim = json(&["simulate", &file, "--trials", "3000", "--format", "json"]);
        let closed = deterministic["summary"]["central"]["closed_years"]
            .as_array()
            .expect("closed years")
            .clone();
        assert!(
            closed.iter().any(|y| y == "2015/16"),
            "m {m}: the tie closes: {closed:?}"
        );
        for entry in sim["years"].as_array().expect("years") {
            let year = entry["year"].as_str().expect("a year");
            for (key, measure) in [
                ("in_year_saving", "in_year_saving"),
                ("contribution", "contribution"),
                ("remaining_gap", "remaining_gap"),
            ] {
                let expected = total(&csv, year, measure, "central");
                for case in ["mean", "p10", "p50", "p90"] {
                    assert_eq!(
                        entry[key][case],
                        expected.as_str(),
                        "m {m} {year} {key} {case}"
                    );
                }
            }
            let p = if closed.iter().any(|y| y == year) {
                "1"
            } else {
                "0"
            };
            assert_eq!(entry["probability_closed"], p, "m {m} {year}");
        }
        for key in ["total_saving", "npv"] {
            for case in ["mean", "p10", "p50", "p90"] {
                assert_eq!(
                    sim[key][case], deterministic["summary"]["central"][key],
                    "m {m} {key} {case}"
                );
            }
        }
        for (simulated, exact) in sim["services"]
            .as_array()
            .expect("services")
            .iter()
            .zip(deterministic["services"].as_array().expect("services"))
        {
            let holds = exact["meets_plan"]["central"]["holds"] == true;
            let want = if holds { "1" } else { "0" };
            assert_eq!(simulated["probability_meets_plan"], want, "m {m}");
        }
    }
    Ok(())
}

#[test]
fn a_slip_past_the_last_nameable_year_saves_nothing() {
    let file = data("exact/past-the-last-year.toml");
    // As planned, each option saves 10 of its 12 in 2499/00 (June to March).
    let csv = stdout(&run(&["run", &file, "--format", "csv"]));
    assert_eq!(total(&csv, "2499/00", "in_year_saving", "central"), "20");
    // Every slip of 10 to 12 months moves the go-live past March 2500: nothing is saved, in
    // every trial (before the fix the go-live fell back to June 2499).
    let csv = stdout(&run(&[
        "simulate", &file, "--trials", "2000", "--format", "csv",
    ]));
    for case in ["mean", "p10", "p50", "p90"] {
        assert_eq!(
            total(&csv, "2499/00", "in_year_saving", case),
            "0",
            "{case}"
        );
    }
    // Sensitivity: the slip's far end (12 months) loses the option's whole saving.
    let doc = json(&["sensitivity", &file, "--format", "json"]);
    let bar = doc["tornado"]
        .as_array()
        .expect("a tornado")
        .iter()
        .find(|b| b["input"] == "slip of service[late].option[o]")
        .unwrap_or_else(|| panic!("no slip bar: {}", doc["tornado"]));
    let central: f64 = doc["central"]["total_saving"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("a total");
    let slipped: f64 = bar["high"]["outcome"]["total_saving"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("a total");
    assert_eq!(central - slipped, 10.0, "{bar}");
}
