//! An [`ImportedPlan`] to the scenario's TOML text: a header comment naming the file, the
//! sheet and the command; `[scenario]` (name, base year, horizon, unit, `as_at`), or with
//! `--extends` the parent it extends; a `# TODO(import)` comment for what the sheet cannot say
//! (the gap, a unit), which `savings check` reports until it is dealt with; then one
//! `[[service]]` per line, each citing its cells in a comment and in `source`. Text is
//! written escaped on one line; figures exactly as read.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::table::{basis_name, clean_text};
use super::{Figure, ImportedPlan, Problem};
use crate::model::FinancialYear;
use crate::scenario::{MAX_HORIZON, MAX_SERVICES, shown_name};

/// The marker of a gap left for the officer; `savings check` warns about each.
pub const TODO_MARKER: &str = "TODO(import)";

/// The scenario an import extends, as the import needs it.
#[derive(Clone, Debug)]
pub struct Parent {
    /// The path as `extends` writes it (relative to the output file's folder).
    pub path: String,
    pub base_year: FinancialYear,
    pub horizon: u16,
    pub unit: String,
}

/// What the scenario's text needs beyond the plan.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// The command line as typed, for the header comment.
    pub command: String,
    /// `--base-year`.
    pub base_year: Option<FinancialYear>,
    /// `--extends`.
    pub parent: Option<Parent>,
}

/// The base year and horizon the scenario is written with, and how the base year was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    pub base_year: FinancialYear,
    pub horizon: u16,
    /// Where the base year came from, for its comment ("inferred: ...").
    pub base_from: String,
}

/// The base year and horizon: `--base-year` (or the parent's), else the year before the
/// first year column; the horizon to the last year column (or the parent's).
pub fn frame(plan: &ImportedPlan, settings: &Settings) -> Result<Frame, Problem> {
    if plan.lines.len() > MAX_SERVICES {
        return Err(Problem::new(format!(
            "the table has {} lines; a scenario holds at most {} services",
            super::read::thousands(plan.lines.len() as u64),
            super::read::thousands(MAX_SERVICES as u64)
        ))
        .help("import the table in parts (copy each part to a sheet of its own), or --extends one part from another"));
    }
    let (_, last) = plan
        .year_span()
        .ok_or_else(|| Problem::new("the table has no year columns"))?;
    // The plan's first year (a delivered or forecast block may start earlier).
    let plan_columns = || {
        plan.year_columns
            .iter()
            .filter(|c| c.block == super::words::Block::Plan)
    };
    let first_column = plan_columns()
        .min_by_key(|c| (c.year, c.col))
        .or_else(|| plan.year_columns.iter().min_by_key(|c| (c.year, c.col)));
    let first = first_column.map_or(last, |c| c.year);
    let first_cell = first_column
        .and_then(|c| c.heading)
        .map_or_else(String::new, |h| format!(", {h}"));
    if let Some(parent) = &settings.parent
        && first <= parent.base_year
    {
        return Err(Problem::new(format!(
            "the table's first year, {first}{first_cell}, is not after the base year of the scenario it extends ({})",
            parent.base_year
        ))
        .field("--extends"));
    }
    let (base_year, base_from) = match (&settings.parent, settings.base_year) {
        (Some(parent), _) => (parent.base_year, "the scenario it extends".to_string()),
        (None, Some(year)) => {
            if year >= first {
                return Err(Problem::new(format!(
                    "--base-year {year} is not before the table's first year, {first}{first_cell}: the base year is the budget year the plan starts from"
                ))
                .field("--base-year"));
            }
            (year, "--base-year".to_string())
        }
        (None, None) => {
            let year = FinancialYear::starting_in(first.start_year().saturating_sub(1))
                .ok_or_else(|| Problem::new(format!("{first} is too early a first year")))?;
            (
                year,
                format!(
                    "inferred: the year before the first year column ({first}{first_cell}); --base-year sets it"
                ),
            )
        }
    };
    if let Some(figure) = plan
        .lines
        .iter()
        .flat_map(super::Line::figures)
        .find(|f| f.year <= base_year)
    {
        return Err(Problem::at(
            super::grid::address(&plan.sheet, figure.at),
            format!(
                "a figure for {}, not after the base year {base_year}: a scenario's figures are for the years after it",
                figure.year
            ),
        )
        .help(if settings.parent.is_some() {
            "leave the cell blank: the scenario extended sets the base year"
        } else {
            "give an earlier --base-year, or leave the cell blank"
        }));
    }
    if let Some(parent) = &settings.parent {
        return Ok(Frame {
            base_year,
            horizon: parent.horizon,
            base_from,
        });
    }
    let span = last.years_after(base_year);
    let horizon = u16::try_from(span).unwrap_or(u16::MAX);
    if horizon > MAX_HORIZON {
        return Err(Problem::new(format!(
            "the table runs from {base_year} to {last}, {horizon} years; a scenario projects at most {MAX_HORIZON}"
        )));
    }
    if let Some(as_at) = plan.as_at.as_ref().map(|m| m.value)
        && let Some(current) = as_at.financial_year()
        && (current < base_year || current > last)
    {
        return Err(Problem::new(format!(
            "the month the figures describe, {as_at}, is in {current}, outside the scenario's years ({base_year} to {last})"
        ))
        .field("as_at"));
    }
    Ok(Frame {
        base_year,
        horizon,
        base_from,
    })
}

