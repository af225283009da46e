//! Unit tests of money (money.rs).

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
    let exact = Money::new(d("10")).checked_add(Money::new(d("0.0000000000000000000000000001")));
    assert_eq!(exact, Err(ArithmeticError::Inexact));
    // A non-terminating figure is a fraction, exact too: 1/3 + 70.6 = 212.8/3.
    let third = Money::new(d("1")).divided_by(3)?;
    assert!(third.is_exact() && !third.terminates());
    let sum = third.checked_add(Money::new(d("70.6")))?;
    assert_eq!(sum, Money::new(d("212.8")).divided_by(3)?);
    assert_eq!(sum.checked_sub(third)?, Money::new(d("70.6")));
    assert!(sum.checked_sub(third)?.terminates());
    Ok(())
}

#[test]
fn quotients_that_terminate_must_fit() -> TestResult {
    let q = Money::new(d("2.4")).divided_by(12)?;
    assert_eq!(q.amount(), d("0.2"));
    assert!(q.terminates());
    assert!(!Money::new(d("10")).divided_by(12)?.terminates());
    // 930785.1363365916768088936805 x 3 / 12 terminates (24 places, 30 digits): no fit.
    let numerator = Money::new(d("930785.1363365916768088936805")).times_decimal(d("3"))?;
    assert_eq!(numerator.divided_by(12), Err(ArithmeticError::Inexact));
    assert!(Money::new(d("0.75")).divided_by(1200)?.terminates());
    Ok(())
}

#[test]
fn fractions_that_never_terminate_are_carried_exactly() -> TestResult {
    // Issue 11: three savings of 4/12 close a gap of exactly 1.
    let third = Money::new(d("4")).divided_by(12)?;
    let sum = Money::total([third, third, third])?;
    assert_eq!(sum, Money::new(d("1")));
    assert!(sum.terminates());
    assert_eq!(Money::new(d("1")).checked_sub(sum)?, Money::ZERO);
    assert!(!Money::new(d("1")).checked_sub(sum)?.is_positive());
    // Sevenths and ninths (linear 7 and linear 9 ramps), mixed.
    let seventh = Money::new(d("1")).divided_by(7)?;
    let ninth = Money::new(d("1")).divided_by(9)?;
    let mixed = Money::total([seventh; 7].into_iter().chain([ninth; 9]))?;
    assert_eq!(mixed, Money::new(d("2")));
    // 1/3 printed is rounded, but 1/3 compares above its own 28-digit rounding.
    let one_third = Money::new(d("1")).divided_by(3)?;
    assert_eq!(one_third.amount(), d("0.3333333333333333333333333333"));
    assert!(one_third > Money::new(one_third.amount()));
    assert!(one_third.times_decimal(d("3"))? == Money::new(d("1")));
    Ok(())
}

#[test]
fn ratios_are_exact_fractions() -> TestResult {
    let two_thirds = Money::new(d("2")).divided_by(3)?;
    let ratio = Money::new(d("1")).ratio(two_thirds)?;
    assert_eq!(ratio, Some(Money::new(d("1.5"))));
    let ratio = Money::new(d("1")).ratio(Money::new(d("0.3")))?;
    assert_eq!(ratio, Some(Money::new(d("10")).divided_by(3)?));
    let ratio = Money::new(d("-1")).ratio(Money::new(d("0.25")))?;
    assert_eq!(ratio, Some(Money::new(d("-4"))));
    assert_eq!(Money::new(d("1")).ratio(Money::ZERO)?, None);
    Ok(())
}

