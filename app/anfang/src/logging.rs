//! Logs go to a file in the data folder, never to the terminal the
//! interface owns.

use crate::context::Context;
use tracing_appender::non_blocking::WorkerGuard;

/// Starts logging to `<data>/logs/anfang.log.<date>`. Keep the guard alive
/// until the terminal is restored, or the last lines are lost.
pub fn init(ctx: &Context) -> anyhow::Result<WorkerGuard> {
    let dir = ctx.data_dir.join("logs");
    std::fs::create_dir_all(&dir)?;
    let appender = tracing_appender::rolling::daily(&dir, "anfang.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = tracing_subscriber::EnvFilter::try_from_env("ANFANG_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // A second init (tests calling twice) is harmless: keep the first.
    let _ = tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init();
    Ok(guard)
}
