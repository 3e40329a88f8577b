//! Importing findings reported outside the app (a volunteer supervisor's
//! half-monthly spreadsheet, for one) from CSV or JSON, as documented in
//! `schemas/IMPORT.md` and `schemas/import.schema.json`.
//!
//! Every row is checked before anything is written: unknown unit or item,
//! bad date, negative count, missing field… Nothing is imported unless every
//! row is valid, or `skip_invalid` is set and the skipped rows are listed.
//! Imported findings become events of this device, inside one visit per
//! reporter and unit, each marked with the file's SHA-256 and its row; a
//! row already in the ledger (same file and row, or the same finding from
//! another file) is never added twice.

mod catalog;
mod error;
mod plan;
mod raw;
mod validate;

pub use catalog::{Catalog, CatalogItem};
use error::said;
pub use error::{ImportError, RowProblem};
pub use plan::{Plan, plan};
pub use raw::{RawRow, read_csv, read_json};
pub use validate::{Checks, ValidRow, fingerprint, parse_time, validate};

use anfang_core::label::Label;
use anfang_ledger::Ledger;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// How to import.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Import the valid rows even when others are invalid (they are listed).
    pub skip_invalid: bool,
    /// Time zone of times written without an offset.
    pub tz: TimeZone,
    /// The import's time: claimed by its events; later findings are refused.
    pub now: Timestamp,
}

impl ImportOptions {
    /// Refuse invalid files, system time zone, now.
    pub fn new() -> ImportOptions {
        ImportOptions {
            skip_invalid: false,
            tz: TimeZone::try_system().unwrap_or(TimeZone::UTC),
            now: Timestamp::now(),
        }
    }
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions::new()
    }
}

/// The two file formats an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    /// CSV with a header row.
    Csv,
    /// JSON.
    Json,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportReport {
    /// The file.
    pub path: PathBuf,
    /// Its SHA-256, lowercase hex, as recorded in every imported finding.
    pub file_sha256: String,
    /// CSV or JSON.
    pub format: ImportFormat,
    /// Rows read (findings in the file).
    pub rows: u64,
    /// Findings added.
    pub imported: u64,
    /// Visits added to hold them.
    pub visits: u64,
    /// Invalid rows left out (only with `skip_invalid`).
    pub skipped: Vec<RowProblem>,
    /// Rows already in the ledger, left out.
    pub duplicates: Vec<RowProblem>,
}

/// Tells CSV from JSON by the name, else by the first character.
fn format_of(path: &Path, bytes: &[u8]) -> ImportFormat {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("json") => ImportFormat::Json,
        Some("csv") => ImportFormat::Csv,
        _ => {
            let body = bytes.strip_prefix(crate::BOM).unwrap_or(bytes);
            match body.iter().find(|b| !b.is_ascii_whitespace()) {
                Some(b'{' | b'[') => ImportFormat::Json,
                _ => ImportFormat::Csv,
            }
        }
    }
}

/// Checks the file at `path` against the ledger's units and the catalog's
/// items, and appends its findings in one transaction.
pub fn import_file(
    ledger: &mut Ledger,
    path: &Path,
    catalog: &Catalog,
    options: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    let bytes = std::fs::read(path).map_err(|source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let file_sha256 = hex::encode(Sha256::digest(&bytes));
    let format = format_of(path, &bytes);
    let bad_file = |reason: Label| ImportError::BadFile {
        path: path.to_path_buf(),
        reason,
    };
    let (raw_rows, mut problems) = match format {
        ImportFormat::Csv => read_csv(&bytes),
        ImportFormat::Json => read_json(&bytes),
    }
    .map_err(bad_file)?;
    let rows_read = (raw_rows.len() + problems.len()) as u64;
    if rows_read == 0 {
        return Err(bad_file(said(
            "文件中没有问题记录",
            "no findings in the file",
        )));
    }

    let units = ledger.known_units()?;
    let checks = Checks {
        catalog,
        units: &units,
        tz: &options.tz,
        now: options.now,
    };
    let already_rows: HashSet<u64> = ledger.imported_rows(&file_sha256)?.into_iter().collect();
    let mut already_content: HashSet<String> = HashSet::new();
    ledger.imported_findings(|unit, record| -> Result<(), ImportError> {
        if let Some(source) = &record.source {
            already_content.insert(fingerprint(
                &unit,
                &record.item.plugin_id,
                &record.item.item_id,
                record.observed_at,
                &record.input,
                record.subject.as_deref(),
                &record.note,
                source.reporter.as_deref().unwrap_or(""),
            ));
        }
        Ok(())
    })?;

    let mut duplicates = Vec::new();
    let mut valid = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for raw in &raw_rows {
        if already_rows.contains(&raw.row) {
            duplicates.push(RowProblem {
                row: raw.row,
                reason: said("已从此文件导入过", "already imported from this file"),
            });
            continue;
        }
        let row = match validate(raw, &checks) {
            Ok(row) => row,
            Err(reason) => {
                problems.push(RowProblem {
                    row: raw.row,
                    reason,
                });
                continue;
            }
        };
        if let Some(id) = row.finding_id
            && ledger.has_finding(id)?
        {
            duplicates.push(RowProblem {
                row: row.row,
                reason: said(
                    format!("问题记录 {id} 已在本台账中"),
                    format!("finding {id} is already in this ledger"),
                ),
            });
            continue;
        }
        let print = row.fingerprint();
        if already_content.contains(&print) {
            duplicates.push(RowProblem {
                row: row.row,
                reason: said(
                    "已从另一个文件导入过（单位、检查项、时间、情况说明和监督员都相同）",
                    "already imported from another file (same unit, item, time, note and reporter)",
                ),
            });
            continue;
        }
        if let Some(first) = seen.get(&print) {
            problems.push(RowProblem {
                row: row.row,
                reason: said(
                    format!("与第 {first} 行重复"),
                    format!("repeats row {first}"),
                ),
            });
            continue;
        }
        seen.insert(print, row.row);
        valid.push(row);
    }
    problems.sort_by_key(|p| p.row);

    if !problems.is_empty() && !options.skip_invalid {
        return Err(ImportError::Refused {
            path: path.to_path_buf(),
            rows: rows_read,
            problems,
        });
    }
    let plan = plan(&valid, &file_sha256);
    if !plan.events.is_empty() {
        let batch: Vec<_> = plan
            .events
            .into_iter()
            .map(|body| (None, body, options.now))
            .collect();
        ledger.append_batch(&batch)?;
    }
    Ok(ImportReport {
        path: path.to_path_buf(),
        file_sha256,
        format,
        rows: rows_read,
        imported: plan.findings,
        visits: plan.visits,
        skipped: problems,
        duplicates,
    })
}
