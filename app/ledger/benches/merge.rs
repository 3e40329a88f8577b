//! Merge benchmark: 100 device bundles × 10,000 findings merged into one
//! ledger, against a raw copy of the same rows into the same schema
//! (ATTACH + INSERT OR IGNORE … SELECT) by the `sqlite3` tool, and by this
//! build's SQLite with the ledger's own pragmas, in the same run.
//!
//! `cargo bench -p anfang-ledger --bench merge`
//! (ANFANG_BENCH_DEVICES and ANFANG_BENCH_FINDINGS change the size,
//! ANFANG_BENCH_ROUNDS the rounds; ANFANG_BENCH_FLOOR=0 skips the floor,
//! ANFANG_BENCH_BASELINES=0 every baseline; ANFANG_BENCH_MODE=open merges
//! into a ledger with no office pinned, the default `office` into one whose
//! roster enrolls every bench device as an inspector, so every event goes
//! through the roster's checks.)
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "../tests/fixtures/mod.rs"]
mod fixtures;

use anfang_core::authority::{
    DeviceGrant, Person, Role, Roots, RosterDocument, office_fingerprint, roster_signing_bytes,
};
use anfang_core::event::{BODY_SCHEMA_VERSION, EventBody, RootSignature};
use anfang_ledger::canonical::{Envelope, format_time};
use anfang_ledger::{BUNDLE_APPLICATION_ID, BUNDLE_FORMAT_VERSION, DeviceKey, Ledger, seal_bundle};
use ed25519_dalek::{Signer, SigningKey};
use rusqlite::{Connection, params};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const VISIT_EVERY: usize = 20;
/// The office's root key (a removable drive's, in life).
const ROOT_SEED: u8 = 250;
/// The office machine's own device: the target ledger's key, enrolled as
/// reviewer and admin.
const OFFICE_SEED: u8 = 200;

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn body_json(body: &EventBody) -> String {
    // The ledger's own encoding: the inner struct, without the kind tag.
    let value = serde_json::to_value(body).unwrap();
    serde_json::to_string(&value["body"]).unwrap()
}

/// One event row as the `events` table holds it.
type EventRow = (
    String,
    String,
    i64,
    Option<String>,
    String,
    i64,
    String,
    String,
    String,
);

