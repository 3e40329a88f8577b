//! `anfang verify [--full]`: check the whole ledger; exit 1 naming each problem.

use crate::cli::VerifyArgs;
use crate::context::Context;
use crate::out::{clean, line};
use anfang_core::Lang;
use anfang_ledger::short;
use std::process::ExitCode;

/// Runs `anfang verify`.
pub fn run(ctx: &Context, args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let ledger = ctx.open_ledger()?;
    let report = ledger.verify(args.full)?;
    let zh = ctx.lang == Lang::Zh;
    for flag in &report.flags {
        line(format!(
            "{} {}",
            if zh { "标记" } else { "flag" },
            clean(&flag.line(ctx.lang))
        ));
    }
    for problem in &report.problems {
        eprintln!("anfang: {}", clean(&problem.to_string()));
    }
    // Events kept that count for nothing: each named, and the ledger is
    // not called sound while any stands.
    let refused = ledger.refused_events()?;
    for r in &refused {
        let (class, reason) = match (zh, r.class.as_str()) {
            (true, "unauthorized") => ("未授权", &r.reason_zh),
            (true, _) => ("无效", &r.reason_zh),
            (false, class) => (class, &r.reason),
        };
        eprintln!(
            "anfang: {class} {} {}#{} {}: {}",
            r.kind,
            short(&r.device),
            r.seq,
            short(&r.event_id),
            clean(reason)
        );
    }
    let authority = match (zh, ledger.authority().is_office()) {
        (true, true) => "本账本由效能办名册授权".to_string(),
        (true, false) => "开放模式：未绑定效能办，任何设备签名的事件均计入".to_string(),
        (false, true) => "office roster in force".to_string(),
        (false, false) => "open mode: no office pinned, every signed event counts".to_string(),
    };
    line(authority);
    let sound = report.is_ok() && refused.is_empty();
    let verdict = match (zh, sound) {
        (true, true) => "账本完好",
        (true, false) => "账本有问题",
        (false, true) => "ledger is sound",
        (false, false) => "ledger has problems",
    };
    if zh {
        line(format!(
            "{verdict}：{} 个事件，{} 台设备，核验签名 {} 个，核对证据文件 {} 个，问题 {} 个，标记 {} 个",
            report.events,
            report.devices,
            report.signatures_checked,
            report.blobs_checked,
            report.problems.len() + refused.len(),
            report.flags.len()
        ));
    } else {
        line(format!(
            "{verdict}: {} events, {} devices, {} signatures checked, {} evidence files re-hashed, {} problems, {} flags",
            report.events,
            report.devices,
            report.signatures_checked,
            report.blobs_checked,
            report.problems.len() + refused.len(),
            report.flags.len()
        ));
    }
    Ok(if sound {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
