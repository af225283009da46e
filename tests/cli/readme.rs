//! Runs every example in README.md, so none goes stale: each line of a ```sh block is run with
//! `sh -c` (its exit code must be 0, or N where the line's comment says "exits N"), and each
//! `$ ` line of a ```console block must print exactly the lines that follow it. They run in a
//! temporary folder, and every file they write must be one `.gitignore` names, so that a
//! reader who runs them by hand in a clone is not left with untracked files.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;

use super::support::{TestResult, root};

struct Example {
    command: String,
    exit: i32,
    /// For console examples: the exact output (standard output then standard error).
    output: Option<String>,
}

fn examples(readme: &str) -> Vec<Example> {
    let mut examples = Vec::new();
    let mut block: Option<&str> = None;
    let mut current: Option<Example> = None;
    for line in readme.lines() {
        if let Some(fence) = line.strip_prefix("```") {
            if block.is_some() {
                examples.extend(current.take());
                block = None;
            } else {
                block = Some(if fence == "sh" {
                    "sh"
                } else if fence == "console" {
                    "console"
                } else {
                    "other"
                });
            }
            continue;
        }
        match block {
            Some("sh") if !line.trim().is_empty() && !line.trim_start().starts_with('#') => {
                examples.push(Example {
                    command: line.to_string(),
                    exit: expected_exit(line),
                    output: None,
                });
            }
            Some("console") => {
                if let Some(command) = line.strip_prefix("$ ") {
                    examples.extend(current.take());
                    current = Some(Example {
                        command: command.to_string(),
                        exit: expected_exit(command),
                        output: Some(String::new()),
                    });
                } else if let Some(Example {
                    output: Some(text), ..
                }) = current.as_mut()
                {
                    text.push_str(line);
                    text.push('\n');
                }
            }
            _ => {}
        }
    }
    examples
}

/// "exits 1" in a line's comment; 0 otherwise. A console example that prints `error:` exits 2.
fn expected_exit(line: &str) -> i32 {
    line.split_once('#')
        .and_then(|(_, comment)| comment.split_once("exits ").map(|(_, rest)| rest))
        .and_then(|rest| rest.chars().next())
        .and_then(|c| c.to_digit(10))
        .map_or(0, |d| d as i32)
}

fn copy_folder(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            fs::copy(entry.path(), to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

/// Every file under `folder`, as paths relative to it with `/` between parts.
fn files_under(folder: &Path) -> std::io::Result<BTreeSet<String>> {
    let mut files = BTreeSet::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir)? {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                pending.push(entry.path());
            } else if let Ok(relative) = entry.path().strip_prefix(folder) {
                let parts: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                files.insert(parts.join("/"));
            }
        }
    }
    Ok(files)
}

/// Which of `paths` (relative to the repository's root) its `.gitignore` leaves out, or
/// `None` where git cannot say (git missing, or not a clone).
fn ignored_by_git(paths: &BTreeSet<String>) -> Option<BTreeSet<String>> {
    let output = Command::new("git")
        .arg("check-ignore")
        .arg("--")
        .args(paths)
        .current_dir(root())
        .output()
        .ok()?;
    // 0: some are ignored; 1: none is; anything else: git could not tell.
    if !matches!(output.status.code(), Some(0 | 1)) {
        return None;
    }
    Some(
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(String::from)
            .collect(),
    )
}

fn available(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn every_readme_example_runs_as_documented() -> TestResult {
    let readme = fs::read_to_string(root().join("README.md"))?;
    let examples = examples(&readme);
    assert!(
        examples.len() >= 15,
        "found only {} examples",
        examples.len()
    );

    // A fresh folder with the files the examples name, and `savings` on the PATH.
    let work = tempfile::tempdir()?;
    copy_folder(&root().join("scenarios"), &work.path().join("scenarios"))?;
    copy_folder(&root().join("tests/bad"), &work.path().join("tests/bad"))?;
    copy_folder(
        &root().join("spreadsheets"),
        &work.path().join("spreadsheets"),
    )?;
    let before = files_under(work.path())?;
    let binary = Path::new(env!("CARGO_BIN_EXE_savings"));
    let bin_dir = binary.parent().ok_or("no folder")?;
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );

    let mut failures = Vec::new();
    for example in &examples {
        if example.command.contains("| jq") && !available("jq") {
            eprintln!("skipped (jq is not installed): {}", example.command);
            continue;
        }
        let output = Command::new("sh")
            .args(["-c", &example.command])
            .current_dir(work.path())
            .env("PATH", &path)
            .output()?;
        let code = output.status.code().unwrap_or(-1);
        let mut exit = example.exit;
        if let Some(expected) = &example.output {
            if expected.starts_with("error:") {
                exit = 2;
            }
            let got = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            if &got != expected {
                failures.push(format!(
                    "{}: output differs\n--- README\n{expected}--- got\n{got}",
                    example.command
                ));
            }
        }
        if code != exit {
            failures.push(format!(
                "{}: exit {code}, README says {exit}\n{}",
                example.command,
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));

    // A reader who runs the examples by hand in a clone is left with what they wrote: each
    // such file must be one the repository's .gitignore names, so `git status` stays clean.
    let written: BTreeSet<String> = files_under(work.path())?
        .difference(&before)
        .cloned()
        .collect();
    assert!(
        written.contains("kent.csv"),
        "the examples wrote {written:?}"
    );
    match ignored_by_git(&written) {
        None => eprintln!("skipped the .gitignore check: git cannot run check-ignore here"),
        Some(ignored) => {
            let left: Vec<&String> = written.difference(&ignored).collect();
            assert!(
                left.is_empty(),
                "the README's examples write files .gitignore does not name: {left:?}"
            );
        }
    }
    Ok(())
}
