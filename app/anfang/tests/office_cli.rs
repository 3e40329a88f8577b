//! Office authority through the real binary: an office with two root keys
//! (2 of 2), an enrolled inspector laptop and a reviewer, and the dishonest
//! parties of a real inspection — a new key that merged the office's
//! bundle, a clock 73 years fast, a colleague correcting another's finding,
//! a forged visit opening, negative points, a forged roster, a revoked
//! laptop. Each leaves the office's scores as they were and is named by
//! `anfang verify`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use anfang_core::Points;
use anfang_core::event::{EventBody, VisitOpened};
use anfang_core::finding::{FindingRecord, FindingResult};
use anfang_core::review::{Decision, ReviewRecord};
use anfang_core::rule::RuleInput;
use anfang_core::visit::{Unit, VisitKind};
use anfang_ledger::Ledger;
use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use uuid::Uuid;

fn anfang(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("anfang").unwrap();
    cmd.arg("--data-dir")
        .arg(dir)
        .arg("--lang")
        .arg("en")
        .env("TZ", "UTC")
        .env_remove("ANFANG_LANG");
    cmd
}

fn ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn fails(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        !out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// Times in March 2026; the rectification checks below use no "today".
fn at(day: i8, hour: i8) -> jiff::Timestamp {
    jiff::civil::date(2026, 3, day)
        .at(hour, 0, 0, 0)
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .unwrap()
        .timestamp()
}

fn unit() -> Unit {
    Unit {
        name: "市财政局".into(),
        department: "财政".into(),
    }
}

/// Opens a visit to 市财政局 on the laptop in `dir` and records `items`
/// (item id, count); returns the finding ids.
fn record_visit(dir: &Path, visit: u64, team: &str, items: &[(&str, u32)]) -> Vec<Uuid> {
    let mut l = Ledger::open(dir).unwrap();
    let snapshots = anfang_core::core_checklists::core_manifest().snapshots();
    let visit_id = Uuid::from_u64_pair(1, visit);
    l.append_at(
        &EventBody::VisitOpened(VisitOpened {
            rechecks: None,
            unit_id: None,
            visit_id,
            unit: unit(),
            kind: VisitKind::Unannounced,
            team: vec![team.into()],
            started_at: at(2, 1),
            checklists: snapshots.clone(),
        }),
        at(2, 1),
    )
    .unwrap();
    let mut ids = Vec::new();
    for (i, (item_id, count)) in items.iter().enumerate() {
        let snapshot = snapshots
            .iter()
            .find(|s| s.item(item_id).is_some())
            .unwrap();
        let item = snapshot.item(item_id).unwrap();
        let input = RuleInput {
            count: *count,
            ..RuleInput::default()
        };
        let finding_id = Uuid::from_u64_pair(2, visit * 100 + i as u64);
        l.append_at(
            &EventBody::FindingRecorded(FindingRecord {
                finding_id,
                visit_id,
                item: snapshot.item_ref(item),
                result: FindingResult::Violation,
                points: item.rule.deduction(&input).unwrap(),
                input,
                subject: Some(format!("工号{i:04}")),
                note: "现场记录".into(),
                observed_at: at(2, 2),
                points_by_hand: false,
                supersedes: None,
                source: None,
            }),
            at(2, 2),
        )
        .unwrap();
        ids.push(finding_id);
    }
    ids
}

fn score(dir: &Path) -> f64 {
    let out = ok(anfang(dir).args([
        "scores",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--json",
    ]));
    let units: Value = serde_json::from_str(&out).unwrap();
    units
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"] == "市财政局")
        .map(|u| u["score"].as_f64().unwrap())
        .unwrap()
}

fn bundle(dir: &Path, out: &Path) -> PathBuf {
    ok(anfang(dir).args(["bundle", "--out"]).arg(out));
    out.to_path_buf()
}

struct Office {
    root: tempfile::TempDir,
    office: PathBuf,
    keys: [PathBuf; 2],
    pass: PathBuf,
    fingerprint: String,
}

impl Office {
    fn new() -> Office {
        let root = tempfile::tempdir().unwrap();
        let office = root.path().join("office");
        let drive = root.path().join("usb");
        std::fs::create_dir_all(&drive).unwrap();
        let pass = drive.join("pass.txt");
        std::fs::write(&pass, "领导甲的口令\n领导乙的口令\n").unwrap();
        let keys = [drive.join("root1.key"), drive.join("root2.key")];
        let out = ok(anfang(&office)
            .args(["office", "init", "--threshold", "2", "--passphrase-file"])
            .arg(&pass)
            .arg("--root-key")
            .arg(&keys[0])
            .arg("--root-key")
            .arg(&keys[1]));
        let fingerprint = out.lines().last().unwrap().trim().to_string();
        assert_eq!(fingerprint.len(), 64, "{out}");
        Office {
            root,
            office,
            keys,
            pass,
            fingerprint,
        }
    }

    fn dir(&self, name: &str) -> PathBuf {
        self.root.path().join(name)
    }

    /// Enrolls a laptop (its data folder `name`) with roles, and has it join.
    fn enroll(&self, name: &str, person: &str, roles: &[&str]) -> PathBuf {
        let laptop = self.dir(name);
        let request = self.dir(&format!("{name}.request"));
        ok(anfang(&laptop)
            .args(["enroll", "--name", person, "--out"])
            .arg(&request));
        self.roster(&["add", request.to_str().unwrap()], roles);
        let b = bundle(
            &self.office,
            &self.dir(&format!("office-for-{name}.bundle")),
        );
        ok(anfang(&laptop)
            .args(["office", "join"])
            .arg(&b)
            .args(["--fingerprint", &self.fingerprint]));
        laptop
    }

    fn roster(&self, args: &[&str], roles: &[&str]) {
        let mut cmd = anfang(&self.office);
        cmd.arg("roster").args(args);
        for r in roles {
            cmd.args(["--role", r]);
        }
        ok(cmd
            .arg("--passphrase-file")
            .arg(&self.pass)
            .arg("--root-key")
            .arg(&self.keys[0])
            .arg("--root-key")
            .arg(&self.keys[1]));
    }

    fn merge(&self, bundle: &Path) -> String {
        ok(anfang(&self.office).arg("merge").arg(bundle))
    }
}

#[test]
fn every_attack_leaves_the_office_scores_unchanged_and_is_named() {
    let o = Office::new();
    let inspector = o.enroll("laptop1", "张伟", &["inspector"]);
    let ids = record_visit(
        &inspector,
        1,
        "张伟",
        &[("late-arrival", 3), ("eat-take-obstruct", 1)],
    );
    o.merge(&bundle(&inspector, &o.dir("laptop1.bundle")));
    // The office confirms both: 3 + 10 points.
    for id in &ids {
        ok(anfang(&o.office).args(["review", "confirm", &id.to_string()]));
    }
    assert_eq!(score(&o.office), 87.0);
    let listed: Value =
        serde_json::from_str(&ok(anfang(&o.office).args(["review", "list", "--json"]))).unwrap();
    let row = &listed.as_array().unwrap()[0];
    assert_eq!(row["status"], "confirmed");
    assert!(
        row["recorded_by"].as_str().unwrap().starts_with("张伟 "),
        "{row}"
    );
    ok(anfang(&o.office).args(["verify", "--full"]));

    // 1 and 2: a new key that merged the office's bundle dismisses both
    // findings, one with a clock 73 years fast.
    let stranger = o.dir("stranger");
    ok(anfang(&stranger)
        .arg("merge")
        .arg(bundle(&o.office, &o.dir("office.bundle"))));
    {
        let mut l = Ledger::open(&stranger).unwrap();
        for (i, id) in ids.iter().enumerate() {
            let follows = l.decision_follows(*id).unwrap();
            let claimed = if i == 0 {
                at(2, 3)
            } else {
                "2099-03-02T03:00:00Z".parse().unwrap()
            };
            l.append_at(
                &EventBody::ReviewDecided(ReviewRecord {
                    finding_id: *id,
                    reviewer: "王主任".into(),
                    decision: Decision::Dismiss {
                        reason: "无".into(),
                    },
                    follows: Some(follows),
                    reason: None,
                }),
                claimed,
            )
            .unwrap();
        }
    }
    // 4: a forged opening of the inspector's visit id, to another unit.
    {
        let mut l = Ledger::open(&stranger).unwrap();
        l.append_at(
            &EventBody::VisitOpened(VisitOpened {
                rechecks: None,
                unit_id: None,
                visit_id: Uuid::from_u64_pair(1, 1),
                unit: Unit {
                    name: "市规划局".into(),
                    department: "规划".into(),
                },
                kind: VisitKind::Unannounced,
                team: vec!["张伟".into()],
                started_at: at(1, 1),
                checklists: Vec::new(),
            }),
            at(1, 1),
        )
        .unwrap();
    }
    let report = o.merge(&bundle(&stranger, &o.dir("stranger.bundle")));
    assert!(report.contains("unenrolled device"), "{report}");
    assert_eq!(score(&o.office), 87.0, "the stranger changed nothing");
    let refused = fails(anfang(&o.office).args(["verify"]));
    assert!(refused.contains("unauthorized review_decided"), "{refused}");
    assert!(refused.contains("not on the office's roster"), "{refused}");

    // 3: an enrolled colleague corrects the inspector's finding to compliant.
    let colleague = o.enroll("laptop2", "李娜", &["inspector"]);
    {
        let mut l = Ledger::open(&colleague).unwrap();
        let first = l
            .finding_history(ids[1])
            .unwrap()
            .versions
            .last()
            .unwrap()
            .clone();
        let mut record = first.record.clone();
        record.result = FindingResult::Compliant;
        record.points = Points::ZERO;
        record.supersedes = Some(first.event_id.clone());
        l.append(&EventBody::FindingRecorded(record)).unwrap();
    }
    // 5: in a visit of its own, a finding of −50 points.
    let own = record_visit(&colleague, 7, "李娜", &[("late-arrival", 1)]);
    {
        let mut l = Ledger::open(&colleague).unwrap();
        let first = l.finding_history(own[0]).unwrap().versions[0].clone();
        let mut record = first.record.clone();
        record.points = Points::whole(-50);
        record.supersedes = Some(first.event_id.clone());
        l.append(&EventBody::FindingRecorded(record)).unwrap();
    }
    o.merge(&bundle(&colleague, &o.dir("laptop2.bundle")));
    let confirm = ok(anfang(&o.office).args(["review", "confirm", &own[0].to_string()]));
    assert!(confirm.contains("confirmed"), "{confirm}");
    // The −50 correction does not count: the 1-point late arrival does.
    assert_eq!(
        score(&o.office),
        86.0,
        "another's correction and negative points change nothing"
    );
    let refused = fails(anfang(&o.office).args(["verify"]));
    assert!(
        refused.contains("points do not follow the item's rule"),
        "{refused}"
    );

    // Revocation: the inspector's laptop is lost; what it records later counts for nothing.
    let last = Ledger::open(&o.office)
        .unwrap()
        .last_seq_of(Ledger::open(&inspector).unwrap().device_id())
        .unwrap();
    o.roster(
        &[
            "revoke",
            &Ledger::open(&inspector).unwrap().device_id()[..16],
            "--after-seq",
            &last.to_string(),
        ],
        &[],
    );
    record_visit(&inspector, 2, "张伟", &[("eat-take-obstruct", 1)]);
    o.merge(&bundle(&inspector, &o.dir("laptop1-after.bundle")));
    assert_eq!(
        score(&o.office),
        86.0,
        "a revoked laptop's findings do not count"
    );
    let refused = fails(anfang(&o.office).args(["verify"]));
    assert!(
        refused.contains("not authorized at this sequence number"),
        "{refused}"
    );
    let roster: Value =
        serde_json::from_str(&ok(anfang(&o.office).args(["roster", "list", "--json"]))).unwrap();
    assert_eq!(roster["office_fingerprint"], o.fingerprint.as_str());
    assert_eq!(roster["version"], 4);
}

#[test]
fn a_decision_by_a_device_without_the_role_is_refused_at_the_command_line() {
    let o = Office::new();
    let inspector = o.enroll("laptop1", "张伟", &["inspector"]);
    let ids = record_visit(&inspector, 1, "张伟", &[("late-arrival", 1)]);
    o.merge(&bundle(&inspector, &o.dir("laptop1.bundle")));
    // The inspector's laptop gets the finding back and tries to confirm it.
    ok(anfang(&inspector)
        .arg("merge")
        .arg(bundle(&o.office, &o.dir("back.bundle"))));
    let err = fails(anfang(&inspector).args(["review", "confirm", &ids[0].to_string()]));
    assert!(err.contains("张伟 is not a reviewer for 市财政局"), "{err}");
    // A reviewer may not review a visit they were on.
    let reviewer = o.enroll("laptop3", "张伟", &["reviewer"]);
    ok(anfang(&reviewer)
        .arg("merge")
        .arg(bundle(&o.office, &o.dir("back2.bundle"))));
    let err = fails(anfang(&reviewer).args(["review", "confirm", &ids[0].to_string()]));
    assert!(err.contains("may not review"), "{err}");
}

#[test]
fn a_roster_signed_by_one_of_two_roots_or_by_a_stranger_changes_nothing() {
    let o = Office::new();
    // One of the two root keys is below the threshold: refused before publishing.
    let request = o.dir("req");
    ok(anfang(&o.dir("laptop9"))
        .args(["enroll", "--name", "赵六", "--out"])
        .arg(&request));
    let err = fails(
        anfang(&o.office)
            .args(["roster", "add"])
            .arg(&request)
            .args(["--role", "reviewer", "--passphrase-file"])
            .arg(&o.pass)
            .arg("--root-key")
            .arg(&o.keys[0]),
    );
    assert!(
        err.contains("signed by 1 of the 2 root keys needed"),
        "{err}"
    );
    // A stranger's own root key signs a roster naming the office: kept, flagged, ignored.
    let stranger = o.dir("stranger");
    let key = anfang_ledger::office::root_key::RootKey::from_seed([9; 32]);
    let mut l = Ledger::open(&stranger).unwrap();
    let doc = anfang_core::authority::RosterDocument {
        office_name: "伪造".into(),
        office: o.fingerprint.clone(),
        version: 2,
        previous: None,
        roots: anfang_core::authority::Roots {
            keys: vec![key.public().to_string()],
            threshold: 1,
        },
        people: Vec::new(),
        delegations: Vec::new(),
        settings: Default::default(),
    };
    let text = doc.to_text();
    l.publish_roster(text.clone(), vec![key.sign_roster(&text)])
        .unwrap();
    drop(l);
    o.merge(&bundle(&stranger, &o.dir("stranger.bundle")));
    let roster: Value =
        serde_json::from_str(&ok(anfang(&o.office).args(["roster", "list", "--json"]))).unwrap();
    assert_eq!(roster["version"], 1);
    let err = fails(anfang(&o.office).args(["verify"]));
    assert!(
        err.contains("roster not signed by the office's root keys"),
        "{err}"
    );
}

#[test]
fn only_the_offices_admin_publishes_the_register_of_units() {
    let o = Office::new();
    let inspector = o.enroll("laptop1", "张伟", &["inspector"]);
    let add = |dir: &Path, name: &str| {
        let mut cmd = anfang(dir);
        cmd.args([
            "units",
            "add",
            "--name",
            name,
            "--department",
            "财政",
            "--kind",
            "机关",
        ]);
        cmd
    };
    let err = fails(&mut add(&inspector, "市财政局"));
    assert!(
        err.contains("the register is published by the office's admin"),
        "{err}"
    );
    let listed = ok(anfang(&inspector).args(["units", "list", "--json"]));
    assert_eq!(listed.trim(), "[]");
    // The office machine holds the admin role: it publishes, and the
    // laptop receives the register with the office's next bundle.
    ok(&mut add(&o.office, "市财政局"));
    ok(anfang(&inspector)
        .arg("merge")
        .arg(bundle(&o.office, &o.dir("units.bundle"))));
    let listed: Value =
        serde_json::from_str(&ok(anfang(&inspector).args(["units", "list", "--json"]))).unwrap();
    assert_eq!(listed[0]["name"], "市财政局");
}

#[test]
fn a_batch_confirmation_writes_one_decision_per_finding_and_none_it_may_not() {
    let o = Office::new();
    let inspector = o.enroll("laptop1", "张伟", &["inspector"]);
    let ids = record_visit(
        &inspector,
        1,
        "张伟",
        &[
            ("late-arrival", 1),
            ("no-badge", 1),
            ("eat-take-obstruct", 1),
        ],
    );
    o.merge(&bundle(&inspector, &o.dir("laptop1.bundle")));
    // A reviewer who was on the visit: nothing is written, each says why.
    let reviewer = o.enroll("laptop3", "张伟", &["reviewer"]);
    ok(anfang(&reviewer)
        .arg("merge")
        .arg(bundle(&o.office, &o.dir("back.bundle"))));
    let mut l = Ledger::open(&reviewer).unwrap();
    let before = l.last_seq_of(l.device_id()).unwrap();
    let outcome = l.confirm_each(&ids, "张伟", at(3, 1)).unwrap();
    assert!(outcome.confirmed.is_empty());
    assert_eq!(outcome.refused.len(), 3);
    assert!(
        outcome.refused[0].1.en.contains("may not review"),
        "{outcome:?}"
    );
    assert_eq!(
        l.last_seq_of(l.device_id()).unwrap(),
        before,
        "nothing written"
    );
    // The office: one signed decision each, each the first of its chain.
    let mut l = Ledger::open(&o.office).unwrap();
    assert_eq!(
        l.pending_of_visit(Uuid::from_u64_pair(1, 1)).unwrap().len(),
        3
    );
    let outcome = l.confirm_each(&ids, "王主任", at(3, 1)).unwrap();
    assert_eq!(outcome.confirmed, ids);
    assert!(outcome.refused.is_empty());
    for id in &ids {
        let decisions = l.review_detail(*id).unwrap().unwrap().history.decisions;
        assert_eq!(decisions.len(), 1);
        assert_eq!(
            decisions[0].0.follows,
            Some(anfang_core::review::Follows::First)
        );
    }
    assert!(
        l.pending_of_visit(Uuid::from_u64_pair(1, 1))
            .unwrap()
            .is_empty()
    );
    drop(l);
    assert_eq!(score(&o.office), 100.0 - 1.0 - 1.0 - 10.0);
}

#[test]
fn a_city_rolls_up_into_a_province_for_its_own_units_and_nothing_beyond() {
    let city = Office::new();
    let laptop = city.enroll("laptop1", "张伟", &["inspector"]);
    let ids = record_visit(&laptop, 1, "张伟", &[("late-arrival", 2)]);
    city.merge(&bundle(&laptop, &city.dir("laptop1.bundle")));
    ok(anfang(&city.office).args(["review", "confirm", &ids[0].to_string()]));
    assert_eq!(score(&city.office), 98.0);
    ok(anfang(&city.office).args(["verify", "--full"]));
    let city_roster = city.dir("city-roster.json");
    std::fs::write(
        &city_roster,
        ok(anfang(&city.office).args(["roster", "list", "--json"])),
    )
    .unwrap();
    let city_bundle = bundle(&city.office, &city.dir("city.bundle"));

    // The province trusts the city for 市财政局: the city's roster, its
    // inspector's finding and its reviewer's decision count there.
    let province = Office::new();
    let delegate = |p: &Office, unit: &str| {
        p.roster(
            &[
                "delegate",
                "--name",
                "某市效能办",
                "--roster",
                city_roster.to_str().unwrap(),
                "--unit",
                unit,
            ],
            &[],
        )
    };
    delegate(&province, "市财政局");
    let merged = province.merge(&city_bundle);
    assert!(merged.contains("张伟"), "{merged}");
    assert_eq!(score(&province.office), 98.0);
    ok(anfang(&province.office).args(["verify", "--full"]));

    // A province that trusts the city only for another unit takes nothing
    // of it for 市财政局, and names every event it refused.
    let other = Office::new();
    delegate(&other, "市税务局第一税务分局办税服务厅");
    other.merge(&city_bundle);
    let scores: Value = serde_json::from_str(&ok(anfang(&other.office).args([
        "scores",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--json",
    ])))
    .unwrap();
    assert!(
        scores
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["unit"] != "市财政局" || u["score"].as_f64() == Some(100.0)),
        "{scores}"
    );
    let refused = fails(anfang(&other.office).args(["verify"]));
    assert!(refused.contains("市财政局"), "{refused}");

    // A roster file whose roots do not give its fingerprint is refused.
    let mut listed: Value =
        serde_json::from_str(&std::fs::read_to_string(&city_roster).unwrap()).unwrap();
    listed["roots"]["threshold"] = 1.into();
    let edited = city.dir("edited.json");
    std::fs::write(&edited, listed.to_string()).unwrap();
    let err = fails(
        anfang(&province.office)
            .args([
                "roster",
                "delegate",
                "--name",
                "某市",
                "--unit",
                "市财政局",
                "--roster",
            ])
            .arg(&edited)
            .arg("--passphrase-file")
            .arg(&province.pass)
            .arg("--root-key")
            .arg(&province.keys[0])
            .arg("--root-key")
            .arg(&province.keys[1]),
    );
    assert!(err.contains("do not give its fingerprint"), "{err}");
}

