//! `savings sweep`: one or two inputs varied over a range, like a spreadsheet data table.
//! Each point is the scenario with the values set (as `--set` would), validated and
//! projected in full; on a plan (docs/model.md section 9), a factor on a whole saving
//! (`service[x].saving.factor`) scales every figure of it, and an approved line keeps its plan
//! while what it delivers is varied ([`vary::keep_plans`]).

use std::sync::Arc;

use rust_decimal::Decimal;

use crate::analysis::solve::{saving_case, saving_of};
use crate::analysis::vary::{self, LinePath};
use crate::model::{Cases, DiscountRate, FinancialYear, Money, Scenario, Share, plain};
use crate::projection::totals::{Headroom, Totals};
use crate::projection::{self, Changed, Projection};
use crate::scenario::edit::{self, FieldPath, Step};
use crate::scenario::number::parse_literal;
use crate::scenario::raw::{self, Loc, RawKind, RawValue, SourceId};
use crate::scenario::{Diagnostic, Loaded, Prepared};

/// The most points one sweep may have.
pub const MAX_POINTS: usize = 100_000;

/// One varied input: its field and the values to try.
#[derive(Clone, Debug)]
pub struct Axis {
    /// The path as typed, which also heads its CSV column.
    pub label: String,
    pub path: FieldPath,
    pub values: Vec<AxisValue>,
}

/// One value of an axis: its exact text and the TOML value it stands for.
#[derive(Clone, Debug)]
pub struct AxisValue {
    pub text: String,
    pub kind: RawKind,
}

impl Axis {
    /// Reads `PATH=START:END:STEP` (exact decimals; END included when a step lands on it) or
    /// `PATH=V1,V2,...` (TOML values: numbers as written, text in quotes).
    pub fn parse(arg: &str) -> Result<Self, String> {
        let (label, spec) = arg.split_once('=').ok_or_else(|| {
            format!("--vary {arg:?}: expected PATH=START:END:STEP or PATH=V1,V2,...")
        })?;
        let label = label.trim().to_string();
        let path = FieldPath::parse(&label).map_err(|e| format!("--vary {label}: {e}"))?;
        let spec = spec.trim();
        let values = if spec.contains(':') && !spec.contains(',') && !spec.starts_with('"') {
            range(&label, spec)?
        } else {
            list(&label, spec)?
        };
        if values.is_empty() {
            return Err(format!("--vary {label}: no values"));
        }
        Ok(Self {
            label,
            path,
            values,
        })
    }
}

fn figure(label: &str, text: &str) -> Result<Decimal, String> {
    parse_literal(text.trim()).map_err(|e| format!("--vary {label}: {}", e.describe(text.trim())))
}

fn range(label: &str, spec: &str) -> Result<Vec<AxisValue>, String> {
    let parts: Vec<&str> = spec.split(':').collect();
    let [start, end, step] = parts.as_slice() else {
        return Err(format!(
            "--vary {label}: a range is START:END:STEP, found {spec:?}"
        ));
    };
    let (start, end, step) = (
        figure(label, start)?,
        figure(label, end)?,
        figure(label, step)?,
    );
    if step <= Decimal::ZERO {
        return Err(format!(
            "--vary {label}: the step must be above 0, found {step}"
        ));
    }
    if end < start {
        return Err(format!(
            "--vary {label}: the range runs from {start} down to {end}; write START:END with START <= END"
        ));
    }
    let mut steps = ((end - start) / step).floor();
    // The quotient is rounded to 28 digits, which can carry it up to the next whole number
    // (5.9999999999999999999999999999 / 2 rounds to 3): step back while the last value
    // would pass the end, checked by exact multiplication.
    while steps > Decimal::ZERO
        && step
            .checked_mul(steps)
            .and_then(|d| d.checked_add(start))
            .is_none_or(|last| last > end)
    {
        steps -= Decimal::ONE;
    }
    if steps >= Decimal::from(MAX_POINTS) {
        return Err(format!(
            "--vary {label}: {start}:{end}:{step} has more than {MAX_POINTS} values, above the limit for a sweep"
        ));
    }
    let count = u32::try_from(steps.mantissa() / 10i128.pow(steps.scale())).unwrap_or(0) + 1;
    (0..count)
        .map(|i| {
            let value = step
                .checked_mul(Decimal::from(i))
                .and_then(|d| d.checked_add(start))
                .ok_or_else(|| format!("--vary {label}: the range overflows"))?;
            let text = plain(value);
            Ok(AxisValue {
                kind: RawKind::Number {
                    value: Ok(value.normalize()),
                    literal: text.clone(),
                    integer: value.fract().is_zero() && !text.contains('.'),
                },
                text,
            })
        })
        .collect()
}

