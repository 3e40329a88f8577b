//! `anfang export --visit` (and `--notice`) through the real binary: the
//! documents for the file, read back as Word XML and as a web page.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use anfang_core::core_checklists::core_manifest;
use anfang_core::event::{EventBody, VisitOpened};
use anfang_core::finding::{EvidenceRecord, FindingRecord, FindingResult};
use anfang_core::review::{Decision, ReviewRecord};
use anfang_core::rule::RuleInput;
use anfang_core::visit::{Unit, VisitKind};
use anfang_ledger::Ledger;
use assert_cmd::Command;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::io::Read;
use std::path::Path;
use uuid::Uuid;

const TAX: &str = "市税务局第一税务分局办税服务厅";

fn at(text: &str) -> Timestamp {
    TimeZone::get("Asia/Shanghai")
        .unwrap()
        .to_timestamp(text.parse().unwrap())
        .unwrap()
}

fn anfang(data: &Path, lang: &str) -> Command {
    let mut cmd = Command::cargo_bin("anfang").unwrap();
    cmd.arg("--data-dir")
        .arg(data)
        .args(["--lang", lang])
        .env("TZ", "Asia/Shanghai")
        .env_remove("ANFANG_PLUGIN_PATH");
    cmd
}

fn finding(
    ledger: &mut Ledger,
    visit_id: Uuid,
    item_id: &str,
    when: &str,
    subject: &str,
    note: &str,
) -> Uuid {
    let snapshot = core_manifest()
        .snapshots()
        .into_iter()
        .find(|s| s.item(item_id).is_some())
        .unwrap();
    let item = snapshot.item(item_id).unwrap();
    let input = RuleInput {
        count: 1,
        ..RuleInput::default()
    };
    let finding_id = Uuid::now_v7();
    let body = EventBody::FindingRecorded(FindingRecord {
        finding_id,
        visit_id,
        item: snapshot.item_ref(item),
        result: FindingResult::Violation,
        points: item.rule.deduction(&input).unwrap(),
        input,
        subject: Some(subject.into()),
        note: note.into(),
        observed_at: at(when),
        points_by_hand: false,
        supersedes: None,
        source: None,
    });
    ledger.append_at(&body, at(when)).unwrap();
    finding_id
}

fn decide(ledger: &mut Ledger, finding_id: Uuid, decision: Decision, when: &str) {
    let body = EventBody::ReviewDecided(ReviewRecord {
        finding_id,
        reviewer: "效能办陈主任".into(),
        decision,
        follows: None,
        reason: None,
    });
    ledger.append_at(&body, at(when)).unwrap();
}

/// Opens a visit by the usual team, walking the core checklists.
fn open_visit(
    ledger: &mut Ledger,
    unit: &str,
    department: &str,
    kind: VisitKind,
    when: &str,
) -> Uuid {
    let visit_id = Uuid::now_v7();
    let opened = EventBody::VisitOpened(VisitOpened {
        rechecks: None,
        unit_id: None,
        visit_id,
        unit: Unit {
            name: unit.into(),
            department: department.into(),
        },
        kind,
        team: vec!["王督查".into(), "李检查".into()],
        started_at: at(when),
        checklists: core_manifest().snapshots(),
    });
    ledger.append_at(&opened, at(when)).unwrap();
    visit_id
}

/// A visit to the tax hall: two findings, a photo and a recording attached
/// to the first; the second ordered rectified by 2026-03-15.
struct Setup {
    visit_id: Uuid,
    device: String,
    evidence: Vec<EvidenceRecord>,
}

