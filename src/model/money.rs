//! Exact amounts and fractions: money in the scenario's unit, shares in 0..=1, the discount
//! rate, and the low/central/high triple every saving comes in.
//!
//! Everything here is `rust_decimal::Decimal`, never binary floating point (docs/model.md
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
/// more than 28 decimal places. (docs/model.md section 4: a value whose inputs terminate must
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

/// Appends `value` to `out` as [`plain`] prints it, digit by digit, for writers of many
/// rows (the long-form CSV), where formatting through `Display` costs more than the work.
pub fn push_plain(out: &mut String, value: Decimal) {
    let value = value.normalize();
    let mantissa = value.mantissa();
    if mantissa == 0 {
        out.push('0');
        return;
    }
    if mantissa < 0 {
        out.push('-');
    }
    let mut digits = [0u8; 40];
    let mut len = 0;
    let mut rest = mantissa.unsigned_abs();
    // 64-bit division where the rest fits, 128-bit only above it.
    while rest > u128::from(u64::MAX) {
        digits[len] = b'0' + (rest % 10) as u8;
        rest /= 10;
        len += 1;
    }
    let mut small = rest as u64;
    while small > 0 {
        digits[len] = b'0' + (small % 10) as u8;
        small /= 10;
        len += 1;
    }
    let scale = value.scale() as usize;
    let digit = |i: usize| char::from(digits[i]);
    if scale >= len {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', scale - len));
        out.extend((0..len).rev().map(digit));
    } else {
        out.extend((scale..len).rev().map(digit));
        if scale > 0 {
            out.push('.');
            out.extend((0..scale).rev().map(digit));
        }
    }
}

/// The decimal rounded half away from zero to `dp` places and printed with exactly `dp`
/// places, for display only (docs/model.md section 3). A value that rounds to zero prints
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

/// A sum of money in the scenario's unit (£m unless it says otherwise), held exactly.
///
/// A figure is a fraction `numerator / denominator`: the numerator an exact decimal, the
/// denominator a whole number with no factor 2 or 5 (those are folded into the decimal) and
/// none in common with the numerator. A figure that terminates (every figure a scenario
/// writes, and their sums, differences and products) has denominator 1; one that does not
/// (10/12 = 5/6) keeps its denominator, so three savings of 4/12 add up to exactly 1 and
/// every decision (closed, meets plan, payback, switching values, goal seek) is taken on the
/// exact value (docs/model.md section 4). Only printing rounds, to 28 places ([`Money::amount`]).
///
/// Arithmetic on figures that terminate stays exact or fails with
/// [`ArithmeticError::Inexact`]; it never rounds silently. Two kinds of figure are rounded to
/// rust_decimal's 28 digits instead, and say so through [`Money::is_exact`]: a discounted sum
/// (NPV, which rarely terminates and whose denominator grows with the horizon), and, as a last
/// resort, a fraction whose numerator or denominator has outgrown what can be held (a sum of
/// many savings over ramps of pairwise coprime lengths). Equality and order compare values.
#[derive(Clone, Copy, Debug)]
pub struct Money {
    numerator: Decimal,
    denominator: u64,
    exact: bool,
}

impl Money {
    pub const ZERO: Money = Money {
        numerator: Decimal::ZERO,
        denominator: 1,
        exact: true,
    };

    /// An exact amount, normalised (no trailing zeros) so equal amounts print alike.
    pub fn new(amount: Decimal) -> Self {
        Self {
            numerator: amount.normalize(),
            denominator: 1,
            exact: true,
        }
    }

    /// An amount rounded to rust_decimal's precision (a discounted sum, or a sampled
    /// statistic), which no decision may treat as exact.
    pub fn rounded(amount: Decimal) -> Self {
        Self {
            numerator: amount.normalize(),
            denominator: 1,
            exact: false,
        }
    }

    /// `numerator / denominator` in lowest terms. A value that terminates must fit exactly
    /// (else [`ArithmeticError::Inexact`]); one that does not and has outgrown what a
    /// fraction can hold is rounded to full precision.
    fn fraction(numerator: Decimal, denominator: u64) -> Result<Money, ArithmeticError> {
        if denominator == 0 {
            return Err(ArithmeticError::Overflow);
        }
        let scale = numerator.scale();
        let mantissa = numerator.mantissa();
        let common = gcd(mantissa, i128::from(denominator));
        let reduced = Decimal::try_from_i128_with_scale(mantissa / common, scale)
            .map_err(|_| ArithmeticError::Overflow)?;
        // `common` divides the denominator, so it is a positive u64.
        let denominator = denominator / u64::try_from(common).unwrap_or(1);
        let (twos_and_fives, rest) = split_twos_and_fives(denominator);
        if twos_and_fives == 1 {
            return Ok(Money {
                numerator: reduced.normalize(),
                denominator: rest,
                exact: true,
            });
        }
        let divisor = Decimal::from(twos_and_fives);
        let quotient = div(reduced, divisor)?;
        match exact_mul(quotient, divisor) {
            Ok(back) if back == reduced => Ok(Money {
                numerator: quotient.normalize(),
                denominator: rest,
                exact: true,
            }),
            _ if rest == 1 => Err(ArithmeticError::Inexact),
            _ => Ok(Money::rounded(div(quotient, Decimal::from(rest))?)),
        }
    }

