//! The office's own records beside the register: names mapped to registered
//! units, issued bulletins, and checklists published as data. Each version
//! is kept; which holds is chosen by numbers and event ids carried in the
//! events, never by arrival or claimed time.

use super::{json, refuse};
use crate::error::LedgerError;
use crate::event::StoredEvent;
use anfang_core::authority::{Authority, Granted, Refusal, Role};
use anfang_core::bulletin::BulletinIssued;
use anfang_core::checklist_published::ChecklistPublished;
use anfang_core::unit_map::UnitMapped;
use anfang_core::visit::Unit;
use rusqlite::{Connection, params};

/// The unit an office-wide record is checked against: it concerns no one
/// unit, so only a recusal naming this label could refuse it.
fn office_wide(what: &str) -> Unit {
    Unit {
        name: what.to_string(),
        department: String::new(),
    }
}

/// Whether the device's event may act as one of `roles`; refused, the
/// reason the first role gives.
pub(crate) fn grant_any(
    auth: &Authority,
    device: &str,
    seq: u64,
    roles: &[Role],
    unit: &Unit,
) -> Result<Granted, Refusal> {
    let mut first = None;
    for role in roles {
        match auth.grant(device, seq, *role, unit) {
            Ok(granted) => return Ok(granted),
            // The first role's refusal says it best: "not a reviewer".
            Err(refusal) => {
                first.get_or_insert(refusal);
            }
        }
    }
    Err(first.unwrap_or(Refusal::NotEnrolled))
}

/// The roles that may record an issued bulletin.
pub(crate) const BULLETIN_ROLES: [Role; 2] = [Role::Reviewer, Role::Admin];

/// Keeps a mapping of a typed name; it counts when published by the admin.
pub(super) fn unit_mapped(
    conn: &Connection,
    auth: &Authority,
    ev: &StoredEvent,
    m: &UnitMapped,
) -> Result<(), LedgerError> {
    let seq = u64::try_from(ev.seq).unwrap_or(0);
    let verdict = auth.grant(&ev.device, seq, Role::Admin, &office_wide(&m.typed));
    if let Err(refusal) = &verdict {
        refuse::record(conn, ev, refusal, &m.typed)?;
    }
    conn.prepare_cached(
        "INSERT OR IGNORE INTO unit_mappings (event_id, typed, unit_id, version, counts)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        ev.id,
        m.typed.trim(),
        m.unit_id.to_string(),
        i64::from(m.version),
        verdict.is_ok()
    ])?;
    Ok(())
}

/// Keeps an issued bulletin; it counts when recorded by a reviewer or the
/// admin (any device with no office) and when it is whole.
pub(super) fn bulletin_issued(
    conn: &Connection,
    auth: &Authority,
    ev: &StoredEvent,
    b: &BulletinIssued,
) -> Result<(), LedgerError> {
    let seq = u64::try_from(ev.seq).unwrap_or(0);
    let about = office_wide(&b.number);
    let verdict = grant_any(auth, &ev.device, seq, &BULLETIN_ROLES, &about)
        .map(|_| ())
        .and_then(|()| {
            b.validate().map_err(|e| Refusal::PointsOffRule {
                detail: e.to_string(),
            })
        });
    if let Err(refusal) = &verdict {
        refuse::record(conn, ev, refusal, &b.number)?;
    }
    conn.prepare_cached(
        "INSERT OR IGNORE INTO bulletins (event_id, number, issued, body, device, claimed_time, counts)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        ev.id,
        b.number.trim(),
        b.date.to_string(),
        json(b)?,
        ev.device,
        ev.claimed_time,
        verdict.is_ok()
    ])?;
    Ok(())
}

/// Keeps a published checklist; it counts when published by the admin.
pub(super) fn checklist_published(
    conn: &Connection,
    auth: &Authority,
    ev: &StoredEvent,
    c: &ChecklistPublished,
) -> Result<(), LedgerError> {
    let seq = u64::try_from(ev.seq).unwrap_or(0);
    let verdict = auth.grant(&ev.device, seq, Role::Admin, &office_wide(&c.checklist_id));
    if let Err(refusal) = &verdict {
        refuse::record(conn, ev, refusal, &c.checklist_id)?;
    }
    conn.prepare_cached(
        "INSERT OR IGNORE INTO published_checklists (event_id, checklist_id, version, document, counts)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        ev.id,
        c.checklist_id,
        i64::from(c.version),
        c.document,
        verdict.is_ok()
    ])?;
    Ok(())
}
