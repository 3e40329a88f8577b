//! `anfang review list|confirm|dismiss|rectify|rectified|verify`: reviewing
//! from the shell, signed by this device as the interface's decisions are.

use crate::cli::{DecideArgs, ReviewAction, ReviewArgs};
use crate::context::Context;
use crate::out::{clean, line};
use anfang_core::Lang;
use anfang_core::Points;
use anfang_core::event::EventBody;
use anfang_core::review::{Decision, ReviewRecord, ReviewStatus};
use anfang_core::review_state::check_decision;
use anfang_ledger::{Ledger, short};
use anyhow::bail;
use serde_json::json;
use std::process::ExitCode;

/// Runs `anfang review`.
pub fn run(ctx: &Context, args: &ReviewArgs) -> anyhow::Result<ExitCode> {
    match &args.action {
        ReviewAction::List { status, unit, json } => {
            list(ctx, status.as_deref(), unit.as_deref(), *json)
        }
        ReviewAction::Confirm(a) => decide(ctx, a, Kind::Confirm),
        ReviewAction::Dismiss(a) => decide(ctx, a, Kind::Dismiss),
        ReviewAction::Rectify(a) => decide(ctx, a, Kind::Rectify),
        ReviewAction::Rectified(a) => decide(ctx, a, Kind::Rectified),
        ReviewAction::Verify(a) => decide(ctx, a, Kind::Verify),
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Confirm,
    Dismiss,
    Rectify,
    Rectified,
    Verify,
}

/// Who recorded a finding: the roster's person and the device's short
/// fingerprint, or an unenrolled device, or (open mode) the visit's lead.
fn recorded_by(lang: Lang, ledger: &Ledger, device: &str, lead: &str) -> String {
    let leads = if lead.is_empty() {
        Vec::new()
    } else {
        vec![lead.to_string()]
    };
    super::merge::device_name(lang, ledger, device, &leads)
}

fn list(
    ctx: &Context,
    status: Option<&str>,
    unit: Option<&str>,
    as_json: bool,
) -> anyhow::Result<ExitCode> {
    let status = match status {
        None => None,
        Some(s) => Some(ReviewStatus::parse(s).ok_or_else(|| {
            anyhow::anyhow!(
                "--status '{s}': use one of {}",
                ReviewStatus::ALL.map(ReviewStatus::as_str).join(", ")
            )
        })?),
    };
    let ledger = ctx.open_ledger()?;
    let rows = ledger.review_list(status, unit)?;
    if as_json {
        let items: Vec<_> = rows
            .iter()
            .map(|r| {
                json!({
                    "finding_id": r.finding_id,
                    "unit": r.unit,
                    "department": r.department,
                    "item_id": r.item_id,
                    "points": Points::from_hundredths(r.points).as_f64(),
                    "status": r.status,
                    "recorded_by": recorded_by(ctx.lang, &ledger, &r.device, &r.lead),
                    "device": r.device,
                    "observed_at": r.observed_at,
                })
            })
            .collect();
        line(serde_json::to_string_pretty(&items)?);
        return Ok(ExitCode::SUCCESS);
    }
    for r in &rows {
        let status = ReviewStatus::parse(&r.status)
            .map(|s| s.label().get(ctx.lang).to_string())
            .unwrap_or_else(|| r.status.clone());
        line(format!(
            "{}  {}  {}  {}  {}  {}",
            r.finding_id,
            clean(&r.unit),
            clean(&r.item_id),
            Points::from_hundredths(r.points),
            status,
            recorded_by(ctx.lang, &ledger, &r.device, &r.lead)
        ));
    }
    Ok(ExitCode::SUCCESS)
}

fn decide(ctx: &Context, args: &DecideArgs, kind: Kind) -> anyhow::Result<ExitCode> {
    let zh = ctx.lang == Lang::Zh;
    let finding_id: uuid::Uuid = args
        .finding_id
        .parse()
        .map_err(|_| anyhow::anyhow!("'{}' is not a finding id", args.finding_id))?;
    let mut ledger = ctx.open_ledger()?;
    let Some(detail) = ledger.review_detail(finding_id)? else {
        bail!("no finding {finding_id} is recorded in this ledger");
    };
    let reason = || -> anyhow::Result<String> {
        match args.reason.as_deref().map(str::trim) {
            Some(text) if !text.is_empty() => Ok(text.to_string()),
            _ => bail!("--reason is needed for this decision"),
        }
    };
    let decision = match kind {
        Kind::Confirm => Decision::Confirm {
            points: match args.points.as_deref() {
                None => None,
                Some(p) => Some(
                    p.parse::<f64>()
                        .ok()
                        .and_then(Points::from_f64)
                        .ok_or_else(|| {
                            anyhow::anyhow!("--points '{p}' is not a number of points")
                        })?,
                ),
            },
        },
        Kind::Dismiss => Decision::Dismiss { reason: reason()? },
        Kind::Rectify => {
            let Some(text) = args.deadline.as_deref() else {
                bail!("--deadline YYYY-MM-DD is needed to order rectification");
            };
            Decision::RequireRectification {
                deadline: text.parse().map_err(|_| {
                    anyhow::anyhow!("--deadline '{text}' is not a date (YYYY-MM-DD)")
                })?,
            }
        }
        Kind::Rectified => Decision::MarkRectified { note: reason()? },
        Kind::Verify => Decision::VerifyRectification,
    };
    let today = jiff::tz::TimeZone::system()
        .to_datetime(jiff::Timestamp::now())
        .date();
    if let Err(e) = check_decision(
        &decision,
        detail.row.rule.as_ref(),
        &detail.row.state,
        today,
    ) {
        bail!("{finding_id}: {e}");
    }
    let (from, to) = (detail.row.status(), ReviewStatus::after(&decision));
    let back_reason = args
        .back_reason
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_string);
    if from.goes_back_to(to) && back_reason.is_none() {
        bail!(
            "{finding_id}: {} → {} moves the finding back; say why with --back-reason TEXT (nothing recorded)",
            from.label().get(ctx.lang),
            to.label().get(ctx.lang)
        );
    }
    let reason = back_reason.filter(|_| from.goes_back_to(to));
    let device = ledger.device_id().to_string();
    let person = match ledger.may_decide(finding_id)? {
        Ok(person) => person,
        Err(refusal) => bail!(
            "{} {}: {}",
            if zh { "设备" } else { "device" },
            format_args!("{}…", short(&device)),
            refusal.text(ctx.lang)
        ),
    };
    // The roster's name with an office; the name this laptop's user gave without.
    let reviewer = if person.is_empty() {
        ctx.user_name.clone()
    } else {
        person
    };
    let follows = ledger.decision_follows(finding_id)?;
    let id = ledger.append(&EventBody::ReviewDecided(ReviewRecord {
        finding_id,
        reviewer,
        decision,
        follows: Some(follows),
        reason,
    }))?;
    if let Some((en, zh_text)) = ledger.refusal_of(&id)? {
        bail!("{finding_id}: {}", if zh { zh_text } else { en });
    }
    let status = ledger
        .review_detail(finding_id)?
        .map(|d| d.row.status().label().get(ctx.lang).to_string())
        .unwrap_or_default();
    line(if zh {
        format!("{finding_id}：{status}")
    } else {
        format!("{finding_id}: {status}")
    });
    Ok(ExitCode::SUCCESS)
}
