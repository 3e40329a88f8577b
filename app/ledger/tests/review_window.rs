//! The review window on a real ledger: keyset pages in every sort, both
//! directions, filters, Chinese search with the trigram index and the LIKE
//! fallback, counts, overdue rectifications and the detail pane.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod review_support;

use anfang_core::review::{Decision, ReviewStatus};
use anfang_ledger::Ledger;
use anfang_ledger::review_query::{Anchor, ReviewFilter, ReviewRow, Sort, SortKey};
use review_support::*;
use uuid::Uuid;

const UNITS: &[(&str, &str)] = &[
    ("市税务局第一税务分局办税服务厅", "税务"),
    ("市自然资源和规划局", "规划"),
    ("市政务服务中心", "政务服务"),
];
const LEADS: &[&str] = &["张伟", "刘洋", "陈静"];
const ITEMS: &[&str] = &[
    "late-arrival",
    "online-leisure",
    "first-inquiry",
    "eat-take-obstruct",
    "no-badge",
];
const NOTES: &[&str] = &[
    "上午9:05，窗口工作人员仍未到岗，群众排队等候约十分钟。",
    "工作人员在岗时间使用手机观看短视频，对前来咨询的群众未予理会。",
    "首问责任制落实不到位，群众被要求二次申请。",
    "50%的窗口无人，100_000号排队；请假条未见。",
];

struct Books {
    ledger: Ledger,
    _dir: tempfile::TempDir,
}

/// 3 visits × 20 findings with varied items, counts, statuses and notes,
/// plus 3 findings whose visit has not arrived (no unit, no inspector).
fn books() -> Books {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open_with_key(&dir.path().join("ledger.sqlite"), key(1)).unwrap();
    let mut batch = Vec::new();
    for v in 0..3u64 {
        let (name, dept) = UNITS[v as usize];
        let visit = uuid(1, v);
        batch.push((
            None,
            visit_opened(visit, &unit(name, dept), LEADS[v as usize], at(0)),
            at(0),
        ));
        for i in 0..20u64 {
            let n = v * 20 + i;
            let mut violation = Violation::new(ITEMS[(n % 5) as usize], 1 + (n % 4) as u32);
            violation.note = NOTES[(n % 4) as usize];
            let subject = format!("工号{:04}", n);
            violation.subject = Some(&subject);
            // Some findings share a time, so ties fall to the finding id.
            let t = at((n as i64 / 2) * 600);
            batch.push((None, violation.event(visit, uuid(2, n), t), t));
            let decision = match n % 6 {
                0 => Some(Decision::Confirm { points: None }),
                1 => Some(Decision::Dismiss {
                    reason: "证据不足".into(),
                }),
                2 => Some(Decision::RequireRectification {
                    deadline: day("2026-03-10"),
                    rejected: None,
                }),
                3 => Some(Decision::RequireRectification {
                    deadline: day("2026-04-30"),
                    rejected: None,
                }),
                _ => None,
            };
            if let Some(d) = decision {
                batch.push((
                    None,
                    decided(uuid(2, n), "王主任", d),
                    at(86_400 + n as i64),
                ));
            }
        }
    }
    for i in 0..3u64 {
        let t = at(i as i64 * 900);
        batch.push((
            None,
            Violation::new("late-arrival", 1).event(uuid(1, 99), uuid(3, i), t),
            t,
        ));
    }
    let items: Vec<_> = batch.iter().map(|(k, b, t)| (*k, b.clone(), *t)).collect();
    l.append_batch(&items).unwrap();
    Books {
        ledger: l,
        _dir: dir,
    }
}

fn ids(rows: &[ReviewRow]) -> Vec<Uuid> {
    rows.iter().map(|r| r.finding_id).collect()
}

/// Every row in one big page: the reference order.
fn all(l: &Ledger, filter: &ReviewFilter, sort: Sort) -> Vec<ReviewRow> {
    let page = l.review_page(filter, sort, &Anchor::First, 10_000).unwrap();
    assert!(!page.more);
    page.rows
}

fn forward_pages(l: &Ledger, filter: &ReviewFilter, sort: Sort, size: usize) -> Vec<Uuid> {
    let mut out = Vec::new();
    let mut page = l.review_page(filter, sort, &Anchor::First, size).unwrap();
    loop {
        out.extend(ids(&page.rows));
        if !page.more {
            return out;
        }
        let last = page.rows.last().unwrap().key.clone();
        page = l
            .review_page(filter, sort, &Anchor::After(last), size)
            .unwrap();
    }
}

