//! Unit tests of the projection (projection.rs).

type TestResult = std::result::Result<(), Box<dyn std::error::Error>>;

use super::*;
use crate::scenario;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap_or_else(|e| panic!("test figure {s}: {e}"))
}

fn m(s: &str) -> Money {
    Money::new(d(s))
}

fn series(values: &[&str]) -> Series {
    values.iter().map(|v| m(v)).collect()
}

const WORKED_EXAMPLE: &str = r#"
[scenario]
name = "worked example"
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
  saving = 10
  start = "2015-10"
  ramp = [0.5, 1.0]
  one_off_cost = { "2015/16" = 3 }
"#;

fn one_option(saving: &str, start: &str, ramp: &str) -> Scenario {
    let text = format!(
        "[scenario]\nbase_year = \"2014/15\"\n[[service]]\nid = \"s\"\n[[service.option]]\nid = \"o\"\npreferred = true\nsaving = {saving}\nstart = \"{start}\"\nramp = {ramp}\n"
    );
    scenario::from_text("t.toml", &text).unwrap_or_else(|e| panic!("{e}"))
}

/// docs/model.md section 4, the worked example, row by row.
#[test]
fn worked_example() -> TestResult {
    let scenario = scenario::from_text("worked.toml", WORKED_EXAMPLE)?;
    let p = project(&scenario)?;
    let t = &p.total;
    let tail = |first: &[&str], rest: &str| {
        let mut v: Vec<&str> = first.to_vec();
        v.resize(10, rest);
        series(&v)
    };
    assert_eq!(t.in_year.central, tail(&["2.5", "10"], "10"));
    assert_eq!(t.incremental.central, tail(&["2.5", "7.5"], "0"));
    assert_eq!(t.planned_to_date, tail(&["1", "2"], "2"));
    assert_eq!(t.contribution.central, tail(&["1.5", "8"], "8"));
    assert_eq!(t.gap_to_date, tail(&["3", "7"], "7"));
    assert_eq!(t.remaining_gap.central, tail(&["1.5", "-1"], "-1"));
    assert_eq!(t.one_off_cost, tail(&["3"], "0"));

    let s = &p.services[0];
    assert_eq!(
        s.meets_plan.central,
        MeetsPlan {
            margins: vec![
                (FinancialYear::parse("2015/16")?, m("1.5")),
                (FinancialYear::parse("2016/17")?, m("8")),
            ],
            holds: true
        }
    );

    let summary = &t.summary.central;
    assert_eq!(summary.total_saving, m("92.5"));
    assert_eq!(summary.average_per_year, m("9.25"));
    assert_eq!(summary.steady_state, m("10"));
    assert_eq!(
        summary.payback,
        Payback::In(FinancialYear::parse("2016/17")?)
    );
    let closed: Vec<String> = summary
        .closed_years
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(closed.first().map(String::as_str), Some("2016/17"));
    assert_eq!(closed.len(), 9);
    // With one figure for S, every case is the same.
    assert_eq!(t.in_year.low, t.in_year.high);
    Ok(())
}

#[test]
fn npv_discounts_from_the_base_year() -> TestResult {
    let scenario = scenario::from_text("worked.toml", WORKED_EXAMPLE)?;
    let p = project(&scenario)?;
    // Independent: sum of (D - C) / 1.035^t with t = 1 for 2015/16.
    let mut expected = Decimal::ZERO;
    let mut factor = Decimal::ONE;
    for value in ["-0.5", "10", "10", "10", "10", "10", "10", "10", "10", "10"] {
        factor /= d("1.035");
        expected += d(value) * factor;
    }
    let npv = p.total.summary.central.npv.amount();
    assert!((npv - expected).abs() < d("1e-20"), "{npv} vs {expected}");
    assert!(npv > d("73") && npv < d("73.1"), "{npv}");
    Ok(())
}

#[test]
fn multiply_first_divide_once() -> TestResult {
    // linear 3 from July: 3 x 1 x 9 / (3 x 12) = 0.75 exactly.
    let s = one_option("3", "2015-07", "\"linear 3\"");
    let p = project(&s)?;
    assert_eq!(p.total.in_year.central[0], m("0.75"));
    assert_eq!(p.total.in_year.central[0].amount().to_string(), "0.75");
    // 2.4 from March: 2.4 x 1 / 12 = 0.2 exactly.
    let s = one_option("2.4", "2016-03", "\"immediate\"");
    let p = project(&s)?;
    assert_eq!(p.total.in_year.central[0].amount().to_string(), "0.2");
    assert_eq!(p.total.in_year.central[1].amount().to_string(), "2.4");
    Ok(())
}

