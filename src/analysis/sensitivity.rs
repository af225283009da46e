//! `savings sensitivity`: which inputs matter most (docs/model.md section 5).
//!
//! The tornado moves one input at a time to each end of its range, everything else central,
//! and records the ten-year total and the remaining gap in each gap year. Switching values
//! say how far one input can move before a target changes state: a closed gap year reopens
//! (or an open one closes), a service stops meeting its plan (or starts to).
//!
//! Only the services an input touches are projected again; the totals follow by replacing
//! their figures in the central totals (exact in the same way as a full run, since every
//! sum of exact figures is exact). A saving enters the remaining gap and the meets-plan
//! margins in a straight line, and the overlap `w` does too, so their switching values are
//! solved for, not searched; a slip is found in whole months by bisection.

use rust_decimal::Decimal;

use crate::model::{
    ArithmeticError, Cases, FinancialYear, Money, Risk, SavingOption, Scenario, Share,
};
use crate::projection::{Projection, ProjectionError, ServiceProjection, Source, project_service};

/// The ten-year total and the remaining gap in each gap year, central case.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub total_saving: Money,
    /// One per [`Sensitivity::gap_years`].
    pub remaining_gap: Vec<Money>,
}

/// An input with a range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// The steady-state saving of a service's option taken forward, from low to high.
    Saving { service: String, option: String },
    /// The months a procurement group (or an option on its own) slips, from the least to the
    /// most of its `risk.slip_months`.
    Slip(Procurement),
    /// Whether a procurement group (or option) goes ahead or fails.
    Failure(Procurement),
    /// The overlap `w`, from 0 to 1.
    Overlap,
    /// Optimism bias, from none to as the scenario gives it.
    OptimismBias,
}

/// A procurement group, or one option outside any group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Procurement {
    Group(String),
    Option { service: String, option: String },
}

impl std::fmt::Display for Procurement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Procurement::Group(g) => write!(f, "group {g:?}"),
            Procurement::Option { service, option } => {
                write!(f, "service[{service}].option[{option}]")
            }
        }
    }
}

impl std::fmt::Display for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Input::Saving { service, option } => {
                write!(f, "service[{service}].option[{option}].saving")
            }
            Input::Slip(p) => write!(f, "slip of {p}"),
            Input::Failure(p) => write!(f, "failure of {p}"),
            Input::Overlap => f.write_str("scenario.overlap"),
            Input::OptimismBias => f.write_str("optimism bias"),
        }
    }
}

impl Input {
    /// A short name of the kind, for CSV and JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            Input::Saving { .. } => "saving",
            Input::Slip(_) => "slip",
            Input::Failure(_) => "failure",
            Input::Overlap => "overlap",
            Input::OptimismBias => "optimism_bias",
        }
    }
}

/// One end of an input's range.
#[derive(Clone, Debug)]
pub struct End {
    /// The input's value there, as text (`2`, `18 months`, `fails`, `none`).
    pub setting: String,
    pub outcome: Outcome,
}

/// One bar of the tornado.
#[derive(Clone, Debug)]
pub struct Bar {
    pub input: Input,
    pub low: End,
    pub high: End,
}

impl Bar {
    /// How far the ten-year total moves between the ends.
    pub fn swing(&self) -> Decimal {
        (self.high.outcome.total_saving.amount() - self.low.outcome.total_saving.amount()).abs()
    }

    /// How far the remaining gap of any gap year moves between the ends, at most.
    pub fn gap_swing(&self) -> Decimal {
        self.low
            .outcome
            .remaining_gap
            .iter()
            .zip(&self.high.outcome.remaining_gap)
            .map(|(a, b)| (a.amount() - b.amount()).abs())
            .max()
            .unwrap_or_default()
    }
}

/// What a switching value is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Goal {
    /// The remaining gap of this year is zero or less.
    GapClosed(FinancialYear),
    /// The service meets its planned savings in every MTFP year.
    MeetsPlan(String),
}

