//! `anfang plugins list [--json] | check FILE | trust FILE [--yes]`. All
//! three load the registry the same way (installed plugins first), so they
//! agree on which plugin keeps a contested id. Plugin code runs only in the
//! sandboxed child (`anfang plugin-worker`, see `main`).

use crate::cli::{PluginsAction, PluginsArgs};
use crate::context::Context;
use anfang_core::manifest::Manifest;
use anfang_core::rule::Rule;
use anfang_core::{Label, Lang};
use anfang_plugin_host::check::{CheckReport, check_plugin};
use anfang_plugin_host::trust::{TrustList, Trusted, trust_sha256};
use anfang_plugin_host::{HostConfig, Origin, PluginInfo};
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

/// Runs `anfang plugins …`.
pub fn run(ctx: &Context, args: &PluginsArgs) -> anyhow::Result<ExitCode> {
    match &args.action {
        PluginsAction::List { json } => list(ctx, *json),
        PluginsAction::Check { file } => check(ctx, file),
        PluginsAction::Trust { file, yes } => trust(ctx, file, *yes),
    }
}

fn list(ctx: &Context, json: bool) -> anyhow::Result<ExitCode> {
    let registry = ctx.load_plugins();
    for warning in registry.warnings() {
        eprintln!("anfang: warning: {warning}");
    }
    let plugins = registry.list();
    if json {
        let core = registry.core();
        let out = serde_json::json!({
            "core": { "id": core.id, "version": core.version, "name": core.name },
            "plugins": plugins,
            "warnings": registry.warnings(),
        });
        say!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    let core = registry.core();
    say!("{} {}  loaded  (built in)", core.id, core.version);
    for info in &plugins {
        print_info(info, ctx.lang);
    }
    let loaded = plugins.iter().filter(|p| p.is_loaded()).count();
    say!(
        "{loaded} of {} plugin files loaded{}",
        plugins.len(),
        if plugins.is_empty() {
            String::new()
        } else {
            format!(
                "; trust list: {}",
                TrustList::path_in(&ctx.data_dir).display()
            )
        }
    );
    Ok(ExitCode::SUCCESS)
}

fn print_info(info: &PluginInfo, lang: Lang) {
    let name = match (&info.id, &info.version) {
        (Some(id), Some(version)) => format!("{id} {version}"),
        _ => info
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    let origin = match info.origin {
        Origin::Installation => "installed",
        Origin::User => "user",
    };
    match info.reason() {
        None => say!("{name}  loaded  ({origin})"),
        Some(reason) => say!("{name}  refused: {reason}"),
    }
    if let Some(label) = &info.name {
        say!("    name: {}", label.get(lang));
    }
    if info.id.is_some() {
        say!("    departments: {}", departments(&info.departments, lang));
    }
    say!("    file: {}", info.file.display());
    if !info.sha256.is_empty() {
        say!("    sha256: {}", info.sha256);
    }
    if let Some(fault) = &info.fault {
        say!("    fault: {fault}");
    }
}

/// The departments a list serves, or "every unit", in `lang`.
pub(crate) fn departments(labels: &[Label], lang: Lang) -> String {
    if labels.is_empty() {
        return match lang {
            Lang::Zh => "全部单位".to_owned(),
            Lang::En => "every unit".to_owned(),
        };
    }
    labels
        .iter()
        .map(|l| l.get(lang))
        .collect::<Vec<_>>()
        .join(", ")
}

fn check(ctx: &Context, file: &Path) -> anyhow::Result<ExitCode> {
    let registry = ctx.load_plugins();
    let config = HostConfig::standard(&ctx.plugin_dirs, &ctx.data_dir);
    let report = check_plugin(file, &registry, &config);
    print_report(&report);
    Ok(if report.is_sound() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn print_report(report: &CheckReport) {
    say!("checking {}", report.file.display());
    if let Some(sha256) = &report.sha256 {
        say!("    sha256: {sha256}");
    }
    for note in &report.notes {
        say!("    {note}");
    }
    for problem in report.problems.iter().chain(&report.conflicts) {
        say!("    problem: {problem}");
    }
    let what = match &report.manifest {
        Some(manifest) => format!("plugin '{}' {}", manifest.id, manifest.version),
        None => "the file".to_owned(),
    };
    match report.problems.len() + report.conflicts.len() {
        0 => say!("ok: {what} has no problems"),
        1 => say!("{what} has 1 problem"),
        n => say!("{what} has {n} problems"),
    }
}

/// Trusts exactly the bytes that were just checked, and only when the
/// check found nothing wrong with the file itself (a plugin that crashes,
/// fails validation or claims an installed plugin's or the core's ids would
/// be refused at every start). Shows the SHA-256 and what the plugin
/// declares, and asks unless `yes`. A clash with another user plugin is
/// only reported: the first found keeps its ids.
fn trust(ctx: &Context, file: &Path, yes: bool) -> anyhow::Result<ExitCode> {
    let registry = ctx.load_plugins();
    let config = HostConfig::standard(&ctx.plugin_dirs, &ctx.data_dir);
    let report = check_plugin(file, &registry, &config);
    let (Some(sha256), Some(manifest)) = (
        report
            .sha256
            .as_deref()
            .filter(|_| report.problems.is_empty()),
        report.manifest.as_ref(),
    ) else {
        print_report(&report);
        anyhow::bail!(
            "not trusted: {} has problems (listed above)",
            file.display()
        );
    };
    print_declaration(file, sha256, manifest, ctx.lang);
    for conflict in &report.conflicts {
        eprintln!("anfang: warning: {conflict}");
    }
    if !yes && !ask(ctx.lang)? {
        say!(
            "{}",
            match ctx.lang {
                Lang::Zh => "未信任：未作更改。",
                Lang::En => "not trusted: nothing changed.",
            }
        );
        return Ok(ExitCode::FAILURE);
    }
    ctx.ensure_data_dir()?;
    let shown = file.display();
    match trust_sha256(sha256, file, &config.trust_list)? {
        Trusted::Added { sha256 } => say!("trusted {sha256}  {shown}"),
        Trusted::AlreadyTrusted { sha256 } => say!("already trusted {sha256}  {shown}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// The hash and what the plugin says it is, before the user decides.
fn print_declaration(file: &Path, sha256: &str, manifest: &Manifest, lang: Lang) {
    let computed = manifest
        .checklists
        .iter()
        .flat_map(|c| &c.items)
        .filter(|item| matches!(item.rule, Rule::Computed { .. }))
        .count();
    let items: usize = manifest.checklists.iter().map(|c| c.items.len()).sum();
    let (h_file, h_plugin, h_dep, h_lists, h_items) = match lang {
        Lang::Zh => (
            "文件",
            "插件",
            "适用单位",
            "检查表",
            "检查项（插件计算扣分）",
        ),
        Lang::En => (
            "file",
            "plugin",
            "departments",
            "checklists",
            "items (scored by the plugin)",
        ),
    };
    say!("{h_file}: {}", file.display());
    say!("sha256: {sha256}");
    say!(
        "{h_plugin}: {} {} ({})",
        manifest.id,
        manifest.version,
        manifest.name.get(lang)
    );
    say!("{h_dep}: {}", departments(&manifest.departments, lang));
    let lists: Vec<String> = manifest
        .checklists
        .iter()
        .map(|c| c.label.get(lang).to_owned())
        .collect();
    say!("{h_lists}: {}", lists.join(", "));
    say!("{h_items}: {items} ({computed})");
}

/// Asks on the terminal; without one, says how to trust from a script.
fn ask(lang: Lang) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() {
        anyhow::bail!(match lang {
            Lang::Zh => "未信任：没有终端可询问；确认无误后请加 --yes 重新运行",
            Lang::En =>
                "not trusted: there is no terminal to ask on; after checking, run again with --yes",
        });
    }
    print!(
        "{}",
        match lang {
            Lang::Zh => "信任此插件，允许其在沙箱中运行？[y/N] ",
            Lang::En => "Trust this plugin and let it run in the sandbox? [y/N] ",
        }
    );
    std::io::stdout().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(
        answer.trim().to_lowercase().as_str(),
        "y" | "yes" | "是" | "好"
    ))
}
