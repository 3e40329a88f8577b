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
    /// The grade of a score. Fractional scores between bands (89.5) fall to
    /// the lower band: a band is reached only by reaching its lower bound.
    pub fn of(score: Points) -> Grade {
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
    /// capped at the aspect's 20 points. The source's formula gives up to 22;
    /// we cap because an aspect is worth 20 and a unit cannot gain more than
    /// the aspect's worth. No votes scores nothing.
    pub fn score(self) -> Points {
        let total = i64::from(self.total());
        if total == 0 {
            return Points::ZERO;
        }
        let weighted = i64::from(self.satisfied) * 22
            + i64::from(self.basically_satisfied) * 17
            + i64::from(self.dissatisfied) * 11;
        // Round to hundredths, half up.
        let hundredths = (weighted * 100 * 2 + total) / (total * 2);
        Points::from_hundredths(hundredths).min(ASPECT_MAX)
    }

    /// Share of satisfied and basically satisfied votes, in percent.
    pub fn satisfaction(self) -> Option<Points> {
        let total = i64::from(self.total());
        (total > 0).then(|| {
            let ok = i64::from(self.satisfied + self.basically_satisfied);
            Points::from_hundredths((ok * 100 * 100 * 2 + total) / (total * 2))
        })
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
    /// Overall satisfaction in percent: the given rate, or the share of
    /// satisfied and basically satisfied votes over all aspects.
    pub fn satisfaction(&self) -> Option<Points> {
        match self {
            Appraisal::Rate { percent } => Some(*percent),
            Appraisal::Votes { aspects } => {
                let sum = aspects
                    .iter()
                    .fold(AspectVotes::default(), |acc, v| AspectVotes {
                        satisfied: acc.satisfied + v.satisfied,
                        basically_satisfied: acc.basically_satisfied + v.basically_satisfied,
                        dissatisfied: acc.dissatisfied + v.dissatisfied,
                    });
                sum.satisfaction()
            }
        }
    }

    /// The deduction: 1 point per percentage point below 90 %.
    pub fn deduction(&self) -> Points {
        match self.satisfaction() {
            Some(rate) if rate < Points::whole(90) => {
                Points::from_hundredths((Points::whole(90) - rate).hundredths())
            }
            _ => Points::ZERO,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_follow_the_bands() {
        assert_eq!(Grade::of(Points::whole(100)), Grade::Excellent);
        assert_eq!(Grade::of(Points::whole(90)), Grade::Excellent);
        assert_eq!(Grade::of(Points::from_hundredths(89_99)), Grade::Good);
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
    fn appraisal_below_ninety_costs_a_point_per_percent() {
        let rate = Appraisal::Rate {
            percent: Points::whole(86),
        };
        assert_eq!(rate.deduction(), Points::whole(4));
    }
}