#[test]
fn non_terminating_values_keep_full_precision() -> TestResult {
    let s = one_option("10", "2015/16", "\"linear 3\"");
    let p = project(&s)?;
    let first = p.total.in_year.central[0].amount();
    assert!((first - d("3.3333333333333333333333333333")).abs() < d("1e-20"));
    assert_eq!(p.total.in_year.central[2], m("10"));
    Ok(())
}

/// Sums of exact figures stay exact or fail; they are never rounded (the independent
/// checker's cases: a total, a margin and a gap that rounding would flip).
#[test]
fn exact_figures_are_never_rounded_silently() {
    let tiny = "0.0000000000000000000000000001";
    for text in [
        format!("[scenario]\nbase_year = \"2014/15\"\nhorizon = 1\n[[service]]\nid = \"a\"\n[[service.option]]\nid = \"x\"\npreferred = true\nsaving = 10\nstart = \"2015/16\"\n[[service]]\nid = \"b\"\n[[service.option]]\nid = \"x\"\npreferred = true\nsaving = {tiny}\nstart = \"2015/16\"\n"),
        format!("[scenario]\nbase_year = \"2014/15\"\nhorizon = 2\n[[service]]\nid = \"a\"\nplanned = {{ \"2015/16\" = 10, \"2016/17\" = {tiny} }}\n[[service.option]]\nid = \"x\"\npreferred = true\nsaving = 10\nstart = \"2015/16\"\n"),
        format!("[scenario]\nbase_year = \"2014/15\"\nhorizon = 2\n[gap]\nunidentified = {{ \"2015/16\" = 10, \"2016/17\" = {tiny} }}\n[[service]]\nid = \"a\"\n[[service.option]]\nid = \"x\"\npreferred = true\nsaving = 10\nstart = \"2015/16\"\n"),
        "[scenario]\nbase_year = \"2014/15\"\nhorizon = 2\n[[service]]\nid = \"a\"\n[[service.option]]\nid = \"x\"\npreferred = true\nsaving = 930785.1363365916768088936805\nstart = \"2016-01\"\n".to_string(),
    ] {
        let scenario = scenario::from_text("t.toml", &text).unwrap_or_else(|e| panic!("{e}"));
        let error = project(&scenario).err();
        assert_eq!(error.map(|e| e.cause), Some(ArithmeticError::Inexact), "{text}");
    }
}

#[test]
fn go_live_after_the_horizon_saves_nothing() -> TestResult {
    let s = one_option("5", "2030/31", "\"immediate\"");
    let p = project(&s)?;
    assert!(p.total.in_year.central.iter().all(|v| v.is_zero()));
    assert_eq!(p.total.summary.central.total_saving, Money::ZERO);
    Ok(())
}

#[test]
fn payback_needs_the_cumulative_to_stay_non_negative() -> TestResult {
    let s = one_option("1", "2015/16", "\"immediate\"");
    let net = [m("-5"), m("6"), m("-2"), m("1")];
    // cumulative: -5, 1, -1, 0 -> from the fourth projected year.
    assert_eq!(
        payback_year(&s, Money::ZERO, &net)?,
        FinancialYear::parse("2018/19").ok()
    );
    let never = [m("-5"), m("1")];
    assert_eq!(payback_year(&s, Money::ZERO, &never)?, None);
    assert_eq!(
        payback_year(&s, m("-1"), &[m("1")])?,
        FinancialYear::parse("2015/16").ok()
    );
    Ok(())
}

#[test]
fn nothing_saved_and_nothing_spent_needs_no_payback() -> TestResult {
    // Issue 12: "do nothing" once showed a payback in the first projected year.
    let nothing = project(&one_option("0", "2015/16", "\"immediate\""))?;
    assert_eq!(nothing.total.summary.central.payback, Payback::NotNeeded);
    assert_eq!(
        nothing.total.summary.central.payback.to_string(),
        "none needed"
    );
    // A saving with no cost pays back at once; a cost with no saving never does.
    let saving = project(&one_option("1", "2016/17", "\"immediate\""))?;
    assert_eq!(
        saving.total.summary.central.payback,
        Payback::In(FinancialYear::parse("2015/16")?)
    );
    let text = "[scenario]\nbase_year = \"2014/15\"\n[[service]]\nid = \"s\"\n[[service.option]]\nid = \"o\"\npreferred = true\nsaving = 0\nstart = \"2015/16\"\none_off_cost = { \"2015/16\" = 1 }\n";
    let cost = project(&scenario::from_text("t.toml", text)?)?;
    assert_eq!(cost.total.summary.central.payback, Payback::Never);
    assert_eq!(cost.total.summary.central.payback.to_string(), "none");
    Ok(())
}

