//! `savings compare`: scenarios side by side, with differences from the first (B - A).

use std::collections::HashMap;
use std::io::Write;

use serde_json::json;

use crate::analysis::compare::{Difference, Variant};
use crate::model::{Case, FinancialYear, Money, grouped};

use super::csv::LongCsv;
use super::words::{year_ranges, years_count};
use super::{
    Measure, PROGRAM, Report, Row, Section, TextReport, TextTable, json, rows, rows_of_total,
};

pub struct CompareReport<'a> {
    /// A first, then the scenarios compared with it.
    pub variants: &'a [Variant<'a>],
    /// Each later variant against A, in order.
    pub differences: &'a [Difference],
    pub dp: u32,
}

impl CompareReport<'_> {
    fn pairs(&self) -> impl Iterator<Item = (&Variant<'_>, &Difference)> {
        self.variants.iter().skip(1).zip(self.differences)
    }

    fn a(&self) -> Option<&Variant<'_>> {
        self.variants.first()
    }
}

fn yes_no(closed: bool) -> &'static str {
    if closed { "yes" } else { "no" }
}

impl Report for CompareReport<'_> {
    fn text(&self, _width: usize) -> TextReport {
        let dp = self.dp;
        let money = |m: Money| grouped(m.amount(), dp);
        let Some(a) = self.a() else {
            return TextReport {
                charts: Vec::new(),
                title: "Comparison".into(),
                settings: String::new(),
                sections: Vec::new(),
                notes: Vec::new(),
                footer: vec![format!("{PROGRAM}.")],
            };
        };
        let unit = &a.scenario.unit;
        let mut sections = Vec::new();
        let mut notes = Vec::new();
        for (x, d) in self.pairs() {
            let l = &x.label;
            let years = d
                .years
                .iter()
                .map(|y| {
                    vec![
                        y.year.to_string(),
                        money(y.a.in_year),
                        money(y.b.in_year),
                        money(y.in_year),
                        money(y.a.remaining_gap),
                        money(y.b.remaining_gap),
                        money(y.remaining_gap),
                        format!("{} / {}", yes_no(y.a.closed), yes_no(y.b.closed)),
                    ]
                })
                .collect();
            let mut year_table = TextTable::new(
                vec![
                    "Year".into(),
                    "In-year saving A".into(),
                    format!("In-year saving {l}"),
                    format!("Difference {l} - A"),
                    "Remaining gap A".into(),
                    format!("Remaining gap {l}"),
                    format!("Difference {l} - A"),
                    format!("Closed A / {l}"),
                ],
                years,
                (1..=6).collect(),
            );
            year_table.terminal_header = Some(vec![
                "Year".into(),
                "In-year\nA".into(),
                format!("In-year\n{l}"),
                format!("Difference\n{l} - A"),
                "Remaining\ngap A".into(),
                format!("Remaining\ngap {l}"),
                format!("Difference\n{l} - A"),
                format!("Closed\nA / {l}"),
            ]);
            sections.push(Section {
                heading: format!("Year by year, {l} against A ({unit}, central case)"),
                table: year_table,
            });

            let labels = crate::model::distinct_labels(
                d.services.iter().map(|s| (s.name.as_str(), s.id.as_str())),
            );
            let services = d
                .services
                .iter()
                .zip(&labels)
                .map(|(s, label)| {
                    let option = |present: bool, option: &Option<String>| match (present, option) {
                        (false, _) => "(absent)".to_string(),
                        (true, None) => "deferred".to_string(),
                        (true, Some(o)) => o.clone(),
                    };
                    let changed = if s.option_changed() { " *" } else { "" };
                    vec![
                        format!("{label}{changed}"),
                        option(s.present_a, &s.option_a),
                        option(s.present_b, &s.option_b),
                        money(s.total_a),
                        money(s.total_b),
                        money(s.total),
                    ]
                })
                .collect();
            let mut service_table = TextTable::new(
                vec![
                    "Service".into(),
                    "Option A".into(),
                    format!("Option {l}"),
                    "Total A".into(),
                    format!("Total {l}"),
                    format!("Difference {l} - A"),
                ],
                services,
                vec![3, 4, 5],
            );
            service_table.terminal_header = Some(vec![
                "Service".into(),
                "Option A".into(),
                format!("Option {l}"),
                "Total A".into(),
                format!("Total {l}"),
                format!("Difference\n{l} - A"),
            ]);
            service_table.min_widths = vec![22, 20, 20];
            sections.push(Section {
                heading: format!(
                    "Services, {l} against A ({unit}, central case, totals over the years both project; * the option taken forward differs)"
                ),
                table: service_table,
            });

            let (sa, sb) = &d.summary.central;
            let summary = vec![
                vec![
                    format!("Total saving over {}", years_count(x.scenario.horizon)),
                    money(sa.total_saving),
                    money(sb.total_saving),
                    money(d.total_saving.central),
                ],
                vec![
                    "Steady-state annual saving".into(),
                    money(sa.steady_state),
                    money(sb.steady_state),
                    sb.steady_state
                        .checked_sub(sa.steady_state)
                        .map_or("-".into(), money),
                ],
                vec![
                    "Net present value".into(),
                    money(sa.npv),
                    money(sb.npv),
                    money(d.npv.central),
                ],
                vec![
                    "Payback year".into(),
                    sa.payback.to_string(),
                    sb.payback.to_string(),
                    String::new(),
                ],
                vec![
                    "Years closed".into(),
                    year_ranges(&sa.closed_years),
                    year_ranges(&sb.closed_years),
                    String::new(),
                ],
            ];
            sections.push(Section {
                heading: format!("Over the horizon, {l} against A ({unit}, central case)"),
                table: TextTable::new(
                    vec![
                        "".into(),
                        "A".into(),
                        l.clone(),
                        format!("Difference {l} - A"),
                    ],
                    summary,
                    vec![1, 2, 3],
                ),
            });

            let changed: Vec<String> = d
                .option_changes()
                .map(|s| {
                    format!(
                        "{} ({} -> {})",
                        s.id,
                        s.option_a.as_deref().unwrap_or("none"),
                        s.option_b.as_deref().unwrap_or("none")
                    )
                })
                .collect();
            notes.push(if changed.is_empty() {
                format!("Options taken forward: the same in A and {l}.")
            } else {
                format!(
                    "Options taken forward that differ in {l}: {}.",
                    changed.join(", ")
                )
            });
            let flips: Vec<String> = d
                .closed_changes()
                .map(|y| {
                    format!(
                        "{} ({} in A, {} in {l})",
                        y.year,
                        if y.a.closed { "closed" } else { "open" },
                        if y.b.closed { "closed" } else { "open" }
                    )
                })
                .collect();
            notes.push(if flips.is_empty() {
                format!("No year changes between closed and not closed from A to {l}.")
            } else {
                format!("Years whose closed status changes: {}.", flips.join(", "))
            });
            if d.identical {
                notes.push(format!("{l} and A are identical in every figure."));
            }
        }
        notes.push(format!(
            "Money in {unit}, rounded half away from zero for display; totals use unrounded values."
        ));
        for v in self.variants {
            if let Some(note) = super::frame::bias_note(v.scenario) {
                notes.push(format!("{}: {note}", v.label));
            }
        }
        let mut footer: Vec<String> = self
            .variants
            .iter()
            .map(|v| format!("{}: {}.", v.label, v.description))
            .collect();
        footer.push(format!("{PROGRAM}."));
        TextReport {
            charts: Vec::new(),
            title: format!(
                "Comparison: {}",
                self.variants
                    .iter()
                    .map(|v| format!("{} ({})", v.scenario.name, v.label))
                    .collect::<Vec<_>>()
                    .join(" with ")
            ),
            settings: String::new(),
            sections,
            notes,
            footer,
        }
    }

    fn write_csv(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let mut writer = LongCsv::new(out, &["variant"])?;
        for variant in self.variants {
            for row in rows(variant.scenario, variant.projection) {
                writer.row(&[&variant.label], &row)?;
            }
            for row in summary_rows(variant) {
                writer.row(&[&variant.label], &row)?;
            }
        }
        let Some(a) = self.a() else {
            return writer.finish();
        };
        // Differences, B - A, for the total rows and the summary, over the common years.
        let a_values: HashMap<(Option<FinancialYear>, Measure, &str), Money> =
            rows_of_total(a.scenario, &a.projection.total)
                .chain(summary_rows(a))
                .map(|r| ((r.year, r.measure, r.case), r.value))
                .collect();
        for (x, _) in self.pairs() {
            let label = format!("{}-A", x.label);
            for row in rows_of_total(x.scenario, &x.projection.total).chain(summary_rows(x)) {
                let Some(base) = a_values.get(&(row.year, row.measure, row.case)) else {
                    continue;
                };
                let difference = Row {
                    value: row.value.sub_to_full_precision(*base)?,
                    ..row
                };
                writer.row(&[&label], &difference)?;
            }
        }
        writer.finish()
    }

    fn write_json(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let variants: Vec<serde_json::Value> = self
            .variants
            .iter()
            .map(|v| {
                json!({
                    "label": v.label,
                    "description": v.description,
                    "scenario": json::scenario_info(v.scenario, &v.description, &[]),
                    "summary": json::cases(&v.projection.total.summary, json::summary),
                    "options_taken_forward": v.scenario.services.iter().map(|s| json!({
                        "service": s.id,
                        "option": s.taken_forward().map(|o| o.id.clone()),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        let figures = |f: &crate::analysis::compare::YearFigures| {
            json!({
                "in_year_saving": f.in_year.to_string(),
                "contribution": f.contribution.to_string(),
                "remaining_gap": f.remaining_gap.to_string(),
                "closed": f.closed,
            })
        };
        let differences: Vec<serde_json::Value> = self
            .pairs()
            .map(|(x, d)| {
                json!({
                    "label": format!("{}-A", x.label),
                    "identical": d.identical,
                    "years": d.years.iter().map(|y| json!({
                        "year": y.year.to_string(),
                        "a": figures(&y.a),
                        "b": figures(&y.b),
                        "in_year_saving": y.in_year.to_string(),
                        "remaining_gap": y.remaining_gap.to_string(),
                    })).collect::<Vec<_>>(),
                    "services": d.services.iter().map(|s| json!({
                        "service": s.id,
                        "option_a": s.option_a,
                        "option_b": s.option_b,
                        "present_a": s.present_a,
                        "present_b": s.present_b,
                        "total_saving_a": s.total_a.to_string(),
                        "total_saving_b": s.total_b.to_string(),
                        "total_saving": s.total.to_string(),
                    })).collect::<Vec<_>>(),
                    "options_changed": d.option_changes().map(|s| s.id.clone()).collect::<Vec<_>>(),
                    "closed_changed": d.closed_changes().map(|y| y.year.to_string()).collect::<Vec<_>>(),
                    "total_saving": json::cases(&d.total_saving, |m| m.to_string()),
                    "npv": json::cases(&d.npv, |m| m.to_string()),
                })
            })
            .collect();
        json::write_value(
            &json!({
                "schema": json::SCHEMA,
                "kind": "compare",
                "program": PROGRAM,
                "variants": variants,
                "differences": differences,
            }),
            out,
        )
    }
}

/// The summary measures of a variant (total saving, steady state, NPV in each case), as
/// rows with an empty year.
pub fn summary_rows<'a>(variant: &'a Variant<'a>) -> impl Iterator<Item = Row<'a>> + 'a {
    variant
        .projection
        .total
        .summary
        .iter()
        .flat_map(move |(case, s)| {
            [
                (Measure::TotalSaving, s.total_saving),
                (Measure::SteadyStateSaving, s.steady_state),
                (Measure::Npv, s.npv),
            ]
            .map(move |(measure, value)| Row {
                scenario: &variant.scenario.name,
                service: "total",
                option: "",
                year: None,
                measure,
                case: Case::name(case),
                value,
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
}
