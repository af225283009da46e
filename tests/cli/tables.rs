//! No figure ever wraps (issue 11): every command's table output, at 80 and 100 columns
//! (`COLUMNS`), with figures near the limit of 1e12 and `--dp 10`, fits the width, and
//! every figure it shows (taken from the command's own JSON, rounded and grouped as tables
//! show money) appears whole on one line. The Markdown and HTML reports likewise: a Markdown
//! row is one line, and an HTML figure sits in an element that never breaks.

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;

use super::support::{savings, stderr, stdout};

const HUGE: &str = "tests/data/huge.toml";
const DP: &str = "10";
const WIDTHS: [usize; 2] = [80, 100];

/// `savings ARGS`, with `COLUMNS` set to `width` if given; exit 0 (1 for `solve` that cannot
/// reach its target, which still prints).
fn output(width: Option<usize>, args: &[&str]) -> String {
    let mut command = savings();
    command.args(args);
    if let Some(width) = width {
        command.env("COLUMNS", width.to_string());
    }
    let output = command.output().expect("the savings binary runs");
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "{args:?}: {}",
        stderr(&output)
    );
    stdout(&output)
}

fn json(args: &[&str]) -> Value {
    let mut args = args.to_vec();
    args.extend(["--format", "json"]);
    serde_json::from_str(&output(None, &args)).expect("valid JSON")
}

/// An exact figure as tables show money, worked out here independently: rounded half away
/// from zero to `--dp 10` places, with commas between thousands.
fn shown(exact: &str) -> String {
    let value: Decimal = exact.parse().unwrap_or_else(|e| panic!("{exact}: {e}"));
    let mut rounded = value.round_dp_with_strategy(10, RoundingStrategy::MidpointAwayFromZero);
    if rounded.is_zero() {
        rounded = Decimal::ZERO;
    }
    rounded.rescale(10);
    let text = rounded.to_string();
    let (sign, digits) = text
        .strip_prefix('-')
        .map_or(("", text.as_str()), |rest| ("-", rest));
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let mut groups = Vec::new();
    let mut end = whole.len();
    while end > 3 {
        groups.push(&whole[end - 3..end]);
        end -= 3;
    }
    groups.push(&whole[..end]);
    groups.reverse();
    format!("{sign}{}.{fraction}", groups.join(","))
}

/// The strings at `path` in `value`: segments separated by `.`, `*` for every element of an
/// array or every value of an object.
fn strings(value: &Value, path: &str) -> Vec<String> {
    let mut found = Vec::new();
    collect(value, &path.split('.').collect::<Vec<_>>(), &mut found);
    assert!(!found.is_empty(), "nothing at {path}");
    found
}

fn collect(value: &Value, path: &[&str], found: &mut Vec<String>) {
    match (path.split_first(), value) {
        (None, Value::String(s)) => found.push(s.clone()),
        (None, _) => {}
        (Some((&"*", rest)), Value::Array(items)) => {
            items.iter().for_each(|v| collect(v, rest, found));
        }
        (Some((&"*", rest)), Value::Object(map)) => {
            map.values().for_each(|v| collect(v, rest, found));
        }
        (Some((key, rest)), Value::Object(map)) => {
            if let Some(v) = map.get(*key) {
                collect(v, rest, found);
            }
        }
        _ => {}
    }
}

/// The figures at `paths` of `document`, as tables show them.
fn figures(document: &Value, paths: &[&str]) -> Vec<String> {
    paths
        .iter()
        .flat_map(|p| strings(document, p))
        .map(|s| shown(&s))
        .collect()
}

/// Whether `figure` occurs in `line` as a whole figure: not part of a longer run of digits,
/// separators and points, and not the tail of a negative figure.
fn occurs_whole(line: &str, figure: &str) -> bool {
    let part_of_figure = |c: char| c.is_ascii_digit() || c == ',' || c == '.';
    line.match_indices(figure).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        let after = line[at + figure.len()..].chars().next();
        !before.is_some_and(|c| part_of_figure(c) || c == '-') && !after.is_some_and(part_of_figure)
    })
}

/// Every line within `width` (if given) and every figure whole on some line.
fn check(what: &str, text: &str, width: Option<usize>, expected: &[String]) -> Vec<String> {
    let mut failures = Vec::new();
    if let Some(width) = width {
        for line in text.lines() {
            let columns = line.chars().count();
            if columns > width {
                failures.push(format!("{what}: {columns} columns (over {width}): {line}"));
            }
        }
    }
    for figure in expected {
        if !text.lines().any(|line| occurs_whole(line, figure)) {
            failures.push(format!("{what}: {figure} is not whole on any line"));
        }
    }
    failures
}

