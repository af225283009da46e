//! Property tests of the model's invariants (DOMAIN.md section 4) on generated scenarios:
//! low <= central <= high gives ordered results; incremental savings sum back to in-year
//! savings; R = LG - N; totals are sums of services; deferred services add nothing.

use proptest::prelude::*;
use rust_decimal::Decimal;
use savings_modeller::model::Money;
use savings_modeller::projection::{Projection, project};
use savings_modeller::scenario;

/// A decimal with up to three places, from 0 to 100.
fn figure() -> impl Strategy<Value = Decimal> {
    (0i64..=100_000).prop_map(|n| Decimal::new(n, 3))
}

fn range() -> impl Strategy<Value = String> {
    prop_oneof![
        figure().prop_map(|f| f.to_string()),
        (figure(), figure(), figure()).prop_map(|(a, b, c)| {
            let mut v = [a, b, c];
            v.sort();
            format!("{{ low = {}, central = {}, high = {} }}", v[0], v[1], v[2])
        }),
    ]
}

fn ramp() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\"immediate\"".to_string()),
        (1u32..=5).prop_map(|n| format!("\"linear {n}\"")),
        proptest::collection::vec(0i64..=100, 0..4).prop_map(|mut steps| {
            steps.sort();
            let mut parts: Vec<String> = steps
                .iter()
                .map(|s| Decimal::new(*s, 2).to_string())
                .collect();
            parts.push("1".into());
            format!("[{}]", parts.join(", "))
        }),
    ]
}

/// A year offset and a figure, for planned savings, costs and gaps.
fn year_table(max_offset: u16) -> impl Strategy<Value = Vec<(u16, Decimal)>> {
    proptest::collection::vec(
        (
            0..=max_offset,
            (0i64..=5_000).prop_map(|n| Decimal::new(n, 2)),
        ),
        0..4,
    )
}

fn years_toml(base: u16, entries: &[(u16, Decimal)], min_offset: u16) -> String {
    let mut seen = std::collections::BTreeMap::new();
    for (offset, value) in entries {
        seen.insert((*offset).max(min_offset), *value);
    }
    let parts: Vec<String> = seen
        .iter()
        .map(|(o, v)| {
            let y = base + o;
            format!("\"{y}/{:02}\" = {v}", (y + 1) % 100)
        })
        .collect();
    format!("{{ {} }}", parts.join(", "))
}

#[derive(Debug, Clone)]
struct GeneratedOption {
    saving: String,
    start_offset: u16,
    month: u8,
    ramp: String,
    costs: Vec<(u16, Decimal)>,
}

#[derive(Debug, Clone)]
struct GeneratedService {
    planned: Vec<(u16, Decimal)>,
    options: Vec<GeneratedOption>,
    preferred: Option<usize>,
}

fn option() -> impl Strategy<Value = GeneratedOption> {
    (range(), 1u16..=12, 1u8..=12, ramp(), year_table(12)).prop_map(
        |(saving, start_offset, month, ramp, costs)| GeneratedOption {
            saving,
            start_offset,
            month,
            ramp,
            costs,
        },
    )
}

fn service() -> impl Strategy<Value = GeneratedService> {
    (
        year_table(12),
        proptest::collection::vec(option(), 1..4),
        any::<prop::sample::Index>(),
        any::<bool>(),
    )
        .prop_map(|(planned, options, index, deferred)| {
            let preferred = (!deferred).then(|| index.index(options.len()));
            GeneratedService {
                planned,
                options,
                preferred,
            }
        })
}

fn scenario_text() -> impl Strategy<Value = String> {
    (2000u16..=2100, 1u16..=12, 0i64..=100, year_table(12), proptest::collection::vec(service(), 1..5)).prop_map(
        |(base, horizon, overlap, gaps, services)| {
            let mut text = format!(
                "[scenario]\nbase_year = \"{base}/{:02}\"\nhorizon = {horizon}\noverlap = {}\nmtfp_period = [\"{}/{:02}\", \"{}/{:02}\"]\n",
                (base + 1) % 100,
                Decimal::new(overlap, 2),
                base + 1,
                (base + 2) % 100,
                base + 1,
                (base + 2) % 100,
            );
            text.push_str(&format!("[gap]\nunidentified = {}\n", years_toml(base, &gaps, 1)));
            for (s, service) in services.iter().enumerate() {
                text.push_str(&format!("[[service]]\nid = \"s{s}\"\nplanned = {}\n", years_toml(base, &service.planned, 0)));
                for (o, option) in service.options.iter().enumerate() {
                    // A go-live month in the financial year `base + start_offset`.
                    let fy = base + option.start_offset;
                    let calendar_year = if option.month >= 4 { fy } else { fy + 1 };
                    text.push_str(&format!(
                        "[[service.option]]\nid = \"o{o}\"\npreferred = {}\nsaving = {}\nstart = \"{calendar_year}-{:02}\"\nramp = {}\none_off_cost = {}\n",
                        service.preferred == Some(o),
                        option.saving,
                        option.month,
                        option.ramp,
                        years_toml(base, &option.costs, 0),
                    ));
                }
            }
            text
        },
    )
}

