//! `savings solve`: the value that reaches a target, and the projection at that value. The
//! table and Markdown show the value at the display precision with its unit (money in the
//! scenario's unit, a share or rate as a percentage, a go-live as its month); the JSON, the
//! CSV and the `--set` that reproduces it carry it exactly.

use std::io::Write;

use serde_json::json;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::analysis::solve::{Method, Quantity, Solution};
use crate::model::{Scenario, grouped, plain};
use crate::projection::Projection;
use crate::scenario::edit::{FieldPath, Step};

use super::csv::LongCsv;
use super::words::{percent, years_count};
use super::{PROGRAM, Report, Section, TextReport, TextTable, json, rows};

pub struct SolveReport<'a> {
    pub solution: &'a Solution,
    /// The scenario and its projection at the value found (or the best reachable).
    pub scenario: &'a Scenario,
    pub projection: &'a Projection,
    pub source: &'a str,
    pub overrides: &'a [String],
    /// Decimal places for money shown rounded (table and Markdown only).
    pub dp: u32,
}

/// Month names, January first.
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl SolveReport<'_> {
    /// Money as tables show it, with the scenario's unit: `1,613.3 (£000)`.
    fn money(&self, amount: Decimal) -> String {
        format!("{} ({})", grouped(amount, self.dp), self.scenario.unit)
    }

    /// Whether `amount` shows as zero at the display precision.
    fn rounds_to_zero(&self, amount: Decimal) -> bool {
        amount
            .round_dp_with_strategy(self.dp, RoundingStrategy::MidpointAwayFromZero)
            .is_zero()
    }

    /// How far short of the target: money, but never a shortfall shown as zero (`less than
    /// 0.1 (£m)` where it rounds to nothing).
    fn shortfall(&self, short: Decimal) -> String {
        let step = Decimal::new(1, self.dp);
        if !short.is_zero() && self.rounds_to_zero(short) {
            format!("less than {}", self.money(step))
        } else {
            self.money(short)
        }
    }

    /// The margin past the target: money; a margin short of it (negative) that rounds to
    /// nothing is said to be short rather than shown as zero.
    fn margin(&self, margin: Decimal) -> String {
        if margin.is_sign_negative() && !margin.is_zero() && self.rounds_to_zero(margin) {
            format!("short by {}", self.shortfall(-margin))
        } else {
            self.money(margin)
        }
    }

    /// A value of the varied field (as the solution holds it, exactly) as the table shows
    /// it: rounded to the display precision, with its unit; a go-live as its month. Text that
    /// is not a value (`its value as written`) is shown as it is.
    fn value(&self, text: &str) -> String {
        if self.solution.quantity == Quantity::Month {
            let month = text
                .split_once('-')
                .and_then(|(year, month)| Some((year, month.parse::<usize>().ok()?)))
                .and_then(|(year, month)| {
                    Some(format!("{} {year}", MONTHS.get(month.checked_sub(1)?)?))
                });
            return match month {
                Some(name) => format!("{name} ({text})"),
                None => text.to_string(),
            };
        }
        let Ok(value) = text.parse::<Decimal>() else {
            return text.to_string();
        };
        match self.solution.quantity {
            Quantity::Factor { profile } => self.factor(value, profile),
            Quantity::Money => self.money(value),
            Quantity::Share | Quantity::Rate => percent(value, self.dp),
            Quantity::Years => value
                .to_u16()
                .filter(|_| value.fract().is_zero())
                .map_or_else(|| plain(value), years_count),
            Quantity::Month => text.to_string(),
        }
    }

    /// A factor on a whole saving: `1.27 x the profile`, to at least two places; where the
    /// answer is shown rounded, it is rounded in the direction that keeps the target reached
    /// (up for the smallest factor that reaches it), and the exact value is given beside it.
    fn factor(&self, value: Decimal, profile: bool) -> String {
        let what = if profile { "the profile" } else { "the saving" };
        let s = self.solution;
        let places = self.dp.max(2);
        let reached = s.value.as_deref() == Some(plain(value).as_str());
        let shown = if reached {
            value.round_dp_with_strategy(
                places,
                if s.increasing {
                    RoundingStrategy::ToPositiveInfinity
                } else {
                    RoundingStrategy::ToNegativeInfinity
                },
            )
        } else {
            value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
        };
        // A factor that terminates within the places shown is shown as it is (2, 1.25).
        let shown_text = if shown == value {
            plain(value)
        } else {
            format!("{:.*}", places as usize, shown)
        };
        if shown == value || !reached {
            format!("{shown_text} x {what}")
        } else {
            format!(
                "{shown_text} x {what} ({} to 12 places, rounded {} so that the target is still reached)",
                plain(value),
                if s.increasing { "up" } else { "down" }
            )
        }
    }

    /// What the answer is the least or most of: a value, or for a start the go-live.
    fn extreme(&self) -> &'static str {
        match (self.solution.quantity, self.solution.increasing) {
            (Quantity::Month, true) => "earliest go-live",
            (Quantity::Month, false) => "latest go-live",
            (Quantity::Factor { .. }, true) => "smallest factor",
            (Quantity::Factor { .. }, false) => "largest factor",
            (_, true) => "smallest value",
            (_, false) => "largest value",
        }
    }

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
                "{} is the {} that reaches {} ({} case)",
                self.value(v),
                self.extreme(),
                s.target,
                s.case
            ),
            (None, Some((v, short))) if s.method == Method::Unaffected => format!(
                "no value reaches {} ({} case): the target does not depend on this input; as it stands ({}) it is short by {}",
                s.target,
                s.case,
                self.value(v),
                self.shortfall(-*short)
            ),
            (None, Some((v, short))) => format!(
                "no value reaches {} ({} case); the best reachable is {}, short by {}",
                s.target,
                s.case,
                self.value(v),
                self.shortfall(-*short)
            ),
            (None, None) => "no value found".into(),
        }
    }

    /// The varied field as a reader names it, by its service and option
    /// (`Waste collection: Route optimisation, central saving`); a field outside the services
    /// (`scenario.overlap`), or one not found, by its path.
    fn input(&self) -> String {
        let field = &self.solution.field;
        let Ok(path) = FieldPath::parse(field) else {
            return field.clone();
        };
        let scenario = self.scenario;
        let labels = scenario.service_labels();
        // An element by `[id]` or `[#N]`, among `ids`.
        let index = |step: &Step, ids: Vec<&str>| match step {
            Step::Id(id) => ids.iter().position(|i| i == id),
            Step::Position(n) => n.checked_sub(1).filter(|&i| i < ids.len()),
            Step::Key(_) => None,
        };
        let service = |step: &Step| {
            index(
                step,
                scenario.services.iter().map(|s| s.id.as_str()).collect(),
            )
        };
        // What of the option or service is varied, in words.
        let what = |rest: &[Step]| match rest {
            [Step::Key(saving), Step::Key(case)]
                if saving == "saving" && ["low", "central", "high"].contains(&case.as_str()) =>
            {
                format!("{case} saving")
            }
            [Step::Key(start)] if start == "start" => "go-live".to_string(),
            [Step::Key(saving), Step::Key(factor)]
                if saving == "saving" && factor == crate::analysis::vary::FACTOR =>
            {
                "every year and case of its saving, by a factor".to_string()
            }
            _ => FieldPath(rest.to_vec()).to_string(),
        };
        let key = |step: &Step, name: &str| matches!(step, Step::Key(k) if k == name);
        match path.0.as_slice() {
            [s, at, o, option_at, rest @ ..]
                if key(s, "service") && key(o, "option") && !rest.is_empty() =>
            {
                let Some(i) = service(at) else {
                    return field.clone();
                };
                let options = &scenario.services[i].options;
                let Some(option) =
                    index(option_at, options.iter().map(|o| o.id.as_str()).collect())
                        .and_then(|j| options.get(j))
                else {
                    return field.clone();
                };
                format!("{}: {}, {}", labels[i], option.name, what(rest))
            }
            [s, at, rest @ ..] if key(s, "service") && !rest.is_empty() => match service(at) {
                Some(i) => format!("{}: {}", labels[i], what(rest)),
                None => field.clone(),
            },
            _ => field.clone(),
        }
    }
}

