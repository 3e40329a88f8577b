//! Reading an import file into raw rows of text, before any checking.
//!
//! CSV: a header row names the columns, in Chinese or English (see
//! `schemas/IMPORT.md`); a UTF-8 byte-order mark is allowed. JSON: an
//! `anfang-import` document, an `anfang-export` document (its findings are
//! taken), or a bare array of findings.

use super::error::{RowProblem, said};
use anfang_core::label::Label;
use serde_json::Value;

/// The fields of one row, as text; `None` when absent or blank.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawRow {
    /// Row number for messages and the import source.
    pub row: u64,
    /// Unit name.
    pub unit: Option<String>,
    /// Department.
    pub department: Option<String>,
    /// Item id (`late-arrival`, `core:late-arrival`) or title (`迟到`).
    pub item: Option<String>,
    /// Plugin id, to tell apart items of the same id in two plugins.
    pub plugin_id: Option<String>,
    /// When observed.
    pub observed_at: Option<String>,
    /// Person-times, cases, times or items.
    pub count: Option<String>,
    /// Points per count for a range rule.
    pub points_per_count: Option<String>,
    /// Percentage for a below-threshold rule.
    pub percent: Option<String>,
    /// Who or where.
    pub subject: Option<String>,
    /// What was seen.
    pub note: Option<String>,
    /// Who reported it: one name, or a team separated by 、 or commas.
    pub reporter: Option<String>,
    /// 暗访/unannounced or 明察/open.
    pub kind: Option<String>,
    /// violation (default), compliant, not applicable.
    pub result: Option<String>,
    /// The finding's id, when the file is an export of some ledger.
    pub finding_id: Option<String>,
}

/// The fields a row can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Unit,
    Department,
    Item,
    ItemId,
    PluginId,
    ObservedAt,
    Count,
    PointsPerCount,
    Percent,
    Subject,
    Note,
    Reporter,
    Kind,
    Result,
    FindingId,
    /// A row number or label a hand-made sheet has (`序号`): not read,
    /// except that a row labelled `示例` (the template's) is left out.
    RowLabel,
    /// Columns an export writes that an import does not need (computed or
    /// ledger-assigned values).
    Ignored,
}

/// CSV header names (compared trimmed, ASCII case ignored).
const HEADERS: &[(&str, Field)] = &[
    ("单位", Field::Unit),
    ("被检查单位", Field::Unit),
    ("unit", Field::Unit),
    ("部门", Field::Department),
    ("所属部门", Field::Department),
    ("department", Field::Department),
    ("检查项", Field::Item),
    ("问题类型", Field::Item),
    ("item", Field::Item),
    ("检查项编号", Field::ItemId),
    ("item id", Field::ItemId),
    ("item_id", Field::ItemId),
    ("插件", Field::PluginId),
    ("plugin", Field::PluginId),
    ("plugin_id", Field::PluginId),
    ("发现时间", Field::ObservedAt),
    ("时间", Field::ObservedAt),
    ("检查时间", Field::ObservedAt),
    ("observed at", Field::ObservedAt),
    ("observed_at", Field::ObservedAt),
    ("time", Field::ObservedAt),
    ("数量", Field::Count),
    ("人次", Field::Count),
    ("件次", Field::Count),
    ("次数", Field::Count),
    ("count", Field::Count),
    ("每次扣分", Field::PointsPerCount),
    ("points per count", Field::PointsPerCount),
    ("points_per_count", Field::PointsPerCount),
    ("百分比", Field::Percent),
    ("满意率", Field::Percent),
    ("percent", Field::Percent),
    ("对象", Field::Subject),
    ("涉及人员", Field::Subject),
    ("subject", Field::Subject),
    ("情况说明", Field::Note),
    ("问题描述", Field::Note),
    ("note", Field::Note),
    ("监督员", Field::Reporter),
    ("义务监督员", Field::Reporter),
    ("报告人", Field::Reporter),
    ("reporter", Field::Reporter),
    ("检查人员", Field::Reporter),
    ("inspectors", Field::Reporter),
    ("检查方式", Field::Kind),
    ("visit kind", Field::Kind),
    ("visit_kind", Field::Kind),
    ("结果", Field::Result),
    ("result", Field::Result),
    ("问题编号", Field::FindingId),
    ("finding id", Field::FindingId),
    ("finding_id", Field::FindingId),
    ("序号", Field::RowLabel),
    ("编号", Field::RowLabel),
    ("no", Field::RowLabel),
    ("no.", Field::RowLabel),
    ("#", Field::RowLabel),
    // Written by `anfang export --format csv`; computed again on import.
    ("检查表", Field::Ignored),
    ("checklist", Field::Ignored),
    ("计量单位", Field::Ignored),
    ("count unit", Field::Ignored),
    ("扣分", Field::Ignored),
    ("points", Field::Ignored),
    ("审核状态", Field::Ignored),
    ("status", Field::Ignored),
    ("整改期限", Field::Ignored),
    ("deadline", Field::Ignored),
    ("版本数", Field::Ignored),
    ("versions", Field::Ignored),
    ("证据文件数", Field::Ignored),
    ("evidence files", Field::Ignored),
    ("记录事件", Field::Ignored),
    ("event id", Field::Ignored),
    ("记录设备", Field::Ignored),
    ("device id", Field::Ignored),
    ("记录人", Field::Ignored),
    ("recorded by", Field::Ignored),
    ("导入来源", Field::Ignored),
    ("import source", Field::Ignored),
];

