//! The anfang domain, free of I/O: what a checklist, a rule, a finding, a
//! visit, a review decision and a score are, and the arithmetic between them.
//!
//! Every other crate speaks in these types. Storage (the ledger), plugins,
//! the TUI and exports convert to and from them at their own edges.

pub mod authority;
pub mod bulletin;
pub mod checklist_published;
pub mod core_checklists;
pub mod cross_unit;
pub mod event;
pub mod finding;
pub mod label;
pub mod manifest;
pub mod method;
pub mod office_deduction;
pub mod outcome;
pub mod period;
pub mod points;
pub mod register;
pub mod review;
pub mod review_state;
pub mod rule;
pub mod score;
pub mod tally;
pub mod unit_map;
pub mod unit_match;
pub mod visit;

pub use label::{Label, Lang};
pub use points::Points;
