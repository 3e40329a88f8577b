//! What a finding's review decisions add up to: its status, the points it
//! counts for, and the rectification deadline it may have missed.

use crate::points::Points;
use crate::review::{DatedDecision, Decision, ReviewStatus};
use crate::rule::Rule;
use jiff::civil::Date;
use thiserror::Error;

/// The state of one finding after all its decisions, as every ledger holding
/// the same decisions computes it, whatever order they arrived in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewState {
    /// The status the chain of decisions settles on
    /// ([`crate::authority::settle`]); pending when there is none.
    pub status: ReviewStatus,
    /// Points per count settled by the latest confirmation that named them
    /// (range rules); `None` keeps the points as recorded.
    pub points_per_count: Option<Points>,
    /// Deadline of the latest rectification order, if any was given.
    pub deadline: Option<Date>,
}

/// The later of two decisions by claimed time, then event id (which
/// confirmation's points and which order's deadline stand).
fn later<'a>(a: &'a DatedDecision, b: &'a DatedDecision) -> &'a DatedDecision {
    if (b.claimed_time, &b.event_id) > (a.claimed_time, &a.event_id) {
        b
    } else {
        a
    }
}

impl ReviewState {
    /// Folds a finding's decisions that count (in any order) into its state,
    /// given the status they settle on.
    ///
    /// Points chosen at confirmation survive later decisions (ordering a
    /// rectification does not undo what the finding costs); a later
    /// confirmation with other points replaces them.
    pub fn of(status: ReviewStatus, decisions: &[DatedDecision]) -> ReviewState {
        let mut chosen: Option<&DatedDecision> = None;
        let mut ordered: Option<&DatedDecision> = None;
        for d in decisions {
            match d.decision {
                Decision::Confirm { points: Some(_) } => {
                    chosen = Some(chosen.map_or(d, |c| later(c, d)));
                }
                Decision::RequireRectification { .. } => {
                    ordered = Some(ordered.map_or(d, |c| later(c, d)));
                }
                _ => {}
            }
        }
        let points_per_count = chosen.and_then(|d| match d.decision {
            Decision::Confirm { points } => points,
            _ => None,
        });
        let deadline = ordered.and_then(|d| match d.decision {
            Decision::RequireRectification { deadline, .. } => Some(deadline),
            _ => None,
        });
        ReviewState {
            status,
            points_per_count,
            deadline,
        }
    }

    /// The deduction the finding stands for: the reviewer's points per count
    /// times the count, or the points recorded with it.
    pub fn points(&self, recorded: Points, count: u32) -> Points {
        self.points_per_count.map_or(recorded, |p| p * count)
    }

    /// Whether the finding counts against the unit's score.
    pub fn counts(&self) -> bool {
        self.status.counts()
    }

    /// A rectification still awaited after its deadline day has passed.
    pub fn overdue(&self, today: Date) -> bool {
        self.status == ReviewStatus::RectificationRequired
            && self.deadline.is_some_and(|deadline| deadline < today)
    }

    /// Days since the deadline of a rectification still awaited after it
    /// (1 the day after the deadline), or `None` when it is not overdue.
    pub fn days_overdue(&self, today: Date) -> Option<i64> {
        let deadline = self.deadline.filter(|_| self.overdue(today))?;
        Some(i64::from((today - deadline).get_days()))
    }

    /// A rectification still awaited whose deadline is at most `warn_days`
    /// days away (today included) and not yet passed: shown as a warning.
    pub fn due_soon(&self, today: Date, warn_days: u32) -> bool {
        self.status == ReviewStatus::RectificationRequired
            && self.deadline.is_some_and(|deadline| {
                deadline >= today
                    && i64::from((deadline - today).get_days()) <= i64::from(warn_days)
            })
    }
}

/// Why a decision cannot be recorded as asked.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecisionError {
    /// Points chosen outside the item's range.
    #[error("points per count {chosen} outside the item's range {min}–{max}")]
    OutOfRange {
        /// What was chosen.
        chosen: Points,
        /// Lower bound.
        min: Points,
        /// Upper bound.
        max: Points,
    },
    /// Points chosen for an item whose rule has no range to choose from.
    #[error("points per count {0} given, but the item's points are not chosen from a range")]
    NotARange(Points),
    /// A dismissal, rejection or appeal needs its reason.
    #[error("this decision needs a reason")]
    NoReason,
    /// A rectification report needs its note.
    #[error("marking rectified needs a note on what was done")]
    NoNote,
    /// A deadline already past.
    #[error("deadline {deadline} is before today ({today})")]
    PastDeadline {
        /// The deadline given.
        deadline: Date,
        /// Today.
        today: Date,
    },
    /// The step does not follow from where the finding stands.
    #[error("cannot {step} a finding that is {status}")]
    OutOfOrder {
        /// What was asked (`mark rectified`, `verify`).
        step: &'static str,
        /// The finding's status (machine name).
        status: &'static str,
    },
}

