//! The Summary and Inputs sheets read back: the scenario's settings, each option's row (what it
//! saves, when, how it builds up, what it costs), the yearly amounts of the profiles, the plans
//! of the savings already counted, every service's planned savings and the gap, each figure
//! with the cell it came from. Columns and blocks are found by their headings (the layout of
//! `src/report/xlsx/inputs.rs` and `plan_inputs.rs`), never by position alone, so a workbook
//! that is not laid out as the report lays it out is a problem naming the cell that differs.

use rust_decimal::Decimal;

use super::Problem;
use super::book::{At, Sheet, Value};
use super::figures::{decimal_of_double, figure, required, user_text};
use crate::model::{Case, FinancialYear, Status};

/// A value and the cell it came from (`Inputs!F7`).
#[derive(Clone, Debug, PartialEq)]
pub struct Cited<T> {
    pub value: T,
    pub at: String,
}

impl<T> Cited<T> {
    pub fn new(value: T, at: String) -> Self {
        Self { value, at }
    }
}

/// A figure per projected year (index 0 the first), each with its cell.
pub type ByYear = Vec<Cited<Decimal>>;

/// The Summary's facts and the Inputs' parameters.
#[derive(Clone, Debug)]
pub struct Settings {
    pub name: Cited<String>,
    pub base_year: Cited<FinancialYear>,
    pub horizon: u16,
    pub years: Vec<FinancialYear>,
    pub unit: Cited<String>,
    pub mtfp_period: Cited<(FinancialYear, FinancialYear)>,
    pub overlap: Cited<Decimal>,
    pub discount_rate: Cited<Decimal>,
    /// Whether the Summary's notes say the figures are after optimism bias.
    pub biased: bool,
}

/// How an option's ramp reads back from its shares `r(1)..r(H)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RampRead {
    Immediate,
    Linear(u32),
    Steps(Vec<Decimal>),
}

impl RampRead {
    /// The share reached in year `k` (from 1), as `(numerator, denominator)`.
    pub fn fraction(&self, k: usize) -> (Decimal, u32) {
        match self {
            RampRead::Immediate => (Decimal::ONE, 1),
            RampRead::Linear(n) => (Decimal::from(k.min(*n as usize) as u64), *n),
            RampRead::Steps(steps) => (
                steps
                    .get(k.saturating_sub(1).min(steps.len().saturating_sub(1)))
                    .copied()
                    .unwrap_or(Decimal::ONE),
                1,
            ),
        }
    }
}

/// An option's saving as the workbook holds it.
#[derive(Clone, Debug)]
pub enum SavingRead {
    /// `S` (low, central, high), a go-live and a ramp.
    Ramp {
        saving: [Cited<Decimal>; 3],
        start: Cited<String>,
        /// The ramp, cited at `r(1)`.
        ramp: Cited<RampRead>,
        /// The cell of each share `r(1)..r(H)`.
        ramp_cells: Vec<String>,
    },
    /// Written year by year: its levels are in the block of yearly amounts (or, for a line
    /// in-base or withdrawn, of plans) below the options.
    Profile,
    /// A profile not taken forward: the workbook holds only its steady state (its level in
    /// the last projected year), per case.
    SteadyOnly([Cited<Decimal>; 3]),
}

/// One option's row on Inputs.
#[derive(Clone, Debug)]
pub struct OptionRead {
    pub service_id: Cited<String>,
    pub id: Cited<String>,
    pub name: String,
    pub status: Option<Cited<Status>>,
    pub area: Option<String>,
    pub saving: SavingRead,
    /// One-off costs: the base year's, then each projected year's.
    pub base_cost: Cited<Decimal>,
    pub costs: ByYear,
    /// Whether it is taken forward (it drives the Projection).
    pub taken: bool,
}

/// A service's planned savings row.
#[derive(Clone, Debug)]
pub struct PlannedRead {
    pub id: Cited<String>,
    pub name: String,
    pub base: Cited<Decimal>,
    /// Increments by projected year.
    pub increments: ByYear,
}

