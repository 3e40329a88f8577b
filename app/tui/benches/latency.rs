//! Key to frame while the ledger is busy: key events are fed to the real
//! event loop (`run_loop`, the one `anfang` runs) drawing to a test
//! terminal, and the time from a key being sent to the end of the first
//! frame drawn after it was taken is measured, while
//! (a) bundles from four laptops are merged into the same ledger,
//! (b) 64 MiB evidence files are hashed and stored by the app's worker,
//! (c) another connection holds the ledger's write lock and the app is
//!     asked to write.
//! Keys move on Home and open and leave a visit, so they ask the worker for
//! reads too. Target: 16 ms at p99.
//!
//! Run: `cargo bench -p anfang-tui --bench latency`
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use anfang_core::Lang;
use anfang_core::event::{EventBody, VisitOpened};
use anfang_core::finding::{FindingRecord, FindingResult};
use anfang_core::manifest::ItemRef;
use anfang_core::rule::RuleInput;
use anfang_core::visit::{Unit, VisitKind};
use anfang_ledger::Ledger;
use anfang_plugin_host::Registry;
use anfang_tui::TuiError;
use anfang_tui::effect::Effect;
use anfang_tui::keymap::Keymap;
use anfang_tui::runtime::{App, Events, run_loop};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

const TARGET_MS: f64 = 16.0;
const KEYS: usize = 400;
const KEY_GAP: Duration = Duration::from_millis(15);

fn code(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Keys sent from another thread at a steady pace; each key's latency ends
/// when the loop next asks for input, which it does only after drawing.
struct Script {
    keys: Receiver<(Event, Instant)>,
    next: Option<(Event, Instant)>,
    taken: Vec<Instant>,
    latencies: Vec<f64>,
}

impl Events for Script {
    fn ready(&mut self, wait: Duration) -> Result<bool, TuiError> {
        let drawn = Instant::now();
        for sent in self.taken.drain(..) {
            self.latencies.push((drawn - sent).as_secs_f64() * 1000.0);
        }
        if self.next.is_none() {
            self.next = match self.keys.recv_timeout(wait) {
                Ok(key) => Some(key),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(TuiError::Terminal("script ended".into()));
                }
            };
        }
        Ok(self.next.is_some())
    }

    fn read(&mut self) -> Result<Event, TuiError> {
        let (event, sent) = self.next.take().expect("ready said so");
        self.taken.push(sent);
        Ok(event)
    }
}

fn script() -> Script {
    let (send, keys) = channel();
    std::thread::spawn(move || {
        let cycle = [KeyCode::Down, KeyCode::Enter, KeyCode::Esc, KeyCode::Up];
        for i in 0..KEYS {
            std::thread::sleep(KEY_GAP);
            if send.send((code(cycle[i % 4]), Instant::now())).is_err() {
                return;
            }
        }
    });
    Script {
        keys,
        next: None,
        taken: Vec::new(),
        latencies: Vec::new(),
    }
}

fn opened(unit: &str) -> VisitOpened {
    VisitOpened {
        rechecks: None,
        unit_id: None,
        visit_id: uuid::Uuid::now_v7(),
        unit: Unit {
            name: unit.into(),
            department: "税务".into(),
        },
        kind: VisitKind::Unannounced,
        team: vec!["李督查".into()],
        started_at: jiff::Timestamp::now(),
        checklists: anfang_core::core_checklists::core_manifest().snapshots(),
    }
}

fn violation(visit_id: uuid::Uuid, note: &str) -> FindingRecord {
    let core = anfang_core::core_checklists::core_manifest();
    FindingRecord {
        finding_id: uuid::Uuid::now_v7(),
        visit_id,
        item: ItemRef {
            plugin_id: core.id.clone(),
            plugin_version: core.version.clone(),
            checklist_id: "attendance".into(),
            item_id: "late-arrival".into(),
        },
        result: FindingResult::Violation,
        input: RuleInput {
            count: 1,
            ..RuleInput::default()
        },
        subject: None,
        note: note.into(),
        observed_at: jiff::Timestamp::now(),
        points: anfang_core::Points::whole(1),
        points_by_hand: false,
        supersedes: None,
        source: None,
    }
}

/// A ledger with `visits` visits of `per_visit` findings each.
/// Returns each visit with its first finding.
fn fill(
    ledger: &mut Ledger,
    unit: &str,
    visits: usize,
    per_visit: usize,
) -> Vec<(uuid::Uuid, uuid::Uuid)> {
    let now = jiff::Timestamp::now();
    let mut ids = Vec::new();
    for v in 0..visits {
        let visit = opened(&format!("{unit}{v}"));
        let mut batch = vec![(None, EventBody::VisitOpened(visit.clone()), now)];
        for f in 0..per_visit {
            let record = violation(visit.visit_id, &format!("迟到 {f}"));
            if f == 0 {
                ids.push((visit.visit_id, record.finding_id));
            }
            batch.push((None, EventBody::FindingRecorded(record), now));
        }
        ledger.append_batch(&batch).unwrap();
    }
    ids
}

