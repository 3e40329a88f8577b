//! `anfang rebuild`: drop the derived tables and derive them again from the events.

use crate::context::Context;
use anfang_core::Lang;
use std::process::ExitCode;

/// Runs `anfang rebuild`.
pub fn run(ctx: &Context) -> anyhow::Result<ExitCode> {
    let mut ledger = ctx.open_ledger()?;
    ledger.rebuild()?;
    let events = ledger.event_count()?;
    match ctx.lang {
        Lang::Zh => say!("已从 {events} 个事件重建派生表"),
        Lang::En => say!("rebuilt the derived tables from {events} events"),
    }
    Ok(ExitCode::SUCCESS)
}
