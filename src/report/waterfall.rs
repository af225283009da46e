//! The gap of one year built step by step, as a waterfall (docs/model.md section 9.5): from
//! the base year's net budget (or the requirement, where only `budget.requirement` is given,
//! or the unidentified gap to date, where pressures are added to it), up by the pressures, to
//! the requirement; down by funding and reserves, to the gap to date; then down by the
//! savings' contribution `N` by status, to the remaining gap `R`. The year is the first of
//! the MTFP period: the budget being set.
//!
//! The steps are exact: each change is a figure of the projection, and the totals between them
//! (requirement, gap to date, remaining gap) are the projection's own, which the changes before
//! them add up to (the tests check it from `savings run --format csv`). The Markdown and HTML
//! reports print them as a table and the charts draw them (`chart/waterfall.rs`). A scenario
//! that gives only `gap.unidentified` (Kent) has no waterfall.

use crate::model::{FinancialYear, Money, Requirement, Scenario, Status, grouped};
use crate::output::TextTable;
use crate::projection::Projection;

/// Pressure or funding lines drawn one bar each up to so many; more are one bar in total.
pub const MOST_LINES: usize = 6;

/// One step of the waterfall.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub label: String,
    pub kind: StepKind,
    /// A total's level, or a change's amount (positive adds to the gap).
    pub value: Money,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// A level drawn from zero: where the waterfall starts, and the totals on the way.
    Total,
    /// A change from the running total: up (adds to the gap) or down (reduces it).
    Change,
}

/// The gap of one year, step by step.
#[derive(Clone, Debug)]
pub struct Waterfall {
    pub year: FinancialYear,
    pub steps: Vec<Step>,
    /// What the steps mean, for the notes under the table and the chart.
    pub notes: Vec<String>,
    /// Whether any line has a step of its status (lines other than in-base).
    pub has_savings: bool,
    /// Whether any line is in-base (which has no step).
    pub has_in_base: bool,
}

impl Waterfall {
    /// The waterfall of the first MTFP year, where the scenario builds its gap from
    /// `[budget]` or pressures; `None` where it gives only `gap.unidentified`.
    pub fn of(scenario: &Scenario, projection: &Projection) -> Option<Self> {
        let build = projection.total.gap_build.as_ref()?;
        let year = scenario.mtfp_period.0;
        let i = projection.years.iter().position(|y| *y == year)?;
        let at = |series: &[Money]| series.get(i).copied().unwrap_or(Money::ZERO);
        let inputs = &scenario.gap_build;
        let mut steps = Vec::new();
        let total = |label: String, value: Money| Step {
            label,
            kind: StepKind::Total,
            value,
        };
        let change = |label: String, value: Money| Step {
            label,
            kind: StepKind::Change,
            value,
        };
        // Lines one bar each, or one bar for them all.
        let lines = |steps: &mut Vec<Step>, kind: &str, names: Vec<&str>, levels: &[Money]| {
            if names.len() <= MOST_LINES {
                for (name, level) in names.into_iter().zip(levels) {
                    steps.push(change(format!("{kind}: {name}"), *level));
                }
            } else if let Ok(sum) = Money::total(levels.iter().copied()) {
                steps.push(change(format!("{kind}, {} lines", names.len()), sum));
            }
        };
        let pressure_levels: Vec<Money> = build.pressure_lines.iter().map(|l| at(l)).collect();
        let pressure_names = inputs.pressures.iter().map(|l| l.name.as_str()).collect();
        match inputs.budget.as_ref().map(|b| &b.base) {
            Some(Requirement::Net(net)) => {
                steps.push(total(format!("Net budget {}", scenario.base_year), *net));
                lines(&mut steps, "Pressure", pressure_names, &pressure_levels);
                steps.push(total(
                    "Budget requirement".into(),
                    at(build.requirement.as_deref().unwrap_or_default()),
                ));
            }
            Some(Requirement::Levels(_)) => steps.push(total(
                "Budget requirement".into(),
                at(build.requirement.as_deref().unwrap_or_default()),
            )),
            None => {
                steps.push(total(
                    "Unidentified gap to date".into(),
                    at(build.unidentified.as_deref().unwrap_or_default()),
                ));
                lines(&mut steps, "Pressure", pressure_names, &pressure_levels);
            }
        }
        if inputs.budget.is_some() {
            let funding: Vec<Money> = build.funding_lines.iter().map(|l| minus(at(l))).collect();
            let names = inputs.funding.iter().map(|l| l.name.as_str()).collect();
            lines(&mut steps, "Funding", names, &funding);
            let reserves = at(build.reserves.as_deref().unwrap_or_default());
            if !reserves.is_zero() {
                steps.push(change("Reserves used".into(), minus(reserves)));
            }
        }
        steps.push(total(
            "Gap to date".into(),
            at(&projection.total.gap_to_date),
        ));
        let (mut has_savings, mut has_in_base) = (false, false);
        for (status, subtotal) in &projection.total.by_status {
            if *status == Status::InBase {
                has_in_base = true;
                continue;
            }
            has_savings = true;
            steps.push(change(
                format!("{} savings", capitalised(status.name())),
                minus(at(&subtotal.contribution.central)),
            ));
        }
        steps.push(total(
            "Remaining gap".into(),
            at(&projection.total.remaining_gap.central),
        ));
        let mut notes = vec![format!(
            "The gap in {year}, step by step: the first year of the MTFP period, central case. A pressure adds to the gap; funding and reserves used reduce it. A remaining gap below zero is a surplus."
        )];
        if has_savings {
            notes.push("A status's step is its lines' contribution: for proposed lines their in-year saving less w x planned savings to date; for approved lines what they deliver beyond their plan (0 when delivered as planned, below 0 when they fall short, which adds to the gap); for withdrawn lines minus their plan, the gap they reopen.".to_string());
        }
        if has_in_base {
            notes.push("In-base savings are already out of the budget: they never move the gap, so they have no step.".to_string());
        }
        Some(Self {
            year,
            steps,
            notes,
            has_savings,
            has_in_base,
        })
    }

