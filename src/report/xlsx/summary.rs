//! The `Summary` sheet, the one the workbook opens on: the scenario and where it came from,
//! the overlap and discount rate (live, from Inputs), the figures over the horizon per case as
//! formulas over the Projection, the deferred services, and notes.

use anyhow::Result;
use rust_xlsxwriter::{Format, Worksheet};

use super::cells::{abs, formula, range, rel, sum_rows, text, text_with};
use super::formats::{Formats, header_rows};
use super::inputs::{Drive, InputsLayout};
use super::projection::{
    CaseRows, FIRST_YEAR_COL, ProjectionRows, YEAR_LABEL_ROW, YEAR_NUMBER_ROW,
};
use super::{INPUTS, PROJECTION};
use crate::model::Case;
use crate::output::PROGRAM;
use crate::report::ReportInput;

/// Writes the Summary sheet from the rows of the Projection it reads.
pub(super) fn write_summary(
    sheet: &mut Worksheet,
    input: &ReportInput,
    layout: &InputsLayout,
    rows: &ProjectionRows,
    f: &Formats,
) -> Result<()> {
    let scenario = input.scenario;
    let unit = &scenario.unit;
    let horizon = scenario.horizon;
    sheet.set_formula_result_default("");
    text_with(
        sheet,
        0,
        0,
        &format!("Savings report: {}", scenario.name),
        &f.title,
    )?;
    let years_text = match (scenario.years().next(), scenario.years().last()) {
        (Some(first), Some(last)) if first != last => format!("{horizon} years: {first} to {last}"),
        (Some(first), _) => format!("1 year: {first}"),
        _ => format!("{horizon} years"),
    };
    let mut row = 2;
    let facts: Vec<(&str, String)> = vec![
        ("Scenario", scenario.name.clone()),
        ("Scenario file", input.file.to_string()),
        (
            "Extends",
            if input.extends.is_empty() {
                "nothing".to_string()
            } else {
                input.extends.join(", which extends ")
            },
        ),
        ("Base year", scenario.base_year.to_string()),
        ("Horizon", years_text),
        ("Unit", unit.clone()),
        (
            "MTFP period",
            format!("{} to {}", scenario.mtfp_period.0, scenario.mtfp_period.1),
        ),
        (
            "Overrides applied",
            if input.overrides.is_empty() {
                "none".to_string()
            } else {
                input.overrides.join(" ")
            },
        ),
        ("Program", PROGRAM.to_string()),
    ];
    for (label, value) in &facts {
        sheet.write_string_with_format(row, 0, *label, &f.heading)?;
        text(sheet, row, 1, value)?;
        row += 1;
    }
    sheet.write_string_with_format(row, 0, "Overlap w (Inputs)", &f.heading)?;
    formula(sheet, row, 1, "=Overlap", &f.share)?;
    row += 1;
    sheet.write_string_with_format(row, 0, "Discount rate (Inputs)", &f.heading)?;
    formula(sheet, row, 1, "=DiscountRate", &f.percent)?;
    row += 2;

    // The figures over the horizon, per case, live.
    text_with(
        sheet,
        row,
        0,
        &format!("Over the horizon ({unit}), all services taken forward"),
        &f.header,
    )?;
    for (col, case) in (1..).zip(Case::ALL) {
        sheet.write_string_with_format(row, col, case.name(), &f.header)?;
    }
    row += 1;
    let last_year_col = FIRST_YEAR_COL + horizon - 1;
    let across = |r: u32| range(PROJECTION, (r, FIRST_YEAR_COL), (r, last_year_col));
    let year_labels = across(YEAR_LABEL_ROW);
    let year_numbers = across(YEAR_NUMBER_ROW);
    let taken_rows = layout.taken_rows();
    let total_row = row;
    let figures: Vec<(&str, &Format, CaseFormula)> = vec![
        (
            "Total saving (sum of D)",
            &f.money,
            Box::new(|_, r: &CaseRows| format!("=SUM({})", across(r.in_year_total))),
        ),
        (
            "Average a year",
            &f.money,
            Box::new(|case, _: &CaseRows| {
                let col = 1 + case_index(case);
                format!("={}/{horizon}", rel(total_row, col))
            }),
        ),
        (
            "Steady-state annual saving (sum of S)",
            &f.money,
            Box::new(|case, _: &CaseRows| {
                format!(
                    "={}",
                    sum_rows(INPUTS, &taken_rows, layout.saving_col(case))
                )
            }),
        ),
        (
            "Net present value of D - C at the discount rate",
            &f.money,
            Box::new(|_, r: &CaseRows| {
                format!(
                    "=-{PROJECTION}!{}+SUMPRODUCT(({}-{})/(1+DiscountRate)^({year_numbers}-BaseYear))",
                    abs(rows.base_year_cost, FIRST_YEAR_COL),
                    across(r.in_year_total),
                    across(rows.cost_total),
                )
            }),
        ),
        (
            "Payback year (cumulative D - C at least 0 from then on; none needed with no saving and no cost)",
            &f.right,
            Box::new(|_, r: &CaseRows| {
                format!(
                    "=IF(AND(SUMPRODUCT(ABS({}))=0,SUMPRODUCT(ABS({}))=0,{PROJECTION}!{}=0),\"none needed\",IFERROR(INDEX({year_labels},SUMPRODUCT(MAX(({}<0)*({year_numbers}-BaseYear)))+1),\"none\"))",
                    across(r.in_year_total),
                    across(rows.cost_total),
                    abs(rows.base_year_cost, FIRST_YEAR_COL),
                    across(r.cumulative_net)
                )
            }),
        ),
        (
            "Years closed (remaining gap R <= 0)",
            &f.whole,
            Box::new(|_, r: &CaseRows| format!("=COUNTIF({},\"yes\")", across(r.closed))),
        ),
        (
            "First year closed",
            &f.right,
            Box::new(|_, r: &CaseRows| {
                format!(
                    "=IFERROR(INDEX({year_labels},MATCH(\"yes\",{},0)),\"none\")",
                    across(r.closed)
                )
            }),
        ),
    ];
    for (label, format, make) in &figures {
        sheet.write_string(row, 0, *label)?;
        for (case, case_rows) in Case::ALL.into_iter().zip(&rows.cases) {
            formula(
                sheet,
                row,
                1 + case_index(case),
                &make(case, case_rows),
                format,
            )?;
        }
        row += 1;
    }
    row += 1;

    sheet.write_string_with_format(
        row,
        0,
        "Deferred services (no option taken forward: they contribute nothing and their planned savings stay out of LP)",
        &f.heading,
    )?;
    row += 1;
    let mut any_deferred = false;
    for service in scenario.deferred() {
        text(sheet, row, 0, &service.id)?;
        text(sheet, row, 1, &service.name)?;
        row += 1;
        any_deferred = true;
    }
    if !any_deferred {
        sheet.write_string(row, 0, "none")?;
        row += 1;
    }
    row += 1;

    sheet.write_string_with_format(row, 0, "Notes", &f.heading)?;
    row += 1;
    let mut notes = vec![
        format!(
            "Figures in {unit}; totals use unrounded values (cells hold every figure unrounded; the display rounds to {} decimal place{}).",
            input.dp,
            if input.dp == 1 { "" } else { "s" }
        ),
        "The Projection and the figures above are live formulas over the Inputs sheet: change a shaded input there and they recompute.".to_string(),
        "Only the options taken forward drive the Projection; to take another forward, copy its figures from below over those of the option taken forward of the same service.".to_string(),
        "Spreadsheets compute in binary floating point, so figures can differ from savings run in the 13th significant digit; a year counts as closed where its remaining gap is 0 or less to within a part in 10^11 of the figures it is computed from, so that a gap closed exactly (a balanced budget) is closed here too.".to_string(),
    ];
    if layout
        .taken
        .iter()
        .any(|t| matches!(t.drive, Drive::Profile(_)))
    {
        notes.push("A saving written year by year (a profile): its in-year saving in each year and case is on Inputs, below the options, and its steady state is its level in the last year.".to_string());
    }
    if layout.taken.iter().any(|t| t.status.is_planned()) {
        notes.push("A saving already in the plan (approved, in-base, withdrawn) is measured against its own plan, on Inputs: that is its LP, and it contributes what it delivers beyond it (D - LP, w not applied). Change its plan to move LP; change its yearly amounts (or S) to move what an approved line delivers. An in-base line delivers its plan in every case, a withdrawn line nothing.".to_string());
    }
    if let Some(bias) = crate::output::frame::bias_note(scenario) {
        notes.push(bias);
        notes.push("Inputs hold each option's saving, go-live and costs after optimism bias, as the model counts them; a saving already in the plan has its plan as written, before it.".to_string());
    }
    for note in &notes {
        text_with(sheet, row, 0, note, &f.note)?;
        row += 1;
    }

    sheet.set_column_width(0, 58)?;
    for col in 1..=3 {
        sheet.set_column_width(col, 16)?;
    }
    header_rows(sheet, 1, 0)?;
    Ok(())
}

/// How one figure of the Summary is computed in a case.
pub(super) type CaseFormula<'a> = Box<dyn Fn(Case, &CaseRows) -> String + 'a>;

pub(super) fn case_index(case: Case) -> u16 {
    match case {
        Case::Low => 0,
        Case::Central => 1,
        Case::High => 2,
    }
}
