//! Findings: what an inspector observed on one checklist item.

use crate::label::Label;
use crate::manifest::ItemRef;
use crate::points::Points;
use crate::rule::RuleInput;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The outcome of checking one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum FindingResult {
    /// The item was violated: points are deducted.
    #[default]
    Violation,
    /// Checked and in order.
    Compliant,
    /// Does not apply to this unit or visit.
    NotApplicable,
}

impl FindingResult {
    /// The result's name in both languages.
    pub fn label(self) -> Label {
        match self {
            FindingResult::Violation => Label::new("违规", "violation"),
            FindingResult::Compliant => Label::new("合规", "compliant"),
            FindingResult::NotApplicable => Label::new("不适用", "n/a"),
        }
    }
}

/// Where an imported finding came from: the file's SHA-256 and its row.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportSource {
    /// SHA-256 of the imported file, lowercase hex.
    pub file_sha256: String,
    /// 1-based data row (or array index + 1) in that file.
    pub row: u64,
    /// Who reported it (e.g. a volunteer supervisor's name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reporter: Option<String>,
}

/// One version of a finding, as the inspector recorded it.
///
/// A correction is a new record with the same `finding_id` whose
/// `supersedes` names the event id of the version it replaces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingRecord {
    /// Stable id of the finding across its versions.
    pub finding_id: Uuid,
    /// The visit it belongs to.
    pub visit_id: Uuid,
    /// The item it was recorded under.
    pub item: ItemRef,
    /// Violation, compliant or not applicable.
    pub result: FindingResult,
    /// Count plus whatever the item's rule needs.
    pub input: RuleInput,
    /// Who or where: badge number, name or window number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The evidence note.
    pub note: String,
    /// When the inspector observed it (RFC 3339).
    pub observed_at: jiff::Timestamp,
    /// The deduction as priced when recorded (zero unless a violation).
    pub points: Points,
    /// True when a computed rule failed and the points were entered by hand.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub points_by_hand: bool,
    /// Event id of the version this one corrects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<String>,
    /// Set when the finding came from an imported file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<ImportSource>,
}

/// A file attached to a finding as evidence, stored by content hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceRecord {
    /// The finding it supports.
    pub finding_id: Uuid,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    /// The file's name when attached.
    pub file_name: String,
    /// Size in bytes.
    pub size: u64,
}
