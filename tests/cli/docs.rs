//! The manual travels with the tool: `docs/model.md` is in the repository, its worked example
//! agrees with the program, every "docs/model.md section N" cited has a section N, `--help`
//! points at it, and no file of the repository points at documents outside the clone.

use std::collections::BTreeSet;
use std::fs;
use std::path::PathBuf;
use std::process::Command;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};

use super::support::{TestResult, csv_values, root, run, stdout};

const MANUAL: &str = "docs/model.md";

/// The repository's files: those git tracks where git can list them, else every file under
/// the root but `target/` and `.git/`.
fn repository_files() -> Result<Vec<PathBuf>, Box<dyn std::error::Error>> {
    let listed = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(root())
        .output();
    if let Ok(output) = listed
        && output.status.success()
    {
        return Ok(output
            .stdout
            .split(|b| *b == 0)
            .filter(|name| !name.is_empty())
            .map(|name| root().join(String::from_utf8_lossy(name).as_ref()))
            .filter(|path| path.is_file())
            .collect());
    }
    let mut files = Vec::new();
    let mut folders = vec![root()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                if folder != root()
                    || !matches!(entry.file_name().to_str(), Some("target" | ".git"))
                {
                    folders.push(path);
                }
            } else {
                files.push(path);
            }
        }
    }
    Ok(files)
}

