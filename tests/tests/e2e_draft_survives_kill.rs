//! What is typed survives SIGKILL: the real binary in a real terminal is
//! killed at random moments while a finding's note is being typed, 100
//! times; after each restart the editor is back with everything typed up to
//! a second before the kill (the draft is written within a second), and
//! typing goes on from there. Seeded, so a failure can be replayed.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use anfang_tests::Term;
use std::time::{Duration, Instant};

const KILLS: usize = 100;
const SEED: u64 = 0x1414_d4af;
/// What may be lost: the typing of the last second before a kill.
const GRACE: Duration = Duration::from_secs(1);
/// Notes are saved and a new one started past this length, and a round
/// types no further than `NOTE_ROW`, so each note stays on one screen row
/// (116 cells inside the box at 120 columns) and the screen can be read back.
const NOTE_MAX: usize = 60;
const NOTE_ROW: usize = 110;
const ESC: &str = "\x1b";
const CTRL_S: &str = "\x13";
const TITLE: &str = "Record: Late arrival";

/// The draft's note as the app wrote it.
fn draft_note(dir: &std::path::Path) -> String {
    let text = std::fs::read_to_string(dir.join("draft.json")).expect("a draft on disk");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["draft"]["note"]["text"]
        .as_str()
        .expect("a finding draft with a note")
        .to_string()
}

#[test]
fn sigkill_while_typing_loses_at_most_the_last_second() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap().to_string();
    let args = ["--data-dir", data.as_str(), "--lang", "en"];
    let mut rng = fastrand::Rng::with_seed(SEED);
    let started = Instant::now();

    let mut term = Term::spawn(&args, 120, 30).unwrap();
    term.wait_for("Visits", 30);
    term.send("n");
    term.wait_for("New visit", 10);
    term.send("Tax hall one");
    term.send("\t");
    term.send("tax");
    term.send(CTRL_S);
    term.wait_for("Visit started.", 10);
    term.send("j"); // late arrival
    term.send("v");
    term.wait_for("Evidence note", 10);

    // The note as the app holds it at the start of a round.
    let mut note = String::new();
    let mut saved = Vec::new();
    for round in 0..KILLS {
        // Type bursts of 1 to 4 characters with short random pauses, then
        // kill at a random moment: within a burst or just after one.
        let typing = Duration::from_millis(rng.u64(150..900));
        let begun = Instant::now();
        let mut sent = note.clone();
        // (when a burst was written, the note as sent up to then)
        let mut log: Vec<(Instant, String)> = vec![(begun, note.clone())];
        while begun.elapsed() < typing && sent.len() + 4 <= NOTE_ROW {
            let burst: String = (0..rng.usize(1..=4))
                .map(|_| rng.alphanumeric().to_ascii_lowercase())
                .collect();
            term.type_now(&burst);
            sent.push_str(&burst);
            log.push((Instant::now(), sent.clone()));
            std::thread::sleep(Duration::from_millis(rng.u64(0..60)));
        }
        std::thread::sleep(Duration::from_millis(rng.u64(0..100)));
        let killed = Instant::now();
        term.kill9();
        let must_have = log
            .iter()
            .rev()
            .find(|(at, _)| *at + GRACE <= killed)
            .map_or(note.as_str(), |(_, text)| text.as_str())
            .to_string();

        term = Term::spawn(&args, 120, 30).unwrap();
        term.wait_for(TITLE, 30);
        let restored = draft_note(dir.path());
        assert!(
            restored.starts_with(&must_have),
            "round {round}: typed {sent:?}, restored {restored:?}, lost more than the last second \
             (had {must_have:?} a second before the kill)"
        );
        assert!(
            sent.starts_with(&restored),
            "round {round}: restored {restored:?} was never typed ({sent:?})"
        );
        // The editor shows it, the caret at its end (the note starts at column 2).
        term.wait_for(&format!("│{restored}"), 10);
        let deadline = Instant::now() + Duration::from_secs(5);
        while term.cursor().1 != 2 + restored.len() as u16 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(
            term.cursor().1,
            2 + restored.len() as u16,
            "round {round}: caret"
        );
        note = restored;
        if note.len() > NOTE_MAX {
            // Save this one (Esc) and start the next on the same item.
            term.send(ESC);
            term.wait_for("Saved.", 10);
            saved.push(std::mem::take(&mut note));
            term.send("v");
            term.wait_for("Evidence note", 10);
        }
    }

    // The saved notes are findings in the ledger; the last one is a draft.
    term.send(ESC);
    term.wait_for("Saved.", 10);
    saved.push(note);
    term.send("q");
    term.wait_for("Visits", 10);
    term.send("q");
    assert!(term.wait_exit(), "anfang did not exit cleanly after q");
    assert!(
        !dir.path().join("draft.json").exists(),
        "draft left after saving"
    );
    let ledger = anfang_ledger::Ledger::open(dir.path()).unwrap();
    let visits = ledger.home_visits(10).unwrap();
    let visit = ledger.visit(visits[0].visit_id).unwrap().unwrap();
    let mut notes: Vec<String> = visit
        .findings
        .iter()
        .map(|f| f.record.note.clone())
        .collect();
    notes.sort();
    saved.sort();
    assert_eq!(notes, saved);
    eprintln!("{KILLS} kills in {:?}", started.elapsed());
}
