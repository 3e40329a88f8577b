//! The inspector path against real ledger files: append, derive, read back.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use anfang_core::review::ReviewStatus;
use anfang_ledger::{Ledger, LedgerError, MAX_EVIDENCE_BYTES};
use fixtures::*;

fn ledger(dir: &std::path::Path) -> Ledger {
    Ledger::open_with_key(&dir.join("ledger.sqlite"), key(1)).unwrap()
}

#[test]
fn open_creates_ledger_and_key_and_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let first = Ledger::open(dir.path()).unwrap();
    let device = first.device_id().to_string();
    drop(first);
    let again = Ledger::open(dir.path()).unwrap();
    assert_eq!(again.device_id(), device);
    assert!(dir.path().join("ledger.sqlite").is_file());
    assert!(dir.path().join("device.key").is_file());
}

#[test]
fn a_visit_with_findings_reads_back_with_notes_intact() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(dir.path());
    let visit = uuid(1, 1);
    l.append_at(&visit_opened(visit, 0, "张伟", at(0)), at(0))
        .unwrap();
    let f1 = uuid(2, 1);
    let f2 = uuid(2, 2);
    l.append_at(&finding(visit, f1, 0, at(60)), at(60)).unwrap();
    l.append_at(&finding(visit, f2, 1, at(120)), at(120))
        .unwrap();

    let home = l.home_visits(10).unwrap();
    assert_eq!(home.len(), 1);
    assert_eq!(home[0].findings, 2);
    assert_eq!(home[0].points, anfang_core::Points::whole(3));
    assert_eq!(home[0].closed_at, None);
    assert_eq!(home[0].team[0], "张伟");

    let detail = l.visit(visit).unwrap().unwrap();
    assert_eq!(detail.findings.len(), 2);
    assert_eq!(detail.findings[0].record.note, NOTES[0]);
    assert_eq!(detail.findings[1].record.note, NOTES[1]);
    assert_eq!(detail.findings[0].status, ReviewStatus::Pending);
    assert_eq!(detail.checklists.len(), 1);
    assert_eq!(l.known_units().unwrap(), vec![unit(0)]);

    l.append_at(&visit_closed(visit, at(600)), at(600)).unwrap();
    let home = l.home_visits(10).unwrap();
    assert_eq!(home[0].closed_at, Some(at(600)));
}

#[test]
fn unfinished_visits_come_first_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(dir.path());
    for i in 0..4u64 {
        let v = uuid(1, i);
        l.append_at(
            &visit_opened(v, i as usize, "张伟", at(i as i64 * 100)),
            at(i as i64 * 100),
        )
        .unwrap();
        if i % 2 == 0 {
            l.append_at(
                &visit_closed(v, at(i as i64 * 100 + 50)),
                at(i as i64 * 100 + 50),
            )
            .unwrap();
        }
    }
    let order: Vec<_> = l
        .home_visits(10)
        .unwrap()
        .iter()
        .map(|v| v.visit_id)
        .collect();
    assert_eq!(order, vec![uuid(1, 3), uuid(1, 1), uuid(1, 2), uuid(1, 0)]);
    assert_eq!(l.home_visits(2).unwrap().len(), 2);
}

#[test]
fn home_pages_join_up_to_the_whole_list() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(dir.path());
    for i in 0..9u64 {
        let v = uuid(1, i);
        // Visits started in the same second, so the order falls back to ids.
        let t = (i as i64 / 3) * 100;
        l.append_at(&visit_opened(v, i as usize, "张伟", at(t)), at(t))
            .unwrap();
        if i % 3 != 1 {
            l.append_at(&visit_closed(v, at(t + 50)), at(t + 50))
                .unwrap();
        }
    }
    let whole: Vec<_> = l
        .home_visits(100)
        .unwrap()
        .iter()
        .map(|v| v.visit_id)
        .collect();
    assert_eq!(whole.len(), 9);
    for size in 1..=4 {
        let mut page = l.home_visits(size).unwrap();
        let mut walked: Vec<_> = page.iter().map(|v| v.visit_id).collect();
        while let Some(last) = page.last() {
            let key = anfang_ledger::HomeKey {
                closed: last.closed_at.is_some(),
                started_at: last.started_at,
                visit_id: last.visit_id,
            };
            page = l.home_visits_after(key, size).unwrap();
            assert!(page.len() <= size);
            walked.extend(page.iter().map(|v| v.visit_id));
        }
        assert_eq!(walked, whole, "pages of {size}");
    }
}

