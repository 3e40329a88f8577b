//! The register's rules through the real binary on a real ledger: issued
//! bulletins (四(四)2), a subordinate unit's person-times reaching its parent
//! (四(四)3), names typed outside the register mapped afterwards, and
//! visits that keep the register's id through a rename.
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

fn at(month: i8, day: i8) -> jiff::Timestamp {
    jiff::civil::date(2026, month, day)
        .at(2, 0, 0, 0)
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .unwrap()
        .timestamp()
}

fn anfang(dir: &Path, lang: &str) -> Command {
    let mut cmd = Command::cargo_bin("anfang").unwrap();
    cmd.arg("--data-dir")
        .arg(dir)
        .arg("--lang")
        .arg(lang)
        .env("TZ", "UTC")
        .env_remove("ANFANG_LANG");
    cmd
}

fn run(cmd: &mut Command) -> (bool, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(cmd: &mut Command) -> String {
    let (ok, out, err) = run(cmd);
    assert!(ok, "{out}\n{err}");
    out
}

fn add_unit(dir: &Path, name: &str, department: &str, kind: &str, parent: Option<&str>) {
    let mut cmd = anfang(dir, "en");
    cmd.args([
        "units",
        "add",
        "--name",
        name,
        "--department",
        department,
        "--kind",
        kind,
    ]);
    if let Some(parent) = parent {
        cmd.args(["--parent", parent]);
    }
    ok(&mut cmd);
}

fn unit_id(dir: &Path, name: &str) -> Uuid {
    let out = ok(anfang(dir, "en").args(["units", "list", "--json"]));
    let units: Value = serde_json::from_str(&out).unwrap();
    let unit = units
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == name)
        .unwrap();
    unit["id"].as_str().unwrap().parse().unwrap()
}

/// One visit to `unit` on `day` of `month` with confirmed violations of
/// core items (item, person-times).
fn visit(
    dir: &Path,
    n: u64,
    (name, department, id): (&str, &str, Option<Uuid>),
    (month, day): (i8, i8),
    items: &[(&str, u32)],
) {
    let mut l = Ledger::open(dir).unwrap();
    let snapshots = anfang_core::core_checklists::core_manifest().snapshots();
    let visit_id = Uuid::from_u64_pair(1, n);
    l.append_at(
        &EventBody::VisitOpened(VisitOpened {
            rechecks: None,
            unit_id: id,
            visit_id,
            unit: Unit {
                name: name.into(),
                department: department.into(),
            },
            kind: VisitKind::Unannounced,
            team: vec!["张伟".into()],
            started_at: at(month, day),
            checklists: snapshots.clone(),
        }),
        at(month, day),
    )
    .unwrap();
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
        let finding_id = Uuid::from_u64_pair(2, n * 100 + i as u64);
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
                observed_at: at(month, day),
                points_by_hand: false,
                supersedes: None,
                source: None,
            }),
            at(month, day),
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
            at(month, day),
        )
        .unwrap();
    }
}

fn scores(dir: &Path, from: &str, to: &str) -> Vec<Value> {
    let out = ok(anfang(dir, "en").args(["scores", "--from", from, "--to", to, "--json"]));
    serde_json::from_str::<Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn unit<'a>(scores: &'a [Value], name: &str) -> &'a Value {
    scores
        .iter()
        .find(|u| u["unit"] == name)
        .unwrap_or_else(|| panic!("{name} not ranked: {scores:?}"))
}

fn lines<'a>(unit: &'a Value, section: &str) -> Vec<&'a Value> {
    unit["deductions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["section"] == section)
        .collect()
}

/// (unit, unit as typed) of each finding `review list --unit NAME` lists.
fn reviewed(dir: &Path, name: &str) -> Vec<(String, Value)> {
    let out = ok(anfang(dir, "en").args(["review", "list", "--unit", name, "--json"]));
    serde_json::from_str::<Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["unit"].as_str().unwrap().to_string(),
                f["unit_typed"].clone(),
            )
        })
        .collect()
}

const NUMBER: &str = "效能办〔2026〕3号";

