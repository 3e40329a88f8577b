//! `anfang` with no command: the terminal interface.

use crate::context::Context;
use crate::{logging, terminal};
use std::process::ExitCode;

/// Opens the ledger and the plugins, then runs the interface until the user quits.
pub fn run(ctx: &Context) -> anyhow::Result<ExitCode> {
    // Everything that can fail with a message is checked before the
    // terminal is taken over, so the message lands on a normal screen.
    let keymap = ctx.keymap_path();
    if keymap.exists() {
        anfang_tui::check_keymap(&keymap)?;
    }
    let ledger = ctx.open_ledger()?;
    let _log_guard = logging::init(ctx)?;
    let registry = ctx.load_plugins();
    for warning in registry.warnings() {
        tracing::warn!("{warning}");
    }
    let options = anfang_tui::TuiOptions {
        lang: ctx.lang,
        user_name: ctx.user_name.clone(),
        keymap_override_path: Some(keymap),
        data_dir: ctx.data_dir.clone(),
    };
    let mut term = terminal::enter()?;
    let result = anfang_tui::run(&mut term, ledger, registry, options);
    terminal::restore();
    result?;
    Ok(ExitCode::SUCCESS)
}
