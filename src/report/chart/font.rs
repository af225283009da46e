//! The charts' font and its metrics. Text is laid out with DejaVu Sans, embedded in the binary
//! and registered with plotters' `ab_glyph` support (no system font is looked up), so the PNG
//! looks the same on a machine with no fonts; the SVG names `DejaVu Sans, sans-serif` and the
//! viewer renders the text. Here: registering the font, measuring and shortening text, and
//! each glyph's left side bearing read from the font's own tables (for the PNG).

use std::sync::OnceLock;

use anyhow::{Result, bail};
use plotters::style::{FontDesc, FontStyle};

/// The embedded font, and the family name it is registered and written under.
pub(super) static FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
pub(super) const FAMILY: &str = "DejaVu Sans, sans-serif";

/// Registers the embedded font with plotters, once per process.
pub(super) fn register_font() -> Result<()> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED
        .get_or_init(|| plotters::style::register_font(FAMILY, FontStyle::Normal, FONT).is_ok());
    if ok {
        Ok(())
    } else {
        bail!("the chart font built into the program cannot be read")
    }
}

/// Where glyphs really start. plotters 0.3.7 draws each glyph of a string from the left edge
/// of its ink, ignoring its left side bearing (`src/style/font/ab_glyph.rs`), which makes
/// spacing uneven ("M TFP", "op tion") in the PNG. So the PNG draws glyph by glyph, each
/// shifted by its bearing read here from the embedded font's own tables (`cmap`, `loca`,
/// `glyf`, `hhea`): the same numbers `ab_glyph` uses. If the tables cannot be read, text is
/// drawn as plotters draws it.
pub(super) struct Glyphs {
    /// `cmap` format 4 segments: (end, start, delta, range offset, where the offset is).
    pub(super) segments: Vec<(u16, u16, u16, u16, usize)>,
    /// The leftmost ink of each glyph, in font units.
    pub(super) x_min: Vec<i16>,
    /// Ascender less descender, in font units: `ab_glyph` scales a font to this height.
    pub(super) height: f32,
    /// The em square as a share of that height.
    pub(super) em: f64,
}

