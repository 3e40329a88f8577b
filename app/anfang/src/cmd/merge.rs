//! `anfang merge FILE...`: verify each bundle and merge it in one transaction.

use crate::cli::MergeArgs;
use crate::context::{Context, one_line};
use crate::out::{clean, line};
use anfang_core::Lang;
use anfang_ledger::{Ledger, LedgerError, MergeProgress, MergeReport};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

/// Runs `anfang merge`. Each bundle is merged or refused on its own; the
/// exit status is 1 if any was refused, or if the merges could not be
/// written out to the disk at the end.
pub fn run(ctx: &Context, args: &MergeArgs) -> anyhow::Result<ExitCode> {
    let mut ledger = ctx.open_ledger()?;
    let mut refused = 0;
    // Progress only where a person watches; scripts get the report alone.
    let live = std::io::stderr().is_terminal();
    for file in &args.files {
        let mut progress = |p: MergeProgress| {
            if let (true, MergeProgress::Events { done, total }) = (live, p) {
                eprint!("\r{}: {done}/{total}", file.display());
                let _ = std::io::stderr().flush();
            }
        };
        let result = ledger.merge(file, &mut progress);
        if live {
            eprint!("\r\x1b[K");
        }
        match result {
            Ok(report) => print_report(ctx.lang, &ledger, &report),
            Err(LedgerError::BadBundle { kind, reason, .. }) if ctx.lang == Lang::Zh => {
                refused += 1;
                eprintln!(
                    "anfang: 导出包 {} 已拒绝，未合并任何内容：{}（{}）",
                    file.display(),
                    kind.label(ctx.lang),
                    clean(&one_line(&reason))
                );
            }
            Err(err) => {
                refused += 1;
                eprintln!("anfang: {}", crate::report::ledger_error(&err, ctx.lang));
            }
        }
    }
    // Each merge committed without waiting for the disk: wait once, now.
    if let Err(e) = ledger.sync() {
        let text = crate::report::ledger_error(&e, ctx.lang);
        match ctx.lang {
            Lang::Zh => {
                eprintln!("anfang: 合并的内容可能尚未写入磁盘，请保留导出包并重新合并：{text}")
            }
            Lang::En => eprintln!(
                "anfang: the merges may not be on the disk yet; keep the bundle files and merge them again: {text}"
            ),
        }
        return Ok(ExitCode::FAILURE);
    }
    Ok(if refused == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Who a device is: the roster's name and the short fingerprint; in open
/// mode the team leads its visits name (free text, cleaned).
pub fn device_name(lang: Lang, ledger: &Ledger, device: &str, inspectors: &[String]) -> String {
    let name = ledger
        .authority()
        .signer(device)
        .describe(lang, device, &inspectors.join("、"));
    // Names came from a bundle: no escape sequence reaches the terminal.
    clean(&name).into_owned()
}

fn print_report(lang: Lang, ledger: &Ledger, report: &MergeReport) {
    let zh = lang == Lang::Zh;
    if zh {
        line(format!(
            "{}：包内 {} 个事件，新增 {} 个事件、{} 个证据文件（核验签名 {} 个）",
            report.bundle.display(),
            report.events_in_bundle,
            report.events_added,
            report.blobs_added,
            report.signatures_checked
        ));
    } else {
        line(format!(
            "{}: {} events in bundle, {} new events, {} new evidence files ({} signatures checked)",
            report.bundle.display(),
            report.events_in_bundle,
            report.events_added,
            report.blobs_added,
            report.signatures_checked
        ));
    }
    for device in &report.devices {
        let who = device_name(lang, ledger, &device.device_id, &device.inspectors);
        if zh {
            line(format!(
                "  {}：检查 {}，问题记录 {}，证据 {}，审核 {}",
                who,
                device.visits_added,
                device.findings_added,
                device.evidence_added,
                device.reviews_added
            ));
        } else {
            line(format!(
                "  {}: visits {}, findings {}, evidence {}, reviews {}",
                who,
                device.visits_added,
                device.findings_added,
                device.evidence_added,
                device.reviews_added
            ));
        }
    }
    for flag in &report.flags {
        let mark = if zh { "标记" } else { "flag" };
        line(format!("  {mark} {}", clean(&flag.line(lang))));
    }
}
