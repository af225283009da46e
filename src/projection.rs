//! docs/model.md section 4: how savings are counted, in two stages.
//!
//! 1. **Lines.** Each service with an option taken forward is a [`Line`]; its in-year saving
//!    `D` comes from the line's [`Source`] (today a steady state built up by a ramp), as one
//!    series per case. Only the source knows how `D` is built, and it says what an analysis
//!    can vary in it (Monte Carlo, sensitivity and goal seek ask it, rather than restating
//!    the rule).
//! 2. **Aggregation.** From the lines' `D`: the incremental saving `I`, planned savings to
//!    date `LP`, contribution `N` and one-off costs `C` per service; for the total, also the
//!    gap to date `LG` and the remaining gap `R`; then the ten-year figures (total, average,
//!    steady state, NPV, payback). Running totals of by-year tables are read through
//!    [`crate::model::YearSeries::levels`].
//!
//! All arithmetic is exact decimal and checked: products are formed first and divided once
//! ([`in_year_saving`]), and an overflow is a [`ProjectionError`] naming the figure.

use std::fmt;

use rust_decimal::Decimal;

use crate::model::{
    ArithmeticError, Build, Case, Cases, DiscountRate, FinancialYear, Money, SavingOption,
    Scenario, Service, Share, Status, add, div, shifted,
};

pub use crate::model::Series;

mod gap;
pub mod rows;
mod subtotals;
pub mod totals;

/// A figure that could not be computed, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectionError {
    /// Which figure, in the users' words (`in-year saving of service[legal].option[abs], high
    /// case`).
    pub figure: String,
    /// The scenario field the figure is computed from, where there is one
    /// (`service[legal].option[abs].saving`), so the message can point at it.
    pub field: Option<String>,
    pub cause: ArithmeticError,
}

impl fmt::Display for ProjectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot compute the {}: {}", self.figure, self.cause)
    }
}

impl std::error::Error for ProjectionError {}

type Result<T> = std::result::Result<T, ProjectionError>;

/// Attaches the name of the figure (and the field it comes from) to an arithmetic error.
trait Naming<T> {
    fn naming(self, figure: impl FnOnce() -> String) -> Result<T>;
    fn naming_at(
        self,
        figure: impl FnOnce() -> String,
        field: impl FnOnce() -> String,
    ) -> Result<T>;
}

impl<T> Naming<T> for std::result::Result<T, ArithmeticError> {
    fn naming(self, figure: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|cause| ProjectionError {
            figure: figure(),
            field: None,
            cause,
        })
    }

    fn naming_at(
        self,
        figure: impl FnOnce() -> String,
        field: impl FnOnce() -> String,
    ) -> Result<T> {
        self.map_err(|cause| ProjectionError {
            figure: figure(),
            field: Some(field()),
            cause,
        })
    }
}

/// Which delivery a projection counts for lines whose delivery is tracked (docs/model.md
/// section 10). Every figure of the projection (D, I, N, R, totals, subtotals, NPV, payback)
/// follows from it; the plan `LP` is the central plan in every mode.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Delivery {
    /// `delivered(y)` if given, else `forecast(y)`, else the plan in each case (0 for a
    /// withdrawn line): what [`project`] counts.
    #[default]
    Forecast,
    /// Delivered and forecast figures ignored: approved lines as planned, withdrawn lines 0.
    Planned,
    /// As forecast, then for every rated line but an in-base one, in every year with no
    /// `delivered` figure, the confidence of its rating times that delivery.
    RiskAdjusted,
}

impl Delivery {
    pub const ALL: [Delivery; 3] = [
        Delivery::Planned,
        Delivery::Forecast,
        Delivery::RiskAdjusted,
    ];

    /// As outputs name it.
    pub fn name(self) -> &'static str {
        match self {
            Delivery::Forecast => "forecast",
            Delivery::Planned => "planned",
            Delivery::RiskAdjusted => "risk-adjusted",
        }
    }
}

/// A figure in each of the three views of delivery (docs/model.md section 10).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Views<T> {
    pub planned: T,
    pub forecast: T,
    pub risk_adjusted: T,
}

impl<T> Views<T> {
    pub fn get(&self, delivery: Delivery) -> &T {
        match delivery {
            Delivery::Planned => &self.planned,
            Delivery::Forecast => &self.forecast,
            Delivery::RiskAdjusted => &self.risk_adjusted,
        }
    }
}

/// What monitoring adds to a projection of a tracked scenario (docs/model.md section 10),
/// central case: the totals in each view of delivery, and the savings at risk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrackingFigures {
    /// Total in-year saving `D(y)` in each view.
    pub in_year: Views<Series>,
    /// Total contribution `N(y)` in each view.
    pub contribution: Views<Series>,
    /// Remaining gap `R(y)` in each view.
    pub remaining_gap: Views<Series>,
    /// Savings at risk: the central `D` as planned of the amber and red lines that are
    /// approved or proposed.
    pub at_risk: Series,
}

/// The whole projection of a scenario.
#[derive(Clone, Debug)]
pub struct Projection {
    /// Which delivery it counts.
    pub delivery: Delivery,
    /// The views of delivery and savings at risk, where the scenario tracks delivery.
    pub tracking: Option<TrackingFigures>,
    /// The projected years.
    pub years: Vec<FinancialYear>,
    /// Services with an option taken forward, in file order.
    pub services: Vec<ServiceProjection>,
    /// Indexes (into `Scenario::services`) of services whose decision is deferred.
    pub deferred: Vec<usize>,
    pub total: TotalProjection,
    /// Figures across all services, taken forward or not, reported as context.
    pub context: Context,
}

/// Totals over every service in the file, whatever is taken forward: the source's figures
/// for the areas under review (docs/model.md section 2) are of this kind.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// Planned savings in the base year (already in the base budget).
    pub planned_base_year: Money,
    /// Planned savings summed over the MTFP period.
    pub planned_mtfp_period: Money,
    pub budget_gross: Money,
    pub budget_net: Money,
}

/// What one option would do, in each case, whether or not it is taken forward.
#[derive(Clone, Debug)]
pub struct OptionProjection {
    /// `D(y)`.
    pub in_year: Cases<Series>,
    /// `I(y) = D(y) - D(y-1)`.
    pub incremental: Cases<Series>,
    /// `C(y)` for the projected years.
    pub one_off_cost: Series,
    /// One-off costs in the base year (t = 0 of NPV and payback).
    pub base_year_cost: Money,
    pub summary: Cases<Summary>,
    /// For a saving already in the plan (approved, in-base, withdrawn): its central `D` as
    /// written, which is its plan `LP` (docs/model.md section 9.4).
    pub plan: Option<Series>,
}

