//! Reading a method file: JSON, `schemas/method.schema.json`, then the
//! domain's checks (`Method::problems`). Every problem is one line.

use anfang_core::method::Method;
use std::sync::OnceLock;

/// The method schema, as shipped in `schemas/`.
pub const METHOD_SCHEMA: &str = include_str!("../../../schemas/method.schema.json");

fn validator() -> Result<&'static jsonschema::Validator, String> {
    static VALIDATOR: OnceLock<Result<jsonschema::Validator, String>> = OnceLock::new();
    VALIDATOR
        .get_or_init(|| {
            let schema: serde_json::Value = serde_json::from_str(METHOD_SCHEMA)
                .map_err(|e| format!("the built-in method schema is not JSON: {e}"))?;
            jsonschema::validator_for(&schema)
                .map_err(|e| format!("the built-in method schema does not compile: {e}"))
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// The method in `text`, or every problem with it (at most 50).
pub fn read_method(text: &str) -> Result<Method, Vec<String>> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| vec![format!("not JSON: {e}")])?;
    let schema_errors: Vec<String> = match validator() {
        Err(problem) => vec![problem],
        Ok(v) => v
            .iter_errors(&value)
            .take(50)
            .map(|error| {
                let at = error.instance_path().to_string();
                let at = if at.is_empty() { "/".to_owned() } else { at };
                format!("at {at}: {error}")
                    .chars()
                    .filter(|c| !c.is_control())
                    .collect()
            })
            .collect(),
    };
    if !schema_errors.is_empty() {
        return Err(schema_errors);
    }
    let method: Method = serde_json::from_value(value).map_err(|e| vec![e.to_string()])?;
    let problems: Vec<String> = method.problems().iter().map(ToString::to_string).collect();
    if problems.is_empty() {
        Ok(method)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn the_builtin_method_passes_the_schema() {
        let text = serde_json::to_string(&anfang_core::method::builtin::method()).unwrap();
        assert_eq!(read_method(&text).map(|m| m.version), Ok(1));
    }

    #[test]
    fn a_bad_unit_and_a_reversed_range_are_named() {
        let mut value = serde_json::to_value(anfang_core::method::builtin::method()).unwrap();
        value["rows"][0]["unit"] = "person".into();
        let err = read_method(&value.to_string()).unwrap_err();
        assert!(err.iter().any(|e| e.contains("/rows/0/unit")), "{err:?}");
        let mut value = serde_json::to_value(anfang_core::method::builtin::method()).unwrap();
        value["rows"][21]["points"]["min"] = 30.into();
        let err = read_method(&value.to_string()).unwrap_err();
        assert!(err.iter().any(|e| e.contains("30–20")), "{err:?}");
    }
}
