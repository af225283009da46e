//! `savings sensitivity`: the tornado, as tables and text bar charts, and the switching values.

use std::collections::HashMap;
use std::io::Write;

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::json;

use crate::analysis::sensitivity::{
    Bar, Goal, Input, LineId, Outcome, Procurement, Sensitivity, Switch,
};
use crate::model::{Money, Scenario, Status, group_thousands, grouped, plain};

use super::frame::{bias_note, deferred_note, provenance, settings};
use super::textchart;
use super::words::years_count;
use super::{PROGRAM, Report, Section, TextReport, TextTable, json, neutralise};

pub struct SensitivityReport<'a> {
    pub scenario: &'a Scenario,
    pub sensitivity: &'a Sensitivity,
    pub source: &'a str,
    pub extends: &'a [String],
    pub overrides: &'a [String],
    pub dp: u32,
    /// Each service's label, and where each service id is: worked out once, as a plan may
    /// name thousands of lines.
    labels: Vec<String>,
    by_id: HashMap<&'a str, usize>,
}

impl<'a> SensitivityReport<'a> {
    pub fn new(
        scenario: &'a Scenario,
        sensitivity: &'a Sensitivity,
        source: &'a str,
        extends: &'a [String],
        overrides: &'a [String],
        dp: u32,
    ) -> Self {
        Self {
            scenario,
            sensitivity,
            source,
            extends,
            overrides,
            dp,
            labels: scenario.service_labels(),
            by_id: scenario
                .services
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id.as_str(), i))
                .collect(),
        }
    }
}

/// The width of a chart's label column and the most columns of its bars, on a 100-column
/// line; narrower lines narrow both.
const LABEL: usize = 34;
const BARS: usize = 44;

