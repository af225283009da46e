//! The charts (plotters): in-year savings built up by service (stacked) with planned savings
//! to date, and the remaining gap per year with its zero line; with a simulation, the P10-P90
//! fan and the median; for a plan whose gap is built from the budget or pressures, first, the
//! gap of the first MTFP year step by step (a waterfall, `waterfall.rs`).
//!
//! One figure, panels stacked vertically, 1000 px wide (A4 width; the PNG is drawn at twice
//! that). What is drawn is first described as data (`figure.rs`: panels of layers), then drawn
//! on any plotters backend (`draw.rs`), so the SVG (`svg.rs`), the PNG (`png.rs`) and the SVG of
//! each panel share one layout. The colours are in `palette.rs`, the axes' ticks in `ticks.rs`,
//! the embedded font and its metrics in `font.rs`.

mod draw;
mod figure;
mod font;
mod palette;
mod png;
mod rag;
mod svg;
mod ticks;
mod waterfall;

pub use png::png;
pub use svg::{svg, svg_panels};