fn field_of_header(name: &str) -> Option<Field> {
    let name = name.trim();
    HEADERS
        .iter()
        .find(|(header, _)| header.eq_ignore_ascii_case(name))
        .map(|(_, field)| *field)
}

fn blank_to_none(text: &str) -> Option<String> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

impl RawRow {
    fn set(&mut self, field: Field, value: Option<String>) {
        let slot = match field {
            Field::Unit => &mut self.unit,
            Field::Department => &mut self.department,
            // An item id column wins over a title column.
            Field::Item => {
                if self.item.is_none() {
                    self.item = value;
                }
                return;
            }
            Field::ItemId => {
                if value.is_some() {
                    self.item = value;
                }
                return;
            }
            Field::PluginId => &mut self.plugin_id,
            Field::ObservedAt => &mut self.observed_at,
            Field::Count => &mut self.count,
            Field::PointsPerCount => &mut self.points_per_count,
            Field::Percent => &mut self.percent,
            Field::Subject => &mut self.subject,
            Field::Note => &mut self.note,
            Field::Reporter => &mut self.reporter,
            Field::Kind => &mut self.kind,
            Field::Result => &mut self.result,
            Field::FindingId => &mut self.finding_id,
            Field::Ignored | Field::RowLabel => return,
        };
        *slot = value;
    }
}

/// What each column of a table holds, read from its header row.
#[derive(Debug, Clone)]
pub struct Header {
    fields: Vec<Field>,
    /// Columns this import does not read (`序号`, `备注`, …), as headed.
    pub ignored: Vec<String>,
}

