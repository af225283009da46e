//! Exact amounts and fractions: money in the scenario's unit, shares in 0..=1, the discount
//! rate, and the low/central/high triple every saving comes in.
//!
//! Everything here is `rust_decimal::Decimal`, never binary floating point (docs/model.md
//! section 3). Arithmetic is checked: an overflow, or a product that cannot be held exactly,
//! is an [`ArithmeticError`], never a panic and never a silent rounding. Sums and products
//! of figures whose digits fit in 64 bits (almost all) are worked in 64-bit arithmetic, the
//! rest in 128-bit, with the same results (the unit tests hold them to the simpler code they
//! replaced).

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
    if a.is_zero() || b.is_zero() {
        return Ok(Decimal::ZERO);
    }
    // Both mantissas fit in 96 bits; their product fits in i128 unless it has over 38
    // digits. Trailing zeros (an input not normalised) are dropped only where it does not.
    let product = |a: Decimal, b: Decimal| {
        let mantissa = checked_mul(a.mantissa(), b.mantissa())?;
        Some(from_mantissa(mantissa, a.scale() + b.scale()))
    };
    product(a, b)
        .or_else(|| product(a.normalize(), b.normalize()))
        .unwrap_or(Err(ArithmeticError::Inexact))
}

/// `a + b`, exactly, or an error: rust_decimal would otherwise round a sum that needs more
/// than 28 decimal places or 29 significant digits.
#[inline]
pub fn exact_add(a: Decimal, b: Decimal) -> Result<Decimal, ArithmeticError> {
    // Almost every sum: both mantissas, aligned to the larger scale, fit in 64 bits, and so
    // does the sum. No 128-bit arithmetic, and no division but by 10 for trailing zeros.
    let scale = a.scale().max(b.scale());
    let small = |d: Decimal| {
        let mantissa = i64::try_from(d.mantissa()).ok()?;
        match scale - d.scale() {
            0 => Some(mantissa),
            shift => mantissa.checked_mul(*SMALL_POWERS_OF_TEN.get(shift as usize)?),
        }
    };
    match small(a).zip(small(b)).and_then(|(x, y)| x.checked_add(y)) {
        Some(sum) => from_small(sum, scale),
        None => wide_add(a, b),
    }
}

/// [`exact_add`] past 64 bits: both mantissas aligned in 128 bits. Past i128 the sum has
/// over 38 digits, and only trailing zeros (an input not normalised) could bring it back.
fn wide_add(a: Decimal, b: Decimal) -> Result<Decimal, ArithmeticError> {
    let sum = |a: Decimal, b: Decimal| {
        let scale = a.scale().max(b.scale());
        let align =
            |d: Decimal| checked_mul(d.mantissa(), POWERS_OF_TEN[(scale - d.scale()) as usize]);
        Some(from_mantissa(align(a)?.checked_add(align(b)?)?, scale))
    };
    sum(a, b)
        .or_else(|| sum(a.normalize(), b.normalize()))
        .unwrap_or(Err(ArithmeticError::Inexact))
}

/// `a x b`, if it fits: where both fit in 64 bits (almost every figure), one multiplication
/// that cannot overflow, rather than a 128-bit one checked for overflow.
fn checked_mul(a: i128, b: i128) -> Option<i128> {
    match (i64::try_from(a), i64::try_from(b)) {
        (Ok(a), Ok(b)) => Some(i128::from(a) * i128::from(b)),
        _ => a.checked_mul(b),
    }
}

/// `10^n` for n = 0..=18, every power an i64 holds.
const SMALL_POWERS_OF_TEN: [i64; 19] = {
    let mut powers = [1i64; 19];
    let mut n = 1;
    while n < 19 {
        powers[n] = powers[n - 1] * 10;
        n += 1;
    }
    powers
};

/// `10^n` for n = 0..=38, every power an i128 holds.
const POWERS_OF_TEN: [i128; 39] = {
    let mut powers = [1i128; 39];
    let mut n = 1;
    while n < 39 {
        powers[n] = powers[n - 1] * 10;
        n += 1;
    }
    powers
};

/// `mantissa x 10^-scale` as a decimal without trailing zeros (as `normalize` leaves it),
/// or the error that says why it cannot be held: above 7.9e28, or more than 28 places. The
/// one place an exact result is made. Zeros are dropped in 128-bit arithmetic only while the
/// mantissa needs it, then in 64-bit (almost every figure).
fn from_mantissa(mantissa: i128, scale: u32) -> Result<Decimal, ArithmeticError> {
    let (mut wide, mut scale) = (mantissa, scale);
    loop {
        match i64::try_from(wide) {
            Ok(small) => return from_small(small, scale),
            Err(_) if scale > 0 && wide % 10 == 0 => {
                wide /= 10;
                scale -= 1;
            }
            Err(_) => return held(wide, scale),
        }
    }
}

