//! The `#[repr(C)]` types and constants of the ABI; `include/anfang_plugin.h`
//! declares the same layout for C.

/// The ABI version this crate speaks. The host refuses any other.
pub const ABI_VERSION: u32 = 1;

/// Name of the exported entry function.
pub const ENTRY_SYMBOL: &str = "anfang_plugin_entry";

/// [`ENTRY_SYMBOL`] with its terminating NUL, as symbol lookups want it.
pub const ENTRY_SYMBOL_NUL: &[u8] = b"anfang_plugin_entry\0";

/// The call succeeded; the out buffer holds the answer.
pub const STATUS_OK: i32 = 0;
/// The call failed; the out buffer may hold a UTF-8 message (or be empty).
pub const STATUS_ERROR: i32 = 1;
/// The plugin panicked and caught it; the out buffer may hold a message.
pub const STATUS_PANIC: i32 = 2;

/// Bytes handed across the boundary: a pointer and a length. An empty
/// buffer is `{ NULL, 0 }`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct Buffer {
    /// First byte, or null when empty.
    pub ptr: *mut u8,
    /// Number of bytes.
    pub len: usize,
}

impl Buffer {
    /// The empty buffer the host passes in for the plugin to fill.
    pub const EMPTY: Buffer = Buffer {
        ptr: std::ptr::null_mut(),
        len: 0,
    };
}

/// Writes the manifest JSON into `out`. Returns a `STATUS_*` code.
pub type ManifestFn = unsafe extern "C" fn(out: *mut Buffer) -> i32;

/// Scores one finding. `request` is UTF-8 JSON
/// `{"item": "<item id>", "inputs": {"<input id>": <number>, ...}}`; on
/// success `out` holds `{"points": <number>}`. Returns a `STATUS_*` code.
pub type ScoreFn =
    unsafe extern "C" fn(request: *const u8, request_len: usize, out: *mut Buffer) -> i32;

/// Frees a buffer this plugin wrote into an `out` parameter.
pub type FreeFn = unsafe extern "C" fn(buffer: Buffer);

/// The entry function: returns the plugin's table, valid for the life of
/// the process, or null.
pub type EntryFn = unsafe extern "C" fn() -> *const PluginTable;

/// The first two fields of every version of the table: the host reads only
/// these until it knows the version and size are ones it understands.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct TableHeader {
    /// Must equal [`ABI_VERSION`].
    pub abi_version: u32,
    /// `sizeof` the table as the plugin was compiled; at least
    /// `size_of::<PluginTable>()`.
    pub struct_size: u32,
}

/// What the entry function returns. Later ABI versions only append fields.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct PluginTable {
    /// Must equal [`ABI_VERSION`].
    pub abi_version: u32,
    /// `sizeof` this struct as the plugin was compiled.
    pub struct_size: u32,
    /// Required: writes the manifest JSON.
    pub manifest: Option<ManifestFn>,
    /// Required when the manifest has a computed rule; may be null otherwise.
    pub score: Option<ScoreFn>,
    /// Required: frees what `manifest` and `score` wrote.
    pub free_buffer: Option<FreeFn>,
}

impl PluginTable {
    /// The size a table of this ABI version has, as written into `struct_size`.
    pub const SIZE: u32 = {
        let size = std::mem::size_of::<PluginTable>();
        assert!(size <= u32::MAX as usize);
        size as u32
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::{offset_of, size_of};

    #[test]
    fn layout_is_the_documented_one() {
        let word = size_of::<usize>();
        assert_eq!(offset_of!(PluginTable, abi_version), 0);
        assert_eq!(offset_of!(PluginTable, struct_size), 4);
        assert_eq!(offset_of!(PluginTable, manifest), 8);
        assert_eq!(offset_of!(PluginTable, score), 8 + word);
        assert_eq!(offset_of!(PluginTable, free_buffer), 8 + 2 * word);
        assert_eq!(PluginTable::SIZE as usize, 8 + 3 * word);
        assert_eq!(size_of::<Buffer>(), 2 * word);
        assert_eq!(size_of::<TableHeader>(), 8);
    }

    #[test]
    fn entry_symbol_constants_agree() {
        assert_eq!(ENTRY_SYMBOL_NUL, format!("{ENTRY_SYMBOL}\0").as_bytes());
    }
}
