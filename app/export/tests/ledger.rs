//! Exports from and imports into a real ledger file, read back with
//! independent readers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anfang_core::Lang;
use anfang_core::core_checklists::core_manifest;
use anfang_core::event::{EventBody, VisitOpened};
use anfang_core::finding::{FindingRecord, FindingResult};
use anfang_core::review::{Decision, ReviewRecord};
use anfang_core::rule::RuleInput;
use anfang_core::visit::{Unit, VisitKind};
use anfang_export::import::{Catalog, ImportError, ImportOptions, import_file};
use anfang_export::{BOM, ExportOptions, Format, LedgerSource, export};
use anfang_ledger::export_query::ExportFilter;
use anfang_ledger::{DeviceKey, Ledger};
use calamine::{Data, Reader, Xlsx, open_workbook};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::path::Path;
use uuid::Uuid;

const TAX: &str = "市税务局第一税务分局办税服务厅";
const PLAN: &str = "市规划局";

fn tz() -> TimeZone {
    TimeZone::get("Asia/Shanghai").unwrap()
}

fn at(text: &str) -> Timestamp {
    tz().to_timestamp(text.parse().unwrap()).unwrap()
}

fn open(dir: &Path, seed: u8) -> Ledger {
    Ledger::open_with_key(&dir.join("ledger.sqlite"), DeviceKey::from_seed([seed; 32])).unwrap()
}

fn unit(name: &str, department: &str) -> Unit {
    Unit {
        name: name.into(),
        department: department.into(),
    }
}

/// Opens a visit to `unit` walking the core checklists.
fn visit(ledger: &mut Ledger, unit: Unit, when: &str) -> Uuid {
    let visit_id = Uuid::now_v7();
    let body = EventBody::VisitOpened(VisitOpened {
        rechecks: None,
        unit_id: None,
        visit_id,
        unit,
        kind: VisitKind::Unannounced,
        team: vec!["王督查".into(), "李检查".into()],
        started_at: at(when),
        checklists: core_manifest().snapshots(),
    });
    ledger.append_at(&body, at(when)).unwrap();
    visit_id
}

/// The core checklist that holds `item_id`.
fn snapshot_of(item_id: &str) -> anfang_core::manifest::ChecklistSnapshot {
    core_manifest()
        .snapshots()
        .into_iter()
        .find(|s| s.item(item_id).is_some())
        .unwrap()
}

