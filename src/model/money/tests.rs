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
fn plain_figures_are_pushed_as_display_prints_them() {
    for text in [
        "0",
        "-0",
        "2.5",
        "10",
        "-1",
        "0.05",
        "-0.000001",
        "123456789.123",
        "1.000",
        "79228162514264337593543950335",
        "-7922816251426433759354395033.5",
        "0.0000000000000000000000000001",
        "18446744073709551616",
        "18446744073709551615.5",
    ] {
        let value: Decimal = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
        let mut pushed = String::new();
        push_plain(&mut pushed, value);
        assert_eq!(pushed, plain(value), "{text}");
    }
}