impl SensitivityReport<'_> {
    fn money(&self, m: Money) -> String {
        grouped(m.amount(), self.dp)
    }

    /// An input as the table, Markdown and charts label it: by the names of its service and
    /// option (`Waste collection: Route optimisation, saving`), where CSV and JSON name it by
    /// its path (`service[waste].option[route-opt].saving`).
    fn label(&self, input: &Input) -> String {
        match self.subject_and_kind(input) {
            (subject, "") => subject,
            (subject, kind) => format!("{subject}, {kind}"),
        }
    }

    /// A chart's label for an input within `width` characters: the subject cut short where it
    /// must be, so that the kind (`saving`, `slip`, `failure`) always shows.
    fn chart_label(&self, input: &Input, width: usize) -> String {
        match self.subject_and_kind(input) {
            (subject, "") => truncate(&subject, width),
            (subject, kind) => {
                let room = width.saturating_sub(kind.chars().count() + 2).max(2);
                format!("{}, {kind}", truncate(&subject, room))
            }
        }
    }

    /// What an input moves (a service's option, a procurement group, the overlap, a line of
    /// the gap) and which of its figures (empty where the subject says it all).
    fn subject_and_kind(&self, input: &Input) -> (String, &'static str) {
        let scenario = self.scenario;
        let labels = &self.labels;
        let option = |line: &LineId| -> String {
            let Some((s, found)) = self
                .by_id
                .get(line.service.as_str())
                .and_then(|&s| Some((s, scenario.services.get(s)?)))
            else {
                return line.to_string();
            };
            // A one-line service is its own saving (docs/model.md section 9.3).
            if found.one_line {
                return labels[s].clone();
            }
            let name = found
                .options
                .iter()
                .find(|o| o.id == line.option)
                .map_or(line.option.as_str(), |o| o.name.as_str());
            format!("{}: {name}", labels[s])
        };
        let procurement = |p: &Procurement| match p {
            Procurement::Option(line) => option(line),
            Procurement::Group(group) => {
                // The services whose option taken forward is in the group.
                let members: Vec<&str> = scenario
                    .services
                    .iter()
                    .zip(labels)
                    .filter(|(s, _)| {
                        s.taken_forward()
                            .is_some_and(|o| o.group.as_deref() == Some(group.as_str()))
                    })
                    .map(|(_, label)| label.as_str())
                    .collect();
                format!("Procurement group {group} ({})", members.join(", "))
            }
        };
        let gap_line = |lines: &[crate::model::GapLine], id: &str| {
            lines
                .iter()
                .find(|l| l.id == id)
                .map_or_else(|| id.to_string(), |l| l.name.clone())
        };
        match input {
            Input::Saving(line) | Input::Profile(line) => (option(line), "saving"),
            Input::Slip(p) => (procurement(p), "slip"),
            Input::Failure(p) => (procurement(p), "failure"),
            Input::Overlap => ("Overlap w".to_string(), ""),
            Input::OptimismBias => ("Optimism bias".to_string(), ""),
            Input::Pressure(id) => (gap_line(&scenario.gap_build.pressures, id), "pressure"),
            Input::Funding(id) => (gap_line(&scenario.gap_build.funding, id), "funding"),
            Input::Reserves => ("Use of reserves".to_string(), ""),
        }
    }

    /// An end's setting as the table shows it: a saving as money, the rest as written.
    fn setting(input: &Input, setting: &str) -> String {
        match input {
            Input::Saving(_) => group_thousands(setting),
            _ => setting.to_string(),
        }
    }

    /// A switching value or change as the input takes it: a factor on a profile to 4
    /// places, rounded up (the least factor that reaches the target is at most what is
    /// shown).
    fn value(&self, input: &Input, value: Decimal) -> String {
        match input {
            Input::Saving(_) | Input::Pressure(_) | Input::Funding(_) => grouped(value, self.dp),
            Input::Profile(_) => format!(
                "{} x",
                plain(value.round_dp_with_strategy(4, RoundingStrategy::ToPositiveInfinity))
            ),
            Input::Slip(_) => format!("{} months", plain(value)),
            Input::Overlap => plain(value.round_dp(4)),
            Input::Failure(_) | Input::OptimismBias | Input::Reserves => plain(value),
        }
    }

    /// A switching value's change from central, as [`Self::value`] shows it (a factor's
    /// change without its `x`).
    fn change(&self, input: &Input, change: Decimal) -> String {
        match input {
            Input::Profile(_) => {
                plain(change.round_dp_with_strategy(4, RoundingStrategy::ToPositiveInfinity))
            }
            _ => self.value(input, change),
        }
    }

    fn now(switch: &Switch) -> &'static str {
        match (&switch.goal, switch.holds) {
            (Goal::GapClosed(_), true) => "closed",
            (Goal::GapClosed(_), false) => "open",
            (Goal::MeetsPlan(_), true) => "meets plan",
            (Goal::MeetsPlan(_), false) => "misses plan",
        }
    }

    /// A switching value's target: a year closed, or a service (by its name) meeting its
    /// plan.
    fn goal(&self, goal: &Goal) -> String {
        match goal {
            Goal::GapClosed(y) => format!("gap {y} closed"),
            Goal::MeetsPlan(id) => {
                let name = self
                    .by_id
                    .get(id.as_str())
                    .and_then(|&i| self.labels.get(i))
                    .map_or(id.as_str(), String::as_str);
                format!("{name} meets plan")
            }
        }
    }

    /// A tornado chart of one figure of the outcomes: a bar from one end to the other, the
    /// central figure marked `│` and, for a remaining gap, zero marked `┊`; within `width`.
    fn chart(&self, pick: &dyn Fn(&Outcome) -> Decimal, zero_line: bool, width: usize) -> String {
        let s = self.sensitivity;
        let dp = self.dp.min(1);
        let centre = pick(&s.central);
        let mut lo = centre;
        let mut hi = centre;
        for bar in &s.bars {
            for end in [&bar.low, &bar.high] {
                lo = lo.min(pick(&end.outcome));
                hi = hi.max(pick(&end.outcome));
            }
        }
        if zero_line {
            lo = lo.min(Decimal::ZERO);
            hi = hi.max(Decimal::ZERO);
        }
        // Each chart in the order of its own swing, largest first; inputs that do not move
        // the figure at all are counted, not drawn.
        let mut bars: Vec<&Bar> = s
            .bars
            .iter()
            .filter(|b| pick(&b.low.outcome) != pick(&b.high.outcome))
            .collect();
        bars.sort_by_key(|b| {
            std::cmp::Reverse((pick(&b.low.outcome) - pick(&b.high.outcome)).abs())
        });
        let ends: Vec<(Decimal, Decimal)> = bars
            .iter()
            .map(|b| (pick(&b.low.outcome), pick(&b.high.outcome)))
            .collect();
        let mut figures: Vec<String> = ends
            .iter()
            .map(|(a, b)| format!("{} to {}", grouped(*a, dp), grouped(*b, dp)))
            .collect();
        figures.push(format!("central {}", grouped(centre, dp)));
        let label_width = (width * LABEL / 100).clamp(16, LABEL);
        let fit = textchart::Fit::new(
            width,
            label_width + 1,
            figures.iter().map(|f| f.chars().count()).max().unwrap_or(0),
            BARS,
        );
        let columns = fit.bars;
        let span = hi - lo;
        let column = |x: Decimal| -> usize {
            if span.is_zero() {
                return columns / 2;
            }
            let position = (x - lo) / span * Decimal::from(columns - 1);
            position
                .round()
                .try_into()
                .map_or(0, |p: u64| usize::try_from(p).unwrap_or(0))
                .min(columns - 1)
        };
        let centre_column = column(centre);
        let zero_column = zero_line.then(|| column(Decimal::ZERO));
        let mut out = String::new();
        for ((bar, (a, b)), figures) in bars.iter().zip(&ends).zip(&figures) {
            let (from, to) = (column((*a).min(*b)), column((*a).max(*b)));
            let mut line: Vec<char> = vec![' '; columns];
            for (i, cell) in line.iter_mut().enumerate() {
                if (from..=to).contains(&i) {
                    *cell = '█';
                } else if Some(i) == zero_column {
                    *cell = '┊';
                }
            }
            line[centre_column] = '│';
            out.push_str(&fit.line(
                &self.chart_label(&bar.input, label_width),
                label_width + 1,
                &line.iter().collect::<String>(),
                figures,
            ));
        }
        let mut axis: Vec<char> = vec![' '; columns];
        axis[centre_column] = '^';
        out.push_str(&fit.line(
            "",
            label_width + 1,
            &axis.iter().collect::<String>(),
            figures.last().map_or("", String::as_str),
        ));
        let still = s.bars.len() - bars.len();
        let scale = format!(
            "scale {} to {}{}",
            grouped(lo, dp),
            grouped(hi, dp),
            match still {
                0 => String::new(),
                1 => "; 1 input does not move it".to_string(),
                n => format!("; {n} inputs do not move it"),
            }
        );
        out.push_str(&textchart::indented(&scale, label_width + 1, width));
        out
    }
}

