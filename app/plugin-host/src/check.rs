//! `anfang plugins check FILE`: everything wrong with one plugin file.
//!
//! The parent process settles what needs no plugin code (readable, hash,
//! permissions, trust) and then runs a child process that loads the plugin,
//! validates its manifest and tries its score function. A plugin that
//! crashes takes down only the child; the parent reports the crash.
//!
//! The child is a command the caller prepares (anfang runs itself as
//! `anfang plugin-probe FILE`); it calls [`child_main`], which prints one
//! report line. [`CHILD_ENV`] is set to the plugin's path in its environment.

use crate::info::Origin;
use crate::library::PluginLibrary;
use crate::refusal::one_line;
use crate::registry::Registry;
use crate::score::{build_request, call_error, read_points};
use crate::search::installation_dir;
use crate::trust::{TrustList, check_permissions, sha256_hex};
use crate::validate::schema_errors;
use anfang_core::manifest::Manifest;
use anfang_core::rule::{InputType, Rule};
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Set (to the plugin file's path) in the environment of the child process.
pub const CHILD_ENV: &str = "ANFANG_PLUGIN_CHECK_CHILD";

/// How the child's report line starts, so it can be found among anything
/// else the plugin prints.
const REPORT_MARKER: &str = "anfang-plugin-check-report: ";

/// How long the child may take before it is killed.
pub const CHILD_TIMEOUT: Duration = Duration::from_secs(30);

/// What checking a plugin file found.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CheckReport {
    /// The file checked.
    pub file: PathBuf,
    /// SHA-256 of its bytes, when readable.
    pub sha256: Option<String>,
    /// The manifest, when it loaded and validated.
    pub manifest: Option<Manifest>,
    /// Everything wrong with the file itself: anfang would refuse it, or
    /// its score function fails.
    pub problems: Vec<String>,
    /// Ids it shares with the core or a loaded plugin: whichever is found
    /// second on the search path is refused.
    #[serde(default)]
    pub conflicts: Vec<String>,
    /// What was found in order: trust, ABI, score probes.
    pub notes: Vec<String>,
}

impl CheckReport {
    /// True when nothing is wrong, conflicts included.
    pub fn is_sound(&self) -> bool {
        self.problems.is_empty() && self.conflicts.is_empty()
    }
}

/// Checks `file`: the parent's part here, the loading in `child` (a
/// command whose process calls [`child_main`] for the file). Duplicates are looked for among the
/// registry's loaded plugins other than this very file.
pub fn check_plugin(
    file: &Path,
    registry: &Registry,
    trust_list: &Path,
    child: Command,
) -> CheckReport {
    let (mut report, bytes) = read_for_check(file);
    let Some(bytes) = bytes else {
        return report;
    };
    let sha256 = sha256_hex(&bytes);
    report.sha256 = Some(sha256.clone());
    if let Err(refusal) = check_permissions(file) {
        report.problems.push(refusal.to_string());
    }
    report.notes.push(trust_note(file, &sha256, trust_list));

    let child = run_child(child, file);
    report.problems.extend(child.problems);
    report.notes.extend(child.notes);
    report.manifest = child.manifest;
    if child
        .sha256
        .as_ref()
        .is_some_and(|child_sha| *child_sha != sha256)
    {
        report
            .problems
            .push("the file changed while it was being checked".to_owned());
    }
    if let Some(manifest) = &report.manifest {
        for conflict in registry.conflicts(manifest, &sha256) {
            report.conflicts.push(conflict.to_string());
        }
    }
    report
}

fn trust_note(file: &Path, sha256: &str, trust_list: &Path) -> String {
    if origin_of(file) == Origin::Installation {
        return "trust: installed beside the executable".to_owned();
    }
    let list = TrustList::load(trust_list);
    if let Some(problem) = list.problem() {
        format!("trust: the trust list is ignored because {problem}")
    } else if list.contains(sha256) {
        "trust: SHA-256 is on the trust list".to_owned()
    } else {
        "trust: not on the trust list yet; after checking, run: anfang plugins trust FILE"
            .to_owned()
    }
}

