//! Checklists as data: a department's checklist written as a JSON file in
//! the manifest format (`schemas/checklist.schema.json`), with no code. They
//! are found in `<data dir>/checklists/` and in a `checklists` folder beside
//! the program, checked here, and offered to visits like a plugin's.

use crate::refusal::{Refusal, one_line};
use crate::validate::validate_manifest;
use anfang_core::manifest::Manifest;
use anfang_core::rule::Rule;
use anfang_core::{Label, Lang, Points};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Name of the data checklist folder inside the data dir (and beside the
/// program).
pub const DATA_CHECKLIST_DIR: &str = "checklists";

/// The most a data checklist item may cost per count: a unit starts from
/// 100 points, so one count never costs more than all of them.
pub const MAX_POINTS_PER_COUNT: Points = Points::whole(100);

/// The largest data checklist file read, far above any list of items.
pub const MAX_DATA_CHECKLIST_BYTES: u64 = 1024 * 1024;

/// Why a data checklist file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataRefusal {
    /// Unreadable, too large, not UTF-8, not JSON, failing the schema or
    /// inconsistent (duplicate ids, bad ranges): the detail names the value.
    Invalid(Refusal),
    /// Data cannot compute: a computed rule needs a native plugin.
    Computed {
        /// The item.
        item: String,
    },
    /// Points per count that are zero or above [`MAX_POINTS_PER_COUNT`].
    Points {
        /// The item.
        item: String,
        /// The bad value.
        points: Points,
    },
    /// A label with nothing but spaces in one language.
    BlankLabel {
        /// The label's owner (checklist or item id, or `name`).
        at: String,
        /// `zh` or `en`.
        lang: &'static str,
    },
    /// The id of the plugin or of an item is already taken.
    Clash(Refusal),
}

impl DataRefusal {
    /// The one-line reason in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (DataRefusal::Invalid(r), Lang::Zh) => format!("文件无效：{r}"),
            (DataRefusal::Invalid(r), Lang::En) => format!("invalid file: {r}"),
            (DataRefusal::Computed { item }, Lang::Zh) => {
                format!("条目'{item}'为计算规则，数据检查表不能计算，须用原生插件")
            }
            (DataRefusal::Computed { item }, Lang::En) => format!(
                "item '{item}' has a computed rule: a data checklist cannot compute, a native plugin must"
            ),
            (DataRefusal::Points { item, points }, Lang::Zh) => format!(
                "条目'{item}'每次扣分 {points} 不合理（应大于 0、不超过 {MAX_POINTS_PER_COUNT}）"
            ),
            (DataRefusal::Points { item, points }, Lang::En) => format!(
                "item '{item}': {points} points per count is out of bounds (more than 0, at most {MAX_POINTS_PER_COUNT})"
            ),
            (DataRefusal::BlankLabel { at, lang }, Lang::Zh) => {
                format!("'{at}'的 {lang} 名称为空")
            }
            (DataRefusal::BlankLabel { at, lang }, Lang::En) => {
                format!("'{at}' has a blank {lang} label")
            }
            (DataRefusal::Clash(r), Lang::Zh) => format!("编号冲突：{r}"),
            (DataRefusal::Clash(r), Lang::En) => format!("id clash: {r}"),
        }
    }
}

impl std::fmt::Display for DataRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// One data checklist file found: loaded, or refused with a reason.
#[derive(Debug, Clone, PartialEq)]
pub struct DataChecklistInfo {
    /// The file.
    pub file: PathBuf,
    /// The manifest, when the file is sound and its ids are free.
    pub manifest: Option<Manifest>,
    /// Why it was refused.
    pub refusal: Option<DataRefusal>,
}

impl DataChecklistInfo {
    /// `<file>: <reason>` in `lang`, for a refused file.
    pub fn reason_line(&self, lang: Lang) -> Option<String> {
        self.refusal
            .as_ref()
            .map(|r| format!("{}: {}", self.file.display(), r.text(lang)))
    }
}

/// The JSON shape of a data checklist in `anfang checklists list --json`.
#[derive(Serialize)]
struct InfoJson<'a> {
    id: Option<&'a str>,
    version: Option<&'a str>,
    name: Option<&'a Label>,
    file: &'a PathBuf,
    status: &'static str,
    reason: Option<String>,
}

