//! The rounding rules a method states: how a part of a step (half a
//! percentage point) is deducted, and how a score is rounded before its
//! grade is read (the source's bands are whole numbers: 80–89, 60–79).

use crate::label::Label;
use crate::points::Points;
use serde::{Deserialize, Serialize};

/// How a part of a step is deducted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartPoints {
    /// In proportion, to hundredths of a point, half up (88.5 % costs 1.5).
    Proportional,
    /// Only whole steps count (88.5 % costs 1).
    WholeSteps,
}

/// How a score is rounded before its grade is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreRounding {
    /// To a whole number, half up: 79.5 reads as 80 (良好), 79.49 as 79.
    HalfUpToWhole,
    /// Not rounded: a band is reached only by reaching its lowest score.
    None,
}

/// The rounding rules of a method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rounding {
    /// Part steps.
    pub part_points: PartPoints,
    /// The score before its grade is read.
    pub score: ScoreRounding,
}

impl Rounding {
    /// `points` per `per` units for `units` (in hundredths of a unit).
    pub fn steps(self, points: Points, per: u32, units_hundredths: i64) -> Points {
        let per = i64::from(per.max(1)) * 100;
        match self.part_points {
            PartPoints::Proportional => {
                let num = points.hundredths() * units_hundredths;
                Points::from_hundredths((num * 2 + per) / (per * 2))
            }
            PartPoints::WholeSteps => {
                Points::from_hundredths(points.hundredths() * (units_hundredths / per))
            }
        }
    }

    /// The score its grade is read from.
    pub fn graded_score(self, score: Points) -> Points {
        match self.score {
            ScoreRounding::HalfUpToWhole => {
                Points::whole((score.hundredths() + 50).div_euclid(100))
            }
            ScoreRounding::None => score,
        }
    }

    /// The rules in words, for the screens and `anfang method show`.
    pub fn describe(self) -> Label {
        let part = match self.part_points {
            PartPoints::Proportional => Label::new(
                "不足一个扣分单位的部分按比例扣分，精确到0.01分（如满意率88.5%扣1.5分）",
                "part of a step is deducted in proportion, to 0.01 point (88.5 % satisfaction costs 1.5)",
            ),
            PartPoints::WholeSteps => Label::new(
                "只按整数个扣分单位扣分，不足部分不扣（如满意率88.5%扣1分）",
                "only whole steps are deducted (88.5 % satisfaction costs 1)",
            ),
        };
        let score = match self.score {
            ScoreRounding::HalfUpToWhole => Label::new(
                "评定等次前，得分四舍五入到整数（79.5分按80分评为良好）",
                "before the grade is read, the score is rounded half up to a whole number (79.5 is graded as 80, good)",
            ),
            ScoreRounding::None => Label::new(
                "得分不取整，达到等次下限才评为该等次（79.5分为合格）",
                "the score is not rounded: a grade is reached only at its lowest score (79.5 is a pass)",
            ),
        };
        Label::new(
            format!("{}；{}。", part.zh, score.zh),
            format!("{}; {}.", part.en, score.en),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROPORTIONAL: Rounding = Rounding {
        part_points: PartPoints::Proportional,
        score: ScoreRounding::HalfUpToWhole,
    };

    #[test]
    fn part_steps_follow_the_rule() {
        // 1.5 percentage points below 90, 1 point per point: 1.5.
        assert_eq!(
            PROPORTIONAL.steps(Points::whole(1), 1, 150),
            Points::from_hundredths(150)
        );
        let whole = Rounding {
            part_points: PartPoints::WholeSteps,
            ..PROPORTIONAL
        };
        assert_eq!(whole.steps(Points::whole(1), 1, 150), Points::whole(1));
        // 2 per 5 percentage points, 7 short: 2.8 or 2.
        assert_eq!(
            PROPORTIONAL.steps(Points::whole(2), 5, 700),
            Points::from_hundredths(280)
        );
        assert_eq!(whole.steps(Points::whole(2), 5, 700), Points::whole(2));
    }

    #[test]
    fn scores_round_half_up_before_grading() {
        let r = PROPORTIONAL;
        assert_eq!(
            r.graded_score(Points::from_hundredths(79_50)),
            Points::whole(80)
        );
        assert_eq!(
            r.graded_score(Points::from_hundredths(79_49)),
            Points::whole(79)
        );
        let none = Rounding {
            score: ScoreRounding::None,
            ..r
        };
        assert_eq!(
            none.graded_score(Points::from_hundredths(79_50)),
            Points::from_hundredths(79_50)
        );
    }
}
