//! What the charts show, as data, before any drawing: a [`Figure`] of [`Panel`]s stacked
//! vertically, each a list of [`Layer`]s (stacked or grouped bars, shaded ranges, lines, the
//! zero line) with its notes and y range. Made from a report's projection (and simulation):
//! in-year savings built up by service with planned savings to date; the remaining gap with
//! its zero line and the low-to-high range; with a simulation, the P10-P90 fan and the median;
//! for a plan whose gap is built from the budget, first, its first MTFP year step by step; for
//! a tracked plan (docs/model.md section 10), next, the current year's plan and delivery by RAG
//! rating (the sums `savings track` reports, [`Monitoring`]) and the remaining gap in its three
//! views of delivery.

use anyhow::{Result, anyhow, bail};
use plotters::style::RGBColor;
use rust_decimal::prelude::ToPrimitive;

use super::palette::{
    BLUISH_GREEN, GREY_TEXT, INK, OKABE_BLUE, ORANGE, SKY_BLUE, VERMILLION, colour_services,
};
use super::palette::{
    NOT_RATED, RAG_AMBER, RAG_BLUE, RAG_GREEN, RAG_RED, VIEW_FORECAST, VIEW_PLANNED,
    VIEW_RISK_ADJUSTED,
};
use super::ticks::Ticks;
use crate::model::{Money, Rag, group_thousands, grouped};
use crate::output::track::Monitoring;
use crate::output::tracking::confidence_shares;
use crate::projection::TrackingFigures;
use crate::report::ReportInput;
use crate::report::waterfall::{StepKind, Waterfall, signed};
use crate::scenario::displayed;

/// What the figure shows, before any drawing.
pub(super) struct Figure {
    pub(super) title: String,
    pub(super) subtitle: String,
    /// Financial-year labels (`2015/16`), one per projected year.
    pub(super) years: Vec<String>,
    pub(super) panels: Vec<Panel>,
}

pub(super) struct Panel {
    pub(super) title: String,
    pub(super) y_desc: String,
    pub(super) layers: Vec<Layer>,
    pub(super) notes: Vec<String>,
    /// The y range: holds zero and every value drawn (shared by the two gap panels).
    pub(super) y_range: (f64, f64),
    /// Its figures in words, for a reader who does not see the chart (the HTML page's label
    /// of the panel), where the title alone does not give them.
    pub(super) description: Option<String>,
}

impl Panel {
    /// The bars of a waterfall panel; `None` for a panel of years.
    pub(super) fn waterfall(&self) -> Option<&[Bar]> {
        self.layers.iter().find_map(|l| match l {
            Layer::Waterfall(bars) => Some(bars.as_slice()),
            _ => None,
        })
    }

    /// The rows of a RAG panel; `None` for any other.
    pub(super) fn rag(&self) -> Option<&[RagRow]> {
        self.layers.iter().find_map(|l| match l {
            Layer::Rag(rows) => Some(rows.as_slice()),
            _ => None,
        })
    }

    /// Whether the panel is drawn across a value axis, a row per bar (a waterfall, the RAG
    /// summary), rather than over the years.
    pub(super) fn is_across(&self) -> bool {
        self.waterfall().is_some() || self.rag().is_some()
    }

    pub(super) fn has_zero_line(&self) -> bool {
        self.layers.iter().any(|l| matches!(l, Layer::Zero))
    }

    pub(super) fn ticks(&self) -> Ticks {
        let mut ticks = Ticks::new(self.y_range);
        if self.has_zero_line() {
            ticks.show_both_sides_of_zero();
        }
        ticks
    }
}

/// One thing drawn in a panel, in drawing order; each gives its legend entries.
pub(super) enum Layer {
    /// Stacked bars per year: positive values stack up from zero, negative ones down.
    Stacked(Vec<Segment>),
    /// Bars side by side in each year, one per series in order, each from zero, with its
    /// figure beside its end where there is room.
    Grouped(Vec<Series>),
    /// A shaded range between two series.
    Band {
        label: String,
        colour: RGBColor,
        lower: Vec<f64>,
        upper: Vec<f64>,
    },
    /// A line with a marker at each year.
    Line {
        label: String,
        colour: RGBColor,
        dashed: bool,
        values: Vec<f64>,
    },
    /// The zero line of the remaining gap: at or below it, the year is closed.
    Zero,
    /// The gap of one year step by step (`chart/waterfall.rs`): a bar per step, top to
    /// bottom, drawn across a value axis. A panel with it shows nothing else.
    Waterfall(Vec<Bar>),
    /// The current year by RAG rating (`chart/rag.rs`): a row per rating, top to bottom,
    /// across a value axis. A panel with it shows nothing else.
    Rag(Vec<RagRow>),
}