    /// The value as a decimal: exact where it terminates, else rounded to 28 places. For
    /// printing and for sampling; decisions compare [`Money`] values, never this.
    pub fn amount(self) -> Decimal {
        if self.denominator == 1 {
            return self.numerator;
        }
        // |numerator / denominator| <= |numerator|, so the division cannot overflow.
        div(self.numerator, Decimal::from(self.denominator))
            .map_or(self.numerator, |q| q.normalize())
    }

    /// Whether the value is held exactly (see the type's documentation): a figure that does
    /// not terminate is exact too, as a fraction.
    pub fn is_exact(self) -> bool {
        self.exact
    }

    /// Whether the value has a terminating decimal expansion, so [`Money::amount`] is exact.
    pub fn terminates(self) -> bool {
        self.exact && self.denominator == 1
    }

    pub fn is_zero(self) -> bool {
        self.numerator.is_zero()
    }

    /// Above zero, exactly.
    pub fn is_positive(self) -> bool {
        self.numerator > Decimal::ZERO
    }

    /// Below zero, exactly.
    pub fn is_negative(self) -> bool {
        self.numerator < Decimal::ZERO
    }

    fn negated(self) -> Money {
        Money {
            numerator: -self.numerator,
            ..self
        }
    }

    /// Appends the value to `out` as `Display` prints it ([`push_plain`]).
    pub fn push_to(self, out: &mut String) {
        push_plain(out, self.amount());
    }

