//! `anfang deduct`: a reviewer takes points from a unit for what the
//! office's own records show (meetings missed, tasks overdue, 信访 overdue,
//! discipline cases …): one row of the method in force, signed, pending
//! until a reviewer confirms it (then counted in the period holding its
//! date), and shown in the unit's breakdown.

use crate::cli::DeductArgs;
use crate::context::Context;
use crate::out::{clean, line};
use anfang_core::method::RowSource;
use anfang_core::office_deduction::{DeductionEvidence, OfficeDeductionEntered};
use anfang_core::period::parse_date;
use anfang_core::visit::Unit;
use anfang_core::{Lang, Points};
use anfang_export::import::closest;
use anfang_ledger::{Ledger, short};
use anyhow::bail;
use std::process::ExitCode;

/// Runs `anfang deduct`: its subcommands, or entering a deduction.
pub fn run(ctx: &Context, args: &DeductArgs) -> anyhow::Result<ExitCode> {
    if let Some(action) = &args.action {
        return super::deduct_review::run(ctx, action);
    }
    let zh = ctx.lang == Lang::Zh;
    let given = |value: &Option<String>, flag: &str| {
        value
            .clone()
            .ok_or_else(|| anyhow::anyhow!("{flag} is required to enter a deduction"))
    };
    let (unit_name, item, date, reason) = (
        given(&args.unit, "--unit")?,
        given(&args.item, "--item")?,
        given(&args.date, "--date")?,
        given(&args.reason, "--reason")?,
    );
    let date = parse_date(&date).map_err(|e| anyhow::anyhow!("{e}"))?;
    let reason = reason.trim();
    if reason.is_empty() {
        bail!(if zh {
            "--reason 为空：请写明扣分理由"
        } else {
            "--reason is empty: say why the points are taken"
        });
    }
    let points_each = args
        .points
        .map(|p| {
            Points::from_f64(p)
                .filter(|p| *p > Points::ZERO)
                .ok_or_else(|| anyhow::anyhow!("--points {p}: give a number above 0"))
        })
        .transpose()?;
    let mut ledger = ctx.open_ledger()?;
    let method = ledger.method_in_force()?.method;
    let Some(row) = method.row(item.trim()) else {
        let ids: Vec<&str> = method
            .rows
            .iter()
            .filter(|r| r.source == RowSource::Office)
            .map(|r| r.id.as_str())
            .collect();
        let near = closest(&item, ids.iter().copied(), 3);
        let (zh_hint, en_hint) = anfang_export::import::did_you_mean(&near);
        bail!(
            "{}",
            clean(&if zh {
                format!("未知扣分项 '{item}'{zh_hint}；anfang method show 列出全部")
            } else {
                format!("unknown item '{item}'{en_hint}; anfang method show lists them")
            })
        );
    };
    let points = row
        .deduction(args.count, points_each, method.rounding)
        .map_err(|e| anyhow::anyhow!("{}", e.text(ctx.lang)))?;
    let unit = resolve_unit(&ledger, &unit_name, zh)?;
    if let Err(refusal) = ledger.may_deduct(&unit)? {
        let device = format!("{}…", short(ledger.device_id()));
        bail!(
            "{}",
            if zh {
                format!(
                    "设备 {device}：{}；效能办扣分由审核人（reviewer）录入",
                    refusal.text(ctx.lang)
                )
            } else {
                format!(
                    "device {device}: {}; office deductions are entered by a reviewer",
                    refusal.text(ctx.lang)
                )
            }
        );
    }
    // Read and checked like a finding's evidence: one kind and size check, one hash.
    let file = args
        .evidence
        .as_deref()
        .map(anfang_ledger::read_decision_file)
        .transpose()?;
    let evidence = file.as_ref().map(|f| DeductionEvidence {
        name: f.file.file_name.clone(),
        sha256: f.file.sha256.clone(),
        size: f.file.size,
    });
    let entry = OfficeDeductionEntered {
        deduction_id: uuid::Uuid::now_v7(),
        unit: unit.clone(),
        item: row.id.clone(),
        section: row.section.clone(),
        method_version: method.version,
        count: args.count,
        points_each,
        points,
        date,
        reason: reason.to_string(),
        evidence,
    };
    ledger.enter_deduction(&entry, file.as_ref(), jiff::Timestamp::now())?;
    line(clean(&format!(
        "{}  {}  {} {}  -{}  ({})",
        entry.deduction_id,
        unit.name,
        row.section,
        row.label.get(ctx.lang),
        points,
        if zh {
            "待审：审核确认后计分"
        } else {
            "pending: counts once a reviewer confirms it"
        }
    )));
    Ok(ExitCode::SUCCESS)
}

/// The unit named: a registered name or alias, else a unit already in the ledger.
fn resolve_unit(ledger: &Ledger, name: &str, zh: bool) -> anyhow::Result<Unit> {
    let register = ledger.register()?;
    if let Some(u) = register.resolve(name) {
        return Ok(Unit {
            name: u.name.clone(),
            department: u.department.clone(),
        });
    }
    let known = ledger.known_units()?;
    if let Some(u) = known.iter().find(|u| u.name == name.trim()) {
        return Ok(u.clone());
    }
    let names: Vec<&str> = register
        .units
        .iter()
        .map(|u| u.name.as_str())
        .chain(known.iter().map(|u| u.name.as_str()))
        .collect();
    let near = closest(name, names.iter().copied(), 3);
    let (zh_hint, en_hint) = anfang_export::import::did_you_mean(&near);
    bail!(
        "{}",
        clean(&if zh {
            format!("未知单位 '{name}'{zh_hint}")
        } else {
            format!("unknown unit '{name}'{en_hint}")
        })
    )
}
