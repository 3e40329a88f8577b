//! Bundles and merge against real files: three laptops in any order, forks,
//! gaps, odd clocks, and every bad bundle refused with the ledger unchanged.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use anfang_core::Lang;
use anfang_ledger::{FlagKind, Ledger, LedgerError, RefusalKind};
use fixtures::*;
use std::path::{Path, PathBuf};

/// A laptop's ledger with a visit, findings, a correction, evidence, a review.
fn laptop(dir: &Path, n: u8, lead: &str) -> PathBuf {
    let path = dir.join(format!("laptop{n}.sqlite"));
    let mut l = Ledger::open_with_key(&path, key(n)).unwrap();
    let visit = uuid(u64::from(n), 0);
    let base = i64::from(n) * 10_000;
    l.append_at(&visit_opened(visit, n as usize, lead, at(base)), at(base))
        .unwrap();
    let mut last = String::new();
    for i in 0..5u64 {
        let f = uuid(u64::from(n), 100 + i);
        last = l
            .append_at(
                &finding(visit, f, i as usize, at(base + 10 + i as i64)),
                at(base + 10 + i as i64),
            )
            .unwrap();
    }
    l.append_at(
        &correction(visit, uuid(u64::from(n), 104), 7, at(base + 14), &last),
        at(base + 60),
    )
    .unwrap();
    let photo = dir.join(format!("photo{n}.jpg"));
    std::fs::write(&photo, format!("photo bytes of laptop {n}")).unwrap();
    l.attach_evidence_at(uuid(u64::from(n), 100), &photo, at(base + 65))
        .unwrap();
    l.append_at(&review(uuid(u64::from(n), 101), 0), at(base + 70))
        .unwrap();
    l.append_at(&visit_closed(visit, at(base + 100)), at(base + 100))
        .unwrap();
    let bundle = dir.join(format!("laptop{n}.anfang-bundle"));
    l.bundle(&bundle).unwrap();
    bundle
}

fn office(dir: &Path, name: &str) -> Ledger {
    Ledger::open_with_key(&dir.join(name), key(200)).unwrap()
}

fn merge_all(l: &mut Ledger, bundles: &[&PathBuf]) {
    for b in bundles {
        l.merge(b, &mut |_| {}).unwrap();
    }
}

#[test]
fn three_laptops_in_any_order_give_one_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let a = laptop(dir.path(), 1, "张伟");
    let b = laptop(dir.path(), 2, "王芳");
    let c = laptop(dir.path(), 3, "刘洋");
    let orders: [[&PathBuf; 3]; 3] = [[&a, &b, &c], [&c, &a, &b], [&b, &c, &a]];
    let mut dumps = Vec::new();
    for (i, order) in orders.iter().enumerate() {
        let mut l = office(dir.path(), &format!("office{i}.sqlite"));
        merge_all(&mut l, order);
        let report = l.verify(true).unwrap();
        assert!(report.is_ok(), "{:?}", report.problems);
        assert!(report.flags.is_empty(), "{:?}", report.flags);
        dumps.push((l.derived_dump().unwrap(), l.content_dump().unwrap()));
    }
    assert_eq!(dumps[0], dumps[1]);
    assert_eq!(dumps[0], dumps[2]);
    // Merging everything again adds nothing and changes nothing.
    let mut l = office(dir.path(), "office0.sqlite");
    let report = l.merge(&b, &mut |_| {}).unwrap();
    assert_eq!(report.events_added, 0);
    assert_eq!(l.derived_dump().unwrap(), dumps[0].0);
}

