//! The `Inputs` sheet: the named parameters (`Overlap`, `DiscountRate`, `BaseYear`), one row
//! per option taken forward (the figures the Projection's formulas read), the other options
//! for reference, every service's planned savings and the gap. A plan (docs/model.md section
//! 9) adds each line's status and area, the yearly amounts of a saving written as a profile
//! (per case), the plan of each saving already counted, and what the gap is built from (the
//! net budget or requirement, each pressure and funding line, reserves). [`InputsLayout`] says
//! where each of them is, for the formulas of the other sheets.

use anyhow::{Context, Result};
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, Worksheet};

use super::cells::{column, formula, money, rel, row_number, text, text_with};
use super::formats::{Formats, header_rows};
use super::plan_inputs;
use crate::model::{
    Build, Case, FinancialYear, Money, Requirement, SavingOption, Scenario, Service, Status, div,
};

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
/// The base year's column in the blocks by year (planned savings, yearly amounts, plans, the
/// gap); year t is `PLAN_BASE + t`.
pub(super) const PLAN_BASE: u16 = 3;

/// How a line taken forward builds its in-year saving `D` on the Projection
/// (docs/model.md sections 4, 9.2 and 9.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Drive {
    /// `S x r(k) x months / 12`, from the option's row.
    Ramp,
    /// The levels of its case's row in the yearly-amounts block: low, central, high.
    Profile([u32; 3]),
    /// In-base: its plan `LP`, in every case.
    Plan,
    /// Withdrawn: nothing.
    Nothing,
}

/// An option taken forward: where its figures are.
#[derive(Clone, Copy, Debug)]
pub(super) struct Taken {
    pub(super) service: usize,
    pub(super) option: usize,
    /// Its row in the options table.
    pub(super) row: u32,
    pub(super) status: Status,
    pub(super) drive: Drive,
    /// Its plan's row (a saving already in the plan: approved, in-base, withdrawn).
    pub(super) plan_row: Option<u32>,
}

/// What the gap to date is built from, and where (docs/model.md section 9.5).
#[derive(Clone, Debug, Default)]
pub(super) struct GapRows {
    /// `budget.net`, in the base year's column.
    pub(super) net: Option<u32>,
    /// `budget.requirement`, levels by year.
    pub(super) requirement: Option<u32>,
    /// Each pressure line's levels, in file order (contiguous).
    pub(super) pressures: Vec<u32>,
    /// Each funding line's levels, in file order (contiguous).
    pub(super) funding: Vec<u32>,
    /// Reserves used, each year's own (with `[budget]`).
    pub(super) reserves: Option<u32>,
    /// The unidentified gap `G(y)`, increments (without `[budget]`).
    pub(super) unidentified: Option<u32>,
    /// The savings the MTFP requires, increments (context).
    pub(super) required: u32,
}

/// Where everything is on the Inputs sheet.
pub(super) struct InputsLayout {
    pub(super) horizon: u16,
    /// Whether the options table has the Status and Area columns (a plan's), which move the
    /// columns after them two to the right.
    pub(super) plan_columns: bool,
    /// Options taken forward, in file order.
    pub(super) taken: Vec<Taken>,
    /// The other options: (service index, option index, row); `others_heading` above them.
    pub(super) others: Vec<(usize, usize, u32)>,
    pub(super) others_heading: u32,
    /// The yearly amounts of the profiles taken forward (heading row, column header row).
    pub(super) profiles_header: Option<u32>,
    /// The plans of the savings already counted (column header row).
    pub(super) plans_header: Option<u32>,
    pub(super) plan_header: u32,
    /// Each service's planned-savings row, by service index.
    pub(super) plan_rows: Vec<u32>,
    pub(super) gap_header: u32,
    pub(super) gap: GapRows,
}