#[test]
fn a_subordinates_lunch_drinking_costs_its_parent_3_and_a_unit_named_in_an_issued_bulletin_loses_10()
 {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    add_unit(d, "市财政局", "财政", "机关", None);
    add_unit(
        d,
        "市财政局国库支付中心",
        "财政",
        "下属单位",
        Some("市财政局"),
    );
    add_unit(d, "市规划局", "规划", "机关", None);
    let child = unit_id(d, "市财政局国库支付中心");
    visit(
        d,
        1,
        ("市财政局国库支付中心", "财政", Some(child)),
        (9, 9),
        &[("lunch-drinking", 2)],
    );
    visit(
        d,
        2,
        ("市规划局", "规划", None),
        (9, 10),
        &[("late-arrival", 1)],
    );

    // 5 per person-time to the unit, 3 per person-time to its parent.
    let september = scores(d, "2026-09-01", "2026-09-30");
    assert_eq!(unit(&september, "市财政局国库支付中心")["score"], 90.0);
    let parent = unit(&september, "市财政局");
    assert_eq!(parent["score"], 94.0, "{parent}");
    let rule = lines(parent, "四(四)3");
    assert_eq!(rule.len(), 1, "{parent}");
    assert_eq!(rule[0]["points"], 6.0);
    assert!(
        rule[0]["item_label"]
            .as_str()
            .unwrap()
            .contains("市财政局国库支付中心"),
        "{parent}"
    );
    assert_eq!(unit(&september, "市规划局")["score"], 99.0);

    // The bulletin of 1–27 September, issued on the 28th, names both units
    // with counted problems; each loses 10, once.
    let out = ok(anfang(d, "en").args([
        "bulletin",
        "issue",
        "--number",
        NUMBER,
        "--date",
        "2026-09-28",
        "--from",
        "2026-09-01",
        "--to",
        "2026-09-27",
    ]));
    assert!(out.contains("2 unit(s) and 2 finding(s) named"), "{out}");
    let september = scores(d, "2026-09-01", "2026-09-30");
    let child_score = unit(&september, "市财政局国库支付中心");
    assert_eq!(child_score["score"], 80.0, "{child_score}");
    let named = lines(child_score, "四(四)2");
    assert_eq!(named.len(), 1);
    assert_eq!(named[0]["points"], 10.0);
    assert!(named[0]["item_label"].as_str().unwrap().contains(NUMBER));
    assert_eq!(unit(&september, "市规划局")["score"], 89.0);
    assert_eq!(unit(&september, "市财政局")["score"], 94.0);
    // The period that does not hold the issue date takes nothing from it.
    let october = scores(d, "2026-10-01", "2026-10-31");
    assert!(october.iter().all(|u| lines(u, "四(四)2").is_empty()));

    // The same number again is refused by name; list and show name it.
    let (done, _, err) = run(anfang(d, "en").args([
        "bulletin",
        "issue",
        "--number",
        NUMBER,
        "--date",
        "2026-09-29",
    ]));
    assert!(!done);
    assert!(err.contains(NUMBER) && err.contains("already"), "{err}");
    let out = ok(anfang(d, "zh-CN").args(["bulletin", "list"]));
    assert!(
        out.contains(NUMBER) && out.contains("点名 2 个单位"),
        "{out}"
    );
    let out = ok(anfang(d, "en").args(["bulletin", "show", NUMBER, "--json"]));
    let shown: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(shown["date"], "2026-09-28");
    assert_eq!(shown["to"], "2026-09-27");
    assert_eq!(shown["named"].as_array().unwrap().len(), 2);
    assert!(shown["named"][0]["unit_id"].is_string());
    let (done, _, err) = run(anfang(d, "en").args(["bulletin", "show", "无此号"]));
    assert!(!done && err.contains("无此号"), "{err}");

    // The issued text again, cut and dated as it was issued.
    let page = d.join("通报.html");
    ok(anfang(d, "zh-CN")
        .args(["export", "--format", "html", "--bulletin", NUMBER, "--out"])
        .arg(&page));
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.contains("2026年9月1日至9月27日"), "{html}");
    assert!(html.contains("2026年9月28日"));
    assert!(html.contains(NUMBER), "the 文号 it was issued under");

    // The text table shows the lines with their sections.
    let out = ok(anfang(d, "zh-CN").args(["scores", "--from", "2026-09-01", "--to", "2026-09-30"]));
    assert!(
        out.contains("[四(四)2]") && out.contains("[四(四)3]"),
        "{out}"
    );
}

#[test]
fn a_name_typed_outside_the_register_is_mapped_and_a_renamed_unit_keeps_its_findings() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    add_unit(d, "市规划局", "规划", "机关", None);
    let id = unit_id(d, "市规划局");
    // Typed in the field, not in the register: a unit of its own until mapped.
    visit(
        d,
        1,
        ("市规划司", "规划", None),
        (9, 9),
        &[("late-arrival", 2)],
    );
    visit(
        d,
        2,
        ("市规划局", "规划", Some(id)),
        (9, 10),
        &[("late-arrival", 1)],
    );
    let before = scores(d, "2026-09-01", "2026-09-30");
    assert_eq!(before.len(), 2);

    let (done, _, err) =
        run(anfang(d, "en").args(["units", "map", "市规划司", "--to", "市规划句"]));
    assert!(!done);
    assert!(
        err.contains("'市规划句'") && err.contains("did you mean '市规划局'"),
        "{err}"
    );
    let (done, _, err) =
        run(anfang(d, "en").args(["units", "map", "市规划局", "--to", "市规划局"]));
    assert!(!done && err.contains("already"), "{err}");
    let out = ok(anfang(d, "zh-CN").args(["units", "map", "市规划司", "--to", "市规划局"]));
    assert!(
        out.contains("市规划司") && out.contains("市规划局"),
        "{out}"
    );
    let after = scores(d, "2026-09-01", "2026-09-30");
    assert_eq!(after.len(), 1, "{after:?}");
    assert_eq!(unit(&after, "市规划局")["score"], 97.0);
    // Review lists them under the registered unit too, found by its name
    // or by the name as typed, which stays on the record.
    for name in ["市规划局", "市规划司"] {
        assert_eq!(
            reviewed(d, name),
            [
                ("市规划局".to_string(), Value::Null),
                ("市规划局".to_string(), Value::from("市规划司")),
            ],
            "{name}"
        );
    }
    let out = ok(anfang(d, "zh-CN").args(["review", "list", "--unit", "市规划局"]));
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(!out.contains("市规划司"), "{out}");

    // Renamed in the register (a new version of the unit): the visits'
    // id keeps its findings with it, and the mapping follows the id.
    {
        let mut l = Ledger::open(d).unwrap();
        let mut renamed = l.register().unwrap().get(id).unwrap().clone();
        renamed.version += 1;
        renamed.name = "市自然资源和规划局".into();
        l.append(&EventBody::UnitRegistered(renamed)).unwrap();
    }
    let after = scores(d, "2026-09-01", "2026-09-30");
    assert_eq!(after.len(), 1, "{after:?}");
    assert_eq!(unit(&after, "市自然资源和规划局")["score"], 97.0);
}
