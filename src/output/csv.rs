//! `--format csv`: exactly the seven columns of DOMAIN.md section 8, no comment lines.

use std::io::Write;

use super::{Exporter, Report, neutralise, rows};

pub struct CsvExporter;

/// The header, fixed by the output contract.
pub const HEADER: [&str; 7] = [
    "scenario", "service", "option", "year", "measure", "case", "value",
];

impl Exporter for CsvExporter {
    fn write(&self, report: &Report, out: &mut dyn Write) -> anyhow::Result<()> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(out);
        writer.write_record(HEADER)?;
        for row in rows(report) {
            writer.write_record([
                neutralise(row.scenario).as_ref(),
                neutralise(row.service).as_ref(),
                neutralise(row.option).as_ref(),
                &row.year.to_string(),
                row.measure.name(),
                row.case.name(),
                &row.value.to_string(),
            ])?;
        }
        writer.flush()?;
        Ok(())
    }
}
