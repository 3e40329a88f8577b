//! What parent and child say to each other over the child's stdin and
//! stdout: length-prefixed frames, a one-byte tag then the payload.
//!
//! Parent → child: first the plugin's bytes, then requests (`MANIFEST`, or
//! `SCORE` with the request JSON). Child → parent: `READY` (with whether
//! the table has a score function) or `REFUSED` (a [`WireRefusal`] as
//! JSON), then one answer per request.

use crate::library::CallFailure;
use crate::refusal::Refusal;
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};

/// Request: the manifest.
pub(crate) const MANIFEST: u8 = 1;
/// Request: a score call; payload is the request JSON.
pub(crate) const SCORE: u8 = 2;
/// Answer: the library opened; payload: `1` when it has a score function
/// (else `0`), then the sandbox's description in UTF-8.
pub(crate) const READY: u8 = 10;
/// Answer: the library was refused; payload is a JSON [`WireRefusal`].
pub(crate) const REFUSED: u8 = 11;
/// Answer: the call returned `ANFANG_OK` with these bytes.
pub(crate) const OK: u8 = 12;
/// Answer: the call returned `ANFANG_ERROR` with this message.
pub(crate) const FAILED: u8 = 13;
/// Answer: the call reported a caught panic with this message.
pub(crate) const PANICKED: u8 = 14;
/// Answer: the call answered something malformed; payload says what.
pub(crate) const GARBAGE: u8 = 15;
/// The plugin's own bytes (the first frame).
pub(crate) const PLUGIN: u8 = 20;

/// Largest frame either side accepts: the largest plugin file.
pub(crate) const MAX_FRAME: usize = crate::static_check::MAX_PLUGIN_BYTES + 16;

/// Writes one frame.
pub(crate) fn write_frame(out: &mut impl Write, tag: u8, payload: &[u8]) -> std::io::Result<()> {
    let len = u32::try_from(payload.len())
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, "frame too large"))?;
    let mut head = [0u8; 5];
    head[0] = tag;
    head[1..].copy_from_slice(&len.to_le_bytes());
    out.write_all(&head)?;
    out.write_all(payload)?;
    out.flush()
}

/// Reads one frame; `Ok(None)` at a clean end of stream.
pub(crate) fn read_frame(input: &mut impl Read) -> std::io::Result<Option<(u8, Vec<u8>)>> {
    let mut head = [0u8; 5];
    match input.read_exact(&mut head) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let len = u32::from_le_bytes([head[1], head[2], head[3], head[4]]) as usize;
    if len > MAX_FRAME {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("a frame of {len} bytes, more than the {MAX_FRAME} accepted"),
        ));
    }
    let mut payload = vec![0u8; len];
    input.read_exact(&mut payload)?;
    Ok(Some((head[0], payload)))
}

/// The answer frame for a call's outcome.
pub(crate) fn answer_frame(outcome: Result<Vec<u8>, CallFailure>) -> (u8, Vec<u8>) {
    match outcome {
        Ok(bytes) => (OK, bytes),
        Err(CallFailure::Failed(message)) => (FAILED, message.into_bytes()),
        Err(CallFailure::Panicked(message)) => (PANICKED, message.into_bytes()),
        Err(CallFailure::Garbage(detail)) => (GARBAGE, detail.into_bytes()),
        // The child never produces these; they describe the child.
        Err(other) => (GARBAGE, other.to_string().into_bytes()),
    }
}

/// A call's outcome from an answer frame.
pub(crate) fn read_answer(tag: u8, payload: Vec<u8>) -> Result<Vec<u8>, CallFailure> {
    let text = || String::from_utf8_lossy(&payload).into_owned();
    match tag {
        OK => Ok(payload),
        FAILED => Err(CallFailure::Failed(text())),
        PANICKED => Err(CallFailure::Panicked(text())),
        GARBAGE => Err(CallFailure::Garbage(text())),
        other => Err(CallFailure::Garbage(format!(
            "the plugin's process answered with unknown frame {other}"
        ))),
    }
}

/// The refusals the child can report, in a form that crosses the pipe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum WireRefusal {
    /// See [`Refusal::NotSharedLibrary`].
    NotSharedLibrary(String),
    /// See [`Refusal::LoadFailed`].
    LoadFailed(String),
    /// See [`Refusal::EntryMissing`].
    EntryMissing,
    /// See [`Refusal::NoTable`].
    NoTable,
    /// See [`Refusal::AbiVersion`].
    AbiVersion(u32),
    /// See [`Refusal::StructTooSmall`].
    StructTooSmall(u32),
    /// See [`Refusal::MissingFunction`].
    MissingFunction(String),
    /// See [`Refusal::Sandbox`].
    Sandbox(String),
}

impl WireRefusal {
    /// The child's side: a refusal to send.
    pub(crate) fn from_refusal(refusal: &Refusal) -> WireRefusal {
        match refusal {
            Refusal::NotSharedLibrary(s) => WireRefusal::NotSharedLibrary(s.clone()),
            Refusal::EntryMissing => WireRefusal::EntryMissing,
            Refusal::NoTable => WireRefusal::NoTable,
            Refusal::AbiVersion { found } => WireRefusal::AbiVersion(*found),
            Refusal::StructTooSmall { found } => WireRefusal::StructTooSmall(*found),
            Refusal::MissingFunction(f) => WireRefusal::MissingFunction((*f).to_owned()),
            Refusal::Sandbox(s) => WireRefusal::Sandbox(s.clone()),
            other => WireRefusal::LoadFailed(other.to_string()),
        }
    }

    /// The parent's side: the refusal it stands for.
    pub(crate) fn into_refusal(self) -> Refusal {
        match self {
            WireRefusal::NotSharedLibrary(s) => Refusal::NotSharedLibrary(s),
            WireRefusal::LoadFailed(s) => Refusal::LoadFailed(s),
            WireRefusal::EntryMissing => Refusal::EntryMissing,
            WireRefusal::NoTable => Refusal::NoTable,
            WireRefusal::AbiVersion(found) => Refusal::AbiVersion { found },
            WireRefusal::StructTooSmall(found) => Refusal::StructTooSmall { found },
            WireRefusal::MissingFunction(f) => Refusal::MissingFunction(match f.as_str() {
                "manifest" => "manifest",
                "score" => "score",
                _ => "free_buffer",
            }),
            WireRefusal::Sandbox(s) => Refusal::Sandbox(s),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn frames_round_trip_and_end_cleanly() {
        let mut pipe = Vec::new();
        write_frame(&mut pipe, SCORE, b"{\"item\":\"x\"}").unwrap();
        write_frame(&mut pipe, MANIFEST, b"").unwrap();
        let mut input = &pipe[..];
        assert_eq!(
            read_frame(&mut input).unwrap(),
            Some((SCORE, b"{\"item\":\"x\"}".to_vec()))
        );
        assert_eq!(
            read_frame(&mut input).unwrap(),
            Some((MANIFEST, Vec::new()))
        );
        assert_eq!(read_frame(&mut input).unwrap(), None);
    }

    #[test]
    fn an_oversized_frame_is_refused_before_allocating() {
        let mut pipe = vec![OK];
        pipe.extend_from_slice(&u32::MAX.to_le_bytes());
        let error = read_frame(&mut &pipe[..]).unwrap_err();
        assert!(error.to_string().contains("more than"), "{error}");
    }
}