/// [`from_mantissa`] of a mantissa within 64 bits.
fn from_small(mantissa: i64, scale: u32) -> Result<Decimal, ArithmeticError> {
    let (mut mantissa, mut scale) = (mantissa, scale);
    while scale > 0 && mantissa % 10 == 0 {
        mantissa /= 10;
        scale -= 1;
    }
    // Within 64 bits the decimal can hold it; only more than 28 places cannot be.
    Decimal::try_new(mantissa, scale).map_err(|_| ArithmeticError::Inexact)
}

/// `mantissa x 10^-scale`, if a decimal can hold it.
fn held(mantissa: i128, scale: u32) -> Result<Decimal, ArithmeticError> {
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
    PlainText::new(value).as_str().to_string()
}

/// `00` to `99`, for printing two digits at a time.
const DIGIT_PAIRS: &[u8; 200] = b"\
    0001020304050607080910111213141516171819\
    2021222324252627282930313233343536373839\
    4041424344454647484950515253545556575859\
    6061626364656667686970717273747576777879\
    8081828384858687888990919293949596979899";

/// A decimal as [`plain`] prints it, held on the stack: writers of many figures (the
/// long-form CSV and JSON) copy its bytes rather than build a `String` for each, and
/// `Money`'s `Display` prints it. The one place a figure's text is made.
///
/// At most 31 bytes: 29 digits, a point and a sign, or `-0.` and 28 places.
pub struct PlainText {
    bytes: [u8; 32],
    /// The text is `bytes[start..]`: it is written from the end.
    start: usize,
}

impl PlainText {
    pub fn new(value: Decimal) -> Self {
        let mut text = PlainText {
            bytes: [0; 32],
            start: 32,
        };
        let mut places = value.scale();
        let mut mantissa = value.mantissa().unsigned_abs();
        // No trailing zeros. 128-bit arithmetic only while the mantissa needs it: past 64 bits,
        // digit by digit (the point after the last of `places`) until the rest fits.
        while places > 0 && mantissa > u128::from(u64::MAX) && mantissa.is_multiple_of(10) {
            mantissa /= 10;
            places -= 1;
        }
        let mut rest = match u64::try_from(mantissa) {
            Ok(mut rest) => {
                while places > 0 && rest.is_multiple_of(10) {
                    rest /= 10;
                    places -= 1;
                }
                rest
            }
            Err(_) => {
                while mantissa > u128::from(u64::MAX) {
                    text.push_front(b'0' + (mantissa % 10) as u8);
                    mantissa /= 10;
                    if places == 1 {
                        text.push_front(b'.');
                    }
                    places = places.saturating_sub(1);
                }
                mantissa as u64
            }
        };
        // The places left, two digits at a time (`5` with two places is `05`), the point,
        // then the whole part, at least one digit.
        let point = places > 0;
        while places >= 2 {
            text.push_pair(rest % 100);
            rest /= 100;
            places -= 2;
        }
        if places == 1 {
            text.push_front(b'0' + (rest % 10) as u8);
            rest /= 10;
        }
        if point {
            text.push_front(b'.');
        }
        while rest >= 100 {
            text.push_pair(rest % 100);
            rest /= 100;
        }
        if rest >= 10 {
            text.push_pair(rest);
        } else {
            text.push_front(b'0' + rest as u8);
        }
        if value.is_sign_negative() && !value.is_zero() {
            text.push_front(b'-');
        }
        text
    }

    /// Writes `pair` (below 100) in front as two digits.
    fn push_pair(&mut self, pair: u64) {
        let at = 2 * pair as usize;
        self.push_front(DIGIT_PAIRS[at + 1]);
        self.push_front(DIGIT_PAIRS[at]);
    }

    fn push_front(&mut self, byte: u8) {
        self.start -= 1;
        self.bytes[self.start] = byte;
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[self.start..]
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII digits, `.` and `-` are written.
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }

    /// The text without its sign, and whether the value is at least zero.
    fn unsigned(&self) -> (bool, &str) {
        match self.as_str().strip_prefix('-') {
            Some(digits) => (false, digits),
            None => (true, self.as_str()),
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
        let mut mantissa = numerator.mantissa();
        // gcd(m, d) = gcd(m mod d, d): 64-bit arithmetic. It divides d, which has no factor
        // 10, so the reduced numerator keeps its scale.
        let common = gcd(remainder(mantissa, denominator), denominator);
        if common > 1 {
            mantissa /= i128::from(common);
        }
        let (twos, fives, rest) = split_twos_and_fives(denominator / common);
        let quotient = as_decimal_shift(twos, fives).and_then(|(factor, places)| {
            from_mantissa(checked_mul(mantissa, factor)?, scale + places).ok()
        });
        if let Some(quotient) = quotient {
            return Ok(Money {
                numerator: quotient,
                denominator: rest,
                exact: true,
            });
        }
        // The terminating part of the quotient cannot be held exactly: an error where that is
        // the whole value, else the value rounded to full precision.
        let reduced = Decimal::try_from_i128_with_scale(mantissa, scale)
            .map_err(|_| ArithmeticError::Overflow)?;
        let divisor = Decimal::from(denominator / common / rest);
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

    /// The exact value as `numerator / denominator` (the numerator a decimal), or `None`
    /// where it is rounded: for bounding how far sums of many amounts can grow.
    pub fn fraction_parts(self) -> Option<(Decimal, u64)> {
        self.exact.then_some((self.numerator, self.denominator))
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

    /// The value as `Display` prints it, on the stack ([`PlainText`]).
    pub fn plain_text(self) -> PlainText {
        PlainText::new(self.amount())
    }

    pub fn checked_add(self, other: Money) -> Result<Money, ArithmeticError> {
        if !(self.exact && other.exact) {
            return add(self.amount(), other.amount()).map(Money::rounded);
        }
        if self.denominator == 1 && other.denominator == 1 {
            // `exact_add` normalises its sum already.
            return exact_add(self.numerator, other.numerator).map(|numerator| Money {
                numerator,
                denominator: 1,
                exact: true,
            });
        }
        let exact = lcm(self.denominator, other.denominator).and_then(|denominator| {
            // Over a denominator they share (thirds and thirds), nothing to multiply.
            let scaled = |m: Money| match denominator / m.denominator {
                1 => Some(m.numerator),
                factor => exact_mul(m.numerator, Decimal::from(factor)).ok(),
            };
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
            // Over 1, `fraction` reduces nothing and divides by nothing: it only drops the
            // product's trailing zeros, which this does without the work of finding that out.
            Ok(numerator) if self.denominator == 1 => {
                match from_mantissa(numerator.mantissa(), numerator.scale()) {
                    Ok(normalised) => Ok(Money {
                        numerator: normalised,
                        denominator: 1,
                        exact: true,
                    }),
                    Err(_) => Money::fraction(numerator, 1),
                }
            }
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

/// `n = 2^twos x 5^fives x rest`: the part of `n` a decimal can divide by exactly, and the
/// rest, as `(twos, fives, rest)`.
fn split_twos_and_fives(n: u64) -> (u32, u32, u64) {
    let mut rest = n.max(1);
    let mut counts = [0u32; 2];
    for (count, factor) in counts.iter_mut().zip([2, 5]) {
        while rest.is_multiple_of(factor) {
            rest /= factor;
            *count += 1;
        }
    }
    (counts[0], counts[1], rest)
}

/// Dividing by `2^twos x 5^fives` as a multiplication: by the factor returned, then moving
/// the point `k = max(twos, fives)` places (`x / 4 = x x 25 / 100`). `None` where the factor
/// is beyond i128.
fn as_decimal_shift(twos: u32, fives: u32) -> Option<(i128, u32)> {
    let k = twos.max(fives);
    let factor = 2i128
        .checked_pow(k - twos)?
        .checked_mul(5i128.checked_pow(k - fives)?)?;
    Some((factor, k))
}

fn gcd(a: u64, b: u64) -> u64 {
    let (mut a, mut b) = (a, b);
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// `|mantissa| mod n`, in 64-bit arithmetic where the mantissa fits.
fn remainder(mantissa: i128, n: u64) -> u64 {
    let magnitude = mantissa.unsigned_abs();
    match u64::try_from(magnitude) {
        Ok(small) => small % n,
        // Less than n, so it fits.
        Err(_) => u64::try_from(magnitude % u128::from(n)).unwrap_or(0),
    }
}

/// The least common multiple, if it fits.
pub(crate) fn lcm(a: u64, b: u64) -> Option<u64> {
    (a / gcd(a, b).max(1)).checked_mul(b)
}

impl fmt::Display for Money {
    /// As [`plain`] prints it, without building a string first; a width, fill and `+` are
    /// honoured as for any number, a precision as the decimal's own `Display` does.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.precision().is_some() {
            return fmt::Display::fmt(&self.amount().normalize(), f);
        }
        let text = self.plain_text();
        let (non_negative, digits) = text.unsigned();
        f.pad_integral(non_negative, "", digits)
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
