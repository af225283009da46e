//! The `Tracker` sheet of a tracked scenario (docs/model.md section 10): where an officer types
//! what each line has delivered, what it is forecast to deliver and its RAG rating, and the
//! workbook follows. The Projection's `D` of an approved or withdrawn line reads its delivered
//! figure here where one is typed, else its forecast, else its plan (see
//! [`TrackerLayout::delivered`]); below the lines, per year (central case), the savings at risk
//! and the remaining gap as planned, as forecast and risk-adjusted, and totals by RAG and by
//! status, all formulas.
//!
//! Layout (kept a plain table, so that it can be read back: title rows, one row of group
//! titles, one header row whose year cells read as the scenario writes years, one row per
//! line, no merged cells):
//!
//! - Above the table: `as_at` (named `AsAt`) and the confidence of each rating
//!   (`ConfidenceGreen`, `ConfidenceAmber`, `ConfidenceRed`), shaded as inputs.
//! - One row per line taken forward, in file order: service id, option id, line, area, status,
//!   RAG (an input, a list of blue, green, amber, red; blank is not rated); then a block per
//!   projected year of each of: Delivered and Forecast (inputs, prefilled with the scenario's
//!   figures, blank where it names none; shaded only where the rules allow a figure: an
//!   approved or withdrawn line, delivered in the current year or earlier, forecast in the
//!   current year or later; grey elsewhere), then, computed: planned savings to date `LP`, the
//!   delivery `D` as the Projection counts it, the variance `D - LP` (approved and withdrawn
//!   lines), `D` as planned (delivered and forecast ignored) and `D` risk-adjusted, all central.
//! - Below: savings at risk, the three views of the remaining gap, and per RAG and per status
//!   the lines, `LP`, `D` and variance.

use anyhow::{Context, Result};
use rust_xlsxwriter::{DataValidation, DataValidationRule, Format, Worksheet};

use super::PROJECTION;
use super::cells::{abs, column, formula, money, rel, row_number, text, text_with};
use super::formats::{Formats, header_rows};
use super::inputs::{InputsLayout, Taken, case_index};
use super::projection::{FIRST_YEAR_COL, ProjectionRows, as_planned, tracks_delivery};
use crate::model::{Case, FinancialYear, Rag, Scenario, Status};

pub(super) const TRACKER: &str = "Tracker";

const TITLE_ROW: u32 = 0;
pub(super) const AS_AT_ROW: u32 = 1;
pub(super) const GREEN_ROW: u32 = 2;
pub(super) const AMBER_ROW: u32 = 3;
pub(super) const RED_ROW: u32 = 4;
const NOTE_ROW: u32 = 5;
pub(super) const PARAMETER_COL: u16 = 1;
const GROUP_ROW: u32 = 6;
const HEADER_ROW: u32 = 7;
const FIRST_LINE_ROW: u32 = 8;

const SERVICE_ID: u16 = 0;
const OPTION_ID: u16 = 1;
const LINE: u16 = 2;
const AREA: u16 = 3;
const STATUS: u16 = 4;
const RAG: u16 = 5;
const FIRST_BLOCK: u16 = 6;

/// The blocks by year of a line's row, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Block {
    Delivered,
    Forecast,
    Plan,
    Delivery,
    Variance,
    AsPlanned,
    RiskAdjusted,
}

const BLOCKS: [Block; 7] = [
    Block::Delivered,
    Block::Forecast,
    Block::Plan,
    Block::Delivery,
    Block::Variance,
    Block::AsPlanned,
    Block::RiskAdjusted,
];

impl Block {
    fn title(self, unit: &str) -> String {
        match self {
            Block::Delivered => format!("Delivered ({unit})"),
            Block::Forecast => format!("Forecast ({unit})"),
            Block::Plan => format!("Planned savings to date LP ({unit})"),
            Block::Delivery => {
                format!("Delivery D, central: as the Projection counts it ({unit})")
            }
            Block::Variance => format!("Variance D - LP, central ({unit})"),
            Block::AsPlanned => {
                format!("D as planned, central: delivered and forecast ignored ({unit})")
            }
            Block::RiskAdjusted => format!("D risk-adjusted, central ({unit})"),
        }
    }
}

