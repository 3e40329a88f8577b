//! Copying the write-ahead log back into the ledger file on a thread of its
//! own, so that a merge or a save does not stop to do it.
//!
//! SQLite's automatic checkpoint runs inside the commit that fills the log,
//! on the committing thread. Here the ledger's connection reports each
//! commit's log size (`sqlite3_wal_hook`, which also turns the automatic
//! checkpoint off); past [`CHECKPOINT_PAGES`] it wakes a thread with its own
//! connection, which runs a PASSIVE checkpoint — one that never blocks the
//! writer — while the next transaction goes on. Should that thread fall
//! behind, the committing thread checkpoints itself past [`FALLBACK_TIMES`]
//! the size, so the log stays bounded. A checkpoint is as crash-safe on one thread as
//! on another: what the log holds is committed either way.

use crate::error::LedgerError;
use rusqlite::wal::CheckpointMode;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::thread::JoinHandle;

/// Log size, in pages, at which a checkpoint is asked for (40 MB of 4 KiB pages).
pub const CHECKPOINT_PAGES: i32 = 10_000;

/// How many times [`CHECKPOINT_PAGES`] the log may grow to before the
/// committing thread checkpoints itself. The log restarts from its beginning
/// only once a checkpoint has copied all of it, which back-to-back merges
/// (each commit some 13,000 pages) rarely let the thread do; the committing
/// thread's own checkpoint, which also waits for the disk, is what restarts
/// it, and a larger bound asks for it less often.
const FALLBACK_TIMES: i32 = 8;

/// The checkpointing thread of one ledger connection; it ends when dropped.
#[derive(Debug)]
pub(crate) struct Checkpointer {
    wake: SyncSender<()>,
    closing: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts the thread for the ledger file `db` and hooks `conn`'s commits to it.
    pub fn start(conn: &mut Connection, db: &Path) -> Result<Checkpointer, LedgerError> {
        Checkpointer::start_at(conn, db, CHECKPOINT_PAGES)
    }

    /// [`Checkpointer::start`] with another log size, in pages, to act at.
    fn start_at(conn: &mut Connection, db: &Path, at: i32) -> Result<Checkpointer, LedgerError> {
        let own = Connection::open_with_flags(
            db,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        own.busy_timeout(crate::BUSY_WAIT)?;
        // One pending wake-up is enough: the checkpoint copies all there is.
        let (wake, asked) = sync_channel::<()>(1);
        let closing = Arc::new(AtomicBool::new(false));
        let done = Arc::clone(&closing);
        let thread = std::thread::Builder::new()
            .name("ledger-checkpoint".into())
            .spawn(move || run(&own, &asked, &done))
            .map_err(|e| LedgerError::io("start the checkpoint thread for", db, e))?;
        let notify = wake.clone();
        // The hook must not fail: SQLite would report the error from a commit
        // that has already happened. A checkpoint that cannot run now (the
        // thread is at it) is asked for again by the next commit.
        conn.wal_hook(Some(move |wal: &mut rusqlite::hooks::Wal, pages: i32| {
            let here = if pages >= FALLBACK_TIMES * at {
                true
            } else if pages >= at {
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
            wake,
            closing,
            thread: Some(thread),
        })
    }
}

fn run(conn: &Connection, asked: &Receiver<()>, closing: &AtomicBool) {
    while asked.recv().is_ok() && !closing.load(Ordering::Acquire) {
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
        // The connection's hook holds a sender too, so the channel may stay
        // open: say so, and wake the thread (a wake-up already queued will do).
        self.closing.store(true, Ordering::Release);
        let _ = self.wake.try_send(());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wal_bytes(db: &Path) -> u64 {
        std::fs::metadata(db.with_extension("sqlite-wal")).map_or(0, |m| m.len())
    }

    #[test]
    fn the_thread_keeps_the_log_short_and_loses_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("t.sqlite");
        let mut conn = Connection::open(&db).unwrap();
        conn.execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (x BLOB);")
            .unwrap();
        let checkpointer = Checkpointer::start_at(&mut conn, &db, 20).unwrap();
        let commit = |conn: &Connection| {
            // Two 4 KiB pages a commit.
            conn.execute("INSERT INTO t VALUES (zeroblob(5000))", [])
                .unwrap();
        };
        for _ in 0..15 {
            commit(&conn);
        }
        let full = wal_bytes(&db);
        // Past 20 pages the thread was woken; once it has copied the log
        // back, the next commits reuse the log from its start.
        std::thread::sleep(std::time::Duration::from_millis(500));
        for _ in 0..15 {
            commit(&conn);
        }
        // Under the 160 pages (FALLBACK_TIMES × 20) at which the committing
        // thread would checkpoint itself, so only the checkpoint thread can
        // have kept it this short.
        assert!(wal_bytes(&db) <= full, "{} > {full}", wal_bytes(&db));
        drop(checkpointer);
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 30);
    }
}
