//! The charts (plotters): in-year savings built up by service (stacked) with planned savings
//! to date, and the remaining gap per year with its zero line; with a simulation, the P10-P90
//! fan and the median; for a plan whose gap is built from the budget or pressures, first, the
//! gap of the first MTFP year step by step (a waterfall, `waterfall.rs`).
//!
//! For a tracked plan (docs/model.md section 10), next: the current year's plan and delivery
//! by RAG rating (`rag.rs`), a row per rating with lines, the plan a light outlined bar and the
//! delivery a solid bar inside it, each row labelled with its rating's word, its number of
//! lines and its figures (the totals of `savings track`, `output::track::Monitoring`), so that
//! colour never carries the meaning alone; then the remaining gap per year as planned, as
//! forecast and risk-adjusted, as bars side by side with their figures. The rating panel needs
//! a current year (`as_at` in a projected year). A plan that is not tracked has neither, and
//! draws exactly what it drew before. The HTML page labels these two panels with their
//! figures in words (`svg_panels`).
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
mod rows;
mod svg;
mod ticks;
mod waterfall;

pub use png::png;
pub use svg::{svg, svg_panels};