impl std::fmt::Display for Goal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Goal::GapClosed(y) => write!(f, "gap-closed={y}"),
            Goal::MeetsPlan(s) => write!(f, "meets-plan={s}"),
        }
    }
}

/// How far one input can move before a goal changes state.
#[derive(Clone, Debug)]
pub struct Switch {
    pub input: Input,
    pub goal: Goal,
    /// Whether the goal is reached with everything central.
    pub holds: bool,
    /// The input's central value.
    pub central: Decimal,
    /// The value at which the goal changes state: for a saving (as the scenario writes it,
    /// before optimism bias), the least that reaches the goal; for the overlap, the most
    /// (or least, where planned savings to date are negative) that does; for a slip, the
    /// fewest months of delay that lose it.
    pub value: Decimal,
    /// `value - central`.
    pub change: Decimal,
    /// Whether the value lies in the input's own range (low to high, the slip range, 0 to 1).
    pub within_range: bool,
}

/// The tornado and the switching values.
#[derive(Clone, Debug)]
pub struct Sensitivity {
    /// The years whose remaining gap is reported: those `gap.unidentified` names, or the
    /// MTFP years where it names none.
    pub gap_years: Vec<FinancialYear>,
    pub central: Outcome,
    /// Sorted by the swing of the ten-year total, then of the remaining gap, largest first.
    pub bars: Vec<Bar>,
    pub switching: Vec<Switch>,
}

type Result<T> = std::result::Result<T, ProjectionError>;

fn failed(figure: impl Into<String>, cause: ArithmeticError) -> ProjectionError {
    ProjectionError {
        figure: figure.into(),
        field: None,
        cause,
    }
}

/// The central projection, and how to replace some services' figures in it.
struct Engine<'a> {
    scenario: &'a Scenario,
    projection: &'a Projection,
    /// Indexes of the gap years among the projected years.
    gap_index: Vec<usize>,
}

impl Engine<'_> {
    fn central(&self) -> Outcome {
        let total = &self.projection.total;
        Outcome {
            total_saving: total.summary.central.total_saving,
            remaining_gap: self
                .gap_index
                .iter()
                .map(|&t| total.remaining_gap.central[t])
                .collect(),
        }
    }

    /// The central projection of service `service` with `option` in place of its option
    /// taken forward.
    fn project_with(&self, service: usize, option: SavingOption) -> Result<ServiceProjection> {
        let mut changed = self.scenario.services[service].clone();
        let index = changed
            .taken_forward
            .ok_or_else(|| failed("a deferred service", ArithmeticError::Overflow))?;
        changed.options[index] = option;
        project_service(self.scenario, service, &changed, index)
    }

    fn projected(&self, service: usize) -> Result<&ServiceProjection> {
        self.projection
            .services
            .iter()
            .find(|p| p.service == service)
            .ok_or_else(|| failed("a deferred service", ArithmeticError::Overflow))
    }

    /// The outcome with the given services' projections in place of the central ones.
    fn outcome(&self, replaced: &[ServiceProjection]) -> Result<Outcome> {
        let mut outcome = self.central();
        for new in replaced {
            let old = self.projected(new.service)?;
            let name = || {
                format!(
                    "sensitivity of service[{}]",
                    self.scenario.services[new.service].id
                )
            };
            outcome.total_saving = outcome
                .total_saving
                .checked_sub(old.figures.summary.central.total_saving)
                .and_then(|t| t.checked_add(new.figures.summary.central.total_saving))
                .map_err(|e| failed(name(), e))?;
            for (gap, &t) in outcome.remaining_gap.iter_mut().zip(&self.gap_index) {
                // R = LG - N: replacing a service's N moves R the other way.
                *gap = gap
                    .checked_add(old.contribution.central[t])
                    .and_then(|g| g.checked_sub(new.contribution.central[t]))
                    .map_err(|e| failed(name(), e))?;
            }
        }
        Ok(outcome)
    }

    /// The outcome with the overlap at `w`: `R = LG - D + w LP`, the total unchanged.
    fn with_overlap(&self, w: Decimal) -> Result<Outcome> {
        let total = &self.projection.total;
        let remaining_gap = self
            .gap_index
            .iter()
            .map(|&t| {
                total.gap_to_date[t]
                    .checked_sub(total.in_year.central[t])
                    .and_then(|g| g.checked_add(total.planned_to_date[t].times_decimal(w)?))
                    .map_err(|e| failed("remaining gap at another overlap", e))
            })
            .collect::<Result<_>>()?;
        Ok(Outcome {
            total_saving: total.summary.central.total_saving,
            remaining_gap,
        })
    }
}

