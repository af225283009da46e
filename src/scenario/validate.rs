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

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;

use super::Sources;
use super::diagnostic::{Diagnostic, displayed, first_hidden, name_char, shown};
use super::locate::{closest, path_key};
use super::raw::{
    Loc, Located, RawBias, RawBudget, RawFile, RawGap, RawKind, RawOption, RawRisk, RawService,
    RawValue,
};
use crate::model::{
    ArithmeticError, AsWritten, Basis, Budget, Cases, DiscountRate, Distribution, FinancialYear,
    Gap, GoLive, LATEST_YEAR, Money, OptimismBias, Ramp, Risk, SavingBasis, SavingOption, Scenario,
    Service, Share, YearSeries, quoted_year,
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
            in_written_order(&mut warnings);
            return Ok(Validated { scenario, warnings });
        }
        Ok(_) => {}
        Err(problem) => problems.push(problem),
    }
    in_written_order(&mut problems);
    Err(Diagnostic::all(problems, stopped)
        .unwrap_or_else(|| Diagnostic::file("<scenario>", "the scenario is not valid".into())))
}

/// Sorts messages into the order of what they are about: file by file (in the order the files
/// first appear), line by line.
fn in_written_order(messages: &mut [Diagnostic]) {
    let mut files: Vec<&str> = Vec::new();
    let keys: Vec<_> = messages
        .iter()
        .map(|m| {
            let file = m.details().file.as_str();
            let index = files.iter().position(|f| *f == file).unwrap_or_else(|| {
                files.push(file);
                files.len() - 1
            });
            (index, m.details().position)
        })
        .collect();
    let mut order: Vec<usize> = (0..messages.len()).collect();
    order.sort_by_key(|&i| keys[i]);
    let sorted: Vec<Diagnostic> = order.iter().map(|&i| messages[i].clone()).collect();
    messages.clone_from_slice(&sorted);
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
struct YearRule {
    base_year: FinancialYear,
    last_year: FinancialYear,
    /// Whether the base year itself may be named (planned savings, one-off costs).
    base_year_allowed: bool,
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
        let defaults = Defaults {
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
            services,
            optimism_bias: defaults.bias.resolve(&PartialBias::default()),
            distribution: defaults.distribution,
            source,
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
                .map(|v| self.keep(self.year_table(v, path, &rule, Basis::Increments)))
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

    fn service(
        &self,
        service: &Located<RawService>,
        index: usize,
        rule: &YearRule,
        defaults: &Defaults,
    ) -> Result<Service> {
        let s = &service.value;
        let position = format!("service[#{}]", index + 1);
        let id = match &s.id {
            Some(v) => self.identifier(v, &format!("{position}.id"))?,
            None => {
                return Err(self
                    .error(&service.at, &format!("{position}.id"), "missing: every service needs an id")
                    .with_help("add id = \"...\" (letters, digits, '-', '_' or '.'), used in outputs and error messages"));
            }
        };
        if id.eq_ignore_ascii_case("total") {
            let at = s.id.as_ref().map_or(&service.at, |v| &v.at);
            return Err(self.error(
                at,
                &format!("{position}.id"),
                format!("{id:?} is reserved for the total rows of the outputs; choose another id"),
            ));
        }
        let path = format!("service[{id}]");
        // Fields that nothing else reads are checked on their own; the budget is read by a
        // saving given as a share of it, so options are checked only with a valid budget.
        let removed = self.keep(self.no_remove(&s.remove, &path));
        let name = match &s.name {
            Some(v) => self.keep(self.text(v, &format!("{path}.name"), MAX_NAME_CHARS)),
            None => Some(id.clone()),
        };
        let source = self.keep(self.source(&s.source, &format!("{path}.source")));
        let planned = match &s.planned {
            Some(v) => {
                self.keep(self.year_table(v, &format!("{path}.planned"), rule, Basis::Increments))
            }
            None => Some(YearSeries::default()),
        };
        let deferred = match &s.deferred {
            Some(v) => self.keep(self.boolean(v, &format!("{path}.deferred"))),
            None => Some(false),
        };
        let budget = match &s.budget {
            Some(b) => self.budget(b, &path)?,
            None => Budget::default(),
        };
        if s.option.len() > MAX_OPTIONS {
            return Err(self.error(
                &s.option[MAX_OPTIONS].at,
                &format!("{path}.option"),
                format!("more than {MAX_OPTIONS} options in one service"),
            ));
        }
        let mut options: Vec<SavingOption> = Vec::with_capacity(s.option.len());
        let mut options_valid = true;
        let mut preferred: Option<(usize, &Loc)> = None;
        for (i, option) in s.option.iter().enumerate() {
            if self.full() {
                self.stopped.set(true);
                return Err(self.stop());
            }
            let Some(validated) = self.keep(self.option(option, i, &path, &budget, rule, defaults))
            else {
                options_valid = false;
                continue;
            };
            if let Some(existing) = options.iter().position(|o| o.id == validated.id) {
                let at = option.value.id.as_ref().map_or(&option.at, |v| &v.at);
                self.keep::<()>(Err(self.error(
                    at,
                    &format!("{path}.option[{}].id", validated.id),
                    format!(
                        "option id {:?} is used twice in service {id:?} (options {} and {}); each option of a service needs its own id",
                        validated.id,
                        existing + 1,
                        i + 1
                    ),
                )));
                options_valid = false;
                continue;
            }
            if validated.preferred {
                let at = option
                    .value
                    .preferred
                    .as_ref()
                    .map_or(&option.at, |v| &v.at);
                if let Some((first, _)) = preferred {
                    self.keep::<()>(Err(self
                        .error(
                            at,
                            &format!("{path}.option[{}].preferred", validated.id),
                            format!(
                                "service {id:?} already has a preferred option ({:?}); at most one option per service is preferred",
                                options[first].id
                            ),
                        )
                        .with_help("to take another option forward without editing the preference, set choose = \"...\" on the service")));
                    options_valid = false;
                } else {
                    preferred = Some((options.len(), at));
                }
            }
            options.push(validated);
        }
        let (Some(()), Some(name), Some(source), Some(planned), Some(deferred), true) =
            (removed, name, source, planned, deferred, options_valid)
        else {
            return Err(self.stop());
        };
        // `choose` names an option: checked once every option is known.
        let (taken_forward, chosen_explicitly) = match (&s.choose, deferred) {
            (Some(v), true) => {
                return Err(self
                    .error(
                        &v.at,
                        &format!("{path}.choose"),
                        "the service is deferred (deferred = true), so it takes no option forward",
                    )
                    .with_help("remove choose to keep the deferral, or remove deferred = true to take the option forward"));
            }
            (Some(v), false) => (Some(self.chosen(v, &path, &id, &options)?), true),
            (None, true) => (None, false),
            (None, false) => (preferred.map(|(i, _)| i), false),
        };
        if taken_forward.is_none() && !deferred && !options.is_empty() {
            let at = s.id.as_ref().map_or(&service.at, |v| &v.at);
            self.warn(
                at,
                &path,
                format!(
                    "service {id:?} has {} but none is taken forward (none is preferred and the service has no choose), so it is deferred and saves nothing",
                    count(options.len(), "option")
                ),
                "mark one option preferred = true or write choose = \"...\" on the service; if the deferral is meant, write deferred = true",
            );
        }
        Ok(Service {
            source,
            id,
            name,
            budget,
            planned,
            options,
            taken_forward,
            chosen_explicitly,
        })
    }

    /// `budget = { gross, net }`, net no more than gross.
    fn budget(&self, b: &Located<RawBudget>, path: &str) -> Result<Budget> {
        let gross = b
            .value
            .gross
            .as_ref()
            .map(|v| self.money(v, &format!("{path}.budget.gross")))
            .transpose()?;
        let net = b
            .value
            .net
            .as_ref()
            .map(|v| self.signed_money(v, &format!("{path}.budget.net")))
            .transpose()?;
        if let (Some(gross), Some(net), Some(raw_net)) = (gross, net, &b.value.net)
            && net > gross
        {
            return Err(self.error(
                &raw_net.at,
                &format!("{path}.budget.net"),
                format!("the net budget {net} is above the gross budget {gross}; net is gross less income and grants"),
            ));
        }
        Ok(Budget { gross, net })
    }

    /// The option `choose` names, by its index among `options`.
    fn chosen(
        &self,
        v: &RawValue,
        path: &str,
        id: &str,
        options: &[SavingOption],
    ) -> Result<usize> {
        let field = format!("{path}.choose");
        let wanted = self.string(v, &field)?;
        options.iter().position(|o| o.id == wanted).ok_or_else(|| {
            let ids: Vec<&str> = options.iter().map(|o| o.id.as_str()).collect();
            let mut message = format!(
                "\"{}\" is not an option of service {id:?}",
                shown(wanted, 60)
            );
            if let Some(close) = closest(wanted, &ids) {
                message.push_str(&format!("; did you mean {close:?}?"));
            }
            let help = if ids.is_empty() {
                "the service has no options; add [[service.option]] tables".to_string()
            } else {
                format!("its options are: {}", ids.join(", "))
            };
            self.error(&v.at, &field, message).with_help(help)
        })
    }

    fn option(
        &self,
        option: &Located<RawOption>,
        index: usize,
        service_path: &str,
        budget: &Budget,
        rule: &YearRule,
        defaults: &Defaults,
    ) -> Result<SavingOption> {
        let o = &option.value;
        let position = format!("{service_path}.option[#{}]", index + 1);
        let id = match &o.id {
            Some(v) => self.identifier(v, &format!("{position}.id"))?,
            None => {
                return Err(self
                    .error(
                        &option.at,
                        &format!("{position}.id"),
                        "missing: every option needs an id",
                    )
                    .with_help("add id = \"...\" (letters, digits, '-', '_' or '.')"));
            }
        };
        let path = format!("{service_path}.option[{id}]");
        let removed = self.keep(self.no_remove(&o.remove, &path));
        let missing = |field: &str, help: &str| {
            self.error(
                &option.at,
                &format!("{path}.{field}"),
                format!("missing: every option needs {field}"),
            )
            .with_help(help.to_string())
        };
        let name = match &o.name {
            Some(v) => self.keep(self.text(v, &format!("{path}.name"), MAX_NAME_CHARS)),
            None => Some(id.clone()),
        };
        let preferred = match &o.preferred {
            Some(v) => self.keep(self.boolean(v, &format!("{path}.preferred"))),
            None => Some(false),
        };
        let saving = self.keep(match &o.saving {
            Some(v) => self.saving(v, &format!("{path}.saving"), service_path, budget),
            None => Err(missing(
                "saving",
                "add saving = 1.5 (one figure), saving = { low = 1, central = 1.5, high = 2 }, or saving = { share_of_net = 0.5 }",
            )),
        });
        let start = self.keep(match &o.start {
            Some(v) => self.start(v, &format!("{path}.start"), rule),
            None => Err(missing(
                "start",
                "add start = \"2015-10\" (a month) or start = \"2015/16\" (from 1 April)",
            )),
        });
        let ramp = match &o.ramp {
            Some(v) => self.keep(self.ramp(v, &format!("{path}.ramp"))),
            None => Some(Ramp::Immediate),
        };
        let one_off_cost = match &o.one_off_cost {
            Some(v) => {
                self.keep(self.year_table(v, &format!("{path}.one_off_cost"), rule, Basis::InYear))
            }
            None => Some(YearSeries::in_year_of(BTreeMap::new())),
        };
        let risk = match &o.risk {
            Some(r) => self.keep(self.risk(r, &format!("{path}.risk"))).map(Some),
            None => Some(None),
        };
        let group = match &o.group {
            Some(v) => self
                .keep(self.identifier(v, &format!("{path}.group")))
                .map(Some),
            None => Some(None),
        };
        let distribution = match &o.distribution {
            Some(v) => self.keep(self.distribution(v, &format!("{path}.distribution"))),
            None => Some(defaults.distribution),
        };
        let own_bias = match &o.optimism_bias {
            Some(b) => self.keep(self.bias(b, &format!("{path}.optimism_bias"))),
            None => Some(PartialBias::default()),
        };
        let source = self.keep(self.source(&o.source, &format!("{path}.source")));
        let (
            Some(()),
            Some(name),
            Some(preferred),
            Some((saving, saving_basis)),
            Some(start),
            Some(ramp),
            Some(one_off_cost),
            Some(risk),
            Some(group),
            Some(distribution),
            Some(own_bias),
            Some(source),
        ) = (
            removed,
            name,
            preferred,
            saving,
            start,
            ramp,
            one_off_cost,
            risk,
            group,
            distribution,
            own_bias,
            source,
        )
        else {
            return Err(self.stop());
        };
        self.warn_saves_nothing(o, &path, start, &ramp, rule);
        let optimism_bias = defaults.bias.resolve(&own_bias);
        let as_written = AsWritten {
            saving,
            start,
            one_off_cost: one_off_cost.clone(),
        };
        // Optimism bias, before anything else (docs/model.md section 5).
        let (saving, start, one_off_cost) = match &optimism_bias {
            None => (saving, start, one_off_cost),
            Some(bias) => {
                let at = o.optimism_bias.as_ref().map_or(&option.at, |b| &b.at);
                let keep = Share::new(Decimal::ONE - bias.saving.value()).unwrap_or(Share::ONE);
                let uplift = Decimal::ONE + bias.cost;
                let cannot = |what: &str, e: ArithmeticError| {
                    self.error(
                        at,
                        &format!("{path}.optimism_bias"),
                        format!("cannot apply the optimism bias to the {what}: {e}"),
                    )
                };
                let saving = saving
                    .try_map(|_, s| s.times(keep))
                    .map_err(|e| cannot("saving", e))?;
                let start = start.delayed_by(bias.delay_months).ok_or_else(|| {
                    self.error(
                        at,
                        &format!("{path}.optimism_bias.delay_months"),
                        format!(
                            "a delay of {} months takes go-live past {}, the last year this tool models",
                            bias.delay_months,
                            quoted_year(LATEST_YEAR)
                        ),
                    )
                })?;
                let costs = one_off_cost
                    .iter()
                    .map(|(y, c)| c.times_decimal(uplift).map(|c| (y, c)))
                    .collect::<std::result::Result<BTreeMap<_, _>, _>>()
                    .map_err(|e| cannot("one-off costs", e))?;
                (saving, start, YearSeries::in_year_of(costs))
            }
        };
        Ok(SavingOption {
            id,
            name,
            preferred,
            saving,
            saving_basis,
            start,
            ramp,
            one_off_cost,
            risk,
            group,
            distribution,
            optimism_bias,
            as_written,
            source,
        })
    }

    /// `start = "2015-10"` or `"2015/16"`, after the base year.
    fn start(&self, v: &RawValue, field: &str, rule: &YearRule) -> Result<GoLive> {
        let text = self.string(v, field).map_err(|e| {
            if matches!(v.kind, RawKind::Number { .. }) {
                e.with_help(
                    "write the go-live in quotes: start = \"2015-10\" or start = \"2015/16\"",
                )
            } else {
                e
            }
        })?;
        let start = GoLive::parse(text).map_err(|m| self.error(&v.at, field, m))?;
        if start.financial_year() <= rule.base_year {
            let year = start.financial_year().quoted();
            // A year written as a year is not restated as the year it falls in.
            let found = if FinancialYear::parse(text).is_ok() {
                format!("{text:?} is")
            } else {
                format!("{text:?} falls in {year}, which is")
            };
            return Err(self.error(
                &v.at,
                field,
                format!(
                    "{found} not after the base year {}; an option goes live after the base year",
                    rule.base_year.quoted()
                ),
            ));
        }
        Ok(start)
    }

    /// Warns when an option, taken forward, would save nothing in any projected year: it
    /// goes live after the horizon, or its ramp stays at 0 until after it.
    fn warn_saves_nothing(
        &self,
        o: &RawOption,
        path: &str,
        start: GoLive,
        ramp: &Ramp,
        rule: &YearRule,
    ) {
        let go_live = start.financial_year();
        let last = rule.last_year;
        if go_live > last {
            if let Some(v) = &o.start {
                self.warn(
                    &v.at,
                    &format!("{path}.start"),
                    format!(
                        "goes live in {}, after {}, the last projected year: taken forward, this option saves nothing over the horizon",
                        go_live.quoted(),
                        last.quoted()
                    ),
                    "check the year; to look further ahead, lengthen scenario.horizon",
                );
            }
            return;
        }
        let years_live = u32::try_from(last.years_after(go_live) + 1).unwrap_or(0);
        let saves = (1..=years_live).any(|k| ramp.fraction(k).0 > Decimal::ZERO);
        if !saves && let Some(v) = &o.ramp {
            self.warn(
                &v.at,
                &format!("{path}.ramp"),
                format!(
                    "the ramp is still at 0 in {}, the last projected year: taken forward, this option saves nothing over the horizon",
                    last.quoted()
                ),
                "check the ramp's first steps; to look further ahead, lengthen scenario.horizon",
            );
        }
    }

    /// Warns about each year of the unidentified gap that no option of any service can reach:
    /// every option goes live, or starts to save, after it, so the year cannot close whatever
    /// is taken forward.
    fn warn_unreachable_gap_years(
        &self,
        raw: &RawFile,
        services: &[Service],
        base_year: FinancialYear,
        last_year: FinancialYear,
    ) {
        let Some(RawValue {
            kind: RawKind::Table(entries),
            ..
        }) = raw.gap.as_ref().and_then(|g| g.value.unidentified.as_ref())
        else {
            return;
        };
        let horizon = u32::try_from(last_year.years_after(base_year)).unwrap_or(0);
        let first_saving = services
            .iter()
            .flat_map(|service| &service.options)
            .filter(|option| option.saving.high.is_positive())
            .filter_map(|option| {
                let go_live = option.start.financial_year();
                (1..=horizon)
                    .find(|&k| option.ramp.fraction(k).0 > Decimal::ZERO)
                    .and_then(|k| go_live.plus(u16::try_from(k - 1).ok()?))
            })
            .filter(|first| *first <= last_year)
            .min();
        for (key, value) in entries {
            let Ok(year) = FinancialYear::parse(&key.value) else {
                continue;
            };
            let positive =
                matches!(&value.kind, RawKind::Number { value: Ok(d), .. } if *d > Decimal::ZERO);
            if !positive || year > last_year || first_saving.is_some_and(|first| first <= year) {
                continue;
            }
            let why = match first_saving {
                Some(first) => format!(
                    "the earliest any option starts to save is {}",
                    first.quoted()
                ),
                None => "no option saves anything over the horizon".to_string(),
            };
            self.warn(
                &key.at,
                &format!("gap.unidentified.{}", path_key(&key.value)),
                format!("no saving can reach {}: {why}, so this gap year cannot close whatever is taken forward", year.quoted()),
                "check the go-live dates and the gap's years (the gap is new each year, not a running total)",
            );
        }
    }

    /// `saving = 1.5`, `{ low, central, high }`, or `{ share_of_net = ... }`.
    fn saving(
        &self,
        v: &RawValue,
        path: &str,
        service_path: &str,
        budget: &Budget,
    ) -> Result<(Cases<Money>, SavingBasis)> {
        if let RawKind::Table(entries) = &v.kind
            && let Some((key, share)) = entries.iter().find(|(k, _)| k.value == "share_of_net")
        {
            if let Some((other, _)) = entries.iter().find(|(k, _)| k.value != "share_of_net") {
                let field = format!("{path}.{}", path_key(&other.value));
                if ["low", "central", "high"].contains(&other.value.as_str()) {
                    return Err(self.error(
                        &other.at,
                        &field,
                        "a saving is either { share_of_net = ... } or { low, central, high }, not both",
                    ));
                }
                return Err(self
                    .error(&other.at, &field, format!("unknown field `{}`", shown(&other.value, 60)))
                    .with_help("a share of the net budget is written { share_of_net = 0.5 } or { share_of_net = { low, central, high } }"));
            }
            let field = format!("{path}.share_of_net");
            let shares = self.cases(share, &field, |v, f| self.share(v, f))?;
            let net = match budget.net {
                Some(net) if net.amount() >= Decimal::ZERO => net,
                Some(net) => {
                    return Err(self.error(
                        &key.at,
                        &field,
                        format!("a share of the net budget needs a net budget of at least 0; {service_path}.budget.net is {net}"),
                    ));
                }
                None => {
                    return Err(self
                        .error(
                            &key.at,
                            &field,
                            format!("a share of the net budget needs {service_path}.budget.net"),
                        )
                        .with_help("add budget = { gross = ..., net = ... } to the service"));
                }
            };
            let saving = shares.try_map(|_, share| net.times(*share)).map_err(|e| {
                self.error(
                    &share.at,
                    &field,
                    format!("the share of the net budget {net} cannot be computed: {e}"),
                )
            })?;
            return Ok((saving, SavingBasis::ShareOfNet(shares)));
        }
        let saving = self.cases(v, path, |v, f| self.money(v, f))?;
        Ok((saving, SavingBasis::Amount))
    }

    /// One figure for all three cases, or `{ low, central, high }` with low <= central <= high.
    fn cases<T: Copy + PartialOrd + std::fmt::Display>(
        &self,
        v: &RawValue,
        path: &str,
        read: impl Fn(&RawValue, &str) -> Result<T>,
    ) -> Result<Cases<T>> {
        let RawKind::Table(entries) = &v.kind else {
            if matches!(v.kind, RawKind::Number { .. }) {
                return read(v, path).map(Cases::all);
            }
            return Err(self.error(
                &v.at,
                path,
                format!("expected a number or a table {{ low = ..., central = ..., high = ... }}, found {}", v.kind.describe()),
            ));
        };
        const KEYS: [&str; 3] = ["low", "central", "high"];
        let mut found: [Option<(T, &RawValue)>; 3] = [None, None, None];
        for (key, value) in entries {
            let Some(slot) = KEYS.iter().position(|k| *k == key.value) else {
                let mut message = format!("unknown field `{}`", shown(&key.value, 60));
                if let Some(close) = closest(&key.value, &KEYS) {
                    message.push_str(&format!("; did you mean `{close}`?"));
                }
                return Err(self
                    .error(
                        &key.at,
                        &format!("{path}.{}", path_key(&key.value)),
                        message,
                    )
                    .with_help("a range is written { low = ..., central = ..., high = ... }"));
            };
            found[slot] = Some((read(value, &format!("{path}.{}", key.value))?, value));
        }
        let [Some(low), Some(central), Some(high)] = found else {
            let missing: Vec<&str> = KEYS
                .iter()
                .zip(&found)
                .filter(|(_, f)| f.is_none())
                .map(|(k, _)| *k)
                .collect();
            return Err(self
                .error(
                    &v.at,
                    path,
                    format!(
                        "missing {}: a range needs low, central and high",
                        missing.join(" and ")
                    ),
                )
                .with_help("write all three, or one figure for all three cases"));
        };
        if low.0 > central.0 {
            return Err(self.error(
                &central.1.at,
                &format!("{path}.central"),
                format!(
                    "central {} is below low {}; a range needs low <= central <= high",
                    central.0, low.0
                ),
            ));
        }
        if central.0 > high.0 {
            return Err(self.error(
                &high.1.at,
                &format!("{path}.high"),
                format!(
                    "high {} is below central {}; a range needs low <= central <= high",
                    high.0, central.0
                ),
            ));
        }
        Ok(Cases {
            low: low.0,
            central: central.0,
            high: high.0,
        })
    }

    /// `[0.5, 1.0]`, `"linear N"` or `"immediate"`.
    fn ramp(&self, v: &RawValue, path: &str) -> Result<Ramp> {
        const HELP: &str =
            "a ramp is a list of shares rising to 1 ([0.5, 1.0]), \"linear N\", or \"immediate\"";
        match &v.kind {
            RawKind::String(text) => {
                if text == "immediate" {
                    return Ok(Ramp::Immediate);
                }
                if let Some(n) = text.strip_prefix("linear") {
                    // Exactly "linear N": one space, then N in plain digits.
                    let n = n
                        .strip_prefix(' ')
                        .filter(|n| {
                            !n.is_empty()
                                && n.bytes().all(|b| b.is_ascii_digit())
                                && !n.starts_with('0')
                        })
                        .and_then(|n| n.parse::<u32>().ok())
                        .filter(|n| (1..=MAX_RAMP_YEARS as u32).contains(n));
                    return match n {
                        Some(n) => Ok(Ramp::Linear(n)),
                        None => Err(self
                            .error(
                                &v.at,
                                path,
                                format!(
                                    "\"linear N\" needs one space and a whole number N from 1 to {MAX_RAMP_YEARS}, found \"{}\"",
                                    shown(text, 40)
                                ),
                            )
                            .with_help(HELP)),
                    };
                }
                Err(self
                    .error(&v.at, path, format!("unknown ramp \"{}\"", shown(text, 40)))
                    .with_help(HELP))
            }
            RawKind::Array(items) => {
                if items.is_empty() {
                    return Err(self.error(&v.at, path, "the ramp is empty").with_help(HELP));
                }
                if items.len() > MAX_RAMP_YEARS {
                    return Err(self.error(
                        &v.at,
                        path,
                        format!("the ramp has more than {MAX_RAMP_YEARS} steps"),
                    ));
                }
                let mut steps: Vec<Share> = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let field = format!("{path}[#{}]", i + 1);
                    let step = self.share(item, &field)?;
                    if let Some(previous) = steps.last()
                        && step < *previous
                    {
                        return Err(self
                            .error(&item.at, &field, format!("the ramp falls from {previous} to {step}; a ramp never goes down (equal steps are fine)"))
                            .with_help(HELP));
                    }
                    steps.push(step);
                }
                if steps.last() != Some(&Share::ONE) {
                    let last = items.last().map_or(&v.at, |i| &i.at);
                    return Err(self
                        .error(
                            last,
                            &format!("{path}[#{}]", items.len()),
                            format!(
                                "the ramp ends at {}, not 1; its last step is the full saving",
                                steps.last().copied().unwrap_or(Share::ZERO)
                            ),
                        )
                        .with_help(HELP));
                }
                Ok(Ramp::Steps(steps))
            }
            other => Err(self
                .error(
                    &v.at,
                    path,
                    format!(
                        "expected a list of shares, \"linear N\" or \"immediate\", found {}",
                        other.describe()
                    ),
                )
                .with_help(HELP)),
        }
    }

    fn risk(&self, risk: &Located<RawRisk>, path: &str) -> Result<Risk> {
        let r = &risk.value;
        let fail = match &r.fail {
            Some(v) => self.share(v, &format!("{path}.fail"))?,
            None => Share::ZERO,
        };
        let slip_months = match &r.slip_months {
            Some(v) => {
                let field = format!("{path}.slip_months");
                let items = self.array(v, &field)?;
                let [min, max] = items else {
                    return Err(self
                        .error(
                            &v.at,
                            &field,
                            format!(
                                "expected two whole numbers [min, max], found {}",
                                count(items.len(), "value")
                            ),
                        )
                        .with_help("for example slip_months = [0, 12]"));
                };
                let lo = self.whole(min, &format!("{field}[#1]"), 0, MAX_SLIP_MONTHS)?;
                let hi = self.whole(max, &format!("{field}[#2]"), 0, MAX_SLIP_MONTHS)?;
                if lo > hi {
                    return Err(self.error(
                        &v.at,
                        &field,
                        format!("the minimum {lo} is above the maximum {hi}; write [min, max]"),
                    ));
                }
                (lo, hi)
            }
            None => (0, 0),
        };
        Ok(Risk { fail, slip_months })
    }

    /// docs/model.md section 5: all options naming one group carry identical risk.
    fn groups_share_one_risk(&self, raw: &RawFile, services: &[Service]) -> Result<()> {
        let mut first_in_group: HashMap<&str, (&Service, &SavingOption)> = HashMap::new();
        for (service, raw_service) in services.iter().zip(&raw.service) {
            for (option, raw_option) in service.options.iter().zip(&raw_service.value.option) {
                let Some(group) = option.group.as_deref() else {
                    continue;
                };
                match first_in_group.get(group) {
                    None => {
                        first_in_group.insert(group, (service, option));
                    }
                    // No risk is the same as fail 0 and no slip.
                    Some((first_service, first_option))
                        if Risk::of(first_option) != Risk::of(option) =>
                    {
                        let at = raw_option
                            .value
                            .risk
                            .as_ref()
                            .map_or(&raw_option.at, |r| &r.at);
                        let describe = |r: &Option<Risk>| match r {
                            None => "no risk (fail 0, no slip)".to_string(),
                            Some(r) => format!(
                                "fail = {}, slip_months = [{}, {}]",
                                r.fail, r.slip_months.0, r.slip_months.1
                            ),
                        };
                        return Err(self
                            .error(
                                at,
                                &format!("service[{}].option[{}].risk", service.id, option.id),
                                format!(
                                    "options of group {group:?} must carry identical risk: service[{}].option[{}] has {}, but service[{}].option[{}] has {}",
                                    first_service.id,
                                    first_option.id,
                                    describe(&first_option.risk),
                                    service.id,
                                    option.id,
                                    describe(&option.risk)
                                ),
                            )
                            .with_help("one procurement succeeds, fails or slips as one: give every option of the group the same risk"));
                    }
                    Some(_) => {}
                }
            }
        }
        Ok(())
    }

    /// `remove = true` drops a service or option of the scenario extended; by the time a
    /// scenario is validated every one has been carried out, so one left is misplaced.
    fn no_remove(&self, remove: &Option<RawValue>, path: &str) -> Result<()> {
        let Some(v) = remove else { return Ok(()) };
        if self.boolean(v, &format!("{path}.remove"))? {
            return Err(self
                .error(
                    &v.at,
                    &format!("{path}.remove"),
                    "remove = true drops a service or option of the scenario this one extends, and this scenario extends none",
                )
                .with_help("delete the table instead, or add extends = \"...\" to [scenario]"));
        }
        Ok(())
    }

    fn distribution(&self, v: &RawValue, path: &str) -> Result<Distribution> {
        match self.string(v, path)? {
            "triangular" => Ok(Distribution::Triangular),
            "pert" => Ok(Distribution::Pert),
            other => {
                let mut message = format!("unknown distribution \"{}\"", shown(other, 40));
                if let Some(close) = closest(other, &["triangular", "pert"]) {
                    message.push_str(&format!("; did you mean \"{close}\"?"));
                }
                Err(self
                    .error(&v.at, path, message)
                    .with_help("distribution is \"triangular\" (the default) or \"pert\""))
            }
        }
    }

    /// `optimism_bias = { saving, cost, delay_months }`, each optional.
    fn bias(&self, b: &Located<RawBias>, path: &str) -> Result<PartialBias> {
        let r = &b.value;
        Ok(PartialBias {
            saving: r.saving.as_ref().map(|v| self.share(v, &format!("{path}.saving"))).transpose()?,
            cost: r
                .cost
                .as_ref()
                .map(|v| {
                    let field = format!("{path}.cost");
                    let d = self.number(v, &field)?;
                    if d < Decimal::ZERO || d > Decimal::from(MAX_COST_UPLIFT) {
                        return Err(self
                            .error(&v.at, &field, format!("must be from 0 to {MAX_COST_UPLIFT}, found {}", v_literal(v)))
                            .with_help("an uplift on one-off costs as a fraction: 0.41 adds 41% (the Green Book's upper bound for outsourcing)"));
                    }
                    Ok(d)
                })
                .transpose()?,
            delay_months: r
                .delay_months
                .as_ref()
                .map(|v| self.whole(v, &format!("{path}.delay_months"), 0, MAX_SLIP_MONTHS))
                .transpose()?,
        })
    }

    /// A table of year -> money (planned savings, one-off costs, gaps).
    fn year_table(
        &self,
        v: &RawValue,
        path: &str,
        rule: &YearRule,
        basis: Basis,
    ) -> Result<YearSeries> {
        let RawKind::Table(entries) = &v.kind else {
            return Err(self
                .error(
                    &v.at,
                    path,
                    format!("expected a table of years, found {}", v.kind.describe()),
                )
                .with_help("for example { \"2015/16\" = 1.5, \"2016/17\" = 2 }"));
        };
        let mut values = BTreeMap::new();
        for (key, value) in entries {
            let field = format!("{path}.{}", path_key(&key.value));
            let year =
                FinancialYear::parse(&key.value).map_err(|m| self.error(&key.at, &field, m))?;
            let amount = self.money(value, &field)?;
            let earliest = if rule.base_year_allowed {
                rule.base_year
            } else {
                rule.base_year.plus(1).unwrap_or(rule.base_year)
            };
            if year < earliest {
                let which = if rule.base_year_allowed {
                    format!("before the base year {}", rule.base_year.quoted())
                } else {
                    format!(
                        "not a projected year (the base year is {})",
                        rule.base_year.quoted()
                    )
                };
                return Err(self.error(
                    &key.at,
                    &field,
                    format!(
                        "{} is {which}; this table names years from {} on",
                        year.quoted(),
                        earliest.quoted()
                    ),
                ));
            }
            // Years after the horizon are ignored (docs/model.md section 7), with a warning:
            // a year there is far more often a typing slip than a figure meant to be unused.
            if year <= rule.last_year {
                values.insert(year, amount);
            } else {
                self.warn(
                    &key.at,
                    &field,
                    format!(
                        "{} is after {}, the last projected year, so this figure is not used",
                        year.quoted(),
                        rule.last_year.quoted()
                    ),
                    "check the year; to use it, lengthen scenario.horizon",
                );
            }
        }
        Ok(YearSeries::new(basis, values))
    }

    // ---- scalar readers ----

    fn string<'v>(&self, v: &'v RawValue, path: &str) -> Result<&'v str> {
        match &v.kind {
            RawKind::String(s) => Ok(s),
            other => Err(self.error(
                &v.at,
                path,
                format!("expected a string in quotes, found {}", other.describe()),
            )),
        }
    }

    /// A `source` note: where the table's figures come from.
    fn source(&self, v: &Option<RawValue>, path: &str) -> Result<Option<String>> {
        v.as_ref()
            .map(|v| self.text(v, path, MAX_SOURCE_CHARS))
            .transpose()
    }

    /// Display text: a name, unit or source, one line, without control or invisible
    /// characters (zero-width, bidirectional overrides, fillers; a zero-width joiner or
    /// non-joiner only inside a word, where Persian or an Indic script needs it).
    fn text(&self, v: &RawValue, path: &str, max_chars: usize) -> Result<String> {
        let s = self.string(v, path)?;
        if let Some(c) = first_hidden(s) {
            let error = self.error(
                &v.at,
                path,
                format!(
                    "contains {}; names and notes are one line of plain text",
                    name_char(c)
                ),
            );
            return Err(if matches!(c, '\u{200C}' | '\u{200D}') {
                error.with_help(
                    "a zero-width joiner or non-joiner is allowed only between two visible characters, where a script needs it",
                )
            } else {
                error
            });
        }
        if s.trim().is_empty() {
            return Err(self.error(&v.at, path, "is empty"));
        }
        if s.chars().count() > max_chars {
            return Err(self.error(
                &v.at,
                path,
                format!("is longer than {max_chars} characters"),
            ));
        }
        Ok(s.to_string())
    }

    /// An id: letters, digits, `-`, `_`, `.`, starting with a letter or digit.
    fn identifier(&self, v: &RawValue, path: &str) -> Result<String> {
        let s = self.string(v, path)?;
        let valid_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
        let problem = if s.is_empty() {
            Some("is empty".to_string())
        } else if s.chars().count() > MAX_ID_CHARS {
            Some(format!("is longer than {MAX_ID_CHARS} characters"))
        } else if let Some(c) = s.chars().find(|c| !valid_char(*c)) {
            Some(format!("\"{}\" contains {}", shown(s, 60), name_char(c)))
        } else if !s.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            Some(format!(
                "\"{}\" does not start with a letter or digit",
                shown(s, 60)
            ))
        } else {
            None
        };
        match problem {
            Some(problem) => Err(self
                .error(
                    &v.at,
                    path,
                    format!("{problem}; ids use ASCII letters, digits, '-', '_' and '.'"),
                )
                .with_help(
                    "ids appear in field paths, CSV rows and commands; keep free text for name",
                )),
            None => Ok(s.to_string()),
        }
    }

    fn boolean(&self, v: &RawValue, path: &str) -> Result<bool> {
        match &v.kind {
            RawKind::Bool(b) => Ok(*b),
            other => Err(self.error(
                &v.at,
                path,
                format!("expected true or false, found {}", other.describe()),
            )),
        }
    }

    fn year(&self, v: &RawValue, path: &str) -> Result<FinancialYear> {
        let text = self.string(v, path).map_err(|e| {
            if matches!(v.kind, RawKind::Number { .. }) {
                e.with_help("write financial years in quotes, like \"2014/15\"")
            } else {
                e
            }
        })?;
        FinancialYear::parse(text).map_err(|m| self.error(&v.at, path, m))
    }

    fn array<'v>(&self, v: &'v RawValue, path: &str) -> Result<&'v [RawValue]> {
        match &v.kind {
            RawKind::Array(items) => Ok(items),
            other => Err(self.error(
                &v.at,
                path,
                format!("expected an array [...], found {}", other.describe()),
            )),
        }
    }

    /// A number read exactly from its literal.
    fn number(&self, v: &RawValue, path: &str) -> Result<Decimal> {
        match &v.kind {
            RawKind::Number { value: Ok(d), .. } => Ok(*d),
            RawKind::Number {
                value: Err(e),
                literal,
                ..
            } => Err(self.error(&v.at, path, e.describe(literal))),
            other => Err(self.error(
                &v.at,
                path,
                format!("expected a number, found {}", other.describe()),
            )),
        }
    }

    /// A figure that may be negative (a net budget), within the absurdity cap.
    fn signed_money(&self, v: &RawValue, path: &str) -> Result<Money> {
        let d = self.number(v, path)?;
        if d.abs() > Decimal::from(MAX_FIGURE) {
            return Err(self.error(
                &v.at,
                path,
                format!(
                    "{} is beyond the largest figure accepted ({MAX_FIGURE} in any unit)",
                    v_literal(v)
                ),
            ));
        }
        Ok(Money::new(d))
    }

    /// A figure of at least 0 (savings, costs, gaps).
    fn money(&self, v: &RawValue, path: &str) -> Result<Money> {
        let m = self.signed_money(v, path)?;
        if m.amount() < Decimal::ZERO {
            return Err(self
                .error(
                    &v.at,
                    path,
                    format!("must be at least 0, found {}", v_literal(v)),
                )
                .with_help("savings, costs and gaps are written as positive figures"));
        }
        Ok(m)
    }

    fn share(&self, v: &RawValue, path: &str) -> Result<Share> {
        let d = self.number(v, path)?;
        Share::new(d).ok_or_else(|| {
            self.error(
                &v.at,
                path,
                format!("must be a fraction from 0 to 1, found {}", v_literal(v)),
            )
            .with_help("write shares as fractions: 0.5 for a half")
        })
    }

    /// A whole number in `min..=max`, written as a TOML integer (`10`, not `10.0`).
    fn whole(&self, v: &RawValue, path: &str, min: u32, max: u32) -> Result<u32> {
        let d = self.number(v, path)?;
        let written_whole = matches!(v.kind, RawKind::Number { integer: true, .. });
        let n = (written_whole && d.scale() == 0)
            .then(|| u32::try_from(d.mantissa()).ok())
            .flatten()
            .filter(|n| (min..=max).contains(n));
        n.ok_or_else(|| {
            let error = self.error(
                &v.at,
                path,
                format!(
                    "must be a whole number from {min} to {max}, found {}",
                    v_literal(v)
                ),
            );
            if written_whole {
                error
            } else {
                error.with_help("write whole numbers without a decimal point or exponent, like 10")
            }
        })
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