/// One series of grouped bars: a figure per year, and its text as printed.
pub(super) struct Series {
    pub(super) label: String,
    pub(super) colour: RGBColor,
    pub(super) values: Vec<f64>,
    pub(super) texts: Vec<String>,
}

/// One rating's row of the RAG summary: the plan of its lines in the current year as a light,
/// outlined bar, their delivery as a solid bar inside it; its name (the rating's word) on the
/// left and its figures on the right, so that colour never carries the meaning alone.
pub(super) struct RagRow {
    pub(super) label: String,
    pub(super) colour: RGBColor,
    pub(super) plan: f64,
    pub(super) delivery: f64,
    pub(super) text: String,
}

/// One bar of a waterfall: from one running total to the next (a total from zero).
pub(super) struct Bar {
    pub(super) label: String,
    pub(super) kind: BarKind,
    pub(super) from: f64,
    pub(super) to: f64,
    /// The figure printed beside the bar (a change with its sign).
    pub(super) text: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum BarKind {
    /// A level from zero: the start, and the totals on the way.
    Total,
    /// A change that adds to the gap.
    Up,
    /// A change that reduces the gap (or leaves it as it is).
    Down,
}

impl BarKind {
    pub(super) fn colour(self) -> RGBColor {
        match self {
            BarKind::Total => OKABE_BLUE,
            BarKind::Up => VERMILLION,
            BarKind::Down => BLUISH_GREEN,
        }
    }

    fn legend(self) -> &'static str {
        match self {
            BarKind::Total => "Total",
            BarKind::Up => "Adds to the gap",
            BarKind::Down => "Reduces the gap",
        }
    }
}

pub(super) struct Segment {
    pub(super) label: String,
    pub(super) colour: RGBColor,
    pub(super) values: Vec<f64>,
}

pub(super) enum Swatch {
    Block(RGBColor),
    /// A light box outlined in the colour: a plan bar of the RAG summary.
    Outlined(RGBColor),
    Shade(RGBColor),
    Line(RGBColor, bool),
    Zero,
}

impl Layer {
    pub(super) fn legend(&self) -> Vec<(String, Swatch)> {
        match self {
            Layer::Stacked(segments) => segments
                .iter()
                .map(|s| (s.label.clone(), Swatch::Block(s.colour)))
                .collect(),
            Layer::Band { label, colour, .. } => vec![(label.clone(), Swatch::Shade(*colour))],
            Layer::Line {
                label,
                colour,
                dashed,
                ..
            } => vec![(label.clone(), Swatch::Line(*colour, *dashed))],
            Layer::Zero => vec![("Zero: closed at or below (shaded)".into(), Swatch::Zero)],
            Layer::Waterfall(bars) => [BarKind::Total, BarKind::Up, BarKind::Down]
                .into_iter()
                .filter(|kind| bars.iter().any(|b| b.kind == *kind))
                .map(|kind| (kind.legend().to_string(), Swatch::Block(kind.colour())))
                .collect(),
            Layer::Grouped(series) => series
                .iter()
                .map(|s| (s.label.clone(), Swatch::Block(s.colour)))
                .collect(),
            Layer::Rag(_) => vec![
                (
                    "Plan: the light, outlined bar".into(),
                    Swatch::Outlined(GREY_TEXT),
                ),
                (
                    "Delivery: the solid bar inside it".into(),
                    Swatch::Block(GREY_TEXT),
                ),
            ],
        }
    }

