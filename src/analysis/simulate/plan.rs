//! What a simulation draws and what it fixes, prepared once before the trials: for each option
//! taken forward how its saving is drawn and built into D (a steady-state saving times a factor
//! table; a profile year by year), its plan to meet; options with nothing to draw computed
//! exactly; the gap to date and what the plans take off the savings.
//!
//! The exact parts come from the projection `savings run` prints (`projection::project`), so
//! statuses (docs/model.md section 9.4), the gap built from the budget (9.5) and the overlap
//! `w` count here exactly as they count there.

use super::sampler::{Draw, FigureDraws, PertShapes};
use super::*;
use crate::model::{Build, Status};
use crate::projection::{Projection, ServiceProjection};

/// How a sampled option's D is built from its draw.
#[derive(Clone, Debug)]
pub(super) enum Shape {
    /// `D(y) = S x r(k) x p(k)`: the drawn saving times a factor per projected year, for each
    /// slip from the group's least: row `slip - min` of `Plan::width` values, the years after
    /// the horizon 0. `meets_from[slip - min]` is the least saving that meets the option's
    /// plan at that slip (see [`least_meeting`]).
    SteadyState {
        saving: Draw,
        table: Vec<f64>,
        meets_from: Vec<f64>,
    },
    /// `D(y) = F_y^-1(u)`, each year's figure from the one draw (docs/model.md section 9.2),
    /// then moved later by the slip. `year[y]` indexes `draws`; index 0 is the figure 0,
    /// which the years before the profile's first (and the base year and earlier) also read.
    /// `as_planned` is `year` with the years whose delivery is recorded reading figure 0: D
    /// itself where the group never slips.
    Profile {
        draws: FigureDraws,
        year: Vec<usize>,
        as_planned: Vec<usize>,
    },
}

/// An option taken forward, ready for sampling.
#[derive(Clone, Debug)]
pub(super) struct OptionPlan {
    pub(super) shape: Shape,
    /// Whether the option takes a uniform draw each trial (it has a range in some year).
    pub(super) drawn: bool,
    /// The least slip of its group, in months.
    pub(super) slip_min: u32,
    /// How many slips its group can take (`max - min + 1`).
    pub(super) slips: usize,
    /// The plan it must meet: `LP` in each MTFP year (its service's planned savings, or its
    /// own plan for a line already in the MTFP), the years its delivery is recorded in left
    /// out (they are decided exactly, in `misses_recorded`).
    pub(super) plan: Vec<(usize, f64)>,
    /// The years whose delivery is recorded (delivered or forecast, docs/model.md section 10):
    /// the same in every trial, so counted exactly with the fixed options and drawn as 0.
    pub(super) recorded: Vec<(usize, Money)>,
    /// Whether a recorded year falls short of the plan, so that the line never meets it.
    pub(super) misses_recorded: bool,
    /// Where its sums start in `BlockStats::saving_sums` (`Plan::sum_offsets`).
    pub(super) first_sum: usize,
    /// Its group's draws, held by the group's first option only.
    pub(super) opens: Option<GroupDraws>,
}

impl OptionPlan {
    /// Whether its delivery in year `t` is recorded (drawn as 0, counted exactly).
    pub(super) fn is_recorded(&self, t: usize) -> bool {
        self.recorded.iter().any(|(r, _)| *r == t)
    }

    /// How many sums the option keeps for its mean D: one per slip (of the drawn saving) for
    /// a steady state, one per year (of D) for a profile.
    pub(super) fn sums(&self, horizon: usize) -> usize {
        match self.shape {
            Shape::SteadyState { .. } => self.slips,
            Shape::Profile { .. } => horizon,
        }
    }
}

/// An option taken forward with nothing to draw: the same in every trial, computed exactly.
#[derive(Clone, Debug)]
pub(super) struct FixedOption {
    pub(super) in_year: Vec<Money>,
    pub(super) meets_plan: bool,
}

/// An option taken forward, in file order: sampled (an index into `Plan::options`) or fixed.
#[derive(Clone, Debug)]
pub(super) enum Member {
    Sampled(usize),
    Fixed(FixedOption),
}

