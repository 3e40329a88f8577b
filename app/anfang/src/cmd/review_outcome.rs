//! `anfang review outcome ID`: what was done about a person concerned by a
//! confirmed finding (问责), recorded as a signed event.

use crate::cli::OutcomeArgs;
use crate::context::Context;
use crate::out::{clean, line};
use anfang_core::Lang;
use anfang_core::event::EventBody;
use anfang_core::outcome::{OutcomeKind, OutcomeRecorded};
use anfang_ledger::short;
use anyhow::bail;
use std::process::ExitCode;

/// The kind typed with `--kind` or `--outcome`, as an id or its Chinese name.
pub(super) fn kind(text: &str) -> anyhow::Result<OutcomeKind> {
    OutcomeKind::parse(text).ok_or_else(|| {
        let kinds: Vec<String> = OutcomeKind::ALL
            .iter()
            .map(|k| format!("{} ({})", k.label().get(Lang::Zh), k.as_str()))
            .collect();
        anyhow::anyhow!("kind '{text}': use one of {}", kinds.join(", "))
    })
}

/// A value typed for an optional field, blank meaning none.
fn given(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// Runs `anfang review outcome`.
pub fn record(ctx: &Context, args: &OutcomeArgs) -> anyhow::Result<ExitCode> {
    let zh = ctx.lang == Lang::Zh;
    let finding_id: uuid::Uuid = args
        .finding_id
        .parse()
        .map_err(|_| anyhow::anyhow!("'{}' is not a finding id", args.finding_id))?;
    let person = args.person.trim();
    if person.is_empty() {
        bail!("--person is empty: name the person concerned");
    }
    let kind = kind(&args.kind)?;
    let date: jiff::civil::Date = args
        .date
        .parse()
        .map_err(|_| anyhow::anyhow!("--date '{}' is not a date (YYYY-MM-DD)", args.date))?;
    let mut ledger = ctx.open_ledger()?;
    if ledger.review_detail(finding_id)?.is_none() {
        bail!("no finding {finding_id} is recorded in this ledger");
    }
    if let Err(refusal) = ledger.may_record_outcome(finding_id)? {
        bail!(
            "{} {}: {}{}",
            if zh { "设备" } else { "device" },
            format_args!("{}…", short(ledger.device_id())),
            refusal.text(ctx.lang),
            if zh {
                "（未记录）"
            } else {
                " (nothing recorded)"
            }
        );
    }
    let record = OutcomeRecorded {
        finding_id,
        person: person.to_string(),
        kind,
        date,
        number: given(args.number.as_deref()),
        note: given(args.note.as_deref()),
    };
    let id = ledger.append(&EventBody::OutcomeRecorded(record))?;
    if let Some((en, zh_text)) = ledger.refusal_of(&id)? {
        bail!("{finding_id}: {}", if zh { zh_text } else { en });
    }
    line(clean(&if zh {
        format!(
            "{finding_id}：已记录问责 {} {}（{date}）",
            person,
            kind.label().get(ctx.lang)
        )
    } else {
        format!(
            "{finding_id}: recorded {} for {person} ({date})",
            kind.label().get(ctx.lang)
        )
    }));
    Ok(ExitCode::SUCCESS)
}
