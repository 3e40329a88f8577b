//! The million-finding ledger the review benchmarks run on: generated
//! once with the ledger's batch append (signed events, derived tables, the
//! full-text index) and kept in `target/bench-data/` for later runs.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs, dead_code)]

use anfang_core::Points;
use anfang_core::event::{EventBody, VisitOpened};
use anfang_core::finding::{FindingRecord, FindingResult};
use anfang_core::manifest::ChecklistSnapshot;
use anfang_core::review::{Decision, ReviewRecord};
use anfang_core::rule::RuleInput;
use anfang_core::visit::{Unit, VisitKind};
use anfang_ledger::{DeviceKey, Ledger};
use jiff::{SignedDuration, Timestamp};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A device key from a small number.
pub fn key(n: u8) -> DeviceKey {
    DeviceKey::from_seed([n; 32])
}

/// The number of findings asked for (`ANFANG_BENCH_FINDINGS`, default a million).
pub fn findings_wanted() -> u64 {
    std::env::var("ANFANG_BENCH_FINDINGS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000)
}

/// Bump when the generated data changes shape, so an old cache is not reused.
pub const GENERATOR_VERSION: u32 = 1;
pub const FINDINGS_PER_VISIT: u64 = 20;
pub const UNITS: u64 = 1000;
pub const INSPECTORS: u64 = 50;

pub const DISTRICTS: &[&str] = &[
    "东城", "西城", "南岗", "北湖", "高新", "开发", "滨江", "临港", "新城", "老城", "城关", "河西",
    "河东", "山南", "山北", "经开", "空港", "湖滨", "江北", "江南",
];
pub const BODIES: &[(&str, &str)] = &[
    ("税务局办税服务厅", "税务"),
    ("自然资源和规划局", "规划"),
    ("政务服务中心", "政务服务"),
    ("住房和城乡建设局", "住建"),
    ("财政局", "财政"),
    ("人力资源和社会保障局", "人社"),
    ("市场监督管理局", "市场监管"),
    ("公安分局户籍窗口", "公安"),
    ("不动产登记中心", "规划"),
    ("医疗保障局", "医保"),
];
pub const SURNAMES: &[&str] = &["张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴"];
pub const GIVEN: &[&str] = &["伟", "芳", "娜", "敏", "静", "强", "磊", "洋"];
pub const NOTES: &[&str] = &[
    "上午9:{m}分，{w}号窗口工作人员仍未到岗，群众排队等候约{n}分钟。",
    "工作人员在岗时间使用手机观看短视频，对前来咨询的群众未予理会，持续约{n}分钟。",
    "{w}号窗口未佩戴工作牌，首问责任制落实不到位，群众被要求二次申请。",
    "服务承诺未公示，投诉箱上锁且无人定期查看，已拍照留存（第{n}张）。",
    "下午{m}分，办公室{n}人围坐闲聊，与工作无关。",
    "{w}号窗口工作人员对群众态度生硬，门难进、脸难看、话难听。",
    "离岗未留去向，AB岗无人顶岗，群众等候{n}分钟后离开。",
    "工作日午餐期间饮酒，餐馆位于单位东侧约{n}米。",
];
pub const ITEMS: &[(&str, &str)] = &[
    ("attendance", "late-arrival"),
    ("attendance", "early-leave"),
    ("attendance", "no-whereabouts-note"),
    ("attendance", "ab-post-uncovered"),
    ("conduct", "online-leisure"),
    ("conduct", "cards-idle-chat"),
    ("conduct", "no-badge"),
    ("conduct", "lunch-drinking"),
    ("window", "first-inquiry"),
    ("window", "four-difficulties"),
    ("window", "eat-take-obstruct"),
    ("window", "overdue-case"),
];

/// A small, fast, deterministic generator (splitmix64).
pub struct Rng(pub u64);

impl Rng {
    /// The next number.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

pub fn unit_of(i: u64) -> Unit {
    let district = DISTRICTS[(i % DISTRICTS.len() as u64) as usize];
    let (body, department) = BODIES[((i / DISTRICTS.len() as u64) % BODIES.len() as u64) as usize];
    let branch = i / (DISTRICTS.len() * BODIES.len()) as u64;
    Unit {
        name: format!("{district}区{body}第{}分部", branch + 1),
        department: department.into(),
    }
}

pub fn inspector(i: u64) -> String {
    format!(
        "{}{}{}",
        SURNAMES[(i % 10) as usize],
        GIVEN[((i / 10) % 8) as usize],
        if i >= 80 { "二" } else { "" }
    )
}

pub fn note(rng: &mut Rng) -> String {
    NOTES[rng.below(NOTES.len() as u64) as usize]
        .replace("{m}", &format!("{:02}", rng.below(60)))
        .replace("{w}", &(rng.below(30) + 1).to_string())
        .replace("{n}", &(rng.below(50) + 2).to_string())
}

pub fn bench_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("bench-data")
}

/// Generates the ledger unless a finished copy is cached.
pub fn ledger_file(findings: u64) -> PathBuf {
    let dir = bench_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("review-v{GENERATOR_VERSION}-{findings}.sqlite"));
    if path.exists() {
        println!("using cached ledger {}", path.display());
        return path;
    }
    let partial = dir.join(format!(
        "review-v{GENERATOR_VERSION}-{findings}.partial.sqlite"
    ));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
    }
    let started = Instant::now();
    generate(&partial, findings);
    std::fs::rename(&partial, &path).unwrap();
    println!(
        "generated {findings} findings in {:.1} s -> {}",
        started.elapsed().as_secs_f64(),
        path.display()
    );
    path
}

