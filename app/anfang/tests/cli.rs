//! The command line contract, through the real binary.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use assert_cmd::Command;
use predicates::prelude::*;

fn anfang(data: &std::path::Path) -> Command {
    let mut cmd = Command::cargo_bin("anfang").unwrap();
    cmd.arg("--data-dir")
        .arg(data)
        .env_remove("ANFANG_LANG")
        .env_remove("ANFANG_PLUGIN_PATH");
    cmd
}

#[test]
fn help_and_version() {
    let dir = tempfile::tempdir().unwrap();
    anfang(dir.path())
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("demo").and(predicate::str::contains("merge")));
    anfang(dir.path())
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("anfang "));
}

#[test]
fn a_mistyped_option_is_one_line_naming_it_and_the_likely_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = anfang(dir.path())
        .args(["export", "--formt", "csv"])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.starts_with("anfang: unexpected argument '--formt' found")
            && text.contains("'--format'"),
        "{text}"
    );
}

#[test]
fn the_interface_without_a_terminal_says_so_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    anfang(&data)
        .args(["--lang", "zh-CN"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("终端界面需要在终端中运行"));
    assert!(!data.join("ledger.sqlite").exists());
}

#[test]
fn unknown_language_is_a_usage_error_naming_the_value() {
    let dir = tempfile::tempdir().unwrap();
    anfang(dir.path())
        .args(["--lang", "klingon", "verify"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("'klingon'"));
}

#[test]
fn unknown_option_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    anfang(dir.path()).arg("--frobnicate").assert().code(2);
}

#[test]
fn first_use_creates_a_private_key_and_an_empty_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    anfang(&data).arg("verify").assert().success();
    assert!(data.join("ledger.sqlite").is_file());
    let key = data.join("device.key");
    assert!(key.is_file());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "device key mode {mode:o}");
    }
}

#[test]
fn demo_is_deterministic_and_refuses_a_second_run_with_the_same_seed() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for dir in [&a, &b] {
        anfang(dir.path())
            .args(["--lang", "en", "demo", "--visits", "12", "--seed", "9"])
            .assert()
            .success()
            .stdout(predicate::str::contains("12 visits"));
    }
    // Same seed, same visits, findings and points in both ledgers.
    let visits = |dir: &std::path::Path| {
        let ledger = anfang_ledger::Ledger::open(dir).unwrap();
        ledger
            .home_visits(100)
            .unwrap()
            .into_iter()
            .map(|v| (v.visit_id, v.unit.name, v.findings, v.points, v.device_id))
            .collect::<Vec<_>>()
    };
    let in_a = visits(a.path());
    assert_eq!(in_a.len(), 12);
    assert!(
        in_a.iter().map(|v| v.2).sum::<u32>() > 0,
        "demo has violations"
    );
    assert_eq!(in_a, visits(b.path()));
    anfang(a.path())
        .args(["--lang", "en", "demo", "--visits", "12", "--seed", "9"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("seed 9"));
}

#[test]
fn a_data_dir_that_is_a_file_fails_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, b"x").unwrap();
    let out = anfang(&file).arg("verify").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("not-a-dir"), "{stderr}");
}
