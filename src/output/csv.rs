//! The long-form CSV of docs/model.md section 8: `scenario,service,option,year,measure,case,value`,
//! exact values, no comment lines. Commands that compare or vary scenarios put their own
//! columns first (`variant`, a swept field's path).

use std::io::Write;

use super::{Row, neutralise};

/// The seven columns, fixed by the output contract.
pub const HEADER: [&str; 7] = [
    "scenario", "service", "option", "year", "measure", "case", "value",
];

/// A CSV writer for long-form rows with optional leading columns.
///
/// Rows are many (ten services over ten years are 1,500) and repeat their text: a scenario's
/// name on every row, a service's id on a hundred. Each text column keeps the last text it
/// wrote and its encoding (neutralised, quoted where CSV needs it, by the csv crate), so a
/// row is mostly copied bytes; the year, measure, case and value are the tool's own words and
/// numbers, which never need quoting.
pub struct LongCsv<'w> {
    out: &'w mut dyn Write,
    /// Bytes not yet written to `out`.
    buffer: Vec<u8>,
    /// Per text column (the leading ones, then scenario, service, option): the text written
    /// last and its encoding.
    texts: Vec<(String, Vec<u8>)>,
    /// Each year written so far and its text (a horizon has at most 100).
    years: Vec<(crate::model::FinancialYear, String)>,
    /// The value of the row being written.
    value: String,
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
            texts: vec![(String::new(), Vec::new()); leading.len() + 3],
            years: Vec::new(),
            value: String::new(),
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
                self.texts.push((String::new(), Vec::new()));
            }
            let (last, encoded) = &mut self.texts[i];
            if last != text {
                encoded.clear();
                encode_field(encoded, &neutralise_text(text));
                last.clear();
                last.push_str(text);
            }
            self.buffer.extend_from_slice(encoded);
            self.buffer.push(b',');
        }
        let year = match row.year {
            Some(year) => match self.years.iter().position(|(y, _)| *y == year) {
                Some(i) => i,
                None => {
                    self.years.push((year, year.to_string()));
                    self.years.len() - 1
                }
            },
            None => usize::MAX,
        };
        let year = self.years.get(year).map_or("", |(_, text)| text.as_str());
        self.value.clear();
        row.value.push_to(&mut self.value);
        for (field, end) in [
            (year, b','),
            (row.measure.name(), b','),
            (row.case, b','),
            (self.value.as_str(), b'\n'),
        ] {
            self.buffer.extend_from_slice(field.as_bytes());
            self.buffer.push(end);
        }
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

/// Neutralises text, leaving numbers (`-1.5` as a leading column value) alone. Only text
/// starting as a formula would is read as a number, to see whether it is one.
fn neutralise_text(field: &str) -> std::borrow::Cow<'_, str> {
    if !field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        return std::borrow::Cow::Borrowed(field);
    }
    if rust_decimal::Decimal::from_str_exact(field).is_ok() {
        std::borrow::Cow::Borrowed(field)
    } else {
        neutralise(field)
    }
}

#[cfg(test)]
mod tests {
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
