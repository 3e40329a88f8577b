//! `anfang report --year 2026 [--format md|html|docx] [--out FILE]`: the
//! year's summary as the office reports it (see `paper::year_summary`).

use crate::cli::{ReportArgs, ReportFormat};
use crate::context::Context;
use anfang_core::Lang;
use anfang_export::paper::{self, OutcomeCounts, YearRecords};
use anfang_export::{ExportOptions, Format, LedgerSource};
use anyhow::Context as _;
use std::process::ExitCode;

/// Runs `anfang report`.
pub fn run(ctx: &Context, args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let mut options = ExportOptions::new(ctx.lang);
    if let Some(date) = &args.date {
        match ExportOptions::parse_date("--date", date) {
            Ok(day) => options.today = day,
            Err(err) => {
                eprintln!("anfang: {err}");
                return Ok(ExitCode::from(2));
            }
        }
    }
    options.issuer = ctx.documents.issuer.clone();
    let ledger = ctx.open_ledger()?;
    let source = LedgerSource::new(&ledger, options.tz.clone());
    let records = YearRecords {
        outcomes: year_outcomes(ctx.lang, &ledger, args.year)?,
        bulletins: ledger
            .bulletins()?
            .iter()
            .filter(|b| b.record.date.year() == args.year)
            .count() as u64,
    };
    let summary = paper::year_summary(&source, args.year, &records, &options)?;
    let Some(out) = &args.out else {
        if args.format != ReportFormat::Md {
            eprintln!(
                "anfang: --format {} needs --out FILE",
                if args.format == ReportFormat::Html {
                    "html"
                } else {
                    "docx"
                }
            );
            return Ok(ExitCode::from(2));
        }
        print!("{}", paper::render_markdown(&summary));
        return Ok(ExitCode::SUCCESS);
    };
    let written = match args.format {
        ReportFormat::Md => paper::write_markdown(&summary, out),
        ReportFormat::Html => paper::write_paper(&summary, Format::Html, out),
        ReportFormat::Docx => paper::write_paper(&summary, Format::Docx, out),
    };
    written.with_context(|| format!("cannot write {}", out.display()))?;
    match ctx.lang {
        Lang::Zh => say!("已写出《{}》到 {}", summary.title, out.display()),
        Lang::En => say!("wrote \"{}\" to {}", summary.title, out.display()),
    }
    Ok(ExitCode::SUCCESS)
}

/// The counting accountability outcomes decided in `year`, by kind in words.
fn year_outcomes(
    lang: Lang,
    ledger: &anfang_ledger::Ledger,
    year: i16,
) -> anyhow::Result<OutcomeCounts> {
    let from = jiff::civil::Date::new(year, 1, 1)
        .with_context(|| format!("--year {year} is not a year"))?;
    let to = jiff::civil::Date::new(year, 12, 31)
        .with_context(|| format!("--year {year} is not a year"))?;
    Ok(ledger
        .outcome_counts(from, to)?
        .into_iter()
        .map(|(kind, n)| (kind.label().get(lang).to_string(), n))
        .collect())
}