/// One service and the option taken forward.
#[derive(Clone, Debug)]
pub struct ServiceProjection {
    /// Index into `Scenario::services`.
    pub service: usize,
    /// Index into that service's options.
    pub option: usize,
    pub figures: OptionProjection,
    /// `LP(y)`: the service's planned savings to date (projected years only).
    pub planned_to_date: Series,
    /// `N(y) = D(y) - w x LP(y)`.
    pub contribution: Cases<Series>,
    /// The test "meets or exceeds planned savings" over the MTFP period.
    pub meets_plan: Cases<MeetsPlan>,
}

impl ServiceProjection {
    /// Variance `D - LP` per year (central case) of a line whose delivery is tracked
    /// (approved or withdrawn): its contribution, `w` not applied (docs/model.md section 10).
    pub fn variance(&self, scenario: &Scenario) -> Option<&Series> {
        let option = scenario
            .services
            .get(self.service)?
            .options
            .get(self.option)?;
        option
            .tracks_delivery()
            .then_some(&self.contribution.central)
    }

    /// The share `w` of its planned savings that its contribution takes off: the scenario's
    /// overlap, or 1 for a saving already in the plan (docs/model.md section 9.4).
    pub fn overlap(&self, scenario: &Scenario) -> Share {
        match self.figures.plan {
            Some(_) => Share::ONE,
            None => scenario.overlap,
        }
    }

    /// `w x LP(y)` in each projected year: what `N = D - w x LP` takes off `D`.
    pub fn weighted_plan(
        &self,
        scenario: &Scenario,
    ) -> std::result::Result<Series, ArithmeticError> {
        let overlap = self.overlap(scenario);
        self.planned_to_date
            .iter()
            .map(|lp| {
                if overlap == Share::ONE {
                    Ok(*lp)
                } else {
                    lp.times(overlap)
                }
            })
            .collect()
    }
}

/// The meets-plan test for one service in one case: `D(y) - LP(y)` for each MTFP year, and
/// whether every margin is at least zero.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeetsPlan {
    pub margins: Vec<(FinancialYear, Money)>,
    pub holds: bool,
}

/// The totals across services.
#[derive(Clone, Debug)]
pub struct TotalProjection {
    pub in_year: Cases<Series>,
    pub incremental: Cases<Series>,
    pub planned_to_date: Series,
    pub contribution: Cases<Series>,
    pub one_off_cost: Series,
    pub base_year_cost: Money,
    /// One-off costs over the projected years.
    pub one_off_cost_total: Money,
    /// `LG(y)`: the unidentified gap to date.
    pub gap_to_date: Series,
    /// `R(y) = LG(y) - N(y)`; the year is closed when `R(y) <= 0`.
    pub remaining_gap: Cases<Series>,
    pub summary: Cases<Summary>,
    /// What the gap to date is built from, where the scenario builds it (docs/model.md
    /// section 9.5).
    pub gap_build: Option<GapBuild>,
    /// `D`, `LP` and `N` by status, in the order of [`Status::ALL`], for the statuses the
    /// lines have.
    pub by_status: Vec<(Status, Subtotal)>,
    /// `D`, `LP` and `N` by area, in the order areas are first named; lines with no area
    /// under `None`. Empty where no service names an area.
    pub by_area: Vec<(Option<String>, Subtotal)>,
}

/// The subtotals by status and by area.
type Subtotals = (Vec<(Status, Subtotal)>, Vec<(Option<String>, Subtotal)>);

/// The sums over some of the lines.
#[derive(Clone, Debug)]
pub struct Subtotal {
    /// How many lines.
    pub lines: usize,
    pub in_year: Cases<Series>,
    pub planned_to_date: Series,
    pub contribution: Cases<Series>,
}

/// The gap to date, built from the budget (`LG = RQ - F - V`) or from the unidentified gap and
/// pressures (`LG = sum of G to date + pressure levels`).
#[derive(Clone, Debug)]
pub struct GapBuild {
    /// `RQ(y)`, with `[budget]`.
    pub requirement: Option<Series>,
    /// `F(y)`, with `[budget]`.
    pub funding: Option<Series>,
    /// `V(y)`, with `[budget]`.
    pub reserves: Option<Series>,
    /// The pressures' levels, without `[budget]`.
    pub pressures: Option<Series>,
    /// The unidentified gap to date, without `[budget]`.
    pub unidentified: Option<Series>,
    /// Each pressure line's levels, in file order.
    pub pressure_lines: Vec<Series>,
    /// Each funding line's levels, in file order.
    pub funding_lines: Vec<Series>,
}

/// The ten-year figures (over the horizon, ten years by default).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// `sum D(y)` over the horizon.
    pub total_saving: Money,
    /// The total over the number of years in the horizon.
    pub average_per_year: Money,
    /// `sum S`: the annual saving once fully built up.
    pub steady_state: Money,
    /// `sum over t = 0..horizon of (D(t) - C(t)) / (1 + r)^t`.
    pub npv: Money,
    /// When cumulative `D - C` is paid back.
    pub payback: Payback,
    /// Years with `R(y) <= 0` (totals only; empty for a single option).
    pub closed_years: Vec<FinancialYear>,
}

/// When the one-off costs are paid back (docs/model.md section 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Payback {
    /// The first projected year from which cumulative `D - C`, counted from the base year,
    /// is at least zero and stays so to the horizon.
    In(FinancialYear),
    /// No such year within the horizon ("none").
    Never,
    /// Nothing to pay back: no saving and no one-off cost in any year, base year included
    /// (an option such as "do nothing"), where the rule above would name the first projected
    /// year ("none needed").
    NotNeeded,
}

impl Payback {
    /// The payback year, if there is one.
    pub fn year(self) -> Option<FinancialYear> {
        match self {
            Payback::In(year) => Some(year),
            Payback::Never | Payback::NotNeeded => None,
        }
    }

    /// Whether there is anything to pay back.
    pub fn needed(self) -> bool {
        self != Payback::NotNeeded
    }
}

impl fmt::Display for Payback {
    /// As tables show it: the year, `none`, or `none needed`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Payback::In(year) => write!(f, "{year}"),
            Payback::Never => f.write_str("none"),
            Payback::NotNeeded => f.write_str("none needed"),
        }
    }
}

impl TotalProjection {
    /// `N / LG` where `LG > 0`: the share of the unidentified gap to date the options cover.
    /// `None` where there is no gap to date, or where the ratio is beyond what a decimal
    /// holds (a gap of a few millionths of a penny).
    pub fn gap_coverage(&self, case: Case, index: usize) -> Option<Decimal> {
        let gap = self.gap_to_date.get(index)?.amount();
        let contribution = self.contribution.get(case).get(index)?.amount();
        (gap > Decimal::ZERO)
            .then(|| contribution.checked_div(gap))
            .flatten()
    }
}

