//! `anfang plugins …` through the real binary, with the example plugins that
//! `cargo build --workspace` puts beside it.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use assert_cmd::Command;
use predicates::prelude::*;

fn anfang(data: &std::path::Path) -> Command {
    let mut cmd = Command::cargo_bin("anfang").unwrap();
    cmd.arg("--data-dir")
        .arg(data)
        .env_remove("ANFANG_PLUGIN_PATH");
    cmd
}

#[test]
fn the_three_example_plugins_are_listed_as_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let out = anfang(dir.path())
        .args(["plugins", "list", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let plugins = json["plugins"].as_array().unwrap();
    for id in ["tax-hall", "planning-bureau", "service-center"] {
        let plugin = plugins.iter().find(|p| p["id"] == id).unwrap_or_else(|| {
            panic!("{id} not found (run `cargo build --workspace` first): {json}")
        });
        assert_eq!(plugin["status"], "loaded", "{plugin}");
        assert_eq!(plugin["sha256"].as_str().unwrap().len(), 64);
    }
}

#[test]
fn a_file_that_is_not_a_library_is_refused_by_check_and_trust() {
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("libnot_a_plugin.so");
    std::fs::write(&fake, "这不是动态库").unwrap();
    anfang(dir.path())
        .args(["plugins", "check"])
        .arg(&fake)
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("libnot_a_plugin.so")
                .or(predicate::str::contains("shared library")),
        );
    anfang(dir.path())
        .args(["plugins", "trust"])
        .arg(&fake)
        .assert()
        .code(1);
    // The trust list holds hashes: the refused file's must not be on it.
    let hash = anfang_ledger::canonical::sha256_hex(&std::fs::read(&fake).unwrap());
    let trusted =
        std::fs::read_to_string(dir.path().join("trusted-plugins.txt")).unwrap_or_default();
    assert!(
        !trusted.contains(&hash),
        "refused file was trusted: {trusted}"
    );
}

#[test]
fn an_untrusted_user_plugin_is_listed_with_its_reason_and_the_rest_still_load() {
    let dir = tempfile::tempdir().unwrap();
    let user = dir.path().join("user-plugins");
    std::fs::create_dir(&user).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&user, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    // A copy of an installed example in a user folder is not trusted by default.
    let exe = assert_cmd::cargo::cargo_bin("anfang");
    let installed = exe.parent().unwrap().join("libanfang_plugin_tax_hall.so");
    std::fs::copy(&installed, user.join("libtax_copy.so")).unwrap();
    let out = anfang(dir.path())
        .args(["plugins", "list", "--json", "--plugin-dir"])
        .arg(&user)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let plugins = json["plugins"].as_array().unwrap();
    let copy = plugins
        .iter()
        .find(|p| p["file"].as_str().unwrap_or("").ends_with("libtax_copy.so"))
        .unwrap();
    assert_eq!(copy["status"], "refused", "{copy}");
    assert!(copy["reason"].as_str().unwrap().contains("trust"), "{copy}");
    let loaded = plugins.iter().filter(|p| p["status"] == "loaded").count();
    assert_eq!(loaded, 3, "{json}");
}