/// A pressure or funding line: id, name, levels by year.
#[derive(Clone, Debug)]
pub struct GapLineRead {
    pub id: Cited<String>,
    pub name: String,
    pub levels: ByYear,
}

/// The gap as Inputs holds it.
#[derive(Clone, Debug, Default)]
pub struct GapRead {
    pub net: Option<Cited<Decimal>>,
    pub requirement: Option<ByYear>,
    pub pressures: Vec<GapLineRead>,
    pub funding: Vec<GapLineRead>,
    pub reserves: Option<ByYear>,
    pub unidentified: Option<ByYear>,
    pub required: ByYear,
}

/// Everything Inputs holds.
#[derive(Clone, Debug)]
pub struct InputsRead {
    pub options: Vec<OptionRead>,
    /// The yearly amounts of the profiles taken forward: (service id, option id) and the
    /// levels of each case.
    pub profiles: Vec<((String, String), [ByYear; 3])>,
    /// The plans of the savings already counted: (service id, option id) and levels.
    pub plans: Vec<((String, String), ByYear)>,
    pub planned: Vec<PlannedRead>,
    pub gap: GapRead,
}

/// The rows of the Inputs sheet's parameters and options table (`src/report/xlsx/inputs.rs`).
const OVERLAP_ROW: u32 = 1;
const RATE_ROW: u32 = 2;
const BASE_YEAR_ROW: u32 = 3;
const PARAMETER_COL: u32 = 1;
const OPTIONS_HEADER_ROW: u32 = 5;
/// The base year's column in the blocks by year; year t is `PLAN_BASE + t`.
const PLAN_BASE: u32 = 3;

/// Collects problems (a reading step that fails records why and yields `None`) and notes
/// (what a reader of the scenario should know, though nothing is wrong).
#[derive(Default)]
pub struct Problems {
    pub found: Vec<Problem>,
    pub notes: Vec<String>,
}

impl Problems {
    pub fn keep<T>(&mut self, result: Result<T, Problem>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(p) => {
                self.found.push(p);
                None
            }
        }
    }

    pub fn push(&mut self, problem: Problem) {
        self.found.push(problem);
    }
}

/// The row of the first cell in column A (from `from`, up to `to`) whose text satisfies `test`.
fn find_row(sheet: &Sheet, from: u32, to: u32, test: impl Fn(&str) -> bool) -> Option<u32> {
    (from..=to).find(|r| sheet.text(*r, 0).is_some_and(&test))
}

fn layout_problem(sheet: &Sheet, at: At, expected: &str) -> Problem {
    Problem::at(
        sheet.place(at),
        format!(
            "expected {expected}, found {}: the sheet is not laid out as savings report --format xlsx lays it out",
            sheet.value(at.row, at.col).describe()
        ),
    )
    .help("read back the workbook as the report wrote it: cells may be changed, rows and columns not added, moved or removed")
}

/// The text of a cell that must hold some.
fn text_at(sheet: &Sheet, at: At, expected: &str) -> Result<String, Problem> {
    user_text(sheet, at).ok_or_else(|| layout_problem(sheet, at, expected))
}

