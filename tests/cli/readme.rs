//! Runs every example in README.md, so none goes stale: each line of a ```sh block is run with
//! `sh -c` (its exit code must be 0, or N where the line's comment says "exits N"), and each
//! `$ ` line of a ```console block must print exactly the lines that follow it.

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
    Ok(())
}
