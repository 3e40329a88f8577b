//! Recomputing every derived table from the events alone.

use crate::Ledger;
use crate::error::LedgerError;
use crate::event::{EVENT_COLUMNS, StoredEvent};
use crate::{derive, flags};
use rusqlite::{Connection, TransactionBehavior};

/// The derived tables, in the order they are dropped.
pub const DERIVED_TABLES: &[&str] = &[
    "findings_fts",
    "findings",
    "finding_versions",
    "visits",
    "visit_openings",
    "visit_closures",
    "visit_checklists",
    "item_titles",
    "evidence",
    "reviews",
    "appraisals",
    "unit_versions",
    "units",
    "unit_mappings",
    "bulletins",
    "published_checklists",
    "methods",
    "office_deductions",
    "deduction_decisions",
    "outcomes",
    "devices",
    "refused",
    "flags",
];

impl Ledger {
    /// Drops the derived tables and derives them again from the events.
    pub fn rebuild(&mut self) -> Result<(), LedgerError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        rebuild_in(&tx)?;
        tx.commit()?;
        Ok(())
    }
}

/// The derived views, dropped with the tables they read.
pub const DERIVED_VIEWS: &[&str] = &["visit_checklist_snapshots"];

/// Drops, recreates and refills the derived tables inside the caller's transaction.
pub(crate) fn rebuild_in(conn: &Connection) -> Result<(), LedgerError> {
    crate::derive::memo::forget_all();
    for view in DERIVED_VIEWS {
        conn.execute_batch(&format!("DROP VIEW IF EXISTS {view}"))?;
    }
    for table in DERIVED_TABLES {
        // Dropping a table drops its indexes and triggers with it.
        conn.execute_batch(&format!("DROP TABLE IF EXISTS {table}"))?;
    }
    conn.execute_batch(include_str!("../migrations/derived.sql"))?;
    crate::fts::begin(conn)?;
    let auth = crate::office::load(conn)?;
    let mut devices = Vec::new();
    let mut stmt = conn.prepare(&format!(
        "SELECT {EVENT_COLUMNS} FROM events ORDER BY device, seq, id"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let event = StoredEvent::from_row(row)?;
        let body = event.parse_body()?;
        derive::apply(conn, &auth, &event, &body)?;
        if devices.last() != Some(&event.device) {
            devices.push(event.device.clone());
        }
    }
    for device in &devices {
        flags::refresh_device(conn, device)?;
    }
    crate::derive::refuse_rosters(conn, &auth)?;
    crate::fts::flush(conn)
}
