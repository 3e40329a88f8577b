//! In the field: what is typed survives a crash (the draft on disk), and
//! the common moves take few keys. Driven through the runtime (`App`)
//! against a real ledger in a temporary folder; a dropped `App` stands for
//! a killed process (nothing runs on drop).

use super::fixtures::*;
use super::runtime::{app, run};
use crate::action::Action;
use crate::runtime::App;
use crate::screens::editor::Field;
use crate::screens::overlay::{Overlay, Question};
use crate::state::{Screen, Status};
use crate::widgets::field;
use anfang_core::Lang;
use anfang_core::event::{EventBody, VisitOpened};
use anfang_core::finding::FindingResult;
use anfang_core::visit::{Unit, VisitKind};
use anfang_ledger::{DeviceKey, Ledger};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use std::path::Path;

fn backtab() -> Event {
    Event::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT))
}

fn draft_path(dir: &Path) -> std::path::PathBuf {
    dir.join("draft.json")
}

/// A tick `ms` milliseconds after a fixed instant.
fn tick(ms: i64) -> Action {
    Action::Tick(now() + jiff::SignedDuration::from_millis(ms))
}

/// Opens a visit to a tax hall with the three core checklists, by keys.
fn start_visit(app: &mut App) -> uuid::Uuid {
    let mut events = vec![key('n')];
    events.extend(typed("市税务局第一税务分局办税服务厅"));
    events.push(code(KeyCode::Tab));
    events.extend(typed("税务"));
    events.push(ctrl('s'));
    run(app, events);
    match app.state.screen() {
        Screen::Visit(v) => v.visit_id,
        _ => panic!("not on the visit: {:?}", app.state.status),
    }
}

fn visit_of(app: &App) -> &crate::screens::visit::VisitState {
    app.state
        .stack
        .iter()
        .rev()
        .find_map(|s| match s {
            Screen::Visit(v) => Some(v),
            _ => None,
        })
        .expect("a visit on the stack")
}

fn editor_of(app: &App) -> &crate::screens::editor::EditorState {
    match app.state.screen() {
        Screen::Editor(ed) => ed,
        other => panic!("not in the editor: {other:?}"),
    }
}

#[test]
fn a_finding_being_typed_is_on_disk_after_a_tick_and_comes_back_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let (finding_id, visit_id);
    {
        let mut app = app(dir.path(), Lang::Zh);
        visit_id = start_visit(&mut app);
        // Late arrival: v, the note, the caret moved back two characters,
        // then the count (one Shift-Tab from the note) set to 3.
        let mut events = vec![key('j'), key('v')];
        events.extend(typed("三号窗口迟到十二分钟"));
        events.extend([code(KeyCode::Left), code(KeyCode::Left)]);
        run(&mut app, events);
        app.dispatch(tick(0));
        run(&mut app, vec![backtab(), key('3')]);
        app.dispatch(tick(1_000));
        assert!(draft_path(dir.path()).is_file());
        finding_id = editor_of(&app).finding_id;
        // Dropped here without leaving the editor: as after SIGKILL.
    }
    let mut app = app(dir.path(), Lang::Zh);
    assert!(
        app.state.overlay.is_none(),
        "a restored draft is not asked about"
    );
    assert!(
        matches!(&app.state.status, Some(Status::Info(m)) if m.contains("恢复")),
        "{:?}",
        app.state.status
    );
    let ed = editor_of(&app);
    assert_eq!(ed.finding_id, finding_id);
    assert_eq!(ed.visit_id, visit_id);
    assert_eq!(ed.item.item_id, "late-arrival");
    assert_eq!(ed.focus, Field::Count);
    assert_eq!(field::text(&ed.count), "3");
    assert_eq!(field::text(&ed.note), "三号窗口迟到十二分钟");
    assert_eq!(ed.note.cursor(), (0, 8));
    assert_eq!(ed.count.cursor(), (0, 1));
    // The visit beneath is read, with the finding's item selected.
    let visit = visit_of(&app);
    assert_eq!(visit.visit_id, visit_id);
    assert_eq!(visit.item, 1);
    assert!(visit.view.is_some());
    // Typing goes on where it stopped; Esc saves and the draft is gone.
    run(&mut app, vec![code(KeyCode::Tab)]);
    run(&mut app, typed("，未请假"));
    run(&mut app, vec![code(KeyCode::Esc)]);
    assert!(
        matches!(app.state.screen(), Screen::Visit(_)),
        "{:?}",
        app.state.status
    );
    assert!(!draft_path(dir.path()).exists());
    let detail = app.ledger().visit(visit_id).unwrap().unwrap();
    assert_eq!(detail.findings.len(), 1);
    let r = &detail.findings[0].record;
    assert_eq!(r.finding_id, finding_id);
    assert_eq!(r.input.count, 3);
    assert_eq!(r.note, "三号窗口迟到十二，未请假分钟");
    drop(app);
    // Nothing left to restore on the next start.
    let app = self::app(dir.path(), Lang::Zh);
    assert!(matches!(app.state.screen(), Screen::Home(_)));
}

