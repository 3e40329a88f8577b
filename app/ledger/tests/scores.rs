//! Scores against a hand calculation from DOMAIN.md's table, one finding of
//! every rule kind, on a real ledger file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod review_support;

use anfang_core::Points;
use anfang_core::period::{Period, Step};
use anfang_core::review::Decision;
use anfang_core::score::{Appraisal, AspectVotes, Grade};
use anfang_ledger::Ledger;
use jiff::tz::TimeZone;
use review_support::*;

fn p(hundredths: i64) -> Points {
    Points::from_hundredths(hundredths)
}

fn march() -> Period {
    Period::new(day("2026-03-01"), day("2026-03-31")).unwrap()
}

struct Books {
    ledger: Ledger,
    _dir: tempfile::TempDir,
}

/// Five units, one of them with a finding of every rule kind.
fn books() -> Books {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open_with_key(&dir.path().join("ledger.sqlite"), key(1)).unwrap();
    let tax = unit("市税务局第一税务分局办税服务厅", "税务");
    let finance = unit("市财政局", "财政");
    let housing = unit("市住房和城乡建设局", "住建");
    let center = unit("市政务服务中心", "政务服务");
    let planning = unit("市自然资源和规划局", "规划");
    let reviewer = "王主任";

    let v = uuid(1, 1);
    l.append_at(&visit_opened(v, &tax, "张伟", at(0)), at(0))
        .unwrap();
    let mut n = 0u64;
    let mut record = |l: &mut Ledger, violation: Violation<'_>, decisions: Vec<Decision>| {
        n += 1;
        let f = uuid(2, n);
        let t = at(60 * n as i64);
        l.append_at(&violation.event(v, f, t), t).unwrap();
        for (i, d) in decisions.into_iter().enumerate() {
            let when = at(86_400 + 60 * (n as i64) + i as i64);
            l.append_at(&decided(f, reviewer, d), when).unwrap();
        }
    };
    let confirm = Decision::Confirm { points: None };
    // Per person-time: late arrival, 1 × 3 = 3.
    record(
        &mut l,
        Violation::new("late-arrival", 3),
        vec![confirm.clone()],
    );
    // Per case: first inquiry not honoured, 5 × 2 = 10, under rectification.
    record(
        &mut l,
        Violation::new("first-inquiry", 2),
        vec![Decision::RequireRectification {
            deadline: day("2026-03-20"),
            rejected: None,
        }],
    );
    // Per item: over the promised time, 2 × 4 = 8, rectified and verified.
    record(
        &mut l,
        Violation::new("overdue-case", 4),
        vec![
            confirm.clone(),
            Decision::RequireRectification {
                deadline: day("2026-03-25"),
                rejected: None,
            },
            Decision::MarkRectified {
                note: "已建立限时办结台账".into(),
                evidence: None,
            },
            Decision::VerifyRectification { checked: None },
        ],
    );
    // Range 10–20 per case: recorded at 10, the reviewer settles on 15.
    record(
        &mut l,
        Violation::new("eat-take-obstruct", 1),
        vec![Decision::Confirm {
            points: Some(Points::whole(15)),
        }],
    );
    // Below threshold: satisfaction 86.5 % against 90 %, 1 per point: 3.5.
    let mut below = Violation::new("satisfaction-below-90", 1);
    below.percent = Some(p(8650));
    record(&mut l, below, vec![confirm.clone()]);
    // Computed by the plugin: 4.25 stored with the finding.
    let mut computed = Violation::new("appraisal-questionnaire", 1);
    computed.computed = Some(p(425));
    record(&mut l, computed, vec![confirm.clone()]);
    // Pending: online leisure, 2 × 2 = 4, provisional only.
    record(&mut l, Violation::new("online-leisure", 2), vec![]);
    // Dismissed: drinking at lunch, 5, not counted.
    record(
        &mut l,
        Violation::new("lunch-drinking", 1),
        vec![Decision::Dismiss {
            reason: "当日为休息日".into(),
        }],
    );
    // April: outside the period.
    let april = at(40 * 86_400);
    l.append_at(
        &Violation::new("late-arrival", 7).event(v, uuid(2, 99), april),
        april,
    )
    .unwrap();
    l.append_at(&decided(uuid(2, 99), reviewer, confirm.clone()), april)
        .unwrap();
    // Public appraisal, five aspects of 30 / 45 / 25 votes:
    // (30×22 + 45×17 + 25×11) ÷ 100 = 17 per aspect, 85 in all, 5 points.
    let votes = AspectVotes {
        satisfied: 30,
        basically_satisfied: 45,
        dissatisfied: 25,
    };
    l.append_at(
        &appraisal(
            &tax,
            "2026-03-01",
            "2026-03-31",
            Appraisal::Votes {
                aspects: vec![votes; 5],
            },
        ),
        at(100),
    )
    .unwrap();

    // Finance: one badge missing, confirmed: 99.
    let v2 = uuid(1, 2);
    l.append_at(&visit_opened(v2, &finance, "刘洋", at(0)), at(0))
        .unwrap();
    l.append_at(
        &Violation::new("no-badge", 1).event(v2, uuid(3, 1), at(10)),
        at(10),
    )
    .unwrap();
    l.append_at(&decided(uuid(3, 1), reviewer, confirm.clone()), at(20))
        .unwrap();

    // Housing: 25 person-times drinking at lunch, 125 points: the score stops at 0.
    let v3 = uuid(1, 3);
    l.append_at(&visit_opened(v3, &housing, "刘洋", at(0)), at(0))
        .unwrap();
    l.append_at(
        &Violation::new("lunch-drinking", 25).event(v3, uuid(4, 1), at(10)),
        at(10),
    )
    .unwrap();
    l.append_at(&decided(uuid(4, 1), reviewer, confirm.clone()), at(20))
        .unwrap();

    // Service center: visited, nothing found: 100.
    l.append_at(&visit_opened(uuid(1, 4), &center, "张伟", at(0)), at(0))
        .unwrap();

    // Planning: only an appraisal for the quarter, entered at 80 % then corrected to 88 %.
    let rate = |percent| Appraisal::Rate {
        percent: Points::whole(percent),
    };
    l.append_at(
        &appraisal(&planning, "2026-01-01", "2026-03-31", rate(80)),
        at(100),
    )
    .unwrap();
    l.append_at(
        &appraisal(&planning, "2026-01-01", "2026-03-31", rate(88)),
        at(200),
    )
    .unwrap();
    Books {
        ledger: l,
        _dir: dir,
    }
}

