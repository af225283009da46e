//! Words and numbers as the reports print them: counts of years, percentages, runs of
//! years, and text wrapped to the terminal.

use crate::model::{FinancialYear, rounded};

/// "1 year", "10 years".
pub fn years_count(n: u16) -> String {
    if n == 1 {
        "1 year".to_string()
    } else {
        format!("{n} years")
    }
}

/// A fraction as a percentage, rounded for display.
pub fn percent(fraction: rust_decimal::Decimal, dp: u32) -> String {
    // Beyond a million per cent the figure says nothing more (and could overflow).
    let limit = rust_decimal::Decimal::from(10_000);
    if fraction > limit {
        return "over 1000000%".to_string();
    }
    if fraction < -limit {
        return "below -1000000%".to_string();
    }
    let value = fraction * rust_decimal::Decimal::ONE_HUNDRED;
    let text = rounded(value, dp);
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    format!("{text}%")
}

/// Years as ranges: `2016/17 to 2024/25`, `2015/16, 2018/19`; `none` when empty.
pub fn year_ranges(years: &[FinancialYear]) -> String {
    if years.is_empty() {
        return "none".to_string();
    }
    let mut parts = Vec::new();
    let mut start = years[0];
    let mut end = years[0];
    for &year in &years[1..] {
        if year.years_after(end) == 1 {
            end = year;
        } else {
            parts.push(range_text(start, end));
            start = year;
            end = year;
        }
    }
    parts.push(range_text(start, end));
    parts.join(", ")
}

fn range_text(start: FinancialYear, end: FinancialYear) -> String {
    if start == end {
        start.to_string()
    } else {
        format!("{start} to {end}")
    }
}

/// Greedy word wrap to `width` columns; continuation lines start with `indent`.
pub fn wrap(text: &str, width: usize, indent: &str) -> String {
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

#[cfg(test)]
mod tests {
    type TestResult = Result<(), Box<dyn std::error::Error>>;

    use super::*;

    fn y(s: &str) -> FinancialYear {
        FinancialYear::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn text_wraps_within_the_width() {
        let text = "word ".repeat(60);
        let wrapped = wrap(&text, 100, "  ");
        assert!(wrapped.lines().all(|l| l.chars().count() <= 100));
        assert!(wrapped.lines().skip(1).all(|l| l.starts_with("  ")));
        assert_eq!(wrapped.split_whitespace().count(), 60);
    }

    #[test]
    fn closed_years_read_as_ranges() -> TestResult {
        assert_eq!(year_ranges(&[]), "none");
        assert_eq!(
            year_ranges(&[y("2016/17"), y("2017/18"), y("2018/19")]),
            "2016/17 to 2018/19"
        );
        assert_eq!(
            year_ranges(&[y("2015/16"), y("2017/18"), y("2018/19")]),
            "2015/16, 2017/18 to 2018/19"
        );
        Ok(())
    }

    #[test]
    fn percentages_drop_needless_zeros() -> TestResult {
        use std::str::FromStr;
        assert_eq!(
            percent(rust_decimal::Decimal::from_str("0.035")?, 2),
            "3.5%"
        );
        assert_eq!(
            percent(rust_decimal::Decimal::from_str("0.1234")?, 1),
            "12.3%"
        );
        assert_eq!(percent(rust_decimal::Decimal::ONE, 1), "100%");
        assert_eq!(percent(rust_decimal::Decimal::MAX, 1), "over 1000000%");
        assert_eq!(percent(rust_decimal::Decimal::MIN, 1), "below -1000000%");
        Ok(())
    }
}
