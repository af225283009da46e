//! The charts as SVG: the whole figure as one document, or each panel as its own.

use anyhow::{Result, anyhow};
use plotters::prelude::*;

use super::draw::{Layout, draw};
use super::figure::Figure;
use super::font::register_font;
use crate::report::ReportInput;

/// The charts as one SVG document (a standalone `<svg>` with width, height and viewBox).
pub fn svg(input: &ReportInput) -> Result<String> {
    let figure = Figure::of(input)?;
    render_svg(&figure, None)
}

/// Each panel as its own SVG document, with its label for a reader who does not see it (the
/// panel's title, then, for the panels of a tracked plan, their figures in words): for pages
/// that lay the panels out themselves. The figure's title is not repeated.
pub fn svg_panels(input: &ReportInput) -> Result<Vec<(String, String)>> {
    let figure = Figure::of(input)?;
    (0..figure.panels.len())
        .map(|i| {
            let panel = &figure.panels[i];
            let label = match &panel.description {
                Some(words) => format!("{}. {words}", panel.title),
                None => panel.title.clone(),
            };
            Ok((label, render_svg(&figure, Some(i))?))
        })
        .collect()
}

/// The figure, or only its panel `only`, as an SVG document.
fn render_svg(figure: &Figure, only: Option<usize>) -> Result<String> {
    register_font()?;
    let layout = Layout::new(figure, only, 1.0, false)?;
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, layout.size).into_drawing_area();
        draw(&root, figure, &layout)?;
        root.present()
            .map_err(|e| anyhow!("cannot finish the SVG chart: {e}"))?;
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::chart::draw::HEADER;

    #[test]
    fn invisible_characters_are_drawn_as_their_codes() -> Result<()> {
        use crate::scenario::{Input, load};
        // Validation refuses such names; the chart holds to the rule on its own all the same.
        let mut scenario = load(&Input::Builtin)
            .map_err(|e| anyhow!("{e:?}"))?
            .scenario;
        scenario.name = "Kent \u{202E}evil".into();
        scenario.services[0].name = "Prop\u{200B}erty".into();
        scenario.services[1].name = "کتاب\u{200C}خانه".into();
        let projection = crate::projection::project(&scenario)?;
        let input = ReportInput {
            scenario: &scenario,
            projection: &projection,
            simulation: None,
            file: "builtin:",
            extends: &[],
            overrides: &[],
            notes: &[],
            dp: 1,
        };
        let drawn = svg(&input)?;
        assert!(!drawn.contains(['\u{202E}', '\u{200B}']));
        assert!(drawn.contains("Kent \\u{202e}evil"));
        assert!(drawn.contains("Prop\\u{200b}erty"));
        assert!(
            drawn.contains("کتاب\u{200C}خانه"),
            "a joiner inside a word is kept"
        );
        Ok(())
    }

    #[test]
    fn each_panel_is_a_standalone_svg_the_width_of_the_figure() -> Result<()> {
        use crate::scenario::{Input, load};
        let loaded = load(&Input::Builtin).map_err(|e| anyhow!("{e:?}"))?;
        let projection = crate::projection::project(&loaded.scenario)?;
        let input = ReportInput {
            scenario: &loaded.scenario,
            projection: &projection,
            simulation: None,
            file: "builtin:",
            extends: &[],
            overrides: &[],
            notes: &[],
            dp: 1,
        };
        let whole = svg(&input)?;
        let panels = svg_panels(&input)?;
        assert_eq!(panels.len(), 2);
        assert!(panels[0].0.starts_with("In-year savings by service"));
        assert!(panels[1].0.starts_with("Remaining gap"));
        let height = |svg: &str| -> Option<u32> {
            svg.split("height=\"")
                .nth(1)?
                .split('"')
                .next()?
                .parse()
                .ok()
        };
        for (title, panel) in &panels {
            assert!(panel.starts_with("<svg width=\"1000\""));
            assert!(panel.contains(" viewBox=\"0 0 1000 "));
            assert!(panel.contains(title.as_str()));
            assert!(
                !panel.contains(&loaded.scenario.name),
                "no figure title in a panel"
            );
        }
        let sum: Option<u32> = panels.iter().map(|(_, p)| height(p)).sum();
        assert_eq!(
            sum.map(|s| s + HEADER as u32),
            height(&whole),
            "the panels stacked under the title are the figure"
        );
        Ok(())
    }
}
