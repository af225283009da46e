//! Property tests of the model's invariants (docs/model.md section 4) on generated scenarios:
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

pub(super) fn scenario_text() -> impl Strategy<Value = String> {
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

fn project_text(text: &str) -> Projection {
    let scenario =
        scenario::from_text("generated.toml", text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    project(&scenario).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

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
            // Exact, non-terminating fractions included (docs/model.md section 4).
            let mut running = Money::ZERO;
            for (d, i) in d.iter().zip(i) {
                running = running.checked_add(*i).unwrap_or_else(|e| panic!("{e}"));
                prop_assert_eq!(running, *d);
            }
        }
    }

    #[test]
    fn remaining_gap_is_gap_to_date_less_contribution(text in scenario_text()) {
        let p = project_text(&text);
        let t = &p.total;
        for ((_, r), (_, n)) in t.remaining_gap.iter().zip(t.contribution.iter()) {
            for ((r, n), lg) in r.iter().zip(n).zip(&t.gap_to_date) {
                prop_assert_eq!(*r, lg.checked_sub(*n).unwrap_or_else(|e| panic!("{e}")));
            }
        }
    }

    #[test]
    fn totals_are_sums_of_services(text in scenario_text()) {
        let p = project_text(&text);
        // Exact sums, non-terminating fractions included.
        let sum = |pick: &dyn Fn(&savings_modeller::projection::ServiceProjection) -> Vec<Money>| {
            let mut total = vec![Money::ZERO; p.years.len()];
            for s in &p.services {
                for (t, v) in pick(s).into_iter().enumerate() {
                    total[t] = total[t].checked_add(v).unwrap_or_else(|e| panic!("{e}"));
                }
            }
            total
        };
        let t = &p.total;
        prop_assert_eq!(sum(&|s| s.figures.in_year.central.clone()), t.in_year.central.clone());
        prop_assert_eq!(sum(&|s| s.figures.in_year.high.clone()), t.in_year.high.clone());
        prop_assert_eq!(sum(&|s| s.figures.incremental.low.clone()), t.incremental.low.clone());
        prop_assert_eq!(sum(&|s| s.planned_to_date.clone()), t.planned_to_date.clone());
        prop_assert_eq!(sum(&|s| s.contribution.central.clone()), t.contribution.central.clone());
        prop_assert_eq!(sum(&|s| s.figures.one_off_cost.clone()), t.one_off_cost.clone());
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

// ---- Issue 7: properties at scale (in-process, a few thousand cases each) ----

/// Cases for the properties below; `PROPTEST_CASES` overrides it.
pub(super) fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2048)
}

/// A figure with up to 28 decimal places and up to 12 digits before the point, as the
/// validator allows, and how to write it: plain, with an exponent, or with `_` separators.
fn exact_figure() -> impl Strategy<Value = (Decimal, String)> {
    (0u64..=999_999_999_999, 0u32..=16, 0u8..3).prop_map(|(mantissa, scale, style)| {
        let value = Decimal::from_i128_with_scale(i128::from(mantissa), scale);
        let plain = value.to_string();
        let text = match style {
            // 12345e-3
            1 => format!("{mantissa}e-{scale}"),
            // 1_234.5: separators between digits of the integer part
            2 if !plain.contains('.') && plain.len() > 3 => {
                let (head, tail) = plain.split_at(plain.len() - 3);
                format!("{head}_{tail}")
            }
            _ => plain,
        };
        (value, text)
    })
}

