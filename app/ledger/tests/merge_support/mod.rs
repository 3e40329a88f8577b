//! What the merge-law property tests share (kept apart from `fixtures`,
//! which the `ledger-writer` program also builds without `tempfile`).
#![allow(clippy::unwrap_used)]

/// Fast scratch space for the merge-law tests: fsync on tmpfs costs
/// nothing, and these files are thrown away.
pub fn scratch() -> tempfile::TempDir {
    let shm = std::path::Path::new("/dev/shm");
    if shm.is_dir()
        && let Ok(dir) = tempfile::tempdir_in(shm)
    {
        return dir;
    }
    tempfile::tempdir().unwrap()
}

/// Cases per merge law: `ANFANG_MERGE_CASES`, or `default`.
pub fn merge_cases(default: u32) -> u32 {
    std::env::var("ANFANG_MERGE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
