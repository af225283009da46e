//! The validated scenario: the types the projection trusts. Every value here has passed the
//! rules of docs/model.md section 7, so impossible states (a share above 1, a go-live in the base
//! year, low above high) cannot be represented. `crate::scenario` builds these from TOML.

mod money;
mod ramp;
mod series;
mod year;

use std::collections::BTreeMap;

use rust_decimal::Decimal;

pub(crate) use money::lcm;
pub use money::{
    ArithmeticError, Case, Cases, DiscountRate, Money, PlainText, Share, add, div, exact_add,
    exact_mul, group_thousands, grouped, plain, rounded, sub, sum,
};
pub use ramp::Ramp;
pub use series::{Basis, Series, YearSeries, shifted};
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
    /// The gap built from the budget, pressures and funding (docs/model.md section 9.5).
    pub gap_build: GapInputs,
    /// Services in file order.
    pub services: Vec<Service>,
    /// The scenario-wide optimism bias as written (each option carries its effective bias).
    pub optimism_bias: Option<OptimismBias>,
    /// The scenario's default distribution of savings in simulation.
    pub distribution: Distribution,
    /// Where the scenario-wide figures come from.
    pub source: Option<String>,
    /// How delivery is monitored (docs/model.md section 10).
    pub tracking: Tracking,
}

/// Delivery tracking (docs/model.md section 10): the month the figures describe, and how much
/// of a rated line's delivery the risk-adjusted view counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tracking {
    /// `[scenario] as_at`: the month delivered and forecast figures describe.
    pub as_at: Option<GoLive>,
    pub confidence: Confidence,
}

/// `[tracking] confidence`: the share of a rated line's delivery counted risk-adjusted. Blue
/// (delivered) is always 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Confidence {
    pub green: Share,
    pub amber: Share,
    pub red: Share,
}

impl Default for Confidence {
    /// The assumptions of docs/model.md section 10: green 1, amber 0.5, red 0.
    fn default() -> Self {
        Confidence {
            green: Share::ONE,
            amber: Share::new(Decimal::new(5, 1)).unwrap_or(Share::ONE),
            red: Share::ZERO,
        }
    }
}

impl Confidence {
    /// The share counted for a line rated `rag`.
    pub fn of(&self, rag: Rag) -> Share {
        match rag {
            Rag::Blue => Share::ONE,
            Rag::Green => self.green,
            Rag::Amber => self.amber,
            Rag::Red => self.red,
        }
    }
}

/// A line's RAG rating.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rag {
    /// Delivered.
    Blue,
    /// On track.
    Green,
    /// At risk.
    Amber,
    /// Will not deliver as planned.
    Red,
}

impl Rag {
    pub const ALL: [Rag; 4] = [Rag::Blue, Rag::Green, Rag::Amber, Rag::Red];

    /// As the scenario writes it.
    pub fn name(self) -> &'static str {
        match self {
            Rag::Blue => "blue",
            Rag::Green => "green",
            Rag::Amber => "amber",
            Rag::Red => "red",
        }
    }

    /// Amber and red: the lines whose plan is at risk.
    pub fn at_risk(self) -> bool {
        matches!(self, Rag::Amber | Rag::Red)
    }
}

impl std::fmt::Display for Rag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What a line's monitoring says (docs/model.md section 10): delivered and forecast in-year
/// savings by year (the same in every case), and its RAG rating.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineTracking {
    /// The in-year saving achieved, in past years and the current one.
    pub delivered: YearSeries,
    /// The in-year saving now expected, in the current year and later ones.
    pub forecast: YearSeries,
    pub rag: Option<Rag>,
}

impl LineTracking {
    /// Whether the line carries any tracking field.
    pub fn is_given(&self) -> bool {
        !self.delivered.is_empty() || !self.forecast.is_empty() || self.rag.is_some()
    }