/// Where the Tracker's cells are, for the Projection's formulas (which read the delivered and
/// forecast cells) and the sheet's own.
pub(super) struct TrackerLayout {
    horizon: u16,
    /// Each line taken forward's row, in the order of [`InputsLayout::taken`].
    rows: Vec<u32>,
    /// The first row below the lines (the gap's heading is one further down).
    below: u32,
}

impl TrackerLayout {
    /// The Tracker's layout where the scenario tracks delivery (`Scenario::is_tracked`): none
    /// otherwise, and the workbook has no Tracker.
    pub(super) fn new(scenario: &Scenario, layout: &InputsLayout) -> Result<Option<Self>> {
        if !scenario.is_tracked() {
            return Ok(None);
        }
        let rows = (0..layout.taken.len())
            .map(|i| row_number(FIRST_LINE_ROW as usize + i))
            .collect::<Result<Vec<_>>>()?;
        let below = row_number(FIRST_LINE_ROW as usize + layout.taken.len())?;
        // Room for what is below the lines, and the last block's last year.
        row_number(below as usize + 40)?;
        column(FIRST_BLOCK as usize + BLOCKS.len() * usize::from(scenario.horizon))?;
        Ok(Some(Self {
            horizon: scenario.horizon,
            rows,
            below,
        }))
    }

    /// The column of projected year `t` (1-based) in `block`.
    fn col(&self, block: Block, t: u16) -> u16 {
        let index = BLOCKS.iter().position(|b| *b == block).unwrap_or_default() as u16;
        FIRST_BLOCK + index * self.horizon + t - 1
    }

    fn row(&self, line: usize) -> u32 {
        self.rows.get(line).copied().unwrap_or(FIRST_LINE_ROW)
    }

    /// `Tracker!$G$9`: the delivered cell of line `line` (its index among the lines taken
    /// forward) in projected year `t`.
    pub(super) fn delivered(&self, line: usize, t: u16) -> String {
        format!(
            "{TRACKER}!{}",
            abs(self.row(line), self.col(Block::Delivered, t))
        )
    }

    /// The forecast cell of line `line` in projected year `t`.
    pub(super) fn forecast(&self, line: usize, t: u16) -> String {
        format!(
            "{TRACKER}!{}",
            abs(self.row(line), self.col(Block::Forecast, t))
        )
    }

    /// `$F$9:$F$12`, or none where no line is taken forward.
    fn lines_range(&self, col: u16) -> Option<String> {
        match (self.rows.first(), self.rows.last()) {
            (Some(first), Some(last)) => Some(format!("{}:{}", abs(*first, col), abs(*last, col))),
            _ => None,
        }
    }
}

