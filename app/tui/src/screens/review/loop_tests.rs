//! The rectification loop from the finding in Review, through the runtime
//! with a real ledger: the unit's report, a follow-up visit started with
//! `v` and linked to the finding, verification naming it; an appeal the
//! confirming laptop may not decide; and the forms, in both languages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::Mode;
use super::tests::runtime::{app, decisions_of, ledger_with_findings, run};
use super::tests::{check, code, feed, key, opened, review, typed};
use crate::action::Action;
use crate::screens::Screen;
use crate::screens::review::ReviewReply;
use crate::screens::review::fixtures::detail;
use anfang_core::review::{Checked, Decision, ReviewStatus};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

fn ctrl(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// Typed text then Enter.
fn answer_with(text: &str) -> Vec<Event> {
    let mut events = typed(text);
    events.push(code(KeyCode::Enter));
    events
}

#[test]
fn a_report_a_linked_recheck_visit_and_a_verification_that_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger_with_findings(dir.path(), 3);
    let mut app = app(ledger);
    app.dispatch(Action::Resize(120, 40));
    run(&mut app, vec![key('r')]);
    let finding_id = review(&app.state).window.current().unwrap().finding_id;
    // Confirmed, rectification ordered (the default deadline), reported.
    run(&mut app, vec![key('c'), code(KeyCode::Enter)]);
    run(&mut app, vec![key('r'), code(KeyCode::Enter)]);
    let mut events = vec![key('m')];
    events.extend(answer_with("已调整考勤制度"));
    run(&mut app, events);
    let status = |app: &crate::runtime::App| review(&app.state).window.current().unwrap().status();
    assert_eq!(
        status(&app),
        ReviewStatus::Rectified,
        "{:?}",
        app.state.status
    );
    // `v` opens the new visit form of the finding's unit, linked to it.
    run(&mut app, vec![key('v')]);
    let Some(Screen::NewVisit(form)) = app.state.stack.last() else {
        panic!("not the new visit form: {:?}", app.state.status);
    };
    assert_eq!(form.rechecks, Some(finding_id));
    assert_eq!(
        crate::widgets::field::text(&form.unit),
        "市税务局第一税务分局办税服务厅"
    );
    run(&mut app, vec![ctrl('s')]);
    assert!(
        matches!(app.state.stack.last(), Some(Screen::Visit(_))),
        "{:?}",
        app.state.status
    );
    let rechecks = app.ledger().rechecks_of(finding_id).unwrap();
    assert_eq!(rechecks.len(), 1);
    let visit_id = rechecks[0].0;
    // Back in Review, the detail lists the visit and `V` names it.
    run(&mut app, vec![key('q')]);
    assert!(matches!(app.state.stack.last(), Some(Screen::Review(_))));
    run(&mut app, vec![code(KeyCode::Enter)]);
    run(&mut app, vec![key('V')]);
    let Mode::Decide(form) = &review(&app.state).mode else {
        panic!("no verification form");
    };
    assert_eq!(
        crate::widgets::field::text(form.field.as_ref().unwrap()),
        format!("recheck:{visit_id}")
    );
    run(&mut app, vec![code(KeyCode::Enter)]);
    assert_eq!(
        status(&app),
        ReviewStatus::Verified,
        "{:?}",
        app.state.status
    );
    let decisions = decisions_of(&app, finding_id);
    let kinds: Vec<_> = decisions
        .iter()
        .map(|d| ReviewStatus::after(&d.1.decision))
        .collect();
    assert_eq!(
        kinds,
        [
            ReviewStatus::Confirmed,
            ReviewStatus::RectificationRequired,
            ReviewStatus::Rectified,
            ReviewStatus::Verified
        ]
    );
    assert_eq!(
        decisions[3].1.decision,
        Decision::VerifyRectification {
            checked: Some(Checked::Recheck { visit_id })
        }
    );
}

#[test]
fn an_appeal_is_recorded_and_the_confirming_laptop_may_not_decide_it() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger_with_findings(dir.path(), 2);
    let mut app = app(ledger);
    app.dispatch(Action::Resize(80, 24));
    run(&mut app, vec![key('r')]);
    let finding_id = review(&app.state).window.current().unwrap().finding_id;
    // Deciding an appeal none was made of is refused.
    run(&mut app, vec![key('c'), code(KeyCode::Enter)]);
    let mut events = vec![key('U')];
    events.extend(answer_with("理由"));
    run(&mut app, events);
    assert_eq!(decisions_of(&app, finding_id).len(), 1);
    let mut events = vec![key('a')];
    events.extend(answer_with("当日外出办事"));
    run(&mut app, events);
    assert_eq!(decisions_of(&app, finding_id).len(), 2);
    // The laptop that confirmed it is refused, and nothing is written.
    let mut events = vec![key('U')];
    events.extend(answer_with("有外出登记"));
    run(&mut app, events);
    let said = format!("{:?}", app.state.status);
    assert!(said.contains("确认了该问题"), "{said}");
    assert_eq!(decisions_of(&app, finding_id).len(), 2);
    let row = review(&app.state).window.current().unwrap().clone();
    assert_eq!(row.status(), ReviewStatus::Confirmed);
}

