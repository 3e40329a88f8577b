//! `anfang deduct list|show|confirm|dismiss`: office deductions reviewed as
//! findings are. A deduction entered is pending (shown, not counted) until
//! a reviewer other than whoever entered it confirms it (then it counts) or
//! dismisses it with a reason (then it never counts).

use crate::cli::DeductAction;
use crate::context::Context;
use crate::out::{clean, line};
use anfang_core::Lang;
use anfang_core::office_deduction::{DeductionDecision, DeductionStatus};
use anfang_ledger::{DeductionRow, Ledger, short};
use anyhow::bail;
use serde_json::{Value, json};
use std::path::Path;
use std::process::ExitCode;

/// Runs one `deduct` subcommand.
pub fn run(ctx: &Context, action: &DeductAction) -> anyhow::Result<ExitCode> {
    match action {
        DeductAction::List { unit, json } => list(ctx, unit.as_deref(), *json),
        DeductAction::Show { id, save_evidence } => show(ctx, id, save_evidence.as_deref()),
        DeductAction::Confirm { id } => decide(ctx, id, DeductionDecision::Confirm),
        DeductAction::Dismiss { id, reason } => {
            let reason = reason.trim();
            if reason.is_empty() {
                bail!(if ctx.lang == Lang::Zh {
                    "--reason 为空：请写明驳回理由"
                } else {
                    "--reason is empty: say why the deduction does not stand"
                });
            }
            decide(
                ctx,
                id,
                DeductionDecision::Dismiss {
                    reason: reason.to_string(),
                },
            )
        }
    }
}

fn row_json(row: &DeductionRow) -> Value {
    json!({
        "id": row.deduction_id.to_string(),
        "unit": row.unit.name,
        "department": row.unit.department,
        "item": row.item,
        "section": row.section,
        "count": row.count,
        "points": row.points,
        "date": row.date,
        "status": row.status.as_str(),
        "entered_by": row.entered_by,
        "entry_counts": row.entry_counts,
        "reason": row.reason,
        "evidence": row.evidence.as_ref().map(|e| json!({
            "name": e.name,
            "sha256": e.sha256,
            "size": e.size,
            "stored": row.evidence_stored,
        })),
        "decisions": row.decisions.iter().map(|d| json!({
            "event": d.event_id,
            "decision": d.decision,
            "reason": d.reason,
            "reviewer": d.reviewer,
            "claimed_time": d.claimed_time,
            "counts": d.counts,
            "refusal": d.refusal,
        })).collect::<Vec<_>>(),
    })
}

fn list(ctx: &Context, unit: Option<&str>, as_json: bool) -> anyhow::Result<ExitCode> {
    let ledger = ctx.open_ledger()?;
    let rows = ledger.deductions(unit)?;
    if as_json {
        let items: Vec<Value> = rows.iter().map(row_json).collect();
        line(serde_json::to_string_pretty(&items)?);
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        line(if ctx.lang == Lang::Zh {
            "没有效能办扣分"
        } else {
            "no office deductions"
        });
    }
    for row in &rows {
        line(clean(&format!(
            "{}  {}  {} {}  -{}  {}  {}  {}  {}",
            row.deduction_id,
            row.unit.name,
            row.section,
            row.item,
            row.points,
            row.date,
            row.status.label().get(ctx.lang),
            row.entered_by,
            row.reason
        )));
    }
    Ok(ExitCode::SUCCESS)
}

