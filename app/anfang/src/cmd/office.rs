//! `anfang office init|join`: pin this ledger to an office.

use crate::cli::{OfficeAction, OfficeArgs};
use crate::context::Context;
use crate::out::{clean, line};
use crate::passphrase::Passphrases;
use anfang_core::Lang;
use anfang_core::authority::{Role, Roots, RosterDocument, office_fingerprint};
use anfang_export::{PSEUDONYM_KEY_FILE, PseudonymKey};
use anfang_ledger::office::root_key::RootKey;
use anyhow::{Context as _, bail};
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

/// Runs `anfang office`.
pub fn run(ctx: &Context, args: &OfficeArgs) -> anyhow::Result<ExitCode> {
    match &args.action {
        OfficeAction::Init {
            root_keys,
            threshold,
            adopt_existing,
            passphrase_file,
            name,
            pseudonym_key,
        } => {
            let zh = ctx.lang == Lang::Zh;
            let passphrases = Passphrases::from_option(passphrase_file.as_deref())?;
            let mut keys = Vec::new();
            for (i, path) in root_keys.iter().enumerate() {
                let key = if path.exists() {
                    RootKey::open(path, &passphrases.get(i, path, false, zh)?)?
                } else {
                    let key = RootKey::generate()?;
                    key.save(path, &passphrases.get(i, path, true, zh)?)?;
                    key
                };
                keys.push(key);
            }
            let mut publics: Vec<String> = keys.iter().map(|k| k.public().to_string()).collect();
            publics.sort();
            publics.dedup();
            if publics.len() != keys.len() {
                bail!("the same root key was given twice");
            }
            let count = u32::try_from(publics.len()).unwrap_or(u32::MAX);
            let threshold = threshold.unwrap_or(count / 2 + 1);
            if threshold == 0 || threshold > count {
                bail!("--threshold {threshold}: must be between 1 and the {count} root keys given");
            }
            let roots = Roots {
                keys: publics,
                threshold,
            };
            let fingerprint = office_fingerprint(&roots);
            let mut ledger = ctx.open_ledger()?;
            let mut doc = RosterDocument {
                office_name: name.clone(),
                office: fingerprint.clone(),
                version: 1,
                previous: None,
                roots,
                people: Vec::new(),
                delegations: Vec::new(),
                settings: Default::default(),
            };
            let me = ledger.device_id().to_string();
            let mut adopted = 0;
            if *adopt_existing {
                for device in ledger.device_activity()? {
                    if device.device == me || device.roles.is_empty() {
                        continue;
                    }
                    let name = device.name.clone().unwrap_or_else(|| {
                        format!("设备 {}", anfang_ledger::short(&device.device))
                    });
                    doc.enroll(&name, &device.device, &device.roles, 1);
                    mark_adopted(&mut doc, &device.device, device.last_seq);
                    adopted += 1;
                }
            }
            // The office machine itself: it publishes the roster and reviews.
            let my_last = ledger.last_seq_of(&me)?;
            doc.enroll(
                &ctx.user_name,
                &me,
                &[Role::Admin, Role::Reviewer, Role::Inspector],
                1,
            );
            if *adopt_existing {
                mark_adopted(&mut doc, &me, my_last);
            }
            let text = doc.to_text();
            let signatures = keys.iter().map(|k| k.sign_roster(&text)).collect();
            ledger.publish_roster(text, signatures)?;
            ledger.pin_office(&fingerprint)?;
            let key_file = match (pseudonym_key, root_keys.first()) {
                (Some(path), _) => path.clone(),
                (None, Some(root)) => root.with_file_name(PSEUDONYM_KEY_FILE),
                (None, None) => bail!("no --root-key given"),
            };
            let key = PseudonymKey::load_or_create_file(&key_file)?;
            key.install(&ctx.data_dir)?;
            if zh {
                line(format!(
                    "已建立效能办“{}”，根密钥 {} 把，需 {} 把签署。",
                    clean(name),
                    count,
                    threshold
                ));
                if *adopt_existing {
                    line(format!("已按既有记录登记 {adopted} 台设备。"));
                }
                line(format!(
                    "化名密钥：{}（与根密钥一同保管；各笔记本加入时用 --pseudonym-key 导入）",
                    key_file.display()
                ));
                line("效能办指纹（请与各检查组当面核对）：");
            } else {
                line(format!(
                    "office '{}' created: {count} root keys, {threshold} needed to sign.",
                    clean(name)
                ));
                if *adopt_existing {
                    line(format!(
                        "{adopted} devices enrolled from the ledger's events."
                    ));
                }
                line(format!(
                    "pseudonym secret: {} (keep it with the root keys; give it to each laptop with join --pseudonym-key)",
                    key_file.display()
                ));
                line("office fingerprint (compare it aloud with every team):");
            }
            line(&fingerprint);
            Ok(ExitCode::SUCCESS)
        }
        OfficeAction::Join {
            bundle,
            fingerprint,
            pseudonym_key,
        } => {
            // Read before joining, so a wrong file changes nothing.
            let key = pseudonym_key
                .as_deref()
                .map(PseudonymKey::read_file)
                .transpose()?;
            let code = join(ctx, bundle, fingerprint.as_deref())?;
            if code == ExitCode::SUCCESS
                && let Some(key) = key
            {
                let replaced = key.install(&ctx.data_dir)?;
                line(match (zh_of(ctx), replaced) {
                    (true, false) => "已导入效能办的化名密钥。",
                    (true, true) => "已导入效能办的化名密钥（替换了本机原有的密钥）。",
                    (false, false) => "the office's pseudonym secret is installed.",
                    (false, true) => {
                        "the office's pseudonym secret is installed (replacing this laptop's own)."
                    }
                });
            }
            Ok(code)
        }
    }
}

