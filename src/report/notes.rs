//! Where each figure came from, so a reader can trace it to a paragraph or an assumption:
//! the comment written after the figure on its line, and the `source` field of its table (an
//! option's, else its service's; the gap's, else the scenario's). A figure set on the command
//! line says so.

use std::collections::HashMap;
use std::ops::Range;

use crate::model::Scenario;
use crate::scenario::source::Source;
use crate::scenario::{Loaded, SetField, fields, locate};

/// One figure's source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceNote {
    /// The field, as messages print it (`service[legal].option[abs-partner].saving`).
    pub field: String,
    /// The value as written, on one line.
    pub value: String,
    /// The comment on the value's line, if any.
    pub note: Option<String>,
    /// The `source` field of its table (an option's, else its service's; the gap's, else the
    /// scenario's), if any.
    pub source: Option<String>,
    /// Where it is written: `file:line`, or `command line`.
    pub at: String,
}

/// The figures of a scenario that carry a source, with the `source` field that covers each
/// when no comment does, in the order the scenario lists them. Which fields are figures is the
/// registry's ([`fields`]).
fn figures(scenario: &Scenario) -> Vec<(String, Option<&str>)> {
    let mut out = Vec::new();
    let top = scenario.source.as_deref();
    for field in fields::figures(&fields::SCENARIO) {
        out.push((format!("scenario.{field}"), top));
    }
    for field in fields::figures(&fields::GAP) {
        out.push((
            format!("gap.{field}"),
            scenario.gap.source.as_deref().or(top),
        ));
    }
    if let Some(budget) = &scenario.gap_build.budget {
        for field in fields::figures(&fields::PLAN_BUDGET) {
            out.push((format!("budget.{field}"), budget.source.as_deref().or(top)));
        }
    }
    for (table, lines) in [
        ("pressure", &scenario.gap_build.pressures),
        ("funding", &scenario.gap_build.funding),
    ] {
        for line in lines {
            for field in fields::figures(&fields::GAP_LINE) {
                out.push((
                    format!("{table}[{}].{field}", line.id),
                    line.source.as_deref().or(top),
                ));
            }
        }
    }
    for field in fields::figures(&fields::TRACKING) {
        out.push((format!("tracking.{field}"), top));
    }
    for service in &scenario.services {
        let service_source = service.source.as_deref();
        // A one-line service's option fields are written on the service (docs/model.md
        // section 9.3); another service's options have their own tables.
        for field in fields::figures(&fields::SERVICE) {
            if service.one_line || fields::OPTION.field(field).is_none() {
                out.push((format!("service[{}].{field}", service.id), service_source));
            }
        }
        for option in service.options.iter().filter(|_| !service.one_line) {
            let option_source = option.source.as_deref().or(service_source);
            for field in fields::figures(&fields::OPTION) {
                out.push((
                    format!("service[{}].option[{}].{field}", service.id, option.id),
                    option_source,
                ));
            }
        }
    }
    out
}

/// The value at `span`, on one line and at most 80 characters.
fn value_text(text: &str, span: &Range<usize>) -> String {
    let raw = text.get(span.clone()).unwrap_or("");
    let one_line = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 80 {
        let mut cut: String = one_line.chars().take(79).collect();
        cut.push('…');
        cut
    } else {
        one_line
    }
}

/// The comment after the value ending at `end`, on the same line.
fn trailing_comment(text: &str, end: usize) -> Option<String> {
    let rest = text.get(end..)?;
    let line = rest.split('\n').next().unwrap_or("").trim();
    let comment = line.strip_prefix('#')?.trim();
    (!comment.is_empty()).then(|| comment.to_string())
}

/// The last `--set` that changes `field` (or a part of it, or the table it lies in), matched
/// on the field each override resolved to, so that `service[#1]` or `"service"[legal]` count
/// as `service[legal]`.
fn override_of<'a>(set_fields: &'a [SetField], field: &str) -> Option<&'a SetField> {
    let within = |inner: &str, outer: &str| {
        inner
            .strip_prefix(outer)
            .is_some_and(|rest| rest.starts_with(['.', '[']))
    };
    set_fields
        .iter()
        .rev()
        .find(|set| set.field == field || within(&set.field, field) || within(field, &set.field))
}

