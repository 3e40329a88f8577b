//! `anfang plugins`.

use crate::cli::{PluginProbeArgs, PluginsArgs};
use crate::context::Context;
use std::process::ExitCode;

/// Runs `anfang plugins …`.
pub fn run(_ctx: &Context, _args: &PluginsArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("'plugins' is not available in this build")
}

/// Runs the hidden `anfang plugin-probe FILE` in the child process of `plugins check`.
pub fn probe(_ctx: &Context, _args: &PluginProbeArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("'plugin-probe' is not available in this build")
}
