//! `anfang enroll --name NAME --out FILE`: a request for the office to add
//! this laptop to its roster.

use crate::cli::EnrollArgs;
use crate::context::Context;
use crate::out::line;
use anfang_core::Lang;
use anyhow::Context as _;
use serde::{Deserialize, Serialize};
use std::process::ExitCode;

/// What the request file holds.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrollmentRequest {
    /// Always 1.
    pub anfang_enrollment: u32,
    /// The person.
    pub name: String,
    /// The laptop's device key (64 hex digits).
    pub device: String,
}

/// Runs `anfang enroll`.
pub fn run(ctx: &Context, args: &EnrollArgs) -> anyhow::Result<ExitCode> {
    let name = args.name.trim();
    if name.is_empty() || name.chars().any(char::is_control) {
        anyhow::bail!("--name '{}': give the person's name", args.name);
    }
    let ledger = ctx.open_ledger()?;
    let request = EnrollmentRequest {
        anfang_enrollment: 1,
        name: name.to_string(),
        device: ledger.device_id().to_string(),
    };
    let text = serde_json::to_string_pretty(&request)?;
    std::fs::write(&args.out, format!("{text}\n"))
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    let short = anfang_ledger::short(ledger.device_id());
    match ctx.lang {
        Lang::Zh => line(format!(
            "已写出登记申请 {}（设备 {short}），请交效能办：anfang roster add {} --role inspector --root-key …",
            args.out.display(),
            args.out.display()
        )),
        Lang::En => line(format!(
            "enrollment request written to {} (device {short}); hand it to the office: anfang roster add {} --role inspector --root-key …",
            args.out.display(),
            args.out.display()
        )),
    }
    Ok(ExitCode::SUCCESS)
}
