//! The `Projection` sheet: docs/model.md section 4 as live formulas over the Inputs sheet,
//! years across: planned savings to date, one-off costs and the gap to date (and, where the
//! scenario builds it, the requirement, funding and reserves, or the pressures: section 9.5),
//! then per case the in-year saving, incremental saving, contribution, remaining gap, closed
//! and cumulative net saving, per service and in total; each line as its status counts it
//! (section 9.4), and a tracked line as the Tracker records it (section 10). [`ProjectionRows`]
//! says where the Summary and the Tracker find them.

use anyhow::{Context, Result};
use rust_xlsxwriter::Worksheet;

use super::INPUTS;
use super::cells::{abs, formula, range, rel, row_fixed, sum_rows, text, text_with};
use super::formats::{Formats, header_rows};
use super::inputs::{Drive, InputsLayout, PLAN_BASE, Taken, case_index};
use super::tracker::TrackerLayout;
use crate::model::{Case, SavingOption, Scenario, Service, Status};

pub(super) const YEAR_LABEL_ROW: u32 = 0;
pub(super) const YEAR_NUMBER_ROW: u32 = 1;
/// The first projected year's column; year t (1-based) is in `FIRST_YEAR_COL + t - 1`.
pub(super) const FIRST_YEAR_COL: u16 = 2;

/// Rows of the Projection that the Summary refers to.
pub(super) struct ProjectionRows {
    pub(super) base_year_cost: u32,
    pub(super) cost_total: u32,
    /// Each line's planned savings to date `LP`, in the order of the lines taken forward.
    pub(super) lp_rows: Vec<u32>,
    /// In `Case::ALL` order.
    pub(super) cases: Vec<CaseRows>,
}

pub(super) struct CaseRows {
    /// Each line's in-year saving `D`, in the order of the lines taken forward.
    pub(super) d_rows: Vec<u32>,
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
        // Written without the leading `=`, which the formula cell adds (one string a cell).
        for col in FIRST_YEAR_COL..=self.last_year_col() {
            formula(self.sheet, row, col, &formula_at(col), format)?;
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

/// Writes the Projection sheet; returns the rows the Summary and the Tracker read. With a
/// `tracker` (a tracked scenario), an approved or withdrawn line's `D` is the delivered or
/// forecast figure typed there, where there is one.
pub(super) fn write_projection(
    sheet: &mut Worksheet,
    scenario: &Scenario,
    layout: &InputsLayout,
    tracker: Option<&TrackerLayout>,
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

    let taken: Vec<(&Service, &Taken)> = layout
        .taken
        .iter()
        .filter_map(|line| scenario.services.get(line.service).map(|s| (s, line)))
        .collect();
    let plan_row = |service_index: usize| layout.plan_rows.get(service_index).copied();
    // Headings say how a plan's lines are counted only where the scenario has any.
    let has_planned = taken.iter().any(|(_, t)| t.status.is_planned());
    let has_profile = taken
        .iter()
        .any(|(_, t)| matches!(t.drive, Drive::Profile(_)));
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
        "Planned savings to date LP(y), the same in every case ({unit}): P summed from the first projected year{}",
        if has_planned {
            "; a saving already in the plan (approved, in-base, withdrawn): its own plan"
        } else {
            ""
        }
    ))?;
    let mut lp_rows = Vec::new();
    for (service, line) in &taken {
        let row = if let Some(plan) = line.plan_row {
            w.line(&service.id, &service.name, false, false, &|col| {
                format!("{INPUTS}!{}", abs(plan, inputs_year_col(col)))
            })?
        } else {
            let p =
                plan_row(line.service).context("a service's planned savings are not on Inputs")?;
            let first = abs(p, PLAN_BASE + 1);
            w.line(&service.id, &service.name, false, false, &|col| {
                format!(
                    "SUM({INPUTS}!{first}:{})",
                    row_fixed(p, inputs_year_col(col))
                )
            })?
        };
        lp_rows.push(row);
    }
    let lp_total = w.total_line("All services taken forward", &lp_rows, false)?;