/// The options taken forward of one procurement, as (service index, option).
struct Taken<'a> {
    procurement: Procurement,
    risk: Risk,
    options: Vec<(usize, &'a SavingOption)>,
}

fn procurements(scenario: &Scenario) -> Vec<Taken<'_>> {
    let mut out: Vec<Taken> = Vec::new();
    for (s, service) in scenario.services.iter().enumerate() {
        let Some(option) = service.taken_forward() else {
            continue;
        };
        let procurement = match &option.group {
            Some(g) => Procurement::Group(g.clone()),
            None => Procurement::Option {
                service: service.id.clone(),
                option: option.id.clone(),
            },
        };
        match out.iter_mut().find(|t| t.procurement == procurement) {
            Some(t) => t.options.push((s, option)),
            None => out.push(Taken {
                procurement,
                risk: Risk::of(option),
                options: vec![(s, option)],
            }),
        }
    }
    out
}

/// `D(t)` per unit of saving, as (numerator, denominator), from the line's source.
fn factor(option: &SavingOption, year: FinancialYear) -> (Decimal, Decimal) {
    Source::of(option).unit_factor(year)
}

fn with_saving(option: &SavingOption, saving: Money) -> SavingOption {
    let mut changed = option.clone();
    changed.saving = Cases::all(saving);
    changed
}