/// The cells named for the workbook: (name, row, column).
pub(super) fn names() -> [(&'static str, u32, u16); 4] {
    [
        ("AsAt", AS_AT_ROW, PARAMETER_COL),
        ("ConfidenceGreen", GREEN_ROW, PARAMETER_COL),
        ("ConfidenceAmber", AMBER_ROW, PARAMETER_COL),
        ("ConfidenceRed", RED_ROW, PARAMETER_COL),
    ]
}

/// Writes the Tracker sheet where `tracker` puts each thing, reading the Projection's `rows`.
pub(super) fn write_tracker(
    sheet: &mut Worksheet,
    scenario: &Scenario,
    layout: &InputsLayout,
    tracker: &TrackerLayout,
    rows: &ProjectionRows,
    f: &Formats,
) -> Result<()> {
    let unit = &scenario.unit;
    let years: Vec<FinancialYear> = scenario.years().collect();
    let current = scenario.current_year();
    sheet.set_formula_result_default("");
    text_with(
        sheet,
        TITLE_ROW,
        0,
        &format!(
            "Tracker, in {unit}: type what each line has delivered, what it is forecast to deliver and its RAG rating in the shaded cells; the Projection, the Summary and the figures below recompute"
        ),
        &f.title,
    )?;
    write_parameters(sheet, scenario, current, f)?;

    // The group titles and the header row.
    for col in 0..FIRST_BLOCK {
        sheet.write_blank(GROUP_ROW, col, &f.header)?;
    }
    for (col, label) in (0..).zip(["Service id", "Option id", "Line", "Area", "Status", "RAG"]) {
        sheet.write_string_with_format(HEADER_ROW, col, label, &f.header)?;
    }
    for block in BLOCKS {
        for (t, year) in (1..).zip(&years) {
            let col = tracker.col(block, t);
            if t == 1 {
                text_with(sheet, GROUP_ROW, col, &block.title(unit), &f.header)?;
            } else {
                sheet.write_blank(GROUP_ROW, col, &f.header)?;
            }
            sheet.write_string_with_format(HEADER_ROW, col, year.to_string(), &f.header)?;
        }
    }

    let central = rows
        .cases
        .get(case_index(Case::Central))
        .context("the Projection has no central case")?;
    let labels = scenario.service_labels();
    for (index, line) in layout.taken.iter().enumerate() {
        let lp = *rows.lp_rows.get(index).context("a line's LP row")?;
        let d = *central.d_rows.get(index).context("a line's D row")?;
        write_line(
            sheet,
            scenario,
            layout,
            tracker,
            (index, line),
            (lp, d),
            &labels,
            current,
            f,
        )?;
    }
    if layout.taken.is_empty() {
        sheet.write_string(
            FIRST_LINE_ROW,
            0,
            "No option is taken forward: every service's decision is deferred.",
        )?;
    }
    write_validations(sheet, tracker)?;
    write_below(sheet, scenario, tracker, central.remaining_gap, f)?;

    for (col, width) in [
        (SERVICE_ID, 16),
        (OPTION_ID, 12),
        (LINE, 30),
        (AREA, 18),
        (STATUS, 10),
        (RAG, 8),
    ] {
        sheet.set_column_width(col, width)?;
    }
    for block in BLOCKS {
        for t in 1..=tracker.horizon {
            sheet.set_column_width(tracker.col(block, t), 9)?;
        }
    }
    sheet.set_row_height(GROUP_ROW, 45)?;
    header_rows(sheet, HEADER_ROW + 1, LINE + 1)?;
    Ok(())
}

/// `as_at` and the confidence of each rating, named, above the table.
fn write_parameters(
    sheet: &mut Worksheet,
    scenario: &Scenario,
    current: Option<FinancialYear>,
    f: &Formats,
) -> Result<()> {
    sheet.write_string(AS_AT_ROW, 0, "As at")?;
    // A month written as text, and kept text when retyped (a spreadsheet reads 2026-01 as a
    // date).
    let as_text = f.text_input.clone().set_num_format("@");
    match scenario.tracking.as_at {
        Some(month) => {
            text_with(
                sheet,
                AS_AT_ROW,
                PARAMETER_COL,
                &month.to_string(),
                &as_text,
            )?;
        }
        None => {
            sheet.write_blank(AS_AT_ROW, PARAMETER_COL, &as_text)?;
        }
    }
    let as_at_note = match current {
        Some(year) => format!(
            "The month the figures describe (name: AsAt); its financial year {year} is the current year: delivered figures are for it or earlier years, forecasts for it or later years, never both for one year (the shaded cells)"
        ),
        None => "The month the figures describe (name: AsAt): not given, so no delivered or forecast figure may be typed (docs/model.md section 10)".to_string(),
    };
    text(sheet, AS_AT_ROW, 2, &as_at_note)?;
    let confidence = &scenario.tracking.confidence;
    for (row, rag, share, name) in [
        (GREEN_ROW, Rag::Green, confidence.green, "ConfidenceGreen"),
        (AMBER_ROW, Rag::Amber, confidence.amber, "ConfidenceAmber"),
        (RED_ROW, Rag::Red, confidence.red, "ConfidenceRed"),
    ] {
        sheet.write_string(row, 0, format!("Confidence {rag}"))?;
        sheet.write_with_format(row, PARAMETER_COL, share.value(), &f.share_input)?;
        sheet.write_string(
            row,
            2,
            format!(
                "The share of the delivery of a line rated {rag} that the risk-adjusted view counts, 0 to 1 (name: {name})"
            ),
        )?;
        let share_rule = DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(0.0, 1.0))
            .set_error_title("A confidence is a share")?
            .set_error_message("A confidence is a share of the delivery, from 0 to 1.")?;
        sheet.add_data_validation(row, PARAMETER_COL, row, PARAMETER_COL, &share_rule)?;
    }
    sheet.write_string_with_format(
        NOTE_ROW,
        0,
        "Blue (delivered) always counts in full, and so does a line without a rating; an in-base line is never adjusted; a year with a delivered figure counts it in full. Savings at risk: the central D as planned of the amber and red lines that are approved or proposed.",
        &f.note,
    )?;
    Ok(())
}

