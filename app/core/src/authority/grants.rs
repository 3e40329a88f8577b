//! A device's authority for one event.

use super::refusal::Refusal;
use super::roster::{DeviceGrant, Person, Role};
use crate::visit::Unit;

/// What an authorized event is credited to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Granted {
    /// The person, when an office is pinned.
    pub person: Option<String>,
    /// The lower office that vouches for them, when delegated.
    pub via: Option<String>,
}

impl Granted {
    /// Open mode: no roster to name anyone.
    pub fn open() -> Granted {
        Granted {
            person: None,
            via: None,
        }
    }

    /// Checks one roster's answer for a device's event: `found`, the person
    /// and grant covering its sequence number (none: outside every window
    /// of `holder`, the device's person), against `role` and `unit`.
    pub(super) fn check(
        found: Option<(&Person, &DeviceGrant)>,
        holder: &Person,
        role: Role,
        unit: &Unit,
        via: Option<&str>,
    ) -> Result<Granted, Refusal> {
        let Some((person, grant)) = found else {
            return Err(Refusal::OutsideWindow {
                person: holder.name.clone(),
            });
        };
        if !grant.roles.contains(&role) {
            return Err(Refusal::LacksRole {
                person: person.name.clone(),
                role,
                unit: unit.name.clone(),
            });
        }
        if person.recuse.covers(unit) {
            return Err(Refusal::Recused {
                person: person.name.clone(),
                unit: unit.name.clone(),
            });
        }
        Ok(Granted {
            person: Some(person.name.clone()),
            via: via.map(str::to_string),
        })
    }
}
