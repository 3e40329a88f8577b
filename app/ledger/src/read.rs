//! Reading for the inspector screens, from the derived tables.

use crate::Ledger;
use crate::canonical::{format_time, parse_time};
use crate::derive::decisions_of;
use crate::error::LedgerError;
use crate::names;
use crate::types::{CurrentFinding, FindingHistory, HomeKey, VisitDetail, VisitSummary};
use anfang_core::Points;
use anfang_core::event::EventBody;
use anfang_core::finding::{EvidenceRecord, FindingRecord};
use anfang_core::manifest::ChecklistSnapshot;
use anfang_core::review::{ReviewRecord, ReviewStatus};
use anfang_core::visit::Unit;
use rusqlite::{Connection, OptionalExtension, Row};
use uuid::Uuid;

const SUMMARY_SELECT: &str = "SELECT v.visit_id, v.unit, v.department, v.kind, v.team, v.started_at, v.closed_at, v.device,
       (SELECT count(*) FROM findings f WHERE f.visit_id = v.visit_id AND f.result = 'violation'),
       (SELECT coalesce(sum(f.points), 0) FROM findings f WHERE f.visit_id = v.visit_id AND f.result = 'violation')
  FROM visits v";

/// Home's order: unfinished visits first, each part newest first (the
/// `visits_home` index).
const HOME_ORDER: &str =
    "ORDER BY (v.closed_at IS NOT NULL), v.started_at DESC, v.visit_id DESC LIMIT ?1";

impl Ledger {
    /// Unfinished visits first (newest first), then closed ones (newest first), at most `limit`.
    pub fn home_visits(&self, limit: usize) -> Result<Vec<VisitSummary>, LedgerError> {
        let sql = format!("{SUMMARY_SELECT} {HOME_ORDER}");
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([limit], summary_columns)?;
        rows.map(|row| summary_from(row?)).collect()
    }

