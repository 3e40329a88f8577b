//! The score call's edges: checking the inputs before the plugin sees
//! them, and checking the answer before anyone believes it.

use crate::error::PluginError;
use crate::library::CallFailure;
use anfang_core::Points;
use anfang_core::rule::{InputField, InputType};
use serde_json::{Map, Value};

/// The request JSON for one item: `{"item": ..., "inputs": {...}}`, after
/// checking the inputs against the item's declared fields.
pub(crate) fn build_request(
    item: &str,
    fields: &[InputField],
    inputs: &Value,
) -> Result<Vec<u8>, PluginError> {
    let bad = |problem: String| PluginError::BadInput {
        item: item.to_owned(),
        problem,
    };
    let Value::Object(given) = inputs else {
        return Err(bad(format!("inputs must be an object, not {inputs}")));
    };
    let mut checked = Map::new();
    for field in fields {
        let value = given
            .get(&field.id)
            .ok_or_else(|| bad(format!("missing input '{}'", field.id)))?;
        let ok = match field.input_type {
            InputType::Integer => value.as_u64().is_some(),
            InputType::Number => value.as_f64().is_some_and(f64::is_finite),
            InputType::Percent => value.as_f64().is_some_and(|p| (0.0..=100.0).contains(&p)),
        };
        if !ok {
            let wanted = match field.input_type {
                InputType::Integer => "a whole number ≥ 0",
                InputType::Number => "a number",
                InputType::Percent => "a percentage 0–100",
            };
            return Err(bad(format!(
                "input '{}' must be {wanted}, not {value}",
                field.id
            )));
        }
        checked.insert(field.id.clone(), value.clone());
    }
    if let Some(unknown) = given.keys().find(|k| !fields.iter().any(|f| &f.id == *k)) {
        return Err(bad(format!("unknown input '{unknown}'")));
    }
    let request = serde_json::json!({ "item": item, "inputs": checked });
    Ok(request.to_string().into_bytes())
}

/// Reads `{"points": n}` from the plugin's answer; anything else, or points
/// outside 0..=max, is garbage.
pub(crate) fn read_points(
    plugin: &str,
    item: &str,
    bytes: &[u8],
    max: Points,
) -> Result<Points, PluginError> {
    let garbage = |detail: String| PluginError::Garbage {
        plugin: plugin.to_owned(),
        item: item.to_owned(),
        detail,
    };
    let text = std::str::from_utf8(bytes).map_err(|e| {
        garbage(format!(
            "answer is not UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    let value: Value = serde_json::from_str(text).map_err(|_| {
        garbage(format!(
            "answer is not JSON: {}",
            crate::refusal::one_line(text, 80)
        ))
    })?;
    let number = value.get("points").and_then(Value::as_f64).ok_or_else(|| {
        garbage(format!(
            "answer has no \"points\" number: {}",
            crate::refusal::one_line(text, 80)
        ))
    })?;
    let points = Points::from_f64(number)
        .ok_or_else(|| garbage(format!("points {number} is not finite")))?;
    if points < Points::ZERO || points > max {
        return Err(garbage(format!("points {points} outside 0–{max}")));
    }
    Ok(points)
}

/// Turns a failed call into the caller's error.
pub(crate) fn call_error(plugin: &str, item: &str, failure: CallFailure) -> PluginError {
    let (plugin, item) = (plugin.to_owned(), item.to_owned());
    match failure {
        CallFailure::Panicked(message) => PluginError::Panicked {
            plugin,
            item,
            message,
        },
        CallFailure::Failed(message) => PluginError::Declined {
            plugin,
            item,
            message,
        },
        CallFailure::Garbage(detail) => PluginError::Garbage {
            plugin,
            item,
            detail,
        },
        CallFailure::Crashed(detail) => PluginError::Crashed {
            plugin,
            item,
            detail,
        },
        CallFailure::TimedOut(limit) => PluginError::TimedOut {
            plugin,
            item,
            seconds: limit.as_secs_f64().to_string(),
        },
        CallFailure::Unavailable(detail) => PluginError::Unavailable {
            plugin,
            item,
            detail,
        },
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use anfang_core::Label;
    use serde_json::json;

    fn field(id: &str, input_type: InputType) -> InputField {
        InputField {
            id: id.into(),
            label: Label::new(id, id),
            input_type,
        }
    }

    #[test]
    fn inputs_are_checked_against_the_declared_fields() {
        let fields = [
            field("votes", InputType::Integer),
            field("rate", InputType::Percent),
        ];
        let ok = build_request("x", &fields, &json!({"votes": 3, "rate": 88.5})).unwrap();
        let sent: Value = serde_json::from_slice(&ok).unwrap();
        assert_eq!(
            sent,
            json!({"item": "x", "inputs": {"votes": 3, "rate": 88.5}})
        );
        let error = |inputs| {
            build_request("x", &fields, &inputs)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(error(json!({"rate": 1})), "item 'x': missing input 'votes'");
        assert_eq!(
            error(json!({"votes": -2, "rate": 1})),
            "item 'x': input 'votes' must be a whole number ≥ 0, not -2"
        );
        assert_eq!(
            error(json!({"votes": 1, "rate": 101})),
            "item 'x': input 'rate' must be a percentage 0–100, not 101"
        );
        assert_eq!(
            error(json!({"votes": 1, "rate": 1, "x": 0})),
            "item 'x': unknown input 'x'"
        );
        assert_eq!(
            error(json!([1])),
            "item 'x': inputs must be an object, not [1]"
        );
    }

    #[test]
    fn answers_must_be_points_within_bounds() {
        let max = Points::whole(30);
        let read = |bytes: &[u8]| read_points("p", "i", bytes, max);
        assert_eq!(
            read(br#"{"points": 7.5}"#),
            Ok(Points::from_hundredths(750))
        );
        for (bytes, expected) in [
            (&b"\xff\xfe"[..], "not UTF-8"),
            (b"seven", "not JSON: seven"),
            (br#"{"pts": 1}"#, "no \"points\" number"),
            (br#"{"points": "1"}"#, "no \"points\" number"),
            (br#"{"points": -1}"#, "points -1 outside 0–30"),
            (br#"{"points": 31}"#, "points 31 outside 0–30"),
        ] {
            let error = read(bytes).unwrap_err();
            assert!(error.is_plugin_fault());
            assert!(error.to_string().contains(expected), "{error} / {expected}");
        }
    }
}
