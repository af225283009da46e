//! Editing a scenario's own text: the document is changed only where the scenario differs
//! from it, so untouched lines, comments and layout stay byte for byte (see [`super::write`]).

use toml_edit as te;

use super::{Fields, INDENT, Node, Result, WriteError, child_path, element_path, inline, section};
use crate::scenario::raw::RawKind;

/// Edits the document `source` until it holds `root`.
pub(super) fn edited(root: &Fields, source: &str) -> Result<String> {
    let mut doc: te::DocumentMut = source.parse().map_err(|e: te::TomlError| WriteError {
        field: None,
        message: format!(
            "the scenario's text cannot be edited: {}",
            e.message().trim()
        ),
    })?;
    let at = Place {
        path: String::new(),
        keys: Vec::new(),
        indent: String::new(),
        context: Context::Top,
    };
    sync_fields(root, doc.as_table_mut(), &at)?;
    let added = root.entries.iter().any(|(key, _)| {
        matches!(doc.get(key), Some(te::Item::Table(t))
            if t.position().is_none() && !t.is_dotted() && !t.is_implicit())
    });
    if added {
        // A table without a place prints after the one printed before it: a new section
        // goes where the fresh layout has it (a new `[gap]` before the services).
        follow_order(root, doc.as_table_mut());
    }
    let text = doc.to_string();
    // The editor ends lines with `\n`: a text whose lines all end `\r\n` keeps them.
    let breaks = source.matches('\n').count();
    Ok(if breaks > 0 && source.matches("\r\n").count() == breaks {
        let mut crlf = String::with_capacity(text.len() + breaks);
        let mut last = '\0';
        for c in text.chars() {
            if c == '\n' && last != '\r' {
                crlf.push('\r');
            }
            crlf.push(c);
            last = c;
        }
        crlf
    } else {
        text
    })
}

/// Where in the document a table being edited is.
#[derive(Clone)]
struct Place<'a> {
    /// As messages print it: `service[legal].option[abs]`.
    path: String,
    /// The keys of its header, for a new array of tables within it (`service`, `option`).
    keys: Vec<&'a str>,
    /// The indent of its fields, for a new one.
    indent: String,
    context: Context,
}

/// What kind of table is being edited, which decides how a new entry is written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    /// The top of the document: a new table is a `[section]`.
    Top,
    /// A table under a header: a new table is inline, a new array of tables has headers.
    Section,
    /// A table or array in braces: everything new is inline.
    Inline,
}

impl<'a> Place<'a> {
    /// The place of the value of `key` in this table.
    fn child(&self, key: &'a str) -> Place<'a> {
        let mut keys = self.keys.clone();
        keys.push(key);
        Place {
            path: child_path(&self.path, key),
            keys,
            indent: self.indent.clone(),
            context: self.context,
        }
    }

    /// The same table, written inline.
    fn inline(&self, path: String) -> Place<'a> {
        Place {
            path,
            keys: self.keys.clone(),
            indent: String::new(),
            context: Context::Inline,
        }
    }
}

/// Makes `table` hold `fields`: drops the keys it no longer has, edits the ones it has,
/// adds the new ones (after the others), and follows the scenario's order where the order
/// is the scenario's own.
fn sync_fields(fields: &Fields, table: &mut dyn te::TableLike, at: &Place) -> Result<()> {
    let stale: Vec<String> = table
        .iter()
        .map(|(k, _)| k.to_string())
        .filter(|k| fields.get(k).is_none())
        .collect();
    let mut reshaped = !stale.is_empty();
    for key in stale {
        table.remove(&key);
    }
    for (key, node) in &fields.entries {
        let place = at.child(key);
        match table.get_mut(key) {
            Some(te::Item::Value(value)) if at.context != Context::Inline => {
                // A value on a line of its own: its comment stays in its column.
                let old_width = bare_width(value);
                sync_value(node, value, &place)?;
                realign_comment(value, old_width);
            }
            Some(item) => sync_item(node, item, &place)?,
            None if matches!(node, Node::Tables(t) if t.is_empty()) => {}
            None => {
                reshaped = true;
                let item = new_item(node, &place)?;
                table.insert(key, item);
                if let Some(mut k) = table.key_mut(key)
                    && at.context == Context::Section
                {
                    k.leaf_decor_mut().set_prefix(at.indent.as_str());
                }
            }
        }
    }
    if fields.ordered {
        reshaped |= follow_order(fields, table);
    }
    if reshaped && at.context == Context::Inline {
        // Braces whose entries changed are spaced afresh: `{ "2016/17" = 2, "2017/18" = 3 }`.
        table.fmt();
    }
    Ok(())
}

