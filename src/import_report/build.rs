//! What was read from the workbook, as the raw layer of a scenario ([`RawFile`]), with the cell
//! each value came from (by field path, as validation messages print paths), so that a problem
//! the scenario's validation finds can name the cell.
//!
//! Tables by year are written as a person would write them, and so that the projection is the
//! workbook's: a saving's levels only where they change (a level holds until the next), planned
//! savings, costs, reserves and required savings only in years with a figure, the unidentified
//! gap from its first year with a figure to its last.

use std::collections::{HashMap, HashSet};

use rust_decimal::Decimal;

use super::Problem;
use super::read::{
    ByYear, Cited, GapLineRead, InputsRead, OptionRead, RampRead, SavingRead, Settings,
};
use super::tracker::{TrackedLine, TrackerRead};
use crate::model::{FinancialYear, Status};
use crate::scenario::raw::{
    Loc, Located, RawBias, RawFile, RawGap, RawGapLine, RawKind, RawOption, RawPlanBudget,
    RawScenario, RawService, RawTracking, RawValue,
};

/// The scenario built, where each value came from, and what the reader noticed.
pub struct Built {
    pub raw: RawFile,
    /// (field path, cell), in the order written.
    pub places: Vec<(String, String)>,
    /// Things a reader of the scenario should know (written as comments at its top).
    pub notes: Vec<String>,
}

fn located<T>(value: T) -> Located<T> {
    Located {
        value,
        at: Loc::default(),
    }
}

fn raw(kind: RawKind) -> RawValue {
    RawValue {
        kind,
        at: Loc::default(),
    }
}

pub fn number(d: Decimal) -> RawValue {
    let literal = d.normalize().to_string();
    raw(RawKind::Number {
        value: Ok(d),
        integer: !literal.contains('.'),
        literal,
    })
}

fn text(s: &str) -> RawValue {
    raw(RawKind::String(s.to_string()))
}

fn boolean(b: bool) -> RawValue {
    raw(RawKind::Bool(b))
}

fn table(entries: Vec<(String, RawValue)>) -> RawValue {
    raw(RawKind::Table(
        entries.into_iter().map(|(k, v)| (located(k), v)).collect(),
    ))
}

/// Collects the cell of each value written.
struct Builder {
    places: Vec<(String, String)>,
    notes: Vec<String>,
    problems: Vec<Problem>,
}

impl Builder {
    fn cite(&mut self, path: &str, at: &str) {
        self.places.push((path.to_string(), at.to_string()));
    }

    /// A number, cited.
    fn figure(&mut self, path: &str, value: &Cited<Decimal>) -> RawValue {
        self.cite(path, &value.at);
        number(value.value)
    }

    /// A plain table of years, cited.
    fn years(&mut self, path: &str, entries: &[(FinancialYear, &Cited<Decimal>)]) -> RawValue {
        table(
            entries
                .iter()
                .map(|(year, value)| {
                    let key = year.to_string();
                    let v = self.figure(&format!("{path}.{}", year.quoted()), value);
                    (key, v)
                })
                .collect(),
        )
    }

    /// A table of increments: plain where every figure is 0 or more (a plain `planned` or gap
    /// table is increments, its amounts at least 0), else in the `increments` wrapper.
    fn increments(&mut self, path: &str, entries: &[(FinancialYear, &Cited<Decimal>)]) -> RawValue {
        if entries.iter().all(|(_, v)| v.value >= Decimal::ZERO) {
            self.years(path, entries)
        } else {
            table(vec![(
                "increments".to_string(),
                self.years(&format!("{path}.increments"), entries),
            )])
        }
    }

    /// `{ levels = { ... } }`: the levels where they change.
    fn levels(&mut self, path: &str, years: &[FinancialYear], levels: &ByYear) -> RawValue {
        let changes = changes(years, levels);
        table(vec![(
            "levels".to_string(),
            self.years(&format!("{path}.levels"), &changes),
        )])
    }
}