#[test]
fn drafts_are_written_on_ticks_at_most_every_300_ms() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), Lang::En);
    start_visit(&mut app);
    let on_disk = || std::fs::read_to_string(draft_path(dir.path())).unwrap_or_default();
    run(&mut app, vec![key('v'), key('a')]);
    assert_eq!(on_disk(), "", "keys alone write nothing");
    app.dispatch(tick(0));
    assert!(on_disk().contains("\"a\""), "{}", on_disk());
    run(&mut app, vec![key('b')]);
    app.dispatch(tick(100));
    assert!(!on_disk().contains("\"ab\""), "written again within 300 ms");
    app.dispatch(tick(350));
    assert!(on_disk().contains("\"ab\""), "{}", on_disk());
    // A clock set back writes at once rather than waiting.
    run(&mut app, vec![key('c')]);
    app.dispatch(tick(-5_000));
    assert!(on_disk().contains("\"abc\""), "{}", on_disk());
    // An unchanged draft is not written again.
    let before = std::fs::metadata(draft_path(dir.path()))
        .unwrap()
        .modified()
        .unwrap();
    app.dispatch(tick(10_000));
    let after = std::fs::metadata(draft_path(dir.path()))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after);
}

#[test]
fn the_new_visit_form_comes_back_and_leaving_it_asks_first() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut app = app(dir.path(), Lang::Zh);
        let mut events = vec![key('n')];
        events.extend(typed("市规划局"));
        events.push(code(KeyCode::Tab));
        events.extend(typed("规划"));
        events.push(code(KeyCode::Home));
        run(&mut app, events);
        app.dispatch(tick(0));
    }
    let mut app = app(dir.path(), Lang::Zh);
    let Screen::NewVisit(form) = app.state.screen() else {
        panic!("form not restored: {:?}", app.state.screen())
    };
    assert_eq!(field::text(&form.unit), "市规划局");
    assert_eq!(field::text(&form.department), "规划");
    assert_eq!(form.department.cursor(), (0, 0));
    assert_eq!(form.focus, crate::screens::new_visit::Field::Department);
    // Esc asks; No keeps the form, Yes drops it and the draft with it.
    run(&mut app, vec![code(KeyCode::Esc)]);
    assert!(matches!(
        app.state.overlay,
        Some(Overlay::Question(Question::Abandon { .. }))
    ));
    run(&mut app, vec![key('n')]);
    assert!(matches!(app.state.screen(), Screen::NewVisit(_)));
    assert!(draft_path(dir.path()).is_file());
    run(&mut app, vec![code(KeyCode::Esc), key('y')]);
    assert!(matches!(app.state.screen(), Screen::Home(_)));
    assert!(!draft_path(dir.path()).exists());
    // An untouched form is left without a question.
    run(&mut app, vec![key('n'), code(KeyCode::Esc)]);
    assert!(matches!(app.state.screen(), Screen::Home(_)));
    assert!(app.state.overlay.is_none());
}

