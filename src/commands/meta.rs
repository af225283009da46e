//! Commands about the tool itself: the JSON schema, shell completions, the manual page.

use anyhow::Result;
use clap::CommandFactory;

use crate::cli::Cli;
use crate::exit::Exit;
use crate::output::sink::Destination;

/// The JSON schema of every `--format json` output (schema family `savings-modeller/1`).
pub const SCHEMA: &str = include_str!("../../schema/savings-modeller-1.schema.json");

pub fn schema() -> Result<Exit> {
    Destination::stdout().write(|out| Ok(out.write_all(SCHEMA.as_bytes())?))?;
    Ok(Exit::Success)
}

pub fn completions(shell: clap_complete::Shell) -> Result<Exit> {
    let mut command = Cli::command();
    Destination::stdout().write(|out| {
        clap_complete::generate(shell, &mut command, "savings", out);
        Ok(())
    })?;
    Ok(Exit::Success)
}

pub fn man() -> Result<Exit> {
    let command = Cli::command();
    Destination::stdout().write(|out| Ok(clap_mangen::Man::new(command).render(out)?))?;
    Ok(Exit::Success)
}
