//! anfang-tui: the inspector's terminal interface.
//!
//! State, update, view: [`state::State`] is plain data; terminal events
//! become [`action::Action`]s through one [`keymap::Keymap`];
//! [`update::update`] changes the state and returns [`effect::Effect`]s
//! without doing I/O; [`runtime`] carries the effects out against the
//! ledger; [`view::view`] only draws. See `ARCHITECTURE.md` to add a screen.

pub mod action;
pub mod catalog;
pub mod command;
pub mod convert;
pub mod draft;
pub mod effect;
pub mod i18n;
pub mod input;
pub mod keymap;
pub mod model;
pub mod runtime;
pub mod screens;
pub mod state;
pub mod text;
pub mod update;
pub mod view;
pub mod widgets;

#[cfg(test)]
mod tests;

use anfang_core::Lang;
use std::path::PathBuf;
use thiserror::Error;

pub use runtime::run;

/// What the binary hands the TUI.
#[derive(Debug, Clone)]
pub struct TuiOptions {
    /// The language of every text shown.
    pub lang: Lang,
    /// The inspector using this laptop (the default team).
    pub user_name: String,
    /// Whether `user_name` is the one in `settings.toml`; when it is only
    /// guessed (the login name), the first review decision asks for it.
    pub user_name_set: bool,
    /// `<config>/settings.toml`, where a name given in the interface is kept.
    pub settings_path: Option<PathBuf>,
    /// `<config>/keymap.toml`; read if it exists.
    pub keymap_override_path: Option<PathBuf>,
    /// The data folder.
    pub data_dir: PathBuf,
    /// Days before a rectification's deadline from which it is shown as due.
    pub deadline_warning_days: u32,
    /// What the office writes on its bulletins (`[documents]` in
    /// `settings.toml`): the export form starts from it.
    pub documents: screens::export::DocumentDefaults,
}

/// Why the TUI stopped with an error.
#[derive(Debug, Error)]
pub enum TuiError {
    /// The user's keymap file is wrong; the message names the bad key or action.
    #[error(transparent)]
    Keymap(#[from] keymap::KeymapError),
    /// Drawing or reading the terminal failed.
    #[error("terminal: {0}")]
    Terminal(String),
}

/// Checks a user keymap file before the terminal is taken over, so a bad
/// file is reported as one line on a normal screen.
pub fn check_keymap(path: &std::path::Path) -> Result<(), TuiError> {
    keymap::Keymap::load(Some(path))
        .map(|_| ())
        .map_err(TuiError::from)
}