    /// Every value the layer reaches (for stacks, the top and bottom of each bar).
    pub(super) fn extent(&self) -> Vec<f64> {
        match self {
            Layer::Stacked(segments) => {
                let years = segments.first().map_or(0, |s| s.values.len());
                (0..years)
                    .flat_map(|i| {
                        let column = segments.iter().map(|s| s.values[i]);
                        [
                            column.clone().filter(|v| *v > 0.0).sum::<f64>(),
                            column.filter(|v| *v < 0.0).sum::<f64>(),
                        ]
                    })
                    .collect()
            }
            Layer::Band { lower, upper, .. } => lower.iter().chain(upper).copied().collect(),
            Layer::Line { values, .. } => values.clone(),
            Layer::Zero => vec![0.0],
            Layer::Waterfall(bars) => bars.iter().flat_map(|b| [b.from, b.to]).collect(),
            Layer::Grouped(series) => series.iter().flat_map(|s| s.values.clone()).collect(),
            Layer::Rag(rows) => rows.iter().flat_map(|r| [r.plan, r.delivery]).collect(),
        }
    }
}

/// Money as a plotting coordinate. Plotting is the one place the model's exact decimals
/// become f64: a pixel position needs no more than f64's 15 significant digits.
pub(super) fn coordinate(money: &Money) -> f64 {
    money.amount().to_f64().unwrap_or(0.0)
}

pub(super) fn coordinates(series: &[Money]) -> Vec<f64> {
    series.iter().map(coordinate).collect()
}

