//! Looking at a path typed on the merge screen: a folder is listed (its
//! visible files, by name), a file is shown among its folder's files.

use crate::i18n::tf;
use crate::screens::merge::MergeReply;
use anfang_core::Lang;
use std::path::{Path, PathBuf};

/// `~/x` as `$HOME/x`: people type it, and nothing else expands it here.
pub fn expand_home(path: &Path) -> PathBuf {
    let Ok(rest) = path.strip_prefix("~") else {
        return path.to_path_buf();
    };
    match std::env::var_os("HOME") {
        Some(home) => PathBuf::from(home).join(rest),
        None => path.to_path_buf(),
    }
}

/// Lists the folder `path` names, or the folder of the file it names with
/// that file picked.
pub fn browse(path: &Path, lang: Lang) -> MergeReply {
    let failed = |e: &dyn std::fmt::Display| {
        MergeReply::BrowseFailed(tf(
            lang,
            "merge.cannot_open",
            &[("path", &path.display()), ("error", e)],
        ))
    };
    let path = match std::path::absolute(expand_home(path)) {
        Ok(path) => path,
        Err(e) => return failed(&e),
    };
    let meta = match std::fs::metadata(&path) {
        Ok(meta) => meta,
        Err(e) => return failed(&e),
    };
    let (folder, pick) = if meta.is_dir() {
        (path, None)
    } else {
        let folder = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("/"));
        (folder, Some(path))
    };
    match list(&folder) {
        Ok(mut files) => {
            // A file named directly is offered even if hidden.
            if let Some(pick) = &pick
                && !files.iter().any(|(p, _)| p == pick)
            {
                files.push((pick.clone(), meta.len()));
            }
            MergeReply::Listed {
                folder,
                files,
                pick,
            }
        }
        Err(e) => failed(&e),
    }
}

/// The folder's visible files (not folders), sorted by name, with sizes.
fn list(folder: &Path) -> std::io::Result<Vec<(PathBuf, u64)>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        // Follows links: a link to a bundle is a bundle.
        let Ok(meta) = std::fs::metadata(entry.path()) else {
            continue;
        };
        if meta.is_file() {
            files.push((entry.path(), meta.len()));
        }
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn a_folder_lists_its_visible_files_and_a_file_picks_itself() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.bundle"), b"12345").unwrap();
        std::fs::write(dir.path().join("a.txt"), b"1").unwrap();
        std::fs::write(dir.path().join(".hidden.bundle"), b"1").unwrap();
        std::fs::create_dir(dir.path().join("sub.bundle")).unwrap();
        let MergeReply::Listed { files, pick, .. } = browse(dir.path(), Lang::En) else {
            panic!()
        };
        assert_eq!(
            files,
            vec![
                (dir.path().join("a.txt"), 1),
                (dir.path().join("b.bundle"), 5)
            ]
        );
        assert_eq!(pick, None);
        let file = dir.path().join("b.bundle");
        let MergeReply::Listed { folder, pick, .. } = browse(&file, Lang::En) else {
            panic!()
        };
        assert_eq!(folder, dir.path());
        assert_eq!(pick, Some(file));
    }

    #[test]
    fn a_missing_path_is_named() {
        let MergeReply::BrowseFailed(message) = browse(Path::new("/no/such/usb"), Lang::En) else {
            panic!()
        };
        assert!(message.contains("/no/such/usb"), "{message}");
    }
}
