//! Financial years (1 April to 31 March, written `2015/16`) and go-live dates.

use std::fmt;

/// The earliest year a scenario may name: nothing before it is a plausible budget year.
pub const EARLIEST_YEAR: u16 = 1900;
/// The latest year a scenario may name (a base year up to 2399 plus a 100-year horizon).
pub const LATEST_YEAR: u16 = 2499;

/// Text as a message quotes it: in quotes, escaped, and cut short if long.
fn quoted(text: &str) -> String {
    const MAX_CHARS: usize = 40;
    let cut: String = text.chars().take(MAX_CHARS).collect();
    if cut.len() < text.len() {
        format!("{cut:?}...")
    } else {
        format!("{text:?}")
    }
}

/// The financial year starting in `start_year` as every message names it: in quotes, as a
/// scenario writes it (`"2015/16"`), whether the scenario wrote it as a key
/// (`planned = { "2015/16" = 1 }`) or a value (`base_year = "2014/15"`), or the message names
/// a limit or a range of years; so that what a message names can be found in the file and
/// copied back into it. In a field path a year key is quoted the same way
/// (`planned."2015/16"`; see `scenario::locate::path_key`). Tables, CSV, JSON and reports
/// print years bare, as labels (`Display`: `2015/16`).
pub fn quoted_year(start_year: u16) -> String {
    format!("\"{start_year}/{:02}\"", (start_year + 1) % 100)
}

/// A financial year, stored as the calendar year in which it starts (`2015/16` is 2015).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FinancialYear(u16);

impl FinancialYear {
    /// The financial year starting on 1 April of `year`, if it lies in the supported range.
    pub fn starting_in(year: u16) -> Option<Self> {
        (EARLIEST_YEAR..=LATEST_YEAR)
            .contains(&year)
            .then_some(Self(year))
    }

    /// The year as messages name it, `"2015/16"` (see [`quoted_year`]).
    pub fn quoted(self) -> String {
        quoted_year(self.0)
    }

    /// The calendar year in which this financial year starts.
    pub fn start_year(self) -> u16 {
        self.0
    }

    /// The year `n` years later, if it lies in the supported range.
    pub fn plus(self, n: u16) -> Option<Self> {
        self.0.checked_add(n).and_then(Self::starting_in)
    }

    /// The `count` years after this one. Validation keeps scenarios inside the supported
    /// range, so the saturation never shows.
    pub fn following(self, count: u16) -> impl ExactSizeIterator<Item = FinancialYear> {
        (1..=count).map(move |t| FinancialYear(self.0.saturating_add(t).min(LATEST_YEAR)))
    }

    /// How many years after `earlier` this year is (negative if it is before).
    pub fn years_after(self, earlier: Self) -> i32 {
        i32::from(self.0) - i32::from(earlier.0)
    }

    /// Reads `2015/16`. Anything else (`2015/17`, `15/16`, `2015-16`) is refused with the form
    /// that would be valid.
    pub fn parse(text: &str) -> Result<Self, String> {
        let invalid = || {
            format!(
                "expected a financial year written like \"2015/16\" (four digits, a slash, \
                 then the last two digits of the next year), found {}",
                quoted(text)
            )
        };
        let (first, second) = text.split_once('/').ok_or_else(invalid)?;
        if first.len() != 4
            || second.len() != 2
            || !first.bytes().all(|b| b.is_ascii_digit())
            || !second.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(invalid());
        }
        let start: u16 = first.parse().map_err(|_| invalid())?;
        let end: u16 = second.parse().map_err(|_| invalid())?;
        if (start + 1) % 100 != end {
            return Err(format!(
                "{} is not a financial year: the year starting in April {start} is written {}",
                quoted(text),
                quoted_year(start)
            ));
        }
        Self::starting_in(start).ok_or_else(|| {
            format!(
                "{} is outside the years this tool models ({} to {})",
                quoted(text),
                quoted_year(EARLIEST_YEAR),
                quoted_year(LATEST_YEAR)
            )
        })
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{:02}", self.0, (self.0 + 1) % 100)
    }
}

/// When an option goes live: the start of a financial year (`"2016/17"`, meaning 1 April) or
/// the first day of a calendar month (`"2015-10"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GoLive {
    year: FinancialYear,
    /// Months from April: 0 for April, 11 for March.
    month_index: u8,
    /// Whether the scenario wrote a month rather than a year, so it is shown as written.
    written_as_month: bool,
}

impl GoLive {
    /// Go-live on 1 April of `year`.
    pub fn year_start(year: FinancialYear) -> Self {
        Self {
            year,
            month_index: 0,
            written_as_month: false,
        }
    }

    /// Go-live in calendar `month` (1 to 12) of calendar year `calendar_year`.
    pub fn month(calendar_year: u16, month: u8) -> Option<Self> {
        if !(1..=12).contains(&month) {
            return None;
        }
        let fy_start = if month >= 4 {
            calendar_year
        } else {
            calendar_year.checked_sub(1)?
        };
        Some(Self {
            year: FinancialYear::starting_in(fy_start)?,
            month_index: (month + 8) % 12,
            written_as_month: true,
        })
    }

