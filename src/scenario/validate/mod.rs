//! From the raw layer to the validated model: every rule of docs/model.md section 7, checked once,
//! each failure one [`Diagnostic`] that names the file, line, column and field, what was found
//! and what would be valid.
//!
//! Every independent problem is reported in one pass, as a compiler does: a bad field is
//! recorded and validation goes on with the next field, option and service (a field that
//! others depend on, such as the base year or an id, stops the part it belongs to, so that
//! no message is a consequence of another). Checking stops after [`MAX_PROBLEMS`].
//!
//! Warnings are for what the contract allows but is far more often a slip than a wish (a
//! go-live after the horizon, a figure in a year after it, a service left deferred without
//! saying so, a gap year no saving can reach); each can be silenced by writing what was meant.
//! A `# TODO(import)` comment that `savings import` left where the sheet could not say
//! something (the gap, a unit) is a warning too, until it is dealt with and removed.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;

use super::Sources;
use super::diagnostic::{Diagnostic, displayed, first_hidden, name_char, shown, shown_name};
use super::locate::{closest, path_key};
use super::raw::{
    Loc, Located, RawBias, RawBudget, RawFile, RawGap, RawGapLine, RawKind, RawOption,
    RawPlanBudget, RawRisk, RawService, RawValue,
};
use crate::model::{
    ArithmeticError, AsWritten, Basis, Budget, Build, Cases, DiscountRate, Distribution,
    FinancialYear, Gap, GapInputs, GapLine, GoLive, LATEST_YEAR, Money, OptimismBias, PlanBudget,
    Ramp, Requirement, Risk, SavingBasis, SavingOption, Scenario, Series, Service, Share, Status,
    YearSeries, quoted_year, shifted,
};

/// The largest figure accepted, in any unit: anything bigger is a typing slip, and the cap
/// keeps every sum far from overflow.
pub const MAX_FIGURE: i64 = 1_000_000_000_000;
/// Most services in one scenario.
pub const MAX_SERVICES: usize = 10_000;
/// Most options in one service.
pub const MAX_OPTIONS: usize = 100;
/// Most service-years (services x horizon) one scenario projects: 10,000 services over 20
/// years, or 2,000 over 100. Beyond it the outputs would run to gigabytes.
pub const MAX_SERVICE_YEARS: usize = 200_000;
/// Longest explicit ramp, and the largest N in `linear N`.
pub const MAX_RAMP_YEARS: usize = 100;
/// Largest slippage in months (50 years).
pub const MAX_SLIP_MONTHS: u32 = 600;
/// The latest base year (a base year of 2399/00 with a 100-year horizon reaches 2499/00).
pub const LATEST_BASE_YEAR: u16 = 2399;
/// Longest horizon in years.
pub const MAX_HORIZON: u16 = 100;
const MAX_NAME_CHARS: usize = 200;
/// The longest `source` note: a paragraph reference or a short sentence.
const MAX_SOURCE_CHARS: usize = 500;
const MAX_ID_CHARS: usize = 64;
const MAX_UNIT_CHARS: usize = 16;

/// The most problems reported in one pass: enough to fix a file in one go, few enough to read.
pub const MAX_PROBLEMS: usize = 20;

mod amounts;
mod budget;
mod option;
mod scalars;
mod service;
mod tracking;
mod warnings;

type Result<T> = std::result::Result<T, Diagnostic>;

/// A valid scenario and the warnings about it.
#[derive(Debug)]
pub struct Validated {
    pub scenario: Scenario,
    /// What is allowed but looks like a slip, in the order found.
    pub warnings: Vec<Diagnostic>,
}

/// Validates a raw file into a scenario. `default_name` is used when `[scenario].name` is
/// absent (the file's stem). The error holds every problem found (see [`Diagnostic::all`]).
pub fn validate(raw: &RawFile, sources: &Sources, default_name: &str) -> Result<Validated> {
    let validator = Validator {
        sources,
        problems: RefCell::default(),
        warnings: RefCell::default(),
        stopped: Cell::default(),
    };
    let result = validator.scenario(raw, default_name);
    let stopped = validator.stopped.get();
    let mut problems = validator.problems.into_inner();
    match result {
        Ok(scenario) if problems.is_empty() => {
            let mut warnings = validator.warnings.into_inner();
            warnings.extend(warnings::todo_comments(sources));
            in_written_order(&mut warnings, sources);
            return Ok(Validated { scenario, warnings });
        }
        Ok(_) => {}
        Err(problem) => problems.push(problem),
    }
    in_written_order(&mut problems, sources);
    let checked = sources
        .iter()
        .next()
        .map_or("<scenario>", |s| s.name.as_str());
    Err(Diagnostic::all(problems, stopped, checked)
        .unwrap_or_else(|| Diagnostic::file("<scenario>", "the scenario is not valid".into())))
}