/// Inspectors' devices record visits and findings through 2025; a reviewer
/// decides about 60 % of findings two days later; a rectification chain
/// (ordered, reported, verified) runs on three devices of its own, so each
/// device's clock only moves forward.
pub fn generate(path: &Path, findings: u64) {
    let mut ledger = Ledger::open_with_key(path, key(200)).unwrap();
    let inspectors: Vec<DeviceKey> = (0..INSPECTORS).map(|i| key(i as u8 + 1)).collect();
    let reviewer = key(101);
    let liaison = key(102);
    let verifier = key(103);
    let checklists: Vec<ChecklistSnapshot> =
        anfang_core::core_checklists::core_manifest().snapshots();
    let mut rng = Rng(2026);
    let start = Timestamp::from_second(1_735_689_600).unwrap(); // 2025-01-01T00:00:00Z
    let year = 365 * 86_400;
    let visits = findings.div_ceil(FINDINGS_PER_VISIT);
    let mut batch: Vec<(Option<&DeviceKey>, EventBody, Timestamp)> = Vec::new();
    let mut written = 0u64;
    let mut last_report = Instant::now();
    for v in 0..visits {
        let lead = v % INSPECTORS;
        let device = &inspectors[lead as usize];
        let started = start + SignedDuration::from_secs((v * year / visits) as i64);
        let visit_id = uuid::Uuid::from_u64_pair(1, v);
        let unit = unit_of(rng.below(UNITS));
        let checklist = &checklists[(v % 3) as usize];
        batch.push((
            Some(device),
            EventBody::VisitOpened(VisitOpened {
                rechecks: None,
                unit_id: None,
                visit_id,
                unit,
                kind: VisitKind::Unannounced,
                team: vec![inspector(lead), inspector((lead + 7) % INSPECTORS)],
                started_at: started,
                checklists: vec![checklist.clone()],
            }),
            started,
        ));
        let in_visit = FINDINGS_PER_VISIT.min(findings - written);
        for i in 0..in_visit {
            let n = written + i;
            let observed = started + SignedDuration::from_secs((i * 60) as i64);
            let items: Vec<&(&str, &str)> = ITEMS
                .iter()
                .filter(|(c, _)| *c == checklist.checklist.id)
                .collect();
            let (_, item_id) = items[rng.below(items.len() as u64) as usize];
            let item = checklist.item(item_id).unwrap();
            let count = 1 + (rng.below(10) / 7) as u32;
            let input = RuleInput {
                count,
                ..RuleInput::default()
            };
            let compliant = rng.below(10) == 0;
            let finding_id = uuid::Uuid::from_u64_pair(2, n);
            let record = FindingRecord {
                finding_id,
                visit_id,
                item: checklist.item_ref(item),
                result: if compliant {
                    FindingResult::Compliant
                } else {
                    FindingResult::Violation
                },
                input: input.clone(),
                subject: Some(format!(
                    "{}（工号{:04}）",
                    inspector(rng.below(97)),
                    rng.below(10_000)
                )),
                note: note(&mut rng),
                observed_at: observed,
                points: if compliant {
                    Points::ZERO
                } else {
                    item.rule.deduction(&input).unwrap()
                },
                points_by_hand: false,
                supersedes: None,
                source: None,
            };
            batch.push((Some(device), EventBody::FindingRecorded(record), observed));
            if compliant {
                continue;
            }
            let decide = |who: &str, decision: Decision| {
                EventBody::ReviewDecided(ReviewRecord {
                    finding_id,
                    reviewer: who.into(),
                    decision,
                    follows: None,
                    reason: None,
                })
            };
            let days = |d: i64| observed + SignedDuration::from_hours(24 * d);
            let deadline = |d: i64| jiff::tz::TimeZone::UTC.to_datetime(days(d)).date();
            match rng.below(20) {
                // Pending: 40 %.
                0..8 => {}
                8..14 => batch.push((
                    Some(&reviewer),
                    decide("王主任", Decision::Confirm { points: None }),
                    days(2),
                )),
                14 => batch.push((
                    Some(&reviewer),
                    decide(
                        "王主任",
                        Decision::Dismiss {
                            reason: "证据不足，无法认定".into(),
                        },
                    ),
                    days(2),
                )),
                stage => {
                    batch.push((
                        Some(&reviewer),
                        decide(
                            "王主任",
                            Decision::RequireRectification {
                                deadline: deadline(16),
                                rejected: None,
                            },
                        ),
                        days(2),
                    ));
                    if stage >= 17 {
                        batch.push((
                            Some(&liaison),
                            decide(
                                "单位联络员",
                                Decision::MarkRectified {
                                    note: "已整改并建立台账".into(),
                                    evidence: None,
                                },
                            ),
                            days(10),
                        ));
                    }
                    if stage >= 19 {
                        batch.push((
                            Some(&verifier),
                            decide("赵科长", Decision::VerifyRectification { checked: None }),
                            days(15),
                        ));
                    }
                }
            }
        }
        written += in_visit;
        if batch.len() >= 20_000 || written == findings {
            ledger.append_batch(&batch).unwrap();
            batch.clear();
            if last_report.elapsed() > Duration::from_secs(20) {
                println!("  … {written} findings");
                last_report = Instant::now();
            }
        }
    }
    ledger.ensure_review_indexes().unwrap();
}
