//! Cells read as the scenario's values: a number cell (a binary double) as the shortest decimal
//! that gives the same double back, so `0.35` stays 0.35 (what the spreadsheet shows at full
//! precision, never `0.34999999999999997779...`); a text cell holding a number from its text,
//! exactly; user text with the report's neutralising quote taken off. Anything else in a
//! figure cell is a problem naming the cell.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::Problem;
use super::book::{At, Sheet, Value};

/// The shortest decimal that reads back as `f` (Rust prints a double that way, never with an
/// exponent); `None` for a value that is not finite or needs more than 28 decimal places.
pub fn decimal_of_double(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    let d = Decimal::from_str_exact(&format!("{f}")).ok()?;
    Some(if d.is_zero() {
        Decimal::ZERO
    } else {
        d.normalize()
    })
}

/// A number typed as text: `0.35`, `-1.5`, `1,234.5` (thousands separators), exactly.
pub fn decimal_of_text(text: &str) -> Option<Decimal> {
    let text = text.trim();
    let plain: String = text.chars().filter(|c| *c != ',').collect();
    if plain.is_empty()
        || !plain
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'))
    {
        return None;
    }
    let plain = plain.strip_prefix('+').unwrap_or(&plain);
    Decimal::from_str(plain)
        .ok()
        .filter(|_| Decimal::from_str_exact(plain).is_ok())
        .map(|d| {
            if d.is_zero() {
                Decimal::ZERO
            } else {
                d.normalize()
            }
        })
}

/// The figure in a cell: `None` where the cell is blank (a year not named).
pub fn figure(sheet: &Sheet, at: At, what: &str) -> Result<Option<Decimal>, Problem> {
    let cell = sheet.cell(at);
    let here = || sheet.place(at);
    match &cell.value {
        Value::Empty if cell.formula.is_some() => Err(Problem::at(
            here(),
            format!("{what}: the cell holds a formula with no value saved"),
        )
        .help("open the workbook in a spreadsheet program and save it (the value is saved with the formula), or type the figure")),
        Value::Text(t) if t.trim().is_empty() && cell.formula.is_some() => Err(Problem::at(
            here(),
            format!("{what}: the cell holds a formula with no value saved"),
        )
        .help("open the workbook in a spreadsheet program and save it (the value is saved with the formula), or type the figure")),
        v if v.is_blank() => Ok(None),
        Value::Number(f) => decimal_of_double(*f).map(Some).ok_or_else(|| {
            Problem::at(
                here(),
                format!("{what}: {f} cannot be held exactly as a decimal of up to 28 places"),
            )
        }),
        Value::Text(t) => decimal_of_text(t).map(Some).ok_or_else(|| {
            Problem::at(
                here(),
                format!("{what}: expected a figure, found {}", cell.value.describe()),
            )
            .help("type a number (0.35), or clear the cell")
        }),
        other => Err(Problem::at(
            here(),
            format!("{what}: expected a figure, found {}", other.describe()),
        )
        .help("type a number (0.35), or clear the cell")),
    }
}

/// The figure in a cell that must hold one.
pub fn required(sheet: &Sheet, at: At, what: &str) -> Result<Decimal, Problem> {
    figure(sheet, at, what)?.ok_or_else(|| {
        Problem::at(
            sheet.place(at),
            format!("{what}: the cell is blank, and the workbook needs a figure here"),
        )
    })
}

/// Text as the report wrote it, with the quote it puts before text a spreadsheet would read
/// as a formula (`'=SUM`) taken off.
pub fn unneutralised(text: &str) -> String {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_string(),
        _ => text.to_string(),
    }
}

/// The user text in a cell (an id, a name, an area): `None` where blank.
pub fn user_text(sheet: &Sheet, at: At) -> Option<String> {
    match sheet.value(at.row, at.col) {
        Value::Text(t) if !t.trim().is_empty() => Some(unneutralised(t)),
        Value::Number(f) => decimal_of_double(*f).map(|d| d.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap_or_default()
    }

    #[test]
    fn a_double_reads_as_the_shortest_decimal_that_gives_it_back() {
        for (double, decimal) in [
            (0.35, "0.35"),
            (2.4, "2.4"),
            (-567.2, "-567.2"),
            (5.0, "5"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1.0 / 3.0, "0.3333333333333333"),
            (206.999, "206.999"),
            (-0.0, "0"),
        ] {
            assert_eq!(
                decimal_of_double(double).map(|x| x.to_string()),
                Some(decimal.to_string()),
                "{double}"
            );
        }
        assert_eq!(decimal_of_double(f64::NAN), None);
        assert_eq!(decimal_of_double(1e-30), None);
    }

    #[test]
    fn text_reads_exactly() {
        assert_eq!(decimal_of_text(" 0.35 "), Some(d("0.35")));
        assert_eq!(decimal_of_text("1,234.50"), Some(d("1234.5")));
        assert_eq!(decimal_of_text("+2"), Some(d("2")));
        assert_eq!(decimal_of_text("-0.6"), Some(d("-0.6")));
        for bad in [
            "",
            "1.5m",
            "n/a",
            "£2",
            "1e3",
            "0.1234567890123456789012345678901",
        ] {
            assert_eq!(decimal_of_text(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_neutralising_quote_comes_off() {
        assert_eq!(unneutralised("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(unneutralised("'-1"), "-1");
        assert_eq!(unneutralised("'quoted'"), "'quoted'");
        assert_eq!(unneutralised("Legal"), "Legal");
    }
}
