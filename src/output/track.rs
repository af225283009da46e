//! `savings track`: the monitoring report of a tracked plan (docs/model.md section 10). Per
//! line, grouped by area (lines without an area last), the current year's plan `LP`, its
//! delivery (delivered, forecast or as planned, and which), the variance and the RAG rating;
//! totals by area, by RAG and by status; savings at risk and the remaining gap as planned, as
//! forecast and risk-adjusted per year; with `--since`, the movement since an earlier report,
//! lines matched by their path.
//!
//! Every figure is computed by [`Monitoring::new`] before anything is written. The CSV is the
//! report's own long form (not section 8's): `scenario,as_at,area,line,option,status,rag,year,
//! measure,value`; the JSON is a `"kind": "track"` document of `savings-modeller/1`.

use std::io::Write;

use serde::Serialize;

use crate::model::{ArithmeticError, FinancialYear, Money, Rag, Scenario, Status, grouped};
use crate::projection::{Projection, TrackingFigures};

use super::frame::{bias_note, deferred_note, provenance, settings};
use super::json::{ScenarioInfo, scenario_info};
use super::{PROGRAM, Report, Section, TextReport, TextTable, neutralise};

/// Where a line's delivery in the current year comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    /// A `delivered` figure.
    Delivered,
    /// A `forecast` figure.
    Forecast,
    /// Nothing recorded: its plan (a proposed line: its saving as projected).
    AsPlanned,
    /// A withdrawn line with nothing recorded: 0.
    Withdrawn,
}

impl Basis {
    pub fn name(self) -> &'static str {
        match self {
            Basis::Delivered => "delivered",
            Basis::Forecast => "forecast",
            Basis::AsPlanned => "as planned",
            Basis::Withdrawn => "withdrawn",
        }
    }
}

/// One line (a service and the option taken forward) in the current year.
#[derive(Clone, Debug)]
pub struct TrackedLine {
    pub service: String,
    pub option: String,
    /// As tables label it.
    pub label: String,
    /// As messages name it: `service[a]`, or `service[a].option[b]`.
    pub path: String,
    pub area: Option<String>,
    pub status: Status,
    pub rag: Option<Rag>,
    /// `LP` in the current year: an approved, in-base or withdrawn line's own plan to date,
    /// a proposed line's service's planned savings to date.
    pub plan: Money,
    /// `D` in the current year, central case, as forecast.
    pub delivery: Money,
    pub basis: Basis,
    /// `D - LP` in the current year, for an approved or withdrawn line.
    pub variance: Option<Money>,
}

/// Sums over some lines in the current year.
#[derive(Clone, Debug, Default)]
pub struct Totals {
    pub lines: usize,
    pub plan: Money,
    pub delivery: Money,
    /// The sum of the variances of the approved and withdrawn lines among them.
    pub variance: Money,
}

impl Totals {
    fn add(&mut self, line: &TrackedLine) -> Result<(), ArithmeticError> {
        self.lines += 1;
        self.plan = self.plan.checked_add(line.plan)?;
        self.delivery = self.delivery.checked_add(line.delivery)?;
        if let Some(v) = line.variance {
            self.variance = self.variance.checked_add(v)?;
        }
        Ok(())
    }

    fn of<'a>(lines: impl Iterator<Item = &'a TrackedLine>) -> Result<Self, ArithmeticError> {
        let mut totals = Totals::default();
        for line in lines {
            totals.add(line)?;
        }
        Ok(totals)
    }
}

/// The monitoring figures of one report.
#[derive(Clone, Debug)]
pub struct Monitoring {
    pub as_at: String,
    pub current_year: FinancialYear,
    pub years: Vec<FinancialYear>,
    /// Grouped by area in the order areas are first named, lines without an area last; file
    /// order within each.
    pub lines: Vec<TrackedLine>,
    pub by_area: Vec<(Option<String>, Totals)>,
    /// Blue, green, amber, red, then lines not rated (`None`), those with lines only.
    pub by_rag: Vec<(Option<Rag>, Totals)>,
    /// In the order of [`Status::ALL`], those with lines only.
    pub by_status: Vec<(Status, Totals)>,
    pub total: Totals,
    pub views: TrackingFigures,
}