fn zh_of(ctx: &Context) -> bool {
    ctx.lang == Lang::Zh
}

/// Notes that a device's events up to `last` predate the office.
fn mark_adopted(doc: &mut RosterDocument, device: &str, last: u64) {
    for grant in doc.people.iter_mut().flat_map(|p| p.devices.iter_mut()) {
        if grant.device == device {
            grant.adopted_through_seq = Some(last);
        }
    }
}

fn join(
    ctx: &Context,
    bundle: &std::path::Path,
    expected: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let zh = ctx.lang == Lang::Zh;
    let mut ledger = ctx.open_ledger()?;
    if let Some(held) = ledger.office_fingerprint()? {
        bail!("this ledger already answers to office {held}");
    }
    ledger.merge(bundle, &mut |_| {})?;
    ledger.sync()?;
    // The offices whose first roster version the bundle brought.
    let mut offices: Vec<(String, String)> = ledger
        .roster_candidates()?
        .into_iter()
        .filter_map(|c| serde_json::from_str::<RosterDocument>(&c.document).ok())
        .filter(|d| d.version == 1 && office_fingerprint(&d.roots) == d.office)
        .map(|d| (d.office, d.office_name))
        .collect();
    offices.sort();
    offices.dedup();
    let (fingerprint, name) = match (offices.as_slice(), expected) {
        ([], _) => bail!("{} carries no office roster", bundle.display()),
        (_, Some(hex)) => match offices
            .iter()
            .find(|(fp, _)| fp.eq_ignore_ascii_case(hex.trim()))
        {
            Some(found) => found.clone(),
            None => bail!(
                "--fingerprint {hex}: no roster in {} is signed by that office (it carries {})",
                bundle.display(),
                offices
                    .iter()
                    .map(|o| o.0.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
        ([one], None) => {
            if zh {
                line(format!("效能办“{}”的指纹：", clean(&one.1)));
            } else {
                line(format!("fingerprint of office '{}':", clean(&one.1)));
            }
            line(&one.0);
            if !confirm(zh)? {
                line(if zh { "未加入。" } else { "not joined." });
                return Ok(ExitCode::FAILURE);
            }
            one.clone()
        }
        (many, None) => bail!(
            "{} carries rosters of {} offices; name the one to join with --fingerprint",
            bundle.display(),
            many.len()
        ),
    };
    ledger.pin_office(&fingerprint)?;
    if zh {
        line(format!(
            "已加入效能办“{}”（{}）。",
            clean(&name),
            anfang_ledger::short(&fingerprint)
        ));
    } else {
        line(format!(
            "joined office '{}' ({}).",
            clean(&name),
            anfang_ledger::short(&fingerprint)
        ));
    }
    Ok(ExitCode::SUCCESS)
}

/// Asks whether the fingerprint matches what the office read out.
fn confirm(zh: bool) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() {
        bail!("not a terminal: give the office fingerprint with --fingerprint HEX");
    }
    print!(
        "{}",
        if zh {
            "与效能办当面核对的指纹一致吗？[y/N] "
        } else {
            "Does it match the fingerprint the office read out? [y/N] "
        }
    );
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .context("cannot read the answer")?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "是"))
}
