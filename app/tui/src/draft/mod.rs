//! Drafts: what is being typed in the finding editor or the new-visit form,
//! kept on disk (not in the ledger) so a crash, a kill or a power cut loses
//! at most the last second of typing. `update` compares the draft the
//! screens hold with the one last written and, on a tick, asks the runtime
//! to write it (`Effect::SaveDraft`); leaving the screen (saved or
//! abandoned) asks it to remove the file (`Effect::DiscardDraft`).

use crate::effect::Effect;
use crate::state::{Screen, State};
use serde::{Deserialize, Serialize};

mod finding;
mod form;

pub use finding::FindingDraft;
pub use form::FormDraft;

/// How long a changed draft may wait for the next write: well under the
/// second the inspector may lose, yet not a disk write per key.
pub const WRITE_EVERY: jiff::SignedDuration = jiff::SignedDuration::from_millis(300);

/// What was being typed, and on which screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "screen", rename_all = "snake_case", deny_unknown_fields)]
pub enum Draft {
    /// The finding editor, over its visit.
    Finding(Box<FindingDraft>),
    /// The new-visit form.
    NewVisit(Box<FormDraft>),
}

/// One text field: its text and where the caret stood (row, column in chars).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// The text, lines joined with `\n`.
    pub text: String,
    /// The caret: line and character within it.
    pub caret: (usize, usize),
}

impl Text {
    /// The text and caret of a field.
    pub fn of(area: &ratatui_textarea::TextArea<'_>) -> Text {
        let caret = area.cursor();
        Text {
            text: crate::widgets::field::text(area),
            caret: (caret.0, caret.1),
        }
    }

    /// A one-line field holding this text, caret where it was.
    pub fn line(&self) -> ratatui_textarea::TextArea<'static> {
        self.place(crate::widgets::field::line(&self.text))
    }

    /// A multi-line note holding this text, caret where it was.
    pub fn note(&self) -> ratatui_textarea::TextArea<'static> {
        self.place(crate::widgets::field::note(&self.text))
    }

    fn place(
        &self,
        mut area: ratatui_textarea::TextArea<'static>,
    ) -> ratatui_textarea::TextArea<'static> {
        let clamp = |n: usize| u16::try_from(n).unwrap_or(u16::MAX);
        area.move_cursor(ratatui_textarea::CursorMove::Jump(
            clamp(self.caret.0),
            clamp(self.caret.1),
        ));
        area
    }
}

/// What the draft file holds besides the draft: a format number, so a
/// later version can tell an old file from its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftFile {
    /// Always [`DraftFile::FORMAT`] for files this version writes.
    pub format: u32,
    /// The draft.
    pub draft: Draft,
}

impl DraftFile {
    /// The format this version writes and reads.
    pub const FORMAT: u32 = 1;
}

/// The draft as last handed to the runtime, and when.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DraftSync {
    /// The draft on disk (as far as `update` knows).
    pub on_disk: Option<Draft>,
    /// The tick time of the last write.
    pub written_at: Option<jiff::Timestamp>,
}

impl Draft {
    /// The draft of the visible screen, if it is one that keeps drafts.
    pub fn of(state: &State) -> Option<Draft> {
        match state.screen() {
            Screen::Editor(editor) => Some(Draft::Finding(Box::new(FindingDraft::of(editor)))),
            Screen::NewVisit(form) => Some(Draft::NewVisit(Box::new(FormDraft::of(form)))),
            _ => None,
        }
    }
}

/// Whether what is typed differs from the draft on disk (a tick will write it).
pub fn pending(state: &State) -> bool {
    Draft::of(state) != state.drafts.on_disk
}

/// After every action: a draft that changed is written on a tick (at most
/// every [`WRITE_EVERY`]); a draft whose screen was left is removed at once.
pub fn follow(state: &mut State, tick: Option<jiff::Timestamp>) -> Option<Effect> {
    let current = Draft::of(state);
    if current == state.drafts.on_disk {
        return None;
    }
    let Some(draft) = current else {
        state.drafts.on_disk = None;
        return Some(Effect::DiscardDraft);
    };
    let now = tick?;
    if let Some(at) = state.drafts.written_at
        // A clock that went back (time zone or NTP change) writes at once.
        && now >= at
        && now.duration_since(at) < WRITE_EVERY
    {
        return None;
    }
    state.drafts.on_disk = Some(draft.clone());
    state.drafts.written_at = Some(now);
    Some(Effect::SaveDraft(draft))
}

/// Shows a draft found at start: the form, or the editor over its visit.
pub fn restore(state: &mut State, draft: Draft) -> Vec<Effect> {
    state.overlay = None;
    state.stack.truncate(1);
    state.drafts.on_disk = Some(draft.clone());
    match draft {
        Draft::Finding(d) => {
            let visit_id = d.visit_id;
            let mut visit = crate::screens::visit::VisitState::loading(visit_id);
            visit.want = Some(d.item.clone());
            state.stack.push(Screen::Visit(visit));
            state.stack.push(Screen::Editor(Box::new(d.editor())));
            vec![Effect::LoadVisit(visit_id)]
        }
        Draft::NewVisit(d) => {
            let known = state.home().units.clone();
            let mut form = d.form(known);
            form.register = state.home().register.clone();
            state.stack.push(Screen::NewVisit(form));
            Vec::new()
        }
    }
}
