//! `savings sweep`: the figures at each point of a data table.

use std::io::Write;

use serde_json::json;

use crate::analysis::sweep::{Axis, Point};
use crate::model::{Case, Money, grouped};

use super::csv::LongCsv;
use super::words::year_ranges;
use super::{Measure, PROGRAM, Report, Row, Section, TextReport, TextTable, json};

pub struct SweepReport<'a> {
    pub axes: &'a [Axis],
    pub points: &'a [Point],
    pub source: &'a str,
    pub overrides: &'a [String],
    pub unit: &'a str,
    /// What the reader should know of the lines varied (an approved line keeps its plan).
    pub notes: Vec<String>,
    /// The optimism bias of the scenario swept, in words, if any.
    pub bias: Option<String>,
    pub dp: u32,
}

impl Report for SweepReport<'_> {
    fn text(&self, _width: usize) -> TextReport {
        let money = |m: Money| grouped(m.amount(), self.dp);
        // The gap years of the first point head the columns (a sweep of the horizon or base
        // year can change them; the closed-years column says which closed).
        let gap_years = self
            .points
            .first()
            .map(|p| p.gap_years.clone())
            .unwrap_or_default();
        let mut header: Vec<String> = self.axes.iter().map(|a| a.label.clone()).collect();
        header.extend(["Total saving".to_string(), "NPV".to_string()]);
        header.extend(gap_years.iter().map(|y| format!("Remaining gap {y}")));
        header.push("Years closed".to_string());
        let rows = self
            .points
            .iter()
            .map(|p| {
                let mut row = p.values.clone();
                row.push(money(p.total_saving.central));
                row.push(money(p.npv.central));
                for year in &gap_years {
                    let r = p
                        .years
                        .iter()
                        .position(|y| y == year)
                        .and_then(|i| p.remaining_gap.central.get(i));
                    row.push(r.map_or("-".into(), |r| money(*r)));
                }
                row.push(year_ranges(&p.closed));
                row
            })
            .collect();
        let first_figure = self.axes.len();
        let numeric = (first_figure..first_figure + 2 + gap_years.len()).collect();
        let mut table = TextTable::new(header.clone(), rows, numeric);
        table.terminal_header = Some(header.iter().map(|h| h.replacen(' ', "\n", 1)).collect());
        table.keys = self.axes.len();
        let mut footer = super::frame::provenance(self.source, &[], self.overrides);
        footer.push(format!("{PROGRAM}."));
        TextReport {
            charts: Vec::new(),
            title: format!(
                "Sweep of {}",
                self.axes.iter().map(|a| a.label.as_str()).collect::<Vec<_>>().join(" and ")
            ),
            settings: format!("{} points", self.points.len()),
            sections: vec![Section {
                heading: format!("Central case at each point ({})", self.unit),
                table,
            }],
            notes: vec![
                "Each point is the scenario with the values set (as --set would), validated and projected in full.".to_string(),
                "Total saving and NPV are over the horizon; a year is closed when its remaining gap is zero or less. Money rounded for display; CSV and JSON carry exact values and every case.".to_string(),
            ]
            .into_iter()
            .chain(self.notes.iter().cloned())
            .chain(self.bias.clone())
            .collect(),
            footer,
        }
    }

    fn write_csv(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let leading: Vec<&str> = self.axes.iter().map(|a| a.label.as_str()).collect();
        let mut writer = LongCsv::new(out, &leading)?;
        for point in self.points {
            let values: Vec<&str> = point.values.iter().map(String::as_str).collect();
            let row = |year, measure, case: Case, value| Row {
                scenario: &point.scenario_name,
                service: "total",
                option: "",
                year,
                measure,
                case: case.name(),
                value,
            };
            for (t, year) in point.years.iter().enumerate() {
                for (case, series) in point.remaining_gap.iter() {
                    if let Some(value) = series.get(t) {
                        writer.row(
                            &values,
                            &row(Some(*year), Measure::RemainingGap, case, *value),
                        )?;
                    }
                }
            }
            for (case, value) in point.total_saving.iter() {
                writer.row(&values, &row(None, Measure::TotalSaving, case, *value))?;
            }
            for (case, value) in point.npv.iter() {
                writer.row(&values, &row(None, Measure::Npv, case, *value))?;
            }
        }
        writer.finish()
    }

    fn write_json(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let points: Vec<serde_json::Value> = self
            .points
            .iter()
            .map(|p| {
                let values: serde_json::Map<String, serde_json::Value> = self
                    .axes
                    .iter()
                    .zip(&p.values)
                    .map(|(a, v)| (a.label.clone(), json!(v)))
                    .collect();
                json!({
                    "values": values,
                    "total_saving": json::cases(&p.total_saving, |m| m.to_string()),
                    "npv": json::cases(&p.npv, |m| m.to_string()),
                    "remaining_gap": p.years.iter().enumerate().map(|(t, y)| json!({
                        "year": y.to_string(),
                        "low": p.remaining_gap.low.get(t).map(ToString::to_string),
                        "central": p.remaining_gap.central.get(t).map(ToString::to_string),
                        "high": p.remaining_gap.high.get(t).map(ToString::to_string),
                    })).collect::<Vec<_>>(),
                    "gap_years": p.gap_years.iter().map(ToString::to_string).collect::<Vec<_>>(),
                    "closed_years": p.closed.iter().map(ToString::to_string).collect::<Vec<_>>(),
                })
            })
            .collect();
        json::write_value(
            &json!({
                "schema": json::SCHEMA,
                "kind": "sweep",
                "program": PROGRAM,
                "file": self.source,
                "overrides": self.overrides,
                "vary": self.axes.iter().map(|a| json!({
                    "path": a.label,
                    "values": a.values.iter().map(|v| v.text.clone()).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "points": points,
            }),
            out,
        )
    }
}
