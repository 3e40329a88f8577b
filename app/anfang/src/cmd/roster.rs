//! `anfang roster add|revoke|list`: the office's roster, versioned and
//! signed by its root keys.

use super::enroll::EnrollmentRequest;
use crate::cli::{RosterAction, RosterArgs};
use crate::context::Context;
use crate::out::{clean, line};
use crate::passphrase::Passphrases;
use anfang_core::Lang;
use anfang_core::authority::{Role, RosterDocument};
use anfang_ledger::Ledger;
use anfang_ledger::office::root_key::RootKey;
use anyhow::{Context as _, bail};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Runs `anfang roster`.
pub fn run(ctx: &Context, args: &RosterArgs) -> anyhow::Result<ExitCode> {
    let zh = ctx.lang == Lang::Zh;
    match &args.action {
        RosterAction::Add {
            request,
            roles,
            root_keys,
            passphrase_file,
        } => {
            let text = std::fs::read_to_string(request)
                .with_context(|| format!("cannot read {}", request.display()))?;
            let req: EnrollmentRequest = serde_json::from_str(&text).map_err(|e| {
                anyhow::anyhow!("{} is not an enrollment request: {e}", request.display())
            })?;
            if req.device.len() != 64 || !req.device.bytes().all(|b| b.is_ascii_hexdigit()) {
                bail!(
                    "{}: device '{}' is not a device key",
                    request.display(),
                    req.device
                );
            }
            let roles = roles
                .iter()
                .map(|r| {
                    Role::parse(r).ok_or_else(|| {
                        anyhow::anyhow!("--role '{r}': use inspector, reviewer or admin")
                    })
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let mut ledger = ctx.open_ledger()?;
            let mut doc = current(&ledger)?.next();
            // Events the device made before this version count under its old
            // window, if it had one: the new roles start after what we hold.
            let from = ledger.last_seq_of(&req.device)? + 1;
            doc.enroll(&req.name, &req.device, &roles, from);
            publish(ctx, &mut ledger, doc, root_keys, passphrase_file.as_deref())?;
            let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
            line(if zh {
                format!(
                    "已登记 {} 的设备 {}：{}",
                    clean(&req.name),
                    anfang_ledger::short(&req.device),
                    names.join("、")
                )
            } else {
                format!(
                    "enrolled {}'s device {}: {}",
                    clean(&req.name),
                    anfang_ledger::short(&req.device),
                    names.join(", ")
                )
            });
            Ok(ExitCode::SUCCESS)
        }
        RosterAction::Revoke {
            device,
            after_seq,
            root_keys,
            passphrase_file,
        } => {
            let mut ledger = ctx.open_ledger()?;
            let mut doc = current(&ledger)?.next();
            let matching: Vec<String> = doc
                .devices_matching(&device.to_ascii_lowercase())
                .into_iter()
                .map(str::to_string)
                .collect();
            let full = match matching.as_slice() {
                [one] => one.clone(),
                [] => bail!("device '{device}' is not on the roster"),
                _ => bail!(
                    "device '{device}' matches {} devices; give more of its key",
                    matching.len()
                ),
            };
            let after = match after_seq {
                Some(n) => *n,
                None => ledger.last_seq_of(&full)?,
            };
            doc.revoke(&full, after);
            publish(ctx, &mut ledger, doc, root_keys, passphrase_file.as_deref())?;
            line(if zh {
                format!(
                    "设备 {} 的授权止于第 {after} 个事件；其后的事件保留但不计。",
                    anfang_ledger::short(&full)
                )
            } else {
                format!(
                    "device {}'s authority ends after its event {after}; later events are kept and count for nothing.",
                    anfang_ledger::short(&full)
                )
            });
            Ok(ExitCode::SUCCESS)
        }
        RosterAction::Delegate {
            name,
            roster,
            units,
            departments,
            root_keys,
            passphrase_file,
        } => {
            let delegation = delegation(name, roster, units, departments)?;
            let mut ledger = ctx.open_ledger()?;
            let mut doc = current(&ledger)?.next();
            if delegation
                .roots
                .keys
                .iter()
                .any(|k| doc.roots.keys.contains(k))
            {
                bail!("{}: that is this office's own roster", roster.display());
            }
            let fingerprint = anfang_core::authority::office_fingerprint(&delegation.roots);
            // A new delegation to the same office replaces the old one.
            doc.delegations
                .retain(|d| anfang_core::authority::office_fingerprint(&d.roots) != fingerprint);
            doc.delegations.push(delegation);
            publish(ctx, &mut ledger, doc, root_keys, passphrase_file.as_deref())?;
            let reach = units
                .iter()
                .chain(departments)
                .map(|s| clean(s).into_owned())
                .collect::<Vec<_>>();
            line(if zh {
                format!(
                    "已授权下级办公室 {}（{}）负责：{}",
                    clean(name),
                    anfang_ledger::short(&fingerprint),
                    reach.join("、")
                )
            } else {
                format!(
                    "delegated to the lower office {} ({}) for: {}",
                    clean(name),
                    anfang_ledger::short(&fingerprint),
                    reach.join(", ")
                )
            });
            Ok(ExitCode::SUCCESS)
        }
        RosterAction::List { json } => list(ctx, *json),
    }
}

/// The delegation `roster delegate` asks for, its roots read from what the
/// lower office's `roster list --json` printed and checked against the
/// fingerprint printed with them.
fn delegation(
    name: &str,
    roster: &Path,
    units: &[String],
    departments: &[String],
) -> anyhow::Result<anfang_core::authority::Delegation> {
    use anfang_core::authority::{Delegation, Roots, office_fingerprint};
    if units.is_empty() && departments.is_empty() {
        bail!("name what the lower office answers for: --unit UNIT or --department DEPARTMENT");
    }
    let text = std::fs::read_to_string(roster)
        .with_context(|| format!("cannot read {}", roster.display()))?;
    let listed: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        anyhow::anyhow!(
            "{} is not what `anfang roster list --json` prints: {e}",
            roster.display()
        )
    })?;
    let roots: Roots = serde_json::from_value(listed["roots"].clone()).map_err(|_| {
        anyhow::anyhow!(
            "{}: no roots in it (a `roster list --json` of an office ledger has them)",
            roster.display()
        )
    })?;
    let said = listed["office_fingerprint"].as_str().unwrap_or_default();
    if office_fingerprint(&roots) != said {
        bail!(
            "{}: its roots do not give its fingerprint {} (its roots were rotated since its first version, or the file was edited)",
            roster.display(),
            anfang_ledger::short(said)
        );
    }
    Ok(Delegation {
        name: name.to_string(),
        roots,
        units: units.to_vec(),
        departments: departments.to_vec(),
    })
}

