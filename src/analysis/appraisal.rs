//! `savings options`: every option of every service projected as if it were taken forward,
//! so that options can be set side by side (the options appraisal of a business case).

use clap::ValueEnum;

use crate::model::{Case, Cases, Money, Scenario};
use crate::projection::{Payback, ProjectionError, ServiceProjection, project_service};

/// One option, projected as if taken forward.
#[derive(Clone, Debug)]
pub struct Appraised {
    /// Everything the projection knows about the option in its service.
    pub projection: ServiceProjection,
    pub preferred: bool,
    pub taken_forward: bool,
    /// Whether the service's decision is deferred (nothing taken forward).
    pub service_deferred: bool,
    /// `N` in the last year of the MTFP period.
    pub contribution_end_of_mtfp: Cases<Money>,
}

impl Appraised {
    /// The smallest meets-plan margin over the MTFP period, in `case`.
    pub fn smallest_margin(&self, case: Case) -> Option<Money> {
        self.projection
            .meets_plan
            .get(case)
            .margins
            .iter()
            .map(|(_, m)| *m)
            .min()
    }
}

/// Every option of every service, in file order.
pub fn appraise(scenario: &Scenario) -> Result<Vec<Appraised>, ProjectionError> {
    let last_mtfp = scenario.years().position(|y| y == scenario.mtfp_period.1);
    let mut out = Vec::new();
    for (s, service) in scenario.services.iter().enumerate() {
        for (o, option) in service.options.iter().enumerate() {
            let projection = project_service(scenario, s, service, o)?;
            let contribution_end_of_mtfp = projection.contribution.map(|_, series| {
                last_mtfp
                    .and_then(|t| series.get(t).copied())
                    .unwrap_or_default()
            });
            out.push(Appraised {
                projection,
                preferred: option.preferred,
                taken_forward: service.taken_forward == Some(o),
                service_deferred: service.taken_forward.is_none(),
                contribution_end_of_mtfp,
            });
        }
    }
    Ok(out)
}

/// How `savings options` orders the options (`--by`; each variant's doc comment is its
/// `--help` text).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SortKey {
    /// Services and options in file order
    File,
    /// Steady-state annual saving (central)
    SteadyState,
    /// Total saving over the horizon (central)
    Total,
    /// Net present value (central)
    Npv,
    /// Payback year (earliest first; then options with nothing to pay back; none last)
    Payback,
    /// The smallest meets-plan margin over the MTFP period (central)
    Margin,
    /// Contribution at the end of the MTFP period (central)
    Contribution,
}

/// Orders the appraisal: file order, or every option ranked by `key` (central case; largest
/// first, payback earliest first, then options with nothing to pay back, and options that
/// never pay back last). Ties keep file order.
pub fn sort(entries: &mut [Appraised], key: SortKey) {
    let central = Case::Central;
    let by_money =
        |f: fn(&Appraised) -> Option<Money>| move |a: &Appraised, b: &Appraised| f(b).cmp(&f(a));
    match key {
        SortKey::File => {}
        SortKey::SteadyState => entries.sort_by(by_money(|a| {
            Some(a.projection.figures.summary.get(Case::Central).steady_state)
        })),
        SortKey::Total => entries.sort_by(by_money(|a| {
            Some(a.projection.figures.summary.get(Case::Central).total_saving)
        })),
        SortKey::Npv => entries.sort_by(by_money(|a| {
            Some(a.projection.figures.summary.get(Case::Central).npv)
        })),
        SortKey::Margin => entries.sort_by(by_money(|a| a.smallest_margin(Case::Central))),
        SortKey::Contribution => entries.sort_by(by_money(|a| {
            Some(*a.contribution_end_of_mtfp.get(Case::Central))
        })),
        SortKey::Payback => entries.sort_by(|a, b| {
            let rank = |x: &Appraised| match x.projection.figures.summary.get(central).payback {
                Payback::In(year) => (0, Some(year)),
                Payback::NotNeeded => (1, None),
                Payback::Never => (2, None),
            };
            rank(a).cmp(&rank(b))
        }),
    }
}
