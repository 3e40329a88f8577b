//! The merge screen: `update` fed with keys and answers (no I/O), drawn in
//! both languages and sizes, and run for real: a bundle written by another
//! laptop's ledger merged through the screen's effect.

use super::fixtures::*;
use super::snapshots::{check, home_state};
use crate::action::Action;
use crate::effect::Effect;
use crate::keymap::Keymap;
use crate::runtime::App;
use crate::screens::merge::{Focus, MergeEffect, MergeReply, MergeState, Outcome, Running};
use crate::state::{Screen, State, Status};
use crate::update::update;
use anfang_core::Lang;
use anfang_core::event::{EventBody, VisitOpened};
use anfang_core::finding::FindingResult;
use anfang_core::visit::{Unit, VisitKind};
use anfang_ledger::{DeviceReport, Flag, FlagKind, FlagTimes, Ledger, MergeProgress, MergeReport};
use anfang_plugin_host::Registry;
use crossterm::event::KeyCode;
use std::path::{Path, PathBuf};

fn merge_screen(state: &State) -> &MergeState {
    match state.screen() {
        Screen::Merge(m) => m,
        other => panic!("not on the merge screen: {other:?}"),
    }
}

fn on_merge(lang: Lang) -> State {
    let mut state = state(lang);
    feed(&mut state, [key('m')]);
    merge_screen(&state);
    state
}

fn listing() -> MergeReply {
    let folder = PathBuf::from("/media/usb/laptops");
    MergeReply::Listed {
        files: vec![
            (folder.join("laptop-1.bundle"), 2_400_000),
            (folder.join("laptop-2.bundle"), 180_000),
            (folder.join("readme.txt"), 312),
        ],
        folder,
        pick: None,
    }
}

#[test]
fn home_m_opens_the_screen_and_enter_on_a_path_asks_to_look_at_it() {
    let mut state = on_merge(Lang::Zh);
    assert_eq!(merge_screen(&state).focus, Focus::Path);
    // Enter on an empty path names what is missing.
    let effects = feed(&mut state, [code(KeyCode::Enter)]);
    assert!(effects.is_empty());
    assert!(matches!(state.status, Some(Status::Error(_))));
    // Typed keys (q and a included) go into the path.
    let mut events = typed("/media/usb/qa");
    events.push(code(KeyCode::Enter));
    let effects = feed(&mut state, events);
    assert_eq!(
        effects,
        vec![Effect::Merge(MergeEffect::Browse(PathBuf::from(
            "/media/usb/qa"
        )))]
    );
    assert!(matches!(state.screen(), Screen::Merge(_)));
}

#[test]
fn a_listed_folder_chooses_its_bundles_and_enter_merges_them() {
    let mut state = on_merge(Lang::En);
    update(&mut state, Action::Merge(listing()));
    let m = merge_screen(&state);
    assert_eq!(m.focus, Focus::Files);
    assert_eq!(
        m.files.iter().map(|f| f.chosen).collect::<Vec<_>>(),
        [true, true, false]
    );
    // Down to laptop-2, unchoose it with space; `a` chooses all, `a` again none.
    feed(&mut state, [code(KeyCode::Down), key(' ')]);
    assert_eq!(
        merge_screen(&state).chosen(),
        [PathBuf::from("/media/usb/laptops/laptop-1.bundle")]
    );
    feed(&mut state, [key('a')]);
    assert_eq!(merge_screen(&state).chosen().len(), 3);
    feed(&mut state, [key('a')]);
    assert!(merge_screen(&state).chosen().is_empty());
    // With nothing chosen, Enter merges the selected file.
    let effects = feed(&mut state, [code(KeyCode::Enter)]);
    assert_eq!(
        effects,
        vec![Effect::Merge(MergeEffect::Run(vec![PathBuf::from(
            "/media/usb/laptops/laptop-2.bundle"
        )]))]
    );
    assert!(merge_screen(&state).busy());
    // While it runs the screen cannot be left (Esc asks the merge to stop),
    // nor a second merge started.
    let effects = feed(&mut state, [ctrl('s')]);
    assert!(effects.is_empty());
    assert!(matches!(&state.status, Some(Status::Error(m)) if m.contains("Esc to stop")));
    let effects = feed(&mut state, [code(KeyCode::Esc)]);
    assert_eq!(effects, vec![Effect::Merge(MergeEffect::Stop)]);
    assert!(matches!(state.screen(), Screen::Merge(_)));
}