#[test]
fn corrections_and_reviews_show_in_history_and_status() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(dir.path());
    let visit = uuid(1, 1);
    let f = uuid(2, 1);
    l.append_at(&visit_opened(visit, 0, "张伟", at(0)), at(0))
        .unwrap();
    let first = l.append_at(&finding(visit, f, 0, at(10)), at(10)).unwrap();
    // Recorded once: its one version is its findings row.
    let once = l.finding_history(f).unwrap();
    assert_eq!(once.versions.len(), 1);
    assert_eq!(once.versions[0].event_id, first);
    l.append_at(&correction(visit, f, 0, at(10), &first), at(20))
        .unwrap();
    l.append_at(&review(f, 0), at(30)).unwrap();
    let history = l.finding_history(f).unwrap();
    assert_eq!(history.versions.len(), 2);
    assert_eq!(history.versions[0].event_id, first);
    assert!(history.versions[1].record.note.starts_with("更正"));
    assert_eq!(history.decisions.len(), 1);
    assert_eq!(history.decisions[0].2, l.device_id());
    let current = &l.visit(visit).unwrap().unwrap().findings[0];
    assert_eq!(current.versions, 2);
    assert!(!current.conflict);
    assert!(current.record.note.starts_with("更正"));
    assert_eq!(current.status, ReviewStatus::Confirmed);
    // A later dismissal wins.
    l.append_at(&review(f, 1), at(40)).unwrap();
    assert_eq!(
        l.visit(visit).unwrap().unwrap().findings[0].status,
        ReviewStatus::Dismissed
    );
}

#[test]
fn two_corrections_of_one_version_are_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(dir.path());
    let visit = uuid(1, 1);
    let f = uuid(2, 1);
    l.append_at(&visit_opened(visit, 0, "张伟", at(0)), at(0))
        .unwrap();
    let first = l.append_at(&finding(visit, f, 0, at(10)), at(10)).unwrap();
    l.append_at(&correction(visit, f, 1, at(10), &first), at(20))
        .unwrap();
    l.append_at(&correction(visit, f, 2, at(10), &first), at(25))
        .unwrap();
    let current = &l.visit(visit).unwrap().unwrap().findings[0];
    assert!(current.conflict);
    assert_eq!(current.versions, 3);
}

#[test]
fn another_devices_correction_is_kept_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(dir.path());
    let visit = uuid(1, 1);
    let f = uuid(2, 1);
    l.append_at(&visit_opened(visit, 0, "张伟", at(0)), at(0))
        .unwrap();
    let first = l.append_at(&finding(visit, f, 0, at(10)), at(10)).unwrap();
    let forged = l
        .append_as(&key(2), &correction(visit, f, 2, at(10), &first), at(25))
        .unwrap();
    let current = &l.visit(visit).unwrap().unwrap().findings[0];
    assert!(!current.conflict);
    assert_eq!(current.versions, 1);
    assert_eq!(current.event_id, first);
    let refused = l.refused_events().unwrap();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].event_id, forged.to_string());
    assert_eq!(refused[0].class, "unauthorized");
    assert!(
        refused[0].reason.contains("device that opened the visit"),
        "{:?}",
        refused[0]
    );
}

#[test]
fn events_table_refuses_update_and_delete() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    {
        let mut l = Ledger::open_with_key(&path, key(1)).unwrap();
        l.append_at(&visit_opened(uuid(1, 1), 0, "张伟", at(0)), at(0))
            .unwrap();
    }
    let conn = rusqlite::Connection::open(&path).unwrap();
    let upd = conn
        .execute("UPDATE events SET body = '{}'", [])
        .unwrap_err()
        .to_string();
    assert!(upd.contains("append-only"), "{upd}");
    let del = conn
        .execute("DELETE FROM events", [])
        .unwrap_err()
        .to_string();
    assert!(del.contains("append-only"), "{del}");
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let app: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(app, anfang_ledger::LEDGER_APPLICATION_ID);
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, anfang_ledger::LEDGER_SCHEMA_VERSION);
}

