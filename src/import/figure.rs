//! A figure cell to an exact decimal. A number a spreadsheet stores is a binary double: it is
//! read as the shortest decimal that gives the same double back (what the spreadsheet shows
//! at full precision), so `-567.2` is `-567.2`, never `-567.2000000000000454747...`. Text is
//! read from its characters exactly, in the forms people type: `(1,234.5)` and `-1,234.5`
//! negative, a `£` sign, thousands separators, a unicode minus. A cell holding nothing, or
//! only `-`, `–` or `—`, names no figure (docs/model.md section 9.1: a blank cell is a year
//! not named). Percentages and any other text are refused, naming what was found.

use rust_decimal::Decimal;

use super::grid::{Value, shown_text};
use crate::scenario::number::{NumberError, parse_literal};

/// Why a cell is not a figure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FigureError {
    /// `12%`: a share, not an amount.
    Percent(String),
    /// Text that is not a number.
    Text(String),
    /// A number that cannot be held exactly (too many digits) or is not finite.
    Inexact(String),
    /// A date where a figure should be.
    Date(String),
    /// TRUE or FALSE.
    Bool(bool),
    /// An error value (`#REF!`).
    CellError(String),
}

impl std::fmt::Display for FigureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FigureError::Percent(t) => write!(
                f,
                "{:?} is a percentage, not an amount: a savings figure is money in the sheet's unit",
                shown_text(t, 40)
            ),
            FigureError::Text(t) => write!(
                f,
                "{:?} is not a figure (write an amount such as 1234.5, (1,234.5) or -1,234.5; leave the cell blank or write - for no figure)",
                shown_text(t, 40)
            ),
            FigureError::Inexact(t) => write!(
                f,
                "{t} cannot be held exactly: figures may have at most 28 decimal places and 29 significant digits, and are never rounded"
            ),
            FigureError::Date(d) => write!(
                f,
                "holds the date {d}, not an amount (is the cell formatted as a date?)"
            ),
            FigureError::Bool(b) => write!(
                f,
                "holds {}, not an amount",
                if *b { "TRUE" } else { "FALSE" }
            ),
            FigureError::CellError(e) => {
                write!(f, "holds the spreadsheet error {e}, not an amount")
            }
        }
    }
}

/// The figure a cell holds: `None` where it names none (blank, `-`, `–`, `—`).
pub fn read(value: &Value) -> Result<Option<Decimal>, FigureError> {
    match value {
        Value::Empty => Ok(None),
        Value::Number(n) => from_double(*n).map(Some),
        Value::Text(t) => from_text(t),
        Value::Bool(b) => Err(FigureError::Bool(*b)),
        Value::Date(d) => Err(FigureError::Date(d.to_string())),
        Value::Error(e) => Err(FigureError::CellError(e.clone())),
    }
}

/// The shortest decimal that reads back as `value` (Rust prints an f64 that way, without
/// an exponent), exactly.
pub fn from_double(value: f64) -> Result<Decimal, FigureError> {
    if !value.is_finite() {
        return Err(FigureError::Inexact(format!("{value}")));
    }
    let text = format!("{value}");
    parse_literal(&text).map_err(|e| match e {
        NumberError::TooPrecise | NumberError::TooLarge | NumberError::NotFinite => {
            FigureError::Inexact(format!("{value:e}"))
        }
        NumberError::NotANumber => FigureError::Text(text.clone()),
    })
}

/// Characters that only space out a figure: spaces of every width.
fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{a0}' | '\u{2007}' | '\u{2009}' | '\u{202f}')
}

/// Reads a figure typed as text. `None` for a blank cell or a lone dash.
pub fn from_text(text: &str) -> Result<Option<Decimal>, FigureError> {
    let trimmed = text.trim_matches(is_space);
    if trimmed.is_empty() || matches!(trimmed, "-" | "–" | "—" | "−") {
        return Ok(None);
    }
    if trimmed.contains('%') {
        return Err(FigureError::Percent(trimmed.to_string()));
    }
    let not_a_figure = || FigureError::Text(trimmed.to_string());
    let mut body: &str = trimmed;
    let mut negative = false;
    // Brackets around the whole figure (and any £ inside or outside them).
    let unbracketed = |s: &str| -> Option<String> {
        let s = s.strip_prefix('£').unwrap_or(s).trim_matches(is_space);
        let inner = s.strip_prefix('(')?.strip_suffix(')')?;
        Some(inner.trim_matches(is_space).to_string())
    };
    let owned;
    if let Some(inner) = unbracketed(body) {
        negative = true;
        owned = inner;
        body = &owned;
    }
    let mut chars = body.chars();
    match chars.next() {
        Some('-' | '−') => {
            if negative {
                return Err(not_a_figure());
            }
            negative = true;
            body = chars.as_str();
        }
        Some('+') => body = chars.as_str(),
        _ => {}
    }
    let body = body.trim_start_matches(is_space);
    let body = body.strip_prefix('£').unwrap_or(body);
    let body = body.trim_start_matches(is_space);
    // A sign after the £ (`£-1,234`), once.
    let (body, negative) = match body.chars().next() {
        Some('-' | '−') if !negative => {
            (&body[body.chars().next().map_or(0, char::len_utf8)..], true)
        }
        _ => (body, negative),
    };
    let digits = plain_digits(body).ok_or_else(not_a_figure)?;
    let value = parse_literal(&digits).map_err(|e| match e {
        NumberError::NotANumber => not_a_figure(),
        _ => FigureError::Inexact(trimmed.to_string()),
    })?;
    Ok(Some(if negative { -value } else { value }))
}

