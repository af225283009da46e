//! `savings compare`: how a scenario B differs from a scenario A, year by year and service by
//! service, over the years both project; for plans (docs/model.md section 9), also each line's
//! status, the gap built from the budget line by line, and the subtotals by status and area.

use crate::model::{
    ArithmeticError, Case, Cases, FinancialYear, Money, Requirement, Scenario, Status,
};
use crate::projection::{Projection, Series, Subtotal, Summary};

/// One scenario of a comparison.
pub struct Variant<'a> {
    /// `A`, `B`, `C`, ...
    pub label: String,
    /// What the label stands for: the file, and any overrides that made it.
    pub description: String,
    pub scenario: &'a Scenario,
    pub projection: &'a Projection,
}

/// The key figures of one year, central case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearFigures {
    pub in_year: Money,
    pub contribution: Money,
    pub remaining_gap: Money,
    pub closed: bool,
}

/// One year in A and B.
#[derive(Clone, Debug)]
pub struct YearDifference {
    pub year: FinancialYear,
    pub a: YearFigures,
    pub b: YearFigures,
    pub in_year: Money,
    pub remaining_gap: Money,
}

/// One service in A and B (absent from one of them if only the other has it).
#[derive(Clone, Debug)]
pub struct ServiceDifference {
    pub id: String,
    pub name: String,
    /// The option taken forward; `None` if deferred or absent.
    pub option_a: Option<String>,
    pub option_b: Option<String>,
    /// Where the option taken forward stands in the plan; `None` if deferred or absent.
    pub status_a: Option<Status>,
    pub status_b: Option<Status>,
    pub present_a: bool,
    pub present_b: bool,
    /// Total saving over the common years, central case.
    pub total_a: Money,
    pub total_b: Money,
    pub total: Money,
}

impl ServiceDifference {
    pub fn option_changed(&self) -> bool {
        self.option_a != self.option_b
    }

    /// Whether the line is taken forward in both with a different status (approved in A,
    /// withdrawn in B, say).
    pub fn status_changed(&self) -> bool {
        matches!((self.status_a, self.status_b), (Some(a), Some(b)) if a != b)
    }
}

/// One row of the gap built from the budget, in A and B, over the years both project: a line
/// (a pressure, a funding line) or a total. Funding and reserves are negative, as the tables
/// show them (they reduce the gap).
#[derive(Clone, Debug)]
pub struct GapRow {
    /// What the row is, as the JSON names it: `net_budget`, `unidentified_to_date`,
    /// `pressure[ID]`, `requirement`, `funding[ID]`, `pressures`, `funding`, `reserves`,
    /// `gap_to_date`.
    pub key: String,
    /// As the tables label it (`Pressure: Pay awards`).
    pub label: String,
    /// Its amounts in A and in B; `None` where that scenario has no such row.
    pub a: Option<Series>,
    pub b: Option<Series>,
    /// B - A, a line absent from one counting as nothing there; `None` for a total that one
    /// of them does not build (a requirement in A, a gap of pressures alone in B).
    pub difference: Option<Series>,
}

/// One group of lines (a status, an area) in A and B, over the years both project.
#[derive(Clone, Debug)]
pub struct SubtotalRow {
    /// The status, or the area (`None`: lines with no area).
    pub key: Option<String>,
    pub lines_a: usize,
    pub lines_b: usize,
    /// `D` and `N`, central case, in A and B (empty where the group has no line there) and
    /// B - A.
    pub in_year: (Series, Series, Series),
    pub contribution: (Series, Series, Series),
}

/// B against A.
pub struct Difference {
    pub years: Vec<YearDifference>,
    pub services: Vec<ServiceDifference>,
    /// The figures over the horizon in each case, A then B, and B - A.
    pub summary: Cases<(Summary, Summary)>,
    pub total_saving: Cases<Money>,
    pub npv: Cases<Money>,
    /// Whether B differs from A anywhere: any figure of any row, any option taken forward.
    pub identical: bool,
    /// The gap built line by line, where either builds it from the budget or pressures.
    pub gap_build: Vec<GapRow>,
    /// `D` and `N` by status, where either has more than one status (in the order of
    /// [`Status::ALL`]), and by area, where either names one (A's areas first).
    pub by_status: Vec<SubtotalRow>,
    pub by_area: Vec<SubtotalRow>,
}

impl Difference {
    /// Years whose closed status differs between A and B (central case).
    pub fn closed_changes(&self) -> impl Iterator<Item = &YearDifference> {
        self.years.iter().filter(|y| y.a.closed != y.b.closed)
    }

