//! Department checklist plugin: the planning bureau's permit window. Every
//! rule is fixed points, so it has no score function.

anfang_plugin_api::declare_plugin! {
    manifest: MANIFEST,
}

/// The manifest, kept as JSON beside the crate so it reads like the schema.
const MANIFEST: &str = include_str!("../manifest.json");

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use anfang_core::manifest::Manifest;

    #[test]
    fn manifest_is_a_consistent_manifest() {
        let manifest: Manifest = serde_json::from_str(super::MANIFEST).unwrap();
        assert_eq!(manifest.id, "planning-bureau");
        assert!(manifest.problems().is_empty(), "{:?}", manifest.problems());
        assert!(manifest.applies_to("规划局"));
        assert!(manifest.applies_to("规划"));
    }
}
