//! The spreadsheet report (`savings report --format xlsx`): the projection of docs/model.md
//! section 4 as live Excel formulas over the scenario's inputs, so that an officer can change
//! a saving, a go-live, a ramp step, a planned saving, the gap or the overlap and see the
//! remaining gap move.
//!
//! Sheets, in order (the workbook opens on the first):
//!
//! - `Summary`: scenario, file, base year, horizon, unit, overlap and discount rate (live, from
//!   Inputs), MTFP period, overrides applied, program version; per case (low, central, high)
//!   the total saving over the horizon, average a year, steady-state saving, NPV, payback
//!   year, years closed and first year closed, all formulas over Projection and Inputs; the
//!   services whose decision is deferred; notes.
//! - `Inputs`: the named parameters `Overlap` (w), `DiscountRate` and `BaseYear` (the calendar
//!   year the base year starts in; the layout depends on it, so it is not for changing); one
//!   row per option taken forward (service, option, saving low/central/high, go-live as
//!   written, go-live year as the calendar year it starts in, months counted in the go-live
//!   year, ramp `r(1)..r(H)` padded with its last value, one-off costs for the base year and
//!   each projected year); below, the other options for reference (the Projection does not use
//!   them); planned savings `P(y)` of every service (the base year's reported, not counted;
//!   deferred services' not counted); the unidentified gap `G(y)` and the required savings
//!   (context). Input cells are shaded.
//! - `Projection`: years across (header rows: the year, and the calendar year it starts in,
//!   which the formulas use), frozen with the label columns. First the figures that are the same
//!   in every case: planned savings to date `LP`, one-off costs `C` (and the base year's, t =
//!   0), the unidentified gap to date `LG`. Then for each case: in-year saving
//!   `D = S x r(k) x months / 12` with `k = year - go-live year + 1` (0 before go-live, the go-live
//!   year's months only in year 1, the ramp held at its last value), incremental saving `I`,
//!   contribution `N = D - w x LP`, remaining gap `R = LG - N(total)`, whether the year is
//!   closed, and cumulative `D - C` from the base year (for payback). Per service and in total.
//! - `Simulation` (with `--simulate`): the Monte Carlo spreads as run (values, not formulas:
//!   they are statistics of random draws, held as binary floating point by the simulation).
//! - `Sources`: every figure the scenario writes, its note, source and place.
//!
//! Layout for reading: figures in the scenario's unit shown to `--dp` places (`#,##0.0` by
//! default; ramp shares `0.0###`, the discount rate as a percentage), the unit in every
//! header, header rows and label columns frozen (Inputs: the parameters, the options header
//! and the service columns; Projection: the two year rows and the two label columns), column
//! widths set.
//!
//! Recalculation: no formula carries a cached result (each is written with an empty one,
//! `set_formula_result_default("")`, and the workbook asks for a full calculation on load), so
//! Excel and LibreOffice show what the formulas compute, never a stale figure.
//!
//! Exactness: input cells hold the model's exact decimals as the nearest binary double (the
//! format's limit) and the formulas compute in double precision, so the figures agree with
//! `savings run --format csv` to floating-point rounding (the tests hold them to 1e-9
//! relative), not to the last decimal digit.
//! Figures are shown to `--dp` places in the scenario's unit; cells hold them unrounded, and
//! totals use the unrounded values.
//!
//! Safety and determinism: all user text (ids, names, notes, file names, overrides) is
//! written as a string cell, never a formula, neutralised (a leading `'` where a spreadsheet
//! would read a formula), with invisible characters written as their codes (`\u{202e}`), and
//! cut with a marker where longer than a cell holds (32,767 characters), never refused late. The document's creation time is fixed (1 January 1980,
//! the zip entries' time), so the same input gives the same bytes.

use anyhow::{Context, Result};
use rust_decimal::Decimal;
use rust_xlsxwriter::utility::column_number_to_name;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

use super::ReportInput;
use crate::model::{Case, FinancialYear, Money, SavingOption, Scenario, Service, div};
use crate::output::{PROGRAM, neutralise};
use crate::scenario::displayed;

const SUMMARY: &str = "Summary";
const INPUTS: &str = "Inputs";
const PROJECTION: &str = "Projection";

/// The workbook's bytes (deterministic: no timestamps).
pub fn workbook(input: &ReportInput) -> Result<Vec<u8>> {
    let scenario = input.scenario;
    let formats = Formats::new(input.dp);
    let layout = InputsLayout::new(scenario)?;

    let mut inputs = Worksheet::new();
    inputs.set_name(INPUTS)?;
    write_inputs(&mut inputs, scenario, &layout, &formats)?;

    let mut projection = Worksheet::new();
    projection.set_name(PROJECTION)?;
    let rows = write_projection(&mut projection, scenario, &layout, &formats)?;

    let mut summary = Worksheet::new();
    summary.set_name(SUMMARY)?;
    write_summary(&mut summary, input, &layout, &rows, &formats)?;

    let mut workbook = Workbook::new();
    workbook.set_properties(&properties(scenario)?);
    workbook.push_worksheet(summary);
    workbook.push_worksheet(inputs);
    workbook.push_worksheet(projection);
    if let Some(simulation) = input.simulation {
        let mut sheet = Worksheet::new();
        sheet.set_name("Simulation")?;
        write_simulation(&mut sheet, scenario, simulation, &formats)?;
        workbook.push_worksheet(sheet);
    }
    let mut sources = Worksheet::new();
    sources.set_name("Sources")?;
    write_sources(&mut sources, input, &formats)?;
    workbook.push_worksheet(sources);
    let title = format!("Savings report: {}", scenario.name);
    for sheet in workbook.worksheets_mut() {
        print_setup(sheet, &title);
    }

    for (name, row) in [
        ("Overlap", OVERLAP_ROW),
        ("DiscountRate", RATE_ROW),
        ("BaseYear", BASE_YEAR_ROW),
    ] {
        workbook.define_name(name, &format!("={INPUTS}!{}", abs(row, PARAMETER_COL)))?;
    }
    workbook
        .save_to_buffer()
        .context("could not assemble the spreadsheet")
}

