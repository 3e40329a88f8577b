//! The one error type of the ledger; every message names the bad value.

use std::path::PathBuf;
use thiserror::Error;

/// Everything that can go wrong reading or writing a ledger.
#[derive(Debug, Error)]
pub enum LedgerError {
    /// SQLite refused an operation on the ledger itself.
    #[error("ledger database error: {0}")]
    Db(#[from] rusqlite::Error),
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
    /// Stored data could not be read back (a damaged or hand-edited ledger).
    #[error("ledger content is damaged: {0}")]
    Damaged(String),
    /// A value could not be turned into an event.
    #[error("cannot record event: {0}")]
    Encode(String),
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
