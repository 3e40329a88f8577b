//! The registry: the core checklists plus every plugin that loaded, and a
//! record of every plugin file found, loaded or refused.

use crate::data::{DataChecklistInfo, DataRefusal, check_file, find_files};
use crate::error::PluginError;
use crate::info::{Origin, PluginInfo, PluginStatus};
use crate::lazy::LazyWorker;
use crate::manifest_cache;
use crate::refusal::Refusal;
use crate::score::{build_request, read_points};
use crate::search::{Candidate, SearchPath};
use crate::static_check::{check_bytes, check_size};
use crate::trust::{TrustList, check_permissions, sha256_hex};
use crate::validate::validate_manifest;
use crate::worker::{Asked, Launched, Limits, Worker, WorkerCommand};
use anfang_core::Points;
use anfang_core::core_checklists::core_manifest;
use anfang_core::manifest::{ChecklistSnapshot, Manifest};
use anfang_core::rule::Rule;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Where to look, whom to trust, and how plugin code is run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostConfig {
    /// Folders to search, in order.
    pub search: SearchPath,
    /// The trust list file (`<data_dir>/trusted-plugins.txt`).
    pub trust_list: PathBuf,
    /// How to start a plugin's sandboxed child process; `None` when no
    /// program can host one (every plugin is then refused).
    pub worker: Option<WorkerCommand>,
    /// Time limits of calls into plugins.
    pub limits: Limits,
    /// Where manifests read from plugins' children are kept by the
    /// library's SHA-256, so a later start needs no child until a plugin is
    /// used (`None`: every child starts at once, and nothing is kept).
    pub manifest_cache: Option<PathBuf>,
}

impl HostConfig {
    /// The standard configuration: see [`SearchPath::standard`]; the trust
    /// list in the data dir; plugins run in this program re-run as
    /// `plugin-worker`.
    pub fn standard(plugin_dirs: &[PathBuf], data_dir: &Path) -> HostConfig {
        HostConfig {
            search: SearchPath::standard(plugin_dirs, data_dir),
            trust_list: TrustList::path_in(data_dir),
            worker: WorkerCommand::this_program(),
            limits: Limits::default(),
            manifest_cache: Some(manifest_cache::path_in(data_dir)),
        }
    }
}

struct LoadedPlugin {
    manifest: Manifest,
    worker: LazyWorker,
    /// Index into `Registry::found`.
    info: usize,
}

/// Ids a plugin's manifest shares with the core or loaded plugins.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Conflicts {
    /// Clashes that refuse the plugin wherever it is found: an id of the
    /// core, or (for a user plugin) of a plugin installed beside the program.
    pub refused: Vec<Refusal>,
    /// Clashes with plugins of the same standing: whichever is found second
    /// on the search path is refused.
    pub clashes: Vec<Refusal>,
}

/// The checklists available to the app: the core's and the loaded plugins'.
pub struct Registry {
    core: Manifest,
    plugins: Vec<LoadedPlugin>,
    found: Vec<PluginInfo>,
    data: Vec<DataChecklistInfo>,
    warnings: Vec<String>,
    faults: Mutex<HashMap<usize, String>>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("core", &self.core.id)
            .field("found", &self.found)
            .field("warnings", &self.warnings)
            .finish_non_exhaustive()
    }
}

impl Registry {
    /// Just the core checklists, no plugins.
    pub fn core_only() -> Registry {
        Registry {
            core: core_manifest(),
            plugins: Vec::new(),
            found: Vec::new(),
            data: Vec::new(),
            warnings: Vec::new(),
            faults: Mutex::new(HashMap::new()),
        }
    }

    /// Finds, trusts, starts and validates every plugin on the search
    /// path, each in its own sandboxed child process. Never fails: a bad
    /// plugin is refused with a reason and the rest load. Plugins installed
    /// beside the program are loaded first, so they keep their ids.
    pub fn load(config: &HostConfig) -> Registry {
        let mut registry = Registry::core_only();
        let mut found = config.search.find();
        registry.warnings = found.warnings;
        // Stable: the search order holds within each origin.
        found
            .candidates
            .sort_by_key(|c| c.origin != Origin::Installation);
        let trust = TrustList::load(&config.trust_list);
        if let Some(problem) = trust.problem() {
            registry
                .warnings
                .push(format!("trust list ignored: {problem}"));
        }
        // Reading, hashing and starting the children run in parallel; the
        // plugins are added in order, which decides who keeps a shared id.
        for prepared in prepare_all(found.candidates, &trust, config) {
            registry.add(prepared);
        }
        registry
    }

