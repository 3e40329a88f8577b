//! Effects: the I/O `update` asks for. The runtime carries them out against
//! the ledger and answers with actions.

use crate::screens::review::ReviewEffect;
use crate::screens::scores::ScoresEffect;
use anfang_core::Points;
use anfang_core::event::{ChecklistAdded, VisitClosed, VisitOpened};
use anfang_core::finding::FindingRecord;
use std::path::PathBuf;
use uuid::Uuid;

/// One piece of I/O.
// Only a handful of these exist at any time; boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Read the home rows and known units.
    LoadHome {
        /// Ask about resuming an unfinished visit afterwards.
        offer_resume: bool,
    },
    /// Read Home's next page of visits, after this one.
    LoadMoreVisits(anfang_ledger::HomeKey),
    /// Record a new visit.
    OpenVisit(VisitOpened),
    /// Read a visit.
    LoadVisit(Uuid),
    /// Record a finding (or a correction).
    RecordFinding {
        /// The record; for a computed rule, `points` holds the hand-entered fallback.
        record: FindingRecord,
        /// For a computed rule: ask the plugin's score function first,
        /// bounded by this maximum.
        compute: Option<Points>,
    },
    /// Record several findings in one transaction, then read the visit again.
    RecordMany {
        /// The visit.
        visit_id: Uuid,
        /// The records.
        records: Vec<FindingRecord>,
    },
    /// Keep what is being typed on disk (a draft, not an event).
    SaveDraft(crate::draft::Draft),
    /// Remove the draft: what it held was saved or abandoned.
    DiscardDraft,
    /// Record that a checklist joined the visit.
    AddChecklist(ChecklistAdded),
    /// Record that the visit closed.
    CloseVisit(VisitClosed),
    /// Read a finding's history.
    LoadHistory(Uuid),
    /// Store a file as evidence for a finding.
    Attach {
        /// The finding.
        finding_id: Uuid,
        /// The visit to reload afterwards.
        visit_id: Uuid,
        /// The file.
        path: PathBuf,
    },
    /// Write an evidence file out and open it with the desktop's viewer.
    OpenEvidence {
        /// The blob.
        sha256: String,
        /// Its file name.
        file_name: String,
    },
    /// Write the record of a visit and its list of evidence as DOCX.
    WriteVisitRecord {
        /// The visit.
        visit_id: Uuid,
        /// The file (a relative path is taken from the working folder).
        out: PathBuf,
    },
    /// Write the rectification notice to a unit as DOCX.
    WriteNotice {
        /// The unit.
        unit: String,
        /// The file (a relative path is taken from the working folder).
        out: PathBuf,
    },
    /// Keep the user's name in the settings file for the next start.
    SaveName(String),
    /// Merge screen I/O: list a folder, merge bundles (on a worker).
    Merge(crate::screens::merge::MergeEffect),
    /// Export screen I/O: write an export (on a worker).
    Export(crate::screens::export::ExportEffect),
    /// Review screen I/O: pages, counts, detail, decisions.
    Review(ReviewEffect),
    /// Scores screen I/O.
    Scores(ScoresEffect),
}
