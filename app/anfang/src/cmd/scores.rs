//! `anfang scores`.

use crate::cli::ScoresArgs;
use crate::context::Context;
use std::process::ExitCode;

/// Runs `anfang scores`.
pub fn run(_ctx: &Context, _args: &ScoresArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("'scores' is not available in this build")
}