#[test]
fn npv_survives_long_horizons_at_high_rates() -> TestResult {
    let rate = DiscountRate::new(d("0.99")).ok_or("rate")?;
    let net = vec![m("1000000"); 100];
    let npv = net_present_value(rate, Money::ZERO, &net)?.amount();
    assert!(npv > d("1000000") && npv < d("1010102"), "{npv}");
    Ok(())
}

#[test]
fn visiting_the_rows_gives_the_rows_in_their_order() -> TestResult {
    // The Kent scenario, and a plan whose total rows carry the gap's own measures.
    let plan = "[scenario]\nbase_year = \"2024/25\"\nhorizon = 3\n[budget]\nnet = 10\n[[pressure]]\nid = \"p\"\namount = { \"2025/26\" = 1 }\n[[funding]]\nid = \"f\"\namount = { \"2025/26\" = 9 }\n[[service]]\nid = \"a\"\nstatus = \"approved\"\nsaving = { levels = { \"2025/26\" = 0.5 } }\n";
    for (name, text) in [("kent.toml", scenario::BUILTIN_TEXT), ("plan.toml", plan)] {
        let scenario = scenario::from_text(name, text)?;
        let projection = project(&scenario)?;
        let listed: Vec<_> = rows::rows(&scenario, &projection).collect();
        let mut visited = Vec::new();
        rows::visit_rows(&scenario, &projection, |row| {
            visited.push(row.clone());
            Ok::<(), ()>(())
        })
        .map_err(|()| "visit failed")?;
        assert_eq!(visited, listed, "{name}");
    }
    Ok(())
}

/// A tracked plan with every kind of line the views treat apart: an overlap below 1, a
/// proposed option built by a ramp with planned savings and a rating, a withdrawn line with a
/// forecast, a delivered figure, an in-base line rated, lines untouched by tracking.
const TRACKED_MIX: &str = r#"
[scenario]
base_year = "2024/25"
horizon = 4
overlap = 0.5
as_at = "2025-11"
[tracking]
confidence = { green = 0.9, amber = 0.5, red = 0.1 }
[gap]
unidentified = { "2025/26" = 3, "2026/27" = 2 }
[[service]]
id = "ramped"
planned = { "2025/26" = 0.4 }
  [[service.option]]
  id = "o"
  preferred = true
  saving = { low = 1, central = 1.5, high = 2 }
  start = "2025-10"
  ramp = [0.5, 1.0]
  rag = "amber"
[[service]]
id = "approved"
status = "approved"
saving = { levels = { "2025/26" = 1, "2026/27" = 2 } }
delivered = { "2025/26" = 0.7 }
forecast = { "2026/27" = 1.2 }
rag = "red"
[[service]]
id = "gone"
status = "withdrawn"
saving = { levels = { "2025/26" = 0.3 } }
forecast = { "2025/26" = 0.1 }
rag = "green"
[[service]]
id = "base"
status = "in-base"
saving = { levels = { "2025/26" = 0.2 } }
rag = "blue"
[[service]]
id = "plain"
status = "approved"
saving = { levels = { "2026/27" = 0.6 } }
"#;

/// The three views of a tracked projection, recounted in the central case from the one
/// projected, are exactly what a whole projection counting each view gives, from whichever
/// view the projection counts.
#[test]
fn tracking_views_are_whole_projections_of_each_view() -> TestResult {
    for (name, text) in [
        ("mix.toml", TRACKED_MIX),
        (
            "monitoring.toml",
            include_str!("../../scenarios/monitoring-example.toml"),
        ),
    ] {
        let scenario = scenario::from_text(name, text)?;
        let whole: Vec<Projection> = Delivery::ALL
            .iter()
            .map(|d| project_without_views(&scenario, *d))
            .collect::<Result<_>>()?;
        let (planned, forecast, risk_adjusted) = (&whole[0], &whole[1], &whole[2]);
        for given in Delivery::ALL {
            let figures = project_as(&scenario, given)?
                .tracking
                .ok_or("a tracked scenario has its views")?;
            for (view, p) in [
                (&Delivery::Planned, planned),
                (&Delivery::Forecast, forecast),
                (&Delivery::RiskAdjusted, risk_adjusted),
            ] {
                assert_eq!(
                    figures.in_year.get(*view),
                    &p.total.in_year.central,
                    "{name} {given:?} {view:?}"
                );
                assert_eq!(
                    figures.contribution.get(*view),
                    &p.total.contribution.central
                );
                assert_eq!(
                    figures.remaining_gap.get(*view),
                    &p.total.remaining_gap.central
                );
            }
            // At risk: the planned D of the amber and red lines approved or proposed.
            let at_risk = sum_series(
                &planned.years,
                planned
                    .services
                    .iter()
                    .filter(|p| {
                        let o = &scenario.services[p.service].options[p.option];
                        matches!(o.status, Status::Approved | Status::Proposed)
                            && o.tracking.rag.is_some_and(crate::model::Rag::at_risk)
                    })
                    .map(|p| &p.figures.in_year.central),
                "at risk",
            )?;
            assert_eq!(figures.at_risk, at_risk);
        }
    }
    Ok(())
}