fn backward_pages(l: &Ledger, filter: &ReviewFilter, sort: Sort, size: usize) -> Vec<Uuid> {
    let mut pages = Vec::new();
    let mut page = l.review_page(filter, sort, &Anchor::Last, size).unwrap();
    loop {
        pages.push(ids(&page.rows));
        if !page.more {
            break;
        }
        let first = page.rows.first().unwrap().key.clone();
        page = l
            .review_page(filter, sort, &Anchor::Before(first), size)
            .unwrap();
    }
    pages.reverse();
    pages.concat()
}

/// The value a sort orders by, for checking the reference order.
fn sort_value(row: &ReviewRow, key: SortKey) -> String {
    match key {
        SortKey::Time => String::new(),
        SortKey::Unit => row.unit.clone(),
        SortKey::Department => row.department.clone(),
        SortKey::Item => row.item_id.clone(),
        SortKey::Count => format!("{:010}", row.count),
        SortKey::Points => format!("{:010}", row.recorded_points.hundredths()),
        SortKey::Inspector => row.inspector.clone(),
        SortKey::Status => row.status().as_str().to_string(),
        SortKey::Deadline => row
            .state
            .deadline
            .map(|d| d.to_string())
            .unwrap_or_default(),
    }
}

#[test]
fn pages_in_every_sort_and_direction_cover_each_row_once() {
    let books = books();
    let l = &books.ledger;
    let filter = ReviewFilter::default();
    for key in SortKey::ALL.into_iter().chain([SortKey::Deadline]) {
        for descending in [false, true] {
            let sort = Sort { key, descending };
            let reference = all(l, &filter, sort);
            assert_eq!(reference.len(), 60, "{sort:?}");
            // The reference is ordered by the column, then time, then id.
            for pair in reference.windows(2) {
                let a = (
                    sort_value(&pair[0], key),
                    pair[0].observed_at,
                    pair[0].finding_id,
                );
                let b = (
                    sort_value(&pair[1], key),
                    pair[1].observed_at,
                    pair[1].finding_id,
                );
                if key == SortKey::Inspector {
                    // Grouped by inspector, then by visit: only the name is checked here.
                    let ok = if descending { a.0 >= b.0 } else { a.0 <= b.0 };
                    assert!(ok, "{sort:?}: {a:?} then {b:?}");
                } else {
                    let ok = if descending { a > b } else { a < b };
                    assert!(ok, "{sort:?}: {a:?} then {b:?}");
                }
            }
            for size in [1, 7, 20] {
                assert_eq!(
                    forward_pages(l, &filter, sort, size),
                    ids(&reference),
                    "{sort:?} forward by {size}"
                );
                assert_eq!(
                    backward_pages(l, &filter, sort, size),
                    ids(&reference),
                    "{sort:?} backward by {size}"
                );
            }
        }
    }
}

#[test]
fn a_window_reloads_in_place_from_a_row() {
    let books = books();
    let l = &books.ledger;
    let sort = Sort::default();
    let reference = all(l, &ReviewFilter::default(), sort);
    let from = reference[10].key.clone();
    let page = l
        .review_page(&ReviewFilter::default(), sort, &Anchor::From(from), 5)
        .unwrap();
    assert_eq!(ids(&page.rows), ids(&reference[10..15]));
}

#[test]
fn findings_in_a_visit_their_device_did_not_open_are_kept_refused_not_shown() {
    let books = books();
    let l = &books.ledger;
    let rows = all(
        l,
        &ReviewFilter::default(),
        Sort {
            key: SortKey::Unit,
            descending: false,
        },
    );
    assert!(rows.iter().all(|r| !r.unit.is_empty()));
    let refused = l.refused_events().unwrap();
    assert_eq!(refused.len(), 3, "kept, and listed by verify");
    assert!(
        refused
            .iter()
            .all(|r| r.kind == "finding_recorded" && r.reason.contains("opened the visit"))
    );
}

