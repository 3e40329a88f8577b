//! The review window and the scores on a ledger of a million findings.
//!
//! Run: `cargo bench -p anfang-ledger --bench review`
//! (`ANFANG_BENCH_FINDINGS=N` for another size). The generated ledger is
//! kept in `target/bench-data/` and reused by later runs.
//!
//! Figures: the first page of a freshly opened ledger (target < 100 ms); each
//! keypress's query and the building of the visible window (page down/up,
//! jump to the end, sort, filter, search; target p99 < 16 ms); the count
//! shown in the title, read after the frame; scores for a year over 1,000
//! units (target < 1 s) and a monthly trend.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "../tests/review_support/mod.rs"]
mod review_support;

use anfang_core::Points;
use anfang_core::event::{EventBody, VisitOpened};
use anfang_core::finding::{FindingRecord, FindingResult};
use anfang_core::manifest::ChecklistSnapshot;
use anfang_core::period::{Period, Step};
use anfang_core::review::{Decision, ReviewRecord, ReviewStatus};
use anfang_core::rule::RuleInput;
use anfang_core::visit::{Unit, VisitKind};
use anfang_ledger::review_query::{Anchor, ReviewFilter, ReviewPage, Sort, SortKey};
use anfang_ledger::{DeviceKey, Ledger};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use review_support::{day, key};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Bump when the generated data changes shape, so an old cache is not reused.
const GENERATOR_VERSION: u32 = 1;
const FINDINGS_PER_VISIT: u64 = 20;
const UNITS: u64 = 1000;
const INSPECTORS: u64 = 50;
const PAGE: usize = 50;
/// The review screen's title counts no further than this (as the TUI does).
const COUNT_CAP: u64 = 10_000;

