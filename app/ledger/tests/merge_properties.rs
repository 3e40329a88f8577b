//! Merge is a set union: idempotent, commutative and associative on random
//! multi-device histories with corrections, reviews, evidence, forks
//! (cloned laptops), gaps (partial bundles) and clocks that jump about.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;
mod merge_support;

use anfang_ledger::{DeviceKey, Ledger};
use fixtures::*;
use merge_support::{merge_cases, scratch};
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use uuid::Uuid;

#[derive(Debug, Clone)]
enum Op {
    Open,
    Find(u8),
    Correct(u8),
    /// Review a finding of some device (perhaps one never recorded here).
    Review(u8, u8, u8),
    Close(u8),
    Attach(u8),
    /// Publish a version (1–3) of one of three units shared by all devices.
    Register(u8, u8),
    /// Enter one of three office deductions shared by all devices.
    Deduct(u8),
    /// Confirm or dismiss one of those deductions (perhaps never entered here).
    DecideDeduction(u8, u8),
}

#[derive(Debug, Clone)]
struct DevicePlan {
    /// Each op with its claimed time offset (seconds; not monotonic on purpose).
    ops: Vec<(Op, u16)>,
    /// Clone the laptop after this many ops; both copies go on recording.
    fork_at: Option<u8>,
}

#[derive(Debug, Clone)]
struct Plan {
    devices: Vec<DevicePlan>,
    /// Per source ledger: sequence numbers left out of its partial bundle.
    drops: Vec<Vec<u8>>,
    /// Which three bundles of the pool to merge.
    picks: [u8; 3],
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => Just(Op::Open),
        5 => any::<u8>().prop_map(Op::Find),
        2 => any::<u8>().prop_map(Op::Correct),
        2 => (any::<u8>(), any::<u8>(), any::<u8>()).prop_map(|(d, f, k)| Op::Review(d, f, k)),
        1 => any::<u8>().prop_map(Op::Close),
        1 => any::<u8>().prop_map(Op::Attach),
        1 => (any::<u8>(), any::<u8>()).prop_map(|(u, v)| Op::Register(u, v)),
        1 => any::<u8>().prop_map(Op::Deduct),
        1 => (any::<u8>(), any::<u8>()).prop_map(|(d, k)| Op::DecideDeduction(d, k)),
    ]
}

fn plan() -> impl Strategy<Value = Plan> {
    let device = (
        prop::collection::vec((op(), 0u16..2000), 1..9),
        prop::option::weighted(0.3, 0u8..8),
    )
        .prop_map(|(ops, fork_at)| DevicePlan { ops, fork_at });
    (
        prop::collection::vec(device, 1..4),
        prop::collection::vec(prop::collection::vec(2u8..10, 0..3), 6),
        any::<[u8; 3]>(),
    )
        .prop_map(|(devices, drops, picks)| Plan {
            devices,
            drops,
            picks,
        })
}

#[derive(Clone, Default)]
struct State {
    visits: Vec<Uuid>,
    /// (visit, finding, event id of its latest version here)
    findings: Vec<(Uuid, Uuid, String)>,
    counter: u64,
}

