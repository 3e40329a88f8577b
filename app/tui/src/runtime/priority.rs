//! The app's background threads — the worker that owns the ledger and the
//! plugins (evidence hashing, lock waits, reads), the draft writer, merges
//! and exports, and every thread they start — run at a lower scheduling
//! priority than the interface thread. On a laptop with two cores a merge
//! (with its own reading and checkpoint threads) and a hash keep every core
//! busy; at equal priority the thread that draws the screen then waits its
//! turn behind them and a key takes tens of milliseconds to show. Lowered,
//! they still get every core the interface leaves idle, which is nearly
//! all of them: it sleeps between keys.

/// How many steps of niceness below the interface background threads run
/// (Linux gives a thread 10 steps lower about a tenth of the CPU when both
/// want it).
pub(crate) const BACKGROUND_STEPS: i32 = 10;

/// The lowest priority Linux has (the highest nice value).
const LOWEST: i32 = 19;

/// Lowers the calling thread's priority by [`BACKGROUND_STEPS`] (not past
/// the lowest). Threads it starts afterwards inherit the lower priority.
/// Failing to lower it only costs the interface some speed under load.
pub(crate) fn lower_this_thread() {
    #[cfg(target_os = "linux")]
    {
        // On Linux the nice value belongs to each thread: PRIO_PROCESS with
        // a thread id changes that thread alone.
        // SAFETY: gettid has no preconditions.
        let tid = unsafe { libc::gettid() } as libc::id_t;
        let Some(now) = nice_of(tid) else {
            return;
        };
        let lower = (now + BACKGROUND_STEPS).min(LOWEST);
        // SAFETY: setpriority takes plain integers and touches no memory.
        if unsafe { libc::setpriority(libc::PRIO_PROCESS, tid, lower) } != 0 {
            let error = std::io::Error::last_os_error();
            tracing::debug!(%error, "background thread priority not lowered");
        }
    }
}

/// The nice value of thread `tid` (`getpriority` may answer -1 for a real
/// value, so errno tells an error apart).
#[cfg(target_os = "linux")]
pub(crate) fn nice_of(tid: libc::id_t) -> Option<i32> {
    // SAFETY: errno is this thread's own; getpriority touches no memory.
    unsafe {
        *libc::__errno_location() = 0;
        let nice = libc::getpriority(libc::PRIO_PROCESS, tid);
        (nice != -1 || *libc::__errno_location() == 0).then_some(nice)
    }
}

#[cfg(all(test, target_os = "linux"))]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn own_nice() -> i32 {
        // SAFETY: gettid has no preconditions.
        nice_of(unsafe { libc::gettid() } as libc::id_t).unwrap()
    }

    #[test]
    fn a_background_thread_runs_lower_and_its_starter_keeps_its_priority() {
        let interface = own_nice();
        let (background, inherited) = std::thread::spawn(|| {
            lower_this_thread();
            let inherited = std::thread::spawn(own_nice).join().unwrap();
            (own_nice(), inherited)
        })
        .join()
        .unwrap();
        assert_eq!(background, (interface + BACKGROUND_STEPS).min(LOWEST));
        assert_eq!(inherited, background, "threads it starts run lower too");
        assert_eq!(own_nice(), interface);
    }
}
