//! Issue 6: `savings report` as a chart (SVG and PNG): the worked example and the Kent
//! scenario with a simulation as SVG, standalone and labelled, the PNG decoded and looked at,
//! degenerate scenarios that must not panic, and scenario text escaped in the SVG. The two
//! SVGs are pinned byte for byte in `tests/cases/report-svg.stdout` and
//! `report-svg-kent-simulated.stdout`: after regenerating them, look at them (a browser opens
//! an SVG, once copied to a name ending `.svg`).
//!
//! Issue 16: a tracked plan's chart gains the current year by RAG rating and the remaining gap
//! in three views of delivery, with the figures `savings track` reports, in the SVG, the HTML
//! and the PNG; a plan that is not tracked draws exactly what it drew before (the pinned SVGs
//! above, and `report-svg-plan.stdout`). The tracked worked example's SVG is pinned in
//! `tests/cases/report-svg-tracking.stdout`.

use std::fs;
use std::io::Write;
use std::process::{Command, Stdio};

use super::support::{TestResult, run, stderr, stdout};

/// `savings report ARGS` that must succeed; its standard output.
fn report(args: &[&str]) -> Vec<u8> {
    let mut all = vec!["report"];
    all.extend(args);
    let output = run(&all);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}: {}",
        stderr(&output)
    );
    output.stdout
}

fn svg(args: &[&str]) -> String {
    let mut all = args.to_vec();
    all.extend(["--format", "svg"]);
    String::from_utf8(report(&all)).expect("the SVG is UTF-8")
}

fn png(args: &[&str]) -> Vec<u8> {
    let mut all = args.to_vec();
    all.extend(["--format", "png"]);
    report(&all)
}

/// The SVG is one standalone, well-formed document that an HTML page can inline: explicit
/// size and viewBox, nothing fetched from elsewhere, text in a font family with a generic
/// fallback.
fn assert_standalone_svg(svg: &str) {
    assert!(
        svg.starts_with("<svg width=\"1000\" height=\""),
        "{}",
        &svg[..80.min(svg.len())]
    );
    let head = svg.lines().next().unwrap_or_default();
    assert!(head.contains(" viewBox=\"0 0 1000 "), "{head}");
    assert!(
        head.contains("xmlns=\"http://www.w3.org/2000/svg\""),
        "{head}"
    );
    assert!(svg.trim_end().ends_with("</svg>"));
    for external in [
        "href",
        "<image",
        "url(",
        "@import",
        "<script",
        "<foreignObject",
    ] {
        assert!(!svg.contains(external), "the SVG contains {external}");
    }
    assert!(svg.contains("font-family=\"DejaVu Sans, sans-serif\""));
    assert_well_formed(svg);
}

/// Well-formed XML: tags balance, text holds no `<`, and every `&` starts an entity. Then,
/// where python3 is installed, a real XML parser agrees.
fn assert_well_formed(xml: &str) {
    let mut open: Vec<&str> = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find('<') {
        assert_entities(&rest[..start]);
        let end = rest[start..].find('>').expect("a tag is closed") + start;
        let tag = &rest[start + 1..end];
        assert!(!tag.contains('<'), "a `<` inside a tag: {tag}");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(open.pop(), Some(name.trim()), "unbalanced </{name}>");
        } else if !tag.ends_with('/') {
            open.push(tag.split_whitespace().next().unwrap_or_default());
        }
        assert_entities(tag);
        rest = &rest[end + 1..];
    }
    assert!(open.is_empty(), "unclosed: {open:?}");
    assert!(rest.trim().is_empty());

    let python = Command::new("python3")
        .args([
            "-c",
            "import sys, xml.dom.minidom; xml.dom.minidom.parseString(sys.stdin.buffer.read())",
        ])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = python else {
        eprintln!("python3 is not installed: the XML parser check is skipped");
        return;
    };
    child
        .stdin
        .take()
        .expect("python3's standard input")
        .write_all(xml.as_bytes())
        .expect("python3 reads the SVG");
    let output = child.wait_with_output().expect("python3 runs");
    assert!(
        output.status.success(),
        "not well-formed XML: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn assert_entities(text: &str) {
    for (i, _) in text.match_indices('&') {
        let after = &text[i + 1..];
        assert!(
            ["amp;", "lt;", "gt;", "quot;", "apos;", "#"]
                .iter()
                .any(|e| after.starts_with(e)),
            "a bare `&`: {}",
            &text[i..(i + 20).min(text.len())]
        );
    }
}