impl Header {
    /// Reads the header row; a missing required column or a repeated one
    /// is an `Err` naming it. Columns it does not know are ignored and
    /// listed in [`Header::ignored`].
    pub fn new<'a>(cells: impl IntoIterator<Item = &'a str>) -> Result<Header, Label> {
        let mut fields = Vec::new();
        let mut ignored = Vec::new();
        for (index, header) in cells.into_iter().enumerate() {
            let header = super::unguard(header.trim());
            if header.is_empty() {
                fields.push(Field::Ignored);
                continue;
            }
            match field_of_header(header) {
                Some(field) => {
                    if field != Field::Ignored && fields.contains(&field) {
                        return Err(said(
                            format!("列'{header}'出现了两次（第 {} 列）", index + 1),
                            format!("column '{header}' appears twice (column {})", index + 1),
                        ));
                    }
                    fields.push(field);
                }
                None => {
                    fields.push(Field::Ignored);
                    ignored.push(header.to_owned());
                }
            }
        }
        for (field, name) in [
            (Field::Unit, "单位/unit"),
            (Field::ObservedAt, "发现时间/observed_at"),
            (Field::Note, "情况说明/note"),
            (Field::Reporter, "监督员/reporter"),
        ] {
            if !fields.contains(&field) {
                return Err(said(
                    format!(
                        "缺少 {name} 列（表头行：{}）",
                        header_list(&fields, &ignored)
                    ),
                    format!(
                        "no {name} column (header row: {})",
                        header_list(&fields, &ignored)
                    ),
                ));
            }
        }
        if !fields.contains(&Field::Item) && !fields.contains(&Field::ItemId) {
            return Err(said("缺少 检查项/item 列", "no 检查项/item column"));
        }
        Ok(Header { fields, ignored })
    }

    /// The header names every column this import knows, with a "did you
    /// mean" for an ignored column whose name is close to one of them.
    pub fn ignored_with_hints(&self) -> Vec<(String, Option<String>)> {
        let known: Vec<&str> = HEADERS
            .iter()
            .filter(|(_, f)| !matches!(f, Field::Ignored | Field::RowLabel))
            .map(|(h, _)| *h)
            .collect();
        self.ignored
            .iter()
            .map(|name| {
                let hint = super::suggest::closest(name, known.iter().copied(), 1)
                    .into_iter()
                    .next()
                    .map(str::to_owned);
                (name.clone(), hint)
            })
            .collect()
    }

    /// One data row; `row` is its number in the file.
    pub fn row(&self, row: u64, cells: &[String]) -> Result<Option<RawRow>, RowProblem> {
        if cells.iter().all(|cell| cell.trim().is_empty()) {
            return Ok(None);
        }
        if cells.len() > self.fields.len()
            && cells
                .iter()
                .skip(self.fields.len())
                .any(|c| !c.trim().is_empty())
        {
            return Err(RowProblem {
                row,
                reason: said(
                    format!(
                        "有 {} 个单元格，但表头只有 {} 列",
                        cells.len(),
                        self.fields.len()
                    ),
                    format!(
                        "{} cells, but the header names {} columns",
                        cells.len(),
                        self.fields.len()
                    ),
                ),
            });
        }
        let example = self.fields.iter().zip(cells).any(|(field, cell)| {
            *field == Field::RowLabel
                && (cell.trim() == super::template::EXAMPLE_MARK
                    || cell.trim().eq_ignore_ascii_case("example"))
        });
        if example {
            return Ok(None);
        }
        let mut raw = RawRow {
            row,
            ..RawRow::default()
        };
        for (field, cell) in self.fields.iter().zip(cells) {
            raw.set(*field, blank_to_none(super::unguard(cell)));
        }
        Ok(Some(raw))
    }
}

fn header_list(fields: &[Field], ignored: &[String]) -> String {
    let known = fields
        .iter()
        .filter(|f| !matches!(f, Field::Ignored | Field::RowLabel))
        .count();
    if ignored.is_empty() {
        format!("{known}")
    } else {
        format!("{known} + {}", ignored.join(", "))
    }
}

/// Reads CSV rows from UTF-8 bytes; a file-level problem (no header,
/// missing or repeated columns, broken quoting) is an `Err` naming it.
pub fn read_csv(bytes: &[u8]) -> Result<(Vec<RawRow>, Vec<RowProblem>), Label> {
    let bytes = bytes.strip_prefix(crate::BOM).unwrap_or(bytes);
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut unreadable = Vec::new();
    let mut header: Option<Header> = None;
    super::table::each_csv_record(
        bytes,
        &mut |row, cells| {
            match &header {
                None => header = Some(Header::new(cells.iter().map(String::as_str))?),
                Some(header) => match header.row(row, cells) {
                    Ok(Some(raw)) => rows.push(raw),
                    Ok(None) => {}
                    Err(problem) => problems.push(problem),
                },
            }
            Ok(())
        },
        &mut |problem| unreadable.push(problem),
    )?;
    if header.is_none() {
        return Err(said(
            "文件是空的：没有表头行",
            "the file is empty: no header row",
        ));
    }
    problems.extend(unreadable);
    problems.sort_by_key(|p| p.row);
    Ok((rows, problems))
}

