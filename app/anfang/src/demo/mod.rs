//! `anfang demo`: realistic, deterministic demo data, so a newcomer sees a
//! populated app at once.
//!
//! Several laptops' worth of visits over five months of 2026 to units named
//! after the source documents, violations in realistic proportions, notes in
//! Chinese, a few corrections, and the office's review decisions on the older
//! findings. The same seed always gives the same events (and, since ed25519
//! signatures are deterministic, the same event ids).

mod content;
mod generate;
mod rng;

use crate::cli::DemoArgs;
use crate::context::Context;
use std::process::ExitCode;

/// Runs `anfang demo`.
pub fn run(ctx: &Context, args: &DemoArgs) -> anyhow::Result<ExitCode> {
    let mut ledger = ctx.open_ledger()?;
    let plan = generate::plan(args.visits, args.seed);
    if let Some(first) = plan.first_visit
        && ledger.visit(first)?.is_some()
    {
        anyhow::bail!(
            "demo data for seed {} is already in this ledger: pass another --seed",
            args.seed
        );
    }
    // Corrections name the event id of the version they supersede, known
    // only once that version is appended: originals go in first.
    let first_pass: Vec<_> = plan
        .events
        .iter()
        .filter(|event| event.supersedes.is_none())
        .map(|event| (Some(&plan.devices[event.device]), event.body.clone(), event.claimed))
        .collect();
    let ids = ledger.append_batch(&first_pass)?;
    let mut id_of = std::collections::HashMap::new();
    let originals = plan.events.iter().enumerate().filter(|(_, e)| e.supersedes.is_none());
    for ((index, _), id) in originals.zip(ids) {
        id_of.insert(index, id);
    }
    let corrections: Vec<_> = plan
        .events
        .iter()
        .filter_map(|event| {
            let original = id_of.get(&event.supersedes?)?;
            let mut body = event.body.clone();
            if let anfang_core::event::EventBody::FindingRecorded(record) = &mut body {
                record.supersedes = Some(original.clone());
            }
            Some((Some(&plan.devices[event.device]), body, event.claimed))
        })
        .collect();
    ledger.append_batch(&corrections)?;
    let message = match ctx.lang {
        anfang_core::Lang::Zh => format!(
            "已添加演示数据：{} 次检查，{} 条问题记录，{} 条审核决定（种子 {}）",
            plan.visits, plan.findings, plan.decisions, args.seed
        ),
        anfang_core::Lang::En => format!(
            "added demo data: {} visits, {} findings, {} review decisions (seed {})",
            plan.visits, plan.findings, plan.decisions, args.seed
        ),
    };
    println!("{message}");
    Ok(ExitCode::SUCCESS)
}
