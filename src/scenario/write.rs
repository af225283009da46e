//! The writer for the raw layer: a scenario ([`RawFile`]) back to TOML text, for commands
//! that build or change a scenario and save it (rolling a plan forward, importing one).
//!
//! Given the text the scenario was read from, the writer edits that document
//! ([`toml_edit::DocumentMut`]): lines, comments and layout it has no reason to touch stay byte
//! for byte, and only values that changed are rewritten, keeping the comment after them.
//! Without a text it lays out a fresh document in the style of the shipped scenarios
//! (`[scenario]`, `[gap]`, then each `[[service]]` with its `[[service.option]]` indented).
//! Either way every figure is written exactly as its literal (`2.40` stays `2.40`; never
//! through a binary float), and the text is read back before it is returned: a scenario that
//! would not read back as the same raw layer is an error, never a silent change.

use std::fmt;
use std::rc::Rc;

use toml_edit as te;

use super::locate::path_key;
use super::raw::{
    self, RawBias, RawBudget, RawFile, RawGap, RawKind, RawOption, RawRisk, RawScenario,
    RawService, RawValue, SourceId,
};

/// Why a scenario could not be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriteError {
    /// The field concerned, as messages print it (`service[legal].option[abs].saving`).
    pub field: Option<String>,
    pub message: String,
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{field}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for WriteError {}

type Result<T> = std::result::Result<T, WriteError>;

/// Writes `raw` (after `extends` and overrides are applied, e.g. [`super::Prepared::raw`]) as
/// TOML text.
///
/// With `source`, the text the scenario was read from, that document is edited: what is
/// unchanged stays byte for byte (an unchanged scenario gives back `source` itself), a changed
/// value is rewritten in its place with its comment kept, a field or table the scenario no
/// longer has is removed, and a new one is added in the fresh layout's style. Services and
/// options are matched to the document's tables by `id`, so their comments follow them.
/// Without `source`, a fresh document is laid out.
///
/// Fails if `source` is not TOML that can be edited (a number too large for the editor),
/// if a figure's literal is not a TOML number, or if the text would not read back as the
/// same scenario.
pub fn write(raw: &RawFile, source: Option<&str>) -> Result<String> {
    let root = file_fields(raw);
    let text = match source {
        Some(source) => edited(&root, source)?,
        None => fresh(&root),
    };
    let reread = raw::parse(SourceId(0), &Rc::from(text.as_str())).map_err(|e| WriteError {
        field: None,
        message: format!(
            "the written scenario does not read back: {}",
            e.message().trim()
        ),
    })?;
    if let Some(field) = difference(&root, &file_fields(&reread), "") {
        return Err(WriteError {
            field: Some(field),
            message: "the written scenario reads back with a different value here".to_string(),
        });
    }
    Ok(text)
}

/// The scenario as a tree of TOML values, in the order the fresh layout writes fields.
enum Node<'a> {
    /// A number, string or boolean.
    Leaf(&'a RawKind),
    Array(Vec<Node<'a>>),
    /// A table: `[scenario]`, `budget = { ... }`, `planned = { ... }`.
    Table(Fields<'a>),
    /// An array of tables: `[[service]]`, `[[service.option]]`.
    Tables(Vec<Fields<'a>>),
}

/// The entries of a table.
struct Fields<'a> {
    entries: Vec<(&'a str, Node<'a>)>,
    /// Whether the order of the entries is the scenario's own (a table of years, as
    /// written) rather than the format's (a struct's fields), so the document must follow it.
    ordered: bool,
}

impl<'a> Fields<'a> {
    /// A struct's fields, in the format's order.
    fn of_struct() -> Self {
        Fields {
            entries: Vec::new(),
            ordered: false,
        }
    }

    fn value(&mut self, key: &'a str, value: &'a Option<RawValue>) {
        if let Some(value) = value {
            self.entries.push((key, value_node(&value.kind)));
        }
    }

    fn table(&mut self, key: &'a str, table: Option<Fields<'a>>) {
        if let Some(table) = table {
            self.entries.push((key, Node::Table(table)));
        }
    }

    fn tables(&mut self, key: &'a str, tables: Vec<Fields<'a>>) {
        self.entries.push((key, Node::Tables(tables)));
    }

    fn get(&self, key: &str) -> Option<&Node<'a>> {
        self.entries.iter().find(|(k, _)| *k == key).map(|(_, n)| n)
    }

    /// The `id` of a service or option, as written, for matching and for messages.
    fn id(&self) -> Option<&'a str> {
        match self.get("id") {
            Some(Node::Leaf(RawKind::String(id))) => Some(id.as_str()),
            _ => None,
        }
    }
}

