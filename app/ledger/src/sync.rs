//! Merges commit without waiting for the disk; [`Ledger::sync`] waits once
//! for a whole batch of them.
//!
//! A finding recorded on a laptop commits with `synchronous = FULL`: the
//! battery may die the next second, and the finding exists nowhere else. A
//! merge only copies events its bundle file still holds, and merging a
//! bundle again is harmless (a set union), so each bundle's transaction
//! commits with `synchronous = NORMAL`: as atomic as before and safe when
//! the process is killed, but a power cut may undo the newest merges. So
//! whoever merges a batch syncs once at its end, before saying it is done
//! (the bundle files may go after that); dropping the ledger syncs too.

use crate::Ledger;
use crate::error::LedgerError;
use std::fs::File;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// SQLite's name for a database's write-ahead log.
fn wal_of(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

/// Flushes one file to the disk; a file that is not there has nothing to flush.
fn flush(path: &Path) -> Result<(), LedgerError> {
    match File::open(path) {
        Ok(file) => file
            .sync_all()
            .map_err(|e| LedgerError::io("write to the disk", path, e)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
        Err(e) => Err(LedgerError::io("open", path, e)),
    }
}

impl Ledger {
    /// Waits until every merge committed so far is on the disk: the
    /// write-ahead log (what is not yet copied into the ledger file) and the
    /// ledger file (what checkpoints have copied). Nothing to do when there
    /// was no merge since the last sync.
    pub fn sync(&mut self) -> Result<(), LedgerError> {
        if !self.unsynced {
            return Ok(());
        }
        flush(&wal_of(&self.path))?;
        flush(&self.path)?;
        self.unsynced = false;
        Ok(())
    }

    /// Runs `merge` with this connection's commits not waiting for the disk,
    /// and notes a successful one as not yet synced.
    pub(crate) fn without_waiting<T>(
        &mut self,
        merge: impl FnOnce(&mut Ledger) -> Result<T, LedgerError>,
    ) -> Result<T, LedgerError> {
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        let merged = merge(self);
        // Recording must wait for the disk again, whatever the merge did.
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        if merged.is_ok() {
            self.unsynced = true;
        }
        merged
    }
}

impl Drop for Ledger {
    fn drop(&mut self) {
        if let Err(e) = self.sync() {
            tracing::warn!("could not write the last merges to the disk: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_sits_beside_the_ledger() {
        assert_eq!(
            wal_of(Path::new("/data/ledger.sqlite")),
            PathBuf::from("/data/ledger.sqlite-wal")
        );
    }

    fn synchronous(ledger: &Ledger) -> i64 {
        ledger
            .conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_merge_leaves_recording_waiting_for_the_disk() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("ledger.sqlite");
        let mut ledger = Ledger::open_with_key(&db, crate::DeviceKey::from_seed([7; 32])).unwrap();
        const FULL: i64 = 2;
        const NORMAL: i64 = 1;
        assert_eq!(synchronous(&ledger), FULL);

        let during = ledger.without_waiting(|l| Ok(synchronous(l))).unwrap();
        assert_eq!(during, NORMAL);
        assert_eq!(synchronous(&ledger), FULL);
        assert!(ledger.unsynced);
        ledger.sync().unwrap();
        assert!(!ledger.unsynced);

        // A refused merge changed nothing: nothing to sync, and recording
        // waits for the disk again all the same.
        let refused: Result<(), LedgerError> =
            ledger.without_waiting(|_| Err(LedgerError::Damaged("test".into())));
        assert!(refused.is_err());
        assert_eq!(synchronous(&ledger), FULL);
        assert!(!ledger.unsynced);
    }

    #[test]
    fn a_missing_file_has_nothing_to_flush() {
        let dir = tempfile::tempdir().unwrap();
        flush(&dir.path().join("absent")).unwrap();
        let present = dir.path().join("present");
        std::fs::write(&present, b"x").unwrap();
        flush(&present).unwrap();
    }
}