#[test]
fn no_file_points_outside_the_repository() -> TestResult {
    // Spelt in pieces so that this file does not name them itself.
    let outside = [
        ["..", "/shared"].concat(),
        ["shared", "/bench"].concat(),
        ["DOM", "AIN"].concat(),
    ];
    let files = repository_files()?;
    assert!(
        files.iter().any(|f| f.ends_with(MANUAL)),
        "{MANUAL} is not among the repository's files"
    );
    let mut found = Vec::new();
    for file in &files {
        let text = String::from_utf8_lossy(&fs::read(file)?).into_owned();
        for (number, line) in text.lines().enumerate() {
            if outside.iter().any(|name| line.contains(name.as_str())) {
                let name = file.strip_prefix(root()).unwrap_or(file);
                found.push(format!(
                    "{}:{}: {}",
                    name.display(),
                    number + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(
        found.is_empty(),
        "these lines point outside the repository; cite {MANUAL} instead:\n{}",
        found.join("\n")
    );
    Ok(())
}

#[test]
fn every_section_cited_exists_in_the_manual() -> TestResult {
    let manual = fs::read_to_string(root().join(MANUAL))?;
    let sections: BTreeSet<String> = manual
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .filter_map(|l| l.split_once(". ").map(|(n, _)| n.to_string()))
        .collect();
    for n in 1..=9 {
        assert!(
            sections.contains(&n.to_string()),
            "{MANUAL} has no section {n}"
        );
    }
    let cite = format!("{MANUAL} section ");
    let mut cited = 0;
    for file in repository_files()? {
        let text = String::from_utf8_lossy(&fs::read(&file)?).into_owned();
        for (at, _) in text.match_indices(&cite) {
            let number: String = text[at + cite.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            if number.is_empty() {
                continue; // prose such as "section N"
            }
            assert!(
                sections.contains(&number),
                "{} cites {cite}{number}, which does not exist",
                file.display()
            );
            cited += 1;
        }
    }
    assert!(cited >= 20, "only {cited} citations of {MANUAL} found");
    Ok(())
}

/// A table of the manual marked `<!-- checked-against: savings ARGS -->` ... `<!-- end
/// checked -->`: the arguments and the rows (cells trimmed, header first).
struct CheckedTable {
    args: Vec<String>,
    rows: Vec<Vec<String>>,
}

fn checked_tables(manual: &str) -> Vec<CheckedTable> {
    let mut tables = Vec::new();
    let mut current: Option<CheckedTable> = None;
    for line in manual.lines() {
        if let Some(command) = line
            .strip_prefix("<!-- checked-against: savings ")
            .and_then(|rest| rest.strip_suffix(" -->"))
        {
            current = Some(CheckedTable {
                args: command.split_whitespace().map(String::from).collect(),
                rows: Vec::new(),
            });
        } else if line == "<!-- end checked -->" {
            tables.extend(current.take());
        } else if let Some(table) = current.as_mut()
            && line.starts_with('|')
            && !line.starts_with("|---")
        {
            table.rows.push(
                line.trim_matches('|')
                    .split('|')
                    .map(|c| c.trim().trim_matches('`').to_string())
                    .collect(),
            );
        }
    }
    tables
}

/// The CSV measure a column of the manual's table names by its symbol.
fn measure(symbol: &str) -> Option<&'static str> {
    Some(match symbol {
        "D" => "in_year_saving",
        "I" => "incremental_saving",
        "LP" => "planned_to_date",
        "N" => "contribution",
        "C" => "one_off_cost",
        "RQ" => "requirement",
        "F" => "funding",
        "V" => "reserves",
        "LG" => "gap_to_date",
        "R" => "remaining_gap",
        _ => return None,
    })
}

fn decimal(text: &str) -> Result<Decimal, String> {
    Decimal::from_str(text).map_err(|e| format!("{text:?} is not a figure: {e}"))
}

/// The years a cell names: `2015/16`, or `2017/18 to 2024/25` (every projected year between).
fn years_named(cell: &str, years: &[String]) -> Result<Vec<String>, String> {
    let (first, last) = cell.split_once(" to ").unwrap_or((cell, cell));
    let position = |year: &str| {
        years
            .iter()
            .position(|y| y == year)
            .ok_or_else(|| format!("{year} is not a projected year"))
    };
    Ok(years[position(first)?..=position(last)?].to_vec())
}

fn check_csv_table(table: &CheckedTable, csv: &str) -> Result<usize, Box<dyn std::error::Error>> {
    let values = csv_values(csv);
    let mut years: Vec<String> = Vec::new();
    for (service, _, year, _, _) in values.keys() {
        if service == "total" && !years.contains(year) {
            years.push(year.clone());
        }
    }
    years.sort();
    let (header, rows) = table.rows.split_first().ok_or("an empty table")?;
    let mut covered = Vec::new();
    let mut checked = 0;
    for row in rows {
        for year in years_named(&row[0], &years)? {
            covered.push(year.clone());
            for (symbol, cell) in header.iter().zip(row).skip(1) {
                let measure = measure(symbol).ok_or(format!("no measure for column {symbol}"))?;
                for case in ["low", "central", "high"] {
                    let key = (
                        "total".to_string(),
                        String::new(),
                        year.clone(),
                        measure.to_string(),
                        case.to_string(),
                    );
                    let got = values.get(&key).ok_or(format!("no CSV row {key:?}"))?;
                    assert_eq!(
                        decimal(got)?,
                        decimal(cell)?,
                        "{MANUAL}: {symbol} in {year} ({case}) is {cell}, the CSV says {got}"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(
        covered, years,
        "{MANUAL}: the table must cover each projected year once"
    );
    Ok(checked)
}

fn check_json_table(
    table: &CheckedTable,
    json: &serde_json::Value,
) -> Result<usize, Box<dyn std::error::Error>> {
    let mut checked = 0;
    for row in table.rows.iter().skip(1) {
        let [figure, shown, field] = row.as_slice() else {
            return Err(format!("{MANUAL}: expected figure | value | field, got {row:?}").into());
        };
        for case in ["low", "central", "high"] {
            let got = json["summary"][case][field.as_str()]
                .as_str()
                .ok_or(format!("no summary.{case}.{field} in the JSON"))?;
            // A figure the manual shows rounded must be the program's, rounded as tables are.
            let agrees = match (Decimal::from_str(shown), Decimal::from_str(got)) {
                (Ok(shown), Ok(got)) => {
                    got.round_dp_with_strategy(
                        shown.scale(),
                        RoundingStrategy::MidpointAwayFromZero,
                    ) == shown
                }
                _ => got == shown,
            };
            assert!(
                agrees,
                "{MANUAL}: {figure} ({case}) is {shown}, the JSON says {got}"
            );
            checked += 1;
        }
    }
    Ok(checked)
}

#[test]
fn the_manuals_worked_example_is_what_the_program_computes() -> TestResult {
    let manual = fs::read_to_string(root().join(MANUAL))?;
    let tables = checked_tables(&manual);
    assert!(
        tables.len() >= 4,
        "{MANUAL} has {} checked tables",
        tables.len()
    );
    for table in &tables {
        let args: Vec<&str> = table.args.iter().map(String::as_str).collect();
        let output = run(&args);
        assert_eq!(output.status.code(), Some(0), "savings {args:?}");
        let text = stdout(&output);
        let checked = match args.windows(2).find(|w| w[0] == "--format").map(|w| w[1]) {
            Some("csv") => check_csv_table(table, &text)?,
            Some("json") => check_json_table(table, &serde_json::from_str(&text)?)?,
            other => return Err(format!("{MANUAL}: cannot check --format {other:?}").into()),
        };
        assert!(
            checked >= 10,
            "savings {args:?}: only {checked} figures checked"
        );
    }
    Ok(())
}

#[test]
fn help_points_at_the_manual_and_says_what_by_year_figures_mean() {
    assert!(root().join(MANUAL).is_file());
    let help = stdout(&run(&["--help"]));
    assert!(help.contains(MANUAL), "{help}");
    let help = stdout(&run(&["run", "--help"]));
    // Wrapped to the terminal, so compare with the line breaks as spaces.
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    for words in [
        "not a running total",
        "`planned` and `gap.unidentified` give what is NEW in that year",
        "planned = { \"2015/16\" = 10, \"2016/17\" = 15 }",
        "`one_off_cost` is what is spent in that year",
    ] {
        assert!(help.contains(words), "run --help lacks {words:?}:\n{help}");
    }
}

#[test]
fn the_readme_says_what_by_year_figures_mean() -> TestResult {
    let readme = fs::read_to_string(root().join("README.md"))?;
    let readme = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    for words in [
        "P(y), the planned savings **new in each year**, not a running total",
        "G(y), the gap **new in each year**, not a running total",
        "planned = { \"2015/16\" = 10, \"2016/17\" = 15 } # 25 - 10 = 15 new in 2016/17",
        "C(y), the money spent **in that year**",
        "cargo install --locked --path .",
        "[docs/model.md](docs/model.md)",
    ] {
        assert!(readme.contains(words), "README.md lacks {words:?}");
    }
    Ok(())
}

/// Issue 15: the help of the commands that now take plans says what they do with one, and
/// the plan example in `solve --help` runs.
#[test]
fn help_says_what_simulate_sensitivity_and_solve_do_with_a_plan() {
    let help_of = |command: &str| {
        let help = stdout(&run(&[command, "--help"]));
        help.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let help = help_of("simulate");
    for words in [
        "one draw a trial, read through each year's own low, central and high",
        "a slip moves it later",
        "approved lines are drawn like proposals",
        "in-base and withdrawn lines are not drawn",
    ] {
        assert!(
            help.contains(words),
            "simulate --help lacks {words:?}:\n{help}"
        );
    }
    let help = help_of("sensitivity");
    for words in [
        "moves between its low and high profiles",
        "a factor on its central profile",
        "pressure and funding lines with a low or high, and reserves, join the tornado",
    ] {
        assert!(
            help.contains(words),
            "sensitivity --help lacks {words:?}:\n{help}"
        );
    }
    let help = help_of("solve");
    assert!(help.contains("service[x].saving.factor"), "{help}");
    let example = "savings solve scenarios/worked-example-plan.toml --target gap-closed=2027/28 --vary 'service[c].saving.factor'";
    assert!(help.contains(example), "{help}");
    let answer = stdout(&run(&[
        "solve",
        "scenarios/worked-example-plan.toml",
        "--target",
        "gap-closed=2027/28",
        "--vary",
        "service[c].saving.factor",
    ]));
    assert!(answer.contains("1.34 x the profile"), "{answer}");
}
