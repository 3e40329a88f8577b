//! What a plugin's sandboxed child said about itself at its first start —
//! its manifest, as written, and whether it has a score function — kept in
//! the data folder under the SHA-256 of the library, so the next start
//! offers its checklists without starting a child. The cache only stands
//! in for the manifest call: trust is decided on the library's bytes
//! before it is read, an entry is checked against its hash and validated
//! like a fresh manifest, and the child started on first use must say the
//! same or the plugin is not used (see `lazy.rs`).

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The layout of an entry; another number is ignored and written again.
const FORMAT: u32 = 1;

/// The folder of the cache in a data folder.
pub fn path_in(data_dir: &Path) -> PathBuf {
    data_dir.join("plugin-manifests")
}

/// One library's answers, as its child gave them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Entry {
    format: u32,
    /// The SHA-256 of the library (hex), the same as the file's name.
    sha256: String,
    /// Whether the library's table has a score function.
    pub(crate) has_score: bool,
    /// The manifest bytes as the plugin wrote them (UTF-8 JSON).
    pub(crate) manifest: String,
}

impl Entry {
    /// An entry for the library `sha256`; `None` when the manifest is not
    /// UTF-8 (such a manifest is refused anyway).
    pub(crate) fn new(sha256: &str, has_score: bool, manifest: &[u8]) -> Option<Entry> {
        Some(Entry {
            format: FORMAT,
            sha256: sha256.to_owned(),
            has_score,
            manifest: String::from_utf8(manifest.to_vec()).ok()?,
        })
    }
}

fn file(dir: &Path, sha256: &str) -> Option<PathBuf> {
    // The name is the hash: anything else is not a key this cache made.
    let hex = sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit());
    hex.then(|| dir.join(format!("{sha256}.json")))
}

/// The entry for the library `sha256`, if one is there, readable, of this
/// format and made for that hash.
pub(crate) fn read(dir: &Path, sha256: &str) -> Option<Entry> {
    let text = std::fs::read_to_string(file(dir, sha256)?).ok()?;
    let entry: Entry = serde_json::from_str(&text).ok()?;
    (entry.format == FORMAT && entry.sha256 == sha256).then_some(entry)
}

/// Keeps `entry`, replacing the file whole. A failure only means the next
/// start asks the child again.
pub(crate) fn write(dir: &Path, entry: &Entry) {
    let Some(path) = file(dir, &entry.sha256) else {
        return;
    };
    let written = std::fs::create_dir_all(dir).and_then(|()| {
        let text = serde_json::to_string(entry).map_err(std::io::Error::other)?;
        let mut temp = tempfile::NamedTempFile::new_in(dir)?;
        std::io::Write::write_all(&mut temp, text.as_bytes())?;
        temp.persist(&path).map_err(|e| e.error)?;
        Ok(())
    });
    if let Err(error) = written {
        tracing::warn!(file = %path.display(), %error, "plugin manifest not cached");
    }
}

/// Removes the entry of `sha256` (its child said otherwise).
pub(crate) fn forget(dir: &Path, sha256: &str) {
    if let Some(path) = file(dir, sha256) {
        let _ = std::fs::remove_file(path);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const SHA: &str = "ab00000000000000000000000000000000000000000000000000000000000000";

    #[test]
    fn an_entry_is_read_back_only_under_its_own_hash() {
        let dir = tempfile::tempdir().unwrap();
        let entry = Entry::new(SHA, true, b"{\"id\":\"x\"}").unwrap();
        write(dir.path(), &entry);
        assert_eq!(read(dir.path(), SHA), Some(entry.clone()));
        // The same entry copied under another library's name is not used.
        let other = SHA.replace("ab", "cd");
        std::fs::copy(
            dir.path().join(format!("{SHA}.json")),
            dir.path().join(format!("{other}.json")),
        )
        .unwrap();
        assert_eq!(read(dir.path(), &other), None);
        // Garbage and a path in place of a hash are not read.
        std::fs::write(dir.path().join(format!("{SHA}.json")), "{").unwrap();
        assert_eq!(read(dir.path(), SHA), None);
        assert_eq!(read(dir.path(), "../x"), None);
        forget(dir.path(), SHA);
        assert!(!dir.path().join(format!("{SHA}.json")).exists());
    }
}