fn list(label: &str, spec: &str) -> Result<Vec<AxisValue>, String> {
    let text: Arc<str> = Arc::from(format!("[{spec}]"));
    let parsed = raw::parse_value(SourceId(usize::MAX), &text)
        .map_err(|e| format!("--vary {label}: {spec:?} is not a list of TOML values ({}); write numbers as written and text in quotes", e.message().trim()))?;
    let RawKind::Array(items) = parsed.kind else {
        return Err(format!("--vary {label}: expected a list of values"));
    };
    if items.len() > MAX_POINTS {
        return Err(format!(
            "--vary {label}: more than {MAX_POINTS} values, above the limit for a sweep"
        ));
    }
    Ok(items
        .into_iter()
        .map(|item| AxisValue {
            text: match &item.kind {
                RawKind::Number { value: Ok(d), .. } => plain(*d),
                RawKind::Number { literal, .. } => literal.clone(),
                RawKind::String(s) => s.clone(),
                RawKind::Bool(b) => b.to_string(),
                other => other.describe(),
            },
            kind: item.kind,
        })
        .collect())
}

/// What a sweep reports at one point.
#[derive(Clone, Debug)]
pub struct Point {
    /// The value of each axis, as text.
    pub values: Vec<String>,
    pub scenario_name: String,
    pub years: Vec<FinancialYear>,
    /// Years named in the unidentified gap.
    pub gap_years: Vec<FinancialYear>,
    pub total_saving: Cases<Money>,
    pub npv: Cases<Money>,
    /// `R(y)` for every projected year.
    pub remaining_gap: Cases<Vec<Money>>,
    /// Years closed in the central case.
    pub closed: Vec<FinancialYear>,
}

/// What one axis changes in the validated scenario, which says how little of it a point
/// must validate and project again ([`projection::reproject`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reach {
    /// `scenario.overlap`: only `N`, `R` and the totals move; the value is checked by the
    /// rule the validator applies ([`Share::new`]) and set on the validated scenario.
    Overlap,
    /// `scenario.discount_rate`: only the NPVs move; checked by [`DiscountRate::new`].
    DiscountRate,
    /// A field of one service (by index): the scenario is validated again, and only that
    /// service projected again.
    Service(usize),
    /// Anything else: validated and projected in full.
    Scenario,
}

impl Reach {
    fn of(path: &FieldPath, scenario: &Scenario) -> Self {
        let key = |step: &Step, name: &str| matches!(step, Step::Key(k) if k == name);
        match path.0.as_slice() {
            [s, f] if key(s, "scenario") && key(f, "overlap") => Reach::Overlap,
            [s, f] if key(s, "scenario") && key(f, "discount_rate") => Reach::DiscountRate,
            [s, at, _, ..] if key(s, "service") => {
                let index = match at {
                    Step::Id(id) => scenario.services.iter().position(|s| s.id == *id),
                    Step::Position(n) => n.checked_sub(1).filter(|i| *i < scenario.services.len()),
                    Step::Key(_) => None,
                };
                index.map_or(Reach::Scenario, Reach::Service)
            }
            _ => Reach::Scenario,
        }
    }
}

/// The scenario as it stands, validated and projected once, from which every point starts.
struct Start<'a> {
    prepared: &'a Prepared,
    axes: &'a [Axis],
    paths: Vec<&'a FieldPath>,
    base: Loaded,
    projection: Projection,
    reaches: Vec<Reach>,
    /// How far sums of the lines' `N` can grow: whether a new overlap may be counted on the
    /// totals alone ([`totals`](projection::totals)).
    headroom: Option<Headroom>,
}

