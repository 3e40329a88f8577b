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

    /// Every checklist as a snapshot, with whether it is chosen by default
    /// for a visit to `unit` of `department`: the core always; a plugin's
    /// when it serves every department or one of its departments matches.
    pub fn offer(&self, department: &str, unit: &str) -> Vec<(ChecklistSnapshot, bool)> {
        self.manifests
            .iter()
            .flat_map(|m| {
                let default = m.id == CORE_PLUGIN_ID || serves(m, department.trim(), unit.trim());
                m.snapshots().into_iter().map(move |s| (s, default))
            })
            .collect()
    }
}

/// Whether a plugin serves a unit. Offices write departments loosely (税务,
/// 税务局, 办税服务厅), so beyond the manifest's exact match a department that
/// contains, or is contained in, one the plugin names counts, and so does a
/// unit whose name contains it (市税务局第一税务分局办税服务厅). The inspector
/// can still untick or add any checklist.
fn serves(manifest: &Manifest, department: &str, unit: &str) -> bool {
    if manifest.applies_to(department) {
        return true;
    }
    let close =
        |a: &str, b: &str| !a.is_empty() && !b.is_empty() && (a.contains(b) || b.contains(a));
    let lower = department.to_lowercase();
    manifest.departments.iter().any(|d| {
        close(department, &d.zh)
            || close(&lower, &d.en.to_lowercase())
            || (!d.zh.is_empty() && unit.contains(d.zh.as_str()))
    })
}

impl Default for Catalog {
    fn default() -> Catalog {
        Catalog::new(Vec::new(), Vec::new())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use anfang_core::Label;

    fn tax_hall() -> Manifest {
        let mut m = core_manifest();
        m.id = "tax-hall".into();
        m.departments = vec![
            Label::new("税务局", "tax bureau"),
            Label::new("办税服务厅", "tax service hall"),
        ];
        m.checklists.truncate(1);
        m
    }

    #[test]
    fn a_department_written_loosely_still_gets_its_checklists() {
        let catalog = Catalog::new(vec![tax_hall()], Vec::new());
        let chosen = |dept: &str, unit: &str| {
            catalog
                .offer(dept, unit)
                .iter()
                .filter(|(_, on)| *on)
                .count()
        };
        assert_eq!(chosen("规划", "市规划局"), 3, "core only");
        assert_eq!(chosen("税务", "市税务局"), 4);
        assert_eq!(chosen("税务局", ""), 4);
        assert_eq!(chosen("", "市税务局第一税务分局办税服务厅"), 4);
        assert_eq!(chosen("Tax Bureau", ""), 4);
        assert_eq!(
            catalog.offer("", "").len(),
            4,
            "every loaded checklist is on offer"
        );
    }
}
