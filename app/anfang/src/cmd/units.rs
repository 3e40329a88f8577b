//! `anfang units list|add|import|export`: the office's register of units,
//! published as signed events by the office's admin (any device in a
//! ledger with no office).

use crate::cli::{UnitsAction, UnitsArgs};
use crate::context::Context;
use crate::out::{clean, line};
use anfang_core::Lang;
use anfang_core::event::EventBody;
use anfang_core::register::{Register, UnitRegistered, join_aliases};
use anfang_export::import::{
    ImportError, RowProblem, UnitRow, UnitsFileError, plan_units, read_units, write_units,
};
use anfang_ledger::{Ledger, short};
use anyhow::bail;
use serde_json::json;
use std::process::ExitCode;

/// Runs `anfang units`.
pub fn run(ctx: &Context, args: &UnitsArgs) -> anyhow::Result<ExitCode> {
    match &args.action {
        UnitsAction::List { json } => list(ctx, *json),
        UnitsAction::Add {
            name,
            department,
            kind,
            parent,
            aliases,
        } => {
            let row = UnitRow {
                row: 0,
                name: name.trim().to_string(),
                department: department.trim().to_string(),
                kind: kind.trim().to_string(),
                parent: parent.as_deref().map(str::trim).map(str::to_string),
                aliases: aliases.iter().map(|a| a.trim().to_string()).collect(),
            };
            add(ctx, row)
        }
        UnitsAction::Import { file } => {
            let rows = match read_units(file) {
                Ok(rows) => rows,
                Err(UnitsFileError::Rows(problems)) => return rows_wrong(ctx, &problems),
                Err(UnitsFileError::File(ImportError::BadFile { path, reason })) => {
                    bail!("{}: {}", path.display(), reason.get(ctx.lang))
                }
                Err(e) => return Err(e.into()),
            };
            publish(ctx, &rows, true)
        }
        UnitsAction::Export { out } => export(ctx, out.as_deref()),
        UnitsAction::Map { typed, to } => crate::cmd::units_map::run(ctx, typed, to),
    }
}

fn list(ctx: &Context, as_json: bool) -> anyhow::Result<ExitCode> {
    let ledger = ctx.open_ledger()?;
    let register = ledger.register()?;
    let parent_name = |u: &UnitRegistered| {
        u.parent
            .and_then(|p| register.get(p))
            .map(|p| p.name.clone())
    };
    if as_json {
        let items: Vec<_> = register
            .units
            .iter()
            .map(|u| {
                let former: Vec<&str> = register
                    .former_names
                    .iter()
                    .filter(|(id, _)| *id == u.unit_id)
                    .map(|(_, n)| n.as_str())
                    .collect();
                json!({
                    "id": u.unit_id,
                    "version": u.version,
                    "name": u.name,
                    "department": u.department,
                    "kind": u.kind,
                    "parent": u.parent,
                    "parent_name": parent_name(u),
                    "aliases": u.aliases,
                    "former_names": former,
                    "active_from": u.active_from.map(|d| d.to_string()),
                    "active_to": u.active_to.map(|d| d.to_string()),
                })
            })
            .collect();
        line(serde_json::to_string_pretty(&items)?);
        return Ok(ExitCode::SUCCESS);
    }
    if register.is_empty() {
        line(match ctx.lang {
            Lang::Zh => "单位名录为空（anfang units add 或 anfang units import 登记单位）",
            Lang::En => {
                "The register of units is empty (anfang units add or anfang units import registers units)"
            }
        });
    }
    for u in &register.units {
        let parent = parent_name(u)
            .map(|p| match ctx.lang {
                Lang::Zh => format!("  上级：{p}"),
                Lang::En => format!("  parent: {p}"),
            })
            .unwrap_or_default();
        let aliases = if u.aliases.is_empty() {
            String::new()
        } else {
            match ctx.lang {
                Lang::Zh => format!("  别名：{}", join_aliases(&u.aliases)),
                Lang::En => format!("  aliases: {}", u.aliases.join(", ")),
            }
        };
        line(clean(&format!(
            "{}  {}  {}  {}{}{}",
            u.unit_id, u.name, u.department, u.kind, parent, aliases
        )));
    }
    Ok(ExitCode::SUCCESS)
}