impl Start<'_> {
    /// The value of each axis at point `index` (the first axis slowest).
    fn picks(&self, index: usize) -> Vec<&AxisValue> {
        let mut rest = index;
        let mut picks = Vec::with_capacity(self.axes.len());
        for axis in self.axes.iter().rev() {
            picks.push(&axis.values[rest % axis.values.len()]);
            rest /= axis.values.len();
        }
        picks.reverse();
        picks
    }

    /// The point at `index`. `scenario` is a working copy of the validated scenario, for
    /// points that only set a scenario-wide figure on it.
    fn point(&self, index: usize, scenario: &mut Scenario) -> Result<Point, Diagnostic> {
        let picks = self.picks(index);
        let values: Vec<String> = picks.iter().map(|v| v.text.clone()).collect();
        let mut changed = Changed::default();
        let mut figures_only = true;
        for (reach, value) in self.reaches.iter().zip(&picks) {
            let figure = match &value.kind {
                RawKind::Number { value: Ok(d), .. } => Some(*d),
                _ => None,
            };
            match reach {
                Reach::Overlap => match figure.and_then(Share::new) {
                    Some(w) => {
                        scenario.overlap = w;
                        changed.overlap = true;
                    }
                    None => figures_only = false,
                },
                Reach::DiscountRate => match figure.and_then(DiscountRate::new) {
                    Some(r) => {
                        scenario.discount_rate = r;
                        changed.discount_rate = true;
                    }
                    None => figures_only = false,
                },
                Reach::Service(_) | Reach::Scenario => figures_only = false,
            }
        }
        // Only the totals are counted again; a figure that cannot be counted is named as the
        // full route names it, below.
        let countable = !changed.overlap
            || self
                .headroom
                .is_some_and(|headroom| headroom.holds(scenario.overlap));
        if figures_only
            && countable
            && let Some(Ok(totals)) =
                projection::totals::totals(scenario, &self.projection, changed)
        {
            return Ok(point_of(values, scenario, &self.projection, &totals));
        }
        // Set as `--set` would, and validated in full: a value out of range is refused by
        // the validator's own message, naming the point.
        let mut variant = self.prepared.clone();
        for ((axis, value), reach) in self.axes.iter().zip(&picks).zip(&self.reaches) {
            // Named as typed: text in quotes.
            let typed = match &value.kind {
                RawKind::String(_) => format!("{:?}", value.text),
                _ => value.text.clone(),
            };
            let label = format!("--vary {}={typed}", axis.label);
            match LinePath::of(&axis.path).filter(LinePath::is_factor) {
                Some(line) => set_factor(&mut variant, &label, &line, &value.kind)?,
                None => variant.set_value(&label, &axis.path, &typed, value.kind.clone())?,
            }
            match reach {
                Reach::Overlap => changed.overlap = true,
                Reach::DiscountRate => changed.discount_rate = true,
                Reach::Service(_) | Reach::Scenario => {}
            }
        }
        let mut loaded = variant
            .validate()
            .map_err(|e| with_cases_help(e, self.prepared, self.axes, &values))?;
        vary::keep_plans(&mut loaded.scenario, &self.base.scenario, &self.paths);
        let services: Vec<usize> = self
            .reaches
            .iter()
            .filter_map(|r| match r {
                Reach::Service(i) => Some(*i),
                _ => None,
            })
            .collect();
        let projected = if self.reaches.contains(&Reach::Scenario)
            || services.iter().any(|i| *i != services[0])
        {
            projection::project(&loaded.scenario)
        } else {
            changed.service = services.first().copied();
            projection::reproject(&loaded.scenario, &self.projection, changed)
        };
        let projection = projected.map_err(|e| {
            loaded
                .sources
                .diagnostic_for_field(e.field.as_deref(), e.to_string())
        })?;
        let totals = Totals::of(&projection.total);
        Ok(point_of(values, &loaded.scenario, &projection, &totals))
    }
}

