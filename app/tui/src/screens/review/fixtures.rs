//! Hand-built review rows and details for the review and scores tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anfang_core::Points;
use anfang_core::core_checklists::core_manifest;
use anfang_core::finding::{EvidenceRecord, FindingRecord, FindingResult};
use anfang_core::label::Label;
use anfang_core::review::{DatedDecision, Decision, ReviewRecord, ReviewStatus};
use anfang_core::review_state::ReviewState;
use anfang_core::rule::{Rule, RuleInput};
use anfang_ledger::review_query::{ReviewDetail, ReviewPage, ReviewRow, RowKey};
use anfang_ledger::{CurrentFinding, FindingHistory};
use uuid::Uuid;

const UNITS: &[(&str, &str)] = &[
    ("市税务局第一税务分局办税服务厅", "税务"),
    ("市自然资源和规划局", "规划"),
    ("市政务服务中心", "政务服务"),
    ("市住房和城乡建设局", "住建"),
];
const ITEMS: &[&str] = &[
    "late-arrival",
    "online-leisure",
    "first-inquiry",
    "no-badge",
    "four-difficulties",
];
const LEADS: &[&str] = &["张伟", "刘洋", "陈静"];
const NOTES: &[&str] = &[
    "上午9:05，3号窗口工作人员仍未到岗，群众排队等候约十分钟。",
    "工作人员在岗时间使用手机观看短视频，对前来咨询的群众未予理会。",
    "首问责任制落实不到位，群众被要求二次申请。",
];

/// 2026-11-20 01:00 UTC minus `n` hours.
fn observed(n: usize) -> jiff::Timestamp {
    let base: jiff::Timestamp = "2026-11-20T01:00:00Z".parse().unwrap();
    base - jiff::SignedDuration::from_hours(n as i64)
}

/// Row `n` of an endless, newest-first list.
pub fn row(n: usize) -> ReviewRow {
    let (unit, department) = UNITS[n % UNITS.len()];
    let item_id = ITEMS[n % ITEMS.len()];
    let manifest = core_manifest();
    let (checklist, item) = manifest.item(item_id).unwrap();
    let count = 1 + (n % 3) as u32;
    let input = RuleInput {
        count,
        ..RuleInput::default()
    };
    let points = item.rule.deduction(&input).unwrap();
    let status = ReviewStatus::ALL[n % ReviewStatus::ALL.len()];
    let deadline: Option<jiff::civil::Date> = match status {
        ReviewStatus::RectificationRequired | ReviewStatus::Rectified | ReviewStatus::Verified => {
            // Every other order is past its deadline.
            Some(
                if (n / 6).is_multiple_of(2) {
                    "2026-11-10"
                } else {
                    "2026-12-10"
                }
                .parse()
                .unwrap(),
            )
        }
        _ => None,
    };
    ReviewRow {
        finding_id: Uuid::from_u64_pair(2, n as u64),
        event_id: format!("{:064x}", n),
        visit_id: Uuid::from_u64_pair(1, (n / 5) as u64),
        observed_at: observed(n),
        unit: unit.into(),
        unit_typed: None,
        department: department.into(),
        plugin_id: "core".into(),
        checklist_id: checklist.id.clone(),
        item_id: item_id.into(),
        item: item.label.clone(),
        checklist: checklist.label.clone(),
        rule: Some(item.rule.clone()),
        count,
        recorded_points: points,
        points,
        inspector: LEADS[n % LEADS.len()].into(),
        state: ReviewState {
            status,
            points_per_count: None,
            deadline,
        },
        subject: Some(format!("工号{:04}", 300 + n)),
        note: NOTES[n % NOTES.len()].into(),
        versions: 1,
        conflict: false,
        key: RowKey::default(),
    }
}

/// A page of rows `from..from + n`.
pub fn page(from: usize, n: usize, more: bool) -> ReviewPage {
    ReviewPage {
        rows: (from..from + n).map(row).collect(),
        more,
    }
}

