//! The charts (plotters): in-year savings built up by service (stacked) with planned savings
//! to date, and the remaining gap per year with its zero line; with a simulation, the P10-P90
//! fan and the median.
//!
//! One figure, panels stacked vertically, 1000 px wide (A4 width; the PNG is drawn at twice
//! that). What is drawn is first described as data ([`Panel`]s of [`Layer`]s), then drawn on
//! any plotters backend, so the SVG, the PNG and the SVG of each panel share one layout.
//!
//! Text is laid out with DejaVu Sans, embedded in the binary and registered with plotters'
//! `ab_glyph` support (no system font is looked up), so the PNG looks the same on a machine
//! with no fonts. The SVG names `DejaVu Sans, sans-serif`: the viewer renders the text.
//!
//! Colours are the Okabe-Ito palette, safe for colour-blind readers. Services take its seven
//! colours other than black (black is kept for lines); the 8th to 14th services take the same
//! hues as 50% tints, the 15th to 20th as 40% shades. Past 20 services, the 19 with the
//! largest total saving keep a colour and the rest are drawn as one grey "other services"
//! block. Segments are separated by thin white lines, so neighbours stay apart in greyscale.

use std::sync::OnceLock;

use anyhow::{Result, anyhow, bail};
use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rust_decimal::prelude::ToPrimitive;

use super::ReportInput;
use crate::model::{Money, group_thousands};
use crate::scenario::displayed;

/// The figure's width in SVG pixels; the PNG is [`PNG_SCALE`] times as large.
const WIDTH: u32 = 1000;
const PNG_SCALE: f64 = 2.0;

/// The embedded font, and the family name it is registered and written under.
static FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const FAMILY: &str = "DejaVu Sans, sans-serif";

/// Okabe & Ito (2008), "Color Universal Design": orange, sky blue, bluish green, yellow,
/// blue, vermillion, reddish purple (black, the eighth, is kept for lines).
const OKABE_ITO: [RGBColor; 7] = [
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xF0, 0xE4, 0x42),
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xCC, 0x79, 0xA7),
];
const ORANGE: RGBColor = OKABE_ITO[0];
const SKY_BLUE: RGBColor = OKABE_ITO[1];
const OKABE_BLUE: RGBColor = OKABE_ITO[4];
const VERMILLION: RGBColor = OKABE_ITO[5];
const INK: RGBColor = RGBColor(0, 0, 0);
const GREY_TEXT: RGBColor = RGBColor(0x44, 0x44, 0x44);
const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);
const OTHER: RGBColor = RGBColor(0x99, 0x99, 0x99);

/// Services given a colour of their own before the rest are grouped.
const MOST_SERVICES: usize = 20;

/// Layout, in SVG pixels (multiplied by the scale for the PNG).
const PAD: f64 = 16.0;
const HEADER: f64 = 72.0;
const CAPTION: f64 = 36.0;
const PLOT: f64 = 320.0;
const X_LABELS: f64 = 50.0;
const LEGEND_ROW: f64 = 22.0;
const NOTE_ROW: f64 = 20.0;
const PANEL_GAP: f64 = 26.0;
/// Text sizes, in pixels as the SVG shows them (14 px is about 7 pt on A4 paper).
const TITLE_TEXT: f64 = 23.0;
const SUBTITLE_TEXT: f64 = 14.5;
const CAPTION_TEXT: f64 = 17.0;
const LABEL_TEXT: f64 = 14.0;
const NOTE_TEXT: f64 = 13.5;
const LEGEND_COLUMNS: usize = 3;
/// Lines carry a marker a year up to so many years.
const MOST_MARKERS: usize = 25;
/// The at most so many year labels on the x axis.
const MOST_YEAR_LABELS: usize = 12;

/// The charts as one SVG document (a standalone `<svg>` with width, height and viewBox).
pub fn svg(input: &ReportInput) -> Result<String> {
    let figure = Figure::of(input)?;
    render_svg(&figure, None)
}

/// Each panel as its own SVG document, with the panel's title: for pages that lay the panels
/// out themselves. The figure's title is not repeated.
pub fn svg_panels(input: &ReportInput) -> Result<Vec<(String, String)>> {
    let figure = Figure::of(input)?;
    (0..figure.panels.len())
        .map(|i| {
            Ok((
                figure.panels[i].title.clone(),
                render_svg(&figure, Some(i))?,
            ))
        })
        .collect()
}

/// The charts as one PNG image, at twice the SVG's size (about 240 dpi across A4).
pub fn png(input: &ReportInput) -> Result<Vec<u8>> {
    let figure = Figure::of(input)?;
    register_font()?;
    let layout = Layout::new(&figure, None, PNG_SCALE, true)?;
    // plotters' PNG encoder writes to a file only: draw into a private temporary folder.
    let folder = tempfile::tempdir()
        .map_err(|e| anyhow!("cannot create a temporary folder for the PNG chart: {e}"))?;
    let path = folder.path().join("chart.png");
    {
        let root = BitMapBackend::new(&path, layout.size).into_drawing_area();
        draw(&root, &figure, &layout)?;
        root.present()
            .map_err(|e| anyhow!("cannot encode the PNG chart: {e}"))?;
    }
    std::fs::read(&path).map_err(|e| anyhow!("cannot read back the PNG chart: {e}"))
}

fn render_svg(figure: &Figure, only: Option<usize>) -> Result<String> {
    register_font()?;
    let layout = Layout::new(figure, only, 1.0, false)?;
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, layout.size).into_drawing_area();
        draw(&root, figure, &layout)?;
        root.present()
            .map_err(|e| anyhow!("cannot finish the SVG chart: {e}"))?;
    }
    Ok(text)
}