    /// Services whose option taken forward differs.
    pub fn option_changes(&self) -> impl Iterator<Item = &ServiceDifference> {
        self.services.iter().filter(|s| s.option_changed())
    }

    /// Lines taken forward in both whose status differs.
    pub fn status_changes(&self) -> impl Iterator<Item = &ServiceDifference> {
        self.services.iter().filter(|s| s.status_changed())
    }
}

fn year_figures(projection: &Projection, index: usize) -> YearFigures {
    let total = &projection.total;
    let at = |series: &[Money]| series.get(index).copied().unwrap_or_default();
    let remaining_gap = at(&total.remaining_gap.central);
    YearFigures {
        in_year: at(&total.in_year.central),
        contribution: at(&total.contribution.central),
        remaining_gap,
        closed: !remaining_gap.is_positive(),
    }
}

/// Compares B with A over the years both project.
pub fn compare(a: &Variant, b: &Variant) -> Result<Difference, ArithmeticError> {
    let mut years = Vec::new();
    for (ia, year) in a.projection.years.iter().enumerate() {
        let Some(ib) = b.projection.years.iter().position(|y| y == year) else {
            continue;
        };
        let (fa, fb) = (
            year_figures(a.projection, ia),
            year_figures(b.projection, ib),
        );
        years.push(YearDifference {
            year: *year,
            in_year: fb.in_year.checked_sub(fa.in_year)?,
            remaining_gap: fb.remaining_gap.checked_sub(fa.remaining_gap)?,
            a: fa,
            b: fb,
        });
    }

    let mut services: Vec<ServiceDifference> = Vec::new();
    let mut ids: Vec<&str> = a.scenario.services.iter().map(|s| s.id.as_str()).collect();
    for s in &b.scenario.services {
        if !ids.contains(&s.id.as_str()) {
            ids.push(&s.id);
        }
    }
    for id in ids {
        let (option_a, total_a, name_a) = service_figures(a, id, &years)?;
        let (option_b, total_b, name_b) = service_figures(b, id, &years)?;
        services.push(ServiceDifference {
            id: id.to_string(),
            name: name_a.or(name_b).unwrap_or_else(|| id.to_string()),
            present_a: a.scenario.services.iter().any(|s| s.id == id),
            present_b: b.scenario.services.iter().any(|s| s.id == id),
            total: total_b.checked_sub(total_a)?,
            status_a: status_of(a.scenario, id),
            status_b: status_of(b.scenario, id),
            option_a,
            option_b,
            total_a,
            total_b,
        });
    }
    let common: Vec<FinancialYear> = years.iter().map(|y| y.year).collect();
    let gap_build = gap_rows(a, b, &common)?;
    let (by_status, by_area) = subtotal_rows(a, b, &common)?;

    let summary = a
        .projection
        .total
        .summary
        .map(|case, sa| (sa.clone(), b.projection.total.summary.get(case).clone()));
    let total_saving =
        summary.try_map(|_, (sa, sb)| sb.total_saving.checked_sub(sa.total_saving))?;
    let npv = summary.try_map(|_, (sa, sb)| sb.npv.sub_to_full_precision(sa.npv))?;

    let identical = a.projection.years == b.projection.years
        && services
            .iter()
            .all(|s| !s.option_changed() && s.present_a == s.present_b)
        && rows_identical(a, b);
    Ok(Difference {
        years,
        services,
        summary,
        total_saving,
        npv,
        identical,
        gap_build,
        by_status,
        by_area,
    })
}

/// The status of the option service `id` takes forward in `scenario`, if any.
fn status_of(scenario: &Scenario, id: &str) -> Option<Status> {
    scenario
        .services
        .iter()
        .find(|s| s.id == id)
        .and_then(|s| s.taken_forward())
        .map(|o| o.status)
}

/// A series of `variant` (one value per projected year) over the `common` years.
fn on_common(variant: &Variant, series: &[Money], common: &[FinancialYear]) -> Series {
    common
        .iter()
        .map(|year| {
            variant
                .projection
                .years
                .iter()
                .position(|y| y == year)
                .and_then(|t| series.get(t).copied())
                .unwrap_or_default()
        })
        .collect()
}

/// `b - a` year by year.
fn minus(b: &[Money], a: &[Money]) -> Result<Series, ArithmeticError> {
    b.iter().zip(a).map(|(b, a)| b.checked_sub(*a)).collect()
}