impl Monitoring {
    /// The figures of `projection` (counting the forecast) of `scenario`, whose current year
    /// `current_year` is a projected year.
    pub fn new(
        scenario: &Scenario,
        projection: &Projection,
        current_year: FinancialYear,
    ) -> Result<Self, ArithmeticError> {
        let t = projection
            .years
            .iter()
            .position(|y| *y == current_year)
            .ok_or(ArithmeticError::Overflow)?;
        let views = projection
            .tracking
            .clone()
            .ok_or(ArithmeticError::Overflow)?;
        let labels = scenario.service_labels();
        let mut lines = Vec::with_capacity(projection.services.len());
        for p in &projection.services {
            let (Some(service), Some(label)) =
                (scenario.services.get(p.service), labels.get(p.service))
            else {
                continue;
            };
            let Some(option) = service.options.get(p.option) else {
                continue;
            };
            let at = |s: &[Money]| s.get(t).copied().unwrap_or_default();
            let tracked = option.tracks_delivery();
            let basis = if tracked && option.tracking.delivered.contains(current_year) {
                Basis::Delivered
            } else if tracked && option.tracking.forecast.contains(current_year) {
                Basis::Forecast
            } else if option.status == Status::Withdrawn {
                Basis::Withdrawn
            } else {
                Basis::AsPlanned
            };
            let label = if service.one_line {
                label.clone()
            } else {
                format!("{label} ({})", option.name)
            };
            lines.push(TrackedLine {
                service: service.id.clone(),
                option: option.id.clone(),
                label,
                path: service.option_path(option),
                area: service.area.clone(),
                status: option.status,
                rag: option.tracking.rag,
                plan: at(&p.planned_to_date),
                delivery: at(&p.figures.in_year.central),
                basis,
                variance: p.variance(scenario).map(|v| at(v)),
            });
        }
        // Areas in the order first named, no area last; a stable sort keeps file order.
        let mut areas: Vec<Option<String>> = Vec::new();
        for line in &lines {
            if line.area.is_some() && !areas.contains(&line.area) {
                areas.push(line.area.clone());
            }
        }
        if lines.iter().any(|l| l.area.is_none()) {
            areas.push(None);
        }
        let rank = |area: &Option<String>| areas.iter().position(|a| a == area);
        lines.sort_by_key(|l| rank(&l.area));
        let by_area = areas
            .iter()
            .map(|a| {
                Ok((
                    a.clone(),
                    Totals::of(lines.iter().filter(|l| &l.area == a))?,
                ))
            })
            .collect::<Result<_, ArithmeticError>>()?;
        let mut by_rag = Vec::new();
        for rag in Rag::ALL.map(Some).into_iter().chain([None]) {
            let totals = Totals::of(lines.iter().filter(|l| l.rag == rag))?;
            if totals.lines > 0 {
                by_rag.push((rag, totals));
            }
        }
        let mut by_status = Vec::new();
        for status in Status::ALL {
            let totals = Totals::of(lines.iter().filter(|l| l.status == status))?;
            if totals.lines > 0 {
                by_status.push((status, totals));
            }
        }
        let total = Totals::of(lines.iter())?;
        Ok(Self {
            as_at: scenario
                .tracking
                .as_at
                .map(|m| m.to_string())
                .unwrap_or_default(),
            current_year,
            years: projection.years.clone(),
            lines,
            by_area,
            by_rag,
            by_status,
            total,
            views,
        })
    }

    /// The lines that fail `--check-delivery`: rated red, or an approved line whose delivery
    /// in the current year is below its plan.
    pub fn failing(&self) -> Vec<String> {
        self.lines
            .iter()
            .filter_map(|line| {
                let short = line.status == Status::Approved
                    && line.variance.is_some_and(Money::is_negative);
                let red = line.rag == Some(Rag::Red);
                let mut why = Vec::new();
                if red {
                    why.push("is rated red".to_string());
                }
                if short {
                    why.push(format!(
                        "is {} {} below its plan of {} in {}",
                        line.basis.name(),
                        line.variance
                            .map(|v| Money::ZERO.checked_sub(v).unwrap_or(v))
                            .unwrap_or_default(),
                        line.plan,
                        self.current_year.quoted()
                    ));
                }
                (!why.is_empty()).then(|| format!("{} {}", line.path, why.join(" and ")))
            })
            .collect()
    }
}

