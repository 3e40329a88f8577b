//! The assessment method through the real binary: a hand-calculated case
//! across three units (person-time and case items, a 10–20 item, office
//! deductions, an appraisal by votes, a score that rounds across a band),
//! `anfang method show|check|publish`, `anfang deduct`'s errors, and the
//! demo's year ranking.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anfang_core::event::{AppraisalEntered, EventBody};
use anfang_core::score::{Appraisal, AspectVotes};
use anfang_core::visit::Unit;
use anfang_ledger::Ledger;
use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::Path;

fn anfang_in(dir: &Path, lang: &str) -> Command {
    let mut cmd = Command::cargo_bin("anfang").unwrap();
    cmd.env_remove("ANFANG_DATA_DIR")
        .env_remove("ANFANG_LANG")
        .env("TZ", "Asia/Shanghai")
        .args(["--lang", lang, "--data-dir"])
        .arg(dir);
    cmd
}

fn anfang(dir: &Path) -> Command {
    anfang_in(dir, "en")
}

fn register(dir: &Path, name: &str, department: &str) {
    anfang(dir)
        .args(["units", "add", "--name", name, "--department", department])
        .args(["--kind", "机关"])
        .assert()
        .success();
}

/// Enters an office deduction and confirms it, so it counts.
fn deduct(dir: &Path, args: &[&str]) {
    let out = anfang(dir).arg("deduct").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let id = stdout.split_whitespace().next().unwrap().to_string();
    anfang(dir)
        .args(["deduct", "confirm", &id])
        .assert()
        .success();
}

fn appraise(dir: &Path, unit: &str, department: &str, per_aspect: [u32; 3]) {
    let mut ledger = Ledger::open(dir).unwrap();
    let votes = AspectVotes {
        satisfied: per_aspect[0],
        basically_satisfied: per_aspect[1],
        dissatisfied: per_aspect[2],
    };
    ledger
        .append(&EventBody::AppraisalEntered(AppraisalEntered {
            unit: Unit {
                name: unit.into(),
                department: department.into(),
            },
            from: "2026-01-01".parse().unwrap(),
            to: "2026-03-31".parse().unwrap(),
            appraisal: Appraisal::Votes {
                aspects: vec![votes; 5],
            },
            follows: Some(anfang_core::review::Follows::First),
        }))
        .unwrap();
}