/// A procurement group's draws: one failure draw and one slip draw a trial, made as the trial
/// reaches its first option (`Plan::options` holds each group's options together).
#[derive(Clone, Copy, Debug)]
pub(super) struct GroupDraws {
    pub(super) fail: f64,
    pub(super) slip_min: u32,
    pub(super) slip_max: u32,
}

/// The scenario compiled for sampling.
pub(super) struct Plan {
    pub(super) horizon: usize,
    /// The length of a factor table's row and of each trial's D: the horizon rounded up to
    /// one of the widths the trial loop is built for ([`super::kernel::row_width`]).
    pub(super) width: usize,
    /// Whether any option is a profile (the trial loop is built without them where none is).
    pub(super) has_profiles: bool,
    /// The options taken forward with something to draw, group by group in the order the
    /// groups first appear in the file, each group's first holding its draws.
    pub(super) options: Vec<OptionPlan>,
    /// The standard PERT shapes the options' draws refer to.
    pub(super) pert: Vec<super::sampler::PertInverse>,
    /// `(service, option)` of every option taken forward, in file order, and how it is held.
    pub(super) chosen: Vec<(usize, usize, Member)>,
    /// Per year: the remaining gap with only the fixed options, exactly; drawn savings at or
    /// above it (as f64, sign kept) close the year.
    pub(super) closes_at: Vec<f64>,
    /// `f(t) = (1 + r)^-t` for t = 1..horizon.
    pub(super) discount: Vec<f64>,
    /// Per year: the in-year saving of the fixed options, exactly.
    pub(super) fixed_in_year: Vec<Money>,
    /// Their total over the horizon, and the NPV of their savings less every option's
    /// one-off costs (incurred whatever happens), as `savings run` computes it.
    pub(super) fixed_total: Money,
    pub(super) fixed_npv: Money,
    /// Per year: `-w x LP` and `LG + w x LP` over the lines taken forward, exactly.
    pub(super) minus_planned: Vec<Money>,
    pub(super) gap_and_planned: Vec<Money>,
    /// Where each option's sums start in `BlockStats::saving_sums`; the last entry is the
    /// total length.
    pub(super) sum_offsets: Vec<usize>,
    /// The years whose D is stored: a year whose D is, trial by trial, the very same as the
    /// year before's for every option and slip (once every option is built up) would be a
    /// copy.
    pub(super) stored: Vec<usize>,
    /// For each year, the stored column holding its D.
    pub(super) column_of: Vec<usize>,
}

pub(super) fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// A money figure as f64 for a comparison with drawn savings, its sign kept even where it
/// is too small for f64 (a positive remaining gap of 1e-40 stays open).
pub(super) fn signed(m: Money) -> f64 {
    let x = f(m.amount());
    match (x == 0.0, m.is_positive(), m.is_negative()) {
        (true, true, _) => f64::MIN_POSITIVE,
        (true, _, true) => -f64::MIN_POSITIVE,
        _ => x,
    }
}

/// Whether a steady-state saving `s` at a slip whose factor row is `row` meets the plan
/// `(year, LP)`: in every year, `s x factor x (1 + RELATIVE_TIE) >= LP`, as f64.
fn meets(s: f64, row: &[f64], plan: &[(usize, f64)]) -> bool {
    plan.iter()
        .all(|(t, lp)| s * row[*t] * (1.0 + RELATIVE_TIE) >= *lp)
}

