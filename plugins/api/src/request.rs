//! The score request as a Rust author receives it.

use serde_json::{Map, Value};

/// One call of the score function: which item, and the inputs the inspector
/// entered (keys are the input ids declared in the manifest).
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreRequest {
    /// The item id.
    pub item: String,
    /// The inputs, by input id.
    pub inputs: Map<String, Value>,
}

impl ScoreRequest {
    /// Parses the JSON the host sends: `{"item": "...", "inputs": {...}}`.
    pub fn from_json(bytes: &[u8]) -> Result<ScoreRequest, String> {
        let value: Value =
            serde_json::from_slice(bytes).map_err(|e| format!("score request is not JSON: {e}"))?;
        let item = value
            .get("item")
            .and_then(Value::as_str)
            .ok_or("score request has no \"item\" string")?
            .to_owned();
        let inputs = match value.get("inputs") {
            None => Map::new(),
            Some(Value::Object(map)) => map.clone(),
            Some(other) => {
                return Err(format!(
                    "score request \"inputs\" is not an object: {other}"
                ));
            }
        };
        Ok(ScoreRequest { item, inputs })
    }

    /// A whole number ≥ 0, e.g. a vote count.
    pub fn integer(&self, id: &str) -> Result<u64, String> {
        match self.inputs.get(id) {
            None => Err(format!("missing input '{id}'")),
            Some(value) => value
                .as_u64()
                .ok_or_else(|| format!("input '{id}' is not a whole number ≥ 0: {value}")),
        }
    }

    /// Any finite decimal number.
    pub fn number(&self, id: &str) -> Result<f64, String> {
        match self.inputs.get(id) {
            None => Err(format!("missing input '{id}'")),
            Some(value) => value
                .as_f64()
                .filter(|n| n.is_finite())
                .ok_or_else(|| format!("input '{id}' is not a number: {value}")),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn parses_and_reads_inputs() {
        let request =
            ScoreRequest::from_json(br#"{"item":"x","inputs":{"a":3,"b":2.5,"c":-1}}"#).unwrap();
        assert_eq!(request.item, "x");
        assert_eq!(request.integer("a"), Ok(3));
        assert_eq!(request.number("b"), Ok(2.5));
        assert!(request.integer("c").unwrap_err().contains("'c'"));
        assert!(
            request
                .integer("d")
                .unwrap_err()
                .contains("missing input 'd'")
        );
    }

    #[test]
    fn rejects_malformed_requests() {
        assert!(ScoreRequest::from_json(b"nope").is_err());
        assert!(ScoreRequest::from_json(br#"{"inputs":{}}"#).is_err());
        assert!(ScoreRequest::from_json(br#"{"item":"x","inputs":[1]}"#).is_err());
    }
}
