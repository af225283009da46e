//! Year headings as councils write them: `2025/26`, `2025-26`, `25/26`, `2025/2026`,
//! `2025-2026`, `FY 2025/26`, `2025/26 £000` (a unit in the same cell), `Forecast 2025/26` (a
//! block title), a number cell `2025` (the year starting then), a date cell (the financial
//! year it falls in, April to March). A heading with other words beside its year (`Budget
//! 2024/25`) is not a year heading: such a column is not a column of savings.

use super::grid::{Date, Value};
use super::words::{self, Block};
use crate::model::{Basis, FinancialYear};

/// What a year heading says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    pub year: FinancialYear,
    /// A unit in the same cell (`2025/26 £000`).
    pub unit: Option<&'static str>,
    /// A block title in the same cell (`Forecast 2025/26`).
    pub block: Option<Block>,
    /// Levels or increments, where the cell says (`Cumulative 2025/26`).
    pub basis: Option<Basis>,
}

impl Heading {
    fn bare(year: FinancialYear) -> Self {
        Self {
            year,
            unit: None,
            block: None,
            basis: None,
        }
    }
}

/// The year heading a cell holds, if it holds one.
pub fn heading(value: &Value) -> Option<Heading> {
    match value {
        Value::Number(n) => {
            let whole = n.fract() == 0.0 && (1900.0..=2499.0).contains(n);
            whole
                .then(|| FinancialYear::starting_in(*n as u16))
                .flatten()
                .map(Heading::bare)
        }
        Value::Date(d) => year_of_date(*d).map(Heading::bare),
        Value::Text(t) => from_text(t),
        _ => None,
    }
}

/// The financial year a date falls in: April to March.
pub fn year_of_date(date: Date) -> Option<FinancialYear> {
    let start = if date.month >= 4 {
        date.year
    } else {
        date.year - 1
    };
    FinancialYear::starting_in(u16::try_from(start).ok()?)
}

/// A year written in text: exactly one year token, and beside it only words a heading may
/// carry (FY, a unit, a block title, cumulative or in-year).
pub fn from_text(text: &str) -> Option<Heading> {
    let text = text.trim();
    if let Ok(n) = text.parse::<u16>()
        && text.len() == 4
    {
        return FinancialYear::starting_in(n).map(Heading::bare);
    }
    let (year, start, end) = year_token(text)?;
    let rest = format!("{} {}", &text[..start], &text[end..]);
    // The other words: a unit's own figures (`000`) count as part of the unit.
    if !words::words(&rest)
        .iter()
        .all(|w| words::is_heading_filler(w))
    {
        return None;
    }
    Some(Heading {
        year,
        unit: words::unit_in(&rest),
        block: words::block_in(&rest),
        basis: words::basis_in(&rest),
    })
}

/// Whether text looks like it means a year it could not be read as (`2025/27`, `Budget
/// 2024/25`): it holds four digits from 1900 to 2499, or digits either side of `/`.
pub fn looks_like_a_year(text: &str) -> bool {
    let digits: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect();
    digits
        .iter()
        .any(|d| d.len() == 4 && d.parse::<u16>().is_ok_and(|n| (1900..=2499).contains(&n)))
        || (text.contains('/') && digits.len() >= 2)
}

/// Finds the one year token in `text`: `2025/26`, `2025-26`, `25/26`, `2025/2026`,
/// `2025-2026` (an en or em dash as a hyphen; spaces around the separator allowed). Returns
/// the year and the byte range of the token; `None` if there is none, more than one, or the
/// second part does not follow the first.
fn year_token(text: &str) -> Option<(FinancialYear, usize, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut found = None;
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let at_boundary = i == 0 || !chars[i - 1].1.is_ascii_digit();
        if !c.is_ascii_digit() || !at_boundary {
            i += 1;
            continue;
        }
        let first_end = run_end(&chars, i);
        let first: String = chars[i..first_end].iter().map(|(_, c)| c).collect();
        // The separator, with spaces around it.
        let mut j = first_end;
        while j < chars.len() && chars[j].1 == ' ' {
            j += 1;
        }
        let separated = j < chars.len() && matches!(chars[j].1, '/' | '-' | '–' | '—');
        if !separated || !matches!(first.len(), 2 | 4) {
            i = first_end;
            continue;
        }
        j += 1;
        while j < chars.len() && chars[j].1 == ' ' {
            j += 1;
        }
        if j >= chars.len() || !chars[j].1.is_ascii_digit() {
            i = first_end;
            continue;
        }
        let second_end = run_end(&chars, j);
        let second: String = chars[j..second_end].iter().map(|(_, c)| c).collect();
        let end = chars.get(second_end).map_or(text.len(), |(b, _)| *b);
        let year = financial_year(&first, &second)?;
        if found.is_some() {
            return None;
        }
        found = Some((year, start, end));
        i = second_end;
    }
    found
}

