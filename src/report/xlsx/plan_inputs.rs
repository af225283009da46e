//! The blocks by year of the `Inputs` sheet below the options. A plan's (docs/model.md section
//! 9): the yearly amounts of each profile taken forward, per case (which the Projection's `D`
//! is), and the plan of each saving already counted (its `LP`). Every scenario's, at the foot:
//! the gap, the unidentified gap or what it is built from (net budget or requirement, each
//! pressure and funding line, reserves), with the savings the MTFP requires. Where each is,
//! [`InputsLayout`] says.

use anyhow::{Context, Result};
use rust_xlsxwriter::{Format, Worksheet};

use super::cells::{column, money, text, text_with};
use super::formats::Formats;
use super::inputs::{
    Drive, InputsLayout, OPTION_ID, PLAN_BASE, SERVICE_ID, SERVICE_NAME, Taken, case_index,
};
use crate::model::{
    Build, Case, FinancialYear, Money, Requirement, SavingOption, Scenario, Service,
};
use crate::projection::plan_of;

/// The column headers of a block by year: labels, then the years from `PLAN_BASE + 1`.
fn year_headers(
    sheet: &mut Worksheet,
    row: u32,
    labels: [&str; 4],
    years: &[FinancialYear],
    unit: &str,
    f: &Formats,
) -> Result<()> {
    for (col, label) in (0..).zip(labels) {
        text_with(sheet, row, col, label, &f.header)?;
    }
    for (t, year) in (1..).zip(years) {
        text_with(
            sheet,
            row,
            PLAN_BASE + t,
            &format!("{year} ({unit})"),
            &f.header,
        )?;
    }
    sheet.set_row_height(row, 30)?;
    Ok(())
}

/// The yearly amounts of each profile taken forward and not yet in the base budget or
/// withdrawn: its in-year saving `D(y)` in each case, which the Projection's `D` is.
pub(super) fn write_profiles(
    sheet: &mut Worksheet,
    scenario: &Scenario,
    layout: &InputsLayout,
    years: &[FinancialYear],
    f: &Formats,
) -> Result<()> {
    let Some(header) = layout.profiles_header else {
        return Ok(());
    };
    let biased = layout.taken.iter().any(|t| {
        matches!(t.drive, Drive::Profile(_))
            && option_of(scenario, t).is_some_and(|o| o.optimism_bias.is_some_and(|b| !b.is_none()))
    });
    let heading = if biased {
        "Savings written as yearly amounts: the in-year saving D(y) in each case, which the Projection's D is (after optimism bias: the levels as written, less the haircut and moved later by the delay)"
    } else {
        "Savings written as yearly amounts: the in-year saving D(y) in each case, which the Projection's D is"
    };
    text_with(sheet, header - 1, 0, heading, &f.heading)?;
    year_headers(
        sheet,
        header,
        ["Service id", "Service", "Option id", "Case"],
        years,
        &scenario.unit,
        f,
    )?;
    for line in &layout.taken {
        let Drive::Profile(rows) = line.drive else {
            continue;
        };
        let (service, option) = service_option(scenario, line)?;
        let Build::Profile(levels) = &option.build else {
            anyhow::bail!(
                "{} is not written year by year",
                service.option_path(option)
            );
        };
        for case in Case::ALL {
            let row = rows[case_index(case)];
            text(sheet, row, SERVICE_ID, &service.id)?;
            text(sheet, row, SERVICE_NAME, &service.name)?;
            text(sheet, row, OPTION_ID, &option.id)?;
            sheet.write_string(row, PLAN_BASE, case.name())?;
            for (t, level) in (1..).zip(levels.get(case)) {
                money(sheet, row, PLAN_BASE + t, *level, &f.money_input)?;
            }
        }
    }
    Ok(())
}

/// The plan of each saving already counted (approved, in-base, withdrawn): its central
/// in-year saving as written, before optimism bias, which is its planned savings to date `LP`
/// (docs/model.md section 9.4).
pub(super) fn write_plans(
    sheet: &mut Worksheet,
    scenario: &Scenario,
    layout: &InputsLayout,
    years: &[FinancialYear],
    f: &Formats,
) -> Result<()> {
    let Some(header) = layout.plans_header else {
        return Ok(());
    };
    text_with(
        sheet,
        header - 1,
        0,
        "The plan of each saving already counted (approved, in-base, withdrawn): planned savings to date LP(y), its central amounts as written, before any optimism bias. An approved line contributes what it delivers beyond it; an in-base line delivers it in every case; a withdrawn line delivers nothing",
        &f.heading,
    )?;
    year_headers(
        sheet,
        header,
        ["Service id", "Service", "Option id", "Status"],
        years,
        &scenario.unit,
        f,
    )?;
    for line in &layout.taken {
        let Some(row) = line.plan_row else {
            continue;
        };
        let (service, option) = service_option(scenario, line)?;
        let plan = plan_of(scenario, option)
            .with_context(|| format!("the plan of {}", service.option_path(option)))?;
        text(sheet, row, SERVICE_ID, &service.id)?;
        text(sheet, row, SERVICE_NAME, &service.name)?;
        text(sheet, row, OPTION_ID, &option.id)?;
        sheet.write_string(row, PLAN_BASE, option.status.name())?;
        for (t, level) in (1..).zip(plan) {
            money(sheet, row, PLAN_BASE + t, level, &f.money_input)?;
        }
    }
    Ok(())
}

