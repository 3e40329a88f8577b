//! Event bodies for the review and scores tests and the review benchmark:
//! visits to named units with the core checklists plus a department
//! checklist whose rules are a below-threshold percentage and a computed
//! score, findings on any item, and review decisions.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use anfang_core::Points;
use anfang_core::event::{AppraisalEntered, EventBody, VisitOpened};
use anfang_core::finding::{FindingRecord, FindingResult};
use anfang_core::label::Label;
use anfang_core::manifest::{Checklist, ChecklistSnapshot, Item, ItemRef};
use anfang_core::review::{Decision, ReviewRecord};
use anfang_core::rule::{InputField, InputType, Rule, RuleInput};
use anfang_core::score::Appraisal;
use anfang_core::visit::{Unit, VisitKind};
use anfang_ledger::DeviceKey;
use jiff::Timestamp;
use uuid::Uuid;

/// A device key from a small number.
pub fn key(n: u8) -> DeviceKey {
    DeviceKey::from_seed([n; 32])
}

/// 2026-03-02T09:00:00Z plus `secs` seconds.
pub fn at(secs: i64) -> Timestamp {
    Timestamp::from_second(1_772_442_000 + secs).unwrap()
}

/// A day as a date.
pub fn day(text: &str) -> jiff::civil::Date {
    text.parse().unwrap()
}

/// A deterministic UUID from two numbers.
pub fn uuid(a: u64, b: u64) -> Uuid {
    Uuid::from_u64_pair(a, b)
}

pub fn unit(name: &str, department: &str) -> Unit {
    Unit {
        name: name.into(),
        department: department.into(),
    }
}

/// The department checklist: a percentage below threshold and a score the
/// plugin computes (the public appraisal questionnaire).
pub fn service_checklist() -> ChecklistSnapshot {
    ChecklistSnapshot {
        plugin_id: "service-center".into(),
        plugin_version: "1.0.0".into(),
        checklist: Checklist {
            id: "service-quality".into(),
            label: Label::new("服务质量", "Service quality"),
            items: vec![
                Item {
                    id: "satisfaction-below-90".into(),
                    label: Label::new("满意率低于90%", "Satisfaction below 90 %"),
                    hint: None,
                    rule: Rule::BelowThreshold {
                        threshold: Points::whole(90),
                        points_per_percent: Points::whole(1),
                    },
                },
                Item {
                    id: "appraisal-questionnaire".into(),
                    label: Label::new("万人评议问卷", "Public appraisal questionnaire"),
                    hint: None,
                    rule: Rule::Computed {
                        inputs: vec![InputField {
                            id: "satisfied".into(),
                            label: Label::new("满意", "satisfied"),
                            input_type: InputType::Integer,
                        }],
                        max: Points::whole(20),
                    },
                },
            ],
        },
    }
}

pub fn checklists() -> Vec<ChecklistSnapshot> {
    let mut all = anfang_core::core_checklists::core_manifest().snapshots();
    all.push(service_checklist());
    all
}

pub fn visit_opened(visit_id: Uuid, unit: &Unit, lead: &str, started: Timestamp) -> EventBody {
    EventBody::VisitOpened(VisitOpened {
        rechecks: None,
        unit_id: None,
        visit_id,
        unit: unit.clone(),
        kind: VisitKind::Unannounced,
        team: vec![lead.into(), "李娜".into()],
        started_at: started,
        checklists: checklists(),
    })
}

/// Where an item lives: (plugin, checklist).
pub fn item_ref(item_id: &str) -> ItemRef {
    let snapshot = checklists()
        .into_iter()
        .find(|s| s.item(item_id).is_some())
        .unwrap_or_else(|| panic!("no item {item_id}"));
    ItemRef {
        plugin_id: snapshot.plugin_id,
        plugin_version: snapshot.plugin_version,
        checklist_id: snapshot.checklist.id,
        item_id: item_id.into(),
    }
}

/// The item's rule in the fixture checklists.
pub fn rule_of(item_id: &str) -> Rule {
    checklists()
        .into_iter()
        .find_map(|s| s.item(item_id).map(|i| i.rule.clone()))
        .unwrap()
}

/// A violation priced by its rule (computed rules take `points` as the
/// plugin's answer).
pub struct Violation<'a> {
    pub item: &'a str,
    pub count: u32,
    pub chosen: Option<Points>,
    pub percent: Option<Points>,
    pub computed: Option<Points>,
    pub note: &'a str,
    pub subject: Option<&'a str>,
}

impl<'a> Violation<'a> {
    pub fn new(item: &'a str, count: u32) -> Violation<'a> {
        Violation {
            item,
            count,
            chosen: None,
            percent: None,
            computed: None,
            note: "上班时间不在岗",
            subject: None,
        }
    }

    pub fn record(&self, visit_id: Uuid, finding_id: Uuid, observed: Timestamp) -> FindingRecord {
        let input = RuleInput {
            count: self.count,
            chosen: self.chosen,
            percent: self.percent,
            ..RuleInput::default()
        };
        let points = match self.computed {
            Some(points) => points,
            None => rule_of(self.item).deduction(&input).unwrap(),
        };
        FindingRecord {
            finding_id,
            visit_id,
            item: item_ref(self.item),
            result: FindingResult::Violation,
            input,
            subject: self.subject.map(Into::into),
            note: self.note.into(),
            observed_at: observed,
            points,
            points_by_hand: false,
            supersedes: None,
            source: None,
        }
    }

    pub fn event(&self, visit_id: Uuid, finding_id: Uuid, observed: Timestamp) -> EventBody {
        EventBody::FindingRecorded(self.record(visit_id, finding_id, observed))
    }
}

pub fn decided(finding_id: Uuid, reviewer: &str, decision: Decision) -> EventBody {
    EventBody::ReviewDecided(ReviewRecord {
        finding_id,
        reviewer: reviewer.into(),
        decision,
        follows: None,
        reason: None,
    })
}

pub fn appraisal(unit: &Unit, from: &str, to: &str, appraisal: Appraisal) -> EventBody {
    EventBody::AppraisalEntered(AppraisalEntered {
        unit: unit.clone(),
        from: day(from),
        to: day(to),
        appraisal,
        follows: None,
    })
}
