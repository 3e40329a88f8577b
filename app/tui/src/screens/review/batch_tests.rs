//! Deciding in batches: `C` reads the selected finding's visit's pending
//! findings, a pop-up shows their count and points, Enter confirms each with
//! its own signed decision; refusals are counted and named.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::batch::BatchForm;
use super::fixtures::row;
use super::tests::{answer, check, code, feed, key, opened, review};
use super::*;
use crate::state::{State, Status};
use anfang_core::{Lang, Points};
use crossterm::event::KeyCode;

/// The review screen asked to confirm visit 0's three pending findings.
fn asked(lang: Lang, size: (u16, u16)) -> State {
    let mut state = opened(lang, size);
    let effects = feed(&mut state, [key('C')]);
    let visit_id = row(0).visit_id;
    assert_eq!(
        effects,
        [Effect::Review(ReviewEffect::VisitPending(visit_id))]
    );
    let findings = (0..3u64)
        .map(|i| (uuid::Uuid::from_u64_pair(9, i), Points::whole(i as i64 + 1)))
        .collect();
    answer(&mut state, ReviewReply::VisitPending { visit_id, findings });
    state
}

#[test]
fn enter_confirms_each_pending_finding_of_the_visit() {
    let mut state = asked(Lang::Zh, (80, 24));
    let Mode::Batch(form) = &review(&state).mode else {
        panic!("no question");
    };
    assert_eq!((form.findings.len(), form.total()), (3, Points::whole(6)));
    let effects = feed(&mut state, [code(KeyCode::Enter)]);
    assert_eq!(
        effects,
        [Effect::Review(ReviewEffect::ConfirmEach {
            finding_ids: (0..3u64).map(|i| uuid::Uuid::from_u64_pair(9, i)).collect(),
            reviewer: "王主任".into(),
        })]
    );
    assert!(matches!(review(&state).mode, Mode::Table));
}

#[test]
fn esc_confirms_nothing_and_no_pending_is_said() {
    let mut state = asked(Lang::En, (80, 24));
    assert!(feed(&mut state, [code(KeyCode::Esc)]).is_empty());
    assert_eq!(state.status, Some(Status::Info("Nothing recorded.".into())));
    let visit_id = row(0).visit_id;
    answer(
        &mut state,
        ReviewReply::VisitPending {
            visit_id,
            findings: Vec::new(),
        },
    );
    assert!(matches!(review(&state).mode, Mode::Table));
    assert_eq!(
        state.status,
        Some(Status::Info("This visit has no pending findings.".into()))
    );
}

#[test]
fn refusals_are_counted_and_named() {
    let outcome = anfang_ledger::BatchOutcome {
        confirmed: vec![uuid::Uuid::from_u64_pair(9, 0)],
        refused: vec![(
            uuid::Uuid::from_u64_pair(9, 1),
            anfang_core::label::Label::new(
                "张伟 不得审核其参与的检查",
                "张伟 may not review a visit they were on",
            ),
        )],
    };
    assert_eq!(
        batch::outcome_status(&outcome, Lang::Zh),
        Status::Error("已确认 1 项；1 项未记录：张伟 不得审核其参与的检查".into())
    );
    let form = BatchForm {
        visit_id: uuid::Uuid::nil(),
        about: String::new(),
        findings: Vec::new(),
    };
    assert_eq!(form.total(), Points::ZERO);
}

#[test]
fn snapshot_batch_question() {
    check("review_batch", asked);
}

// ---- the runtime against a real ledger

mod runtime {
    use super::super::tests::runtime::{app, decisions_of, ledger_with_findings, run};
    use super::super::tests::{code, key, review};
    use crate::action::Action;
    use crate::state::Status;
    use anfang_core::review::{Decision, Follows, ReviewStatus};
    use crossterm::event::KeyCode;

    #[test]
    fn one_key_writes_one_signed_decision_per_finding() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(ledger_with_findings(dir.path(), 4));
        app.dispatch(Action::Resize(80, 24));
        run(&mut app, vec![key('r')]);
        // One already confirmed: the batch takes the other three.
        run(&mut app, vec![key('c'), code(KeyCode::Enter)]);
        let first = review(&app.state).window.rows[0].finding_id;
        let first_head = decisions_of(&app, first)[0].1.event_id.clone();
        run(&mut app, vec![code(KeyCode::Down), key('C')]);
        let super::Mode::Batch(form) = &review(&app.state).mode else {
            panic!("no question: {:?}", app.state.status);
        };
        assert_eq!(form.findings.len(), 3);
        assert_eq!(form.total(), anfang_core::Points::whole(3));
        run(&mut app, vec![code(KeyCode::Enter)]);
        assert_eq!(
            app.state.status,
            Some(Status::Info("已确认 3 项，每项一条签名决定。".into()))
        );
        let device = app.ledger().device_id().to_string();
        let rows = review(&app.state).window.rows.clone();
        assert!(rows.iter().all(|r| r.status() == ReviewStatus::Confirmed));
        for row in &rows {
            let signed = decisions_of(&app, row.finding_id);
            assert_eq!(signed.len(), 1, "one event each");
            let (record, _, by) = &signed[0];
            assert_eq!(record.decision, Decision::Confirm { points: None });
            assert_eq!(record.follows, Some(Follows::First));
            assert_eq!(by, &device);
        }
        // The one confirmed alone keeps its single decision.
        assert_eq!(decisions_of(&app, first)[0].1.event_id, first_head);
    }
}
