//! `update` driven with keys, no I/O: the effects it asks for are checked.

use super::fixtures::*;
use crate::action::Action;
use crate::effect::Effect;
use crate::screens::editor;
use crate::screens::overlay::{Overlay, Question};
use crate::screens::visit::VisitState;
use crate::state::{Screen, State, Status};
use crate::update::update;
use anfang_core::finding::FindingResult;
use anfang_core::{Lang, Points};
use crossterm::event::KeyCode;

fn in_visit(lang: Lang, tab: usize, item: usize) -> State {
    let mut state = state(lang);
    let mut visit = VisitState::loading(id(1));
    visit.loaded(visit_view());
    visit.tab = tab;
    visit.item = item;
    state.stack.push(Screen::Visit(visit));
    state
}

fn record(effects: &[Effect]) -> &anfang_core::finding::FindingRecord {
    match effects {
        [Effect::RecordFinding { record, .. }] => record,
        other => panic!("expected one RecordFinding, got {other:?}"),
    }
}

#[test]
fn a_common_violation_takes_a_handful_of_keys() {
    let mut state = in_visit(Lang::Zh, 0, 2);
    // v, the note, Esc: saved.
    let mut events = vec![key('v')];
    events.extend(typed("早退十分钟"));
    events.push(code(KeyCode::Esc));
    let effects = feed(&mut state, events);
    let r = record(&effects);
    assert_eq!(r.result, FindingResult::Violation);
    assert_eq!(r.input.count, 1);
    assert_eq!(r.note, "早退十分钟");
    assert_eq!(r.item.item_id, "early-leave");
    assert_eq!(r.points, Points::whole(1));
    assert_eq!(r.observed_at, now());
    assert!(r.supersedes.is_none());
    // The editor waits for the ledger before it closes.
    assert!(matches!(state.screen(), Screen::Editor(e) if e.saving));
    let effects = update(
        &mut state,
        Action::FindingSaved {
            finding_id: r.finding_id,
            visit_id: id(1),
            note: None,
        },
    );
    assert_eq!(effects, vec![Effect::LoadVisit(id(1))]);
    assert!(matches!(state.screen(), Screen::Visit(_)));
}

#[test]
fn a_failed_save_keeps_the_editor_and_its_text() {
    let mut state = in_visit(Lang::En, 0, 2);
    let mut events = vec![key('v')];
    events.extend(typed("left early"));
    events.push(code(KeyCode::Esc));
    feed(&mut state, events);
    update(&mut state, Action::SaveFailed("disk full".into()));
    let Screen::Editor(ed) = state.screen() else {
        panic!("editor closed")
    };
    assert!(!ed.saving);
    assert_eq!(crate::widgets::field::text(&ed.note), "left early");
    assert_eq!(state.status, Some(Status::Error("disk full".into())));
}

#[test]
fn count_and_subject_are_editable_and_priced() {
    let mut state = in_visit(Lang::En, 1, 0);
    // a: new finding, focus on the result; Tab to who/where, then on to
    // the count (right before the note).
    let mut events = vec![key('a'), code(KeyCode::Tab)];
    events.extend(typed("window 3"));
    events.extend([
        code(KeyCode::Tab),
        code(KeyCode::Tab),
        code(KeyCode::Backspace),
        key('3'),
        code(KeyCode::Esc),
    ]);
    let effects = feed(&mut state, events);
    let r = record(&effects);
    assert_eq!(r.input.count, 3);
    assert_eq!(r.points, Points::whole(6));
    assert_eq!(r.subject.as_deref(), Some("window 3"));
}

#[test]
fn correcting_supersedes_the_current_version() {
    let mut state = in_visit(Lang::Zh, 1, 0);
    // The item has one finding: Enter opens it for correction, in the note.
    let mut events = vec![code(KeyCode::Enter)];
    events.extend(typed("（补充）"));
    events.push(code(KeyCode::Esc));
    let effects = feed(&mut state, events);
    let r = record(&effects);
    let original = &visit_view().findings[2];
    assert_eq!(r.finding_id, original.record.finding_id);
    assert_eq!(r.supersedes.as_deref(), Some(original.event_id.as_str()));
    assert_eq!(r.note, format!("{LONG_NOTE}（补充）"));
}

