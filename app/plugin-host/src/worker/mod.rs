//! Plugin code runs out of process: one sandboxed child per plugin, started
//! from a command the app provides (anfang re-runs itself as
//! `anfang plugin-worker`; the tests run the `anfang-plugin-worker`
//! program, the same function). A crash or a hang costs one call; the next
//! call starts a fresh child.

#[cfg(target_os = "linux")]
mod child;
mod process;
#[cfg(target_os = "linux")]
mod sandbox;
pub(crate) mod wire;

#[cfg(target_os = "linux")]
pub use child::child_main;
pub(crate) use process::{Asked, Launched, Worker};

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

/// The hidden subcommand anfang runs itself with to host one plugin.
pub const SUBCOMMAND: &str = "plugin-worker";

/// The child's private folder, the only one it may write (set by the parent).
pub const PRIVATE_DIR_ENV: &str = "ANFANG_PLUGIN_PRIVATE_DIR";

/// How to start a plugin's child process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerCommand {
    /// The program.
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<OsString>,
}

impl WorkerCommand {
    /// The running program itself with the hidden [`SUBCOMMAND`] (what the
    /// installed anfang uses), or `None` if the program cannot be found.
    pub fn this_program() -> Option<WorkerCommand> {
        std::env::current_exe().ok().map(|program| WorkerCommand {
            program,
            args: vec![SUBCOMMAND.into()],
        })
    }
}

/// Time limits of the calls into a plugin's child.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Starting the child, confining it and opening the library.
    pub start: Duration,
    /// One call (manifest or score).
    pub call: Duration,
}

impl Default for Limits {
    /// 10 s to start (a cold disk on an old laptop), 5 s per call: a score
    /// function adds a few numbers; an inspector waiting longer is stuck.
    fn default() -> Limits {
        Limits {
            start: Duration::from_secs(10),
            call: Duration::from_secs(5),
        }
    }
}
