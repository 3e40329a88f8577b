//! Every export format written and read back with an independent reader.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anfang_core::Lang;
use anfang_export::{BOM, Format, export};
use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{PLAN, TAX, options, source};
use std::io::Read;
use std::path::Path;

fn run(format: Format, lang: Lang, anonymize: bool, dir: &Path) -> std::path::PathBuf {
    let out = dir.join(format!("out.{}", format.name()));
    let mut opts = options(lang);
    opts.anonymize = anonymize;
    let mut calls = Vec::new();
    let summary = export(&source(), &opts, format, &out, &mut |done, total| {
        calls.push((done, total))
    })
    .unwrap();
    assert_eq!(summary.rows, 5);
    assert_eq!(calls.last(), Some(&(5, 5)), "progress ends at the total");
    out
}

fn zip_part(path: &Path, name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn csv_has_bom_chinese_headers_and_one_row_per_finding() {
    let dir = tempfile::tempdir().unwrap();
    let path = run(Format::Csv, Lang::Zh, false, dir.path());
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(BOM));
    let mut reader = csv::Reader::from_reader(&bytes[BOM.len()..]);
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "发现时间");
    assert_eq!(&headers[1], "单位");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 5);
    assert_eq!(&rows[0][0], "2026-03-02 08:40");
    assert_eq!(&rows[0][1], TAX);
    assert_eq!(&rows[0][5], "迟到");
    assert_eq!(&rows[0][9], "2");
    assert_eq!(&rows[0][10], "张三、李四");
    // Beside the typed team, who the roster says recorded it (no office here).
    assert_eq!(&rows[0][13], "设备 abababababab");
    assert_eq!(&rows[0][14], "已确认");
    assert_eq!(&rows[2][11], "迟到二十分钟 \"备注\" <无> & 其他");
    assert_eq!(&rows[4][11], "三人迟到\n第二行说明");
    assert_eq!(&rows[1][15], "2026-03-15");
}

/// A rectification within the office's warning days of its deadline is
/// marked due soon, in yellow, as Review and Home show it; one day later
/// than the warning days it is not marked at all.
#[test]
fn xlsx_marks_a_rectification_due_soon_in_yellow() {
    let dir = tempfile::tempdir().unwrap();
    let sheet_cell = |today: jiff::civil::Date, days: u32, name: &str| {
        let out = dir.path().join(name);
        let mut opts = options(Lang::Zh);
        opts.today = today;
        opts.deadline_warning_days = days;
        export(&source(), &opts, Format::Xlsx, &out, &mut |_, _| {}).unwrap();
        let mut book: Xlsx<_> = open_workbook(&out).unwrap();
        let rect = book.worksheet_range("整改情况").unwrap();
        (rect.get((2, 10)).cloned(), zip_part(&out, "xl/styles.xml"))
    };
    // The deadline is 2026-03-15.
    let (cell, styles) = sheet_cell(jiff::civil::date(2026, 3, 12), 3, "soon.xlsx");
    assert_eq!(cell, Some(Data::String("临期".into())));
    assert!(styles.contains("FFEB9C"), "the yellow fill is used");
    let (cell, _) = sheet_cell(jiff::civil::date(2026, 3, 11), 3, "later.xlsx");
    assert!(
        matches!(cell, None | Some(Data::Empty)),
        "four days ahead is not yet due soon: {cell:?}"
    );
    let (cell, _) = sheet_cell(jiff::civil::date(2026, 3, 16), 3, "overdue.xlsx");
    assert_eq!(cell, Some(Data::String("逾期".into())));
}

#[test]
fn csv_headers_follow_the_language() {
    let dir = tempfile::tempdir().unwrap();
    let path = run(Format::Csv, Lang::En, false, dir.path());
    let bytes = std::fs::read(&path).unwrap();
    let mut reader = csv::Reader::from_reader(&bytes[BOM.len()..]);
    assert_eq!(&reader.headers().unwrap()[1], "Unit");
    let first = reader.records().next().unwrap().unwrap();
    assert_eq!(&first[5], "Late arrival");
    assert_eq!(&first[1], TAX, "data stays as recorded");
}

