//! Rows with Chinese content for the format tests.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use anfang_core::core_checklists::core_manifest;
use anfang_core::finding::FindingResult;
use anfang_core::review::ReviewStatus;
use anfang_core::rule::RuleInput;
use anfang_core::visit::VisitKind;
use anfang_core::{Lang, Points};
use anfang_export::{ExportOptions, ExportRow, MemorySource, RectificationRow};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use uuid::Uuid;

pub fn at(text: &str) -> Timestamp {
    // Local Beijing time, as inspectors write it.
    let dt: jiff::civil::DateTime = text.parse().unwrap();
    TimeZone::get("Asia/Shanghai")
        .unwrap()
        .to_timestamp(dt)
        .unwrap()
}

pub fn options(lang: Lang) -> ExportOptions {
    let mut options = ExportOptions::new(lang);
    options.tz = TimeZone::get("Asia/Shanghai").unwrap();
    options.today = jiff::civil::date(2026, 3, 20);
    options
}

#[allow(clippy::too_many_arguments)]
pub fn row(
    n: u128,
    unit: &str,
    department: &str,
    item_id: &str,
    count: u32,
    when: &str,
    subject: Option<&str>,
    note: &str,
    status: ReviewStatus,
) -> ExportRow {
    let manifest = core_manifest();
    let (checklist, item) = manifest.item(item_id).unwrap();
    let input = RuleInput {
        count,
        ..RuleInput::default()
    };
    let points = item.rule.deduction(&input).unwrap_or(Points::ZERO);
    ExportRow {
        finding_id: Uuid::from_u128(n),
        visit_id: Uuid::from_u128(1000 + n / 3),
        event_id: format!("{n:064x}"),
        device_id: "ab".repeat(32),
        recorded_by: anfang_core::authority::Signer::OpenMode,
        observed_at: at(when),
        unit: unit.into(),
        department: department.into(),
        visit_kind: VisitKind::Unannounced,
        inspectors: vec!["王督查".into(), "李检查".into()],
        item: anfang_core::manifest::ItemRef {
            plugin_id: "core".into(),
            plugin_version: manifest.version.clone(),
            checklist_id: checklist.id.clone(),
            item_id: item.id.clone(),
        },
        checklist_label: checklist.label.clone(),
        item_label: item.label.clone(),
        result: FindingResult::Violation,
        input,
        count_unit: item.rule.count_unit(),
        points,
        subject: subject.map(str::to_owned),
        note: note.into(),
        status,
        deadline: (status == ReviewStatus::RectificationRequired)
            .then(|| jiff::civil::date(2026, 3, 15)),
        source: None,
        versions: 1,
        conflict: false,
        evidence_files: 0,
    }
}

pub const TAX: &str = "市税务局第一税务分局办税服务厅";
pub const PLAN: &str = "市规划局";

pub fn source() -> MemorySource {
    let rows = vec![
        row(
            1,
            TAX,
            "税务",
            "late-arrival",
            2,
            "2026-03-02T08:40",
            Some("张三、李四"),
            "张三、李四8:40仍未到岗，签到表显示已签到",
            ReviewStatus::Confirmed,
        ),
        row(
            2,
            TAX,
            "税务",
            "out-shopping",
            1,
            "2026-03-03T10:15",
            Some("张三"),
            "上班时间在商场购物",
            ReviewStatus::RectificationRequired,
        ),
        row(
            3,
            PLAN,
            "规划",
            "late-arrival",
            1,
            "2026-03-04T08:50",
            Some("工号0357"),
            "迟到二十分钟 \"备注\" <无> & 其他",
            ReviewStatus::Pending,
        ),
        row(
            4,
            PLAN,
            "规划",
            "early-leave",
            1,
            "2026-03-05T16:30",
            None,
            "窗口提前关闭",
            ReviewStatus::Dismissed,
        ),
        row(
            5,
            "市行政服务中心",
            "服务中心",
            "late-arrival",
            3,
            "2026-03-06T09:05",
            Some("赵六"),
            "三人迟到\n第二行说明",
            ReviewStatus::Verified,
        ),
    ];
    let rectification = RectificationRow {
        finding_id: Uuid::from_u128(2),
        unit: TAX.into(),
        department: "税务".into(),
        item_label: rows[1].item_label.clone(),
        subject: Some("张三".into()),
        note: "上班时间在商场购物".into(),
        observed_at: rows[1].observed_at,
        ordered_at: at("2026-03-04T09:00"),
        ordered_by: "效能办陈主任".into(),
        deadline: jiff::civil::date(2026, 3, 15),
        status: ReviewStatus::RectificationRequired,
        rectified_note: None,
        rectified_at: None,
        verified_at: None,
    };
    MemorySource {
        rows,
        rectifications: vec![rectification],
        appraisals: vec![],
        device: "cd".repeat(32),
    }
}