/// The tornado and switching values of the central case.
pub fn sensitivity(scenario: &Scenario, projection: &Projection) -> Result<Sensitivity> {
    let named = scenario.gap_years();
    let gap_years: Vec<FinancialYear> = projection
        .years
        .iter()
        .copied()
        .filter(|y| {
            if named.is_empty() {
                scenario.in_mtfp_period(*y)
            } else {
                named.contains(y)
            }
        })
        .collect();
    let gap_index = gap_years
        .iter()
        .filter_map(|y| projection.years.iter().position(|p| p == y))
        .collect();
    let engine = Engine {
        scenario,
        projection,
        gap_index,
    };
    let central = engine.central();
    let mut bars = Vec::new();
    let mut switching = Vec::new();

    // Savings.
    for (s, service) in scenario.services.iter().enumerate() {
        let Some(option) = service.taken_forward() else {
            continue;
        };
        let input = Input::Saving {
            service: service.id.clone(),
            option: option.id.clone(),
        };
        if option.saving.low != option.saving.high {
            let end = |case: crate::model::Case| -> Result<End> {
                let outcome =
                    engine
                        .outcome(&[engine
                            .project_with(s, with_saving(option, *option.saving.get(case)))?])?;
                Ok(End {
                    setting: crate::model::plain(option.as_written.saving.get(case).amount()),
                    outcome,
                })
            };
            bars.push(Bar {
                input: input.clone(),
                low: end(crate::model::Case::Low)?,
                high: end(crate::model::Case::High)?,
            });
        }
        switching.extend(saving_switches(&engine, s, option, &input, &central)?);
    }

    // Slips and failures, by procurement.
    for taken in procurements(scenario) {
        let (min, max) = taken.risk.slip_months;
        if max > 0 {
            let end = |months: u32| -> Result<End> {
                let replaced = taken
                    .options
                    .iter()
                    .map(|(s, o)| engine.project_with(*s, delayed(o, months)?))
                    .collect::<Result<Vec<_>>>()?;
                Ok(End {
                    setting: format!("{months} months"),
                    outcome: engine.outcome(&replaced)?,
                })
            };
            bars.push(Bar {
                input: Input::Slip(taken.procurement.clone()),
                low: end(min)?,
                high: end(max)?,
            });
        }
        if taken.risk.fail != Share::ZERO {
            let replaced = taken
                .options
                .iter()
                .map(|(s, o)| engine.project_with(*s, with_saving(o, Money::ZERO)))
                .collect::<Result<Vec<_>>>()?;
            bars.push(Bar {
                input: Input::Failure(taken.procurement.clone()),
                low: End {
                    setting: "fails".into(),
                    outcome: engine.outcome(&replaced)?,
                },
                high: End {
                    setting: "goes ahead".into(),
                    outcome: central.clone(),
                },
            });
        }
        switching.extend(slip_switches(&engine, &taken, &central)?);
    }

    // The overlap.
    let w = scenario.overlap.value();
    bars.push(Bar {
        input: Input::Overlap,
        low: End {
            setting: "0".into(),
            outcome: engine.with_overlap(Decimal::ZERO)?,
        },
        high: End {
            setting: "1".into(),
            outcome: engine.with_overlap(Decimal::ONE)?,
        },
    });
    switching.extend(overlap_switches(&engine, w, &gap_years));

    // Optimism bias: none, against as the scenario gives it.
    let biased: Vec<(usize, &SavingOption)> = scenario
        .services
        .iter()
        .enumerate()
        .filter_map(|(s, service)| service.taken_forward().map(|o| (s, o)))
        .filter(|(_, o)| o.optimism_bias.is_some_and(|b| !b.is_none()))
        .collect();
    if !biased.is_empty() {
        let replaced = biased
            .iter()
            .map(|(s, o)| {
                let mut plain = (*o).clone();
                plain.saving = o.as_written.saving;
                plain.build = o.as_written.build.clone();
                plain.one_off_cost = o.as_written.one_off_cost.clone();
                engine.project_with(*s, plain)
            })
            .collect::<Result<Vec<_>>>()?;
        bars.push(Bar {
            input: Input::OptimismBias,
            low: End {
                setting: "none".into(),
                outcome: engine.outcome(&replaced)?,
            },
            high: End {
                setting: "as given".into(),
                outcome: central.clone(),
            },
        });
    }

    // Largest swing first; ties keep the order above (file order).
    bars.sort_by(|a, b| {
        b.swing()
            .cmp(&a.swing())
            .then_with(|| b.gap_swing().cmp(&a.gap_swing()))
    });
    Ok(Sensitivity {
        gap_years,
        central,
        bars,
        switching,
    })
}

/// A switching value with more decimal places than this (a quotient that does not terminate)
/// is given to this many, rounded towards the side where the target holds, so that setting
/// the input to it with `--set` reaches the target as the report says.
const PLACES: u32 = 12;

/// `value` to [`PLACES`], rounded up (`up`) or down where it has more.
fn towards(value: Decimal, up: bool) -> Decimal {
    if value.scale() <= PLACES {
        return value;
    }
    let strategy = if up {
        rust_decimal::RoundingStrategy::ToPositiveInfinity
    } else {
        rust_decimal::RoundingStrategy::ToNegativeInfinity
    };
    value.round_dp_with_strategy(PLACES, strategy).normalize()
}

/// The option slipped `months`; one slipped past every nameable year saves nothing.
fn delayed(option: &SavingOption, months: u32) -> Result<SavingOption> {
    match crate::projection::slipped(option, months) {
        Ok(Some(slipped)) => Ok(slipped),
        Ok(None) => Ok(with_saving(option, Money::ZERO)),
        Err(cause) => Err(ProjectionError {
            figure: format!("saving of {} slipped {months} months", option.id),
            field: None,
            cause,
        }),
    }
}

