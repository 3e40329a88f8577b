//! `anfang import FILE [--skip-invalid]`: findings reported outside the app
//! (CSV or JSON, see schemas/IMPORT.md), checked row by row before anything
//! is written.

use crate::cli::ImportArgs;
use crate::context::Context;
use anfang_core::Lang;
use anfang_export::import::{Catalog, ImportError, ImportOptions, RowProblem, import_file};
use std::process::ExitCode;

fn row_line(lang: Lang, problem: &RowProblem) -> String {
    match lang {
        Lang::Zh => format!("第{}行：{}", problem.row, problem.reason.get(lang)),
        Lang::En => format!("row {}: {}", problem.row, problem.reason.get(lang)),
    }
}

/// Runs `anfang import`.
pub fn run(ctx: &Context, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let mut ledger = ctx.open_ledger()?;
    let registry = ctx.load_plugins();
    let catalog = Catalog::new(registry.manifests());
    let options = ImportOptions {
        skip_invalid: args.skip_invalid,
        ..ImportOptions::new()
    };
    let file = args.file.display();
    let report = match import_file(&mut ledger, &args.file, &catalog, &options) {
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
    for problem in &report.skipped {
        match ctx.lang {
            Lang::Zh => eprintln!("跳过 {}", row_line(ctx.lang, problem)),
            Lang::En => eprintln!("skipped {}", row_line(ctx.lang, problem)),
        }
    }
    for problem in &report.duplicates {
        match ctx.lang {
            Lang::Zh => println!("已在账本中，未重复导入 {}", row_line(ctx.lang, problem)),
            Lang::En => println!(
                "already in the ledger, not added again: {}",
                row_line(ctx.lang, problem)
            ),
        }
    }
    let (rows, imported, visits) = (report.rows, report.imported, report.visits);
    let (skipped, duplicates) = (report.skipped.len(), report.duplicates.len());
    let sha256 = &report.file_sha256;
    match ctx.lang {
        Lang::Zh => println!(
            "{file}：共 {rows} 行，导入 {imported} 条问题记录（{visits} 次检查），跳过 {skipped} 行，重复 {duplicates} 行；文件 SHA-256 {sha256}"
        ),
        Lang::En => println!(
            "{file}: {rows} rows, {imported} findings imported ({visits} visits), {skipped} skipped, {duplicates} already present; file SHA-256 {sha256}"
        ),
    }
    Ok(ExitCode::SUCCESS)
}
