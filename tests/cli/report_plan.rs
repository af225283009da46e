//! Issue 15: `savings report` on plans as councils write them (docs/model.md section 9): the
//! Markdown and HTML build the gap line by line, step by step for the first MTFP year (the
//! waterfall, whose steps add up exactly to the remaining gap of `savings run --format csv`),
//! and subtotal by status and by area; the charts draw the waterfall; the Kent report has none
//! of it. (The spreadsheet of a plan is tested in `report_xlsx.rs`.)

use std::str::FromStr;

use rust_decimal::Decimal;

use super::support::{TestResult, csv_values, run, stderr, stdout};

const WORKED: &str = "scenarios/worked-example-plan.toml";
const RIVERSIDE: &str = "scenarios/riverside-district-2025.toml";
const GATESHEAD: &str = "scenarios/gateshead-mtfs-2020.toml";

/// `savings report FILE ARGS`'s standard output, which must succeed.
fn report(file: &str, args: &[&str]) -> String {
    let mut all = vec!["report", file];
    all.extend(args);
    let output = run(&all);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{all:?}: {}",
        stderr(&output)
    );
    stdout(&output)
}

/// The rows of the Markdown table under the heading that starts `heading`, as cells.
fn markdown_table(markdown: &str, heading: &str) -> Vec<Vec<String>> {
    let mut lines = markdown
        .lines()
        .skip_while(|line| !line.starts_with(&format!("### {heading}")));
    assert!(lines.next().is_some(), "no heading {heading:?}");
    lines
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2)
        .map(|line| {
            line.trim_matches('|')
                .split(" | ")
                .map(|cell| cell.trim().to_string())
                .collect()
        })
        .collect()
}

