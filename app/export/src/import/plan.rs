//! Turning valid rows into events: one visit per reporter (or team), unit
//! and visit kind within the file, opened at its earliest finding, holding
//! those findings, and closed at its latest.
//!
//! [`Visits`] gathers the visits while rows stream by (a few per unit and
//! reporter, however many rows), so a million rows are never held; the
//! findings' events are made one at a time with [`finding_event`].

use super::ids;
use super::validate::ValidRow;
use anfang_core::event::{EventBody, VisitClosed, VisitOpened};
use anfang_core::finding::{FindingRecord, ImportSource};
use anfang_core::manifest::ChecklistSnapshot;
use anfang_core::visit::{Unit, VisitKind};
use jiff::Timestamp;
use std::collections::HashMap;
use uuid::Uuid;

/// The events an import appends, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Visits opened, the findings, visits closed.
    pub events: Vec<EventBody>,
    /// Visits opened.
    pub visits: u64,
    /// Findings recorded.
    pub findings: u64,
}

/// One visit an import opens.
#[derive(Debug, Clone)]
struct Visit {
    visit_id: Uuid,
    team: Vec<String>,
    unit: Unit,
    kind: VisitKind,
    started_at: Timestamp,
    closed_at: Timestamp,
    checklists: Vec<ChecklistSnapshot>,
}

/// The visits of one file's rows, in the order they first appear.
#[derive(Debug, Clone, Default)]
pub struct Visits {
    visits: Vec<Visit>,
    index: HashMap<(Vec<String>, Unit, VisitKind), usize>,
}

impl Visits {
    /// Counts `row` in its visit; returns the visit's id.
    pub fn add(&mut self, row: &ValidRow, file_sha256: &str) -> Uuid {
        let key = (row.team.clone(), row.unit.clone(), row.kind);
        let at = row.observed_at;
        let visit = match self.index.get(&key) {
            Some(&i) => &mut self.visits[i],
            None => {
                self.index.insert(key, self.visits.len());
                self.visits.push(Visit {
                    visit_id: ids::visit_id(file_sha256, &row.team, &row.unit, row.kind),
                    team: row.team.clone(),
                    unit: row.unit.clone(),
                    kind: row.kind,
                    started_at: at,
                    closed_at: at,
                    checklists: Vec::new(),
                });
                let last = self.visits.len() - 1;
                &mut self.visits[last]
            }
        };
        visit.started_at = visit.started_at.min(at);
        visit.closed_at = visit.closed_at.max(at);
        let snapshot = &row.item.checklist;
        if !visit
            .checklists
            .iter()
            .any(|c| c.plugin_id == snapshot.plugin_id && c.checklist.id == snapshot.checklist.id)
        {
            visit.checklists.push(snapshot.clone());
        }
        visit.visit_id
    }

    /// The visit `row` belongs to, once it was added.
    pub fn visit_of(&self, row: &ValidRow) -> Option<Uuid> {
        self.index
            .get(&(row.team.clone(), row.unit.clone(), row.kind))
            .map(|&i| self.visits[i].visit_id)
    }

    /// How many visits.
    pub fn len(&self) -> u64 {
        self.visits.len() as u64
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.visits.is_empty()
    }

    /// The `visit_opened` events.
    pub fn opened(&self) -> impl Iterator<Item = EventBody> + '_ {
        self.visits.iter().map(|v| {
            EventBody::VisitOpened(VisitOpened {
                rechecks: None,
                unit_id: None,
                visit_id: v.visit_id,
                unit: v.unit.clone(),
                kind: v.kind,
                team: v.team.clone(),
                started_at: v.started_at,
                checklists: v.checklists.clone(),
            })
        })
    }

    /// The `visit_closed` events.
    pub fn closed(&self) -> impl Iterator<Item = EventBody> + '_ {
        self.visits.iter().map(|v| {
            EventBody::VisitClosed(VisitClosed {
                visit_id: v.visit_id,
                closed_at: v.closed_at,
            })
        })
    }
}

/// The `finding_recorded` event of one row in the visit `visit_id`.
pub fn finding_event(row: &ValidRow, visit_id: Uuid, file_sha256: &str) -> EventBody {
    EventBody::FindingRecorded(FindingRecord {
        finding_id: row.id(),
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
    })
}

/// Plans the events for `rows` from the file with this SHA-256, all at once
/// (small imports and tests; [`import_file`](super::import_file) streams).
pub fn plan(rows: &[ValidRow], file_sha256: &str) -> Plan {
    let mut visits = Visits::default();
    let ids: Vec<Uuid> = rows.iter().map(|r| visits.add(r, file_sha256)).collect();
    let mut events: Vec<EventBody> = visits.opened().collect();
    events.extend(
        rows.iter()
            .zip(ids)
            .map(|(row, visit_id)| finding_event(row, visit_id, file_sha256)),
    );
    events.extend(visits.closed());
    Plan {
        events,
        visits: visits.len(),
        findings: rows.len() as u64,
    }
}
