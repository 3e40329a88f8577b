//! The one error type of the ledger; every message names the bad value.

use std::path::PathBuf;
use thiserror::Error;

/// Everything that can go wrong reading or writing a ledger.
#[derive(Debug, Error)]
pub enum LedgerError {
    /// SQLite refused an operation on the ledger itself. Not marked as the
    /// source: the message already carries SQLite's, and a report that
    /// joins causes would say it twice.
    #[error("ledger database error: {0}")]
    Db(rusqlite::Error),
    /// The disk has no room left for the change; nothing of it was saved.
    #[error(
        "the disk is full: this change was not saved (what was saved before is intact; free some space and try again)"
    )]
    DiskFull,
    /// Another program kept the ledger locked for longer than anfang waits.
    #[error(
        "the ledger is busy: another anfang kept it locked for {} s and this change was not saved (try again when it is done)",
        crate::BUSY_WAIT.as_secs()
    )]
    Busy,
    /// A file could not be read or written.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// What was being done (`read`, `write`, `create`, …).
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// Why not.
        source: std::io::Error,
    },
    /// The device key file is unusable.
    #[error("device key {path}: {reason}")]
    Key {
        /// The key file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The file is not an anfang ledger.
    #[error("{path} is not an anfang ledger: {reason}")]
    NotALedger {
        /// The file.
        path: PathBuf,
        /// Why it is not.
        reason: String,
    },
    /// The ledger was written by a newer anfang.
    #[error("{path} has ledger schema version {found}; this anfang understands up to {supported}")]
    NewerLedger {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest this build understands.
        supported: i64,
    },
    /// A bundle was refused; nothing from it was merged.
    #[error("bundle {path} refused, nothing merged: {reason}")]
    BadBundle {
        /// The bundle file.
        path: PathBuf,
        /// What kind of problem, for a message in the user's language.
        kind: crate::refusal::RefusalKind,
        /// What is wrong with it, naming the bad value (English).
        reason: String,
    },
    /// A merge was stopped on request; nothing from that bundle was merged.
    #[error("merge of {0} stopped; nothing from it was merged")]
    MergeStopped(PathBuf),
    /// An evidence file is larger than the ledger accepts.
    #[error("evidence file {path} is {size} bytes; the limit is {max} bytes (64 MiB)")]
    EvidenceTooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// No blob with this hash is stored.
    #[error("no evidence file with SHA-256 {0} is stored in this ledger")]
    NoSuchBlob(String),
    /// No finding with this id is recorded.
    #[error("no finding {0} is recorded in this ledger")]
    NoSuchFinding(uuid::Uuid),
    /// No office deduction has this id (or several start with it).
    #[error("no office deduction '{0}' in this ledger (anfang deduct list shows them)")]
    NoSuchDeduction(String),
    /// Stored data could not be read back (a damaged or hand-edited ledger).
    #[error("ledger content is damaged: {0}")]
    Damaged(String),
    /// The ledger already answers to another office.
    #[error("this ledger already answers to office {0}; a ledger pins one office")]
    OfficePinned(String),
    /// An office root key file could not be created, read or opened.
    #[error("root key {path}: {reason}")]
    RootKey {
        /// The key file.
        path: std::path::PathBuf,
        /// What went wrong.
        reason: String,
    },
    /// A value could not be turned into an event.
    #[error("cannot record event: {0}")]
    Encode(String),
}

impl From<rusqlite::Error> for LedgerError {
    /// A full disk and a lock held too long are told apart: the user can do
    /// something about both, and neither means the ledger is damaged.
    fn from(error: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match error.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => LedgerError::DiskFull,
            Some(ErrorCode::DatabaseBusy) => LedgerError::Busy,
            _ => LedgerError::Db(error),
        }
    }
}

impl LedgerError {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        LedgerError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::{DeviceKey, Ledger};
    use anfang_core::event::{EventBody, VisitClosed};

    fn closed(n: u128) -> EventBody {
        EventBody::VisitClosed(VisitClosed {
            visit_id: uuid::Uuid::from_u128(n),
            closed_at: jiff::Timestamp::UNIX_EPOCH,
        })
    }

    fn open(path: &std::path::Path) -> Ledger {
        Ledger::open_with_key(path, DeviceKey::from_seed([3; 32])).unwrap()
    }

    /// SQLite itself runs out of room: the ledger may not grow past its
    /// present size, as on a disk with no space left.
    #[test]
    fn a_full_disk_is_told_apart_and_loses_nothing_saved() {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = open(&dir.path().join("ledger.sqlite"));
        let pages: i64 = ledger
            .conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .unwrap();
        ledger
            .conn
            .pragma_update(None, "max_page_count", pages)
            .unwrap();
        let mut saved = 0;
        let err = loop {
            match ledger.append(&closed(saved + 1)) {
                Ok(_) => saved += 1,
                Err(err) => break err,
            }
            assert!(saved < 10_000, "the ledger never filled up");
        };
        assert!(matches!(err, LedgerError::DiskFull), "{err}");
        assert!(err.to_string().starts_with("the disk is full"), "{err}");
        assert_eq!(ledger.event_count().unwrap(), u64::try_from(saved).unwrap());

        // Once there is room again, recording goes on where it stopped.
        ledger
            .conn
            .pragma_update(None, "max_page_count", 1_000_000)
            .unwrap();
        ledger.append(&closed(saved + 1)).unwrap();
        assert_eq!(
            ledger.event_count().unwrap(),
            u64::try_from(saved + 1).unwrap()
        );
    }

    #[test]
    fn a_ledger_held_by_another_program_is_busy() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.sqlite");
        let holder = open(&path);
        let mut waiter = open(&path);
        waiter
            .conn
            .busy_timeout(std::time::Duration::from_millis(50))
            .unwrap();
        holder.conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        let err = waiter.append(&closed(1)).unwrap_err();
        assert!(matches!(err, LedgerError::Busy), "{err}");
        holder.conn.execute_batch("ROLLBACK").unwrap();
        waiter.append(&closed(1)).unwrap();
    }
}
