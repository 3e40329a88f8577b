//! Where the interface reads the time. The event loop ticks the state from
//! it; tests hand the app a fixed or stepped clock, so nothing the screens
//! decide ("overdue", "in the past", "this year") depends on the day the
//! tests run.

use std::sync::Arc;

/// A source of the current time.
pub type Clock = Arc<dyn Fn() -> jiff::Timestamp + Send + Sync>;

/// The machine's clock.
pub fn system() -> Clock {
    Arc::new(jiff::Timestamp::now)
}

/// A clock that always reads `at` (for tests and scripted runs).
pub fn fixed(at: jiff::Timestamp) -> Clock {
    Arc::new(move || at)
}

/// A clock that reads `start`, then one `step` later at every reading: a
/// scripted run in which every event is later than the one before.
pub fn stepping(start: jiff::Timestamp, step: jiff::SignedDuration) -> Clock {
    let readings = std::sync::atomic::AtomicI32::new(0);
    Arc::new(move || {
        let n = readings.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        start.saturating_add(step * n).unwrap_or(start)
    })
}