/// One line's row: who it is, its rating, its delivered and forecast figures, and what they
/// make of it.
#[allow(clippy::too_many_arguments)]
fn write_line(
    sheet: &mut Worksheet,
    scenario: &Scenario,
    layout: &InputsLayout,
    tracker: &TrackerLayout,
    (index, line): (usize, &Taken),
    (lp, d): (u32, u32),
    labels: &[String],
    current: Option<FinancialYear>,
    f: &Formats,
) -> Result<()> {
    let (service, option) = scenario
        .services
        .get(line.service)
        .and_then(|s| s.options.get(line.option).map(|o| (s, o)))
        .context("a line the layout names is missing")?;
    let row = tracker.row(index);
    text(sheet, row, SERVICE_ID, &service.id)?;
    text(sheet, row, OPTION_ID, &option.id)?;
    let label = labels.get(line.service).unwrap_or(&service.name);
    let label = if service.one_line {
        label.clone()
    } else {
        format!("{label} ({})", option.name)
    };
    text(sheet, row, LINE, &label)?;
    if let Some(area) = &service.area {
        text(sheet, row, AREA, area)?;
    }
    sheet.write_string(row, STATUS, option.status.name())?;
    match option.tracking.rag {
        Some(rag) => sheet.write_string_with_format(row, RAG, rag.name(), &f.text_input)?,
        None => sheet.write_blank(row, RAG, &f.text_input)?,
    };

    let tracks = tracks_delivery(scenario, line);
    let tracking = &option.tracking;
    for (t, year) in (1..).zip(scenario.years()) {
        // Shaded where the rules allow a figure (docs/model.md section 10).
        let allowed_delivered = tracks && current.is_some_and(|c| year <= c);
        let allowed_forecast = tracks && current.is_some_and(|c| year >= c);
        for (block, series, allowed) in [
            (Block::Delivered, &tracking.delivered, allowed_delivered),
            (Block::Forecast, &tracking.forecast, allowed_forecast),
        ] {
            let col = tracker.col(block, t);
            let format = if allowed { &f.money_input } else { &f.blocked };
            if tracks && series.contains(year) {
                money(sheet, row, col, series.get(year), format)?;
            } else {
                sheet.write_blank(row, col, format)?;
            }
        }
        let projection_col = FIRST_YEAR_COL + t - 1;
        let plan = tracker.col(Block::Plan, t);
        let delivery = tracker.col(Block::Delivery, t);
        formula(
            sheet,
            row,
            plan,
            &format!("={PROJECTION}!{}", rel(lp, projection_col)),
            &f.money,
        )?;
        formula(
            sheet,
            row,
            delivery,
            &format!("={PROJECTION}!{}", rel(d, projection_col)),
            &f.money,
        )?;
        if tracks {
            formula(
                sheet,
                row,
                tracker.col(Block::Variance, t),
                &format!("={}-{}", rel(row, delivery), rel(row, plan)),
                &f.money,
            )?;
        }
        // Only an approved or withdrawn line records delivery; the others are as planned.
        let planned = if tracks {
            as_planned(
                layout,
                line,
                Case::Central,
                lp,
                projection_col,
                &format!("{PROJECTION}!"),
            )
        } else {
            rel(row, delivery).to_string()
        };
        formula(
            sheet,
            row,
            tracker.col(Block::AsPlanned, t),
            &format!("={planned}"),
            &f.money,
        )?;
        let rag = rel(row, RAG);
        let confidence = format!(
            "IF({rag}=\"green\",ConfidenceGreen,IF({rag}=\"amber\",ConfidenceAmber,IF({rag}=\"red\",ConfidenceRed,1)))"
        );
        let delivery_cell = rel(row, delivery);
        let adjusted = match option.status {
            Status::InBase => delivery_cell.to_string(),
            _ if tracks => format!(
                "IF(ISBLANK({}),{confidence}*{delivery_cell},{delivery_cell})",
                rel(row, tracker.col(Block::Delivered, t))
            ),
            _ => format!("{confidence}*{delivery_cell}"),
        };
        formula(
            sheet,
            row,
            tracker.col(Block::RiskAdjusted, t),
            &format!("={adjusted}"),
            &f.money,
        )?;
    }
    Ok(())
}

