//! What the table and Markdown formats show, as rows of display text: both print the same
//! figures and notes, only the layout differs.

use crate::model::{Case, FinancialYear, Money, rounded};
use crate::projection::Summary;

use super::{PROGRAM, Report};

/// A table of display cells: a header row, then body rows.
pub struct TextTable {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Columns (by index) that hold figures and are right-aligned.
    pub numeric: Vec<usize>,
}

/// The title line and the scenario's settings.
pub fn heading(report: &Report) -> (String, String) {
    let s = report.scenario;
    let title = s.name.clone();
    let settings = format!(
        "Base year {}, {} to {}, money in {}; overlap w = {}; discount rate {}; MTFP period {} to {}",
        s.base_year,
        years_count(s.horizon),
        s.last_year(),
        s.unit,
        s.overlap,
        percent(s.discount_rate.value(), 2),
        s.mtfp_period.0,
        s.mtfp_period.1,
    );
    (title, settings)
}

/// Per year: total in-year saving (low, central, high), planned to date, contribution, gap
/// to date, remaining gap and closed (central).
pub fn years(report: &Report) -> TextTable {
    let dp = report.dp;
    let t = &report.projection.total;
    let rows = report
        .projection
        .years
        .iter()
        .enumerate()
        .map(|(i, year)| {
            let r = t.remaining_gap.central[i];
            vec![
                year.to_string(),
                rounded(t.in_year.low[i].amount(), dp),
                rounded(t.in_year.central[i].amount(), dp),
                rounded(t.in_year.high[i].amount(), dp),
                rounded(t.planned_to_date[i].amount(), dp),
                rounded(t.contribution.central[i].amount(), dp),
                rounded(t.gap_to_date[i].amount(), dp),
                rounded(r.amount(), dp),
                if r.amount().is_sign_positive() && !r.is_zero() {
                    "no"
                } else {
                    "yes"
                }
                .to_string(),
            ]
        })
        .collect();
    TextTable {
        header: [
            "Year",
            "In-year saving low",
            "In-year saving central",
            "In-year saving high",
            "Planned to date",
            "Contribution",
            "Gap to date",
            "Remaining gap",
            "Closed",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        numeric: (1..=7).collect(),
    }
}

/// Per service: the option taken forward, steady-state saving, ten-year total and the
/// meets-plan margins (central); deferred services listed as deferred.
pub fn services(report: &Report) -> TextTable {
    let dp = report.dp;
    let scenario = report.scenario;
    let projection = report.projection;
    let mut rows: Vec<(usize, Vec<String>)> = projection
        .services
        .iter()
        .map(|p| {
            let s = &scenario.services[p.service];
            let o = &s.options[p.option];
            let test = &p.meets_plan.central;
            let margins: Vec<String> = test
                .margins
                .iter()
                .map(|(y, m)| format!("{y}: {}", rounded(m.amount(), dp)))
                .collect();
            let how = if s.chosen_explicitly { " (chosen)" } else { "" };
            (
                p.service,
                vec![
                    s.name.clone(),
                    format!("{}{how}", o.name),
                    format!(
                        "{} ({}–{})",
                        rounded(o.saving.central.amount(), dp),
                        rounded(o.saving.low.amount(), dp),
                        rounded(o.saving.high.amount(), dp)
                    ),
                    rounded(p.figures.summary.central.total_saving.amount(), dp),
                    margins.join("\n"),
                    if test.holds { "yes" } else { "no" }.to_string(),
                ],
            )
        })
        .collect();
    for &i in &projection.deferred {
        let s = &scenario.services[i];
        rows.push((
            i,
            vec![
                s.name.clone(),
                "deferred: no option taken forward".to_string(),
                "-".into(),
                "-".into(),
                "-".into(),
                "-".into(),
            ],
        ));
    }
    rows.sort_by_key(|(i, _)| *i);
    TextTable {
        header: [
            "Service",
            "Option taken forward",
            "Steady state (low–high)",
            &format!("Total over {}", years_count(scenario.horizon)),
            "Meets-plan margin",
            "Meets plan",
        ]
        .map(String::from)
        .to_vec(),
        rows: rows.into_iter().map(|(_, r)| r).collect(),
        numeric: vec![3],
    }
}

/// The ten-year figures in each case.
pub fn summary(report: &Report) -> TextTable {
    let dp = report.dp;
    let scenario = report.scenario;
    let summaries = &report.projection.total.summary;
    let line = |label: String, f: &dyn Fn(&Summary) -> String| {
        let mut row = vec![label];
        row.extend(summaries.iter().map(|(_, s)| f(s)));
        row
    };
    let money = |m: Money| rounded(m.amount(), dp);
    TextTable {
        header: vec!["".into(), "Low".into(), "Central".into(), "High".into()],
        rows: vec![
            line(
                format!("Total saving over {}", years_count(scenario.horizon)),
                &|s| money(s.total_saving),
            ),
            line("Average saving per year".into(), &|s| {
                money(s.average_per_year)
            }),
            line("Steady-state annual saving".into(), &|s| {
                money(s.steady_state)
            }),
            line(
                format!(
                    "Net present value at {}",
                    percent(scenario.discount_rate.value(), 2)
                ),
                &|s| money(s.npv),
            ),
            line("Payback year".into(), &|s| {
                s.payback_year.map_or("none".into(), |y| y.to_string())
            }),
            line("Years closed".into(), &|s| year_ranges(&s.closed_years)),
        ],
        numeric: vec![1, 2, 3],
    }
}

/// The notes printed under the tables.
pub fn notes(report: &Report) -> Vec<String> {
    let dp = report.dp;
    let scenario = report.scenario;
    let projection = report.projection;
    let total = &projection.total;
    let places = if dp == 1 {
        "1 decimal place".to_string()
    } else {
        format!("{dp} decimal places")
    };
    let mut notes = vec![
        format!(
            "Money in {}, rounded half away from zero to {places} for display; totals use unrounded values, so shown figures may not add exactly.",
            scenario.unit
        ),
        format!(
            "Contribution = in-year saving - w x planned savings to date (w = {}). Remaining gap = unidentified gap to date - contribution; a year is closed when it is zero or less. Contribution, remaining gap, closed, totals per service and margins are the central case; low and high put every option at its low or high saving (bounds, not percentiles).",
            scenario.overlap
        ),
        format!(
            "Meets plan: the option's in-year saving is at least the service's planned savings to date in every MTFP year ({} to {}); the margin is the difference, whatever w is.",
            scenario.mtfp_period.0, scenario.mtfp_period.1
        ),
    ];
    let base_planned = projection.context.planned_base_year;
    if !base_planned.is_zero() {
        notes.push(format!(
            "Planned savings in the base year {} ({} across all services) are already in the base budget and are not counted again.",
            scenario.base_year,
            rounded(base_planned.amount(), dp)
        ));
    }
    if !scenario.gap.required.is_empty() {
        let required: Vec<String> = scenario
            .gap
            .required
            .iter()
            .map(|(y, m)| format!("{y} {}", rounded(m.amount(), dp)))
            .collect();
        notes.push(format!(
            "Savings required by the MTFP (context): {}.",
            required.join(", ")
        ));
    }
    let coverage: Vec<String> = projection
        .years
        .iter()
        .enumerate()
        .filter(|(_, y)| scenario.gap.unidentified.contains(**y))
        .filter_map(|(t, y)| {
            total
                .gap_coverage(Case::Central, t)
                .map(|c| format!("{y} {}", percent(c, 1)))
        })
        .collect();
    if !coverage.is_empty() {
        notes.push(format!(
            "Share of the unidentified gap to date the options cover (central): {}.",
            coverage.join(", ")
        ));
    }
    let costs = total.one_off_cost_total;
    if !costs.is_zero() || !total.base_year_cost.is_zero() {
        notes.push(format!(
            "One-off costs ({} in the projected years, {} in the base year) count in NPV and payback only; they are never netted off the savings that close the gap.",
            rounded(costs.amount(), dp),
            rounded(total.base_year_cost.amount(), dp)
        ));
    }
    if !projection.deferred.is_empty() {
        let names: Vec<&str> = projection
            .deferred
            .iter()
            .map(|&i| scenario.services[i].name.as_str())
            .collect();
        notes.push(format!(
            "Deferred (no option taken forward; contributes nothing and keeps its planned savings in-house): {}.",
            names.join(", ")
        ));
    }
    notes
}

/// The footer: where the figures came from.
pub fn footer(report: &Report) -> String {
    format!("Scenario file: {}. {PROGRAM}.", report.source)
}

/// "1 year", "10 years".
pub fn years_count(n: u16) -> String {
    if n == 1 {
        "1 year".to_string()
    } else {
        format!("{n} years")
    }
}

/// A fraction as a percentage, rounded for display.
pub fn percent(fraction: rust_decimal::Decimal, dp: u32) -> String {
    // Beyond a million per cent the figure says nothing more (and could overflow).
    let limit = rust_decimal::Decimal::from(10_000);
    if fraction > limit {
        return "over 1000000%".to_string();
    }
    if fraction < -limit {
        return "below -1000000%".to_string();
    }
    let value = fraction * rust_decimal::Decimal::ONE_HUNDRED;
    let text = rounded(value, dp);
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    format!("{text}%")
}

/// Years as ranges: `2016/17 to 2024/25`, `2015/16, 2018/19`; `none` when empty.
pub fn year_ranges(years: &[FinancialYear]) -> String {
    if years.is_empty() {
        return "none".to_string();
    }
    let mut parts = Vec::new();
    let mut start = years[0];
    let mut end = years[0];
    for &year in &years[1..] {
        if year.years_after(end) == 1 {
            end = year;
        } else {
            parts.push(range_text(start, end));
            start = year;
            end = year;
        }
    }
    parts.push(range_text(start, end));
    parts.join(", ")
}

fn range_text(start: FinancialYear, end: FinancialYear) -> String {
    if start == end {
        start.to_string()
    } else {
        format!("{start} to {end}")
    }
}

#[cfg(test)]
mod tests {
    type TestResult = Result<(), Box<dyn std::error::Error>>;

    use super::*;

    fn y(s: &str) -> FinancialYear {
        FinancialYear::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn closed_years_read_as_ranges() -> TestResult {
        assert_eq!(year_ranges(&[]), "none");
        assert_eq!(
            year_ranges(&[y("2016/17"), y("2017/18"), y("2018/19")]),
            "2016/17 to 2018/19"
        );
        assert_eq!(
            year_ranges(&[y("2015/16"), y("2017/18"), y("2018/19")]),
            "2015/16, 2017/18 to 2018/19"
        );
        Ok(())
    }

    #[test]
    fn percentages_drop_needless_zeros() -> TestResult {
        use std::str::FromStr;
        assert_eq!(
            percent(rust_decimal::Decimal::from_str("0.035")?, 2),
            "3.5%"
        );
        assert_eq!(
            percent(rust_decimal::Decimal::from_str("0.1234")?, 1),
            "12.3%"
        );
        assert_eq!(percent(rust_decimal::Decimal::ONE, 1), "100%");
        assert_eq!(percent(rust_decimal::Decimal::MAX, 1), "over 1000000%");
        assert_eq!(percent(rust_decimal::Decimal::MIN, 1), "below -1000000%");
        Ok(())
    }
}
