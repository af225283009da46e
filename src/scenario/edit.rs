//! Changes made to a scenario before validation, in the raw layer: a child scenario laid over
//! the one it `extends`, and command-line overrides (`--set PATH=VALUE`, `--option`,
//! `--defer`). Acting here means the result is validated exactly as a file would be, and every
//! value keeps the place it was written, in the parent, the child or on the command line.
//! Which fields there are, and where each lives in the raw layer, is the registry's
//! ([`super::fields`]): the walks here follow it table by table.

use std::fmt;

use super::diagnostic::shown;
use super::fields::{self, Slot, Table};
use super::locate::closest;
use super::raw::{Loc, Located, RawFile, RawGapLine, RawKind, RawOption, RawService, RawValue};
use crate::model::FinancialYear;

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
/// Which fields exist, and where each lives in the raw layer, is the registry's
/// ([`fields`]).
///
/// Returns the field set as messages print it, whatever the spelling typed: services and
/// options by `id` (`service[#1]` is `service[legal]`), keys bare where TOML allows
/// (`"scenario"."overlap"` is `scenario.overlap`). Reports match overrides on this path.
pub fn set(raw: &mut RawFile, path: &FieldPath, value: RawValue) -> Result<String> {
    match path.0.as_slice() {
        [Step::Key(k), ..] if fields::FILE.field(k).is_none() => {
            let valid_top = fields::FILE.names();
            let mut error = unknown("", "table", k, &valid_top);
            if closest(k, &valid_top).is_none()
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
        [Step::Key(_), ..] => set_in_table(raw, &fields::FILE, "", &path.0, value),
        _ => Err(EditError {
            path: path.to_string(),
            message:
                "a path starts with scenario, gap, budget, pressure[ID], funding[ID] or service[ID]"
                    .into(),
            help: None,
        }),
    }
}

/// The table a field name belongs in, as a path prefix (`scenario` for `overlap`,
/// `service[ID].option[ID]` for `saving`), and the field, for a path that names a field
/// without its table; a misspelt name (`overlp`) finds its table and spelling too. A name
/// found in several tables goes to the first of scenario, gap, service, option.
fn table_of(field: &str) -> Option<(String, &'static str)> {
    let tables: Vec<(String, Vec<&'static str>)> = fields::homes()
        .into_iter()
        .map(|(table, _, fields)| {
            // A field suggested elsewhere only where it has one home (a one-line service's
            // `saving` is an option's first).
            let names = fields.iter().filter(|f| f.hint).map(|f| f.name).collect();
            (table, names)
        })
        .collect();
    let exact = tables.iter().find_map(|(table, fields)| {
        fields
            .iter()
            .find(|f| **f == field)
            .map(|f| (table.clone(), *f))
    });
    exact.or_else(|| {
        tables
            .iter()
            .find_map(|(table, fields)| closest(field, fields).map(|f| (table.clone(), f)))
    })
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

/// `path.name`, or `name` at the top.
fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// Sets `value` at `rest` in table `t` (at `path`), reaching each field where the registry
/// says it lives.
fn set_in_table<T>(
    t: &mut T,
    table: &Table<T>,
    path: &str,
    rest: &[Step],
    value: RawValue,
) -> Result<String> {
    let (name, rest) = field_step(path, rest)?;
    let Some(field) = table.field(name) else {
        return Err(unknown(path, "field", name, &table.names()));
    };
    let here = join(path, name);
    match &field.slot {
        Slot::Value(slot) | Slot::Id(slot) => {
            set_in_value(slot(t), Some(field.info.kind), &here, rest, value)
        }
        Slot::FileOnly { message, help, .. } => Err(EditError {
            path: here,
            message: (*message).to_string(),
            help: help.map(str::to_string),
        }),
        Slot::Scenario(slot) => set_in_located(slot(t), &fields::SCENARIO, &here, rest, value),
        Slot::Gap(slot) => set_in_located(slot(t), &fields::GAP, &here, rest, value),
        Slot::PlanBudget(slot) => {
            let set = set_in_located(slot(t), &fields::PLAN_BUDGET, &here, rest, value)?;
            // `net` and `requirement` are two ways to give the budget (docs/model.md section
            // 9.5): setting one replaces the other.
            if let (Some(budget), Some(Step::Key(k))) = (slot(t).as_mut(), rest.first()) {
                match k.as_str() {
                    "net" => budget.value.requirement = None,
                    "requirement" => budget.value.net = None,
                    _ => {}
                }
            }
            Ok(set)
        }
        Slot::GapLines(slot) => {
            let (label, line) = select(slot(t), &here, name, rest.first(), line_label)?;
            let path = format!("{here}[{label}]");
            set_in_table(&mut line.value, &fields::GAP_LINE, &path, &rest[1..], value)
        }
        Slot::Budget(slot) => set_in_located(slot(t), &fields::BUDGET, &here, rest, value),
        Slot::Risk(slot) => set_in_located(slot(t), &fields::RISK, &here, rest, value),
        Slot::Bias(slot) => set_in_located(slot(t), &fields::BIAS, &here, rest, value),
        Slot::Tracking(slot) => set_in_located(slot(t), &fields::TRACKING, &here, rest, value),
        Slot::Services(slot) => {
            let (label, service) = select(slot(t), &here, name, rest.first(), service_label)?;
            let path = format!("{here}[{label}]");
            set_in_table(
                &mut service.value,
                &fields::SERVICE,
                &path,
                &rest[1..],
                value,
            )
        }
        Slot::Options(slot) => {
            let (label, option) = select(slot(t), &here, name, rest.first(), option_label)?;
            let path = format!("{here}[{label}]");
            set_in_table(&mut option.value, &fields::OPTION, &path, &rest[1..], value)
        }
    }
}

/// Sets a field of a table such as `budget` or `optimism_bias` (created if absent, where
/// the value was written).
fn set_in_located<S: Default>(
    slot: &mut Option<Located<S>>,
    table: &Table<S>,
    path: &str,
    rest: &[Step],
    value: RawValue,
) -> Result<String> {
    let at = value.at.clone();
    let located = slot.get_or_insert_with(|| Located {
        value: S::default(),
        at,
    });
    set_in_table(&mut located.value, table, path, rest, value)
}

/// Sets `value` at `rest` inside a value of `kind` (none where the registry names no part
/// there): a key of a table (created if absent) or a position in an array. Returns the path
/// of the field set.
fn set_in_value(
    slot: &mut Option<RawValue>,
    kind: Option<fields::Kind>,
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
            // One case of a single figure, or of one table of yearly amounts: spread it over
            // the three cases first (where the value has cases: a saving, a share).
            let has_cases = kind
                .and_then(|k| fields::part_of(k, step))
                .is_some_and(|part| ["low", "central", "high"].contains(&part.name));
            let single = has_cases
                && match &current.kind {
                    RawKind::Number { .. } => true,
                    RawKind::Table(entries) => entries
                        .iter()
                        .any(|(k, _)| k.value == "levels" || k.value == "increments"),
                    _ => false,
                };
            if single {
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
            form_kept(entries, path, key, rest)?;
            let child_path = format!("{path}.{}", super::locate::path_key(key));
            let child_kind = kind.and_then(|k| fields::part_of(k, step)).map(|p| p.kind);
            match entries.iter_mut().find(|(k, _)| &k.value == key) {
                Some((_, existing)) => {
                    let mut slot = Some(existing.clone());
                    let set = set_in_value(&mut slot, child_kind, &child_path, rest, value)?;
                    if let Some(updated) = slot {
                        *existing = updated;
                    }
                    Ok(set)
                }
                None => {
                    let mut slot = None;
                    let set = set_in_value(&mut slot, child_kind, &child_path, rest, value)?;
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
            let child_kind = kind.and_then(|k| fields::part_of(k, step)).map(|p| p.kind);
            let set = set_in_value(&mut slot, child_kind, &format!("{path}[#{n}]"), rest, value)?;
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

/// Amounts by year keep the form they are written in (docs/model.md section 9.1): a year is
/// set inside a `levels` or `increments` wrapper where the table has one, and a wrapper is
/// not added beside the years or cases of a table written without one. Setting `key` (then
/// `rest`) in the table `entries` at `path` is refused with the path to use instead.
fn form_kept(
    entries: &[(Located<String>, RawValue)],
    path: &str,
    key: &str,
    rest: &[Step],
) -> Result<()> {
    const WRAPPERS: [&str; 2] = ["levels", "increments"];
    let Some((first, _)) = entries.first() else {
        return Ok(());
    };
    let wrapper = entries
        .iter()
        .map(|(k, _)| k.value.as_str())
        .find(|k| WRAPPERS.contains(k));
    let below = FieldPath(rest.to_vec()).to_string();
    let year = if below.is_empty() {
        "\"2026/27\"".to_string()
    } else {
        below
    };
    let refused = |message: String, help: String| {
        Err(EditError {
            path: path.to_string(),
            message,
            help: Some(help),
        })
    };
    match (wrapper, WRAPPERS.contains(&key)) {
        (Some(w), true) if w != key => refused(
            format!("is written as {{ {w} = {{ ... }} }}, so it has no `{key}`"),
            format!(
                "set a year of it, {path}.{w}.{year}, or replace the whole field, {path}={{ {key} = {{ ... }} }}"
            ),
        ),
        (Some(w), false) if FinancialYear::parse(key).is_ok() => refused(
            format!("is written as {{ {w} = {{ ... }} }}, so its years are set inside it"),
            format!(
                "set {path}.{w}.{}",
                FieldPath(vec![Step::Key(key.to_string())])
            ),
        ),
        (None, true) => {
            let cases = ["low", "central", "high"];
            let help = if entries
                .iter()
                .all(|(k, _)| cases.contains(&k.value.as_str()))
            {
                format!(
                    "set a year of one case, {path}.central.{key}.{year}, or replace the whole field, {path}={{ {key} = {{ ... }} }}"
                )
            } else if FinancialYear::parse(&first.value).is_ok() {
                format!(
                    "set a year as the table is written, {path}.{year}, or replace the whole field, {path}={{ {key} = {{ ... }} }}"
                )
            } else {
                format!("replace the whole field, {path}={{ {key} = {{ ... }} }}")
            };
            let a = if key == "increments" { "an" } else { "a" };
            refused(
                format!("is written without {a} `{key}` wrapper, so it has no `{key}`"),
                help,
            )
        }
        _ => Ok(()),
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

fn line_label(line: &Located<RawGapLine>) -> String {
    string_of(&line.value.id).unwrap_or("?").to_string()
}

/// The service a selector names: `[legal]` or `[#3]`.
pub fn find_service<'r>(
    raw: &'r mut RawFile,
    selector: &Step,
) -> Result<&'r mut Located<RawService>> {
    select(
        &mut raw.service,
        "service",
        "service",
        Some(selector),
        service_label,
    )
    .map(|(_, service)| service)
}

/// The element of an array of tables (`what`: services, or a service's options, at `path`)
/// that a selector names, `[legal]` or `[#3]`, with its id as messages print it.
fn select<'v, S>(
    items: &'v mut [Located<S>],
    path: &str,
    what: &str,
    selector: Option<&Step>,
    label: fn(&Located<S>) -> String,
) -> Result<(String, &'v mut Located<S>)> {
    let Some(selector) = selector else {
        return Err(EditError {
            path: path.to_string(),
            message: format!("name one {what}: {what}[ID].FIELD"),
            help: None,
        });
    };
    let ids: Vec<String> = items.iter().map(label).collect();
    let index = match selector {
        Step::Id(id) => ids.iter().position(|s| s == id),
        Step::Position(n) => n.checked_sub(1).filter(|i| *i < ids.len()),
        Step::Key(k) => {
            return Err(EditError {
                path: path.to_string(),
                message: format!("expected {what}[ID], found {what}.{k}"),
                help: None,
            });
        }
    };
    match index {
        Some(i) => Ok((ids[i].clone(), &mut items[i])),
        None => {
            let found = match selector {
                Step::Id(id) => id.clone(),
                _ => FieldPath(vec![selector.clone()]).to_string(),
            };
            let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
            Err(unknown(path, what, &found, &refs))
        }
    }
}

/// `--option SERVICE=OPTION`: take `OPTION` forward for `SERVICE` (as `choose` would), even
/// where the file defers the service.
pub fn choose(raw: &mut RawFile, service_id: &str, option_id: &str, at: Loc) -> Result<()> {
    let service = find_service(raw, &Step::Id(service_id.to_string()))?;
    let path = format!("service[{service_id}].option");
    if service.value.option.is_empty() && service.value.saving.is_some() {
        return Err(EditError {
            path,
            message: format!(
                "service {service_id:?} writes its saving on itself: it is one line, with no options to choose from"
            ),
            help: None,
        });
    }
    let selector = Step::Id(option_id.to_string());
    select(
        &mut service.value.option,
        &path,
        "option",
        Some(&selector),
        option_label,
    )?;
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
    overlay_table(parent, child, &fields::FILE, "")
}

/// Lays the fields of `child` over `parent`'s, as the registry lists them; `service_id` is
/// the service whose options these are, for messages.
fn overlay_table<T>(
    parent: &mut T,
    mut child: T,
    table: &Table<T>,
    service_id: &str,
) -> Result<()> {
    for field in table.fields {
        match &field.slot {
            Slot::Value(slot) => replace(slot(parent), slot(&mut child).take()),
            // Layers are matched by id; `extends` and `remove` are acted on, not kept.
            Slot::Id(_) | Slot::FileOnly { .. } => {}
            Slot::Scenario(slot) => {
                overlay_located(slot(parent), slot(&mut child).take(), &fields::SCENARIO)?;
            }
            Slot::Gap(slot) => {
                overlay_located(slot(parent), slot(&mut child).take(), &fields::GAP)?
            }
            Slot::PlanBudget(slot) => {
                let budget = slot(&mut child).take();
                // `net` and `requirement` are two ways to give the budget (docs/model.md
                // section 9.5): the one the child gives replaces the parent's, either way.
                if let (Some(parent), Some(child)) = (slot(parent).as_mut(), &budget) {
                    if child.value.net.is_some() {
                        parent.value.requirement = None;
                    }
                    if child.value.requirement.is_some() {
                        parent.value.net = None;
                    }
                }
                overlay_located(slot(parent), budget, &fields::PLAN_BUDGET)?;
            }
            Slot::GapLines(slot) => {
                overlay_lines(
                    slot(parent),
                    std::mem::take(slot(&mut child)),
                    field.info.name,
                )?;
            }
            Slot::Budget(slot) => {
                overlay_located(slot(parent), slot(&mut child).take(), &fields::BUDGET)?;
            }
            Slot::Risk(slot) => {
                overlay_located(slot(parent), slot(&mut child).take(), &fields::RISK)?
            }
            Slot::Bias(slot) => {
                overlay_located(slot(parent), slot(&mut child).take(), &fields::BIAS)?
            }
            Slot::Tracking(slot) => {
                overlay_located(slot(parent), slot(&mut child).take(), &fields::TRACKING)?
            }
            Slot::Services(slot) => {
                overlay_services(slot(parent), std::mem::take(slot(&mut child)))?
            }
            Slot::Options(slot) => {
                overlay_options(slot(parent), std::mem::take(slot(&mut child)), service_id)?;
            }
        }
    }
    Ok(())
}

/// Lays a table such as `budget` over the parent's, field by field, or gives it to a parent
/// without one.
fn overlay_located<S>(
    parent: &mut Option<Located<S>>,
    child: Option<Located<S>>,
    table: &Table<S>,
) -> Result<()> {
    let Some(child) = child else { return Ok(()) };
    match parent {
        Some(p) => overlay_table(&mut p.value, child.value, table, ""),
        None => {
            *parent = Some(child);
            Ok(())
        }
    }
}

fn overlay_services(
    parent: &mut Vec<Located<RawService>>,
    child: Vec<Located<RawService>>,
) -> Result<()> {
    for service in child {
        let id = service_label(&service);
        let existing = parent.iter().position(|s| service_label(s) == id);
        let removing = is_true(&service.value.remove);
        match (existing, removing) {
            (Some(i), true) => {
                parent.remove(i);
            }
            (None, true) => {
                return Err(EditError {
                    path: format!("service[{id}].remove"),
                    message: format!("the scenario extended has no service {id:?} to remove"),
                    help: None,
                });
            }
            (Some(i), false) => {
                overlay_table(&mut parent[i].value, service.value, &fields::SERVICE, &id)?;
            }
            (None, false) => parent.push(service),
        }
    }
    Ok(())
}

fn overlay_options(
    parent: &mut Vec<Located<RawOption>>,
    child: Vec<Located<RawOption>>,
    service_id: &str,
) -> Result<()> {
    for option in child {
        let id = option_label(&option);
        let existing = parent.iter().position(|o| option_label(o) == id);
        let removing = is_true(&option.value.remove);
        match (existing, removing) {
            (Some(i), true) => {
                parent.remove(i);
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
            (Some(i), false) => {
                overlay_table(
                    &mut parent[i].value,
                    option.value,
                    &fields::OPTION,
                    service_id,
                )?;
            }
            (None, false) => parent.push(option),
        }
    }
    Ok(())
}

/// Lays `[[pressure]]` or `[[funding]]` lines (`table`) over the parent's, matched by id.
fn overlay_lines(
    parent: &mut Vec<Located<RawGapLine>>,
    child: Vec<Located<RawGapLine>>,
    table: &str,
) -> Result<()> {
    for line in child {
        let id = line_label(&line);
        let existing = parent.iter().position(|l| line_label(l) == id);
        match (existing, is_true(&line.value.remove)) {
            (Some(i), true) => {
                parent.remove(i);
            }
            (None, true) => {
                return Err(EditError {
                    path: format!("{table}[{id}].remove"),
                    message: format!("the scenario extended has no {table} line {id:?} to remove"),
                    help: None,
                });
            }
            (Some(i), false) => {
                overlay_table(&mut parent[i].value, line.value, &fields::GAP_LINE, "")?;
            }
            (None, false) => parent.push(line),
        }
    }
    Ok(())
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