fn run_ops(
    l: &mut Ledger,
    dir: &Path,
    device: u64,
    variant: u64,
    state: &mut State,
    ops: &[(Op, u16)],
) {
    for (op, offset) in ops {
        let t = at(i64::from(*offset) * 60);
        state.counter += 1;
        // Both copies of a cloned laptop draw ids from the same sequence, so they
        // record the same visit or finding differently: the hard case.
        let fresh = uuid(device * 10, state.counter);
        let lead = if variant == 0 { "张伟" } else { "赵磊" };
        let n = state.counter as usize + variant as usize * 7;
        let pick = |n: u8, len: usize| usize::from(n) % len;
        match op {
            Op::Find(_) | Op::Close(_) if state.visits.is_empty() => {
                state.visits.push(fresh);
                l.append_at(&visit_opened(fresh, n, lead, t), t).unwrap();
            }
            Op::Open => {
                state.visits.push(fresh);
                l.append_at(&visit_opened(fresh, n, lead, t), t).unwrap();
            }
            Op::Find(v) => {
                let visit = state.visits[pick(*v, state.visits.len())];
                let id = l.append_at(&finding(visit, fresh, n, t), t).unwrap();
                state.findings.push((visit, fresh, id));
            }
            Op::Correct(_) | Op::Attach(_) | Op::Review(..) if state.findings.is_empty() => {}
            Op::Correct(f) => {
                let i = pick(*f, state.findings.len());
                let (visit, fid, prev) = state.findings[i].clone();
                let id = l
                    .append_at(&correction(visit, fid, n, t, &prev), t)
                    .unwrap();
                state.findings[i].2 = id;
            }
            Op::Review(d, f, k) => {
                // Sometimes a finding of another device, which may never arrive.
                let fid = if d % 3 == 0 {
                    uuid(u64::from(d % 4) * 10, u64::from(f % 4))
                } else {
                    state.findings[pick(*f, state.findings.len())].1
                };
                l.append_at(&review(fid, usize::from(*k)), t).unwrap();
            }
            Op::Close(v) => {
                let visit = state.visits[pick(*v, state.visits.len())];
                l.append_at(&visit_closed(visit, t), t).unwrap();
            }
            Op::Register(u, v) => {
                let unit_id = uuid(999, u64::from(u % 3));
                let name = format!("单位{device}-{variant}-{n}");
                let body = unit_registered(unit_id, 1 + u32::from(v % 3), &name);
                l.append_at(&body, t).unwrap();
            }
            Op::Deduct(d) => {
                let body = office_deduction(uuid(888, u64::from(d % 3)), n, t);
                l.append_at(&body, t).unwrap();
            }
            Op::DecideDeduction(d, k) => {
                let body = deduction_decision(uuid(888, u64::from(d % 3)), *k);
                l.append_at(&body, t).unwrap();
            }
            Op::Attach(f) => {
                let fid = state.findings[pick(*f, state.findings.len())].1;
                let file = dir.join(format!("evidence-{}.txt", f % 3));
                std::fs::write(&file, format!("证据 {}", f % 3)).unwrap();
                l.attach_evidence_at(fid, &file, t).unwrap();
            }
        }
    }
}

/// Records every device's history and returns the pool of bundles: one full
/// bundle per source ledger (clones included) and partial ones with gaps.
fn bundles(plan: &Plan, dir: &Path) -> Vec<PathBuf> {
    let mut sources = Vec::new();
    for (d, dp) in plan.devices.iter().enumerate() {
        let device = d as u64 + 1;
        let key: DeviceKey = fixtures::key(device as u8);
        let src = dir.join(format!("src{d}.sqlite"));
        let split = dp
            .fork_at
            .map_or(dp.ops.len(), |k| usize::from(k).min(dp.ops.len()));
        let mut state = State::default();
        {
            let mut l = Ledger::open_with_key(&src, key.clone()).unwrap();
            run_ops(&mut l, dir, device, 0, &mut state, &dp.ops[..split]);
        }
        if dp.fork_at.is_some() {
            let clone = dir.join(format!("src{d}-clone.sqlite"));
            std::fs::copy(&src, &clone).unwrap();
            let mut l = Ledger::open_with_key(&clone, key.clone()).unwrap();
            let mut clone_state = state.clone();
            // The clone records different things from the same point.
            let mut ops = dp.ops[split..].to_vec();
            ops.push((Op::Find(0), 7));
            run_ops(&mut l, dir, device, 1, &mut clone_state, &ops);
            sources.push(clone);
        }
        let mut l = Ledger::open_with_key(&src, key).unwrap();
        run_ops(&mut l, dir, device, 0, &mut state, &dp.ops[split..]);
        sources.push(src);
    }
    let mut pool = Vec::new();
    for (i, src) in sources.iter().enumerate() {
        let l = Ledger::open_with_key(src, fixtures::key(250)).unwrap();
        let full = dir.join(format!("full{i}.bundle"));
        l.bundle(&full).unwrap();
        let drops = &plan.drops[i % plan.drops.len()];
        if !drops.is_empty() {
            let partial = dir.join(format!("partial{i}.bundle"));
            std::fs::copy(&full, &partial).unwrap();
            let conn = rusqlite::Connection::open(&partial).unwrap();
            for seq in drops {
                conn.execute("DELETE FROM events WHERE seq = ?1", [i64::from(*seq)])
                    .unwrap();
            }
            drop(conn);
            // A ledger holding gaps (from bundles made before manifests)
            // bundles them on under its own signed manifest.
            anfang_ledger::seal_bundle(&partial, &fixtures::key(250)).unwrap();
            // Evidence whose event was dropped travels anyway: blobs are kept.
            pool.push(partial);
        }
        pool.push(full);
    }
    pool
}