/// The saving (as written) at which each gap year closes and the service meets its plan:
/// both are straight lines in the saving.
fn saving_switches(
    engine: &Engine,
    s: usize,
    option: &SavingOption,
    input: &Input,
    central: &Outcome,
) -> Result<Vec<Switch>> {
    let scenario = engine.scenario;
    let service = &scenario.services[s];
    let name = || format!("switching value of {input}");
    let haircut = option
        .optimism_bias
        .map_or(Decimal::ZERO, |b| b.saving.value());
    let kept = Decimal::ONE - haircut;
    if kept.is_zero() {
        // A 100% haircut: no saving as written changes anything.
        return Ok(Vec::new());
    }
    let kept = Money::new(kept);
    let written = |effective: Money| -> Result<Money> {
        effective
            .ratio(kept)
            .map_err(|e| failed(name(), e))?
            .ok_or_else(|| failed(name(), ArithmeticError::Overflow))
    };
    let saving = &option.as_written.saving;
    let mut out = Vec::new();
    let mut push = |goal: Goal, holds: bool, value: Money| {
        let shown = shown_towards(value, true);
        out.push(Switch {
            input: input.clone(),
            goal,
            holds,
            central: saving.central.amount(),
            value: shown,
            change: shown - saving.central.amount(),
            within_range: saving.low <= value && value <= saving.high,
        });
    };
    // R(t) at saving S is R_c - (S - S_c) x factor: zero at S = S_c + R_c / factor. Exact
    // fractions throughout, so a year closed with nothing to spare switches at S_c itself.
    for (year, gap) in engine.gap_index_years().zip(&central.remaining_gap) {
        let (numerator, denominator) = factor(option, year);
        if numerator.is_zero() {
            continue;
        }
        let step = gap
            .times_decimal(denominator)
            .and_then(|x| x.ratio(Money::new(numerator)))
            .and_then(|x| x.unwrap_or_default().checked_add(option.saving.central))
            .map_err(|e| failed(name(), e))?;
        if step.is_negative() {
            continue; // closed at any saving
        }
        push(Goal::GapClosed(year), !gap.is_positive(), written(step)?);
    }
    // Meets plan: S x factor(y) >= planned to date in every MTFP year.
    let projected = engine.projected(s)?;
    let mut least = Money::ZERO;
    let mut possible = true;
    for (t, year) in engine.projection.years.iter().enumerate() {
        if !scenario.in_mtfp_period(*year) {
            continue;
        }
        let planned = projected.planned_to_date[t];
        let (numerator, denominator) = factor(option, *year);
        if numerator.is_zero() {
            possible &= !planned.is_positive();
            continue;
        }
        let needed = planned
            .times_decimal(denominator)
            .and_then(|x| x.ratio(Money::new(numerator)))
            .map_err(|e| failed(name(), e))?
            .unwrap_or_default();
        least = least.max(needed);
    }
    if possible && least.is_positive() {
        push(
            Goal::MeetsPlan(service.id.clone()),
            projected.meets_plan.central.holds,
            written(least)?,
        );
    }
    Ok(out)
}

/// A switching value as printed: exact where it terminates, else to [`PLACES`] places,
/// rounded towards the side where the goal holds (up, or down) and checked against the exact
/// fraction, so that `--set` with the printed value reaches the goal.
fn shown_towards(value: Money, up: bool) -> Decimal {
    let approximate = towards(value.amount(), up);
    if value.terminates() {
        return value.amount();
    }
    let unit = Decimal::new(1, PLACES);
    let candidate = Money::new(approximate);
    match (up, candidate.cmp(&value)) {
        (true, std::cmp::Ordering::Less) => approximate + unit,
        (false, std::cmp::Ordering::Greater) => approximate - unit,
        _ => approximate,
    }
}

impl Engine<'_> {
    fn gap_index_years(&self) -> impl Iterator<Item = FinancialYear> + '_ {
        self.gap_index.iter().map(|&t| self.projection.years[t])
    }
}