fn run_child(mut command: Command, file: &Path) -> CheckReport {
    let mut report = CheckReport::default();
    let spawned = command
        .env(CHILD_ENV, file)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(error) => {
            report
                .problems
                .push(format!("cannot start the checking process: {error}"));
            return report;
        }
    };
    let stdout = read_in_background(child.stdout.take());
    let stderr = read_in_background(child.stderr.take());
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Ok(status),
            Ok(None) if started.elapsed() > CHILD_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                break Err(format!(
                    "the plugin did not answer within {} s (killed)",
                    CHILD_TIMEOUT.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(error) => break Err(format!("lost the checking process: {error}")),
        }
    };
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    let reports: Vec<&str> = stdout
        .lines()
        .filter_map(|line| line.strip_prefix(REPORT_MARKER))
        .collect();
    // The child prints its report last; a plugin printing look-alikes is
    // itself a problem worth reporting.
    let parsed = reports
        .last()
        .map(|line| serde_json::from_str::<CheckReport>(line));
    match (status, parsed) {
        (Err(problem), _) => report.problems.push(problem),
        (Ok(_), Some(Ok(mut child_report))) => {
            if reports.len() > 1 {
                child_report.problems.push(format!(
                    "the plugin printed {} report-like lines on stdout",
                    reports.len() - 1
                ));
            }
            return child_report;
        }
        (Ok(status), _) => {
            let last = stderr
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .map(|l| format!(" (last words: {})", one_line(l, 160)))
                .unwrap_or_default();
            report.problems.push(format!(
                "loading the plugin crashed the checking process: {}{last}",
                describe_exit(status)
            ));
        }
    }
    report
}

fn read_in_background(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

fn describe_exit(status: std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            let name = match signal {
                4 => " (SIGILL)",
                6 => " (SIGABRT)",
                7 => " (SIGBUS)",
                8 => " (SIGFPE)",
                9 => " (SIGKILL)",
                11 => " (SIGSEGV)",
                _ => "",
            };
            return format!("killed by signal {signal}{name}");
        }
    }
    match status.code() {
        Some(code) => format!("exited with status {code} without a report"),
        None => "ended without a report".to_owned(),
    }
}

/// The child's side: loads `file` in this process and prints the report
/// line on stdout for the parent to read.
pub fn child_main(file: &Path) {
    let report = inspect_in_process(file);
    let json = serde_json::to_string(&report).unwrap_or_else(|error| {
        let problem = format!("cannot encode the report: {error}");
        serde_json::json!({ "problems": [problem] }).to_string()
    });
    println!("{REPORT_MARKER}{json}");
}

/// A report on `file` with the file's bytes, or without them and saying
/// why it cannot be read.
fn read_for_check(file: &Path) -> (CheckReport, Option<Vec<u8>>) {
    let mut report = CheckReport {
        file: file.to_owned(),
        ..CheckReport::default()
    };
    match std::fs::read(file) {
        Ok(bytes) => (report, Some(bytes)),
        Err(error) => {
            report
                .problems
                .push(format!("cannot read the file: {error}"));
            (report, None)
        }
    }
}

/// Loads `file` in this process and reports everything wrong with it.
/// Runs plugin code: call it only in the checking child.
pub fn inspect_in_process(file: &Path) -> CheckReport {
    let (mut report, bytes) = read_for_check(file);
    let Some(bytes) = bytes else {
        return report;
    };
    report.sha256 = Some(sha256_hex(&bytes));
    let library = match PluginLibrary::open(&bytes) {
        Ok(library) => library,
        Err(refusal) => {
            report.problems.push(refusal.to_string());
            return report;
        }
    };
    report.notes.push(format!(
        "ABI: version {} table, entry symbol {}",
        anfang_plugin_api::ABI_VERSION,
        anfang_plugin_api::ENTRY_SYMBOL
    ));
    let Some(manifest) = read_manifest(&library, &mut report.problems) else {
        return report;
    };
    report.notes.push(format!(
        "manifest: plugin '{}' {}; checklists: {}, items: {}",
        manifest.id,
        manifest.version,
        manifest.checklists.len(),
        manifest
            .checklists
            .iter()
            .map(|c| c.items.len())
            .sum::<usize>()
    ));
    probe_scores(&manifest, &library, &mut report);
    report.manifest = Some(manifest);
    report
}