#[test]
fn leaving_an_unchanged_correction_records_nothing() {
    let mut state = in_visit(Lang::Zh, 1, 0);
    let effects = feed(&mut state, [code(KeyCode::Enter), code(KeyCode::Esc)]);
    assert!(effects.is_empty(), "{effects:?}");
    assert!(matches!(state.screen(), Screen::Visit(_)));
}

#[test]
fn a_bad_time_is_named_and_nothing_is_lost() {
    let mut state = in_visit(Lang::En, 0, 1);
    let mut events = vec![key('v')];
    events.extend(typed("late"));
    // Back to the time field (past the count), clear it, type nonsense.
    events.extend([code(KeyCode::BackTab), code(KeyCode::BackTab)]);
    events.extend(std::iter::repeat_n(code(KeyCode::Backspace), 20));
    events.extend(typed("tomorrow"));
    events.push(code(KeyCode::Esc));
    let effects = feed(&mut state, events);
    assert!(effects.is_empty());
    assert!(
        matches!(&state.status, Some(Status::Error(m)) if m.contains("\"tomorrow\"")),
        "{:?}",
        state.status
    );
    let Screen::Editor(ed) = state.screen() else {
        panic!("editor closed")
    };
    assert_eq!(crate::widgets::field::text(&ed.note), "late");
    // Discard leaves without recording.
    let effects = feed(&mut state, [ctrl('x')]);
    assert!(effects.is_empty());
    assert!(matches!(state.screen(), Screen::Visit(_)));
}

#[test]
fn compliant_and_not_applicable_record_at_once() {
    let mut state = in_visit(Lang::En, 0, 3);
    let r = record(&feed(&mut state, [key('c')])).clone();
    assert_eq!(r.result, FindingResult::Compliant);
    assert_eq!(r.points, Points::ZERO);
    // An item that has findings is not overwritten by a quick key.
    let mut state = in_visit(Lang::En, 0, 1);
    assert!(feed(&mut state, [key('n')]).is_empty());
    assert!(matches!(state.status, Some(Status::Error(_))));
}

#[test]
fn range_rule_keeps_points_within_bounds() {
    let mut state = in_visit(Lang::En, 2, 6);
    // v → note; BackTab → the chosen points field, right before the note.
    let mut events = vec![key('v'), code(KeyCode::BackTab)];
    events.extend([code(KeyCode::Backspace), code(KeyCode::Backspace)]);
    events.extend(typed("25"));
    events.push(code(KeyCode::Esc));
    let effects = feed(&mut state, events);
    assert!(effects.is_empty());
    assert!(
        matches!(&state.status, Some(Status::Error(m)) if m.contains("25")),
        "{:?}",
        state.status
    );
    let mut events = vec![code(KeyCode::Backspace), code(KeyCode::Backspace)];
    events.extend(typed("15"));
    events.push(code(KeyCode::Esc));
    let r = record(&feed(&mut state, events)).clone();
    assert_eq!(r.input.chosen, Some(Points::whole(15)));
    assert_eq!(r.points, Points::whole(15));
}

#[test]
fn closed_visits_open_read_only() {
    let mut state = in_visit(Lang::En, 0, 1);
    if let Some(Screen::Visit(v)) = state.stack.last_mut() {
        v.view.as_mut().unwrap().summary.closed_at = Some(now());
    }
    for k in ['v', 'c', 'a', 'D', 'e', '+'] {
        assert!(feed(&mut state, [key(k)]).is_empty());
        assert!(matches!(state.screen(), Screen::Visit(_)));
        assert!(state.overlay.is_none());
    }
    // Enter shows the history instead of an editor.
    let effects = feed(&mut state, [code(KeyCode::Enter)]);
    assert!(matches!(effects.as_slice(), [Effect::LoadHistory(_)]));
    assert!(matches!(state.screen(), Screen::History(_)));
}

#[test]
fn closing_asks_first() {
    let mut state = in_visit(Lang::En, 0, 0);
    assert!(feed(&mut state, [key('D')]).is_empty());
    assert!(matches!(
        state.overlay,
        Some(Overlay::Question(Question::Close { .. }))
    ));
    assert!(feed(&mut state, [key('n')]).is_empty());
    assert!(state.overlay.is_none());
    feed(&mut state, [key('D')]);
    let effects = feed(&mut state, [key('y')]);
    assert!(
        matches!(effects.as_slice(), [Effect::CloseVisit(c)] if c.visit_id == id(1) && c.closed_at == now())
    );
}

