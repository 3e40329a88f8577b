//! What volunteers actually send: XLSX workbooks and CSV saved by Excel on
//! Chinese Windows (GBK), with 序号 and 备注 columns and Chinese dates,
//! imported into a real ledger; and the template handed out to them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anfang_core::core_checklists::core_manifest;
use anfang_core::event::{EventBody, VisitOpened};
use anfang_core::visit::{Unit, VisitKind};
use anfang_export::import::{
    Catalog, ImportError, ImportFormat, ImportOptions, import_file, write_template,
};
use anfang_ledger::{DeviceKey, Ledger};
use calamine::{Data, Reader, Xlsx, open_workbook};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::io::Read;
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

/// A ledger that knows the two units.
fn ledger(dir: &Path) -> Ledger {
    let mut ledger =
        Ledger::open_with_key(&dir.join("ledger.sqlite"), DeviceKey::from_seed([5; 32])).unwrap();
    for (name, department) in [(TAX, "税务"), (PLAN, "规划")] {
        let body = EventBody::VisitOpened(VisitOpened {
            rechecks: None,
            unit_id: None,
            visit_id: Uuid::now_v7(),
            unit: Unit {
                name: name.into(),
                department: department.into(),
            },
            kind: VisitKind::Unannounced,
            team: vec!["王督查".into()],
            started_at: at("2026-10-01T08:00"),
            checklists: core_manifest().snapshots(),
        });
        ledger.append_at(&body, at("2026-10-01T08:00")).unwrap();
    }
    ledger
}

/// A fixed "now": 1 December 2026, 10:00 in Beijing.
fn options() -> ImportOptions {
    ImportOptions {
        skip_invalid: false,
        tz: tz(),
        now: at("2026-12-01T10:00"),
        sheet: None,
    }
}

fn observed(ledger: &Ledger) -> Vec<(String, String)> {
    let mut out = Vec::new();
    ledger
        .imported_findings(|unit, record| -> Result<(), anfang_ledger::LedgerError> {
            out.push((
                unit.name,
                tz().to_datetime(record.observed_at)
                    .strftime("%Y-%m-%d %H:%M")
                    .to_string(),
            ));
            Ok(())
        })
        .unwrap();
    out.sort();
    out
}

const SHEET: &str = "序号,单位,检查项,发现时间,数量,对象,情况说明,监督员,备注\n\
1,市税务局第一税务分局办税服务厅,迟到,2026/11/9,1,王五,王五8:45到岗,刘义务,已电话核实\n\
2,市税务局第一税务分局办税服务厅,上班时间未在岗,2026年11月9日 9:10,1,3号窗口,窗口无人,刘义务,\n\
3,市规划局,早退,11月10日 16:40,1,,提前下班,刘义务,\n";

#[test]
fn a_gbk_csv_with_row_numbers_notes_and_chinese_dates_imports() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = ledger(dir.path());
    let path = dir.path().join("监督员11月.csv");
    std::fs::write(&path, encoding_rs::GBK.encode(SHEET).0).unwrap();
    let report = import_file(&mut ledger, &path, &Catalog::core(), &options()).unwrap();
    assert_eq!(report.imported, 3);
    assert_eq!(report.format, ImportFormat::Csv);
    assert_eq!(report.encoding.as_deref(), Some("GB18030 (GBK)"));
    assert_eq!(report.ignored_columns, vec![("备注".to_owned(), None)]);
    assert_eq!((report.default_time_rows, report.year_taken_rows), (1, 1));
    assert_eq!(
        observed(&ledger),
        vec![
            (TAX.to_owned(), "2026-11-09 09:00".to_owned()),
            (TAX.to_owned(), "2026-11-09 09:10".to_owned()),
            (PLAN.to_owned(), "2026-11-10 16:40".to_owned()),
        ]
    );
}

#[test]
fn unknown_units_and_items_are_refused_with_a_suggestion_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = ledger(dir.path());
    let path = dir.path().join("a.csv");
    let text = SHEET.replace("3,市规划局,早退", "3,规划局,早退了");
    std::fs::write(&path, text).unwrap();
    let err = import_file(&mut ledger, &path, &Catalog::core(), &options()).unwrap_err();
    let ImportError::Refused { problems, .. } = err else {
        panic!("{err}");
    };
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].row, 4);
    let reason = &problems[0].reason;
    assert!(
        reason
            .en
            .contains("unknown unit '规划局' (did you mean '市规划局'?)"),
        "{reason:?}"
    );
    assert!(
        reason.zh.contains("未知单位'规划局'（是不是'市规划局'？）"),
        "{reason:?}"
    );
    assert!(
        reason
            .en
            .contains("unknown item '早退了' (did you mean '早退'?)"),
        "{reason:?}"
    );
    assert!(
        reason.zh.contains("未知检查项'早退了'（是不是'早退'？）"),
        "{reason:?}"
    );
}