/// The least saving that [`meets`] the plan at a slip, so that a trial decides it by one
/// comparison, `s >= least`, with the very same outcome as the test itself: factors are never
/// negative, so each year's side of the test never falls as `s` rises (f64 rounding keeps
/// order) and the savings that meet the plan are every f64 from the least up. `-inf` where
/// every saving meets it, `+inf` where none does. Found by bisection over the f64s in order
/// (their bits, reordered so that the integers sort as the numbers do), starting from a
/// bracket a few places either side of the quotient `LP / (factor x (1 + RELATIVE_TIE))`.
pub(super) fn least_meeting(row: &[f64], plan: &[(usize, f64)]) -> f64 {
    // The f64s in order as integers, and back: negatives count down from the middle.
    const MIDDLE: u64 = 1 << 63;
    let key = |x: f64| match x.is_sign_negative() {
        true => MIDDLE - 1 - (x.to_bits() - MIDDLE),
        false => x.to_bits() + MIDDLE,
    };
    let value = |k: u64| match k >= MIDDLE {
        true => f64::from_bits(k - MIDDLE),
        false => f64::from_bits(MIDDLE + (MIDDLE - 1 - k)),
    };
    let test = |k: u64| meets(value(k), row, plan);
    let (mut below, mut from) = (key(f64::MIN), key(f64::MAX));
    if test(below) {
        return f64::NEG_INFINITY;
    }
    if !test(from) {
        return f64::INFINITY;
    }
    let guess = plan
        .iter()
        .filter(|(t, _)| row[*t] > 0.0)
        .map(|(t, lp)| lp / (row[*t] * (1.0 + RELATIVE_TIE)))
        .fold(f64::MIN, f64::max)
        .clamp(f64::MIN, f64::MAX);
    let (near_below, near_from) = (key(guess).saturating_sub(4), key(guess).saturating_add(4));
    if near_below > below && near_from < from && !test(near_below) && test(near_from) {
        (below, from) = (near_below, near_from);
    }
    // The least that meets lies in (below, from].
    while from - below > 1 {
        let middle = below + (from - below) / 2;
        match test(middle) {
            true => from = middle,
            false => below = middle,
        }
    }
    value(from)
}

pub(super) fn projection_error(figure: String, cause: ArithmeticError) -> SimulationError {
    SimulationError::Projection(ProjectionError {
        figure,
        field: None,
        cause,
    })
}

/// Whether the option has anything to draw: a chance of failure, a range of slip, or a range
/// of saving in some year. A line in the base budget or withdrawn never does (its D is fixed
/// by its status, docs/model.md section 9.4).
fn is_fixed(option: &crate::model::SavingOption) -> bool {
    if matches!(option.status, Status::InBase | Status::Withdrawn) {
        return true;
    }
    let risk = Risk::of(option);
    let single = match &option.build {
        Build::Ramp { .. } => option.saving.low == option.saving.high,
        Build::Profile(levels) => levels.low == levels.high,
    };
    risk.fail.value().is_zero() && risk.slip_months.0 == risk.slip_months.1 && single
}

/// The D of a line with nothing to draw, exactly: as its status makes it, moved by a fixed
/// slip.
fn fixed_in_year(
    scenario: &Scenario,
    line: &ServiceProjection,
    option: &crate::model::SavingOption,
) -> Result<Vec<Money>, ArithmeticError> {
    let slip = Risk::of(option).slip_months.0;
    if slip == 0 || matches!(option.status, Status::InBase | Status::Withdrawn) {
        // As `savings run` counts it, recorded delivery included.
        return Ok(line.figures.in_year.central.clone());
    }
    let mut in_year = match crate::projection::slipped(option, slip)? {
        Some(slipped) => Source::of(&slipped).in_year(scenario, Case::Central)?,
        // Past every year the tool can name: nothing saved within the horizon.
        None => vec![Money::ZERO; scenario.horizon.into()],
    };
    // A slip moves what is still as planned; what is recorded stays.
    for (t, figure) in recorded(scenario, option) {
        in_year[t] = figure;
    }
    Ok(in_year)
}

/// The years whose delivery an approved or withdrawn line records (docs/model.md section
/// 10: delivered, else forecast), with the figure: the same in every case and every trial.
fn recorded(scenario: &Scenario, option: &crate::model::SavingOption) -> Vec<(usize, Money)> {
    scenario
        .years()
        .enumerate()
        .filter_map(|(t, year)| option.recorded(year).map(|figure| (t, figure)))
        .collect()
}

