//! `plugins check`: static checks in this process, then the plugin runs
//! in the same sandboxed child the app uses, so a crash is reported and the
//! caller lives on.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use anfang_plugin_host::Registry;
use anfang_plugin_host::check::{CheckReport, check_plugin};
use std::path::Path;
use support::{Env, rust_fixture, set_mode};

fn check(env: &Env, registry: &Registry, file: &Path) -> CheckReport {
    check_plugin(file, registry, &env.config())
}

#[test]
fn a_sound_plugin_is_reported_sound_with_notes() {
    let env = Env::new();
    let plugin = env.add_c("sound", &[]);
    let report = check(&env, &Registry::core_only(), &plugin);
    assert!(report.is_sound(), "{report:#?}");
    assert_eq!(report.manifest.as_ref().unwrap().id, "c-fixture");
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("not on the trust list yet")),
        "{:?}",
        report.notes
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n == "score probe: item 'c-fixture-calls' with all inputs 0 gives 4 points"),
        "{:?}",
        report.notes
    );
    env.trust(&plugin);
    let report = check(&env, &Registry::core_only(), &plugin);
    assert!(
        report
            .notes
            .iter()
            .any(|n| n == "trust: SHA-256 is on the trust list")
    );
}

#[test]
fn a_crash_while_loading_is_reported_and_the_caller_goes_on() {
    let env = Env::new();
    let plugin = env.add_c("crash", &["FAULT_CRASH"]);
    let report = check(&env, &Registry::core_only(), &plugin);
    assert_eq!(
        report.problems,
        ["manifest function crashed: killed by signal 11 (SIGSEGV)"],
        "{report:#?}"
    );
    assert!(report.manifest.is_none());
}

#[test]
fn every_schema_problem_is_listed() {
    let env = Env::new();
    let plugin = env.add_c("schema", &["FAULT_SCHEMA"]);
    let report = check(&env, &Registry::core_only(), &plugin);
    assert_eq!(
        report.problems,
        [
            "manifest fails the schema: at /checklists/0/items/0/label: \"en\" is a required property"
        ]
    );
}

#[test]
fn a_panicking_score_function_is_found_by_the_probe() {
    let env = Env::new();
    let plugin = env.install(&rust_fixture("score_panics"));
    let report = check(&env, &Registry::core_only(), &plugin);
    // Each of the three probes panics.
    assert_eq!(report.problems.len(), 3, "{report:#?}");
    assert!(
        report.problems[0]
            .starts_with("plugin 'score-panics' panicked scoring item 'panics-explodes': "),
        "{:?}",
        report.problems
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("'panics-works' with all inputs 0 gives 0 points"))
    );
}

#[test]
fn garbage_from_the_score_function_is_found_by_the_probe() {
    let env = Env::new();
    let plugin = env.add_c("garbage", &["FAULT_SCORE_GARBAGE"]);
    let report = check(&env, &Registry::core_only(), &plugin);
    assert_eq!(
        report.problems[0],
        "plugin 'c-fixture' returned garbage for item 'c-fixture-calls': answer is not JSON: lots of points (all inputs 0)"
    );
}

#[test]
fn permissions_and_clashes_with_loaded_plugins_are_problems() {
    let env = Env::new();
    let loaded = env.add_c("loaded", &["PLUGIN_ID=\"dup\""]);
    env.trust(&loaded);
    let registry = env.load();
    assert!(registry.manifest("dup").is_some());

    // The loaded file itself clashes with nothing.
    let report = check(&env, &registry, &loaded);
    assert!(report.is_sound(), "{report:#?}");

    let other_dir = env.root.path().join("elsewhere");
    std::fs::create_dir(&other_dir).unwrap();
    set_mode(&other_dir, 0o700);
    let twin = support::compile_c(
        &support::fixture_source(),
        &["PLUGIN_ID=\"dup\"", "ITEM_PREFIX=\"twin\""],
        &other_dir,
        "twin",
    );
    set_mode(&twin, 0o666);
    let report = check(&env, &registry, &twin);
    assert_eq!(
        report.problems,
        [format!(
            "file {} is writable by group or others (mode 0666)",
            twin.display()
        )]
    );
    assert_eq!(
        report.conflicts,
        [format!(
            "duplicate plugin id 'dup': already loaded from {}",
            loaded.display()
        )]
    );
    assert!(!report.is_sound());
}

#[test]
fn a_file_that_is_not_a_library_is_reported() {
    let env = Env::new();
    let file = env.add_bytes("libempty.so", b"");
    let report = check(&env, &Registry::core_only(), &file);
    assert_eq!(report.problems, ["not a shared library: no ELF header"]);
}
