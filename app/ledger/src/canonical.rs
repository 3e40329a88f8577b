//! The canonical bytes of an event, its id, and the stored form of times.
//!
//! An event's canonical bytes are the UTF-8 text
//!
//! ```text
//! anfang-event-v1\n<device>\n<seq>\n<prev>\n<claimed_time>\n<schema>\n<kind>\n<body>
//! ```
//!
//! where `<prev>` is empty for a device's first event, `<seq>` and `<schema>`
//! are decimal, and `<body>` is the stored JSON text exactly as it is in the
//! `events.body` column (compact JSON never contains a raw newline, and the
//! body comes last, so the form is unambiguous). The event id is the
//! lowercase hex SHA-256 of these bytes; the device signs the 32 raw hash
//! bytes with ed25519. SCHEMA.md shows how to check an id with `sqlite3` and
//! `sha256sum`.

use jiff::Timestamp;
use sha2::{Digest, Sha256};

/// The first line of every event's canonical bytes.
pub const EVENT_DOMAIN: &str = "anfang-event-v1";

/// The envelope fields of an event, as stored.
#[derive(Debug, Clone, Copy)]
pub struct Envelope<'a> {
    /// Device id (hex public key).
    pub device: &'a str,
    /// Per-device sequence number, from 1.
    pub seq: i64,
    /// Id of the device's previous event; `None` for seq 1.
    pub prev: Option<&'a str>,
    /// Claimed time in the stored form (see [`format_time`]).
    pub claimed_time: &'a str,
    /// Body schema version.
    pub schema: i64,
    /// Event kind, e.g. `finding_recorded`.
    pub kind: &'a str,
    /// Body JSON text.
    pub body: &'a str,
}

impl Envelope<'_> {
    /// The canonical bytes described in the module documentation.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let seq = self.seq.to_string();
        let schema = self.schema.to_string();
        let prev = self.prev.unwrap_or("");
        let parts: [&str; 8] = [
            EVENT_DOMAIN,
            self.device,
            &seq,
            prev,
            self.claimed_time,
            &schema,
            self.kind,
            self.body,
        ];
        let mut out = Vec::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                out.push(b'\n');
            }
            out.extend_from_slice(part.as_bytes());
        }
        out
    }

    /// SHA-256 of the canonical bytes.
    pub fn id_bytes(&self) -> [u8; 32] {
        let mut hasher = Sha256::new();
        let seq = self.seq.to_string();
        let schema = self.schema.to_string();
        hasher.update(EVENT_DOMAIN.as_bytes());
        for part in [
            self.device,
            &seq,
            self.prev.unwrap_or(""),
            self.claimed_time,
            &schema,
            self.kind,
            self.body,
        ] {
            hasher.update(b"\n");
            hasher.update(part.as_bytes());
        }
        hasher.finalize().into()
    }

    /// The event id: lowercase hex SHA-256 of the canonical bytes.
    pub fn id(&self) -> String {
        hex::encode(self.id_bytes())
    }
}

/// Lowercase hex SHA-256 of some bytes (evidence files).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The stored form of a time: UTC, millisecond precision, fixed width
/// (`2026-11-03T09:15:02.123Z`), so that text order is time order.
pub fn format_time(time: Timestamp) -> String {
    let ms = Timestamp::from_millisecond(time.as_millisecond()).unwrap_or(time);
    ms.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Parses a stored time, accepting only the exact form [`format_time`] writes.
pub fn parse_time(text: &str) -> Option<Timestamp> {
    let time: Timestamp = text.parse().ok()?;
    (format_time(time) == text).then_some(time)
}

/// Whether `text` is 64 lowercase hex digits (an event id, a device id, a SHA-256).
pub fn is_hex64(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn id_is_sha256_of_the_documented_bytes() {
        let env = Envelope {
            device: "dd",
            seq: 2,
            prev: Some("pp"),
            claimed_time: "2026-11-03T09:15:02.123Z",
            schema: 1,
            kind: "visit_closed",
            body: r#"{"a":"暗访"}"#,
        };
        let text = "anfang-event-v1\ndd\n2\npp\n2026-11-03T09:15:02.123Z\n1\nvisit_closed\n{\"a\":\"暗访\"}";
        assert_eq!(env.canonical_bytes(), text.as_bytes());
        assert_eq!(env.id(), sha256_hex(text.as_bytes()));
    }

    #[test]
    fn times_round_trip_only_in_the_stored_form() {
        let t = Timestamp::from_millisecond(1_790_000_000_123).unwrap();
        let text = format_time(t);
        assert_eq!(text.len(), 24);
        assert_eq!(parse_time(&text), Some(t));
        assert_eq!(parse_time("2026-11-03T09:15:02Z"), None);
        assert_eq!(
            format_time(Timestamp::from_second(0).unwrap()),
            "1970-01-01T00:00:00.000Z"
        );
    }
}
