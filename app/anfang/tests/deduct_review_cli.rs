//! Office deductions reviewed like findings, through the real binary: an
//! entry is pending (shown apart, not counted) until confirmed; a
//! dismissed one never counts; its evidence file is stored, travels in a
//! bundle to another ledger, passes `verify --full` there and is written
//! out again.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::Path;

fn anfang(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("anfang").unwrap();
    cmd.env_remove("ANFANG_DATA_DIR")
        .env_remove("ANFANG_LANG")
        .env("TZ", "Asia/Shanghai")
        .args(["--lang", "en", "--data-dir"])
        .arg(dir);
    cmd
}

fn ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn register(dir: &Path) {
    ok(anfang(dir).args([
        "units",
        "add",
        "--name",
        "市财政局",
        "--department",
        "财政",
        "--kind",
        "机关",
    ]));
}

/// Enters `count` missed meetings on `date`; returns the deduction's id.
fn enter(dir: &Path, count: &str, date: &str, evidence: Option<&Path>) -> String {
    let mut cmd = anfang(dir);
    cmd.args([
        "deduct",
        "--unit",
        "市财政局",
        "--item",
        "meeting-absent",
        "--count",
        count,
        "--date",
        date,
        "--reason",
        "缺席全市作风建设会议",
    ]);
    if let Some(file) = evidence {
        cmd.arg("--evidence").arg(file);
    }
    let out = ok(&mut cmd);
    assert!(out.contains("pending"), "{out}");
    out.split_whitespace().next().unwrap().to_string()
}

fn finance(dir: &Path) -> Value {
    let out = ok(anfang(dir).args([
        "scores",
        "--from",
        "2026-01-01",
        "--to",
        "2026-03-31",
        "--json",
    ]));
    let ranking: Value = serde_json::from_str(&out).unwrap();
    ranking
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == "市财政局")
        .unwrap()
        .clone()
}

fn listed(dir: &Path) -> Vec<Value> {
    let out = ok(anfang(dir).args(["deduct", "list", "--unit", "市财政局", "--json"]));
    serde_json::from_str::<Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn a_deduction_counts_once_confirmed_and_never_once_dismissed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    register(d);
    let kept = enter(d, "2", "2026-03-02", None);
    let dropped = enter(d, "1", "2026-03-09", None);
    // Both pending: shown apart, not counted.
    let unit = finance(d);
    assert_eq!(unit["score"], 100.0);
    assert_eq!(unit["provisional"]["points"], 6.0);
    let pending = unit["provisional"]["office_deductions"].as_array().unwrap();
    assert_eq!(pending.len(), 2);
    assert_eq!(pending[0]["section"], "四(四)1");
    let text = ok(anfang(d).args(["scores", "--from", "2026-01-01", "--to", "2026-03-31"]));
    assert!(text.contains("pending review, not counted"), "{text}");
    let rows = listed(d);
    assert!(rows.iter().all(|r| r["status"] == "pending"), "{rows:?}");

    let out = ok(anfang(d).args(["deduct", "confirm", &kept]));
    assert!(out.contains("confirmed"), "{out}");
    let out = ok(anfang(d).args([
        "deduct",
        "dismiss",
        &dropped,
        "--reason",
        "会议已改期，不属缺席",
    ]));
    assert!(out.contains("dismissed"), "{out}");
    let unit = finance(d);
    assert_eq!(unit["score"], 96.0);
    assert_eq!(unit["deducted"], 4.0);
    assert_eq!(unit["provisional"]["points"], 0.0);
    let rows = listed(d);
    let status = |id: &str| {
        rows.iter()
            .find(|r| r["id"] == id)
            .map(|r| r["status"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(status(&kept), "confirmed");
    assert_eq!(status(&dropped), "dismissed");
    let shown = ok(anfang(d).args(["deduct", "show", &dropped]));
    assert!(shown.contains("会议已改期，不属缺席"), "{shown}");

    // A rebuild from the events alone gives the same.
    ok(anfang(d).arg("rebuild"));
    assert_eq!(finance(d)["score"], 96.0);
}

#[test]
fn a_bad_id_or_an_empty_reason_is_one_line_naming_it_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    register(d);
    let id = enter(d, "1", "2026-03-02", None);
    for (args, named) in [
        (vec!["deduct", "confirm", "0190abcd-0000"], "0190abcd-0000"),
        (vec!["deduct", "show", "nonsense"], "nonsense"),
        (
            vec!["deduct", "dismiss", id.as_str(), "--reason", "  "],
            "--reason",
        ),
    ] {
        anfang(d)
            .args(&args)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(named))
            .stderr(predicate::function(|e: &str| {
                e.trim_end().lines().count() == 1
            }));
    }
    assert_eq!(listed(d)[0]["status"], "pending");
    assert!(listed(d)[0]["decisions"].as_array().unwrap().is_empty());
}

#[test]
fn the_evidence_file_travels_in_a_bundle_and_is_written_out_again() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    register(&a);
    let file = dir.path().join("会议签到表.pdf");
    std::fs::write(&file, b"%PDF-1.4 sign-in sheet, 2026-03-02").unwrap();
    let id = enter(&a, "1", "2026-03-02", Some(&file));
    let bundle = dir.path().join("a.bundle");
    ok(anfang(&a).args(["bundle", "--out"]).arg(&bundle));
    ok(anfang(&b).arg("merge").arg(&bundle));
    let out = ok(anfang(&b).args(["verify", "--full"]));
    assert!(!out.is_empty());
    let rows = listed(&b);
    assert_eq!(rows[0]["evidence"]["name"], "会议签到表.pdf");
    assert_eq!(rows[0]["evidence"]["stored"], true);
    let saved = dir.path().join("saved");
    let out = ok(anfang(&b)
        .args(["deduct", "show", &id, "--save-evidence"])
        .arg(&saved));
    let written = out.lines().last().unwrap().trim();
    assert_eq!(
        std::fs::read(written).unwrap(),
        std::fs::read(&file).unwrap()
    );
    // Confirmed on the second ledger, it counts there.
    ok(anfang(&b).args(["deduct", "confirm", &id]));
    assert_eq!(finance(&b)["score"], 98.0);
}
