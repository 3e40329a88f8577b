//! Deduction rules: how a violation of an item turns into points.

use crate::label::Label;
use crate::points::Points;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// What a count on an item counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountUnit {
    /// 人次: one person, one occurrence.
    PersonTime,
    /// 件次: one case or matter.
    Case,
    /// 次: one occurrence (e.g. named in a bulletin).
    Time,
    /// 项: one approval item.
    Item,
}

impl CountUnit {
    /// The unit's name, for "2 person-times" style display.
    pub fn label(self) -> Label {
        match self {
            CountUnit::PersonTime => Label::new("人次", "person-times"),
            CountUnit::Case => Label::new("件次", "cases"),
            CountUnit::Time => Label::new("次", "times"),
            CountUnit::Item => Label::new("项", "items"),
        }
    }
}

/// The kind of value an input of a computed rule takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputType {
    /// A whole number ≥ 0.
    Integer,
    /// Any decimal number.
    Number,
    /// A percentage, 0–100.
    Percent,
}

/// One named input of a computed rule (e.g. votes "satisfied").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputField {
    /// Key under which the value is passed to the score function.
    pub id: String,
    /// Label shown to the inspector.
    pub label: Label,
    /// Kind of value.
    #[serde(rename = "type")]
    pub input_type: InputType,
}

/// How a violation is priced. The JSON form is tagged by `kind`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Rule {
    /// Fixed points for each person-time, case, time or item counted.
    PerCount {
        /// What is counted.
        unit: CountUnit,
        /// Points per count.
        points: Points,
    },
    /// Points per case chosen within bounds by severity (e.g. 10–20).
    Range {
        /// What is counted.
        unit: CountUnit,
        /// Lowest points per count.
        min: Points,
        /// Highest points per count.
        max: Points,
    },
    /// A percentage below a threshold costs points per percentage point
    /// (satisfaction under 90 %: 1 point per point below).
    BelowThreshold {
        /// The percentage at or above which nothing is deducted.
        threshold: Points,
        /// Points per percentage point below the threshold.
        points_per_percent: Points,
    },
    /// The plugin's score function computes the points from the inputs.
    Computed {
        /// The inputs the inspector enters.
        inputs: Vec<InputField>,
        /// Upper bound the host accepts from the score function.
        max: Points,
    },
}

/// What the inspector entered for one finding, as far as pricing goes.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleInput {
    /// Person-times, cases, times or items counted.
    pub count: u32,
    /// Points per count chosen within a range rule's bounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chosen: Option<Points>,
    /// The percentage, for a below-threshold rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent: Option<Points>,
    /// Named inputs for a computed rule.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub values: serde_json::Map<String, serde_json::Value>,
}

/// Why a rule could not price a finding.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RuleError {
    /// A range rule needs a chosen value within its bounds.
    #[error("points per count {chosen} outside {min}–{max}")]
    OutOfRange {
        /// What was chosen.
        chosen: Points,
        /// Lower bound.
        min: Points,
        /// Upper bound.
        max: Points,
    },
    /// A value the rule needs is missing.
    #[error("missing {0}")]
    Missing(&'static str),
    /// A percentage outside 0–100.
    #[error("percentage {0} outside 0–100")]
    BadPercent(Points),
    /// The rule itself is malformed.
    #[error("{0}")]
    Malformed(String),
    /// Only the plugin can compute this rule.
    #[error("computed by plugin")]
    NeedsPlugin,
}

impl Rule {
    /// Checks the rule's own consistency (bounds in order, nothing negative).
    pub fn check(&self) -> Result<(), RuleError> {
        let negative = |p: Points| p < Points::ZERO;
        match *self {
            Rule::PerCount { points, .. } if negative(points) => {
                Err(RuleError::Malformed(format!("negative points {points}")))
            }
            Rule::Range { min, max, .. } if negative(min) || max < min => Err(
                RuleError::Malformed(format!("range {min}–{max} is not a valid range")),
            ),
            Rule::BelowThreshold {
                threshold,
                points_per_percent,
            } if negative(points_per_percent)
                || threshold < Points::ZERO
                || threshold > Points::whole(100) =>
            {
                Err(RuleError::Malformed(format!(
                    "threshold {threshold} or points {points_per_percent} out of bounds"
                )))
            }
            _ => Ok(()),
        }
    }

    /// The unit counted by this rule, if it counts anything.
    pub fn count_unit(&self) -> Option<CountUnit> {
        match self {
            Rule::PerCount { unit, .. } | Rule::Range { unit, .. } => Some(*unit),
            _ => None,
        }
    }

