//! Reading a bundle's events and checking each one — its id against its
//! bytes, its body, its place in its device's chain, the signatures of each
//! chain's heads — on a thread of its own, while the merging thread writes
//! the events before it. The checks are the same and come in the same
//! order as when one thread did both; the merging thread gets them a few
//! hundred events ahead.

use crate::canonical::parse_time;
use crate::checks::{Chain, PrevLink, check_event};
use crate::event::{EVENT_COLUMNS, StoredEvent};
use crate::refusal::{Problem, RefusalKind};
use anfang_core::event::EventBody;
use rusqlite::Connection;
use std::sync::mpsc::SyncSender;

/// Checked events are handed over this many at a time: one hand-over per
/// event costs the two threads more than the checking saves.
const BATCH: usize = 256;
/// How many batches may wait for the merging thread.
pub(crate) const READ_AHEAD: usize = 4;

/// One event of the bundle, read and checked.
pub(crate) struct Checked {
    /// The event as the bundle holds it.
    pub ev: StoredEvent,
    /// Its body, parsed.
    pub body: EventBody,
    /// Its claimed time, parsed (the check makes sure it parses).
    pub claimed: Option<jiff::Timestamp>,
    /// The previous event it names when this bundle's chain does not hold
    /// it: the merging thread looks for it in the ledger.
    pub unseen_prev: Option<String>,
}

/// Reading the bundle failed: that is the bundle's fault.
pub(crate) fn unreadable(e: rusqlite::Error) -> Problem {
    Problem::new(RefusalKind::Unreadable, format!("cannot read it ({e})"))
}

/// Reads `src`'s events in order of device, sequence number and id, checks
/// each and hands it to `out`. Returns the number of signatures checked, or
/// the first problem (the events before it were handed over). Stops early,
/// without a problem, when nobody takes the events any more.
pub(crate) fn read_checked(
    src: &Connection,
    out: &SyncSender<Vec<Checked>>,
) -> Result<u64, Problem> {
    let mut batch = Vec::with_capacity(BATCH);
    let read = read_into(src, out, &mut batch);
    // The events checked before a problem go over first: the merging thread
    // may find a problem of its own in them, which then comes first.
    if read.is_err() && !batch.is_empty() {
        let _ = out.send(batch);
    }
    read
}

/// [`read_checked`], with the batch being filled kept by the caller.
fn read_into(
    src: &Connection,
    out: &SyncSender<Vec<Checked>>,
    batch: &mut Vec<Checked>,
) -> Result<u64, Problem> {
    let mut stmt = src
        .prepare(&format!(
            "SELECT {EVENT_COLUMNS} FROM events ORDER BY device, seq, id"
        ))
        .map_err(unreadable)?;
    let mut rows = stmt.query([]).map_err(unreadable)?;
    let mut chain: Option<Chain> = None;
    let mut signatures = 0u64;
    let mut read = 0u64;
    while let Some(row) = rows.next().map_err(unreadable)? {
        read += 1;
        let ev = StoredEvent::from_row(row).map_err(|e| {
            Problem::new(
                RefusalKind::MalformedEvent,
                format!("event row {read}: {e}"),
            )
        })?;
        let (id, body) = check_event(&ev)?;
        if chain.as_ref().is_none_or(|c| c.device != ev.device) {
            if let Some(finished) = chain.take() {
                signatures += finished.check_heads()?;
            }
            chain = Some(Chain::new(&ev.device));
        }
        let current = chain.get_or_insert_with(|| Chain::new(&ev.device));
        let unseen_prev = match current.add(&ev, id)? {
            PrevLink::Unseen(prev) => Some(prev),
            PrevLink::Genesis | PrevLink::Seen => None,
        };
        let claimed = parse_time(&ev.claimed_time);
        batch.push(Checked {
            ev,
            body,
            claimed,
            unseen_prev,
        });
        if batch.len() == BATCH {
            let full = std::mem::replace(batch, Vec::with_capacity(BATCH));
            if out.send(full).is_err() {
                return Ok(signatures);
            }
        }
    }
    // The last events go over before their chain's heads are checked, as
    // every other event did before the check that follows it.
    if !batch.is_empty() && out.send(std::mem::take(batch)).is_err() {
        return Ok(signatures);
    }
    if let Some(finished) = chain.take() {
        signatures += finished.check_heads()?;
    }
    Ok(signatures)
}
