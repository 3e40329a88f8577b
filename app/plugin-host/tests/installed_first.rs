//! Installed before user: a plugin shipped beside the program keeps its
//! ids even though user folders are searched first; a user plugin claiming
//! one of them (or a core item id) is refused, and `check` says the same.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use anfang_plugin_host::check::check_plugin;
use anfang_plugin_host::search::SearchPath;
use anfang_plugin_host::{HostConfig, Origin, Registry};
use std::path::PathBuf;
use support::{Env, SO, assert_loaded, compile_c, fixture_source, info_for, reason_for, set_mode};

/// A C fixture with id `dept` installed in a folder searched as the
/// installation, after the user folder.
fn with_installed(env: &Env) -> (PathBuf, HostConfig) {
    let install = env.root.path().join("bin");
    std::fs::create_dir(&install).unwrap();
    set_mode(&install, 0o755);
    let built = compile_c(&fixture_source(), &["PLUGIN_ID=\"dept\""], &install, "x");
    let installed = install.join(format!("libanfang_plugin_dept.{SO}"));
    std::fs::rename(built, &installed).unwrap();
    let mut search = SearchPath::default();
    search.push_user(env.plugins.clone(), true);
    search.push_installation(install);
    (
        installed,
        HostConfig {
            search,
            ..env.config()
        },
    )
}

#[test]
fn a_user_plugin_cannot_take_an_installed_plugins_ids() {
    let env = Env::new();
    let (installed, config) = with_installed(&env);
    let same_id = env.add_c("a-same-id", &["PLUGIN_ID=\"dept\"", "ITEM_PREFIX=\"mine\""]);
    let same_item = env.add_c(
        "b-same-item",
        &["PLUGIN_ID=\"mine\"", "ITEM_PREFIX=\"dept\""],
    );
    let core_item = env.add_c(
        "c-core-item",
        &["PLUGIN_ID=\"late\"", "FIRST_ITEM_ID=\"late-arrival\""],
    );
    for file in [&same_id, &same_item, &core_item] {
        env.trust(file);
    }
    let registry = Registry::load(&config);
    assert_loaded(&registry, &installed);
    assert_eq!(info_for(&registry, &installed).origin, Origin::Installation);
    let expected = [
        (
            &same_id,
            format!(
                "plugin id 'dept' belongs to the installed plugin {}: a user plugin may not take it",
                installed.display()
            ),
        ),
        (
            &same_item,
            "duplicate item id 'dept-duty': already defined by plugin 'dept'".to_owned(),
        ),
        (
            &core_item,
            "duplicate item id 'late-arrival': already defined by plugin 'core'".to_owned(),
        ),
    ];
    for (file, reason) in &expected {
        assert_eq!(&reason_for(&registry, file), reason);
        // `check` (and so `trust`, which trusts only what check passes)
        // gives the same reason as a problem, not a mere clash.
        let report = check_plugin(file, &registry, &config);
        assert!(report.problems.contains(reason), "{report:#?}");
        assert!(!report.is_sound());
    }
    // The installed plugin, checked itself, clashes with nothing.
    let report = check_plugin(&installed, &registry, &config);
    assert!(
        report.problems.is_empty() && report.conflicts.is_empty(),
        "{report:#?}"
    );
}
