//! A textual dump of the derived tables, for checking that two ledgers agree.

use crate::Ledger;
use crate::error::LedgerError;
use rusqlite::types::ValueRef;

/// Each derived table with its columns (all but local row numbers) and natural order.
const DUMPS: &[(&str, &str)] = &[
    ("visits", "SELECT * FROM visits ORDER BY visit_id"),
    ("visit_closures", "SELECT * FROM visit_closures ORDER BY event_id"),
    ("visit_checklists", "SELECT * FROM visit_checklists ORDER BY event_id, position"),
    ("item_titles", "SELECT * FROM item_titles ORDER BY plugin_id, checklist_id, item_id, zh, en"),
    ("finding_versions", "SELECT * FROM finding_versions ORDER BY finding_id, event_id"),
    (
        "findings",
        "SELECT finding_id, event_id, visit_id, device, claimed_time, plugin_id, plugin_version, checklist_id,
                item_id, result, count, points, points_by_hand, subject, note, observed_at, unit, department,
                status, versions, conflict FROM findings ORDER BY finding_id",
    ),
    (
        "findings_fts",
        "SELECT f.finding_id, x.note, x.subject, x.unit FROM findings_fts x JOIN findings f ON f.row_id = x.rowid
         ORDER BY f.finding_id",
    ),
    ("evidence", "SELECT * FROM evidence ORDER BY event_id"),
    ("reviews", "SELECT * FROM reviews ORDER BY event_id"),
    ("appraisals", "SELECT * FROM appraisals ORDER BY event_id"),
    ("unit_versions", "SELECT * FROM unit_versions ORDER BY event_id"),
    ("units", "SELECT * FROM units ORDER BY unit_id"),
    ("outcomes", "SELECT * FROM outcomes ORDER BY event_id"),
    ("office_deductions", "SELECT * FROM office_deductions ORDER BY event_id"),
    ("deduction_decisions", "SELECT * FROM deduction_decisions ORDER BY event_id"),
    ("devices", "SELECT * FROM devices ORDER BY device"),
    ("flags", "SELECT * FROM flags ORDER BY kind, device, seq, event_id, other"),
];

impl Ledger {
    /// Every derived table's rows in a fixed order, one line per row. Two
    /// ledgers holding the same events give the same text, whatever order
    /// the events arrived in.
    pub fn derived_dump(&self) -> Result<String, LedgerError> {
        let mut out = String::new();
        for (table, sql) in DUMPS {
            out.push_str(&format!("## {table}\n"));
            dump_query(&self.conn, sql, &mut out)?;
        }
        Ok(out)
    }

    /// Every event id and blob hash in the ledger, sorted, one per line.
    pub fn content_dump(&self) -> Result<String, LedgerError> {
        let mut out = String::from("## events\n");
        dump_query(
            &self.conn,
            "SELECT id, device, seq FROM events ORDER BY id",
            &mut out,
        )?;
        out.push_str("## blobs\n");
        dump_query(
            &self.conn,
            "SELECT sha256, size FROM blobs ORDER BY sha256",
            &mut out,
        )?;
        Ok(out)
    }

    /// How many events the ledger holds.
    pub fn event_count(&self) -> Result<u64, LedgerError> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM events", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

pub(crate) fn dump_query(
    conn: &rusqlite::Connection,
    sql: &str,
    out: &mut String,
) -> Result<(), LedgerError> {
    let mut stmt = conn.prepare(sql)?;
    let columns = stmt.column_count();
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        for i in 0..columns {
            if i > 0 {
                out.push('\t');
            }
            match row.get_ref(i)? {
                ValueRef::Null => out.push_str("NULL"),
                ValueRef::Integer(n) => out.push_str(&n.to_string()),
                ValueRef::Real(x) => out.push_str(&x.to_string()),
                ValueRef::Text(t) => {
                    out.push_str(&String::from_utf8_lossy(t).escape_debug().to_string())
                }
                ValueRef::Blob(b) => out.push_str(&hex::encode(b)),
            }
        }
        out.push('\n');
    }
    Ok(())
}