impl Figure {
    pub(super) fn of(input: &ReportInput) -> Result<Self> {
        let scenario = input.scenario;
        let projection = input.projection;
        // User text is drawn as reports print it: invisible characters as their codes.
        let unit = &displayed(&scenario.unit).into_owned();
        let years: Vec<String> = projection.years.iter().map(ToString::to_string).collect();
        let (Some(first), Some(last)) = (years.first(), years.last()) else {
            bail!("there are no projected years to chart");
        };
        let n = years.len();
        let total = &projection.total;
        let same_length = |name: &str, length: usize| {
            if length == n {
                Ok(())
            } else {
                Err(anyhow!(
                    "cannot chart the {name}: {length} values for {n} years"
                ))
            }
        };

        // Panel 1: the build-up by service, with planned savings to date.
        // Names as labels (ids where two are alike), with invisible characters as codes.
        let labels: Vec<String> = scenario
            .service_labels()
            .into_iter()
            .map(|l| displayed(&l).into_owned())
            .collect();
        let mut build_up = Vec::new();
        for service in &projection.services {
            let values = coordinates(&service.figures.in_year.central);
            same_length("in-year saving", values.len())?;
            let name = labels
                .get(service.service)
                .map_or_else(|| format!("service {}", service.service + 1), Clone::clone);
            build_up.push((name, values));
        }
        let segments = colour_services(build_up);
        let planned = coordinates(&total.planned_to_date);
        same_length("planned savings to date", planned.len())?;
        let has_plan = planned.iter().any(|v| *v != 0.0);
        let mut notes = vec![if has_plan {
            "Planned savings to date: what the MTFP already counts on from these services, summed to each year."
        } else {
            "The MTFP counts on no planned savings from these services."
        }
        .to_string()];
        if segments.is_empty() {
            notes.push("No service has an option taken forward: nothing is saved.".to_string());
        }
        let deferred: Vec<String> = projection
            .deferred
            .iter()
            .filter_map(|&i| labels.get(i).cloned())
            .collect();
        if !deferred.is_empty() {
            notes.push(format!(
                "Deferred, no option taken forward (not drawn): {}",
                deferred.join(", ")
            ));
        }
        let mut saving_layers = Vec::new();
        if !segments.is_empty() {
            saving_layers.push(Layer::Stacked(segments));
        }
        if has_plan {
            saving_layers.push(Layer::Line {
                label: "Planned savings to date (MTFP)".into(),
                colour: INK,
                dashed: false,
                values: planned,
            });
        }
        let mut panels = vec![Panel {
            title: format!("In-year savings by service, central case ({unit})"),
            y_desc: format!("In-year saving ({unit})"),
            y_range: range(&saving_layers)?,
            layers: saving_layers,
            notes,
            description: None,
        }];

        // Panel 2: the remaining gap, central with the low-to-high range.
        let gap = &total.remaining_gap;
        let (low, central, high) = (
            coordinates(&gap.low),
            coordinates(&gap.central),
            coordinates(&gap.high),
        );
        same_length("remaining gap", central.len())?;
        same_length("remaining gap", low.len())?;
        same_length("remaining gap", high.len())?;
        let lower: Vec<f64> = low.iter().zip(&high).map(|(a, b)| a.min(*b)).collect();
        let upper: Vec<f64> = low.iter().zip(&high).map(|(a, b)| a.max(*b)).collect();
        // Without a range (every saving a single figure) there is no band to show.
        let has_range = lower != upper;
        let mut gap_layers = Vec::new();
        if has_range {
            gap_layers.push(Layer::Band {
                label: "Low to high case".into(),
                colour: SKY_BLUE,
                lower,
                upper,
            });
        }
        gap_layers.extend([
            Layer::Zero,
            Layer::Line {
                label: "Remaining gap, central case".into(),
                colour: OKABE_BLUE,
                dashed: false,
                values: central.clone(),
            },
        ]);
        panels.push(Panel {
            title: if has_range {
                format!("Remaining gap: central case and low to high range ({unit})")
            } else {
                format!("Remaining gap ({unit}); low, central and high cases are the same")
            },
            y_desc: format!("Remaining gap ({unit})"),
            y_range: range(&gap_layers)?,
            layers: gap_layers,
            notes: if has_range {
                vec!["Low and high cases: every option at its low, or its high, saving (bounds, not percentiles).".into()]
            } else {
                Vec::new()
            },
            description: None,
        });

        // Panel 3, with a simulation: the fan and the median, on the same scale.
        if let Some(simulation) = input.simulation {
            let spreads = &simulation.remaining_gap;
            same_length("simulated remaining gap", spreads.len())?;
            let layers = vec![
                Layer::Band {
                    label: "P10 to P90 of the trials".into(),
                    colour: ORANGE,
                    lower: spreads.iter().map(|s| coordinate(&s.p10)).collect(),
                    upper: spreads.iter().map(|s| coordinate(&s.p90)).collect(),
                },
                Layer::Zero,
                Layer::Line {
                    label: "Central case, as above".into(),
                    colour: OKABE_BLUE,
                    dashed: true,
                    values: central,
                },
                Layer::Line {
                    label: "Median (P50) of the trials".into(),
                    colour: VERMILLION,
                    dashed: false,
                    values: spreads.iter().map(|s| coordinate(&s.p50)).collect(),
                },
            ];
            let simulated = range(&layers)?;
            let shared = (
                simulated.0.min(panels[1].y_range.0),
                simulated.1.max(panels[1].y_range.1),
            );
            panels[1].y_range = shared;
            panels.push(Panel {
                title: format!(
                    "Remaining gap under uncertainty: Monte Carlo, {} {}, seed {} ({unit})",
                    group_thousands(&simulation.settings.trials.to_string()),
                    if simulation.settings.trials == 1 {
                        "trial"
                    } else {
                        "trials"
                    },
                    simulation.settings.seed
                ),
                y_desc: format!("Remaining gap ({unit})"),
                y_range: shared,
                layers,
                notes: vec![
                    "Each year, 8 trials in 10 fall in the shaded range and half fall above the median.".into(),
                ],
                description: None,
            });
        }

        // A plan whose gap is built from the budget: its first MTFP year step by step, first.
        let mut next = 0;
        if let Some(waterfall) = Waterfall::of(scenario, projection) {
            panels.insert(0, waterfall_panel(&waterfall, unit, input.dp)?);
            next = 1;
        }
        // A tracked plan: the current year by rating and the three views of the gap, next.
        let tracking = tracking_panels(input, unit)?;
        panels.splice(next..next, tracking);

        Ok(Self {
            title: displayed(&scenario.name).into_owned(),
            subtitle: format!(
                "Base year {}; {} year{}, {first} to {last}; money in {unit}",
                scenario.base_year,
                n,
                if n == 1 { "" } else { "s" }
            ),
            years,
            panels,
        })
    }
}

