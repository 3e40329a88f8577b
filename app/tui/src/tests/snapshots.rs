//! Every screen drawn in both languages at 80×24 and 120×40.

use super::fixtures::*;
use crate::screens::Ctx;
use crate::screens::editor::EditorState;
use crate::screens::history::HistoryState;
use crate::screens::new_visit::NewVisitState;
use crate::screens::overlay::Overlay;
use crate::screens::plugins::PluginsState;
use crate::screens::visit::{Pane, VisitState};
use crate::state::{Screen, State};
use anfang_core::Lang;
use unicode_width::UnicodeWidthStr;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

pub(super) fn ctx(state: &State) -> Ctx<'_> {
    state.ctx()
}

/// Snapshots `build`'s state in both languages and both sizes, and checks
/// that no row is wider than the terminal (nothing cut mid-glyph).
pub(super) fn check(name: &str, build: impl Fn(Lang, (u16, u16)) -> State) {
    for lang in [Lang::Zh, Lang::En] {
        for (w, h) in SIZES {
            let state = build(lang, (w, h));
            let terminal = render(&state, w, h);
            let buffer = terminal.backend().buffer();
            for y in 0..h {
                let row = row_text(buffer, y);
                assert!(
                    row.width() <= usize::from(w),
                    "{name} {lang:?} {w}x{h} row {y} is {} cells: {row}",
                    row.width()
                );
            }
            insta::assert_snapshot!(format!("{name}_{}_{w}x{h}", lang.tag()), terminal.backend());
        }
    }
}

pub(super) fn home_state(lang: Lang, size: (u16, u16)) -> State {
    let mut state = state(lang);
    state.size = size;
    if let Screen::Home(home) = &mut state.stack[0] {
        home.loaded(rows(), vec![], false);
    }
    state
}

#[test]
fn home() {
    check("home", home_state);
}

#[test]
fn home_with_overdue_rectifications() {
    check("home_overdue", |lang, size| {
        let mut state = home_state(lang, size);
        if let Screen::Home(home) = &mut state.stack[0] {
            home.overdue = (3, false);
            home.due_soon = (2, false);
        }
        state
    });
}

#[test]
fn home_in_open_mode() {
    check("home_open_mode", |lang, size| {
        let mut state = home_state(lang, size);
        if let Screen::Home(home) = &mut state.stack[0] {
            home.office = Some(crate::model::OfficeStanding::default());
        }
        state
    });
}

#[test]
fn home_with_refused_events() {
    check("home_refused", |lang, size| {
        let mut state = home_state(lang, size);
        if let Screen::Home(home) = &mut state.stack[0] {
            home.office = Some(crate::model::OfficeStanding {
                office: Some("3f2a9c0d".into()),
                refused: 4,
            });
        }
        state
    });
}

#[test]
fn home_empty() {
    check("home_empty", |lang, size| {
        let mut state = state(lang);
        state.size = size;
        if let Screen::Home(home) = &mut state.stack[0] {
            home.loaded(vec![], vec![], false);
        }
        state
    });
}

#[test]
fn home_resume_offer() {
    check("home_resume", |lang, size| {
        let mut state = home_state(lang, size);
        state.overlay = Some(crate::screens::home::resume_offer(
            &rows()[0],
            lang,
            &state.tz,
        ));
        state
    });
}

#[test]
fn new_visit() {
    check("new_visit", |lang, size| {
        let mut state = home_state(lang, size);
        let units = rows().into_iter().map(|r| r.unit).collect();
        let mut form = NewVisitState::new(
            &ctx(&state),
            units,
            Some(&["王检查".to_string(), "李督查".to_string()]),
        );
        form.unit = crate::widgets::field::line("税务");
        state.stack.push(Screen::NewVisit(form));
        state
    });
}

