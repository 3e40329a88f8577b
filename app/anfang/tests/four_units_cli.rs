//! The hand-calculated case across four units, through the real binary:
//! person-time and case items, a 10–20 item, office deductions, a
//! subordinate unit's drinking at lunch reaching its parent (四(四)3), a unit
//! named in an issued bulletin (四(四)2), appraisals by votes (22/17/11) and
//! a score that rounds across a grade band. Every number below was worked
//! out by hand from the 考评办法 (section 四 for the points, 六 for the
//! grades) and the built-in method `anfang method show` prints.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anfang_core::event::{AppraisalEntered, EventBody};
use anfang_core::score::{Appraisal, AspectVotes};
use anfang_core::visit::Unit;
use anfang_ledger::Ledger;
use assert_cmd::Command;
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

fn ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn register(dir: &Path, name: &str, department: &str, kind: &str, parent: Option<&str>) {
    let mut cmd = anfang(dir);
    cmd.args(["units", "add", "--name", name, "--department", department])
        .args(["--kind", kind]);
    if let Some(parent) = parent {
        cmd.args(["--parent", parent]);
    }
    ok(&mut cmd);
}

/// An office deduction (`anfang deduct`), entered and then confirmed by a
/// reviewer, so it counts.
fn office_deduction(dir: &Path, unit: &str, item: &str, count: u32, date: &str, reason: &str) {
    let entered = ok(anfang(dir).args([
        "deduct",
        "--unit",
        unit,
        "--item",
        item,
        "--count",
        &count.to_string(),
        "--date",
        date,
        "--reason",
        reason,
    ]));
    // Entered deductions are pending until a reviewer confirms them.
    let id = entered.split_whitespace().next().unwrap();
    ok(anfang(dir).args(["deduct", "confirm", id]));
}

/// A questionnaire of the quarter: every one of the five aspects got these
/// 满意 / 基本满意 / 不满意 votes.
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

fn quarter(dir: &Path) -> Vec<Value> {
    let out = ok(anfang(dir).args([
        "scores",
        "--from",
        "2026-01-01",
        "--to",
        "2026-03-31",
        "--json",
    ]));
    serde_json::from_str::<Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn unit<'a>(ranking: &'a [Value], name: &str) -> &'a Value {
    ranking
        .iter()
        .find(|u| u["unit"] == name)
        .unwrap_or_else(|| panic!("{name} not ranked: {ranking:?}"))
}

/// (section or item, points) of every deduction line, in the order printed.
fn lines(unit: &Value) -> Vec<(String, f64)> {
    unit["deductions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let what = d["section"]
                .as_str()
                .filter(|_| d["item"] == "office-rule")
                .or(d["item"].as_str())
                .unwrap();
            (what.to_string(), d["points"].as_f64().unwrap())
        })
        .collect()
}

fn line(what: &str, points: f64) -> (String, f64) {
    (what.to_string(), points)
}

const BULLETIN: &str = "效能办〔2026〕2号";

