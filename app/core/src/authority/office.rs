//! An office's identity: its root keys and the fingerprint a ledger pins.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Root keys and how many of them must sign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Roots {
    /// ed25519 public keys, 64 hex digits each.
    pub keys: Vec<String>,
    /// Signatures of distinct keys needed (at least 1).
    pub threshold: u32,
}

impl Roots {
    /// Checks the roots themselves: a threshold between 1 and the number of
    /// distinct keys, every key 64 hex digits.
    pub fn problem(&self) -> Option<String> {
        let mut keys = self.keys.clone();
        keys.sort();
        keys.dedup();
        if let Some(bad) = self.keys.iter().find(|k| !is_key(k)) {
            return Some(format!("root key '{bad}' is not 64 hex digits"));
        }
        if self.threshold == 0 || self.threshold as usize > keys.len() {
            return Some(format!(
                "threshold {} of {} root keys",
                self.threshold,
                keys.len()
            ));
        }
        None
    }
}

fn is_key(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The office's fingerprint: SHA-256 of its threshold and sorted root keys.
/// What `anfang office init` prints and people compare aloud.
pub fn office_fingerprint(roots: &Roots) -> String {
    let mut keys = roots.keys.clone();
    keys.sort();
    keys.dedup();
    let text = format!("anfang-office-v1\n{}\n{}", roots.threshold, keys.join("\n"));
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// The bytes a root key signs for a roster document (its exact JSON text).
pub fn roster_signing_bytes(document: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"anfang-roster-v1\n");
    hasher.update(document.as_bytes());
    hasher.finalize().into()
}

/// A roster document's digest (hex), which the next version names.
pub fn roster_digest(document: &str) -> String {
    hex::encode(roster_signing_bytes(document))
}