/// 申诉复核 in an office: the person who confirmed a finding may not decide
/// its appeal, from any of their laptops; another reviewer may.
#[test]
fn an_appeal_is_decided_by_a_reviewer_other_than_the_person_who_confirmed() {
    let o = Office::new();
    let inspector = o.enroll("laptop1", "张伟", &["inspector"]);
    let wang = o.enroll("laptop2", "王主任", &["reviewer"]);
    let wang_again = o.enroll("laptop3", "王主任", &["reviewer"]);
    let li = o.enroll("laptop4", "李科长", &["reviewer"]);
    let ids = record_visit(&inspector, 1, "张伟", &[("late-arrival", 1)]);
    let id = ids[0].to_string();
    let found = bundle(&inspector, &o.dir("laptop1.bundle"));
    ok(anfang(&wang).arg("merge").arg(&found));
    ok(anfang(&wang).args(["review", "confirm", &id]));
    ok(anfang(&wang).args(["review", "appeal", &id, "--reason", "当日外出办事"]));
    let appealed = bundle(&wang, &o.dir("laptop2.bundle"));
    // The same person on another laptop is still the one who confirmed.
    ok(anfang(&wang_again).arg("merge").arg(&appealed));
    let err = fails(anfang(&wang_again).args([
        "review",
        "appeal-decide",
        &id,
        "--uphold",
        "--reason",
        "有登记",
    ]));
    assert!(
        err.contains("王主任") && err.contains("another reviewer"),
        "{err}"
    );
    // Another reviewer decides it.
    ok(anfang(&li).arg("merge").arg(&appealed));
    ok(anfang(&li).args([
        "review",
        "appeal-decide",
        &id,
        "--uphold",
        "--reason",
        "有外出登记",
    ]));
    o.merge(&found);
    o.merge(&appealed);
    o.merge(&bundle(&li, &o.dir("laptop4.bundle")));
    let history: Value = serde_json::from_str(&ok(
        anfang(&o.office).args(["review", "history", &id, "--json"])
    ))
    .unwrap();
    assert_eq!(history["status"], "dismissed");
    let by: Vec<_> = history["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["by"].as_str().unwrap().to_string())
        .collect();
    assert!(
        by[0].starts_with("王主任") && by[2].starts_with("李科长"),
        "{by:?}"
    );
    ok(anfang(&o.office).args(["verify", "--full"]));
}

/// Exports and the visit record name the recording device's person as the
/// roster gives it, with the short fingerprint, beside the team typed on
/// the visit (free text anyone can set); an open ledger names the device
/// only. The new column and field do not stop the export being imported.
#[test]
fn exports_name_the_rosters_person_beside_the_typed_team() {
    let o = Office::new();
    let laptop = o.enroll("laptop", "张伟", &["inspector"]);
    let device = Ledger::open(&laptop).unwrap().device_id().to_owned();
    let fp = &device[..12];
    // The team typed on the laptop claims someone else.
    record_visit(&laptop, 1, "李四", &[("late-arrival", 1)]);
    o.merge(&bundle(&laptop, &o.dir("laptop.bundle")));

    let csv = o.dir("findings.csv");
    ok(anfang(&o.office)
        .args(["export", "--format", "csv", "--out"])
        .arg(&csv));
    let text = std::fs::read_to_string(&csv).unwrap();
    let header = text.lines().next().unwrap();
    assert!(header.contains("Recorded by"), "{header}");
    let row = text.lines().nth(1).unwrap();
    assert!(row.contains(&format!("张伟 {fp}")), "{row}");
    assert!(
        row.contains("李四"),
        "the typed team stays beside it: {row}"
    );

    let json = o.dir("findings.json");
    ok(anfang(&o.office)
        .args(["export", "--format", "json", "--out"])
        .arg(&json));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let recorded = &doc["findings"][0]["recorded_by"];
    assert_eq!(recorded["person"], "张伟");
    assert_eq!(recorded["enrolled"], true);
    assert_eq!(recorded["fingerprint"], fp);
    assert_eq!(doc["findings"][0]["inspectors"][0], "李四");

    let visit = Uuid::from_u64_pair(1, 1).to_string();
    let html = o.dir("visit.html");
    ok(anfang(&o.office)
        .args(["export", "--visit", &visit, "--format", "html", "--out"])
        .arg(&html));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains(&format!("张伟 {fp}")), "{page}");

    // Anonymized, the roster's name becomes an inspector's pseudonym; the
    // fingerprint stays.
    let anonymous = o.dir("anonymous.csv");
    ok(anfang(&o.office)
        .args(["export", "--format", "csv", "--anonymize", "--out"])
        .arg(&anonymous));
    let text = std::fs::read_to_string(&anonymous).unwrap();
    let row = text.lines().nth(1).unwrap();
    assert!(!row.contains("张伟"), "{row}");
    assert!(row.contains(fp), "{row}");

    // A ledger with no office knows devices only by their fingerprint.
    let open = o.dir("open");
    ok(anfang(&open).arg("merge").arg(o.dir("laptop.bundle")));
    // Exports carrying the new column and field are read as imports (the
    // finding is already there, so nothing is added, and nothing refused).
    for file in [&csv, &json] {
        ok(anfang(&open).arg("import").arg(file));
    }
    let open_csv = o.dir("open.csv");
    ok(anfang(&open)
        .args(["export", "--format", "csv", "--out"])
        .arg(&open_csv));
    let text = std::fs::read_to_string(&open_csv).unwrap();
    let row = text.lines().nth(1).unwrap();
    assert!(row.contains(&format!("device {fp}")), "{row}");
    assert!(!row.contains("张伟"), "{row}");
}