fn value_node(kind: &RawKind) -> Node<'_> {
    match kind {
        RawKind::Array(items) => Node::Array(items.iter().map(|v| value_node(&v.kind)).collect()),
        RawKind::Table(entries) => Node::Table(Fields {
            entries: entries
                .iter()
                .map(|(k, v)| (k.value.as_str(), value_node(&v.kind)))
                .collect(),
            ordered: true,
        }),
        leaf => Node::Leaf(leaf),
    }
}

// Each struct is taken apart whole (no `..`), so a field added to the raw layer does not
// compile until the writer writes it.

fn file_fields(raw: &RawFile) -> Fields<'_> {
    let RawFile {
        scenario,
        gap,
        service,
    } = raw;
    let mut f = Fields::of_struct();
    f.table(
        "scenario",
        scenario.as_ref().map(|s| scenario_fields(&s.value)),
    );
    f.table("gap", gap.as_ref().map(|g| gap_fields(&g.value)));
    f.tables(
        "service",
        service.iter().map(|s| service_fields(&s.value)).collect(),
    );
    f
}

fn scenario_fields(s: &RawScenario) -> Fields<'_> {
    let RawScenario {
        name,
        base_year,
        horizon,
        unit,
        overlap,
        discount_rate,
        mtfp_period,
        extends,
        distribution,
        optimism_bias,
        source,
    } = s;
    let mut f = Fields::of_struct();
    f.value("extends", extends);
    f.value("name", name);
    f.value("base_year", base_year);
    f.value("horizon", horizon);
    f.value("unit", unit);
    f.value("overlap", overlap);
    f.value("discount_rate", discount_rate);
    f.value("mtfp_period", mtfp_period);
    f.value("distribution", distribution);
    f.table(
        "optimism_bias",
        optimism_bias.as_ref().map(|b| bias_fields(&b.value)),
    );
    f.value("source", source);
    f
}

fn bias_fields(b: &RawBias) -> Fields<'_> {
    let RawBias {
        saving,
        cost,
        delay_months,
    } = b;
    let mut f = Fields::of_struct();
    f.value("saving", saving);
    f.value("cost", cost);
    f.value("delay_months", delay_months);
    f
}

fn gap_fields(g: &RawGap) -> Fields<'_> {
    let RawGap {
        required,
        unidentified,
        source,
    } = g;
    let mut f = Fields::of_struct();
    f.value("required", required);
    f.value("unidentified", unidentified);
    f.value("source", source);
    f
}

fn service_fields(s: &RawService) -> Fields<'_> {
    let RawService {
        id,
        name,
        budget,
        planned,
        choose,
        deferred,
        source,
        remove,
        option,
    } = s;
    let mut f = Fields::of_struct();
    f.value("id", id);
    f.value("name", name);
    f.value("remove", remove);
    f.value("choose", choose);
    f.value("deferred", deferred);
    f.value("source", source);
    f.table("budget", budget.as_ref().map(|b| budget_fields(&b.value)));
    f.value("planned", planned);
    f.tables(
        "option",
        option.iter().map(|o| option_fields(&o.value)).collect(),
    );
    f
}

fn budget_fields(b: &RawBudget) -> Fields<'_> {
    let RawBudget { gross, net } = b;
    let mut f = Fields::of_struct();
    f.value("gross", gross);
    f.value("net", net);
    f
}

fn option_fields(o: &RawOption) -> Fields<'_> {
    let RawOption {
        id,
        name,
        preferred,
        saving,
        start,
        ramp,
        one_off_cost,
        risk,
        group,
        distribution,
        optimism_bias,
        source,
        remove,
    } = o;
    let mut f = Fields::of_struct();
    f.value("id", id);
    f.value("name", name);
    f.value("remove", remove);
    f.value("preferred", preferred);
    f.value("saving", saving);
    f.value("start", start);
    f.value("ramp", ramp);
    f.value("one_off_cost", one_off_cost);
    f.table("risk", risk.as_ref().map(|r| risk_fields(&r.value)));
    f.value("group", group);
    f.value("distribution", distribution);
    f.table(
        "optimism_bias",
        optimism_bias.as_ref().map(|b| bias_fields(&b.value)),
    );
    f.value("source", source);
    f
}

