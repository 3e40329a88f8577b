//! Key to frame while the ledger is busy: key events are fed to the real
//! event loop (`run_loop`, the one `anfang` runs) drawing to a test
//! terminal, and the time from a key being sent to the end of the first
//! frame drawn after it was taken is measured, while
//! (a) bundles from four laptops are merged into the same ledger by the
//!     app's own merge job (as the Merge screen starts it),
//! (b) 64 MiB evidence files are hashed and stored by the app's worker,
//! (c) another connection holds the ledger's write lock and the app is
//!     asked to write.
//! Keys move on Home and open and leave a visit, so they ask the worker for
//! reads too. Target: 16 ms at p99.
//!
//! Each key's time is split into what the interface thread did with it:
//! queued (sent, not yet taken: the loop was busy or asleep), the loop's
//! own work (handling, answers, drawing), and — from the kernel's
//! per-thread scheduler statistics — how much of the whole the thread was
//! on a CPU, waiting for one, or blocked. The slowest keys are listed.
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
use anfang_tui::screens::merge::MergeEffect;
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

/// A thread's scheduler statistics: nanoseconds on a CPU, nanoseconds
/// waiting for one (runnable, not running).
#[derive(Clone, Copy, Default)]
struct Sched {
    on_cpu: u64,
    waiting: u64,
}

fn sched(path: &str) -> Sched {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut fields = text.split_whitespace().map(|f| f.parse().unwrap_or(0));
    Sched {
        on_cpu: fields.next().unwrap_or(0),
        waiting: fields.next().unwrap_or(0),
    }
}

