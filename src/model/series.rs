//! Money by financial year, as a scenario writes it: the years named, their figures, and the
//! basis that says what each figure means (docs/model.md section 7.2). Every consumer reads a
//! table through [`YearSeries::levels`] or [`YearSeries::increments`], so the rule that turns
//! "new each year" into "in force each year" lives here and nowhere else.

use std::collections::BTreeMap;

use super::{ArithmeticError, FinancialYear, Money};

/// One value per projected year (index 0 is the first year after the base year).
pub type Series = Vec<Money>;

/// What a by-year figure means.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Basis {
    /// What is new in that year; the amount in force is the running total over the projected
    /// years up to it (planned savings, the unidentified gap: "2016/17 = 15" adds 15 to what
    /// 2015/16 had). A year not named adds nothing.
    #[default]
    Increments,
    /// The amount in force in that year, measured from the base year ("cumulative" rows); a
    /// year not named holds the level of the year before, 0 before the first named year.
    Levels,
    /// An amount that counts in its own year only (one-off costs): neither a level nor an
    /// increment. A year not named has none.
    InYear,
}

/// Figures keyed by financial year, with their basis. Years after the horizon are dropped at
/// validation (docs/model.md section 7: they are ignored); a table may name the base year
/// (planned savings there are reported, not counted; a cost there is spent at t = 0).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct YearSeries {
    basis: Basis,
    named: BTreeMap<FinancialYear, Money>,
}

impl YearSeries {
    pub fn new(basis: Basis, named: BTreeMap<FinancialYear, Money>) -> Self {
        Self { basis, named }
    }

    /// What is new in each year named.
    pub fn increments_of(named: BTreeMap<FinancialYear, Money>) -> Self {
        Self::new(Basis::Increments, named)
    }

    /// Amounts each counting in its own year.
    pub fn in_year_of(named: BTreeMap<FinancialYear, Money>) -> Self {
        Self::new(Basis::InYear, named)
    }

    pub fn basis(&self) -> Basis {
        self.basis
    }

    /// The figure written for `year`, zero where none is.
    pub fn get(&self, year: FinancialYear) -> Money {
        self.named.get(&year).copied().unwrap_or(Money::ZERO)
    }

    pub fn contains(&self, year: FinancialYear) -> bool {
        self.named.contains_key(&year)
    }

    /// The years named and their figures, as written, in year order.
    pub fn iter(&self) -> impl Iterator<Item = (FinancialYear, Money)> + '_ {
        self.named.iter().map(|(y, m)| (*y, *m))
    }

    pub fn is_empty(&self) -> bool {
        self.named.is_empty()
    }

    /// The amount in force in each of `years` (the projected years, in order, starting the
    /// year after the base year): for increments the running total (`LP`, `LG`); for levels
    /// the level written or carried forward; for in-year amounts each year's own.
    pub fn levels(
        &self,
        years: impl IntoIterator<Item = FinancialYear>,
    ) -> Result<Series, ArithmeticError> {
        let mut level = Money::ZERO;
        years
            .into_iter()
            .map(|year| {
                match (self.basis, self.named.get(&year)) {
                    (Basis::Increments, Some(increment)) => {
                        level = level.checked_add(*increment)?
                    }
                    (Basis::Levels, Some(written)) => level = *written,
                    (Basis::InYear, written) => level = written.copied().unwrap_or(Money::ZERO),
                    (Basis::Increments | Basis::Levels, None) => {}
                }
                Ok(level)
            })
            .collect()
    }

    /// The increments a table states, year by year, for outputs that list them: the years an
    /// increments table names after the base year, with their figures; for levels, each
    /// projected year whose level differs from the year before, with the change.
    pub fn written_increments(
        &self,
        years: &[FinancialYear],
    ) -> Result<Vec<(FinancialYear, Money)>, ArithmeticError> {
        let first = years.first().copied();
        match self.basis {
            Basis::Levels => Ok(years
                .iter()
                .copied()
                .zip(self.increments(years.iter().copied())?)
                .filter(|(_, m)| !m.is_zero())
                .collect()),
            Basis::Increments | Basis::InYear => Ok(self
                .iter()
                .filter(|(y, _)| first.is_some_and(|f| *y >= f))
                .collect()),
        }
    }

    /// What is new in each of `years`: `level(y) - level(y-1)`, the level before the first
    /// of `years` being 0.
    pub fn increments(
        &self,
        years: impl IntoIterator<Item = FinancialYear>,
    ) -> Result<Series, ArithmeticError> {
        let mut previous = Money::ZERO;
        self.levels(years)?
            .into_iter()
            .map(|level| {
                let increment = level.checked_sub(previous);
                previous = level;
                increment
            })
            .collect()
    }
}

