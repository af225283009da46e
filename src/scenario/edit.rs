//! Changes made to a scenario before validation, in the raw layer: a child scenario laid over
//! the one it `extends`, and command-line overrides (`--set PATH=VALUE`, `--option`,
//! `--defer`). Acting here means the result is validated exactly as a file would be, and every
//! value keeps the place it was written, in the parent, the child or on the command line.

use std::fmt;

use super::diagnostic::shown;
use super::locate::closest;
use super::raw::{
    Loc, Located, RawBias, RawBudget, RawFile, RawGap, RawKind, RawOption, RawRisk, RawScenario,
    RawService, RawValue, fields_of,
};

/// One step of a field path: `scenario`, `service[legal]`, `ramp[#2]`, `planned."2015/16"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// A field or table key.
    Key(String),
    /// An element of an array of tables, by its `id`.
    Id(String),
    /// An element of an array, by 1-based position.
    Position(usize),
}

/// A field path as error messages print it and `--set` takes it:
/// `service[legal].option[abs-partner].saving.central`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldPath(pub Vec<Step>);

impl FieldPath {
    /// Reads a path. Keys are bare (`saving`) or quoted (`"2015/16"`); a key may be followed
    /// by `[id]` or `[#N]`, or several (`ramp[#2]`).
    pub fn parse(text: &str) -> std::result::Result<Self, String> {
        let mut steps = Vec::new();
        let mut rest = text.trim();
        if rest.is_empty() {
            return Err("the field path is empty".to_string());
        }
        loop {
            // A key: quoted or bare.
            let (key, after) = if let Some(quoted) = rest.strip_prefix('"') {
                let end = quoted
                    .find('"')
                    .ok_or_else(|| format!("unclosed quote in {text:?}"))?;
                (quoted[..end].to_string(), &quoted[end + 1..])
            } else {
                let end = rest.find(['.', '[']).unwrap_or(rest.len());
                let key = &rest[..end];
                if let Some(c) = key
                    .chars()
                    .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
                {
                    return Err(format!(
                        "{text:?}: {c:?} cannot appear in a bare field name; quote keys such as \"2015/16\""
                    ));
                }
                (key.to_string(), &rest[end..])
            };
            if key.is_empty() {
                return Err(format!(
                    "{text:?} has an empty step; write fields as a.b[id].c"
                ));
            }
            steps.push(Step::Key(key));
            rest = after;
            while let Some(inner) = rest.strip_prefix('[') {
                let end = inner
                    .find(']')
                    .ok_or_else(|| format!("unclosed [ in {text:?}"))?;
                let selector = &inner[..end];
                steps.push(match selector.strip_prefix('#') {
                    Some(n) => Step::Position(
                        n.parse()
                            .ok()
                            .filter(|n| *n >= 1)
                            .ok_or_else(|| format!("[#{n}] is not a position (1, 2, ...)"))?,
                    ),
                    None if selector.is_empty() => {
                        return Err(format!("{text:?} has an empty []; write [id] or [#N]"));
                    }
                    None => Step::Id(selector.to_string()),
                });
                rest = &inner[end + 1..];
            }
            if rest.is_empty() {
                return Ok(Self(steps));
            }
            rest = rest
                .strip_prefix('.')
                .ok_or_else(|| format!("{text:?}: expected . or [ after a field"))?;
        }
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                Step::Key(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(&super::locate::path_key(k))?;
                }
                Step::Id(id) => write!(f, "[{id}]")?,
                Step::Position(n) => write!(f, "[#{n}]")?,
            }
        }
        Ok(())
    }
}

/// Why an edit could not be made, with what would be valid there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditError {
    /// The path as far as it was valid, then the step that was not.
    pub path: String,
    pub message: String,
    pub help: Option<String>,
}

type Result<T> = std::result::Result<T, EditError>;

fn unknown(path: &str, what: &str, found: &str, valid: &[&str]) -> EditError {
    let mut message = format!("no {what} `{}`", shown(found, 60));
    if let Some(close) = closest(found, valid) {
        message.push_str(&format!("; did you mean `{close}`?"));
    }
    EditError {
        path: path.to_string(),
        message,
        help: Some(if valid.is_empty() {
            format!("there is no {what} here")
        } else {
            format!("valid here: {}", valid.join(", "))
        }),
    }
}