/// Keys a JSON finding may carry: the import format's, and every key of an
/// exported finding (the computed ones are not read).
const JSON_KEYS: &[(&str, Field)] = &[
    ("unit", Field::Unit),
    ("department", Field::Department),
    ("item", Field::Item),
    ("item_id", Field::ItemId),
    ("plugin_id", Field::PluginId),
    ("observed_at", Field::ObservedAt),
    ("count", Field::Count),
    ("points_per_count", Field::PointsPerCount),
    ("percent", Field::Percent),
    ("subject", Field::Subject),
    ("note", Field::Note),
    ("reporter", Field::Reporter),
    ("inspectors", Field::Reporter),
    ("visit_kind", Field::Kind),
    ("result", Field::Result),
    ("finding_id", Field::FindingId),
    ("visit_id", Field::Ignored),
    ("event_id", Field::Ignored),
    ("device_id", Field::Ignored),
    ("recorded_by", Field::Ignored),
    ("plugin_version", Field::Ignored),
    ("checklist_id", Field::Ignored),
    ("checklist", Field::Ignored),
    ("count_unit", Field::Ignored),
    ("values", Field::Ignored),
    ("points", Field::Ignored),
    ("status", Field::Ignored),
    ("deadline", Field::Ignored),
    ("source", Field::Ignored),
    ("versions", Field::Ignored),
    ("conflict", Field::Ignored),
    ("evidence_files", Field::Ignored),
];

/// Top-level members of an import or export document.
const DOCUMENT_KEYS: &[&str] = &[
    "format",
    "version",
    "reporter",
    "findings",
    "generated_at",
    "device_id",
    "method_version",
    "method",
    "lang",
    "time_zone",
    "anonymized",
    "filter",
    "units",
    "rectifications",
];

fn json_text(key: &str, value: &Value) -> Result<Option<String>, Label> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => Ok(blank_to_none(s)),
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::Bool(b) => Ok(Some(b.to_string())),
        // An exported finding's `item` is its title in both languages.
        Value::Object(map) if key == "item" => Ok(map
            .get("zh")
            .and_then(Value::as_str)
            .and_then(blank_to_none)),
        // `inspectors` is the team, lead first.
        Value::Array(items) if key == "inspectors" => {
            let names: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            if names.len() != items.len() {
                return Err(said(
                    format!("字段'{key}'应为姓名列表"),
                    format!("field '{key}' must be a list of names"),
                ));
            }
            Ok(blank_to_none(&names.join("、")))
        }
        _ => Err(said(
            format!("字段'{key}'应为文本或数字"),
            format!("field '{key}' must be text or a number"),
        )),
    }
}

