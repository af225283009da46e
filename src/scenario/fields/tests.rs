//! Tests of the registry of scenario fields: it and the raw structs list the same fields,
//! every slot reaches its own field, and every path pattern reads back and sets on the
//! built-in scenario.

type TestResult = Result<(), Box<dyn std::error::Error>>;

use std::sync::Arc;

use serde::Deserialize;

use super::*;
use crate::scenario::edit::set;
use crate::scenario::raw::{Loc, RawKind, SourceId, fields_of, parse, parse_value};
use crate::scenario::{BUILTIN_TEXT, closest};

/// The registry's names for a table against serde's for its struct.
fn same_names<T: for<'de> Deserialize<'de>>(table: &Table<T>) -> Result<(), String> {
    let registry = table.names();
    let serde = fields_of::<T>();
    if registry == serde {
        Ok(())
    } else {
        Err(format!(
            "{}: the registry lists {registry:?}, the struct has {serde:?}",
            std::any::type_name::<T>()
        ))
    }
}

#[test]
fn every_raw_field_has_an_entry_and_every_entry_a_raw_field() -> Result<(), String> {
    // Same names, same order (the order of "valid here" lists).
    same_names(&FILE)?;
    same_names(&SCENARIO)?;
    same_names(&BIAS)?;
    same_names(&GAP)?;
    same_names(&SERVICE)?;
    same_names(&BUDGET)?;
    same_names(&PLAN_BUDGET)?;
    same_names(&GAP_LINE)?;
    same_names(&TRACKING)?;
    same_names(&OPTION)?;
    same_names(&RISK)
}

/// Each slot of `table` reaches the struct field of its own name, and no other.
fn slots_reach_their_own_field<T: Default + std::fmt::Debug>(table: &Table<T>) {
    let at = Loc::default();
    let v = || {
        Some(RawValue {
            kind: RawKind::Bool(true),
            at: Loc::default(),
        })
    };
    for field in table.fields {
        let mut t = T::default();
        match &field.slot {
            Slot::Value(slot) | Slot::Id(slot) | Slot::FileOnly { slot, .. } => *slot(&mut t) = v(),
            Slot::Scenario(slot) => {
                *slot(&mut t) = Some(Located {
                    value: RawScenario::default(),
                    at: at.clone(),
                })
            }
            Slot::Gap(slot) => {
                *slot(&mut t) = Some(Located {
                    value: RawGap::default(),
                    at: at.clone(),
                })
            }
            Slot::Budget(slot) => {
                *slot(&mut t) = Some(Located {
                    value: RawBudget::default(),
                    at: at.clone(),
                })
            }
            Slot::PlanBudget(slot) => {
                *slot(&mut t) = Some(Located {
                    value: RawPlanBudget::default(),
                    at: at.clone(),
                })
            }
            Slot::GapLines(slot) => slot(&mut t).push(Located {
                value: RawGapLine::default(),
                at: at.clone(),
            }),
            Slot::Risk(slot) => {
                *slot(&mut t) = Some(Located {
                    value: RawRisk::default(),
                    at: at.clone(),
                })
            }
            Slot::Bias(slot) => {
                *slot(&mut t) = Some(Located {
                    value: RawBias::default(),
                    at: at.clone(),
                })
            }
            Slot::Tracking(slot) => {
                *slot(&mut t) = Some(Located {
                    value: RawTracking::default(),
                    at: at.clone(),
                })
            }
            Slot::Services(slot) => slot(&mut t).push(Located {
                value: RawService::default(),
                at: at.clone(),
            }),
            Slot::Options(slot) => slot(&mut t).push(Located {
                value: RawOption::default(),
                at: at.clone(),
            }),
        }
        let shown = format!("{t:?}");
        let name = field.info.name;
        let filled = shown.matches(": Some(").count() + shown.matches(": [Located").count();
        assert_eq!(filled, 1, "{name}: {shown}");
        assert!(
            shown.contains(&format!("{name}: Some("))
                || shown.contains(&format!("{name}: [Located")),
            "{name}: {shown}"
        );
    }
}

#[test]
fn every_slot_reaches_its_own_field() {
    slots_reach_their_own_field(&FILE);
    slots_reach_their_own_field(&SCENARIO);
    slots_reach_their_own_field(&BIAS);
    slots_reach_their_own_field(&GAP);
    slots_reach_their_own_field(&SERVICE);
    slots_reach_their_own_field(&BUDGET);
    slots_reach_their_own_field(&PLAN_BUDGET);
    slots_reach_their_own_field(&GAP_LINE);
    slots_reach_their_own_field(&OPTION);
    slots_reach_their_own_field(&RISK);
}