#[test]
fn the_worked_example_chart_is_standalone_and_labelled() {
    let chart = svg(&["scenarios/worked-example.toml"]);
    assert_standalone_svg(&chart);
    for text in [
        "worked example",
        "In-year savings by service, central case (£m)",
        "Remaining gap",
        "2015/16",
        "2024/25",
        "Financial year",
        "In-year saving (£m)",
        "Planned savings to date (MTFP)",
        "Zero: closed at or below (shaded)",
    ] {
        assert!(chart.contains(text), "no {text:?}");
    }
    // Okabe-Ito orange for the one service.
    assert!(chart.contains("fill=\"#E69F00\""));
}

#[test]
fn the_kent_chart_with_a_simulation_is_standalone_labelled_and_repeatable() {
    let chart = svg(&["--simulate", "--trials", "2000"]);
    assert_standalone_svg(&chart);
    // Every service taken forward is in the legend, the deferred one is named, and the
    // simulation has its own panel with the fan and the median.
    for text in [
        "Facing the Challenge, Phase 1 (May 2014)",
        "Property",
        "Human Resources",
        "Libraries, Registration and Archives",
        "Kent Scientific Services",
        "Deferred, no option taken forward (not drawn): Residential Care Homes",
        "Monte Carlo, 2,000 trials, seed 20140515",
        "P10 to P90 of the trials",
        "Median (P50) of the trials",
        "Low to high case",
    ] {
        assert!(chart.contains(text), "no {text:?}");
    }
    // Three panels, one above the other.
    assert_eq!(chart.matches(">\nFinancial year\n<").count(), 3);
    // The same chart again.
    assert_eq!(svg(&["--simulate", "--trials", "2000"]), chart);
}

#[test]
fn the_kent_png_decodes_is_drawn_and_is_the_same_each_time() -> TestResult {
    let bytes = png(&[]);
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
    // IHDR: the first chunk, its width and height big-endian after the chunk type.
    assert_eq!(&bytes[12..16], b"IHDR");
    let width = u32::from_be_bytes(bytes[16..20].try_into()?);
    let height = u32::from_be_bytes(bytes[20..24].try_into()?);
    assert_eq!(width, 2000, "twice the SVG's 1000 px");
    let svg_height: u32 = svg(&[])
        .split("height=\"")
        .nth(1)
        .and_then(|h| h.split('"').next())
        .ok_or("the SVG's height")?
        .parse()?;
    assert_eq!(height, 2 * svg_height);
    assert!(bytes.len() > 100_000, "{} bytes", bytes.len());

    let image = image::load_from_memory(&bytes)?.to_rgb8();
    assert_eq!(image.dimensions(), (width, height));
    let mut colours = std::collections::BTreeSet::new();
    let mut inked = 0_u64;
    for pixel in image.pixels() {
        colours.insert(pixel.0);
        if pixel.0 != [255, 255, 255] {
            inked += 1;
        }
    }
    let share = inked as f64 / f64::from(width * height);
    assert!(colours.len() > 50, "{} colours", colours.len());
    assert!(
        (0.05..0.6).contains(&share),
        "{share} of the image is drawn"
    );
    // The title is drawn with the embedded font: dark pixels in its band, no system font
    // needed.
    let title_ink = (0..width)
        .flat_map(|x| (20..70).map(move |y| (x, y)))
        .filter(|&(x, y)| image.get_pixel(x, y).0.iter().all(|c| *c < 100))
        .count();
    assert!(title_ink > 2000, "{title_ink} dark pixels in the title");

    assert_eq!(png(&[]), bytes, "the PNG is not deterministic");
    Ok(())
}