/// Bundles of four laptops, 2,000 findings each.
fn bundles(root: &Path) -> Vec<PathBuf> {
    (0..4)
        .map(|d| {
            let dir = root.join(format!("laptop{d}"));
            std::fs::create_dir_all(&dir).unwrap();
            let mut ledger = Ledger::open(&dir).unwrap();
            fill(&mut ledger, &format!("笔记本{d}单位"), 40, 50);
            let out = root.join(format!("laptop{d}.anfang"));
            ledger.bundle(&out).unwrap();
            out
        })
        .collect()
}

/// The app on a ledger of 60 visits, as `anfang` starts it.
fn app(dir: &Path) -> (App, Vec<(uuid::Uuid, uuid::Uuid)>) {
    let mut ledger = Ledger::open(dir).unwrap();
    let visits = fill(&mut ledger, "市税务局", 60, 5);
    let mut app = App::new(
        ledger,
        Registry::core_only(),
        Lang::Zh,
        "王检查",
        jiff::tz::TimeZone::UTC,
        Keymap::default_keymap(),
    );
    app.open_files = false;
    // As in the event loop: nothing waits for the worker.
    app.wait_for_answers = false;
    app.dispatch(anfang_tui::action::Action::Resize(120, 40));
    (app, visits)
}

fn report(name: &str, mut latencies: Vec<f64>, during: Duration) {
    latencies.sort_by(f64::total_cmp);
    let at = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize];
    let p99 = at(0.99);
    println!(
        "{name:<44} keys {:>4}  p50 {:>6.2} ms  p99 {:>6.2} ms  max {:>7.2} ms  p99/16 ms {:>5.2}x  (load ran {:.1} s)",
        latencies.len(),
        at(0.5),
        p99,
        at(1.0),
        p99 / TARGET_MS,
        during.as_secs_f64(),
    );
}

fn measure(
    name: &str,
    load: impl FnOnce(&Path, &mut App, &[(uuid::Uuid, uuid::Uuid)]) -> LoadGuard,
) {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("data");
    std::fs::create_dir_all(&dir).unwrap();
    let (mut app, visits) = app(&dir);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let guard = load(root.path(), &mut app, &visits);
    let mut events = script();
    let _ = run_loop(&mut app, &mut terminal, &mut events);
    let during = guard.finish();
    report(name, events.latencies, during);
    app.settle();
}

/// The background load: its thread, joined when measuring ends.
struct LoadGuard {
    started: Instant,
    thread: Option<std::thread::JoinHandle<Duration>>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl LoadGuard {
    fn finish(self) -> Duration {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        match self.thread {
            Some(thread) => thread.join().unwrap(),
            None => self.started.elapsed(),
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !args.iter().any(|a| a == "--bench") {
        return;
    }
    let stop = || std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    measure("idle (nothing else running)", |_, _, _| LoadGuard {
        started: Instant::now(),
        thread: None,
        stop: stop(),
    });
    measure("(a) merging 4 bundles of 2,000 findings", |root, _, _| {
        let bundles = bundles(root);
        let dir = root.join("data");
        let flag = stop();
        let stopping = flag.clone();
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            let mut ledger = Ledger::open(&dir).unwrap();
            for bundle in &bundles {
                if stopping.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                ledger.merge(bundle, &mut |_| {}).unwrap();
            }
            started.elapsed()
        });
        LoadGuard {
            started: Instant::now(),
            thread: Some(thread),
            stop: flag,
        }
    });
    measure("(b) hashing 64 MiB evidence files", |root, app, visits| {
        let file = root.join("video.mp4");
        let chunk: Vec<u8> = (0..1 << 20)
            .map(|i: u32| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect();
        let mut bytes = Vec::with_capacity(64 << 20);
        for i in 0..64u8 {
            bytes.extend(chunk.iter().map(|b| b ^ i));
        }
        std::fs::write(&file, &bytes).unwrap();
        let (visit_id, finding_id) = visits[0];
        // The worker is kept busy hashing for the whole run.
        for _ in 0..4 {
            app.request(Effect::Attach {
                finding_id,
                visit_id,
                path: file.clone(),
            });
        }
        LoadGuard {
            started: Instant::now(),
            thread: None,
            stop: stop(),
        }
    });
    measure("(c) another connection holds the lock", |root, app, _| {
        let dir = root.join("data");
        let flag = stop();
        let stopping = flag.clone();
        let (held, is_held) = channel();
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            let mut other = Ledger::open(&dir).unwrap();
            let hold = other.hold_write_lock().unwrap();
            held.send(()).unwrap();
            while !stopping.load(std::sync::atomic::Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(5));
            }
            drop(hold);
            started.elapsed()
        });
        is_held.recv().unwrap();
        // The app is asked to write: the worker waits for the lock.
        app.request(Effect::OpenVisit(opened("锁等待单位")));
        LoadGuard {
            started: Instant::now(),
            thread: Some(thread),
            stop: flag,
        }
    });
}
