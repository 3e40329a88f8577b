//! One file per subcommand.

pub mod bundle;
pub mod export;
pub mod import;
pub mod merge;
pub mod plugins;
pub mod rebuild;
pub mod scores;
pub mod tui;
pub mod verify;