/// Whether the scenario uses what the options table of a plan shows: a status other than
/// proposed, an area, or a saving written year by year.
fn is_plan(scenario: &Scenario) -> bool {
    scenario.services.iter().any(|s| {
        s.area.is_some()
            || s.options
                .iter()
                .any(|o| o.status != Status::Proposed || o.is_profile())
    })
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
            if let Some(option) = service.taken_forward() {
                let drive = match (option.status, &option.build) {
                    (Status::InBase, _) => Drive::Plan,
                    (Status::Withdrawn, _) => Drive::Nothing,
                    (_, Build::Ramp { .. }) => Drive::Ramp,
                    // Rows given below, once the options are placed.
                    (_, Build::Profile(_)) => Drive::Profile([0; 3]),
                };
                taken.push(Taken {
                    service: s,
                    option: service.taken_forward.unwrap_or_default(),
                    row: allot()?,
                    status: option.status,
                    drive,
                    plan_row: None,
                });
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
        let mut profiles_header = None;
        if taken.iter().any(|t| matches!(t.drive, Drive::Profile(_))) {
            allot()?;
            allot()?;
            profiles_header = Some(allot()?);
            for line in &mut taken {
                if let Drive::Profile(rows) = &mut line.drive {
                    for row in rows.iter_mut() {
                        *row = allot()?;
                    }
                }
            }
        }
        let mut plans_header = None;
        if taken.iter().any(|t| t.status.is_planned()) {
            allot()?;
            allot()?;
            plans_header = Some(allot()?);
            for line in &mut taken {
                if line.status.is_planned() {
                    line.plan_row = Some(allot()?);
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
        let inputs = &scenario.gap_build;
        let mut gap = GapRows::default();
        match inputs.budget.as_ref().map(|b| &b.base) {
            Some(Requirement::Net(_)) => gap.net = Some(allot()?),
            Some(Requirement::Levels(_)) => gap.requirement = Some(allot()?),
            None => {}
        }
        gap.pressures = inputs
            .pressures
            .iter()
            .map(|_| allot())
            .collect::<Result<_>>()?;
        gap.funding = inputs
            .funding
            .iter()
            .map(|_| allot())
            .collect::<Result<_>>()?;
        if inputs.budget.is_some() {
            gap.reserves = Some(allot()?);
        } else {
            gap.unidentified = Some(allot()?);
        }
        gap.required = allot()?;
        Ok(Self {
            horizon: scenario.horizon,
            plan_columns: is_plan(scenario),
            taken,
            others,
            others_heading,
            profiles_header,
            plans_header,
            plan_header,
            plan_rows,
            gap_header,
            gap,
        })
    }

    /// How far the Status and Area columns move the columns after them.
    fn shift(&self) -> u16 {
        if self.plan_columns { 2 } else { 0 }
    }

    /// The Status column (a plan's options table only).
    pub(super) fn status_col(&self) -> u16 {
        OPTION_NAME + 1
    }

    /// Saving low, central, high.
    pub(super) fn saving_col(&self, case: Case) -> u16 {
        OPTION_NAME
            + 1
            + self.shift()
            + match case {
                Case::Low => 0,
                Case::Central => 1,
                Case::High => 2,
            }
    }

    pub(super) fn go_live_written_col(&self) -> u16 {
        OPTION_NAME + 4 + self.shift()
    }

    pub(super) fn go_live_year_col(&self) -> u16 {
        OPTION_NAME + 5 + self.shift()
    }

    pub(super) fn months_col(&self) -> u16 {
        OPTION_NAME + 6 + self.shift()
    }

    /// `r(1)`; `r(k)` is `ramp_col() + k - 1`, up to `k = H`.
    pub(super) fn ramp_col(&self) -> u16 {
        OPTION_NAME + 7 + self.shift()
    }

    /// The one-off cost column of year t (0 the base year, 1 the first projected year).
    pub(super) fn cost_col(&self, t: u16) -> u16 {
        self.ramp_col() + self.horizon + t
    }

    pub(super) fn last_ramp_col(&self) -> u16 {
        self.ramp_col() + self.horizon - 1
    }

    pub(super) fn taken_rows(&self) -> Vec<u32> {
        self.taken.iter().map(|t| t.row).collect()
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
    // A profile's steady state is a formula here: no result stored, as on every sheet.
    sheet.set_formula_result_default("");
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
    ];
    if layout.plan_columns {
        headers.push("Status (the Projection's formulas follow it as written here)".into());
        headers.push("Area".into());
    }
    headers.extend([
        format!("Saving S low ({unit})"),
        format!("Saving S central ({unit})"),
        format!("Saving S high ({unit})"),
        "Go-live as written".into(),
        "Go-live year (starts in April of)".into(),
        "Months counted in the go-live year".into(),
    ]);
    headers.extend((1..=layout.horizon).map(|k| format!("Ramp r({k})")));
    headers.push(format!(
        "One-off cost {} base year ({unit})",
        scenario.base_year
    ));
    headers.extend(years.iter().map(|y| format!("One-off cost {y} ({unit})")));
    for (i, header) in headers.iter().enumerate() {
        text_with(sheet, OPTIONS_HEADER_ROW, column(i)?, header, &f.header)?;
    }
    for line in &layout.taken {
        write_option(
            sheet,
            scenario,
            layout,
            (line.service, line.option, line.row),
            Some(line),
            f,
        )?;
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
    for place in &layout.others {
        write_option(sheet, scenario, layout, *place, None, f)?;
    }

    plan_inputs::write_profiles(sheet, scenario, layout, &years, f)?;
    plan_inputs::write_plans(sheet, scenario, layout, &years, f)?;

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
        let in_plan = service
            .taken_forward()
            .is_some_and(|o| o.status.is_planned());
        let counted = service.taken_forward.is_some() && !in_plan;
        text(sheet, *row, SERVICE_ID, &service.id)?;
        text(sheet, *row, SERVICE_NAME, &service.name)?;
        sheet.write_string(
            *row,
            2,
            if counted {
                "yes"
            } else if in_plan {
                "no: its saving is already in the plan (its plan is above)"
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
        // What is new each year, also where the scenario writes the running total.
        let increments = service
            .planned
            .increments(years.iter().copied())
            .with_context(|| format!("the planned savings of service[{}]", service.id))?;
        let shade = if counted { &f.money_input } else { &f.money };
        for (t, p) in (1..).zip(increments) {
            money(sheet, *row, PLAN_BASE + t, p, shade)?;
        }
    }

    plan_inputs::write_gap(sheet, scenario, layout, &years, f)?;

    sheet.set_column_width(SERVICE_ID, 16)?;
    sheet.set_column_width(SERVICE_NAME, 28)?;
    sheet.set_column_width(OPTION_ID, 16)?;
    sheet.set_column_width(OPTION_NAME, 36)?;
    if layout.plan_columns {
        sheet.set_column_width(layout.status_col(), 14)?;
        sheet.set_column_width(layout.status_col() + 1, 18)?;
    }
    for col in layout.saving_col(Case::Low)..layout.ramp_col() {
        sheet.set_column_width(col, 11)?;
    }
    for col in layout.ramp_col()..=layout.last_ramp_col() {
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

/// One option's row: what it saves, when, how it builds up and what it costs. `taken`: the
/// line, where the option is taken forward (its inputs are shaded where they drive the
/// Projection).
fn write_option(
    sheet: &mut Worksheet,
    scenario: &Scenario,
    layout: &InputsLayout,
    (service_index, option_index, row): (usize, usize, u32),
    taken: Option<&Taken>,
    f: &Formats,
) -> Result<()> {
    let (service, option): (&Service, &SavingOption) = scenario
        .services
        .get(service_index)
        .and_then(|s| s.options.get(option_index).map(|o| (s, o)))
        .context("an option the layout names is missing")?;
    let plain = Format::new();
    // Shaded where the figures drive the Projection: a saving it builds up from S.
    let (money_format, share_format, whole_format, text_format) =
        if taken.is_some_and(|t| t.drive == Drive::Ramp) {
            (
                &f.money_input,
                &f.share_input,
                &f.whole_input,
                &f.text_input,
            )
        } else {
            (&f.money, &f.share, &f.whole, &plain)
        };
    let cost_format = if taken.is_some() {
        &f.money_input
    } else {
        &f.money
    };
    text(sheet, row, SERVICE_ID, &service.id)?;
    text(sheet, row, SERVICE_NAME, &service.name)?;
    text(sheet, row, OPTION_ID, &option.id)?;
    text(sheet, row, OPTION_NAME, &option.name)?;
    if layout.plan_columns {
        sheet.write_string(row, layout.status_col(), option.status.name())?;
        if let Some(area) = &service.area {
            text(sheet, row, layout.status_col() + 1, area)?;
        }
    }
    // The steady state counted (docs/model.md section 9.2): an in-base line's central plan's,
    // a withdrawn line's 0, a profile's last level; else S as given.
    let last = PLAN_BASE + layout.horizon;
    for case in Case::ALL {
        let col = layout.saving_col(case);
        match taken.map(|t| (t.drive, t.plan_row)) {
            Some((Drive::Profile(rows), _)) => {
                let level = rel(rows[case_index(case)], last);
                formula(sheet, row, col, &format!("={level}"), &f.money)?;
            }
            Some((Drive::Plan, Some(plan))) if option.is_profile() => {
                formula(sheet, row, col, &format!("={}", rel(plan, last)), &f.money)?;
            }
            Some((Drive::Plan, _)) => {
                money(sheet, row, col, option.as_written.saving.central, &f.money)?;
            }
            Some((Drive::Nothing, _)) => money(sheet, row, col, Money::ZERO, &f.money)?,
            _ => money(sheet, row, col, *option.saving.get(case), money_format)?,
        }
    }
    // A saving already in the plan and not delivered from S shows the go-live and ramp of its
    // plan, as written.
    let build = match taken.map(|t| t.drive) {
        Some(Drive::Plan | Drive::Nothing) => &option.as_written.build,
        _ => &option.build,
    };
    match build {
        Build::Ramp { start, ramp } => {
            text_with(
                sheet,
                row,
                layout.go_live_written_col(),
                &start.to_string(),
                text_format,
            )?;
            sheet.write_with_format(
                row,
                layout.go_live_year_col(),
                start.financial_year().start_year(),
                whole_format,
            )?;
            sheet.write_with_format(
                row,
                layout.months_col(),
                start.months_in_first_year(),
                whole_format,
            )?;
            for k in 1..=layout.horizon {
                let (numerator, denominator) = ramp.fraction(u32::from(k));
                let share = div(numerator, Decimal::from(denominator))
                    .with_context(|| format!("the ramp of {}", service.option_path(option)))?;
                sheet.write_with_format(row, layout.ramp_col() + k - 1, share, share_format)?;
            }
        }
        Build::Profile(_) => {
            sheet.write_string(
                row,
                layout.go_live_written_col(),
                match taken.map(|t| t.drive) {
                    Some(Drive::Profile(_)) => "yearly amounts (below)",
                    Some(Drive::Plan | Drive::Nothing) => "yearly amounts: its plan (below)",
                    _ => "yearly amounts",
                },
            )?;
        }
    }
    money(
        sheet,
        row,
        layout.cost_col(0),
        option.one_off_cost.get(scenario.base_year),
        cost_format,
    )?;
    for (t, year) in (1..).zip(scenario.years()) {
        money(
            sheet,
            row,
            layout.cost_col(t),
            option.one_off_cost.get(year),
            cost_format,
        )?;
    }
    Ok(())
}

pub(super) fn case_index(case: Case) -> usize {
    match case {
        Case::Low => 0,
        Case::Central => 1,
        Case::High => 2,
    }
}
