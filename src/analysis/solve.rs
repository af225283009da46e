//! `savings solve`: goal seek. Finds the value of one input at which a target is just
//! reached: exactly where the target moves in a straight line with the input (it does, in a
//! saving, a year of a profile, a factor on a whole profile, an input of the gap), and by
//! bisection to a stated tolerance elsewhere; an option's start is searched month by month.
//! On a plan (docs/model.md section 9) an approved line keeps its plan while what it delivers
//! is varied ([`vary::keep_plans`]), and a line that cannot move any target is refused first
//! ([`vary::check`]).

use rust_decimal::Decimal;

use crate::analysis::vary::{self, LinePath};
use crate::model::{Case, FinancialYear, LATEST_YEAR, Money, Scenario, plain};
use crate::projection::{self, Projection};
use crate::scenario::edit::{FieldPath, Step};
use crate::scenario::fields::{self, Kind};
use crate::scenario::raw::RawKind;
use crate::scenario::{Diagnostic, MAX_FIGURE, Prepared};

/// What a goal seek aims for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The remaining gap of the year is zero or less.
    GapClosed(FinancialYear),
    /// The service's option taken forward meets its planned savings in every MTFP year.
    MeetsPlan(String),
    /// The total saving over the horizon is at least this.
    TenYearTotal(Decimal),
}

impl Target {
    pub fn parse(text: &str) -> Result<Self, String> {
        let (kind, value) = text.split_once('=').ok_or_else(|| {
            format!("--target {text:?}: expected gap-closed=YEAR, meets-plan=SERVICE or ten-year-total=AMOUNT")
        })?;
        match kind.trim() {
            "gap-closed" => FinancialYear::parse(value.trim())
                .map(Target::GapClosed)
                .map_err(|e| format!("--target gap-closed: {e}")),
            "meets-plan" => Ok(Target::MeetsPlan(value.trim().to_string())),
            "ten-year-total" | "total" => crate::scenario::number::parse_literal(value.trim())
                .map(Target::TenYearTotal)
                .map_err(|e| format!("--target ten-year-total: {}", e.describe(value.trim()))),
            other => Err(format!(
                "--target: unknown target {other:?}; use gap-closed=YEAR, meets-plan=SERVICE or ten-year-total=AMOUNT"
            )),
        }
    }

    /// How far past the target a projection is: at least zero when the target is reached.
    fn margin(
        &self,
        scenario: &Scenario,
        projection: &Projection,
        case: Case,
    ) -> Result<Money, String> {
        match self {
            Target::GapClosed(year) => {
                let t = projection
                    .years
                    .iter()
                    .position(|y| y == year)
                    .ok_or_else(|| {
                        format!("{} is not a projected year of the scenario", year.quoted())
                    })?;
                Ok(-projection.total.remaining_gap.get(case)[t])
            }
            Target::MeetsPlan(id) => {
                let index = scenario
                    .services
                    .iter()
                    .position(|s| &s.id == id)
                    .ok_or_else(|| format!("the scenario has no service {id:?}"))?;
                let service = projection
                    .services
                    .iter()
                    .find(|p| p.service == index)
                    .ok_or_else(|| format!("service {id:?} is deferred: no option is taken forward to meet its plan"))?;
                Ok(service
                    .meets_plan
                    .get(case)
                    .margins
                    .iter()
                    .map(|(_, m)| *m)
                    .min()
                    .unwrap_or(Money::ZERO))
            }
            Target::TenYearTotal(amount) => projection
                .total
                .summary
                .get(case)
                .total_saving
                .checked_sub(Money::new(*amount))
                .map_err(|e| format!("ten-year total less the target: {e}")),
        }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::GapClosed(y) => write!(f, "gap-closed={y}"),
            Target::MeetsPlan(s) => write!(f, "meets-plan={s}"),
            Target::TenYearTotal(a) => write!(f, "ten-year-total={}", plain(*a)),
        }
    }
}

