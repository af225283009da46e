//! `savings run` and `savings check`: inputs, exit codes, checks and writing.

use std::fs;

use super::support::{TestResult, data, run, run_with_stdin, savings, stderr, stdout};

#[test]
fn no_arguments_runs_the_built_in_kent_scenario() {
    let bare = run(&[]);
    assert_eq!(bare.status.code(), Some(0));
    assert!(stdout(&bare).starts_with("Facing the Challenge, Phase 1 (May 2014)\n"));
    let explicit = run(&["run"]);
    assert_eq!(bare.stdout, explicit.stdout);
    let named = run(&["run", "builtin:"]);
    let file = run(&["run", "scenarios/kcc-2014-phase1.toml"]);
    assert_eq!(stdout(&named), stdout(&bare));
    // The same figures whether read from the embedded copy or the file.
    assert_eq!(
        stdout(&file).replace(
            "scenarios/kcc-2014-phase1.toml",
            "builtin:kcc-2014-phase1.toml"
        ),
        stdout(&bare)
    );
}

#[test]
fn the_built_in_scenario_works_from_any_directory() -> TestResult {
    let elsewhere = tempfile::tempdir()?;
    let output = savings().current_dir(elsewhere.path()).output()?;
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("Facing the Challenge"));
    Ok(())
}

#[test]
fn stdin_is_read_with_a_dash() -> TestResult {
    let text = fs::read_to_string(super::support::root().join("scenarios/worked-example.toml"))?;
    let output = run_with_stdin(&["run", "-", "--format", "csv"], &text);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let file = run(&["run", "scenarios/worked-example.toml", "--format", "csv"]);
    assert_eq!(output.stdout, file.stdout);
    let bad = run_with_stdin(&["check", "-"], "[scenario]\nhorizon = 3\n");
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).starts_with("error: <stdin>:1:1: scenario.base_year: missing"),
        "{}",
        stderr(&bad)
    );
    Ok(())
}

#[test]
fn a_bom_and_crlf_line_endings_are_accepted() -> TestResult {
    let text = fs::read_to_string(super::support::root().join("scenarios/worked-example.toml"))?;
    let windows = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    let output = run_with_stdin(&["run", "-", "--format", "csv"], &windows);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let plain = run(&["run", "scenarios/worked-example.toml", "--format", "csv"]);
    assert_eq!(output.stdout, plain.stdout);
    Ok(())
}

