//! One file per subcommand.

pub mod bundle;
pub mod checklists;
pub mod enroll;
pub mod export;
pub mod export_paper;
pub mod import;
pub mod merge;
pub mod office;
pub mod plugins;
pub mod rebuild;
pub mod review;
pub mod roster;
pub mod scores;
pub mod tui;
pub mod units;
pub mod verify;
pub mod year_report;