fn current(ledger: &Ledger) -> anyhow::Result<RosterDocument> {
    match ledger.authority().roster() {
        Some(doc) => Ok(doc.clone()),
        None if ledger.authority().is_office() => {
            bail!("this ledger's office has no valid roster yet")
        }
        None => bail!(
            "this ledger has no office: run `anfang office init` (office) or `anfang office join` (laptop)"
        ),
    }
}

/// Signs the next version with the root keys given and records it.
fn publish(
    ctx: &Context,
    ledger: &mut Ledger,
    doc: RosterDocument,
    root_keys: &[PathBuf],
    passphrase_file: Option<&Path>,
) -> anyhow::Result<()> {
    let signers = current(ledger)?.roots;
    let passphrases = Passphrases::from_option(passphrase_file)?;
    let text = doc.to_text();
    let mut signatures = Vec::new();
    for (i, path) in root_keys.iter().enumerate() {
        let public = RootKey::public_of(path)?;
        if !signers.keys.contains(&public) {
            bail!(
                "root key {} ({}) is not one of the office's root keys",
                path.display(),
                anfang_ledger::short(&public)
            );
        }
        let key = RootKey::open(
            path,
            &passphrases.get(i, path, false, ctx.lang == Lang::Zh)?,
        )?;
        signatures.push(key.sign_roster(&text));
    }
    let distinct: std::collections::BTreeSet<&str> =
        signatures.iter().map(|s| s.key.as_str()).collect();
    if distinct.len() < signers.threshold as usize {
        bail!(
            "signed by {} of the {} root keys needed; give more --root-key files",
            distinct.len(),
            signers.threshold
        );
    }
    ledger.publish_roster(text, signatures)?;
    if ledger.authority().roster().map(|r| r.version) != Some(doc.version) {
        bail!("the new roster version did not take effect; run `anfang verify` to see why");
    }
    Ok(())
}

