//! Device identity: an ed25519 key per laptop; the device id is its public key.

use crate::error::LedgerError;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use std::io::Write;
use std::path::Path;

/// One device's signing identity; id = lowercase hex of the ed25519 public key.
#[derive(Clone)]
pub struct DeviceKey {
    signing: SigningKey,
    device_id: String,
}

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret.
        f.debug_struct("DeviceKey")
            .field("device_id", &self.device_id)
            .finish()
    }
}

impl DeviceKey {
    /// Loads the key at `path`, or creates a new random one there with mode 0600.
    ///
    /// The file holds the 32-byte secret seed as 64 lowercase hex digits. A key
    /// readable by group or others is refused, as ssh refuses such keys.
    pub fn load_or_create(path: &Path) -> Result<DeviceKey, LedgerError> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                check_private(path)?;
                let bytes = hex::decode(text.trim())
                    .map_err(|e| key_error(path, format!("not hex: {e}")))?;
                let seed: [u8; 32] = bytes.try_into().map_err(|b: Vec<u8>| {
                    key_error(path, format!("{} bytes, expected 32", b.len()))
                })?;
                Ok(DeviceKey::from_seed(seed))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => create(path),
            Err(e) => Err(LedgerError::io("read", path, e)),
        }
    }

    /// A key from a known seed (demo data and tests).
    pub fn from_seed(seed: [u8; 32]) -> DeviceKey {
        let signing = SigningKey::from_bytes(&seed);
        let device_id = hex::encode(signing.verifying_key().to_bytes());
        DeviceKey { signing, device_id }
    }

    /// The device id: lowercase hex of the public key (64 digits).
    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    /// Signs an event id (the 32 hash bytes); returns 128 hex digits.
    pub(crate) fn sign(&self, id: &[u8; 32]) -> String {
        hex::encode(self.signing.sign(id).to_bytes())
    }
}

/// Checks `signature` (hex) over the event id bytes against the device id (hex public key).
pub(crate) fn signature_holds(device_id: &str, id: &[u8; 32], signature: &str) -> bool {
    let Some(public) = decode_array::<32>(device_id) else {
        return false;
    };
    let Some(sig) = decode_array::<64>(signature) else {
        return false;
    };
    let Ok(key) = VerifyingKey::from_bytes(&public) else {
        return false;
    };
    key.verify(id, &Signature::from_bytes(&sig)).is_ok()
}

pub(crate) fn decode_array<const N: usize>(text: &str) -> Option<[u8; N]> {
    let mut out = [0u8; N];
    hex::decode_to_slice(text, &mut out).ok()?;
    Some(out)
}

fn create(path: &Path) -> Result<DeviceKey, LedgerError> {
    let mut seed = [0u8; 32];
    getrandom::getrandom(&mut seed).map_err(|e| key_error(path, format!("no randomness: {e}")))?;
    write_private(path, format!("{}\n", hex::encode(seed)).as_bytes())?;
    Ok(DeviceKey::from_seed(seed))
}

/// Writes a new file only its owner may read (mode 0600), refusing to
/// replace one that exists, and flushes it to disk.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<(), LedgerError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| LedgerError::io("create", dir, e))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|e| LedgerError::io("create", path, e))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| LedgerError::io("write", path, e))
}

#[cfg(unix)]
fn check_private(path: &Path) -> Result<(), LedgerError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|e| LedgerError::io("read", path, e))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(key_error(
            path,
            format!(
                "readable by others (mode {:o}); run `chmod 600 {}`",
                mode & 0o777,
                path.display()
            ),
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path) -> Result<(), LedgerError> {
    Ok(())
}

fn key_error(path: &Path, reason: String) -> LedgerError {
    LedgerError::Key {
        path: path.to_path_buf(),
        reason,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn created_key_is_private_and_reloads_to_the_same_device() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("device.key");
        let first = DeviceKey::load_or_create(&path).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let again = DeviceKey::load_or_create(&path).unwrap();
        assert_eq!(first.device_id(), again.device_id());
        assert_eq!(first.device_id().len(), 64);
    }

    #[cfg(unix)]
    #[test]
    fn key_readable_by_others_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("device.key");
        DeviceKey::load_or_create(&path).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = DeviceKey::load_or_create(&path).unwrap_err().to_string();
        assert!(err.contains("chmod 600"), "{err}");
    }

    #[test]
    fn signatures_check_against_the_device_id() {
        let key = DeviceKey::from_seed([7; 32]);
        let id = [1u8; 32];
        let sig = key.sign(&id);
        assert!(signature_holds(key.device_id(), &id, &sig));
        assert!(!signature_holds(key.device_id(), &[2u8; 32], &sig));
        let other = DeviceKey::from_seed([8; 32]);
        assert!(!signature_holds(other.device_id(), &id, &sig));
    }
}