/// The inputs' rules: a rating from the list, delivered and forecast figures of 0 or more.
fn write_validations(sheet: &mut Worksheet, tracker: &TrackerLayout) -> Result<()> {
    let (Some(first), Some(last)) = (tracker.rows.first(), tracker.rows.last()) else {
        return Ok(());
    };
    let rating = DataValidation::new()
        .allow_list_strings(&Rag::ALL.map(Rag::name))?
        .ignore_blank(true)
        .set_error_title("A RAG rating")?
        .set_error_message(
            "blue (delivered), green (on track), amber (at risk) or red (will not deliver as planned); blank is not rated.",
        )?;
    sheet.add_data_validation(*first, RAG, *last, RAG, &rating)?;
    let amount = DataValidation::new()
        .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
        .ignore_blank(true)
        .set_error_title("An in-year saving")?
        .set_error_message(
            "A delivered or forecast figure is the in-year saving for the full year, 0 or more; blank is not named (the line is as planned).",
        )?;
    sheet.add_data_validation(
        *first,
        tracker.col(Block::Delivered, 1),
        *last,
        tracker.col(Block::Forecast, tracker.horizon),
        &amount,
    )?;
    Ok(())
}

/// Below the lines, per year (central case): the savings at risk, the remaining gap as
/// planned, as forecast and risk-adjusted, and the lines, `LP`, `D` and variance per RAG and
/// per status.
fn write_below(
    sheet: &mut Worksheet,
    scenario: &Scenario,
    tracker: &TrackerLayout,
    remaining_gap: u32,
    f: &Formats,
) -> Result<()> {
    let unit = &scenario.unit;
    let lines_col = RAG;
    let mut row = tracker.below + 1;
    let header = |sheet: &mut Worksheet, row: u32, title: &str| -> Result<()> {
        text_with(sheet, row, 0, title, &f.header)?;
        for col in 1..FIRST_BLOCK {
            sheet.write_blank(row, col, &f.header)?;
        }
        sheet.write_string_with_format(row, lines_col, "Lines", &f.header)?;
        for (t, year) in (1..).zip(scenario.years()) {
            sheet.write_string_with_format(
                row,
                tracker.col(Block::Delivered, t),
                year.to_string(),
                &f.header,
            )?;
        }
        Ok(())
    };
    // The sum of a block's column over the lines in year `t`.
    let block = |block: Block, t: u16| tracker.lines_range(tracker.col(block, t));
    let sum = |b: Block, t: u16| match block(b, t) {
        Some(range) => format!("SUM({range})"),
        None => "0".to_string(),
    };
    let year_row = |sheet: &mut Worksheet,
                    row: u32,
                    label: &str,
                    format: &Format,
                    formula_at: &dyn Fn(u16) -> String|
     -> Result<()> {
        text(sheet, row, 0, label)?;
        for t in 1..=tracker.horizon {
            formula(
                sheet,
                row,
                tracker.col(Block::Delivered, t),
                &format!("={}", formula_at(t)),
                format,
            )?;
        }
        Ok(())
    };

    header(
        sheet,
        row,
        &format!("The gap in three views of delivery, and savings at risk (central case, {unit})"),
    )?;
    sheet.write_blank(row, lines_col, &f.header)?;
    row += 1;
    let rags = tracker.lines_range(RAG);
    let statuses = tracker.lines_range(STATUS);
    year_row(
        sheet,
        row,
        "Savings at risk: D as planned of the amber and red lines, approved or proposed",
        &f.money,
        &|t| match (&rags, &statuses, block(Block::AsPlanned, t)) {
            (Some(rags), Some(statuses), Some(planned)) => format!(
                "SUMPRODUCT((({rags}=\"amber\")+({rags}=\"red\"))*(({statuses}=\"approved\")+({statuses}=\"proposed\")),{planned})"
            ),
            _ => "0".to_string(),
        },
    )?;
    row += 1;
    let r = |t: u16| {
        format!(
            "{PROJECTION}!{}",
            rel(remaining_gap, FIRST_YEAR_COL + t - 1)
        )
    };
    year_row(
        sheet,
        row,
        "Remaining gap as planned: delivered and forecast figures ignored",
        &f.money_total,
        &|t| {
            format!(
                "{}+{}-{}",
                r(t),
                sum(Block::Delivery, t),
                sum(Block::AsPlanned, t)
            )
        },
    )?;
    row += 1;
    year_row(
        sheet,
        row,
        "Remaining gap as forecast: the Projection's R, central case",
        &f.money_total,
        &r,
    )?;
    row += 1;
    year_row(
        sheet,
        row,
        "Remaining gap risk-adjusted: each rated line at its confidence where not delivered",
        &f.money_total,
        &|t| {
            format!(
                "{}+{}-{}",
                r(t),
                sum(Block::Delivery, t),
                sum(Block::RiskAdjusted, t)
            )
        },
    )?;
    row += 2;

    // Totals by RAG (blank, or anything not a rating, is not rated) and by status.
    let statuses_present: Vec<Status> = Status::ALL
        .into_iter()
        .filter(|s| {
            scenario
                .taken_forward()
                .any(|(_, option)| option.status == *s)
        })
        .collect();
    for (b, what) in [
        (Block::Plan, "planned savings to date LP"),
        (Block::Delivery, "delivery D"),
        (Block::Variance, "variance D - LP"),
    ] {
        header(
            sheet,
            row,
            &format!("By RAG and by status: {what} (central case, {unit})"),
        )?;
        row += 1;
        for rag in Rag::ALL.map(Some).into_iter().chain([None]) {
            let key = match rag {
                Some(rag) => rag.name().to_string(),
                None => "not rated".to_string(),
            };
            let count = match (&rags, rag) {
                (Some(rags), Some(rag)) => format!("COUNTIF({rags},\"{}\")", rag.name()),
                (Some(rags), None) => {
                    let rated: Vec<String> = Rag::ALL
                        .iter()
                        .map(|r| format!("-COUNTIF({rags},\"{}\")", r.name()))
                        .collect();
                    format!("ROWS({rags}){}", rated.concat())
                }
                (None, _) => "0".to_string(),
            };
            formula(sheet, row, lines_col, &format!("={count}"), &f.whole)?;
            year_row(sheet, row, &format!("RAG {key}"), &f.money, &|t| match (
                &rags,
                block(b, t),
                rag,
            ) {
                (Some(rags), Some(values), Some(rag)) => {
                    format!("SUMIF({rags},\"{}\",{values})", rag.name())
                }
                (Some(rags), Some(values), None) => {
                    let rated: Vec<String> = Rag::ALL
                        .iter()
                        .map(|r| format!("-SUMIF({rags},\"{}\",{values})", r.name()))
                        .collect();
                    format!("SUM({values}){}", rated.concat())
                }
                _ => "0".to_string(),
            })?;
            row += 1;
        }
        for status in &statuses_present {
            let name = status.name();
            let count = match &statuses {
                Some(statuses) => format!("COUNTIF({statuses},\"{name}\")"),
                None => "0".to_string(),
            };
            formula(sheet, row, lines_col, &format!("={count}"), &f.whole)?;
            year_row(
                sheet,
                row,
                &format!("Status {name}"),
                &f.money,
                &|t| match (&statuses, block(b, t)) {
                    (Some(statuses), Some(values)) => {
                        format!("SUMIF({statuses},\"{name}\",{values})")
                    }
                    _ => "0".to_string(),
                },
            )?;
            row += 1;
        }
        row += 1;
    }
    Ok(())
}