/// Title, author and a creation time fixed so that two runs give the same bytes.
fn properties(scenario: &Scenario) -> Result<DocProperties> {
    let fixed = ExcelDateTime::from_ymd(1980, 1, 1)?;
    Ok(DocProperties::new()
        .set_title(format!("Savings report: {}", displayed(&scenario.name)))
        .set_author(PROGRAM)
        .set_comment("The projection is live formulas over the Inputs sheet.")
        .set_creation_datetime(&fixed))
}

// ---------------------------------------------------------------------------------------------
// Printing.

/// A4, Excel's paper size 9.
const A4: u8 = 9;

/// The most characters of the report's title in a page header (Excel holds 255 in all).
const HEADER_TITLE: usize = 100;

/// The first `rows` rows (the title and column headers) and `cols` columns (the labels) stay
/// on screen as the sheet scrolls, and the rows are printed again at the top of every page.
fn header_rows(sheet: &mut Worksheet, rows: u32, cols: u16) -> Result<()> {
    sheet.set_freeze_panes(rows, cols)?;
    if let Some(last) = rows.checked_sub(1) {
        sheet.set_repeat_rows(0, last)?;
    }
    Ok(())
}

/// Every sheet prints landscape on A4, one page wide however many pages long, with the
/// report's title and the sheet's name at the top of each page and its number at the foot.
fn print_setup(sheet: &mut Worksheet, title: &str) {
    let name = page_text(&sheet.name(), HEADER_TITLE);
    sheet
        .set_landscape()
        .set_paper_size(A4)
        .set_print_fit_to_pages(1, 0)
        .set_header(format!("&L{}&R{name}", page_text(title, HEADER_TITLE)))
        .set_footer("&CPage &P of &N");
}

/// User text for a page header: invisible characters as their codes, at most `limit`
/// characters (cut with `…`), and `&` doubled so that Excel prints it rather than reading a
/// code.
fn page_text(text: &str, limit: usize) -> String {
    let shown = displayed(text);
    let cut: String = if shown.chars().count() > limit {
        shown.chars().take(limit - 1).chain(['…']).collect()
    } else {
        shown.into_owned()
    };
    cut.replace('&', "&&")
}

// ---------------------------------------------------------------------------------------------
// Cell references.

/// `$C$7`: a reference that stays put when copied.
fn abs(row: u32, col: u16) -> String {
    format!("${}${}", column_number_to_name(col), row + 1)
}

/// `C$2`: the column moves, the row stays.
fn row_fixed(row: u32, col: u16) -> String {
    format!("{}${}", column_number_to_name(col), row + 1)
}

/// `C7`.
fn rel(row: u32, col: u16) -> String {
    format!("{}{}", column_number_to_name(col), row + 1)
}

/// `Sheet!$C$7:$L$7`.
fn range(sheet: &str, first: (u32, u16), last: (u32, u16)) -> String {
    format!("{sheet}!{}:{}", abs(first.0, first.1), abs(last.0, last.1))
}

/// `SUM(range)`, or `0` over no rows at all.
fn sum_rows(sheet: &str, rows: &[u32], col: u16) -> String {
    match (rows.first(), rows.last()) {
        (Some(first), Some(last)) => format!("SUM({})", range(sheet, (*first, col), (*last, col))),
        _ => "0".to_string(),
    }
}

fn column(index: usize) -> Result<u16> {
    u16::try_from(index)
        .ok()
        .filter(|c| *c < 16_384)
        .context("too many columns for a spreadsheet")
}

fn row_number(index: usize) -> Result<u32> {
    u32::try_from(index)
        .ok()
        .filter(|r| *r < 1_048_576)
        .context("too many rows for a spreadsheet")
}

/// The most a cell holds, in UTF-16 code units as Excel counts: 32,767.
const MAX_CELL_UNITS: usize = 32_767;

/// Room left in a full cell for the marker saying what was cut.
const CUT_MARKER_ROOM: usize = 100;

/// User text as a cell holds it: invisible characters written as their codes (`\u{202e}`),
/// neutralised against formula injection, and, where longer than a cell holds (a comment of
/// 40,000 characters is valid), cut with a marker saying how much, so that the workbook is
/// always written.
fn cell_text(value: &str) -> String {
    let shown = displayed(value);
    let text = neutralise(&shown);
    if text.encode_utf16().count() <= MAX_CELL_UNITS {
        return text.into_owned();
    }
    let mut kept = String::new();
    let mut units = 0;
    let mut chars = text.chars();
    for c in chars.by_ref() {
        units += c.len_utf16();
        if units > MAX_CELL_UNITS - CUT_MARKER_ROOM {
            break;
        }
        kept.push(c);
    }
    let cut = chars.count() + 1;
    kept.push_str(&format!(
        " [... {cut} more characters cut: a spreadsheet cell holds {MAX_CELL_UNITS}]"
    ));
    kept
}

