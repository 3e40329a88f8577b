//! `update`: the one place the state changes. Pure: it returns the I/O it
//! needs as effects for the runtime.

use crate::action::Action;
use crate::command::Command;
use crate::effect::Effect;
use crate::i18n::{t, tf};
use crate::screens::overlay::{self, Overlay};
use crate::screens::{
    Ctx, Nav, Out, editor, history, home, new_visit, plugins, review, scores, visit,
};
use crate::state::{Screen, State, Status};

/// Applies one action and returns the effects to run; what is being typed
/// follows to disk as a draft (see `draft::follow`).
pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    let tick = match &action {
        Action::Tick(now) => Some(*now),
        _ => None,
    };
    let mut effects = act(state, action);
    effects.extend(crate::draft::follow(state, tick));
    effects
}

fn act(state: &mut State, action: Action) -> Vec<Effect> {
    match action {
        Action::Tick(now) => {
            state.now = now;
            Vec::new()
        }
        Action::Resize(w, h) => {
            state.size = (w, h);
            Vec::new()
        }
        Action::Command(command) => {
            state.status = None;
            command_action(state, command)
        }
        Action::Input(key) => {
            state.status = None;
            if let Some(overlay) = state.overlay.as_mut() {
                // Keys meant for a pop-up never reach the screen beneath it.
                let is_help = matches!(overlay, Overlay::Help { .. });
                if let Some(field) = overlay.field_mut() {
                    crate::widgets::field::feed(field, key, false);
                } else if is_help {
                    state.overlay = None;
                }
                return Vec::new();
            }
            let ctx = ctx_of(state);
            let (top, _) = split_top(&mut state.stack);
            match top {
                Screen::NewVisit(form) => new_visit::input(form, &ctx_owned(&ctx), key),
                Screen::Editor(ed) => editor::input(ed, key),
                Screen::Merge(m) => crate::screens::merge::input(m, key),
                Screen::Export(x) => crate::screens::export::input(x, key),
                Screen::Review(r) => review::input(r, key),
                Screen::Scores(s) => scores::input(s, key),
                _ => {}
            }
            Vec::new()
        }
        Action::Paste(text) => {
            if let Some(overlay) = state.overlay.as_mut() {
                if let Some(field) = overlay.field_mut() {
                    field.insert_str(text.replace(['\n', '\r'], ""));
                }
                return Vec::new();
            }
            let owned = ctx_of(state);
            match state.stack.last_mut() {
                Some(Screen::NewVisit(form)) => new_visit::paste(form, &ctx_owned(&owned), &text),
                Some(Screen::Editor(ed)) => editor::paste(ed, &text),
                Some(Screen::Merge(m)) => crate::screens::merge::paste(m, &text),
                Some(Screen::Export(x)) => crate::screens::export::paste(x, &text),
                Some(Screen::Review(r)) => review::paste(r, &text),
                Some(Screen::Scores(s)) => scores::paste(s, &text),
                _ => {}
            }
            Vec::new()
        }
        Action::Click(x, y) => {
            if state.overlay.is_some() {
                return Vec::new();
            }
            let ctx = ctx_of(state);
            let ctx = ctx_owned(&ctx);
            match state.stack.last_mut() {
                Some(Screen::Home(h)) => {
                    home::click(h, ctx.size, x, y);
                    return h.next_page().into_iter().collect();
                }
                Some(Screen::NewVisit(form)) => new_visit::click(form, &ctx, x, y),
                Some(Screen::Visit(v)) => visit::click(v, &ctx, x, y),
                Some(Screen::Editor(ed)) => editor::click(ed, &ctx, x, y),
                Some(Screen::Plugins(p)) => plugins::click(p, &ctx, x, y),
                Some(Screen::Merge(m)) => crate::screens::merge::click(m, &ctx, x, y),
                Some(Screen::Export(form)) => crate::screens::export::click(form, &ctx, x, y),
                Some(Screen::Scores(s)) => scores::click(s, &ctx, x, y),
                Some(Screen::Review(r)) => {
                    let out = review::click(r, &ctx, x, y);
                    return apply(state, out);
                }
                _ => {}
            }
            Vec::new()
        }
        Action::Scroll(delta) => {
            let command = if delta < 0 {
                Command::Up
            } else {
                Command::Down
            };
            let mut effects = Vec::new();
            for _ in 0..delta.unsigned_abs().min(10) {
                effects.extend(command_action(state, command));
            }
            effects
        }
        Action::HomeLoaded {
            visits,
            units,
            register,
            resume,
            overdue,
            due_soon,
            more,
        } => {
            let mut effects = Vec::new();
            if let Some(Screen::Home(h)) = state.stack.first_mut() {
                h.loaded(visits, units, more);
                h.register = register;
                h.overdue = overdue;
                h.due_soon = due_soon;
                effects.extend(h.next_page());
            }
            if let Some(row) = resume
                && state.overlay.is_none()
                && state.stack.len() == 1
            {
                state.overlay = Some(home::resume_offer(&row, state.lang, &state.tz));
            }
            effects
        }
        Action::OfficeRead(standing) => {
            if let Some(Screen::Home(h)) = state.stack.first_mut() {
                h.office = Some(standing);
            }
            Vec::new()
        }
        Action::HomeMore {
            after,
            visits,
            more,
        } => {
            if let Some(Screen::Home(h)) = state.stack.first_mut() {
                h.appended(after, visits, more);
                return h.next_page().into_iter().collect();
            }
            Vec::new()
        }
        Action::VisitOpened(visit_id) => {
            state.status = Some(Status::Info(t(state.lang, "visit.started").to_string()));
            let out = home::open(visit_id);
            if matches!(state.stack.last(), Some(Screen::NewVisit(_))) {
                state.stack.pop();
            }
            apply(state, out)
        }
        Action::VisitLoaded(view) => {
            for screen in state.stack.iter_mut().rev() {
                if let Screen::Visit(v) = screen
                    && v.visit_id == view.summary.visit_id
                {
                    v.loaded(view);
                    break;
                }
            }
            Vec::new()
        }
        Action::HistoryLoaded(view) => {
            if let Some(Screen::History(h)) = state.stack.last_mut()
                && h.finding_id == view.finding_id
            {
                h.view = Some(view);
            }
            Vec::new()
        }
        Action::FindingSaved {
            finding_id,
            visit_id,
            note,
        } => {
            if let Some(Screen::Editor(ed)) = state.stack.last()
                && ed.finding_id == finding_id
            {
                state.stack.pop();
            }
            state.status = Some(match note {
                Some(note) => Status::Error(note),
                None => Status::Info(t(state.lang, "editor.saved").to_string()),
            });
            vec![Effect::LoadVisit(visit_id)]
        }
        Action::ScoreFailed(message) => {
            if let Some(Screen::Editor(ed)) = state.stack.last_mut() {
                ed.saving = false;
                ed.focus = crate::screens::editor::Field::HandPoints;
            }
            state.status = Some(Status::Error(message));
            Vec::new()
        }
        Action::DraftFound(draft) => {
            state.status = Some(Status::Info(t(state.lang, "draft.restored").to_string()));
            crate::draft::restore(state, draft)
        }
        Action::DraftFailed(message) => {
            // Written again at the next tick.
            state.drafts.on_disk = None;
            state.status = Some(Status::Error(message));
            Vec::new()
        }
        Action::SaveFailed(message) => {
            if let Some(Screen::Editor(ed)) = state.stack.last_mut() {
                ed.saving = false;
            }
            state.status = Some(Status::Error(message));
            Vec::new()
        }
        Action::Review(answer) => {
            let owned = ctx_of(state);
            let ctx = ctx_owned(&owned);
            // The answer goes to the review screen nearest the top (one may lie under a history).
            let out = state
                .stack
                .iter_mut()
                .rev()
                .find_map(|screen| match screen {
                    Screen::Review(r) => Some(review::reply(r, &ctx, answer.clone())),
                    _ => None,
                });
            match out {
                Some(out) => apply(state, out),
                None => Vec::new(),
            }
        }
        Action::Scores(answer) => {
            if let Some(Screen::Scores(s)) = state
                .stack
                .iter_mut()
                .rev()
                .find(|s| matches!(s, Screen::Scores(_)))
            {
                scores::reply(s, answer);
            }
            Vec::new()
        }
        Action::Info(message) => {
            state.status = Some(Status::Info(message));
            Vec::new()
        }
        Action::NameSaved(name) => {
            state.status = Some(Status::Info(tf(
                state.lang,
                "name.saved",
                &[("name", &name)],
            )));
            state.user_name = name;
            state.ask_name = false;
            Vec::new()
        }
        Action::Failed(message) => {
            state.status = Some(Status::Error(message));
            Vec::new()
        }
        Action::Merge(reply) => {
            let owned = ctx_of(state);
            let ctx = ctx_owned(&owned);
            // The news goes to the merge screen, wherever it is on the stack.
            let at = state
                .stack
                .iter()
                .rposition(|s| matches!(s, Screen::Merge(_)));
            if let Some(i) = at
                && let Screen::Merge(m) = &mut state.stack[i]
            {
                let out = crate::screens::merge::reply(m, &ctx, reply);
                return apply(state, out);
            }
            Vec::new()
        }
        Action::Export(reply) => {
            let owned = ctx_of(state);
            let ctx = ctx_owned(&owned);
            let at = state
                .stack
                .iter()
                .rposition(|s| matches!(s, Screen::Export(_)));
            if let Some(i) = at
                && let Screen::Export(form) = &mut state.stack[i]
            {
                let out = crate::screens::export::reply(form, &ctx, reply);
                return apply(state, out);
            }
            Vec::new()
        }
    }
}

