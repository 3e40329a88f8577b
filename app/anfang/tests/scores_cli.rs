//! `anfang scores` through the real binary on a real ledger: the JSON
//! contract, the text table, unreviewed-only ledgers, and bad dates.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anfang_core::Points;
use anfang_core::event::{EventBody, VisitOpened};
use anfang_core::finding::{FindingRecord, FindingResult};
use anfang_core::review::{Decision, ReviewRecord};
use anfang_core::rule::RuleInput;
use anfang_core::visit::{Unit, VisitKind};
use anfang_ledger::Ledger;
use assert_cmd::Command;
use serde_json::Value;
use uuid::Uuid;

fn at(day: u32) -> jiff::Timestamp {
    jiff::civil::date(2026, 3, day as i8)
        .at(2, 0, 0, 0)
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .unwrap()
        .timestamp()
}

/// Two units visited in March 2026: late arrivals and one eating-taking case.
fn ledger(dir: &std::path::Path, review: bool) {
    let mut l = Ledger::open(dir).unwrap();
    let manifest = anfang_core::core_checklists::core_manifest();
    let snapshots = manifest.snapshots();
    let units = [
        ("市税务局第一税务分局办税服务厅", "税务"),
        ("市财政局", "财政"),
    ];
    for (v, (name, department)) in units.iter().enumerate() {
        let visit_id = Uuid::from_u64_pair(1, v as u64);
        l.append_at(
            &EventBody::VisitOpened(VisitOpened {
                rechecks: None,
                unit_id: None,
                visit_id,
                unit: Unit {
                    name: (*name).into(),
                    department: (*department).into(),
                },
                kind: VisitKind::Unannounced,
                team: vec!["张伟".into()],
                started_at: at(2),
                checklists: snapshots.clone(),
            }),
            at(2),
        )
        .unwrap();
        let items: &[(&str, u32)] = if v == 0 {
            &[("late-arrival", 3), ("eat-take-obstruct", 1)]
        } else {
            &[("no-badge", 1)]
        };
        for (i, (item_id, count)) in items.iter().enumerate() {
            let snapshot = snapshots
                .iter()
                .find(|s| s.item(item_id).is_some())
                .unwrap();
            let item = snapshot.item(item_id).unwrap();
            let input = RuleInput {
                count: *count,
                ..RuleInput::default()
            };
            let finding_id = Uuid::from_u64_pair(2, (v * 10 + i) as u64);
            l.append_at(
                &EventBody::FindingRecorded(FindingRecord {
                    finding_id,
                    visit_id,
                    item: snapshot.item_ref(item),
                    result: FindingResult::Violation,
                    points: item.rule.deduction(&input).unwrap(),
                    input,
                    subject: None,
                    note: "现场记录".into(),
                    observed_at: at(3),
                    points_by_hand: false,
                    supersedes: None,
                    source: None,
                }),
                at(3),
            )
            .unwrap();
            if review {
                let points = (*item_id == "eat-take-obstruct").then_some(Points::whole(20));
                l.append_at(
                    &EventBody::ReviewDecided(ReviewRecord {
                        finding_id,
                        reviewer: "王主任".into(),
                        decision: Decision::Confirm { points },
                        follows: None,
                        reason: None,
                    }),
                    at(5),
                )
                .unwrap();
            }
        }
    }
}

fn anfang(dir: &std::path::Path) -> Command {
    let mut cmd = Command::cargo_bin("anfang").unwrap();
    cmd.arg("--data-dir")
        .arg(dir)
        .arg("--lang")
        .arg("en")
        .env("TZ", "UTC");
    cmd
}

#[test]
fn json_holds_score_grade_and_deductions_per_unit() {
    let dir = tempfile::tempdir().unwrap();
    ledger(dir.path(), true);
    let out = anfang(dir.path())
        .args([
            "scores",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-31",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let units: Value = serde_json::from_slice(&out.stdout).unwrap();
    let units = units.as_array().unwrap();
    assert_eq!(units.len(), 2);
    assert_eq!(units[0]["unit"], "市财政局");
    assert_eq!(units[0]["department"], "财政");
    assert_eq!(units[0]["score"], 99.0);
    assert_eq!(units[0]["grade"], "excellent");
    // 3 late arrivals (3) + eating-taking confirmed at 20: 77, pass.
    let tax = &units[1];
    assert_eq!(tax["score"], 77.0);
    assert_eq!(tax["grade"], "pass");
    let deductions = tax["deductions"].as_array().unwrap();
    assert_eq!(deductions[0]["item"], "eat-take-obstruct");
    assert_eq!(deductions[0]["count"], 1);
    assert_eq!(deductions[0]["points"], 20.0);
    assert_eq!(deductions[1]["item"], "late-arrival");
    assert_eq!(deductions[1]["points"], 3.0);
    assert_eq!(tax["provisional"]["findings"], 0);
    assert_eq!(tax["reviewed"], true);
    assert_eq!(
        (units[0]["tied"].clone(), tax["tied"].clone()),
        (false.into(), false.into())
    );
}

#[test]
fn ties_are_shown_as_ties_by_the_rule_help_states() {
    let dir = tempfile::tempdir().unwrap();
    ledger(dir.path(), false);
    // Nothing reviewed: both units at 100, one rank; the unit with fewer
    // counted findings (none either way) then the name decides the order.
    let out = anfang(dir.path()).args(["scores"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let tied: Vec<&str> = text.lines().filter(|l| l.contains("1 tied")).collect();
    assert_eq!(tied.len(), 2, "{text}");
    assert!(tied[0].contains("市税务局第一税务分局办税服务厅"), "{text}");
    assert!(tied[1].contains("市财政局"), "{text}");
    let out = anfang(dir.path())
        .args(["scores", "--json"])
        .output()
        .unwrap();
    let units: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        units
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["tied"] == true && u["rank"] == 1)
    );
    let help = anfang(dir.path())
        .args(["scores", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    assert!(
        help.contains("tied units are") && help.contains("fewer counted findings first"),
        "{help}"
    );
}

#[test]
fn only_unreviewed_findings_are_said_to_be_so() {
    let dir = tempfile::tempdir().unwrap();
    ledger(dir.path(), false);
    let out = anfang(dir.path()).args(["scores"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("pending review"), "{text}");
    assert!(text.contains("Scores 2026-03-02 to 2026-03-03"), "{text}");
    let out = anfang(dir.path())
        .args(["scores", "--json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("still pending review"), "{stderr}");
    let units: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(units[0]["reviewed"], false);
    let tax = units
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["department"] == "税务")
        .unwrap();
    // Recorded at the range's lowest, 10, plus 3 late arrivals: provisional only.
    assert_eq!(tax["provisional"]["points"], 13.0);
    assert_eq!(tax["score"], 100.0);
}

#[test]
fn a_bad_date_is_one_line_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    for (args, value) in [
        (vec!["scores", "--from", "2026-02-30"], "2026-02-30"),
        (vec!["scores", "--to", "March"], "March"),
        (
            vec!["scores", "--from", "2026-05-01", "--to", "2026-04-01"],
            "2026-05-01",
        ),
    ] {
        let out = anfang(dir.path()).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(value), "{stderr}");
    }
}
