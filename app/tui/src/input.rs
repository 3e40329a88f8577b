//! Terminal events to actions, through the keymap.

use crate::action::Action;
use crate::keymap::Key;
use crate::screens::overlay::Overlay;
use crate::screens::{editor, new_visit};
use crate::state::{Screen, State};
use crate::widgets::field;
use crossterm::event::{Event, KeyEventKind, MouseButton, MouseEventKind};

/// Whether the pop-up is a one-line entry.
fn overlay_has_field(overlay: &Overlay) -> bool {
    matches!(
        overlay,
        Overlay::AttachPath { .. } | Overlay::AskName { .. }
    )
}

/// Whether a text field has the focus, and if so whether it is multi-line.
pub fn text_focus(state: &State) -> Option<bool> {
    if let Some(overlay) = &state.overlay {
        return overlay_has_field(overlay).then_some(false);
    }
    match state.screen() {
        Screen::NewVisit(form) => matches!(
            form.focus,
            new_visit::Field::Unit | new_visit::Field::Department | new_visit::Field::Team
        )
        .then_some(false),
        Screen::Review(r) => r.typing().then_some(false),
        Screen::Scores(s) => s.typing().then_some(false),
        Screen::Merge(m) => {
            (m.focus == crate::screens::merge::Focus::Path && !m.busy()).then_some(false)
        }
        Screen::Export(form) => (form.typing() && !form.busy()).then_some(false),
        Screen::Editor(ed) => match ed.focus {
            editor::Field::Result => None,
            editor::Field::Note => Some(true),
            _ => Some(false),
        },
        _ => None,
    }
}

/// The action a terminal event asks for. In a text field, typing and
/// cursor keys edit the field; everything else goes through the keymap.
pub fn translate(state: &State, event: Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            if let Some(multiline) = text_focus(state)
                && (Key::from_event(&key).is_text() || field::edits(&key, multiline))
            {
                return Some(Action::Input(key));
            }
            match state.keymap.lookup(&state.contexts(), &key) {
                Some(command) => Some(Action::Command(command)),
                None => Some(Action::Input(key)),
            }
        }
        Event::Mouse(mouse) => match mouse.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click(mouse.column, mouse.row)),
            MouseEventKind::ScrollUp => Some(Action::Scroll(-1)),
            MouseEventKind::ScrollDown => Some(Action::Scroll(1)),
            _ => None,
        },
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        _ => None,
    }
}