/// Sorts messages into the order of what they are about: file by file (the scenario, then each
/// it extends, then the overrides, as read), line by line.
fn in_written_order(messages: &mut [Diagnostic], sources: &Sources) {
    let read: Vec<String> = sources.iter().map(|s| shown_name(&s.name)).collect();
    // Stable: messages about one place keep the order they were found in.
    messages.sort_by_cached_key(|m| {
        let file = read.iter().position(|f| *f == m.details().file);
        (file.unwrap_or(usize::MAX), m.details().position)
    });
}

struct Validator<'a> {
    sources: &'a Sources,
    /// Problems recorded so far by [`Validator::keep`], in the order found.
    problems: RefCell<Vec<Diagnostic>>,
    warnings: RefCell<Vec<Diagnostic>>,
    /// Whether checking stopped at [`MAX_PROBLEMS`] with services left unchecked.
    stopped: Cell<bool>,
}

/// The largest uplift on one-off costs an optimism bias may give (1,000%).
pub const MAX_COST_UPLIFT: i64 = 10;

/// What the scenario says for every option unless an option says otherwise.
struct Defaults {
    distribution: Distribution,
    bias: PartialBias,
    /// `as_at`, which a line's delivered and forecast figures are checked against.
    as_at: tracking::AsAt,
}

/// Optimism bias fields as one table gives them; an option's fields replace the scenario's
/// one by one.
#[derive(Clone, Copy, Debug, Default)]
struct PartialBias {
    saving: Option<Share>,
    cost: Option<Decimal>,
    delay_months: Option<u32>,
}

impl PartialBias {
    /// `own` over `self`; `None` when neither gives any field.
    fn resolve(&self, own: &PartialBias) -> Option<OptimismBias> {
        let saving = own.saving.or(self.saving);
        let cost = own.cost.or(self.cost);
        let delay_months = own.delay_months.or(self.delay_months);
        (saving.is_some() || cost.is_some() || delay_months.is_some()).then(|| OptimismBias {
            saving: saving.unwrap_or(Share::ZERO),
            cost: cost.unwrap_or(Decimal::ZERO),
            delay_months: delay_months.unwrap_or(0),
        })
    }
}

/// What the projection needs to know to read a year-keyed table.
#[derive(Clone, Copy)]
struct YearRule {
    base_year: FinancialYear,
    last_year: FinancialYear,
    /// Whether the base year itself may be named (planned savings, one-off costs).
    base_year_allowed: bool,
}

impl YearRule {
    /// The projected years, in order.
    fn projected(&self) -> impl Iterator<Item = FinancialYear> + use<> {
        let horizon = u16::try_from(self.last_year.years_after(self.base_year)).unwrap_or(0);
        self.base_year.following(horizon)
    }
}