#[test]
fn a_draft_already_saved_is_not_brought_back_twice() {
    let dir = tempfile::tempdir().unwrap();
    let kept = dir.path().join("kept.json");
    {
        let mut app = app(dir.path(), Lang::En);
        start_visit(&mut app);
        run(&mut app, vec![key('v')]);
        run(&mut app, typed("late by 12 minutes"));
        app.dispatch(tick(0));
        std::fs::copy(draft_path(dir.path()), &kept).unwrap();
        run(&mut app, vec![code(KeyCode::Esc)]);
        assert!(!draft_path(dir.path()).exists());
    }
    // As if anfang stopped after saving but before removing the draft.
    std::fs::rename(&kept, draft_path(dir.path())).unwrap();
    let app = app(dir.path(), Lang::En);
    assert!(
        !matches!(app.state.screen(), Screen::Editor(_)),
        "a saved finding came back as a draft"
    );
    assert!(!draft_path(dir.path()).exists());
}

#[test]
fn discarding_removes_the_draft_and_a_damaged_one_is_set_aside() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut app = app(dir.path(), Lang::En);
        start_visit(&mut app);
        run(&mut app, vec![key('v')]);
        run(&mut app, typed("not this one"));
        app.dispatch(tick(0));
        assert!(draft_path(dir.path()).is_file());
        run(&mut app, vec![ctrl('x')]);
        assert!(!draft_path(dir.path()).exists());
        assert!(matches!(app.state.screen(), Screen::Visit(_)));
    }
    std::fs::write(draft_path(dir.path()), b"{\"format\": 1, \"dra").unwrap();
    let app = app(dir.path(), Lang::En);
    assert!(
        matches!(&app.state.status, Some(Status::Error(m)) if m.contains("draft.json.unreadable")),
        "{:?}",
        app.state.status
    );
    assert!(dir.path().join("draft.json.unreadable").is_file());
    assert!(!draft_path(dir.path()).exists());
}

#[test]
fn a_digit_replaces_the_count_and_plus_minus_step_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), Lang::En);
    start_visit(&mut app);
    run(&mut app, vec![key('j'), key('v'), backtab()]);
    assert_eq!(editor_of(&app).focus, Field::Count);
    run(&mut app, vec![key('3')]);
    assert_eq!(field::text(&editor_of(&app).count), "3", "not 13");
    run(&mut app, vec![key('2')]);
    assert_eq!(field::text(&editor_of(&app).count), "32");
    run(&mut app, vec![key('+'), key('+'), key('-')]);
    assert_eq!(field::text(&editor_of(&app).count), "33");
    run(&mut app, vec![key('4')]);
    assert_eq!(
        field::text(&editor_of(&app).count),
        "4",
        "a step makes it fresh"
    );
    // Leaving the count and coming back makes it fresh again.
    run(&mut app, vec![code(KeyCode::Tab), backtab(), key('2')]);
    assert_eq!(field::text(&editor_of(&app).count), "2");
    run(&mut app, vec![code(KeyCode::Esc)]);
    let Screen::Visit(v) = app.state.screen() else {
        panic!("{:?}", app.state.status)
    };
    assert_eq!(v.item_findings()[0].record.input.count, 2);
    assert_eq!(
        v.item_findings()[0].record.points,
        anfang_core::Points::whole(2)
    );
}

#[test]
fn c_records_compliant_and_moves_to_the_next_item() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), Lang::En);
    let visit_id = start_visit(&mut app);
    run(&mut app, vec![key('c'), key('c'), key('n')]);
    let v = visit_of(&app);
    assert_eq!(v.item, 3, "{:?}", app.state.status);
    let detail = app.ledger().visit(visit_id).unwrap().unwrap();
    let mut results: Vec<(String, FindingResult)> = detail
        .findings
        .iter()
        .map(|f| (f.record.item.item_id.clone(), f.record.result))
        .collect();
    results.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        results,
        vec![
            ("early-leave".to_string(), FindingResult::NotApplicable),
            ("late-arrival".to_string(), FindingResult::Compliant),
            ("not-on-post".to_string(), FindingResult::Compliant),
        ]
    );
}