/// Puts the keys of `table` in the order of `fields`, each keeping its formatting; says
/// whether they moved.
fn follow_order(fields: &Fields, table: &mut dyn te::TableLike) -> bool {
    let order: Vec<&str> = fields.entries.iter().map(|(k, _)| *k).collect();
    if table.iter().map(|(k, _)| k).eq(order.iter().copied()) {
        return false;
    }
    let mut taken = Vec::new();
    for key in &order {
        let Some(formatted) = table.get_key_value(key).map(|(k, _)| k.clone()) else {
            continue;
        };
        if let Some(item) = table.remove(key) {
            taken.push((formatted, item));
        }
    }
    for (key, item) in taken {
        *table.entry_format(&key).or_insert(te::Item::None) = item;
    }
    true
}

/// Makes `item` hold `node`, editing it in place where its kind allows.
fn sync_item(node: &Node, item: &mut te::Item, at: &Place) -> Result<()> {
    match (node, item) {
        (_, te::Item::Value(value)) => sync_value(node, value, at),
        (Node::Table(fields), te::Item::Table(table)) => {
            let place = Place {
                indent: indent_of(table).unwrap_or_else(|| at.indent.clone()),
                context: Context::Section,
                ..at.clone()
            };
            sync_fields(fields, table, &place)
        }
        (Node::Tables(tables), te::Item::ArrayOfTables(array)) => sync_tables(tables, array, at),
        (_, item) => {
            *item = new_item(node, at)?;
            Ok(())
        }
    }
}

/// Makes `value` hold `node`, keeping the space and comment around it.
fn sync_value(node: &Node, value: &mut te::Value, at: &Place) -> Result<()> {
    match (node, &mut *value) {
        (Node::Leaf(kind), value) if same_value(kind, value) => Ok(()),
        (Node::Array(items), te::Value::Array(array)) => sync_array(items, array, at),
        (Node::Table(fields), te::Value::InlineTable(table)) => {
            sync_fields(fields, table, &at.inline(at.path.clone()))
        }
        (Node::Tables(tables), te::Value::Array(array))
            if array.len() == tables.len() && array.iter().all(|v| v.is_inline_table()) =>
        {
            for (i, (fields, value)) in tables.iter().zip(array.iter_mut()).enumerate() {
                if let te::Value::InlineTable(table) = value {
                    sync_fields(fields, table, &at.inline(element_path(&at.path, fields, i)))?;
                }
            }
            Ok(())
        }
        (node, value) => {
            let mut new = parse_value(node, &at.path)?;
            *new.decor_mut() = value.decor().clone();
            *value = new;
            Ok(())
        }
    }
}

/// Whether a document value already holds a number, string or boolean as the scenario has it.
fn same_value(kind: &RawKind, value: &te::Value) -> bool {
    match (kind, value) {
        (RawKind::Number { literal, .. }, te::Value::Integer(n)) => n.display_repr() == *literal,
        (RawKind::Number { literal, .. }, te::Value::Float(n)) => n.display_repr() == *literal,
        (RawKind::String(s), te::Value::String(v)) => v.value() == s,
        (RawKind::Bool(b), te::Value::Boolean(v)) => v.value() == b,
        _ => false,
    }
}

/// A value as written, without the space and comment around it.
fn bare(value: &te::Value) -> String {
    value.clone().decorated("", "").to_string()
}

/// The width of a value as written, without the space and comment around it.
fn bare_width(value: &te::Value) -> usize {
    bare(value).chars().count()
}

/// Moves the comment after a rewritten value so that it starts in the same column as before
/// where the comments are aligned (as in the shipped scenarios), keeping a space before it.
fn realign_comment(value: &mut te::Value, old_width: usize) {
    let new_width = bare_width(value);
    let Some(suffix) = value.decor().suffix().and_then(|s| s.as_str()) else {
        return;
    };
    let rest = suffix.trim_start_matches(' ');
    let spaces = suffix.len() - rest.len();
    // One space is not an alignment to keep.
    if new_width == old_width || !rest.starts_with('#') || spaces < 2 {
        return;
    }
    let wanted = (spaces + old_width).saturating_sub(new_width).max(1);
    let suffix = format!("{}{rest}", " ".repeat(wanted));
    value.decor_mut().set_suffix(suffix);
}

