//! What [`declare_plugin!`](crate::declare_plugin) expands to call. Not part
//! of the public API: the macro is.
//!
//! Every function here catches panics: since Rust 1.81 a panic unwinding
//! out of an `extern "C"` function aborts the process, and the host must
//! survive a faulty plugin.

use crate::abi::{Buffer, STATUS_ERROR, STATUS_OK, STATUS_PANIC};
use crate::request::ScoreRequest;
use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

thread_local! {
    /// The message of the last panic on this thread, kept by the hook so
    /// the host gets "panicked at src/lib.rs:12: ..." instead of nothing.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

static QUIET_HOOK: Once = Once::new();

/// A cdylib carries its own copy of std, so this hook sees only the
/// plugin's panics. It keeps them off the host's terminal (the TUI owns it)
/// and hands the message to the host instead.
fn install_quiet_hook() {
    QUIET_HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let message = info.to_string().replace('\n', " ");
            let _ = LAST_PANIC.try_with(|slot| {
                if let Ok(mut slot) = slot.try_borrow_mut() {
                    *slot = Some(message);
                }
            });
        }));
    });
}

fn take_panic_message() -> String {
    LAST_PANIC
        .try_with(|slot| slot.try_borrow_mut().ok().and_then(|mut s| s.take()))
        .ok()
        .flatten()
        .unwrap_or_else(|| "panicked".to_owned())
}

/// Hands `bytes` to the host through `out`.
///
/// # Safety
/// `out` must be null or valid for writing one [`Buffer`].
unsafe fn write_out(out: *mut Buffer, bytes: Vec<u8>) -> bool {
    if out.is_null() {
        return false;
    }
    let boxed: Box<[u8]> = bytes.into_boxed_slice();
    let len = boxed.len();
    let ptr = Box::into_raw(boxed).cast::<u8>();
    // SAFETY: the caller guarantees `out` is valid for one write.
    unsafe { out.write(Buffer { ptr, len }) };
    true
}

/// Runs `body` with panics caught, writing its answer or error into `out`.
///
/// # Safety
/// `out` must be null or valid for writing one [`Buffer`].
unsafe fn answer(out: *mut Buffer, body: impl FnOnce() -> Result<Vec<u8>, String>) -> i32 {
    install_quiet_hook();
    let (status, bytes) = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(bytes)) => (STATUS_OK, bytes),
        Ok(Err(message)) => (STATUS_ERROR, message.into_bytes()),
        Err(_) => (STATUS_PANIC, take_panic_message().into_bytes()),
    };
    // Writing cannot panic short of allocation failure, which aborts anyway.
    // SAFETY: passed on from the caller.
    if unsafe { write_out(out, bytes) } {
        status
    } else {
        STATUS_ERROR
    }
}

/// The body of a plugin's `manifest` function.
///
/// # Safety
/// `out` must be null or valid for writing one [`Buffer`].
pub unsafe fn answer_manifest<M: AsRef<str>>(
    out: *mut Buffer,
    manifest: impl FnOnce() -> M,
) -> i32 {
    // SAFETY: passed on from the caller.
    unsafe { answer(out, || Ok(manifest().as_ref().as_bytes().to_vec())) }
}

/// The body of a plugin's `score` function.
///
/// # Safety
/// `request` must be null or valid for reading `request_len` bytes; `out`
/// must be null or valid for writing one [`Buffer`].
pub unsafe fn answer_score(
    request: *const u8,
    request_len: usize,
    out: *mut Buffer,
    score: impl FnOnce(&ScoreRequest) -> Result<f64, String>,
) -> i32 {
    let bytes: &[u8] = if request.is_null() || request_len == 0 {
        &[]
    } else {
        // SAFETY: the caller guarantees `request_len` readable bytes.
        unsafe { std::slice::from_raw_parts(request, request_len) }
    };
    let body = || {
        let request = ScoreRequest::from_json(bytes)?;
        let points = score(&request)?;
        if !points.is_finite() {
            return Err(format!(
                "score for item '{}' is not a finite number",
                request.item
            ));
        }
        Ok(serde_json::json!({ "points": points })
            .to_string()
            .into_bytes())
    };
    // SAFETY: passed on from the caller.
    unsafe { answer(out, body) }
}

/// A plugin's `free_buffer` function: frees what [`answer`] handed out.
///
/// # Safety
/// `buffer` must be one this module wrote, freed once.
pub unsafe extern "C" fn free_buffer(buffer: Buffer) {
    if buffer.ptr.is_null() {
        return;
    }
    let slice = std::ptr::slice_from_raw_parts_mut(buffer.ptr, buffer.len);
    // SAFETY: `ptr`/`len` came from `Box::<[u8]>::into_raw` in `write_out`.
    drop(unsafe { Box::from_raw(slice) });
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn take(buffer: Buffer) -> Vec<u8> {
        let bytes = unsafe { std::slice::from_raw_parts(buffer.ptr, buffer.len) }.to_vec();
        unsafe { free_buffer(buffer) };
        bytes
    }

    #[test]
    fn manifest_is_copied_out() {
        let mut out = Buffer::EMPTY;
        let status = unsafe { answer_manifest(&mut out, || "{\"id\":\"x\"}") };
        assert_eq!(status, STATUS_OK);
        assert_eq!(take(out), b"{\"id\":\"x\"}");
    }

    #[test]
    fn panics_become_a_status_with_the_message() {
        let mut out = Buffer::EMPTY;
        let request = br#"{"item":"a","inputs":{}}"#;
        let status = unsafe {
            answer_score(request.as_ptr(), request.len(), &mut out, |_| {
                panic!("boom")
            })
        };
        assert_eq!(status, STATUS_PANIC);
        let message = String::from_utf8(take(out)).unwrap();
        assert!(message.contains("boom"), "{message}");
    }

    #[test]
    fn score_answers_points_or_error() {
        let request = br#"{"item":"a","inputs":{"n":4}}"#;
        let mut out = Buffer::EMPTY;
        let status = unsafe {
            answer_score(request.as_ptr(), request.len(), &mut out, |r| {
                Ok(r.integer("n")? as f64 / 2.0)
            })
        };
        assert_eq!(status, STATUS_OK);
        assert_eq!(take(out), br#"{"points":2.0}"#);

        let mut out = Buffer::EMPTY;
        let status =
            unsafe { answer_score(request.as_ptr(), request.len(), &mut out, |_| Ok(f64::NAN)) };
        assert_eq!(status, STATUS_ERROR);
        assert!(
            String::from_utf8(take(out))
                .unwrap()
                .contains("not a finite number")
        );
    }

    #[test]
    fn null_out_is_an_error_not_a_crash() {
        let status = unsafe { answer_manifest(std::ptr::null_mut(), || "{}") };
        assert_eq!(status, STATUS_ERROR);
    }
}