#[test]
fn check_is_silent_and_exits_0_on_good_files() {
    let output = run(&[
        "check",
        "scenarios/kcc-2014-phase1.toml",
        "scenarios/worked-example.toml",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    assert!(output.stderr.is_empty());
    assert_eq!(run(&["check"]).status.code(), Some(0));
}

#[test]
fn checks_exit_1_and_name_what_failed_but_still_write_the_output() {
    // Kent: the JV options go live in 2017, so they do not meet the MTFP's planned savings,
    // and neither gap year is closed.
    let output = run(&["run", "--check-plan", "--check-gap", "--format", "csv"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).starts_with("scenario,service,option,year,measure,case,value\n"));
    let message = stderr(&output);
    assert!(message.contains("--check-plan: service[hr].option[jv] does not meet its planned savings: \"2015/16\" short by 0.5, \"2016/17\" short by 0.9"), "{message}");
    assert!(!message.contains("service[property]"), "{message}");
    assert!(
        message.contains("--check-gap: \"2015/16\" is not closed"),
        "{message}"
    );
    assert!(
        message.contains("--check-gap: \"2016/17\" is not closed"),
        "{message}"
    );
    assert!(
        !message.contains("2017/18"),
        "only years with a gap given are checked: {message}"
    );

    let plan_only = run(&["run", "--check-plan", "--format", "csv"]);
    assert_eq!(plan_only.status.code(), Some(1));
    assert!(!stderr(&plan_only).contains("--check-gap"));

    // Without a check, the figures do not change the exit code.
    assert_eq!(run(&["run", "--format", "csv"]).status.code(), Some(0));
}

#[test]
fn checks_pass_with_exit_0_when_the_plan_is_met_and_the_gap_closed() {
    let output = run(&[
        "run",
        "scenarios/worked-example.toml",
        "--check-plan",
        "--check-gap",
    ]);
    // 2015/16 is not closed in the worked example (remaining gap 1.5).
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("--check-gap: \"2015/16\" is not closed: remaining gap 1.5 £m")
    );
    let output = run(&[
        "run",
        &data("closes-the-gap.toml"),
        "--check-plan",
        "--check-gap",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stderr.is_empty());
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["run", "--format", "xml"][..],
        &["run", "--dp", "11"],
        &["run", "--no-such-flag"],
        &["frobnicate"],
        &["run", "a.toml", "b.toml"],
    ] {
        let output = run(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
    assert_eq!(run(&["--help"]).status.code(), Some(0));
    assert_eq!(run(&["--version"]).status.code(), Some(0));
}

#[test]
fn output_files_are_written_whole() -> TestResult {
    let folder = tempfile::tempdir()?;
    let target = folder.path().join("kent.csv");
    let target_name = target.display().to_string();
    let output = run(&["run", "--format", "csv", "--output", &target_name]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
    let written = fs::read(&target)?;
    assert_eq!(written, run(&["run", "--format", "csv"]).stdout);
    Ok(())
}

#[test]
fn a_failing_run_leaves_no_file_and_does_not_touch_an_existing_one() -> TestResult {
    let folder = tempfile::tempdir()?;
    let fresh = folder.path().join("fresh.csv");
    let output = run(&[
        "run",
        "tests/bad/horizon-zero.toml",
        "--format",
        "csv",
        "--output",
        &fresh.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(!fresh.exists());

    let existing = folder.path().join("existing.csv");
    fs::write(&existing, "previous contents\n")?;
    let output = run(&[
        "run",
        "tests/bad/product-inexact.toml",
        "--output",
        &existing.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(fs::read_to_string(&existing)?, "previous contents\n");
    // No temporary files are left behind.
    assert_eq!(fs::read_dir(folder.path())?.count(), 1);
    Ok(())
}

#[cfg(unix)]
#[test]
fn a_device_is_written_through_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let output = run(&["run", "--format", "csv", "--output", "/dev/null"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let kind = fs::metadata("/dev/null").expect("/dev/null").file_type();
    assert!(kind.is_char_device(), "/dev/null is still a device");
}

#[cfg(unix)]
#[test]
fn a_link_to_a_file_keeps_the_link_and_replaces_the_file() -> TestResult {
    let folder = tempfile::tempdir()?;
    let real = folder.path().join("real.csv");
    let link = folder.path().join("link.csv");
    fs::write(&real, "old\n")?;
    std::os::unix::fs::symlink(&real, &link)?;
    let output = run(&[
        "run",
        "--format",
        "csv",
        "--output",
        &link.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(fs::symlink_metadata(&link)?.file_type().is_symlink());
    assert_eq!(fs::read(&real)?, run(&["run", "--format", "csv"]).stdout);
    Ok(())
}

#[test]
fn an_output_that_is_a_folder_is_a_clear_error() {
    let output = run(&["run", "--output", "tests"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("cannot write tests: it is a folder"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_output_folder_that_does_not_exist_is_a_clear_error() {
    let output = run(&["run", "--output", "no/such/folder/out.csv"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).starts_with("error: cannot write no/such/folder/out.csv"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_closed_pipe_ends_quietly() -> TestResult {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_savings"))
        .args(["run", "--format", "csv"])
        .current_dir(super::support::root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    // Read one line, then close the pipe, as `| head -1` does.
    let mut stdout = child.stdout.take().ok_or("no stdout")?;
    let mut first = [0u8; 64];
    let _ = stdout.read(&mut first)?;
    drop(stdout);
    let mut errors = String::new();
    child
        .stderr
        .take()
        .ok_or("no stderr")?
        .read_to_string(&mut errors)?;
    let status = child.wait()?;
    assert!(!errors.contains("panicked"), "{errors}");
    assert_eq!(status.code(), Some(0), "{errors}");
    Ok(())
}

/// Valid files at the edges of the format, each run in every format: exit 0, output written.
#[test]
fn unusual_but_valid_scenarios_run_in_every_format() {
    const H: &str = "[scenario]\nbase_year = \"2014/15\"\n";
    let cases = [
        // No risk is the same as fail 0 and no slip, so these options share one group.
        format!(
            "{H}[[service]]\nid = \"a\"\n[[service.option]]\nid = \"o\"\npreferred = true\nsaving = 1\nstart = \"2015/16\"\ngroup = \"g\"\n[[service]]\nid = \"b\"\n[[service.option]]\nid = \"o\"\nsaving = 1\nstart = \"2015/16\"\ngroup = \"g\"\nrisk = {{ fail = 0, slip_months = [0, 0] }}\n"
        ),
        // A gap so small that the share of it covered is beyond any percentage.
        format!(
            "{H}[gap]\nunidentified = {{ \"2015/16\" = 0.00000000000000000001 }}\n[[service]]\nid = \"a\"\n[[service.option]]\nid = \"o\"\npreferred = true\nsaving = 10\nstart = \"2015/16\"\n"
        ),
        "[scenario]\nbase_year = \"2399/00\"\nhorizon = 100\n".to_string(),
        format!("{H}[[service]]\nid = \"no-options\"\nplanned = {{ \"2015/16\" = 1 }}\n"),
        format!(
            "{H}[[service]]\nid = \"a\"\nbudget = {{ gross = 1, net = 0 }}\n[[service.option]]\nid = \"o\"\npreferred = true\nsaving = {{ share_of_net = 0 }}\nstart = \"2015/16\"\none_off_cost = {{ \"2014/15\" = 2 }}\n"
        ),
        format!(
            "{H}horizon = 1\n[[service]]\nid = \"late\"\n[[service.option]]\nid = \"o\"\npreferred = true\nsaving = 5\nstart = \"2040-03\"\n"
        ),
        format!(
            "\u{feff}{}",
            format!("{H}[[service]]\nid = \"a\"\n").replace('\n', "\r\n")
        ),
    ];
    for text in &cases {
        for format in ["table", "csv", "json", "markdown"] {
            let output = run_with_stdin(&["run", "-", "--format", format], text);
            assert_eq!(
                output.status.code(),
                Some(0),
                "{format}\n{text}\n{}",
                stderr(&output)
            );
            assert!(!output.stdout.is_empty());
        }
    }
}

#[test]
fn a_file_of_more_than_a_million_lines_and_items_is_refused_before_parsing() -> TestResult {
    let folder = tempfile::tempdir()?;
    let path = folder.path().join("items.toml");
    fs::write(
        &path,
        format!(
            "[scenario]\nbase_year = \"2014/15\"\nx = [{}]\n",
            "1,".repeat(1_000_001)
        ),
    )?;
    let output = run(&["check", &path.display().to_string()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("more than the limit of 1000000"),
        "{}",
        stderr(&output)
    );
    Ok(())
}

// ---- output integrity (issue 7) ----

#[cfg(unix)]
#[test]
fn a_full_disk_is_a_clear_error() -> TestResult {
    // /dev/full: every write fails with "no space left on device".
    let output = run(&["run", "--format", "csv", "--output", "/dev/full"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("cannot write /dev/full"),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("No space left on device"),
        "{}",
        stderr(&output)
    );
    // Standard output on a full device.
    let full = fs::OpenOptions::new().write(true).open("/dev/full")?;
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_savings"))
        .args(["run", "--format", "csv"])
        .current_dir(super::support::root())
        .stdout(full)
        .output()?;
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("No space left on device"),
        "{}",
        stderr(&output)
    );
    Ok(())
}

/// A file-size limit (`ulimit -f`) stands in for a disk that fills up part way: the write
/// fails, the temporary file is removed and the file already there is untouched.
#[cfg(unix)]
#[test]
fn a_write_that_fails_part_way_leaves_the_old_file_and_no_temporary_one() -> TestResult {
    let folder = tempfile::tempdir()?;
    let target = folder.path().join("kent.csv");
    fs::write(&target, "previous contents\n")?;
    let command = format!(
        "trap '' XFSZ; ulimit -f 8; exec '{}' run --format csv --output '{}'",
        env!("CARGO_BIN_EXE_savings"),
        target.display()
    );
    let output = std::process::Command::new("sh")
        .args(["-c", &command])
        .current_dir(super::support::root())
        .output()?;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("cannot write"),
        "{}",
        stderr(&output)
    );
    assert_eq!(fs::read_to_string(&target)?, "previous contents\n");
    assert_eq!(
        fs::read_dir(folder.path())?.count(),
        1,
        "a temporary file was left"
    );
    Ok(())
}

#[test]
fn concurrent_runs_writing_one_file_never_interleave() -> TestResult {
    let folder = tempfile::tempdir()?;
    let target = folder.path().join("out.csv");
    let target_name = target.display().to_string();
    let kent = run(&["run", "--format", "csv"]).stdout;
    let worked = run(&["run", "scenarios/worked-example.toml", "--format", "csv"]).stdout;
    let children: Vec<_> = (0..8)
        .map(|i| {
            let scenario = if i % 2 == 0 {
                "builtin:"
            } else {
                "scenarios/worked-example.toml"
            };
            std::process::Command::new(env!("CARGO_BIN_EXE_savings"))
                .args(["run", scenario, "--format", "csv", "--output", &target_name])
                .current_dir(super::support::root())
                .spawn()
        })
        .collect::<Result<_, _>>()?;
    for mut child in children {
        assert!(child.wait()?.success());
    }
    let written = fs::read(&target)?;
    assert!(
        written == kent || written == worked,
        "the file is a mixture"
    );
    assert_eq!(
        fs::read_dir(folder.path())?.count(),
        1,
        "temporary files were left"
    );
    Ok(())
}