/// A figure as the tables print it (`-1,250.5`, `+0.3`), exactly.
fn figure(text: &str) -> Decimal {
    let plain: String = text.chars().filter(|c| !matches!(c, ',' | '+')).collect();
    Decimal::from_str(&plain).unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

/// The first MTFP year's remaining gap (central) from `savings run --format csv`.
fn remaining_gap(file: &str, year: &str) -> Decimal {
    let output = run(&["run", file, "--format", "csv"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let values = csv_values(&stdout(&output));
    let key = (
        "total".to_string(),
        String::new(),
        year.to_string(),
        "remaining_gap".to_string(),
        "central".to_string(),
    );
    figure(&values[&key])
}

#[test]
fn the_waterfall_adds_up_exactly_to_the_remaining_gap_of_savings_run() {
    for (file, year, steps) in [
        (WORKED, "2025/26", 9),
        (RIVERSIDE, "2025/26", 13),
        (GATESHEAD, "2020/21", 16),
    ] {
        // Enough places that every figure of these plans prints whole.
        let markdown = report(file, &["--format", "md", "--dp", "10"]);
        let rows = markdown_table(&markdown, &format!("The gap in {year}, step by step"));
        assert_eq!(rows.len(), steps, "{file}: {rows:?}");
        let mut running: Option<Decimal> = None;
        for row in &rows {
            let [label, change, total] = row.as_slice() else {
                panic!("{file}: {row:?}");
            };
            if change.is_empty() {
                // A total: the changes since the one before add up to it, exactly.
                if let Some(sum) = running {
                    assert_eq!(sum, figure(total), "{file}: {label}");
                }
                running = Some(figure(total));
            } else {
                let sum = running.expect("a total first") + figure(change);
                assert_eq!(sum, figure(total), "{file}: {label}");
                running = Some(sum);
            }
        }
        let last = rows.last().expect("rows");
        assert_eq!(last[0], "Remaining gap");
        assert_eq!(running, Some(remaining_gap(file, year)), "{file}");

        // The chart draws the same steps, each labelled with its figure.
        let svg = report(file, &["--format", "svg", "--dp", "10"]);
        assert!(
            svg.contains(&format!("The gap in {year}, step by step")),
            "{file}"
        );
        for row in &rows {
            let shown = if row[1].is_empty() { &row[2] } else { &row[1] };
            assert!(
                svg.contains(&format!(">\n{shown}\n<")),
                "{file}: {shown} is not drawn"
            );
            // A name too long for its room is cut, ending "…".
            let label = row[0].replace('\\', "");
            assert!(
                svg.lines().any(|line| line == label
                    || line
                        .strip_suffix('…')
                        .is_some_and(|start| label.starts_with(start) && start.len() > 20)),
                "{file}: {label} is not drawn"
            );
        }
    }
}

/// Riverside, by hand (the figures of `tests/cli/plans.rs`), 2025/26: net 15.2, pressures
/// 0.3 and 0.2 (requirement 15.7), funding 8.1, 4.8 and 2.35, reserves 0.5 (gap to date
/// -0.05); proposed lines contribute 0.12 + 0 + (0.24 x 0.5 x 9/12 - 0.5 x 0.05) = 0.185,
/// the approved garden waste 0 (delivered as planned), the withdrawn leisure trust -0.2 (it
/// reopens its plan): remaining gap -0.05 - 0.185 + 0.2 = -0.035, a surplus. The in-base car
/// parks have no step.
#[test]
fn riverside_steps_from_its_net_budget_as_worked_by_hand() {
    let markdown = report(RIVERSIDE, &["--format", "md", "--dp", "3"]);
    let rows = markdown_table(&markdown, "The gap in 2025/26, step by step");
    let expected = [
        ["Net budget 2024/25", "", "15.200"],
        [
            "Pressure: Pay awards and National Insurance",
            "+0.300",
            "15.500",
        ],
        ["Pressure: Waste contract indexation", "+0.200", "15.700"],
        ["Budget requirement", "", "15.700"],
        ["Funding: Council Tax", "-8.100", "7.600"],
        ["Funding: Retained business rates", "-4.800", "2.800"],
        ["Funding: Revenue Support Grant", "-2.350", "0.450"],
        ["Reserves used", "-0.500", "-0.050"],
        ["Gap to date", "", "-0.050"],
        ["Proposed savings", "-0.185", "-0.235"],
        ["Approved savings", "0.000", "-0.235"],
        ["Withdrawn savings", "+0.200", "-0.035"],
        ["Remaining gap", "", "-0.035"],
    ];
    assert_eq!(
        rows,
        expected.map(|r| r.map(String::from).to_vec()).to_vec()
    );
    assert!(markdown.contains("In-base savings are already out of the budget"));
}

#[test]
fn a_plans_report_builds_the_gap_and_subtotals_by_status_and_area() {
    let markdown = report(RIVERSIDE, &["--format", "md"]);
    let html = report(RIVERSIDE, &["--format", "html"]);
    for heading in [
        "The gap, built from the budget (£m)",
        "The gap in 2025/26, step by step to the remaining gap (£m, central case)",
        "By status (£m, central case)",
        "By area (£m, central case)",
    ] {
        assert!(
            markdown.contains(&format!("### {heading}\n")),
            "md: {heading}"
        );
        assert!(
            html.contains(&format!("<h2>{heading}</h2>")),
            "html: {heading}"
        );
    }
    // The gap built line by line, as `savings run` shows it.
    let gap = markdown_table(&markdown, "The gap, built from the budget");
    assert_eq!(gap[0][0], "Net budget 2024/25");
    assert_eq!(gap.last().map(|r| r[0].as_str()), Some("Gap to date"));
    // Each status with D, LP and N; each area likewise.
    let by_status = markdown_table(&markdown, "By status");
    let statuses: Vec<&str> = by_status
        .iter()
        .map(|r| r[0].as_str())
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(
        statuses,
        [
            "proposed (3 lines)",
            "approved (1 line)",
            "in-base (1 line)",
            "withdrawn (1 line)"
        ]
    );
    let measures: Vec<&str> = by_status.iter().take(3).map(|r| r[1].as_str()).collect();
    assert_eq!(
        measures,
        ["In-year saving", "Planned to date", "Contribution"]
    );
    let by_area = markdown_table(&markdown, "By area");
    let areas: Vec<&str> = by_area
        .iter()
        .map(|r| r[0].as_str())
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(
        areas,
        [
            "Environment (2 lines)",
            "Communities (2 lines)",
            "Resources (2 lines)"
        ]
    );
    // The HTML draws the waterfall as the first of its charts.
    let first_figure = html
        .split("<figure role=\"img\" aria-label=\"")
        .nth(1)
        .unwrap_or_default();
    assert!(
        first_figure.starts_with("The gap in 2025/26, step by step"),
        "{:.200}",
        first_figure
    );
}

#[test]
fn a_gap_of_pressures_alone_steps_from_the_unidentified_gap() -> TestResult {
    let folder = tempfile::tempdir()?;
    let file = folder.path().join("pressures.toml");
    std::fs::write(
        &file,
        r#"[scenario]
name = "pressures on a savings target"
base_year = "2024/25"
horizon = 2

[gap]
unidentified = { "2025/26" = 3 }

[[pressure]]
id = "demand"
name = "Demand"
amount = { "2025/26" = 0.5 }

[[service]]
id = "a"
saving = { levels = { "2025/26" = 1 } }
"#,
    )?;
    let file = file.display().to_string();
    let markdown = report(&file, &["--format", "md"]);
    assert!(markdown.contains("### The gap, built from the unidentified gap and pressures (£m)"));
    let rows = markdown_table(&markdown, "The gap in 2025/26, step by step");
    let expected = [
        ["Unidentified gap to date", "", "3.0"],
        ["Pressure: Demand", "+0.5", "3.5"],
        ["Gap to date", "", "3.5"],
        ["Proposed savings", "-1.0", "2.5"],
        ["Remaining gap", "", "2.5"],
    ];
    assert_eq!(
        rows,
        expected.map(|r| r.map(String::from).to_vec()).to_vec()
    );
    // One status and no area: no subtotal tables.
    assert!(!markdown.contains("### By status"));
    assert!(!markdown.contains("### By area"));
    Ok(())
}

#[test]
fn the_kent_report_has_no_plan_sections_and_no_waterfall() {
    let markdown = report("scenarios/kcc-2014-phase1.toml", &["--format", "md"]);
    let svg = report("scenarios/kcc-2014-phase1.toml", &["--format", "svg"]);
    for text in [&markdown, &svg] {
        for absent in ["The gap, built", "step by step", "By status", "By area"] {
            assert!(!text.contains(absent), "{absent}");
        }
    }
}
