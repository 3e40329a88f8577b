//! Applying one new event to the derived tables.
//!
//! Every rule here depends only on the set of events present, never on the
//! order they arrived in: where two events compete (a forked visit opening,
//! two corrections of one finding, several review decisions), the winner is
//! chosen by keys carried inside the events, never by arrival.
//!
//! Each event is also asked one question: does it count? The answer (see
//! `anfang_core::authority`) depends on the office's roster and on events
//! of the same device, which always arrive before it (chains are merged
//! whole), except for review decisions, which are settled afresh from all of
//! a finding's decisions whenever one of them or the finding changes.
//! Events that do not count are kept and listed in `refused`.

mod decisions;
pub(crate) mod deduction_decisions;
mod method;
pub(crate) use decisions::{finding as decided_finding, head_of, judge};
pub(crate) mod memo;
pub(crate) use method::method_subject;
mod office_data;
pub(crate) mod outcome;
mod points;
pub(crate) use office_data::{BULLETIN_ROLES, grant_any};
mod refuse;
mod register;

use crate::canonical::{format_time, parse_time};
use crate::error::LedgerError;
use crate::event::StoredEvent;
use crate::{fts, names};
use anfang_core::authority::{Authority, Refusal, Role};
use anfang_core::event::{AppraisalEntered, ChecklistAdded, EventBody, VisitClosed, VisitOpened};
use anfang_core::finding::{EvidenceRecord, FindingRecord};
use anfang_core::review::{DatedDecision, Decision, ReviewRecord, ReviewStatus};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashSet;
use uuid::Uuid;

/// Brings the derived tables up to date with one event just added to `events`.
pub(crate) fn apply(
    conn: &Connection,
    auth: &Authority,
    ev: &StoredEvent,
    body: &EventBody,
) -> Result<(), LedgerError> {
    match body {
        EventBody::VisitOpened(v) => {
            visit_opened(conn, auth, ev, v)?;
            retry_refused(conn, auth, &ev.device, None)
        }
        EventBody::ChecklistAdded(c) => {
            checklist_added(conn, auth, ev, c)?;
            retry_refused(conn, auth, &ev.device, None)
        }
        EventBody::FindingRecorded(f) => {
            finding_recorded(conn, auth, ev, f)?;
            retry_refused(conn, auth, &ev.device, Some(&f.finding_id.to_string()))
        }
        EventBody::EvidenceAttached(e) => evidence_attached(conn, auth, ev, e),
        EventBody::VisitClosed(c) => visit_closed(conn, auth, ev, c),
        EventBody::ReviewDecided(r) => review_decided(conn, auth, ev, r),
        EventBody::AppraisalEntered(a) => appraisal_entered(conn, auth, ev, a),
        // A roster changes what counts everywhere: the ledger derives
        // everything again when one arrives (see `office`).
        EventBody::RosterPublished(_) => Ok(()),
        EventBody::UnitRegistered(u) => register::unit_registered(conn, auth, ev, u),
        EventBody::MethodPublished(m) => method::method_published(conn, auth, ev, m),
        EventBody::OfficeDeduction(d) => method::office_deduction(conn, auth, ev, d),
        EventBody::DeductionReviewed(r) => {
            deduction_decisions::deduction_reviewed(conn, auth, ev, r)
        }
        EventBody::UnitMapped(m) => office_data::unit_mapped(conn, auth, ev, m),
        EventBody::BulletinIssued(b) => office_data::bulletin_issued(conn, auth, ev, b),
        EventBody::ChecklistPublished(c) => office_data::checklist_published(conn, auth, ev, c),
        EventBody::OutcomeRecorded(o) => outcome::outcome_recorded(conn, auth, ev, o),
    }
}

