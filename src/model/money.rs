//! Exact amounts and fractions: money in the scenario's unit, shares in 0..=1, the discount
//! rate, and the low/central/high triple every saving comes in.
//!
//! Everything here is `rust_decimal::Decimal`, never binary floating point (DOMAIN.md
//! section 3). Arithmetic is checked: an overflow, or a product that cannot be held exactly,
//! is an [`ArithmeticError`], never a panic and never a silent rounding.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};

/// Why a computation could not produce an exact figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithmeticError {
    /// The result is larger than a decimal can hold (about 7.9e28).
    Overflow,
    /// The exact result needs more than 28 decimal places or 29 significant digits.
    Inexact,
}

impl fmt::Display for ArithmeticError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Overflow => f.write_str("the result is too large to hold (above 7.9e28)"),
            Self::Inexact => f.write_str(
                "the exact result needs more than 28 decimal places or 29 significant digits",
            ),
        }
    }
}

impl std::error::Error for ArithmeticError {}

/// `a x b`, exactly, or an error: rust_decimal would otherwise round a product that needs
/// more than 28 decimal places. (DOMAIN.md section 4: a value whose inputs terminate must
/// come out exact.)
pub fn exact_mul(a: Decimal, b: Decimal) -> Result<Decimal, ArithmeticError> {
    let (a, b) = (a.normalize(), b.normalize());
    if a.is_zero() || b.is_zero() {
        return Ok(Decimal::ZERO);
    }
    // Both mantissas fit in 96 bits; their product fits in i128 unless it has over 38
    // digits, which no decimal could hold exactly anyway.
    let mut mantissa = a
        .mantissa()
        .checked_mul(b.mantissa())
        .ok_or(ArithmeticError::Inexact)?;
    let mut scale = a.scale() + b.scale();
    while scale > 0 && mantissa % 10 == 0 {
        mantissa /= 10;
        scale -= 1;
    }
    if scale > Decimal::MAX_SCALE {
        return Err(ArithmeticError::Inexact);
    }
    Decimal::try_from_i128_with_scale(mantissa, scale).map_err(|_| {
        if scale == 0 {
            ArithmeticError::Overflow
        } else {
            ArithmeticError::Inexact
        }
    })
}

/// Checked decimal addition.
pub fn add(a: Decimal, b: Decimal) -> Result<Decimal, ArithmeticError> {
    a.checked_add(b).ok_or(ArithmeticError::Overflow)
}

/// Checked decimal subtraction.
pub fn sub(a: Decimal, b: Decimal) -> Result<Decimal, ArithmeticError> {
    a.checked_sub(b).ok_or(ArithmeticError::Overflow)
}

/// Checked decimal division; non-terminating quotients keep rust_decimal's full precision.
pub fn div(a: Decimal, b: Decimal) -> Result<Decimal, ArithmeticError> {
    a.checked_div(b).ok_or(ArithmeticError::Overflow)
}

/// Checked sum of decimals.
pub fn sum<I: IntoIterator<Item = Decimal>>(values: I) -> Result<Decimal, ArithmeticError> {
    values.into_iter().try_fold(Decimal::ZERO, add)
}

/// The decimal as the output contract prints it: exact, no exponent, no trailing zeros,
/// no negative zero (`2.5`, `10`, `0`, `-1`).
pub fn plain(value: Decimal) -> String {
    value.normalize().to_string()
}

/// The decimal rounded half away from zero to `dp` places and printed with exactly `dp`
/// places, for display only (DOMAIN.md section 3). A value that rounds to zero prints
/// without a sign.
pub fn rounded(value: Decimal, dp: u32) -> String {
    let mut r = value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    if r.is_zero() {
        r = Decimal::ZERO;
    }
    r.rescale(dp);
    r.to_string()
}

/// A sum of money in the scenario's unit (£m unless it says otherwise).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(Decimal);

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// The amount, normalised (no trailing zeros), so equal amounts print alike.
    pub fn new(amount: Decimal) -> Self {
        Self(amount.normalize())
    }

    pub fn amount(self) -> Decimal {
        self.0
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    pub fn checked_add(self, other: Money) -> Result<Money, ArithmeticError> {
        add(self.0, other.0).map(Money::new)
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, ArithmeticError> {
        sub(self.0, other.0).map(Money::new)
    }

    /// This amount times a share, exactly.
    pub fn times(self, share: Share) -> Result<Money, ArithmeticError> {
        exact_mul(self.0, share.0).map(Money::new)
    }

    /// Checked sum.
    pub fn total<I: IntoIterator<Item = Money>>(values: I) -> Result<Money, ArithmeticError> {
        values
            .into_iter()
            .try_fold(Money::ZERO, |acc, m| acc.checked_add(m))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&plain(self.0))
    }
}

/// A fraction from 0 to 1 inclusive: the overlap `w`, a ramp step, a share of net budget,
/// a probability.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Share(Decimal);

impl Share {
    pub const ZERO: Share = Share(Decimal::ZERO);
    pub const ONE: Share = Share(Decimal::ONE);

    /// The share, if `value` lies in 0..=1.
    pub fn new(value: Decimal) -> Option<Self> {
        (Decimal::ZERO..=Decimal::ONE)
            .contains(&value)
            .then(|| Self(value.normalize()))
    }