/// How a value was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Method {
    /// The target is linear in the input there: the value is exact (to 28 digits where the
    /// quotient does not terminate, then checked).
    Exact,
    /// The crossing does not terminate: the value is the first, to this many decimal
    /// places, at which the target is reached (checked, and a hair before it is not).
    Rounded(u32),
    /// Bisection to this tolerance.
    Bisection(Decimal),
    /// A search month by month.
    Months,
    /// The target is reached at the end of the range the input may take.
    AtBound,
    /// The target does not move with this input at all.
    Unaffected,
}

/// What the varied field measures, so that its value can be shown with its unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantity {
    /// Money, in the scenario's unit (a saving, a planned saving, a gap, a cost, a budget).
    Money,
    /// A fraction from 0 to 1 (the overlap, a share of the net budget, a ramp step, a chance
    /// of failure).
    Share,
    /// The discount rate.
    Rate,
    /// A number of years (the horizon).
    Years,
    /// A month of go-live (`"2016-10"`).
    Month,
    /// A factor on a whole saving as written, every year and case (`profile`: the saving is
    /// written year by year).
    Factor { profile: bool },
}

/// The result of a goal seek.
#[derive(Clone, Debug)]
pub struct Solution {
    pub target: Target,
    pub field: String,
    /// What the field measures.
    pub quantity: Quantity,
    pub case: Case,
    /// Whether larger values of the input bring the target closer (so the answer is the
    /// smallest value that reaches it) or the reverse (the largest).
    pub increasing: bool,
    /// The value that reaches the target, as text, if any does.
    pub value: Option<String>,
    /// When none does: the value that comes closest, and how far short it falls.
    pub best: Option<(String, Decimal)>,
    /// The margin past the target at the value found.
    pub margin: Decimal,
    pub method: Method,
    /// The override that reproduces the answer with `savings run`.
    pub reproduce: String,
    /// Things the reader should know (a range widened to hold the value, for instance).
    pub notes: Vec<String>,
    pub evaluations: usize,
}

/// How the varied field takes a value.
enum Field {
    /// A figure, over `lo..=hi`.
    Number {
        lo: Decimal,
        hi: Decimal,
        integer: bool,
        quantity: Quantity,
    },
    /// One case of a saving written `{ low, central, high }` (or one figure): the other two
    /// move with it where needed to keep low <= central <= high.
    SavingCase { option: FieldPath, case: String },
    /// An option's go-live, month by month.
    Start,
    /// Every figure of a line's saving as written (every year and case of a profile) times a
    /// factor from 0 to `hi`, the most that keeps every figure within its bounds.
    Factor { line: LinePath, hi: Decimal },
}

/// Decimal places of the values tried by bisection, and of a crossing that does not
/// terminate: far beyond any figure's precision, and short enough that a tried value's
/// savings can be computed exactly.
const SEARCH_PLACES: u32 = 12;

struct Search<'a> {
    prepared: &'a Prepared,
    /// The scenario as it stands, validated: the plans approved lines keep.
    base: &'a Scenario,
    target: &'a Target,
    path: &'a FieldPath,
    field: Field,
    case: Case,
    evaluations: usize,
}

