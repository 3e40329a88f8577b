//! Every bad plugin the issue lists, as a real built file: each is refused
//! with its one-line reason, and a sound plugin beside it still loads.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use anfang_plugin_host::{PluginError, Refusal};
use serde_json::json;
use support::{Env, SO, assert_loaded, info_for, reason_for, rust_fixture, set_mode};

/// A sound, trusted C plugin with its own ids, so the others can be
/// compared against it.
fn with_good(env: &Env) -> std::path::PathBuf {
    let good = env.add_c("good", &["PLUGIN_ID=\"good\""]);
    env.trust(&good);
    good
}

/// Builds one broken C fixture, trusts it, loads the folder and returns
/// the reason it was refused; checks the good plugin beside it loaded.
fn refused_c(name: &str, defines: &[&str]) -> String {
    let env = Env::new();
    let good = with_good(&env);
    let mut all = vec!["PLUGIN_ID=\"bad\""];
    all.extend_from_slice(defines);
    let bad = env.add_c(name, &all);
    env.trust(&bad);
    let registry = env.load();
    assert_loaded(&registry, &good);
    assert!(registry.manifest("good").is_some());
    reason_for(&registry, &bad)
}

#[test]
fn not_a_shared_library() {
    let env = Env::new();
    let good = with_good(&env);
    let text = env.add_bytes(
        &format!("libnotes.{SO}"),
        "会议纪要：这不是插件。\n".as_bytes(),
    );
    env.trust(&text);
    let registry = env.load();
    assert_eq!(
        reason_for(&registry, &text),
        "not a shared library: no ELF header"
    );
    assert!(info_for(&registry, &good).is_loaded());
}

#[test]
fn a_manifest_function_that_crashes_its_process() {
    assert_eq!(
        refused_c("crash", &["FAULT_CRASH"]),
        "manifest function crashed: killed by signal 11 (SIGSEGV)"
    );
}

#[test]
fn entry_symbol_missing() {
    assert_eq!(
        refused_c("noentry", &["FAULT_NO_ENTRY"]),
        "entry symbol anfang_plugin_entry missing"
    );
}

#[test]
fn entry_returns_no_table() {
    assert_eq!(
        refused_c("nulltable", &["FAULT_NULL_TABLE"]),
        "entry function returned no table (null)"
    );
}

#[test]
fn unsupported_abi_version() {
    assert_eq!(
        refused_c("abi7", &["FAULT_ABI_VERSION"]),
        "unsupported ABI version 7 (this anfang speaks 1)"
    );
}

#[test]
fn struct_too_small() {
    let reason = refused_c("small", &["FAULT_STRUCT_SMALL"]);
    assert_eq!(
        reason,
        format!(
            "plugin table is 16 bytes, ABI 1 needs at least {}",
            anfang_plugin_api::PluginTable::SIZE
        )
    );
}

#[test]
fn missing_free_function() {
    assert_eq!(
        refused_c("nofree", &["FAULT_NO_FREE"]),
        "the table's free_buffer function is missing (null)"
    );
}

#[test]
fn manifest_not_utf8() {
    let reason = refused_c("notutf8", &["FAULT_NOT_UTF8"]);
    assert!(
        reason.starts_with("manifest is not UTF-8 (invalid byte at offset "),
        "{reason}"
    );
}

#[test]
fn manifest_not_json() {
    let reason = refused_c("notjson", &["FAULT_NOT_JSON"]);
    assert!(
        reason.starts_with("manifest is not JSON: EOF while parsing"),
        "{reason}"
    );
}

#[test]
fn manifest_failing_the_schema() {
    let reason = refused_c("schema", &["FAULT_SCHEMA"]);
    assert_eq!(
        reason,
        "manifest fails the schema: at /checklists/0/items/0/label: \"en\" is a required property"
    );
}

#[test]
fn manifest_function_fails() {
    assert_eq!(
        refused_c("mferror", &["FAULT_MANIFEST_ERROR"]),
        "manifest function failed: database of items unavailable"
    );
}

#[test]
fn computed_rule_without_score_function() {
    assert_eq!(
        refused_c("noscore", &["FAULT_NO_SCORE"]),
        "item 'bad-calls' has a computed rule but the plugin has no score function"
    );
}

#[test]
fn duplicate_plugin_id_refuses_the_second() {
    let env = Env::new();
    // Search order is by file name: "a-first" before "b-second".
    let first = env.add_c("a-first", &["PLUGIN_ID=\"same\"", "ITEM_PREFIX=\"one\""]);
    let second = env.add_c("b-second", &["PLUGIN_ID=\"same\"", "ITEM_PREFIX=\"two\""]);
    env.trust(&first);
    env.trust(&second);
    let registry = env.load();
    assert!(info_for(&registry, &first).is_loaded());
    assert_eq!(
        reason_for(&registry, &second),
        format!(
            "duplicate plugin id 'same': already loaded from {}",
            first.display()
        )
    );
    // The refused plugin's id and version are still shown.
    assert_eq!(info_for(&registry, &second).id.as_deref(), Some("same"));
}

#[test]
fn duplicate_item_id_refuses_the_second() {
    let env = Env::new();
    let first = env.add_c(
        "a-first",
        &["PLUGIN_ID=\"first\"", "ITEM_PREFIX=\"shared\""],
    );
    let second = env.add_c(
        "b-second",
        &["PLUGIN_ID=\"second\"", "ITEM_PREFIX=\"shared\""],
    );
    env.trust(&first);
    env.trust(&second);
    let registry = env.load();
    assert!(info_for(&registry, &first).is_loaded());
    assert_eq!(
        reason_for(&registry, &second),
        "duplicate item id 'shared-duty': already defined by plugin 'first'"
    );
}

