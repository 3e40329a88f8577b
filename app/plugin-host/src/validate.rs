//! Manifest validation: UTF-8, JSON, `schemas/checklist.schema.json`, then
//! the checks the schema cannot express (`Manifest::problems`).

use crate::refusal::{Refusal, one_line};
use anfang_core::manifest::Manifest;
use std::sync::OnceLock;

/// The checklist manifest schema, as shipped in `schemas/`.
pub const CHECKLIST_SCHEMA: &str = include_str!("../../../schemas/checklist.schema.json");

fn validator() -> Result<&'static jsonschema::Validator, String> {
    static VALIDATOR: OnceLock<Result<jsonschema::Validator, String>> = OnceLock::new();
    VALIDATOR
        .get_or_init(|| {
            let schema: serde_json::Value = serde_json::from_str(CHECKLIST_SCHEMA)
                .map_err(|e| format!("the built-in schema is not JSON: {e}"))?;
            jsonschema::validator_for(&schema)
                .map_err(|e| format!("the built-in schema does not compile: {e}"))
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Every way `value` fails the schema, one line each, at most `limit`.
pub fn schema_errors(value: &serde_json::Value, limit: usize) -> Vec<String> {
    match validator() {
        Err(problem) => vec![problem],
        Ok(validator) => validator
            .iter_errors(value)
            .take(limit)
            .map(|error| {
                let at = error.instance_path().to_string();
                let at = if at.is_empty() { "/".to_owned() } else { at };
                one_line(&format!("at {at}: {error}"), 240)
            })
            .collect(),
    }
}

/// Validates manifest bytes as a plugin wrote them, stopping at the first
/// kind of failure.
pub fn validate_manifest(bytes: &[u8]) -> Result<Manifest, Refusal> {
    let text = std::str::from_utf8(bytes).map_err(|e| Refusal::ManifestNotUtf8 {
        offset: e.valid_up_to(),
    })?;
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| Refusal::ManifestNotJson(one_line(&e.to_string(), 200)))?;
    validate_value(value)
}

/// Validates a manifest already parsed as JSON.
pub fn validate_value(value: serde_json::Value) -> Result<Manifest, Refusal> {
    let errors = schema_errors(&value, 50);
    if let Some(first) = errors.first() {
        let more = match errors.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        return Err(Refusal::ManifestSchema(format!("{first}{more}")));
    }
    let manifest: Manifest = serde_json::from_value(value)
        .map_err(|e| Refusal::ManifestInconsistent(one_line(&e.to_string(), 200)))?;
    let problems = manifest.problems();
    if !problems.is_empty() {
        return Err(Refusal::ManifestInconsistent(one_line(
            &problems.join("; "),
            300,
        )));
    }
    Ok(manifest)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use anfang_core::core_checklists::CORE_MANIFEST_JSON;

    #[test]
    fn the_schema_compiles() {
        assert!(validator().is_ok(), "{:?}", validator().err());
    }

    #[test]
    fn the_core_manifest_passes_the_schema() {
        let value: serde_json::Value = serde_json::from_str(CORE_MANIFEST_JSON).unwrap();
        assert_eq!(schema_errors(&value, 10), Vec::<String>::new());
        assert_eq!(
            validate_manifest(CORE_MANIFEST_JSON.as_bytes()).unwrap().id,
            "core"
        );
    }

    #[test]
    fn the_example_plugins_pass_the_schema() {
        for json in [
            include_str!("../../../plugins/tax-hall/manifest.json"),
            include_str!("../../../plugins/planning-bureau/manifest.json"),
            include_str!("../../../plugins/service-center/manifest.json"),
        ] {
            let manifest = validate_manifest(json.as_bytes());
            assert!(manifest.is_ok(), "{manifest:?}");
        }
    }

    fn core_with(edit: impl FnOnce(&mut serde_json::Value)) -> Result<Manifest, Refusal> {
        let mut value: serde_json::Value = serde_json::from_str(CORE_MANIFEST_JSON).unwrap();
        edit(&mut value);
        validate_value(value)
    }

    #[test]
    fn schema_failures_name_the_place() {
        let refusal =
            core_with(|v| v["checklists"][0]["items"][1]["rule"]["points"] = "two".into());
        let reason = refusal.unwrap_err().to_string();
        assert!(
            reason.starts_with("manifest fails the schema: at /checklists/0/items/1/rule/points"),
            "{reason}"
        );

        let reason = core_with(|v| {
            v["checklists"][0]["items"][0]["label"] = serde_json::json!({"zh": "迟到"})
        })
        .unwrap_err()
        .to_string();
        assert!(reason.contains("\"en\" is a required property"), "{reason}");

        let reason =
            core_with(|v| v["checklists"][1]["items"][0]["rule"]["kind"] = "per_person".into())
                .unwrap_err()
                .to_string();
        assert!(
            reason.contains("/checklists/1/items/0/rule/kind"),
            "{reason}"
        );

        let reason = core_with(|v| v["colour"] = "red".into())
            .unwrap_err()
            .to_string();
        assert!(reason.contains("colour"), "{reason}");
    }

    #[test]
    fn wrong_rule_fields_are_caught_by_kind() {
        let reason = core_with(|v| {
            v["checklists"][0]["items"][0]["rule"] =
                serde_json::json!({"kind": "range", "unit": "case", "points": 3});
        })
        .unwrap_err()
        .to_string();
        assert!(reason.contains("/checklists/0/items/0/rule"), "{reason}");
    }

    #[test]
    fn what_the_schema_accepts_deserialises() {
        // Optional labels may be null, as serde allows.
        let manifest = core_with(|v| {
            v["description"] = serde_json::Value::Null;
            v["checklists"][0]["items"][0]["hint"] = serde_json::Value::Null;
        })
        .unwrap();
        assert!(manifest.description.is_none());
    }

    #[test]
    fn inconsistencies_beyond_the_schema_are_refused() {
        let reason = core_with(|v| v["checklists"][0]["items"][1]["id"] = "late-arrival".into());
        assert!(reason.is_ok());
        let reason = core_with(|v| v["checklists"][0]["items"][1]["id"] = "not-on-post".into())
            .unwrap_err()
            .to_string();
        assert_eq!(
            reason,
            "manifest is inconsistent: duplicate item id 'not-on-post'"
        );
        let reason = core_with(|v| {
            v["checklists"][2]["items"][6]["rule"] =
                serde_json::json!({"kind": "range", "unit": "case", "min": 20, "max": 10});
        })
        .unwrap_err()
        .to_string();
        assert!(reason.contains("not a valid range"), "{reason}");
    }

    #[test]
    fn bytes_that_are_not_utf8_or_json() {
        let reason = validate_manifest(b"{\"id\": \"\xff\"}").unwrap_err();
        assert_eq!(reason, Refusal::ManifestNotUtf8 { offset: 8 });
        let reason = validate_manifest(b"{\"id\": ").unwrap_err().to_string();
        assert!(reason.starts_with("manifest is not JSON: EOF"), "{reason}");
    }
}
