//! `anfang review history ID` and `anfang review recheck ID`: a finding's
//! whole life for scripts and people, and the follow-up visit (复查) that
//! re-checks it.

use crate::cli::RecheckArgs;
use crate::context::Context;
use crate::out::{clean, line};
use anfang_core::Lang;
use anfang_core::review::{Checked, Decision};
use anfang_ledger::Ledger;
use anyhow::bail;
use serde_json::json;
use std::process::ExitCode;

fn finding_id(text: &str) -> anyhow::Result<uuid::Uuid> {
    text.parse()
        .map_err(|_| anyhow::anyhow!("'{text}' is not a finding id"))
}

/// What was checked, in words.
fn checked(lang: Lang, checked: &Checked) -> String {
    match (checked, lang) {
        (Checked::Report, Lang::Zh) => "核查整改报告".into(),
        (Checked::Report, Lang::En) => "checked the report".into(),
        (Checked::Recheck { visit_id }, Lang::Zh) => format!("复查检查 {visit_id}"),
        (Checked::Recheck { visit_id }, Lang::En) => format!("re-check visit {visit_id}"),
    }
}

/// One decision in a line of the user's language.
fn describe(lang: Lang, decision: &Decision) -> String {
    let zh = lang == Lang::Zh;
    let files = |n: usize| match (n, zh) {
        (0, _) => String::new(),
        (n, true) => format!("（附 {n} 个文件）"),
        (n, false) => format!(" ({n} file(s))"),
    };
    match decision {
        Decision::Confirm { points: Some(p) } if zh => format!("确认（每次 {p} 分）"),
        Decision::Confirm { points: Some(p) } => format!("confirmed ({p} per count)"),
        Decision::Confirm { points: None } if zh => "确认".into(),
        Decision::Confirm { points: None } => "confirmed".into(),
        Decision::Dismiss { reason } if zh => format!("驳回：{reason}"),
        Decision::Dismiss { reason } => format!("dismissed: {reason}"),
        Decision::RequireRectification {
            deadline,
            rejected: None,
        } if zh => format!("限期整改至 {deadline}"),
        Decision::RequireRectification {
            deadline,
            rejected: None,
        } => format!("rectification required by {deadline}"),
        Decision::RequireRectification {
            deadline,
            rejected: Some(r),
        } if zh => format!(
            "整改未通过（{}）：{}；重新限期至 {deadline}",
            checked(lang, &r.checked),
            r.reason
        ),
        Decision::RequireRectification {
            deadline,
            rejected: Some(r),
        } => format!(
            "rectification not accepted ({}): {}; new deadline {deadline}",
            checked(lang, &r.checked),
            r.reason
        ),
        Decision::MarkRectified { note, .. } if zh => {
            format!("单位整改报告：{note}{}", files(decision.files().len()))
        }
        Decision::MarkRectified { note, .. } => {
            format!("unit's report: {note}{}", files(decision.files().len()))
        }
        Decision::VerifyRectification { checked: c } => {
            let what = c.as_ref().map(|c| checked(lang, c));
            match (what, zh) {
                (Some(w), true) => format!("整改已验收（{w}）"),
                (None, true) => "整改已验收".into(),
                (Some(w), false) => format!("rectification verified ({w})"),
                (None, false) => "rectification verified".into(),
            }
        }
        Decision::Appeal { reason, .. } if zh => {
            format!("单位申诉：{reason}{}", files(decision.files().len()))
        }
        Decision::Appeal { reason, .. } => {
            format!("unit's appeal: {reason}{}", files(decision.files().len()))
        }
        Decision::DecideAppeal {
            upheld: true,
            reason,
        } if zh => {
            format!("申诉复核成立，问题撤销：{reason}")
        }
        Decision::DecideAppeal {
            upheld: true,
            reason,
        } => {
            format!("appeal upheld, finding dismissed: {reason}")
        }
        Decision::DecideAppeal {
            upheld: false,
            reason,
        } if zh => format!("申诉复核不成立，维持确认：{reason}"),
        Decision::DecideAppeal {
            upheld: false,
            reason,
        } => format!("appeal rejected, finding stays confirmed: {reason}"),
    }
}

