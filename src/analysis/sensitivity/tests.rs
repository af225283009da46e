//! Unit tests of sensitivity (sensitivity.rs).

use super::*;
use crate::projection::project;
use crate::scenario;
use std::str::FromStr;

type TestResult = std::result::Result<(), Box<dyn std::error::Error>>;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_else(|e| panic!("test figure {s}: {e}"))
}

/// docs/model.md section 4's worked example, with a range and a risk.
const EXAMPLE: &str = r#"
[scenario]
base_year = "2014/15"
mtfp_period = ["2015/16", "2016/17"]
[gap]
unidentified = { "2015/16" = 3, "2016/17" = 4 }
[[service]]
id = "example"
planned = { "2015/16" = 1, "2016/17" = 1 }
  [[service.option]]
  id = "only"
  preferred = true
  saving = { low = 8, central = 10, high = 12 }
  start = "2015-10"
  ramp = [0.5, 1.0]
  one_off_cost = { "2015/16" = 3 }
  risk = { fail = 0.1, slip_months = [0, 6] }
"#;

fn analyse(text: &str) -> std::result::Result<Sensitivity, Box<dyn std::error::Error>> {
    let scenario = scenario::from_text("t.toml", text)?;
    let projection = project(&scenario)?;
    Ok(sensitivity(&scenario, &projection)?)
}

#[test]
fn the_part_year_and_ramp_factor_is_a_fraction() -> TestResult {
    let scenario = scenario::from_text("t.toml", EXAMPLE)?;
    let option = &scenario.services[0].options[0];
    let year = |y: &str| FinancialYear::parse(y).map_err(|e| e.to_string());
    // 0.5 x 6/12 in the go-live year, then 1 x 12/12; nothing before go-live.
    let (n, q) = factor(option, year("2015/16")?);
    assert_eq!(n / q, d("0.25"));
    let (n, q) = factor(option, year("2016/17")?);
    assert_eq!(n / q, Decimal::ONE);
    assert_eq!(factor(option, year("2014/15")?).0, Decimal::ZERO);
    Ok(())
}

#[test]
fn ends_of_a_saving_move_the_total_and_gap_in_a_straight_line() -> TestResult {
    let s = analyse(EXAMPLE)?;
    // Central: D = 2.5, then 10 a year: 92.5; R = 1.5 and -1.
    assert_eq!(s.central.total_saving.amount(), d("92.5"));
    let saving = s
        .bars
        .iter()
        .find(|b| matches!(b.input, Input::Saving(_)))
        .ok_or("no saving bar")?;
    // At 8: D = 2, then 8 a year, 2 + 9 x 8 = 74; R = 3 - (2 - 1) = 2 and 7 - (8 - 2) = 1.
    assert_eq!(saving.low.outcome.total_saving.amount(), d("74"));
    let gaps: Vec<Decimal> = saving
        .low
        .outcome
        .remaining_gap
        .iter()
        .map(|g| g.amount())
        .collect();
    assert_eq!(gaps, [d("2"), d("1")]);
    assert_eq!(saving.high.outcome.total_saving.amount(), d("111"));
    assert_eq!(saving.swing(), d("37"));
    Ok(())
}

#[test]
fn failure_saves_nothing_and_slip_moves_go_live() -> TestResult {
    let s = analyse(EXAMPLE)?;
    let failure = s
        .bars
        .iter()
        .find(|b| matches!(b.input, Input::Failure(_)))
        .ok_or("no failure bar")?;
    assert_eq!(failure.low.outcome.total_saving.amount(), Decimal::ZERO);
    // R = LG - (0 - LP): 3 + 1 and 7 + 2.
    let gaps: Vec<Decimal> = failure
        .low
        .outcome
        .remaining_gap
        .iter()
        .map(|g| g.amount())
        .collect();
    assert_eq!(gaps, [d("4"), d("9")]);
    let slip = s
        .bars
        .iter()
        .find(|b| matches!(b.input, Input::Slip(_)))
        .ok_or("no slip bar")?;
    // Six months late: go-live April 2016, so 0 in 2015/16, 5 in 2016/17, then 10.
    assert_eq!(slip.high.setting, "6 months");
    assert_eq!(slip.high.outcome.total_saving.amount(), d("85"));
    Ok(())
}

#[test]
fn switching_values_solve_the_straight_lines() -> TestResult {
    let s = analyse(EXAMPLE)?;
    let value = |goal: &str, kind: &str| {
        s.switching
            .iter()
            .find(|w| w.goal.to_string() == goal && w.input.kind() == kind)
            .map(|w| (w.value, w.holds, w.within_range))
    };
    assert_eq!(
        value("gap-closed=2015/16", "saving"),
        Some((d("16"), false, false))
    );
    assert_eq!(
        value("gap-closed=2016/17", "saving"),
        Some((d("9"), true, true))
    );
    assert_eq!(
        value("meets-plan=example", "saving"),
        Some((d("4"), true, false))
    );
    assert_eq!(
        value("gap-closed=2016/17", "slip"),
        Some((d("6"), true, true))
    );
    // The overlap cannot switch either year within 0 to 1 (w* = -0.5 and 1.5).
    assert_eq!(value("gap-closed=2016/17", "overlap"), None);
    Ok(())
}