/// Checks a decision before it is recorded: range points within the item's
/// bounds, reasons and notes given, deadlines not past, and rectification
/// reported only when ordered, verified only when reported.
pub fn check_decision(
    decision: &Decision,
    rule: Option<&Rule>,
    state: &ReviewState,
    today: Date,
) -> Result<(), DecisionError> {
    match decision {
        Decision::Confirm {
            points: Some(chosen),
        } => match rule {
            Some(Rule::Range { min, max, .. }) if chosen < min || chosen > max => {
                Err(DecisionError::OutOfRange {
                    chosen: *chosen,
                    min: *min,
                    max: *max,
                })
            }
            Some(Rule::Range { .. }) => Ok(()),
            _ => Err(DecisionError::NotARange(*chosen)),
        },
        Decision::Confirm { points: None } => Ok(()),
        Decision::Dismiss { reason } if reason.trim().is_empty() => Err(DecisionError::NoReason),
        Decision::Dismiss { .. } => Ok(()),
        Decision::RequireRectification { deadline, .. } if *deadline < today => {
            Err(DecisionError::PastDeadline {
                deadline: *deadline,
                today,
            })
        }
        Decision::RequireRectification {
            rejected: Some(rejection),
            ..
        } if rejection.reason.trim().is_empty() => Err(DecisionError::NoReason),
        Decision::RequireRectification {
            rejected: Some(_), ..
        } => match state.status {
            ReviewStatus::Rectified => Ok(()),
            other => Err(DecisionError::OutOfOrder {
                step: "reject the rectification of",
                status: other.as_str(),
            }),
        },
        Decision::RequireRectification { .. } => Ok(()),
        Decision::MarkRectified { note, .. } if note.trim().is_empty() => {
            Err(DecisionError::NoNote)
        }
        Decision::MarkRectified { .. } => match state.status {
            ReviewStatus::RectificationRequired => Ok(()),
            other => Err(DecisionError::OutOfOrder {
                step: "mark rectified",
                status: other.as_str(),
            }),
        },
        Decision::VerifyRectification { .. } => match state.status {
            ReviewStatus::Rectified => Ok(()),
            other => Err(DecisionError::OutOfOrder {
                step: "verify",
                status: other.as_str(),
            }),
        },
        Decision::Appeal { reason, .. } | Decision::DecideAppeal { reason, .. }
            if reason.trim().is_empty() =>
        {
            Err(DecisionError::NoReason)
        }
        // Only a confirmed finding is appealed, and the appeal is decided
        // while the finding stays confirmed (the caller checks that an
        // appeal is what the finding's decisions end on).
        Decision::Appeal { .. } | Decision::DecideAppeal { .. } => match state.status {
            ReviewStatus::Confirmed => Ok(()),
            other => Err(DecisionError::OutOfOrder {
                step: if matches!(decision, Decision::Appeal { .. }) {
                    "appeal"
                } else {
                    "decide an appeal on"
                },
                status: other.as_str(),
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn dated(id: &str, second: i64, decision: Decision) -> DatedDecision {
        DatedDecision {
            event_id: id.into(),
            claimed_time: jiff::Timestamp::from_second(second).unwrap(),
            decision,
        }
    }

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn a_deadline_warns_before_it_passes_and_counts_days_after() {
        let ordered = ReviewState {
            status: ReviewStatus::RectificationRequired,
            points_per_count: None,
            deadline: Some(day("2026-12-31")),
        };
        // Three days' warning: from the 28th to the deadline itself.
        assert!(!ordered.due_soon(day("2026-12-27"), 3));
        assert!(ordered.due_soon(day("2026-12-28"), 3));
        assert!(ordered.due_soon(day("2026-12-31"), 3));
        assert_eq!(ordered.days_overdue(day("2026-12-31")), None);
        // Past it: overdue, counted across the year boundary.
        assert!(!ordered.due_soon(day("2027-01-01"), 3));
        assert_eq!(ordered.days_overdue(day("2027-01-01")), Some(1));
        assert_eq!(ordered.days_overdue(day("2027-03-01")), Some(60));
        // Once rectified the deadline no longer warns.
        let done = ReviewState {
            status: ReviewStatus::Rectified,
            ..ordered
        };
        assert!(!done.due_soon(day("2026-12-30"), 3));
        assert_eq!(done.days_overdue(day("2027-01-05")), None);
    }

    #[test]
    fn no_decision_is_pending_and_keeps_recorded_points() {
        let state = ReviewState::of(ReviewStatus::Pending, &[]);
        assert_eq!(state.status, ReviewStatus::Pending);
        assert!(!state.counts());
        assert_eq!(state.points(Points::whole(10), 1), Points::whole(10));
    }

    #[test]
    fn chosen_points_survive_a_later_rectification_order() {
        let decisions = [
            dated(
                "bb",
                20,
                Decision::RequireRectification {
                    deadline: day("2026-03-10"),
                    rejected: None,
                },
            ),
            dated(
                "aa",
                10,
                Decision::Confirm {
                    points: Some(Points::whole(15)),
                },
            ),
        ];
        let state = ReviewState::of(ReviewStatus::RectificationRequired, &decisions);
        assert_eq!(state.status, ReviewStatus::RectificationRequired);
        assert_eq!(state.points(Points::whole(10), 2), Points::whole(30));
        assert_eq!(state.deadline, Some(day("2026-03-10")));
        assert!(!state.overdue(day("2026-03-10")));
        assert!(state.overdue(day("2026-03-11")));
    }

    #[test]
    fn rectified_is_never_overdue() {
        let decisions = [
            dated(
                "aa",
                10,
                Decision::RequireRectification {
                    deadline: day("2026-03-10"),
                    rejected: None,
                },
            ),
            dated(
                "bb",
                20,
                Decision::MarkRectified {
                    note: "fixed".into(),
                    evidence: None,
                },
            ),
        ];
        let state = ReviewState::of(ReviewStatus::Rectified, &decisions);
        assert_eq!(state.status, ReviewStatus::Rectified);
        assert!(!state.overdue(day("2027-01-01")));
    }

    #[test]
    fn order_of_decisions_does_not_matter() {
        let a = dated(
            "aa",
            10,
            Decision::Confirm {
                points: Some(Points::whole(12)),
            },
        );
        let b = dated(
            "bb",
            10,
            Decision::Confirm {
                points: Some(Points::whole(18)),
            },
        );
        let c = dated("cc", 5, Decision::Dismiss { reason: "x".into() });
        let status = ReviewStatus::Confirmed;
        let one = ReviewState::of(status, &[a.clone(), b.clone(), c.clone()]);
        let two = ReviewState::of(status, &[c, b, a]);
        assert_eq!(one, two);
        assert_eq!(one.points_per_count, Some(Points::whole(18)));
        assert_eq!(one.status, ReviewStatus::Confirmed);
    }

    #[test]
    fn decisions_are_checked_against_rule_and_workflow() {
        use crate::rule::CountUnit;
        let range = Rule::Range {
            unit: CountUnit::Case,
            min: Points::whole(10),
            max: Points::whole(20),
        };
        let fixed = Rule::PerCount {
            unit: CountUnit::Case,
            points: Points::whole(5),
        };
        let pending = ReviewState::of(ReviewStatus::Pending, &[]);
        let today = day("2026-03-01");
        let confirm = |p: i64| Decision::Confirm {
            points: Some(Points::whole(p)),
        };
        assert_eq!(
            check_decision(&confirm(15), Some(&range), &pending, today),
            Ok(())
        );
        assert!(matches!(
            check_decision(&confirm(25), Some(&range), &pending, today),
            Err(DecisionError::OutOfRange { .. })
        ));
        assert!(matches!(
            check_decision(&confirm(5), Some(&fixed), &pending, today),
            Err(DecisionError::NotARange(_))
        ));
        let dismiss = Decision::Dismiss { reason: " ".into() };
        assert_eq!(
            check_decision(&dismiss, None, &pending, today),
            Err(DecisionError::NoReason)
        );
        let late = Decision::RequireRectification {
            deadline: day("2026-02-28"),
            rejected: None,
        };
        assert!(check_decision(&late, None, &pending, today).is_err());
        let verify = Decision::VerifyRectification { checked: None };
        assert_eq!(
            check_decision(&verify, None, &pending, today)
                .unwrap_err()
                .to_string(),
            "cannot verify a finding that is pending"
        );
    }

    #[test]
    fn rejection_and_appeals_follow_where_the_finding_stands() {
        use crate::review::{Checked, Rejection};
        let state = |status| ReviewState {
            status,
            points_per_count: None,
            deadline: None,
        };
        let today = day("2026-03-25");
        let reject = |reason: &str| Decision::RequireRectification {
            deadline: day("2026-04-15"),
            rejected: Some(Rejection {
                checked: Checked::Report,
                reason: reason.into(),
            }),
        };
        assert_eq!(
            check_decision(
                &reject("照片不符"),
                None,
                &state(ReviewStatus::Rectified),
                today
            ),
            Ok(())
        );
        assert_eq!(
            check_decision(&reject(" "), None, &state(ReviewStatus::Rectified), today),
            Err(DecisionError::NoReason)
        );
        assert!(matches!(
            check_decision(&reject("x"), None, &state(ReviewStatus::Confirmed), today),
            Err(DecisionError::OutOfOrder { .. })
        ));
        let appeal = Decision::Appeal {
            reason: "外出".into(),
            evidence: None,
        };
        assert_eq!(
            check_decision(&appeal, None, &state(ReviewStatus::Confirmed), today),
            Ok(())
        );
        assert!(matches!(
            check_decision(&appeal, None, &state(ReviewStatus::Pending), today),
            Err(DecisionError::OutOfOrder { step: "appeal", .. })
        ));
        // A rejection's new deadline is the one in force.
        let decisions = [
            dated(
                "aa",
                10,
                Decision::RequireRectification {
                    deadline: day("2026-03-20"),
                    rejected: None,
                },
            ),
            dated("bb", 20, reject("照片不符")),
        ];
        let s = ReviewState::of(ReviewStatus::RectificationRequired, &decisions);
        assert_eq!(s.deadline, Some(day("2026-04-15")));
    }
}
