//! The register of units as a spreadsheet: read from XLSX or CSV (UTF-8 or
//! GBK, as `anfang import` reads findings), and written back as CSV that
//! reads back to the same register.
//!
//! Columns, by their Chinese or English header in any order: 单位/name,
//! 部门/department, 类型/kind, 上级单位/parent, 别名/aliases (separated
//! by 、).

use super::error::{ImportError, RowProblem, said};
use super::sniff::{self, FileKind};
use super::suggest::{closest, did_you_mean};
use super::table::{each_csv_record, each_xlsx_record};
use crate::formula_guard::{guard, unguard};
use anfang_core::label::Label;
use anfang_core::register::{Register, UnitRegistered, join_aliases, split_aliases};
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use uuid::Uuid;

/// The columns, Chinese header and English header, in the order written.
pub const UNIT_COLUMNS: [(&str, &str); 5] = [
    ("单位", "name"),
    ("部门", "department"),
    ("类型", "kind"),
    ("上级单位", "parent"),
    ("别名", "aliases"),
];

/// One unit as a row of the file gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRow {
    /// The spreadsheet row (the header is row 1).
    pub row: u64,
    /// 单位.
    pub name: String,
    /// 部门.
    pub department: String,
    /// 类型.
    pub kind: String,
    /// 上级单位, by name; blank for none.
    pub parent: Option<String>,
    /// 别名.
    pub aliases: Vec<String>,
}

/// Why a units file cannot be imported; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum UnitsFileError {
    /// The file cannot be read, or is not a units table as a whole
    /// ([`ImportError::Io`] or [`ImportError::BadFile`]).
    #[error(transparent)]
    File(#[from] ImportError),
    /// Some rows are wrong, each named.
    #[error("{} rows are wrong; nothing was imported", .0.len())]
    Rows(Vec<RowProblem>),
}

/// Reads every row of a units file (XLSX, or CSV in UTF-8 or GBK).
pub fn read_units(path: &Path) -> Result<Vec<UnitRow>, UnitsFileError> {
    let io = |source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let bad = |reason: Label| ImportError::BadFile {
        path: path.to_path_buf(),
        reason,
    };
    let sniffed = sniff::sniff(path).map_err(io)?.map_err(bad)?;
    let mut columns: Option<[Option<usize>; 5]> = None;
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    let mut on_record = |row: u64, cells: &[String]| -> Result<(), Label> {
        let Some(found) = &columns else {
            columns = Some(header(cells)?);
            return Ok(());
        };
        let cell = |i: usize| -> String {
            found[i]
                .and_then(|c| cells.get(c))
                .map(|c| unguard(c.trim()).to_string())
                .unwrap_or_default()
        };
        if (0..5).all(|i| cell(i).is_empty()) {
            return Ok(());
        }
        let blank = [0, 1, 2].into_iter().find(|&i| cell(i).is_empty());
        if let Some(i) = blank {
            let (zh, en) = UNIT_COLUMNS[i];
            problems.push(RowProblem {
                row,
                reason: said(format!("“{zh}”为空"), format!("'{en}' is empty")),
            });
            return Ok(());
        }
        let parent = cell(3);
        rows.push(UnitRow {
            row,
            name: cell(0),
            department: cell(1),
            kind: cell(2),
            parent: (!parent.is_empty()).then_some(parent),
            aliases: split_aliases(&cell(4)),
        });
        Ok(())
    };
    let mut unreadable = Vec::new();
    let mut on_bad = |p: RowProblem| unreadable.push(p);
    match sniffed.kind {
        FileKind::Csv(encoding) => {
            let text = sniff::decoded(path, encoding).map_err(io)?;
            each_csv_record(text, &mut on_record, &mut on_bad).map_err(bad)?;
        }
        FileKind::Xlsx => each_xlsx_record(path, None, &mut on_record).map_err(bad)?,
        FileKind::Json(_) => {
            return Err(bad(said(
                "单位名录须为 XLSX 或 CSV 文件",
                "a units file is XLSX or CSV",
            ))
            .into());
        }
    }
    problems.append(&mut unreadable);
    if columns.is_none() {
        return Err(bad(said(
            "文件为空，没有表头行",
            "the file is empty: no header row",
        ))
        .into());
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.row);
        return Err(UnitsFileError::Rows(problems));
    }
    Ok(rows)
}

