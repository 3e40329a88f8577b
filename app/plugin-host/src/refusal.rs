//! Why a plugin file was not loaded: one line each, naming the bad value.

use std::path::PathBuf;
use thiserror::Error;

/// The reason a plugin was refused. `Display` gives the one-line reason
/// shown by `anfang plugins list` and the Plugins screen.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Refusal {
    /// The file could not be read.
    #[error("cannot read the file: {0}")]
    Unreadable(String),
    /// The file or its folder can be changed by other users, so what was
    /// trusted today may not be what loads tomorrow.
    #[error("{what} {path} is writable by group or others (mode {mode:04o})")]
    WritableByOthers {
        /// `file` or `folder`.
        what: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// A user-folder plugin whose SHA-256 is not on the trust list.
    #[error(
        "not trusted: SHA-256 {sha256} is not on the trust list (run: anfang plugins trust FILE)"
    )]
    Untrusted {
        /// The file's SHA-256, lowercase hex.
        sha256: String,
    },
    /// The trust list itself is unsafe to believe.
    #[error("not trusted: the trust list is ignored because {0}")]
    TrustListUnsafe(String),
    /// The file is larger than any plugin may be.
    #[error("the file is {bytes} bytes, more than the {max} a plugin may be", max = crate::static_check::MAX_PLUGIN_BYTES)]
    TooLarge {
        /// Its size.
        bytes: u64,
    },
    /// The sandbox plugin code runs in cannot be set up here, so the plugin
    /// is not run at all.
    #[error("the plugin sandbox is unavailable: {0}")]
    Sandbox(String),
    /// The plugin's child process could not be started or died opening it.
    #[error("the plugin's process failed: {0}")]
    Worker(String),
    /// A user plugin claims the id of a plugin installed beside the program.
    #[error(
        "plugin id '{id}' belongs to the installed plugin {installed}: a user plugin may not take it"
    )]
    ClaimsInstalledId {
        /// The id.
        id: String,
        /// The installed plugin's file.
        installed: String,
    },
    /// The bytes are not a shared library of this platform.
    #[error("not a shared library: {0}")]
    NotSharedLibrary(String),
    /// The dynamic loader refused the file.
    #[error("the dynamic loader refused it: {0}")]
    LoadFailed(String),
    /// The library exports no entry function.
    #[error("entry symbol {symbol} missing", symbol = anfang_plugin_api::ENTRY_SYMBOL)]
    EntryMissing,
    /// The entry function returned a null table.
    #[error("entry function returned no table (null)")]
    NoTable,
    /// The table speaks another ABI version.
    #[error("unsupported ABI version {found} (this anfang speaks {supported})", supported = anfang_plugin_api::ABI_VERSION)]
    AbiVersion {
        /// The version the plugin claims.
        found: u32,
    },
    /// The table is smaller than this ABI version's.
    #[error("plugin table is {found} bytes, ABI {version} needs at least {needed}", version = anfang_plugin_api::ABI_VERSION, needed = anfang_plugin_api::PluginTable::SIZE)]
    StructTooSmall {
        /// The size the plugin claims.
        found: u32,
    },
    /// A required function pointer is null.
    #[error("the table's {0} function is missing (null)")]
    MissingFunction(&'static str),
    /// The manifest function panicked, failed or answered nonsense.
    #[error("manifest function {0}")]
    ManifestCall(String),
    /// The manifest bytes are not UTF-8.
    #[error("manifest is not UTF-8 (invalid byte at offset {offset})")]
    ManifestNotUtf8 {
        /// Offset of the first invalid byte.
        offset: usize,
    },
    /// The manifest is not JSON.
    #[error("manifest is not JSON: {0}")]
    ManifestNotJson(String),
    /// The manifest fails `schemas/checklist.schema.json`.
    #[error("manifest fails the schema: {0}")]
    ManifestSchema(String),
    /// The manifest is well-formed but inconsistent (duplicate ids, bad rules).
    #[error("manifest is inconsistent: {0}")]
    ManifestInconsistent(String),
    /// A computed rule with no score function to compute it.
    #[error("item '{item}' has a computed rule but the plugin has no score function")]
    NoScoreFunction {
        /// The computed item.
        item: String,
    },
    /// Another plugin (or the core) already uses this plugin id.
    #[error("duplicate plugin id '{id}': already loaded from {first}")]
    DuplicatePluginId {
        /// The id.
        id: String,
        /// Where the first one came from (`built in` for the core).
        first: String,
    },
    /// Another plugin (or the core) already has an item with this id.
    #[error("duplicate item id '{item}': already defined by plugin '{plugin}'")]
    DuplicateItemId {
        /// The item id.
        item: String,
        /// The plugin that has it first.
        plugin: String,
    },
}

/// Squeezes `text` onto one line of at most `max` characters.
pub(crate) fn one_line(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let mut cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_single_lines_naming_the_value() {
        let reason = Refusal::AbiVersion { found: 7 }.to_string();
        assert_eq!(reason, "unsupported ABI version 7 (this anfang speaks 1)");
        let reason = Refusal::WritableByOthers {
            what: "file",
            path: "/x/libp.so".into(),
            mode: 0o666,
        }
        .to_string();
        assert_eq!(
            reason,
            "file /x/libp.so is writable by group or others (mode 0666)"
        );
    }

    #[test]
    fn one_line_flattens_and_truncates() {
        assert_eq!(one_line("a\n  b\tc", 10), "a b c");
        assert_eq!(one_line("abcdefghij", 5), "abcd…");
    }
}
