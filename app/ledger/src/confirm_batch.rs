//! Confirming the pending findings of a visit together: each finding gets
//! its own signed decision following its own chain head, exactly as a
//! single confirmation does, all written in one transaction. Findings this
//! device may not decide on (under an office roster) are not written.

use crate::Ledger;
use crate::error::LedgerError;
use anfang_core::Lang;
use anfang_core::Points;
use anfang_core::event::EventBody;
use anfang_core::label::Label;
use anfang_core::review::{Decision, ReviewRecord};
use uuid::Uuid;

/// What a batch confirmation did.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BatchOutcome {
    /// Findings confirmed, one decision event each.
    pub confirmed: Vec<Uuid>,
    /// Findings not confirmed, with why in both languages.
    pub refused: Vec<(Uuid, Label)>,
}

impl Ledger {
    /// A visit's pending violations with their recorded points, oldest first.
    pub fn pending_of_visit(&self, visit_id: Uuid) -> Result<Vec<(Uuid, Points)>, LedgerError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT finding_id, points FROM findings
              WHERE visit_id = ?1 AND result = 'violation' AND status = 'pending'
              ORDER BY observed_at, finding_id",
        )?;
        let rows = stmt.query_map([visit_id.to_string()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, points) = row?;
            let id = id
                .parse()
                .map_err(|_| LedgerError::Damaged(format!("finding id {id}")))?;
            out.push((id, Points::from_hundredths(points)));
        }
        Ok(out)
    }

    /// Confirms each finding as `reviewer`, claimed at `claimed`: one
    /// decision event per finding, each following that finding's chain
    /// head. Those this device may not decide on are left out and listed.
    pub fn confirm_each(
        &mut self,
        finding_ids: &[Uuid],
        reviewer: &str,
        claimed: jiff::Timestamp,
    ) -> Result<BatchOutcome, LedgerError> {
        let mut outcome = BatchOutcome::default();
        let mut items = Vec::new();
        for &finding_id in finding_ids {
            if let Err(refusal) = self.may_decide(finding_id)? {
                let why = Label::new(refusal.text(Lang::Zh), refusal.text(Lang::En));
                outcome.refused.push((finding_id, why));
                continue;
            }
            let body = EventBody::ReviewDecided(ReviewRecord {
                finding_id,
                reviewer: reviewer.to_string(),
                decision: Decision::Confirm { points: None },
                follows: Some(self.decision_follows(finding_id)?),
                reason: None,
            });
            items.push((finding_id, (None, body, claimed)));
        }
        let (ids, batch): (Vec<Uuid>, Vec<_>) = items.into_iter().unzip();
        let events = self.append_batch(&batch)?;
        for (finding_id, event_id) in ids.into_iter().zip(events) {
            match self.refusal_of(&event_id)? {
                // Judged again on arrival and refused after all (another
                // reviewer's decision, say, arrived between check and write).
                Some((en, zh)) => outcome.refused.push((finding_id, Label::new(zh, en))),
                None => outcome.confirmed.push(finding_id),
            }
        }
        Ok(outcome)
    }
}