/// Registers the embedded font with plotters, once per process.
fn register_font() -> Result<()> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED
        .get_or_init(|| plotters::style::register_font(FAMILY, FontStyle::Normal, FONT).is_ok());
    if ok {
        Ok(())
    } else {
        bail!("the chart font built into the program cannot be read")
    }
}

/// What the figure shows, before any drawing.
struct Figure {
    title: String,
    subtitle: String,
    /// Financial-year labels (`2015/16`), one per projected year.
    years: Vec<String>,
    panels: Vec<Panel>,
}

struct Panel {
    title: String,
    y_desc: String,
    layers: Vec<Layer>,
    notes: Vec<String>,
    /// The y range: holds zero and every value drawn (shared by the two gap panels).
    y_range: (f64, f64),
}

impl Panel {
    fn has_zero_line(&self) -> bool {
        self.layers.iter().any(|l| matches!(l, Layer::Zero))
    }

    fn ticks(&self) -> Ticks {
        let mut ticks = Ticks::new(self.y_range);
        if self.has_zero_line() {
            ticks.show_both_sides_of_zero();
        }
        ticks
    }
}

/// One thing drawn in a panel, in drawing order; each gives its legend entries.
enum Layer {
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
}

struct Segment {
    label: String,
    colour: RGBColor,
    values: Vec<f64>,
}

/// Opacity of shaded ranges.
const BAND_OPACITY: f64 = 0.35;
/// The region below the zero line, where a year's gap is closed: a faint bluish green.
const CLOSED: RGBColor = OKABE_ITO[2];
const CLOSED_OPACITY: f64 = 0.10;

enum Swatch {
    Block(RGBColor),
    Shade(RGBColor),
    Line(RGBColor, bool),
    Zero,
}

impl Layer {
    fn legend(&self) -> Vec<(String, Swatch)> {
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
        }
    }

    /// Every value the layer reaches (for stacks, the top and bottom of each bar).
    fn extent(&self) -> Vec<f64> {
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
        }
    }
}

/// Money as a plotting coordinate. Plotting is the one place the model's exact decimals
/// become f64: a pixel position needs no more than f64's 15 significant digits.
fn coordinate(money: &Money) -> f64 {
    money.amount().to_f64().unwrap_or(0.0)
}

fn coordinates(series: &[Money]) -> Vec<f64> {
    series.iter().map(coordinate).collect()
}

