//! A `[[service.option]]` (or the one option of a one-line service): saving (one figure, a
//! range, a share of the net budget, or yearly amounts), go-live, ramp, one-off costs, risk,
//! distribution, optimism bias and status, each checked on its own.

use super::amounts::{Amounts, WRAPPERS, wrapper_of};
use super::*;

/// An option's fields wherever they are written: in a `[[service.option]]` table, or on a
/// one-line service (docs/model.md section 9.3), borrowed rather than copied.
pub(super) struct OptionFields<'r> {
    pub id: &'r Option<RawValue>,
    pub name: &'r Option<RawValue>,
    pub preferred: &'r Option<RawValue>,
    pub saving: &'r Option<RawValue>,
    pub start: &'r Option<RawValue>,
    pub ramp: &'r Option<RawValue>,
    pub one_off_cost: &'r Option<RawValue>,
    pub risk: &'r Option<Located<RawRisk>>,
    pub group: &'r Option<RawValue>,
    pub distribution: &'r Option<RawValue>,
    pub optimism_bias: &'r Option<Located<RawBias>>,
    pub status: &'r Option<RawValue>,
    pub delivered: &'r Option<RawValue>,
    pub forecast: &'r Option<RawValue>,
    pub rag: &'r Option<RawValue>,
    pub source: &'r Option<RawValue>,
    pub remove: &'r Option<RawValue>,
}

/// A field a one-line service has no place for (`preferred`, `remove`).
static ABSENT: Option<RawValue> = None;

impl<'r> OptionFields<'r> {
    /// The fields of an option table.
    pub fn of_option(o: &'r RawOption) -> Self {
        Self {
            id: &o.id,
            name: &o.name,
            preferred: &o.preferred,
            saving: &o.saving,
            start: &o.start,
            ramp: &o.ramp,
            one_off_cost: &o.one_off_cost,
            risk: &o.risk,
            group: &o.group,
            distribution: &o.distribution,
            optimism_bias: &o.optimism_bias,
            status: &o.status,
            delivered: &o.delivered,
            forecast: &o.forecast,
            rag: &o.rag,
            source: &o.source,
            remove: &o.remove,
        }
    }

    /// The option a one-line service writes on itself, if it writes any option field there:
    /// the service's id, name and source, and its option fields.
    pub fn of_line(s: &'r RawService) -> Option<Self> {
        let given = [
            &s.saving,
            &s.start,
            &s.ramp,
            &s.one_off_cost,
            &s.group,
            &s.distribution,
            &s.status,
            &s.delivered,
            &s.forecast,
            &s.rag,
        ]
        .iter()
        .any(|f| f.is_some())
            || s.risk.is_some()
            || s.optimism_bias.is_some();
        given.then_some(Self {
            id: &s.id,
            name: &s.name,
            preferred: &ABSENT,
            saving: &s.saving,
            start: &s.start,
            ramp: &s.ramp,
            one_off_cost: &s.one_off_cost,
            risk: &s.risk,
            group: &s.group,
            distribution: &s.distribution,
            optimism_bias: &s.optimism_bias,
            status: &s.status,
            delivered: &s.delivered,
            forecast: &s.forecast,
            rag: &s.rag,
            source: &s.source,
            remove: &ABSENT,
        })
    }
}

/// How an option's saving is written.
pub(super) enum Written {
    /// `S` in each case, and how it was given.
    Steady(Cases<Money>, SavingBasis),
    /// Yearly amounts in each case as written, and their level in each projected year
    /// (docs/model.md section 9.2).
    Profile(Cases<YearSeries>, Cases<Series>),
}

/// Whether a saving is written as yearly amounts (docs/model.md section 9.2): wrapped in
/// `levels` or `increments`, or with a table in a case (`{ low = { levels = ... }, ... }`).
/// Read from its shape alone, so that a profile with a bad figure in it is not also told
/// that it needs a start.
fn written_as_profile(v: &RawValue) -> bool {
    wrapper_of(v).is_some()
        || matches!(&v.kind, RawKind::Table(entries) if entries
            .iter()
            .any(|(key, case)| key.value != "share_of_net" && matches!(case.kind, RawKind::Table(_))))
}

/// The level in the last projected year, in each case.
fn last_levels(levels: &Cases<Series>) -> Cases<Money> {
    levels.map(|_, l| l.last().copied().unwrap_or(Money::ZERO))
}

