//! The register of units against real ledger files: renames keep history,
//! any order of arrival gives the same register, under an office only its
//! admin publishes, and Review follows the office's mappings of names typed
//! outside the register.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use anfang_core::authority::{Role, Roots, RosterDocument, office_fingerprint};
use anfang_core::event::{EventBody, VisitOpened};
use anfang_core::register::UnitRegistered;
use anfang_core::unit_map::UnitMapped;
use anfang_core::visit::{Unit, VisitKind};
use anfang_ledger::Ledger;
use anfang_ledger::office::root_key::RootKey;
use anfang_ledger::review_query::{Anchor, ReviewFilter, Sort};
use fixtures::*;
use uuid::Uuid;

/// A version of a unit with an alias and a first day.
fn version(unit_id: Uuid, version: u32, name: &str) -> EventBody {
    let mut unit = registered(unit_registered(unit_id, version, name));
    unit.aliases = vec!["一分局办税厅".into()];
    unit.active_from = Some(jiff::civil::date(2026, 1, 1));
    EventBody::UnitRegistered(unit)
}

fn registered(body: EventBody) -> UnitRegistered {
    match body {
        EventBody::UnitRegistered(unit) => unit,
        other => panic!("not a unit: {other:?}"),
    }
}

#[test]
fn a_rename_keeps_the_id_and_the_former_name_still_resolves() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open_with_key(&dir.path().join("l.sqlite"), key(1)).unwrap();
    assert!(l.register().unwrap().is_empty());
    let hall = uuid(7, 1);
    l.append_at(&version(hall, 1, "市地税局办税大厅"), at(10))
        .unwrap();
    l.append_at(&version(hall, 2, "市税务局第一税务分局办税服务厅"), at(20))
        .unwrap();
    let register = l.register().unwrap();
    assert_eq!(register.units.len(), 1);
    assert_eq!(register.units[0].name, "市税务局第一税务分局办税服务厅");
    for name in [
        "市地税局办税大厅",
        "一分局办税厅",
        "市税务局第一税务分局办税服务厅",
    ] {
        assert_eq!(register.resolve(name).unwrap().unit_id, hall, "{name}");
    }
    let history = l.unit_history(hall).unwrap();
    assert_eq!(
        history.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(),
        ["市地税局办税大厅", "市税务局第一税务分局办税服务厅"]
    );
    // A rebuild derives the same register from the events alone.
    let before = l.derived_dump().unwrap();
    l.rebuild().unwrap();
    assert_eq!(l.derived_dump().unwrap(), before);
}

#[test]
fn any_order_of_arrival_gives_the_same_register() {
    let dir = tempfile::tempdir().unwrap();
    let hall = uuid(7, 1);
    let planning = uuid(7, 2);
    // Laptop 1: two versions of the hall, claimed late.
    let mut one = Ledger::open_with_key(&dir.path().join("one.sqlite"), key(1)).unwrap();
    one.append_at(&version(hall, 1, "办税大厅"), at(5_000))
        .unwrap();
    let v2_one = one
        .append_at(&version(hall, 2, "第一分局办税服务厅"), at(6_000))
        .unwrap();
    // Laptop 2: its own version 2 of the hall, claimed before laptop 1's
    // version 1 (a wrong clock), and a second unit.
    let mut two = Ledger::open_with_key(&dir.path().join("two.sqlite"), key(2)).unwrap();
    let v2_two = two
        .append_at(&version(hall, 2, "一分局办税厅"), at(1_000))
        .unwrap();
    two.append_at(&version(planning, 1, "市自然资源和规划局"), at(1_100))
        .unwrap();
    let b1 = dir.path().join("one.anfang-bundle");
    let b2 = dir.path().join("two.anfang-bundle");
    one.bundle(&b1).unwrap();
    two.bundle(&b2).unwrap();
    let mut dumps = Vec::new();
    for (i, order) in [[&b1, &b2], [&b2, &b1]].iter().enumerate() {
        let path = dir.path().join(format!("office{i}.sqlite"));
        let mut office = Ledger::open_with_key(&path, key(200)).unwrap();
        for b in order {
            office.merge(b, &mut |_| {}).unwrap();
        }
        let register = office.register().unwrap();
        assert_eq!(register.units.len(), 2);
        // Version 2 beats version 1 whatever the clocks say; of the two
        // versions 2, the larger event id.
        let winner = if v2_one > v2_two {
            "第一分局办税服务厅"
        } else {
            "一分局办税厅"
        };
        assert_eq!(register.get(hall).unwrap().name, winner);
        dumps.push(office.derived_dump().unwrap());
    }
    assert_eq!(dumps[0], dumps[1]);
}

