//! The charts as one PNG image, drawn at twice the SVG's size (about 240 dpi across A4), text
//! placed glyph by glyph (see [`super::font::Glyphs`]).

use anyhow::{Result, anyhow};
use plotters::prelude::*;

use super::draw::{Layout, draw};
use super::figure::Figure;
use super::font::register_font;
use crate::report::ReportInput;

/// How many times the SVG's size the PNG is drawn at.
pub(super) const PNG_SCALE: f64 = 2.0;

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
