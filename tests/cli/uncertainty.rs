//! Issue 5: Monte Carlo and optimism bias through the real binary. The expected figures come
//! from the deterministic run or from distributions worked out by hand, never from the
//! simulation itself.

use super::support::{TestResult, csv_values, data, run, stderr, stdout};

fn json(args: &[&str]) -> serde_json::Value {
    let output = run(args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}: {}",
        stderr(&output)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

/// A JSON decimal string as f64 (the test's comparison only).
fn number(value: &serde_json::Value) -> f64 {
    value
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not a decimal string: {value}"))
}

fn assert_close(what: &str, actual: f64, expected: f64, tolerance: f64) {
    assert!(
        (actual - expected).abs() <= tolerance,
        "{what}: {actual} is not within {tolerance} of {expected}"
    );
}

/// Within `sigmas` standard errors of the mean of `n` draws with standard deviation `sd`.
fn assert_within_se(what: &str, actual: f64, expected: f64, sd: f64, n: f64, sigmas: f64) {
    let se = sd / n.sqrt();
    assert!(
        (actual - expected).abs() <= sigmas * se,
        "{what}: {actual} is {:.2} standard errors from {expected} (se {se})",
        (actual - expected).abs() / se
    );
}

// ---- zero risk equals the deterministic central ----

#[test]
fn with_no_risk_and_single_figures_every_statistic_is_the_central_figure() -> TestResult {
    let file = data("uncertainty/certain.toml");
    let deterministic = stdout(&run(&["run", &file, "--format", "csv"]));
    let central = csv_values(&deterministic);
    let run_json = json(&["run", &file, "--format", "json"]);
    let sim = json(&["simulate", &file, "--trials", "5000", "--format", "json"]);
    let value = |service: &str, option: &str, year: &str, measure: &str| -> f64 {
        let key = (
            service.to_string(),
            option.to_string(),
            year.to_string(),
            measure.to_string(),
            "central".to_string(),
        );
        central[&key].parse().expect("a number")
    };
    let closed: Vec<&str> = run_json["summary"]["central"]["closed_years"]
        .as_array()
        .expect("closed years")
        .iter()
        .filter_map(|y| y.as_str())
        .collect();
    let years = sim["years"].as_array().expect("years");
    assert_eq!(years.len(), 10);
    for entry in years {
        let year = entry["year"].as_str().expect("a year");
        for (key, measure) in [
            ("in_year_saving", "in_year_saving"),
            ("contribution", "contribution"),
            ("remaining_gap", "remaining_gap"),
        ] {
            let expected = value("total", "", year, measure);
            for case in ["mean", "p10", "p50", "p90"] {
                assert_close(
                    &format!("{year} {key} {case}"),
                    number(&entry[key][case]),
                    expected,
                    1e-9,
                );
            }
        }
        let p = if closed.contains(&year) { 1.0 } else { 0.0 };
        assert_eq!(number(&entry["probability_closed"]), p, "{year}");
    }
    // Some years closed and some not, so both outcomes are tested.
    assert!(!closed.is_empty() && closed.len() < 10);
    for (key, summary) in [("total_saving", "total_saving"), ("npv", "npv")] {
        let expected = number(&run_json["summary"]["central"][summary]);
        for case in ["mean", "p10", "p50", "p90"] {
            assert_close(
                &format!("{key} {case}"),
                number(&sim[key][case]),
                expected,
                1e-9,
            );
        }
    }
    let services = sim["services"].as_array().expect("services");
    let deterministic_services = run_json["services"].as_array().expect("services");
    assert_eq!(services.len(), 3);
    let mut outcomes = Vec::new();
    for (simulated, exact) in services.iter().zip(deterministic_services) {
        let id = simulated["id"].as_str().expect("an id");
        assert_eq!(exact["id"], simulated["id"]);
        let holds = exact["meets_plan"]["central"]["holds"].as_bool() == Some(true);
        outcomes.push(holds);
        assert_eq!(
            number(&simulated["probability_meets_plan"]),
            if holds { 1.0 } else { 0.0 },
            "{id}"
        );
        let option = simulated["option"].as_str().expect("an option");
        for (t, mean) in simulated["mean_in_year_saving"]
            .as_array()
            .expect("means")
            .iter()
            .enumerate()
        {
            let year = years[t]["year"].as_str().expect("a year");
            assert_close(
                &format!("{id} {year} mean D"),
                number(mean),
                value(id, option, year, "in_year_saving"),
                1e-9,
            );
        }
    }
    assert!(outcomes.contains(&true) && outcomes.contains(&false));
    Ok(())
}

// ---- agreement with distributions worked out by hand ----

/// The triangular distribution's survival function P(S >= x).
fn triangular_at_least(x: f64, low: f64, mode: f64, high: f64) -> f64 {
    if x <= low {
        1.0
    } else if x <= mode {
        1.0 - (x - low).powi(2) / ((high - low) * (mode - low))
    } else if x < high {
        (high - x).powi(2) / ((high - low) * (high - mode))
    } else {
        0.0
    }
}

#[test]
fn one_option_with_failure_and_slip_matches_its_exact_distribution() -> TestResult {
    // tests/data/uncertainty/one-option.toml: S ~ triangular(8, 12, 14), fail 0.25, slip
    // 0..=2 months from October 2015, so the 2015/16 part-year factor is (6 - slip) / 12.
    let n = 1_000_000.0;
    let sim = json(&[
        "simulate",
        &data("uncertainty/one-option.toml"),
        "--trials",
        "1000000",
        "--format",
        "json",
    ]);
    let (low, mode, high) = (8.0, 12.0, 14.0);
    let success = 0.75;
    let factors = [6.0 / 12.0, 5.0 / 12.0, 4.0 / 12.0];

    // 2015/16 closes when D >= 5 (gap 0.5 plus planned 4.5, w = 1).
    let closed: f64 = factors
        .iter()
        .map(|f| success * triangular_at_least(5.0 / f, low, mode, high) / 3.0)
        .sum();
    assert_close("P(closed) by hand", closed, 7.0 / 24.0, 1e-12);
    let first = &sim["years"][0];
    assert_eq!(first["year"], "2015/16");
    let p = number(&first["probability_closed"]);
    assert_within_se(
        "P(closed) 2015/16",
        p,
        closed,
        (closed * (1.0 - closed)).sqrt(),
        n,
        4.0,
    );

    // The plan (4.5 to date in both MTFP years) is met when D >= 4.5 in 2015/16; in 2016/17
    // the option is in its first full year and any success (S >= 8) meets it.
    let meets: f64 = factors
        .iter()
        .map(|f| success * triangular_at_least(4.5 / f, low, mode, high) / 3.0)
        .sum();
    let p = number(&sim["services"][0]["probability_meets_plan"]);
    assert_within_se(
        "P(meets plan)",
        p,
        meets,
        (meets * (1.0 - meets)).sqrt(),
        n,
        4.0,
    );

    // 2016/17: D = S when the option does not fail, else 0.
    let p = number(&sim["years"][1]["probability_closed"]);
    assert_within_se(
        "P(closed) 2016/17",
        p,
        success,
        (success * 0.25f64).sqrt(),
        n,
        4.0,
    );

    // Means of D: E[S] = (a + b + c) / 3, Var S = (a² + b² + c² - ab - ac - bc) / 18.
    let mean_s = (low + mode + high) / 3.0;
    let var_s =
        (low * low + mode * mode + high * high - low * mode - low * high - mode * high) / 18.0;
    let second_s = var_s + mean_s * mean_s;
    let mean_f = factors.iter().sum::<f64>() / 3.0;
    let second_f = factors.iter().map(|f| f * f).sum::<f64>() / 3.0;
    let mean_d1 = success * mean_s * mean_f;
    let sd_d1 = (success * second_s * second_f - mean_d1 * mean_d1).sqrt();
    let d1 = number(&first["in_year_saving"]["mean"]);
    assert_within_se("mean D 2015/16", d1, mean_d1, sd_d1, n, 4.0);
    let mean_d2 = success * mean_s;
    let sd_d2 = (success * second_s - mean_d2 * mean_d2).sqrt();
    let d2 = number(&sim["years"][1]["in_year_saving"]["mean"]);
    assert_within_se("mean D 2016/17", d2, mean_d2, sd_d2, n, 4.0);
    // A quarter of trials fail, so P10 of D in 2016/17 is 0 and its median is the
    // triangular quantile q with P(S >= q) = 0.5 / 0.75 = 2/3, which lies right of the mode
    // only if (14 - 12)² / (6 x 2) = 1/3 >= 2/3: it does not, so (q - 8)² = (1/3) x 6 x 4.
    assert_eq!(number(&sim["years"][1]["in_year_saving"]["p10"]), 0.0);
    let median = 8.0 + (24.0f64 / 3.0).sqrt();
    let p50 = number(&sim["years"][1]["in_year_saving"]["p50"]);
    assert_close("median D 2016/17", p50, median, 0.02);
    // The mean of the service's D, computed as the trials stream by, agrees with the total.
    let service_mean = number(&sim["services"][0]["mean_in_year_saving"][1]);
    assert_close("service mean = total mean", service_mean, d2, 1e-9);
    Ok(())
}

#[test]
fn pert_draws_have_the_pert_mean() -> TestResult {
    // PERT over (8, 12, 14): mean (8 + 4 x 12 + 14) / 6 = 70/6, sd sqrt((mean - 8)(14 - mean) / 7).
    let sim = json(&[
        "simulate",
        &data("uncertainty/one-option.toml"),
        "--set",
        "scenario.distribution=\"pert\"",
        "--set",
        "service[only].option[outsource].risk.fail=0",
        "--trials",
        "200000",
        "--format",
        "json",
    ]);
    let mean: f64 = 70.0 / 6.0;
    let sd = ((mean - 8.0) * (14.0 - mean) / 7.0).sqrt();
    let d2 = number(&sim["years"][1]["in_year_saving"]["mean"]);
    assert_within_se("PERT mean", d2, mean, sd, 200_000.0, 4.0);
    assert_eq!(sim["scenario"]["distribution"], "pert");
    // The triangular mean, 34/3, is many standard errors away: the setting took effect.
    assert!((d2 - 34.0 / 3.0).abs() > 10.0 * sd / 200_000f64.sqrt());
    Ok(())
}

#[test]
fn options_of_one_group_fail_together() -> TestResult {
    // Two services, each needing its own option to close the year; fail 0.5 each. Together
    // (one group) the year closes in half the trials; apart, in a quarter.
    let scenario = |group: &str| {
        format!(
            r#"
[scenario]
name = "group"
base_year = "2014/15"
mtfp_period = ["2015/16", "2016/17"]
[gap]
unidentified = {{ "2015/16" = 2 }}
[[service]]
id = "a"
  [[service.option]]
  id = "x"
  preferred = true
  saving = 1
  start = "2015/16"
  risk = {{ fail = 0.5, slip_months = [0, 0] }}
  {group}
[[service]]
id = "b"
  [[service.option]]
  id = "y"
  preferred = true
  saving = 1
  start = "2015/16"
  risk = {{ fail = 0.5, slip_months = [0, 0] }}
  {group}
"#
        )
    };
    let n = 100_000.0;
    for (group, expected) in [("group = \"jv\"", 0.5f64), ("", 0.25)] {
        let output = super::support::run_with_stdin(
            &["simulate", "-", "--trials", "100000", "--format", "json"],
            &scenario(group),
        );
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let sim: serde_json::Value = serde_json::from_slice(&output.stdout)?;
        let p = number(&sim["years"][0]["probability_closed"]);
        let sd = (expected * (1.0 - expected)).sqrt();
        assert_within_se(&format!("{group:?}"), p, expected, sd, n, 4.0);
    }
    Ok(())
}

// ---- determinism ----

#[test]
fn output_is_byte_identical_whatever_the_number_of_threads() {
    // 50,000 trials are 49 blocks, so three threads share them unevenly.
    for format in ["json", "csv", "table"] {
        let outputs: Vec<Vec<u8>> = ["1", "2", "3"]
            .iter()
            .map(|threads| {
                let output = run(&[
                    "simulate",
                    "--trials",
                    "50000",
                    "--threads",
                    threads,
                    "--format",
                    format,
                ]);
                assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
                output.stdout
            })
            .collect();
        assert!(!outputs[0].is_empty());
        assert_eq!(outputs[0], outputs[1], "{format}: 1 and 2 threads differ");
        assert_eq!(outputs[0], outputs[2], "{format}: 1 and 3 threads differ");
    }
}

#[test]
fn the_same_seed_repeats_and_another_seed_differs() {
    let with = |seed: &str| {
        let output = run(&[
            "simulate", "--trials", "5000", "--seed", seed, "--format", "csv",
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        output.stdout
    };
    assert_eq!(with("7"), with("7"));
    assert_ne!(with("7"), with("8"));
    // No seed given: the default, printed, so the run can be repeated.
    let default = run(&["simulate", "--trials", "5000", "--format", "csv"]).stdout;
    assert_eq!(default, with("20140515"));
    let table = stdout(&run(&["simulate", "--trials", "5000"]));
    assert!(table.contains("seed 20140515"), "{table}");
    assert!(table.contains("5000 trials"), "{table}");
}

// ---- optimism bias ----

#[test]
fn optimism_bias_is_applied_in_runs_and_in_simulation_and_shown() -> TestResult {
    let file = data("uncertainty/certain.toml");
    let bias = [
        "--set",
        "scenario.optimism_bias.saving=0.2",
        "--set",
        "scenario.optimism_bias.cost=0.41",
        "--set",
        "scenario.optimism_bias.delay_months=6",
    ];
    let mut args = vec!["run", file.as_str(), "--format", "json"];
    args.extend(bias);
    let biased = json(&args);
    let plain = json(&["run", &file, "--format", "json"]);
    // The steady state of every option is its saving less 20%.
    let steady =
        |doc: &serde_json::Value| number(&doc["summary"]["central"]["steady_state_saving"]);
    assert_close("steady state", steady(&biased), 0.8 * steady(&plain), 1e-12);
    assert_eq!(biased["scenario"]["optimism_bias"]["saving"], "0.2");
    // Costs up 41%: base-year cost 1 becomes 1.41.
    assert_eq!(
        biased["summary"]["central"]["base_year_one_off_cost"],
        "1.41"
    );

    let mut args = vec![
        "simulate",
        file.as_str(),
        "--trials",
        "2000",
        "--format",
        "json",
    ];
    args.extend(bias);
    let sim = json(&args);
    assert_eq!(sim["scenario"]["optimism_bias"]["saving"], "0.2");
    assert_close(
        "simulated total",
        number(&sim["total_saving"]["p50"]),
        number(&biased["summary"]["central"]["total_saving"]),
        1e-9,
    );
    let mut args = vec!["simulate", file.as_str(), "--trials", "2000"];
    args.extend(bias);
    let table = stdout(&run(&args));
    assert!(table.to_lowercase().contains("optimism bias"), "{table}");
    Ok(())
}

// ---- limits ----

#[test]
fn runs_too_large_are_refused_before_they_start() {
    for (args, message) in [
        (
            vec!["simulate", "--trials", "10000001"],
            "10000001 trials is above the limit of 10000000",
        ),
        (
            vec!["simulate", "--trials", "0"],
            "the number of trials must be at least 1",
        ),
        (
            vec![
                "simulate",
                "--trials",
                "10000000",
                "--set",
                "scenario.horizon=100",
            ],
            "above the limit of 2048 MiB",
        ),
    ] {
        let output = run(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        assert!(
            stderr(&output).contains(message),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn simulation_csv_has_the_seven_columns_and_the_four_cases() -> TestResult {
    let text = stdout(&run(&["simulate", "--trials", "2000", "--format", "csv"]));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers()?.iter().collect::<Vec<_>>(),
        [
            "scenario", "service", "option", "year", "measure", "case", "value"
        ]
    );
    let values = csv_values(&text);
    for case in ["mean", "p10", "p50", "p90"] {
        assert!(values.contains_key(&(
            "total".into(),
            "".into(),
            "2016/17".into(),
            "remaining_gap".into(),
            case.into()
        )));
    }
    let p = &values[&(
        "total".into(),
        "".into(),
        "2016/17".into(),
        "probability_closed".into(),
        "mean".into(),
    )];
    let p: f64 = p.parse()?;
    assert!((0.0..=1.0).contains(&p));
    let p: f64 = values[&(
        "property".into(),
        "latco".into(),
        "".into(),
        "probability_meets_plan".into(),
        "mean".into(),
    )]
        .parse()?;
    assert!(p > 0.0 && p < 1.0, "{p}");
    Ok(())
}

#[test]
fn percentiles_are_ordered_in_every_year() -> TestResult {
    let sim = json(&["simulate", "--trials", "20000", "--format", "json"]);
    let ordered = |spread: &serde_json::Value, what: &str| {
        let (p10, p50, p90) = (
            number(&spread["p10"]),
            number(&spread["p50"]),
            number(&spread["p90"]),
        );
        assert!(p10 <= p50 && p50 <= p90, "{what}: {p10} {p50} {p90}");
    };
    for year in sim["years"].as_array().expect("years") {
        for key in ["in_year_saving", "contribution", "remaining_gap"] {
            ordered(&year[key], key);
        }
    }
    ordered(&sim["total_saving"], "total");
    ordered(&sim["npv"], "npv");
    Ok(())
}
