//! Issue 15: `savings simulate` on plans written the section-9 way (docs/model.md sections 5,
//! 9.2 and 9.4): profiles drawn by one uniform a trial through each year's inverse
//! distribution function, slips of profiles, statuses, the gap built from the budget, and the
//! same bytes whatever `--threads`. Expected figures are worked by hand in the data files'
//! comments (tests/data/monte-carlo).

use std::collections::BTreeMap;

use super::support::{TestResult, json, run, stderr, stdout};

/// (service or `total`, year, measure, statistic) -> value, from `simulate --format csv`.
type Figures = BTreeMap<(String, String, String, String), String>;

fn simulated(args: &[&str]) -> Result<Figures, Box<dyn std::error::Error>> {
    let mut all = vec!["simulate"];
    all.extend(args);
    all.extend(["--format", "csv"]);
    let output = run(&all);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{all:?}: {}",
        stderr(&output)
    );
    let mut figures = Figures::new();
    let text = stdout(&output);
    for row in csv::Reader::from_reader(text.as_bytes()).records() {
        let row = row?;
        let cells: Vec<&str> = row.iter().collect();
        let [_, service, _, year, measure, statistic, value] = cells[..] else {
            return Err(format!("unexpected row {row:?}").into());
        };
        figures.insert(
            (
                service.into(),
                year.into(),
                measure.into(),
                statistic.into(),
            ),
            value.into(),
        );
    }
    Ok(figures)
}

/// `savings run --format csv`'s central figures: (service or `total`, year, measure) -> value.
fn central(scenario: &str) -> BTreeMap<(String, String, String), String> {
    let output = run(&["run", scenario, "--format", "csv"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            match cells[..] {
                [_, service, _, year, measure, "central", value] => {
                    Some(((service.into(), year.into(), measure.into()), value.into()))
                }
                _ => None,
            }
        })
        .collect()
}

fn key(
    service: &str,
    year: &str,
    measure: &str,
    statistic: &str,
) -> (String, String, String, String) {
    (
        service.into(),
        year.into(),
        measure.into(),
        statistic.into(),
    )
}

/// With nothing drawn, every statistic is `run`'s central figure, exactly: the worked example
/// of a plan (statuses, profiles, the gap built from the budget) and Gateshead's MTFS.
#[test]
fn a_plan_with_nothing_to_draw_simulates_to_run_s_figures() -> TestResult {
    for scenario in [
        "scenarios/worked-example-plan.toml",
        "scenarios/gateshead-mtfs-2020.toml",
    ] {
        let run = central(scenario);
        let sim = simulated(&[scenario, "--trials", "300"])?;
        let mut checked = 0;
        for ((service, year, measure), value) in &run {
            let measures = ["in_year_saving", "contribution", "remaining_gap"];
            if service != "total" || !measures.contains(&measure.as_str()) {
                continue;
            }
            for statistic in ["mean", "p10", "p50", "p90"] {
                assert_eq!(
                    sim.get(&key(service, year, measure, statistic)),
                    Some(value),
                    "{scenario}: {measure} {year} {statistic}"
                );
                checked += 1;
            }
            if measure == "remaining_gap" {
                let closed = if value.starts_with('-') || value == "0" {
                    "1"
                } else {
                    "0"
                };
                assert_eq!(
                    sim.get(&key("total", year, "probability_closed", "mean"))
                        .map(String::as_str),
                    Some(closed),
                    "{scenario}: {year}"
                );
            }
        }
        assert!(checked >= 3 * 4 * 3, "{scenario}: {checked}");
    }
    // The worked example of a plan (docs/model.md section 9.6): R = 2, 2, 1 in every trial.
    let sim = simulated(&["scenarios/worked-example-plan.toml", "--trials", "100"])?;
    for (year, r) in [("2025/26", "2"), ("2026/27", "2"), ("2027/28", "1")] {
        assert_eq!(sim[&key("total", year, "remaining_gap", "p90")], r);
    }
    Ok(())
}

