//! Owning the terminal: raw mode, alternate screen and mouse on entry, and
//! the terminal always given back — on return, on error, on panic, and on
//! SIGTERM or SIGHUP.

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::DefaultTerminal;
use ratatui::prelude::CrosstermBackend;
use std::io::stdout;

/// Puts the terminal in interface mode and arranges for it to be restored
/// whatever happens next.
pub fn enter() -> anyhow::Result<DefaultTerminal> {
    install_panic_hook();
    install_signal_handler()?;
    enable_raw_mode()?;
    // Bracketed paste: a pasted path arrives as one paste, not as keys
    // that could run commands.
    execute!(
        stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )?;
    let terminal = ratatui::Terminal::new(CrosstermBackend::new(stdout()))?;
    Ok(terminal)
}

/// Gives the terminal back to the shell. Safe to call more than once.
pub fn restore() {
    let _ = execute!(
        stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = disable_raw_mode();
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

fn install_signal_handler() -> anyhow::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP])?;
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            // Every finding shown as saved is already durable in the ledger
            // (each append commits with synchronous=FULL), so ending here
            // loses nothing that was acknowledged.
            tracing::info!(signal, "terminated by signal");
            restore();
            std::process::exit(128 + signal);
        }
    });
    Ok(())
}
