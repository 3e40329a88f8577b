//! Checklists published as signed events (`checklist_published`, the
//! office's admin): written by `checklists publish`, and placed as files in
//! the data folder wherever a bundle brought them, so every laptop offers
//! them on visits.

use crate::context::Context;
use anfang_core::Lang;
use anfang_core::checklist_published::ChecklistPublished;
use anfang_core::event::EventBody;
use anfang_ledger::short;
use anfang_plugin_host::data::DATA_CHECKLIST_DIR;
use anyhow::bail;

/// Appends the signed publication of checklist `id`, or fails writing
/// nothing when this device may not publish for the office.
pub fn publish_event(ctx: &Context, id: &str, document: String) -> anyhow::Result<()> {
    let mut ledger = ctx.open_ledger()?;
    if let Err(refusal) = ledger.may_publish_office_data(id)? {
        let device = format!("{}…", short(ledger.device_id()));
        bail!(
            "{}",
            match ctx.lang {
                Lang::Zh => format!(
                    "设备 {device}：{}；检查表由效能办管理员（admin）发布",
                    refusal.text(ctx.lang)
                ),
                Lang::En => format!(
                    "device {device}: {}; checklists are published by the office's admin",
                    refusal.text(ctx.lang)
                ),
            }
        );
    }
    let version = ledger.next_checklist_version(id)?;
    ledger.append(&EventBody::ChecklistPublished(ChecklistPublished {
        checklist_id: id.to_string(),
        version,
        document,
    }))?;
    Ok(())
}

/// Writes each published checklist the ledger holds to
/// `<data dir>/checklists/<id>.json` when the file is missing or differs.
/// Without a ledger there is nothing to place.
pub fn place_published(ctx: &Context) -> anyhow::Result<()> {
    let file = ctx.data_dir.join(anfang_ledger::LEDGER_FILE);
    if !file.exists() {
        return Ok(());
    }
    let ledger = ctx.open_ledger()?;
    let published = ledger.published_checklists()?;
    if published.is_empty() {
        return Ok(());
    }
    let folder = ctx.data_dir.join(DATA_CHECKLIST_DIR);
    std::fs::create_dir_all(&folder)?;
    for checklist in published {
        // An id is a manifest id (checked when published); never a path.
        if checklist.checklist_id.contains(['/', '\\']) || checklist.checklist_id.starts_with('.') {
            continue;
        }
        let target = folder.join(format!("{}.json", checklist.checklist_id));
        if std::fs::read_to_string(&target).ok().as_deref() == Some(checklist.document.as_str()) {
            continue;
        }
        let partial = folder.join(format!(".{}.json.partial", checklist.checklist_id));
        std::fs::write(&partial, &checklist.document)?;
        std::fs::rename(&partial, &target)?;
    }
    Ok(())
}