#[test]
fn the_merge_report_counts_per_device_and_inspector() {
    let dir = tempfile::tempdir().unwrap();
    let a = laptop(dir.path(), 1, "张伟");
    let mut l = office(dir.path(), "office.sqlite");
    let mut seen = Vec::new();
    let report = l.merge(&a, &mut |p| seen.push(p)).unwrap();
    assert!(!seen.is_empty());
    assert_eq!(report.events_added, report.events_in_bundle);
    assert_eq!(report.blobs_added, 1);
    assert_eq!(report.signatures_checked, 1);
    assert_eq!(report.devices.len(), 1);
    let d = &report.devices[0];
    assert_eq!(d.inspectors, vec!["张伟".to_string()]);
    assert_eq!(
        (
            d.visits_added,
            d.findings_added,
            d.evidence_added,
            d.reviews_added
        ),
        (1, 6, 1, 1)
    );
    assert!(report.flags.is_empty());
    // Evidence travelled with the bundle.
    let v = l.visit(uuid(1, 0)).unwrap().unwrap();
    let ev = &v
        .findings
        .iter()
        .find(|f| f.record.finding_id == uuid(1, 100))
        .unwrap()
        .evidence[0];
    let out = l
        .export_evidence(&ev.sha256, &ev.file_name, dir.path())
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(out).unwrap(),
        "photo bytes of laptop 1"
    );
}

#[test]
fn an_office_ledger_bundles_upward() {
    let dir = tempfile::tempdir().unwrap();
    let a = laptop(dir.path(), 1, "张伟");
    let b = laptop(dir.path(), 2, "王芳");
    let mut city = office(dir.path(), "city.sqlite");
    merge_all(&mut city, &[&a, &b]);
    let city_bundle = dir.path().join("city.anfang-bundle");
    city.bundle(&city_bundle).unwrap();
    let mut province =
        Ledger::open_with_key(&dir.path().join("province.sqlite"), key(201)).unwrap();
    let report = province.merge(&city_bundle, &mut |_| {}).unwrap();
    assert_eq!(report.devices.len(), 2);
    assert_eq!(report.signatures_checked, 2);
    assert_eq!(
        province.derived_dump().unwrap(),
        city.derived_dump().unwrap()
    );
}

/// A cloned laptop: the same key continues from one state in two places.
#[test]
fn forks_are_kept_and_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let orig = dir.path().join("orig.sqlite");
    {
        let mut l = Ledger::open_with_key(&orig, key(1)).unwrap();
        l.append_at(&visit_opened(uuid(1, 0), 0, "张伟", at(0)), at(0))
            .unwrap();
    }
    let clone = dir.path().join("clone.sqlite");
    std::fs::copy(&orig, &clone).unwrap();
    let mut bundles = Vec::new();
    for (i, path) in [&orig, &clone].into_iter().enumerate() {
        let mut l = Ledger::open_with_key(path, key(1)).unwrap();
        l.append_at(&finding(uuid(1, 0), uuid(5, i as u64), i, at(10)), at(10))
            .unwrap();
        let b = dir.path().join(format!("b{i}.bundle"));
        l.bundle(&b).unwrap();
        bundles.push(b);
    }
    let mut l = office(dir.path(), "office.sqlite");
    l.merge(&bundles[0], &mut |_| {}).unwrap();
    let report = l.merge(&bundles[1], &mut |_| {}).unwrap();
    assert_eq!(report.events_added, 1);
    let forks: Vec<_> = report
        .flags
        .iter()
        .filter(|f| f.kind == FlagKind::Fork)
        .collect();
    assert_eq!(forks.len(), 1, "{:?}", report.flags);
    assert_eq!(forks[0].seq, 2);
    assert_eq!(l.visit(uuid(1, 0)).unwrap().unwrap().findings.len(), 2);
    let verify = l.verify(true).unwrap();
    assert!(verify.is_ok(), "{:?}", verify.problems);
    assert_eq!(verify.flags.len(), 1);
}

/// Removes events from a bundle file, as a partial copy would. Today's
/// bundles carry a signed manifest that refuses such a copy (see
/// `refuses_rows_cut_from_a_chain_tail`); a bundle of format 1, made before
/// manifests, has none, and an open ledger still takes it: that is the copy
/// made here.
fn drop_events(bundle: &Path, out: &Path, seqs: &[i64]) {
    std::fs::copy(bundle, out).unwrap();
    let conn = rusqlite::Connection::open(out).unwrap();
    conn.execute_batch(
        "DELETE FROM bundle_info WHERE key LIKE 'manifest%'; PRAGMA user_version = 1;",
    )
    .unwrap();
    for seq in seqs {
        conn.execute("DELETE FROM events WHERE seq = ?1", [seq])
            .unwrap();
    }
}

