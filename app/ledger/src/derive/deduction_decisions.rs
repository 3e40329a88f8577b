//! Reviewing office deductions as findings are reviewed: a deduction is
//! pending until a reviewer of its unit other than whoever entered it
//! confirms or dismisses it. Every decision on a deduction is judged afresh
//! against the roster whenever one of them or the deduction arrives, and
//! the deduction's status is settled by the rules of findings' decisions.

use super::refuse;
use crate::canonical::parse_time;
use crate::error::LedgerError;
use crate::event::StoredEvent;
use anfang_core::authority::{Authority, DecisionNode, Refusal, Role, settle};
use anfang_core::office_deduction::{DeductionDecision, DeductionReviewed, DeductionStatus};
use anfang_core::points::Points;
use anfang_core::review::Follows;
use anfang_core::visit::Unit;
use rusqlite::{Connection, OptionalExtension, params};

/// The kind of event a decision on a deduction is stored as.
const KIND: &str = "deduction_reviewed";

/// What a decision is judged against: the deduction as entered.
pub(crate) struct Entry {
    unit: Unit,
    device: String,
    seq: i64,
    points: Points,
}

/// The deduction `id` as entered, when it is here.
pub(crate) fn entry(conn: &Connection, id: &str) -> Result<Option<Entry>, LedgerError> {
    Ok(conn
        .prepare_cached(
            "SELECT d.unit, d.department, d.device, e.seq, d.points
               FROM office_deductions d JOIN events e ON e.id = d.event_id
              WHERE d.deduction_id = ?1 ORDER BY d.event_id LIMIT 1",
        )?
        .query_row([id], |r| {
            Ok(Entry {
                unit: Unit {
                    name: r.get(0)?,
                    department: r.get(1)?,
                },
                device: r.get(2)?,
                seq: r.get(3)?,
                points: Points::from_hundredths(r.get(4)?),
            })
        })
        .optional()?)
}

/// Judges one decision: `Ok(person)` when it counts. In an office, the
/// decider must be a reviewer of the unit, and not the device or person
/// that entered the deduction.
pub(crate) fn judge(
    auth: &Authority,
    (device, seq): (&str, i64),
    reviewer: &str,
    chained: bool,
    entry: &Entry,
) -> Result<String, Refusal> {
    if !auth.is_office() {
        return Ok(reviewer.to_string());
    }
    let seq = u64::try_from(seq).unwrap_or(0);
    let granted = auth.grant(device, seq, Role::Reviewer, &entry.unit)?;
    let person = granted.person.unwrap_or_else(|| reviewer.to_string());
    let entrant = auth
        .grant(
            &entry.device,
            u64::try_from(entry.seq).unwrap_or(0),
            Role::Reviewer,
            &entry.unit,
        )
        .ok()
        .and_then(|g| g.person);
    if device == entry.device || entrant.as_deref() == Some(person.as_str()) {
        return Err(Refusal::OwnDeduction { person });
    }
    if !chained && !auth.adopted(device, seq) {
        return Err(Refusal::Unchained);
    }
    Ok(person)
}

/// Keeps a decision on a deduction and settles the deduction afresh.
pub(super) fn deduction_reviewed(
    conn: &Connection,
    auth: &Authority,
    ev: &StoredEvent,
    r: &DeductionReviewed,
) -> Result<(), LedgerError> {
    let id = r.deduction_id.to_string();
    let (decision, reason) = match &r.decision {
        DeductionDecision::Confirm => ("confirm", None),
        DeductionDecision::Dismiss { reason } => ("dismiss", Some(reason.as_str())),
    };
    conn.prepare_cached(
        "INSERT OR IGNORE INTO deduction_decisions (event_id, deduction_id, reviewer, decision, reason,
                                                    device, seq, claimed_time, person, counts, refusal)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL, 0, NULL)",
    )?
    .execute(params![
        ev.id,
        id,
        r.reviewer,
        decision,
        reason,
        ev.device,
        ev.seq,
        ev.claimed_time
    ])?;
    settle_deduction(conn, auth, &id)
}