/// The read-only context screens update with, detached from `state`'s borrow.
struct OwnedCtx {
    lang: anfang_core::Lang,
    now: jiff::Timestamp,
    tz: jiff::tz::TimeZone,
    user_name: String,
    ask_name: bool,
    catalog: crate::catalog::Catalog,
    size: (u16, u16),
    documents: crate::screens::export::DocumentDefaults,
}

fn ctx_of(state: &State) -> OwnedCtx {
    OwnedCtx {
        lang: state.lang,
        now: state.now,
        tz: state.tz.clone(),
        user_name: state.user_name.clone(),
        ask_name: state.ask_name,
        catalog: state.catalog.clone(),
        size: state.size,
        documents: state.documents.clone(),
    }
}

fn ctx_owned(owned: &OwnedCtx) -> Ctx<'_> {
    Ctx {
        lang: owned.lang,
        now: owned.now,
        tz: &owned.tz,
        user_name: &owned.user_name,
        ask_name: owned.ask_name,
        catalog: &owned.catalog,
        size: owned.size,
        documents: &owned.documents,
    }
}

fn split_top(stack: &mut [Screen]) -> (&mut Screen, &mut [Screen]) {
    // Home is never popped, so the stack always has a top.
    let (top, rest) = stack
        .split_last_mut()
        .unwrap_or_else(|| unreachable!("home is never popped"));
    (top, rest)
}

