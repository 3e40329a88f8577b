//! The merge laws under an office: with roster versions (some forged or
//! signed below the threshold), revocations, enrolled and unenrolled
//! devices, conflicting review decisions, decisions that name nothing they
//! follow and clocks decades fast, merging is still idempotent, commutative
//! and associative, gives what a rebuild from the events gives, and refuses
//! the same events whatever the order of arrival.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;
mod merge_support;

use anfang_core::Points;
use anfang_core::authority::{
    DeviceGrant, Person, Role, Roots, RosterDocument, office_fingerprint, roster_signing_bytes,
};
use anfang_core::event::{EventBody, RootSignature};
use anfang_core::office_deduction::{DeductionDecision, DeductionReviewed, OfficeDeductionEntered};
use anfang_core::outcome::{OutcomeKind, OutcomeRecorded};
use anfang_core::review::{Decision, Follows, ReviewRecord};
use anfang_ledger::Ledger;
use ed25519_dalek::{Signer, SigningKey};
use fixtures::*;
use merge_support::{merge_cases, scratch};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

/// The office deduction the first reviewer enters.
const DEDUCTION: uuid::Uuid = uuid::Uuid::from_u64_pair(9, 9);

/// Laptops that record (fixture keys 1..=3) and reviewers' laptops (4, 5).
const LAPTOPS: u8 = 3;
const REVIEWERS: [u8; 2] = [4, 5];

/// What happens to the roster after its first version.
#[derive(Debug, Clone)]
enum Step {
    /// Version 2 revokes a laptop after one of its sequence numbers.
    Revoke { laptop: u8, after: u8 },
    /// Version 2 also makes a laptop a reviewer.
    Promote { laptop: u8 },
    /// A "version 2" signed by one root of two.
    BelowThreshold,
    /// A "version 2" signed by a stranger's keys.
    Forged,
}

#[derive(Debug, Clone)]
struct Plan {
    /// Per laptop: whether version 1 enrolls it, and how many findings it records.
    laptops: Vec<(bool, u8)>,
    /// Whether the second reviewer is enrolled as a reviewer (else inspector).
    second_reviewer_enrolled: bool,
    step: Option<Step>,
    /// Per reviewer: decisions (finding pick, kind, how it names what it follows).
    decisions: [Vec<(u8, u8, u8)>; 2],
    /// The order the office merges the pool in, and a second order.
    orders: [Vec<usize>; 2],
}

fn step() -> impl Strategy<Value = Option<Step>> {
    prop::option::weighted(
        0.8,
        prop_oneof![
            (0..LAPTOPS, 0u8..6).prop_map(|(laptop, after)| Step::Revoke { laptop, after }),
            (0..LAPTOPS).prop_map(|laptop| Step::Promote { laptop }),
            Just(Step::BelowThreshold),
            Just(Step::Forged),
        ],
    )
}

fn plan() -> impl Strategy<Value = Plan> {
    let decisions = || prop::collection::vec((any::<u8>(), any::<u8>(), any::<u8>()), 0..5);
    (
        prop::collection::vec((prop::bool::weighted(0.75), 1u8..5), LAPTOPS as usize),
        any::<bool>(),
        step(),
        [decisions(), decisions()],
    )
        .prop_flat_map(|(laptops, second, step, decisions)| {
            // Pool: 3 laptops, 2 reviewers, the office before and after step 2.
            let pool: Vec<usize> = (0..7).collect();
            (
                Just(laptops),
                Just(second),
                Just(step),
                Just(decisions),
                [Just(pool.clone()).prop_shuffle(), Just(pool).prop_shuffle()],
            )
        })
        .prop_map(
            |(laptops, second_reviewer_enrolled, step, decisions, orders)| Plan {
                laptops,
                second_reviewer_enrolled,
                step,
                decisions,
                orders,
            },
        )
}

fn root(n: u8) -> SigningKey {
    SigningKey::from_bytes(&[n; 32])
}