impl Figure {
    fn of(input: &ReportInput) -> Result<Self> {
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

/// The services' segments with their colours: file order; past [`MOST_SERVICES`], the
/// largest by total saving keep their own and the rest are summed as "other services".
fn colour_services(services: Vec<(String, Vec<f64>)>) -> Vec<Segment> {
    let keep: Vec<bool> = if services.len() <= MOST_SERVICES {
        vec![true; services.len()]
    } else {
        let mut by_size: Vec<(usize, f64)> = services
            .iter()
            .enumerate()
            .map(|(i, (_, v))| (i, v.iter().map(|x| x.abs()).sum()))
            .collect();
        // Largest first; ties keep file order (a stable sort).
        by_size.sort_by(|a, b| b.1.total_cmp(&a.1));
        let mut keep = vec![false; services.len()];
        for (i, _) in by_size.into_iter().take(MOST_SERVICES - 1) {
            keep[i] = true;
        }
        keep
    };
    let mut segments = Vec::new();
    let mut other: Option<(usize, Vec<f64>)> = None;
    for ((name, values), kept) in services.into_iter().zip(keep) {
        if kept {
            let colour = service_colour(segments.len());
            segments.push(Segment {
                label: name,
                colour,
                values,
            });
        } else {
            let (count, sum) = other.get_or_insert_with(|| (0, vec![0.0; values.len()]));
            *count += 1;
            for (s, v) in sum.iter_mut().zip(values) {
                *s += v;
            }
        }
    }
    if let Some((count, values)) = other {
        segments.push(Segment {
            label: format!("{count} other services"),
            colour: OTHER,
            values,
        });
    }
    segments
}

/// The i-th service's colour: the palette, then its tints, then its shades.
fn service_colour(i: usize) -> RGBColor {
    let hue = OKABE_ITO[i % OKABE_ITO.len()];
    let mix = |toward: f64, share: f64, c: u8| {
        // Rounded and within 0..=255 by construction.
        (f64::from(c) + (toward - f64::from(c)) * share).round() as u8
    };
    let RGBColor(r, g, b) = hue;
    match (i / OKABE_ITO.len()) % 3 {
        0 => hue,
        1 => RGBColor(mix(255.0, 0.5, r), mix(255.0, 0.5, g), mix(255.0, 0.5, b)),
        _ => RGBColor(mix(0.0, 0.4, r), mix(0.0, 0.4, g), mix(0.0, 0.4, b)),
    }
}

/// The extent of the layers, with zero; an error if a figure is not finite.
fn range(layers: &[Layer]) -> Result<(f64, f64)> {
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

/// Tick marks for the y axis: a step of 1, 2, 2.5 or 5 times a power of ten giving about six
/// intervals, and the range widened to whole steps. All-zero data gets 0 to 1.
struct Ticks {
    lo: f64,
    hi: f64,
    step: f64,
    decimals: usize,
}

impl Ticks {
    fn new((lo, hi): (f64, f64)) -> Self {
        // A little room beyond the data, so no bar or marker sits on the frame.
        let room = (hi - lo) * 0.04;
        let (lo, hi) = (
            if lo < 0.0 { lo - room } else { lo },
            if hi > 0.0 { hi + room } else { hi },
        );
        let span = hi - lo;
        if !(span.is_finite() && span > 0.0) {
            return Self {
                lo: 0.0,
                hi: 1.0,
                step: 0.2,
                decimals: 1,
            };
        }
        let raw = span / 6.0;
        let power = raw.log10().floor();
        let magnitude = 10f64.powf(power);
        let nice = [1.0, 2.0, 2.5, 5.0, 10.0]
            .into_iter()
            .find(|n| n * magnitude >= raw * (1.0 - 1e-9))
            .unwrap_or(10.0);
        let step = nice * magnitude;
        let lo = (lo / step + 1e-9).floor() * step;
        let hi = (hi / step - 1e-9).ceil() * step;
        // Enough decimals for the step: 0.25 needs two, 2.5 one, 25 none.
        let step_power = (step.log10() + 1e-9).floor();
        let mut decimals = (-step_power).max(0.0);
        if nice == 2.5 && step_power <= 0.0 {
            decimals += 1.0;
        }
        Self {
            lo,
            hi,
            step,
            // At most a dozen: a tiny range is shown as a tiny range.
            decimals: decimals.min(12.0) as usize,
        }
    }

    /// Widens the range by a step below zero (or above it) where the data stop at zero, so
    /// a zero line is never the edge of the plot.
    fn show_both_sides_of_zero(&mut self) {
        if self.lo >= 0.0 {
            self.lo = -self.step;
        }
        if self.hi <= 0.0 {
            self.hi = self.step;
        }
    }

    fn points(&self) -> Vec<f64> {
        let count = ((self.hi - self.lo) / self.step).round();
        let count = if count.is_finite() {
            count.clamp(1.0, 40.0) as usize
        } else {
            1
        };
        (0..=count)
            .map(|i| self.lo + self.step * i as f64)
            .collect()
    }

    fn label(&self, value: f64) -> String {
        if value.abs() < self.step * 1e-6 {
            return "0".into();
        }
        if value.abs() >= 1e15 {
            return format!("{value:.2e}");
        }
        group_thousands(&format!("{value:.*}", self.decimals))
    }
}

/// The years labelled on the x axis: every year up to [`MOST_YEAR_LABELS`], else every
/// 2nd, 5th, 10th, 20th, ... year.
fn year_label_indexes(n: usize) -> Vec<f64> {
    let mut step = 1;
    while n.div_ceil(step) > MOST_YEAR_LABELS {
        step = next_step(step);
    }
    (0..n).step_by(step).map(|i| i as f64).collect()
}

/// The next of 1, 2, 5, 10, 20, 50, ...
fn next_step(step: usize) -> usize {
    let mut power = 1;
    while power * 10 <= step {
        power *= 10;
    }
    match step / power {
        1 => 2 * power,
        2 => 5 * power,
        _ => 10 * power,
    }
}

/// A linear f64 axis whose labelled points are chosen here, not by plotters (financial years
/// on x, round values on y).
#[derive(Clone)]
struct Axis {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.hi - self.lo;
        if span <= 0.0 {
            return (limit.0 + limit.1) / 2;
        }
        let share = ((value - self.lo) / span).clamp(-1.0, 2.0);
        limit.0 + (f64::from(limit.1 - limit.0) * share).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        // Labelled (bold) points only: no minor grid.
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
    }
}

/// Sizes in pixels at a scale, and the figure's height.
struct Layout {
    scale: f64,
    size: (u32, u32),
    /// The panels drawn (all, or one), each with its height.
    panels: Vec<(usize, u32)>,
    header: u32,
    /// The width left of each plot for the value labels and the axis title: the same in
    /// every panel, so the plots line up.
    y_label_area: u32,
    /// Whether text is placed glyph by glyph (the PNG; see [`Glyphs`]) rather than left to
    /// the viewer (the SVG).
    glyph_by_glyph: bool,
}

impl Layout {
    fn new(figure: &Figure, only: Option<usize>, scale: f64, glyph_by_glyph: bool) -> Result<Self> {
        let px = |v: f64| (v * scale).round() as u32;
        let chosen: Vec<usize> = match only {
            Some(i) if i < figure.panels.len() => vec![i],
            Some(i) => bail!("there is no chart panel {i}"),
            None => (0..figure.panels.len()).collect(),
        };
        let panels: Vec<(usize, u32)> = chosen
            .into_iter()
            .map(|i| {
                let panel = &figure.panels[i];
                let entries: usize = panel.layers.iter().map(|l| l.legend().len()).sum();
                let rows = entries.div_ceil(LEGEND_COLUMNS);
                let height = CAPTION
                    + PLOT
                    + X_LABELS
                    + 8.0
                    + LEGEND_ROW * rows as f64
                    + NOTE_ROW * panel.notes.len() as f64
                    + PANEL_GAP;
                (i, px(height))
            })
            .collect();
        let header = if only.is_some() { 0 } else { px(HEADER) };
        let height = header + panels.iter().map(|(_, h)| h).sum::<u32>();
        let label_font = (FAMILY, LABEL_TEXT * 1.24 * scale).into_font();
        let widest = panels
            .iter()
            .flat_map(|(i, _)| {
                let ticks = figure.panels[*i].ticks();
                ticks.points().into_iter().map(move |v| ticks.label(v))
            })
            .map(|label| text_width(&label, &label_font))
            .max()
            .unwrap_or(0);
        Ok(Self {
            scale,
            size: (px(f64::from(WIDTH)), height),
            panels,
            header,
            // The labels, a gap, and the axis title turned upright.
            y_label_area: widest + px(LABEL_TEXT + 22.0),
            glyph_by_glyph,
        })
    }

    fn px(&self, v: f64) -> i32 {
        (v * self.scale).round() as i32
    }

    /// A stroke width of `v` pixels, at least one.
    fn stroke(&self, v: f64) -> u32 {
        (v * self.scale).round().max(1.0) as u32
    }

    /// The font at `size` pixels as shown (plotters' sizes are 1.24 times that).
    fn font(&self, size: f64) -> FontDesc<'static> {
        (FAMILY, size * 1.24 * self.scale).into_font()
    }

    /// Draws `text` anchored at `at` (`anchor`: horizontal, vertical), turned to read
    /// upwards if `upright` is false.
    #[allow(clippy::too_many_arguments)]
    fn text<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        text: &str,
        font: &FontDesc,
        colour: &RGBColor,
        at: (i32, i32),
        anchor: (HPos, VPos),
        upright: bool,
    ) -> Result<()> {
        let turn = if upright {
            FontTransform::None
        } else {
            FontTransform::Rotate270
        };
        let font = font.transform(turn.clone());
        let glyphs = if self.glyph_by_glyph {
            Glyphs::get()
        } else {
            None
        };
        let Some(glyphs) = glyphs else {
            let style = font.color(colour).pos(Pos::new(anchor.0, anchor.1));
            return drawing("text", area.draw_text(text, &style, at));
        };
        // Glyph by glyph: each at its pen position plus its left side bearing, on a
        // baseline placed as the SVG places it (`ab_glyph` puts it half the size down).
        let size = font.get_size();
        let width = text_width(text, &font) as i32;
        let dx = match anchor.0 {
            HPos::Left => 0,
            HPos::Center => -width / 2,
            HPos::Right => -width,
        };
        let em = size * glyphs.em;
        let baseline = match anchor.1 {
            VPos::Top => 0.76 * em,
            VPos::Center => 0.36 * em,
            VPos::Bottom => -0.25 * em,
        };
        let dy = (baseline - size / 2.0).round() as i32;
        let style = font.color(colour).pos(Pos::new(HPos::Left, VPos::Top));
        let mut prefix = String::with_capacity(text.len());
        for c in text.chars() {
            if !c.is_whitespace() {
                let pen = font.layout_box(&prefix).map_or(0, |((a, _), (b, _))| b - a);
                let (ox, oy) = turn.transform(dx + pen + glyphs.bearing(c, size), dy);
                let mut one = [0u8; 4];
                drawing(
                    "text",
                    area.draw_text(c.encode_utf8(&mut one), &style, (at.0 + ox, at.1 + oy)),
                )?;
            }
            prefix.push(c);
        }
        Ok(())
    }
}