fn add(ctx: &Context, row: UnitRow) -> anyhow::Result<ExitCode> {
    let ledger = ctx.open_ledger()?;
    let register = ledger.register()?;
    if let Some(held) = register.resolve(&row.name) {
        bail!(
            "{}",
            match ctx.lang {
                Lang::Zh => format!(
                    "单位'{}'已登记（{}，{}）",
                    row.name, held.name, held.unit_id
                ),
                Lang::En => format!(
                    "unit '{}' is already registered ({}, {})",
                    row.name, held.name, held.unit_id
                ),
            }
        );
    }
    drop(ledger);
    publish(ctx, &[row], false)
}

/// Prints each bad row and fails: nothing was written.
fn rows_wrong(ctx: &Context, problems: &[RowProblem]) -> anyhow::Result<ExitCode> {
    for p in problems {
        let text = match ctx.lang {
            Lang::Zh => format!("第{}行：{}", p.row, p.reason.zh),
            Lang::En => format!("row {}: {}", p.row, p.reason.en),
        };
        eprintln!("anfang: {}", clean(&text));
    }
    bail!(
        "{}",
        match ctx.lang {
            Lang::Zh => format!("{} 行有误，未登记任何单位", problems.len()),
            Lang::En => format!(
                "{} row(s) are wrong; no unit was registered",
                problems.len()
            ),
        }
    )
}

/// Publishes what `rows` change in the register, in one transaction.
fn publish(ctx: &Context, rows: &[UnitRow], from_file: bool) -> anyhow::Result<ExitCode> {
    let mut ledger = ctx.open_ledger()?;
    let register = ledger.register()?;
    let planned = match plan_units(&register, rows, uuid::Uuid::now_v7) {
        Ok(planned) => planned,
        Err(problems) if from_file => return rows_wrong(ctx, &problems),
        Err(problems) => bail!(
            "{}",
            problems
                .iter()
                .map(|p| p.reason.get(ctx.lang).to_string())
                .collect::<Vec<_>>()
                .join("; ")
        ),
    };
    for unit in &planned {
        may_publish(ctx, &ledger, unit)?;
    }
    let now = jiff::Timestamp::now();
    let events: Vec<_> = planned
        .iter()
        .map(|u| (None, EventBody::UnitRegistered(u.clone()), now))
        .collect();
    ledger.append_batch(&events)?;
    report(ctx, &register, &planned);
    Ok(ExitCode::SUCCESS)
}

/// Fails, writing nothing, unless this device may publish the register.
fn may_publish(ctx: &Context, ledger: &Ledger, unit: &UnitRegistered) -> anyhow::Result<()> {
    if let Err(refusal) = ledger.may_register(unit)? {
        let device = format!("{}…", short(ledger.device_id()));
        bail!(
            "{}",
            match ctx.lang {
                Lang::Zh => format!(
                    "设备 {device}：{}；单位名录由效能办管理员（admin）发布",
                    refusal.text(ctx.lang)
                ),
                Lang::En => format!(
                    "device {device}: {}; the register is published by the office's admin",
                    refusal.text(ctx.lang)
                ),
            }
        );
    }
    Ok(())
}

fn report(ctx: &Context, before: &Register, planned: &[UnitRegistered]) {
    let added = planned
        .iter()
        .filter(|u| before.get(u.unit_id).is_none())
        .count();
    let changed = planned.len() - added;
    if planned.len() == 1 && added == 1 {
        line(clean(&format!(
            "{}  {}",
            planned[0].unit_id, planned[0].name
        )));
        return;
    }
    line(match ctx.lang {
        Lang::Zh => format!("新登记 {added} 个单位，更新 {changed} 个"),
        Lang::En => format!("{added} unit(s) registered, {changed} updated"),
    });
}

fn export(ctx: &Context, out: Option<&std::path::Path>) -> anyhow::Result<ExitCode> {
    let ledger = ctx.open_ledger()?;
    let register = ledger.register()?;
    let mut bytes = Vec::new();
    write_units(&register, &mut bytes)?;
    match out {
        Some(path) => {
            std::fs::write(path, &bytes)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
            line(match ctx.lang {
                Lang::Zh => format!(
                    "已导出 {} 个单位到 {}",
                    register.units.len(),
                    path.display()
                ),
                Lang::En => format!(
                    "{} unit(s) written to {}",
                    register.units.len(),
                    path.display()
                ),
            });
        }
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(&bytes);
        }
    }
    Ok(ExitCode::SUCCESS)
}
