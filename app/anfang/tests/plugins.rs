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

/// `plugins list --json` with one more plugin folder: the whole answer and
/// its plugins.
fn list_json(
    data: &std::path::Path,
    user: &std::path::Path,
) -> (serde_json::Value, Vec<serde_json::Value>) {
    let out = anfang(data)
        .args(["plugins", "list", "--json", "--plugin-dir"])
        .arg(user)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let plugins = json["plugins"].as_array().unwrap().clone();
    (json, plugins)
}

/// The listed plugin whose file name ends with `name`.
fn by_file<'a>(plugins: &'a [serde_json::Value], name: &str) -> &'a serde_json::Value {
    plugins
        .iter()
        .find(|p| p["file"].as_str().unwrap_or("").ends_with(name))
        .unwrap()
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
    let (json, plugins) = list_json(dir.path(), &user);
    let copy = by_file(&plugins, "libtax_copy.so");
    assert_eq!(copy["status"], "refused", "{copy}");
    assert!(copy["reason"].as_str().unwrap().contains("trust"), "{copy}");
    let loaded = plugins.iter().filter(|p| p["status"] == "loaded").count();
    assert_eq!(loaded, 3, "{json}");
}

/// Compiles the C test plugin with `defines` into `dir/lib<name>.so`
/// (mode 0644; `dir` is made private).
fn compile_fixture(dir: &std::path::Path, name: &str, defines: &[String]) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(dir).unwrap();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = dir.join(format!("lib{name}.so"));
    let mut cc = std::process::Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()));
    cc.args(["-shared", "-fPIC", "-O1"])
        .arg("-I")
        .arg(root.join("plugins/api/include"));
    for define in defines {
        cc.arg(format!("-D{define}"));
    }
    let status = cc
        .arg("-o")
        .arg(&out)
        .arg(root.join("plugins/fixtures/c/fixture.c"))
        .status()
        .expect("run cc");
    assert!(status.success());
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    out
}

fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[cfg(target_os = "linux")]
#[test]
fn check_runs_a_key_stealing_plugin_only_in_the_sandbox() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let key = data.join("device.key");
    std::fs::write(&key, b"the laptop's signing key").unwrap();
    let loot = dir.path().join("loot");
    let thief = compile_fixture(
        &dir.path().join("downloads"),
        "thief",
        &[
            "FAULT_STEAL_KEY".into(),
            format!("KEY_PATH=\"{}\"", key.display()),
            format!("LOOT_PATH=\"{}\"", loot.display()),
        ],
    );
    let out = anfang(&data)
        .args(["plugins", "check"])
        .arg(&thief)
        // A token in anfang's environment must not reach plugin code.
        .env("ANFANG_TEST_SECRET", "token")
        .output()
        .unwrap();
    let text = stdout_of(&out);
    assert!(text.contains("sandbox: Landlock: enforced"), "{text}");
    // 1: the constructor ran and failed to read the key, write it out,
    // open a socket or find the token.
    assert!(
        text.contains("score probe: item 'c-fixture-calls' with all inputs 0 gives 1 points"),
        "{text}"
    );
    assert!(!loot.exists());
    assert!(!data.join("trusted-plugins.txt").exists());
}