#[test]
fn fractions_that_outgrow_the_type_fall_back_to_full_precision() -> TestResult {
    // Denominators of many distinct primes overflow u64: the sum is rounded, not refused.
    let primes = [
        3u64, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67,
    ];
    let parts = primes
        .iter()
        .map(|p| Money::new(d("1")).divided_by(*p))
        .collect::<Result<Vec<_>, _>>()?;
    let sum = Money::total(parts)?;
    assert!(!sum.is_exact());
    let expected: f64 = primes.iter().map(|p| 1.0 / *p as f64).sum();
    let got: f64 = sum.amount().try_into()?;
    assert!((got - expected).abs() < 1e-12);
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

#[test]
fn plain_text_is_what_the_decimal_prints_normalised() {
    for text in [
        "0",
        "-0",
        "-0.000",
        "2.5",
        "10",
        "-1",
        "0.05",
        "-0.000001",
        "123456789.123",
        "1.000",
        "100.00",
        "79228162514264337593543950335",
        "-79228162514264337593543950335",
        "-7922816251426433759354395033.5",
        "7.9228162514264337593543950335",
        "0.0000000000000000000000000001",
        "-0.0000000000000000000000000001",
        "0.1000000000000000000000000000",
        "18446744073709551616",
        "18446744073709551615.5",
        "18446744073709551615",
        "1844674407370955161.60",
        "184467440737095516160",
        "-184467440737095516160000000.0",
    ] {
        let value: Decimal = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
        let expected = value.normalize().to_string();
        assert_eq!(PlainText::new(value).as_str(), expected, "{text}");
        assert_eq!(plain(value), expected, "{text}");
        assert_eq!(Money::new(value).to_string(), expected, "{text}");
    }
}

proptest::proptest! {
    #[test]
    fn plain_text_of_any_decimal_is_its_normalised_display(
        lo in proptest::num::u32::ANY,
        mid in proptest::num::u32::ANY,
        hi in proptest::prop_oneof![proptest::strategy::Just(0u32), proptest::num::u32::ANY],
        negative in proptest::bool::ANY,
        scale in 0u32..=28,
        zeros in 0u32..=5,
    ) {
        let value = Decimal::from_parts(lo, mid, hi, negative, scale);
        // Trailing zeros, where they fit, as sums and products leave them.
        let mut padded = value;
        padded.rescale((scale + zeros).min(28));
        let value = if padded == value { padded } else { value };
        let expected = value.normalize().to_string();
        let text = PlainText::new(value);
        proptest::prop_assert_eq!(text.as_str(), expected.as_str());
        proptest::prop_assert_eq!(Money::new(value).to_string(), expected);
    }
}

#[test]
fn money_is_printed_with_a_width_as_any_number() {
    let m = Money::new(d("-2.50"));
    assert_eq!(format!("{m:>6}"), "  -2.5");
    assert_eq!(format!("{m:<6}|"), "-2.5  |");
    assert_eq!(format!("{m:06}"), "-002.5");
    assert_eq!(format!("{:+}", Money::new(d("3"))), "+3");
    assert_eq!(format!("{m:.2}"), "-2.50");
    assert_eq!(format!("{m:>6}"), format!("{:>6}", d("-2.5")));
}

/// The arithmetic as it was before it was made faster (issue 18), to hold the faster one to
/// the same results, errors included.
mod before {
    use super::{ArithmeticError, Decimal, Money, div};

    pub(super) fn exact_mul(a: Decimal, b: Decimal) -> Result<Decimal, ArithmeticError> {
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

    pub(super) fn small_add(a: Decimal, b: Decimal) -> Option<Decimal> {
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

    pub(super) fn exact_add(a: Decimal, b: Decimal) -> Result<Decimal, ArithmeticError> {
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

    pub(super) fn gcd(a: i128, b: i128) -> i128 {
        let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
        while b != 0 {
            (a, b) = (b, a % b);
        }
        i128::try_from(a).unwrap_or(1).max(1)
    }

    pub(super) fn lcm(a: u64, b: u64) -> Option<u64> {
        let common = u64::try_from(gcd(i128::from(a), i128::from(b))).ok()?;
        (a / common).checked_mul(b)
    }

    pub(super) fn split_twos_and_fives(n: u64) -> (u64, u64) {
        let mut rest = n;
        for factor in [2, 5] {
            while rest > 0 && rest.is_multiple_of(factor) {
                rest /= factor;
            }
        }
        (n / rest.max(1), rest)
    }

    pub(super) fn fraction(numerator: Decimal, denominator: u64) -> Result<Money, ArithmeticError> {
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
}

/// A decimal for the comparisons below: mostly figures as scenarios write them (a few
/// digits, a few places), sometimes the largest mantissas and scales, sometimes with
/// trailing zeros (as a product leaves them).
fn any_decimal() -> impl proptest::strategy::Strategy<Value = Decimal> {
    use proptest::prelude::*;
    let small = (-10_000_000i64..10_000_000, 0u32..8).prop_map(|(m, s)| Decimal::new(m, s));
    let wide = (
        any::<u32>(),
        any::<u32>(),
        prop_oneof![Just(0u32), any::<u32>()],
        any::<bool>(),
        0u32..=28,
    )
        .prop_map(|(lo, mid, hi, negative, scale)| {
            Decimal::from_parts(lo, mid, hi, negative, scale)
        });
    (prop_oneof![3 => small, 1 => wide], 0u32..4).prop_map(|(d, zeros)| {
        let mut padded = d;
        padded.rescale((d.scale() + zeros).min(28));
        if padded == d { padded } else { d }
    })
}

/// A denominator as fractions meet them: twelfths of ramp steps, powers of 2 and 5, large
/// products of primes.
fn any_denominator() -> impl proptest::strategy::Strategy<Value = u64> {
    use proptest::prelude::*;
    prop_oneof![
        (0u32..6, 0u32..4, 0u32..4, 0u32..3)
            .prop_map(|(a, b, c, e)| { 2u64.pow(a) * 3u64.pow(b) * 5u64.pow(c) * 7u64.pow(e) }),
        (0u32..64).prop_map(|a| 2u64.pow(a)),
        (0u32..28).prop_map(|b| 5u64.pow(b)),
        1u64..u64::MAX,
    ]
}

fn same(a: Result<Money, ArithmeticError>, b: Result<Money, ArithmeticError>) -> bool {
    match (a, b) {
        (Ok(a), Ok(b)) => {
            a.numerator == b.numerator
                && a.numerator.scale() == b.numerator.scale()
                && a.numerator.is_sign_negative() == b.numerator.is_sign_negative()
                && a.denominator == b.denominator
                && a.exact == b.exact
        }
        (a, b) => a.err() == b.err(),
    }
}

fn same_decimal(a: Result<Decimal, ArithmeticError>, b: Result<Decimal, ArithmeticError>) -> bool {
    same(
        a.map(Money::new_unnormalised),
        b.map(Money::new_unnormalised),
    )
}

impl Money {
    fn new_unnormalised(numerator: Decimal) -> Money {
        Money {
            numerator,
            denominator: 1,
            exact: true,
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config::with_cases(4000))]

    #[test]
    fn sums_are_what_they_were(a in any_decimal(), b in any_decimal()) {
        proptest::prop_assert!(same_decimal(exact_add(a, b), before::exact_add(a, b)), "{a} + {b}");
    }

    #[test]
    fn products_are_what_they_were(a in any_decimal(), b in any_decimal()) {
        proptest::prop_assert!(same_decimal(exact_mul(a, b), before::exact_mul(a, b)), "{a} x {b}");
    }

    #[test]
    fn products_of_whole_amounts_are_what_they_were(a in any_decimal(), b in any_decimal()) {
        // `times_decimal` over a denominator of 1 no longer goes through `fraction`.
        let old = before::exact_mul(a, b).and_then(|n| before::fraction(n, 1));
        proptest::prop_assert!(
            same(Money::new_unnormalised(a).times_decimal(b), old),
            "{a} x {b}"
        );
    }

    #[test]
    fn fractions_are_what_they_were(n in any_decimal(), d in any_denominator()) {
        let (new, old) = (Money::fraction(n, d), before::fraction(n, d));
        match (new, old) {
            // Where the old check of a quotient (quotient x divisor, in i128) overflowed, it
            // refused a quotient it could hold: now it is exact.
            (Ok(new), Err(ArithmeticError::Inexact)) => {
                proptest::prop_assert!(new.exact && new.denominator == 1, "{n} / {d}");
                proptest::prop_assert_eq!(Ok(new.numerator), div(n, Decimal::from(d)), "{} / {}", n, d);
            }
            (new, old) => proptest::prop_assert!(same(new, old), "{n} / {d}: {new:?}, was {old:?}"),
        }
    }

    #[test]
    fn sums_of_fractions_are_what_they_were(
        a in any_decimal(), da in any_denominator(), b in any_decimal(), db in any_denominator()
    ) {
        let (Ok(x), Ok(y)) = (Money::fraction(a, da), Money::fraction(b, db)) else {
            return Ok(());
        };
        // The sum as it was: over the least common denominator, through the old primitives.
        let old = before::lcm(x.denominator, y.denominator).and_then(|denominator| {
            let scaled = |m: Money| {
                before::exact_mul(m.numerator, Decimal::from(denominator / m.denominator)).ok()
            };
            let numerator = before::exact_add(scaled(x)?, scaled(y)?).ok()?;
            Some(before::fraction(numerator, denominator))
        });
        let old = match old {
            _ if !(x.exact && y.exact) => add(x.amount(), y.amount()).map(Money::rounded),
            _ if x.denominator == 1 && y.denominator == 1 => {
                before::exact_add(x.numerator, y.numerator).map(Money::new)
            }
            Some(result) => result,
            None => add(x.amount(), y.amount()).map(Money::rounded),
        };
        proptest::prop_assert!(same(x.checked_add(y), old), "{a}/{da} + {b}/{db}");
    }
}
