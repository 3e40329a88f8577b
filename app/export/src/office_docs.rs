//! Checking what an office writes on its bulletins before anything is
//! written: a mistyped placeholder in the 文号 pattern would be printed as
//! typed, and a serial that is not a number is a slip. The command line
//! and the export form check with this one function.

use crate::options::OfficeDocs;
use thiserror::Error;

/// The placeholders a 文号 pattern may hold.
const PLACEHOLDERS: [&str; 2] = ["{year}", "{n}"];

/// A 文号 pattern or serial number that would print wrong.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BadOfficeDoc {
    /// The pattern holds a `{…}` other than `{year}` and `{n}`.
    #[error(
        "number pattern '{pattern}': unknown placeholder '{placeholder}' (use {{year}} and {{n}})"
    )]
    Placeholder {
        /// The pattern as given.
        pattern: String,
        /// The first placeholder it does not know.
        placeholder: String,
    },
    /// The serial number is not a whole number.
    #[error("serial '{0}' is not a number")]
    Serial(String),
}

impl OfficeDocs {
    /// Checks the 文号 pattern's placeholders and the serial number.
    pub fn check(&self) -> Result<(), BadOfficeDoc> {
        if let Some(pattern) = &self.number_pattern
            && let Some(placeholder) = unknown_placeholder(pattern)
        {
            return Err(BadOfficeDoc::Placeholder {
                pattern: pattern.clone(),
                placeholder,
            });
        }
        if let Some(serial) = &self.serial
            && (serial.trim().is_empty() || !serial.trim().chars().all(|c| c.is_ascii_digit()))
        {
            return Err(BadOfficeDoc::Serial(serial.clone()));
        }
        Ok(())
    }
}

/// The first `{…}` (or lone brace) in `pattern` that is not a placeholder.
fn unknown_placeholder(pattern: &str) -> Option<String> {
    let mut rest = pattern;
    while let Some(at) = rest.find(['{', '}']) {
        let tail = &rest[at..];
        if let Some(known) = PLACEHOLDERS.iter().find(|p| tail.starts_with(**p)) {
            rest = &tail[known.len()..];
            continue;
        }
        // Up to the closing brace, which is one byte: a char boundary.
        let end = tail.find('}').map_or(tail.len(), |i| i + 1);
        return Some(tail[..end].to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn docs(pattern: Option<&str>, serial: Option<&str>) -> OfficeDocs {
        OfficeDocs {
            number_pattern: pattern.map(str::to_string),
            serial: serial.map(str::to_string),
            ..Default::default()
        }
    }

    #[test]
    fn the_usual_patterns_and_serials_pass() {
        assert_eq!(
            docs(Some("滨效办〔{year}〕{n}号"), Some("7")).check(),
            Ok(())
        );
        assert_eq!(docs(Some("效能办〔2026〕12号"), None).check(), Ok(()));
        assert_eq!(docs(None, Some(" 12 ")).check(), Ok(()));
        assert_eq!(docs(None, None).check(), Ok(()));
    }

    #[test]
    fn a_mistyped_placeholder_is_named() {
        let err = docs(Some("滨效办〔{yaer}〕{n}号"), None)
            .check()
            .unwrap_err();
        assert_eq!(
            err,
            BadOfficeDoc::Placeholder {
                pattern: "滨效办〔{yaer}〕{n}号".into(),
                placeholder: "{yaer}".into(),
            }
        );
        assert!(err.to_string().contains("'{yaer}'"), "{err}");
        let err = docs(Some("效办〔{year〕{n}号"), None).check().unwrap_err();
        assert!(
            matches!(err, BadOfficeDoc::Placeholder { placeholder, .. } if placeholder == "{year〕{n}")
        );
        let err = docs(Some("效办{n号}"), None).check().unwrap_err();
        assert!(
            matches!(err, BadOfficeDoc::Placeholder { placeholder, .. } if placeholder == "{n号}")
        );
        let err = docs(Some("效办}"), None).check().unwrap_err();
        assert!(matches!(err, BadOfficeDoc::Placeholder { placeholder, .. } if placeholder == "}"));
    }

    #[test]
    fn a_serial_that_is_not_a_number_is_named() {
        for bad in ["三", "7a", "", "-1"] {
            assert_eq!(
                docs(None, Some(bad)).check(),
                Err(BadOfficeDoc::Serial(bad.into())),
                "{bad}"
            );
        }
    }
}
