//! The spreadsheet: an Inputs sheet, a Projection sheet of live formulas over it, a Summary.

use super::ReportInput;

/// The workbook's bytes (deterministic: no timestamps).
pub fn workbook(_input: &ReportInput) -> anyhow::Result<Vec<u8>> {
    anyhow::bail!("the xlsx report is not built yet")
}