impl Search<'_> {
    /// The field set to `value` (as TOML text), or `None` if the scenario is then invalid.
    fn variant(&self, text: &str, kind: RawKind) -> Result<Option<Prepared>, Diagnostic> {
        let mut variant = self.prepared.clone();
        // The value is the search's, not the user's: messages name the path alone.
        let label = format!("--vary {}", self.path);
        match &self.field {
            Field::Factor { line, .. } => {
                let RawKind::Number {
                    value: Ok(factor), ..
                } = &kind
                else {
                    return Ok(None);
                };
                let Some(saving) = line.raw_saving(self.prepared.raw()) else {
                    return Err(Diagnostic::file(
                        &label,
                        format!("{} has no saving to scale", line.option),
                    ));
                };
                let Some((scaled, text)) = vary::scaled(saving, *factor) else {
                    return Ok(None);
                };
                variant.set_value(&label, &line.saving(), &text, scaled)?;
            }
            Field::SavingCase { option, case } => {
                let base = self.prepared.validate()?;
                let saving = saving_of(&base.scenario, option).ok_or_else(|| {
                    Diagnostic::file(&label, "the saving to vary was not found".to_string())
                })?;
                let RawKind::Number { value: Ok(v), .. } = &kind else {
                    return Ok(None);
                };
                let (mut low, mut central, mut high) = (
                    saving.low.amount(),
                    saving.central.amount(),
                    saving.high.amount(),
                );
                match case.as_str() {
                    "low" => {
                        low = *v;
                        central = central.max(low);
                        high = high.max(low);
                    }
                    "high" => {
                        high = *v;
                        central = central.min(high);
                        low = low.min(high);
                    }
                    _ => {
                        central = *v;
                        low = low.min(central);
                        high = high.max(central);
                    }
                }
                for (name, value) in [("low", low), ("central", central), ("high", high)] {
                    let mut path = option.clone();
                    path.0.push(Step::Key("saving".into()));
                    path.0.push(Step::Key(name.into()));
                    let text = plain(value);
                    variant.set_value(&label, &path, &text, number_kind(value))?;
                }
            }
            _ => variant.set_value(&label, self.path, text, kind)?,
        }
        Ok(Some(variant))
    }

    /// The margin past the target with the field at `text`; `None` if that value is not valid.
    fn margin(&mut self, text: &str, kind: RawKind) -> Result<Option<Money>, Diagnostic> {
        self.evaluations += 1;
        let Some(variant) = self.variant(text, kind)? else {
            return Ok(None);
        };
        let Ok(mut loaded) = variant.validate() else {
            return Ok(None);
        };
        vary::keep_plans(&mut loaded.scenario, self.base, &[self.path]);
        // A value whose figures cannot be computed exactly is outside the range too.
        let Ok(projection) = projection::project(&loaded.scenario) else {
            return Ok(None);
        };
        self.target
            .margin(&loaded.scenario, &projection, self.case)
            .map(Some)
            .map_err(|e| Diagnostic::file("--target", e))
    }

    fn margin_at(&mut self, value: Decimal) -> Result<Option<Money>, Diagnostic> {
        self.margin(&plain(value), number_kind(value))
    }

    fn margin_at_month(&mut self, month: i64) -> Result<Option<Money>, Diagnostic> {
        let Some(text) = month_text(self.prepared, month)? else {
            return Ok(None);
        };
        self.margin(&text, RawKind::String(text.clone()))
    }
}

/// The varied field's value in the scenario as it stands, as text.
fn current_value(search: &Search) -> Result<String, Diagnostic> {
    let text = search.prepared.validate().map(|loaded| {
        let scenario = &loaded.scenario;
        match &search.field {
            Field::SavingCase { option, case } => saving_of(scenario, option)
                .map(|s| {
                    match case.as_str() {
                        "low" => s.low,
                        "high" => s.high,
                        _ => s.central,
                    }
                    .to_string()
                })
                .unwrap_or_default(),
            _ => "its value as written".to_string(),
        }
    })?;
    Ok(text)
}

fn number_kind(value: Decimal) -> RawKind {
    let text = plain(value);
    RawKind::Number {
        value: Ok(value.normalize()),
        integer: !text.contains('.'),
        literal: text,
    }
}

/// The saving of the option at `option` (`service[x].option[y]`, or `service[x]` for a line
/// written on its service).
pub(crate) fn saving_of<'s>(
    scenario: &'s Scenario,
    option: &FieldPath,
) -> Option<&'s crate::model::Cases<Money>> {
    let line = LinePath {
        option: option.clone(),
        rest: Vec::new(),
    };
    line.find(scenario).map(|(_, o)| &o.saving)
}

/// Month `m` counted from April of the base year, as `"YYYY-MM"`.
fn month_text(prepared: &Prepared, month: i64) -> Result<Option<String>, Diagnostic> {
    let base = prepared.validate()?.scenario.base_year;
    let start_year = i64::from(base.start_year()) + month.div_euclid(12);
    let index = month.rem_euclid(12);
    let calendar_month = (index + 3) % 12 + 1;
    let calendar_year = if calendar_month >= 4 {
        start_year
    } else {
        start_year + 1
    };
    if calendar_year > i64::from(LATEST_YEAR) {
        return Ok(None);
    }
    Ok(Some(format!("{calendar_year}-{calendar_month:02}")))
}

