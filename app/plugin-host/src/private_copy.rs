//! A private copy of the bytes that were hashed, for the dynamic loader to
//! open. Loading the original path would let anyone who can swap the file
//! between hashing and loading run code the trust list never saw.
//!
//! On Linux the copy is a sealed memfd opened through `/proc/self/fd`; the
//! descriptor stays open for the life of the process so its path is never
//! reused (glibc recognises an already-loaded library by its path).
//! Elsewhere it is a file in a fresh 0700 temporary folder, removed once
//! loaded.

use std::io::Write;
use std::path::{Path, PathBuf};

/// A path the loader can open, holding exactly the hashed bytes.
pub(crate) struct PrivateCopy {
    path: PathBuf,
    // Dropping this removes the temporary folder (non-memfd copies only).
    _dir: Option<tempfile::TempDir>,
}

impl PrivateCopy {
    /// Writes `bytes` somewhere only this process can change.
    pub(crate) fn create(bytes: &[u8]) -> std::io::Result<PrivateCopy> {
        #[cfg(target_os = "linux")]
        if let Ok(copy) = memfd_copy(bytes) {
            return Ok(copy);
        }
        temp_dir_copy(bytes)
    }

    /// The path to hand to the loader.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(target_os = "linux")]
fn memfd_copy(bytes: &[u8]) -> std::io::Result<PrivateCopy> {
    use rustix::fs::{MemfdFlags, SealFlags};
    use std::os::fd::{AsRawFd, IntoRawFd};
    let fd = rustix::fs::memfd_create(
        "anfang-plugin",
        MemfdFlags::CLOEXEC | MemfdFlags::ALLOW_SEALING,
    )?;
    let mut file = std::fs::File::from(fd);
    file.write_all(bytes)?;
    rustix::fs::fcntl_add_seals(
        &file,
        SealFlags::WRITE | SealFlags::GROW | SealFlags::SHRINK | SealFlags::SEAL,
    )?;
    let path = PathBuf::from(format!("/proc/self/fd/{}", file.as_raw_fd()));
    if !path.exists() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "/proc is not mounted",
        ));
    }
    // Never closed: see the module comment. Libraries are never unloaded
    // either, so nothing is lost that would otherwise be freed.
    let _ = file.into_raw_fd();
    Ok(PrivateCopy { path, _dir: None })
}

fn temp_dir_copy(bytes: &[u8]) -> std::io::Result<PrivateCopy> {
    // tempfile creates the folder with mode 0700.
    let dir = tempfile::Builder::new()
        .prefix("anfang-plugin-")
        .tempdir()?;
    let path = dir.path().join(format!(
        "{}plugin.{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_EXTENSION
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o500);
    let mut file = options.open(&path)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    Ok(PrivateCopy {
        path,
        _dir: Some(dir),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_copy_holds_exactly_the_bytes() {
        let copy = PrivateCopy::create(b"\x7fELF and more").unwrap();
        assert_eq!(std::fs::read(copy.path()).unwrap(), b"\x7fELF and more");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_memfd_copy_cannot_be_changed() {
        let copy = PrivateCopy::create(b"original").unwrap();
        assert!(copy.path().starts_with("/proc/self/fd"));
        let written = std::fs::OpenOptions::new()
            .write(true)
            .open(copy.path())
            .and_then(|mut f| f.write_all(b"swapped"));
        assert!(written.is_err());
        assert_eq!(std::fs::read(copy.path()).unwrap(), b"original");
    }

    #[test]
    fn each_copy_has_its_own_path() {
        let a = PrivateCopy::create(b"a").unwrap();
        let b = PrivateCopy::create(b"b").unwrap();
        assert_ne!(a.path(), b.path());
    }
}
