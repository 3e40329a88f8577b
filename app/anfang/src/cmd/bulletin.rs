//! `anfang bulletin issue|list|show`: issued bulletins (通报), recorded as
//! signed events naming the units and findings the draft named, so the same
//! text can be written again (`anfang export --bulletin 文号`) and scores
//! take 10 points from each unit named (四(四)2).

use crate::cli::{BulletinAction, BulletinArgs};
use crate::context::Context;
use crate::out::{clean, line};
use anfang_core::Lang;
use anfang_core::bulletin::{BulletinIssued, NamedUnit};
use anfang_core::event::EventBody;
use anfang_export::{ExportOptions, LedgerSource, bulletin_named};
use anfang_ledger::office_records::IssuedBulletin;
use anfang_ledger::{Ledger, short};
use anyhow::bail;
use serde_json::json;
use std::process::ExitCode;

/// Runs `anfang bulletin`.
pub fn run(ctx: &Context, args: &BulletinArgs) -> anyhow::Result<ExitCode> {
    match &args.action {
        BulletinAction::Issue {
            number,
            date,
            from,
            to,
            unit,
            department,
        } => {
            let mut options = ExportOptions::new(ctx.lang);
            let parsed = (|| {
                options.today = ExportOptions::parse_date("--date", date)?;
                options.from = from
                    .as_deref()
                    .map(|d| ExportOptions::parse_date("--from", d))
                    .transpose()?;
                options.to = to
                    .as_deref()
                    .map(|d| ExportOptions::parse_date("--to", d))
                    .transpose()?;
                options.filter().map(|_| ())
            })();
            if let Err(err) = parsed {
                eprintln!("anfang: {err}");
                return Ok(ExitCode::from(2));
            }
            options.unit = unit.clone();
            options.department = department.clone();
            issue(ctx, number, &options)
        }
        BulletinAction::List { json } => list(ctx, *json),
        BulletinAction::Show { number, json } => show(ctx, number, *json),
    }
}

fn issue(ctx: &Context, number: &str, options: &ExportOptions) -> anyhow::Result<ExitCode> {
    let number = number.trim();
    if number.is_empty() {
        bail!(
            "{}",
            match ctx.lang {
                Lang::Zh => "通报文号（--number）为空",
                Lang::En => "the bulletin's number (--number) is empty",
            }
        );
    }
    let mut ledger = ctx.open_ledger()?;
    if let Some(held) = ledger.bulletin(number)? {
        bail!(
            "{}",
            match ctx.lang {
                Lang::Zh => format!("通报'{number}'已于{}记录为已印发", held.record.date),
                Lang::En => format!(
                    "bulletin '{number}' is already recorded as issued on {}",
                    held.record.date
                ),
            }
        );
    }
    if let Err(refusal) = ledger.may_issue_bulletin(number)? {
        let device = format!("{}…", short(ledger.device_id()));
        bail!(
            "{}",
            match ctx.lang {
                Lang::Zh => format!(
                    "设备 {device}：{}；已印发通报由审核人（reviewer）或管理员（admin）记录",
                    refusal.text(ctx.lang)
                ),
                Lang::En => format!(
                    "device {device}: {}; issued bulletins are recorded by a reviewer or the admin",
                    refusal.text(ctx.lang)
                ),
            }
        );
    }
    let named = {
        let source = LedgerSource::new(&ledger, options.tz.clone());
        bulletin_named(&source, options)?
    };
    let register = ledger.register()?;
    let record = BulletinIssued {
        number: number.to_string(),
        date: options.today,
        from: options.from,
        to: options.to,
        unit: options.unit.clone(),
        department: options.department.clone(),
        named: named
            .units
            .iter()
            .map(|(name, department)| NamedUnit {
                name: name.clone(),
                department: department.clone(),
                unit_id: register.resolve(name).map(|u| u.unit_id),
            })
            .collect(),
        findings: named.findings,
    };
    record.validate()?;
    ledger.append(&EventBody::BulletinIssued(record.clone()))?;
    line(clean(&match ctx.lang {
        Lang::Zh => format!(
            "已记录通报 {number}（{}印发）：点名 {} 个单位、{} 个问题，每个单位扣10分（考评办法四(四)2）",
            record.date,
            record.named.len(),
            record.findings.len()
        ),
        Lang::En => format!(
            "bulletin {number} recorded as issued on {}: {} unit(s) and {} finding(s) named; each unit loses 10 points (assessment method 4(4)2)",
            record.date,
            record.named.len(),
            record.findings.len()
        ),
    }));
    for unit in &record.named {
        line(clean(&format!("  {}  {}", unit.name, unit.department)));
    }
    Ok(ExitCode::SUCCESS)
}