#[test]
fn a_rejected_rectification_takes_a_reason_and_a_new_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger_with_findings(dir.path(), 1);
    let mut app = app(ledger);
    app.dispatch(Action::Resize(80, 24));
    run(&mut app, vec![key('r')]);
    let finding_id = review(&app.state).window.current().unwrap().finding_id;
    run(&mut app, vec![key('c'), code(KeyCode::Enter)]);
    run(&mut app, vec![key('r'), code(KeyCode::Enter)]);
    let mut events = vec![key('m')];
    events.extend(answer_with("已整改"));
    run(&mut app, events);
    // No reason: refused in the form, nothing written.
    run(&mut app, vec![key('R'), code(KeyCode::Enter)]);
    assert!(matches!(review(&app.state).mode, Mode::Decide(_)));
    // A reason, and Tab to the new deadline, typed over.
    let mut events = typed("照片与现场不符");
    events.push(code(KeyCode::Tab));
    events.extend(vec![code(KeyCode::Backspace); 10]);
    events.extend(answer_with("2026-12-31"));
    run(&mut app, events);
    let row = review(&app.state).window.current().unwrap().clone();
    assert_eq!(
        row.status(),
        ReviewStatus::RectificationRequired,
        "{:?}",
        app.state.status
    );
    assert_eq!(row.state.deadline, Some("2026-12-31".parse().unwrap()));
    let decisions = decisions_of(&app, finding_id);
    let Decision::RequireRectification {
        rejected: Some(rejection),
        ..
    } = &decisions[3].1.decision
    else {
        panic!("{:?}", decisions[3].1.decision);
    };
    assert_eq!(rejection.reason, "照片与现场不符");
    assert_eq!(rejection.checked, Checked::Report);
}

fn review_mut(state: &mut crate::state::State) -> &mut super::ReviewState {
    match state.stack.last_mut() {
        Some(Screen::Review(r)) => r,
        _ => panic!("not on the review screen"),
    }
}

/// A finding reported rectified, with a follow-up visit, its detail open.
fn with_a_reported_rectification(state: &mut crate::state::State) {
    feed(state, [code(KeyCode::Enter)]);
    let mut d = detail(0);
    d.row.state.status = ReviewStatus::Rectified;
    d.rechecks = vec![(
        uuid::Uuid::from_u64_pair(9, 9),
        "2026-11-20T02:00:00Z".into(),
    )];
    if let Some(row) = review_mut(state).window.rows.first_mut() {
        row.state.status = ReviewStatus::Rectified;
    }
    super::tests::answer(state, ReviewReply::Detail(Box::new(d)));
}

#[test]
fn snapshot_rectification_and_appeal_forms() {
    check("review_verify", |lang, size| {
        let mut state = opened(lang, size);
        with_a_reported_rectification(&mut state);
        feed(&mut state, [key('V')]);
        state
    });
    check("review_reject", |lang, size| {
        let mut state = opened(lang, size);
        with_a_reported_rectification(&mut state);
        feed(&mut state, [key('R')]);
        state
    });
    check("review_appeal", |lang, size| {
        let mut state = opened(lang, size);
        // The second row is a confirmed finding.
        feed(&mut state, [code(KeyCode::Down), key('a')]);
        state
    });
}

/// The loop's decisions as the detail's history shows them: the report
/// with its file, the rejection, the follow-up visit, the verification
/// naming it; an appeal and its decision.
#[test]
fn snapshot_the_loop_in_the_history() {
    use anfang_core::review::{AttachedFile, DatedDecision, Rejection, ReviewRecord};
    check("review_loop_history", |lang, size| {
        let mut state = opened(lang, size);
        feed(&mut state, [code(KeyCode::Enter)]);
        let mut d = detail(0);
        let visit_id = uuid::Uuid::from_u64_pair(9, 9);
        let at = d.row.observed_at;
        let file = AttachedFile {
            sha256: "b4".repeat(32),
            file_name: "整改照片.jpg".into(),
            size: 1024,
        };
        let steps = [
            Decision::MarkRectified {
                note: "已调整考勤制度".into(),
                evidence: Some(vec![file.clone()]),
            },
            Decision::RequireRectification {
                deadline: "2026-12-31".parse().unwrap(),
                rejected: Some(Rejection {
                    checked: Checked::Report,
                    reason: "照片与现场不符".into(),
                }),
            },
            Decision::MarkRectified {
                note: "已重新张贴制度".into(),
                evidence: None,
            },
            Decision::VerifyRectification {
                checked: Some(Checked::Recheck { visit_id }),
            },
            Decision::Appeal {
                reason: "当日系外出办事".into(),
                evidence: Some(vec![file]),
            },
            Decision::DecideAppeal {
                upheld: false,
                reason: "无外出登记".into(),
            },
        ];
        for (i, decision) in steps.into_iter().enumerate() {
            let days = 4 + i as i64;
            d.history.decisions.push((
                ReviewRecord {
                    finding_id: d.row.finding_id,
                    reviewer: "赵科长".into(),
                    decision: decision.clone(),
                    follows: None,
                    reason: None,
                },
                DatedDecision {
                    event_id: format!("{i}f").repeat(32),
                    claimed_time: at + jiff::SignedDuration::from_hours(24 * days),
                    decision,
                },
                "e2".repeat(32),
            ));
        }
        d.rechecks = vec![(visit_id, "2026-11-25T02:00:00Z".into())];
        super::tests::answer(&mut state, ReviewReply::Detail(Box::new(d)));
        feed(
            &mut state,
            [
                code(KeyCode::Tab),
                code(KeyCode::PageDown),
                code(KeyCode::PageDown),
                code(KeyCode::PageDown),
                code(KeyCode::PageDown),
            ],
        );
        state
    });
}

/// Sorted by a narrow column (the inspector, 6 cells at 80 columns), its
/// header still shows the sort sign.
#[test]
fn snapshot_a_narrow_sorted_column() {
    check("review_sorted_narrow", |lang, size| {
        let mut state = opened(lang, size);
        feed(&mut state, vec![key('s'); 6]);
        assert_eq!(
            review(&state).sort.key,
            anfang_ledger::review_query::SortKey::Inspector
        );
        state
    });
}
