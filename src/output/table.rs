//! `--format table`: the terminal view (comfy-table), fitting 100 columns.

use std::io::Write;

use comfy_table::{CellAlignment, ColumnConstraint, ContentArrangement, Table, Width, presets};

use super::notes::{self, TextTable};
use super::{Exporter, Report};

/// The widest a table may be: a 100-column terminal.
pub const WIDTH: u16 = 100;

pub struct TableExporter;

impl Exporter for TableExporter {
    fn write(&self, report: &Report, sink: &mut dyn Write) -> anyhow::Result<()> {
        let (title, settings) = notes::heading(report);
        let unit = &report.scenario.unit;
        let mut out = String::new();
        out.push_str(&format!(
            "{}\n{}\n\n",
            wrap(&title, ""),
            wrap(&settings, "")
        ));
        out.push_str(&format!("Year by year, all services ({unit})\n"));
        out.push_str(&build(notes::years(report), &short_year_header()).to_string());
        out.push_str(&format!("\n\nServices ({unit}, central case)\n"));
        let mut services = build(
            notes::services(report),
            &short_service_header(report.scenario.horizon),
        );
        services.set_constraints([
            ColumnConstraint::LowerBoundary(Width::Fixed(16)),
            ColumnConstraint::LowerBoundary(Width::Fixed(28)),
        ]);
        out.push_str(&services.to_string());
        out.push_str(&format!(
            "\n\nOver {} ({unit})\n",
            notes::years_count(report.scenario.horizon)
        ));
        out.push_str(&build(notes::summary(report), &[]).to_string());
        out.push_str("\n\n");
        for note in notes::notes(report) {
            out.push_str(&wrap(&format!("Note: {note}"), "      "));
            out.push('\n');
        }
        out.push_str(&wrap(&notes::footer(report), ""));
        out.push('\n');
        sink.write_all(out.as_bytes())?;
        Ok(())
    }
}

/// Two-line headers so the year table fits 100 columns.
/// Greedy word wrap to the table width; continuation lines start with `indent`.
fn wrap(text: &str, indent: &str) -> String {
    let width = usize::from(WIDTH);
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let len = word.chars().count();
        if line_len > 0 && line_len + 1 + len > width {
            out.push('\n');
            out.push_str(indent);
            line_len = indent.chars().count();
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += len;
    }
    out
}

fn short_year_header() -> Vec<String> {
    [
        "Year",
        "In-year\nlow",
        "In-year\ncentral",
        "In-year\nhigh",
        "Planned\nto date",
        "Contri-\nbution",
        "Gap to\ndate",
        "Remaining\ngap",
        "Closed",
    ]
    .map(String::from)
    .to_vec()
}

fn short_service_header(horizon: u16) -> Vec<String> {
    [
        "Service".to_string(),
        "Option taken forward".to_string(),
        "Steady state\n(low–high)".to_string(),
        format!("Total\n{}", notes::years_count(horizon)),
        "Meets-plan\nmargin".to_string(),
        "Meets\nplan".to_string(),
    ]
    .to_vec()
}

fn build(text: TextTable, header: &[String]) -> Table {
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(WIDTH)
        .set_header(if header.is_empty() {
            &text.header
        } else {
            header
        });
    for row in text.rows {
        table.add_row(row);
    }
    for index in text.numeric {
        if let Some(column) = table.column_mut(index) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_wrap_within_the_table_width() {
        let text = "word ".repeat(60);
        let wrapped = wrap(&text, "  ");
        assert!(
            wrapped
                .lines()
                .all(|l| l.chars().count() <= usize::from(WIDTH))
        );
        assert!(wrapped.lines().skip(1).all(|l| l.starts_with("  ")));
        assert_eq!(wrapped.split_whitespace().count(), 60);
    }
}