#[test]
fn every_rule_kind_matches_the_hand_calculation() {
    let books = books();
    let ranking = books.ledger.ranking(march(), &TimeZone::UTC).unwrap();
    let names: Vec<&str> = ranking.units.iter().map(|u| u.unit.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "市政务服务中心",
            "市财政局",
            "市自然资源和规划局",
            "市税务局第一税务分局办税服务厅",
            "市住房和城乡建设局"
        ]
    );
    assert_eq!(ranking.ranks(), [1, 2, 3, 4, 5]);

    let tax = &ranking.units[3];
    // 3 + 10 + 8 + 15 + 3.5 + 4.25 (findings) + 5 (appraisal) = 48.75.
    assert_eq!(tax.deducted, p(4875));
    assert_eq!(tax.score, p(5125));
    assert_eq!(tax.grade, Grade::Fail);
    assert_eq!(tax.provisional_points, Points::whole(4));
    assert_eq!(tax.pending_findings(), 1);
    assert_eq!(tax.counted_findings(), 6);
    let lines: Vec<(&str, u32, Points)> = tax
        .counted
        .iter()
        .map(|l| (l.key.item_id.as_str(), l.count, l.points))
        .collect();
    assert_eq!(
        lines,
        [
            ("eat-take-obstruct", 1, Points::whole(15)),
            ("first-inquiry", 2, Points::whole(10)),
            ("overdue-case", 4, Points::whole(8)),
            ("appraisal-questionnaire", 1, p(425)),
            ("satisfaction-below-90", 1, p(350)),
            ("late-arrival", 3, Points::whole(3)),
        ]
    );
    assert_eq!(tax.counted[0].item.zh, "吃拿卡要");
    assert_eq!(tax.counted[0].checklist.en, "Window service");
    assert_eq!(tax.appraisals.len(), 1);
    assert_eq!(tax.appraisals[0].satisfaction, Some(Points::whole(85)));
    assert_eq!(tax.appraisals[0].points, Points::whole(5));
    let categories = tax.by_category();
    let categories: Vec<(&str, Points)> = categories
        .iter()
        .map(|c| (c.checklist_id.as_str(), c.points))
        .collect();
    assert_eq!(
        categories,
        [
            ("window", Points::whole(33)),
            ("service-quality", p(775)),
            ("attendance", Points::whole(3))
        ]
    );

    let finance = &ranking.units[1];
    assert_eq!(
        (finance.score, finance.grade),
        (Points::whole(99), Grade::Excellent)
    );
    let planning = &ranking.units[2];
    assert_eq!(
        (planning.score, planning.grade),
        (Points::whole(98), Grade::Excellent)
    );
    let housing = &ranking.units[4];
    assert_eq!(housing.deducted, Points::whole(125));
    assert_eq!((housing.score, housing.grade), (Points::ZERO, Grade::Fail));
    let center = &ranking.units[0];
    assert_eq!(
        (center.score, center.grade),
        (Points::whole(100), Grade::Excellent)
    );
    assert!(!ranking.unreviewed_only());
}