/// The source notes of a loaded scenario, in the order the scenario lists its figures. A
/// figure written nowhere (left to its default) has none.
pub fn collect(loaded: &Loaded) -> Vec<SourceNote> {
    let files: Vec<_> = loaded
        .sources
        .iter()
        .filter(|s| !s.name.starts_with("--"))
        .map(|s| (s, locate::value_spans(&s.text)))
        .collect();
    type Found<'f> = (&'f Source, &'f Range<usize>);
    let find = |field: &str| -> Option<Found> {
        files
            .iter()
            .find_map(|(source, spans): &(_, HashMap<String, Range<usize>>)| {
                spans.get(field).map(|span| (*source, span))
            })
    };
    let mut notes = Vec::new();
    for (field, table_source) in figures(&loaded.scenario) {
        if let Some(set) = override_of(&loaded.set_fields, &field) {
            notes.push(SourceNote {
                value: set.value.clone(),
                field,
                note: Some(format!("set on the command line: {}", set.typed)),
                source: None,
                at: "command line".into(),
            });
            continue;
        }
        let Some((source, span)) = find(&field) else {
            continue;
        };
        notes.push(SourceNote {
            value: value_text(&source.text, span),
            note: trailing_comment(&source.text, span.end),
            source: table_source.map(str::to_string),
            at: format!(
                "{}:{}",
                source.name,
                source.line_index().line_of(span.start)
            ),
            field,
        });
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_after_the_value_is_its_note() {
        let text = "saving = 0.8   # 3.5: from the review\nstart = \"2016/17\"\n";
        let end = text.find("0.8").map_or(0, |i| i + 3);
        assert_eq!(
            trailing_comment(text, end),
            Some("3.5: from the review".into())
        );
        let end = text.find("\"2016/17\"").map_or(0, |i| i + 9);
        assert_eq!(trailing_comment(text, end), None);
    }

    #[test]
    fn the_figures_are_those_the_registry_marks() -> Result<(), Box<dyn std::error::Error>> {
        let scenario = crate::scenario::from_text("w.toml", crate::scenario::BUILTIN_TEXT)?;
        let found: Vec<String> = figures(&scenario).into_iter().map(|(f, _)| f).collect();
        let mut expected: Vec<String> = [
            "base_year",
            "horizon",
            "overlap",
            "discount_rate",
            "mtfp_period",
            "optimism_bias",
            "as_at",
        ]
        .iter()
        .map(|f| format!("scenario.{f}"))
        .chain([
            "gap.required".into(),
            "gap.unidentified".into(),
            "tracking.confidence".into(),
        ])
        .collect();
        let service = &scenario.services[0];
        expected.push(format!("service[{}].budget", service.id));
        expected.push(format!("service[{}].planned", service.id));
        for field in [
            "saving",
            "start",
            "ramp",
            "one_off_cost",
            "risk",
            "group",
            "optimism_bias",
        ] {
            expected.push(format!(
                "service[{}].option[{}].{field}",
                service.id, service.options[0].id
            ));
        }
        assert_eq!(found[..expected.len()], expected[..]);
        Ok(())
    }

    #[test]
    fn overrides_name_the_fields_they_change() {
        let set = |field: &str| SetField {
            field: field.into(),
            value: "2".into(),
            typed: format!("--set {field}=2"),
        };
        let central = [set("service[a].option[b].saving.central")];
        assert!(override_of(&central, "service[a].option[b].saving").is_some());
        assert!(override_of(&central, "service[a].option[b].start").is_none());
        assert!(override_of(&central, "service[a].option[b].sav").is_none());
        let overlap = [set("scenario.overlap")];
        assert!(override_of(&overlap, "scenario.overlap").is_some());
        let step = [set("service[a].option[b].ramp[#2]")];
        assert!(override_of(&step, "service[a].option[b].ramp").is_some());
        let risk = [set("service[a].option[b].risk")];
        assert!(override_of(&risk, "service[a].option[b].risk").is_some());
        let budget = [set("service[a].budget")];
        assert!(override_of(&budget, "service[a].budget.net").is_some());
    }
}
