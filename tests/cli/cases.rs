//! The valid-input cases in `tests/cases/`: what each command prints, kept as data so that a new
//! case needs no Rust. A case is a file `NAME.toml`:
//!
//! ```toml
//! # What the case shows (comments are free).
//! args = ["run", "scenarios/worked-example.toml", "--format", "csv"]
//! exit = 1                        # the exit code expected; 0 when not given
//! stdin = "scenarios/worked-example.toml"   # a file fed to standard input; none when not given
//! env = { COLUMNS = "80" }        # environment variables for the run; none when not given
//! ```
//!
//! with the exact standard output in `NAME.stdout` and the exact standard error in
//! `NAME.stderr` beside it; a missing `.stdout` or `.stderr` means that stream must be empty.
//! The real binary runs from the crate root (paths in `args` and `stdin` are from there), with
//! tables at the default 100 columns whatever `COLUMNS` the tests were started with, as every
//! command-line test does. A scenario made for one case sits beside it as
//! `NAME.scenario.toml` and is named in its `args` (or `stdin`) by its path. Cases print to
//! standard output: one that writes a file (`--output`) is refused, as is any file in the
//! folder that belongs to no case.
//!
//! To add a case, write `NAME.toml`, run `UPDATE_EXPECTED=1 cargo test --test cli cases` and
//! read the `.stdout` and `.stderr` it writes; after a deliberate change of output, the same
//! command, then review the diff. Regeneration rewrites the outputs, never the exit code: that
//! is the case's claim, written by hand.
//!
//! Why not `trycmd`, which this follows: it regenerates only under `TRYCMD=overwrite`, treats
//! `[..]` and `...` in the expected text as wildcards and normalises path separators and line
//! endings before comparing (the Markdown outputs escape `[` with a backslash), and leaves a
//! stream unchecked when its file is missing. Here every stream is compared byte for byte.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde::Deserialize;

use super::support::{TestResult, root, savings};

const FOLDER: &str = "tests/cases";

/// One case file, `NAME.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    args: Vec<String>,
    #[serde(default)]
    exit: i32,
    stdin: Option<String>,
    #[serde(default)]
    env: BTreeMap<String, String>,
}

#[test]
fn every_case_prints_its_pinned_output_and_exit_code() -> TestResult {
    let folder = root().join(FOLDER);
    let mut files: Vec<String> = fs::read_dir(&folder)?
        .map(|entry| entry.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()?;
    files.sort();
    let names: Vec<&str> = files
        .iter()
        .filter(|f| !f.ends_with(".scenario.toml"))
        .filter_map(|f| f.strip_suffix(".toml"))
        .collect();
    // The folder cannot quietly empty: a test of nothing would pass.
    assert!(names.len() >= 30, "only {} cases in {FOLDER}", names.len());
    let update = std::env::var_os("UPDATE_EXPECTED").is_some();
    let mut failures = Vec::new();
    for file in &files {
        let owner = [".toml", ".stdout", ".stderr", ".scenario.toml"]
            .iter()
            .filter_map(|suffix| file.strip_suffix(suffix))
            .any(|name| names.contains(&name));
        if !owner {
            failures.push(format!("{FOLDER}/{file}: belongs to no case (NAME.toml)"));
        }
    }
    for name in &names {
        if let Err(error) = run_case(&folder, name, update, &mut failures) {
            failures.push(format!("{FOLDER}/{name}.toml: {error}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}\n\nIf the change is meant: UPDATE_EXPECTED=1 cargo test --test cli cases, then review the diff",
        failures.len(),
        failures.join("\n")
    );
    Ok(())
}

/// Runs the case `NAME.toml` and adds a line to `failures` for each stream or exit code that
/// differs; under `update`, rewrites the streams first.
fn run_case(folder: &Path, name: &str, update: bool, failures: &mut Vec<String>) -> TestResult {
    let case: Case = toml::from_str(&fs::read_to_string(folder.join(format!("{name}.toml")))?)?;
    let command_line = shlex::try_join(case.args.iter().map(String::as_str))
        .unwrap_or_else(|_| case.args.join(" "));
    let what = format!("{FOLDER}/{name}.toml (savings {command_line})");
    if case
        .args
        .iter()
        .any(|a| a.starts_with("--output") || a.starts_with("-o"))
    {
        failures.push(format!(
            "{what}: writes a file; a case prints to standard output"
        ));
        return Ok(());
    }
    let beside = format!("{FOLDER}/{name}.scenario.toml");
    let named = case.args.contains(&beside) || case.stdin.as_ref() == Some(&beside);
    if folder.join(format!("{name}.scenario.toml")).exists() && !named {
        failures.push(format!("{what}: does not name {beside}"));
    }
    let mut command = savings();
    command.args(&case.args).envs(&case.env);
    if let Some(stdin) = &case.stdin {
        command.write_stdin(fs::read(root().join(stdin))?);
    }
    let output = command.output()?;
    if output.status.code() != Some(case.exit) {
        failures.push(format!(
            "{what}: exit {}, expected {}\n{}",
            output
                .status
                .code()
                .map_or("by a signal".to_string(), |c| c.to_string()),
            case.exit,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    for (stream, got) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
        let path = folder.join(format!("{name}.{stream}"));
        if update {
            if got.is_empty() {
                if path.exists() {
                    fs::remove_file(&path)?;
                }
            } else {
                fs::write(&path, got)?;
            }
        }
        let expected = if path.exists() {
            fs::read(&path)?
        } else {
            Vec::new()
        };
        if *got != expected {
            failures.push(format!(
                "{what}: {stream} differs from {FOLDER}/{name}.{stream}{}",
                first_difference(&expected, got)
            ));
        }
    }
    Ok(())
}

/// Where two outputs first differ: the line number and both lines as written (quoted, so a
/// trailing space or a missing newline shows).
fn first_difference(expected: &[u8], got: &[u8]) -> String {
    let expected = String::from_utf8_lossy(expected);
    let got = String::from_utf8_lossy(got);
    let mut expected_lines = expected.split_inclusive('\n');
    let mut got_lines = got.split_inclusive('\n');
    let mut number = 1;
    loop {
        match (expected_lines.next(), got_lines.next()) {
            (Some(e), Some(g)) if e == g => number += 1,
            (e, g) => {
                return format!(
                    ", first at line {number}\n  expected: {}\n  got:      {}",
                    e.map_or("(the end)".to_string(), |e| format!("{e:?}")),
                    g.map_or("(the end)".to_string(), |g| format!("{g:?}")),
                );
            }
        }
    }
}
