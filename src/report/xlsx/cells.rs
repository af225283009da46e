//! Cells of the spreadsheet report: A1 references (fixed, half-fixed, relative, ranges, sums),
//! row and column numbers within a sheet's limits, and writing cells. User text is always a
//! string cell, never a formula: neutralised, invisible characters as their codes, and cut
//! with a marker where longer than a cell holds.

use anyhow::{Context, Result};
use rust_xlsxwriter::utility::column_number_to_name;
use rust_xlsxwriter::{Format, Worksheet};

use crate::model::Money;
use crate::output::neutralise;
use crate::scenario::displayed;

/// `$C$7`: a reference that stays put when copied.
pub(super) fn abs(row: u32, col: u16) -> String {
    format!("${}${}", column_number_to_name(col), row + 1)
}

/// `C$2`: the column moves, the row stays.
pub(super) fn row_fixed(row: u32, col: u16) -> String {
    format!("{}${}", column_number_to_name(col), row + 1)
}

/// `C7`.
pub(super) fn rel(row: u32, col: u16) -> String {
    format!("{}{}", column_number_to_name(col), row + 1)
}

/// `Sheet!$C$7:$L$7`.
pub(super) fn range(sheet: &str, first: (u32, u16), last: (u32, u16)) -> String {
    format!("{sheet}!{}:{}", abs(first.0, first.1), abs(last.0, last.1))
}

/// `SUM(range)`, or `0` over no rows at all.
pub(super) fn sum_rows(sheet: &str, rows: &[u32], col: u16) -> String {
    match (rows.first(), rows.last()) {
        (Some(first), Some(last)) => format!("SUM({})", range(sheet, (*first, col), (*last, col))),
        _ => "0".to_string(),
    }
}

pub(super) fn column(index: usize) -> Result<u16> {
    u16::try_from(index)
        .ok()
        .filter(|c| *c < 16_384)
        .context("too many columns for a spreadsheet")
}

pub(super) fn row_number(index: usize) -> Result<u32> {
    u32::try_from(index)
        .ok()
        .filter(|r| *r < 1_048_576)
        .context("too many rows for a spreadsheet")
}

/// The most a cell holds, in UTF-16 code units as Excel counts: 32,767.
pub(super) const MAX_CELL_UNITS: usize = 32_767;

/// Room left in a full cell for the marker saying what was cut.
pub(super) const CUT_MARKER_ROOM: usize = 100;

/// User text as a cell holds it: invisible characters written as their codes (`\u{202e}`),
/// neutralised against formula injection, and, where longer than a cell holds (a comment of
/// 40,000 characters is valid), cut with a marker saying how much, so that the workbook is
/// always written.
pub(super) fn cell_text(value: &str) -> String {
    let shown = displayed(value);
    let text = neutralise(&shown);
    if text.encode_utf16().count() <= MAX_CELL_UNITS {
        return text.into_owned();
    }
    let mut kept = String::new();
    let mut units = 0;
    let mut chars = text.chars();
    for c in chars.by_ref() {
        units += c.len_utf16();
        if units > MAX_CELL_UNITS - CUT_MARKER_ROOM {
            break;
        }
        kept.push(c);
    }
    let cut = chars.count() + 1;
    kept.push_str(&format!(
        " [... {cut} more characters cut: a spreadsheet cell holds {MAX_CELL_UNITS}]"
    ));
    kept
}

/// User text as a string cell (see [`cell_text`]).
pub(super) fn text(sheet: &mut Worksheet, row: u32, col: u16, value: &str) -> Result<()> {
    sheet.write_string(row, col, cell_text(value))?;
    Ok(())
}

pub(super) fn text_with(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: &str,
    format: &Format,
) -> Result<()> {
    sheet.write_string_with_format(row, col, cell_text(value), format)?;
    Ok(())
}

pub(super) fn money(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: Money,
    format: &Format,
) -> Result<()> {
    sheet.write_with_format(row, col, value.amount(), format)?;
    Ok(())
}

pub(super) fn formula(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    format: &Format,
) -> Result<()> {
    sheet.write_formula_with_format(row, col, text, format)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_longer_than_a_cell_is_cut_with_a_marker() {
        let units = |s: &str| s.encode_utf16().count();
        assert_eq!(cell_text("a note"), "a note");
        assert_eq!(cell_text("=1+1"), "'=1+1");
        assert_eq!(cell_text("x\u{202E}y"), "x\\u{202e}y");
        // Astral characters take two UTF-16 units, as Excel counts them.
        for long in [
            "a".repeat(40_000),
            "😀".repeat(20_000),
            "a".repeat(MAX_CELL_UNITS),
        ] {
            let cell = cell_text(&long);
            assert!(units(&cell) <= MAX_CELL_UNITS, "{}", units(&cell));
            if units(&long) > MAX_CELL_UNITS {
                assert!(cell.ends_with(&format!("a spreadsheet cell holds {MAX_CELL_UNITS}]")));
                let cut: usize = cell
                    .split(" [... ")
                    .nth(1)
                    .and_then(|m| m.split(' ').next())
                    .and_then(|n| n.parse().ok())
                    .unwrap_or_default();
                let kept = cell.split(" [... ").next().unwrap_or_default();
                assert_eq!(kept.chars().count() + cut, long.chars().count());
            } else {
                assert_eq!(cell, long);
            }
        }
    }
}
