//! What the ledger hands to its readers: plain data, no SQL.

use anfang_core::finding::{EvidenceRecord, FindingRecord};
use anfang_core::manifest::ChecklistSnapshot;
use anfang_core::review::{DatedDecision, ReviewRecord, ReviewStatus};
use anfang_core::visit::{Unit, VisitKind};
use anfang_core::{Lang, Points};
use std::path::PathBuf;
use uuid::Uuid;

/// An event id: lowercase hex SHA-256 of the event's canonical bytes.
pub type EventId = String;

/// A visit's place in Home's order (unfinished first, each part newest
/// first): where the next page of [`crate::Ledger::home_visits_after`] starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HomeKey {
    /// Whether the visit is closed.
    pub closed: bool,
    /// When it started.
    pub started_at: jiff::Timestamp,
    /// The visit.
    pub visit_id: Uuid,
}

/// One visit as the home screen lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitSummary {
    /// The visit.
    pub visit_id: Uuid,
    /// The unit visited.
    pub unit: Unit,
    /// Unannounced or open.
    pub kind: VisitKind,
    /// The team, lead first.
    pub team: Vec<String>,
    /// When the visit started.
    pub started_at: jiff::Timestamp,
    /// When it was closed; `None` while in progress.
    pub closed_at: Option<jiff::Timestamp>,
    /// The device that opened it.
    pub device_id: String,
    /// Current findings with result = violation.
    pub findings: u32,
    /// Sum of their points.
    pub points: Points,
}

/// A visit with its checklists and findings.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitDetail {
    /// The summary line.
    pub summary: VisitSummary,
    /// The checklists as recorded with the visit (labels and rules travel with it).
    pub checklists: Vec<ChecklistSnapshot>,
    /// The current (uncorrected) version of each finding, by observation time.
    pub findings: Vec<CurrentFinding>,
}

/// One version of a finding with what the ledger knows about it.
#[derive(Debug, Clone, PartialEq)]
pub struct CurrentFinding {
    /// The event that recorded this version.
    pub event_id: EventId,
    /// The device that recorded it.
    pub device_id: String,
    /// The time that device claimed.
    pub claimed_time: jiff::Timestamp,
    /// The record.
    pub record: FindingRecord,
    /// Files attached to the finding.
    pub evidence: Vec<EvidenceRecord>,
    /// The finding's review status.
    pub status: ReviewStatus,
    /// How many versions exist (1 = never corrected).
    pub versions: u32,
    /// Two versions supersede the same one (concurrent corrections).
    pub conflict: bool,
}

/// Every version of a finding and every decision on it.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingHistory {
    /// Versions, oldest first.
    pub versions: Vec<CurrentFinding>,
    /// Review decisions, oldest first, with the deciding device.
    pub decisions: Vec<(ReviewRecord, DatedDecision, String)>,
    /// Accountability outcomes (问责) that count, by date.
    pub outcomes: Vec<anfang_core::outcome::OutcomeRecorded>,
    /// Who each device above is, by the roster in force.
    pub signers: std::collections::BTreeMap<String, anfang_core::authority::Signer>,
}

/// What `bundle` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleSummary {
    /// The bundle file.
    pub path: PathBuf,
    /// Events written.
    pub events: u64,
    /// Evidence files written.
    pub blobs: u64,
    /// Devices whose events it carries.
    pub devices: u64,
}

/// How far a merge has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeProgress {
    /// The bundle file passed its checks and holds this many events.
    Opened {
        /// Events in the bundle.
        events: u64,
    },
    /// Events checked and applied so far.
    Events {
        /// Done.
        done: u64,
        /// In the bundle.
        total: u64,
    },
    /// Evidence files checked so far.
    Blobs {
        /// Done.
        done: u64,
        /// In the bundle.
        total: u64,
    },
}

/// What a merge added, per device and inspector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceReport {
    /// The device.
    pub device_id: String,
    /// Inspectors who led visits on this device (team leads), by name.
    pub inspectors: Vec<String>,
    /// New events from this device.
    pub events_added: u64,
    /// New visits.
    pub visits_added: u64,
    /// New finding versions (first records and corrections).
    pub findings_added: u64,
    /// New evidence attachments.
    pub evidence_added: u64,
    /// New review decisions.
    pub reviews_added: u64,
}

/// What kind of irregularity a flag marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FlagKind {
    /// Two events from one device with the same sequence number.
    Fork,
    /// An event whose previous event is not in the ledger.
    Gap,
    /// A claimed time well before the previous event's.
    ClockBackwards,
    /// A claimed time long before the device's first event.
    BeforeFirst,
    /// A claimed time in the future of the merging machine's clock.
    Future,
}