fn setup(data: &Path) -> Setup {
    let mut ledger = Ledger::open(data).unwrap();
    let visit_id = open_visit(
        &mut ledger,
        TAX,
        "税务",
        VisitKind::Unannounced,
        "2026-03-02T08:30",
    );
    let late = finding(
        &mut ledger,
        visit_id,
        "late-arrival",
        "2026-03-02T08:45",
        "王五",
        "王五8:45到岗，签到表显示8:00",
    );
    let shopping = finding(
        &mut ledger,
        visit_id,
        "out-shopping",
        "2026-03-02T10:15",
        "3号窗口",
        "窗口无人，工作人员在商场购物",
    );
    let mut evidence = Vec::new();
    for (name, bytes) in [
        ("签到表.jpg", &b"photo bytes"[..]),
        ("录音.m4a", &b"sound bytes"[..]),
    ] {
        let file = data.join(name);
        std::fs::write(&file, bytes).unwrap();
        evidence.push(
            ledger
                .attach_evidence_at(late, &file, at("2026-03-02T08:50"))
                .unwrap(),
        );
    }
    decide(
        &mut ledger,
        late,
        Decision::Confirm { points: None },
        "2026-03-06T09:00",
    );
    decide(
        &mut ledger,
        shopping,
        Decision::Confirm { points: None },
        "2026-03-06T09:01",
    );
    decide(
        &mut ledger,
        shopping,
        Decision::RequireRectification {
            deadline: jiff::civil::date(2026, 3, 15),
            rejected: None,
        },
        "2026-03-06T09:02",
    );
    Setup {
        visit_id,
        device: ledger.device_id().to_owned(),
        evidence,
    }
}

/// Runs `anfang export ARGS --out OUT`, which must succeed.
fn write_document(data: &Path, lang: &str, args: &[&str], out: &Path) {
    anfang(data, lang)
        .arg("export")
        .args(args)
        .arg("--out")
        .arg(out)
        .assert()
        .success();
}

fn docx_text(path: &Path) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    // The text runs, without the markup.
    xml.split("<w:t xml:space=\"preserve\">")
        .skip(1)
        .map(|run| run.split("</w:t>").next().unwrap())
        .collect::<Vec<_>>()
        .join("|")
}

#[test]
fn a_visit_record_lists_findings_evidence_hashes_devices_and_signature_lines() {
    let dir = tempfile::tempdir().unwrap();
    let setup = setup(dir.path());
    let docx = dir.path().join("记录.docx");
    write_document(
        dir.path(),
        "zh-CN",
        &["--visit", &setup.visit_id.to_string(), "--format", "docx"],
        &docx,
    );
    let text = docx_text(&docx);
    let expected = [
        "暗访记录及电子取证清单",
        TAX,
        "2026-03-02 08:30",
        "王督查、李检查",
        "2026-03-02 08:45",
        "迟到",
        "王五",
        "王五8:45到岗，签到表显示8:00",
        "3号窗口",
        "签到表.jpg",
        "录音.m4a",
        "sha256sum FILE",
        "检查人员：王督查",
        "检查人员：李检查",
        "见证人签字",
    ];
    for part in expected {
        assert!(text.contains(part), "{part} missing from the DOCX: {text}");
    }
    for evidence in &setup.evidence {
        assert_eq!(evidence.sha256.len(), 64);
        assert!(
            text.contains(&evidence.sha256),
            "hash {} missing",
            evidence.sha256
        );
    }
    assert!(
        text.contains(&setup.device),
        "device {} missing",
        setup.device
    );

    let html = dir.path().join("record.html");
    write_document(
        dir.path(),
        "en",
        &["--visit", &setup.visit_id.to_string(), "--format", "html"],
        &html,
    );
    let page = std::fs::read_to_string(&html).unwrap();
    for part in [
        "Record of an unannounced visit",
        "Late arrival",
        "Witness",
        "sha256sum FILE",
        &setup.evidence[0].sha256,
        &setup.device,
    ] {
        assert!(page.contains(part), "{part} missing from the page");
    }
}

#[test]
fn a_visit_record_refuses_a_bad_id_a_missing_visit_and_a_spreadsheet_format() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    let out = dir.path().join("x.docx");
    let err = anfang(dir.path(), "en")
        .args(["export", "--visit", "nope", "--format", "docx", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8(err).unwrap().contains("'nope'"));
    let missing = Uuid::nil().to_string();
    let err = anfang(dir.path(), "en")
        .args(["export", "--visit", &missing, "--format", "docx", "--out"])
        .arg(&out)
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8(err).unwrap().contains(&missing));
    anfang(dir.path(), "en")
        .args(["export", "--visit", &missing, "--format", "csv", "--out"])
        .arg(&out)
        .assert()
        .code(2);
    assert!(!out.exists(), "nothing written");
}

