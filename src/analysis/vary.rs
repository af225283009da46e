//! What a `--vary` path names in a plan as councils write it (docs/model.md section 9), for
//! `sweep` and `solve`: the line it belongs to, a factor on a whole saving
//! (`service[x].saving.factor`: every figure of the saving as written, in every year and case,
//! times the factor), which lines cannot move any target, the plan an approved line keeps
//! while what it delivers is varied, and the figure a by-year field holds now.

use rust_decimal::Decimal;

use crate::model::{
    Basis, FinancialYear, Requirement, SavingOption, Scenario, Service, Status, YearSeries,
    exact_mul, plain,
};
use crate::scenario::MAX_FIGURE;
use crate::scenario::edit::{FieldPath, Step};
use crate::scenario::raw::{Located, RawFile, RawKind, RawOption, RawService, RawValue};

/// The last step of a path that varies a whole saving by a factor.
pub const FACTOR: &str = "factor";

/// A path into the fields of one line's option: the option (`service[x]` for a line written on
/// its service, `service[x].option[y]` otherwise) and what follows it (`saving.levels."2026/27"`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinePath {
    pub option: FieldPath,
    pub rest: Vec<Step>,
}

/// The fields of an option that make its saving (and so, for a saving already in the plan,
/// its plan): the saving, its go-live and its ramp.
const SAVING_FIELDS: [&str; 3] = ["saving", "start", "ramp"];

impl LinePath {
    /// The line's option and the rest of `path`, where `path` names its saving, go-live or
    /// ramp (or the factor on its saving).
    pub fn of(path: &FieldPath) -> Option<LinePath> {
        let key = |step: &Step, name: &str| matches!(step, Step::Key(k) if k == name);
        let (option, rest) = match path.0.as_slice() {
            [
                s,
                at @ (Step::Id(_) | Step::Position(_)),
                o,
                o_at,
                rest @ ..,
            ] if key(s, "service")
                && key(o, "option")
                && matches!(o_at, Step::Id(_) | Step::Position(_)) =>
            {
                (vec![s.clone(), at.clone(), o.clone(), o_at.clone()], rest)
            }
            [s, at @ (Step::Id(_) | Step::Position(_)), rest @ ..] if key(s, "service") => {
                (vec![s.clone(), at.clone()], rest)
            }
            _ => return None,
        };
        match rest.first() {
            Some(Step::Key(k)) if SAVING_FIELDS.contains(&k.as_str()) => Some(LinePath {
                option: FieldPath(option),
                rest: rest.to_vec(),
            }),
            _ => None,
        }
    }

    /// Whether the path is the factor on the whole saving: `...saving.factor`.
    pub fn is_factor(&self) -> bool {
        matches!(self.rest.as_slice(), [Step::Key(s), Step::Key(f)] if s == "saving" && f == FACTOR)
    }

    /// The path of the line's saving (`service[x].saving`).
    pub fn saving(&self) -> FieldPath {
        let mut path = self.option.clone();
        path.0.push(Step::Key("saving".into()));
        path
    }