/// Sets the field at `path` to `value`, creating tables on the way where the format allows.
/// A single figure becomes `{ low, central, high }` when one case is set
/// (`saving.central = 1.1` on `saving = 0.8` gives `{ low = 0.8, central = 1.1, high = 0.8 }`).
///
/// Returns the field set as messages print it, whatever the spelling typed: services and
/// options by `id` (`service[#1]` is `service[legal]`), keys bare where TOML allows
/// (`"scenario"."overlap"` is `scenario.overlap`). Reports match overrides on this path.
pub fn set(raw: &mut RawFile, path: &FieldPath, value: RawValue) -> Result<String> {
    let steps = path.0.as_slice();
    let valid_top = fields_of::<RawFile>();
    match steps {
        [Step::Key(k), rest @ ..] if k == "scenario" => {
            let at = value.at.clone();
            let scenario = raw.scenario.get_or_insert_with(|| Located {
                value: empty_scenario(),
                at,
            });
            set_in_scenario(&mut scenario.value, "scenario", rest, value)
        }
        [Step::Key(k), rest @ ..] if k == "gap" => {
            let at = value.at.clone();
            let gap = raw.gap.get_or_insert(Located {
                value: RawGap {
                    required: None,
                    unidentified: None,
                    source: None,
                },
                at,
            });
            let (field, rest) = field_step("gap", rest)?;
            let slot = match field {
                "required" => &mut gap.value.required,
                "unidentified" => &mut gap.value.unidentified,
                "source" => &mut gap.value.source,
                other => return Err(unknown("gap", "field", other, fields_of::<RawGap>())),
            };
            set_in_value(slot, &format!("gap.{field}"), rest, value)
        }
        [Step::Key(k), selector, rest @ ..] if k == "service" => {
            let service = find_service(raw, selector)?;
            let label = format!("service[{}]", service_label(service));
            set_in_service(&mut service.value, &label, rest, value)
        }
        [Step::Key(k)] if k == "service" => Err(EditError {
            path: "service".into(),
            message: "name one service: service[ID].FIELD".into(),
            help: None,
        }),
        [Step::Key(k), ..] => {
            let mut error = unknown("", "table", k, valid_top);
            if closest(k, valid_top).is_none()
                && let Some((table, field)) = table_of(k)
            {
                // A field named without its table (`overlap=0.5`): the full path.
                let mut full = path.clone();
                full.0[0] = Step::Key(field.to_string());
                error.message = format!(
                    "no table `{}`; did you mean `{table}.{full}`?",
                    shown(k, 60)
                );
            }
            Err(error)
        }
        _ => Err(EditError {
            path: path.to_string(),
            message: "a path starts with scenario, gap or service[ID]".into(),
            help: None,
        }),
    }
}

/// The table a field name belongs in, as a path prefix (`scenario` for `overlap`,
/// `service[ID].option[ID]` for `saving`), and the field, for a path that names a field
/// without its table; a misspelt name (`overlp`) finds its table and spelling too. A name
/// found in several tables goes to the first of scenario, gap, service, option.
fn table_of(field: &str) -> Option<(&'static str, &'static str)> {
    let tables: [(&str, &[&str]); 6] = [
        ("scenario", fields_of::<RawScenario>()),
        ("gap", fields_of::<RawGap>()),
        ("service[ID]", fields_of::<RawService>()),
        ("service[ID].budget", fields_of::<RawBudget>()),
        ("service[ID].option[ID]", fields_of::<RawOption>()),
        ("service[ID].option[ID].risk", fields_of::<RawRisk>()),
    ];
    let exact = tables
        .iter()
        .find_map(|(table, fields)| fields.iter().find(|f| **f == field).map(|f| (*table, *f)));
    exact.or_else(|| {
        tables
            .iter()
            .find_map(|(table, fields)| closest(field, fields).map(|f| (*table, f)))
    })
}

