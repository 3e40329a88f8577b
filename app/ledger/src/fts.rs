//! Keeping `findings_fts` in step with `findings`, in one batch per transaction.
//!
//! FTS5 buffers new terms in memory and writes them out at every statement
//! savepoint; updating it row by row (as triggers do) flushes after every
//! finding. Instead, a batch notes the highest `findings.row_id` when it
//! begins (rows above it are new and indexed wholesale at the end) and, for
//! older rows that change, their indexed values in temporary tables; [`flush`]
//! then updates the index in three statements. The temporary tables share
//! the transaction, so a rollback forgets the notes with the changes.

use crate::error::LedgerError;
use rusqlite::Connection;

/// Creates this connection's temporary bookkeeping tables.
pub(crate) fn prepare(conn: &Connection) -> Result<(), LedgerError> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS fts_mark (watermark INTEGER NOT NULL);
         CREATE TEMP TABLE IF NOT EXISTS fts_pending (row_id INTEGER PRIMARY KEY);
         CREATE TEMP TABLE IF NOT EXISTS fts_old (row_id INTEGER PRIMARY KEY, note TEXT, subject TEXT, unit TEXT);",
    )?;
    Ok(())
}

/// Starts a batch: rows added from now on are indexed by [`flush`].
pub(crate) fn begin(conn: &Connection) -> Result<(), LedgerError> {
    conn.prepare_cached("DELETE FROM temp.fts_old")?
        .execute([])?;
    conn.prepare_cached("DELETE FROM temp.fts_pending")?
        .execute([])?;
    conn.prepare_cached("DELETE FROM temp.fts_mark")?
        .execute([])?;
    conn.prepare_cached("INSERT INTO temp.fts_mark SELECT coalesce(max(row_id), 0) FROM findings")?
        .execute([])?;
    Ok(())
}

/// Notes the indexed values of the findings matching `condition` (on
/// `findings`, with `?1`.. bound to `params`) before they change. Rows added
/// in this batch are not indexed yet and need no note.
pub(crate) fn before_change(
    conn: &Connection,
    condition: &str,
    params: impl rusqlite::Params + Clone,
) -> Result<(), LedgerError> {
    let indexed = "row_id <= (SELECT watermark FROM temp.fts_mark)";
    conn.prepare_cached(&format!(
        "INSERT OR IGNORE INTO temp.fts_old (row_id, note, subject, unit)
         SELECT row_id, note, subject, unit FROM findings
         WHERE {condition} AND {indexed} AND row_id NOT IN (SELECT row_id FROM temp.fts_pending)"
    ))?
    .execute(params.clone())?;
    conn.prepare_cached(&format!(
        "INSERT OR IGNORE INTO temp.fts_pending (row_id) SELECT row_id FROM findings WHERE {condition} AND {indexed}"
    ))?
    .execute(params)?;
    Ok(())
}

/// Removes the old terms and indexes new and changed rows as they are now.
pub(crate) fn flush(conn: &Connection) -> Result<(), LedgerError> {
    conn.prepare_cached(
        "INSERT INTO findings_fts (findings_fts, rowid, note, subject, unit)
         SELECT 'delete', row_id, note, subject, unit FROM temp.fts_old",
    )?
    .execute([])?;
    conn.prepare_cached(
        "INSERT INTO findings_fts (rowid, note, subject, unit)
         SELECT row_id, note, subject, unit FROM findings
          WHERE row_id > (SELECT watermark FROM temp.fts_mark)
             OR row_id IN (SELECT row_id FROM temp.fts_pending)",
    )?
    .execute([])?;
    begin(conn)
}
