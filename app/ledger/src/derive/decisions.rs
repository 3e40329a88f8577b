//! Settling a finding's status from all its decisions, each judged afresh
//! against the roster: who decided, for which unit, on whose finding.

use super::{own_opening, refuse};
use crate::canonical::parse_time;
use crate::error::LedgerError;
use crate::event::StoredEvent;
use anfang_core::authority::{Authority, DecisionNode, Refusal, Role, settle};
use anfang_core::finding::FindingRecord;
use anfang_core::points::Points;
use anfang_core::review::{Decision, ReviewRecord, ReviewStatus};
use rusqlite::{Connection, OptionalExtension, params};

/// What a decision is judged against: the finding as recorded.
pub(crate) struct Finding {
    device: String,
    points: Points,
    unit: Option<anfang_core::visit::Unit>,
    opener: Option<String>,
    team: Vec<String>,
}

pub(crate) fn finding(
    conn: &Connection,
    fid: &str,
    fresh: Option<(&StoredEvent, &FindingRecord)>,
) -> Result<Option<Finding>, LedgerError> {
    let (device, points, visit_id) = match fresh {
        Some((ev, record)) => (
            ev.device.clone(),
            record.points,
            record.visit_id.to_string(),
        ),
        None => {
            let row: Option<(String, i64, String)> = conn
                .prepare_cached(
                    "SELECT device, points, visit_id FROM findings WHERE finding_id = ?1",
                )?
                .query_row([fid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .optional()?;
            let Some((device, points, visit_id)) = row else {
                return Ok(None);
            };
            (device, Points::from_hundredths(points), visit_id)
        }
    };
    let unit = own_opening(conn, &visit_id, &device)?;
    let visit: Option<(String, String)> = conn
        .prepare_cached("SELECT device, team FROM visits WHERE visit_id = ?1")?
        .query_row([&visit_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (opener, team) = match visit {
        Some((opener, team)) => (
            Some(opener),
            serde_json::from_str(&team).unwrap_or_default(),
        ),
        None => (None, Vec::new()),
    };
    Ok(Some(Finding {
        device,
        points,
        unit,
        opener,
        team,
    }))
}

/// A decision event's body and claimed time, read back.
fn parse_decision(
    event_id: &str,
    time: &str,
    body: &str,
) -> Result<(ReviewRecord, jiff::Timestamp), LedgerError> {
    let record: ReviewRecord = serde_json::from_str(body)
        .map_err(|e| LedgerError::Damaged(format!("review {event_id}: {e}")))?;
    let claimed_time = parse_time(time)
        .ok_or_else(|| LedgerError::Damaged(format!("review {event_id}: bad time '{time}'")))?;
    Ok((record, claimed_time))
}

/// Judges one decision: `Ok(person)` when it counts.
pub(crate) fn judge(
    auth: &Authority,
    device: &str,
    seq: i64,
    record: &ReviewRecord,
    finding: &Finding,
) -> Result<String, Refusal> {
    if !auth.is_office() {
        return Ok(record.reviewer.clone());
    }
    let seq = u64::try_from(seq).unwrap_or(0);
    let unit = finding.unit.as_ref().ok_or(Refusal::Orphan)?;
    let granted = auth.grant(device, seq, Role::Reviewer, unit)?;
    let person = granted.person.unwrap_or_else(|| record.reviewer.clone());
    let own = device == finding.device
        || finding.opener.as_deref() == Some(device)
        || finding.team.contains(&person);
    if own {
        return Err(Refusal::OwnFinding { person });
    }
    if record.follows.is_none() && !auth.adopted(device, seq) {
        return Err(Refusal::Unchained);
    }
    Ok(person)
}

/// Settles the status of finding `fid` from all its decisions and notes
/// each decision's verdict. `fresh` is the version being written, when the
/// finding's row is not yet up to date.
pub(crate) fn settle_finding(
    conn: &Connection,
    auth: &Authority,
    fid: &str,
    fresh: Option<(&StoredEvent, &FindingRecord)>,
) -> Result<ReviewStatus, LedgerError> {
    let rows: Vec<(String, String, i64, String, String)> = conn
        .prepare_cached(
            "SELECT r.event_id, r.device, e.seq, r.claimed_time, e.body
               FROM reviews r JOIN events e ON e.id = r.event_id
              WHERE r.finding_id = ?1",
        )?
        .query_map([fid], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<Result<_, _>>()?;
    if rows.is_empty() {
        return Ok(ReviewStatus::Pending);
    }
    let Some(finding) = finding(conn, fid, fresh)? else {
        // The finding is not here yet: its decisions wait for it.
        return Ok(ReviewStatus::Pending);
    };
    let mut judged = Vec::with_capacity(rows.len());
    for (event_id, device, seq, time, body) in rows {
        let (record, claimed_time) = parse_decision(&event_id, &time, &body)?;
        let verdict = judge(auth, &device, seq, &record, &finding);
        judged.push((event_id, device, seq, record, claimed_time, verdict));
    }
    // 申诉复核: an appeal is decided by someone other than whoever confirmed
    // the finding — the roster's person in an office, the device in open
    // mode (typed names prove nothing). Read from every confirmation that
    // counts, so the verdict does not depend on the order events arrived in.
    let who = |device: &str, person: &str| {
        if auth.is_office() {
            person.to_string()
        } else {
            device.to_string()
        }
    };
    let confirmers: std::collections::BTreeSet<String> = judged
        .iter()
        .filter(|j| matches!(j.3.decision, Decision::Confirm { .. }))
        .filter_map(|j| j.5.as_ref().ok().map(|person| who(&j.1, person)))
        .collect();
    for j in &mut judged {
        if let (Decision::DecideAppeal { .. }, Ok(person)) = (&j.3.decision, &j.5) {
            let me = who(&j.1, person);
            if confirmers.contains(&me) {
                let named = if auth.is_office() {
                    me
                } else {
                    format!("{}…", crate::short(&j.1))
                };
                j.5 = Err(Refusal::OwnConfirmation { person: named });
            }
        }
    }
    let mut nodes = Vec::with_capacity(judged.len());
    for (event_id, device, seq, record, claimed_time, verdict) in judged {
        let (person, refusal) = match &verdict {
            Ok(person) => (Some(person.clone()), None),
            Err(refusal) => (None, Some(refusal)),
        };
        conn.prepare_cached(
            "UPDATE reviews SET person = ?2, counts = ?3, refusal = ?4 WHERE event_id = ?1",
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
        refuse::settle(conn, &event_id, &device, seq, refusal, fid)?;
        nodes.push(DecisionNode {
            event_id,
            person: person.unwrap_or_default(),
            decision: record.decision,
            follows: record.follows,
            claimed_time,
            counts: refusal.is_none(),
        });
    }
    Ok(settle(&nodes, finding.points, auth.second_reviewer_from()).status)
}

/// The decision at the head of finding `fid`'s chain, as settled: what a
/// new decision follows.
pub(crate) fn head_of(
    conn: &Connection,
    auth: &Authority,
    fid: &str,
) -> Result<Option<String>, LedgerError> {
    let rows: Vec<(String, String, bool, String, String)> = conn
        .prepare_cached(
            "SELECT r.event_id, coalesce(r.person, r.reviewer), r.counts, r.claimed_time, e.body
               FROM reviews r JOIN events e ON e.id = r.event_id
              WHERE r.finding_id = ?1",
        )?
        .query_map([fid], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<Result<_, _>>()?;
    let points: Option<i64> = conn
        .prepare_cached("SELECT points FROM findings WHERE finding_id = ?1")?
        .query_row([fid], |r| r.get(0))
        .optional()?;
    let mut nodes = Vec::with_capacity(rows.len());
    for (event_id, person, counts, time, body) in rows {
        let (record, claimed_time) = parse_decision(&event_id, &time, &body)?;
        nodes.push(DecisionNode {
            event_id,
            person,
            decision: record.decision,
            follows: record.follows,
            claimed_time,
            counts,
        });
    }
    let points = Points::from_hundredths(points.unwrap_or(0));
    Ok(settle(&nodes, points, auth.second_reviewer_from()).head)
}