/// A ledger pinned to an office whose roster makes its own device (key 200)
/// the admin and key 2 an inspector.
fn office_ledger(dir: &std::path::Path) -> Ledger {
    let root = RootKey::from_seed([9; 32]);
    let roots = Roots {
        keys: vec![root.public().to_string()],
        threshold: 1,
    };
    let fingerprint = office_fingerprint(&roots);
    let mut l = Ledger::open_with_key(&dir.join("office.sqlite"), key(200)).unwrap();
    let mut doc = RosterDocument {
        office_name: "市效能办".into(),
        office: fingerprint.clone(),
        version: 1,
        previous: None,
        roots,
        people: Vec::new(),
        delegations: Vec::new(),
        settings: Default::default(),
    };
    let me = l.device_id().to_string();
    doc.enroll("李主任", &me, &[Role::Admin, Role::Reviewer], 1);
    doc.enroll("张伟", key(2).device_id(), &[Role::Inspector], 1);
    let text = doc.to_text();
    let signature = root.sign_roster(&text);
    l.publish_roster(text, vec![signature]).unwrap();
    l.pin_office(&fingerprint).unwrap();
    l
}

#[test]
fn under_an_office_only_its_admin_publishes_and_the_rest_is_kept_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = office_ledger(dir.path());
    let by_inspector = unit_registered(uuid(8, 1), 1, "市财政局");
    let refused = l.append_as(&key(2), &by_inspector, at(100)).unwrap();
    assert!(l.register().unwrap().is_empty());
    let listed = l.refused_events().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].event_id, refused);
    assert_eq!(listed[0].kind, "unit_registered");
    assert_eq!(listed[0].class, "unauthorized");
    let by_admin = version(uuid(8, 2), 1, "市税务局第一税务分局办税服务厅");
    assert_eq!(
        l.may_register(&registered(by_admin.clone())).unwrap(),
        Ok(())
    );
    l.append_at(&by_admin, at(200)).unwrap();
    assert_eq!(l.register().unwrap().units.len(), 1);
    // The same two events derived again under the same roster agree.
    let before = l.derived_dump().unwrap();
    l.rebuild().unwrap();
    assert_eq!(l.derived_dump().unwrap(), before);
}

/// The name typed on the visit, outside the register.
const TYPED: &str = "第一分局办税听";

fn mapped(unit_id: Uuid, version: u32) -> EventBody {
    EventBody::UnitMapped(UnitMapped {
        typed: TYPED.into(),
        unit_id,
        version,
    })
}

/// (unit shown, name as typed) of the findings Review lists for `filter`.
fn reviewed(l: &Ledger, filter: ReviewFilter) -> Vec<(String, Option<String>)> {
    let page = l
        .review_page(&filter, Sort::default(), &Anchor::First, 100)
        .unwrap();
    assert_eq!(
        l.review_count(&filter).unwrap(),
        page.rows.len() as u64,
        "{filter:?}"
    );
    page.rows
        .into_iter()
        .map(|r| (r.unit, r.unit_typed))
        .collect()
}

fn by_unit(l: &Ledger, name: &str) -> Vec<(String, Option<String>)> {
    let listed = l.review_list(None, Some(name), None).unwrap();
    let shown = reviewed(
        l,
        ReviewFilter {
            unit: Some(name.into()),
            ..ReviewFilter::default()
        },
    );
    let plain: Vec<(String, Option<String>)> =
        listed.into_iter().map(|f| (f.unit, f.unit_typed)).collect();
    assert_eq!(plain, shown, "review list and the window agree on {name}");
    shown
}

