//! `savings options`: the appraisal of every option, side by side.

use std::io::Write;

use serde_json::json;

use crate::analysis::appraisal::{Appraised, SortKey};
use crate::model::{Case, Money, Scenario, grouped};

use super::csv::LongCsv;
use super::frame::{provenance, settings};
use super::{
    Measure, PROGRAM, Report, Row, Section, TextReport, TextTable, json, plan, rows_of_service,
};

pub struct OptionsReport<'a> {
    pub scenario: &'a Scenario,
    pub entries: &'a [Appraised],
    pub by: SortKey,
    pub source: &'a str,
    pub extends: &'a [String],
    pub overrides: &'a [String],
    pub dp: u32,
}

impl OptionsReport<'_> {
    fn names(&self, entry: &Appraised) -> (&str, &str, &str, &str) {
        let service = &self.scenario.services[entry.projection.service];
        let option = &service.options[entry.projection.option];
        (&service.id, &service.name, &option.id, &option.name)
    }

    fn status(entry: &Appraised) -> String {
        let mut marks = Vec::new();
        if entry.preferred {
            marks.push("preferred");
        }
        if entry.taken_forward {
            marks.push("taken forward");
        }
        if entry.service_deferred {
            marks.push("service deferred");
        }
        marks.join(", ")
    }
}