/// A line of the plan: a service and the option it takes forward.
#[derive(Clone, Copy, Debug)]
pub struct Line<'a> {
    /// Index into `Scenario::services`.
    pub service_index: usize,
    pub service: &'a Service,
    /// Index into the service's options.
    pub option_index: usize,
    pub option: &'a SavingOption,
}

impl<'a> Line<'a> {
    /// Where the line's in-year saving comes from.
    pub fn source(&self) -> Source<'a> {
        Source::of(self.option)
    }
}

/// The lines of `scenario`: every service with an option taken forward, in file order
/// (deferred services have none).
pub fn lines(scenario: &Scenario) -> impl Iterator<Item = Line<'_>> {
    scenario
        .services
        .iter()
        .enumerate()
        .filter_map(|(service_index, service)| {
            let option_index = service.taken_forward?;
            Some(Line {
                service_index,
                service,
                option_index,
                option: service.options.get(option_index)?,
            })
        })
}

/// Where an in-year saving comes from: the first stage of the projection, and the one place
/// that knows how `D(y)` is built from what the scenario says.
///
/// What each analysis may vary, by source:
/// - [`Source::SteadyState`]: `D` is linear in the steady-state saving `S`: Monte Carlo draws
///   `S` and scales [`Source::unit_factors`]; sensitivity solves for `S` with the exact
///   [`Source::unit_factor`]; goal seek moves `S` and projects again. A slip of go-live moves
///   the build-up later ([`slipped`]).
/// - [`Source::Profile`]: `D` is written year by year; an analysis scales the central profile
///   as a whole ([`Source::unit_factors`] is the central profile), and a slip moves it later.
#[derive(Clone, Copy, Debug)]
pub enum Source<'a> {
    /// A steady-state saving built up by a ramp from go-live: `D = S x r(k) x p(k)`
    /// (docs/model.md section 4.1).
    SteadyState(&'a SavingOption),
    /// Yearly amounts as the plan states them: `D(y) = level(y)` (docs/model.md section 9.2).
    Profile(&'a Cases<Series>),
}

impl<'a> Source<'a> {
    pub fn of(option: &'a SavingOption) -> Self {
        match &option.build {
            Build::Ramp { .. } => Source::SteadyState(option),
            Build::Profile(levels) => Source::Profile(levels),
        }
    }

    /// `D(y)` in every projected year, in `case`.
    pub fn in_year(
        &self,
        scenario: &Scenario,
        case: Case,
    ) -> std::result::Result<Series, ArithmeticError> {
        match self {
            Source::SteadyState(option) => {
                in_year_savings(scenario, option, *option.saving.get(case))
            }
            Source::Profile(levels) => Ok(levels.get(case).clone()),
        }
    }

    /// `D(y)` per unit of the figure an analysis scales (the steady-state saving), in every
    /// projected year, exactly.
    pub fn unit_factors(
        &self,
        scenario: &Scenario,
    ) -> std::result::Result<Series, ArithmeticError> {
        match self {
            Source::SteadyState(option) => {
                in_year_savings(scenario, option, Money::new(Decimal::ONE))
            }
            Source::Profile(levels) => Ok(levels.central.clone()),
        }
    }
}

impl Source<'_> {
    /// `D(year)` per unit of the steady-state saving as an exact fraction (numerator,
    /// denominator): `r(k) x months / (ramp denominator x 12)`, for analyses that solve
    /// for the saving (switching values).
    pub fn unit_factor(&self, year: FinancialYear) -> (Decimal, Decimal) {
        match self {
            Source::SteadyState(option) => match build_up_fraction(option, year) {
                Some((numerator, months, denominator)) => (
                    numerator * Decimal::from(months),
                    Decimal::from(denominator),
                ),
                None => (Decimal::ZERO, Decimal::ONE),
            },
            Source::Profile(_) => (Decimal::ZERO, Decimal::ONE),
        }
    }
}

/// Which year of its build-up `year` is for `option`: 1 in its go-live year, 2 the year after,
/// 0 before go-live. The one place the go-live year is counted from.
/// 0 for a profile, which has no go-live of its own.
pub fn build_up_year(option: &SavingOption, year: FinancialYear) -> u32 {
    option
        .start()
        .map_or(0, |start| year_from_go_live(start, year))
}

/// Which year of a build-up from `start` `year` is: 1 in the go-live year, 0 before it.
fn year_from_go_live(start: crate::model::GoLive, year: FinancialYear) -> u32 {
    u32::try_from(year.years_after(start.financial_year()) + 1).unwrap_or(0)
}

/// The saving of `option` in `year`, when its steady-state saving is `saving`:
/// `D = S x r(k) x p(k)`, `k` the year of build-up ([`build_up_year`]), docs/model.md
/// section 4.
///
/// The part-year factor `p(1)` is (months from go-live to 31 March) / 12, `p(k > 1) = 1`.
/// To stay exact, `S x r x months` is formed first and divided once, last: `linear 3` from
/// July is `3 x 1 x 9 / (3 x 12)`, exactly 0.75, and 2.4 from March is `2.4 x 1 / 12`,
/// exactly 0.2. Non-terminating quotients keep rust_decimal's full precision.
pub fn in_year_saving(
    option: &SavingOption,
    saving: Money,
    year: FinancialYear,
) -> std::result::Result<Money, ArithmeticError> {
    in_year_saving_of(&option.build, saving, year)
}

/// [`in_year_saving`] for a saving built as `build` (a profile saves nothing by this rule).
fn in_year_saving_of(
    build: &Build,
    saving: Money,
    year: FinancialYear,
) -> std::result::Result<Money, ArithmeticError> {
    let Some((share_numerator, months, denominator)) = build_up_fraction_of(build, year) else {
        return Ok(Money::ZERO);
    };
    saving
        .times_decimal(share_numerator)?
        .times_decimal(Decimal::from(months))?
        .divided_by(denominator)
}

/// `r(k) x p(k)` in `year` (year `k` of the option's build-up) as the ramp's numerator, the
/// months counted, and one denominator (ramp denominator x 12); `None` before go-live, and for
/// a profile.
pub fn build_up_fraction(option: &SavingOption, year: FinancialYear) -> Option<(Decimal, u8, u64)> {
    build_up_fraction_of(&option.build, year)
}

fn build_up_fraction_of(build: &Build, year: FinancialYear) -> Option<(Decimal, u8, u64)> {
    let Build::Ramp { start, ramp } = build else {
        return None;
    };
    let k = year_from_go_live(*start, year);
    if k == 0 {
        return None;
    }
    let months = if k == 1 {
        start.months_in_first_year()
    } else {
        12
    };
    let (share_numerator, share_denominator) = ramp.fraction(k);
    Some((share_numerator, months, u64::from(share_denominator) * 12))
}

