//! `anfang` with no command: the terminal interface.

use crate::context::Context;
use crate::{logging, terminal};
use std::process::ExitCode;

/// Opens the ledger and the plugins, then runs the interface until the user quits.
pub fn run(ctx: &Context) -> anyhow::Result<ExitCode> {
    let ledger = ctx.open_ledger()?;
    let _log_guard = logging::init(ctx)?;
    let mut term = terminal::enter()?;
    let result = anfang_tui::run(&mut term, ledger, ctx.lang);
    terminal::restore();
    result?;
    Ok(ExitCode::SUCCESS)
}
