//! `savings solve`: the value that reaches a target, and the projection at that value.

use std::io::Write;

use serde_json::json;

use crate::analysis::solve::{Method, Solution};
use crate::model::{Scenario, group_thousands, plain};
use crate::projection::Projection;

use super::csv::LongCsv;
use super::{PROGRAM, Report, Section, TextReport, TextTable, json, rows};

pub struct SolveReport<'a> {
    pub solution: &'a Solution,
    /// The scenario and its projection at the value found (or the best reachable).
    pub scenario: &'a Scenario,
    pub projection: &'a Projection,
    pub source: &'a str,
    pub overrides: &'a [String],
}

impl SolveReport<'_> {
    fn method(&self) -> String {
        match &self.solution.method {
            Method::Exact => "exact: the target is a straight line in this input here, and the value is checked (reached at it, not a hair before)".into(),
            Method::Rounded(places) => format!("to {places} decimal places (the exact crossing does not terminate): reached at it, not a hair before"),
            Method::Bisection(t) => format!("by bisection, to within {}", plain(*t)),
            Method::Months => "month by month".into(),
            Method::AtBound => "at the end of the range the input may take".into(),
            Method::Unaffected => format!("the target does not change with this input in the {} case", self.solution.case),
        }
    }

    fn answer(&self) -> String {
        let s = self.solution;
        match (&s.value, &s.best) {
            (Some(v), _) => format!(
                "{} = {v} is the {} value that reaches {} ({} case)",
                s.field,
                if s.increasing { "smallest" } else { "largest" },
                s.target,
                s.case
            ),
            (None, Some((v, short))) if s.method == Method::Unaffected => format!(
                "no value of {} reaches {} ({} case): the target does not depend on it; as it stands ({v}) it is short by {}",
                s.field,
                s.target,
                s.case,
                group_thousands(&plain(-*short))
            ),
            (None, Some((v, short))) => format!(
                "no value of {} reaches {} ({} case); the best reachable is {v}, short by {}",
                s.field,
                s.target,
                s.case,
                group_thousands(&plain(-*short))
            ),
            (None, None) => "no value found".into(),
        }
    }
}

impl Report for SolveReport<'_> {
    fn text(&self, _width: usize) -> TextReport {
        let s = self.solution;
        let mut rows = vec![
            vec!["Target".into(), format!("{} ({} case)", s.target, s.case)],
            vec!["Input varied".into(), s.field.clone()],
            vec!["Answer".into(), self.answer()],
            vec![
                "Margin past the target there".into(),
                group_thousands(&plain(s.margin)),
            ],
            vec!["Found".into(), self.method()],
            vec!["Projections computed".into(), s.evaluations.to_string()],
        ];
        if !s.reproduce.is_empty() {
            rows.push(vec![
                "To see it".into(),
                format!("savings run {}", s.reproduce),
            ]);
        }
        let mut footer = super::run::provenance(self.source, &[], self.overrides);
        footer.push(format!("{PROGRAM}."));
        TextReport {
            charts: Vec::new(),
            title: format!("Goal seek: {}", self.scenario.name),
            settings: super::run::settings(self.scenario),
            sections: vec![Section {
                heading: "Result".into(),
                table: TextTable::new(vec!["".into(), "Goal seek".into()], rows, vec![]),
            }],
            notes: s
                .notes
                .iter()
                .cloned()
                .chain(super::run::bias_note(self.scenario))
                .collect(),
            footer,
        }
    }

    fn write_csv(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let s = self.solution;
        let value = s
            .value
            .clone()
            .or_else(|| s.best.as_ref().map(|b| b.0.clone()))
            .unwrap_or_default();
        let mut writer = LongCsv::new(out, &[&s.field])?;
        for row in rows(self.scenario, self.projection) {
            writer.row(&[&value], &row)?;
        }
        writer.finish()
    }

    fn write_json(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let s = self.solution;
        let method = match &s.method {
            Method::Exact => json!({"kind": "exact"}),
            Method::Rounded(places) => json!({"kind": "rounded", "places": places.to_string()}),
            Method::Bisection(t) => json!({"kind": "bisection", "tolerance": plain(*t)}),
            Method::Months => json!({"kind": "months"}),
            Method::AtBound => json!({"kind": "at-bound"}),
            Method::Unaffected => json!({"kind": "unaffected"}),
        };
        json::write_value(
            &json!({
                "schema": json::SCHEMA,
                "kind": "solve",
                "program": PROGRAM,
                "file": self.source,
                "overrides": self.overrides,
                "target": s.target.to_string(),
                "case": s.case.name(),
                "vary": s.field,
                "reached": s.value.is_some(),
                "value": s.value,
                "direction": if s.increasing { "smallest" } else { "largest" },
                "best": s.best.as_ref().map(|(v, short)| json!({"value": v, "short_by": plain(-*short)})),
                "margin": plain(s.margin),
                "method": method,
                "reproduce": s.reproduce,
                "notes": s.notes,
                "evaluations": s.evaluations.to_string(),
                "summary": json::cases(&self.projection.total.summary, json::summary),
            }),
            out,
        )
    }
}
