//! `anfang review list|confirm|dismiss|rectify|rectified|verify|reject|appeal|
//! appeal-decide|recheck`: reviewing from the shell, signed by this device as
//! the interface's decisions are.

use crate::cli::{DecideArgs, ReviewAction, ReviewArgs};
use crate::context::Context;
use crate::out::{clean, line};
use anfang_core::Lang;
use anfang_core::Points;
use anfang_core::review::{Checked, Decision, Rejection, ReviewRecord, ReviewStatus};
use anfang_core::review_state::check_decision;
use anfang_ledger::{Ledger, short};
use anyhow::bail;
use serde_json::json;
use std::process::ExitCode;

/// Runs `anfang review`.
pub fn run(ctx: &Context, args: &ReviewArgs) -> anyhow::Result<ExitCode> {
    match &args.action {
        ReviewAction::List {
            status,
            unit,
            json,
            date,
            outcome,
        } => list(
            ctx,
            Listing {
                status: status.as_deref(),
                unit: unit.as_deref(),
                outcome: outcome.as_deref(),
            },
            *json,
            date.as_deref(),
        ),
        ReviewAction::History { finding_id, json } => {
            super::review_history::history(ctx, finding_id, *json)
        }
        ReviewAction::Confirm(a) => decide(ctx, a, Kind::Confirm),
        ReviewAction::Dismiss(a) => decide(ctx, a, Kind::Dismiss),
        ReviewAction::Rectify(a) => decide(ctx, a, Kind::Rectify),
        ReviewAction::Rectified(a) => decide(ctx, a, Kind::Rectified),
        ReviewAction::Verify(a) => decide(ctx, a, Kind::Verify),
        ReviewAction::Reject(a) => decide(ctx, a, Kind::Reject),
        ReviewAction::Appeal(a) => decide(ctx, a, Kind::Appeal),
        ReviewAction::AppealDecide(a) => {
            let args = DecideArgs {
                finding_id: a.finding_id.clone(),
                reason: a.reason.clone(),
                deadline: None,
                points: None,
                back_reason: None,
                report: None,
                evidence: Vec::new(),
                checked: None,
                date: None,
            };
            decide(ctx, &args, Kind::DecideAppeal { upheld: a.uphold })
        }
        ReviewAction::Recheck(a) => super::review_history::recheck(ctx, a),
        ReviewAction::Outcome(a) => super::review_outcome::record(ctx, a),
    }
}

/// What `review list` keeps: each field, when given, filters.
struct Listing<'a> {
    status: Option<&'a str>,
    unit: Option<&'a str>,
    outcome: Option<&'a str>,
}

#[derive(Clone, Copy)]
enum Kind {
    Confirm,
    Dismiss,
    Rectify,
    Rectified,
    Verify,
    Reject,
    Appeal,
    DecideAppeal { upheld: bool },
}

/// The day given with `--date`, or today on this machine's clock.
pub(super) fn day(given: Option<&str>) -> anyhow::Result<jiff::civil::Date> {
    match given {
        Some(text) => text
            .parse()
            .map_err(|_| anyhow::anyhow!("--date '{text}' is not a date (YYYY-MM-DD)")),
        None => Ok(jiff::tz::TimeZone::system()
            .to_datetime(jiff::Timestamp::now())
            .date()),
    }
}