fn report(devices: Vec<DeviceReport>, flags: Vec<Flag>) -> MergeReport {
    MergeReport {
        bundle: PathBuf::from("/media/usb/laptops/laptop-1.bundle"),
        events_in_bundle: 1834,
        events_added: 1790,
        blobs_added: 12,
        signatures_checked: 2,
        devices,
        flags,
    }
}

fn device(n: u8, inspectors: &[&str], visits: u64, findings: u64, evidence: u64) -> DeviceReport {
    DeviceReport {
        device_id: format!("{n:02x}").repeat(32),
        inspectors: inspectors.iter().map(|s| s.to_string()).collect(),
        events_added: visits + findings + evidence,
        visits_added: visits,
        findings_added: findings,
        evidence_added: evidence,
        reviews_added: 0,
    }
}

fn flags() -> Vec<Flag> {
    vec![
        Flag {
            kind: FlagKind::Fork,
            device_id: "3f".repeat(32),
            seq: 17,
            event_id: "ab".repeat(32),
            other: Some("cd".repeat(32)),
            detail: "two different events with sequence number 17: abababababab and cdcdcdcdcdcd"
                .into(),
            times: None,
        },
        Flag {
            kind: FlagKind::Future,
            device_id: "3f".repeat(32),
            seq: 18,
            event_id: "ef".repeat(32),
            other: None,
            detail: "claims 2027-03-01T09:00:00Z, in the future of this machine's clock (2026-11-24T08:00:00Z)".into(),
            times: Some(FlagTimes {
                claimed: "2027-03-01T09:00:00Z".parse().unwrap(),
                reference: "2026-11-24T08:00:00Z".parse().unwrap(),
            }),
        },
    ]
}

const REFUSAL: &str = "event 9c1f0e2a7b3d (device 3f3f3f3f3f3f seq 4) does not match its id";

#[test]
fn each_file_is_reported_and_the_end_reloads_home() {
    let mut state = on_merge(Lang::Zh);
    update(&mut state, Action::Merge(listing()));
    let effects = feed(&mut state, [ctrl('s')]);
    let [Effect::Merge(MergeEffect::Run(files))] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(files.len(), 2);
    for reply in [
        MergeReply::Started { index: 0 },
        MergeReply::Progress {
            index: 0,
            progress: MergeProgress::Events {
                done: 1000,
                total: 1834,
            },
        },
    ] {
        update(&mut state, Action::Merge(reply));
    }
    let running = merge_screen(&state).running.clone().unwrap();
    assert!((running.ratio() - 0.8 * 1000.0 / 1834.0 / 2.0).abs() < 1e-9);
    let ok = report(vec![device(0x3f, &["王检查"], 3, 40, 12)], flags());
    for reply in [
        MergeReply::Done {
            index: 0,
            result: Ok(ok.clone()),
        },
        MergeReply::Started { index: 1 },
        MergeReply::Done {
            index: 1,
            result: Err(REFUSAL.into()),
        },
    ] {
        assert!(update(&mut state, Action::Merge(reply)).is_empty());
    }
    let effects = update(
        &mut state,
        Action::Merge(MergeReply::Finished { unsaved: None }),
    );
    assert_eq!(
        effects,
        vec![Effect::LoadHome {
            offer_resume: false
        }]
    );
    let m = merge_screen(&state);
    assert!(!m.busy());
    assert_eq!(m.focus, Focus::Report);
    assert_eq!(m.outcomes.len(), 2);
    assert_eq!(m.outcomes[0].result, Ok(ok));
    // The merged file is done with; the refused one stays chosen for a retry.
    assert_eq!(
        m.files
            .iter()
            .map(|f| (f.chosen, f.merged))
            .collect::<Vec<_>>(),
        [(false, Some(true)), (true, Some(false)), (false, None)]
    );
    assert!(matches!(&state.status, Some(Status::Error(s)) if s.contains('1')));
    // The report lists the device, its inspector, both flags and the reason.
    let lines: Vec<String> = crate::screens::merge::report::lines(&m.outcomes, Lang::Zh, 200)
        .iter()
        .map(|l| l.to_string())
        .collect();
    let text = lines.join("\n");
    for needle in [
        "laptop-1.bundle",
        "王检查",
        "检查 3，问题记录 40，证据 12",
        "分叉",
        "未来时间",
        "does not match its id",
        "台账未改动",
    ] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
}