    /// The delivery recorded for `year`: `delivered` if named, else `forecast` if named.
    pub fn recorded(&self, year: FinancialYear) -> Option<Money> {
        if self.delivered.contains(year) {
            Some(self.delivered.get(year))
        } else if self.forecast.contains(year) {
            Some(self.forecast.get(year))
        } else {
            None
        }
    }
}

impl Scenario {
    /// The current year of delivery tracking: the financial year of `as_at`.
    pub fn current_year(&self) -> Option<FinancialYear> {
        self.tracking.as_at.map(GoLive::financial_year)
    }

    /// The first line (service and option taken forward) with a tracking field, if any.
    pub fn first_tracked(&self) -> Option<(&Service, &SavingOption)> {
        self.taken_forward().find(|(_, o)| o.tracking.is_given())
    }

    /// Whether the scenario says anything about delivery: `as_at`, or a line taken forward
    /// with delivered, forecast or a rating.
    pub fn is_tracked(&self) -> bool {
        self.tracking.as_at.is_some() || self.first_tracked().is_some()
    }
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

    /// The years the gap is tested in (`--check-gap`, coverage, sweeps): the years a plain
    /// `gap.unidentified` names; where the gap is written in levels, every projected year from
    /// the first named; where it is built from the budget or pressures (docs/model.md section
    /// 9.5), every projected year.
    pub fn gap_years(&self) -> Vec<FinancialYear> {
        if self.gap_build.is_given() {
            return self.years().collect();
        }
        let unidentified = &self.gap.unidentified;
        match unidentified.basis() {
            Basis::Levels => {
                let first = unidentified.iter().map(|(y, _)| y).next();
                self.years()
                    .filter(|y| first.is_some_and(|f| *y >= f))
                    .collect()
            }
            _ => self.years().filter(|y| unidentified.contains(*y)).collect(),
        }
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

/// What the gap is built from, besides `gap.unidentified` (docs/model.md section 9.5).
#[derive(Clone, Debug, Default)]
pub struct GapInputs {
    /// `[budget]`: with it the gap to date is `RQ - F - V`.
    pub budget: Option<PlanBudget>,
    /// `[[pressure]]` lines: their levels add to the requirement (or, without `[budget]`, to
    /// the gap to date).
    pub pressures: Vec<GapLine>,
    /// `[[funding]]` lines (only with `[budget]`).
    pub funding: Vec<GapLine>,
}

impl GapInputs {
    /// Whether the scenario builds its gap from anything but `gap.unidentified`.
    pub fn is_given(&self) -> bool {
        self.budget.is_some() || !self.pressures.is_empty()
    }
}

/// `[budget]`: the base of the requirement, and one-off use of reserves.
#[derive(Clone, Debug)]
pub struct PlanBudget {
    pub base: Requirement,
    /// `V(y)`: reserves used in each year (that year only); negative is a contribution.
    pub reserves: YearSeries,
    pub source: Option<String>,
}

/// How the budget requirement is given.
#[derive(Clone, Debug)]
pub enum Requirement {
    /// The base year's net budget, rolled forward and increased by the pressures.
    Net(Money),
    /// The requirement as the document prints it, by year (levels, not measured from the base
    /// year).
    Levels(YearSeries),
}

/// A pressure or a funding line.
#[derive(Clone, Debug)]
pub struct GapLine {
    pub id: String,
    pub name: String,
    /// Its amounts; read through [`YearSeries::levels`].
    pub amount: YearSeries,
    /// The low and high ends of its amounts, where the scenario gives either, for
    /// sensitivity only (`run` moves savings between cases, not the gap). Levels low <=
    /// amount <= high in every projected year.
    pub low: Option<YearSeries>,
    pub high: Option<YearSeries>,
    pub area: Option<String>,
    pub source: Option<String>,
}

impl GapLine {
    /// Its low and high amounts, an end not given being the amount itself; `None` where it
    /// gives no range.
    pub fn range(&self) -> Option<(&YearSeries, &YearSeries)> {
        if self.low.is_none() && self.high.is_none() {
            return None;
        }
        Some((
            self.low.as_ref().unwrap_or(&self.amount),
            self.high.as_ref().unwrap_or(&self.amount),
        ))
    }
}

/// Where a saving stands in the plan (docs/model.md section 9.4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// A new saving, not yet in the MTFP: measured against the service's planned savings.
    #[default]
    Proposed,
    /// Agreed and counted in the MTFP: its own central amounts are its plan.
    Approved,
    /// Already taken out of the budget: delivers its plan in every case, never moves the gap.
    InBase,
    /// Approved once, now not to be delivered: its plan reopens the gap.
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Proposed,
        Status::Approved,
        Status::InBase,
        Status::Withdrawn,
    ];

