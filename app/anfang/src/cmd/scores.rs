//! `anfang scores [--from DATE] [--to DATE] [--json]`: units ranked by the
//! 100-point deduction method for a period, as the Scores screen shows them.
//!
//! Without dates the period is every day the ledger holds findings or visits;
//! `--from` alone runs to today, `--to` alone starts at the first day held.
//! Only reviewed findings count; pending ones are shown apart as
//! provisional, and a ledger whose findings are all unreviewed says so
//! instead of ranking every unit at 100.

use crate::cli::ScoresArgs;
use crate::context::Context;
use anfang_core::Lang;
use anfang_core::Points;
use anfang_core::period::{Period, parse_date};
use anfang_core::tally::{BreakdownLine, ItemLine, Ranking, UnitScore};
use anfang_tui::text::{fit, width};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde_json::{Value, json};
use std::process::ExitCode;

/// Runs `anfang scores`.
pub fn run(ctx: &Context, args: &ScoresArgs) -> anyhow::Result<ExitCode> {
    // Bad dates are usage errors: one line naming the value, exit 2.
    let date = |value: &Option<String>| value.as_deref().map(parse_date).transpose();
    let (from, to) = match (date(&args.from), date(&args.to)) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(e), _) | (_, Err(e)) => return usage(&e.to_string()),
    };
    let ledger = ctx.open_ledger()?;
    let tz = TimeZone::system();
    let today = tz.to_datetime(jiff::Timestamp::now()).date();
    let span = ledger.observed_span(&tz)?;
    let period = match choose_period(from, to, span, today) {
        Ok(period) => period,
        Err(message) => return usage(&message),
    };
    let ranking = ledger.ranking(period, &tz)?;
    if args.json {
        if ranking.unreviewed_only() {
            eprintln!("anfang: {}", unreviewed_note(ctx.lang, &ranking));
        }
        say!(
            "{}",
            serde_json::to_string_pretty(&to_json(&ranking, ctx.lang))?
        );
    } else {
        // Unit and team names come from bundles: never raw to the terminal.
        let text = table(&ranking, ctx.lang);
        let mut out = std::io::stdout().lock();
        let _ = std::io::Write::write_all(&mut out, crate::out::clean_lines(&text).as_bytes());
    }
    Ok(ExitCode::SUCCESS)
}

fn usage(message: &str) -> anyhow::Result<ExitCode> {
    eprintln!("anfang: {message}");
    Ok(ExitCode::from(2))
}

/// The period asked for, filled in from the ledger's span (or today).
pub fn choose_period(
    from: Option<Date>,
    to: Option<Date>,
    span: Option<Period>,
    today: Date,
) -> Result<Period, String> {
    let (from, to) = match (from, to) {
        (Some(from), Some(to)) => (from, to),
        (Some(from), None) => (from, today.max(from)),
        (None, Some(to)) => (span.map_or(to, |s| s.from.min(to)), to),
        (None, None) => span.map_or((today, today), |s| (s.from, s.to)),
    };
    Period::new(from, to).map_err(|e| e.to_string())
}

fn unreviewed_note(lang: Lang, ranking: &Ranking) -> String {
    let pending = ranking.pending_findings();
    match lang {
        Lang::Zh => format!(
            "该期间的 {pending} 条记录均未审核：分数只计已审核的记录，暂列为待审（不计分）。请先在审核中确认记录。"
        ),
        Lang::En => format!(
            "all {pending} findings in this period are still pending review: scores count reviewed findings only, so these are shown as provisional and not counted. Review the findings first."
        ),
    }
}

fn line_json(line: &ItemLine, lang: Lang) -> Value {
    json!({
        "item": line.key.item_id,
        "item_label": line.item.get(lang),
        "plugin": line.key.plugin_id,
        "checklist": line.key.checklist_id,
        "findings": line.findings,
        "count": line.count,
        "points": line.points,
        "source": "visit",
    })
}

fn breakdown_json(line: &BreakdownLine, lang: Lang) -> Value {
    json!({
        "item": line.item,
        "item_label": line.label.get(lang),
        "plugin": Value::Null,
        "checklist": Value::Null,
        "findings": 0,
        "count": line.count,
        "points": line.points,
        "source": line.source,
        "section": line.section,
        "reason": line.reason,
        "date": line.date.map(|d| d.to_string()),
        "event": line.event_id,
    })
}

