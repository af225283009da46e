//! Warnings: what the scenario format allows but is far more often a slip than a wish (a
//! go-live after the horizon, a figure in a year after it, a service deferred without saying
//! so, an option that saves nothing over the horizon, a gap year no saving can reach). Every
//! command prints them once on standard error and goes on; `--deny-warnings` makes them an
//! error; writing what was meant (`deferred = true`) silences one.
//!
//! `tests/data/warnings/slips.stderr` pins the warnings of `slips.toml`; regenerate it with
//! `UPDATE_EXPECTED=1 cargo test --test cli warnings` and review the diff.

use std::fs;

use super::support::{TestResult, data, root, run, run_with_stdin, stderr, stdout};

const SLIPS: &str = "tests/data/warnings/slips.toml";

/// The warnings `slips.toml` gets, one per slip.
const EXPECTED: [&str; 6] = [
    "slips.toml:9:18: gap.unidentified.\"2025/26\": no saving can reach \"2025/26\"",
    "slips.toml:9:52: gap.unidentified.\"2062/63\": \"2062/63\" is after \"2034/35\", the last projected year",
    "slips.toml:14:30: service[waste].planned.\"2062/63\": \"2062/63\" is after \"2034/35\"",
    "slips.toml:20:11: service[waste].option[route].start: goes live in \"2052/53\", after \"2034/35\"",
    "slips.toml:24:6: service[parks]: service \"parks\" has 2 options but none is taken forward",
    "slips.toml:32:10: service[parks].option[trust].ramp: the ramp is still at 0 in \"2034/35\"",
];

fn warnings(text: &str) -> Vec<&str> {
    text.lines()
        .filter_map(|l| l.strip_prefix("warning: "))
        .collect()
}

#[test]
fn check_warns_about_each_slip_and_still_passes() -> TestResult {
    let output = run(&["check", SLIPS]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    let message = stderr(&output);
    let found = warnings(&message);
    assert_eq!(found.len(), EXPECTED.len(), "{message}");
    for (found, expected) in found.iter().zip(EXPECTED) {
        assert!(found.contains(expected), "{found}\n  expected {expected}");
    }
    // Each with its source line and a help line that says what to write instead.
    assert_eq!(message.matches("  = help: ").count(), EXPECTED.len());
    assert!(message.contains("write deferred = true"));
    let pinned = root().join("tests/data/warnings/slips.stderr");
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        fs::write(&pinned, &message)?;
    }
    assert_eq!(message, fs::read_to_string(pinned)?);
    Ok(())
}

