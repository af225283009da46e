//! The shipped Kent scenario reproduces the source's published figures (docs/model.md section 2),
//! asserted from the engine's output.

use std::fs;

use super::support::{TestResult, root, run};

fn json() -> serde_json::Value {
    let output = run(&["run", "scenarios/kcc-2014-phase1.toml", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    serde_json::from_slice(&output.stdout).expect("valid JSON")
}

fn number(value: &serde_json::Value) -> f64 {
    // Only to compare against the source's rounded published figures.
    value
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or(f64::NAN)
}

#[test]
fn ten_year_totals_and_steady_state_match_5_3() {
    let json = json();
    let summary = &json["summary"];
    let low = number(&summary["low"]["total_saving"]);
    let central = number(&summary["central"]["total_saving"]);
    let high = number(&summary["high"]["total_saving"]);
    assert!((low - 150.0).abs() <= 2.5, "low ten-year total {low}");
    assert!((high - 250.0).abs() <= 2.5, "high ten-year total {high}");
    assert!(low < central && central < high, "{low} {central} {high}");

    // The last projected year's in-year saving, once built up: about 20 and 30 (5.3).
    let rows = json["rows"].as_array().expect("rows");
    let last = |case: &str| {
        rows.iter()
            .find(|r| {
                r["service"] == "total"
                    && r["measure"] == "in_year_saving"
                    && r["year"] == "2024/25"
                    && r["case"] == case
            })
            .map(|r| number(&r["value"]))
            .expect("a row")
    };
    assert!((last("low") - 20.0).abs() <= 1.0, "{}", last("low"));
    assert!((last("high") - 30.0).abs() <= 1.0, "{}", last("high"));
}

#[test]
fn budgets_planned_savings_and_gap_match_5_1_and_5_2() {
    let json = json();
    let context = &json["context"];
    assert!(number(&context["budget_gross_all_services"]) > 169.0);
    assert_eq!(context["budget_net_all_services"], "92");
    assert!(number(&context["planned_base_year_all_services"]) > 6.0);
    assert_eq!(context["gap_required"][0]["value"], "88");
    assert_eq!(context["gap_required"][1]["value"], "62");
    assert_eq!(
        context["gap_unidentified"][0],
        serde_json::json!({"year": "2015/16", "value": "43"})
    );
    assert_eq!(
        context["gap_unidentified"][1],
        serde_json::json!({"year": "2016/17", "value": "45"})
    );
}

#[test]
fn planned_savings_for_2015_17_are_nearly_14m_across_all_twelve_areas() -> TestResult {
    // Read the scenario itself: the deferred service's plans count toward the source's
    // figure, though they stay out of planned-to-date.
    let text = fs::read_to_string(root().join("scenarios/kcc-2014-phase1.toml"))?;
    let doc: toml::Table = toml::from_str(&text)?;
    let services = doc["service"].as_array().ok_or("services")?;
    assert_eq!(
        services.len(),
        13,
        "12 areas, Communications as two reviews"
    );
    let mut total = 0.0;
    for service in services {
        if let Some(planned) = service.get("planned").and_then(|p| p.as_table()) {
            for year in ["2015/16", "2016/17"] {
                total += planned
                    .get(year)
                    .and_then(|v| v.as_float().or(v.as_integer().map(|i| i as f64)))
                    .unwrap_or(0.0);
            }
        }
    }
    assert!(
        (13.5..14.0).contains(&total),
        "planned 2015/16 + 2016/17 = {total}"
    );
    Ok(())
}

#[test]
fn services_options_and_deferral_follow_section_3() {
    let json = json();
    let taken: Vec<&str> = json["services"]
        .as_array()
        .expect("services")
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert_eq!(taken.len(), 12);
    assert_eq!(json["deferred"][0]["id"], "care-homes");
    let property = &json["services"][0];
    assert_eq!(property["id"], "property");
    assert_eq!(property["option"]["id"], "latco");
    assert_eq!(
        property["option"]["start"], "2015/16",
        "3.5: fully established for 2015/16"
    );
    let edukent = json["services"]
        .as_array()
        .expect("services")
        .iter()
        .find(|s| s["id"] == "edukent")
        .expect("edukent");
    assert_eq!(edukent["option"]["id"], "jv");
}

#[test]
fn every_figure_in_the_kent_scenario_names_its_source_or_says_assumption() -> TestResult {
    let text = fs::read_to_string(root().join("scenarios/kcc-2014-phase1.toml"))?;
    let keys = [
        "saving",
        "budget",
        "planned",
        "one_off_cost",
        "start",
        "ramp",
        "risk",
        "required",
        "unidentified",
    ];
    let mut missing = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let is_figure = keys.iter().any(|k| trimmed.starts_with(&format!("{k} =")));
        if !is_figure {
            continue;
        }
        let comment = line.split_once('#').map(|(_, c)| c).unwrap_or_default();
        let cites_paragraph = comment
            .chars()
            .zip(comment.chars().skip(1))
            .zip(comment.chars().skip(2))
            .any(|((a, b), c)| a.is_ascii_digit() && b == '.' && c.is_ascii_digit());
        if !(cites_paragraph || comment.contains("assumption") || comment.contains("by definition"))
        {
            missing.push(format!("line {}: {line}", n + 1));
        }
    }
    assert!(
        missing.is_empty(),
        "figures without a source:\n{}",
        missing.join("\n")
    );
    Ok(())
}

#[test]
fn every_service_lists_alternatives() -> TestResult {
    let text = fs::read_to_string(root().join("scenarios/kcc-2014-phase1.toml"))?;
    let doc: toml::Table = toml::from_str(&text)?;
    for service in doc["service"].as_array().ok_or("services")? {
        let options = service
            .get("option")
            .and_then(|o| o.as_array())
            .map_or(0, Vec::len);
        assert!(
            options >= 3,
            "{:?} has {options} options",
            service.get("id")
        );
    }
    Ok(())
}
