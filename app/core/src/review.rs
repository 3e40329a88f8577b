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
        /// Set when the order sends a reported rectification back: the
        /// reviewer checked it and did not accept it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rejected: Option<Rejection>,
    },
    /// The unit reports the problem fixed (整改报告).
    MarkRectified {
        /// What was done, as the unit reported it.
        note: String,
        /// The evidence files the unit sent with its report, stored in the
        /// ledger like a finding's evidence.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        evidence: Option<Vec<AttachedFile>>,
    },
    /// The office has checked the rectification and accepts it.
    VerifyRectification {
        /// What was checked; absent in verifications recorded before it
        /// was asked for.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        checked: Option<Checked>,
    },
    /// The unit appeals a confirmed finding (申诉); the office records it.
    /// The finding stays confirmed until the appeal is decided.
    Appeal {
        /// The unit's reasons.
        reason: String,
        /// The evidence files the unit sent with its appeal.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        evidence: Option<Vec<AttachedFile>>,
    },
    /// The appeal is decided (复核) by a reviewer other than the one who
    /// confirmed the finding.
    DecideAppeal {
        /// Upheld: the finding is dismissed; otherwise it stays confirmed.
        upheld: bool,
        /// Why.
        reason: String,
    },
}

/// A file a decision carries (a report's or an appeal's evidence), stored
/// in the ledger by its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachedFile {
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    /// The file's name when attached.
    pub file_name: String,
    /// Size in bytes.
    pub size: u64,
}

/// What a reviewer checked before accepting or rejecting a rectification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Checked {
    /// The unit's report and its evidence.
    Report,
    /// A follow-up visit (复查) opened as a re-check of the finding.
    Recheck {
        /// The visit.
        visit_id: Uuid,
    },
}

/// Why a reported rectification was sent back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rejection {
    /// What was checked.
    pub checked: Checked,
    /// Why it is not accepted.
    pub reason: String,
}

impl Decision {
    /// The evidence files the decision carries (a report's or an appeal's).
    pub fn files(&self) -> &[AttachedFile] {
        match self {
            Decision::MarkRectified {
                evidence: Some(files),
                ..
            }
            | Decision::Appeal {
                evidence: Some(files),
                ..
            } => files,
            _ => &[],
        }
    }

    /// Whether the decision carries its own reason for moving the finding
    /// back (a rejected rectification, a decided appeal), so no separate
    /// back-reason is asked for.
    pub fn says_why(&self) -> bool {
        matches!(
            self,
            Decision::RequireRectification {
                rejected: Some(_),
                ..
            } | Decision::DecideAppeal { .. }
        )
    }
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
            Decision::VerifyRectification { .. } => ReviewStatus::Verified,
            Decision::Appeal { .. } => ReviewStatus::Confirmed,
            Decision::DecideAppeal { upheld: true, .. } => ReviewStatus::Dismissed,
            Decision::DecideAppeal { upheld: false, .. } => ReviewStatus::Confirmed,
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
    fn decisions_recorded_before_proof_was_asked_for_read_and_write_as_before() {
        // Event ids hash these bytes: an old decision must come out the same.
        for text in [
            r#"{"decision":"verify_rectification"}"#,
            r#"{"decision":"mark_rectified","note":"已整改"}"#,
            r#"{"decision":"require_rectification","deadline":"2026-03-10"}"#,
        ] {
            let decision: super::Decision = serde_json::from_str(text).unwrap();
            assert_eq!(serde_json::to_string(&decision).unwrap(), text);
        }
    }

    #[test]
    fn what_was_checked_and_why_travel_with_the_decision() {
        let visit_id = uuid::Uuid::from_u64_pair(1, 2);
        let verify = super::Decision::VerifyRectification {
            checked: Some(super::Checked::Recheck { visit_id }),
        };
        let text = serde_json::to_string(&verify).unwrap();
        assert!(
            text.contains("recheck") && text.contains(&visit_id.to_string()),
            "{text}"
        );
        assert_eq!(
            serde_json::from_str::<super::Decision>(&text).unwrap(),
            verify
        );
        let upheld = super::Decision::DecideAppeal {
            upheld: true,
            reason: "有外出登记".into(),
        };
        assert_eq!(super::ReviewStatus::after(&upheld), Dismissed);
        assert!(upheld.says_why());
        assert_eq!(
            super::ReviewStatus::after(&super::Decision::Appeal {
                reason: "外出".into(),
                evidence: None
            }),
            Confirmed
        );
        // Unknown fields are still refused.
        assert!(
            serde_json::from_str::<super::Decision>(
                r#"{"decision":"verify_rectification","by":"x"}"#
            )
            .is_err()
        );
    }

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
