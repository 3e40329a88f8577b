//! The anfang plugin ABI: what a department checklist plugin exports and how
//! the host calls it. Plain C, so a plugin can be written in C (see
//! `include/anfang_plugin.h`) as well as in Rust (see [`declare_plugin!`]).
//!
//! A plugin is a shared library exporting one symbol, [`ENTRY_SYMBOL`], a
//! function that returns a pointer to a static [`PluginTable`]. The host reads
//! `abi_version` and `struct_size` before it touches anything else, then asks
//! for the manifest and, for items with a computed rule, for scores. Data
//! crosses as UTF-8 JSON in (pointer, length) buffers; a buffer is freed by
//! the side that allocated it: the host frees nothing the plugin wrote except
//! through the plugin's own `free_buffer`.

mod abi;
mod declare;
mod request;

#[doc(hidden)]
pub mod __private;

pub use abi::{
    ABI_VERSION, Buffer, ENTRY_SYMBOL, ENTRY_SYMBOL_NUL, EntryFn, FreeFn, ManifestFn, PluginTable,
    STATUS_ERROR, STATUS_OK, STATUS_PANIC, ScoreFn, TableHeader,
};
pub use request::ScoreRequest;
/// Re-exported so plugin crates need not name serde_json themselves.
pub use serde_json;
