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
    append_in_time_order(&mut ledger, &plan)?;
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
    say!("{message}");
    Ok(ExitCode::SUCCESS)
}

/// Appends the plan's events in the order of their claimed times, so every
/// device's chain reads forward in time like a real laptop's. A correction
/// names the event id of the version it supersedes, known only once that
/// version is in: the batch is flushed before each correction.
fn append_in_time_order(
    ledger: &mut anfang_ledger::Ledger,
    plan: &generate::Plan,
) -> anyhow::Result<()> {
    let mut order: Vec<usize> = (0..plan.events.len()).collect();
    order.sort_by_key(|&index| (plan.events[index].claimed, index));
    let mut ids: std::collections::HashMap<usize, String> = std::collections::HashMap::new();
    let mut pending: Vec<usize> = Vec::new();
    let flush = |ledger: &mut anfang_ledger::Ledger,
                 pending: &mut Vec<usize>,
                 ids: &mut std::collections::HashMap<usize, String>|
     -> anyhow::Result<()> {
        let batch: Vec<_> = pending
            .iter()
            .map(|&index| {
                let event = &plan.events[index];
                let mut body = event.body.clone();
                if let (Some(original), anfang_core::event::EventBody::FindingRecorded(record)) =
                    (event.supersedes, &mut body)
                {
                    record.supersedes = ids.get(&original).cloned();
                }
                (Some(&plan.devices[event.device]), body, event.claimed)
            })
            .collect();
        for (index, id) in pending.drain(..).zip(ledger.append_batch(&batch)?) {
            ids.insert(index, id);
        }
        Ok(())
    };
    for index in order {
        if plan.events[index].supersedes.is_some() {
            flush(ledger, &mut pending, &mut ids)?;
        }
        pending.push(index);
    }
    flush(ledger, &mut pending, &mut ids)
}
