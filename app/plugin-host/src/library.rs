//! The one place that runs plugin code: opening the library, the ABI
//! handshake, and calls through the table. Used only inside a plugin's
//! sandboxed child process (see `worker`); trust was settled by the parent.

use crate::private_copy::PrivateCopy;
use crate::refusal::{Refusal, one_line};
use anfang_plugin_api::{
    ABI_VERSION, Buffer, ENTRY_SYMBOL_NUL, EntryFn, FreeFn, ManifestFn, PluginTable, STATUS_ERROR,
    STATUS_OK, STATUS_PANIC, ScoreFn, TableHeader,
};
use std::sync::Mutex;

/// Largest manifest accepted, so a broken plugin cannot make the host copy
/// gigabytes.
const MAX_MANIFEST_BYTES: usize = 8 << 20;
/// Largest score answer accepted.
const MAX_SCORE_BYTES: usize = 64 << 10;

/// An opened plugin: its table's functions, callable one at a time.
pub(crate) struct PluginLibrary {
    manifest: ManifestFn,
    score: Option<ScoreFn>,
    free_buffer: FreeFn,
    // The ABI promises plugin authors one call at a time.
    calls: Mutex<()>,
}

/// How a call through the table went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CallFailure {
    /// The plugin reported a caught panic.
    Panicked(String),
    /// The plugin returned `STATUS_ERROR` with this message.
    Failed(String),
    /// The answer was malformed (unknown status, bad buffer, too large).
    Garbage(String),
    /// The plugin's process died during the call (e.g. killed by SIGSEGV).
    Crashed(String),
    /// The call took longer than its limit; the process was killed.
    TimedOut(std::time::Duration),
    /// No process could be started for the plugin.
    Unavailable(String),
}

impl std::fmt::Display for CallFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallFailure::Panicked(message) => write!(f, "panicked: {message}"),
            CallFailure::Failed(message) => write!(f, "failed: {message}"),
            CallFailure::Garbage(detail) => write!(f, "returned garbage: {detail}"),
            CallFailure::Crashed(how) => write!(f, "crashed: {how}"),
            CallFailure::TimedOut(limit) => write!(
                f,
                "did not answer within {} s (stopped)",
                limit.as_secs_f64()
            ),
            CallFailure::Unavailable(why) => write!(f, "could not be started: {why}"),
        }
    }
}

/// Checks the first bytes before the loader sees them, so "not a shared
/// library" is told apart from a library the loader rejects.
pub(crate) fn check_library_format(bytes: &[u8]) -> Result<(), Refusal> {
    #[cfg(target_os = "linux")]
    {
        if bytes.len() < 18 || &bytes[..4] != b"\x7fELF" {
            return Err(Refusal::NotSharedLibrary("no ELF header".into()));
        }
        let e_type = match bytes[5] {
            1 => u16::from_le_bytes([bytes[16], bytes[17]]),
            2 => u16::from_be_bytes([bytes[16], bytes[17]]),
            other => {
                return Err(Refusal::NotSharedLibrary(format!(
                    "unknown ELF byte order {other}"
                )));
            }
        };
        const ET_DYN: u16 = 3;
        if e_type != ET_DYN {
            let kind = match e_type {
                1 => "an object file (.o), not linked",
                2 => "a fixed-address executable",
                4 => "a core dump",
                _ => "an ELF file of unknown type",
            };
            return Err(Refusal::NotSharedLibrary(format!("ELF file is {kind}")));
        }
    }
    #[cfg(target_os = "macos")]
    {
        const MAGICS: [[u8; 4]; 4] = [
            [0xfe, 0xed, 0xfa, 0xce],
            [0xfe, 0xed, 0xfa, 0xcf],
            [0xcf, 0xfa, 0xed, 0xfe],
            [0xca, 0xfe, 0xba, 0xbe],
        ];
        if bytes.len() < 4 || !MAGICS.iter().any(|m| bytes[..4] == m[..]) {
            return Err(Refusal::NotSharedLibrary("no Mach-O header".into()));
        }
    }
    #[cfg(windows)]
    {
        if !bytes.starts_with(b"MZ") {
            return Err(Refusal::NotSharedLibrary("no PE header".into()));
        }
    }
    let _ = bytes;
    Ok(())
}

impl PluginLibrary {
    /// The part of opening that runs no plugin code: the format check and
    /// the private copy (made before the child confines itself).
    pub(crate) fn prepare(bytes: &[u8]) -> Result<PrivateCopy, Refusal> {
        check_library_format(bytes)?;
        PrivateCopy::create(bytes)
            .map_err(|e| Refusal::LoadFailed(format!("cannot make a private copy: {e}")))
    }