impl SensitivityReport<'_> {
    /// What the notes add for a plan written the docs/model.md section 9 way, each only where
    /// the scenario has what it describes: profiles, lines already in the plan, the gap's
    /// inputs.
    fn plan_notes(&self) -> Vec<String> {
        let s = self.sensitivity;
        let inputs = || {
            s.bars
                .iter()
                .map(|b| &b.input)
                .chain(s.switching.iter().map(|w| &w.input))
        };
        let mut notes = Vec::new();
        if inputs().any(|i| matches!(i, Input::Profile(_))) {
            notes.push("A saving written year by year (a profile) moves between its low and high profiles; its switching value is a factor on its central profile, the same in every year (1.25 x: every year's amount a quarter higher), shown here to 4 places, rounded up.".to_string());
        }
        if self
            .scenario
            .taken_forward()
            .any(|(_, o)| matches!(o.status, Status::InBase | Status::Withdrawn))
        {
            notes.push("In-base and withdrawn lines have no saving, slip or failure to move: an in-base line delivers its plan in every case and a withdrawn one nothing. An approved line moves like a proposal, against its own plan as written.".to_string());
        }
        if inputs().any(|i| matches!(i, Input::Pressure(_) | Input::Funding(_) | Input::Reserves)) {
            notes.push("The gap's inputs move the remaining gap, not the total: a pressure or funding line with a range to its low and high amounts, reserves to none used. A pressure's switching value is the most its level in that year can be with the year closed; a funding line's, the least.".to_string());
        }
        notes
    }
}

/// `text` cut to `width` characters, with an ellipsis where cut.
fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(width - 1).collect();
        cut.push('…');
        cut
    }
}

