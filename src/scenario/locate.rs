//! Turns errors from the TOML parser and serde into the project's messages: the field path
//! at the error's span, and wording a finance officer can act on.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::validate::closest;

/// The field path (`service[legal].option[abs].saving`) of the key or value at `target`: the
/// deepest field whose key or value covers it.
pub fn field_at(text: &str, target: &Range<usize>) -> Option<String> {
    let (table, _) = DeTable::parse_recoverable(text);
    let mut found = None;
    visit_table(table.get_ref(), "", &mut |path, key, value| {
        if contains(key, target) || contains(value, target) {
            found = Some(path.to_string());
        }
    });
    found
}

/// The span of the value of field `path` (as [`field_at`] names fields), if it is written in
/// `text`.
pub fn span_of(text: &str, path: &str) -> Option<Range<usize>> {
    let (table, _) = DeTable::parse_recoverable(text);
    let mut found = None;
    visit_table(table.get_ref(), "", &mut |candidate, _, value| {
        if found.is_none() && candidate == path {
            found = Some(value.clone());
        }
    });
    found
}

/// Every field path written in `text` with the span of its value (the first, where a path is
/// written twice), in one pass.
pub fn value_spans(text: &str) -> std::collections::HashMap<String, Range<usize>> {
    let (table, _) = DeTable::parse_recoverable(text);
    let mut found = std::collections::HashMap::new();
    visit_table(table.get_ref(), "", &mut |path, _, value| {
        found
            .entry(path.to_string())
            .or_insert_with(|| value.clone());
    });
    found
}

/// The field path of the first key named `key` written before `before`: where a duplicate
/// key's first occurrence sits, so a duplicate can be reported with its field.
pub fn field_of_earlier_key(text: &str, key: &str, before: usize) -> Option<String> {
    let (table, _) = DeTable::parse_recoverable(text);
    let mut found: Option<(usize, String)> = None;
    visit_table(table.get_ref(), "", &mut |path, key_span, _| {
        let name = path
            .rsplit('.')
            .next()
            .unwrap_or_default()
            .trim_matches('"');
        if name == key
            && key_span.start <= before
            && found.as_ref().is_none_or(|(at, _)| key_span.start > *at)
        {
            found = Some((key_span.start, path.to_string()));
        }
    });
    found.map(|(_, path)| path)
}

/// The start of the line with the most nesting (brackets, braces and dots in keys), for a
/// "nested too deeply" error the parser gives no place for.
pub fn deepest_line(text: &str) -> Range<usize> {
    let mut best = (0, 0);
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let depth = line
            .bytes()
            .filter(|b| matches!(b, b'[' | b'{' | b'.'))
            .count();
        if depth > best.0 {
            best = (depth, offset);
        }
        offset += line.len();
    }
    best.1..best.1
}

/// Whether a `[[service.option]]` (or `[service.option]`) header comes before the first
/// `[[service]]`: TOML then reads `service` as a table and the later array clashes with it.
pub fn option_before_service(text: &str) -> bool {
    let option = text.find("[service.option]");
    let service = text.find("[[service]]");
    match (option, service) {
        (Some(option), Some(service)) => option < service,
        _ => false,
    }
}

fn contains(span: &Range<usize>, target: &Range<usize>) -> bool {
    span.start <= target.start && target.end <= span.end && span.start < span.end
}

/// A key as it appears in a path: bare if TOML allows, quoted otherwise (`planned."2015/16"`).
pub fn path_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        super::diagnostic::shown(key, 40)
    } else {
        format!("\"{}\"", super::diagnostic::shown(key, 40))
    }
}

/// Receives each field's path, key span and value span.
type Visitor<'f> = dyn FnMut(&str, &Range<usize>, &Range<usize>) + 'f;

/// Calls `f(path, key span, value span)` for every field, parents before children. Elements
/// of arrays of tables are named by their `id` (`service[legal]`), others by position
/// (`ramp[#2]`).
fn visit_table(table: &DeTable<'_>, prefix: &str, f: &mut Visitor<'_>) {
    for (key, value) in table.iter() {
        let name = path_key(key.get_ref());
        let path = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}.{name}")
        };
        f(&path, &key.span(), &value.span());
        visit_value(value, &path, f, 0);
    }
}

/// Past this depth of nested arrays no scenario field lies, and paths would only grow.
const MAX_PATH_DEPTH: usize = 4;

fn visit_value(value: &Spanned<DeValue<'_>>, path: &str, f: &mut Visitor<'_>, depth: usize) {
    if depth > MAX_PATH_DEPTH {
        return;
    }
    match value.get_ref() {
        DeValue::Table(table) => visit_table(table, path, f),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let id = match item.get_ref() {
                    DeValue::Table(t) => t
                        .iter()
                        .find(|(k, _)| k.get_ref() == "id")
                        .and_then(|(_, v)| v.get_ref().as_str().map(str::to_string)),
                    _ => None,
                };
                let label = match id {
                    Some(id) => format!("{path}[{id}]"),
                    None => format!("{path}[#{}]", i + 1),
                };
                let span = item.span();
                f(&label, &span, &span);
                visit_value(item, &label, f, depth + 1);
            }
        }
        _ => {}
    }
}

