//! A finding's status: the head of its chain of decisions.
//!
//! Each decision names the decision it follows (the last one its device
//! had seen). The status is the head of the longest chain; two decisions
//! that follow the same one are a conflict, shown as such and settled by
//! a rule that reads no clock: the longer chain, then the decision that
//! keeps the finding open (counted and not yet rectified), then the smaller
//! event id. Decisions recorded before chains existed (no `follows`) are
//! ordered among themselves as they always were, by claimed time.

use crate::points::Points;
use crate::review::{Decision, Follows, ReviewStatus};
use std::collections::{BTreeMap, BTreeSet};

/// One decision on a finding, with what the roster says of it.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionNode {
    /// Its event id.
    pub event_id: String,
    /// Who decided: the roster's person, or the name typed in open mode.
    pub person: String,
    /// What was decided.
    pub decision: Decision,
    /// What it follows; `None` for decisions recorded before chains.
    pub follows: Option<Follows>,
    /// The claimed time (orders unchained decisions only).
    pub claimed_time: jiff::Timestamp,
    /// Whether it counts (authorized and valid).
    pub counts: bool,
}

/// Where a finding's decisions leave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settled {
    /// The status.
    pub status: ReviewStatus,
    /// The decision that sets it.
    pub head: Option<String>,
    /// More than one decision stands at the end of a chain.
    pub conflict: bool,
    /// A dismissal waits for a second reviewer.
    pub awaiting_second: bool,
}

/// How strongly a conflict keeps a decision: the finding stays counted and
/// open rather than closed or dropped until someone settles it.
fn keeps_open(decision: &Decision) -> u8 {
    match ReviewStatus::after(decision) {
        ReviewStatus::RectificationRequired => 5,
        ReviewStatus::Confirmed => 4,
        ReviewStatus::Rectified => 3,
        ReviewStatus::Verified => 2,
        ReviewStatus::Dismissed => 1,
        ReviewStatus::Pending => 0,
    }
}