fn empty_scenario() -> RawScenario {
    RawScenario {
        name: None,
        base_year: None,
        horizon: None,
        unit: None,
        overlap: None,
        discount_rate: None,
        mtfp_period: None,
        extends: None,
        distribution: None,
        optimism_bias: None,
        source: None,
    }
}

/// The next step as a field name.
fn field_step<'s>(path: &str, rest: &'s [Step]) -> Result<(&'s str, &'s [Step])> {
    match rest {
        [Step::Key(k), rest @ ..] => Ok((k.as_str(), rest)),
        [] => Err(EditError {
            path: path.to_string(),
            message: "the path stops at a table; name one of its fields".into(),
            help: None,
        }),
        [step, ..] => Err(EditError {
            path: path.to_string(),
            message: format!(
                "expected a field name, found {}",
                FieldPath(vec![step.clone()])
            ),
            help: None,
        }),
    }
}

fn set_in_scenario(
    s: &mut RawScenario,
    path: &str,
    rest: &[Step],
    value: RawValue,
) -> Result<String> {
    let (field, rest) = field_step(path, rest)?;
    let slot = match field {
        "name" => &mut s.name,
        "base_year" => &mut s.base_year,
        "horizon" => &mut s.horizon,
        "unit" => &mut s.unit,
        "overlap" => &mut s.overlap,
        "discount_rate" => &mut s.discount_rate,
        "mtfp_period" => &mut s.mtfp_period,
        "distribution" => &mut s.distribution,
        "source" => &mut s.source,
        "optimism_bias" => {
            return set_in_bias(
                &mut s.optimism_bias,
                &format!("{path}.optimism_bias"),
                rest,
                value,
            );
        }
        "extends" => {
            return Err(EditError {
                path: format!("{path}.extends"),
                message: "extends cannot be set from the command line".into(),
                help: Some("name the scenario to extend in the file".into()),
            });
        }
        other => return Err(unknown(path, "field", other, fields_of::<RawScenario>())),
    };
    set_in_value(slot, &format!("{path}.{field}"), rest, value)
}

fn set_in_service(
    s: &mut RawService,
    path: &str,
    rest: &[Step],
    value: RawValue,
) -> Result<String> {
    let (field, rest) = field_step(path, rest)?;
    let slot = match field {
        "id" => &mut s.id,
        "name" => &mut s.name,
        "planned" => &mut s.planned,
        "choose" => &mut s.choose,
        "deferred" => &mut s.deferred,
        "source" => &mut s.source,
        "budget" => {
            let at = value.at.clone();
            let budget = s.budget.get_or_insert(Located {
                value: RawBudget {
                    gross: None,
                    net: None,
                },
                at,
            });
            let path = format!("{path}.budget");
            let (field, rest) = field_step(&path, rest)?;
            let slot = match field {
                "gross" => &mut budget.value.gross,
                "net" => &mut budget.value.net,
                other => return Err(unknown(&path, "field", other, fields_of::<RawBudget>())),
            };
            return set_in_value(slot, &format!("{path}.{field}"), rest, value);
        }
        "option" => {
            let Some(selector) = rest.first() else {
                return Err(EditError {
                    path: format!("{path}.option"),
                    message: "name one option: option[ID].FIELD".into(),
                    help: None,
                });
            };
            let option = find_option(s, path, selector)?;
            let label = format!("{path}.option[{}]", option_label(option));
            return set_in_option(&mut option.value, &label, &rest[1..], value);
        }
        "remove" => {
            return Err(EditError {
                path: format!("{path}.remove"),
                message: "remove cannot be set from the command line".into(),
                help: Some("use --defer SERVICE to treat a service as deferred".into()),
            });
        }
        other => return Err(unknown(path, "field", other, fields_of::<RawService>())),
    };
    set_in_value(slot, &format!("{path}.{field}"), rest, value)
}