#[test]
fn gaps_are_flagged_until_filled() {
    let dir = tempfile::tempdir().unwrap();
    let full = laptop(dir.path(), 1, "张伟");
    let partial = dir.path().join("partial.bundle");
    drop_events(&full, &partial, &[3, 4]);
    let mut l = office(dir.path(), "office.sqlite");
    let report = l.merge(&partial, &mut |_| {}).unwrap();
    let gaps: Vec<_> = report
        .flags
        .iter()
        .filter(|f| f.kind == FlagKind::Gap)
        .collect();
    assert_eq!(gaps.len(), 1, "{:?}", report.flags);
    assert_eq!(gaps[0].seq, 5);
    // One segment before the gap, one after: two signatures.
    assert_eq!(report.signatures_checked, 2);
    let report = l.merge(&full, &mut |_| {}).unwrap();
    assert_eq!(report.events_added, 2);
    assert!(report.flags.is_empty(), "{:?}", report.flags);
}

#[test]
fn odd_claimed_times_are_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("odd.sqlite");
    let mut l = Ledger::open_with_key(&path, key(1)).unwrap();
    l.append_at(
        &visit_opened(uuid(1, 0), 0, "张伟", at(100_000)),
        at(100_000),
    )
    .unwrap();
    l.append_at(&finding(uuid(1, 0), uuid(2, 0), 0, at(0)), at(0))
        .unwrap();
    let future = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 30);
    l.append_at(&visit_closed(uuid(1, 0), future), future)
        .unwrap();
    let bundle = dir.path().join("odd.bundle");
    l.bundle(&bundle).unwrap();
    let mut o = office(dir.path(), "office.sqlite");
    let report = o.merge(&bundle, &mut |_| {}).unwrap();
    let kinds: Vec<FlagKind> = report.flags.iter().map(|f| f.kind).collect();
    assert!(kinds.contains(&FlagKind::ClockBackwards), "{kinds:?}");
    assert!(kinds.contains(&FlagKind::BeforeFirst), "{kinds:?}");
    assert!(kinds.contains(&FlagKind::Future), "{kinds:?}");
    // Read back from the flags table, a time flag still knows both times,
    // so it can be told in either language.
    let backwards = report
        .flags
        .iter()
        .find(|f| f.kind == FlagKind::ClockBackwards)
        .unwrap();
    let times = backwards.times.unwrap();
    assert_eq!((times.claimed, times.reference), (at(0), at(100_000)));
    assert_eq!(
        backwards.describe(Lang::Zh),
        format!("声称时间 {}，早于上一个事件的 {}", at(0), at(100_000))
    );
    assert_eq!(backwards.describe(Lang::En), backwards.detail);
    assert!(backwards.line(Lang::Zh).starts_with("时间倒退：设备 "));
    // The laptop's own ledger flags the same from its appends.
    let stored = |l: &Ledger| -> Vec<_> {
        l.verify(false)
            .unwrap()
            .flags
            .into_iter()
            .filter(|f| f.kind != FlagKind::Future)
            .collect()
    };
    assert_eq!(stored(&l), stored(&o));
    assert_eq!(stored(&l).len(), 2);
}

// ---- bad input: refused with a clear error, the ledger unchanged ----

struct Office {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    path: PathBuf,
    good: PathBuf,
    bytes: Vec<u8>,
    dumps: (String, String),
}

/// An office ledger holding laptop 1's bundle, closed, with its bytes and dumps.
fn office_with_one_merge() -> Office {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let first = laptop(&dir, 1, "张伟");
    let good = laptop(&dir, 2, "王芳");
    let path = dir.join("office.sqlite");
    let dumps = {
        let mut l = Ledger::open_with_key(&path, key(200)).unwrap();
        l.merge(&first, &mut |_| {}).unwrap();
        (l.derived_dump().unwrap(), l.content_dump().unwrap())
    };
    let bytes = std::fs::read(&path).unwrap();
    Office {
        _dir: tmp,
        dir,
        path,
        good,
        bytes,
        dumps,
    }
}

