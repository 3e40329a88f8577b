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

/// The decision a new one follows: decisions chain by cause, not by clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Follows {
    /// The first decision on the finding its device had seen.
    First,
    /// The event id of the last decision its device had seen.
    Decision(String),
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
    /// The decision this one follows; absent in decisions recorded before
    /// decisions chained (those are ordered by claimed time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follows: Option<Follows>,
    /// Why the decision moves the finding back in its life (see
    /// [`ReviewStatus::goes_back_to`]), as the reviewer typed it when asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
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

    /// Whether a decision leading to `to` moves a finding in this status
    /// back in its life rather than on: anything but the next step
    /// (pending to any, confirmed to rectification, rectification to
    /// rectified, rectified to verified) or the same status again (new
    /// points, a new deadline). Verified to confirmed, dismissed to
    /// confirmed, rectified to rectification required are such moves.
    pub fn goes_back_to(self, to: ReviewStatus) -> bool {
        use ReviewStatus::*;
        let onward = matches!(
            (self, to),
            (Pending, _)
                | (Confirmed, RectificationRequired)
                | (RectificationRequired, Rectified)
                | (Rectified, Verified)
        );
        self != to && !onward
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

#[cfg(test)]
mod tests {
    use super::ReviewStatus::*;

    #[test]
    fn only_the_next_step_or_the_same_status_moves_on() {
        for to in super::ReviewStatus::ALL {
            assert!(!Pending.goes_back_to(to), "pending to {to:?}");
        }
        for (from, to) in [
            (Confirmed, RectificationRequired),
            (RectificationRequired, Rectified),
            (Rectified, Verified),
            (RectificationRequired, RectificationRequired),
            (Confirmed, Confirmed),
        ] {
            assert!(!from.goes_back_to(to), "{from:?} to {to:?}");
        }
        for (from, to) in [
            (Verified, Confirmed),
            (Dismissed, Confirmed),
            (Rectified, Confirmed),
            (Rectified, RectificationRequired),
            (Confirmed, Dismissed),
            (Verified, RectificationRequired),
            (RectificationRequired, Confirmed),
        ] {
            assert!(from.goes_back_to(to), "{from:?} to {to:?}");
        }
    }
}
