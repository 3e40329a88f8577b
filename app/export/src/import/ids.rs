//! Ids of imported findings and visits, derived from what the file says,
//! so that the same report imported on two laptops is one finding (and
//! one visit) when their bundles meet at the office.
//!
//! They are UUID version 8 ("custom", RFC 9562): the first 16 bytes of a
//! SHA-256 over a fixed prefix and the fields, with the version and
//! variant bits set. A finding's id starts, like a version 7 id, with its
//! observed time in milliseconds, so that a large file's findings land
//! next to each other in the ledger's index instead of all over it.

use anfang_core::visit::{Unit, VisitKind};
use jiff::Timestamp;
use sha2::{Digest, Sha256};
use uuid::Uuid;

fn v8(parts: &serde_json::Value) -> Uuid {
    let digest = Sha256::digest(parts.to_string().as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// The id of an imported finding: its observed time, then a digest of
/// its content and reporter (the row's [`fingerprint`](super::fingerprint):
/// unit, item, observed time, count, subject, note and reporter).
pub fn finding_id(fingerprint: &str, observed_at: Timestamp) -> Uuid {
    let digest = v8(&serde_json::json!([
        "anfang-import-finding",
        1,
        fingerprint
    ]));
    let mut bytes = *digest.as_bytes();
    let millis = u64::try_from(observed_at.as_millisecond()).unwrap_or(0);
    bytes[..6].copy_from_slice(&millis.to_be_bytes()[2..]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// The id of the visit that holds one reporter's (or team's) findings at
/// one unit, of one kind, from one file.
pub fn visit_id(file_sha256: &str, team: &[String], unit: &Unit, kind: VisitKind) -> Uuid {
    v8(&serde_json::json!([
        "anfang-import-visit",
        1,
        file_sha256,
        team,
        unit.name,
        unit.department,
        kind,
    ]))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_same_content_gives_the_same_id_everywhere() {
        let t: Timestamp = "2026-11-09T01:10:00Z".parse().unwrap();
        let a = finding_id("abc", t);
        assert_eq!(a, finding_id("abc", t));
        assert_ne!(a, finding_id("abd", t));
        assert_eq!(a.get_version_num(), 8);
        // Later findings sort after earlier ones.
        assert!(finding_id("zzz", t) < finding_id("abc", t + jiff::SignedDuration::from_secs(1)));
        let unit = Unit {
            name: "市规划局".into(),
            department: "规划".into(),
        };
        let team = vec!["刘义务".to_owned()];
        let v = visit_id("f", &team, &unit, VisitKind::Unannounced);
        assert_eq!(v, visit_id("f", &team, &unit, VisitKind::Unannounced));
        assert_ne!(v, visit_id("f", &team, &unit, VisitKind::Open));
    }
}