/// The waterfall's panel: a bar per step, from the running total before it to the one after
/// (a total from zero), each labelled with its figure.
fn waterfall_panel(waterfall: &Waterfall, unit: &str, dp: u32) -> Result<Panel> {
    let mut running = Money::ZERO;
    let mut bars = Vec::new();
    for step in &waterfall.steps {
        let label = displayed(&step.label).into_owned();
        let bar = match step.kind {
            StepKind::Total => {
                running = step.value;
                Bar {
                    label,
                    kind: BarKind::Total,
                    from: 0.0,
                    to: coordinate(&step.value),
                    text: grouped(step.value.amount(), dp),
                }
            }
            StepKind::Change => {
                let from = coordinate(&running);
                running = running.checked_add(step.value).unwrap_or(running);
                Bar {
                    label,
                    kind: if step.value.is_positive() {
                        BarKind::Up
                    } else {
                        BarKind::Down
                    },
                    from,
                    to: coordinate(&running),
                    text: signed(step.value, dp),
                }
            }
        };
        bars.push(bar);
    }
    let mut notes = vec![format!(
        "Central case, {}: the first year of the MTFP period. A below-zero remaining gap is a surplus.",
        waterfall.year
    )];
    if waterfall.has_savings {
        notes.push("A status's bar is its lines' contribution: what they do to the gap beyond what the plan counts on.".into());
    }
    if waterfall.has_in_base {
        notes.push(
            "In-base savings are already out of the budget and never move the gap: no bar.".into(),
        );
    }
    let layers = vec![Layer::Waterfall(bars)];
    Ok(Panel {
        title: format!(
            "The gap in {}, step by step to the remaining gap ({unit})",
            waterfall.year
        ),
        y_desc: format!("Amount ({unit})"),
        y_range: range(&layers)?,
        layers,
        notes,
        description: None,
    })
}

/// The panels of a tracked plan (docs/model.md section 10): the current year by RAG rating,
/// where `as_at` falls in a projected year and a line is taken forward, and the remaining gap
/// in the three views of delivery. None for a plan that is not tracked.
fn tracking_panels(input: &ReportInput, unit: &str) -> Result<Vec<Panel>> {
    let (scenario, projection) = (input.scenario, input.projection);
    let Some(views) = projection.tracking.as_ref() else {
        return Ok(Vec::new());
    };
    if !scenario.is_tracked() {
        return Ok(Vec::new());
    }
    let mut panels = Vec::new();
    if let Some(year) = scenario
        .current_year()
        .filter(|y| projection.years.contains(y))
    {
        // The very sums `savings track` reports.
        let monitoring = Monitoring::new(scenario, projection, year)
            .map_err(|e| anyhow!("cannot chart delivery by RAG rating in {year}: {e}"))?;
        if !monitoring.by_rag.is_empty() {
            panels.push(rag_panel(&monitoring, unit, input.dp)?);
        }
    }
    panels.push(views_panel(
        input,
        views,
        unit,
        &confidence_shares(scenario),
    )?);
    Ok(panels)
}

/// A rating in words, as the RAG panel names it.
fn rag_words(rag: Option<Rag>) -> &'static str {
    match rag {
        Some(Rag::Blue) => "Blue: delivered",
        Some(Rag::Green) => "Green: on track",
        Some(Rag::Amber) => "Amber: at risk",
        Some(Rag::Red) => "Red: will not deliver as planned",
        None => "Not rated",
    }
}

fn rag_colour(rag: Option<Rag>) -> RGBColor {
    match rag {
        Some(Rag::Blue) => RAG_BLUE,
        Some(Rag::Green) => RAG_GREEN,
        Some(Rag::Amber) => RAG_AMBER,
        Some(Rag::Red) => RAG_RED,
        None => NOT_RATED,
    }
}

fn lines(n: usize) -> String {
    format!("{n} line{}", if n == 1 { "" } else { "s" })
}