/// What a sweep reports of a point: the scenario, the years of its projection and its
/// totals.
fn point_of(
    values: Vec<String>,
    scenario: &Scenario,
    projection: &Projection,
    totals: &Totals,
) -> Point {
    Point {
        values,
        scenario_name: scenario.name.clone(),
        gap_years: scenario.gap_years(),
        years: projection.years.clone(),
        total_saving: totals.summary.map(|_, s| s.total_saving),
        npv: totals.summary.map(|_, s| s.npv),
        remaining_gap: totals.remaining_gap.clone(),
        closed: totals.summary.central.closed_years.clone(),
    }
}

/// Every point of the grid of `axes` (one axis, or two for a grid), in order: the first
/// axis slowest. The scenario is validated and projected once; each point validates and
/// projects again only what its values reach ([`Reach`]). Points are shared out over
/// `threads` in runs of consecutive points, and put back in order, so the result (and the
/// first point refused, where one is) does not depend on `threads`.
pub fn sweep(prepared: &Prepared, axes: &[Axis], threads: usize) -> Result<Vec<Point>, Diagnostic> {
    let count = axes
        .iter()
        .try_fold(1usize, |n, a| n.checked_mul(a.values.len()))
        .filter(|n| *n <= MAX_POINTS)
        .ok_or_else(|| {
            Diagnostic::file(
                "--vary",
                format!(
                    "the sweep has {} points, above the limit of {MAX_POINTS}",
                    axes.iter()
                        .map(|a| a.values.len().to_string())
                        .collect::<Vec<_>>()
                        .join(" x ")
                ),
            )
        })?;
    let base = prepared.validate()?;
    if let [first, second] = axes
        && let (Some(a), Some(b)) = (field_set(prepared, first), field_set(prepared, second))
        && let Some(clash) = clash(&a, &b)
    {
        return Err(Diagnostic::file(
            "--vary",
            format!(
                "{clash} ({} and {}); a grid varies two different inputs",
                first.label, second.label
            ),
        ));
    }
    for axis in axes {
        let figures = axis
            .values
            .iter()
            .all(|v| matches!(v.kind, RawKind::Number { .. }));
        vary::check(&base.scenario, prepared.raw(), &axis.path, figures)
            .map_err(|e| Diagnostic::file(&format!("--vary {}", axis.label), e))?;
    }
    let projection = projection::project(&base.scenario).map_err(|e| {
        base.sources
            .diagnostic_for_field(e.field.as_deref(), e.to_string())
    })?;
    let start = Start {
        prepared,
        axes,
        paths: axes.iter().map(|a| &a.path).collect(),
        reaches: axes
            .iter()
            .map(|a| Reach::of(&a.path, &base.scenario))
            .collect(),
        headroom: Headroom::of(&base.scenario, &projection),
        base,
        projection,
    };
    let threads = threads.clamp(1, count.max(1));
    let per_thread = count.div_ceil(threads);
    let start = &start;
    let runs: Vec<Result<Vec<Point>, Diagnostic>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    let mut scenario = start.base.scenario.clone();
                    (t * per_thread..((t + 1) * per_thread).min(count))
                        .map(|index| start.point(index, &mut scenario))
                        .collect::<Result<Vec<_>, _>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join().unwrap_or_else(|_| {
                    Err(Diagnostic::file(
                        "--vary",
                        "a worker thread of the sweep stopped".to_string(),
                    ))
                })
            })
            .collect()
    });
    let mut points = Vec::with_capacity(count);
    for run in runs {
        points.extend(run?);
    }
    Ok(points)
}

/// The field an axis sets, named as messages name it whatever its spelling (`service[#1]` is
/// `service[legal]`); a factor on a saving sets the saving. `None` where the path names no
/// field: its points are refused with the message for that.
fn field_set(prepared: &Prepared, axis: &Axis) -> Option<String> {
    let path = match LinePath::of(&axis.path).filter(LinePath::is_factor) {
        Some(line) => line.saving(),
        None => axis.path.clone(),
    };
    let value = RawValue {
        kind: axis.values.first()?.kind.clone(),
        at: Loc::default(),
    };
    edit::set(&mut prepared.raw().clone(), &path, value).ok()
}