    pub fn checked_add(self, other: Money) -> Result<Money, ArithmeticError> {
        if !(self.exact && other.exact) {
            return add(self.amount(), other.amount()).map(Money::rounded);
        }
        if self.denominator == 1 && other.denominator == 1 {
            // `small_add` normalises its sum already.
            if let Some(sum) = small_add(self.numerator, other.numerator) {
                return Ok(Money {
                    numerator: sum,
                    denominator: 1,
                    exact: true,
                });
            }
            return exact_add(self.numerator, other.numerator).map(Money::new);
        }
        let exact = lcm(self.denominator, other.denominator).and_then(|denominator| {
            let scaled =
                |m: Money| exact_mul(m.numerator, Decimal::from(denominator / m.denominator)).ok();
            let numerator = exact_add(scaled(self)?, scaled(other)?).ok()?;
            Some(Money::fraction(numerator, denominator))
        });
        match exact {
            Some(result) => result,
            // The common denominator or the numerator has outgrown what can be held.
            None => add(self.amount(), other.amount()).map(Money::rounded),
        }
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, ArithmeticError> {
        self.checked_add(other.negated())
    }

    /// `self + other`, exact where the sum can be held exactly and rounded to full precision
    /// where it cannot. Only for working figures that are never reported themselves (the
    /// cumulative net saving behind the payback year, the terms of a discounted sum), where
    /// refusing a scenario over a 29th digit would help nobody.
    pub fn add_to_full_precision(self, other: Money) -> Result<Money, ArithmeticError> {
        match self.checked_add(other) {
            Err(ArithmeticError::Inexact) => add(self.amount(), other.amount()).map(Money::rounded),
            result => result,
        }
    }

    /// `self - other`, as [`Money::add_to_full_precision`].
    pub fn sub_to_full_precision(self, other: Money) -> Result<Money, ArithmeticError> {
        self.add_to_full_precision(other.negated())
    }

    /// This amount times a share.
    pub fn times(self, share: Share) -> Result<Money, ArithmeticError> {
        self.times_decimal(share.0)
    }

    /// This amount times an exact factor.
    pub fn times_decimal(self, factor: Decimal) -> Result<Money, ArithmeticError> {
        if !self.exact {
            return self
                .numerator
                .checked_mul(factor)
                .map(Money::rounded)
                .ok_or(ArithmeticError::Overflow);
        }
        match exact_mul(self.numerator, factor) {
            Ok(numerator) => Money::fraction(numerator, self.denominator),
            Err(ArithmeticError::Inexact) if self.denominator != 1 => self
                .amount()
                .checked_mul(factor)
                .map(Money::rounded)
                .ok_or(ArithmeticError::Overflow),
            Err(e) => Err(e),
        }
    }

    /// This amount divided by a whole number, exactly: a quotient that terminates must be
    /// held exactly, or it is an error; one that does not is kept as a fraction.
    pub fn divided_by(self, divisor: u64) -> Result<Money, ArithmeticError> {
        if divisor == 0 {
            return Err(ArithmeticError::Overflow);
        }
        if !self.exact {
            return div(self.numerator, Decimal::from(divisor)).map(Money::rounded);
        }
        match self.denominator.checked_mul(divisor) {
            Some(denominator) => Money::fraction(self.numerator, denominator),
            None => div(self.amount(), Decimal::from(divisor)).map(Money::rounded),
        }
    }

    /// `self / other`, exactly where both are exact (the factor by which one figure must be
    /// scaled to reach another: a switching value); `None` when `other` is zero.
    pub fn ratio(self, other: Money) -> Result<Option<Money>, ArithmeticError> {
        if other.is_zero() {
            return Ok(None);
        }
        let rounded = || {
            div(self.amount(), other.amount())
                .map(Money::rounded)
                .map(Some)
        };
        if !(self.exact && other.exact) {
            return rounded();
        }
        // (a / b) / (m x 10^-s / d) = a x d x 10^s / (b x m).
        let mantissa = other.numerator.mantissa();
        let (Ok(m), Some(ten_to_s)) = (
            u64::try_from(mantissa.unsigned_abs()),
            10u64.checked_pow(other.numerator.scale()),
        ) else {
            return rounded();
        };
        let numerator = exact_mul(self.numerator, Decimal::from(other.denominator))
            .and_then(|n| exact_mul(n, Decimal::from(ten_to_s)));
        let (Ok(numerator), Some(denominator)) = (numerator, self.denominator.checked_mul(m))
        else {
            return rounded();
        };
        let signed = if mantissa < 0 { -numerator } else { numerator };
        match Money::fraction(signed, denominator) {
            Err(ArithmeticError::Inexact) => rounded(),
            result => result.map(Some),
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

impl std::ops::Neg for Money {
    type Output = Money;

    /// Exact: only the numerator's sign changes.
    fn neg(self) -> Money {
        self.negated()
    }
}

impl Default for Money {
    fn default() -> Self {
        Money::ZERO
    }
}

impl PartialEq for Money {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}

impl Eq for Money {}

impl PartialOrd for Money {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Money {
    /// Exact: two fractions compare by the sign of their exact difference. Only where that
    /// difference cannot be held (figures near 7.9e28) are the 28-digit values compared.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        if self.denominator == other.denominator && self.exact == other.exact {
            return self.numerator.cmp(&other.numerator);
        }
        match self.checked_sub(*other) {
            Ok(difference) => difference.numerator.cmp(&Decimal::ZERO),
            Err(_) => self.amount().cmp(&other.amount()),
        }
    }
}

impl std::hash::Hash for Money {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.amount().hash(state);
    }
}

/// `n = 2^a x 5^b x rest`: the part of `n` a decimal can divide by exactly, and the rest.
fn split_twos_and_fives(n: u64) -> (u64, u64) {
    let mut rest = n;
    for factor in [2, 5] {
        while rest > 0 && rest.is_multiple_of(factor) {
            rest /= factor;
        }
    }
    (n / rest.max(1), rest)
}

fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    i128::try_from(a).unwrap_or(1).max(1)
}

/// The least common multiple, if it fits.
fn lcm(a: u64, b: u64) -> Option<u64> {
    let common = u64::try_from(gcd(i128::from(a), i128::from(b))).ok()?;
    (a / common).checked_mul(b)
}

/// `a + b` in 64-bit arithmetic where both, aligned to one scale, fit (the figures of almost
/// every scenario), normalised; `None` where they do not, for [`exact_add`]'s general way.
fn small_add(a: Decimal, b: Decimal) -> Option<Decimal> {
    let scale = a.scale().max(b.scale());
    let align = |d: Decimal| -> Option<i64> {
        let mantissa = i64::try_from(d.mantissa()).ok()?;
        10i64.checked_pow(scale - d.scale())?.checked_mul(mantissa)
    };
    let mut mantissa = align(a)?.checked_add(align(b)?)?;
    let mut scale = scale;
    while scale > 0 && mantissa % 10 == 0 {
        mantissa /= 10;
        scale -= 1;
    }
    Some(Decimal::new(mantissa, scale))
}

/// `a + b`, exactly, or an error: rust_decimal would otherwise round a sum that needs more
/// than 28 decimal places or 29 significant digits.
pub fn exact_add(a: Decimal, b: Decimal) -> Result<Decimal, ArithmeticError> {
    if let Some(sum) = small_add(a, b) {
        return Ok(sum);
    }
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
    /// As [`plain`] prints it, without building a string first.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.amount().normalize(), f)
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

/// Which of the three deterministic cases a figure belongs to (docs/model.md section 5: low and
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
mod tests;
