//! Holding the ledger's write lock without writing, as another anfang
//! does while it appends or merges: how the interface's patience with a
//! busy ledger is tested and measured.

use crate::{Ledger, LedgerError};

/// The write lock of a ledger file, held until dropped; nothing is written.
pub struct WriteHold<'a> {
    ledger: &'a Ledger,
}

impl Ledger {
    /// Takes the file's write lock (waiting as long as any write does) and
    /// holds it until the returned guard is dropped. Other connections'
    /// writes wait meanwhile, then fail as [`LedgerError::Busy`].
    pub fn hold_write_lock(&mut self) -> Result<WriteHold<'_>, LedgerError> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        Ok(WriteHold { ledger: self })
    }
}

impl Drop for WriteHold<'_> {
    fn drop(&mut self) {
        // Nothing was written: rolling back only lets go of the lock.
        let _ = self.ledger.conn.execute_batch("ROLLBACK");
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use crate::{Ledger, LedgerError};

    #[test]
    fn a_held_lock_makes_other_writers_wait_and_is_let_go_when_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let mut holder = Ledger::open(dir.path()).unwrap();
        let writer = Ledger::open(dir.path()).unwrap();
        writer
            .conn
            .busy_timeout(std::time::Duration::from_millis(50))
            .unwrap();
        let hold = holder.hold_write_lock().unwrap();
        let err = writer.conn.execute_batch("BEGIN IMMEDIATE").unwrap_err();
        assert!(
            matches!(LedgerError::from(err), LedgerError::Busy),
            "the lock is held"
        );
        drop(hold);
        writer
            .conn
            .execute_batch("BEGIN IMMEDIATE; ROLLBACK")
            .unwrap();
    }
}