/// The current year's plan and delivery by rating: a row per rating that has lines, in the
/// order of `savings track` (blue, green, amber, red, not rated), each labelled with its
/// word, its number of lines and its figures.
fn rag_panel(monitoring: &Monitoring, unit: &str, dp: u32) -> Result<Panel> {
    let money = |m: Money| grouped(m.amount(), dp);
    let year = monitoring.current_year;
    let rows: Vec<RagRow> = monitoring
        .by_rag
        .iter()
        .map(|(rag, totals)| RagRow {
            label: format!("{} ({})", rag_words(*rag), lines(totals.lines)),
            colour: rag_colour(*rag),
            plan: coordinate(&totals.plan),
            delivery: coordinate(&totals.delivery),
            text: format!(
                "plan {}, delivery {}, variance {}",
                money(totals.plan),
                money(totals.delivery),
                signed(totals.variance, dp)
            ),
        })
        .collect();
    let description = rows
        .iter()
        .map(|r| format!("{}: {}", r.label, r.text))
        .collect::<Vec<_>>()
        .join("; ");
    let total = &monitoring.total;
    let t = monitoring.years.iter().position(|y| *y == year);
    let at_risk = t
        .and_then(|t| monitoring.views.at_risk.get(t))
        .copied()
        .unwrap_or_default();
    let notes = vec![
        format!(
            "{year} is the current year (as at {}): every line taken forward, by its rating, as savings track sums them.",
            displayed(&monitoring.as_at)
        ),
        "Plan: planned savings to date. Delivery: delivered where given, else forecast, else the plan (0 for a withdrawn line).".into(),
        format!(
            "Variance: delivery less plan, of the approved and withdrawn lines only. All {}: plan {}, delivery {}, variance {}.",
            lines(total.lines),
            money(total.plan),
            money(total.delivery),
            signed(total.variance, dp)
        ),
        format!(
            "Savings at risk in {year}: {}, the plan of the amber and red lines that are approved or proposed.",
            money(at_risk)
        ),
    ];
    let layers = vec![Layer::Rag(rows)];
    Ok(Panel {
        title: format!("Delivery in {year} by RAG rating: plan and delivery ({unit})"),
        y_desc: format!("In-year saving in {year} ({unit})"),
        y_range: range(&layers)?,
        layers,
        notes,
        description: Some(format!("{description}.")),
    })
}