/// `option` with its go-live `months` later (a slip in Monte Carlo or sensitivity), or
/// `None` where that moves it past the last year the tool can name: past every horizon, so
/// the option saves nothing within it (its one-off costs stay where they are written). A
/// slip never falls back to the go-live the option had. A profile moves later as
/// docs/model.md section 9.2 says ([`shifted`]); a moved level that cannot be held exactly
/// is an error, not a saving of nothing.
pub fn slipped(
    option: &SavingOption,
    months: u32,
) -> std::result::Result<Option<SavingOption>, ArithmeticError> {
    let mut changed = option.clone();
    changed.build = match &option.build {
        Build::Ramp { start, ramp } => match start.delayed_by(months) {
            Some(start) => Build::Ramp {
                start,
                ramp: ramp.clone(),
            },
            None => return Ok(None),
        },
        Build::Profile(levels) => Build::Profile(levels.try_map(|_, l| shifted(l, months))?),
    };
    Ok(Some(changed))
}

/// `D(y)` of `option` for every projected year of `scenario`, at steady-state saving `saving`.
pub fn in_year_savings(
    scenario: &Scenario,
    option: &SavingOption,
    saving: Money,
) -> std::result::Result<Series, ArithmeticError> {
    scenario
        .years()
        .map(|year| in_year_saving(option, saving, year))
        .collect()
}

/// Projects every service and the totals, or names the first figure that overflows. Tracked
/// lines count as forecast (docs/model.md section 10).
pub fn project(scenario: &Scenario) -> Result<Projection> {
    project_as(scenario, Delivery::Forecast)
}

/// [`project`] counting `delivery`; for a tracked scenario, with the totals in every view
/// and the savings at risk.
pub fn project_as(scenario: &Scenario, delivery: Delivery) -> Result<Projection> {
    let mut projection = project_without_views(scenario, delivery)?;
    if scenario.is_tracked() {
        projection.tracking = Some(tracking_figures(scenario, &projection)?);
    }
    Ok(projection)
}

/// The totals of the three views (central case) and the savings at risk from the view as
/// planned. The view `given` counts is reused; the others are recounted in the central case
/// only ([`central_view`]), which is all they report.
fn tracking_figures(scenario: &Scenario, given: &Projection) -> Result<TrackingFigures> {
    let planned = central_view(scenario, given, Delivery::Planned)?;
    let forecast = central_view(scenario, given, Delivery::Forecast)?;
    let risk_adjusted = central_view(scenario, given, Delivery::RiskAdjusted)?;
    let at_risk_lines = given.services.iter().zip(&planned.lines).filter(|(p, _)| {
        scenario
            .services
            .get(p.service)
            .and_then(|s| s.options.get(p.option))
            .is_some_and(|o| {
                matches!(o.status, Status::Approved | Status::Proposed)
                    && o.tracking.rag.is_some_and(crate::model::Rag::at_risk)
            })
    });
    let at_risk = sum_series(
        &given.years,
        at_risk_lines.map(|(_, d)| d.as_ref()),
        "savings at risk",
    )?;
    Ok(TrackingFigures {
        in_year: Views {
            planned: planned.in_year,
            forecast: forecast.in_year,
            risk_adjusted: risk_adjusted.in_year,
        },
        contribution: Views {
            planned: planned.contribution,
            forecast: forecast.contribution,
            risk_adjusted: risk_adjusted.contribution,
        },
        remaining_gap: Views {
            planned: planned.remaining_gap,
            forecast: forecast.remaining_gap,
            risk_adjusted: risk_adjusted.remaining_gap,
        },
        at_risk,
    })
}

/// The central figures of one view of delivery.
struct CentralView<'a> {
    /// Each line's `D`, in the order of the projection's services.
    lines: Vec<std::borrow::Cow<'a, Series>>,
    in_year: Series,
    contribution: Series,
    remaining_gap: Series,
}

/// `given` counting `delivery` instead, central case: each line's `D` and `N` and the totals
/// `D`, `N` and `R`, exactly as a projection counting `delivery` has them. A line whose
/// delivery neither count touches (no tracking figure, no rating counted at less than 1) is
/// the same in both and is reused; the others are counted again from their delivery as
/// planned. `N = D - w x LP` and `R = LG - N`, as in [`project_service`] and the totals.
fn central_view<'a>(
    scenario: &Scenario,
    given: &'a Projection,
    delivery: Delivery,
) -> Result<CentralView<'a>> {
    let mut lines = Vec::with_capacity(given.services.len());
    let mut contributions_of_lines = Vec::with_capacity(given.services.len());
    for p in &given.services {
        let service = scenario.services.get(p.service);
        let option = service.and_then(|s| s.options.get(p.option));
        let recounted = match (service, option) {
            (Some(service), Some(option))
                if delivery != given.delivery
                    && (counts_tracking(scenario, option, given.delivery)
                        || counts_tracking(scenario, option, delivery)) =>
            {
                let path = service.option_path(option);
                let plan = option
                    .status
                    .is_planned()
                    .then(|| plan_of(scenario, option))
                    .transpose()
                    .and_then(|plan| as_planned(scenario, option, plan.as_ref(), Case::Central))
                    .and_then(|d| tracked_delivery(scenario, option, &d, delivery))
                    .naming_at(
                        || format!("in-year saving of {path}, {} delivery", delivery.name()),
                        || format!("{path}.saving"),
                    )?;
                let n = contributions(p.overlap(scenario), &plan, &p.planned_to_date)
                    .naming(|| format!("contribution of service[{}]", service.id))?;
                Some((plan, n))
            }
            _ => None,
        };
        match recounted {
            Some((d, n)) => {
                lines.push(std::borrow::Cow::Owned(d));
                contributions_of_lines.push(std::borrow::Cow::Owned(n));
            }
            None => {
                lines.push(std::borrow::Cow::Borrowed(&p.figures.in_year.central));
                contributions_of_lines.push(std::borrow::Cow::Borrowed(&p.contribution.central));
            }
        }
    }
    let years = &given.years;
    let in_year = sum_series(years, lines.iter().map(AsRef::as_ref), "in-year saving")?;
    let contribution = sum_series(
        years,
        contributions_of_lines.iter().map(AsRef::as_ref),
        "contribution",
    )?;
    let remaining_gap = given
        .total
        .gap_to_date
        .iter()
        .zip(&contribution)
        .map(|(lg, n)| lg.checked_sub(*n))
        .collect::<std::result::Result<Series, _>>()
        .naming(|| format!("remaining gap, {} delivery", delivery.name()))?;
    Ok(CentralView {
        lines,
        in_year,
        contribution,
        remaining_gap,
    })
}

