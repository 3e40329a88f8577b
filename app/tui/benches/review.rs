//! Keypress to frame on the review screen with a million findings: the
//! whole path a key takes (keymap, update, the ledger queries it asks for,
//! building the window) and drawing the frame to a test terminal.
//!
//! Run: `cargo bench -p anfang-tui --bench review` (after, or instead of,
//! `cargo bench -p anfang-ledger --bench review`: both use the ledger kept
//! in `target/bench-data/`, generated on first use).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "../../ledger/benches/review_data/mod.rs"]
mod review_data;

use anfang_core::Lang;
use anfang_ledger::Ledger;
use anfang_plugin_host::Registry;
use anfang_tui::keymap::Keymap;
use anfang_tui::runtime::App;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::{Duration, Instant};

fn key(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn code(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

#[derive(Default)]
struct Samples {
    times: Vec<Duration>,
}

impl Samples {
    fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.times.clone();
        sorted.sort();
        sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
    }

    fn print(&self, name: &str) {
        println!(
            "{name:<40} n={:<5} p50 {:>8.2} ms  p99 {:>8.2} ms  max {:>8.2} ms",
            self.times.len(),
            ms(self.percentile(0.5)),
            ms(self.percentile(0.99)),
            ms(self.percentile(1.0)),
        );
    }
}

/// One keypress until its frame is drawn; counts run after, timed apart.
fn press(
    app: &mut App,
    terminal: &mut Terminal<TestBackend>,
    event: Event,
    counts: &mut Samples,
) -> Duration {
    let started = Instant::now();
    app.handle(event);
    app.draw(terminal).unwrap();
    let frame = started.elapsed();
    let started = Instant::now();
    if app.run_deferred() {
        app.draw(terminal).unwrap();
        counts.times.push(started.elapsed());
    }
    frame
}

fn main() {
    let findings = review_data::findings_wanted();
    let path = review_data::ledger_file(findings);
    for (w, h) in [(120u16, 40u16), (80, 24)] {
        println!("\nterminal {w}x{h}, {findings} findings");
        let ledger = Ledger::open_with_key(&path, review_data::key(200)).unwrap();
        let mut app = App::new(
            ledger,
            Registry::core_only(),
            Lang::Zh,
            "王主任",
            jiff::tz::TimeZone::UTC,
            Keymap::default_keymap(),
        );
        app.open_files = false;
        app.defer_counts = true;
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        app.dispatch(anfang_tui::action::Action::Resize(w, h));
        // Every generated visit is unfinished: decline to resume one.
        app.handle(key('n'));
        let mut counts = Samples::default();
        let open = press(&mut app, &mut terminal, key('r'), &mut counts);
        println!(
            "open the review screen: FIRST FRAME {:.2} ms (target < 100 ms)",
            ms(open)
        );

        let mut kinds: Vec<(&str, Samples)> = Vec::new();
        let mut run = |name: &'static str,
                       events: Vec<Event>,
                       app: &mut App,
                       kinds: &mut Vec<(&str, Samples)>| {
            let mut s = Samples::default();
            for e in events {
                s.times.push(press(app, &mut terminal, e, &mut counts));
            }
            kinds.push((name, s));
        };
        run(
            "scroll down",
            vec![code(KeyCode::Down); 300],
            &mut app,
            &mut kinds,
        );
        run(
            "page down",
            vec![code(KeyCode::PageDown); 150],
            &mut app,
            &mut kinds,
        );
        run(
            "page up",
            vec![code(KeyCode::PageUp); 80],
            &mut app,
            &mut kinds,
        );
        run(
            "scroll up",
            vec![code(KeyCode::Up); 100],
            &mut app,
            &mut kinds,
        );
        run(
            "end / home",
            (0..10)
                .map(|i| {
                    if i % 2 == 0 {
                        code(KeyCode::End)
                    } else {
                        code(KeyCode::Home)
                    }
                })
                .collect(),
            &mut app,
            &mut kinds,
        );
        run(
            "sort: next column, reverse",
            (0..16)
                .map(|i| if i % 2 == 0 { key('s') } else { key('S') })
                .collect(),
            &mut app,
            &mut kinds,
        );
        run(
            "overdue only on / off",
            vec![key('!'); 10],
            &mut app,
            &mut kinds,
        );
        let mut searches = Vec::new();
        for words in ["短视频", "首问责任制", "滨江区", "工号0042", "饮酒", "闲聊"]
        {
            searches.push(key('/'));
            searches.extend(words.chars().map(key));
            searches.push(code(KeyCode::Enter));
            searches.extend(vec![code(KeyCode::PageDown); 3]);
        }
        searches.push(key('F'));
        run(
            "search (typing, enter, pages)",
            searches,
            &mut app,
            &mut kinds,
        );
        let mut detail = vec![code(KeyCode::Enter)];
        detail.extend(vec![code(KeyCode::Down); 60]);
        detail.push(code(KeyCode::Enter));
        run("detail pane open, scrolling", detail, &mut app, &mut kinds);
        let mut every = Samples::default();
        for (name, s) in &kinds {
            s.print(name);
            every.times.extend(&s.times);
        }
        every.print("EVERY KEYPRESS (target p99 < 16 ms)");
        counts.print("count in the title, after the frame");
    }
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        println!("load average while measuring: {}", load.trim());
    }
}