/// Makes `array` hold `items`: elements edited in place, new ones added at the end, extra
/// ones dropped.
fn sync_array(items: &[Node], array: &mut te::Array, at: &Place) -> Result<()> {
    let original = array.len();
    for (i, node) in items.iter().enumerate() {
        let place = at.inline(format!("{}[#{}]", at.path, i + 1));
        match array.get_mut(i) {
            Some(value) => sync_value(node, value, &place)?,
            None => array.push_formatted(parse_value(node, &place.path)?),
        }
    }
    let resized = array.len() != items.len() || array.len() > original;
    while array.len() > items.len() {
        array.remove(array.len() - 1);
    }
    if resized && !bare(&te::Value::Array(array.clone())).contains('\n') {
        // An array on one line whose length changed is spaced afresh: `[0.5, 1]`.
        array.fmt();
    }
    Ok(())
}

/// Makes an array of tables hold `tables`. Each is matched to the document's table with the
/// same `id`, or else to the one in its place, so that a table keeps its comments wherever
/// it moves; a new one is laid out fresh.
fn sync_tables(tables: &[Fields], array: &mut te::ArrayOfTables, at: &Place) -> Result<()> {
    let old: Vec<te::Table> = array.iter().cloned().collect();
    let old_ids: Vec<Option<&str>> = old
        .iter()
        .map(|t| t.get("id").and_then(te::Item::as_str))
        .collect();
    let mut used = vec![false; old.len()];
    let mut matched: Vec<Option<usize>> = tables
        .iter()
        .map(|fields| {
            let id = fields.id()?;
            let found = (0..old.len()).find(|&j| !used[j] && old_ids[j] == Some(id))?;
            used[found] = true;
            Some(found)
        })
        .collect();
    for (i, slot) in matched.iter_mut().enumerate() {
        if slot.is_none() && i < old.len() && !used[i] {
            used[i] = true;
            *slot = Some(i);
        }
    }
    let kept: Vec<usize> = matched.iter().flatten().copied().collect();
    let in_order = kept.windows(2).all(|w| w[0] < w[1]);
    let depth_indent = INDENT.repeat(at.keys.len().saturating_sub(1));
    let mut new = te::ArrayOfTables::new();
    for (i, (fields, slot)) in tables.iter().zip(&matched).enumerate() {
        let mut table = match slot {
            Some(j) => old[*j].clone(),
            None => new_table(fields, at)?,
        };
        if !in_order {
            // The document prints tables in the order they were read: forget it, so that
            // they print in the order of the array.
            forget_positions(&mut table);
        }
        let place = Place {
            path: element_path(&at.path, fields, i),
            keys: at.keys.clone(),
            indent: indent_of(&table).unwrap_or_else(|| depth_indent.clone()),
            context: Context::Section,
        };
        sync_fields(fields, &mut table, &place)?;
        new.push(table);
    }
    *array = new;
    Ok(())
}

/// The indent of a table's fields, from its last field written on a line of its own.
fn indent_of(table: &te::Table) -> Option<String> {
    table
        .iter()
        .filter(|(_, item)| item.is_value())
        .filter_map(|(k, _)| table.key(k))
        .filter_map(|k| k.leaf_decor().prefix().and_then(|p| p.as_str()))
        .map(|p| p.rsplit('\n').next().unwrap_or_default())
        .filter(|p| p.chars().all(|c| c == ' ' || c == '\t'))
        .last()
        .map(str::to_string)
}

/// Forgets where a table (and every table within it) was read, so that it prints where it
/// now is.
fn forget_positions(table: &mut te::Table) {
    table.set_position(None);
    for (_, item) in table.iter_mut() {
        match item {
            te::Item::Table(t) => forget_positions(t),
            te::Item::ArrayOfTables(a) => a.iter_mut().for_each(forget_positions),
            _ => {}
        }
    }
}

