//! placeholder
use crate::app::Exit;
use anyhow::Result;
pub fn run(_: &crate::cli::CompareArgs) -> Result<Exit> {
    anyhow::bail!("not yet")
}
