//! anfang-ledger: the only crate that touches SQLite.
//!
//! The ledger is an append-only set of signed events (`events`), evidence
//! files stored by hash (`blobs`), and tables derived from the events alone
//! (visits, findings, reviews, …) that the screens and exports read. Bundles
//! carry events and blobs between ledgers; merging is a verified set union.
//! `SCHEMA.md` documents every table for office IT.

mod append;
mod bundle;
mod bundle_manifest;
pub mod canonical;
mod checkpoint;
mod checks;
mod confirm_batch;
mod deductions;
mod derive;
mod dump;
mod error;
mod event;
mod evidence;
pub mod export_query;
mod flags;
mod fts;
mod hold;
mod key;
mod merge;
mod method_query;
mod names;
pub mod office;
pub mod office_records;
mod outcomes;
mod read;
mod reading;
mod rebuild;
mod rectification;
mod refusal;
mod resume_query;
pub mod review_query;
mod scores_extra;
pub mod scores_query;
mod store;
mod sync;
mod types;
mod units;
mod verify;

pub use bundle::{BUNDLE_APPLICATION_ID, BUNDLE_FORMAT_VERSION, seal_bundle};
pub use confirm_batch::BatchOutcome;
pub use deductions::{DeductionDecisionRow, DeductionRow};
pub use error::LedgerError;

/// How long a write waits for another program (another anfang) to let go of
/// the ledger before it gives up with [`LedgerError::Busy`].
pub const BUSY_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

pub use evidence::MAX_EVIDENCE_BYTES;
pub use flags::{BEFORE_FIRST_TOLERANCE, CLOCK_TOLERANCE};
pub use hold::WriteHold;
pub use key::DeviceKey;
pub use method_query::MethodInForce;
pub use outcomes::OutcomeRow;
pub use rebuild::DERIVED_TABLES;
pub use rectification::{DecisionFile, RecheckVisit, read_decision_file};
pub use refusal::RefusalKind;
pub use store::{LEDGER_APPLICATION_ID, LEDGER_SCHEMA_VERSION, schema_version};
pub use types::{
    BundleSummary, CurrentFinding, DeviceReport, EventId, FindingHistory, Flag, FlagKind,
    FlagTimes, HomeKey, MergeProgress, MergeReport, VerifyReport, VisitDetail, VisitSummary, short,
};

use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// The ledger file's name inside the data directory.
pub const LEDGER_FILE: &str = "ledger.sqlite";
/// The device key file's name inside the data directory.
pub const KEY_FILE: &str = "device.key";

/// An open ledger: one SQLite connection and this device's signing key.
pub struct Ledger {
    pub(crate) conn: Connection,
    pub(crate) key: DeviceKey,
    pub(crate) path: PathBuf,
    /// A merge committed since the last [`Ledger::sync`] (see `sync.rs`).
    unsynced: bool,
    /// The office the events establish (open mode when none is pinned).
    authority: anfang_core::authority::Authority,
    /// Declared after `conn`, so the connection closes first.
    _checkpointer: checkpoint::Checkpointer,
}

impl std::fmt::Debug for Ledger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ledger")
            .field("path", &self.path)
            .field("device", &self.key.device_id())
            .finish()
    }
}

impl Ledger {
    /// Opens (creating if needed) `<data_dir>/ledger.sqlite` and `<data_dir>/device.key`.
    pub fn open(data_dir: &Path) -> Result<Ledger, LedgerError> {
        let key = DeviceKey::load_or_create(&data_dir.join(KEY_FILE))?;
        Ledger::open_with_key(&data_dir.join(LEDGER_FILE), key)
    }

    /// Opens a ledger file with an explicit device key (tests, demo).
    pub fn open_with_key(db: &Path, key: DeviceKey) -> Result<Ledger, LedgerError> {
        let mut conn = store::open(db)?;
        let checkpointer = checkpoint::Checkpointer::start(&mut conn, db)?;
        let authority = office::load(&conn)?;
        Ok(Ledger {
            conn,
            key,
            path: db.to_path_buf(),
            unsynced: false,
            authority,
            _checkpointer: checkpointer,
        })
    }

    /// This device's id (hex public key).
    pub fn device_id(&self) -> &str {
        self.key.device_id()
    }

    /// The ledger file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}
