//! Importing findings reported outside the app (a volunteer supervisor's
//! half-monthly spreadsheet, for one) from XLSX, CSV or JSON, as documented
//! in `schemas/IMPORT.md` and `schemas/import.schema.json`.
//!
//! Every row is checked before anything is written: unknown unit or item
//! (with "did you mean"), bad date, negative count, missing field… Nothing
//! is imported unless every row is valid, or `skip_invalid` is set and the
//! skipped rows are listed. Imported findings become events of this device,
//! inside one visit per reporter and unit, each marked with the file's
//! SHA-256 and its row; a row already in the ledger (same file and row, or
//! the same finding from another file or laptop) is never added twice.
//!
//! CSV and XLSX files are read twice, row by row (once to check, once to
//! write), so a million rows import in constant memory.

mod catalog;
mod dates;
mod error;
mod ids;
mod plan;
mod raw;
mod sniff;
mod suggest;
mod table;
mod template;
mod units;
mod validate;

pub use catalog::{Catalog, CatalogItem};
pub use dates::{DEFAULT_TIME, ReadTime, parse_time};
use error::said;
pub use error::{ImportError, RowProblem};
pub use plan::{Plan, Visits, finding_event, plan};
pub use raw::{Header, RawRow, read_csv, read_json};
pub use suggest::{closest, did_you_mean};
pub use template::write_template;
pub use units::{UNIT_COLUMNS, UnitRow, UnitsFileError, plan_units, read_units, write_units};
pub use validate::{Checks, ValidRow, fingerprint, validate};

use crate::formula_guard::unguard;
use anfang_core::label::Label;
use anfang_ledger::{Ledger, LedgerError};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use sniff::FileKind;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// How to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Import the valid rows even when others are invalid (they are listed).
    pub skip_invalid: bool,
    /// Time zone of times written without an offset.
    pub tz: TimeZone,
    /// The import's time: claimed by its events; later findings are
    /// refused; a date written without a year takes the latest year in
    /// which it is not after this.
    pub now: Timestamp,
    /// The XLSX sheet to read, by name; `None` reads the first.
    pub sheet: Option<String>,
}

impl ImportOptions {
    /// Refuse invalid files, system time zone, now, the first sheet.
    pub fn new() -> ImportOptions {
        ImportOptions {
            skip_invalid: false,
            tz: TimeZone::try_system().unwrap_or(TimeZone::UTC),
            now: Timestamp::now(),
            sheet: None,
        }
    }
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions::new()
    }
}

/// The file formats an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    /// CSV with a header row.
    Csv,
    /// JSON.
    Json,
    /// An XLSX workbook: one sheet with a header row.
    Xlsx,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportReport {
    /// The file.
    pub path: PathBuf,
    /// Its SHA-256, lowercase hex, as recorded in every imported finding.
    pub file_sha256: String,
    /// CSV, JSON or XLSX.
    pub format: ImportFormat,
    /// The text's encoding as detected (`UTF-8`, `GB18030 (GBK)`); `None`
    /// for XLSX.
    pub encoding: Option<String>,
    /// Columns not read (`备注`, …), each with the known column its name is
    /// close to, if any.
    pub ignored_columns: Vec<(String, Option<String>)>,
    /// Rows read (findings in the file).
    pub rows: u64,
    /// Findings added.
    pub imported: u64,
    /// Visits added to hold them.
    pub visits: u64,
    /// Rows that gave a date without a time and took [`DEFAULT_TIME`].
    pub default_time_rows: u64,
    /// Rows that gave a date without a year and took it from the import's now.
    pub year_taken_rows: u64,
    /// Invalid rows left out (only with `skip_invalid`).
    pub skipped: Vec<RowProblem>,
    /// Rows already in the ledger, left out: the first [`LISTED`] of them.
    pub duplicates: Vec<RowProblem>,
    /// Rows already in the ledger, in all.
    pub duplicate_rows: u64,
}