impl Office {
    /// Merges `bundle`, expects a refusal mentioning `needle`, checks the
    /// ledger is unchanged, and returns the kind of refusal.
    fn refuses(&self, bundle: &Path, needle: &str) -> RefusalKind {
        let kind = {
            let mut l = Ledger::open_with_key(&self.path, key(200)).unwrap();
            let err = l.merge(bundle, &mut |_| {}).unwrap_err();
            let text = err.to_string();
            let LedgerError::BadBundle { kind, .. } = err else {
                panic!("not a refusal: {text}");
            };
            assert!(text.contains(needle), "expected '{needle}' in: {text}");
            assert!(text.contains(&bundle.display().to_string()), "{text}");
            assert!(!text.contains('\n'), "one line: {text}");
            assert_eq!(
                (l.derived_dump().unwrap(), l.content_dump().unwrap()),
                self.dumps
            );
            kind
        };
        assert_eq!(
            std::fs::read(&self.path).unwrap(),
            self.bytes,
            "ledger file changed"
        );
        kind
    }

    fn tampered(&self, name: &str, sql: &str) -> PathBuf {
        let out = self.dir.join(name);
        std::fs::copy(&self.good, &out).unwrap();
        let conn = rusqlite::Connection::open(&out).unwrap();
        conn.execute_batch(sql).unwrap();
        out
    }
}

#[test]
fn refuses_a_truncated_file() {
    let o = office_with_one_merge();
    let bytes = std::fs::read(&o.good).unwrap();
    let out = o.dir.join("truncated.bundle");
    std::fs::write(&out, &bytes[..bytes.len() / 2]).unwrap();
    o.refuses(&out, "refused");
}

#[test]
fn refuses_bytes_flipped_inside_an_event() {
    let o = office_with_one_merge();
    let mut bytes = std::fs::read(&o.good).unwrap();
    let needle = "王芳".as_bytes();
    // Every copy, live or left over in free space, so the live one is hit.
    let hits: Vec<usize> = (0..bytes.len() - needle.len())
        .filter(|&i| bytes[i..].starts_with(needle))
        .collect();
    assert!(!hits.is_empty());
    for i in hits {
        bytes[i + 1] ^= 0x01;
    }
    let out = o.dir.join("flipped.bundle");
    std::fs::write(&out, &bytes).unwrap();
    o.refuses(&out, "refused");
}

#[test]
fn random_flips_are_refused_or_change_nothing_that_was_signed() {
    let o = office_with_one_merge();
    let good = std::fs::read(&o.good).unwrap();
    let clean = {
        let dir = tempfile::tempdir().unwrap();
        let mut l = Ledger::open_with_key(&dir.path().join("x.sqlite"), key(200)).unwrap();
        l.merge(&o.path_clone_bundle(), &mut |_| {}).unwrap();
        l.merge(&o.good, &mut |_| {}).unwrap();
        (l.derived_dump().unwrap(), l.content_dump().unwrap())
    };
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut refused = 0;
    for round in 0..40 {
        let mut bytes = good.clone();
        for _ in 0..8 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let i = 100 + (state as usize) % (bytes.len() - 100);
            bytes[i] ^= 1 << (state % 8);
        }
        let out = o.dir.join(format!("random{round}.bundle"));
        std::fs::write(&out, &bytes).unwrap();
        let mut l = Ledger::open_with_key(&o.path, key(200)).unwrap();
        match l.merge(&out, &mut |_| {}) {
            Err(LedgerError::BadBundle { .. }) => {
                refused += 1;
                assert_eq!(
                    (l.derived_dump().unwrap(), l.content_dump().unwrap()),
                    o.dumps
                );
            }
            Err(other) => panic!("unexpected error: {other}"),
            Ok(_) => {
                // Accepted: the flips hit unused space; what was merged is exactly the good bundle.
                assert_eq!(
                    (l.derived_dump().unwrap(), l.content_dump().unwrap()),
                    clean
                );
                drop(l);
                std::fs::write(&o.path, &o.bytes).unwrap();
                let _ = std::fs::remove_file(o.path.with_extension("sqlite-wal"));
                let _ = std::fs::remove_file(o.path.with_extension("sqlite-shm"));
            }
        }
    }
    assert!(
        refused >= 20,
        "only {refused} of 40 damaged bundles refused"
    );
}