/// Whether `inner` is the field `outer` or a part of it (`saving.central` of `saving`), as
/// [`field_set`] names them.
fn within(inner: &str, outer: &str) -> bool {
    inner
        .strip_prefix(outer)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

/// Fields of which setting one clears the other ([`edit::set`]): the two ways to give the
/// budget.
const EXCLUSIVE: [(&str, &str); 1] = [("budget.net", "budget.requirement")];

/// Whether setting field `a` clears field `b` or a part of it, or `b` clears `a`.
fn exclusive(a: &str, b: &str) -> bool {
    EXCLUSIVE
        .iter()
        .any(|(x, y)| (within(a, x) && within(b, y)) || (within(a, y) && within(b, x)))
}

/// Why two axes setting fields `a` and `b` cannot make a grid, if they cannot: one would
/// overwrite or clear what the other set at each point.
fn clash(a: &str, b: &str) -> Option<String> {
    if a == b {
        Some(format!("{a} is varied twice"))
    } else if within(a, b) || within(b, a) {
        let (inner, outer) = if a.len() > b.len() { (a, b) } else { (b, a) };
        Some(format!("{inner} is part of {outer}, and both are varied"))
    } else if exclusive(a, b) {
        Some(format!(
            "{a} and {b} are two ways to give the budget, and setting one clears the other"
        ))
    } else {
        None
    }
}

/// Sets the line's saving to the saving as it stands times the factor `kind` (a number from 0).
fn set_factor(
    variant: &mut Prepared,
    label: &str,
    line: &LinePath,
    kind: &RawKind,
) -> Result<(), Diagnostic> {
    let factor = match kind {
        RawKind::Number { value: Ok(v), .. } if !v.is_sign_negative() => *v,
        other => {
            return Err(Diagnostic::file(
                label,
                format!(
                    "a factor on a saving is a number from 0 (1 is the saving as written), found {}",
                    other.describe()
                ),
            ));
        }
    };
    let saving = line.raw_saving(variant.raw()).ok_or_else(|| {
        Diagnostic::file(
            label,
            format!("{} has no saving written to scale", line.option),
        )
    })?;
    let (scaled, text) = vary::scaled(saving, factor).ok_or_else(|| {
        Diagnostic::file(
            label,
            format!(
                "{} x the saving of {} cannot be held exactly (more than 28 decimal places)",
                plain(factor),
                line.option
            ),
        )
    })?;
    variant.set_value(label, &line.saving(), &text, scaled)
}

/// What the reader of a sweep should know of the lines it varies: an approved line keeps its
/// plan while what it delivers is varied.
pub fn notes(prepared: &Prepared, loaded: &Loaded, axes: &[Axis]) -> Vec<String> {
    let base = &loaded.scenario;
    // An override of a field a point sets, or clears, is replaced at every point. (A factor
    // scales the saving as it stands, the override's included; an axis inside an override's
    // field replaces only its own part.)
    let replaced = loaded.set_fields.iter().filter_map(|set| {
        let axis = axes.iter().find(|axis| {
            let factor = LinePath::of(&axis.path).is_some_and(|line| line.is_factor());
            !factor
                && field_set(prepared, axis).is_some_and(|field| {
                    within(&set.field, &field) || exclusive(&set.field, &field)
                })
        })?;
        Some(format!(
            "{} is replaced at every point by --vary {}.",
            set.typed, axis.label
        ))
    });
    let lines: Vec<String> = axes
        .iter()
        .filter_map(|a| LinePath::of(&a.path))
        .filter_map(|line| line.find(base))
        .filter(|(_, option)| option.status == crate::model::Status::Approved)
        .map(|(service, option)| service.option_path(option))
        .collect();
    let factor = axes
        .iter()
        .any(|a| LinePath::of(&a.path).is_some_and(|l| l.is_factor()));
    factor
        .then(|| {
            format!(
                "A factor on a saving (saving.{}) multiplies every figure of the saving as written, in every year and case; 1 is the saving as written.",
                vary::FACTOR
            )
        })
        .into_iter()
        .chain(vary::plan_note(&lines))
        .chain(replaced)
        .collect()
}

/// A sweep of one case of a saving sets that case alone: where a value passes another case
/// (central below low), the message says how to move all three together, as `solve` does by
/// itself.
fn with_cases_help(
    error: Diagnostic,
    prepared: &Prepared,
    axes: &[Axis],
    values: &[String],
) -> Diagnostic {
    let Some(field) = error.details().field.clone() else {
        return error;
    };
    let Ok(base) = prepared.validate() else {
        return error;
    };
    for axis in axes {
        // A year of one case of a profile: the cases must stay in order in every year.
        if let Some(line) = LinePath::of(&axis.path)
            && let [Step::Key(_), Step::Key(case), _, _] = line.rest.as_slice()
            && ["low", "central", "high"].contains(&case.as_str())
            && field.starts_with(&format!("{}.", line.saving()))
        {
            return error.with_help(format!(
                "a sweep sets only the case it varies, and a profile's cases must keep low <= central <= high in every year; vary {}.{} to move every year and case together",
                line.saving(),
                vary::FACTOR
            ));
        }
        let Some((option, _)) = saving_case(&axis.path) else {
            continue;
        };
        let Some(saving) = saving_of(&base.scenario, &option) else {
            continue;
        };
        if !field.starts_with(&format!("{option}.saving.")) {
            continue;
        }
        // The three cases at this point: the scenario's, with the ones varied replaced.
        let mut cases = [saving.low, saving.central, saving.high].map(|m| m.amount());
        for (other, value) in axes.iter().zip(values) {
            let Some((other_option, case)) = saving_case(&other.path) else {
                continue;
            };
            let Ok(value) = value.parse::<Decimal>() else {
                continue;
            };
            if other_option == option {
                let slot = match case {
                    "low" => 0,
                    "central" => 1,
                    _ => 2,
                };
                cases[slot] = value;
            }
        }
        // A negative case is its own message ("must be at least 0").
        let [low, central, high] = cases;
        if cases.iter().any(|c| c.is_sign_negative()) || (low <= central && central <= high) {
            continue;
        }
        return error.with_help(format!(
            "a sweep sets only the case it varies; vary {option}.saving to move all three cases together"
        ));
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_step_exactly() -> Result<(), String> {
        let axis = Axis::parse("scenario.overlap=0:1:0.1")?;
        let texts: Vec<&str> = axis.values.iter().map(|v| v.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1"
            ]
        );
        let axis = Axis::parse("scenario.overlap=0:1:0.3")?;
        let texts: Vec<&str> = axis.values.iter().map(|v| v.text.as_str()).collect();
        assert_eq!(texts, ["0", "0.3", "0.6", "0.9"]);
        // Issue 11: the 28-digit quotient rounds up to 3; the range must still stop at 4.
        let axis = Axis::parse("x=0:5.9999999999999999999999999999:2")?;
        let texts: Vec<&str> = axis.values.iter().map(|v| v.text.as_str()).collect();
        assert_eq!(texts, ["0", "2", "4"]);
        Ok(())
    }

    #[test]
    fn lists_keep_their_literals() -> Result<(), String> {
        let axis = Axis::parse("x.y=0.50,1,2.25")?;
        let texts: Vec<&str> = axis.values.iter().map(|v| v.text.as_str()).collect();
        assert_eq!(texts, ["0.5", "1", "2.25"]);
        let months = Axis::parse("service[hr].option[jv].start=\"2016-04\",\"2017-04\"")?;
        assert_eq!(months.values[1].text, "2017-04");
        Ok(())
    }

    #[test]
    fn bad_ranges_are_refused() {
        for bad in [
            "x=1:0:1",
            "x=0:1:0",
            "x=0:1",
            "x=0:1000000:1",
            "x=a:b:c",
            "x",
            "x=[1",
        ] {
            assert!(Axis::parse(bad).is_err(), "{bad}");
        }
    }
}
