//! The `Sources` sheet: every figure the scenario writes, as written, with its note, source and
//! place in the file.

use anyhow::Result;
use rust_xlsxwriter::Worksheet;

use super::cells::{row_number, text};
use super::formats::{Formats, header_rows};
use crate::report::ReportInput;

/// Writes the Sources sheet.
pub(super) fn write_sources(sheet: &mut Worksheet, input: &ReportInput, f: &Formats) -> Result<()> {
    for (col, header) in (0..).zip(["Figure", "As written", "Note", "Source", "Where"]) {
        sheet.write_string_with_format(0, col, header, &f.header)?;
    }
    for (i, note) in input.notes.iter().enumerate() {
        let row = row_number(i + 1)?;
        text(sheet, row, 0, &note.field)?;
        text(sheet, row, 1, &note.value)?;
        if let Some(comment) = &note.note {
            text(sheet, row, 2, comment)?;
        }
        if let Some(source) = &note.source {
            text(sheet, row, 3, source)?;
        }
        text(sheet, row, 4, &note.at)?;
    }
    for (col, width) in (0..).zip([44, 24, 60, 40, 28]) {
        sheet.set_column_width(col, width)?;
    }
    header_rows(sheet, 1, 0)?;
    Ok(())
}