impl Report for OptionsReport<'_> {
    fn text(&self, _width: usize) -> TextReport {
        let scenario = self.scenario;
        let last_mtfp = scenario.mtfp_period.1;
        let labels = scenario.service_labels();
        let plan = plan::writes_plan(scenario);
        let sections = match self.by {
            SortKey::File => {
                // One table per service, its options in file order; in a plan, a run of
                // one-line services is one table of lines, as the plan lists them.
                let mut sections = Vec::new();
                let mut start = 0;
                while start < self.entries.len() {
                    let service = self.entries[start].projection.service;
                    let s = &scenario.services[service];
                    let lines = plan && s.one_line;
                    let end = self.entries[start..]
                        .iter()
                        .position(|e| {
                            let other = &scenario.services[e.projection.service];
                            if lines {
                                !other.one_line || other.area != s.area
                            } else {
                                e.projection.service != service
                            }
                        })
                        .map_or(self.entries.len(), |n| start + n);
                    let group = &self.entries[start..end];
                    if lines {
                        sections.push(Section {
                            heading: match &s.area {
                                Some(area) => format!("Lines: {area}"),
                                None => "Lines".to_string(),
                            },
                            table: self.table(group, Labels::Lines(&labels)),
                        });
                    } else {
                        let status = match s.taken_forward() {
                            Some(o) => format!("taken forward: {}", o.id),
                            None => "deferred: no option taken forward".to_string(),
                        };
                        let area = match (&s.area, plan) {
                            (Some(area), true) => format!("{area}; "),
                            _ => String::new(),
                        };
                        sections.push(Section {
                            heading: format!("{} ({area}{status})", labels[service]),
                            table: self.table(group, Labels::Options),
                        });
                    }
                    start = end;
                }
                sections
            }
            key => vec![Section {
                heading: format!("Every option, ranked by {} (central case)", sort_name(key)),
                table: self.table(self.entries, Labels::Ranked(&labels)),
            }],
        };
        let mut footer = provenance(self.source, self.extends, self.overrides);
        footer.push(format!("{PROGRAM}."));
        let mut notes = vec![
            format!(
                "Money in {}, central case, rounded half away from zero for display; totals use unrounded values. The steady state shows low and high in brackets.",
                scenario.unit
            ),
            "Each option is projected as if its service took it forward: NPV at the scenario's discount rate; payback is the first year from which cumulative savings less one-off costs stay at or above zero (none needed for an option that neither saves nor costs anything).".to_string(),
            format!(
                "Margin: in-year saving less the service's planned savings to date, in each MTFP year (the option meets the plan when none is negative). Contribution: in-year saving less w x planned savings to date in {last_mtfp} (w = {}).",
                scenario.overlap
            ),
        ];
        if plan {
            notes.push(format!(
                "Under each name, where the saving stands and how it is built. Status: proposed (a new saving, measured against the service's planned savings, w applied), approved (in the plan: its own central amounts are its plan, w not applied), in-base (already out of the budget: delivers its plan in every case) or withdrawn (not going ahead: delivers nothing against its plan). A steady-state saving goes live in the month or year shown (from ...) and builds up by its ramp; a profile is written year by year, and its steady state is its level in {}.",
                scenario.last_year()
            ));
        }
        TextReport {
            charts: Vec::new(),
            title: format!("Options appraisal: {}", scenario.name),
            settings: settings(scenario),
            sections,
            notes: notes
                .into_iter()
                .chain(super::frame::bias_note(scenario))
                .collect(),
            footer,
        }
    }

    fn write_csv(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let mut writer = LongCsv::new(out, &[])?;
        for entry in self.entries {
            let (service_id, _, option_id, _) = self.names(entry);
            for row in rows_of_service(self.scenario, &entry.projection, service_id, option_id) {
                writer.row(&[], &row)?;
            }
            let saving = &entry.projection.figures.summary.map(|_, s| s.steady_state);
            for (case, summary) in entry.projection.figures.summary.iter() {
                for (measure, value) in [
                    (Measure::SteadyStateSaving, *saving.get(case)),
                    (Measure::TotalSaving, summary.total_saving),
                    (Measure::Npv, summary.npv),
                ] {
                    writer.row(
                        &[],
                        &Row {
                            scenario: &self.scenario.name,
                            service: service_id,
                            option: option_id,
                            year: None,
                            measure,
                            case: case.name(),
                            value,
                        },
                    )?;
                }
            }
        }
        writer.finish()
    }

    fn write_json(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let scenario = self.scenario;
        let plan = plan::writes_plan(scenario);
        let options: Vec<serde_json::Value> = self
            .entries
            .iter()
            .map(|entry| {
                let (service_id, service_name, option_id, option_name) = self.names(entry);
                let f = &entry.projection.figures;
                let saving = &entry.projection.figures.summary.map(|_, s| s.steady_state);
                let mut value = json!({
                    "service": service_id,
                    "service_name": service_name,
                    "option": option_id,
                    "option_name": option_name,
                    "preferred": entry.preferred,
                    "taken_forward": entry.taken_forward,
                    "service_deferred": entry.service_deferred,
                    "steady_state_saving": json::cases(saving, |m| m.to_string()),
                    "total_saving": json::cases(&f.summary, |s| s.total_saving.to_string()),
                    "npv": json::cases(&f.summary, |s| s.npv.to_string()),
                    "payback_year": json::cases(&f.summary, |s| s.payback.year().map(|y| y.to_string())),
                    "payback_needed": json::cases(&f.summary, |s| s.payback.needed()),
                    "meets_plan": json::cases(&entry.projection.meets_plan, json::meets_plan),
                    "contribution_end_of_mtfp": json::cases(&entry.contribution_end_of_mtfp, |m| m.to_string()),
                });
                // Where each saving stands, in a plan (docs/model.md section 9) only, so that
                // a scenario using none of it gives the document it always gave.
                if plan && let serde_json::Value::Object(map) = &mut value {
                    let service = &scenario.services[entry.projection.service];
                    let option = &service.options[entry.projection.option];
                    map.insert("status".into(), json!(option.status.name()));
                    map.insert("area".into(), json!(service.area));
                    map.insert("one_line".into(), json!(service.one_line));
                    map.insert("profile".into(), json!(option.is_profile()));
                    map.insert("start".into(), json!(option.start().map(|s| s.to_string())));
                }
                value
            })
            .collect();
        let document = json!({
            "schema": json::SCHEMA,
            "kind": "options",
            "program": PROGRAM,
            "scenario": json::scenario_info(scenario, self.source, self.extends),
            "overrides": self.overrides,
            "sorted_by": sort_name(self.by),
            "options": options,
        });
        json::write_value(&document, out)
    }
}

