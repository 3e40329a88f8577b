//! Hostile and broken plugins, as real compiled libraries, against the
//! sandboxed child they run in: a crash or a hang costs one call and the
//! host goes on; a constructor cannot read the device key, copy it out,
//! reach the network or add itself to the trust list — neither during
//! `check` nor during use.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use anfang_core::Points;
use anfang_plugin_host::check::check_plugin;
use anfang_plugin_host::worker::WorkerCommand;
use anfang_plugin_host::{HostConfig, PluginError, Registry};
use serde_json::json;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use support::{Env, assert_loaded, info_for, reason_for, set_mode, test_limits};

/// The computed item of the C fixture.
const ITEM: &str = "c-fixture-calls";

fn calls(n: u64) -> serde_json::Value {
    json!({ "unanswered": n })
}

/// A trusted C fixture built with `defines`, loaded.
fn loaded(env: &Env, name: &str, defines: &[&str]) -> (PathBuf, Registry) {
    let plugin = env.add_c(name, defines);
    env.trust(&plugin);
    let registry = env.load();
    assert_loaded(&registry, &plugin);
    (plugin, registry)
}

#[test]
fn a_score_that_segfaults_for_non_zero_input_costs_that_call_only() {
    let env = Env::new();
    let (plugin, registry) = loaded(&env, "segv", &["FAULT_SCORE_SEGV"]);
    assert_eq!(
        registry.score("c-fixture", ITEM, &calls(0)),
        Ok(Points::whole(4))
    );
    let error = registry.score("c-fixture", ITEM, &calls(3)).unwrap_err();
    assert_eq!(
        error,
        PluginError::Crashed {
            plugin: "c-fixture".into(),
            item: ITEM.into(),
            detail: "killed by signal 11 (SIGSEGV)".into(),
        }
    );
    assert!(error.is_plugin_fault());
    // A fresh child answers the next call.
    assert_eq!(
        registry.score("c-fixture", ITEM, &calls(0)),
        Ok(Points::whole(4))
    );
    let fault = info_for(&registry, &plugin).fault.unwrap();
    assert!(fault.contains("crashed scoring item"), "{fault}");

    // `check` probes more than zeros and finds it.
    let report = check_plugin(&plugin, &Registry::core_only(), &env.config());
    assert_eq!(
        report.problems,
        [
            "plugin 'c-fixture' crashed scoring item 'c-fixture-calls': killed by signal 11 (SIGSEGV) (all inputs 1)",
            "plugin 'c-fixture' crashed scoring item 'c-fixture-calls': killed by signal 11 (SIGSEGV) (all inputs 7 (62.5 %))"
        ],
        "{report:#?}"
    );
}

#[test]
fn a_score_that_aborts_is_reported_as_such() {
    let env = Env::new();
    let (_, registry) = loaded(&env, "abort", &["FAULT_SCORE_ABORT"]);
    let error = registry.score("c-fixture", ITEM, &calls(1)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "plugin 'c-fixture' crashed scoring item 'c-fixture-calls': killed by signal 6 (SIGABRT)"
    );
}

#[test]
fn a_score_that_never_returns_is_stopped_at_the_time_limit() {
    let env = Env::new();
    let (plugin, registry) = loaded(&env, "hang", &["FAULT_SCORE_HANG"]);
    let started = Instant::now();
    let error = registry.score("c-fixture", ITEM, &calls(1)).unwrap_err();
    let took = started.elapsed();
    assert_eq!(
        error.to_string(),
        "plugin 'c-fixture' did not answer for item 'c-fixture-calls' within 2 s (stopped)"
    );
    assert!(took >= test_limits().call, "{took:?}");
    assert!(
        took < test_limits().call + Duration::from_secs(5),
        "{took:?}"
    );
    assert!(info_for(&registry, &plugin).fault.is_some());
}

