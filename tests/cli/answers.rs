//! Answers a reader can read (issue 12): one name for each figure of the gap in every
//! command's tables.

use super::support::{TestResult, run, stderr, stdout};

/// A scenario in £000.
const THOUSANDS: &str = "tests/data/thousands.toml";

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

/// The arguments of `parts`, one after another.
fn cat<'a>(parts: &[&[&'a str]]) -> Vec<&'a str> {
    parts.concat()
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