/// Settles the status of a finding worth `points` from its decisions.
/// `second_from`: dismissing at least this many points needs two reviewers.
pub fn settle(nodes: &[DecisionNode], points: Points, second_from: Option<Points>) -> Settled {
    let counted: Vec<&DecisionNode> = nodes.iter().filter(|n| n.counts).collect();
    let ids: BTreeSet<&str> = counted.iter().map(|n| n.event_id.as_str()).collect();
    // Parents: explicit, or the previous unchained decision by claimed time.
    let mut unchained: Vec<&DecisionNode> = counted
        .iter()
        .copied()
        .filter(|n| n.follows.is_none())
        .collect();
    unchained.sort_by(|a, b| (a.claimed_time, &a.event_id).cmp(&(b.claimed_time, &b.event_id)));
    let mut parent: BTreeMap<&str, Option<&str>> = BTreeMap::new();
    for (i, n) in unchained.iter().enumerate() {
        parent.insert(
            &n.event_id,
            i.checked_sub(1).map(|j| unchained[j].event_id.as_str()),
        );
    }
    for n in &counted {
        if let Some(follows) = &n.follows {
            let p = match follows {
                Follows::First => None,
                // A decision following one that does not count (or is not
                // here) starts a chain of its own.
                Follows::Decision(id) => ids.get(id.as_str()).copied(),
            };
            parent.insert(&n.event_id, p);
        }
    }
    let by_id: BTreeMap<&str, &DecisionNode> =
        counted.iter().map(|n| (n.event_id.as_str(), *n)).collect();
    let depth = |id: &str| {
        let mut d = 0usize;
        let mut at = Some(id);
        let mut seen = BTreeSet::new();
        while let Some(x) = at {
            if !seen.insert(x) {
                break;
            }
            d += 1;
            at = parent.get(x).copied().flatten();
        }
        d
    };
    let parents: BTreeSet<&str> = parent.values().filter_map(|p| *p).collect();
    let heads: Vec<&DecisionNode> = counted
        .iter()
        .copied()
        .filter(|n| !parents.contains(n.event_id.as_str()))
        .collect();
    let Some(head) = heads.iter().copied().max_by(|a, b| {
        (
            depth(&a.event_id),
            keeps_open(&a.decision),
            std::cmp::Reverse(&a.event_id),
        )
            .cmp(&(
                depth(&b.event_id),
                keeps_open(&b.decision),
                std::cmp::Reverse(&b.event_id),
            ))
    }) else {
        return Settled {
            status: ReviewStatus::Pending,
            head: None,
            conflict: false,
            awaiting_second: false,
        };
    };
    // A large dismissal takes effect only when it follows another reviewer's.
    let mut at = head;
    let mut awaiting_second = false;
    if let Some(from) = second_from
        && points >= from
    {
        let mut walked = BTreeSet::new();
        // Chains from real events cannot loop (an id covers what it follows);
        // the walk stops anyway on ones made up by hand.
        while matches!(at.decision, Decision::Dismiss { .. }) && walked.insert(at.event_id.as_str())
        {
            let seconded = parent
                .get(at.event_id.as_str())
                .copied()
                .flatten()
                .and_then(|p| by_id.get(p))
                .is_some_and(|p| {
                    matches!(p.decision, Decision::Dismiss { .. }) && p.person != at.person
                });
            if seconded {
                break;
            }
            awaiting_second = true;
            match parent
                .get(at.event_id.as_str())
                .copied()
                .flatten()
                .and_then(|p| by_id.get(p))
            {
                Some(p) => at = p,
                None => {
                    return Settled {
                        status: ReviewStatus::Pending,
                        head: Some(head.event_id.clone()),
                        conflict: heads.len() > 1,
                        awaiting_second,
                    };
                }
            }
        }
    }
    Settled {
        status: ReviewStatus::after(&at.decision),
        head: Some(head.event_id.clone()),
        conflict: heads.len() > 1,
        awaiting_second,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn node(
        id: &str,
        who: &str,
        decision: Decision,
        follows: Option<Follows>,
        t: i64,
    ) -> DecisionNode {
        DecisionNode {
            event_id: id.into(),
            person: who.into(),
            decision,
            follows,
            claimed_time: jiff::Timestamp::from_second(t).unwrap(),
            counts: true,
        }
    }
    fn confirm() -> Decision {
        Decision::Confirm { points: None }
    }
    fn dismiss() -> Decision {
        Decision::Dismiss { reason: "x".into() }
    }
    fn after(id: &str) -> Option<Follows> {
        Some(Follows::Decision(id.into()))
    }

    #[test]
    fn a_later_decision_in_the_chain_wins_whatever_its_claimed_time() {
        // A dismissal claimed 73 years ahead, then a confirmation that follows it.
        let nodes = [
            node("b", "张", dismiss(), Some(Follows::First), 4_000_000_000),
            node("a", "王", confirm(), after("b"), 10),
        ];
        let s = settle(&nodes, Points::whole(2), None);
        assert_eq!(s.status, ReviewStatus::Confirmed);
        assert!(!s.conflict);
    }

    #[test]
    fn siblings_conflict_and_the_one_keeping_the_finding_counted_wins_in_any_order() {
        let a = node("a", "王", confirm(), Some(Follows::First), 10);
        let b = node("b", "张", dismiss(), Some(Follows::First), 99);
        for nodes in [[a.clone(), b.clone()], [b, a]] {
            let s = settle(&nodes, Points::whole(2), None);
            assert_eq!(s.status, ReviewStatus::Confirmed);
            assert!(s.conflict);
        }
    }

    #[test]
    fn unchained_decisions_keep_the_claimed_time_order() {
        let nodes = [
            node("z", "王", dismiss(), None, 20),
            node("y", "王", confirm(), None, 10),
        ];
        assert_eq!(
            settle(&nodes, Points::whole(2), None).status,
            ReviewStatus::Dismissed
        );
    }

    #[test]
    fn a_large_dismissal_needs_a_second_reviewer() {
        let first = node("a", "王", confirm(), Some(Follows::First), 1);
        let one = node("b", "张", dismiss(), after("a"), 2);
        let s = settle(
            &[first.clone(), one.clone()],
            Points::whole(15),
            Some(Points::whole(10)),
        );
        assert_eq!(s.status, ReviewStatus::Confirmed);
        assert!(s.awaiting_second);
        // The same person twice is still one reviewer.
        let again = node("c", "张", dismiss(), after("b"), 3);
        let s = settle(
            &[first.clone(), one.clone(), again],
            Points::whole(15),
            Some(Points::whole(10)),
        );
        assert_eq!(s.status, ReviewStatus::Confirmed);
        let second = node("d", "李", dismiss(), after("b"), 3);
        let s = settle(
            &[first, one, second],
            Points::whole(15),
            Some(Points::whole(10)),
        );
        assert_eq!(s.status, ReviewStatus::Dismissed);
        assert!(!s.awaiting_second);
    }

    #[test]
    fn refused_decisions_change_nothing() {
        let mut forged = node("b", "x", dismiss(), Some(Follows::First), 99);
        forged.counts = false;
        let nodes = [node("a", "王", confirm(), Some(Follows::First), 1), forged];
        let s = settle(&nodes, Points::whole(2), None);
        assert_eq!(s.status, ReviewStatus::Confirmed);
        assert!(!s.conflict);
    }
}
