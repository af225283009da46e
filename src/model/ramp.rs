//! Build-up profiles: the share of the steady-state saving reached in each year from go-live.

use std::fmt;

use rust_decimal::Decimal;

use super::money::Share;

/// How an option's saving builds up (docs/model.md section 4). `k` counts years from go-live,
/// 1 being the go-live year itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ramp {
    /// The full saving from go-live.
    Immediate,
    /// `r1, r2, ...`: the share reached in year k, the last value holding from then on.
    /// Validation guarantees at least one step, non-decreasing, ending at exactly 1.
    Steps(Vec<Share>),
    /// `linear N`: 1/N, 2/N, ... 1.
    Linear(u32),
}

impl Ramp {
    /// The share reached in year `k` (k >= 1) as an exact fraction `(numerator, denominator)`,
    /// so callers can multiply first and divide once.
    pub fn fraction(&self, k: u32) -> (Decimal, u32) {
        match self {
            Ramp::Immediate => (Decimal::ONE, 1),
            Ramp::Steps(steps) => {
                let index = usize::try_from(k.saturating_sub(1))
                    .unwrap_or(usize::MAX)
                    .min(steps.len().saturating_sub(1));
                (steps.get(index).map_or(Decimal::ONE, |s| s.value()), 1)
            }
            Ramp::Linear(n) => (Decimal::from(k.min(*n)), *n),
        }
    }

    /// The number of years until the saving is fully built up (1 for immediate).
    pub fn years_to_full(&self) -> u32 {
        match self {
            Ramp::Immediate => 1,
            Ramp::Steps(steps) => {
                let first_full = steps.iter().position(|s| *s == Share::ONE);
                first_full.map_or(steps.len(), |i| i + 1) as u32
            }
            Ramp::Linear(n) => *n,
        }
    }
}

impl fmt::Display for Ramp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ramp::Immediate => f.write_str("immediate"),
            Ramp::Linear(n) => write!(f, "linear {n}"),
            Ramp::Steps(steps) => {
                let parts: Vec<String> = steps.iter().map(ToString::to_string).collect();
                write!(f, "[{}]", parts.join(", "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    type TestResult = Result<(), Box<dyn std::error::Error>>;

    use super::*;
    use std::str::FromStr;

    fn share(s: &str) -> Share {
        Decimal::from_str(s)
            .ok()
            .and_then(Share::new)
            .unwrap_or_else(|| panic!("test share {s}"))
    }

    #[test]
    fn steps_hold_their_last_value() -> TestResult {
        let ramp = Ramp::Steps(vec![share("0.5"), share("1")]);
        assert_eq!(ramp.fraction(1), (Decimal::from_str("0.5")?, 1));
        assert_eq!(ramp.fraction(2), (Decimal::ONE, 1));
        assert_eq!(ramp.fraction(40), (Decimal::ONE, 1));
        assert_eq!(ramp.years_to_full(), 2);
        assert_eq!(ramp.to_string(), "[0.5, 1]");
        Ok(())
    }

    #[test]
    fn linear_counts_up_to_n() -> TestResult {
        let ramp = Ramp::Linear(3);
        assert_eq!(ramp.fraction(1), (Decimal::ONE, 3));
        assert_eq!(ramp.fraction(3), (Decimal::from(3), 3));
        assert_eq!(ramp.fraction(9), (Decimal::from(3), 3));
        assert_eq!(ramp.to_string(), "linear 3");
        Ok(())
    }
}
