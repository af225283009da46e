//! Reading and writing files as a hostile user would have it go wrong (issue 11): what
//! `extends` may read and quote, named pipes, escape sequences in file names, an output that
//! would replace an input, signals while writing, a closed standard output, read-only files,
//! the limits of an `extends` chain and standard input given twice.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::support::{TestResult, root, run, run_with_stdin, savings, stderr, stdout};

/// The worked example, copied into `folder` as `name`.
fn worked_example_in(folder: &Path, name: &str) -> std::io::Result<PathBuf> {
    let path = folder.join(name);
    fs::copy(root().join("scenarios/worked-example.toml"), &path)?;
    Ok(path)
}

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
    // The pipes are drained as the program writes, so an output above the pipe's buffer
    // (64 KiB) cannot stall it.
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as Box<_>));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as Box<_>));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("savings {args:?} still running after {limit:?}"));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Ok(Output {
        status,
        stdout: stdout.join().map_err(|_| "reading stdout failed")?,
        stderr: stderr.join().map_err(|_| "reading stderr failed")?,
    })
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

// ---- item 8: control characters in paths are escaped wherever a path is printed ----

#[cfg(unix)]
#[test]
fn control_characters_in_paths_are_escaped_everywhere() -> TestResult {
    let folder = tempfile::tempdir()?;
    let name = "w\u{1b}[31m\u{7}\nx.toml";
    worked_example_in(folder.path(), name)?;
    fs::write(
        folder.path().join("child.toml"),
        format!("[scenario]\nextends = {name:?}\nname = \"child\"\n")
            .replace("\\u{1b}", "\\u001b")
            .replace("\\u{7}", "\\u0007"),
    )?;
    let limit = Duration::from_secs(60);
    let runs: Vec<Vec<&str>> = vec![
        vec!["run", name],
        vec!["run", name, "--format", "markdown"],
        vec!["run", name, "--format", "json"],
        vec!["run", "child.toml"],
        vec!["run", "child.toml", "--format", "markdown"],
        vec!["options", "child.toml"],
        vec!["report", "child.toml", "--format", "md"],
        vec!["report", "child.toml", "--format", "html"],
        // Errors: a missing file, a missing parent, an output that cannot be written.
        vec!["check", "no-such-\u{1b}]0;title\u{7}.toml"],
        vec!["run", "--output", "no-such-\u{1b}[2J/out.csv"],
        vec!["report", "--output", "out-\u{1b}[2J.txt"],
        // A usage error quoting the argument.
        vec!["run", "child.toml", name],
    ];
    for args in &runs {
        let output = run_within(folder.path(), args, limit)?;
        for (stream, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
            assert!(
                !bytes.iter().any(|b| matches!(b, 0x1b | 0x07)),
                "{args:?}: a control character reached {stream}: {}",
                String::from_utf8_lossy(bytes)
            );
        }
        let all = format!("{}{}", stdout(&output), stderr(&output));
        assert!(all.contains("\\u{1b}"), "{args:?}: {all}");
    }
    Ok(())
}

// ---- item 9: an output never replaces a file the run reads ----

