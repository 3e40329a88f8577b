//! The runtime against a real ledger file in a temporary folder: record a
//! visit with keys, drop everything, reopen, resume, correct.

use super::fixtures::*;
use crate::keymap::Keymap;
use crate::runtime::App;
use crate::screens::overlay::{Overlay, Question};
use crate::state::Screen;
use anfang_core::Lang;
use anfang_core::finding::FindingResult;
use anfang_ledger::Ledger;
use anfang_plugin_host::Registry;
use crossterm::event::KeyCode;

/// One clock for every app these tests start, a second later at each
/// reading: an app started after another (a restart) never claims times
/// before the first one's.
fn clock() -> crate::runtime::clock::Clock {
    static READINGS: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);
    std::sync::Arc::new(|| {
        let n = READINGS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        now() + jiff::SignedDuration::from_secs(n)
    })
}

pub(super) fn app(dir: &std::path::Path, lang: Lang) -> App {
    let ledger = Ledger::open(dir).unwrap();
    let mut app = App::with_clock(
        ledger,
        Registry::core_only(),
        lang,
        "王检查",
        tz(),
        Keymap::default_keymap(),
        clock(),
    );
    app.open_files = false;
    app
}

pub(super) fn run(app: &mut App, events: Vec<crossterm::event::Event>) {
    for event in events {
        app.handle(event);
    }
}

/// New Visit from home: unit, department, the rest as offered, start.
fn start_visit(app: &mut App, unit: &str, department: &str) {
    let mut events = vec![key('n')];
    events.extend(typed(unit));
    events.push(code(KeyCode::Tab));
    events.extend(typed(department));
    events.push(ctrl('s'));
    run(app, events);
}

