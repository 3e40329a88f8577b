//! The three core checklists (attendance, on-duty conduct, window service),
//! published in the same manifest format as department plugins.

use crate::manifest::Manifest;

/// The core manifest's JSON, as shipped (and validated by the plugin host's
/// tests against `schemas/checklist.schema.json`).
pub const CORE_MANIFEST_JSON: &str = include_str!("../checklists/core.json");

/// The core checklists.
pub fn core_manifest() -> Manifest {
    // The JSON is a compile-time constant checked by the test below, so
    // parsing cannot fail at run time.
    #[allow(clippy::expect_used)]
    serde_json::from_str(CORE_MANIFEST_JSON).expect("core.json is valid (tested)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_manifest_parses_and_is_consistent() {
        let manifest: Manifest = serde_json::from_str(CORE_MANIFEST_JSON).unwrap();
        assert_eq!(manifest.id, crate::manifest::CORE_PLUGIN_ID);
        assert_eq!(manifest.checklists.len(), 3);
        assert!(manifest.problems().is_empty(), "{:?}", manifest.problems());
    }
}
