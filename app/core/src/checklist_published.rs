//! A checklist written as data, published by the office's admin so that it
//! travels in bundles and every laptop offers it on visits.

use serde::{Deserialize, Serialize};

/// The body of a `checklist_published` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistPublished {
    /// The checklist's id (its `id` field), which later publications replace.
    pub checklist_id: String,
    /// 1 for the first publication of this id; each new one the next number.
    pub version: u32,
    /// The file's JSON text, exactly as checked.
    pub document: String,
}
