//! Total rows checked against the lines they cover, in every year column.
//!
//! What a total covers: the cells its formula sums, where it has one (`SUM(F5:F9)`,
//! `SUBTOTAL(9,F5:F9)`, `F5+F6+F7`); else, by its label, a sub-total the lines since the last
//! total or section heading, a total (or net) the sub-totals since the last total if there
//! are any, else the lines since it (or, where there are none, every line above), a grand
//! total every line above.
//!
//! The check: the exact decimal sum of the covered figures against the figure the cell
//! shows. Where they differ, the double the spreadsheet itself computes (adding the cells'
//! doubles in order) is compared too, so that a sheet's own binary rounding is not reported
//! and no tolerance is invented. A formula saved without its value is checked from its range:
//! its sum is computed, and counts in any total over it.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::figure;
use super::grid::{CellRef, Sheet, Value, address, parse_cell, range_address, shown_text};
use super::words::{Block, TotalKind};
use super::{Line, TotalRow, YearColumn};
use crate::model::FinancialYear;

/// The rows below the header in order, as the table read them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// A line: its index in the plan's lines.
    Line(usize),
    /// A total row: its index in the plan's totals.
    Total(usize),
    /// A section heading.
    Heading,
}

/// How a total's check came out.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The exact sum is the figure shown.
    Agrees,
    /// The exact sum differs, but the spreadsheet's own double arithmetic gives the figure
    /// shown exactly.
    AgreesAsTheSheetAdds,
    /// A formula saved without its value: the sum is what it would show.
    FromRange,
    /// The figure shown is not the sum.
    Differs,
    /// The total cell holds something that is not a figure.
    Unreadable(String),
}

/// One total cell's check.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    pub year: FinancialYear,
    pub block: Block,
    pub at: CellRef,
    /// The figure the cell shows (`None`: a formula saved without its value).
    pub shown: Option<Decimal>,
    pub formula: Option<String>,
    /// What it covers, in words ("its formula SUM(D7:D11)", "the lines in rows 7 to 11").
    pub covers: String,
    /// The cells summed.
    pub cells: Vec<CellRef>,
    pub sum: Decimal,
    pub outcome: Outcome,
    /// Covered cells holding a figure as text, which a spreadsheet's SUM does not count.
    pub text_cells: Vec<CellRef>,
}

impl Check {
    /// Whether the total is right (or could only be computed).
    pub fn agrees(&self) -> bool {
        matches!(
            self.outcome,
            Outcome::Agrees | Outcome::AgreesAsTheSheetAdds | Outcome::FromRange
        )
    }

    /// The mismatch as a message: the cell, the label, the year, both figures and the cells.
    pub fn describe(&self, sheet: &str, label: Option<&str>) -> String {
        let what = label.map_or_else(String::new, |l| format!(" ({:?})", shown_text(l, 40)));
        let field = match self.block {
            Block::Plan => self.year.to_string(),
            block => format!("{} {}", block.name(), self.year),
        };
        format!(
            "{}{what}: {field}: {}",
            address(sheet, self.at),
            self.words(sheet)
        )
    }

    /// What was found, in words: both figures and the cells covered.
    pub fn words(&self, sheet: &str) -> String {
        if let Outcome::Unreadable(e) = &self.outcome {
            return format!("the total cannot be read: {e}");
        }
        let shown = self
            .shown
            .map_or_else(|| "nothing".to_string(), |d| d.to_string());
        let mut text = format!(
            "the sheet's total is {shown}, but {} add up to {}",
            self.covers, self.sum
        );
        if let (Some(first), Some(last)) = (self.cells.first(), self.cells.last()) {
            text.push_str(&format!(
                " ({})",
                cells_text(sheet, &self.cells, *first, *last)
            ));
        }
        if !self.text_cells.is_empty() {
            let cells: Vec<String> = self
                .text_cells
                .iter()
                .take(3)
                .map(|c| address(sheet, *c))
                .collect();
            text.push_str(&format!(
                "; {} {} a figure as text, which a spreadsheet's SUM leaves out",
                cells.join(", "),
                if cells.len() == 1 { "holds" } else { "hold" }
            ));
        }
        text
    }
}

/// `D7:D11` for a run of cells, else the cells listed (a few, then how many more).
fn cells_text(sheet: &str, cells: &[CellRef], first: CellRef, last: CellRef) -> String {
    let contiguous = first.col == last.col
        && cells.len() as u64 == u64::from(last.row - first.row) + 1
        && cells.windows(2).all(|w| w[1].row == w[0].row + 1);
    if contiguous {
        return range_address(sheet, first, last);
    }
    let mut shown: Vec<String> = cells.iter().take(6).map(|c| address(sheet, *c)).collect();
    if cells.len() > 6 {
        shown.push(format!("and {} more", cells.len() - 6));
    }
    shown.join(", ")
}