    /// The service and option the path names in `scenario`, if it has them.
    pub fn find<'s>(&self, scenario: &'s Scenario) -> Option<(&'s Service, &'s SavingOption)> {
        fn pick<'a>(step: &Step, ids: impl Iterator<Item = &'a str>) -> Option<usize> {
            let ids: Vec<&str> = ids.collect();
            match step {
                Step::Id(id) => ids.iter().position(|i| i == id),
                Step::Position(n) => n.checked_sub(1).filter(|i| *i < ids.len()),
                Step::Key(_) => None,
            }
        }
        match self.option.0.as_slice() {
            [_, at] => {
                let s = pick(at, scenario.services.iter().map(|s| s.id.as_str()))?;
                let service = &scenario.services[s];
                // A path without an option names a line written on its service only.
                service
                    .one_line
                    .then(|| service.options.first().map(|o| (service, o)))
                    .flatten()
            }
            [_, at, _, o_at] => {
                let s = pick(at, scenario.services.iter().map(|s| s.id.as_str()))?;
                let service = &scenario.services[s];
                let o = pick(o_at, service.options.iter().map(|o| o.id.as_str()))?;
                service.options.get(o).map(|o| (service, o))
            }
            _ => None,
        }
    }

    /// The line's saving as written, in the raw layer.
    pub fn raw_saving<'r>(&self, raw: &'r RawFile) -> Option<&'r RawValue> {
        fn id_of(v: &Option<RawValue>) -> Option<&str> {
            match v.as_ref().map(|v| &v.kind) {
                Some(RawKind::String(s)) => Some(s.as_str()),
                _ => None,
            }
        }
        let service = |at: &Step| -> Option<&'r Located<RawService>> {
            match at {
                Step::Id(id) => raw
                    .service
                    .iter()
                    .find(|s| id_of(&s.value.id) == Some(id.as_str())),
                Step::Position(n) => n.checked_sub(1).and_then(|i| raw.service.get(i)),
                Step::Key(_) => None,
            }
        };
        match self.option.0.as_slice() {
            [_, at] => service(at)?.value.saving.as_ref(),
            [_, at, _, o_at] => {
                let options: &'r [Located<RawOption>] = &service(at)?.value.option;
                let option = match o_at {
                    Step::Id(id) => options
                        .iter()
                        .find(|o| id_of(&o.value.id) == Some(id.as_str())),
                    Step::Position(n) => n.checked_sub(1).and_then(|i| options.get(i)),
                    Step::Key(_) => None,
                }?;
                option.value.saving.as_ref()
            }
            _ => None,
        }
    }
}

/// Checks a varied path against the scenario before any value is tried, and says what to vary
/// instead where the path cannot move a target or cannot take a figure: a line already out of
/// the budget or withdrawn (it delivers its plan, or nothing, whatever its saving), and a
/// profile varied as one figure (its saving, one case of it, its start or ramp).
/// `figures`: the values tried are figures (always, for `solve`).
pub fn check(
    scenario: &Scenario,
    raw: &RawFile,
    path: &FieldPath,
    figures: bool,
) -> Result<(), String> {
    let Some(line) = LinePath::of(path) else {
        return Ok(());
    };
    let Some((service, option)) = line.find(scenario) else {
        // A path that names no line is the edit's to explain ("no service `x`").
        return Ok(());
    };
    let at = service.option_path(option);
    match option.status {
        Status::InBase => {
            return Err(format!(
                "{at} is in-base: its saving is already out of the budget, so it delivers its plan in every case and never moves the gap; varying it changes no target. Vary a proposed or approved line, or an input of the gap (budget.net, a pressure's or funding line's amount, budget.reserves)"
            ));
        }
        Status::Withdrawn => {
            return Err(format!(
                "{at} is withdrawn: it delivers nothing whatever its saving, and its plan stays as written (the gap it reopens); varying it changes no target. Vary a proposed or approved line, or set its status (--set '{at}.status=\"approved\"') first"
            ));
        }
        Status::Proposed | Status::Approved => {}
    }
    let saving = line.saving();
    let year = scenario
        .years()
        .next()
        .map_or("\"2026/27\"".to_string(), |y| y.quoted());
    let profile_help = |basis: &str| {
        format!(
            "vary one year of it ({saving}.{basis}.{year}) or every year and case by a factor ({saving}.{FACTOR})"
        )
    };
    let written_once = matches!(
        line.raw_saving(raw).map(|v| &v.kind),
        Some(RawKind::Table(entries)) if entries.iter().all(|(k, _)| k.value == "levels" || k.value == "increments")
    );
    let basis = match option
        .as_written
        .profile
        .as_ref()
        .map(|p| p.central.basis())
    {
        Some(Basis::Increments) => "increments",
        _ => "levels",
    };
    match line.rest.as_slice() {
        [Step::Key(f), ..] if option.is_profile() && (f == "start" || f == "ramp") => Err(format!(
            "{at} is written as yearly amounts (a profile): it has no {f}; {}",
            profile_help(basis)
        )),
        [Step::Key(_)] if option.is_profile() && figures => Err(format!(
            "{saving} is written as yearly amounts (a profile), not one figure: {}",
            profile_help(basis)
        )),
        [Step::Key(_), Step::Key(case)]
            if option.is_profile()
                && figures
                && ["low", "central", "high"].contains(&case.as_str()) =>
        {
            Err(format!(
                "{saving}.{case} is yearly amounts (a profile), not one figure: vary one year of it ({saving}.{case}.{basis}.{year}) or every year and case by a factor ({saving}.{FACTOR})"
            ))
        }
        [Step::Key(_), Step::Key(case), _, ..]
            if option.is_profile()
                && written_once
                && ["low", "central", "high"].contains(&case.as_str()) =>
        {
            Err(format!(
                "{saving} is one profile for every case, so its {case} case alone cannot move: {}",
                profile_help(basis)
            ))
        }
        _ => Ok(()),
    }
}