impl Report for SensitivityReport<'_> {
    fn text(&self, width: usize) -> TextReport {
        let s = self.sensitivity;
        let scenario = self.scenario;
        let unit = &scenario.unit;
        let total_heading = format!("Total over {}", years_count(scenario.horizon));
        let mut header = vec!["Input".to_string(), "At".to_string(), total_heading];
        header.extend(s.gap_years.iter().map(|y| format!("Remaining gap {y}")));
        header.push("Swing in total".into());
        let figures = |outcome: &Outcome| -> Vec<String> {
            let mut cells = vec![self.money(outcome.total_saving)];
            cells.extend(outcome.remaining_gap.iter().map(|g| self.money(*g)));
            cells
        };
        let mut rows = Vec::new();
        let mut central = vec!["(all central)".to_string(), String::new()];
        central.extend(figures(&s.central));
        central.push(String::new());
        rows.push(central);
        for bar in &s.bars {
            let mut low = vec![
                self.label(&bar.input),
                Self::setting(&bar.input, &bar.low.setting),
            ];
            low.extend(figures(&bar.low.outcome));
            low.push(grouped(bar.swing(), self.dp));
            let mut high = vec![String::new(), Self::setting(&bar.input, &bar.high.setting)];
            high.extend(figures(&bar.high.outcome));
            high.push(String::new());
            rows.push(low);
            rows.push(high);
        }
        let numeric: Vec<usize> = (2..header.len()).collect();
        let mut tornado = TextTable::new(header, rows, numeric);
        tornado.min_widths = vec![30, 10];
        tornado.keys = 2;

        let switching_rows: Vec<Vec<String>> = s
            .switching
            .iter()
            .map(|w| {
                vec![
                    self.label(&w.input),
                    self.goal(&w.goal),
                    Self::now(w).to_string(),
                    self.value(&w.input, w.central),
                    self.value(&w.input, w.value),
                    self.change(&w.input, w.change),
                    if w.within_range { "yes" } else { "no" }.to_string(),
                ]
            })
            .collect();
        let mut switching = TextTable::new(
            vec![
                "Input".into(),
                "Target".into(),
                "Now".into(),
                "Central".into(),
                "Switches at".into(),
                "Change".into(),
                "In range".into(),
            ],
            switching_rows,
            vec![3, 4, 5],
        );
        switching.min_widths = vec![30, 14];
        switching.keys = 2;

        let mut charts = vec![(
            format!(
                "Tornado: total over {} ({unit})",
                years_count(scenario.horizon)
            ),
            self.chart(&|o| o.total_saving.amount(), false, width),
        )];
        for (i, year) in s.gap_years.iter().enumerate() {
            charts.push((
                format!(
                    "Tornado: remaining gap {year} ({unit}; ┊ marks zero, closed at or left of it)"
                ),
                self.chart(
                    &|o| o.remaining_gap.get(i).map_or(Decimal::ZERO, |g| g.amount()),
                    true,
                    width,
                ),
            ));
        }
        let mut notes = vec![
            format!(
                "Each input is moved to each end of its range with everything else central: a saving to its low and high, a slip to the least and most months of its risk, a failure (the options of its group save nothing and still incur their costs), the overlap w to 0 and 1, optimism bias to none. Sorted by the swing in the total, then in the remaining gap. Money in {unit}, rounded for display; totals use unrounded values."
            ),
            "Switching values: for a saving, the least saving (as the scenario writes it, before optimism bias) at which the target holds, so below it a closed year reopens or a service misses its plan; for the overlap, the largest w at which the year is closed; for a slip, the fewest months of delay that lose the target. Exact: the remaining gap and the plan margins are straight lines in a saving and in w, and a slip is counted in whole months. Inputs that cannot change a target are left out. In range: whether the value lies within the input's own range (low to high, the slip months, 0 to 1).".to_string(),
        ];
        notes.extend(self.plan_notes());
        notes.extend(bias_note(scenario));
        notes.extend(deferred_note(scenario));
        let footer = {
            let mut lines = provenance(self.source, self.extends, self.overrides);
            lines.push(format!("{PROGRAM}."));
            lines
        };
        TextReport {
            title: format!("Sensitivity: {}", scenario.name),
            settings: settings(scenario),
            sections: vec![
                Section {
                    heading: format!("Tornado, central case ({unit})"),
                    table: tornado,
                },
                Section {
                    heading: format!("Switching values ({unit})"),
                    table: switching,
                },
            ],
            charts,
            notes,
            footer,
        }
    }

    fn write_csv(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let s = self.sensitivity;
        let name = neutralise(&self.scenario.name).into_owned();
        let mut writer = csv::Writer::from_writer(out);
        writer.write_record([
            "scenario", "input", "kind", "end", "setting", "measure", "year", "value",
        ])?;
        let outcome = |input: &str, kind: &str, end: &str, setting: &str, o: &Outcome| {
            let input = neutralise(input).into_owned();
            let setting = neutralise(setting).into_owned();
            let total = plain(o.total_saving.amount());
            let mut records = vec![[
                name.clone(),
                input.clone(),
                kind.to_string(),
                end.to_string(),
                setting.clone(),
                "total_saving".into(),
                String::new(),
                total,
            ]];
            for (year, gap) in s.gap_years.iter().zip(&o.remaining_gap) {
                records.push([
                    name.clone(),
                    input.clone(),
                    kind.to_string(),
                    end.to_string(),
                    setting.clone(),
                    "remaining_gap".into(),
                    year.to_string(),
                    plain(gap.amount()),
                ]);
            }
            records
        };
        let mut records = outcome("", "central", "central", "", &s.central);
        for bar in &s.bars {
            let input = bar.input.to_string();
            records.extend(outcome(
                &input,
                bar.input.kind(),
                "low",
                &bar.low.setting,
                &bar.low.outcome,
            ));
            records.extend(outcome(
                &input,
                bar.input.kind(),
                "high",
                &bar.high.setting,
                &bar.high.outcome,
            ));
        }
        for w in &s.switching {
            let year = match &w.goal {
                Goal::GapClosed(y) => y.to_string(),
                Goal::MeetsPlan(_) => String::new(),
            };
            records.push([
                name.clone(),
                neutralise(&w.input.to_string()).into_owned(),
                w.input.kind().to_string(),
                "switch".into(),
                neutralise(&w.goal.to_string()).into_owned(),
                "switching_value".into(),
                year,
                plain(w.value),
            ]);
        }
        for record in records {
            writer.write_record(&record)?;
        }
        writer.flush()?;
        Ok(())
    }

    fn write_json(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let s = self.sensitivity;
        let outcome = |o: &Outcome| {
            json!({
                "total_saving": plain(o.total_saving.amount()),
                "remaining_gap": s.gap_years.iter().zip(&o.remaining_gap).map(|(y, g)| json!({
                    "year": y.to_string(),
                    "value": plain(g.amount()),
                })).collect::<Vec<_>>(),
            })
        };
        let bar = |b: &Bar| {
            json!({
                "input": b.input.to_string(),
                "kind": b.input.kind(),
                "low": { "setting": b.low.setting, "outcome": outcome(&b.low.outcome) },
                "high": { "setting": b.high.setting, "outcome": outcome(&b.high.outcome) },
                "swing": plain(b.swing()),
            })
        };
        let switch = |w: &Switch| {
            json!({
                "input": w.input.to_string(),
                "kind": w.input.kind(),
                "target": w.goal.to_string(),
                "holds": w.holds,
                "central": plain(w.central),
                "value": plain(w.value),
                "change": plain(w.change),
                "within_range": w.within_range,
            })
        };
        json::write_value(
            &json!({
                "schema": json::SCHEMA,
                "kind": "sensitivity",
                "program": PROGRAM,
                "scenario": json::scenario_info(self.scenario, self.source, self.extends),
                "overrides": self.overrides,
                "gap_years": s.gap_years.iter().map(ToString::to_string).collect::<Vec<_>>(),
                "central": outcome(&s.central),
                "tornado": s.bars.iter().map(bar).collect::<Vec<_>>(),
                "switching": s.switching.iter().map(switch).collect::<Vec<_>>(),
                "deferred": json::deferred(self.scenario),
            }),
            out,
        )
    }
}