    /// The steps as a table: each change with its sign, and the running total after it.
    pub fn table(&self, dp: u32) -> TextTable {
        let mut running = Money::ZERO;
        let rows = self
            .steps
            .iter()
            .map(|step| {
                let amount = match step.kind {
                    StepKind::Total => {
                        running = step.value;
                        String::new()
                    }
                    StepKind::Change => {
                        running = running.checked_add(step.value).unwrap_or(running);
                        signed(step.value, dp)
                    }
                };
                let shown = match step.kind {
                    StepKind::Total => grouped(step.value.amount(), dp),
                    StepKind::Change => grouped(running.amount(), dp),
                };
                vec![step.label.clone(), amount, shown]
            })
            .collect();
        TextTable {
            min_widths: vec![24],
            ..TextTable::new(
                ["Step", "Change", "Running total"]
                    .map(String::from)
                    .to_vec(),
                rows,
                vec![1, 2],
            )
        }
    }
}

/// A change with its sign: `+0.3`, `-101.0`, `0.0`.
pub fn signed(value: Money, dp: u32) -> String {
    let text = grouped(value.amount(), dp);
    if value.is_positive() && !text.starts_with('-') {
        format!("+{text}")
    } else {
        text
    }
}

/// `-value`, with no negative zero.
fn minus(value: Money) -> Money {
    if value.is_zero() { Money::ZERO } else { -value }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Input, load};

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    fn waterfall_of(path: &str) -> Result<(Scenario, Projection, Option<Waterfall>), String> {
        let loaded = load(&Input::from_arg(path)).map_err(|e| format!("{e:?}"))?;
        let projection = crate::projection::project(&loaded.scenario).map_err(|e| e.to_string())?;
        let waterfall = Waterfall::of(&loaded.scenario, &projection);
        Ok((loaded.scenario, projection, waterfall))
    }

    /// Every total is the changes since the one before added to it, exactly, and the last is
    /// the remaining gap.
    fn assert_adds_up(waterfall: &Waterfall, remaining: Money) {
        let mut running: Option<Money> = None;
        for step in &waterfall.steps {
            match (step.kind, running) {
                (StepKind::Total, Some(sum)) => assert_eq!(sum, step.value, "{}", step.label),
                (StepKind::Change, Some(sum)) => {
                    running = Some(sum.checked_add(step.value).unwrap_or(sum));
                    continue;
                }
                (StepKind::Change, None) => panic!("a change before any total"),
                (StepKind::Total, None) => {}
            }
            running = Some(step.value);
        }
        assert_eq!(running, Some(remaining));
        assert_eq!(
            waterfall.steps.last().map(|s| s.label.as_str()),
            Some("Remaining gap")
        );
    }

    #[test]
    fn the_worked_example_steps_from_the_net_budget_to_the_remaining_gap() -> TestResult {
        let (_, projection, waterfall) = waterfall_of("scenarios/worked-example-plan.toml")?;
        let waterfall = waterfall.ok_or("no waterfall")?;
        assert_eq!(waterfall.year.to_string(), "2025/26");
        let steps: Vec<(&str, String)> = waterfall
            .steps
            .iter()
            .map(|s| (s.label.as_str(), s.value.amount().to_string()))
            .collect();
        // docs/model.md section 9.6: RQ = 104, F = 101, V = 1, LG = 2; N approved 0,
        // proposed 0 (c starts in 2026/27); in-base has no step; R = 2.
        assert_eq!(
            steps,
            [
                ("Net budget 2024/25", "100".to_string()),
                ("Pressure: growth", "4".into()),
                ("Budget requirement", "104".into()),
                ("Funding: resources", "-101".into()),
                ("Reserves used", "-1".into()),
                ("Gap to date", "2".into()),
                ("Proposed savings", "0".into()),
                ("Approved savings", "0".into()),
                ("Remaining gap", "2".into()),
            ]
        );
        assert_adds_up(&waterfall, projection.total.remaining_gap.central[0]);
        assert!(waterfall.notes.iter().any(|n| n.starts_with("In-base")));
        Ok(())
    }

    #[test]
    fn riverside_and_gateshead_add_up_to_their_remaining_gap() -> TestResult {
        for path in [
            "scenarios/riverside-district-2025.toml",
            "scenarios/gateshead-mtfs-2020.toml",
        ] {
            let (_, projection, waterfall) = waterfall_of(path)?;
            let waterfall = waterfall.ok_or("no waterfall")?;
            assert_adds_up(&waterfall, projection.total.remaining_gap.central[0]);
        }
        Ok(())
    }

    #[test]
    fn kent_has_no_waterfall() -> TestResult {
        let (_, _, waterfall) = waterfall_of("scenarios/kcc-2014-phase1.toml")?;
        assert!(waterfall.is_none());
        Ok(())
    }

    #[test]
    fn many_lines_are_one_step_and_a_withdrawn_line_adds_to_the_gap() -> TestResult {
        let (scenario, projection, _) = waterfall_of("scenarios/riverside-district-2025.toml")?;
        let mut scenario = scenario;
        let first = scenario.gap_build.funding[0].clone();
        for k in 0..MOST_LINES {
            let mut line = first.clone();
            line.id = format!("extra-{k}");
            scenario.gap_build.funding.push(line);
        }
        let projection_more = crate::projection::project(&scenario)?;
        let waterfall = Waterfall::of(&scenario, &projection_more).ok_or("no waterfall")?;
        let funding: Vec<&Step> = waterfall
            .steps
            .iter()
            .filter(|s| s.label.starts_with("Funding"))
            .collect();
        assert_eq!(funding.len(), 1);
        assert_eq!(
            funding[0].label,
            format!("Funding, {} lines", 3 + MOST_LINES)
        );
        assert_adds_up(&waterfall, projection_more.total.remaining_gap.central[0]);
        // Riverside's withdrawn leisure trust reopens 0.2 of the gap in 2025/26.
        let waterfall = Waterfall::of(&scenario, &projection).ok_or("no waterfall")?;
        let withdrawn = waterfall
            .steps
            .iter()
            .find(|s| s.label == "Withdrawn savings")
            .ok_or("no withdrawn step")?;
        assert_eq!(withdrawn.value.amount().to_string(), "0.2");
        Ok(())
    }

    #[test]
    fn the_table_signs_each_change_and_keeps_a_running_total() -> TestResult {
        let (_, _, waterfall) = waterfall_of("scenarios/worked-example-plan.toml")?;
        let table = waterfall.ok_or("no waterfall")?.table(1);
        assert_eq!(table.rows[1], ["Pressure: growth", "+4.0", "104.0"]);
        assert_eq!(table.rows[3], ["Funding: resources", "-101.0", "3.0"]);
        assert_eq!(table.rows[5], ["Gap to date", "", "2.0"]);
        Ok(())
    }
}
