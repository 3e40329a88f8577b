//! The first start after plugins change: only the changed plugins'
//! children start (manifests are cached by each library's SHA-256), and
//! the children that must start do so side by side, each within its own
//! time limit. One test in its own program, so the processes counted are
//! its own.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use anfang_plugin_host::{HostConfig, Registry, manifest_cache};
use std::time::{Duration, Instant};
use support::{Env, assert_loaded, info_for, reason_for};

/// The child processes of this program, from every thread.
fn children() -> usize {
    let mut count = 0;
    for task in std::fs::read_dir("/proc/self/task").unwrap() {
        let path = task.unwrap().path().join("children");
        let text = std::fs::read_to_string(path).unwrap_or_default();
        count += text.split_whitespace().count();
    }
    count
}

fn config(env: &Env) -> HostConfig {
    HostConfig {
        manifest_cache: Some(manifest_cache::path_in(&env.data)),
        ..env.config()
    }
}

#[test]
fn a_changed_plugin_starts_only_its_own_child_and_stuck_ones_start_side_by_side() {
    let env = Env::new();
    let files: Vec<_> = (0..4)
        .map(|i| {
            let id = format!("PLUGIN_ID=\"changing-{i}\"");
            let file = env.add_c(&format!("changing{i}"), &[&id]);
            env.trust(&file);
            file
        })
        .collect();
    let cache = manifest_cache::path_in(&env.data);
    let first = Registry::load(&config(&env));
    assert_eq!(first.children_started(), 4);
    drop(first);
    assert_eq!(std::fs::read_dir(&cache).unwrap().count(), 4);

    // One plugin is rebuilt with other items: its hash changes, the other
    // three entries still stand.
    let before = info_for(&Registry::load(&config(&env)), &files[2]).sha256;
    let rebuilt = env.add_c(
        "changing2",
        &["PLUGIN_ID=\"changing-2\"", "ITEM_PREFIX=\"new\""],
    );
    assert_eq!(rebuilt, files[2]);
    env.trust(&rebuilt);
    let registry = Registry::load(&config(&env));
    assert_ne!(info_for(&registry, &files[2]).sha256, before);
    assert_eq!(registry.children_started(), 1, "{:#?}", registry.list());
    assert_eq!(children(), 1);
    for file in &files {
        assert_loaded(&registry, file);
    }
    let manifest = registry.manifest("changing-2").unwrap();
    assert!(manifest.item("new-duty").is_some(), "{manifest:?}");
    drop(registry);
    assert_eq!(std::fs::read_dir(&cache).unwrap().count(), 5);
    assert_eq!(children(), 0);

    // Ten plugins that never finish opening, beside a good one: each child
    // has its own second to start, and they all wait at once, so the load
    // takes about one second, not ten.
    let stuck = env.add_c("stuck0", &["PLUGIN_ID=\"stuck\"", "FAULT_CTOR_HANG"]);
    env.trust(&stuck);
    let bytes = std::fs::read(&stuck).unwrap();
    let mut all_stuck = vec![stuck];
    for i in 1..10 {
        all_stuck.push(env.add_bytes(&format!("stuck{i}.so"), &bytes));
    }
    let mut limited = config(&env);
    limited.limits.start = Duration::from_secs(1);
    let started = Instant::now();
    let registry = Registry::load(&limited);
    let took = started.elapsed();
    for file in &all_stuck {
        assert_eq!(
            reason_for(&registry, file),
            "the plugin's process failed: opening the library took more than 1 s (stopped)"
        );
    }
    for file in &files {
        assert_loaded(&registry, file);
    }
    assert!(took < Duration::from_secs(3), "took {took:?}");
}