/// Every row of the gap build of A and B (docs/model.md section 9.5), in the order the tables
/// show a gap build: the net budget (or the unidentified gap), each pressure, the requirement,
/// each funding line, the funding, the reserves, the gap to date. Lines are matched by id, A's
/// first. Empty where neither scenario builds its gap.
fn gap_rows(
    a: &Variant,
    b: &Variant,
    common: &[FinancialYear],
) -> Result<Vec<GapRow>, ArithmeticError> {
    let builds = (
        a.projection.total.gap_build.as_ref(),
        b.projection.total.gap_build.as_ref(),
    );
    if builds.0.is_none() && builds.1.is_none() {
        return Ok(Vec::new());
    }
    let mut rows = Vec::new();
    // A total: `pick` gives a variant's series, where it has one.
    let total = |rows: &mut Vec<GapRow>,
                 key: &str,
                 label: &str,
                 pick: &dyn Fn(&Variant) -> Option<Series>|
     -> Result<(), ArithmeticError> {
        let (sa, sb) = (pick(a), pick(b));
        if sa.is_none() && sb.is_none() {
            return Ok(());
        }
        let sa = sa.map(|s| on_common(a, &s, common));
        let sb = sb.map(|s| on_common(b, &s, common));
        let difference = match (&sa, &sb) {
            (Some(x), Some(y)) => Some(minus(y, x)?),
            _ => None,
        };
        rows.push(GapRow {
            key: key.to_string(),
            label: label.to_string(),
            a: sa,
            b: sb,
            difference,
        });
        Ok(())
    };
    // Lines of one kind, matched by id: a line one scenario lacks counts as nothing there.
    let lines = |rows: &mut Vec<GapRow>, kind: &str, label: &str| -> Result<(), ArithmeticError> {
        let of = |v: &Variant| -> Vec<(String, String, Series)> {
            let (inputs, build) = (&v.scenario.gap_build, v.projection.total.gap_build.as_ref());
            let (lines, levels) = match (kind, build) {
                ("pressure", Some(build)) => (&inputs.pressures, &build.pressure_lines),
                ("funding", Some(build)) => (&inputs.funding, &build.funding_lines),
                _ => return Vec::new(),
            };
            lines
                .iter()
                .zip(levels)
                .map(|(line, levels)| {
                    let shown: Series = if kind == "funding" {
                        levels.iter().map(|m| -*m).collect()
                    } else {
                        levels.clone()
                    };
                    (
                        line.id.clone(),
                        line.name.clone(),
                        on_common(v, &shown, common),
                    )
                })
                .collect()
        };
        let (la, lb) = (of(a), of(b));
        let mut ids: Vec<&str> = la.iter().map(|(id, _, _)| id.as_str()).collect();
        for (id, _, _) in &lb {
            if !ids.contains(&id.as_str()) {
                ids.push(id);
            }
        }
        let zero = vec![Money::ZERO; common.len()];
        for id in ids {
            let find = |l: &[(String, String, Series)]| {
                l.iter()
                    .find(|(i, _, _)| i == id)
                    .map(|(_, n, s)| (n.clone(), s.clone()))
            };
            let (fa, fb) = (find(&la), find(&lb));
            let name = fa
                .as_ref()
                .or(fb.as_ref())
                .map(|(n, _)| n.clone())
                .unwrap_or_default();
            let (sa, sb) = (fa.map(|(_, s)| s), fb.map(|(_, s)| s));
            let difference = minus(sb.as_ref().unwrap_or(&zero), sa.as_ref().unwrap_or(&zero))?;
            rows.push(GapRow {
                key: format!("{kind}[{id}]"),
                label: format!("{label}: {name}"),
                a: sa,
                b: sb,
                difference: Some(difference),
            });
        }
        Ok(())
    };
    let net = |v: &Variant| match v.scenario.gap_build.budget.as_ref().map(|b| &b.base) {
        Some(Requirement::Net(net)) => Some(vec![*net; v.projection.years.len()]),
        _ => None,
    };
    let build = |v: &Variant, f: fn(&crate::projection::GapBuild) -> Option<Series>| {
        v.projection.total.gap_build.as_ref().and_then(f)
    };
    total(&mut rows, "net_budget", "Net budget", &net)?;
    total(
        &mut rows,
        "unidentified_to_date",
        "Unidentified gap to date",
        &|v| build(v, |g| g.unidentified.clone()),
    )?;
    lines(&mut rows, "pressure", "Pressure")?;
    total(&mut rows, "requirement", "Budget requirement", &|v| {
        build(v, |g| g.requirement.clone())
    })?;
    total(&mut rows, "pressures", "Pressures, total", &|v| {
        build(v, |g| g.pressures.clone())
    })?;
    lines(&mut rows, "funding", "Funding")?;
    let negated = |s: Option<Series>| s.map(|s| s.iter().map(|m| -*m).collect());
    total(&mut rows, "funding", "Funding, total", &|v| {
        negated(build(v, |g| g.funding.clone()))
    })?;
    total(&mut rows, "reserves", "Reserves used", &|v| {
        negated(build(v, |g| g.reserves.clone()))
    })?;
    total(&mut rows, "gap_to_date", "Gap to date", &|v| {
        Some(v.projection.total.gap_to_date.clone())
    })?;
    Ok(rows)
}