fn amounts(series: &[Money]) -> Vec<Decimal> {
    series.iter().map(|m| m.amount()).collect()
}

fn project_text(text: &str) -> Projection {
    let scenario =
        scenario::from_text("generated.toml", text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    project(&scenario).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn ordered_inputs_give_ordered_results(text in scenario_text()) {
        let p = project_text(&text);
        let t = &p.total;
        for i in 0..p.years.len() {
            prop_assert!(t.in_year.low[i] <= t.in_year.central[i] && t.in_year.central[i] <= t.in_year.high[i]);
            prop_assert!(t.contribution.low[i] <= t.contribution.central[i] && t.contribution.central[i] <= t.contribution.high[i]);
            prop_assert!(t.remaining_gap.low[i] >= t.remaining_gap.central[i] && t.remaining_gap.central[i] >= t.remaining_gap.high[i]);
            for s in &p.services {
                prop_assert!(s.figures.in_year.low[i] <= s.figures.in_year.central[i]);
                prop_assert!(s.figures.in_year.central[i] <= s.figures.in_year.high[i]);
            }
        }
        let summary = &t.summary;
        prop_assert!(summary.low.total_saving <= summary.central.total_saving && summary.central.total_saving <= summary.high.total_saving);
        prop_assert!(summary.low.steady_state <= summary.central.steady_state && summary.central.steady_state <= summary.high.steady_state);
        prop_assert!(summary.low.npv <= summary.central.npv && summary.central.npv <= summary.high.npv);
        prop_assert!(summary.low.closed_years.len() <= summary.high.closed_years.len());
    }

    #[test]
    fn incremental_savings_sum_back_to_in_year_savings(text in scenario_text()) {
        let p = project_text(&text);
        for (_, (d, i)) in p.total.in_year.iter().zip(p.total.incremental.iter()).map(|((c, d), (_, i))| (c, (d, i))) {
            // Exact where the figures terminate; within 1e-20 where one does not (DOMAIN.md
            // section 4), since a non-terminating D keeps only 28 digits.
            let tolerance = Decimal::new(1, 20);
            let mut running = Decimal::ZERO;
            for (d, i) in d.iter().zip(i) {
                running += i.amount();
                prop_assert!((running - d.amount()).abs() <= tolerance, "{} vs {}", running, d.amount());
            }
        }
    }

    #[test]
    fn remaining_gap_is_gap_to_date_less_contribution(text in scenario_text()) {
        let p = project_text(&text);
        let t = &p.total;
        for ((_, r), (_, n)) in t.remaining_gap.iter().zip(t.contribution.iter()) {
            for ((r, n), lg) in r.iter().zip(n).zip(&t.gap_to_date) {
                prop_assert_eq!(r.amount(), lg.amount() - n.amount());
            }
        }
    }

    #[test]
    fn totals_are_sums_of_services(text in scenario_text()) {
        let p = project_text(&text);
        let sum = |pick: &dyn Fn(&savings_modeller::projection::ServiceProjection) -> Vec<Decimal>| {
            let mut total = vec![Decimal::ZERO; p.years.len()];
            for s in &p.services {
                for (t, v) in pick(s).into_iter().enumerate() {
                    total[t] += v;
                }
            }
            total
        };
        let t = &p.total;
        prop_assert_eq!(sum(&|s| amounts(&s.figures.in_year.central)), amounts(&t.in_year.central));
        prop_assert_eq!(sum(&|s| amounts(&s.figures.in_year.high)), amounts(&t.in_year.high));
        prop_assert_eq!(sum(&|s| amounts(&s.figures.incremental.low)), amounts(&t.incremental.low));
        prop_assert_eq!(sum(&|s| amounts(&s.planned_to_date)), amounts(&t.planned_to_date));
        prop_assert_eq!(sum(&|s| amounts(&s.contribution.central)), amounts(&t.contribution.central));
        prop_assert_eq!(sum(&|s| amounts(&s.figures.one_off_cost)), amounts(&t.one_off_cost));
    }

    #[test]
    fn deferring_a_service_removes_exactly_its_figures(text in scenario_text()) {
        let p = project_text(&text);
        let scenario = scenario::from_text("generated.toml", &text).unwrap_or_else(|e| panic!("{e}"));
        let taken = scenario.services.iter().filter(|s| s.taken_forward.is_some()).count();
        prop_assert_eq!(p.services.len(), taken);
        prop_assert_eq!(p.deferred.len(), scenario.services.len() - taken);
        if p.services.is_empty() {
            prop_assert!(p.total.in_year.central.iter().all(|d| d.is_zero()));
            prop_assert!(p.total.planned_to_date.iter().all(|d| d.is_zero()));
        }
    }
}
