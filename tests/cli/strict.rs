//! Plans (docs/model.md section 9) under input a user might try: overrides into the new
//! fields, `extends` laying budgets and gap lines over a parent, figures at the edge of
//! exactness, and empty wrappers. Malformed plans, one rule each, are in `tests/bad`.

use super::support::{TestResult, csv_values, run, stderr, stdout};

/// The `total` rows of `measure` (central case) from `run --format csv` with `args`.
fn totals(args: &[&str], measure: &str) -> Vec<String> {
    let mut all = vec!["run"];
    all.extend(args);
    all.extend(["--format", "csv"]);
    let output = run(&all);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    csv_values(&stdout(&output))
        .into_iter()
        .filter(|((service, _, _, m, case), _)| {
            service == "total" && m == measure && case == "central"
        })
        .map(|(_, value)| value)
        .collect()
}

const PARENT: &str = "tests/data/plans/parent.toml";

#[test]
fn a_child_plan_lays_its_budget_and_lines_over_its_parent_by_id() {
    assert_eq!(totals(&[PARENT], "gap_to_date"), ["0.1", "0.6", "0.35"]);
    let child = "tests/data/plans/child.toml";
    assert_eq!(totals(&[child], "requirement"), ["15.7", "15.8", "15.8"]);
    assert_eq!(totals(&[child], "funding"), ["8.1", "8.35", "8.6"]);
    assert_eq!(totals(&[child], "reserves"), ["0", "1", "0"]);
    assert_eq!(totals(&[child], "gap_to_date"), ["7.6", "6.45", "7.2"]);
    assert_eq!(totals(&[child], "in_year_saving"), ["0.4", "0.4", "0.4"]);
}

