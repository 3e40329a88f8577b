//! Published methods and office deductions: kept whole, counting when the
//! roster allows (the method by the office's admin, a deduction by a
//! reviewer of the unit; any device with no office pinned).

use super::{json, refuse};
use crate::error::LedgerError;
use crate::event::StoredEvent;
use anfang_core::authority::{Authority, Role};
use anfang_core::office_deduction::{MethodPublished, OfficeDeductionEntered};
use anfang_core::visit::Unit;
use rusqlite::{Connection, params};

/// What the roster is asked about when a method is published: no unit.
pub(crate) fn method_subject() -> Unit {
    Unit {
        name: "考评办法".into(),
        department: String::new(),
    }
}

/// Keeps a published method; it counts when published by the admin.
pub(super) fn method_published(
    conn: &Connection,
    auth: &Authority,
    ev: &StoredEvent,
    m: &MethodPublished,
) -> Result<(), LedgerError> {
    let seq = u64::try_from(ev.seq).unwrap_or(0);
    let verdict = auth.grant(&ev.device, seq, Role::Admin, &method_subject());
    if let Err(refusal) = &verdict {
        refuse::record(conn, ev, refusal, &format!("method {}", m.version))?;
    }
    conn.prepare_cached(
        "INSERT OR IGNORE INTO methods (event_id, version, document, device, claimed_time, counts)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        ev.id,
        i64::from(m.version),
        m.document,
        ev.device,
        ev.claimed_time,
        verdict.is_ok()
    ])?;
    Ok(())
}

/// Keeps an office deduction, pending until reviewed; it can count only
/// when entered by a reviewer of the unit.
pub(super) fn office_deduction(
    conn: &Connection,
    auth: &Authority,
    ev: &StoredEvent,
    d: &OfficeDeductionEntered,
) -> Result<(), LedgerError> {
    let seq = u64::try_from(ev.seq).unwrap_or(0);
    let verdict = auth.grant(&ev.device, seq, Role::Reviewer, &d.unit);
    if let Err(refusal) = &verdict {
        refuse::record(conn, ev, refusal, &d.unit.name)?;
    }
    conn.prepare_cached(
        "INSERT OR IGNORE INTO office_deductions (event_id, deduction_id, unit, department, item, section,
                                                  count, points, day, reason, entry, device, claimed_time, counts,
                                                  evidence, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 'pending')",
    )?
    .execute(params![
        ev.id,
        d.deduction_id.to_string(),
        d.unit.name,
        d.unit.department,
        d.item,
        d.section,
        i64::from(d.count.unwrap_or(1)),
        d.points.hundredths(),
        d.date.to_string(),
        d.reason,
        json(d)?,
        ev.device,
        ev.claimed_time,
        verdict.is_ok(),
        d.evidence.as_ref().map(|e| e.sha256.as_str())
    ])?;
    // Decisions that came before the deduction are judged now it is here.
    super::deduction_decisions::settle_deduction(conn, auth, &d.deduction_id.to_string())
}