fn project_without_views(scenario: &Scenario, delivery: Delivery) -> Result<Projection> {
    let years: Vec<FinancialYear> = scenario.years().collect();
    let services = lines(scenario)
        .map(|line| project_line(scenario, &line, delivery))
        .collect::<Result<Vec<_>>>()?;
    let total = project_total(scenario, &services, None)?;
    let context = context(scenario)?;
    Ok(Projection {
        delivery,
        tracking: None,
        years,
        services,
        deferred: deferred(scenario),
        total,
        context,
    })
}

/// Indexes of the services whose decision is deferred.
fn deferred(scenario: &Scenario) -> Vec<usize> {
    scenario
        .services
        .iter()
        .enumerate()
        .filter(|(_, service)| service.taken_forward().is_none())
        .map(|(i, _)| i)
        .collect()
}

/// The context figures. They are reported beside the model, not used by it, so a 29th digit
/// is rounded rather than refused.
fn context(scenario: &Scenario) -> Result<Context> {
    let total = |what: &str, pick: &dyn Fn(&Service) -> Money| {
        Money::total_to_full_precision(scenario.services.iter().map(pick))
            .naming(|| format!("total {what} of all services"))
    };
    let mut in_period = Vec::new();
    let years: Vec<FinancialYear> = scenario.years().collect();
    for service in &scenario.services {
        // A saving already in the plan is its service's plan (docs/model.md section 9.4).
        let written = match service.taken_forward().filter(|o| o.status.is_planned()) {
            Some(option) => {
                let plan = plan_of(scenario, option)
                    .naming(|| format!("plan of {}", service.option_path(option)))?;
                let increments = increments(&plan)
                    .naming(|| format!("plan of {}", service.option_path(option)))?;
                years.iter().copied().zip(increments).collect()
            }
            None => service
                .planned
                .written_increments(&years)
                .naming(|| format!("planned savings of service[{}]", service.id))?,
        };
        in_period.extend(
            written
                .into_iter()
                .filter(|(y, _)| scenario.in_mtfp_period(*y))
                .map(|(_, m)| m),
        );
    }
    let planned_mtfp_period = Money::total_to_full_precision(in_period)
        .naming(|| "total planned savings in the MTFP period of all services".to_string())?;
    Ok(Context {
        planned_base_year: total("planned savings in the base year", &|s| {
            s.planned.get(scenario.base_year)
        })?,
        planned_mtfp_period,
        budget_gross: total("gross budget", &|s| s.budget.gross.unwrap_or_default())?,
        budget_net: total("net budget", &|s| s.budget.net.unwrap_or_default())?,
    })
}

/// What one option of a service would save and cost, in each case. Its in-year saving follows
/// its status (docs/model.md section 9.4): a proposed or approved saving delivers what its
/// source builds, an in-base one its central plan in every case, a withdrawn one nothing.
pub fn project_option(
    scenario: &Scenario,
    service: &Service,
    option: &SavingOption,
) -> Result<OptionProjection> {
    project_option_as(scenario, service, option, Delivery::Forecast)
}

/// [`project_option`] counting `delivery` (docs/model.md section 10): the delivery as planned
/// above, then, as [`tracked_delivery`] says, the figures recorded and the ratings.
pub fn project_option_as(
    scenario: &Scenario,
    service: &Service,
    option: &SavingOption,
    delivery: Delivery,
) -> Result<OptionProjection> {
    let path = service.option_path(option);
    let name = |what: &str, case: Option<Case>| match case {
        Some(case) => format!("{what} of {path}, {case} case"),
        None => format!("{what} of {path}"),
    };
    let saving_field = || format!("{path}.saving");
    let plan = option
        .status
        .is_planned()
        .then(|| plan_of(scenario, option).naming_at(|| name("plan", None), saving_field))
        .transpose()?;
    let in_year = Cases::all(()).try_map(|case, ()| {
        as_planned(scenario, option, plan.as_ref(), case)
            .naming_at(|| name("in-year saving", Some(case)), saving_field)
    })?;
    let in_year = in_year.try_map(|case, d| {
        tracked_delivery(scenario, option, d, delivery)
            .naming(|| name("in-year saving", Some(case)))
    })?;
    let incremental = in_year
        .try_map(|case, d| increments(d).naming(|| name("incremental saving", Some(case))))?;
    let one_off_cost = option.one_off_cost.levels(scenario.years()).naming_at(
        || name("one-off costs", None),
        || format!("{path}.one_off_cost"),
    )?;
    let base_year_cost = option.one_off_cost.get(scenario.base_year);
    let summary = option_summaries(
        scenario,
        service,
        option,
        &in_year,
        base_year_cost,
        &one_off_cost,
    )?;
    Ok(OptionProjection {
        in_year,
        incremental,
        one_off_cost,
        base_year_cost,
        summary,
        plan,
    })
}

/// The ten-year figures of `option` of `service` in each case, from its in-year savings and
/// one-off costs.
fn option_summaries(
    scenario: &Scenario,
    service: &Service,
    option: &SavingOption,
    in_year: &Cases<Series>,
    base_year_cost: Money,
    one_off_cost: &[Money],
) -> Result<Cases<Summary>> {
    let name = |case: Case| {
        format!(
            "ten-year figures of {}, {case} case",
            service.option_path(option)
        )
    };
    let steady_state = |case: Case| match option.status {
        Status::Proposed | Status::Approved => *option.saving.get(case),
        Status::InBase => option.as_written.saving.central,
        Status::Withdrawn => Money::ZERO,
    };
    let central = summarise(
        scenario,
        &in_year.central,
        base_year_cost,
        one_off_cost,
        steady_state(Case::Central),
    )
    .naming(|| name(Case::Central))?;
    // A case whose figures are the central case's has its summary (a single figure, an
    // in-base or withdrawn line): NPV is the costly part, computed once.
    in_year.try_map(|case, d| {
        if *d == in_year.central && steady_state(case) == steady_state(Case::Central) {
            return Ok(central.clone());
        }
        summarise(
            scenario,
            d,
            base_year_cost,
            one_off_cost,
            steady_state(case),
        )
        .naming(|| name(case))
    })
}

/// An option's delivery as planned in `case` (docs/model.md section 9.4), before tracking:
/// what its source builds for a proposed or approved saving, its central plan `plan` for an
/// in-base one, nothing for a withdrawn one.
fn as_planned(
    scenario: &Scenario,
    option: &SavingOption,
    plan: Option<&Series>,
    case: Case,
) -> std::result::Result<Series, ArithmeticError> {
    match (option.status, plan) {
        (Status::InBase, Some(plan)) => Ok(plan.clone()),
        (Status::Withdrawn, _) => Ok(vec![Money::ZERO; scenario.horizon.into()]),
        _ => Source::of(option).in_year(scenario, case),
    }
}

