//! `anfang bundle`.

use crate::cli::BundleArgs;
use crate::context::Context;
use std::process::ExitCode;

/// Runs `anfang bundle`.
pub fn run(_ctx: &Context, _args: &BundleArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("'bundle' is not available in this build")
}
