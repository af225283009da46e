//! The output formats on the worked example of docs/model.md section 4: the figures of the
//! manual's table checked row by row through the CSV, the JSON's summary, and the CSV's
//! contract. (What each format prints, byte for byte, is pinned in `tests/cases/`.)

use super::support::{TestResult, csv_values, json, run, stdout};

/// docs/model.md section 4's table, through the CSV, exactly.
#[test]
fn the_worked_example_row_by_row() {
    let output = run(&["run", "scenarios/worked-example.toml", "--format", "csv"]);
    let values = csv_values(&stdout(&output));
    let get = |service: &str, measure: &str, year: &str, case: &str| {
        let option = if service == "total" { "" } else { "only" };
        values
            .get(&(
                service.into(),
                option.into(),
                year.into(),
                measure.into(),
                case.into(),
            ))
            .cloned()
            .unwrap_or_else(|| panic!("no row {service} {measure} {year} {case}"))
    };
    let expected = [
        ("2015/16", ["2.5", "2.5", "1", "1.5", "3", "1.5"]),
        ("2016/17", ["10", "7.5", "2", "8", "7", "-1"]),
    ];
    for case in ["low", "central", "high"] {
        for (year, [d, i, lp, n, lg, r]) in expected {
            assert_eq!(get("total", "in_year_saving", year, case), d);
            assert_eq!(get("total", "incremental_saving", year, case), i);
            assert_eq!(get("total", "planned_to_date", year, case), lp);
            assert_eq!(get("total", "contribution", year, case), n);
            assert_eq!(get("total", "gap_to_date", year, case), lg);
            assert_eq!(get("total", "remaining_gap", year, case), r);
            assert_eq!(get("example", "in_year_saving", year, case), d);
            assert_eq!(get("example", "contribution", year, case), n);
        }
        for year in [
            "2017/18", "2018/19", "2019/20", "2020/21", "2021/22", "2022/23", "2023/24", "2024/25",
        ] {
            assert_eq!(get("total", "in_year_saving", year, case), "10");
            assert_eq!(get("total", "incremental_saving", year, case), "0");
            assert_eq!(get("total", "planned_to_date", year, case), "2");
            assert_eq!(get("total", "contribution", year, case), "8");
            assert_eq!(get("total", "gap_to_date", year, case), "7");
            assert_eq!(get("total", "remaining_gap", year, case), "-1");
            assert_eq!(get("total", "one_off_cost", year, case), "0");
        }
        assert_eq!(get("total", "one_off_cost", "2015/16", case), "3");
    }
}

#[test]
fn the_worked_example_summary_through_json() -> TestResult {
    let output = run(&["run", "scenarios/worked-example.toml", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout)?;
    assert_eq!(json["schema"], "savings-modeller/1");
    let central = &json["summary"]["central"];
    assert_eq!(central["total_saving"], "92.5");
    assert_eq!(central["average_per_year"], "9.25");
    assert_eq!(central["steady_state_saving"], "10");
    assert_eq!(central["payback_year"], "2016/17");
    assert_eq!(central["closed_years"][0], "2016/17");
    let margins = &json["services"][0]["meets_plan"]["central"];
    assert_eq!(margins["holds"], true);
    assert_eq!(margins["margins"][0]["year"], "2015/16");
    assert_eq!(margins["margins"][0]["value"], "1.5");
    assert_eq!(margins["margins"][1]["value"], "8");
    // The JSON rows are the CSV rows.
    let csv = run(&["run", "scenarios/worked-example.toml", "--format", "csv"]);
    let rows = json["rows"].as_array().ok_or("rows")?;
    assert_eq!(rows.len() + 1, stdout(&csv).lines().count());
    Ok(())
}

#[test]
fn the_csv_has_the_contract_columns_and_nothing_else() {
    let output = run(&["run", "--format", "csv"]);
    let text = stdout(&output);
    assert!(!text.contains('\r'));
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("scenario,service,option,year,measure,case,value")
    );
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    for record in reader.records() {
        let record = record.expect("a record");
        assert_eq!(record.len(), 7);
        let value = &record[6];
        assert!(!value.contains(['e', 'E', ',']), "{value}");
        if value.contains('.') {
            assert!(!value.ends_with('0'), "trailing zero in {value}");
        }
        assert!(["low", "central", "high"].contains(&&record[5]));
    }
}