/// The subtotals by status (where either scenario has more than one) and by area (where
/// either names one), A's groups first.
fn subtotal_rows(
    a: &Variant,
    b: &Variant,
    common: &[FinancialYear],
) -> Result<(Vec<SubtotalRow>, Vec<SubtotalRow>), ArithmeticError> {
    let row = |key: Option<String>,
               sa: Option<&Subtotal>,
               sb: Option<&Subtotal>|
     -> Result<SubtotalRow, ArithmeticError> {
        let zero = vec![Money::ZERO; common.len()];
        let series = |v: &Variant, s: Option<&Subtotal>, f: fn(&Subtotal) -> &Series| {
            s.map_or_else(|| zero.clone(), |s| on_common(v, f(s), common))
        };
        let pair =
            |f: fn(&Subtotal) -> &Series| -> Result<(Series, Series, Series), ArithmeticError> {
                let (x, y) = (series(a, sa, f), series(b, sb, f));
                let d = minus(&y, &x)?;
                Ok((x, y, d))
            };
        Ok(SubtotalRow {
            key,
            lines_a: sa.map_or(0, |s| s.lines),
            lines_b: sb.map_or(0, |s| s.lines),
            in_year: pair(|s| &s.in_year.central)?,
            contribution: pair(|s| &s.contribution.central)?,
        })
    };
    let (ta, tb) = (&a.projection.total, &b.projection.total);
    let mut by_status = Vec::new();
    if ta.by_status.len() > 1 || tb.by_status.len() > 1 {
        for status in Status::ALL {
            let (sa, sb) = (find(&ta.by_status, &status), find(&tb.by_status, &status));
            if sa.is_some() || sb.is_some() {
                by_status.push(row(Some(status.to_string()), sa, sb)?);
            }
        }
    }
    let mut by_area = Vec::new();
    if !ta.by_area.is_empty() || !tb.by_area.is_empty() {
        let mut keys: Vec<&Option<String>> = ta.by_area.iter().map(|(k, _)| k).collect();
        for (k, _) in &tb.by_area {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        // Lines with no area come last, as in each scenario's own table.
        keys.sort_by_key(|k| k.is_none());
        for key in keys {
            by_area.push(row(
                key.clone(),
                find(&ta.by_area, key),
                find(&tb.by_area, key),
            )?);
        }
    }
    Ok((by_status, by_area))
}

/// The subtotal of the group `key` in `list`, if the scenario has it.
fn find<'s, K: PartialEq>(list: &'s [(K, Subtotal)], key: &K) -> Option<&'s Subtotal> {
    list.iter().find(|(k, _)| k == key).map(|(_, t)| t)
}

/// The option taken forward, the total saving over `years` (central) and the name of
/// service `id` in a variant.
fn service_figures(
    variant: &Variant,
    id: &str,
    years: &[YearDifference],
) -> Result<(Option<String>, Money, Option<String>), ArithmeticError> {
    let Some(index) = variant.scenario.services.iter().position(|s| s.id == id) else {
        return Ok((None, Money::ZERO, None));
    };
    let service = &variant.scenario.services[index];
    let option = service.taken_forward().map(|o| o.id.clone());
    let projected = variant
        .projection
        .services
        .iter()
        .find(|p| p.service == index);
    let total = match projected {
        None => Money::ZERO,
        Some(p) => Money::total(
            variant
                .projection
                .years
                .iter()
                .zip(p.figures.in_year.get(Case::Central))
                .filter(|(y, _)| years.iter().any(|d| d.year == **y))
                .map(|(_, d)| *d),
        )?,
    };
    Ok((option, total, Some(service.name.clone())))
}

/// Whether every long-form row (services and totals, all measures, years and cases) is the
/// same in both.
fn rows_identical(a: &Variant, b: &Variant) -> bool {
    let ra = crate::projection::rows::rows(a.scenario, a.projection);
    let rb = crate::projection::rows::rows(b.scenario, b.projection);
    ra.map(|r| (r.service, r.option, r.year, r.measure, r.case, r.value))
        .eq(rb.map(|r| (r.service, r.option, r.year, r.measure, r.case, r.value)))
}
