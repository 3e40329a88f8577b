//! The office a ledger answers to: the pinned fingerprint, the roster
//! versions in the events, and the events they refuse.

use crate::Ledger;
use crate::canonical::format_time;
use crate::error::LedgerError;
use crate::types::EventId;
use anfang_core::authority::{Authority, RosterCandidate};
use anfang_core::event::{EventBody, RootSignature, RosterPublished};
use rusqlite::{Connection, OptionalExtension};

pub mod adopt;
pub mod root_key;

/// The fingerprint this ledger pins, if any.
pub(crate) fn pinned(conn: &Connection) -> Result<Option<String>, LedgerError> {
    // Older migrations derive before the table exists: no office then.
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'office_pin')",
        [],
        |r| r.get(0),
    )?;
    if !exists {
        return Ok(None);
    }
    Ok(conn
        .query_row("SELECT fingerprint FROM office_pin LIMIT 1", [], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Every roster version the ledger holds, as candidates.
pub(crate) fn candidates(conn: &Connection) -> Result<Vec<RosterCandidate>, LedgerError> {
    let rows: Vec<(String, String)> = conn
        .prepare_cached("SELECT id, body FROM events WHERE kind = 'roster_published' ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|(event_id, body)| {
            let published: RosterPublished = serde_json::from_str(&body)
                .map_err(|e| LedgerError::Damaged(format!("roster event {event_id}: {e}")))?;
            Ok(RosterCandidate {
                event_id,
                document: published.document,
                signatures: published
                    .signatures
                    .into_iter()
                    .map(|s| (s.key, s.signature))
                    .collect(),
            })
        })
        .collect()
}

/// The authority the ledger's events establish under its pin.
pub(crate) fn load(conn: &Connection) -> Result<Authority, LedgerError> {
    match pinned(conn)? {
        None => Ok(Authority::Open),
        Some(fingerprint) => Ok(Authority::office(&fingerprint, &candidates(conn)?)),
    }
}

/// One event kept that counts for nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedEvent {
    /// The event.
    pub event_id: String,
    /// The device that made it.
    pub device: String,
    /// Its sequence number.
    pub seq: i64,
    /// Its kind (`review_decided`, …).
    pub kind: String,
    /// `unauthorized` or `invalid`.
    pub class: String,
    /// Why, in English.
    pub reason: String,
    /// Why, in Chinese.
    pub reason_zh: String,
    /// The finding, visit or unit concerned.
    pub about: String,
}

impl Ledger {
    /// The office this ledger answers to, as its events establish it.
    pub fn authority(&self) -> &Authority {
        &self.authority
    }

    /// The pinned office's fingerprint; `None` in open mode.
    pub fn office_fingerprint(&self) -> Result<Option<String>, LedgerError> {
        pinned(&self.conn)
    }

    /// Pins the office with this fingerprint and derives everything again
    /// under its roster. A ledger pins one office, once.
    pub fn pin_office(&mut self, fingerprint: &str) -> Result<(), LedgerError> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if let Some(held) = pinned(&tx)? {
            if held == fingerprint {
                return Ok(());
            }
            return Err(LedgerError::OfficePinned(held));
        }
        tx.execute(
            "INSERT INTO office_pin (fingerprint, pinned_at) VALUES (?1, ?2)",
            [fingerprint, &format_time(jiff::Timestamp::now())],
        )?;
        crate::rebuild::rebuild_in(&tx)?;
        tx.commit()?;
        self.authority = load(&self.conn)?;
        Ok(())
    }

    /// Records a roster version signed by root keys, and derives everything
    /// again if it changes what counts.
    pub fn publish_roster(
        &mut self,
        document: String,
        signatures: Vec<RootSignature>,
    ) -> Result<EventId, LedgerError> {
        let body = EventBody::RosterPublished(RosterPublished {
            document,
            signatures,
        });
        self.append(&body)
    }

    /// Every roster version held (for `roster list` and for new versions).
    pub fn roster_candidates(&self) -> Result<Vec<RosterCandidate>, LedgerError> {
        candidates(&self.conn)
    }

    /// Events kept that count for nothing, by device and sequence.
    pub fn refused_events(&self) -> Result<Vec<RefusedEvent>, LedgerError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT event_id, device, seq, kind, class, reason, reason_zh, about
               FROM refused ORDER BY device, seq, event_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(RefusedEvent {
                event_id: r.get(0)?,
                device: r.get(1)?,
                seq: r.get(2)?,
                kind: r.get(3)?,
                class: r.get(4)?,
                reason: r.get(5)?,
                reason_zh: r.get(6)?,
                about: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// How many events are kept that count for nothing.
    pub fn refused_count(&self) -> Result<u64, LedgerError> {
        let n: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM refused")?
            .query_row([], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// The refused events about one finding, visit or unit.
    pub fn refused_about(&self, about: &str) -> Result<Vec<RefusedEvent>, LedgerError> {
        Ok(self
            .refused_events()?
            .into_iter()
            .filter(|r| r.about == about)
            .collect())
    }

    /// Reloads the authority after roster events arrived, deriving
    /// everything again when it changed.
    pub(crate) fn refresh_authority(&mut self) -> Result<(), LedgerError> {
        let fresh = load(&self.conn)?;
        if fresh != self.authority {
            self.rebuild()?;
            self.authority = fresh;
        }
        Ok(())
    }
}

impl Ledger {
    /// What a new decision on a finding follows: the head of its chain of
    /// decisions as this ledger holds it.
    pub fn decision_follows(
        &self,
        finding_id: uuid::Uuid,
    ) -> Result<anfang_core::review::Follows, LedgerError> {
        let head = crate::derive::head_of(&self.conn, &self.authority, &finding_id.to_string())?;
        Ok(match head {
            Some(id) => anfang_core::review::Follows::Decision(id),
            None => anfang_core::review::Follows::First,
        })
    }
}

impl Ledger {
    /// Whether a decision this device makes now on the finding would count:
    /// the name it counts under, or why not.
    pub fn may_decide(
        &self,
        finding_id: uuid::Uuid,
    ) -> Result<Result<String, anfang_core::authority::Refusal>, LedgerError> {
        let fid = finding_id.to_string();
        let Some(finding) = crate::derive::decided_finding(&self.conn, &fid, None)? else {
            return Err(LedgerError::NoSuchFinding(finding_id));
        };
        let seq = i64::try_from(self.last_seq_of(self.device_id())? + 1).unwrap_or(i64::MAX);
        let record = anfang_core::review::ReviewRecord {
            finding_id,
            reviewer: String::new(),
            decision: anfang_core::review::Decision::VerifyRectification { checked: None },
            follows: Some(anfang_core::review::Follows::First),
            reason: None,
        };
        Ok(crate::derive::judge(
            &self.authority,
            self.device_id(),
            seq,
            &record,
            &finding,
        ))
    }

    /// Whether an event is among the refused, and why (English, Chinese).
    pub fn refusal_of(&self, event_id: &str) -> Result<Option<(String, String)>, LedgerError> {
        Ok(self
            .conn
            .prepare_cached("SELECT reason, reason_zh FROM refused WHERE event_id = ?1")?
            .query_row([event_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }
}