    fn add(&mut self, prepared: Prepared) {
        let Prepared { mut info, opened } = prepared;
        let opened = opened.and_then(|(manifest, worker)| {
            let conflicts = self.conflicts(&manifest, "", info.origin);
            match conflicts
                .refused
                .into_iter()
                .chain(conflicts.clashes)
                .next()
            {
                Some(refusal) => Err(refusal),
                None => Ok((manifest, worker)),
            }
        });
        match opened {
            Ok((manifest, worker)) => {
                tracing::info!(plugin = %manifest.id, version = %manifest.version, file = %info.file.display(), "plugin loaded");
                self.plugins.push(LoadedPlugin {
                    manifest,
                    worker,
                    info: self.found.len(),
                });
            }
            Err(refusal) => {
                tracing::warn!(file = %info.file.display(), reason = %refusal, "plugin refused");
                info.status = PluginStatus::Refused(refusal);
            }
        }
        self.found.push(info);
    }

    /// Every clash of `manifest`'s plugin id or item ids with the core and
    /// the loaded plugins, for a file found in a folder of `origin`,
    /// skipping a loaded plugin whose file has the SHA-256 `except_sha256`
    /// (the same file, found on the search path).
    pub fn conflicts(&self, manifest: &Manifest, except_sha256: &str, origin: Origin) -> Conflicts {
        let mut conflicts = Conflicts::default();
        let core = std::iter::once((&self.core, "built in".to_owned(), true));
        let loaded = self
            .plugins
            .iter()
            .filter(|p| self.found[p.info].sha256 != except_sha256)
            .map(|p| {
                let info = &self.found[p.info];
                let outranks = origin == Origin::User && info.origin == Origin::Installation;
                (&p.manifest, info.file.display().to_string(), outranks)
            });
        // Data checklists are loaded after every plugin: a plugin never
        // yields its ids to one.
        let data = self
            .data_manifests()
            .map(|m| (m, "a data checklist".to_owned(), false));
        for (other, from, outranks) in core.chain(loaded).chain(data) {
            let sink = if outranks {
                &mut conflicts.refused
            } else {
                &mut conflicts.clashes
            };
            if other.id == manifest.id {
                sink.push(if outranks && from != "built in" {
                    Refusal::ClaimsInstalledId {
                        id: manifest.id.clone(),
                        installed: from.clone(),
                    }
                } else {
                    Refusal::DuplicatePluginId {
                        id: manifest.id.clone(),
                        first: from.clone(),
                    }
                });
            }
            for item in manifest.checklists.iter().flat_map(|c| &c.items) {
                if other.item(&item.id).is_some() {
                    sink.push(Refusal::DuplicateItemId {
                        item: item.id.clone(),
                        plugin: other.id.clone(),
                    });
                }
            }
        }
        conflicts
    }

    /// Adds the data checklist files of `dirs` (see
    /// [`crate::data::standard_dirs`]), after the plugins: each is checked,
    /// and one whose plugin or item ids are taken by the core, a plugin or
    /// an earlier data checklist is refused with its reason; the rest load.
    pub fn add_data_checklists(&mut self, dirs: &[PathBuf]) {
        self.add_data_files(find_files(dirs));
    }

    /// [`Registry::add_data_checklists`] for the given files, in order.
    pub fn add_data_files(&mut self, files: Vec<PathBuf>) {
        for file in files {
            let info = match self.check_data_file(&file) {
                Ok(manifest) => {
                    tracing::info!(checklist = %manifest.id, file = %file.display(), "data checklist loaded");
                    DataChecklistInfo {
                        file,
                        manifest: Some(manifest),
                        refusal: None,
                    }
                }
                Err(refusal) => {
                    tracing::warn!(file = %file.display(), reason = %refusal, "data checklist refused");
                    DataChecklistInfo {
                        file,
                        manifest: None,
                        refusal: Some(refusal),
                    }
                }
            };
            self.data.push(info);
        }
    }