    w.heading(&format!("One-off costs C(y) ({unit})"))?;
    let mut cost_rows = Vec::new();
    for (service, line) in &taken {
        let r = line.row;
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

    let (gap_to_date, gap_parts) = gap_lines(&mut w, scenario, layout)?;

    let mut cases = Vec::new();
    for case in Case::ALL {
        let case_title = format!("{} case", case_heading(case));
        w.row += 1;
        text_with(w.sheet, w.row, 0, &case_title, &f.title)?;
        w.row += 1;

        let mut how = String::new();
        if has_profile {
            how.push_str("; a saving written year by year: its amounts on Inputs");
        }
        if taken.iter().any(|(_, t)| t.status == Status::InBase) {
            how.push_str("; in-base: its plan LP(y)");
        }
        if taken.iter().any(|(_, t)| t.status == Status::Withdrawn) {
            how.push_str("; withdrawn: 0");
        }
        if tracker.is_some() && taken.iter().any(|(_, t)| tracks_delivery(scenario, t)) {
            how.push_str(
                "; an approved or withdrawn line: its delivered figure on Tracker where typed, else its forecast there, else as above",
            );
        }
        w.heading(&format!(
            "{case_title}: in-year saving D(y) = S x r(k) x months / 12{how} ({unit})"
        ))?;
        let mut d_rows = Vec::new();
        for (index, ((service, line), lp)) in taken.iter().zip(&lp_rows).enumerate() {
            let lp = *lp;
            let recorded = tracker
                .filter(|_| tracks_delivery(scenario, line))
                .map(|t| (t, index));
            d_rows.push(w.line(&service.id, &service.name, false, true, &|col| {
                let planned = as_planned(layout, line, case, lp, col, "");
                match recorded {
                    Some((tracker, index)) => {
                        let t = col - FIRST_YEAR_COL + 1;
                        let delivered = tracker.delivered(index, t);
                        let forecast = tracker.forecast(index, t);
                        format!(
                            "IF(ISBLANK({delivered}),IF(ISBLANK({forecast}),{planned},{forecast}),{delivered})"
                        )
                    }
                    None => planned,
                }
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
                    rel(d, col).to_string()
                } else {
                    format!("{}-{}", rel(d, col), rel(d, col - 1))
                }
            })?);
        }
        w.total_line("All services taken forward", &i_rows, true)?;

        w.heading(&format!(
            "{case_title}: contribution to the gap N(y) = D(y) - w x LP(y){} ({unit})",
            if has_planned {
                "; D(y) - LP(y), w not applied, for a saving already in the plan"
            } else {
                ""
            }
        ))?;
        let mut n_rows = Vec::new();
        for (((service, line), d), lp) in taken.iter().zip(&d_rows).zip(&lp_rows) {
            let (d, lp) = (*d, *lp);
            n_rows.push(w.line(&service.id, &service.name, false, false, &|col| {
                if line.status.is_planned() {
                    format!("{}-{}", rel(d, col), rel(lp, col))
                } else {
                    format!("{}-Overlap*{}", rel(d, col), rel(lp, col))
                }
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
        // Closed at zero or less, to within the rounding of binary arithmetic: a part in
        // 10^11 of the figures R is computed from (an exact tie, a balanced budget, is left a
        // few parts in 10^15 either side of zero).
        for col in FIRST_YEAR_COL..=w.last_year_col() {
            let scale = [gap_to_date, in_year_total, lp_total]
                .iter()
                .chain(&gap_parts)
                .map(|row| format!("ABS({})", rel(*row, col)))
                .collect::<Vec<_>>()
                .join("+");
            formula(
                w.sheet,
                closed,
                col,
                &format!(
                    "=IF({}<=1E-11*({scale}),\"yes\",\"no\")",
                    rel(remaining_gap, col)
                ),
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
            d_rows,
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
        lp_rows,
        cases,
    })
}

/// A line's in-year saving as planned in `case`, in the Projection's year column `col`, before
/// any delivery recorded on the Tracker (docs/model.md sections 4, 9.2 and 9.4): from `S` and
/// its ramp, its yearly amounts on Inputs, its plan `LP` (row `lp` of the Projection: in-base),
/// or 0 (withdrawn). `on` prefixes the Projection's cells: empty on the Projection itself,
/// `Projection!` from another sheet.
pub(super) fn as_planned(
    layout: &InputsLayout,
    line: &Taken,
    case: Case,
    lp: u32,
    col: u16,
    on: &str,
) -> String {
    let r = line.row;
    let inputs_year_col = PLAN_BASE + 1 + (col - FIRST_YEAR_COL);
    match line.drive {
        Drive::Ramp => {
            let go_live = abs(r, layout.go_live_year_col());
            let months = abs(r, layout.months_col());
            let saving = abs(r, layout.saving_col(case));
            let ramp = range(INPUTS, (r, layout.ramp_col()), (r, layout.last_ramp_col()));
            let year = row_fixed(YEAR_NUMBER_ROW, col);
            let horizon = layout.horizon;
            format!(
                "IF({on}{year}<{INPUTS}!{go_live},0,{INPUTS}!{saving}*INDEX({ramp},MIN({on}{year}-{INPUTS}!{go_live}+1,{horizon}))*IF({on}{year}={INPUTS}!{go_live},{INPUTS}!{months},12)/12)"
            )
        }
        Drive::Profile(rows) => {
            format!("{INPUTS}!{}", abs(rows[case_index(case)], inputs_year_col))
        }
        Drive::Plan => format!("{on}{}", rel(lp, col)),
        Drive::Nothing => "0".to_string(),
    }
}

/// Whether the line's delivery follows the Tracker: an approved or withdrawn line
/// (docs/model.md section 10).
pub(super) fn tracks_delivery(scenario: &Scenario, line: &Taken) -> bool {
    scenario
        .services
        .get(line.service)
        .and_then(|s| s.options.get(line.option))
        .is_some_and(SavingOption::tracks_delivery)
}

/// The gap to date `LG`, and what it is built from where the scenario builds it
/// (docs/model.md section 9.5): the requirement, funding and reserves with `[budget]`, or the
/// pressures added to the unidentified gap without it. Returns the row of `LG`, and the rows it
/// is computed from.
fn gap_lines(
    w: &mut ProjectionWriter,
    scenario: &Scenario,
    layout: &InputsLayout,
) -> Result<(u32, Vec<u32>)> {
    let unit = &scenario.unit;
    let gap = &layout.gap;
    let inputs_year_col = |col: u16| PLAN_BASE + 1 + (col - FIRST_YEAR_COL);
    // The sum of contiguous rows of Inputs in the year of `col`.
    let sum_of = |rows: &[u32], col: u16| sum_rows(INPUTS, rows, inputs_year_col(col));
    let unidentified_to_date = |row: u32, col: u16| {
        format!(
            "SUM({INPUTS}!{}:{})",
            abs(row, PLAN_BASE + 1),
            row_fixed(row, inputs_year_col(col))
        )
    };
    match (gap.unidentified, &scenario.gap_build.budget) {
        (Some(g), None) if gap.pressures.is_empty() => {
            w.heading(&format!("The unidentified gap ({unit})"))?;
            let lg = w.line("total", "Gap to date LG(y)", true, false, &|col| {
                unidentified_to_date(g, col)
            })?;
            Ok((lg, Vec::new()))
        }
        (Some(g), None) => {
            w.heading(&format!(
                "The gap: the unidentified gap and the pressures in force ({unit})"
            ))?;
            let pressures = w.line("total", "Pressures in force", false, false, &|col| {
                sum_of(&gap.pressures, col).to_string()
            })?;
            let lg = w.line(
                "total",
                "Gap to date LG(y) = unidentified gap to date + pressures",
                true,
                false,
                &|col| format!("{}+{}", unidentified_to_date(g, col), rel(pressures, col)),
            )?;
            Ok((lg, vec![pressures]))
        }
        _ => {
            w.heading(&format!("The gap, built from the budget ({unit})"))?;
            let requirement = match (gap.net, gap.requirement) {
                (Some(net), _) => w.line(
                    "total",
                    "Budget requirement RQ(y) = net budget + pressures in force",
                    false,
                    false,
                    &|col| {
                        let net = format!("{INPUTS}!{}", abs(net, PLAN_BASE));
                        if gap.pressures.is_empty() {
                            net
                        } else {
                            format!("{net}+{}", sum_of(&gap.pressures, col))
                        }
                    },
                )?,
                (None, requirement) => {
                    w.line("total", "Budget requirement RQ(y)", false, false, &|col| {
                        match requirement {
                            Some(row) => format!("{INPUTS}!{}", abs(row, inputs_year_col(col))),
                            None => "0".to_string(),
                        }
                    })?
                }
            };
            let funding = w.line("total", "Funding F(y)", false, false, &|col| {
                sum_of(&gap.funding, col).to_string()
            })?;
            let reserves = w.line(
                "total",
                "Reserves used V(y), that year only",
                false,
                false,
                &|col| match gap.reserves {
                    Some(row) => format!("{INPUTS}!{}", abs(row, inputs_year_col(col))),
                    None => "0".to_string(),
                },
            )?;
            let lg = w.line(
                "total",
                "Gap to date LG(y) = RQ(y) - F(y) - V(y)",
                true,
                false,
                &|col| {
                    format!(
                        "{}-{}-{}",
                        rel(requirement, col),
                        rel(funding, col),
                        rel(reserves, col)
                    )
                },
            )?;
            Ok((lg, vec![requirement, funding, reserves]))
        }
    }
}

/// The case as a heading starts: `Low`, `Central`, `High`.
pub(super) fn case_heading(case: Case) -> &'static str {
    match case {
        Case::Low => "Low",
        Case::Central => "Central",
        Case::High => "High",
    }
}
