//! anfang-plugin-host: finds department checklist plugins, decides whether
//! to trust them before any of their code runs, and runs each in a
//! sandboxed child process (Landlock + seccomp) that loads the bytes the
//! parent hashed, performs the ABI handshake and answers manifest and score
//! calls, so that a faulty plugin costs one item's automatic pricing, never
//! the app, and no plugin reaches the data folder or the device key. The
//! only crate that touches libloading.

pub mod check;
pub mod data;
mod error;
mod info;
mod lazy;
mod library;
pub mod manifest_cache;
mod private_copy;
mod refusal;
mod registry;
mod score;
pub mod search;
pub mod static_check;
pub mod trust;
pub mod validate;
pub mod worker;

pub use error::PluginError;
pub use info::{Origin, PluginInfo, PluginStatus};
pub use refusal::Refusal;
pub use registry::{Conflicts, HostConfig, Registry};
pub use search::SearchPath;