/// User text as a string cell (see [`cell_text`]).
fn text(sheet: &mut Worksheet, row: u32, col: u16, value: &str) -> Result<()> {
    sheet.write_string(row, col, cell_text(value))?;
    Ok(())
}

fn text_with(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: &str,
    format: &Format,
) -> Result<()> {
    sheet.write_string_with_format(row, col, cell_text(value), format)?;
    Ok(())
}

fn money(sheet: &mut Worksheet, row: u32, col: u16, value: Money, format: &Format) -> Result<()> {
    sheet.write_with_format(row, col, value.amount(), format)?;
    Ok(())
}

fn formula(sheet: &mut Worksheet, row: u32, col: u16, text: &str, format: &Format) -> Result<()> {
    sheet.write_formula_with_format(row, col, text, format)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Formats.

struct Formats {
    title: Format,
    heading: Format,
    header: Format,
    note: Format,
    money: Format,
    money_total: Format,
    money_input: Format,
    share: Format,
    share_input: Format,
    percent_input: Format,
    whole: Format,
    whole_input: Format,
    text_input: Format,
    probability: Format,
    right: Format,
    percent: Format,
}

impl Formats {
    fn new(dp: u32) -> Self {
        let money = if dp == 0 {
            "#,##0".to_string()
        } else {
            format!("#,##0.{}", "0".repeat(dp.min(10) as usize))
        };
        let input = Color::RGB(0xFFF2CC);
        Self {
            title: Format::new().set_bold().set_font_size(14),
            heading: Format::new().set_bold(),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_background_color(Color::RGB(0xE7ECF2))
                .set_border_bottom(FormatBorder::Thin),
            note: Format::new().set_italic(),
            money: Format::new().set_num_format(&money),
            money_total: Format::new()
                .set_bold()
                .set_num_format(&money)
                .set_border_top(FormatBorder::Thin),
            money_input: Format::new()
                .set_num_format(&money)
                .set_background_color(input),
            share: Format::new().set_num_format("0.0###"),
            share_input: Format::new()
                .set_num_format("0.0###")
                .set_background_color(input),
            percent_input: Format::new()
                .set_num_format("0.0##%")
                .set_background_color(input),
            whole: Format::new().set_num_format("0"),
            whole_input: Format::new()
                .set_num_format("0")
                .set_background_color(input),
            text_input: Format::new().set_background_color(input),
            probability: Format::new().set_num_format("0.0%"),
            right: Format::new().set_align(FormatAlign::Right),
            percent: Format::new().set_num_format("0.0##%"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Inputs.

const TITLE_ROW: u32 = 0;
const OVERLAP_ROW: u32 = 1;
const RATE_ROW: u32 = 2;
const BASE_YEAR_ROW: u32 = 3;
const PARAMETER_COL: u16 = 1;
const OPTIONS_HEADER_ROW: u32 = 5;

const SERVICE_ID: u16 = 0;
const SERVICE_NAME: u16 = 1;
const OPTION_ID: u16 = 2;
const OPTION_NAME: u16 = 3;
/// Saving low, central, high: this and the next two columns.
const SAVING: u16 = 4;
const GO_LIVE_WRITTEN: u16 = 7;
const GO_LIVE_YEAR: u16 = 8;
const MONTHS: u16 = 9;
/// `r(1)`; `r(k)` is `RAMP + k - 1`, up to `k = H`.
const RAMP: u16 = 10;
/// The base year's column in the planned and gap blocks; year t is `PLAN_BASE + t`.
const PLAN_BASE: u16 = 3;

/// Where everything is on the Inputs sheet.
struct InputsLayout {
    horizon: u16,
    /// Options taken forward, in file order: (service index, option index, row).
    taken: Vec<(usize, usize, u32)>,
    /// The other options: (service index, option index, row); `others_heading` above them.
    others: Vec<(usize, usize, u32)>,
    others_heading: u32,
    plan_header: u32,
    /// Each service's planned-savings row, by service index.
    plan_rows: Vec<u32>,
    gap_header: u32,
    unidentified_row: u32,
    required_row: u32,
}

impl InputsLayout {
    fn new(scenario: &Scenario) -> Result<Self> {
        let mut next = OPTIONS_HEADER_ROW + 1;
        let mut allot = || -> Result<u32> {
            let row = next;
            next = next
                .checked_add(1)
                .context("too many rows for a spreadsheet")?;
            row_number(row as usize)
        };
        let mut taken = Vec::new();
        for (s, service) in scenario.services.iter().enumerate() {
            if let Some(o) = service.taken_forward {
                taken.push((s, o, allot()?));
            }
        }
        allot()?;
        let others_heading = allot()?;
        let mut others = Vec::new();
        for (s, service) in scenario.services.iter().enumerate() {
            for o in 0..service.options.len() {
                if service.taken_forward != Some(o) {
                    others.push((s, o, allot()?));
                }
            }
        }
        allot()?;
        let plan_header = allot()?;
        let plan_rows = scenario
            .services
            .iter()
            .map(|_| allot())
            .collect::<Result<_>>()?;
        allot()?;
        let gap_header = allot()?;
        let unidentified_row = allot()?;
        let required_row = allot()?;
        Ok(Self {
            horizon: scenario.horizon,
            taken,
            others,
            others_heading,
            plan_header,
            plan_rows,
            gap_header,
            unidentified_row,
            required_row,
        })
    }

    fn saving_col(case: Case) -> u16 {
        SAVING
            + match case {
                Case::Low => 0,
                Case::Central => 1,
                Case::High => 2,
            }
    }

    /// The one-off cost column of year t (0 the base year, 1 the first projected year).
    fn cost_col(&self, t: u16) -> u16 {
        RAMP + self.horizon + t
    }

    fn last_ramp_col(&self) -> u16 {
        RAMP + self.horizon - 1
    }

    fn taken_rows(&self) -> Vec<u32> {
        self.taken.iter().map(|(_, _, row)| *row).collect()
    }
}

fn write_inputs(
    sheet: &mut Worksheet,
    scenario: &Scenario,
    layout: &InputsLayout,
    f: &Formats,
) -> Result<()> {
    let unit = &scenario.unit;
    let years: Vec<FinancialYear> = scenario.years().collect();
    text_with(
        sheet,
        TITLE_ROW,
        0,
        &format!(
            "Inputs, in {unit}: change a shaded figure and the Projection and Summary recompute"
        ),
        &f.title,
    )?;

    sheet.write_string(OVERLAP_ROW, 0, "Overlap w")?;
    sheet.write_with_format(
        OVERLAP_ROW,
        PARAMETER_COL,
        scenario.overlap.value(),
        &f.share_input,
    )?;
    sheet.write_string(
        OVERLAP_ROW,
        2,
        "Share of planned savings the market estimates already include, 0 to 1 (name: Overlap)",
    )?;
    sheet.write_string(RATE_ROW, 0, "Discount rate")?;
    sheet.write_with_format(
        RATE_ROW,
        PARAMETER_COL,
        scenario.discount_rate.value(),
        &f.percent_input,
    )?;
    sheet.write_string(RATE_ROW, 2, "Real, for the NPV (name: DiscountRate)")?;
    sheet.write_string(BASE_YEAR_ROW, 0, "Base year starts in")?;
    sheet.write_with_format(
        BASE_YEAR_ROW,
        PARAMETER_COL,
        scenario.base_year.start_year(),
        &f.whole,
    )?;
    text(
        sheet,
        BASE_YEAR_ROW,
        2,
        &format!(
            "{}: t = 0 of the NPV; the years are laid out from it, so leave it be (name: BaseYear)",
            scenario.base_year
        ),
    )?;

    // Options: those taken forward drive the Projection.
    let mut headers: Vec<String> = vec![
        "Service id".into(),
        "Service".into(),
        "Option id".into(),
        "Option (taken forward)".into(),
        format!("Saving S low ({unit})"),
        format!("Saving S central ({unit})"),
        format!("Saving S high ({unit})"),
        "Go-live as written".into(),
        "Go-live year (starts in April of)".into(),
        "Months counted in the go-live year".into(),
    ];
    headers.extend((1..=layout.horizon).map(|k| format!("Ramp r({k})")));
    headers.push(format!(
        "One-off cost {} base year ({unit})",
        scenario.base_year
    ));
    headers.extend(years.iter().map(|y| format!("One-off cost {y} ({unit})")));
    for (i, header) in headers.iter().enumerate() {
        text_with(sheet, OPTIONS_HEADER_ROW, column(i)?, header, &f.header)?;
    }
    for (s, o, row) in &layout.taken {
        write_option(sheet, scenario, layout, *s, *o, *row, true, f)?;
    }
    if layout.taken.is_empty() {
        sheet.write_string(
            OPTIONS_HEADER_ROW + 1,
            0,
            "No option is taken forward: every service's decision is deferred.",
        )?;
    }

    sheet.write_string_with_format(
        layout.others_heading,
        0,
        if layout.others.is_empty() {
            "Options not taken forward: none"
        } else {
            "Options not taken forward (for reference: the Projection does not use them)"
        },
        &f.heading,
    )?;
    for (s, o, row) in &layout.others {
        write_option(sheet, scenario, layout, *s, *o, *row, false, f)?;
    }

    // Planned savings, every service.
    let mut plan_headers: Vec<String> = vec![
        "Service id".into(),
        "Service".into(),
        "Counted in planned savings to date (LP)".into(),
        format!(
            "Planned {} base year: in the base budget, not counted ({unit})",
            scenario.base_year
        ),
    ];
    plan_headers.extend(years.iter().map(|y| format!("Planned P {y} ({unit})")));
    for (i, header) in plan_headers.iter().enumerate() {
        text_with(sheet, layout.plan_header, column(i)?, header, &f.header)?;
    }
    for (service, row) in scenario.services.iter().zip(&layout.plan_rows) {
        let counted = service.taken_forward.is_some();
        text(sheet, *row, SERVICE_ID, &service.id)?;
        text(sheet, *row, SERVICE_NAME, &service.name)?;
        sheet.write_string(
            *row,
            2,
            if counted {
                "yes"
            } else {
                "no: deferred, kept in-house"
            },
        )?;
        money(
            sheet,
            *row,
            PLAN_BASE,
            service.planned.get(scenario.base_year),
            &f.money,
        )?;
        let shade = if counted { &f.money_input } else { &f.money };
        for (t, year) in (1..).zip(&years) {
            money(
                sheet,
                *row,
                PLAN_BASE + t,
                service.planned.get(*year),
                shade,
            )?;
        }
    }

    // The gap.
    let mut gap_headers: Vec<String> = vec![
        "The MTFP's gap".into(),
        String::new(),
        String::new(),
        String::new(),
    ];
    gap_headers.extend(years.iter().map(|y| format!("{y} ({unit})")));
    for (i, header) in gap_headers.iter().enumerate() {
        text_with(sheet, layout.gap_header, column(i)?, header, &f.header)?;
    }
    sheet.write_string(
        layout.unidentified_row,
        0,
        "Unidentified gap G(y), incremental",
    )?;
    sheet.write_string(
        layout.required_row,
        0,
        "Savings required by the MTFP (context only)",
    )?;
    for (t, year) in (1..).zip(&years) {
        money(
            sheet,
            layout.unidentified_row,
            PLAN_BASE + t,
            scenario.gap.unidentified.get(*year),
            &f.money_input,
        )?;
        money(
            sheet,
            layout.required_row,
            PLAN_BASE + t,
            scenario.gap.required.get(*year),
            &f.money,
        )?;
    }

    sheet.set_column_width(SERVICE_ID, 16)?;
    sheet.set_column_width(SERVICE_NAME, 28)?;
    sheet.set_column_width(OPTION_ID, 16)?;
    sheet.set_column_width(OPTION_NAME, 36)?;
    for col in SAVING..RAMP {
        sheet.set_column_width(col, 11)?;
    }
    for col in RAMP..=layout.last_ramp_col() {
        sheet.set_column_width(col, 8)?;
    }
    for t in 0..=layout.horizon {
        sheet.set_column_width(layout.cost_col(t), 11)?;
    }
    sheet.set_row_height(OPTIONS_HEADER_ROW, 45)?;
    sheet.set_row_height(layout.plan_header, 45)?;
    header_rows(sheet, OPTIONS_HEADER_ROW + 1, SERVICE_NAME + 1)?;
    Ok(())
}

/// One option's row: what it saves, when, how it builds up and what it costs.
#[allow(clippy::too_many_arguments)]
fn write_option(
    sheet: &mut Worksheet,
    scenario: &Scenario,
    layout: &InputsLayout,
    service_index: usize,
    option_index: usize,
    row: u32,
    taken_forward: bool,
    f: &Formats,
) -> Result<()> {
    let (service, option): (&Service, &SavingOption) = scenario
        .services
        .get(service_index)
        .and_then(|s| s.options.get(option_index).map(|o| (s, o)))
        .context("an option the layout names is missing")?;
    let (money_format, share_format, whole_format, text_format) = if taken_forward {
        (
            &f.money_input,
            &f.share_input,
            &f.whole_input,
            &f.text_input,
        )
    } else {
        (&f.money, &f.share, &f.whole, &Format::new())
    };
    text(sheet, row, SERVICE_ID, &service.id)?;
    text(sheet, row, SERVICE_NAME, &service.name)?;
    text(sheet, row, OPTION_ID, &option.id)?;
    text(sheet, row, OPTION_NAME, &option.name)?;
    for case in Case::ALL {
        money(
            sheet,
            row,
            InputsLayout::saving_col(case),
            *option.saving.get(case),
            money_format,
        )?;
    }
    text_with(
        sheet,
        row,
        GO_LIVE_WRITTEN,
        &option.start.to_string(),
        text_format,
    )?;
    sheet.write_with_format(
        row,
        GO_LIVE_YEAR,
        option.start.financial_year().start_year(),
        whole_format,
    )?;
    sheet.write_with_format(
        row,
        MONTHS,
        option.start.months_in_first_year(),
        whole_format,
    )?;
    for k in 1..=layout.horizon {
        let (numerator, denominator) = option.ramp.fraction(u32::from(k));
        let share = div(numerator, Decimal::from(denominator)).with_context(|| {
            format!("the ramp of service[{}].option[{}]", service.id, option.id)
        })?;
        sheet.write_with_format(row, RAMP + k - 1, share, share_format)?;
    }
    money(
        sheet,
        row,
        layout.cost_col(0),
        option.one_off_cost.get(scenario.base_year),
        money_format,
    )?;
    for (t, year) in (1..).zip(scenario.years()) {
        money(
            sheet,
            row,
            layout.cost_col(t),
            option.one_off_cost.get(year),
            money_format,
        )?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Projection.

const YEAR_LABEL_ROW: u32 = 0;
const YEAR_NUMBER_ROW: u32 = 1;
/// The first projected year's column; year t (1-based) is in `FIRST_YEAR_COL + t - 1`.
const FIRST_YEAR_COL: u16 = 2;

/// Rows of the Projection that the Summary refers to.
struct ProjectionRows {
    base_year_cost: u32,
    cost_total: u32,
    /// In `Case::ALL` order.
    cases: Vec<CaseRows>,
}

struct CaseRows {
    in_year_total: u32,
    remaining_gap: u32,
    closed: u32,
    cumulative_net: u32,
}

/// The Projection sheet's cursor and shape.
struct ProjectionWriter<'a> {
    sheet: &'a mut Worksheet,
    row: u32,
    horizon: u16,
    f: &'a Formats,
}

impl ProjectionWriter<'_> {
    fn last_year_col(&self) -> u16 {
        FIRST_YEAR_COL + self.horizon - 1
    }

    fn total_col(&self) -> u16 {
        FIRST_YEAR_COL + self.horizon
    }

    fn heading(&mut self, title: &str) -> Result<()> {
        self.row += 1;
        text_with(self.sheet, self.row, 0, title, &self.f.heading)?;
        self.row += 1;
        Ok(())
    }

    /// One row: labels, then `formula_at(col)` in each year's column, and the sum over the
    /// horizon in the total column if `with_total`. Returns the row written.
    fn line(
        &mut self,
        id: &str,
        label: &str,
        total: bool,
        with_total: bool,
        formula_at: &dyn Fn(u16) -> String,
    ) -> Result<u32> {
        let row = self.row;
        let format = if total {
            &self.f.money_total
        } else {
            &self.f.money
        };
        text(self.sheet, row, 0, id)?;
        text(self.sheet, row, 1, label)?;
        for col in FIRST_YEAR_COL..=self.last_year_col() {
            formula(
                self.sheet,
                row,
                col,
                &format!("={}", formula_at(col)),
                format,
            )?;
        }
        if with_total {
            let sum = format!(
                "=SUM({}:{})",
                rel(row, FIRST_YEAR_COL),
                rel(row, self.last_year_col())
            );
            formula(self.sheet, row, self.total_col(), &sum, format)?;
        }
        self.row += 1;
        Ok(row)
    }

    /// The total of the service rows `rows`, column by column.
    fn total_line(&mut self, label: &str, rows: &[u32], with_total: bool) -> Result<u32> {
        let sum = |col: u16| match (rows.first(), rows.last()) {
            (Some(first), Some(last)) => {
                format!("SUM({}:{})", rel(*first, col), rel(*last, col))
            }
            _ => "0".to_string(),
        };
        self.line("total", label, true, with_total, &sum)
    }
}

fn write_projection(
    sheet: &mut Worksheet,
    scenario: &Scenario,
    layout: &InputsLayout,
    f: &Formats,
) -> Result<ProjectionRows> {
    let unit = &scenario.unit;
    let horizon = scenario.horizon;
    sheet.set_formula_result_default("");
    text_with(sheet, YEAR_LABEL_ROW, 0, "Service id", &f.header)?;
    text_with(
        sheet,
        YEAR_LABEL_ROW,
        1,
        &format!("Figure ({unit})"),
        &f.header,
    )?;
    sheet.write_blank(YEAR_NUMBER_ROW, 0, &f.header)?;
    sheet.write_string_with_format(
        YEAR_NUMBER_ROW,
        1,
        "Financial year starting in April of",
        &f.header,
    )?;
    for (col, year) in (FIRST_YEAR_COL..).zip(scenario.years()) {
        text_with(sheet, YEAR_LABEL_ROW, col, &year.to_string(), &f.header)?;
        sheet.write_with_format(YEAR_NUMBER_ROW, col, year.start_year(), &f.header)?;
    }
    let total_col = FIRST_YEAR_COL + horizon;
    text_with(
        sheet,
        YEAR_LABEL_ROW,
        total_col,
        "Total over the horizon",
        &f.header,
    )?;
    sheet.write_blank(YEAR_NUMBER_ROW, total_col, &f.header)?;

    let taken: Vec<(&Service, u32)> = layout
        .taken
        .iter()
        .filter_map(|(s, _, row)| scenario.services.get(*s).map(|service| (service, *row)))
        .collect();
    let plan_row = |service_index: usize| layout.plan_rows.get(service_index).copied();
    // The Inputs column of the year in Projection column `col`.
    let inputs_year_col = |col: u16| PLAN_BASE + 1 + (col - FIRST_YEAR_COL);
    let cost_col = |col: u16| layout.cost_col(1 + col - FIRST_YEAR_COL);

    let mut w = ProjectionWriter {
        sheet,
        row: YEAR_NUMBER_ROW + 1,
        horizon,
        f,
    };

    // The same in every case.
    w.heading(&format!(
        "Planned savings to date LP(y), the same in every case ({unit}): P summed from the first projected year"
    ))?;
    let mut lp_rows = Vec::new();
    for (s, _, _) in &layout.taken {
        let (Some(service), Some(p)) = (scenario.services.get(*s), plan_row(*s)) else {
            continue;
        };
        let first = abs(p, PLAN_BASE + 1);
        lp_rows.push(w.line(&service.id, &service.name, false, false, &|col| {
            format!(
                "SUM({INPUTS}!{first}:{})",
                row_fixed(p, inputs_year_col(col))
            )
        })?);
    }
    w.total_line("All services taken forward", &lp_rows, false)?;

    w.heading(&format!("One-off costs C(y) ({unit})"))?;
    let mut cost_rows = Vec::new();
    for (service, input_row) in &taken {
        let r = *input_row;
        cost_rows.push(w.line(&service.id, &service.name, false, true, &|col| {
            format!("{INPUTS}!{}", abs(r, cost_col(col)))
        })?);
    }
    let cost_total = w.total_line("All services taken forward", &cost_rows, true)?;
    let base_year_cost = w.row;
    text(w.sheet, base_year_cost, 0, "total")?;
    text(
        w.sheet,
        base_year_cost,
        1,
        &format!(
            "One-off costs in the base year {} (t = 0 of NPV and payback)",
            scenario.base_year
        ),
    )?;
    formula(
        w.sheet,
        base_year_cost,
        FIRST_YEAR_COL,
        &format!(
            "={}",
            sum_rows(INPUTS, &layout.taken_rows(), layout.cost_col(0))
        ),
        &f.money_total,
    )?;
    w.row += 1;

    w.heading(&format!("The unidentified gap ({unit})"))?;
    let gap_first = abs(layout.unidentified_row, PLAN_BASE + 1);
    let gap_row = layout.unidentified_row;
    let gap_to_date = w.line("total", "Gap to date LG(y)", true, false, &|col| {
        format!(
            "SUM({INPUTS}!{gap_first}:{})",
            row_fixed(gap_row, inputs_year_col(col))
        )
    })?;

    let mut cases = Vec::new();
    for case in Case::ALL {
        let saving_col = InputsLayout::saving_col(case);
        let case_title = format!("{} case", case_heading(case));
        w.row += 1;
        text_with(w.sheet, w.row, 0, &case_title, &f.title)?;
        w.row += 1;

        w.heading(&format!(
            "{case_title}: in-year saving D(y) = S x r(k) x months / 12 ({unit})"
        ))?;
        let mut d_rows = Vec::new();
        for (service, input_row) in &taken {
            let r = *input_row;
            let go_live = format!("{INPUTS}!{}", abs(r, GO_LIVE_YEAR));
            let months = format!("{INPUTS}!{}", abs(r, MONTHS));
            let saving = format!("{INPUTS}!{}", abs(r, saving_col));
            let ramp = range(INPUTS, (r, RAMP), (r, layout.last_ramp_col()));
            d_rows.push(w.line(&service.id, &service.name, false, true, &|col| {
                let year = row_fixed(YEAR_NUMBER_ROW, col);
                format!(
                    "IF({year}<{go_live},0,{saving}*INDEX({ramp},MIN({year}-{go_live}+1,{horizon}))*IF({year}={go_live},{months},12)/12)"
                )
            })?);
        }
        let in_year_total = w.total_line("All services taken forward", &d_rows, true)?;

        w.heading(&format!(
            "{case_title}: incremental saving I(y) = D(y) - D(y-1) ({unit})"
        ))?;
        let mut i_rows = Vec::new();
        for ((service, _), d) in taken.iter().zip(&d_rows) {
            let d = *d;
            i_rows.push(w.line(&service.id, &service.name, false, true, &|col| {
                if col == FIRST_YEAR_COL {
                    rel(d, col)
                } else {
                    format!("{}-{}", rel(d, col), rel(d, col - 1))
                }
            })?);
        }
        w.total_line("All services taken forward", &i_rows, true)?;

        w.heading(&format!(
            "{case_title}: contribution to the gap N(y) = D(y) - w x LP(y) ({unit})"
        ))?;
        let mut n_rows = Vec::new();
        for (((service, _), d), lp) in taken.iter().zip(&d_rows).zip(&lp_rows) {
            let (d, lp) = (*d, *lp);
            n_rows.push(w.line(&service.id, &service.name, false, false, &|col| {
                format!("{}-Overlap*{}", rel(d, col), rel(lp, col))
            })?);
        }
        let n_total = w.total_line("All services taken forward", &n_rows, false)?;

        w.heading(&format!("{case_title}: the remaining gap ({unit})"))?;
        let remaining_gap = w.line(
            "total",
            "Remaining gap R(y) = LG(y) - N(y)",
            true,
            false,
            &|col| format!("{}-{}", rel(gap_to_date, col), rel(n_total, col)),
        )?;
        let closed = w.row;
        text(w.sheet, closed, 0, "total")?;
        text(w.sheet, closed, 1, "Closed (R(y) <= 0)")?;
        for col in FIRST_YEAR_COL..=w.last_year_col() {
            formula(
                w.sheet,
                closed,
                col,
                &format!("=IF({}<=0,\"yes\",\"no\")", rel(remaining_gap, col)),
                &f.right,
            )?;
        }
        w.row += 1;
        let base = abs(base_year_cost, FIRST_YEAR_COL);
        let cumulative_net = w.line(
            "total",
            "Cumulative D - C from the base year (for payback)",
            false,
            false,
            &|col| {
                format!(
                    "-{base}+SUM({}:{})-SUM({}:{})",
                    abs(in_year_total, FIRST_YEAR_COL),
                    rel(in_year_total, col),
                    abs(cost_total, FIRST_YEAR_COL),
                    rel(cost_total, col)
                )
            },
        )?;
        cases.push(CaseRows {
            in_year_total,
            remaining_gap,
            closed,
            cumulative_net,
        });
    }

    w.sheet.set_column_width(0, 16)?;
    w.sheet.set_column_width(1, 38)?;
    for col in FIRST_YEAR_COL..total_col {
        w.sheet.set_column_width(col, 10)?;
    }
    w.sheet.set_column_width(total_col, 12)?;
    w.sheet.set_row_height(YEAR_NUMBER_ROW, 30)?;
    header_rows(w.sheet, YEAR_NUMBER_ROW + 1, FIRST_YEAR_COL)?;
    Ok(ProjectionRows {
        base_year_cost,
        cost_total,
        cases,
    })
}

// ---------------------------------------------------------------------------------------------
// Summary.

fn write_summary(
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
                    sum_rows(INPUTS, &taken_rows, InputsLayout::saving_col(case))
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
            Box::new(|_, r: &CaseRows| format!("=COUNTIF({},\"<=0\")", across(r.remaining_gap))),
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
        "Spreadsheets compute in binary floating point, so figures can differ from savings run in the 13th significant digit.".to_string(),
    ];
    notes.extend(crate::output::frame::bias_note(scenario));
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

/// The case as a heading starts: `Low`, `Central`, `High`.
fn case_heading(case: Case) -> &'static str {
    match case {
        Case::Low => "Low",
        Case::Central => "Central",
        Case::High => "High",
    }
}

/// How one figure of the Summary is computed in a case.
type CaseFormula<'a> = Box<dyn Fn(Case, &CaseRows) -> String + 'a>;

fn case_index(case: Case) -> u16 {
    match case {
        Case::Low => 0,
        Case::Central => 1,
        Case::High => 2,
    }
}

// ---------------------------------------------------------------------------------------------
// Simulation and sources.

fn write_simulation(
    sheet: &mut Worksheet,
    scenario: &Scenario,
    simulation: &crate::simulate::Simulation,
    f: &Formats,
) -> Result<()> {
    let unit = &scenario.unit;
    text_with(
        sheet,
        0,
        0,
        &format!(
            "Monte Carlo: {} trials, seed {} ({unit}; values as simulated, not live formulas)",
            simulation.settings.trials, simulation.settings.seed
        ),
        &f.title,
    )?;
    let measures = ["In-year saving D", "Contribution N", "Remaining gap R"];
    let mut headers = vec!["Year".to_string()];
    for measure in measures {
        for stat in ["mean", "p10", "p50", "p90"] {
            headers.push(format!("{measure} {stat}"));
        }
    }
    headers.push("Probability closed".into());
    for (i, header) in headers.iter().enumerate() {
        text_with(sheet, 1, column(i)?, header, &f.header)?;
    }
    let mut row = 2;
    for (i, year) in simulation.years.iter().enumerate() {
        text(sheet, row, 0, &year.to_string())?;
        let mut col = 1;
        for series in [
            &simulation.in_year,
            &simulation.contribution,
            &simulation.remaining_gap,
        ] {
            if let Some(spread) = series.get(i) {
                for value in spread.values() {
                    sheet.write_number_with_format(
                        row,
                        col,
                        f64::try_from(value.amount()).unwrap_or_default(),
                        &f.money,
                    )?;
                    col += 1;
                }
            }
        }
        if let Some(p) = simulation.probability_closed.get(i) {
            sheet.write_number_with_format(row, col, *p, &f.probability)?;
        }
        row += 1;
    }
    row += 1;
    for (i, header) in ["Over the horizon", "mean", "p10", "p50", "p90"]
        .iter()
        .enumerate()
    {
        text_with(sheet, row, column(i)?, header, &f.header)?;
    }
    row += 1;
    for (label, spread) in [
        ("Total saving", &simulation.total_saving),
        ("Net present value", &simulation.npv),
    ] {
        sheet.write_string(row, 0, label)?;
        for (col, value) in (1..).zip(spread.values()) {
            sheet.write_number_with_format(
                row,
                col,
                f64::try_from(value.amount()).unwrap_or_default(),
                &f.money,
            )?;
        }
        row += 1;
    }
    row += 1;
    text_with(sheet, row, 0, "Service", &f.header)?;
    text_with(
        sheet,
        row,
        1,
        "Probability it meets planned savings in every MTFP year",
        &f.header,
    )?;
    row += 1;
    for result in &simulation.services {
        let name = scenario
            .services
            .get(result.service)
            .map_or("", |s| s.id.as_str());
        text(sheet, row, 0, name)?;
        sheet.write_number_with_format(row, 1, result.probability_meets_plan, &f.probability)?;
        row += 1;
    }
    sheet.set_column_width(0, 18)?;
    for col in 1..=13 {
        sheet.set_column_width(col, 11)?;
    }
    header_rows(sheet, 2, 1)?;
    Ok(())
}

fn write_sources(sheet: &mut Worksheet, input: &ReportInput, f: &Formats) -> Result<()> {
    for (col, header) in (0..).zip(["Figure", "As written", "Note", "Source", "Where"]) {
        sheet.write_string_with_format(0, col, header, &f.header)?;
    }
    for (i, note) in input.notes.iter().enumerate() {
        let row = row_number(i + 1)?;
        text(sheet, row, 0, &note.field)?;
        text(sheet, row, 1, &note.value)?;
        if let Some(comment) = &note.note {
            text(sheet, row, 2, comment)?;
        }
        if let Some(source) = &note.source {
            text(sheet, row, 3, source)?;
        }
        text(sheet, row, 4, &note.at)?;
    }
    for (col, width) in (0..).zip([44, 24, 60, 40, 28]) {
        sheet.set_column_width(col, width)?;
    }
    header_rows(sheet, 1, 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_longer_than_a_cell_is_cut_with_a_marker() {
        let units = |s: &str| s.encode_utf16().count();
        assert_eq!(cell_text("a note"), "a note");
        assert_eq!(cell_text("=1+1"), "'=1+1");
        assert_eq!(cell_text("x\u{202E}y"), "x\\u{202e}y");
        // Astral characters take two UTF-16 units, as Excel counts them.
        for long in [
            "a".repeat(40_000),
            "😀".repeat(20_000),
            "a".repeat(MAX_CELL_UNITS),
        ] {
            let cell = cell_text(&long);
            assert!(units(&cell) <= MAX_CELL_UNITS, "{}", units(&cell));
            if units(&long) > MAX_CELL_UNITS {
                assert!(cell.ends_with(&format!("a spreadsheet cell holds {MAX_CELL_UNITS}]")));
                let cut: usize = cell
                    .split(" [... ")
                    .nth(1)
                    .and_then(|m| m.split(' ').next())
                    .and_then(|n| n.parse().ok())
                    .unwrap_or_default();
                let kept = cell.split(" [... ").next().unwrap_or_default();
                assert_eq!(kept.chars().count() + cut, long.chars().count());
            } else {
                assert_eq!(cell, long);
            }
        }
    }
}
