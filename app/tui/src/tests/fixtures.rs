//! Hand-built states for the tests: a few visits, one with findings and a
//! long Chinese note.

use crate::catalog::Catalog;
use crate::keymap::Keymap;
use crate::model::{FindingView, HistoryView, PluginRow, VisitRow, VisitView};
use crate::state::State;
use anfang_core::authority::Signer;
use anfang_core::core_checklists::core_manifest;
use anfang_core::finding::{EvidenceRecord, FindingRecord, FindingResult};
use anfang_core::review::{DatedDecision, Decision, ReviewRecord, ReviewStatus};
use anfang_core::rule::RuleInput;
use anfang_core::visit::{Unit, VisitKind};
use anfang_core::{Lang, Points};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use uuid::Uuid;

pub const LONG_NOTE: &str = "上午九点四十分，三号窗口工作人员（工号0317）在岗期间使用手机观看短视频约十二分钟，期间有两名群众在窗口前等候办理社保业务，无人接待。检查组拍照取证后，该工作人员才放下手机开始办理。";

pub fn tz() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::fixed(jiff::tz::offset(8))
}

pub fn now() -> jiff::Timestamp {
    "2026-11-24T01:30:00Z".parse().unwrap()
}

pub fn at(hhmm: &str) -> jiff::Timestamp {
    jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M", format!("2026-11-24 {hhmm}"))
        .unwrap()
        .to_zoned_datetime(tz())
        .unwrap()
        .timestamp()
}

pub fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

pub fn plugin_rows() -> Vec<PluginRow> {
    vec![
        PluginRow {
            id: "tax-hall".into(),
            version: "1.2.0".into(),
            departments: "税务".into(),
            file: "/opt/anfang/plugins/libanfang_tax_hall.so".into(),
            sha256: "9f2c4e0a7b5d3c1e8f6a4b2d0c9e7f5a3b1d8c6e4f2a0b9d7c5e3f1a8b6d4c2e".into(),
            loaded: true,
            reason: None,
        },
        PluginRow {
            id: String::new(),
            version: String::new(),
            departments: String::new(),
            file: "/home/inspector/.local/share/anfang/plugins/libbroken.so".into(),
            sha256: "0b1d2c3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c".into(),
            loaded: false,
            reason: Some("untrusted: SHA-256 0b1d2c3e4f5a is not on the trust list; run `anfang plugins trust FILE`".into()),
        },
    ]
}

pub fn state(lang: Lang) -> State {
    let catalog = Catalog::new(Vec::new(), plugin_rows());
    let mut state = State::new(
        lang,
        "王检查",
        tz(),
        now(),
        Keymap::default_keymap(),
        catalog,
    );
    state.size = (80, 24);
    state
}

pub fn rows() -> Vec<VisitRow> {
    vec![
        VisitRow {
            visit_id: id(1),
            unit: Unit {
                name: "市税务局第一税务分局办税服务厅".into(),
                department: "税务".into(),
            },
            kind: VisitKind::Unannounced,
            team: vec!["王检查".into(), "李督查".into()],
            started_at: at("09:10"),
            closed_at: None,
            findings: 2,
            points: Points::whole(3),
        },
        VisitRow {
            visit_id: id(2),
            unit: Unit {
                name: "市规划局".into(),
                department: "规划".into(),
            },
            kind: VisitKind::Open,
            team: vec!["李督查".into()],
            started_at: "2026-11-20T01:00:00Z".parse().unwrap(),
            closed_at: Some("2026-11-20T03:00:00Z".parse().unwrap()),
            findings: 0,
            points: Points::ZERO,
        },
        VisitRow {
            visit_id: id(3),
            unit: Unit {
                name: "市政务服务中心（行政审批局）综合受理窗口".into(),
                department: "政务服务".into(),
            },
            kind: VisitKind::Unannounced,
            team: vec!["张三".into(), "Li Si".into(), "赵五".into()],
            started_at: "2026-11-18T06:20:00Z".parse().unwrap(),
            closed_at: Some("2026-11-18T08:00:00Z".parse().unwrap()),
            findings: 12,
            points: Points::from_hundredths(2450),
        },
    ]
}

pub fn finding(
    n: u128,
    checklist: &str,
    item: &str,
    result: FindingResult,
    count: u32,
    points: i64,
    note: &str,
) -> FindingView {
    FindingView {
        event_id: format!("{n:064x}"),
        device_id: "3f2a9c0d41b7".to_string() + &"0".repeat(52),
        claimed_time: at("09:42"),
        record: FindingRecord {
            finding_id: id(100 + n),
            visit_id: id(1),
            item: anfang_core::manifest::ItemRef {
                plugin_id: "core".into(),
                plugin_version: "1.0.0".into(),
                checklist_id: checklist.into(),
                item_id: item.into(),
            },
            result,
            input: RuleInput {
                count,
                ..RuleInput::default()
            },
            subject: Some("3号窗口 0317".into()),
            note: note.into(),
            observed_at: at("09:40"),
            points: Points::whole(points),
            points_by_hand: false,
            supersedes: None,
            source: None,
        },
        evidence: Vec::new(),
        status: ReviewStatus::Pending,
        versions: 1,
        conflict: false,
    }
}

