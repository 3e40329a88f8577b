//! `anfang export --visit ID` (and `--notice UNIT`): one document for the
//! file, as a web page or a Word document.

use crate::context::Context;
use anfang_core::Lang;
use anfang_export::paper::{self, Paper};
use anfang_export::{ExportOptions, Format, LedgerSource};
use anyhow::Context as _;
use std::path::Path;
use std::process::ExitCode;
use uuid::Uuid;

/// Writes the record of visit `id`.
pub fn visit(
    ctx: &Context,
    ledger: &anfang_ledger::Ledger,
    options: &ExportOptions,
    id: &str,
    format: Format,
    out: &Path,
) -> anyhow::Result<ExitCode> {
    if let Some(code) = unfit(format) {
        return Ok(code);
    }
    let Ok(visit_id) = Uuid::parse_str(id.trim()) else {
        eprintln!("anfang: --visit '{id}' is not a visit id (a UUID such as 0192f3a4-…)");
        return Ok(ExitCode::from(2));
    };
    let record = paper::visit_record(ledger, visit_id, options)?;
    write(ctx, &record, format, out)
}

/// Writes the rectification notice to `unit`.
pub fn notice(
    ctx: &Context,
    ledger: &anfang_ledger::Ledger,
    options: &ExportOptions,
    unit: &str,
    format: Format,
    out: &Path,
) -> anyhow::Result<ExitCode> {
    if let Some(code) = unfit(format) {
        return Ok(code);
    }
    let source = LedgerSource::new(ledger, options.tz.clone());
    let notice = paper::notice(&source, unit, options)?;
    write(ctx, &notice, format, out)
}

/// A usage error when `format` cannot hold a document, said before any work.
fn unfit(format: Format) -> Option<ExitCode> {
    if matches!(format, Format::Html | Format::Docx) {
        return None;
    }
    eprintln!(
        "anfang: --format {} cannot hold this document: use html or docx",
        format.name()
    );
    Some(ExitCode::from(2))
}

fn write(ctx: &Context, paper: &Paper, format: Format, out: &Path) -> anyhow::Result<ExitCode> {
    paper::write_paper(paper, format, out)
        .with_context(|| format!("cannot export to {}", out.display()))?;
    match ctx.lang {
        Lang::Zh => say!("已写出《{}》到 {}", paper.title, out.display()),
        Lang::En => say!("wrote \"{}\" to {}", paper.title, out.display()),
    }
    Ok(ExitCode::SUCCESS)
}