/// Settles deduction `id`'s status from all its decisions, noting each
/// decision's verdict.
pub(crate) fn settle_deduction(
    conn: &Connection,
    auth: &Authority,
    id: &str,
) -> Result<(), LedgerError> {
    let rows: Vec<(String, String, i64, String, String)> = conn
        .prepare_cached(
            "SELECT d.event_id, d.device, d.seq, d.claimed_time, e.body
               FROM deduction_decisions d JOIN events e ON e.id = d.event_id
              WHERE d.deduction_id = ?1",
        )?
        .query_map([id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<Result<_, _>>()?;
    let Some(entry) = entry(conn, id)? else {
        // The deduction is not here yet: its decisions wait for it.
        return Ok(());
    };
    let mut nodes = Vec::with_capacity(rows.len());
    for (event_id, device, seq, time, body) in rows {
        let record: DeductionReviewed = serde_json::from_str(&body)
            .map_err(|e| LedgerError::Damaged(format!("deduction decision {event_id}: {e}")))?;
        let claimed_time = parse_time(&time).ok_or_else(|| {
            LedgerError::Damaged(format!("deduction decision {event_id}: bad time '{time}'"))
        })?;
        let verdict = judge(
            auth,
            (&device, seq),
            &record.reviewer,
            record.follows.is_some(),
            &entry,
        );
        let (person, refusal) = match &verdict {
            Ok(person) => (Some(person.clone()), None),
            Err(refusal) => (None, Some(refusal)),
        };
        conn.prepare_cached(
            "UPDATE deduction_decisions SET person = ?2, counts = ?3, refusal = ?4 WHERE event_id = ?1",
        )?
        .execute(params![
            event_id,
            if auth.is_office() {
                person.clone()
            } else {
                None
            },
            refusal.is_none(),
            refusal.map(|r| r.text(anfang_core::Lang::En))
        ])?;
        match refusal {
            None => refuse::forget(conn, &event_id)?,
            Some(refusal) => {
                refuse::insert_for(conn, (&event_id, &device, seq, KIND), refusal, id)?;
            }
        }
        nodes.push(DecisionNode {
            event_id,
            person: person.unwrap_or_default(),
            decision: record.decision.as_review(),
            follows: record.follows,
            claimed_time,
            counts: refusal.is_none(),
        });
    }
    let status = if nodes.is_empty() {
        DeductionStatus::Pending
    } else {
        DeductionStatus::from_review(
            settle(&nodes, entry.points, auth.second_reviewer_from()).status,
        )
    };
    conn.prepare_cached(
        "UPDATE office_deductions SET status = ?2 WHERE deduction_id = ?1 AND status IS NOT ?2",
    )?
    .execute(params![id, status.as_str()])?;
    Ok(())
}

/// The decision a new decision on deduction `id` follows: the head of its
/// chain as settled, or the first.
pub(crate) fn follows_for(
    conn: &Connection,
    auth: &Authority,
    id: &str,
) -> Result<Follows, LedgerError> {
    let rows: Vec<(String, Option<String>, String, bool, String, String)> = conn
        .prepare_cached(
            "SELECT d.event_id, d.person, d.reviewer, d.counts, d.claimed_time, e.body
               FROM deduction_decisions d JOIN events e ON e.id = d.event_id
              WHERE d.deduction_id = ?1",
        )?
        .query_map([id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<Result<_, _>>()?;
    let points = entry(conn, id)?.map_or(Points::ZERO, |e| e.points);
    let mut nodes = Vec::with_capacity(rows.len());
    for (event_id, person, reviewer, counts, time, body) in rows {
        let record: DeductionReviewed = serde_json::from_str(&body)
            .map_err(|e| LedgerError::Damaged(format!("deduction decision {event_id}: {e}")))?;
        let claimed_time = parse_time(&time).ok_or_else(|| {
            LedgerError::Damaged(format!("deduction decision {event_id}: bad time '{time}'"))
        })?;
        nodes.push(DecisionNode {
            event_id,
            person: person.unwrap_or(reviewer),
            decision: record.decision.as_review(),
            follows: record.follows,
            claimed_time,
            counts,
        });
    }
    Ok(
        match settle(&nodes, points, auth.second_reviewer_from()).head {
            Some(head) => Follows::Decision(head),
            None => Follows::First,
        },
    )
}