/// The Summary's facts and the Inputs' parameters.
pub fn read_settings(summary: &Sheet, inputs: &Sheet, problems: &mut Problems) -> Option<Settings> {
    let last = summary.last_row().unwrap_or(0).min(200);
    let fact = |label: &str| -> Result<(String, At), Problem> {
        let row = find_row(summary, 1, last, |t| t == label).ok_or_else(|| {
            Problem::at(
                summary.place(At::new(0, 0)),
                format!("the Summary has no row labelled {label:?} in column A"),
            )
        })?;
        let at = At::new(row, 1);
        Ok((text_at(summary, at, &format!("the {label}"))?, at))
    };
    let name = problems
        .keep(fact("Scenario"))
        .map(|(t, at)| Cited::new(t, summary.place(at)));
    let base_year = problems.keep(fact("Base year").and_then(|(t, at)| {
        FinancialYear::parse(&t)
            .map(|y| Cited::new(y, summary.place(at)))
            .map_err(|e| Problem::at(summary.place(at), format!("base year: {e}")))
    }));
    let horizon = problems.keep(fact("Horizon").and_then(|(t, at)| {
        t.split_whitespace()
            .next()
            .and_then(|n| n.parse::<u16>().ok())
            .filter(|n| (1..=crate::scenario::MAX_HORIZON).contains(n))
            .ok_or_else(|| {
                layout_problem(
                    summary,
                    at,
                    "the horizon (\"10 years: 2015/16 to 2024/25\")",
                )
            })
    }));
    let unit = problems
        .keep(fact("Unit"))
        .map(|(t, at)| Cited::new(t, summary.place(at)));
    let mtfp_period = problems.keep(fact("MTFP period").and_then(|(t, at)| {
        let parts: Vec<&str> = t.split(" to ").collect();
        match parts.as_slice() {
            [a, b] => match (
                FinancialYear::parse(a.trim()),
                FinancialYear::parse(b.trim()),
            ) {
                (Ok(a), Ok(b)) => Ok(Cited::new((a, b), summary.place(at))),
                (Err(e), _) | (_, Err(e)) => {
                    Err(Problem::at(summary.place(at), format!("MTFP period: {e}")))
                }
            },
            _ => Err(layout_problem(
                summary,
                at,
                "the MTFP period (\"2015/16 to 2016/17\")",
            )),
        }
    }));
    let biased = (0..=last).any(|r| {
        summary
            .text(r, 0)
            .is_some_and(|t| t.starts_with("Optimism bias (HM Treasury Green Book)"))
    });

    let parameter = |row: u32, label: &str| -> Result<Cited<Decimal>, Problem> {
        let label_at = At::new(row, 0);
        if inputs.text(row, 0) != Some(label) {
            return Err(layout_problem(inputs, label_at, &format!("{label:?}")));
        }
        let at = At::new(row, PARAMETER_COL);
        required(inputs, at, label).map(|v| Cited::new(v, inputs.place(at)))
    };
    let overlap = problems.keep(parameter(OVERLAP_ROW, "Overlap w"));
    let discount_rate = problems.keep(parameter(RATE_ROW, "Discount rate"));
    let base_start = problems.keep(parameter(BASE_YEAR_ROW, "Base year starts in"));
    if let (Some(start), Some(base)) = (&base_start, &base_year)
        && start.value != Decimal::from(base.value.start_year())
    {
        problems.push(
            Problem::at(
                start.at.clone(),
                format!(
                    "the base year starts in {}, but the Summary's base year is {} and the workbook is laid out from it",
                    start.value, base.value
                ),
            )
            .help("the years are laid out from the base year: put it back as the report wrote it"),
        );
    }
    let (name, base_year, horizon, unit, mtfp_period, overlap, discount_rate) = (
        name?,
        base_year?,
        horizon?,
        unit?,
        mtfp_period?,
        overlap?,
        discount_rate?,
    );
    let years: Vec<FinancialYear> = base_year.value.following(horizon).collect();
    if years.len() != usize::from(horizon) {
        problems.push(Problem::at(
            base_year.at.clone(),
            "the years after the base year run past the last year this tool models",
        ));
        return None;
    }
    Some(Settings {
        name,
        base_year,
        horizon,
        years,
        unit,
        mtfp_period,
        overlap,
        discount_rate,
        biased,
    })
}

/// The columns of the options table, found by their headings.
struct OptionColumns {
    status: Option<u32>,
    area: Option<u32>,
    saving: [u32; 3],
    go_live_written: u32,
    go_live_year: u32,
    months: u32,
    /// `r(1)`; `r(k)` is `ramp + k - 1`.
    ramp: u32,
    /// The base year's one-off cost; year t is `cost + t`.
    cost: u32,
}

