//! Actions: everything that can change the state, from keys or from the
//! results of effects.

use crate::command::Command;
use crate::model::{HistoryView, VisitRow, VisitView};
use anfang_core::register::Register;
use anfang_core::visit::Unit;
use crossterm::event::KeyEvent;
use uuid::Uuid;

/// One input to `update`.
#[derive(Debug, Clone)]
pub enum Action {
    /// A key bound in the keymap.
    Command(Command),
    /// A key typed into the focused text field.
    Input(KeyEvent),
    /// Text pasted into the focused text field.
    Paste(String),
    /// A mouse click at (column, row).
    Click(u16, u16),
    /// The mouse wheel: negative up, positive down.
    Scroll(i32),
    /// The clock moved on.
    Tick(jiff::Timestamp),
    /// The terminal was resized to (width, height).
    Resize(u16, u16),
    /// Home rows and known units were read.
    HomeLoaded {
        /// Unfinished first, then recent.
        visits: Vec<VisitRow>,
        /// Units seen in the ledger.
        units: Vec<Unit>,
        /// The office's register of units (empty when it has none).
        register: Register,
        /// An unfinished visit this device opened, to offer resuming (at start).
        resume: Option<VisitRow>,
        /// Rectifications past their deadline (counted up to a cap; `true` when capped).
        overdue: (u64, bool),
        /// Rectifications whose deadline is near (within the warning days), counted alike.
        due_soon: (u64, bool),
        /// Whether more visits may follow these.
        more: bool,
    },
    /// The office the ledger answers to, and the events it refused, were read.
    OfficeRead(crate::model::OfficeStanding),
    /// Home's next page of visits was read.
    HomeMore {
        /// The visit the page follows.
        after: Uuid,
        /// The page.
        visits: Vec<VisitRow>,
        /// Whether more visits may follow it.
        more: bool,
    },
    /// A visit was opened in the ledger; show it.
    VisitOpened(Uuid),
    /// A visit was read.
    VisitLoaded(VisitView),
    /// A finding's history was read.
    HistoryLoaded(HistoryView),
    /// A finding was durably recorded.
    FindingSaved {
        /// The finding.
        finding_id: Uuid,
        /// Its visit (read again to show it).
        visit_id: Uuid,
        /// A note for the status line (e.g. the plugin's score failed).
        note: Option<String>,
    },
    /// A draft left by a crash or kill was found at start: show it again.
    DraftFound(crate::draft::Draft),
    /// The draft could not be written; the message names why.
    DraftFailed(String),
    /// Recording a finding failed; the editor stays open.
    SaveFailed(String),
    /// The plugin could not compute the points and none were entered by
    /// hand: nothing was saved; the editor asks for the points.
    ScoreFailed(String),
    /// Something worth a line in the status bar.
    Info(String),
    /// The user's name was kept in the settings file.
    NameSaved(String),
    /// An effect failed.
    Failed(String),
    /// The merge screen's I/O answered (a listing, progress, a report).
    Merge(crate::screens::merge::MergeReply),
    /// The export screen's I/O answered (progress, the result).
    Export(crate::screens::export::ExportReply),
    /// The review screen's I/O answered.
    Review(crate::screens::review::ReviewReply),
    /// The scores screen's I/O answered.
    Scores(crate::screens::scores::ScoresReply),
}
