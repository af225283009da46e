//! Issue 6: `savings report` in Markdown and HTML, the format chosen from the file name, the
//! report of the Kent scenario in every format, safety of user text, and the text charts of
//! `run` and `simulate`; headless Chromium renders the Kent report and a tracked plan's. (The
//! spreadsheet and the charts have their own modules; the worked example's Markdown report is
//! pinned in `tests/cases/report-md.stdout`.)

use std::fs;
use std::path::Path;
use std::process::Command;

use super::support::{TestResult, run, stderr, stdout};

fn report(args: &[&str]) -> std::process::Output {
    let mut all = vec!["report"];
    all.extend(args);
    run(&all)
}

#[test]
fn the_kent_report_is_written_in_every_format() -> TestResult {
    let folder = tempfile::tempdir()?;
    for (extension, starts_with) in [
        ("md", &b"## Savings report: Facing the Challenge"[..]),
        ("html", &b"<!DOCTYPE html>"[..]),
        ("xlsx", &b"PK\x03\x04"[..]),
        ("svg", &b"<"[..]),
        ("png", &b"\x89PNG\r\n\x1a\n"[..]),
    ] {
        let path = folder.path().join(format!("kent.{extension}"));
        let output = report(&["--output", &path.display().to_string()]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{extension}: {}",
            stderr(&output)
        );
        assert!(output.stdout.is_empty());
        let written = fs::read(&path)?;
        assert!(written.starts_with(starts_with), "{extension}");
        // The same bytes again: reports can be diffed.
        let again = folder.path().join(format!("again.{extension}"));
        report(&["--output", &again.display().to_string()]);
        assert_eq!(
            fs::read(&again)?,
            written,
            "{extension} is not deterministic"
        );
    }
    // No temporary files are left behind.
    assert_eq!(fs::read_dir(folder.path())?.count(), 10);
    Ok(())
}

