//! The built-in method: the source's 考评办法 (`shared/seeds/004_*.txt`,
//! 篇6), every row of section 四, the grades of 六, and the public
//! appraisal of 篇5. The source states no rounding and says nothing about
//! an aspect above 20; the rules below are the ones this tool states.

use super::{
    AboveAspectMax, AppraisalRule, CountUnit, GradeBand, Method, MethodRow, PartPoints, Rounding,
    RowPoints, RowSource, ScoreRounding,
};
use crate::label::Label;
use crate::points::Points;
use crate::score::Grade;

/// The built-in method's version.
pub const BUILTIN_VERSION: u32 = 1;

fn per(points: i64) -> RowPoints {
    RowPoints::Per {
        points: Points::whole(points),
        per: 1,
    }
}

fn range(min: i64, max: i64) -> RowPoints {
    RowPoints::Range {
        min: Points::whole(min),
        max: Points::whole(max),
    }
}

fn row(
    id: &str,
    section: &str,
    zh: &str,
    en: &str,
    unit: CountUnit,
    points: RowPoints,
    source: RowSource,
) -> MethodRow {
    MethodRow {
        id: id.into(),
        section: section.into(),
        label: Label::new(zh, en),
        unit,
        points,
        source,
        parent_points: None,
        checklist_items: Vec::new(),
    }
}

