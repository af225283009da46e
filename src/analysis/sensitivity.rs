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
//! margins in a straight line, and so do the overlap `w`, a factor on a profile (docs/model.md
//! section 9.2) and a pressure or funding level (section 9.5), so their switching values are
//! solved for, not searched; a slip is found in whole months.
//!
//! Lines already in the plan (section 9.4): an approved line moves like a proposal (its plan
//! `LP` stays as written, so moving its saving moves `D` only); an in-base line delivers its
//! plan in every case and a withdrawn one nothing, so neither has a saving, slip or failure
//! to move.

use rust_decimal::Decimal;

use crate::model::{
    ArithmeticError, Build, Case, Cases, FinancialYear, Money, Risk, SavingOption, Scenario,
    Series, Service, Share, Status,
};
use crate::projection::{Projection, ProjectionError, ServiceProjection, Source, project_service};

/// The ten-year total and the remaining gap in each gap year, central case.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub total_saving: Money,
    /// One per [`Sensitivity::gap_years`].
    pub remaining_gap: Vec<Money>,
}

/// A line of the plan: a service and its option taken forward, named as messages name it
/// (`service[legal].option[abs]`, or `service[garden-waste]` for a one-line service).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineId {
    pub service: String,
    pub option: String,
    /// Whether the option is written on the service itself (docs/model.md section 9.3).
    pub one_line: bool,
}

impl LineId {
    fn of(service: &Service, option: &SavingOption) -> Self {
        Self {
            service: service.id.clone(),
            option: option.id.clone(),
            one_line: service.one_line,
        }
    }
}

impl std::fmt::Display for LineId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.one_line {
            write!(f, "service[{}]", self.service)
        } else {
            write!(f, "service[{}].option[{}]", self.service, self.option)
        }
    }
}

/// An input with a range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// The steady-state saving of a line, from low to high.
    Saving(LineId),
    /// A saving written as yearly amounts (a profile), from its low profile to its high one;
    /// its switching values are factors on its central profile.
    Profile(LineId),
    /// The months a procurement group (or an option on its own) slips, from the least to the
    /// most of its `risk.slip_months`.
    Slip(Procurement),
    /// Whether a procurement group (or option) goes ahead or fails.
    Failure(Procurement),
    /// The overlap `w`, from 0 to 1.
    Overlap,
    /// Optimism bias, from none to as the scenario gives it.
    OptimismBias,
    /// A `[[pressure]]` line with a range, by id, from its low amounts to its high ones.
    Pressure(String),
    /// A `[[funding]]` line with a range, by id, from its low amounts to its high ones.
    Funding(String),
    /// The use of reserves, from none to as the scenario gives it.
    Reserves,
}

/// A procurement group, or one option outside any group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Procurement {
    Group(String),
    Option(LineId),
}

impl std::fmt::Display for Procurement {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Procurement::Group(g) => write!(f, "group {g:?}"),
            Procurement::Option(line) => write!(f, "{line}"),
        }
    }
}

impl std::fmt::Display for Input {
    /// The input's field path, as CSV and JSON name it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Input::Saving(line) | Input::Profile(line) => write!(f, "{line}.saving"),
            Input::Slip(p) => write!(f, "slip of {p}"),
            Input::Failure(p) => write!(f, "failure of {p}"),
            Input::Overlap => f.write_str("scenario.overlap"),
            Input::OptimismBias => f.write_str("optimism bias"),
            Input::Pressure(id) => write!(f, "pressure[{id}].amount"),
            Input::Funding(id) => write!(f, "funding[{id}].amount"),
            Input::Reserves => f.write_str("budget.reserves"),
        }
    }
}

