//! The declare macro: a Rust plugin's whole contact with the ABI.

/// Exports a plugin's entry symbol and table, so a Rust author writes no
/// `unsafe` of their own.
///
/// `manifest` is any expression giving a `&str` or `String` of manifest JSON
/// (usually `include_str!("../manifest.json")`). `score`, needed when the
/// manifest has a computed rule, names a function
/// `fn(&ScoreRequest) -> Result<f64, String>`: the points for one finding,
/// or a message saying why they cannot be computed (the inspector then
/// enters the points by hand). Panics in either are caught and reported to
/// the host as errors.
///
/// ```ignore
/// use anfang_plugin_api::ScoreRequest;
///
/// anfang_plugin_api::declare_plugin! {
///     manifest: include_str!("../manifest.json"),
///     score: score,
/// }
///
/// fn score(request: &ScoreRequest) -> Result<f64, String> {
///     Ok(request.integer("items_not_moved")? as f64 * 2.0)
/// }
/// ```
#[macro_export]
macro_rules! declare_plugin {
    (manifest: $manifest:expr $(,)?) => {
        $crate::declare_plugin!(@table $manifest, ::core::option::Option::None);
    };
    (manifest: $manifest:expr, score: $score:path $(,)?) => {
        $crate::declare_plugin!(@table $manifest, ::core::option::Option::Some({
            unsafe extern "C" fn __anfang_score(
                request: *const u8,
                request_len: usize,
                out: *mut $crate::Buffer,
            ) -> i32 {
                // SAFETY: the host passes `request_len` readable bytes and a
                // writable `out`, as the ABI requires.
                unsafe { $crate::__private::answer_score(request, request_len, out, $score) }
            }
            __anfang_score as $crate::ScoreFn
        }));
    };
    (@table $manifest:expr, $score:expr) => {
        /// The plugin's entry point: returns its ABI table.
        #[unsafe(no_mangle)]
        pub extern "C" fn anfang_plugin_entry() -> *const $crate::PluginTable {
            unsafe extern "C" fn __anfang_manifest(out: *mut $crate::Buffer) -> i32 {
                // SAFETY: the host passes a writable `out`, as the ABI requires.
                unsafe { $crate::__private::answer_manifest(out, || $manifest) }
            }
            static TABLE: $crate::PluginTable = $crate::PluginTable {
                abi_version: $crate::ABI_VERSION,
                struct_size: $crate::PluginTable::SIZE,
                manifest: ::core::option::Option::Some(__anfang_manifest),
                score: $score,
                free_buffer: ::core::option::Option::Some($crate::__private::free_buffer),
            };
            &TABLE
        }
    };
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::{Buffer, STATUS_OK, STATUS_PANIC, ScoreRequest};

    mod with_score {
        use super::*;
        declare_plugin! {
            manifest: String::from("{\"id\":\"t\"}"),
            score: score,
        }
        fn score(request: &ScoreRequest) -> Result<f64, String> {
            if request.item == "boom" {
                panic!("asked to explode");
            }
            Ok(request.integer("n")? as f64)
        }
    }

    fn call_score(table: &crate::PluginTable, request: &[u8]) -> (i32, String) {
        let mut out = Buffer::EMPTY;
        let score = table.score.unwrap();
        let status = unsafe { score(request.as_ptr(), request.len(), &mut out) };
        let text = unsafe { std::slice::from_raw_parts(out.ptr, out.len) };
        let text = String::from_utf8(text.to_vec()).unwrap();
        unsafe { table.free_buffer.unwrap()(out) };
        (status, text)
    }

    #[test]
    fn the_macro_builds_a_complete_table() {
        let table = unsafe { &*with_score::anfang_plugin_entry() };
        assert_eq!(table.abi_version, crate::ABI_VERSION);
        assert_eq!(table.struct_size, crate::PluginTable::SIZE);
        let mut out = Buffer::EMPTY;
        let status = unsafe { table.manifest.unwrap()(&mut out) };
        assert_eq!(status, STATUS_OK);
        unsafe { table.free_buffer.unwrap()(out) };

        let (status, text) = call_score(table, br#"{"item":"a","inputs":{"n":7}}"#);
        assert_eq!((status, text.as_str()), (STATUS_OK, r#"{"points":7.0}"#));
        let (status, text) = call_score(table, br#"{"item":"boom","inputs":{}}"#);
        assert_eq!(status, STATUS_PANIC);
        assert!(text.contains("asked to explode"), "{text}");
    }
}
