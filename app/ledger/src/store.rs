//! Opening a ledger file: pragmas, identity checks and numbered migrations.

use crate::error::LedgerError;
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

/// `PRAGMA application_id` of a ledger file ("anfg").
pub const LEDGER_APPLICATION_ID: i32 = 0x616e_6667;

/// What one numbered migration does.
enum Step {
    /// Run this SQL.
    Sql(&'static str),
    /// Drop the derived tables, create them as `derived.sql` says, and derive them from the events.
    RebuildDerived,
}

/// The migrations, in order; `PRAGMA user_version` counts how many ran.
const MIGRATIONS: &[Step] = &[
    Step::Sql(include_str!("../migrations/0001_events.sql")),
    Step::RebuildDerived,
    // findings_fts is now written by the ledger itself, not by triggers.
    Step::RebuildDerived,
    // Checklist snapshots are read from the events (view
    // visit_checklist_snapshots); finding_versions lists only findings with
    // more than one version; findings_fts keeps no token positions.
    Step::RebuildDerived,
    // The office a ledger answers to (pinned by `anfang office init|join`).
    Step::Sql(include_str!("../migrations/0005_office.sql")),
    // Visit openings per device, refused events, decisions that count.
    Step::RebuildDerived,
    // Appraisals keep the entry they correct (appraisals.follows); the
    // office's register of units (unit_versions, units); item titles in
    // both languages (item_titles), so a search finds them.
    Step::RebuildDerived,
    // Visits keep the register's unit id (visits.unit_id); names mapped to
    // registered units (unit_mappings); issued bulletins (bulletins);
    // checklists published as data (published_checklists).
    // Published assessment methods (methods) and office deductions
    // (office_deductions).
    Step::RebuildDerived,
    // Accountability outcomes (outcomes).
    Step::RebuildDerived,
    // Office deductions are reviewed (deduction_decisions,
    // office_deductions.status) and keep their evidence file's hash
    // (office_deductions.evidence).
    Step::RebuildDerived,
];

/// The ledger schema version this build writes.
pub const LEDGER_SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Opens (creating if needed) a ledger file and brings its schema up to date.
pub(crate) fn open(db: &Path) -> Result<Connection, LedgerError> {
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| LedgerError::io("create", dir, e))?;
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut conn = Connection::open_with_flags(db, flags)?;
    conn.busy_timeout(crate::BUSY_WAIT)?;
    let not_a_ledger = |reason: String| LedgerError::NotALedger {
        path: db.to_path_buf(),
        reason,
    };
    let (app_id, version, tables) = header(&conn).map_err(|e| not_a_ledger(e.to_string()))?;
    if app_id != LEDGER_APPLICATION_ID && (app_id != 0 || tables > 0) {
        return Err(not_a_ledger(format!(
            "its application_id is {app_id:#x}, a ledger's is {LEDGER_APPLICATION_ID:#x}"
        )));
    }
    if version > LEDGER_SCHEMA_VERSION {
        return Err(LedgerError::NewerLedger {
            path: db.to_path_buf(),
            found: version,
            supported: LEDGER_SCHEMA_VERSION,
        });
    }
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    // Stable query plans: without this SQLite re-prepares statements whose
    // plan might depend on a bound value, which cost a tenth of merge time.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(not_a_ledger(format!(
            "cannot switch to WAL journal (got {mode})"
        )));
    }
    conn.execute_batch(
        "PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = OFF;
         PRAGMA cache_size = -64000;
         PRAGMA wal_autocheckpoint = 10000; -- until checkpoint.rs hooks the connection
         PRAGMA temp_store = MEMORY;",
    )?;
    // More distinct statements run per event than rusqlite's default cache holds.
    conn.set_prepared_statement_cache_capacity(64);
    crate::fts::prepare(&conn)?;
    migrate(&mut conn, version)?;
    Ok(conn)
}

/// The schema version of an existing ledger file, read without changing it;
/// `None` when there is no file yet. A version below
/// [`LEDGER_SCHEMA_VERSION`] means the next open upgrades the file, which
/// may rebuild the derived tables.
pub fn schema_version(db: &Path) -> Result<Option<i64>, LedgerError> {
    if !db.exists() {
        return Ok(None);
    }
    let conn = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    Ok(Some(
        conn.query_row("PRAGMA user_version", [], |r| r.get(0))?,
    ))
}

/// application_id, user_version and the number of schema objects.
fn header(conn: &Connection) -> rusqlite::Result<(i32, i64, i64)> {
    let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    Ok((app_id, version, tables))
}

fn migrate(conn: &mut Connection, from: i64) -> Result<(), LedgerError> {
    let from = usize::try_from(from).unwrap_or(0);
    if from >= MIGRATIONS.len() {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // Another process may have migrated while we waited for the lock.
    let now: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let now = usize::try_from(now).unwrap_or(0);
    tx.execute_batch(&format!("PRAGMA application_id = {LEDGER_APPLICATION_ID}"))?;
    for (number, step) in MIGRATIONS.iter().enumerate().skip(now) {
        match step {
            Step::Sql(sql) => tx.execute_batch(sql)?,
            Step::RebuildDerived => crate::rebuild::rebuild_in(&tx)?,
        }
        tx.execute_batch(&format!("PRAGMA user_version = {}", number + 1))?;
    }
    tx.commit()?;
    Ok(())
}