/// One line's movement since the earlier report.
#[derive(Clone, Debug)]
pub struct Movement {
    pub service: String,
    pub option: String,
    pub label: String,
    pub area: Option<String>,
    /// Its status now, or then for a line only in the earlier report.
    pub status: Status,
    /// In the earlier report: its delivery in this report's current year and its rating.
    pub then: Option<(Money, Option<Rag>)>,
    pub now: Option<(Money, Option<Rag>)>,
    /// Delivery now less delivery then, where the line is in both.
    pub change: Option<Money>,
}

impl Movement {
    /// `both`, `now only` (a line new since the earlier report) or `then only` (gone).
    pub fn presence(&self) -> &'static str {
        match (&self.then, &self.now) {
            (Some(_), Some(_)) => "both",
            (None, _) => "now only",
            (_, None) => "then only",
        }
    }
}

/// The movement since an earlier report on the same plan.
#[derive(Clone, Debug)]
pub struct Since {
    /// The earlier report's file as named, `as_at` and current year.
    pub file: String,
    pub as_at: String,
    pub then: Monitoring,
    /// This report's lines, then those only in the earlier one.
    pub lines: Vec<Movement>,
    /// Delivery in the current year of all lines, then and now, and the change.
    pub delivery_then: Money,
    pub delivery_now: Money,
    pub change: Money,
}

impl Since {
    /// The movement from `then` (the earlier report's figures, in the same current year as
    /// `now`) to `now`.
    pub fn new(file: &str, then: Monitoring, now: &Monitoring) -> Result<Self, ArithmeticError> {
        let key = |l: &TrackedLine| (l.service.clone(), l.option.clone());
        let earlier: std::collections::HashMap<(String, String), &TrackedLine> =
            then.lines.iter().map(|l| (key(l), l)).collect();
        let later: std::collections::HashSet<(String, String)> =
            now.lines.iter().map(key).collect();
        let mut lines = Vec::with_capacity(now.lines.len());
        for line in &now.lines {
            let before = earlier.get(&key(line));
            let change = match before {
                Some(b) => Some(line.delivery.checked_sub(b.delivery)?),
                None => None,
            };
            lines.push(Movement {
                service: line.service.clone(),
                option: line.option.clone(),
                label: line.label.clone(),
                area: line.area.clone(),
                status: line.status,
                then: before.map(|b| (b.delivery, b.rag)),
                now: Some((line.delivery, line.rag)),
                change,
            });
        }
        for line in then.lines.iter().filter(|l| !later.contains(&key(l))) {
            lines.push(Movement {
                service: line.service.clone(),
                option: line.option.clone(),
                label: line.label.clone(),
                area: line.area.clone(),
                status: line.status,
                then: Some((line.delivery, line.rag)),
                now: None,
                change: None,
            });
        }
        let delivery_then = then.total.delivery;
        let delivery_now = now.total.delivery;
        Ok(Self {
            file: file.to_string(),
            as_at: then.as_at.clone(),
            change: delivery_now.checked_sub(delivery_then)?,
            then,
            lines,
            delivery_then,
            delivery_now,
        })
    }
}

/// The `track` report.
pub struct TrackReport<'a> {
    pub scenario: &'a Scenario,
    pub projection: &'a Projection,
    pub monitoring: &'a Monitoring,
    pub since: Option<&'a Since>,
    /// The earlier report's scenario, with `--since`.
    pub since_scenario: Option<(&'a Scenario, &'a [String])>,
    pub source: &'a str,
    pub extends: &'a [String],
    pub overrides: &'a [String],
    pub dp: u32,
}

fn rag_name(rag: Option<Rag>) -> &'static str {
    rag.map_or("not rated", Rag::name)
}