// The case, worked by hand. Quarter 2026-01-01 … 2026-03-31; 100 points,
// deducted (四); grade bands 90–100 优秀, 80–89 良好, 60–79 合格, below
// 60 不合格 (六), a score rounded half up to a whole point before its band
// is read (the method's rounding).
//
// | unit (kind)                 | line                                   | rule (四)            | points |
// |-----------------------------|----------------------------------------|----------------------|--------|
// | 市财政局 (机关)             | 上网聊天… 2 人次                       | (四)4: 2 per 人次    |   4    |
// |                             | 下属单位 国库支付中心 午餐饮酒 2 人次  | (四)3: 3 per 人次    |   6    |
// |                             | 无故缺席重要会议 2 次 (office)         | (四)1: 2 per 次      |   4    |
// |                             | total 14; 100 − 14 = 86               | 六: 80–89            | 良好   |
// | 市财政局国库支付中心        | 工作日午餐饮酒 2 人次                  | (四)3: 5 per 人次    |  10    |
// | (下属单位 of 市财政局)      | 迟到 1 人次                            | (四)6: 1 per 人次    |   1    |
// |                             | named in bulletin 效能办〔2026〕2号     | (四)2: 10 per 次     |  10    |
// |                             | total 21; 100 − 21 = 79               | 六: 60–79            | 合格   |
// | 市规划局 (机关)             | 吃拿卡要 1 件次, set at 12             | 10–20 per 件次       |  12    |
// |                             | 首问责任制未落实 1 件次                | 5 per 件次           |   5    |
// |                             | appraisal 2/6/2 of 10 per aspect:      | (六)1: 1 per point   |   6    |
// |                             |  (2×22+6×17+2×11)/10 = 16.8; ×5 = 84   |  below 90            |        |
// |                             | total 23; 100 − 23 = 77               | 六: 60–79            | 合格   |
// | 市行政服务中心 (机关)       | AB岗未落实 1 件次                      | 5 per 件次           |   5    |
// |                             | 迟到 3 人次                            | (四)6: 1 per 人次    |   3    |
// |                             | 上网聊天… 4 人次                       | (四)4: 2 per 人次    |   8    |
// |                             | appraisal 3/6/1 of 10 per aspect:      | (六)1: 1 per point,  |   0.5  |
// |                             |  (3×22+6×17+1×11)/10 = 17.9; ×5 = 89.5 |  part points in      |        |
// |                             |                                        |  proportion          |        |
// |                             | 督办任务不按时落实 1 件次 (office)     | (一)1: 4 per 件次    |   4    |
// |                             | total 20.5; 100 − 20.5 = 79.5 → 80    | 六: 80–89            | 良好   |
//
// Ranked: 市财政局 86, 市行政服务中心 79.5, 市财政局国库支付中心 79,
// 市规划局 77.
#[test]
fn four_units_score_exactly_as_worked_by_hand_from_the_source() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    register(d, "市财政局", "财政", "机关", None);
    register(
        d,
        "市财政局国库支付中心",
        "财政",
        "下属单位",
        Some("市财政局"),
    );
    register(d, "市规划局", "规划", "机关", None);
    register(d, "市行政服务中心", "行政服务中心", "机关", None);

    // What the inspectors and volunteers found, reported in one sheet,
    // then confirmed in review.
    let sheet = d.join("督查.csv");
    std::fs::write(
        &sheet,
        "单位,部门,检查项,发现时间,数量,每次扣分,情况说明,监督员\n\
         市财政局,财政,上网聊天、玩游戏、看影视、炒股,2026/2/9 10:10,2,,两人看视频,刘义务\n\
         市财政局国库支付中心,财政,工作日午餐饮酒（公共接待除外）,2026/2/10 12:40,2,,两人午餐饮酒,刘义务\n\
         市财政局国库支付中心,财政,迟到,2026/2/10 8:50,1,,一人迟到,刘义务\n\
         市规划局,规划,吃拿卡要,2026/3/10 9:30,1,12,索要材料费,刘义务\n\
         市规划局,规划,首问责任制未落实,2026/3/10 9:50,1,,推给他人,刘义务\n\
         市行政服务中心,行政服务中心,AB岗未落实，无人顶岗,2026/3/11 14:30,1,,无人顶岗,刘义务\n\
         市行政服务中心,行政服务中心,迟到,2026/3/12 8:50,3,,三人迟到,刘义务\n\
         市行政服务中心,行政服务中心,上网聊天、玩游戏、看影视、炒股,2026/3/12 10:00,4,,四人炒股,刘义务\n",
    )
    .unwrap();
    ok(anfang(d).arg("import").arg(&sheet));
    let pending: Value = serde_json::from_str(&ok(
        anfang(d).args(["review", "list", "--status", "pending", "--json"])
    ))
    .unwrap();
    assert_eq!(pending.as_array().unwrap().len(), 8);
    for finding in pending.as_array().unwrap() {
        ok(anfang(d).args(["review", "confirm", finding["finding_id"].as_str().unwrap()]));
    }

    office_deduction(
        d,
        "市财政局",
        "meeting-absent",
        2,
        "2026-03-02",
        "两次无故缺席全市作风会议",
    );
    office_deduction(
        d,
        "市行政服务中心",
        "task-overdue",
        1,
        "2026-03-25",
        "督办任务逾期",
    );
    // The bulletin of February names the treasury center for its lunch.
    let out = ok(anfang(d).args([
        "bulletin",
        "issue",
        "--number",
        BULLETIN,
        "--date",
        "2026-03-20",
        "--from",
        "2026-02-01",
        "--to",
        "2026-02-28",
        "--unit",
        "市财政局国库支付中心",
    ]));
    assert!(out.contains("1 unit(s)"), "{out}");
    appraise(d, "市规划局", "规划", [2, 6, 2]);
    appraise(d, "市行政服务中心", "行政服务中心", [3, 6, 1]);

    let ranking = quarter(d);
    let order: Vec<&str> = ranking
        .iter()
        .map(|u| u["unit"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        [
            "市财政局",
            "市行政服务中心",
            "市财政局国库支付中心",
            "市规划局"
        ]
    );

    let finance = unit(&ranking, "市财政局");
    assert_eq!(finance["deducted"], 14.0, "{finance}");
    assert_eq!(finance["score"], 86.0);
    assert_eq!(finance["graded_score"], 86.0);
    assert_eq!(finance["grade"], "good");
    assert_eq!(
        lines(finance),
        [
            line("online-leisure", 4.0),
            line("meeting-absent", 4.0),
            line("四(四)3", 6.0),
        ]
    );

    let treasury = unit(&ranking, "市财政局国库支付中心");
    assert_eq!(treasury["deducted"], 21.0, "{treasury}");
    assert_eq!(treasury["score"], 79.0);
    assert_eq!(treasury["graded_score"], 79.0);
    assert_eq!(treasury["grade"], "pass");
    assert_eq!(
        lines(treasury),
        [
            line("lunch-drinking", 10.0),
            line("late-arrival", 1.0),
            line("四(四)2", 10.0),
        ]
    );

    let planning = unit(&ranking, "市规划局");
    assert_eq!(planning["deducted"], 23.0, "{planning}");
    assert_eq!(planning["score"], 77.0);
    assert_eq!(planning["grade"], "pass");
    assert_eq!(
        lines(planning),
        [
            line("eat-take-obstruct", 12.0),
            line("first-inquiry", 5.0),
            line("public-appraisal", 6.0),
        ]
    );
    assert_eq!(planning["deductions"][2]["satisfaction"], 84.0);

    let center = unit(&ranking, "市行政服务中心");
    assert_eq!(center["deducted"], 20.5, "{center}");
    assert_eq!(center["score"], 79.5);
    assert_eq!(center["graded_score"], 80.0);
    assert_eq!(center["grade"], "good");
    assert_eq!(
        lines(center),
        [
            line("online-leisure", 8.0),
            line("ab-post-uncovered", 5.0),
            line("late-arrival", 3.0),
            line("public-appraisal", 0.5),
            line("task-overdue", 4.0),
        ]
    );
    assert_eq!(center["deductions"][3]["satisfaction"], 89.5);

    // The plain table says the same for the rounded unit and its parent line.
    let text =
        ok(anfang_in(d, "zh-CN").args(["scores", "--from", "2026-01-01", "--to", "2026-03-31"]));
    for said in [
        "79.5分按80分评为良好",
        "[四(四)2]",
        "[四(四)3]",
        "四(一)1 明确要求落实或重点督查的工作任务不按时落实 x1 -4 2026-03-25",
    ] {
        assert!(text.contains(said), "{said}\n{text}");
    }
}