#[test]
fn a_rectification_notice_lists_what_was_ordered_with_deadlines_and_when_to_report() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    let docx = dir.path().join("通知书.docx");
    write_document(
        dir.path(),
        "zh-CN",
        &["--notice", TAX, "--date", "2026-03-20", "--format", "docx"],
        &docx,
    );
    let text = docx_text(&docx);
    for part in [
        "整改通知书",
        &format!("{TAX}："),
        "2026年3月2日",
        "发现以下1个问题",
        "上班时间外出逛街、非因公购物",
        "3号窗口",
        "窗口无人，工作人员在商场购物",
        "2026年3月15日",
        "（已逾期）",
        // The deadline has passed by the notice's date: a week after it.
        "请于2026年3月27日前将整改报告书面报送作风效能建设领导小组办公室",
        "2026年3月20日",
        "签收人",
    ] {
        assert!(
            text.contains(part),
            "{part} missing from the notice: {text}"
        );
    }
    // Only what review ordered rectified: the confirmed late arrival is not listed.
    assert!(!text.contains("王五"), "{text}");

    let html = dir.path().join("notice.html");
    write_document(
        dir.path(),
        "en",
        &["--notice", TAX, "--date", "2026-03-10", "--format", "html"],
        &html,
    );
    let page = std::fs::read_to_string(&html).unwrap();
    for part in [
        "Rectification notice",
        "By 15 March 2026, send",
        "10 March 2026",
    ] {
        assert!(page.contains(part), "{part} missing from the page: {page}");
    }
    assert!(!page.contains("(overdue)"), "not yet overdue on 10 March");
}

#[test]
fn a_notice_to_an_unknown_unit_or_one_with_nothing_to_rectify_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    let out = dir.path().join("n.html");
    let stderr = |unit: &str| {
        let out = anfang(dir.path(), "en")
            .args(["export", "--notice", unit, "--format", "html", "--out"])
            .arg(&out)
            .assert()
            .code(1)
            .get_output()
            .stderr
            .clone();
        String::from_utf8(out).unwrap()
    };
    assert!(stderr("市不存在局").contains("'市不存在局'"));
    // A unit visited with nothing ordered rectified.
    let mut ledger = Ledger::open(dir.path()).unwrap();
    open_visit(
        &mut ledger,
        "市规划局",
        "规划",
        VisitKind::Open,
        "2026-03-04T08:30",
    );
    drop(ledger);
    let said = stderr("市规划局");
    assert!(
        said.contains("'市规划局'") && said.contains("nothing to notify"),
        "{said}"
    );
    assert!(!out.exists());
}

#[test]
fn a_bulletin_takes_the_office_settings_and_the_flags_override_them() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    setup(&data);
    std::fs::create_dir_all(data.join("config")).unwrap();
    std::fs::write(
        data.join("config/settings.toml"),
        "[documents]\nissuer = \"滨江市作风效能建设领导小组办公室\"\naddressees = \"市直各单位\"\ncopies = \"市纪委监委\"\nnumber_pattern = \"滨效办〔{year}〕{n}号\"\n",
    )
    .unwrap();
    let out = dir.path().join("通报.docx");
    let period = [
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--date",
        "2026-03-20",
    ];
    let mut args = vec!["--format", "docx", "--serial", "3"];
    args.extend(period);
    write_document(&data, "zh-CN", &args, &out);
    let text = docx_text(&out);
    for part in [
        "滨江市作风效能建设领导小组办公室",
        "滨效办〔2026〕3号",
        "关于2026年3月作风效能暗访情况的通报",
        "市直各单位：",
        "抄送：市纪委监委。",
        "2026年3月20日印发",
        "2026年4月4日前",
    ] {
        assert!(text.contains(part), "missing {part} in {text}");
    }
    // A flag wins over the setting.
    let mut args = vec!["--format", "html", "--addressees", "各县（区）效能办"];
    args.extend(period);
    let html = dir.path().join("通报.html");
    write_document(&data, "zh-CN", &args, &html);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("各县（区）效能办：") && !page.contains("市直各单位："));
    assert!(page.contains("滨效办〔2026〕　　号"), "serial left blank");
    // A damaged settings section is named.
    std::fs::write(
        data.join("config/settings.toml"),
        "[documents]\nissuer = 1\n",
    )
    .unwrap();
    let err = anfang(&data, "en")
        .args(["export", "--format", "html", "--out"])
        .arg(&html)
        .assert()
        .failure()
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&err).contains("settings.toml"));
}