impl TrackReport<'_> {
    fn money(&self, m: Money) -> String {
        grouped(m.amount(), self.dp)
    }

    fn lines_table(&self) -> TextTable {
        let m = self.monitoring;
        let mut rows = Vec::new();
        for (area, totals) in &m.by_area {
            let area_name = area.as_deref().unwrap_or("(no area)");
            for (i, line) in m.lines.iter().filter(|l| &l.area == area).enumerate() {
                rows.push(vec![
                    if i == 0 { area_name } else { "" }.to_string(),
                    line.label.clone(),
                    line.status.name().to_string(),
                    self.money(line.plan),
                    self.money(line.delivery),
                    line.basis.name().to_string(),
                    line.variance.map_or("-".into(), |v| self.money(v)),
                    line.rag.map_or("-", Rag::name).to_string(),
                ]);
            }
            if m.by_area.len() > 1 {
                rows.push(vec![
                    String::new(),
                    format!("Subtotal {area_name}"),
                    String::new(),
                    self.money(totals.plan),
                    self.money(totals.delivery),
                    String::new(),
                    self.money(totals.variance),
                    String::new(),
                ]);
            }
        }
        rows.push(vec![
            "Total".to_string(),
            String::new(),
            String::new(),
            self.money(m.total.plan),
            self.money(m.total.delivery),
            String::new(),
            self.money(m.total.variance),
            String::new(),
        ]);
        let mut table = TextTable::new(
            [
                "Area", "Line", "Status", "Plan", "Delivery", "From", "Variance", "RAG",
            ]
            .map(String::from)
            .to_vec(),
            rows,
            vec![3, 4, 6],
        );
        table.keys = 2;
        table.min_widths = vec![10, 16];
        // Without areas, the area column says nothing.
        if m.by_area.iter().all(|(a, _)| a.is_none()) {
            for row in table.rows.iter_mut().chain([&mut table.header]) {
                row.remove(0);
            }
            if let Some(first) = table.rows.last_mut().and_then(|r| r.first_mut()) {
                *first = "Total".to_string();
            }
            table.numeric = vec![2, 3, 5];
            table.keys = 1;
            table.min_widths = vec![16];
        }
        table
    }

    fn totals_table<K>(
        &self,
        first: &str,
        rows: &[(K, Totals)],
        name: impl Fn(&K) -> String,
    ) -> TextTable {
        let rows = rows
            .iter()
            .map(|(k, t)| {
                vec![
                    name(k),
                    t.lines.to_string(),
                    self.money(t.plan),
                    self.money(t.delivery),
                    self.money(t.variance),
                ]
            })
            .collect();
        TextTable::new(
            [first, "Lines", "Plan", "Delivery", "Variance"]
                .map(String::from)
                .to_vec(),
            rows,
            vec![1, 2, 3, 4],
        )
    }

    fn since_table(&self, since: &Since) -> TextTable {
        let money = |m: Option<Money>| m.map_or("-".to_string(), |m| self.money(m));
        let mut rows: Vec<Vec<String>> = since
            .lines
            .iter()
            .map(|l| {
                let label = match l.presence() {
                    "both" => l.label.clone(),
                    other => format!("{} ({other})", l.label),
                };
                vec![
                    label,
                    money(l.then.map(|t| t.0)),
                    money(l.now.map(|t| t.0)),
                    money(l.change),
                    l.then.map_or("-", |t| rag_name(t.1)).to_string(),
                    l.now.map_or("-", |t| rag_name(t.1)).to_string(),
                ]
            })
            .collect();
        rows.push(vec![
            "Total".to_string(),
            self.money(since.delivery_then),
            self.money(since.delivery_now),
            self.money(since.change),
            String::new(),
            String::new(),
        ]);
        let mut table = TextTable::new(
            [
                "Line",
                "Delivery then",
                "Delivery now",
                "Change",
                "RAG then",
                "RAG now",
            ]
            .map(String::from)
            .to_vec(),
            rows,
            vec![1, 2, 3],
        );
        table.min_widths = vec![16];
        table
    }
}