#[test]
fn degenerate_scenarios_are_charted_without_a_panic() -> TestResult {
    let folder = tempfile::tempdir()?;
    let option = |saving: &str, start: &str| {
        format!(
            "  [[service.option]]\n  id = \"x\"\n  preferred = true\n  saving = {saving}\n  start = \"{start}\"\n"
        )
    };
    let mut many = String::from(
        "[scenario]\nname = \"a hundred services, a hundred years\"\nbase_year = \"2014/15\"\nhorizon = 100\n\n[gap]\nunidentified = { \"2015/16\" = 150 }\n",
    );
    for i in 0..100 {
        many.push_str(&format!(
            "\n[[service]]\nid = \"s{i}\"\nname = \"Service {i}\"\nplanned = {{ \"2015/16\" = 0.{} }}\n",
            i % 10
        ));
        many.push_str(&option(
            &format!(
                "{{ low = {}, central = {}, high = {} }}",
                i % 5,
                i % 5 + 1,
                i % 5 + 2
            ),
            &format!("{}-10", 2015 + i % 40),
        ));
    }
    let head = |name: &str, extra: &str| {
        format!("[scenario]\nname = \"{name}\"\nbase_year = \"2014/15\"\n{extra}\n")
    };
    let cases = [
        (
            "one-year",
            head(
                "one year",
                "horizon = 1\n\n[gap]\nunidentified = { \"2015/16\" = 3 }",
            ) + "\n[[service]]\nid = \"a\"\nplanned = { \"2015/16\" = 1 }\n"
                + &option("{ low = 1, central = 2, high = 4 }", "2015/16"),
        ),
        (
            "all-zero",
            head("all zero", "") + "\n[[service]]\nid = \"a\"\n" + &option("0", "2015/16"),
        ),
        (
            "closed-everywhere",
            head(
                "closed everywhere",
                "\n[gap]\nunidentified = { \"2015/16\" = 1 }",
            ) + "\n[[service]]\nid = \"a\"\n"
                + &option("{ low = 5, central = 6, high = 8 }", "2015/16"),
        ),
        (
            "huge",
            head(
                "huge",
                "\n[gap]\nunidentified = { \"2015/16\" = 1000000000000 }",
            ) + "\n[[service]]\nid = \"a\"\nplanned = { \"2015/16\" = 500000000000 }\n"
                + &option(
                    "{ low = 100000000000, central = 900000000000, high = 1000000000000 }",
                    "2015/16",
                ),
        ),
        ("many", many),
        (
            "all-deferred",
            head(
                "all deferred",
                "\n[gap]\nunidentified = { \"2015/16\" = 4 }",
            ) + "\n[[service]]\nid = \"a\"\nname = \"Alpha\"\nplanned = { \"2015/16\" = 2 }\n\n  [[service.option]]\n  id = \"x\"\n  saving = 1\n  start = \"2015/16\"\n"
                + "\n[[service]]\nid = \"b\"\nname = \"Beta\"\n\n  [[service.option]]\n  id = \"y\"\n  saving = 1\n  start = \"2015/16\"\n",
        ),
    ];
    for (name, text) in cases {
        let path = folder.path().join(format!("{name}.toml"));
        fs::write(&path, text)?;
        let file = path.display().to_string();
        let check = run(&["check", &file]);
        assert_eq!(check.status.code(), Some(0), "{name}: {}", stderr(&check));
        let chart = svg(&[&file]);
        assert_standalone_svg(&chart);
        let simulated = svg(&[&file, "--simulate", "--trials", "50"]);
        assert_standalone_svg(&simulated);
        let image = png(&[&file]);
        assert!(image.starts_with(b"\x89PNG\r\n\x1a\n"), "{name}");
        let decoded = image::load_from_memory(&image)?;
        assert_eq!(decoded.width(), 2000, "{name}");
        match name {
            "all-deferred" => {
                assert!(chart.contains("No service has an option taken forward"));
                assert!(chart.contains("Alpha, Beta"));
            }
            "huge" => assert!(chart.contains("1,000,000,000,000"), "{name}"),
            "many" => {
                // Past 20 services, the largest 19 keep a colour and the rest are grouped.
                assert!(chart.contains("81 other services"));
                assert!(chart.contains("2115/16") || chart.contains("2105/06"));
            }
            "one-year" => assert!(chart.contains("2015/16") && !chart.contains("2016/17")),
            _ => {}
        }
    }
    Ok(())
}

#[test]
fn scenario_text_is_escaped_in_the_svg() -> TestResult {
    let folder = tempfile::tempdir()?;
    let path = folder.path().join("escape.toml");
    fs::write(
        &path,
        r#"[scenario]
name = "<script>alert(1)</script> & \"quoted\" 'n' </svg>"
unit = "£m<b>"
base_year = "2014/15"

[[service]]
id = "a"
name = "<script>alert(1)</script>"

  [[service.option]]
  id = "x"
  preferred = true
  saving = 1
  start = "2015/16"

[[service]]
id = "b"
name = "A & B"

  [[service.option]]
  id = "x"
  preferred = true
  saving = 2
  start = "2015/16"
"#,
    )?;
    let file = path.display().to_string();
    let chart = svg(&[&file]);
    assert!(!chart.contains("<script"), "raw <script in the SVG");
    assert!(!chart.contains("<b>"));
    assert!(chart.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(chart.contains("A &amp; B"));
    assert!(chart.contains("&quot;quoted&quot; &apos;n&apos; &lt;/svg&gt;"));
    assert_eq!(chart.matches("</svg>").count(), 1);
    assert_standalone_svg(&chart);
    // The same through --output, and the PNG is still drawn.
    let out = folder.path().join("chart.svg");
    let output = run(&["report", &file, "--output", &out.display().to_string()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).is_empty());
    assert_eq!(fs::read_to_string(&out)?, chart);
    assert!(png(&[&file]).starts_with(b"\x89PNG"));
    Ok(())
}

// ---- a tracked plan (issue 16) ----

const TRACKED: &str = "scenarios/worked-example-tracking.toml";
const MONITORING: &str = "scenarios/monitoring-example.toml";

/// The text elements of an SVG, in drawing order.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = t.split_once('>')?.1;
            Some(body.split("</text>").next()?.trim().to_string())
        })
        .collect()
}