/// Lists the roster versions of the pinned office (and of the offices it
/// delegates to) that do not hold. Called after everything is derived: a
/// roster changes what counts everywhere, so one arriving means a rebuild.
pub(crate) fn refuse_rosters(conn: &Connection, auth: &Authority) -> Result<(), LedgerError> {
    let Authority::Office {
        chain, delegated, ..
    } = auth
    else {
        return Ok(());
    };
    let chains = || std::iter::once(chain).chain(delegated.iter().map(|d| &d.1));
    for problem in chains().flat_map(|c| &c.problems) {
        let ev = load_event(conn, &problem.event_id)?;
        refuse::record(conn, &ev, &problem.refusal, "")?;
    }
    // Rosters of any other office change nothing here either, and say so.
    let known: HashSet<&str> = chains()
        .flat_map(|c| {
            c.versions
                .iter()
                .map(|v| v.1.as_str())
                .chain(c.problems.iter().map(|p| p.event_id.as_str()))
        })
        .collect();
    for candidate in crate::office::candidates(conn)? {
        if !known.contains(candidate.event_id.as_str()) {
            let ev = load_event(conn, &candidate.event_id)?;
            let refusal = Refusal::RosterUnsigned {
                detail: "it is the roster of another office".into(),
            };
            refuse::record(conn, &ev, &refusal, "")?;
        }
    }
    Ok(())
}

/// Judges again the events of `device` refused for want of an earlier event
/// of the same device: a partial bundle may bring a visit's opening, or the
/// version a correction names, after what depends on it. With `about`,
/// only the events about that finding; without, every visit-bound event.
fn retry_refused(
    conn: &Connection,
    auth: &Authority,
    device: &str,
    about: Option<&str>,
) -> Result<(), LedgerError> {
    if memo::device_settled(device) {
        return Ok(());
    }
    let waiting: bool = conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM refused WHERE device = ?1
               AND kind IN ('checklist_added', 'finding_recorded', 'evidence_attached', 'visit_closed'))",
        )?
        .query_row([device], |r| r.get(0))?;
    if !waiting {
        memo::note_device_settled(device);
        return Ok(());
    }
    let ids: Vec<String> = conn
        .prepare_cached(
            "SELECT event_id FROM refused
              WHERE device = ?1 AND (?2 IS NULL OR about = ?2)
                AND kind IN ('checklist_added', 'finding_recorded', 'evidence_attached', 'visit_closed')
              ORDER BY seq, event_id",
        )?
        .query_map(params![device, about], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for id in ids {
        conn.prepare_cached("DELETE FROM refused WHERE event_id = ?1")?
            .execute([&id])?;
        let ev = load_event(conn, &id)?;
        let body = ev.parse_body()?;
        match &body {
            // Without recursion: what these bring is retried by their own kind.
            EventBody::FindingRecorded(f) => finding_recorded(conn, auth, &ev, f)?,
            EventBody::ChecklistAdded(c) => checklist_added(conn, auth, &ev, c)?,
            EventBody::EvidenceAttached(e) => evidence_attached(conn, auth, &ev, e)?,
            EventBody::VisitClosed(c) => visit_closed(conn, auth, &ev, c)?,
            _ => {}
        }
    }
    Ok(())
}

/// The device's own opening of a visit: the unit its events there concern.
/// Its opening is an earlier event of the same device, so it is here.
fn own_opening(
    conn: &Connection,
    visit_id: &str,
    device: &str,
) -> Result<Option<anfang_core::visit::Unit>, LedgerError> {
    memo::opening(visit_id, device, || {
        Ok(conn
            .prepare_cached(
                "SELECT unit, department FROM visit_openings WHERE visit_id = ?1 AND device = ?2
                 ORDER BY event_id LIMIT 1",
            )?
            .query_row([visit_id, device], |r| {
                Ok(anfang_core::visit::Unit {
                    name: r.get(0)?,
                    department: r.get(1)?,
                })
            })
            .optional()?)
    })
}