/// A workbook as a volunteer makes it: a cover sheet first, the findings
/// on a named sheet with real date cells and numbers.
fn volunteer_workbook(path: &Path) {
    let mut book = Workbook::new();
    let cover = book.add_worksheet();
    cover.set_name("说明").unwrap();
    cover.write_string(0, 0, "11月上半月监督情况").unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("问题").unwrap();
    let date = Format::new().set_num_format("yyyy/m/d h:mm");
    for (col, name) in (0u16..).zip([
        "序号",
        "单位",
        "检查项",
        "发现时间",
        "数量",
        "情况说明",
        "监督员",
        "备注",
    ]) {
        sheet.write_string(0, col, name).unwrap();
    }
    let rows = [
        (
            TAX,
            "迟到",
            (2026, 11, 9, 8, 45),
            2.0,
            "两人迟到",
            "=电话核实",
        ),
        (PLAN, "早退", (2026, 11, 10, 16, 40), 1.0, "+提前下班", ""),
    ];
    for (i, (unit, item, (y, m, d, h, min), count, note, remark)) in rows.into_iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_number(row, 0, f64::from(row)).unwrap();
        sheet.write_string(row, 1, unit).unwrap();
        sheet.write_string(row, 2, item).unwrap();
        let when = ExcelDateTime::from_ymd(y, m, d)
            .unwrap()
            .and_hms(h, min, 0)
            .unwrap();
        sheet
            .write_datetime_with_format(row, 3, when, &date)
            .unwrap();
        sheet.write_number(row, 4, count).unwrap();
        sheet.write_string(row, 5, note).unwrap();
        sheet.write_string(row, 6, "刘义务").unwrap();
        sheet.write_string(row, 7, remark).unwrap();
    }
    book.save(path).unwrap();
}

#[test]
fn an_xlsx_sheet_named_with_sheet_imports_with_its_date_cells() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = ledger(dir.path());
    let path = dir.path().join("监督员.xlsx");
    volunteer_workbook(&path);
    // The first sheet is the cover: no finding columns there.
    let err = import_file(&mut ledger, &path, &Catalog::core(), &options()).unwrap_err();
    assert!(err.to_string().contains("no 单位/unit column"), "{err}");
    let opts = ImportOptions {
        sheet: Some("问题".into()),
        ..options()
    };
    let report = import_file(&mut ledger, &path, &Catalog::core(), &opts).unwrap();
    assert_eq!(report.format, ImportFormat::Xlsx);
    assert_eq!(report.imported, 2);
    assert_eq!(
        observed(&ledger),
        vec![
            (TAX.to_owned(), "2026-11-09 08:45".to_owned()),
            (PLAN.to_owned(), "2026-11-10 16:40".to_owned()),
        ]
    );
    // The same workbook saved as .csv by mistake is still read as XLSX.
    let renamed = dir.path().join("监督员.csv");
    std::fs::copy(&path, &renamed).unwrap();
    let report = import_file(&mut ledger, &renamed, &Catalog::core(), &opts).unwrap();
    assert_eq!((report.imported, report.duplicate_rows), (0, 2));
    let missing = ImportOptions {
        sheet: Some("问题表".into()),
        ..options()
    };
    let err = import_file(&mut ledger, &path, &Catalog::core(), &missing).unwrap_err();
    assert!(
        err.to_string()
            .contains("no sheet named '问题表' (there are: 说明, 问题)"),
        "{err}"
    );
}

#[test]
fn the_template_lists_units_and_items_with_drop_downs_and_its_examples_never_import() {
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = ledger(dir.path());
    let catalog = Catalog::core();
    let path = dir.path().join("模板.xlsx");
    let units = ledger.known_units().unwrap();
    write_template(&path, &units, &catalog, at("2026-12-01T10:00"), &tz()).unwrap();

    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(book.sheet_names(), vec!["问题记录", "单位", "检查项"]);
    let data = book.worksheet_range("问题记录").unwrap();
    assert_eq!(data.height(), 3, "header and two example rows");
    assert_eq!(data.get((0, 1)), Some(&Data::String("单位".into())));
    assert_eq!(data.get((1, 0)), Some(&Data::String("示例".into())));
    let listed = book.worksheet_range("单位").unwrap();
    assert_eq!(listed.height(), 1 + units.len());
    let items = book.worksheet_range("检查项").unwrap();
    assert_eq!(items.height(), 1 + catalog.items().len());
    assert_eq!(
        items.get((1, 1)),
        Some(&Data::String("core:not-on-post".into()))
    );

    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    for list in [
        format!("'单位'!$A$2:$A${}", units.len() + 1),
        format!("'检查项'!$A$2:$A${}", catalog.items().len() + 1),
        "暗访,明察".to_owned(),
    ] {
        assert!(xml.contains(&list), "no drop-down {list} in {xml}");
    }

    // Handed back untouched, the template has no finding to import.
    let err = import_file(&mut ledger, &path, &catalog, &options()).unwrap_err();
    assert!(err.to_string().contains("no findings in the file"), "{err}");
}