#[test]
fn the_format_comes_from_the_extension_or_must_be_given() {
    let output = report(&["--output", "kent.txt"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("cannot tell the report format from kent.txt"),
        "{}",
        stderr(&output)
    );
    let output = report(&[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("give --format"));
    let output = report(&["--format", "md"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).starts_with("## Savings report"));
    // A bad scenario writes nothing at all.
    let output = report(&["tests/bad/saving-negative.toml", "--format", "md"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
}

#[test]
fn the_report_says_what_it_was_made_from_and_traces_every_figure() {
    let text = stdout(&report(&[
        "--format",
        "md",
        "--set",
        "service[legal].option[abs-partner].saving.central=1.1",
        "--simulate",
        "--trials",
        "2000",
    ]));
    for expected in [
        "Base year 2014/15",
        "£m",
        "savings-modeller ",
        "Overrides applied: --set service\\[legal\\].option\\[abs-partner\\].saving.central=1.1",
        "Residential Care Homes | deferred",
        "Years closed",
        "Net present value",
        "Payback year",
        "Meets plan",
        "totals use unrounded values",
        "Uncertainty: Year by year",
        "P(closed)",
        "2000 trials, seed 20140515",
        "### Assumptions and sources",
        // A comment on the figure's line.
        "assumption: widest range, upside is trading income (3.2-3.3)",
        // The override, traced.
        "set on the command line: --set service\\[legal\\]",
        // A `source` field where a figure has no comment of its own.
        "Facing the Challenge, 5.1-5.2",
        "```text",
    ] {
        assert!(text.contains(expected), "missing {expected:?}");
    }
}

/// Issue 11, item 4: an override spelt another way (a quoted key, a position for an id) is
/// matched by the field it sets, so the sources table shows the new value, not the file's.
#[test]
fn the_sources_table_shows_an_override_however_its_path_is_spelt() {
    for path in [
        "service[example].option[only].saving",
        "\"service\"[example].option[only].\"saving\"",
        "service[#1].option[#1].saving",
    ] {
        let set = format!("{path}=20");
        let args = |format| {
            [
                "scenarios/worked-example.toml",
                "--format",
                format,
                "--set",
                &set,
            ]
        };
        let output = report(&args("md"));
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let markdown = stdout(&output);
        let row = markdown
            .lines()
            .find(|l| l.starts_with("| service\\[example\\].option\\[only\\].saving |"))
            .unwrap_or_default();
        assert!(
            row.starts_with("| service\\[example\\].option\\[only\\].saving | 20 | set on the command line: --set ")
                && row.ends_with("| command line |"),
            "{path}: {row:?}"
        );
        let output = report(&args("html"));
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert!(
            stdout(&output).contains(
                "<tr><td>service<wbr>[example].<wbr>option<wbr>[only].<wbr>saving</td><td><span class=\"nowrap\">20</span></td><td>set on the command line: --set "
            ),
            "{path}: HTML"
        );
    }
}

/// A scenario whose names try to inject markup and formulas.
const HOSTILE: &str = r#"
[scenario]
name = "<script>alert(1)</script> & co"
base_year = "2014/15"
source = "<img src=x onerror=alert(2)>"

[gap]
unidentified = { "2015/16" = 3 }

[[service]]
id = "legal"
name = "=HYPERLINK(\"http://evil\")"

  [[service.option]]
  id = "abs"
  name = "<b>bold</b>"
  preferred = true
  saving = 2   # <script>alert(3)</script>
  start = "2015/16"
"#;

#[test]
fn user_text_in_html_renders_as_text() -> TestResult {
    let folder = tempfile::tempdir()?;
    let scenario = folder.path().join("hostile.toml");
    fs::write(&scenario, HOSTILE)?;
    let page = folder.path().join("hostile.html");
    let output = report(&[
        &scenario.display().to_string(),
        "--output",
        &page.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let html = fs::read_to_string(&page)?;
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "a script element");
    assert!(!lower.contains("<img"), "an image element");
    assert!(!lower.contains("<b>bold"), "markup from a name");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
    assert!(html.contains("&lt;b&gt;bold&lt;/b&gt;"));
    Ok(())
}

/// Issue 11, item 13: the characters the tests below hide in comments and file names, each
/// of which must reach no report as itself.
const HIDDEN: [char; 9] = [
    '\u{202E}',
    '\u{200B}',
    '\u{2066}',
    '\u{061C}',
    '\u{3164}',
    '\u{00AD}',
    '\u{FE0F}',
    '\u{E0041}',
    '\u{2800}',
];

/// A valid scenario whose comments hold invisible and bidirectional characters (comments
/// are free text; names refuse them).
fn hidden_in_comments() -> String {
    format!(
        "[scenario]\nbase_year = \"2014/15\"\n\n[gap]\nunidentified = {{ \"2015/16\" = 2 }}   # 5.2 {}\n\n\
         [[service]]\nid = \"legal\"\n\n  [[service.option]]\n  id = \"abs\"\n  preferred = true\n  \
         saving = 1   # 3.5: from the {}review, see {}\n  start = \"2015/16\"\n  \
         ramp = [0.5, # {}\n    1]\n",
        "\u{202E}evil",
        "\u{200B}",
        "\u{2066}x\u{061C}\u{3164}\u{00AD}\u{FE0F}\u{E0041}\u{2800}",
        "\u{202E}in the value",
    )
}

#[test]
fn invisible_characters_in_comments_and_file_names_are_shown_as_their_codes() -> TestResult {
    let folder = tempfile::tempdir()?;
    let scenario = folder.path().join("notes\u{202E}.toml");
    fs::write(&scenario, hidden_in_comments())?;
    let file = scenario.display().to_string();
    let raw = |text: &str| text.chars().filter(|c| HIDDEN.contains(c)).count();
    for format in ["md", "html", "svg"] {
        let output = report(&[&file, "--format", format]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let text = stdout(&output);
        assert_eq!(
            raw(&text),
            0,
            "{format}: a hidden character printed as itself"
        );
        if format != "svg" {
            // Markdown escapes the backslash of the code; it renders as \u{202e}.
            let code = if format == "md" {
                "\\\\u{202e}"
            } else {
                "\\u{202e}"
            };
            for shown in ["evil", "in the value", "."] {
                assert!(
                    text.contains(&format!("{code}{shown}")),
                    "{format}: {shown:?} is not shown with its code"
                );
            }
            for code in [
                "u{200b}", "u{2066}x", "u{61c}", "u{3164}", "u{ad}", "u{fe0f}", "u{e0041}",
                "u{2800}",
            ] {
                assert!(text.contains(code), "{format}: no {code}");
            }
        }
    }
    // The terminal table's footer names the file.
    let output = run(&["run", &file]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(raw(&stdout(&output)), 0);
    assert!(stdout(&output).contains("notes\\u{202e}.toml"));
    Ok(())
}

#[test]
fn names_that_need_a_joiner_inside_a_word_are_valid_and_printed_as_written() -> TestResult {
    let file = "tests/data/joiners-in-names.toml";
    let persian = "کتاب\u{200C}خانه";
    let devanagari = "क्\u{200D}षेत्रीय trust";
    let output = run(&["check", file]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    for format in ["md", "html"] {
        let output = report(&[file, "--format", format]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let text = stdout(&output);
        assert!(text.contains(persian), "{format}: the Persian name");
        assert!(text.contains(devanagari), "{format}: the Devanagari name");
        assert!(
            !text.contains("u{200c}") && !text.contains("u{200d}"),
            "{format}"
        );
    }
    let output = run(&["run", file]);
    assert!(stdout(&output).contains(persian), "{}", stdout(&output));
    Ok(())
}

#[test]
fn the_html_report_is_self_contained() -> TestResult {
    let output = report(&["--format", "html", "--simulate", "--trials", "2000"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let html = stdout(&output).to_lowercase();
    for forbidden in [
        "<script", "<link", "src=", "@import", "url(", "<iframe", "<object",
    ] {
        assert!(!html.contains(forbidden), "{forbidden}");
    }
    assert!(html.contains("<svg"), "the chart is inline");
    assert!(html.contains("@page { size: a4"));
    Ok(())
}

/// Issue 12 item 5: the assumptions table squeezed its Source column into a sliver beside a
/// first column of paths that never wrapped. The table has its own rule: its Note, Source and
/// Where columns keep a least width, and its paths and places wrap at `.`, `/`, `[` and `:`.
#[test]
fn the_html_assumptions_table_gives_its_sources_room() -> TestResult {
    let output = report(&["--format", "html"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let html = stdout(&output);
    for rule in [
        "table.sources td:first-child { white-space: normal; }",
        "table.sources td:nth-child(3), table.sources th:nth-child(3) { min-width: 32mm; }",
        "table.sources td:nth-child(4), table.sources th:nth-child(4) { min-width: 40mm; }",
        "table.sources td:nth-child(5), table.sources th:nth-child(5) { min-width: 30mm; }",
    ] {
        assert!(html.contains(rule), "no rule {rule:?}");
    }
    let (_, table) = html
        .split_once("<h2>Assumptions and sources</h2>\n<table class=\"sources\">")
        .ok_or("no table of class sources under its heading")?;
    let table = table.split("</table>").next().unwrap_or_default();
    assert!(
        table.contains("<th scope=\"col\">Source</th>"),
        "{table:.500}"
    );
    // A path and a place, each with its breaks, neither held on one line.
    assert!(
        table.contains("<td>service<wbr>[property].<wbr>option<wbr>[latco].<wbr>saving</td>"),
        "{table:.2000}"
    );
    assert!(
        table.contains("<td>builtin<wbr>:kcc-2014-phase1.<wbr>toml<wbr>:"),
        "{table:.2000}"
    );
    // Only this table has the rule.
    assert_eq!(html.matches("<table class=\"sources\">").count(), 1);
    Ok(())
}

/// The Chromium installed, if any.
fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

/// The HTML report of `args` as headless Chromium renders its first A4-sized screen, after
/// checking that the browser logged no console error.
fn rendered(browser: &str, args: &[&str]) -> Result<image::RgbImage, Box<dyn std::error::Error>> {
    let folder = tempfile::tempdir()?;
    let page = folder.path().join("report.html");
    let mut all = args.to_vec();
    let page_name = page.display().to_string();
    all.extend(["--output", &page_name]);
    let output = report(&all);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let shot = folder.path().join("report.png");
    let profile = folder.path().join("profile");
    let rendered = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1240,1754",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", page.display()))
        .output()?;
    let log = String::from_utf8_lossy(&rendered.stderr);
    assert!(rendered.status.success(), "{log}");
    for line in log.lines() {
        assert!(
            !(line.contains("CONSOLE") || line.contains("Uncaught")),
            "console error: {line}"
        );
    }
    let image = image::open(&shot)?.to_rgb8();
    assert_eq!((image.width(), image.height()), (1240, 1754));
    if let Some(keep) = std::env::var_os("KEEP_SCREENSHOT") {
        fs::copy(&shot, Path::new(&keep))?;
    }
    Ok(image)
}

/// Headless Chromium renders the Kent report: no console errors, and a page that is not
/// blank. Skipped, with a reason, where Chromium is not installed.
#[test]
fn the_html_report_renders_in_a_real_browser() -> TestResult {
    let Some(browser) = chromium() else {
        eprintln!("skipped: Chromium is not installed (Debian package chromium)");
        return Ok(());
    };
    let image = rendered(browser, &["--simulate", "--trials", "2000"])?;
    // Not blank: many distinct colours, and dark text on much of the page.
    let mut colours = std::collections::HashSet::new();
    let mut dark = 0usize;
    for pixel in image.pixels() {
        colours.insert(pixel.0);
        if pixel.0.iter().all(|c| *c < 100) {
            dark += 1;
        }
    }
    assert!(colours.len() > 50, "only {} colours", colours.len());
    assert!(dark > 5_000, "only {dark} dark pixels");
    Ok(())
}

/// Headless Chromium renders a tracked plan's report (issue 16) with its RAG panel on the
/// first page: the red rating's own colour is drawn. Skipped where Chromium is not installed.
#[test]
fn a_tracked_plans_html_report_renders_its_ratings_in_a_real_browser() -> TestResult {
    let Some(browser) = chromium() else {
        eprintln!("skipped: Chromium is not installed (Debian package chromium)");
        return Ok(());
    };
    let image = rendered(browser, &["scenarios/monitoring-example.toml"])?;
    let red = image.pixels().filter(|p| p.0 == [0xA5, 0x1E, 0x1E]).count();
    assert!(red > 200, "only {red} pixels of the red rating");
    Ok(())
}

// ---- text charts ----

#[test]
fn run_and_simulate_draw_text_charts_within_100_columns() {
    for args in [
        vec!["run", "--chart"],
        vec!["run", "scenarios/worked-example.toml", "--chart"],
        vec!["simulate", "--trials", "2000", "--chart"],
    ] {
        let output = run(&args);
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        let text = stdout(&output);
        assert!(text.contains("Chart: "), "{args:?}");
        assert!(text.contains('█') || text.contains('●'), "{args:?}");
        for line in text.lines() {
            assert!(line.chars().count() <= 100, "{args:?}: {line}");
        }
    }
    // Without --chart, no chart.
    assert!(!stdout(&run(&["run"])).contains("Chart: "));
    // The worked example closes 2016/17 and leaves 2015/16 open.
    let text = stdout(&run(&["run", "scenarios/worked-example.toml", "--chart"]));
    assert!(text.contains("1.5 open"), "{text}");
    assert!(text.contains("-1.0 closed"), "{text}");
}
