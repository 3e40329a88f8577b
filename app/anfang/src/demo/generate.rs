//! Turns a seed into a plan of events: visits, findings, corrections and
//! review decisions, each with the device that records it and its time.

use super::content::{self, DemoUnit};
use super::rng::Rng;
use anfang_core::Points;
use anfang_core::core_checklists::core_manifest;
use anfang_core::event::{AppraisalEntered, EventBody, VisitClosed, VisitOpened};
use anfang_core::finding::{FindingRecord, FindingResult};
use anfang_core::manifest::{ChecklistSnapshot, Manifest};
use anfang_core::review::{Decision, ReviewRecord};
use anfang_core::rule::{Rule, RuleInput};
use anfang_core::score::Appraisal;
use anfang_core::visit::{Unit, VisitKind};
use anfang_ledger::DeviceKey;
use jiff::{SignedDuration, Timestamp};
use uuid::Uuid;

/// One planned event.
pub struct DemoEvent {
    /// Index into [`Plan::devices`].
    pub device: usize,
    /// What happens.
    pub body: EventBody,
    /// When the device says it happened.
    pub claimed: Timestamp,
    /// For a correction: the index (in [`Plan::events`]) of the version it supersedes.
    pub supersedes: Option<usize>,
}

/// Everything `demo` will append.
pub struct Plan {
    /// The laptops (one per team) and, last, the office's device.
    pub devices: Vec<DeviceKey>,
    /// The events, in recording order.
    pub events: Vec<DemoEvent>,
    /// Visit count.
    pub visits: u32,
    /// Finding versions recorded.
    pub findings: u32,
    /// Review decisions.
    pub decisions: u32,
    /// The first visit's id (to detect a second run with the same seed).
    pub first_visit: Option<Uuid>,
}

/// Demo visits fall between these dates (China Standard Time).
const FIRST_DAY: (i16, i8, i8) = (2026, 6, 1);
const DAYS: i64 = 150;

/// Makes the plan for `visits` visits from `seed`.
pub fn plan(visits: u32, seed: u64) -> Plan {
    let mut rng = Rng::new(seed);
    let manifest = core_manifest();
    // One laptop per team, then the office's two.
    let devices: Vec<DeviceKey> = (0..content::TEAMS.len() + 2)
        .map(|index| DeviceKey::from_seed(device_seed(seed, index)))
        .collect();
    let office = content::TEAMS.len();
    let mut plan = Plan {
        devices,
        events: Vec::new(),
        visits: 0,
        findings: 0,
        decisions: 0,
        first_visit: None,
    };
    let mut starts: Vec<Timestamp> = (0..visits).map(|_| visit_start(&mut rng)).collect();
    starts.sort();
    let last = starts.len().saturating_sub(1);
    // Visits per unit over the demo's months: a unit's violations are
    // spread over its visits, so the year's grades vary as in a real office
    // (a few 优秀, most 良好 or 合格, a few 不合格) however many visits there are.
    let per_unit = u64::from(visits)
        .div_ceil(content::UNITS.len() as u64)
        .max(1);
    for (index, start) in starts.into_iter().enumerate() {
        let team = rng.below(content::TEAMS.len() as u64) as usize;
        let which = rng.below(content::UNITS.len() as u64) as usize;
        let unit = &content::UNITS[which];
        let yearly = content::YEARLY_VIOLATIONS[which % content::YEARLY_VIOLATIONS.len()];
        let expected = u64::from(yearly) * 100 / per_unit;
        // The newest visit is left open: the home screen shows it first.
        let close = index != last;
        add_visit(
            &mut plan, &mut rng, &manifest, team, office, unit, start, close, expected,
        );
    }
    add_second_opinion(&mut plan, office + 1);
    add_appraisals(&mut plan, office);
    plan
}

/// The second reviewer dismisses one finding the first had confirmed, a
/// day later: the history shows both, and the later decision sets the status.
fn add_second_opinion(plan: &mut Plan, device: usize) {
    let confirmed = plan.events.iter().find_map(|event| match &event.body {
        EventBody::ReviewDecided(ReviewRecord {
            finding_id,
            decision: Decision::Confirm { .. },
            ..
        }) => Some((*finding_id, event.claimed)),
        _ => None,
    });
    if let Some((finding_id, at)) = confirmed {
        plan.events.push(DemoEvent {
            device,
            body: EventBody::ReviewDecided(ReviewRecord {
                finding_id,
                reviewer: content::SECOND_REVIEWER.to_string(),
                decision: Decision::Dismiss {
                    reason: "复核时当事人出示了当日请假条。".to_string(),
                },
                follows: None,
                reason: None,
            }),
            claimed: at + SignedDuration::from_hours(24),
            supersedes: None,
        });
        plan.decisions += 1;
    }
}

