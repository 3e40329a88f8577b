//! The authority rules answer from the set of events, not from their order:
//! random chains of decisions (conflicts, refused ones, unchained ones, a
//! clock that jumps) and random roster versions (forged, below the
//! threshold, revocations) settle the same way in any order.
#![allow(clippy::unwrap_used)]

use anfang_core::Points;
use anfang_core::authority::{
    Authority, DecisionNode, DeviceGrant, Person, Role, Roots, RosterCandidate, RosterDocument,
    office_fingerprint, roster_signing_bytes, settle,
};
use anfang_core::review::{Decision, Follows};
use anfang_core::visit::Unit;
use ed25519_dalek::{Signer, SigningKey};
use proptest::prelude::*;

fn decision(kind: u8) -> Decision {
    match kind % 7 {
        0 => Decision::Confirm { points: None },
        1 => Decision::Dismiss {
            reason: "理由".into(),
        },
        2 => Decision::RequireRectification {
            deadline: jiff::civil::date(2026, 3, 10),
            rejected: None,
        },
        3 => Decision::MarkRectified {
            note: "已改".into(),
            evidence: None,
        },
        4 => Decision::VerifyRectification { checked: None },
        5 => Decision::Appeal {
            reason: "外出".into(),
            evidence: None,
        },
        _ => Decision::DecideAppeal {
            upheld: kind.is_multiple_of(2),
            reason: "复核".into(),
        },
    }
}

fn nodes() -> impl Strategy<Value = Vec<DecisionNode>> {
    prop::collection::vec(
        (
            any::<u8>(),
            any::<u8>(),
            any::<u8>(),
            any::<i32>(),
            any::<bool>(),
        ),
        0..8,
    )
    .prop_map(|raw| {
        raw.iter()
            .enumerate()
            .map(|(i, (kind, follows, who, time, counts))| DecisionNode {
                event_id: format!("{i:02x}"),
                person: format!("p{}", who % 3),
                decision: decision(*kind),
                follows: match follows % 4 {
                    0 => None,
                    1 => Some(Follows::First),
                    _ => Some(Follows::Decision(format!(
                        "{:02x}",
                        *follows as usize % (i + 1)
                    ))),
                },
                claimed_time: jiff::Timestamp::from_second(i64::from(*time)).unwrap(),
                counts: *counts || kind % 3 != 0,
            })
            .collect()
    })
}

fn key(n: u8) -> SigningKey {
    SigningKey::from_bytes(&[n; 32])
}

fn public(k: &SigningKey) -> String {
    hex::encode(k.verifying_key().to_bytes())
}

fn signed(id: usize, doc: &RosterDocument, by: &[SigningKey]) -> RosterCandidate {
    let text = doc.to_text();
    let bytes = roster_signing_bytes(&text);
    RosterCandidate {
        event_id: format!("r{id}"),
        document: text,
        signatures: by
            .iter()
            .map(|k| (public(k), hex::encode(k.sign(&bytes).to_bytes())))
            .collect(),
    }
}

/// A chain of versions from roots {1, 2} (2 of 2); each step enrolls,
/// revokes, or is signed by too few roots or by a stranger.
fn rosters() -> impl Strategy<Value = (String, Vec<RosterCandidate>)> {
    prop::collection::vec((any::<u8>(), 0u8..4), 0..6).prop_map(|steps| {
        let roots = Roots {
            keys: vec![public(&key(1)), public(&key(2))],
            threshold: 2,
        };
        let fingerprint = office_fingerprint(&roots);
        let mut doc = RosterDocument {
            office_name: "效能办".into(),
            office: fingerprint.clone(),
            version: 1,
            previous: None,
            roots,
            people: vec![Person {
                name: "王主任".into(),
                devices: vec![DeviceGrant {
                    device: "d0".into(),
                    roles: vec![Role::Reviewer],
                    from_seq: 1,
                    until_seq: None,
                    adopted_through_seq: None,
                }],
                recuse: Default::default(),
            }],
            delegations: Vec::new(),
            settings: Default::default(),
        };
        let mut out = vec![signed(0, &doc, &[key(1), key(2)])];
        for (i, (n, how)) in steps.iter().enumerate() {
            let mut next = doc.next();
            if n % 2 == 0 {
                next.enroll(
                    &format!("p{n}"),
                    &format!("d{}", n % 4),
                    &[Role::Inspector],
                    1 + u64::from(*n),
                );
            } else {
                next.revoke(&format!("d{}", n % 4), u64::from(*n));
            }
            let by = match how {
                0 | 1 => vec![key(1), key(2)],
                2 => vec![key(1)],
                _ => vec![key(9)],
            };
            out.push(signed(i + 1, &next, &by));
            if *how < 2 {
                doc = next;
            }
        }
        (fingerprint, out)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn a_findings_status_does_not_depend_on_the_order_of_its_decisions(
        nodes in nodes(),
        points in 0i64..30,
        seed in any::<u64>(),
    ) {
        let points = Points::whole(points);
        let from = Some(Points::whole(10));
        let settled = settle(&nodes, points, from);
        let mut shuffled = nodes.clone();
        let len = shuffled.len().max(1);
        shuffled.rotate_left((seed as usize) % len);
        shuffled.reverse();
        prop_assert_eq!(settle(&shuffled, points, from), settled.clone());
        // Refused decisions change nothing.
        let counted: Vec<_> = nodes.iter().filter(|n| n.counts).cloned().collect();
        prop_assert_eq!(settle(&counted, points, from).status, settled.status);
    }

    #[test]
    fn the_roster_in_force_does_not_depend_on_the_order_rosters_arrive(
        (fingerprint, candidates) in rosters(),
        seed in any::<u64>(),
    ) {
        let a = Authority::office(&fingerprint, &candidates);
        let mut shuffled = candidates.clone();
        let len = shuffled.len().max(1);
        shuffled.rotate_left((seed as usize) % len);
        shuffled.reverse();
        let b = Authority::office(&fingerprint, &shuffled);
        prop_assert_eq!(a.roster(), b.roster());
        let unit = Unit { name: "市财政局".into(), department: "财政".into() };
        for device in ["d0", "d1", "d2", "d3"] {
            for seq in [1u64, 50, 200] {
                prop_assert_eq!(
                    a.grant(device, seq, Role::Inspector, &unit).is_ok(),
                    b.grant(device, seq, Role::Inspector, &unit).is_ok()
                );
            }
        }
        // A stranger's or a single root's version never takes effect.
        prop_assert!(a.roster().is_some());
    }
}