    /// Prices a violation. Computed rules answer [`RuleError::NeedsPlugin`]:
    /// the caller asks the plugin, and falls back to points entered by hand.
    pub fn deduction(&self, input: &RuleInput) -> Result<Points, RuleError> {
        match *self {
            Rule::PerCount { points, .. } => Ok(points * input.count),
            Rule::Range { min, max, .. } => {
                let chosen = input.chosen.unwrap_or(min);
                if chosen < min || chosen > max {
                    return Err(RuleError::OutOfRange { chosen, min, max });
                }
                Ok(chosen * input.count)
            }
            Rule::BelowThreshold {
                threshold,
                points_per_percent,
            } => {
                let percent = input.percent.ok_or(RuleError::Missing("percentage"))?;
                if percent < Points::ZERO || percent > Points::whole(100) {
                    return Err(RuleError::BadPercent(percent));
                }
                let below = (threshold - percent).at_least_zero();
                // below is in hundredths of a percentage point; the product is
                // in hundredths² and is scaled back to hundredths of a point.
                Ok(Points::from_hundredths(
                    below.hundredths() * points_per_percent.hundredths() / 100,
                ))
            }
            Rule::Computed { .. } => Err(RuleError::NeedsPlugin),
        }
    }

    /// Whether a recorded deduction follows this rule: a per-count rule's
    /// points × count, a range's chosen value within its bounds × count, a
    /// computed rule's 0..=max (the plugin or a hand entry set it). The
    /// ledger checks every finding with this, whatever its recorder claims.
    pub fn admits(&self, input: &RuleInput, points: Points) -> Result<(), String> {
        let expected = match self {
            Rule::Range { min, max, .. } => {
                let (low, high) = (*min * input.count, *max * input.count);
                return if points < low || points > high {
                    Err(format!("{points} outside {low}–{high}"))
                } else {
                    Ok(())
                };
            }
            Rule::Computed { max, .. } => {
                return if points < Points::ZERO || points > *max {
                    Err(format!("{points} outside 0–{max}"))
                } else {
                    Ok(())
                };
            }
            _ => self.deduction(input).map_err(|e| e.to_string())?,
        };
        if points == expected {
            Ok(())
        } else {
            Err(format!("{points} recorded, the rule gives {expected}"))
        }
    }

    /// Describes the rule in one short line, e.g. "2 分/人次" or "10–20 points per case".
    pub fn describe(&self, lang: crate::Lang) -> String {
        use crate::Lang::{En, Zh};
        match (self, lang) {
            (Rule::PerCount { unit, points }, Zh) => format!("{points}分/{}", unit.label().zh),
            (Rule::PerCount { unit, points }, En) => {
                format!("{points} pt per {}", singular(unit.label().en.as_str()))
            }
            (Rule::Range { unit, min, max }, Zh) => format!("{min}–{max}分/{}", unit.label().zh),
            (Rule::Range { unit, min, max }, En) => {
                format!("{min}–{max} pt per {}", singular(unit.label().en.as_str()))
            }
            (
                Rule::BelowThreshold {
                    threshold,
                    points_per_percent,
                },
                Zh,
            ) => format!("低于{threshold}%每点扣{points_per_percent}分"),
            (
                Rule::BelowThreshold {
                    threshold,
                    points_per_percent,
                },
                En,
            ) => format!("{points_per_percent} pt per % below {threshold}%"),
            (Rule::Computed { max, .. }, Zh) => format!("插件计算（≤{max}分）"),
            (Rule::Computed { max, .. }, En) => format!("computed (≤{max} pt)"),
        }
    }
}

fn singular(plural: &str) -> &str {
    plural.strip_suffix('s').unwrap_or(plural)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(count: u32) -> RuleInput {
        RuleInput {
            count,
            ..RuleInput::default()
        }
    }

    #[test]
    fn per_count_multiplies() {
        let rule = Rule::PerCount {
            unit: CountUnit::PersonTime,
            points: Points::whole(2),
        };
        assert_eq!(rule.deduction(&input(3)), Ok(Points::whole(6)));
    }

    #[test]
    fn range_rejects_values_outside_bounds() {
        let rule = Rule::Range {
            unit: CountUnit::Case,
            min: Points::whole(10),
            max: Points::whole(20),
        };
        let mut i = input(1);
        i.chosen = Some(Points::whole(15));
        assert_eq!(rule.deduction(&i), Ok(Points::whole(15)));
        i.chosen = Some(Points::whole(25));
        assert!(matches!(
            rule.deduction(&i),
            Err(RuleError::OutOfRange { .. })
        ));
    }

    #[test]
    fn below_threshold_counts_fractional_points() {
        let rule = Rule::BelowThreshold {
            threshold: Points::whole(90),
            points_per_percent: Points::whole(1),
        };
        let mut i = input(1);
        i.percent = Some(Points::from_hundredths(87_50));
        assert_eq!(rule.deduction(&i), Ok(Points::from_hundredths(2_50)));
        i.percent = Some(Points::whole(95));
        assert_eq!(rule.deduction(&i), Ok(Points::ZERO));
    }

    #[test]
    fn rule_json_is_tagged_by_kind() {
        let json = r#"{"kind":"per_count","unit":"person_time","points":1}"#;
        let rule: Result<Rule, _> = serde_json::from_str(json);
        assert!(matches!(rule, Ok(Rule::PerCount { .. })));
    }
}