impl Validator<'_> {
    fn error(&self, at: &Loc, field: &str, message: impl Into<String>) -> Diagnostic {
        self.sources
            .diagnostic(at, Some(field.to_string()), message.into())
    }

    /// The value, or `None` with the problem recorded so that validation can go on to the
    /// next independent part.
    fn keep<T>(&self, result: Result<T>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(problem) => {
                self.problems.borrow_mut().push(problem);
                None
            }
        }
    }

    /// Stops the part being validated after [`Validator::keep`] recorded a problem in it:
    /// the problem recorded last is handed back as the part's error, for the caller to
    /// record again where it goes on (so the order found is kept).
    fn stop(&self) -> Diagnostic {
        self.problems.borrow_mut().pop().unwrap_or_else(|| {
            Diagnostic::file("<scenario>", "the scenario is not valid".to_string())
        })
    }

    /// Whether enough problems are recorded to stop looking for more.
    fn full(&self) -> bool {
        self.problems.borrow().len() >= MAX_PROBLEMS
    }

    /// Records a warning about the value written at `at`.
    fn warn(&self, at: &Loc, field: &str, message: String, help: &str) {
        let warning = self.error(at, field, message).with_help(help);
        self.warnings.borrow_mut().push(warning);
    }

    fn scenario(&self, raw: &RawFile, default_name: &str) -> Result<Scenario> {
        let Some(header) = &raw.scenario else {
            return Err(self
                .error(&self.sources.start_of_main(), "scenario", "the file has no [scenario] table")
                .with_help("every scenario starts with [scenario] and base_year = \"2014/15\" (the year the budgets describe)"));
        };
        let s = &header.value;
        let base_year = match &s.base_year {
            Some(v) => {
                let year = self.year(v, "scenario.base_year")?;
                if year.start_year() > LATEST_BASE_YEAR {
                    return Err(self.error(
                        &v.at,
                        "scenario.base_year",
                        format!(
                            "{} is after the latest base year this tool models ({})",
                            year.quoted(),
                            quoted_year(LATEST_BASE_YEAR)
                        ),
                    ));
                }
                year
            }
            None => {
                return Err(self
                    .error(
                        &header.at,
                        "scenario.base_year",
                        "missing: the base year is required",
                    )
                    .with_help(
                        "add base_year = \"2014/15\" (the budget year the baselines describe)",
                    ));
            }
        };
        let horizon = match &s.horizon {
            Some(v) => {
                let h = self.whole(v, "scenario.horizon", 1, u32::from(MAX_HORIZON))?;
                let h = u16::try_from(h).unwrap_or(MAX_HORIZON);
                if base_year.plus(h).is_none() {
                    return Err(self.error(
                        &v.at,
                        "scenario.horizon",
                        format!(
                            "{h} years after {} goes beyond {}, the last year this tool models",
                            base_year.quoted(),
                            quoted_year(LATEST_YEAR)
                        ),
                    ));
                }
                h
            }
            None => 10,
        };
        if base_year.plus(horizon).is_none() {
            let at = s
                .base_year
                .as_ref()
                .map_or(header.at.clone(), |v| v.at.clone());
            return Err(self.error(
                &at,
                "scenario.base_year",
                format!(
                    "{} plus a {horizon}-year horizon goes beyond {}, the last year this tool models",
                    base_year.quoted(),
                    quoted_year(LATEST_YEAR)
                ),
            ));
        }
        let first_year = base_year.plus(1).unwrap_or(base_year);
        let last_year = base_year.plus(horizon).unwrap_or(base_year);
        // From here on the years are known: each field, service and option is checked on
        // its own, and a problem in one is recorded without hiding the next.
        let name = s
            .name
            .as_ref()
            .and_then(|v| self.keep(self.text(v, "scenario.name", MAX_NAME_CHARS)))
            .unwrap_or_else(|| default_name_from(default_name));
        let unit = s
            .unit
            .as_ref()
            .and_then(|v| self.keep(self.text(v, "scenario.unit", MAX_UNIT_CHARS)))
            .unwrap_or_else(|| "£m".to_string());
        let overlap = s
            .overlap
            .as_ref()
            .and_then(|v| self.keep(self.share(v, "scenario.overlap")))
            .unwrap_or(Share::ONE);
        let discount_rate = s
            .discount_rate
            .as_ref()
            .and_then(|v| self.keep(self.discount_rate(v)))
            .unwrap_or(DiscountRate::GREEN_BOOK);
        let mtfp_period = s
            .mtfp_period
            .as_ref()
            .and_then(|v| self.keep(self.mtfp_period(v, first_year, last_year)))
            .unwrap_or((
                first_year,
                base_year.plus(2).unwrap_or(first_year).min(last_year),
            ));
        let gap = raw
            .gap
            .as_ref()
            .and_then(|gap| self.keep(self.gap(&gap.value, base_year, last_year)))
            .unwrap_or_default();
        let gap_build = self
            .keep(self.gap_inputs(
                raw,
                &YearRule {
                    base_year,
                    last_year,
                    base_year_allowed: false,
                },
            ))
            .unwrap_or_default();

        if raw.service.len() > MAX_SERVICES {
            return Err(self.error(
                &raw.service[MAX_SERVICES].at,
                "service",
                format!("more than {MAX_SERVICES} services; split the scenario"),
            ));
        }
        let service_years = raw.service.len() * usize::from(horizon);
        if service_years > MAX_SERVICE_YEARS {
            let at = s.horizon.as_ref().map_or(&header.at, |v| &v.at);
            return Err(self
                .error(
                    at,
                    "scenario.horizon",
                    format!(
                        "{} services over {horizon} years is {service_years} service-years, above the limit of {MAX_SERVICE_YEARS}",
                        raw.service.len()
                    ),
                )
                .with_help("shorten the horizon or split the scenario into parts"));
        }
        let as_at = s.as_at.as_ref().map(|v| {
            self.keep(self.as_at(
                v,
                &YearRule {
                    base_year,
                    last_year,
                    base_year_allowed: true,
                },
            ))
        });
        let defaults = Defaults {
            as_at: tracking::AsAt {
                written: as_at.is_some(),
                current_year: as_at.flatten().map(|m| m.financial_year()),
            },
            distribution: s
                .distribution
                .as_ref()
                .and_then(|v| self.keep(self.distribution(v, "scenario.distribution")))
                .unwrap_or(Distribution::Triangular),
            bias: s
                .optimism_bias
                .as_ref()
                .and_then(|b| self.keep(self.bias(b, "scenario.optimism_bias")))
                .unwrap_or_default(),
        };
        let source = self
            .keep(self.source(&s.source, "scenario.source"))
            .flatten();
        let tracking = self
            .keep(self.tracking(raw, as_at.flatten()))
            .unwrap_or_default();
        let rule = YearRule {
            base_year,
            last_year,
            base_year_allowed: true,
        };
        let mut services: Vec<Service> = Vec::with_capacity(raw.service.len());
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (index, service) in raw.service.iter().enumerate() {
            if self.full() {
                self.stopped.set(true);
                break;
            }
            let Some(validated) = self.keep(self.service(service, index, &rule, &defaults)) else {
                continue;
            };
            if let Some(first) = seen.insert(validated.id.clone(), index) {
                let at = service.value.id.as_ref().map_or(&service.at, |v| &v.at);
                self.problems.borrow_mut().push(self.error(
                    at,
                    &format!("service[{}].id", validated.id),
                    format!(
                        "service id {:?} is used twice (services {} and {}); each service needs its own id",
                        validated.id,
                        first + 1,
                        index + 1
                    ),
                ));
                continue;
            }
            services.push(validated);
        }
        self.keep(self.groups_share_one_risk(raw, &services));
        if self.problems.borrow().is_empty() {
            self.warn_unreachable_gap_years(raw, &services, base_year, last_year);
        }

        Ok(Scenario {
            name,
            base_year,
            horizon,
            unit,
            overlap,
            discount_rate,
            mtfp_period,
            gap,
            gap_build,
            services,
            optimism_bias: defaults.bias.resolve(&PartialBias::default()),
            distribution: defaults.distribution,
            source,
            tracking,
        })
    }

    fn discount_rate(&self, v: &RawValue) -> Result<DiscountRate> {
        let r = self.number(v, "scenario.discount_rate")?;
        DiscountRate::new(r).ok_or_else(|| {
            self.error(
                &v.at,
                "scenario.discount_rate",
                format!(
                    "must be from 0 up to (not including) 1, found {}",
                    v_literal(v)
                ),
            )
            .with_help("a real rate as a fraction: 0.035 is the Green Book's 3.5%")
        })
    }

    /// `[gap]`: each table checked on its own.
    fn gap(&self, gap: &RawGap, base_year: FinancialYear, last_year: FinancialYear) -> Result<Gap> {
        let rule = YearRule {
            base_year,
            last_year,
            base_year_allowed: false,
        };
        let table = |v: &Option<RawValue>, path: &str| {
            v.as_ref()
                .map(|v| self.keep(self.amounts(v, path, &rule, amounts::Amounts::GAP)))
                .unwrap_or(Some(YearSeries::default()))
        };
        let required = table(&gap.required, "gap.required");
        let unidentified = table(&gap.unidentified, "gap.unidentified");
        let source = self.keep(self.source(&gap.source, "gap.source"));
        match (required, unidentified, source) {
            (Some(required), Some(unidentified), Some(source)) => Ok(Gap {
                required,
                unidentified,
                source,
            }),
            _ => Err(self.stop()),
        }
    }

    fn mtfp_period(
        &self,
        v: &RawValue,
        first_year: FinancialYear,
        last_year: FinancialYear,
    ) -> Result<(FinancialYear, FinancialYear)> {
        const FIELD: &str = "scenario.mtfp_period";
        let items = self.array(v, FIELD)?;
        let [from, to] = items else {
            return Err(self
                .error(
                    &v.at,
                    FIELD,
                    format!(
                        "expected two years [first, last], found {}",
                        count(items.len(), "value")
                    ),
                )
                .with_help("for example mtfp_period = [\"2015/16\", \"2016/17\"]"));
        };
        let first = self.year(from, &format!("{FIELD}[#1]"))?;
        let last = self.year(to, &format!("{FIELD}[#2]"))?;
        for (year, raw, position) in [(first, from, 1), (last, to, 2)] {
            if year < first_year || year > last_year {
                return Err(self.error(
                    &raw.at,
                    &format!("{FIELD}[#{position}]"),
                    format!(
                        "{} is outside the projected years ({} to {}); the MTFP period must lie within the horizon",
                        year.quoted(),
                        first_year.quoted(),
                        last_year.quoted()
                    ),
                ));
            }
        }
        if first > last {
            return Err(self.error(
                &v.at,
                FIELD,
                format!(
                    "the years are out of order: {} comes after {}; write [first, last]",
                    first.quoted(),
                    last.quoted()
                ),
            ));
        }
        Ok((first, last))
    }
}

