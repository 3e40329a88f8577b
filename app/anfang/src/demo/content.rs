//! What the demo is made of: units named after the source documents,
//! inspectors, and Chinese evidence notes per checklist item.

/// A unit with its department.
pub struct DemoUnit {
    /// Unit name.
    pub name: &'static str,
    /// Department.
    pub department: &'static str,
}

/// Units from the sources: service halls, bureaus and windows.
pub const UNITS: &[DemoUnit] = &[
    DemoUnit {
        name: "市税务局第一税务分局办税服务厅",
        department: "税务",
    },
    DemoUnit {
        name: "市税务局第二税务分局办税服务厅",
        department: "税务",
    },
    DemoUnit {
        name: "市规划局建设工程规划许可窗口",
        department: "规划",
    },
    DemoUnit {
        name: "市行政服务中心",
        department: "行政服务中心",
    },
    DemoUnit {
        name: "市住房和城乡建设局",
        department: "住建",
    },
    DemoUnit {
        name: "市财政局",
        department: "财政",
    },
    DemoUnit {
        name: "市人力资源和社会保障局社保窗口",
        department: "人社",
    },
    DemoUnit {
        name: "市公安局出入境接待大厅",
        department: "公安",
    },
    DemoUnit {
        name: "市不动产登记中心",
        department: "自然资源",
    },
    DemoUnit {
        name: "市市场监督管理局登记窗口",
        department: "市场监管",
    },
];

/// Inspection teams; each travels with one laptop.
pub const TEAMS: &[&[&str]] = &[
    &["张明", "李华"],
    &["王芳", "刘洋"],
    &["陈静", "赵磊", "孙丽"],
];

/// The office reviewer (on the office's own device).
pub const REVIEWER: &str = "效能办 周建国";

/// A second reviewer on another office laptop, whose decision on one
/// finding differs: after a merge both stand in the history.
pub const SECOND_REVIEWER: &str = "效能办 赵科长";

/// Violations each unit of [`UNITS`] shows over the demo's months, in the
/// same order: a couple of well-run units, most in between, two with
/// serious problems, so the year's grades spread as in a real office.
pub const YEARLY_VIOLATIONS: &[u32] = &[5, 2, 8, 11, 4, 18, 7, 1, 9, 22];

/// Public appraisal results: (index into [`UNITS`], satisfaction in hundredths of a percent).
pub const APPRAISALS: &[(usize, i64)] = &[(0, 86_00), (3, 92_50), (6, 88_50), (7, 95_00)];

/// Staff named in findings: badge numbers and names as inspectors note them.
pub const SUBJECTS: &[&str] = &[
    "工号A1023",
    "工号A1047",
    "工号B2011",
    "3号窗口",
    "5号窗口",
    "8号窗口",
    "窗口工作人员（女，约30岁）",
    "值班人员",
    "科员小吴",
    "工号C3306",
    "导税台",
    "综合受理窗口",
];

/// Item id, relative frequency, and note templates for violations.
pub const VIOLATIONS: &[(&str, u64, &[&str])] = &[
    (
        "late-arrival",
        18,
        &[
            "8:30上班，该工作人员8:47到岗，未履行请假手续。",
            "上班时间已过十五分钟，窗口仍无人，工作人员称路上堵车。",
        ],
    ),
    (
        "not-on-post",
        10,
        &["9:05检查时工位空置，同事称其“出去办点事”，未见去向登记。"],
    ),
    (
        "no-whereabouts-note",
        8,
        &["离岗约二十分钟，去向公示牌未填写。"],
    ),
    (
        "early-leave",
        6,
        &["16:40即收拾物品离开，距下班时间尚有五十分钟。"],
    ),
    (
        "out-shopping",
        3,
        &["上班时间在附近商场购物，暗访人员拍照取证。"],
    ),
    (
        "online-leisure",
        14,
        &[
            "工作时间用电脑看电视剧，见到暗访人员后切换页面。",
            "手机浏览股票行情约十分钟，窗口前有群众等候。",
            "电脑屏幕上开着网络游戏界面。",
        ],
    ),
    (
        "cards-idle-chat",
        6,
        &["两名工作人员在后台闲聊二十余分钟，群众排队未处理。"],
    ),
    ("dress-code", 7, &["穿拖鞋上岗，着装不符合窗口规范。"]),
    (
        "no-badge",
        9,
        &[
            "未佩戴工作牌，询问时不愿告知姓名。",
            "工作牌放在抽屉内，未按规定佩戴。",
        ],
    ),
    (
        "one-time-notice",
        6,
        &["群众反映第三次来补材料，前两次均未一次性告知所需清单。"],
    ),
    (
        "four-ones",
        5,
        &["群众到窗口询问，工作人员头也不抬，未起身未问候，未提供座椅。"],
    ),
    (
        "four-difficulties",
        3,
        &["工作人员语气生硬：“不知道，自己看墙上”，群众不满离开。"],
    ),
    (
        "first-inquiry",
        3,
        &["群众询问业务办理地点，工作人员称“不归我管”，未指引。"],
    ),
    (
        "overdue-case",
        4,
        &["抽查办件台账，2件超过承诺时限仍未办结。"],
    ),
    (
        "complaint-channel-missing",
        2,
        &["大厅未见投诉箱，投诉电话公示牌被遮挡。"],
    ),
    (
        "commitments-not-posted",
        2,
        &["服务承诺公示栏内容已过期，未更新。"],
    ),
    (
        "ab-post-uncovered",
        3,
        &["A岗休假，B岗未到位，群众业务无法办理。"],
    ),
    (
        "lunch-drinking",
        1,
        &["工作日午间在附近饭店饮酒，下午上班时有酒气。"],
    ),
    (
        "eat-take-obstruct",
        1,
        &["群众反映办事需“意思意思”，经核实存在刁难行为。"],
    ),
    (
        "accept-only",
        1,
        &["窗口只收件不审批，材料转回局机关二次受理。"],
    ),
];

/// Notes for items found in order.
pub const COMPLIANT_NOTES: &[&str] = &[
    "在岗在位，着装规范。",
    "窗口服务热情，一次性告知到位。",
    "考勤记录与在岗情况一致。",
];

/// Reasons a reviewer dismisses a finding.
pub const DISMISS_REASONS: &[&str] = &[
    "经核实，当事人当日已按规定请假，去向登记在另一登记本。",
    "照片无法辨认当事人，证据不足。",
];

/// What units report when they have rectified.
pub const RECTIFIED_NOTES: &[&str] = &[
    "已对当事人进行批评教育，单位内部通报，并完善考勤制度。",
    "已重新制作公示牌并张贴，设置投诉箱。",
];