#[test]
fn a_haircut_is_undone_for_the_saving_as_written() -> TestResult {
    let text = EXAMPLE.replace(
        "mtfp_period = [\"2015/16\", \"2016/17\"]",
        "mtfp_period = [\"2015/16\", \"2016/17\"]\noptimism_bias = { saving = 0.2 }",
    );
    let s = analyse(&text)?;
    // The effective saving must reach 9 for 2016/17: 9 / 0.8 as written.
    let w = s
        .switching
        .iter()
        .find(|w| w.goal.to_string() == "gap-closed=2016/17" && w.input.kind() == "saving")
        .ok_or("no switching value")?;
    assert_eq!(w.value, d("11.25"));
    assert!(s.bars.iter().any(|b| b.input == Input::OptimismBias));
    Ok(())
}

/// A profile that dips: 3, 3, 1, 3 against a gap of 2.5 to date in every year, so 2025/26,
/// 2026/27 and 2028/29 are closed. Slipped m months (docs/model.md section 9.2):
/// - 2025/26 has 3 x (12 - m)/12, below 2.5 from m = 3;
/// - 2026/27 keeps 3 for a year, then 3 x (12 - j)/12 at m = 12 + j: below 2.5 from m = 15;
/// - 2028/29 has (3 x (12 - m) + 1 x m)/12 = 3 - m/6, below 2.5 from m = 4; at 24 months it
///   holds again (2026/27's 3 moved there), so a bisection over the whole span would miss it.
const DIP: &str = r#"
[scenario]
base_year = "2024/25"
horizon = 4
[gap]
unidentified = { levels = { "2025/26" = 2.5 } }
[[service]]
id = "dip"
saving = { levels = { "2025/26" = 3, "2027/28" = 1, "2028/29" = 3 } }
"#;

/// The fewest months of slip that lose each goal of `procurement`, by projecting the whole
/// scenario with its options slipped month by month.
fn slip_by_brute_force(
    text: &str,
    goal: &Goal,
) -> std::result::Result<Option<u32>, Box<dyn std::error::Error>> {
    let scenario = scenario::from_text("t.toml", text)?;
    for months in 1..=12 * u32::from(scenario.horizon) {
        let mut slipped = scenario.clone();
        for service in &mut slipped.services {
            let Some(index) = service.taken_forward else {
                continue;
            };
            let option = &service.options[index];
            service.options[index] = delayed(option, months)?;
        }
        let projection = project(&slipped)?;
        let holds = match goal {
            Goal::GapClosed(year) => {
                let t = projection
                    .years
                    .iter()
                    .position(|y| y == year)
                    .ok_or("year")?;
                !projection.total.remaining_gap.central[t].is_positive()
            }
            Goal::MeetsPlan(id) => {
                projection
                    .services
                    .iter()
                    .find(|p| &slipped.services[p.service].id == id)
                    .ok_or("service")?
                    .meets_plan
                    .central
                    .holds
            }
        };
        if !holds {
            return Ok(Some(months));
        }
    }
    Ok(None)
}

#[test]
fn a_slip_of_a_profile_that_falls_is_found_whole_year_by_whole_year() -> TestResult {
    let s = analyse(DIP)?;
    let slip: Vec<(String, Decimal)> = s
        .switching
        .iter()
        .filter(|w| w.input.kind() == "slip")
        .map(|w| (w.goal.to_string(), w.value))
        .collect();
    assert_eq!(
        slip,
        [
            ("gap-closed=2025/26".to_string(), d("3")),
            ("gap-closed=2026/27".to_string(), d("15")),
            ("gap-closed=2028/29".to_string(), d("4")),
        ]
    );
    for w in s.switching.iter().filter(|w| w.input.kind() == "slip") {
        assert_eq!(
            slip_by_brute_force(DIP, &w.goal)?,
            u32::try_from(w.value.mantissa()).ok(),
            "{}",
            w.goal
        );
    }
    Ok(())
}

#[test]
fn a_group_of_a_steady_state_and_a_profile_that_falls_is_searched_month_by_month() -> TestResult {
    // The dip beside a steady state of 1.2 from April 2025 in one procurement group, against
    // a gap of 3.5 to date: the group's slip moves both.
    let text = DIP
        .replace("\"2025/26\" = 2.5 }", "\"2025/26\" = 3.5 }")
        .replace(
            "saving = { levels",
            "group = \"together\"\nsaving = { levels",
        )
        + r#"
[[service]]
id = "steady"
group = "together"
saving = 1.2
start = "2025/26"
"#;
    let s = analyse(&text)?;
    let slips: Vec<&Switch> = s
        .switching
        .iter()
        .filter(|w| w.input.kind() == "slip")
        .collect();
    assert!(!slips.is_empty());
    for w in slips {
        assert_eq!(
            slip_by_brute_force(&text, &w.goal)?,
            u32::try_from(w.value.mantissa()).ok(),
            "{}",
            w.goal
        );
    }
    Ok(())
}
