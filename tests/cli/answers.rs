//! Answers a reader can read (issue 12): a goal seek's answer at the display precision with
//! its unit (the exact figure kept in JSON and the `--set` that reproduces it), "none needed"
//! for the payback of an option with nothing to pay back, and one name for each figure of the
//! gap in every command's tables.

use super::support::{TestResult, json, run, stderr, stdout};

/// A scenario in £000: the route optimisation's saving closes 2015/16 at a figure that does
/// not terminate, and "Do nothing" saves and costs nothing.
const THOUSANDS: &str = "tests/data/thousands.toml";
const SAVING: &str = "service[waste].option[route-opt].saving.central";
const START: &str = "service[waste].option[route-opt].start";

/// `savings ARGS`'s standard output; exit 0, or 1 for a goal seek that cannot reach its target.
fn text(args: &[&str]) -> String {
    let output = run(args);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{args:?}: {}",
        stderr(&output)
    );
    stdout(&output)
}

/// The text with the table rules (and Markdown's escapes) taken out and runs of spaces closed
/// up, so that a sentence wrapped within a column of a two-column table reads on.
fn flattened(text: &str) -> String {
    text.replace(['│', '┆', '|'], " ")
        .replace('\\', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The arguments of `parts`, one after another.
fn cat<'a>(parts: &[&[&'a str]]) -> Vec<&'a str> {
    parts.concat()
}

#[test]
fn a_goal_seek_shows_its_answer_rounded_with_its_unit_and_reproduces_it_exactly() -> TestResult {
    let args = [
        "solve",
        THOUSANDS,
        "--target",
        "gap-closed=2015/16",
        "--vary",
        SAVING,
    ];
    let document = json(&cat(&[&args, &["--format", "json"]]));
    // 940 + 100 planned, over 7/12 of a year: 1782.857142..., to 12 places, rounded up.
    let exact = "1782.857142857143";
    assert_eq!(document["value"], exact);
    for (format, dp, shown) in [
        ("table", "1", "1,782.9 (£000)"),
        ("markdown", "1", "1,782.9 (£000)"),
        ("table", "3", "1,782.857 (£000)"),
    ] {
        let out = text(&cat(&[&args, &["--format", format, "--dp", dp]]));
        let flat = flattened(&out);
        assert!(
            flat.contains(&format!(
                "Answer {shown} is the smallest value that reaches gap-closed=2015/16"
            )),
            "{format} --dp {dp}:\n{out}"
        );
        // The input by its names; its path in the command that reproduces the answer.
        assert!(
            flat.contains("Input varied Waste collection: Route optimisation, central saving"),
            "{format}:\n{out}"
        );
        let zero = if dp == "1" { "0.0" } else { "0.000" };
        assert!(
            flat.contains(&format!("Margin past the target there {zero} (£000)")),
            "{format} --dp {dp}:\n{out}"
        );
        // The exact figure is printed only in the command that reproduces it, below the
        // table.
        assert!(
            flat.contains(&format!("To see it: savings run --set 'service[waste].option[route-opt].saving={{ low = 800, central = {exact}, high = {exact} }}'")),
            "{format}:\n{out}"
        );
        for line in out.lines().filter(|l| l.starts_with(['│', '|'])) {
            assert!(!line.contains(exact), "{format}: {line}");
        }
    }
    // The --set it prints reproduces the answer exactly: the gap is closed at it, and not a
    // hair below.
    let reproduce = document["reproduce"].as_str().ok_or("reproduce")?;
    let set = reproduce
        .strip_prefix("--set '")
        .and_then(|s| s.strip_suffix('\''))
        .ok_or(reproduce.to_string())?;
    assert!(set.contains(&format!("central = {exact}")), "{set}");
    let closed = |set: &str| -> Result<bool, String> {
        let run = json(&["run", THOUSANDS, "--set", set, "--format", "json"]);
        let years = run["summary"]["central"]["closed_years"]
            .as_array()
            .ok_or("closed_years")?;
        Ok(years.iter().any(|y| y == "2015/16"))
    };
    assert!(closed(set)?, "{set}");
    let below = set.replace(&format!("central = {exact}"), "central = 1782.857142857142");
    assert!(!closed(&below)?, "{below}");
    Ok(())
}