/// Checks an event that belongs to a visit: its device opened the visit
/// and, with an office pinned, may inspect the unit. The unit on success.
fn as_visit_owner(
    conn: &Connection,
    auth: &Authority,
    ev: &StoredEvent,
    visit_id: &str,
) -> Result<Result<anfang_core::visit::Unit, Refusal>, LedgerError> {
    // Whether another device opened it, or no opening is here yet, the
    // answer is the same: this device did not open it (here).
    let Some(unit) = own_opening(conn, visit_id, &ev.device)? else {
        return Ok(Err(Refusal::NotVisitOwner));
    };
    let seq = u64::try_from(ev.seq).unwrap_or(0);
    Ok(auth
        .grant(&ev.device, seq, Role::Inspector, &unit)
        .map(|_| unit))
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, LedgerError> {
    serde_json::to_string(value).map_err(|e| LedgerError::Encode(e.to_string()))
}

fn visit_opened(
    conn: &Connection,
    auth: &Authority,
    ev: &StoredEvent,
    v: &VisitOpened,
) -> Result<(), LedgerError> {
    let visit_id = v.visit_id.to_string();
    let seq = u64::try_from(ev.seq).unwrap_or(0);
    if let Err(refusal) = auth.grant(&ev.device, seq, Role::Inspector, &v.unit) {
        return refuse::record(conn, ev, &refusal, &visit_id);
    }
    conn.prepare_cached(
        "INSERT OR IGNORE INTO visit_openings (visit_id, device, event_id, unit, department)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        visit_id,
        ev.device,
        ev.id,
        v.unit.name,
        v.unit.department
    ])?;
    memo::forget_openings();
    for (position, snapshot) in v.checklists.iter().enumerate() {
        insert_checklist(conn, ev, &visit_id, position, snapshot)?;
    }
    let holder: Option<(String, String)> = conn
        .prepare_cached("SELECT claimed_time, event_id FROM visits WHERE visit_id = ?1")?
        .query_row([&visit_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    // A forked opening: the earliest claimed time (then the smaller id) wins.
    let wins = holder.is_none_or(|(time, id)| {
        (ev.claimed_time.as_str(), ev.id.as_str()) < (time.as_str(), id.as_str())
    });
    if !wins {
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT OR REPLACE INTO visits
           (visit_id, event_id, device, claimed_time, unit, department, kind, team, lead, started_at, closed_at, unit_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,
           (SELECT min(closed_at) FROM visit_closures WHERE visit_id = ?1), ?11)",
    )?
    .execute(params![
        visit_id,
        ev.id,
        ev.device,
        ev.claimed_time,
        v.unit.name,
        v.unit.department,
        names::visit_kind(v.kind),
        json(&v.team)?,
        v.team.first().map(String::as_str).unwrap_or(""),
        format_time(v.started_at),
        v.unit_id.map(|id| id.to_string()),
    ])?;
    // Only the opening device's own findings take its unit.
    let stale = "visit_id = ?1 AND device = ?4 AND (unit IS NOT ?2 OR department IS NOT ?3)";
    let keys = params![visit_id, v.unit.name, v.unit.department, ev.device];
    fts::before_change(conn, stale, keys)?;
    conn.prepare_cached(&format!(
        "UPDATE findings SET unit = ?2, department = ?3 WHERE {stale}"
    ))?
    .execute(keys)?;
    Ok(())
}

/// Notes one checklist a visit walks. Its snapshot stays in the event's
/// body, where the view `visit_checklist_snapshots` reads it: copying it
/// here would store every checklist once more for every visit.
fn insert_checklist(
    conn: &Connection,
    ev: &StoredEvent,
    visit_id: &str,
    position: usize,
    snapshot: &anfang_core::manifest::ChecklistSnapshot,
) -> Result<(), LedgerError> {
    memo::forget_snapshots();
    points::remember(&ev.id, position as i64, snapshot);
    conn.prepare_cached(
        "INSERT INTO visit_checklists
           (event_id, position, visit_id, claimed_time, plugin_id, plugin_version, checklist_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        ev.id,
        position as i64,
        visit_id,
        ev.claimed_time,
        snapshot.plugin_id,
        snapshot.plugin_version,
        snapshot.checklist.id,
    ])?;
    // A few rows a checklist, nearly always there already.
    let items = snapshot.checklist.items.iter().map(|item| item.id.as_str());
    if !memo::note_titled(&snapshot.plugin_id, &snapshot.checklist.id, items) {
        return Ok(());
    }
    let mut titles = conn.prepare_cached(
        "INSERT OR IGNORE INTO item_titles (plugin_id, checklist_id, item_id, zh, en)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for item in &snapshot.checklist.items {
        titles.execute(params![
            snapshot.plugin_id,
            snapshot.checklist.id,
            item.id,
            item.label.zh,
            item.label.en,
        ])?;
    }
    Ok(())
}

fn checklist_added(
    conn: &Connection,
    auth: &Authority,
    ev: &StoredEvent,
    c: &ChecklistAdded,
) -> Result<(), LedgerError> {
    let visit_id = c.visit_id.to_string();
    if let Err(refusal) = as_visit_owner(conn, auth, ev, &visit_id)? {
        return refuse::record(conn, ev, &refusal, &visit_id);
    }
    insert_checklist(conn, ev, &visit_id, 0, &c.checklist)
}

fn visit_closed(
    conn: &Connection,
    auth: &Authority,
    ev: &StoredEvent,
    c: &VisitClosed,
) -> Result<(), LedgerError> {
    let visit_id = c.visit_id.to_string();
    if let Err(refusal) = as_visit_owner(conn, auth, ev, &visit_id)? {
        return refuse::record(conn, ev, &refusal, &visit_id);
    }
    conn.prepare_cached(
        "INSERT INTO visit_closures (event_id, visit_id, closed_at) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![ev.id, visit_id, format_time(c.closed_at)])?;
    conn.prepare_cached(
        "UPDATE visits SET closed_at = (SELECT min(closed_at) FROM visit_closures WHERE visit_id = ?1)
         WHERE visit_id = ?1",
    )?
    .execute([&visit_id])?;
    Ok(())
}

fn finding_recorded(
    conn: &Connection,
    auth: &Authority,
    ev: &StoredEvent,
    f: &FindingRecord,
) -> Result<(), LedgerError> {
    let fid = f.finding_id.to_string();
    let verdict = match as_visit_owner(conn, auth, ev, &f.visit_id.to_string())? {
        Err(refusal) => Err(refusal),
        Ok(_) => match corrects_own(conn, ev, f)? {
            Err(refusal) => Err(refusal),
            Ok(()) => points::check(conn, &ev.device, f)?,
        },
    };
    if let Err(refusal) = verdict {
        return refuse::record(conn, ev, &refusal, &fid);
    }
    let awaited = awaited(conn, &fid)?;
    refresh_finding(conn, auth, f.finding_id, ev, f, awaited)?;
    if awaited {
        // Outcomes that came before their finding are judged now it is here.
        outcome::settle(conn, auth, &fid)?;
    }
    Ok(())
}

/// Whether any decision or outcome names finding `fid`: they may arrive
/// before it, from another device. Without any, settling its decisions
/// finds it pending and its outcomes have nothing to judge, so a merge
/// asks this once a finding instead of reading each list.
fn awaited(conn: &Connection, fid: &str) -> Result<bool, LedgerError> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM reviews WHERE finding_id = ?1)
                 OR EXISTS (SELECT 1 FROM outcomes WHERE finding_id = ?1)",
        )?
        .query_row([fid], |r| r.get(0))?)
}

