//! Export benchmark: 1,000,000 findings in a real ledger.
//!
//! - CSV: `anfang export --format csv` against `sqlite3 -csv` running the
//!   export's own query (the same rows and columns, unformatted), in the
//!   same run, alternating, best of three each. Target: ≤ 1.5×.
//! - XLSX: peak resident memory (VmHWM) of a child process that does
//!   nothing but the export. Target: < 200 MB.
//!
//! The ledger is built once (signed events through the ledger's own API)
//! and kept in `target/bench-data/` for later runs. Run with
//! `cargo bench -p anfang-export --bench export`; `ANFANG_BENCH_FINDINGS`
//! changes the size.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use anfang_core::core_checklists::core_manifest;
use anfang_core::event::{EventBody, VisitClosed, VisitOpened};
use anfang_core::finding::{FindingRecord, FindingResult};
use anfang_core::manifest::ChecklistSnapshot;
use anfang_core::review::{Decision, ReviewRecord};
use anfang_core::rule::{Rule, RuleInput};
use anfang_core::visit::{Unit, VisitKind};
use anfang_core::{Lang, Points};
use anfang_export::{ExportOptions, Format, LedgerSource, export};
use anfang_ledger::export_query::ExportFilter;
use anfang_ledger::{DeviceKey, Ledger};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use uuid::Uuid;

const FINDINGS_PER_VISIT: usize = 20;
const VISITS_PER_BATCH: usize = 500;

const UNITS: &[(&str, &str)] = &[
    ("市税务局第一税务分局办税服务厅", "税务"),
    ("市税务局第二税务分局办税服务厅", "税务"),
    ("市规划局建设工程规划许可窗口", "规划"),
    ("市行政服务中心", "行政服务中心"),
    ("市公安局出入境接待大厅", "公安"),
    ("市不动产登记中心", "自然资源"),
    ("市人力资源和社会保障局社保窗口", "人社"),
    ("市市场监督管理局登记窗口", "市场监管"),
    ("市住房和城乡建设局", "住建"),
    ("市财政局", "财政"),
];
const NOTES: &[&str] = &[
    "上午8:45仍未到岗，签到表显示已签到",
    "工作时间在窗口用手机看视频，群众排队等候约十分钟",
    "群众询问业务办理地点，工作人员称“不归我管”，未指引",
    "窗口无人，“暂停服务”牌未放，去向留言板空白",
    "A岗休假，B岗未到位，群众业务无法办理",
    "未佩戴工作牌，着装不符合规定",
    "服务承诺公示栏内容已过期，未更新",
    "群众反映第三次来补材料，前两次均未一次性告知所需清单",
];
const SUBJECTS: &[&str] = &[
    "工号A1023",
    "工号B2011",
    "3号窗口",
    "张某",
    "李某、王某",
    "综合受理窗口",
];
const TEAMS: &[&[&str]] = &[
    &["陈静", "赵磊"],
    &["孙丽", "周建国", "吴敏"],
    &["郑强", "王芳"],
];

fn data_dir(findings: usize) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/bench-data")
        .join(format!("export-{findings}"))
}

fn tz() -> TimeZone {
    TimeZone::get("Asia/Shanghai").unwrap_or(TimeZone::UTC)
}