/// How the rows of an appraisal table are labelled.
#[derive(Clone, Copy)]
enum Labels<'a> {
    /// The options of one service: `name (id)` and its marks.
    Options,
    /// Every option ranked: `service: option`, services by their labels.
    Ranked(&'a [String]),
    /// One-line services: the line's label alone (its one option is itself).
    Lines(&'a [String]),
}

impl OptionsReport<'_> {
    /// The appraisal table for `entries`, labelled as `labels` says; in a plan, each name has
    /// under it the saving's status and go-live (or `profile`), and its area when ranked.
    fn table(&self, entries: &[Appraised], labels: Labels) -> TextTable {
        let dp = self.dp;
        let money = |m: Money| grouped(m.amount(), dp);
        let scenario = self.scenario;
        let plan = plan::writes_plan(scenario);
        let mtfp_years: Vec<_> = scenario
            .years()
            .filter(|y| scenario.in_mtfp_period(*y))
            .collect();
        // One column per MTFP year while they fit; the smallest margin beyond three.
        let per_year = mtfp_years.len() <= 3;
        let total = format!("{}-year total", scenario.horizon);
        let last = scenario.mtfp_period.1;
        let first = match labels {
            Labels::Options => "Option",
            Labels::Ranked(_) => "Service: option",
            Labels::Lines(_) => "Line",
        };
        let mut header = vec![
            first.to_string(),
            "Steady state".to_string(),
            total.clone(),
            "NPV".to_string(),
            "Payback".to_string(),
        ];
        let mut terminal = vec![
            first.to_string(),
            "Steady\nstate".to_string(),
            total.replacen(' ', "\n", 1),
            "NPV".to_string(),
            "Payback".to_string(),
        ];
        if per_year {
            header.extend(mtfp_years.iter().map(|y| format!("Margin {y}")));
            terminal.extend(mtfp_years.iter().map(|y| format!("Margin\n{y}")));
        } else {
            header.push("Smallest margin".to_string());
            terminal.push("Smallest\nmargin".to_string());
        }
        header.push(format!("Contribution {last}"));
        terminal.push(format!("Contribution\n{last}"));
        let rows = entries
            .iter()
            .map(|entry| {
                let service = &scenario.services[entry.projection.service];
                let option = &service.options[entry.projection.option];
                let central = entry.projection.figures.summary.get(Case::Central);
                let saving = &entry.projection.figures.summary.map(|_, s| s.steady_state);
                let label = match labels {
                    Labels::Options => {
                        let status = Self::status(entry);
                        let label = format!("{} ({})", option.name, option.id);
                        if status.is_empty() {
                            label
                        } else {
                            format!("{label}; {status}")
                        }
                    }
                    Labels::Ranked(names) => {
                        let name = &names[entry.projection.service];
                        let label = if service.one_line {
                            name.clone()
                        } else {
                            format!("{name}: {}", option.id)
                        };
                        let status = if service.one_line {
                            if entry.service_deferred {
                                "service deferred".to_string()
                            } else {
                                String::new()
                            }
                        } else {
                            Self::status(entry)
                        };
                        if status.is_empty() {
                            label
                        } else {
                            format!("{label}; {status}")
                        }
                    }
                    Labels::Lines(names) => {
                        let name = &names[entry.projection.service];
                        if entry.service_deferred {
                            format!("{name}; deferred")
                        } else {
                            name.clone()
                        }
                    }
                };
                // In a plan, where the saving stands and how it is built, under its name (the
                // area too where the heading does not give it).
                let label = if plan {
                    let mut about = vec![option.status.to_string(), plan::build_of(option)];
                    if let (Labels::Ranked(_), Some(area)) = (labels, &service.area) {
                        about.push(area.clone());
                    }
                    format!("{label}\n{}", about.join("; "))
                } else {
                    label
                };
                let mut row = vec![
                    label,
                    format!(
                        "{}\n({}–{})",
                        money(saving.central),
                        money(saving.low),
                        money(saving.high)
                    ),
                    money(central.total_saving),
                    money(central.npv),
                    central.payback.to_string(),
                ];
                if per_year {
                    row.extend(
                        entry
                            .projection
                            .meets_plan
                            .central
                            .margins
                            .iter()
                            .map(|(_, m)| money(*m)),
                    );
                } else {
                    row.push(
                        entry
                            .smallest_margin(Case::Central)
                            .map_or("-".into(), money),
                    );
                }
                row.push(money(*entry.contribution_end_of_mtfp.get(Case::Central)));
                row
            })
            .collect();
        // Total, NPV, margins and contribution are figures; the payback is a year.
        let numeric: Vec<usize> = (2..header.len()).filter(|i| *i != 4).collect();
        let columns = header.len();
        let mut table = TextTable::new(header, rows, numeric);
        table.terminal_header = Some(terminal);
        // Widths include a space of padding either side.
        let mut widths = vec![
            if matches!(labels, Labels::Ranked(_)) {
                24
            } else {
                27
            },
            11,
            9,
            8,
            9,
        ];
        widths.resize(columns, 9);
        table.min_widths = widths;
        table
    }
}

fn sort_name(key: SortKey) -> &'static str {
    match key {
        SortKey::File => "file",
        SortKey::SteadyState => "steady-state",
        SortKey::Total => "total",
        SortKey::Npv => "npv",
        SortKey::Payback => "payback",
        SortKey::Margin => "margin",
        SortKey::Contribution => "contribution",
    }
}
