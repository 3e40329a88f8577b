//! The register and the office's data checklists on a visit, through the
//! real binary in a real (pseudo-)terminal: a unit name typed with a slip is
//! caught on New Visit with the nearest registered name, and a checklist
//! written by hand as JSON, published, is offered on a visit and scored.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use anfang_tests::{Term, anfang_bin};
use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

const ESC: &str = "\x1b";
const CTRL_S: &str = "\x13";

/// A department's checklist as an office writes it by hand.
const PETITION: &str = r#"{"id": "petition-window", "version": "1.0.0",
 "name": {"zh": "信访窗口", "en": "Petition window"},
 "departments": [{"zh": "信访局", "en": "Petition bureau"}],
 "checklists": [{"id": "petition-window", "label": {"zh": "信访窗口", "en": "Petition window"},
   "items": [
     {"id": "petition-not-registered", "label": {"zh": "来访未登记", "en": "Visit not registered"},
      "rule": {"kind": "per_count", "unit": "case", "points": 2}}]}]}"#;

fn anfang(data: &Path) -> Command {
    let mut cmd = Command::new(anfang_bin());
    cmd.arg("--data-dir")
        .arg(data)
        .args(["--lang", "en"])
        .env_remove("ANFANG_LANG")
        .env_remove("ANFANG_DATA_DIR")
        .env_remove("ANFANG_PLUGIN_PATH");
    cmd
}

fn ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn register(data: &Path, name: &str, department: &str, kind: &str) {
    ok(anfang(data).args([
        "units",
        "add",
        "--name",
        name,
        "--department",
        department,
        "--kind",
        kind,
    ]));
}

fn open(data: &str) -> Term {
    let term = Term::spawn(&["--data-dir", data, "--lang", "en"], 120, 40).unwrap();
    term.wait_for("Visits", 20);
    term
}

#[test]
fn a_slip_in_the_unit_name_is_caught_on_new_visit_with_the_nearest_name() {
    let dir = tempfile::tempdir().unwrap();
    register(dir.path(), "市税务局第一税务分局办税服务厅", "税务", "窗口");
    let data = dir.path().to_str().unwrap().to_string();
    let mut term = open(&data);
    term.send("n");
    term.wait_for("New visit", 10);
    term.send("市税务局第一分局办税厅");
    term.send("\t");
    term.send("税务");
    term.send(CTRL_S);
    // Not started: the form names the nearest registered unit.
    term.wait_for("nearest: 市税务局第一税务分局办税服务厅", 10);
    assert!(!term.screen().contains("Visit started."));
    // Starting again with the same name records it, as a new unit.
    term.send(CTRL_S);
    term.wait_for("Visit started.", 10);
    term.send("q");
    term.wait_for("Visits", 10);
    term.send("q");
    assert!(term.wait_exit(), "anfang did not exit cleanly after q");
    let ledger = anfang_ledger::Ledger::open(dir.path()).unwrap();
    let visits = ledger.home_visits(10).unwrap();
    assert_eq!(visits.len(), 1);
}

#[test]
fn a_checklist_written_by_hand_is_offered_on_a_visit_and_scored() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("信访窗口.json");
    std::fs::write(&file, PETITION).unwrap();
    ok(anfang(dir.path())
        .args(["checklists", "publish"])
        .arg(&file));
    register(dir.path(), "市信访局接待大厅", "信访局", "窗口");
    let data = dir.path().to_str().unwrap().to_string();
    let mut term = open(&data);
    term.send("n");
    term.wait_for("New visit", 10);
    term.send("市信访局接待大厅");
    term.send("\t");
    term.send("信访局");
    // Offered for the department, beside the built-in lists.
    term.wait_for("Petition window", 10);
    term.send(CTRL_S);
    term.wait_for("Visit started.", 10);
    // To the fourth checklist (the data one), a violation on its item.
    term.send("]");
    term.send("]");
    term.send("]");
    term.wait_for("Visit not registered", 10);
    term.send("v");
    term.wait_for("Evidence note", 10);
    term.send("两位来访群众未登记");
    term.wait_for("两位来访群众未登记", 10);
    term.send(ESC);
    term.wait_for("Saved.", 10);
    term.wait_for("Deducted 2", 10);
    term.send("q");
    term.wait_for("Visits", 10);
    term.send("q");
    assert!(term.wait_exit(), "anfang did not exit cleanly after q");

    // Confirmed in review, it scores by the checklist's rule: 2 per case.
    let listed: Value =
        serde_json::from_str(&ok(anfang(dir.path()).args(["review", "list", "--json"]))).unwrap();
    assert_eq!(listed[0]["item_id"], "petition-not-registered", "{listed}");
    let id = listed[0]["finding_id"].as_str().unwrap().to_string();
    ok(anfang(dir.path()).args(["review", "confirm", &id]));
    let scores: Value =
        serde_json::from_str(&ok(anfang(dir.path()).args(["scores", "--json"]))).unwrap();
    let unit = &scores[0];
    assert_eq!(unit["unit"], "市信访局接待大厅", "{scores}");
    assert_eq!(unit["score"], 98.0, "{unit}");
    assert_eq!(unit["deductions"][0]["plugin"], "petition-window");
    assert_eq!(unit["deductions"][0]["points"], 2.0);
}