fn set_in_option(o: &mut RawOption, path: &str, rest: &[Step], value: RawValue) -> Result<String> {
    let (field, rest) = field_step(path, rest)?;
    let slot = match field {
        "id" => &mut o.id,
        "name" => &mut o.name,
        "preferred" => &mut o.preferred,
        "saving" => &mut o.saving,
        "start" => &mut o.start,
        "ramp" => &mut o.ramp,
        "one_off_cost" => &mut o.one_off_cost,
        "group" => &mut o.group,
        "distribution" => &mut o.distribution,
        "source" => &mut o.source,
        "optimism_bias" => {
            return set_in_bias(
                &mut o.optimism_bias,
                &format!("{path}.optimism_bias"),
                rest,
                value,
            );
        }
        "risk" => {
            let at = value.at.clone();
            let risk = o.risk.get_or_insert(Located {
                value: RawRisk {
                    fail: None,
                    slip_months: None,
                },
                at,
            });
            let path = format!("{path}.risk");
            let (field, rest) = field_step(&path, rest)?;
            let slot = match field {
                "fail" => &mut risk.value.fail,
                "slip_months" => &mut risk.value.slip_months,
                other => return Err(unknown(&path, "field", other, fields_of::<RawRisk>())),
            };
            return set_in_value(slot, &format!("{path}.{field}"), rest, value);
        }
        "remove" => {
            return Err(EditError {
                path: format!("{path}.remove"),
                message: "remove cannot be set from the command line".into(),
                help: None,
            });
        }
        other => return Err(unknown(path, "field", other, fields_of::<RawOption>())),
    };
    set_in_value(slot, &format!("{path}.{field}"), rest, value)
}

/// Sets a field of an `optimism_bias` table (created if absent).
fn set_in_bias(
    slot: &mut Option<Located<RawBias>>,
    path: &str,
    rest: &[Step],
    value: RawValue,
) -> Result<String> {
    let at = value.at.clone();
    let bias = slot.get_or_insert(Located {
        value: RawBias {
            saving: None,
            cost: None,
            delay_months: None,
        },
        at,
    });
    let (field, rest) = field_step(path, rest)?;
    let slot = match field {
        "saving" => &mut bias.value.saving,
        "cost" => &mut bias.value.cost,
        "delay_months" => &mut bias.value.delay_months,
        other => return Err(unknown(path, "field", other, fields_of::<RawBias>())),
    };
    set_in_value(slot, &format!("{path}.{field}"), rest, value)
}

/// Lays the bias fields `child` gives over `parent`'s.
fn overlay_bias(parent: &mut Option<Located<RawBias>>, child: Option<Located<RawBias>>) {
    let Some(child) = child else { return };
    match parent {
        Some(p) => {
            replace(&mut p.value.saving, child.value.saving);
            replace(&mut p.value.cost, child.value.cost);
            replace(&mut p.value.delay_months, child.value.delay_months);
        }
        None => *parent = Some(child),
    }
}

/// Sets `value` at `rest` inside a value: a key of a table (created if absent) or a
/// position in an array. Returns the path of the field set.
fn set_in_value(
    slot: &mut Option<RawValue>,
    path: &str,
    rest: &[Step],
    value: RawValue,
) -> Result<String> {
    let Some((step, rest)) = rest.split_first() else {
        *slot = Some(value);
        return Ok(path.to_string());
    };
    let at = value.at.clone();
    let current = slot.get_or_insert_with(|| RawValue {
        kind: RawKind::Table(Vec::new()),
        at: at.clone(),
    });
    match step {
        Step::Key(key) => {
            // One case of a single figure: spread the figure over the three cases first.
            if let RawKind::Number { .. } = current.kind
                && ["low", "central", "high"].contains(&key.as_str())
            {
                let figure = current.clone();
                current.kind = RawKind::Table(
                    ["low", "central", "high"]
                        .into_iter()
                        .map(|k| {
                            (
                                Located {
                                    value: k.to_string(),
                                    at: figure.at.clone(),
                                },
                                figure.clone(),
                            )
                        })
                        .collect(),
                );
            }
            let RawKind::Table(entries) = &mut current.kind else {
                return Err(EditError {
                    path: path.to_string(),
                    message: format!(
                        "is {}, not a table, so it has no field `{key}`",
                        current.kind.describe()
                    ),
                    help: None,
                });
            };
            let child_path = format!("{path}.{}", super::locate::path_key(key));
            match entries.iter_mut().find(|(k, _)| &k.value == key) {
                Some((_, existing)) => {
                    let mut slot = Some(existing.clone());
                    let set = set_in_value(&mut slot, &child_path, rest, value)?;
                    if let Some(updated) = slot {
                        *existing = updated;
                    }
                    Ok(set)
                }
                None => {
                    let mut slot = None;
                    let set = set_in_value(&mut slot, &child_path, rest, value)?;
                    if let Some(new) = slot {
                        entries.push((
                            Located {
                                value: key.clone(),
                                at,
                            },
                            new,
                        ));
                    }
                    Ok(set)
                }
            }
        }
        Step::Position(n) => {
            let RawKind::Array(items) = &mut current.kind else {
                return Err(EditError {
                    path: path.to_string(),
                    message: format!(
                        "is {}, not an array, so it has no [#{n}]",
                        current.kind.describe()
                    ),
                    help: None,
                });
            };
            let count = items.len();
            let Some(item) = items.get_mut(n - 1) else {
                return Err(EditError {
                    path: format!("{path}[#{n}]"),
                    message: format!("the array has {count} item(s)"),
                    help: None,
                });
            };
            let mut slot = Some(item.clone());
            let set = set_in_value(&mut slot, &format!("{path}[#{n}]"), rest, value)?;
            if let Some(updated) = slot {
                *item = updated;
            }
            Ok(set)
        }
        Step::Id(id) => Err(EditError {
            path: path.to_string(),
            message: format!("[{id}] selects a service or option; this field has no ids"),
            help: None,
        }),
    }
}