/// The kind of field `path` names, and the range it may take, as the registry gives them
/// ([`fields`]). A path the registry does not know is read as the field it names last
/// (`overlap` as `scenario.overlap`), so that trying a value says what is wrong with the path.
fn field_of(path: &FieldPath) -> Result<Field, String> {
    if let Some((option, case)) = saving_case(path) {
        return Ok(Field::SavingCase {
            option,
            case: case.to_string(),
        });
    }
    let last = path.0.iter().rev().find_map(|s| match s {
        Step::Key(k) => Some(k.as_str()),
        _ => None,
    });
    let kind = fields::resolve(path)
        .or_else(|| last.and_then(fields::named))
        .map(fields::Info::seek_kind);
    let number = |kind: Kind, quantity| {
        kind.bounds().map(|b| Field::Number {
            lo: b.min,
            // An excluded bound (the discount rate's 1) is approached to four places.
            hi: if b.max_included {
                b.max
            } else {
                b.max - Decimal::new(1, 4)
            },
            integer: b.whole,
            quantity,
        })
    };
    let field = match kind {
        Some(Kind::GoLive) => Some(Field::Start),
        // A year that may be negative (a falling level, a pressure that reverses, a
        // contribution to reserves) is sought below zero too.
        Some(Kind::Money) if vary::signed_year(path) => number(Kind::SignedMoney, Quantity::Money),
        Some(kind @ (Kind::Money | Kind::SignedMoney)) => number(kind, Quantity::Money),
        // The whole saving, one figure for every case.
        Some(Kind::Saving) => number(Kind::Money, Quantity::Money),
        Some(Kind::Share | Kind::ShareCases | Kind::Ramp) => number(Kind::Share, Quantity::Share),
        Some(Kind::Rate) => number(Kind::Rate, Quantity::Rate),
        Some(Kind::Years) => number(Kind::Years, Quantity::Years),
        _ => None,
    };
    field.ok_or_else(|| {
        format!(
            "{path} cannot be varied by a goal seek: vary a figure (a saving, a year of a profile, a whole saving by a factor (saving.{}), a planned saving, a gap or an input of it, the overlap, the discount rate) or an option's start",
            vary::FACTOR
        )
    })
}

/// The option and the case of a path to one case of a saving: `service[x].option[y]` and
/// `central` for `service[x].option[y].saving.central` (`service[x]` for a line written on
/// its service, `service[x].saving.central`).
pub fn saving_case(path: &FieldPath) -> Option<(FieldPath, &str)> {
    let line = LinePath::of(path)?;
    match (line.rest.as_slice(), path.0.last()) {
        ([Step::Key(saving), Step::Key(_)], Some(Step::Key(case)))
            if saving == "saving" && ["low", "central", "high"].contains(&case.as_str()) =>
        {
            Some((line.option, case.as_str()))
        }
        _ => None,
    }
}

