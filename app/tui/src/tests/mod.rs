//! Tests across modules: every screen drawn in both languages at 80×24 and
//! 120×40 (insta snapshots), `update` driven purely, and the runtime
//! against a real ledger file in a temporary folder.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod export;
mod export_bulletin;
mod field;
mod fixtures;
mod merge;
mod runtime;
mod snapshots;
mod updates;
mod worker;