impl Input {
    /// A short name of the kind, for CSV and JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            Input::Saving(_) => "saving",
            Input::Profile(_) => "profile",
            Input::Slip(_) => "slip",
            Input::Failure(_) => "failure",
            Input::Overlap => "overlap",
            Input::OptimismBias => "optimism_bias",
            Input::Pressure(_) => "pressure",
            Input::Funding(_) => "funding",
            Input::Reserves => "reserves",
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
    /// The input's central value (1 for a factor on a profile; for a pressure or funding
    /// line, its level in the goal's year).
    pub central: Decimal,
    /// The value at which the goal changes state: for a saving (as the scenario writes it,
    /// before optimism bias), the least that reaches the goal; for a profile, the least
    /// factor on its central profile that does; for the overlap, the most (or least, where
    /// planned savings to date are negative) that does; for a slip, the fewest months of
    /// delay that lose it; for a pressure, the most its level in the goal's year can be with
    /// the year closed; for a funding line, the least.
    pub value: Decimal,
    /// `value - central`.
    pub change: Decimal,
    /// Whether the value lies in the input's own range (low to high, the slip range, 0 to 1;
    /// for a profile, the low and high profiles in the goal's years).
    pub within_range: bool,
}

/// The tornado and the switching values.
#[derive(Clone, Debug)]
pub struct Sensitivity {
    /// The years whose remaining gap is reported: those `gap.unidentified` names, or the
    /// MTFP years where it names none; every projected year where the gap is built from the
    /// budget or pressures.
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
    /// For each service of the scenario, its index among the projected services (none if
    /// deferred).
    projected_index: Vec<Option<usize>>,
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
        self.projected_index
            .get(service)
            .copied()
            .flatten()
            .and_then(|i| self.projection.services.get(i))
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

    /// The outcome with the gap to date moved by `change` in each projected year: R moves
    /// with LG, the ten-year total does not.
    fn with_gap_moved(&self, change: &[Money], what: &str) -> Result<Outcome> {
        let mut outcome = self.central();
        for (gap, &t) in outcome.remaining_gap.iter_mut().zip(&self.gap_index) {
            let by = change.get(t).copied().unwrap_or(Money::ZERO);
            *gap = gap
                .checked_add(by)
                .map_err(|e| failed(format!("remaining gap at {what}"), e))?;
        }
        Ok(outcome)
    }

    /// The outcome with the overlap at `w`: `R = LG - D + LP_planned + w LP_proposed`, where
    /// `LP_proposed` is the planned savings to date of proposed lines (the only ones `w`
    /// applies to) and `LP_planned` the plans of lines already in it; the total unchanged.
    fn with_overlap(&self, w: Decimal, overlap: &Overlap) -> Result<Outcome> {
        let total = &self.projection.total;
        let remaining_gap = self
            .gap_index
            .iter()
            .map(|&t| {
                let mut gap = total.gap_to_date[t].checked_sub(total.in_year.central[t]);
                if let Some(planned) = &overlap.planned {
                    gap = gap.and_then(|g| g.checked_add(planned[t]));
                }
                gap.and_then(|g| g.checked_add(overlap.proposed[t].times_decimal(w)?))
                    .map_err(|e| failed("remaining gap at another overlap", e))
            })
            .collect::<Result<_>>()?;
        Ok(Outcome {
            total_saving: total.summary.central.total_saving,
            remaining_gap,
        })
    }

    fn gap_index_years(&self) -> impl Iterator<Item = FinancialYear> + '_ {
        self.gap_index.iter().map(|&t| self.projection.years[t])
    }
}

/// Planned savings to date split by whether the overlap applies: `w` weighs the planned
/// savings of proposed lines only (a line already in the plan is measured against its own
/// plan, docs/model.md section 9.4).
struct Overlap {
    /// LP of the proposed lines (all of LP where every line is proposed).
    proposed: Series,
    /// LP of the lines already in the plan; none where there are none.
    planned: Option<Series>,
}

impl Overlap {
    fn of(engine: &Engine) -> Result<Overlap> {
        let scenario = engine.scenario;
        let total = &engine.projection.total;
        let is_planned = |p: &ServiceProjection| {
            scenario.services[p.service]
                .options
                .get(p.option)
                .is_some_and(|o| o.status.is_planned())
        };
        if !engine.projection.services.iter().any(is_planned) {
            return Ok(Overlap {
                proposed: total.planned_to_date.clone(),
                planned: None,
            });
        }
        let years = total.planned_to_date.len();
        let mut proposed = vec![Money::ZERO; years];
        let mut planned = vec![Money::ZERO; years];
        for p in &engine.projection.services {
            let sum = if is_planned(p) {
                &mut planned
            } else {
                &mut proposed
            };
            for (to, lp) in sum.iter_mut().zip(&p.planned_to_date) {
                *to = to
                    .checked_add(*lp)
                    .map_err(|e| failed("planned savings to date by status", e))?;
            }
        }
        Ok(Overlap {
            proposed,
            planned: Some(planned),
        })
    }
}