impl Glyphs {
    pub(super) fn get() -> Option<&'static Glyphs> {
        static GLYPHS: OnceLock<Option<Glyphs>> = OnceLock::new();
        GLYPHS.get_or_init(|| Glyphs::read(FONT)).as_ref()
    }

    pub(super) fn read(font: &[u8]) -> Option<Self> {
        let u16_at = |at: usize| -> Option<u16> {
            Some(u16::from_be_bytes([*font.get(at)?, *font.get(at + 1)?]))
        };
        let i16_at = |at: usize| u16_at(at).map(|v| v as i16);
        let u32_at = |at: usize| -> Option<u32> {
            Some(u32::from_be_bytes([
                *font.get(at)?,
                *font.get(at + 1)?,
                *font.get(at + 2)?,
                *font.get(at + 3)?,
            ]))
        };
        let table = |tag: &[u8; 4]| -> Option<usize> {
            (0..usize::from(u16_at(4)?))
                .map(|i| 12 + 16 * i)
                .find(|&record| font.get(record..record + 4) == Some(&tag[..]))
                .and_then(|record| usize::try_from(u32_at(record + 8)?).ok())
        };
        let (head, hhea, maxp, loca, glyf, cmap) = (
            table(b"head")?,
            table(b"hhea")?,
            table(b"maxp")?,
            table(b"loca")?,
            table(b"glyf")?,
            table(b"cmap")?,
        );
        // ttf-parser's ascender and descender: OS/2's typographic ones if the font says to
        // use them (fsSelection bit 7), else hhea's.
        let typo = table(b"OS/2").filter(|&os2| u16_at(os2 + 62).is_some_and(|f| f & 0x80 != 0));
        let (ascender, descender) = match typo {
            Some(os2) => (i16_at(os2 + 68)?, i16_at(os2 + 70)?),
            None => (i16_at(hhea + 4)?, i16_at(hhea + 6)?),
        };
        let height = f32::from(ascender) - f32::from(descender);
        let units_per_em = u16_at(head + 18)?;
        let long_offsets = i16_at(head + 50)? == 1;
        let glyph_count = usize::from(u16_at(maxp + 4)?);
        let x_min = (0..glyph_count)
            .map(|g| {
                let (start, end) = if long_offsets {
                    (u32_at(loca + 4 * g)?, u32_at(loca + 4 * g + 4)?)
                } else {
                    (
                        u32::from(u16_at(loca + 2 * g)?) * 2,
                        u32::from(u16_at(loca + 2 * g + 2)?) * 2,
                    )
                };
                if start == end {
                    return Some(0); // no outline (a space)
                }
                i16_at(glyf + usize::try_from(start).ok()? + 2)
            })
            .collect::<Option<Vec<i16>>>()?;
        // The Windows Unicode (BMP) subtable, format 4.
        let subtable = (0..usize::from(u16_at(cmap + 2)?))
            .map(|i| cmap + 4 + 8 * i)
            .find(|&record| u16_at(record) == Some(3) && u16_at(record + 2) == Some(1))
            .and_then(|record| Some(cmap + usize::try_from(u32_at(record + 4)?).ok()?))
            .filter(|&at| u16_at(at) == Some(4))?;
        let count = usize::from(u16_at(subtable + 6)? / 2);
        let ends = subtable + 14;
        let starts = ends + 2 * count + 2;
        let deltas = starts + 2 * count;
        let offsets = deltas + 2 * count;
        let segments = (0..count)
            .map(|i| {
                Some((
                    u16_at(ends + 2 * i)?,
                    u16_at(starts + 2 * i)?,
                    u16_at(deltas + 2 * i)?,
                    u16_at(offsets + 2 * i)?,
                    offsets + 2 * i,
                ))
            })
            .collect::<Option<Vec<_>>>()?;
        (height > 0.0).then(|| Glyphs {
            segments,
            x_min,
            height,
            em: f64::from(units_per_em) / f64::from(height),
        })
    }

    /// The glyph of `c` (0, the missing glyph, if the font has none).
    pub(super) fn glyph(&self, c: char) -> usize {
        let Ok(code) = u16::try_from(u32::from(c)) else {
            return 0;
        };
        let Some(&(_, start, delta, range, at)) =
            self.segments.iter().find(|(end, ..)| *end >= code)
        else {
            return 0;
        };
        if code < start {
            return 0;
        }
        let id = if range == 0 {
            code.wrapping_add(delta)
        } else {
            let slot = at + usize::from(range) + 2 * usize::from(code - start);
            match (FONT.get(slot), FONT.get(slot + 1)) {
                (Some(&hi), Some(&lo)) => match u16::from_be_bytes([hi, lo]) {
                    0 => 0,
                    g => g.wrapping_add(delta),
                },
                _ => 0,
            }
        };
        usize::from(id)
    }

    /// The left side bearing of `c` in whole pixels at plotters' font size `size`, as
    /// `ab_glyph` places its ink: floor(x_min x size / height).
    pub(super) fn bearing(&self, c: char, size: f64) -> i32 {
        let x_min = self.x_min.get(self.glyph(c)).copied().unwrap_or(0);
        (f32::from(x_min) * (size as f32 / self.height)).floor() as i32
    }
}

/// The width of `text` in pixels, as the registered font lays it out.
pub(super) fn text_width(text: &str, font: &FontDesc) -> u32 {
    font.box_size(text).map_or(0, |(w, _)| w)
}

/// `text`, shortened with an ellipsis to fit `room` pixels.
pub(super) fn fit(text: &str, font: &FontDesc, room: u32) -> String {
    if text_width(text, font) <= room {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let shortened = |k: usize| {
        let mut s: String = chars[..k].iter().collect::<String>().trim_end().to_string();
        s.push('…');
        s
    };
    // The longest prefix that fits, by bisection (names can be long).
    let (mut lo, mut hi) = (0, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if text_width(&shortened(mid), font) <= room {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    shortened(lo)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_font_gives_each_glyph_its_bearing() {
        let Some(glyphs) = Glyphs::get() else {
            panic!("the embedded font's tables cannot be read");
        };
        let (i, m) = (glyphs.glyph('i'), glyphs.glyph('M'));
        assert!(i > 0 && m > 0 && i != m);
        assert_eq!(glyphs.glyph('\u{10FFFF}'), 0);
        // DejaVu Sans: ab_glyph's height is 1901 + 483 font units, the em 2048.
        assert_eq!(glyphs.height, 2384.0);
        assert!(glyphs.bearing('i', 100.0) > glyphs.bearing('o', 100.0));
        assert!(glyphs.bearing('M', 100.0) > 0);
    }
}
