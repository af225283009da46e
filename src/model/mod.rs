//! The validated scenario: the types the projection trusts. Every value here has passed the
//! rules of docs/model.md section 7, so impossible states (a share above 1, a go-live in the base
//! year, low above high) cannot be represented. `crate::scenario` builds these from TOML.

mod money;
mod ramp;
mod series;
mod year;

use std::collections::BTreeMap;

use rust_decimal::Decimal;

pub use money::{
    ArithmeticError, Case, Cases, DiscountRate, Money, Share, add, div, exact_add, exact_mul,
    group_thousands, grouped, plain, rounded, sub, sum,
};
pub use ramp::Ramp;
pub use series::{Basis, Series, YearSeries};
pub use year::{EARLIEST_YEAR, FinancialYear, GoLive, LATEST_YEAR, quoted_year};

/// A whole scenario: the MTFP context and the services under review.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// `[scenario].name`, or the file's stem.
    pub name: String,
    /// The budget year the baselines describe (2014/15 in the source).
    pub base_year: FinancialYear,
    /// Years projected after the base year (1 to 100).
    pub horizon: u16,
    /// The unit every figure is in (`£m` by default).
    pub unit: String,
    /// `w`: the share of planned savings the market estimates already include.
    pub overlap: Share,
    pub discount_rate: DiscountRate,
    /// The years in which "meets planned savings" is tested, first to last inclusive.
    pub mtfp_period: (FinancialYear, FinancialYear),
    pub gap: Gap,
    /// Services in file order.
    pub services: Vec<Service>,
    /// The scenario-wide optimism bias as written (each option carries its effective bias).
    pub optimism_bias: Option<OptimismBias>,
    /// The scenario's default distribution of savings in simulation.
    pub distribution: Distribution,
    /// Where the scenario-wide figures come from.
    pub source: Option<String>,
}

impl Scenario {
    /// The projected years, base year + 1 to base year + horizon.
    pub fn years(&self) -> impl ExactSizeIterator<Item = FinancialYear> + use<> {
        self.base_year.following(self.horizon)
    }

    /// The last projected year.
    pub fn last_year(&self) -> FinancialYear {
        self.base_year.plus(self.horizon).unwrap_or(self.base_year)
    }

    /// Whether `year` is in the MTFP period.
    pub fn in_mtfp_period(&self, year: FinancialYear) -> bool {
        (self.mtfp_period.0..=self.mtfp_period.1).contains(&year)
    }

    /// Services with an option taken forward, with that option, in file order.
    pub fn taken_forward(&self) -> impl Iterator<Item = (&Service, &SavingOption)> {
        self.services
            .iter()
            .filter_map(|s| s.taken_forward().map(|o| (s, o)))
    }

    /// Services whose decision is deferred (no option taken forward).
    pub fn deferred(&self) -> impl Iterator<Item = &Service> {
        self.services.iter().filter(|s| s.taken_forward.is_none())
    }

    /// Each service's name as tables and reports label it (see [`distinct_labels`]), in the
    /// order of `services`.
    pub fn service_labels(&self) -> Vec<String> {
        distinct_labels(
            self.services
                .iter()
                .map(|s| (s.name.as_str(), s.id.as_str())),
        )
    }
}

/// Labels for rows named by `(name, id)`: the name, or where another row has the same name,
/// the name and the id (`Legal Services (legal-a)`), so that no two rows read alike.
pub fn distinct_labels<'a>(rows: impl Iterator<Item = (&'a str, &'a str)> + Clone) -> Vec<String> {
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for (name, _) in rows.clone() {
        *count.entry(name).or_default() += 1;
    }
    rows.map(|(name, id)| {
        if count.get(name).is_some_and(|&n| n > 1) {
            format!("{name} ({id})")
        } else {
            name.to_string()
        }
    })
    .collect()
}

/// The MTFP's gap: `required` is context, `unidentified` is `G(y)`, what the options are
/// tested against. Both name projected years only.
#[derive(Clone, Debug, Default)]
pub struct Gap {
    pub required: YearSeries,
    pub unidentified: YearSeries,
    /// Where the gap figures come from.
    pub source: Option<String>,
}

