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

/// Events that let the loop wait as long as it asks, `waits` times, then
/// give `keys` one by one, then end the loop.
struct IdleThenKeys {
    waits: usize,
    keys: std::collections::VecDeque<crossterm::event::Event>,
}

impl crate::runtime::Events for IdleThenKeys {
    fn ready(&mut self, wait: std::time::Duration) -> Result<bool, crate::TuiError> {
        if wait.is_zero() {
            return Ok(false);
        }
        if self.waits > 0 {
            self.waits -= 1;
            std::thread::sleep(wait);
            return Ok(false);
        }
        if self.keys.is_empty() {
            return Err(crate::TuiError::Terminal("the script ended".into()));
        }
        Ok(true)
    }

    fn read(&mut self) -> Result<crossterm::event::Event, crate::TuiError> {
        self.keys
            .pop_front()
            .ok_or_else(|| crate::TuiError::Terminal("no key".into()))
    }
}

#[test]
fn the_loop_draws_again_only_when_something_on_screen_changed() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = Ledger::open(dir.path()).unwrap();
    // A clock that stands still: no second passes to show.
    let mut app = crate::runtime::App::with_clock(
        ledger,
        anfang_plugin_host::Registry::core_only(),
        Lang::En,
        "王检查",
        tz(),
        crate::keymap::Keymap::default_keymap(),
        crate::runtime::clock::fixed(now()),
    );
    app.open_files = false;
    let mut other = Ledger::open(dir.path()).unwrap();
    let hold = other.hold_write_lock().unwrap();
    app.wait_for_answers = false;
    let mut typing = vec![key('n')];
    typing.extend(typed("市税务局"));
    typing.push(code(KeyCode::Tab));
    typing.extend(typed("税务"));
    typing.push(ctrl('s'));
    run(&mut app, typing);
    assert!(app.awaiting(), "the worker waits for the lock");

    // Awaiting an answer, the loop looks for it every 10 ms: fifty times
    // here, and nothing is drawn again for that. One key then gives one
    // frame, which shows it.
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut events = IdleThenKeys {
        waits: 50,
        keys: typed("局").into(),
    };
    let ended = crate::runtime::run_loop(&mut app, &mut terminal, &mut events);
    assert!(ended.is_err(), "the script ends the loop");
    assert!(app.awaiting(), "the lock is still held");
    // The first frame, the key's, and at most two for the form's draft
    // (written on a tick, then its answer): not one per wake-up.
    let frames = terminal.get_frame().count();
    assert!((2..=4).contains(&frames), "{frames} frames");
    let frame = frame_text(&terminal);
    assert!(frame.contains("税务局"), "{frame}");

    drop(hold);
    app.settle();
    assert!(matches!(app.state.screen(), Screen::Visit(_)));
}