/// A new entry at `at`, in the fresh layout's style: a `[section]` at the top of the
/// document, `[[headers]]` for an array of tables under a header, else a value on one line.
fn new_item(node: &Node, at: &Place) -> Result<te::Item> {
    match (node, at.context) {
        (Node::Tables(tables), Context::Top | Context::Section) => {
            let mut array = te::ArrayOfTables::new();
            for fields in tables {
                array.push(new_table(fields, at)?);
            }
            Ok(te::Item::ArrayOfTables(array))
        }
        (Node::Table(fields), Context::Top) if at.keys.len() == 1 => {
            let mut text = String::new();
            section(&mut text, &at.keys, fields, "", false);
            let mut doc = parse_document(&format!("\n{text}"), &at.path)?;
            let mut item = doc.remove(at.keys[0]).unwrap_or_default();
            if let te::Item::Table(table) = &mut item {
                forget_positions(table);
            }
            Ok(item)
        }
        _ => Ok(te::Item::Value(parse_value(node, &at.path)?)),
    }
}

/// A new table of the array of tables at `at` (`service`, `service.option`), laid out fresh
/// with a blank line before it, indented by its depth.
fn new_table(fields: &Fields, at: &Place) -> Result<te::Table> {
    let indent = INDENT.repeat(at.keys.len().saturating_sub(1));
    let mut text = String::new();
    section(&mut text, &at.keys, fields, &indent, true);
    // A blank line before it, as between the tables of the fresh layout.
    let doc = parse_document(&format!("\n{text}"), &at.path)?;
    let mut item = doc.as_item();
    for key in &at.keys {
        item = item.get(key).unwrap_or(&te::Item::None);
    }
    let mut table = item
        .as_array_of_tables()
        .and_then(|a| a.get(0))
        .cloned()
        .ok_or_else(|| WriteError {
            field: Some(at.path.clone()),
            message: "could not lay out a new table here".to_string(),
        })?;
    forget_positions(&mut table);
    Ok(table)
}

fn parse_document(text: &str, path: &str) -> Result<te::DocumentMut> {
    text.parse().map_err(|e: te::TomlError| WriteError {
        field: Some(path.to_string()),
        message: format!("cannot be written as TOML: {}", e.message().trim()),
    })
}

