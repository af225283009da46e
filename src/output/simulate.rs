//! `savings simulate`: the spread of the figures and the chances, per year and per service.

use std::io::Write;

use rust_decimal::Decimal;
use serde_json::json;

pub use crate::analysis::simulate::decimal;
use crate::analysis::simulate::{RELATIVE_TIE, Simulation, Spread};
use crate::model::{Money, Scenario, grouped};

use super::csv::LongCsv;
use super::frame::{bias_note, deferred_note, provenance, settings};
use super::words::years_count;
use super::{Measure, PROGRAM, Report, Row, Section, TextReport, TextTable, json};

pub struct SimulateReport<'a> {
    pub scenario: &'a Scenario,
    pub simulation: &'a Simulation,
    pub source: &'a str,
    pub extends: &'a [String],
    pub overrides: &'a [String],
    pub dp: u32,
    /// Whether the table and Markdown carry a text chart.
    pub chart: bool,
}

/// A probability as a figure for the CSV.
fn money(x: f64) -> Money {
    Money::rounded(decimal(x))
}

const CASES: [&str; 4] = ["mean", "p10", "p50", "p90"];

fn row<'a>(
    scenario: &'a str,
    service: &'a str,
    option: &'a str,
    year: Option<crate::model::FinancialYear>,
    measure: Measure,
    case: &'static str,
    value: Money,
) -> Row<'a> {
    Row {
        scenario,
        service,
        option,
        year,
        measure,
        case,
        value,
    }
}

/// A probability as docs/model.md section 5 reports it, a fraction from 0 to 1, to three places;
/// one that is neither 0 nor 1 is never rounded to them, so a table does not say "certain"
/// of what happened in all but a few trials.
pub(crate) fn probability_shown(p: f64) -> String {
    let shown =
        decimal(p).round_dp_with_strategy(3, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    if shown.is_zero() && p > 0.0 {
        "<0.001".into()
    } else if shown == Decimal::ONE && p < 1.0 {
        ">0.999".into()
    } else {
        format!("{shown:.3}")
    }
}

fn values(s: &Spread) -> [Money; 4] {
    s.values()
}

impl SimulateReport<'_> {
    fn shown(&self, x: Money) -> String {
        grouped(x.amount(), self.dp)
    }

    fn run_line(&self) -> String {
        let s = &self.simulation.settings;
        format!("{}, seed {}", s.trials_text(), s.seed)
    }
}

