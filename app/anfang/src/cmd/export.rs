//! `anfang export --format csv|xlsx|json|html|docx --out FILE [filters]`:
//! findings, scores and rectifications to the office's formats.

use crate::cli::{ExportArgs, ExportFormat};
use crate::cmd::export_paper as paper;
use crate::context::Context;
use anfang_core::Lang;
use anfang_export::{
    ExportError, ExportOptions, Format, LedgerSource, OfficeDocs, PseudonymKey, export,
};
use anyhow::Context as _;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Runs `anfang export`.
pub fn run(ctx: &Context, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let mut options = match options(ctx, args) {
        Ok(options) => options,
        Err(err) => {
            // A bad option value is a usage error.
            eprintln!("anfang: {err}");
            return Ok(ExitCode::from(2));
        }
    };
    let ledger = ctx.open_ledger()?;
    if let Some(number) = &args.bulletin {
        // Cut and dated as it was issued: the same text again.
        let issued = crate::cmd::bulletin::find(ctx, &ledger, number)?.record;
        options.from = issued.from;
        options.to = issued.to;
        options.unit = issued.unit;
        options.department = issued.department;
        options.today = issued.date;
        // It carries the 文号 it was issued under, whatever the pattern says.
        options.office_docs.number_pattern = Some(number.clone());
    }
    if let Some(visit) = &args.visit {
        return paper::visit(
            ctx,
            &ledger,
            &options,
            visit,
            format(args.format),
            &args.out,
        );
    }
    if let Some(unit) = &args.notice {
        let mut named = options.clone();
        named.unit = Some(unit.clone());
        check_names(&ledger, &named)?;
        return paper::notice(ctx, &ledger, &options, unit, format(args.format), &args.out);
    }
    check_names(&ledger, &options)?;
    if options.anonymize {
        // The data folder's own key: the same person, the same pseudonym,
        // in every export made from here.
        options.pseudonym_key = Some(PseudonymKey::load_or_create(&ctx.data_dir)?);
    }
    let source = LedgerSource::new(&ledger, options.tz.clone());
    let mut bar = Bar::new(ctx.lang);
    let result = export(
        &source,
        &options,
        format(args.format),
        &args.out,
        &mut |done, total| {
            bar.show(done, total);
        },
    );
    bar.clear();
    let summary = result.with_context(|| format!("cannot export to {}", args.out.display()))?;
    match ctx.lang {
        // Findings as Review counts them (violations); rows as the file holds them.
        Lang::Zh => say!(
            "已导出 {} 行到 {}：{} 条问题，合规/不适用 {} 行",
            summary.rows,
            summary.path.display(),
            summary.violations,
            summary.rows.saturating_sub(summary.violations)
        ),
        Lang::En => say!(
            "exported {} rows to {}: {} findings, {} compliant or not applicable",
            summary.rows,
            summary.path.display(),
            summary.violations,
            summary.rows.saturating_sub(summary.violations)
        ),
    }
    Ok(ExitCode::SUCCESS)
}

fn format(format: ExportFormat) -> Format {
    match format {
        ExportFormat::Csv => Format::Csv,
        ExportFormat::Xlsx => Format::Xlsx,
        ExportFormat::Json => Format::Json,
        ExportFormat::Html => Format::Html,
        ExportFormat::Docx => Format::Docx,
    }
}

fn options(ctx: &Context, args: &ExportArgs) -> Result<ExportOptions, ExportError> {
    let mut options = ExportOptions::new(ctx.lang);
    options.deadline_warning_days = ctx.deadline_warning_days;
    options.from = args
        .from
        .as_deref()
        .map(|d| ExportOptions::parse_date("--from", d))
        .transpose()?;
    options.to = args
        .to
        .as_deref()
        .map(|d| ExportOptions::parse_date("--to", d))
        .transpose()?;
    options.status = args
        .status
        .as_deref()
        .map(ExportOptions::parse_status)
        .transpose()?;
    if let Some(date) = &args.date {
        options.today = ExportOptions::parse_date("--date", date)?;
    }
    options.unit = args.unit.clone();
    options.department = args.department.clone();
    options.anonymize = args.anonymize;
    options.include_compliant = args.include_compliant;
    let docs = &ctx.documents;
    let pick = |flag: &Option<String>, set: &Option<String>| {
        flag.clone()
            .or_else(|| set.clone())
            .filter(|v| !v.trim().is_empty())
    };
    options.issuer = pick(&args.issuer, &docs.issuer);
    options.office_docs = OfficeDocs {
        addressees: pick(&args.addressees, &docs.addressees),
        copies: pick(&args.copies, &docs.copies),
        number_pattern: pick(&args.number_pattern, &docs.number_pattern),
        serial: pick(&args.serial, &None),
        printer: pick(&None, &docs.printer),
    };
    options
        .office_docs
        .check()
        .map_err(|e| ExportError::BadOption(e.to_string()))?;
    // Checks the period once here, so a reversed one is a usage error.
    options.filter()?;
    Ok(options)
}

/// A unit or department the ledger has never seen would give an empty
/// export that looks like good news: refuse it by name instead.
fn check_names(ledger: &anfang_ledger::Ledger, options: &ExportOptions) -> anyhow::Result<()> {
    if options.unit.is_none() && options.department.is_none() {
        return Ok(());
    }
    let units = ledger.known_units()?;
    if let Some(unit) = &options.unit
        && !units.iter().any(|u| &u.name == unit)
    {
        anyhow::bail!("no unit named '{unit}' in the ledger");
    }
    if let Some(department) = &options.department
        && !units.iter().any(|u| &u.department == department)
    {
        anyhow::bail!("no department named '{department}' in the ledger");
    }
    Ok(())
}

/// A one-line progress bar on stderr, shown only on a terminal and only
/// once an export has run long enough to need one.
struct Bar {
    lang: Lang,
    on_terminal: bool,
    started: Instant,
    last: Option<Instant>,
}

impl Bar {
    /// Quiet for exports shorter than this.
    const AFTER: Duration = Duration::from_millis(500);
    /// Redraws at most this often.
    const EVERY: Duration = Duration::from_millis(100);
    const WIDTH: u64 = 30;

    fn new(lang: Lang) -> Bar {
        Bar {
            lang,
            on_terminal: std::io::stderr().is_terminal(),
            started: Instant::now(),
            last: None,
        }
    }

    fn show(&mut self, done: u64, total: u64) {
        let now = Instant::now();
        if !self.on_terminal
            || now.duration_since(self.started) < Self::AFTER
            || self
                .last
                .is_some_and(|last| now.duration_since(last) < Self::EVERY)
        {
            return;
        }
        self.last = Some(now);
        let total = total.max(done).max(1);
        let filled = done * Self::WIDTH / total;
        let bar: String = (0..Self::WIDTH)
            .map(|i| if i < filled { '#' } else { '-' })
            .collect();
        let label = match self.lang {
            Lang::Zh => "导出",
            Lang::En => "exporting",
        };
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r{label} [{bar}] {done}/{total} ({}%)",
            done * 100 / total
        );
        let _ = err.flush();
    }

    fn clear(&self) {
        if self.on_terminal && self.last.is_some() {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
        }
    }
}
