//! `anfang units` through the real binary on real files: add, list, import
//! from GBK CSV and XLSX (atomic, every bad row named), export that imports
//! back unchanged, and the register travelling in a bundle.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn anfang(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("anfang").unwrap();
    cmd.arg("--data-dir")
        .arg(dir)
        .arg("--lang")
        .arg("en")
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

fn units(dir: &Path) -> Vec<Value> {
    let (ok, out, err) = run(anfang(dir).args(["units", "list", "--json"]));
    assert!(ok, "{err}");
    serde_json::from_str::<Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn named<'a>(units: &'a [Value], name: &str) -> &'a Value {
    units.iter().find(|u| u["name"] == name).unwrap()
}

fn names(units: &[Value]) -> Vec<&str> {
    units.iter().map(|u| u["name"].as_str().unwrap()).collect()
}

const UNITS_CSV: &str = "单位,部门,类型,上级单位,别名
市财政局,财政,机关,,财政局
市财政局国库支付中心,财政,下属单位,市财政局,国库中心、支付中心
市税务局第一税务分局办税服务厅,税务,窗口,,一分局办税厅
";

#[test]
fn units_are_added_listed_and_named_again_by_alias_or_parent() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out, _) = run(anfang(dir.path()).args(["units", "list"]));
    assert!(ok);
    assert!(out.contains("The register of units is empty"), "{out}");
    let (ok, _, err) = run(anfang(dir.path()).args([
        "units",
        "add",
        "--name",
        "市财政局",
        "--department",
        "财政",
        "--kind",
        "机关",
        "--alias",
        "财政局",
    ]));
    assert!(ok, "{err}");
    let (ok, _, err) = run(anfang(dir.path()).args([
        "units",
        "add",
        "--name",
        "市财政局国库支付中心",
        "--department",
        "财政",
        "--kind",
        "下属单位",
        "--parent",
        "财政局",
    ]));
    assert!(ok, "{err}");
    let list = units(dir.path());
    assert_eq!(names(&list), ["市财政局", "市财政局国库支付中心"]);
    assert_eq!(list[1]["parent"], list[0]["id"]);
    assert_eq!(list[1]["parent_name"], "市财政局");
    assert_eq!(list[1]["kind"], "下属单位");
    assert_eq!(list[0]["aliases"][0], "财政局");
    // A name or alias already registered is not a second unit.
    let (ok, _, err) = run(anfang(dir.path()).args([
        "units",
        "add",
        "--name",
        "财政局",
        "--department",
        "财政",
        "--kind",
        "机关",
    ]));
    assert!(!ok);
    assert!(
        err.contains("unit '财政局' is already registered (市财政局"),
        "{err}"
    );
    // An unknown parent is named, with the nearest registered names.
    let (ok, _, err) = run(anfang(dir.path()).args([
        "units",
        "add",
        "--name",
        "市卫生健康委员会",
        "--department",
        "卫健",
        "--kind",
        "机关",
        "--parent",
        "市财正局",
    ]));
    assert!(!ok);
    assert!(
        err.contains("unknown parent unit '市财正局' (did you mean '市财政局'"),
        "{err}"
    );
    assert_eq!(units(dir.path()).len(), 2);
}

#[test]
fn a_gbk_csv_imports_and_its_export_imports_back_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("名录.csv");
    let (gbk, _, _) = encoding_rs::GBK.encode(UNITS_CSV);
    std::fs::write(&csv, &gbk).unwrap();
    let (ok, out, err) = run(anfang(dir.path()).args(["units", "import"]).arg(&csv));
    assert!(ok, "{err}");
    assert!(out.contains("3 unit(s) registered, 0 updated"), "{out}");
    let before = units(dir.path());
    let center = named(&before, "市财政局国库支付中心");
    assert_eq!(
        center["aliases"],
        serde_json::json!(["国库中心", "支付中心"])
    );
    assert_eq!(center["parent"], named(&before, "市财政局")["id"]);

    let exported = dir.path().join("export.csv");
    let (ok, _, err) = run(anfang(dir.path())
        .args(["units", "export", "--out"])
        .arg(&exported));
    assert!(ok, "{err}");
    let (ok, out, err) = run(anfang(dir.path()).args(["units", "import"]).arg(&exported));
    assert!(ok, "{err}");
    assert!(out.contains("0 unit(s) registered, 0 updated"), "{out}");
    assert_eq!(units(dir.path()), before);

    // A changed row is the unit's next version: same id, history kept.
    let changed = UNITS_CSV.replace("国库中心、支付中心", "国库中心");
    std::fs::write(&csv, changed).unwrap();
    let (ok, out, err) = run(anfang(dir.path()).args(["units", "import"]).arg(&csv));
    assert!(ok, "{err}");
    assert!(out.contains("0 unit(s) registered, 1 updated"), "{out}");
    let after = units(dir.path());
    let changed = named(&after, "市财政局国库支付中心");
    assert_eq!(changed["id"], center["id"]);
    assert_eq!(changed["version"], 2);
    assert_eq!(changed["aliases"], serde_json::json!(["国库中心"]));
}

