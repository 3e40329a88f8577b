//! The plain list of findings `anfang review list` prints.

use crate::Ledger;
use crate::error::LedgerError;
use anfang_core::review::ReviewStatus;

/// One violation with its status and who recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedFinding {
    /// The finding.
    pub finding_id: String,
    /// The unit.
    pub unit: String,
    /// Its department.
    pub department: String,
    /// The item.
    pub item_id: String,
    /// Points as recorded, in hundredths.
    pub points: i64,
    /// Where it stands.
    pub status: String,
    /// The recording device.
    pub device: String,
    /// The visit's lead inspector, as typed.
    pub lead: String,
    /// When it was observed.
    pub observed_at: String,
    /// The deadline of its latest rectification order, if any.
    pub deadline: Option<jiff::civil::Date>,
}

impl Ledger {
    /// Violations, newest first, optionally of one status, one unit, and
    /// with a counting accountability outcome of one kind.
    pub fn review_list(
        &self,
        status: Option<ReviewStatus>,
        unit: Option<&str>,
        outcome: Option<anfang_core::outcome::OutcomeKind>,
    ) -> Result<Vec<ListedFinding>, LedgerError> {
        let sql = format!(
            "SELECT f.finding_id, coalesce(f.unit, ''), coalesce(f.department, ''), f.item_id, f.points,
                    f.status, f.device, coalesce(v.lead, ''), f.observed_at, {}
               FROM findings f LEFT JOIN visits v ON v.visit_id = f.visit_id
              WHERE f.result = 'violation' AND (?1 IS NULL OR f.status = ?1)
                AND (?2 IS NULL OR f.unit = ?2)
                AND (?3 IS NULL OR f.finding_id IN
                     (SELECT finding_id FROM outcomes WHERE counts AND kind = ?3))
              ORDER BY f.observed_at DESC, f.finding_id",
            super::filter_sql::DEADLINE
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            rusqlite::params![
                status.map(ReviewStatus::as_str),
                unit,
                outcome.map(|k| k.as_str())
            ],
            |r| {
                Ok(ListedFinding {
                    finding_id: r.get(0)?,
                    unit: r.get(1)?,
                    department: r.get(2)?,
                    item_id: r.get(3)?,
                    points: r.get(4)?,
                    status: r.get(5)?,
                    device: r.get(6)?,
                    lead: r.get(7)?,
                    observed_at: r.get(8)?,
                    deadline: r.get::<_, Option<String>>(9)?.and_then(|d| d.parse().ok()),
                })
            },
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
