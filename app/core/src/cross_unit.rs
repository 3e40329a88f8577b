//! Deductions that do not come from a unit's own findings: rules across
//! units that follow the register, and bulletins that named the unit. Each
//! is an extra line appended to the unit's breakdown, saying which section
//! of the assessment method it applies and where it came from.
//!
//! - 四(四)2 "被检查暗访通报的，每次扣10分": 10 points per issued bulletin
//!   naming the unit, once per bulletin, in the period holding its date.
//! - 四(四)3 "…每人次扣单位5分。下属单位人员，每人次扣主管单位3分": a
//!   subordinate unit's person-times of the items listed there (drinking at
//!   a workday lunch, leisure venues in work hours) also cost its parent
//!   unit 3 points each.
//! - 四(二) approval items not moved into the service center: the points
//!   land on the department whose items were not moved (the finding's
//!   subject), not on the center where the finding was recorded.

use crate::label::Label;
use crate::points::Points;
use serde::Serialize;

/// Section of the bulletin rule.
pub const BULLETIN_SECTION: &str = "四(四)2";
/// Points per issued bulletin naming a unit.
pub const BULLETIN_POINTS: Points = Points::whole(10);
/// Section of the subordinate-unit rule.
pub const PARENT_SECTION: &str = "四(四)3";
/// Points per person-time of a subordinate unit's staff, to its parent.
pub const PARENT_POINTS: Points = Points::whole(3);
/// The items 四(四)3 lists, as the built-in checklist names them:
/// drinking at a workday lunch, leisure venues in work hours.
pub const PARENT_ITEMS: [(&str, &str); 2] =
    [("core", "lunch-drinking"), ("core", "leisure-venues")];
/// Section of the service-center rule.
pub const MOVED_SECTION: &str = "四(二)";
/// The item of approval items not moved into the center (plugin, item).
pub const NOT_MOVED_ITEM: (&str, &str) = ("service-center", "center-items-not-moved");

/// One deduction appended to a unit's breakdown from outside its own findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExtraLine {
    /// The section of the assessment method applied, e.g. `四(四)2`.
    pub section: String,
    /// What it is for and where it came from, in both languages.
    pub reason: Label,
    /// Points deducted (negative when points move away from the unit).
    pub points: Points,
    /// What it came from: an event id, or a finding id.
    pub source: String,
}

/// Whether findings of this item count against a subordinate unit's parent.
pub fn counts_for_parent(plugin_id: &str, item_id: &str) -> bool {
    PARENT_ITEMS
        .iter()
        .any(|(p, i)| *p == plugin_id && *i == item_id)
}

/// The line a unit named in an issued bulletin gets.
pub fn bulletin_line(number: &str, date: jiff::civil::Date, event_id: &str) -> ExtraLine {
    ExtraLine {
        section: BULLETIN_SECTION.into(),
        reason: Label::new(
            format!("被检查暗访通报（{number}，{date}），每次扣10分"),
            format!("Named in issued bulletin {number} of {date}: 10 points per bulletin"),
        ),
        points: BULLETIN_POINTS,
        source: event_id.into(),
    }
}

/// The line a parent unit gets for `count` person-times of its subordinate
/// unit `child` on item `item`.
pub fn parent_line(child: &str, item: &Label, count: u32) -> ExtraLine {
    ExtraLine {
        section: PARENT_SECTION.into(),
        reason: Label::new(
            format!(
                "下属单位{child}人员：{}，{count}人次，每人次扣主管单位3分",
                item.zh
            ),
            format!(
                "Subordinate unit {child}: {}, {count} person-time(s), 3 points each to the supervising unit",
                item.en
            ),
        ),
        points: PARENT_POINTS * count,
        source: child.into(),
    }
}

/// The lines approval items not moved into the center make: the department
/// takes the points, the center where it was recorded gives them up.
pub fn moved_lines(
    center: &str,
    department: &str,
    points: Points,
    finding_id: &str,
) -> (ExtraLine, ExtraLine) {
    let to_department = ExtraLine {
        section: MOVED_SECTION.into(),
        reason: Label::new(
            format!("行政审批事项未进入行政服务中心办理（记录于{center}）"),
            format!("Approval items not moved into the service center (recorded at {center})"),
        ),
        points,
        source: finding_id.into(),
    };
    let from_center = ExtraLine {
        section: MOVED_SECTION.into(),
        reason: Label::new(
            format!("未进驻事项由{department}承担，不扣中心"),
            format!("Items not moved are {department}'s: not the center's deduction"),
        ),
        points: Points::ZERO - points,
        source: finding_id.into(),
    };
    (to_department, from_center)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_listed_items_reach_the_parent() {
        assert!(counts_for_parent("core", "lunch-drinking"));
        assert!(counts_for_parent("core", "leisure-venues"));
        assert!(!counts_for_parent("core", "late-arrival"));
        assert!(!counts_for_parent("other", "lunch-drinking"));
    }

    #[test]
    fn lines_carry_their_points_and_section() {
        let item = Label::new("工作日午餐饮酒", "Drinking at lunch");
        let line = parent_line("市税务局一分局", &item, 2);
        assert_eq!(line.points, Points::whole(6));
        assert_eq!(line.section, "四(四)3");
        assert!(line.reason.zh.contains("市税务局一分局"));
        let b = bulletin_line("效能办〔2026〕3号", jiff::civil::date(2026, 10, 8), "ab");
        assert_eq!(b.points, Points::whole(10));
        assert!(b.reason.zh.contains("效能办〔2026〕3号"));
        let (to, from) = moved_lines("中心", "市规划局", Points::whole(15), "f");
        assert_eq!(to.points + from.points, Points::ZERO);
    }
}