fn show(ctx: &Context, id: &str, save: Option<&Path>) -> anyhow::Result<ExitCode> {
    let zh = ctx.lang == Lang::Zh;
    let ledger = ctx.open_ledger()?;
    let row = ledger.deduction(id)?;
    let (l_unit, l_item, l_points, l_date, l_status, l_by, l_reason, l_file) = if zh {
        (
            "单位",
            "扣分项",
            "扣分",
            "日期",
            "状态",
            "录入人",
            "理由",
            "佐证",
        )
    } else {
        (
            "unit",
            "item",
            "points",
            "date",
            "status",
            "entered by",
            "reason",
            "evidence",
        )
    };
    line(row.deduction_id);
    line(clean(&format!(
        "{l_unit}: {} {}",
        row.unit.name, row.unit.department
    )));
    line(clean(&format!(
        "{l_item}: {} {} x{}",
        row.section, row.item, row.count
    )));
    line(format!("{l_points}: -{}", row.points));
    line(format!("{l_date}: {}", row.date));
    line(format!("{l_status}: {}", row.status.label().get(ctx.lang)));
    line(clean(&format!("{l_by}: {}", row.entered_by)));
    line(clean(&format!("{l_reason}: {}", row.reason)));
    if let Some(e) = &row.evidence {
        let missing = match (row.evidence_stored, zh) {
            (true, _) => "",
            (false, true) => "（文件未存于本台账）",
            (false, false) => " (the file is not stored in this ledger)",
        };
        line(clean(&format!(
            "{l_file}: {} {} bytes sha256 {}{missing}",
            e.name, e.size, e.sha256
        )));
    }
    for d in &row.decisions {
        let verdict = match (&d.refusal, zh) {
            (None, _) if d.counts => String::new(),
            (None, true) => "  （等待）".to_string(),
            (None, false) => "  (waiting)".to_string(),
            (Some(why), true) => format!("  （不计：{why}）"),
            (Some(why), false) => format!("  (does not count: {why})"),
        };
        line(clean(&format!(
            "  {}  {}  {}{}{verdict}",
            d.claimed_time,
            d.decision,
            d.reviewer,
            d.reason
                .as_deref()
                .map(|r| format!("  {r}"))
                .unwrap_or_default()
        )));
    }
    if let Some(dir) = save {
        let Some(e) = &row.evidence else {
            bail!(if zh {
                format!("扣分 {} 没有佐证文件", row.deduction_id)
            } else {
                format!("deduction {} has no evidence file", row.deduction_id)
            });
        };
        let path = ledger.export_evidence(&e.sha256, &e.name, dir)?;
        line(path.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn decide(ctx: &Context, id: &str, decision: DeductionDecision) -> anyhow::Result<ExitCode> {
    let zh = ctx.lang == Lang::Zh;
    let mut ledger = ctx.open_ledger()?;
    let row = ledger.deduction(id)?;
    let wanted = match decision {
        DeductionDecision::Confirm => DeductionStatus::Confirmed,
        DeductionDecision::Dismiss { .. } => DeductionStatus::Dismissed,
    };
    if row.status == wanted {
        bail!(
            "{}: {}",
            row.deduction_id,
            if zh {
                format!("已是{}，未记录", wanted.label().get(ctx.lang))
            } else {
                format!("already {}; nothing recorded", wanted.as_str())
            }
        );
    }
    let person = allowed(ctx, &ledger, &row)?;
    let reviewer = if person.is_empty() {
        ctx.user_name.clone()
    } else {
        person
    };
    let event = ledger.review_deduction(
        row.deduction_id,
        &reviewer,
        decision,
        jiff::Timestamp::now(),
    )?;
    if let Some((en, zh_text)) = ledger.refusal_of(&event)? {
        bail!("{}: {}", row.deduction_id, if zh { zh_text } else { en });
    }
    let status = ledger.deduction(&row.deduction_id.to_string())?.status;
    line(if zh {
        format!("{}：{}", row.deduction_id, status.label().get(ctx.lang))
    } else {
        format!("{}: {}", row.deduction_id, status.label().get(ctx.lang))
    });
    Ok(ExitCode::SUCCESS)
}

/// The roster's person when this device may decide on the deduction
/// (empty in open mode), else a one-line error saying why not.
fn allowed(ctx: &Context, ledger: &Ledger, row: &DeductionRow) -> anyhow::Result<String> {
    match ledger.may_review_deduction(row.deduction_id)? {
        Ok(person) => Ok(person),
        Err(refusal) => bail!(
            "{} {}: {}",
            if ctx.lang == Lang::Zh {
                "设备"
            } else {
                "device"
            },
            format_args!("{}…", short(ledger.device_id())),
            refusal.text(ctx.lang)
        ),
    }
}