/// Lines already in the plan (approved) keep their plan while what they deliver is varied
/// (docs/model.md section 9.4: an approved line's plan is its own central amounts as written).
/// A `--set` of an approved line's saving changes the scenario as written, so its plan too;
/// `sweep` and `solve` ask "what if it delivered this instead", so in `variant` (the scenario
/// at a point) each such line takes back its plan from `base` (the scenario before the
/// point). Returns the lines whose plan was kept, as messages name them.
pub fn keep_plans(variant: &mut Scenario, base: &Scenario, paths: &[&FieldPath]) -> Vec<String> {
    let mut kept = Vec::new();
    for path in paths {
        let Some(line) = LinePath::of(path) else {
            continue;
        };
        let Some((service, option)) = line.find(base) else {
            continue;
        };
        if option.status != Status::Approved {
            continue;
        }
        let (service_id, option_id) = (service.id.clone(), option.id.clone());
        let written = option.as_written.clone();
        let Some(changed) = variant
            .services
            .iter_mut()
            .find(|s| s.id == service_id)
            .and_then(|s| s.options.iter_mut().find(|o| o.id == option_id))
        else {
            continue;
        };
        changed.as_written.saving = written.saving;
        changed.as_written.build = written.build;
        changed.as_written.profile = written.profile;
        kept.push(service.option_path(option));
    }
    kept
}

/// What a sweep or goal seek on an approved line means, in words, for the notes.
pub fn plan_note(lines: &[String]) -> Option<String> {
    (!lines.is_empty()).then(|| {
        format!(
            "{} {} approved: its plan (its own central amounts, the planned savings to date) stays as the scenario writes it, and only what it delivers is varied. With savings run, a --set of an approved line's saving sets its plan as well.",
            lines.join(", "),
            if lines.len() == 1 { "is" } else { "are" }
        )
    })
}

/// Every figure of `saving` (a line's saving as written: one figure, cases, yearly amounts in
/// either form, shares) times `factor`, exactly, as a raw value and as the TOML text `--set`
/// takes; `None` where a product cannot be held exactly (more than 28 decimal places).
pub fn scaled(saving: &RawValue, factor: Decimal) -> Option<(RawKind, String)> {
    fn scale(kind: &RawKind, factor: Decimal) -> Option<RawKind> {
        Some(match kind {
            RawKind::Number { value: Ok(v), .. } => {
                let product = exact_mul(*v, factor).ok()?;
                let literal = plain(product);
                RawKind::Number {
                    value: Ok(product.normalize()),
                    integer: !literal.contains('.'),
                    literal,
                }
            }
            RawKind::Table(entries) => RawKind::Table(
                entries
                    .iter()
                    .map(|(k, v)| {
                        Some((
                            k.clone(),
                            RawValue {
                                kind: scale(&v.kind, factor)?,
                                at: v.at.clone(),
                            },
                        ))
                    })
                    .collect::<Option<_>>()?,
            ),
            other => other.clone(),
        })
    }
    let kind = scale(&saving.kind, factor)?;
    let text = crate::scenario::write::inline_value(&kind);
    Some((kind, text))
}

/// The `--set` arguments that write `saving` times `factor` into the scenario at `path` (the
/// line's saving), one per figure as the file writes it (each year of each case, in its own
/// form: levels stay levels, increments increments), so that each is short and holds no
/// space; `None` where a product cannot be held exactly.
pub fn scaled_sets(path: &FieldPath, saving: &RawValue, factor: Decimal) -> Option<Vec<String>> {
    fn walk(kind: &RawKind, at: &FieldPath, factor: Decimal, out: &mut Vec<String>) -> Option<()> {
        match kind {
            RawKind::Number { value: Ok(v), .. } => {
                let product = exact_mul(*v, factor).ok()?;
                out.push(format!("--set '{at}={}'", plain(product)));
            }
            RawKind::Table(entries) => {
                for (k, v) in entries {
                    let mut child = at.clone();
                    child.0.push(Step::Key(k.value.clone()));
                    walk(&v.kind, &child, factor, out)?;
                }
            }
            _ => {}
        }
        Some(())
    }
    let mut out = Vec::new();
    walk(&saving.kind, path, factor, &mut out)?;
    Some(out)
}