/// Finds the value of `path` at which `target` is just reached, in `case`. Returns the
/// scenario at that value too (or at the best reachable, if none reaches it).
pub fn solve(
    prepared: &Prepared,
    target: &Target,
    path: &FieldPath,
    case: Case,
) -> Result<(Solution, Prepared), Diagnostic> {
    // The target must make sense on the scenario as it stands.
    let base = prepared.validate()?;
    vary::check(&base.scenario, prepared.raw(), path, true)
        .map_err(|e| Diagnostic::file("--vary", e))?;
    let field = match LinePath::of(path).filter(LinePath::is_factor) {
        Some(line) => {
            let Some(saving) = line.raw_saving(prepared.raw()) else {
                return Err(Diagnostic::file(
                    "--vary",
                    format!("{path}: {} has no saving written to scale", line.option),
                ));
            };
            // A saving of nothing in every year and case: no factor moves it.
            let hi = vary::largest_factor(saving).unwrap_or(Decimal::ONE);
            Field::Factor { line, hi }
        }
        None => field_of(path).map_err(|e| Diagnostic::file("--vary", e))?,
    };
    let base_projection = projection::project(&base.scenario).map_err(|e| {
        base.sources
            .diagnostic_for_field(e.field.as_deref(), e.to_string())
    })?;
    target
        .margin(&base.scenario, &base_projection, case)
        .map_err(|e| Diagnostic::file("--target", e))?;
    let mut search = Search {
        prepared,
        base: &base.scenario,
        target,
        path,
        field,
        case,
        evaluations: 0,
    };
    let mut notes = Vec::new();
    let quantity = match &search.field {
        Field::Start => Quantity::Month,
        Field::Number { quantity, .. } => *quantity,
        Field::SavingCase { .. } => Quantity::Money,
        Field::Factor { line, .. } => Quantity::Factor {
            profile: line
                .find(&base.scenario)
                .is_some_and(|(_, option)| option.is_profile()),
        },
    };
    let solution = match search.field {
        Field::Start => solve_start(&mut search)?,
        Field::Number {
            lo, hi, integer, ..
        } => solve_number(&mut search, lo, hi, integer)?,
        Field::Factor { hi, .. } => {
            notes.push(
                "The factor multiplies every figure of the saving as written, in every year and case (optimism bias, where there is any, applies after it)."
                    .to_string(),
            );
            solve_number(&mut search, Decimal::ZERO, hi, false)?
        }
        Field::SavingCase { .. } => {
            notes.push(
                "Low, central and high are kept in order: where the value found passes another case, that case moves with it."
                    .to_string(),
            );
            solve_number(&mut search, Decimal::ZERO, Decimal::from(MAX_FIGURE), false)?
        }
    };
    let (value, best, margin, method, increasing) = solution;
    // The scenario at the value found, or at the best reachable.
    let shown = value.clone().or_else(|| best.as_ref().map(|b| b.0.clone()));
    let at = match &shown {
        _ if method == Method::Unaffected => prepared.clone(),
        Some(v) => {
            let kind = match search.field {
                Field::Start => RawKind::String(v.clone()),
                _ => number_kind(v.parse().unwrap_or_default()),
            };
            search.variant(v, kind)?.unwrap_or_else(|| prepared.clone())
        }
        None => prepared.clone(),
    };
    // An approved line keeps its plan here, which no --set can say (a --set of its saving
    // sets its plan too): the note says so, and the --set shows what it would deliver.
    let kept = LinePath::of(path)
        .and_then(|line| {
            line.find(&base.scenario)
                .map(|(s, o)| (s.option_path(o), o.status))
        })
        .filter(|(_, status)| *status == crate::model::Status::Approved)
        .map(|(at, _)| vec![at])
        .unwrap_or_default();
    notes.extend(vary::plan_note(&kept));
    let mut reproduce = match (&value, &search.field) {
        (Some(v), Field::Factor { line, .. }) => {
            let factor: Decimal = v.parse().unwrap_or_default();
            line.raw_saving(prepared.raw())
                .and_then(|saving| vary::scaled_sets(&line.saving(), saving, factor))
                .map(|sets| sets.join(" "))
                .unwrap_or_default()
        }
        (Some(v), Field::SavingCase { option, .. }) => {
            let saving = at
                .validate()
                .ok()
                .and_then(|l| saving_of(&l.scenario, option).copied());
            match saving {
                Some(s) => format!(
                    "--set '{option}.saving={{ low = {}, central = {}, high = {} }}'",
                    s.low, s.central, s.high
                ),
                None => format!("--set '{path}={v}'"),
            }
        }
        (Some(v), Field::Start) => format!("--set '{path}=\"{v}\"'"),
        (Some(v), _) => format!("--set '{path}={v}'"),
        (None, _) => String::new(),
    };
    if !kept.is_empty() && !reproduce.is_empty() {
        notes.push(format!(
            "What it would deliver, as --set writes it (with savings run this sets its plan too, so it does not reproduce this answer): {reproduce}"
        ));
        reproduce = String::new();
    }
    let solution = Solution {
        target: target.clone(),
        field: path.to_string(),
        quantity,
        case,
        increasing,
        value,
        best: best.map(|(v, short)| (v, short.amount())),
        margin: margin.amount(),
        method,
        reproduce,
        notes,
        evaluations: search.evaluations,
    };
    Ok((solution, at))
}

