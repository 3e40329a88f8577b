//! `anfang checklists list [--json] | check FILE | publish FILE`: every
//! checklist a visit can use (built in, from plugins, from data files), and
//! the data checklist files an office writes without a programmer.

use crate::cli::{ChecklistsAction, ChecklistsArgs};
use crate::context::Context;
use anfang_core::Lang;
use anfang_core::manifest::Manifest;
use anfang_plugin_host::Registry;
use anfang_plugin_host::data::{DATA_CHECKLIST_DIR, DataRefusal, check_file, find_files};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Runs `anfang checklists …`.
pub fn run(ctx: &Context, args: &ChecklistsArgs) -> anyhow::Result<ExitCode> {
    match &args.action {
        ChecklistsAction::List { json } => list(ctx, *json),
        ChecklistsAction::Check { file } => check(ctx, file),
        ChecklistsAction::Publish { file } => publish(ctx, file),
    }
}

/// Where a checklist comes from.
fn sources(registry: &Registry) -> Vec<(&Manifest, &'static str, Option<PathBuf>)> {
    let plugin_files = registry.list();
    let mut out = vec![(registry.core(), "built_in", None)];
    for manifest in registry.plugin_manifests() {
        let file = plugin_files
            .iter()
            .find(|p| p.is_loaded() && p.id.as_deref() == Some(manifest.id.as_str()))
            .map(|p| p.file.clone());
        out.push((manifest, "plugin", file));
    }
    for data in registry.data_checklists() {
        if let Some(manifest) = &data.manifest {
            out.push((manifest, "data", Some(data.file.clone())));
        }
    }
    out
}

fn source_word(source: &str, lang: Lang) -> &'static str {
    match (source, lang) {
        ("built_in", Lang::Zh) => "内置",
        ("built_in", Lang::En) => "built in",
        ("plugin", Lang::Zh) => "插件",
        ("plugin", Lang::En) => "plugin",
        (_, Lang::Zh) => "数据文件",
        (_, Lang::En) => "data file",
    }
}