impl Report for TrackReport<'_> {
    fn text(&self, _width: usize) -> TextReport {
        let m = self.monitoring;
        let unit = &self.scenario.unit;
        let year = m.current_year;
        let mut sections = vec![
            Section {
                heading: format!("Delivery in {year} by line ({unit}, central case)"),
                table: self.lines_table(),
            },
            Section {
                heading: format!("By RAG, {year} ({unit})"),
                table: self.totals_table("RAG", &m.by_rag, |r| rag_name(*r).to_string()),
            },
            Section {
                heading: format!("By status, {year} ({unit})"),
                table: self.totals_table("Status", &m.by_status, |s| s.name().to_string()),
            },
        ];
        if let Some(table) = super::tracking::gap_views(self.projection, self.dp) {
            sections.push(Section {
                heading: format!("Remaining gap by view of delivery ({unit}, central case)"),
                table,
            });
        }
        if let Some(since) = self.since {
            sections.push(Section {
                heading: format!(
                    "Movement since {} (as at {}), delivery in {year} ({unit})",
                    since.file, since.as_at
                ),
                table: self.since_table(since),
            });
        }
        let mut notes = vec![format!(
            "Plan: the line's planned savings to date in {year} (an approved, in-base or withdrawn line's own plan; a proposed line's service's planned savings). Delivery: its delivered figure where given, else its forecast, else its plan (0 for a withdrawn line; a proposed line as projected); From says which. Variance: delivery less plan, for approved and withdrawn lines."
        )];
        if self.since.is_some() {
            notes.push(format!(
                "Movement: each line's delivery in {year} in the earlier report and in this one, lines matched by their path (service and option); a line in one report only is marked as such."
            ));
        }
        notes.extend(super::tracking::notes(self.scenario, self.projection));
        notes.extend(deferred_note(self.scenario));
        notes.extend(bias_note(self.scenario));
        notes.push("Totals are computed from unrounded figures.".to_string());
        let mut footer = provenance(self.source, self.extends, self.overrides);
        footer.push(format!("{PROGRAM}."));
        TextReport {
            title: format!("{}: delivery as at {}", self.scenario.name, m.as_at),
            settings: settings(self.scenario),
            sections,
            charts: Vec::new(),
            notes,
            footer,
        }
    }

    fn write_csv(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let mut csv = TrackCsv::new(out)?;
        if let (Some(since), Some((then_scenario, _))) = (self.since, self.since_scenario) {
            csv.monitoring(&then_scenario.name, &since.then)?;
        }
        csv.monitoring(&self.scenario.name, self.monitoring)?;
        if let Some(since) = self.since {
            let m = self.monitoring;
            let year = m.current_year.to_string();
            for l in since.lines.iter() {
                if let Some(change) = l.change {
                    let rag = l.now.and_then(|n| n.1);
                    csv.record([
                        &self.scenario.name,
                        &m.as_at,
                        l.area.as_deref().unwrap_or(""),
                        &l.service,
                        &l.option,
                        l.status.name(),
                        rag.map_or("", Rag::name),
                        &year,
                        "change",
                        &change.to_string(),
                    ])?;
                }
            }
            csv.record([
                &self.scenario.name,
                &m.as_at,
                "",
                "total",
                "",
                "",
                "",
                &year,
                "change",
                &since.change.to_string(),
            ])?;
        }
        csv.finish()
    }

    fn write_json(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let document = TrackDocument {
            schema: super::json::SCHEMA,
            kind: "track",
            program: PROGRAM,
            scenario: scenario_info(self.scenario, self.source, self.extends),
            overrides: self.overrides,
            report: MonitoringJson::new(self.monitoring),
            since: match (self.since, self.since_scenario) {
                (Some(since), Some((scenario, extends))) => Some(SinceJson {
                    scenario: scenario_info(scenario, &since.file, extends),
                    report: MonitoringJson::new(&since.then),
                    lines: since
                        .lines
                        .iter()
                        .map(|l| MovementJson {
                            service: &l.service,
                            option: &l.option,
                            area: l.area.as_deref(),
                            presence: l.presence(),
                            delivery_then: l.then.map(|t| t.0.to_string()),
                            delivery_now: l.now.map(|t| t.0.to_string()),
                            change: l.change.map(|c| c.to_string()),
                            rag_then: l.then.and_then(|t| t.1).map(Rag::name),
                            rag_now: l.now.and_then(|t| t.1).map(Rag::name),
                        })
                        .collect(),
                    total: SinceTotalJson {
                        delivery_then: since.delivery_then.to_string(),
                        delivery_now: since.delivery_now.to_string(),
                        change: since.change.to_string(),
                    },
                }),
                _ => None,
            },
        };
        super::json::write_value(&serde_json::to_value(&document)?, out)
    }
}

/// The CSV columns of `savings track`, in order.
pub const CSV_HEADER: [&str; 10] = [
    "scenario", "as_at", "area", "line", "option", "status", "rag", "year", "measure", "value",
];

/// The long-form CSV of `track` (its own columns, [`CSV_HEADER`]).
struct TrackCsv<'w> {
    writer: csv::Writer<&'w mut dyn Write>,
}

