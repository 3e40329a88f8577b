//! The rectification loop through the real binary, on two reviewers'
//! laptops (open mode: a reviewer is a device): a finding goes recorded →
//! confirmed → rectification required (yellow, then red, on the days given)
//! → the unit's report with a file → a follow-up visit (复查) → verified;
//! another is appealed and dismissed by the second reviewer after the first
//! was refused; a rejected rectification gets its new deadline. Every step
//! is read back from `review history --json`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anfang_core::event::{EventBody, VisitOpened};
use anfang_core::finding::{FindingRecord, FindingResult};
use anfang_core::review::{Decision, ReviewRecord};
use anfang_core::rule::RuleInput;
use anfang_core::visit::{Unit, VisitKind};
use anfang_ledger::Ledger;
use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;
use uuid::Uuid;

fn anfang(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("anfang").unwrap();
    cmd.arg("--data-dir")
        .arg(dir)
        .args(["--lang", "en"])
        .env("TZ", "UTC")
        .env_remove("ANFANG_LANG")
        .env_remove("ANFANG_DATA_DIR");
    cmd
}

fn ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn fails(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        !out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn at(day: i8) -> jiff::Timestamp {
    jiff::civil::date(2026, 3, day)
        .at(9, 0, 0, 0)
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .unwrap()
        .timestamp()
}

/// A visit to 市财政局 with three late arrivals recorded (pending).
fn record_findings(dir: &Path) -> Vec<Uuid> {
    let mut l = Ledger::open(dir).unwrap();
    let snapshots = anfang_core::core_checklists::core_manifest().snapshots();
    let visit_id = Uuid::from_u64_pair(1, 1);
    l.append_at(
        &EventBody::VisitOpened(VisitOpened {
            unit_id: None,
            rechecks: None,
            visit_id,
            unit: Unit {
                name: "市财政局".into(),
                department: "财政".into(),
            },
            kind: VisitKind::Unannounced,
            team: vec!["张三".into()],
            started_at: at(2),
            checklists: snapshots.clone(),
        }),
        at(2),
    )
    .unwrap();
    let snapshot = &snapshots[0];
    let item = &snapshot.checklist.items[0];
    (0..3u64)
        .map(|i| {
            let input = RuleInput {
                count: 1,
                ..RuleInput::default()
            };
            let finding_id = Uuid::from_u64_pair(2, i);
            l.append_at(
                &EventBody::FindingRecorded(FindingRecord {
                    finding_id,
                    visit_id,
                    item: snapshot.item_ref(item),
                    result: FindingResult::Violation,
                    points: item.rule.deduction(&input).unwrap(),
                    input,
                    subject: Some(format!("工号{i:04}")),
                    note: "现场记录".into(),
                    observed_at: at(2),
                    points_by_hand: false,
                    supersedes: None,
                    source: None,
                }),
                at(2),
            )
            .unwrap();
            finding_id
        })
        .collect()
}

fn history(dir: &Path, id: Uuid) -> Value {
    serde_json::from_str(&ok(anfang(dir).args([
        "review",
        "history",
        &id.to_string(),
        "--json",
    ])))
    .unwrap()
}

fn kinds(history: &Value) -> Vec<String> {
    history["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["decision"]["decision"].as_str().unwrap().to_string())
        .collect()
}

/// The finding's row in `review list --json` as seen on `day`.
fn listed(dir: &Path, id: Uuid, day: &str) -> Value {
    let rows: Value = serde_json::from_str(&ok(
        anfang(dir).args(["review", "list", "--json", "--date", day])
    ))
    .unwrap();
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["finding_id"] == id.to_string())
        .cloned()
        .unwrap()
}

fn bundle_into(from: &Path, to: &Path, name: &str) {
    let file = from.join(name);
    ok(anfang(from).args(["bundle", "--out"]).arg(&file));
    ok(anfang(to).arg("merge").arg(&file));
}

#[test]
fn a_finding_is_closed_on_proof_and_an_appeal_is_decided_by_another_reviewer() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    let (a, b) = (first.path(), second.path());
    let ids = record_findings(a);
    let (closed, appealed, rejected) = (ids[0], ids[1], ids[2]);
    let s = |id: Uuid| id.to_string();

    // Recorded, then confirmed, then rectification required by the 20th.
    assert_eq!(listed(a, closed, "2026-03-05")["status"], "pending");
    ok(anfang(a).args(["review", "confirm", &s(closed)]));
    ok(anfang(a).args([
        "review",
        "rectify",
        &s(closed),
        "--deadline",
        "2026-03-20",
        "--date",
        "2026-03-05",
    ]));
    // Nothing to warn of a week ahead; yellow within three days; red after.
    assert_eq!(listed(a, closed, "2026-03-10")["due"], Value::Null);
    assert_eq!(listed(a, closed, "2026-03-18")["due"], "soon");
    assert_eq!(listed(a, closed, "2026-03-21")["due"], "overdue");
    assert_eq!(listed(a, closed, "2026-03-21")["deadline"], "2026-03-20");

    // The unit's report, with the photo it sent.
    let photo = a.join("整改照片.jpg");
    std::fs::write(&photo, b"jpeg bytes of the new sign-in sheet").unwrap();
    ok(anfang(a)
        .args([
            "review",
            "rectified",
            &s(closed),
            "--report",
            "已重新制定考勤制度",
        ])
        .arg("--evidence")
        .arg(&photo));
    // A verification must say what was checked; a visit that re-checks
    // nothing of this finding does not count as its 复查.
    let err = fails(anfang(a).args(["review", "verify", &s(closed)]));
    assert!(err.contains("--checked"), "{err}");
    let recheck_other = ok(anfang(a).args(["review", "recheck", &s(appealed)]));
    let err = fails(anfang(a).args([
        "review",
        "verify",
        &s(closed),
        "--checked",
        &format!("recheck:{}", recheck_other.trim()),
    ]));
    assert!(err.contains("not opened as a re-check"), "{err}");
    // The follow-up visit, then verification naming it.
    let visit = ok(anfang(a).args(["review", "recheck", &s(closed), "--team", "李四"]));
    let visit = visit.trim();
    ok(anfang(a).args([
        "review",
        "verify",
        &s(closed),
        "--checked",
        &format!("recheck:{visit}"),
    ]));
    let h = history(a, closed);
    assert_eq!(h["status"], "verified");
    assert_eq!(
        kinds(&h),
        [
            "confirm",
            "require_rectification",
            "mark_rectified",
            "verify_rectification"
        ]
    );
    let report = &h["decisions"][2]["decision"];
    assert_eq!(report["note"], "已重新制定考勤制度");
    assert_eq!(report["evidence"][0]["file_name"], "整改照片.jpg");
    assert_eq!(
        h["decisions"][3]["decision"]["checked"]["recheck"]["visit_id"],
        visit
    );
    assert_eq!(h["rechecks"][0]["visit_id"], visit);

    // An appeal of a confirmed finding, with the unit's letter.
    ok(anfang(a).args(["review", "confirm", &s(appealed)]));
    let letter = a.join("申诉书.pdf");
    std::fs::write(&letter, b"%PDF appeal").unwrap();
    ok(anfang(a)
        .args([
            "review",
            "appeal",
            &s(appealed),
            "--reason",
            "当日系外出办事",
        ])
        .arg("--evidence")
        .arg(&letter));
    // The reviewer who confirmed it may not decide it: refused, nothing written.
    let err = fails(anfang(a).args([
        "review",
        "appeal-decide",
        &s(appealed),
        "--uphold",
        "--reason",
        "有外出登记",
    ]));
    assert!(err.contains("another reviewer"), "{err}");
    assert_eq!(kinds(&history(a, appealed)), ["confirm", "appeal"]);
    // The second reviewer, on another laptop, decides it.
    bundle_into(a, b, "a.bundle");
    ok(anfang(b).args([
        "review",
        "appeal-decide",
        &s(appealed),
        "--uphold",
        "--reason",
        "有外出登记",
    ]));
    bundle_into(b, a, "b.bundle");
    let h = history(a, appealed);
    assert_eq!(h["status"], "dismissed");
    assert_eq!(kinds(&h), ["confirm", "appeal", "decide_appeal"]);
    assert_eq!(
        h["decisions"][1]["decision"]["evidence"][0]["file_name"],
        "申诉书.pdf"
    );
    assert_eq!(h["decisions"][2]["decision"]["upheld"], true);
    // The evidence files travelled with the bundle.
    let on_b = Ledger::open(b).unwrap();
    let sha = h["decisions"][1]["decision"]["evidence"][0]["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    let out = tempfile::tempdir().unwrap();
    let copy = on_b
        .export_evidence(&sha, "申诉书.pdf", out.path())
        .unwrap();
    assert_eq!(std::fs::read(copy).unwrap(), b"%PDF appeal");
    drop(on_b);

    // Honest so far: both ledgers verify.
    ok(anfang(a).args(["verify", "--full"]));
    ok(anfang(b).args(["verify", "--full"]));

    // A decision written around the command by the confirming laptop is
    // kept, refused and named, and changes nothing.
    {
        let mut l = Ledger::open(a).unwrap();
        let follows = l.decision_follows(appealed).unwrap();
        let id = l
            .append(&EventBody::ReviewDecided(ReviewRecord {
                finding_id: appealed,
                reviewer: "张三".into(),
                decision: Decision::DecideAppeal {
                    upheld: false,
                    reason: "维持".into(),
                },
                follows: Some(follows),
                reason: None,
            }))
            .unwrap();
        assert!(l.refusal_of(&id).unwrap().is_some());
    }
    let h = history(a, appealed);
    assert_eq!(h["status"], "dismissed");
    assert!(
        h["refused"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("another reviewer"),
        "{h}"
    );

    // A report not accepted: back to rectification with the new deadline.
    ok(anfang(a).args(["review", "confirm", &s(rejected)]));
    ok(anfang(a).args([
        "review",
        "rectify",
        &s(rejected),
        "--deadline",
        "2026-03-20",
        "--date",
        "2026-03-05",
    ]));
    ok(anfang(a).args(["review", "rectified", &s(rejected), "--report", "已整改"]));
    let err = fails(anfang(a).args([
        "review",
        "reject",
        &s(rejected),
        "--deadline",
        "2026-04-15",
        "--checked",
        "report",
        "--date",
        "2026-03-25",
    ]));
    assert!(err.contains("--reason"), "{err}");
    ok(anfang(a).args([
        "review",
        "reject",
        &s(rejected),
        "--deadline",
        "2026-04-15",
        "--reason",
        "照片与现场不符",
        "--checked",
        "report",
        "--date",
        "2026-03-25",
    ]));
    let row = listed(a, rejected, "2026-03-25");
    assert_eq!(row["status"], "rectification_required");
    assert_eq!(row["deadline"], "2026-04-15");
    assert_eq!(row["due"], Value::Null);
    let h = history(a, rejected);
    assert_eq!(
        h["decisions"][3]["decision"]["rejected"]["reason"],
        "照片与现场不符"
    );
    assert_eq!(h["decisions"][3]["back_reason"], Value::Null);

    // `verify` names the decision taken around the rule.
    let out = anfang(a).args(["verify"]).output().unwrap();
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("another reviewer"), "{said}");
}

/// 问责: outcomes recorded on confirmed findings are listed by kind, shown
/// in the history and counted in the year summary; none is recorded on a
/// pending finding, and one whose finding is later dismissed stops counting.
#[test]
fn accountability_outcomes_are_listed_shown_and_counted_in_the_year_summary() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path();
    let ids = record_findings(a);
    let [first, second, pending] = [0, 1, 2].map(|i| ids[i].to_string());
    ok(anfang(a).args(["review", "confirm", &first]));
    ok(anfang(a).args(["review", "confirm", &second]));
    let outcome = |id: &str, person: &str, kind: &str, date: &str| {
        let mut cmd = anfang(a);
        cmd.args(["review", "outcome", id, "--person", person, "--kind", kind])
            .args(["--date", date]);
        cmd
    };
    let err = fails(&mut outcome(&pending, "王五", "诫勉谈话", "2026-04-01"));
    assert!(err.contains("not confirmed (pending)"), "{err}");
    let err = fails(&mut outcome(&first, "王五", "诫勉", "2026-04-01"));
    assert!(
        err.contains("kind '诫勉'") && err.contains("admonishment-talk"),
        "{err}"
    );
    let err = fails(&mut outcome(&first, "王五", "诫勉谈话", "2026-04-31"));
    assert!(err.contains("--date '2026-04-31'"), "{err}");
    ok(outcome(&first, "王五", "诫勉谈话", "2026-04-01").args(["--number", "纪〔2026〕7号"]));
    ok(&mut outcome(
        &first,
        "赵六",
        "circulated-criticism",
        "2026-04-02",
    ));
    ok(&mut outcome(&second, "孙七", "批评教育", "2026-04-03"));
    // Decided the next year: not in 2026's figures.
    ok(&mut outcome(&second, "周八", "批评教育", "2027-01-05"));

    let listed = ok(anfang(a).args(["review", "list", "--outcome", "admonishment-talk"]));
    assert!(
        listed.contains(&first) && !listed.contains(&second),
        "{listed}"
    );
    let listed = ok(anfang(a).args(["review", "list", "--outcome", "批评教育"]));
    assert!(
        listed.contains(&second) && !listed.contains(&first),
        "{listed}"
    );
    let err = fails(anfang(a).args(["review", "list", "--outcome", "warning"]));
    assert!(err.contains("kind 'warning'"), "{err}");

    let h = history(a, ids[0]);
    let outcomes = h["outcomes"].as_array().unwrap();
    assert_eq!(outcomes.len(), 2, "{h}");
    assert_eq!(outcomes[0]["person"], "王五");
    assert_eq!(outcomes[0]["kind"], "admonishment-talk");
    assert_eq!(outcomes[0]["number"], "纪〔2026〕7号");
    assert_eq!(outcomes[1]["kind"], "circulated-criticism");
    let text = ok(anfang(a).args(["review", "history", &first]));
    assert!(
        text.contains("accountability: admonishment talk for 王五 (纪〔2026〕7号)"),
        "{text}"
    );

    let report =
        |a: &Path| ok(anfang(a).args(["report", "--year", "2026", "--date", "2027-01-10"]));
    let summary = report(a);
    assert!(
        summary.contains(
            "held to account: criticism and education: 1; admonishment talk: 1; circulated criticism: 1."
        ),
        "{summary}"
    );
    // The finding dismissed after all: its outcomes no longer count.
    ok(anfang(a).args([
        "review",
        "dismiss",
        &second,
        "--reason",
        "复核后撤销",
        "--back-reason",
        "复核后撤销",
    ]));
    let summary = report(a);
    assert!(
        summary.contains("held to account: admonishment talk: 1; circulated criticism: 1."),
        "{summary}"
    );
    let listed = ok(anfang(a).args(["review", "list", "--outcome", "批评教育"]));
    assert!(listed.trim().is_empty(), "{listed}");
    let h = history(a, ids[1]);
    assert_eq!(h["outcomes"].as_array().unwrap().len(), 0, "{h}");
    let refused = h["refused"].to_string();
    assert!(refused.contains("not confirmed (dismissed)"), "{h}");
}