/// Whether a line's saving can be moved: a proposed or approved one. An in-base line
/// delivers its plan in every case and a withdrawn one nothing (docs/model.md section 9.4).
fn movable(option: &SavingOption) -> bool {
    matches!(option.status, Status::Proposed | Status::Approved)
}

/// The options taken forward of one procurement, as (service index, option).
struct Taken<'a> {
    procurement: Procurement,
    risk: Risk,
    options: Vec<(usize, &'a SavingOption)>,
}

/// The procurements of the lines that can move (an in-base or withdrawn line is never
/// slipped and cannot fail).
fn procurements(scenario: &Scenario) -> Vec<Taken<'_>> {
    let mut out: Vec<Taken> = Vec::new();
    for (s, service) in scenario.services.iter().enumerate() {
        let Some(option) = service.taken_forward().filter(|o| movable(o)) else {
            continue;
        };
        let procurement = match &option.group {
            Some(g) => Procurement::Group(g.clone()),
            None => Procurement::Option(LineId::of(service, option)),
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

/// The option with every case at its `case`: a steady-state saving at that case's figure,
/// a profile at that case's profile.
fn at_case(option: &SavingOption, case: Case) -> SavingOption {
    let mut changed = option.clone();
    changed.saving = Cases::all(*option.saving.get(case));
    if let Build::Profile(levels) = &option.build {
        changed.build = Build::Profile(Cases::all(levels.get(case).clone()));
    }
    changed
}

/// The option saving nothing in any year (a failed procurement).
fn saving_nothing(option: &SavingOption) -> SavingOption {
    let mut changed = option.clone();
    changed.saving = Cases::all(Money::ZERO);
    if let Build::Profile(levels) = &option.build {
        changed.build = Build::Profile(Cases::all(vec![Money::ZERO; levels.central.len()]));
    }
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
    let mut projected_index = vec![None; scenario.services.len()];
    for (i, p) in projection.services.iter().enumerate() {
        if let Some(slot) = projected_index.get_mut(p.service) {
            *slot = Some(i);
        }
    }
    let engine = Engine {
        scenario,
        projection,
        gap_index,
        projected_index,
    };
    let central = engine.central();
    let mut bars = Vec::new();
    let mut switching = Vec::new();

    // Savings, of the lines that can move.
    for (s, service) in scenario.services.iter().enumerate() {
        let Some(option) = service.taken_forward().filter(|o| movable(o)) else {
            continue;
        };
        let line = LineId::of(service, option);
        let (input, ranged) = match &option.build {
            Build::Profile(levels) => (Input::Profile(line), levels.low != levels.high),
            Build::Ramp { .. } => (Input::Saving(line), option.saving.low != option.saving.high),
        };
        if ranged {
            let end = |case: Case| -> Result<End> {
                let outcome = engine.outcome(&[engine.project_with(s, at_case(option, case))?])?;
                let setting = match &input {
                    Input::Profile(_) => format!("{case} profile"),
                    _ => crate::model::plain(option.as_written.saving.get(case).amount()),
                };
                Ok(End { setting, outcome })
            };
            bars.push(Bar {
                input: input.clone(),
                low: end(Case::Low)?,
                high: end(Case::High)?,
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
                .map(|(s, o)| engine.project_with(*s, saving_nothing(o)))
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
    let overlap = Overlap::of(&engine)?;
    bars.push(Bar {
        input: Input::Overlap,
        low: End {
            setting: "0".into(),
            outcome: engine.with_overlap(Decimal::ZERO, &overlap)?,
        },
        high: End {
            setting: "1".into(),
            outcome: engine.with_overlap(Decimal::ONE, &overlap)?,
        },
    });
    switching.extend(overlap_switches(&engine, w, &gap_years, &overlap));

    // Optimism bias: none, against as the scenario gives it.
    let biased: Vec<(usize, &SavingOption)> = scenario
        .services
        .iter()
        .enumerate()
        .filter_map(|(s, service)| service.taken_forward().map(|o| (s, o)))
        .filter(|(_, o)| movable(o) && o.optimism_bias.is_some_and(|b| !b.is_none()))
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

    // The gap's inputs (docs/model.md section 9.5).
    let (gap_bars, gap_switches) = gap_inputs(&engine, &central)?;
    bars.extend(gap_bars);
    switching.extend(gap_switches);

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

/// The bars and switching values of the gap's inputs: each pressure and funding line with a
/// range (its low and high amounts; LG moves one for one with a pressure's level and against
/// a funding line's), and the use of reserves (none, or as given) where the scenario uses
/// any. None of them moves the ten-year total.
fn gap_inputs(engine: &Engine, central: &Outcome) -> Result<(Vec<Bar>, Vec<Switch>)> {
    let scenario = engine.scenario;
    let (Some(build), inputs) = (
        engine.projection.total.gap_build.as_ref(),
        &scenario.gap_build,
    ) else {
        return Ok((Vec::new(), Vec::new()));
    };
    let years = &engine.projection.years;
    let mut bars = Vec::new();
    let mut switching = Vec::new();
    for (table, lines, levels) in [
        ("pressure", &inputs.pressures, &build.pressure_lines),
        ("funding", &inputs.funding, &build.funding_lines),
    ] {
        let funding = table == "funding";
        for (line, written) in lines.iter().zip(levels) {
            let Some((low, high)) = line.range() else {
                continue;
            };
            let input = if funding {
                Input::Funding(line.id.clone())
            } else {
                Input::Pressure(line.id.clone())
            };
            let name = || format!("{input}");
            let levels_of = |series: &crate::model::YearSeries| {
                series
                    .levels(years.iter().copied())
                    .map_err(|e| failed(format!("levels of {}", name()), e))
            };
            let (low, high) = (levels_of(low)?, levels_of(high)?);
            // LG moves by the change in a pressure's level, and against a funding line's.
            let change = |end: &Series| -> Result<Series> {
                end.iter()
                    .zip(written)
                    .map(|(end, level)| {
                        let by = end.checked_sub(*level)?;
                        Ok(if funding { -by } else { by })
                    })
                    .collect::<std::result::Result<_, ArithmeticError>>()
                    .map_err(|e| failed(format!("change in {}", name()), e))
            };
            bars.push(Bar {
                input: input.clone(),
                low: End {
                    setting: "low".into(),
                    outcome: engine.with_gap_moved(&change(&low)?, &name())?,
                },
                high: End {
                    setting: "high".into(),
                    outcome: engine.with_gap_moved(&change(&high)?, &name())?,
                },
            });
            // R = LG - N is zero where a pressure's level is its level less R, or a funding
            // line's its level plus R.
            for ((&t, year), gap) in engine
                .gap_index
                .iter()
                .zip(engine.gap_index_years())
                .zip(&central.remaining_gap)
            {
                let level = written[t];
                let exact = if funding {
                    level.checked_add(*gap)
                } else {
                    level.checked_sub(*gap)
                }
                .map_err(|e| failed(format!("switching value of {}", name()), e))?;
                if funding && exact.is_negative() {
                    continue; // closed at any funding
                }
                // The most a pressure can be, the least funding can, with the year closed.
                let value = shown_towards(exact, funding);
                switching.push(Switch {
                    input: input.clone(),
                    goal: Goal::GapClosed(year),
                    holds: !gap.is_positive(),
                    central: level.amount(),
                    value,
                    change: value - level.amount(),
                    within_range: low[t] <= exact && exact <= high[t],
                });
            }
        }
    }
    if let Some(reserves) = build
        .reserves
        .as_ref()
        .filter(|v| v.iter().any(|r| !r.is_zero()))
    {
        // None used: the gap to date is higher by what was used.
        bars.push(Bar {
            input: Input::Reserves,
            low: End {
                setting: "none".into(),
                outcome: engine.with_gap_moved(reserves, "no use of reserves")?,
            },
            high: End {
                setting: "as given".into(),
                outcome: central.clone(),
            },
        });
    }
    Ok((bars, switching))
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
        Ok(None) => Ok(saving_nothing(option)),
        Err(cause) => Err(ProjectionError {
            figure: format!("saving of {} slipped {months} months", option.id),
            field: None,
            cause,
        }),
    }
}

/// What a line's switching values move, and how its central in-year saving depends on it:
/// `D(y) = x x unit(y)`, a straight line through zero.
enum Scale<'a> {
    /// A steady-state saving: `x` is the saving after optimism bias, `unit` the part-year
    /// and ramp factor; values are given as written, before the haircut (`kept` is 1 less
    /// the haircut).
    Steady { kept: Money },
    /// A profile: `x` is a factor on its central profile (after optimism bias, which scales
    /// every level alike, so it is the same factor on the profile as written).
    Profile(&'a Cases<Series>),
}

/// The saving (as written), or the factor on a profile, at which each gap year closes and
/// the service meets its plan: both are straight lines in it.
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
    let scale = match &option.build {
        Build::Profile(levels) => Scale::Profile(levels),
        Build::Ramp { .. } => {
            let haircut = option
                .optimism_bias
                .map_or(Decimal::ZERO, |b| b.saving.value());
            let kept = Decimal::ONE - haircut;
            if kept.is_zero() {
                // A 100% haircut: no saving as written changes anything.
                return Ok(Vec::new());
            }
            Scale::Steady {
                kept: Money::new(kept),
            }
        }
    };
    // `amount / unit(y)`: how far `x` must move to move D(y) by `amount`; none where the
    // line saves nothing in that year whatever `x` is.
    let per_unit = |amount: Money, t: usize, year: FinancialYear| -> Result<Option<Money>> {
        // A year whose delivery is recorded (docs/model.md section 10) stays whatever the
        // saving is.
        if option.recorded(year).is_some() {
            return Ok(None);
        }
        match &scale {
            Scale::Steady { .. } => {
                let (numerator, denominator) = factor(option, year);
                if numerator.is_zero() {
                    return Ok(None);
                }
                amount
                    .times_decimal(denominator)
                    .and_then(|x| x.ratio(Money::new(numerator)))
                    .map(|x| Some(x.unwrap_or_default()))
                    .map_err(|e| failed(name(), e))
            }
            // `ratio` is none where the central level is 0.
            Scale::Profile(levels) => amount
                .ratio(levels.central[t])
                .map_err(|e| failed(name(), e)),
        }
    };
    // `x` in the central case, and the value shown for an `x`.
    let (x_central, shown_central) = match &scale {
        Scale::Steady { .. } => (option.saving.central, option.as_written.saving.central),
        Scale::Profile(_) => (Money::new(Decimal::ONE), Money::new(Decimal::ONE)),
    };
    let written = |effective: Money| -> Result<Money> {
        match &scale {
            Scale::Steady { kept } => effective
                .ratio(*kept)
                .map_err(|e| failed(name(), e))?
                .ok_or_else(|| failed(name(), ArithmeticError::Overflow)),
            Scale::Profile(_) => Ok(effective),
        }
    };
    // Whether a value lies within the input's range: between low and high for a saving; for
    // a profile, the factor times the central level between the low and high levels in each
    // of `years` (indexes of projected years) where the central level is not 0.
    let within = |value: Money, years: &[usize]| -> Result<bool> {
        match &scale {
            Scale::Steady { .. } => {
                let saving = &option.as_written.saving;
                Ok(saving.low <= value && value <= saving.high)
            }
            Scale::Profile(levels) => {
                for &t in years {
                    let c = levels.central[t];
                    let (Some(low), Some(high)) = (
                        levels.low[t].ratio(c).map_err(|e| failed(name(), e))?,
                        levels.high[t].ratio(c).map_err(|e| failed(name(), e))?,
                    ) else {
                        continue;
                    };
                    if value < low || value > high {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
        }
    };
    let mut out = Vec::new();
    let mut push = |goal: Goal, holds: bool, value: Money, within_range: bool| {
        let shown = shown_towards(value, true);
        out.push(Switch {
            input: input.clone(),
            goal,
            holds,
            central: shown_central.amount(),
            value: shown,
            change: shown - shown_central.amount(),
            within_range,
        });
    };
    // R(t) at x is R_c - (x - x_c) x unit(t): zero at x = x_c + R_c / unit(t). Exact
    // fractions throughout, so a year closed with nothing to spare switches at x_c itself.
    for ((&t, year), gap) in engine
        .gap_index
        .iter()
        .zip(engine.gap_index_years())
        .zip(&central.remaining_gap)
    {
        let Some(step) = per_unit(*gap, t, year)? else {
            continue;
        };
        let step = step.checked_add(x_central).map_err(|e| failed(name(), e))?;
        if step.is_negative() {
            continue; // closed at any saving
        }
        let value = written(step)?;
        let within_range = within(value, &[t])?;
        push(
            Goal::GapClosed(year),
            !gap.is_positive(),
            value,
            within_range,
        );
    }
    // Meets plan: x x unit(y) >= planned to date in every MTFP year.
    let projected = engine.projected(s)?;
    let mut least = Money::ZERO;
    let mut possible = true;
    let mut mtfp = Vec::new();
    for (t, year) in engine.projection.years.iter().enumerate() {
        if !scenario.in_mtfp_period(*year) {
            continue;
        }
        mtfp.push(t);
        let planned = projected.planned_to_date[t];
        if let Some(recorded) = option.recorded(*year) {
            // Recorded: met or missed whatever the saving.
            possible &= recorded >= planned;
            continue;
        }
        match per_unit(planned, t, *year)? {
            Some(needed) => least = least.max(needed),
            None => possible &= !planned.is_positive(),
        }
    }
    if possible && least.is_positive() {
        let value = written(least)?;
        let within_range = within(value, &mtfp)?;
        push(
            Goal::MeetsPlan(service.id.clone()),
            projected.meets_plan.central.holds,
            value,
            within_range,
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

/// The overlap at which each gap year changes state, where that lies in 0 to 1:
/// `R = LG - D + LP_planned + w LP_proposed` is zero at `w = (D - LP_planned - LG) /
/// LP_proposed`.
fn overlap_switches(
    engine: &Engine,
    w: Decimal,
    gap_years: &[FinancialYear],
    overlap: &Overlap,
) -> Vec<Switch> {
    let total = &engine.projection.total;
    let mut out = Vec::new();
    for (&t, year) in engine.gap_index.iter().zip(gap_years) {
        let lp = overlap.proposed[t];
        let mut saved = Ok(total.in_year.central[t]);
        if let Some(planned) = &overlap.planned {
            saved = total.in_year.central[t].checked_sub(planned[t]);
        }
        let Ok(Some(exact)) = saved
            .and_then(|d| d.checked_sub(total.gap_to_date[t]))
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

/// The central in-year saving of `option` slipped `months`.
fn delayed_in_year(scenario: &Scenario, option: &SavingOption, months: u32) -> Result<Series> {
    let name = || format!("saving of {} slipped {months} months", option.id);
    match crate::projection::slipped(option, months).map_err(|e| failed(name(), e))? {
        Some(slipped) => Source::of(&slipped)
            .in_year(scenario, Case::Central)
            .map_err(|e| failed(name(), e)),
        None => Ok(vec![Money::ZERO; usize::from(scenario.horizon)]),
    }
}

/// Whether an option's central in-year saving never falls from one projected year to the
/// next (a steady state, built up by a ramp that never falls; a profile that never falls), so
/// that a delay never raises it in any year.
fn never_falls(option: &SavingOption) -> bool {
    match &option.build {
        Build::Ramp { .. } => true,
        Build::Profile(levels) => levels.central.windows(2).all(|w| w[0] <= w[1]),
    }
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
    let mut base = Vec::with_capacity(taken.options.len());
    for (k, (s, _)) in taken.options.iter().enumerate() {
        let projected = engine.projected(*s)?;
        base.push(projected);
        if projected.meets_plan.central.holds {
            goals.push((
                Goal::MeetsPlan(scenario.services[*s].id.clone()),
                None,
                Some(k),
            ));
        }
    }
    if goals.is_empty() {
        return Ok(Vec::new());
    }
    // The first year anything is saved: a go-live, or a profile's first level above 0.
    let earliest = taken
        .options
        .iter()
        .filter_map(|(_, o)| match &o.build {
            Build::Ramp { start, .. } => Some(start.financial_year()),
            Build::Profile(levels) => levels
                .central
                .iter()
                .position(|l| !l.is_zero())
                .and_then(|t| engine.projection.years.get(t).copied()),
        })
        .min();
    let Some(earliest) = earliest else {
        return Ok(Vec::new());
    };
    let span = scenario.last_year().years_after(earliest).max(0) + 1;
    let last = u32::try_from(span).unwrap_or(0).saturating_mul(12);
    // Which goals still hold at a delay, each delay worked out once: the remaining gap moves
    // by the change in the options' in-year savings, and a plan is met where the delayed
    // saving is at least the plan to date in every MTFP year.
    let mut cache: std::collections::BTreeMap<u32, Vec<bool>> = std::collections::BTreeMap::new();
    let mut holding = |months: u32| -> Result<Vec<bool>> {
        if let Some(known) = cache.get(&months) {
            return Ok(known.clone());
        }
        let delayed = taken
            .options
            .iter()
            .map(|(_, o)| delayed_in_year(scenario, o, months))
            .collect::<Result<Vec<_>>>()?;
        let name = || format!("slip of {}", taken.procurement);
        let holds: Vec<bool> = goals
            .iter()
            .map(|(_, gap, option)| -> Result<bool> {
                match (gap, option) {
                    (Some(i), _) => {
                        let t = engine.gap_index[*i];
                        let mut r = central.remaining_gap[*i];
                        for (d, old) in delayed.iter().zip(&base) {
                            r = r
                                .checked_add(old.figures.in_year.central[t])
                                .and_then(|r| r.checked_sub(d[t]))
                                .map_err(|e| failed(name(), e))?;
                        }
                        Ok(!r.is_positive())
                    }
                    (_, Some(k)) => Ok(scenario
                        .years()
                        .zip(delayed[*k].iter().zip(&base[*k].planned_to_date))
                        .filter(|(year, _)| scenario.in_mtfp_period(*year))
                        .all(|(_, (d, lp))| d >= lp)),
                    _ => Ok(true),
                }
            })
            .collect::<Result<_>>()?;
        cache.insert(months, holds.clone());
        Ok(holds)
    };
    let monotone = taken.options.iter().all(|(_, o)| never_falls(o));
    let profiles = taken.options.iter().all(|(_, o)| o.is_profile());
    let mut found: Vec<Option<u32>> = vec![None; goals.len()];
    for (g, slot) in found.iter_mut().enumerate() {
        *slot = if monotone {
            // A delay never raises an in-year saving (ramps never fall, a part year is at
            // most a whole one, and a profile that never falls moves later onto lower
            // levels), so a goal lost at some delay stays lost at every longer one: bisection
            // between 0 (held) and the last month that can matter.
            if holding(last)?[g] {
                None // held even with go-live past the horizon
            } else {
                Some(first_lost(&mut holding, g, 0, last)?)
            }
        } else if profiles {
            // A profile that falls can rise with a delay, but within each whole year of delay
            // (m = 12k + j, j from 0 to 12) every delayed level is a straight line in j, so a
            // goal that holds at both whole years holds between them: find the first whole
            // year that loses it, then bisect within that year.
            let mut first = None;
            for k in 1..=last / 12 {
                if !holding(12 * k)?[g] {
                    first = Some(first_lost(&mut holding, g, 12 * (k - 1), 12 * k)?);
                    break;
                }
            }
            first
        } else {
            // Steady states beside a profile that falls: month by month.
            let mut first = None;
            for months in 1..=last {
                if !holding(months)?[g] {
                    first = Some(months);
                    break;
                }
            }
            first
        };
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

/// The fewest months in `(held, lost]` that lose goal `g`, where it holds at `held`, is
/// lost at `lost`, and between them holds up to some month and is lost from then on.
fn first_lost(
    holding: &mut impl FnMut(u32) -> Result<Vec<bool>>,
    g: usize,
    mut held: u32,
    mut lost: u32,
) -> Result<u32> {
    while lost - held > 1 {
        let middle = held + (lost - held) / 2;
        if holding(middle)?[g] {
            held = middle;
        } else {
            lost = middle;
        }
    }
    Ok(lost)
}

#[cfg(test)]
mod tests;
