//! Trust, settled before any plugin code runs: the SHA-256 trust list and
//! the permission checks on files and folders.
//!
//! The trust list is `<data_dir>/trusted-plugins.txt` in the format of
//! `sha256sum` (`<hex>  <file>` per line), so office IT can check it with
//! standard tools; `#` starts a comment.

use crate::refusal::Refusal;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Name of the trust list inside the data dir.
pub const TRUST_LIST_FILE: &str = "trusted-plugins.txt";

/// SHA-256 of `bytes`, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The hashes the user has trusted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrustList {
    hashes: BTreeSet<String>,
    /// Set when the list must not be believed (e.g. others may write it).
    unsafe_because: Option<String>,
}

impl TrustList {
    /// The trust list of a data dir; absent means empty.
    pub fn path_in(data_dir: &Path) -> PathBuf {
        data_dir.join(TRUST_LIST_FILE)
    }

    /// Reads the trust list. A list others can write, or one that cannot be
    /// read, trusts nothing (and says why through [`TrustList::check`]).
    pub fn load(path: &Path) -> TrustList {
        let mut list = TrustList::default();
        if !path.exists() {
            return list;
        }
        if let Err(Refusal::WritableByOthers { what, path, mode }) =
            check_not_writable_by_others(path)
        {
            list.unsafe_because = Some(format!(
                "{what} {} is writable by group or others (mode {mode:04o})",
                path.display()
            ));
            return list;
        }
        match std::fs::read_to_string(path) {
            Ok(text) => list.hashes = parse(&text),
            Err(error) => {
                list.unsafe_because = Some(format!("{} cannot be read: {error}", path.display()))
            }
        }
        list
    }

    /// Whether a file with this hash may be loaded from a user folder.
    pub fn check(&self, sha256: &str) -> Result<(), Refusal> {
        if let Some(reason) = &self.unsafe_because {
            return Err(Refusal::TrustListUnsafe(reason.clone()));
        }
        if self.hashes.contains(sha256) {
            Ok(())
        } else {
            Err(Refusal::Untrusted {
                sha256: sha256.to_owned(),
            })
        }
    }

    /// Whether this hash is on the list.
    pub fn contains(&self, sha256: &str) -> bool {
        self.hashes.contains(sha256)
    }

    /// Why the list is ignored, if it is.
    pub fn problem(&self) -> Option<&str> {
        self.unsafe_because.as_deref()
    }
}

fn parse(text: &str) -> BTreeSet<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_ascii_lowercase)
        .filter(|hash| hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
        .collect()
}

/// What `anfang plugins trust FILE` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trusted {
    /// The hash was appended to the list.
    Added {
        /// SHA-256 of the file.
        sha256: String,
    },
    /// The hash was on the list already.
    AlreadyTrusted {
        /// SHA-256 of the file.
        sha256: String,
    },
}

/// Errors of [`trust_file`] and [`trust_sha256`].
#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    /// The plugin file could not be read.
    #[error("cannot read plugin {path}: {error}")]
    ReadPlugin {
        /// The file.
        path: PathBuf,
        /// The I/O error (in the message, so the line is complete alone).
        error: std::io::Error,
    },
    /// The trust list could not be written.
    #[error("cannot write trust list {path}: {error}")]
    WriteList {
        /// The list.
        path: PathBuf,
        /// The I/O error.
        error: std::io::Error,
    },
}

/// Appends the SHA-256 of `file`'s bytes to the trust list at `list`
/// (created with mode 0600 if absent), unless it is there already.
pub fn trust_file(file: &Path, list: &Path) -> Result<Trusted, TrustError> {
    let bytes = std::fs::read(file).map_err(|error| TrustError::ReadPlugin {
        path: file.to_owned(),
        error,
    })?;
    trust_sha256(&sha256_hex(&bytes), file, list)
}

