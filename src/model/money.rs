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

/// Money as tables, Markdown and HTML show it: [`rounded`], with commas between thousands
/// (`1,250,000,000.0`). CSV and JSON print [`plain`] figures, without separators.
pub fn grouped(value: Decimal, dp: u32) -> String {
    group_thousands(&rounded(value, dp))
}

/// A decimal written out (`-1250000.5`), with commas between the thousands of its whole
/// part (`-1,250,000.5`). Anything else (`none`, `18 months`) is returned as it is.
pub fn group_thousands(text: &str) -> String {
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (whole, fraction) = digits.split_at(digits.find('.').unwrap_or(digits.len()));
    let is_decimal = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().skip(1).all(|b| b.is_ascii_digit());
    if !is_decimal {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + whole.len() / 3);
    out.push_str(sign);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out.push_str(fraction);
    out
}

/// A sum of money in the scenario's unit (£m unless it says otherwise).
///
/// A figure is *exact* when every step that made it was exact: the figures of a scenario
/// are, and so are sums, differences and products of exact figures, and quotients that
/// terminate. Arithmetic on exact figures stays exact or fails with
/// [`ArithmeticError::Inexact`]; it never rounds silently (DOMAIN.md section 4). A quotient
/// that does not terminate (10/12) keeps rust_decimal's full precision, and so does anything
/// computed from it. Equality and order compare amounts only.
#[derive(Clone, Copy, Debug)]
pub struct Money {
    amount: Decimal,
    exact: bool,
}

impl Money {
    pub const ZERO: Money = Money {
        amount: Decimal::ZERO,
        exact: true,
    };

    /// An exact amount, normalised (no trailing zeros) so equal amounts print alike.
    pub fn new(amount: Decimal) -> Self {
        Self {
            amount: amount.normalize(),
            exact: true,
        }
    }

    /// An amount that carries a non-terminating quotient, rounded to rust_decimal's
    /// precision.
    pub fn rounded(amount: Decimal) -> Self {
        Self {
            amount: amount.normalize(),
            exact: false,
        }
    }

    fn with_exactness(amount: Decimal, exact: bool) -> Self {
        if exact {
            Self::new(amount)
        } else {
            Self::rounded(amount)
        }
    }

    pub fn amount(self) -> Decimal {
        self.amount
    }

    /// Whether the amount is exact (see the type's documentation).
    pub fn is_exact(self) -> bool {
        self.exact
    }

    pub fn is_zero(self) -> bool {
        self.amount.is_zero()
    }

    pub fn checked_add(self, other: Money) -> Result<Money, ArithmeticError> {
        if self.exact && other.exact {
            exact_add(self.amount, other.amount).map(Money::new)
        } else {
            add(self.amount, other.amount).map(Money::rounded)
        }
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, ArithmeticError> {
        self.checked_add(Money::with_exactness(-other.amount, other.exact))
    }

    /// `self + other`, exact where the sum can be held exactly and rounded to full precision
    /// where it cannot. Only for working figures that are never reported themselves (the
    /// cumulative net saving behind the payback year, the terms of a discounted sum), where
    /// refusing a scenario over a 29th digit would help nobody.
    pub fn add_to_full_precision(self, other: Money) -> Result<Money, ArithmeticError> {
        match self.checked_add(other) {
            Err(ArithmeticError::Inexact) => add(self.amount, other.amount).map(Money::rounded),
            result => result,
        }
    }

    /// `self - other`, as [`Money::add_to_full_precision`].
    pub fn sub_to_full_precision(self, other: Money) -> Result<Money, ArithmeticError> {
        self.add_to_full_precision(Money::with_exactness(-other.amount, other.exact))
    }

    /// This amount times a share.
    pub fn times(self, share: Share) -> Result<Money, ArithmeticError> {
        self.times_decimal(share.0)
    }

    /// This amount times an exact factor.
    pub fn times_decimal(self, factor: Decimal) -> Result<Money, ArithmeticError> {
        if self.exact {
            exact_mul(self.amount, factor).map(Money::new)
        } else {
            self.amount
                .checked_mul(factor)
                .map(Money::rounded)
                .ok_or(ArithmeticError::Overflow)
        }
    }

    /// This amount divided by a whole number. A quotient of an exact amount that terminates
    /// must be held exactly, or it is an error; one that does not terminate keeps full
    /// precision.
    pub fn divided_by(self, divisor: u64) -> Result<Money, ArithmeticError> {
        let divisor_decimal = Decimal::from(divisor);
        let quotient = div(self.amount, divisor_decimal)?;
        if !self.exact || !terminates(self.amount, divisor) {
            return Ok(Money::rounded(quotient));
        }
        match exact_mul(quotient, divisor_decimal) {
            Ok(back) if back == self.amount => Ok(Money::new(quotient)),
            _ => Err(ArithmeticError::Inexact),
        }
    }

    /// Sum, as [`Money::add_to_full_precision`]: for context figures only.
    pub fn total_to_full_precision<I: IntoIterator<Item = Money>>(
        values: I,
    ) -> Result<Money, ArithmeticError> {
        values
            .into_iter()
            .try_fold(Money::ZERO, |acc, m| acc.add_to_full_precision(m))
    }

    /// Checked sum.
    pub fn total<I: IntoIterator<Item = Money>>(values: I) -> Result<Money, ArithmeticError> {
        values
            .into_iter()
            .try_fold(Money::ZERO, |acc, m| acc.checked_add(m))
    }
}

impl Default for Money {
    fn default() -> Self {
        Money::ZERO
    }
}

impl PartialEq for Money {
    fn eq(&self, other: &Self) -> bool {
        self.amount == other.amount
    }
}

impl Eq for Money {}

impl PartialOrd for Money {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Money {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.amount.cmp(&other.amount)
    }
}

impl std::hash::Hash for Money {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.amount.hash(state);
    }
}

