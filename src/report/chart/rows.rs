//! The frame of a row panel: one row per item, top to bottom, across a value axis, each row's
//! name on the left. The waterfall (`waterfall.rs`) and the RAG summary (`rag.rs`) draw their
//! bars in it and their figures beside them; the caption, the axes, the grid, the zero line
//! (where the axis goes below zero), the value axis's labels and title, the names and the
//! legend are drawn here, once for both.

use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::draw::{CAPTION, LABEL_TEXT, Layout, PAD, X_LABELS, draw_caption, draw_legend, drawing};
use super::figure::Panel;
use super::font::{fit, text_width};
use super::palette::{GREY_TEXT, GRID, INK};
use super::ticks::Axis;

/// The chart a row panel's bars are drawn on: x the value, y the row (row `i` of `n` at
/// `n - 1 - i`, so the first is at the top).
pub(super) type RowChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<Axis, Axis>>;

/// What a row panel holds besides its bars.
pub(super) struct Rows<'a> {
    /// Each row's name, fitted to the room it may take.
    pub names: &'a [String],
    /// A row's height, in SVG pixels.
    pub height: f64,
    /// The room right of the plot, in pixels (the padding, and a column of figures if any).
    pub right: u32,
}

/// Where the plot of a row panel landed, for the figures drawn beside its bars.
pub(super) struct Placed<'a> {
    /// A point (value, row position) in pixels of the panel's area.
    pub at: &'a dyn Fn(f64, f64) -> (i32, i32),
    /// The plot's left and right edges, in pixels of the panel's area.
    pub left: i32,
    pub right: i32,
    /// The space between a label and what it labels.
    pub gap: i32,
}

/// A row's position on the chart's y axis.
pub(super) fn row_y(rows: usize, i: usize) -> f64 {
    (rows.max(1) - 1 - i) as f64
}

/// The labels' font of a row panel.
pub(super) fn label_font(layout: &Layout) -> FontDesc<'static> {
    layout.font(LABEL_TEXT)
}

/// `names` fitted to at most `share` of the panel's width.
pub(super) fn fitted<'t>(
    names: impl Iterator<Item = &'t str>,
    layout: &Layout,
    share: f64,
) -> Vec<String> {
    let font = label_font(layout);
    let most = (f64::from(layout.size.0) * share) as u32;
    names.map(|name| fit(name, &font, most)).collect()
}

/// The width the widest of `texts` needs, in pixels.
pub(super) fn widest(texts: &[String], layout: &Layout) -> u32 {
    let font = label_font(layout);
    texts
        .iter()
        .map(|t| text_width(t, &font))
        .max()
        .unwrap_or(0)
}

/// Draws a row panel: the caption, the axes and grid, the bars (`bars`, on the chart), the
/// zero line, the value axis's labels and title, each row's name, then what `beside` draws
/// for each row (its figures), and the legend.
pub(super) fn draw_rows<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &Panel,
    layout: &Layout,
    rows: &Rows,
    bars: impl FnOnce(&mut RowChart<'_, DB>) -> Result<()>,
    mut beside: impl FnMut(usize, &Placed) -> Result<()>,
) -> Result<()> {
    let pad = layout.px(PAD);
    let room = layout.size.0.saturating_sub(2 * pad.unsigned_abs());
    draw_caption(area, &panel.title, layout)?;

    let n = rows.names.len().max(1);
    let plot_height = rows.height * n as f64;
    let (plot_area, legend_area) =
        area.split_vertically(layout.px(CAPTION + plot_height + X_LABELS).max(1));
    let label_font = label_font(layout);
    let gap = layout.px(4.0);
    let tick = layout.px(5.0);
    let ticks = panel.ticks();
    let x_points = ticks.points();
    let x_axis = Axis {
        lo: ticks.lo,
        hi: ticks.hi,
        ticks: x_points.clone(),
    };
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
            .margin_right(rows.right)
            .x_label_area_size(layout.px(X_LABELS))
            .y_label_area_size(widest(rows.names, layout) + layout.px(12.0).unsigned_abs())
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
    if ticks.lo < 0.0 {
        drawing(
            "zero line",
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(0.0, -0.5), (0.0, n as f64 - 0.5)],
                INK.stroke_width(layout.stroke(1.5)),
            ))),
        )?;
    }
    bars(&mut chart)?;

    let base = area.get_base_pixel();
    let at = |x: f64, y: f64| {
        let (px, py) = chart.backend_coord(&(x, y));
        (px - base.0, py - base.1)
    };
    let (plot_x, plot_y) = chart.plotting_area().get_pixel_range();
    let (left, right, bottom) = (
        plot_x.start - base.0,
        plot_x.end - base.0,
        plot_y.end - base.1,
    );
    for &x in &x_points {
        let position = (at(x, -0.5).0, bottom + tick + gap);
        let label = ticks.label(x);
        layout.text(
            area,
            &label,
            &label_font,
            &GREY_TEXT,
            position,
            (HPos::Center, VPos::Top),
            true,
        )?;
    }
    let middle_x = (plot_x.start + plot_x.end) / 2 - base.0;
    layout.text(
        area,
        &fit(&panel.y_desc, &label_font, room),
        &label_font,
        &INK,
        (middle_x, bottom + layout.px(X_LABELS) - gap),
        (HPos::Center, VPos::Bottom),
        true,
    )?;

    let placed = Placed {
        at: &at,
        left,
        right,
        gap,
    };
    for (i, name) in rows.names.iter().enumerate() {
        let y = at(0.0, row_y(n, i)).1;
        layout.text(
            area,
            name,
            &label_font,
            &INK,
            (left - gap - layout.px(4.0), y),
            (HPos::Right, VPos::Center),
            true,
        )?;
        beside(i, &placed)?;
    }

    draw_legend(&legend_area, panel, layout)
}
