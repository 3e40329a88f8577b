//! The office's register of units: every unit it inspects and scores, with
//! a stable id that outlives renames.
//!
//! The register is published as `unit_registered` events, one per version
//! of one unit. A later version replaces an earlier one by its number, not
//! by its claimed time (clocks disagree); two versions with the same number
//! are settled by the larger event id, so every ledger holding the same
//! events shows the same register.

use crate::visit::Unit;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What separates aliases in one spreadsheet cell.
pub const ALIAS_SEPARATOR: char = '、';

/// One version of one unit of the register: the body of a
/// `unit_registered` event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitRegistered {
    /// The unit's stable id (UUID v7), the same in every version.
    pub unit_id: Uuid,
    /// 1 for the first version; each change publishes the next number.
    pub version: u32,
    /// Its name now, e.g. `市税务局第一税务分局办税服务厅`.
    pub name: String,
    /// The department it belongs to, e.g. `税务`.
    pub department: String,
    /// What kind of unit: 机关, 窗口, 下属单位 …
    pub kind: String,
    /// The unit it answers to, if any (a subordinate unit's supervisor).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Uuid>,
    /// Other names it is known by: former names, short names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// First day it exists as registered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_from: Option<jiff::civil::Date>,
    /// Last day it exists as registered (merged, dissolved).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_to: Option<jiff::civil::Date>,
}

/// Why a unit cannot be registered as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegisterError {
    /// A required field is blank.
    #[error("the unit's {0} is empty")]
    Blank(&'static str),
    /// An alias repeats the unit's own name.
    #[error("alias '{0}' is the unit's own name")]
    AliasIsName(String),
    /// The active dates are the wrong way round.
    #[error("active from {from} is after active to {to}")]
    DatesReversed {
        /// Active from.
        from: jiff::civil::Date,
        /// Active to.
        to: jiff::civil::Date,
    },
    /// The unit is its own parent.
    #[error("unit '{0}' cannot be its own parent")]
    OwnParent(String),
    /// Version numbers start at 1.
    #[error("version numbers start at 1")]
    VersionZero,
}

impl UnitRegistered {
    /// The unit as a visit names it.
    pub fn unit(&self) -> Unit {
        Unit {
            name: self.name.clone(),
            department: self.department.clone(),
        }
    }

    /// Checks what every version must hold on its own.
    pub fn validate(&self) -> Result<(), RegisterError> {
        if self.version == 0 {
            return Err(RegisterError::VersionZero);
        }
        for (field, text) in [
            ("name", &self.name),
            ("department", &self.department),
            ("kind", &self.kind),
        ] {
            if text.trim().is_empty() {
                return Err(RegisterError::Blank(field));
            }
        }
        if let Some(alias) = self.aliases.iter().find(|a| **a == self.name) {
            return Err(RegisterError::AliasIsName(alias.clone()));
        }
        if let (Some(from), Some(to)) = (self.active_from, self.active_to)
            && from > to
        {
            return Err(RegisterError::DatesReversed { from, to });
        }
        if self.parent == Some(self.unit_id) {
            return Err(RegisterError::OwnParent(self.name.clone()));
        }
        Ok(())
    }

    /// Every name the unit answers to now: its name, then its aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

/// The aliases written in one cell, `市税务一分局、一分局办税厅`: trimmed,
/// blanks and repeats dropped, in the order given.
pub fn split_aliases(cell: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for alias in cell.split([ALIAS_SEPARATOR, '\n']).map(str::trim) {
        if !alias.is_empty() && !out.iter().any(|a| a == alias) {
            out.push(alias.to_string());
        }
    }
    out
}

/// The aliases as one cell: what [`split_aliases`] reads back.
pub fn join_aliases(aliases: &[String]) -> String {
    aliases.join(&ALIAS_SEPARATOR.to_string())
}

/// The register as a ledger holds it: each unit's current version, and
/// the names its earlier versions had.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Register {
    /// The current version of each unit.
    pub units: Vec<UnitRegistered>,
    /// (unit id, a name an earlier version had).
    pub former_names: Vec<(Uuid, String)>,
}

impl Register {
    /// Whether the office has registered any unit.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// The unit with this id.
    pub fn get(&self, unit_id: Uuid) -> Option<&UnitRegistered> {
        self.units.iter().find(|u| u.unit_id == unit_id)
    }

    /// The unit a name means: its current name first, then an alias, then a
    /// former name. Surrounding blanks do not matter.
    pub fn resolve(&self, text: &str) -> Option<&UnitRegistered> {
        let text = text.trim();
        self.units
            .iter()
            .find(|u| u.name == text)
            .or_else(|| {
                self.units
                    .iter()
                    .find(|u| u.aliases.iter().any(|a| a == text))
            })
            .or_else(|| {
                self.former_names
                    .iter()
                    .find(|(_, name)| name == text)
                    .and_then(|(id, _)| self.get(*id))
            })
    }

    /// Every name the register knows (names, aliases, former names), for
    /// suggesting the nearest to a name it does not know.
    pub fn all_names(&self) -> Vec<&str> {
        self.units
            .iter()
            .flat_map(UnitRegistered::names)
            .chain(self.former_names.iter().map(|(_, n)| n.as_str()))
            .collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn unit(name: &str, aliases: &[&str]) -> UnitRegistered {
        UnitRegistered {
            unit_id: Uuid::now_v7(),
            version: 1,
            name: name.into(),
            department: "税务".into(),
            kind: "窗口".into(),
            parent: None,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            active_from: None,
            active_to: None,
        }
    }

    #[test]
    fn aliases_split_on_the_enumeration_comma_and_read_back() {
        let aliases = split_aliases(" 一分局、 办税厅、、一分局 ");
        assert_eq!(aliases, vec!["一分局", "办税厅"]);
        assert_eq!(split_aliases(&join_aliases(&aliases)), aliases);
        assert!(split_aliases("").is_empty());
    }

    #[test]
    fn a_name_resolves_by_name_alias_or_former_name() {
        let hall = unit("市税务局第一税务分局办税服务厅", &["一分局办税厅"]);
        let register = Register {
            former_names: vec![(hall.unit_id, "市地税局办税大厅".into())],
            units: vec![hall.clone(), unit("市规划局", &[])],
        };
        for name in [
            "市税务局第一税务分局办税服务厅",
            " 一分局办税厅",
            "市地税局办税大厅",
        ] {
            assert_eq!(register.resolve(name).unwrap().unit_id, hall.unit_id);
        }
        assert!(register.resolve("市税务局第一分局办税厅").is_none());
    }

    #[test]
    fn a_version_must_be_whole() {
        let mut u = unit("市规划局", &["市规划局"]);
        assert_eq!(
            u.validate(),
            Err(RegisterError::AliasIsName("市规划局".into()))
        );
        u.aliases.clear();
        u.kind = " ".into();
        assert_eq!(u.validate(), Err(RegisterError::Blank("kind")));
        u.kind = "机关".into();
        u.active_from = Some(jiff::civil::date(2026, 5, 1));
        u.active_to = Some(jiff::civil::date(2026, 4, 1));
        assert!(matches!(
            u.validate(),
            Err(RegisterError::DatesReversed { .. })
        ));
        u.active_to = None;
        u.parent = Some(u.unit_id);
        assert!(matches!(u.validate(), Err(RegisterError::OwnParent(_))));
        u.parent = None;
        assert_eq!(u.validate(), Ok(()));
    }
}
