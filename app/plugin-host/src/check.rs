//! `anfang plugins check FILE`: everything wrong with one plugin file,
//! without running any of it outside the sandbox.
//!
//! First what needs no plugin code, in this process: readable, size, hash,
//! permissions, trust, ELF format and the exported entry symbol (read from
//! the bytes, never handed to the loader here). Then the plugin runs in
//! the same sandboxed child process the app uses: its manifest is read and
//! validated, and its score function probed with several inputs. A crash
//! or hang in the child is reported; the checking process goes on.

use crate::info::Origin;
use crate::registry::{HostConfig, Registry};
use crate::score::{build_request, call_error, read_points};
use crate::search::installation_dir;
use crate::static_check::{MAX_PLUGIN_BYTES, check_bytes, check_size};
use crate::trust::{TrustList, check_permissions, sha256_hex};
use crate::validate::schema_errors;
use crate::worker::Worker;
use anfang_core::manifest::Manifest;
use anfang_core::rule::{InputType, Rule};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;

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

/// Checks `file` as `config` would load it. Clashes are looked for among
/// the registry's loaded plugins other than this very file.
pub fn check_plugin(file: &Path, registry: &Registry, config: &HostConfig) -> CheckReport {
    let (mut report, bytes) = read_for_check(file);
    let Some(bytes) = bytes else {
        return report;
    };
    let sha256 = sha256_hex(&bytes);
    report.sha256 = Some(sha256.clone());
    if let Err(refusal) = check_permissions(file) {
        report.problems.push(refusal.to_string());
    }
    let origin = origin_of(file);
    report
        .notes
        .push(trust_note(origin, &sha256, &config.trust_list));
    if let Err(refusal) = check_bytes(&bytes) {
        report.problems.push(refusal.to_string());
        return report;
    }
    report.notes.push(format!(
        "file: a shared library of {} bytes exporting {} (read without loading it)",
        bytes.len(),
        anfang_plugin_api::ENTRY_SYMBOL
    ));
    let Some(command) = &config.worker else {
        report
            .problems
            .push("this program cannot find itself to run the plugin in".to_owned());
        return report;
    };
    let worker = match Worker::start(command, Arc::from(bytes), config.limits) {
        Ok(worker) => worker,
        Err(refusal) => {
            report.problems.push(refusal.to_string());
            return report;
        }
    };
    report.notes.push(format!("sandbox: {}", worker.sandbox()));
    report.notes.push(format!(
        "ABI: version {} table, entry symbol {}",
        anfang_plugin_api::ABI_VERSION,
        anfang_plugin_api::ENTRY_SYMBOL
    ));
    let Some(manifest) = read_manifest(&worker, &mut report.problems) else {
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
    probe_scores(&manifest, &worker, &mut report);
    let conflicts = registry.conflicts(&manifest, &sha256, origin);
    report
        .problems
        .extend(conflicts.refused.iter().map(ToString::to_string));
    report
        .conflicts
        .extend(conflicts.clashes.iter().map(ToString::to_string));
    report.manifest = Some(manifest);
    report
}

fn trust_note(origin: Origin, sha256: &str, trust_list: &Path) -> String {
    if origin == Origin::Installation {
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

/// A report on `file` with the file's bytes, or without them and saying
/// why it cannot be read.
fn read_for_check(file: &Path) -> (CheckReport, Option<Vec<u8>>) {
    let mut report = CheckReport {
        file: file.to_owned(),
        ..CheckReport::default()
    };
    let read = std::fs::metadata(file).and_then(|m| {
        check_size(m.len()).map_err(|refusal| std::io::Error::other(refusal.to_string()))?;
        std::fs::read(file)
    });
    match read {
        Ok(bytes) if bytes.len() <= MAX_PLUGIN_BYTES => (report, Some(bytes)),
        Ok(bytes) => {
            report.problems.push(
                crate::refusal::Refusal::TooLarge {
                    bytes: bytes.len() as u64,
                }
                .to_string(),
            );
            (report, None)
        }
        Err(error) => {
            report
                .problems
                .push(format!("cannot read the file: {error}"));
            (report, None)
        }
    }
}

fn read_manifest(worker: &Worker, problems: &mut Vec<String>) -> Option<Manifest> {
    let bytes = match worker.manifest_bytes() {
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

/// The inputs the score function is probed with: zeros, ones, and a
/// middling value, since a function may fail only for some of them.
const PROBES: [(u64, f64, &str); 3] = [(0, 0.0, "0"), (1, 1.0, "1"), (7, 62.5, "7 (62.5 %)")];

/// Calls the score function of every computed item with each of
/// [`PROBES`], to catch crashes, hangs and garbage before an inspector
/// does. A crash costs the child; the next probe gets a fresh one.
fn probe_scores(manifest: &Manifest, worker: &Worker, report: &mut CheckReport) {
    for item in manifest.checklists.iter().flat_map(|c| &c.items) {
        let Rule::Computed { inputs, max } = &item.rule else {
            continue;
        };
        if !worker.has_score() {
            report.problems.push(format!(
                "item '{}' has a computed rule but the plugin has no score function",
                item.id
            ));
            continue;
        }
        for (whole, number, shown) in PROBES {
            let values: serde_json::Map<String, serde_json::Value> = inputs
                .iter()
                .map(|field| {
                    let value = match field.input_type {
                        InputType::Integer => serde_json::json!(whole),
                        InputType::Number | InputType::Percent => serde_json::json!(number),
                    };
                    (field.id.clone(), value)
                })
                .collect();
            let request = match build_request(&item.id, inputs, &serde_json::Value::Object(values))
            {
                Ok(request) => request,
                Err(error) => {
                    report.problems.push(error.to_string());
                    break;
                }
            };
            let result = worker
                .score_bytes(&request)
                .map_err(|failure| call_error(&manifest.id, &item.id, failure))
                .and_then(|bytes| read_points(&manifest.id, &item.id, &bytes, *max));
            match result {
                Ok(points) => report.notes.push(format!(
                    "score probe: item '{}' with all inputs {shown} gives {points} points",
                    item.id
                )),
                Err(error) if error.is_plugin_fault() => {
                    report
                        .problems
                        .push(format!("{error} (all inputs {shown})"));
                }
                Err(error) => report.notes.push(format!(
                    "score probe: item '{}' with all inputs {shown} is declined (fine): {error}",
                    item.id
                )),
            }
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
