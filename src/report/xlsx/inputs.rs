//! The `Inputs` sheet: the named parameters (`Overlap`, `DiscountRate`, `BaseYear`), one row
//! per option taken forward (the figures the Projection's formulas read), the other options
//! for reference, every service's planned savings and the gap. [`InputsLayout`] says where each
//! of them is, for the formulas of the other sheets.

use anyhow::{Context, Result};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Worksheet};

use super::cells::{column, money, row_number, text, text_with};
use super::formats::{Formats, header_rows};
use crate::model::{Build, Case, FinancialYear, SavingOption, Scenario, Service, div};

pub(super) const TITLE_ROW: u32 = 0;
pub(super) const OVERLAP_ROW: u32 = 1;
pub(super) const RATE_ROW: u32 = 2;
pub(super) const BASE_YEAR_ROW: u32 = 3;
pub(super) const PARAMETER_COL: u16 = 1;
pub(super) const OPTIONS_HEADER_ROW: u32 = 5;

pub(super) const SERVICE_ID: u16 = 0;
pub(super) const SERVICE_NAME: u16 = 1;
pub(super) const OPTION_ID: u16 = 2;
pub(super) const OPTION_NAME: u16 = 3;
/// Saving low, central, high: this and the next two columns.
pub(super) const SAVING: u16 = 4;
pub(super) const GO_LIVE_WRITTEN: u16 = 7;
pub(super) const GO_LIVE_YEAR: u16 = 8;
pub(super) const MONTHS: u16 = 9;
/// `r(1)`; `r(k)` is `RAMP + k - 1`, up to `k = H`.
pub(super) const RAMP: u16 = 10;
/// The base year's column in the planned and gap blocks; year t is `PLAN_BASE + t`.
pub(super) const PLAN_BASE: u16 = 3;

/// Where everything is on the Inputs sheet.
pub(super) struct InputsLayout {
    pub(super) horizon: u16,
    /// Options taken forward, in file order: (service index, option index, row).
    pub(super) taken: Vec<(usize, usize, u32)>,
    /// The other options: (service index, option index, row); `others_heading` above them.
    pub(super) others: Vec<(usize, usize, u32)>,
    pub(super) others_heading: u32,
    pub(super) plan_header: u32,
    /// Each service's planned-savings row, by service index.
    pub(super) plan_rows: Vec<u32>,
    pub(super) gap_header: u32,
    pub(super) unidentified_row: u32,
    pub(super) required_row: u32,
}

impl InputsLayout {
    pub(super) fn new(scenario: &Scenario) -> Result<Self> {
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

    pub(super) fn saving_col(case: Case) -> u16 {
        SAVING
            + match case {
                Case::Low => 0,
                Case::Central => 1,
                Case::High => 2,
            }
    }

    /// The one-off cost column of year t (0 the base year, 1 the first projected year).
    pub(super) fn cost_col(&self, t: u16) -> u16 {
        RAMP + self.horizon + t
    }

    pub(super) fn last_ramp_col(&self) -> u16 {
        RAMP + self.horizon - 1
    }

    pub(super) fn taken_rows(&self) -> Vec<u32> {
        self.taken.iter().map(|(_, _, row)| *row).collect()
    }
}

/// Writes the Inputs sheet where `layout` puts each thing.
pub(super) fn write_inputs(
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
pub(super) fn write_option(
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
    let Build::Ramp { start, ramp } = &option.build else {
        anyhow::bail!(
            "{} is written as yearly amounts, which the spreadsheet cannot hold yet",
            service.option_path(option)
        );
    };
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
    text_with(sheet, row, GO_LIVE_WRITTEN, &start.to_string(), text_format)?;
    sheet.write_with_format(
        row,
        GO_LIVE_YEAR,
        start.financial_year().start_year(),
        whole_format,
    )?;
    sheet.write_with_format(row, MONTHS, start.months_in_first_year(), whole_format)?;
    for k in 1..=layout.horizon {
        let (numerator, denominator) = ramp.fraction(u32::from(k));
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
