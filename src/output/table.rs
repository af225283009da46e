//! `--format table`: a report laid out for the terminal (comfy-table), fitting 100 columns.
//! User text shows invisible characters as their codes (`\u{202e}`), so that none can
//! reorder or hide what the terminal prints.

use std::io::Write;

use comfy_table::{CellAlignment, ColumnConstraint, ContentArrangement, Table, Width, presets};

use super::words::wrap;
use super::{TextReport, TextTable};
use crate::scenario::displayed_lines;

/// The widest a line may be: a 100-column terminal.
pub const WIDTH: u16 = 100;

pub fn write(report: &TextReport, sink: &mut dyn Write) -> anyhow::Result<()> {
    let width = usize::from(WIDTH);
    let wrap = |text: &str, width: usize, indent: &str| wrap(&displayed_lines(text), width, indent);
    let mut out = String::new();
    out.push_str(&wrap(&report.title, width, ""));
    out.push('\n');
    if !report.settings.is_empty() {
        out.push_str(&wrap(&report.settings, width, ""));
        out.push('\n');
    }
    for section in &report.sections {
        out.push('\n');
        out.push_str(&wrap(&section.heading, width, ""));
        out.push('\n');
        out.push_str(&build(&section.table).to_string());
        out.push('\n');
    }
    for (heading, chart) in &report.charts {
        out.push('\n');
        out.push_str(&wrap(heading, width, ""));
        out.push('\n');
        out.push_str(&displayed_lines(chart));
    }
    out.push('\n');
    for note in &report.notes {
        out.push_str(&wrap(&format!("Note: {note}"), width, "      "));
        out.push('\n');
    }
    for line in &report.footer {
        out.push_str(&wrap(line, width, ""));
        out.push('\n');
    }
    sink.write_all(out.as_bytes())?;
    Ok(())
}

fn build(text: &TextTable) -> Table {
    let shown = |cells: &[String]| -> Vec<String> {
        cells
            .iter()
            .map(|c| displayed_lines(c).into_owned())
            .collect()
    };
    let mut table = Table::new();
    table
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(WIDTH)
        .set_header(shown(text.terminal_header.as_ref().unwrap_or(&text.header)));
    for row in &text.rows {
        table.add_row(shown(row));
    }
    if !text.min_widths.is_empty() {
        table.set_constraints(
            text.min_widths
                .iter()
                .map(|w| ColumnConstraint::LowerBoundary(Width::Fixed(*w))),
        );
    }
    for index in &text.numeric {
        if let Some(column) = table.column_mut(*index) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    table
}