fn finding(
    ledger: &mut Ledger,
    visit_id: Uuid,
    item_id: &str,
    count: u32,
    when: &str,
    subject: &str,
    note: &str,
) -> Uuid {
    let snapshot = snapshot_of(item_id);
    let item = snapshot.item(item_id).unwrap();
    let input = RuleInput {
        count,
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

/// Three units, five findings, decisions of every kind that matters.
fn office_ledger(dir: &Path) -> Ledger {
    let mut ledger = open(dir, 7);
    let tax = visit(&mut ledger, unit(TAX, "税务"), "2026-03-02T08:30");
    let a = finding(
        &mut ledger,
        tax,
        "late-arrival",
        2,
        "2026-03-02T08:40",
        "张三、李四",
        "张三、李四8:40仍未到岗",
    );
    let b = finding(
        &mut ledger,
        tax,
        "out-shopping",
        1,
        "2026-03-02T10:15",
        "张三",
        "上班时间在商场购物",
    );
    let plan = visit(&mut ledger, unit(PLAN, "规划"), "2026-03-04T08:30");
    let c = finding(
        &mut ledger,
        plan,
        "late-arrival",
        1,
        "2026-03-04T08:50",
        "工号0357",
        "迟到二十分钟",
    );
    let d = finding(
        &mut ledger,
        plan,
        "early-leave",
        1,
        "2026-03-04T16:30",
        "赵六",
        "窗口提前关闭",
    );
    let _ = visit(
        &mut ledger,
        unit("市行政服务中心", "服务中心"),
        "2026-03-05T09:00",
    );
    decide(
        &mut ledger,
        a,
        Decision::Confirm { points: None },
        "2026-03-06T09:00",
    );
    decide(
        &mut ledger,
        b,
        Decision::Confirm { points: None },
        "2026-03-06T09:01",
    );
    decide(
        &mut ledger,
        b,
        Decision::RequireRectification {
            deadline: jiff::civil::date(2026, 3, 15),
            rejected: None,
        },
        "2026-03-06T09:02",
    );
    decide(
        &mut ledger,
        d,
        Decision::Dismiss {
            reason: "有请假条".into(),
        },
        "2026-03-06T09:03",
    );
    let _ = c; // stays pending
    ledger
}

fn options(lang: Lang) -> ExportOptions {
    let mut options = ExportOptions::new(lang);
    options.tz = tz();
    options.today = jiff::civil::date(2026, 3, 20);
    options
}

fn run(ledger: &Ledger, options: &ExportOptions, format: Format, out: &Path) -> u64 {
    let source = LedgerSource::new(ledger, options.tz.clone());
    export(&source, options, format, out, &mut |_, _| {})
        .unwrap()
        .rows
}

/// The findings of a JSON export of `ledger` written to `out`.
fn exported(ledger: &Ledger, out: &Path) -> Vec<serde_json::Value> {
    run(ledger, &options(Lang::Zh), Format::Json, out);
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(out).unwrap()).unwrap();
    doc["findings"].as_array().unwrap().clone()
}

/// Those of [`exported`] that came from an import.
fn exported_imports(ledger: &Ledger, out: &Path) -> Vec<serde_json::Value> {
    exported(ledger, out)
        .into_iter()
        .filter(|f| f.get("source").is_some())
        .collect()
}

#[test]
fn ledger_exports_read_back_with_labels_scores_and_rectifications() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = office_ledger(dir.path());

    let csv_path = dir.path().join("out.csv");
    assert_eq!(run(&ledger, &options(Lang::Zh), Format::Csv, &csv_path), 4);
    let bytes = std::fs::read(&csv_path).unwrap();
    assert!(bytes.starts_with(BOM));
    let mut reader = csv::Reader::from_reader(&bytes[BOM.len()..]);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(&rows[0][1], TAX);
    assert_eq!(
        &rows[0][4], "考勤",
        "checklist label from the visit's snapshot"
    );
    assert_eq!(&rows[0][5], "迟到");
    assert_eq!(&rows[0][12], "王督查、李检查");
    // No office pinned: the recording device is known by its fingerprint.
    assert_eq!(&rows[0][13], &format!("设备 {}", &ledger.device_id()[..12]));
    assert_eq!(&rows[0][14], "已确认");
    assert_eq!(&rows[1][14], "待整改");
    assert_eq!(&rows[1][15], "2026-03-15");
    assert_eq!(&rows[2][14], "待审核");
    assert_eq!(&rows[0][21], ledger.device_id());

    let xlsx_path = dir.path().join("out.xlsx");
    run(&ledger, &options(Lang::Zh), Format::Xlsx, &xlsx_path);
    let mut book: Xlsx<_> = open_workbook(&xlsx_path).unwrap();
    let scores = book.worksheet_range("得分排名").unwrap();
    // Planning: one pending, one dismissed → 100; service centre visited,
    // nothing found → 100; tax hall: 2 + 1 → 97.
    assert_eq!(scores.height(), 5);
    assert_eq!(scores.get((4, 1)), Some(&Data::String(TAX.into())));
    assert_eq!(scores.get((4, 3)), Some(&Data::Float(97.0)));
    assert_eq!(scores.get((4, 0)), Some(&Data::Float(3.0)));
    let plan_row = (2..4)
        .find(|r| scores.get((*r, 1)) == Some(&Data::String(PLAN.into())))
        .unwrap();
    assert_eq!(
        scores.get((plan_row, 8)),
        Some(&Data::Float(1.0)),
        "pending shown apart"
    );
    let rect = book.worksheet_range("整改情况").unwrap();
    assert_eq!(rect.height(), 3);
    assert_eq!(
        rect.get((2, 2)),
        Some(&Data::String("上班时间外出逛街、非因公购物".into()))
    );
    assert_eq!(
        rect.get((2, 4)),
        Some(&Data::String("上班时间在商场购物".into()))
    );
    assert_eq!(rect.get((2, 7)), Some(&Data::String("效能办陈主任".into())));
    assert_eq!(rect.get((2, 10)), Some(&Data::String("逾期".into())));

    let html_path = dir.path().join("out.html");
    run(&ledger, &options(Lang::Zh), Format::Html, &html_path);
    let html = std::fs::read_to_string(&html_path).unwrap();
    assert!(html.contains("2026年3月2日至3月4日"));
    assert!(
        html.contains("共开展检查2次") || html.contains("涉及单位2个"),
        "summary figures"
    );
    assert!(html.contains("上班时间在商场购物"));
    assert!(!html.contains("窗口提前关闭"), "dismissed is not typical");
}