/// The gap: the unidentified gap, or what it is built from (docs/model.md section 9.5), and
/// the savings the MTFP requires (context).
pub(super) fn write_gap(
    sheet: &mut Worksheet,
    scenario: &Scenario,
    layout: &InputsLayout,
    years: &[FinancialYear],
    f: &Formats,
) -> Result<()> {
    let unit = &scenario.unit;
    let inputs = &scenario.gap_build;
    let gap = &layout.gap;
    let mut gap_headers: Vec<String> = vec![
        "The MTFP's gap".into(),
        String::new(),
        String::new(),
        if gap.net.is_some() {
            format!("{} base year ({unit})", scenario.base_year)
        } else {
            String::new()
        },
    ];
    gap_headers.extend(years.iter().map(|y| format!("{y} ({unit})")));
    for (i, header) in gap_headers.iter().enumerate() {
        text_with(sheet, layout.gap_header, column(i)?, header, &f.header)?;
    }
    let by_year = |sheet: &mut Worksheet, row: u32, values: &[Money], format: &Format| {
        (1..)
            .zip(values)
            .try_for_each(|(t, value)| money(sheet, row, PLAN_BASE + t, *value, format))
    };
    let levels = |series: &crate::model::YearSeries, what: &str| {
        series
            .levels(years.iter().copied())
            .with_context(|| format!("the levels of {what}"))
    };
    if let (Some(row), Some(Requirement::Net(net))) =
        (gap.net, inputs.budget.as_ref().map(|b| &b.base))
    {
        sheet.write_string(
            row,
            0,
            "Net budget of the base year (the requirement: it plus the pressures in force)",
        )?;
        money(sheet, row, PLAN_BASE, *net, &f.money_input)?;
    }
    if let (Some(row), Some(Requirement::Levels(requirement))) =
        (gap.requirement, inputs.budget.as_ref().map(|b| &b.base))
    {
        sheet.write_string(row, 0, "Budget requirement RQ(y), as given (levels)")?;
        by_year(
            sheet,
            row,
            &levels(requirement, "budget.requirement")?,
            &f.money_input,
        )?;
    }
    for (kind, lines, rows) in [
        (
            "pressure: level in force",
            &inputs.pressures,
            &gap.pressures,
        ),
        ("funding: level", &inputs.funding, &gap.funding),
    ] {
        for (line, row) in lines.iter().zip(rows) {
            text(sheet, *row, 0, &line.id)?;
            text(sheet, *row, 1, &line.name)?;
            sheet.write_string(*row, 2, kind)?;
            by_year(
                sheet,
                *row,
                &levels(&line.amount, &format!("{} {}", kind, line.id))?,
                &f.money_input,
            )?;
        }
    }
    if let (Some(row), Some(budget)) = (gap.reserves, &inputs.budget) {
        sheet.write_string(row, 0, "Reserves used V(y), that year only")?;
        by_year(
            sheet,
            row,
            &levels(&budget.reserves, "budget.reserves")?,
            &f.money_input,
        )?;
    }
    if let Some(row) = gap.unidentified {
        sheet.write_string(row, 0, "Unidentified gap G(y), incremental")?;
        let increments = scenario
            .gap
            .unidentified
            .increments(years.iter().copied())
            .context("the unidentified gap")?;
        by_year(sheet, row, &increments, &f.money_input)?;
    }
    sheet.write_string(
        gap.required,
        0,
        "Savings required by the MTFP (context only)",
    )?;
    let required = scenario
        .gap
        .required
        .increments(years.iter().copied())
        .context("the savings required")?;
    by_year(sheet, gap.required, &required, &f.money)?;
    Ok(())
}

fn service_option<'a>(
    scenario: &'a Scenario,
    line: &Taken,
) -> Result<(&'a Service, &'a SavingOption)> {
    scenario
        .services
        .get(line.service)
        .and_then(|s| s.options.get(line.option).map(|o| (s, o)))
        .context("an option the layout names is missing")
}

fn option_of<'a>(scenario: &'a Scenario, line: &Taken) -> Option<&'a SavingOption> {
    service_option(scenario, line).ok().map(|(_, o)| o)
}