impl Office {
    fn path_clone_bundle(&self) -> PathBuf {
        self.dir.join("laptop1.anfang-bundle")
    }
}

#[test]
fn refuses_a_file_that_is_not_sqlite() {
    let o = office_with_one_merge();
    let out = o.dir.join("notes.txt");
    std::fs::write(&out, "巡查笔记，不是数据库。".repeat(100)).unwrap();
    assert_eq!(
        o.refuses(&out, "not a readable SQLite file"),
        RefusalKind::Unreadable
    );
}

#[test]
fn refuses_a_sqlite_file_of_another_application() {
    let o = office_with_one_merge();
    let out = o.dir.join("other.sqlite");
    let conn = rusqlite::Connection::open(&out).unwrap();
    conn.execute_batch("CREATE TABLE events(x); INSERT INTO events VALUES (1);")
        .unwrap();
    drop(conn);
    assert_eq!(
        o.refuses(&out, "not an anfang bundle"),
        RefusalKind::NotABundle
    );
    assert_eq!(
        o.refuses(&o.path.clone(), "this is an anfang ledger, not a bundle"),
        RefusalKind::LedgerNotBundle
    );
}

#[test]
fn refuses_a_newer_bundle_format() {
    let o = office_with_one_merge();
    let out = o.tampered("newer.bundle", "PRAGMA user_version = 3");
    assert_eq!(
        o.refuses(&out, "bundle format version 3 is newer"),
        RefusalKind::TooNew
    );
}

#[test]
fn refuses_an_event_whose_bytes_do_not_match_its_id() {
    let o = office_with_one_merge();
    let out = o.tampered(
        "edited.bundle",
        "UPDATE events SET body = replace(body, '王芳', '王某') WHERE kind = 'visit_opened'",
    );
    assert_eq!(
        o.refuses(&out, "do not match its id"),
        RefusalKind::IdMismatch
    );
}

#[test]
fn refuses_a_forged_signature() {
    let o = office_with_one_merge();
    // The last event heads the segment: its signature is the one checked.
    let forged = "ab".repeat(64);
    let out = o.tampered(
        "forged.bundle",
        &format!(
            "UPDATE events SET signature = '{forged}' WHERE seq = (SELECT max(seq) FROM events)"
        ),
    );
    assert_eq!(
        o.refuses(&out, "signature does not hold"),
        RefusalKind::BadSignature
    );
}

#[test]
fn refuses_an_event_signed_by_another_key() {
    let o = office_with_one_merge();
    // Someone re-creates laptop 2's history under its device id with their own key.
    let dir = tempfile::tempdir().unwrap();
    let thief = dir.path().join("thief.sqlite");
    {
        let mut l = Ledger::open_with_key(&thief, key(66)).unwrap();
        l.append_at(&visit_opened(uuid(9, 0), 0, "冒名", at(0)), at(0))
            .unwrap();
    }
    let out = o.dir.join("impostor.bundle");
    {
        let l = Ledger::open_with_key(&thief, key(66)).unwrap();
        l.bundle(&out).unwrap();
    }
    let victim = key(2).device_id().to_string();
    let conn = rusqlite::Connection::open(&out).unwrap();
    let (device, seq, time, schema, kind, body): (String, i64, String, i64, String, String) = conn
        .query_row(
            "SELECT device, seq, claimed_time, schema, kind, body FROM events",
            [],
            |r| r.try_into(),
        )
        .unwrap();
    assert_ne!(device, victim);
    let text = format!("anfang-event-v1\n{victim}\n{seq}\n\n{time}\n{schema}\n{kind}\n{body}");
    let id = anfang_ledger::canonical::sha256_hex(text.as_bytes());
    conn.execute("UPDATE events SET device = ?1, id = ?2", [&victim, &id])
        .unwrap();
    drop(conn);
    assert_eq!(
        o.refuses(&out, "signature does not hold"),
        RefusalKind::BadSignature
    );
}

