//! Runs the interface on a data folder: `cargo run -p anfang-tui --example tryout -- DIR zh-CN|en`.
#![allow(clippy::unwrap_used, clippy::expect_used)]
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(&args[1]);
    let lang = anfang_core::Lang::from_tag(&args[2]).unwrap();
    std::fs::create_dir_all(&dir).unwrap();
    let ledger = anfang_ledger::Ledger::open(&dir).unwrap();
    enable_raw_mode().unwrap();
    execute!(
        std::io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )
    .unwrap();
    let mut terminal =
        ratatui::Terminal::new(ratatui::prelude::CrosstermBackend::new(std::io::stdout())).unwrap();
    let options = anfang_tui::TuiOptions {
        lang,
        user_name: "王检查".into(),
        keymap_override_path: None,
        data_dir: dir,
    };
    let result = anfang_tui::run(
        &mut terminal,
        ledger,
        anfang_plugin_host::Registry::core_only(),
        options,
    );
    execute!(
        std::io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen
    )
    .unwrap();
    disable_raw_mode().unwrap();
    result.unwrap();
}