/// An OpenDocument formula as a spreadsheet in Excel's notation shows it:
/// `of:=SUM([.F7:.F9])` is `SUM(F7:F9)`, `[.F10]+[.F17]` is `F10+F17`, `;` between arguments
/// `,`. Other formulas keep their text but for the `of:=` prefix.
pub fn excel_notation(formula: &str) -> String {
    let text = formula.trim();
    let text = text.strip_prefix("of:").unwrap_or(text);
    let text = text.strip_prefix('=').unwrap_or(text);
    text.replace(":.", ":")
        .replace("[.", "")
        .replace(']', "")
        .replace(';', ",")
}

/// The most cells a formula's ranges may name before the import stops reading it.
const MAX_FORMULA_CELLS: usize = 200_000;

/// Whether a formula is a `SUBTOTAL(...)` (Excel or ods notation), whose range leaves out the
/// SUBTOTALs in it.
fn is_subtotal(formula: &str) -> bool {
    let text = formula
        .trim()
        .trim_start_matches("of:")
        .trim_start_matches("OF:")
        .trim_start_matches('=')
        .trim_start();
    text.get(..9)
        .is_some_and(|head| head.eq_ignore_ascii_case("SUBTOTAL("))
}

/// The cells a formula adds up, where it does nothing else: `SUM(F5:F9)`, `SUM(F5,F7:F9)`,
/// `SUBTOTAL(9,F5:F9)` (or 109), `F5+F6+F7`, with `$` signs or not, and the ods form
/// `of:=SUM([.F5:.F9])`. `None` for any other formula, or one naming another sheet.
pub fn summed_cells(formula: &str) -> Option<Vec<CellRef>> {
    let mut text: String = formula
        .trim()
        .trim_start_matches('=')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '$')
        .collect::<String>()
        .to_uppercase();
    if let Some(rest) = text.strip_prefix("OF:") {
        text = rest.trim_start_matches('=').to_string();
    }
    // ods references: [.F5:.F9] and [.F5]; ";" between arguments.
    let text = text
        .replace(":.", ":")
        .replace("[.", "")
        .replace(']', "")
        .replace(';', ",");
    if text.contains('!') {
        return None;
    }
    let args: Vec<&str> =
        if let Some(inner) = text.strip_prefix("SUM(").and_then(|t| t.strip_suffix(')')) {
            inner.split(',').collect()
        } else if let Some(inner) = text
            .strip_prefix("SUBTOTAL(")
            .and_then(|t| t.strip_suffix(')'))
        {
            let mut parts = inner.split(',');
            if !matches!(parts.next(), Some("9" | "109")) {
                return None;
            }
            parts.collect()
        } else {
            let parts: Vec<&str> = text.split('+').collect();
            if parts.len() < 2 {
                return None;
            }
            parts
        };
    let mut cells = Vec::new();
    for arg in args {
        match arg.split_once(':') {
            Some((a, b)) => {
                let (a, b) = (parse_cell(a)?, parse_cell(b)?);
                let (r0, r1) = (a.row.min(b.row), a.row.max(b.row));
                let (c0, c1) = (a.col.min(b.col), a.col.max(b.col));
                let count = (u64::from(r1 - r0) + 1) * (u64::from(c1 - c0) + 1);
                if count as usize + cells.len() > MAX_FORMULA_CELLS {
                    return None;
                }
                for col in c0..=c1 {
                    for row in r0..=r1 {
                        cells.push(CellRef::new(row, col));
                    }
                }
            }
            None => cells.push(parse_cell(arg)?),
        }
    }
    (!cells.is_empty()).then_some(cells)
}