fn public(k: &SigningKey) -> String {
    hex::encode(k.verifying_key().to_bytes())
}

fn roots() -> Roots {
    Roots {
        keys: vec![public(&root(101)), public(&root(102))],
        threshold: 2,
    }
}

fn fingerprint() -> String {
    office_fingerprint(&roots())
}

fn grant(n: u8, roles: &[Role]) -> DeviceGrant {
    DeviceGrant {
        device: key(n).device_id().to_string(),
        roles: roles.to_vec(),
        from_seq: 1,
        until_seq: None,
        adopted_through_seq: None,
    }
}

fn person(name: &str, grant: DeviceGrant) -> Person {
    Person {
        name: name.into(),
        devices: vec![grant],
        recuse: Default::default(),
    }
}

fn first_version(plan: &Plan) -> RosterDocument {
    let mut people = vec![person("王主任", grant(REVIEWERS[0], &[Role::Reviewer]))];
    let second_roles: &[Role] = if plan.second_reviewer_enrolled {
        &[Role::Reviewer]
    } else {
        &[Role::Inspector]
    };
    people.push(person("赵科长", grant(REVIEWERS[1], second_roles)));
    for (i, (enrolled, _)) in plan.laptops.iter().enumerate() {
        if *enrolled {
            let n = i as u8 + 1;
            people.push(person(&format!("检查员{n}"), grant(n, &[Role::Inspector])));
        }
    }
    RosterDocument {
        office_name: "效能办".into(),
        office: fingerprint(),
        version: 1,
        previous: None,
        roots: roots(),
        people,
        delegations: Vec::new(),
        settings: Default::default(),
    }
}

fn publish(office: &mut Ledger, doc: &RosterDocument, by: &[SigningKey]) {
    let text = doc.to_text();
    let bytes = roster_signing_bytes(&text);
    let signatures = by
        .iter()
        .map(|k| RootSignature {
            key: public(k),
            signature: hex::encode(k.sign(&bytes).to_bytes()),
        })
        .collect();
    office.publish_roster(text, signatures).unwrap();
}

fn decision(kind: u8) -> Decision {
    match kind % 7 {
        0 => Decision::Confirm { points: None },
        1 => Decision::Dismiss {
            reason: "证据不足".into(),
        },
        2 => Decision::RequireRectification {
            deadline: jiff::civil::date(2026, 4, 30),
            rejected: None,
        },
        3 => Decision::VerifyRectification { checked: None },
        // Appeals: a decision by a reviewer who also confirmed the finding
        // is refused whichever arrived first.
        4 => Decision::Appeal {
            reason: "当日外出".into(),
            evidence: None,
        },
        5 => Decision::DecideAppeal {
            upheld: true,
            reason: "申诉成立".into(),
        },
        _ => Decision::DecideAppeal {
            upheld: false,
            reason: "申诉不成立".into(),
        },
    }
}

