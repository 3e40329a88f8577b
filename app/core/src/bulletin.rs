//! An issued bulletin (通报): the record of what it named, so the same text
//! can be produced again and scores can apply 四(四)2 ("被检查暗访通报的，
//! 每次扣10分") once per bulletin and unit.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A unit an issued bulletin named for work-style problems.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedUnit {
    /// The unit's name as the bulletin printed it.
    pub name: String,
    /// Its department.
    pub department: String,
    /// Its id in the register, when it resolved to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_id: Option<Uuid>,
}

/// The body of a `bulletin_issued` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulletinIssued {
    /// The document number (文号), e.g. `效能办〔2026〕3号`.
    pub number: String,
    /// The day it was issued: the deduction counts in the period holding it.
    pub date: jiff::civil::Date,
    /// First day of the period it covers, as the draft was cut.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<jiff::civil::Date>,
    /// Last day of the period it covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<jiff::civil::Date>,
    /// Only this unit, when the draft was filtered so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Only this department, when the draft was filtered so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// The units it named for work-style problems.
    pub named: Vec<NamedUnit>,
    /// The findings it named, as typical problems.
    pub findings: Vec<Uuid>,
}

/// Why a bulletin cannot be recorded as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BulletinError {
    /// The document number is blank.
    #[error("the bulletin's number (文号) is empty")]
    NoNumber,
    /// The period is the wrong way round.
    #[error("the period starts {from}, after it ends {to}")]
    Reversed {
        /// First day.
        from: jiff::civil::Date,
        /// Last day.
        to: jiff::civil::Date,
    },
}

impl BulletinIssued {
    /// Checks what the record must hold on its own.
    pub fn validate(&self) -> Result<(), BulletinError> {
        if self.number.trim().is_empty() {
            return Err(BulletinError::NoNumber);
        }
        if let (Some(from), Some(to)) = (self.from, self.to)
            && from > to
        {
            return Err(BulletinError::Reversed { from, to });
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn bulletin(number: &str) -> BulletinIssued {
        BulletinIssued {
            number: number.into(),
            date: jiff::civil::date(2026, 10, 8),
            from: Some(jiff::civil::date(2026, 9, 1)),
            to: Some(jiff::civil::date(2026, 9, 30)),
            unit: None,
            department: None,
            named: vec![],
            findings: vec![],
        }
    }

    #[test]
    fn a_bulletin_needs_a_number_and_a_period_in_order() {
        assert_eq!(bulletin(" ").validate(), Err(BulletinError::NoNumber));
        let mut b = bulletin("效能办〔2026〕3号");
        assert_eq!(b.validate(), Ok(()));
        b.to = Some(jiff::civil::date(2026, 8, 1));
        assert!(matches!(b.validate(), Err(BulletinError::Reversed { .. })));
    }

    #[test]
    fn older_records_without_optional_fields_parse() {
        let text = r#"{"number":"1号","date":"2026-10-08","named":[{"name":"a","department":"b"}],"findings":[]}"#;
        let b: BulletinIssued = serde_json::from_str(text).unwrap();
        assert_eq!(b.named[0].unit_id, None);
        assert!(
            serde_json::from_str::<BulletinIssued>(
                r#"{"number":"1","date":"2026-10-08","named":[],"findings":[],"x":1}"#
            )
            .is_err()
        );
    }
}
