//! The committee-paper section in Markdown.

use super::ReportInput;

pub fn write(_input: &ReportInput, _out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    anyhow::bail!("the Markdown report is not built yet")
}