/// Records every party's events and returns the pool of bundles: the three
/// laptops, the two reviewers, and the office's roster before and after
/// its second step.
fn pool(plan: &Plan, dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut findings = Vec::new();
    let mut laptop_bundles = Vec::new();
    for (i, (_, n)) in plan.laptops.iter().enumerate() {
        let device = i as u64 + 1;
        let mut l = Ledger::open_with_key(
            &dir.join(format!("laptop{device}.sqlite")),
            key(device as u8),
        )
        .unwrap();
        let visit = uuid(device, 0);
        let t = at(i64::from(*n) * 60);
        l.append_at(&visit_opened(visit, i, "张伟", t), t).unwrap();
        for f in 0..*n {
            let id = uuid(device, u64::from(f) + 1);
            l.append_at(&finding(visit, id, usize::from(f), t), t)
                .unwrap();
            findings.push(id);
        }
        let b = dir.join(format!("laptop{device}.bundle"));
        l.bundle(&b).unwrap();
        laptop_bundles.push(b.clone());
        out.push(b);
    }
    for (r, device) in REVIEWERS.iter().enumerate() {
        let mut l =
            Ledger::open_with_key(&dir.join(format!("reviewer{device}.sqlite")), key(*device))
                .unwrap();
        for b in &laptop_bundles {
            l.merge(b, &mut |_| {}).unwrap();
        }
        // The first reviewer enters an office deduction; both decide on it
        // below (the one who entered it is refused whichever arrives first).
        if r == 0 {
            let entry = EventBody::OfficeDeduction(OfficeDeductionEntered {
                deduction_id: DEDUCTION,
                unit: fixtures::unit(0),
                item: "meeting-absent".into(),
                section: "四(四)1".into(),
                method_version: 1,
                count: Some(2),
                points_each: None,
                points: Points::from_hundredths(600),
                date: jiff::civil::date(2026, 3, 2),
                reason: "缺席会议".into(),
                evidence: None,
            });
            l.append_at(&entry, at(30)).unwrap();
        }
        for (pick, kind, how) in &plan.decisions[r] {
            let finding_id = findings[usize::from(*pick) % findings.len()];
            let follows = match how % 4 {
                0 => None,
                1 => Some(Follows::First),
                _ => Some(l.decision_follows(finding_id).unwrap()),
            };
            let body = EventBody::ReviewDecided(ReviewRecord {
                finding_id,
                reviewer: "自称的名字".into(),
                decision: decision(*kind),
                follows,
                reason: None,
            });
            // One in four claims a time 73 years fast.
            let t = if how % 4 == 3 {
                at(73 * 365 * 86_400)
            } else {
                at(i64::from(*kind) * 60)
            };
            l.append_at(&body, t).unwrap();
            // Some come with a decision on the office deduction.
            if kind % 2 == 1 {
                let decision = if how.is_multiple_of(2) {
                    DeductionDecision::Confirm
                } else {
                    DeductionDecision::Dismiss {
                        reason: "会议改期".into(),
                    }
                };
                let body = EventBody::DeductionReviewed(DeductionReviewed {
                    deduction_id: DEDUCTION,
                    reviewer: "自称的名字".into(),
                    decision,
                    follows: (how % 4 != 0).then_some(Follows::First),
                });
                l.append_at(&body, t).unwrap();
            }
            // Some decisions come with an accountability outcome, which
            // counts only while the finding stays confirmed or further on.
            if kind % 3 == 0 {
                let outcome = EventBody::OutcomeRecorded(OutcomeRecorded {
                    finding_id,
                    person: "王五".into(),
                    kind: OutcomeKind::ALL[usize::from(*how) % OutcomeKind::ALL.len()],
                    date: jiff::civil::date(2026, 3, 1 + (how % 28) as i8),
                    number: None,
                    note: None,
                });
                l.append_at(&outcome, t).unwrap();
            }
        }
        let b = dir.join(format!("reviewer{device}.bundle"));
        l.bundle(&b).unwrap();
        out.push(b);
    }
    let mut office = Ledger::open_with_key(&dir.join("publisher.sqlite"), key(200)).unwrap();
    let v1 = first_version(plan);
    publish(&mut office, &v1, &[root(101), root(102)]);
    let b = dir.join("roster1.bundle");
    office.bundle(&b).unwrap();
    out.push(b);
    let mut v2 = v1.next();
    match &plan.step {
        None => {}
        Some(Step::Revoke { laptop, after }) => {
            v2.revoke(key(laptop + 1).device_id(), u64::from(*after));
            publish(&mut office, &v2, &[root(101), root(102)]);
        }
        Some(Step::Promote { laptop }) => {
            let n = laptop + 1;
            v2.enroll(
                &format!("检查员{n}"),
                key(n).device_id(),
                &[Role::Inspector, Role::Reviewer],
                1,
            );
            publish(&mut office, &v2, &[root(101), root(102)]);
        }
        Some(Step::BelowThreshold) => {
            v2.revoke(key(REVIEWERS[0]).device_id(), 0);
            publish(&mut office, &v2, &[root(101)]);
        }
        Some(Step::Forged) => {
            v2.enroll("冒名者", key(9).device_id(), &[Role::Reviewer], 1);
            publish(&mut office, &v2, &[root(103), root(104)]);
        }
    }
    let b = dir.join("roster2.bundle");
    office.bundle(&b).unwrap();
    out.push(b);
    out
}

