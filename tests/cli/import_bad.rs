//! Spreadsheets `savings import` must refuse (issue 17), in `tests/bad-import/`: each case is
//! `NAME.xlsx`, `NAME.csv` or `NAME.ods`, with `NAME.args` (the flags after the file, one
//! argument per line; empty: none), `NAME.stderr` (the exact message) and, where the exit
//! code is not 2, `NAME.exit` (a sub-total that does not add up, with `--check-totals`, is a
//! failed check: 1). The import runs with `--output` into a fresh folder: on exit 2 nothing
//! may be written and standard output must be empty.
//!
//! The spreadsheets are written by `cargo run --example import_fixtures` (see
//! tests/data/import/README.md). The `.stderr` files hold the import's own messages: after a
//! deliberate change of message, `UPDATE_EXPECTED=1 cargo test --test cli import_bad`, then
//! read each one (it must name the file, the sheet and cell, and the problem) and review the
//! diff. The 100 MB sheet is made at run time as a sparse file, never committed.

use std::fs;
use std::path::Path;

use super::support::{TestResult, run, stderr, stdout};

const FOLDER: &str = "tests/bad-import";

/// The extensions of a case's spreadsheet.
const SHEETS: &[&str] = &["xlsx", "csv", "ods"];

#[test]
fn every_bad_spreadsheet_is_refused_with_its_message() -> TestResult {
    let mut files: Vec<String> = fs::read_dir(FOLDER)?
        .map(|entry| entry.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()?;
    files.sort();
    let cases: Vec<(&str, &str)> = files
        .iter()
        .filter_map(|f| f.rsplit_once('.'))
        .filter(|(_, ext)| SHEETS.contains(ext))
        .collect();
    assert!(cases.len() >= 12, "only {} cases in {FOLDER}", cases.len());
    let update = std::env::var_os("UPDATE_EXPECTED").is_some();
    let mut failures = Vec::new();
    for file in &files {
        let owned = file
            .rsplit_once('.')
            .is_some_and(|(stem, _)| cases.iter().any(|(name, _)| *name == stem));
        if !owned {
            failures.push(format!("{FOLDER}/{file}: belongs to no case"));
        }
    }
    for (name, ext) in &cases {
        if let Err(error) = check_case(name, ext, update, &mut failures) {
            failures.push(format!("{FOLDER}/{name}.{ext}: {error}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}\n\nIf a message changed on purpose: UPDATE_EXPECTED=1 cargo test --test cli import_bad, then read the diff",
        failures.len(),
        failures.join("\n\n")
    );
    Ok(())
}

fn check_case(name: &str, ext: &str, update: bool, failures: &mut Vec<String>) -> TestResult {
    let sheet = format!("{FOLDER}/{name}.{ext}");
    let args_file = format!("{FOLDER}/{name}.args");
    let stderr_file = format!("{FOLDER}/{name}.stderr");
    let exit: i32 = match fs::read_to_string(format!("{FOLDER}/{name}.exit")) {
        Ok(text) => text.trim().parse()?,
        Err(_) => 2,
    };
    let mut args = vec!["import".to_string(), sheet.clone()];
    args.extend(
        fs::read_to_string(&args_file)
            .map_err(|e| format!("{args_file}: {e}"))?
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string),
    );
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("out.toml");
    let out_str = out.to_str().ok_or("a temporary path in UTF-8")?;
    args.extend(["--output".to_string(), out_str.to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = run(&args);
    let what = format!("{sheet} (savings {})", args[1..].join(" "));
    let message = stderr(&output);
    if update {
        fs::write(&stderr_file, &message)?;
    }
    if output.status.code() != Some(exit) {
        failures.push(format!(
            "{what}: exit {:?}, expected {exit}:\n{message}",
            output.status.code()
        ));
    }
    let expected = fs::read_to_string(&stderr_file).map_err(|e| format!("{stderr_file}: {e}"))?;
    if message != expected {
        failures.push(format!(
            "{what}: standard error differs from {stderr_file}:\n--- expected\n{expected}--- got\n{message}"
        ));
    }
    if exit == 2 {
        if !stdout(&output).is_empty() {
            failures.push(format!("{what}: printed on standard output"));
        }
        if out.exists() {
            failures.push(format!("{what}: wrote {out_str} though it failed"));
        }
    }
    Ok(())
}

#[test]
fn a_100_mb_sheet_is_refused_by_the_size_limit_before_it_is_read() -> TestResult {
    let dir = tempfile::tempdir()?;
    for ext in SHEETS {
        // A sparse file: 100 MB long, nothing on disk.
        let big = dir.path().join(format!("plan.{ext}"));
        fs::File::create(&big)?.set_len(100 * 1000 * 1000)?;
        let path = big.to_str().ok_or("a temporary path in UTF-8")?;
        let out = dir.path().join("out.toml");
        let output = run(&[
            "import",
            path,
            "--output",
            out.to_str().ok_or("a temporary path in UTF-8")?,
        ]);
        assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
        assert_eq!(stdout(&output), "");
        assert!(!Path::new(&out).exists(), "nothing written");
        assert_eq!(
            stderr(&output),
            format!(
                "error: {path}: the file is 95.4 MiB; savings import reads spreadsheets up to 20.0 MiB (a plan of a few hundred lines is well under 1 MiB)\n  = help: check this is the right file; save just the savings sheet to a new workbook, or as CSV, and import that\n"
            )
        );
    }
    Ok(())
}