/// The overlap at which each gap year changes state, where that lies in 0 to 1:
/// `R = LG - D + w LP` is zero at `w = (D - LG) / LP`.
fn overlap_switches(engine: &Engine, w: Decimal, gap_years: &[FinancialYear]) -> Vec<Switch> {
    let total = &engine.projection.total;
    let mut out = Vec::new();
    for (&t, year) in engine.gap_index.iter().zip(gap_years) {
        let lp = total.planned_to_date[t];
        let Ok(Some(exact)) = total.in_year.central[t]
            .checked_sub(total.gap_to_date[t])
            .and_then(|x| x.ratio(lp))
        else {
            continue;
        };
        if exact.is_negative() || exact > Money::new(Decimal::ONE) {
            continue;
        }
        let value = shown_towards(exact, false);
        out.push(Switch {
            input: Input::Overlap,
            goal: Goal::GapClosed(*year),
            holds: !total.remaining_gap.central[t].is_positive(),
            central: w,
            value,
            change: value - w,
            within_range: true,
        });
    }
    out
}

/// For each goal reached centrally, the fewest months of delay to a procurement's go-live
/// that lose it, up to go-live past the last projected year.
fn slip_switches(engine: &Engine, taken: &Taken, central: &Outcome) -> Result<Vec<Switch>> {
    let scenario = engine.scenario;
    let mut goals: Vec<(Goal, Option<usize>, Option<usize>)> = Vec::new();
    for (i, gap) in central.remaining_gap.iter().enumerate() {
        if !gap.is_positive() {
            let year = engine.projection.years[engine.gap_index[i]];
            goals.push((Goal::GapClosed(year), Some(i), None));
        }
    }
    for (k, (s, _)) in taken.options.iter().enumerate() {
        if engine.projected(*s)?.meets_plan.central.holds {
            goals.push((
                Goal::MeetsPlan(scenario.services[*s].id.clone()),
                None,
                Some(k),
            ));
        }
    }
    let earliest = taken
        .options
        .iter()
        .filter_map(|(_, o)| o.start().map(|s| s.financial_year()))
        .min();
    let Some(earliest) = earliest else {
        return Ok(Vec::new());
    };
    let span = scenario.last_year().years_after(earliest).max(0) + 1;
    let last = u32::try_from(span).unwrap_or(0).saturating_mul(12);
    // Which goals still hold at a delay, each delay projected once.
    let mut cache: std::collections::BTreeMap<u32, Vec<bool>> = std::collections::BTreeMap::new();
    let mut holding = |months: u32| -> Result<Vec<bool>> {
        if let Some(known) = cache.get(&months) {
            return Ok(known.clone());
        }
        let replaced = taken
            .options
            .iter()
            .map(|(s, o)| engine.project_with(*s, delayed(o, months)?))
            .collect::<Result<Vec<_>>>()?;
        let outcome = engine.outcome(&replaced)?;
        let holds: Vec<bool> = goals
            .iter()
            .map(|(_, gap, service)| match (gap, service) {
                (Some(i), _) => !outcome.remaining_gap[*i].is_positive(),
                (_, Some(k)) => replaced[*k].meets_plan.central.holds,
                _ => true,
            })
            .collect();
        cache.insert(months, holds.clone());
        Ok(holds)
    };
    // A delay never raises an in-year saving (ramps never fall and a part year is at most a
    // whole one), so a goal lost at some delay stays lost at every longer one: the fewest
    // months that lose it are found by bisection between 0 (held) and the last month that
    // can matter.
    let mut found: Vec<Option<u32>> = vec![None; goals.len()];
    let at_last = holding(last)?;
    for (g, slot) in found.iter_mut().enumerate() {
        if at_last[g] {
            continue; // held even with go-live past the horizon
        }
        let (mut held, mut lost) = (0, last);
        while lost - held > 1 {
            let middle = held + (lost - held) / 2;
            if holding(middle)?[g] {
                held = middle;
            } else {
                lost = middle;
            }
        }
        *slot = Some(lost);
    }
    let (min, max) = taken.risk.slip_months;
    Ok(goals
        .into_iter()
        .zip(found)
        .filter_map(|((goal, _, _), months)| {
            let months = months?;
            Some(Switch {
                input: Input::Slip(taken.procurement.clone()),
                goal,
                holds: true,
                central: Decimal::ZERO,
                value: Decimal::from(months),
                change: Decimal::from(months),
                within_range: (min..=max).contains(&months),
            })
        })
        .collect())
}

#[cfg(test)]
mod tests;