    /// Checks a data checklist file on its own, then its ids against the
    /// core, the plugins and the data checklists already added.
    pub fn check_data_file(&self, file: &Path) -> Result<Manifest, DataRefusal> {
        let manifest = check_file(file)?;
        let conflicts = self.conflicts(&manifest, "", Origin::User);
        match conflicts
            .refused
            .into_iter()
            .chain(conflicts.clashes)
            .next()
        {
            Some(refusal) => Err(DataRefusal::Clash(refusal)),
            None => Ok(manifest),
        }
    }

    /// Every data checklist file found, loaded or refused, in search order.
    pub fn data_checklists(&self) -> &[DataChecklistInfo] {
        &self.data
    }

    fn data_manifests(&self) -> impl Iterator<Item = &Manifest> {
        self.data.iter().filter_map(|d| d.manifest.as_ref())
    }

    /// The manifests of loaded plugins (not the core, not data checklists).
    pub fn plugin_manifests(&self) -> Vec<&Manifest> {
        self.plugins.iter().map(|p| &p.manifest).collect()
    }

    /// The core manifest.
    pub fn core(&self) -> &Manifest {
        &self.core
    }

    /// Every manifest available: the core first, then loaded plugins in
    /// search order, then data checklists.
    pub fn manifests(&self) -> Vec<&Manifest> {
        std::iter::once(&self.core)
            .chain(self.plugins.iter().map(|p| &p.manifest))
            .chain(self.data_manifests())
            .collect()
    }

    /// The manifest of a plugin id (`core` included).
    pub fn manifest(&self, plugin_id: &str) -> Option<&Manifest> {
        self.manifests().into_iter().find(|m| m.id == plugin_id)
    }

    /// Every plugin file found, loaded or refused, in search order, with the
    /// latest score fault of each.
    pub fn list(&self) -> Vec<PluginInfo> {
        let faults = self.faults.lock().map(|f| f.clone()).unwrap_or_default();
        self.found
            .iter()
            .enumerate()
            .map(|(index, info)| PluginInfo {
                fault: faults.get(&index).cloned(),
                ..info.clone()
            })
            .collect()
    }

    /// Folders that could not be searched, and an ignored trust list.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The checklists offered by default when a visit to a unit of
    /// `department` starts: the core's, then those of every loaded plugin
    /// that applies to the department (or to every department).
    pub fn checklists_for_department(&self, department: &str) -> Vec<ChecklistSnapshot> {
        self.manifests()
            .into_iter()
            .filter(|m| m.applies_to(department))
            .flat_map(Manifest::snapshots)
            .collect()
    }

    /// Every loaded checklist, for the inspector to add any of them.
    pub fn all_checklists(&self) -> Vec<ChecklistSnapshot> {
        self.manifests()
            .into_iter()
            .flat_map(Manifest::snapshots)
            .collect()
    }

    /// How many plugins' children have been started (a child starts when a
    /// plugin is first used, unless its manifest had to be read at load).
    pub fn children_started(&self) -> usize {
        self.plugins
            .iter()
            .filter(|p| p.worker.is_started())
            .count()
    }

