//! Crash safety: SIGKILL at random moments while recording and while
//! merging, then check that SQLite's integrity check passes, every event
//! acknowledged before the kill is there, and a merge is wholly in or out.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anfang_ledger::{DeviceKey, Ledger};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const WRITER: &str = env!("CARGO_BIN_EXE_ledger-writer");
const RECORD_KILLS: usize = 60;
const MERGE_KILLS: usize = 60;

/// A small deterministic generator: the kill moments are random but replayable.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn key(n: u8) -> DeviceKey {
    DeviceKey::from_seed([n; 32])
}

/// Starts the writer and forwards its stdout lines through a channel.
fn spawn(args: &[&str]) -> (Child, mpsc::Receiver<String>) {
    let mut child = Command::new(WRITER)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

fn kill9(child: &mut Child) {
    // std's kill sends SIGKILL on Unix.
    let _ = child.kill();
    let _ = child.wait();
}

fn run(args: &[&str]) {
    let status = Command::new(WRITER).args(args).status().unwrap();
    assert!(status.success(), "ledger-writer {args:?} failed");
}

fn event_ids(l: &Ledger) -> std::collections::HashSet<String> {
    l.content_dump()
        .unwrap()
        .lines()
        .skip(1)
        .take_while(|line| !line.starts_with("## "))
        .filter_map(|line| line.split('\t').next().map(str::to_string))
        .collect()
}

#[test]
fn killed_while_recording_loses_nothing_acknowledged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let path_text = path.to_str().unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut acknowledged: Vec<String> = Vec::new();
    for round in 0..RECORD_KILLS {
        let (mut child, lines) = spawn(&["record", path_text, "5"]);
        std::thread::sleep(Duration::from_millis(10 + rng.below(120)));
        kill9(&mut child);
        let acked_now: Vec<String> = lines.iter().collect();
        acknowledged.extend(acked_now);
        let l = Ledger::open_with_key(&path, key(5)).unwrap();
        assert_eq!(
            l.integrity_check().unwrap(),
            Vec::<String>::new(),
            "round {round}"
        );
        let ids = event_ids(&l);
        for id in &acknowledged {
            assert!(
                ids.contains(id),
                "round {round}: acknowledged event {id} lost"
            );
        }
        // At most the one event in flight when the kill came is there unacknowledged.
        assert!(
            ids.len() <= acknowledged.len() + RECORD_KILLS,
            "round {round}"
        );
    }
    assert!(
        acknowledged.len() > RECORD_KILLS,
        "the writer hardly wrote: {}",
        acknowledged.len()
    );
    let l = Ledger::open_with_key(&path, key(5)).unwrap();
    let report = l.verify(true).unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

fn dumps(path: &Path) -> (String, String, u64) {
    let l = Ledger::open_with_key(path, key(200)).unwrap();
    assert_eq!(l.integrity_check().unwrap(), Vec::<String>::new());
    (
        l.derived_dump().unwrap(),
        l.content_dump().unwrap(),
        l.event_count().unwrap(),
    )
}

#[test]
fn killed_while_merging_leaves_the_merge_wholly_in_or_out() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = |name: &str| d.join(name).to_str().unwrap().to_string();
    // The bundle to merge: one laptop's 800 events.
    run(&[
        "make-bundle",
        &text("laptop.sqlite"),
        "7",
        "800",
        &text("laptop.bundle"),
    ]);
    // The office ledger before the merge: another laptop's events already in.
    run(&[
        "make-bundle",
        &text("other.sqlite"),
        "9",
        "200",
        &text("other.bundle"),
    ]);
    run(&["merge", &text("base.sqlite"), &text("other.bundle")]);
    let out = dumps(&d.join("base.sqlite"));
    // The same merge run to the end, timed, gives the "wholly in" state.
    std::fs::copy(d.join("base.sqlite"), d.join("full.sqlite")).unwrap();
    let started = Instant::now();
    run(&["merge", &text("full.sqlite"), &text("laptop.bundle")]);
    let took = started.elapsed();
    let whole = dumps(&d.join("full.sqlite"));
    assert_eq!(whole.2, out.2 + 800);

    let mut rng = Rng(0xdead_beef_cafe_f00d);
    let (mut ins, mut outs, mut mid_merge) = (0, 0, 0);
    let window = took.as_millis() as u64 + 50;
    eprintln!("uninterrupted merge took {took:?}");
    for round in 0..MERGE_KILLS {
        let target = d.join("target.sqlite");
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
        }
        std::fs::copy(d.join("base.sqlite"), &target).unwrap();
        let (mut child, lines) =
            spawn(&["merge", target.to_str().unwrap(), &text("laptop.bundle")]);
        // Wait until the ledger is open and the merge has begun, then kill at a random moment.
        assert_eq!(
            lines.recv_timeout(Duration::from_secs(30)).unwrap(),
            "start"
        );
        std::thread::sleep(Duration::from_millis(rng.below(window)));
        kill9(&mut child);
        let finished = lines.iter().any(|l| l.starts_with("merged"));
        if !finished {
            mid_merge += 1;
        }
        let now = dumps(&target);
        if now == whole {
            ins += 1;
        } else if now == out {
            outs += 1;
            assert!(
                !finished,
                "round {round}: merge reported done but is not in the ledger"
            );
        } else {
            panic!(
                "round {round}: the ledger holds {} events, neither {} nor {}",
                now.2, out.2, whole.2
            );
        }
    }
    assert_eq!(ins + outs, MERGE_KILLS);
    assert!(
        mid_merge >= 10,
        "only {mid_merge} kills landed during a merge"
    );
    assert!(
        outs >= 5 && ins >= 5,
        "in {ins}, out {outs}: kills did not spread over the merge"
    );
}
