//! `anfang` with no command: the terminal interface.

use crate::context::Context;
use crate::{logging, terminal};
use anfang_core::Lang;
use std::io::IsTerminal;
use std::process::ExitCode;

/// Opens the ledger and the plugins, then runs the interface until the user quits.
pub fn run(ctx: &Context) -> anyhow::Result<ExitCode> {
    // Everything that can fail with a message is checked before the
    // terminal is taken over, so the message lands on a normal screen.
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        anyhow::bail!(match ctx.lang {
            Lang::Zh =>
                "终端界面需要在终端中运行（标准输入和输出不是终端）；脚本请使用子命令，如 `anfang scores`（见 `anfang --help`）",
            Lang::En =>
                "the terminal interface needs a terminal (standard input and output are not one); scripts can use a command such as `anfang scores` (see `anfang --help`)",
        });
    }
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
        user_name_set: ctx.user_name_set,
        settings_path: Some(ctx.settings_path()),
        keymap_override_path: Some(keymap),
        data_dir: ctx.data_dir.clone(),
        deadline_warning_days: ctx.deadline_warning_days,
        documents: ctx.documents.defaults(),
    };
    let mut term = terminal::enter()?;
    let result = anfang_tui::run(&mut term, ledger, registry, options);
    terminal::restore();
    result?;
    Ok(ExitCode::SUCCESS)
}