impl Report for SimulateReport<'_> {
    fn text(&self, width: usize) -> TextReport {
        let sim = self.simulation;
        let scenario = self.scenario;
        let unit = &scenario.unit;
        let probability = probability_shown;
        // Two tables, each headed in whole words: the in-year saving, then the remaining gap
        // with the chance each year closes.
        let spread_rows = |spreads: &[Spread], closed: bool| -> Vec<Vec<String>> {
            sim.years
                .iter()
                .enumerate()
                .map(|(t, y)| {
                    let mut row = vec![y.to_string()];
                    row.extend(values(&spreads[t]).iter().map(|v| self.shown(*v)));
                    if closed {
                        row.push(probability(sim.probability_closed[t]));
                    }
                    row
                })
                .collect()
        };
        // The measure before each statistic; on the terminal, above it.
        let spread_header = |measure: &str, between: &str, closed: bool| -> Vec<String> {
            std::iter::once("Year".to_string())
                .chain(["mean", "P10", "P50", "P90"].map(|s| format!("{measure}{between}{s}")))
                .chain(closed.then(|| "P(closed)".to_string()))
                .collect()
        };
        let mut in_year_table = TextTable::new(
            spread_header("In-year saving", " ", false),
            spread_rows(&sim.in_year, false),
            (1..=4).collect(),
        );
        in_year_table.terminal_header = Some(spread_header("In-year saving", "\n", false));
        let mut gap_table = TextTable::new(
            spread_header("Remaining gap", " ", true),
            spread_rows(&sim.remaining_gap, true),
            (1..=5).collect(),
        );
        gap_table.terminal_header = Some(spread_header("Remaining gap", "\n", true));
        let last_mtfp = scenario.mtfp_period.1;
        let last_mtfp_index = sim.years.iter().position(|y| *y == last_mtfp);
        let labels = scenario.service_labels();
        let mut services: Vec<Vec<String>> = sim
            .services
            .iter()
            .map(|s| {
                let service = &scenario.services[s.service];
                let mean_at = |t: Option<usize>| {
                    t.and_then(|t| s.mean_in_year.get(t))
                        .map_or("-".into(), |m| self.shown(*m))
                };
                let option = &service.options[s.option];
                let status = super::plan::status_mark(option.status);
                let option = if service.one_line {
                    format!("(one line){status}")
                } else {
                    format!("{}{status}", option.id)
                };
                vec![
                    labels[s.service].clone(),
                    option,
                    probability(s.probability_meets_plan),
                    mean_at(last_mtfp_index),
                    mean_at(sim.years.len().checked_sub(1)),
                ]
            })
            .collect();
        // Deferred services are listed too (docs/model.md section 4): they save nothing.
        let deferred = scenario
            .services
            .iter()
            .zip(&labels)
            .filter(|(service, _)| service.taken_forward.is_none());
        services.extend(deferred.map(|(_, label)| {
            vec![
                label.clone(),
                "deferred".into(),
                "-".into(),
                "-".into(),
                "-".into(),
            ]
        }));
        let mut service_table = TextTable::new(
            vec![
                "Service".into(),
                "Option".into(),
                "P(meets plan)".into(),
                format!("Mean in-year saving {last_mtfp}"),
                format!("Mean in-year saving {}", scenario.last_year()),
            ],
            services,
            vec![2, 3, 4],
        );
        service_table.min_widths = vec![22, 18];
        let summary_row = |label: String, s: &Spread| {
            let mut row = vec![label];
            row.extend(values(s).iter().map(|v| self.shown(*v)));
            row
        };
        let summary = TextTable::new(
            ["", "Mean", "P10", "P50", "P90"].map(String::from).to_vec(),
            vec![
                summary_row(
                    format!("Total saving over {}", years_count(scenario.horizon)),
                    &sim.total_saving,
                ),
                summary_row(
                    format!(
                        "Net present value at {}",
                        super::words::percent(scenario.discount_rate.value(), 2)
                    ),
                    &sim.npv,
                ),
            ],
            vec![1, 2, 3, 4],
        );
        let mut notes = vec![
            format!(
                "{}. Each procurement group fails or not and slips a whole number of months, all its options together; each option's saving is drawn from a triangular (or PERT) distribution over its low, central and high. A failed option saves nothing and still incurs its one-off costs.",
                sim.settings.trials_text()
            ),
            format!(
                "Money in {unit}; P10, P50 and P90 are percentiles (linear interpolation, as numpy's default). P(closed) is the fraction of trials (0 to 1) with remaining gap zero or less; P(meets plan) the fraction in which the service's in-year saving is at least its planned savings to date in every MTFP year. Options with nothing to draw (no chance of failure, no range of slip, one saving) are computed exactly; where something is drawn, ties are judged to within {RELATIVE_TIE:e} of the drawn savings."
            ),
        ];
        notes.extend(plan_note(scenario));
        notes.extend(bias_note(scenario));
        notes.extend(deferred_note(scenario));
        let mut footer = provenance(self.source, self.extends, self.overrides);
        footer.push(format!("{}. {PROGRAM}.", self.run_line()));
        TextReport {
            charts: if self.chart {
                vec![super::textchart::simulated_gap(
                    scenario, sim, self.dp, width,
                )]
            } else {
                Vec::new()
            },
            title: format!("Monte Carlo: {}", scenario.name),
            settings: format!("{}; {}", settings(scenario), self.run_line()),
            sections: vec![
                Section {
                    heading: format!("Year by year: in-year saving, all services ({unit})"),
                    table: in_year_table,
                },
                Section {
                    heading: format!("Year by year: remaining gap ({unit})"),
                    table: gap_table,
                },
                Section {
                    heading: format!("Services ({unit})"),
                    table: service_table,
                },
                Section {
                    heading: format!("Over {} ({unit})", years_count(scenario.horizon)),
                    table: summary,
                },
            ],
            notes,
            footer,
        }
    }

    fn write_csv(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let sim = self.simulation;
        let scenario = self.scenario;
        let mut writer = LongCsv::new(out, &[])?;
        let name = scenario.name.as_str();
        for s in &sim.services {
            let service = &scenario.services[s.service];
            let option = &service.options[s.option];
            for (t, year) in sim.years.iter().enumerate() {
                writer.row(
                    &[],
                    &row(
                        name,
                        &service.id,
                        &option.id,
                        Some(*year),
                        Measure::InYearSaving,
                        "mean",
                        s.mean_in_year[t],
                    ),
                )?;
            }
            writer.row(
                &[],
                &row(
                    name,
                    &service.id,
                    &option.id,
                    None,
                    Measure::ProbabilityMeetsPlan,
                    "mean",
                    money(s.probability_meets_plan),
                ),
            )?;
        }
        for (measure, spreads) in [
            (Measure::InYearSaving, &sim.in_year),
            (Measure::Contribution, &sim.contribution),
            (Measure::RemainingGap, &sim.remaining_gap),
        ] {
            for (t, year) in sim.years.iter().enumerate() {
                for (case, value) in CASES.iter().zip(values(&spreads[t])) {
                    writer.row(
                        &[],
                        &row(name, "total", "", Some(*year), measure, case, value),
                    )?;
                }
            }
        }
        for (t, year) in sim.years.iter().enumerate() {
            writer.row(
                &[],
                &row(
                    name,
                    "total",
                    "",
                    Some(*year),
                    Measure::ProbabilityClosed,
                    "mean",
                    money(sim.probability_closed[t]),
                ),
            )?;
        }
        for (measure, spread) in [
            (Measure::TotalSaving, &sim.total_saving),
            (Measure::Npv, &sim.npv),
        ] {
            for (case, value) in CASES.iter().zip(values(spread)) {
                writer.row(&[], &row(name, "total", "", None, measure, case, value))?;
            }
        }
        writer.finish()
    }

    fn write_json(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let sim = self.simulation;
        let scenario = self.scenario;
        let spread = |s: &Spread| {
            json!({
                "mean": s.mean.to_string(),
                "p10": s.p10.to_string(),
                "p50": s.p50.to_string(),
                "p90": s.p90.to_string(),
            })
        };
        let years: Vec<serde_json::Value> = sim
            .years
            .iter()
            .enumerate()
            .map(|(t, y)| {
                json!({
                    "year": y.to_string(),
                    "in_year_saving": spread(&sim.in_year[t]),
                    "contribution": spread(&sim.contribution[t]),
                    "remaining_gap": spread(&sim.remaining_gap[t]),
                    "probability_closed": decimal(sim.probability_closed[t]).to_string(),
                })
            })
            .collect();
        let services: Vec<serde_json::Value> = sim
            .services
            .iter()
            .map(|s| {
                let service = &scenario.services[s.service];
                json!({
                    "id": service.id,
                    "name": service.name,
                    "option": service.options[s.option].id,
                    "status": service.options[s.option].status.to_string(),
                    "probability_meets_plan": decimal(s.probability_meets_plan).to_string(),
                    "mean_in_year_saving": s.mean_in_year.iter().map(|m| m.to_string()).collect::<Vec<_>>(),
                })
            })
            .collect();
        json::write_value(
            &json!({
                "schema": json::SCHEMA,
                "kind": "simulate",
                "program": PROGRAM,
                "scenario": json::scenario_info(scenario, self.source, self.extends),
                "overrides": self.overrides,
                "trials": sim.settings.trials.to_string(),
                "seed": sim.settings.seed.to_string(),
                "generator": GENERATOR,
                "years": years,
                "services": services,
                "deferred": json::deferred(scenario),
                "total_saving": spread(&sim.total_saving),
                "npv": spread(&sim.npv),
            }),
            out,
        )
    }
}

