//! Status never goes back silently: a decision that would move a finding
//! back asks first in a pop-up naming what changes, records the reason
//! typed there with the decision, and Esc records nothing and says so.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::fixtures::row;
use super::tests::{check, code, feed, key, opened, review, typed};
use super::*;
use crate::state::{State, Status};
use anfang_core::Lang;
use anfang_core::review::ReviewStatus;
use crossterm::event::KeyCode;

/// The review screen with a verified finding selected (fixture row 5).
fn on_verified(lang: Lang, size: (u16, u16)) -> State {
    let mut state = opened(lang, size);
    feed(&mut state, vec![code(KeyCode::Down); 5]);
    assert_eq!(
        review(&state).window.current().unwrap().status(),
        ReviewStatus::Verified
    );
    state
}

#[test]
fn confirming_a_verified_finding_asks_why_and_records_the_reason() {
    let mut state = on_verified(Lang::Zh, (80, 24));
    let effects = feed(&mut state, [key('c')]);
    assert!(effects.is_empty());
    let Mode::GoBack(form) = &review(&state).mode else {
        panic!("no question: {:?}", review(&state).mode);
    };
    assert_eq!(
        (form.from, form.to),
        (ReviewStatus::Verified, ReviewStatus::Confirmed)
    );
    // No reason, no going on.
    feed(&mut state, [code(KeyCode::Enter)]);
    let Mode::GoBack(form) = &review(&state).mode else {
        panic!("the question closed without a reason");
    };
    assert!(form.error.as_deref().unwrap().contains("理由"));
    let mut events = typed("复查发现仍未整改到位");
    events.push(code(KeyCode::Enter));
    feed(&mut state, events);
    assert!(matches!(review(&state).mode, Mode::Decide(_)));
    let effects = feed(&mut state, [code(KeyCode::Enter)]);
    assert_eq!(
        effects,
        [Effect::Review(ReviewEffect::Decide {
            finding_id: row(5).finding_id,
            reviewer: "王主任".into(),
            decision: anfang_core::review::Decision::Confirm { points: None },
            reason: Some("复查发现仍未整改到位".into()),
        })]
    );
}

#[test]
fn esc_records_nothing_and_says_so() {
    let mut state = on_verified(Lang::En, (80, 24));
    feed(&mut state, [key('c')]);
    feed(&mut state, typed("changed my mind"));
    let effects = feed(&mut state, [code(KeyCode::Esc)]);
    assert!(effects.is_empty());
    assert!(matches!(review(&state).mode, Mode::Table));
    assert_eq!(
        state.status,
        Some(Status::Info(
            "Nothing recorded: the finding is still verified.".into()
        ))
    );
}

#[test]
fn moving_on_asks_nothing() {
    let mut state = opened(Lang::Zh, (80, 24));
    // Row 0 is pending: confirming it is the next step.
    feed(&mut state, [key('c')]);
    assert!(matches!(review(&state).mode, Mode::Decide(_)));
    // Row 3 is under rectification: a new deadline is no step back.
    let mut state = opened(Lang::Zh, (80, 24));
    feed(&mut state, vec![code(KeyCode::Down); 3]);
    feed(&mut state, [key('r')]);
    assert!(matches!(review(&state).mode, Mode::Decide(_)));
    // Dismissing it withdraws the order: asked.
    feed(&mut state, [code(KeyCode::Esc), key('x')]);
    assert!(matches!(review(&state).mode, Mode::GoBack(_)));
}

#[test]
fn snapshot_go_back_question() {
    check("review_go_back", |lang, size| {
        let mut state = on_verified(lang, size);
        feed(&mut state, [key('c')]);
        feed(&mut state, typed("复查未通过"));
        state
    });
}

// ---- the runtime against a real ledger

mod runtime {
    use super::super::tests::runtime::{app, decisions_of, ledger_with_findings, run};
    use super::super::tests::{code, key, review, typed};
    use crate::action::Action;
    use crate::state::Status;
    use anfang_core::review::{Decision, ReviewStatus};
    use crossterm::event::KeyCode;

    #[test]
    fn going_back_is_signed_with_its_reason_and_esc_signs_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(ledger_with_findings(dir.path(), 2));
        app.dispatch(Action::Resize(80, 24));
        run(&mut app, vec![key('r')]);
        let finding_id = review(&app.state).window.current().unwrap().finding_id;
        let history = |app: &crate::runtime::App| decisions_of(app, finding_id);
        let status =
            |app: &crate::runtime::App| review(&app.state).window.current().unwrap().status();
        // Confirming a pending finding moves it on: no question.
        run(&mut app, vec![key('c'), code(KeyCode::Enter)]);
        assert_eq!(status(&app), ReviewStatus::Confirmed);
        assert_eq!(history(&app)[0].0.reason, None);

        // Dismissing it now takes it back: the reason first, then the dismissal's own.
        let mut events = vec![key('x')];
        events.extend(typed("申诉成立"));
        events.push(code(KeyCode::Enter));
        events.extend(typed("当日请假，有假条"));
        events.push(code(KeyCode::Enter));
        run(&mut app, events);
        assert_eq!(status(&app), ReviewStatus::Dismissed);
        let signed = history(&app);
        assert_eq!(signed.len(), 2);
        assert_eq!(signed[1].0.reason.as_deref(), Some("申诉成立"));
        assert!(matches!(signed[1].0.decision, Decision::Dismiss { .. }));

        // `c` on the dismissed finding asks; Esc records nothing and says so.
        run(&mut app, vec![key('c')]);
        run(&mut app, typed("误驳回"));
        run(&mut app, vec![code(KeyCode::Esc)]);
        assert_eq!(history(&app).len(), 2);
        assert_eq!(status(&app), ReviewStatus::Dismissed);
        assert_eq!(
            app.state.status,
            Some(Status::Info("未记录任何决定：状态仍为已驳回。".into()))
        );

        // Asked again and answered: confirmed, with the reason signed.
        let mut events = vec![key('c')];
        events.extend(typed("假条系事后补开"));
        events.extend([code(KeyCode::Enter), code(KeyCode::Enter)]);
        run(&mut app, events);
        assert_eq!(status(&app), ReviewStatus::Confirmed);
        let signed = history(&app);
        assert_eq!(signed.len(), 3);
        assert_eq!(signed[2].0.reason.as_deref(), Some("假条系事后补开"));
    }
}
