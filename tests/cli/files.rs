//! Reading files as a hostile user would have it go wrong (issue 11): what `extends` may read
//! and quote, named pipes, the limits of an `extends` chain and standard input given twice.

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::support::{TestResult, root, run, run_with_stdin, stderr};

/// Runs `savings` in `folder`, waiting at most `limit` (a hang is killed and reported).
fn run_within(folder: &Path, args: &[&str], limit: Duration) -> Result<Output, String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_savings"))
        .args(args)
        .current_dir(folder)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    while child.try_wait().map_err(|e| e.to_string())?.is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("savings {args:?} still running after {limit:?}"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().map_err(|e| e.to_string())
}

// ---- item 6: what `extends` reads and quotes ----

#[test]
fn extends_reads_only_scenario_files_and_quotes_no_key_file() -> TestResult {
    let folder = tempfile::tempdir()?;
    let secret = "aws_secret_access_key = wJalrXUtnFEMI-SECRET\n";
    fs::write(
        folder.path().join("credentials"),
        format!("[default]\n{secret}"),
    )?;
    fs::write(
        folder.path().join("child.toml"),
        "[scenario]\nextends = \"credentials\"\n",
    )?;
    let output = run_within(
        folder.path(),
        &["check", "child.toml"],
        Duration::from_secs(20),
    )?;
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(!message.contains("SECRET"), "{message}");
    assert!(
        message.starts_with("error: child.toml:2:11: scenario.extends: credentials (the scenario this one extends): is not a scenario file; extends names a file ending .toml, or builtin:"),
        "{message}"
    );
    Ok(())
}

#[test]
fn a_parent_that_is_not_valid_toml_is_placed_but_not_quoted() {
    let output = run(&["check", "tests/data/extends/child-of-key-file.toml"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    // The place, and the offending text only: not the key beside it on its line.
    assert!(
        message.starts_with(
            "error: tests/data/extends/not-valid-toml.toml:4:43: invalid TOML: unexpected key or value"
        ),
        "{message}"
    );
    assert!(!message.contains("KEY-MATERIAL"), "{message}");
    assert!(!message.contains("aws_"), "{message}");
    assert_eq!(message.matches("error:").count(), 1, "{message}");
}

// ---- item 7: named pipes and devices are refused at once ----

#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_at_once_as_a_scenario_or_a_parent() -> TestResult {
    let folder = tempfile::tempdir()?;
    let made = Command::new("mkfifo")
        .arg(folder.path().join("pipe.toml"))
        .status()?;
    assert!(made.success(), "mkfifo failed");
    fs::write(
        folder.path().join("child.toml"),
        "[scenario]\nextends = \"pipe.toml\"\n",
    )?;
    let limit = Duration::from_secs(20);
    for (args, start) in [
        (
            vec!["check", "pipe.toml"],
            "error: pipe.toml: is a named pipe, not a file",
        ),
        (
            vec!["run", "pipe.toml", "--format", "csv"],
            "error: pipe.toml: is a named pipe, not a file",
        ),
        (
            vec!["check", "child.toml"],
            "error: child.toml:2:11: scenario.extends: pipe.toml (the scenario this one extends): is a named pipe, not a file",
        ),
    ] {
        let output = run_within(folder.path(), &args, limit)?;
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        assert!(stderr(&output).starts_with(start), "{}", stderr(&output));
    }
    Ok(())
}

#[cfg(unix)]
#[test]
fn a_device_is_refused_as_a_scenario() -> TestResult {
    let output = run_within(&root(), &["check", "/dev/zero"], Duration::from_secs(20))?;
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with("error: /dev/zero: is a device, not a file"),
        "{}",
        stderr(&output)
    );
    Ok(())
}

// ---- item 17: limits for an `extends` chain as a whole ----

#[test]
fn an_extends_chain_is_limited_in_bytes_and_items_as_a_whole() -> TestResult {
    let folder = tempfile::tempdir()?;
    let write = |name: &str, text: String| fs::write(folder.path().join(name), text);
    // Two files of 9 MiB (a comment each), each within the limit of 16 MiB, not together.
    let padding = format!("# {}\n", "x".repeat(9 * 1024 * 1024));
    write(
        "big-parent.toml",
        format!("{padding}[scenario]\nbase_year = \"2014/15\"\n"),
    )?;
    write(
        "big-child.toml",
        format!("{padding}[scenario]\nextends = \"big-parent.toml\"\n"),
    )?;
    // Two files of 600,000 lines each, within the limit of 1,000,000 each, not together.
    let lines = "#\n".repeat(600_000);
    write(
        "long-parent.toml",
        format!("{lines}[scenario]\nbase_year = \"2014/15\"\n"),
    )?;
    write(
        "long-child.toml",
        format!("{lines}[scenario]\nextends = \"long-parent.toml\"\n"),
    )?;
    for (name, message) in [
        (
            "big-child.toml",
            "big-parent.toml (the scenario this one extends): with the scenarios that extend it, the extends chain comes to more than the limit of 16 MiB for a scenario; it was not read",
        ),
        (
            "long-child.toml",
            "long-parent.toml (the scenario this one extends): with the scenarios that extend it, the extends chain has more than the limit of 1000000 lines and list items for a scenario; it was not read",
        ),
    ] {
        let started = Instant::now();
        let output = run_within(folder.path(), &["check", name], Duration::from_secs(60))?;
        assert_eq!(output.status.code(), Some(2), "{name}");
        assert!(stderr(&output).contains(message), "{}", stderr(&output));
        // Refused before parsing the parent: a sanity bound, not a benchmark.
        assert!(started.elapsed() < Duration::from_secs(20), "{name}");
    }
    // Each parent alone is within the limits.
    for name in ["big-parent.toml", "long-parent.toml"] {
        let output = run_within(folder.path(), &["check", name], Duration::from_secs(60))?;
        assert_eq!(output.status.code(), Some(0), "{name}: {}", stderr(&output));
    }
    Ok(())
}

#[test]
fn an_extends_chain_is_limited_in_depth() -> TestResult {
    let folder = tempfile::tempdir()?;
    fs::write(
        folder.path().join("s0.toml"),
        "[scenario]\nbase_year = \"2014/15\"\n",
    )?;
    for i in 1..=16 {
        fs::write(
            folder.path().join(format!("s{i}.toml")),
            format!("[scenario]\nextends = \"s{}.toml\"\n", i - 1),
        )?;
    }
    let limit = Duration::from_secs(60);
    let output = run_within(folder.path(), &["check", "s15.toml"], limit)?;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = run_within(folder.path(), &["check", "s16.toml"], limit)?;
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("more than 16 scenarios in one extends chain"),
        "{}",
        stderr(&output)
    );
    Ok(())
}

// ---- item 18: standard input read twice ----

#[test]
fn standard_input_can_be_read_only_once() -> TestResult {
    let text = fs::read_to_string(root().join("scenarios/worked-example.toml"))?;
    for args in [vec!["check", "-", "-"], vec!["compare", "-", "-"]] {
        let output = run_with_stdin(&args, &text);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        assert_eq!(
            stderr(&output),
            "error: <stdin>: standard input can be read only once; give - for one scenario only\n",
            "{args:?}"
        );
    }
    // One scenario compared with itself changed reads standard input once.
    let output = run_with_stdin(
        &["compare", "-", "--against", "--set scenario.overlap=0.5"],
        &text,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    Ok(())
}
