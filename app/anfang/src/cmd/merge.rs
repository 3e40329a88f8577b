//! `anfang merge`.

use crate::cli::MergeArgs;
use crate::context::Context;
use std::process::ExitCode;

/// Runs `anfang merge`.
pub fn run(_ctx: &Context, _args: &MergeArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("'merge' is not available in this build")
}
