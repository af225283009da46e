//! placeholder
use crate::app::Exit;
use anyhow::Result;
pub fn run(_: &crate::cli::OptionsArgs) -> Result<Exit> {
    anyhow::bail!("not yet")
}
