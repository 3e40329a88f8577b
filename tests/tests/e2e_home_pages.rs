//! Home through the real binary in a real (pseudo-)terminal: a ledger of
//! more visits than one page holds, and End twice reaches the oldest visit,
//! read from the ledger as the next page is asked for.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use anfang_tests::{Term, anfang_bin};
use std::process::Command;

const VISITS: &str = "700";

#[test]
fn end_reaches_the_oldest_visit_past_the_first_page() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap().to_string();
    let demo = Command::new(anfang_bin())
        .args([
            "--data-dir",
            &data,
            "demo",
            "--visits",
            VISITS,
            "--seed",
            "5",
        ])
        .output()
        .unwrap();
    assert!(demo.status.success(), "{demo:?}");

    // What the last row must show, read from the ledger: Home lists
    // unfinished visits first, then the newest; the last is the oldest.
    let ledger = anfang_ledger::Ledger::open(dir.path()).unwrap();
    let visits = ledger.home_visits(10_000).unwrap();
    drop(ledger);
    assert_eq!(visits.len(), 700, "demo visits");
    assert!(visits.len() > 500, "more visits than one page of Home");
    let oldest = visits.last().unwrap();
    let started = jiff::tz::TimeZone::UTC
        .to_datetime(oldest.started_at)
        .strftime("%m-%d %H:%M")
        .to_string();
    let unit = oldest.unit.name.clone();
    let shows_oldest = |screen: &str| {
        screen
            .lines()
            .any(|line| line.contains(&started) && line.contains(&unit))
    };

    let args = ["--data-dir", data.as_str(), "--lang", "en"];
    let mut term = Term::spawn_with_env(&args, &[("TZ", "UTC")], 100, 30).unwrap();
    // The first row and any offer to resume an unfinished visit arrive
    // together; dismiss the offer.
    term.wait_for(&visits[0].unit.name, 20);
    if term.screen().contains("Resume it?") {
        term.send("n");
    }
    assert!(!shows_oldest(&term.screen()), "{}", term.screen());
    term.send("\x1b[F"); // End: the last row read so far asks for the next page
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !shows_oldest(&term.screen()) {
        assert!(
            std::time::Instant::now() < deadline,
            "the oldest visit ({started} {unit}) never showed:\n{}",
            term.screen()
        );
        term.send("\x1b[F");
    }
    term.send("q");
    assert!(term.wait_exit(), "anfang did not exit cleanly after q");
}