#[test]
fn start_offers_to_resume_an_unfinished_visit() {
    let mut state = state(Lang::Zh);
    update(
        &mut state,
        Action::HomeLoaded {
            register: Default::default(),
            visits: rows(),
            units: vec![],
            resume: Some(rows()[0].clone()),
            overdue: (0, false),
            due_soon: (0, false),
            more: false,
        },
    );
    let Some(Overlay::Question(Question::Resume { visit_id, text })) = &state.overlay else {
        panic!("no offer")
    };
    assert_eq!(*visit_id, id(1));
    assert!(text.contains("市税务局第一税务分局办税服务厅"));
    let effects = feed(&mut state, [code(KeyCode::Enter)]);
    assert_eq!(effects, vec![Effect::LoadVisit(id(1))]);
    assert!(matches!(state.screen(), Screen::Visit(v) if v.visit_id == id(1)));
}

#[test]
fn new_visit_checks_the_form_then_opens_the_visit() {
    let mut state = state(Lang::En);
    update(
        &mut state,
        Action::HomeLoaded {
            register: Default::default(),
            visits: rows(),
            units: rows().into_iter().map(|r| r.unit).collect(),
            resume: None,
            overdue: (0, false),
            due_soon: (0, false),
            more: false,
        },
    );
    // Start without a unit: refused, naming what is missing.
    let effects = feed(&mut state, [key('n'), ctrl('s')]);
    assert!(effects.is_empty());
    assert!(matches!(state.status, Some(Status::Error(_))));
    // Type part of a known unit's name, pick the suggestion with Enter.
    let mut events = typed("规划");
    events.push(code(KeyCode::Enter));
    events.push(code(KeyCode::Right)); // open inspection
    events.push(ctrl('s'));
    let effects = feed(&mut state, events);
    let [Effect::OpenVisit(opened)] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(opened.unit.name, "市规划局");
    assert_eq!(opened.unit.department, "规划");
    assert_eq!(opened.kind, anfang_core::visit::VisitKind::Open);
    assert_eq!(
        opened.team,
        vec!["王检查".to_string(), "李督查".to_string()]
    );
    assert_eq!(opened.started_at, now());
    assert_eq!(opened.checklists.len(), 3);
}

#[test]
fn help_lists_the_keys_of_the_screen_from_the_keymap() {
    let mut state = in_visit(Lang::En, 0, 0);
    feed(&mut state, [key('?')]);
    let Some(Overlay::Help { contexts, .. }) = &state.overlay else {
        panic!("no help")
    };
    let lines = crate::screens::overlay::help_lines(&state, contexts, 80);
    let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    assert!(
        text.iter()
            .any(|l| l.contains('v') && l.contains("Violation (count 1) + note")),
        "{text:?}"
    );
    // An override shows in the help at once.
    state.keymap = crate::keymap::Keymap::parse(
        "[visit]\nkeymap = [{ on = \"x\", run = \"violation\" }, { on = \"v\", run = \"none\" }]",
        "k",
        Some(state.keymap.clone()),
    )
    .unwrap();
    let lines = crate::screens::overlay::help_lines(&state, &[crate::keymap::Context::Visit], 80);
    let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    assert!(
        text.iter()
            .any(|l| l.trim_start().starts_with('x') && l.contains("Violation")),
        "{text:?}"
    );
    assert!(
        !text.iter().any(|l| l.trim_start().starts_with("v ")),
        "{text:?}"
    );
    feed(&mut state, [code(KeyCode::Esc)]);
    assert!(state.overlay.is_none());
    // And drives the keys.
    let effects = feed(&mut state, [key('x')]);
    assert!(effects.is_empty());
    assert!(matches!(state.screen(), Screen::Editor(_)));
}

#[test]
fn mouse_selects_rows() {
    let mut state = in_visit(Lang::En, 0, 0);
    // Items start under the title, tabs, gauge and the table header: row 4.
    update(&mut state, Action::Click(10, 6));
    let Screen::Visit(v) = state.screen() else {
        panic!()
    };
    assert_eq!(v.item, 2);
    let mut state = state_with_home();
    update(&mut state, Action::Click(10, 4));
    let Screen::Home(h) = state.screen() else {
        panic!()
    };
    assert_eq!(h.selected, 1);
}