fn option_columns(sheet: &Sheet, settings: &Settings) -> Result<OptionColumns, Problem> {
    let row = OPTIONS_HEADER_ROW;
    let heading = |col: u32| sheet.text(row, col).unwrap_or_default();
    for (col, label) in [
        (0, "Service id"),
        (1, "Service"),
        (2, "Option id"),
        (3, "Option (taken forward)"),
    ] {
        if heading(col) != label {
            return Err(layout_problem(
                sheet,
                At::new(row, col),
                &format!("{label:?}"),
            ));
        }
    }
    let plan = heading(4).starts_with("Status");
    if plan && heading(5) != "Area" {
        return Err(layout_problem(sheet, At::new(row, 5), "\"Area\""));
    }
    let first = if plan { 6 } else { 4 };
    let expect = |col: u32, start: &str| -> Result<u32, Problem> {
        if heading(col).starts_with(start) {
            Ok(col)
        } else {
            Err(layout_problem(
                sheet,
                At::new(row, col),
                &format!("a heading {start:?}..."),
            ))
        }
    };
    let saving = [
        expect(first, "Saving S low")?,
        expect(first + 1, "Saving S central")?,
        expect(first + 2, "Saving S high")?,
    ];
    let go_live_written = expect(first + 3, "Go-live as written")?;
    let go_live_year = expect(first + 4, "Go-live year")?;
    let months = expect(first + 5, "Months counted")?;
    let ramp = first + 6;
    let horizon = u32::from(settings.horizon);
    for k in 1..=horizon {
        expect(ramp + k - 1, &format!("Ramp r({k})"))?;
    }
    let cost = ramp + horizon;
    expect(
        cost,
        &format!("One-off cost {} base year", settings.base_year.value),
    )?;
    for (t, year) in (1..).zip(&settings.years) {
        expect(cost + t, &format!("One-off cost {year} "))?;
    }
    Ok(OptionColumns {
        status: plan.then_some(4),
        area: plan.then_some(5),
        saving,
        go_live_written,
        go_live_year,
        months,
        ramp,
        cost,
    })
}

/// A figure of a block by year or an option's row: a blank cell counts as 0, as the
/// workbook's formulas count it.
fn money_at(sheet: &Sheet, at: At, what: &str) -> Result<Cited<Decimal>, Problem> {
    Ok(Cited::new(
        figure(sheet, at, what)?.unwrap_or(Decimal::ZERO),
        sheet.place(at),
    ))
}

