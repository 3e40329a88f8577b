//! `anfang review` through the real binary: a decision that moves a finding
//! back needs `--back-reason`, records nothing without it, and signs the
//! reason with it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anfang_ledger::Ledger;
use assert_cmd::Command;
use serde_json::Value;

fn anfang(dir: &std::path::Path) -> Command {
    let mut cmd = Command::cargo_bin("anfang").unwrap();
    cmd.env_remove("ANFANG_DATA_DIR")
        .env_remove("ANFANG_LANG")
        .args(["--lang", "en", "--data-dir"])
        .arg(dir);
    cmd
}

#[test]
fn going_back_needs_a_reason_and_signs_it() {
    let dir = tempfile::tempdir().unwrap();
    anfang(dir.path())
        .args(["demo", "--visits", "3"])
        .assert()
        .success();
    let out = anfang(dir.path())
        .args(["review", "list", "--status", "pending", "--json"])
        .output()
        .unwrap();
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = rows[0]["finding_id"].as_str().unwrap().to_string();
    anfang(dir.path())
        .args(["review", "confirm", &id])
        .assert()
        .success();
    // Confirmed to dismissed goes back: refused without a reason, nothing recorded.
    let refused = anfang(dir.path())
        .args(["review", "dismiss", &id, "--reason", "有假条"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("confirmed → dismissed") && err.contains("--back-reason"),
        "{err}"
    );
    let decisions = |dir: &std::path::Path| {
        let ledger = Ledger::open(dir).unwrap();
        let detail = ledger.review_detail(id.parse().unwrap()).unwrap().unwrap();
        detail.history.decisions
    };
    assert_eq!(decisions(dir.path()).len(), 1);
    anfang(dir.path())
        .args([
            "review",
            "dismiss",
            &id,
            "--reason",
            "有假条",
            "--back-reason",
            "申诉成立",
        ])
        .assert()
        .success();
    let signed = decisions(dir.path());
    assert_eq!(signed.len(), 2);
    assert_eq!(signed[1].0.reason.as_deref(), Some("申诉成立"));
    assert_eq!(signed[0].0.reason, None);
}

#[test]
fn export_counts_findings_as_review_does_and_rows_apart() {
    let dir = tempfile::tempdir().unwrap();
    anfang(dir.path())
        .args(["demo", "--visits", "20"])
        .assert()
        .success();
    let out = anfang(dir.path())
        .args(["review", "list", "--json"])
        .output()
        .unwrap();
    let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = listed.as_array().unwrap().len();
    let file = dir.path().join("all.csv");
    let out = anfang(dir.path())
        .args(["export", "--format", "csv", "--out"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(out.status.success());
    let said = String::from_utf8(out.stdout).unwrap();
    let rows = csv::Reader::from_path(&file).unwrap().records().count();
    assert!(rows > findings, "compliant results are rows too");
    assert!(
        said.contains(&format!("exported {rows} rows to"))
            && said.contains(&format!(
                ": {findings} findings, {} compliant or not applicable",
                rows - findings
            )),
        "{said}"
    );
}