/// How many rows already present a report lists one by one (a file
/// imported twice can have a million of them).
pub const LISTED: usize = 1000;

/// Why an import stops: a file-level problem or an error.
enum Halt {
    File(Label),
    Import(ImportError),
}

impl From<Label> for Halt {
    fn from(label: Label) -> Self {
        Halt::File(label)
    }
}

impl From<ImportError> for Halt {
    fn from(e: ImportError) -> Self {
        Halt::Import(e)
    }
}

impl From<LedgerError> for Halt {
    fn from(e: LedgerError) -> Self {
        Halt::Import(ImportError::Ledger(e))
    }
}

/// One row of the file as the import meets it: read, or unreadable.
type Met = Result<RawRow, RowProblem>;

/// An open import file: rows can be walked more than once.
struct Input<'a> {
    path: &'a Path,
    kind: FileKind,
    sheet: Option<&'a str>,
    /// JSON is read whole (it is one document); its rows, once read.
    json: Option<(Vec<RawRow>, Vec<RowProblem>)>,
}

impl Input<'_> {
    /// Calls `each` with every row; returns the columns not read.
    fn each(
        &self,
        each: &mut dyn FnMut(Met) -> Result<(), Halt>,
    ) -> Result<Vec<(String, Option<String>)>, Halt> {
        if let Some((rows, problems)) = &self.json {
            for problem in problems {
                each(Err(problem.clone()))?;
            }
            for row in rows {
                each(Ok(row.clone()))?;
            }
            return Ok(Vec::new());
        }
        let mut header: Option<Header> = None;
        let mut not_header: Option<Label> = None;
        let mut bad: Vec<RowProblem> = Vec::new();
        let mut halt: Option<Halt> = None;
        let mut on_record = |row: u64, cells: &[String]| -> Result<(), Label> {
            let result = match &header {
                None => match Header::new(cells.iter().map(String::as_str)) {
                    Ok(h) => {
                        header = Some(h);
                        Ok(())
                    }
                    // A title line or two above the header ("11月监督情况").
                    Err(e)
                        if row <= 5
                            && cells.iter().filter(|c| !c.trim().is_empty()).count() <= 2 =>
                    {
                        not_header.get_or_insert(e);
                        Ok(())
                    }
                    Err(e) => return Err(e),
                },
                Some(h) => match h.row(row, cells) {
                    Ok(Some(raw)) => each(Ok(raw)),
                    Ok(None) => Ok(()),
                    Err(problem) => each(Err(problem)),
                },
            };
            result.map_err(|h| {
                // The label stops the reader; the halt is handed on.
                let stop = said("", "");
                halt = Some(h);
                stop
            })
        };
        let read = match self.kind {
            FileKind::Xlsx => table::each_xlsx_record(self.path, self.sheet, &mut on_record),
            FileKind::Csv(encoding) | FileKind::Json(encoding) => {
                let text = sniff::decoded(self.path, encoding).map_err(|source| {
                    Halt::Import(ImportError::Io {
                        path: self.path.to_path_buf(),
                        source,
                    })
                })?;
                table::each_csv_record(text, &mut on_record, &mut |p| bad.push(p))
            }
        };
        if let Some(h) = halt {
            return Err(h);
        }
        read?;
        let Some(header) = header else {
            return Err(Halt::File(not_header.unwrap_or_else(|| {
                said("文件是空的：没有表头行", "the file is empty: no header row")
            })));
        };
        for problem in bad {
            each(Err(problem))?;
        }
        Ok(header.ignored_with_hints())
    }
}

/// Why a row is already present.
fn already(zh: String, en: String, row: u64) -> RowProblem {
    RowProblem {
        row,
        reason: said(zh, en),
    }
}

/// The first 16 bytes of a hex digest: enough to tell rows apart in a set
/// that stays small for a million rows.
fn short(hex_digest: &str) -> u128 {
    u128::from_str_radix(hex_digest.get(..32).unwrap_or(hex_digest), 16).unwrap_or(0)
}

