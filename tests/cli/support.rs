//! Helpers shared by the command-line tests.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

pub type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The crate's root folder, where tests run so that file names in messages are stable.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `savings` binary, run from the crate root, with tables at the default 100 columns
/// whatever `COLUMNS` the tests were started with.
pub fn savings() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_savings"));
    command.current_dir(root()).env_remove("COLUMNS");
    command
}

/// Runs `savings` with `args` and returns its output, whatever its exit code.
pub fn run(args: &[&str]) -> Output {
    savings()
        .args(args)
        .output()
        .expect("the savings binary runs")
}

/// Runs `savings` with `args` and `stdin` as standard input.
pub fn run_with_stdin(args: &[&str], stdin: &str) -> Output {
    savings()
        .args(args)
        .write_stdin(stdin)
        .output()
        .expect("the savings binary runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A file under `tests/data`.
pub fn data(name: &str) -> String {
    Path::new("tests/data").join(name).display().to_string()
}

/// Parses the long-form CSV into (service, option, year, measure, case) -> value.
pub fn csv_values(
    text: &str,
) -> std::collections::BTreeMap<(String, String, String, String, String), String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| {
            let r = r.expect("a CSV record");
            (
                (
                    r[1].to_string(),
                    r[2].to_string(),
                    r[3].to_string(),
                    r[4].to_string(),
                    r[5].to_string(),
                ),
                r[6].to_string(),
            )
        })
        .collect()
}

/// Runs `savings` with `args`, expects exit 0, and parses its JSON output.
pub fn json(args: &[&str]) -> serde_json::Value {
    let output = run(args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}: {}",
        stderr(&output)
    );
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}