/// Reads JSON rows; a file-level problem is an `Err` naming it.
pub fn read_json(bytes: &[u8]) -> Result<(Vec<RawRow>, Vec<RowProblem>), Label> {
    let bytes = bytes.strip_prefix(crate::BOM).unwrap_or(bytes);
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| {
        said(
            format!("不是有效的 JSON：{e}"),
            format!("not valid JSON: {e}"),
        )
    })?;
    let (findings, default_reporter) = match &doc {
        Value::Array(items) => (items.as_slice(), None),
        Value::Object(map) => {
            if let Some(key) = map.keys().find(|k| !DOCUMENT_KEYS.contains(&k.as_str())) {
                return Err(said(
                    format!("未知成员'{key}'（见 schemas/import.schema.json）"),
                    format!("unknown member '{key}' (see schemas/import.schema.json)"),
                ));
            }
            match map.get("format").and_then(Value::as_str) {
                None | Some("anfang-import") | Some("anfang-export") => {}
                Some(other) => {
                    return Err(said(
                        format!("format '{other}' 既不是 anfang-import 也不是 anfang-export"),
                        format!("format '{other}' is neither anfang-import nor anfang-export"),
                    ));
                }
            }
            match map.get("version") {
                None => {}
                Some(v) if v.as_u64() == Some(1) => {}
                Some(v) => {
                    return Err(said(
                        format!("不支持版本 {v}（本程序读取版本 1）"),
                        format!("version {v} is not supported (this anfang reads version 1)"),
                    ));
                }
            }
            let findings = map
                .get("findings")
                .and_then(Value::as_array)
                .ok_or_else(|| said("缺少'findings'数组", "no 'findings' array"))?;
            let reporter = match map.get("reporter") {
                Some(value) => json_text("reporter", value)?,
                None => None,
            };
            (findings.as_slice(), reporter)
        }
        _ => {
            return Err(said(
                "应为含'findings'的对象，或问题记录的数组",
                "expected an object with 'findings' or an array of findings",
            ));
        }
    };
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    'rows: for (index, item) in findings.iter().enumerate() {
        let row = index as u64 + 1;
        let Value::Object(map) = item else {
            problems.push(RowProblem {
                row,
                reason: said("不是一个对象", "not an object"),
            });
            continue;
        };
        let mut raw = RawRow {
            row,
            ..RawRow::default()
        };
        // `reporter` wins over `inspectors`, whatever order the keys come in.
        let mut keys: Vec<&String> = map.keys().collect();
        keys.sort_by_key(|k| k.as_str() == "reporter");
        for key in keys {
            let Some(field) = JSON_KEYS.iter().find(|(k, _)| k == key).map(|(_, f)| *f) else {
                problems.push(RowProblem {
                    row,
                    reason: said(format!("未知字段'{key}'"), format!("unknown field '{key}'")),
                });
                continue 'rows;
            };
            if field == Field::Ignored {
                continue;
            }
            match json_text(key, &map[key.as_str()]) {
                Ok(value) => raw.set(field, value),
                Err(reason) => {
                    problems.push(RowProblem { row, reason });
                    continue 'rows;
                }
            }
        }
        if raw.reporter.is_none() {
            raw.reporter = default_reporter.clone();
        }
        rows.push(raw);
    }
    Ok((rows, problems))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn csv_headers_in_either_language() {
        let csv = "\u{feff}单位,检查项,发现时间,数量,对象,情况说明,监督员\n税务大厅,迟到,2026-03-02 08:40,2,张三,两人迟到,刘监督\n";
        let (rows, problems) = read_csv(csv.as_bytes()).unwrap();
        assert!(problems.is_empty());
        assert_eq!(rows[0].row, 2);
        assert_eq!(rows[0].unit.as_deref(), Some("税务大厅"));
        assert_eq!(rows[0].count.as_deref(), Some("2"));
        let csv = "Unit,Item,Observed at,Count,Note,Reporter\nTax hall,late-arrival,2026-03-02 08:40,1,x,Liu\n";
        let (rows, _) = read_csv(csv.as_bytes()).unwrap();
        assert_eq!(rows[0].item.as_deref(), Some("late-arrival"));
    }

    #[test]
    fn unknown_columns_are_ignored_and_missing_ones_named() {
        let header = Header::new([
            "序号",
            "单位",
            "检查项",
            "发现时间",
            "情况说明",
            "监督员",
            "对像",
            "备注",
        ])
        .unwrap();
        assert_eq!(
            header.ignored,
            vec!["对像", "备注"],
            "序号 is known, not listed"
        );
        assert_eq!(
            header.ignored_with_hints()[0],
            ("对像".to_owned(), Some("对象".to_owned()))
        );
        let csv = "序号,单位,检查项,发现时间,情况说明,监督员,备注\n示例,x,迟到,2026-03-01,x,刘,\n1,税务大厅,迟到,2026-03-02 08:40,x,刘,补充\n";
        let (rows, problems) = read_csv(csv.as_bytes()).unwrap();
        assert!(problems.is_empty());
        assert_eq!(rows.len(), 1, "the example row is left out");
        assert_eq!(rows[0].row, 3);
        assert_eq!(rows[0].unit.as_deref(), Some("税务大厅"));
        let err = read_csv("单位,检查项,发现时间,情况说明\n".as_bytes()).unwrap_err();
        assert!(err.en.contains("no 监督员/reporter column"), "{err:?}");
        assert!(err.zh.contains("缺少 监督员/reporter 列"), "{err:?}");
    }

    #[test]
    fn json_rows_take_the_document_reporter() {
        let json = r#"{"format":"anfang-import","version":1,"reporter":"刘监督","findings":[{"unit":"税务大厅","item":"迟到","observed_at":"2026-03-02 08:40","count":2,"note":"x"},{"unit":"x","oops":1}]}"#;
        let (rows, problems) = read_json(json.as_bytes()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].reporter.as_deref(), Some("刘监督"));
        assert_eq!(rows[0].count.as_deref(), Some("2"));
        assert_eq!(
            problems,
            vec![RowProblem {
                row: 2,
                reason: Label::new("未知字段'oops'", "unknown field 'oops'")
            }]
        );
    }
}
