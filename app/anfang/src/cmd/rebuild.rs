//! `anfang rebuild`.

use crate::context::Context;
use std::process::ExitCode;

/// Runs `anfang rebuild`.
pub fn run(_ctx: &Context) -> anyhow::Result<ExitCode> {
    anyhow::bail!("'rebuild' is not available in this build")
}
