//! The 100-point deduction method: scores, grades and public appraisal.

use crate::label::Label;
use crate::points::Points;
use serde::{Deserialize, Serialize};

/// A unit's grade for a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// 优秀: 90–100.
    Excellent,
    /// 良好: 80–89.
    Good,
    /// 合格: 60–79.
    Pass,
    /// 不合格: 59 and below; the unit must rectify within a deadline.
    Fail,
}

impl Grade {
    /// The grade of a score by the built-in method's bands, after its
    /// rounding: 79.5 reads as 80 (good), 79.49 as 79 (pass). A published
    /// method grades with [`crate::method::Method::grade`].
    pub fn of(score: Points) -> Grade {
        let score = crate::method::builtin::ROUNDING.graded_score(score);
        if score >= Points::whole(90) {
            Grade::Excellent
        } else if score >= Points::whole(80) {
            Grade::Good
        } else if score >= Points::whole(60) {
            Grade::Pass
        } else {
            Grade::Fail
        }
    }

    /// Stable machine name: `excellent`, `good`, `pass`, `fail`.
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Excellent => "excellent",
            Grade::Good => "good",
            Grade::Pass => "pass",
            Grade::Fail => "fail",
        }
    }

    /// The grade's name in both languages.
    pub fn label(self) -> Label {
        match self {
            Grade::Excellent => Label::new("优秀", "excellent"),
            Grade::Good => Label::new("良好", "good"),
            Grade::Pass => Label::new("合格", "pass"),
            Grade::Fail => Label::new("不合格", "fail"),
        }
    }
}

/// 100 minus the deductions, never below 0.
pub fn score(deductions: impl IntoIterator<Item = Points>) -> Points {
    (Points::FULL_SCORE - deductions.into_iter().sum::<Points>()).at_least_zero()
}

/// Votes on one aspect of the public appraisal questionnaire (万人评议).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AspectVotes {
    /// 满意.
    pub satisfied: u32,
    /// 基本满意.
    pub basically_satisfied: u32,
    /// 不满意.
    pub dissatisfied: u32,
}

/// The most an aspect can score.
pub const ASPECT_MAX: Points = Points::whole(20);

impl AspectVotes {
    /// All votes cast on this aspect.
    pub fn total(self) -> u32 {
        self.satisfied + self.basically_satisfied + self.dissatisfied
    }

    /// (satisfied × 22 + basically satisfied × 17 + dissatisfied × 11) ÷ votes,
    /// by the built-in method ([`crate::method::AppraisalRule::aspect_score`]):
    /// an aspect above its 20 (22 when every vote is 满意) counts as 20.
    /// No votes scores nothing.
    pub fn score(self) -> Points {
        crate::method::builtin::APPRAISAL.aspect_score(self)
    }
}

/// Public appraisal results entered for a unit and period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "form", rename_all = "snake_case", deny_unknown_fields)]
pub enum Appraisal {
    /// Votes on the five aspects.
    Votes {
        /// One entry per aspect, in the questionnaire's order.
        aspects: Vec<AspectVotes>,
    },
    /// A satisfaction rate reported directly.
    Rate {
        /// Percent satisfied (0–100).
        percent: Points,
    },
}

impl Appraisal {
    /// Overall satisfaction in percent by the built-in method: the given
    /// rate, or the aspects' formula scores added up (the one definition,
    /// [`crate::method::AppraisalRule::satisfaction`]).
    pub fn satisfaction(&self) -> Option<Points> {
        crate::method::builtin::APPRAISAL.satisfaction(self)
    }

    /// The deduction by the built-in method: 1 point per percentage point
    /// below 90 %, part points in proportion.
    pub fn deduction(&self) -> Points {
        crate::method::builtin::APPRAISAL.deduction(self, crate::method::builtin::ROUNDING)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_follow_the_bands() {
        assert_eq!(Grade::of(Points::whole(100)), Grade::Excellent);
        assert_eq!(Grade::of(Points::whole(90)), Grade::Excellent);
        assert_eq!(Grade::of(Points::from_hundredths(89_49)), Grade::Good);
        assert_eq!(Grade::of(Points::from_hundredths(89_50)), Grade::Excellent);
        assert_eq!(Grade::of(Points::whole(60)), Grade::Pass);
        assert_eq!(Grade::of(Points::whole(59)), Grade::Fail);
    }

    #[test]
    fn score_never_goes_below_zero() {
        assert_eq!(score([Points::whole(70), Points::whole(50)]), Points::ZERO);
        assert_eq!(
            score([Points::whole(3), Points::whole(2)]),
            Points::whole(95)
        );
    }

    #[test]
    fn aspect_formula_is_capped_at_twenty() {
        let all_satisfied = AspectVotes {
            satisfied: 10,
            basically_satisfied: 0,
            dissatisfied: 0,
        };
        assert_eq!(all_satisfied.score(), ASPECT_MAX);
        let mixed = AspectVotes {
            satisfied: 1,
            basically_satisfied: 1,
            dissatisfied: 1,
        };
        // (22 + 17 + 11) / 3 = 16.67
        assert_eq!(mixed.score(), Points::from_hundredths(16_67));
    }

    #[test]
    fn votes_are_scored_by_the_formula_not_by_a_share_of_votes() {
        // Every aspect all 基本满意: 17 each, 85 in all, 5 below 90.
        let votes = Appraisal::Votes {
            aspects: vec![
                AspectVotes {
                    satisfied: 0,
                    basically_satisfied: 4,
                    dissatisfied: 0,
                };
                5
            ],
        };
        assert_eq!(votes.satisfaction(), Some(Points::whole(85)));
        assert_eq!(votes.deduction(), Points::whole(5));
    }

    #[test]
    fn appraisal_below_ninety_costs_a_point_per_percent() {
        let rate = Appraisal::Rate {
            percent: Points::whole(86),
        };
        assert_eq!(rate.deduction(), Points::whole(4));
    }
}