/// The rows a total covers by its label (see the module's comment), and the words for them.
fn covered_by_label(
    events: &[Event],
    position: usize,
    kind: Option<TotalKind>,
    lines: &[Line],
    totals: &[TotalRow],
) -> (Vec<u32>, String) {
    let before = &events[..position];
    let line_rows = |events: &[Event]| -> Vec<u32> {
        events
            .iter()
            .filter_map(|e| match e {
                Event::Line(i) => lines.get(*i).map(|l| l.row),
                _ => None,
            })
            .collect()
    };
    let total_kind = |i: usize| totals.get(i).and_then(|t| t.kind);
    match kind {
        Some(TotalKind::Grand) => {
            let rows = line_rows(before);
            let words = format!("every line above ({})", rows_text(&rows));
            (rows, words)
        }
        Some(TotalKind::Total) => {
            // Back to the last total (not a sub-total).
            let start = before
                .iter()
                .rposition(|e| {
                    matches!(e, Event::Total(i) if matches!(total_kind(*i), Some(TotalKind::Total | TotalKind::Grand)))
                })
                .map_or(0, |p| p + 1);
            let since = &before[start..];
            let subtotals: Vec<u32> = since
                .iter()
                .filter_map(|e| match e {
                    Event::Total(i) if total_kind(*i) != Some(TotalKind::Total) => {
                        totals.get(*i).map(|t| t.row)
                    }
                    _ => None,
                })
                .collect();
            if !subtotals.is_empty() {
                let words = format!("the sub-totals in {}", rows_text(&subtotals));
                return (subtotals, words);
            }
            let rows = line_rows(since);
            if rows.is_empty() && start > 0 {
                let rows = line_rows(before);
                let words = format!("every line above ({})", rows_text(&rows));
                return (rows, words);
            }
            let words = format!("the lines in {}", rows_text(&rows));
            (rows, words)
        }
        _ => {
            let start = before
                .iter()
                .rposition(|e| matches!(e, Event::Total(_) | Event::Heading))
                .map_or(0, |p| p + 1);
            let rows = line_rows(&before[start..]);
            let words = format!("the lines in {}", rows_text(&rows));
            (rows, words)
        }
    }
}

/// `rows 7 to 11`, `rows 7, 9 and 12`, `row 7`, `no rows`.
fn rows_text(rows: &[u32]) -> String {
    match rows {
        [] => "no rows".to_string(),
        [one] => format!("row {}", one + 1),
        _ => {
            let contiguous = rows.windows(2).all(|w| w[1] == w[0] + 1);
            let (first, last) = (rows[0] + 1, rows[rows.len() - 1] + 1);
            if contiguous {
                format!("rows {first} to {last}")
            } else if rows.len() <= 6 {
                let shown: Vec<String> = rows.iter().map(|r| (r + 1).to_string()).collect();
                format!("rows {}", shown.join(", "))
            } else {
                format!("{} rows from {first} to {last}", rows.len())
            }
        }
    }
}

