//! The plain rows an export is made of. A source (the ledger, or a list in
//! memory) produces them; the format writers only ever see these.

use anfang_core::authority::Signer;
use anfang_core::finding::{FindingResult, ImportSource};
use anfang_core::manifest::ItemRef;
use anfang_core::review::ReviewStatus;
use anfang_core::rule::{CountUnit, RuleInput};
use anfang_core::score::Grade;
use anfang_core::tally::ItemLine;
use anfang_core::visit::VisitKind;
use anfang_core::{Label, Points};
use jiff::Timestamp;
use jiff::civil::Date;
use uuid::Uuid;

/// One finding, in its current version, with everything an export shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRow {
    /// Stable id of the finding across its versions.
    pub finding_id: Uuid,
    /// The visit it was recorded in.
    pub visit_id: Uuid,
    /// The event that recorded this version (hex SHA-256): where it came from.
    pub event_id: String,
    /// The device that recorded this version.
    pub device_id: String,
    /// Who that device is, by the office's roster (beside the team typed
    /// on the visit, which is free text).
    pub recorded_by: Signer,
    /// When it was observed.
    pub observed_at: Timestamp,
    /// The unit's name.
    pub unit: String,
    /// The unit's department.
    pub department: String,
    /// Unannounced or open.
    pub visit_kind: VisitKind,
    /// The inspection team, lead first.
    pub inspectors: Vec<String>,
    /// Plugin, version, checklist and item.
    pub item: ItemRef,
    /// The checklist's title.
    pub checklist_label: Label,
    /// The item's title.
    pub item_label: Label,
    /// Violation, compliant or not applicable.
    pub result: FindingResult,
    /// Count and whatever else the item's rule took.
    pub input: RuleInput,
    /// What the count counts, when the rule counts.
    pub count_unit: Option<CountUnit>,
    /// The deduction as it counts (the reviewer's chosen value when one was set).
    pub points: Points,
    /// Who or where: badge number, name or window number.
    pub subject: Option<String>,
    /// The evidence note.
    pub note: String,
    /// Where review stands.
    pub status: ReviewStatus,
    /// The rectification deadline, when one was ordered.
    pub deadline: Option<Date>,
    /// The imported file and row, for imported findings.
    pub source: Option<ImportSource>,
    /// How many versions exist (1 = never corrected).
    pub versions: u32,
    /// Two corrections of the same version exist.
    pub conflict: bool,
    /// Evidence files attached.
    pub evidence_files: u32,
}

impl ExportRow {
    /// Whether this finding counts against its unit's score.
    pub fn counts(&self) -> bool {
        self.result == FindingResult::Violation && self.status.counts()
    }

    /// Whether this finding is a violation still waiting for review.
    pub fn provisional(&self) -> bool {
        self.result == FindingResult::Violation && self.status == ReviewStatus::Pending
    }
}

/// A unit's score and place for the period.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitScore {
    /// Place in the ranking; equal scores share a place (1, 1, 3).
    pub rank: u32,
    /// The unit's name.
    pub unit: String,
    /// Its department.
    pub department: String,
    /// 100 minus the counted deductions, never below 0.
    pub score: Points,
    /// The grade of that score.
    pub grade: Grade,
    /// Counted deductions (findings and appraisal).
    pub deducted: Points,
    /// Deduction from public appraisal, included in `deducted`.
    pub appraisal: Points,
    /// Findings counted (violations, reviewed and not dismissed).
    pub counted: u64,
    /// Violations still pending review: shown apart, not counted.
    pub pending: u64,
    /// Points those pending findings would cost.
    pub pending_points: Points,
    /// Counted deductions by item, largest first.
    pub deductions: Vec<ItemLine>,
}

/// A finding for which the office ordered rectification (整改).
#[derive(Debug, Clone, PartialEq)]
pub struct RectificationRow {
    /// The finding.
    pub finding_id: Uuid,
    /// The unit's name.
    pub unit: String,
    /// Its department.
    pub department: String,
    /// The item's title.
    pub item_label: Label,
    /// Who or where.
    pub subject: Option<String>,
    /// The evidence note.
    pub note: String,
    /// When it was observed.
    pub observed_at: Timestamp,
    /// When rectification was ordered.
    pub ordered_at: Timestamp,
    /// Who ordered it.
    pub ordered_by: String,
    /// Last day for rectification.
    pub deadline: Date,
    /// Where the finding stands now.
    pub status: ReviewStatus,
    /// What the unit reported done, when it did.
    pub rectified_note: Option<String>,
    /// When it reported so.
    pub rectified_at: Option<Timestamp>,
    /// When the office verified it.
    pub verified_at: Option<Timestamp>,
}

impl RectificationRow {
    /// Still waiting for rectification after its deadline.
    pub fn overdue(&self, today: Date) -> bool {
        self.status == ReviewStatus::RectificationRequired && self.deadline < today
    }

    /// Whether the rectification is due within `days` days of `today` and
    /// not yet overdue: shown in yellow, as Review and Home show it.
    pub fn due_soon(&self, today: Date, days: u32) -> bool {
        let horizon = today.saturating_add(jiff::Span::new().days(i64::from(days)));
        self.status == ReviewStatus::RectificationRequired
            && self.deadline >= today
            && self.deadline <= horizon
    }
}

/// One visit made, with findings or none: what a summary counts as a visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitRow {
    /// The visit.
    pub visit_id: Uuid,
    /// Open (明察) or unannounced (暗访).
    pub kind: VisitKind,
    /// The unit visited.
    pub unit: String,
    /// Its department.
    pub department: String,
}