fn read_manifest(library: &PluginLibrary, problems: &mut Vec<String>) -> Option<Manifest> {
    let bytes = match library.manifest_bytes() {
        Ok(bytes) => bytes,
        Err(failure) => {
            problems.push(format!("manifest function {failure}"));
            return None;
        }
    };
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text,
        Err(e) => {
            problems.push(format!(
                "manifest is not UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            ));
            return None;
        }
    };
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => {
            problems.push(format!("manifest is not JSON: {e}"));
            return None;
        }
    };
    let errors = schema_errors(&value, 20);
    if !errors.is_empty() {
        problems.extend(
            errors
                .into_iter()
                .map(|e| format!("manifest fails the schema: {e}")),
        );
        return None;
    }
    let manifest: Manifest = match serde_json::from_value(value) {
        Ok(manifest) => manifest,
        Err(e) => {
            problems.push(format!("manifest is inconsistent: {e}"));
            return None;
        }
    };
    let inconsistencies = manifest.problems();
    if !inconsistencies.is_empty() {
        problems.extend(
            inconsistencies
                .into_iter()
                .map(|p| format!("manifest is inconsistent: {p}")),
        );
        return None;
    }
    Some(manifest)
}

/// Calls the score function of every computed item once, with every input
/// zero, to catch panics and garbage before an inspector does.
fn probe_scores(manifest: &Manifest, library: &PluginLibrary, report: &mut CheckReport) {
    for item in manifest.checklists.iter().flat_map(|c| &c.items) {
        let Rule::Computed { inputs, max } = &item.rule else {
            continue;
        };
        if !library.has_score() {
            report.problems.push(format!(
                "item '{}' has a computed rule but the plugin has no score function",
                item.id
            ));
            continue;
        }
        let zeros: serde_json::Map<String, serde_json::Value> = inputs
            .iter()
            .map(|field| {
                let zero = match field.input_type {
                    InputType::Integer => serde_json::json!(0),
                    InputType::Number | InputType::Percent => serde_json::json!(0.0),
                };
                (field.id.clone(), zero)
            })
            .collect();
        let request = match build_request(&item.id, inputs, &serde_json::Value::Object(zeros)) {
            Ok(request) => request,
            Err(error) => {
                report.problems.push(error.to_string());
                continue;
            }
        };
        let result = library
            .score_bytes(&request)
            .map_err(|failure| call_error(&manifest.id, &item.id, failure))
            .and_then(|bytes| read_points(&manifest.id, &item.id, &bytes, *max));
        match result {
            Ok(points) => report.notes.push(format!(
                "score probe: item '{}' with all inputs 0 gives {points} points",
                item.id
            )),
            Err(error) if error.is_plugin_fault() => report.problems.push(error.to_string()),
            Err(error) => report.notes.push(format!(
                "score probe: item '{}' with all inputs 0 is declined (fine): {error}",
                item.id
            )),
        }
    }
}

/// How a file would be trusted: as part of the installation when it sits
/// beside the executable, else as a user plugin.
pub fn origin_of(file: &Path) -> Origin {
    let folder = std::path::absolute(file)
        .ok()
        .and_then(|f| f.parent().and_then(|p| p.canonicalize().ok()));
    let installed = installation_dir().and_then(|d| d.canonicalize().ok());
    if folder.is_some() && folder == installed {
        Origin::Installation
    } else {
        Origin::User
    }
}
