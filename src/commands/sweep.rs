//! placeholder
use crate::app::Exit;
use anyhow::Result;
pub fn run(_: &crate::cli::SweepArgs) -> Result<Exit> {
    anyhow::bail!("not yet")
}
