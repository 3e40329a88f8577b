//! Rechecking a finding's points against the rule of the item it was
//! recorded under, as the visit's checklist snapshot states it: a finding
//! whose points do not follow its rule does not count.

use crate::error::LedgerError;
use anfang_core::authority::Refusal;
use anfang_core::finding::{FindingRecord, FindingResult};
use anfang_core::manifest::ChecklistSnapshot;
use anfang_core::points::Points;
use rusqlite::{Connection, OptionalExtension};
use std::cell::RefCell;
use std::collections::VecDeque;

/// Snapshots parsed lately, by the event and position they come from:
/// a visit's findings share its snapshots, and parsing one per finding
/// would make merges several times slower.
const CACHED: usize = 32;

/// A snapshot's place: the event that carries it and its position there.
type SnapshotKey = (String, i64);

thread_local! {
    static SNAPSHOTS: RefCell<VecDeque<(SnapshotKey, std::rc::Rc<ChecklistSnapshot>)>> =
        const { RefCell::new(VecDeque::new()) };
}

/// Keeps a snapshot just derived from its event, so the findings of its
/// visit need not read it back out of the event's JSON (a query through
/// SQLite's JSON functions, then a parse: more than the rest of a visit's
/// checks together). The event id is a hash of its content, so what is
/// kept under it never changes.
pub(crate) fn remember(event_id: &str, position: i64, snapshot: &ChecklistSnapshot) {
    keep(
        (event_id.to_owned(), position),
        std::rc::Rc::new(snapshot.clone()),
    );
}

fn keep(key: SnapshotKey, parsed: std::rc::Rc<ChecklistSnapshot>) {
    SNAPSHOTS.with(|c| {
        let mut c = c.borrow_mut();
        if c.iter().any(|(k, _)| *k == key) {
            return;
        }
        if c.len() >= CACHED {
            c.pop_front();
        }
        c.push_back((key, parsed));
    });
}

fn snapshot(
    conn: &Connection,
    visit_id: &str,
    device: &str,
    checklist_id: &str,
    plugin_id: &str,
) -> Result<Option<std::rc::Rc<ChecklistSnapshot>>, LedgerError> {
    let query = (
        visit_id.to_owned(),
        device.to_owned(),
        checklist_id.to_owned(),
        plugin_id.to_owned(),
    );
    let found = super::memo::snapshot_place(query, || -> Result<_, LedgerError> {
        Ok(conn
            .prepare_cached(
                "SELECT c.event_id, c.position FROM visit_checklists c JOIN events e ON e.id = c.event_id
                  WHERE c.visit_id = ?1 AND e.device = ?2 AND c.checklist_id = ?3 AND c.plugin_id = ?4
                  ORDER BY c.claimed_time, c.event_id, c.position LIMIT 1",
            )?
            .query_row([visit_id, device, checklist_id, plugin_id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?)
    })?;
    let Some(key) = found else {
        return Ok(None);
    };
    if let Some(hit) = SNAPSHOTS.with(|c| {
        c.borrow()
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, s)| s.clone())
    }) {
        return Ok(Some(hit));
    }
    let text: Option<String> = conn
        .prepare_cached(
            "SELECT snapshot FROM visit_checklist_snapshots WHERE event_id = ?1 AND position = ?2",
        )?
        .query_row(rusqlite::params![key.0, key.1], |r| r.get(0))
        .optional()?;
    let Some(parsed) = text.and_then(|t| serde_json::from_str::<ChecklistSnapshot>(&t).ok()) else {
        return Ok(None);
    };
    let parsed = std::rc::Rc::new(parsed);
    keep(key, parsed.clone());
    Ok(Some(parsed))
}

/// Whether the finding's points follow its item's rule.
pub(crate) fn check(
    conn: &Connection,
    device: &str,
    f: &FindingRecord,
) -> Result<Result<(), Refusal>, LedgerError> {
    let off = |detail: String| Ok(Err(Refusal::PointsOffRule { detail }));
    if f.result != FindingResult::Violation {
        return if f.points == Points::ZERO {
            Ok(Ok(()))
        } else {
            off(format!(
                "{} for a finding that is not a violation",
                f.points
            ))
        };
    }
    let Some(snapshot) = snapshot(
        conn,
        &f.visit_id.to_string(),
        device,
        &f.item.checklist_id,
        &f.item.plugin_id,
    )?
    else {
        return off(format!(
            "item {} is not on the visit's checklists",
            f.item.item_id
        ));
    };
    let Some(item) = snapshot.item(&f.item.item_id) else {
        return off(format!(
            "item {} is not on checklist {}",
            f.item.item_id, f.item.checklist_id
        ));
    };
    if let Err(e) = item.rule.check() {
        return off(e.to_string());
    }
    match item.rule.admits(&f.input, f.points) {
        Ok(()) => Ok(Ok(())),
        Err(detail) => off(detail),
    }
}