/// A correction counts only from the device that recorded the version it
/// corrects (an earlier event of the same device, so here if it is one);
/// a first version only if no other device recorded this finding first.
fn corrects_own(
    conn: &Connection,
    ev: &StoredEvent,
    f: &FindingRecord,
) -> Result<Result<(), Refusal>, LedgerError> {
    let Some(corrected) = &f.supersedes else {
        return Ok(Ok(()));
    };
    let owner: Option<(String, String)> = conn
        .prepare_cached("SELECT device, kind FROM events WHERE id = ?1")?
        .query_row([corrected], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(match owner {
        Some((device, kind)) if device == ev.device && kind == "finding_recorded" => Ok(()),
        _ => Err(Refusal::NotRecorder),
    })
}

/// One version as `finding_versions` holds it: event id, supersedes, claimed time.
type VersionKey = (String, Option<String>, String);

/// Picks the current version: among versions no other version corrects, the
/// latest claimed time, then the larger id. Returns it, the number of
/// versions, and whether more than one version stands uncorrected.
fn current_version(versions: &[VersionKey]) -> Option<(&VersionKey, bool)> {
    let corrected: HashSet<&str> = versions.iter().filter_map(|v| v.1.as_deref()).collect();
    let standing: Vec<&VersionKey> = versions
        .iter()
        .filter(|v| !corrected.contains(v.0.as_str()))
        .collect();
    let latest = |a: &&VersionKey, b: &&VersionKey| (&a.2, &a.0).cmp(&(&b.2, &b.0));
    let current = standing
        .iter()
        .copied()
        .max_by(latest)
        .or_else(|| versions.iter().max_by(latest))?;
    Some((current, standing.len() > 1))
}

/// Brings the `findings` row of one finding up to date with a version just
/// recorded (`ev`, `record`); `awaited`: whether decisions name it (see
/// [`awaited`]), else it is pending.
///
/// `finding_versions` lists the versions of findings that have more than
/// one; a finding recorded once (nearly all of them) is its `findings` row
/// alone. So the second version to arrive lists the first one as well.
fn refresh_finding(
    conn: &Connection,
    auth: &Authority,
    finding_id: Uuid,
    ev: &StoredEvent,
    record: &FindingRecord,
    awaited: bool,
) -> Result<(), LedgerError> {
    let fid = finding_id.to_string();
    let settle = |ev: &StoredEvent, record: &FindingRecord| {
        if awaited {
            decisions::settle_finding(conn, auth, &fid, Some((ev, record)))
        } else {
            Ok(ReviewStatus::Pending)
        }
    };
    if record.supersedes.is_none() {
        let status = settle(ev, record)?;
        if write_finding(conn, INSERT_FINDING, &fid, ev, record, status, 1, false)? == 1 {
            // The common case of a merge: the first version of a finding
            // this ledger has no row for, current, alone and uncorrected,
            // as what follows would conclude (the insert did the look-up).
            return Ok(());
        }
    }
    let holder: Option<String> = conn
        .prepare_cached("SELECT event_id FROM findings WHERE finding_id = ?1")?
        .query_row([&fid], |r| r.get(0))
        .optional()?;
    let fresh: VersionKey = (
        ev.id.clone(),
        record.supersedes.clone(),
        ev.claimed_time.clone(),
    );
    let versions: Vec<VersionKey> = match &holder {
        // No row yet: this version is the only one here.
        None => vec![fresh],
        Some(held) => {
            let mut versions: Vec<VersionKey> = conn
                .prepare_cached(
                    "SELECT event_id, supersedes, claimed_time FROM finding_versions WHERE finding_id = ?1",
                )?
                .query_map([&fid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<_, _>>()?;
            if versions.is_empty() {
                let (held_ev, held_record) = load_finding(conn, held)?;
                insert_version(conn, &fid, &held_ev, &held_record)?;
                versions.push((
                    held_ev.id.clone(),
                    held_record.supersedes.clone(),
                    held_ev.claimed_time.clone(),
                ));
            }
            insert_version(conn, &fid, ev, record)?;
            versions.push(fresh);
            versions
        }
    };
    let Some((current, conflict)) = current_version(&versions) else {
        return Ok(());
    };
    let count = versions.len() as i64;
    if holder.as_deref() == Some(current.0.as_str()) {
        conn.prepare_cached(
            "UPDATE findings SET versions = ?2, conflict = ?3 WHERE finding_id = ?1",
        )?
        .execute(params![fid, count, conflict])?;
        return Ok(());
    }
    let loaded;
    let (ev, record): (&StoredEvent, &FindingRecord) = if ev.id == current.0 {
        (ev, record)
    } else {
        loaded = load_finding(conn, &current.0)?;
        (&loaded.0, &loaded.1)
    };
    let status = settle(ev, record)?;
    if holder.is_some() {
        fts::before_change(conn, "finding_id = ?1", [&fid])?;
    }
    let sql = if holder.is_some() {
        UPDATE_FINDING
    } else {
        INSERT_FINDING
    };
    write_finding(conn, sql, &fid, ev, record, status, count, conflict)?;
    Ok(())
}

/// Inserts a finding's row unless it has one. Parameters as [`write_finding`]
/// binds them; the unit and department are its device's opening of the
/// visit, if it is here. One row of VALUES, not INSERT … SELECT: a
/// statement that may write several rows keeps a statement journal of
/// every page it touches.
const INSERT_FINDING: &str = "INSERT INTO findings
       (finding_id, event_id, visit_id, device, claimed_time, plugin_id, plugin_version, checklist_id,
        item_id, result, count, points, points_by_hand, subject, note, observed_at, unit, department,
        status, versions, conflict)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?20, ?21,
             ?17, ?18, ?19)
     ON CONFLICT (finding_id) DO NOTHING";

/// Replaces a finding's row with another version; parameters as [`INSERT_FINDING`].
const UPDATE_FINDING: &str = "UPDATE findings SET
       event_id = ?2, visit_id = ?3, device = ?4, claimed_time = ?5, plugin_id = ?6,
       plugin_version = ?7, checklist_id = ?8, item_id = ?9, result = ?10, count = ?11,
       points = ?12, points_by_hand = ?13, subject = ?14, note = ?15, observed_at = ?16,
       unit = ?20, department = ?21, status = ?17, versions = ?18, conflict = ?19
     WHERE finding_id = ?1";

/// Runs [`INSERT_FINDING`] or [`UPDATE_FINDING`] for one version of a
/// finding; returns the number of rows written. The unit is the one its
/// device's opening of the visit names (what its findings just asked, so
/// a merge has it remembered), else none yet.
#[allow(clippy::too_many_arguments)]
fn write_finding(
    conn: &Connection,
    sql: &str,
    fid: &str,
    ev: &StoredEvent,
    record: &FindingRecord,
    status: ReviewStatus,
    versions: i64,
    conflict: bool,
) -> Result<usize, LedgerError> {
    let visit_id = record.visit_id.to_string();
    let unit = own_opening(conn, &visit_id, &ev.device)?;
    Ok(conn.prepare_cached(sql)?.execute(params![
        fid,
        ev.id,
        visit_id,
        ev.device,
        ev.claimed_time,
        record.item.plugin_id,
        record.item.plugin_version,
        record.item.checklist_id,
        record.item.item_id,
        names::result(record.result),
        i64::from(record.input.count),
        record.points.hundredths(),
        record.points_by_hand,
        record.subject,
        record.note,
        format_time(record.observed_at),
        status.as_str(),
        versions,
        conflict,
        unit.as_ref().map(|u| u.name.as_str()),
        unit.as_ref().map(|u| u.department.as_str()),
    ])?)
}

/// Lists one version of a finding in `finding_versions`.
fn insert_version(
    conn: &Connection,
    finding_id: &str,
    ev: &StoredEvent,
    record: &FindingRecord,
) -> Result<(), LedgerError> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO finding_versions (event_id, finding_id, supersedes, device, claimed_time)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        ev.id,
        finding_id,
        record.supersedes,
        ev.device,
        ev.claimed_time
    ])?;
    Ok(())
}