fn risk_fields(r: &RawRisk) -> Fields<'_> {
    let RawRisk { fail, slip_months } = r;
    let mut f = Fields::of_struct();
    f.value("fail", fail);
    f.value("slip_months", slip_months);
    f
}

/// The first field (as messages print it) where two tables differ, if any.
fn difference(a: &Fields, b: &Fields, path: &str) -> Option<String> {
    let keys_a: Vec<&str> = a.entries.iter().map(|(k, _)| *k).collect();
    let keys_b: Vec<&str> = b.entries.iter().map(|(k, _)| *k).collect();
    if keys_a != keys_b {
        let key = keys_a
            .iter()
            .zip(&keys_b)
            .find(|(x, y)| x != y)
            .map(|(x, _)| *x)
            .or_else(|| {
                keys_a
                    .get(keys_b.len())
                    .or(keys_b.get(keys_a.len()))
                    .copied()
            });
        return Some(key.map_or_else(|| path.to_string(), |k| child_path(path, k)));
    }
    a.entries
        .iter()
        .zip(&b.entries)
        .find_map(|((key, x), (_, y))| node_difference(x, y, child_path(path, key)))
}

fn node_difference(a: &Node, b: &Node, here: String) -> Option<String> {
    match (a, b) {
        (Node::Leaf(x), Node::Leaf(y)) => (!same_leaf(x, y)).then_some(here),
        (Node::Array(x), Node::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (x, y))| node_difference(x, y, format!("{here}[#{}]", i + 1))),
        (Node::Table(x), Node::Table(y)) => difference(x, y, &here),
        (Node::Tables(x), Node::Tables(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (x, y))| difference(x, y, &element_path(&here, x, i))),
        _ => Some(here),
    }
}

/// Numbers are the same when written the same (`2.40` is not `2.4`: the literal is kept).
fn same_leaf(a: &RawKind, b: &RawKind) -> bool {
    match (a, b) {
        (
            RawKind::Number {
                literal: x,
                integer: i,
                ..
            },
            RawKind::Number {
                literal: y,
                integer: j,
                ..
            },
        ) => x == y && i == j,
        (RawKind::String(x), RawKind::String(y)) => x == y,
        (RawKind::Bool(x), RawKind::Bool(y)) => x == y,
        _ => false,
    }
}

fn child_path(path: &str, key: &str) -> String {
    if path.is_empty() {
        path_key(key)
    } else {
        format!("{path}.{}", path_key(key))
    }
}

/// `service[legal]`, or `service[#3]` for a service without an id.
fn element_path(path: &str, fields: &Fields, index: usize) -> String {
    match fields.id() {
        Some(id) => format!("{path}[{id}]"),
        None => format!("{path}[#{}]", index + 1),
    }
}

// ---------------------------------------------------------------------------------------
// The fresh layout.

/// The indent of tables nested in an array of tables, and of their fields.
const INDENT: &str = "  ";

/// Lays out `root` as the shipped scenarios are laid out.
fn fresh(root: &Fields) -> String {
    let mut out = String::new();
    for (key, node) in &root.entries {
        if !matches!(node, Node::Table(_) | Node::Tables(_)) {
            out.push_str(&format!("{} = {}\n", key_text(key), inline(node)));
        }
    }
    for (key, node) in &root.entries {
        match node {
            Node::Table(fields) => section(&mut out, &[key], fields, "", false),
            Node::Tables(tables) => {
                for fields in tables {
                    section(&mut out, &[key], fields, "", true);
                }
            }
            _ => {}
        }
    }
    out
}

/// Writes one table under its header (`[scenario]`, `[[service.option]]`), its values first,
/// then the arrays of tables within it, indented one step further. Sections are separated by
/// a blank line.
fn section(out: &mut String, path: &[&str], fields: &Fields, indent: &str, array: bool) {
    if !out.is_empty() {
        out.push('\n');
    }
    let header = path
        .iter()
        .map(|k| key_text(k))
        .collect::<Vec<_>>()
        .join(".");
    if array {
        out.push_str(&format!("{indent}[[{header}]]\n"));
    } else {
        out.push_str(&format!("{indent}[{header}]\n"));
    }
    for (key, node) in &fields.entries {
        if !matches!(node, Node::Tables(_)) {
            out.push_str(&format!("{indent}{} = {}\n", key_text(key), inline(node)));
        }
    }
    let inner = format!("{indent}{INDENT}");
    for (key, node) in &fields.entries {
        if let Node::Tables(tables) = node {
            let mut path = path.to_vec();
            path.push(key);
            for fields in tables {
                section(out, &path, fields, &inner, true);
            }
        }
    }
}

