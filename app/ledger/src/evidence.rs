//! Evidence files: stored by SHA-256 inside the ledger, written out to open them.

use crate::Ledger;
use crate::append::append_in;
use crate::canonical::is_hex64;
use crate::error::LedgerError;
use anfang_core::event::EventBody;
use anfang_core::finding::EvidenceRecord;
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// The largest evidence file the ledger accepts: 64 MiB (a few minutes of
/// audio or a phone video clip; bundles must fit on a USB stick).
pub const MAX_EVIDENCE_BYTES: u64 = 64 * 1024 * 1024;

impl Ledger {
    /// Stores the file's bytes content-addressed and appends an EvidenceAttached event.
    /// Refuses files over [`MAX_EVIDENCE_BYTES`] and findings this ledger does not hold.
    pub fn attach_evidence(
        &mut self,
        finding_id: Uuid,
        path: &Path,
    ) -> Result<EvidenceRecord, LedgerError> {
        self.attach_evidence_at(finding_id, path, jiff::Timestamp::now())
    }

    /// [`Ledger::attach_evidence`] with a given claimed time (demo data, tests).
    pub fn attach_evidence_at(
        &mut self,
        finding_id: Uuid,
        path: &Path,
        claimed: jiff::Timestamp,
    ) -> Result<EvidenceRecord, LedgerError> {
        let read = crate::rectification::read_decision_file(path)?;
        let known: Option<i64> = self
            .conn
            .prepare_cached("SELECT 1 FROM findings WHERE finding_id = ?1")?
            .query_row([finding_id.to_string()], |r| r.get(0))
            .optional()?;
        if known.is_none() {
            return Err(LedgerError::NoSuchFinding(finding_id));
        }
        let data = read.data;
        let size = read.file.size;
        let record = EvidenceRecord {
            finding_id,
            sha256: read.file.sha256,
            file_name: read.file.file_name,
            size,
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.prepare_cached("INSERT OR IGNORE INTO blobs (sha256, size, data) VALUES (?1, ?2, ?3)")?
            .execute(params![record.sha256, size as i64, data])?;
        append_in(
            &tx,
            &self.authority,
            &self.key,
            &EventBody::EvidenceAttached(record.clone()),
            claimed,
        )?;
        tx.commit()?;
        Ok(record)
    }

    /// Writes a stored evidence blob to `dir/<sha>-<file_name>` and returns that path (for xdg-open).
    pub fn export_evidence(
        &self,
        sha256: &str,
        file_name: &str,
        dir: &Path,
    ) -> Result<PathBuf, LedgerError> {
        if !is_hex64(sha256) {
            return Err(LedgerError::NoSuchBlob(sha256.to_string()));
        }
        let data: Vec<u8> = self
            .conn
            .prepare_cached("SELECT data FROM blobs WHERE sha256 = ?1")?
            .query_row([sha256], |r| r.get(0))
            .optional()?
            .ok_or_else(|| LedgerError::NoSuchBlob(sha256.to_string()))?;
        std::fs::create_dir_all(dir).map_err(|e| LedgerError::io("create", dir, e))?;
        let out = dir.join(viewing_name(sha256, file_name));
        write_new(&out, &data)?;
        Ok(out)
    }
}

/// Writes `data` to a file that must not exist yet: `create_new` is
/// `O_CREAT | O_EXCL`, which never follows a link planted at that name. A
/// regular file already there with the same bytes (the same evidence opened
/// twice) is taken as it is.
fn write_new(out: &Path, data: &[u8]) -> Result<(), LedgerError> {
    use std::io::Write;
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(out)
    {
        Ok(mut file) => file
            .write_all(data)
            .map_err(|e| LedgerError::io("write", out, e)),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let meta =
                std::fs::symlink_metadata(out).map_err(|e| LedgerError::io("read", out, e))?;
            let same = meta.file_type().is_file()
                && std::fs::read(out).map(|held| held == data).unwrap_or(false);
            if same {
                Ok(())
            } else {
                Err(LedgerError::io(
                    "write",
                    out,
                    std::io::Error::other(
                        "something else is already there (a link or another file); it was left alone",
                    ),
                ))
            }
        }
        Err(e) => Err(LedgerError::io("write", out, e)),
    }
}

/// Extensions a viewer may be handed: pictures, sound, video, documents.
/// A bundle chooses the recorded name, so anything else (`.desktop`, `.sh`,
/// `.exe`, …) is written as `.bin`, which no desktop runs.
const VIEWABLE: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "webp", "heic", "bmp", "tif", "tiff", "pdf", "txt", "mp3", "m4a",
    "aac", "amr", "wav", "ogg", "mp4", "mov", "3gp", "webm", "doc", "docx", "xls", "xlsx", "wps",
    "et", "ofd",
];

/// `<first 12 hex digits>-<recorded name>`, the name cut to its last path
/// component and its extension kept only when [`VIEWABLE`].
fn viewing_name(sha256: &str, file_name: &str) -> String {
    let name = safe_name(file_name);
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem.to_string(), ext.to_ascii_lowercase()),
        _ => (name.clone(), String::new()),
    };
    let ext = if VIEWABLE.contains(&ext.as_str()) {
        ext
    } else {
        "bin".to_string()
    };
    let stem = stem.trim_start_matches('.');
    let stem = if stem.is_empty() { "evidence" } else { stem };
    format!("{}-{stem}.{ext}", &sha256[..12])
}

/// The last path component of a recorded file name, never a path of its own.
fn safe_name(file_name: &str) -> String {
    let last = file_name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last.chars().filter(|c| !c.is_control()).collect();
    match cleaned.as_str() {
        "" | "." | ".." => "evidence".into(),
        _ => cleaned,
    }
}

#[cfg(test)]
mod tests {
    use super::{safe_name, viewing_name, write_new};

    #[test]
    fn recorded_names_cannot_escape_the_directory() {
        assert_eq!(safe_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_name("C:\\photos\\门口.jpg"), "门口.jpg");
        assert_eq!(safe_name(".."), "evidence");
    }

    #[test]
    fn only_a_viewable_extension_is_kept() {
        let sha = "ab".repeat(32);
        assert_eq!(viewing_name(&sha, "门口.JPG"), "abababababab-门口.jpg");
        assert_eq!(viewing_name(&sha, "run.desktop"), "abababababab-run.bin");
        assert_eq!(viewing_name(&sha, "a.pdf.sh"), "abababababab-a.pdf.bin");
        assert_eq!(viewing_name(&sha, ".bashrc"), "abababababab-bashrc.bin");
        assert_eq!(viewing_name(&sha, "../../x"), "abababababab-x.bin");
    }

    #[test]
    fn a_planted_link_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "keep me").unwrap();
        let out = dir.path().join("abababababab-photo.jpg");
        std::os::unix::fs::symlink(&victim, &out).unwrap();
        let err = write_new(&out, b"evidence").unwrap_err().to_string();
        assert!(err.contains("left alone"), "{err}");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
        // The same bytes opened twice: the copy there is taken as it is.
        let again = dir.path().join("again.jpg");
        write_new(&again, b"evidence").unwrap();
        write_new(&again, b"evidence").unwrap();
    }
}