/// A line's delivery `D(y)` counting `delivery` (docs/model.md section 10), from `planned`,
/// its delivery as planned in one case. An approved or withdrawn line delivers `delivered(y)`
/// where given, else `forecast(y)` where given, else as planned: the figures recorded are the
/// same in every case. Risk-adjusted, a rated line (but an in-base one, never adjusted)
/// counts the confidence of its rating times that delivery in every year with no
/// `delivered` figure.
pub fn tracked_delivery(
    scenario: &Scenario,
    option: &SavingOption,
    planned: &[Money],
    delivery: Delivery,
) -> std::result::Result<Series, ArithmeticError> {
    let tracking = &option.tracking;
    let (recorded, confidence) = tracking_counted(scenario, option, delivery);
    if !recorded && confidence.is_none() {
        return Ok(planned.to_vec());
    }
    scenario
        .years()
        .zip(planned)
        .map(|(year, d)| {
            let d = match recorded.then(|| tracking.recorded(year)).flatten() {
                Some(figure) => figure,
                None => *d,
            };
            match confidence {
                Some(share) if !tracking.delivered.contains(year) => d.times(share),
                _ => Ok(d),
            }
        })
        .collect()
}

/// What `delivery` counts of `option`'s tracking: whether its recorded figures (delivered,
/// forecast), and the confidence its rating is counted at where that is not 1.
fn tracking_counted(
    scenario: &Scenario,
    option: &SavingOption,
    delivery: Delivery,
) -> (bool, Option<Share>) {
    let tracking = &option.tracking;
    let recorded = delivery != Delivery::Planned
        && option.tracks_delivery()
        && (!tracking.delivered.is_empty() || !tracking.forecast.is_empty());
    let confidence = match (delivery, tracking.rag) {
        (Delivery::RiskAdjusted, Some(rag)) if option.status != Status::InBase => {
            Some(scenario.tracking.confidence.of(rag)).filter(|c| *c != Share::ONE)
        }
        _ => None,
    };
    (recorded, confidence)
}

/// Whether counting `delivery` changes `option`'s delivery from its delivery as planned.
fn counts_tracking(scenario: &Scenario, option: &SavingOption, delivery: Delivery) -> bool {
    let (recorded, confidence) = tracking_counted(scenario, option, delivery);
    recorded || confidence.is_some()
}

/// The central in-year saving of `option` as written, before optimism bias: the plan of a
/// saving already counted in the MTFP (docs/model.md section 9.4).
pub fn plan_of(
    scenario: &Scenario,
    option: &SavingOption,
) -> std::result::Result<Series, ArithmeticError> {
    match &option.as_written.build {
        Build::Profile(levels) => Ok(levels.central.clone()),
        build => scenario
            .years()
            .map(|year| in_year_saving_of(build, option.as_written.saving.central, year))
            .collect(),
    }
}

/// A line's figures (the second stage, for one service).
fn project_line(scenario: &Scenario, line: &Line, delivery: Delivery) -> Result<ServiceProjection> {
    project_service_as(
        scenario,
        line.service_index,
        line.service,
        line.option_index,
        delivery,
    )
}

/// Service `index` with option `option_index` taken forward: its figures, planned savings
/// to date, contribution and meets-plan test. Used for the option taken forward, and by the
/// appraisal for every other option. An index out of range is an internal error, reported as
/// an overflow of nothing rather than a panic.
///
/// A proposed saving is measured against the service's `planned` (`N = D - w x LP`); a
/// saving already in the plan against its own plan, `w` not applied (`N = D - LP`).
pub fn project_service(
    scenario: &Scenario,
    index: usize,
    service: &Service,
    option_index: usize,
) -> Result<ServiceProjection> {
    project_service_as(scenario, index, service, option_index, Delivery::Forecast)
}

/// [`project_service`] counting `delivery`.
pub fn project_service_as(
    scenario: &Scenario,
    index: usize,
    service: &Service,
    option_index: usize,
    delivery: Delivery,
) -> Result<ServiceProjection> {
    let Some(option) = service.options.get(option_index) else {
        return Err(ProjectionError {
            figure: format!("option #{} of service[{}]", option_index + 1, service.id),
            field: None,
            cause: ArithmeticError::Overflow,
        });
    };
    let figures = project_option_as(scenario, service, option, delivery)?;
    let (planned_to_date, overlap) = match &figures.plan {
        Some(plan) => (plan.clone(), Share::ONE),
        None => (
            service.planned.levels(scenario.years()).naming_at(
                || format!("planned savings to date of service[{}]", service.id),
                || format!("service[{}].planned", service.id),
            )?,
            scenario.overlap,
        ),
    };
    let contribution = contribution_of(service, overlap, &figures.in_year, &planned_to_date)?;
    let meets_plan = figures.in_year.try_map(|case, d| {
        meets_plan(scenario, d, &planned_to_date)
            .naming(|| format!("meets-plan margin of service[{}], {case} case", service.id))
    })?;
    Ok(ServiceProjection {
        service: index,
        option: option_index,
        figures,
        planned_to_date,
        contribution,
        meets_plan,
    })
}

/// `N = D - w x LP` of `service` in each case (`w` is 1 for a saving already in the plan).
fn contribution_of(
    service: &Service,
    overlap: Share,
    in_year: &Cases<Series>,
    planned_to_date: &Series,
) -> Result<Cases<Series>> {
    let field = || format!("service[{}].planned", service.id);
    // `w x LP` is the same in every case: formed once.
    let weighted;
    let weighted_plan = if overlap == Share::ONE {
        planned_to_date
    } else {
        weighted = planned_to_date
            .iter()
            .map(|lp| lp.times(overlap))
            .collect::<std::result::Result<Series, _>>()
            .naming_at(
                || format!("contribution of service[{}], low case", service.id),
                field,
            )?;
        &weighted
    };
    in_year.try_map(|case, d| {
        contributions(Share::ONE, d, weighted_plan).naming_at(
            || format!("contribution of service[{}], {case} case", service.id),
            field,
        )
    })
}

/// What differs between the scenario a projection was made for and the scenario
/// [`reproject`] brings it up to date for; everything else is the same in both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Changed {
    /// The service (index into `Scenario::services`) whose fields changed, if one did.
    pub service: Option<usize>,
    /// The overlap `w`.
    pub overlap: bool,
    /// The discount rate.
    pub discount_rate: bool,
}

