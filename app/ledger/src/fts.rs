//! Keeping `findings_fts` in step with `findings`, in one batch per transaction.
//!
//! FTS5 buffers new terms in memory and writes them out at every statement
//! savepoint; updating it row by row (as triggers do) flushes after every
//! finding. Instead, the rows to (re)index are noted in two temporary
//! tables as findings change, and [`flush`] indexes them all at once before
//! the transaction commits. The temporary tables share the transaction, so
//! a rollback forgets the notes with the changes.

use crate::error::LedgerError;
use rusqlite::Connection;

/// Creates this connection's temporary bookkeeping tables.
pub(crate) fn prepare(conn: &Connection) -> Result<(), LedgerError> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS fts_pending (row_id INTEGER PRIMARY KEY);
         CREATE TEMP TABLE IF NOT EXISTS fts_old (row_id INTEGER PRIMARY KEY, note TEXT, subject TEXT, unit TEXT);",
    )?;
    Ok(())
}

/// Notes the indexed values of the findings matching `condition` (on
/// `findings`, with `?1`.. bound to `params`) before they change.
pub(crate) fn before_change(conn: &Connection, condition: &str, params: impl rusqlite::Params + Clone) -> Result<(), LedgerError> {
    conn.prepare_cached(&format!(
        "INSERT OR IGNORE INTO temp.fts_old (row_id, note, subject, unit)
         SELECT row_id, note, subject, unit FROM findings
         WHERE {condition} AND row_id NOT IN (SELECT row_id FROM temp.fts_pending)"
    ))?
    .execute(params.clone())?;
    conn.prepare_cached(&format!(
        "INSERT OR IGNORE INTO temp.fts_pending (row_id) SELECT row_id FROM findings WHERE {condition}"
    ))?
    .execute(params)?;
    Ok(())
}

/// Notes a findings row to index.
pub(crate) fn changed(conn: &Connection, row_id: i64) -> Result<(), LedgerError> {
    conn.prepare_cached("INSERT OR IGNORE INTO temp.fts_pending (row_id) VALUES (?1)")?
        .execute([row_id])?;
    Ok(())
}

/// Removes the old terms and indexes the noted rows as they are now.
pub(crate) fn flush(conn: &Connection) -> Result<(), LedgerError> {
    let pending: i64 = conn
        .prepare_cached("SELECT count(*) FROM temp.fts_pending")?
        .query_row([], |r| r.get(0))?;
    if pending == 0 {
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO findings_fts (findings_fts, rowid, note, subject, unit)
         SELECT 'delete', row_id, note, subject, unit FROM temp.fts_old",
    )?
    .execute([])?;
    conn.prepare_cached(
        "INSERT INTO findings_fts (rowid, note, subject, unit)
         SELECT f.row_id, f.note, f.subject, f.unit FROM temp.fts_pending p JOIN findings f ON f.row_id = p.row_id",
    )?
    .execute([])?;
    conn.prepare_cached("DELETE FROM temp.fts_old")?.execute([])?;
    conn.prepare_cached("DELETE FROM temp.fts_pending")?.execute([])?;
    Ok(())
}

/// Forgets every note (the index is being rebuilt from scratch).
pub(crate) fn forget(conn: &Connection) -> Result<(), LedgerError> {
    conn.execute_batch("DELETE FROM temp.fts_old; DELETE FROM temp.fts_pending;")?;
    Ok(())
}