/// Writes one device's bundle directly: signed events in the bundle format.
/// `roster`: the office's roster event, which a laptop that joined the
/// office holds and hands on in every bundle it makes.
fn write_bundle(path: &Path, device: u8, findings: usize, roster: Option<&EventRow>) {
    let seed = [device; 32];
    let signing = SigningKey::from_bytes(&seed);
    let device_id = hex::encode(signing.verifying_key().to_bytes());
    let tmp = path.with_extension("partial");
    let _ = std::fs::remove_file(&tmp);
    let mut conn = Connection::open(&tmp).unwrap();
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
         PRAGMA application_id = {BUNDLE_APPLICATION_ID}; PRAGMA user_version = {BUNDLE_FORMAT_VERSION};
         CREATE TABLE events (
             id TEXT PRIMARY KEY, device TEXT NOT NULL, seq INTEGER NOT NULL, prev TEXT,
             claimed_time TEXT NOT NULL, schema INTEGER NOT NULL, kind TEXT NOT NULL,
             body TEXT NOT NULL, signature TEXT NOT NULL);
         CREATE INDEX events_device_seq ON events(device, seq);
         CREATE TABLE blobs (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, data BLOB NOT NULL);
         CREATE TABLE bundle_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    ))
    .unwrap();
    let tx = conn.transaction().unwrap();
    {
        let mut insert = tx
            .prepare("INSERT INTO events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
            .unwrap();
        if let Some(r) = roster {
            insert
                .execute(params![r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8])
                .unwrap();
        }
        let mut prev: Option<String> = None;
        let mut seq = 0i64;
        let mut visit = fixtures::uuid(u64::from(device), 0);
        let base = i64::from(device) * 1_000_000;
        let mut push = |body: EventBody, t: i64| {
            seq += 1;
            let claimed = format_time(fixtures::at(base + t));
            let text = body_json(&body);
            let env = Envelope {
                device: &device_id,
                seq,
                prev: prev.as_deref(),
                claimed_time: &claimed,
                schema: i64::from(BODY_SCHEMA_VERSION),
                kind: body.kind(),
                body: &text,
            };
            let id_bytes = env.id_bytes();
            let id = hex::encode(id_bytes);
            let sig = hex::encode(signing.sign(&id_bytes).to_bytes());
            insert
                .execute(params![
                    id,
                    device_id,
                    seq,
                    prev,
                    claimed,
                    env.schema,
                    body.kind(),
                    text,
                    sig
                ])
                .unwrap();
            prev = Some(id);
        };
        for n in 0..findings {
            let t = n as i64 * 60;
            if n % VISIT_EVERY == 0 {
                visit = fixtures::uuid(u64::from(device), n as u64);
                push(
                    fixtures::visit_opened(visit, n / VISIT_EVERY, "张伟", fixtures::at(base + t)),
                    t,
                );
            }
            let finding_id = fixtures::uuid(u64::from(device) + 1000, n as u64);
            push(
                fixtures::finding(visit, finding_id, n, fixtures::at(base + t)),
                t + 1,
            );
        }
    }
    tx.commit().unwrap();
    drop(conn);
    seal_bundle(&tmp, &DeviceKey::from_seed(seed)).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

/// The device id (public key, hex) of a bench device's seed.
fn device_of(seed: u8) -> String {
    hex::encode(
        SigningKey::from_bytes(&[seed; 32])
            .verifying_key()
            .to_bytes(),
    )
}

/// The office's first roster: the office machine as reviewer and admin,
/// every bench device as an inspector of its own.
fn roster(devices: usize) -> RosterDocument {
    let root = SigningKey::from_bytes(&[ROOT_SEED; 32]);
    let roots = Roots {
        keys: vec![hex::encode(root.verifying_key().to_bytes())],
        threshold: 1,
    };
    let person = |name: String, seed: u8, roles: Vec<Role>| Person {
        name,
        devices: vec![DeviceGrant {
            device: device_of(seed),
            roles,
            from_seq: 1,
            until_seq: None,
            adopted_through_seq: None,
        }],
        recuse: Default::default(),
    };
    let mut people = vec![person(
        "王主任".into(),
        OFFICE_SEED,
        vec![Role::Reviewer, Role::Admin],
    )];
    people.extend(
        (1..=devices).map(|d| person(format!("检查员{d}"), d as u8, vec![Role::Inspector])),
    );
    RosterDocument {
        office_name: "效能办".into(),
        office: office_fingerprint(&roots),
        version: 1,
        previous: None,
        roots,
        people,
        delegations: Vec::new(),
        settings: Default::default(),
    }
}

/// Makes the office's ledger every office-mode run starts from: pinned to
/// the office, its roster published by the office machine. Returns the
/// roster event's row, which the bundles carry too.
fn write_office_template(path: &Path, devices: usize) -> EventRow {
    fresh(path);
    let doc = roster(devices);
    let fingerprint = doc.office.clone();
    let root = SigningKey::from_bytes(&[ROOT_SEED; 32]);
    let text = doc.to_text();
    let bytes = roster_signing_bytes(&text);
    let mut ledger = Ledger::open_with_key(path, fixtures::key(OFFICE_SEED)).unwrap();
    ledger.pin_office(&fingerprint).unwrap();
    ledger
        .publish_roster(
            text,
            vec![RootSignature {
                key: hex::encode(root.verifying_key().to_bytes()),
                signature: hex::encode(root.sign(&bytes).to_bytes()),
            }],
        )
        .unwrap();
    drop(ledger);
    // One file to copy: the log folded into the database.
    let conn = Connection::open(path).unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    roster_row(&conn)
}

/// The roster event of an office template.
fn roster_row(conn: &Connection) -> EventRow {
    conn.query_row(
        "SELECT id, device, seq, prev, claimed_time, schema, kind, body, signature
           FROM events WHERE kind = 'roster_published'",
        [],
        |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
            ))
        },
    )
    .unwrap()
}

/// The office template every run starts from, in office mode.
static OFFICE: OnceLock<Option<PathBuf>> = OnceLock::new();

fn office() -> Option<&'static Path> {
    OFFICE.get().and_then(Option::as_deref)
}

