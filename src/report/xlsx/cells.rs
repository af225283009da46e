//! Cells of the spreadsheet report: A1 references (fixed, half-fixed, relative, ranges, sums),
//! row and column numbers within a sheet's limits, and writing cells. User text is always a
//! string cell, never a formula: neutralised, invisible characters as their codes, and cut
//! with a marker where longer than a cell holds.

use std::fmt::{self, Write as _};

use anyhow::{Context, Result};
use rust_xlsxwriter::{Format, Worksheet};

use crate::model::Money;
use crate::output::neutralise;
use crate::scenario::displayed;

/// A cell's A1 reference, written straight into the formula text that holds it (the
/// Projection writes hundreds of thousands of them: no `String` each).
#[derive(Clone, Copy)]
pub(super) struct CellRef {
    row: u32,
    col: u16,
    fixed_row: bool,
    fixed_col: bool,
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.fixed_col {
            f.write_char('$')?;
        }
        // Excel's column letters: bijective base 26, `A` = 0, `Z` = 25, `AA` = 26, at most
        // three letters (16,384 columns).
        let mut letters = [0u8; 3];
        let mut start = letters.len();
        let mut n = u32::from(self.col) + 1;
        while n > 0 && start > 0 {
            start -= 1;
            letters[start] = b'A' + ((n - 1) % 26) as u8;
            n = (n - 1) / 26;
        }
        for letter in &letters[start..] {
            f.write_char(char::from(*letter))?;
        }
        if self.fixed_row {
            f.write_char('$')?;
        }
        write!(f, "{}", self.row + 1)
    }
}

/// `$C$7`: a reference that stays put when copied.
pub(super) fn abs(row: u32, col: u16) -> CellRef {
    CellRef {
        row,
        col,
        fixed_row: true,
        fixed_col: true,
    }
}

/// `C$2`: the column moves, the row stays.
pub(super) fn row_fixed(row: u32, col: u16) -> CellRef {
    CellRef {
        row,
        col,
        fixed_row: true,
        fixed_col: false,
    }
}

/// `C7`.
pub(super) fn rel(row: u32, col: u16) -> CellRef {
    CellRef {
        row,
        col,
        fixed_row: false,
        fixed_col: false,
    }
}

/// `Sheet!$C$7:$L$7`.
pub(super) fn range<'a>(sheet: &'a str, first: (u32, u16), last: (u32, u16)) -> SheetRange<'a> {
    SheetRange {
        sheet,
        first: abs(first.0, first.1),
        last: abs(last.0, last.1),
    }
}

/// A fixed range on a named sheet (see [`range`]).
#[derive(Clone, Copy)]
pub(super) struct SheetRange<'a> {
    sheet: &'a str,
    first: CellRef,
    last: CellRef,
}

impl fmt::Display for SheetRange<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}!{}:{}", self.sheet, self.first, self.last)
    }
}

/// `SUM(range)` of one column over contiguous rows, or `0` over no rows at all.
pub(super) fn sum_rows<'a>(sheet: &'a str, rows: &[u32], col: u16) -> SumRows<'a> {
    SumRows(
        rows.first()
            .zip(rows.last())
            .map(|(first, last)| range(sheet, (*first, col), (*last, col))),
    )
}

/// See [`sum_rows`].
#[derive(Clone, Copy)]
pub(super) struct SumRows<'a>(Option<SheetRange<'a>>);

impl fmt::Display for SumRows<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(range) => write!(f, "SUM({range})"),
            None => f.write_str("0"),
        }
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
    fn references_are_written_as_excel_writes_them() {
        assert_eq!(rel(0, 0).to_string(), "A1");
        assert_eq!(abs(6, 2).to_string(), "$C$7");
        assert_eq!(row_fixed(1, 25).to_string(), "Z$2");
        assert_eq!(rel(9, 26).to_string(), "AA10");
        assert_eq!(rel(0, 701).to_string(), "ZZ1");
        assert_eq!(rel(0, 702).to_string(), "AAA1");
        assert_eq!(abs(1_048_575, 16_383).to_string(), "$XFD$1048576");
        assert_eq!(
            range("Inputs", (6, 2), (6, 11)).to_string(),
            "Inputs!$C$7:$L$7"
        );
        assert_eq!(
            sum_rows("Inputs", &[4, 5, 6], 3).to_string(),
            "SUM(Inputs!$D$5:$D$7)"
        );
        assert_eq!(sum_rows("Inputs", &[], 3).to_string(), "0");
        for col in [0, 1, 25, 26, 27, 51, 52, 701, 702, 703, 16_383] {
            assert_eq!(
                rel(0, col).to_string(),
                format!("{}1", rust_xlsxwriter::utility::column_number_to_name(col))
            );
        }
    }

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
