//! Shared helpers for the end-to-end tests in `tests/tests/`.

use std::path::PathBuf;

/// The `anfang` binary built by `cargo build --workspace` (or by `cargo test
/// --workspace`, which builds it for the binary's own tests) in the same
/// target folder as this test executable.
pub fn anfang_bin() -> PathBuf {
    let exe = std::env::current_exe().unwrap_or_default();
    // target/debug/deps/<test> → target/debug/anfang
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .map(PathBuf::from)
        .unwrap_or_default();
    let bin = dir.join(format!("anfang{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.is_file(),
        "{} is missing: run `cargo build --workspace` first",
        bin.display()
    );
    bin
}