#[test]
fn a_goal_seek_on_a_start_names_the_month_and_every_margin_its_unit() -> TestResult {
    let out = flattened(&text(&[
        "solve",
        THOUSANDS,
        "--target",
        "gap-closed=2016/17",
        "--vary",
        START,
    ]));
    // From May 2016, 11/12 of 1,000 and the leisure trust's 250 less 200 planned: 26.7 past
    // the 940 to find.
    assert!(
        out.contains(
            "Answer May 2016 (2016-05) is the latest go-live that reaches gap-closed=2016/17"
        ),
        "{out}"
    );
    assert!(
        out.contains("Input varied Waste collection: Route optimisation, go-live"),
        "{out}"
    );
    assert!(
        out.contains("Margin past the target there 26.7 (£000)"),
        "{out}"
    );
    assert!(
        out.contains(&format!("--set '{START}=\"2016-05\"'")),
        "{out}"
    );

    // Out of reach: the best reachable month and the shortfall, in the scenario's unit.
    let out = flattened(&text(&[
        "solve",
        "--target",
        "gap-closed=2016/17",
        "--vary",
        "service[hr].option[jv].start",
    ]));
    assert!(
        out.contains("no value reaches gap-closed=2016/17 (central case); the best reachable is April 2015 (2015-04), short by 91.0 (£m)"),
        "{out}"
    );
    assert!(
        out.contains("Input varied: service[hr].option[jv].start."),
        "{out}"
    );
    assert!(
        out.contains("Margin past the target there -91.0 (£m)"),
        "{out}"
    );
    Ok(())
}

#[test]
fn a_goal_seek_shows_a_share_as_a_percentage_and_never_a_shortfall_as_zero() {
    // With the route optimisation at 700 a year, 2016/17 closes while w x 200 planned is at
    // most 10: w up to 5%.
    let out = flattened(&text(&[
        "solve",
        THOUSANDS,
        "--set",
        "service[waste].option[route-opt].saving=700",
        "--target",
        "gap-closed=2016/17",
        "--vary",
        "scenario.overlap",
    ]));
    assert!(
        out.contains("Input varied scenario.overlap Answer 5% is the largest value that reaches"),
        "{out}"
    );
    // At 689.96 a year with w = 0, 2016/17 is 0.04 short however early the leisure trust
    // starts: a shortfall too small to show at one place is "less than 0.1", not "0.0".
    let out = flattened(&text(&[
        "solve",
        THOUSANDS,
        "--set",
        "service[waste].option[route-opt].saving=689.96",
        "--set",
        "scenario.overlap=0",
        "--target",
        "gap-closed=2016/17",
        "--vary",
        "service[leisure].option[trust].start",
    ]));
    assert!(
        out.contains("the best reachable is April 2015 (2015-04), short by less than 0.1 (£000)"),
        "{out}"
    );
    assert!(
        out.contains("Margin past the target there short by less than 0.1 (£000)"),
        "{out}"
    );
    assert!(!out.contains("0.0 (£000)"), "{out}");
}

#[test]
fn an_option_with_nothing_to_pay_back_needs_no_payback() -> TestResult {
    // The options table and Markdown.
    for format in ["table", "markdown"] {
        let out = text(&["options", THOUSANDS, "--format", format]);
        let row = out
            .lines()
            .find(|l| l.contains("Do nothing"))
            .ok_or(out.clone())?;
        assert!(row.contains("none needed"), "{format}: {row}");
        let route = out
            .lines()
            .find(|l| l.contains("Route optimisation"))
            .ok_or(out.clone())?;
        assert!(!route.contains("none"), "{format}: {route}");
    }
    // JSON: no payback year, and no payback needed; an option with costs needs one.
    let document = json(&["options", THOUSANDS, "--format", "json"]);
    let options = document["options"].as_array().ok_or("options")?;
    let option = |id: &str| {
        options
            .iter()
            .find(|o| o["option"] == id)
            .ok_or(id.to_string())
    };
    for case in ["low", "central", "high"] {
        assert_eq!(
            option("nothing")?["payback_year"][case],
            serde_json::Value::Null
        );
        assert_eq!(option("nothing")?["payback_needed"][case], false);
        assert_eq!(option("route-opt")?["payback_year"][case], "2015/16");
        assert_eq!(option("route-opt")?["payback_needed"][case], true);
    }
    // Ranked by payback: the years first, then nothing to pay back.
    let ranked = json(&["options", THOUSANDS, "--by", "payback", "--format", "json"]);
    let order: Vec<&str> = ranked["options"]
        .as_array()
        .ok_or("options")?
        .iter()
        .filter_map(|o| o["option"].as_str())
        .collect();
    assert_eq!(order, ["route-opt", "trust", "nothing"]);

    // Taken forward alone, in every output that shows the payback.
    let nothing = [THOUSANDS, "--option", "waste=nothing", "--defer", "leisure"];
    let table = text(&cat(&[&["run"], &nothing]));
    assert!(
        flattened(&table).contains("Payback year none needed none needed none needed"),
        "{table}"
    );
    let report = text(&cat(&[&["report"], &nothing, &["--format", "md"]]));
    assert!(
        report.contains("| Payback year | none needed | none needed | none needed |"),
        "{report}"
    );
    let document = json(&cat(&[&["run"], &nothing, &["--format", "json"]]));
    assert_eq!(
        document["summary"]["central"]["payback_year"],
        serde_json::Value::Null
    );
    assert_eq!(document["summary"]["central"]["payback_needed"], false);

    // An option whose costs are never recovered still says "none", and needs a payback.
    let never = [
        "run",
        THOUSANDS,
        "--set",
        "service[waste].option[route-opt].one_off_cost.\"2015/16\"=1000000",
    ];
    let table = flattened(&text(&never));
    assert!(table.contains("Payback year none none none"), "{table}");
    let document = json(&cat(&[&never, &["--format", "json"]]));
    assert_eq!(document["summary"]["central"]["payback_needed"], true);
    Ok(())
}