fn visit_state(lang: Lang, size: (u16, u16), tab: usize, item: usize) -> State {
    let mut state = home_state(lang, size);
    let mut visit = VisitState::loading(id(1));
    visit.loaded(visit_view());
    visit.tab = tab;
    visit.item = item;
    state.stack.push(Screen::Visit(visit));
    state
}

#[test]
fn visit_attendance() {
    check("visit_attendance", |lang, size| {
        visit_state(lang, size, 0, 1)
    });
}

#[test]
fn visit_with_long_chinese_note() {
    check("visit_conduct", |lang, size| {
        let mut state = visit_state(lang, size, 1, 0);
        if let Some(Screen::Visit(v)) = state.stack.last_mut() {
            v.pane = Pane::Findings;
        }
        state
    });
}

#[test]
fn visit_closed() {
    check("visit_closed", |lang, size| {
        let mut state = visit_state(lang, size, 2, 6);
        if let Some(Screen::Visit(v)) = state.stack.last_mut()
            && let Some(view) = &mut v.view
        {
            view.summary.closed_at = Some(now());
        }
        state
    });
}

#[test]
fn editor_new_violation() {
    check("editor_new", |lang, size| {
        let mut state = visit_state(lang, size, 0, 1);
        let checklist = &visit_view().checklists[0];
        let item = &checklist.checklist.items[1];
        let mut editor = EditorState::new_finding(&ctx(&state), id(1), checklist, item, true);
        editor.note = crate::widgets::field::note("9:05 到岗，未请假");
        state.stack.push(Screen::Editor(Box::new(editor)));
        state
    });
}

#[test]
fn editor_correction_with_long_chinese_note() {
    check("editor_correct", |lang, size| {
        let mut state = visit_state(lang, size, 1, 0);
        let view = visit_view();
        let checklist = &view.checklists[1];
        let item = &checklist.checklist.items[0];
        let editor = EditorState::correct(&ctx(&state), checklist, item, &view.findings[2]);
        state.stack.push(Screen::Editor(Box::new(editor)));
        state
    });
}

#[test]
fn editor_range_rule() {
    check("editor_range", |lang, size| {
        let mut state = visit_state(lang, size, 2, 6);
        let checklist = &visit_view().checklists[2];
        let item = &checklist.checklist.items[6];
        let editor = EditorState::new_finding(&ctx(&state), id(1), checklist, item, false);
        state.stack.push(Screen::Editor(Box::new(editor)));
        state
    });
}

#[test]
fn editor_computed_rule() {
    check("editor_computed", |lang, size| {
        let mut state = visit_state(lang, size, 0, 0);
        let checklist = computed_snapshot();
        let item = &checklist.checklist.items[0];
        let mut editor = EditorState::new_finding(&ctx(&state), id(1), &checklist, item, false);
        editor.inputs[0].1 = crate::widgets::field::line("120");
        state.stack.push(Screen::Editor(Box::new(editor)));
        state
    });
}

#[test]
fn history() {
    check("history", |lang, size| {
        let mut state = visit_state(lang, size, 1, 0);
        let mut history = HistoryState::loading(id(101));
        history.view = Some(history_view());
        state.stack.push(Screen::History(history));
        state
    });
}

#[test]
fn history_with_outcomes() {
    use anfang_core::outcome::{OutcomeKind, OutcomeRecorded};
    check("history_outcomes", |lang, size| {
        let mut state = visit_state(lang, size, 1, 0);
        let mut history = HistoryState::loading(id(101));
        let mut view = history_view();
        let finding_id = view.finding_id;
        view.outcomes = vec![
            OutcomeRecorded {
                finding_id,
                person: "王五".into(),
                kind: OutcomeKind::AdmonishmentTalk,
                date: "2026-12-10".parse().unwrap(),
                number: Some("纪〔2026〕7号".into()),
                note: None,
            },
            OutcomeRecorded {
                finding_id,
                person: "赵六".into(),
                kind: OutcomeKind::CirculatedCriticism,
                date: "2026-12-12".parse().unwrap(),
                number: None,
                note: Some("全局通报".into()),
            },
        ];
        history.view = Some(view);
        // Scrolled to the end, where the outcomes are.
        history.scroll = 1000;
        state.stack.push(Screen::History(history));
        state
    });
}