#[test]
fn a_visit_recorded_with_keys_survives_a_restart_and_a_correction() {
    let dir = tempfile::tempdir().unwrap();
    let visit_id;
    {
        let mut app = app(dir.path(), Lang::Zh);
        assert!(
            app.state.overlay.is_none(),
            "nothing to resume in an empty ledger"
        );
        // New visit: unit, department, kind stays 暗访, team, start.
        start_visit(&mut app, "市税务局第一税务分局办税服务厅", "税务");
        let Screen::Visit(v) = app.state.screen() else {
            panic!("not on the visit: {:?}", app.state.status)
        };
        visit_id = v.visit_id;
        assert_eq!(v.view.as_ref().unwrap().checklists.len(), 3);
        // Two violations with Chinese notes: late arrival, early leave.
        let mut events = vec![code(KeyCode::Down), key('v')];
        events.extend(typed("九点零五分到岗"));
        events.push(code(KeyCode::Esc));
        events.extend([code(KeyCode::Down), key('v')]);
        events.extend(typed("十一点二十离岗，未请假"));
        events.push(code(KeyCode::Esc));
        run(&mut app, events);
        assert!(
            matches!(app.state.screen(), Screen::Visit(_)),
            "{:?}",
            app.state.status
        );
        let Screen::Visit(v) = app.state.screen() else {
            unreachable!()
        };
        let view = v.view.as_ref().unwrap();
        assert_eq!(view.findings.len(), 2);
        assert_eq!(view.tally(), anfang_core::Points::whole(2));
        // Drawn at 80×24 without trouble.
        app.draw(&mut ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap())
            .unwrap();
        // Dropped without closing: as after a kill.
    }
    {
        let mut app = app(dir.path(), Lang::Zh);
        let Some(Overlay::Question(Question::Resume {
            visit_id: offered, ..
        })) = &app.state.overlay
        else {
            panic!("no resume offer")
        };
        assert_eq!(*offered, visit_id);
        run(&mut app, vec![key('y')]);
        let Screen::Visit(v) = app.state.screen() else {
            panic!()
        };
        let view = v.view.as_ref().unwrap();
        let notes: Vec<&str> = view
            .findings
            .iter()
            .map(|f| f.record.note.as_str())
            .collect();
        assert!(
            notes.contains(&"九点零五分到岗") && notes.contains(&"十一点二十离岗，未请假"),
            "{notes:?}"
        );
        // Correct the late arrival (second item): Enter, add to the note, Esc.
        let mut events = vec![code(KeyCode::Down), code(KeyCode::Enter)];
        events.extend(typed("（有监控截图）"));
        events.push(code(KeyCode::Esc));
        run(&mut app, events);
        let Screen::Visit(v) = app.state.screen() else {
            panic!("{:?}", app.state.status)
        };
        let late = v.item_findings()[0].clone();
        assert_eq!(late.versions, 2);
        assert_eq!(late.record.note, "九点零五分到岗（有监控截图）");
        // The history shows both versions, the second superseding the first.
        run(&mut app, vec![key('h')]);
        let Screen::History(h) = app.state.screen() else {
            panic!()
        };
        let history = h.view.as_ref().unwrap();
        assert_eq!(history.versions.len(), 2);
        assert_eq!(
            history.versions[1].record.supersedes.as_deref(),
            Some(history.versions[0].event_id.as_str())
        );
        run(&mut app, vec![key('q')]);
        // Attach a file, then open it (exported, not launched in tests).
        let photo = dir.path().join("照片.jpg");
        std::fs::write(&photo, b"jpeg bytes").unwrap();
        let mut events = vec![key('e')];
        events.extend(typed(&photo.display().to_string()));
        events.push(code(KeyCode::Enter));
        run(&mut app, events);
        let Screen::Visit(v) = app.state.screen() else {
            panic!()
        };
        assert_eq!(
            v.item_findings()[0].evidence.len(),
            1,
            "{:?}",
            app.state.status
        );
        run(&mut app, vec![key('o')]);
        assert!(
            matches!(&app.state.status, Some(crate::state::Status::Info(m)) if m.contains("照片.jpg")),
            "{:?}",
            app.state.status
        );
        // The record of the visit, with the photo's hash, to the working folder.
        let work = tempfile::tempdir().unwrap();
        app.work_dir = work.path().to_path_buf();
        run(&mut app, vec![key('P')]);
        let written = work
            .path()
            .join("检查记录-市税务局第一税务分局办税服务厅-2026-11-24.docx");
        assert!(
            matches!(&app.state.status, Some(crate::state::Status::Info(m)) if m.contains("检查记录-")),
            "{:?}",
            app.state.status
        );
        let mut archive = zip::ZipArchive::new(std::fs::File::open(&written).unwrap()).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").unwrap(), &mut xml)
            .unwrap();
        let Screen::Visit(v) = app.state.screen() else {
            panic!()
        };
        let sha256 = &v.item_findings()[0].evidence[0].sha256;
        assert!(xml.contains(sha256.as_str()), "the photo's hash is listed");
        assert!(xml.contains("照片.jpg") && xml.contains("见证人"));
        // Close the visit: it opens read-only, and home lists it as closed.
        run(&mut app, vec![key('D'), key('y')]);
        let Screen::Visit(v) = app.state.screen() else {
            panic!()
        };
        assert!(v.view.as_ref().unwrap().closed());
        run(&mut app, vec![key('v')]);
        assert!(matches!(app.state.screen(), Screen::Visit(_)));
        run(&mut app, vec![key('q')]);
        let home = app.state.home();
        assert_eq!(home.visits.len(), 1);
        assert!(home.visits[0].closed_at.is_some());
        assert_eq!(home.visits[0].findings, 2);
    }
    let app = app(dir.path(), Lang::En);
    assert!(
        app.state.overlay.is_none(),
        "a closed visit is not offered for resuming"
    );
    let detail = app.ledger().visit(visit_id).unwrap().unwrap();
    assert!(
        detail
            .findings
            .iter()
            .all(|f| f.record.result == FindingResult::Violation)
    );
}

#[test]
fn a_bad_evidence_path_is_named_and_the_app_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(dir.path(), Lang::En);
    let mut events = vec![key('n')];
    events.extend(typed("Finance office"));
    events.push(code(KeyCode::Tab));
    events.extend(typed("finance"));
    events.extend([ctrl('s'), key('v'), code(KeyCode::Esc), key('e')]);
    events.extend(typed("/no/such/file.jpg"));
    events.push(code(KeyCode::Enter));
    run(&mut app, events);
    assert!(
        matches!(&app.state.status, Some(crate::state::Status::Error(m)) if m.contains("/no/such/file.jpg")),
        "{:?}",
        app.state.status
    );
    assert!(matches!(app.state.screen(), Screen::Visit(_)));
}

