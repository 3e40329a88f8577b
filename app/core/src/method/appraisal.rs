//! The one definition of the public appraisal (万人评议): each aspect scored
//! (满意 × 22 + 基本满意 × 17 + 不满意 × 11) ÷ votes, the aspects added up
//! to a satisfaction out of 100, and the points below the threshold deducted.

use super::Rounding;
use crate::label::Label;
use crate::points::Points;
use crate::score::{Appraisal, AspectVotes};
use serde::{Deserialize, Serialize};

/// What an aspect scoring above its worth (22 when every vote is 满意) counts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AboveAspectMax {
    /// Counted as the aspect's worth: the five aspects add up to at most 100.
    Cap,
    /// Counted as computed: a total above 100 is kept.
    Keep,
}

/// The questionnaire's formula and what it deducts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppraisalRule {
    /// Weight of a 满意 vote.
    pub satisfied: Points,
    /// Weight of a 基本满意 vote.
    pub basically_satisfied: Points,
    /// Weight of a 不满意 vote.
    pub dissatisfied: Points,
    /// What one aspect is worth (20).
    pub aspect_max: Points,
    /// What an aspect above its worth counts as.
    pub above_max: AboveAspectMax,
    /// Satisfaction (percent) at or above which nothing is deducted (90).
    pub threshold: Points,
    /// Points deducted per percentage point below the threshold (1).
    pub per_point: Points,
}

impl AppraisalRule {
    /// One aspect's score, to hundredths, half up; no votes scores nothing.
    pub fn aspect_score(&self, votes: AspectVotes) -> Points {
        let total = i64::from(votes.total());
        if total == 0 {
            return Points::ZERO;
        }
        let weighted = i64::from(votes.satisfied) * self.satisfied.hundredths()
            + i64::from(votes.basically_satisfied) * self.basically_satisfied.hundredths()
            + i64::from(votes.dissatisfied) * self.dissatisfied.hundredths();
        let score = Points::from_hundredths((weighted * 2 + total) / (total * 2));
        match self.above_max {
            AboveAspectMax::Cap => score.min(self.aspect_max),
            AboveAspectMax::Keep => score,
        }
    }

    /// Satisfaction in percent: a rate as given, or the aspects' scores
    /// added up and scaled to 100 (five aspects of 20 add up to 100 as they are).
    pub fn satisfaction(&self, appraisal: &Appraisal) -> Option<Points> {
        match appraisal {
            Appraisal::Rate { percent } => Some(*percent),
            Appraisal::Votes { aspects } => {
                let voted: Vec<AspectVotes> =
                    aspects.iter().copied().filter(|a| a.total() > 0).collect();
                let n = i64::try_from(voted.len()).ok().filter(|n| *n > 0)?;
                let sum: i64 = voted
                    .iter()
                    .map(|a| self.aspect_score(*a).hundredths())
                    .sum();
                let worth = self.aspect_max.hundredths() * n;
                (worth > 0)
                    .then(|| Points::from_hundredths((sum * 10_000 * 2 + worth) / (worth * 2)))
            }
        }
    }

    /// What the appraisal deducts, part points as `rounding` states.
    pub fn deduction(&self, appraisal: &Appraisal, rounding: Rounding) -> Points {
        match self.satisfaction(appraisal) {
            Some(rate) if rate < self.threshold => {
                rounding.steps(self.per_point, 1, (self.threshold - rate).hundredths())
            }
            _ => Points::ZERO,
        }
    }

    /// The formula in words, with what is done above an aspect's worth.
    pub fn describe(&self) -> Label {
        let above = match self.above_max {
            AboveAspectMax::Cap => Label::new(
                format!(
                    "单项超过{}分（全部满意时为{}分）按{}分计",
                    self.aspect_max, self.satisfied, self.aspect_max
                ),
                format!(
                    "an aspect above {} (all satisfied gives {}) counts as {}",
                    self.aspect_max, self.satisfied, self.aspect_max
                ),
            ),
            AboveAspectMax::Keep => Label::new(
                format!("单项超过{}分按实际得分计", self.aspect_max),
                format!("an aspect above {} counts as computed", self.aspect_max),
            ),
        };
        Label::new(
            format!(
                "每项得分＝(满意票×{}＋基本满意票×{}＋不满意票×{})÷总票数，{}；各项相加为满意度（满分100），低于{}%的每个百分点扣{}分",
                self.satisfied,
                self.basically_satisfied,
                self.dissatisfied,
                above.zh,
                self.threshold,
                self.per_point
            ),
            format!(
                "each aspect scores (satisfied × {} + basically satisfied × {} + dissatisfied × {}) ÷ votes; {}; the aspects add up to the satisfaction (out of 100), and each percentage point below {} % costs {}",
                self.satisfied,
                self.basically_satisfied,
                self.dissatisfied,
                above.en,
                self.threshold,
                self.per_point
            ),
        )
    }
}
