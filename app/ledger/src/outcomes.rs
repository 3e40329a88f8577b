//! Reading and recording accountability outcomes (问责) on findings.

use crate::Ledger;
use crate::derive::outcome;
use crate::error::LedgerError;
use anfang_core::authority::Refusal;
use anfang_core::outcome::{OutcomeKind, OutcomeRecorded};
use jiff::civil::Date;
use uuid::Uuid;

/// One outcome as the ledger keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeRow {
    /// The event recording it.
    pub event_id: String,
    /// What was recorded.
    pub record: OutcomeRecorded,
    /// The recording device.
    pub device: String,
    /// When the device says it recorded it.
    pub claimed_time: String,
    /// Whether it counts (else it is listed in `refused`).
    pub counts: bool,
}

impl Ledger {
    /// Whether an outcome this device records now on `finding_id` would
    /// count; the refusal says why not.
    pub fn may_record_outcome(&self, finding_id: Uuid) -> Result<Result<(), Refusal>, LedgerError> {
        let (status, unit) = outcome::finding_context(&self.conn, &finding_id.to_string())?;
        let seq = self.last_seq_of(self.device_id())? + 1;
        let seq = i64::try_from(seq).unwrap_or(i64::MAX);
        Ok(outcome::judge(
            &self.authority,
            self.device_id(),
            seq,
            status.as_deref(),
            unit.as_ref(),
        ))
    }

    /// The outcomes recorded on a finding, by date then event id, counted or not.
    pub fn outcomes_of(&self, finding_id: Uuid) -> Result<Vec<OutcomeRow>, LedgerError> {
        let rows: Vec<(String, String, String, String, bool)> = self
            .conn
            .prepare_cached(
                "SELECT o.event_id, e.body, o.device, o.claimed_time, o.counts
                   FROM outcomes o JOIN events e ON e.id = o.event_id
                  WHERE o.finding_id = ?1 ORDER BY o.decided, o.event_id",
            )?
            .query_map([finding_id.to_string()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<Result<_, _>>()?;
        rows.into_iter()
            .map(|(event_id, body, device, claimed_time, counts)| {
                let record: OutcomeRecorded = serde_json::from_str(&body)
                    .map_err(|e| LedgerError::Damaged(format!("outcome {event_id}: {e}")))?;
                Ok(OutcomeRow {
                    event_id,
                    record,
                    device,
                    claimed_time,
                    counts,
                })
            })
            .collect()
    }

    /// How many counting outcomes of each kind were decided from `from` to
    /// `to` (both included), in [`OutcomeKind::ALL`] order, kinds with none left out.
    pub fn outcome_counts(
        &self,
        from: Date,
        to: Date,
    ) -> Result<Vec<(OutcomeKind, u64)>, LedgerError> {
        let rows: Vec<(String, i64)> = self
            .conn
            .prepare_cached(
                "SELECT kind, count(*) FROM outcomes
                  WHERE counts AND decided >= ?1 AND decided <= ?2 GROUP BY kind",
            )?
            .query_map([from.to_string(), to.to_string()], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .collect::<Result<_, _>>()?;
        Ok(OutcomeKind::ALL
            .into_iter()
            .filter_map(|kind| {
                rows.iter()
                    .find(|(k, _)| k == kind.as_str())
                    .map(|(_, n)| (kind, u64::try_from(*n).unwrap_or(0)))
            })
            .collect())
    }
}
