//! The folder evidence is copied into for viewing: private to this user
//! (mode 0700, a fresh random name, so nothing can be planted in it
//! beforehand), under `$XDG_RUNTIME_DIR` where the session has one (memory
//! that the system clears at logout), and removed with everything in it when
//! the app ends.

use std::path::{Path, PathBuf};

/// The viewing folder, made on the first evidence opened.
#[derive(Debug, Default)]
pub(crate) struct ViewingFolder {
    dir: Option<tempfile::TempDir>,
}

impl ViewingFolder {
    /// The folder, made now if this is the first file opened.
    pub(crate) fn path(&mut self) -> std::io::Result<&Path> {
        if self.dir.is_none() {
            // A name nobody can guess ahead, made with mode 0700 (not
            // widened by the umask's default afterwards).
            use std::os::unix::fs::PermissionsExt;
            let made = tempfile::Builder::new()
                .prefix("anfang-evidence-")
                .permissions(std::fs::Permissions::from_mode(0o700))
                .tempdir_in(base())?;
            self.dir = Some(made);
        }
        match &self.dir {
            Some(dir) => Ok(dir.path()),
            None => Err(std::io::Error::other("viewing folder not made")),
        }
    }
}

/// `$XDG_RUNTIME_DIR` when it names a folder, else the system's temporary
/// folder.
fn base() -> PathBuf {
    std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute() && p.is_dir())
        .unwrap_or_else(std::env::temp_dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn the_folder_is_private_and_goes_with_the_app() {
        let mut folder = ViewingFolder::default();
        let path = folder.path().unwrap().to_path_buf();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "{mode:o}");
        std::fs::write(path.join("copy.jpg"), b"x").unwrap();
        assert_eq!(folder.path().unwrap(), path, "one folder per run");
        drop(folder);
        assert!(!path.exists(), "removed with its copies");
    }
}