/// Third-quarter public appraisal results for a few units.
fn add_appraisals(plan: &mut Plan, office: usize) {
    let from = jiff::civil::date(2026, 7, 1);
    let to = jiff::civil::date(2026, 9, 30);
    let entered = to
        .to_datetime(jiff::civil::time(10, 0, 0, 0))
        .to_zoned_datetime(china())
        .map(|zoned| zoned.timestamp() + SignedDuration::from_hours(24 * 8))
        .unwrap_or(Timestamp::UNIX_EPOCH);
    for &(unit, percent) in content::APPRAISALS {
        let Some(unit) = content::UNITS.get(unit) else {
            continue;
        };
        plan.events.push(DemoEvent {
            device: office,
            body: EventBody::AppraisalEntered(AppraisalEntered {
                unit: Unit {
                    name: unit.name.to_string(),
                    department: unit.department.to_string(),
                },
                from,
                to,
                appraisal: Appraisal::Rate {
                    percent: Points::from_hundredths(percent),
                },
                // One entry per unit and period: each starts its chain.
                follows: Some(anfang_core::review::Follows::First),
            }),
            claimed: entered,
            supersedes: None,
        });
    }
}

/// China Standard Time as a fixed offset: demo data must not depend on the
/// machine's time zone database.
fn china() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::fixed(jiff::tz::offset(8))
}

fn device_seed(seed: u64, index: usize) -> [u8; 32] {
    let mut rng = Rng::new(seed ^ 0xA17F_A6D0 ^ (index as u64).wrapping_mul(0x1000_0001));
    let mut bytes = [0u8; 32];
    for chunk in bytes.chunks_mut(8) {
        chunk.copy_from_slice(&rng.next_u64().to_le_bytes());
    }
    bytes
}