const DISTRICTS: &[&str] = &[
    "东城", "西城", "南岗", "北湖", "高新", "开发", "滨江", "临港", "新城", "老城", "城关", "河西", "河东", "山南",
    "山北", "经开", "空港", "湖滨", "江北", "江南",
];
const BODIES: &[(&str, &str)] = &[
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
const SURNAMES: &[&str] = &["张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴"];
const GIVEN: &[&str] = &["伟", "芳", "娜", "敏", "静", "强", "磊", "洋"];
const NOTES: &[&str] = &[
    "上午9:{m}分，{w}号窗口工作人员仍未到岗，群众排队等候约{n}分钟。",
    "工作人员在岗时间使用手机观看短视频，对前来咨询的群众未予理会，持续约{n}分钟。",
    "{w}号窗口未佩戴工作牌，首问责任制落实不到位，群众被要求二次申请。",
    "服务承诺未公示，投诉箱上锁且无人定期查看，已拍照留存（第{n}张）。",
    "下午{m}分，办公室{n}人围坐闲聊，与工作无关。",
    "{w}号窗口工作人员对群众态度生硬，门难进、脸难看、话难听。",
    "离岗未留去向，AB岗无人顶岗，群众等候{n}分钟后离开。",
    "工作日午餐期间饮酒，餐馆位于单位东侧约{n}米。",
];
const ITEMS: &[(&str, &str)] = &[
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
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn unit_of(i: u64) -> Unit {
    let district = DISTRICTS[(i % DISTRICTS.len() as u64) as usize];
    let (body, department) = BODIES[((i / DISTRICTS.len() as u64) % BODIES.len() as u64) as usize];
    let branch = i / (DISTRICTS.len() * BODIES.len()) as u64;
    Unit {
        name: format!("{district}区{body}第{}分部", branch + 1),
        department: department.into(),
    }
}

fn inspector(i: u64) -> String {
    format!(
        "{}{}{}",
        SURNAMES[(i % 10) as usize],
        GIVEN[((i / 10) % 8) as usize],
        if i >= 80 { "二" } else { "" }
    )
}

fn note(rng: &mut Rng) -> String {
    NOTES[rng.below(NOTES.len() as u64) as usize]
        .replace("{m}", &format!("{:02}", rng.below(60)))
        .replace("{w}", &(rng.below(30) + 1).to_string())
        .replace("{n}", &(rng.below(50) + 2).to_string())
}

fn bench_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("bench-data")
}

/// Generates the ledger unless a finished copy is cached.
fn ledger_file(findings: u64) -> PathBuf {
    let dir = bench_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("review-v{GENERATOR_VERSION}-{findings}.sqlite"));
    if path.exists() {
        println!("using cached ledger {}", path.display());
        return path;
    }
    let partial = dir.join(format!("review-v{GENERATOR_VERSION}-{findings}.partial.sqlite"));
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
fn generate(path: &Path, findings: u64) {
    let mut ledger = Ledger::open_with_key(path, key(200)).unwrap();
    let inspectors: Vec<DeviceKey> = (0..INSPECTORS).map(|i| key(i as u8 + 1)).collect();
    let reviewer = key(101);
    let liaison = key(102);
    let verifier = key(103);
    let checklists: Vec<ChecklistSnapshot> = anfang_core::core_checklists::core_manifest().snapshots();
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
            let items: Vec<&(&str, &str)> =
                ITEMS.iter().filter(|(c, _)| *c == checklist.checklist.id).collect();
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
                subject: Some(format!("{}（工号{:04}）", inspector(rng.below(97)), rng.below(10_000))),
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
                })
            };
            let days = |d: i64| observed + SignedDuration::from_hours(24 * d);
            let deadline = |d: i64| jiff::tz::TimeZone::UTC.to_datetime(days(d)).date();
            match rng.below(20) {
                // Pending: 40 %.
                0..8 => {}
                8..14 => batch.push((Some(&reviewer), decide("王主任", Decision::Confirm { points: None }), days(2))),
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
                        decide("王主任", Decision::RequireRectification { deadline: deadline(16) }),
                        days(2),
                    ));
                    if stage >= 17 {
                        batch.push((
                            Some(&liaison),
                            decide("单位联络员", Decision::MarkRectified { note: "已整改并建立台账".into() }),
                            days(10),
                        ));
                    }
                    if stage >= 19 {
                        batch.push((Some(&verifier), decide("赵科长", Decision::VerifyRectification), days(15)));
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

struct Samples {
    name: &'static str,
    times: Vec<Duration>,
    /// What each sample was, for naming the slowest.
    what: Vec<String>,
}

impl Samples {
    fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.times.clone();
        sorted.sort();
        let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
        sorted[index]
    }

    fn push(&mut self, what: impl Into<String>, t: Duration) {
        self.times.push(t);
        self.what.push(what.into());
    }

    fn print(&self) {
        let mut slowest: Vec<(Duration, &str)> = self
            .times
            .iter()
            .copied()
            .zip(self.what.iter().map(String::as_str))
            .filter(|(_, w)| !w.is_empty())
            .collect();
        slowest.sort_by(|a, b| b.0.cmp(&a.0));
        for (t, what) in slowest.iter().take(3).filter(|(t, _)| *t > Duration::from_millis(16)) {
            println!("    slow: {:>8.2} ms  {what}", ms(*t));
        }
        println!(
            "{:<34} n={:<5} p50 {:>8.2} ms  p99 {:>8.2} ms  max {:>8.2} ms",
            self.name,
            self.times.len(),
            ms(self.percentile(0.5)),
            ms(self.percentile(0.99)),
            ms(self.percentile(1.0)),
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let out = f();
    (out, started.elapsed())
}

fn page(l: &Ledger, filter: &ReviewFilter, sort: Sort, anchor: &Anchor) -> ReviewPage {
    l.review_page(filter, sort, anchor, PAGE).unwrap()
}

fn main() {
    let findings: u64 = std::env::var("ANFANG_BENCH_FINDINGS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let path = ledger_file(findings);

    // Opening the Review screen: open the ledger, read the first page.
    let (ledger, open) = timed(|| Ledger::open_with_key(&path, key(200)).unwrap());
    let (_, ensure) = timed(|| ledger.ensure_review_indexes().unwrap());
    let ((first, _), first_page) = timed(|| {
        let p = page(&ledger, &ReviewFilter::default(), Sort::default(), &Anchor::First);
        (p, ())
    });
    assert_eq!(first.rows.len(), PAGE);
    let (capped, count) = timed(|| ledger.review_count_upto(&ReviewFilter::default(), COUNT_CAP).unwrap());
    let (total, full_count) = timed(|| ledger.review_count(&ReviewFilter::default()).unwrap());
    println!("ledger: {findings} findings recorded, {total} violations in the review window");
    println!(
        "open {:.1} ms + indexes {:.1} ms; FIRST PAGE {:.2} ms (target < 100 ms); title count {:?} {:.1} ms (exact count {:.1} ms)",
        ms(open),
        ms(ensure),
        ms(first_page),
        capped,
        ms(count),
        ms(full_count)
    );

    let mut all: Vec<Samples> = Vec::new();
    let none = ReviewFilter::default();

    // Page down 300 times from the top, then up 150 times.
    let mut pd = Samples { name: "page down", times: vec![], what: vec![] };
    let mut pu = Samples { name: "page up", times: vec![], what: vec![] };
    let mut current = first;
    for _ in 0..300 {
        let last = current.rows.last().unwrap().key.clone();
        let (p, t) = timed(|| page(&ledger, &none, Sort::default(), &Anchor::After(last)));
        pd.push("", t);
        current = p;
    }
    for _ in 0..150 {
        let first = current.rows.first().unwrap().key.clone();
        let (p, t) = timed(|| page(&ledger, &none, Sort::default(), &Anchor::Before(first)));
        pu.push("", t);
        current = p;
    }
    // Scrolling one row past the window's edge reads one row more.
    let mut scroll = Samples { name: "scroll (one row past the window)", times: vec![], what: vec![] };
    let mut edge = current.rows.last().unwrap().key.clone();
    for _ in 0..300 {
        let (p, t) = timed(|| ledger.review_page(&none, Sort::default(), &Anchor::After(edge.clone()), 1).unwrap());
        scroll.push("", t);
        edge = p.rows.last().unwrap().key.clone();
    }

    // Jump to the end and back.
    let mut ends = Samples { name: "jump to end / start", times: vec![], what: vec![] };
    for i in 0..20 {
        let anchor = if i % 2 == 0 { Anchor::Last } else { Anchor::First };
        ends.push(format!("{anchor:?}"), timed(|| page(&ledger, &none, Sort::default(), &anchor)).1);
    }

    // Sort by each column, both directions; then page down within the sort.
    let mut sorts = Samples { name: "sort change (first page)", times: vec![], what: vec![] };
    let mut sorted_pages = Samples { name: "page down in another sort", times: vec![], what: vec![] };
    for key in SortKey::ALL {
        for descending in [false, true] {
            let sort = Sort { key, descending };
            let (p, t) = timed(|| page(&ledger, &none, sort, &Anchor::First));
            sorts.push(format!("{sort:?}"), t);
            let mut p = p;
            for _ in 0..10 {
                let Some(last) = p.rows.last().map(|r| r.key.clone()) else { break };
                let (next, t) = timed(|| page(&ledger, &none, sort, &Anchor::After(last)));
                sorted_pages.push(format!("{sort:?}"), t);
                p = next;
            }
        }
    }

    // Filter changes: each a first page in the default sort.
    let choices = ledger.review_choices().unwrap();
    let mut filters = Samples { name: "filter change (first page)", times: vec![], what: vec![] };
    let mut counts = Samples { name: "count (capped) after a filter", times: vec![], what: vec![] };
    let tz = TimeZone::UTC;
    let mut rng = Rng(7);
    let mut filter_list: Vec<ReviewFilter> = Vec::new();
    for status in ReviewStatus::ALL {
        filter_list.push(ReviewFilter { status: Some(status), ..ReviewFilter::default() });
    }
    for _ in 0..20 {
        let unit = &choices.units[rng.below(choices.units.len() as u64) as usize];
        filter_list.push(ReviewFilter { unit: Some(unit.name.clone()), ..ReviewFilter::default() });
        filter_list.push(ReviewFilter {
            unit: Some(unit.name.clone()),
            status: Some(ReviewStatus::Pending),
            ..ReviewFilter::default()
        });
    }
    for d in &choices.departments {
        filter_list.push(ReviewFilter { department: Some(d.clone()), ..ReviewFilter::default() });
    }
    for i in choices.items.iter() {
        filter_list.push(ReviewFilter { item: Some(i.item_id.clone()), ..ReviewFilter::default() });
    }
    for c in ["attendance", "conduct", "window"] {
        filter_list.push(ReviewFilter { checklist: Some(c.into()), ..ReviewFilter::default() });
    }
    for name in choices.inspectors.iter().take(10) {
        filter_list.push(ReviewFilter { inspector: Some(name.clone()), ..ReviewFilter::default() });
    }
    for month in 1..=12 {
        let p = Period::month_of(jiff::civil::date(2025, month, 1));
        filter_list.push(ReviewFilter { observed: Some(p.instants(&tz)), ..ReviewFilter::default() });
    }
    filter_list.push(ReviewFilter { overdue_on: Some(day("2026-11-24")), ..ReviewFilter::default() });
    for filter in &filter_list {
        filters.push(format!("{filter:?}"), timed(|| page(&ledger, filter, Sort::default(), &Anchor::First)).1);
        counts.push(format!("{filter:?}"), timed(|| ledger.review_count_upto(filter, COUNT_CAP).unwrap()).1);
    }

    // Search: three characters and more through the trigram index, one or
    // two characters by LIKE.
    let mut search = Samples { name: "search, 3+ characters (trigram)", times: vec![], what: vec![] };
    let mut short = Samples { name: "search, 1-2 characters (LIKE)", times: vec![], what: vec![] };
    let mut search_counts = Samples { name: "count (capped) after a search", times: vec![], what: vec![] };
    let long_terms = ["短视频", "首问责任制", "工号0042", "投诉箱", "滨江区", "王伟（工号", "饮酒", "门难进 脸难看", "不存在的内容"];
    let short_terms = ["闲聊", "酒", "窗口", "视频", "张伟"];
    for term in long_terms.iter().chain(short_terms.iter()) {
        let filter = ReviewFilter { search: Some((*term).into()), ..ReviewFilter::default() };
        let t = timed(|| page(&ledger, &filter, Sort::default(), &Anchor::First)).1;
        if term.split_whitespace().all(|w| w.chars().count() >= 3) {
            search.push(*term, t);
        } else {
            short.push(*term, t);
        }
        search_counts.push(*term, timed(|| ledger.review_count_upto(&filter, COUNT_CAP).unwrap()).1);
        // And a page further into the results.
        let p = page(&ledger, &filter, Sort::default(), &Anchor::First);
        if let Some(last) = p.rows.last() {
            let t = timed(|| page(&ledger, &filter, Sort::default(), &Anchor::After(last.key.clone()))).1;
            if term.split_whitespace().all(|w| w.chars().count() >= 3) {
                search.push(format!("{term} (next page)"), t);
            } else {
                short.push(format!("{term} (next page)"), t);
            }
        }
    }

    let keypresses: Vec<Duration> = [&pd, &pu, &scroll, &ends, &sorts, &sorted_pages, &filters, &search, &short]
        .iter()
        .flat_map(|s| s.times.iter().copied())
        .collect();
    all.extend([pd, pu, scroll, ends, sorts, sorted_pages, filters, search, short, counts, search_counts]);
    println!();
    for s in &all {
        s.print();
    }
    let every = Samples { name: "EVERY KEYPRESS (target p99 < 16 ms)", times: keypresses, what: vec![] };
    every.print();

    // Scores.
    let year = Period::new(day("2025-01-01"), day("2025-12-31")).unwrap();
    let (ranking, t) = timed(|| ledger.ranking(year, &tz).unwrap());
    println!();
    println!(
        "SCORES for 2025 over {} units: {:.1} ms (target < 1000 ms); {} counted, {} pending findings",
        ranking.units.len(),
        ms(t),
        ranking.counted_findings(),
        ranking.pending_findings()
    );
    let (trend, t) = timed(|| ledger.ranking_trend(year, Step::Month, &tz).unwrap());
    println!("trend by month ({} rankings): {:.1} ms", trend.len(), ms(t));
    let (trend, t) = timed(|| ledger.ranking_trend(year, Step::Quarter, &tz).unwrap());
    println!("trend by quarter ({} rankings): {:.1} ms", trend.len(), ms(t));
}