fn list(ctx: &Context, as_json: bool) -> anyhow::Result<ExitCode> {
    let zh = ctx.lang == Lang::Zh;
    let ledger = ctx.open_ledger()?;
    let Some(fingerprint) = ledger.office_fingerprint()? else {
        if as_json {
            line(json!({ "office_fingerprint": null, "mode": "open" }));
        } else {
            line(if zh {
                "开放模式：本账本未绑定效能办，任何设备签名的事件均计入。"
            } else {
                "open mode: no office pinned; every signed event counts."
            });
        }
        return Ok(ExitCode::SUCCESS);
    };
    let doc = ledger.authority().roster().cloned();
    if as_json {
        let people: Vec<_> = doc
            .iter()
            .flat_map(|d| &d.people)
            .map(|p| {
                json!({
                    "name": p.name,
                    "devices": p.devices.iter().map(|g| json!({
                        "device": g.device,
                        "short": anfang_ledger::short(&g.device),
                        "roles": g.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
                        "from_seq": g.from_seq,
                        "until_seq": g.until_seq,
                    })).collect::<Vec<_>>(),
                    "recuse": { "units": p.recuse.units, "departments": p.recuse.departments },
                })
            })
            .collect();
        line(serde_json::to_string_pretty(&json!({
            "office_fingerprint": fingerprint,
            "office_name": doc.as_ref().map(|d| d.office_name.clone()),
            "version": doc.as_ref().map(|d| d.version),
            "roots": doc.as_ref().map(|d| json!({ "keys": d.roots.keys, "threshold": d.roots.threshold })),
            "people": people,
        }))?);
        return Ok(ExitCode::SUCCESS);
    }
    let Some(doc) = doc else {
        line(if zh {
            "名册尚无有效版本。"
        } else {
            "no valid roster version yet."
        });
        return Ok(ExitCode::SUCCESS);
    };
    line(if zh {
        format!(
            "{}（指纹 {}）名册第 {} 版，根密钥 {} 把需 {} 把签署",
            clean(&doc.office_name),
            anfang_ledger::short(&fingerprint),
            doc.version,
            doc.roots.keys.len(),
            doc.roots.threshold
        )
    } else {
        format!(
            "{} (fingerprint {}) roster version {}, {} root keys, {} to sign",
            clean(&doc.office_name),
            anfang_ledger::short(&fingerprint),
            doc.version,
            doc.roots.keys.len(),
            doc.roots.threshold
        )
    });
    for p in &doc.people {
        for g in &p.devices {
            let roles: Vec<String> = g
                .roles
                .iter()
                .map(|r| r.label().get(ctx.lang).to_string())
                .collect();
            let until = g.until_seq.map_or(String::new(), |u| format!("–{u}"));
            line(format!(
                "  {} {} {} #{}{}",
                clean(&p.name),
                anfang_ledger::short(&g.device),
                roles.join(if zh { "、" } else { ", " }),
                g.from_seq,
                if until.is_empty() {
                    "–".to_string()
                } else {
                    until
                }
            ));
        }
    }
    Ok(ExitCode::SUCCESS)
}
