//! Finding, hashing, loading and validating 50 plugins: the target is under
//! 50 ms in total. Run with:
//!
//!     cargo bench -p anfang-plugin-host --bench load
//!
//! Three sets of 50, each in a user folder with every hash on the trust
//! list: small C plugins with distinct ids (all 50 load); 50 copies of the
//! release-built service-center plugin with its debug info stripped, as an
//! installation ships it; and the same unstripped (the workspace's release
//! profile keeps line tables, 14× the size). Each copy is hashed, loaded
//! and validated in full; the 49 after the first are then refused as
//! duplicate ids, so the work measured is that of 50 distinct plugins.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/support/mod.rs"]
mod support;

use anfang_plugin_host::{Registry, manifest_cache};
use std::time::{Duration, Instant};
use support::{Env, SO, compile_c, fixture_source, release_example_plugin};

const PLUGINS: usize = 50;
const TARGET: Duration = Duration::from_millis(50);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `cargo bench` passes --bench; `cargo test --benches` does not and
    // only wants to know the bench builds.
    if !args.iter().any(|a| a == "--bench") {
        return;
    }
    // An optional word picks sets by name: `-- stripped`.
    let filter = args.iter().find(|a| !a.starts_with("--")).cloned();
    let wanted = |name: &str| filter.as_deref().is_none_or(|f| name.contains(f));
    if wanted("c plugins") {
        let env = c_plugins();
        report("50 c plugins, distinct ids", &env, 15, 50, Cache::None);
        report(
            "50 c plugins, distinct ids, first start after all changed (cache empty)",
            &env,
            15,
            50,
            Cache::Empty,
        );
        report(
            "50 c plugins, distinct ids, first start after one changed",
            &env,
            15,
            50,
            Cache::OneChanged,
        );
        report(
            "50 c plugins, distinct ids, manifests cached (children start on first use)",
            &env,
            15,
            50,
            Cache::Full,
        );
    }
    if wanted("stripped") {
        let env = rust_plugins(true);
        report(
            "50 service-center plugins (release, stripped)",
            &env,
            15,
            1,
            Cache::None,
        );
    }
    if wanted("line tables") {
        let env = rust_plugins(false);
        report(
            "50 service-center plugins (release, with line tables)",
            &env,
            3,
            1,
            Cache::None,
        );
    }
}

fn c_plugins() -> Env {
    let env = Env::new();
    let build = env.root.path().join("build");
    for i in 0..PLUGINS {
        let id = format!("PLUGIN_ID=\"bench-{i:02}\"");
        let built = compile_c(&fixture_source(), &[&id], &build, &format!("bench{i:02}"));
        let installed = env.install(&built);
        env.trust(&installed);
    }
    env
}

fn rust_plugins(strip: bool) -> Env {
    let env = Env::new();
    let mut source = release_example_plugin("service_center");
    if strip {
        let stripped = env
            .root
            .path()
            .join("build")
            .join(format!("libstripped.{SO}"));
        let status = std::process::Command::new("strip")
            .arg("--strip-debug")
            .arg("-o")
            .arg(&stripped)
            .arg(&source)
            .status()
            .expect("run strip (binutils)");
        assert!(status.success());
        source = stripped;
    }
    let bytes = std::fs::read(&source).unwrap();
    for i in 0..PLUGINS {
        let path = env.plugins.join(format!("libcenter{i:02}.{SO}"));
        std::fs::write(&path, &bytes).unwrap();
        support::set_mode(&path, 0o644);
    }
    env.trust(&env.plugins.join(format!("libcenter00.{SO}")));
    env
}

/// What the manifest cache holds at each measured load.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cache {
    /// No cache: every child starts at load.
    None,
    /// A cache, emptied before each load: every plugin changed since the
    /// last start, so every child starts.
    Empty,
    /// Every manifest cached but one plugin's, which is rebuilt between
    /// loads (two builds of it take turns): its child alone starts.
    OneChanged,
    /// Every manifest cached by a first load (not measured): no child starts.
    Full,
}

/// Two builds of the first plugin, both trusted, that differ in their items.
fn two_builds(env: &Env) -> [Vec<u8>; 2] {
    let build = env.root.path().join("build");
    ["bench-00-a", "bench-00-b"].map(|prefix| {
        let defines = [
            "PLUGIN_ID=\"bench-00\"".to_owned(),
            format!("ITEM_PREFIX=\"{prefix}\""),
        ];
        let defines: Vec<&str> = defines.iter().map(String::as_str).collect();
        let built = compile_c(&fixture_source(), &defines, &build, prefix);
        env.trust(&built);
        std::fs::read(built).unwrap()
    })
}

fn report(what: &str, env: &Env, runs: usize, expect_loaded: usize, cache: Cache) {
    let mut config = env.config();
    let dir = manifest_cache::path_in(&env.data);
    if cache != Cache::None {
        config.manifest_cache = Some(dir.clone());
        let _ = std::fs::remove_dir_all(&dir);
        drop(Registry::load(&config));
    }
    let builds = (cache == Cache::OneChanged).then(|| two_builds(env));
    let first = env.plugins.join(format!("libbench00.{SO}"));
    let original = std::fs::read(&first).unwrap();
    let size: u64 = std::fs::read_dir(&env.plugins)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum();
    let mut times = Vec::new();
    for run in 0..runs {
        // The change is made outside the time measured.
        match (&builds, cache) {
            (_, Cache::Empty) => std::fs::remove_dir_all(&dir).unwrap(),
            (Some(builds), Cache::OneChanged) => {
                let bytes = &builds[run % 2];
                std::fs::write(&first, bytes).unwrap();
                let sha = anfang_plugin_host::trust::sha256_hex(bytes);
                let _ = std::fs::remove_file(dir.join(format!("{sha}.json")));
            }
            _ => {}
        }
        let started = Instant::now();
        let registry = Registry::load(&config);
        times.push(started.elapsed());
        let loaded = registry.list().iter().filter(|p| p.is_loaded()).count();
        assert_eq!(loaded, expect_loaded, "{:#?}", registry.list());
        assert_eq!(registry.list().len(), PLUGINS);
        let started_children = match cache {
            Cache::None | Cache::Empty => expect_loaded,
            Cache::OneChanged => 1,
            Cache::Full => 0,
        };
        assert_eq!(registry.children_started(), started_children);
        // The children are stopped outside the time measured.
        drop(registry);
    }
    std::fs::write(&first, original).unwrap();
    let baseline = median_of(runs, || read_and_hash(&env.plugins));
    let median = median_of_sorted(&mut times);
    let best = times[0];
    println!(
        "{what}: {PLUGINS} files, {:.1} MB; median {:.1} ms, best {:.1} ms over {runs} runs \
         ({:.2} ms per plugin); target {} ms: median is {:.2}× the target; \
         {:.1}× the time of just reading and hashing the files ({:.1} ms)",
        size as f64 / 1e6,
        ms(median),
        ms(best),
        ms(median) / PLUGINS as f64,
        TARGET.as_millis(),
        median.as_secs_f64() / TARGET.as_secs_f64(),
        median.as_secs_f64() / baseline.as_secs_f64(),
        ms(baseline),
    );
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

fn median_of_sorted(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn median_of(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed()
        })
        .collect();
    median_of_sorted(&mut times)
}

/// The floor: what any scheme that hashes what it loads must do, one file
/// after another.
fn read_and_hash(dir: &std::path::Path) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        std::hint::black_box(anfang_plugin_host::trust::sha256_hex(&bytes));
    }
}