/// The PNG's width and height, from its IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert_eq!(&bytes[12..16], b"IHDR");
    let be =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    (be(16), be(20))
}

fn svg_height(svg: &str) -> u32 {
    svg.split("height=\"")
        .nth(1)
        .and_then(|h| h.split('"').next())
        .and_then(|h| h.parse().ok())
        .expect("the SVG's height")
}

/// Each rating's row in the RAG panel: its label and, drawn next, its figures.
fn rag_rows(svg: &str) -> Vec<(String, String)> {
    let texts = texts(svg);
    texts
        .windows(2)
        .filter(|pair| {
            ["Blue: ", "Green: ", "Amber: ", "Red: ", "Not rated ("]
                .iter()
                .any(|word| pair[0].starts_with(word))
                && pair[1].starts_with("plan ")
        })
        .map(|pair| (pair[0].clone(), pair[1].clone()))
        .collect()
}

/// The rows `savings track` gives by RAG, as the chart should label them (1 dp).
fn track_rows(file: &str) -> Vec<(String, String)> {
    use std::str::FromStr;
    let document = super::support::json(&["track", file, "--format", "json"]);
    let shown = |v: &serde_json::Value| {
        let d = rust_decimal::Decimal::from_str(v.as_str().expect("a figure as a string"))
            .expect("a decimal");
        format!("{:.1}", d.round_dp(1))
    };
    document["by_rag"]
        .as_array()
        .expect("by_rag")
        .iter()
        .map(|r| {
            let words = match r["key"].as_str() {
                Some("blue") => "Blue: delivered",
                Some("green") => "Green: on track",
                Some("amber") => "Amber: at risk",
                Some("red") => "Red: will not deliver as planned",
                _ => "Not rated",
            };
            let lines = r["lines"].as_u64().expect("lines");
            let variance = shown(&r["variance"]);
            let variance = if variance.starts_with('-') || variance == "0.0" {
                variance
            } else {
                format!("+{variance}")
            };
            (
                format!(
                    "{words} ({lines} line{})",
                    if lines == 1 { "" } else { "s" }
                ),
                format!(
                    "plan {}, delivery {}, variance {variance}",
                    shown(&r["plan"]),
                    shown(&r["delivery"])
                ),
            )
        })
        .collect()
}

