//! Sound plugins: the three examples (Rust, built with cargo), the C
//! example (built with the system `cc`), installation trust, departments
//! and computed scores.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use anfang_core::Points;
use anfang_plugin_host::search::SearchPath;
use anfang_plugin_host::{HostConfig, Origin, PluginError, Registry};
use serde_json::json;
use std::path::PathBuf;
use support::{Env, SO, compile_c, example_plugin, info_for, reason_for, set_mode, workspace_root};

const EXAMPLES: [&str; 3] = ["tax_hall", "planning_bureau", "service_center"];

/// The three examples copied into a folder searched as an installation.
fn installed_examples(env: &Env) -> (PathBuf, Registry) {
    let install = env.root.path().join("bin");
    std::fs::create_dir(&install).unwrap();
    set_mode(&install, 0o755);
    for name in EXAMPLES {
        let target = install.join(format!("libanfang_plugin_{name}.{SO}"));
        std::fs::copy(example_plugin(name), &target).unwrap();
        set_mode(&target, 0o755);
    }
    // An unrelated library beside the executable is not a candidate.
    std::fs::write(install.join(format!("libsqlite3.{SO}")), b"not ours").unwrap();
    let mut search = SearchPath::default();
    search.push_installation(install.clone());
    let registry = Registry::load(&HostConfig {
        search,
        ..env.config()
    });
    (install, registry)
}

#[test]
fn the_three_examples_load_beside_the_executable_without_the_trust_list() {
    let env = Env::new();
    let (_, registry) = installed_examples(&env);
    let list = registry.list();
    assert_eq!(list.len(), 3, "{list:#?}");
    for info in &list {
        assert!(info.is_loaded(), "{info:#?}");
        assert_eq!(info.origin, Origin::Installation);
        assert_eq!(info.sha256.len(), 64);
        assert_eq!(info.version.as_deref(), Some("1.0.0"));
    }
    let ids: Vec<_> = registry.manifests().iter().map(|m| m.id.clone()).collect();
    assert_eq!(
        ids,
        ["core", "planning-bureau", "service-center", "tax-hall"]
    );
}

#[test]
fn the_examples_in_a_user_folder_need_trust() {
    let env = Env::new();
    let tax = env.install(&example_plugin("tax_hall"));
    let reason = reason_for(&env.load(), &tax);
    assert!(reason.starts_with("not trusted: SHA-256 "), "{reason}");
    env.trust(&tax);
    assert!(info_for(&env.load(), &tax).is_loaded());
}

#[test]
fn a_visit_to_a_tax_hall_offers_core_and_tax_checklists() {
    let env = Env::new();
    let (_, registry) = installed_examples(&env);
    let offered: Vec<_> = registry
        .checklists_for_department("办税服务厅")
        .into_iter()
        .map(|s| format!("{}/{}", s.plugin_id, s.checklist.id))
        .collect();
    assert_eq!(
        offered,
        [
            "core/attendance",
            "core/conduct",
            "core/window",
            "tax-hall/tax-hall",
            "tax-hall/tax-12366"
        ]
    );
    let planning: Vec<_> = registry
        .checklists_for_department("planning bureau")
        .into_iter()
        .map(|s| s.plugin_id)
        .collect();
    assert!(planning.contains(&"planning-bureau".to_owned()));
    assert!(!planning.contains(&"tax-hall".to_owned()));
    // The inspector can add any loaded checklist.
    assert_eq!(registry.all_checklists().len(), 3 + 2 + 1 + 2);
    // The demo's units name their department briefly.
    let brief: Vec<_> = registry
        .checklists_for_department("税务")
        .into_iter()
        .map(|s| s.plugin_id)
        .collect();
    assert_eq!(brief, ["core", "core", "core", "tax-hall", "tax-hall"]);
    let snapshot = &registry.checklists_for_department("税务局")[3];
    assert_eq!(snapshot.plugin_version, "1.0.0");
}

#[test]
fn the_service_center_computes_its_rules() {
    let env = Env::new();
    let (_, registry) = installed_examples(&env);
    let moved = registry.score(
        "service-center",
        "center-items-not-moved",
        &json!({"items_total": 12, "items_not_moved": 3}),
    );
    assert_eq!(moved, Ok(Points::from_hundredths(7_50)));

    let mut votes = serde_json::Map::new();
    for aspect in ["education", "law", "style", "efficiency", "oversight"] {
        votes.insert(format!("{aspect}_satisfied"), json!(2));
        votes.insert(format!("{aspect}_basic"), json!(5));
        votes.insert(format!("{aspect}_dissatisfied"), json!(3));
    }
    let appraisal = registry.score(
        "service-center",
        "center-window-appraisal",
        &votes.clone().into(),
    );
    assert_eq!(appraisal, Ok(Points::whole(9)));

    for value in votes.values_mut() {
        *value = json!(0);
    }
    let declined = registry
        .score("service-center", "center-window-appraisal", &votes.into())
        .unwrap_err();
    assert_eq!(
        declined.to_string(),
        "plugin 'service-center' could not score item 'center-window-appraisal': aspect 'education' has no votes"
    );
    assert!(!declined.is_plugin_fault());
}

