//! Which roster versions hold: each signed by enough roots of the one before.

use super::grants::Granted;
use super::office::{Roots, office_fingerprint, roster_digest, roster_signing_bytes};
use super::refusal::Refusal;
use super::roster::{Delegation, Role, RosterDocument};
use super::roster::{DeviceGrant, Person};
use crate::visit::Unit;
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use std::collections::{BTreeSet, HashMap};

/// A roster version as an event carries it: the document's exact text and
/// the root signatures over it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterCandidate {
    /// The event that carried it.
    pub event_id: String,
    /// The document's JSON text, exactly as signed.
    pub document: String,
    /// (root public key, signature), hex.
    pub signatures: Vec<(String, String)>,
}

/// Why a roster version does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterProblem {
    /// The event that carried it.
    pub event_id: String,
    /// What is wrong.
    pub refusal: Refusal,
}

/// The versions of one office's roster that hold, oldest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RosterChain {
    /// (document, event id, digest) for versions 1, 2, 3, …
    pub versions: Vec<(RosterDocument, String, String)>,
    /// Roster events of this office that do not hold.
    pub problems: Vec<RosterProblem>,
    /// The current version's people holding each device, in roster order:
    /// every event a merge brings asks who its device is, and a roster of
    /// a few hundred people is too long to search each time.
    by_device: HashMap<String, Vec<usize>>,
}

impl RosterChain {
    /// The newest version that holds.
    pub fn current(&self) -> Option<&RosterDocument> {
        self.versions.last().map(|v| &v.0)
    }

    /// Indexes the current version's devices (after `versions` changed).
    fn index(&mut self) {
        let mut by_device: HashMap<String, Vec<usize>> = HashMap::new();
        if let Some(doc) = self.current() {
            for (n, person) in doc.people.iter().enumerate() {
                for grant in &person.devices {
                    let people = by_device.entry(grant.device.clone()).or_default();
                    if people.last() != Some(&n) {
                        people.push(n);
                    }
                }
            }
        }
        self.by_device = by_device;
    }

    /// The people of the current version holding `device`, in roster order.
    fn holders(&self, device: &str) -> impl Iterator<Item = &Person> {
        let people = self.current().map(|doc| &doc.people);
        self.by_device
            .get(device)
            .into_iter()
            .flatten()
            .filter_map(move |n| people.and_then(|p| p.get(*n)))
    }

    /// The person the current version gives `device`, whatever its window
    /// (as [`RosterDocument::person_of`], by the index).
    pub fn person_of(&self, device: &str) -> Option<&Person> {
        self.holders(device).next()
    }

    /// The person and grant covering the device's event `seq` (as
    /// [`RosterDocument::grant`], by the index).
    pub fn grant(&self, device: &str, seq: u64) -> Option<(&Person, &DeviceGrant)> {
        self.holders(device).find_map(|p| {
            p.devices
                .iter()
                .find(|g| g.covers(device, seq))
                .map(|g| (p, g))
        })
    }
}

/// How many distinct `roots` keys validly signed `bytes`.
fn signed_by(roots: &Roots, bytes: &[u8; 32], signatures: &[(String, String)]) -> usize {
    let keys: BTreeSet<&str> = roots.keys.iter().map(String::as_str).collect();
    let mut good = BTreeSet::new();
    for (key, signature) in signatures {
        if keys.contains(key.as_str()) && signature_holds(key, bytes, signature) {
            good.insert(key.as_str());
        }
    }
    good.len()
}

fn signature_holds(key: &str, bytes: &[u8; 32], signature: &str) -> bool {
    let mut public = [0u8; 32];
    let mut sig = [0u8; 64];
    if hex::decode_to_slice(key, &mut public).is_err()
        || hex::decode_to_slice(signature, &mut sig).is_err()
    {
        return false;
    }
    let Ok(key) = VerifyingKey::from_bytes(&public) else {
        return false;
    };
    key.verify(bytes, &Signature::from_bytes(&sig)).is_ok()
}

fn unsigned(event_id: &str, detail: String) -> RosterProblem {
    RosterProblem {
        event_id: event_id.to_string(),
        refusal: Refusal::RosterUnsigned { detail },
    }
}

