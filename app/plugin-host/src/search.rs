//! Where plugins are looked for, and which files there count as plugins.
//!
//! Order: `--plugin-dir` folders, `ANFANG_PLUGIN_PATH` folders, the data
//! dir's `plugins` folder, then the folder beside the executable. When two
//! files declare the same plugin id, the one found first wins.
//!
//! In user folders every file with the platform's library extension
//! (`.so`, `.dylib`, `.dll`) is a candidate. Beside the executable only
//! `libanfang_plugin_*.so` (`anfang_plugin_*.dll` on Windows) is, so the
//! other libraries an installation carries are left alone.

use crate::info::Origin;
use std::env::consts::{DLL_EXTENSION, DLL_PREFIX};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The environment variable listing extra plugin folders.
pub const PLUGIN_PATH_ENV: &str = "ANFANG_PLUGIN_PATH";

/// Name prefix (after the platform's `lib`) of plugins beside the executable.
pub const INSTALLED_PLUGIN_PREFIX: &str = "anfang_plugin_";

/// Name of the user plugin folder inside the data dir.
pub const DATA_PLUGIN_DIR: &str = "plugins";

/// One folder to search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginDir {
    /// The folder.
    pub path: PathBuf,
    /// How files found there are trusted.
    pub origin: Origin,
    /// Named by the user (flag or environment): its absence is reported.
    pub explicit: bool,
}

/// The folders to search, in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchPath {
    /// Folders, first match wins.
    pub dirs: Vec<PluginDir>,
}

/// A candidate plugin file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The file.
    pub file: PathBuf,
    /// How it is trusted.
    pub origin: Origin,
}

/// What searching found: candidates, and folders that could not be searched.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Found {
    /// Candidate files in search order.
    pub candidates: Vec<Candidate>,
    /// One line per folder named by the user that is missing or unreadable.
    pub warnings: Vec<String>,
}

impl SearchPath {
    /// The standard search path: `plugin_dirs` (from `--plugin-dir` and
    /// `ANFANG_PLUGIN_PATH`, in that order), `<data_dir>/plugins`, and the
    /// folder of the running executable.
    pub fn standard(plugin_dirs: &[PathBuf], data_dir: &Path) -> SearchPath {
        let mut search = SearchPath::default();
        for dir in plugin_dirs {
            search.push_user(dir.clone(), true);
        }
        search.push_user(data_dir.join(DATA_PLUGIN_DIR), false);
        if let Some(dir) = installation_dir() {
            search.push_installation(dir);
        }
        search
    }

    /// Adds a user folder.
    pub fn push_user(&mut self, path: PathBuf, explicit: bool) {
        self.dirs.push(PluginDir {
            path,
            origin: Origin::User,
            explicit,
        });
    }

    /// Adds an installation folder (trusted, `libanfang_plugin_*` only).
    pub fn push_installation(&mut self, path: PathBuf) {
        self.dirs.push(PluginDir {
            path,
            origin: Origin::Installation,
            explicit: false,
        });
    }

    /// Lists candidate files, each once, in search order; files in one
    /// folder in name order. A folder listed twice (or a user folder that is
    /// the installation folder) is searched once, as the installation when
    /// it is one.
    pub fn find(&self) -> Found {
        let mut found = Found::default();
        let installation: Vec<PathBuf> = self
            .dirs
            .iter()
            .filter(|d| d.origin == Origin::Installation)
            .filter_map(|d| d.path.canonicalize().ok())
            .collect();
        let mut seen = Vec::new();
        for dir in &self.dirs {
            let canonical = match dir.path.canonicalize() {
                Ok(path) => path,
                Err(error) => {
                    if dir.explicit {
                        found.warnings.push(format!(
                            "plugin folder {} cannot be searched: {error}",
                            dir.path.display()
                        ));
                    }
                    continue;
                }
            };
            if seen.contains(&canonical) {
                continue;
            }
            seen.push(canonical.clone());
            let origin = if installation.contains(&canonical) {
                Origin::Installation
            } else {
                dir.origin
            };
            match list_dir(&dir.path, origin) {
                Ok(files) => found.candidates.extend(files),
                Err(error) => found.warnings.push(format!(
                    "plugin folder {} cannot be searched: {error}",
                    dir.path.display()
                )),
            }
        }
        found
    }
}

