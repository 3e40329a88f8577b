//! What an office deduction of a row comes to: its count and, for a range
//! row, the points per unit chosen within the range.

use super::{MethodRow, Rounding, RowPoints, RowSource};
use crate::points::Points;

/// Why an office deduction cannot be entered as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeductionError {
    /// The row is observed on visits or comes from the appraisal.
    #[error("item '{item}' ({section}) is not an office deduction: it is {origin}")]
    NotOffice {
        /// The row id.
        item: String,
        /// Its section.
        section: String,
        /// `observed on visits` or `from the public appraisal`.
        origin: &'static str,
    },
    /// A count of zero deducts nothing.
    #[error("count 0 for item '{item}': give 1 or more")]
    ZeroCount {
        /// The row id.
        item: String,
    },
    /// A range row needs the points chosen.
    #[error("item '{item}' deducts {min} to {max} per case by severity: give --points")]
    NeedsPoints {
        /// The row id.
        item: String,
        /// Fewest points.
        min: Points,
        /// Most points.
        max: Points,
    },
    /// Points outside the row's range.
    #[error("points {points} outside item '{item}''s range {min}–{max}")]
    OutOfRange {
        /// The row id.
        item: String,
        /// What was given.
        points: Points,
        /// Fewest points.
        min: Points,
        /// Most points.
        max: Points,
    },
    /// Points given for a row whose points are fixed.
    #[error(
        "points {points} given, but item '{item}' deducts {fixed} per {per}: give --count only"
    )]
    FixedPoints {
        /// The row id.
        item: String,
        /// What was given.
        points: Points,
        /// What the row deducts per step.
        fixed: Points,
        /// Units per step.
        per: u32,
    },
}

impl MethodRow {
    /// The points an office deduction of this row takes: `count` units
    /// (1 when absent) at the row's points, or at `points` per unit within
    /// a range row's range; part steps as `rounding` states.
    pub fn deduction(
        &self,
        count: Option<u32>,
        points: Option<Points>,
        rounding: Rounding,
    ) -> Result<Points, DeductionError> {
        let item = || self.id.clone();
        match self.source {
            RowSource::Office => {}
            RowSource::Visit => {
                return Err(DeductionError::NotOffice {
                    item: item(),
                    section: self.section.clone(),
                    origin: "observed on visits",
                });
            }
            RowSource::Appraisal => {
                return Err(DeductionError::NotOffice {
                    item: item(),
                    section: self.section.clone(),
                    origin: "from the public appraisal",
                });
            }
        }
        let count = count.unwrap_or(1);
        if count == 0 {
            return Err(DeductionError::ZeroCount { item: item() });
        }
        match (self.points, points) {
            (RowPoints::Per { points: fixed, per }, Some(given)) => {
                Err(DeductionError::FixedPoints {
                    item: item(),
                    points: given,
                    fixed,
                    per,
                })
            }
            (RowPoints::Per { points, per }, None) => {
                Ok(rounding.steps(points, per, i64::from(count) * 100))
            }
            (RowPoints::Range { min, max }, None) => Err(DeductionError::NeedsPoints {
                item: item(),
                min,
                max,
            }),
            (RowPoints::Range { min, max }, Some(given)) if given < min || given > max => {
                Err(DeductionError::OutOfRange {
                    item: item(),
                    points: given,
                    min,
                    max,
                })
            }
            (RowPoints::Range { .. }, Some(given)) => Ok(given * count),
        }
    }
}

impl DeductionError {
    /// The error in `lang`.
    pub fn text(&self, lang: crate::Lang) -> String {
        if lang == crate::Lang::En {
            return self.to_string();
        }
        match self {
            DeductionError::NotOffice { item, section, .. } => {
                format!("扣分项 '{item}'（{section}）不是效能办扣分：请在检查或民主评议中记录")
            }
            DeductionError::ZeroCount { item } => format!("扣分项 '{item}' 的次数为 0：至少为 1"),
            DeductionError::NeedsPoints { item, min, max } => {
                format!("扣分项 '{item}' 视情节轻重每件次扣 {min}—{max} 分：请用 --points 给出分值")
            }
            DeductionError::OutOfRange {
                item,
                points,
                min,
                max,
            } => format!("分值 {points} 超出扣分项 '{item}' 的范围 {min}—{max}"),
            DeductionError::FixedPoints {
                item,
                points,
                fixed,
                per,
            } => format!(
                "给出了分值 {points}，但扣分项 '{item}' 固定每{per}个单位扣 {fixed} 分：只需 --count"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::builtin;
    use super::*;

    #[test]
    fn per_rows_multiply_and_range_rows_take_the_chosen_points() {
        let m = builtin::method();
        let r = m.rounding;
        let meeting = m.row("meeting-absent").unwrap();
        assert_eq!(meeting.deduction(Some(2), None, r), Ok(Points::whole(4)));
        let backlog = m.row("petition-backlog").unwrap();
        // 7 percentage points short, 2 per 5: 2.8.
        assert_eq!(
            backlog.deduction(Some(7), None, r),
            Ok(Points::from_hundredths(280))
        );
        let case = m.row("discipline-case").unwrap();
        assert_eq!(
            case.deduction(Some(1), Some(Points::whole(15)), r),
            Ok(Points::whole(15))
        );
        assert!(matches!(
            case.deduction(Some(1), Some(Points::whole(25)), r),
            Err(DeductionError::OutOfRange { .. })
        ));
        assert!(matches!(
            case.deduction(None, None, r),
            Err(DeductionError::NeedsPoints { .. })
        ));
        assert!(matches!(
            meeting.deduction(None, Some(Points::whole(3)), r),
            Err(DeductionError::FixedPoints { .. })
        ));
        let late = m.row("attendance").unwrap();
        assert!(matches!(
            late.deduction(Some(1), None, r),
            Err(DeductionError::NotOffice { .. })
        ));
    }

    #[test]
    fn errors_name_the_bad_value() {
        let m = builtin::method();
        let case = m.row("discipline-case").unwrap();
        let err = case
            .deduction(Some(1), Some(Points::whole(25)), m.rounding)
            .unwrap_err()
            .to_string();
        assert!(err.contains("25") && err.contains("10–20"), "{err}");
    }
}
