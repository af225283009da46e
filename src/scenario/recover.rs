//! Going on after a problem with a file's shape (an unknown or misspelt field, a value of the
//! wrong kind), so that one run reports each of them: the statement at fault is blanked out
//! (its bytes turned to spaces, line breaks kept, so every later line and column stays where
//! it was) and the text is read again. A TOML syntax error is not recovered from: the
//! document cannot be read past it.

use std::ops::Range;

use toml_edit::{Item, Table, Value};

/// `text` with the `key = value` statement that holds byte `at` blanked out, or `None` where
/// `text` is not valid TOML or `at` falls outside every statement (in a table header).
pub fn without_statement_at(text: &str, at: usize) -> Option<String> {
    let document = toml_edit::Document::parse(text).ok()?;
    let found = in_table(document.as_table(), at, None)?;
    let range = with_comma(text, found);
    let mut bytes = text.as_bytes().to_vec();
    for byte in bytes.get_mut(range)? {
        if *byte != b'\n' && *byte != b'\r' {
            *byte = b' ';
        }
    }
    let blanked = String::from_utf8(bytes).ok()?;
    // A statement this cannot cut out cleanly would show as a syntax error of its own.
    toml_edit::Document::parse(blanked.as_str()).ok()?;
    Some(blanked)
}

/// Where a statement was found, and whether it sits in an inline table (whose entries are
/// separated by commas).
struct Found {
    range: Range<usize>,
    inline: bool,
}

/// The statement holding `at` in `table`; `dotted` is where the dotted key a table was
/// written under starts (`risk.fail = 0.1` is one statement from `risk`).
fn in_table(table: &Table, at: usize, dotted: Option<usize>) -> Option<Found> {
    table.iter().find_map(|(name, _)| {
        let (key, item) = table.get_key_value(name)?;
        let span = key.span()?;
        let start = dotted.unwrap_or(span.start);
        match item {
            Item::Value(value) => in_statement(start..span.end, value, at, false),
            Item::Table(sub) if sub.is_dotted() => in_table(sub, at, Some(start)),
            Item::Table(sub) => in_table(sub, at, None),
            Item::ArrayOfTables(tables) => tables.iter().find_map(|t| in_table(t, at, None)),
            Item::None => None,
        }
    })
}

/// The statement `key = value` if it holds `at`: the innermost one, where the value is an
/// inline table holding it.
fn in_statement(key: Range<usize>, value: &Value, at: usize, inline: bool) -> Option<Found> {
    let end = value.span()?.end;
    if !(key.start..end).contains(&at) {
        return None;
    }
    if let Value::InlineTable(entries) = value {
        let inner = entries.iter().find_map(|(name, _)| {
            let (key, Item::Value(value)) = entries.get_key_value(name)? else {
                return None;
            };
            in_statement(key.span()?, value, at, true)
        });
        if inner.is_some() {
            return inner;
        }
    }
    Some(Found {
        range: key.start..end,
        inline,
    })
}

/// The range to blank: in an inline table, with the comma that separates it from the next
/// entry (or, for the last entry, from the one before).
fn with_comma(text: &str, found: Found) -> Range<usize> {
    let Range { start, end } = found.range;
    if !found.inline {
        return start..end;
    }
    let after = text.get(end..).unwrap_or_default();
    let gap = after.len() - after.trim_start().len();
    if after.trim_start().starts_with(',') {
        return start..end + gap + 1;
    }
    let before = text.get(..start).unwrap_or_default();
    let trimmed = before.trim_end();
    if trimmed.ends_with(',') {
        return trimmed.len() - 1..end;
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_statement_is_blanked_and_positions_kept() {
        let text = "[scenario]\noverlp = 1\nname = \"x\"\n";
        let at = text.find("overlp").unwrap_or(0);
        let blanked = without_statement_at(text, at).unwrap_or_default();
        assert_eq!(blanked, "[scenario]\n          \nname = \"x\"\n");
    }

    #[test]
    fn an_entry_of_an_inline_table_goes_with_its_comma() {
        let text = "risk = { fial = 1, slip_months = [0, 1] }\nlast = { a = 1, b = 2 }\n";
        let blanked = without_statement_at(text, text.find("fial").unwrap_or(0));
        assert_eq!(
            blanked.as_deref(),
            Some("risk = {           slip_months = [0, 1] }\nlast = { a = 1, b = 2 }\n")
        );
        let blanked = without_statement_at(text, text.find("b =").unwrap_or(0));
        assert_eq!(
            blanked.as_deref(),
            Some("risk = { fial = 1, slip_months = [0, 1] }\nlast = { a = 1        }\n")
        );
        assert!(toml_edit::Document::parse(blanked.unwrap_or_default()).is_ok());
    }

    #[test]
    fn a_dotted_key_is_one_statement() {
        let text = "[a]\nrisk.fial = 0.1\nb = 1\n";
        let blanked = without_statement_at(text, text.find("fial").unwrap_or(0));
        assert_eq!(blanked.as_deref(), Some("[a]\n               \nb = 1\n"));
    }

    #[test]
    fn a_header_or_invalid_toml_is_not_recovered_from() {
        assert_eq!(without_statement_at("[bogus]\na = 1\n", 1), None);
        assert_eq!(without_statement_at("a = \n", 0), None);
    }
}
