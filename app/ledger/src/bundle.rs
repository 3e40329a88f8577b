//! Bundles: a SQLite file carrying a ledger's events and evidence files.

use crate::Ledger;
use crate::canonical::format_time;
use crate::error::LedgerError;
use crate::refusal::{Problem, RefusalKind};
use crate::types::BundleSummary;
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// `PRAGMA application_id` of a bundle file ("anfb").
pub const BUNDLE_APPLICATION_ID: i32 = 0x616e_6662;
/// `PRAGMA user_version` of the bundles this build writes and the newest it reads.
///
/// Version 2 added the signed manifest (`bundle_manifest.rs`); version 1
/// bundles are still read, but only by a ledger with no office pinned.
pub const BUNDLE_FORMAT_VERSION: i64 = 2;

const BUNDLE_SCHEMA: &str = "
CREATE TABLE events (
    id TEXT PRIMARY KEY, device TEXT NOT NULL, seq INTEGER NOT NULL, prev TEXT,
    claimed_time TEXT NOT NULL, schema INTEGER NOT NULL, kind TEXT NOT NULL,
    body TEXT NOT NULL, signature TEXT NOT NULL
);
CREATE INDEX events_device_seq ON events(device, seq);
CREATE TABLE blobs (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, data BLOB NOT NULL);
CREATE TABLE bundle_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
";

/// The only schema objects a bundle may carry (type, name).
pub(crate) const BUNDLE_OBJECTS: &[(&str, &str)] = &[
    ("table", "events"),
    ("index", "sqlite_autoindex_events_1"),
    ("index", "events_device_seq"),
    ("table", "blobs"),
    ("index", "sqlite_autoindex_blobs_1"),
    ("table", "bundle_info"),
    ("index", "sqlite_autoindex_bundle_info_1"),
];

impl Ledger {
    /// Writes every event and evidence file of this ledger to a bundle file.
    /// The file appears complete or not at all (written aside, then renamed).
    pub fn bundle(&self, out: &Path) -> Result<BundleSummary, LedgerError> {
        let same_file = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        };
        if same_file(out, &self.path) {
            return Err(LedgerError::io(
                "write",
                out,
                std::io::Error::other("that is the ledger itself; choose another file"),
            ));
        }
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "bundle".into());
        let partial = out.with_file_name(format!(".{name}.partial"));
        let _ = std::fs::remove_file(&partial);
        let result = self.write_bundle(&partial);
        if result.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        let summary = result.map_err(|e| match e {
            LedgerError::Db(db) => {
                LedgerError::io("write", out, std::io::Error::other(db.to_string()))
            }
            // Only the bundle grows while it is written: its disk is the full one.
            LedgerError::DiskFull => LedgerError::io(
                "write",
                out,
                std::io::Error::from(std::io::ErrorKind::StorageFull),
            ),
            other => other,
        })?;
        std::fs::rename(&partial, out).map_err(|e| LedgerError::io("write", out, e))?;
        Ok(BundleSummary {
            path: out.to_path_buf(),
            ..summary
        })
    }

    fn write_bundle(&self, path: &PathBuf) -> Result<BundleSummary, LedgerError> {
        {
            let b = Connection::open(path)?;
            b.execute_batch(&format!(
                "PRAGMA journal_mode = DELETE;
                 PRAGMA application_id = {BUNDLE_APPLICATION_ID};
                 PRAGMA user_version = {BUNDLE_FORMAT_VERSION};
                 {BUNDLE_SCHEMA}"
            ))?;
        }
        let path_text = path.to_string_lossy().into_owned();
        self.conn
            .execute("ATTACH DATABASE ?1 AS bundle", [&path_text])?;
        let copied = self.copy_into_bundle();
        let detached = self.conn.execute_batch("DETACH DATABASE bundle");
        let summary = copied?;
        detached?;
        let file = std::fs::File::open(path).map_err(|e| LedgerError::io("read", path, e))?;
        file.sync_all()
            .map_err(|e| LedgerError::io("write", path, e))?;
        Ok(summary)
    }

    fn copy_into_bundle(&self) -> Result<BundleSummary, LedgerError> {
        let tx = self.conn.unchecked_transaction()?;
        tx.execute(
            "INSERT INTO bundle.events (id, device, seq, prev, claimed_time, schema, kind, body, signature)
             SELECT id, device, seq, prev, claimed_time, schema, kind, body, signature
             FROM main.events ORDER BY device, seq, id",
            [],
        )?;
        tx.execute(
            "INSERT INTO bundle.blobs (sha256, size, data) SELECT sha256, size, data FROM main.blobs ORDER BY sha256",
            [],
        )?;
        let events: i64 = tx.query_row("SELECT count(*) FROM bundle.events", [], |r| r.get(0))?;
        let blobs: i64 = tx.query_row("SELECT count(*) FROM bundle.blobs", [], |r| r.get(0))?;
        let devices: i64 = tx.query_row(
            "SELECT count(DISTINCT device) FROM bundle.events",
            [],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO bundle.bundle_info (key, value) VALUES
               ('made_by_device', ?1), ('made_at', ?2), ('anfang_version', ?3), ('events', ?4), ('blobs', ?5)",
            rusqlite::params![
                self.device_id(),
                format_time(jiff::Timestamp::now()),
                env!("CARGO_PKG_VERSION"),
                events.to_string(),
                blobs.to_string()
            ],
        )?;
        crate::bundle_manifest::seal(&tx, &self.key)?;
        tx.commit()?;
        Ok(BundleSummary {
            path: PathBuf::new(),
            events: u64::try_from(events).unwrap_or(0),
            blobs: u64::try_from(blobs).unwrap_or(0),
            devices: u64::try_from(devices).unwrap_or(0),
        })
    }
}