impl<'w> TrackCsv<'w> {
    fn new(out: &'w mut dyn Write) -> anyhow::Result<Self> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(out);
        writer.write_record(CSV_HEADER)?;
        Ok(Self { writer })
    }

    /// One row; text fields a spreadsheet would read as a formula are neutralised (the
    /// value is a number and never is).
    fn record(&mut self, fields: [&str; 10]) -> anyhow::Result<()> {
        for (i, field) in fields.iter().enumerate() {
            if i == 9 {
                self.writer.write_field(field)?;
            } else {
                self.writer.write_field(neutralise(field).as_ref())?;
            }
        }
        self.writer.write_record(None::<&[u8]>)?;
        Ok(())
    }

    /// Every row of one report: per line, then the totals by area, RAG and status and in
    /// all (current year), then savings at risk and the three remaining gaps per year.
    fn monitoring(&mut self, name: &str, m: &Monitoring) -> anyhow::Result<()> {
        let year = m.current_year.to_string();
        for l in &m.lines {
            let mut measures = vec![("plan", l.plan), ("delivery", l.delivery)];
            match l.basis {
                Basis::Delivered => measures.push(("delivered", l.delivery)),
                Basis::Forecast => measures.push(("forecast", l.delivery)),
                Basis::AsPlanned | Basis::Withdrawn => {}
            }
            if let Some(v) = l.variance {
                measures.push(("variance", v));
            }
            for (measure, value) in measures {
                self.record([
                    name,
                    &m.as_at,
                    l.area.as_deref().unwrap_or(""),
                    &l.service,
                    &l.option,
                    l.status.name(),
                    l.rag.map_or("", Rag::name),
                    &year,
                    measure,
                    &value.to_string(),
                ])?;
            }
        }
        let mut totals: Vec<(&str, &str, &str, &Totals)> = Vec::new();
        let area_names: Vec<String> = m
            .by_area
            .iter()
            .map(|(a, _)| a.clone().unwrap_or_default())
            .collect();
        // Subtotals of the named areas (the lines without one are summed in the total), where
        // there is more than one group.
        if m.by_area.len() > 1 {
            for ((area, t), a) in m.by_area.iter().zip(&area_names) {
                if area.is_some() {
                    totals.push((a, "", "", t));
                }
            }
        }
        for (rag, t) in &m.by_rag {
            totals.push(("", "", rag.map_or("none", Rag::name), t));
        }
        for (status, t) in &m.by_status {
            totals.push(("", status.name(), "", t));
        }
        totals.push(("", "", "", &m.total));
        for (area, status, rag, t) in totals {
            for (measure, value) in [
                ("lines", t.lines.to_string()),
                ("plan", t.plan.to_string()),
                ("delivery", t.delivery.to_string()),
                ("variance", t.variance.to_string()),
            ] {
                self.record([
                    name, &m.as_at, area, "total", "", status, rag, &year, measure, &value,
                ])?;
            }
        }
        let v = &m.views;
        for (measure, series) in [
            ("savings_at_risk", &v.at_risk),
            ("remaining_gap_planned", &v.remaining_gap.planned),
            ("remaining_gap_forecast", &v.remaining_gap.forecast),
            (
                "remaining_gap_risk_adjusted",
                &v.remaining_gap.risk_adjusted,
            ),
        ] {
            for (y, value) in m.years.iter().zip(series) {
                self.record([
                    name,
                    &m.as_at,
                    "",
                    "total",
                    "",
                    "",
                    "",
                    &y.to_string(),
                    measure,
                    &value.to_string(),
                ])?;
            }
        }
        Ok(())
    }

    fn finish(mut self) -> anyhow::Result<()> {
        self.writer.flush()?;
        Ok(())
    }
}

#[derive(Serialize)]
struct TrackDocument<'a> {
    schema: &'static str,
    kind: &'static str,
    program: &'static str,
    scenario: ScenarioInfo<'a>,
    overrides: &'a [String],
    #[serde(flatten)]
    report: MonitoringJson<'a>,
    /// The movement since the earlier report (`--since`), or `null`.
    since: Option<SinceJson<'a>>,
}

