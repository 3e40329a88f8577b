//! The findings table's columns, shared by CSV and the XLSX findings sheet,
//! so both say the same thing under the same headers.

use crate::cell::Cell;
use crate::row::ExportRow;
use anfang_core::finding::FindingResult;
use anfang_core::rule::RuleInput;
use anfang_core::{Label, Lang};
use jiff::tz::TimeZone;
use std::borrow::Cow;

/// One column of the findings table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// When observed (local time).
    ObservedAt,
    /// Unit name.
    Unit,
    /// Department.
    Department,
    /// Unannounced or open.
    VisitKind,
    /// Checklist title.
    Checklist,
    /// Item title.
    Item,
    /// Violation, compliant, n/a.
    Result,
    /// Count.
    Count,
    /// What the count counts.
    CountUnit,
    /// Points deducted.
    Points,
    /// Person, badge or window.
    Subject,
    /// Evidence note.
    Note,
    /// The inspection team.
    Inspectors,
    /// The roster's person of the recording device, with its fingerprint.
    RecordedBy,
    /// Review status.
    Status,
    /// Rectification deadline.
    Deadline,
    /// `plugin:item` id, for machines and re-import.
    ItemId,
    /// Finding id.
    FindingId,
    /// Versions recorded.
    Versions,
    /// Evidence files attached.
    Evidence,
    /// Recording event id.
    EventId,
    /// Recording device id.
    DeviceId,
    /// Imported file and row.
    Source,
}

impl Column {
    /// Every column, in table order.
    pub const ALL: [Column; 23] = [
        Column::ObservedAt,
        Column::Unit,
        Column::Department,
        Column::VisitKind,
        Column::Checklist,
        Column::Item,
        Column::Result,
        Column::Count,
        Column::CountUnit,
        Column::Points,
        Column::Subject,
        Column::Note,
        Column::Inspectors,
        Column::RecordedBy,
        Column::Status,
        Column::Deadline,
        Column::ItemId,
        Column::FindingId,
        Column::Versions,
        Column::Evidence,
        Column::EventId,
        Column::DeviceId,
        Column::Source,
    ];

    /// The header in both languages.
    pub fn header(self) -> Label {
        let (zh, en) = match self {
            Column::ObservedAt => ("发现时间", "Observed at"),
            Column::Unit => ("单位", "Unit"),
            Column::Department => ("部门", "Department"),
            Column::VisitKind => ("检查方式", "Visit kind"),
            Column::Checklist => ("检查表", "Checklist"),
            Column::Item => ("检查项", "Item"),
            Column::Result => ("结果", "Result"),
            Column::Count => ("数量", "Count"),
            Column::CountUnit => ("计量单位", "Count unit"),
            Column::Points => ("扣分", "Points"),
            Column::Subject => ("对象", "Subject"),
            Column::Note => ("情况说明", "Note"),
            Column::Inspectors => ("检查人员", "Inspectors"),
            Column::RecordedBy => ("记录人", "Recorded by"),
            Column::Status => ("审核状态", "Status"),
            Column::Deadline => ("整改期限", "Deadline"),
            Column::ItemId => ("检查项编号", "Item id"),
            Column::FindingId => ("问题编号", "Finding id"),
            Column::Versions => ("版本数", "Versions"),
            Column::Evidence => ("证据文件数", "Evidence files"),
            Column::EventId => ("记录事件", "Event id"),
            Column::DeviceId => ("记录设备", "Device id"),
            Column::Source => ("导入来源", "Import source"),
        };
        Label::new(zh, en)
    }

    /// Whether the column is on the XLSX printout: the ids and fingerprints
    /// after the deadline are for machines and re-import.
    pub fn printed(self) -> bool {
        !matches!(
            self,
            Column::ItemId
                | Column::FindingId
                | Column::Versions
                | Column::Evidence
                | Column::EventId
                | Column::DeviceId
                | Column::Source
        )
    }

    /// Widest a column grows in a spreadsheet, in narrow characters; long
    /// notes wrap instead.
    pub fn max_width(self) -> usize {
        // Narrow enough that the printed columns fit an A4 landscape page
        // at a readable size; what is longer wraps.
        match self {
            Column::Note => 44,
            Column::Unit => 32,
            Column::Item | Column::EventId | Column::DeviceId | Column::Source => 24,
            Column::Subject | Column::Inspectors | Column::RecordedBy => 16,
            Column::Department | Column::Checklist => 12,
            _ => 40,
        }
    }

    /// This column's value for one row.
    pub fn cell<'a>(self, row: &'a ExportRow, lang: Lang, tz: &TimeZone) -> Cell<'a> {
        match self {
            Column::ObservedAt => Cell::Time(tz.to_datetime(row.observed_at)),
            Column::Unit => Cell::Text(Cow::Borrowed(&row.unit)),
            Column::Department => Cell::Text(Cow::Borrowed(&row.department)),
            Column::VisitKind => {
                Cell::Text(Cow::Owned(row.visit_kind.label().get(lang).to_owned()))
            }
            Column::Checklist => Cell::Text(Cow::Borrowed(row.checklist_label.get(lang))),
            Column::Item => Cell::Text(Cow::Borrowed(row.item_label.get(lang))),
            Column::Result => Cell::Text(Cow::Owned(row.result.label().get(lang).to_owned())),
            Column::Count => count_cell(row.result, &row.input),
            Column::CountUnit => match (row.result, row.count_unit) {
                (FindingResult::Violation, Some(unit)) => {
                    Cell::Text(Cow::Owned(unit.label().get(lang).to_owned()))
                }
                _ => Cell::Empty,
            },
            Column::Points => Cell::Points(row.points),
            Column::Subject => row
                .subject
                .as_deref()
                .map_or(Cell::Empty, |s| Cell::Text(Cow::Borrowed(s))),
            Column::Note => Cell::Text(Cow::Borrowed(&row.note)),
            Column::Inspectors => Cell::Text(Cow::Owned(row.inspectors.join("、"))),
            Column::RecordedBy => Cell::Text(Cow::Owned(row.recorded_by.describe(
                lang,
                &row.device_id,
                "",
            ))),
            Column::Status => Cell::Text(Cow::Owned(row.status.label().get(lang).to_owned())),
            Column::Deadline => row.deadline.map_or(Cell::Empty, Cell::Date),
            Column::ItemId => Cell::Text(Cow::Owned(format!(
                "{}:{}",
                row.item.plugin_id, row.item.item_id
            ))),
            Column::FindingId => Cell::Text(Cow::Owned(row.finding_id.to_string())),
            Column::Versions => Cell::Int(i64::from(row.versions)),
            Column::Evidence => Cell::Int(i64::from(row.evidence_files)),
            Column::EventId => Cell::Text(Cow::Borrowed(&row.event_id)),
            Column::DeviceId => Cell::Text(Cow::Borrowed(&row.device_id)),
            Column::Source => row.source.as_ref().map_or(Cell::Empty, |s| {
                Cell::Text(Cow::Owned(format!("{}#{}", s.file_sha256, s.row)))
            }),
        }
    }
}

/// A percentage rule shows its percentage; counting rules their count.
fn count_cell(result: FindingResult, input: &RuleInput) -> Cell<'static> {
    if result != FindingResult::Violation {
        return Cell::Empty;
    }
    match input.percent {
        Some(percent) => Cell::Text(Cow::Owned(format!("{percent}%"))),
        None => Cell::Int(i64::from(input.count)),
    }
}