impl Validator<'_> {
    /// An option: `[[service.option]]`, or (`one_line`) the option fields written on a
    /// one-line service, whose id and path are the service's (docs/model.md section 9.3).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn option(
        &self,
        o: &OptionFields,
        at: &Loc,
        index: usize,
        service_path: &str,
        one_line: bool,
        budget: &Budget,
        rule: &YearRule,
        defaults: &Defaults,
    ) -> Result<SavingOption> {
        let position = format!("{service_path}.option[#{}]", index + 1);
        let id = match &o.id {
            Some(v) => self.identifier(v, &format!("{position}.id"))?,
            None => {
                return Err(self
                    .error(
                        at,
                        &format!("{position}.id"),
                        "missing: every option needs an id",
                    )
                    .with_help("add id = \"...\" (letters, digits, '-', '_' or '.')"));
            }
        };
        let path = if one_line {
            service_path.to_string()
        } else {
            format!("{service_path}.option[{id}]")
        };
        let removed = if one_line {
            Some(())
        } else {
            self.keep(self.no_remove(o.remove, &path))
        };
        let what = if one_line {
            "a one-line service"
        } else {
            "every option"
        };
        let missing = |field: &str, help: &str| {
            self.error(
                at,
                &format!("{path}.{field}"),
                format!("missing: {what} needs {field}"),
            )
            .with_help(help.to_string())
        };
        let name = match &o.name {
            Some(v) => self.keep(self.text(v, &format!("{path}.name"), MAX_NAME_CHARS)),
            None => Some(id.clone()),
        };
        let preferred = match &o.preferred {
            Some(v) => self.keep(self.boolean(v, &format!("{path}.preferred"))),
            None => Some(one_line),
        };
        let status = match &o.status {
            Some(v) => self.keep(self.status(v, &format!("{path}.status"))),
            None => Some(Status::Proposed),
        };
        let saving = self.keep(match &o.saving {
            Some(v) => self.saving(v, &format!("{path}.saving"), service_path, budget, rule),
            None => Err(missing(
                "saving",
                "add saving = 1.5 (one figure), saving = { low = 1, central = 1.5, high = 2 }, saving = { share_of_net = 0.5 }, or yearly amounts saving = { levels = { \"2025/26\" = 1.5 } }",
            )),
        });
        let profile = o.saving.as_ref().is_some_and(written_as_profile);
        // A profile states D year by year: a go-live or a ramp would contradict it.
        if profile {
            for (field, given) in [("start", &o.start), ("ramp", &o.ramp)] {
                if let Some(v) = given {
                    self.keep::<()>(Err(self
                        .error(
                            &v.at,
                            &format!("{path}.{field}"),
                            format!("a saving written as yearly amounts has no {field}: its amounts are the in-year savings as the plan states them"),
                        )
                        .with_help(format!("remove {field}; the saving starts in the first year with an amount above 0"))));
                }
            }
        }
        let start = if profile {
            Some(None)
        } else {
            self.keep(match &o.start {
                Some(v) => self.start(v, &format!("{path}.start"), rule),
                None => Err(missing(
                    "start",
                    "add start = \"2015-10\" (a month) or start = \"2015/16\" (from 1 April)",
                )),
            })
            .map(Some)
        };
        let ramp = match (&o.ramp, profile) {
            (Some(v), false) => self.keep(self.ramp(v, &format!("{path}.ramp"))),
            _ => Some(Ramp::Immediate),
        };
        let one_off_cost = match &o.one_off_cost {
            Some(v) => self.keep(self.in_year_table(v, &format!("{path}.one_off_cost"), rule)),
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
        let source = self.keep(self.source(o.source, &format!("{path}.source")));
        let tracking = self.keep(self.line_tracking(
            &super::tracking::TrackingFields {
                delivered: o.delivered,
                forecast: o.forecast,
                rag: o.rag,
            },
            &path,
            status,
            rule,
            defaults.as_at,
        ));
        let (
            Some(()),
            Some(name),
            Some(preferred),
            Some(status),
            Some(saving),
            Some(start),
            Some(ramp),
            Some(one_off_cost),
            Some(risk),
            Some(group),
            Some(distribution),
            Some(own_bias),
            Some(source),
            Some(tracking),
        ) = (
            removed,
            name,
            preferred,
            status,
            saving,
            start,
            ramp,
            one_off_cost,
            risk,
            group,
            distribution,
            own_bias,
            source,
            tracking,
        )
        else {
            return Err(self.stop());
        };
        let optimism_bias = defaults.bias.resolve(&own_bias);
        let bias_at = o.optimism_bias.as_ref().map_or(at, |b| &b.at);
        let cannot = |what: &str, e: ArithmeticError| {
            self.error(
                bias_at,
                &format!("{path}.optimism_bias"),
                format!("cannot apply the optimism bias to the {what}: {e}"),
            )
        };
        let keep = optimism_bias.map_or(Share::ONE, |bias| {
            Share::new(Decimal::ONE - bias.saving.value()).unwrap_or(Share::ONE)
        });
        let delay = optimism_bias.map_or(0, |bias| bias.delay_months);
        // Optimism bias, before anything else (docs/model.md section 5): a haircut on the
        // saving (every level of a profile), a delay to go-live (a profile moved later).
        let (as_written, saving, saving_basis, build) = match (saving, start) {
            (Written::Profile(tables, levels), _) => {
                let biased = if keep == Share::ONE && delay == 0 {
                    levels.clone()
                } else {
                    levels
                        .try_map(|_, l| {
                            let cut = l
                                .iter()
                                .map(|m| m.times(keep))
                                .collect::<std::result::Result<Series, _>>()?;
                            shifted(&cut, delay)
                        })
                        .map_err(|e| cannot("saving", e))?
                };
                let as_written = AsWritten {
                    saving: last_levels(&levels),
                    build: Build::Profile(levels),
                    profile: Some(tables),
                    one_off_cost: one_off_cost.clone(),
                };
                (
                    as_written,
                    last_levels(&biased),
                    SavingBasis::Amount,
                    Build::Profile(biased),
                )
            }
            (Written::Steady(saving, basis), start) => {
                // `start` is `None` only for a profile.
                let start = start.ok_or_else(|| missing("start", "add start"))?;
                self.warn_saves_nothing(o, &path, start, &ramp, rule);
                let as_written = AsWritten {
                    saving,
                    build: Build::Ramp {
                        start,
                        ramp: ramp.clone(),
                    },
                    profile: None,
                    one_off_cost: one_off_cost.clone(),
                };
                let biased = saving
                    .try_map(|_, s| s.times(keep))
                    .map_err(|e| cannot("saving", e))?;
                let start = start.delayed_by(delay).ok_or_else(|| {
                    self.error(
                        bias_at,
                        &format!("{path}.optimism_bias.delay_months"),
                        format!(
                            "a delay of {delay} months takes go-live past {}, the last year this tool models",
                            quoted_year(LATEST_YEAR)
                        ),
                    )
                })?;
                (as_written, biased, basis, Build::Ramp { start, ramp })
            }
        };
        let one_off_cost = match &optimism_bias {
            Some(bias) if !bias.cost.is_zero() => {
                let uplift = Decimal::ONE + bias.cost;
                let costs = one_off_cost
                    .iter()
                    .map(|(y, c)| c.times_decimal(uplift).map(|c| (y, c)))
                    .collect::<std::result::Result<BTreeMap<_, _>, _>>()
                    .map_err(|e| cannot("one-off costs", e))?;
                YearSeries::in_year_of(costs)
            }
            _ => one_off_cost,
        };
        Ok(SavingOption {
            id,
            name,
            preferred,
            saving,
            saving_basis,
            build,
            status,
            one_off_cost,
            risk,
            group,
            distribution,
            optimism_bias,
            as_written,
            source,
            tracking,
        })
    }

    /// A range missing some of its cases (`present`: low, central, high).
    fn missing_cases(
        &self,
        v: &RawValue,
        path: &str,
        present: [bool; 3],
        help: &str,
    ) -> Diagnostic {
        let missing: Vec<&str> = ["low", "central", "high"]
            .into_iter()
            .zip(present)
            .filter(|(_, given)| !given)
            .map(|(k, _)| k)
            .collect();
        self.error(
            &v.at,
            path,
            format!(
                "missing {}: a range needs low, central and high",
                missing.join(" and ")
            ),
        )
        .with_help(help)
    }

    /// `status = "proposed" | "approved" | "in-base" | "withdrawn"`.
    pub(super) fn status(&self, v: &RawValue, path: &str) -> Result<Status> {
        let word = self.string(v, path)?;
        let names: Vec<&str> = Status::ALL.iter().map(|s| s.name()).collect();
        Status::ALL
            .into_iter()
            .find(|s| s.name() == word)
            .ok_or_else(|| {
                let mut message = format!("unknown status \"{}\"", shown(word, 40));
                if let Some(close) = closest(word, &names) {
                    message.push_str(&format!("; did you mean \"{close}\"?"));
                }
                self.error(&v.at, path, message).with_help(
                    "status is \"proposed\" (a new saving, the default), \"approved\" (agreed and counted in the MTFP), \"in-base\" (already taken out of the budget) or \"withdrawn\" (approved, now not to be delivered)",
                )
            })
    }

    /// `start = "2015-10"` or `"2015/16"`, after the base year.
    pub(super) fn start(&self, v: &RawValue, field: &str, rule: &YearRule) -> Result<GoLive> {
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

    /// `saving = 1.5`, `{ low, central, high }`, or `{ share_of_net = ... }`.
    pub(super) fn saving(
        &self,
        v: &RawValue,
        path: &str,
        service_path: &str,
        budget: &Budget,
        rule: &YearRule,
    ) -> Result<Written> {
        if let Some(wrapper) = wrapper_of(v) {
            if let RawKind::Table(entries) = &v.kind
                && let Some((key, _)) = entries.iter().find(|(k, _)| k.value == "share_of_net")
            {
                return Err(self
                    .error(
                        &key.at,
                        &format!("{path}.share_of_net"),
                        format!("a saving is either yearly amounts ({wrapper} = ...) or a share of the net budget (share_of_net = ...), not both"),
                    )
                    .with_help("a share of the net budget is a steady-state saving with a start and a ramp; yearly amounts state the saving in each year"));
            }
            let profile = self.amounts(v, path, rule, Amounts::SAVING)?;
            let levels = self.levels_of(&profile, v, path, rule)?;
            return Ok(Written::Profile(Cases::all(profile), Cases::all(levels)));
        }
        if let RawKind::Table(entries) = &v.kind
            && entries
                .iter()
                .any(|(_, case)| matches!(case.kind, RawKind::Table(_)))
            && !entries.iter().any(|(k, _)| k.value == "share_of_net")
        {
            return self
                .profile_range(v, entries, path, rule)
                .map(|(tables, levels)| Written::Profile(tables, levels));
        }
        self.steady_saving(v, path, service_path, budget)
            .map(|(saving, basis)| Written::Steady(saving, basis))
    }

    /// `{ low = { levels = ... }, central = ..., high = ... }`: a profile per case, low <=
    /// central <= high in every projected year.
    fn profile_range(
        &self,
        v: &RawValue,
        entries: &[(Located<String>, RawValue)],
        path: &str,
        rule: &YearRule,
    ) -> Result<(Cases<YearSeries>, Cases<Series>)> {
        const KEYS: [&str; 3] = ["low", "central", "high"];
        let mut found: [Option<(YearSeries, Series, &RawValue)>; 3] = [None, None, None];
        for (key, value) in entries {
            let field = format!("{path}.{}", path_key(&key.value));
            let Some(slot) = KEYS.iter().position(|k| *k == key.value) else {
                let mut message = format!("unknown field `{}`", shown(&key.value, 60));
                let known: Vec<&str> = KEYS.iter().chain(&WRAPPERS).copied().collect();
                if let Some(close) = closest(&key.value, &known) {
                    message.push_str(&format!("; did you mean `{close}`?"));
                }
                return Err(self
                    .error(&key.at, &field, message)
                    .with_help("yearly amounts are { levels = { \"2025/26\" = 1 } } or { increments = { ... } }, or a range of them, { low = { levels = {...} }, central = { levels = {...} }, high = { levels = {...} } }"));
            };
            if wrapper_of(value).is_none() {
                return Err(self
                    .error(
                        &value.at,
                        &field,
                        format!("expected yearly amounts {{ levels = {{ ... }} }} or {{ increments = {{ ... }} }}, found {}", value.kind.describe()),
                    )
                    .with_help("a saving is a figure in every case or yearly amounts in every case: write each of low, central and high as { levels = { \"2025/26\" = 1 } } or { increments = { ... } }"));
            }
            let series = self.amounts(value, &field, rule, Amounts::SAVING)?;
            let levels = self.levels_of(&series, value, &field, rule)?;
            found[slot] = Some((series, levels, value));
        }
        let [Some(low), Some(central), Some(high)] = found else {
            let present = [found[0].is_some(), found[1].is_some(), found[2].is_some()];
            return Err(self.missing_cases(
                v,
                path,
                present,
                "write all three, or one table of yearly amounts for all three cases",
            ));
        };
        for ((below, above), (lower, upper)) in [(&low, &central), (&central, &high)]
            .into_iter()
            .zip([("low", "central"), ("central", "high")])
        {
            let crossing = rule
                .projected()
                .zip(below.1.iter().zip(&above.1))
                .find(|(_, (b, a))| b > a);
            if let Some((year, (b, a))) = crossing {
                return Err(self
                    .error(
                        &above.2.at,
                        &format!("{path}.{upper}"),
                        format!(
                            "{upper} {a} is below {lower} {b} in {}; a range needs low <= central <= high in every year",
                            year.quoted()
                        ),
                    )
                    .with_help("check the year's amounts in each case (a level not named is carried from the year before)"));
            }
        }
        Ok((
            Cases {
                low: low.0,
                central: central.0,
                high: high.0,
            },
            Cases {
                low: low.1,
                central: central.1,
                high: high.1,
            },
        ))
    }

    /// The level of yearly amounts in each projected year.
    fn levels_of(
        &self,
        series: &YearSeries,
        v: &RawValue,
        path: &str,
        rule: &YearRule,
    ) -> Result<Series> {
        series
            .levels(rule.projected())
            .map_err(|e| self.error(&v.at, path, format!("cannot add up the amounts: {e}")))
    }

    /// `saving = 1.5`, `{ low, central, high }`, or `{ share_of_net = ... }`: a steady state.
    fn steady_saving(
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
    pub(super) fn cases<T: Copy + PartialOrd + std::fmt::Display>(
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
            let present = [found[0].is_some(), found[1].is_some(), found[2].is_some()];
            return Err(self.missing_cases(
                v,
                path,
                present,
                "write all three, or one figure for all three cases",
            ));
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
    pub(super) fn ramp(&self, v: &RawValue, path: &str) -> Result<Ramp> {
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

    pub(super) fn risk(&self, risk: &Located<RawRisk>, path: &str) -> Result<Risk> {
        let r = &risk.value;
        // `fail` and `slip_months` are checked each on its own.
        let fail = match &r.fail {
            Some(v) => self.keep(self.share(v, &format!("{path}.fail"))),
            None => Some(Share::ZERO),
        };
        let slip_months = self.keep(self.slip_months(r, path));
        match (fail, slip_months) {
            (Some(fail), Some(slip_months)) => Ok(Risk { fail, slip_months }),
            _ => Err(self.stop()),
        }
    }

    /// `slip_months = [min, max]`, whole months, min <= max.
    fn slip_months(&self, r: &RawRisk, path: &str) -> Result<(u32, u32)> {
        Ok(match &r.slip_months {
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
        })
    }

    pub(super) fn distribution(&self, v: &RawValue, path: &str) -> Result<Distribution> {
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
    pub(super) fn bias(&self, b: &Located<RawBias>, path: &str) -> Result<PartialBias> {
        let r = &b.value;
        // Each field is checked on its own.
        let saving = r
            .saving
            .as_ref()
            .map(|v| self.keep(self.share(v, &format!("{path}.saving"))));
        let cost = r
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
                .map(|d| self.keep(d));
        let delay_months = r
            .delay_months
            .as_ref()
            .map(|v| self.keep(self.whole(v, &format!("{path}.delay_months"), 0, MAX_SLIP_MONTHS)));
        match (saving, cost, delay_months) {
            (Some(None), _, _) | (_, Some(None), _) | (_, _, Some(None)) => Err(self.stop()),
            (saving, cost, delay_months) => Ok(PartialBias {
                saving: saving.flatten(),
                cost: cost.flatten(),
                delay_months: delay_months.flatten(),
            }),
        }
    }
}