#[test]
fn event_ids_are_sha256_of_the_documented_bytes_and_chains_link() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let mut l = Ledger::open_with_key(&path, key(1)).unwrap();
    let a = l
        .append_at(&visit_opened(uuid(1, 1), 0, "张伟", at(0)), at(0))
        .unwrap();
    let b = l
        .append_at(&visit_closed(uuid(1, 1), at(5)), at(5))
        .unwrap();
    drop(l);
    let conn = rusqlite::Connection::open(&path).unwrap();
    type EventRow = (
        String,
        String,
        i64,
        Option<String>,
        String,
        i64,
        String,
        String,
    );
    let rows: Vec<EventRow> = conn
        .prepare("SELECT id, device, seq, prev, claimed_time, schema, kind, body FROM events ORDER BY seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows[0].0, a);
    assert_eq!(rows[1].0, b);
    assert_eq!(rows[1].3.as_deref(), Some(a.as_str()));
    for (id, device, seq, prev, time, schema, kind, body) in rows {
        let text = format!(
            "anfang-event-v1\n{device}\n{seq}\n{}\n{time}\n{schema}\n{kind}\n{body}",
            prev.unwrap_or_default()
        );
        assert_eq!(anfang_ledger::canonical::sha256_hex(text.as_bytes()), id);
    }
}

#[test]
fn evidence_is_stored_by_hash_and_exported() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(dir.path());
    let visit = uuid(1, 1);
    let f = uuid(2, 1);
    l.append_at(&visit_opened(visit, 0, "张伟", at(0)), at(0))
        .unwrap();
    l.append_at(&finding(visit, f, 0, at(10)), at(10)).unwrap();
    let photo = dir.path().join("门口照片.jpg");
    std::fs::write(&photo, b"\xff\xd8 not really a jpeg").unwrap();
    let record = l.attach_evidence(f, &photo).unwrap();
    assert_eq!(record.file_name, "门口照片.jpg");
    assert_eq!(
        record.sha256,
        anfang_ledger::canonical::sha256_hex(b"\xff\xd8 not really a jpeg")
    );
    let current = &l.visit(visit).unwrap().unwrap().findings[0];
    assert_eq!(current.evidence, vec![record.clone()]);
    let out = l
        .export_evidence(&record.sha256, &record.file_name, &dir.path().join("out"))
        .unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), b"\xff\xd8 not really a jpeg");
    assert!(
        out.file_name()
            .unwrap()
            .to_string_lossy()
            .ends_with("-门口照片.jpg")
    );
    // Unknown finding and unknown blob are refused by name.
    let err = l.attach_evidence(uuid(9, 9), &photo).unwrap_err();
    assert!(matches!(err, LedgerError::NoSuchFinding(_)), "{err}");
    let err = l
        .export_evidence(&"0".repeat(64), "x", dir.path())
        .unwrap_err();
    assert!(err.to_string().contains(&"0".repeat(64)), "{err}");
}

#[test]
fn evidence_over_the_limit_is_refused_with_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(dir.path());
    let visit = uuid(1, 1);
    let f = uuid(2, 1);
    l.append_at(&visit_opened(visit, 0, "张伟", at(0)), at(0))
        .unwrap();
    l.append_at(&finding(visit, f, 0, at(10)), at(10)).unwrap();
    let big = dir.path().join("video.mp4");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(MAX_EVIDENCE_BYTES + 1).unwrap(); // sparse: no real 64 MiB written
    let before = l.event_count().unwrap();
    let err = l.attach_evidence(f, &big).unwrap_err().to_string();
    assert!(
        err.contains("video.mp4") && err.contains(&(MAX_EVIDENCE_BYTES + 1).to_string()),
        "{err}"
    );
    assert_eq!(l.event_count().unwrap(), before);
}