impl Report for SolveReport<'_> {
    fn text(&self, _width: usize) -> TextReport {
        let s = self.solution;
        let rows = vec![
            vec!["Target".into(), format!("{} ({} case)", s.target, s.case)],
            vec!["Input varied".into(), self.input()],
            vec!["Answer".into(), self.answer()],
            vec!["Margin past the target there".into(), self.margin(s.margin)],
            vec!["Found".into(), self.method()],
            vec!["Projections computed".into(), s.evaluations.to_string()],
        ];
        // The path, and the command that reproduces the answer, below the table, where the
        // command can be copied whole.
        let mut notes = Vec::new();
        if s.reproduce.is_empty() {
            notes.push(format!("Input varied: {}.", s.field));
        } else {
            notes.push(format!("To see it: savings run {}", s.reproduce));
        }
        notes.extend(s.notes.iter().cloned());
        notes.extend(super::frame::bias_note(self.scenario));
        let mut footer = super::frame::provenance(self.source, &[], self.overrides);
        footer.push(format!("{PROGRAM}."));
        TextReport {
            charts: Vec::new(),
            title: format!("Goal seek: {}", self.scenario.name),
            settings: super::frame::settings(self.scenario),
            sections: vec![Section {
                heading: "Result".into(),
                table: TextTable::new(vec!["".into(), "Goal seek".into()], rows, vec![]),
            }],
            notes,
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