/// The remaining gap per year as planned, as forecast and risk-adjusted (central case), as
/// bars side by side, each with its figure.
fn views_panel(
    input: &ReportInput,
    views: &TrackingFigures,
    unit: &str,
    shares: &str,
) -> Result<Panel> {
    let n = input.projection.years.len();
    let gap = &views.remaining_gap;
    let mut series = Vec::new();
    for (label, colour, values) in [
        ("Remaining gap as planned", VIEW_PLANNED, &gap.planned),
        ("Remaining gap as forecast", VIEW_FORECAST, &gap.forecast),
        (
            "Remaining gap risk-adjusted",
            VIEW_RISK_ADJUSTED,
            &gap.risk_adjusted,
        ),
    ] {
        if values.len() != n {
            bail!(
                "cannot chart the {}: {} values for {n} years",
                label.to_lowercase(),
                values.len()
            );
        }
        series.push(Series {
            label: label.into(),
            colour,
            values: coordinates(values),
            texts: values
                .iter()
                .map(|m| grouped(m.amount(), input.dp))
                .collect(),
        });
    }
    let description = input
        .projection
        .years
        .iter()
        .enumerate()
        .map(|(t, year)| {
            let text = |i: usize| series[i].texts.get(t).map_or("", String::as_str);
            format!(
                "{year}: as planned {}, as forecast {}, risk-adjusted {}",
                text(0),
                text(1),
                text(2)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let layers = vec![Layer::Grouped(series), Layer::Zero];
    // Room above (and below) the bars for their figures.
    let (lo, hi) = range(&layers)?;
    let room = (hi - lo) * 0.08;
    let y_range = (
        if lo < 0.0 { lo - room } else { lo },
        if hi > 0.0 { hi + room } else { hi },
    );
    Ok(Panel {
        title: format!(
            "Remaining gap in three views of delivery: as planned, as forecast, risk-adjusted ({unit})"
        ),
        y_desc: format!("Remaining gap ({unit})"),
        y_range,
        layers,
        notes: vec![
            "As planned: delivered and forecast figures ignored. As forecast: counting them, as the other panels do.".into(),
            format!("Risk-adjusted: each rated line at {shares}, except where delivered."),
        ],
        description: Some(format!("{description}.")),
    })
}

/// The extent of the layers, with zero; an error if a figure is not finite.
pub(super) fn range(layers: &[Layer]) -> Result<(f64, f64)> {
    let mut lo = 0.0_f64;
    let mut hi = 0.0_f64;
    for v in layers.iter().flat_map(Layer::extent) {
        if !v.is_finite() {
            bail!("cannot chart a figure that is not a finite number");
        }
        lo = lo.min(v);
        hi = hi.max(v);
    }
    Ok((lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{Input, load};

    /// The figure of a shipped scenario, with its monitoring figures in its current year.
    fn figure_of(path: &str) -> Result<(Figure, Option<Monitoring>)> {
        let loaded = load(&Input::Path(path.into())).map_err(|e| anyhow!("{e:?}"))?;
        let scenario = &loaded.scenario;
        let projection = crate::projection::project(scenario)?;
        let input = ReportInput {
            scenario,
            projection: &projection,
            simulation: None,
            file: path,
            extends: &[],
            overrides: &[],
            notes: &[],
            dp: 1,
        };
        let monitoring = match scenario.current_year() {
            Some(year) => Some(Monitoring::new(scenario, &projection, year)?),
            None => None,
        };
        Ok((Figure::of(&input)?, monitoring))
    }

    #[test]
    fn a_tracked_plan_charts_the_sums_of_savings_track_by_rating() -> Result<()> {
        // docs/model.md section 10.4: in 2025/26 line a (amber) plans 1 and is forecast 0.6,
        // b (green) plans and delivers 0.5, c and d are not rated (plan 0 + 0.4).
        let (figure, monitoring) = figure_of("scenarios/worked-example-tracking.toml")?;
        let monitoring = monitoring.ok_or_else(|| anyhow!("no current year"))?;
        let titles: Vec<&str> = figure.panels.iter().map(|p| p.title.as_str()).collect();
        assert!(titles[0].starts_with("The gap in 2025/26"), "{titles:?}");
        assert!(titles[1].starts_with("Delivery in 2025/26 by RAG rating"));
        assert!(titles[2].starts_with("Remaining gap in three views"));
        assert!(titles[3].starts_with("In-year savings by service"));
        let rows = figure.panels[1]
            .rag()
            .ok_or_else(|| anyhow!("no RAG rows"))?;
        let drawn: Vec<(&str, f64, f64, &str)> = rows
            .iter()
            .map(|r| (r.label.as_str(), r.plan, r.delivery, r.text.as_str()))
            .collect();
        assert_eq!(
            drawn,
            [
                (
                    "Green: on track (1 line)",
                    0.5,
                    0.5,
                    "plan 0.5, delivery 0.5, variance 0.0"
                ),
                (
                    "Amber: at risk (1 line)",
                    1.0,
                    0.6,
                    "plan 1.0, delivery 0.6, variance -0.4"
                ),
                (
                    "Not rated (2 lines)",
                    0.4,
                    0.4,
                    "plan 0.4, delivery 0.4, variance 0.0"
                ),
            ]
        );
        // Row by row, the very totals `savings track` reports.
        for (row, (rag, totals)) in rows.iter().zip(&monitoring.by_rag) {
            assert_eq!(row.colour, rag_colour(*rag));
            assert_eq!(row.plan, coordinate(&totals.plan));
            assert_eq!(row.delivery, coordinate(&totals.delivery));
        }
        let Some(Layer::Grouped(series)) = figure.panels[2].layers.first() else {
            bail!("no grouped bars");
        };
        let texts: Vec<&Vec<String>> = series.iter().map(|s| &s.texts).collect();
        assert_eq!(
            texts,
            [
                &vec!["2.0".to_string(), "2.0".into(), "1.0".into()],
                &vec!["2.4".to_string(), "2.0".into(), "1.0".into()],
                &vec!["2.7".to_string(), "3.0".into(), "2.0".into()],
            ]
        );
        Ok(())
    }

    #[test]
    fn a_plan_not_tracked_has_no_tracking_panels() -> Result<()> {
        let (figure, _) = figure_of("scenarios/worked-example-plan.toml")?;
        assert_eq!(figure.panels.len(), 3);
        assert!(figure.panels.iter().all(|p| p.rag().is_none()
            && p.description.is_none()
            && !p.layers.iter().any(|l| matches!(l, Layer::Grouped(_)))));
        Ok(())
    }
}
