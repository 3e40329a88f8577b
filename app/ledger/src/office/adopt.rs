//! What the events already in a ledger show each device did: the roles an
//! office adopting the ledger gives them, so that adopting changes no score.

use crate::Ledger;
use crate::error::LedgerError;
use anfang_core::authority::Role;

/// One device as its events show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceActivity {
    /// The device.
    pub device: String,
    /// Its last sequence number here.
    pub last_seq: u64,
    /// Roles its events used.
    pub roles: Vec<Role>,
    /// The name its events give most often (visit lead or reviewer), if any.
    pub name: Option<String>,
}

impl Ledger {
    /// Every device with events in this ledger and what those events show.
    pub fn device_activity(&self) -> Result<Vec<DeviceActivity>, LedgerError> {
        type Row = (String, i64, bool, bool, Option<String>, Option<String>);
        let rows: Vec<Row> = self
            .conn
            .prepare(
                "SELECT e.device, max(e.seq),
                        max(e.kind IN ('visit_opened','checklist_added','finding_recorded','evidence_attached','visit_closed')),
                        max(e.kind IN ('review_decided','appraisal_entered','office_deduction','outcome_recorded')),
                        (SELECT lead FROM visits v WHERE v.device = e.device AND lead <> ''
                          GROUP BY lead ORDER BY count(*) DESC, lead LIMIT 1),
                        (SELECT reviewer FROM reviews r WHERE r.device = e.device AND reviewer <> ''
                          GROUP BY reviewer ORDER BY count(*) DESC, reviewer LIMIT 1)
                   FROM events e GROUP BY e.device ORDER BY e.device",
            )?
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows
            .into_iter()
            .map(|(device, last, inspects, reviews, lead, reviewer)| {
                let mut roles = Vec::new();
                if inspects {
                    roles.push(Role::Inspector);
                }
                if reviews {
                    roles.push(Role::Reviewer);
                }
                DeviceActivity {
                    device,
                    last_seq: u64::try_from(last).unwrap_or(0),
                    roles,
                    name: reviewer.or(lead),
                }
            })
            .collect())
    }

    /// This device's last sequence number here (0 before its first event).
    pub fn last_seq_of(&self, device: &str) -> Result<u64, LedgerError> {
        let last: Option<i64> = self.conn.query_row(
            "SELECT max(seq) FROM events WHERE device = ?1",
            [device],
            |r| r.get(0),
        )?;
        Ok(last.and_then(|s| u64::try_from(s).ok()).unwrap_or(0))
    }
}