/// A TOML basic string: in double quotes, `"` and `\` escaped, control characters as codes.
pub fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for a comment: one line, control characters escaped.
fn comment_text(text: &str) -> String {
    shown_name(&text.replace(['\n', '\r'], " "))
}

/// `{ "2025/26" = 120, "2026/27" = 80 }`.
fn year_table(figures: &[Figure]) -> String {
    let entries: Vec<String> = figures
        .iter()
        .map(|f| format!("\"{}\" = {}", f.year, number(f.value)))
        .collect();
    if entries.is_empty() {
        "{}".to_string()
    } else {
        format!("{{ {} }}", entries.join(", "))
    }
}

/// A figure as TOML writes it: its decimal digits, never an exponent.
fn number(value: Decimal) -> String {
    let text = value.normalize().to_string();
    if text == "-0" { "0".to_string() } else { text }
}

/// Where a line came from: `plan.xlsx, Savings!A7:F7`.
pub fn line_source(plan: &ImportedPlan, line: &super::Line) -> String {
    let range = super::grid::range_address(
        &plan.sheet,
        super::CellRef::new(line.row, line.first_col),
        super::CellRef::new(line.row, line.last_col),
    );
    clean_text(&format!("{}, {range}", plan.file_name)).0
}

/// The scenario's text.
pub fn scenario_text(plan: &ImportedPlan, settings: &Settings) -> Result<String, Problem> {
    let frame = frame(plan, settings)?;
    let mut out = String::new();
    let sheet_words = if plan.sheet.is_empty() {
        String::new()
    } else {
        format!(", sheet {}", toml_string(&plan.sheet))
    };
    let _ = writeln!(
        out,
        "# Imported by savings import from {}{sheet_words} (header row {}).",
        comment_text(&plan.file_name),
        plan.header_row + 1
    );
    let _ = writeln!(out, "# Command: {}", comment_text(&settings.command));
    let unit_words = plan
        .unit
        .as_ref()
        .map_or_else(|| "the sheet's unit".to_string(), |u| u.value.clone());
    let sign_words = if plan.sign.value < 0 {
        "; savings printed as negatives in the sheet are written positive"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "# Figures are in {unit_words}, as the sheet holds them{sign_words}."
    );
    let _ = writeln!(
        out,
        "# Each [[service]] is a line of the sheet and names the cells it was read from."
    );
    out.push('\n');
    out.push_str("[scenario]\n");
    let name = plan
        .title
        .as_ref()
        .map(|(_, t)| clean_text(t).0)
        .filter(|t| !t.is_empty());
    match &settings.parent {
        Some(parent) => {
            let _ = writeln!(out, "extends = {}", toml_string(&parent.path));
        }
        None => {
            let name = name.unwrap_or_else(|| {
                let stem = plan
                    .file_name
                    .rsplit_once('.')
                    .map_or(plan.file_name.as_str(), |(s, _)| s);
                clean_text(stem).0
            });
            let _ = writeln!(out, "name = {}", toml_string(&name));
            let _ = writeln!(
                out,
                "base_year = \"{}\"   # {}",
                frame.base_year,
                comment_text(&frame.base_from)
            );
            let _ = writeln!(out, "horizon = {}", frame.horizon);
            match &plan.unit {
                Some(unit) => {
                    let _ = writeln!(
                        out,
                        "unit = {}   # {}",
                        toml_string(&unit.value),
                        comment_text(&unit.from)
                    );
                }
                None => {
                    let _ = writeln!(
                        out,
                        "# {TODO_MARKER}: the unit: the sheet names none, so the scenario's default (£m) applies; add unit = \"£000\" (or \"£m\") above, or import again with --unit"
                    );
                }
            }
        }
    }
    if let Some(as_at) = &plan.as_at {
        let _ = writeln!(
            out,
            "as_at = \"{}\"   # {}",
            as_at.value,
            comment_text(&as_at.from)
        );
    }
    if settings.parent.is_none() {
        let _ = writeln!(
            out,
            "\n# {TODO_MARKER}: the gap: the sheet gives no gap or budget; add [gap] unidentified = {{ \"{}\" = ... }} (or [budget] with [[pressure]] and [[funding]] lines), or import again with --extends a scenario that has them",
            frame.base_year.plus(1).unwrap_or(frame.base_year)
        );
    }
    let basis = plan.basis.as_ref().map(|b| basis_name(b.value));
    for line in &plan.lines {
        let source = line_source(plan, line);
        out.push_str("\n[[service]]\n");
        let _ = writeln!(out, "# {}", comment_text(&source));
        let _ = writeln!(out, "id = {}", toml_string(&line.id));
        if line.named || settings.parent.is_none() {
            let _ = writeln!(out, "name = {}", toml_string(&line.name));
        }
        if let Some(area) = line.area.as_deref().filter(|a| !a.is_empty()) {
            let _ = writeln!(out, "area = {}", toml_string(area));
        }
        if !(line.status_default && settings.parent.is_some()) {
            let _ = writeln!(out, "status = \"{}\"", line.status);
        }
        if let Some(basis) = basis {
            let _ = write!(out, "saving = {{ {basis} = {} }}", year_table(&line.plan));
            if line.plan.is_empty() {
                out.push_str("   # the sheet gives this line no figures");
            }
            out.push('\n');
        }
        if !line.delivered.is_empty() {
            let _ = writeln!(out, "delivered = {}", year_table(&line.delivered));
        }
        if !line.forecast.is_empty() {
            let _ = writeln!(out, "forecast = {}", year_table(&line.forecast));
        }
        if let Some(rag) = line.rag {
            let _ = writeln!(out, "rag = \"{rag}\"");
        }
        let _ = writeln!(out, "source = {}", toml_string(&source));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn strings_are_escaped_on_one_line() {
        assert_eq!(toml_string("plain"), "\"plain\"");
        assert_eq!(toml_string("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"");
        assert_eq!(toml_string("a\nb\tc"), "\"a\\u000Ab\\u0009c\"");
        assert_eq!(toml_string("£000 café"), "\"£000 café\"");
    }

    #[test]
    fn figures_are_written_as_their_digits() {
        let n = |t: &str| number(Decimal::from_str(t).expect("a decimal"));
        assert_eq!(n("567.2"), "567.2");
        assert_eq!(n("-567.20"), "-567.2");
        assert_eq!(n("0.0000001"), "0.0000001");
        assert_eq!(n("1000000"), "1000000");
        assert_eq!(n("-0"), "0");
    }
}
