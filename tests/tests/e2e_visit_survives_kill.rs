//! An inspector's visit through the real binary in a real (pseudo-)terminal:
//! start a visit, record two violations with Chinese notes, get killed with
//! SIGKILL, restart, resume, and find both findings intact.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use anfang_tests::Term;
use unicode_width::UnicodeWidthStr;

const ESC: &str = "\x1b";
const CTRL_S: &str = "\x13";
const NOTE_1: &str = "8:30上班，8:47才到岗，未请假。";
const NOTE_2: &str = "16:40即离开办公室，去向牌空白。";

fn record_violation(term: &mut Term, note: &str) {
    term.send("v");
    term.wait_for("Evidence note", 10);
    term.send(note);
    term.wait_for(note, 10);
    // The terminal cursor stands at the caret in display cells, where an
    // input method puts its candidate window: "│" at column 1, text from 2.
    let (_, col) = term.cursor();
    assert_eq!(
        usize::from(col),
        2 + note.width(),
        "caret column for {note:?}"
    );
    // Leaving the editor saves; there is no separate save step.
    term.send(ESC);
    term.wait_for("Saved.", 10);
}

#[test]
fn findings_shown_as_saved_survive_sigkill_and_resume() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap().to_string();
    let args = ["--data-dir", data.as_str(), "--lang", "en"];

    let mut term = Term::spawn(&args, 100, 30).unwrap();
    term.wait_for("Visits", 20);
    term.send("n");
    term.wait_for("New visit", 10);
    term.send("市税务局第一税务分局办税服务厅");
    term.send("\t");
    term.send("税务");
    term.send(CTRL_S);
    term.wait_for("Visit started.", 10);

    term.send("j"); // late arrival
    record_violation(&mut term, NOTE_1);
    term.send("j"); // early leave
    record_violation(&mut term, NOTE_2);
    term.wait_for("Deducted 2", 10);

    // A crash or power loss: no chance to close anything.
    term.kill9();

    let mut term = Term::spawn(&args, 100, 30).unwrap();
    term.wait_for("Resume it?", 20);
    term.send("y");
    term.wait_for("Deducted 2 (2 viol.)", 10);
    term.send("j"); // late arrival: its note shows in the detail pane
    term.wait_for(NOTE_1, 10);
    term.send("j");
    term.wait_for(NOTE_2, 10);
    term.send("q");
    term.wait_for("Visits", 10);
    term.send("q");
    assert!(term.wait_exit(), "anfang did not exit cleanly after q");

    // And the ledger itself holds both findings, notes intact.
    let ledger = anfang_ledger::Ledger::open(dir.path()).unwrap();
    let visits = ledger.home_visits(10).unwrap();
    assert_eq!(visits.len(), 1);
    assert!(visits[0].closed_at.is_none());
    let visit = ledger.visit(visits[0].visit_id).unwrap().unwrap();
    let mut notes: Vec<_> = visit
        .findings
        .iter()
        .map(|f| f.record.note.clone())
        .collect();
    notes.sort();
    let mut expected = vec![NOTE_2.to_string(), NOTE_1.to_string()];
    expected.sort();
    assert_eq!(notes, expected);
}

#[test]
fn sigterm_restores_the_terminal_and_exits() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap().to_string();
    let mut term = Term::spawn(&["--data-dir", data.as_str(), "--lang", "zh-CN"], 80, 24).unwrap();
    term.wait_for("检查记录", 20);
    let pid = term.pid().unwrap();
    std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(
        !term.wait_exit(),
        "SIGTERM exit is reported as a failure status"
    );
    // Leaving the alternate screen brings back the (empty) main screen.
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(
        !term.screen().contains("检查记录"),
        "screen after SIGTERM:\n{}",
        term.screen()
    );
}
