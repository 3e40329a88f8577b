//! Builds real plugins for the tests: C fixtures with the system `cc`, the
//! Rust fixtures and the example plugins with cargo into target folders of
//! their own (never beside the `anfang` executable), and installs them into
//! temporary plugin folders.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use anfang_plugin_host::search::SearchPath;
use anfang_plugin_host::worker::{Limits, WorkerCommand};
use anfang_plugin_host::{HostConfig, PluginInfo, Registry};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

pub const SO: &str = std::env::consts::DLL_EXTENSION;

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Compiles a C plugin into `out_dir/lib<name>.so`.
pub fn compile_c(source: &Path, defines: &[&str], out_dir: &Path, name: &str) -> PathBuf {
    let out = out_dir.join(format!("lib{name}.{SO}"));
    let include = workspace_root().join("plugins/api/include");
    let mut cc = Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()));
    cc.args(["-shared", "-fPIC", "-O1", "-Wall"])
        .arg("-I")
        .arg(&include);
    for define in defines {
        cc.arg(format!("-D{define}"));
    }
    let output = cc.arg("-o").arg(&out).arg(source).output().expect("run cc");
    assert!(
        output.status.success(),
        "cc failed for {name}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    out
}

pub fn fixture_source() -> PathBuf {
    workspace_root().join("plugins/fixtures/c/fixture.c")
}

fn cargo_build(manifest_dir: &Path, packages: &[&str], target_dir: &Path) {
    cargo_build_profile(manifest_dir, packages, target_dir, false);
}

fn cargo_build_profile(manifest_dir: &Path, packages: &[&str], target_dir: &Path, release: bool) {
    let mut command = Command::new(cargo());
    command
        .current_dir(manifest_dir)
        .arg("build")
        .arg("--quiet");
    if release {
        command.arg("--release");
    }
    for package in packages {
        command.args(["-p", package]);
    }
    let output = command
        .arg("--target-dir")
        .arg(target_dir)
        .output()
        .expect("run cargo");
    assert!(
        output.status.success(),
        "cargo build failed in {}: {}",
        manifest_dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The Rust fixture plugins (`plugins/fixtures/rust`), built once per run.
pub fn rust_fixture(name: &str) -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    let dir = BUILT.get_or_init(|| {
        let target = workspace_root().join("target/plugin-host-tests/fixtures");
        cargo_build(
            &workspace_root().join("plugins/fixtures/rust"),
            &[],
            &target,
        );
        target.join("debug")
    });
    let file = dir.join(format!("libanfang_plugin_fixture_{name}.{SO}"));
    assert!(file.exists(), "{} not built", file.display());
    file
}

/// The three example plugins, built once per run.
pub fn example_plugin(name: &str) -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    let dir = BUILT.get_or_init(|| {
        let target = workspace_root().join("target/plugin-host-tests/examples");
        cargo_build(
            &workspace_root(),
            &[
                "anfang-plugin-tax-hall",
                "anfang-plugin-planning-bureau",
                "anfang-plugin-service-center",
            ],
            &target,
        );
        target.join("debug")
    });
    let file = dir.join(format!("libanfang_plugin_{name}.{SO}"));
    assert!(file.exists(), "{} not built", file.display());
    file
}

/// One example plugin built with the release profile (for the benchmark).
pub fn release_example_plugin(name: &str) -> PathBuf {
    let target = workspace_root().join("target/plugin-host-tests/examples");
    let package = format!("anfang-plugin-{}", name.replace('_', "-"));
    cargo_build_profile(&workspace_root(), &[&package], &target, true);
    let file = target
        .join("release")
        .join(format!("libanfang_plugin_{name}.{SO}"));
    assert!(file.exists(), "{} not built", file.display());
    file
}

/// A data dir and a user plugin folder in a fresh temporary folder.
pub struct Env {
    pub root: tempfile::TempDir,
    pub data: PathBuf,
    pub plugins: PathBuf,
    build: PathBuf,
}

impl Env {
    pub fn new() -> Env {
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("data");
        let plugins = root.path().join("plugins");
        let build = root.path().join("build");
        for dir in [&data, &plugins, &build] {
            std::fs::create_dir(dir).unwrap();
            set_mode(dir, 0o700);
        }
        Env {
            root,
            data,
            plugins,
            build,
        }
    }

    /// Compiles the C fixture with `defines` and installs it, untrusted.
    pub fn add_c(&self, name: &str, defines: &[&str]) -> PathBuf {
        let built = compile_c(&fixture_source(), defines, &self.build, name);
        self.install(&built)
    }

    /// Copies `file` into the plugin folder with mode 0644.
    pub fn install(&self, file: &Path) -> PathBuf {
        let target = self.plugins.join(file.file_name().unwrap());
        std::fs::copy(file, &target).unwrap();
        set_mode(&target, 0o644);
        target
    }

    /// Writes arbitrary bytes as a plugin file.
    pub fn add_bytes(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let target = self.plugins.join(name);
        std::fs::write(&target, bytes).unwrap();
        set_mode(&target, 0o644);
        target
    }

    pub fn trust_list(&self) -> PathBuf {
        self.data.join("trusted-plugins.txt")
    }

    pub fn trust(&self, file: &Path) {
        anfang_plugin_host::trust::trust_file(file, &self.trust_list()).unwrap();
    }

    pub fn config(&self) -> HostConfig {
        let mut search = SearchPath::default();
        search.push_user(self.plugins.clone(), true);
        HostConfig {
            search,
            trust_list: self.trust_list(),
            worker: Some(worker()),
            limits: test_limits(),
            manifest_cache: None,
        }
    }

    pub fn load(&self) -> Registry {
        Registry::load(&self.config())
    }
}

/// The sandboxed child program, as anfang runs it.
pub fn worker() -> WorkerCommand {
    WorkerCommand {
        program: PathBuf::from(env!("CARGO_BIN_EXE_anfang-plugin-worker")),
        args: Vec::new(),
    }
}

/// Short limits, so a hanging plugin costs the tests little time.
pub fn test_limits() -> Limits {
    Limits {
        start: Duration::from_secs(20),
        call: Duration::from_secs(2),
    }
}

pub fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// The registry's entry for a file.
pub fn info_for(registry: &Registry, file: &Path) -> PluginInfo {
    registry
        .list()
        .into_iter()
        .find(|info| info.file == file)
        .unwrap_or_else(|| panic!("{} not found: {:#?}", file.display(), registry.list()))
}

/// Fails, listing every plugin found, unless `file` loaded.
pub fn assert_loaded(registry: &Registry, file: &Path) {
    assert!(
        info_for(registry, file).is_loaded(),
        "{:#?}",
        registry.list()
    );
}

/// The one-line reason a file was refused (panics if it loaded).
pub fn reason_for(registry: &Registry, file: &Path) -> String {
    let info = info_for(registry, file);
    info.reason()
        .unwrap_or_else(|| panic!("{} loaded but should be refused", file.display()))
}