/// How a sampled option's D is built: its draws and, for a steady state, its factor table.
fn shape_of(
    scenario: &Scenario,
    option: &crate::model::SavingOption,
    width: usize,
    pert: &mut PertShapes,
) -> Result<Shape, ArithmeticError> {
    let risk = Risk::of(option);
    match &option.build {
        Build::Ramp { .. } => {
            let slips = usize::try_from(risk.slip_months.1 - risk.slip_months.0).unwrap_or(0) + 1;
            let mut table = Vec::with_capacity(slips.saturating_mul(width));
            for slip in risk.slip_months.0..=risk.slip_months.1 {
                let row = table.len();
                // Past every year the tool can name, nothing is saved within the horizon.
                if let Some(slipped) = crate::projection::slipped(option, slip)? {
                    let factors = Source::of(&slipped).unit_factors(scenario)?;
                    table.extend(factors.iter().map(|factor| f(factor.amount())));
                }
                table.resize(row + width, 0.0);
            }
            let saving = Draw::new(
                f(option.saving.low.amount()),
                f(option.saving.central.amount()),
                f(option.saving.high.amount()),
                option.distribution,
                pert,
            );
            Ok(Shape::SteadyState {
                saving,
                table,
                meets_from: Vec::new(),
            })
        }
        Build::Profile(levels) => {
            // One draw per distinct (low, central, high): a level that holds is drawn once.
            let mut draws = vec![Draw::Constant(0.0)];
            let mut seen: Vec<[Money; 3]> = vec![[Money::ZERO; 3]];
            let mut year = Vec::with_capacity(levels.central.len());
            for ((low, central), high) in levels.low.iter().zip(&levels.central).zip(&levels.high) {
                let key = [*low, *central, *high];
                let index = match seen.iter().position(|k| *k == key) {
                    Some(index) => index,
                    None => {
                        seen.push(key);
                        draws.push(Draw::new(
                            f(low.amount()),
                            f(central.amount()),
                            f(high.amount()),
                            option.distribution,
                            pert,
                        ));
                        draws.len() - 1
                    }
                };
                year.push(index);
            }
            Ok(Shape::Profile {
                draws: FigureDraws::new(&draws),
                as_planned: year.clone(),
                year,
            })
        }
    }
}

/// Whether an option's D in year `t` is, trial by trial, the same as in year `t - 1`.
fn same_as_year_before(option: &OptionPlan, t: usize, width: usize) -> bool {
    match &option.shape {
        Shape::SteadyState { table, .. } => table
            .chunks(width)
            .all(|row| row[t].to_bits() == row[t - 1].to_bits()),
        Shape::Profile { .. } if option.is_recorded(t) != option.is_recorded(t - 1) => false,
        Shape::Profile { .. } if option.is_recorded(t) => true,
        Shape::Profile { year, .. } => {
            // The draw a year reads after a slip of `whole` years (0 before the profile).
            let at = |y: usize, whole: usize| y.checked_sub(whole).map_or(0, |y| year[y]);
            (0..option.slips).all(|s| {
                let months = option.slip_min as usize + s;
                let (whole, part) = (months / 12, months % 12);
                at(t, whole) == at(t - 1, whole)
                    && (part == 0 || at(t, whole + 1) == at(t - 1, whole + 1))
            })
        }
    }
}

