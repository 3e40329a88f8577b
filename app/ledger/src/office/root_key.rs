//! Office root keys: ed25519 keys kept apart from any laptop (a removable
//! drive), sealed with a passphrase.
//!
//! The file is text, so office IT can see what it is:
//!
//! ```text
//! anfang-root-key-v1
//! public <64 hex digits>
//! salt <32 hex digits>
//! nonce <48 hex digits>
//! sealed <hex>
//! ```
//!
//! The passphrase is stretched with Argon2id (RFC 9106's second
//! recommended parameters: 64 MiB, 3 passes) into the key of an
//! XChaCha20-Poly1305 seal over the 32-byte secret seed; the public key is
//! bound in as associated data, so a swapped line fails to open.

use crate::error::LedgerError;
use anfang_core::authority::roster_signing_bytes;
use anfang_core::event::RootSignature;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use ed25519_dalek::{Signer, SigningKey};
use std::path::Path;

const MAGIC: &str = "anfang-root-key-v1";

/// One office root key, opened.
pub struct RootKey {
    signing: SigningKey,
    public: String,
}

impl std::fmt::Debug for RootKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret.
        f.debug_struct("RootKey")
            .field("public", &self.public)
            .finish()
    }
}

fn bad(path: &Path, reason: impl Into<String>) -> LedgerError {
    LedgerError::RootKey {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

fn stretch(path: &Path, passphrase: &str, salt: &[u8]) -> Result<[u8; 32], LedgerError> {
    let params = argon2::Params::new(64 * 1024, 3, 1, Some(32))
        .map_err(|e| bad(path, format!("key stretching: {e}")))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = [0u8; 32];
    argon
        .hash_password_into(passphrase.as_bytes(), salt, &mut out)
        .map_err(|e| bad(path, format!("key stretching: {e}")))?;
    Ok(out)
}

impl RootKey {
    /// A new random root key.
    pub fn generate() -> Result<RootKey, LedgerError> {
        let mut seed = [0u8; 32];
        getrandom::getrandom(&mut seed)
            .map_err(|e| bad(Path::new("(new)"), format!("no randomness: {e}")))?;
        Ok(RootKey::from_seed(seed))
    }

    /// A root key from a known seed (tests).
    pub fn from_seed(seed: [u8; 32]) -> RootKey {
        let signing = SigningKey::from_bytes(&seed);
        let public = hex::encode(signing.verifying_key().to_bytes());
        RootKey { signing, public }
    }

    /// The public key, 64 hex digits.
    pub fn public(&self) -> &str {
        &self.public
    }

    /// Signs a roster document's exact text.
    pub fn sign_roster(&self, document: &str) -> RootSignature {
        let bytes = roster_signing_bytes(document);
        RootSignature {
            key: self.public.clone(),
            signature: hex::encode(self.signing.sign(&bytes).to_bytes()),
        }
    }

    /// Seals the key with `passphrase` into a new file (mode 0600); an
    /// existing file is never replaced.
    pub fn save(&self, path: &Path, passphrase: &str) -> Result<(), LedgerError> {
        if passphrase.is_empty() {
            return Err(bad(path, "the passphrase is empty"));
        }
        let mut salt = [0u8; 16];
        let mut nonce = [0u8; 24];
        getrandom::getrandom(&mut salt)
            .and_then(|()| getrandom::getrandom(&mut nonce))
            .map_err(|e| bad(path, format!("no randomness: {e}")))?;
        let key = stretch(path, passphrase, &salt)?;
        let cipher = XChaCha20Poly1305::new(&key.into());
        let sealed = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &self.signing.to_bytes(),
                    aad: self.public.as_bytes(),
                },
            )
            .map_err(|_| bad(path, "sealing failed"))?;
        let text = format!(
            "{MAGIC}\npublic {}\nsalt {}\nnonce {}\nsealed {}\n",
            self.public,
            hex::encode(salt),
            hex::encode(nonce),
            hex::encode(sealed)
        );
        crate::key::write_private(path, text.as_bytes())
    }

    /// The public key a root key file holds, read without its passphrase.
    pub fn public_of(path: &Path) -> Result<String, LedgerError> {
        Ok(Fields::read(path)?.public)
    }

    /// Opens a root key file with its passphrase.
    pub fn open(path: &Path, passphrase: &str) -> Result<RootKey, LedgerError> {
        let fields = Fields::read(path)?;
        let key = stretch(path, passphrase, &fields.salt)?;
        let cipher = XChaCha20Poly1305::new(&key.into());
        let seed = cipher
            .decrypt(
                XNonce::from_slice(&fields.nonce),
                Payload {
                    msg: &fields.sealed,
                    aad: fields.public.as_bytes(),
                },
            )
            .map_err(|_| bad(path, "wrong passphrase (or the file was altered)"))?;
        let seed: [u8; 32] = seed
            .try_into()
            .map_err(|_| bad(path, "the sealed key is not 32 bytes"))?;
        let key = RootKey::from_seed(seed);
        if key.public != fields.public {
            return Err(bad(path, "the sealed key does not match its public key"));
        }
        Ok(key)
    }
}

struct Fields {
    public: String,
    salt: Vec<u8>,
    nonce: Vec<u8>,
    sealed: Vec<u8>,
}

impl Fields {
    fn read(path: &Path) -> Result<Fields, LedgerError> {
        let text = std::fs::read_to_string(path).map_err(|e| LedgerError::io("read", path, e))?;
        let mut lines = text.lines();
        if lines.next() != Some(MAGIC) {
            return Err(bad(
                path,
                format!("not an anfang root key (no '{MAGIC}' line)"),
            ));
        }
        let mut field = |name: &str| -> Result<String, LedgerError> {
            lines
                .next()
                .and_then(|l| l.strip_prefix(name))
                .and_then(|l| l.strip_prefix(' '))
                .map(str::to_string)
                .ok_or_else(|| bad(path, format!("the '{name}' line is missing")))
        };
        let public = field("public")?;
        let hex_of = |name: &str, text: String| {
            hex::decode(text.trim()).map_err(|e| bad(path, format!("'{name}' is not hex: {e}")))
        };
        let salt = hex_of("salt", field("salt")?)?;
        let nonce = hex_of("nonce", field("nonce")?)?;
        let sealed = hex_of("sealed", field("sealed")?)?;
        if nonce.len() != 24 {
            return Err(bad(path, "the nonce is not 24 bytes"));
        }
        Ok(Fields {
            public,
            salt,
            nonce,
            sealed,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_key_opens_with_its_passphrase_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("root1.key");
        let key = RootKey::from_seed([3; 32]);
        key.save(&path, "山高水长").unwrap();
        assert_eq!(RootKey::public_of(&path).unwrap(), key.public());
        assert_eq!(
            RootKey::open(&path, "山高水长").unwrap().public(),
            key.public()
        );
        let wrong = RootKey::open(&path, "wrong").unwrap_err().to_string();
        assert!(wrong.contains("wrong passphrase"), "{wrong}");
        // Never overwritten.
        assert!(key.save(&path, "other").is_err());
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            !text.contains(&hex::encode([3u8; 32])),
            "the seed is not in clear"
        );
    }
}