/// The largest factor `saving` may be multiplied by and stay within its figures' bounds (money
/// up to 1,000,000,000,000, a share up to 1), as a whole number; `None` where the saving is
/// nothing in every year and case (no factor moves it).
pub fn largest_factor(saving: &RawValue) -> Option<Decimal> {
    fn walk(kind: &RawKind, share: bool, out: &mut Option<Decimal>) {
        match kind {
            RawKind::Number { value: Ok(v), .. } if !v.is_zero() => {
                let bound = if share {
                    Decimal::ONE
                } else {
                    Decimal::from(MAX_FIGURE)
                };
                let most = (bound / v.abs()).floor();
                *out = Some(out.map_or(most, |o: Decimal| o.min(most)));
            }
            RawKind::Table(entries) => {
                for (k, v) in entries {
                    walk(&v.kind, share || k.value == "share_of_net", out);
                }
            }
            _ => {}
        }
    }
    let mut out = None;
    walk(&saving.kind, false, &mut out);
    out
}

/// The figure a by-year field holds now (the value that leaves the scenario as it is): a
/// year's own figure in an increments or in-year table (0 where it names none), the level in
/// force in a levels table; `None` where `path` is not a year of such a field.
pub fn current_figure(scenario: &Scenario, path: &FieldPath) -> Option<Decimal> {
    let (last, head) = path.0.split_last()?;
    let Step::Key(year) = last else {
        return None;
    };
    let year = FinancialYear::parse(year).ok()?;
    // The wrapper and case (`saving.central.levels`) are read from the model, not the path.
    let head: Vec<&Step> = head
        .iter()
        .filter(|s| {
            !matches!(s, Step::Key(k) if ["levels", "increments", "low", "central", "high"].contains(&k.as_str()))
        })
        .collect();
    let case = path.0.iter().find_map(|s| match s {
        Step::Key(k) if k == "low" => Some(crate::model::Case::Low),
        Step::Key(k) if k == "high" => Some(crate::model::Case::High),
        _ => None,
    });
    let key = |step: &Step, name: &str| matches!(step, Step::Key(k) if k == name);
    fn id(step: &Step) -> Option<&str> {
        match step {
            Step::Id(id) => Some(id.as_str()),
            _ => None,
        }
    }
    let series: YearSeries = match head.as_slice() {
        [t, f] if key(t, "budget") && key(f, "reserves") => {
            scenario.gap_build.budget.as_ref()?.reserves.clone()
        }
        [t, f] if key(t, "budget") && key(f, "requirement") => {
            match &scenario.gap_build.budget.as_ref()?.base {
                Requirement::Levels(levels) => levels.clone(),
                Requirement::Net(_) => return None,
            }
        }
        [t, f] if key(t, "gap") && key(f, "unidentified") => scenario.gap.unidentified.clone(),
        [t, f] if key(t, "gap") && key(f, "required") => scenario.gap.required.clone(),
        [t, at, f] if (key(t, "pressure") || key(t, "funding")) && key(f, "amount") => {
            let lines = if key(t, "pressure") {
                &scenario.gap_build.pressures
            } else {
                &scenario.gap_build.funding
            };
            lines
                .iter()
                .find(|l| Some(l.id.as_str()) == id(at))?
                .amount
                .clone()
        }
        [t, at, f] if key(t, "service") && key(f, "planned") => scenario
            .services
            .iter()
            .find(|s| Some(s.id.as_str()) == id(at))?
            .planned
            .clone(),
        _ => {
            let line = LinePath::of(&FieldPath(head.iter().map(|s| (*s).clone()).collect()))?;
            let (_, option) = line.find(scenario)?;
            match line.rest.as_slice() {
                [f] if key(f, "saving") => option
                    .as_written
                    .profile
                    .as_ref()?
                    .get(case.unwrap_or(crate::model::Case::Central))
                    .clone(),
                _ => return None,
            }
        }
    };
    let figure = match series.basis() {
        Basis::Levels => scenario
            .years()
            .position(|y| y == year)
            .and_then(|t| series.levels(scenario.years()).ok()?.get(t).copied())
            .unwrap_or_else(|| series.get(year)),
        Basis::Increments | Basis::InYear => series.get(year),
    };
    Some(figure.amount())
}