#[test]
fn esc_stops_a_merge_and_the_files_not_merged_stay_chosen() {
    let mut state = on_merge(Lang::Zh);
    update(&mut state, Action::Merge(listing()));
    feed(&mut state, [ctrl('s')]);
    update(&mut state, Action::Merge(MergeReply::Started { index: 0 }));
    // While merging, the footer offers Esc to stop.
    state.status = None;
    let terminal = render(&state, 80, 24);
    let shown: Vec<String> = (0..24)
        .map(|y| row_text(terminal.backend().buffer(), y))
        .collect();
    assert!(shown[23].contains("esc 停止合并"), "{}", shown.join("\n"));
    let effects = feed(&mut state, [code(KeyCode::Esc)]);
    assert_eq!(effects, vec![Effect::Merge(MergeEffect::Stop)]);
    assert!(matches!(&state.status, Some(Status::Info(s)) if s.contains("正在停止")));
    // Asking again does not ask the worker twice, and the screen stays.
    assert!(feed(&mut state, [code(KeyCode::Esc)]).is_empty());
    assert!(merge_screen(&state).busy());
    for reply in [
        MergeReply::Stopped { index: 0 },
        MergeReply::Finished { unsaved: None },
    ] {
        update(&mut state, Action::Merge(reply));
    }
    let m = merge_screen(&state);
    assert!(!m.busy() && m.outcomes.is_empty());
    assert_eq!(
        m.files
            .iter()
            .map(|f| (f.chosen, f.merged))
            .collect::<Vec<_>>(),
        [(true, None), (true, None), (false, None)]
    );
    assert!(
        matches!(&state.status, Some(Status::Info(s)) if s.contains("已停止") && s.contains("laptop-1.bundle")),
        "{:?}",
        state.status
    );
    // Now Esc leaves.
    feed(&mut state, [code(KeyCode::Esc)]);
    assert!(matches!(state.screen(), Screen::Home(_)));
}

#[test]
fn pasted_paths_are_cleaned_and_several_are_each_chosen() {
    let mut state = on_merge(Lang::En);
    update(
        &mut state,
        Action::Paste("'file:///media/usb/laptop 1.bundle'\n".into()),
    );
    assert_eq!(
        crate::widgets::field::text(&merge_screen(&state).path),
        "/media/usb/laptop 1.bundle"
    );
    update(
        &mut state,
        Action::Paste("/media/usb/a.bundle\n/media/usb/b.bundle\n".into()),
    );
    let m = merge_screen(&state);
    assert_eq!(m.focus, Focus::Files);
    assert_eq!(
        m.chosen(),
        [
            PathBuf::from("/media/usb/a.bundle"),
            PathBuf::from("/media/usb/b.bundle")
        ]
    );
}

#[test]
fn nothing_to_merge_is_said_and_asks_for_nothing() {
    let mut state = on_merge(Lang::En);
    let effects = feed(&mut state, [ctrl('s')]);
    assert!(effects.is_empty());
    assert!(
        matches!(&state.status, Some(Status::Error(m)) if m.contains("Choose a file")),
        "{:?}",
        state.status
    );
    // A path typed and nothing chosen: that path is merged.
    let mut events = typed("/tmp/office.bundle");
    events.push(ctrl('s'));
    let effects = feed(&mut state, events);
    assert_eq!(
        effects,
        vec![Effect::Merge(MergeEffect::Run(vec![PathBuf::from(
            "/tmp/office.bundle"
        )]))]
    );
}

// Snapshots.

fn merge_state(lang: Lang, size: (u16, u16), build: impl FnOnce(&mut MergeState)) -> State {
    let mut state = home_state(lang, size);
    let mut m = MergeState::new();
    build(&mut m);
    state.stack.push(Screen::Merge(Box::new(m)));
    state
}

fn listed(m: &mut MergeState) {
    let ctx_state = state(Lang::En);
    let ctx = super::snapshots::ctx(&ctx_state);
    m.path = crate::widgets::field::line("/media/usb/laptops");
    crate::screens::merge::reply(m, &ctx, listing());
}

#[test]
fn snapshot_fresh() {
    check("merge_fresh", |lang, size| {
        merge_state(lang, size, |m| {
            m.path = crate::widgets::field::line("/media/usb/暗访/");
        })
    });
}

#[test]
fn snapshot_listed() {
    check("merge_listed", |lang, size| merge_state(lang, size, listed));
}