/// Runs `anfang review history ID`.
pub fn history(ctx: &Context, id: &str, as_json: bool) -> anyhow::Result<ExitCode> {
    let zh = ctx.lang == Lang::Zh;
    let finding_id = finding_id(id)?;
    let ledger = ctx.open_ledger()?;
    let Some(detail) = ledger.review_detail(finding_id)? else {
        bail!("no finding {finding_id} is recorded in this ledger");
    };
    let who = |ledger: &Ledger, device: &str, typed: &str| {
        super::merge::device_name(ctx.lang, ledger, device, &[typed.to_string()])
    };
    let rechecks = ledger.rechecks_of(finding_id)?;
    let outcomes: Vec<_> = ledger
        .outcomes_of(finding_id)?
        .into_iter()
        .filter(|o| o.counts)
        .collect();
    if as_json {
        let decisions: Vec<_> = detail
            .history
            .decisions
            .iter()
            .map(|(record, dated, device)| {
                json!({
                    "event_id": dated.event_id,
                    "claimed_time": dated.claimed_time.to_string(),
                    "by": who(&ledger, device, &record.reviewer),
                    "device": device,
                    "status_after": anfang_core::review::ReviewStatus::after(&dated.decision).as_str(),
                    "decision": dated.decision,
                    "back_reason": record.reason,
                    "text": describe(ctx.lang, &dated.decision),
                })
            })
            .collect();
        let refused: Vec<_> = detail
            .refused
            .iter()
            .map(|r| {
                json!({
                    "event_id": r.event_id,
                    "device": r.device,
                    "kind": r.kind,
                    "reason": if zh { &r.reason_zh } else { &r.reason },
                })
            })
            .collect();
        let out = json!({
            "finding_id": finding_id,
            "unit": detail.row.unit,
            "status": detail.row.status().as_str(),
            "deadline": detail.row.state.deadline.map(|d| d.to_string()),
            "versions": detail.history.versions.len(),
            "decisions": decisions,
            "rechecks": rechecks.iter().map(|(id, at)| json!({"visit_id": id, "started_at": at})).collect::<Vec<_>>(),
            "outcomes": outcomes.iter().map(|o| json!({
                "event_id": o.event_id,
                "person": o.record.person,
                "kind": o.record.kind.as_str(),
                "kind_text": o.record.kind.label().get(ctx.lang),
                "date": o.record.date.to_string(),
                "number": o.record.number,
                "note": o.record.note,
                "device": o.device,
                "claimed_time": o.claimed_time,
            })).collect::<Vec<_>>(),
            "refused": refused,
        });
        line(serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    line(format!(
        "{finding_id}  {}  {}",
        clean(&detail.row.unit),
        detail.row.status().label().get(ctx.lang)
    ));
    for v in &detail.history.versions {
        line(format!(
            "  {}  {}  {}",
            v.claimed_time,
            if zh { "记录" } else { "recorded" },
            clean(&who(
                &ledger,
                &v.device_id,
                detail.team.first().map_or("", |s| s)
            ))
        ));
    }
    for (record, dated, device) in &detail.history.decisions {
        let mut text = format!(
            "  {}  {}  {}",
            dated.claimed_time,
            clean(&who(&ledger, device, &record.reviewer)),
            clean(&describe(ctx.lang, &dated.decision))
        );
        if let Some(reason) = &record.reason {
            text.push_str(&if zh {
                format!("（退回理由：{}）", clean(reason))
            } else {
                format!(" (going back because: {})", clean(reason))
            });
        }
        line(text);
    }
    for (visit, at) in &rechecks {
        line(if zh {
            format!("  {at}  复查检查 {visit}")
        } else {
            format!("  {at}  re-check visit {visit}")
        });
    }
    for o in &outcomes {
        line(clean(&outcome_line(ctx.lang, &o.record)));
    }
    for r in &detail.refused {
        line(format!(
            "  {}  {}",
            if zh { "未计入：" } else { "refused:" },
            clean(if zh { &r.reason_zh } else { &r.reason })
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// One accountability outcome as a history line.
fn outcome_line(lang: Lang, o: &anfang_core::outcome::OutcomeRecorded) -> String {
    let zh = lang == Lang::Zh;
    let mut text = if zh {
        format!(
            "  {}  问责：{} {}",
            o.date,
            o.person,
            o.kind.label().get(lang)
        )
    } else {
        format!(
            "  {}  accountability: {} for {}",
            o.date,
            o.kind.label().get(lang),
            o.person
        )
    };
    if let Some(number) = &o.number {
        text.push_str(&if zh {
            format!("（{number}）")
        } else {
            format!(" ({number})")
        });
    }
    if let Some(note) = &o.note {
        text.push_str(&format!("  {note}"));
    }
    text
}

/// Runs `anfang review recheck ID`.
pub fn recheck(ctx: &Context, args: &RecheckArgs) -> anyhow::Result<ExitCode> {
    let finding_id = finding_id(&args.finding_id)?;
    let mut ledger = ctx.open_ledger()?;
    if ledger.review_detail(finding_id)?.is_none() {
        bail!("no finding {finding_id} is recorded in this ledger");
    }
    let team: Vec<String> = args
        .team
        .iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    let team = if team.is_empty() {
        vec![ctx.user_name.clone()]
    } else {
        team
    };
    let visit = ledger.open_recheck_visit(finding_id, team, jiff::Timestamp::now())?;
    line(visit.to_string());
    Ok(ExitCode::SUCCESS)
}