/// The folder of the running executable, where an installation's plugins
/// (and cargo's freshly built cdylibs) sit.
pub fn installation_dir() -> Option<PathBuf> {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
}

/// The folders listed in `ANFANG_PLUGIN_PATH` (colon-separated on Unix,
/// semicolon on Windows), empty entries skipped.
pub fn plugin_path_from_env() -> Vec<PathBuf> {
    std::env::var_os(PLUGIN_PATH_ENV)
        .map(|value| split_plugin_path(&value))
        .unwrap_or_default()
}

/// Splits a plugin path value as `ANFANG_PLUGIN_PATH` is split.
pub fn split_plugin_path(value: &OsString) -> Vec<PathBuf> {
    std::env::split_paths(value)
        .filter(|p| !p.as_os_str().is_empty())
        .collect()
}

/// Whether a file name counts as a plugin for a folder of this origin.
pub fn is_candidate_name(name: &str, origin: Origin) -> bool {
    if name.starts_with('.') {
        return false;
    }
    let Some(stem) = name
        .strip_suffix(DLL_EXTENSION)
        .and_then(|s| s.strip_suffix('.'))
    else {
        return false;
    };
    match origin {
        Origin::User => !stem.is_empty(),
        Origin::Installation => stem
            .strip_prefix(DLL_PREFIX)
            .is_some_and(|rest| rest.starts_with(INSTALLED_PLUGIN_PREFIX)),
    }
}

fn list_dir(dir: &Path, origin: Origin) -> std::io::Result<Vec<Candidate>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        if !is_candidate_name(&name, origin) {
            continue;
        }
        // Follows symlinks: a link to a plugin is that plugin.
        if entry.path().is_dir() {
            continue;
        }
        files.push(Candidate {
            file: entry.path(),
            origin,
        });
    }
    files.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(files)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn installation_folder_takes_only_anfang_plugins() {
        let lib = |stem: &str| format!("{DLL_PREFIX}{stem}.{DLL_EXTENSION}");
        assert!(is_candidate_name(
            &lib("anfang_plugin_tax_hall"),
            Origin::Installation
        ));
        assert!(!is_candidate_name(&lib("ssl"), Origin::Installation));
        assert!(is_candidate_name(&lib("ssl"), Origin::User));
        assert!(!is_candidate_name("notes.txt", Origin::User));
        assert!(!is_candidate_name(&format!(".{}", lib("x")), Origin::User));
    }

    #[test]
    fn finds_in_order_and_reports_missing_explicit_folders() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let so = |n: &str| format!("{DLL_PREFIX}{n}.{DLL_EXTENSION}");
        std::fs::write(a.path().join(so("zeta")), b"x").unwrap();
        std::fs::write(a.path().join(so("alpha")), b"x").unwrap();
        std::fs::write(a.path().join("readme.txt"), b"x").unwrap();
        std::fs::write(b.path().join(so("anfang_plugin_one")), b"x").unwrap();
        std::fs::write(b.path().join(so("other")), b"x").unwrap();
        let mut search = SearchPath::default();
        search.push_user(a.path().into(), true);
        search.push_user(a.path().join("missing"), true);
        search.push_user(a.path().join("quiet-missing"), false);
        search.push_user(b.path().into(), true);
        search.push_installation(b.path().into());
        let found = search.find();
        let names: Vec<_> = found
            .candidates
            .iter()
            .map(|c| {
                (
                    c.file.file_name().unwrap().to_str().unwrap().to_owned(),
                    c.origin,
                )
            })
            .collect();
        assert_eq!(
            names,
            vec![
                (so("alpha"), Origin::User),
                (so("zeta"), Origin::User),
                (so("anfang_plugin_one"), Origin::Installation),
            ]
        );
        assert_eq!(found.warnings.len(), 1);
        assert!(
            found.warnings[0].contains("missing"),
            "{:?}",
            found.warnings
        );
    }

    #[cfg(unix)]
    #[test]
    fn plugin_path_splits_like_path() {
        let value = OsString::from("/a::/b");
        assert_eq!(
            split_plugin_path(&value),
            vec![PathBuf::from("/a"), PathBuf::from("/b")]
        );
    }
}