fn assert_no_failures(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// For each command, its arguments and the JSON paths of the figures its table shows.
fn commands() -> Vec<(Vec<&'static str>, Vec<String>)> {
    let mut cases = Vec::new();

    let run = vec!["run", HUGE, "--dp", DP, "--chart"];
    let document = json(&run[..4]);
    let mut expected = figures(
        &document,
        &[
            "summary.*.total_saving",
            "summary.*.average_per_year",
            "summary.*.steady_state_saving",
            "summary.*.npv",
            "services.*.steady_state_saving.*",
            "services.*.total_saving.central",
            "services.*.meets_plan.central.margins.*.value",
        ],
    );
    for row in document["rows"].as_array().into_iter().flatten() {
        let shows = matches!(
            (row["measure"].as_str(), row["case"].as_str()),
            (Some("in_year_saving"), _)
                | (
                    Some("planned_to_date" | "contribution" | "gap_to_date" | "remaining_gap"),
                    Some("central"),
                )
        );
        if row["service"] == "total" && shows {
            expected.extend(row["value"].as_str().map(shown));
        }
    }
    cases.push((run, expected));

    for by in ["file", "npv"] {
        let options = vec!["options", HUGE, "--dp", DP, "--by", by];
        let expected = figures(
            &json(&options),
            &[
                "options.*.steady_state_saving.*",
                "options.*.total_saving.central",
                "options.*.npv.central",
                "options.*.meets_plan.central.margins.*.value",
                "options.*.contribution_end_of_mtfp.central",
            ],
        );
        cases.push((options, expected));
    }

    let compare = vec![
        "compare",
        HUGE,
        "--against",
        "--set service[property].option[latco].saving.central=876543210987.654321",
        "--dp",
        DP,
    ];
    let expected = figures(
        &json(&compare),
        &[
            "differences.*.years.*.a.in_year_saving",
            "differences.*.years.*.b.in_year_saving",
            "differences.*.years.*.in_year_saving",
            "differences.*.years.*.a.remaining_gap",
            "differences.*.years.*.b.remaining_gap",
            "differences.*.years.*.remaining_gap",
            "differences.*.services.*.total_saving_a",
            "differences.*.services.*.total_saving_b",
            "differences.*.services.*.total_saving",
            "differences.*.total_saving.central",
            "differences.*.npv.central",
            "variants.*.summary.central.total_saving",
            "variants.*.summary.central.npv",
            "variants.*.summary.central.steady_state_saving",
        ],
    );
    cases.push((compare, expected));

    let sweep = vec![
        "sweep",
        HUGE,
        "--vary",
        "service[property].option[latco].saving.central=600000000000.123,800000000000.456",
        "--dp",
        DP,
    ];
    let document = json(&sweep);
    let mut expected = figures(
        &document,
        &["points.*.total_saving.central", "points.*.npv.central"],
    );
    for point in document["points"].as_array().into_iter().flatten() {
        for gap in point["remaining_gap"].as_array().into_iter().flatten() {
            let year = &gap["year"];
            let is_gap_year = point["gap_years"]
                .as_array()
                .is_some_and(|years| years.contains(year));
            if is_gap_year {
                expected.extend(gap["central"].as_str().map(shown));
            }
        }
    }
    cases.push((sweep, expected));

    // Goal seek prints the value found whole: in the answer, rounded to the display precision
    // (and exact in the command that reproduces it).
    let solve = vec![
        "solve",
        HUGE,
        "--target",
        "ten-year-total=14000000000000.5",
        "--vary",
        "service[property].option[latco].saving.central",
        "--dp",
        DP,
    ];
    let document = json(&solve);
    let mut expected = figures(&document, &["value"]);
    expected.push("14000000000000.5".into());
    cases.push((solve, expected));

    let simulate = vec!["simulate", HUGE, "--trials", "2000", "--dp", DP, "--chart"];
    let document = json(&simulate[..6]);
    let mut expected = figures(
        &document,
        &[
            "years.*.in_year_saving.*",
            "years.*.remaining_gap.*",
            "total_saving.*",
            "npv.*",
        ],
    );
    // The services' mean in-year saving in the last MTFP year (the third) and the last year.
    for service in document["services"].as_array().into_iter().flatten() {
        let means = service["mean_in_year_saving"].as_array();
        for index in [Some(2), means.map(|m| m.len() - 1)].into_iter().flatten() {
            expected.extend(means.and_then(|m| m[index].as_str()).map(shown));
        }
    }
    cases.push((simulate, expected));

    let sensitivity = vec!["sensitivity", HUGE, "--dp", DP];
    let expected = figures(
        &json(&sensitivity),
        &[
            "central.total_saving",
            "central.remaining_gap.*.value",
            "tornado.*.low.outcome.total_saving",
            "tornado.*.low.outcome.remaining_gap.*.value",
            "tornado.*.high.outcome.total_saving",
            "tornado.*.high.outcome.remaining_gap.*.value",
            "tornado.*.swing",
        ],
    );
    cases.push((sensitivity, expected));
    cases
}

#[test]
fn no_figure_wraps_in_any_table_at_80_or_100_columns() {
    let mut failures = Vec::new();
    for (args, expected) in commands() {
        assert!(expected.len() >= 2, "{args:?}: too few figures to check");
        for width in WIDTHS {
            let text = output(Some(width), &args);
            let what = format!("COLUMNS={width} savings {}", args.join(" "));
            failures.extend(check(&what, &text, Some(width), &expected));
        }
    }
    assert_no_failures(failures);
}

/// The figures the report shows: the projection's, and with `--simulate` the simulation's.
fn report_figures() -> Vec<String> {
    let run = json(&["run", HUGE]);
    let mut expected = figures(
        &run,
        &[
            "summary.*.total_saving",
            "summary.*.npv",
            "services.*.total_saving.central",
            "services.*.meets_plan.central.margins.*.value",
        ],
    );
    for row in run["rows"].as_array().into_iter().flatten() {
        let measure = row["measure"].as_str().unwrap_or_default();
        if row["service"] == "total"
            && ["in_year_saving", "remaining_gap", "gap_to_date"].contains(&measure)
        {
            expected.extend(row["value"].as_str().map(shown));
        }
    }
    let simulation = json(&["simulate", HUGE, "--trials", "2000"]);
    expected.extend(figures(
        &simulation,
        &["years.*.in_year_saving.*", "years.*.remaining_gap.*"],
    ));
    expected
}

#[test]
fn no_figure_wraps_in_the_markdown_report() {
    let expected = report_figures();
    let mut failures = Vec::new();
    for width in WIDTHS {
        let text = output(
            Some(width),
            &[
                "report",
                HUGE,
                "--format",
                "md",
                "--simulate",
                "--trials",
                "2000",
                "--dp",
                DP,
            ],
        );
        // A Markdown table row is one line, whatever its width; the text charts in fenced
        // blocks keep within 100 columns.
        let charts: String = text
            .split("```")
            .skip(1)
            .step_by(2)
            .collect::<Vec<_>>()
            .join("\n");
        failures.extend(check("Markdown charts", &charts, Some(100), &[]));
        failures.extend(check("Markdown report", &text, None, &expected));
    }
    assert_no_failures(failures);
}

#[test]
fn no_figure_wraps_in_the_html_report() {
    let expected = report_figures();
    let html = output(
        None,
        &[
            "report",
            HUGE,
            "--format",
            "html",
            "--simulate",
            "--trials",
            "2000",
            "--dp",
            DP,
        ],
    );
    // Every figure sits in a numeric cell or a span that does not break, and both are
    // styled so.
    assert!(html.contains("td.n, td.lines, td:first-child { white-space: nowrap; }"));
    assert!(html.contains(".nowrap { white-space: nowrap; }"));
    let unbroken: Vec<&str> = ["<td class=\"n\">", "<span class=\"nowrap\">"]
        .iter()
        .flat_map(|opening| html.split(opening).skip(1))
        .map(|rest| rest.split('<').next().unwrap_or_default())
        .collect();
    let mut failures = Vec::new();
    for figure in &expected {
        if !unbroken.iter().any(|text| occurs_whole(text, figure)) {
            failures.push(format!(
                "HTML: {figure} is not in an element that keeps it whole"
            ));
        }
    }
    assert_no_failures(failures);
}

/// Issue 18: services with the same name are told apart by their ids wherever rows are
/// labelled by name; a name no other service has is shown as it is.
#[test]
fn services_with_the_same_name_show_their_ids() {
    const SAME: &str = "tests/data/same-names.toml";
    let cases: [&[&str]; 9] = [
        &["run", SAME],
        &["run", SAME, "--format", "markdown"],
        &["options", SAME],
        &["options", SAME, "--by", "npv"],
        &["compare", SAME, "--against", "--defer hr"],
        &["simulate", SAME, "--trials", "1000"],
        &["simulate", SAME, "--trials", "1000", "--format", "markdown"],
        &["report", SAME, "--format", "md"],
        &["report", SAME, "--format", "html"],
    ];
    let mut failures = Vec::new();
    for args in cases {
        // Wide enough that no name wraps.
        let text = output(Some(200), args);
        // Every mention of the shared name carries an id; the deferred service is named too.
        for id in ["legal-a", "legal-b", "legal-c"] {
            if !text.contains(&format!("Legal Services ({id})")) {
                failures.push(format!("{args:?}: no \"Legal Services ({id})\"\n{text}"));
            }
        }
        if text.contains("Legal Services |") || text.contains("Legal Services ┆") {
            failures.push(format!("{args:?}: a row labelled \"Legal Services\" alone"));
        }
        if !text.contains("Human Resources") || text.contains("Human Resources (hr)") {
            failures.push(format!("{args:?}: \"Human Resources\" not as it is"));
        }
    }
    assert_no_failures(failures);
}

/// The words of a Markdown report: what each table cell holds, unwrapped.
fn markdown_words(markdown: &str) -> std::collections::BTreeSet<String> {
    markdown
        .replace("<br>", " ")
        .replace('\\', "")
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// The words on each line of every table in a terminal report, cell by cell.
fn table_words(text: &str) -> Vec<String> {
    text.lines()
        .filter(|line| line.starts_with('│'))
        .flat_map(|line| line.trim_matches('│').split('┆'))
        .flat_map(str::split_whitespace)
        .map(str::to_string)
        .collect()
}

/// Issue 12: no word of a table (a heading, a name, "open") is broken across lines at any
/// width, down to 40 columns: every word a terminal table shows is a word of the same
/// report in Markdown, which never wraps. Only a word too long for the line itself (a
/// `--set` to copy, on a narrow terminal) may break.
#[test]
fn no_word_is_broken_in_any_table_at_any_width() {
    const THOUSANDS: &str = "tests/data/thousands.toml";
    let mut cases: Vec<Vec<&str>> = Vec::new();
    for scenario in ["builtin:", THOUSANDS] {
        cases.extend([
            vec!["run", scenario],
            vec!["options", scenario],
            vec!["options", scenario, "--by", "npv"],
            vec![
                "compare",
                scenario,
                "--against",
                "--set scenario.overlap=0.5",
            ],
            vec!["sweep", scenario, "--vary", "scenario.overlap=0,1"],
            vec!["simulate", scenario, "--trials", "1000"],
            vec!["sensitivity", scenario],
        ]);
    }
    cases.push(vec![
        "solve",
        THOUSANDS,
        "--target",
        "gap-closed=2015/16",
        "--vary",
        "service[waste].option[route-opt].saving.central",
    ]);
    let mut failures = Vec::new();
    for args in &cases {
        let mut markdown = args.clone();
        markdown.extend(["--format", "markdown"]);
        let vocabulary = markdown_words(&output(None, &markdown));
        for width in [40, 60, 80, 100] {
            let text = output(Some(width), args);
            let too_long: Vec<&String> = vocabulary
                .iter()
                .filter(|w| w.chars().count() > width - 4)
                .collect();
            for word in table_words(&text) {
                let whole = vocabulary.contains(&word);
                let part_of_a_long_word = too_long.iter().any(|long| long.contains(&word));
                if !whole && !part_of_a_long_word {
                    failures.push(format!(
                        "COLUMNS={width} savings {}: {word:?} is not a whole word",
                        args.join(" ")
                    ));
                }
            }
        }
    }
    failures.dedup();
    assert_no_failures(failures);
}

/// Issue 12: the sensitivity table, Markdown and charts label each input by its service and
/// option names, never by a path split mid-word; CSV and JSON keep the path.
#[test]
fn sensitivity_labels_inputs_by_name_and_keeps_paths_in_csv_and_json() {
    const THOUSANDS: &str = "tests/data/thousands.toml";
    let markdown = output(None, &["sensitivity", THOUSANDS, "--format", "markdown"]);
    for label in [
        "| Waste collection: Route optimisation, saving |",
        "| Waste collection: Route optimisation, failure |",
        "| Waste collection: Route optimisation, slip |",
        "| Leisure centres: Transfer to a leisure trust, saving |",
        "| Overlap w |",
        "| Waste collection meets plan |",
    ] {
        assert!(markdown.contains(label), "no {label:?}:\n{markdown}");
    }
    for width in [60, 80, 100] {
        let text = output(Some(width), &["sensitivity", THOUSANDS]);
        assert!(!text.contains("service["), "COLUMNS={width}:\n{text}");
        assert!(
            text.contains("Waste collection:"),
            "COLUMNS={width}:\n{text}"
        );
        // A chart's label keeps the kind of input however short it is cut.
        assert!(
            text.lines()
                .any(|l| l.starts_with("Waste coll") && l.contains("…, slip ")),
            "COLUMNS={width}:\n{text}"
        );
    }
    let document = json(&["sensitivity", THOUSANDS]);
    let inputs = strings(&document, "tornado.*.input");
    assert!(
        inputs.contains(&"service[waste].option[route-opt].saving".to_string()),
        "{inputs:?}"
    );
    let csv = output(None, &["sensitivity", THOUSANDS, "--format", "csv"]);
    assert!(
        csv.contains(",service[waste].option[route-opt].saving,saving,low,800,"),
        "{csv}"
    );
}
