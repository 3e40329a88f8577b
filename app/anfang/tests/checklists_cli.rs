//! `anfang checklists …` through the real binary on real files: a list
//! written as data is checked in both languages, refused with the file and
//! the bad value, published into the data folder and listed by source.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

const PETITION: &str = r#"{"id": "petition-window", "version": "1.0.0",
 "name": {"zh": "信访窗口", "en": "Petition window"},
 "departments": [{"zh": "信访局", "en": "Petition bureau"}],
 "checklists": [{"id": "petition-window", "label": {"zh": "信访窗口", "en": "Petition window"},
   "items": [
     {"id": "petition-not-registered", "label": {"zh": "来访未登记", "en": "Visit not registered"},
      "rule": {"kind": "per_count", "unit": "case", "points": 2}},
     {"id": "petition-rude", "label": {"zh": "接待态度生硬", "en": "Rude reception"},
      "rule": {"kind": "range", "unit": "time", "min": 10, "max": 20}}]}]}"#;

fn anfang(dir: &Path, lang: &str) -> Command {
    let mut cmd = Command::cargo_bin("anfang").unwrap();
    cmd.arg("--data-dir")
        .arg(dir.join("data"))
        .arg("--lang")
        .arg(lang)
        .env_remove("ANFANG_LANG")
        .env_remove("ANFANG_PLUGIN_PATH");
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

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let file = dir.join(name);
    std::fs::write(&file, text).unwrap();
    file
}

#[test]
fn check_prints_items_and_rules_in_the_users_language() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "信访窗口.json", PETITION);
    let (ok, out, err) = run(anfang(dir.path(), "zh")
        .args(["checklists", "check"])
        .arg(&file));
    assert!(ok, "{err}");
    assert!(out.contains("适用部门：信访局"), "{out}");
    assert!(
        out.contains("petition-not-registered  来访未登记  2分/件次"),
        "{out}"
    );
    assert!(
        out.contains("petition-rude  接待态度生硬  10–20分/次"),
        "{out}"
    );
    assert!(out.contains("正确："), "{out}");
    let (ok, out, err) = run(anfang(dir.path(), "en")
        .args(["checklists", "check"])
        .arg(&file));
    assert!(ok, "{err}");
    assert!(out.contains("departments: Petition bureau"), "{out}");
    assert!(out.contains("Rude reception"), "{out}");
    assert!(
        out.starts_with("petition-window 1.0.0  Petition window"),
        "{out}"
    );
}

#[test]
fn a_bad_file_exits_1_naming_the_file_and_the_value() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "points.json",
            PETITION.replacen("\"points\": 2", "\"points\": 250", 1),
            "250",
        ),
        (
            "core-id.json",
            PETITION.replace("petition-rude", "late-arrival"),
            "late-arrival",
        ),
        (
            "label.json",
            PETITION.replace("\"en\": \"Rude reception\"", "\"en\": \" \""),
            "petition-rude",
        ),
        (
            "schema.json",
            PETITION.replace("\"case\"", "\"cases\""),
            "/checklists/0/items/0/rule",
        ),
        ("notjson.json", "{\"id\": ".to_owned(), "not JSON"),
    ];
    for (name, text, value) in cases {
        let file = write(dir.path(), name, &text);
        for lang in ["zh", "en"] {
            let (ok, out, err) = run(anfang(dir.path(), lang)
                .args(["checklists", "check"])
                .arg(&file));
            assert!(!ok, "{name} passed: {out}");
            let line = err.trim_end();
            assert!(!line.contains('\n'), "{line}");
            assert!(
                line.contains(name) && line.contains(value),
                "{lang}: {line}"
            );
        }
    }
    // The exit status is 1, and the Chinese reason is in Chinese.
    let file = dir.path().join("points.json");
    let out = anfang(dir.path(), "zh")
        .args(["checklists", "check"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("不合理"));
    // Publishing a bad file refuses it and writes nothing.
    let (ok, _, _) = run(anfang(dir.path(), "en")
        .args(["checklists", "publish"])
        .arg(&file));
    assert!(!ok);
    assert!(!dir.path().join("data/checklists").exists());
}

