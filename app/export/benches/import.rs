//! Import benchmark: a volunteer CSV of 1,000,000 findings imported into a
//! real ledger, against merging the same findings as a bundle.
//!
//! - import: `import_file` of the CSV (UTF-8, 序号 and 备注 columns,
//!   Chinese dates) into a fresh ledger that knows the 20 units; time and
//!   peak resident memory (VmHWM) of a child process that does nothing
//!   else. Target: < 200 MB.
//! - merge: that ledger written to a bundle, and the bundle merged into a
//!   fresh ledger by another child process (`Ledger::merge`, then
//!   `Ledger::sync`): the same findings, visits and events.
//!
//! `cargo bench -p anfang-export --bench import`; `ANFANG_BENCH_ROWS`
//! changes the size, `ANFANG_BENCH_MERGE=0` leaves the merge out. The CSV
//! is written once under the target folder.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use anfang_core::core_checklists::core_manifest;
use anfang_core::event::{EventBody, VisitOpened};
use anfang_core::visit::{Unit, VisitKind};
use anfang_export::import::{Catalog, ImportOptions, import_file};
use anfang_ledger::{DeviceKey, Ledger};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const UNITS: usize = 20;
const ITEMS: [&str; 5] = [
    "迟到",
    "早退",
    "上班时间未在岗",
    "未按规定佩戴工作牌",
    "仪表着装不符合规定",
];

fn tz() -> TimeZone {
    TimeZone::get("Asia/Shanghai").unwrap()
}

fn unit(i: usize) -> Unit {
    Unit {
        name: format!("市第{i}政务服务分中心"),
        department: format!("部门{}", i % 5),
    }
}

fn vm_hwm_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1024.0
}

/// Writes the CSV row by row.
fn write_csv(path: &Path, rows: usize) {
    let file = std::fs::File::create(path).unwrap();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    out.write_all(
        "\u{feff}序号,单位,部门,检查项,发现时间,数量,对象,情况说明,监督员,备注\n".as_bytes(),
    )
    .unwrap();
    let start: Timestamp = "2026-01-05T00:00:00Z".parse().unwrap();
    for i in 0..rows {
        let u = unit(i % UNITS);
        let when = tz().to_datetime(start + jiff::SignedDuration::from_secs(37 * i as i64));
        writeln!(
            out,
            "{},{},{},{},{},{},工号{:04},第{i}条：窗口无人，群众等候约{}分钟,监督员{},",
            i + 1,
            u.name,
            u.department,
            ITEMS[i % ITEMS.len()],
            when.strftime("%Y/%-m/%-d %-H:%M:%S"),
            1 + i % 3,
            i % 9973,
            5 + i % 40,
            i % 50,
        )
        .unwrap();
    }
    out.flush().unwrap();
}

/// A fresh ledger at `dir` that knows the units.
fn fresh_ledger(dir: &Path, seed: u8) -> Ledger {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let mut ledger =
        Ledger::open_with_key(&dir.join("ledger.sqlite"), DeviceKey::from_seed([seed; 32]))
            .unwrap();
    let at: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
    let batch: Vec<_> = (0..UNITS)
        .map(|i| {
            let body = EventBody::VisitOpened(VisitOpened {
                rechecks: None,
                unit_id: None,
                visit_id: uuid::Uuid::now_v7(),
                unit: unit(i),
                kind: VisitKind::Unannounced,
                team: vec!["王督查".into()],
                started_at: at,
                checklists: core_manifest().snapshots(),
            });
            (None, body, at)
        })
        .collect();
    ledger.append_batch(&batch).unwrap();
    ledger
}

/// Child: imports the CSV into a fresh ledger; prints seconds, MB, findings.
fn child_import(csv: &Path, dir: &Path) {
    let mut ledger = fresh_ledger(dir, 1);
    let options = ImportOptions {
        skip_invalid: false,
        tz: tz(),
        now: "2030-01-01T00:00:00Z".parse().unwrap(),
        sheet: None,
    };
    let started = Instant::now();
    let report = import_file(&mut ledger, csv, &Catalog::core(), &options).unwrap();
    ledger.sync().unwrap();
    let secs = started.elapsed().as_secs_f64();
    println!("{secs} {} {}", vm_hwm_mb(), report.imported);
}

/// Child: merges the bundle into a fresh ledger; prints seconds, MB, added events.
fn child_merge(bundle: &Path, dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    let mut ledger =
        Ledger::open_with_key(&dir.join("ledger.sqlite"), DeviceKey::from_seed([2; 32])).unwrap();
    let started = Instant::now();
    let report = ledger.merge(bundle, &mut |_| {}).unwrap();
    ledger.sync().unwrap();
    let secs = started.elapsed().as_secs_f64();
    println!("{secs} {} {}", vm_hwm_mb(), report.events_added);
}

fn run_child(kind: &str, input: &Path, dir: &Path) -> (f64, f64, u64) {
    let output = Command::new(std::env::current_exe().unwrap())
        .env("ANFANG_BENCH_CHILD", kind)
        .env("ANFANG_BENCH_IN", input)
        .env("ANFANG_BENCH_DIR", dir)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    let mut parts = text.split_whitespace();
    (
        parts.next().unwrap().parse().unwrap(),
        parts.next().unwrap().parse().unwrap(),
        parts.next().unwrap().parse().unwrap(),
    )
}

fn main() {
    if let Ok(kind) = std::env::var("ANFANG_BENCH_CHILD") {
        let input = PathBuf::from(std::env::var("ANFANG_BENCH_IN").unwrap());
        let dir = PathBuf::from(std::env::var("ANFANG_BENCH_DIR").unwrap());
        match kind.as_str() {
            "import" => child_import(&input, &dir),
            _ => child_merge(&input, &dir),
        }
        return;
    }
    let rows: usize = std::env::var("ANFANG_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("import-bench-{rows}"));
    std::fs::create_dir_all(&base).unwrap();
    let csv = base.join("监督员.csv");
    if !csv.exists() {
        let started = Instant::now();
        write_csv(&csv, rows);
        eprintln!(
            "wrote {} in {:.1} s",
            csv.display(),
            started.elapsed().as_secs_f64()
        );
    }
    let size = std::fs::metadata(&csv).unwrap().len() as f64 / 1e6;
    let imported_dir = base.join("imported");
    let (secs, mb, imported) = run_child("import", &csv, &imported_dir);
    assert_eq!(imported, rows as u64);
    println!(
        "import: {rows} rows ({size:.0} MB CSV) in {secs:.1} s ({:.0} rows/s), peak resident memory (VmHWM) {mb:.0} MB (target < 200 MB)",
        rows as f64 / secs
    );
    if std::env::var("ANFANG_BENCH_MERGE").as_deref() == Ok("0") {
        return;
    }
    let bundle = base.join("imported.anfang");
    let ledger = Ledger::open_with_key(
        &imported_dir.join("ledger.sqlite"),
        DeviceKey::from_seed([1; 32]),
    )
    .unwrap();
    ledger.bundle(&bundle).unwrap();
    drop(ledger);
    let (merge_secs, merge_mb, added) = run_child("merge", &bundle, &base.join("merged"));
    println!(
        "merge of the same findings as a bundle: {added} events in {merge_secs:.1} s, peak resident memory {merge_mb:.0} MB; import / merge: {:.2}×",
        secs / merge_secs
    );
}