#[test]
fn trend_counts_each_finding_and_appraisal_in_its_own_month() {
    let books = books();
    let span = Period::new(day("2026-02-01"), day("2026-04-30")).unwrap();
    let trend = books
        .ledger
        .ranking_trend(span, Step::Month, &TimeZone::UTC)
        .unwrap();
    assert_eq!(trend.len(), 3);
    assert!(trend[0].units.is_empty(), "nothing in February");
    let tax_in = |i: usize| {
        trend[i]
            .units
            .iter()
            .find(|u| u.unit.department == "税务")
            .map(|u| u.score)
    };
    assert_eq!(tax_in(1), Some(p(5125)));
    // April: seven late arrivals, no appraisal.
    assert_eq!(tax_in(2), Some(Points::whole(93)));
    let quarter = books
        .ledger
        .ranking_trend(
            Period::year_of(day("2026-01-01")),
            Step::Quarter,
            &TimeZone::UTC,
        )
        .unwrap();
    assert_eq!(quarter.len(), 4);
    assert_eq!(quarter[0].period.short_label(), "2026Q1");
}

#[test]
fn only_unreviewed_findings_are_told_apart() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open_with_key(&dir.path().join("ledger.sqlite"), key(1)).unwrap();
    let v = uuid(1, 1);
    l.append_at(
        &visit_opened(v, &unit("市财政局", "财政"), "张伟", at(0)),
        at(0),
    )
    .unwrap();
    l.append_at(
        &Violation::new("late-arrival", 2).event(v, uuid(2, 1), at(5)),
        at(5),
    )
    .unwrap();
    let ranking = l.ranking(march(), &TimeZone::UTC).unwrap();
    assert!(ranking.unreviewed_only());
    assert_eq!(ranking.units[0].score, Points::whole(100));
    assert_eq!(ranking.units[0].provisional_points, Points::whole(2));
}

#[test]
fn period_days_follow_the_time_zone() {
    let books = books();
    // In UTC+8 the first findings (09:00Z on 2 March) still fall in March;
    // a period of 1 March alone holds nothing.
    let beijing = TimeZone::fixed(jiff::tz::offset(8));
    let first = Period::new(day("2026-03-01"), day("2026-03-01")).unwrap();
    let ranking = books.ledger.ranking(first, &beijing).unwrap();
    assert!(ranking.units.iter().all(|u| u.counted.is_empty()));
    let span = books.ledger.observed_span(&beijing).unwrap().unwrap();
    assert_eq!(span.from, day("2026-03-02"));
    assert_eq!(span.to, day("2026-04-11"));
}

/// The satisfaction the ranking applies for `unit` in `period`.
fn applied(l: &Ledger, unit: &anfang_core::visit::Unit, period: Period) -> Option<Points> {
    let ranking = l.ranking(period, &TimeZone::UTC).unwrap();
    let score = ranking.units.iter().find(|s| s.unit == *unit)?;
    score.appraisals.first().and_then(|a| a.satisfaction)
}

#[test]
fn a_correction_of_an_appraisal_holds_whatever_time_the_first_entry_claimed() {
    let dir = tempfile::tempdir().unwrap();
    let planning = unit("市自然资源和规划局", "规划");
    let quarter = Period::new(day("2026-01-01"), day("2026-03-31")).unwrap();
    let rate = |percent| Appraisal::Rate {
        percent: Points::whole(percent),
    };
    // A laptop whose clock runs 73 years fast enters 100 %.
    let mut fast = Ledger::open_with_key(&dir.path().join("fast.sqlite"), key(7)).unwrap();
    let mut first = appraisal(&planning, "2026-01-01", "2026-03-31", rate(100));
    if let anfang_core::event::EventBody::AppraisalEntered(a) = &mut first {
        a.follows = Some(
            fast.appraisal_follows(&planning, day("2026-01-01"), day("2026-03-31"))
                .unwrap(),
        );
    }
    fast.append_at(&first, at(73 * 365 * 86_400)).unwrap();
    let fast_bundle = dir.path().join("fast.bundle");
    fast.bundle(&fast_bundle).unwrap();
    // The office sees it and corrects it to 86 %, at an earlier claimed time.
    let mut office = Ledger::open_with_key(&dir.path().join("office.sqlite"), key(1)).unwrap();
    office.merge(&fast_bundle, &mut |_| {}).unwrap();
    let follows = office
        .appraisal_follows(&planning, day("2026-01-01"), day("2026-03-31"))
        .unwrap();
    assert!(matches!(follows, anfang_core::review::Follows::Decision(_)));
    let mut fix = appraisal(&planning, "2026-01-01", "2026-03-31", rate(86));
    if let anfang_core::event::EventBody::AppraisalEntered(a) = &mut fix {
        a.follows = Some(follows);
    }
    office.append_at(&fix, at(1000)).unwrap();
    assert_eq!(
        applied(&office, &planning, quarter),
        Some(Points::whole(86))
    );
    // Another ledger taking the two the other way round agrees.
    let office_bundle = dir.path().join("office.bundle");
    office.bundle(&office_bundle).unwrap();
    let mut other = Ledger::open_with_key(&dir.path().join("other.sqlite"), key(2)).unwrap();
    other.merge(&office_bundle, &mut |_| {}).unwrap();
    other.merge(&fast_bundle, &mut |_| {}).unwrap();
    assert_eq!(applied(&other, &planning, quarter), Some(Points::whole(86)));
}