#[test]
fn net_and_requirement_replace_each_other_in_a_child_or_an_override() {
    // The child's requirement replaces the parent's net budget.
    let child = "tests/data/plans/requirement.toml";
    assert_eq!(totals(&[child], "requirement"), ["15", "15", "15"]);
    assert_eq!(totals(&[child], "gap_to_date"), ["-0.6", "-0.35", "-0.6"]);
    // And --set of one replaces the other, either way.
    assert_eq!(
        totals(&[child, "--set", "budget.net=15.2"], "requirement"),
        ["15.2", "15.2", "15.2"]
    );
    assert_eq!(
        totals(
            &[
                child,
                "--set",
                "budget.net=15.2",
                "--set",
                "budget.requirement.\"2026/27\"=16"
            ],
            "requirement"
        ),
        ["0", "16", "16"]
    );
    // With pressures left, a requirement set from the command line is refused, naming it.
    let output = run(&[
        "check",
        PARENT,
        "--set",
        "budget.requirement={ \"2025/26\" = 15 }",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with("error: tests/data/plans/parent.toml:14:6: pressure[pay]: [[pressure]] lines add to a net budget, but [budget] gives requirement (--set budget.requirement={ \"2025/26\" = 15 }), the total with every pressure in it"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_place_in_another_file_or_an_override_is_named_as_such() {
    // [budget] from the command line beside the file's gap.unidentified.
    let output = run(&[
        "check",
        "scenarios/worked-example.toml",
        "--set",
        "budget.net=100",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(
            "help: remove gap.unidentified, or remove [budget] (--set budget.net=100) to test against the unidentified gap"
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn set_reaches_a_year_inside_a_wrapper_of_every_new_table() {
    // A pressure's levels: 0.2, then 0.5 from 2026/27.
    assert_eq!(
        totals(
            &[
                PARENT,
                "--set",
                "pressure[waste].amount.levels.\"2026/27\"=0.5"
            ],
            "requirement"
        ),
        ["15.7", "16.25", "16.25"]
    );
    // A funding line's plain levels, a year at a time.
    assert_eq!(
        totals(
            &[PARENT, "--set", "funding[grant].amount.\"2027/28\"=6"],
            "funding"
        ),
        ["15.1", "15.35", "14.6"]
    );
    // A line's profile, a year at a time, and one case of it.
    assert_eq!(
        totals(
            &[
                PARENT,
                "--set",
                "service[garden].saving.levels.\"2026/27\"=0.5"
            ],
            "in_year_saving"
        ),
        ["0.3", "0.5", "0.5"]
    );
    let output = run(&[
        "run",
        PARENT,
        "--set",
        "service[garden].saving.high.levels.\"2027/28\"=0.45",
        "--format",
        "csv",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let values = csv_values(&stdout(&output));
    let key = |year: &str, case: &str| {
        (
            "garden".to_string(),
            "garden".to_string(),
            year.to_string(),
            "in_year_saving".to_string(),
            case.to_string(),
        )
    };
    assert_eq!(values[&key("2027/28", "high")], "0.45");
    assert_eq!(values[&key("2027/28", "central")], "0.3");
}

#[test]
fn a_profile_of_28_decimal_places_is_held_exactly() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let path = folder.path().join("precise.toml");
    std::fs::write(
        &path,
        "[scenario]\nbase_year = \"2024/25\"\nhorizon = 2\n[[service]]\nid = \"a\"\nsaving = { levels = { \"2025/26\" = 1.2345678901234567890123456789 } }\n",
    )
    .expect("written");
    let path = path.display().to_string();
    assert_eq!(
        totals(&[&path], "in_year_saving"),
        [
            "1.2345678901234567890123456789",
            "1.2345678901234567890123456789"
        ]
    );
}

#[test]
fn an_empty_wrapper_is_a_warning() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let path = folder.path().join("empty.toml");
    std::fs::write(
        &path,
        "[scenario]\nbase_year = \"2024/25\"\nhorizon = 2\n[[service]]\nid = \"a\"\nsaving = { levels = {} }\n",
    )
    .expect("written");
    let path = path.display().to_string();
    let output = run(&["check", &path]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        stderr(&output).contains("6:12: service[a].saving.levels: { levels = {} } names no year, so the amounts are 0 in every year"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        run(&["check", &path, "--deny-warnings"]).status.code(),
        Some(2)
    );
}

#[test]
fn unicode_names_and_areas_reach_every_format() -> TestResult {
    let folder = tempfile::tempdir()?;
    let path = folder.path().join("unicode.toml");
    std::fs::write(
        &path,
        "[scenario]\nbase_year = \"2024/25\"\nhorizon = 2\n[budget]\nnet = 10\n[[pressure]]\nid = \"p\"\nname = \"Pressão salarial 東京\"\narea = \"Área ☃\"\namount = { \"2025/26\" = 1 }\n[[service]]\nid = \"a\"\nname = \"Библиотеки\"\narea = \"Área ☃\"\nsaving = { levels = { \"2025/26\" = 0.5 } }\n",
    )?;
    let path = path.display().to_string();
    for format in ["table", "csv", "json", "markdown"] {
        let output = run(&["run", &path, "--format", format]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{format}: {}",
            stderr(&output)
        );
        let text = stdout(&output);
        if format != "csv" {
            assert!(text.contains("Área ☃"), "{format}: {text}");
        }
    }
    Ok(())
}

#[test]
fn a_wrapped_gap_year_no_saving_can_reach_is_a_warning() -> TestResult {
    let folder = tempfile::tempdir()?;
    for (wrapper, help) in [
        ("levels", "levels are the gap to date in each year"),
        (
            "increments",
            "the gap is new each year, not a running total",
        ),
    ] {
        let path = folder.path().join(format!("{wrapper}.toml"));
        std::fs::write(
            &path,
            format!(
                "[scenario]\nbase_year = \"2024/25\"\nhorizon = 3\n[gap]\nunidentified = {{ {wrapper} = {{ \"2025/26\" = 1 }} }}\n[[service]]\nid = \"a\"\nsaving = {{ levels = {{ \"2026/27\" = 1 }} }}\n"
            ),
        )?;
        let output = run(&["check", &path.display().to_string()]);
        assert_eq!(output.status.code(), Some(0));
        let message = stderr(&output);
        assert!(
            message.contains(&format!("gap.unidentified.{wrapper}.\"2025/26\": no saving can reach \"2025/26\": the earliest any option starts to save is \"2026/27\"")),
            "{message}"
        );
        assert!(message.contains(help), "{message}");
    }
    Ok(())
}

#[test]
fn a_100_year_plan_runs_in_every_format_and_warns_of_years_after_it() -> TestResult {
    let folder = tempfile::tempdir()?;
    let path = folder.path().join("century.toml");
    // Base 2024/25, horizon 100: the last projected year is 2124/25.
    std::fs::write(
        &path,
        "[scenario]\nbase_year = \"2024/25\"\nhorizon = 100\n[budget]\nnet = 1000000000000\nreserves = { \"2025/26\" = -3 }\n[[pressure]]\nid = \"p\"\namount = { increments = { \"2025/26\" = 1000000000000, \"2124/25\" = -0.5 } }\n[[funding]]\nid = \"f\"\namount = { levels = { \"2025/26\" = 0.5 } }\n[[service]]\nid = \"a\"\nsaving = { low = { levels = { \"2025/26\" = 1 } }, central = { increments = { \"2025/26\" = 1, \"2124/25\" = 1 } }, high = { levels = { \"2025/26\" = 1, \"2124/25\" = 2, \"2125/26\" = 3 } } }\n",
    )?;
    let path = path.display().to_string();
    let output = run(&["check", &path]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("service[a].saving.high.levels.\"2125/26\": \"2125/26\" is after \"2124/25\", the last projected year, so this figure is not used"),
        "{}",
        stderr(&output)
    );
    for format in ["table", "csv", "json", "markdown"] {
        let output = run(&["run", &path, "--format", format]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{format}: {}",
            stderr(&output)
        );
    }
    assert_eq!(
        totals(&[&path], "in_year_saving")
            .last()
            .map(String::as_str),
        Some("2")
    );
    assert_eq!(
        totals(&[&path], "requirement").last().map(String::as_str),
        Some("1999999999999.5")
    );
    Ok(())
}
