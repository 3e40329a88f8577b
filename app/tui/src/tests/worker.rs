//! The worker owns the ledger: while it waits for a lock another program
//! holds, the interface keeps taking keys and drawing, shows that a result
//! is awaited, and the effect goes through once the lock is let go.

use super::fixtures::*;
use super::runtime::{app, run};
use crate::state::Screen;
use anfang_core::Lang;
use anfang_ledger::Ledger;
use crossterm::event::KeyCode;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn frame_text(terminal: &Terminal<TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .map(|y| row_text(buffer, y))
        .collect::<Vec<_>>()
        .join("\n")
}

fn department(app: &crate::runtime::App) -> String {
    match app.state.screen() {
        Screen::NewVisit(form) => crate::widgets::field::text(&form.department),
        other => panic!("expected the new-visit form, got {other:?}"),
    }
}

#[test]
fn keys_are_answered_and_frames_drawn_while_the_worker_waits_for_another_programs_lock() {
    for (lang, marker) in [(Lang::En, "working…"), (Lang::Zh, "处理中…")] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app(dir.path(), lang);
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        // Another program's connection to the same ledger takes the lock.
        let mut other = Ledger::open(dir.path()).unwrap();
        let hold = other.hold_write_lock().unwrap();
        app.wait_for_answers = false;

        let mut events = vec![key('n')];
        events.extend(typed("市税务局"));
        events.push(code(KeyCode::Tab));
        events.extend(typed("税务"));
        events.push(ctrl('s'));
        run(&mut app, events);
        // The visit is being written: the worker waits for the lock.
        assert!(app.awaiting());
        app.draw(&mut terminal).unwrap();
        assert!(
            frame_text(&terminal).contains(marker),
            "{}",
            frame_text(&terminal)
        );

        // Keys still change the state, and the frame shows them at once.
        run(&mut app, typed("局"));
        app.pump();
        app.draw(&mut terminal).unwrap();
        assert_eq!(department(&app), "税务局");
        let frame = frame_text(&terminal);
        assert!(frame.contains("税务局"), "{frame}");
        assert!(app.awaiting(), "the lock is still held");

        // Let go: the visit is written and shown.
        drop(hold);
        app.settle();
        assert!(!app.awaiting());
        assert!(matches!(app.state.screen(), Screen::Visit(_)));
        let visits = app.ledger().home_visits(10).unwrap();
        assert_eq!(visits.len(), 1);
        assert_eq!(visits[0].unit.name, "市税务局");
        app.draw(&mut terminal).unwrap();
        assert!(!frame_text(&terminal).contains(marker));
    }
}