fn visit_start(rng: &mut Rng) -> Timestamp {
    let day = rng.below(DAYS as u64) as i64;
    // Weekends are skipped by moving to the Monday after.
    let mut date = jiff::civil::date(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2)
        .checked_add(SignedDuration::from_hours(24 * day))
        .unwrap_or_else(|_| jiff::civil::date(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2));
    while date.weekday().to_monday_one_offset() > 5 {
        date = date.tomorrow().unwrap_or(date);
    }
    let minutes = [
        8 * 60 + 20,
        8 * 60 + 35,
        9 * 60 + 40,
        10 * 60 + 15,
        14 * 60 + 25,
        15 * 60 + 50,
    ];
    let minute = *rng.pick(&minutes) + rng.below(10) as i32;
    let time = jiff::civil::time((minute / 60) as i8, (minute % 60) as i8, 0, 0);
    date.to_datetime(time)
        .to_zoned_datetime(china())
        .map(|zoned| zoned.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

fn uuid_at(rng: &mut Rng, at: Timestamp) -> Uuid {
    let mut random = [0u8; 10];
    for byte in random.iter_mut() {
        *byte = rng.below(256) as u8;
    }
    let millis = u64::try_from(at.as_millisecond()).unwrap_or(0);
    uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid()
}

#[allow(clippy::too_many_arguments)]
fn add_visit(
    plan: &mut Plan,
    rng: &mut Rng,
    manifest: &Manifest,
    team: usize,
    office: usize,
    unit: &DemoUnit,
    start: Timestamp,
    close: bool,
    expected_hundredths: u64,
) {
    let visit_id = uuid_at(rng, start);
    plan.first_visit.get_or_insert(visit_id);
    let checklists = manifest.snapshots();
    let kind = if rng.chance(80) {
        VisitKind::Unannounced
    } else {
        VisitKind::Open
    };
    plan.events.push(DemoEvent {
        device: team,
        body: EventBody::VisitOpened(VisitOpened {
            rechecks: None,
            unit_id: None,
            visit_id,
            unit: Unit {
                name: unit.name.to_string(),
                department: unit.department.to_string(),
            },
            kind,
            team: content::TEAMS[team]
                .iter()
                .map(|name| name.to_string())
                .collect(),
            started_at: start,
            checklists: checklists.clone(),
        }),
        claimed: start,
        supersedes: None,
    });
    plan.visits += 1;
    // The whole violations expected, and one more by the chance of the rest.
    let violations = (expected_hundredths / 100) as usize
        + usize::from(rng.below(100) < expected_hundredths % 100);
    let compliant = 1 + rng.below(3) as usize;
    let mut clock = start + SignedDuration::from_mins(3);
    for _ in 0..violations {
        clock += SignedDuration::from_mins(4 + rng.below(12) as i64);
        add_violation(plan, rng, &checklists, team, office, visit_id, clock);
    }
    for _ in 0..compliant {
        clock += SignedDuration::from_mins(3 + rng.below(6) as i64);
        add_compliant(plan, rng, &checklists, team, visit_id, clock);
    }
    if close {
        let closed_at = clock + SignedDuration::from_mins(10 + rng.below(20) as i64);
        plan.events.push(DemoEvent {
            device: team,
            body: EventBody::VisitClosed(VisitClosed {
                visit_id,
                closed_at,
            }),
            claimed: closed_at,
            supersedes: None,
        });
    }
}

fn find_item<'a>(
    checklists: &'a [ChecklistSnapshot],
    item_id: &str,
) -> Option<(&'a ChecklistSnapshot, &'a anfang_core::manifest::Item)> {
    checklists
        .iter()
        .find_map(|snapshot| snapshot.item(item_id).map(|item| (snapshot, item)))
}

fn add_violation(
    plan: &mut Plan,
    rng: &mut Rng,
    checklists: &[ChecklistSnapshot],
    team: usize,
    office: usize,
    visit_id: Uuid,
    observed: Timestamp,
) {
    let weights: Vec<u64> = content::VIOLATIONS.iter().map(|(_, w, _)| *w).collect();
    let (item_id, _, notes) = content::VIOLATIONS[rng.weighted(&weights)];
    let Some((snapshot, item)) = find_item(checklists, item_id) else {
        return;
    };
    let count = [1, 1, 1, 1, 1, 1, 2, 2, 3][rng.below(9) as usize];
    let chosen = match item.rule {
        Rule::Range { min, max, .. } => {
            let steps = ((max - min).hundredths() / 500).max(0) as u64;
            Some(min + Points::whole(5 * rng.below(steps + 1) as i64))
        }
        _ => None,
    };
    let input = RuleInput {
        count,
        chosen,
        ..RuleInput::default()
    };
    let points = item.rule.deduction(&input).unwrap_or(Points::ZERO);
    let finding_id = uuid_at(rng, observed);
    let record = FindingRecord {
        finding_id,
        visit_id,
        item: snapshot.item_ref(item),
        result: FindingResult::Violation,
        input,
        subject: Some(rng.pick(content::SUBJECTS).to_string()),
        note: rng.pick(notes).to_string(),
        observed_at: observed,
        points,
        points_by_hand: false,
        supersedes: None,
        source: None,
    };
    let claimed = observed + SignedDuration::from_mins(1 + rng.below(3) as i64);
    plan.events.push(DemoEvent {
        device: team,
        body: EventBody::FindingRecorded(record.clone()),
        claimed,
        supersedes: None,
    });
    plan.findings += 1;
    let original = plan.events.len() - 1;
    // One finding in twelve is corrected later the same day: a recount.
    if rng.chance(8) {
        let mut corrected = record.clone();
        corrected.input.count = record.input.count + 1;
        corrected.points = item
            .rule
            .deduction(&corrected.input)
            .unwrap_or(record.points);
        corrected.note = format!(
            "{}（复核更正：人次由{}改为{}）",
            record.note, record.input.count, corrected.input.count
        );
        plan.events.push(DemoEvent {
            device: team,
            body: EventBody::FindingRecorded(corrected),
            claimed: claimed + SignedDuration::from_hours(3),
            supersedes: Some(original),
        });
        plan.findings += 1;
    }
    add_decisions(plan, rng, office, finding_id, observed, chosen);
}

fn add_compliant(
    plan: &mut Plan,
    rng: &mut Rng,
    checklists: &[ChecklistSnapshot],
    team: usize,
    visit_id: Uuid,
    observed: Timestamp,
) {
    let item_id = *rng.pick(&[
        "not-on-post",
        "dress-code",
        "no-badge",
        "one-time-notice",
        "four-ones",
    ]);
    let Some((snapshot, item)) = find_item(checklists, item_id) else {
        return;
    };
    plan.events.push(DemoEvent {
        device: team,
        body: EventBody::FindingRecorded(FindingRecord {
            finding_id: uuid_at(rng, observed),
            visit_id,
            item: snapshot.item_ref(item),
            result: FindingResult::Compliant,
            input: RuleInput::default(),
            subject: None,
            note: rng.pick(content::COMPLIANT_NOTES).to_string(),
            observed_at: observed,
            points: Points::ZERO,
            points_by_hand: false,
            supersedes: None,
            source: None,
        }),
        claimed: observed + SignedDuration::from_mins(1),
        supersedes: None,
    });
    plan.findings += 1;
}

/// The office reviews findings older than two weeks before the demo's end.
fn add_decisions(
    plan: &mut Plan,
    rng: &mut Rng,
    office: usize,
    finding_id: Uuid,
    observed: Timestamp,
    chosen: Option<Points>,
) {
    let review_cutoff = jiff::civil::date(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2)
        .to_datetime(jiff::civil::time(0, 0, 0, 0))
        .to_zoned_datetime(china())
        .map(|zoned| zoned.timestamp() + SignedDuration::from_hours(24 * (DAYS - 14)))
        .unwrap_or(Timestamp::UNIX_EPOCH);
    if observed > review_cutoff {
        return;
    }
    let mut at = observed + SignedDuration::from_hours(24 * (3 + rng.below(7) as i64));
    let decide = |plan: &mut Plan, decision: Decision, at: Timestamp| {
        plan.events.push(DemoEvent {
            device: office,
            body: EventBody::ReviewDecided(ReviewRecord {
                finding_id,
                reviewer: content::REVIEWER.to_string(),
                decision,
                follows: None,
                reason: None,
            }),
            claimed: at,
            supersedes: None,
        });
        plan.decisions += 1;
    };
    match rng.weighted(&[62, 8, 22, 8]) {
        0 => decide(plan, Decision::Confirm { points: chosen }, at),
        1 => decide(
            plan,
            Decision::Dismiss {
                reason: rng.pick(content::DISMISS_REASONS).to_string(),
            },
            at,
        ),
        2 => {
            decide(plan, Decision::Confirm { points: chosen }, at);
            at += SignedDuration::from_hours(1);
            let deadline = at
                .to_zoned_datetime(china())
                .date()
                .checked_add(SignedDuration::from_hours(24 * 30))
                .unwrap_or_default();
            decide(
                plan,
                Decision::RequireRectification {
                    deadline,
                    rejected: None,
                },
                at,
            );
            if rng.chance(55) {
                at += SignedDuration::from_hours(24 * (10 + rng.below(15) as i64));
                decide(
                    plan,
                    Decision::MarkRectified {
                        note: rng.pick(content::RECTIFIED_NOTES).to_string(),
                        evidence: None,
                    },
                    at,
                );
                if rng.chance(60) {
                    at += SignedDuration::from_hours(24 * 3);
                    decide(plan, Decision::VerifyRectification { checked: None }, at);
                }
            }
        }
        // Left pending: the office has not got to it yet.
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_plan() {
        let a = plan(20, 7);
        let b = plan(20, 7);
        assert_eq!(a.events.len(), b.events.len());
        assert!(
            a.events
                .iter()
                .zip(&b.events)
                .all(|(x, y)| x.body == y.body && x.claimed == y.claimed)
        );
        assert_eq!(a.devices[0].device_id(), b.devices[0].device_id());
    }

    #[test]
    fn plan_has_violations_decisions_and_one_open_visit() {
        let p = plan(40, 2026);
        assert_eq!(p.visits, 40);
        assert!(p.findings > 40);
        assert!(p.decisions > 10);
        let closed = p
            .events
            .iter()
            .filter(|e| matches!(e.body, EventBody::VisitClosed(_)))
            .count();
        assert_eq!(closed, 39);
    }
}
