//! What the charts show, as data, before any drawing: a [`Figure`] of [`Panel`]s stacked
//! vertically, each a list of [`Layer`]s (stacked bars, shaded ranges, lines, the zero line)
//! with its notes and y range. Made from a report's projection (and simulation): in-year
//! savings built up by service with planned savings to date; the remaining gap with its zero
//! line and the low-to-high range; with a simulation, the P10-P90 fan and the median; for a
//! plan whose gap is built from the budget, first, its first MTFP year step by step.

use anyhow::{Result, anyhow, bail};
use plotters::style::RGBColor;
use rust_decimal::prelude::ToPrimitive;

use super::palette::{
    BLUISH_GREEN, INK, OKABE_BLUE, ORANGE, SKY_BLUE, VERMILLION, colour_services,
};
use super::ticks::Ticks;
use crate::model::{Money, group_thousands, grouped};
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
}

impl Panel {
    /// The bars of a waterfall panel; `None` for a panel of years.
    pub(super) fn waterfall(&self) -> Option<&[Bar]> {
        self.layers.iter().find_map(|l| match l {
            Layer::Waterfall(bars) => Some(bars.as_slice()),
            _ => None,
        })
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
                    "Remaining gap under uncertainty: Monte Carlo, {} trials, seed {} ({unit})",
                    group_thousands(&simulation.settings.trials.to_string()),
                    simulation.settings.seed
                ),
                y_desc: format!("Remaining gap ({unit})"),
                y_range: shared,
                layers,
                notes: vec![
                    "Each year, 8 trials in 10 fall in the shaded range and half fall above the median.".into(),
                ],
            });
        }

        // A plan whose gap is built from the budget: its first MTFP year step by step, first.
        if let Some(waterfall) = Waterfall::of(scenario, projection) {
            panels.insert(0, waterfall_panel(&waterfall, unit, input.dp)?);
        }

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