/// Risk and optimism bias count on approved lines as on proposals; a withdrawn or failed
/// approved line reopens the gap by its plan, w not applied (tests/data/monte-carlo/approved-at-risk.toml).
#[test]
fn approved_lines_carry_risk_and_optimism_bias() -> TestResult {
    let sim = simulated(&[
        "tests/data/monte-carlo/approved-at-risk.toml",
        "--trials",
        "2000",
    ])?;
    let expect = [
        ("sure-to-fail", "2025/26", "in_year_saving", "0"),
        ("haircut", "2025/26", "in_year_saving", "0.75"),
        ("fixed-slip", "2025/26", "in_year_saving", "0.9"),
        ("fixed-slip", "2026/27", "in_year_saving", "1.2"),
        ("sure-to-fail", "", "probability_meets_plan", "0"),
        ("haircut", "", "probability_meets_plan", "0"),
        ("fixed-slip", "", "probability_meets_plan", "1"),
    ];
    for (service, year, measure, value) in expect {
        assert_eq!(
            sim[&key(service, year, measure, "mean")],
            value,
            "{service} {year} {measure}"
        );
    }
    for statistic in ["mean", "p10", "p50", "p90"] {
        for (year, n, r) in [
            ("2025/26", "-1.55", "6.55"),
            ("2026/27", "-1.25", "7.25"),
            ("2027/28", "-1.25", "7.25"),
        ] {
            assert_eq!(sim[&key("total", year, "contribution", statistic)], n);
            assert_eq!(sim[&key("total", year, "remaining_gap", statistic)], r);
        }
    }
    Ok(())
}

/// One uniform a trial gives every year of a profile the same point of its distribution: a
/// year whose low, central and high are twice another's saves exactly twice as much, trial
/// by trial, so its statistics are exactly twice, for triangular and PERT alike.
#[test]
fn every_year_of_a_profile_reads_the_same_draw() -> TestResult {
    for distribution in ["\"triangular\"", "\"pert\""] {
        let set = format!("service[twice].distribution={distribution}");
        let sim = simulated(&[
            "tests/data/monte-carlo/proportional-profile.toml",
            "--trials",
            "5000",
            "--set",
            &set,
        ])?;
        for statistic in ["mean", "p10", "p50", "p90"] {
            let first: f64 = sim[&key("total", "2025/26", "in_year_saving", statistic)].parse()?;
            let second: f64 = sim[&key("total", "2026/27", "in_year_saving", statistic)].parse()?;
            assert_eq!(2.0 * first, second, "{distribution} {statistic}");
        }
        // Triangular mean (1 + 2 + 4) / 3; PERT (1 + 4 x 2 + 4) / 6.
        let mean: f64 = sim[&key("total", "2025/26", "in_year_saving", "mean")].parse()?;
        let expected = if distribution.contains("pert") {
            13.0 / 6.0
        } else {
            7.0 / 3.0
        };
        assert!(
            (mean - expected).abs() < 0.03,
            "{distribution}: {mean} against {expected}"
        );
    }
    Ok(())
}