#[test]
fn one_key_marks_the_rest_of_the_checklist_compliant_after_asking() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), Lang::Zh);
    let visit_id = start_visit(&mut app);
    // A violation on late arrival, then C: asked, declined, asked, accepted.
    let mut events = vec![key('j'), key('v')];
    events.extend(typed("迟到"));
    events.extend([code(KeyCode::Esc), key('C')]);
    run(&mut app, events);
    let Some(Overlay::Question(Question::CompliantRest { text, records, .. })) = &app.state.overlay
    else {
        panic!("no question: {:?}", app.state.overlay)
    };
    assert!(text.contains('6') && text.contains("考勤"), "{text}");
    assert_eq!(records.len(), 6);
    run(&mut app, vec![key('n')]);
    assert_eq!(
        app.ledger()
            .visit(visit_id)
            .unwrap()
            .unwrap()
            .findings
            .len(),
        1
    );
    run(&mut app, vec![key('C'), key('y')]);
    let detail = app.ledger().visit(visit_id).unwrap().unwrap();
    assert_eq!(detail.findings.len(), 7, "{:?}", app.state.status);
    let compliant = detail
        .findings
        .iter()
        .filter(|f| f.record.result == FindingResult::Compliant)
        .count();
    assert_eq!(compliant, 6);
    let v = visit_of(&app);
    let view = v.view.as_ref().unwrap();
    assert_eq!(view.progress(&view.checklists[0]), (7, 7));
    // Nothing left to mark: said so, nothing asked.
    run(&mut app, vec![key('C')]);
    assert!(app.state.overlay.is_none());
    assert!(
        matches!(&app.state.status, Some(Status::Info(m)) if m.contains("均已检查")),
        "{:?}",
        app.state.status
    );
}

#[test]
fn closing_shows_the_unchecked_items_the_violations_and_the_points() {
    for lang in [Lang::En, Lang::Zh] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(dir.path(), lang);
        let visit_id = start_visit(&mut app);
        let mut events = vec![key('j'), key('v'), backtab(), key('2')];
        events.push(code(KeyCode::Esc));
        events.extend([key('D')]);
        run(&mut app, events);
        let Some(Overlay::Question(Question::Close { text, .. })) = &app.state.overlay else {
            panic!("no question: {:?}", app.state.overlay)
        };
        let expected: &[&str] = match lang {
            Lang::En => &[
                "Unchecked: 21 item(s)",
                "Attendance: 6 of 7",
                "Window service: 9 of 9",
                "Violations: 1, 2 point(s)",
                "Late arrival x2: 2 pt",
            ],
            Lang::Zh => &[
                "未检查：21 项",
                "考勤：6/7 项",
                "违规 1 条，扣 2 分",
                "迟到 2 次：2 分",
            ],
        };
        for part in expected {
            assert!(text.contains(part), "{part:?} missing from {text}");
        }
        // No keeps it open; yes closes it.
        run(&mut app, vec![key('n')]);
        assert!(
            app.ledger()
                .visit(visit_id)
                .unwrap()
                .unwrap()
                .summary
                .closed_at
                .is_none()
        );
        run(&mut app, vec![key('D'), key('y')]);
        assert!(
            app.ledger()
                .visit(visit_id)
                .unwrap()
                .unwrap()
                .summary
                .closed_at
                .is_some()
        );
    }
}