fn state_with_home() -> State {
    let mut state = state(Lang::En);
    update(
        &mut state,
        Action::HomeLoaded {
            register: Default::default(),
            visits: rows(),
            units: vec![],
            resume: None,
            overdue: (0, false),
            due_soon: (0, false),
            more: false,
        },
    );
    state
}

#[test]
fn the_note_editor_puts_the_cursor_at_the_caret_in_display_cells() {
    let mut state = in_visit(Lang::Zh, 0, 1);
    feed(&mut state, [key('v')]);
    feed(&mut state, typed("中文测试"));
    let mut terminal = render(&state, 80, 24);
    let cursor = terminal.get_cursor_position().unwrap();
    // The note's box: its inner area starts one cell right of the margin
    // and border. Four Chinese glyphs are eight cells.
    let Screen::Editor(ed) = state.screen() else {
        panic!()
    };
    assert_eq!(ed.focus, editor::Field::Note);
    let buffer = terminal.backend().buffer().clone();
    let row = row_text(&buffer, cursor.y);
    assert!(row.contains("中文测试"), "{row}");
    let start = (0..80u16)
        .find(|x| buffer[(*x, cursor.y)].symbol() == "中")
        .unwrap();
    assert_eq!(cursor.x, start + 8);
    // Move the caret left over one glyph: two cells back.
    feed(&mut state, [code(KeyCode::Left)]);
    let mut terminal2 = render(&state, 80, 24);
    assert_eq!(terminal2.get_cursor_position().unwrap().x, start + 6);
    let _ = &mut terminal;
}

#[test]
fn a_long_chinese_note_wraps_and_the_cursor_follows() {
    let mut state = in_visit(Lang::Zh, 1, 0);
    feed(&mut state, [code(KeyCode::Enter)]);
    let mut terminal = render(&state, 80, 24);
    let cursor = terminal.get_cursor_position().unwrap();
    let buffer = terminal.backend().buffer().clone();
    // The caret is after the note's last glyph, on a wrapped line.
    let last = LONG_NOTE.chars().last().unwrap().to_string();
    assert_eq!(buffer[(cursor.x - 2, cursor.y)].symbol(), last);
    assert_eq!(cursor.y, 8, "the third line of the wrapped note");
}

/// `n` rows like the first of [`rows`], ids from `first` on, one minute apart.
fn many_rows(first: u128, n: usize) -> Vec<crate::model::VisitRow> {
    let like = rows().remove(0);
    (0..n)
        .map(|i| {
            let mut row = like.clone();
            row.visit_id = id(first + i as u128);
            row.started_at = like.started_at - jiff::SignedDuration::from_mins(i as i64);
            row
        })
        .collect()
}

#[test]
fn home_reads_the_next_page_as_the_selection_nears_the_end() {
    let mut state = state(Lang::En);
    update(
        &mut state,
        Action::HomeLoaded {
            register: Default::default(),
            visits: many_rows(1000, crate::screens::home::PAGE),
            units: vec![],
            resume: None,
            overdue: (0, false),
            due_soon: (0, false),
            more: true,
        },
    );
    // Far from the end: nothing more is read.
    assert!(feed(&mut state, [code(KeyCode::Down)]).is_empty());
    // At the end of the page, the next one is asked for after its last visit, once.
    let effects = feed(&mut state, [code(KeyCode::End)]);
    let last = state.home().visits.last().unwrap().clone();
    assert_eq!(
        effects,
        vec![Effect::LoadMoreVisits(anfang_ledger::HomeKey {
            closed: last.closed_at.is_some(),
            started_at: last.started_at,
            visit_id: last.visit_id,
        })]
    );
    assert!(feed(&mut state, [code(KeyCode::Up)]).is_empty());
    // A page meant for rows read before is dropped; the right one is added.
    update(
        &mut state,
        Action::HomeMore {
            after: id(1),
            visits: many_rows(5000, 3),
            more: true,
        },
    );
    assert_eq!(state.home().visits.len(), crate::screens::home::PAGE);
    let effects = update(
        &mut state,
        Action::HomeMore {
            after: last.visit_id,
            visits: many_rows(9000, 10),
            more: false,
        },
    );
    // The selection is still near the end, but nothing more follows.
    assert!(effects.is_empty());
    assert_eq!(state.home().visits.len(), crate::screens::home::PAGE + 10);
    assert!(feed(&mut state, [code(KeyCode::End)]).is_empty());
    assert_eq!(
        state.home().selected,
        crate::screens::home::PAGE + 9,
        "End reaches the rows just read"
    );
}

