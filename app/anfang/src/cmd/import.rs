//! `anfang import FILE [--skip-invalid] [--sheet NAME]`: findings reported
//! outside the app (XLSX, CSV or JSON, see schemas/IMPORT.md), checked row
//! by row before anything is written; `anfang import --template FILE.xlsx`
//! writes a workbook to hand to volunteers.

use crate::cli::ImportArgs;
use crate::context::Context;
use anfang_core::Lang;
use anfang_export::import::{
    Catalog, ImportError, ImportOptions, ImportReport, RowProblem, import_file, write_template,
};
use std::path::Path;
use std::process::ExitCode;

fn row_line(lang: Lang, problem: &RowProblem) -> String {
    match lang {
        Lang::Zh => format!("第{}行：{}", problem.row, problem.reason.get(lang)),
        Lang::En => format!("row {}: {}", problem.row, problem.reason.get(lang)),
    }
}

/// Runs `anfang import`.
pub fn run(ctx: &Context, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let ledger = ctx.open_ledger()?;
    let registry = ctx.load_plugins();
    let catalog = Catalog::new(registry.manifests());
    if let Some(out) = &args.template {
        return template(ctx, &ledger, &catalog, out);
    }
    let Some(path) = &args.file else {
        anyhow::bail!("no file to import");
    };
    let mut ledger = ledger;
    let options = ImportOptions {
        skip_invalid: args.skip_invalid,
        sheet: args.sheet.clone(),
        ..ImportOptions::new()
    };
    let file = path.display();
    let report = match import_file(&mut ledger, path, &catalog, &options) {
        Ok(report) => report,
        Err(ImportError::Refused {
            path,
            rows,
            problems,
        }) => {
            for problem in &problems {
                eprintln!("anfang: {file}: {}", row_line(ctx.lang, problem));
            }
            match ctx.lang {
                Lang::Zh => eprintln!(
                    "anfang: {file}：{rows} 行中有 {} 行无效，未导入任何内容（请修改，或加 --skip-invalid 导入其余各行）",
                    problems.len()
                ),
                Lang::En => eprintln!(
                    "anfang: {}",
                    ImportError::Refused {
                        path,
                        rows,
                        problems,
                    }
                ),
            }
            return Ok(ExitCode::FAILURE);
        }
        Err(ImportError::BadFile { reason, .. }) if ctx.lang == Lang::Zh => {
            eprintln!("anfang: {file}：{}，未导入任何内容", reason.zh);
            return Ok(ExitCode::FAILURE);
        }
        Err(err) => return Err(err.into()),
    };
    say_report(ctx.lang, &file.to_string(), &report);
    Ok(ExitCode::SUCCESS)
}

/// What was read and what was added, in the user's language.
fn say_report(lang: Lang, file: &str, report: &ImportReport) {
    let zh = lang == Lang::Zh;
    if !report.ignored_columns.is_empty() {
        let names: Vec<String> = report
            .ignored_columns
            .iter()
            .map(|(name, hint)| match (hint, zh) {
                (Some(hint), true) => format!("{name}（是不是'{hint}'？）"),
                (Some(hint), false) => format!("{name} (did you mean '{hint}'?)"),
                (None, _) => name.clone(),
            })
            .collect();
        if zh {
            say!("未读取的列：{}", names.join("、"));
        } else {
            say!("columns not read: {}", names.join(", "));
        }
    }
    if report.default_time_rows > 0 {
        let n = report.default_time_rows;
        if zh {
            say!("{n} 行只写了日期，按当天 9:00 计");
        } else {
            say!("{n} rows gave a date without a time: 09:00 was taken");
        }
    }
    if report.year_taken_rows > 0 {
        let n = report.year_taken_rows;
        if zh {
            say!("{n} 行的日期没有年份，取不晚于今天的最近一年");
        } else {
            say!("{n} rows gave a date without a year: the latest year not after today was taken");
        }
    }
    for problem in &report.skipped {
        match lang {
            Lang::Zh => eprintln!("跳过 {}", row_line(lang, problem)),
            Lang::En => eprintln!("skipped {}", row_line(lang, problem)),
        }
    }
    for problem in &report.duplicates {
        match lang {
            Lang::Zh => say!("已在账本中，未重复导入 {}", row_line(lang, problem)),
            Lang::En => say!(
                "already in the ledger, not added again: {}",
                row_line(lang, problem)
            ),
        }
    }
    let unlisted = report.duplicate_rows - report.duplicates.len() as u64;
    if unlisted > 0 {
        if zh {
            say!("另有 {unlisted} 行已在账本中，未一一列出");
        } else {
            say!("and {unlisted} more rows already in the ledger, not listed");
        }
    }
    let (rows, imported, visits) = (report.rows, report.imported, report.visits);
    let (skipped, duplicates) = (report.skipped.len(), report.duplicate_rows);
    let sha256 = &report.file_sha256;
    let encoding = report
        .encoding
        .as_deref()
        .map(|e| {
            if zh {
                format!("，编码 {e}")
            } else {
                format!(", encoding {e}")
            }
        })
        .unwrap_or_default();
    match lang {
        Lang::Zh => say!(
            "{file}：共 {rows} 行，导入 {imported} 条问题记录（{visits} 次检查），跳过 {skipped} 行，重复 {duplicates} 行；文件 SHA-256 {sha256}{encoding}"
        ),
        Lang::En => say!(
            "{file}: {rows} rows, {imported} findings imported ({visits} visits), {skipped} skipped, {duplicates} already present; file SHA-256 {sha256}{encoding}"
        ),
    }
}

/// `anfang import --template FILE.xlsx`.
fn template(
    ctx: &Context,
    ledger: &anfang_ledger::Ledger,
    catalog: &Catalog,
    out: &Path,
) -> anyhow::Result<ExitCode> {
    let units = ledger.known_units()?;
    let options = ImportOptions::new();
    write_template(out, &units, catalog, options.now, &options.tz)
        .map_err(|e| anyhow::anyhow!("{}: {e}", out.display()))?;
    match ctx.lang {
        Lang::Zh => say!(
            "已写出导入模板 {}：{} 个单位，{} 个检查项",
            out.display(),
            units.len(),
            catalog.items().len()
        ),
        Lang::En => say!(
            "import template written to {}: {} units, {} items",
            out.display(),
            units.len(),
            catalog.items().len()
        ),
    }
    Ok(ExitCode::SUCCESS)
}
