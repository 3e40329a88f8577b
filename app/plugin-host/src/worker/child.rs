//! The child's side: the process a plugin runs in. It takes the plugin's
//! bytes on stdin, confines itself, opens the library and answers calls
//! until its stdin closes. Nothing here runs in the interface's process.

use super::sandbox;
use super::wire::{self, MANIFEST, PLUGIN, READY, REFUSED, SCORE, WireRefusal};
use crate::library::{CallFailure, PluginLibrary};
use crate::refusal::Refusal;
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::process::ExitCode;

/// Runs the child: `anfang plugin-worker` and the `anfang-plugin-worker`
/// program both call only this. The private folder comes in
/// [`super::PRIVATE_DIR_ENV`].
pub fn child_main() -> ExitCode {
    let (input, output) = match private_pipes() {
        Ok(pipes) => pipes,
        Err(error) => {
            eprintln!("anfang plugin worker: cannot set up its pipes: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut input = BufReader::new(input);
    let mut output = BufWriter::new(output);
    match serve(&mut input, &mut output) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("anfang plugin worker: {error}");
            ExitCode::FAILURE
        }
    }
}

fn serve(input: &mut impl std::io::Read, output: &mut impl Write) -> std::io::Result<()> {
    let bytes = match wire::read_frame(input)? {
        Some((PLUGIN, bytes)) => bytes,
        _ => return Err(std::io::Error::other("no plugin bytes on stdin")),
    };
    let (library, confined) = match open(&bytes) {
        Ok(opened) => opened,
        Err(refusal) => {
            let json = serde_json::to_vec(&WireRefusal::from_refusal(&refusal))?;
            return wire::write_frame(output, REFUSED, &json);
        }
    };
    drop(bytes);
    let mut ready = vec![u8::from(library.has_score())];
    ready.extend_from_slice(confined.as_bytes());
    wire::write_frame(output, READY, &ready)?;
    while let Some((tag, payload)) = wire::read_frame(input)? {
        let outcome = match tag {
            MANIFEST => library.manifest_bytes(),
            SCORE => library.score_bytes(&payload),
            other => Err(CallFailure::Garbage(format!("unknown request {other}"))),
        };
        let (tag, payload) = wire::answer_frame(outcome);
        wire::write_frame(output, tag, &payload)?;
    }
    Ok(())
}

/// The private copy is made before the sandbox (a memfd needs no folder);
/// the library is opened only inside it.
fn open(bytes: &[u8]) -> Result<(PluginLibrary, String), Refusal> {
    let copy = PluginLibrary::prepare(bytes)?;
    let private = std::env::var_os(super::PRIVATE_DIR_ENV)
        .map(std::path::PathBuf::from)
        .filter(|p| p.is_absolute() && p.is_dir())
        .ok_or_else(|| Refusal::Sandbox("no private folder was given".to_owned()))?;
    std::env::set_current_dir(&private)
        .map_err(|e| Refusal::Sandbox(format!("cannot enter the private folder: {e}")))?;
    // SAFETY: getppid has no preconditions.
    let parent = unsafe { libc::getppid() };
    let confined = sandbox::enter(&private).map_err(Refusal::Sandbox)?;
    watch_parent(parent);
    Ok((PluginLibrary::open_copy(copy)?, confined))
}

/// Ends this process when the app is gone, even while a plugin call hangs.
/// (PR_SET_PDEATHSIG would fire when the parent's *thread* that started
/// this child ends, and the registry starts children from short-lived
/// threads.) Started inside the sandbox, so the thread is confined too.
fn watch_parent(parent: libc::pid_t) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(std::time::Duration::from_millis(500));
            // SAFETY: getppid has no preconditions.
            if unsafe { libc::getppid() } != parent {
                // SAFETY: _exit ends the process without running the
                // plugin's destructors.
                unsafe { libc::_exit(1) };
            }
        }
    });
}

/// Moves the protocol off stdin and stdout, so whatever the plugin reads or
/// prints cannot mix with it: stdin becomes /dev/null and stdout goes to
/// stderr (which the parent keeps the last lines of). Every other
/// inherited descriptor is closed: Landlock does not restrict files that
/// were already open.
fn private_pipes() -> std::io::Result<(File, File)> {
    // SAFETY: close_range on descriptors this process does not use; std
    // keeps none open above 2 at this point.
    unsafe { libc::syscall(libc::SYS_close_range, 3u32, u32::MAX, 0u32) };
    let input = duplicate(0)?;
    let output = duplicate(1)?;
    let null = File::open("/dev/null")?;
    // SAFETY: dup2 onto the standard descriptors, from descriptors we own.
    let moved = unsafe { libc::dup2(null.as_raw_fd(), 0) != -1 && libc::dup2(2, 1) != -1 };
    if !moved {
        return Err(std::io::Error::last_os_error());
    }
    Ok((File::from(input), File::from(output)))
}

fn duplicate(fd: i32) -> std::io::Result<OwnedFd> {
    // SAFETY: F_DUPFD_CLOEXEC on a standard descriptor returns a new one we own.
    let new = unsafe { libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 3) };
    if new < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: `new` is a fresh descriptor owned by nobody else.
    Ok(unsafe { OwnedFd::from_raw_fd(new) })
}