/// A slip of m = 12k + j months moves a profile later by
/// `((12 - j) x D(y - k) + j x D(y - k - 1)) / 12` (tests/data/monte-carlo/slipped-profile.toml).
#[test]
fn a_profile_slips_by_the_section_9_2_rule() -> TestResult {
    let sim = simulated(&[
        "tests/data/monte-carlo/slipped-profile.toml",
        "--trials",
        "52000",
    ])?;
    for year in ["2026/27", "2027/28"] {
        for statistic in ["mean", "p10", "p50", "p90"] {
            assert_eq!(sim[&key("total", year, "in_year_saving", statistic)], "12");
        }
    }
    // 2025/26 takes the whole numbers 12 - m, m uniform over 0..=12: mean 6, P10 about 1,
    // P90 about 11 (the draws are whole numbers, so the percentiles are too, give or take
    // interpolation between equal neighbours).
    let mean: f64 = sim[&key("total", "2025/26", "in_year_saving", "mean")].parse()?;
    assert!((mean - 6.0).abs() < 0.1, "{mean}");
    assert_eq!(sim[&key("total", "2025/26", "in_year_saving", "p50")], "6");
    // With the same slip fixed at 3 months, nothing is drawn: exactly (9 x 12) / 12 = 9.
    let fixed = simulated(&[
        "tests/data/monte-carlo/slipped-profile.toml",
        "--trials",
        "10",
        "--set",
        "service[slips].risk.slip_months=[3, 3]",
    ])?;
    assert_eq!(
        fixed[&key("total", "2025/26", "in_year_saving", "p10")],
        "9"
    );
    assert_eq!(
        fixed[&key("total", "2026/27", "in_year_saving", "p90")],
        "12"
    );
    Ok(())
}

/// The same scenario, seed and trials give the same bytes whatever `--threads`, on plans with
/// ranges, risk and PERT.
#[test]
fn a_plan_s_simulation_does_not_depend_on_threads() -> TestResult {
    for args in [
        vec!["scenarios/riverside-district-2025.toml"],
        vec![
            "scenarios/riverside-district-2025.toml",
            "--set",
            "scenario.distribution=\"pert\"",
        ],
        vec!["tests/data/monte-carlo/slipped-profile.toml"],
    ] {
        for format in ["csv", "json"] {
            let outputs: Vec<Vec<u8>> = ["1", "2", "3"]
                .iter()
                .map(|threads| {
                    let mut all = vec!["simulate"];
                    all.extend(&args);
                    all.extend(["--trials", "20000", "--seed", "9", "--threads", threads]);
                    all.extend(["--format", format]);
                    let output = run(&all);
                    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
                    output.stdout
                })
                .collect();
            assert!(
                outputs.windows(2).all(|w| w[0] == w[1]),
                "{args:?} {format}"
            );
        }
    }
    Ok(())
}

