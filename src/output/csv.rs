//! The long-form CSV of docs/model.md section 8: `scenario,service,option,year,measure,case,value`,
//! exact values, no comment lines. Commands that compare or vary scenarios put their own
//! columns first (`variant`, a swept field's path).

use std::io::Write;

use super::longform::{Repeated, YearTexts};
use super::{Row, neutralise};

/// The seven columns, fixed by the output contract.
pub const HEADER: [&str; 7] = [
    "scenario", "service", "option", "year", "measure", "case", "value",
];

/// A CSV writer for long-form rows with optional leading columns.
///
/// Each text column keeps the last text it wrote and its encoding (neutralised, quoted where
/// CSV needs it, as the csv crate quotes), so a row is mostly copied bytes
/// (`output::longform`); the year, measure, case and value are the tool's own words and
/// numbers, which never need quoting.
pub struct LongCsv<'w> {
    out: &'w mut dyn Write,
    /// Bytes not yet written to `out`.
    buffer: Vec<u8>,
    /// Per text column (the leading ones, then scenario, service, option): the text written
    /// last and its encoding.
    texts: Vec<Repeated>,
    years: YearTexts,
}

/// Written to the output when the buffer holds this much.
const FLUSH_AT: usize = 64 * 1024;

impl<'w> LongCsv<'w> {
    /// Starts the CSV with `leading` columns before the seven.
    pub fn new(out: &'w mut dyn Write, leading: &[&str]) -> anyhow::Result<Self> {
        let header: Vec<String> = leading
            .iter()
            .map(|c| neutralise(c).into_owned())
            .chain(HEADER.iter().map(|c| (*c).to_string()))
            .collect();
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        writer.write_record(&header)?;
        let buffer = writer
            .into_inner()
            .map_err(|e| anyhow::anyhow!("{}", e.error()))?;
        Ok(Self {
            out,
            buffer,
            texts: vec![Repeated::default(); leading.len() + 3],
            years: YearTexts::default(),
        })
    }

    /// One row: the leading values, then the row's seven. Text that a spreadsheet would read
    /// as a formula is neutralised; leading values are exact numbers or text.
    pub fn row(&mut self, leading: &[&str], row: &Row) -> anyhow::Result<()> {
        let texts = leading
            .iter()
            .copied()
            .chain([row.scenario, row.service, row.option]);
        for (i, text) in texts.enumerate() {
            if self.texts.len() <= i {
                self.texts.push(Repeated::default());
            }
            let encoded = self.texts[i].encode(text, |encoded, text| {
                encode_field(encoded, &neutralise_text(text));
            });
            self.buffer.extend_from_slice(encoded);
            self.buffer.push(b',');
        }
        let buffer = &mut self.buffer;
        buffer.extend_from_slice(self.years.get(row.year).as_bytes());
        buffer.push(b',');
        buffer.extend_from_slice(row.measure.name().as_bytes());
        buffer.push(b',');
        buffer.extend_from_slice(row.case.as_bytes());
        buffer.push(b',');
        buffer.extend_from_slice(row.value.plain_text().as_bytes());
        buffer.push(b'\n');
        if self.buffer.len() >= FLUSH_AT {
            self.out.write_all(&self.buffer)?;
            self.buffer.clear();
        }
        Ok(())
    }

    pub fn finish(self) -> anyhow::Result<()> {
        self.out.write_all(&self.buffer)?;
        self.out.flush()?;
        Ok(())
    }
}

/// Appends `text` to `out` as one CSV field (RFC 4180, as the csv crate writes a field with
/// its default, quoting only where needed): in double quotes, each `"` doubled, where it holds
/// a comma, a double quote or a line break; else as it is.
fn encode_field(out: &mut Vec<u8>, text: &str) {
    if !text
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.extend_from_slice(text.as_bytes());
        return;
    }
    out.push(b'"');
    for b in text.bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// Neutralises text, leaving alone a negative number as the CSV writes one (`-1.5` as a
/// leading column's value: `-`, digits, and a point followed by digits if any). Anything else
/// that starts as a formula would (`-1+2`, `-1e5`, `+1`) is neutralised.
fn neutralise_text(field: &str) -> std::borrow::Cow<'_, str> {
    if is_negative_number(field) {
        std::borrow::Cow::Borrowed(field)
    } else {
        neutralise(field)
    }
}

/// `-` then digits, with at most one point, between digits.
fn is_negative_number(field: &str) -> bool {
    let Some(number) = field.strip_prefix('-') else {
        return false;
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, "0"));
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && digits(fraction)
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_a_number_as_written_escapes_neutralising() {
        for number in ["-1", "-1.5", "-0.035", "-10"] {
            assert_eq!(super::neutralise_text(number), number);
        }
        for text in [
            "-", "-.5", "-1.", "-1.2.3", "-1e5", "-1_000", "-1+2", "+1", "=1", "@1", "- 1", "-1 ",
        ] {
            assert_eq!(super::neutralise_text(text), format!("'{text}"), "{text}");
        }
        assert_eq!(super::neutralise_text("1.5"), "1.5");
        assert_eq!(super::neutralise_text("plain"), "plain");
    }

    #[test]
    fn a_field_is_encoded_as_the_csv_crate_encodes_it() -> anyhow::Result<()> {
        for text in [
            "plain",
            "",
            "a,b",
            "say \"hi\"",
            "line\nbreak",
            "cr\rhere",
            " leading space",
            "#hash",
            "'=quoted",
            "£m – en dash",
        ] {
            let mut ours = Vec::new();
            super::encode_field(&mut ours, text);
            let mut writer = csv::Writer::from_writer(Vec::new());
            writer.write_record([text, "x"])?;
            let theirs = writer
                .into_inner()
                .map_err(|e| anyhow::anyhow!("{}", e.error()))?;
            let mut expected = ours.clone();
            expected.extend_from_slice(b",x\n");
            assert_eq!(
                String::from_utf8_lossy(&theirs),
                String::from_utf8_lossy(&expected),
                "{text:?}"
            );
        }
        Ok(())
    }
}