/// Checks the file at `path` against the ledger's units and the catalog's
/// items, and appends its findings in one transaction.
pub fn import_file(
    ledger: &mut Ledger,
    path: &Path,
    catalog: &Catalog,
    options: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    let bad_file = |reason: Label| ImportError::BadFile {
        path: path.to_path_buf(),
        reason,
    };
    match run(ledger, path, catalog, options) {
        Ok(report) => Ok(report),
        Err(Halt::File(reason)) => Err(bad_file(reason)),
        Err(Halt::Import(e)) => Err(e),
    }
}

fn run(
    ledger: &mut Ledger,
    path: &Path,
    catalog: &Catalog,
    options: &ImportOptions,
) -> Result<ImportReport, Halt> {
    let io = |source| {
        Halt::Import(ImportError::Io {
            path: path.to_path_buf(),
            source,
        })
    };
    let sniffed = sniff::sniff(path).map_err(io)??;
    let file_sha256 = sniffed.sha256;
    let (format, encoding) = match sniffed.kind {
        FileKind::Csv(e) => (ImportFormat::Csv, Some(e)),
        FileKind::Json(e) => (ImportFormat::Json, Some(e)),
        FileKind::Xlsx => (ImportFormat::Xlsx, None),
    };
    let json = match sniffed.kind {
        FileKind::Json(encoding) => {
            let bytes = std::fs::read(path).map_err(io)?;
            let (text, _, _) = encoding.decode(&bytes);
            Some(read_json(text.as_bytes())?)
        }
        _ => None,
    };
    let input = Input {
        path,
        kind: sniffed.kind,
        sheet: options.sheet.as_deref(),
        json,
    };

    let register = ledger.register()?;
    let mappings = ledger.unit_mappings()?;
    let mut units = ledger.known_units()?;
    // A registered unit may be named before anyone visited it.
    for registered in &register.units {
        let unit = registered.unit();
        if !units.contains(&unit) {
            units.push(unit);
        }
    }
    let checks = Checks {
        catalog,
        units: &units,
        register: &register,
        mappings: &mappings,
        tz: &options.tz,
        now: options.now,
    };
    let already_rows: HashSet<u64> = ledger.imported_rows(&file_sha256)?.into_iter().collect();
    // Findings imported before ids came from content: recognised by content.
    let mut already_content: HashSet<u128> = HashSet::new();
    ledger.imported_findings(|unit, record| -> Result<(), LedgerError> {
        if let Some(source) = &record.source {
            already_content.insert(short(&fingerprint(
                &unit,
                &record.item.plugin_id,
                &record.item.item_id,
                record.observed_at,
                &record.input,
                record.subject.as_deref(),
                &record.note,
                source.reporter.as_deref().unwrap_or(""),
            )));
        }
        Ok(())
    })?;

    // First pass: check every row, remember which to leave out.
    let mut problems: Vec<RowProblem> = Vec::new();
    let mut duplicates: Vec<RowProblem> = Vec::new();
    let mut duplicate_rows = 0u64;
    let mut leave_out: HashSet<u64> = HashSet::new();
    let mut seen: HashMap<u128, u64> = HashMap::new();
    let mut visits = Visits::default();
    let (mut rows_read, mut imported, mut default_time_rows, mut year_taken_rows) =
        (0u64, 0u64, 0u64, 0u64);
    let ignored_columns = input.each(&mut |met| {
        rows_read += 1;
        let raw = match met {
            Ok(raw) => raw,
            Err(problem) => {
                problems.push(problem);
                return Ok(());
            }
        };
        let mut duplicate = |problem: RowProblem, leave_out: &mut HashSet<u64>| {
            leave_out.insert(problem.row);
            duplicate_rows += 1;
            if duplicates.len() < LISTED {
                duplicates.push(problem);
            }
        };
        if already_rows.contains(&raw.row) {
            duplicate(
                already(
                    "已从此文件导入过".into(),
                    "already imported from this file".into(),
                    raw.row,
                ),
                &mut leave_out,
            );
            return Ok(());
        }
        let row = match validate(&raw, &checks) {
            Ok(row) => row,
            Err(reason) => {
                leave_out.insert(raw.row);
                problems.push(RowProblem {
                    row: raw.row,
                    reason,
                });
                return Ok(());
            }
        };
        let print = row.fingerprint();
        let id = row.id();
        if ledger.has_finding(id)? {
            let (zh, en) = if row.finding_id.is_some() {
                (
                    format!("问题记录 {id} 已在本台账中"),
                    format!("finding {id} is already in this ledger"),
                )
            } else {
                (
                    "已导入过（单位、检查项、时间、情况说明和监督员都相同，可能来自另一个文件或另一台电脑）".to_owned(),
                    "already imported (same unit, item, time, note and reporter, perhaps from another file or laptop)".to_owned(),
                )
            };
            duplicate(already(zh, en, row.row), &mut leave_out);
            return Ok(());
        }
        if already_content.contains(&short(&print)) {
            duplicate(
                already(
                    "已从另一个文件导入过（单位、检查项、时间、情况说明和监督员都相同）".into(),
                    "already imported from another file (same unit, item, time, note and reporter)".into(),
                    row.row,
                ),
                &mut leave_out,
            );
            return Ok(());
        }
        if let Some(first) = seen.get(&short(&print)) {
            leave_out.insert(row.row);
            problems.push(RowProblem {
                row: row.row,
                reason: said(format!("与第 {first} 行重复"), format!("repeats row {first}")),
            });
            return Ok(());
        }
        seen.insert(short(&print), row.row);
        visits.add(&row, &file_sha256);
        imported += 1;
        default_time_rows += u64::from(row.default_time);
        year_taken_rows += u64::from(row.year_taken);
        Ok(())
    })?;
    drop(seen);
    drop(already_content);
    if rows_read == 0 {
        return Err(Halt::File(said(
            "文件中没有问题记录",
            "no findings in the file",
        )));
    }
    problems.sort_by_key(|p| p.row);
    if !problems.is_empty() && !options.skip_invalid {
        return Err(Halt::Import(ImportError::Refused {
            path: path.to_path_buf(),
            rows: rows_read,
            problems,
        }));
    }

    // Second pass: the same rows again, as events, in one transaction.
    if imported > 0 {
        let changed = || {
            said(
                "文件在导入过程中被修改了：请关闭编辑它的程序后重试",
                "the file changed while it was being imported: close what edits it and try again",
            )
        };
        let mut written = 0u64;
        let sha = file_sha256.as_str();
        ledger.append_each(options.now, |append| -> Result<(), Halt> {
            for event in visits.opened() {
                append(&event)?;
            }
            input.each(&mut |met| {
                let Ok(raw) = met else {
                    return Ok(());
                };
                if leave_out.contains(&raw.row) {
                    return Ok(());
                }
                let row = validate(&raw, &checks).map_err(|_| changed())?;
                let visit_id = visits.visit_of(&row).ok_or_else(changed)?;
                append(&finding_event(&row, visit_id, sha))?;
                written += 1;
                Ok(())
            })?;
            if written != imported {
                return Err(Halt::File(changed()));
            }
            for event in visits.closed() {
                append(&event)?;
            }
            Ok(())
        })?;
    }
    Ok(ImportReport {
        path: path.to_path_buf(),
        file_sha256,
        format,
        encoding: encoding.map(|e| sniff::encoding_name(e).to_owned()),
        ignored_columns,
        rows: rows_read,
        imported,
        visits: if imported > 0 { visits.len() } else { 0 },
        default_time_rows,
        year_taken_rows,
        skipped: problems,
        duplicates,
        duplicate_rows,
    })
}