type Snapshot = (String, String);

fn snapshot(l: &Ledger) -> Snapshot {
    (l.derived_dump().unwrap(), l.content_dump().unwrap())
}

struct Office<'a> {
    dir: &'a Path,
    n: usize,
}

impl Office<'_> {
    fn merged(&mut self, bundles: &[&PathBuf]) -> Ledger {
        self.n += 1;
        let mut l = Ledger::open_with_key(
            &self.dir.join(format!("office{}.sqlite", self.n)),
            fixtures::key(200),
        )
        .unwrap();
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

proptest! {
    #![proptest_config(ProptestConfig { cases: merge_cases(340), max_shrink_iters: 200, ..ProptestConfig::default() })]

    #[test]
    fn merge_is_idempotent(plan in plan()) {
        let dir = scratch();
        let pool = bundles(&plan, dir.path());
        let x = &pool[usize::from(plan.picks[0]) % pool.len()];
        let mut office = Office { dir: dir.path(), n: 0 };
        let mut once = office.merged(&[x]);
        let first = snapshot(&once);
        let report = once.merge(x, &mut |_| {}).unwrap();
        prop_assert_eq!(report.events_added, 0);
        prop_assert_eq!(snapshot(&once), first.clone());
        // And what merge built is what the events alone give.
        once.rebuild().unwrap();
        prop_assert_eq!(snapshot(&once), first);
        let verify = once.verify(false).unwrap();
        prop_assert!(verify.is_ok(), "{:?}", verify.problems);
    }

    #[test]
    fn merge_is_commutative(plan in plan()) {
        let dir = scratch();
        let pool = bundles(&plan, dir.path());
        let x = &pool[usize::from(plan.picks[0]) % pool.len()];
        let y = &pool[usize::from(plan.picks[1]) % pool.len()];
        let mut office = Office { dir: dir.path(), n: 0 };
        let xy = snapshot(&office.merged(&[x, y]));
        let yx = snapshot(&office.merged(&[y, x]));
        prop_assert_eq!(xy, yx);
    }

    #[test]
    fn merge_is_associative(plan in plan()) {
        let dir = scratch();
        let pool = bundles(&plan, dir.path());
        let [x, y, z] = plan.picks.map(|p| &pool[usize::from(p) % pool.len()]);
        let mut office = Office { dir: dir.path(), n: 0 };
        let xy = office.merged(&[x, y]);
        let xy = office.bundled(&xy);
        let yz = office.merged(&[y, z]);
        let yz = office.bundled(&yz);
        let left = office.merged(&[&xy, z]);
        let right = office.merged(&[x, &yz]);
        prop_assert_eq!(snapshot(&left), snapshot(&right));
        let verify = left.verify(true).unwrap();
        prop_assert!(verify.is_ok(), "{:?}", verify.problems);
    }
}
