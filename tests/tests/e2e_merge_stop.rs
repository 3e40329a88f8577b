//! The Merge screen through the real binary in a real (pseudo-)terminal:
//! three laptops' bundles chosen from a folder, the merge stopped with Esc
//! while it runs. Every bundle the screen calls merged must be wholly in the
//! ledger and every bundle from the one it stopped at wholly out: merging
//! all three again from the command line then adds nothing for the first
//! and every event for the rest, and the ledger verifies.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use anfang_tests::{Term, anfang_bin};
use std::path::Path;
use std::process::Command;

const CTRL_S: &str = "\x13";
const ESC: &str = "\x1b";
const LAPTOPS: [&str; 3] = ["l1", "l2", "l3"];

/// Runs the CLI on `data` and returns its standard output; panics on failure.
fn anfang(data: &Path, args: &[&str]) -> String {
    let out = Command::new(anfang_bin())
        .arg("--data-dir")
        .arg(data)
        .args(["--lang", "en"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "anfang {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// From a CLI merge report, each file's (events in bundle, new events).
fn merge_counts(report: &str, laptop: &str) -> (u64, u64) {
    let marker = format!("{laptop}.bundle: ");
    // "…/l1.bundle: 8123 events in bundle, 0 new events, …"
    let counts = report
        .lines()
        .find_map(|line| line.split_once(&marker).map(|(_, rest)| rest))
        .unwrap_or_else(|| panic!("no line for {laptop} in:\n{report}"));
    let numbers: Vec<u64> = counts
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|word| word.parse().ok())
        .collect();
    (numbers[0], numbers[1])
}

#[test]
fn a_merge_stopped_with_esc_leaves_each_bundle_wholly_in_or_out() {
    let dir = tempfile::tempdir().unwrap();
    let bundles = dir.path().join("bundles");
    std::fs::create_dir(&bundles).unwrap();
    for (seed, laptop) in LAPTOPS.iter().enumerate() {
        let data = dir.path().join(laptop);
        // Large enough that a merge takes a while in a debug build.
        anfang(
            &data,
            &["demo", "--visits", "800", "--seed", &seed.to_string()],
        );
        let out = bundles.join(format!("{laptop}.bundle"));
        anfang(&data, &["bundle", "--out", out.to_str().unwrap()]);
    }

    let office = dir.path().join("office");
    let office_arg = office.to_str().unwrap();
    let mut term = Term::spawn(&["--data-dir", office_arg, "--lang", "en"], 100, 30).unwrap();
    term.wait_for("Visits", 20);
    term.send("m");
    term.wait_for("Bundle or folder", 10);
    term.send(bundles.to_str().unwrap());
    term.send("\r");
    term.wait_for("3 file(s) chosen", 10);
    term.send(CTRL_S);
    // Stop once events are going in, so the bundle under way has written
    // some and must roll them back.
    term.wait_for("events ", 30);
    term.send(ESC);
    term.wait_for("Stopped: ", 60);
    let screen = term.screen();
    let stopped = screen
        .lines()
        .find(|line| line.contains("Stopped: "))
        .unwrap()
        .to_string();
    let stopped_at = LAPTOPS
        .iter()
        .position(|laptop| stopped.contains(&format!("from {laptop}.bundle on")))
        .unwrap_or_else(|| panic!("no stopping file in {stopped:?}"));
    assert!(
        stopped.contains(&format!("Stopped: {stopped_at} merged, 0 refused")),
        "{stopped:?}"
    );
    term.send("q");
    term.wait_for("Visits", 10);
    term.send("q");
    assert!(term.wait_exit(), "anfang did not exit cleanly after q");

    let paths: Vec<String> = LAPTOPS
        .iter()
        .map(|laptop| {
            bundles
                .join(format!("{laptop}.bundle"))
                .to_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let mut args = vec!["merge"];
    args.extend(paths.iter().map(String::as_str));
    let report = anfang(&office, &args);
    for (index, laptop) in LAPTOPS.iter().enumerate() {
        let (events, new) = merge_counts(&report, laptop);
        assert!(events > 1000, "{laptop}: only {events} events");
        let expected = if index < stopped_at { 0 } else { events };
        assert_eq!(
            new, expected,
            "{laptop} after stopping at {stopped_at}:\n{report}"
        );
    }
    anfang(&office, &["verify", "--full"]);
}