#[test]
fn rebuild_gives_identical_derived_tables() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = ledger(dir.path());
    let visit = uuid(1, 1);
    l.append_at(&visit_opened(visit, 0, "张伟", at(0)), at(0))
        .unwrap();
    let mut last = String::new();
    for i in 0..20u64 {
        let f = uuid(2, i);
        last = l
            .append_at(
                &finding(visit, f, i as usize, at(10 + i as i64)),
                at(10 + i as i64),
            )
            .unwrap();
        if i % 3 == 0 {
            l.append_at(&review(f, i as usize), at(100 + i as i64))
                .unwrap();
        }
    }
    l.append_at(&correction(visit, uuid(2, 19), 3, at(29), &last), at(200))
        .unwrap();
    l.append_as(&key(3), &visit_opened(uuid(1, 2), 2, "陈静", at(5)), at(5))
        .unwrap();
    l.append_at(&visit_closed(visit, at(300)), at(300)).unwrap();
    let before = l.derived_dump().unwrap();
    assert!(before.contains("更正"));
    l.rebuild().unwrap();
    assert_eq!(l.derived_dump().unwrap(), before);
    let report = l.verify(true).unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(report.signatures_checked, l.event_count().unwrap());
}

#[test]
fn full_text_search_finds_chinese_notes_and_units() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let mut l = Ledger::open_with_key(&path, key(1)).unwrap();
    let visit = uuid(1, 1);
    l.append_at(&visit_opened(visit, 1, "张伟", at(0)), at(0))
        .unwrap();
    l.append_at(&finding(visit, uuid(2, 1), 1, at(10)), at(10))
        .unwrap();
    drop(l);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let hits = |q: &str| -> i64 {
        conn.query_row(
            "SELECT count(*) FROM findings_fts WHERE findings_fts MATCH ?1",
            [anfang_ledger::review_query::trigram_query(q)],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(hits("短视频"), 1);
    assert_eq!(hits("规划局"), 1);
    assert_eq!(hits("不存在的词"), 0);
}

#[test]
fn a_file_of_another_application_is_not_opened_as_a_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE t(x)").unwrap();
    drop(conn);
    let err = Ledger::open_with_key(&path, key(1))
        .unwrap_err()
        .to_string();
    assert!(err.contains("not an anfang ledger"), "{err}");
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "这不是数据库".repeat(200)).unwrap();
    let err = Ledger::open_with_key(&text, key(1))
        .unwrap_err()
        .to_string();
    assert!(err.contains("not an anfang ledger"), "{err}");
}

#[test]
fn a_ledger_of_a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    drop(Ledger::open_with_key(&path, key(1)).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA user_version = 99").unwrap();
    drop(conn);
    let err = Ledger::open_with_key(&path, key(1))
        .unwrap_err()
        .to_string();
    assert!(err.contains("99"), "{err}");
}

#[test]
fn full_text_index_follows_corrections() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let mut l = Ledger::open_with_key(&path, key(1)).unwrap();
    let visit = uuid(1, 1);
    l.append_at(&visit_opened(visit, 1, "张伟", at(0)), at(0))
        .unwrap();
    let first = l
        .append_at(&finding(visit, uuid(2, 1), 0, at(10)), at(10))
        .unwrap();
    l.append_at(&correction(visit, uuid(2, 1), 1, at(10), &first), at(20))
        .unwrap();
    let report = l.verify(true).unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    drop(l);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let hits = |q: &str| -> i64 {
        conn.query_row(
            "SELECT count(*) FROM findings_fts WHERE findings_fts MATCH ?1",
            [anfang_ledger::review_query::trigram_query(q)],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(hits("仍未到岗"), 0, "the corrected note is no longer found");
    assert_eq!(hits("短视频"), 1, "the correction is");
    assert_eq!(hits("更正："), 1);
    assert!(
        anfang_ledger::review_query::trigram_query("更正").is_empty(),
        "trigram search needs three characters"
    );
    assert_eq!(
        hits("规划局"),
        1,
        "the unit, known only once the visit arrived"
    );
}
