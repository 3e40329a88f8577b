//! `anfang method show|check|publish`: the assessment method as a versioned
//! document; the office's admin publishes it as a signed event (any device
//! in a ledger with no office).

use crate::cli::{MethodAction, MethodArgs};
use crate::context::Context;
use crate::method_doc::read_method;
use crate::out::{clean, line};
use anfang_core::Lang;
use anfang_core::event::EventBody;
use anfang_core::method::{Method, RowPoints};
use anfang_core::office_deduction::MethodPublished;
use anfang_ledger::short;
use anyhow::bail;
use std::path::Path;
use std::process::ExitCode;

/// Runs `anfang method`.
pub fn run(ctx: &Context, args: &MethodArgs) -> anyhow::Result<ExitCode> {
    match &args.action {
        MethodAction::Show { json } => show(ctx, *json),
        MethodAction::Check { file } => {
            let method = read(ctx, file)?;
            line(match ctx.lang {
                Lang::Zh => format!(
                    "{}：考评办法第{}版，{} 条扣分规则，无误",
                    file.display(),
                    method.version,
                    method.rows.len()
                ),
                Lang::En => format!(
                    "{}: method version {}, {} rows, no problems",
                    file.display(),
                    method.version,
                    method.rows.len()
                ),
            });
            Ok(ExitCode::SUCCESS)
        }
        MethodAction::Publish { file } => publish(ctx, file),
    }
}

/// The method in `file`, or a failure naming every problem.
fn read(ctx: &Context, file: &Path) -> anyhow::Result<Method> {
    let text =
        std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    match read_method(&text) {
        Ok(method) => Ok(method),
        Err(problems) => {
            for p in &problems {
                eprintln!("anfang: {}: {}", file.display(), clean(p));
            }
            bail!(
                "{}",
                match ctx.lang {
                    Lang::Zh => format!(
                        "{}：{} 处错误，不是有效的考评办法",
                        file.display(),
                        problems.len()
                    ),
                    Lang::En => format!(
                        "{}: {} problem(s); not a valid method",
                        file.display(),
                        problems.len()
                    ),
                }
            )
        }
    }
}

fn publish(ctx: &Context, file: &Path) -> anyhow::Result<ExitCode> {
    let method = read(ctx, file)?;
    let mut ledger = ctx.open_ledger()?;
    if let Err(refusal) = ledger.may_publish_method()? {
        let device = format!("{}…", short(ledger.device_id()));
        bail!(
            "{}",
            match ctx.lang {
                Lang::Zh => format!(
                    "设备 {device}：{}；考评办法由效能办管理员（admin）发布",
                    refusal.text(ctx.lang)
                ),
                Lang::En => format!(
                    "device {device}: {}; the method is published by the office's admin",
                    refusal.text(ctx.lang)
                ),
            }
        );
    }
    let current = ledger.method_in_force()?;
    if !current.builtin && method.version <= current.method.version {
        bail!(
            "{}",
            match ctx.lang {
                Lang::Zh => format!(
                    "版本 {} 不高于现行的第{}版：请提高 version",
                    method.version, current.method.version
                ),
                Lang::En => format!(
                    "version {} is not above the method in force (version {}): raise version",
                    method.version, current.method.version
                ),
            }
        );
    }
    let document = serde_json::to_string(&method)?;
    ledger.append(&EventBody::MethodPublished(MethodPublished {
        version: method.version,
        document,
    }))?;
    line(clean(method.citation().get(ctx.lang)));
    Ok(ExitCode::SUCCESS)
}

fn show(ctx: &Context, as_json: bool) -> anyhow::Result<ExitCode> {
    let ledger = ctx.open_ledger()?;
    let in_force = ledger.method_in_force()?;
    let method = &in_force.method;
    if as_json {
        line(serde_json::to_string_pretty(method)?);
        return Ok(ExitCode::SUCCESS);
    }
    let lang = ctx.lang;
    let zh = lang == Lang::Zh;
    let origin = match (in_force.builtin, zh) {
        (true, true) => "（内置，未发布）",
        (true, false) => " (built in; none published)",
        (false, true) => "（效能办发布）",
        (false, false) => " (published by the office)",
    };
    line(clean(&format!("{}{origin}", method.citation().get(lang))));
    for row in &method.rows {
        let unit = row.unit.label();
        let points = match (row.points, zh) {
            (RowPoints::Per { points, per: 1 }, true) => format!("每{}扣{points}分", unit.zh),
            (RowPoints::Per { points, per: 1 }, false) => {
                format!("{points} per {}", unit.en.trim_end_matches('s'))
            }
            (RowPoints::Per { points, per }, true) => format!("每{per}{}扣{points}分", unit.zh),
            (RowPoints::Per { points, per }, false) => format!("{points} per {per} {}", unit.en),
            (RowPoints::Range { min, max }, true) => format!("每{}扣{min}—{max}分", unit.zh),
            (RowPoints::Range { min, max }, false) => {
                format!("{min}–{max} per {}", unit.en.trim_end_matches('s'))
            }
        };
        let source = match (row.source.as_str(), zh) {
            ("visit", true) => "检查记录",
            ("visit", false) => "visit",
            ("office", true) => "效能办扣分",
            ("office", false) => "office deduction",
            (_, true) => "民主评议",
            (_, false) => "appraisal",
        };
        let parent = match (row.parent_points, zh) {
            (Some(p), true) => format!("；下属单位人员每{}另扣主管单位{p}分", unit.zh),
            (Some(p), false) => {
                format!("; {p} more from the supervising unit for a subordinate unit's staff")
            }
            (None, _) => String::new(),
        };
        line(clean(&format!(
            "{:<10} {:<24} {points}  [{source}]  {}{parent}",
            row.section,
            row.id,
            row.label.get(lang)
        )));
    }
    let bands: Vec<String> = method
        .grades
        .iter()
        .map(|b| format!("{} ≥ {}", b.grade.label().get(lang), b.min))
        .collect();
    line(if zh {
        format!("等次：{}", bands.join("，"))
    } else {
        format!("Grades: {}", bands.join(", "))
    });
    line(clean(&format!(
        "{}{}",
        if zh { "取整：" } else { "Rounding: " },
        method.rounding.describe().get(lang)
    )));
    line(clean(&format!(
        "{}{}",
        if zh {
            "万人评议："
        } else {
            "Public appraisal: "
        },
        method.appraisal.describe().get(lang)
    )));
    Ok(ExitCode::SUCCESS)
}