impl Serialize for DataChecklistInfo {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        InfoJson {
            id: self.manifest.as_ref().map(|m| m.id.as_str()),
            version: self.manifest.as_ref().map(|m| m.version.as_str()),
            name: self.manifest.as_ref().map(|m| &m.name),
            file: &self.file,
            status: if self.refusal.is_none() {
                "loaded"
            } else {
                "refused"
            },
            reason: self.refusal.as_ref().map(|r| r.text(Lang::En)),
        }
        .serialize(serializer)
    }
}

/// The standard folders, in order: beside the program first (so an
/// installation's lists keep their ids), then `<data_dir>/checklists`.
pub fn standard_dirs(data_dir: &Path) -> Vec<PathBuf> {
    crate::search::installation_dir()
        .map(|dir| dir.join(DATA_CHECKLIST_DIR))
        .into_iter()
        .chain(std::iter::once(data_dir.join(DATA_CHECKLIST_DIR)))
        .collect()
}

/// The `*.json` files of `dirs`, each folder in name order; a missing
/// folder holds none.
pub fn find_files(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut seen = Vec::new();
    let mut files = Vec::new();
    for dir in dirs {
        let Ok(canonical) = dir.canonicalize() else {
            continue;
        };
        if seen.contains(&canonical) {
            continue;
        }
        seen.push(canonical);
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut here: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json") && p.is_file())
            .collect();
        here.sort();
        files.extend(here);
    }
    files
}

/// Reads and checks one data checklist file on its own: the schema, the
/// manifest's own consistency, and the domain's bounds. Clashes with other
/// checklists are the registry's to find.
pub fn check_file(file: &Path) -> Result<Manifest, DataRefusal> {
    let size = std::fs::metadata(file)
        .map_err(|e| DataRefusal::Invalid(Refusal::Unreadable(e.to_string())))?
        .len();
    if size > MAX_DATA_CHECKLIST_BYTES {
        return Err(DataRefusal::Invalid(Refusal::Unreadable(format!(
            "{size} bytes, more than the {MAX_DATA_CHECKLIST_BYTES} a checklist may be"
        ))));
    }
    let bytes = std::fs::read(file)
        .map_err(|e| DataRefusal::Invalid(Refusal::Unreadable(e.to_string())))?;
    let manifest = validate_manifest(&bytes).map_err(DataRefusal::Invalid)?;
    check_domain(&manifest)?;
    Ok(manifest)
}

/// The bounds a data checklist is held to beyond the schema.
pub fn check_domain(manifest: &Manifest) -> Result<(), DataRefusal> {
    check_label("name", &manifest.name)?;
    for checklist in &manifest.checklists {
        check_label(&checklist.id, &checklist.label)?;
        for item in &checklist.items {
            check_label(&item.id, &item.label)?;
            let bad = |points: Points| DataRefusal::Points {
                item: item.id.clone(),
                points,
            };
            let sane = |p: Points| p > Points::ZERO && p <= MAX_POINTS_PER_COUNT;
            match &item.rule {
                Rule::Computed { .. } => {
                    return Err(DataRefusal::Computed {
                        item: item.id.clone(),
                    });
                }
                Rule::PerCount { points, .. } if !sane(*points) => return Err(bad(*points)),
                Rule::Range { min, .. } if !sane(*min) => return Err(bad(*min)),
                Rule::Range { max, .. } if !sane(*max) => return Err(bad(*max)),
                Rule::BelowThreshold {
                    points_per_percent, ..
                } if !sane(*points_per_percent) => return Err(bad(*points_per_percent)),
                _ => {}
            }
        }
    }
    Ok(())
}