/// Whether a year of the field at `path` may be negative: a year of an `increments` table (a
/// level that falls), any year of a pressure (a pressure that reverses) and the reserves used
/// (negative: a contribution to reserves), docs/model.md sections 9.1 and 9.5. Goal seek
/// searches such a field below zero too.
pub fn signed_year(path: &FieldPath) -> bool {
    let key = |step: &Step, name: &str| matches!(step, Step::Key(k) if k == name);
    let Some(Step::Key(last)) = path.0.last() else {
        return false;
    };
    if FinancialYear::parse(last).is_err() {
        return false;
    }
    path.0.iter().any(|s| key(s, "increments"))
        || path.0.first().is_some_and(|s| key(s, "pressure"))
        || matches!(path.0.as_slice(), [b, r, _] if key(b, "budget") && key(r, "reserves"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> FieldPath {
        FieldPath::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_line_path_names_the_option_and_its_saving() {
        let line = LinePath::of(&path("service[c].saving.levels.\"2026/27\"")).expect("a line");
        assert_eq!(line.option, path("service[c]"));
        assert_eq!(line.saving(), path("service[c].saving"));
        let line = LinePath::of(&path("service[x].option[y].saving.factor")).expect("a line");
        assert_eq!(line.option, path("service[x].option[y]"));
        assert!(line.is_factor());
        assert!(LinePath::of(&path("service[x].planned.\"2026/27\"")).is_none());
        assert!(LinePath::of(&path("scenario.overlap")).is_none());
    }

    #[test]
    fn signed_years_are_increments_pressures_and_reserves() {
        for signed in [
            "service[b].saving.increments.\"2027/28\"",
            "pressure[pay].amount.\"2026/27\"",
            "pressure[pay].amount.levels.\"2026/27\"",
            "budget.reserves.\"2025/26\"",
        ] {
            assert!(signed_year(&path(signed)), "{signed}");
        }
        for unsigned in [
            "service[c].saving.levels.\"2026/27\"",
            "funding[council-tax].amount.\"2026/27\"",
            "service[x].planned.\"2026/27\"",
            "budget.net",
        ] {
            assert!(!signed_year(&path(unsigned)), "{unsigned}");
        }
    }

    #[test]
    fn a_saving_scales_exactly_in_every_case_and_form() -> Result<(), String> {
        let text: std::sync::Arc<str> = std::sync::Arc::from(
            "{ low = { levels = { \"2025/26\" = 0.24 } }, central = { increments = { \"2025/26\" = 0.32, \"2026/27\" = -0.04 } }, high = 0.5 }",
        );
        let value = crate::scenario::raw::parse_value(crate::scenario::raw::SourceId(0), &text)
            .map_err(|e| e.to_string())?;
        let (_, written) = scaled(&value, Decimal::new(125, 2)).ok_or("inexact")?;
        assert_eq!(
            written,
            "{ low = { levels = { \"2025/26\" = 0.3 } }, central = { increments = { \"2025/26\" = 0.4, \"2026/27\" = -0.05 } }, high = 0.625 }"
        );
        // 0.5 x 2,000,000,000,000 is the most a figure may be.
        assert_eq!(
            largest_factor(&value),
            Some(Decimal::from(2_000_000_000_000i64))
        );
        // A product past 28 decimal places is refused, not rounded.
        let tiny = Decimal::new(1, 28);
        assert!(scaled(&value, tiny).is_none());
        assert!(scaled_sets(&path("service[x].saving"), &value, tiny).is_none());
        // The --set arguments: one per figure, in the form written.
        let sets =
            scaled_sets(&path("service[x].saving"), &value, Decimal::TWO).ok_or("inexact")?;
        assert_eq!(
            sets,
            [
                "--set 'service[x].saving.low.levels.\"2025/26\"=0.48'",
                "--set 'service[x].saving.central.increments.\"2025/26\"=0.64'",
                "--set 'service[x].saving.central.increments.\"2026/27\"=-0.08'",
                "--set 'service[x].saving.high=1'",
            ]
        );
        Ok(())
    }
}