#[test]
fn every_command_prints_the_warnings_once_before_its_output() {
    let commands: [&[&str]; 9] = [
        &["run", SLIPS, "--format", "csv"],
        &["options", SLIPS],
        &["compare", SLIPS, SLIPS],
        &["compare", SLIPS, "--against", "--set scenario.overlap=0.5"],
        &["sweep", SLIPS, "--vary", "scenario.overlap=0,1"],
        &[
            "solve",
            SLIPS,
            "--target",
            "ten-year-total=3",
            "--vary",
            "service[libraries].option[trust].saving.central",
        ],
        &["simulate", SLIPS, "--trials", "100"],
        &["sensitivity", SLIPS],
        &["report", SLIPS, "--format", "md"],
    ];
    for args in commands {
        let output = run(args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(!output.stdout.is_empty(), "{args:?}");
        assert_eq!(
            warnings(&stderr(&output)).len(),
            EXPECTED.len(),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn deny_warnings_is_an_error_with_no_output() {
    for args in [
        &["run", SLIPS, "--format", "csv", "--deny-warnings"][..],
        &["--deny-warnings", "check", SLIPS],
        &[
            "sweep",
            "--deny-warnings",
            SLIPS,
            "--vary",
            "scenario.overlap=0,1",
        ],
    ] {
        let output = run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        let message = stderr(&output);
        assert_eq!(warnings(&message).len(), EXPECTED.len(), "{message}");
        assert!(
            message.ends_with(&format!(
                "error: {SLIPS}: 6 warnings, and --deny-warnings makes warnings errors\n"
            )),
            "{message}"
        );
    }
    // Without warnings, the flag changes nothing.
    let output = run(&["run", "scenarios/worked-example.toml", "--deny-warnings"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!output.stdout.is_empty());
    let output = run(&["check", "--deny-warnings", "scenarios/worked-example.toml"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn writing_what_was_meant_silences_a_warning() {
    let text = fs::read_to_string(root().join(SLIPS)).unwrap_or_default();
    let meant = text.replace(
        "id = \"parks\"\nname = \"Parks\"",
        "id = \"parks\"\nname = \"Parks\"\ndeferred = true",
    );
    assert_ne!(meant, text);
    let output = run_with_stdin(&["check", "-"], &meant);
    assert_eq!(output.status.code(), Some(0));
    let message = stderr(&output);
    assert_eq!(warnings(&message).len(), EXPECTED.len() - 1, "{message}");
    assert!(!message.contains("none is taken forward"));
    // `--defer` says the same from the command line.
    let deferred = run(&["check", SLIPS, "--defer", "parks"]);
    assert!(!stderr(&deferred).contains("none is taken forward"));
    // And `--option` takes an option of a deferred service forward.
    let chosen = run_with_stdin(
        &["run", "-", "--option", "parks=keep", "--format", "csv"],
        &meant,
    );
    assert_eq!(chosen.status.code(), Some(0), "{}", stderr(&chosen));
    assert!(stdout(&chosen).contains("parks,keep,"));
}

#[test]
fn shipped_scenarios_and_test_data_meant_to_be_clean_have_no_warnings() {
    let files = [
        "scenarios/kcc-2014-phase1.toml".to_string(),
        "scenarios/kcc-2014-outturn.toml".to_string(),
        "scenarios/worked-example.toml".to_string(),
        data("closes-the-gap.toml"),
        data("same-names.toml"),
    ];
    for file in &files {
        let output = run(&["check", "--deny-warnings", file]);
        assert_eq!(output.status.code(), Some(0), "{file}: {}", stderr(&output));
        assert!(output.stderr.is_empty(), "{file}: {}", stderr(&output));
    }
    let builtin = run(&["check", "--deny-warnings"]);
    assert_eq!(builtin.status.code(), Some(0), "{}", stderr(&builtin));
}

#[test]
fn a_scenario_with_errors_gets_the_errors_only() {
    let text = fs::read_to_string(root().join(SLIPS)).unwrap_or_default();
    let broken = text.replace("saving = { low = 0.2,", "saving = { low = 0.5,");
    assert_ne!(broken, text);
    let output = run_with_stdin(&["check", "-"], &broken);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(warnings(&message).is_empty(), "{message}");
    assert!(
        message.contains("central 0.3 is below low 0.5"),
        "{message}"
    );
}

#[test]
fn at_most_twenty_warnings_are_shown_and_the_rest_counted() {
    let mut text = "[scenario]\nbase_year = \"2014/15\"\n".to_string();
    for i in 0..30 {
        text.push_str(&format!(
            "[[service]]\nid = \"s{i}\"\n[[service.option]]\nid = \"o\"\nsaving = 1\nstart = \"2015/16\"\n"
        ));
    }
    let output = run_with_stdin(&["check", "-"], &text);
    assert_eq!(output.status.code(), Some(0));
    let message = stderr(&output);
    let found = warnings(&message);
    assert_eq!(found.len(), 21, "{message}");
    assert_eq!(found[20], "<stdin>: 10 more warnings not shown");
    let denied = run_with_stdin(&["check", "-", "--deny-warnings"], &text);
    assert!(stderr(&denied).ends_with("30 warnings, and --deny-warnings makes warnings errors\n"));
}

#[test]
fn a_saving_that_stops_before_the_last_year_still_reaches_the_years_it_saves_in() {
    // The level falls back to 0 by the last year, but the saving is in force from 2025/26,
    // so the gap of 2025/26 can close; a withdrawn line can close nothing.
    let text = "[scenario]\nbase_year = \"2024/25\"\nhorizon = 3\n[gap]\nunidentified = { \"2025/26\" = 1 }\n[[service]]\nid = \"a\"\nsaving = { increments = { \"2025/26\" = 1, \"2027/28\" = -1 } }\n";
    let output = run_with_stdin(&["check", "-", "--deny-warnings"], text);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let withdrawn = text.replace("[[service]]\n", "[[service]]\nstatus = \"withdrawn\"\n");
    let output = run_with_stdin(&["check", "-"], &withdrawn);
    assert!(
        stderr(&output).contains("no saving can reach \"2025/26\""),
        "{}",
        stderr(&output)
    );
}
