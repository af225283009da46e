//! `--format markdown`: a committee-paper section (GitHub-flavoured tables) that renders on a
//! code forge and converts with pandoc.

use std::io::Write;

use super::notes::{self, TextTable};
use super::{Exporter, Report};

pub struct MarkdownExporter;

impl Exporter for MarkdownExporter {
    fn write(&self, report: &Report, sink: &mut dyn Write) -> anyhow::Result<()> {
        let (title, settings) = notes::heading(report);
        let unit = &report.scenario.unit;
        let mut out = String::new();
        out.push_str(&format!(
            "## {}\n\n{}.\n\n",
            escape(&title),
            escape(&settings)
        ));
        out.push_str(&format!(
            "### Year by year, all services ({})\n\n",
            escape(unit)
        ));
        out.push_str(&table(&notes::years(report)));
        out.push_str(&format!(
            "\n### Services ({}, central case)\n\n",
            escape(unit)
        ));
        out.push_str(&table(&notes::services(report)));
        out.push_str(&format!(
            "\n### Over {} ({})\n\n",
            notes::years_count(report.scenario.horizon),
            escape(unit)
        ));
        out.push_str(&table(&notes::summary(report)));
        out.push_str("\n### Notes\n\n");
        for (i, note) in notes::notes(report).iter().enumerate() {
            out.push_str(&format!("{}. {}\n", i + 1, escape(note)));
        }
        out.push_str(&format!("\n_{}_\n", escape(&notes::footer(report))));
        sink.write_all(out.as_bytes())?;
        Ok(())
    }
}

fn table(text: &TextTable) -> String {
    let cell = |s: &str| escape(s).replace('\n', "<br>");
    let mut out = String::new();
    out.push_str(&format!(
        "| {} |\n",
        text.header
            .iter()
            .map(|h| cell(h))
            .collect::<Vec<_>>()
            .join(" | ")
    ));
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
        out.push_str(&format!(
            "| {} |\n",
            row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
        ));
    }
    out
}

/// Escapes user text so Markdown shows it as written (names may hold `|`, `*`, `<`).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}
