//! `savings import --dry-run`: what the import found, cell by cell, as plain text: the sheet,
//! the header row, each column's role and heading cell, the unit and where it came from,
//! levels or increments and why, the sign rule, each line (its row, cells, id and figures),
//! each total and its check, the rows skipped and why, and any second table seen. Nothing is
//! written.

use std::fmt::Write as _;

use super::grid::{column_name, range_address, shown_text};
use super::table::basis_name;
use super::totals::Outcome;
use super::words::Block;
use super::write::Frame;
use super::{CellRef, Figure, ImportedPlan};
use crate::scenario::shown_name;

fn figures_text(figures: &[Figure]) -> String {
    figures
        .iter()
        .map(|f| {
            let as_sheet = if f.sheet == f.value {
                String::new()
            } else {
                format!(", the sheet shows {}", f.sheet)
            };
            format!("{} = {} ({}{as_sheet})", f.year, f.value.normalize(), f.at)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The dry run's report. `frame` is the base year and horizon the scenario would have.
pub fn report(plan: &ImportedPlan, frame: Option<&Frame>) -> String {
    // Cells are named bare: the sheet is named at the top.
    let at = |c: CellRef| c.to_string();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "savings import {} ({}): a dry run, nothing written",
        shown_name(&plan.file),
        plan.kind.name()
    );
    out.push('\n');
    if plan.sheet.is_empty() {
        let _ = writeln!(out, "Sheet: the CSV's one sheet");
    } else {
        let _ = writeln!(out, "Sheet: {:?}", shown_name(&plan.sheet));
    }
    for (name, why) in &plan.sheets_passed {
        let _ = writeln!(out, "  passed over sheet {:?}: {why}", shown_name(name));
    }
    if let Some((cell, title)) = &plan.title {
        let _ = writeln!(
            out,
            "Title: {} {:?} (the scenario's name)",
            at(*cell),
            shown_text(&shown_name(title), 80)
        );
    }
    let _ = writeln!(out, "Header row: {}", plan.header_row + 1);
    if let Some(row) = plan.unit_row {
        let _ = writeln!(out, "Unit row: {} (skipped)", row + 1);
    }
    out.push_str("\nColumns:\n");
    for c in &plan.columns {
        let heading = c
            .heading
            .map_or_else(String::new, |h| format!(" at {}", at(h)));
        let _ = writeln!(
            out,
            "  {:<4}{:<10}{}{heading}",
            column_name(c.col),
            c.role.name(),
            c.found
        );
    }
    for c in &plan.year_columns {
        let heading = c.heading.map_or_else(
            || "--columns".to_string(),
            |h| format!("heading at {}", at(h)),
        );
        let role = match c.block {
            Block::Plan => format!("{}", c.year),
            block => format!("{} {}", block.name(), c.year),
        };
        let _ = writeln!(out, "  {:<4}{:<10}{heading}", column_name(c.col), role);
    }
    for (cell, why) in &plan.ignored_columns {
        let _ = writeln!(
            out,
            "  {:<4}ignored   {}: {why}",
            column_name(cell.col),
            at(*cell)
        );
    }
    out.push('\n');
    match &plan.unit {
        Some(unit) => {
            let _ = writeln!(out, "Unit: {} ({})", unit.value, unit.from);
        }
        None => {
            let _ = writeln!(out, "Unit: none found (a TODO in the scenario)");
        }
    }
    if let Some(basis) = &plan.basis {
        let _ = writeln!(out, "Amounts: {} ({})", basis_name(basis.value), basis.from);
    }
    let _ = writeln!(out, "Sign: {}", plan.sign.from);
    if let Some(frame) = frame {
        let _ = writeln!(
            out,
            "Base year: {} ({}); horizon {} years",
            frame.base_year, frame.base_from, frame.horizon
        );
    }
    if let Some(as_at) = &plan.as_at {
        let _ = writeln!(out, "As at: {} ({})", as_at.value, as_at.from);
    }
    let _ = writeln!(out, "\nLines ({}):", plan.lines.len());
    for line in &plan.lines {
        let range = range_address(
            "",
            CellRef::new(line.row, line.first_col),
            CellRef::new(line.row, line.last_col),
        );
        let _ = writeln!(
            out,
            "  row {} {range}: id {:?}, name {:?}",
            line.row + 1,
            line.id,
            shown_text(&shown_name(&line.name), 60)
        );
        let mut facts = Vec::new();
        if let Some(area) = &line.area {
            facts.push(format!("area {:?}", shown_text(&shown_name(area), 40)));
        }
        facts.push(match &line.status_word {
            Some(word) => format!("status {} ({:?})", line.status, shown_text(word, 30)),
            None if line.status_default => {
                format!("status {} (no status given)", line.status)
            }
            None => format!("status {} (a blank status cell, --status)", line.status),
        });
        if let Some(rag) = line.rag {
            facts.push(format!("rag {rag}"));
        }
        let _ = writeln!(out, "    {}", facts.join(", "));
        if !line.plan.is_empty() {
            let _ = writeln!(out, "    plan: {}", figures_text(&line.plan));
        }
        if !line.delivered.is_empty() {
            let _ = writeln!(out, "    delivered: {}", figures_text(&line.delivered));
        }
        if !line.forecast.is_empty() {
            let _ = writeln!(out, "    forecast: {}", figures_text(&line.forecast));
        }
        for note in &line.notes {
            let _ = writeln!(out, "    note: {note}");
        }
    }
    if !plan.totals.is_empty() {
        let _ = writeln!(out, "\nTotals ({}):", plan.totals.len());
    }
    for total in &plan.totals {
        let label = total.label.as_deref().map_or_else(
            || "(no label: its formulas sum the rows above)".to_string(),
            |l| format!("{:?}", shown_text(&shown_name(l), 40)),
        );
        let _ = writeln!(out, "  row {} {label}: not a line", total.row + 1);
        for check in &total.checks {
            let field = match check.block {
                Block::Plan => check.year.to_string(),
                block => format!("{} {}", block.name(), check.year),
            };
            let verdict = match &check.outcome {
                Outcome::Agrees => format!("{} agrees with {}", check.sum, check.covers),
                Outcome::AgreesAsTheSheetAdds => format!(
                    "{} agrees with {} as the spreadsheet adds its numbers (exactly {})",
                    check.shown.map(|d| d.to_string()).unwrap_or_default(),
                    check.covers,
                    check.sum
                ),
                Outcome::FromRange => {
                    format!("no value saved: {} from {}", check.sum, check.covers)
                }
                Outcome::Differs | Outcome::Unreadable(_) => {
                    format!("DIFFERS: {}", check.words(""))
                }
            };
            let _ = writeln!(out, "    {} {field}: {verdict}", at(check.at));
        }
    }
    if !plan.headings.is_empty() {
        out.push_str("\nSection headings:\n");
        for (row, text) in &plan.headings {
            let _ = writeln!(
                out,
                "  row {}: {:?}",
                row + 1,
                shown_text(&shown_name(text), 60)
            );
        }
    }
    if !plan.skipped.is_empty() {
        out.push_str("\nRows skipped:\n");
        let mut blank: Vec<u32> = Vec::new();
        for skipped in &plan.skipped {
            if skipped.why == "blank" {
                blank.push(skipped.row + 1);
            } else {
                let _ = writeln!(out, "  row {}: {}", skipped.row + 1, skipped.why);
            }
        }
        if !blank.is_empty() {
            let rows: Vec<String> = blank.iter().map(ToString::to_string).collect();
            let _ = writeln!(out, "  blank: rows {}", rows.join(", "));
        }
    }
    if let Some(row) = plan.second_table {
        let _ = writeln!(
            out,
            "\nSecond table: row {} holds year headings again: the table ends above it, and the second table is not imported",
            row + 1
        );
    }
    let mismatches = plan.mismatches().count();
    if !plan.totals.is_empty() {
        let _ = writeln!(
            out,
            "\nTotals check: {}",
            if mismatches == 0 {
                "every total agrees".to_string()
            } else {
                format!(
                    "{mismatches} total cell{} differ{} from what {} cover{}",
                    if mismatches == 1 { "" } else { "s" },
                    if mismatches == 1 { "s" } else { "" },
                    if mismatches == 1 { "it" } else { "they" },
                    if mismatches == 1 { "s" } else { "" },
                )
            }
        );
    }
    out
}