impl FlagKind {
    /// The name stored in the `flags.kind` column.
    pub fn as_str(self) -> &'static str {
        match self {
            FlagKind::Fork => "fork",
            FlagKind::Gap => "gap",
            FlagKind::ClockBackwards => "clock_backwards",
            FlagKind::BeforeFirst => "before_first",
            FlagKind::Future => "future",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<FlagKind> {
        [
            FlagKind::Fork,
            FlagKind::Gap,
            FlagKind::ClockBackwards,
            FlagKind::BeforeFirst,
            FlagKind::Future,
        ]
        .into_iter()
        .find(|k| k.as_str() == name)
    }
}

/// One irregularity, shown and never resolved silently.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Flag {
    /// What kind.
    pub kind: FlagKind,
    /// The device concerned.
    pub device_id: String,
    /// The sequence number concerned.
    pub seq: i64,
    /// The event concerned.
    pub event_id: EventId,
    /// The other event of a fork, or the missing previous event of a gap.
    pub other: Option<EventId>,
    /// A sentence for people, in English (as the `flags` table keeps it).
    pub detail: String,
    /// For a time flag: the claimed time and what it was compared with.
    pub times: Option<FlagTimes>,
}

/// The two times a time flag compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FlagTimes {
    /// The event's claimed time.
    pub claimed: jiff::Timestamp,
    /// The previous event's time, the device's first event's time, or this
    /// machine's clock, as the kind says.
    pub reference: jiff::Timestamp,
}

impl FlagKind {
    /// The kind's name for people.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (FlagKind::Fork, Lang::Zh) => "分叉",
            (FlagKind::Gap, Lang::Zh) => "链条断档",
            (FlagKind::ClockBackwards, Lang::Zh) => "时间倒退",
            (FlagKind::BeforeFirst, Lang::Zh) => "远早于该设备首个事件",
            (FlagKind::Future, Lang::Zh) => "未来时间",
            (FlagKind::Fork, Lang::En) => "fork",
            (FlagKind::Gap, Lang::En) => "gap in the chain",
            (FlagKind::ClockBackwards, Lang::En) => "clock went backwards",
            (FlagKind::BeforeFirst, Lang::En) => "long before the device's first event",
            (FlagKind::Future, Lang::En) => "time in the future",
        }
    }
}

impl Flag {
    /// One line for a report: kind, device, sequence number, event and
    /// what is odd, in `lang`.
    pub fn line(&self, lang: Lang) -> String {
        let (device, seq, event) = (short(&self.device_id), self.seq, short(&self.event_id));
        let (kind, what) = (self.kind.label(lang), self.describe(lang));
        match lang {
            Lang::Zh => format!("{kind}：设备 {device} 序号 {seq} 事件 {event}：{what}"),
            Lang::En => format!("{kind}: device {device} seq {seq} event {event}: {what}"),
        }
    }

    /// The flag's sentence in `lang`; [`Flag::detail`] is the English one.
    pub fn describe(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let other = self.other.as_deref().map_or("", short);
        match (self.kind, self.times) {
            (FlagKind::Fork, _) if zh => format!(
                "序号 {} 有两个不同的事件：{} 和 {}",
                self.seq,
                short(&self.event_id),
                other
            ),
            (FlagKind::Gap, _) if zh => {
                format!("上一个事件 {}（序号 {}）不在本台账中", other, self.seq - 1)
            }
            (FlagKind::ClockBackwards, Some(t)) if zh => {
                format!("声称时间 {}，早于上一个事件的 {}", t.claimed, t.reference)
            }
            (FlagKind::BeforeFirst, Some(t)) if zh => format!(
                "声称时间 {}，远早于该设备首个事件（{}）",
                t.claimed, t.reference
            ),
            (FlagKind::Future, Some(t)) if zh => {
                format!("声称时间 {}，晚于本机时钟（{}）", t.claimed, t.reference)
            }
            _ => self.detail.clone(),
        }
    }
}

impl std::fmt::Display for Flag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: device {} seq {} event {}: {}",
            self.kind.as_str(),
            short(&self.device_id),
            self.seq,
            short(&self.event_id),
            self.detail
        )
    }
}

/// The first 12 hex digits of an id, enough to tell ids apart on screen.
pub fn short(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

/// What a merge did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeReport {
    /// The bundle merged.
    pub bundle: PathBuf,
    /// Events in the bundle.
    pub events_in_bundle: u64,
    /// Events new to this ledger.
    pub events_added: u64,
    /// Evidence files new to this ledger.
    pub blobs_added: u64,
    /// Signatures checked (one per device segment).
    pub signatures_checked: u64,
    /// Per device with new events, by device id.
    pub devices: Vec<DeviceReport>,
    /// Every flag on the devices in the bundle, plus claimed times in the future.
    pub flags: Vec<Flag>,
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VerifyReport {
    /// Events checked.
    pub events: u64,
    /// Devices seen.
    pub devices: u64,
    /// Signatures checked.
    pub signatures_checked: u64,
    /// Evidence files re-hashed.
    pub blobs_checked: u64,
    /// Problems: each one a line naming the bad value. Empty = the ledger is sound.
    pub problems: Vec<String>,
    /// Flags (forks, gaps, odd times): shown, not problems.
    pub flags: Vec<Flag>,
}

impl VerifyReport {
    /// Whether no problem was found.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}
