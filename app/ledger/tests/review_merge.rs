//! Two reviewers decide the same finding on different laptops; the office
//! merges their bundles in either order and gets both decisions in the
//! history and the same status.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod review_support;

use anfang_core::review::{Decision, ReviewStatus};
use anfang_ledger::Ledger;
use review_support::*;
use std::path::{Path, PathBuf};

fn open(dir: &Path, name: &str, device: u8) -> Ledger {
    Ledger::open_with_key(&dir.join(format!("{name}.sqlite")), key(device)).unwrap()
}

fn bundle(ledger: &Ledger, dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(format!("{name}.bundle"));
    ledger.bundle(&path).unwrap();
    path
}

fn merge(ledger: &mut Ledger, path: &Path) {
    ledger.merge(path, &mut |_| {}).unwrap();
}

/// The inspector's bundle: one visit, one finding. Returns the bundle and the finding.
fn inspected(dir: &Path) -> (PathBuf, uuid::Uuid) {
    let mut inspector = open(dir, "inspector", 1);
    let v = uuid(1, 1);
    let f = uuid(2, 1);
    inspector
        .append_at(
            &visit_opened(v, &unit("市政务服务中心", "政务服务"), "张伟", at(0)),
            at(0),
        )
        .unwrap();
    inspector
        .append_at(&Violation::new("four-ones", 1).event(v, f, at(60)), at(60))
        .unwrap();
    (bundle(&inspector, dir, "inspector"), f)
}

/// A reviewer on their own laptop merges the inspector's bundle, decides,
/// and bundles the result.
fn reviewer(
    dir: &Path,
    name: &str,
    device: u8,
    from: &Path,
    decision: (Decision, i64, &str),
) -> PathBuf {
    let mut l = open(dir, name, device);
    merge(&mut l, from);
    let (decision, second, who) = decision;
    l.append_at(&decided(uuid(2, 1), who, decision), at(second))
        .unwrap();
    bundle(&l, dir, name)
}

fn office(dir: &Path, name: &str, bundles: &[&Path]) -> Ledger {
    let mut l = open(dir, name, 9);
    for b in bundles {
        merge(&mut l, b);
    }
    l
}

#[test]
fn later_decision_wins_in_either_merge_order_and_both_stay_in_history() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (base, f) = inspected(d);
    let confirm = reviewer(
        d,
        "r1",
        2,
        &base,
        (Decision::Confirm { points: None }, 1000, "王主任"),
    );
    let dismiss = reviewer(
        d,
        "r2",
        3,
        &base,
        (
            Decision::Dismiss {
                reason: "被检查人当日请假，有假条".into(),
            },
            2000,
            "赵科长",
        ),
    );
    let one = office(d, "office1", &[&base, &confirm, &dismiss]);
    let two = office(d, "office2", &[&dismiss, &confirm, &base]);
    for l in [&one, &two] {
        let detail = l.review_detail(f).unwrap().unwrap();
        assert_eq!(detail.row.status(), ReviewStatus::Dismissed);
        let who: Vec<(&str, String)> = detail
            .history
            .decisions
            .iter()
            .map(|(record, dated, _device)| {
                (record.reviewer.as_str(), dated.claimed_time.to_string())
            })
            .collect();
        assert_eq!(
            who,
            [
                ("王主任", at(1000).to_string()),
                ("赵科长", at(2000).to_string())
            ]
        );
        let devices: Vec<&str> = detail
            .history
            .decisions
            .iter()
            .map(|d| d.2.as_str())
            .collect();
        assert_eq!(devices, [key(2).device_id(), key(3).device_id()]);
    }
}

#[test]
fn equal_claimed_times_fall_to_the_larger_event_id_in_either_order() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (base, f) = inspected(d);
    let a = reviewer(
        d,
        "r1",
        2,
        &base,
        (Decision::Confirm { points: None }, 1000, "王主任"),
    );
    let b = reviewer(
        d,
        "r2",
        3,
        &base,
        (
            Decision::RequireRectification {
                deadline: day("2026-04-30"),
                rejected: None,
            },
            1000,
            "赵科长",
        ),
    );
    let one = office(d, "office1", &[&base, &a, &b]);
    let two = office(d, "office2", &[&b, &base, &a]);
    let first = one.review_detail(f).unwrap().unwrap();
    let second = two.review_detail(f).unwrap().unwrap();
    assert_eq!(first.row.state, second.row.state);
    assert_eq!(first.history.decisions.len(), 2);
    // Whichever event id is larger decides.
    let winner = first
        .history
        .decisions
        .iter()
        .max_by(|x, y| x.1.event_id.cmp(&y.1.event_id))
        .unwrap();
    assert_eq!(first.row.status(), ReviewStatus::after(&winner.1.decision));
}