#[test]
fn one_bad_row_writes_nothing_and_every_bad_row_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("名录.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows = [
        ["name", "department", "kind", "parent", "aliases"],
        ["市规划局", "规划", "机关", "", ""],
        ["市规划局", "规划", "机关", "", ""],
        ["市规划局测绘院", "规划", "下属单位", "市规划司", ""],
        ["市政务服务中心", "政务服务", "窗口", "", "市规划局"],
    ];
    for (r, row) in (0u32..).zip(rows) {
        for (c, cell) in (0u16..).zip(row) {
            sheet.write_string(r, c, cell).unwrap();
        }
    }
    book.save(&xlsx).unwrap();
    let (ok, _, err) = run(anfang(dir.path()).args(["units", "import"]).arg(&xlsx));
    assert!(!ok);
    for said in [
        "row 3: unit '市规划局' repeats row 2",
        "row 4: unknown parent unit '市规划司' (did you mean '市规划局'?)",
        "row 5: alias '市规划局' already names another unit",
        "3 row(s) are wrong; no unit was registered",
    ] {
        assert!(err.contains(said), "{said}\n{err}");
    }
    assert!(units(dir.path()).is_empty());
    // Without the bad rows the workbook imports.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in (0u32..).zip([rows[0], rows[1]]) {
        for (c, cell) in (0u16..).zip(row) {
            sheet.write_string(r, c, cell).unwrap();
        }
    }
    book.save(&xlsx).unwrap();
    let (ok, _, err) = run(anfang(dir.path()).args(["units", "import"]).arg(&xlsx));
    assert!(ok, "{err}");
    assert_eq!(names(&units(dir.path())), ["市规划局"]);
    // A file without the required columns is refused as a whole.
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "单位,类型\n市财政局,机关\n").unwrap();
    let (ok, _, err) = run(anfang(dir.path()).args(["units", "import"]).arg(&bad));
    assert!(!ok);
    assert!(
        err.contains("the header lacks the column(s): department"),
        "{err}"
    );
}

#[test]
fn a_laptop_receives_the_register_in_a_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let office = dir.path().join("office");
    let laptop = dir.path().join("laptop");
    let csv = dir.path().join("名录.csv");
    std::fs::write(&csv, UNITS_CSV).unwrap();
    let (ok, _, err) = run(anfang(&office).args(["units", "import"]).arg(&csv));
    assert!(ok, "{err}");
    let bundle = dir.path().join("office.anfang-bundle");
    let (ok, _, err) = run(anfang(&office).args(["bundle", "--out"]).arg(&bundle));
    assert!(ok, "{err}");
    let (ok, _, err) = run(anfang(&laptop).arg("merge").arg(&bundle));
    assert!(ok, "{err}");
    assert_eq!(units(&laptop), units(&office));
}

#[test]
fn a_volunteer_report_names_units_through_the_register() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("名录.csv");
    std::fs::write(&csv, UNITS_CSV).unwrap();
    let (ok, _, err) = run(anfang(dir.path()).args(["units", "import"]).arg(&csv));
    assert!(ok, "{err}");
    // A registered unit nobody has visited yet, named by its alias.
    let report = dir.path().join("监督员.csv");
    std::fs::write(
        &report,
        "单位,检查项,发现时间,数量,情况说明,监督员\n财政局,迟到,2026-03-09 08:45,1,8:45到岗,刘义务\n",
    )
    .unwrap();
    let (ok, out, err) = run(anfang(dir.path()).arg("import").arg(&report));
    assert!(ok, "{out}{err}");
    let (ok, out, err) = run(anfang(dir.path()).args(["review", "list", "--json"]));
    assert!(ok, "{err}");
    let findings: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(findings[0]["unit"], "市财政局");
    assert_eq!(findings[0]["department"], "财政");
    // A name the register does not know is refused with the nearest names.
    std::fs::write(
        &report,
        "单位,检查项,发现时间,数量,情况说明,监督员\n市财正局,迟到,2026-03-09 08:45,1,8:45到岗,刘义务\n",
    )
    .unwrap();
    let (ok, out, err) = run(anfang(dir.path()).arg("import").arg(&report));
    assert!(!ok);
    assert!(
        (out.clone() + &err).contains("unknown unit '市财正局' (did you mean '市财政局'"),
        "{out}{err}"
    );
}