#[test]
fn ids_taken_by_the_core_are_refused() {
    let env = Env::new();
    let item = env.add_c(
        "a-item",
        &["PLUGIN_ID=\"clash\"", "FIRST_ITEM_ID=\"late-arrival\""],
    );
    let plugin = env.add_c("b-plugin", &["PLUGIN_ID=\"core\""]);
    env.trust(&item);
    env.trust(&plugin);
    let registry = env.load();
    assert_eq!(
        reason_for(&registry, &item),
        "duplicate item id 'late-arrival': already defined by plugin 'core'"
    );
    assert_eq!(
        reason_for(&registry, &plugin),
        "duplicate plugin id 'core': already loaded from built in"
    );
}

#[test]
fn untrusted_hash() {
    let env = Env::new();
    let plugin = env.add_c("stranger", &[]);
    let registry = env.load();
    let info = info_for(&registry, &plugin);
    assert_eq!(
        info.refusal(),
        Some(&Refusal::Untrusted {
            sha256: info.sha256.clone()
        })
    );
    assert!(reason_for(&registry, &plugin).contains("anfang plugins trust FILE"));
    // Nothing about it was read: no code ran.
    assert_eq!(info.id, None);
}

#[test]
fn a_changed_file_is_no_longer_trusted() {
    let env = Env::new();
    let plugin = env.add_c("changing", &[]);
    env.trust(&plugin);
    assert!(info_for(&env.load(), &plugin).is_loaded());
    let rebuilt = env.add_c("changing", &["PLUGIN_ID=\"changed\""]);
    assert_eq!(rebuilt, plugin);
    let reason = reason_for(&env.load(), &plugin);
    assert!(reason.starts_with("not trusted"), "{reason}");
}

#[test]
fn file_writable_by_others() {
    let env = Env::new();
    let plugin = env.add_c("open", &[]);
    env.trust(&plugin);
    set_mode(&plugin, 0o666);
    assert_eq!(
        reason_for(&env.load(), &plugin),
        format!(
            "file {} is writable by group or others (mode 0666)",
            plugin.display()
        )
    );
    set_mode(&plugin, 0o664);
    assert!(reason_for(&env.load(), &plugin).contains("mode 0664"));
}

#[test]
fn folder_writable_by_others() {
    let env = Env::new();
    let plugin = env.add_c("inopen", &[]);
    env.trust(&plugin);
    set_mode(&env.plugins, 0o777);
    assert_eq!(
        reason_for(&env.load(), &plugin),
        format!(
            "folder {} is writable by group or others (mode 0777)",
            env.plugins.display()
        )
    );
}

#[test]
fn manifest_function_panics() {
    let env = Env::new();
    let good = with_good(&env);
    let plugin = env.install(&rust_fixture("manifest_panics"));
    env.trust(&plugin);
    let registry = env.load();
    let reason = reason_for(&registry, &plugin);
    assert!(
        reason.starts_with("manifest function panicked: "),
        "{reason}"
    );
    assert!(reason.contains("manifest source configured"), "{reason}");
    assert!(info_for(&registry, &good).is_loaded());
}

#[test]
fn score_function_panics_is_an_error_and_the_plugin_goes_on() {
    let env = Env::new();
    let plugin = env.install(&rust_fixture("score_panics"));
    env.trust(&plugin);
    let registry = env.load();
    assert!(
        info_for(&registry, &plugin).is_loaded(),
        "{:#?}",
        registry.list()
    );

    let error = registry
        .score("score-panics", "panics-explodes", &json!({"n": 3}))
        .unwrap_err();
    let PluginError::Panicked { message, .. } = &error else {
        panic!("expected a panic error, got {error}");
    };
    assert!(message.contains("index out of bounds"), "{message}");
    assert!(error.is_plugin_fault());
    // The fault shows in the list; the plugin stays loaded and its other
    // item, and the same item again, are still callable.
    let info = info_for(&registry, &plugin);
    assert!(info.is_loaded());
    assert!(
        info.fault
            .unwrap()
            .contains("panicked scoring item 'panics-explodes'")
    );
    assert_eq!(
        registry.score("score-panics", "panics-works", &json!({"n": 3})),
        Ok(anfang_core::Points::whole(3))
    );
    assert!(matches!(
        registry.score("score-panics", "panics-explodes", &json!({"n": 0})),
        Err(PluginError::Panicked { .. })
    ));
}

#[test]
fn score_returns_garbage() {
    let env = Env::new();
    let plugin = env.add_c("garbage", &["FAULT_SCORE_GARBAGE"]);
    env.trust(&plugin);
    let too_many = env.add_c("toomany", &["PLUGIN_ID=\"many\"", "FAULT_SCORE_TOO_MANY"]);
    env.trust(&too_many);
    let registry = env.load();
    let error = registry
        .score("c-fixture", "c-fixture-calls", &json!({"unanswered": 2}))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "plugin 'c-fixture' returned garbage for item 'c-fixture-calls': answer is not JSON: lots of points"
    );
    let error = registry
        .score("many", "many-calls", &json!({"unanswered": 2}))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "plugin 'many' returned garbage for item 'many-calls': points 1000 outside 0–20"
    );
    assert!(info_for(&registry, &plugin).fault.is_some());
}
