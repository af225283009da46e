//! Drawing a waterfall panel (the gap of one year step by step, `report/waterfall.rs`): a bar
//! per step, top to bottom, across a value axis, so that each step's name reads whole on the
//! left; totals from zero, changes from the running total before them, a thin connector from
//! each bar's end to the next, each bar's figure beside it, and the zero line where a total
//! falls below zero (a surplus). The layout, fonts, ticks, palette and legend are the other
//! panels'.

use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::draw::{CAPTION, LABEL_TEXT, Layout, PAD, X_LABELS, draw_caption, draw_legend, drawing};
use super::figure::{Bar, Panel};
use super::font::{fit, text_width};
use super::palette::{GREY_TEXT, GRID, INK};
use super::ticks::Axis;

/// The height of a bar's row, in SVG pixels.
pub(super) const BAR_ROW: f64 = 30.0;
/// The most of the width the steps' names may take.
const MOST_LABEL_SHARE: f64 = 0.4;
/// A bar's half-height, in rows.
const HALF: f64 = 0.32;

pub(super) fn draw_waterfall<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel,
    bars: &[Bar],
    layout: &Layout,
) -> Result<()> {
    let pad = layout.px(PAD);
    let room = layout.size.0.saturating_sub(2 * pad.unsigned_abs());
    draw_caption(area, &panel.title, layout)?;

    let n = bars.len().max(1);
    let plot_height = BAR_ROW * n as f64;
    let (plot_area, legend_area) =
        area.split_vertically(layout.px(CAPTION + plot_height + X_LABELS).max(1));
    let label_font = layout.font(LABEL_TEXT);
    let gap = layout.px(4.0);
    let tick = layout.px(5.0);
    // The names take the room the longest needs, up to a share of the width.
    let most = (f64::from(layout.size.0) * MOST_LABEL_SHARE) as u32;
    let names: Vec<String> = bars
        .iter()
        .map(|b| fit(&b.label, &label_font, most))
        .collect();
    let widest = names
        .iter()
        .map(|name| text_width(name, &label_font))
        .max()
        .unwrap_or(0);
    let ticks = panel.ticks();
    let x_points = ticks.points();
    let x_axis = Axis {
        lo: ticks.lo,
        hi: ticks.hi,
        ticks: x_points.clone(),
    };
    // Row i of n is drawn at y = n - 1 - i, so the first step is at the top.
    let y_axis = Axis {
        lo: -0.5,
        hi: n as f64 - 0.5,
        ticks: Vec::new(),
    };
    let mut chart = drawing(
        "axes",
        ChartBuilder::on(&plot_area)
            .margin_top(layout.px(CAPTION))
            .margin_left(pad)
            .margin_right(layout.px(24.0))
            .x_label_area_size(layout.px(X_LABELS))
            .y_label_area_size(widest + layout.px(12.0).unsigned_abs())
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
    // From each bar's end to the next bar: where the running total carries on.
    let connectors: Vec<PathElement<(f64, f64)>> = bars
        .windows(2)
        .enumerate()
        .map(|(i, pair)| {
            PathElement::new(
                vec![(pair[0].to, row(i) - HALF), (pair[0].to, row(i + 1) + HALF)],
                GREY_TEXT.stroke_width(layout.stroke(1.0)),
            )
        })
        .collect();
    drawing("connectors", chart.draw_series(connectors))?;
    let rectangles: Vec<Rectangle<(f64, f64)>> = bars
        .iter()
        .enumerate()
        .map(|(i, bar)| {
            Rectangle::new(
                [(bar.from, row(i) - HALF), (bar.to, row(i) + HALF)],
                bar.kind.colour().filled(),
            )
        })
        .collect();
    drawing("bars", chart.draw_series(rectangles))?;

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

    for (i, (bar, name)) in bars.iter().zip(&names).enumerate() {
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
        // The figure beside the bar's right end, else its left, else inside it.
        let (left, right) = (
            at(bar.from.min(bar.to), row(i)).0,
            at(bar.from.max(bar.to), row(i)).0,
        );
        let width = text_width(&bar.text, &label_font) as i32;
        let (x, anchor, colour) = if right + gap + width <= plot_right {
            (right + gap, HPos::Left, INK)
        } else if left - gap - width >= plot_left {
            (left - gap, HPos::Right, INK)
        } else {
            (right - gap, HPos::Right, WHITE)
        };
        layout.text(
            area,
            &bar.text,
            &label_font,
            &colour,
            (x, y),
            (anchor, VPos::Center),
            true,
        )?;
    }

    draw_legend(&legend_area, panel, layout)
}