#[test]
fn resume_offers_only_a_visit_this_device_opened() {
    let dir = tempfile::tempdir().unwrap();
    let other = DeviceKey::from_seed([7; 32]);
    let opened = |name: &str| VisitOpened {
        rechecks: None,
        unit_id: None,
        visit_id: uuid::Uuid::now_v7(),
        unit: Unit {
            name: name.into(),
            department: "规划".into(),
        },
        kind: VisitKind::Unannounced,
        team: vec!["李督查".into()],
        started_at: now(),
        checklists: Vec::new(),
    };
    {
        let mut ledger = Ledger::open(dir.path()).unwrap();
        ledger
            .append_as(&other, &EventBody::VisitOpened(opened("别人的单位")), now())
            .unwrap();
    }
    let app1 = app(dir.path(), Lang::Zh);
    assert!(
        app1.state.overlay.is_none(),
        "another laptop's visit offered: {:?}",
        app1.state.overlay
    );
    assert_eq!(app1.state.home().visits.len(), 1, "still listed on Home");
    drop(app1);
    let own = opened("自己的单位");
    let own_id = own.visit_id;
    {
        let mut ledger = Ledger::open(dir.path()).unwrap();
        ledger.append(&EventBody::VisitOpened(own)).unwrap();
        // The other laptop's visit is newer still.
        let later = now() + jiff::SignedDuration::from_hours(1);
        let mut newer = opened("别人的另一个单位");
        newer.started_at = later;
        ledger
            .append_as(&other, &EventBody::VisitOpened(newer), later)
            .unwrap();
    }
    let app2 = app(dir.path(), Lang::Zh);
    let Some(Overlay::Question(Question::Resume { visit_id, text })) = &app2.state.overlay else {
        panic!("own visit not offered")
    };
    assert_eq!(*visit_id, own_id);
    assert!(text.contains("自己的单位"), "{text}");
}

/// Keys a person presses, not counting the note's own text.
fn count_keys(events: &[Event], note: &str) -> usize {
    events.len() - note.chars().count()
}

#[test]
fn a_common_violation_takes_at_most_6_keys_plus_the_note() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), Lang::Zh);
    let visit_id = start_visit(&mut app);
    // Late arrival (second item), count 3, a short note, saved.
    let note = "三人迟到";
    let mut events = vec![key('j'), key('v')];
    events.extend(typed(note));
    events.extend([backtab(), key('3'), code(KeyCode::Esc)]);
    let keys = count_keys(&events, note);
    run(&mut app, events);
    assert!(keys <= 6, "{keys} keys");
    let detail = app.ledger().visit(visit_id).unwrap().unwrap();
    let r = &detail.findings[0].record;
    assert_eq!(r.item.item_id, "late-arrival");
    assert_eq!(r.result, FindingResult::Violation);
    assert_eq!(r.input.count, 3);
    assert_eq!(r.note, note);
    assert_eq!(r.points, anfang_core::Points::whole(3));
}

#[test]
fn a_visit_to_a_known_unit_starts_within_4_keys() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut app = app(dir.path(), Lang::Zh);
        start_visit(&mut app);
        run(&mut app, vec![key('D'), key('y'), key('q')]);
        let mut events = vec![key('n')];
        events.extend(typed("市规划局"));
        events.push(code(KeyCode::Tab));
        events.extend(typed("规划"));
        events.extend([ctrl('s'), key('D'), key('y'), key('q')]);
        run(&mut app, events);
        assert_eq!(app.state.home().units.len(), 2);
    }
    let mut app = app(dir.path(), Lang::Zh);
    // The second known unit: n, down to it, Enter takes it, Ctrl-S starts.
    let events = vec![
        key('n'),
        code(KeyCode::Down),
        code(KeyCode::Enter),
        ctrl('s'),
    ];
    assert!(events.len() <= 4);
    run(&mut app, events);
    let Screen::Visit(v) = app.state.screen() else {
        panic!("not started: {:?}", app.state.status)
    };
    let view = v.view.as_ref().unwrap();
    let unit = &view.summary.unit;
    let expected = &app.state.home().units[1];
    assert_eq!(unit, expected);
    assert!(!view.checklists.is_empty());
}

#[test]
fn the_editor_footer_shows_the_count_keys_in_both_languages() {
    for (lang, words) in [(Lang::En, "Count +1"), (Lang::Zh, "次数加一")] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(dir.path(), lang);
        start_visit(&mut app);
        run(&mut app, vec![key('v')]);
        let mut terminal =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
        app.draw(&mut terminal).unwrap();
        let footer = row_text(terminal.backend().buffer(), 23);
        assert!(footer.contains("+ ") && footer.contains(words), "{footer}");
    }
}