/// Validates every roster candidate against the office pinned by
/// `fingerprint`: version 1 must carry roots with that fingerprint, signed
/// by their threshold; each later version must name the digest of the
/// version before and be signed by the threshold of that version's roots
/// (and of its own, when it changes them). Two different versions with the
/// same number that both hold are settled by the smaller digest, and the
/// other is listed as a problem. Candidates of other offices are ignored.
pub fn validate_chain(fingerprint: &str, candidates: &[RosterCandidate]) -> RosterChain {
    let mut parsed: Vec<(RosterDocument, &RosterCandidate, String)> = Vec::new();
    let mut chain = RosterChain::default();
    for c in candidates {
        match serde_json::from_str::<RosterDocument>(&c.document) {
            Ok(doc) if doc.office == fingerprint => {
                parsed.push((doc, c, roster_digest(&c.document)))
            }
            Ok(_) => {}
            Err(e) => chain
                .problems
                .push(unsigned(&c.event_id, format!("unreadable document: {e}"))),
        }
    }
    parsed.sort_by(|a, b| (a.0.version, &a.2).cmp(&(b.0.version, &b.2)));
    let mut version = 1;
    loop {
        let previous = chain.versions.last().map(|v| (v.0.clone(), v.2.clone()));
        let previous = previous
            .as_ref()
            .map(|(doc, digest)| (doc, digest.as_str()));
        let mut accepted = false;
        for (doc, c, digest) in parsed.iter().filter(|p| p.0.version == version) {
            let bytes = roster_signing_bytes(&c.document);
            let problem = match previous {
                None if doc.previous.is_some() => Some("version 1 names a previous version".into()),
                None if office_fingerprint(&doc.roots) != fingerprint => {
                    Some("its roots are not the pinned office's".into())
                }
                Some((_, prev_digest)) if doc.previous.as_deref() != Some(prev_digest) => {
                    Some(format!("it does not follow version {}", version - 1))
                }
                _ => None,
            }
            .or_else(|| doc.roots.problem())
            .or_else(|| {
                let signers = previous.map_or(&doc.roots, |p| &p.0.roots);
                let have = signed_by(signers, &bytes, &c.signatures);
                (have < signers.threshold as usize).then(|| {
                    format!(
                        "signed by {have} of the {} root keys needed",
                        signers.threshold
                    )
                })
            })
            .or_else(|| {
                // New roots must also accept the version that names them.
                let changed = previous.is_some_and(|p| p.0.roots != doc.roots);
                let have = signed_by(&doc.roots, &bytes, &c.signatures);
                (changed && have < doc.roots.threshold as usize)
                    .then(|| format!("its new roots signed {have} of {}", doc.roots.threshold))
            });
            match problem {
                Some(detail) => chain.problems.push(unsigned(&c.event_id, detail)),
                None if accepted => chain.problems.push(unsigned(
                    &c.event_id,
                    format!("another version {version} holds (fork)"),
                )),
                None => {
                    chain
                        .versions
                        .push((doc.clone(), c.event_id.clone(), digest.clone()));
                    accepted = true;
                }
            }
        }
        if !accepted {
            break;
        }
        version += 1;
    }
    chain.index();
    // Versions beyond a gap have nothing to follow.
    for (doc, c, _) in parsed.iter().filter(|p| p.0.version >= version) {
        if !chain.problems.iter().any(|p| p.event_id == c.event_id) {
            chain.problems.push(unsigned(
                &c.event_id,
                format!(
                    "version {} has no valid version {} before it",
                    doc.version, version
                ),
            ));
        }
    }
    chain
}

/// The office a ledger answers to, as its events establish it.
#[derive(Debug, Clone, PartialEq)]
pub enum Authority {
    /// No office pinned: every signed event counts (today's open mode).
    Open,
    /// An office is pinned.
    Office {
        /// The pinned fingerprint.
        fingerprint: String,
        /// Its versions that hold.
        chain: RosterChain,
        /// Lower offices delegated to, with their own chains.
        delegated: Vec<(Delegation, RosterChain)>,
    },
}

