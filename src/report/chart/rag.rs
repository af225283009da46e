//! Drawing the RAG summary panel of a tracked plan (the current year's plan and delivery by
//! rating; `figure.rs` makes it from the sums `savings track` reports): a row per rating, top
//! to bottom, across a value axis. The plan is a light bar outlined in the rating's colour and
//! the delivery a solid bar inside it; the rating's word and number of lines are on the left
//! and its figures in a column on the right, so each row reads whole without its colour (in
//! greyscale, or to a reader who cannot tell the colours apart). The layout, fonts, ticks and
//! legend are the other panels'.

use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::draw::{CAPTION, LABEL_TEXT, Layout, PAD, X_LABELS, draw_caption, draw_legend, drawing};
use super::figure::{Panel, RagRow};
use super::font::{fit, text_width};
use super::palette::{GREY_TEXT, GRID, INK, tint};
use super::ticks::Axis;

/// The height of a rating's row, in SVG pixels.
pub(super) const RAG_ROW: f64 = 40.0;
/// How far a plan bar's fill is mixed toward white.
pub(super) const PLAN_TINT: f64 = 0.65;
/// The most of the width the ratings' names may take, and their figures.
const MOST_LABEL_SHARE: f64 = 0.32;
const MOST_TEXT_SHARE: f64 = 0.34;
/// A plan bar's and a delivery bar's half-height, in rows.
const PLAN_HALF: f64 = 0.34;
const DELIVERY_HALF: f64 = 0.14;

pub(super) fn draw_rag<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel,
    rows: &[RagRow],
    layout: &Layout,
) -> Result<()> {
    let pad = layout.px(PAD);
    let room = layout.size.0.saturating_sub(2 * pad.unsigned_abs());
    draw_caption(area, &panel.title, layout)?;

    let n = rows.len().max(1);
    let plot_height = RAG_ROW * n as f64;
    let (plot_area, legend_area) =
        area.split_vertically(layout.px(CAPTION + plot_height + X_LABELS).max(1));
    let label_font = layout.font(LABEL_TEXT);
    let gap = layout.px(4.0);
    let tick = layout.px(5.0);
    let share = |s: f64| (f64::from(layout.size.0) * s) as u32;
    let names: Vec<String> = rows
        .iter()
        .map(|r| fit(&r.label, &label_font, share(MOST_LABEL_SHARE)))
        .collect();
    let texts: Vec<String> = rows
        .iter()
        .map(|r| fit(&r.text, &label_font, share(MOST_TEXT_SHARE)))
        .collect();
    let widest = |all: &[String]| {
        all.iter()
            .map(|t| text_width(t, &label_font))
            .max()
            .unwrap_or(0)
    };
    let ticks = panel.ticks();
    let x_points = ticks.points();
    let x_axis = Axis {
        lo: ticks.lo,
        hi: ticks.hi,
        ticks: x_points.clone(),
    };
    // Row i of n is drawn at y = n - 1 - i, so the first rating is at the top.
    let y_axis = Axis {
        lo: -0.5,
        hi: n as f64 - 0.5,
        ticks: Vec::new(),
    };
    let spacing = layout.px(12.0).unsigned_abs();
    let mut chart = drawing(
        "axes",
        ChartBuilder::on(&plot_area)
            .margin_top(layout.px(CAPTION))
            .margin_left(pad)
            .margin_right(widest(&texts) + spacing + pad.unsigned_abs())
            .x_label_area_size(layout.px(X_LABELS))
            .y_label_area_size(widest(&names) + spacing)
            .build_cartesian_2d(x_axis, y_axis),
    )?;
    drawing(
        "grid",
        chart
            .configure_mesh()
            .disable_y_mesh()
            .bold_line_style(GRID.stroke_width(layout.stroke(1.0)))
            .light_line_style(TRANSPARENT)
            .axis_style(GREY_TEXT.stroke_width(layout.stroke(1.0)))
            .set_all_tick_mark_size(tick)
            .label_style(label_font.color(&TRANSPARENT))
            .draw(),
    )?;
    let row = |i: usize| (n - 1 - i) as f64;
    if ticks.lo < 0.0 {
        drawing(
            "zero line",
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(0.0, -0.5), (0.0, n as f64 - 0.5)],
                INK.stroke_width(layout.stroke(1.5)),
            ))),
        )?;
    }
    let mut bars: Vec<Rectangle<(f64, f64)>> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let plan = [(0.0, row(i) - PLAN_HALF), (r.plan, row(i) + PLAN_HALF)];
        bars.push(Rectangle::new(plan, tint(r.colour, PLAN_TINT).filled()));
        bars.push(Rectangle::new(
            plan,
            r.colour.stroke_width(layout.stroke(1.5)),
        ));
        let delivery = [
            (0.0, row(i) - DELIVERY_HALF),
            (r.delivery, row(i) + DELIVERY_HALF),
        ];
        bars.push(Rectangle::new(delivery, r.colour.filled()));
    }
    drawing("bars", chart.draw_series(bars))?;

    let base = area.get_base_pixel();
    let at = |x: f64, y: f64| {
        let (px, py) = chart.backend_coord(&(x, y));
        (px - base.0, py - base.1)
    };
    let (plot_x, plot_y) = chart.plotting_area().get_pixel_range();
    let (plot_left, plot_right, plot_bottom) = (
        plot_x.start - base.0,
        plot_x.end - base.0,
        plot_y.end - base.1,
    );
    for &x in &x_points {
        let position = (at(x, -0.5).0, plot_bottom + tick + gap);
        let anchor = (HPos::Center, VPos::Top);
        let label = ticks.label(x);
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
    let below_axis = (middle_x, plot_bottom + layout.px(X_LABELS) - gap);
    layout.text(
        area,
        &fit(&panel.y_desc, &label_font, room),
        &label_font,
        &INK,
        below_axis,
        (HPos::Center, VPos::Bottom),
        true,
    )?;

    for (i, (name, text)) in names.iter().zip(&texts).enumerate() {
        let y = at(0.0, row(i)).1;
        layout.text(
            area,
            name,
            &label_font,
            &INK,
            (plot_left - gap - layout.px(4.0), y),
            (HPos::Right, VPos::Center),
            true,
        )?;
        layout.text(
            area,
            text,
            &label_font,
            &INK,
            (plot_right + gap + layout.px(4.0), y),
            (HPos::Left, VPos::Center),
            true,
        )?;
    }

    draw_legend(&legend_area, panel, layout)
}