/// `(low, central, high)` in order, each with its literal.
fn exact_range() -> impl Strategy<Value = [(Decimal, String); 3]> {
    (exact_figure(), exact_figure(), exact_figure()).prop_map(|(a, b, c)| {
        let mut v = [a, b, c];
        v.sort_by_key(|x| x.0);
        v
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    /// Every figure printed into a scenario reads back exactly, however it is written.
    #[test]
    fn printed_figures_parse_back_exactly(
        saving in exact_range(),
        planned in exact_figure(),
        cost in exact_figure(),
        gap in exact_figure(),
        overlap in 0u64..=10_000,
    ) {
        let overlap = Decimal::new(overlap as i64, 4);
        let text = format!(
            "[scenario]\nbase_year = \"2014/15\"\noverlap = {overlap}\n[gap]\nunidentified = {{ \"2015/16\" = {} }}\n[[service]]\nid = \"s\"\nplanned = {{ \"2015/16\" = {} }}\n[[service.option]]\nid = \"o\"\npreferred = true\nsaving = {{ low = {}, central = {}, high = {} }}\nstart = \"2015/16\"\none_off_cost = {{ \"2016/17\" = {} }}\n",
            gap.1, planned.1, saving[0].1, saving[1].1, saving[2].1, cost.1
        );
        let s = scenario::from_text("printed.toml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let year = savings_modeller::model::FinancialYear::parse("2015/16").unwrap_or_else(|e| panic!("{e}"));
        let next = savings_modeller::model::FinancialYear::parse("2016/17").unwrap_or_else(|e| panic!("{e}"));
        let option = &s.services[0].options[0];
        prop_assert_eq!(option.saving.low.amount(), saving[0].0);
        prop_assert_eq!(option.saving.central.amount(), saving[1].0);
        prop_assert_eq!(option.saving.high.amount(), saving[2].0);
        prop_assert_eq!(s.services[0].planned.get(year).amount(), planned.0);
        prop_assert_eq!(option.one_off_cost.get(next).amount(), cost.0);
        prop_assert_eq!(s.gap.unidentified.get(year).amount(), gap.0);
        prop_assert_eq!(s.overlap.value(), overlap);
    }

    /// `--set` of a field to the value it already has changes nothing.
    #[test]
    fn setting_a_field_to_its_own_value_changes_nothing(text in scenario_text(), pick in any::<prop::sample::Index>()) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("s.toml");
        std::fs::write(&path, &text).unwrap_or_else(|e| panic!("{e}"));
        let input = scenario::Input::from_arg(&path.display().to_string());
        let plain = scenario::Prepared::read(&input).and_then(|p| p.validate()).unwrap_or_else(|e| panic!("{e}"));
        // Every option's saving, start and ramp as written, and the overlap.
        let mut fields = vec![("scenario.overlap".to_string(), plain.scenario.overlap.to_string())];
        for service in &plain.scenario.services {
            for option in &service.options {
                let path = format!("service[{}].option[{}]", service.id, option.id);
                fields.push((format!("{path}.saving.central"), option.saving.central.amount().to_string()));
                fields.push((format!("{path}.start"), format!("\"{}\"", option.start().map(|s| s.to_string()).unwrap_or_default())));
            }
        }
        let (field, value) = &fields[pick.index(fields.len())];
        let change = scenario::Override::set(&format!("{field}={value}")).unwrap_or_else(|e| panic!("{e}"));
        let mut prepared = scenario::Prepared::read(&input).unwrap_or_else(|e| panic!("{e}"));
        prepared.apply(&change).unwrap_or_else(|e| panic!("{field}={value}: {e}"));
        let changed = prepared.validate().unwrap_or_else(|e| panic!("{field}={value}: {e}"));
        let a = project(&plain.scenario).unwrap_or_else(|e| panic!("{e}"));
        let b = project(&changed.scenario).unwrap_or_else(|e| panic!("{e}"));
        prop_assert_eq!(format!("{:?}", a), format!("{:?}", b), "{}={}", field, value);
    }

    /// `compare` of a scenario with itself shows no difference.
    #[test]
    fn a_scenario_compared_with_itself_is_identical(text in scenario_text()) {
        use savings_modeller::analysis::compare::{Variant, compare};
        let s = scenario::from_text("self.toml", &text).unwrap_or_else(|e| panic!("{e}"));
        let p = project(&s).unwrap_or_else(|e| panic!("{e}"));
        let variant = |label: &str| Variant { label: label.into(), description: String::new(), scenario: &s, projection: &p };
        let d = compare(&variant("A"), &variant("B")).unwrap_or_else(|e| panic!("{e}"));
        prop_assert!(d.identical);
        prop_assert!(d.years.iter().all(|y| y.in_year.is_zero() && y.remaining_gap.is_zero()));
        prop_assert!(d.services.iter().all(|s| s.total.is_zero() && !s.option_changed()));
    }
}

/// A scenario with no `risk` and single-figure savings, or the same with risk and ranges.
fn risky_text(risky: bool) -> impl Strategy<Value = String> {
    (scenario_text(), 0u32..=50, 0u32..=12, any::<bool>()).prop_map(move |(text, fail, slip, pert)| {
        let mut out = String::new();
        for line in text.lines() {
            if let Some(saving) = line.strip_prefix("saving = ") {
                if risky {
                    out.push_str(&format!("saving = {saving}\nrisk = {{ fail = {}, slip_months = [0, {slip}] }}\n", Decimal::new(i64::from(fail), 2)));
                    if pert {
                        out.push_str("distribution = \"pert\"\n");
                    }
                } else {
                    // One figure: the central of a range.
                    let central = saving
                        .split("central = ")
                        .nth(1)
                        .and_then(|rest| rest.split(',').next())
                        .unwrap_or(saving);
                    out.push_str(&format!("saving = {central}\n"));
                }
            } else {
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases() / 4))]

    /// With no risk and single figures, every simulated statistic is the central figure,
    /// exactly (issue 11: at any magnitude), and closed years are decided exactly.
    #[test]
    fn simulation_without_risk_is_the_central_case(text in risky_text(false)) {
        let s = scenario::from_text("certain.toml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let p = project(&s).unwrap_or_else(|e| panic!("{e}"));
        let settings = savings_modeller::analysis::simulate::Settings { trials: 64, seed: 3, threads: 1 };
        let sim = savings_modeller::analysis::simulate::simulate(&s, settings, &|_| {}).unwrap_or_else(|e| panic!("{e}"));
        for (t, spread) in sim.remaining_gap.iter().enumerate() {
            let r = p.total.remaining_gap.central[t];
            for x in spread.values() {
                prop_assert_eq!(x, r);
            }
            prop_assert_eq!(sim.in_year[t].values(), [p.total.in_year.central[t]; 4]);
            prop_assert_eq!(sim.contribution[t].values(), [p.total.contribution.central[t]; 4]);
            prop_assert_eq!(sim.probability_closed[t], if r.is_positive() { 0.0 } else { 1.0 });
        }
        prop_assert_eq!(sim.total_saving.values(), [p.total.summary.central.total_saving; 4]);
        prop_assert_eq!(sim.npv.values(), [p.total.summary.central.npv; 4]);
    }

    /// Percentiles are ordered, and probabilities are fractions.
    #[test]
    fn simulated_percentiles_are_ordered(text in risky_text(true)) {
        let s = scenario::from_text("risky.toml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let settings = savings_modeller::analysis::simulate::Settings { trials: 257, seed: 5, threads: 2 };
        let sim = savings_modeller::analysis::simulate::simulate(&s, settings, &|_| {}).unwrap_or_else(|e| panic!("{e}"));
        let spreads = sim.in_year.iter().chain(&sim.contribution).chain(&sim.remaining_gap)
            .chain([&sim.total_saving, &sim.npv]);
        for spread in spreads {
            prop_assert!(spread.p10 <= spread.p50 && spread.p50 <= spread.p90, "{:?}", spread);
        }
        for p in sim.probability_closed.iter().chain(sim.services.iter().map(|s| &s.probability_meets_plan)) {
            prop_assert!((0.0..=1.0).contains(p));
        }
    }
}

/// A field path a user might type, right or wrong.
fn override_path() -> impl Strategy<Value = String> {
    let fields = prop::sample::select(vec![
        "scenario.overlap",
        "scenario.horizon",
        "scenario.base_year",
        "scenario.mtfp_period",
        "scenario.discount_rate",
        "scenario.distribution",
        "scenario.optimism_bias",
        "scenario.optimism_bias.saving",
        "scenario.source",
        "scenario.extends",
        "scenario.nonsense",
        "gap.unidentified",
        "gap.unidentified.\"2015/16\"",
        "gap.required.\"2099/00\"",
        "service[legal].name",
        "service[legal].planned",
        "service[legal].budget.net",
        "service[legal].choose",
        "service[legal].remove",
        "service[nope].name",
        "service[#1].id",
        "service[#99].id",
        "service[legal].option[abs-partner].saving",
        "service[legal].option[abs-partner].saving.central",
        "service[legal].option[abs-partner].saving.share_of_net",
        "service[legal].option[abs-partner].start",
        "service[legal].option[abs-partner].ramp",
        "service[legal].option[abs-partner].ramp[#2]",
        "service[legal].option[abs-partner].risk.fail",
        "service[legal].option[abs-partner].risk.slip_months",
        "service[legal].option[abs-partner].group",
        "service[legal].option[abs-partner].one_off_cost.\"2015/16\"",
        "service[legal].option[abs-partner].optimism_bias.delay_months",
        "service[legal].option[nope].saving",
        "service[legal].option",
        "service",
        "",
        "[",
        "service[",
    ]);
    fields.prop_map(str::to_string)
}

/// A TOML value, well or badly formed.
fn override_value() -> impl Strategy<Value = String> {
    prop_oneof![
        (-1_000_000i64..=1_000_000, 0u32..=6).prop_map(|(n, s)| Decimal::new(n, s).to_string()),
        prop::sample::select(vec![
            "1e999999999",
            "nan",
            "inf",
            "\"2015/16\"",
            "\"2016-13\"",
            "\"linear 3\"",
            "[0.5, 1]",
            "[]",
            "{}",
            "{ low = 1, central = 2, high = 3 }",
            "{ fail = 0.5, slip_months = [0, 6] }",
            "true",
            "\"\"",
            "\"x\"",
            "\"a\\nb\"",
            "1979-05-27",
            "[[1]]",
            "{ a = 1 }",
            "=",
            "\"",
            "1 2",
        ])
        .prop_map(str::to_string),
        "[ -~]{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    /// Any override, typed right or wrong, either applies or is one clear error: never a panic.
    #[test]
    fn any_override_applies_or_is_refused_with_a_message(path in override_path(), value in override_value()) {
        let change = match scenario::Override::set(&format!("{path}={value}")) {
            Ok(change) => change,
            Err(message) => {
                prop_assert!(!message.is_empty());
                return Ok(());
            }
        };
        let mut prepared = scenario::Prepared::read(&scenario::Input::Builtin).unwrap_or_else(|e| panic!("{e}"));
        let result = prepared.apply(&change).and_then(|()| prepared.validate());
        match result {
            Ok(loaded) => {
                let _ = project(&loaded.scenario);
            }
            Err(diagnostic) => {
                // One message, naming the override or the field it broke.
                let message = diagnostic.to_string();
                prop_assert!(message.contains("--set ") || message.contains("kcc-2014-phase1"), "{}", message);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases() / 4))]

    /// Each end of each saving's tornado bar is what a full projection gives with that option
    /// at that end; and each saving's switching value is where the target changes state.
    #[test]
    fn tornado_ends_and_switching_values_agree_with_full_projections(text in scenario_text()) {
        use savings_modeller::analysis::sensitivity::{Goal, Input, sensitivity};
        use savings_modeller::model::{Case, Cases};
        let s = scenario::from_text("tornado.toml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let p = project(&s).unwrap_or_else(|e| panic!("{e}"));
        let result = sensitivity(&s, &p).unwrap_or_else(|e| panic!("{e}"));
        let gap_index: Vec<usize> = result
            .gap_years
            .iter()
            .map(|y| p.years.iter().position(|q| q == y).unwrap_or_else(|| panic!("{y}")))
            .collect();
        let near = |a: Decimal, b: Decimal| (a - b).abs() <= Decimal::new(1, 18) * (Decimal::ONE + b.abs());
        let at_saving = |service: &str, saving: Money| {
            let mut changed = s.clone();
            let svc = changed.services.iter_mut().find(|x| x.id == service).unwrap_or_else(|| panic!("{service}"));
            let o = svc.taken_forward.unwrap_or_else(|| panic!("deferred"));
            svc.options[o].saving = Cases::all(saving);
            project(&changed).unwrap_or_else(|e| panic!("{e}"))
        };
        for bar in &result.bars {
            let Input::Saving(line) = &bar.input else { continue };
            let service = &line.service;
            let option = s.services.iter().find(|x| &x.id == service).and_then(|x| x.taken_forward()).unwrap_or_else(|| panic!("{service}"));
            for (end, case) in [(&bar.low, Case::Low), (&bar.high, Case::High)] {
                let full = at_saving(service, *option.saving.get(case));
                prop_assert!(near(end.outcome.total_saving.amount(), full.total.summary.central.total_saving.amount()));
                for (gap, &t) in end.outcome.remaining_gap.iter().zip(&gap_index) {
                    prop_assert!(near(gap.amount(), full.total.remaining_gap.central[t].amount()));
                }
            }
        }
        for switch in &result.switching {
            let Input::Saving(line) = &switch.input else { continue };
            let service = &line.service;
            // No optimism bias in these scenarios: the value as written is the saving used.
            let holds = |saving: Decimal| {
                let full = at_saving(service, Money::new(saving));
                match &switch.goal {
                    Goal::GapClosed(year) => {
                        let t = p.years.iter().position(|q| q == year).unwrap_or_else(|| panic!("{year}"));
                        full.total.remaining_gap.central[t].amount() <= Decimal::new(1, 20)
                    }
                    Goal::MeetsPlan(id) => {
                        let index = s.services.iter().position(|x| &x.id == id).unwrap_or_else(|| panic!("{id}"));
                        let sp = full.services.iter().find(|x| x.service == index).unwrap_or_else(|| panic!("{id}"));
                        sp.meets_plan.central.margins.iter().all(|(_, m)| m.amount() >= Decimal::new(-1, 20))
                    }
                }
            };
            let step = Decimal::new(1, 6);
            prop_assert!(holds(switch.value), "{:?} at {}", switch.goal, switch.value);
            if switch.value >= step {
                prop_assert!(!holds(switch.value - step), "{:?} below {}", switch.goal, switch.value);
            }
        }
    }
}

// ---- Issue 14: plans written as levels or increments, and profiles against S x ramp ----

/// `run --format csv` of a scenario's text, as the binary writes it (in process, for speed).
pub(super) fn run_csv(name: &str, text: &str) -> String {
    use savings_modeller::output::{Report, RunReport};
    let s = scenario::from_text(name, text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let p = project(&s).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let report = RunReport {
        scenario: &s,
        projection: &p,
        source: name,
        extends: &[],
        overrides: &[],
        dp: 1,
        chart: false,
    };
    let mut out = Vec::new();
    report
        .write_csv(&mut out)
        .unwrap_or_else(|e| panic!("{e}\n{text}"));
    String::from_utf8(out).unwrap_or_else(|e| panic!("{e}"))
}

/// The projected year `k` (1 = the first) after the base year 2024/25, quoted.
fn plan_year(k: usize) -> String {
    let y = 2024 + k;
    format!("\"{y}/{:02}\"", (y + 1) % 100)
}

/// The levels of one table of amounts by year, and which years a council's table names (a
/// year not named holds the level before it, so only a year whose level is unchanged may be
/// left blank).
#[derive(Clone, Debug)]
struct Levels {
    levels: Vec<Decimal>,
    named: Vec<bool>,
}

impl Levels {
    fn new(levels: Vec<Decimal>, blank: &[bool]) -> Self {
        let named = levels
            .iter()
            .enumerate()
            .map(|(k, level)| {
                let before = if k == 0 { Decimal::ZERO } else { levels[k - 1] };
                *level != before || !blank.get(k).copied().unwrap_or(false)
            })
            .collect();
        Levels { levels, named }
    }

    /// `{ "2025/26" = 1, ... }`: the named years' levels.
    fn as_levels(&self) -> String {
        let parts: Vec<String> = (0..self.levels.len())
            .filter(|k| self.named[*k])
            .map(|k| format!("{} = {}", plan_year(k + 1), self.levels[k]))
            .collect();
        format!("{{ {} }}", parts.join(", "))
    }

    /// The same line as increments: the named years' changes (0 where unchanged).
    fn as_increments(&self) -> String {
        let parts: Vec<String> = (0..self.levels.len())
            .filter(|k| self.named[*k])
            .map(|k| {
                let before = if k == 0 {
                    Decimal::ZERO
                } else {
                    self.levels[k - 1]
                };
                format!("{} = {}", plan_year(k + 1), self.levels[k] - before)
            })
            .collect();
        format!("{{ {} }}", parts.join(", "))
    }

    fn increments_at_least_zero(&self) -> bool {
        self.levels.windows(2).all(|w| w[1] >= w[0])
            && self.levels.first().is_none_or(|l| *l >= Decimal::ZERO)
    }

    /// As levels (`levels`) or as increments, wrapped, or plain where `plain` is the form
    /// the field's plain table has and its sign rule allows.
    fn written(&self, levels: bool, plain: Option<bool>) -> String {
        match (levels, plain) {
            (true, Some(true)) => self.as_levels(),
            (false, Some(false)) => self.as_increments(),
            (true, _) => format!("{{ levels = {} }}", self.as_levels()),
            (false, _) => format!("{{ increments = {} }}", self.as_increments()),
        }
    }
}

/// Levels for `years` years, from `min` to 100 in hundredths, with blank cells.
fn levels(years: usize, min: i64) -> impl Strategy<Value = Levels> {
    (
        proptest::collection::vec(min..=10_000i64, years),
        proptest::collection::vec(any::<bool>(), years),
    )
        .prop_map(|(values, blank)| {
            Levels::new(
                values.into_iter().map(|v| Decimal::new(v, 2)).collect(),
                &blank,
            )
        })
}

/// Three level tables, ordered low <= central <= high in every year.
fn ranged(years: usize) -> impl Strategy<Value = [Levels; 3]> {
    (levels(years, 0), levels(years, 0), levels(years, 0)).prop_map(|(a, b, c)| {
        let mut sorted = [Vec::new(), Vec::new(), Vec::new()];
        for k in 0..a.levels.len() {
            let mut v = [a.levels[k], b.levels[k], c.levels[k]];
            v.sort();
            for (case, value) in sorted.iter_mut().zip(v) {
                case.push(value);
            }
        }
        let blanks = [&a, &b, &c].map(|l| l.named.iter().map(|n| !n).collect::<Vec<_>>());
        let [low, central, high] = sorted;
        [
            Levels::new(low, &blanks[0]),
            Levels::new(central, &blanks[1]),
            Levels::new(high, &blanks[2]),
        ]
    })
}

#[derive(Clone, Debug)]
struct PlanLine {
    status: &'static str,
    saving: Result<Levels, [Levels; 3]>,
    planned: Option<Levels>,
    area: bool,
}

#[derive(Clone, Debug)]
pub(super) struct Plan {
    years: usize,
    overlap: i64,
    lines: Vec<PlanLine>,
    pressures: Vec<Levels>,
    /// `[budget]` with `net` (`Ok`) or `requirement` (`Err`), its funding lines; none: a gap
    /// table instead.
    budget: Option<(Result<i64, Levels>, Vec<Levels>)>,
    gap: Levels,
    /// Which tables are written plain where their form allows.
    plain: Vec<bool>,
}

pub(super) fn plan() -> impl Strategy<Value = Plan> {
    (1usize..=8).prop_flat_map(|years| {
        let line = (
            prop::sample::select(vec!["proposed", "approved", "in-base", "withdrawn"]),
            prop_oneof![levels(years, 0).prop_map(Ok), ranged(years).prop_map(Err)],
            proptest::option::of(levels(years, 0)),
            any::<bool>(),
        )
            .prop_map(|(status, saving, planned, area)| PlanLine {
                status,
                // Planned savings only beside a proposed line (the others are their own plan).
                planned: planned.filter(|_| status == "proposed"),
                saving,
                area,
            });
        let budget = proptest::option::of((
            prop_oneof![
                (0i64..=100_000).prop_map(Ok),
                levels(years, 0).prop_map(Err)
            ],
            proptest::collection::vec(levels(years, 0), 0..3),
        ));
        (
            Just(years),
            0i64..=100,
            proptest::collection::vec(line, 1..4),
            proptest::collection::vec(levels(years, -10_000), 0..3),
            budget,
            levels(years, -10_000),
            proptest::collection::vec(any::<bool>(), 32),
        )
            .prop_map(
                |(years, overlap, lines, pressures, budget, gap, plain)| Plan {
                    years,
                    overlap,
                    lines,
                    pressures,
                    budget: budget.filter(|(base, _)| base.is_ok() || years > 0),
                    gap,
                    plain,
                },
            )
    })
}

impl Plan {
    /// The plan with every table as levels (`levels`) or as increments, each written plain
    /// where `self.plain` says and its field's plain form and sign rule allow.
    pub(super) fn text(&self, levels: bool) -> String {
        let mut plain = self.plain.iter().cycle().copied();
        let mut pick = |table: &Levels, plain_is_levels: bool, signed: bool| {
            let use_plain = plain.next().unwrap_or(false)
                && (plain_is_levels == levels)
                && (plain_is_levels || signed || table.increments_at_least_zero());
            table.written(levels, use_plain.then_some(plain_is_levels))
        };
        let mut text = format!(
            "[scenario]\nname = \"plan\"\nbase_year = \"2024/25\"\nhorizon = {}\noverlap = {}\n",
            self.years,
            Decimal::new(self.overlap, 2)
        );
        // A gap's level may be below 0, but a plain gap table is increments of at least 0.
        match &self.budget {
            Some((base, funding)) => {
                text.push_str("[budget]\n");
                match base {
                    Ok(net) => text.push_str(&format!("net = {}\n", Decimal::new(*net, 2))),
                    Err(requirement) => text.push_str(&format!(
                        "requirement = {}\n",
                        pick(requirement, true, false)
                    )),
                }
                for (i, line) in funding.iter().enumerate() {
                    text.push_str(&format!(
                        "[[funding]]\nid = \"f{i}\"\namount = {}\n",
                        pick(line, true, false)
                    ));
                }
            }
            None => {
                text.push_str(&format!(
                    "[gap]\nunidentified = {}\n",
                    pick(&self.gap, false, false)
                ));
            }
        }
        // Pressures add to a net budget, or to the gap without [budget].
        if !matches!(&self.budget, Some((Err(_), _))) {
            for (i, line) in self.pressures.iter().enumerate() {
                text.push_str(&format!(
                    "[[pressure]]\nid = \"p{i}\"\namount = {}\n",
                    pick(line, false, true)
                ));
            }
        }
        for (i, line) in self.lines.iter().enumerate() {
            text.push_str(&format!(
                "[[service]]\nid = \"s{i}\"\nstatus = \"{}\"\n",
                line.status
            ));
            if line.area {
                text.push_str(&format!("area = \"area {}\"\n", i % 2));
            }
            if let Some(planned) = &line.planned {
                text.push_str(&format!("planned = {}\n", pick(planned, false, false)));
            }
            let saving = match &line.saving {
                Ok(one) => one.written(levels, None),
                Err([low, central, high]) => format!(
                    "{{ low = {}, central = {}, high = {} }}",
                    low.written(levels, None),
                    central.written(levels, None),
                    high.written(levels, None)
                ),
            };
            text.push_str(&format!("saving = {saving}\n"));
        }
        text
    }
}

/// A one-line service with a saving `S` (a multiple of 0.012, so that `S x ramp x p(1)`
/// terminates), a go-live and a ramp, as a one-line service or an option taken forward.
#[derive(Clone, Debug)]
struct SteadyLine {
    status: &'static str,
    saving: [i64; 3],
    start: (usize, u8),
    ramp: String,
    one_line: bool,
    planned: Option<Levels>,
    costs: Vec<(usize, i64)>,
}

fn steady_line(years: usize) -> impl Strategy<Value = SteadyLine> {
    let ramp = prop_oneof![
        Just("\"immediate\"".to_string()),
        prop::sample::select(vec![1u32, 2, 4, 5]).prop_map(|n| format!("\"linear {n}\"")),
        proptest::collection::vec(0i64..=20, 0..4).prop_map(|mut steps| {
            steps.sort();
            let mut parts: Vec<String> = steps
                .iter()
                .map(|s| Decimal::new(s * 5, 2).to_string())
                .collect();
            parts.push("1".into());
            format!("[{}]", parts.join(", "))
        }),
    ];
    (
        prop::sample::select(vec!["proposed", "approved", "in-base", "withdrawn"]),
        proptest::collection::vec(0i64..=1_000, 3),
        (1..=years + 1, 1u8..=12),
        ramp,
        any::<bool>(),
        proptest::option::of(levels(years, 0)),
        proptest::collection::vec((1..=years, 0i64..=500), 0..3),
    )
        .prop_map(
            |(status, mut saving, start, ramp, one_line, planned, costs)| {
                saving.sort();
                SteadyLine {
                    status,
                    saving: [saving[0], saving[1], saving[2]],
                    start,
                    ramp,
                    one_line,
                    planned: planned.filter(|_| status == "proposed"),
                    costs,
                }
            },
        )
}

fn steady_plan() -> impl Strategy<Value = (usize, i64, Vec<SteadyLine>)> {
    (1usize..=8).prop_flat_map(|years| {
        (
            Just(years),
            0i64..=100,
            proptest::collection::vec(steady_line(years), 1..4),
        )
    })
}

/// The scenario of `lines` with each saving as `S` and a ramp, or (given each line's `D` in
/// each case, per year) as a profile; `status` false writes every line proposed.
fn steady_text(
    years: usize,
    overlap: i64,
    lines: &[SteadyLine],
    profiles: Option<&[[Vec<String>; 3]]>,
    status: bool,
) -> String {
    let mut text = format!(
        "[scenario]\nname = \"steady\"\nbase_year = \"2024/25\"\nhorizon = {years}\noverlap = {}\n[gap]\nunidentified = {{ \"2025/26\" = 1 }}\n",
        Decimal::new(overlap, 2)
    );
    for (i, line) in lines.iter().enumerate() {
        text.push_str(&format!("[[service]]\nid = \"s{i}\"\n"));
        if let Some(planned) = &line.planned {
            text.push_str(&format!("planned = {}\n", planned.written(false, None)));
        }
        let status = if status { line.status } else { "proposed" };
        let costs: Vec<String> = line
            .costs
            .iter()
            .copied()
            .collect::<std::collections::BTreeMap<_, _>>()
            .into_iter()
            .map(|(k, c)| format!("{} = {}", plan_year(k), Decimal::new(c, 3)))
            .collect();
        let fields = match profiles {
            Some(profiles) => {
                let case = |d: &[String]| {
                    let parts: Vec<String> = d
                        .iter()
                        .enumerate()
                        .map(|(k, v)| format!("{} = {v}", plan_year(k + 1)))
                        .collect();
                    format!("{{ levels = {{ {} }} }}", parts.join(", "))
                };
                let [low, central, high] = &profiles[i];
                format!(
                    "saving = {{ low = {}, central = {}, high = {} }}\n",
                    case(low),
                    case(central),
                    case(high)
                )
            }
            None => {
                let (k, month) = line.start;
                // A go-live month in the financial year `k` after the base year.
                let fy = 2024 + k;
                let calendar = if month >= 4 { fy } else { fy + 1 };
                let s = line.saving.map(|s| Decimal::new(s * 12, 3));
                format!(
                    "saving = {{ low = {}, central = {}, high = {} }}\nstart = \"{calendar}-{month:02}\"\nramp = {}\n",
                    s[0], s[1], s[2], line.ramp
                )
            }
        };
        // A one-off cost by the same rule whichever way the saving is written.
        let costs = format!("one_off_cost = {{ {} }}\n", costs.join(", "));
        if profiles.is_some() || line.one_line {
            text.push_str(&format!("status = \"{status}\"\n{fields}{costs}"));
        } else {
            text.push_str(&format!(
                "[[service.option]]\nid = \"o\"\npreferred = true\nstatus = \"{status}\"\n{fields}{costs}"
            ));
        }
    }
    text
}

/// The CSV's rows with the `option` column left out.
fn without_option_column(csv: &str) -> Vec<String> {
    csv.lines()
        .map(|line| {
            let mut cells: Vec<&str> = line.split(',').collect();
            if cells.len() > 2 {
                cells.remove(2);
            }
            cells.join(",")
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases() / 16))]

    /// docs/model.md section 9.1: the same line written as levels or as increments (wrapped,
    /// or plain where the field's plain table has that form) is the same plan, to the digit.
    #[test]
    fn a_plan_as_levels_or_as_increments_gives_the_same_csv(plan in plan()) {
        let as_levels = plan.text(true);
        let as_increments = plan.text(false);
        prop_assert_eq!(
            run_csv("plan.toml", &as_levels),
            run_csv("plan.toml", &as_increments),
            "\n{}\n---\n{}", as_levels, as_increments
        );
    }

    /// docs/model.md section 9.2: a profile whose levels are an `S` option's in-year savings
    /// (S x ramp x part-year, each case) gives the same figures as the `S` form, whatever
    /// the line's status, as a one-line service or an option taken forward.
    #[test]
    fn a_profile_equal_to_s_times_ramp_gives_the_same_figures((years, overlap, lines) in steady_plan()) {
        // Each case's D as the S form builds it, before status applies.
        let proposed = steady_text(years, overlap, &lines, None, false);
        let s = scenario::from_text("steady.toml", &proposed).unwrap_or_else(|e| panic!("{e}\n{proposed}"));
        let p = project(&s).unwrap_or_else(|e| panic!("{e}\n{proposed}"));
        let mut profiles = Vec::new();
        for service in &p.services {
            let d = &service.figures.in_year;
            let case = |series: &Vec<Money>| -> Vec<String> {
                series.iter().map(|m| {
                    assert!(m.terminates(), "{m:?} does not terminate\n{proposed}");
                    m.amount().to_string()
                }).collect()
            };
            profiles.push([case(&d.low), case(&d.central), case(&d.high)]);
        }
        let steady = steady_text(years, overlap, &lines, None, true);
        let profile = steady_text(years, overlap, &lines, Some(&profiles), true);
        prop_assert_eq!(
            without_option_column(&run_csv("steady.toml", &steady)),
            without_option_column(&run_csv("steady.toml", &profile)),
            "\n{}\n---\n{}", steady, profile
        );
    }
}

/// The plan with every range replaced by its central table: single figures throughout.
fn single_figures(mut plan: Plan) -> Plan {
    for line in &mut plan.lines {
        if let Err([_, central, _]) = &line.saving {
            line.saving = Ok(central.clone());
        }
    }
    plan
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases() / 16))]

    /// docs/model.md sections 5 and 9: a plan with no risk and single figures (any status,
    /// profiles in either form, the gap built from the budget or written) simulates to the
    /// figures `savings run` gives, exactly, statistic by statistic and line by line.
    #[test]
    fn a_plan_without_risk_simulates_to_its_projection(plan in plan().prop_map(single_figures), levels in any::<bool>()) {
        let text = plan.text(levels);
        let s = scenario::from_text("plan.toml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let p = project(&s).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let settings = savings_modeller::analysis::simulate::Settings { trials: 64, seed: 3, threads: 1 };
        let sim = savings_modeller::analysis::simulate::simulate(&s, settings, &|_| {}).unwrap_or_else(|e| panic!("{e}\n{text}"));
        for (t, spread) in sim.remaining_gap.iter().enumerate() {
            let r = p.total.remaining_gap.central[t];
            prop_assert_eq!(spread.values(), [r; 4], "{}", text);
            prop_assert_eq!(sim.in_year[t].values(), [p.total.in_year.central[t]; 4]);
            prop_assert_eq!(sim.contribution[t].values(), [p.total.contribution.central[t]; 4]);
            prop_assert_eq!(sim.probability_closed[t], if r.is_positive() { 0.0 } else { 1.0 });
        }
        prop_assert_eq!(sim.total_saving.values(), [p.total.summary.central.total_saving; 4]);
        prop_assert_eq!(sim.npv.values(), [p.total.summary.central.npv; 4]);
        prop_assert_eq!(sim.services.len(), p.services.len());
        for (simulated, projected) in sim.services.iter().zip(&p.services) {
            prop_assert_eq!(&simulated.mean_in_year, &projected.figures.in_year.central, "{}", text);
            let holds = projected.meets_plan.central.holds;
            prop_assert_eq!(simulated.probability_meets_plan, if holds { 1.0 } else { 0.0 }, "{}", text);
        }
    }

    /// With ranges, each year's simulated in-year saving lies between `run`'s low and high
    /// (every line draws within its own year's range), and percentiles are ordered.
    #[test]
    fn a_ranged_plan_simulates_between_its_low_and_high(plan in plan(), levels in any::<bool>(), pert in any::<bool>()) {
        let mut text = plan.text(levels);
        if pert {
            text = text.replacen("[scenario]\n", "[scenario]\ndistribution = \"pert\"\n", 1);
        }
        let s = scenario::from_text("plan.toml", &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let p = project(&s).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let settings = savings_modeller::analysis::simulate::Settings { trials: 300, seed: 11, threads: 2 };
        let sim = savings_modeller::analysis::simulate::simulate(&s, settings, &|_| {}).unwrap_or_else(|e| panic!("{e}\n{text}"));
        let f = |m: Money| m.amount().to_string().parse::<f64>().unwrap_or(f64::NAN);
        for (t, spread) in sim.in_year.iter().enumerate() {
            let (low, high) = (f(p.total.in_year.low[t]), f(p.total.in_year.high[t]));
            let slack = 1e-9 * (low.abs() + high.abs()) + 1e-12;
            prop_assert!(spread.p10 <= spread.p50 && spread.p50 <= spread.p90, "{:?}", spread);
            prop_assert!(f(spread.p10) >= low - slack && f(spread.p90) <= high + slack, "{} {} {:?}\n{}", low, high, spread, text);
            prop_assert!(f(spread.mean) >= low - slack && f(spread.mean) <= high + slack, "{} {} {:?}\n{}", low, high, spread, text);
        }
    }
}
