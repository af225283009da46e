//! Drawing the RAG summary panel of a tracked plan (the current year's plan and delivery by
//! rating; `figure.rs` makes it from the sums `savings track` reports): a row per rating, top
//! to bottom, across a value axis (the frame of `rows.rs`). The plan is a light bar outlined in the rating's colour and
//! the delivery a solid bar inside it; the rating's word and number of lines are on the left
//! and its figures in a column on the right, so each row reads whole without its colour (in
//! greyscale, or to a reader who cannot tell the colours apart). The layout, fonts, ticks and
//! legend are the other panels'.

use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::draw::{Layout, PAD, drawing};
use super::figure::{Panel, RagRow};
use super::palette::{INK, tint};
use super::rows::{Placed, RowChart, Rows, draw_rows, fitted, label_font, row_y, widest};

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
    let names = fitted(
        rows.iter().map(|r| r.label.as_str()),
        layout,
        MOST_LABEL_SHARE,
    );
    let texts = fitted(
        rows.iter().map(|r| r.text.as_str()),
        layout,
        MOST_TEXT_SHARE,
    );
    let frame = Rows {
        names: &names,
        height: RAG_ROW,
        right: widest(&texts, layout)
            + layout.px(12.0).unsigned_abs()
            + layout.px(PAD).unsigned_abs(),
    };
    let n = rows.len();
    let bars = |chart: &mut RowChart<'_, DB>| {
        let mut bars: Vec<Rectangle<(f64, f64)>> = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            let y = row_y(n, i);
            let plan = [(0.0, y - PLAN_HALF), (r.plan, y + PLAN_HALF)];
            bars.push(Rectangle::new(plan, tint(r.colour, PLAN_TINT).filled()));
            bars.push(Rectangle::new(
                plan,
                r.colour.stroke_width(layout.stroke(1.5)),
            ));
            let delivery = [(0.0, y - DELIVERY_HALF), (r.delivery, y + DELIVERY_HALF)];
            bars.push(Rectangle::new(delivery, r.colour.filled()));
        }
        drawing("bars", chart.draw_series(bars)).map(|_| ())
    };
    let label_font = label_font(layout);
    let figures = |i: usize, plot: &Placed| {
        let Some(text) = texts.get(i) else {
            return Ok(());
        };
        let y = (plot.at)(0.0, row_y(n, i)).1;
        layout.text(
            area,
            text,
            &label_font,
            &INK,
            (plot.right + plot.gap + layout.px(4.0), y),
            (HPos::Left, VPos::Center),
            true,
        )
    };
    draw_rows(area, panel, layout, &frame, bars, figures)
}