#[test]
fn every_entry_says_what_it_is() {
    let entries = entries();
    assert!(entries.len() > 50, "{}", entries.len());
    for entry in &entries {
        assert!(!entry.info.help.is_empty(), "{}", entry.path);
        assert!(!entry.info.help.ends_with('.'), "{}", entry.path);
    }
    let paths: Vec<&str> = entries.iter().map(|e| e.path.as_str()).collect();
    for expected in [
        "scenario.overlap",
        "scenario.optimism_bias.delay_months",
        "gap.unidentified.YEAR",
        "service[ID].budget.net",
        "service[ID].option[ID].saving.central",
        "service[ID].option[ID].saving.share_of_net.high",
        "service[ID].option[ID].ramp[#N]",
        "service[ID].option[ID].risk.slip_months[#N]",
    ] {
        assert!(paths.contains(&expected), "{expected} missing");
    }
}

/// The path of `entry` on the built-in scenario: its first service and option, a year,
/// the first item.
fn instance(entry: &Entry) -> String {
    entry
        .path
        .replacen("service[ID]", "service[property]", 1)
        .replacen("option[ID]", "option[latco]", 1)
        .replacen("pressure[ID]", "pressure[pay]", 1)
        .replacen("funding[ID]", "funding[grant]", 1)
        .replace("YEAR", "\"2015/16\"")
        .replace("[#N]", "[#1]")
}

fn value(text: &str) -> Result<RawValue, toml::de::Error> {
    parse_value(SourceId(1), &Arc::from(text))
}

#[test]
fn every_path_reads_back_and_sets_on_the_builtin_scenario() -> TestResult {
    // The built-in scenario with a pressure and a funding line for their paths to reach.
    let text =
        format!("{BUILTIN_TEXT}\n[[pressure]]\nid = \"pay\"\n\n[[funding]]\nid = \"grant\"\n");
    let builtin = parse(SourceId(0), &Arc::from(text.as_str()))?;
    for entry in entries() {
        let typed = instance(&entry);
        let path = FieldPath::parse(&typed)?;
        assert_eq!(path.to_string(), typed, "{}", entry.path);
        assert!(resolve(&path).is_some_and(|info| std::ptr::eq(info, entry.info)));
        let mut raw = builtin.clone();
        let fixed = |p: &FieldPath| -> Option<&'static str> {
            let [Step::Key(_), .., Step::Key(name)] = p.0.as_slice() else {
                return None;
            };
            (name == "extends" || name == "remove").then_some("cannot be set")
        };
        let refused = match entry.info.kind {
            _ if fixed(&path).is_some() => Some("cannot be set from the command line"),
            Kind::Tables => Some("name one"),
            Kind::Table => Some("the path stops at a table"),
            _ => None,
        };
        // An item of an array: the array first (the built-in scenario's ramps are words).
        if let Some(array) = typed.strip_suffix("[#1]") {
            let sample = match entry.info.kind {
                Kind::Year => r#"["2015/16", "2016/17"]"#,
                _ => "[0, 1]",
            };
            set(&mut raw, &FieldPath::parse(array)?, value(sample)?)
                .map_err(|e| format!("{array}: {}", e.message))?;
        }
        // One case's yearly amounts: the case must be a table of them first.
        for case in ["low", "central", "high"] {
            if let Some((saving, _)) = typed.split_once(&format!(".saving.{case}.")) {
                let profile = value("{ levels = { \"2015/16\" = 1 } }")?;
                set(
                    &mut raw,
                    &FieldPath::parse(&format!("{saving}.saving.{case}"))?,
                    profile,
                )
                .map_err(|e| e.message)?;
            }
        }
        // Amounts keep the form they are written in: a wrapper is set in a table without
        // years (the built-in scenario's tables are plain).
        for wrapper in [".levels", ".increments"] {
            if let Some((table, _)) = typed.split_once(wrapper) {
                set(&mut raw, &FieldPath::parse(table)?, value("{}")?).map_err(|e| e.message)?;
            }
        }
        let result = set(&mut raw, &path, value("1")?);
        match (refused, result) {
            (None, Ok(set)) => assert_eq!(set, typed),
            (Some(why), Err(e)) => assert!(e.message.contains(why), "{typed}: {}", e.message),
            (None, Err(e)) => panic!("{typed}: {}", e.message),
            (Some(why), Ok(_)) => panic!("{typed} was set, not refused ({why})"),
        }
    }
    Ok(())
}

#[test]
fn a_set_lands_where_the_registry_says() -> TestResult {
    let mut raw = parse(SourceId(0), &Arc::from(BUILTIN_TEXT))?;
    set(
        &mut raw,
        &FieldPath::parse("service[#2].option[jv].risk.fail")?,
        value("0.5")?,
    )
    .map_err(|e| e.message)?;
    let risk = raw.service[1].value.option[0]
        .value
        .risk
        .as_ref()
        .ok_or("no risk")?;
    let fail = risk.value.fail.as_ref().ok_or("no fail")?;
    assert!(matches!(&fail.kind, RawKind::Number { literal, .. } if literal == "0.5"));
    set(
        &mut raw,
        &FieldPath::parse("scenario.optimism_bias.delay_months")?,
        RawValue {
            kind: RawKind::Bool(true),
            at: Loc::default(),
        },
    )
    .map_err(|e| e.message)?;
    let scenario = raw.scenario.as_ref().ok_or("no scenario")?;
    let bias = scenario.value.optimism_bias.as_ref().ok_or("no bias")?;
    assert!(matches!(
        bias.value.delay_months.as_ref().map(|v| &v.kind),
        Some(RawKind::Bool(true))
    ));
    Ok(())
}

