//! The frame every command's report puts around its own tables: the scenario's settings in
//! one line (under the title), the standing notes (the optimism bias applied, the deferred
//! services) and the footer's account of where the figures came from (the file, what it
//! extends, the overrides). Every command that prints these takes them from here, so they read
//! the same in `run`, `options`, `simulate`, `sensitivity`, `sweep`, `solve`, `compare` and
//! `report`.

use crate::model::{OptimismBias, Scenario};

use super::words::{percent, years_count};

/// The scenario's settings in one line.
pub fn settings(s: &Scenario) -> String {
    format!(
        "Base year {}, {} to {}, money in {}; overlap w = {}; discount rate {}; MTFP period {} to {}{}",
        s.base_year,
        years_count(s.horizon),
        s.last_year(),
        s.unit,
        s.overlap,
        percent(s.discount_rate.value(), 2),
        s.mtfp_period.0,
        s.mtfp_period.1,
        super::tracking::as_at_setting(s),
    )
}

/// The optimism bias applied, in words, if any option carries one (docs/model.md section 5: it
/// is shown in every output).
pub fn bias_note(scenario: &Scenario) -> Option<String> {
    let describe = |b: &OptimismBias| {
        format!(
            "savings reduced by {}, one-off costs increased by {}, go-live delayed {} month{}",
            percent(b.saving.value(), 2),
            percent(b.cost, 2),
            b.delay_months,
            if b.delay_months == 1 { "" } else { "s" }
        )
    };
    let mut parts = Vec::new();
    if let Some(b) = &scenario.optimism_bias {
        parts.push(format!("{} (scenario-wide)", describe(b)));
    }
    for service in &scenario.services {
        for option in &service.options {
            if option.optimism_bias.is_some() && option.optimism_bias != scenario.optimism_bias {
                let text = option
                    .optimism_bias
                    .as_ref()
                    .map_or("none".to_string(), describe);
                // A one-line service is named by its own path (docs/model.md section 9.3).
                parts.push(format!("{}: {text}", service.option_path(option)));
            }
        }
    }
    (!parts.is_empty()).then(|| {
        format!(
            "Optimism bias (HM Treasury Green Book) applied before anything else, in every figure here: {}.",
            parts.join("; ")
        )
    })
}

/// Where the figures came from: the file, what it extends, the overrides applied.
pub fn provenance(source: &str, extends: &[String], overrides: &[String]) -> Vec<String> {
    let mut lines = Vec::new();
    if extends.is_empty() {
        lines.push(format!("Scenario file: {source}."));
    } else {
        lines.push(format!(
            "Scenario file: {source}, extending {}.",
            extends.join(", which extends ")
        ));
    }
    if !overrides.is_empty() {
        lines.push(format!("Overrides applied: {}.", overrides.join(" ")));
    }
    lines
}

/// The note naming the deferred services, if any.
pub fn deferred_note(scenario: &Scenario) -> Option<String> {
    let labels = scenario.service_labels();
    let names: Vec<&str> = scenario
        .services
        .iter()
        .zip(&labels)
        .filter(|(s, _)| s.taken_forward.is_none())
        .map(|(_, label)| label.as_str())
        .collect();
    (!names.is_empty()).then(|| {
        format!(
            "Deferred (no option taken forward; contributes nothing and keeps its planned savings in-house): {}.",
            names.join(", ")
        )
    })
}