#[test]
fn the_year_summary_counts_visits_problems_notices_and_grades() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    setup(&data);
    {
        let mut ledger = Ledger::open(&data).unwrap();
        // A visit that found nothing and one that found all in order are
        // visits made all the same; one of the year before is not.
        open_visit(
            &mut ledger,
            "市规划局",
            "规划",
            VisitKind::Open,
            "2026-05-06T09:00",
        );
        let in_order = open_visit(
            &mut ledger,
            "市政务服务中心",
            "政务服务",
            VisitKind::Open,
            "2026-06-10T10:00",
        );
        let snapshot = core_manifest()
            .snapshots()
            .into_iter()
            .find(|s| s.item("late-arrival").is_some())
            .unwrap();
        let item = snapshot.item("late-arrival").unwrap();
        let in_order_finding = EventBody::FindingRecorded(FindingRecord {
            finding_id: Uuid::now_v7(),
            visit_id: in_order,
            item: snapshot.item_ref(item),
            result: FindingResult::Compliant,
            points: anfang_core::Points::ZERO,
            input: RuleInput::default(),
            subject: None,
            note: String::new(),
            observed_at: at("2026-06-10T10:05"),
            points_by_hand: false,
            supersedes: None,
            source: None,
        });
        ledger
            .append_at(&in_order_finding, at("2026-06-10T10:05"))
            .unwrap();
        open_visit(
            &mut ledger,
            "市规划局",
            "规划",
            VisitKind::Unannounced,
            "2025-12-30T09:00",
        );
    }
    anfang(&data, "zh-CN")
        .args([
            "bulletin",
            "issue",
            "--number",
            "效能办〔2026〕1号",
            "--date",
            "2026-03-31",
        ])
        .assert()
        .success();
    let run = |lang: &str| {
        let out = anfang(&data, lang)
            .args(["report", "--year", "2026", "--date", "2027-01-10"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let zh = run("zh-CN");
    assert!(zh.starts_with("# 2026年作风效能建设工作情况"), "{zh}");
    assert!(
        zh.contains("共开展作风效能检查3次（明察2次、暗访1次），涉及单位3个"),
        "{zh}"
    );
    assert!(zh.contains("印发通报1期"), "{zh}");
    assert!(zh.contains("发现问题2个，经审核确认2个"), "{zh}");
    assert!(
        zh.contains("下达整改通知书1份，责令整改问题1个，逾期未整改1个"),
        "{zh}"
    );
    assert!(!zh.contains("已整改0"), "zero clause: {zh}");
    assert!(zh.contains("2027年1月10日"), "{zh}");
    assert!(zh.contains(&format!("| {TAX} |")), "{zh}");
    let en = run("en");
    assert!(
        en.contains("3 inspection visits (2 open, 1 unannounced) to 3 units"),
        "{en}"
    );
    // Written as a Word document and a web page too; a bad year is refused.
    for format in ["docx", "html", "md"] {
        let out = dir.path().join(format!("year.{format}"));
        anfang(&data, "zh-CN")
            .args([
                "report",
                "--year",
                "2026",
                "--date",
                "2027-01-10",
                "--format",
                format,
                "--out",
            ])
            .arg(&out)
            .assert()
            .success();
        assert!(out.is_file());
    }
    assert!(docx_text(&dir.path().join("year.docx")).contains("2026年作风效能建设工作情况"));
    anfang(&data, "en")
        .args(["report", "--year", "26"])
        .assert()
        .code(2);
}