/// A pending finding on the 10-20 points range item.
pub fn range_row() -> ReviewRow {
    let manifest = core_manifest();
    let (checklist, item) = manifest.item("eat-take-obstruct").unwrap();
    let mut r = row(0);
    r.item_id = item.id.clone();
    r.item = item.label.clone();
    r.checklist = checklist.label.clone();
    r.rule = Some(item.rule.clone());
    assert!(matches!(r.rule, Some(Rule::Range { .. })));
    r.count = 1;
    r.recorded_points = Points::whole(10);
    r.points = Points::whole(10);
    r.state = ReviewState::of(ReviewStatus::Pending, &[]);
    r
}

/// The detail of row `n`: whole note, a photo, two versions and two decisions.
pub fn detail(n: usize) -> ReviewDetail {
    let r = row(n);
    let record = |note: &str, supersedes: Option<String>| FindingRecord {
        finding_id: r.finding_id,
        visit_id: r.visit_id,
        item: anfang_core::manifest::ItemRef {
            plugin_id: "core".into(),
            plugin_version: "1.0.0".into(),
            checklist_id: r.checklist_id.clone(),
            item_id: r.item_id.clone(),
        },
        result: FindingResult::Violation,
        input: RuleInput {
            count: r.count,
            ..RuleInput::default()
        },
        subject: r.subject.clone(),
        note: note.into(),
        observed_at: r.observed_at,
        points: r.points,
        points_by_hand: false,
        supersedes,
        source: None,
    };
    let evidence = vec![EvidenceRecord {
        finding_id: r.finding_id,
        sha256: "a3f1".repeat(16),
        file_name: "窗口照片_0905.jpg".into(),
        size: 482_113,
    }];
    let version = |event: &str, rec: FindingRecord, minutes: i64| CurrentFinding {
        event_id: event.into(),
        device_id: "d1".repeat(32),
        claimed_time: r.observed_at + jiff::SignedDuration::from_mins(minutes),
        record: rec,
        evidence: evidence.clone(),
        status: r.status(),
        versions: 2,
        conflict: false,
    };
    let long_note = "上午九点四十分，三号窗口工作人员（工号0317）在岗期间使用手机观看短视频约十二分钟，期间有两名群众在窗口前等候办理社保业务，无人接待。检查组拍照取证后，该工作人员才放下手机开始办理。";
    let decided = |event: &str, who: &str, days: i64, decision: Decision| {
        (
            ReviewRecord {
                finding_id: r.finding_id,
                reviewer: who.into(),
                decision: decision.clone(),
                follows: None,
                reason: None,
            },
            DatedDecision {
                event_id: event.into(),
                claimed_time: r.observed_at + jiff::SignedDuration::from_hours(24 * days),
                decision,
            },
            "e2".repeat(32),
        )
    };
    ReviewDetail {
        refused: Vec::new(),
        note: long_note.into(),
        team: vec![r.inspector.clone(), "李娜".into()],
        evidence: evidence.clone(),
        history: FindingHistory {
            outcomes: Vec::new(),
            versions: vec![
                version(&"1a".repeat(32), record(&r.note, None), 1),
                version(
                    &"2b".repeat(32),
                    record(long_note, Some("1a".repeat(32))),
                    30,
                ),
            ],
            decisions: vec![
                decided(
                    &"3c".repeat(32),
                    "王主任",
                    2,
                    Decision::Confirm { points: None },
                ),
                decided(
                    &"4d".repeat(32),
                    "赵科长",
                    3,
                    Decision::RequireRectification {
                        deadline: "2026-11-10".parse().unwrap(),
                        rejected: None,
                    },
                ),
            ],
            // Open mode: the names the devices claimed.
            signers: Default::default(),
        },
        row: r,
        rechecks: Vec::new(),
    }
}

/// A label pair, for hand-built breakdowns.
pub fn label(zh: &str, en: &str) -> Label {
    Label::new(zh, en)
}