/// The header cells of every table in `text`: GitHub-flavoured Markdown (the row above a
/// `| --- |` rule) and the terminal's boxes (the lines above the `╞` rule, each column's
/// lines joined).
fn headers(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with("| ---") && i > 0 {
            found.extend(
                lines[i - 1]
                    .trim_matches('|')
                    .split(" | ")
                    .map(|c| c.trim().to_string()),
            );
        }
        if line.starts_with('┌') {
            let header: Vec<&str> = lines[i + 1..]
                .iter()
                .take_while(|l| l.starts_with('│'))
                .copied()
                .collect();
            let ruled = lines
                .get(i + 1 + header.len())
                .is_some_and(|l| l.starts_with('╞'));
            if !ruled {
                continue;
            }
            let mut columns: Vec<Vec<String>> = Vec::new();
            for line in header {
                let cells: Vec<&str> = line.trim_matches('│').split('┆').collect();
                columns.resize(cells.len(), Vec::new());
                for (column, cell) in columns.iter_mut().zip(cells) {
                    if !cell.trim().is_empty() {
                        column.push(cell.trim().to_string());
                    }
                }
            }
            found.extend(columns.into_iter().map(|c| c.join(" ")));
        }
    }
    found
}

/// The header cells of the HTML report's tables.
fn html_headers(html: &str) -> Vec<String> {
    html.split("<th")
        .skip(1)
        .filter_map(|rest| rest.split_once('>'))
        .filter_map(|(_, rest)| rest.split_once("</th>"))
        .map(|(cell, _)| cell.replace("<br>", " "))
        .collect()
}

/// The remaining gap R is "Remaining gap" in every table; "Gap to date" names only the gap
/// to date LG; no other heading names the gap.
#[test]
fn every_table_names_the_remaining_gap_and_the_gap_to_date_alike() -> TestResult {
    let outturn = "scenarios/kcc-2014-outturn.toml";
    let commands: Vec<Vec<&str>> = vec![
        vec!["run"],
        vec!["run", THOUSANDS],
        vec!["options"],
        vec!["compare", "builtin:", outturn],
        vec!["sweep", "--vary", "scenario.overlap=0,1"],
        vec![
            "solve",
            "--target",
            "ten-year-total=200",
            "--vary",
            "service[property].option[latco].saving.central",
        ],
        vec!["simulate", "--trials", "1000"],
        vec!["sensitivity"],
    ];
    let mut seen_remaining = 0;
    let mut seen_to_date = 0;
    let mut failures = Vec::new();
    let mut check = |what: &str, headers: Vec<String>| {
        for header in headers {
            let lower = header.to_lowercase();
            if !lower.contains("gap") {
                continue;
            }
            if header.starts_with("Remaining gap") {
                seen_remaining += 1;
            } else if header == "Gap to date" {
                seen_to_date += 1;
            } else {
                failures.push(format!("{what}: a heading {header:?}"));
            }
        }
    };
    for args in &commands {
        for format in ["table", "markdown"] {
            let all = cat(&[args, &["--format", format]]);
            let out = text(&all);
            check(&format!("{all:?}"), headers(&out));
        }
    }
    check(
        "report md",
        headers(&text(&[
            "report",
            "--format",
            "md",
            "--simulate",
            "--trials",
            "1000",
        ])),
    );
    check(
        "report html",
        html_headers(&text(&["report", "--format", "html"])),
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(seen_remaining > 20, "{seen_remaining}");
    // run (table and Markdown, two scenarios) and the Markdown and HTML reports.
    assert_eq!(seen_to_date, 6);
    Ok(())
}
