//! `anfang export` and `anfang import` through the real binary, on demo data.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn anfang(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("anfang").unwrap();
    cmd.arg("--data-dir")
        .arg(data)
        .env_remove("ANFANG_PLUGIN_PATH");
    cmd
}

fn demo(data: &Path) {
    anfang(data)
        .args(["demo", "--visits", "20", "--seed", "3"])
        .assert()
        .success();
}

/// Runs a command expected to fail with exit code 1; its standard error.
fn failure(cmd: &mut Command) -> String {
    let out = cmd.assert().code(1).get_output().stderr.clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn every_format_is_written_and_csv_starts_with_a_bom() {
    let dir = tempfile::tempdir().unwrap();
    demo(dir.path());
    for format in ["csv", "xlsx", "json", "html", "docx"] {
        let out = dir.path().join(format!("findings.{format}"));
        anfang(dir.path())
            .args(["--lang", "zh-CN", "export", "--format", format, "--out"])
            .arg(&out)
            .assert()
            .success();
        let bytes = std::fs::read(&out).unwrap();
        assert!(
            bytes.len() > 200,
            "{format} export is {} bytes",
            bytes.len()
        );
    }
    let csv = std::fs::read(dir.path().join("findings.csv")).unwrap();
    assert!(
        csv.starts_with(b"\xEF\xBB\xBF"),
        "CSV without a byte-order mark"
    );
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(
        text.lines().next().unwrap().contains("单位"),
        "{}",
        text.lines().next().unwrap()
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("findings.json")).unwrap()).unwrap();
    assert!(json.is_object() || json.is_array());
}

#[test]
fn an_export_into_a_missing_folder_names_the_folder_once() {
    let dir = tempfile::tempdir().unwrap();
    demo(dir.path());
    let folder = dir.path().join("no-such-folder");
    let line = failure(
        anfang(dir.path())
            .args(["export", "--format", "csv", "--out"])
            .arg(folder.join("x.csv")),
    );
    assert_eq!(
        line.trim_end(),
        format!(
            "anfang: cannot export to {}: folder {} does not exist",
            folder.join("x.csv").display(),
            folder.display()
        )
    );
}

#[test]
fn a_missing_import_file_is_named_and_its_cause_said_once() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.csv");
    let line = failure(anfang(dir.path()).arg("import").arg(&missing));
    assert!(line.contains(&missing.display().to_string()), "{line}");
    assert_eq!(line.matches("os error 2").count(), 1, "{line}");
}

#[test]
fn a_bad_status_filter_is_a_usage_error_naming_the_value() {
    let dir = tempfile::tempdir().unwrap();
    demo(dir.path());
    anfang(dir.path())
        .args(["export", "--format", "csv", "--status", "approved", "--out"])
        .arg(dir.path().join("x.csv"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("approved"));
    assert!(!dir.path().join("x.csv").exists());
}

#[test]
fn a_volunteer_sheet_with_one_bad_row_is_refused_then_accepted_once_fixed() {
    let dir = tempfile::tempdir().unwrap();
    demo(dir.path());
    let header = "单位,部门,检查项,发现时间,数量,对象,情况说明,监督员\n";
    let good = "市财政局,财政,迟到,2026/3/9 8:45,1,王五,王五8:45到岗,刘义务\n";
    let bad = "市财政局,财政,早退,2026/3/10 16:40,-1,,提前下班,刘义务\n";
    let fixed = "市财政局,财政,早退,2026/3/10 16:40,1,,提前下班,刘义务\n";
    let sheet = dir.path().join("监督员.csv");
    std::fs::write(&sheet, format!("{header}{good}{bad}")).unwrap();
    anfang(dir.path())
        .args(["--lang", "zh-CN", "import"])
        .arg(&sheet)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("第3行：数量为负数 -1").and(predicate::str::contains(
                "2 行中有 1 行无效，未导入任何内容",
            )),
        );

    std::fs::write(&sheet, format!("{header}{good}{fixed}")).unwrap();
    anfang(dir.path())
        .args(["import"])
        .arg(&sheet)
        .assert()
        .success();
    let csv = dir.path().join("after.csv");
    anfang(dir.path())
        .args(["export", "--format", "csv", "--unit", "市财政局", "--out"])
        .arg(&csv)
        .assert()
        .success();
    let once = std::fs::read_to_string(&csv).unwrap();
    assert!(
        once.contains("王五8:45到岗") && once.contains("提前下班"),
        "{once}"
    );

    // The same file again adds nothing.
    anfang(dir.path())
        .args(["import"])
        .arg(&sheet)
        .assert()
        .success();
    anfang(dir.path())
        .args(["export", "--format", "csv", "--unit", "市财政局", "--out"])
        .arg(&csv)
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap().lines().count(),
        once.lines().count()
    );
}

#[test]
fn a_file_not_in_the_import_format_is_named_in_either_language() {
    let dir = tempfile::tempdir().unwrap();
    demo(dir.path());
    let sheet = dir.path().join("监督员.csv");
    std::fs::write(&sheet, "单位,检查项,发现时间,情况说明,备忘\n").unwrap();
    anfang(dir.path())
        .args(["--lang", "zh-CN", "import"])
        .arg(&sheet)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("缺少 监督员/reporter 列")
                .and(predicate::str::contains("未导入任何内容")),
        );
    anfang(dir.path())
        .args(["--lang", "en", "import"])
        .arg(&sheet)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no 监督员/reporter column"));
}