/// The rows of section 四, in the source's order.
fn rows() -> Vec<MethodRow> {
    use CountUnit::{Case, Item, PercentagePoint, PersonTime, Time};
    use RowSource::{Appraisal, Office, Visit};
    let mut drinking = row(
        "drinking-leisure",
        "四(四)3",
        "工作日午餐饮酒（公共接待除外）、上班时间在茶社、棋牌室、洗浴场所、歌舞厅等场所休闲娱乐",
        "drinking at a workday lunch (official receptions excepted), leisure at teahouses, card rooms, bath houses or karaoke in work hours",
        PersonTime,
        per(5),
        Visit,
    );
    drinking.parent_points = Some(Points::whole(3));
    let mut windows = row(
        "appraisal-windows",
        "四(六)2",
        "行政服务中心各办事窗口民主评议满意率低于90%（每降低一个百分点扣1分）",
        "service-center windows' democratic appraisal below 90 % (1 point per percentage point)",
        PercentagePoint,
        per(1),
        Appraisal,
    );
    windows.checklist_items = vec!["service-center/center-window-appraisal".into()];
    vec![
        row(
            "task-overdue",
            "四(一)1",
            "明确要求落实或重点督查的工作任务不按时落实",
            "an assigned or supervised task not done on time",
            Case,
            per(4),
            Office,
        ),
        row(
            "task-harmful",
            "四(一)1",
            "因工作不落实而对全局工作造成不利影响",
            "a task not done that harmed the wider work",
            Case,
            per(5),
            Office,
        ),
        row(
            "instruction-perfunctory",
            "四(一)2",
            "领导批示交办的重要事项敷衍塞责、不认真办理或无正当理由不按时上报办理结果",
            "a leader's instruction handled perfunctorily or its result not reported on time",
            Case,
            per(3),
            Office,
        ),
        row(
            "proposal-overdue",
            "四(一)2",
            "人大代表、政协委员提案不按时办结反馈",
            "a deputy's or CPPCC member's proposal not answered on time",
            Case,
            per(3),
            Office,
        ),
        row(
            "approval-not-moved",
            "四(二)",
            "行政审批事项未进入行政服务中心办理（扣30分，每少一项扣除相应分值）",
            "approval items not moved into the service center (30 points, less for each item moved)",
            Item,
            range(1, 30),
            Office,
        ),
        row(
            "accept-only",
            "四(二)",
            "只受理不授权或两头受理",
            "accepting without authority to decide, or double acceptance",
            Item,
            per(5),
            Visit,
        ),
        row(
            "over-promised-time",
            "四(二)",
            "超承诺时限办结",
            "finished past the promised time",
            Item,
            per(2),
            Visit,
        ),
        row(
            "complaint-overdue",
            "四(三)1",
            "领导信箱、微博转办件、效能投诉件、行风热线转办件无正当理由逾期未办结",
            "a complaint or hotline case overdue without good reason",
            Case,
            per(1),
            Office,
        ),
        row(
            "complaint-redone",
            "四(三)1",
            "因办理不认真被退回重办",
            "a complaint case returned for redo",
            Case,
            per(2),
            Office,
        ),
        row(
            "complaint-false-result",
            "四(三)1",
            "经核实办理结果与事实不符，造成不良影响",
            "a complaint's result contradicts the facts, with bad influence",
            Case,
            per(5),
            Office,
        ),
        row(
            "petition-overdue",
            "四(三)2",
            "信访件和越级上访案件未按时限和要求办理",
            "a petition (信访) not handled in time or as required",
            Case,
            per(1),
            Office,
        ),
        row(
            "petition-perfunctory",
            "四(三)2",
            "信访件敷衍塞责，处理不认真不到位",
            "a petition handled perfunctorily",
            Case,
            per(2),
            Office,
        ),
        row(
            "petition-backlog",
            "四(三)2",
            "未完成信访积案化解目标任务（每少5个百分点扣2分）",
            "the petition backlog target missed (2 points per 5 percentage points short)",
            PercentagePoint,
            RowPoints::Per {
                points: Points::whole(2),
                per: 5,
            },
            Office,
        ),
        row(
            "meeting-absent",
            "四(四)1",
            "未经同意无故缺席重要会议及重要活动",
            "absent from an important meeting or event without leave",
            Time,
            per(2),
            Office,
        ),
        row(
            "meeting-late",
            "四(四)1",
            "参会迟到、早退",
            "late for or leaving early from a meeting",
            Time,
            per(1),
            Office,
        ),
        row(
            "meeting-report-late",
            "四(四)1",
            "不能按时按要求上报参会有关情况",
            "meeting attendance not reported on time",
            Time,
            per(2),
            Office,
        ),
        row(
            "bulletin-named",
            "四(四)2",
            "因机关作风效能问题被检查暗访通报",
            "named in an inspection or unannounced-visit bulletin for work-style problems",
            Time,
            per(10),
            Office,
        ),
        drinking,
        row(
            "non-work-online",
            "四(四)4",
            "上班时间网上聊天、玩电脑游戏、看影视节目、炒股或从事其他与工作无关的事",
            "chatting online, games, videos, stocks or other non-work in work hours",
            PersonTime,
            per(2),
            Visit,
        ),
        row(
            "dress",
            "四(四)5",
            "不遵守仪表着装规定",
            "dress and appearance rules broken",
            PersonTime,
            per(1),
            Visit,
        ),
        row(
            "attendance",
            "四(四)6",
            "不遵守上下班制度，迟到、早退或外出逛街、非因公购物",
            "late arrival, early leave, or out shopping in work hours",
            PersonTime,
            per(1),
            Visit,
        ),
        row(
            "discipline-case",
            "四(五)1",
            "违反党纪、国家法律法规，行政不作为、乱作为及损害群众利益，被执法执纪部门处理（视情节轻重）",
            "inaction, misconduct or harm to the public punished by a discipline body (by severity)",
            Case,
            range(10, 20),
            Office,
        ),
        row(
            "public-incident",
            "四(五)2",
            "不履行或不正确履行职责，造成公共事件、公共危机或群体性事件（视情节轻重）",
            "failing duties that caused a public incident or crisis (by severity)",
            Case,
            range(10, 20),
            Office,
        ),
        row(
            "low-efficiency",
            "四(五)3",
            "办事效率低、服务态度差，经调查属实",
            "low efficiency or poor service attitude, verified",
            Case,
            per(5),
            Office,
        ),
        row(
            "vice-drunk-driving",
            "四(五)4",
            "参与黄赌毒或酒后驾车等造成不良影响",
            "pornography, gambling, drugs or drunk driving with bad influence",
            Case,
            per(10),
            Office,
        ),
        row(
            "appraisal-departments",
            "四(六)1",
            "部门及内设重点科室民主评议满意率低于90%（每降低一个百分点扣1分）",
            "departments' democratic appraisal below 90 % (1 point per percentage point)",
            PercentagePoint,
            per(1),
            Appraisal,
        ),
        windows,
    ]
}

/// The public appraisal of 篇5, with the cap at 20 this tool states.
pub const APPRAISAL: AppraisalRule = AppraisalRule {
    satisfied: Points::whole(22),
    basically_satisfied: Points::whole(17),
    dissatisfied: Points::whole(11),
    aspect_max: Points::whole(20),
    above_max: AboveAspectMax::Cap,
    threshold: Points::whole(90),
    per_point: Points::whole(1),
};

/// The rounding this tool states for the source, which states none.
pub const ROUNDING: Rounding = Rounding {
    part_points: PartPoints::Proportional,
    score: ScoreRounding::HalfUpToWhole,
};

/// The built-in method.
pub fn method() -> Method {
    let band = |grade, min| GradeBand {
        grade,
        min: Points::whole(min),
    };
    Method {
        version: BUILTIN_VERSION,
        title: Label::new(
            "作风效能建设工作考评办法（试行）",
            "Work-style and efficiency assessment method (trial)",
        ),
        rows: rows(),
        grades: vec![
            band(Grade::Excellent, 90),
            band(Grade::Good, 80),
            band(Grade::Pass, 60),
            band(Grade::Fail, 0),
        ],
        rounding: ROUNDING,
        appraisal: APPRAISAL,
    }
}
