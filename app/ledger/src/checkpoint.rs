//! Copying the write-ahead log back into the ledger file on a thread of its
//! own, so that a merge or a save does not stop to do it.
//!
//! SQLite's automatic checkpoint runs inside the commit that fills the log,
//! on the committing thread. Here the ledger's connection reports each
//! commit's log size (`sqlite3_wal_hook`, which also turns the automatic
//! checkpoint off); past [`CHECKPOINT_PAGES`] it wakes a thread with its own
//! connection, which runs a PASSIVE checkpoint — one that never blocks the
//! writer — while the next transaction goes on. Should that thread fall
//! behind, the committing thread checkpoints itself past four times the size,
//! so the log stays bounded. A checkpoint is as crash-safe on one thread as
//! on another: what the log holds is committed either way.

use crate::error::LedgerError;
use rusqlite::wal::CheckpointMode;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::thread::JoinHandle;

/// Log size, in pages, at which a checkpoint is asked for (40 MB of 4 KiB pages).
pub const CHECKPOINT_PAGES: i32 = 10_000;

/// The checkpointing thread of one ledger connection; it ends when dropped.
#[derive(Debug)]
pub(crate) struct Checkpointer {
    wake: Option<SyncSender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts the thread for the ledger file `db` and hooks `conn`'s commits to it.
    pub fn start(conn: &mut Connection, db: &Path) -> Result<Checkpointer, LedgerError> {
        let own = Connection::open_with_flags(
            db,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        own.busy_timeout(std::time::Duration::from_secs(10))?;
        // One pending wake-up is enough: the checkpoint copies all there is.
        let (wake, asked) = sync_channel::<()>(1);
        let thread = std::thread::Builder::new()
            .name("ledger-checkpoint".into())
            .spawn(move || run(&own, &asked))
            .map_err(|e| LedgerError::Damaged(format!("cannot start the checkpoint thread: {e}")))?;
        let notify = wake.clone();
        // The hook must not fail: SQLite would report the error from a commit
        // that has already happened. A checkpoint that cannot run now (the
        // thread is at it) is asked for again by the next commit.
        conn.wal_hook(Some(move |wal: &mut rusqlite::hooks::Wal, pages: i32| {
            let here = if pages >= 4 * CHECKPOINT_PAGES {
                true
            } else if pages >= CHECKPOINT_PAGES {
                matches!(notify.try_send(()), Err(TrySendError::Disconnected(())))
            } else {
                false
            };
            if here {
                let _ = wal.checkpoint_v2(CheckpointMode::PASSIVE);
            }
            Ok(())
        }))?;
        Ok(Checkpointer {
            wake: Some(wake),
            thread: Some(thread),
        })
    }
}

fn run(conn: &Connection, asked: &Receiver<()>) {
    while asked.recv().is_ok() {
        let done: rusqlite::Result<(i64, i64, i64)> =
            conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            });
        if let Err(e) = done {
            tracing::warn!("background checkpoint failed, the next commit will ask again: {e}");
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        // Closing the channel ends the thread after any checkpoint under way.
        self.wake.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
