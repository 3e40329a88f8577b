//! An event as stored: the envelope columns plus body text and signature.

use crate::canonical::Envelope;
use crate::error::LedgerError;
use anfang_core::event::EventBody;
use rusqlite::{Connection, Row, params};

/// One row of the `events` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredEvent {
    pub id: String,
    pub device: String,
    pub seq: i64,
    pub prev: Option<String>,
    pub claimed_time: String,
    pub schema: i64,
    pub kind: String,
    pub body: String,
    pub signature: String,
}

/// The column list every query on events uses, in [`StoredEvent::from_row`] order.
pub(crate) const EVENT_COLUMNS: &str =
    "id, device, seq, prev, claimed_time, schema, kind, body, signature";

impl StoredEvent {
    pub fn envelope(&self) -> Envelope<'_> {
        Envelope {
            device: &self.device,
            seq: self.seq,
            prev: self.prev.as_deref(),
            claimed_time: &self.claimed_time,
            schema: self.schema,
            kind: &self.kind,
            body: &self.body,
        }
    }

    pub fn from_row(row: &Row<'_>) -> rusqlite::Result<StoredEvent> {
        Ok(StoredEvent {
            id: row.get(0)?,
            device: row.get(1)?,
            seq: row.get(2)?,
            prev: row.get(3)?,
            claimed_time: row.get(4)?,
            schema: row.get(5)?,
            kind: row.get(6)?,
            body: row.get(7)?,
            signature: row.get(8)?,
        })
    }

    /// Inserts the event unless its id is already present; true if it was new.
    pub fn insert_or_ignore(&self, conn: &Connection) -> Result<bool, LedgerError> {
        let mut stmt = conn.prepare_cached(
            "INSERT OR IGNORE INTO events (id, device, seq, prev, claimed_time, schema, kind, body, signature)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        let n = stmt.execute(params![
            self.id,
            self.device,
            self.seq,
            self.prev,
            self.claimed_time,
            self.schema,
            self.kind,
            self.body,
            self.signature
        ])?;
        Ok(n == 1)
    }

    /// The parsed body; a stored event that does not parse is damage.
    pub fn parse_body(&self) -> Result<EventBody, LedgerError> {
        parse_body(&self.kind, &self.body)
            .map_err(|e| LedgerError::Damaged(format!("event {}: {e}", self.id)))
    }
}

/// The body JSON text of an event (the inner struct, without the kind tag).
pub(crate) fn body_json(body: &EventBody) -> Result<String, LedgerError> {
    let text = match body {
        EventBody::VisitOpened(b) => serde_json::to_string(b),
        EventBody::ChecklistAdded(b) => serde_json::to_string(b),
        EventBody::FindingRecorded(b) => serde_json::to_string(b),
        EventBody::EvidenceAttached(b) => serde_json::to_string(b),
        EventBody::VisitClosed(b) => serde_json::to_string(b),
        EventBody::ReviewDecided(b) => serde_json::to_string(b),
        EventBody::AppraisalEntered(b) => serde_json::to_string(b),
        EventBody::RosterPublished(b) => serde_json::to_string(b),
        EventBody::UnitRegistered(b) => serde_json::to_string(b),
        EventBody::UnitMapped(b) => serde_json::to_string(b),
        EventBody::BulletinIssued(b) => serde_json::to_string(b),
        EventBody::ChecklistPublished(b) => serde_json::to_string(b),
        EventBody::MethodPublished(b) => serde_json::to_string(b),
        EventBody::OfficeDeduction(b) => serde_json::to_string(b),
        EventBody::DeductionReviewed(b) => serde_json::to_string(b),
        EventBody::OutcomeRecorded(b) => serde_json::to_string(b),
    };
    text.map_err(|e| LedgerError::Encode(format!("{} body: {e}", body.kind())))
}

/// Parses a body given its kind; the error names the kind and the JSON problem.
pub(crate) fn parse_body(kind: &str, body: &str) -> Result<EventBody, String> {
    fn parse<T: serde::de::DeserializeOwned>(kind: &str, body: &str) -> Result<T, String> {
        serde_json::from_str(body).map_err(|e| format!("{kind} body does not parse: {e}"))
    }
    Ok(match kind {
        "visit_opened" => EventBody::VisitOpened(parse(kind, body)?),
        "checklist_added" => EventBody::ChecklistAdded(parse(kind, body)?),
        "finding_recorded" => EventBody::FindingRecorded(parse(kind, body)?),
        "evidence_attached" => EventBody::EvidenceAttached(parse(kind, body)?),
        "visit_closed" => EventBody::VisitClosed(parse(kind, body)?),
        "review_decided" => EventBody::ReviewDecided(parse(kind, body)?),
        "appraisal_entered" => EventBody::AppraisalEntered(parse(kind, body)?),
        "roster_published" => EventBody::RosterPublished(parse(kind, body)?),
        "unit_registered" => EventBody::UnitRegistered(parse(kind, body)?),
        "unit_mapped" => EventBody::UnitMapped(parse(kind, body)?),
        "bulletin_issued" => EventBody::BulletinIssued(parse(kind, body)?),
        "checklist_published" => EventBody::ChecklistPublished(parse(kind, body)?),
        "method_published" => EventBody::MethodPublished(parse(kind, body)?),
        "office_deduction" => EventBody::OfficeDeduction(parse(kind, body)?),
        "deduction_reviewed" => EventBody::DeductionReviewed(parse(kind, body)?),
        "outcome_recorded" => EventBody::OutcomeRecorded(parse(kind, body)?),
        other => return Err(format!("unknown event kind '{other}'")),
    })
}
