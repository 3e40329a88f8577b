//! Review decisions and the status they give a finding.

use crate::label::Label;
use crate::points::Points;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A supervisor's decision on a finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case", deny_unknown_fields)]
pub enum Decision {
    /// The finding stands and counts in the score.
    Confirm {
        /// For a range rule: the points per count the reviewer settles on.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        points: Option<Points>,
    },
    /// The finding does not stand.
    Dismiss {
        /// Why.
        reason: String,
    },
    /// The unit must rectify by the deadline (整改通知).
    RequireRectification {
        /// Last day for rectification.
        deadline: jiff::civil::Date,
    },
    /// The unit reports the problem fixed.
    MarkRectified {
        /// What was done.
        note: String,
    },
    /// The office has checked the rectification.
    VerifyRectification,
}

/// A decision event's body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewRecord {
    /// The finding decided on.
    pub finding_id: Uuid,
    /// Who decided.
    pub reviewer: String,
    /// What was decided.
    pub decision: Decision,
}

/// Where a finding stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Not yet reviewed: provisional, not counted.
    Pending,
    /// Confirmed: counted.
    Confirmed,
    /// Dismissed: not counted.
    Dismissed,
    /// Rectification ordered: counted.
    RectificationRequired,
    /// Rectification reported: counted.
    Rectified,
    /// Rectification verified: counted.
    Verified,
}

impl ReviewStatus {
    /// The status a decision leads to.
    pub fn after(decision: &Decision) -> ReviewStatus {
        match decision {
            Decision::Confirm { .. } => ReviewStatus::Confirmed,
            Decision::Dismiss { .. } => ReviewStatus::Dismissed,
            Decision::RequireRectification { .. } => ReviewStatus::RectificationRequired,
            Decision::MarkRectified { .. } => ReviewStatus::Rectified,
            Decision::VerifyRectification => ReviewStatus::Verified,
        }
    }

    /// Whether findings in this status count against the unit's score.
    pub fn counts(self) -> bool {
        !matches!(self, ReviewStatus::Pending | ReviewStatus::Dismissed)
    }

    /// The stable machine name (`pending`, `confirmed`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Pending => "pending",
            ReviewStatus::Confirmed => "confirmed",
            ReviewStatus::Dismissed => "dismissed",
            ReviewStatus::RectificationRequired => "rectification_required",
            ReviewStatus::Rectified => "rectified",
            ReviewStatus::Verified => "verified",
        }
    }

    /// Parses a machine name.
    pub fn parse(name: &str) -> Option<ReviewStatus> {
        ReviewStatus::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Every status, in workflow order.
    pub const ALL: [ReviewStatus; 6] = [
        ReviewStatus::Pending,
        ReviewStatus::Confirmed,
        ReviewStatus::Dismissed,
        ReviewStatus::RectificationRequired,
        ReviewStatus::Rectified,
        ReviewStatus::Verified,
    ];

    /// The status's name in both languages.
    pub fn label(self) -> Label {
        match self {
            ReviewStatus::Pending => Label::new("待审核", "pending"),
            ReviewStatus::Confirmed => Label::new("已确认", "confirmed"),
            ReviewStatus::Dismissed => Label::new("已驳回", "dismissed"),
            ReviewStatus::RectificationRequired => Label::new("待整改", "to rectify"),
            ReviewStatus::Rectified => Label::new("已整改", "rectified"),
            ReviewStatus::Verified => Label::new("已验收", "verified"),
        }
    }
}

/// A decision as the ledger holds it: who, when, and the event it is.
#[derive(Debug, Clone, PartialEq)]
pub struct DatedDecision {
    /// The decision event's id (hex SHA-256).
    pub event_id: String,
    /// The time the deciding device claimed.
    pub claimed_time: jiff::Timestamp,
    /// What was decided.
    pub decision: Decision,
}

/// The decision that sets a finding's current status.
///
/// The rule, stated once: the decision with the latest claimed time wins;
/// equal times are settled by the larger event id. Both keys travel inside
/// the signed events, so every ledger holding the same decisions picks the
/// same one, whatever order they were merged in.
pub fn current_decision(decisions: &[DatedDecision]) -> Option<&DatedDecision> {
    decisions
        .iter()
        .max_by(|a, b| (a.claimed_time, &a.event_id).cmp(&(b.claimed_time, &b.event_id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dated(id: &str, second: i64, decision: Decision) -> DatedDecision {
        DatedDecision {
            event_id: id.into(),
            claimed_time: jiff::Timestamp::from_second(second).unwrap_or_default(),
            decision,
        }
    }

    #[test]
    fn latest_decision_wins_whatever_the_order() {
        let a = dated("aa", 10, Decision::Confirm { points: None });
        let b = dated("bb", 20, Decision::Dismiss { reason: "x".into() });
        let forward = [a.clone(), b.clone()];
        let backward = [b, a];
        assert_eq!(current_decision(&forward), current_decision(&backward));
        assert_eq!(
            current_decision(&forward).map(|d| ReviewStatus::after(&d.decision)),
            Some(ReviewStatus::Dismissed)
        );
    }

    #[test]
    fn equal_times_fall_to_the_larger_id() {
        let a = dated("aa", 10, Decision::Confirm { points: None });
        let b = dated("bb", 10, Decision::VerifyRectification);
        assert_eq!(current_decision(&[a, b.clone()]), Some(&b));
    }
}