#[test]
fn filters_reach_the_query() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = office_ledger(dir.path());
    let count = |f: ExportFilter| ledger.export_count(&f).unwrap();
    assert_eq!(count(ExportFilter::default()), 4);
    assert_eq!(
        count(ExportFilter {
            unit: Some(PLAN.into()),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        count(ExportFilter {
            department: Some("税务".into()),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        count(ExportFilter {
            status: Some(anfang_core::review::ReviewStatus::Dismissed),
            ..Default::default()
        }),
        1
    );
    let mut opts = options(Lang::En);
    opts.from = Some(jiff::civil::date(2026, 3, 3));
    opts.to = Some(jiff::civil::date(2026, 3, 4));
    let out = dir.path().join("period.csv");
    assert_eq!(
        run(&ledger, &opts, Format::Csv, &out),
        2,
        "only the 4 March findings"
    );
    opts.status = Some(anfang_core::review::ReviewStatus::Pending);
    assert_eq!(run(&ledger, &opts, Format::Csv, &out), 1);
}

fn import_options(skip_invalid: bool) -> ImportOptions {
    ImportOptions {
        skip_invalid,
        tz: tz(),
        now: at("2026-03-20T12:00"),
        sheet: None,
    }
}

const VOLUNTEER_HEADER: &str = "单位,部门,检查项,发现时间,数量,对象,情况说明,监督员\n";

fn volunteer_rows(bad_count: &str) -> String {
    format!(
        "{VOLUNTEER_HEADER}\
         {TAX},税务,迟到,2026/3/9 8:45,1,王五,王五8:45到岗,刘义务\n\
         {TAX},税务,上班时间未在岗,2026/3/9 9:30,{bad_count},窗口3号,\"窗口无人，\"\"暂停服务\"\"牌未放\",刘义务\n\
         {PLAN},规划,早退,2026/3/10 16:40,1,,提前下班,刘义务\n\
         {TAX},税务,早退,2026/3/11 16:50,2,,两人提前离岗,孙义务\n"
    )
}

fn findings_in(ledger: &Ledger) -> u64 {
    ledger.export_count(&ExportFilter::default()).unwrap()
}

#[test]
fn a_volunteer_csv_with_one_bad_row_is_refused_naming_it_then_accepted_once_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = office_ledger(dir.path());
    let before = findings_in(&ledger);
    let catalog = Catalog::core();

    let bad = dir.path().join("监督员3月上半月.csv");
    std::fs::write(&bad, volunteer_rows("-1")).unwrap();
    let err = import_file(&mut ledger, &bad, &catalog, &import_options(false)).unwrap_err();
    match &err {
        ImportError::Refused { problems, rows, .. } => {
            assert_eq!(*rows, 4);
            assert_eq!(problems.len(), 1, "{problems:?}");
            assert_eq!(problems[0].row, 3, "header is row 1, the bad finding row 3");
            assert!(
                problems[0].reason.en.contains("negative count -1"),
                "{}",
                problems[0]
            );
            assert!(
                problems[0].reason.zh.contains("数量为负数 -1"),
                "{:?}",
                problems[0].reason
            );
        }
        other => panic!("not refused: {other}"),
    }
    assert!(
        err.to_string()
            .contains("1 of 4 rows invalid, nothing imported"),
        "{err}"
    );
    assert_eq!(findings_in(&ledger), before, "nothing imported");

    let fixed = dir.path().join("监督员3月上半月-改.csv");
    std::fs::write(&fixed, volunteer_rows("1")).unwrap();
    let report = import_file(&mut ledger, &fixed, &catalog, &import_options(false)).unwrap();
    assert_eq!(report.imported, 4);
    assert_eq!(
        report.visits, 3,
        "刘义务 at the tax hall and at planning, 孙义务 at the tax hall"
    );
    assert!(report.skipped.is_empty() && report.duplicates.is_empty());
    assert_eq!(findings_in(&ledger), before + 4);

    // The imported findings carry the file's hash and row, and export.
    let imported = exported_imports(&ledger, &dir.path().join("after.json"));
    assert_eq!(imported.len(), 4);
    let second = imported.iter().find(|f| f["source"]["row"] == 3).unwrap();
    assert_eq!(second["source"]["file_sha256"], report.file_sha256.as_str());
    assert_eq!(second["source"]["reporter"], "刘义务");
    assert_eq!(second["note"], "窗口无人，\"暂停服务\"牌未放");
    assert_eq!(second["item_id"], "not-on-post");
    assert_eq!(second["status"], "pending");
    assert_eq!(second["inspectors"], serde_json::json!(["刘义务"]));
    assert_eq!(second["device_id"], ledger.device_id());

    // The same file again adds nothing.
    let again = import_file(&mut ledger, &fixed, &catalog, &import_options(false)).unwrap();
    assert_eq!(again.imported, 0);
    assert_eq!(again.duplicates.len(), 4);
    assert!(
        again.duplicates[0]
            .reason
            .en
            .contains("already imported from this file")
    );
    assert_eq!(findings_in(&ledger), before + 4);
}

#[test]
fn skip_invalid_imports_the_rest_and_a_fixed_file_adds_only_the_fixed_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = office_ledger(dir.path());
    let before = findings_in(&ledger);
    let catalog = Catalog::core();
    let bad = dir.path().join("a.csv");
    let text = volunteer_rows("1")
        .replace("2026/3/10 16:40", "2026/3/32 16:40")
        .replace(PLAN, "市不存在局");
    std::fs::write(&bad, &text).unwrap();
    let report = import_file(&mut ledger, &bad, &catalog, &import_options(true)).unwrap();
    assert_eq!(report.imported, 3);
    assert_eq!(report.skipped.len(), 1);
    assert_eq!(report.skipped[0].row, 4);
    assert!(
        report.skipped[0]
            .reason
            .en
            .contains("unknown unit '市不存在局'"),
        "{}",
        report.skipped[0]
    );
    assert!(
        report.skipped[0]
            .reason
            .en
            .contains("bad date '2026/3/32 16:40'"),
        "{}",
        report.skipped[0]
    );
    assert_eq!(findings_in(&ledger), before + 3);

    let fixed = dir.path().join("b.csv");
    std::fs::write(&fixed, volunteer_rows("1")).unwrap();
    let report = import_file(&mut ledger, &fixed, &catalog, &import_options(false)).unwrap();
    assert_eq!(report.imported, 1, "only the row that was fixed");
    assert_eq!(report.duplicates.len(), 3);
    assert!(report.duplicates[0].reason.en.contains("another file"));
    assert_eq!(findings_in(&ledger), before + 4);
}

#[test]
fn json_export_imports_into_another_ledger_and_exports_the_same() {
    let dir_a = tempfile::tempdir().unwrap();
    let dir_b = tempfile::tempdir().unwrap();
    let mut a = office_ledger(dir_a.path());
    let first = dir_a.path().join("a.json");
    run(&a, &options(Lang::Zh), Format::Json, &first);

    // The same export back into its own ledger: every finding is already there.
    let catalog = Catalog::core();
    let report = import_file(&mut a, &first, &catalog, &import_options(false)).unwrap();
    assert_eq!(report.imported, 0);
    assert_eq!(report.duplicates.len(), 4);
    assert!(
        report.duplicates[0]
            .reason
            .en
            .contains("already in this ledger")
    );

    // Another office ledger that knows the units.
    let mut b = open(dir_b.path(), 9);
    visit(&mut b, unit(TAX, "税务"), "2026-03-01T08:00");
    visit(&mut b, unit(PLAN, "规划"), "2026-03-01T08:00");
    let report = import_file(&mut b, &first, &catalog, &import_options(false)).unwrap();
    assert_eq!(report.imported, 4);
    let second = dir_b.path().join("b.json");
    run(&b, &options(Lang::Zh), Format::Json, &second);

    let read = |p: &Path| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
    };
    let (one, two) = (read(&first), read(&second));
    let key = |f: &serde_json::Value| {
        [
            "observed_at",
            "unit",
            "department",
            "plugin_id",
            "item_id",
            "result",
            "count",
            "points",
            "subject",
            "note",
            "inspectors",
            "visit_kind",
        ]
        .map(|k| f[k].clone())
    };
    let ones: Vec<_> = one["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(key)
        .collect();
    let twos: Vec<_> = two["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(key)
        .collect();
    assert_eq!(ones, twos, "the findings survive export → import → export");
    let sources: Vec<u64> = two["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["source"]["row"].as_u64().unwrap())
        .collect();
    assert_eq!(sources, vec![1, 2, 3, 4]);
    assert!(
        two["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["status"] == "pending"),
        "imported findings await review"
    );
}

#[test]
fn import_refuses_a_file_it_cannot_read_as_a_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = office_ledger(dir.path());
    let catalog = Catalog::core();
    let path = dir.path().join("x.csv");
    std::fs::write(&path, "单位,检查项,发现时间,情况说明,备忘\n").unwrap();
    let err = import_file(&mut ledger, &path, &catalog, &import_options(false)).unwrap_err();
    assert!(
        err.to_string().contains("no 监督员/reporter column"),
        "{err}"
    );
    let path = dir.path().join("y.json");
    std::fs::write(&path, "{\"findings\": [").unwrap();
    let err = import_file(&mut ledger, &path, &catalog, &import_options(false)).unwrap_err();
    assert!(err.to_string().contains("not valid JSON"), "{err}");
    let missing = dir.path().join("nope.csv");
    let err = import_file(&mut ledger, &missing, &catalog, &import_options(false)).unwrap_err();
    assert!(err.to_string().contains("nope.csv"), "{err}");
}

/// A finding the inspector marked compliant (counts nothing, no points).
fn compliant(ledger: &mut Ledger, visit_id: Uuid, item_id: &str, when: &str) -> Uuid {
    let snapshot = snapshot_of(item_id);
    let item = snapshot.item(item_id).unwrap();
    let finding_id = Uuid::now_v7();
    let body = EventBody::FindingRecorded(FindingRecord {
        finding_id,
        visit_id,
        item: snapshot.item_ref(item),
        result: FindingResult::Compliant,
        points: anfang_core::Points::ZERO,
        input: RuleInput::default(),
        subject: None,
        note: "在岗".into(),
        observed_at: at(when),
        points_by_hand: false,
        supersedes: None,
        source: None,
    });
    ledger.append_at(&body, at(when)).unwrap();
    finding_id
}

#[test]
fn every_export_imports_back_adding_nothing_compliant_rows_and_formulas_included() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = office_ledger(dir.path());
    let tax = visit(&mut ledger, unit(TAX, "税务"), "2026-03-09T08:30");
    compliant(&mut ledger, tax, "late-arrival", "2026-03-09T08:40");
    finding(
        &mut ledger,
        tax,
        "online-leisure",
        1,
        "2026-03-09T09:00",
        "=HYPERLINK(\"http://x\",\"y\")",
        "=cmd|' /C calc'!A0",
    );
    let total = findings_in(&ledger);
    let catalog = Catalog::core();
    for (format, lang) in [
        (Format::Csv, Lang::Zh),
        (Format::Csv, Lang::En),
        (Format::Json, Lang::Zh),
        (Format::Xlsx, Lang::Zh),
        (Format::Xlsx, Lang::En),
    ] {
        let out = dir.path().join(format!("all-{lang:?}.{}", format.name()));
        // The XLSX printout lists violations only unless asked for all.
        let mut opts = options(lang);
        opts.include_compliant = true;
        assert_eq!(run(&ledger, &opts, format, &out), total);
        let report = import_file(&mut ledger, &out, &catalog, &import_options(false))
            .unwrap_or_else(|e| panic!("{format:?} {lang:?}: {e}"));
        assert_eq!(report.imported, 0, "{format:?} {lang:?}");
        assert_eq!(report.duplicate_rows, total, "{format:?} {lang:?}");
        assert!(report.skipped.is_empty(), "{:?}", report.skipped);
        assert_eq!(findings_in(&ledger), total);
    }
    let out = dir.path().join("violations.xlsx");
    assert_eq!(
        run(&ledger, &options(Lang::Zh), Format::Xlsx, &out),
        total - 1
    );
    let report = import_file(&mut ledger, &out, &catalog, &import_options(false)).unwrap();
    assert_eq!((report.imported, report.duplicate_rows), (0, total - 1));

    // Into another ledger: the same findings, ids and text, formulas as text.
    let dir_b = tempfile::tempdir().unwrap();
    let mut b = open(dir_b.path(), 9);
    visit(&mut b, unit(TAX, "税务"), "2026-03-01T08:00");
    visit(&mut b, unit(PLAN, "规划"), "2026-03-01T08:00");
    let csv = dir.path().join("all-Zh.csv");
    let report = import_file(&mut b, &csv, &catalog, &import_options(false)).unwrap();
    assert_eq!(report.imported, total);
    let read = |l: &Ledger, name: &str| -> Vec<(String, String, String)> {
        let mut rows: Vec<_> = exported(l, &dir.path().join(name))
            .iter()
            .map(|f| {
                (
                    f["finding_id"].as_str().unwrap().to_owned(),
                    f["note"].as_str().unwrap().to_owned(),
                    f["result"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        rows.sort();
        rows
    };
    assert_eq!(read(&ledger, "a.json"), read(&b, "b.json"));
    assert!(
        read(&b, "b2.json")
            .iter()
            .any(|(_, note, _)| note == "=cmd|' /C calc'!A0")
    );
}

#[test]
fn the_same_sheet_imported_on_two_laptops_is_one_finding_at_the_office() {
    let dirs: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let sheet = dirs[2].path().join("监督员.csv");
    std::fs::write(&sheet, volunteer_rows("1")).unwrap();
    let catalog = Catalog::core();
    let mut ids = Vec::new();
    for (i, dir) in dirs[..2].iter().enumerate() {
        let mut laptop = open(dir.path(), 20 + i as u8);
        visit(&mut laptop, unit(TAX, "税务"), "2026-03-01T08:00");
        visit(&mut laptop, unit(PLAN, "规划"), "2026-03-01T08:00");
        let report = import_file(&mut laptop, &sheet, &catalog, &import_options(false)).unwrap();
        assert_eq!(report.imported, 4);
        let mut found: Vec<String> = exported_imports(&laptop, &dir.path().join("x.json"))
            .iter()
            .map(|f| format!("{} {}", f["finding_id"], f["visit_id"]))
            .collect();
        found.sort();
        ids.push(found);
        laptop.bundle(&dir.path().join("laptop.anfang")).unwrap();
    }
    assert_eq!(ids[0], ids[1], "same finding and visit ids on both laptops");

    let mut office = open(dirs[2].path(), 30);
    for dir in &dirs[..2] {
        office
            .merge(&dir.path().join("laptop.anfang"), &mut |_| {})
            .unwrap();
    }
    let imported = exported_imports(&office, &dirs[2].path().join("office.json"));
    assert_eq!(imported.len(), 4, "each finding once at the office");
    let visits: std::collections::HashSet<&str> = imported
        .iter()
        .map(|f| f["visit_id"].as_str().unwrap())
        .collect();
    assert_eq!(visits.len(), 3, "one visit per reporter and unit");
    // Each finding holds two versions, one per laptop, with the same
    // record: the ledger lists both (and, as it stands, flags a conflict).
    for f in &imported {
        assert_eq!(f["versions"], 2, "{f}");
    }
    // And the sheet once more at the office adds nothing.
    let again = import_file(&mut office, &sheet, &catalog, &import_options(false)).unwrap();
    assert_eq!(again.imported, 0);
    assert_eq!(again.duplicate_rows, 4);
}
