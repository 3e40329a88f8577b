//! `anfang bundle --out FILE`: this ledger's events and evidence in one file.

use crate::cli::BundleArgs;
use crate::context::Context;
use anfang_core::Lang;
use anyhow::Context as _;
use std::process::ExitCode;

/// Runs `anfang bundle`.
pub fn run(ctx: &Context, args: &BundleArgs) -> anyhow::Result<ExitCode> {
    let ledger = ctx.open_ledger()?;
    let summary = ledger
        .bundle(&args.out)
        .with_context(|| format!("cannot write bundle {}", args.out.display()))?;
    let line = match ctx.lang {
        Lang::Zh => format!(
            "已写入 {}：{} 个事件，{} 个证据文件，{} 台设备",
            summary.path.display(),
            summary.events,
            summary.blobs,
            summary.devices
        ),
        Lang::En => format!(
            "wrote {}: {} events, {} evidence files, {} devices",
            summary.path.display(),
            summary.events,
            summary.blobs,
            summary.devices
        ),
    };
    say!("{line}");
    Ok(ExitCode::SUCCESS)
}
