//! `anfang plugins list [--json] | check FILE | trust FILE`, and the hidden
//! `anfang plugin-probe FILE` that `check` runs in a child process.

use crate::cli::{PluginProbeArgs, PluginsAction, PluginsArgs};
use crate::context::Context;
use anfang_core::{Label, Lang};
use anfang_plugin_host::check::{CheckReport, check_plugin, child_main};
use anfang_plugin_host::trust::{TrustList, Trusted, trust_sha256};
use anfang_plugin_host::{Origin, PluginInfo};
use anyhow::Context as _;
use std::path::Path;
use std::process::{Command, ExitCode};

/// Runs `anfang plugins …`.
pub fn run(ctx: &Context, args: &PluginsArgs) -> anyhow::Result<ExitCode> {
    match &args.action {
        PluginsAction::List { json } => list(ctx, *json),
        PluginsAction::Check { file } => check(ctx, file),
        PluginsAction::Trust { file } => trust(ctx, file),
    }
}

/// Runs the hidden `anfang plugin-probe FILE` in the child process of `plugins check`.
pub fn probe(_ctx: &Context, args: &PluginProbeArgs) -> anyhow::Result<ExitCode> {
    child_main(&args.file);
    Ok(ExitCode::SUCCESS)
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
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    let core = registry.core();
    println!("{} {}  loaded  (built in)", core.id, core.version);
    for info in &plugins {
        print_info(info, ctx.lang);
    }
    let loaded = plugins.iter().filter(|p| p.is_loaded()).count();
    println!(
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
        None => println!("{name}  loaded  ({origin})"),
        Some(reason) => println!("{name}  refused: {reason}"),
    }
    if let Some(label) = &info.name {
        println!("    name: {}", label.get(lang));
    }
    if info.id.is_some() {
        println!("    departments: {}", departments(&info.departments, lang));
    }
    println!("    file: {}", info.file.display());
    if !info.sha256.is_empty() {
        println!("    sha256: {}", info.sha256);
    }
    if let Some(fault) = &info.fault {
        println!("    fault: {fault}");
    }
}

fn departments(labels: &[Label], lang: Lang) -> String {
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

/// `plugin-probe FILE` run by this very program, in a child process.
fn probe_command(ctx: &Context, file: &Path) -> anyhow::Result<Command> {
    let exe = std::env::current_exe().context("cannot find the running program to check in")?;
    let mut child = Command::new(exe);
    child
        .arg("--data-dir")
        .arg(&ctx.data_dir)
        .arg("plugin-probe")
        .arg(file);
    Ok(child)
}

fn check(ctx: &Context, file: &Path) -> anyhow::Result<ExitCode> {
    let registry = ctx.load_plugins();
    let report = check_plugin(
        file,
        &registry,
        &TrustList::path_in(&ctx.data_dir),
        probe_command(ctx, file)?,
    );
    print_report(&report);
    Ok(if report.is_sound() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn print_report(report: &CheckReport) {
    println!("checking {}", report.file.display());
    if let Some(sha256) = &report.sha256 {
        println!("    sha256: {sha256}");
    }
    for note in &report.notes {
        println!("    {note}");
    }
    for problem in report.problems.iter().chain(&report.conflicts) {
        println!("    problem: {problem}");
    }
    let what = match &report.manifest {
        Some(manifest) => format!("plugin '{}' {}", manifest.id, manifest.version),
        None => "the file".to_owned(),
    };
    match report.problems.len() + report.conflicts.len() {
        0 => println!("ok: {what} has no problems"),
        1 => println!("{what} has 1 problem"),
        n => println!("{what} has {n} problems"),
    }
}

/// Trusts exactly the bytes that were just checked, and only when the
/// check found nothing wrong with the file itself: a plugin that crashes or
/// fails validation would otherwise crash or be refused at every start.
/// A clash of ids is only reported: the first plugin found keeps its ids.
fn trust(ctx: &Context, file: &Path) -> anyhow::Result<ExitCode> {
    let registry = ctx.load_plugins();
    let list = TrustList::path_in(&ctx.data_dir);
    let report = check_plugin(file, &registry, &list, probe_command(ctx, file)?);
    let Some(sha256) = report
        .sha256
        .as_deref()
        .filter(|_| report.problems.is_empty())
    else {
        print_report(&report);
        anyhow::bail!(
            "not trusted: {} has problems (listed above)",
            file.display()
        );
    };
    ctx.ensure_data_dir()?;
    let shown = file.display();
    match trust_sha256(sha256, file, &list)? {
        Trusted::Added { sha256 } => println!("trusted {sha256}  {shown}"),
        Trusted::AlreadyTrusted { sha256 } => println!("already trusted {sha256}  {shown}"),
    }
    for conflict in &report.conflicts {
        eprintln!("anfang: warning: {conflict}");
    }
    Ok(ExitCode::SUCCESS)
}