    /// As the scenario writes it.
    pub fn name(self) -> &'static str {
        match self {
            Status::Proposed => "proposed",
            Status::Approved => "approved",
            Status::InBase => "in-base",
            Status::Withdrawn => "withdrawn",
        }
    }

    /// Whether the saving is already counted in the plan (its own amounts are `LP`).
    pub fn is_planned(self) -> bool {
        self != Status::Proposed
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A service under review.
#[derive(Clone, Debug)]
pub struct Service {
    pub id: String,
    pub name: String,
    /// The directorate or portfolio it is subtotalled under.
    pub area: Option<String>,
    /// Whether the file wrote its one option on the service itself (docs/model.md section
    /// 9.3): its option has the service's id, and field paths name the service only.
    pub one_line: bool,
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

    /// The path of `option`'s fields as messages print it: `service[legal].option[abs]`, or
    /// `service[salt]` for a one-line service.
    pub fn option_path(&self, option: &SavingOption) -> String {
        if self.one_line {
            format!("service[{}]", self.id)
        } else {
            format!("service[{}].option[{}]", self.id, option.id)
        }
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
    /// `S`, the steady-state annual saving, in each case (for a profile, its level in the last
    /// projected year).
    pub saving: Cases<Money>,
    /// How the scenario wrote `S`.
    pub saving_basis: SavingBasis,
    /// How `D` is built: from `S` by a ramp, or written year by year.
    pub build: Build,
    /// Where the saving stands in the plan.
    pub status: Status,
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
    /// Delivered, forecast and RAG (docs/model.md section 10).
    pub tracking: LineTracking,
}

impl SavingOption {
    /// The go-live of a saving built up from `S` (none for a profile).
    pub fn start(&self) -> Option<GoLive> {
        match &self.build {
            Build::Ramp { start, .. } => Some(*start),
            Build::Profile(_) => None,
        }
    }

    /// The ramp of a saving built up from `S` (none for a profile).
    pub fn ramp(&self) -> Option<&Ramp> {
        match &self.build {
            Build::Ramp { ramp, .. } => Some(ramp),
            Build::Profile(_) => None,
        }
    }

    /// Whether its delivery may be recorded: an approved or withdrawn line (docs/model.md
    /// section 10).
    pub fn tracks_delivery(&self) -> bool {
        matches!(self.status, Status::Approved | Status::Withdrawn)
    }

    /// The delivery it records in `year` (delivered, else forecast), where it may record one.
    pub fn recorded(&self, year: FinancialYear) -> Option<Money> {
        self.tracks_delivery()
            .then(|| self.tracking.recorded(year))
            .flatten()
    }

    /// Whether the saving is written year by year.
    pub fn is_profile(&self) -> bool {
        matches!(self.build, Build::Profile(_))
    }
}

/// How an option's in-year saving `D(y)` is built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Build {
    /// `S` from go-live, built up by a ramp (docs/model.md section 4).
    Ramp { start: GoLive, ramp: Ramp },
    /// `D(y)` as the plan states it, in every projected year and case (docs/model.md
    /// section 9.2), optimism bias applied.
    Profile(Cases<Series>),
}

/// An option's figures before optimism bias.
#[derive(Clone, Debug)]
pub struct AsWritten {
    pub saving: Cases<Money>,
    pub build: Build,
    /// A profile's tables as written (levels or increments), for outputs that show inputs.
    pub profile: Option<Cases<YearSeries>>,
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