/// Where glyphs really start. plotters 0.3.7 draws each glyph of a string from the left edge
/// of its ink, ignoring its left side bearing (`src/style/font/ab_glyph.rs`), which makes
/// spacing uneven ("M TFP", "op tion") in the PNG. So the PNG draws glyph by glyph, each
/// shifted by its bearing read here from the embedded font's own tables (`cmap`, `loca`,
/// `glyf`, `hhea`): the same numbers `ab_glyph` uses. If the tables cannot be read, text is
/// drawn as plotters draws it.
struct Glyphs {
    /// `cmap` format 4 segments: (end, start, delta, range offset, where the offset is).
    segments: Vec<(u16, u16, u16, u16, usize)>,
    /// The leftmost ink of each glyph, in font units.
    x_min: Vec<i16>,
    /// Ascender less descender, in font units: `ab_glyph` scales a font to this height.
    height: f32,
    /// The em square as a share of that height.
    em: f64,
}

impl Glyphs {
    fn get() -> Option<&'static Glyphs> {
        static GLYPHS: OnceLock<Option<Glyphs>> = OnceLock::new();
        GLYPHS.get_or_init(|| Glyphs::read(FONT)).as_ref()
    }

    fn read(font: &[u8]) -> Option<Self> {
        let u16_at = |at: usize| -> Option<u16> {
            Some(u16::from_be_bytes([*font.get(at)?, *font.get(at + 1)?]))
        };
        let i16_at = |at: usize| u16_at(at).map(|v| v as i16);
        let u32_at = |at: usize| -> Option<u32> {
            Some(u32::from_be_bytes([
                *font.get(at)?,
                *font.get(at + 1)?,
                *font.get(at + 2)?,
                *font.get(at + 3)?,
            ]))
        };
        let table = |tag: &[u8; 4]| -> Option<usize> {
            (0..usize::from(u16_at(4)?))
                .map(|i| 12 + 16 * i)
                .find(|&record| font.get(record..record + 4) == Some(&tag[..]))
                .and_then(|record| usize::try_from(u32_at(record + 8)?).ok())
        };
        let (head, hhea, maxp, loca, glyf, cmap) = (
            table(b"head")?,
            table(b"hhea")?,
            table(b"maxp")?,
            table(b"loca")?,
            table(b"glyf")?,
            table(b"cmap")?,
        );
        // ttf-parser's ascender and descender: OS/2's typographic ones if the font says to
        // use them (fsSelection bit 7), else hhea's.
        let typo = table(b"OS/2").filter(|&os2| u16_at(os2 + 62).is_some_and(|f| f & 0x80 != 0));
        let (ascender, descender) = match typo {
            Some(os2) => (i16_at(os2 + 68)?, i16_at(os2 + 70)?),
            None => (i16_at(hhea + 4)?, i16_at(hhea + 6)?),
        };
        let height = f32::from(ascender) - f32::from(descender);
        let units_per_em = u16_at(head + 18)?;
        let long_offsets = i16_at(head + 50)? == 1;
        let glyph_count = usize::from(u16_at(maxp + 4)?);
        let x_min = (0..glyph_count)
            .map(|g| {
                let (start, end) = if long_offsets {
                    (u32_at(loca + 4 * g)?, u32_at(loca + 4 * g + 4)?)
                } else {
                    (
                        u32::from(u16_at(loca + 2 * g)?) * 2,
                        u32::from(u16_at(loca + 2 * g + 2)?) * 2,
                    )
                };
                if start == end {
                    return Some(0); // no outline (a space)
                }
                i16_at(glyf + usize::try_from(start).ok()? + 2)
            })
            .collect::<Option<Vec<i16>>>()?;
        // The Windows Unicode (BMP) subtable, format 4.
        let subtable = (0..usize::from(u16_at(cmap + 2)?))
            .map(|i| cmap + 4 + 8 * i)
            .find(|&record| u16_at(record) == Some(3) && u16_at(record + 2) == Some(1))
            .and_then(|record| Some(cmap + usize::try_from(u32_at(record + 4)?).ok()?))
            .filter(|&at| u16_at(at) == Some(4))?;
        let count = usize::from(u16_at(subtable + 6)? / 2);
        let ends = subtable + 14;
        let starts = ends + 2 * count + 2;
        let deltas = starts + 2 * count;
        let offsets = deltas + 2 * count;
        let segments = (0..count)
            .map(|i| {
                Some((
                    u16_at(ends + 2 * i)?,
                    u16_at(starts + 2 * i)?,
                    u16_at(deltas + 2 * i)?,
                    u16_at(offsets + 2 * i)?,
                    offsets + 2 * i,
                ))
            })
            .collect::<Option<Vec<_>>>()?;
        (height > 0.0).then(|| Glyphs {
            segments,
            x_min,
            height,
            em: f64::from(units_per_em) / f64::from(height),
        })
    }

    /// The glyph of `c` (0, the missing glyph, if the font has none).
    fn glyph(&self, c: char) -> usize {
        let Ok(code) = u16::try_from(u32::from(c)) else {
            return 0;
        };
        let Some(&(_, start, delta, range, at)) =
            self.segments.iter().find(|(end, ..)| *end >= code)
        else {
            return 0;
        };
        if code < start {
            return 0;
        }
        let id = if range == 0 {
            code.wrapping_add(delta)
        } else {
            let slot = at + usize::from(range) + 2 * usize::from(code - start);
            match (FONT.get(slot), FONT.get(slot + 1)) {
                (Some(&hi), Some(&lo)) => match u16::from_be_bytes([hi, lo]) {
                    0 => 0,
                    g => g.wrapping_add(delta),
                },
                _ => 0,
            }
        };
        usize::from(id)
    }

    /// The left side bearing of `c` in whole pixels at plotters' font size `size`, as
    /// `ab_glyph` places its ink: floor(x_min x size / height).
    fn bearing(&self, c: char, size: f64) -> i32 {
        let x_min = self.x_min.get(self.glyph(c)).copied().unwrap_or(0);
        (f32::from(x_min) * (size as f32 / self.height)).floor() as i32
    }
}