/// The open visit, with a violation (long Chinese note) on the second
/// conduct item, a late arrival and a compliant item.
pub fn visit_view() -> VisitView {
    let mut video = finding(
        1,
        "conduct",
        "non-work-online",
        FindingResult::Violation,
        1,
        2,
        LONG_NOTE,
    );
    video.versions = 2;
    video.evidence.push(EvidenceRecord {
        finding_id: video.record.finding_id,
        sha256: "ab".repeat(32),
        file_name: "IMG_0412.jpg".into(),
        size: 482_113,
    });
    let conduct_item = core_manifest().checklists[1].items[0].id.clone();
    video.record.item.item_id = conduct_item;
    VisitView {
        summary: rows()[0].clone(),
        checklists: core_manifest().snapshots(),
        findings: vec![
            finding(
                2,
                "attendance",
                "late-arrival",
                FindingResult::Violation,
                1,
                1,
                "9:05 到岗",
            ),
            finding(
                3,
                "attendance",
                "not-on-post",
                FindingResult::Compliant,
                0,
                0,
                "",
            ),
            video,
        ],
    }
}

/// The device that decided in [`history_view`].
const DECIDER: &str = "5b7e20c4a1d90000000000000000000000000000000000000000000000000000";

pub fn history_view() -> HistoryView {
    let v = visit_view();
    let current = v.findings[2].clone();
    let mut first = current.clone();
    first.record.note = "三号窗口工作人员玩手机。".into();
    first.record.input.count = 2;
    first.record.points = Points::whole(4);
    first.event_id = "11".repeat(32);
    first.versions = 1;
    let mut second = current;
    second.record.supersedes = Some(first.event_id.clone());
    let recorder = first.device_id.clone();
    HistoryView {
        finding_id: second.record.finding_id,
        versions: vec![first, second.clone()],
        outcomes: Vec::new(),
        decisions: vec![(
            ReviewRecord {
                finding_id: second.record.finding_id,
                reviewer: "陈主任".into(),
                decision: Decision::RequireRectification {
                    deadline: "2026-12-05".parse().unwrap(),
                    rejected: None,
                },
                follows: None,
                reason: None,
            },
            DatedDecision {
                event_id: "22".repeat(32),
                claimed_time: "2026-11-25T02:00:00Z".parse().unwrap(),
                decision: Decision::RequireRectification {
                    deadline: "2026-12-05".parse().unwrap(),
                    rejected: None,
                },
            },
            DECIDER.into(),
        )],
        // An office ledger: both devices are on the roster.
        signers: [
            (recorder, Signer::Enrolled("王检查".into())),
            (DECIDER.to_string(), Signer::Enrolled("陈主任".into())),
        ]
        .into(),
    }
}

pub fn render(state: &State, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| crate::view::view(state, frame))
        .unwrap();
    terminal
}

pub fn key(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

pub fn code(code: KeyCode) -> Event {
    Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ctrl(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// Feeds terminal events through the keymap into `update`, collecting effects.
pub fn feed(
    state: &mut State,
    events: impl IntoIterator<Item = Event>,
) -> Vec<crate::effect::Effect> {
    let mut effects = Vec::new();
    for event in events {
        if let Some(action) = crate::input::translate(state, event) {
            effects.extend(crate::update::update(state, action));
        }
    }
    effects
}

pub fn typed(text: &str) -> Vec<Event> {
    text.chars().map(key).collect()
}

/// A screen row as text: the cell after a wide glyph (which the buffer
/// fills with a space) is skipped, so the text is what a terminal shows.
pub fn row_text(buffer: &ratatui::buffer::Buffer, y: u16) -> String {
    use unicode_width::UnicodeWidthStr;
    let mut out = String::new();
    let mut x = 0;
    while x < buffer.area.width {
        let symbol = buffer[(x, y)].symbol();
        out.push_str(symbol);
        x += u16::try_from(symbol.width().max(1)).unwrap();
    }
    out
}

/// A plugin checklist whose item is priced by the plugin's score function.
pub fn computed_snapshot() -> anfang_core::manifest::ChecklistSnapshot {
    use anfang_core::Label;
    use anfang_core::manifest::{Checklist, ChecklistSnapshot, Item};
    use anfang_core::rule::{InputField, InputType, Rule};
    let field = |id: &str, zh: &str, en: &str| InputField {
        id: id.into(),
        label: Label::new(zh, en),
        input_type: InputType::Integer,
    };
    ChecklistSnapshot {
        plugin_id: "appraisal".into(),
        plugin_version: "1.0.0".into(),
        checklist: Checklist {
            id: "public-appraisal".into(),
            label: Label::new("万人评议", "Public appraisal"),
            items: vec![Item {
                id: "satisfaction".into(),
                label: Label::new("群众满意度低于90%", "Satisfaction below 90 %"),
                hint: None,
                rule: Rule::Computed {
                    inputs: vec![
                        field("satisfied", "满意票", "Satisfied votes"),
                        field("basically_satisfied", "基本满意票", "Basically satisfied"),
                        field("dissatisfied", "不满意票", "Dissatisfied votes"),
                    ],
                    max: Points::whole(10),
                },
            }],
        },
    }
}

/// A register of three units: the tax hall (alias 一分局办税厅, formerly
/// 市地税局办税大厅), the planning bureau and the finance bureau.
pub fn register() -> anfang_core::register::Register {
    let unit = |n: u128, name: &str, department: &str, kind: &str, aliases: &[&str]| {
        anfang_core::register::UnitRegistered {
            unit_id: id(100 + n),
            version: 1,
            name: name.into(),
            department: department.into(),
            kind: kind.into(),
            parent: None,
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            active_from: None,
            active_to: None,
        }
    };
    anfang_core::register::Register {
        units: vec![
            unit(
                1,
                "市税务局第一税务分局办税服务厅",
                "税务",
                "窗口",
                &["一分局办税厅"],
            ),
            unit(2, "市规划局", "规划", "机关", &[]),
            unit(3, "市财政局", "财政", "机关", &["财政局"]),
        ],
        former_names: vec![(id(101), "市地税局办税大厅".into())],
    }
}