    /// Starts the children of the plugins `plugin_ids` that have computed
    /// items and are not running yet, so their first score is quick (a visit
    /// that offers their checklists opened). A child that cannot start is
    /// recorded like a score fault and the next call tries again.
    pub fn start_plugins<'a>(&self, plugin_ids: impl IntoIterator<Item = &'a str>) {
        for id in plugin_ids {
            let Some(plugin) = self.plugins.iter().find(|p| p.manifest.id == id) else {
                continue;
            };
            if computed_items(&plugin.manifest).next().is_none() {
                continue;
            }
            if let Err(failure) = plugin.worker.start() {
                tracing::warn!(plugin = %id, %failure, "plugin could not start");
                if let Ok(mut faults) = self.faults.lock() {
                    faults.insert(plugin.info, failure.to_string());
                }
            }
        }
    }

    /// Prices a finding on a computed item by calling its plugin. On any
    /// error the caller lets the inspector enter the points by hand.
    pub fn score(
        &self,
        plugin_id: &str,
        item_id: &str,
        inputs: &serde_json::Value,
    ) -> Result<Points, PluginError> {
        let plugin = self
            .plugins
            .iter()
            .find(|p| p.manifest.id == plugin_id)
            .ok_or_else(|| {
                if plugin_id == self.core.id && self.core.item(item_id).is_some() {
                    PluginError::NotComputed(item_id.to_owned())
                } else {
                    PluginError::UnknownPlugin(plugin_id.to_owned())
                }
            })?;
        let (_, item) = plugin
            .manifest
            .item(item_id)
            .ok_or_else(|| PluginError::UnknownItem {
                plugin: plugin_id.to_owned(),
                item: item_id.to_owned(),
            })?;
        let Rule::Computed {
            inputs: fields,
            max,
        } = &item.rule
        else {
            return Err(PluginError::NotComputed(item_id.to_owned()));
        };
        let request = build_request(item_id, fields, inputs)?;
        let answer = plugin
            .worker
            .score_bytes(&request)
            .map_err(|failure| crate::score::call_error(plugin_id, item_id, failure));
        let result = answer.and_then(|bytes| read_points(plugin_id, item_id, &bytes, *max));
        if let Err(error) = &result
            && error.is_plugin_fault()
            && let Ok(mut faults) = self.faults.lock()
        {
            tracing::warn!(%error, "plugin score function misbehaved");
            faults.insert(plugin.info, error.to_string());
        }
        result
    }
}

/// A candidate after trust was settled and, if trusted, its child
/// started and its manifest read and validated.
struct Prepared {
    info: PluginInfo,
    opened: Result<(Manifest, LazyWorker), Refusal>,
}

/// A candidate after the checks that run no plugin code: refused, offered
/// from the manifest cache, or with its child launched to ask.
// Short-lived, one per plugin found, moved a few times: boxing saves nothing.
#[allow(clippy::large_enum_variant)]
enum Checked {
    /// Nothing left to do.
    Settled(Result<(Manifest, LazyWorker), Refusal>),
    /// Its child is starting; the manifest is to be asked of it.
    Launched(Launched),
}

/// A candidate once its child, if launched, was asked for its manifest.
#[allow(clippy::large_enum_variant)]
enum Asking {
    /// Nothing left to do.
    Settled(Result<(Manifest, LazyWorker), Refusal>),
    /// The child is ready and was asked; the answer is still to be read.
    Asked(Worker, Asked),
}

fn blank_info(candidate: &Candidate) -> PluginInfo {
    PluginInfo {
        id: None,
        version: None,
        name: None,
        departments: Vec::new(),
        file: candidate.file.clone(),
        sha256: String::new(),
        origin: candidate.origin,
        status: PluginStatus::Loaded,
        fault: None,
    }
}

/// Everything up to the child: trust is decided on bytes read once, and
/// those very bytes go to the child. A plugin whose manifest is cached
/// under its SHA-256 starts no child; any other has its child launched,
/// not waited for.
fn check(info: &mut PluginInfo, trust: &TrustList, config: &HostConfig) -> Checked {
    let (bytes, command) = match trusted_bytes(info, trust, config) {
        Ok(checked) => checked,
        Err(refusal) => return Checked::Settled(Err(refusal)),
    };
    // What the child said at an earlier start, if it still validates; the
    // child then starts on first use and must say the same.
    let cached = config.manifest_cache.as_ref().and_then(|dir| {
        let entry = manifest_cache::read(dir, &info.sha256)?;
        let manifest = validate_manifest(entry.manifest.as_bytes()).ok()?;
        Some((dir, entry, manifest))
    });
    match cached {
        Some((dir, entry, manifest)) => {
            let worker = LazyWorker::later(
                command,
                bytes,
                config.limits,
                entry,
                dir.clone(),
                info.sha256.clone(),
            );
            Checked::Settled(finish(info, manifest, worker))
        }
        None => match Worker::launch(command, bytes, config.limits) {
            Ok(launched) => Checked::Launched(launched),
            Err(refusal) => Checked::Settled(Err(refusal)),
        },
    }
}

