//! The checks a method must pass beyond its JSON Schema: bounds and
//! consistency the schema cannot express.

use super::{Method, RowPoints};
use crate::points::Points;
use crate::score::Grade;
use std::collections::HashSet;

/// One thing wrong with a method, said in one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct MethodProblem(pub String);

impl Method {
    /// Everything wrong with the method; empty when it may be published.
    pub fn problems(&self) -> Vec<MethodProblem> {
        let mut out = Vec::new();
        let mut say = |text: String| out.push(MethodProblem(text));
        if self.version == 0 {
            say("version 0: versions start at 1".into());
        }
        if self.rows.is_empty() {
            say("the method has no rows".into());
        }
        let mut seen = HashSet::new();
        for row in &self.rows {
            if !seen.insert(row.id.as_str()) {
                say(format!("row id '{}' appears twice", row.id));
            }
            if row.id.trim().is_empty() || row.section.trim().is_empty() {
                say(format!("row '{}' needs an id and a section", row.id));
            }
            if row.label.zh.trim().is_empty() || row.label.en.trim().is_empty() {
                say(format!("row '{}' needs a label in both languages", row.id));
            }
            match row.points {
                RowPoints::Per { points, per } => {
                    if points <= Points::ZERO || points > Points::FULL_SCORE {
                        say(format!("row '{}': points {points} outside 0–100", row.id));
                    }
                    if per == 0 {
                        say(format!("row '{}': per 0, give 1 or more", row.id));
                    }
                }
                RowPoints::Range { min, max } => {
                    if min <= Points::ZERO || max > Points::FULL_SCORE || min > max {
                        say(format!(
                            "row '{}': range {min}–{max} is not within 0–100, lowest first",
                            row.id
                        ));
                    }
                }
            }
        }
        let mut last: Option<Points> = None;
        for band in &self.grades {
            if band.min < Points::ZERO || band.min > Points::FULL_SCORE {
                say(format!(
                    "grade {}: lowest score {} outside 0–100",
                    band.grade.as_str(),
                    band.min
                ));
            }
            if last.is_some_and(|l| band.min >= l) {
                say(format!(
                    "grade {}: bands must go from the best down",
                    band.grade.as_str()
                ));
            }
            last = Some(band.min);
        }
        for grade in [Grade::Excellent, Grade::Good, Grade::Pass, Grade::Fail] {
            if !self.grades.iter().any(|b| b.grade == grade) {
                say(format!("grade {} has no band", grade.as_str()));
            }
        }
        if self.grades.last().is_some_and(|b| b.min > Points::ZERO) {
            say("the lowest band must start at 0".into());
        }
        let a = &self.appraisal;
        if a.aspect_max <= Points::ZERO
            || a.threshold < Points::ZERO
            || a.threshold > Points::whole(100)
            || a.per_point < Points::ZERO
        {
            say(
                "appraisal: aspect_max above 0, threshold within 0–100, per_point 0 or more".into(),
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::builtin;
    use super::*;

    #[test]
    fn the_builtin_method_has_no_problems_and_every_section_of_four() {
        let m = builtin::method();
        assert_eq!(m.problems(), vec![]);
        for section in [
            "四(一)1",
            "四(一)2",
            "四(二)",
            "四(三)1",
            "四(三)2",
            "四(四)1",
            "四(四)2",
            "四(四)3",
            "四(四)4",
            "四(四)5",
            "四(四)6",
            "四(五)1",
            "四(五)2",
            "四(五)3",
            "四(五)4",
            "四(六)1",
            "四(六)2",
        ] {
            assert!(m.rows.iter().any(|r| r.section == section), "{section}");
        }
    }

    #[test]
    fn problems_name_the_bad_value() {
        let mut m = builtin::method();
        m.rows[0].points = RowPoints::Range {
            min: Points::whole(20),
            max: Points::whole(10),
        };
        m.rows[1].id = m.rows[2].id.clone();
        let text: Vec<String> = m.problems().iter().map(ToString::to_string).collect();
        assert!(text.iter().any(|t| t.contains("20–10")), "{text:?}");
        assert!(text.iter().any(|t| t.contains("appears twice")), "{text:?}");
    }

    #[test]
    fn grades_are_read_after_rounding() {
        let m = builtin::method();
        assert_eq!(m.grade(Points::from_hundredths(79_50)), Grade::Good);
        assert_eq!(m.grade(Points::from_hundredths(79_49)), Grade::Pass);
        assert_eq!(m.grade(Points::from_hundredths(89_50)), Grade::Excellent);
        assert_eq!(m.grade(Points::whole(59)), Grade::Fail);
    }
}