#[test]
fn filters_and_counts_agree() {
    let books = books();
    let l = &books.ledger;
    let check = |filter: ReviewFilter, expected: usize| {
        let rows = all(l, &filter, Sort::default());
        assert_eq!(rows.len(), expected, "{filter:?}");
        assert_eq!(
            l.review_count(&filter).unwrap(),
            expected as u64,
            "{filter:?}"
        );
        rows
    };
    let by_unit = check(
        ReviewFilter {
            unit: Some(UNITS[1].0.into()),
            ..ReviewFilter::default()
        },
        20,
    );
    assert!(by_unit.iter().all(|r| r.department == "规划"));
    check(
        ReviewFilter {
            department: Some("税务".into()),
            ..ReviewFilter::default()
        },
        20,
    );
    let pending = check(
        ReviewFilter {
            status: Some(ReviewStatus::Pending),
            ..ReviewFilter::default()
        },
        // n % 6 in {4, 5}: 20 of 60 (the 3 without a visit do not count).
        20,
    );
    assert!(pending.iter().all(|r| r.status() == ReviewStatus::Pending));
    check(
        ReviewFilter {
            inspector: Some("刘洋".into()),
            ..ReviewFilter::default()
        },
        20,
    );
    check(
        ReviewFilter {
            item: Some("first-inquiry".into()),
            ..ReviewFilter::default()
        },
        12,
    );
    check(
        ReviewFilter {
            checklist: Some("window".into()),
            ..ReviewFilter::default()
        },
        24,
    );
    // Observed before 2026-03-02T09:30Z: n / 2 * 600 s < 1800 s, so n < 6.
    check(
        ReviewFilter {
            observed: Some((at(0), at(1800))),
            ..ReviewFilter::default()
        },
        6,
    );
    let both = check(
        ReviewFilter {
            unit: Some(UNITS[0].0.into()),
            status: Some(ReviewStatus::Confirmed),
            ..ReviewFilter::default()
        },
        4,
    );
    assert!(both.iter().all(|r| r.status() == ReviewStatus::Confirmed));
}

/// The rows a search finds, checked against its count.
fn searched(l: &Ledger, text: &str) -> Vec<ReviewRow> {
    let filter = ReviewFilter {
        search: Some(text.into()),
        ..ReviewFilter::default()
    };
    let rows = all(l, &filter, Sort::default());
    assert_eq!(l.review_count(&filter).unwrap(), rows.len() as u64);
    rows
}

#[test]
fn chinese_search_uses_trigrams_and_short_terms_fall_back_to_like() {
    let books = books();
    let l = &books.ledger;
    let search = |text: &str| searched(l, text).len();
    // NOTES[1] in 15 findings.
    assert_eq!(search("短视频"), 15);
    // Two characters: below the trigram length, found by LIKE.
    assert_eq!(search("视频"), 15);
    // One character occurring in NOTES[0] (群众 is in 0, 1 and 2), and in none of the
    // visitless findings' note.
    assert_eq!(search("众"), 45);
    // Unit names are searched too.
    assert_eq!(search("规划局"), 20);
    // Subjects (badge numbers).
    assert_eq!(search("工号0042"), 1);
    // Every word must occur.
    assert_eq!(search("短视频 规划"), 5);
    // LIKE wildcards and FTS syntax in the query are plain text.
    assert_eq!(search("50%"), 15);
    assert_eq!(search("0_0"), 15);
    assert_eq!(search("\"OR"), 0);
    assert_eq!(search("NEAR(短视频)"), 0);
}

#[test]
fn search_finds_item_titles_in_both_languages() {
    let books = books();
    let l = &books.ledger;
    let search = |text: &str| searched(l, text);
    // Late arrivals: n % 5 == 0 (the 3 findings whose visit has not
    // arrived are refused, and not listed).
    for text in ["迟到", "late", "Late arrival", "LATE"] {
        let rows = search(text);
        assert_eq!(rows.len(), 12, "{text}");
        assert!(rows.iter().all(|r| r.item_id == "late-arrival"), "{text}");
    }
    // A title word and a unit's name together: both must hold.
    assert_eq!(search("迟到 规划局").len(), 4);
    // Title words, notes and subjects mix in one search box.
    assert_eq!(search("吃拿卡要 工号0003").len(), 1);
    assert_eq!(search("迟到 短视频").len(), 3);
    // A word in no title keeps finding notes only.
    assert_eq!(search("短视频").len(), 15);
}

