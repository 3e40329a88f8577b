//! `anfang verify [--full]`: check the whole ledger; exit 1 naming each problem.

use crate::cli::VerifyArgs;
use crate::context::Context;
use anfang_core::Lang;
use std::process::ExitCode;

/// Runs `anfang verify`.
pub fn run(ctx: &Context, args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let ledger = ctx.open_ledger()?;
    let report = ledger.verify(args.full)?;
    let zh = ctx.lang == Lang::Zh;
    for flag in &report.flags {
        println!(
            "{} {}",
            if zh { "标记" } else { "flag" },
            flag.line(ctx.lang)
        );
    }
    for problem in &report.problems {
        eprintln!("anfang: {problem}");
    }
    let verdict = match (zh, report.is_ok()) {
        (true, true) => "账本完好",
        (true, false) => "账本有问题",
        (false, true) => "ledger is sound",
        (false, false) => "ledger has problems",
    };
    if zh {
        println!(
            "{verdict}：{} 个事件，{} 台设备，核验签名 {} 个，核对证据文件 {} 个，问题 {} 个，标记 {} 个",
            report.events,
            report.devices,
            report.signatures_checked,
            report.blobs_checked,
            report.problems.len(),
            report.flags.len()
        );
    } else {
        println!(
            "{verdict}: {} events, {} devices, {} signatures checked, {} evidence files re-hashed, {} problems, {} flags",
            report.events,
            report.devices,
            report.signatures_checked,
            report.blobs_checked,
            report.problems.len(),
            report.flags.len()
        );
    }
    Ok(if report.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