/// Appends `sha256` (the hash of bytes already read from `file`, e.g. the
/// ones just checked) to the trust list, unless it is there already.
pub fn trust_sha256(sha256: &str, file: &Path, list: &Path) -> Result<Trusted, TrustError> {
    let sha256 = sha256.to_ascii_lowercase();
    let existing = std::fs::read_to_string(list).unwrap_or_default();
    if parse(&existing).contains(&sha256) {
        return Ok(Trusted::AlreadyTrusted { sha256 });
    }
    let write_error = |error| TrustError::WriteList {
        path: list.to_owned(),
        error,
    };
    if let Some(parent) = list.parent() {
        std::fs::create_dir_all(parent).map_err(write_error)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut out = options.open(list).map_err(write_error)?;
    let shown = std::path::absolute(file).unwrap_or_else(|_| file.to_owned());
    let newline = if existing.is_empty() || existing.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    writeln!(out, "{newline}{sha256}  {}", shown.display()).map_err(write_error)?;
    Ok(Trusted::Added { sha256 })
}

/// Refuses a file, or the folder holding it, that group or others may write.
pub fn check_permissions(file: &Path) -> Result<(), Refusal> {
    check_not_writable_by_others(file)?;
    let folder = std::path::absolute(file)
        .ok()
        .and_then(|f| f.parent().map(Path::to_path_buf));
    if let Some(folder) = folder {
        check_not_writable_by_others(&folder)?;
    }
    Ok(())
}

#[cfg(unix)]
fn check_not_writable_by_others(path: &Path) -> Result<(), Refusal> {
    use std::os::unix::fs::PermissionsExt;
    let metadata = std::fs::metadata(path)
        .map_err(|e| Refusal::Unreadable(format!("{}: {e}", path.display())))?;
    let mode = metadata.permissions().mode() & 0o7777;
    if mode & 0o022 != 0 {
        return Err(Refusal::WritableByOthers {
            what: if metadata.is_dir() { "folder" } else { "file" },
            path: path.to_owned(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_not_writable_by_others(_path: &Path) -> Result<(), Refusal> {
    // Windows has no group/other mode bits; folder ACLs are the installer's job.
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn parses_sha256sum_lines_and_comments() {
        let a = "a".repeat(64);
        let text = format!(
            "# trusted\n{a}  /x/liba.so\n\nnot-a-hash /y\n{}\n",
            "B".repeat(64)
        );
        let hashes = parse(&text);
        assert!(hashes.contains(&a));
        assert!(hashes.contains(&"b".repeat(64)));
        assert_eq!(hashes.len(), 2);
    }

    #[test]
    fn trust_file_appends_once() {
        let dir = tempfile::tempdir().unwrap();
        let plugin = dir.path().join("libp.so");
        std::fs::write(&plugin, b"bytes").unwrap();
        let list = dir.path().join("data").join(TRUST_LIST_FILE);
        let sha = sha256_hex(b"bytes");
        assert_eq!(
            trust_file(&plugin, &list).unwrap(),
            Trusted::Added {
                sha256: sha.clone()
            }
        );
        assert_eq!(
            trust_file(&plugin, &list).unwrap(),
            Trusted::AlreadyTrusted {
                sha256: sha.clone()
            }
        );
        let loaded = TrustList::load(&list);
        assert_eq!(loaded.check(&sha), Ok(()));
        assert!(matches!(
            loaded.check(&"0".repeat(64)),
            Err(Refusal::Untrusted { .. })
        ));
        let text = std::fs::read_to_string(&list).unwrap();
        assert_eq!(text.lines().count(), 1);
        assert!(text.starts_with(&sha));
    }

    #[cfg(unix)]
    #[test]
    fn a_trust_list_others_can_write_trusts_nothing() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let list = dir.path().join(TRUST_LIST_FILE);
        let sha = "c".repeat(64);
        std::fs::write(&list, format!("{sha}  x\n")).unwrap();
        std::fs::set_permissions(&list, std::fs::Permissions::from_mode(0o666)).unwrap();
        let loaded = TrustList::load(&list);
        let refusal = loaded.check(&sha).unwrap_err();
        assert!(
            refusal.to_string().contains("writable by group or others"),
            "{refusal}"
        );
    }
}