fn unit_json(rank: usize, tied: bool, unit: &UnitScore, lang: Lang) -> Value {
    let mut deductions: Vec<Value> = unit.counted.iter().map(|l| line_json(l, lang)).collect();
    // Appraisal is a deduction too: the points of `deductions` always add up to `deducted`.
    for a in &unit.appraisals {
        deductions.push(json!({
            "item": "public-appraisal",
            "item_label": if lang == Lang::Zh { "公众评议" } else { "public appraisal" },
            "plugin": Value::Null,
            "checklist": Value::Null,
            "findings": 0,
            "count": 1,
            "points": a.points,
            "satisfaction": a.satisfaction,
            "appraisal_from": a.period.from.to_string(),
            "appraisal_to": a.period.to.to_string(),
            "source": "appraisal",
        }));
    }
    deductions.extend(unit.lines.iter().map(|l| breakdown_json(l, lang)));
    // Lines from beyond the unit's own findings: bulletins, rules across units.
    for e in &unit.extra {
        deductions.push(json!({
            "item": "office-rule",
            "item_label": e.reason.get(lang),
            "section": e.section,
            "source": e.source,
            "plugin": Value::Null,
            "checklist": Value::Null,
            "findings": 0,
            "count": 1,
            "points": e.points,
        }));
    }
    json!({
        "rank": rank,
        "tied": tied,
        "unit": unit.unit.name,
        "department": unit.unit.department,
        "score": unit.score,
        "graded_score": unit.graded_score,
        "grade": unit.grade.as_str(),
        "grade_label": unit.grade.label().get(lang),
        "deducted": unit.deducted,
        "deductions": deductions,
        "findings_counted": unit.counted_findings(),
        "appraisal_counted_once": unit.appraisal_duplicates.iter().map(|l| line_json(l, lang)).collect::<Vec<_>>(),
        "provisional": {
            "findings": unit.pending_findings(),
            "points": unit.provisional_points,
            "deductions": unit.provisional.iter().map(|l| line_json(l, lang)).collect::<Vec<_>>(),
            "office_deductions": unit.pending_lines.iter().map(|l| breakdown_json(l, lang)).collect::<Vec<_>>(),
        },
    })
}

/// The ranking as the JSON array `--json` prints: one object per unit.
pub fn to_json(ranking: &Ranking, lang: Lang) -> Value {
    Value::Array(
        ranking
            .units
            .iter()
            .zip(ranking.ranks())
            .zip(ranking.tied())
            .map(|((unit, rank), tied)| {
                let mut object = unit_json(rank, tied, unit, lang);
                if let Value::Object(map) = &mut object {
                    map.insert("period_from".into(), json!(ranking.period.from.to_string()));
                    map.insert("period_to".into(), json!(ranking.period.to.to_string()));
                    map.insert("reviewed".into(), json!(!ranking.unreviewed_only()));
                    map.insert("method_version".into(), json!(ranking.method.version));
                    map.insert("method".into(), json!(ranking.method.citation.get(lang)));
                }
                object
            })
            .collect(),
    )
}

fn right(text: &str, cells: usize) -> String {
    format!("{}{text}", " ".repeat(cells.saturating_sub(width(text))))
}