#[test]
fn review_follows_the_offices_mapping_whatever_arrives_first() {
    let dir = tempfile::tempdir().unwrap();
    let hall = uuid(7, 1);
    let planning = uuid(7, 2);
    // The field laptop: a visit to a unit typed with a slip, one finding.
    let mut field = Ledger::open_with_key(&dir.path().join("field.sqlite"), key(1)).unwrap();
    let visit_id = uuid(1, 1);
    field
        .append_at(
            &EventBody::VisitOpened(VisitOpened {
                rechecks: None,
                unit_id: None,
                visit_id,
                unit: Unit {
                    name: TYPED.into(),
                    department: "税务".into(),
                },
                kind: VisitKind::Unannounced,
                team: vec!["张伟".into()],
                started_at: at(2_000),
                checklists: checklists(),
            }),
            at(2_000),
        )
        .unwrap();
    let finding_id = uuid(2, 1);
    field
        .append_at(&finding(visit_id, finding_id, 0, at(2_100)), at(2_100))
        .unwrap();
    // The office: the register (the hall with its alias 一分局办税厅) and
    // the mapping, claimed before the visit.
    let mut office = Ledger::open_with_key(&dir.path().join("office.sqlite"), key(2)).unwrap();
    office
        .append_at(&version(hall, 1, "第一分局办税服务厅"), at(1_000))
        .unwrap();
    office
        .append_at(&unit_registered(planning, 1, "市规划局"), at(1_001))
        .unwrap();
    office.append_at(&mapped(hall, 1), at(1_002)).unwrap();
    let b_field = dir.path().join("field.anfang-bundle");
    let b_office = dir.path().join("office.anfang-bundle");
    field.bundle(&b_field).unwrap();
    office.bundle(&b_office).unwrap();

    let hall_row = vec![("第一分局办税服务厅".to_string(), Some(TYPED.to_string()))];
    let mut merged = Vec::new();
    let mut dumps = Vec::new();
    for (i, order) in [[&b_field, &b_office], [&b_office, &b_field]]
        .iter()
        .enumerate()
    {
        let path = dir.path().join(format!("merged{i}.sqlite"));
        let mut l = Ledger::open_with_key(&path, key(200)).unwrap();
        for b in order {
            l.merge(b, &mut |_| {}).unwrap();
        }
        // Under the registered name, found by it, by its alias and by the
        // name as typed; not by another unit.
        assert_eq!(by_unit(&l, "第一分局办税服务厅"), hall_row);
        assert_eq!(by_unit(&l, "一分局办税厅"), hall_row);
        assert_eq!(by_unit(&l, TYPED), hall_row);
        assert!(by_unit(&l, "市规划局").is_empty());
        let searched = |words: &str| {
            reviewed(
                &l,
                ReviewFilter {
                    search: Some(words.into()),
                    ..ReviewFilter::default()
                },
            )
        };
        assert_eq!(searched("办税服务厅"), hall_row);
        assert_eq!(searched(TYPED), hall_row);
        let detail = l.review_detail(finding_id).unwrap().unwrap();
        assert_eq!(detail.row.unit, "第一分局办税服务厅");
        assert_eq!(detail.row.unit_typed.as_deref(), Some(TYPED));
        dumps.push(l.derived_dump().unwrap());
        merged.push(l);
    }
    assert_eq!(dumps[0], dumps[1]);

    // Remapped to the planning bureau (version 2): the finding moves.
    office.append_at(&mapped(planning, 2), at(3_000)).unwrap();
    let b_remap = dir.path().join("remap.anfang-bundle");
    office.bundle(&b_remap).unwrap();
    for l in &mut merged {
        l.merge(&b_remap, &mut |_| {}).unwrap();
        let planning_row = vec![("市规划局".to_string(), Some(TYPED.to_string()))];
        assert_eq!(by_unit(l, "市规划局"), planning_row);
        assert!(by_unit(l, "第一分局办税服务厅").is_empty());
        assert!(by_unit(l, "一分局办税厅").is_empty());
        assert_eq!(by_unit(l, TYPED), planning_row);
    }
}
