//! The `Simulation` sheet (with `--simulate`): the Monte Carlo's spreads as run, year by year
//! and over the horizon, and each service's chance of meeting its plan. Values, not formulas:
//! they are statistics of random draws.

use anyhow::Result;
use rust_xlsxwriter::Worksheet;

use super::cells::{column, text, text_with};
use super::formats::{Formats, header_rows};
use crate::model::Scenario;

/// Writes the Simulation sheet.
pub(super) fn write_simulation(
    sheet: &mut Worksheet,
    scenario: &Scenario,
    simulation: &crate::analysis::simulate::Simulation,
    f: &Formats,
) -> Result<()> {
    let unit = &scenario.unit;
    text_with(
        sheet,
        0,
        0,
        &format!(
            "Monte Carlo: {}, seed {} ({unit}; values as simulated, not live formulas)",
            simulation.settings.trials_text(),
            simulation.settings.seed
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