#[test]
fn refuses_a_bundle_carrying_a_trigger_or_a_view() {
    let o = office_with_one_merge();
    let out = o.tampered(
        "trigger.bundle",
        "CREATE TABLE log(x); CREATE TRIGGER sneaky AFTER INSERT ON events BEGIN INSERT INTO log VALUES (1); END;",
    );
    assert_eq!(
        o.refuses(&out, "trigger named 'sneaky'"),
        RefusalKind::ForeignObjects
    );
    let out = o.tampered("view.bundle", "CREATE VIEW peek AS SELECT * FROM events");
    assert_eq!(
        o.refuses(&out, "view named 'peek'"),
        RefusalKind::ForeignObjects
    );
}

#[test]
fn refuses_an_evidence_blob_whose_hash_does_not_match() {
    let o = office_with_one_merge();
    let out = o.tampered(
        "blob.bundle",
        "UPDATE blobs SET data = CAST(replace(CAST(data AS TEXT), 'laptop', 'LAPTOP') AS BLOB)",
    );
    assert_eq!(
        o.refuses(&out, "does not match its hash"),
        RefusalKind::BadEvidence
    );
}

#[test]
fn refuses_evidence_whose_file_is_missing() {
    let o = office_with_one_merge();
    let out = o.tampered("noblob.bundle", "DELETE FROM blobs");
    assert_eq!(
        o.refuses(&out, "neither the bundle nor this ledger holds"),
        RefusalKind::BadEvidence
    );
}

#[test]
fn refuses_a_missing_file() {
    let o = office_with_one_merge();
    assert_eq!(
        o.refuses(&o.dir.join("nowhere.bundle"), "no such file"),
        RefusalKind::Unreadable
    );
}

#[test]
fn refuses_a_folder_and_says_so() {
    let o = office_with_one_merge();
    assert_eq!(
        o.refuses(&o.dir, "a folder, not a bundle file"),
        RefusalKind::Unreadable
    );
}

#[test]
fn bundle_refuses_to_overwrite_the_ledger_and_names_a_bad_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let l = Ledger::open_with_key(&path, key(1)).unwrap();
    let err = l.bundle(&path).unwrap_err().to_string();
    assert!(err.contains("the ledger itself"), "{err}");
    let nowhere = dir
        .path()
        .join("no")
        .join("such")
        .join("dir")
        .join("x.bundle");
    let err = l.bundle(&nowhere).unwrap_err().to_string();
    assert!(err.contains("x.bundle"), "{err}");
    drop(l);
    assert!(Ledger::open_with_key(&path, key(1)).is_ok());
}

#[test]
fn a_stopped_merge_changes_nothing_and_can_run_again() {
    let o = office_with_one_merge();
    {
        let mut l = Ledger::open_with_key(&o.path, key(200)).unwrap();
        let err = l.merge_unless(&o.good, &mut |_| {}, &|| true).unwrap_err();
        assert!(matches!(err, LedgerError::MergeStopped(_)), "{err}");
        assert!(err.to_string().contains("nothing from it was merged"));
        assert_eq!(
            (l.derived_dump().unwrap(), l.content_dump().unwrap()),
            o.dumps
        );
    }
    assert_eq!(std::fs::read(&o.path).unwrap(), o.bytes);
    let mut l = Ledger::open_with_key(&o.path, key(200)).unwrap();
    let report = l.merge_unless(&o.good, &mut |_| {}, &|| false).unwrap();
    assert!(report.events_added > 0);
}

