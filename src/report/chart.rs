//! The charts (plotters): in-year savings built up by service (stacked) with planned savings
//! to date, and the remaining gap per year with its zero line; with a simulation, the P10-P90
//! fan and the median.

use super::ReportInput;

/// The charts as one SVG document.
pub fn svg(_input: &ReportInput) -> anyhow::Result<String> {
    anyhow::bail!("the SVG chart is not built yet")
}

/// The charts as one PNG image.
pub fn png(_input: &ReportInput) -> anyhow::Result<Vec<u8>> {
    anyhow::bail!("the PNG chart is not built yet")
}
