//! What a simulation draws and what it fixes, prepared once before the trials: for each option
//! taken forward its sampler, its factor table (in-year saving per unit of saving, per slip and
//! year), its plan to meet; options with nothing to draw computed exactly; the gap lines.

use super::sampler::Sampler;
use super::*;

/// An option taken forward, ready for sampling.
#[derive(Clone, Debug)]
pub(super) struct OptionPlan {
    pub(super) sampler: Sampler,
    /// `r(k) x p(k)` for each projected year, for each slip from the group's least: row
    /// `slip - min` of `horizon` values.
    pub(super) table: Vec<f64>,
    /// The service's planned savings to date in each MTFP year.
    pub(super) plan: Vec<(usize, f64)>,
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

/// A procurement group: one failure draw and one slip draw a trial.
#[derive(Clone, Debug)]
pub(super) struct GroupPlan {
    pub(super) fail: f64,
    pub(super) slip_min: u32,
    pub(super) slip_max: u32,
    /// Indexes into `Plan::options`.
    pub(super) options: Vec<usize>,
}

/// The scenario compiled for sampling.
pub(super) struct Plan {
    pub(super) horizon: usize,
    pub(super) groups: Vec<GroupPlan>,
    pub(super) options: Vec<OptionPlan>,
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
    /// Per year: `-w x LP` and `LG + w x LP`, exactly.
    pub(super) minus_planned: Vec<Money>,
    pub(super) gap_and_planned: Vec<Money>,
    /// Where each option's per-slip sums start in `BlockStats::saving_sums`; the last entry
    /// is the total length.
    pub(super) slip_offsets: Vec<usize>,
    /// The years whose D is stored: a year whose factors equal the year before's for every
    /// option and slip has, trial by trial, the very same D (once every option is built up),
    /// so its column would be a copy.
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

pub(super) fn projection_error(figure: String, cause: ArithmeticError) -> SimulationError {
    SimulationError::Projection(ProjectionError {
        figure,
        field: None,
        cause,
    })
}

impl Plan {
    pub(super) fn new(scenario: &Scenario) -> Result<Self, SimulationError> {
        let years: Vec<FinancialYear> = scenario.years().collect();
        let horizon = years.len();
        let w = scenario.overlap;
        let mut options = Vec::new();
        let mut chosen = Vec::new();
        let mut groups: Vec<(Option<String>, GroupPlan)> = Vec::new();
        let money_error = |what: &str| {
            let what = what.to_string();
            move |cause| projection_error(what.clone(), cause)
        };
        // Exact per-year sums over the options taken forward.
        let mut planned_to_date = vec![Money::ZERO; horizon];
        let mut fixed_in_year = vec![Money::ZERO; horizon];
        let mut net = vec![Money::ZERO; horizon];
        let mut base_cost = Money::ZERO;
        for (s, service) in scenario.services.iter().enumerate() {
            let Some(o) = service.taken_forward else {
                continue;
            };
            let option = &service.options[o];
            let name = format!("service[{}].option[{}]", service.id, option.id);
            let risk = Risk::of(option);
            let levels = service
                .planned
                .levels(years.iter().copied())
                .map_err(money_error("planned savings to date"))?;
            let costs = option
                .one_off_cost
                .levels(years.iter().copied())
                .map_err(money_error("one-off costs"))?;
            let mut plan = Vec::new();
            for (t, year) in years.iter().enumerate() {
                planned_to_date[t] = planned_to_date[t]
                    .checked_add(levels[t])
                    .map_err(money_error("planned savings to date"))?;
                net[t] = net[t]
                    .sub_to_full_precision(costs[t])
                    .map_err(money_error("one-off costs"))?;
                if scenario.in_mtfp_period(*year) {
                    plan.push((t, levels[t]));
                }
            }
            base_cost = base_cost
                .checked_add(option.one_off_cost.get(scenario.base_year))
                .map_err(money_error("one-off costs in the base year"))?;
            let fixed = risk.fail.value().is_zero()
                && risk.slip_months.0 == risk.slip_months.1
                && option.saving.low == option.saving.high;
            if fixed {
                // The same in every trial: computed exactly, as `savings run` does.
                let in_year = match crate::projection::slipped(option, risk.slip_months.0)
                    .map_err(money_error(&format!("in-year saving of {name}")))?
                {
                    Some(slipped) => Source::of(&slipped)
                        .in_year(scenario, Case::Central)
                        .map_err(money_error(&format!("in-year saving of {name}")))?,
                    None => vec![Money::ZERO; horizon],
                };
                for (sum, d) in fixed_in_year.iter_mut().zip(&in_year) {
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
            // The factor table: the option's in-year saving per unit of S, exactly, for
            // each slip, as f64.
            let slips = usize::try_from(risk.slip_months.1 - risk.slip_months.0).unwrap_or(0) + 1;
            let mut table = Vec::with_capacity(slips.saturating_mul(horizon));
            for slip in risk.slip_months.0..=risk.slip_months.1 {
                let Some(slipped) = crate::projection::slipped(option, slip)
                    .map_err(money_error(&format!("in-year saving of {name}")))?
                else {
                    // Past every year the tool can name: nothing saved within the horizon.
                    table.extend(std::iter::repeat_n(0.0, years.len()));
                    continue;
                };
                let factors = Source::of(&slipped)
                    .unit_factors(scenario)
                    .map_err(money_error(&format!("build-up factor of {name}")))?;
                table.extend(factors.iter().map(|factor| f(factor.amount())));
            }
            let index = options.len();
            options.push(OptionPlan {
                sampler: Sampler::new(
                    f(option.saving.low.amount()),
                    f(option.saving.central.amount()),
                    f(option.saving.high.amount()),
                    option.distribution,
                ),
                table,
                plan: plan.into_iter().map(|(t, lp)| (t, signed(lp))).collect(),
            });
            chosen.push((s, o, Member::Sampled(index)));
            let key = option.group.clone();
            match groups.iter_mut().find(|(k, _)| key.is_some() && *k == key) {
                Some((_, g)) => g.options.push(index),
                None => groups.push((
                    key,
                    GroupPlan {
                        fail: f(risk.fail.value()),
                        slip_min: risk.slip_months.0,
                        slip_max: risk.slip_months.1,
                        options: vec![index],
                    },
                )),
            }
        }
        let mut minus_planned = Vec::with_capacity(horizon);
        let mut gap_and_planned = Vec::with_capacity(horizon);
        let mut closes_at = Vec::with_capacity(horizon);
        let gaps_to_date = scenario
            .gap
            .unidentified
            .levels(years.iter().copied())
            .map_err(money_error("unidentified gap to date"))?;
        for (t, gap_to_date) in gaps_to_date.into_iter().enumerate() {
            let planned = planned_to_date[t]
                .times(w)
                .map_err(money_error("planned savings to date"))?;
            let gap_and_plan = gap_to_date
                .checked_add(planned)
                .map_err(money_error("remaining gap"))?;
            let fixed_remaining = gap_and_plan
                .checked_sub(fixed_in_year[t])
                .map_err(money_error("remaining gap"))?;
            minus_planned.push(-planned);
            gap_and_planned.push(gap_and_plan);
            closes_at.push(signed(fixed_remaining));
            net[t] = net[t]
                .add_to_full_precision(fixed_in_year[t])
                .map_err(money_error("net saving"))?;
        }
        let fixed_total =
            Money::total(fixed_in_year.iter().copied()).map_err(money_error("total saving"))?;
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
            let same_as_before = t > 0
                && options.iter().all(|o| {
                    o.table
                        .chunks(horizon)
                        .all(|row| row[t].to_bits() == row[t - 1].to_bits())
                });
            if !same_as_before {
                stored.push(t);
            }
            column_of.push(stored.len() - 1);
        }
        let mut slip_offsets = vec![0];
        for option in &options {
            let slips = option.table.len() / horizon.max(1);
            slip_offsets.push(slip_offsets.last().copied().unwrap_or(0) + slips);
        }
        Ok(Self {
            stored,
            column_of,
            slip_offsets,
            horizon,
            closes_at,
            groups: groups.into_iter().map(|(_, g)| g).collect(),
            options,
            chosen,
            discount,
            fixed_in_year,
            fixed_total,
            fixed_npv,
            minus_planned,
            gap_and_planned,
        })
    }
}