fn string_of(value: &Option<RawValue>) -> Option<&str> {
    match value.as_ref().map(|v| &v.kind) {
        Some(RawKind::String(s)) => Some(s),
        _ => None,
    }
}

fn service_label(service: &Located<RawService>) -> String {
    string_of(&service.value.id).unwrap_or("?").to_string()
}

fn option_label(option: &Located<RawOption>) -> String {
    string_of(&option.value.id).unwrap_or("?").to_string()
}

/// The service a selector names: `[legal]` or `[#3]`.
pub fn find_service<'r>(
    raw: &'r mut RawFile,
    selector: &Step,
) -> Result<&'r mut Located<RawService>> {
    let ids: Vec<String> = raw.service.iter().map(service_label).collect();
    let index = match selector {
        Step::Id(id) => ids.iter().position(|s| s == id),
        Step::Position(n) => (*n <= ids.len()).then(|| n - 1),
        Step::Key(k) => {
            return Err(EditError {
                path: "service".into(),
                message: format!("expected service[ID], found service.{k}"),
                help: None,
            });
        }
    };
    match index {
        Some(i) => Ok(&mut raw.service[i]),
        None => {
            let found = match selector {
                Step::Id(id) => id.clone(),
                _ => FieldPath(vec![selector.clone()]).to_string(),
            };
            let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
            Err(unknown("service", "service", &found, &refs))
        }
    }
}

fn find_option<'s>(
    service: &'s mut RawService,
    path: &str,
    selector: &Step,
) -> Result<&'s mut Located<RawOption>> {
    let ids: Vec<String> = service.option.iter().map(option_label).collect();
    let index = match selector {
        Step::Id(id) => ids.iter().position(|s| s == id),
        Step::Position(n) => (*n <= ids.len()).then(|| n - 1),
        Step::Key(k) => {
            return Err(EditError {
                path: format!("{path}.option"),
                message: format!("expected option[ID], found option.{k}"),
                help: None,
            });
        }
    };
    match index {
        Some(i) => Ok(&mut service.option[i]),
        None => {
            let found = match selector {
                Step::Id(id) => id.clone(),
                _ => FieldPath(vec![selector.clone()]).to_string(),
            };
            let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
            Err(unknown(&format!("{path}.option"), "option", &found, &refs))
        }
    }
}

/// `--option SERVICE=OPTION`: take `OPTION` forward for `SERVICE` (as `choose` would), even
/// where the file defers the service.
pub fn choose(raw: &mut RawFile, service_id: &str, option_id: &str, at: Loc) -> Result<()> {
    let service = find_service(raw, &Step::Id(service_id.to_string()))?;
    let path = format!("service[{service_id}]");
    find_option(&mut service.value, &path, &Step::Id(option_id.to_string()))?;
    service.value.deferred = None;
    service.value.choose = Some(RawValue {
        kind: RawKind::String(option_id.to_string()),
        at,
    });
    Ok(())
}