/// The ledger a run starts from: a new empty one (open mode), or a copy of
/// the office template (pinned, roster in force).
fn start_ledger(db: &Path, office: Option<&Path>) {
    fresh(db);
    match office {
        Some(template) => {
            std::fs::copy(template, db).unwrap();
        }
        None => drop(Ledger::open_with_key(db, fixtures::key(OFFICE_SEED)).unwrap()),
    }
}

/// The peak resident set of this process since the last reset, in MiB.
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Fields of /proc/self/stat after the command name, as numbers.
fn stat_fields() -> Vec<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The command name is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    rest.split_whitespace()
        .map(|f| f.parse::<f64>().unwrap_or(0.0))
        .collect()
}

/// CPU seconds (user + system) this process has used so far.
fn cpu_seconds() -> f64 {
    // utime and stime are the 14th and 15th fields overall.
    let f = stat_fields();
    (f.get(11).unwrap_or(&0.0) + f.get(12).unwrap_or(&0.0)) / 100.0
}

/// CPU seconds (user + system) of the child processes waited for so far.
fn children_cpu_seconds() -> f64 {
    // cutime and cstime are the 16th and 17th fields overall.
    let f = stat_fields();
    (f.get(13).unwrap_or(&0.0) + f.get(14).unwrap_or(&0.0)) / 100.0
}

/// Runs one measured step; also returns the CPU seconds this process spent
/// meanwhile.
fn with_cpu<T>(run: impl FnOnce() -> T) -> (T, f64) {
    let before = cpu_seconds();
    let result = run();
    (result, cpu_seconds() - before)
}

fn reset_peak() {
    // Linux: writing 5 to clear_refs resets VmHWM to the current RSS.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn fresh(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

/// An empty ledger of the current schema, opened as the plain-SQL baselines
/// use it: the pragmas a merge runs with, SQLite's own checkpointing.
fn baseline_ledger(db: &Path) -> Connection {
    fresh(db);
    start_ledger(db, office());
    let conn = Connection::open(db).unwrap();
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -64000; PRAGMA wal_autocheckpoint = 10000;")
        .unwrap();
    conn
}

/// What `Ledger::sync` does after a batch of merges: the log and the file
/// flushed to the disk once.
fn sync_files(db: &Path) {
    for path in [format!("{}-wal", db.display()), db.display().to_string()] {
        if let Ok(file) = std::fs::File::open(&path) {
            file.sync_all().unwrap();
        }
    }
}

/// The copy both baselines run for one bundle attached as `b`.
const COPY_SQL: &str = "BEGIN IMMEDIATE;
     INSERT OR IGNORE INTO main.events (id, device, seq, prev, claimed_time, schema, kind, body, signature)
       SELECT id, device, seq, prev, claimed_time, schema, kind, body, signature FROM b.events;
     INSERT OR IGNORE INTO main.blobs (sha256, size, data) SELECT sha256, size, data FROM b.blobs;
     COMMIT;
     DETACH DATABASE b;";

/// The baseline as it is written: the `sqlite3` command-line tool,
/// as installed, with SQLite's own settings, copying the same rows into an
/// empty ledger of the same schema (WAL, as the file says). Wall time and
/// the tool's CPU seconds; `None` when there is no `sqlite3` on PATH.
fn sqlite3_tool_copy(db: &Path, bundles: &[PathBuf]) -> Option<(Duration, f64)> {
    use std::io::Write;
    fresh(db);
    start_ledger(db, office());
    let mut script = String::new();
    for bundle in bundles {
        let quoted = bundle.to_str().unwrap().replace('\'', "''");
        script.push_str(&format!("ATTACH DATABASE '{quoted}' AS b;\n{COPY_SQL}\n"));
    }
    let cpu = children_cpu_seconds();
    let started = Instant::now();
    let mut child = std::process::Command::new("sqlite3")
        .args(["-batch", "-bail"])
        .arg(db)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(script.as_bytes()).unwrap();
    let status = child.wait().unwrap();
    let took = started.elapsed();
    assert!(status.success(), "sqlite3 failed: {status}");
    Some((took, children_cpu_seconds() - cpu))
}

/// The `sqlite3` tool's version line, or why there is none.
fn sqlite3_tool_version() -> String {
    std::process::Command::new("sqlite3")
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|v| v.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "not installed".into())
}

