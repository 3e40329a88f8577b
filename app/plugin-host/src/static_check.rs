//! What can be known about a plugin file without running any of it: its
//! size, that it is a shared library of this platform, and that it exports
//! the entry symbol. Read from the bytes with the `object` crate; the file
//! is never handed to the dynamic loader in the parent.

use crate::library::check_library_format;
use crate::refusal::Refusal;

/// Largest plugin file accepted (a department plugin is well under 10 MiB;
/// a debug build with full symbols stays under this).
pub const MAX_PLUGIN_BYTES: usize = 64 << 20;

/// Refuses a file that is too large to be read whole.
pub(crate) fn check_size(len: u64) -> Result<(), Refusal> {
    if len > MAX_PLUGIN_BYTES as u64 {
        return Err(Refusal::TooLarge { bytes: len });
    }
    Ok(())
}

/// Size, format and entry symbol, from the bytes alone.
pub(crate) fn check_bytes(bytes: &[u8]) -> Result<(), Refusal> {
    check_size(bytes.len() as u64)?;
    check_library_format(bytes)?;
    check_entry_symbol(bytes)
}

#[cfg(target_os = "linux")]
fn check_entry_symbol(bytes: &[u8]) -> Result<(), Refusal> {
    use object::{Object, ObjectSymbol};
    let file = object::File::parse(bytes)
        .map_err(|e| Refusal::NotSharedLibrary(format!("unreadable ELF: {e}")))?;
    let exported = file.dynamic_symbols().any(|symbol| {
        symbol.name_bytes().ok() == Some(anfang_plugin_api::ENTRY_SYMBOL.as_bytes())
            && !symbol.is_undefined()
    });
    if exported {
        Ok(())
    } else {
        Err(Refusal::EntryMissing)
    }
}

#[cfg(not(target_os = "linux"))]
fn check_entry_symbol(_bytes: &[u8]) -> Result<(), Refusal> {
    // The child reports a missing entry symbol on other platforms.
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_over_the_limit_is_refused_by_its_size() {
        let refusal = check_size(MAX_PLUGIN_BYTES as u64 + 1).unwrap_err();
        assert_eq!(
            refusal.to_string(),
            "the file is 67108865 bytes, more than the 67108864 a plugin may be"
        );
        assert_eq!(check_size(1024), Ok(()));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn this_test_program_is_not_a_plugin() {
        // The test binary is an ELF executable (PIE: also ET_DYN) without
        // the entry symbol.
        let Ok(bytes) = std::fs::read("/proc/self/exe") else {
            return;
        };
        let refusal = check_entry_symbol(&bytes);
        assert_eq!(refusal, Err(Refusal::EntryMissing));
    }
}