/// `previous` (a projection of a scenario) brought up to date for `scenario`, which differs
/// from it only as `changed` says, counting the same delivery: exactly what [`project_as`]
/// gives for `scenario`, with only what the change touches counted again. A changed service is
/// projected afresh; every other line keeps its in-year savings, costs and plan, with its
/// contribution counted again where `w` changed and its ten-year figures where the discount
/// rate did; then the totals (a sweep of one input, docs/model.md section 8).
pub fn reproject(
    scenario: &Scenario,
    previous: &Projection,
    changed: Changed,
) -> Result<Projection> {
    let mut kept = previous.services.iter().peekable();
    let services = lines(scenario)
        .map(|line| {
            // Both lists are in file order: skip the lines `scenario` no longer has.
            while kept.next_if(|p| p.service < line.service_index).is_some() {}
            let same = kept
                .next_if(|p| p.service == line.service_index)
                .filter(|p| p.option == line.option_index)
                .filter(|_| changed.service != Some(line.service_index));
            let Some(same) = same else {
                return project_line(scenario, &line, previous.delivery);
            };
            let mut p = same.clone();
            if changed.discount_rate {
                p.figures.summary = option_summaries(
                    scenario,
                    line.service,
                    line.option,
                    &p.figures.in_year,
                    p.figures.base_year_cost,
                    &p.figures.one_off_cost,
                )?;
            }
            if changed.overlap {
                p.contribution = contribution_of(
                    line.service,
                    p.overlap(scenario),
                    &p.figures.in_year,
                    &p.planned_to_date,
                )?;
            }
            Ok(p)
        })
        .collect::<Result<Vec<_>>>()?;
    let mut projection = Projection {
        delivery: previous.delivery,
        tracking: None,
        years: previous.years.clone(),
        deferred: deferred(scenario),
        total: project_total(
            scenario,
            &services,
            changed.service.is_none().then_some(&previous.total),
        )?,
        services,
        context: match changed.service {
            Some(_) => context(scenario)?,
            None => previous.context.clone(),
        },
    };
    if scenario.is_tracked() {
        projection.tracking = Some(tracking_figures(scenario, &projection)?);
    }
    Ok(projection)
}

/// The years closed: those whose remaining gap `R(y)` is nil or less.
fn closed_years(scenario: &Scenario, remaining_gap: &[Money]) -> Vec<FinancialYear> {
    scenario
        .years()
        .zip(remaining_gap)
        .filter(|(_, r)| !r.is_positive())
        .map(|(y, _)| y)
        .collect()
}

/// Sums series year by year, naming the figure and year that overflows.
fn sum_series<'s>(
    years: &[FinancialYear],
    series: impl IntoIterator<Item = &'s Series>,
    what: &str,
) -> Result<Series> {
    let mut total = vec![Money::ZERO; years.len()];
    for one in series {
        for ((sum, value), year) in total.iter_mut().zip(one).zip(years) {
            *sum = sum
                .checked_add(*value)
                .naming(|| format!("total {what} in {}", year.quoted()))?;
        }
    }
    Ok(total)
}

/// The totals of `services`. `previous`: totals of the same lines whose in-year savings,
/// costs and plans, and the same gap, are all unchanged (only `N` or the discount rate
/// moved, [`reproject`]): those sums are taken from it rather than summed again.
fn project_total(
    scenario: &Scenario,
    services: &[ServiceProjection],
    previous: Option<&TotalProjection>,
) -> Result<TotalProjection> {
    let years: Vec<FinancialYear> = scenario.years().collect();
    let sum_of = |pick: &dyn Fn(&ServiceProjection) -> &Series, what: &str| -> Result<Series> {
        sum_series(&years, services.iter().map(pick), what)
    };
    // In this order, so that the first sum to overflow is named.
    let (in_year, incremental) = match previous {
        Some(p) => (p.in_year.clone(), p.incremental.clone()),
        None => (
            Cases::all(())
                .try_map(|case, ()| sum_of(&|s| s.figures.in_year.get(case), "in-year saving"))?,
            Cases::all(()).try_map(|case, ()| {
                sum_of(&|s| s.figures.incremental.get(case), "incremental saving")
            })?,
        ),
    };
    let contribution =
        Cases::all(()).try_map(|case, ()| sum_of(&|s| s.contribution.get(case), "contribution"))?;
    let (planned_to_date, one_off_cost) = match previous {
        Some(p) => (p.planned_to_date.clone(), p.one_off_cost.clone()),
        None => (
            sum_of(&|s| &s.planned_to_date, "planned savings to date")?,
            sum_of(&|s| &s.figures.one_off_cost, "one-off cost")?,
        ),
    };
    let base_year_cost = Money::total(services.iter().map(|s| s.figures.base_year_cost))
        .naming(|| "total one-off cost in the base year".to_string())?;
    // Reported in a note only, so a 29th digit is rounded rather than refused.
    let one_off_cost_total = Money::total_to_full_precision(one_off_cost.iter().copied())
        .naming(|| "total one-off cost".to_string())?;
    let (gap_to_date, gap_build) = match previous {
        Some(p) => (p.gap_to_date.clone(), p.gap_build.clone()),
        None => gap::gap_to_date(scenario, &years)?,
    };
    // The field the gap to date is written in: the budget, the unidentified gap, or (a gap
    // of pressures alone) the first pressure line.
    let gap_field = match (
        &scenario.gap_build.budget,
        scenario.gap.unidentified.iter().next(),
        scenario.gap_build.pressures.first(),
    ) {
        (Some(_), _, _) => "budget".to_string(),
        (None, None, Some(pressure)) => format!("pressure[{}].amount", pressure.id),
        _ => "gap.unidentified".to_string(),
    };
    let remaining_gap = contribution.try_map(|case, n| {
        gap_to_date
            .iter()
            .zip(n)
            .map(|(lg, n)| lg.checked_sub(*n))
            .collect::<std::result::Result<Series, _>>()
            .naming_at(
                || format!("remaining gap, {case} case"),
                || gap_field.clone(),
            )
    })?;
    let summary = in_year.try_map(|case, d| {
        let steady_state = Money::total(
            services
                .iter()
                .map(|s| s.figures.summary.get(case).steady_state),
        )
        .naming(|| format!("total steady-state saving, {case} case"))?;
        let mut summary = summarise(scenario, d, base_year_cost, &one_off_cost, steady_state)
            .naming(|| format!("total ten-year figures, {case} case"))?;
        summary.closed_years = closed_years(scenario, remaining_gap.get(case));
        Ok(summary)
    })?;
    let (by_status, by_area) = subtotals::subtotals(scenario, &years, services, previous)?;
    Ok(TotalProjection {
        in_year,
        incremental,
        planned_to_date,
        contribution,
        one_off_cost,
        base_year_cost,
        one_off_cost_total,
        gap_to_date,
        remaining_gap,
        summary,
        gap_build,
        by_status,
        by_area,
    })
}

/// `I(y) = D(y) - D(y-1)`, with nothing saved in the base year.
fn increments(in_year: &[Money]) -> std::result::Result<Series, ArithmeticError> {
    let mut previous = Money::ZERO;
    in_year
        .iter()
        .map(|d| {
            let increment = d.checked_sub(previous);
            previous = *d;
            increment
        })
        .collect()
}