/// The years whose level differs from the year before's (0 before the first), or the first
/// year alone where every level is 0 (a table names at least one year).
fn changes<'a>(
    years: &[FinancialYear],
    levels: &'a ByYear,
) -> Vec<(FinancialYear, &'a Cited<Decimal>)> {
    let mut out = Vec::new();
    let mut previous = Decimal::ZERO;
    for (year, level) in years.iter().zip(levels) {
        if level.value != previous {
            out.push((*year, level));
            previous = level.value;
        }
    }
    if out.is_empty()
        && let (Some(year), Some(level)) = (years.first(), levels.first())
    {
        out.push((*year, level));
    }
    out
}

/// The years with a figure other than 0.
fn named<'a>(
    years: &[FinancialYear],
    values: &'a ByYear,
) -> Vec<(FinancialYear, &'a Cited<Decimal>)> {
    years
        .iter()
        .zip(values)
        .filter(|(_, v)| !v.value.is_zero())
        .map(|(y, v)| (*y, v))
        .collect()
}

/// The years from the first with a figure other than 0 to the last (zeros between kept).
fn span<'a>(
    years: &[FinancialYear],
    values: &'a ByYear,
) -> Vec<(FinancialYear, &'a Cited<Decimal>)> {
    let all: Vec<_> = years.iter().zip(values).map(|(y, v)| (*y, v)).collect();
    let first = all.iter().position(|(_, v)| !v.value.is_zero());
    let last = all.iter().rposition(|(_, v)| !v.value.is_zero());
    match (first, last) {
        (Some(first), Some(last)) => all[first..=last].to_vec(),
        _ => Vec::new(),
    }
}

/// What was read, found by ids (a plan of 2,000 lines is not searched line by line for each).
struct Index<'a> {
    /// Each service's options: the one taken forward first, then the others in order.
    options: HashMap<&'a str, Vec<&'a OptionRead>>,
    plans: HashMap<(&'a str, &'a str), &'a ByYear>,
    profiles: HashMap<(&'a str, &'a str), &'a [ByYear; 3]>,
    lines: HashMap<(&'a str, &'a str), &'a TrackedLine>,
}

