//! A `[[service.option]]`: saving (one figure, a range, or a share of the net budget), go-live,
//! ramp, one-off costs, risk, distribution and optimism bias, each checked on its own.

use super::*;

impl Validator<'_> {
    pub(super) fn option(
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
