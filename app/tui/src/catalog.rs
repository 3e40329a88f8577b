//! The checklists a new visit can use, and the plugins they came from.

use crate::model::PluginRow;
use anfang_core::core_checklists::core_manifest;
use anfang_core::manifest::{CORE_PLUGIN_ID, ChecklistSnapshot, Manifest};

/// Loaded manifests (the core first) and what the plugin host found.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    /// Every loaded manifest; the core manifest is always first.
    pub manifests: Vec<Manifest>,
    /// Every plugin file found, loaded or refused.
    pub plugins: Vec<PluginRow>,
}

impl Catalog {
    /// The core checklists plus the given plugin manifests (a plugin
    /// claiming the core's id is skipped: the core cannot be replaced).
    pub fn new(plugin_manifests: Vec<Manifest>, plugins: Vec<PluginRow>) -> Catalog {
        let mut manifests = vec![core_manifest()];
        manifests.extend(
            plugin_manifests
                .into_iter()
                .filter(|m| m.id != CORE_PLUGIN_ID),
        );
        Catalog { manifests, plugins }
    }

    /// Every checklist as a snapshot, with whether it is offered by default
    /// to a unit of `department`: the core always, a plugin's when it names
    /// that department or names none.
    pub fn offer(&self, department: &str) -> Vec<(ChecklistSnapshot, bool)> {
        self.manifests
            .iter()
            .flat_map(|m| {
                let default = m.id == CORE_PLUGIN_ID || m.applies_to(department.trim());
                m.snapshots().into_iter().map(move |s| (s, default))
            })
            .collect()
    }
}

impl Default for Catalog {
    fn default() -> Catalog {
        Catalog::new(Vec::new(), Vec::new())
    }
}
