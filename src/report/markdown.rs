//! The committee-paper section in Markdown: headings, tables (GitHub-flavoured, which pandoc
//! reads), text charts in fenced blocks, numbered notes.

use super::{ReportInput, document};

pub fn write(input: &ReportInput, out: &mut dyn std::io::Write) -> anyhow::Result<()> {
    crate::output::markdown::write(&document(input, true), out)
}