impl Plan {
    pub(super) fn new(
        scenario: &Scenario,
        projection: &Projection,
    ) -> Result<Self, SimulationError> {
        let years: Vec<FinancialYear> = scenario.years().collect();
        let horizon = years.len();
        let width = super::kernel::row_width(horizon);
        let mut options = Vec::new();
        let mut pert = PertShapes::default();
        let mut chosen = Vec::new();
        // Per group: its name, its draws and its options (indexes into `options`).
        let mut groups: Vec<(Option<String>, GroupDraws, Vec<usize>)> = Vec::new();
        let money_error = |what: &str| {
            let what = what.to_string();
            move |cause| projection_error(what.clone(), cause)
        };
        // Exact per-year sums over the lines taken forward.
        let mut weighted_plan = vec![Money::ZERO; horizon];
        let mut fixed_in_year_sum = vec![Money::ZERO; horizon];
        let mut net = vec![Money::ZERO; horizon];
        let mut base_cost = Money::ZERO;
        for line in &projection.services {
            let (s, o) = (line.service, line.option);
            let Some(service) = scenario.services.get(s) else {
                continue;
            };
            let Some(option) = service.options.get(o) else {
                continue;
            };
            let name = service.option_path(option);
            let risk = Risk::of(option);
            let costs = option
                .one_off_cost
                .levels(years.iter().copied())
                .map_err(money_error("one-off costs"))?;
            let taken_off = line
                .weighted_plan(scenario)
                .map_err(money_error("planned savings to date"))?;
            let mut plan = Vec::new();
            for (t, year) in years.iter().enumerate() {
                weighted_plan[t] = weighted_plan[t]
                    .checked_add(taken_off[t])
                    .map_err(money_error("planned savings to date"))?;
                net[t] = net[t]
                    .sub_to_full_precision(costs[t])
                    .map_err(money_error("one-off costs"))?;
                if scenario.in_mtfp_period(*year) {
                    plan.push((t, line.planned_to_date[t]));
                }
            }
            base_cost = base_cost
                .checked_add(option.one_off_cost.get(scenario.base_year))
                .map_err(money_error("one-off costs in the base year"))?;
            if is_fixed(option) {
                // The same in every trial: computed exactly, as `savings run` does.
                let in_year = fixed_in_year(scenario, line, option)
                    .map_err(money_error(&format!("in-year saving of {name}")))?;
                for (sum, d) in fixed_in_year_sum.iter_mut().zip(&in_year) {
                    *sum = sum
                        .checked_add(*d)
                        .map_err(money_error("total in-year saving"))?;
                }
                let meets_plan = plan.iter().all(|(t, lp)| in_year[*t] >= *lp);
                chosen.push((
                    s,
                    o,
                    Member::Fixed(FixedOption {
                        in_year,
                        meets_plan,
                    }),
                ));
                continue;
            }
            let mut shape = shape_of(scenario, option, width, &mut pert)
                .map_err(money_error(&format!("build-up of {name}")))?;
            // Recorded years are the same in every trial: counted exactly, drawn as 0.
            let recorded = recorded(scenario, option);
            let mut misses_recorded = false;
            for &(t, figure) in &recorded {
                fixed_in_year_sum[t] = fixed_in_year_sum[t]
                    .checked_add(figure)
                    .map_err(money_error("total in-year saving"))?;
                if let Some((_, lp)) = plan.iter().find(|(p, _)| *p == t) {
                    misses_recorded |= figure < *lp;
                }
                match &mut shape {
                    Shape::SteadyState { table, .. } => {
                        for row in table.chunks_mut(width) {
                            row[t] = 0.0;
                        }
                    }
                    Shape::Profile { as_planned, .. } => as_planned[t] = 0,
                }
            }
            plan.retain(|(t, _)| recorded.iter().all(|(r, _)| r != t));
            let plan: Vec<(usize, f64)> = plan.into_iter().map(|(t, lp)| (t, signed(lp))).collect();
            if let Shape::SteadyState {
                table, meets_from, ..
            } = &mut shape
            {
                *meets_from = table
                    .chunks(width)
                    .map(|row| match misses_recorded {
                        true => f64::INFINITY,
                        false => least_meeting(row, &plan),
                    })
                    .collect();
            }
            let drawn = match &shape {
                Shape::SteadyState { saving, .. } => saving.is_drawn(),
                Shape::Profile { draws, .. } => draws.is_drawn(),
            };
            let index = options.len();
            options.push(OptionPlan {
                shape,
                drawn,
                slip_min: risk.slip_months.0,
                slips: usize::try_from(risk.slip_months.1 - risk.slip_months.0).unwrap_or(0) + 1,
                plan,
                recorded,
                misses_recorded,
                first_sum: 0,
                opens: None,
            });
            chosen.push((s, o, Member::Sampled(index)));
            let key = option.group.clone();
            match groups.iter_mut().find(|(k, ..)| key.is_some() && *k == key) {
                Some((.., members)) => members.push(index),
                None => groups.push((
                    key,
                    GroupDraws {
                        fail: f(risk.fail.value()),
                        slip_min: risk.slip_months.0,
                        slip_max: risk.slip_months.1,
                    },
                    vec![index],
                )),
            }
        }
        // The options laid out group by group, as the trial loop draws them.
        let mut placed: Vec<Option<OptionPlan>> = options.into_iter().map(Some).collect();
        let mut options = Vec::with_capacity(placed.len());
        let mut moved_to = vec![0; placed.len()];
        for (_, draws, members) in groups {
            let first = options.len();
            for index in members {
                moved_to[index] = options.len();
                options.extend(placed[index].take());
            }
            if let Some(option) = options.get_mut(first) {
                option.opens = Some(draws);
            }
        }
        for (.., member) in &mut chosen {
            if let Member::Sampled(index) = member {
                *index = moved_to[*index];
            }
        }
        let mut minus_planned = Vec::with_capacity(horizon);
        let mut gap_and_planned = Vec::with_capacity(horizon);
        let mut closes_at = Vec::with_capacity(horizon);
        for (t, gap_to_date) in projection.total.gap_to_date.iter().enumerate() {
            let planned = weighted_plan[t];
            let gap_and_plan = gap_to_date
                .checked_add(planned)
                .map_err(money_error("remaining gap"))?;
            let fixed_remaining = gap_and_plan
                .checked_sub(fixed_in_year_sum[t])
                .map_err(money_error("remaining gap"))?;
            minus_planned.push(-planned);
            gap_and_planned.push(gap_and_plan);
            closes_at.push(signed(fixed_remaining));
            net[t] = net[t]
                .add_to_full_precision(fixed_in_year_sum[t])
                .map_err(money_error("net saving"))?;
        }
        let fixed_total =
            Money::total(fixed_in_year_sum.iter().copied()).map_err(money_error("total saving"))?;
        let fixed_npv = net_present_value(scenario.discount_rate, -base_cost, &net)
            .map_err(money_error("net present value"))?;
        let growth = 1.0 + f(scenario.discount_rate.value());
        let mut factor = 1.0;
        let discount: Vec<f64> = (0..horizon)
            .map(|_| {
                factor /= growth;
                factor
            })
            .collect();
        let mut stored = Vec::new();
        let mut column_of = Vec::with_capacity(horizon);
        for t in 0..horizon {
            let same_as_before = t > 0 && options.iter().all(|o| same_as_year_before(o, t, width));
            if !same_as_before {
                stored.push(t);
            }
            column_of.push(stored.len() - 1);
        }
        let mut sum_offsets = vec![0];
        for option in &mut options {
            option.first_sum = sum_offsets.last().copied().unwrap_or(0);
            sum_offsets.push(option.first_sum + option.sums(horizon));
        }
        Ok(Self {
            stored,
            column_of,
            sum_offsets,
            horizon,
            width,
            has_profiles: options
                .iter()
                .any(|o| matches!(o.shape, Shape::Profile { .. })),
            closes_at,
            options,
            pert: pert.shapes,
            chosen,
            discount,
            fixed_in_year: fixed_in_year_sum,
            fixed_total,
            fixed_npv,
            minus_planned,
            gap_and_planned,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_saving_meeting_the_plan_decides_as_the_test_does() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        for case in 0..2000 {
            // Factors as ramps and part years make them (0 to 1, some exactly 0 or 1), and
            // plans at, near and far from what a saving of 5 delivers.
            let row: Vec<f64> = (0..10)
                .map(|_| match (next() * 4.0) as u32 {
                    0 => 0.0,
                    1 => 1.0,
                    2 => (next() * 12.0).floor() / 12.0,
                    _ => next(),
                })
                .collect();
            let plan: Vec<(usize, f64)> = (0..1 + case % 3)
                .map(|i| {
                    let t = (i * 3 + case) % 10;
                    let lp = match case % 5 {
                        0 => 5.0 * row[t],
                        1 => 5.0 * row[t] * (1.0 + 1e-10),
                        2 => -next(),
                        3 => 0.0,
                        _ => next() * 8.0,
                    };
                    (t, lp)
                })
                .collect();
            let least = least_meeting(&row, &plan);
            let mut savings = vec![0.0, -0.0, 5.0, 1e300, f64::MAX, 7.5 * next()];
            if least.is_finite() {
                savings.extend([least, least.next_down(), least.next_up(), least * 2.0]);
            }
            for s in savings {
                assert_eq!(
                    s >= least,
                    meets(s, &row, &plan),
                    "case {case}: s {s}, least {least}, row {row:?}, plan {plan:?}"
                );
            }
        }
    }
}
