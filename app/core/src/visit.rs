//! Visits: one inspection of one unit by one team.

use crate::label::Label;
use serde::{Deserialize, Serialize};

/// The unit being inspected.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// The unit's name, e.g. `市税务局第一税务分局办税服务厅`.
    pub name: String,
    /// The department it belongs to, e.g. `税务`.
    pub department: String,
}

/// Open inspection or unannounced visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum VisitKind {
    /// 暗访: the unit is not told beforehand.
    #[default]
    Unannounced,
    /// 明察: an announced, open inspection.
    Open,
}

impl VisitKind {
    /// The kind's name in both languages.
    pub fn label(self) -> Label {
        match self {
            VisitKind::Unannounced => Label::new("暗访", "unannounced"),
            VisitKind::Open => Label::new("明察", "open"),
        }
    }
}
