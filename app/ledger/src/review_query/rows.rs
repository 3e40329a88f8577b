//! Turning the rows a page query found into review rows: their item labels
//! from the visit's checklist snapshot, their review decisions, their
//! evidence.

use super::{ReviewRow, RowKey, damaged};
use crate::canonical::parse_time;
use crate::error::LedgerError;
use anfang_core::Points;
use anfang_core::label::Label;
use anfang_core::manifest::ChecklistSnapshot;
use anfang_core::review::ReviewStatus;
use anfang_core::review::{DatedDecision, Decision};
use anfang_core::review_state::ReviewState;
use rusqlite::{Connection, OptionalExtension};
use std::collections::HashMap;
use uuid::Uuid;

/// Checklist snapshots already parsed while building one page.
#[derive(Default)]
pub(super) struct LabelCache {
    snapshots: HashMap<(String, String, String), Option<ChecklistSnapshot>>,
}

impl LabelCache {
    pub(super) fn snapshot(
        &mut self,
        conn: &Connection,
        visit_id: &str,
        plugin_id: &str,
        plugin_version: &str,
        checklist_id: &str,
    ) -> Result<Option<&ChecklistSnapshot>, LedgerError> {
        let key = (
            plugin_id.to_string(),
            plugin_version.to_string(),
            checklist_id.to_string(),
        );
        if !self.snapshots.contains_key(&key) {
            let text: Option<String> = conn
                .prepare_cached(
                    "SELECT snapshot FROM visit_checklist_snapshots
                      WHERE visit_id = ?1 AND plugin_id = ?2 AND checklist_id = ?3
                      ORDER BY claimed_time, event_id, position LIMIT 1",
                )?
                .query_row([visit_id, plugin_id, checklist_id], |r| r.get(0))
                .optional()?;
            let parsed = text
                .map(|t| {
                    serde_json::from_str::<ChecklistSnapshot>(&t)
                        .map_err(|_| damaged("checklist snapshot", visit_id))
                })
                .transpose()?;
            self.snapshots.insert(key.clone(), parsed);
        }
        Ok(self.snapshots.get(&key).and_then(Option::as_ref))
    }
}

/// The rows of a page, by row id: one query for the rows, one for the
/// decisions of those already decided.
fn rows_select() -> String {
    format!(
        "SELECT f.row_id, f.finding_id, f.event_id, f.visit_id, f.observed_at, f.unit, f.department,
            f.plugin_id, f.plugin_version, f.checklist_id, f.item_id, f.count, f.points, f.status,
            f.subject, substr(f.note, 1, 200), f.versions, f.conflict, v.lead, {}
       FROM findings f LEFT JOIN visits v ON v.visit_id = f.visit_id
      WHERE f.row_id IN (SELECT value FROM json_each(?1))",
        super::mapped::MAPPED_NAME
    )
}

pub(super) const DECISIONS_SELECT: &str =
    "SELECT finding_id, event_id, claimed_time, detail FROM reviews
  WHERE counts AND finding_id IN (SELECT value FROM json_each(?1))";

/// The columns of [`rows_select`].
pub(super) struct RowColumns {
    finding_id: String,
    event_id: String,
    visit_id: String,
    observed_at: String,
    unit: Option<String>,
    department: Option<String>,
    plugin_id: String,
    plugin_version: String,
    checklist_id: String,
    item_id: String,
    count: i64,
    points: i64,
    status: String,
    subject: Option<String>,
    note: String,
    versions: i64,
    conflict: bool,
    lead: Option<String>,
    mapped_unit: Option<String>,
}

pub(super) fn json_list<T: serde::Serialize>(values: &[T]) -> Result<String, LedgerError> {
    serde_json::to_string(values).map_err(|e| LedgerError::Encode(e.to_string()))
}

