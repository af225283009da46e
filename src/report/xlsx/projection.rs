//! The `Projection` sheet: docs/model.md section 4 as live formulas over the Inputs sheet,
//! years across: planned savings to date, one-off costs and the gap to date, then per case the
//! in-year saving, incremental saving, contribution, remaining gap, closed and cumulative net
//! saving, per service and in total. [`ProjectionRows`] says where the Summary finds them.

use anyhow::Result;
use rust_xlsxwriter::Worksheet;

use super::INPUTS;
use super::cells::{abs, formula, range, rel, row_fixed, sum_rows, text, text_with};
use super::formats::{Formats, header_rows};
use super::inputs::{GO_LIVE_YEAR, InputsLayout, MONTHS, PLAN_BASE, RAMP};
use crate::model::{Case, Scenario, Service};

pub(super) const YEAR_LABEL_ROW: u32 = 0;
pub(super) const YEAR_NUMBER_ROW: u32 = 1;
/// The first projected year's column; year t (1-based) is in `FIRST_YEAR_COL + t - 1`.
pub(super) const FIRST_YEAR_COL: u16 = 2;

/// Rows of the Projection that the Summary refers to.
pub(super) struct ProjectionRows {
    pub(super) base_year_cost: u32,
    pub(super) cost_total: u32,
    /// In `Case::ALL` order.
    pub(super) cases: Vec<CaseRows>,
}

pub(super) struct CaseRows {
    pub(super) in_year_total: u32,
    pub(super) remaining_gap: u32,
    pub(super) closed: u32,
    pub(super) cumulative_net: u32,
}

/// The Projection sheet's cursor and shape.
pub(super) struct ProjectionWriter<'a> {
    pub(super) sheet: &'a mut Worksheet,
    pub(super) row: u32,
    pub(super) horizon: u16,
    pub(super) f: &'a Formats,
}

impl ProjectionWriter<'_> {
    pub(super) fn last_year_col(&self) -> u16 {
        FIRST_YEAR_COL + self.horizon - 1
    }

    pub(super) fn total_col(&self) -> u16 {
        FIRST_YEAR_COL + self.horizon
    }

    pub(super) fn heading(&mut self, title: &str) -> Result<()> {
        self.row += 1;
        text_with(self.sheet, self.row, 0, title, &self.f.heading)?;
        self.row += 1;
        Ok(())
    }

    /// One row: labels, then `formula_at(col)` in each year's column, and the sum over the
    /// horizon in the total column if `with_total`. Returns the row written.
    pub(super) fn line(
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
    pub(super) fn total_line(
        &mut self,
        label: &str,
        rows: &[u32],
        with_total: bool,
    ) -> Result<u32> {
        let sum = |col: u16| match (rows.first(), rows.last()) {
            (Some(first), Some(last)) => {
                format!("SUM({}:{})", rel(*first, col), rel(*last, col))
            }
            _ => "0".to_string(),
        };
        self.line("total", label, true, with_total, &sum)
    }
}

/// Writes the Projection sheet; returns the rows the Summary reads.
pub(super) fn write_projection(
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

/// The case as a heading starts: `Low`, `Central`, `High`.
pub(super) fn case_heading(case: Case) -> &'static str {
    match case {
        Case::Low => "Low",
        Case::Central => "Central",
        Case::High => "High",
    }
}