#[test]
fn a_plugin_that_never_finishes_opening_is_refused_and_the_rest_load() {
    let env = Env::new();
    let good = env.add_c("good", &["PLUGIN_ID=\"good\""]);
    env.trust(&good);
    let stuck = env.add_c("stuck", &["PLUGIN_ID=\"stuck\"", "FAULT_CTOR_HANG"]);
    env.trust(&stuck);
    let mut config = env.config();
    config.limits.start = Duration::from_secs(1);
    let started = Instant::now();
    let registry = Registry::load(&config);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(
        reason_for(&registry, &stuck),
        "the plugin's process failed: opening the library took more than 1 s (stopped)"
    );
    assert_loaded(&registry, &good);
}

#[test]
fn a_plugin_whose_process_cannot_start_is_refused_with_the_reason() {
    let env = Env::new();
    let plugin = env.add_c("fine", &[]);
    env.trust(&plugin);
    let registry = Registry::load(&HostConfig {
        worker: Some(WorkerCommand {
            program: env.root.path().join("no-such-program"),
            args: Vec::new(),
        }),
        ..env.config()
    });
    let reason = reason_for(&registry, &plugin);
    assert!(
        reason.starts_with("the plugin's process failed: cannot start "),
        "{reason}"
    );
    assert_eq!(registry.manifests().len(), 1);
}

/// `check` runs the plugin (in the sandbox): its constructor ran and was
/// stopped at every step, as the score it reports (1) tells.
fn check_finds_a_stopped_constructor(env: &Env, plugin: &std::path::Path) {
    let report = check_plugin(plugin, &Registry::core_only(), &env.config());
    assert!(
        report
            .notes
            .iter()
            .any(|n| n == "score probe: item 'c-fixture-calls' with all inputs 0 gives 1 points"),
        "{report:#?}"
    );
}

/// A data folder holding a device key, as anfang's does.
fn with_key(env: &Env) -> (PathBuf, Vec<u8>) {
    let key = env.data.join("device.key");
    let secret = b"ed25519 secret key bytes: 0123456789abcdef".to_vec();
    std::fs::write(&key, &secret).unwrap();
    set_mode(&key, 0o600);
    (key, secret)
}

#[test]
fn a_key_stealing_constructor_reads_nothing_copies_nothing_and_has_no_network() {
    let env = Env::new();
    let (key, secret) = with_key(&env);
    let loot = env.root.path().join("loot");
    let defines = [
        "FAULT_STEAL_KEY".to_owned(),
        format!("KEY_PATH=\"{}\"", key.display()),
        format!("LOOT_PATH=\"{}\"", loot.display()),
    ];
    let defines: Vec<&str> = defines.iter().map(String::as_str).collect();
    let plugin = env.add_c("thief", &defines);

    // `check` before any trust: the constructor runs, in the sandbox.
    check_finds_a_stopped_constructor(&env, &plugin);
    assert!(!loot.exists());

    // In use: the same.
    env.trust(&plugin);
    let registry = env.load();
    assert_eq!(
        registry.score("c-fixture", ITEM, &calls(0)),
        Ok(Points::whole(1)),
        "1: ran; 2 would be the key read, 4 written out, 8 a socket"
    );
    assert!(!loot.exists());
    assert_eq!(std::fs::read(&key).unwrap(), secret);
}

#[test]
fn a_self_trusting_constructor_leaves_the_trust_list_unchanged() {
    let env = Env::new();
    let list = env.trust_list();
    let defines = [
        "FAULT_SELF_TRUST".to_owned(),
        format!("TRUST_PATH=\"{}\"", list.display()),
    ];
    let defines: Vec<&str> = defines.iter().map(String::as_str).collect();
    let plugin = env.add_c("vain", &defines);

    check_finds_a_stopped_constructor(&env, &plugin);
    assert!(!list.exists(), "check wrote the trust list");

    env.trust(&plugin);
    let before = std::fs::read(&list).unwrap();
    let registry = env.load();
    assert_eq!(
        registry.score("c-fixture", ITEM, &calls(0)),
        Ok(Points::whole(1))
    );
    drop(registry);
    assert_eq!(std::fs::read(&list).unwrap(), before);
}