/// Maps a plotters error to one that says what was being drawn.
fn drawing<T, E: std::error::Error + Send + Sync>(
    what: &str,
    result: std::result::Result<T, plotters::drawing::DrawingAreaErrorKind<E>>,
) -> Result<T> {
    result.map_err(|e| anyhow!("cannot draw the {what} of the chart: {e}"))
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    figure: &Figure,
    layout: &Layout,
) -> Result<()> {
    drawing("background", root.fill(&WHITE))?;
    let pad = layout.px(PAD);
    let room = layout.size.0.saturating_sub(2 * pad.unsigned_abs());
    let mut rest = root.clone();
    if layout.header > 0 {
        let (header, below) = rest.split_vertically(layout.header);
        let title_font = layout.font(TITLE_TEXT);
        let title = fit(&figure.title, &title_font, room);
        let top_left = (HPos::Left, VPos::Top);
        layout.text(
            &header,
            &title,
            &title_font,
            &INK,
            (pad, layout.px(12.0)),
            top_left,
            true,
        )?;
        let sub_font = layout.font(SUBTITLE_TEXT);
        let subtitle = fit(&figure.subtitle, &sub_font, room);
        let at = (pad, layout.px(44.0));
        layout.text(
            &header, &subtitle, &sub_font, &GREY_TEXT, at, top_left, true,
        )?;
        rest = below;
    }
    for &(i, height) in &layout.panels {
        let (area, below) = rest.split_vertically(height);
        draw_panel(&area, &figure.panels[i], &figure.years, layout)?;
        rest = below;
    }
    Ok(())
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel,
    years: &[String],
    layout: &Layout,
) -> Result<()> {
    let pad = layout.px(PAD);
    let room = layout.size.0.saturating_sub(2 * pad.unsigned_abs());
    let caption_font = layout.font(CAPTION_TEXT);
    let caption = fit(&panel.title, &caption_font, room);
    let top_left = (HPos::Left, VPos::Top);
    layout.text(
        area,
        &caption,
        &caption_font,
        &INK,
        (pad, layout.px(8.0)),
        top_left,
        true,
    )?;

    let (plot_area, legend_area) =
        area.split_vertically(layout.px(CAPTION + PLOT + X_LABELS).max(1));
    let has_zero_line = panel.has_zero_line();
    let ticks = panel.ticks();
    let y_points = ticks.points();
    let label_font = layout.font(LABEL_TEXT);

    let n = years.len();
    let x_points = year_label_indexes(n);
    let x_axis = Axis {
        lo: -0.5,
        hi: n as f64 - 0.5,
        ticks: x_points.clone(),
    };
    let y_axis = Axis {
        lo: ticks.lo,
        hi: ticks.hi,
        ticks: y_points.clone(),
    };
    let mut chart = drawing(
        "axes",
        ChartBuilder::on(&plot_area)
            .margin_top(layout.px(CAPTION))
            .margin_left(pad)
            .margin_right(layout.px(24.0))
            .x_label_area_size(layout.px(X_LABELS))
            .y_label_area_size(layout.y_label_area)
            .build_cartesian_2d(x_axis, y_axis),
    )?;
    // plotters draws the grid, axes and tick marks; the labels are drawn below, as all
    // text is (see `Layout::text`), so its own are transparent.
    let tick = layout.px(5.0);
    drawing(
        "grid",
        chart
            .configure_mesh()
            .disable_x_mesh()
            .bold_line_style(GRID.stroke_width(layout.stroke(1.0)))
            .light_line_style(TRANSPARENT)
            .axis_style(GREY_TEXT.stroke_width(layout.stroke(1.0)))
            .set_all_tick_mark_size(tick)
            .label_style(label_font.color(&TRANSPARENT))
            .draw(),
    )?;
    let base = area.get_base_pixel();
    let at = |x: f64, y: f64| {
        let (px, py) = chart.backend_coord(&(x, y));
        (px - base.0, py - base.1)
    };
    let (plot_x, plot_y) = chart.plotting_area().get_pixel_range();
    let (plot_left, plot_bottom) = (plot_x.start - base.0, plot_y.end - base.1);
    let gap = layout.px(4.0);
    for &x in &x_points {
        let label = years.get(x as usize).map_or("", String::as_str);
        let position = (at(x, ticks.lo).0, plot_bottom + tick + gap);
        let anchor = (HPos::Center, VPos::Top);
        layout.text(area, label, &label_font, &GREY_TEXT, position, anchor, true)?;
    }
    for &y in &y_points {
        let position = (plot_left - tick - gap, at(-0.5, y).1);
        let anchor = (HPos::Right, VPos::Center);
        let label = ticks.label(y);
        layout.text(
            area,
            &label,
            &label_font,
            &GREY_TEXT,
            position,
            anchor,
            true,
        )?;
    }
    let middle_x = (plot_x.start + plot_x.end) / 2 - base.0;
    let middle_y = (plot_y.start + plot_y.end) / 2 - base.1;
    let below_axis = (middle_x, plot_bottom + layout.px(X_LABELS) - gap);
    let bottom = (HPos::Center, VPos::Bottom);
    layout.text(
        area,
        "Financial year",
        &label_font,
        &INK,
        below_axis,
        bottom,
        true,
    )?;
    let y_desc = fit(
        &panel.y_desc,
        &label_font,
        u32::try_from(plot_y.len()).unwrap_or(0),
    );
    let beside_axis = (pad, middle_y);
    let top = (HPos::Center, VPos::Top);
    layout.text(area, &y_desc, &label_font, &INK, beside_axis, top, false)?;

    // A single year is drawn across the width of its bar, so a line is visible.
    let across = |values: &[f64]| -> Vec<(f64, f64)> {
        if n == 1 {
            values
                .first()
                .map(|v| vec![(-0.3, *v), (0.3, *v)])
                .unwrap_or_default()
        } else {
            values
                .iter()
                .enumerate()
                .map(|(i, v)| (i as f64, *v))
                .collect()
        }
    };
    let line_width = layout.stroke(2.5);
    let marker = layout.px(3.5).max(1);
    if has_zero_line {
        drawing(
            "closed region",
            chart.draw_series(std::iter::once(Rectangle::new(
                [(-0.5, ticks.lo), (n as f64 - 0.5, 0.0)],
                CLOSED.mix(CLOSED_OPACITY).filled(),
            ))),
        )?;
    }
    for layer in &panel.layers {
        match layer {
            Layer::Stacked(segments) => {
                let half = 0.36;
                let mut bars = Vec::new();
                for i in 0..n {
                    let (mut up, mut down) = (0.0, 0.0);
                    for segment in segments {
                        let v = segment.values[i];
                        let (from, to) = if v >= 0.0 {
                            up += v;
                            (up - v, up)
                        } else {
                            down += v;
                            (down - v, down)
                        };
                        if v != 0.0 {
                            let x = i as f64;
                            let corners = [(x - half, from), (x + half, to)];
                            bars.push(Rectangle::new(corners, segment.colour.filled()));
                            // A white edge keeps neighbouring segments apart, where the
                            // segment is tall enough to keep its colour visible.
                            let tall = (chart.backend_coord(&(x, from)).1
                                - chart.backend_coord(&(x, to)).1)
                                .abs()
                                >= layout.px(4.0);
                            if tall {
                                bars.push(Rectangle::new(
                                    corners,
                                    WHITE.stroke_width(layout.stroke(1.0)),
                                ));
                            }
                        }
                    }
                }
                drawing("bars", chart.draw_series(bars))?;
            }
            Layer::Band {
                colour,
                lower,
                upper,
                ..
            } => {
                let mut outline = across(upper);
                outline.extend(across(lower).into_iter().rev());
                drawing(
                    "shaded range",
                    chart.draw_series(std::iter::once(Polygon::new(
                        outline,
                        colour.mix(BAND_OPACITY).filled(),
                    ))),
                )?;
            }
            Layer::Line {
                colour,
                dashed,
                values,
                ..
            } => {
                let style = colour.stroke_width(line_width);
                let points = across(values);
                if *dashed {
                    drawing(
                        "dashed line",
                        chart.draw_series(DashedLineSeries::new(
                            points,
                            layout.px(9.0),
                            layout.px(6.0),
                            style,
                        )),
                    )?;
                } else {
                    drawing(
                        "line",
                        chart.draw_series(LineSeries::new(points.iter().copied(), style)),
                    )?;
                    // A marker a year, while there is room for them.
                    let marked: Vec<(f64, f64)> = match n {
                        1 => values.iter().map(|v| (0.0, *v)).collect(),
                        2..=MOST_MARKERS => points,
                        _ => Vec::new(),
                    };
                    drawing(
                        "markers",
                        chart.draw_series(
                            marked
                                .into_iter()
                                .map(|p| Circle::new(p, marker, colour.filled())),
                        ),
                    )?;
                }
            }
            Layer::Zero => {
                drawing(
                    "zero line",
                    chart.draw_series(std::iter::once(PathElement::new(
                        vec![(-0.5, 0.0), (n as f64 - 0.5, 0.0)],
                        INK.stroke_width(layout.stroke(2.0)),
                    ))),
                )?;
            }
        }
    }

    draw_legend(&legend_area, panel, layout)
}

fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel,
    layout: &Layout,
) -> Result<()> {
    let entries: Vec<(String, Swatch)> = panel.layers.iter().flat_map(Layer::legend).collect();
    let rows = entries.len().div_ceil(LEGEND_COLUMNS).max(1);
    let pad = layout.px(PAD);
    let width = layout.size.0 as i32 - 2 * pad;
    let column = width / LEGEND_COLUMNS as i32;
    let swatch = layout.px(26.0);
    let row = layout.px(LEGEND_ROW);
    let top = layout.px(8.0);
    let font = layout.font(LABEL_TEXT);
    let text_room = (column - swatch - layout.px(14.0)).max(1).unsigned_abs();
    // Column by column, so the services read down in file order.
    for (k, (label, kind)) in entries.iter().enumerate() {
        let x = pad + column * (k / rows) as i32;
        let y = top + row * (k % rows) as i32;
        let middle = y + row / 2;
        let box_top = middle - layout.px(6.0);
        let box_bottom = middle + layout.px(6.0);
        let line = |colour: &RGBColor, width: f64, from: i32, to: i32| {
            area.draw(&PathElement::new(
                vec![(from, middle), (to, middle)],
                colour.stroke_width(layout.stroke(width)),
            ))
        };
        let result = match kind {
            Swatch::Block(colour) => area.draw(&Rectangle::new(
                [(x, box_top), (x + swatch, box_bottom)],
                colour.filled(),
            )),
            Swatch::Shade(colour) => area.draw(&Rectangle::new(
                [(x, box_top), (x + swatch, box_bottom)],
                colour.mix(BAND_OPACITY).filled(),
            )),
            Swatch::Line(colour, true) => {
                let (dash, space) = (layout.px(9.0), layout.px(6.0));
                let mut from = x;
                let mut outcome = Ok(());
                while from < x + swatch && outcome.is_ok() {
                    outcome = line(colour, 2.5, from, (from + dash).min(x + swatch));
                    from += dash + space;
                }
                outcome
            }
            Swatch::Line(colour, false) => line(colour, 2.5, x, x + swatch).and_then(|()| {
                area.draw(&Circle::new(
                    (x + swatch / 2, middle),
                    layout.px(3.5).max(1),
                    colour.filled(),
                ))
            }),
            Swatch::Zero => area
                .draw(&Rectangle::new(
                    [(x, middle), (x + swatch, box_bottom)],
                    CLOSED.mix(CLOSED_OPACITY).filled(),
                ))
                .and_then(|()| line(&INK, 2.0, x, x + swatch)),
        };
        drawing("legend", result)?;
        let text = fit(label, &font, text_room);
        let at = (x + swatch + layout.px(8.0), middle);
        layout.text(
            area,
            &text,
            &font,
            &INK,
            at,
            (HPos::Left, VPos::Center),
            true,
        )?;
    }
    let note_font = layout.font(NOTE_TEXT);
    for (j, note) in panel.notes.iter().enumerate() {
        let y = top + row * rows as i32 + layout.px(4.0) + layout.px(NOTE_ROW) * j as i32;
        let text = fit(note, &note_font, width.max(1).unsigned_abs());
        let top_left = (HPos::Left, VPos::Top);
        layout.text(
            area,
            &text,
            &note_font,
            &GREY_TEXT,
            (pad, y),
            top_left,
            true,
        )?;
    }
    Ok(())
}