    pub fn value(self) -> Decimal {
        self.0
    }
}

impl fmt::Display for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&plain(self.0))
    }
}

/// The real discount rate `r` for net present value: 0 up to, not including, 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DiscountRate(Decimal);

impl DiscountRate {
    /// HM Treasury Green Book: 3.5% real for years 0 to 30.
    pub const GREEN_BOOK: DiscountRate = DiscountRate(Decimal::from_parts(35, 0, 0, false, 3));

    pub fn new(value: Decimal) -> Option<Self> {
        (value >= Decimal::ZERO && value < Decimal::ONE).then(|| Self(value.normalize()))
    }

    pub fn value(self) -> Decimal {
        self.0
    }
}

impl fmt::Display for DiscountRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&plain(self.0))
    }
}

/// Which of the three deterministic cases a figure belongs to (DOMAIN.md section 5: low and
/// high put every option at its low or high saving; they are bounds, not percentiles).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Case {
    Low,
    Central,
    High,
}

impl Case {
    pub const ALL: [Case; 3] = [Case::Low, Case::Central, Case::High];

    pub fn name(self) -> &'static str {
        match self {
            Case::Low => "low",
            Case::Central => "central",
            Case::High => "high",
        }
    }
}

impl fmt::Display for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One value for each of the low, central and high cases.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cases<T> {
    pub low: T,
    pub central: T,
    pub high: T,
}

impl<T> Cases<T> {
    /// The same value in every case.
    pub fn all(value: T) -> Self
    where
        T: Clone,
    {
        Self {
            low: value.clone(),
            central: value.clone(),
            high: value,
        }
    }

    pub fn get(&self, case: Case) -> &T {
        match case {
            Case::Low => &self.low,
            Case::Central => &self.central,
            Case::High => &self.high,
        }
    }

    pub fn map<U>(&self, mut f: impl FnMut(Case, &T) -> U) -> Cases<U> {
        Cases {
            low: f(Case::Low, &self.low),
            central: f(Case::Central, &self.central),
            high: f(Case::High, &self.high),
        }
    }

    pub fn try_map<U, E>(
        &self,
        mut f: impl FnMut(Case, &T) -> Result<U, E>,
    ) -> Result<Cases<U>, E> {
        Ok(Cases {
            low: f(Case::Low, &self.low)?,
            central: f(Case::Central, &self.central)?,
            high: f(Case::High, &self.high)?,
        })
    }

    /// The cases in order low, central, high.
    pub fn iter(&self) -> impl Iterator<Item = (Case, &T)> {
        Case::ALL
            .into_iter()
            .map(move |case| (case, self.get(case)))
    }
}

#[cfg(test)]
mod tests {
    type TestResult = Result<(), Box<dyn std::error::Error>>;

    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap_or_else(|e| panic!("test figure {s}: {e}"))
    }

    #[test]
    fn exact_products_come_out_exact() -> TestResult {
        assert_eq!(exact_mul(d("2.4"), d("0.5"))?, d("1.2"));
        assert_eq!(
            exact_mul(d("0.1234567890123456789012345678"), d("0.5"))?,
            d("0.0617283945061728394506172839")
        );
        assert_eq!(
            exact_mul(d("0"), d("79228162514264337593543950335"))?,
            d("0")
        );
        Ok(())
    }

    #[test]
    fn products_that_cannot_be_held_are_errors_not_roundings() -> TestResult {
        assert_eq!(
            exact_mul(d("0.1234567890123456789012345678"), d("0.33")),
            Err(ArithmeticError::Inexact)
        );
        assert_eq!(
            exact_mul(d("79228162514264337593543950335"), d("2")),
            Err(ArithmeticError::Overflow)
        );
        Ok(())
    }

    #[test]
    fn plain_printing_follows_the_output_contract() -> TestResult {
        assert_eq!(plain(d("2.50")), "2.5");
        assert_eq!(plain(d("10.000")), "10");
        assert_eq!(plain(d("-0.00")), "0");
        assert_eq!(plain(d("-1")), "-1");
        assert_eq!(plain(d("0.0000001")), "0.0000001");
        Ok(())
    }

    #[test]
    fn display_rounding_is_half_away_from_zero() -> TestResult {
        assert_eq!(rounded(d("1.05"), 1), "1.1");
        assert_eq!(rounded(d("-1.05"), 1), "-1.1");
        assert_eq!(rounded(d("1.04999"), 1), "1.0");
        assert_eq!(rounded(d("-0.04"), 1), "0.0");
        assert_eq!(rounded(d("7"), 2), "7.00");
        assert_eq!(rounded(d("2.5"), 0), "3");
        Ok(())
    }

    #[test]
    fn shares_and_rates_stay_in_range() -> TestResult {
        assert!(Share::new(d("1")).is_some());
        assert!(Share::new(d("1.0001")).is_none());
        assert!(Share::new(d("-0.1")).is_none());
        assert!(DiscountRate::new(d("0.999")).is_some());
        assert!(DiscountRate::new(d("1")).is_none());
        assert_eq!(DiscountRate::GREEN_BOOK.value(), d("0.035"));
        Ok(())
    }
}
