//! `--format markdown`: a report as a committee-paper section (GitHub-flavoured tables) that
//! renders on a code forge and converts with pandoc.

use std::io::Write;

use super::{TextReport, TextTable};
use crate::scenario::displayed_lines;

/// The width of the text charts in fenced blocks: a 100-column page of monospace.
pub const CHART_WIDTH: usize = 100;

pub fn write(report: &TextReport, sink: &mut dyn Write) -> anyhow::Result<()> {
    let mut out = String::new();
    out.push_str(&format!("## {}\n\n", escape(&report.title)));
    if !report.settings.is_empty() {
        out.push_str(&format!("{}.\n\n", escape(&report.settings)));
    }
    for section in &report.sections {
        out.push_str(&format!("### {}\n\n", escape(&section.heading)));
        out.push_str(&table(&section.table));
        out.push('\n');
    }
    for (heading, chart) in &report.charts {
        out.push_str(&format!(
            "### {}\n\n```text\n{}```\n\n",
            escape(heading),
            displayed_lines(chart)
        ));
    }
    if !report.notes.is_empty() {
        out.push_str("### Notes\n\n");
        for (i, note) in report.notes.iter().enumerate() {
            out.push_str(&format!("{}. {}\n", i + 1, escape(note)));
        }
        out.push('\n');
    }
    out.push_str(&format!("_{}_\n", escape(&report.footer.join(" "))));
    sink.write_all(out.as_bytes())?;
    Ok(())
}

fn table(text: &TextTable) -> String {
    let cell = |s: &str| escape(s).replace('\n', "<br>");
    let mut out = String::new();
    let header: Vec<String> = text.header.iter().map(|h| cell(h)).collect();
    out.push_str(&format!("| {} |\n", header.join(" | ")));
    let rule: Vec<&str> = (0..text.header.len())
        .map(|i| {
            if text.numeric.contains(&i) {
                "---:"
            } else {
                "---"
            }
        })
        .collect();
    out.push_str(&format!("| {} |\n", rule.join(" | ")));
    for row in &text.rows {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

/// Escapes user text so Markdown shows it as written (names may hold `|`, `*`, `<`), with
/// invisible characters written as their codes (`\u{202e}`; [`displayed_lines`]).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in displayed_lines(text).chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '<' | '>'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