/// The stricter baseline: the same SQL through this build's SQLite with the
/// settings a merge runs with (larger cache, rarer checkpoints, commits that
/// do not wait for the disk, one flush at the end).
fn raw_copy(db: &Path, bundles: &[PathBuf]) -> Duration {
    let conn = baseline_ledger(db);
    let started = Instant::now();
    copy_events(&conn, bundles);
    sync_files(db);
    started.elapsed()
}

/// The tool's copy done by this build's SQLite, with SQLite's default
/// settings as the tool has them: it tells a difference of SQLite versions
/// from a difference of settings.
fn raw_copy_defaults(db: &Path, bundles: &[PathBuf]) -> Duration {
    fresh(db);
    start_ledger(db, office());
    let conn = Connection::open(db).unwrap();
    let started = Instant::now();
    copy_events(&conn, bundles);
    started.elapsed()
}

/// Runs [`COPY_SQL`] for every bundle, one transaction each.
fn copy_events(conn: &Connection, bundles: &[PathBuf]) {
    for bundle in bundles {
        conn.execute("ATTACH DATABASE ?1 AS b", [bundle.to_str().unwrap()])
            .unwrap();
        conn.execute_batch(COPY_SQL).unwrap();
    }
}

/// Tables a merge writes, with the columns to copy (findings without its local row number).
const ALL_ROWS: &[(&str, &str)] = &[
    ("events", "id, device, seq, prev, claimed_time, schema, kind, body, signature"),
    ("blobs", "sha256, size, data"),
    ("visits", "*"),
    ("visit_closures", "*"),
    ("visit_checklists", "*"),
    ("finding_versions", "*"),
    (
        "findings",
        "finding_id, event_id, visit_id, device, claimed_time, plugin_id, plugin_version, checklist_id, item_id,
         result, count, points, points_by_hand, subject, note, observed_at, unit, department, status, versions, conflict",
    ),
    ("evidence", "*"),
    ("reviews", "*"),
    ("appraisals", "*"),
    ("devices", "*"),
    ("flags", "*"),
];

/// The storage floor: every row a merge writes — events, blobs, the derived
/// rows and the full-text index — copied with plain SQL from one ledger per
/// device (each made once by merging that device's bundle alone).
fn raw_copy_all_rows(db: &Path, sources: &[PathBuf]) -> Duration {
    let conn = baseline_ledger(db);
    let started = Instant::now();
    for source in sources {
        conn.execute("ATTACH DATABASE ?1 AS b", [source.to_str().unwrap()])
            .unwrap();
        let mut sql = String::from(
            "BEGIN IMMEDIATE; CREATE TEMP TABLE IF NOT EXISTS mark AS SELECT 0 AS m; DELETE FROM temp.mark; INSERT INTO temp.mark SELECT coalesce(max(row_id), 0) FROM main.findings;",
        );
        for (table, columns) in ALL_ROWS {
            let cols = if *columns == "*" {
                String::new()
            } else {
                format!("({columns})")
            };
            sql.push_str(&format!(
                "INSERT OR IGNORE INTO main.{table} {cols} SELECT {columns} FROM b.{table};"
            ));
        }
        sql.push_str(
            "INSERT INTO main.findings_fts (rowid, note, subject, unit)
               SELECT row_id, note, subject, unit FROM main.findings WHERE row_id > (SELECT m FROM temp.mark);
             COMMIT; DETACH DATABASE b;",
        );
        conn.execute_batch(&sql).unwrap();
    }
    sync_files(db);
    started.elapsed()
}

fn merge(db: &Path, bundles: &[PathBuf]) -> (Duration, u64) {
    merge_into(db, bundles, false)
}

/// Merges every bundle into a new ledger, one transaction each, then syncs
/// once; `reviewed`: into one that Review has been opened on, so its own
/// indexes on `findings` are kept up to date as well.
fn merge_into(db: &Path, bundles: &[PathBuf], reviewed: bool) -> (Duration, u64) {
    start_ledger(db, office());
    let mut ledger = Ledger::open_with_key(db, fixtures::key(OFFICE_SEED)).unwrap();
    if reviewed {
        ledger.ensure_review_indexes().unwrap();
    }
    let started = Instant::now();
    let mut added = 0;
    for bundle in bundles {
        added += ledger.merge(bundle, &mut |_| {}).unwrap().events_added;
    }
    // The batch is on the disk before the merge counts as done.
    ledger.sync().unwrap();
    let took = started.elapsed();
    // Every event must have gone through the roster's checks and passed:
    // a refused event skips the derived tables and would flatter the figure.
    let refused = ledger.refused_count().unwrap();
    assert_eq!(
        refused, 0,
        "{refused} events refused: the bench's roster is wrong"
    );
    assert_eq!(ledger.authority().is_office(), office().is_some());
    (took, added)
}

