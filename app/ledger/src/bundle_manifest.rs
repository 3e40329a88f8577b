//! A bundle's signed manifest: for every device in it, the last sequence
//! number, the head event and the number of events; and the evidence files.
//!
//! Every event is signed on its own, so a changed byte is already caught;
//! what signatures alone cannot show is rows *missing*: a chain cut at its
//! tail is still a valid chain. The device that makes the bundle signs what
//! it put in, and the merge refuses a bundle whose rows say otherwise.

use crate::key::{DeviceKey, signature_holds};
use crate::refusal::{Problem, RefusalKind};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// `bundle_info` key of the manifest text.
const MANIFEST_KEY: &str = "manifest";
/// `bundle_info` key of the signature over the manifest text's SHA-256.
const SIGNATURE_KEY: &str = "manifest_signature";

/// What the device that made a bundle says is in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Manifest {
    made_by: String,
    devices: Vec<DeviceChain>,
    blobs: u64,
    /// SHA-256 over the blobs' hashes in order, so a swapped file shows too.
    blobs_digest: String,
}

/// One device's events as a bundle holds them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct DeviceChain {
    device: String,
    last_seq: i64,
    /// The events at `last_seq`: one, or more where the device forked.
    heads: Vec<String>,
    events: i64,
}

/// Reads what a bundle's tables hold, in the manifest's form. `schema` is
/// the attached name of the bundle (`bundle` while writing, `main` after).
fn read_contents(conn: &Connection, schema: &str, made_by: &str) -> rusqlite::Result<Manifest> {
    let mut devices = conn
        .prepare(&format!(
            "SELECT device, max(seq), count(*) FROM {schema}.events GROUP BY device ORDER BY device"
        ))?
        .query_map([], |r| {
            Ok(DeviceChain {
                device: r.get(0)?,
                last_seq: r.get(1)?,
                heads: Vec::new(),
                events: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut heads = conn.prepare(&format!(
        "SELECT id FROM {schema}.events WHERE device = ?1 AND seq = ?2 ORDER BY id"
    ))?;
    for chain in &mut devices {
        chain.heads = heads
            .query_map(rusqlite::params![chain.device, chain.last_seq], |r| {
                r.get(0)
            })?
            .collect::<rusqlite::Result<_>>()?;
    }
    let mut digest = Sha256::new();
    let mut blobs = 0u64;
    let mut statement = conn.prepare(&format!(
        "SELECT sha256 FROM {schema}.blobs ORDER BY sha256"
    ))?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let sha: String = row.get(0)?;
        digest.update(sha.as_bytes());
        digest.update(b"\n");
        blobs += 1;
    }
    Ok(Manifest {
        made_by: made_by.to_owned(),
        devices,
        blobs,
        blobs_digest: hex::encode(digest.finalize()),
    })
}

/// Signs what the attached bundle `bundle` holds and stores the manifest in
/// its `bundle_info`.
pub(crate) fn seal(conn: &Connection, key: &DeviceKey) -> rusqlite::Result<()> {
    let manifest = read_contents(conn, "bundle", key.device_id())?;
    let text = serde_json::to_string(&manifest)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    let signature = key.sign(&Sha256::digest(text.as_bytes()).into());
    conn.execute(
        "INSERT INTO bundle.bundle_info (key, value) VALUES (?1, ?2), (?3, ?4)",
        [MANIFEST_KEY, &text, SIGNATURE_KEY, &signature],
    )?;
    Ok(())
}

/// Checks a bundle's rows against its signed manifest. A bundle with no
/// manifest passes only if it is of format 1 (made before manifests) and
/// `office_pinned` is false: an office ledger takes no unsealed bundle.
pub(crate) fn check(src: &Connection, office_pinned: bool) -> Result<(), Problem> {
    let version: i64 = src
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(crate::reading::unreadable)?;
    let required = office_pinned || version >= 2;
    let mismatch = |text: String| Problem::new(RefusalKind::ManifestMismatch, text);
    let info = |key: &str| -> Option<String> {
        src.query_row("SELECT value FROM bundle_info WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .ok()
    };
    let (Some(text), Some(signature)) = (info(MANIFEST_KEY), info(SIGNATURE_KEY)) else {
        return if required {
            Err(mismatch(
                "it carries no signed manifest, so rows lost in transit could not be told; \
                 make the bundle again with this version of anfang"
                    .into(),
            ))
        } else {
            Ok(())
        };
    };
    let said: Manifest = serde_json::from_str(&text)
        .map_err(|e| mismatch(format!("its manifest does not parse ({e})")))?;
    if !signature_holds(
        &said.made_by,
        &Sha256::digest(text.as_bytes()).into(),
        &signature,
    ) {
        return Err(mismatch(format!(
            "its manifest's signature by device {} does not hold",
            short(&said.made_by)
        )));
    }
    let held = read_contents(src, "main", &said.made_by).map_err(crate::reading::unreadable)?;
    if let Some(text) = difference(&said, &held) {
        return Err(mismatch(text));
    }
    Ok(())
}

/// The first way the rows differ from the manifest, in words.
fn difference(said: &Manifest, held: &Manifest) -> Option<String> {
    for chain in &said.devices {
        let Some(got) = held.devices.iter().find(|c| c.device == chain.device) else {
            return Some(format!(
                "device {} has {} events in the manifest and none in the bundle",
                short(&chain.device),
                chain.events
            ));
        };
        if got != chain {
            return Some(format!(
                "device {}: the manifest says {} events up to #{} ({}), the bundle holds {} up to #{} ({})",
                short(&chain.device),
                chain.events,
                chain.last_seq,
                short_list(&chain.heads),
                got.events,
                got.last_seq,
                short_list(&got.heads)
            ));
        }
    }
    if let Some(extra) = held
        .devices
        .iter()
        .find(|c| !said.devices.iter().any(|s| s.device == c.device))
    {
        return Some(format!(
            "device {} has {} events in the bundle that its manifest does not list",
            short(&extra.device),
            extra.events
        ));
    }
    if said.blobs != held.blobs || said.blobs_digest != held.blobs_digest {
        return Some(format!(
            "the manifest lists {} evidence files, the bundle holds {} (or other ones)",
            said.blobs, held.blobs
        ));
    }
    None
}

/// Ids as [`short`] gives them, joined.
fn short_list(ids: &[String]) -> String {
    ids.iter()
        .map(|id| short(id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The first 8 hex digits of an id, as people compare them.
fn short(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canonical::sha256_hex;

    fn manifest() -> Manifest {
        Manifest {
            made_by: "ab".repeat(32),
            devices: vec![DeviceChain {
                device: "cd".repeat(32),
                last_seq: 5,
                heads: vec!["ef".repeat(32)],
                events: 5,
            }],
            blobs: 0,
            blobs_digest: sha256_hex(b""),
        }
    }

    #[test]
    fn the_same_rows_show_no_difference() {
        assert_eq!(difference(&manifest(), &manifest()), None);
    }

    #[test]
    fn a_cut_tail_is_named() {
        let mut held = manifest();
        held.devices[0].last_seq = 3;
        held.devices[0].events = 3;
        let text = difference(&manifest(), &held).unwrap_or_default();
        assert!(
            text.contains("5 events up to #5") && text.contains("3 up to #3"),
            "{text}"
        );
    }

    #[test]
    fn a_device_not_listed_is_named() {
        let mut held = manifest();
        held.devices.push(DeviceChain {
            device: "11".repeat(32),
            last_seq: 1,
            heads: vec!["22".repeat(32)],
            events: 1,
        });
        let text = difference(&manifest(), &held).unwrap_or_default();
        assert!(
            text.contains("11111111") && text.contains("does not list"),
            "{text}"
        );
    }

    #[test]
    fn an_added_evidence_file_is_named() {
        let mut held = manifest();
        held.blobs = 1;
        let text = difference(&manifest(), &held).unwrap_or_default();
        assert!(text.contains("evidence files"), "{text}");
    }
}
