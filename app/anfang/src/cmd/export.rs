//! `anfang export`.

use crate::cli::ExportArgs;
use crate::context::Context;
use std::process::ExitCode;

/// Runs `anfang export`.
pub fn run(_ctx: &Context, _args: &ExportArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("'export' is not available in this build")
}
