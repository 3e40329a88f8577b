//! What the screens show, as plain data. The runtime fills these from the
//! ledger; tests build them by hand. Keeping them here lets the screens be
//! drawn and tested without a database.

use anfang_core::Points;
use anfang_core::finding::{EvidenceRecord, FindingRecord, FindingResult};
use anfang_core::manifest::{ChecklistSnapshot, Item};
use anfang_core::review::{DatedDecision, ReviewRecord, ReviewStatus};
use anfang_core::visit::{Unit, VisitKind};
use uuid::Uuid;

/// The office this ledger answers to, as Home states it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfficeStanding {
    /// The pinned office's short fingerprint; `None` in open mode.
    pub office: Option<String>,
    /// Events kept that count for nothing (unauthorized or invalid).
    pub refused: u64,
}

/// One row of the home screen.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitRow {
    /// The visit.
    pub visit_id: Uuid,
    /// The unit visited.
    pub unit: Unit,
    /// Unannounced or open.
    pub kind: VisitKind,
    /// The team, lead first.
    pub team: Vec<String>,
    /// When it started.
    pub started_at: jiff::Timestamp,
    /// When it was closed; `None` while unfinished.
    pub closed_at: Option<jiff::Timestamp>,
    /// Current findings with result violation.
    pub findings: u32,
    /// Points those findings deduct.
    pub points: Points,
}

/// A visit with its checklists and current findings.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitView {
    /// The summary row.
    pub summary: VisitRow,
    /// The checklists as recorded with the visit.
    pub checklists: Vec<ChecklistSnapshot>,
    /// The current version of each finding.
    pub findings: Vec<FindingView>,
}

/// The current version of one finding.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingView {
    /// The event that recorded this version (what a correction supersedes).
    pub event_id: String,
    /// The device that recorded it.
    pub device_id: String,
    /// The time the recording device claimed.
    pub claimed_time: jiff::Timestamp,
    /// What was recorded.
    pub record: FindingRecord,
    /// Files attached.
    pub evidence: Vec<EvidenceRecord>,
    /// Review status.
    pub status: ReviewStatus,
    /// How many versions exist (1 = never corrected).
    pub versions: u32,
    /// Two versions supersede the same one (concurrent corrections).
    pub conflict: bool,
}

/// Every version of a finding and every decision on it.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryView {
    /// The finding.
    pub finding_id: Uuid,
    /// Versions, oldest first.
    pub versions: Vec<FindingView>,
    /// Decisions with the deciding device.
    pub decisions: Vec<(ReviewRecord, DatedDecision, String)>,
    /// Accountability outcomes (问责) that count, by date.
    pub outcomes: Vec<anfang_core::outcome::OutcomeRecorded>,
    /// Who each device above is, by the office's roster.
    pub signers: std::collections::BTreeMap<String, anfang_core::authority::Signer>,
}

impl HistoryView {
    /// Who `device` is, as the roster says (open mode: the `claimed` name),
    /// with its short fingerprint.
    pub fn signer(&self, lang: anfang_core::Lang, device: &str, claimed: &str) -> String {
        self.signers
            .get(device)
            .unwrap_or(&anfang_core::authority::Signer::OpenMode)
            .describe(lang, device, claimed)
    }
}

/// One plugin as the plugins screen lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct PluginRow {
    /// Plugin id (empty when the file could not be read far enough).
    pub id: String,
    /// Plugin version.
    pub version: String,
    /// Departments it serves, joined for display.
    pub departments: String,
    /// The library file.
    pub file: String,
    /// SHA-256 of the file.
    pub sha256: String,
    /// Loaded, or refused.
    pub loaded: bool,
    /// Why it was refused.
    pub reason: Option<String>,
}

impl VisitView {
    /// The current findings recorded on one item of one checklist.
    pub fn findings_on(&self, checklist: &ChecklistSnapshot, item: &Item) -> Vec<&FindingView> {
        self.findings
            .iter()
            .filter(|f| {
                let r = &f.record.item;
                r.plugin_id == checklist.plugin_id
                    && r.checklist_id == checklist.checklist.id
                    && r.item_id == item.id
            })
            .collect()
    }

    /// Items of a checklist that have at least one finding, and all items.
    pub fn progress(&self, checklist: &ChecklistSnapshot) -> (usize, usize) {
        let done = checklist
            .checklist
            .items
            .iter()
            .filter(|item| !self.findings_on(checklist, item).is_empty())
            .count();
        (done, checklist.checklist.items.len())
    }

    /// Points the visit's violations deduct so far.
    pub fn tally(&self) -> Points {
        self.findings
            .iter()
            .filter(|f| f.record.result == FindingResult::Violation)
            .map(|f| f.record.points)
            .sum()
    }

    /// Whether the visit is closed (and so read-only).
    pub fn closed(&self) -> bool {
        self.summary.closed_at.is_some()
    }
}