/// Home loaded with the fixture register, the New Visit form open.
fn new_visit_with_register() -> State {
    let mut state = state(Lang::En);
    update(
        &mut state,
        Action::HomeLoaded {
            register: register(),
            visits: rows(),
            units: rows().into_iter().map(|r| r.unit).collect(),
            resume: None,
            overdue: (0, false),
            due_soon: (0, false),
            more: false,
        },
    );
    feed(&mut state, [key('n')]);
    state
}

#[test]
fn a_unit_reached_by_its_alias_is_recorded_under_its_registered_name() {
    let mut state = new_visit_with_register();
    let mut events = typed("一分局办税厅");
    events.push(ctrl('s'));
    let effects = feed(&mut state, events);
    let [Effect::OpenVisit(opened)] = effects.as_slice() else {
        panic!("{effects:?} {:?}", state.status)
    };
    assert_eq!(opened.unit.name, "市税务局第一税务分局办税服务厅");
    assert_eq!(opened.unit.department, "税务");
}

#[test]
fn a_name_outside_the_register_is_caught_with_the_nearest_names() {
    let mut state = new_visit_with_register();
    let mut events = typed("市税务局第一分局办税厅");
    events.push(code(KeyCode::Tab));
    events.extend(typed("税务"));
    events.push(ctrl('s'));
    let effects = feed(&mut state, events);
    assert!(effects.is_empty(), "{effects:?}");
    let Some(Status::Error(message)) = &state.status else {
        panic!("{:?}", state.status)
    };
    assert!(
        message.contains("'市税务局第一分局办税厅' is not in the register (nearest: 市税务局第一税务分局办税服务厅)"),
        "{message}"
    );
    // Starting again with the same name records it, as a new unit.
    let effects = feed(&mut state, [ctrl('s')]);
    let [Effect::OpenVisit(opened)] = effects.as_slice() else {
        panic!("{effects:?} {:?}", state.status)
    };
    assert_eq!(opened.unit.name, "市税务局第一分局办税厅");
}

#[test]
fn typing_filters_the_register_by_name_alias_and_former_name() {
    let state = new_visit_with_register();
    let Screen::NewVisit(form) = state.screen() else {
        panic!("no form")
    };
    let mut form = form.clone();
    let names = |form: &crate::screens::new_visit::NewVisitState| -> Vec<String> {
        form.suggestions().into_iter().map(|u| u.name).collect()
    };
    assert_eq!(names(&form).len(), 3);
    for typed in ["财政局", "地税局", "办税厅"] {
        form.unit = crate::widgets::field::line(typed);
        assert_eq!(names(&form).len(), 1, "{typed}");
    }
    form.unit = crate::widgets::field::line("地税局");
    assert_eq!(names(&form), ["市税务局第一税务分局办税服务厅"]);
}

#[test]
fn pinyin_initials_pick_a_registered_unit_and_the_visit_keeps_its_id() {
    let state = new_visit_with_register();
    let Screen::NewVisit(form) = state.screen() else {
        panic!("no form")
    };
    let mut form = form.clone();
    form.unit = crate::widgets::field::line("swj");
    let names: Vec<String> = form.suggestions().into_iter().map(|u| u.name).collect();
    assert_eq!(names, ["市税务局第一税务分局办税服务厅"]);
    form.unit = crate::widgets::field::line("czj");
    assert_eq!(form.suggestions().len(), 1);

    let mut state = new_visit_with_register();
    let Screen::NewVisit(form) = state.screen() else {
        panic!("no form")
    };
    let expected = form.register.resolve("一分局办税厅").map(|u| u.unit_id);
    assert!(expected.is_some());
    let mut events = typed("一分局办税厅");
    events.push(ctrl('s'));
    let effects = feed(&mut state, events);
    let [Effect::OpenVisit(opened)] = effects.as_slice() else {
        panic!("{effects:?} {:?}", state.status)
    };
    assert_eq!(opened.unit_id, expected);
}