fn main() {
    let devices = env("ANFANG_BENCH_DEVICES", 100);
    let findings = env("ANFANG_BENCH_FINDINGS", 10_000);
    // ANFANG_BENCH_FLOOR=0 skips the storage floor (quicker runs while tuning).
    let with_floor = env("ANFANG_BENCH_FLOOR", 1) != 0;
    // ANFANG_BENCH_BASELINES=0 times the merge alone (tuning only: no ratio).
    let with_baselines = env("ANFANG_BENCH_BASELINES", 1) != 0;
    // The figures are for an office with its roster in force.
    let mode = std::env::var("ANFANG_BENCH_MODE").unwrap_or_else(|_| "office".into());
    let office_mode = match mode.as_str() {
        "office" => true,
        "open" => false,
        other => panic!("ANFANG_BENCH_MODE must be office or open, not '{other}'"),
    };
    assert!(devices < usize::from(OFFICE_SEED), "at most 199 devices");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(if office_mode {
        format!("merge-bench-office-{devices}x{findings}")
    } else {
        format!("merge-bench-{devices}x{findings}")
    });
    std::fs::create_dir_all(&dir).unwrap();
    let started = Instant::now();
    let roster_event = office_mode.then(|| {
        let template = dir.join("office.template.sqlite");
        if template.exists() {
            roster_row(&Connection::open(&template).unwrap())
        } else {
            // A new roster event: bundles made with the old one go.
            for d in 1..=devices {
                let _ = std::fs::remove_file(dir.join(format!("device{d:03}.bundle")));
                let _ = std::fs::remove_file(dir.join(format!("device{d:03}.ledger.sqlite")));
            }
            write_office_template(&template, devices)
        }
    });
    OFFICE
        .set(office_mode.then(|| dir.join("office.template.sqlite")))
        .unwrap();
    let bundles: Vec<PathBuf> = (1..=devices)
        .map(|d| {
            let path = dir.join(format!("device{d:03}.bundle"));
            if !path.exists() {
                write_bundle(&path, d as u8, findings, roster_event.as_ref());
            }
            path
        })
        .collect();
    println!(
        "mode: {} ({})",
        mode,
        if office_mode {
            "office pinned, roster enrolling every device as inspector and a reviewer"
        } else {
            "no office: every signed event counts"
        }
    );
    println!(
        "bundles: {devices} × {findings} findings ready in {:.1?} ({})",
        started.elapsed(),
        dir.display()
    );

    let sources: Vec<PathBuf> = bundles
        .iter()
        .filter(|_| with_floor && with_baselines)
        .map(|bundle| {
            let ledger = bundle.with_extension("ledger.sqlite");
            if !ledger.exists() {
                let partial = bundle.with_extension("ledger.partial");
                merge(&partial, std::slice::from_ref(bundle));
                std::fs::rename(&partial, &ledger).unwrap();
            }
            ledger
        })
        .collect();
    println!(
        "per-device ledgers for the storage floor ready in {:.1?}",
        started.elapsed()
    );

    // Shared machines are noisy: alternate them, take each one's best.
    let rounds = env("ANFANG_BENCH_ROUNDS", 2);
    let (mut raw, mut merged, mut floor) = (Duration::MAX, Duration::MAX, Duration::MAX);
    let mut tool: Option<Duration> = None;
    let mut defaults = Duration::MAX;
    let mut reviewed = Duration::MAX;
    let mut merge_peak: f64 = 0.0;
    let version = sqlite3_tool_version();
    for round in 1..=rounds {
        let mut round_tool: Option<Duration> = None;
        let show = |what: &str, took: Duration, cpu: f64, more: &str| {
            println!(
                "round {round}: {what}: {:.2} s ({cpu:.2} s CPU){more}",
                took.as_secs_f64()
            );
        };
        if !with_baselines {
            let ((took, _), cpu) = with_cpu(|| merge(&dir.join("merged.sqlite"), &bundles));
            show("anfang merge alone", took, cpu, "");
            continue;
        }
        match sqlite3_tool_copy(&dir.join("tool.sqlite"), &bundles) {
            Some((took, cpu)) => {
                show(
                    &format!(
                        "sqlite3 tool copy ({version}, its own settings; ATTACH + INSERT OR IGNORE … SELECT)"
                    ),
                    took,
                    cpu,
                    "",
                );
                tool = Some(tool.map_or(took, |t| t.min(took)));
                round_tool = Some(took);
            }
            None => println!("round {round}: no sqlite3 tool on PATH: its copy is skipped"),
        }
        let (took, cpu) = with_cpu(|| raw_copy_defaults(&dir.join("defaults.sqlite"), &bundles));
        show(
            "in-process copy (same SQL, SQLite's default settings)",
            took,
            cpu,
            "",
        );
        defaults = defaults.min(took);
        reset_peak();
        let (took, cpu) = with_cpu(|| raw_copy(&dir.join("raw.sqlite"), &bundles));
        show(
            "in-process copy (same SQL, the merge's settings)",
            took,
            cpu,
            &format!(", peak {:.0} MiB", peak_mib()),
        );
        raw = raw.min(took);
        let round_raw = took;
        reset_peak();
        let ((took, added), cpu) = with_cpu(|| merge(&dir.join("merged.sqlite"), &bundles));
        let peak = peak_mib();
        show(
            "anfang merge (verify + union + derived tables)",
            took,
            cpu,
            &format!(", {added} events, peak {peak:.0} MiB"),
        );
        merged = merged.min(took);
        // Each round's own ratios: the issue asks for every run's figures.
        let per = |base: Duration| took.as_secs_f64() / base.as_secs_f64();
        println!(
            "round {round}: ratios merge / sqlite3 tool copy {}, merge / equal-settings copy {:.2}×",
            round_tool.map_or_else(|| "(no tool)".into(), |t| format!("{:.2}×", per(t))),
            per(round_raw)
        );
        merge_peak = merge_peak.max(peak);
        let ((took, _), cpu) =
            with_cpu(|| merge_into(&dir.join("reviewed.sqlite"), &bundles, true));
        show(
            "anfang merge into a ledger Review was opened on (its indexes too)",
            took,
            cpu,
            "",
        );
        reviewed = reviewed.min(took);
        if !with_floor {
            continue;
        }
        let (took, cpu) = with_cpu(|| raw_copy_all_rows(&dir.join("floor.sqlite"), &sources));
        show(
            "storage floor (same SQL copy of every row merge writes, derived and full-text rows too)",
            took,
            cpu,
            "",
        );
        floor = floor.min(took);
    }
    let ratio = |what: &str, took: Duration, base: Duration| {
        let ratio = took.as_secs_f64() / base.as_secs_f64();
        let met = if ratio <= 1.5 { "met" } else { "NOT met" };
        println!("ratio {what}: {ratio:.2}× (≤ 1.5×: {met})");
    };
    if with_baselines {
        if let Some(tool) = tool {
            ratio(
                "merge / sqlite3 tool copy (the issue's baseline)",
                merged,
                tool,
            );
            ratio(
                "merge into a ledger Review was opened on / sqlite3 tool copy",
                reviewed,
                tool,
            );
        }
        ratio(
            "merge / in-process copy with SQLite's default settings",
            merged,
            defaults,
        );
        ratio(
            "merge / in-process copy with the merge's settings (stricter)",
            merged,
            raw,
        );
        println!(
            "peak memory {merge_peak:.0} MiB (target < 200 MiB: {})",
            if merge_peak < 200.0 { "met" } else { "NOT met" }
        );
    }
    if with_floor && with_baselines {
        println!(
            "ratio merge / storage floor: {:.2}× (what verification, parsing and deriving row by row add)",
            merged.as_secs_f64() / floor.as_secs_f64()
        );
    }
    for db in ["floor", "tool", "defaults", "reviewed", "raw", "merged"] {
        fresh(&dir.join(format!("{db}.sqlite")));
    }
}
