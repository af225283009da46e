//! Reads a TOML number exactly from its literal text. The `toml` crate hands floats over as
//! f64, which cannot hold 2.4; docs/model.md section 7 asks for the figure as written, and for
//! an error, never a rounding, where rust_decimal cannot hold it.

use rust_decimal::Decimal;

/// Why a literal could not become an exact decimal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NumberError {
    /// Not written as a number at all.
    NotANumber,
    /// `inf` or `nan`.
    NotFinite,
    /// More than 28 decimal places or 29 significant digits.
    TooPrecise,
    /// Beyond about 7.9e28.
    TooLarge,
}

impl std::fmt::Display for NumberError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe("the number"))
    }
}

impl std::error::Error for NumberError {}

impl NumberError {
    pub fn describe(&self, literal: &str) -> String {
        let literal = &super::diagnostic::shown(literal, 40);
        match self {
            NumberError::NotANumber => {
                format!("{literal} is not a number (write figures like 2.4 or 1_000)")
            }
            NumberError::NotFinite => format!("{literal} is not a finite number"),
            NumberError::TooPrecise => format!(
                "{literal} cannot be held exactly: figures may have at most 28 decimal places \
                 and 29 significant digits, and are never rounded"
            ),
            NumberError::TooLarge => format!("{literal} is too large to hold"),
        }
    }
}

/// The most digits a decimal mantissa can hold.
const MAX_DIGITS: usize = 29;

/// Parses a TOML integer or float literal (`2.4`, `-1_000`, `1.5e3`, `0x1F`) exactly.
pub fn parse_literal(literal: &str) -> Result<Decimal, NumberError> {
    if let Some(value) = plain_literal(literal) {
        return Ok(value);
    }
    let (negative, body) = match literal.as_bytes().first() {
        Some(b'-') => (true, &literal[1..]),
        Some(b'+') => (false, &literal[1..]),
        _ => (false, literal),
    };
    if body == "inf" || body == "nan" {
        return Err(NumberError::NotFinite);
    }
    let value = if let Some((radix, digits)) = radix_literal(body) {
        let digits: String = digits.chars().filter(|c| *c != '_').collect();
        if digits.is_empty() {
            return Err(NumberError::NotANumber);
        }
        let n = u64::from_str_radix(&digits, radix).map_err(|e| match e.kind() {
            std::num::IntErrorKind::PosOverflow => NumberError::TooLarge,
            _ => NumberError::NotANumber,
        })?;
        Decimal::from(n)
    } else {
        parse_decimal(body)?
    };
    Ok(if negative { -value } else { value }.normalize())
}

