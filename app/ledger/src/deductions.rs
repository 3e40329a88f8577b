//! Office deductions as the reviewer sees them: listed with their status,
//! entered with their evidence file stored like a finding's, and confirmed
//! or dismissed by a decision signed like a finding's review.

use crate::Ledger;
use crate::append::append_in;
use crate::derive::deduction_decisions::{entry, follows_for, judge};
use crate::error::LedgerError;
use crate::rectification::DecisionFile;
use anfang_core::Points;
use anfang_core::authority::{Refusal, Role};
use anfang_core::event::EventBody;
use anfang_core::office_deduction::{
    DeductionDecision, DeductionEvidence, DeductionReviewed, DeductionStatus,
    OfficeDeductionEntered,
};
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use uuid::Uuid;

/// One office deduction as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct DeductionRow {
    /// The deduction's id.
    pub deduction_id: Uuid,
    /// The event that entered it.
    pub event_id: String,
    /// The unit's name and department.
    pub unit: anfang_core::visit::Unit,
    /// The method row's id.
    pub item: String,
    /// The row's section (`四(四)1`).
    pub section: String,
    /// Units counted.
    pub count: u32,
    /// Points it deducts once confirmed.
    pub points: Points,
    /// The day it is about.
    pub date: String,
    /// Why, as entered.
    pub reason: String,
    /// Where its review stands.
    pub status: DeductionStatus,
    /// Whether the entry itself counts (entered by a reviewer of the unit).
    pub entry_counts: bool,
    /// The device that entered it.
    pub device: String,
    /// Who entered it: the roster's person in an office, else the device, shortened.
    pub entered_by: String,
    /// Its supporting file, when one was given.
    pub evidence: Option<DeductionEvidence>,
    /// Whether the supporting file's bytes are stored here.
    pub evidence_stored: bool,
    /// Its decisions, oldest first.
    pub decisions: Vec<DeductionDecisionRow>,
}

/// One decision on a deduction as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct DeductionDecisionRow {
    /// The decision's event.
    pub event_id: String,
    /// `confirm` or `dismiss`.
    pub decision: String,
    /// Why, for a dismissal.
    pub reason: Option<String>,
    /// The roster's person in an office, else the name typed.
    pub reviewer: String,
    /// When it claims to have been made.
    pub claimed_time: String,
    /// Whether it counts.
    pub counts: bool,
    /// Why not, when it does not.
    pub refusal: Option<String>,
}

impl Ledger {
    /// Office deductions, newest day first, of the unit named `unit` when given.
    pub fn deductions(&self, unit: Option<&str>) -> Result<Vec<DeductionRow>, LedgerError> {
        let ids: Vec<String> = self
            .conn
            .prepare_cached(
                "SELECT deduction_id FROM office_deductions WHERE ?1 IS NULL OR unit = ?1
                  GROUP BY deduction_id ORDER BY max(day) DESC, deduction_id",
            )?
            .query_map([unit.map(str::trim)], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(row) = self.deduction_row(&id)? {
                out.push(row);
            }
        }
        Ok(out)
    }