#[test]
fn xlsx_reads_back_with_real_dates_scores_and_rectifications() {
    let dir = tempfile::tempdir().unwrap();
    let path = run(Format::Xlsx, Lang::Zh, false, dir.path());
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(
        book.sheet_names(),
        vec!["问题清单", "得分排名", "扣分明细", "整改情况"]
    );

    let findings = book.worksheet_range("问题清单").unwrap();
    assert_eq!(findings.height(), 7);
    assert_eq!(findings.get((1, 1)), Some(&Data::String("单位".into())));
    assert_eq!(findings.get((2, 1)), Some(&Data::String(TAX.into())));
    match findings.get((2, 0)) {
        Some(Data::DateTime(dt)) => {
            // Excel counts days from 1899-12-30.
            let days = jiff::civil::date(1899, 12, 30)
                .until(jiff::civil::date(2026, 3, 2))
                .unwrap()
                .get_days();
            let expected = f64::from(days) + (8.0 * 60.0 + 40.0) / 1440.0;
            assert!(
                (dt.as_f64() - expected).abs() < 1e-6,
                "{} vs {expected}",
                dt.as_f64()
            );
        }
        other => panic!("observed_at is not a date: {other:?}"),
    }
    assert_eq!(findings.get((2, 9)), Some(&Data::Float(2.0)));

    let scores = book.worksheet_range("得分排名").unwrap();
    // Tax hall: 2 (confirmed) + 1 (rectification ordered) = 3 → 97.
    // Service centre: 3 late → 97. Planning: pending + dismissed → 100.
    assert_eq!(scores.get((2, 1)), Some(&Data::String(PLAN.into())));
    assert_eq!(scores.get((2, 3)), Some(&Data::Float(100.0)));
    assert_eq!(
        scores.get((2, 8)),
        Some(&Data::Float(1.0)),
        "one pending finding shown apart"
    );
    assert_eq!(scores.get((3, 0)), Some(&Data::Float(2.0)));
    assert_eq!(
        scores.get((4, 0)),
        Some(&Data::Float(2.0)),
        "equal scores share a place"
    );
    assert_eq!(scores.get((3, 4)), Some(&Data::String("优秀".into())));

    let rect = book.worksheet_range("整改情况").unwrap();
    assert_eq!(rect.height(), 3);
    assert_eq!(rect.get((2, 7)), Some(&Data::String("效能办陈主任".into())));
    assert_eq!(rect.get((2, 10)), Some(&Data::String("逾期".into())));
    assert!(matches!(rect.get((2, 8)), Some(Data::DateTime(_))));

    // Frozen header and widths by display width: the tax hall's name is 15
    // Chinese characters, 30 columns wide.
    let sheet = zip_part(&path, "xl/worksheets/sheet1.xml");
    assert!(
        sheet.contains(r#"ySplit="2""#),
        "title and header rows frozen"
    );
    let unit_col = sheet
        .split("<col ")
        .find(|c| c.starts_with(r#"min="2" max="2""#))
        .unwrap();
    let width: f64 = unit_col
        .split("width=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(width >= 32.0, "unit column {width} wide");
}

#[test]
fn xlsx_continues_on_a_next_sheet_when_one_is_full() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("split.xlsx");
    let mut opts = options(Lang::En);
    opts.rows_per_sheet = 3; // header + 2 findings per sheet
    export(&source(), &opts, Format::Xlsx, &out, &mut |_, _| {}).unwrap();
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    let names = book.sheet_names();
    assert_eq!(&names[..3], &["Findings", "Findings (2)", "Findings (3)"]);
    let mut seen = 0;
    for name in &names[..3] {
        let range = book.worksheet_range(name).unwrap();
        assert_eq!(
            range.get((1, 1)),
            Some(&Data::String("Unit".into())),
            "header repeated on {name}"
        );
        seen += range.height() - 2;
    }
    assert_eq!(seen, 5);
}

#[test]
fn json_validates_against_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = run(Format::Json, Lang::Zh, false, dir.path());
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/export.schema.json");
    let schema: serde_json::Value =
        serde_json::from_slice(&std::fs::read(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(doc["findings"].as_array().unwrap().len(), 5);
    assert_eq!(doc["findings"][0]["subject"], "张三、李四");
    assert_eq!(doc["findings"][0]["item"]["zh"], "迟到");
    assert_eq!(doc["units"][0]["unit"], PLAN);
    assert_eq!(doc["units"][1]["grade"], "excellent");
    assert_eq!(doc["rectifications"][0]["overdue"], true);

    // A broken document is refused, so the check above can fail.
    let mut broken = doc.clone();
    broken["findings"][0]["status"] = "approved".into();
    assert!(!validator.is_valid(&broken));
}

#[test]
fn html_bulletin_is_a_chinese_page_with_fonts_declared() {
    let dir = tempfile::tempdir().unwrap();
    let path = run(Format::Html, Lang::Zh, false, dir.path());
    let html = std::fs::read_to_string(&path).unwrap();
    assert!(html.contains(r#"<html lang="zh-CN">"#));
    assert!(html.contains(r#"<meta charset="utf-8">"#));
    assert!(
        html.contains("关于2026年3月2日至3月6日作风效能暗访情况的通报"),
        "period from the findings"
    );
    assert!(html.contains("发现问题5个"));
    assert!(html.contains("FangSong") && html.contains("SimHei"));
    assert!(html.contains(TAX));
    assert!(html.contains("上班时间在商场购物"), "typical problem note");
    assert!(
        html.contains("逾期未整改的问题如下"),
        "overdue rectification listed"
    );
    assert!(
        !html.contains("窗口提前关闭"),
        "dismissed findings are not typical problems"
    );
    assert!(html.contains("效能办"));
}

#[test]
fn html_escapes_what_inspectors_typed() {
    let dir = tempfile::tempdir().unwrap();
    let mut src = source();
    src.rows[0].note = "<script>alert(1)</script> & 更多".into();
    let out = dir.path().join("b.html");
    export(&src, &options(Lang::Zh), Format::Html, &out, &mut |_, _| {}).unwrap();
    let html = std::fs::read_to_string(&out).unwrap();
    // The page's only script is its own (placing the 版记 when printed).
    assert!(!html.contains("<script>alert"));
    assert_eq!(html.matches("<script>").count(), 1);
    assert!(html.contains("&lt;script&gt;alert(1)"));
}

/// Checks that every start tag has its end tag: enough to catch broken markup.
fn assert_balanced_xml(xml: &str) {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').unwrap() + start;
        let tag = &rest[start + 1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('?') || tag.starts_with('!') || tag.ends_with('/') {
            continue;
        }
        let name = tag
            .trim_start_matches('/')
            .split_whitespace()
            .next()
            .unwrap()
            .to_owned();
        if tag.starts_with('/') {
            assert_eq!(
                stack.pop().as_deref(),
                Some(name.as_str()),
                "unbalanced </{name}>"
            );
        } else {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
    assert!(!xml.contains("& "), "unescaped ampersand");
}

#[test]
fn docx_bulletin_opens_as_a_zip_of_word_parts_with_east_asian_fonts() {
    let dir = tempfile::tempdir().unwrap();
    let path = run(Format::Docx, Lang::Zh, false, dir.path());
    let types = zip_part(&path, "[Content_Types].xml");
    assert!(types.contains("wordprocessingml.document.main+xml"));
    let document = zip_part(&path, "word/document.xml");
    assert_balanced_xml(&document);
    assert!(document.contains("作风效能暗访情况的通报"));
    assert!(document.contains(TAX));
    assert!(document.contains("迟到二十分钟") || document.contains("上班时间在商场购物"));
    assert!(document.contains("&lt;") || !document.contains("<无>"));
    assert!(document.contains("逾期未整改1件"));
    let styles = zip_part(&path, "word/styles.xml");
    assert_balanced_xml(&styles);
    assert!(styles.contains(r#"w:eastAsia="仿宋""#));
    assert!(styles.contains(r#"w:eastAsia="黑体""#));
    assert!(styles.contains(r#"w:eastAsia="zh-CN""#));
    let fonts = zip_part(&path, "word/fontTable.xml");
    assert!(fonts.contains("FangSong") && fonts.contains(r#"w:charset w:val="86""#));
    assert_balanced_xml(&zip_part(&path, "docProps/core.xml"));
}

#[test]
fn anonymized_exports_hold_no_staff_names() {
    let dir = tempfile::tempdir().unwrap();
    for format in Format::ALL {
        let path = run(format, Lang::Zh, true, dir.path());
        let text = match format {
            Format::Xlsx => {
                let mut book: Xlsx<_> = open_workbook(&path).unwrap();
                let mut all = String::new();
                for name in book.sheet_names() {
                    for row in book.worksheet_range(&name).unwrap().rows() {
                        for cell in row {
                            all.push_str(&cell.to_string());
                            all.push('\t');
                        }
                    }
                }
                all
            }
            Format::Docx => zip_part(&path, "word/document.xml"),
            _ => String::from_utf8(std::fs::read(&path).unwrap()).unwrap(),
        };
        for name in ["张三", "李四", "工号0357", "赵六", "王督查", "陈主任"] {
            assert!(
                !text.contains(name),
                "{name} left in the {} export",
                format.name()
            );
        }
        if format != Format::Docx {
            assert!(
                text.contains("人员【"),
                "pseudonyms in the {} export",
                format.name()
            );
        }
    }
}

#[test]
fn the_same_person_has_the_same_pseudonym_in_every_export_of_an_office() {
    let dir = tempfile::tempdir().unwrap();
    let key = anfang_export::PseudonymKey::from_bytes([7; 32]);
    let export_csv = |name: &str, unit: Option<&str>| -> Vec<csv::StringRecord> {
        let out = dir.path().join(name);
        let mut opts = options(Lang::Zh);
        opts.anonymize = true;
        opts.pseudonym_key = Some(key.clone());
        opts.unit = unit.map(str::to_owned);
        export(&source(), &opts, Format::Csv, &out, &mut |_, _| {}).unwrap();
        let bytes = std::fs::read(&out).unwrap();
        let mut reader = csv::Reader::from_reader(&bytes[BOM.len()..]);
        reader.records().map(|r| r.unwrap()).collect()
    };
    let all = export_csv("all.csv", None);
    // 张三 in rows 1 and 2, with 李四 in row 1.
    let (zhang, li) = all[0][10].split_once('、').unwrap();
    assert!(
        zhang.starts_with("人员【") && zhang.ends_with('】'),
        "{zhang}"
    );
    assert_ne!(zhang, li);
    assert_eq!(&all[1][10], zhang);
    assert!(
        all[0][11].starts_with(&format!("{zhang}、{li}8:40")),
        "note scrubbed, the time kept apart: {}",
        &all[0][11]
    );
    // A second export, of the tax hall alone: the same pseudonyms.
    let tax = export_csv("tax.csv", Some(TAX));
    assert_eq!(&tax[1][10], zhang);
    assert_eq!(&tax[0][10], &all[0][10]);
    // Inspectors too.
    assert_eq!(&tax[0][12], &all[0][12]);
}

#[test]
fn a_failed_export_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("no-such-dir").join("x.csv");
    let err = export(
        &source(),
        &options(Lang::Zh),
        Format::Csv,
        &out,
        &mut |_, _| {},
    )
    .unwrap_err();
    assert!(err.to_string().contains("no-such-dir"), "{err}");
    let dir_entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(dir_entries.is_empty());
}

fn schema(name: &str) -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../schemas")
        .join(name);
    let schema: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

#[test]
fn an_export_is_also_a_valid_import_document() {
    let dir = tempfile::tempdir().unwrap();
    let path = run(Format::Json, Lang::En, false, dir.path());
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let import = schema("import.schema.json");
    let errors: Vec<String> = import
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    let sample = serde_json::json!({
        "format": "anfang-import",
        "version": 1,
        "reporter": "刘义务",
        "findings": [{"unit": TAX, "item": "迟到", "observed_at": "2026-03-09 08:45", "count": 1, "note": "8:45到岗"}]
    });
    assert!(import.is_valid(&sample));
    let mut typo = sample.clone();
    typo["findings"][0]["nots"] = "x".into();
    assert!(!import.is_valid(&typo), "unknown fields are refused");
    let mut no_item = sample;
    no_item["findings"][0]
        .as_object_mut()
        .unwrap()
        .remove("item");
    assert!(!import.is_valid(&no_item), "an item is required");
}

#[test]
fn xlsx_is_a_printout_of_violations_unless_compliant_rows_are_asked_for() {
    use anfang_core::finding::FindingResult;
    let dir = tempfile::tempdir().unwrap();
    let mut source = source();
    source.rows[4].result = FindingResult::Compliant;
    source.rows[0].note = "长".repeat(200);
    let mut opts = options(Lang::Zh);
    opts.from = Some(jiff::civil::date(2026, 3, 1));
    opts.to = Some(jiff::civil::date(2026, 3, 31));
    opts.anonymize = true;

    let out = dir.path().join("violations.xlsx");
    let summary = export(&source, &opts, Format::Xlsx, &out, &mut |_, _| {}).unwrap();
    assert_eq!(summary.rows, 4, "the compliant row is left out");
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    let findings = book.worksheet_range("问题清单").unwrap();
    assert_eq!(findings.height(), 6, "title, header and four violations");
    let Some(Data::String(title)) = findings.get((0, 0)) else {
        panic!("no title line: {:?}", findings.get((0, 0)));
    };
    for part in [
        "问题清单",
        "2026-03-01 至 2026-03-31",
        "仅列违规问题",
        "人员已匿名化",
    ] {
        assert!(title.contains(part), "{part} missing from {title}");
    }
    assert!(
        (2..6).all(|r| findings.get((r, 6)) == Some(&Data::String("违规".into()))),
        "only violations listed"
    );
    let Some(Data::String(title)) = book
        .worksheet_range("得分排名")
        .unwrap()
        .get((0, 0))
        .cloned()
    else {
        panic!("the scores sheet has no title line");
    };
    assert!(
        title.contains("得分排名") && !title.contains("仅列违规问题"),
        "{title}"
    );

    // Page setup in the sheet XML, and the header row as print titles.
    for sheet in 1..=4 {
        let xml = zip_part(&out, &format!("xl/worksheets/sheet{sheet}.xml"));
        assert!(
            xml.contains(r#"<pageSetUpPr fitToPage="1"/>"#),
            "sheet{sheet}: {xml}"
        );
        assert!(xml.contains(r#"paperSize="9""#), "sheet{sheet} on A4");
        assert!(xml.contains(r#"orientation="landscape""#), "sheet{sheet}");
        assert!(
            xml.contains(r#"fitToHeight="0""#),
            "sheet{sheet} one page wide"
        );
        assert!(
            xml.contains("<autoFilter ref=\"A2:"),
            "sheet{sheet} filters"
        );
        assert!(xml.contains("&amp;P"), "sheet{sheet} numbers pages");
    }
    let sheet1 = zip_part(&out, "xl/worksheets/sheet1.xml");
    assert!(sheet1.contains(r#"<autoFilter ref="A2:W6"/>"#), "{sheet1}");
    let workbook = zip_part(&out, "xl/workbook.xml");
    assert!(
        workbook.contains(r#"<definedName name="_xlnm.Print_Titles" localSheetId="0">'问题清单'!$2:$2</definedName>"#)
            || workbook.contains(r#"<definedName name="_xlnm.Print_Titles" localSheetId="0">问题清单!$2:$2</definedName>"#),
        "{workbook}"
    );
    let styles = zip_part(&out, "xl/styles.xml");
    assert!(styles.contains(r#"wrapText="1""#), "long notes wrap");

    opts.include_compliant = true;
    opts.lang = Lang::En;
    let out = dir.path().join("all.xlsx");
    let summary = export(&source, &opts, Format::Xlsx, &out, &mut |_, _| {}).unwrap();
    assert_eq!(summary.rows, 5);
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    let findings = book.worksheet_range("Findings").unwrap();
    assert_eq!(findings.height(), 7);
    let Some(Data::String(title)) = findings.get((0, 0)) else {
        panic!("no title line");
    };
    for part in [
        "2026-03-01 to 2026-03-31",
        "violations, compliant",
        "names anonymized",
    ] {
        assert!(title.contains(part), "{part} missing from {title}");
    }
}