/// The scenario's name when the file gives none: the file's stem, made safe to print (control
/// and invisible characters written as their codes, `\u{202e}`, as reports show them; at most
/// 200 characters).
fn default_name_from(stem: &str) -> String {
    let name: String = displayed(stem).chars().take(MAX_NAME_CHARS).collect();
    if name.trim().is_empty() {
        "scenario".to_string()
    } else {
        name
    }
}

/// "1 value", "3 values".
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The literal as written, for messages.
fn v_literal(v: &RawValue) -> String {
    match &v.kind {
        RawKind::Number { literal, .. } => shown(literal, 40),
        other => other.describe(),
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::from_text;

    const HEADER: &str = "[scenario]\nbase_year = \"2014/15\"\n";

    fn problems(text: &str) -> Vec<String> {
        match from_text("t.toml", text) {
            Ok(_) => Vec::new(),
            Err(e) => {
                let (problems, _) = e.into_problems();
                problems
                    .iter()
                    .map(|p| p.details().message.clone())
                    .collect()
            }
        }
    }

    #[test]
    fn independent_problems_are_each_reported_in_file_order() {
        let text = format!(
            "{HEADER}overlap = 1.5\ndiscount_rate = 3.5\n[[service]]\nid = \"a\"\n[[service.option]]\nid = \"o\"\nsaving = 1\nstart = \"2015/16\"\nramp = [0.5, 0.9]\n"
        );
        let found = problems(&text);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[0].starts_with("must be a fraction"));
        assert!(found[1].starts_with("must be from 0 up to"));
        assert!(found[2].starts_with("the ramp ends at 0.9"));
    }

    #[test]
    fn a_service_without_an_id_is_one_problem_not_one_per_field() {
        let text = format!("{HEADER}[[service]]\nname = \"\"\nplanned = 3\n");
        assert_eq!(problems(&text), ["missing: every service needs an id"]);
    }

    #[test]
    fn a_bad_budget_hides_no_unrelated_problem_and_causes_none() {
        // The budget is wrong; the option's share of it is not reported as a second problem.
        let text = format!(
            "{HEADER}[[service]]\nid = \"a\"\nname = \"\"\nbudget = {{ gross = 1, net = 2 }}\n[[service.option]]\nid = \"o\"\nsaving = {{ share_of_net = 0.5 }}\nstart = \"2015/16\"\n"
        );
        let found = problems(&text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0], "is empty");
        assert!(found[1].starts_with("the net budget 2 is above"));
    }

    #[test]
    fn checking_stops_at_the_limit_and_says_so() {
        let mut text = HEADER.to_string();
        for i in 0..30 {
            text.push_str(&format!(
                "[[service]]\nid = \"s{i}\"\n[[service.option]]\nid = \"o\"\nsaving = -1\nstart = \"2015/16\"\n"
            ));
        }
        let Err(e) = from_text("t.toml", &text) else {
            panic!("the scenario is not valid");
        };
        let (problems, stopped) = e.into_problems();
        assert_eq!(problems.len(), super::MAX_PROBLEMS);
        assert!(stopped);
    }
}