#[test]
fn paths_resolve_to_their_kind() -> TestResult {
    let kind = |p: &str| FieldPath::parse(p).map(|p| resolve(&p).map(|info| info.kind));
    assert_eq!(kind("scenario.overlap")?, Some(Kind::Share));
    assert_eq!(kind("service[#3].option[x].saving")?, Some(Kind::Saving));
    assert_eq!(
        kind("service[a].option[b].saving.low")?,
        Some(Kind::CaseAmount)
    );
    assert_eq!(
        kind("service[a].saving.central.levels.\"2026/27\"")?,
        Some(Kind::Money)
    );
    assert_eq!(
        kind("service[a].planned.increments.\"2026/27\"")?,
        Some(Kind::Money)
    );
    assert_eq!(kind("pressure[pay].amount")?, Some(Kind::Amounts));
    assert_eq!(kind("budget.reserves")?, Some(Kind::MoneyByYear));
    assert_eq!(
        kind("service[a].option[b].saving.share_of_net")?,
        Some(Kind::ShareCases)
    );
    assert_eq!(kind("gap.unidentified.\"2016/17\"")?, Some(Kind::Money));
    assert_eq!(kind("service[a].option[b].ramp[#4]")?, Some(Kind::Share));
    assert_eq!(kind("service[a].budget")?, Some(Kind::Table));
    for none in [
        "overlap",
        "scenario.overlp",
        "scenario.overlap.x",
        "service.name",
        "service[a].planned.start",
        "service[a].option[b].saving.middle",
        "service[a].option[b].ramp.x",
    ] {
        assert_eq!(kind(none)?, None, "{none}");
    }
    let bias = FieldPath::parse("scenario.optimism_bias.saving")?;
    let resolved = resolve(&bias).ok_or("no bias saving")?;
    assert_eq!(
        (resolved.kind, resolved.seek_kind()),
        (Kind::Share, Kind::Share)
    );
    assert_eq!(named("start").map(|i| i.kind), Some(Kind::GoLive));
    assert_eq!(named("central").map(|i| i.kind), None);
    Ok(())
}

#[test]
fn misplaced_fields_are_sent_to_their_one_home() {
    assert_eq!(
        home_of("saving"),
        Some("an option's [[service.option]] table")
    );
    assert_eq!(home_of("overlap"), Some("[scenario]"));
    assert_eq!(home_of("unidentified"), Some("[gap]"));
    assert_eq!(home_of("option"), Some("a [[service]] table"));
    assert_eq!(home_of("requirement"), Some("[budget]"));
    assert_eq!(
        home_of("amount"),
        Some("a [[pressure]] or [[funding]] line")
    );
    assert_eq!(
        home_of("slip_months"),
        Some("an option's risk = { fail, slip_months }")
    );
    assert_eq!(home_of("share_of_net"), Some("a saving = { ... }"));
    assert_eq!(home_of("central"), Some("a saving = { ... }"));
    // In several tables, in none with a home, or not suggested: no hint.
    for none in [
        "name",
        "id",
        "source",
        "distribution",
        "remove",
        "cost",
        "extends",
        "net",
        "x",
    ] {
        assert_eq!(home_of(none), None, "{none}");
    }
}

#[test]
fn homes_list_the_tables_in_file_order() {
    let tables: Vec<String> = homes().into_iter().map(|(path, _, _)| path).collect();
    assert_eq!(
        tables,
        [
            "scenario",
            "gap",
            "budget",
            "pressure[ID]",
            "funding[ID]",
            "service[ID]",
            "service[ID].budget",
            "service[ID].risk",
            "service[ID].option[ID]",
            "service[ID].option[ID].risk",
            "tracking",
        ]
    );
    assert_eq!(closest("overlp", &SCENARIO.names()), Some("overlap"));
}

#[test]
fn numbers_carry_their_range() {
    let bounds = |k: Kind| {
        k.bounds().map(|b| {
            (
                b.min.to_string(),
                b.max.to_string(),
                b.max_included,
                b.whole,
            )
        })
    };
    assert_eq!(
        bounds(Kind::Rate),
        Some(("0".into(), "1".into(), false, false))
    );
    assert_eq!(
        bounds(Kind::Years),
        Some(("1".into(), "100".into(), true, true))
    );
    assert_eq!(
        bounds(Kind::SignedMoney),
        Some(("-1000000000000".into(), "1000000000000".into(), true, false))
    );
    assert_eq!(bounds(Kind::Saving), None);
}
