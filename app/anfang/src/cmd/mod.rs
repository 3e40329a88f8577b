//! One file per subcommand.

pub mod bulletin;
pub mod bundle;
pub mod checklists;
pub mod checklists_sync;
pub mod deduct;
pub mod deduct_review;
pub mod enroll;
pub mod export;
pub mod export_paper;
pub mod import;
pub mod merge;
pub mod method;
pub mod office;
pub mod plugins;
pub mod rebuild;
pub mod review;
pub mod review_history;
pub mod review_outcome;
pub mod roster;
pub mod scores;
pub mod tui;
pub mod units;
pub mod units_map;
pub mod verify;
pub mod year_report;