/// Rewrites a parser or serde message (with `found`, the text at its span) into the
/// project's wording, with help where there is something to suggest.
pub fn explain(message: &str, found: &str) -> (String, Option<String>) {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let valid: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let mut text = format!("unknown field `{}`", super::diagnostic::shown(field, 60));
        if let Some(close) = closest(field, &valid) {
            text.push_str(&format!("; did you mean `{close}`?"));
        }
        let mut help = if valid.is_empty() {
            "this table takes no fields".to_string()
        } else {
            format!("valid fields here: {}", valid.join(", "))
        };
        if let Some(home) = home_of(field).filter(|_| !valid.contains(&field)) {
            let field = super::diagnostic::shown(field, 60);
            text.push_str(&format!("; `{field}` belongs in {home}"));
            help = format!("move it there; {help}");
        }
        return (text, Some(help));
    }
    if message.starts_with("duplicate key") {
        let found = super::diagnostic::shown(found, 60);
        return (
            format!("`{found}` is given twice; each key may appear only once in a table"),
            Some("remove one of them (a later value does not replace an earlier one)".to_string()),
        );
    }
    if message.contains("$__toml_private_datetime") {
        return (
            format!("found the TOML date or time {}; no field of a scenario takes one", super::diagnostic::shown(found, 40)),
            Some("write years as \"2015/16\" and months as \"2015-10\", in quotes; figures as plain numbers".to_string()),
        );
    }
    if message.contains("number overflowed") {
        return (
            format!(
                "the number {} is too large to hold",
                super::diagnostic::shown(found, 40)
            ),
            Some(format!(
                "figures are plain decimals up to {}",
                super::MAX_FIGURE
            )),
        );
    }
    if message.contains("recurse") || message.contains("recursion") {
        return (
            "arrays or tables are nested too deeply".to_string(),
            Some("no field of a scenario nests more than three levels".to_string()),
        );
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (got, wanted) = rest
            .split_once(", expected ")
            .unwrap_or((rest, "something else"));
        let wanted = if wanted.starts_with("struct Raw") || wanted == "a map" {
            "a table".to_string()
        } else if wanted == "a sequence" {
            "an array of tables, written [[...]] once for each".to_string()
        } else {
            wanted.to_string()
        };
        let got = match got {
            "map" => "a table".to_string(),
            "sequence" => "an array".to_string(),
            other => other.to_string(),
        };
        return (format!("expected {wanted}, found {got}"), None);
    }
    // TOML syntax errors: one line, as the parser worded it.
    let one_line = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    (format!("invalid TOML: {one_line}"), None)
}

/// Where a field of the format lives, for "`saving` belongs in [[service.option]]".
fn home_of(field: &str) -> Option<&'static str> {
    match field {
        "name" => None,
        "base_year" | "horizon" | "unit" | "overlap" | "discount_rate" | "mtfp_period" => {
            Some("[scenario]")
        }
        "required" | "unidentified" => Some("[gap]"),
        "budget" | "planned" | "choose" | "deferred" | "option" => Some("a [[service]] table"),
        "preferred" | "saving" | "start" | "ramp" | "one_off_cost" | "risk" | "group" => {
            Some("an option's [[service.option]] table")
        }
        "gross" | "net" => Some("a service's budget = { gross, net }"),
        "fail" | "slip_months" => Some("an option's risk = { fail, slip_months }"),
        "low" | "central" | "high" | "share_of_net" => Some("a saving = { ... }"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    type TestResult = Result<(), Box<dyn std::error::Error>>;

    use super::*;

    fn at(text: &str, needle: &str) -> Option<String> {
        let start = text.find(needle)?;
        field_at(text, &(start..start + needle.len()))
    }

    #[test]
    fn paths_name_services_and_options_by_id() -> TestResult {
        let text = "[scenario]\nbase_year = '2014/15'\n[[service]]\nid = 'legal'\n[[service.option]]\nid = 'abs'\nsavng = 1\n";
        assert_eq!(
            at(text, "savng").as_deref(),
            Some("service[legal].option[abs].savng")
        );
        assert_eq!(at(text, "'2014/15'").as_deref(), Some("scenario.base_year"));
        Ok(())
    }

    #[test]
    fn paths_count_positions_when_there_is_no_id() -> TestResult {
        let text = "[[service]]\nid = 'a'\n[[service]]\nname = 'b'\nx = 1\n";
        assert_eq!(at(text, "x").as_deref(), Some("service[#2].x"));
        Ok(())
    }

    #[test]
    fn year_keys_are_quoted() -> TestResult {
        let text = "[[service]]\nid = 'a'\nplanned = { \"2015/16\" = 'x' }\n";
        assert_eq!(
            at(text, "'x'").as_deref(),
            Some("service[a].planned.\"2015/16\"")
        );
        Ok(())
    }

    #[test]
    fn unknown_fields_suggest_the_closest() -> TestResult {
        let (text, help) = explain(
            "unknown field `savng`, expected one of `id`, `saving`, `start`",
            "savng",
        );
        assert_eq!(text, "unknown field `savng`; did you mean `saving`?");
        assert_eq!(
            help.ok_or("no help")?,
            "valid fields here: id, saving, start"
        );
        Ok(())
    }
}
