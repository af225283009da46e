//! Turns errors from the TOML parser and serde into the project's messages: the field path
//! at the error's span, and wording a finance officer can act on, with the closest valid name
//! ([`closest`]) and where a misplaced field belongs (from the registry, [`super::fields`]).

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

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

/// The candidate closest to `word`, if it is close enough to be a likely slip.
pub fn closest<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    // Field names and ids are short: a word far longer than any candidate is no misspelling
    // of one, and comparing a 16 MB key with each would take seconds (Jaro's window grows
    // with the longer word).
    let longest = candidates.iter().map(|c| c.len()).max().unwrap_or(0);
    if word.len() > 2 * longest + 8 {
        return None;
    }
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(word, c), *c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
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
        if let Some(home) = super::fields::home_of(field).filter(|_| !valid.contains(&field)) {
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

/// A figure written as a spreadsheet shows it, which TOML does not read, near a parser error
/// at `at`: a percentage (`50%`) or thousands separators (`4,200`). Returns the figure's span,
/// the message and the help (`write 0.5 for 50%`, `write 4200`).
pub fn figure_as_shown(text: &str, at: &Range<usize>) -> Option<(Range<usize>, String, String)> {
    let start = at.start.min(text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line = text.get(line_start..line_end)?;
    // The last figure on the line that starts at or before the error: a value, so after
    // `=` (or alone, as a --set VALUE is).
    let mut found = None;
    for (i, c) in line.char_indices() {
        if line_start + i > start {
            break;
        }
        let starts_figure = (c.is_ascii_digit() || c == '-' || c == '+')
            && line[..i]
                .trim_end()
                .chars()
                .last()
                .is_none_or(|before| before == '=');
        if starts_figure && let Some(figure) = figure_at(&line[i..]) {
            found = Some((line_start + i, figure));
        }
    }
    let (from, figure) = found?;
    let span = from..from + figure.written.len();
    let shown = super::diagnostic::shown(figure.written, 40);
    match figure.kind {
        Figure::Percent(value) => Some((
            span,
            format!("found {shown}: percentages are written as fractions"),
            format!("write {} for {shown}", crate::model::plain(value)),
        )),
        Figure::Thousands(digits) => Some((
            span,
            format!("found {shown}: numbers are written without thousands separators"),
            format!("write {digits}"),
        )),
    }
}

/// The last key of the `key = ` written just before byte `at` on its line (`gross` in
/// `budget = { gross = 4,200`, `2015/16` in `{ "2015/16" = 1,200`), for the field of a value
/// in an inline table the parser gave up on.
pub fn key_before(text: &str, at: usize) -> Option<String> {
    let before = text.get(..at)?;
    let before = before.lines().last().unwrap_or_default().trim_end();
    let before = before.strip_suffix('=')?.trim_end();
    let key = if let Some(quoted) = before.strip_suffix('"') {
        &quoted[quoted.rfind('"')? + 1..]
    } else {
        let start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .map_or(0, |i| i + 1);
        &before[start..]
    };
    (!key.is_empty()).then(|| key.to_string())
}

/// A figure written with a percent sign or thousands separators.
struct WrittenFigure<'t> {
    written: &'t str,
    kind: Figure,
}

enum Figure {
    /// `50%`, as the fraction it stands for.
    Percent(rust_decimal::Decimal),
    /// `4,200`, as it is written without the separators.
    Thousands(String),
}

/// The figure at the start of `rest`, if it is written `50%`, `-3.5%`, `4,200` or
/// `1,234,567.5` (groups of three digits) and ends there.
fn figure_at(rest: &str) -> Option<WrittenFigure<'_>> {
    let sign = usize::from(rest.starts_with(['-', '+']));
    let body = &rest[sign..];
    let digits = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let whole = digits(body);
    if whole == 0 {
        return None;
    }
    let mut end = whole;
    let mut grouped = false;
    if whole <= 3 {
        while body[end..].starts_with(',') && digits(&body[end + 1..]) == 3 {
            end += 4;
            grouped = true;
        }
    }
    if body[end..].starts_with('.') && digits(&body[end + 1..]) > 0 {
        end += 1 + digits(&body[end + 1..]);
    }
    let number = &rest[..sign + end];
    let after = &body[end..];
    let ends = |s: &str| s.is_empty() || s.starts_with([' ', '\t', '\r', ',', '}', ']', '#']);
    if !grouped && let Some(after_percent) = after.strip_prefix('%') {
        if !ends(after_percent) {
            return None;
        }
        let value = number
            .parse::<rust_decimal::Decimal>()
            .ok()?
            .checked_div(rust_decimal::Decimal::ONE_HUNDRED)?;
        return Some(WrittenFigure {
            written: &rest[..sign + end + 1],
            kind: Figure::Percent(value),
        });
    }
    if grouped && ends(after) {
        return Some(WrittenFigure {
            written: number,
            kind: Figure::Thousands(number.replace(',', "")),
        });
    }
    None
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
    fn spreadsheet_figures_are_recognised_near_the_error() -> TestResult {
        let near = |text: &str, needle: &str| {
            let at = text.find(needle).unwrap_or(text.len());
            figure_as_shown(text, &(at..at + 1))
                .map(|(span, message, help)| (text[span].to_string(), message, help))
        };
        let (figure, message, help) = near("overlap = 50%\n", "50%").ok_or("no 50%")?;
        assert_eq!(figure, "50%");
        assert_eq!(message, "found 50%: percentages are written as fractions");
        assert_eq!(help, "write 0.5 for 50%");
        assert_eq!(
            near("r = 3.5%", "3").ok_or("no 3.5%")?.2,
            "write 0.035 for 3.5%"
        );
        let (figure, _, help) = near("gross = 4,200\n", ",").ok_or("no 4,200")?;
        assert_eq!((figure.as_str(), help.as_str()), ("4,200", "write 4200"));
        // The parser stops after the figure, at the brace.
        let text = "planned = { \"2015/16\" = 1,234,567.5 }";
        assert_eq!(
            near(text, "}").ok_or("no 1,234,567.5")?.2,
            "write 1234567.5"
        );
        assert_eq!(near("4,200", ",").ok_or("no value")?.2, "write 4200");
        assert_eq!(key_before(text, 24).as_deref(), Some("2015/16"));
        assert_eq!(key_before("b = { gross = 4", 14).as_deref(), Some("gross"));
        assert_eq!(key_before("4,200", 0), None);
        for other in [
            "x = 1,20\n",
            "x = 12345,678\n",
            "x = 'a' 1,200\n",
            "x = 50%a\n",
            "x = abc\n",
        ] {
            assert!(
                near(other, "x").is_none() && near(other, ",").is_none(),
                "{other}"
            );
        }
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