/// A `finding_recorded` event and its record, read back from `events`.
fn load_finding(conn: &Connection, id: &str) -> Result<(StoredEvent, FindingRecord), LedgerError> {
    let ev = load_event(conn, id)?;
    match ev.parse_body()? {
        EventBody::FindingRecorded(record) => Ok((ev, record)),
        _ => Err(LedgerError::Damaged(format!(
            "event {} is not a finding",
            ev.id
        ))),
    }
}

pub(crate) fn load_event(conn: &Connection, id: &str) -> Result<StoredEvent, LedgerError> {
    conn.prepare_cached(&format!(
        "SELECT {} FROM events WHERE id = ?1",
        crate::event::EVENT_COLUMNS
    ))?
    .query_row([id], StoredEvent::from_row)
    .optional()?
    .ok_or_else(|| LedgerError::Damaged(format!("event {id} is referenced but missing")))
}

/// The decisions on a finding that count, oldest first.
pub(crate) fn decisions_of(
    conn: &Connection,
    finding_id: &str,
) -> Result<Vec<DatedDecision>, LedgerError> {
    let rows: Vec<(String, String, String)> = conn
        .prepare_cached(
            "SELECT event_id, claimed_time, detail FROM reviews WHERE finding_id = ?1 AND counts
             ORDER BY claimed_time, event_id",
        )?
        .query_map([finding_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|(event_id, time, detail)| {
            let claimed_time = parse_time(&time).ok_or_else(|| {
                LedgerError::Damaged(format!("review {event_id}: bad time '{time}'"))
            })?;
            let decision: Decision = serde_json::from_str(&detail)
                .map_err(|e| LedgerError::Damaged(format!("review {event_id}: {e}")))?;
            Ok(DatedDecision {
                event_id,
                claimed_time,
                decision,
            })
        })
        .collect()
}

fn evidence_attached(
    conn: &Connection,
    auth: &Authority,
    ev: &StoredEvent,
    e: &EvidenceRecord,
) -> Result<(), LedgerError> {
    let fid = e.finding_id.to_string();
    // Evidence counts from the device that recorded the finding, in its own visit.
    let visit: Option<(String, String)> = conn
        .prepare_cached("SELECT visit_id, device FROM findings WHERE finding_id = ?1")?
        .query_row([&fid], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let verdict = match visit {
        None => Err(Refusal::NotRecorder),
        Some((_, device)) if device != ev.device => Err(Refusal::NotRecorder),
        Some((visit_id, _)) => as_visit_owner(conn, auth, ev, &visit_id)?.map(|_| ()),
    };
    if let Err(refusal) = verdict {
        return refuse::record(conn, ev, &refusal, &fid);
    }
    conn.prepare_cached(
        "INSERT INTO evidence (event_id, finding_id, sha256, file_name, size, device, claimed_time)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        ev.id,
        e.finding_id.to_string(),
        e.sha256,
        e.file_name,
        i64::try_from(e.size).unwrap_or(i64::MAX),
        ev.device,
        ev.claimed_time
    ])?;
    Ok(())
}

fn review_decided(
    conn: &Connection,
    auth: &Authority,
    ev: &StoredEvent,
    r: &ReviewRecord,
) -> Result<(), LedgerError> {
    let fid = r.finding_id.to_string();
    conn.prepare_cached(
        "INSERT INTO reviews (event_id, finding_id, reviewer, decision, detail, status_after, device,
                              claimed_time, person, counts, refusal)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL, 0, NULL)",
    )?
    .execute(params![
        ev.id,
        fid,
        r.reviewer,
        names::decision(&r.decision),
        json(&r.decision)?,
        ReviewStatus::after(&r.decision).as_str(),
        ev.device,
        ev.claimed_time
    ])?;
    let status = decisions::settle_finding(conn, auth, &fid, None)?;
    conn.prepare_cached(
        "UPDATE findings SET status = ?2 WHERE finding_id = ?1 AND status IS NOT ?2",
    )?
    .execute(params![fid, status.as_str()])?;
    outcome::settle(conn, auth, &fid)
}