fn scores(dir: &Path) -> Vec<Value> {
    let out = anfang(dir)
        .args([
            "scores",
            "--from",
            "2026-01-01",
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
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn unit<'a>(ranking: &'a [Value], name: &str) -> &'a Value {
    ranking.iter().find(|u| u["unit"] == name).unwrap()
}

/// (item, points) of every deduction line, in the order printed.
fn lines(unit: &Value) -> Vec<(String, f64)> {
    unit["deductions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["item"].as_str().unwrap().to_string(),
                d["points"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_hand_calculated_case_gives_the_scores_grades_and_lines_of_the_source() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    register(d, "市财政局", "财政");
    register(d, "市规划局", "规划");
    register(d, "市行政服务中心", "行政服务中心");
    let sheet = d.join("督查.csv");
    std::fs::write(
        &sheet,
        "单位,部门,检查项,发现时间,数量,每次扣分,情况说明,监督员\n\
         市财政局,财政,迟到,2026/3/9 8:45,3,,三人8:45后到岗,刘义务\n\
         市财政局,财政,上网聊天、玩游戏、看影视、炒股,2026/3/9 10:10,2,,两人看视频,刘义务\n\
         市规划局,规划,吃拿卡要,2026/3/10 9:30,1,12,索要材料费,刘义务\n\
         市规划局,规划,首问责任制未落实,2026/3/10 9:50,1,,推给他人,刘义务\n\
         市行政服务中心,行政服务中心,工作日午餐饮酒（公共接待除外）,2026/3/11 12:40,2,,两人午餐饮酒,刘义务\n\
         市行政服务中心,行政服务中心,AB岗未落实，无人顶岗,2026/3/11 14:30,1,,无人顶岗,刘义务\n\
         市行政服务中心,行政服务中心,迟到,2026/3/12 8:50,1,,一人迟到,刘义务\n",
    )
    .unwrap();
    anfang(d).arg("import").arg(&sheet).assert().success();
    let out = anfang(d)
        .args(["review", "list", "--status", "pending", "--json"])
        .output()
        .unwrap();
    let pending: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(pending.as_array().unwrap().len(), 7);
    for finding in pending.as_array().unwrap() {
        anfang(d)
            .args(["review", "confirm", finding["finding_id"].as_str().unwrap()])
            .assert()
            .success();
    }
    deduct(
        d,
        &[
            "--unit",
            "市财政局",
            "--item",
            "meeting-absent",
            "--count",
            "2",
            "--date",
            "2026-03-02",
            "--reason",
            "两次无故缺席全市作风会议",
        ],
    );
    deduct(
        d,
        &[
            "--unit",
            "市财政局",
            "--item",
            "discipline-case",
            "--points",
            "15",
            "--date",
            "2026-03-20",
            "--reason",
            "违纪案件被纪委处理",
        ],
    );
    deduct(
        d,
        &[
            "--unit",
            "市行政服务中心",
            "--item",
            "task-overdue",
            "--date",
            "2026-03-25",
            "--reason",
            "督办任务逾期",
        ],
    );
    // 市规划局, every aspect 2 满意 / 6 基本满意 / 2 不满意 of 10:
    // (2×22 + 6×17 + 2×11) ÷ 10 = 16.8; five aspects 84; 6 below 90: −6.
    appraise(d, "市规划局", "规划", [2, 6, 2]);
    // 市行政服务中心, every aspect 3 / 6 / 1 of 10:
    // (3×22 + 6×17 + 1×11) ÷ 10 = 17.9; five aspects 89.5; 0.5 below 90:
    // −0.5, part points in proportion (the method's rounding).
    appraise(d, "市行政服务中心", "行政服务中心", [3, 6, 1]);

    let ranking = scores(d);
    assert_eq!(ranking.len(), 3);
    assert!(ranking.iter().all(|u| u["method_version"] == 1));

    // 市财政局: 四(四)6 迟到 3 人次 × 1 = 3; 四(四)4 上网 2 人次 × 2 = 4;
    // 四(四)1 缺席会议 2 次 × 2 = 4; 四(五)1 违纪 1 件次 × 15 (10–20) = 15.
    // 3 + 4 + 4 + 15 = 26; 100 − 26 = 74: 合格.
    let finance = unit(&ranking, "市财政局");
    assert_eq!(finance["deducted"], 26.0);
    assert_eq!(finance["score"], 74.0);
    assert_eq!(finance["grade"], "pass");
    assert_eq!(
        lines(finance),
        [
            ("online-leisure".to_string(), 4.0),
            ("late-arrival".to_string(), 3.0),
            ("meeting-absent".to_string(), 4.0),
            ("discipline-case".to_string(), 15.0),
        ]
    );
    let sections: Vec<&str> = finance["deductions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["section"].as_str())
        .collect();
    assert_eq!(sections, ["四(四)1", "四(五)1"]);

    // 市规划局: 吃拿卡要 1 件次 at 12 (10–20) = 12; 首问责任制 1 件次 × 5 = 5;
    // appraisal −6 (above). 12 + 5 + 6 = 23; 100 − 23 = 77: 合格.
    let planning = unit(&ranking, "市规划局");
    assert_eq!(planning["deducted"], 23.0);
    assert_eq!(planning["score"], 77.0);
    assert_eq!(planning["grade"], "pass");
    assert_eq!(
        lines(planning),
        [
            ("eat-take-obstruct".to_string(), 12.0),
            ("first-inquiry".to_string(), 5.0),
            ("public-appraisal".to_string(), 6.0),
        ]
    );
    assert_eq!(planning["deductions"][2]["satisfaction"], 84.0);

    // 市行政服务中心: 午餐饮酒 2 人次 × 5 = 10; AB岗 1 件次 × 5 = 5; 迟到 1;
    // 督办任务逾期 四(一)1 1 件次 × 4 = 4; appraisal −0.5 (above).
    // 10 + 5 + 1 + 4 + 0.5 = 20.5; 100 − 20.5 = 79.5, rounded half up to
    // 80 before the grade is read: 良好 (unrounded it would be 合格).
    let center = unit(&ranking, "市行政服务中心");
    assert_eq!(center["deducted"], 20.5);
    assert_eq!(center["score"], 79.5);
    assert_eq!(center["graded_score"], 80.0);
    assert_eq!(center["grade"], "good");
    assert_eq!(
        lines(center),
        [
            ("lunch-drinking".to_string(), 10.0),
            ("ab-post-uncovered".to_string(), 5.0),
            ("late-arrival".to_string(), 1.0),
            ("public-appraisal".to_string(), 0.5),
            ("task-overdue".to_string(), 4.0),
        ]
    );

    // Ranked 79.5, 77, 74; the text names the method and its rounding.
    let order: Vec<&str> = ranking
        .iter()
        .map(|u| u["unit"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["市行政服务中心", "市规划局", "市财政局"]);
    anfang_in(d, "zh-CN")
        .args(["scores", "--from", "2026-01-01", "--to", "2026-03-31"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("作风效能建设工作考评办法（试行）（第1版）")
                .and(predicate::str::contains("79.5分按80分评为良好"))
                .and(predicate::str::contains(
                    "四(四)1 未经同意无故缺席重要会议及重要活动 x2 -4 2026-03-02",
                )),
        );
}

#[test]
fn deduct_names_every_bad_value_in_one_line_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    register(d, "市财政局", "财政");
    let fails = |args: &[&str], said: &str| {
        let out = anfang(d).arg("deduct").args(args).output().unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert!(err.contains(said), "{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    };
    let base = ["--date", "2026-03-02", "--reason", "x"];
    fails(
        &[
            &["--unit", "市财政局", "--item", "meeting-absnt"][..],
            &base,
        ]
        .concat(),
        "unknown item 'meeting-absnt' (did you mean 'meeting-absent'?)",
    );
    fails(
        &[
            &["--unit", "市财正局", "--item", "meeting-absent"][..],
            &base,
        ]
        .concat(),
        "unknown unit '市财正局' (did you mean '市财政局'?)",
    );
    fails(
        &[
            &[
                "--unit",
                "市财政局",
                "--item",
                "discipline-case",
                "--points",
                "25",
            ][..],
            &base,
        ]
        .concat(),
        "points 25 outside item 'discipline-case''s range 10–20",
    );
    fails(
        &[
            &["--unit", "市财政局", "--item", "discipline-case"][..],
            &base,
        ]
        .concat(),
        "give --points",
    );
    fails(
        &[&["--unit", "市财政局", "--item", "late-arrival"][..], &base].concat(),
        "unknown item 'late-arrival'",
    );
    fails(
        &[
            "--unit",
            "市财政局",
            "--item",
            "meeting-absent",
            "--date",
            "2026-02-30",
            "--reason",
            "x",
        ],
        "2026-02-30",
    );
    let ledger = Ledger::open(d).unwrap();
    assert!(ledger.deductions(None).unwrap().is_empty());
}

#[test]
fn a_published_method_is_checked_then_used_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = anfang(d)
        .args(["method", "show", "--json"])
        .output()
        .unwrap();
    let mut method: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(method["rows"].as_array().unwrap().len(), 27);
    // A broken file: a reversed range is named, nothing is published.
    let file = d.join("method.json");
    method["version"] = 2.into();
    method["rows"][21]["points"]["min"] = 30.into();
    std::fs::write(&file, method.to_string()).unwrap();
    anfang(d)
        .args(["method", "check"])
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("range 30–20"));
    // The office's own: meetings missed cost 3, and no rounding before grading.
    method["rows"][21]["points"]["min"] = 10.into();
    method["rows"][13]["points"]["points"] = 3.into();
    method["rounding"]["score"] = "none".into();
    std::fs::write(&file, method.to_string()).unwrap();
    anfang(d)
        .args(["method", "check"])
        .arg(&file)
        .assert()
        .success();
    anfang(d)
        .args(["method", "publish"])
        .arg(&file)
        .assert()
        .success();
    anfang(d)
        .args(["method", "show"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "(version 2) (published by the office)",
        ));
    register(d, "市财政局", "财政");
    deduct(
        d,
        &[
            "--unit",
            "市财政局",
            "--item",
            "meeting-absent",
            "--count",
            "2",
            "--date",
            "2026-03-02",
            "--reason",
            "缺席",
        ],
    );
    let ranking = scores(d);
    assert_eq!(ranking[0]["method_version"], 2);
    assert_eq!(ranking[0]["deducted"], 6.0);
    // Publishing the same version again is refused.
    anfang(d)
        .args(["method", "publish"])
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "not above the method in force (version 2)",
        ));
}

#[test]
fn the_demo_year_ranking_spreads_over_at_least_three_grades() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    anfang(d).arg("demo").assert().success();
    let out = anfang(d)
        .args([
            "scores",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--json",
        ])
        .output()
        .unwrap();
    let ranking: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut grades: Vec<&str> = ranking
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["grade"].as_str().unwrap())
        .collect();
    grades.sort_unstable();
    grades.dedup();
    assert!(grades.len() >= 3, "{grades:?}");
}