type Snapshot = (String, String);

fn snapshot(l: &Ledger) -> Snapshot {
    (l.derived_dump().unwrap(), l.content_dump().unwrap())
}

/// The office's ledgers, each pinned to the office before anything arrives.
struct Office<'a> {
    dir: &'a Path,
    n: usize,
}

impl Office<'_> {
    fn merged(&mut self, bundles: &[&PathBuf]) -> Ledger {
        self.n += 1;
        let mut l =
            Ledger::open_with_key(&self.dir.join(format!("office{}.sqlite", self.n)), key(210))
                .unwrap();
        l.pin_office(&fingerprint()).unwrap();
        for b in bundles {
            l.merge(b, &mut |_| {}).unwrap();
        }
        l
    }

    fn bundled(&mut self, l: &Ledger) -> PathBuf {
        self.n += 1;
        let out = self.dir.join(format!("group{}.bundle", self.n));
        l.bundle(&out).unwrap();
        out
    }
}

fn ordered<'a>(pool: &'a [PathBuf], order: &[usize]) -> Vec<&'a PathBuf> {
    order.iter().map(|&i| &pool[i]).collect()
}

proptest! {
    // 500 cases per law, 1,000 in all; ANFANG_MERGE_CASES sets it.
    #![proptest_config(ProptestConfig { cases: merge_cases(500), max_shrink_iters: 100, ..ProptestConfig::default() })]

    #[test]
    fn any_order_of_arrival_gives_the_same_office(plan in plan()) {
        let dir = scratch();
        let pool = pool(&plan, dir.path());
        let mut office = Office { dir: dir.path(), n: 0 };
        let mut one = office.merged(&ordered(&pool, &plan.orders[0]));
        let two = office.merged(&ordered(&pool, &plan.orders[1]));
        let first = snapshot(&one);
        prop_assert_eq!(&first, &snapshot(&two));
        prop_assert_eq!(one.refused_events().unwrap(), two.refused_events().unwrap());
        // Idempotent: everything again adds nothing and changes nothing.
        for b in &pool {
            prop_assert_eq!(one.merge(b, &mut |_| {}).unwrap().events_added, 0);
        }
        prop_assert_eq!(&snapshot(&one), &first);
        // What the merges built is what the events alone give.
        one.rebuild().unwrap();
        prop_assert_eq!(snapshot(&one), first);
        let verify = one.verify(true).unwrap();
        prop_assert!(verify.problems.is_empty(), "{:?}", verify.problems);
    }

    #[test]
    fn grouping_does_not_matter(plan in plan()) {
        let dir = scratch();
        let pool = pool(&plan, dir.path());
        let order = ordered(&pool, &plan.orders[0]);
        let (x, rest) = order.split_at(2);
        let (y, z) = rest.split_at(2);
        let mut office = Office { dir: dir.path(), n: 0 };
        // (x ∪ y) ∪ z against x ∪ (y ∪ z), each group bundled on.
        let xy = office.merged(&[x, y].concat());
        let xy = office.bundled(&xy);
        let yz = office.merged(&[y, z].concat());
        let yz = office.bundled(&yz);
        let mut left_in = vec![&xy];
        left_in.extend(z.iter().copied());
        let mut right_in: Vec<&PathBuf> = x.to_vec();
        right_in.push(&yz);
        let left = office.merged(&left_in);
        let right = office.merged(&right_in);
        prop_assert_eq!(snapshot(&left), snapshot(&right));
    }
}