#[test]
fn snapshot_running() {
    check("merge_running", |lang, size| {
        merge_state(lang, size, |m| {
            listed(m);
            m.running = Some(Running {
                index: 1,
                progress: Some(MergeProgress::Events {
                    done: 3000,
                    total: 4100,
                }),
                ..Running::new(m.chosen())
            });
            m.outcomes.push(Outcome {
                path: m.files[0].path.clone(),
                result: Ok(report(vec![device(0x3f, &["王检查"], 3, 40, 12)], vec![])),
            });
        })
    });
}

#[test]
fn snapshot_report() {
    check("merge_report", |lang, size| {
        let mut state = merge_state(lang, size, listed);
        let paths: Vec<PathBuf> = merge_screen(&state).chosen();
        let replies = [
            MergeReply::Done {
                index: 0,
                result: Ok(report(
                    vec![
                        device(0x3f, &["王检查", "李督查"], 3, 40, 12),
                        device(0x7a, &[], 0, 2, 0),
                    ],
                    flags(),
                )),
            },
            MergeReply::Done {
                index: 1,
                result: Err(REFUSAL.into()),
            },
            MergeReply::Finished { unsaved: None },
        ];
        if let Some(Screen::Merge(m)) = state.stack.last_mut() {
            m.running = Some(Running::new(paths));
        }
        for reply in replies {
            update(&mut state, Action::Merge(reply));
        }
        state.status = None;
        state
    });
}

// The runtime, for real.

/// Records a closed visit to `unit` with one violation per note, and
/// evidence on the first; returns the visit.
pub(super) fn record_visit(ledger: &mut Ledger, unit: &str, notes: &[&str]) -> uuid::Uuid {
    let visit_id = uuid::Uuid::now_v7();
    let opened = VisitOpened {
        rechecks: None,
        unit_id: None,
        visit_id,
        unit: Unit {
            name: unit.into(),
            department: "税务".into(),
        },
        kind: VisitKind::Unannounced,
        team: vec!["李督查".into()],
        started_at: now(),
        checklists: anfang_core::core_checklists::core_manifest().snapshots(),
    };
    ledger.append(&EventBody::VisitOpened(opened)).unwrap();
    for (i, note) in notes.iter().enumerate() {
        let mut record = finding(
            i as u128,
            "attendance",
            "late-arrival",
            FindingResult::Violation,
            1,
            1,
            note,
        )
        .record;
        record.finding_id = uuid::Uuid::now_v7();
        record.visit_id = visit_id;
        record.observed_at = now();
        ledger
            .append(&EventBody::FindingRecorded(record.clone()))
            .unwrap();
        if i == 0 {
            let photo = std::env::temp_dir().join(format!("anfang-merge-test-{visit_id}.jpg"));
            std::fs::write(&photo, b"jpeg bytes of a phone screen").unwrap();
            ledger.attach_evidence(record.finding_id, &photo).unwrap();
            std::fs::remove_file(&photo).unwrap();
        }
    }
    let closed = anfang_core::event::VisitClosed {
        visit_id,
        closed_at: now(),
    };
    ledger.append(&EventBody::VisitClosed(closed)).unwrap();
    visit_id
}

pub(super) fn app(dir: &Path, lang: Lang) -> App {
    let mut app = App::with_clock(
        Ledger::open(dir).unwrap(),
        Registry::core_only(),
        lang,
        "王检查",
        tz(),
        Keymap::default_keymap(),
        crate::runtime::clock::stepping(now(), jiff::SignedDuration::from_secs(1)),
    );
    app.open_files = false;
    app
}

pub(super) fn run(app: &mut App, events: Vec<crossterm::event::Event>) {
    for event in events {
        app.handle(event);
    }
}