/// `N(y) = D(y) - w x LP(y)` (`w` is 1 for a saving already in the plan).
fn contributions(
    overlap: Share,
    in_year: &[Money],
    planned_to_date: &[Money],
) -> std::result::Result<Series, ArithmeticError> {
    in_year
        .iter()
        .zip(planned_to_date)
        .map(|(d, lp)| {
            if overlap == Share::ONE {
                d.checked_sub(*lp)
            } else {
                d.checked_sub(lp.times(overlap)?)
            }
        })
        .collect()
}

/// `D(y) - LP(y)` in each MTFP year; the test holds when none is negative. The margin does
/// not depend on `w` (docs/model.md section 4).
fn meets_plan(
    scenario: &Scenario,
    in_year: &[Money],
    planned_to_date: &[Money],
) -> std::result::Result<MeetsPlan, ArithmeticError> {
    let margins = scenario
        .years()
        .zip(in_year.iter().zip(planned_to_date))
        .filter(|(year, _)| scenario.in_mtfp_period(*year))
        .map(|(year, (d, lp))| Ok((year, d.checked_sub(*lp)?)))
        .collect::<std::result::Result<Vec<_>, ArithmeticError>>()?;
    let holds = margins.iter().all(|(_, m)| !m.is_negative());
    Ok(MeetsPlan { margins, holds })
}

/// The ten-year figures of a series of in-year savings and one-off costs.
fn summarise(
    scenario: &Scenario,
    in_year: &[Money],
    base_year_cost: Money,
    one_off_cost: &[Money],
    steady_state: Money,
) -> std::result::Result<Summary, ArithmeticError> {
    let total_saving = Money::total(in_year.iter().copied())?;
    let average_per_year = total_saving.divided_by(u64::from(scenario.horizon))?;
    // D - C is a working figure for NPV and payback, never reported itself.
    let net: Vec<Money> = in_year
        .iter()
        .zip(one_off_cost)
        .map(|(d, c)| d.sub_to_full_precision(*c))
        .collect::<std::result::Result<_, _>>()?;
    let base = Money::ZERO.checked_sub(base_year_cost)?;
    let nothing = |values: &[Money]| values.iter().all(|v| v.is_zero());
    let payback = if nothing(in_year) && nothing(one_off_cost) && base_year_cost.is_zero() {
        Payback::NotNeeded
    } else {
        payback_year(scenario, base, &net)?.map_or(Payback::Never, Payback::In)
    };
    Ok(Summary {
        total_saving,
        average_per_year,
        steady_state,
        npv: discounted(&factors_of(scenario)?, base, &net)?,
        payback,
        closed_years: Vec::new(),
    })
}

/// Discount factors for a rate over a horizon.
type Factors = (DiscountRate, u16, std::rc::Rc<Vec<Decimal>>);

thread_local! {
    /// The discount factors of the rate and horizon used last: a projection discounts every
    /// option in every case at one rate over one horizon.
    static FACTORS: std::cell::RefCell<Option<Factors>> = const { std::cell::RefCell::new(None) };
}

/// The discount factors of `scenario`'s rate over its horizon, computed once per rate and
/// horizon.
fn factors_of(
    scenario: &Scenario,
) -> std::result::Result<std::rc::Rc<Vec<Decimal>>, ArithmeticError> {
    let key = (scenario.discount_rate, scenario.horizon);
    if let Some(factors) = FACTORS.with(|f| {
        f.borrow()
            .as_ref()
            .filter(|(rate, horizon, _)| (*rate, *horizon) == key)
            .map(|(_, _, factors)| std::rc::Rc::clone(factors))
    }) {
        return Ok(factors);
    }
    let factors = std::rc::Rc::new(discount_factors(key.0, usize::from(key.1))?);
    FACTORS.with(|f| *f.borrow_mut() = Some((key.0, key.1, std::rc::Rc::clone(&factors))));
    Ok(factors)
}

/// `sum over t = 0..horizon of net(t) / (1 + r)^t`, t = 0 the base year (undiscounted).
///
/// At a rate of zero this is the plain sum, exact like any other. Otherwise the discount
/// factor is carried from year to year (`f(t) = f(t-1) / (1 + r)`) rather than raising
/// `1 + r` to a power, which would overflow for long horizons at high rates; each step keeps
/// rust_decimal's full 28 digits, as discounting rarely terminates.
pub fn net_present_value(
    rate: DiscountRate,
    base_year_net: Money,
    net: &[Money],
) -> std::result::Result<Money, ArithmeticError> {
    let factors = discount_factors(rate, net.len())?;
    discounted(&factors, base_year_net, net)
}

/// `1 / (1 + r)^t` for t = 1..=years, each from the one before (see [`net_present_value`]);
/// empty at a rate of zero, where nothing is discounted.
pub fn discount_factors(
    rate: DiscountRate,
    years: usize,
) -> std::result::Result<Vec<Decimal>, ArithmeticError> {
    if rate.value().is_zero() {
        return Ok(Vec::new());
    }
    let growth = add(Decimal::ONE, rate.value())?;
    let mut factor = Decimal::ONE;
    (0..years)
        .map(|_| {
            factor = div(factor, growth)?;
            Ok(factor)
        })
        .collect()
}

/// [`net_present_value`] with the factors of [`discount_factors`], computed once for every
/// option and case of a projection.
fn discounted(
    factors: &[Decimal],
    base_year_net: Money,
    net: &[Money],
) -> std::result::Result<Money, ArithmeticError> {
    if factors.is_empty() {
        return net
            .iter()
            .try_fold(base_year_net, |sum, value| sum.checked_add(*value));
    }
    let mut npv = base_year_net.amount();
    for (value, factor) in net.iter().zip(factors) {
        let factor = *factor;
        let term = value
            .amount()
            .checked_mul(factor)
            .ok_or(ArithmeticError::Overflow)?;
        npv = add(npv, term)?;
    }
    Ok(Money::rounded(npv))
}

/// The first projected year from which cumulative `D - C`, counted from the base year, is at
/// least zero and stays so to the horizon; `None` if there is none.
fn payback_year(
    scenario: &Scenario,
    base_year_net: Money,
    net: &[Money],
) -> std::result::Result<Option<FinancialYear>, ArithmeticError> {
    let mut cumulative = base_year_net;
    let mut last_negative: Option<usize> = None;
    for (t, value) in net.iter().enumerate() {
        cumulative = cumulative.add_to_full_precision(*value)?;
        if cumulative.is_negative() {
            last_negative = Some(t);
        }
    }
    let first_paid = last_negative.map_or(0, |t| t + 1);
    Ok(scenario.years().take(net.len()).nth(first_paid))
}

#[cfg(test)]
mod tests;