fn run_end(chars: &[(usize, char)], from: usize) -> usize {
    let mut k = from;
    while k < chars.len() && chars[k].1.is_ascii_digit() {
        k += 1;
    }
    k
}

/// The year `first`/`second` names, if the second part is the year after the first.
fn financial_year(first: &str, second: &str) -> Option<FinancialYear> {
    let start: u16 = match first.len() {
        4 => first.parse().ok()?,
        2 => 2000 + first.parse::<u16>().ok()?,
        _ => return None,
    };
    let follows = match second.len() {
        4 => second.parse::<u16>().ok()? == start + 1,
        2 => second.parse::<u16>().ok()? == (start + 1) % 100,
        _ => false,
    };
    follows.then(|| FinancialYear::starting_in(start)).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year(text: &str) -> Option<u16> {
        from_text(text).map(|h| h.year.start_year())
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_read_as_a_heading_without_a_panic(text in ".{0,24}") {
            let _ = from_text(&text);
            let _ = looks_like_a_year(&text);
        }
    }

    #[test]
    fn every_form_of_a_year_heading_is_read() {
        for text in [
            "2025/26",
            "2025-26",
            "25/26",
            "2025/2026",
            "2025-2026",
            "FY 2025/26",
            "FY2025/26",
            "2025/26 £000",
            "2025 / 26",
            "2025–26",
            "F/Y 2025-26",
            "Forecast 2025/26",
            "2025/26 (£m)",
            "2025/26 Proposed",
            "2025",
        ] {
            assert_eq!(year(text), Some(2025), "{text}");
        }
    }

    #[test]
    fn a_heading_carries_its_unit_block_and_basis() {
        let h = from_text("2025/26 £000").expect("a year");
        assert_eq!(h.unit, Some(words::THOUSANDS));
        let h = from_text("Forecast 2026/27 £m").expect("a year");
        assert_eq!(h.block, Some(Block::Forecast));
        assert_eq!(h.unit, Some(words::MILLIONS));
        let h = from_text("Cumulative 2025/26").expect("a year");
        assert_eq!(h.basis, Some(Basis::Levels));
    }

    #[test]
    fn other_headings_are_not_years() {
        for text in [
            "2025/27",
            "2025-27",
            "Budget 2024/25",
            "Total 2025-28",
            "2025/26 to 2027/28",
            "Ref",
            "24/26",
            "2025/26 2026/27",
            "12345",
            "",
        ] {
            assert_eq!(year(text), None, "{text}");
        }
        assert!(looks_like_a_year("Budget 2024/25"));
        assert!(looks_like_a_year("2025/27"));
        assert!(!looks_like_a_year("Description"));
    }

    #[test]
    fn numbers_and_dates_are_years() {
        assert_eq!(
            heading(&Value::Number(2025.0)).map(|h| h.year.start_year()),
            Some(2025)
        );
        assert_eq!(heading(&Value::Number(2025.5)), None);
        assert_eq!(heading(&Value::Number(150.0)), None);
        let april = Date {
            year: 2025,
            month: 4,
            day: 1,
        };
        let march = Date {
            year: 2026,
            month: 3,
            day: 31,
        };
        assert_eq!(
            heading(&Value::Date(april)).map(|h| h.year.start_year()),
            Some(2025)
        );
        assert_eq!(
            heading(&Value::Date(march)).map(|h| h.year.start_year()),
            Some(2025)
        );
    }
}
