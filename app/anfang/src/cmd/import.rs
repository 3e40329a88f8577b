//! `anfang import`.

use crate::cli::ImportArgs;
use crate::context::Context;
use std::process::ExitCode;

/// Runs `anfang import`.
pub fn run(_ctx: &Context, _args: &ImportArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("'import' is not available in this build")
}