/// Whether `value / divisor` has a terminating decimal expansion: once the fraction is in
/// lowest terms, the divisor has no prime factor but 2 and 5.
fn terminates(value: Decimal, divisor: u64) -> bool {
    if divisor == 0 {
        return false;
    }
    let divisor = i128::from(divisor);
    let mut remaining = divisor / gcd(value.mantissa().rem_euclid(divisor), divisor);
    for factor in [2, 5] {
        while remaining % factor == 0 {
            remaining /= factor;
        }
    }
    remaining == 1
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.abs().max(1)
}

/// `a + b`, exactly, or an error: rust_decimal would otherwise round a sum that needs more
/// than 28 decimal places or 29 significant digits.
pub fn exact_add(a: Decimal, b: Decimal) -> Result<Decimal, ArithmeticError> {
    let (a, b) = (a.normalize(), b.normalize());
    let scale = a.scale().max(b.scale());
    // Align both mantissas to the larger scale; past i128 the sum has over 38 digits and no
    // decimal could hold it.
    let align = |d: Decimal| -> Result<i128, ArithmeticError> {
        let shift = scale - d.scale();
        10i128
            .checked_pow(shift)
            .and_then(|p| d.mantissa().checked_mul(p))
            .ok_or(ArithmeticError::Inexact)
    };
    let mut mantissa = align(a)?
        .checked_add(align(b)?)
        .ok_or(ArithmeticError::Inexact)?;
    let mut scale = scale;
    while scale > 0 && mantissa % 10 == 0 {
        mantissa /= 10;
        scale -= 1;
    }
    Decimal::try_from_i128_with_scale(mantissa, scale).map_err(|_| {
        if scale == 0 {
            ArithmeticError::Overflow
        } else {
            ArithmeticError::Inexact
        }
    })
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&plain(self.amount))
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
    fn exact_sums_stay_exact_or_fail() -> TestResult {
        assert_eq!(exact_add(d("0.1"), d("0.2"))?, d("0.3"));
        assert_eq!(exact_add(d("10"), d("-10"))?, d("0"));
        assert_eq!(
            exact_add(d("10"), d("0.0000000000000000000000000001")),
            Err(ArithmeticError::Inexact)
        );
        let exact =
            Money::new(d("10")).checked_add(Money::new(d("0.0000000000000000000000000001")));
        assert_eq!(exact, Err(ArithmeticError::Inexact));
        // A non-terminating figure may round.
        let third = Money::new(d("1")).divided_by(3)?;
        assert!(!third.is_exact());
        let sum = third.checked_add(Money::new(d("70.6")))?;
        assert!(!sum.is_exact());
        Ok(())
    }

    #[test]
    fn quotients_that_terminate_must_fit() -> TestResult {
        let q = Money::new(d("2.4")).divided_by(12)?;
        assert_eq!(q.amount(), d("0.2"));
        assert!(q.is_exact());
        assert!(!Money::new(d("10")).divided_by(12)?.is_exact());
        // 930785.1363365916768088936805 x 3 / 12 terminates (24 places, 30 digits): no fit.
        let numerator = Money::new(d("930785.1363365916768088936805")).times_decimal(d("3"))?;
        assert_eq!(numerator.divided_by(12), Err(ArithmeticError::Inexact));
        assert!(terminates(d("3"), 12));
        assert!(!terminates(d("1"), 12));
        assert!(terminates(d("0.75"), 1200));
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
    fn money_for_display_has_thousands_separators() -> TestResult {
        assert_eq!(grouped(d("1250000000"), 1), "1,250,000,000.0");
        assert_eq!(grouped(d("-1234567.891"), 2), "-1,234,567.89");
        assert_eq!(grouped(d("999.95"), 1), "1,000.0");
        assert_eq!(grouped(d("100"), 0), "100");
        assert_eq!(grouped(d("-0.04"), 1), "0.0");
        assert_eq!(group_thousands("1000000000000"), "1,000,000,000,000");
        assert_eq!(group_thousands("12345.678901"), "12,345.678901");
        for text in ["none", "18 months", "", "-", "1e5", "12a"] {
            assert_eq!(group_thousands(text), text);
        }
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
