//! The plain list of findings `anfang review list` prints.

use crate::Ledger;
use crate::error::LedgerError;
use anfang_core::review::ReviewStatus;

/// One violation with its status and who recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedFinding {
    /// The finding.
    pub finding_id: String,
    /// The unit: the registered unit's name when the office mapped the
    /// name typed on the visit.
    pub unit: String,
    /// The unit's name as typed on the visit, when the office mapped it to
    /// a registered unit of another name.
    pub unit_typed: Option<String>,
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
        // Any name of the unit finds it, and findings recorded under a
        // name the office mapped to it.
        let names = unit
            .map(|u| super::mapped::names_meaning(&self.conn, u))
            .transpose()?;
        let sql = format!(
            "SELECT f.finding_id, coalesce(f.unit, ''), coalesce(f.department, ''), f.item_id, f.points,
                    f.status, f.device, coalesce(v.lead, ''), f.observed_at, {}, {}
               FROM findings f LEFT JOIN visits v ON v.visit_id = f.visit_id
              WHERE f.result = 'violation' AND (?1 IS NULL OR f.status = ?1)
                AND (?2 IS NULL OR f.unit IN (SELECT value FROM json_each(?2)))
                AND (?3 IS NULL OR f.finding_id IN
                     (SELECT finding_id FROM outcomes WHERE counts AND kind = ?3))
              ORDER BY f.observed_at DESC, f.finding_id",
            super::filter_sql::DEADLINE,
            super::mapped::MAPPED_NAME
        );
        let names = names.map(|n| super::rows::json_list(&n)).transpose()?;
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            rusqlite::params![
                status.map(ReviewStatus::as_str),
                names,
                outcome.map(|k| k.as_str())
            ],
            |r| {
                let typed: String = r.get(1)?;
                let mapped: Option<String> = r.get(10)?;
                Ok(ListedFinding {
                    finding_id: r.get(0)?,
                    unit_typed: super::rows::typed_when_mapped(Some(&typed), mapped.as_deref()),
                    unit: mapped.unwrap_or(typed),
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