fn as_json(b: &IssuedBulletin) -> serde_json::Value {
    let r = &b.record;
    json!({
        "number": r.number,
        "date": r.date.to_string(),
        "from": r.from.map(|d| d.to_string()),
        "to": r.to.map(|d| d.to_string()),
        "unit": r.unit,
        "department": r.department,
        "named": r.named.iter().map(|n| json!({
            "name": n.name, "department": n.department, "unit_id": n.unit_id,
        })).collect::<Vec<_>>(),
        "findings": r.findings,
        "event_id": b.event_id,
    })
}

fn period_words(ctx: &Context, b: &BulletinIssued) -> String {
    let day = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
    match (b.from, b.to, ctx.lang) {
        (None, None, Lang::Zh) => "全部".into(),
        (None, None, Lang::En) => "all".into(),
        (from, to, _) => format!("{}..{}", day(from), day(to)),
    }
}

fn list(ctx: &Context, want_json: bool) -> anyhow::Result<ExitCode> {
    let ledger = ctx.open_ledger()?;
    let bulletins = ledger.bulletins()?;
    if want_json {
        let items: Vec<_> = bulletins.iter().map(as_json).collect();
        line(serde_json::to_string_pretty(&items)?);
        return Ok(ExitCode::SUCCESS);
    }
    if bulletins.is_empty() {
        line(match ctx.lang {
            Lang::Zh => "尚未记录已印发的通报（anfang bulletin issue 记录）",
            Lang::En => "No issued bulletin recorded yet (anfang bulletin issue records one)",
        });
    }
    for b in &bulletins {
        let r = &b.record;
        line(clean(&match ctx.lang {
            Lang::Zh => format!(
                "{}  {}  期间 {}  点名 {} 个单位、{} 个问题",
                r.number,
                r.date,
                period_words(ctx, r),
                r.named.len(),
                r.findings.len()
            ),
            Lang::En => format!(
                "{}  {}  period {}  {} unit(s), {} finding(s) named",
                r.number,
                r.date,
                period_words(ctx, r),
                r.named.len(),
                r.findings.len()
            ),
        }));
    }
    Ok(ExitCode::SUCCESS)
}

/// The issued bulletin with this number, or an error naming it.
pub fn find(ctx: &Context, ledger: &Ledger, number: &str) -> anyhow::Result<IssuedBulletin> {
    match ledger.bulletin(number)? {
        Some(b) => Ok(b),
        None => bail!(
            "{}",
            match ctx.lang {
                Lang::Zh =>
                    format!("没有文号为'{number}'的已印发通报（anfang bulletin list 列出）"),
                Lang::En => format!(
                    "no issued bulletin numbered '{number}' (anfang bulletin list lists them)"
                ),
            }
        ),
    }
}

fn show(ctx: &Context, number: &str, want_json: bool) -> anyhow::Result<ExitCode> {
    let ledger = ctx.open_ledger()?;
    let b = find(ctx, &ledger, number)?;
    if want_json {
        line(serde_json::to_string_pretty(&as_json(&b))?);
        return Ok(ExitCode::SUCCESS);
    }
    let r = &b.record;
    let filter = [r.unit.as_deref(), r.department.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    match ctx.lang {
        Lang::Zh => {
            line(clean(&format!("文号：{}", r.number)));
            line(format!("印发日期：{}", r.date));
            line(format!("期间：{}", period_words(ctx, r)));
            if !filter.is_empty() {
                line(clean(&format!("范围：{filter}")));
            }
            line(format!(
                "点名单位（各扣10分，考评办法四(四)2）：{} 个",
                r.named.len()
            ));
        }
        Lang::En => {
            line(clean(&format!("number: {}", r.number)));
            line(format!("issued: {}", r.date));
            line(format!("period: {}", period_words(ctx, r)));
            if !filter.is_empty() {
                line(clean(&format!("filter: {filter}")));
            }
            line(format!(
                "units named (10 points each, assessment method 4(4)2): {}",
                r.named.len()
            ));
        }
    }
    for unit in &r.named {
        line(clean(&format!("  {}  {}", unit.name, unit.department)));
    }
    line(match ctx.lang {
        Lang::Zh => format!("点名问题：{} 个", r.findings.len()),
        Lang::En => format!("findings named: {}", r.findings.len()),
    });
    for finding in &r.findings {
        line(format!("  {finding}"));
    }
    Ok(ExitCode::SUCCESS)
}