#[derive(Serialize)]
struct MonitoringJson<'a> {
    as_at: &'a str,
    current_year: String,
    lines: Vec<LineJson<'a>>,
    by_area: Vec<TotalsJson<Option<&'a str>>>,
    by_rag: Vec<TotalsJson<Option<&'static str>>>,
    by_status: Vec<TotalsJson<&'static str>>,
    total: FiguresJson,
    savings_at_risk: Vec<YearValue>,
    remaining_gap: ViewsJson,
}

#[derive(Serialize)]
struct LineJson<'a> {
    service: &'a str,
    option: &'a str,
    area: Option<&'a str>,
    status: &'static str,
    rag: Option<&'static str>,
    plan: String,
    delivery: String,
    /// `delivered`, `forecast`, `as planned` or `withdrawn`.
    from: &'static str,
    variance: Option<String>,
}

#[derive(Serialize)]
struct TotalsJson<K> {
    key: K,
    #[serde(flatten)]
    figures: FiguresJson,
}

#[derive(Serialize)]
struct FiguresJson {
    lines: usize,
    plan: String,
    delivery: String,
    variance: String,
}

impl FiguresJson {
    fn new(t: &Totals) -> Self {
        Self {
            lines: t.lines,
            plan: t.plan.to_string(),
            delivery: t.delivery.to_string(),
            variance: t.variance.to_string(),
        }
    }
}

impl<K> TotalsJson<K> {
    fn new(key: K, t: &Totals) -> Self {
        Self {
            key,
            figures: FiguresJson::new(t),
        }
    }
}

#[derive(Serialize)]
struct YearValue {
    year: String,
    value: String,
}

fn by_year(years: &[FinancialYear], series: &[Money]) -> Vec<YearValue> {
    years
        .iter()
        .zip(series)
        .map(|(y, m)| YearValue {
            year: y.to_string(),
            value: m.to_string(),
        })
        .collect()
}

#[derive(Serialize)]
struct ViewsJson {
    planned: Vec<YearValue>,
    forecast: Vec<YearValue>,
    risk_adjusted: Vec<YearValue>,
}

impl<'a> MonitoringJson<'a> {
    fn new(m: &'a Monitoring) -> Self {
        let years = &m.years;
        Self {
            as_at: &m.as_at,
            current_year: m.current_year.to_string(),
            lines: m
                .lines
                .iter()
                .map(|l| LineJson {
                    service: &l.service,
                    option: &l.option,
                    area: l.area.as_deref(),
                    status: l.status.name(),
                    rag: l.rag.map(Rag::name),
                    plan: l.plan.to_string(),
                    delivery: l.delivery.to_string(),
                    from: l.basis.name(),
                    variance: l.variance.map(|v| v.to_string()),
                })
                .collect(),
            by_area: m
                .by_area
                .iter()
                .map(|(a, t)| TotalsJson::new(a.as_deref(), t))
                .collect(),
            by_rag: m
                .by_rag
                .iter()
                .map(|(r, t)| TotalsJson::new(r.map(Rag::name), t))
                .collect(),
            by_status: m
                .by_status
                .iter()
                .map(|(s, t)| TotalsJson::new(s.name(), t))
                .collect(),
            total: FiguresJson::new(&m.total),
            savings_at_risk: by_year(years, &m.views.at_risk),
            remaining_gap: ViewsJson {
                planned: by_year(years, &m.views.remaining_gap.planned),
                forecast: by_year(years, &m.views.remaining_gap.forecast),
                risk_adjusted: by_year(years, &m.views.remaining_gap.risk_adjusted),
            },
        }
    }
}

#[derive(Serialize)]
struct SinceJson<'a> {
    scenario: ScenarioInfo<'a>,
    /// The earlier report's own figures.
    report: MonitoringJson<'a>,
    lines: Vec<MovementJson<'a>>,
    total: SinceTotalJson,
}

#[derive(Serialize)]
struct MovementJson<'a> {
    service: &'a str,
    option: &'a str,
    area: Option<&'a str>,
    /// `both`, `now only` or `then only`.
    presence: &'static str,
    delivery_then: Option<String>,
    delivery_now: Option<String>,
    change: Option<String>,
    rag_then: Option<&'static str>,
    rag_now: Option<&'static str>,
}

#[derive(Serialize)]
struct SinceTotalJson {
    delivery_then: String,
    delivery_now: String,
    change: String,
}