/// The value that reaches the target (if any), the best reachable and how far short it
/// falls (if none does), the margin there, how it was found, and whether the target
/// improves as the value grows. Margins are exact: whether a value reaches the target is
/// never decided by a rounded figure.
type Found = (Option<String>, Option<(String, Money)>, Money, Method, bool);

/// The range a figure may take in this scenario, with the margins at its ends: `lo` to `hi`
/// where the scenario is valid at both; else, from the figure as it stands (which is valid),
/// each end that is not is moved in to the last value at which the scenario still is (found by
/// bisection, then the shortest decimal within a hair of it that is valid): a year of one case
/// of a profile lies between the other cases' amounts that year, and a year of an increments
/// table keeps every level at or above zero.
fn valid_range(
    search: &mut Search,
    lo: Decimal,
    hi: Decimal,
    integer: bool,
) -> Result<(Decimal, Decimal, Money, Money), Diagnostic> {
    let at_lo = search.margin_at(lo)?;
    let at_hi = search.margin_at(hi)?;
    if let (Some(g_lo), Some(g_hi)) = (at_lo, at_hi) {
        return Ok((lo, hi, g_lo, g_hi));
    }
    let message = format!(
        "{} cannot take every value from {} to {} in this scenario",
        search.path,
        plain(lo),
        plain(hi)
    );
    let cannot = || Diagnostic::file("--vary", message.clone());
    let inside = vary::current_figure(search.base, search.path)
        .filter(|v| (lo..=hi).contains(v))
        .ok_or_else(cannot)?;
    let g_inside = search.margin_at(inside)?.ok_or_else(cannot)?;
    let (lo, g_lo) = match at_lo {
        Some(g) => (lo, g),
        None => valid_end(search, (inside, g_inside), lo, integer)?,
    };
    let (hi, g_hi) = match at_hi {
        Some(g) => (hi, g),
        None => valid_end(search, (inside, g_inside), hi, integer)?,
    };
    Ok((lo, hi, g_lo, g_hi))
}

/// The last value from `good` (valid, with its margin) towards `bad` (not valid) at which the
/// scenario is valid, to [`SEARCH_PLACES`], as the shortest decimal there is within that
/// hair of it (the bound is usually a figure as written: 0.45, not 0.449999999999).
fn valid_end(
    search: &mut Search,
    good: (Decimal, Money),
    bad: Decimal,
    integer: bool,
) -> Result<(Decimal, Money), Diagnostic> {
    let ((mut good, mut g_good), mut bad) = (good, bad);
    let tolerance = if integer {
        Decimal::ONE
    } else {
        Decimal::new(1, SEARCH_PLACES)
    };
    // The bound is usually near the figure as it stands (another case's amount that year):
    // steps of ten times the last, from the size of the figure, find a value past it first,
    // so that the bisection starts from a bracket of that size rather than of the whole range.
    let towards = if bad > good {
        Decimal::ONE
    } else {
        -Decimal::ONE
    };
    let mut step = good.abs().max(Decimal::ONE);
    while let Some(next) = step.checked_mul(towards).and_then(|s| good.checked_add(s)) {
        if (next - bad) * towards >= Decimal::ZERO {
            break;
        }
        match search.margin_at(next)? {
            Some(g) => (good, g_good) = (next, g),
            None => {
                bad = next;
                break;
            }
        }
        let Some(larger) = step.checked_mul(Decimal::TEN) else {
            break;
        };
        step = larger;
    }
    while (bad - good).abs() > tolerance {
        let mut mid = ((good + bad) / Decimal::TWO).round_dp(SEARCH_PLACES);
        if integer {
            mid = mid.round();
        }
        if mid == good || mid == bad {
            break;
        }
        match search.margin_at(mid)? {
            Some(g) => (good, g_good) = (mid, g),
            None => bad = mid,
        }
    }
    let towards_bad = if bad > good {
        rust_decimal::RoundingStrategy::ToPositiveInfinity
    } else {
        rust_decimal::RoundingStrategy::ToNegativeInfinity
    };
    for places in 0..=SEARCH_PLACES {
        let shorter = good.round_dp_with_strategy(places, towards_bad);
        if shorter == good {
            break;
        }
        if (shorter - good).abs() < (bad - good).abs()
            && let Some(g) = search.margin_at(shorter)?
        {
            return Ok((shorter.normalize(), g));
        }
    }
    Ok((good, g_good))
}

