//! Turning valid rows into events: one visit per reporter (or team), unit
//! and visit kind within the file, opened at its earliest finding, holding
//! those findings, and closed at its latest.

use super::validate::ValidRow;
use anfang_core::event::{EventBody, VisitClosed, VisitOpened};
use anfang_core::finding::{FindingRecord, ImportSource};
use anfang_core::manifest::ChecklistSnapshot;
use anfang_core::visit::{Unit, VisitKind};
use uuid::Uuid;

/// The events an import appends, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Visit opened, its findings, visit closed; visit after visit.
    pub events: Vec<EventBody>,
    /// Visits opened.
    pub visits: u64,
    /// Findings recorded.
    pub findings: u64,
}

struct Group<'a> {
    team: &'a [String],
    unit: &'a Unit,
    kind: VisitKind,
    rows: Vec<&'a ValidRow>,
}

/// Plans the events for `rows` from the file with this SHA-256.
pub fn plan(rows: &[ValidRow], file_sha256: &str) -> Plan {
    let mut groups: Vec<Group<'_>> = Vec::new();
    for row in rows {
        match groups
            .iter_mut()
            .find(|g| g.team == row.team.as_slice() && g.unit == &row.unit && g.kind == row.kind)
        {
            Some(group) => group.rows.push(row),
            None => groups.push(Group {
                team: &row.team,
                unit: &row.unit,
                kind: row.kind,
                rows: vec![row],
            }),
        }
    }
    let mut events = Vec::with_capacity(rows.len() + 2 * groups.len());
    for group in &groups {
        let visit_id = Uuid::now_v7();
        let mut checklists: Vec<ChecklistSnapshot> = Vec::new();
        for row in &group.rows {
            let snapshot = &row.item.checklist;
            if !checklists.iter().any(|c| {
                c.plugin_id == snapshot.plugin_id && c.checklist.id == snapshot.checklist.id
            }) {
                checklists.push(snapshot.clone());
            }
        }
        let started_at = group
            .rows
            .iter()
            .map(|r| r.observed_at)
            .min()
            .unwrap_or_default();
        let closed_at = group
            .rows
            .iter()
            .map(|r| r.observed_at)
            .max()
            .unwrap_or_default();
        events.push(EventBody::VisitOpened(VisitOpened {
            visit_id,
            unit: group.unit.clone(),
            kind: group.kind,
            team: group.team.to_vec(),
            started_at,
            checklists,
        }));
        for row in &group.rows {
            events.push(EventBody::FindingRecorded(FindingRecord {
                finding_id: Uuid::now_v7(),
                visit_id,
                item: row.item.checklist.item_ref(&row.item.item),
                result: row.result,
                input: row.input.clone(),
                subject: row.subject.clone(),
                note: row.note.clone(),
                observed_at: row.observed_at,
                points: row.points,
                points_by_hand: false,
                supersedes: None,
                source: Some(ImportSource {
                    file_sha256: file_sha256.to_owned(),
                    row: row.row,
                    reporter: Some(row.reporter()),
                }),
            }));
        }
        events.push(EventBody::VisitClosed(VisitClosed {
            visit_id,
            closed_at,
        }));
    }
    Plan {
        events,
        visits: groups.len() as u64,
        findings: rows.len() as u64,
    }
}