/// The width of `text` in pixels, as the registered font lays it out.
fn text_width(text: &str, font: &FontDesc) -> u32 {
    font.box_size(text).map_or(0, |(w, _)| w)
}

/// `text`, shortened with an ellipsis to fit `room` pixels.
fn fit(text: &str, font: &FontDesc, room: u32) -> String {
    if text_width(text, font) <= room {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let shortened = |k: usize| {
        let mut s: String = chars[..k].iter().collect::<String>().trim_end().to_string();
        s.push('…');
        s
    };
    // The longest prefix that fits, by bisection (names can be long).
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if text_width(&shortened(mid), font) <= room {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    shortened(lo)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_hold_the_data() {
        // A little room beyond the data, then whole steps.
        let t = Ticks::new((-1.0, 10.0));
        assert_eq!((t.lo, t.hi, t.step), (-2.0, 12.0, 2.0));
        assert_eq!(t.label(-2.0), "-2");
        assert_eq!(t.points().len(), 8);
        let t = Ticks::new((0.0, 1.0e12));
        assert_eq!(t.label(1.0e12), "1,000,000,000,000");
        let t = Ticks::new((0.0, 0.0));
        assert_eq!((t.lo, t.hi), (0.0, 1.0));
        assert_eq!(t.label(0.6000000000000001), "0.6");
        let t = Ticks::new((0.0, 14.0));
        assert_eq!(t.step, 2.5);
        assert_eq!(t.label(7.5), "7.5");
        assert_eq!(Ticks::new((0.0, 3.0)).label(1.0), "1");
        assert_eq!(Ticks::new((0.0, 0.14)).label(0.025), "0.025");
        assert_eq!(
            Ticks::new((-1.4e12, 0.0)).label(-2.5e11),
            "-250,000,000,000"
        );
        // The zero line is never the plot's edge.
        let mut t = Ticks::new((-3.0, 0.0));
        t.show_both_sides_of_zero();
        assert!(t.hi > 0.0 && t.lo < -3.0);
    }

    #[test]
    fn the_embedded_font_gives_each_glyph_its_bearing() {
        let glyphs = Glyphs::get().expect("the embedded font's tables are read");
        let (i, m) = (glyphs.glyph('i'), glyphs.glyph('M'));
        assert!(i > 0 && m > 0 && i != m);
        assert_eq!(glyphs.glyph('\u{10FFFF}'), 0);
        // DejaVu Sans: ab_glyph's height is 1901 + 483 font units, the em 2048.
        assert_eq!(glyphs.height, 2384.0);
        assert!(glyphs.bearing('i', 100.0) > glyphs.bearing('o', 100.0));
        assert!(glyphs.bearing('M', 100.0) > 0);
    }

    #[test]
    fn invisible_characters_are_drawn_as_their_codes() -> Result<()> {
        use crate::scenario::{Input, load};
        // Validation refuses such names; the chart holds to the rule on its own all the same.
        let mut scenario = load(&Input::Builtin)
            .map_err(|e| anyhow!("{e:?}"))?
            .scenario;
        scenario.name = "Kent \u{202E}evil".into();
        scenario.services[0].name = "Prop\u{200B}erty".into();
        scenario.services[1].name = "کتاب\u{200C}خانه".into();
        let projection = crate::projection::project(&scenario)?;
        let input = ReportInput {
            scenario: &scenario,
            projection: &projection,
            simulation: None,
            file: "builtin:",
            extends: &[],
            overrides: &[],
            notes: &[],
            dp: 1,
        };
        let drawn = svg(&input)?;
        assert!(!drawn.contains(['\u{202E}', '\u{200B}']));
        assert!(drawn.contains("Kent \\u{202e}evil"));
        assert!(drawn.contains("Prop\\u{200b}erty"));
        assert!(
            drawn.contains("کتاب\u{200C}خانه"),
            "a joiner inside a word is kept"
        );
        Ok(())
    }

    #[test]
    fn each_panel_is_a_standalone_svg_the_width_of_the_figure() -> Result<()> {
        use crate::scenario::{Input, load};
        let loaded = load(&Input::Builtin).map_err(|e| anyhow!("{e:?}"))?;
        let projection = crate::projection::project(&loaded.scenario)?;
        let input = ReportInput {
            scenario: &loaded.scenario,
            projection: &projection,
            simulation: None,
            file: "builtin:",
            extends: &[],
            overrides: &[],
            notes: &[],
            dp: 1,
        };
        let whole = svg(&input)?;
        let panels = svg_panels(&input)?;
        assert_eq!(panels.len(), 2);
        assert!(panels[0].0.starts_with("In-year savings by service"));
        assert!(panels[1].0.starts_with("Remaining gap"));
        let height = |svg: &str| -> Option<u32> {
            svg.split("height=\"")
                .nth(1)?
                .split('"')
                .next()?
                .parse()
                .ok()
        };
        for (title, panel) in &panels {
            assert!(panel.starts_with("<svg width=\"1000\""));
            assert!(panel.contains(" viewBox=\"0 0 1000 "));
            assert!(panel.contains(title.as_str()));
            assert!(
                !panel.contains(&loaded.scenario.name),
                "no figure title in a panel"
            );
        }
        let sum: Option<u32> = panels.iter().map(|(_, p)| height(p)).sum();
        assert_eq!(
            sum.map(|s| s + HEADER as u32),
            height(&whole),
            "the panels stacked under the title are the figure"
        );
        Ok(())
    }

    #[test]
    fn year_labels_thin_out_on_long_horizons() {
        assert_eq!(year_label_indexes(10).len(), 10);
        assert_eq!(year_label_indexes(12).len(), 12);
        assert_eq!(year_label_indexes(13).len(), 7);
        assert_eq!(year_label_indexes(100).len(), 10);
        assert_eq!(year_label_indexes(1), vec![0.0]);
    }

    #[test]
    fn service_colours_cycle_through_tints_and_shades() {
        assert_eq!(service_colour(0), OKABE_ITO[0]);
        assert_eq!(service_colour(7), RGBColor(0xF3, 0xCF, 0x80));
        assert_ne!(service_colour(14), service_colour(0));
        let segments = colour_services(
            (0..30)
                .map(|i| (format!("s{i}"), vec![f64::from(i)]))
                .collect(),
        );
        assert_eq!(segments.len(), MOST_SERVICES);
        assert_eq!(segments[MOST_SERVICES - 1].label, "11 other services");
    }
}
