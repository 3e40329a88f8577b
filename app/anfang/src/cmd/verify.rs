//! `anfang verify`.

use crate::cli::VerifyArgs;
use crate::context::Context;
use std::process::ExitCode;

/// Runs `anfang verify`.
pub fn run(_ctx: &Context, _args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("'verify' is not available in this build")
}