#[test]
fn csv_rows_follow_the_contract_order() {
    let output = run(&["run", "--format", "csv"]);
    let text = stdout(&output);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let measures = [
        "in_year_saving",
        "incremental_saving",
        "planned_to_date",
        "contribution",
        "one_off_cost",
        "gap_to_date",
        "remaining_gap",
    ];
    let cases = ["low", "central", "high"];
    let mut services: Vec<String> = Vec::new();
    let mut previous: Option<(usize, String, usize)> = None;
    for record in reader.records() {
        let record = record.expect("a record");
        let service = record[1].to_string();
        if services.last() != Some(&service) {
            assert!(
                !services.contains(&service),
                "{service} appears in two blocks"
            );
            services.push(service.clone());
            previous = None;
        }
        let key = (
            measures
                .iter()
                .position(|m| *m == &record[4])
                .expect("a known measure"),
            record[3].to_string(),
            cases
                .iter()
                .position(|c| *c == &record[5])
                .expect("a known case"),
        );
        if let Some(previous) = &previous {
            assert!(key > *previous, "{key:?} after {previous:?}");
        }
        previous = Some(key);
    }
    assert_eq!(services.last().map(String::as_str), Some("total"));
    assert!(
        !services.contains(&"care-homes".to_string()),
        "deferred services have no rows"
    );
    assert_eq!(services.len(), 13, "12 services taken forward, then total");
}

#[test]
fn text_that_a_spreadsheet_would_run_as_a_formula_is_neutralised() {
    let text = "[scenario]\nname = \"=HYPERLINK(\\\"x\\\")\"\nbase_year = \"2014/15\"\n[[service]]\nid = \"a\"\n[[service.option]]\nid = \"o\"\npreferred = true\nsaving = 1\nstart = \"2015/16\"\n";
    let output = super::support::run_with_stdin(&["run", "-", "--format", "csv"], text);
    let body = stdout(&output);
    let first_row = body.lines().nth(1).unwrap_or_default();
    assert!(
        first_row.starts_with("\"'=HYPERLINK(\"\"x\"\")\",a,o,"),
        "{first_row}"
    );
}

#[test]
fn the_table_fits_100_columns_and_says_totals_use_unrounded_values() {
    for args in [
        &["run"][..],
        &["run", "scenarios/worked-example.toml"],
        &["run", "--dp", "3"],
    ] {
        let text = stdout(&run(args));
        for line in text.lines() {
            assert!(
                line.chars().count() <= 100,
                "{} columns: {line}",
                line.chars().count()
            );
        }
        let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(words.contains("totals use unrounded values"));
    }
}

#[test]
fn dp_sets_the_displayed_places_half_away_from_zero() {
    let text = stdout(&run(&["run", "scenarios/worked-example.toml", "--dp", "0"]));
    // 2.5 rounds half away from zero to 3; 1.5 to 2.
    assert!(
        text.contains("│ 2015/16 ┆       3 ┆       3 ┆       3 ┆"),
        "{text}"
    );
    let text = stdout(&run(&[
        "run",
        "scenarios/worked-example.toml",
        "--dp",
        "2",
        "--format",
        "markdown",
    ]));
    assert!(
        text.contains("| 2015/16 | 2.50 | 2.50 | 2.50 | 1.00 | 1.50 | 3.00 | 1.50 | no |"),
        "{text}"
    );
}

#[test]
fn every_json_document_gives_the_scenario_block_alike() {
    // One `scenario` block, the same keys in the same order (run's), in every command that
    // prints one; for the same scenario, the same block.
    let scenario = "scenarios/worked-example.toml";
    let run_block = json(&["run", scenario, "--format", "json"])["scenario"].clone();
    let keys = |block: &serde_json::Value| -> Vec<String> {
        block
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    assert_eq!(
        keys(&run_block),
        [
            "name",
            "file",
            "extends",
            "base_year",
            "horizon",
            "unit",
            "overlap",
            "discount_rate",
            "mtfp_period",
            "optimism_bias",
            "distribution"
        ]
    );
    for args in [
        &["options", scenario, "--format", "json"][..],
        &["simulate", scenario, "--trials", "100", "--format", "json"],
        &["sensitivity", scenario, "--format", "json"],
    ] {
        let block = &json(args)["scenario"];
        assert_eq!(
            serde_json::to_string(block).ok(),
            serde_json::to_string(&run_block).ok(),
            "{args:?}"
        );
    }
    let compared = json(&[
        "compare",
        scenario,
        "--against",
        "--set scenario.overlap=0.5",
        "--format",
        "json",
    ]);
    let variants = compared["variants"].as_array().cloned().unwrap_or_default();
    assert_eq!(variants.len(), 2);
    for variant in &variants {
        assert_eq!(keys(&variant["scenario"]), keys(&run_block));
    }
}

/// `--format md` is Markdown, as `savings report --format md` spells it.
#[test]
fn md_is_markdown() {
    for command in ["run", "track"] {
        let scenario = if command == "run" {
            "scenarios/worked-example.toml"
        } else {
            "scenarios/monitoring-example.toml"
        };
        let md = run(&[command, scenario, "--format", "md"]);
        let markdown = run(&[command, scenario, "--format", "markdown"]);
        assert!(md.status.success(), "{command} --format md failed");
        assert!(stdout(&md).starts_with("## "), "{command}: not Markdown");
        assert_eq!(stdout(&md), stdout(&markdown), "{command}");
    }
}