/// `--defer SERVICE`: treat the service as deferred (no option taken forward), as meant
/// (`deferred = true`).
pub fn defer(raw: &mut RawFile, service_id: &str, at: Loc) -> Result<()> {
    let service = find_service(raw, &Step::Id(service_id.to_string()))?;
    service.value.choose = None;
    service.value.deferred = Some(RawValue {
        kind: RawKind::Bool(true),
        at: at.clone(),
    });
    for option in &mut service.value.option {
        if option.value.preferred.is_some() {
            option.value.preferred = Some(RawValue {
                kind: RawKind::Bool(false),
                at: at.clone(),
            });
        }
    }
    Ok(())
}

/// Lays `child` over `parent` (docs/model.md section 7, `extends`): scenario and gap fields the
/// child gives replace the parent's; services and options are matched by `id`, their fields
/// replaced one by one (a budget or risk field by field), new ones added after the parent's,
/// and `remove = true` drops one. Returns where a `remove` names nothing in the parent.
pub fn overlay(parent: &mut RawFile, child: RawFile) -> Result<()> {
    if let Some(child_scenario) = child.scenario {
        match &mut parent.scenario {
            Some(p) => {
                let c = child_scenario.value;
                let p = &mut p.value;
                replace(&mut p.name, c.name);
                replace(&mut p.base_year, c.base_year);
                replace(&mut p.horizon, c.horizon);
                replace(&mut p.unit, c.unit);
                replace(&mut p.overlap, c.overlap);
                replace(&mut p.discount_rate, c.discount_rate);
                replace(&mut p.mtfp_period, c.mtfp_period);
                replace(&mut p.distribution, c.distribution);
                replace(&mut p.source, c.source);
                overlay_bias(&mut p.optimism_bias, c.optimism_bias);
            }
            None => parent.scenario = Some(child_scenario),
        }
    }
    if let Some(child_gap) = child.gap {
        match &mut parent.gap {
            Some(p) => {
                replace(&mut p.value.required, child_gap.value.required);
                replace(&mut p.value.unidentified, child_gap.value.unidentified);
                replace(&mut p.value.source, child_gap.value.source);
            }
            None => parent.gap = Some(child_gap),
        }
    }
    for service in child.service {
        let id = service_label(&service);
        let existing = parent.service.iter().position(|s| service_label(s) == id);
        let removing = is_true(&service.value.remove);
        match (existing, removing) {
            (Some(i), true) => {
                parent.service.remove(i);
            }
            (None, true) => {
                return Err(EditError {
                    path: format!("service[{id}].remove"),
                    message: format!("the scenario extended has no service {id:?} to remove"),
                    help: None,
                });
            }
            (Some(i), false) => overlay_service(&mut parent.service[i].value, service.value)?,
            (None, false) => parent.service.push(service),
        }
    }
    Ok(())
}

fn overlay_service(parent: &mut RawService, child: RawService) -> Result<()> {
    let service_id = string_of(&parent.id).unwrap_or("?").to_string();
    replace(&mut parent.name, child.name);
    replace(&mut parent.planned, child.planned);
    replace(&mut parent.choose, child.choose);
    replace(&mut parent.deferred, child.deferred);
    replace(&mut parent.source, child.source);
    if let Some(budget) = child.budget {
        match &mut parent.budget {
            Some(p) => {
                replace(&mut p.value.gross, budget.value.gross);
                replace(&mut p.value.net, budget.value.net);
            }
            None => parent.budget = Some(budget),
        }
    }
    for option in child.option {
        let id = option_label(&option);
        let existing = parent.option.iter().position(|o| option_label(o) == id);
        let removing = is_true(&option.value.remove);
        match (existing, removing) {
            (Some(i), true) => {
                parent.option.remove(i);
            }
            (None, true) => {
                return Err(EditError {
                    path: format!("service[{service_id}].option[{id}].remove"),
                    message: format!(
                        "service {service_id:?} of the scenario extended has no option {id:?} to remove"
                    ),
                    help: None,
                });
            }
            (Some(i), false) => overlay_option(&mut parent.option[i].value, option.value),
            (None, false) => parent.option.push(option),
        }
    }
    Ok(())
}