/// Parses `--checked report|recheck:VISIT_ID`; a re-check visit must be in
/// the ledger and opened as a re-check of this finding.
fn checked(
    ledger: &Ledger,
    finding_id: uuid::Uuid,
    given: Option<&str>,
) -> anyhow::Result<Checked> {
    let Some(text) = given.map(str::trim) else {
        bail!("--checked report|recheck:VISIT_ID is needed: say what was checked");
    };
    if text == "report" {
        return Ok(Checked::Report);
    }
    let Some(visit) = text.strip_prefix("recheck:") else {
        bail!("--checked '{text}': use report or recheck:VISIT_ID");
    };
    let visit_id: uuid::Uuid = visit
        .trim()
        .parse()
        .map_err(|_| anyhow::anyhow!("--checked '{text}': '{visit}' is not a visit id"))?;
    match ledger.recheck_visit(visit_id)? {
        None => bail!("--checked '{text}': no visit {visit_id} is recorded in this ledger"),
        Some(v) if !v.rechecks.contains(&finding_id) => bail!(
            "--checked '{text}': visit {visit_id} was not opened as a re-check of {finding_id} (see anfang review recheck)"
        ),
        Some(_) => Ok(Checked::Recheck { visit_id }),
    }
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
    Listing {
        status,
        unit,
        outcome,
    }: Listing<'_>,
    as_json: bool,
    date: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let today = day(date)?;
    let warn_days = ctx.deadline_warning_days;
    let status = match status {
        None => None,
        Some(s) => Some(ReviewStatus::parse(s).ok_or_else(|| {
            anyhow::anyhow!(
                "--status '{s}': use one of {}",
                ReviewStatus::ALL.map(ReviewStatus::as_str).join(", ")
            )
        })?),
    };
    let outcome = outcome.map(super::review_outcome::kind).transpose()?;
    let ledger = ctx.open_ledger()?;
    let rows = ledger.review_list(status, unit, outcome)?;
    if as_json {
        let items: Vec<_> = rows
            .iter()
            .map(|r| {
                json!({
                    "finding_id": r.finding_id,
                    "unit": r.unit,
                    "unit_typed": r.unit_typed,
                    "department": r.department,
                    "item_id": r.item_id,
                    "points": Points::from_hundredths(r.points).as_f64(),
                    "status": r.status,
                    "recorded_by": recorded_by(ctx.lang, &ledger, &r.device, &r.lead),
                    "device": r.device,
                    "observed_at": r.observed_at,
                    "deadline": r.deadline.map(|d| d.to_string()),
                    "due": due(r, today, warn_days),
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

/// `overdue` (red), `soon` (yellow) or nothing, as Review colours a deadline.
fn due(
    row: &anfang_ledger::review_query::ListedFinding,
    today: jiff::civil::Date,
    warn_days: u32,
) -> Option<&'static str> {
    let state = anfang_core::review_state::ReviewState {
        status: ReviewStatus::parse(&row.status)?,
        points_per_count: None,
        deadline: row.deadline,
    };
    if state.overdue(today) {
        Some("overdue")
    } else if state.due_soon(today, warn_days) {
        Some("soon")
    } else {
        None
    }
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
                rejected: None,
            }
        }
        Kind::Rectified => Decision::MarkRectified {
            note: match args.report.as_deref().map(str::trim) {
                Some(text) if !text.is_empty() => text.to_string(),
                Some(_) => bail!("--report is empty: say what the unit did"),
                None => reason()
                    .map_err(|_| anyhow::anyhow!("--report TEXT is needed: what the unit did"))?,
            },
            evidence: None,
        },
        Kind::Verify => Decision::VerifyRectification {
            checked: Some(checked(&ledger, finding_id, args.checked.as_deref())?),
        },
        Kind::Reject => {
            let Some(text) = args.deadline.as_deref() else {
                bail!("--deadline YYYY-MM-DD is needed: the new rectification deadline");
            };
            Decision::RequireRectification {
                deadline: text.parse().map_err(|_| {
                    anyhow::anyhow!("--deadline '{text}' is not a date (YYYY-MM-DD)")
                })?,
                rejected: Some(Rejection {
                    checked: checked(&ledger, finding_id, args.checked.as_deref())?,
                    reason: reason()?,
                }),
            }
        }
        Kind::Appeal => Decision::Appeal {
            reason: reason()?,
            evidence: None,
        },
        Kind::DecideAppeal { upheld } => {
            if !ledger.pending_appeal(finding_id)? {
                bail!(
                    "{finding_id}: no appeal awaits a decision (record one with anfang review appeal)"
                );
            }
            Decision::DecideAppeal {
                upheld,
                reason: reason()?,
            }
        }
    };
    let files = args
        .evidence
        .iter()
        .map(|path| anfang_ledger::read_decision_file(path))
        .collect::<Result<Vec<_>, _>>()?;
    let decision = match decision {
        _ if files.is_empty() => decision,
        Decision::MarkRectified { note, .. } => Decision::MarkRectified {
            note,
            evidence: Some(files.iter().map(|f| f.file.clone()).collect()),
        },
        Decision::Appeal { reason, .. } => Decision::Appeal {
            reason,
            evidence: Some(files.iter().map(|f| f.file.clone()).collect()),
        },
        _ => bail!("--evidence goes with a report (rectified) or an appeal only"),
    };
    let today = day(args.date.as_deref())?;
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
    let goes_back = from.goes_back_to(to) && !decision.says_why();
    if goes_back && back_reason.is_none() {
        bail!(
            "{finding_id}: {} → {} moves the finding back; say why with --back-reason TEXT (nothing recorded)",
            from.label().get(ctx.lang),
            to.label().get(ctx.lang)
        );
    }
    let reason = back_reason.filter(|_| goes_back);
    let device = ledger.device_id().to_string();
    let person = match ledger.may_decide_on(finding_id, &decision)? {
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
    let record = ReviewRecord {
        finding_id,
        reviewer,
        decision,
        follows: Some(follows),
        reason,
    };
    let id = ledger.append_decision_with_files(&record, &files, jiff::Timestamp::now())?;
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