/// What volunteers send: 序号 and 备注 columns, dates as people write them.
const VOLUNTEER: &str = "序号,单位,部门,检查项,发现时间,数量,对象,情况说明,监督员,备注\n\
1,市财政局,财政,迟到,2026/3/9,1,王五,王五8:45到岗,刘义务,电话核实\n\
2,市财政局,财政,早退,2026年3月10日 16:40,1,,提前下班,刘义务,\n\
3,市财政局,财政,上班时间未在岗,2026-03-11 9:10,1,3号窗口,=HYPERLINK(\"http://x\"),刘义务,\n";

#[test]
fn a_gbk_csv_and_an_xlsx_from_volunteers_import_with_messages_in_chinese() {
    let dir = tempfile::tempdir().unwrap();
    demo(dir.path());
    let gbk = dir.path().join("监督员.csv");
    let bad = VOLUNTEER.replace("2,市财政局,财政,早退", "2,市财政司,财政,早退了");
    std::fs::write(&gbk, encoding_rs::GBK.encode(&bad).0).unwrap();
    anfang(dir.path())
        .args(["--lang", "zh-CN", "import"])
        .arg(&gbk)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("第3行：未知单位'市财政司'（是不是'市财政局'？）").and(
                predicate::str::contains("未知检查项'早退了'（是不是'早退'？）"),
            ),
        );
    std::fs::write(&gbk, encoding_rs::GBK.encode(VOLUNTEER).0).unwrap();
    anfang(dir.path())
        .args(["--lang", "zh-CN", "import"])
        .arg(&gbk)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("未读取的列：备注")
                .and(predicate::str::contains("1 行只写了日期，按当天 9:00 计"))
                .and(predicate::str::contains("导入 3 条问题记录"))
                .and(predicate::str::contains("编码 GB18030 (GBK)")),
        );

    // The same findings in a workbook, on a sheet named with --sheet: already there.
    let xlsx = dir.path().join("监督员.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("三月").unwrap();
    for (row, line) in (0u32..).zip(VOLUNTEER.lines()) {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes());
        let record = reader.records().next().unwrap().unwrap();
        for (col, cell) in (0u16..).zip(record.iter()) {
            sheet.write_string(row, col, cell).unwrap();
        }
    }
    book.save(&xlsx).unwrap();
    anfang(dir.path())
        .args(["--lang", "en", "import", "--sheet", "三月"])
        .arg(&xlsx)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "3 rows, 0 findings imported (0 visits), 0 skipped, 3 already present",
        ));
}

#[test]
fn the_template_is_written_with_the_ledgers_units() {
    let dir = tempfile::tempdir().unwrap();
    demo(dir.path());
    let out = dir.path().join("模板.xlsx");
    anfang(dir.path())
        .args(["--lang", "zh-CN", "import", "--template"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("已写出导入模板"));
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let units = book.worksheet_range("单位").unwrap();
    assert!(
        units
            .rows()
            .any(|r| r.first() == Some(&calamine::Data::String("市财政局".into()))),
        "the demo's units are listed"
    );
}

#[test]
fn the_xlsx_printout_lists_violations_unless_compliant_rows_are_asked_for() {
    use calamine::{Data, Reader};
    let dir = tempfile::tempdir().unwrap();
    demo(dir.path());
    let rows = |extra: &[&str], name: &str| -> (usize, String) {
        let out = dir.path().join(name);
        anfang(dir.path())
            .args(["--lang", "en", "export", "--format", "xlsx", "--out"])
            .arg(&out)
            .args(extra)
            .assert()
            .success();
        let mut book: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
        let findings = book.worksheet_range("Findings").unwrap();
        let results: Vec<&Data> = (2..findings.height())
            .filter_map(|r| findings.get((r, 6)))
            .collect();
        let title = findings.get((0, 0)).unwrap().to_string();
        if extra.is_empty() {
            assert!(
                results
                    .iter()
                    .all(|r| **r == Data::String("violation".into())),
                "{results:?}"
            );
        }
        (results.len(), title)
    };
    let (violations, title) = rows(&[], "violations.xlsx");
    assert!(title.contains("violations only"), "{title}");
    let (all, title) = rows(&["--include-compliant"], "all.xlsx");
    assert!(title.contains("violations, compliant"), "{title}");
    assert!(
        all > violations,
        "{all} rows with compliant, {violations} without"
    );
}

#[test]
fn two_anonymized_exports_from_one_data_folder_give_the_same_pseudonyms() {
    let dir = tempfile::tempdir().unwrap();
    demo(dir.path());
    let subjects = |name: &str, extra: &[&str]| -> Vec<String> {
        let out = dir.path().join(name);
        anfang(dir.path())
            .args([
                "--lang",
                "zh-CN",
                "export",
                "--format",
                "csv",
                "--anonymize",
            ])
            .args(extra)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        let bytes = std::fs::read(&out).unwrap();
        let mut reader = csv::Reader::from_reader(&bytes[3..]);
        reader
            .records()
            .map(|r| r.unwrap()[10].to_owned())
            .collect()
    };
    let first = subjects("a.csv", &[]);
    let second = subjects("b.csv", &[]);
    assert_eq!(first, second, "the same pseudonyms in both exports");
    assert!(first.iter().any(|s| s.starts_with("人员【")), "{first:?}");
    assert!(
        first.iter().any(|s| s.contains("号窗口")),
        "window numbers stay as they are: {first:?}"
    );
    assert!(dir.path().join("pseudonym.key").exists());
}