/// Builds (or reuses) a ledger with `findings` findings.
fn ledger(findings: usize) -> (PathBuf, Ledger) {
    let dir = data_dir(findings);
    let db = dir.join("ledger.sqlite");
    let key = || DeviceKey::from_seed([42; 32]);
    if db.exists() {
        let ledger = Ledger::open_with_key(&db, key()).unwrap();
        if ledger.export_count(&ExportFilter::default()).unwrap() == findings as u64 {
            return (db, ledger);
        }
        drop(ledger);
        std::fs::remove_dir_all(&dir).unwrap();
    }
    std::fs::create_dir_all(&dir).unwrap();
    let mut ledger = Ledger::open_with_key(&db, key()).unwrap();
    let started = Instant::now();
    let snapshots: Vec<ChecklistSnapshot> = core_manifest().snapshots();
    let items: Vec<(&ChecklistSnapshot, &anfang_core::manifest::Item)> = snapshots
        .iter()
        .flat_map(|s| s.checklist.items.iter().map(move |i| (s, i)))
        .filter(|(_, i)| matches!(i.rule, Rule::PerCount { .. } | Rule::Range { .. }))
        .collect();
    let start: Timestamp = "2026-01-05T00:30:00Z".parse().unwrap();
    let visits = findings.div_ceil(FINDINGS_PER_VISIT);
    let mut made = 0usize;
    let mut batch: Vec<(Option<&DeviceKey>, EventBody, Timestamp)> = Vec::new();
    for v in 0..visits {
        let (unit, department) = UNITS[v % UNITS.len()];
        let visit_id = Uuid::now_v7();
        let opened = start + Duration::from_secs(v as u64 * 600);
        batch.push((
            None,
            EventBody::VisitOpened(VisitOpened {
                rechecks: None,
                unit_id: None,
                visit_id,
                unit: Unit {
                    name: unit.into(),
                    department: department.into(),
                },
                kind: if v % 3 == 0 {
                    VisitKind::Open
                } else {
                    VisitKind::Unannounced
                },
                team: TEAMS[v % TEAMS.len()]
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect(),
                started_at: opened,
                checklists: snapshots.clone(),
            }),
            opened,
        ));
        for f in 0..FINDINGS_PER_VISIT.min(findings - made) {
            let n = made + f;
            let (snapshot, item) = items[n % items.len()];
            let input = RuleInput {
                count: 1 + (n % 3) as u32,
                ..RuleInput::default()
            };
            let observed = opened + Duration::from_secs(f as u64 * 20);
            let finding_id = Uuid::now_v7();
            batch.push((
                None,
                EventBody::FindingRecorded(FindingRecord {
                    finding_id,
                    visit_id,
                    item: snapshot.item_ref(item),
                    result: if n.is_multiple_of(7) {
                        FindingResult::Compliant
                    } else {
                        FindingResult::Violation
                    },
                    points: item.rule.deduction(&input).unwrap_or(Points::ZERO),
                    input,
                    subject: Some(SUBJECTS[n % SUBJECTS.len()].to_owned()),
                    note: format!("{}（第{}条）", NOTES[n % NOTES.len()], n + 1),
                    observed_at: observed,
                    points_by_hand: false,
                    supersedes: None,
                    source: None,
                }),
                observed,
            ));
            // A third confirmed, one in twenty ordered rectified.
            let decided = observed + Duration::from_secs(86_400);
            let decision = match n % 20 {
                0..=5 => Some(Decision::Confirm { points: None }),
                6 => Some(Decision::RequireRectification {
                    deadline: jiff::civil::date(2026, 12, 31),
                    rejected: None,
                }),
                _ => None,
            };
            if let Some(decision) = decision {
                batch.push((
                    None,
                    EventBody::ReviewDecided(ReviewRecord {
                        finding_id,
                        reviewer: "效能办 周建国".into(),
                        decision,
                        follows: None,
                        reason: None,
                    }),
                    decided,
                ));
            }
        }
        made += FINDINGS_PER_VISIT.min(findings - made);
        batch.push((
            None,
            EventBody::VisitClosed(VisitClosed {
                visit_id,
                closed_at: opened + Duration::from_secs(3600),
            }),
            opened + Duration::from_secs(3600),
        ));
        if (v + 1) % VISITS_PER_BATCH == 0 || v + 1 == visits {
            ledger.append_batch(&batch).unwrap();
            batch.clear();
            eprint!(
                "\rbuilding the ledger: {made}/{findings} findings ({:.0?})",
                started.elapsed()
            );
        }
    }
    eprintln!();
    (db, ledger)
}

/// CPU seconds (user + system) of the children waited for so far: unlike
/// wall time, not inflated when other work shares the machine.
fn children_cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the parenthesised command name; cutime and cstime are 16 and 17.
    let after = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i - 3)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // Linux reports clock ticks of 1/100 s.
    (ticks(16) + ticks(17)) / 100.0
}

fn vm_hwm_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn options() -> ExportOptions {
    let mut options = ExportOptions::new(Lang::Zh);
    options.tz = tz();
    // The XLSX findings sheet with every row, compliant ones too: the
    // largest sheet the export writes.
    options.include_compliant = true;
    options
}

/// In the child: one export, then its peak memory on stdout.
fn child(format: &str, findings: usize, out: &Path) {
    let db = data_dir(findings).join("ledger.sqlite");
    let ledger = Ledger::open_with_key(&db, DeviceKey::from_seed([42; 32])).unwrap();
    let options = options();
    if format == "ranking" {
        let started = Instant::now();
        let span = ledger.observed_span(&options.tz).unwrap().unwrap();
        let ranking = ledger.ranking(span, &options.tz).unwrap();
        println!(
            "{} {} {}",
            ranking.units.len(),
            started.elapsed().as_secs_f64(),
            vm_hwm_kib()
        );
        return;
    }
    if format == "rectifications" {
        let started = Instant::now();
        let mut n = 0u64;
        ledger
            .export_rectifications(
                &ExportFilter::default(),
                |_| -> Result<(), anfang_ledger::LedgerError> {
                    n += 1;
                    Ok(())
                },
            )
            .unwrap();
        println!("{n} {} {}", started.elapsed().as_secs_f64(), vm_hwm_kib());
        return;
    }
    let format = Format::parse(format).unwrap();
    let source = LedgerSource::new(&ledger, options.tz.clone());
    let started = Instant::now();
    let summary = export(&source, &options, format, out, &mut |_, _| {}).unwrap();
    println!(
        "{} {} {}",
        summary.rows,
        started.elapsed().as_secs_f64(),
        vm_hwm_kib()
    );
}