/// How the draws are made, in the JSON: a seed's results hold only for the same scheme.
const GENERATOR: &str = "xoshiro256++ seeded by SplitMix64, one stream jump per block of trials; per trial and procurement group: a failure draw, a slip draw, then one uniform per option with a range, turned into its saving (or every year of its profile) by the inverse distribution function (triangular; PERT by the inverse incomplete beta function)";

/// What the Monte Carlo does with the plan forms of docs/model.md section 9, where the
/// scenario uses them.
fn plan_note(scenario: &crate::model::Scenario) -> Option<String> {
    use crate::model::Status;
    let lines: Vec<&crate::model::SavingOption> =
        scenario.taken_forward().map(|(_, option)| option).collect();
    let profiles = lines.iter().any(|o| o.is_profile());
    let planned = lines.iter().any(|o| o.status != Status::Proposed);
    let mut parts = Vec::new();
    if profiles {
        parts.push("A saving written year by year draws one figure a trial, the same point of its distribution in every year (each year's own low, central and high), and a slip of m = 12k + j months moves it later: ((12 - j) x D(y - k) + j x D(y - k - 1)) / 12.");
    }
    if planned {
        parts.push("Approved lines are drawn as proposals are, risk and optimism bias included, and measured against their own plan (N = D - LP, w not applied); in-base lines save their plan and withdrawn lines nothing in every trial.");
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probabilities_are_fractions_never_rounded_to_certainty() {
        assert_eq!(probability_shown(0.0), "0.000");
        assert_eq!(probability_shown(1.0), "1.000");
        assert_eq!(probability_shown(0.9085), "0.909");
        assert_eq!(probability_shown(0.25), "0.250");
        assert_eq!(probability_shown(0.0004), "<0.001");
        assert_eq!(probability_shown(0.9996), ">0.999");
    }
}
