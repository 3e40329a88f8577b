//! The draft file in the data folder: written whole to a temporary file,
//! flushed to the disk, then renamed over the old one (and the folder
//! flushed), so after a kill or a power cut the file holds either the
//! previous draft or the new one, never half of one.

use crate::draft::{Draft, DraftFile};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The draft's file name in the data folder.
pub const FILE: &str = "draft.json";

/// Where the draft of the data folder `data_dir` lives.
pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE)
}

/// Writes the draft atomically; the error names the file.
pub fn write(data_dir: &Path, draft: &Draft) -> Result<(), String> {
    let target = path(data_dir);
    let fail = |e: &dyn std::fmt::Display| format!("{}: {e}", target.display());
    let file = DraftFile {
        format: DraftFile::FORMAT,
        draft: draft.clone(),
    };
    let bytes = serde_json::to_vec(&file).map_err(|e| fail(&e))?;
    let partial = data_dir.join(format!("{FILE}.partial"));
    {
        let mut out = std::fs::File::create(&partial).map_err(|e| fail(&e))?;
        out.write_all(&bytes).map_err(|e| fail(&e))?;
        out.sync_all().map_err(|e| fail(&e))?;
    }
    std::fs::rename(&partial, &target).map_err(|e| fail(&e))?;
    sync_folder(data_dir).map_err(|e| fail(&e))
}

/// Removes the draft (nothing to do when there is none).
pub fn remove(data_dir: &Path) -> Result<(), String> {
    let target = path(data_dir);
    match std::fs::remove_file(&target) {
        Ok(()) => sync_folder(data_dir).map_err(|e| format!("{}: {e}", target.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("{}: {e}", target.display())),
    }
}

/// What reading the draft found.
#[derive(Debug)]
pub enum Found {
    /// No draft: nothing was being typed when anfang last stopped.
    Nothing,
    /// The draft.
    Draft(Draft),
    /// A file that does not parse (another version's, or damaged): it was
    /// renamed to `moved_to` so it is neither lost nor read again.
    Unreadable {
        /// Where the file now is.
        moved_to: PathBuf,
        /// Why it could not be read.
        error: String,
    },
}

/// Reads the draft left in the data folder.
pub fn read(data_dir: &Path) -> Found {
    let target = path(data_dir);
    let bytes = match std::fs::read(&target) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Found::Nothing,
        Err(e) => return set_aside(&target, e.to_string()),
    };
    match serde_json::from_slice::<DraftFile>(&bytes) {
        Ok(file) if file.format == DraftFile::FORMAT => Found::Draft(file.draft),
        Ok(file) => set_aside(&target, format!("format {}", file.format)),
        Err(e) => set_aside(&target, e.to_string()),
    }
}

fn set_aside(target: &Path, error: String) -> Found {
    let moved_to = target.with_extension("json.unreadable");
    match std::fs::rename(target, &moved_to) {
        Ok(()) => Found::Unreadable { moved_to, error },
        Err(e) => Found::Unreadable {
            moved_to: target.to_path_buf(),
            error: format!("{error}; {e}"),
        },
    }
}

/// Flushes a folder's entries (the rename) to the disk.
fn sync_folder(folder: &Path) -> std::io::Result<()> {
    // Only Unix lets a folder be opened and synced; elsewhere the rename
    // is as durable as the file system makes it.
    if cfg!(unix) {
        std::fs::File::open(folder)?.sync_all()?;
    }
    Ok(())
}