/// The rows with these row ids, in the order given (missing ones left out).
pub(super) fn load_rows(
    conn: &Connection,
    found: Vec<(i64, RowKey)>,
    labels: &mut LabelCache,
) -> Result<Vec<ReviewRow>, LedgerError> {
    let ids: Vec<i64> = found.iter().map(|(id, _)| *id).collect();
    let mut columns: HashMap<i64, RowColumns> = HashMap::with_capacity(ids.len());
    let mut stmt = conn.prepare_cached(&rows_select())?;
    let mut rows = stmt.query([json_list(&ids)?])?;
    while let Some(r) = rows.next()? {
        columns.insert(
            r.get(0)?,
            RowColumns {
                finding_id: r.get(1)?,
                event_id: r.get(2)?,
                visit_id: r.get(3)?,
                observed_at: r.get(4)?,
                unit: r.get(5)?,
                department: r.get(6)?,
                plugin_id: r.get(7)?,
                plugin_version: r.get(8)?,
                checklist_id: r.get(9)?,
                item_id: r.get(10)?,
                count: r.get(11)?,
                points: r.get(12)?,
                status: r.get(13)?,
                subject: r.get(14)?,
                note: r.get(15)?,
                versions: r.get(16)?,
                conflict: r.get(17)?,
                lead: r.get(18)?,
                mapped_unit: r.get(19)?,
            },
        );
    }
    drop(rows);
    // Pending means no decision has been made: only the others are read.
    let decided: Vec<&str> = columns
        .values()
        .filter(|c| c.status != ReviewStatus::Pending.as_str())
        .map(|c| c.finding_id.as_str())
        .collect();
    let mut decisions: HashMap<String, Vec<DatedDecision>> = HashMap::new();
    if !decided.is_empty() {
        let mut stmt = conn.prepare_cached(DECISIONS_SELECT)?;
        let mut rows = stmt.query([json_list(&decided)?])?;
        while let Some(r) = rows.next()? {
            let (finding_id, event_id, time, detail): (String, String, String, String) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            let claimed_time = parse_time(&time).ok_or_else(|| damaged("time", &time))?;
            let decision: Decision =
                serde_json::from_str(&detail).map_err(|_| damaged("decision", &event_id))?;
            decisions
                .entry(finding_id)
                .or_default()
                .push(DatedDecision {
                    event_id,
                    claimed_time,
                    decision,
                });
        }
    }
    let mut out = Vec::with_capacity(found.len());
    for (row_id, key) in found {
        if let Some(c) = columns.remove(&row_id) {
            let status = ReviewStatus::parse(&c.status).unwrap_or(ReviewStatus::Pending);
            let state = ReviewState::of(
                status,
                decisions.get(&c.finding_id).map_or(&[][..], Vec::as_slice),
            );
            out.push(build_row(conn, c, state, key, labels)?);
        }
    }
    Ok(out)
}

pub(super) fn load_row(
    conn: &Connection,
    row_id: i64,
    key: RowKey,
    labels: &mut LabelCache,
) -> Result<Option<ReviewRow>, LedgerError> {
    Ok(load_rows(conn, vec![(row_id, key)], labels)?.pop())
}

pub(super) fn build_row(
    conn: &Connection,
    c: RowColumns,
    state: ReviewState,
    key: RowKey,
    labels: &mut LabelCache,
) -> Result<ReviewRow, LedgerError> {
    let snapshot = labels.snapshot(
        conn,
        &c.visit_id,
        &c.plugin_id,
        &c.plugin_version,
        &c.checklist_id,
    )?;
    let item = snapshot.and_then(|s| s.item(&c.item_id));
    let count = u32::try_from(c.count).unwrap_or(0);
    let recorded_points = Points::from_hundredths(c.points);
    Ok(ReviewRow {
        finding_id: Uuid::parse_str(&c.finding_id)
            .map_err(|_| damaged("finding id", &c.finding_id))?,
        visit_id: Uuid::parse_str(&c.visit_id).map_err(|_| damaged("visit id", &c.visit_id))?,
        observed_at: parse_time(&c.observed_at).ok_or_else(|| damaged("time", &c.observed_at))?,
        item: item.map_or_else(
            || Label::new(c.item_id.clone(), c.item_id.clone()),
            |i| i.label.clone(),
        ),
        checklist: snapshot.map_or_else(
            || Label::new(c.checklist_id.clone(), c.checklist_id.clone()),
            |s| s.checklist.label.clone(),
        ),
        rule: item.map(|i| i.rule.clone()),
        event_id: c.event_id,
        unit_typed: typed_when_mapped(c.unit.as_deref(), c.mapped_unit.as_deref()),
        unit: c.mapped_unit.or(c.unit).unwrap_or_default(),
        department: c.department.unwrap_or_default(),
        plugin_id: c.plugin_id,
        checklist_id: c.checklist_id,
        item_id: c.item_id,
        count,
        points: state.points(recorded_points, count),
        recorded_points,
        inspector: c.lead.unwrap_or_default(),
        state,
        subject: c.subject,
        note: c.note,
        versions: u32::try_from(c.versions).unwrap_or(1),
        conflict: c.conflict,
        key,
    })
}

/// The name as typed, when the office mapped it to a unit of another name.
pub(super) fn typed_when_mapped(typed: Option<&str>, mapped: Option<&str>) -> Option<String> {
    match (typed, mapped) {
        (Some(typed), Some(mapped)) if typed != mapped => Some(typed.to_string()),
        _ => None,
    }
}