    /// Loads a prepared copy and performs the ABI handshake. The library is
    /// never unloaded, even when refused: its initialisers have run, and
    /// unloading Rust libraries with thread-local destructors crashes.
    pub(crate) fn open_copy(copy: PrivateCopy) -> Result<PluginLibrary, Refusal> {
        let library = open_library(copy.path())?;
        let library: &'static Library = Box::leak(Box::new(library));
        drop(copy);

        // SAFETY: the symbol's type is the ABI's entry type; a plugin
        // exporting the name with another type breaks the ABI contract,
        // which trust (settled before loading) vouches for.
        let entry: EntryFn = unsafe { library.get::<EntryFn>(ENTRY_SYMBOL_NUL) }
            .map(|symbol| *symbol)
            .map_err(|_| Refusal::EntryMissing)?;
        // SAFETY: calling the entry function as the ABI defines it.
        let table = unsafe { entry() };
        if table.is_null() {
            return Err(Refusal::NoTable);
        }
        // SAFETY: every ABI version starts with this header; read it alone
        // before trusting the rest of the layout.
        let header = unsafe { table.cast::<TableHeader>().read_unaligned() };
        if header.abi_version != ABI_VERSION {
            return Err(Refusal::AbiVersion {
                found: header.abi_version,
            });
        }
        if header.struct_size < PluginTable::SIZE {
            return Err(Refusal::StructTooSmall {
                found: header.struct_size,
            });
        }
        // SAFETY: the plugin declares a table at least as large as ours.
        let table = unsafe { table.read_unaligned() };
        Ok(PluginLibrary {
            manifest: table.manifest.ok_or(Refusal::MissingFunction("manifest"))?,
            score: table.score,
            free_buffer: table
                .free_buffer
                .ok_or(Refusal::MissingFunction("free_buffer"))?,
            calls: Mutex::new(()),
        })
    }

    /// Whether the plugin has a score function.
    pub(crate) fn has_score(&self) -> bool {
        self.score.is_some()
    }

    /// The manifest bytes, as the plugin wrote them.
    pub(crate) fn manifest_bytes(&self) -> Result<Vec<u8>, CallFailure> {
        let manifest = self.manifest;
        // SAFETY: `out` is a valid, writable buffer for the call.
        self.call(MAX_MANIFEST_BYTES, |out| unsafe { manifest(out) })
    }

    /// The raw answer of the score function to a request.
    pub(crate) fn score_bytes(&self, request: &[u8]) -> Result<Vec<u8>, CallFailure> {
        let Some(score) = self.score else {
            return Err(CallFailure::Failed(
                "the plugin has no score function".into(),
            ));
        };
        // SAFETY: `request` is readable for its length for the whole call;
        // `out` is a valid, writable buffer.
        self.call(MAX_SCORE_BYTES, |out| unsafe {
            score(request.as_ptr(), request.len(), out)
        })
    }

    fn call(&self, max: usize, f: impl FnOnce(*mut Buffer) -> i32) -> Result<Vec<u8>, CallFailure> {
        let _one_at_a_time = self
            .calls
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut out = Buffer::EMPTY;
        let status = f(&mut out);
        let bytes = self.take(out, max);
        let text = |bytes: &[u8]| one_line(&String::from_utf8_lossy(bytes), 300);
        match (status, bytes) {
            (_, Err(detail)) => Err(CallFailure::Garbage(detail)),
            (STATUS_OK, Ok(bytes)) => Ok(bytes),
            (STATUS_ERROR, Ok(bytes)) => Err(CallFailure::Failed(if bytes.is_empty() {
                "no message".into()
            } else {
                text(&bytes)
            })),
            (STATUS_PANIC, Ok(bytes)) => Err(CallFailure::Panicked(if bytes.is_empty() {
                "no message".into()
            } else {
                text(&bytes)
            })),
            (other, Ok(_)) => Err(CallFailure::Garbage(format!("unknown status code {other}"))),
        }
    }

    /// Copies the plugin's buffer and hands it back to the plugin to free.
    fn take(&self, out: Buffer, max: usize) -> Result<Vec<u8>, String> {
        if out.ptr.is_null() {
            return if out.len == 0 {
                Ok(Vec::new())
            } else {
                Err(format!("null buffer with length {}", out.len))
            };
        }
        let result = if out.len > max {
            Err(format!("{} bytes, more than the {max} accepted", out.len))
        } else {
            // SAFETY: the plugin promises `len` readable bytes at `ptr`
            // until it frees them below.
            Ok(unsafe { std::slice::from_raw_parts(out.ptr, out.len) }.to_vec())
        };
        // SAFETY: the buffer came from this plugin and is freed once.
        unsafe { (self.free_buffer)(out) };
        result
    }
}

#[cfg(unix)]
type Library = libloading::os::unix::Library;
#[cfg(windows)]
type Library = libloading::os::windows::Library;

#[cfg(unix)]
fn open_library(path: &std::path::Path) -> Result<Library, Refusal> {
    use libloading::os::unix::{RTLD_LOCAL, RTLD_NOW};
    // RTLD_NOW: a missing symbol refuses the plugin now, not mid-visit.
    // SAFETY: loading runs the library's initialisers; the caller settled
    // trust in these exact bytes before calling.
    unsafe { Library::open(Some(path), RTLD_NOW | RTLD_LOCAL) }
        .map_err(|e| Refusal::LoadFailed(one_line(&e.to_string(), 200)))
}

#[cfg(windows)]
fn open_library(path: &std::path::Path) -> Result<Library, Refusal> {
    // SAFETY: as above.
    unsafe { Library::new(path) }.map_err(|e| Refusal::LoadFailed(one_line(&e.to_string(), 200)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn text_and_object_files_are_not_shared_libraries() {
        let text = check_library_format(b"hello, I am a text file").unwrap_err();
        assert_eq!(text.to_string(), "not a shared library: no ELF header");
        let mut object = b"\x7fELF\x02\x01\x01".to_vec();
        object.resize(16, 0);
        object.extend_from_slice(&1u16.to_le_bytes());
        let object = check_library_format(&object).unwrap_err();
        assert!(object.to_string().contains("object file"), "{object}");
    }
}