/// The figures of row `row` from column `first + 1` for each projected year.
fn by_year(
    sheet: &Sheet,
    row: u32,
    first: u32,
    settings: &Settings,
    what: &str,
    problems: &mut Problems,
) -> Option<ByYear> {
    let mut out = Vec::with_capacity(settings.years.len());
    let mut ok = true;
    for (t, year) in (1..).zip(&settings.years) {
        match money_at(sheet, At::new(row, first + t), &format!("{what}, {year}")) {
            Ok(v) => out.push(v),
            Err(p) => {
                problems.push(p);
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

/// The year headings of a block by year: `2015/16 (£m)` (`Planned P 2015/16 (£m)`) from
/// column `PLAN_BASE + 1`.
fn check_year_headings(sheet: &Sheet, row: u32, settings: &Settings) -> Result<(), Problem> {
    for (t, year) in (1..).zip(&settings.years) {
        let at = At::new(row, PLAN_BASE + t);
        let text = sheet.text(row, PLAN_BASE + t).unwrap_or_default();
        if !text.contains(&format!("{year} (")) {
            return Err(layout_problem(sheet, at, &format!("the year {year}")));
        }
    }
    Ok(())
}

/// Rows from `first` while column A holds text.
fn rows_from(sheet: &Sheet, first: u32) -> impl Iterator<Item = u32> + '_ {
    (first..).take_while(move |r| !sheet.value(*r, 0).is_blank())
}

/// Reads the Inputs sheet below its parameters.
pub fn read_inputs(
    sheet: &Sheet,
    settings: &Settings,
    problems: &mut Problems,
) -> Option<InputsRead> {
    let columns = problems.keep(option_columns(sheet, settings))?;
    let last = sheet.last_row().unwrap_or(0);
    let mut options = Vec::new();

    // The options taken forward, then (below a heading) the others.
    let taken_first = OPTIONS_HEADER_ROW + 1;
    let none_taken = sheet
        .text(taken_first, 0)
        .is_some_and(|t| t.starts_with("No option is taken forward"));
    if !none_taken {
        for row in rows_from(sheet, taken_first) {
            if let Some(option) = read_option(sheet, row, &columns, settings, true, problems) {
                options.push(option);
            }
        }
    }
    let Some(others_heading) = find_row(sheet, taken_first, last, |t| {
        t.starts_with("Options not taken forward")
    }) else {
        problems.push(Problem::at(
            sheet.place(At::new(taken_first, 0)),
            "Inputs has no heading \"Options not taken forward\" below the options taken forward: the sheet is not laid out as savings report --format xlsx lays it out",
        ));
        return None;
    };
    for row in rows_from(sheet, others_heading + 1) {
        if let Some(option) = read_option(sheet, row, &columns, settings, false, problems) {
            options.push(option);
        }
    }

    // The blocks by year, each found by its heading in column A.
    let block = |start: &str| find_row(sheet, others_heading, last, |t| t.starts_with(start));
    let mut profiles = Vec::new();
    if let Some(heading) = block("Savings written as yearly amounts") {
        let header = heading + 1;
        problems.keep(check_year_headings(sheet, header, settings))?;
        for row in rows_from(sheet, header + 1) {
            let case = sheet.text(row, PLAN_BASE).unwrap_or_default();
            let index = Case::ALL.iter().position(|c| c.name() == case);
            let key = keys(sheet, row, problems)?;
            let levels = by_year(sheet, row, PLAN_BASE, settings, "yearly amount", problems)?;
            match index {
                Some(0) => profiles.push((key, [levels, Vec::new(), Vec::new()])),
                Some(i) => match profiles.last_mut() {
                    Some((k, cases)) if *k == key => cases[i] = levels,
                    _ => {
                        problems.push(layout_problem(
                            sheet,
                            At::new(row, PLAN_BASE),
                            "\"low\" first",
                        ));
                        return None;
                    }
                },
                None => {
                    problems.push(layout_problem(
                        sheet,
                        At::new(row, PLAN_BASE),
                        "a case (low, central or high)",
                    ));
                    return None;
                }
            }
        }
    }
    let mut plans = Vec::new();
    if let Some(heading) = block("The plan of each saving already counted") {
        let header = heading + 1;
        problems.keep(check_year_headings(sheet, header, settings))?;
        for row in rows_from(sheet, header + 1) {
            let key = keys(sheet, row, problems)?;
            let levels = by_year(sheet, row, PLAN_BASE, settings, "plan", problems)?;
            plans.push((key, levels));
        }
    }
    let Some(planned_header) = (others_heading..=last).find(|r| {
        sheet.text(*r, 0) == Some("Service id")
            && sheet
                .text(*r, 2)
                .is_some_and(|t| t.starts_with("Counted in planned savings"))
    }) else {
        problems.push(Problem::at(
            sheet.place(At::new(others_heading, 0)),
            "Inputs has no table of planned savings (\"Counted in planned savings to date\"): the sheet is not laid out as savings report --format xlsx lays it out",
        ));
        return None;
    };
    problems.keep(check_year_headings(sheet, planned_header, settings))?;
    let mut planned = Vec::new();
    for row in rows_from(sheet, planned_header + 1) {
        let id = problems.keep(text_at(sheet, At::new(row, 0), "a service id"));
        let name = user_text(sheet, At::new(row, 1)).unwrap_or_default();
        let base = problems.keep(money_at(
            sheet,
            At::new(row, PLAN_BASE),
            &format!("planned savings, {} (base year)", settings.base_year.value),
        ));
        let increments = by_year(sheet, row, PLAN_BASE, settings, "planned savings", problems);
        if let (Some(id), Some(base), Some(increments)) = (id, base, increments) {
            planned.push(PlannedRead {
                id: Cited::new(id, sheet.place(At::new(row, 0))),
                name,
                base,
                increments,
            });
        }
    }
    let gap = read_gap(sheet, planned_header, last, settings, problems)?;
    Some(InputsRead {
        options,
        profiles,
        plans,
        planned,
        gap,
    })
}

/// The service and option ids in columns A and C of a block's row.
fn keys(sheet: &Sheet, row: u32, problems: &mut Problems) -> Option<(String, String)> {
    let service = problems.keep(text_at(sheet, At::new(row, 0), "a service id"));
    let option = problems.keep(text_at(sheet, At::new(row, 2), "an option id"));
    Some((service?, option?))
}

/// The gap block at the foot of Inputs.
fn read_gap(
    sheet: &Sheet,
    from: u32,
    last: u32,
    settings: &Settings,
    problems: &mut Problems,
) -> Option<GapRead> {
    let Some(header) = find_row(sheet, from, last, |t| t == "The MTFP's gap") else {
        problems.push(Problem::at(
            sheet.place(At::new(from, 0)),
            "Inputs has no block \"The MTFP's gap\": the sheet is not laid out as savings report --format xlsx lays it out",
        ));
        return None;
    };
    problems.keep(check_year_headings(sheet, header, settings))?;
    let mut gap = GapRead::default();
    let mut required_seen = false;
    for row in rows_from(sheet, header + 1) {
        let label = sheet.text(row, 0).unwrap_or_default();
        let kind = sheet.text(row, 2).unwrap_or_default();
        let figures = |what: &str, problems: &mut Problems| {
            by_year(sheet, row, PLAN_BASE, settings, what, problems)
        };
        if kind == "pressure: level in force" || kind == "funding: level" {
            let id = problems.keep(text_at(sheet, At::new(row, 0), "an id"));
            let name = user_text(sheet, At::new(row, 1)).unwrap_or_default();
            let levels = figures(kind, problems);
            if let (Some(id), Some(levels)) = (id, levels) {
                let line = GapLineRead {
                    id: Cited::new(id, sheet.place(At::new(row, 0))),
                    name,
                    levels,
                };
                if kind.starts_with("pressure") {
                    gap.pressures.push(line);
                } else {
                    gap.funding.push(line);
                }
            }
        } else if label.starts_with("Net budget of the base year") {
            gap.net = problems.keep(money_at(sheet, At::new(row, PLAN_BASE), "net budget"));
        } else if label.starts_with("Budget requirement RQ(y)") {
            gap.requirement = figures("budget requirement", problems);
        } else if label.starts_with("Reserves used V(y)") {
            gap.reserves = figures("reserves used", problems);
        } else if label.starts_with("Unidentified gap G(y)") {
            gap.unidentified = figures("unidentified gap", problems);
        } else if label.starts_with("Savings required by the MTFP") {
            gap.required = figures("savings required", problems).unwrap_or_default();
            required_seen = true;
        } else {
            problems.push(layout_problem(sheet, At::new(row, 0), "a row of the gap"));
        }
    }
    if !required_seen {
        problems.push(Problem::at(
            sheet.place(At::new(header, 0)),
            "the gap block has no row \"Savings required by the MTFP\": the sheet is not laid out as savings report --format xlsx lays it out",
        ));
        return None;
    }
    Some(gap)
}

/// One option's row.
fn read_option(
    sheet: &Sheet,
    row: u32,
    columns: &OptionColumns,
    settings: &Settings,
    taken: bool,
    problems: &mut Problems,
) -> Option<OptionRead> {
    let at = |col: u32| At::new(row, col);
    let service_id = problems.keep(text_at(sheet, at(0), "a service id"));
    let id = problems.keep(text_at(sheet, at(2), "an option id"));
    let name = user_text(sheet, at(3)).unwrap_or_default();
    let status = match columns.status {
        Some(col) => {
            let word = sheet.text(row, col).unwrap_or_default().to_lowercase();
            match Status::ALL.into_iter().find(|s| s.name() == word) {
                Some(s) => Some(Cited::new(s, sheet.place(at(col)))),
                None if word.is_empty() => None,
                None => {
                    problems.push(
                        Problem::at(
                            sheet.place(at(col)),
                            format!(
                                "status: expected proposed, approved, in-base or withdrawn, found {}",
                                sheet.value(row, col).describe()
                            ),
                        )
                        .field("status"),
                    );
                    return None;
                }
            }
        }
        None => None,
    };
    let area = columns.area.and_then(|col| user_text(sheet, at(col)));
    let written = sheet
        .text(row, columns.go_live_written)
        .unwrap_or_default()
        .to_string();
    let profile = written.starts_with("yearly amounts");
    let cases = |problems: &mut Problems| -> Option<[Cited<Decimal>; 3]> {
        let [l, c, h] = columns.saving;
        let low = problems.keep(money_at(sheet, at(l), "saving S low"));
        let central = problems.keep(money_at(sheet, at(c), "saving S central"));
        let high = problems.keep(money_at(sheet, at(h), "saving S high"));
        Some([low?, central?, high?])
    };
    let saving = if profile && taken {
        SavingRead::Profile
    } else if profile {
        SavingRead::SteadyOnly(cases(problems)?)
    } else {
        let saving = cases(problems)?;
        let start = problems.keep(go_live(sheet, row, columns, &written));
        if let Some(start) = &start
            && start.value != written
            && !(written.is_empty() && start.value.contains('/'))
        {
            problems.notes.push(format!(
                "{}: the go-live as written ({written:?}) is not the go-live year and months counted beside it ({}), which the Projection counts: the scenario takes {}",
                sheet.place(At::new(row, columns.go_live_written)),
                start.at,
                start.value
            ));
        }
        let ramp = problems.keep(ramp_of(sheet, row, columns, settings));
        let ramp_cells = (0..u32::from(settings.horizon))
            .map(|k| sheet.place(At::new(row, columns.ramp + k)))
            .collect();
        SavingRead::Ramp {
            saving,
            start: start?,
            ramp: ramp?,
            ramp_cells,
        }
    };
    let base_cost = problems.keep(money_at(
        sheet,
        at(columns.cost),
        &format!("one-off cost, {} (base year)", settings.base_year.value),
    ));
    let costs = by_year(sheet, row, columns.cost, settings, "one-off cost", problems);
    Some(OptionRead {
        service_id: Cited::new(service_id?, sheet.place(at(0))),
        id: Cited::new(id?, sheet.place(at(2))),
        name,
        status,
        area,
        saving,
        base_cost: base_cost?,
        costs: costs?,
        taken,
    })
}

/// The go-live: the Projection counts it from the go-live year and the months counted in it,
/// so those decide; the text as written is kept where it says the same.
fn go_live(
    sheet: &Sheet,
    row: u32,
    columns: &OptionColumns,
    written: &str,
) -> Result<Cited<String>, Problem> {
    let year_at = At::new(row, columns.go_live_year);
    let months_at = At::new(row, columns.months);
    let year = required(sheet, year_at, "go-live year")?;
    let months = required(sheet, months_at, "months counted in the go-live year")?;
    let whole = |d: Decimal, at: At, what: &str, range: std::ops::RangeInclusive<i64>| {
        let n = i64::try_from(d)
            .ok()
            .filter(|n| Decimal::from(*n) == d && range.contains(n));
        n.ok_or_else(|| {
            Problem::at(
                sheet.place(at),
                format!(
                    "{what}: expected a whole number from {} to {}, found {d}",
                    range.start(),
                    range.end()
                ),
            )
        })
    };
    let year = whole(year, year_at, "go-live year", 1000..=9998)?;
    let months = whole(
        months,
        months_at,
        "months counted in the go-live year",
        1..=12,
    )?;
    // April is 12 months counted, March 1.
    let index = 12 - months;
    let (calendar_year, month) = if index < 9 {
        (year, index + 4)
    } else {
        (year + 1, index - 8)
    };
    let as_month = format!("{calendar_year:04}-{month:02}");
    let as_year = format!("{year:04}/{:02}", (year + 1) % 100);
    let text = if written == as_month || (months == 12 && written == as_year) {
        written.to_string()
    } else if months == 12 {
        as_year
    } else {
        as_month
    };
    Ok(Cited::new(text, sheet.place(year_at)))
}

/// Reads the ramp's shares `r(1)..r(H)`: `linear N` where they are k/N (a share that does
/// not terminate as a decimal, such as 1/3, is held by the cell only to a double's precision),
/// else the steps up to the first full share (1 added after the horizon where the saving is
/// not fully built up within it: no year counts it).
fn ramp_of(
    sheet: &Sheet,
    row: u32,
    columns: &OptionColumns,
    settings: &Settings,
) -> Result<Cited<RampRead>, Problem> {
    let first = At::new(row, columns.ramp);
    let mut shares = Vec::with_capacity(settings.years.len());
    for k in 0..u32::from(settings.horizon) {
        let at = At::new(row, columns.ramp + k);
        let value = sheet.value(at.row, at.col);
        let share = match value {
            Value::Number(f) => *f,
            _ => figure(sheet, at, &format!("ramp r({})", k + 1))?
                .and_then(|d| d.to_string().parse::<f64>().ok())
                .unwrap_or(0.0),
        };
        shares.push((share, at));
    }
    let cited = |ramp| Cited::new(ramp, sheet.place(first));
    if shares.iter().all(|(s, _)| *s == 1.0) {
        return Ok(cited(RampRead::Immediate));
    }
    let exact: Vec<Option<Decimal>> = shares.iter().map(|(s, _)| decimal_of_double(*s)).collect();
    // Linear N: r(1) = 1/N and r(k) = min(k, N)/N.
    if let Some((r1, _)) = shares.first()
        && *r1 > 0.0
    {
        let n = (1.0 / r1).round();
        if (2.0..=10_000.0).contains(&n) {
            let n = n as u32;
            let linear = shares.iter().enumerate().all(|(i, (s, _))| {
                let k = (i as u32 + 1).min(n);
                (s - f64::from(k) / f64::from(n)).abs() <= 1e-12
            });
            // Where every share terminates (linear 2 is 0.5, 1), the steps say the same
            // exactly; linear N is needed where one does not (1/3).
            let terminating = |k: u32| {
                let mut d = n / gcd(k, n);
                while d.is_multiple_of(2) {
                    d /= 2;
                }
                while d.is_multiple_of(5) {
                    d /= 5;
                }
                d == 1
            };
            if linear && (1..=n).any(|k| !terminating(k)) {
                return Ok(cited(RampRead::Linear(n)));
            }
        }
    }
    let mut steps = Vec::new();
    for ((_, at), value) in shares.iter().zip(&exact) {
        let Some(value) = value else {
            return Err(Problem::at(
                sheet.place(*at),
                "ramp share: cannot be held exactly as a decimal",
            ));
        };
        steps.push(*value);
        if *value == Decimal::ONE {
            break;
        }
    }
    if steps.last() != Some(&Decimal::ONE) {
        steps.push(Decimal::ONE);
    }
    Ok(cited(RampRead::Steps(steps)))
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greatest_common_divisor() {
        assert_eq!(gcd(4, 6), 2);
        assert_eq!(gcd(3, 3), 3);
        assert_eq!(gcd(1, 7), 1);
    }
}
