//! The indexes the review window and the scores add to the derived tables,
//! and the planner statistics that make SQLite choose among them well.

use crate::error::LedgerError;
use rusqlite::{Connection, OptionalExtension, params_from_iter};

/// Indexes the review window and the scores need beyond those the derived
/// tables are created with. Created on first use (and again after a
/// rebuild, which drops them with their tables). Only violations are
/// reviewed and scored, so most are partial.
const REVIEW_INDEXES: &str = "
CREATE INDEX IF NOT EXISTS findings_by_count ON findings(count, observed_at, finding_id)
    WHERE result = 'violation';
CREATE INDEX IF NOT EXISTS findings_by_points ON findings(points, observed_at, finding_id)
    WHERE result = 'violation';
CREATE INDEX IF NOT EXISTS findings_by_checklist ON findings(checklist_id, observed_at, finding_id);
CREATE INDEX IF NOT EXISTS findings_by_visit_time ON findings(visit_id, observed_at, finding_id);
CREATE INDEX IF NOT EXISTS findings_tally
    ON findings(unit, department, plugin_id, checklist_id, item_id, status, observed_at, count, points)
    WHERE result = 'violation';
CREATE INDEX IF NOT EXISTS visits_by_lead ON visits(lead, visit_id);
CREATE INDEX IF NOT EXISTS reviews_deadlines
    ON reviews(finding_id, claimed_time, event_id, json_extract(detail, '$.deadline'))
    WHERE decision = 'require_rectification';
CREATE INDEX IF NOT EXISTS reviews_chosen_points ON reviews(finding_id)
    WHERE decision = 'confirm' AND detail <> '{\"decision\":\"confirm\"}';
";

/// The names [`REVIEW_INDEXES`] creates, to tell cheaply whether they exist.
const REVIEW_INDEX_NAMES: &[&str] = &[
    "findings_by_count",
    "findings_by_points",
    "findings_by_checklist",
    "findings_by_visit_time",
    "findings_tally",
    "visits_by_lead",
    "reviews_deadlines",
    "reviews_chosen_points",
];

/// Statistics for the query planner, from a sample of each index: without
/// them SQLite cannot tell that one unit holds a thousandth of the findings
/// and one status a third, and walks the wrong index.
const PLANNER_STATISTICS: &str =
    "PRAGMA analysis_limit = 1000; ANALYZE findings; ANALYZE visits; ANALYZE reviews;";

/// Creates the review indexes when any is missing, and refreshes the
/// planner statistics when the findings have grown well past the sample.
pub(crate) fn ensure_indexes(conn: &Connection) -> Result<(), LedgerError> {
    let have: i64 = conn.query_row(
        &format!(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN ({})",
            vec!["?"; REVIEW_INDEX_NAMES.len()].join(", ")
        ),
        params_from_iter(REVIEW_INDEX_NAMES.iter()),
        |r| r.get(0),
    )?;
    if usize::try_from(have).unwrap_or(0) < REVIEW_INDEX_NAMES.len() {
        conn.execute_batch(&format!("BEGIN IMMEDIATE; {REVIEW_INDEXES} COMMIT;"))?;
    }
    // Statistics are taken again when the findings have more than doubled since.
    let has_stats: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1')",
        [],
        |r| r.get(0),
    )?;
    let sampled: i64 = if has_stats {
        let stat: Option<String> = conn
            .query_row(
                "SELECT stat FROM sqlite_stat1 WHERE tbl = 'findings' AND idx = 'findings_observed'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        stat.and_then(|s| s.split(' ').next().and_then(|n| n.parse().ok()))
            .unwrap_or(0)
    } else {
        0
    };
    let now: i64 = conn.query_row("SELECT coalesce(max(row_id), 0) FROM findings", [], |r| {
        r.get(0)
    })?;
    if now > 2 * sampled + 1000 {
        conn.execute_batch(PLANNER_STATISTICS)?;
    }
    Ok(())
}