/// The JSON of a plan's simulation follows the published schema, with each line's status and
/// how the draws were made.
#[test]
fn a_plan_s_simulation_json_follows_the_schema() -> TestResult {
    let schema: serde_json::Value = serde_json::from_slice(&run(&["schema"]).stdout)?;
    let validator = jsonschema::validator_for(&schema).map_err(|e| e.to_string())?;
    for scenario in [
        "scenarios/worked-example-plan.toml",
        "scenarios/riverside-district-2025.toml",
        "scenarios/gateshead-mtfs-2020.toml",
        "tests/data/monte-carlo/approved-at-risk.toml",
    ] {
        let document = json(&["simulate", scenario, "--trials", "500", "--format", "json"]);
        let errors: Vec<String> = validator
            .iter_errors(&document)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{scenario}: {errors:?}");
        assert!(
            document["generator"]
                .as_str()
                .is_some_and(|g| g.contains("inverse"))
        );
    }
    let document = json(&[
        "simulate",
        "scenarios/worked-example-plan.toml",
        "--trials",
        "10",
        "--format",
        "json",
    ]);
    let statuses: Vec<&str> = document["services"]
        .as_array()
        .map(|s| s.iter().filter_map(|s| s["status"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(statuses, ["approved", "approved", "proposed", "in-base"]);
    Ok(())
}

/// The table says how the plan's lines are drawn and counted.
#[test]
fn a_plan_s_simulation_table_says_how_lines_count() {
    let output = run(&[
        "simulate",
        "scenarios/worked-example-plan.toml",
        "--trials",
        "100",
        "--format",
        "markdown",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains(r"| a | (one line) \[approved\] |"), "{text}");
    assert!(flat.contains(r"| d | (one line) \[in-base\] |"), "{text}");
    assert!(
        flat.contains("the same point of its distribution in every year"),
        "{flat}"
    );
    assert!(flat.contains("measured against their own plan"), "{flat}");
    // Kent's table has no such note.
    let kent = stdout(&run(&["simulate", "--trials", "100"]));
    assert!(!kent.contains("their own plan"));
}

/// A plan in pounds at magnitude `m`: a gap built from the budget, an approved profile that
/// an optimism-bias delay moves one month later (11/12 of each level stays: figures that
/// never terminate), a
/// proposed line against planned savings at w = 0.5, an in-base line and a withdrawn one.
fn plan_at_magnitude(m: u64) -> String {
    let s = 3 * m / 10 + 1;
    format!(
        "[scenario]\nname = \"plan at {m}\"\nbase_year = \"2024/25\"\nhorizon = 3\nunit = \"£\"\noverlap = 0.5\n\
         [budget]\nnet = {m}\nreserves = {{ \"2025/26\" = {} }}\n\
         [[pressure]]\nid = \"pay\"\namount = {{ \"2025/26\" = {s}, \"2026/27\" = {} }}\n\
         [[funding]]\nid = \"tax\"\namount = {{ \"2025/26\" = {m}, \"2027/28\" = {} }}\n\
         [[service]]\nid = \"a\"\nstatus = \"approved\"\nsaving = {{ levels = {{ \"2025/26\" = {}, \"2026/27\" = {s} }} }}\n\
         optimism_bias = {{ delay_months = 1 }}\n\
         [[service]]\nid = \"b\"\nsaving = {{ increments = {{ \"2025/26\" = {}, \"2027/28\" = {} }} }}\n\
         planned = {{ \"2025/26\" = {} }}\n\
         [[service]]\nid = \"c\"\nstatus = \"in-base\"\nsaving = {{ levels = {{ \"2025/26\" = {} }} }}\n\
         [[service]]\nid = \"d\"\nstatus = \"withdrawn\"\nsaving = {{ levels = {{ \"2026/27\" = {} }} }}\n",
        s / 11,
        s / 3,
        m - s / 2,
        s / 2 + 1,
        s / 4,
        s / 5,
        s / 7,
        s / 13,
        s / 17,
    )
}

#[test]
fn a_plan_without_risk_simulates_to_run_at_any_magnitude() -> TestResult {
    let dir = tempfile::tempdir()?;
    for m in [1_000u64, 100_000_000, 1_000_000_000_000] {
        let path = dir.path().join(format!("plan-{m}.toml"));
        std::fs::write(&path, plan_at_magnitude(m))?;
        let file = path.display().to_string();
        let run = central(&file);
        let sim = simulated(&[&file, "--trials", "500"])?;
        let mut checked = 0;
        for ((service, year, measure), value) in &run {
            let summed = ["in_year_saving", "contribution", "remaining_gap"];
            if service == "total" && summed.contains(&measure.as_str()) {
                for statistic in ["mean", "p10", "p50", "p90"] {
                    assert_eq!(
                        sim.get(&key(service, year, measure, statistic)),
                        Some(value),
                        "m {m}: {measure} {year} {statistic}"
                    );
                    checked += 1;
                }
            }
            if service != "total" && measure == "in_year_saving" {
                assert_eq!(
                    sim.get(&key(service, year, measure, "mean")),
                    Some(value),
                    "m {m}: {service} {year}"
                );
            }
        }
        assert_eq!(checked, 3 * 3 * 4, "m {m}");
        // The approved line's first year never terminates (11/12 of s): held exactly.
        let first = &run[&(
            "a".to_string(),
            "2025/26".to_string(),
            "in_year_saving".to_string(),
        )];
        assert!(first.len() > 20, "m {m}: {first}");
    }
    Ok(())
}

/// `savings report --simulate` takes a plan in every format, the Monte Carlo beside the plan's
/// own sections.
#[test]
fn a_plan_s_report_carries_its_simulation() -> TestResult {
    let dir = tempfile::tempdir()?;
    for format in ["md", "html", "xlsx", "svg", "png"] {
        let path = dir.path().join(format!("riverside.{format}"));
        let path = path.display().to_string();
        let output = run(&[
            "report",
            "scenarios/riverside-district-2025.toml",
            "--simulate",
            "--trials",
            "2000",
            "--output",
            &path,
        ]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{format}: {}",
            stderr(&output)
        );
        assert!(std::fs::metadata(&path)?.len() > 0, "{format}");
    }
    let md = std::fs::read_to_string(dir.path().join("riverside.md"))?;
    assert!(
        md.contains("### Uncertainty: Year by year: remaining gap"),
        "{md}"
    );
    assert!(md.contains("### The gap, built from the budget"), "{md}");
    Ok(())
}

/// docs/model.md section 10: delivered and forecast figures are the same in every trial, not
/// drawn; risk and ranges apply to the years still as planned. The worked example of section
/// 10 (line a forecast 0.6 of its 1 in 2025/26) simulates to its figures as forecast: R = 2.4,
/// 2, 1.
#[test]
fn recorded_delivery_is_fixed_in_every_trial() -> TestResult {
    let sim = simulated(&["scenarios/worked-example-tracking.toml", "--trials", "200"])?;
    for (year, r) in [("2025/26", "2.4"), ("2026/27", "2"), ("2027/28", "1")] {
        for statistic in ["mean", "p10", "p90"] {
            assert_eq!(
                sim[&key("total", year, "remaining_gap", statistic)],
                r,
                "{year}"
            );
        }
    }
    // a falls short of its plan in 2025/26 (0.6 against 1): it never meets it.
    assert_eq!(sim[&key("a", "", "probability_meets_plan", "mean")], "0");
    // A failed line keeps what it recorded and saves nothing in the years still as planned:
    // a = 0.6, 0, 0, so D = 1.5, 3.9, 3.4, N = -0.4, 1, 1 and R = 2.4, 4, 3.
    let failed = simulated(&[
        "scenarios/worked-example-tracking.toml",
        "--trials",
        "200",
        "--set",
        "service[a].risk.fail=1",
    ])?;
    for (year, d, r) in [
        ("2025/26", "1.5", "2.4"),
        ("2026/27", "3.9", "4"),
        ("2027/28", "3.4", "3"),
    ] {
        assert_eq!(
            failed[&key("total", year, "in_year_saving", "p50")],
            d,
            "{year}"
        );
        assert_eq!(
            failed[&key("total", year, "remaining_gap", "p50")],
            r,
            "{year}"
        );
    }
    // A slip moves what is still as planned (1, 2, 2 a year later: 0, 1, 2), not what is
    // recorded: a = 0.6, 1, 2.
    let slipped = simulated(&[
        "scenarios/worked-example-tracking.toml",
        "--trials",
        "50",
        "--set",
        "service[a].risk.slip_months=[12, 12]",
    ])?;
    for (year, d) in [("2025/26", "0.6"), ("2026/27", "1"), ("2027/28", "2")] {
        assert_eq!(
            slipped[&key("a", year, "in_year_saving", "mean")],
            d,
            "{year}"
        );
    }
    // With a range on a's saving, the recorded year is exact and later years are drawn.
    let ranged = simulated(&[
        "tests/data/monte-carlo/tracked-range.toml",
        "--trials",
        "2000",
    ])?;
    for statistic in ["mean", "p10", "p50", "p90"] {
        assert_eq!(
            ranged[&key("total", "2025/26", "in_year_saving", statistic)],
            "1.5"
        );
        assert_eq!(
            ranged[&key("total", "2025/26", "remaining_gap", statistic)],
            "2.4"
        );
    }
    let p10: f64 = ranged[&key("total", "2026/27", "in_year_saving", "p10")].parse()?;
    let p90: f64 = ranged[&key("total", "2026/27", "in_year_saving", "p90")].parse()?;
    assert!(p10 < 5.9 && 5.9 < p90, "{p10} {p90}");
    Ok(())
}
