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
pub struct LongCsv<'w> {
    writer: csv::Writer<&'w mut dyn Write>,
}

impl<'w> LongCsv<'w> {
    /// Starts the CSV with `leading` columns before the seven.
    pub fn new(out: &'w mut dyn Write, leading: &[&str]) -> anyhow::Result<Self> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(out);
        let header: Vec<String> = leading
            .iter()
            .map(|c| neutralise(c).into_owned())
            .chain(HEADER.iter().map(|c| (*c).to_string()))
            .collect();
        writer.write_record(&header)?;
        Ok(Self { writer })
    }

    /// One row: the leading values, then the row's seven. Text that a spreadsheet would read
    /// as a formula is neutralised; leading values are exact numbers or text.
    pub fn row(&mut self, leading: &[&str], row: &Row) -> anyhow::Result<()> {
        let year = row.year.map(|y| y.to_string()).unwrap_or_default();
        let value = row.value.to_string();
        let record: Vec<&str> = leading
            .iter()
            .copied()
            .chain([
                row.scenario,
                row.service,
                row.option,
                &year,
                row.measure.name(),
                row.case,
                &value,
            ])
            .collect();
        let record: Vec<std::borrow::Cow<'_, str>> = record
            .iter()
            .enumerate()
            .map(|(i, field)| {
                // The value column is a number; everything else may be text.
                if i == record.len() - 1 {
                    std::borrow::Cow::Borrowed(*field)
                } else {
                    neutralise_text(field)
                }
            })
            .collect();
        self.writer
            .write_record(record.iter().map(|c| c.as_ref()))?;
        Ok(())
    }

    pub fn finish(mut self) -> anyhow::Result<()> {
        self.writer.flush()?;
        Ok(())
    }
}

/// Neutralises text, leaving numbers (`-1.5` as a leading column value) alone.
fn neutralise_text(field: &str) -> std::borrow::Cow<'_, str> {
    if rust_decimal::Decimal::from_str_exact(field).is_ok() {
        std::borrow::Cow::Borrowed(field)
    } else {
        neutralise(field)
    }
}