/// The ranking as a text table, columns lined up in display cells.
pub fn table(ranking: &Ranking, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    let period = ranking.period;
    out.push_str(&if zh {
        format!("评分排名 {} 至 {}\n", period.from, period.to)
    } else {
        format!("Scores {} to {}\n", period.from, period.to)
    });
    out.push_str(&if zh {
        format!(
            "考评办法：{}。{}\n",
            ranking.method.citation.zh, ranking.method.rounding.zh
        )
    } else {
        format!(
            "Method: {}. {}\n",
            ranking.method.citation.en, ranking.method.rounding.en
        )
    });
    if ranking.units.is_empty() {
        out.push_str(if zh {
            "该期间没有检查记录。\n"
        } else {
            "Nothing was inspected in this period.\n"
        });
        return out;
    }
    if ranking.unreviewed_only() {
        out.push_str(&format!("{}\n", unreviewed_note(lang, ranking)));
    } else if ranking.pending_findings() > 0 {
        let points: Points = ranking.units.iter().map(|u| u.provisional_points).sum();
        out.push_str(&if zh {
            format!(
                "另有 {} 条待审核（暂不计分），共 {points} 分。\n",
                ranking.pending_findings()
            )
        } else {
            format!(
                "{} more findings pending review (provisional, not counted): {points} points.\n",
                ranking.pending_findings()
            )
        });
    }
    let unit_w = ranking
        .units
        .iter()
        .map(|u| width(&u.unit.name))
        .max()
        .unwrap_or(4)
        .clamp(8, 40);
    let dept_w = ranking
        .units
        .iter()
        .map(|u| width(&u.unit.department))
        .max()
        .unwrap_or(4)
        .clamp(4, 16);
    let headers: [&str; 7] = if zh {
        ["名次", "单位", "部门", "得分", "等次", "扣分", "待审"]
    } else {
        ["Rank", "Unit", "Dept", "Score", "Grade", "Lost", "Pending"]
    };
    out.push_str(&format!(
        "{} {} {} {} {} {} {}\n",
        right(headers[0], 7),
        fit(headers[1], unit_w),
        fit(headers[2], dept_w),
        right(headers[3], 6),
        fit(headers[4], 9),
        right(headers[5], 6),
        right(headers[6], 7),
    ));
    for ((unit, rank), tied) in ranking
        .units
        .iter()
        .zip(ranking.ranks())
        .zip(ranking.tied())
    {
        let rank = if !tied {
            rank.to_string()
        } else if zh {
            format!("{rank} 并列")
        } else {
            format!("{rank} tied")
        };
        let pending = if unit.provisional_points > Points::ZERO {
            format!("({})", unit.provisional_points)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "{} {} {} {} {} {} {}\n",
            right(&rank, 7),
            fit(&unit.unit.name, unit_w),
            fit(&unit.unit.department, dept_w),
            right(&unit.score.to_string(), 6),
            fit(unit.grade.label().get(lang), 9),
            right(&unit.deducted.to_string(), 6),
            right(&pending, 7),
        ));
        for line in &unit.counted {
            out.push_str(&format!(
                "{} {} x{} -{}\n",
                " ".repeat(5),
                line.item.get(lang),
                line.count,
                line.points
            ));
        }
        for a in &unit.appraisals {
            let label = if zh {
                "公众评议"
            } else {
                "public appraisal"
            };
            let satisfaction = a.satisfaction.map(|s| format!(" {s}%")).unwrap_or_default();
            out.push_str(&format!(
                "{} {label}{satisfaction} -{}\n",
                " ".repeat(5),
                a.points
            ));
        }
        for l in &unit.lines {
            let date = l.date.map(|d| format!(" {d}")).unwrap_or_default();
            out.push_str(&format!(
                "{} {} {} x{} -{}{date} ({})\n",
                " ".repeat(5),
                l.section,
                l.label.get(lang),
                l.count,
                l.points,
                l.reason
            ));
        }
        for l in &unit.pending_lines {
            let date = l.date.map(|d| format!(" {d}")).unwrap_or_default();
            out.push_str(&format!(
                "{} {} {} x{} ({}){date} [{}] ({})\n",
                " ".repeat(5),
                l.section,
                l.label.get(lang),
                l.count,
                l.points,
                if zh {
                    "待审，不计分"
                } else {
                    "pending review, not counted"
                },
                l.reason
            ));
        }
        for e in &unit.extra {
            // A line that moves points away from the unit gives them back: +.
            let points = if e.points < Points::ZERO {
                format!("+{}", Points::ZERO - e.points)
            } else {
                format!("-{}", e.points)
            };
            out.push_str(&format!(
                "{} [{}] {} {points}\n",
                " ".repeat(5),
                e.section,
                e.reason.get(lang),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn missing_dates_come_from_the_ledger_or_today() {
        let span = Period::new(day("2026-01-05"), day("2026-10-30")).ok();
        let today = day("2026-11-24");
        let p = choose_period(None, None, span, today).unwrap();
        assert_eq!((p.from, p.to), (day("2026-01-05"), day("2026-10-30")));
        let p = choose_period(Some(day("2026-03-01")), None, span, today).unwrap();
        assert_eq!(p.to, today);
        let p = choose_period(None, Some(day("2026-03-31")), span, today).unwrap();
        assert_eq!(p.from, day("2026-01-05"));
        let err = choose_period(
            Some(day("2026-05-01")),
            Some(day("2026-04-01")),
            span,
            today,
        )
        .unwrap_err();
        assert!(
            err.contains("2026-05-01") && err.contains("2026-04-01"),
            "{err}"
        );
        let p = choose_period(None, None, None, today).unwrap();
        assert_eq!((p.from, p.to), (today, today));
    }
}