/// `values` (one per projected year, the first the year after the base year) moved `months`
/// later, as a slip or an optimism-bias delay moves a profile (docs/model.md section 9.2):
/// with `months = 12k + j`, `D'(y) = ((12 - j) x D(y - k) + j x D(y - k - 1)) / 12`, where `D`
/// of the base year and earlier is 0. Exact: the products are formed first and divided once.
pub fn shifted(values: &[Money], months: u32) -> Result<Series, ArithmeticError> {
    let whole_years = usize::try_from(months / 12).unwrap_or(usize::MAX);
    let j = months % 12;
    let at = |index: Option<usize>| {
        index
            .and_then(|i| values.get(i))
            .copied()
            .unwrap_or(Money::ZERO)
    };
    if j == 0 {
        // Whole years: the amounts move as written, with no arithmetic to fail on a figure
        // of 28 decimal places.
        return Ok((0..values.len())
            .map(|y| at(y.checked_sub(whole_years)))
            .collect());
    }
    (0..values.len())
        .map(|y| {
            let later = at(y.checked_sub(whole_years));
            let earlier = at(y.checked_sub(whole_years).and_then(|i| i.checked_sub(1)));
            later
                .times_decimal(rust_decimal::Decimal::from(12 - j))?
                .checked_add(earlier.times_decimal(rust_decimal::Decimal::from(j))?)?
                .divided_by(12)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    fn year(text: &str) -> FinancialYear {
        FinancialYear::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn money(text: &str) -> Money {
        Money::new(text.parse().unwrap_or_else(|e| panic!("{e}")))
    }

    fn series(basis: Basis, named: &[(&str, &str)]) -> YearSeries {
        YearSeries::new(
            basis,
            named.iter().map(|(y, m)| (year(y), money(m))).collect(),
        )
    }

    fn years() -> Vec<FinancialYear> {
        ["2015/16", "2016/17", "2017/18", "2018/19"]
            .into_iter()
            .map(year)
            .collect()
    }

    fn amounts(values: &[Money]) -> Vec<String> {
        values.iter().map(|m| m.amount().to_string()).collect()
    }

    #[test]
    fn increments_add_up_to_levels_and_back() -> TestResult {
        // The base year's figure is reported, not counted: levels start from the first
        // projected year.
        let planned = series(
            Basis::Increments,
            &[("2014/15", "9"), ("2015/16", "10"), ("2017/18", "-2.5")],
        );
        assert_eq!(
            amounts(&planned.levels(years())?),
            ["10", "10", "7.5", "7.5"]
        );
        assert_eq!(
            amounts(&planned.increments(years())?),
            ["10", "0", "-2.5", "0"]
        );
        Ok(())
    }

    #[test]
    fn levels_carry_forward_to_years_not_named() -> TestResult {
        let saving = series(Basis::Levels, &[("2016/17", "50"), ("2018/19", "61")]);
        assert_eq!(amounts(&saving.levels(years())?), ["0", "50", "50", "61"]);
        assert_eq!(
            amounts(&saving.increments(years())?),
            ["0", "50", "0", "11"]
        );
        Ok(())
    }

    #[test]
    fn in_year_amounts_count_in_their_own_year_only() -> TestResult {
        let cost = series(Basis::InYear, &[("2014/15", "1"), ("2016/17", "3")]);
        assert_eq!(amounts(&cost.levels(years())?), ["0", "3", "0", "0"]);
        assert_eq!(cost.get(year("2014/15")), money("1"));
        Ok(())
    }

    #[test]
    fn a_profile_moves_later_by_whole_and_part_years() -> TestResult {
        let profile: Vec<Money> = ["1", "2", "2", "4"].into_iter().map(money).collect();
        assert_eq!(amounts(&shifted(&profile, 0)?), ["1", "2", "2", "4"]);
        assert_eq!(amounts(&shifted(&profile, 12)?), ["0", "1", "2", "2"]);
        // Three months: a quarter of each year falls in the next.
        assert_eq!(
            amounts(&shifted(&profile, 3)?),
            ["0.75", "1.75", "2", "3.5"]
        );
        // Fifteen months: one year and a quarter.
        assert_eq!(amounts(&shifted(&profile, 15)?), ["0", "0.75", "1.75", "2"]);
        // Whole years move every figure as written, whatever its precision (x 12 / 12 of
        // a figure with 29 significant digits cannot be held).
        let precise: Vec<Money> = ["1.2345678901234567890123456789"]
            .into_iter()
            .map(money)
            .collect();
        assert_eq!(
            amounts(&shifted(&precise, 0)?),
            ["1.2345678901234567890123456789"]
        );
        assert_eq!(amounts(&shifted(&precise, 12)?), ["0"]);
        // Four months: thirds, carried exactly (1 x 8/12 + 0 = 2/3).
        let third = shifted(&profile, 4)?;
        assert!(!third[0].terminates());
        assert_eq!(
            third[0].checked_add(third[0])?.checked_add(third[0])?,
            money("2")
        );
        Ok(())
    }

    #[test]
    fn a_running_total_that_overflows_is_an_error() {
        let max = Money::new(rust_decimal::Decimal::MAX);
        let huge = YearSeries::increments_of(
            [(year("2015/16"), max), (year("2016/17"), max)]
                .into_iter()
                .collect(),
        );
        assert!(huge.levels(years()).is_err());
    }
}