/// A key as TOML writes it: bare where it can be (`saving`), quoted where not (`"2015/16"`).
fn key_text(key: &str) -> String {
    te::Key::new(key).display_repr().into_owned()
}

/// A value on one line: numbers as their literal, strings quoted and escaped, tables in
/// braces, arrays of tables as arrays of inline tables.
fn inline(node: &Node) -> String {
    match node {
        Node::Leaf(RawKind::Number { literal, .. }) => literal.clone(),
        Node::Leaf(RawKind::String(s)) => quoted(s),
        Node::Leaf(RawKind::Bool(b)) => b.to_string(),
        // Not made by `value_node`: arrays and tables are nodes of their own.
        Node::Leaf(RawKind::Array(_) | RawKind::Table(_)) => String::new(),
        Node::Array(items) => {
            let items: Vec<String> = items.iter().map(inline).collect();
            format!("[{}]", items.join(", "))
        }
        Node::Table(fields) => inline_table(fields),
        Node::Tables(tables) => {
            let tables: Vec<String> = tables.iter().map(inline_table).collect();
            format!("[{}]", tables.join(", "))
        }
    }
}

/// A string in double quotes on one line, as the shipped scenarios write text: `\` and `"`
/// escaped, and control characters (a line break, a tab) written as escapes.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() && u32::from(c) < 0x80 => {
                out.push_str(&format!("\\u{:04X}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn inline_table(fields: &Fields) -> String {
    if fields.entries.is_empty() {
        return "{}".to_string();
    }
    let entries: Vec<String> = fields
        .entries
        .iter()
        .map(|(k, n)| format!("{} = {}", key_text(k), inline(n)))
        .collect();
    format!("{{ {} }}", entries.join(", "))
}

// ---------------------------------------------------------------------------------------
// Editing a document.

/// Edits the document `source` until it holds `root`.
fn edited(root: &Fields, source: &str) -> Result<String> {
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

    use super::*;
    use crate::scenario::{Input, Override, Prepared};

    type TestResult = std::result::Result<(), Box<dyn std::error::Error>>;

    const WORKED: &str = include_str!("../../scenarios/worked-example.toml");
    const KENT: &str = include_str!("../../scenarios/kcc-2014-phase1.toml");
    const OUTTURN: &str = include_str!("../../scenarios/kcc-2014-outturn.toml");

    fn raw_of(text: &str) -> std::result::Result<RawFile, toml::de::Error> {
        raw::parse(SourceId(0), &Rc::from(text))
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

    /// The validated scenario, as its `Debug` prints it (every figure with its scale).
    fn validated(text: &str) -> std::result::Result<String, String> {
        crate::scenario::from_text("scenario.toml", text)
            .map(|s| format!("{s:#?}"))
            .map_err(|e| e.to_string())
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
    fn a_fresh_layout_follows_the_shipped_scenarios() -> TestResult {
        let fresh = write(&raw_of(WORKED)?, None)?;
        let expected = "[scenario]\nname = \"worked example\"\nbase_year = \"2014/15\"\n\
            mtfp_period = [\"2015/16\", \"2016/17\"]\n\n\
            [gap]\nunidentified = { \"2015/16\" = 3, \"2016/17\" = 4 }\n\n\
            [[service]]\nid = \"example\"\nplanned = { \"2015/16\" = 1, \"2016/17\" = 1 }\n\n\
            \x20 [[service.option]]\n  id = \"only\"\n  preferred = true\n  saving = 10\n\
            \x20 start = \"2015-10\"\n  ramp = [0.5, 1.0]\n  one_off_cost = { \"2015/16\" = 3 }\n";
        assert_eq!(fresh, expected);
        Ok(())
    }

    #[test]
    fn a_fresh_layout_of_kent_reads_as_the_same_scenario() -> TestResult {
        let fresh = write(&raw_of(KENT)?, None)?;
        assert!(!fresh.contains('#'), "no comments without a source text");
        assert_eq!(validated(&fresh)?, validated(KENT)?);
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
}
