//! anfang-plugin-host: finds department checklist plugins, decides whether
//! to trust them before any of their code runs, loads the bytes it hashed,
//! performs the ABI handshake, validates manifests and calls score
//! functions so that a faulty plugin costs one item's automatic pricing,
//! never the app. The only crate that touches libloading.

pub mod check;
mod error;
mod info;
mod library;
mod private_copy;
mod refusal;
mod registry;
mod score;
pub mod search;
pub mod trust;
pub mod validate;

pub use error::PluginError;
pub use info::{Origin, PluginInfo, PluginStatus};
pub use refusal::Refusal;
pub use registry::{HostConfig, Registry};
pub use search::SearchPath;