#[cfg(target_os = "linux")]
#[test]
fn trust_shows_the_hash_and_asks_and_a_self_trusting_plugin_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let list = data.join("trusted-plugins.txt");
    let user = dir.path().join("user-plugins");
    let vain = compile_fixture(
        &user,
        "vain",
        &[
            "FAULT_SELF_TRUST".into(),
            format!("TRUST_PATH=\"{}\"", list.display()),
        ],
    );
    let hash = anfang_ledger::canonical::sha256_hex(&std::fs::read(&vain).unwrap());

    // No terminal to ask on and no --yes: shown, not trusted.
    let out = anfang(&data)
        .args(["--lang", "en", "plugins", "trust"])
        .arg(&vain)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout_of(&out);
    assert!(text.contains(&format!("sha256: {hash}")), "{text}");
    assert!(
        text.contains("plugin: c-fixture 1.0.0 (Test plugin)"),
        "{text}"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--yes"),
        "{out:?}"
    );
    assert!(!list.exists(), "the plugin wrote the trust list");

    anfang(&data)
        .args(["plugins", "trust", "--yes"])
        .arg(&vain)
        .assert()
        .success();
    let trusted = std::fs::read_to_string(&list).unwrap();
    assert_eq!(trusted.lines().count(), 1, "{trusted}");
    assert!(trusted.starts_with(&hash), "{trusted}");

    // Loaded (its constructor runs again, in the sandbox): still one line.
    let (json, plugins) = list_json(&data, &user);
    assert!(
        plugins
            .iter()
            .any(|p| p["id"] == "c-fixture" && p["status"] == "loaded"),
        "{json}"
    );
    assert_eq!(std::fs::read_to_string(&list).unwrap(), trusted);
}

#[cfg(target_os = "linux")]
#[test]
fn a_user_plugin_claiming_an_installed_id_is_refused_by_list_check_and_trust_alike() {
    let dir = tempfile::tempdir().unwrap();
    let user = dir.path().join("user-plugins");
    let claim = compile_fixture(
        &user,
        "claim",
        &[
            "PLUGIN_ID=\"tax-hall\"".into(),
            "ITEM_PREFIX=\"mine\"".into(),
        ],
    );
    let exe = assert_cmd::cargo::cargo_bin("anfang");
    let installed = exe.parent().unwrap().join("libanfang_plugin_tax_hall.so");
    let reason = format!(
        "plugin id 'tax-hall' belongs to the installed plugin {}: a user plugin may not take it",
        installed.display()
    );
    let check = anfang(dir.path())
        .args(["plugins", "check", "--plugin-dir"])
        .arg(&user)
        .arg(&claim)
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1));
    assert!(
        stdout_of(&check).contains(&format!("problem: {reason}")),
        "{}",
        stdout_of(&check)
    );
    let trust = anfang(dir.path())
        .args(["plugins", "trust", "--yes", "--plugin-dir"])
        .arg(&user)
        .arg(&claim)
        .output()
        .unwrap();
    assert_eq!(trust.status.code(), Some(1));
    assert!(stdout_of(&trust).contains(&reason), "{trust:?}");
    // Trusted by hand anyway, it is still refused at load.
    let hash = anfang_ledger::canonical::sha256_hex(&std::fs::read(&claim).unwrap());
    std::fs::write(
        dir.path().join("trusted-plugins.txt"),
        format!("{hash}  x\n"),
    )
    .unwrap();
    let (json, plugins) = list_json(dir.path(), &user);
    let refused = by_file(&plugins, "libclaim.so");
    assert_eq!(refused["reason"], reason.as_str(), "{json}");
    let tax = plugins
        .iter()
        .find(|p| p["id"] == "tax-hall" && p["status"] == "loaded");
    assert!(tax.is_some(), "{json}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_trusted_plugin_whose_manifest_crashes_is_refused_and_anfang_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let user = dir.path().join("user-plugins");
    let crash = compile_fixture(&user, "crash", &["FAULT_CRASH".into()]);
    let hash = anfang_ledger::canonical::sha256_hex(&std::fs::read(&crash).unwrap());
    std::fs::write(
        dir.path().join("trusted-plugins.txt"),
        format!("{hash}  {}\n", crash.display()),
    )
    .unwrap();
    let (json, plugins) = list_json(dir.path(), &user);
    let refused = by_file(&plugins, "libcrash.so");
    assert_eq!(
        refused["reason"], "manifest function crashed: killed by signal 11 (SIGSEGV)",
        "{json}"
    );
    let loaded = plugins.iter().filter(|p| p["status"] == "loaded").count();
    assert_eq!(loaded, 3, "{json}");
}
