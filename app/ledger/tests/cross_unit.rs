//! Scores across units against a real ledger file: approval items not
//! moved into the service center (四(二)) cost the department whose items
//! they are, not the center where the finding was recorded.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use anfang_core::Points;
use anfang_core::event::{EventBody, VisitOpened};
use anfang_core::finding::{FindingRecord, FindingResult};
use anfang_core::period::Period;
use anfang_core::review::{Decision, ReviewRecord};
use anfang_core::rule::RuleInput;
use anfang_core::visit::{Unit, VisitKind};
use anfang_ledger::Ledger;
use fixtures::*;

#[test]
fn approval_items_not_moved_cost_the_department_not_the_center() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open_with_key(&dir.path().join("l.sqlite"), key(1)).unwrap();
    let mut planning = match unit_registered(uuid(7, 1), 1, "市自然资源和规划局") {
        EventBody::UnitRegistered(u) => u,
        _ => unreachable!(),
    };
    planning.department = "规划".into();
    planning.aliases = vec!["规划局".into()];
    l.append_at(&EventBody::UnitRegistered(planning), at(1))
        .unwrap();
    // The service center's checklist, as a visit records it (its rule here
    // a fixed count, the ids those of the service-center plugin).
    let mut snapshot = checklists().into_iter().next().unwrap();
    snapshot.plugin_id = "service-center".into();
    snapshot.checklist.items.truncate(1);
    snapshot.checklist.items[0].id = "center-items-not-moved".into();
    let item = snapshot.checklist.items[0].clone();
    let visit_id = uuid(1, 1);
    l.append_at(
        &EventBody::VisitOpened(VisitOpened {
            rechecks: None,
            unit_id: None,
            visit_id,
            unit: Unit {
                name: "市政务服务中心".into(),
                department: "政务服务".into(),
            },
            kind: VisitKind::Open,
            team: vec!["张伟".into()],
            started_at: at(100),
            checklists: vec![snapshot.clone()],
        }),
        at(100),
    )
    .unwrap();
    let input = RuleInput {
        count: 2,
        ..RuleInput::default()
    };
    let points = item.rule.deduction(&input).unwrap();
    let finding_id = uuid(2, 1);
    l.append_at(
        &EventBody::FindingRecorded(FindingRecord {
            finding_id,
            visit_id,
            item: snapshot.item_ref(&item),
            result: FindingResult::Violation,
            input,
            subject: Some("规划局".into()),
            note: "两项审批未进驻".into(),
            observed_at: at(200),
            points,
            points_by_hand: false,
            supersedes: None,
            source: None,
        }),
        at(200),
    )
    .unwrap();
    l.append_at(
        &EventBody::ReviewDecided(ReviewRecord {
            finding_id,
            reviewer: "王主任".into(),
            decision: Decision::Confirm { points: None },
            follows: None,
            reason: None,
        }),
        at(300),
    )
    .unwrap();
    let day = jiff::tz::TimeZone::UTC.to_datetime(at(200)).date();
    let period = Period::new(day, day).unwrap();
    let ranking = l.ranking(period, &jiff::tz::TimeZone::UTC).unwrap();
    let score = |name: &str| {
        ranking
            .units
            .iter()
            .find(|u| u.unit.name == name)
            .unwrap_or_else(|| panic!("{name}: {ranking:?}"))
    };
    assert!(points > Points::ZERO);
    let department = score("市自然资源和规划局");
    assert_eq!(department.deducted, points, "{department:?}");
    assert_eq!(department.extra[0].section, "四(二)");
    assert!(department.extra[0].reason.zh.contains("市政务服务中心"));
    assert_eq!(department.extra[0].source, finding_id.to_string());
    let center = score("市政务服务中心");
    assert_eq!(center.deducted, Points::ZERO, "{center:?}");
    assert_eq!(center.score, Points::whole(100));
}