#[test]
fn a_computed_rule_falls_back_to_points_entered_by_hand() {
    use anfang_core::event::{EventBody, VisitOpened};
    use anfang_core::manifest::{Checklist, ChecklistSnapshot, Item};
    use anfang_core::rule::{InputField, InputType, Rule};
    use anfang_core::{Label, Points};
    let dir = tempfile::tempdir().unwrap();
    let visit_id = uuid::Uuid::now_v7();
    {
        let mut ledger = Ledger::open(dir.path()).unwrap();
        // A plugin checklist recorded with the visit; the plugin itself is
        // not loaded now, so its score function cannot be called.
        let snapshot = ChecklistSnapshot {
            plugin_id: "appraisal".into(),
            plugin_version: "1.0.0".into(),
            checklist: Checklist {
                id: "public-appraisal".into(),
                label: Label::new("万人评议", "Public appraisal"),
                items: vec![Item {
                    id: "satisfaction".into(),
                    label: Label::new("满意度", "Satisfaction"),
                    hint: None,
                    rule: Rule::Computed {
                        inputs: vec![InputField {
                            id: "satisfied".into(),
                            label: Label::new("满意票", "Satisfied votes"),
                            input_type: InputType::Integer,
                        }],
                        max: Points::whole(10),
                    },
                }],
            },
        };
        let opened = VisitOpened {
            rechecks: None,
            unit_id: None,
            visit_id,
            unit: anfang_core::visit::Unit {
                name: "市规划局".into(),
                department: "规划".into(),
            },
            kind: anfang_core::visit::VisitKind::Open,
            team: vec!["王检查".into()],
            started_at: now(),
            checklists: vec![snapshot],
        };
        ledger.append(&EventBody::VisitOpened(opened)).unwrap();
    }
    let mut app = app(dir.path(), Lang::En);
    run(&mut app, vec![key('y')]);
    // v opens the note; back past the hand points to the votes, and left
    // without hand points.
    let mut events = vec![key('v'), code(KeyCode::BackTab), code(KeyCode::BackTab)];
    events.extend(typed("41"));
    events.push(code(KeyCode::Esc));
    run(&mut app, events);
    // Never a silent 0: nothing saved, the editor asks for the points.
    assert!(
        matches!(app.state.screen(), Screen::Editor(e) if e.focus == crate::screens::editor::Field::HandPoints),
        "{:?}",
        app.state.status
    );
    assert!(
        matches!(&app.state.status, Some(crate::state::Status::Error(m)) if m.starts_with("Not saved") && m.contains("appraisal") && m.contains("by hand")),
        "{:?}",
        app.state.status
    );
    let detail = app.ledger().visit(visit_id).unwrap().unwrap();
    assert!(detail.findings.is_empty());
    // The points by hand, then leave: saved.
    let mut events = typed("3.5");
    events.push(code(KeyCode::Esc));
    run(&mut app, events);
    assert!(
        matches!(app.state.screen(), Screen::Visit(_)),
        "{:?}",
        app.state.status
    );
    assert!(
        matches!(&app.state.status, Some(crate::state::Status::Error(m)) if m.contains("3.5") && m.contains("appraisal")),
        "{:?}",
        app.state.status
    );
    let detail = app.ledger().visit(visit_id).unwrap().unwrap();
    let r = &detail.findings[0].record;
    assert_eq!(r.points, Points::from_hundredths(350));
    assert!(r.points_by_hand);
    // The plugin's reason is kept with the finding.
    assert!(
        r.note
            .contains("[Points entered by hand: the plugin could not compute them: no loaded plugin 'appraisal']"),
        "{}",
        r.note
    );
    assert_eq!(
        r.input.values.get("satisfied"),
        Some(&serde_json::Value::from(41u64))
    );
}