    /// Reads `"2016/17"` or `"2015-10"`.
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.contains('/') {
            return FinancialYear::parse(text).map(Self::year_start);
        }
        let invalid = || {
            format!(
                "expected a go-live month like \"2015-10\" or a financial year like \"2015/16\", \
                 found {}",
                quoted(text)
            )
        };
        let (year, month) = text.split_once('-').ok_or_else(invalid)?;
        if year.len() != 4
            || month.len() != 2
            || !year.bytes().all(|b| b.is_ascii_digit())
            || !month.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(invalid());
        }
        let year: u16 = year.parse().map_err(|_| invalid())?;
        let month: u8 = month.parse().map_err(|_| invalid())?;
        if !(1..=12).contains(&month) {
            return Err(format!(
                "{} has month {month:02}; months run from 01 to 12",
                quoted(text)
            ));
        }
        Self::month(year, month).ok_or_else(|| {
            format!(
                "{} is outside the years this tool models ({} to {})",
                quoted(text),
                quoted_year(EARLIEST_YEAR),
                quoted_year(LATEST_YEAR)
            )
        })
    }

    /// The financial year in which the option goes live.
    pub fn financial_year(self) -> FinancialYear {
        self.year
    }

    /// Months of the go-live year from go-live to 31 March: 12 for April, 6 for October, 1
    /// for March. The part-year factor is this over 12 (docs/model.md section 4).
    pub fn months_in_first_year(self) -> u8 {
        12 - self.month_index
    }

    /// The go-live moved `months` later (slippage, optimism-bias delay).
    pub fn delayed_by(self, months: u32) -> Option<Self> {
        let total = u32::from(self.month_index).checked_add(months)?;
        let years = u16::try_from(total / 12).ok()?;
        Some(Self {
            year: self.year.plus(years)?,
            month_index: u8::try_from(total % 12).ok()?,
            written_as_month: self.written_as_month || total % 12 != 0,
        })
    }
}

impl fmt::Display for GoLive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.written_as_month {
            let month = (self.month_index + 3) % 12 + 1;
            let calendar_year = if month >= 4 {
                self.year.start_year()
            } else {
                self.year.start_year() + 1
            };
            write!(f, "{calendar_year}-{month:02}")
        } else {
            write!(f, "{}", self.year)
        }
    }
}

#[cfg(test)]
mod tests {
    type TestResult = Result<(), Box<dyn std::error::Error>>;

    use super::*;

    #[test]
    fn financial_years_read_and_print_as_written() -> TestResult {
        let y = FinancialYear::parse("2015/16")?;
        assert_eq!(y.start_year(), 2015);
        assert_eq!(y.to_string(), "2015/16");
        assert_eq!(FinancialYear::parse("1999/00")?.to_string(), "1999/00");
        // Messages name a year in quotes, as a scenario writes it.
        assert_eq!(y.quoted(), "\"2015/16\"");
        assert_eq!(quoted_year(LATEST_YEAR), "\"2499/00\"");
        assert_eq!(
            FinancialYear::parse("2015/17").err().as_deref(),
            Some(
                "\"2015/17\" is not a financial year: the year starting in April 2015 is written \"2015/16\""
            )
        );
        Ok(())
    }

    #[test]
    fn malformed_years_are_refused() -> TestResult {
        for bad in [
            "2015/17", "15/16", "2015-16", "2015/6", "x015/16", "2015/16 ", "",
        ] {
            assert!(FinancialYear::parse(bad).is_err(), "{bad}");
        }
        assert!(FinancialYear::parse("1899/00").is_err());
        Ok(())
    }

    #[test]
    fn go_live_months_fall_in_the_right_financial_year() -> TestResult {
        let oct = GoLive::parse("2015-10")?;
        assert_eq!(oct.financial_year().to_string(), "2015/16");
        assert_eq!(oct.months_in_first_year(), 6);
        let march = GoLive::parse("2016-03")?;
        assert_eq!(march.financial_year().to_string(), "2015/16");
        assert_eq!(march.months_in_first_year(), 1);
        let april = GoLive::parse("2016/17")?;
        assert_eq!(april.months_in_first_year(), 12);
        assert_eq!(april.to_string(), "2016/17");
        assert_eq!(oct.to_string(), "2015-10");
        assert_eq!(march.to_string(), "2016-03");
        assert!(GoLive::parse("2015-13").is_err());
        assert!(GoLive::parse("2015-00").is_err());
        assert!(GoLive::parse("2015-1").is_err());
        Ok(())
    }

    #[test]
    fn delay_moves_across_year_ends() -> TestResult {
        let oct = GoLive::parse("2015-10")?;
        assert_eq!(oct.delayed_by(6).ok_or("no date")?.to_string(), "2016-04");
        assert_eq!(oct.delayed_by(5).ok_or("no date")?.to_string(), "2016-03");
        assert_eq!(oct.delayed_by(12).ok_or("no date")?.to_string(), "2016-10");
        assert_eq!(oct.delayed_by(u32::MAX), None);
        Ok(())
    }
}
