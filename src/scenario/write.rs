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
use std::sync::Arc;

use toml_edit as te;

use super::locate::path_key;
use super::raw::{
    self, RawBias, RawBudget, RawFile, RawGap, RawGapLine, RawKind, RawOption, RawPlanBudget,
    RawRisk, RawScenario, RawService, RawTracking, RawValue, SourceId,
};

mod edit;

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
        Some(source) => edit::edited(&root, source)?,
        None => fresh(&root),
    };
    let reread = raw::parse(SourceId(0), &Arc::from(text.as_str())).map_err(|e| WriteError {
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

/// One value as TOML text on one line (`{ levels = { "2026/27" = 6 } }`), as `--set` takes it:
/// numbers as their literal, text quoted and escaped.
pub fn inline_value(kind: &RawKind) -> String {
    inline(&value_node(kind))
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
        budget,
        pressure,
        funding,
        service,
        tracking,
    } = raw;
    let mut f = Fields::of_struct();
    f.table(
        "scenario",
        scenario.as_ref().map(|s| scenario_fields(&s.value)),
    );
    f.table("gap", gap.as_ref().map(|g| gap_fields(&g.value)));
    f.table(
        "budget",
        budget.as_ref().map(|b| plan_budget_fields(&b.value)),
    );
    f.tables(
        "pressure",
        pressure.iter().map(|l| gap_line_fields(&l.value)).collect(),
    );
    f.tables(
        "funding",
        funding.iter().map(|l| gap_line_fields(&l.value)).collect(),
    );
    f.table(
        "tracking",
        tracking.as_ref().map(|t| tracking_fields(&t.value)),
    );
    f.tables(
        "service",
        service.iter().map(|s| service_fields(&s.value)).collect(),
    );
    f
}

fn tracking_fields(t: &RawTracking) -> Fields<'_> {
    let RawTracking { confidence } = t;
    let mut f = Fields::of_struct();
    f.value("confidence", confidence);
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
        as_at,
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
    f.value("as_at", as_at);
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

fn plan_budget_fields(b: &RawPlanBudget) -> Fields<'_> {
    let RawPlanBudget {
        net,
        requirement,
        reserves,
        source,
    } = b;
    let mut f = Fields::of_struct();
    f.value("net", net);
    f.value("requirement", requirement);
    f.value("reserves", reserves);
    f.value("source", source);
    f
}

fn gap_line_fields(l: &RawGapLine) -> Fields<'_> {
    let RawGapLine {
        id,
        name,
        amount,
        low,
        high,
        area,
        source,
        remove,
    } = l;
    let mut f = Fields::of_struct();
    f.value("id", id);
    f.value("name", name);
    f.value("remove", remove);
    f.value("area", area);
    f.value("amount", amount);
    f.value("low", low);
    f.value("high", high);
    f.value("source", source);
    f
}

fn service_fields(s: &RawService) -> Fields<'_> {
    let RawService {
        id,
        name,
        area,
        budget,
        planned,
        choose,
        deferred,
        source,
        remove,
        saving,
        start,
        ramp,
        one_off_cost,
        risk,
        group,
        distribution,
        optimism_bias,
        status,
        delivered,
        forecast,
        rag,
        option,
    } = s;
    let mut f = Fields::of_struct();
    f.value("id", id);
    f.value("name", name);
    f.value("area", area);
    f.value("remove", remove);
    f.value("choose", choose);
    f.value("deferred", deferred);
    f.value("status", status);
    f.value("rag", rag);
    f.value("source", source);
    f.table("budget", budget.as_ref().map(|b| budget_fields(&b.value)));
    f.value("planned", planned);
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
    f.value("delivered", delivered);
    f.value("forecast", forecast);
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
        status,
        delivered,
        forecast,
        rag,
        source,
        remove,
    } = o;
    let mut f = Fields::of_struct();
    f.value("id", id);
    f.value("name", name);
    f.value("remove", remove);
    f.value("preferred", preferred);
    f.value("status", status);
    f.value("rag", rag);
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
    f.value("delivered", delivered);
    f.value("forecast", forecast);
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

#[cfg(test)]
mod tests {
    use super::*;

    type TestResult = std::result::Result<(), Box<dyn std::error::Error>>;

    const WORKED: &str = include_str!("../../scenarios/worked-example.toml");
    const KENT: &str = include_str!("../../scenarios/kcc-2014-phase1.toml");

    fn raw_of(text: &str) -> std::result::Result<RawFile, toml::de::Error> {
        raw::parse(SourceId(0), &Arc::from(text))
    }

    /// The validated scenario, as its `Debug` prints it (every figure with its scale).
    fn validated(text: &str) -> std::result::Result<String, String> {
        crate::scenario::from_text("scenario.toml", text)
            .map(|s| format!("{s:#?}"))
            .map_err(|e| e.to_string())
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
    fn figures_keep_their_literal_and_text_is_quoted_on_one_line() -> TestResult {
        let text = r#"[scenario]
name = '''a "quoted" C:\path
next	line'''
overlap = 0.50

[gap]
required = { "2015/16" = 1_000.50, "2016/17" = +2e1 }
"#;
        let expected = r#"[scenario]
name = "a \"quoted\" C:\\path\nnext\tline"
overlap = 0.50

[gap]
required = { "2015/16" = 1_000.50, "2016/17" = +2e1 }
"#;
        assert_eq!(write(&raw_of(text)?, None)?, expected);
        Ok(())
    }

    #[test]
    fn a_figure_that_would_not_read_back_is_an_error() -> TestResult {
        let mut raw = raw_of(WORKED)?;
        let scenario = raw.scenario.as_mut().ok_or("no scenario")?;
        let at = scenario.value.name.clone().ok_or("no name")?.at;
        scenario.value.overlap = Some(RawValue {
            kind: RawKind::Number {
                value: Ok(rust_decimal::Decimal::ONE),
                literal: "1 2".to_string(),
                integer: true,
            },
            at,
        });
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