/// Checks every total row in every year column (`events`: the rows in order).
pub fn check_all(
    sheet: &Sheet,
    year_columns: &[YearColumn],
    lines: &[Line],
    events: &[Event],
    mut totals: Vec<TotalRow>,
) -> Vec<TotalRow> {
    // The figure each total cell stands for, once checked (its own, or its computed sum).
    let mut known: BTreeMap<CellRef, (Decimal, Option<f64>)> = BTreeMap::new();
    for (position, event) in events.iter().enumerate() {
        let Event::Total(index) = event else {
            continue;
        };
        let Some(total) = totals.get(*index) else {
            continue;
        };
        let (row, kind) = (total.row, total.kind);
        let mut checks = Vec::new();
        for column in year_columns {
            let at = CellRef::new(row, column.col);
            let cell = sheet.cell(at);
            if cell.is_blank() {
                continue;
            }
            let formula_cells = cell
                .formula
                .as_deref()
                .and_then(summed_cells)
                .filter(|cells| cells.iter().all(|c| c.col == column.col && c.row < row));
            let (cells, covers) = match (&formula_cells, &cell.formula) {
                // SUBTOTAL leaves out the cells of its range that are SUBTOTALs themselves, so
                // a grand total over the lines and their sub-totals counts each line once.
                (Some(cells), Some(formula)) if is_subtotal(formula) => (
                    cells
                        .iter()
                        .copied()
                        .filter(|c| !sheet.cell(*c).formula.as_deref().is_some_and(is_subtotal))
                        .collect(),
                    format!(
                        "the cells its formula {formula} sums (SUBTOTALs in its range left out, as the function does)"
                    ),
                ),
                (Some(cells), Some(formula)) => (
                    cells.clone(),
                    format!("the cells its formula {formula} sums"),
                ),
                _ => {
                    let (rows, words) = covered_by_label(events, position, kind, lines, &totals);
                    (
                        rows.into_iter()
                            .map(|r| CellRef::new(r, column.col))
                            .collect(),
                        words,
                    )
                }
            };
            let mut sum = Decimal::ZERO;
            let mut double_sum = 0.0_f64;
            let mut text_cells = Vec::new();
            for c in &cells {
                if let Some((value, double)) = known.get(c) {
                    sum += *value;
                    double_sum += double.unwrap_or_else(|| value.to_f64().unwrap_or(f64::NAN));
                    continue;
                }
                let covered = sheet.cell(*c);
                if let Ok(Some(value)) = figure::read(&covered.value) {
                    sum += value;
                    double_sum += match covered.value {
                        Value::Number(n) => n,
                        _ => {
                            text_cells.push(*c);
                            value.to_f64().unwrap_or(f64::NAN)
                        }
                    };
                }
            }
            // Only a spreadsheet's number cell is a SUM that leaves text out (in a CSV every
            // cell is text).
            if !matches!(cell.value, Value::Number(_)) {
                text_cells.clear();
            }
            let (shown, outcome) = match figure::read(&cell.value) {
                Err(e) => (None, Outcome::Unreadable(e.to_string())),
                Ok(None) => (None, Outcome::FromRange),
                Ok(Some(value)) if value == sum => (Some(value), Outcome::Agrees),
                Ok(Some(value)) => {
                    let as_sheet_adds = matches!(cell.value, Value::Number(n) if n == double_sum);
                    (
                        Some(value),
                        if as_sheet_adds {
                            Outcome::AgreesAsTheSheetAdds
                        } else {
                            Outcome::Differs
                        },
                    )
                }
            };
            let double = match cell.value {
                Value::Number(n) => Some(n),
                _ => None,
            };
            known.insert(at, (shown.unwrap_or(sum), double.or(Some(double_sum))));
            checks.push(Check {
                year: column.year,
                block: column.block,
                at,
                shown,
                formula: cell.formula.clone(),
                covers,
                cells,
                sum,
                outcome,
                text_cells,
            });
        }
        if let Some(total) = totals.get_mut(*index) {
            total.checks = checks;
        }
    }
    totals
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(text: &str) -> Option<Vec<String>> {
        summed_cells(text).map(|c| c.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn a_subtotal_is_told_from_other_formulas() {
        assert!(is_subtotal("=SUBTOTAL(9,C3:C7)"));
        assert!(is_subtotal("subtotal(109, C3:C7)"));
        assert!(is_subtotal("of:=SUBTOTAL(9;[.C3:.C7])"));
        assert!(!is_subtotal("=SUM(C3:C7)"));
        assert!(!is_subtotal("=C3+C4"));
        assert!(!is_subtotal("=SUB"));
    }

    #[test]
    fn sums_are_read_from_their_formulas() {
        assert_eq!(
            cells("SUM(F5:F7)"),
            Some(vec!["F5".into(), "F6".into(), "F7".into()])
        );
        assert_eq!(
            cells("=sum($F$5:$F$6)"),
            Some(vec!["F5".into(), "F6".into()])
        );
        assert_eq!(
            cells("SUBTOTAL(9,F5:F6)"),
            Some(vec!["F5".into(), "F6".into()])
        );
        assert_eq!(cells("SUBTOTAL(109,F5)"), Some(vec!["F5".into()]));
        assert_eq!(
            cells("F5+F6+F7"),
            Some(vec!["F5".into(), "F6".into(), "F7".into()])
        );
        assert_eq!(
            cells("SUM(F5,F7:F8)"),
            Some(vec!["F5".into(), "F7".into(), "F8".into()])
        );
        assert_eq!(
            cells("of:=SUM([.F5:.F6])"),
            Some(vec!["F5".into(), "F6".into()])
        );
        assert_eq!(
            cells("of:=[.F5]+[.F6]"),
            Some(vec!["F5".into(), "F6".into()])
        );
    }

    #[test]
    fn other_formulas_are_not_sums() {
        for formula in [
            "F5",
            "F5*2",
            "SUBTOTAL(1,F5:F9)",
            "SUM(Other!F5:F9)",
            "AVERAGE(F5:F9)",
            "SUM(F5:F9)*1.1",
            "F5-F6",
            "SUM(F:F)",
            "SUM(A1:XFD1048576)",
            "",
        ] {
            assert_eq!(summed_cells(formula), None, "{formula}");
        }
    }

    #[test]
    fn rows_are_described_briefly() {
        assert_eq!(rows_text(&[]), "no rows");
        assert_eq!(rows_text(&[6]), "row 7");
        assert_eq!(rows_text(&[6, 7, 8]), "rows 7 to 9");
        assert_eq!(rows_text(&[6, 8, 11]), "rows 7, 9, 12");
    }
}
