//! What the registry knows about every plugin file it found: the shape the
//! `plugins list` command and the Plugins screen show.

use crate::refusal::Refusal;
use anfang_core::Label;
use serde::Serialize;
use std::path::PathBuf;

/// Where a plugin file was found, which decides how it is trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Beside the executable: trusted as part of the installation.
    Installation,
    /// A user folder (`--plugin-dir`, `ANFANG_PLUGIN_PATH`, `<data>/plugins`):
    /// trusted only when its SHA-256 is on the trust list.
    User,
}

/// Loaded, or refused with a reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PluginStatus {
    /// Its checklists are available.
    Loaded,
    /// Not loaded; the reason says why.
    Refused(Refusal),
}

/// One plugin file found on the search path.
#[derive(Debug, Clone, PartialEq)]
pub struct PluginInfo {
    /// Plugin id, once its manifest was read.
    pub id: Option<String>,
    /// Plugin version, once its manifest was read.
    pub version: Option<String>,
    /// Plugin name, once its manifest was read.
    pub name: Option<Label>,
    /// Departments the plugin's checklists are offered to (empty: all).
    pub departments: Vec<Label>,
    /// The file as found on the search path.
    pub file: PathBuf,
    /// SHA-256 of the bytes read (and loaded), lowercase hex; empty when
    /// the file could not be read.
    pub sha256: String,
    /// Where it was found.
    pub origin: Origin,
    /// Loaded or refused.
    pub status: PluginStatus,
    /// The last time its score function panicked or returned garbage in
    /// this run, if it did: the plugin stays loaded and the item falls back
    /// to points entered by hand.
    pub fault: Option<String>,
}

impl PluginInfo {
    /// Whether the plugin's checklists are available.
    pub fn is_loaded(&self) -> bool {
        self.status == PluginStatus::Loaded
    }

    /// The one-line reason a refused plugin was refused.
    pub fn reason(&self) -> Option<String> {
        match &self.status {
            PluginStatus::Loaded => None,
            PluginStatus::Refused(refusal) => Some(refusal.to_string()),
        }
    }

    /// The refusal, if refused.
    pub fn refusal(&self) -> Option<&Refusal> {
        match &self.status {
            PluginStatus::Loaded => None,
            PluginStatus::Refused(refusal) => Some(refusal),
        }
    }

    /// `loaded` or `refused`.
    pub fn status_str(&self) -> &'static str {
        match self.status {
            PluginStatus::Loaded => "loaded",
            PluginStatus::Refused(_) => "refused",
        }
    }
}

/// The JSON shape of `anfang plugins list --json`.
#[derive(Serialize)]
struct InfoJson<'a> {
    id: Option<&'a str>,
    version: Option<&'a str>,
    name: Option<&'a Label>,
    departments: &'a [Label],
    file: &'a PathBuf,
    sha256: &'a str,
    origin: Origin,
    status: &'static str,
    reason: Option<String>,
    fault: Option<&'a str>,
}

impl Serialize for PluginInfo {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        InfoJson {
            id: self.id.as_deref(),
            version: self.version.as_deref(),
            name: self.name.as_ref(),
            departments: &self.departments,
            file: &self.file,
            sha256: &self.sha256,
            origin: self.origin,
            status: self.status_str(),
            reason: self.reason(),
            fault: self.fault.as_deref(),
        }
        .serialize(serializer)
    }
}