/// `1,234.5` to `1234.5`: digits with commas between groups of three (or none at all) and at
/// most one decimal point. `None` for anything else.
fn plain_digits(body: &str) -> Option<String> {
    let (whole, fraction) = match body.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (body, None),
    };
    let whole = if whole.is_empty() && fraction.is_some() {
        "0"
    } else {
        whole
    };
    if whole.is_empty() {
        return None;
    }
    let groups: Vec<&str> = whole.split(',').collect();
    let digits_only = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !groups.iter().all(|g| digits_only(g)) {
        return None;
    }
    if groups.len() > 1 && (groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3)) {
        return None;
    }
    let mut out: String = groups.concat();
    if let Some(fraction) = fraction.filter(|f| !f.is_empty()) {
        if !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        out.push('.');
        out.push_str(fraction);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).expect("a decimal")
    }

    proptest::proptest! {
        /// Every finite double in the range of figures reads back as itself.
        #[test]
        fn a_double_reads_back_as_itself(value in -1e12_f64..1e12) {
            let decimal = from_double(value).expect("a figure");
            let back: f64 = decimal.to_string().parse().expect("a number");
            proptest::prop_assert_eq!(back, value);
        }

        /// Any text is a figure, no figure or an error: never a panic.
        #[test]
        fn any_text_is_read_without_a_panic(text in ".{0,20}") {
            let _ = from_text(&text);
        }
    }

    #[test]
    fn a_double_is_read_as_its_shortest_decimal() {
        assert_eq!(from_double(-567.2), Ok(d("-567.2")));
        assert_eq!(from_double(0.1), Ok(d("0.1")));
        assert_eq!(from_double(1e-7), Ok(d("0.0000001")));
        assert_eq!(from_double(123_456_789.123), Ok(d("123456789.123")));
        assert_eq!(from_double(0.1 + 0.2), Ok(d("0.30000000000000004")));
        assert_eq!(from_double(2025.0), Ok(d("2025")));
        assert_eq!(from_double(-0.0), Ok(Decimal::ZERO));
    }

    #[test]
    fn a_double_that_cannot_be_held_is_refused() {
        assert!(matches!(
            from_double(f64::NAN),
            Err(FigureError::Inexact(_))
        ));
        assert!(matches!(
            from_double(f64::INFINITY),
            Err(FigureError::Inexact(_))
        ));
        assert!(matches!(from_double(1e300), Err(FigureError::Inexact(_))));
        assert!(matches!(from_double(5e-324), Err(FigureError::Inexact(_))));
    }

    #[test]
    fn figures_are_read_as_people_type_them() {
        assert_eq!(from_text("1234.5"), Ok(Some(d("1234.5"))));
        assert_eq!(from_text("(1,234.5)"), Ok(Some(d("-1234.5"))));
        assert_eq!(from_text("-1,234.5"), Ok(Some(d("-1234.5"))));
        assert_eq!(from_text("−1,234.5"), Ok(Some(d("-1234.5"))));
        assert_eq!(from_text("£1,234"), Ok(Some(d("1234"))));
        assert_eq!(from_text("-£1,234"), Ok(Some(d("-1234"))));
        assert_eq!(from_text("£-1,234"), Ok(Some(d("-1234"))));
        assert_eq!(from_text("(£1,234)"), Ok(Some(d("-1234"))));
        assert_eq!(from_text("£(1,234)"), Ok(Some(d("-1234"))));
        assert_eq!(from_text(" 12 "), Ok(Some(d("12"))));
        assert_eq!(from_text("+7"), Ok(Some(d("7"))));
        assert_eq!(from_text(".5"), Ok(Some(d("0.5"))));
        assert_eq!(from_text("5."), Ok(Some(d("5"))));
        assert_eq!(from_text("1,234,567.891"), Ok(Some(d("1234567.891"))));
        assert_eq!(from_text("0.10"), Ok(Some(d("0.10"))));
    }

    #[test]
    fn blanks_and_dashes_name_no_figure() {
        for blank in ["", "  ", "-", "–", "—", "\u{a0}-\u{a0}"] {
            assert_eq!(from_text(blank), Ok(None), "{blank:?}");
        }
        assert_eq!(read(&Value::Empty), Ok(None));
    }

    #[test]
    fn percentages_and_words_are_refused() {
        assert!(matches!(from_text("12%"), Err(FigureError::Percent(_))));
        assert!(matches!(from_text("TBC"), Err(FigureError::Text(_))));
        assert!(matches!(from_text("1,2"), Err(FigureError::Text(_))));
        assert!(matches!(from_text("1234,5"), Err(FigureError::Text(_))));
        assert!(matches!(from_text("--5"), Err(FigureError::Text(_))));
        assert!(matches!(from_text("(-5)"), Err(FigureError::Text(_))));
        assert!(matches!(from_text("1.2.3"), Err(FigureError::Text(_))));
        assert!(matches!(from_text("1e3"), Err(FigureError::Text(_))));
        assert!(matches!(
            from_text("0.12345678901234567890123456789012"),
            Err(FigureError::Inexact(_))
        ));
        assert!(matches!(
            read(&Value::Bool(true)),
            Err(FigureError::Bool(true))
        ));
        assert!(matches!(
            read(&Value::Error("#REF!".into())),
            Err(FigureError::CellError(_))
        ));
    }
}
