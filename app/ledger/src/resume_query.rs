//! The visit to offer resuming at start: the newest unfinished visit this
//! device opened. Visits merged from other laptops are never offered, so an
//! office laptop does not record into another inspector's visit.

use crate::Ledger;
use crate::error::LedgerError;
use rusqlite::OptionalExtension;
use uuid::Uuid;

impl Ledger {
    /// The newest visit this device opened that is not closed, if any.
    pub fn own_unfinished_visit(&self) -> Result<Option<Uuid>, LedgerError> {
        let id: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT visit_id FROM visits WHERE device = ?1 AND closed_at IS NULL
                 ORDER BY started_at DESC, visit_id DESC LIMIT 1",
            )?
            .query_row([self.device_id()], |row| row.get(0))
            .optional()?;
        Ok(id.and_then(|id| Uuid::parse_str(&id).ok()))
    }
}