/// docs/model.md section 10.4 as a chart: in 2025/26, b (green) plans and delivers 0.5, a
/// (amber) plans 1 and is forecast 0.6, c and d are not rated; the remaining gap as planned
/// 2, 2, 1, as forecast 2.4, 2, 1 and risk-adjusted 2.7, 3, 2.
#[test]
fn the_tracked_worked_example_charts_delivery_by_rating() {
    let chart = svg(&[TRACKED]);
    assert_standalone_svg(&chart);
    assert_eq!(
        rag_rows(&chart),
        [
            (
                "Green: on track (1 line)",
                "plan 0.5, delivery 0.5, variance 0.0"
            ),
            (
                "Amber: at risk (1 line)",
                "plan 1.0, delivery 0.6, variance -0.4"
            ),
            (
                "Not rated (2 lines)",
                "plan 0.4, delivery 0.4, variance 0.0"
            ),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert_eq!(rag_rows(&chart), track_rows(TRACKED));
    let texts = texts(&chart);
    let at = |text: &str| {
        texts
            .iter()
            .position(|t| t.starts_with(text))
            .unwrap_or_else(|| panic!("no {text:?} in {texts:#?}"))
    };
    // The waterfall, then the rating, then the three views, then the build-up.
    assert!(
        at("The gap in 2025/26, step by step")
            < at("Delivery in 2025/26 by RAG rating: plan and delivery (£m)")
    );
    assert!(
        at("Delivery in 2025/26 by RAG rating") < at("Remaining gap in three views of delivery")
    );
    assert!(at("Remaining gap in three views of delivery") < at("In-year savings by service"));
    for text in [
        "In-year saving in 2025/26 (£m)",
        "Plan: the light, outlined bar",
        "Delivery: the solid bar inside it",
        "2025/26 is the current year (as at 2025-12)",
        "Variance: delivery less plan, of the approved and withdrawn lines only. All 4 lines: plan 1.9, delivery 1.5, variance -0.4.",
        "Savings at risk in 2025/26: 1.0,",
        "Remaining gap as planned",
        "Remaining gap as forecast",
        "Remaining gap risk-adjusted",
        "Risk-adjusted: each rated line at green 100%, amber 50%, red 0%",
    ] {
        at(text);
    }
    // The views' figures, year by year and view by view, between the panel's title and the
    // next panel's.
    let views = &texts[at("Remaining gap in three views")..at("In-year savings by service")];
    let figures: Vec<&str> = views
        .iter()
        .map(String::as_str)
        .filter(|t| ["2.0", "2.4", "2.7", "3.0", "1.0"].contains(t))
        .collect();
    assert_eq!(
        figures,
        [
            "2.0", "2.4", "2.7", "2.0", "2.0", "3.0", "1.0", "1.0", "2.0"
        ],
        "{views:#?}"
    );
    // No blue or red line, so no such row.
    assert!(!chart.contains("Blue: delivered") && !chart.contains("Red: will not"));
}

/// The shipped monitoring example: every rating, each row the totals of `savings track`,
/// in the SVG and in the HTML page (each panel inline, labelled with its figures).
#[test]
fn the_monitoring_example_charts_every_rating_as_savings_track_sums_it() {
    let chart = svg(&[MONITORING]);
    assert_standalone_svg(&chart);
    let expected: Vec<(String, String)> = [
        (
            "Green: on track (5 lines)",
            "plan 1.9, delivery 2.0, variance +0.1",
        ),
        (
            "Amber: at risk (3 lines)",
            "plan 0.9, delivery 0.5, variance -0.4",
        ),
        (
            "Red: will not deliver as planned (1 line)",
            "plan 1.0, delivery 0.4, variance -0.6",
        ),
        (
            "Not rated (2 lines)",
            "plan 0.6, delivery 0.5, variance -0.1",
        ),
    ]
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .to_vec();
    assert_eq!(rag_rows(&chart), expected);
    assert_eq!(track_rows(MONITORING), expected);
    for text in [
        "Delivery in 2026/27 by RAG rating: plan and delivery (£m)",
        "Savings at risk in 2026/27: 1.9,",
        "All 11 lines: plan 4.4, delivery 3.4, variance -1.0",
        "Risk-adjusted: each rated line at green 100%, amber 50%, red 25%",
    ] {
        assert!(chart.contains(text), "no {text:?}");
    }
    // The accessible colours: each rating's own, the plan as a light tint of it.
    for colour in ["#009E73", "#E69F00", "#A51E1E", "#999999"] {
        assert!(chart.contains(&format!("fill=\"{colour}\"")), "{colour}");
    }

    let page = String::from_utf8(report(&[MONITORING, "--format", "html"])).expect("UTF-8");
    assert_eq!(page.matches("<figure").count(), 5, "five panels");
    for label in [
        "aria-label=\"Delivery in 2026/27 by RAG rating: plan and delivery (£m). Green: on track (5 lines): plan 1.9, delivery 2.0, variance +0.1; Amber: at risk (3 lines): plan 0.9, delivery 0.5, variance -0.4; Red: will not deliver as planned (1 line): plan 1.0, delivery 0.4, variance -0.6; Not rated (2 lines): plan 0.6, delivery 0.5, variance -0.1.\"",
        "aria-label=\"Remaining gap in three views of delivery: as planned, as forecast, risk-adjusted (£m). 2026/27: as planned 3.6, as forecast 4.5, risk-adjusted 5.1; 2027/28: as planned 4.7, as forecast 5.3, risk-adjusted 6.7; 2028/29: as planned 5.2, as forecast 5.2, risk-adjusted 7.0; 2029/30: as planned 5.6, as forecast 5.6, risk-adjusted 7.4.\"",
    ] {
        assert!(page.contains(label), "no {label}");
    }
    for (label, figures) in expected {
        assert!(page.contains(&format!(">\n{label}\n<")), "{label}");
        assert!(page.contains(&format!(">\n{figures}\n<")), "{figures}");
    }
}

/// The PNG of a tracked plan is the SVG drawn at twice the size, taller than the same plan
/// untracked by the two panels, and draws the ratings' colours.
#[test]
fn the_tracked_png_grows_by_the_panels_and_draws_the_ratings() -> TestResult {
    let tracked = png(&[MONITORING]);
    let (width, height) = png_size(&tracked);
    assert_eq!(width, 2000);
    assert_eq!(height, 2 * svg_height(&svg(&[MONITORING])));
    // The same plan with nothing tracked: as_at and every rating and forecast taken away.
    let folder = tempfile::tempdir()?;
    let plain: String = fs::read_to_string(MONITORING)?
        .lines()
        .filter(|l| {
            !["as_at", "rag", "forecast"]
                .iter()
                .any(|k| l.starts_with(k))
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let path = folder.path().join("untracked.toml");
    fs::write(&path, plain)?;
    let file = path.display().to_string();
    let untracked_svg = svg(&[&file]);
    assert!(!untracked_svg.contains("RAG rating") && !untracked_svg.contains("three views"));
    let (_, untracked_height) = png_size(&png(&[&file]));
    let grown = height - untracked_height;
    assert_eq!(
        grown,
        2 * (svg_height(&svg(&[MONITORING])) - svg_height(&untracked_svg))
    );
    // Two panels: at least the RAG panel's four rows and the views' plot.
    assert!(grown > 2 * (4 * 40 + 320), "{grown}");

    let image = image::load_from_memory(&tracked)?.to_rgb8();
    assert_eq!(image.dimensions(), (width, height));
    let count = |colour: [u8; 3]| image.pixels().filter(|p| p.0 == colour).count();
    // The red rating's colour, drawn nowhere else, and the risk-adjusted view's.
    assert!(count([0xA5, 0x1E, 0x1E]) > 1000, "red");
    assert!(count([0x5C, 0x1F, 0x00]) > 10_000, "risk-adjusted");
    let untracked = image::load_from_memory(&png(&[&file]))?.to_rgb8();
    assert_eq!(
        untracked
            .pixels()
            .filter(|p| p.0 == [0xA5, 0x1E, 0x1E])
            .count(),
        0
    );
    Ok(())
}

/// A plan tracked without a current year to report (no as_at, or one in the base year), or
/// with no line taken forward, charts the three views of the gap but no ratings; a plan not
/// tracked charts neither (Kent, the plans worked example: their SVGs are pinned in
/// tests/cases).
#[test]
fn the_ratings_need_a_current_year_and_untracked_plans_have_neither_panel() -> TestResult {
    let folder = tempfile::tempdir()?;
    let deferred = folder.path().join("deferred.toml");
    fs::write(
        &deferred,
        "[scenario]\nname = \"one year, all deferred\"\nbase_year = \"2024/25\"\nhorizon = 1\nas_at = \"2025-06\"\n\n[gap]\nunidentified = { \"2025/26\" = 4 }\n\n[[service]]\nid = \"a\"\ndeferred = true\n\n  [[service.option]]\n  id = \"x\"\n  saving = 1\n  start = \"2025/26\"\n  rag = \"red\"\n",
    )?;
    let file = deferred.display().to_string();
    let nothing_forward = svg(&[&file]);
    assert_standalone_svg(&nothing_forward);
    assert!(nothing_forward.contains("Remaining gap in three views of delivery"));
    assert!(!nothing_forward.contains("RAG rating"));
    assert_eq!(png_size(&png(&[&file])).0, 2000);

    let rated_only = svg(&[
        "scenarios/worked-example-plan.toml",
        "--set",
        "service[a].rag=\"amber\"",
    ]);
    assert_standalone_svg(&rated_only);
    assert!(rated_only.contains("Remaining gap in three views of delivery"));
    assert!(!rated_only.contains("RAG rating"));
    let base_year = svg(&[TRACKED, "--set", "scenario.as_at=\"2024-12\""]);
    assert!(base_year.contains("Remaining gap in three views of delivery"));
    assert!(!base_year.contains("RAG rating"));
    for untracked in [
        svg(&[]),
        svg(&["scenarios/worked-example-plan.toml"]),
        String::from_utf8(report(&["--format", "html"])).expect("UTF-8"),
    ] {
        assert!(!untracked.contains("RAG rating") && !untracked.contains("three views"));
    }
    Ok(())
}
