//! `savings compare`: scenarios side by side, with differences from the first (B - A).

use std::collections::HashMap;
use std::io::Write;

use serde_json::json;

use crate::analysis::compare::{Difference, GapRow, SubtotalRow, Variant};
use crate::model::{Case, FinancialYear, Money, grouped};
use crate::projection::Series;

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

    /// Whether any scenario compared is a plan (docs/model.md section 9: statuses, areas,
    /// lines, yearly amounts, a gap built from the budget): only then are the plan's views
    /// shown, so that other comparisons read as before.
    fn plans(&self) -> bool {
        self.lines()
            || self
                .variants
                .iter()
                .any(|v| v.scenario.gap_build.is_given())
    }

    /// Whether any scenario compared writes its savings as a plan's lines (statuses, areas,
    /// lines on their services, yearly amounts): only then are the statuses shown.
    fn lines(&self) -> bool {
        self.variants
            .iter()
            .any(|v| super::plan::writes_plan(v.scenario))
    }
}

/// Rows of a by-year table comparing one figure in A and `l`: one row `A, l` where the two are
/// the same, else a row for A, one for `l` and one for the difference (`-` where a scenario
/// has no such figure). `labels` head the first row.
fn compared_rows(
    labels: Vec<String>,
    l: &str,
    a: Option<&Series>,
    b: Option<&Series>,
    difference: Option<&Series>,
    money: &dyn Fn(Money) -> String,
    years: usize,
) -> Vec<Vec<String>> {
    let cells = |s: Option<&Series>| -> Vec<String> {
        match s {
            Some(s) => s.iter().map(|m| money(*m)).collect(),
            None => vec!["-".to_string(); years],
        }
    };
    let blank = vec![String::new(); labels.len()];
    let row = |labels: &[String], which: String, s: Option<&Series>| {
        let mut row = labels.to_vec();
        row.push(which);
        row.extend(cells(s));
        row
    };
    if a.is_some() && a == b {
        return vec![row(&labels, format!("A, {l}"), a)];
    }
    vec![
        row(&labels, "A".to_string(), a),
        row(&blank, l.to_string(), b),
        row(&blank, format!("{l} - A"), difference),
    ]
}

/// A by-year table with `labels` columns, a column naming the scenario, then the years.
fn compared_table(labels: &[&str], years: &[FinancialYear], rows: Vec<Vec<String>>) -> TextTable {
    let mut header: Vec<String> = labels.iter().map(|l| l.to_string()).collect();
    header.push("Scenario".to_string());
    header.extend(years.iter().map(ToString::to_string));
    let keys = labels.len() + 1;
    let numeric = (keys..keys + years.len()).collect();
    let mut table = TextTable::new(header, rows, numeric);
    table.min_widths = [24, 16][..labels.len().min(2)].to_vec();
    table.keys = keys;
    table
}

/// The gap built line by line in A and `l`.
fn gap_table(
    rows: &[GapRow],
    l: &str,
    years: &[FinancialYear],
    money: &dyn Fn(Money) -> String,
) -> TextTable {
    let body = rows
        .iter()
        .flat_map(|r| {
            let only = match (&r.a, &r.b) {
                (Some(_), None) => " (in A only)".to_string(),
                (None, Some(_)) => format!(" (in {l} only)"),
                _ => String::new(),
            };
            compared_rows(
                vec![format!("{}{only}", r.label)],
                l,
                r.a.as_ref(),
                r.b.as_ref(),
                r.difference.as_ref(),
                money,
                years.len(),
            )
        })
        .collect();
    compared_table(&[""], years, body)
}