/// The file's bytes, read once, hashed, and checked: permissions, trust,
/// the static checks; and the command its child is started with.
fn trusted_bytes<'a>(
    info: &mut PluginInfo,
    trust: &TrustList,
    config: &'a HostConfig,
) -> Result<(Arc<[u8]>, &'a WorkerCommand), Refusal> {
    let size = std::fs::metadata(&info.file)
        .map_err(|e| Refusal::Unreadable(e.to_string()))?
        .len();
    check_size(size)?;
    let bytes = std::fs::read(&info.file).map_err(|e| Refusal::Unreadable(e.to_string()))?;
    info.sha256 = sha256_hex(&bytes);
    check_permissions(&info.file)?;
    if info.origin == Origin::User {
        trust.check(&info.sha256)?;
    }
    check_bytes(&bytes)?;
    let command = config.worker.as_ref().ok_or_else(|| {
        Refusal::Worker("this program cannot find itself to run plugins in".to_owned())
    })?;
    Ok((Arc::from(bytes), command))
}

/// Waits for a launched child to be ready and asks it for its manifest.
fn ask(checked: Checked) -> Asking {
    let launched = match checked {
        Checked::Settled(opened) => return Asking::Settled(opened),
        Checked::Launched(launched) => launched,
    };
    let worker = match launched.ready() {
        Ok(worker) => worker,
        Err(refusal) => return Asking::Settled(Err(refusal)),
    };
    match worker.ask_manifest() {
        Ok(asked) => Asking::Asked(worker, asked),
        Err(failure) => Asking::Settled(Err(Refusal::ManifestCall(failure.to_string()))),
    }
}

/// Takes the manifest a child was asked for, validates it and keeps it in
/// the cache (a settled candidate is passed through).
fn answered(
    info: &mut PluginInfo,
    config: &HostConfig,
    asking: Asking,
) -> Result<(Manifest, LazyWorker), Refusal> {
    let (worker, asked) = match asking {
        Asking::Settled(opened) => return opened,
        Asking::Asked(worker, asked) => (worker, asked),
    };
    let manifest_bytes = worker
        .manifest_answer(asked)
        .map_err(|failure| Refusal::ManifestCall(failure.to_string()))?;
    let manifest = validate_manifest(&manifest_bytes)?;
    let entry = manifest_cache::Entry::new(&info.sha256, worker.has_score(), &manifest_bytes);
    let opened = finish(info, manifest, LazyWorker::started(worker))?;
    // Only what a child said, and only once it passed every check.
    if let (Some(dir), Some(entry)) = (&config.manifest_cache, entry) {
        manifest_cache::write(dir, &entry);
    }
    Ok(opened)
}

/// Records what the manifest says of the plugin, and refuses a plugin with
/// computed items but no score function.
fn finish(
    info: &mut PluginInfo,
    manifest: Manifest,
    worker: LazyWorker,
) -> Result<(Manifest, LazyWorker), Refusal> {
    info.id = Some(manifest.id.clone());
    info.version = Some(manifest.version.clone());
    info.name = Some(manifest.name.clone());
    info.departments = manifest.departments.clone();
    if !worker.has_score()
        && let Some(item) = computed_items(&manifest).next()
    {
        return Err(Refusal::NoScoreFunction {
            item: item.to_owned(),
        });
    }
    Ok((manifest, worker))
}

/// Every candidate prepared, in the candidates' order. Reading, hashing
/// and checking run on up to 8 threads, each launching the children its
/// plugins need as it goes; then every launched child is waited for and
/// asked for its manifest before any answer is read, so the children
/// start and answer side by side, each within its own time limits.
fn prepare_all(
    candidates: Vec<Candidate>,
    trust: &TrustList,
    config: &HostConfig,
) -> Vec<Prepared> {
    let asking: Vec<_> = check_all(&candidates, trust, config)
        .into_iter()
        .map(|(info, checked)| (info, ask(checked)))
        .collect();
    asking
        .into_iter()
        .map(|(mut info, asking)| {
            let opened = answered(&mut info, config, asking);
            Prepared { info, opened }
        })
        .collect()
}