/// The calling thread's statistics file, to be read from any thread.
fn own_sched_path() -> String {
    let me = std::fs::read_link("/proc/thread-self").unwrap();
    format!("/proc/{}/schedstat", me.display())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// One key, from being sent to the frame it led to.
#[derive(Clone, Copy)]
struct Key {
    sent: Instant,
    taken: Instant,
    drawn: Instant,
    /// The interface thread's statistics when the key was sent and drawn.
    at_send: Sched,
    at_draw: Sched,
}

impl Key {
    fn total(&self) -> f64 {
        ms(self.drawn - self.sent)
    }
    fn on_cpu(&self) -> f64 {
        self.at_draw.on_cpu.saturating_sub(self.at_send.on_cpu) as f64 / 1e6
    }
    fn waiting_for_cpu(&self) -> f64 {
        self.at_draw.waiting.saturating_sub(self.at_send.waiting) as f64 / 1e6
    }
}

/// Keys sent from another thread at a steady pace; each key's latency ends
/// when the loop next asks for input, which it does only after drawing.
struct Script {
    keys: Receiver<(Event, Instant, Sched)>,
    next: Option<(Event, Instant, Sched)>,
    taken: Vec<(Instant, Instant, Sched)>,
    done: Vec<Key>,
    own: String,
}

impl Events for Script {
    fn ready(&mut self, wait: Duration) -> Result<bool, TuiError> {
        if !self.taken.is_empty() {
            let drawn = Instant::now();
            let at_draw = sched(&self.own);
            for (sent, taken, at_send) in self.taken.drain(..) {
                self.done.push(Key {
                    sent,
                    taken,
                    drawn,
                    at_send,
                    at_draw,
                });
            }
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
        let (event, sent, at_send) = self.next.take().expect("ready said so");
        self.taken.push((sent, Instant::now(), at_send));
        Ok(event)
    }
}

/// Made on the interface thread: its statistics are the ones read.
fn script() -> Script {
    let own = own_sched_path();
    let interface = own.clone();
    let (send, keys) = channel();
    std::thread::spawn(move || {
        let cycle = [KeyCode::Down, KeyCode::Enter, KeyCode::Esc, KeyCode::Up];
        for i in 0..KEYS {
            std::thread::sleep(KEY_GAP);
            let at_send = sched(&interface);
            if send
                .send((code(cycle[i % 4]), Instant::now(), at_send))
                .is_err()
            {
                return;
            }
        }
    });
    Script {
        keys,
        next: None,
        taken: Vec::new(),
        done: Vec::new(),
        own,
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

/// Bundles of four laptops, 2,000 findings each, and the last visit of
/// the last one (in the ledger once every bundle is merged).
fn bundles(root: &Path) -> (Vec<PathBuf>, uuid::Uuid) {
    let mut last = uuid::Uuid::nil();
    let files = (0..4)
        .map(|d| {
            let dir = root.join(format!("laptop{d}"));
            std::fs::create_dir_all(&dir).unwrap();
            let mut ledger = Ledger::open(&dir).unwrap();
            let visits = fill(&mut ledger, &format!("笔记本{d}单位"), 40, 50);
            last = visits.last().unwrap().0;
            let out = root.join(format!("laptop{d}.anfang"));
            ledger.bundle(&out).unwrap();
            out
        })
        .collect();
    (files, last)
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

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn row(name: &str, keys: &[Key], frames: usize, load: Option<f64>) {
    if keys.is_empty() {
        println!("{name:<48} no keys");
        return;
    }
    let mut totals: Vec<f64> = keys.iter().map(Key::total).collect();
    totals.sort_by(f64::total_cmp);
    let p99 = percentile(&totals, 0.99);
    let load = load.map_or(String::new(), |s| format!("  (load ran {s:.1} s)"));
    let frames = if frames > 0 {
        format!("  frames {frames}")
    } else {
        String::new()
    };
    println!(
        "{name:<48} keys {:>4}  p50 {:>6.2} ms  p99 {:>6.2} ms  max {:>7.2} ms  p99/16 ms {:>5.2}x{frames}{load}",
        totals.len(),
        percentile(&totals, 0.5),
        p99,
        percentile(&totals, 1.0),
        p99 / TARGET_MS,
    );
}

/// Where the slowest keys' time went, and the mean of all.
fn breakdown(keys: &[Key]) {
    let line = |label: &str, total: f64, queued: f64, work: f64, cpu: f64, wait: f64| {
        println!(
            "    {label:<14} total {total:>6.2}  queued {queued:>6.2}  loop work {work:>6.2}  \
             | on CPU {cpu:>6.2}  waiting for a CPU {wait:>6.2}  blocked {:>6.2} ms",
            (total - cpu - wait).max(0.0),
        );
    };
    let mut slowest: Vec<&Key> = keys.iter().collect();
    slowest.sort_by(|a, b| b.total().total_cmp(&a.total()));
    for key in slowest.iter().take(keys.len().div_ceil(100)) {
        line(
            "slow key",
            key.total(),
            ms(key.taken - key.sent),
            ms(key.drawn - key.taken),
            key.on_cpu(),
            key.waiting_for_cpu(),
        );
    }
    let n = keys.len().max(1) as f64;
    let mean = |f: &dyn Fn(&Key) -> f64| keys.iter().map(f).sum::<f64>() / n;
    line(
        "mean of all",
        mean(&Key::total),
        mean(&|k| ms(k.taken - k.sent)),
        mean(&|k| ms(k.drawn - k.taken)),
        mean(&Key::on_cpu),
        mean(&Key::waiting_for_cpu),
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
    let frames = terminal.get_frame().count();
    let (started, ended) = guard.finish();
    let keys = events.done;
    let load = ended.map(|end| ms(end - started) / 1000.0);
    row(name, &keys, frames, load);
    if let Some(end) = ended {
        let during: Vec<Key> = keys.iter().filter(|k| k.sent < end).copied().collect();
        row("    keys sent while the load ran", &during, 0, None);
    }
    breakdown(&keys);
    app.settle();
}

/// The background load, and a thread that notes when it ended.
struct LoadGuard {
    started: Instant,
    thread: Option<std::thread::JoinHandle<Option<Instant>>>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl LoadGuard {
    fn none() -> LoadGuard {
        LoadGuard {
            started: Instant::now(),
            thread: None,
            stop: std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false)),
        }
    }

    /// Watches the ledger in `dir` from another connection until `done`
    /// says the load is over; notes when (checked every 20 ms).
    fn watch(dir: PathBuf, done: impl Fn(&Ledger) -> bool + Send + 'static) -> LoadGuard {
        let mut guard = LoadGuard::none();
        let stopping = guard.stop.clone();
        guard.thread = Some(std::thread::spawn(move || {
            let ledger = Ledger::open(&dir).unwrap();
            while !stopping.load(std::sync::atomic::Ordering::Relaxed) {
                if done(&ledger) {
                    return Some(Instant::now());
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            None
        }));
        guard
    }

    /// When the load started and, if it was seen to, when it ended.
    fn finish(self) -> (Instant, Option<Instant>) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let ended = self.thread.and_then(|t| t.join().unwrap());
        (self.started, ended)
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !args.iter().any(|a| a == "--bench") {
        return;
    }
    measure("idle (nothing else running)", |_, _, _| LoadGuard::none());
    measure("(a) merging 4 bundles of 2,000 findings", |root, app, _| {
        let (bundles, last) = bundles(root);
        // The app's own merge job, as the Merge screen starts it.
        app.request(Effect::Merge(MergeEffect::Run(bundles)));
        LoadGuard::watch(root.join("data"), move |ledger| {
            matches!(ledger.visit(last), Ok(Some(_)))
        })
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
        LoadGuard::watch(root.join("data"), move |ledger| {
            ledger
                .evidence_of(finding_id)
                .is_ok_and(|evidence| evidence.len() >= 4)
        })
    });
    measure("(c) another connection holds the lock", |root, app, _| {
        let dir = root.join("data");
        let mut guard = LoadGuard::none();
        let stopping = guard.stop.clone();
        let (held, is_held) = channel();
        guard.thread = Some(std::thread::spawn(move || {
            let mut other = Ledger::open(&dir).unwrap();
            let hold = other.hold_write_lock().unwrap();
            held.send(()).unwrap();
            while !stopping.load(std::sync::atomic::Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(5));
            }
            drop(hold);
            // Held for the whole run.
            Some(Instant::now())
        }));
        is_held.recv().unwrap();
        // The app is asked to write: the worker waits for the lock.
        app.request(Effect::OpenVisit(opened("锁等待单位")));
        guard
    });
}
