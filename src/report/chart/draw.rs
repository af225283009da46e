//! Drawing a [`Figure`] on any plotters backend (the SVG and the PNG share it): the sizes of
//! each part at a scale ([`Layout`]), the title, and each panel's axes, grid, labels, bars,
//! shaded ranges, lines and markers, legend and notes. Segments and grouped bars are separated
//! by thin white lines, so neighbours stay apart in greyscale.

use anyhow::{Result, anyhow, bail};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::figure::{Figure, Layer, Panel, Swatch};
use super::font::{FAMILY, Glyphs, fit, text_width};
use super::palette::{BAND_OPACITY, CLOSED, CLOSED_OPACITY, GREY_TEXT, GRID, INK, tint};
use super::ticks::{Axis, year_label_indexes};

/// The figure's width in SVG pixels; the PNG is [`super::png::PNG_SCALE`] times as large.
pub(super) const WIDTH: u32 = 1000;

/// Layout, in SVG pixels (multiplied by the scale for the PNG).
pub(super) const PAD: f64 = 16.0;
pub(super) const HEADER: f64 = 72.0;
pub(super) const CAPTION: f64 = 36.0;
pub(super) const PLOT: f64 = 320.0;
pub(super) const X_LABELS: f64 = 50.0;
pub(super) const LEGEND_ROW: f64 = 22.0;
pub(super) const NOTE_ROW: f64 = 20.0;
pub(super) const PANEL_GAP: f64 = 26.0;
/// Text sizes, in pixels as the SVG shows them (14 px is about 7 pt on A4 paper).
pub(super) const TITLE_TEXT: f64 = 23.0;
pub(super) const SUBTITLE_TEXT: f64 = 14.5;
pub(super) const CAPTION_TEXT: f64 = 17.0;
pub(super) const LABEL_TEXT: f64 = 14.0;
pub(super) const NOTE_TEXT: f64 = 13.5;
pub(super) const LEGEND_COLUMNS: usize = 3;
/// Lines carry a marker a year up to so many years.
pub(super) const MOST_MARKERS: usize = 25;

/// Sizes in pixels at a scale, and the figure's height.
pub(super) struct Layout {
    pub(super) scale: f64,
    pub(super) size: (u32, u32),
    /// The panels drawn (all, or one), each with its height.
    pub(super) panels: Vec<(usize, u32)>,
    pub(super) header: u32,
    /// The width left of each plot for the value labels and the axis title: the same in
    /// every panel, so the plots line up.
    pub(super) y_label_area: u32,
    /// Whether text is placed glyph by glyph (the PNG; see [`Glyphs`]) rather than left to
    /// the viewer (the SVG).
    pub(super) glyph_by_glyph: bool,
}

impl Layout {
    pub(super) fn new(
        figure: &Figure,
        only: Option<usize>,
        scale: f64,
        glyph_by_glyph: bool,
    ) -> Result<Self> {
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
                let plot = match (panel.waterfall(), panel.rag()) {
                    (Some(bars), _) => super::waterfall::BAR_ROW * bars.len().max(1) as f64,
                    (None, Some(rows)) => super::rag::RAG_ROW * rows.len().max(1) as f64,
                    (None, None) => PLOT,
                };
                let height = CAPTION
                    + plot
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
        // A waterfall's or a RAG summary's values run across, under its own labels.
        let widest = panels
            .iter()
            .filter(|(i, _)| !figure.panels[*i].is_across())
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

    pub(super) fn px(&self, v: f64) -> i32 {
        (v * self.scale).round() as i32
    }

    /// A stroke width of `v` pixels, at least one.
    pub(super) fn stroke(&self, v: f64) -> u32 {
        (v * self.scale).round().max(1.0) as u32
    }

    /// The font at `size` pixels as shown (plotters' sizes are 1.24 times that).
    pub(super) fn font(&self, size: f64) -> FontDesc<'static> {
        (FAMILY, size * 1.24 * self.scale).into_font()
    }

