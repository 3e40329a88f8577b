//! One export from start to finish: filter, pseudonyms, progress, and a
//! file that appears only when it is complete.

use crate::anonymize::{PseudonymKey, Pseudonyms};
use crate::error::ExportError;
use crate::options::{ExportOptions, Filter, Format};
use crate::row::{ExportRow, RectificationRow, UnitScore};
use crate::source::ExportSource;
use crate::{bulletin, csv_out, json_out, xlsx_out};
use anfang_core::finding::FindingResult;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// How often progress is reported, in rows.
const PROGRESS_EVERY: u64 = 4096;

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportSummary {
    /// The file written.
    pub path: PathBuf,
    /// Rows written: one per checklist result recorded, violations,
    /// compliant and not-applicable results alike.
    pub rows: u64,
    /// Of those, violations: what Review counts as findings for the same filter.
    pub violations: u64,
}

/// Exports the findings of `source` selected by `options` to `out` in
/// `format`. `progress(done, total)` hears about findings written.
///
/// The output is written beside `out` under a temporary name and renamed
/// into place only when complete, so a failed export leaves no half file.
pub fn export(
    source: &dyn ExportSource,
    options: &ExportOptions,
    format: Format,
    out: &Path,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<ExportSummary, ExportError> {
    let filter = options.filter()?;
    // Said before any work, and about the folder rather than the
    // temporary file that could not be created in it.
    if let Some(folder) = out.parent()
        && !folder.as_os_str().is_empty()
        && !folder.is_dir()
    {
        return Err(ExportError::NoFolder(folder.to_path_buf()));
    }
    let pseudonyms = match (options.anonymize, &options.pseudonym_key) {
        (false, _) => None,
        (true, Some(key)) => Some(Pseudonyms::new(options.lang, key.clone())),
        (true, None) => Some(Pseudonyms::new(options.lang, PseudonymKey::random()?)),
    };
    let partial = partial_path(out);
    let mut job = Job {
        source,
        options,
        filter,
        pseudonyms,
        progress,
        total: 0,
        done: 0,
        violations: 0,
        violations_only: false,
    };
    job.total = source.count_findings(&job.filter)?;
    (job.progress)(0, job.total);
    finish_whole(out, &partial, write_format(&mut job, format, &partial))?;
    (job.progress)(job.done, job.total);
    Ok(ExportSummary {
        path: out.to_path_buf(),
        rows: job.done,
        violations: job.violations,
    })
}

/// What the bulletin draft of `options` names for work-style problems
/// (the units and findings of its typical problems), computed exactly as
/// the draft is, so an issued bulletin's record matches its text.
pub fn bulletin_named(
    source: &dyn ExportSource,
    options: &ExportOptions,
) -> Result<bulletin::Named, ExportError> {
    let filter = options.filter()?;
    let mut quiet = |_: u64, _: u64| {};
    let mut job = Job {
        source,
        options,
        filter,
        pseudonyms: None,
        progress: &mut quiet,
        total: 0,
        done: 0,
        violations: 0,
        violations_only: false,
    };
    bulletin::named(&mut job)
}

/// Writes a file through `write`, which gets a temporary path beside
/// `out`; the file appears at `out` only when complete.
pub(crate) fn write_whole(
    out: &Path,
    write: impl FnOnce(&Path) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    if let Some(folder) = out.parent()
        && !folder.as_os_str().is_empty()
        && !folder.is_dir()
    {
        return Err(ExportError::NoFolder(folder.to_path_buf()));
    }
    let partial = partial_path(out);
    finish_whole(out, &partial, write(&partial))
}

/// Renames a complete file into place, or removes what a failed write left.
fn finish_whole(
    out: &Path,
    partial: &Path,
    written: Result<(), ExportError>,
) -> Result<(), ExportError> {
    if let Err(err) = written {
        let _ = std::fs::remove_file(partial);
        return Err(err);
    }
    std::fs::rename(partial, out).map_err(|source| ExportError::Io {
        path: out.to_path_buf(),
        source,
    })
}

fn partial_path(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    out.with_file_name(format!(".{name}.{}.partial", std::process::id()))
}

fn write_format(job: &mut Job<'_>, format: Format, path: &Path) -> Result<(), ExportError> {
    let io_error = |source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    };
    match format {
        Format::Xlsx => xlsx_out::write(job, path),
        Format::Docx => {
            let mut file = File::create(path).map_err(io_error)?;
            bulletin::write_docx(job, &mut file)?;
            file.sync_all().map_err(io_error)?;
            Ok(())
        }
        Format::Csv | Format::Json | Format::Html => {
            let file = File::create(path).map_err(io_error)?;
            let mut out = BufWriter::with_capacity(1 << 16, file);
            match format {
                Format::Csv => csv_out::write(job, &mut out)?,
                Format::Json => json_out::write(job, &mut out)?,
                _ => bulletin::write_html(job, &mut out)?,
            }
            let file = out.into_inner().map_err(|e| io_error(e.into_error()))?;
            file.sync_all().map_err(io_error)?;
            Ok(())
        }
    }
}

/// The state of one export, handed to the format writers.
pub(crate) struct Job<'a> {
    pub(crate) source: &'a dyn ExportSource,
    pub(crate) options: &'a ExportOptions,
    pub(crate) filter: Filter,
    pseudonyms: Option<Pseudonyms>,
    progress: &'a mut dyn FnMut(u64, u64),
    total: u64,
    done: u64,
    violations: u64,
    /// Findings other than violations are passed over (and not counted as
    /// written): the XLSX printout's default.
    pub(crate) violations_only: bool,
}

impl Job<'_> {
    /// Streams the selected findings, pseudonymized when asked, counting
    /// progress.
    pub(crate) fn each_finding(
        &mut self,
        each: &mut dyn FnMut(&ExportRow) -> Result<(), ExportError>,
    ) -> Result<(), ExportError> {
        let Job {
            source,
            filter,
            pseudonyms,
            progress,
            total,
            done,
            violations,
            violations_only,
            ..
        } = self;
        source.for_each_finding(filter, &mut |mut row| {
            if *violations_only && row.result != FindingResult::Violation {
                return Ok(());
            }
            if let Some(pseudonyms) = pseudonyms.as_mut() {
                pseudonyms.finding(&mut row);
            }
            each(&row)?;
            *done += 1;
            if row.result == FindingResult::Violation {
                *violations += 1;
            }
            if *done % PROGRESS_EVERY == 0 {
                progress(*done, (*total).max(*done));
            }
            Ok(())
        })
    }

    /// Streams the selected rectifications, pseudonymized when asked.
    pub(crate) fn each_rectification(
        &mut self,
        each: &mut dyn FnMut(&RectificationRow) -> Result<(), ExportError>,
    ) -> Result<(), ExportError> {
        let Job {
            source,
            filter,
            pseudonyms,
            ..
        } = self;
        source.for_each_rectification(filter, &mut |mut row| {
            if let Some(pseudonyms) = pseudonyms.as_mut() {
                pseudonyms.rectification(&mut row);
            }
            each(&row)
        })
    }

    /// Units ranked for the period (scores count every status).
    pub(crate) fn unit_scores(&self) -> Result<Vec<UnitScore>, ExportError> {
        self.source.unit_scores(&self.filter)
    }
}