/// A value for the document, read from its text on one line (so a figure keeps its literal).
fn parse_value(node: &Node, path: &str) -> Result<te::Value> {
    let text = inline(node);
    text.parse::<te::Value>()
        .map(|mut v| {
            // The document's own spacing for where it goes.
            v.decor_mut().clear();
            v
        })
        .map_err(|e| WriteError {
            field: Some(path.to_string()),
            message: format!("cannot write {text}: {}", e.message().trim()),
        })
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use std::sync::Arc;

    use crate::scenario::raw::{self, RawFile, RawKind, RawValue, SourceId};
    use crate::scenario::write::write;
    use crate::scenario::{Input, Override, Prepared};

    type TestResult = std::result::Result<(), Box<dyn std::error::Error>>;

    const WORKED: &str = include_str!("../../../scenarios/worked-example.toml");
    const KENT: &str = include_str!("../../../scenarios/kcc-2014-phase1.toml");
    const OUTTURN: &str = include_str!("../../../scenarios/kcc-2014-outturn.toml");

    fn raw_of(text: &str) -> std::result::Result<RawFile, toml::de::Error> {
        raw::parse(SourceId(0), &Arc::from(text))
    }

    /// `path` read, with `overrides` applied.
    fn prepared(path: &str, overrides: &[&str]) -> std::result::Result<Prepared, String> {
        let mut prepared =
            Prepared::read(&Input::Path(PathBuf::from(path))).map_err(|e| e.to_string())?;
        for set in overrides {
            let change = Override::set(set)?;
            prepared.apply(&change).map_err(|e| e.to_string())?;
        }
        Ok(prepared)
    }

    /// The lines of `after` that differ from `before` (which must have as many).
    fn changed_lines<'a>(before: &str, after: &'a str) -> Vec<&'a str> {
        assert_eq!(before.lines().count(), after.lines().count(), "{after}");
        before
            .lines()
            .zip(after.lines())
            .filter(|(b, a)| b != a)
            .map(|(_, a)| a)
            .collect()
    }

    #[test]
    fn an_unchanged_scenario_is_written_back_byte_for_byte() -> TestResult {
        let unusual = "# a header\r\n[scenario]\r\nname = 'single quoted'  # why\r\n\
            optimism_bias.saving = 0.1\r\n\r\n[[service]]\r\nid = \"a\"\r\n\
            planned = {\"2016/17\"=1_0, \"2015/16\" = +2.50}\r\n\
            [service.budget]\r\ngross = 1e1\r\n\
            [[service.option]]\r\nid = \"x\"\r\nramp = [\r\n  0.5, # first\r\n  1.0,\r\n]\r\n";
        for text in [WORKED, KENT, OUTTURN, unusual, ""] {
            assert_eq!(write(&raw_of(text)?, Some(text))?, text);
        }
        Ok(())
    }

    #[test]
    fn a_set_rewrites_only_that_value_keeping_its_comment_in_its_column() -> TestResult {
        let path = "scenarios/kcc-2014-phase1.toml";
        let set = prepared(
            path,
            &["service[property].option[latco].saving.central=5.25"],
        )?;
        let after = write(set.raw(), Some(KENT))?;
        assert_eq!(
            changed_lines(KENT, &after),
            [
                "  saving = { low = 2.0, central = 5.25, high = 9.0 }                    # assumption: widest range, upside is trading income (3.2-3.3)"
            ]
        );
        let set = prepared(path, &["scenario.overlap=0.5"])?;
        let after = write(set.raw(), Some(KENT))?;
        assert_eq!(
            changed_lines(KENT, &after),
            [
                "overlap = 0.5                              # 5.3: the overlap is still to be determined; 1 assumes the market estimates include all planned savings"
            ]
        );
        // A figure is written as typed, not as a binary float would print it.
        let set = prepared(path, &["scenario.discount_rate=0.0350000000000000000001"])?;
        let after = write(set.raw(), Some(KENT))?;
        assert_eq!(
            changed_lines(KENT, &after),
            ["discount_rate = 0.0350000000000000000001   # HM Treasury Green Book, 3.5% real"]
        );
        Ok(())
    }

    #[test]
    fn a_single_figure_set_by_case_becomes_a_table_in_its_place() -> TestResult {
        let set = prepared(
            "scenarios/worked-example.toml",
            &["service[example].option[only].saving.low=8"],
        )?;
        let after = write(set.raw(), Some(WORKED))?;
        assert_eq!(
            changed_lines(WORKED, &after),
            ["  saving = { low = 8, central = 10, high = 10 }"]
        );
        Ok(())
    }

    #[test]
    fn fields_dropped_and_added_take_their_lines_with_them() -> TestResult {
        let text = "[scenario]\nname = \"n\"\n# the rate\ndiscount_rate = 0.035 # why\n\
            base_year = \"2014/15\"\n\n[[service]]\nid = \"a\"\n\n  [[service.option]]\n  id = \"x\"\n";
        let mut raw = raw_of(text)?;
        let scenario = raw.scenario.as_mut().ok_or("no scenario")?;
        scenario.value.discount_rate = None;
        scenario.value.unit = raw_of("[scenario]\nunit = \"£k\"")?
            .scenario
            .and_then(|s| s.value.unit);
        let option = &mut raw.service[0].value.option[0].value;
        option.ramp = raw_of("[[service]]\n[[service.option]]\nramp = [0.5, 1]")?.service[0]
            .value
            .option[0]
            .value
            .ramp
            .clone();
        let after = write(&raw, Some(text))?;
        assert_eq!(
            after,
            "[scenario]\nname = \"n\"\nbase_year = \"2014/15\"\nunit = \"£k\"\n\n[[service]]\nid = \"a\"\n\n  \
             [[service.option]]\n  id = \"x\"\n  ramp = [0.5, 1]\n"
        );
        Ok(())
    }

    #[test]
    fn services_follow_the_scenario_and_keep_their_comments() -> TestResult {
        let text = "[scenario]\nname = \"n\"\n\n# first\n[[service]]\nid = \"a\" # a\n\n\
            # second\n[[service]]\nid = \"b\" # b\n";
        let mut raw = raw_of(text)?;
        raw.service.reverse();
        let extra =
            raw_of("[[service]]\nid = \"c\"\n[[service.option]]\nid = \"y\"\nsaving = 2.50")?;
        raw.service.extend(extra.service);
        let after = write(&raw, Some(text))?;
        assert_eq!(
            after,
            "[scenario]\nname = \"n\"\n\n# second\n[[service]]\nid = \"b\" # b\n\n\
             # first\n[[service]]\nid = \"a\" # a\n\n\
             [[service]]\nid = \"c\"\n\n  [[service.option]]\n  id = \"y\"\n  saving = 2.50\n"
        );
        raw.service.truncate(1);
        assert_eq!(
            write(&raw, Some(text))?,
            "[scenario]\nname = \"n\"\n\n# second\n[[service]]\nid = \"b\" # b\n"
        );
        Ok(())
    }

    #[test]
    fn arrays_and_tables_of_years_are_edited_in_place() -> TestResult {
        let text = "[[service]]\nid = \"a\"\nplanned = { \"2015/16\" = 1, \"2016/17\" = 2 } # p\n\
            \n  [[service.option]]\n  id = \"x\"\n  ramp = [0.25, 0.5, 1] # r\n";
        let mut raw = raw_of(text)?;
        let new = raw_of(
            "[[service]]\nplanned = { \"2016/17\" = 2, \"2017/18\" = 3.0 }\n\
             [[service.option]]\nramp = [0.25, 0.75]",
        )?;
        raw.service[0].value.planned = new.service[0].value.planned.clone();
        raw.service[0].value.option[0].value.ramp =
            new.service[0].value.option[0].value.ramp.clone();
        assert_eq!(
            write(&raw, Some(text))?,
            "[[service]]\nid = \"a\"\nplanned = { \"2016/17\" = 2, \"2017/18\" = 3.0 } # p\n\
             \n  [[service.option]]\n  id = \"x\"\n  ramp = [0.25, 0.75] # r\n"
        );
        Ok(())
    }

    #[test]
    fn a_scenario_that_extends_another_is_written_whole() -> TestResult {
        let path = "tests/data/extends/child.toml";
        let child = std::fs::read_to_string(path)?;
        let merged = prepared(path, &[])?;
        let after = write(merged.raw(), Some(&child))?;
        assert!(!after.contains("extends"), "{after}");
        assert!(after.starts_with("# Extends the worked example"), "{after}");
        let before = merged.validate().map_err(|e| e.to_string())?.scenario;
        let stem = crate::scenario::from_text("child.toml", &after)?;
        assert_eq!(format!("{stem:#?}"), format!("{before:#?}"));
        Ok(())
    }

    #[test]
    fn what_cannot_be_written_is_an_error_naming_the_field() -> TestResult {
        let error = write(&raw_of(WORKED)?, Some("[scenario\n")).unwrap_err();
        assert!(
            error
                .message
                .starts_with("the scenario's text cannot be edited"),
            "{error}"
        );
        let mut raw = raw_of(WORKED)?;
        let overlap = raw_of("[scenario]\noverlap = 1")?
            .scenario
            .and_then(|s| s.value.overlap)
            .ok_or("no overlap")?;
        let RawValue { at, .. } = overlap;
        raw.scenario.as_mut().ok_or("no scenario")?.value.overlap = Some(RawValue {
            kind: RawKind::Number {
                value: Ok(rust_decimal::Decimal::ONE),
                literal: "1 2".to_string(),
                integer: true,
            },
            at,
        });
        let error = write(&raw, Some(WORKED)).unwrap_err();
        assert_eq!(error.field.as_deref(), Some("scenario.overlap"), "{error}");
        let error = write(&raw, None).unwrap_err();
        assert!(
            error
                .message
                .starts_with("the written scenario does not read back"),
            "{error}"
        );
        Ok(())
    }

    #[test]
    fn a_section_the_text_lacks_goes_where_the_fresh_layout_has_it() -> TestResult {
        let text = "[scenario]\nname = \"n\"\n\n# the one service\n[[service]]\nid = \"a\"\n";
        let mut raw = raw_of(text)?;
        raw.gap = raw_of("[gap]\nunidentified = { \"2015/16\" = 3 }")?.gap;
        assert_eq!(
            write(&raw, Some(text))?,
            "[scenario]\nname = \"n\"\n\n[gap]\nunidentified = { \"2015/16\" = 3 }\n\n\
             # the one service\n[[service]]\nid = \"a\"\n"
        );
        Ok(())
    }
}
