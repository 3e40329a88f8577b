//! `anfang bundle`, `merge`, `verify` and `rebuild` through the real binary:
//! three laptops merged at the office in any order, bad bundles refused with
//! one clear line, a damaged ledger named by `verify`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anfang_ledger::{DeviceKey, Ledger};
use anfang_tests::anfang_bin;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const WRITER: &str = env!("CARGO_BIN_EXE_ledger-writer");

fn anfang(data: &Path, args: &[&str]) -> Output {
    Command::new(anfang_bin())
        .arg("--data-dir")
        .arg(data)
        .args(["--lang", "en"])
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A laptop's data folder with `n` events recorded as device `seed`, bundled by the binary.
fn laptop(dir: &Path, seed: u8, n: u32) -> PathBuf {
    let data = dir.join(format!("laptop{seed}"));
    std::fs::create_dir_all(&data).unwrap();
    let ledger = data.join("ledger.sqlite");
    let status = Command::new(WRITER)
        .args([
            "make-bundle",
            ledger.to_str().unwrap(),
            &seed.to_string(),
            &n.to_string(),
        ])
        .arg(dir.join(format!("writer{seed}.bundle")))
        .status()
        .unwrap();
    assert!(status.success());
    let bundle = dir.join(format!("laptop{seed}.bundle"));
    let out = anfang(&data, &["bundle", "--out", bundle.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains(&format!("{n} events")),
        "{}",
        text(&out.stdout)
    );
    bundle
}

fn derived(data: &Path) -> String {
    let l =
        Ledger::open_with_key(&data.join("ledger.sqlite"), DeviceKey::from_seed([99; 32])).unwrap();
    l.derived_dump().unwrap() + &l.content_dump().unwrap()
}

#[test]
fn three_laptops_merged_in_any_order_verify_full() {
    let dir = tempfile::tempdir().unwrap();
    let bundles: Vec<PathBuf> = (1..=3)
        .map(|s| laptop(dir.path(), s, 30 + u32::from(s)))
        .collect();
    let orders = [[0, 1, 2], [2, 0, 1], [1, 2, 0]];
    let mut dumps = Vec::new();
    for (i, order) in orders.iter().enumerate() {
        let office = dir.path().join(format!("office{i}"));
        let files: Vec<&str> = order
            .iter()
            .map(|&j| bundles[j].to_str().unwrap())
            .collect();
        let mut args = vec!["merge"];
        args.extend(files);
        let out = anfang(&office, &args);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let stdout = text(&out.stdout);
        assert_eq!(stdout.matches("new events").count(), 3, "{stdout}");
        assert!(
            stdout.contains("张伟"),
            "inspector named per device: {stdout}"
        );
        let out = anfang(&office, &["verify", "--full"]);
        assert!(
            out.status.success(),
            "{}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        assert!(
            text(&out.stdout).contains("ledger is sound"),
            "{}",
            text(&out.stdout)
        );
        let out = anfang(&office, &["rebuild"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        dumps.push(derived(&office));
    }
    assert_eq!(dumps[0], dumps[1]);
    assert_eq!(dumps[0], dumps[2]);
}

#[test]
fn a_bad_bundle_is_refused_in_one_line_and_the_good_one_still_merges() {
    let dir = tempfile::tempdir().unwrap();
    let good = laptop(dir.path(), 4, 10);
    let bad = dir.path().join("bad.bundle");
    std::fs::write(&bad, "not a bundle at all").unwrap();
    let office = dir.path().join("office");
    let out = anfang(
        &office,
        &["merge", bad.to_str().unwrap(), good.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    let line = stderr
        .lines()
        .find(|l| l.contains("refused"))
        .unwrap_or_default();
    assert!(
        line.contains(bad.to_str().unwrap()) && line.contains("nothing merged"),
        "{stderr}"
    );
    assert!(
        text(&out.stdout).contains("10 new events"),
        "{}",
        text(&out.stdout)
    );
    // In Chinese the refusal says what kind of problem first, then the detail.
    let out = Command::new(anfang_bin())
        .arg("--data-dir")
        .arg(&office)
        .args(["--lang", "zh-CN", "merge", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("已拒绝，未合并任何内容：文件无法读取、被截断或已损坏（"),
        "{stderr}"
    );
}

#[test]
fn verify_names_a_damaged_event_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = laptop(dir.path(), 5, 12);
    let office = dir.path().join("office");
    assert!(
        anfang(&office, &["merge", bundle.to_str().unwrap()])
            .status
            .success()
    );
    // Someone edits the file by hand: one letter of an item id, everywhere it appears.
    let path = office.join("ledger.sqlite");
    let mut bytes = std::fs::read(&path).unwrap();
    let needle = b"late-arrival";
    let hits: Vec<usize> = (0..bytes.len() - needle.len())
        .filter(|&i| bytes[i..].starts_with(needle))
        .collect();
    assert!(!hits.is_empty());
    for i in hits {
        bytes[i] = b'L';
    }
    std::fs::write(&path, bytes).unwrap();
    let out = anfang(&office, &["verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("do not match its id"), "{stderr}");
}

#[test]
fn an_older_ledger_is_upgraded_once_with_a_notice_and_nothing_lost() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = laptop(dir.path(), 4, 20);
    let office = dir.path().join("office");
    let out = anfang(&office, &["merge", bundle.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let before = derived(&office);
    // What an older build left behind: the same file, an older version number.
    let file = office.join("ledger.sqlite");
    let older = anfang_ledger::LEDGER_SCHEMA_VERSION - 1;
    rusqlite::Connection::open(&file)
        .unwrap()
        .pragma_update(None, "user_version", older)
        .unwrap();
    assert_eq!(anfang_ledger::schema_version(&file).unwrap(), Some(older));
    let out = anfang(&office, &["verify", "--full"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let notice = format!(
        "upgrading the ledger to schema version {}",
        anfang_ledger::LEDGER_SCHEMA_VERSION
    );
    assert!(text(&out.stderr).contains(&notice), "{}", text(&out.stderr));
    assert_eq!(derived(&office), before);
    // Once only.
    let out = anfang(&office, &["verify"]);
    assert!(
        !text(&out.stderr).contains(&notice),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn rows_cut_from_a_bundle_on_the_way_are_refused_and_nothing_is_merged() {
    let dir = tempfile::tempdir().unwrap();
    let good = laptop(dir.path(), 5, 12);
    let office = dir.path().join("office");
    let first = laptop(dir.path(), 6, 3);
    let out = anfang(&office, &["merge", first.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let before = derived(&office);
    // A USB stick that drops the last rows: the chain left is still valid.
    let cut = dir.path().join("cut.bundle");
    std::fs::copy(&good, &cut).unwrap();
    rusqlite::Connection::open(&cut)
        .unwrap()
        .execute_batch("DELETE FROM events WHERE seq > 9")
        .unwrap();
    let out = anfang(&office, &["merge", cut.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("nothing merged")
            && stderr.contains("the manifest says 12 events up to #12")
            && stderr.contains("the bundle holds 9 up to #9"),
        "{stderr}"
    );
    assert_eq!(derived(&office), before, "a refused bundle changes nothing");
    // The whole bundle still merges.
    let out = anfang(&office, &["merge", good.to_str().unwrap()]);
    assert!(
        text(&out.stdout).contains("12 new events"),
        "{}",
        text(&out.stdout)
    );
}