impl<'a> Index<'a> {
    fn new(inputs: &'a InputsRead, tracker: Option<&'a TrackerRead>) -> Self {
        let mut options: HashMap<&str, Vec<&OptionRead>> = HashMap::new();
        for option in inputs.options.iter().filter(|o| o.taken) {
            options
                .entry(&option.service_id.value)
                .or_default()
                .push(option);
        }
        for option in inputs.options.iter().filter(|o| !o.taken) {
            options
                .entry(&option.service_id.value)
                .or_default()
                .push(option);
        }
        let key = |(s, o): &'a (String, String)| (s.as_str(), o.as_str());
        Self {
            options,
            plans: inputs.plans.iter().map(|(k, p)| (key(k), p)).collect(),
            profiles: inputs.profiles.iter().map(|(k, p)| (key(k), p)).collect(),
            lines: tracker
                .map(|t| {
                    t.lines
                        .iter()
                        .map(|l| ((l.service_id.as_str(), l.option_id.as_str()), l))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
}

/// Builds the scenario from what was read.
pub fn build(
    settings: &Settings,
    inputs: &InputsRead,
    tracker: Option<&TrackerRead>,
) -> Result<Built, Vec<Problem>> {
    let mut b = Builder {
        places: Vec::new(),
        notes: Vec::new(),
        problems: Vec::new(),
    };
    let years = &settings.years;
    let mut file = RawFile::default();

    let mut scenario = RawScenario {
        name: Some(text(&settings.name.value)),
        base_year: Some(text(&settings.base_year.value.to_string())),
        horizon: Some(number(Decimal::from(settings.horizon))),
        unit: Some(text(&settings.unit.value)),
        overlap: Some(b.figure("scenario.overlap", &settings.overlap)),
        discount_rate: Some(b.figure("scenario.discount_rate", &settings.discount_rate)),
        mtfp_period: Some(raw(RawKind::Array(vec![
            text(&settings.mtfp_period.value.0.to_string()),
            text(&settings.mtfp_period.value.1.to_string()),
        ]))),
        ..RawScenario::default()
    };
    b.cite("scenario.name", &settings.name.at);
    b.cite("scenario.base_year", &settings.base_year.at);
    b.cite("scenario.unit", &settings.unit.at);
    b.cite("scenario.mtfp_period", &settings.mtfp_period.at);
    if let Some(as_at) = tracker.and_then(|t| t.as_at.as_ref()) {
        scenario.as_at = Some(text(&as_at.value));
        b.cite("scenario.as_at", &as_at.at);
    }
    file.scenario = Some(located(scenario));

    // The gap.
    let gap = &inputs.gap;
    if gap.net.is_some() || gap.requirement.is_some() {
        let mut budget = RawPlanBudget::default();
        if let Some(net) = &gap.net {
            budget.net = Some(b.figure("budget.net", net));
        }
        if let Some(requirement) = &gap.requirement {
            let changes = changes(years, requirement);
            budget.requirement = Some(b.years("budget.requirement", &changes));
        }
        if let Some(reserves) = &gap.reserves {
            let named = named(years, reserves);
            if !named.is_empty() {
                budget.reserves = Some(b.years("budget.reserves", &named));
            }
        }
        file.budget = Some(located(budget));
    }
    let gap_line = |b: &mut Builder, kind: &str, line: &GapLineRead, wrapped: bool| {
        let path = format!("{kind}[{}].amount", line.id.value);
        b.cite(&format!("{kind}[{}]", line.id.value), &line.id.at);
        let amount = if wrapped {
            b.levels(&path, years, &line.levels)
        } else {
            let changes = changes(years, &line.levels);
            b.years(&path, &changes)
        };
        located(RawGapLine {
            id: Some(text(&line.id.value)),
            name: Some(text(&line.name)),
            amount: Some(amount),
            ..RawGapLine::default()
        })
    };
    // A pressure's plain table is increments: its levels need the wrapper. A funding line's
    // plain table is levels.
    file.pressure = gap
        .pressures
        .iter()
        .map(|l| gap_line(&mut b, "pressure", l, true))
        .collect();
    file.funding = gap
        .funding
        .iter()
        .map(|l| gap_line(&mut b, "funding", l, false))
        .collect();
    let mut raw_gap = RawGap::default();
    if let Some(unidentified) = &gap.unidentified {
        let span = span(years, unidentified);
        if !span.is_empty() {
            raw_gap.unidentified = Some(b.increments("gap.unidentified", &span));
        }
    }
    let required = named(years, &gap.required);
    if !required.is_empty() {
        raw_gap.required = Some(b.increments("gap.required", &required));
    }
    if raw_gap.unidentified.is_some() || raw_gap.required.is_some() {
        file.gap = Some(located(raw_gap));
    }

    // Services, in the order of the planned-savings table (every service, in file order).
    let index = Index::new(inputs, tracker);
    let services: HashSet<&str> = inputs.planned.iter().map(|p| p.id.value.as_str()).collect();
    for option in &inputs.options {
        if !services.contains(option.service_id.value.as_str()) {
            b.problems.push(Problem::at(
                option.service_id.at.clone(),
                format!(
                    "service {:?} is not in the table of planned savings below, which lists every service",
                    option.service_id.value
                ),
            ));
        }
    }
    for planned in &inputs.planned {
        let id = &planned.id.value;
        let options: &[&OptionRead] = index.options.get(id.as_str()).map_or(&[], Vec::as_slice);
        let taken = options.iter().filter(|o| o.taken).count();
        if taken > 1 {
            b.problems.push(Problem::at(
                planned.id.at.clone(),
                format!("service {id:?} has {taken} options taken forward on Inputs; a service takes one forward"),
            ));
            continue;
        }
        let service = service(&mut b, settings, &index, planned, options);
        file.service.push(located(service));
    }

    // The confidence of each rating, as the Tracker holds it.
    if let Some(tracker) = tracker {
        let [green, amber, red] = &tracker.confidence;
        let confidence = table(vec![
            ("green".into(), b.figure("tracking.confidence.green", green)),
            ("amber".into(), b.figure("tracking.confidence.amber", amber)),
            ("red".into(), b.figure("tracking.confidence.red", red)),
        ]);
        file.tracking = Some(located(RawTracking {
            confidence: Some(confidence),
        }));
        let taken: HashSet<(&str, &str)> = inputs
            .options
            .iter()
            .filter(|o| o.taken)
            .map(|o| (o.service_id.value.as_str(), o.id.value.as_str()))
            .collect();
        for line in &tracker.lines {
            let known = taken.contains(&(line.service_id.as_str(), line.option_id.as_str()));
            if !known {
                b.problems.push(Problem::new(format!(
                    "the Tracker's line {} / {} (row {}) is not an option taken forward on Inputs",
                    line.service_id,
                    line.option_id,
                    line.row + 1
                )));
            }
        }
    }
    if b.problems.is_empty() {
        Ok(Built {
            raw: file,
            places: b.places,
            notes: b.notes,
        })
    } else {
        Err(b.problems)
    }
}

/// One service and its options.
fn service(
    b: &mut Builder,
    settings: &Settings,
    index: &Index,
    planned: &super::read::PlannedRead,
    options: &[&OptionRead],
) -> RawService {
    let id = &planned.id.value;
    let years = &settings.years;
    let mut service = RawService {
        id: Some(text(id)),
        name: Some(text(&planned.name)),
        ..RawService::default()
    };
    b.cite(&format!("service[{id}]"), &planned.id.at);
    if let Some(area) = options.iter().find_map(|o| o.area.as_deref()) {
        service.area = Some(text(area));
    }
    let mut entries: Vec<(FinancialYear, &Cited<Decimal>)> = Vec::new();
    if !planned.base.value.is_zero() {
        entries.push((settings.base_year.value, &planned.base));
    }
    entries.extend(named(years, &planned.increments));
    if !entries.is_empty() {
        service.planned = Some(b.increments(&format!("service[{id}].planned"), &entries));
    }
    let one_line = matches!(options, [o] if o.id.value == *id && o.name == planned.name);
    let taken = options.iter().any(|o| o.taken);
    if !taken && !options.is_empty() {
        service.deferred = Some(boolean(true));
    }
    for option in options {
        let path = if one_line {
            format!("service[{id}]")
        } else {
            format!("service[{id}].option[{}]", option.id.value)
        };
        let line = index
            .lines
            .get(&(id.as_str(), option.id.value.as_str()))
            .copied();
        let fields = option_fields(b, settings, index, option, &path, line);
        if one_line {
            let OptionFields {
                status,
                optimism_bias,
                saving,
                start,
                ramp,
                one_off_cost,
                rag,
                delivered,
                forecast,
            } = fields;
            service.status = status;
            service.optimism_bias = optimism_bias;
            service.saving = saving;
            service.start = start;
            service.ramp = ramp;
            service.one_off_cost = one_off_cost;
            service.rag = rag;
            service.delivered = delivered;
            service.forecast = forecast;
        } else {
            b.cite(&path, &option.id.at);
            let OptionFields {
                status,
                optimism_bias,
                saving,
                start,
                ramp,
                one_off_cost,
                rag,
                delivered,
                forecast,
            } = fields;
            service.option.push(located(RawOption {
                id: Some(text(&option.id.value)),
                name: Some(text(&option.name)),
                preferred: option.taken.then(|| boolean(true)),
                status,
                optimism_bias,
                saving,
                start,
                ramp,
                one_off_cost,
                rag,
                delivered,
                forecast,
                ..RawOption::default()
            }));
        }
    }
    service
}

/// The fields an option (or a one-line service) is written with.
struct OptionFields {
    status: Option<RawValue>,
    optimism_bias: Option<Located<RawBias>>,
    saving: Option<RawValue>,
    start: Option<RawValue>,
    ramp: Option<RawValue>,
    one_off_cost: Option<RawValue>,
    rag: Option<RawValue>,
    delivered: Option<RawValue>,
    forecast: Option<RawValue>,
}

fn option_fields(
    b: &mut Builder,
    settings: &Settings,
    index: &Index,
    option: &OptionRead,
    path: &str,
    line: Option<&TrackedLine>,
) -> OptionFields {
    let years = &settings.years;
    let status = option.status.as_ref().map_or(Status::Proposed, |s| s.value);
    let mut fields = OptionFields {
        status: None,
        optimism_bias: None,
        saving: None,
        start: None,
        ramp: None,
        one_off_cost: None,
        rag: None,
        delivered: None,
        forecast: None,
    };
    if let Some(s) = &option.status
        && s.value != Status::Proposed
    {
        fields.status = Some(text(s.value.name()));
        b.cite(&format!("{path}.status"), &s.at);
    }
    let key = (option.service_id.value.as_str(), option.id.value.as_str());
    let plan = index.plans.get(&key).copied();
    let saving_path = format!("{path}.saving");
    match &option.saving {
        SavingRead::Ramp {
            saving,
            start,
            ramp,
            ramp_cells,
        } => {
            let in_plan = option.taken && matches!(status, Status::InBase | Status::Withdrawn);
            // An in-base line delivers its plan and a withdrawn one nothing: the plan on
            // Inputs is what the Projection counts, so S is taken from it (a withdrawn line's
            // S cells hold 0), unless the plan is 0 throughout (go-live after the horizon).
            let from_plan = match (in_plan, plan) {
                (true, Some(plan)) if plan.iter().any(|l| !l.value.is_zero()) => {
                    Some(recover_saving(years, plan, start, &ramp.value).ok_or(plan))
                }
                _ => None,
            };
            match from_plan {
                Some(Err(plan)) => {
                    fields.saving = Some(b.levels(&saving_path, years, plan));
                    b.notes.push(format!(
                        "{path}: its plan on Inputs is not a saving S built up by its go-live and ramp, so it is written as the yearly levels the workbook holds"
                    ));
                }
                _ => {
                    fields.saving = Some(match &from_plan {
                        Some(Ok(s)) => {
                            b.cite(&saving_path, &s.at);
                            number(s.value)
                        }
                        // An in-base line's cells hold its central S in every case.
                        _ if in_plan => b.figure(&saving_path, &saving[1]),
                        _ => cases(b, &saving_path, saving),
                    });
                    fields.start = Some(text(&start.value));
                    b.cite(&format!("{path}.start"), &start.at);
                    fields.ramp = Some(match &ramp.value {
                        RampRead::Immediate => text("immediate"),
                        RampRead::Linear(n) => text(&format!("linear {n}")),
                        RampRead::Steps(steps) => {
                            raw(RawKind::Array(steps.iter().map(|s| number(*s)).collect()))
                        }
                    });
                    b.cite(&format!("{path}.ramp"), &ramp.at);
                    for (k, at) in ramp_cells.iter().enumerate() {
                        b.cite(&format!("{path}.ramp[#{}]", k + 1), at);
                    }
                }
            }
            if option.taken
                && status == Status::Approved
                && let Some(plan) = plan
            {
                let central = ramp_levels(years, saving[1].value, start, &ramp.value);
                if let Some(note) = one_plan(b, settings, path, plan, &central, &saving[1].at) {
                    // Optimism bias that only took a share off: S as written is its plan's,
                    // and each case's S as written is the one held over the same share.
                    let written = recover_saving(years, plan, start, &ramp.value);
                    let unbiased = written.and_then(|w| {
                        let r = ratio(w.value, saving[1].value)?;
                        let cases = saving
                            .iter()
                            .map(|c| undo(c.value, r).map(|v| Cited::new(v, c.at.clone())))
                            .collect::<Option<Vec<_>>>()?;
                        Some((r, cases))
                    });
                    if let Some((r, [low, central, high])) = unbiased
                        .map(|(r, c)| (r, <[Cited<Decimal>; 3]>::try_from(c)))
                        .and_then(|(r, c)| c.ok().map(|c| (r, c)))
                    {
                        fields.saving = Some(cases(b, &saving_path, &[low, central, high]));
                        fields.optimism_bias = Some(haircut(b, path, r));
                    } else {
                        b.notes.push(note);
                    }
                }
            }
        }
        SavingRead::Profile if matches!(status, Status::InBase | Status::Withdrawn) => match plan {
            Some(plan) => fields.saving = Some(b.levels(&saving_path, years, plan)),
            None => b.problems.push(Problem::at(
                option.id.at.clone(),
                format!(
                    "{path}: the line is {status}, but its plan is not in the block of plans below"
                ),
            )),
        },
        SavingRead::Profile => {
            let profile = index.profiles.get(&key).copied();
            match profile {
                Some([low, central, high]) => {
                    fields.saving = Some(profile_saving(b, &saving_path, years, [low, central, high]));
                    if status == Status::Approved
                        && let Some(plan) = plan
                    {
                        let levels: Vec<Option<f64>> =
                            central.iter().map(|c| to_f64(c.value)).collect();
                        let at = central.first().map_or(String::new(), |c| c.at.clone());
                        let note = one_plan(b, settings, path, plan, &levels, &at);
                        let unbiased = note
                            .as_ref()
                            .and_then(|_| unbias_profile(plan, [low, central, high]));
                        if let (Some(note), None) = (&note, &unbiased) {
                            b.notes.push(note.clone());
                        }
                        if let Some((r, [low, central, high])) = unbiased {
                            fields.saving = Some(profile_saving(
                                b,
                                &saving_path,
                                years,
                                [&low, &central, &high],
                            ));
                            fields.optimism_bias = Some(haircut(b, path, r));
                        }
                    }
                }
                None => b.problems.push(Problem::at(
                    option.id.at.clone(),
                    format!("{path}: a saving written year by year, but its yearly amounts are not in the block of yearly amounts below"),
                )),
            }
        }
        SavingRead::SteadyOnly(cases_read) => {
            let last = years.len().saturating_sub(1);
            let Some(last_year) = years.get(last) else {
                return fields;
            };
            let level = |b: &mut Builder, case: &str, value: &Cited<Decimal>| {
                let path = format!("{saving_path}{case}.levels");
                table(vec![(
                    "levels".into(),
                    b.years(&path, &[(*last_year, value)]),
                )])
            };
            let [low, central, high] = cases_read;
            fields.saving = Some(
                if low.value == central.value && high.value == central.value {
                    level(b, "", central)
                } else {
                    table(vec![
                        ("low".into(), level(b, ".low", low)),
                        ("central".into(), level(b, ".central", central)),
                        ("high".into(), level(b, ".high", high)),
                    ])
                },
            );
            b.notes.push(format!(
                "{path}: not taken forward, and written year by year: the workbook holds only its steady state, so it is written as that level in {last_year}"
            ));
        }
    }
    let mut costs: Vec<(FinancialYear, &Cited<Decimal>)> = Vec::new();
    if !option.base_cost.value.is_zero() {
        costs.push((settings.base_year.value, &option.base_cost));
    }
    costs.extend(named(years, &option.costs));
    if !costs.is_empty() {
        fields.one_off_cost = Some(b.years(&format!("{path}.one_off_cost"), &costs));
    }
    if let Some(line) = line {
        if let Some(rag) = &line.rag {
            fields.rag = Some(text(rag.value.name()));
            b.cite(&format!("{path}.rag"), &rag.at);
        }
        let typed = |b: &mut Builder, what: &str, entries: &[(FinancialYear, Cited<Decimal>)]| {
            (!entries.is_empty()).then(|| {
                let refs: Vec<(FinancialYear, &Cited<Decimal>)> =
                    entries.iter().map(|(y, v)| (*y, v)).collect();
                b.years(&format!("{path}.{what}"), &refs)
            })
        };
        fields.delivered = typed(b, "delivered", &line.delivered);
        fields.forecast = typed(b, "forecast", &line.forecast);
    }
    fields
}

fn to_f64(d: Decimal) -> Option<f64> {
    d.to_string().parse().ok()
}

/// Whether two figures agree to a double's precision (the workbook's plan of a saving built
/// up from S holds fractions such as 1/6 as the nearest double).
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
}

/// The levels `D(y)` of a saving `s` built up from `start` by `ramp`, as doubles; `None` for a
/// year that cannot be computed.
fn ramp_levels(
    years: &[FinancialYear],
    s: Decimal,
    start: &Cited<String>,
    ramp: &RampRead,
) -> Vec<Option<f64>> {
    years
        .iter()
        .map(|y| {
            share(*y, start, ramp)
                .and_then(|f| s.checked_mul(f))
                .and_then(to_f64)
        })
        .collect()
}

/// An approved line's plan (`LP`, on Inputs below the options) must be its central saving: a
/// scenario holds one plan for it. Where they differ the workbook was made with optimism bias
/// (its figures after it, its plan before it: noted, the saving taken as held) or one was
/// changed and not the other (refused, naming both cells). Returns the note to make where the
/// bias cannot be undone.
fn one_plan(
    b: &mut Builder,
    settings: &Settings,
    path: &str,
    plan: &ByYear,
    central: &[Option<f64>],
    central_at: &str,
) -> Option<String> {
    let differs =
        settings.years.iter().zip(plan).zip(central).find(
            |((_, p), c)| !matches!((to_f64(p.value), c), (Some(p), Some(c)) if close(p, *c)),
        );
    let ((year, plan_cell), _) = differs?;
    if settings.biased {
        Some(format!(
            "{path}: its plan on Inputs ({}) is its saving before optimism bias and differs from its saving after it from {year}, by more than a haircut: the scenario has one plan, its saving as the workbook holds it, so its planned savings to date are that saving's",
            plan_cell.at
        ))
    } else {
        b.problems.push(
            Problem::at(
                plan_cell.at.clone(),
                format!(
                    "the plan of this approved line in {year} ({}) differs from its central saving ({central_at}): a scenario holds one plan for an approved line, its central saving",
                    plan_cell.value
                ),
            )
            .field(path.to_string())
            .help("make the plan and the central saving agree; what the line is now expected to deliver goes on the Tracker as a forecast"),
        );
        None
    }
}

/// The share `r` (0 < r <= 1) of `written` that is `held`, exactly: what is left after an
/// optimism-bias haircut of `1 - r`.
fn ratio(written: Decimal, held: Decimal) -> Option<Decimal> {
    let r = held.checked_div(written)?;
    (r > Decimal::ZERO && r <= Decimal::ONE && written.checked_mul(r)? == held).then_some(r)
}

/// The figure that is `held` after a haircut leaving `r` of it, exactly (none where the
/// division does not terminate).
fn undo(held: Decimal, r: Decimal) -> Option<Decimal> {
    let written = held.checked_div(r)?;
    (written.checked_mul(r)? == held).then(|| written.normalize())
}

/// An approved profile's levels before a haircut that left `r` of them: its plan is its
/// central levels as written, and every case's held level is its written level times `r`.
fn unbias_profile(plan: &ByYear, held: [&ByYear; 3]) -> Option<(Decimal, [ByYear; 3])> {
    let (first, held_first) = plan.iter().zip(held[1]).find(|(p, _)| !p.value.is_zero())?;
    let r = ratio(first.value, held_first.value)?;
    let agrees = plan
        .iter()
        .zip(held[1])
        .all(|(p, h)| p.value.checked_mul(r) == Some(h.value));
    if !agrees {
        return None;
    }
    let undo_case = |levels: &ByYear| {
        levels
            .iter()
            .map(|l| undo(l.value, r).map(|v| Cited::new(v, l.at.clone())))
            .collect::<Option<ByYear>>()
    };
    Some((
        r,
        [
            undo_case(held[0])?,
            undo_case(held[1])?,
            undo_case(held[2])?,
        ],
    ))
}

/// `optimism_bias = { saving = 1 - r }`, the haircut the workbook's figures were made with,
/// and a note saying so.
fn haircut(b: &mut Builder, path: &str, r: Decimal) -> Located<RawBias> {
    let share = (Decimal::ONE - r).normalize();
    b.notes.push(format!(
        "{path}: its saving is written as its plan, and the haircut of optimism bias ({share}) that made the workbook's figures from it is written as its optimism_bias, so that its plan and delivery are the workbook's"
    ));
    located(RawBias {
        saving: Some(number(share)),
        ..RawBias::default()
    })
}

/// The share of `S` counted in `year` for a saving going live at `start` with `ramp`:
/// `r(k) x months / 12` (docs/model.md section 4), exactly.
fn share(year: FinancialYear, start: &Cited<String>, ramp: &RampRead) -> Option<Decimal> {
    let go_live = crate::model::GoLive::parse(&start.value).ok()?;
    let k = year.years_after(go_live.financial_year()) + 1;
    if k < 1 {
        return Some(Decimal::ZERO);
    }
    let (numerator, denominator) = ramp.fraction(usize::try_from(k).ok()?);
    let months = if k == 1 {
        Decimal::from(go_live.months_in_first_year())
    } else {
        Decimal::from(12)
    };
    (numerator * months).checked_div(Decimal::from(denominator) * Decimal::from(12))
}

/// A profile's levels: one table where the three cases agree, else `{ low, central, high }`.
fn profile_saving(
    b: &mut Builder,
    path: &str,
    years: &[FinancialYear],
    [low, central, high]: [&ByYear; 3],
) -> RawValue {
    let same = |a: &ByYear, c: &ByYear| a.iter().zip(c).all(|(x, y)| x.value == y.value);
    if same(low, central) && same(high, central) {
        b.levels(path, years, central)
    } else {
        table(vec![
            ("low".into(), b.levels(&format!("{path}.low"), years, low)),
            (
                "central".into(),
                b.levels(&format!("{path}.central"), years, central),
            ),
            (
                "high".into(),
                b.levels(&format!("{path}.high"), years, high),
            ),
        ])
    }
}

/// `S` as one figure where the three cases agree, else `{ low, central, high }`.
fn cases(b: &mut Builder, path: &str, saving: &[Cited<Decimal>; 3]) -> RawValue {
    let [low, central, high] = saving;
    if low.value == central.value && high.value == central.value {
        b.figure(path, central)
    } else {
        table(vec![
            ("low".into(), b.figure(&format!("{path}.low"), low)),
            (
                "central".into(),
                b.figure(&format!("{path}.central"), central),
            ),
            ("high".into(), b.figure(&format!("{path}.high"), high)),
        ])
    }
}

/// The steady-state saving `S` of a line built up from a go-live and a ramp, from its plan's
/// levels: the last year with a level, divided by the share of `S` counted in it. `None` where
/// the plan has no level, or `S` so found does not give back every level of the plan.
fn recover_saving(
    years: &[FinancialYear],
    plan: &ByYear,
    start: &Cited<String>,
    ramp: &RampRead,
) -> Option<Cited<Decimal>> {
    let (year, level) = years
        .iter()
        .zip(plan)
        .rev()
        .find(|(_, l)| !l.value.is_zero())?;
    let s = level.value.checked_div(share(*year, start, ramp)?)?;
    let s = super::figures::decimal_of_double(to_f64(s)?)?;
    let gives_back = ramp_levels(years, s, start, ramp)
        .iter()
        .zip(plan)
        .all(|(d, l)| matches!((d, to_f64(l.value)), (Some(d), Some(l)) if close(*d, l)));
    gives_back.then(|| Cited::new(s, level.at.clone()))
}