#[test]
fn a_published_list_is_listed_as_data_beside_built_in_and_plugin_lists() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "信访窗口.json", PETITION);
    let (ok, out, err) = run(anfang(dir.path(), "en")
        .args(["checklists", "publish"])
        .arg(&file));
    assert!(ok, "{err}");
    assert!(out.contains("published petition-window 1.0.0"), "{out}");
    let placed = dir.path().join("data/checklists/petition-window.json");
    assert_eq!(std::fs::read_to_string(&placed).unwrap(), PETITION);
    // Publishing again replaces the same list rather than clashing with it.
    let (ok, _, err) = run(anfang(dir.path(), "zh")
        .args(["checklists", "publish"])
        .arg(&file));
    assert!(ok, "{err}");
    // A second list taking its id, dropped in by hand after it in name order, is refused.
    write(
        &dir.path().join("data/checklists"),
        "zz-copy.json",
        PETITION,
    );

    let (ok, out, err) = run(anfang(dir.path(), "en").args(["checklists", "list", "--json"]));
    assert!(ok, "{err}");
    let json: Value = serde_json::from_str(&out).unwrap();
    let lists = json["checklists"].as_array().unwrap();
    let source = |plugin: &str| {
        lists
            .iter()
            .find(|c| c["plugin_id"] == plugin)
            .map(|c| c["source"].as_str().unwrap().to_owned())
    };
    assert_eq!(source("core").as_deref(), Some("built_in"));
    assert_eq!(source("petition-window").as_deref(), Some("data"));
    assert_eq!(
        source("tax-hall").as_deref(),
        Some("plugin"),
        "run `cargo build --workspace` first"
    );
    let refused = json["refused"].as_array().unwrap();
    assert_eq!(refused.len(), 1, "{json}");
    assert!(
        refused[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("zz-copy.json")
    );
    assert!(
        refused[0]["reason"]
            .as_str()
            .unwrap()
            .contains("petition-window")
    );

    let (ok, out, _) = run(anfang(dir.path(), "zh").args(["checklists", "list"]));
    assert!(ok);
    assert!(
        out.contains("petition-window/petition-window 1.0.0  信访窗口  2 项  (数据文件"),
        "{out}"
    );
    assert!(
        out.contains("core/attendance 1.0.0  考勤  7 项  (内置)"),
        "{out}"
    );
    assert!(
        out.contains("已拒绝: ") && out.contains("copy.json"),
        "{out}"
    );
}

#[test]
fn the_example_data_checklist_published_scores_a_confirmed_violation_by_its_rule() {
    let dir = tempfile::tempdir().unwrap();
    let example = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../plugins/examples/checklists/信访窗口.json");
    let (ok, _, err) = run(anfang(dir.path(), "en")
        .args(["checklists", "publish"])
        .arg(&example));
    assert!(ok, "{err}");
    let (ok, _, err) = run(anfang(dir.path(), "zh-CN").env("TZ", "UTC").args([
        "units",
        "add",
        "--name",
        "市信访局",
        "--department",
        "信访局",
        "--kind",
        "窗口",
    ]));
    assert!(ok, "{err}");
    // A volunteer's sheet names the data checklist's item by its label.
    let sheet = write(
        dir.path(),
        "监督员.csv",
        "单位,部门,检查项,发现时间,数量,对象,情况说明,监督员\n\
         市信访局,信访局,交办、转办的信访件未按时限和要求办理,2026/3/9 10:00,3,,三件逾期,刘义务\n",
    );
    let (ok, _, err) = run(anfang(dir.path(), "zh-CN")
        .env("TZ", "UTC")
        .arg("import")
        .arg(&sheet));
    assert!(ok, "{err}");
    let (ok, out, err) = run(anfang(dir.path(), "en").args(["review", "list", "--json"]));
    assert!(ok, "{err}");
    let findings: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(findings[0]["item_id"], "petition-window-overdue");
    let id = findings[0]["finding_id"].as_str().unwrap().to_owned();
    let (ok, _, err) = run(anfang(dir.path(), "en").args(["review", "confirm", &id]));
    assert!(ok, "{err}");
    let (ok, out, err) = run(anfang(dir.path(), "en").env("TZ", "UTC").args([
        "scores",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--json",
    ]));
    assert!(ok, "{err}");
    let scores: Value = serde_json::from_str(&out).unwrap();
    let unit = &scores[0];
    assert_eq!(unit["unit"], "市信访局");
    // 1 point per case (四(三)2), three cases.
    assert_eq!(unit["score"], 97.0, "{unit}");
    assert_eq!(unit["deductions"][0]["plugin"], "petition-window");
    assert_eq!(unit["deductions"][0]["points"], 3.0);
}

#[test]
fn a_published_checklist_travels_in_a_bundle_and_the_laptop_offers_it() {
    let office = tempfile::tempdir().unwrap();
    let laptop = tempfile::tempdir().unwrap();
    let file = write(office.path(), "信访窗口.json", PETITION);
    let (ok, _, err) = run(anfang(office.path(), "en")
        .args(["checklists", "publish"])
        .arg(&file));
    assert!(ok, "{err}");
    let bundle = office.path().join("office.anfang-bundle");
    let (ok, _, err) = run(anfang(office.path(), "en")
        .args(["bundle", "--out"])
        .arg(&bundle));
    assert!(ok, "{err}");
    // The laptop has a ledger of its own before the bundle arrives.
    let (ok, _, err) = run(anfang(laptop.path(), "en").args(["units", "list"]));
    assert!(ok, "{err}");
    let before = laptop.path().join("data/checklists/petition-window.json");
    assert!(!before.exists());
    let (ok, _, err) = run(anfang(laptop.path(), "en").arg("merge").arg(&bundle));
    assert!(ok, "{err}");
    let (ok, out, err) = run(anfang(laptop.path(), "en").args(["checklists", "list", "--json"]));
    assert!(ok, "{err}");
    let json: Value = serde_json::from_str(&out).unwrap();
    let listed = json["checklists"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["plugin_id"] == "petition-window" && c["source"] == "data");
    assert!(listed, "{json}");
    assert_eq!(std::fs::read_to_string(&before).unwrap(), PETITION);
}