#[test]
fn search_finds_a_registered_units_findings_by_its_alias() {
    let mut books = books();
    let tax_hall = UNITS[0].0;
    assert!(searched(&books.ledger, "一分局办税厅").is_empty());
    let registered = anfang_core::register::UnitRegistered {
        unit_id: uuid(9, 1),
        version: 1,
        name: tax_hall.into(),
        department: "税务".into(),
        kind: "窗口".into(),
        parent: None,
        aliases: vec!["一分局办税厅".into()],
        active_from: None,
        active_to: None,
    };
    books
        .ledger
        .append_at(
            &anfang_core::event::EventBody::UnitRegistered(registered),
            at(90_000),
        )
        .unwrap();
    // The alias is in no note, subject or recorded unit name: the register
    // says whose findings it means.
    let rows = searched(&books.ledger, "一分局办税厅");
    assert_eq!(rows.len(), 20);
    assert!(rows.iter().all(|r| r.unit == tax_hall));
    // With another word, both must hold.
    assert_eq!(searched(&books.ledger, "一分局办税厅 迟到").len(), 4);
    assert!(searched(&books.ledger, "一分局办税厅 规划局").is_empty());
}

#[test]
fn a_ledger_from_before_item_titles_finds_them_once_opened() {
    let Books { ledger, _dir: dir } = books();
    drop(ledger);
    let path = dir.path().join("ledger.sqlite");
    // As schema version 6 left it: no titles table.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("DROP TABLE item_titles; PRAGMA user_version = 6")
        .unwrap();
    drop(conn);
    let l = Ledger::open_with_key(&path, key(1)).unwrap();
    assert_eq!(
        anfang_ledger::schema_version(&path).unwrap(),
        Some(anfang_ledger::LEDGER_SCHEMA_VERSION)
    );
    let filter = ReviewFilter {
        search: Some("迟到".into()),
        ..ReviewFilter::default()
    };
    assert_eq!(l.review_count(&filter).unwrap(), 12);
}

#[test]
fn the_overdue_view_sorts_by_deadline_most_overdue_first() {
    let books = books();
    let l = &books.ledger;
    let filter = ReviewFilter {
        overdue_on: Some(day("2026-05-01")),
        ..ReviewFilter::default()
    };
    let sort = Sort {
        key: SortKey::Deadline,
        descending: false,
    };
    let rows = all(l, &filter, sort);
    // Both deadlines have passed: 2026-03-10 (10 findings) before 2026-04-30 (10).
    assert_eq!(rows.len(), 20);
    let deadlines: Vec<String> = rows
        .iter()
        .map(|r| r.state.deadline.unwrap().to_string())
        .collect();
    assert!(deadlines[..10].iter().all(|d| d == "2026-03-10"));
    assert!(deadlines[10..].iter().all(|d| d == "2026-04-30"));
    assert_eq!(forward_pages(l, &filter, sort, 3), ids(&rows));
}

#[test]
fn overdue_rectifications_are_found_and_counted() {
    let books = books();
    let l = &books.ledger;
    // Deadline 2026-03-10 for n % 6 == 2 (10 findings); 2026-04-30 for n % 6 == 3.
    assert_eq!(l.overdue_count(day("2026-03-10"), 100).unwrap(), (0, false));
    assert_eq!(
        l.overdue_count(day("2026-03-11"), 100).unwrap(),
        (10, false)
    );
    assert_eq!(
        l.overdue_count(day("2026-05-01"), 100).unwrap(),
        (20, false)
    );
    assert_eq!(l.overdue_count(day("2026-05-01"), 5).unwrap(), (5, true));
    let rows = all(
        l,
        &ReviewFilter {
            overdue_on: Some(day("2026-03-11")),
            ..ReviewFilter::default()
        },
        Sort::default(),
    );
    assert_eq!(rows.len(), 10);
    assert!(rows.iter().all(|r| r.overdue(day("2026-03-11"))));
    assert!(
        rows.iter()
            .all(|r| r.state.deadline == Some(day("2026-03-10")))
    );
}