fn appraisal_entered(
    conn: &Connection,
    auth: &Authority,
    ev: &StoredEvent,
    a: &AppraisalEntered,
) -> Result<(), LedgerError> {
    let seq = u64::try_from(ev.seq).unwrap_or(0);
    let verdict = auth.grant(&ev.device, seq, Role::Reviewer, &a.unit);
    if let Err(refusal) = &verdict {
        refuse::record(conn, ev, refusal, &a.unit.name)?;
    }
    conn.prepare_cached(
        "INSERT INTO appraisals (event_id, unit, department, period_from, period_to, form, satisfaction,
                                 deduction, appraisal, device, claimed_time, counts, follows)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        ev.id,
        a.unit.name,
        a.unit.department,
        a.from.to_string(),
        a.to.to_string(),
        names::appraisal_form(&a.appraisal),
        a.appraisal.satisfaction().map(|p| p.hundredths()),
        a.appraisal.deduction().hundredths(),
        json(&a.appraisal)?,
        ev.device,
        ev.claimed_time,
        verdict.is_ok(),
        follows_column(a.follows.as_ref())
    ])?;
    Ok(())
}

/// What an entry follows, as the `follows` column keeps it.
pub(crate) fn follows_column(follows: Option<&anfang_core::review::Follows>) -> Option<String> {
    use anfang_core::review::Follows;
    follows.map(|f| match f {
        Follows::First => String::new(),
        Follows::Decision(id) => id.clone(),
    })
}

/// The `follows` column read back.
pub(crate) fn follows_from_column(text: Option<String>) -> Option<anfang_core::review::Follows> {
    use anfang_core::review::Follows;
    text.map(|t| {
        if t.is_empty() {
            Follows::First
        } else {
            Follows::Decision(t)
        }
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn v(id: &str, sup: Option<&str>, t: &str) -> VersionKey {
        (id.into(), sup.map(Into::into), t.into())
    }

    #[test]
    fn a_correction_replaces_what_it_supersedes_even_if_it_claims_an_earlier_time() {
        let versions = [v("a", None, "2"), v("b", Some("a"), "1")];
        let (current, conflict) = current_version(&versions).unwrap();
        assert_eq!(current.0, "b");
        assert!(!conflict);
    }

    #[test]
    fn two_corrections_of_one_version_conflict_and_the_latest_shows() {
        let versions = [
            v("a", None, "1"),
            v("c", Some("a"), "3"),
            v("b", Some("a"), "2"),
        ];
        let (current, conflict) = current_version(&versions).unwrap();
        assert_eq!(current.0, "c");
        assert!(conflict);
    }
}