/// `D` and `N` of each group in A and `l`, under `heading` (Status, Area).
fn subtotal_table(
    heading: &str,
    rows: &[SubtotalRow],
    l: &str,
    years: &[FinancialYear],
    money: &dyn Fn(Money) -> String,
) -> TextTable {
    let count = |n: usize| {
        if n == 1 {
            "1 line".to_string()
        } else {
            format!("{n} lines")
        }
    };
    let body = rows
        .iter()
        .flat_map(|r| {
            let name = r.key.clone().unwrap_or_else(|| "(no area)".to_string());
            let lines = if r.lines_a == r.lines_b {
                count(r.lines_a)
            } else {
                format!("A {}, {l} {}", count(r.lines_a), count(r.lines_b))
            };
            let mut rows = Vec::new();
            for (i, (measure, (sa, sb, d))) in [
                ("In-year saving", &r.in_year),
                ("Contribution", &r.contribution),
            ]
            .into_iter()
            .enumerate()
            {
                let group = if i == 0 {
                    format!("{name} ({lines})")
                } else {
                    String::new()
                };
                rows.extend(compared_rows(
                    vec![group, measure.to_string()],
                    l,
                    Some(sa),
                    Some(sb),
                    Some(d),
                    money,
                    years.len(),
                ));
            }
            rows
        })
        .collect();
    compared_table(&[heading, "Measure"], years, body)
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
        let lines = self.lines();
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
                    // In a plan: the status under the option (a line's option is itself), and
                    // a status that differs said in words.
                    let one_line = |v: &Variant| {
                        v.scenario
                            .services
                            .iter()
                            .any(|service| service.id == s.id && service.one_line)
                    };
                    let cell = |v: &Variant,
                                present: bool,
                                o: &Option<String>,
                                status: Option<crate::model::Status>,
                                changed: bool| {
                        let option = option(present, o);
                        match (lines, status) {
                            (true, Some(status)) => {
                                let flag = if changed { " (changed)" } else { "" };
                                if one_line(v) {
                                    format!("(one line)\n{status}{flag}")
                                } else {
                                    format!("{option}\n{status}{flag}")
                                }
                            }
                            _ => option,
                        }
                    };
                    let changed = if s.option_changed() { " *" } else { "" };
                    vec![
                        format!("{label}{changed}"),
                        cell(a, s.present_a, &s.option_a, s.status_a, false),
                        cell(x, s.present_b, &s.option_b, s.status_b, s.status_changed()),
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
                heading: if lines {
                    format!(
                        "Services and lines, {l} against A ({unit}, central case, totals over the years both project; under each option its status; * the option taken forward differs; (changed): the status differs)"
                    )
                } else {
                    format!(
                        "Services, {l} against A ({unit}, central case, totals over the years both project; * the option taken forward differs)"
                    )
                },
                table: service_table,
            });
            if !d.gap_build.is_empty() {
                sections.push(Section {
                    heading: format!(
                        "The gap, built from the budget, {l} against A ({unit}; funding and reserves negative)"
                    ),
                    table: gap_table(&d.gap_build, l, &common_years(d), &money),
                });
            }
            if !d.by_status.is_empty() {
                sections.push(Section {
                    heading: format!("By status, {l} against A ({unit}, central case)"),
                    table: subtotal_table("Status", &d.by_status, l, &common_years(d), &money),
                });
            }
            if !d.by_area.is_empty() {
                sections.push(Section {
                    heading: format!("By area, {l} against A ({unit}, central case)"),
                    table: subtotal_table("Area", &d.by_area, l, &common_years(d), &money),
                });
            }

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
            if lines {
                let statuses: Vec<String> = d
                    .status_changes()
                    .map(|s| {
                        format!(
                            "{} ({} -> {})",
                            s.id,
                            s.status_a.map_or("none", |x| x.name()),
                            s.status_b.map_or("none", |x| x.name())
                        )
                    })
                    .collect();
                notes.push(if statuses.is_empty() {
                    format!("Statuses of the lines: the same in A and {l}.")
                } else {
                    format!(
                        "Lines whose status differs in {l}: {}.",
                        statuses.join(", ")
                    )
                });
            }
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
        // In a plan, each service row says its line's status in that scenario and, in a
        // scenario after A, whether it differs from A's (empty where either is not taken
        // forward, and on total rows).
        let plans = self.lines();
        let leading: &[&str] = if plans {
            &["variant", "status", "status_changed"]
        } else {
            &["variant"]
        };
        let mut writer = LongCsv::new(out, leading)?;
        let status_in = |v: &Variant, id: &str| {
            v.scenario
                .services
                .iter()
                .find(|s| s.id == id)
                .and_then(|s| s.taken_forward())
                .map(|o| o.status)
        };
        for (i, variant) in self.variants.iter().enumerate() {
            let mut last: Option<(String, String, String)> = None;
            for row in rows(variant.scenario, variant.projection) {
                if !plans {
                    writer.row(&[&variant.label], &row)?;
                    continue;
                }
                // Rows come service by service: the status is looked up once per service.
                if last.as_ref().is_none_or(|(id, _, _)| id != row.service) {
                    let status = status_in(variant, row.service);
                    let changed = match (i, self.a(), status) {
                        (1.., Some(a), Some(status)) => status_in(a, row.service)
                            .map_or(String::new(), |s| (s != status).to_string()),
                        _ => String::new(),
                    };
                    last = Some((
                        row.service.to_string(),
                        status.map_or(String::new(), |s| s.name().to_string()),
                        changed,
                    ));
                }
                let (status, changed) = last.as_ref().map_or(("", ""), |(_, status, changed)| {
                    (status.as_str(), changed.as_str())
                });
                writer.row(&[&variant.label, status, changed], &row)?;
            }
            for row in summary_rows(variant) {
                if plans {
                    writer.row(&[&variant.label, "", ""], &row)?;
                } else {
                    writer.row(&[&variant.label], &row)?;
                }
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
                if plans {
                    writer.row(&[&label, "", ""], &difference)?;
                } else {
                    writer.row(&[&label], &difference)?;
                }
            }
        }
        writer.finish()
    }

    fn write_json(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        // The plan's views (docs/model.md section 9) only where a scenario is a plan, so that
        // other comparisons give the document they always gave.
        let plans = self.plans();
        let lines = self.lines();
        let insert = |value: &mut serde_json::Value, key: &str, field: serde_json::Value| {
            if let serde_json::Value::Object(map) = value {
                map.insert(key.to_string(), field);
            }
        };
        let variants: Vec<serde_json::Value> = self
            .variants
            .iter()
            .map(|v| {
                let mut value = json!({
                    "label": v.label,
                    "description": v.description,
                    "scenario": json::scenario_info(v.scenario, &v.description, &[]),
                    "summary": json::cases(&v.projection.total.summary, json::summary),
                    "options_taken_forward": v.scenario.services.iter().map(|s| json!({
                        "service": s.id,
                        "option": s.taken_forward().map(|o| o.id.clone()),
                    })).collect::<Vec<_>>(),
                });
                if plans {
                    let views = json::plan_views(v.scenario, v.projection);
                    insert(&mut value, "gap_build", views["gap_build"].clone());
                    insert(&mut value, "subtotals", views["subtotals"].clone());
                }
                value
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
                let years = common_years(d);
                let series = |s: &Option<Series>| s.as_ref().map(|s| json::series(&years, s));
                let compared = |(a, b, difference): &(Series, Series, Series)| {
                    json!({
                        "a": json::series(&years, a),
                        "b": json::series(&years, b),
                        "difference": json::series(&years, difference),
                    })
                };
                let subtotals = |rows: &[SubtotalRow]| {
                    rows.iter()
                        .map(|r| {
                            json!({
                                "key": r.key,
                                "lines_a": r.lines_a.to_string(),
                                "lines_b": r.lines_b.to_string(),
                                "in_year_saving": compared(&r.in_year),
                                "contribution": compared(&r.contribution),
                            })
                        })
                        .collect::<Vec<_>>()
                };
                let mut value = json!({
                    "label": format!("{}-A", x.label),
                    "identical": d.identical,
                    "years": d.years.iter().map(|y| json!({
                        "year": y.year.to_string(),
                        "a": figures(&y.a),
                        "b": figures(&y.b),
                        "in_year_saving": y.in_year.to_string(),
                        "remaining_gap": y.remaining_gap.to_string(),
                    })).collect::<Vec<_>>(),
                    "services": d.services.iter().map(|s| {
                        let mut service = json!({
                            "service": s.id,
                            "option_a": s.option_a,
                            "option_b": s.option_b,
                            "present_a": s.present_a,
                            "present_b": s.present_b,
                            "total_saving_a": s.total_a.to_string(),
                            "total_saving_b": s.total_b.to_string(),
                            "total_saving": s.total.to_string(),
                        });
                        if lines {
                            insert(&mut service, "status_a", json!(s.status_a.map(|x| x.name())));
                            insert(&mut service, "status_b", json!(s.status_b.map(|x| x.name())));
                            insert(&mut service, "status_changed", json!(s.status_changed()));
                        }
                        service
                    }).collect::<Vec<_>>(),
                    "options_changed": d.option_changes().map(|s| s.id.clone()).collect::<Vec<_>>(),
                    "closed_changed": d.closed_changes().map(|y| y.year.to_string()).collect::<Vec<_>>(),
                    "total_saving": json::cases(&d.total_saving, |m| m.to_string()),
                    "npv": json::cases(&d.npv, |m| m.to_string()),
                });
                if lines {
                    insert(
                        &mut value,
                        "statuses_changed",
                        json!(d.status_changes().map(|s| s.id.clone()).collect::<Vec<_>>()),
                    );
                }
                if plans {
                    insert(
                        &mut value,
                        "gap_build",
                        json!(d.gap_build.iter().map(|r| json!({
                            "key": r.key,
                            "label": r.label,
                            "a": series(&r.a),
                            "b": series(&r.b),
                            "difference": series(&r.difference),
                        })).collect::<Vec<_>>()),
                    );
                    insert(
                        &mut value,
                        "subtotals",
                        json!({
                            "by_status": subtotals(&d.by_status),
                            "by_area": subtotals(&d.by_area),
                        }),
                    );
                }
                value
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

/// The years both scenarios project.
fn common_years(d: &Difference) -> Vec<FinancialYear> {
    d.years.iter().map(|y| y.year).collect()
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
