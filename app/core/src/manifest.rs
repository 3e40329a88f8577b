//! Checklist manifests: the one format in which both the core checklists and
//! every department plugin describe their items and deduction rules.
//!
//! The JSON form is specified by `schemas/checklist.schema.json`; these types
//! are its Rust mirror. A manifest is copied into the ledger with each visit
//! that uses it, so findings keep their labels and rules after a plugin
//! changes or disappears.

use crate::label::Label;
use crate::rule::Rule;
use serde::{Deserialize, Serialize};

/// The plugin id under which the built-in core checklists are published.
pub const CORE_PLUGIN_ID: &str = "core";

/// Everything one plugin (or the core) contributes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Stable, unique plugin id, e.g. `tax-hall`.
    pub id: String,
    /// The plugin's version (semantic versioning recommended).
    pub version: String,
    /// Human name of the plugin.
    pub name: Label,
    /// Departments whose units are offered these checklists when a visit
    /// starts; empty means every unit.
    #[serde(default)]
    pub departments: Vec<Label>,
    /// What the plugin's author says about it (sources, edge cases).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Label>,
    /// The checklists, in the order an inspector walks them.
    pub checklists: Vec<Checklist>,
}

/// One checklist: a named, ordered list of items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    /// Id unique within the plugin, e.g. `attendance`.
    pub id: String,
    /// Checklist title.
    pub label: Label,
    /// The items to check.
    pub items: Vec<Item>,
}

/// One thing an inspector checks, with the rule that prices a violation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Id unique within the plugin, e.g. `late-arrival`.
    pub id: String,
    /// What to check, as the inspector reads it.
    pub label: Label,
    /// Longer guidance: what counts, where it comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<Label>,
    /// How a violation of this item is priced.
    pub rule: Rule,
}

/// A checklist together with the plugin it came from: what a visit records
/// in the ledger so the items stay readable and scorable forever.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistSnapshot {
    /// Plugin id (`core` for the built-in checklists).
    pub plugin_id: String,
    /// Plugin version at the time the visit used it.
    pub plugin_version: String,
    /// The checklist as it was.
    pub checklist: Checklist,
}

/// Where a finding's item comes from: plugin, version, checklist and item.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemRef {
    /// Plugin id (`core` for built-in items).
    pub plugin_id: String,
    /// Plugin version the finding was recorded under.
    pub plugin_version: String,
    /// Checklist id within the plugin.
    pub checklist_id: String,
    /// Item id within the plugin.
    pub item_id: String,
}

impl Manifest {
    /// Snapshots of every checklist, ready to travel with a visit.
    pub fn snapshots(&self) -> Vec<ChecklistSnapshot> {
        self.checklists
            .iter()
            .map(|checklist| ChecklistSnapshot {
                plugin_id: self.id.clone(),
                plugin_version: self.version.clone(),
                checklist: checklist.clone(),
            })
            .collect()
    }

    /// Finds an item by id.
    pub fn item(&self, item_id: &str) -> Option<(&Checklist, &Item)> {
        self.checklists.iter().find_map(|checklist| {
            checklist
                .items
                .iter()
                .find(|item| item.id == item_id)
                .map(|item| (checklist, item))
        })
    }

    /// Whether these checklists are offered by default for a unit of `department`.
    pub fn applies_to(&self, department: &str) -> bool {
        self.departments.is_empty()
            || self
                .departments
                .iter()
                .any(|d| d.zh == department || d.en.eq_ignore_ascii_case(department))
    }

    /// Checks what the JSON schema cannot: ids unique within the plugin and
    /// rules internally consistent. Returns every problem found.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut checklist_ids = std::collections::BTreeSet::new();
        let mut item_ids = std::collections::BTreeSet::new();
        for checklist in &self.checklists {
            if !checklist_ids.insert(checklist.id.as_str()) {
                problems.push(format!("duplicate checklist id '{}'", checklist.id));
            }
            for item in &checklist.items {
                if !item_ids.insert(item.id.as_str()) {
                    problems.push(format!("duplicate item id '{}'", item.id));
                }
                if let Err(problem) = item.rule.check() {
                    problems.push(format!("item '{}': {problem}", item.id));
                }
            }
        }
        problems
    }
}

impl ChecklistSnapshot {
    /// The reference a finding on `item` of this checklist carries.
    pub fn item_ref(&self, item: &Item) -> ItemRef {
        ItemRef {
            plugin_id: self.plugin_id.clone(),
            plugin_version: self.plugin_version.clone(),
            checklist_id: self.checklist.id.clone(),
            item_id: item.id.clone(),
        }
    }

    /// Finds an item by id.
    pub fn item(&self, item_id: &str) -> Option<&Item> {
        self.checklist.items.iter().find(|item| item.id == item_id)
    }
}