#[test]
fn a_laptops_later_bundle_is_flagged_from_its_new_events_as_a_rebuild_would() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open_with_key(&dir.path().join("laptop.sqlite"), key(1)).unwrap();
    l.append_at(
        &visit_opened(uuid(1, 0), 0, "张伟", at(100_000)),
        at(100_000),
    )
    .unwrap();
    l.append_at(
        &finding(uuid(1, 0), uuid(2, 0), 0, at(200_000)),
        at(200_000),
    )
    .unwrap();
    let monday = dir.path().join("monday.bundle");
    l.bundle(&monday).unwrap();
    // Later that week the laptop's clock jumped back.
    l.append_at(&finding(uuid(1, 0), uuid(2, 1), 1, at(0)), at(0))
        .unwrap();
    l.append_at(&finding(uuid(1, 0), uuid(2, 2), 2, at(10)), at(10))
        .unwrap();
    let friday = dir.path().join("friday.bundle");
    l.bundle(&friday).unwrap();

    let mut o = office(dir.path(), "office.sqlite");
    assert!(o.merge(&monday, &mut |_| {}).unwrap().flags.is_empty());
    let report = o.merge(&friday, &mut |_| {}).unwrap();
    assert_eq!(report.events_added, 2);
    let kinds: Vec<(FlagKind, i64)> = report.flags.iter().map(|f| (f.kind, f.seq)).collect();
    assert_eq!(
        kinds,
        [
            (FlagKind::BeforeFirst, 3),
            (FlagKind::ClockBackwards, 3),
            (FlagKind::BeforeFirst, 4)
        ]
    );
    assert_eq!(report.flags[1].times.unwrap().reference, at(200_000));
    // The flags and device row kept up by the merge are what a rebuild finds.
    let merged = o.derived_dump().unwrap();
    o.rebuild().unwrap();
    assert_eq!(o.derived_dump().unwrap(), merged);
}

#[test]
fn refuses_rows_cut_from_a_chain_tail() {
    let o = office_with_one_merge();
    let out = o.tampered(
        "cut.bundle",
        "DELETE FROM events WHERE seq = (SELECT max(seq) FROM events)",
    );
    assert_eq!(
        o.refuses(&out, "the manifest says"),
        RefusalKind::ManifestMismatch
    );
}

#[test]
fn refuses_a_file_added_on_the_way() {
    let o = office_with_one_merge();
    let out = o.tampered(
        "extra.bundle",
        // A file nothing refers to, hashed right: only the manifest tells.
        "INSERT INTO blobs (sha256, size, data)
         VALUES ('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', 1, x'00')",
    );
    assert_eq!(
        o.refuses(&out, "evidence files"),
        RefusalKind::ManifestMismatch
    );
}

#[test]
fn refuses_a_forged_manifest() {
    let o = office_with_one_merge();
    let out = o.tampered(
        "forged.bundle",
        "DELETE FROM events WHERE seq = (SELECT max(seq) FROM events);
         UPDATE bundle_info SET value = replace(value, '\"events\":', '\"events\": ')
          WHERE key = 'manifest'",
    );
    assert_eq!(o.refuses(&out, "signature"), RefusalKind::ManifestMismatch);
}

#[test]
fn refuses_a_bundle_whose_manifest_was_stripped() {
    let o = office_with_one_merge();
    let out = o.tampered(
        "stripped.bundle",
        "DELETE FROM events WHERE seq = (SELECT max(seq) FROM events);
         DELETE FROM bundle_info WHERE key LIKE 'manifest%'",
    );
    assert_eq!(
        o.refuses(&out, "no signed manifest"),
        RefusalKind::ManifestMismatch
    );
}

#[test]
fn an_office_ledger_takes_no_bundle_made_before_manifests() {
    let dir = tempfile::tempdir().unwrap();
    let full = laptop(dir.path(), 1, "张伟");
    let old = dir.path().join("old.bundle");
    drop_events(&full, &old, &[]);
    // An open ledger still takes it.
    let mut open = office(dir.path(), "open.sqlite");
    assert_eq!(open.merge(&old, &mut |_| {}).unwrap().events_added, 10);
    let mut pinned = office(dir.path(), "pinned.sqlite");
    pinned.pin_office(&"ab".repeat(32)).unwrap();
    let err = pinned.merge(&old, &mut |_| {}).unwrap_err();
    assert!(
        matches!(
            err,
            LedgerError::BadBundle {
                kind: RefusalKind::ManifestMismatch,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("no signed manifest"), "{err}");
}