/// A service under review.
#[derive(Clone, Debug)]
pub struct Service {
    pub id: String,
    pub name: String,
    /// Where the service's figures come from.
    pub source: Option<String>,
    pub budget: Budget,
    /// `P(y)`: savings already in the MTFP, incremental; the base year may be named.
    pub planned: YearSeries,
    pub options: Vec<SavingOption>,
    /// Index into `options` of the option taken forward; `None` when the decision is
    /// deferred.
    pub taken_forward: Option<usize>,
    /// Whether `choose` picked the option (rather than `preferred = true`).
    pub chosen_explicitly: bool,
}

impl Service {
    pub fn taken_forward(&self) -> Option<&SavingOption> {
        self.taken_forward.and_then(|i| self.options.get(i))
    }

    pub fn preferred(&self) -> Option<&SavingOption> {
        self.options.iter().find(|o| o.preferred)
    }
}

/// The service's base-year budget, both figures optional. Net may be negative (a traded
/// service returning a surplus); gross may not.
#[derive(Clone, Copy, Debug, Default)]
pub struct Budget {
    pub gross: Option<Money>,
    pub net: Option<Money>,
}

/// One way of delivering a service, with what it would save.
#[derive(Clone, Debug)]
pub struct SavingOption {
    pub id: String,
    pub name: String,
    pub preferred: bool,
    /// `S`, the steady-state annual saving, in each case.
    pub saving: Cases<Money>,
    /// How the scenario wrote `S`.
    pub saving_basis: SavingBasis,
    pub start: GoLive,
    pub ramp: Ramp,
    /// `C(y)`: one-off costs; the base year may be named (spent at t = 0).
    pub one_off_cost: YearSeries,
    pub risk: Option<Risk>,
    pub group: Option<String>,
    /// How `S` is drawn in simulation.
    pub distribution: Distribution,
    /// The optimism bias applied to this option, if any (its own fields over the
    /// scenario's). `saving`, `start` and `one_off_cost` above already carry it.
    pub optimism_bias: Option<OptimismBias>,
    /// The saving, start and costs as the scenario wrote them, before optimism bias.
    pub as_written: AsWritten,
    /// Where the option's figures come from (a paragraph of the source report, say).
    pub source: Option<String>,
}

/// An option's figures before optimism bias.
#[derive(Clone, Debug)]
pub struct AsWritten {
    pub saving: Cases<Money>,
    pub start: GoLive,
    pub one_off_cost: YearSeries,
}

/// The distribution a saving is drawn from in simulation, over (low, central, high).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Distribution {
    #[default]
    Triangular,
    /// Beta-PERT with the usual shape 4.
    Pert,
}

impl Distribution {
    pub fn name(self) -> &'static str {
        match self {
            Distribution::Triangular => "triangular",
            Distribution::Pert => "pert",
        }
    }
}

/// Optimism bias in the Green Book sense (docs/model.md section 5): a haircut on savings, an
/// uplift on one-off costs and a delay to go-live, applied before anything else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OptimismBias {
    /// The share of each saving taken off.
    pub saving: Share,
    /// The share added to each one-off cost (0.41 is the Green Book's upper bound for
    /// outsourcing).
    pub cost: Decimal,
    /// Months added to go-live.
    pub delay_months: u32,
}

impl OptimismBias {
    /// Whether it changes anything.
    pub fn is_none(&self) -> bool {
        self.saving == Share::ZERO && self.cost.is_zero() && self.delay_months == 0
    }
}

/// How a saving was written: as money, or as a share of the service's net budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SavingBasis {
    Amount,
    ShareOfNet(Cases<Share>),
}

/// Delivery risk (docs/model.md section 5): the chance the procurement fails, and the range of
/// whole months it may slip. Options in one group carry the same risk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Risk {
    pub fail: Share,
    pub slip_months: (u32, u32),
}

impl Risk {
    /// No chance of failure and no slippage: what an option without `risk` carries.
    pub const NONE: Risk = Risk {
        fail: Share::ZERO,
        slip_months: (0, 0),
    };

    /// The risk an option carries, `NONE` if it gives none.
    pub fn of(option: &SavingOption) -> Risk {
        option.risk.unwrap_or(Risk::NONE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_collide_carry_their_ids() {
        let rows = [
            ("Legal Services", "legal-a"),
            ("Human Resources", "hr"),
            ("Legal Services", "legal-b"),
        ];
        assert_eq!(
            distinct_labels(rows.into_iter()),
            [
                "Legal Services (legal-a)",
                "Human Resources",
                "Legal Services (legal-b)"
            ]
        );
    }
}