#[test]
fn an_inspector_may_not_record_an_issued_bulletin_and_a_reviewer_may() {
    let o = Office::new();
    let inspector = o.enroll("laptop1", "张伟", &["inspector"]);
    record_visit(&inspector, 1, "张伟", &[("late-arrival", 1)]);
    let err = fails(anfang(&inspector).args([
        "bulletin",
        "issue",
        "--number",
        "效能办〔2026〕1号",
        "--date",
        "2026-03-31",
    ]));
    assert!(
        err.contains("张伟 is not a reviewer") && err.contains("reviewer or the admin"),
        "{err}"
    );
    let reviewer = o.enroll("laptop3", "李娜", &["reviewer"]);
    ok(anfang(&reviewer).args([
        "bulletin",
        "issue",
        "--number",
        "效能办〔2026〕1号",
        "--date",
        "2026-03-31",
    ]));
    let out = ok(anfang(&reviewer).args(["bulletin", "list"]));
    assert!(out.contains("效能办〔2026〕1号"), "{out}");
}

#[test]
fn an_inspectors_accountability_outcome_is_refused_and_a_reviewers_counts() {
    let o = Office::new();
    let inspector = o.enroll("laptop1", "张伟", &["inspector"]);
    let ids = record_visit(&inspector, 1, "张伟", &[("late-arrival", 1)]);
    let id = ids[0].to_string();
    let found = bundle(&inspector, &o.dir("laptop1.bundle"));
    let reviewer = o.enroll("laptop3", "李娜", &["reviewer"]);
    ok(anfang(&reviewer).arg("merge").arg(&found));
    ok(anfang(&reviewer).args(["review", "confirm", &id]));
    ok(anfang(&inspector)
        .arg("merge")
        .arg(bundle(&reviewer, &o.dir("laptop3.bundle"))));
    let outcome = |dir: &Path| {
        let mut cmd = anfang(dir);
        cmd.args(["review", "outcome", &id, "--person", "王五"])
            .args(["--kind", "admonishment-talk", "--date", "2026-04-01"]);
        cmd
    };
    let err = fails(&mut outcome(&inspector));
    assert!(err.contains("张伟 is not a reviewer for 市财政局"), "{err}");
    ok(&mut outcome(&reviewer));
    let listed = ok(anfang(&reviewer).args(["review", "list", "--outcome", "诫勉谈话"]));
    assert!(listed.contains(&id), "{listed}");
}