fn run_child(format: &str, findings: usize, out: &Path) -> (u64, f64, u64, f64) {
    let exe = std::env::current_exe().unwrap();
    let cpu = children_cpu();
    let output = Command::new(exe)
        .env("ANFANG_BENCH_CHILD", format)
        .env("ANFANG_BENCH_FINDINGS", findings.to_string())
        .env("ANFANG_BENCH_OUT", out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let cpu = children_cpu() - cpu;
    let text = String::from_utf8(output.stdout).unwrap();
    let mut parts = text.split_whitespace();
    (
        parts.next().unwrap().parse().unwrap(),
        parts.next().unwrap().parse().unwrap(),
        parts.next().unwrap().parse().unwrap(),
        cpu,
    )
}

fn sqlite3_csv(db: &Path, out: &Path) -> (Duration, f64) {
    let (sql, _) = ExportFilter::default().findings_sql();
    let file = std::fs::File::create(out).unwrap();
    let cpu = children_cpu();
    let started = Instant::now();
    let status = Command::new("sqlite3")
        .arg("-csv")
        .arg("-header")
        .arg("-readonly")
        .arg(db)
        .arg(sql.replace('\n', " "))
        .stdout(file)
        .status()
        .unwrap();
    let elapsed = started.elapsed();
    assert!(status.success());
    (elapsed, children_cpu() - cpu)
}

fn main() {
    let findings: usize = std::env::var("ANFANG_BENCH_FINDINGS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    if let Ok(format) = std::env::var("ANFANG_BENCH_CHILD") {
        let out = PathBuf::from(std::env::var("ANFANG_BENCH_OUT").unwrap());
        child(&format, findings, &out);
        return;
    }
    if let Some(what) = std::env::args().find_map(|a| a.strip_prefix("--only=").map(str::to_owned))
    {
        // One part alone, for finding where time or memory goes.
        let out = data_dir(findings).join(format!("ours.{what}"));
        let (n, secs, peak, _) = run_child(&what, findings, &out);
        println!(
            "{what}: {n} rows, {secs:.1} s, peak {:.0} MB",
            peak as f64 / 1024.0
        );
        let _ = std::fs::remove_file(out);
        return;
    }
    let (db, ledger) = ledger(findings);
    drop(ledger);
    let dir = data_dir(findings);
    let ours_csv = dir.join("ours.csv");
    let theirs_csv = dir.join("sqlite3.csv");

    // Warm the page cache once, then alternate.
    let _ = sqlite3_csv(&db, &theirs_csv);
    let (mut ours, mut ours_cpu, mut theirs, mut theirs_cpu) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut csv_peak = 0;
    for _ in 0..3 {
        let (wall, cpu) = sqlite3_csv(&db, &theirs_csv);
        theirs.push(wall.as_secs_f64());
        theirs_cpu.push(cpu);
        let (n, secs, peak, cpu) = run_child("csv", findings, &ours_csv);
        assert_eq!(n, findings as u64);
        ours.push(secs);
        ours_cpu.push(cpu);
        csv_peak = csv_peak.max(peak);
    }
    let best = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
    println!("findings: {findings}");
    println!(
        "csv: anfang export {:.2} s wall / {:.2} s CPU ({:.0} MB, peak {} MB); sqlite3 -csv, same query: {:.2} s wall / {:.2} s CPU ({:.0} MB)",
        best(&ours),
        best(&ours_cpu),
        size(&ours_csv),
        csv_peak / 1024,
        best(&theirs),
        best(&theirs_cpu),
        size(&theirs_csv),
    );
    println!(
        "csv ratio (best of 3, target <= 1.50): wall {:.2}, CPU {:.2}",
        best(&ours) / best(&theirs),
        best(&ours_cpu) / best(&theirs_cpu)
    );
    println!("csv runs, wall s: anfang {ours:.2?}, sqlite3 {theirs:.2?}");
    println!("csv runs, CPU s: anfang {ours_cpu:.2?}, sqlite3 {theirs_cpu:.2?}");

    let xlsx = dir.join("ours.xlsx");
    let (n, secs, peak, _) = run_child("xlsx", findings, &xlsx);
    assert_eq!(n, findings as u64);
    println!(
        "xlsx: {secs:.1} s, {:.0} MB file, peak resident memory (VmHWM) {:.0} MB (target < 200 MB)",
        size(&xlsx),
        peak as f64 / 1024.0
    );
    for path in [&ours_csv, &theirs_csv, &xlsx] {
        let _ = std::fs::remove_file(path);
    }
}
