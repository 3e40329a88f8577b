//! The register of units: every version kept, the current one chosen by
//! version number and then event id, never by arrival or claimed time.

use super::{json, refuse};
use crate::error::LedgerError;
use crate::event::StoredEvent;
use anfang_core::authority::{Authority, Role};
use anfang_core::register::UnitRegistered;
use rusqlite::{Connection, OptionalExtension, params};

/// Keeps one version of a unit; it counts when its device's person is the
/// office's admin (any device, with no office pinned).
pub(super) fn unit_registered(
    conn: &Connection,
    auth: &Authority,
    ev: &StoredEvent,
    u: &UnitRegistered,
) -> Result<(), LedgerError> {
    let unit_id = u.unit_id.to_string();
    let seq = u64::try_from(ev.seq).unwrap_or(0);
    let verdict = auth.grant(&ev.device, seq, Role::Admin, &u.unit());
    if let Err(refusal) = &verdict {
        refuse::record(conn, ev, refusal, &unit_id)?;
    }
    conn.prepare_cached(
        "INSERT OR IGNORE INTO unit_versions (event_id, unit_id, version, name, department, kind, parent,
                                              aliases, active_from, active_to, device, claimed_time, counts)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        ev.id,
        unit_id,
        i64::from(u.version),
        u.name,
        u.department,
        u.kind,
        u.parent.map(|p| p.to_string()),
        json(&u.aliases)?,
        u.active_from.map(|d| d.to_string()),
        u.active_to.map(|d| d.to_string()),
        ev.device,
        ev.claimed_time,
        verdict.is_ok()
    ])?;
    refresh_unit(conn, &unit_id)
}

/// Makes `units` show the unit's current version, or nothing when none counts.
fn refresh_unit(conn: &Connection, unit_id: &str) -> Result<(), LedgerError> {
    let current: Option<String> = conn
        .prepare_cached(
            "SELECT event_id FROM unit_versions WHERE unit_id = ?1 AND counts
             ORDER BY version DESC, event_id DESC LIMIT 1",
        )?
        .query_row([unit_id], |r| r.get(0))
        .optional()?;
    conn.prepare_cached("DELETE FROM units WHERE unit_id = ?1")?
        .execute([unit_id])?;
    if let Some(event_id) = current {
        conn.prepare_cached(
            "INSERT INTO units (unit_id, event_id, version, name, department, kind, parent, aliases,
                                active_from, active_to)
             SELECT unit_id, event_id, version, name, department, kind, parent, aliases, active_from, active_to
               FROM unit_versions WHERE event_id = ?1",
        )?
        .execute([event_id])?;
    }
    Ok(())
}