/// The pseudonyms in an anonymized CSV export of the laptop in `dir`.
fn pseudonyms(dir: &Path, name: &str) -> Vec<String> {
    let out = dir.with_file_name(format!("{name}.csv"));
    ok(anfang(dir)
        .args(["export", "--format", "csv", "--anonymize", "--out"])
        .arg(&out));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(!text.contains("工号0000"), "a name left in {text}");
    let mut found: Vec<String> = text
        .split("[Person ")
        .skip(1)
        .map(|rest| rest.split(']').next().unwrap().to_owned())
        .collect();
    found.sort();
    found.dedup();
    found
}

#[test]
fn every_laptop_of_an_office_gives_the_same_pseudonyms() {
    let office = Office::new();
    // `office init` made the secret beside the root keys.
    let key = office.keys[0].with_file_name("pseudonym.key");
    assert!(key.is_file(), "the office's pseudonym secret");
    record_visit(
        &office.office,
        1,
        "王督查",
        &[("late-arrival", 1), ("out-shopping", 1)],
    );
    let b = bundle(&office.office, &office.dir("office.bundle"));
    let joined = office.dir("laptop");
    let said = ok(anfang(&joined)
        .args(["office", "join"])
        .arg(&b)
        .args(["--fingerprint", &office.fingerprint, "--pseudonym-key"])
        .arg(&key));
    assert!(said.contains("pseudonym secret is installed"), "{said}");
    // A laptop that joined without the secret keeps a key of its own.
    let apart = office.dir("apart");
    ok(anfang(&apart)
        .args(["office", "join"])
        .arg(&b)
        .args(["--fingerprint", &office.fingerprint]));

    let at_office = pseudonyms(&office.office, "office");
    assert_eq!(at_office.len(), 2, "{at_office:?}");
    assert_eq!(pseudonyms(&joined, "laptop"), at_office);
    assert_ne!(pseudonyms(&apart, "apart"), at_office);
    // The secret never travels in a bundle.
    let secret = std::fs::read_to_string(&key).unwrap();
    let bytes = std::fs::read(&b).unwrap();
    assert!(
        !bytes.windows(64).any(|w| w == secret.trim().as_bytes()),
        "the bundle carries the secret"
    );

    // A file that holds no key is refused by name and joins nothing.
    let bad = office.dir("bad.key");
    std::fs::write(&bad, "not a key").unwrap();
    let third = office.dir("third");
    let err = fails(
        anfang(&third)
            .args(["office", "join"])
            .arg(&b)
            .args(["--fingerprint", &office.fingerprint, "--pseudonym-key"])
            .arg(&bad),
    );
    assert!(err.contains("bad.key"), "{err}");
}

