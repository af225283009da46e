//! placeholder
use crate::app::Exit;
use anyhow::Result;
pub fn run(_: &crate::cli::SolveArgs) -> Result<Exit> {
    anyhow::bail!("not yet")
}
