//! The corpus of malformed scenarios in `tests/bad/`: one problem each, each with the exact
//! message pinned in the `.stderr` file beside it. Every case must exit 2 with nothing on
//! standard output, from both `check` and `run`, in every format.
//!
//! To regenerate the expected messages after a deliberate wording change, run
//! `UPDATE_EXPECTED=1 cargo test --test cli bad_input` and review the diff.

use std::fs;

use super::support::{TestResult, root, run, stderr};

#[test]
fn every_malformed_scenario_gets_its_pinned_message_and_exit_2() -> TestResult {
    let folder = root().join("tests/bad");
    let mut cases: Vec<_> = fs::read_dir(&folder)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 25, "only {} cases", cases.len());
    let update = std::env::var_os("UPDATE_EXPECTED").is_some();
    let mut failures = Vec::new();
    for case in &cases {
        let name = case
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let relative = format!("tests/bad/{name}");
        let output = run(&["check", &relative]);
        let message = stderr(&output);
        let expected_path = case.with_extension("stderr");
        if update {
            fs::write(&expected_path, &message)?;
        }
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if output.status.code() != Some(2) {
            failures.push(format!(
                "{name}: exit {:?}, expected 2",
                output.status.code()
            ));
        }
        if !output.stdout.is_empty() {
            failures.push(format!("{name}: check wrote to standard output"));
        }
        if message != expected {
            failures.push(format!(
                "{name}: message differs\n--- expected\n{expected}--- got\n{message}"
            ));
        }
        if !message.starts_with(&format!("error: {relative}")) {
            failures.push(format!(
                "{name}: the message does not start with the file name"
            ));
        }
        if message.matches("error:").count() != 1 {
            failures.push(format!("{name}: expected exactly one message"));
        }
        for format in ["table", "csv", "json", "markdown"] {
            let run_output = run(&["run", &relative, "--format", format]);
            if run_output.status.code() != Some(2)
                || !run_output.stdout.is_empty()
                || stderr(&run_output) != message
            {
                failures.push(format!("{name}: run --format {format} differs from check"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
    Ok(())
}

#[test]
fn a_file_over_16_mib_is_refused_before_parsing() -> TestResult {
    let folder = tempfile::tempdir()?;
    let path = folder.path().join("huge.toml");
    let mut text = String::from("[scenario]\nbase_year = \"2014/15\"\n");
    text.push_str(&"# padding to make the file large\n".repeat(16 * 1024 * 1024 / 32 + 10));
    fs::write(&path, text)?;
    let output = run(&["check", &path.display().to_string()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("larger than the limit of 16 MiB"),
        "{}",
        stderr(&output)
    );
    Ok(())
}

#[test]
fn a_missing_file_is_a_clear_error() {
    let output = run(&["run", "no-such-scenario.toml"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let message = stderr(&output);
    assert!(
        message.starts_with("error: no-such-scenario.toml: cannot read the scenario"),
        "{message}"
    );
}

#[test]
fn check_reports_every_bad_file_and_keeps_going() {
    let output = run(&[
        "check",
        "tests/bad/horizon-zero.toml",
        "scenarios/kcc-2014-phase1.toml",
        "tests/bad/ramp-falls.toml",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert_eq!(
        stderr(&output).matches("error:").count(),
        2,
        "{}",
        stderr(&output)
    );
}