/// The id an `anfang deduct` entry printed first.
fn entered_id(out: &str) -> String {
    out.split_whitespace().next().unwrap().to_string()
}

#[test]
fn an_office_deduction_is_decided_by_a_reviewer_other_than_whoever_entered_it() {
    let o = Office::new();
    let inspector = o.enroll("laptop1", "张伟", &["inspector"]);
    record_visit(&inspector, 1, "张伟", &[]);
    o.merge(&bundle(&inspector, &o.dir("laptop1.bundle")));
    let entrant = o.enroll("rev1", "王芳", &["reviewer"]);
    let other = o.enroll("rev2", "李娜", &["reviewer"]);
    for (laptop, name) in [(&entrant, "e"), (&other, "o"), (&inspector, "i")] {
        ok(anfang(laptop)
            .arg("merge")
            .arg(bundle(&o.office, &o.dir(&format!("back-{name}.bundle")))));
    }
    let id = entered_id(&ok(anfang(&entrant).args([
        "deduct",
        "--unit",
        "市财政局",
        "--item",
        "meeting-absent",
        "--date",
        "2026-03-05",
        "--reason",
        "缺席全市作风建设会议",
    ])));
    // Whoever entered it may not confirm it.
    let err = fails(anfang(&entrant).args(["deduct", "confirm", &id]));
    assert!(
        err.contains("王芳 may not review an office deduction they entered"),
        "{err}"
    );
    o.merge(&bundle(&entrant, &o.dir("rev1.bundle")));
    assert_eq!(score(&o.office), 100.0, "pending: shown, not counted");
    // An inspector may not decide on it.
    ok(anfang(&inspector)
        .arg("merge")
        .arg(bundle(&o.office, &o.dir("back-i2.bundle"))));
    let err = fails(anfang(&inspector).args(["deduct", "confirm", &id]));
    assert!(err.contains("张伟 is not a reviewer for 市财政局"), "{err}");
    // Written all the same (a tampered laptop): kept, refused, named by verify.
    {
        let mut l = Ledger::open(&inspector).unwrap();
        l.review_deduction(
            id.parse().unwrap(),
            "张伟",
            anfang_core::office_deduction::DeductionDecision::Confirm,
            at(6, 1),
        )
        .unwrap();
    }
    o.merge(&bundle(&inspector, &o.dir("laptop1-2.bundle")));
    assert_eq!(
        score(&o.office),
        100.0,
        "the inspector's decision counts for nothing"
    );
    let refused = fails(anfang(&o.office).args(["verify"]));
    assert!(
        refused.contains("unauthorized deduction_reviewed"),
        "{refused}"
    );
    // Another reviewer confirms it: it counts.
    ok(anfang(&other)
        .arg("merge")
        .arg(bundle(&o.office, &o.dir("back-o2.bundle"))));
    ok(anfang(&other).args(["deduct", "confirm", &id]));
    o.merge(&bundle(&other, &o.dir("rev2.bundle")));
    assert_eq!(score(&o.office), 98.0);
    let listed: Value =
        serde_json::from_str(&ok(anfang(&o.office).args(["deduct", "list", "--json"]))).unwrap();
    assert_eq!(listed[0]["status"], "confirmed");
    assert_eq!(listed[0]["entered_by"], "王芳");
    let decisions = listed[0]["decisions"].as_array().unwrap();
    assert_eq!(decisions.len(), 2);
    assert!(
        decisions
            .iter()
            .any(|d| d["reviewer"] == "李娜" && d["counts"] == true)
    );
}
