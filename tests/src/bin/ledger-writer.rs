//! Test helper for the ledger crash tests: records events or merges a
//! bundle, printing each acknowledged step on stdout, so a test can kill it
//! with SIGKILL at any moment and then check what survived.
//!
//! ```text
//! ledger-writer record LEDGER SEED          append events until killed; print each id once durable
//! ledger-writer make-bundle LEDGER SEED N OUT   record N events as device SEED and bundle them
//! ledger-writer merge LEDGER BUNDLE         merge; print "merged <events added>"
//! ```

#[path = "../../../app/ledger/tests/fixtures/mod.rs"]
mod fixtures;

use anfang_ledger::Ledger;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["record", ledger, seed] => record(Path::new(ledger), seed, None).map(|_| ()),
        ["make-bundle", ledger, seed, n, out] => make_bundle(Path::new(ledger), seed, n, Path::new(out)),
        ["merge", ledger, bundle] => merge(Path::new(ledger), Path::new(bundle)),
        _ => Err("usage: ledger-writer record LEDGER SEED | make-bundle LEDGER SEED N OUT | merge LEDGER BUNDLE".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ledger-writer: {e}");
            ExitCode::FAILURE
        }
    }
}

fn seed_of(text: &str) -> Result<u8, String> {
    text.parse().map_err(|_| format!("bad seed '{text}'"))
}

/// Appends a visit every 20 events and findings in between; prints each id.
fn record(path: &Path, seed: &str, limit: Option<u64>) -> Result<u64, String> {
    let seed = seed_of(seed)?;
    let mut ledger = Ledger::open_with_key(path, fixtures::key(seed)).map_err(|e| e.to_string())?;
    let start = ledger.event_count().map_err(|e| e.to_string())?;
    let mut out = std::io::stdout().lock();
    let mut visit = fixtures::uuid(u64::from(seed), start);
    let mut i = start;
    while limit.is_none_or(|n| i < start + n) {
        let t = fixtures::at(i as i64);
        let body = if i % 20 == 0 {
            visit = fixtures::uuid(u64::from(seed), i);
            fixtures::visit_opened(visit, i as usize, "张伟", t)
        } else {
            fixtures::finding(
                visit,
                fixtures::uuid(u64::from(seed) + 1000, i),
                i as usize,
                t,
            )
        };
        let id = ledger.append_at(&body, t).map_err(|e| e.to_string())?;
        if limit.is_none() {
            writeln!(out, "{id}")
                .and_then(|()| out.flush())
                .map_err(|e| e.to_string())?;
        }
        i += 1;
    }
    Ok(i - start)
}

fn make_bundle(path: &Path, seed: &str, n: &str, out: &Path) -> Result<(), String> {
    let n: u64 = n.parse().map_err(|_| format!("bad count '{n}'"))?;
    record(path, seed, Some(n))?;
    let ledger =
        Ledger::open_with_key(path, fixtures::key(seed_of(seed)?)).map_err(|e| e.to_string())?;
    ledger.bundle(out).map_err(|e| e.to_string())?;
    Ok(())
}

fn merge(path: &Path, bundle: &Path) -> Result<(), String> {
    let mut ledger = Ledger::open_with_key(path, fixtures::key(200)).map_err(|e| e.to_string())?;
    println!("start");
    let report = ledger
        .merge(bundle, &mut |_| {})
        .map_err(|e| e.to_string())?;
    println!("merged {}", report.events_added);
    Ok(())
}
