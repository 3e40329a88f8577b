//! Department checklist plugin: the administrative service center. Two of
//! its rules are computed here: the share of approval items not moved into
//! the center, and the public appraisal questionnaire.

mod appraisal;
mod items_moved;

use anfang_plugin_api::ScoreRequest;

anfang_plugin_api::declare_plugin! {
    manifest: MANIFEST,
    score: score,
}

/// The manifest, kept as JSON beside the crate so it reads like the schema.
const MANIFEST: &str = include_str!("../manifest.json");

fn score(request: &ScoreRequest) -> Result<f64, String> {
    let points = match request.item.as_str() {
        "center-items-not-moved" => items_moved::deduction(request)?,
        "center-window-appraisal" => appraisal::deduction(request)?,
        other => {
            return Err(format!(
                "item '{other}' has no computed rule in this plugin"
            ));
        }
    };
    Ok(points.as_f64())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use anfang_core::manifest::Manifest;
    use anfang_core::rule::Rule;

    #[test]
    fn manifest_is_a_consistent_manifest() {
        let manifest: Manifest = serde_json::from_str(super::MANIFEST).unwrap();
        assert_eq!(manifest.id, "service-center");
        assert!(manifest.problems().is_empty(), "{:?}", manifest.problems());
        let (_, item) = manifest.item("center-window-appraisal").unwrap();
        let Rule::Computed { inputs, .. } = &item.rule else {
            panic!("appraisal is computed")
        };
        assert_eq!(inputs.len(), 15);
        for input in inputs {
            let aspect = input.id.rsplit_once('_').unwrap().0;
            assert!(super::appraisal::ASPECTS.contains(&aspect), "{}", input.id);
        }
    }

    #[test]
    fn unknown_items_are_refused() {
        let request = super::ScoreRequest {
            item: "center-accept-only".into(),
            inputs: Default::default(),
        };
        assert!(
            super::score(&request)
                .unwrap_err()
                .contains("center-accept-only")
        );
    }
}
