//! `view`: draws the state. Reads only.

use crate::screens::{editor, history, home, new_visit, overlay, plugins, review, scores, visit};
use crate::state::{Screen, State};
use ratatui::Frame;

/// Draws the visible screen and any pop-up over it.
pub fn view(state: &State, frame: &mut Frame<'_>) {
    match state.screen() {
        Screen::Home(h) => home::view(h, state, frame),
        Screen::NewVisit(form) => new_visit::view(form, state, frame),
        Screen::Visit(v) => visit::view(v, state, frame),
        Screen::Editor(ed) => editor::view(ed, state, frame),
        Screen::History(h) => history::view(h, state, frame),
        Screen::Plugins(p) => plugins::view(p, state, frame),
        Screen::Merge(m) => crate::screens::merge::view(m, state, frame),
        Screen::Export(form) => crate::screens::export::view(form, state, frame),
        Screen::Review(r) => review::view(r, state, frame),
        Screen::Scores(s) => scores::view(s, state, frame),
    }
    if let Some(o) = &state.overlay {
        overlay::view(o, state, frame);
    }
}
