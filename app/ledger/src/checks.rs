//! Checks shared by merge and verify: an event's fields against its id, and
//! the hash links of one device's chain.

use crate::canonical::{is_hex64, parse_time};
use crate::error::LedgerError;
use crate::event::StoredEvent;
use crate::key::{decode_array, signature_holds};
use crate::refusal::{Problem, RefusalKind};
use crate::types::short;
use anfang_core::event::{BODY_SCHEMA_VERSION, EventBody};
use rusqlite::{Connection, OptionalExtension};
use std::collections::HashMap;

/// Checks every field of a stored event, that its bytes hash to its id, and
/// that its body parses. Returns the id bytes and the body.
pub(crate) fn check_event(ev: &StoredEvent) -> Result<([u8; 32], EventBody), Problem> {
    let name = short(&ev.id);
    let malformed = |text: String| Problem::new(RefusalKind::MalformedEvent, text);
    if !is_hex64(&ev.id) {
        return Err(malformed(format!(
            "event id '{}' is not 64 lowercase hex digits",
            ev.id
        )));
    }
    if !is_hex64(&ev.device) {
        return Err(malformed(format!(
            "event {name}: device '{}' is not a hex public key",
            ev.device
        )));
    }
    match (ev.seq, ev.prev.as_deref()) {
        (seq, _) if seq < 1 => {
            return Err(malformed(format!(
                "event {name}: sequence number {seq} is below 1"
            )));
        }
        (1, Some(prev)) => {
            return Err(malformed(format!(
                "event {name}: first event names a previous event {prev}"
            )));
        }
        (seq, None) if seq > 1 => {
            return Err(malformed(format!(
                "event {name}: sequence number {seq} without a previous event"
            )));
        }
        (_, Some(prev)) if !is_hex64(prev) => {
            return Err(malformed(format!(
                "event {name}: previous id '{prev}' is not hex"
            )));
        }
        _ => {}
    }
    if parse_time(&ev.claimed_time).is_none() {
        return Err(malformed(format!(
            "event {name}: claimed time '{}' is not in the stored form",
            ev.claimed_time
        )));
    }
    if ev.schema < 1 || ev.schema > i64::from(BODY_SCHEMA_VERSION) {
        let kind = if ev.schema < 1 {
            RefusalKind::MalformedEvent
        } else {
            RefusalKind::TooNew
        };
        return Err(Problem::new(
            kind,
            format!(
                "event {name}: body schema version {} (this anfang understands 1 to {BODY_SCHEMA_VERSION}; update anfang)",
                ev.schema
            ),
        ));
    }
    if decode_array::<64>(&ev.signature).is_none() {
        return Err(malformed(format!(
            "event {name}: signature '{}' is not 128 hex digits",
            ev.signature
        )));
    }
    let id = ev.envelope().id_bytes();
    if hex::encode(id) != ev.id {
        return Err(Problem::new(
            RefusalKind::IdMismatch,
            format!(
                "event {}: its bytes do not match its id (they hash to {})",
                ev.id,
                hex::encode(id)
            ),
        ));
    }
    let body = crate::event::parse_body(&ev.kind, &ev.body)
        .map_err(|e| malformed(format!("event {name}: {e}")))?;
    Ok((id, body))
}

/// Checks a signature; the error names the event and device.
pub(crate) fn check_signature(
    device: &str,
    id: &[u8; 32],
    seq: i64,
    signature: &str,
) -> Result<(), Problem> {
    if signature_holds(device, id, signature) {
        Ok(())
    } else {
        Err(Problem::new(
            RefusalKind::BadSignature,
            format!(
                "event {} (device {} seq {seq}): the signature does not hold (forged or damaged)",
                hex::encode(id),
                short(device)
            ),
        ))
    }
}

struct Node {
    seq: i64,
    signature: String,
    has_child: bool,
}

/// How an event's previous id relates to the chain seen so far.
pub(crate) enum PrevLink {
    /// seq 1: no previous event.
    Genesis,
    /// The previous event was seen in this chain.
    Seen,
    /// Not seen in this chain: the caller looks it up elsewhere.
    Unseen(String),
}

/// The events of one device seen so far, in (seq, id) order.
pub(crate) struct Chain {
    pub device: String,
    nodes: HashMap<[u8; 32], Node>,
}

impl Chain {
    pub fn new(device: &str) -> Chain {
        Chain {
            device: device.to_string(),
            nodes: HashMap::new(),
        }
    }

    /// Adds an event (already checked by [`check_event`]); refuses a link to
    /// a seen event with the wrong sequence number.
    pub fn add(&mut self, ev: &StoredEvent, id: [u8; 32]) -> Result<PrevLink, Problem> {
        let link = match ev.prev.as_deref() {
            None => PrevLink::Genesis,
            Some(prev) => match decode_array::<32>(prev).and_then(|p| self.nodes.get_mut(&p)) {
                Some(parent) if parent.seq == ev.seq - 1 => {
                    parent.has_child = true;
                    PrevLink::Seen
                }
                Some(parent) => {
                    return Err(Problem::new(
                        RefusalKind::BrokenChain,
                        format!(
                            "event {} (seq {}) links to event {} with sequence number {}",
                            short(&ev.id),
                            ev.seq,
                            short(prev),
                            parent.seq
                        ),
                    ));
                }
                None => PrevLink::Unseen(prev.to_string()),
            },
        };
        self.nodes.insert(
            id,
            Node {
                seq: ev.seq,
                signature: ev.signature.clone(),
                has_child: false,
            },
        );
        Ok(link)
    }

    /// Checks the signature of every segment head (an event no later event
    /// of this chain follows): with the hash links, that proves every event.
    /// Returns how many signatures were checked.
    pub fn check_heads(&self) -> Result<u64, Problem> {
        let mut heads: Vec<(&[u8; 32], &Node)> =
            self.nodes.iter().filter(|(_, n)| !n.has_child).collect();
        heads.sort_by_key(|(id, n)| (n.seq, **id));
        for (id, node) in &heads {
            check_signature(&self.device, id, node.seq, &node.signature)?;
        }
        Ok(heads.len() as u64)
    }
}

/// A previous event not in the chain being checked: if this ledger has it,
/// it must be the same device's event one sequence number earlier (if not,
/// it is a gap, flagged elsewhere). Returns the problem when it is not.
pub(crate) fn outside_link(
    conn: &Connection,
    ev: &StoredEvent,
    prev: &str,
) -> Result<Option<Problem>, LedgerError> {
    let found: Option<(String, i64)> = conn
        .prepare_cached("SELECT device, seq FROM events WHERE id = ?1")?
        .query_row([prev], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(match found {
        Some((device, seq)) if device != ev.device || seq != ev.seq - 1 => Some(Problem::new(
            RefusalKind::BrokenChain,
            format!(
                "event {} (device {} seq {}) links to event {} of device {} seq {seq}",
                short(&ev.id),
                short(&ev.device),
                ev.seq,
                short(prev),
                short(&device)
            ),
        )),
        _ => None,
    })
}
