//! The `refused` table: events kept that count for nothing, with why.

use crate::error::LedgerError;
use crate::event::StoredEvent;
use anfang_core::Lang;
use anfang_core::authority::Refusal;
use rusqlite::{Connection, params};

/// Notes that `ev` does not count, and why. `about` names the finding,
/// visit or unit concerned.
pub(crate) fn record(
    conn: &Connection,
    ev: &StoredEvent,
    refusal: &Refusal,
    about: &str,
) -> Result<(), LedgerError> {
    insert(
        conn,
        (ev.id.as_str(), ev.device.as_str(), ev.seq, ev.kind.as_str()),
        refusal,
        about,
    )
}

/// No longer refused: an event judged afresh that now counts.
pub(crate) fn forget(conn: &Connection, event_id: &str) -> Result<(), LedgerError> {
    conn.prepare_cached("DELETE FROM refused WHERE event_id = ?1")?
        .execute([event_id])?;
    Ok(())
}

/// Notes that the event (id, device, seq, kind), judged afresh, does not count.
pub(crate) fn insert_for(
    conn: &Connection,
    event: (&str, &str, i64, &str),
    refusal: &Refusal,
    about: &str,
) -> Result<(), LedgerError> {
    insert(conn, event, refusal, about)
}

/// One row of `refused`, for the event (id, device, seq, kind).
fn insert(
    conn: &Connection,
    (event_id, device, seq, kind): (&str, &str, i64, &str),
    refusal: &Refusal,
    about: &str,
) -> Result<(), LedgerError> {
    super::memo::forget_device(device);
    conn.prepare_cached(
        "INSERT OR REPLACE INTO refused (event_id, device, seq, kind, class, reason, reason_zh, about)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        event_id,
        device,
        seq,
        kind,
        refusal.class(),
        refusal.text(Lang::En),
        refusal.text(Lang::Zh),
        about
    ])?;
    Ok(())
}

/// Notes a decision's verdict, settled afresh: refused with its reason, or
/// no longer refused.
pub(crate) fn settle(
    conn: &Connection,
    event_id: &str,
    device: &str,
    seq: i64,
    refusal: Option<&Refusal>,
    about: &str,
) -> Result<(), LedgerError> {
    conn.prepare_cached("DELETE FROM refused WHERE event_id = ?1")?
        .execute([event_id])?;
    match refusal {
        Some(refusal) => insert(
            conn,
            (event_id, device, seq, "review_decided"),
            refusal,
            about,
        ),
        None => Ok(()),
    }
}