fn screen_text(app: &App, w: u16, h: u16) -> String {
    let terminal = render(&app.state, w, h);
    (0..h)
        .map(|y| row_text(terminal.backend().buffer(), y))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_bundle_from_another_laptop_merges_through_the_screen() {
    let office = tempfile::tempdir().unwrap();
    let laptop = tempfile::tempdir().unwrap();
    let usb = tempfile::tempdir().unwrap();
    let (visit_id, laptop_device) = {
        let mut ledger = Ledger::open(laptop.path()).unwrap();
        let visit = record_visit(
            &mut ledger,
            "市税务局第一税务分局办税服务厅",
            &["九点零五分到岗", "窗口无人"],
        );
        ledger.bundle(&usb.path().join("laptop-1.bundle")).unwrap();
        (visit, ledger.device_id().to_string())
    };
    // Not a bundle: refused, and the ledger unchanged by it.
    std::fs::write(
        usb.path().join("broken.bundle"),
        b"not a SQLite file at all",
    )
    .unwrap();
    std::fs::write(usb.path().join("notes.txt"), b"hello").unwrap();

    let mut app = app(office.path(), Lang::Zh);
    assert_ne!(app.ledger().device_id(), laptop_device);
    let mut events = vec![key('m')];
    events.extend(typed(&usb.path().display().to_string()));
    events.push(code(KeyCode::Enter));
    run(&mut app, events);
    let m = merge_screen(&app.state);
    assert_eq!(
        m.chosen(),
        [
            usb.path().join("broken.bundle"),
            usb.path().join("laptop-1.bundle")
        ],
        "{:?}",
        app.state.status
    );
    run(&mut app, vec![ctrl('s')]);
    app.wait();
    let m = merge_screen(&app.state);
    assert!(!m.busy());
    assert_eq!(m.outcomes.len(), 2);
    assert_eq!(m.outcomes[0].path, usb.path().join("broken.bundle"));
    let refused = m.outcomes[0].result.as_ref().unwrap_err();
    assert!(!refused.is_empty() && !refused.contains('\n'), "{refused}");
    // In Chinese: what kind of problem, then the detail naming the bad value.
    assert!(
        refused.starts_with("文件无法读取、被截断或已损坏（not a readable SQLite file"),
        "{refused}"
    );
    let shown = screen_text(&app, 80, 24);
    assert!(
        shown.contains("broken.bundle") && shown.contains("台账未改动"),
        "{shown}"
    );
    let report = m.outcomes[1].result.as_ref().unwrap();
    assert_eq!(report.devices.len(), 1);
    let d = &report.devices[0];
    assert_eq!(d.device_id, laptop_device);
    assert_eq!(d.inspectors, ["李督查"]);
    assert_eq!(
        (d.visits_added, d.findings_added, d.evidence_added),
        (1, 2, 1)
    );
    assert_eq!(report.blobs_added, 1);
    assert!(report.flags.is_empty(), "{:?}", report.flags);
    // The report is on screen, and home lists the merged visit.
    let shown = screen_text(&app, 120, 40);
    assert!(shown.contains("李督查"), "{shown}");
    assert!(
        app.state
            .home()
            .visits
            .iter()
            .any(|v| v.visit_id == visit_id)
    );
    let detail = app.ledger().visit(visit_id).unwrap().unwrap();
    assert_eq!(detail.findings.len(), 2);

    // The same bundle again adds nothing, and says so.
    let mut events = vec![code(KeyCode::BackTab), code(KeyCode::BackTab)];
    events.extend(std::iter::repeat_n(code(KeyCode::Backspace), 200));
    events.extend(typed(
        &usb.path().join("laptop-1.bundle").display().to_string(),
    ));
    events.push(code(KeyCode::Enter));
    events.push(ctrl('s'));
    run(&mut app, events);
    app.wait();
    // A file typed is the one chosen in its folder's listing.
    let m = merge_screen(&app.state);
    assert_eq!(m.outcomes.len(), 1, "{:?}", m.outcomes);
    assert_eq!(m.outcomes[0].path, usb.path().join("laptop-1.bundle"));
    let report = m.outcomes[0].result.as_ref().unwrap();
    assert_eq!(report.events_added, 0);
    assert!(report.devices.is_empty());
    assert_eq!(
        app.ledger()
            .visit(visit_id)
            .unwrap()
            .unwrap()
            .findings
            .len(),
        2
    );
    // Leaving works once the merge is done.
    run(&mut app, vec![code(KeyCode::Esc)]);
    assert!(matches!(app.state.screen(), Screen::Home(_)));
}

#[test]
fn merges_that_did_not_reach_the_disk_are_said_so() {
    let mut state = on_merge(Lang::En);
    update(&mut state, Action::Merge(listing()));
    feed(&mut state, [ctrl('s')]);
    let ok = report(vec![device(0x3f, &["王检查"], 3, 40, 12)], flags());
    let unsaved = "The merges may not be on the disk yet (disk full): keep the bundle files and merge them again";
    for reply in [
        MergeReply::Started { index: 0 },
        MergeReply::Done {
            index: 0,
            result: Ok(ok),
        },
        MergeReply::Finished {
            unsaved: Some(unsaved.into()),
        },
    ] {
        update(&mut state, Action::Merge(reply));
    }
    // The warning, not "Done: 1 merged", is what the status line says.
    assert!(
        matches!(&state.status, Some(Status::Error(s)) if s == unsaved),
        "{:?}",
        state.status
    );
    assert!(!merge_screen(&state).busy());
}