fn overlay_option(parent: &mut RawOption, child: RawOption) {
    replace(&mut parent.name, child.name);
    replace(&mut parent.preferred, child.preferred);
    replace(&mut parent.saving, child.saving);
    replace(&mut parent.start, child.start);
    replace(&mut parent.ramp, child.ramp);
    replace(&mut parent.one_off_cost, child.one_off_cost);
    replace(&mut parent.group, child.group);
    replace(&mut parent.distribution, child.distribution);
    replace(&mut parent.source, child.source);
    overlay_bias(&mut parent.optimism_bias, child.optimism_bias);
    if let Some(risk) = child.risk {
        match &mut parent.risk {
            Some(p) => {
                replace(&mut p.value.fail, risk.value.fail);
                replace(&mut p.value.slip_months, risk.value.slip_months);
            }
            None => parent.risk = Some(risk),
        }
    }
}

fn replace(slot: &mut Option<RawValue>, value: Option<RawValue>) {
    if value.is_some() {
        *slot = value;
    }
}

fn is_true(value: &Option<RawValue>) -> bool {
    matches!(value.as_ref().map(|v| &v.kind), Some(RawKind::Bool(true)))
}

#[cfg(test)]
mod tests {
    type TestResult = std::result::Result<(), Box<dyn std::error::Error>>;

    use super::*;

    #[test]
    fn a_set_names_the_field_it_changed_however_the_path_was_spelt() -> TestResult {
        let text = "[scenario]\nbase_year = '2014/15'\n[[service]]\nid = 'legal'\n[[service.option]]\nid = 'abs'\nsaving = 1\nramp = [0.5, 1]\n";
        let value = || RawValue {
            kind: RawKind::Bool(true),
            at: Loc::default(),
        };
        for (typed, canonical) in [
            (
                "service[legal].option[abs].saving.central",
                "service[legal].option[abs].saving.central",
            ),
            (
                "\"service\"[legal].option[abs].saving",
                "service[legal].option[abs].saving",
            ),
            (
                "service[#1].option[#1].\"saving\".\"central\"",
                "service[legal].option[abs].saving.central",
            ),
            (
                "service[#1].option[abs].ramp[#2]",
                "service[legal].option[abs].ramp[#2]",
            ),
            ("\"scenario\".\"overlap\"", "scenario.overlap"),
            (
                "gap.unidentified.\"2015/16\"",
                "gap.unidentified.\"2015/16\"",
            ),
        ] {
            let mut raw = super::super::raw::parse(super::super::raw::SourceId(0), &text.into())?;
            let set = set(&mut raw, &FieldPath::parse(typed)?, value()).map_err(|e| e.message)?;
            assert_eq!(set, canonical, "{typed}");
        }
        Ok(())
    }

    #[test]
    fn paths_read_as_messages_print_them() -> TestResult {
        let path = FieldPath::parse("service[legal].option[abs-partner].saving.central")?;
        assert_eq!(
            path.0,
            vec![
                Step::Key("service".into()),
                Step::Id("legal".into()),
                Step::Key("option".into()),
                Step::Id("abs-partner".into()),
                Step::Key("saving".into()),
                Step::Key("central".into()),
            ]
        );
        assert_eq!(
            path.to_string(),
            "service[legal].option[abs-partner].saving.central"
        );
        let planned = FieldPath::parse("service[#2].planned.\"2015/16\"")?;
        assert_eq!(planned.0[1], Step::Position(2));
        assert_eq!(planned.0[3], Step::Key("2015/16".into()));
        assert_eq!(planned.to_string(), "service[#2].planned.\"2015/16\"");
        assert_eq!(
            FieldPath::parse("scenario.mtfp_period[#1]")?.0[2],
            Step::Position(1)
        );
        for bad in ["", "a..b", "a[", "a[]", "a[#0]", "\"a", "a]b"] {
            assert!(FieldPath::parse(bad).is_err(), "{bad}");
        }
        Ok(())
    }
}
