//! The bodies of ledger events: every change anfang records is one of these.
//!
//! The ledger wraps a body in a signed envelope (device, sequence, previous
//! id, claimed time, schema version); this module says only what happened.

use crate::bulletin::BulletinIssued;
use crate::checklist_published::ChecklistPublished;
use crate::finding::{EvidenceRecord, FindingRecord};
use crate::manifest::ChecklistSnapshot;
use crate::office_deduction::{DeductionReviewed, MethodPublished, OfficeDeductionEntered};
use crate::outcome::OutcomeRecorded;
use crate::register::UnitRegistered;
use crate::review::ReviewRecord;
use crate::score::Appraisal;
use crate::unit_map::UnitMapped;
use crate::visit::{Unit, VisitKind};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The version of the body format below; stored in every event's envelope.
pub const BODY_SCHEMA_VERSION: u32 = 1;

/// A visit was started.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitOpened {
    /// The visit's id (UUID v7).
    pub visit_id: Uuid,
    /// The unit visited.
    pub unit: Unit,
    /// Unannounced or open.
    pub kind: VisitKind,
    /// The inspection team, lead first.
    pub team: Vec<String>,
    /// When the visit started.
    pub started_at: jiff::Timestamp,
    /// The checklists walked, with their items and rules as they were.
    pub checklists: Vec<ChecklistSnapshot>,
    /// Set on a follow-up visit (复查): the findings it re-checks, all of
    /// the same unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rechecks: Option<Vec<Uuid>>,
    /// The unit's id in the office's register, when it was picked from it;
    /// absent on visits to a unit not (yet) registered and on older visits,
    /// which resolve by name and alias. Findings follow the id through renames.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_id: Option<Uuid>,
}

/// A checklist was added to a visit in progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistAdded {
    /// The visit.
    pub visit_id: Uuid,
    /// The checklist as it was.
    pub checklist: ChecklistSnapshot,
}

/// A visit was closed; it opens read-only from now on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitClosed {
    /// The visit.
    pub visit_id: Uuid,
    /// When it was closed.
    pub closed_at: jiff::Timestamp,
}

/// Public appraisal results entered for a unit and period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppraisalEntered {
    /// The unit appraised.
    pub unit: Unit,
    /// First day of the period.
    pub from: jiff::civil::Date,
    /// Last day of the period.
    pub to: jiff::civil::Date,
    /// The results.
    pub appraisal: Appraisal,
    /// The entry for the same unit and period it corrects (the last one
    /// its device had seen), or `First`; absent in entries made before
    /// appraisals were chained. Entries are ordered by this, never by clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follows: Option<crate::review::Follows>,
}

/// One root key's signature over a roster document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RootSignature {
    /// The root's public key (64 hex digits).
    pub key: String,
    /// Its ed25519 signature (128 hex digits) over the document's signing bytes.
    pub signature: String,
}

/// A version of an office's roster, as its root keys signed it. Any device
/// may carry it; what makes it hold is the roots' signatures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RosterPublished {
    /// The roster document's JSON text, exactly as signed.
    pub document: String,
    /// The root signatures.
    pub signatures: Vec<RootSignature>,
}

/// What happened: the body of one ledger event. Serialized with the
/// variant name as the event's `kind` and the struct as its `body`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "body", rename_all = "snake_case")]
pub enum EventBody {
    /// A visit started.
    VisitOpened(VisitOpened),
    /// A checklist joined a visit.
    ChecklistAdded(ChecklistAdded),
    /// A finding was recorded, or corrected (when `supersedes` is set).
    FindingRecorded(FindingRecord),
    /// A file was attached to a finding.
    EvidenceAttached(EvidenceRecord),
    /// A visit was closed.
    VisitClosed(VisitClosed),
    /// A reviewer decided on a finding.
    ReviewDecided(ReviewRecord),
    /// Public appraisal results were entered.
    AppraisalEntered(AppraisalEntered),
    /// A version of the office's roster was published.
    RosterPublished(RosterPublished),
    /// A version of one unit of the office's register was published.
    UnitRegistered(UnitRegistered),
    /// A version of the office's assessment method was published.
    MethodPublished(MethodPublished),
    /// A reviewer took points from a unit for what the office's records show.
    OfficeDeduction(OfficeDeductionEntered),
    /// A reviewer confirmed or dismissed an office deduction.
    DeductionReviewed(DeductionReviewed),
    /// A name typed on a visit for a unit not in the register was mapped
    /// to a registered unit.
    UnitMapped(UnitMapped),
    /// An issued bulletin (通报) was recorded with what it named.
    BulletinIssued(BulletinIssued),
    /// A checklist written as data was published to the office.
    ChecklistPublished(ChecklistPublished),
    /// What was done about a person concerned by a confirmed finding (问责).
    OutcomeRecorded(OutcomeRecorded),
}

impl EventBody {
    /// The event kind as stored in the ledger's `kind` column.
    pub fn kind(&self) -> &'static str {
        match self {
            EventBody::VisitOpened(_) => "visit_opened",
            EventBody::ChecklistAdded(_) => "checklist_added",
            EventBody::FindingRecorded(_) => "finding_recorded",
            EventBody::EvidenceAttached(_) => "evidence_attached",
            EventBody::VisitClosed(_) => "visit_closed",
            EventBody::ReviewDecided(_) => "review_decided",
            EventBody::AppraisalEntered(_) => "appraisal_entered",
            EventBody::RosterPublished(_) => "roster_published",
            EventBody::UnitRegistered(_) => "unit_registered",
            EventBody::MethodPublished(_) => "method_published",
            EventBody::OfficeDeduction(_) => "office_deduction",
            EventBody::DeductionReviewed(_) => "deduction_reviewed",
            EventBody::UnitMapped(_) => "unit_mapped",
            EventBody::BulletinIssued(_) => "bulletin_issued",
            EventBody::ChecklistPublished(_) => "checklist_published",
            EventBody::OutcomeRecorded(_) => "outcome_recorded",
        }
    }
}