impl Authority {
    /// Builds the authority of the office pinned by `fingerprint` from every
    /// roster candidate in the ledger.
    pub fn office(fingerprint: &str, candidates: &[RosterCandidate]) -> Authority {
        let chain = validate_chain(fingerprint, candidates);
        let delegated = chain
            .current()
            .map(|doc| {
                doc.delegations
                    .iter()
                    .map(|d| {
                        (
                            d.clone(),
                            validate_chain(&office_fingerprint(&d.roots), candidates),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        Authority::Office {
            fingerprint: fingerprint.to_string(),
            chain,
            delegated,
        }
    }

    /// Whether an office is pinned.
    pub fn is_office(&self) -> bool {
        matches!(self, Authority::Office { .. })
    }

    /// The current roster, when an office is pinned and has one.
    pub fn roster(&self) -> Option<&RosterDocument> {
        match self {
            Authority::Open => None,
            Authority::Office { chain, .. } => chain.current(),
        }
    }

    /// Whether the device's event `seq` may act as `role` on `unit`.
    pub fn grant(
        &self,
        device: &str,
        seq: u64,
        role: Role,
        unit: &Unit,
    ) -> Result<Granted, Refusal> {
        let Authority::Office {
            chain, delegated, ..
        } = self
        else {
            return Ok(Granted::open());
        };
        if let Some(person) = chain.person_of(device) {
            return Granted::check(chain.grant(device, seq), person, role, unit, None);
        }
        for (delegation, sub) in delegated {
            if let Some(person) = sub.person_of(device) {
                if !delegation.reaches(unit) {
                    return Err(Refusal::BeyondDelegation {
                        office: delegation.name.clone(),
                        unit: unit.name.clone(),
                    });
                }
                return Granted::check(
                    sub.grant(device, seq),
                    person,
                    role,
                    unit,
                    Some(&delegation.name),
                );
            }
        }
        Err(Refusal::NotEnrolled)
    }

    /// The name of the person a device belongs to, when enrolled.
    pub fn person(&self, device: &str) -> Option<&str> {
        let Authority::Office {
            chain, delegated, ..
        } = self
        else {
            return None;
        };
        std::iter::once(chain)
            .chain(delegated.iter().map(|d| &d.1))
            .find_map(|c| c.person_of(device))
            .map(|p| p.name.as_str())
    }

    /// Whether the device's event `seq` predates the office's adoption
    /// (it may decide without naming what it follows).
    pub fn adopted(&self, device: &str, seq: u64) -> bool {
        match self {
            Authority::Open => true,
            Authority::Office { .. } => self
                .roster()
                .and_then(|doc| doc.person_of(device))
                .into_iter()
                .flat_map(|p| &p.devices)
                .any(|g| g.device == device && g.adopted_through_seq.is_some_and(|s| seq <= s)),
        }
    }

    /// Dismissing a finding of at least these points needs two reviewers.
    pub fn second_reviewer_from(&self) -> Option<crate::Points> {
        self.roster().map(|doc| doc.settings.second_reviewer_from)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::authority::roster::{DeviceGrant, Person};
    use ed25519_dalek::{Signer, SigningKey};

    fn key(n: u8) -> SigningKey {
        SigningKey::from_bytes(&[n; 32])
    }
    fn public(k: &SigningKey) -> String {
        hex::encode(k.verifying_key().to_bytes())
    }
    fn roots(keys: &[&SigningKey], threshold: u32) -> Roots {
        Roots {
            keys: keys.iter().map(|k| public(k)).collect(),
            threshold,
        }
    }
    fn signed(id: &str, doc: &RosterDocument, by: &[&SigningKey]) -> RosterCandidate {
        let text = doc.to_text();
        let bytes = roster_signing_bytes(&text);
        RosterCandidate {
            event_id: id.into(),
            document: text,
            signatures: by
                .iter()
                .map(|k| (public(k), hex::encode(k.sign(&bytes).to_bytes())))
                .collect(),
        }
    }
    fn first(r: Roots) -> RosterDocument {
        RosterDocument {
            office_name: "效能办".into(),
            office: office_fingerprint(&r),
            version: 1,
            previous: None,
            roots: r,
            people: vec![Person {
                name: "王主任".into(),
                devices: vec![DeviceGrant {
                    device: "d1".into(),
                    roles: vec![Role::Reviewer],
                    from_seq: 1,
                    until_seq: None,
                    adopted_through_seq: None,
                }],
                recuse: Default::default(),
            }],
            delegations: Vec::new(),
            settings: Default::default(),
        }
    }

    #[test]
    fn versions_hold_only_when_the_threshold_of_the_previous_roots_signed() {
        let (a, b, c) = (key(1), key(2), key(3));
        let v1 = first(roots(&[&a, &b, &c], 2));
        let fp = v1.office.clone();
        let mut v2 = v1.next();
        v2.people.clear();
        let below = signed("e2", &v2, &[&a]);
        let chain = validate_chain(&fp, &[signed("e1", &v1, &[&a, &c]), below.clone()]);
        assert_eq!(chain.versions.len(), 1);
        assert!(
            chain.problems[0]
                .refusal
                .to_string()
                .contains("signed by 1 of the 2")
        );
        let chain = validate_chain(
            &fp,
            &[
                below,
                signed("e1", &v1, &[&a, &c]),
                signed("e3", &v2, &[&b, &c]),
            ],
        );
        assert_eq!(chain.current().unwrap().version, 2);
    }

    #[test]
    fn a_stranger_cannot_forge_a_first_version_or_rotate_the_roots() {
        let (a, b, x) = (key(1), key(2), key(9));
        let v1 = first(roots(&[&a, &b], 1));
        let fp = v1.office.clone();
        // The stranger's own roots, claiming the office.
        let mut forged = first(roots(&[&x], 1));
        forged.office = fp.clone();
        let chain = validate_chain(&fp, &[signed("f", &forged, &[&x])]);
        assert!(chain.versions.is_empty());
        assert!(
            chain.problems[0]
                .refusal
                .to_string()
                .contains("not the pinned office's")
        );
        // A rotation to the stranger's key signed by the stranger alone.
        let mut rotate = v1.next();
        rotate.roots = roots(&[&x], 1);
        let chain = validate_chain(
            &fp,
            &[signed("e1", &v1, &[&a]), signed("r", &rotate, &[&x])],
        );
        assert_eq!(chain.versions.len(), 1);
        // The same rotation signed by an old root and the new one holds.
        let chain = validate_chain(
            &fp,
            &[signed("e1", &v1, &[&a]), signed("r", &rotate, &[&a, &x])],
        );
        assert_eq!(chain.current().unwrap().roots, roots(&[&x], 1));
    }

    #[test]
    fn a_revoked_device_counts_up_to_its_last_sequence_number() {
        let a = key(1);
        let v1 = first(roots(&[&a], 1));
        let fp = v1.office.clone();
        let mut v2 = v1.next();
        assert!(v2.revoke("d1", 10));
        let auth = Authority::office(&fp, &[signed("e1", &v1, &[&a]), signed("e2", &v2, &[&a])]);
        let unit = Unit {
            name: "市财政局".into(),
            department: "财政".into(),
        };
        assert!(auth.grant("d1", 10, Role::Reviewer, &unit).is_ok());
        assert!(matches!(
            auth.grant("d1", 11, Role::Reviewer, &unit),
            Err(Refusal::OutsideWindow { .. })
        ));
        assert!(matches!(
            auth.grant("d1", 5, Role::Inspector, &unit),
            Err(Refusal::LacksRole { .. })
        ));
        assert_eq!(
            auth.grant("d9", 1, Role::Reviewer, &unit),
            Err(Refusal::NotEnrolled)
        );
    }

    #[test]
    fn a_delegated_city_reaches_its_own_units_only() {
        let (p, c) = (key(1), key(5));
        let city_roots = roots(&[&c], 1);
        let mut province = first(roots(&[&p], 1));
        province.people.clear();
        province.delegations.push(Delegation {
            name: "某市效能办".into(),
            roots: city_roots.clone(),
            units: vec!["某市税务局".into()],
            departments: Vec::new(),
        });
        let mut city = first(city_roots);
        city.people[0].devices[0].roles = vec![Role::Inspector];
        let fp = province.office.clone();
        let auth = Authority::office(
            &fp,
            &[signed("p1", &province, &[&p]), signed("c1", &city, &[&c])],
        );
        let own = Unit {
            name: "某市税务局".into(),
            department: "税务".into(),
        };
        let other = Unit {
            name: "省财政厅".into(),
            department: "财政".into(),
        };
        assert_eq!(
            auth.grant("d1", 3, Role::Inspector, &own)
                .unwrap()
                .via
                .as_deref(),
            Some("某市效能办")
        );
        assert!(matches!(
            auth.grant("d1", 3, Role::Inspector, &other),
            Err(Refusal::BeyondDelegation { .. })
        ));
    }
}
