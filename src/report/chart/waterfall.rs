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

use super::draw::{Layout, drawing};
use super::figure::{Bar, Panel};
use super::font::text_width;
use super::palette::{GREY_TEXT, INK};
use super::rows::{Placed, RowChart, Rows, draw_rows, fitted, label_font, row_y};

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
    // The names take the room the longest needs, up to a share of the width.
    let names = fitted(
        bars.iter().map(|b| b.label.as_str()),
        layout,
        MOST_LABEL_SHARE,
    );
    let frame = Rows {
        names: &names,
        height: BAR_ROW,
        right: layout.px(24.0).unsigned_abs(),
    };
    let n = bars.len();
    let row = |i: usize| row_y(n, i);
    let draw_bars = |chart: &mut RowChart<'_, DB>| {
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
        drawing("bars", chart.draw_series(rectangles)).map(|_| ())
    };
    let label_font = label_font(layout);
    // The figure beside the bar's right end, else its left, else inside it.
    let figure = |i: usize, plot: &Placed| {
        let Some(bar) = bars.get(i) else {
            return Ok(());
        };
        let at = plot.at;
        let y = at(0.0, row(i)).1;
        let (left, right) = (
            at(bar.from.min(bar.to), row(i)).0,
            at(bar.from.max(bar.to), row(i)).0,
        );
        let width = text_width(&bar.text, &label_font) as i32;
        let (x, anchor, colour) = if right + plot.gap + width <= plot.right {
            (right + plot.gap, HPos::Left, INK)
        } else if left - plot.gap - width >= plot.left {
            (left - plot.gap, HPos::Right, INK)
        } else {
            (right - plot.gap, HPos::Right, WHITE)
        };
        layout.text(
            area,
            &bar.text,
            &label_font,
            &colour,
            (x, y),
            (anchor, VPos::Center),
            true,
        )
    };
    draw_rows(area, panel, layout, &frame, draw_bars, figure)
}