/// A figure: the smallest value that reaches the target if the target improves as the value
/// grows, the largest if it worsens.
fn solve_number(
    search: &mut Search,
    lo: Decimal,
    hi: Decimal,
    integer: bool,
) -> Result<Found, Diagnostic> {
    let (lo, hi, g_lo, g_hi) = valid_range(search, lo, hi, integer)?;
    if g_hi == g_lo && g_lo.is_negative() {
        return Ok((
            None,
            Some((current_value(search)?, g_lo)),
            g_lo,
            Method::Unaffected,
            true,
        ));
    }
    let increasing = g_hi >= g_lo;
    // The end of the range that is best for the target, and the other.
    let (good, bad, g_good, g_bad) = if increasing {
        (hi, lo, g_hi, g_lo)
    } else {
        (lo, hi, g_lo, g_hi)
    };
    if g_good.is_negative() {
        return Ok((
            None,
            Some((plain(good), g_good)),
            g_good,
            Method::AtBound,
            increasing,
        ));
    }
    if !g_bad.is_negative() {
        return Ok((Some(plain(bad)), None, g_bad, Method::AtBound, increasing));
    }
    // Bisection keeps `bad` failing and `good` reaching the target. At each step the
    // crossing is first sought on the line between the ends, then on the line through the
    // good end and a point beyond it (the target may bend at the crossing, as the smallest
    // of several margins does); either is kept only if checked.
    let (mut bad, mut good, mut g_bad, mut g_good) = (bad, good, g_bad, g_good);
    let tolerance = Decimal::new(1, SEARCH_PLACES);
    let two = Decimal::TWO;
    loop {
        if let Some(found) = crossing(search, (bad, g_bad), (good, g_good), bad, good, integer)? {
            return Ok((Some(plain(found.0)), None, found.1, found.2, increasing));
        }
        let beyond = (good + (good - bad)).clamp(lo, hi);
        if beyond != good
            && let Some(g_beyond) = search.margin_at(beyond)?
            && let Some(found) = crossing(
                search,
                (good, g_good),
                (beyond, g_beyond),
                bad,
                good,
                integer,
            )?
        {
            return Ok((Some(plain(found.0)), None, found.1, found.2, increasing));
        }
        if (good - bad).abs() <= tolerance || (integer && (good - bad).abs() <= Decimal::ONE) {
            let method = if integer {
                Method::Exact
            } else {
                Method::Bisection(tolerance)
            };
            return Ok((Some(plain(good)), None, g_good, method, increasing));
        }
        let mut mid = ((bad + good) / two).round_dp(SEARCH_PLACES);
        if integer {
            mid = mid.round();
            if mid == bad || mid == good {
                return Ok((Some(plain(good)), None, g_good, Method::Exact, increasing));
            }
        }
        match search.margin_at(mid)? {
            Some(g) if !g.is_negative() => {
                good = mid;
                g_good = g;
            }
            Some(g) => {
                bad = mid;
                g_bad = g;
            }
            None => {
                return Err(Diagnostic::file(
                    "--vary",
                    format!(
                        "{} = {} is not valid in this scenario",
                        search.path,
                        plain(mid)
                    ),
                ));
            }
        }
    }
}

