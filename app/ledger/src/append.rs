//! Writing: every change is one signed event, durable when `Ok` returns.

use crate::Ledger;
use crate::canonical::{Envelope, format_time};
use crate::error::LedgerError;
use crate::event::{StoredEvent, body_json};
use crate::key::DeviceKey;
use crate::types::EventId;
use crate::{derive, flags};
use anfang_core::event::{BODY_SCHEMA_VERSION, EventBody};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

impl Ledger {
    /// Appends an event claimed at the current time.
    pub fn append(&mut self, body: &EventBody) -> Result<EventId, LedgerError> {
        self.append_at(body, jiff::Timestamp::now())
    }

    /// Appends an event with a given claimed time (kept to the millisecond).
    pub fn append_at(
        &mut self,
        body: &EventBody,
        claimed: jiff::Timestamp,
    ) -> Result<EventId, LedgerError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id = append_in(&tx, &self.authority, &self.key, body, claimed)?;
        tx.commit()?;
        self.after_append(body)?;
        Ok(id)
    }

    /// Appends as another device (demo data: several laptops' worth).
    pub fn append_as(
        &mut self,
        key: &DeviceKey,
        body: &EventBody,
        claimed: jiff::Timestamp,
    ) -> Result<EventId, LedgerError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let id = append_in(&tx, &self.authority, key, body, claimed)?;
        tx.commit()?;
        self.after_append(body)?;
        Ok(id)
    }

    /// Many events in one transaction (demo, import); `None` signs with this ledger's key.
    pub fn append_batch(
        &mut self,
        items: &[(Option<&DeviceKey>, EventBody, jiff::Timestamp)],
    ) -> Result<Vec<EventId>, LedgerError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut ids = Vec::with_capacity(items.len());
        for (key, body, claimed) in items {
            ids.push(append_in(
                &tx,
                &self.authority,
                key.unwrap_or(&self.key),
                body,
                *claimed,
            )?);
        }
        tx.commit()?;
        for (_, body, _) in items {
            self.after_append(body)?;
        }
        Ok(ids)
    }

    /// A roster version may change what counts everywhere.
    pub(crate) fn after_append(&mut self, body: &EventBody) -> Result<(), LedgerError> {
        if matches!(body, EventBody::RosterPublished(_)) {
            self.refresh_authority()?;
        }
        Ok(())
    }

    /// Events made one at a time, all in one transaction, signed with this
    /// ledger's key and claimed at `claimed`: an import of a million rows
    /// never holds them all. `produce` hands each event to the function it
    /// is given; an error from either rolls every event back. Returns how
    /// many events were appended.
    pub fn append_each<E: From<LedgerError>>(
        &mut self,
        claimed: jiff::Timestamp,
        produce: impl FnOnce(&mut dyn FnMut(&EventBody) -> Result<(), LedgerError>) -> Result<(), E>,
    ) -> Result<u64, E> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(LedgerError::from)?;
        let key = &self.key;
        let authority = &self.authority;
        let mut appended = 0u64;
        produce(&mut |body| {
            append_in(&tx, authority, key, body, claimed)?;
            appended += 1;
            Ok(())
        })?;
        tx.commit().map_err(LedgerError::from)?;
        Ok(appended)
    }
}

/// Signs and stores one event at the head of `key`'s chain, and derives from it.
pub(crate) fn append_in(
    conn: &Connection,
    auth: &anfang_core::authority::Authority,
    key: &DeviceKey,
    body: &EventBody,
    claimed: jiff::Timestamp,
) -> Result<EventId, LedgerError> {
    crate::fts::begin(conn)?;
    let device = key.device_id();
    let head: Option<(i64, String)> = conn
        .prepare_cached(
            "SELECT seq, id FROM events WHERE device = ?1 ORDER BY seq DESC, id LIMIT 1",
        )?
        .query_row([device], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (seq, prev) = match head {
        Some((seq, id)) => (seq + 1, Some(id)),
        None => (1, None),
    };
    let body_text = body_json(body)?;
    let claimed_time = format_time(claimed);
    let schema = i64::from(BODY_SCHEMA_VERSION);
    let envelope = Envelope {
        device,
        seq,
        prev: prev.as_deref(),
        claimed_time: &claimed_time,
        schema,
        kind: body.kind(),
        body: &body_text,
    };
    let id_bytes = envelope.id_bytes();
    let event = StoredEvent {
        id: hex::encode(id_bytes),
        device: device.to_string(),
        seq,
        prev,
        claimed_time,
        schema,
        kind: body.kind().to_string(),
        body: body_text,
        signature: key.sign(&id_bytes),
    };
    if !event.insert_or_ignore(conn)? {
        // Identical bytes already present: the same event, nothing to add.
        return Ok(event.id);
    }
    derive::apply(conn, auth, &event, body)?;
    flags::note_appended(
        conn,
        &event.device,
        event.seq,
        &event.id,
        event.prev.as_deref(),
        &event.claimed_time,
    )?;
    crate::fts::flush(conn)?;
    Ok(event.id)
}