/// Finds the columns by their headers; 单位, 部门 and 类型 are required.
fn header(cells: &[String]) -> Result<[Option<usize>; 5], Label> {
    let mut found = [None; 5];
    for (c, text) in cells.iter().enumerate() {
        let text = text.trim().trim_start_matches('\u{feff}').to_lowercase();
        if let Some(i) = UNIT_COLUMNS
            .iter()
            .position(|(zh, en)| text == *zh || text == *en)
        {
            found[i] = Some(c);
        }
    }
    let missing: Vec<&(&str, &str)> = UNIT_COLUMNS[..3]
        .iter()
        .zip(found)
        .filter(|(_, f)| f.is_none())
        .map(|(col, _)| col)
        .collect();
    if missing.is_empty() {
        return Ok(found);
    }
    let zh: Vec<&str> = missing.iter().map(|c| c.0).collect();
    let en: Vec<&str> = missing.iter().map(|c| c.1).collect();
    Err(said(
        format!("表头缺少列：{}", zh.join("、")),
        format!("the header lacks the column(s): {}", en.join(", ")),
    ))
}

/// The versions to publish so that the register holds every row: a new
/// unit for a name it does not know, the next version of a unit whose row
/// differs, nothing for a row that matches. Every bad row is named; one
/// bad row means nothing is published.
pub fn plan_units(
    register: &Register,
    rows: &[UnitRow],
    mut new_id: impl FnMut() -> Uuid,
) -> Result<Vec<UnitRegistered>, Vec<RowProblem>> {
    let mut problems = Vec::new();
    let mut seen: HashMap<&str, u64> = HashMap::new();
    // Each row's unit id: the registered unit of that name, or a new one.
    let mut ids: Vec<Uuid> = Vec::with_capacity(rows.len());
    for r in rows {
        if let Some(first) = seen.insert(r.name.as_str(), r.row) {
            problems.push(RowProblem {
                row: r.row,
                reason: said(
                    format!("单位'{}'与第{first}行重复", r.name),
                    format!("unit '{}' repeats row {first}", r.name),
                ),
            });
        }
        let id = match register.resolve(&r.name) {
            Some(u) if u.name == r.name => u.unit_id,
            Some(u) => {
                problems.push(RowProblem {
                    row: r.row,
                    reason: said(
                        format!("'{}'是已登记单位'{}'的别名或曾用名", r.name, u.name),
                        format!(
                            "'{}' is an alias or former name of the registered unit '{}'",
                            r.name, u.name
                        ),
                    ),
                });
                u.unit_id
            }
            None => new_id(),
        };
        ids.push(id);
    }
    let in_file: HashMap<&str, Uuid> = rows
        .iter()
        .zip(&ids)
        .map(|(r, id)| (r.name.as_str(), *id))
        .collect();
    let mut out = Vec::new();
    for (r, id) in rows.iter().zip(&ids) {
        let parent = match &r.parent {
            None => None,
            Some(p) => match in_file
                .get(p.as_str())
                .copied()
                .or_else(|| register.resolve(p).map(|u| u.unit_id))
            {
                Some(pid) => Some(pid),
                None => {
                    let mut names: Vec<&str> = register.all_names();
                    names.extend(rows.iter().map(|r| r.name.as_str()));
                    let (zh, en) = did_you_mean(&closest(p, names, 3));
                    problems.push(RowProblem {
                        row: r.row,
                        reason: said(
                            format!("未知上级单位'{p}'{zh}"),
                            format!("unknown parent unit '{p}'{en}"),
                        ),
                    });
                    continue;
                }
            },
        };
        let held = register.get(*id);
        let unit = UnitRegistered {
            unit_id: *id,
            version: held.map_or(1, |h| h.version.saturating_add(1)),
            name: r.name.clone(),
            department: r.department.clone(),
            kind: r.kind.clone(),
            parent,
            aliases: r.aliases.clone(),
            active_from: held.and_then(|h| h.active_from),
            active_to: held.and_then(|h| h.active_to),
        };
        if let Err(e) = unit.validate() {
            problems.push(RowProblem {
                row: r.row,
                reason: said(e.to_string(), e.to_string()),
            });
            continue;
        }
        if let Some(alias) = r.aliases.iter().find(|a| {
            register
                .resolve(a)
                .is_some_and(|other| other.unit_id != *id)
                || in_file.get(a.as_str()).is_some_and(|other| other != id)
        }) {
            problems.push(RowProblem {
                row: r.row,
                reason: said(
                    format!("别名'{alias}'已是另一单位的名称或别名"),
                    format!("alias '{alias}' already names another unit"),
                ),
            });
            continue;
        }
        let unchanged = held.is_some_and(|h| {
            h.department == unit.department
                && h.kind == unit.kind
                && h.parent == unit.parent
                && h.aliases == unit.aliases
        });
        if !unchanged {
            out.push(unit);
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        problems.sort_by_key(|p| p.row);
        Err(problems)
    }
}

/// Writes the register as CSV (UTF-8 with a byte-order mark, so Excel and
/// WPS open it as such) that [`read_units`] reads back to the same units.
pub fn write_units(register: &Register, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(crate::BOM)?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(UNIT_COLUMNS.map(|c| c.0))?;
    for u in &register.units {
        let parent = u
            .parent
            .and_then(|p| register.get(p))
            .map(|p| p.name.as_str())
            .unwrap_or("");
        let aliases = join_aliases(&u.aliases);
        let cells = [&u.name, &u.department, &u.kind, parent, &aliases].map(|c| guard(c));
        w.write_record(cells.iter().map(|c| c.as_bytes()))?;
    }
    w.flush()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn ids() -> impl FnMut() -> Uuid {
        let mut n = 0u128;
        move || {
            n += 1;
            Uuid::from_u128(n)
        }
    }

    #[test]
    fn a_gbk_csv_reads_and_plans_parent_and_aliases() {
        let dir = tempfile::tempdir().unwrap();
        let text = "单位,部门,类型,上级单位,别名\n市税务局,税务,机关,,\n市税务局第一税务分局办税服务厅,税务,窗口,市税务局,一分局办税厅、办税厅\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let path = write(dir.path(), "units.csv", &gbk);
        let rows = read_units(&path).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].aliases, vec!["一分局办税厅", "办税厅"]);
        let planned = plan_units(&Register::default(), &rows, ids()).unwrap();
        assert_eq!(planned.len(), 2);
        assert_eq!(planned[1].parent, Some(planned[0].unit_id));
    }

    #[test]
    fn every_bad_row_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            dir.path(),
            "units.csv",
            "name,department,kind,parent\n市财政局,财政,机关,\n市规划局,,机关,\n市财政局,财政,机关,\n市卫健委,卫健,机关,市财正局\n".as_bytes(),
        );
        let Err(UnitsFileError::Rows(problems)) = read_units(&path) else {
            panic!("a blank department is a bad row");
        };
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].row, 3);
        assert!(problems[0].reason.en.contains("'department' is empty"));
        std::fs::write(
            &path,
            "name,department,kind,parent\n市财政局,财政,机关,\n市财政局,财政,机关,\n市卫健委,卫健,机关,市财正局\n",
        )
        .unwrap();
        let rows = read_units(&path).unwrap();
        let problems = plan_units(&Register::default(), &rows, ids()).unwrap_err();
        let said: Vec<(u64, &str)> = problems
            .iter()
            .map(|p| (p.row, p.reason.en.as_str()))
            .collect();
        assert_eq!(
            said,
            [
                (3, "unit '市财政局' repeats row 2"),
                (
                    4,
                    "unknown parent unit '市财正局' (did you mean '市财政局'?)"
                ),
            ]
        );
    }

    #[test]
    fn what_is_written_reads_back_to_no_change() {
        let dir = tempfile::tempdir().unwrap();
        let rows = vec![
            UnitRow {
                row: 2,
                name: "=市财政局".into(),
                department: "财政".into(),
                kind: "机关".into(),
                parent: None,
                aliases: vec!["财政局".into()],
            },
            UnitRow {
                row: 3,
                name: "市财政局国库支付中心".into(),
                department: "财政".into(),
                kind: "下属单位".into(),
                parent: Some("=市财政局".into()),
                aliases: vec![],
            },
        ];
        let register = Register {
            units: plan_units(&Register::default(), &rows, ids()).unwrap(),
            former_names: Vec::new(),
        };
        let mut bytes = Vec::new();
        write_units(&register, &mut bytes).unwrap();
        let path = write(dir.path(), "out.csv", &bytes);
        let back = read_units(&path).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(plan_units(&register, &back, ids()).unwrap(), Vec::new());
    }
}