fn list(ctx: &Context, json: bool) -> anyhow::Result<ExitCode> {
    let registry = ctx.load_plugins();
    let sources = sources(&registry);
    let refused: Vec<_> = registry
        .data_checklists()
        .iter()
        .filter_map(|d| d.refusal.as_ref().map(|r| (&d.file, r)))
        .collect();
    if json {
        let checklists: Vec<_> = sources
            .iter()
            .flat_map(|(manifest, source, file)| {
                manifest.checklists.iter().map(move |c| {
                    json!({
                        "plugin_id": manifest.id,
                        "version": manifest.version,
                        "checklist_id": c.id,
                        "label": c.label,
                        "items": c.items.len(),
                        "departments": manifest.departments,
                        "source": source,
                        "file": file,
                    })
                })
            })
            .collect();
        let refused: Vec<_> = refused
            .iter()
            .map(|(file, r)| json!({"file": file, "reason": r.text(Lang::En), "reason_zh": r.text(Lang::Zh)}))
            .collect();
        let out = json!({"checklists": checklists, "refused": refused});
        say!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    let lang = ctx.lang;
    for (manifest, source, file) in &sources {
        for c in &manifest.checklists {
            let from = match file {
                Some(file) => format!("{}, {}", source_word(source, lang), file.display()),
                None => source_word(source, lang).to_owned(),
            };
            let items = match lang {
                Lang::Zh => format!("{} 项", c.items.len()),
                Lang::En => format!("{} items", c.items.len()),
            };
            say!(
                "{}/{} {}  {}  {items}  ({from})",
                manifest.id,
                c.id,
                manifest.version,
                c.label.get(lang)
            );
        }
    }
    for (file, refusal) in &refused {
        let word = match lang {
            Lang::Zh => "已拒绝",
            Lang::En => "refused",
        };
        say!("{word}: {}: {}", file.display(), refusal.text(lang));
    }
    Ok(ExitCode::SUCCESS)
}

/// The registry as it would be without `except` among the data files, so a
/// file already in place is not taken for its own rival.
fn registry_without(ctx: &Context, except: &[PathBuf]) -> Registry {
    let config = anfang_plugin_host::HostConfig::standard(&ctx.plugin_dirs, &ctx.data_dir);
    let mut registry = Registry::load(&config);
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let except: Vec<PathBuf> = except.iter().map(|p| canonical(p)).collect();
    let files = find_files(&anfang_plugin_host::data::standard_dirs(&ctx.data_dir))
        .into_iter()
        .filter(|f| !except.contains(&canonical(f)))
        .collect();
    registry.add_data_files(files);
    registry
}

fn refuse(file: &Path, refusal: &DataRefusal, lang: Lang) -> ExitCode {
    eprintln!("anfang: {}: {}", file.display(), refusal.text(lang));
    ExitCode::FAILURE
}

fn check(ctx: &Context, file: &Path) -> anyhow::Result<ExitCode> {
    let registry = registry_without(ctx, &[file.to_path_buf()]);
    match registry.check_data_file(file) {
        Err(refusal) => Ok(refuse(file, &refusal, ctx.lang)),
        Ok(manifest) => {
            print_manifest(&manifest, ctx.lang);
            say!(
                "{}",
                match ctx.lang {
                    Lang::Zh => format!("正确：{} 可以使用", file.display()),
                    Lang::En => format!("ok: {} can be used", file.display()),
                }
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The checklists, items and rules in the user's language.
fn print_manifest(manifest: &Manifest, lang: Lang) {
    say!(
        "{} {}  {}",
        manifest.id,
        manifest.version,
        manifest.name.get(lang)
    );
    let departments = crate::cmd::plugins::departments(&manifest.departments, lang);
    match lang {
        Lang::Zh => say!("  适用部门：{departments}"),
        Lang::En => say!("  departments: {departments}"),
    }
    for checklist in &manifest.checklists {
        say!("  [{}] {}", checklist.id, checklist.label.get(lang));
        for item in &checklist.items {
            say!(
                "    {}  {}  {}",
                item.id,
                item.label.get(lang),
                item.rule.describe(lang)
            );
        }
    }
}

/// Checks the file and copies it into `<data dir>/checklists/<id>.json`,
/// replacing an earlier version of the same list; written to a temporary
/// file first so a half-written list is never loaded.
fn publish(ctx: &Context, file: &Path) -> anyhow::Result<ExitCode> {
    let folder = ctx.data_dir.join(DATA_CHECKLIST_DIR);
    let probe = check_file(file);
    let target = match &probe {
        Ok(manifest) => folder.join(format!("{}.json", manifest.id)),
        Err(refusal) => return Ok(refuse(file, refusal, ctx.lang)),
    };
    let registry = registry_without(ctx, &[file.to_path_buf(), target.clone()]);
    let manifest = match registry.check_data_file(file) {
        Ok(manifest) => manifest,
        Err(refusal) => return Ok(refuse(file, &refusal, ctx.lang)),
    };
    ctx.ensure_data_dir()?;
    let bytes = std::fs::read(file)?;
    // Signed by the office's admin, so it travels in bundles to every laptop.
    let document = String::from_utf8(bytes.clone())
        .map_err(|_| anyhow::anyhow!("{}: not UTF-8 text", file.display()))?;
    crate::cmd::checklists_sync::publish_event(ctx, &manifest.id, document)?;
    std::fs::create_dir_all(&folder)?;
    let partial = folder.join(format!(".{}.json.partial", manifest.id));
    std::fs::write(&partial, &bytes)?;
    std::fs::rename(&partial, &target)?;
    say!(
        "{}",
        match ctx.lang {
            Lang::Zh => format!(
                "已发布：{} {}，位于 {}；新建检查时提供",
                manifest.id,
                manifest.version,
                target.display()
            ),
            Lang::En => format!(
                "published {} {} to {}; offered on visits from now on",
                manifest.id,
                manifest.version,
                target.display()
            ),
        }
    );
    Ok(ExitCode::SUCCESS)
}