fn command_action(state: &mut State, command: Command) -> Vec<Effect> {
    let owned = ctx_of(state);
    let ctx = ctx_owned(&owned);
    if let Some(mut open) = state.overlay.take() {
        let (close, out) = overlay::update(&mut open, &ctx, command);
        if !close {
            state.overlay = Some(open);
        }
        return apply(state, out);
    }
    if command == Command::Help {
        state.overlay = Some(Overlay::Help {
            contexts: state.screen().contexts(),
            scroll: 0,
        });
        return Vec::new();
    }
    let (top, _) = split_top(&mut state.stack);
    let out = match top {
        Screen::Home(h) => home::update(h, &ctx, command),
        Screen::NewVisit(form) => new_visit::update(form, &ctx, command),
        Screen::Visit(v) => visit::update(v, &ctx, command),
        Screen::Editor(ed) => editor::update(ed, &ctx, command),
        Screen::History(h) => history::update(h, &ctx, command),
        Screen::Plugins(p) => plugins::update(p, &ctx, command),
        Screen::Merge(m) => crate::screens::merge::update(m, &ctx, command),
        Screen::Export(form) => crate::screens::export::update(form, &ctx, command),
        Screen::Review(r) => review::update(r, &ctx, command),
        Screen::Scores(s) => scores::update(s, &ctx, command),
    };
    apply(state, out)
}

fn apply(state: &mut State, out: Out) -> Vec<Effect> {
    if out.status.is_some() {
        state.status = out.status;
    }
    let mut effects = out.effects;
    match out.nav {
        Some(Nav::Push(screen)) => state.stack.push(screen),
        Some(Nav::Pop) if state.stack.len() > 1 => {
            // Back from Review, Home's deadline counts are read again: a
            // decision or a day gone by may have changed them.
            if let (Some(Screen::Review(_)), 2) = (state.stack.pop(), state.stack.len() + 1) {
                effects.push(Effect::LoadHome {
                    offer_resume: false,
                });
            }
        }
        Some(Nav::Replace(screen)) => {
            if state.stack.len() > 1 {
                state.stack.pop();
            }
            state.stack.push(screen);
        }
        Some(Nav::Overlay(o)) => state.overlay = Some(o),
        Some(Nav::Quit) => state.quit = true,
        Some(Nav::Pop) | None => {}
    }
    effects
}