#[test]
fn plugins() {
    check("plugins", |lang, size| {
        let mut state = home_state(lang, size);
        state
            .stack
            .push(Screen::Plugins(PluginsState { selected: 1 }));
        state
    });
}

#[test]
fn help_overlay() {
    check("help_visit", |lang, size| {
        let mut state = visit_state(lang, size, 0, 0);
        state.overlay = Some(Overlay::Help {
            contexts: state.screen().contexts(),
            scroll: 0,
        });
        state
    });
}

#[test]
fn close_question_and_add_checklist() {
    check("close_question", |lang, size| {
        let mut state = visit_state(lang, size, 0, 0);
        feed(&mut state, [key('D')]);
        state
    });
    check("attach_path", |lang, size| {
        let mut state = visit_state(lang, size, 0, 1);
        feed(&mut state, [key('e')]);
        feed(&mut state, typed("/home/王/照片/IMG_0412.jpg"));
        state
    });
}

#[test]
fn ask_name_overlay() {
    check("ask_name", |lang, size| {
        let mut state = home_state(lang, size);
        state.overlay = Some(Overlay::AskName {
            name: crate::widgets::field::line("李审核"),
            finding_id: uuid::Uuid::from_u128(1),
            decision: anfang_core::review::Decision::Confirm { points: None },
            reason: None,
        });
        state
    });
}

#[test]
fn compliant_rest_question() {
    check("compliant_rest", |lang, size| {
        let mut state = visit_state(lang, size, 0, 0);
        feed(&mut state, [key('C')]);
        state
    });
}

#[test]
fn new_visit_abandon_question() {
    check("new_visit_abandon", |lang, size| {
        let mut state = home_state(lang, size);
        feed(&mut state, [key('n')]);
        feed(&mut state, typed("市规划局"));
        feed(&mut state, [code(crossterm::event::KeyCode::Esc)]);
        state
    });
}

#[test]
fn editor_restored_from_a_draft_with_the_count_focused() {
    check("editor_restored", |lang, size| {
        let mut state = visit_state(lang, size, 0, 1);
        feed(&mut state, [key('v')]);
        feed(&mut state, typed("9:05 到岗"));
        let shift_tab = crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::BackTab,
            crossterm::event::KeyModifiers::SHIFT,
        );
        feed(
            &mut state,
            [crossterm::event::Event::Key(shift_tab), key('4')],
        );
        let Some(crate::draft::Draft::Finding(draft)) = crate::draft::Draft::of(&state) else {
            panic!("no draft")
        };
        // What a restart shows: the same editor, rebuilt from the draft.
        let json = serde_json::to_string(&crate::draft::Draft::Finding(draft)).unwrap();
        let draft: crate::draft::Draft = serde_json::from_str(&json).unwrap();
        let mut state = visit_state(lang, size, 0, 0);
        let _ = crate::update::update(&mut state, crate::action::Action::DraftFound(draft));
        state
    });
}

fn new_visit_typed(lang: Lang, size: (u16, u16), typed: &str) -> State {
    let mut state = home_state(lang, size);
    let mut form = NewVisitState::new(&ctx(&state), vec![], Some(&["王检查".to_string()]));
    form.register = register();
    form.unit = crate::widgets::field::line(typed);
    state.stack.push(Screen::NewVisit(form));
    state
}

#[test]
fn new_visit_from_the_register() {
    check("new_visit_register", |lang, size| {
        new_visit_typed(lang, size, "局")
    });
}

#[test]
fn new_visit_with_a_name_outside_the_register() {
    check("new_visit_outside_register", |lang, size| {
        new_visit_typed(lang, size, "市税务局第一分局办税厅")
    });
}