#[cfg(unix)]
#[test]
fn an_output_that_would_replace_an_input_is_refused_for_every_command() -> TestResult {
    let folder = tempfile::tempdir()?;
    let scenario = worked_example_in(folder.path(), "w.toml")?;
    let original = fs::read(&scenario)?;
    fs::write(
        folder.path().join("child.toml"),
        "[scenario]\nextends = \"w.toml\"\nname = \"child\"\n",
    )?;
    std::os::unix::fs::symlink("w.toml", folder.path().join("link.csv"))?;
    fs::hard_link(&scenario, folder.path().join("hard.csv"))?;
    let vary = "service[example].option[only].saving.central";
    let commands: Vec<Vec<&str>> = vec![
        vec!["run", "w.toml", "--format", "csv"],
        vec!["options", "w.toml"],
        vec!["compare", "builtin:", "w.toml"],
        vec!["sweep", "w.toml", "--vary", "scenario.overlap=0,1"],
        vec![
            "solve",
            "w.toml",
            "--target",
            "gap-closed=2016/17",
            "--vary",
            vary,
        ],
        vec!["simulate", "w.toml", "--trials", "1000"],
        vec!["sensitivity", "w.toml"],
        vec!["report", "w.toml", "--format", "md"],
    ];
    let limit = Duration::from_secs(60);
    for command in &commands {
        for output_name in ["w.toml", "./w.toml", "link.csv", "hard.csv"] {
            let mut args = command.clone();
            args.extend(["--output", output_name]);
            let output = run_within(folder.path(), &args, limit)?;
            assert_eq!(
                output.status.code(),
                Some(2),
                "{args:?}: {}",
                stderr(&output)
            );
            assert_eq!(
                stderr(&output),
                format!(
                    "error: cannot write {output_name}: it is the scenario this run reads (w.toml); choose another output file\n"
                ),
                "{args:?}"
            );
            assert_eq!(
                fs::read(&scenario)?,
                original,
                "{args:?} changed the scenario"
            );
        }
        // A parent read through `extends`.
        let mut args: Vec<&str> = command
            .iter()
            .map(|a| if *a == "w.toml" { "child.toml" } else { a })
            .collect();
        args.extend(["--output", "w.toml"]);
        let output = run_within(folder.path(), &args, limit)?;
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
        assert_eq!(
            stderr(&output),
            "error: cannot write w.toml: it is w.toml, which the scenario extends; choose another output file\n",
            "{args:?}"
        );
        assert_eq!(
            fs::read(&scenario)?,
            original,
            "{args:?} changed the parent"
        );
    }
    // Standard input redirected from the file is the file too.
    let output = Command::new(env!("CARGO_BIN_EXE_savings"))
        .args(["run", "-", "--output", "w.toml"])
        .current_dir(folder.path())
        .stdin(fs::File::open(&scenario)?)
        .output()?;
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(fs::read(&scenario)?, original);
    // Nothing else was written: no output, no temporary file.
    let mut names: Vec<String> = fs::read_dir(folder.path())?
        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()?;
    names.sort();
    assert_eq!(names, ["child.toml", "hard.csv", "link.csv", "w.toml"]);
    Ok(())
}

// ---- item 10: a signal while writing leaves no temporary file ----

/// A scenario whose long-form CSV runs to about 30 MB: long enough to be stopped while it
/// is written.
fn large_scenario(folder: &Path) -> std::io::Result<PathBuf> {
    let mut text = String::from("[scenario]\nbase_year = \"2014/15\"\nhorizon = 100\n");
    for s in 0..500 {
        text.push_str(&format!(
            "[[service]]\nid = \"s{s}\"\n[[service.option]]\nid = \"o\"\npreferred = true\nsaving = {{ low = 1, central = 2, high = 3 }}\nstart = \"2015-10\"\nramp = \"linear 3\"\n"
        ));
    }
    let path = folder.join("large.toml");
    fs::write(&path, text)?;
    Ok(path)
}

/// The temporary files of `savings` in `folder`.
fn temporary_files(folder: &Path) -> std::io::Result<Vec<String>> {
    Ok(fs::read_dir(folder)?
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".savings-"))
        .collect())
}

