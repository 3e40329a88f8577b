//! Making the next roster version: enrolling, changing roles, revoking.
//! Pure: the ledger signs and publishes what these return.

use super::office::roster_digest;
use super::roster::{DeviceGrant, Person, Role, RosterDocument};

impl RosterDocument {
    /// The document's exact text, as it is signed and carried.
    pub fn to_text(&self) -> String {
        // A struct of strings, numbers and lists always serializes.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The next version: the same content, numbered one higher, naming this
    /// version's digest.
    pub fn next(&self) -> RosterDocument {
        let mut next = self.clone();
        next.version = self.version + 1;
        next.previous = Some(roster_digest(&self.to_text()));
        next
    }

    /// Gives `device` (of person `name`) `roles` from its event `from_seq` on.
    /// A window the device already holds ends just before, so what it did
    /// before keeps the authority it had then.
    pub fn enroll(&mut self, name: &str, device: &str, roles: &[Role], from_seq: u64) {
        for person in &mut self.people {
            for grant in &mut person.devices {
                if grant.device == device && grant.until_seq.is_none() {
                    grant.until_seq = Some(from_seq.saturating_sub(1));
                }
            }
            // A window that never opened is dropped.
            person
                .devices
                .retain(|g| g.until_seq.is_none_or(|until| until >= g.from_seq));
        }
        let mut roles = roles.to_vec();
        roles.sort();
        roles.dedup();
        let grant = DeviceGrant {
            device: device.to_string(),
            roles,
            from_seq,
            until_seq: None,
            adopted_through_seq: None,
        };
        match self.people.iter_mut().find(|p| p.name == name) {
            Some(person) => person.devices.push(grant),
            None => self.people.push(Person {
                name: name.to_string(),
                devices: vec![grant],
                recuse: Default::default(),
            }),
        }
    }

    /// Ends every window of `device` after its event `after_seq`: its later
    /// events are kept but count for nothing. Returns false when the device
    /// is not on the roster.
    pub fn revoke(&mut self, device: &str, after_seq: u64) -> bool {
        let mut found = false;
        for grant in self.people.iter_mut().flat_map(|p| p.devices.iter_mut()) {
            if grant.device == device {
                found = true;
                grant.until_seq = Some(grant.until_seq.map_or(after_seq, |u| u.min(after_seq)));
            }
        }
        found
    }

    /// Every device on the roster whose key starts with `prefix`.
    pub fn devices_matching(&self, prefix: &str) -> Vec<&str> {
        let mut found: Vec<&str> = self
            .people
            .iter()
            .flat_map(|p| &p.devices)
            .map(|g| g.device.as_str())
            .filter(|d| d.starts_with(prefix))
            .collect();
        found.sort();
        found.dedup();
        found
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::office::Roots;
    use super::*;

    fn doc() -> RosterDocument {
        RosterDocument {
            office_name: "效能办".into(),
            office: "f".repeat(64),
            version: 1,
            previous: None,
            roots: Roots {
                keys: vec!["a".repeat(64)],
                threshold: 1,
            },
            people: Vec::new(),
            delegations: Vec::new(),
            settings: Default::default(),
        }
    }

    #[test]
    fn a_role_change_keeps_the_old_window_for_what_came_before() {
        let mut d = doc();
        d.enroll("王主任", "d1", &[Role::Inspector], 1);
        d.enroll("王主任", "d1", &[Role::Reviewer, Role::Inspector], 40);
        assert_eq!(d.people.len(), 1);
        let g = &d.people[0].devices;
        assert_eq!((g[0].from_seq, g[0].until_seq), (1, Some(39)));
        assert_eq!(g[1].roles, vec![Role::Inspector, Role::Reviewer]);
        assert_eq!(d.grant("d1", 39).unwrap().1.roles, vec![Role::Inspector]);
        assert_eq!(d.grant("d1", 40).unwrap().1.roles.len(), 2);
        assert!(d.revoke("d1", 50));
        assert_eq!(d.people[0].devices[1].until_seq, Some(50));
        assert!(!d.revoke("nobody", 1));
        let next = d.next();
        assert_eq!(next.version, 2);
        assert_eq!(next.previous, Some(roster_digest(&d.to_text())));
    }
}