    /// The next page of [`Ledger::home_visits`]: at most `limit` visits that
    /// come after `after` in its order, read from the index where the last
    /// page ended rather than by counting the rows before it.
    pub fn home_visits_after(
        &self,
        after: HomeKey,
        limit: usize,
    ) -> Result<Vec<VisitSummary>, LedgerError> {
        // Two index ranges, each a seek: the rest of the part `after` is in
        // (unfinished or closed), then, after an unfinished visit, the
        // closed ones from the newest.
        let sql = format!(
            "SELECT * FROM (
               SELECT * FROM ({SUMMARY_SELECT}
                 WHERE (v.closed_at IS NOT NULL) = ?2 AND (v.started_at, v.visit_id) < (?3, ?4)
                 ORDER BY v.started_at DESC, v.visit_id DESC LIMIT ?1)
               UNION ALL
               SELECT * FROM ({SUMMARY_SELECT}
                 WHERE ?2 = 0 AND (v.closed_at IS NOT NULL) = 1
                 ORDER BY v.started_at DESC, v.visit_id DESC LIMIT ?1))
             ORDER BY closed_at IS NOT NULL, started_at DESC, visit_id DESC LIMIT ?1"
        );
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            rusqlite::params![
                limit,
                after.closed,
                format_time(after.started_at),
                after.visit_id.to_string()
            ],
            summary_columns,
        )?;
        rows.map(|row| summary_from(row?)).collect()
    }

    /// Every visit started in `[from, until)` (an end left open when
    /// `None`), with findings or not, oldest first: what a year's summary
    /// counts as visits made.
    pub fn visits_started(
        &self,
        from: Option<jiff::Timestamp>,
        until: Option<jiff::Timestamp>,
    ) -> Result<Vec<VisitSummary>, LedgerError> {
        let sql = format!(
            "{SUMMARY_SELECT} WHERE (?1 IS NULL OR v.started_at >= ?1) AND (?2 IS NULL OR v.started_at < ?2)
             ORDER BY v.started_at, v.visit_id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            rusqlite::params![from.map(format_time), until.map(format_time)],
            summary_columns,
        )?;
        rows.map(|row| summary_from(row?)).collect()
    }

    /// One visit with its checklists and the current version of each finding.
    pub fn visit(&self, visit_id: Uuid) -> Result<Option<VisitDetail>, LedgerError> {
        let id = visit_id.to_string();
        let sql = format!("{SUMMARY_SELECT} WHERE v.visit_id = ?1");
        let Some(columns) = self
            .conn
            .prepare_cached(&sql)?
            .query_row([&id], summary_columns)
            .optional()?
        else {
            return Ok(None);
        };
        let summary = summary_from(columns)?;
        let snapshots: Vec<String> = self
            .conn
            .prepare_cached(
                "SELECT snapshot FROM visit_checklist_snapshots WHERE visit_id = ?1 ORDER BY claimed_time, event_id, position",
            )?
            .query_map([&id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let checklists = snapshots
            .iter()
            .map(|s| {
                serde_json::from_str::<ChecklistSnapshot>(s)
                    .map_err(|e| LedgerError::Damaged(format!("checklist of visit {id}: {e}")))
            })
            .collect::<Result<_, _>>()?;
        let rows: Vec<FindingRow> = self
            .conn
            .prepare_cached(
                "SELECT f.event_id, f.device, f.claimed_time, e.body, f.status, f.versions, f.conflict
                   FROM findings f JOIN events e ON e.id = f.event_id
                  WHERE f.visit_id = ?1 ORDER BY f.observed_at, f.finding_id",
            )?
            .query_map([&id], finding_row)?
            .collect::<Result<_, _>>()?;
        let findings = rows
            .into_iter()
            .map(|row| current_finding(&self.conn, row))
            .collect::<Result<_, _>>()?;
        Ok(Some(VisitDetail {
            summary,
            checklists,
            findings,
        }))
    }

    /// Every version of a finding (oldest first) and every review decision on it.
    pub fn finding_history(&self, finding_id: Uuid) -> Result<FindingHistory, LedgerError> {
        let fid = finding_id.to_string();
        let (status, versions, conflict): (String, i64, bool) = self
            .conn
            .prepare_cached(
                "SELECT status, versions, conflict FROM findings WHERE finding_id = ?1",
            )?
            .query_row([&fid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?
            .unwrap_or_else(|| ("pending".into(), 0, false));
        let rows: Vec<FindingRow> = self
            .conn
            .prepare_cached(
                // A finding recorded once has no `finding_versions` rows:
                // its one version is its `findings` row.
                "SELECT v.event_id, v.device, v.claimed_time, e.body, ?2, ?3, ?4
                   FROM finding_versions v JOIN events e ON e.id = v.event_id
                  WHERE v.finding_id = ?1
                 UNION ALL
                 SELECT f.event_id, f.device, f.claimed_time, e.body, ?2, ?3, ?4
                   FROM findings f JOIN events e ON e.id = f.event_id
                  WHERE f.finding_id = ?1 AND f.versions = 1
                  ORDER BY 3, 1",
            )?
            .query_map(
                rusqlite::params![fid, status, versions, conflict],
                finding_row,
            )?
            .collect::<Result<_, _>>()?;
        let versions: Vec<crate::types::CurrentFinding> = rows
            .into_iter()
            .map(|row| current_finding(&self.conn, row))
            .collect::<Result<_, _>>()?;
        let dated = decisions_of(&self.conn, &fid)?;
        let mut decisions = Vec::with_capacity(dated.len());
        for decision in dated {
            let (device, body): (String, String) = self
                .conn
                .prepare_cached("SELECT device, body FROM events WHERE id = ?1")?
                .query_row([&decision.event_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            let record: ReviewRecord = serde_json::from_str(&body)
                .map_err(|e| LedgerError::Damaged(format!("review {}: {e}", decision.event_id)))?;
            decisions.push((record, decision, device));
        }
        let signers = versions
            .iter()
            .map(|v| v.device_id.clone())
            .chain(decisions.iter().map(|d| d.2.clone()))
            .map(|device| {
                let signer = self.authority.signer(&device);
                (device, signer)
            })
            .collect();
        let outcomes = self
            .outcomes_of(finding_id)?
            .into_iter()
            .filter(|o| o.counts)
            .map(|o| o.record)
            .collect();
        Ok(FindingHistory {
            versions,
            decisions,
            outcomes,
            signers,
        })
    }

    /// Units seen in the ledger (for choosing the unit of a new visit), by name.
    pub fn known_units(&self) -> Result<Vec<Unit>, LedgerError> {
        known_units(&self.conn)
    }

    /// The evidence attached to a finding, oldest first.
    pub fn evidence_of(&self, finding_id: Uuid) -> Result<Vec<EvidenceRecord>, LedgerError> {
        evidence_of(&self.conn, &finding_id.to_string())
    }
}

type SummaryColumns = (
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    i64,
    i64,
);

fn summary_columns(r: &Row<'_>) -> rusqlite::Result<SummaryColumns> {
    r.try_into()
}

fn damaged(what: &str, value: &str) -> LedgerError {
    LedgerError::Damaged(format!("bad {what} '{value}'"))
}

fn time(text: &str) -> Result<jiff::Timestamp, LedgerError> {
    parse_time(text).ok_or_else(|| damaged("time", text))
}

fn summary_from(c: SummaryColumns) -> Result<VisitSummary, LedgerError> {
    let (
        visit_id,
        unit,
        department,
        kind,
        team,
        started_at,
        closed_at,
        device_id,
        findings,
        points,
    ) = c;
    Ok(VisitSummary {
        visit_id: Uuid::parse_str(&visit_id).map_err(|_| damaged("visit id", &visit_id))?,
        unit: Unit {
            name: unit,
            department,
        },
        kind: names::parse_visit_kind(&kind).ok_or_else(|| damaged("visit kind", &kind))?,
        team: serde_json::from_str(&team).map_err(|_| damaged("team", &team))?,
        started_at: time(&started_at)?,
        closed_at: closed_at.as_deref().map(time).transpose()?,
        device_id,
        findings: u32::try_from(findings).unwrap_or(u32::MAX),
        points: Points::from_hundredths(points),
    })
}

/// event id, device, claimed time, body, status, versions, conflict.
type FindingRow = (String, String, String, String, String, i64, bool);

fn finding_row(r: &Row<'_>) -> rusqlite::Result<FindingRow> {
    r.try_into()
}

fn current_finding(conn: &Connection, row: FindingRow) -> Result<CurrentFinding, LedgerError> {
    let (event_id, device_id, claimed, body, status, versions, conflict) = row;
    let record: FindingRecord = match crate::event::parse_body("finding_recorded", &body) {
        Ok(EventBody::FindingRecorded(record)) => record,
        Ok(_) | Err(_) => return Err(damaged("finding event", &event_id)),
    };
    Ok(CurrentFinding {
        evidence: evidence_of(conn, &record.finding_id.to_string())?,
        event_id,
        device_id,
        claimed_time: time(&claimed)?,
        record,
        status: ReviewStatus::parse(&status).ok_or_else(|| damaged("status", &status))?,
        versions: u32::try_from(versions).unwrap_or(u32::MAX),
        conflict,
    })
}

fn evidence_of(conn: &Connection, finding_id: &str) -> Result<Vec<EvidenceRecord>, LedgerError> {
    let mut stmt = conn.prepare_cached(
        "SELECT finding_id, sha256, file_name, size FROM evidence WHERE finding_id = ?1 ORDER BY claimed_time, event_id",
    )?;
    let rows = stmt.query_map([finding_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (fid, sha256, file_name, size) = row?;
        out.push(EvidenceRecord {
            finding_id: Uuid::parse_str(&fid).map_err(|_| damaged("finding id", &fid))?,
            sha256,
            file_name,
            size: u64::try_from(size).unwrap_or(0),
        });
    }
    Ok(out)
}

/// Every unit visited, by name then department.
pub(crate) fn known_units(conn: &Connection) -> Result<Vec<Unit>, LedgerError> {
    let mut stmt = conn
        .prepare_cached("SELECT DISTINCT unit, department FROM visits ORDER BY unit, department")?;
    let units = stmt
        .query_map([], |r| {
            Ok(Unit {
                name: r.get(0)?,
                department: r.get(1)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(units)
}