#[test]
fn detail_has_the_whole_note_history_labels_and_rule() {
    let books = books();
    let mut l = books.ledger;
    let f = uuid(2, 3);
    l.append_at(
        &decided(
            f,
            "赵科长",
            Decision::Confirm {
                points: Some(anfang_core::Points::whole(18)),
            },
        ),
        at(200_000),
    )
    .unwrap();
    let detail = l.review_detail(f).unwrap().unwrap();
    assert_eq!(detail.note, NOTES[3]);
    assert_eq!(detail.team, ["张伟", "李娜"]);
    assert_eq!(detail.row.item.zh, "吃拿卡要");
    assert!(matches!(
        detail.row.rule,
        Some(anfang_core::rule::Rule::Range { .. })
    ));
    assert_eq!(detail.history.versions.len(), 1);
    assert_eq!(detail.history.decisions.len(), 2);
    assert_eq!(detail.row.status(), ReviewStatus::Confirmed);
    // Count 4 at the reviewer's 18 per case.
    assert_eq!(detail.row.points, anfang_core::Points::whole(72));
    assert_eq!(l.review_detail(uuid(9, 9)).unwrap(), None);
}

#[test]
fn choices_list_units_inspectors_and_items_with_labels() {
    let books = books();
    let choices = books.ledger.review_choices().unwrap();
    assert_eq!(choices.units.len(), 3);
    assert_eq!(choices.departments, ["政务服务", "税务", "规划"]);
    assert_eq!(choices.inspectors, ["刘洋", "张伟", "陈静"]);
    let items: Vec<&str> = choices.items.iter().map(|i| i.item_id.as_str()).collect();
    assert_eq!(
        items,
        [
            "late-arrival",
            "no-badge",
            "online-leisure",
            "eat-take-obstruct",
            "first-inquiry"
        ]
    );
    assert!(choices.items.iter().all(|i| i.item.zh != i.item_id));
}

#[test]
fn a_common_word_is_found_by_walking_an_index_with_the_same_rows_as_the_trigram_index() {
    // Over 5,000 matches: the search walks an index in sort order testing
    // each row with LIKE instead of reading every match; both must agree.
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open_with_key(&dir.path().join("ledger.sqlite"), key(1)).unwrap();
    let visit = uuid(1, 1);
    let mut batch = vec![(
        None,
        visit_opened(visit, &unit(UNITS[0].0, UNITS[0].1), "张伟", at(0)),
        at(0),
    )];
    let notes = ["窗口人员看短视频", "窗口无人值守", "看短视频未理会群众"];
    for n in 0..8100u64 {
        let mut v = Violation::new("online-leisure", 1);
        v.note = notes[(n % 3) as usize];
        let subject = format!("工号{n:04}");
        v.subject = Some(&subject);
        let t = at(n as i64 * 7);
        batch.push((None, v.event(visit, uuid(2, n), t), t));
    }
    l.append_batch(&batch).unwrap();
    let common = ReviewFilter {
        search: Some("短视频".into()),
        ..ReviewFilter::default()
    };
    // 2 of every 3 notes.
    assert_eq!(l.review_count(&common).unwrap(), 5400);
    assert_eq!(l.review_count_upto(&common, 1000).unwrap(), (1000, true));
    assert_eq!(l.review_count_upto(&common, 6000).unwrap(), (5400, false));
    for key in [SortKey::Time, SortKey::Points, SortKey::Inspector] {
        let sort = Sort {
            key,
            descending: true,
        };
        let got = forward_pages(&l, &common, sort, 700);
        assert_eq!(got.len(), 5400, "{sort:?}");
        let mut unique = got.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 5400, "{sort:?}: a row twice");
        assert!(
            got.iter().all(|id| id.as_u64_pair().1 % 3 != 1),
            "{sort:?}: a row without the word"
        );
    }
    // Two characters: LIKE, whatever the count.
    let everywhere = ReviewFilter {
        search: Some("窗口".into()),
        ..ReviewFilter::default()
    };
    assert_eq!(l.review_count(&everywhere).unwrap(), 5400);
    let badge = ReviewFilter {
        search: Some("工号0042".into()),
        ..ReviewFilter::default()
    };
    assert_eq!(ids(&all(&l, &badge, Sort::default())), [uuid(2, 42)]);
}

#[test]
fn capped_counts_stop_at_the_cap() {
    let books = books();
    let l = &books.ledger;
    assert_eq!(
        l.review_count_upto(&ReviewFilter::default(), 10).unwrap(),
        (10, true)
    );
    assert_eq!(
        l.review_count_upto(&ReviewFilter::default(), 60).unwrap(),
        (60, false)
    );
}