#[cfg(unix)]
#[test]
fn a_signal_while_writing_removes_the_temporary_file() -> TestResult {
    use std::os::unix::process::ExitStatusExt;
    let folder = tempfile::tempdir()?;
    let scenario = large_scenario(folder.path())?;
    let out = folder.path().join("out");
    fs::create_dir(&out)?;
    for (signal, number) in [("TERM", 15), ("INT", 2)] {
        let target = out.join("large.csv");
        let mut child = Command::new(env!("CARGO_BIN_EXE_savings"))
            .args(["run", "--format", "csv", "--output"])
            .arg(&target)
            .arg(&scenario)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        // Wait for the temporary file: the write has begun.
        let started = Instant::now();
        while temporary_files(&out)?.is_empty() {
            assert!(
                child.try_wait()?.is_none(),
                "the run ended before it was stopped"
            );
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "no write began"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        let sent = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()?;
        assert!(sent.success());
        let status = child.wait()?;
        assert!(!status.success(), "SIG{signal}: {status:?}");
        // Ended as the signal ends a program (the shell shows 128 + its number).
        assert!(
            status.signal() == Some(number) || status.code() == Some(128 + number),
            "SIG{signal}: {status:?}"
        );
        assert_eq!(temporary_files(&out)?, Vec::<String>::new(), "SIG{signal}");
        assert!(!target.exists(), "SIG{signal}: a partial output was left");
    }
    Ok(())
}

// ---- item 11: a closed standard output is an error, a closed pipe is not ----

#[cfg(unix)]
#[test]
fn a_closed_standard_output_is_an_error() -> TestResult {
    let binary = env!("CARGO_BIN_EXE_savings");
    let shell = |command: String| {
        Command::new("sh")
            .args(["-c", &command])
            .current_dir(root())
            .output()
    };
    for args in ["run", "run --format csv", "schema"] {
        let output = shell(format!("'{binary}' {args} >&-"))?;
        assert_eq!(output.status.code(), Some(2), "{args}: {}", stderr(&output));
        assert_eq!(
            stderr(&output),
            "error: cannot write to standard output: it is closed; give --output FILE, or redirect it (> FILE)\n"
        );
    }
    // Nothing to write there: no error.
    let output = shell(format!("'{binary}' check >&-"))?;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let folder = tempfile::tempdir()?;
    let target = folder.path().join("kent.csv");
    let output = shell(format!(
        "'{binary}' run --format csv --output '{}' >&-",
        target.display()
    ))?;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(target.exists());
    // Output thrown away on purpose is written, and succeeds.
    let output = shell(format!("'{binary}' run >/dev/null"))?;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    Ok(())
}

// ---- item 12: a read-only file is not replaced ----

#[cfg(unix)]
#[test]
fn a_read_only_output_file_is_refused() -> TestResult {
    use std::os::unix::fs::PermissionsExt;
    let folder = tempfile::tempdir()?;
    let target = folder.path().join("kent.csv");
    fs::write(&target, "previous contents\n")?;
    // No write permission for anyone: refused even to root, who could write it all the same.
    fs::set_permissions(&target, fs::Permissions::from_mode(0o444))?;
    let name = target.display().to_string();
    let output = run(&["run", "--format", "csv", "--output", &name]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        format!(
            "error: cannot write {name}: the file is read-only (you may not write it); make it writable or choose another output file\n"
        )
    );
    assert_eq!(fs::read_to_string(&target)?, "previous contents\n");
    assert_eq!(
        fs::metadata(&target)?.permissions().mode() & 0o777,
        0o444,
        "the file was replaced"
    );
    assert_eq!(temporary_files(folder.path())?, Vec::<String>::new());
    // Made writable, it is written.
    fs::set_permissions(&target, fs::Permissions::from_mode(0o644))?;
    let output = run(&["run", "--format", "csv", "--output", &name]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
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

// ---- item 18: standard input read twice; a missing output folder ----

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

#[test]
fn a_missing_output_folder_names_the_output_not_a_temporary_file() {
    let output = savings()
        .args(["run", "--output", "no/such/folder/out.csv"])
        .output()
        .expect("the savings binary runs");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error: cannot write no/such/folder/out.csv: the folder no/such/folder does not exist\n"
    );
    // A folder in which no file can be made (procfs, even for root): the error of the
    // temporary file, named as the output.
    #[cfg(target_os = "linux")]
    {
        let output = run(&["run", "--output", "/proc/out.csv"]);
        assert_eq!(output.status.code(), Some(2));
        assert_eq!(
            stderr(&output),
            "error: cannot write /proc/out.csv: No such file or directory (os error 2)\n"
        );
    }
}