/// Scenarios to change one input of: shipped ones and a tracked mix of every status.
const CHANGED_SCENARIOS: [(&str, &str); 4] = [
    (
        "kent.toml",
        include_str!("../../scenarios/kcc-2014-phase1.toml"),
    ),
    (
        "gateshead.toml",
        include_str!("../../scenarios/gateshead-mtfs-2020.toml"),
    ),
    (
        "monitoring.toml",
        include_str!("../../scenarios/monitoring-example.toml"),
    ),
    ("mix.toml", TRACKED_MIX),
];

/// The totals a sweep counts for a new overlap, discount rate or both are, to the last digit
/// of their representation, those of projecting the changed scenario afresh; a changed
/// service is left to `reproject`.
#[test]
fn a_sweeps_totals_are_the_totals_of_projecting_afresh() -> TestResult {
    for (name, text) in CHANGED_SCENARIOS {
        let base = scenario::from_text(name, text)?;
        let before = project(&base)?;
        for (overlap, discount_rate) in [(true, false), (false, true), (true, true)] {
            let mut changed = base.clone();
            if overlap {
                changed.overlap = Share::new(d("0.37")).ok_or("a share")?;
            }
            if discount_rate {
                changed.discount_rate = DiscountRate::new(d("0.061")).ok_or("a rate")?;
            }
            let what = Changed {
                service: None,
                overlap,
                discount_rate,
            };
            let counted = totals::totals(&changed, &before, what).ok_or("totals")??;
            let afresh = totals::Totals::of(&project(&changed)?.total);
            assert_eq!(
                format!("{counted:?}"),
                format!("{afresh:?}"),
                "{name}, {what:?}"
            );
        }
        let what = Changed {
            service: Some(0),
            overlap: false,
            discount_rate: false,
        };
        assert!(totals::totals(&base, &before, what).is_none(), "{name}");
    }
    Ok(())
}

/// A sweep counts a new overlap on the totals alone only where no sum of the lines' N can
/// need more than 28 places or come near 2^96; never on a tracked plan.
#[test]
fn the_headroom_of_sums_of_contributions() -> TestResult {
    let kent = scenario::from_text(
        "kent.toml",
        include_str!("../../scenarios/kcc-2014-phase1.toml"),
    )?;
    let headroom = totals::Headroom::of(&kent, &project(&kent)?).ok_or("headroom")?;
    for (w, holds) in [
        ("0", true),
        ("0.37", true),
        ("1", true),
        ("0.3333333333333333333333333333", false),
    ] {
        let share = Share::new(d(w)).ok_or("a share")?;
        assert_eq!(headroom.holds(share), holds, "w = {w}");
    }
    let tracked = scenario::from_text("mix.toml", TRACKED_MIX)?;
    assert!(tracked.is_tracked());
    assert!(totals::Headroom::of(&tracked, &project(&tracked)?).is_none());
    Ok(())
}

/// `reproject` gives exactly what `project` gives for the changed scenario: a new overlap or
/// discount rate on every shipped scenario, and one service's saving changed.
#[test]
fn reprojecting_a_change_is_projecting_afresh() -> TestResult {
    for (name, text) in CHANGED_SCENARIOS {
        let base = scenario::from_text(name, text)?;
        let before = project(&base)?;
        let mut changed = base.clone();
        changed.overlap = Share::new(d("0.37")).ok_or("a share")?;
        changed.discount_rate = DiscountRate::new(d("0.061")).ok_or("a rate")?;
        let what = Changed {
            service: None,
            overlap: true,
            discount_rate: true,
        };
        let again = reproject(&changed, &before, what)?;
        assert_eq!(
            format!("{again:?}"),
            format!("{:?}", project(&changed)?),
            "{name}"
        );
        // One service's saving: that service projected again, the others kept.
        let Some(index) = changed
            .services
            .iter()
            .position(|s| s.taken_forward.is_some())
        else {
            continue;
        };
        let service = &mut changed.services[index];
        let Some(option) = service
            .taken_forward
            .and_then(|o| service.options.get_mut(o))
        else {
            continue;
        };
        option.saving.central = Money::new(d("7.25"));
        let what = Changed {
            service: Some(index),
            ..what
        };
        let again = reproject(&changed, &before, what)?;
        assert_eq!(
            format!("{again:?}"),
            format!("{:?}", project(&changed)?),
            "{name}"
        );
    }
    Ok(())
}