/// The common literal, `-?digits[.digits]` with at most 18 digits (a figure as most files
/// write it), read in 64-bit arithmetic; `None` for anything else, which
/// [`parse_literal`] reads in full.
fn plain_literal(literal: &str) -> Option<Decimal> {
    let (negative, body) = match literal.strip_prefix('-') {
        Some(body) => (true, body),
        None => (false, literal),
    };
    let (int_part, frac_part) = body.split_once('.').unwrap_or((body, ""));
    let digits = int_part.len() + frac_part.len();
    if int_part.is_empty()
        || (body.contains('.') && frac_part.is_empty())
        || digits > 18
        || !int_part
            .bytes()
            .chain(frac_part.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let mut mantissa: i64 = 0;
    for b in int_part.bytes().chain(frac_part.bytes()) {
        mantissa = mantissa * 10 + i64::from(b - b'0');
    }
    let scale = u32::try_from(frac_part.len()).ok()?;
    let value = Decimal::new(if negative { -mantissa } else { mantissa }, scale);
    Some(value.normalize())
}

fn radix_literal(body: &str) -> Option<(u32, &str)> {
    let radix = match body.get(..2)? {
        "0x" => 16,
        "0o" => 8,
        "0b" => 2,
        _ => return None,
    };
    Some((radix, &body[2..]))
}

/// Whether `text` is `digits[.digits][e[+-]digits]` with underscores only between digits,
/// as TOML writes a decimal (the parser has checked a file's literals; figures typed on the
/// command line are checked here).
fn is_decimal_literal(text: &str) -> bool {
    let digits = |part: &str| {
        !part.is_empty()
            && part
                .split('_')
                .all(|run| !run.is_empty() && run.bytes().all(|b| b.is_ascii_digit()))
    };
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    digits(int_part)
        && frac_part.is_none_or(digits)
        && exponent.is_none_or(|e| digits(e.strip_prefix(['+', '-']).unwrap_or(e)))
}

/// `digits[.digits][e[+-]digits]`, underscores allowed between digits.
fn parse_decimal(body: &str) -> Result<Decimal, NumberError> {
    if !is_decimal_literal(body) {
        return Err(NumberError::NotANumber);
    }
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let int_digits: Vec<u8> = int_part.bytes().filter(u8::is_ascii_digit).collect();
    let frac_digits: Vec<u8> = frac_part.bytes().filter(u8::is_ascii_digit).collect();

    let mut digits: Vec<u8> = int_digits.iter().chain(&frac_digits).copied().collect();
    // Value = digits x 10^(exponent - fraction length).
    let exponent: i64 = match exponent {
        None => 0,
        Some(text) => parse_exponent(text, &digits)?,
    };
    let mut shift = exponent - frac_digits.len() as i64;

    // Leading zeros carry nothing; trailing zeros move into the exponent.
    let first_nonzero = digits.iter().position(|d| *d != b'0');
    let Some(first) = first_nonzero else {
        return Ok(Decimal::ZERO);
    };
    digits.drain(..first);
    while digits.last() == Some(&b'0') {
        digits.pop();
        shift += 1;
    }
    if digits.len() > MAX_DIGITS {
        return Err(NumberError::TooPrecise);
    }
    let mut mantissa: i128 = 0;
    for d in &digits {
        mantissa = mantissa * 10 + i128::from(d - b'0');
    }
    if shift >= 0 {
        // Whole number: append zeros while it still fits.
        for _ in 0..shift {
            mantissa = mantissa.checked_mul(10).ok_or(NumberError::TooLarge)?;
            if mantissa > Decimal::MAX.mantissa() {
                return Err(NumberError::TooLarge);
            }
        }
        Decimal::try_from_i128_with_scale(mantissa, 0).map_err(|_| NumberError::TooLarge)
    } else {
        let scale = u32::try_from(-shift).map_err(|_| NumberError::TooPrecise)?;
        if scale > Decimal::MAX_SCALE {
            return Err(NumberError::TooPrecise);
        }
        Decimal::try_from_i128_with_scale(mantissa, scale).map_err(|_| NumberError::TooPrecise)
    }
}

/// The exponent, bounded: beyond 100 either way no decimal could hold the value (a zero
/// mantissa aside), and parsing `1e999999999` must stay instant.
fn parse_exponent(text: &str, digits: &[u8]) -> Result<i64, NumberError> {
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let body: String = body.chars().filter(|c| *c != '_').collect();
    let magnitude = body.trim_start_matches('0');
    let is_zero = digits.iter().all(|d| *d == b'0');
    if magnitude.len() > 3 {
        return if is_zero {
            Ok(0)
        } else if negative {
            Err(NumberError::TooPrecise)
        } else {
            Err(NumberError::TooLarge)
        };
    }
    let value: i64 = if magnitude.is_empty() {
        0
    } else {
        magnitude.parse().map_err(|_| NumberError::TooLarge)?
    };
    Ok(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {

    #[test]
    fn plain_figures_read_alike_by_both_ways() {
        for literal in [
            "0",
            "-0",
            "2.4",
            "2.40",
            "-1.5",
            "007",
            "0.000000001",
            "123456789012345678",
            "1234567890.12345678",
            "-0.0",
            "10",
            "1.000",
        ] {
            let quick = super::plain_literal(literal);
            let full = super::parse_decimal(literal.trim_start_matches('-'))
                .map(|d| if literal.starts_with('-') { -d } else { d }.normalize());
            assert_eq!(quick, full.ok(), "{literal}");
        }
        // Not plain: the full reader decides.
        for literal in [
            "1e3",
            "1_000",
            "+1",
            "1.",
            ".5",
            "0x10",
            "1234567890123456789",
            "inf",
        ] {
            assert_eq!(super::plain_literal(literal), None, "{literal}");
        }
    }
    type TestResult = Result<(), Box<dyn std::error::Error>>;

    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap_or_else(|e| panic!("test figure {s}: {e}"))
    }

    #[test]
    fn figures_are_exactly_what_is_written() -> TestResult {
        assert_eq!(parse_literal("2.4")?, d("2.4"));
        assert_eq!(parse_literal("+2.40")?, d("2.4"));
        assert_eq!(parse_literal("-0.5")?, d("-0.5"));
        assert_eq!(parse_literal("1_000.25")?, d("1000.25"));
        assert_eq!(parse_literal("1.5e3")?, d("1500"));
        assert_eq!(parse_literal("15E-1")?, d("1.5"));
        assert_eq!(parse_literal("0x1F")?, d("31"));
        assert_eq!(parse_literal("0o17")?, d("15"));
        assert_eq!(parse_literal("0b101")?, d("5"));
        assert_eq!(parse_literal("0.0")?, d("0"));
        assert_eq!(parse_literal("-0.0")?.to_string(), "0");
        assert_eq!(
            parse_literal("0.1234567890123456789012345678")?,
            d("0.1234567890123456789012345678")
        );
        assert_eq!(
            parse_literal("79228162514264337593543950335")?,
            Decimal::MAX
        );
        Ok(())
    }

    #[test]
    fn figures_that_cannot_be_held_are_refused_not_rounded() -> TestResult {
        assert_eq!(
            parse_literal("0.1234567890123456789012345678901"),
            Err(NumberError::TooPrecise)
        );
        assert_eq!(parse_literal("1e-29"), Err(NumberError::TooPrecise));
        assert_eq!(
            parse_literal("79228162514264337593543950336"),
            Err(NumberError::TooLarge)
        );
        assert_eq!(parse_literal("1e29"), Err(NumberError::TooLarge));
        assert_eq!(parse_literal("inf"), Err(NumberError::NotFinite));
        assert_eq!(parse_literal("-nan"), Err(NumberError::NotFinite));
        Ok(())
    }

    #[test]
    fn text_that_is_not_a_number_is_refused() {
        for bad in [
            "x", "", "1.", ".5", "1e", "1__0", "_1", "1_", "0x", "0xG", "1.2.3", "1e+",
        ] {
            assert_eq!(parse_literal(bad), Err(NumberError::NotANumber), "{bad}");
        }
    }

    #[test]
    fn huge_exponents_are_instant_errors() -> TestResult {
        assert_eq!(parse_literal("1e999999999"), Err(NumberError::TooLarge));
        assert_eq!(parse_literal("1e-999999999"), Err(NumberError::TooPrecise));
        assert_eq!(parse_literal("0e999999999")?, Decimal::ZERO);
        assert_eq!(parse_literal("1e00000000000000000000002")?, d("100"));
        Ok(())
    }
}
