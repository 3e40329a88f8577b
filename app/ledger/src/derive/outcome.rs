//! Accountability outcomes (问责): kept always, counted when recorded by a
//! reviewer of the finding's unit (any device with no office) on a finding
//! confirmed or further on. A finding's status moves as its decisions
//! arrive, so its outcomes are judged afresh whenever it changes.

use super::{own_opening, refuse};
use crate::error::LedgerError;
use crate::event::StoredEvent;
use anfang_core::authority::{Authority, Refusal, Role};
use anfang_core::outcome::OutcomeRecorded;
use anfang_core::review::ReviewStatus;
use anfang_core::visit::Unit;
use rusqlite::{Connection, OptionalExtension, params};

/// The statuses at which a finding holds someone to account.
const ACCOUNTABLE: [ReviewStatus; 4] = [
    ReviewStatus::Confirmed,
    ReviewStatus::RectificationRequired,
    ReviewStatus::Rectified,
    ReviewStatus::Verified,
];

/// Keeps an outcome and judges it with the others of its finding.
pub(super) fn outcome_recorded(
    conn: &Connection,
    auth: &Authority,
    ev: &StoredEvent,
    o: &OutcomeRecorded,
) -> Result<(), LedgerError> {
    let fid = o.finding_id.to_string();
    conn.prepare_cached(
        "INSERT OR IGNORE INTO outcomes (event_id, finding_id, person, kind, decided, number, note,
                                         device, seq, claimed_time, counts)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0)",
    )?
    .execute(params![
        ev.id,
        fid,
        o.person.trim(),
        o.kind.as_str(),
        o.date.to_string(),
        o.number.as_deref().map(str::trim),
        o.note,
        ev.device,
        ev.seq,
        ev.claimed_time
    ])?;
    settle(conn, auth, &fid)
}

/// Judges afresh every outcome of finding `fid`: counted, or refused with why.
pub(crate) fn settle(conn: &Connection, auth: &Authority, fid: &str) -> Result<(), LedgerError> {
    let outcomes: Vec<(String, String, i64)> = conn
        .prepare_cached("SELECT event_id, device, seq FROM outcomes WHERE finding_id = ?1")?
        .query_map([fid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<Result<_, _>>()?;
    if outcomes.is_empty() {
        return Ok(());
    }
    let (status, unit) = finding_context(conn, fid)?;
    for (event_id, device, seq) in outcomes {
        let verdict = judge(auth, &device, seq, status.as_deref(), unit.as_ref());
        conn.prepare_cached("UPDATE outcomes SET counts = ?2 WHERE event_id = ?1")?
            .execute(params![event_id, verdict.is_ok()])?;
        match verdict {
            Ok(()) => refuse::forget(conn, &event_id)?,
            Err(refusal) => refuse::insert_for(
                conn,
                (&event_id, &device, seq, "outcome_recorded"),
                &refusal,
                fid,
            )?,
        }
    }
    Ok(())
}

/// A finding's status id and unit, when it is here.
pub(crate) fn finding_context(
    conn: &Connection,
    fid: &str,
) -> Result<(Option<String>, Option<Unit>), LedgerError> {
    let finding: Option<(String, String, String)> = conn
        .prepare_cached("SELECT device, visit_id, status FROM findings WHERE finding_id = ?1")?
        .query_row([fid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    match finding {
        Some((device, visit_id, status)) => {
            Ok((Some(status), own_opening(conn, &visit_id, &device)?))
        }
        None => Ok((None, None)),
    }
}

/// Whether one outcome counts, given its finding's status and unit.
pub(crate) fn judge(
    auth: &Authority,
    device: &str,
    seq: i64,
    status: Option<&str>,
    unit: Option<&Unit>,
) -> Result<(), Refusal> {
    let (Some(status), Some(unit)) = (status, unit) else {
        return Err(Refusal::Orphan);
    };
    if auth.is_office() {
        let seq = u64::try_from(seq).unwrap_or(0);
        auth.grant(device, seq, Role::Reviewer, unit)?;
    }
    if ACCOUNTABLE.iter().any(|s| s.as_str() == status) {
        Ok(())
    } else {
        Err(Refusal::NotConfirmed {
            status: status.to_string(),
        })
    }
}
