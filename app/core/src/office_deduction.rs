//! Office deductions: points a reviewer takes from a unit for what the
//! office's own records show (meetings missed, tasks overdue, 信访 overdue,
//! discipline cases …), one row of the method each.

use crate::points::Points;
use crate::visit::Unit;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A file offered as evidence for an office deduction, named by its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeductionEvidence {
    /// The file's name as given.
    pub name: String,
    /// Its SHA-256 (64 hex digits).
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
}

/// An office deduction entered by a reviewer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficeDeductionEntered {
    /// The deduction's id (UUID v7).
    pub deduction_id: Uuid,
    /// The unit it is taken from.
    pub unit: Unit,
    /// The method row (`meeting-absent`).
    pub item: String,
    /// The row's section as the method had it (`四(四)1`).
    pub section: String,
    /// The version of the method it was computed by.
    pub method_version: u32,
    /// Units counted (times, cases …); absent means 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// For a range row, the points per unit chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points_each: Option<Points>,
    /// The points it deducts, as the method computed them.
    pub points: Points,
    /// The day of what is deducted for; it counts in the period holding it.
    pub date: jiff::civil::Date,
    /// Why, in the reviewer's words.
    pub reason: String,
    /// A supporting file, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<DeductionEvidence>,
}

/// A published assessment method: the document's JSON text exactly as published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MethodPublished {
    /// The method's version, as the document states it.
    pub version: u32,
    /// The method document (JSON).
    pub document: String,
}

/// What a reviewer decides on an office deduction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum DeductionDecision {
    /// The deduction stands and counts in the unit's score.
    Confirm,
    /// The deduction does not stand and never counts.
    Dismiss {
        /// Why.
        reason: String,
    },
}

impl DeductionDecision {
    /// The same decision as a finding's review decision, so a deduction's
    /// decisions settle by the rules findings' decisions settle by.
    pub fn as_review(&self) -> crate::review::Decision {
        match self {
            DeductionDecision::Confirm => crate::review::Decision::Confirm { points: None },
            DeductionDecision::Dismiss { reason } => crate::review::Decision::Dismiss {
                reason: reason.clone(),
            },
        }
    }
}

/// A reviewer's decision on an office deduction: the body of a
/// `deduction_reviewed` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeductionReviewed {
    /// The deduction decided on.
    pub deduction_id: Uuid,
    /// Who decided, as typed (the roster's name counts in an office).
    pub reviewer: String,
    /// What was decided.
    pub decision: DeductionDecision,
    /// The decision this one follows, as findings' decisions chain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follows: Option<crate::review::Follows>,
}

/// Where a deduction stands after its decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeductionStatus {
    /// Entered, not yet decided: shown, not counted.
    Pending,
    /// Confirmed: counted.
    Confirmed,
    /// Dismissed: never counted.
    Dismissed,
}

impl DeductionStatus {
    /// The status as stored and printed (`pending`, `confirmed`, `dismissed`).
    pub fn as_str(self) -> &'static str {
        match self {
            DeductionStatus::Pending => "pending",
            DeductionStatus::Confirmed => "confirmed",
            DeductionStatus::Dismissed => "dismissed",
        }
    }

    /// The status read back from [`DeductionStatus::as_str`]; anything else is pending.
    pub fn parse(text: &str) -> DeductionStatus {
        match text {
            "confirmed" => DeductionStatus::Confirmed,
            "dismissed" => DeductionStatus::Dismissed,
            _ => DeductionStatus::Pending,
        }
    }

    /// The status a finding's settled review status gives a deduction.
    pub fn from_review(status: crate::review::ReviewStatus) -> DeductionStatus {
        use crate::review::ReviewStatus;
        match status {
            ReviewStatus::Pending => DeductionStatus::Pending,
            ReviewStatus::Dismissed => DeductionStatus::Dismissed,
            _ => DeductionStatus::Confirmed,
        }
    }

    /// The status in the interface language.
    pub fn label(self) -> crate::label::Label {
        match self {
            DeductionStatus::Pending => crate::label::Label::new("待审", "pending"),
            DeductionStatus::Confirmed => crate::label::Label::new("已确认", "confirmed"),
            DeductionStatus::Dismissed => crate::label::Label::new("已驳回", "dismissed"),
        }
    }
}
