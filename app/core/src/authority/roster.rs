//! One version of an office's roster: people, their devices and roles.

use super::office::Roots;
use crate::points::Points;
use crate::visit::Unit;
use serde::{Deserialize, Serialize};

/// What a person's device may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Records visits, findings and evidence.
    Inspector,
    /// Decides on findings and enters appraisals.
    Reviewer,
    /// Publishes the roster and the office's reference data.
    Admin,
}

impl Role {
    /// The stable machine name (`inspector`, `reviewer`, `admin`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Inspector => "inspector",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
        }
    }

    /// Parses a machine name.
    pub fn parse(name: &str) -> Option<Role> {
        [Role::Inspector, Role::Reviewer, Role::Admin]
            .into_iter()
            .find(|r| r.as_str() == name)
    }

    /// The role's name in both languages.
    pub fn label(self) -> crate::Label {
        match self {
            Role::Inspector => crate::Label::new("检查", "inspector"),
            Role::Reviewer => crate::Label::new("审核", "reviewer"),
            Role::Admin => crate::Label::new("管理", "admin"),
        }
    }
}

/// Roles one device holds over a run of its sequence numbers.
///
/// The window is in the device's own sequence numbers, not in time: a
/// device cannot move an event into or out of its window by its clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceGrant {
    /// The device's public key (64 hex digits).
    pub device: String,
    /// What it may do.
    pub roles: Vec<Role>,
    /// Its first event that counts.
    pub from_seq: u64,
    /// Its last event that counts (revocation); open when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until_seq: Option<u64>,
    /// Its events up to here were made before the office was adopted and
    /// may decide without naming the decision they follow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adopted_through_seq: Option<u64>,
}

impl DeviceGrant {
    /// Whether this grant is `device`'s and its window holds `seq`.
    pub fn covers(&self, device: &str, seq: u64) -> bool {
        self.device == device
            && seq >= self.from_seq
            && self.until_seq.is_none_or(|until| seq <= until)
    }
}

/// Units and departments a person must not inspect or review (回避).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recusal {
    /// Unit names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<String>,
    /// Department names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub departments: Vec<String>,
}

impl Recusal {
    /// Whether the unit falls under this recusal.
    pub fn covers(&self, unit: &Unit) -> bool {
        self.units.contains(&unit.name) || self.departments.contains(&unit.department)
    }
}

/// One person of the office and their devices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// The name shown beside everything they did.
    pub name: String,
    /// Their devices and what each may do.
    pub devices: Vec<DeviceGrant>,
    /// Units they must not inspect or review.
    #[serde(default, skip_serializing_if = "recusal_is_empty")]
    pub recuse: Recusal,
}

fn recusal_is_empty(r: &Recusal) -> bool {
    r.units.is_empty() && r.departments.is_empty()
}

/// A lower office whose own roster decides for its units (a city under a
/// province).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delegation {
    /// The lower office's name.
    pub name: String,
    /// Its roots, as its first roster version names them.
    pub roots: Roots,
    /// The units it answers for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<String>,
    /// The departments it answers for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub departments: Vec<String>,
}

impl Delegation {
    /// Whether the delegation reaches this unit.
    pub fn reaches(&self, unit: &Unit) -> bool {
        self.units.contains(&unit.name) || self.departments.contains(&unit.department)
    }
}

/// Office settings the roster carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RosterSettings {
    /// Dismissing a finding of at least these points needs a second reviewer.
    pub second_reviewer_from: Points,
}

impl Default for RosterSettings {
    fn default() -> Self {
        RosterSettings {
            second_reviewer_from: Points::whole(10),
        }
    }
}

/// One version of the roster, as the roots sign it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RosterDocument {
    /// The office's name.
    pub office_name: String,
    /// The office's fingerprint (its first version's roots).
    pub office: String,
    /// 1, 2, 3, …
    pub version: u64,
    /// The digest of the version this one follows; absent for version 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<String>,
    /// The root keys that sign the next version.
    pub roots: Roots,
    /// Everyone who may record or decide.
    pub people: Vec<Person>,
    /// Lower offices trusted for their own units.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delegations: Vec<Delegation>,
    /// Office settings.
    #[serde(default)]
    pub settings: RosterSettings,
}

impl RosterDocument {
    /// The person a device belongs to, with the grant covering `seq`.
    pub fn grant(&self, device: &str, seq: u64) -> Option<(&Person, &DeviceGrant)> {
        self.people.iter().find_map(|p| {
            p.devices
                .iter()
                .find(|g| g.covers(device, seq))
                .map(|g| (p, g))
        })
    }

    /// The person a device belongs to, whatever its window.
    pub fn person_of(&self, device: &str) -> Option<&Person> {
        self.people
            .iter()
            .find(|p| p.devices.iter().any(|g| g.device == device))
    }
}
