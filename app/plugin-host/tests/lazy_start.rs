//! Plugins' children start on first use once their manifests are cached:
//! a second load starts no process, the first score starts one, a plugin
//! whose manifest crashes is still refused with its reason, and a forged
//! cache entry gets past neither the trust list nor the child's own word.
//! One test in its own program, so the processes counted are its own.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use anfang_plugin_host::{HostConfig, PluginError, Registry, manifest_cache};
use serde_json::json;
use support::{Env, info_for, reason_for};

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
fn children_start_on_first_use_and_a_forged_cache_changes_nothing() {
    let env = Env::new();
    let good = env.add_c("good", &["PLUGIN_ID=\"lazy-good\""]);
    let segv = env.add_c("segv", &["PLUGIN_ID=\"lazy-segv\"", "FAULT_SCORE_SEGV"]);
    let crash = env.add_c("crash", &["PLUGIN_ID=\"lazy-crash\"", "FAULT_CRASH"]);
    for file in [&good, &segv, &crash] {
        env.trust(file);
    }
    let cache = manifest_cache::path_in(&env.data);

    // The first start asks every child and keeps what two of them said.
    let first = Registry::load(&config(&env));
    assert!(info_for(&first, &good).is_loaded());
    assert!(info_for(&first, &segv).is_loaded());
    let crashed = reason_for(&first, &crash);
    assert!(crashed.contains("manifest function crashed"), "{crashed}");
    assert_eq!(first.children_started(), 2);
    assert_eq!(std::fs::read_dir(&cache).unwrap().count(), 2);
    drop(first);
    assert_eq!(children(), 0);

    // The next start runs nothing of the cached plugins, and still reports
    // the one that crashes.
    let registry = Registry::load(&config(&env));
    assert_eq!(registry.children_started(), 0);
    assert_eq!(children(), 0, "no child before first use");
    assert!(info_for(&registry, &good).is_loaded());
    assert!(registry.manifest("lazy-segv").is_some());
    assert_eq!(reason_for(&registry, &crash), crashed);

    // First use starts one child, for that plugin only.
    let points = registry.score("lazy-good", "lazy-good-calls", &json!({"unanswered": 2}));
    assert_eq!(points, Ok(anfang_core::Points::whole(4)));
    assert_eq!(registry.children_started(), 1);
    assert_eq!(children(), 1);
    // A visit that offers a plugin's checklists starts its child ahead.
    registry.start_plugins(["lazy-segv", "core", "no-such-plugin"]);
    assert_eq!(registry.children_started(), 2);
    assert_eq!(children(), 2);
    let error = registry
        .score("lazy-segv", "lazy-segv-calls", &json!({"unanswered": 3}))
        .unwrap_err();
    assert!(error.is_plugin_fault(), "{error}");
    assert!(error.to_string().contains("SIGSEGV"), "{error}");
    let fault = info_for(&registry, &segv).fault.unwrap();
    assert!(fault.contains("SIGSEGV"), "{fault}");
    drop(registry);

    // A forged entry that still validates: the manifest is offered until
    // the child starts, says otherwise, and the plugin is not used.
    let entry = cache.join(format!(
        "{}.json",
        info_for(&Registry::load(&config(&env)), &good).sha256
    ));
    let text = std::fs::read_to_string(&entry).unwrap();
    let forged = text.replace("\\\"max\\\": 20", "\\\"max\\\": 99");
    assert_ne!(forged, text);
    std::fs::write(&entry, forged).unwrap();
    let registry = Registry::load(&config(&env));
    let error = registry
        .score("lazy-good", "lazy-good-calls", &json!({"unanswered": 2}))
        .unwrap_err();
    assert!(
        matches!(error, PluginError::Unavailable { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("differs"), "{error}");
    assert!(!entry.exists(), "the false entry is removed");
    drop(registry);
    // The next start asks the child again and keeps its true answer.
    let registry = Registry::load(&config(&env));
    assert!(entry.exists());
    assert_eq!(
        registry.score("lazy-good", "lazy-good-calls", &json!({"unanswered": 2})),
        Ok(anfang_core::Points::whole(4))
    );
    drop(registry);

    // An entry does not stand in for trust: untrusted, the plugin is refused.
    std::fs::remove_file(env.trust_list()).unwrap();
    env.trust(&segv);
    let registry = Registry::load(&config(&env));
    assert!(!info_for(&registry, &good).is_loaded());
    assert!(reason_for(&registry, &good).contains("trust"));
    assert!(info_for(&registry, &segv).is_loaded());
}