fn check_label(at: &str, label: &Label) -> Result<(), DataRefusal> {
    let blank = |lang| {
        Err(DataRefusal::BlankLabel {
            at: one_line(at, 64),
            lang,
        })
    };
    if label.zh.trim().is_empty() {
        return blank("zh");
    }
    if label.en.trim().is_empty() {
        return blank("en");
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    pub(crate) const GOOD: &str = r#"{
      "id": "petition-window",
      "version": "1.0.0",
      "name": {"zh": "信访窗口", "en": "Petition window"},
      "departments": [{"zh": "信访局", "en": "Petition bureau"}],
      "checklists": [{
        "id": "petition-window",
        "label": {"zh": "信访窗口", "en": "Petition window"},
        "items": [
          {"id": "petition-not-registered",
           "label": {"zh": "来访未登记", "en": "Visit not registered"},
           "rule": {"kind": "per_count", "unit": "case", "points": 2}},
          {"id": "petition-rude",
           "label": {"zh": "接待态度生硬", "en": "Rude reception"},
           "rule": {"kind": "range", "unit": "time", "min": 10, "max": 20}}
        ]
      }]
    }"#;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let file = dir.join(name);
        std::fs::write(&file, text).unwrap();
        file
    }

    #[test]
    fn a_good_file_is_accepted() {
        let dir = tempfile::tempdir().unwrap();
        let file = write(dir.path(), "petition.json", GOOD);
        let manifest = check_file(&file).unwrap();
        assert_eq!(manifest.id, "petition-window");
        assert_eq!(manifest.checklists[0].items.len(), 2);
    }

    #[test]
    fn bad_files_are_refused_naming_the_value() {
        let dir = tempfile::tempdir().unwrap();
        let cases = [
            (r#""points": 2"#, r#""points": 250"#, "250"),
            (r#""points": 2"#, r#""points": 0"#, "0"),
            (r#""min": 10"#, r#""min": 30"#, "not a valid range"),
            (
                r#""en": "Rude reception""#,
                r#""en": "  ""#,
                "'petition-rude'",
            ),
            (
                r#""zh": "接待态度生硬", "#,
                "",
                "\"zh\" is a required property",
            ),
            (
                "petition-rude",
                "petition-not-registered",
                "duplicate item id",
            ),
            (
                r#"{"kind": "per_count", "unit": "case", "points": 2}"#,
                r#"{"kind": "computed", "inputs": [], "max": 5}"#,
                "'petition-not-registered'",
            ),
            (r#""case""#, r#""person""#, "/rule"),
        ];
        for (from, to, expected) in cases {
            let file = write(dir.path(), "bad.json", &GOOD.replacen(from, to, 1));
            let reason = check_file(&file).unwrap_err();
            for lang in [Lang::Zh, Lang::En] {
                let text = reason.text(lang);
                assert!(text.contains(expected), "{to}: {text}");
                assert!(!text.contains('\n'), "{text}");
            }
        }
        let file = write(dir.path(), "notjson.json", "{\"id\": ");
        assert!(
            check_file(&file)
                .unwrap_err()
                .to_string()
                .contains("not JSON")
        );
        assert!(check_file(&dir.path().join("missing.json")).is_err());
    }

    #[test]
    fn only_json_files_are_found_in_name_order() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "b.json", GOOD);
        write(dir.path(), "a.json", GOOD);
        write(dir.path(), "notes.txt", "x");
        let files = find_files(&[
            dir.path().to_path_buf(),
            dir.path().join("missing"),
            dir.path().to_path_buf(),
        ]);
        let names: Vec<_> = files
            .iter()
            .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["a.json", "b.json"]);
    }

    #[test]
    fn the_example_data_checklist_is_sound_and_takes_no_shipped_id() {
        let example = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../plugins/examples/checklists/信访窗口.json");
        let manifest = check_file(&example).unwrap();
        let mut registry = crate::Registry::core_only();
        assert!(registry.check_data_file(&example).is_ok());
        registry.add_data_files(vec![example]);
        assert_eq!(registry.checklists_for_department("信访局").len(), 4);
        for json in [
            include_str!("../../../plugins/tax-hall/manifest.json"),
            include_str!("../../../plugins/planning-bureau/manifest.json"),
            include_str!("../../../plugins/service-center/manifest.json"),
            include_str!("../../../plugins/api/examples/c/petitions.c"),
        ] {
            for item in manifest.checklists.iter().flat_map(|c| &c.items) {
                let quoted = format!("\"{}\"", item.id);
                let escaped = format!("\\\"{}\\\"", item.id);
                assert!(
                    !json.contains(&quoted) && !json.contains(&escaped),
                    "{}",
                    item.id
                );
            }
        }
    }
}