/// [`check`] for every candidate, on up to 8 threads, keeping their order.
fn check_all(
    candidates: &[Candidate],
    trust: &TrustList,
    config: &HostConfig,
) -> Vec<(PluginInfo, Checked)> {
    let one = |c: &Candidate| {
        let mut info = blank_info(c);
        let checked = check(&mut info, trust, config);
        (info, checked)
    };
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .clamp(4, 8);
    if candidates.len() < 2 {
        return candidates.iter().map(one).collect();
    }
    let chunk = candidates.len().div_ceil(workers);
    std::thread::scope(|scope| {
        let parts: Vec<_> = candidates
            .chunks(chunk)
            .map(|part| {
                let handle = scope.spawn(move || part.iter().map(one).collect::<Vec<_>>());
                (part, handle)
            })
            .collect();
        parts
            .into_iter()
            .flat_map(|(part, handle)| {
                // No plugin code runs in these threads; should one die
                // anyway, its part is checked again here.
                handle
                    .join()
                    .unwrap_or_else(|_| part.iter().map(one).collect())
            })
            .collect()
    })
}

fn computed_items(manifest: &Manifest) -> impl Iterator<Item = &str> {
    manifest
        .checklists
        .iter()
        .flat_map(|c| &c.items)
        .filter(|item| matches!(item.rule, Rule::Computed { .. }))
        .map(|item| item.id.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registry_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Registry>();
    }

    #[test]
    fn the_core_alone_offers_its_three_checklists_to_every_unit() {
        let registry = Registry::core_only();
        let offered = registry.checklists_for_department("任何单位");
        assert_eq!(offered.len(), 3);
        assert!(offered.iter().all(|s| s.plugin_id == "core"));
        assert!(registry.list().is_empty());
    }

    #[test]
    #[allow(clippy::unwrap_used)]
    fn data_checklists_are_offered_and_clashing_ones_refused() {
        let dir = tempfile::tempdir().unwrap();
        let good = crate::data::tests::GOOD;
        std::fs::write(dir.path().join("a-petition.json"), good).unwrap();
        // Same plugin id as the first file.
        std::fs::write(dir.path().join("b-again.json"), good).unwrap();
        // An item id of the core.
        let core_item = good
            .replacen("petition-window", "other-window", 1)
            .replace("petition-rude", "late-arrival");
        std::fs::write(dir.path().join("c-core-item.json"), core_item).unwrap();
        std::fs::write(dir.path().join("d-broken.json"), "{").unwrap();
        let mut registry = Registry::core_only();
        registry.add_data_checklists(&[dir.path().to_path_buf()]);

        let found = registry.data_checklists();
        assert_eq!(found.len(), 4);
        assert!(found[0].refusal.is_none());
        let reasons: Vec<String> = found[1..]
            .iter()
            .map(|d| d.reason_line(anfang_core::Lang::En).unwrap())
            .collect();
        assert!(
            reasons[0].contains("b-again.json: id clash: duplicate plugin id 'petition-window'"),
            "{}",
            reasons[0]
        );
        assert!(
            reasons[1].contains("c-core-item.json: id clash: duplicate item id 'late-arrival'"),
            "{}",
            reasons[1]
        );
        assert!(
            reasons[2].contains("d-broken.json: invalid file: manifest is not JSON"),
            "{}",
            reasons[2]
        );
        let zh = found[2].reason_line(anfang_core::Lang::Zh).unwrap();
        assert!(
            zh.contains("编号冲突") && zh.contains("late-arrival"),
            "{zh}"
        );

        let offered = registry.checklists_for_department("信访局");
        assert_eq!(offered.len(), 4);
        assert_eq!(offered[3].plugin_id, "petition-window");
        assert_eq!(registry.checklists_for_department("税务局").len(), 3);
        assert_eq!(registry.all_checklists().len(), 4);
        assert!(registry.manifest("petition-window").is_some());
    }
}
