//! A `[[service]]`: its fields, its options (each checked on its own), which one is taken
//! forward (`choose`, `preferred`, `deferred`), and the rules across services and options.
//! A one-line service (docs/model.md section 9.3) writes its one option's fields on itself.

use super::amounts::Amounts;
use super::option::OptionFields;
use super::*;

/// `service[x].option[y]`, or `service[x]` for a one-line service.
fn service_option_path(service_path: &str, one_line: bool, option: &str) -> String {
    if one_line {
        service_path.to_string()
    } else {
        format!("{service_path}.option[{option}]")
    }
}

impl Validator<'_> {
    pub(super) fn service(
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
        let area = match &s.area {
            Some(v) => self
                .keep(self.text(v, &format!("{path}.area"), MAX_NAME_CHARS))
                .map(Some),
            None => Some(None),
        };
        let planned = match &s.planned {
            Some(v) => {
                self.keep(self.amounts(v, &format!("{path}.planned"), rule, Amounts::PLANNED))
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
        let one_line = OptionFields::of_line(s);
        let mut options: Vec<SavingOption> = Vec::with_capacity(s.option.len());
        let mut options_valid = true;
        let mut preferred: Option<(usize, &Loc)> = None;
        // Beside [[service.option]] tables, option fields on the service are one mistake: the
        // line is not checked as well, which would report what it lacks as more.
        let alone = one_line
            .as_ref()
            .map(|_| self.keep(self.one_line_alone(s, &path)).is_some() || s.option.is_empty());
        if alone == Some(false) {
            options_valid = false;
        }
        if let (Some(line), Some(true)) = (&one_line, alone) {
            match self.keep(self.option(line, &service.at, 0, &path, true, &budget, rule, defaults))
            {
                Some(option) => options.push(option),
                None => options_valid = false,
            }
        }
        let listed = if one_line.is_some() {
            &[][..]
        } else {
            &s.option[..]
        };
        for (i, option) in listed.iter().enumerate() {
            if self.full() {
                self.stopped.set(true);
                return Err(self.stop());
            }
            let Some(validated) = self.keep(self.option(
                &OptionFields::of_option(&option.value),
                &option.at,
                i,
                &path,
                false,
                &budget,
                rule,
                defaults,
            )) else {
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
        let (Some(()), Some(name), Some(area), Some(source), Some(planned), Some(deferred), true) = (
            removed,
            name,
            area,
            source,
            planned,
            deferred,
            options_valid,
        ) else {
            return Err(self.stop());
        };
        // docs/model.md section 9.4: a line already in the plan is its own plan.
        if let (Some(v), Some(counted)) =
            (&s.planned, options.iter().find(|o| o.status.is_planned()))
        {
            return Err(self
                .error(
                    &v.at,
                    &format!("{path}.planned"),
                    format!(
                        "{} is {}, so its own amounts are the service's plan; planned would count the plan twice",
                        service_option_path(&path, one_line.is_some(), &counted.id),
                        counted.status
                    ),
                )
                .with_help("remove planned (an approved, in-base or withdrawn saving is its own plan), or make the line proposed"));
        }
        if one_line.is_some() {
            return Ok(Service {
                source,
                id,
                name,
                area,
                one_line: true,
                budget,
                planned,
                options,
                taken_forward: (!deferred).then_some(0),
                chosen_explicitly: false,
            });
        }
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
            area,
            one_line: false,
            budget,
            planned,
            options,
            taken_forward,
            chosen_explicitly,
        })
    }

    /// A one-line service is one option, taken forward unless `deferred = true` sets it
    /// aside: it has no `[[service.option]]` and no `choose`.
    fn one_line_alone(&self, s: &RawService, path: &str) -> Result<()> {
        let first_field = [
            ("saving", s.saving.is_some()),
            ("start", s.start.is_some()),
            ("ramp", s.ramp.is_some()),
            ("one_off_cost", s.one_off_cost.is_some()),
            ("risk", s.risk.is_some()),
            ("group", s.group.is_some()),
            ("distribution", s.distribution.is_some()),
            ("optimism_bias", s.optimism_bias.is_some()),
            ("status", s.status.is_some()),
            ("delivered", s.delivered.is_some()),
            ("forecast", s.forecast.is_some()),
            ("rag", s.rag.is_some()),
        ]
        .into_iter()
        .find_map(|(name, given)| given.then_some(name))
        .unwrap_or("saving");
        let written = if first_field == "saving" {
            "its saving on itself (saving = ...)".to_string()
        } else {
            format!("an option's field on itself ({first_field} = ...)")
        };
        let conflict = |at: &Loc, field: &str, what: &str, help: String| {
            Err(self
                .error(
                    at,
                    &format!("{path}.{field}"),
                    format!("the service writes {written}, so it is one line and has no {what}"),
                )
                .with_help(help))
        };
        if let Some(option) = s.option.first() {
            return conflict(
                &option.at,
                "option",
                "[[service.option]] tables",
                format!(
                    "move {first_field} into the [[service.option]] tables (each option has its own), or remove the option tables"
                ),
            );
        }
        if let Some(v) = &s.choose {
            return conflict(
                &v.at,
                "choose",
                "choose",
                "a one-line service is its own saving, taken forward unless deferred = true; to weigh options, write them as [[service.option]] tables".to_string(),
            );
        }
        Ok(())
    }

    /// `budget = { gross, net }`, net no more than gross.
    pub(super) fn budget(&self, b: &Located<RawBudget>, path: &str) -> Result<Budget> {
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
    pub(super) fn chosen(
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

    /// docs/model.md section 5: all options naming one group carry identical risk.
    pub(super) fn groups_share_one_risk(&self, raw: &RawFile, services: &[Service]) -> Result<()> {
        let id_of = |v: &Option<RawValue>| match v.as_ref().map(|v| &v.kind) {
            Some(RawKind::String(id)) => Some(id.clone()),
            _ => None,
        };
        let mut first_in_group: HashMap<&str, (&Service, &SavingOption)> = HashMap::new();
        for service in services {
            for option in &service.options {
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
                        // The service as written (the first of its id: a second is
                        // refused), looked up only here, for the message.
                        let Some(raw_service) = raw
                            .service
                            .iter()
                            .find(|r| id_of(&r.value.id).as_deref() == Some(service.id.as_str()))
                        else {
                            continue;
                        };
                        // Where the option's risk is written: on a one-line service, or in
                        // its option table.
                        let (risk, written_at) =
                            if service.one_line {
                                (&raw_service.value.risk, &raw_service.at)
                            } else {
                                match raw_service.value.option.iter().find(|o| {
                                    id_of(&o.value.id).as_deref() == Some(option.id.as_str())
                                }) {
                                    Some(o) => (&o.value.risk, &o.at),
                                    None => (&None, &raw_service.at),
                                }
                            };
                        let at = risk.as_ref().map_or(written_at, |r| &r.at);
                        let path_of = |s: &Service, o: &SavingOption| {
                            service_option_path(&format!("service[{}]", s.id), s.one_line, &o.id)
                        };
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
                                &format!("{}.risk", path_of(service, option)),
                                format!(
                                    "options of group {group:?} must carry identical risk: {} has {}, but {} has {}",
                                    path_of(first_service, first_option),
                                    describe(&first_option.risk),
                                    path_of(service, option),
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
    pub(super) fn no_remove(&self, remove: &Option<RawValue>, path: &str) -> Result<()> {
        let Some(v) = remove else { return Ok(()) };
        if self.boolean(v, &format!("{path}.remove"))? {
            return Err(self
                .error(
                    &v.at,
                    &format!("{path}.remove"),
                    "remove = true drops a service, option, pressure or funding line of the scenario this one extends, and this scenario extends none",
                )
                .with_help("delete the table instead, or add extends = \"...\" to [scenario]"));
        }
        Ok(())
    }
}
