//! `anfang units map "NAME AS TYPED" --to UNIT`: a unit recorded on visits
//! under a name the register did not hold is mapped, by the office's admin,
//! to a registered unit; its findings then score as that unit's.

use crate::context::Context;
use crate::out::{clean, line};
use anfang_core::Lang;
use anfang_core::event::EventBody;
use anfang_core::register::{Register, UnitRegistered};
use anfang_core::unit_map::UnitMapped;
use anfang_export::import::{closest, did_you_mean};
use anfang_ledger::short;
use anyhow::bail;
use std::process::ExitCode;

/// The registered unit `text` names: its id, name, alias or former name.
fn target<'a>(register: &'a Register, text: &str) -> Option<&'a UnitRegistered> {
    text.trim()
        .parse::<uuid::Uuid>()
        .ok()
        .and_then(|id| register.get(id))
        .or_else(|| register.resolve(text))
}

/// Runs `anfang units map`.
pub fn run(ctx: &Context, typed: &str, to: &str) -> anyhow::Result<ExitCode> {
    let typed = typed.trim();
    let mut ledger = ctx.open_ledger()?;
    let register = ledger.register()?;
    if typed.is_empty() {
        bail!(
            "{}",
            match ctx.lang {
                Lang::Zh => "要对应的单位名称为空",
                Lang::En => "the name to map is empty",
            }
        );
    }
    if let Some(held) = register.resolve(typed) {
        bail!(
            "{}",
            match ctx.lang {
                Lang::Zh => format!("'{typed}'已是登记单位{}的名称或别名，无需对应", held.name),
                Lang::En => format!(
                    "'{typed}' is already a name or alias of registered unit {}; nothing to map",
                    held.name
                ),
            }
        );
    }
    let Some(unit) = target(&register, to) else {
        let names = register.all_names();
        let (zh, en) = did_you_mean(&closest(to, names, 3));
        bail!(
            "{}",
            match ctx.lang {
                Lang::Zh => format!("单位名录中没有'{to}'{zh}"),
                Lang::En => format!("unit '{to}' is not in the register{en}"),
            }
        );
    };
    if let Err(refusal) = ledger.may_publish_office_data(typed)? {
        let device = format!("{}…", short(ledger.device_id()));
        bail!(
            "{}",
            match ctx.lang {
                Lang::Zh => format!(
                    "设备 {device}：{}；单位对应由效能办管理员（admin）发布",
                    refusal.text(ctx.lang)
                ),
                Lang::En => format!(
                    "device {device}: {}; mappings are published by the office's admin",
                    refusal.text(ctx.lang)
                ),
            }
        );
    }
    let mapped = UnitMapped {
        typed: typed.to_string(),
        unit_id: unit.unit_id,
        version: ledger.next_mapping_version(typed)?,
    };
    ledger.append(&EventBody::UnitMapped(mapped))?;
    line(clean(&match ctx.lang {
        Lang::Zh => format!(
            "已将'{typed}'对应到登记单位{}（{}）：其问题计入该单位",
            unit.name, unit.unit_id
        ),
        Lang::En => format!(
            "'{typed}' now maps to registered unit {} ({}): its findings count there",
            unit.name, unit.unit_id
        ),
    }));
    Ok(ExitCode::SUCCESS)
}