    /// The deduction whose id is `id` or starts with it (at least 8
    /// characters, one match).
    pub fn deduction(&self, id: &str) -> Result<DeductionRow, LedgerError> {
        let wanted = id.trim().to_ascii_lowercase();
        let missing = || LedgerError::NoSuchDeduction(id.trim().to_string());
        if wanted.len() < 8 || !wanted.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            return Err(missing());
        }
        let ids: Vec<String> = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT deduction_id FROM office_deductions
                  WHERE substr(deduction_id, 1, length(?1)) = ?1 LIMIT 2",
            )?
            .query_map([&wanted], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        match ids.as_slice() {
            [one] => self.deduction_row(one)?.ok_or_else(missing),
            _ => Err(missing()),
        }
    }

    fn deduction_row(&self, id: &str) -> Result<Option<DeductionRow>, LedgerError> {
        type Columns = (String, String, bool, String, String, bool, i64);
        let row: Option<Columns> = self
            .conn
            .prepare_cached(
                "SELECT d.event_id, d.entry, d.counts, d.status, d.device,
                        d.evidence IS NOT NULL AND EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = d.evidence),
                        e.seq
                   FROM office_deductions d JOIN events e ON e.id = d.event_id
                  WHERE d.deduction_id = ?1 ORDER BY d.event_id LIMIT 1",
            )?
            .query_row([id], |r| r.try_into())
            .optional()?;
        let Some((event_id, body, entry_counts, status, device, evidence_stored, seq)) = row else {
            return Ok(None);
        };
        let e: OfficeDeductionEntered = serde_json::from_str(&body)
            .map_err(|err| LedgerError::Damaged(format!("deduction {event_id}: {err}")))?;
        let entered_by = self
            .authority
            .grant(
                &device,
                u64::try_from(seq).unwrap_or(0),
                Role::Reviewer,
                &e.unit,
            )
            .ok()
            .and_then(|g| g.person)
            .unwrap_or_else(|| format!("{}…", crate::short(&device)));
        let decisions = self
            .conn
            .prepare_cached(
                "SELECT event_id, decision, reason, coalesce(person, reviewer), claimed_time, counts, refusal
                   FROM deduction_decisions WHERE deduction_id = ?1 ORDER BY claimed_time, event_id",
            )?
            .query_map([id], |r| {
                Ok(DeductionDecisionRow {
                    event_id: r.get(0)?,
                    decision: r.get(1)?,
                    reason: r.get(2)?,
                    reviewer: r.get(3)?,
                    claimed_time: r.get(4)?,
                    counts: r.get(5)?,
                    refusal: r.get(6)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(Some(DeductionRow {
            deduction_id: e.deduction_id,
            event_id,
            unit: e.unit,
            item: e.item,
            section: e.section,
            count: e.count.unwrap_or(1),
            points: e.points,
            date: e.date.to_string(),
            reason: e.reason,
            status: DeductionStatus::parse(&status),
            entry_counts,
            device,
            entered_by,
            evidence: e.evidence,
            evidence_stored,
            decisions,
        }))
    }

    /// Appends an office deduction together with its evidence file, stored
    /// like a finding's evidence, in one transaction: both or neither.
    pub fn enter_deduction(
        &mut self,
        entry: &OfficeDeductionEntered,
        file: Option<&DecisionFile>,
        claimed: jiff::Timestamp,
    ) -> Result<String, LedgerError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if let Some(f) = file {
            tx.prepare_cached(
                "INSERT OR IGNORE INTO blobs (sha256, size, data) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![f.file.sha256, f.file.size as i64, f.data])?;
        }
        let body = EventBody::OfficeDeduction(entry.clone());
        let id = append_in(&tx, &self.authority, &self.key, &body, claimed)?;
        tx.commit()?;
        self.after_append(&body)?;
        Ok(id)
    }

    /// Whether this device's next event may decide on deduction `id`:
    /// `Ok(person)` (empty in open mode) or why not.
    pub fn may_review_deduction(&self, id: Uuid) -> Result<Result<String, Refusal>, LedgerError> {
        let Some(entry) = entry(&self.conn, &id.to_string())? else {
            return Err(LedgerError::NoSuchDeduction(id.to_string()));
        };
        let seq = i64::try_from(self.last_seq_of(self.device_id())? + 1).unwrap_or(i64::MAX);
        let verdict = judge(&self.authority, (self.device_id(), seq), "", true, &entry);
        Ok(if self.authority.is_office() {
            verdict
        } else {
            verdict.map(|_| String::new())
        })
    }

    /// Appends a decision on deduction `id`, following the head of its
    /// decisions; returns the event's id.
    pub fn review_deduction(
        &mut self,
        id: Uuid,
        reviewer: &str,
        decision: DeductionDecision,
        claimed: jiff::Timestamp,
    ) -> Result<String, LedgerError> {
        if entry(&self.conn, &id.to_string())?.is_none() {
            return Err(LedgerError::NoSuchDeduction(id.to_string()));
        }
        let follows = follows_for(&self.conn, &self.authority, &id.to_string())?;
        let body = EventBody::DeductionReviewed(DeductionReviewed {
            deduction_id: id,
            reviewer: reviewer.to_string(),
            decision,
            follows: Some(follows),
        });
        self.append_at(&body, claimed)
    }
}
