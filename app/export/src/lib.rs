//! Exports of findings to the office (CSV, XLSX, JSON, and a bulletin
//! draft as HTML and DOCX) and imports of findings reported outside the app.
//!
//! The core does not know the command line: [`export()`] takes any
//! [`ExportSource`] (the ledger, through [`LedgerSource`], or rows in memory),
//! [`ExportOptions`], a [`Format`], an output path and a progress callback.
//! Rows stream from the source to the file; nothing holds every finding.
//!
//! [`import::import_file`] checks a CSV or JSON file of findings reported
//! outside the app and appends them to the ledger, or refuses it naming
//! every bad row.

mod anonymize;
pub mod bulletin;
mod cell;
mod columns;
mod csv_out;
mod error;
mod export;
mod formula_guard;
pub mod import;
mod json_out;
mod ledger_source;
mod office_docs;
mod options;
pub mod paper;
mod row;
mod scoreboard;
mod source;
mod xlsx_out;
mod xlsx_page;

pub use anonymize::{KEY_FILE as PSEUDONYM_KEY_FILE, PseudonymKey, Pseudonyms};
pub use cell::{Cell, display_width};
pub use columns::Column;
pub use csv_out::BOM;
pub use error::ExportError;
pub use export::{ExportSummary, bulletin_named, export};
pub use formula_guard::{guard, is_formula_like, unguard};
pub use json_out::{FORMAT_NAME, FORMAT_VERSION};
pub use ledger_source::LedgerSource;
pub use office_docs::BadOfficeDoc;
pub use options::{ExportOptions, Filter, Format, OfficeDocs, XLSX_MAX_ROWS};
pub use row::{ExportRow, RectificationRow, UnitScore, VisitRow};
pub use scoreboard::{Scoreboard, rank};
pub use source::{Each, ExportSource, MemorySource};