/// Signs the manifest of a bundle file written by other means (tools that
/// build bundles row by row, as the merge benchmark does) with `key`, as
/// [`Ledger::bundle`] signs its own.
pub fn seal_bundle(path: &Path, key: &crate::key::DeviceKey) -> Result<(), LedgerError> {
    let conn = Connection::open_in_memory()?;
    conn.execute("ATTACH DATABASE ?1 AS bundle", [path.to_string_lossy()])?;
    conn.execute(
        "DELETE FROM bundle.bundle_info WHERE key LIKE 'manifest%'",
        [],
    )?;
    crate::bundle_manifest::seal(&conn, key)?;
    Ok(())
}

/// Opens a bundle read-only and checks it is one: SQLite, our application id,
/// a format version we understand, structurally sound, and no schema objects
/// beyond the known tables (no triggers, no views).
pub(crate) fn open_bundle(path: &Path) -> Result<Connection, Problem> {
    use RefusalKind::*;
    let unreadable = |text: String| Problem::new(Unreadable, text);
    use rusqlite::OpenFlags;
    use rusqlite::config::DbConfig;
    if path.is_dir() {
        return Err(unreadable(
            "a folder, not a bundle file: name the bundle files in it (FOLDER/*.bundle)".into(),
        ));
    }
    if !path.is_file() {
        return Err(unreadable("no such file".into()));
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| unreadable(e.to_string()))?;
    let setup = || -> rusqlite::Result<()> {
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
        conn.execute_batch("PRAGMA query_only = ON; PRAGMA trusted_schema = OFF;")
    };
    setup().map_err(|e| unreadable(e.to_string()))?;
    let not_sqlite = |e: rusqlite::Error| unreadable(format!("not a readable SQLite file ({e})"));
    let app_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(not_sqlite)?;
    if app_id != BUNDLE_APPLICATION_ID {
        return Err(if app_id == crate::store::LEDGER_APPLICATION_ID {
            Problem::new(
                LedgerNotBundle,
                "this is an anfang ledger, not a bundle; make a bundle with `anfang bundle --out FILE`",
            )
        } else {
            Problem::new(
                NotABundle,
                format!(
                    "not an anfang bundle (application_id {app_id:#x}, a bundle's is {BUNDLE_APPLICATION_ID:#x})"
                ),
            )
        });
    }
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(not_sqlite)?;
    if version > BUNDLE_FORMAT_VERSION {
        return Err(Problem::new(
            TooNew,
            format!(
                "bundle format version {version} is newer than this anfang understands ({BUNDLE_FORMAT_VERSION}); update anfang"
            ),
        ));
    }
    if version < 1 {
        return Err(Problem::new(
            NotABundle,
            format!("bundle format version {version} is not a valid version"),
        ));
    }
    let objects: Vec<(String, String)> = conn
        .prepare("SELECT type, name FROM sqlite_schema ORDER BY type, name")
        .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
        .map_err(|e| unreadable(format!("schema unreadable ({e})")))?;
    // Triggers and views are named first: they are what an attack would carry.
    let (active, passive): (Vec<_>, Vec<_>) = objects
        .iter()
        .partition(|(kind, _)| kind == "trigger" || kind == "view");
    for (kind, name) in active.into_iter().chain(passive) {
        if !BUNDLE_OBJECTS.iter().any(|(k, n)| k == kind && n == name) {
            return Err(Problem::new(
                ForeignObjects,
                format!("it carries a {kind} named '{name}', which bundles never contain"),
            ));
        }
    }
    let check: Vec<String> = conn
        .prepare("PRAGMA quick_check")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(|e| unreadable(format!("damaged ({e})")))?;
    if check != ["ok"] {
        return Err(unreadable(format!(
            "damaged: {}",
            check.into_iter().take(3).collect::<Vec<_>>().join("; ")
        )));
    }
    Ok(conn)
}