/// The crossing of zero on the line through `p1` and `p2`, if it checks out: the target is
/// reached there and not a hair nearer `bad` (one unit of its last decimal place). Exact
/// where the crossing terminates; otherwise rounded towards `good` to [`SEARCH_PLACES`].
fn crossing(
    search: &mut Search,
    p1: (Decimal, Money),
    p2: (Decimal, Money),
    bad: Decimal,
    good: Decimal,
    integer: bool,
) -> Result<Option<(Decimal, Money, Method)>, Diagnostic> {
    // The line is drawn through the printed margins; the candidate is then checked exactly.
    let ((x1, g1), (x2, g2)) = ((p1.0, p1.1.amount()), (p2.0, p2.1.amount()));
    if g1 == g2 {
        return Ok(None);
    }
    let Some(slope) = (g2 - g1).checked_div(x2 - x1) else {
        return Ok(None);
    };
    let Some(step) = (-g1).checked_div(slope) else {
        return Ok(None);
    };
    let exact = slope.checked_mul(step) == Some(-g1) && step.scale() <= SEARCH_PLACES + 8;
    let Some(mut candidate) = step.checked_add(x1) else {
        return Ok(None);
    };
    // The crossing must lie in the bracket.
    if candidate < bad.min(good) || candidate > bad.max(good) {
        return Ok(None);
    }
    let towards_good = if good > bad {
        Decimal::ONE
    } else {
        -Decimal::ONE
    };
    let strategy = if good > bad {
        rust_decimal::RoundingStrategy::ToPositiveInfinity
    } else {
        rust_decimal::RoundingStrategy::ToNegativeInfinity
    };
    let places = if integer {
        0
    } else if exact {
        candidate.scale()
    } else {
        SEARCH_PLACES
    };
    candidate = candidate.round_dp_with_strategy(places, strategy);
    let unit = Decimal::new(1, places);
    // Rounding can leave the candidate a hair short: step towards `good` a little.
    for _ in 0..3 {
        match search.margin_at(candidate)? {
            Some(g) if !g.is_negative() => {
                let hair = candidate - towards_good * unit;
                let reached_nearer = search.margin_at(hair)?.is_some_and(|g| !g.is_negative());
                if reached_nearer {
                    return Ok(None);
                }
                let method = if exact || integer {
                    Method::Exact
                } else {
                    Method::Rounded(places)
                };
                return Ok(Some((candidate.normalize(), g, method)));
            }
            Some(_) => candidate += towards_good * unit,
            None => return Ok(None),
        }
    }
    Ok(None)
}

/// An option's start: months are searched one by one from the earliest go-live; the target
/// usually worsens as the start slips, so the answer is the latest month that still reaches
/// it (or the earliest, where it improves with delay).
fn solve_start(search: &mut Search) -> Result<Found, Diagnostic> {
    let base = search.prepared.validate()?;
    let months = i64::from(base.scenario.horizon) * 12 + 12;
    // Months counted from April of the base year; go-live must be after the base year.
    let first = 12;
    let last = months + 11;
    let at_first = search.margin_at_month(first)?;
    let at_last = search.margin_at_month(last)?;
    let (Some(g_first), Some(g_last)) = (at_first, at_last) else {
        return Err(Diagnostic::file(
            "--vary",
            format!("{} cannot take every month of the horizon", search.path),
        ));
    };
    if g_last == g_first && g_first.is_negative() {
        return Ok((
            None,
            Some((current_value(search)?, g_first)),
            g_first,
            Method::Unaffected,
            true,
        ));
    }
    let increasing = g_last > g_first;
    let text = |m: i64| month_text(search.prepared, m).map(|t| t.unwrap_or_default());
    let (good, bad, g_good, g_bad) = if increasing {
        (last, first, g_last, g_first)
    } else {
        (first, last, g_first, g_last)
    };
    if g_good.is_negative() {
        return Ok((
            None,
            Some((text(good)?, g_good)),
            g_good,
            Method::AtBound,
            increasing,
        ));
    }
    if !g_bad.is_negative() {
        return Ok((Some(text(bad)?), None, g_bad, Method::AtBound, increasing));
    }
    let (mut good, mut bad, mut g_good) = (good, bad, g_good);
    while (good - bad).abs() > 1 {
        let mid = (good + bad).div_euclid(2);
        match search.margin_at_month(mid)? {
            Some(g) if !g.is_negative() => {
                good = mid;
                g_good = g;
            }
            Some(_) => bad = mid,
            None => {
                return Err(Diagnostic::file(
                    "--vary",
                    format!("month {mid} is not valid"),
                ));
            }
        }
    }
    Ok((Some(text(good)?), None, g_good, Method::Months, increasing))
}

#[cfg(test)]
mod tests;