#[test]
fn score_calls_are_checked_before_the_plugin_sees_them() {
    let env = Env::new();
    let (_, registry) = installed_examples(&env);
    assert_eq!(
        registry.score("nowhere", "x", &json!({})),
        Err(PluginError::UnknownPlugin("nowhere".into()))
    );
    assert_eq!(
        registry.score("tax-hall", "tax-12366-unanswered", &json!({})),
        Err(PluginError::NotComputed("tax-12366-unanswered".into()))
    );
    assert_eq!(
        registry.score("core", "late-arrival", &json!({})),
        Err(PluginError::NotComputed("late-arrival".into()))
    );
    let error = registry
        .score(
            "service-center",
            "center-items-not-moved",
            &json!({"items_total": 3}),
        )
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "item 'center-items-not-moved': missing input 'items_not_moved'"
    );
}

#[test]
fn a_c_plugin_built_with_cc_loads_and_scores() {
    let env = Env::new();
    let source = workspace_root().join("plugins/api/examples/c/petitions.c");
    let built = compile_c(
        &source,
        &[],
        &env.root.path().join("build"),
        "anfang_plugin_petitions",
    );
    let plugin = env.install(&built);
    env.trust(&plugin);
    let registry = env.load();
    let info = info_for(&registry, &plugin);
    assert!(info.is_loaded(), "{info:#?}");
    assert_eq!(info.id.as_deref(), Some("petitions"));
    assert_eq!(info.departments[0].zh, "信访局");
    let points = |target: f64, achieved: f64| {
        registry.score(
            "petitions",
            "petition-backlog-target",
            &json!({"target_percent": target, "achieved_percent": achieved}),
        )
    };
    assert_eq!(points(90.0, 80.0), Ok(Points::whole(4)));
    assert_eq!(points(90.0, 86.5), Ok(Points::ZERO));
    assert_eq!(points(80.0, 95.0), Ok(Points::ZERO));
    assert_eq!(points(100.0, 0.0), Ok(Points::whole(40)));
}

#[test]
fn the_c_header_describes_the_rust_layout() {
    let dir = tempfile::tempdir().unwrap();
    let program = dir.path().join("layout.c");
    std::fs::write(
        &program,
        r#"#include <stdio.h>
#include <stddef.h>
#include "anfang_plugin.h"
int main(void) {
    printf("%zu %zu %zu %zu %zu %zu %zu %u\n", sizeof(AnfangPlugin),
        offsetof(AnfangPlugin, abi_version), offsetof(AnfangPlugin, struct_size),
        offsetof(AnfangPlugin, manifest), offsetof(AnfangPlugin, score),
        offsetof(AnfangPlugin, free_buffer), sizeof(AnfangBuffer), ANFANG_PLUGIN_ABI_VERSION);
    return 0;
}
"#,
    )
    .unwrap();
    let exe = dir.path().join("layout");
    let status = std::process::Command::new("cc")
        .arg("-I")
        .arg(workspace_root().join("plugins/api/include"))
        .arg("-o")
        .arg(&exe)
        .arg(&program)
        .status()
        .unwrap();
    assert!(status.success());
    let output = std::process::Command::new(&exe).output().unwrap();
    use anfang_plugin_api::{Buffer, PluginTable};
    use std::mem::{offset_of, size_of};
    let expected = format!(
        "{} {} {} {} {} {} {} {}\n",
        size_of::<PluginTable>(),
        offset_of!(PluginTable, abi_version),
        offset_of!(PluginTable, struct_size),
        offset_of!(PluginTable, manifest),
        offset_of!(PluginTable, score),
        offset_of!(PluginTable, free_buffer),
        size_of::<Buffer>(),
        anfang_plugin_api::ABI_VERSION,
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout), expected);
}

#[test]
fn a_missing_plugin_folder_named_by_the_user_is_a_warning() {
    let env = Env::new();
    let mut config = env.config();
    config
        .search
        .push_user(env.root.path().join("no-such-folder"), true);
    let registry = Registry::load(&config);
    assert_eq!(registry.warnings().len(), 1);
    assert!(registry.warnings()[0].contains("no-such-folder"));
    assert_eq!(registry.manifests().len(), 1);
}