#[test]
fn home_says_open_mode_and_then_names_the_office_and_its_refused_events() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut app = app(dir.path(), Lang::En);
        let mut events = vec![key('n')];
        events.extend(typed("市财政局"));
        events.push(code(KeyCode::Tab));
        events.extend(typed("财政"));
        events.push(ctrl('s'));
        run(&mut app, events);
        let Screen::Home(home) = &app.state.stack[0] else {
            panic!("home is at the bottom")
        };
        assert_eq!(
            home.office,
            Some(crate::model::OfficeStanding {
                office: None,
                refused: 0
            })
        );
    }
    // An office whose roster names nobody: the visit this device opened
    // no longer counts, and Home says so.
    Ledger::open(dir.path())
        .unwrap()
        .pin_office(&"3f2a9c0d".repeat(8))
        .unwrap();
    let app = app(dir.path(), Lang::En);
    let Screen::Home(home) = &app.state.stack[0] else {
        panic!("home is at the bottom")
    };
    let standing = home.office.clone().unwrap();
    assert_eq!(standing.office.as_deref(), Some("3f2a9c0d"));
    assert!(standing.refused >= 1, "{standing:?}");
}

#[test]
fn a_hand_written_data_checklist_is_offered_on_new_visit_and_its_violation_scored() {
    let dir = tempfile::tempdir().unwrap();
    let lists = dir.path().join("checklists");
    std::fs::create_dir(&lists).unwrap();
    std::fs::write(
        lists.join("petition.json"),
        r#"{"id": "petition-window", "version": "1.0.0",
            "name": {"zh": "信访窗口", "en": "Petition window"},
            "departments": [{"zh": "信访局", "en": "Petition bureau"}],
            "checklists": [{"id": "petition-window",
              "label": {"zh": "信访窗口", "en": "Petition window"},
              "items": [{"id": "petition-not-registered",
                "label": {"zh": "来访未登记", "en": "Visit not registered"},
                "rule": {"kind": "per_count", "unit": "case", "points": 2.5}}]}]}"#,
    )
    .unwrap();
    // Beside it, a list taking a core item's id: refused, the app goes on.
    std::fs::write(
        lists.join("taken.json"),
        r#"{"id": "taken", "version": "1", "name": {"zh": "占用", "en": "Taken"},
            "checklists": [{"id": "t", "label": {"zh": "占用", "en": "Taken"},
              "items": [{"id": "late-arrival", "label": {"zh": "迟到", "en": "Late"},
                "rule": {"kind": "per_count", "unit": "person_time", "points": 1}}]}]}"#,
    )
    .unwrap();
    let mut registry = Registry::core_only();
    registry.add_data_checklists(&[lists]);
    let mut app = App::with_clock(
        Ledger::open(dir.path()).unwrap(),
        registry,
        Lang::Zh,
        "王检查",
        tz(),
        Keymap::default_keymap(),
        clock(),
    );
    app.open_files = false;
    let refused = app
        .state
        .catalog
        .plugins
        .iter()
        .find(|p| p.file.ends_with("taken.json"))
        .expect("the refused list is shown with the plugins");
    assert!(!refused.loaded);
    assert!(
        refused
            .reason
            .as_deref()
            .is_some_and(|r| r.contains("late-arrival")),
        "{refused:?}"
    );
    // New visit to a unit of 信访局: the data checklist is chosen with the core's.
    start_visit(&mut app, "市信访局接待大厅", "信访局");
    let Screen::Visit(v) = app.state.screen() else {
        panic!("not on the visit: {:?}", app.state.status)
    };
    let visit_id = v.visit_id;
    let view = v.view.as_ref().unwrap();
    assert_eq!(view.checklists.len(), 4);
    assert_eq!(view.checklists[3].plugin_id, "petition-window");
    // To the fourth checklist, and a violation on its one item.
    let mut events = vec![key(']'), key(']'), key(']'), key('v')];
    events.extend(typed("上午两位来访群众未登记"));
    events.push(code(KeyCode::Esc));
    run(&mut app, events);
    let Screen::Visit(v) = app.state.screen() else {
        panic!("{:?}", app.state.status)
    };
    assert_eq!(
        v.view.as_ref().unwrap().tally(),
        anfang_core::Points::from_hundredths(250)
    );
    let detail = app.ledger().visit(visit_id).unwrap().unwrap();
    let item = &detail.findings[0].record.item;
    assert_eq!(
        (item.plugin_id.as_str(), item.item_id.as_str()),
        ("petition-window", "petition-not-registered")
    );
    assert_eq!(
        detail.findings[0].record.points,
        anfang_core::Points::from_hundredths(250)
    );
    // The snapshot travels with the visit.
    assert!(
        detail
            .checklists
            .iter()
            .any(|c| c.plugin_id == "petition-window")
    );
}
