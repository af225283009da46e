//! The charts' colours: the Okabe-Ito palette, safe for colour-blind readers. Services take its
//! seven colours other than black (black is kept for lines); the 8th to 14th services take the
//! same hues as 50% tints, the 15th to 20th as 40% shades. Past 20 services, the 19 with the
//! largest total saving keep a colour and the rest are drawn as one grey "other services"
//! block.

use plotters::style::RGBColor;

use super::figure::Segment;

/// Okabe & Ito (2008), "Color Universal Design": orange, sky blue, bluish green, yellow,
/// blue, vermillion, reddish purple (black, the eighth, is kept for lines).
pub(super) const OKABE_ITO: [RGBColor; 7] = [
    RGBColor(0xE6, 0x9F, 0x00),
    RGBColor(0x56, 0xB4, 0xE9),
    RGBColor(0x00, 0x9E, 0x73),
    RGBColor(0xF0, 0xE4, 0x42),
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0xCC, 0x79, 0xA7),
];
pub(super) const ORANGE: RGBColor = OKABE_ITO[0];
pub(super) const SKY_BLUE: RGBColor = OKABE_ITO[1];
pub(super) const BLUISH_GREEN: RGBColor = OKABE_ITO[2];
pub(super) const OKABE_BLUE: RGBColor = OKABE_ITO[4];
pub(super) const VERMILLION: RGBColor = OKABE_ITO[5];
pub(super) const INK: RGBColor = RGBColor(0, 0, 0);
pub(super) const GREY_TEXT: RGBColor = RGBColor(0x44, 0x44, 0x44);
pub(super) const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);
pub(super) const OTHER: RGBColor = RGBColor(0x99, 0x99, 0x99);

/// The RAG ratings' colours: the conventional hues, taken from Okabe-Ito where it has them
/// (blue, bluish green, orange for amber) and red darkened, so that the four also differ in
/// lightness; lines not rated are grey. Colour never carries the meaning alone: every bar of
/// the RAG chart is labelled with its rating's word and its figures.
pub(super) const RAG_BLUE: RGBColor = OKABE_BLUE;
pub(super) const RAG_GREEN: RGBColor = BLUISH_GREEN;
pub(super) const RAG_AMBER: RGBColor = ORANGE;
pub(super) const RAG_RED: RGBColor = RGBColor(0xA5, 0x1E, 0x1E);
pub(super) const NOT_RATED: RGBColor = OTHER;

/// The colours of the three views of the remaining gap, light to dark so that they differ in
/// greyscale: as planned, as forecast, risk-adjusted.
pub(super) const VIEW_PLANNED: RGBColor = SKY_BLUE;
pub(super) const VIEW_FORECAST: RGBColor = OKABE_BLUE;
pub(super) const VIEW_RISK_ADJUSTED: RGBColor = RGBColor(0x5C, 0x1F, 0x00);

/// `colour` mixed toward white by `share` (0 to 1): the light fill of a plan bar.
pub(super) fn tint(colour: RGBColor, share: f64) -> RGBColor {
    let share = share.clamp(0.0, 1.0);
    let mix = |c: u8| (f64::from(c) + (255.0 - f64::from(c)) * share).round() as u8;
    let RGBColor(r, g, b) = colour;
    RGBColor(mix(r), mix(g), mix(b))
}

/// Services given a colour of their own before the rest are grouped.
pub(super) const MOST_SERVICES: usize = 20;

/// Opacity of shaded ranges.
pub(super) const BAND_OPACITY: f64 = 0.35;
/// The region below the zero line, where a year's gap is closed: a faint bluish green.
pub(super) const CLOSED: RGBColor = OKABE_ITO[2];
pub(super) const CLOSED_OPACITY: f64 = 0.10;

/// The services' segments with their colours: file order; past [`MOST_SERVICES`], the
/// largest by total saving keep their own and the rest are summed as "other services".
pub(super) fn colour_services(services: Vec<(String, Vec<f64>)>) -> Vec<Segment> {
    let keep: Vec<bool> = if services.len() <= MOST_SERVICES {
        vec![true; services.len()]
    } else {
        let mut by_size: Vec<(usize, f64)> = services
            .iter()
            .enumerate()
            .map(|(i, (_, v))| (i, v.iter().map(|x| x.abs()).sum()))
            .collect();
        // Largest first; ties keep file order (a stable sort).
        by_size.sort_by(|a, b| b.1.total_cmp(&a.1));
        let mut keep = vec![false; services.len()];
        for (i, _) in by_size.into_iter().take(MOST_SERVICES - 1) {
            keep[i] = true;
        }
        keep
    };
    let mut segments = Vec::new();
    let mut other: Option<(usize, Vec<f64>)> = None;
    for ((name, values), kept) in services.into_iter().zip(keep) {
        if kept {
            let colour = service_colour(segments.len());
            segments.push(Segment {
                label: name,
                colour,
                values,
            });
        } else {
            let (count, sum) = other.get_or_insert_with(|| (0, vec![0.0; values.len()]));
            *count += 1;
            for (s, v) in sum.iter_mut().zip(values) {
                *s += v;
            }
        }
    }
    if let Some((count, values)) = other {
        segments.push(Segment {
            label: format!("{count} other services"),
            colour: OTHER,
            values,
        });
    }
    segments
}

/// The i-th service's colour: the palette, then its tints, then its shades.
pub(super) fn service_colour(i: usize) -> RGBColor {
    let hue = OKABE_ITO[i % OKABE_ITO.len()];
    let mix = |toward: f64, share: f64, c: u8| {
        // Rounded and within 0..=255 by construction.
        (f64::from(c) + (toward - f64::from(c)) * share).round() as u8
    };
    let RGBColor(r, g, b) = hue;
    match (i / OKABE_ITO.len()) % 3 {
        0 => hue,
        1 => RGBColor(mix(255.0, 0.5, r), mix(255.0, 0.5, g), mix(255.0, 0.5, b)),
        _ => RGBColor(mix(0.0, 0.4, r), mix(0.0, 0.4, g), mix(0.0, 0.4, b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_colours_cycle_through_tints_and_shades() {
        assert_eq!(service_colour(0), OKABE_ITO[0]);
        assert_eq!(service_colour(7), RGBColor(0xF3, 0xCF, 0x80));
        assert_ne!(service_colour(14), service_colour(0));
        let segments = colour_services(
            (0..30)
                .map(|i| (format!("s{i}"), vec![f64::from(i)]))
                .collect(),
        );
        assert_eq!(segments.len(), MOST_SERVICES);
        assert_eq!(segments[MOST_SERVICES - 1].label, "11 other services");
    }

    #[test]
    fn the_rag_colours_differ_in_lightness_and_tints_go_toward_white() {
        // Rec. 709 luma of each rating's colour: no two within 25 of each other, so that the
        // ratings stay apart in greyscale even before their labels are read.
        let luma = |RGBColor(r, g, b): RGBColor| {
            0.2126 * f64::from(r) + 0.7152 * f64::from(g) + 0.0722 * f64::from(b)
        };
        let lumas = [RAG_BLUE, RAG_GREEN, RAG_AMBER, RAG_RED].map(luma);
        for (i, a) in lumas.iter().enumerate() {
            for b in &lumas[i + 1..] {
                assert!((a - b).abs() > 25.0, "{lumas:?}");
            }
        }
        assert_eq!(tint(RAG_RED, 0.0), RAG_RED);
        assert_eq!(tint(RAG_RED, 1.0), RGBColor(255, 255, 255));
        assert_eq!(tint(RGBColor(0, 100, 255), 0.5), RGBColor(128, 178, 255));
    }
}