    /// Draws `text` anchored at `at` (`anchor`: horizontal, vertical), turned to read
    /// upwards if `upright` is false.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn text<DB: DrawingBackend>(
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

/// Maps a plotters error to one that says what was being drawn.
pub(super) fn drawing<T, E: std::error::Error + Send + Sync>(
    what: &str,
    result: std::result::Result<T, plotters::drawing::DrawingAreaErrorKind<E>>,
) -> Result<T> {
    result.map_err(|e| anyhow!("cannot draw the {what} of the chart: {e}"))
}

pub(super) fn draw<DB: DrawingBackend>(
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

/// A panel's caption, at its top left, fitted to the width.
pub(super) fn draw_caption<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    layout: &Layout,
) -> Result<()> {
    let pad = layout.px(PAD);
    let room = layout.size.0.saturating_sub(2 * pad.unsigned_abs());
    let caption_font = layout.font(CAPTION_TEXT);
    let caption = fit(title, &caption_font, room);
    layout.text(
        area,
        &caption,
        &caption_font,
        &INK,
        (pad, layout.px(8.0)),
        (HPos::Left, VPos::Top),
        true,
    )
}

pub(super) fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel,
    years: &[String],
    layout: &Layout,
) -> Result<()> {
    if let Some(bars) = panel.waterfall() {
        return super::waterfall::draw_waterfall(area, panel, bars, layout);
    }
    if let Some(rows) = panel.rag() {
        return super::rag::draw_rag(area, panel, rows, layout);
    }
    let pad = layout.px(PAD);
    draw_caption(area, &panel.title, layout)?;

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
            Layer::Grouped(series) => {
                let k = series.len().max(1) as f64;
                let width = 0.72 / k;
                let mut bars = Vec::new();
                let mut figures = Vec::new();
                for i in 0..n {
                    for (j, s) in series.iter().enumerate() {
                        let Some(&v) = s.values.get(i) else {
                            continue;
                        };
                        let left = i as f64 - 0.36 + width * j as f64;
                        let corners = [(left, 0.0), (left + width, v)];
                        bars.push(Rectangle::new(corners, s.colour.filled()));
                        bars.push(Rectangle::new(
                            corners,
                            WHITE.stroke_width(layout.stroke(1.0)),
                        ));
                        let text = s.texts.get(i).map_or("", String::as_str);
                        figures.push((left + width / 2.0, v, text));
                    }
                }
                drawing("grouped bars", chart.draw_series(bars))?;
                // Each bar's figure beyond its end, where it is no wider than the bar.
                let at = |x: f64, y: f64| {
                    let (px, py) = chart.backend_coord(&(x, y));
                    (px - base.0, py - base.1)
                };
                let room = at(width, 0.0).0 - at(0.0, 0.0).0;
                for (x, v, text) in figures {
                    if text_width(text, &label_font) as i32 > room {
                        continue;
                    }
                    let (px, py) = at(x, v);
                    let (y, vertical) = if v < 0.0 {
                        (py + gap, VPos::Top)
                    } else {
                        (py - gap, VPos::Bottom)
                    };
                    let anchor = (HPos::Center, vertical);
                    layout.text(area, text, &label_font, &INK, (px, y), anchor, true)?;
                }
            }
            // Drawn by `draw_waterfall` and `draw_rag`, never here.
            Layer::Waterfall(_) | Layer::Rag(_) => {}
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

pub(super) fn draw_legend<DB: DrawingBackend>(
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
            Swatch::Outlined(colour) => area
                .draw(&Rectangle::new(
                    [(x, box_top), (x + swatch, box_bottom)],
                    tint(*colour, super::rag::PLAN_TINT).filled(),
                ))
                .and_then(|()| {
                    area.draw(&Rectangle::new(
                        [(x, box_top), (x + swatch, box_bottom)],
                        colour.stroke_width(layout.stroke(1.5)),
                    ))
                }),
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
