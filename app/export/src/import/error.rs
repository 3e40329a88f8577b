//! What can go wrong while importing, file-wide or row by row.

use anfang_core::label::Label;
use std::fmt;
use std::path::PathBuf;
use thiserror::Error;

/// One row that cannot be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// The row: in a CSV file the spreadsheet row (the header is row 1, the
    /// first finding row 2); in JSON the finding's position, from 1.
    pub row: u64,
    /// Why, naming the bad value, in both languages.
    pub reason: Label,
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {}: {}", self.row, self.reason.en)
    }
}

/// A reason in Chinese and English.
pub(crate) fn said(zh: impl Into<String>, en: impl Into<String>) -> Label {
    Label::new(zh, en)
}

/// An import failed; nothing was added to the ledger.
#[derive(Debug, Error)]
pub enum ImportError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file as a whole is not in the import format.
    #[error("{path}: {}", reason.en)]
    BadFile {
        /// The file.
        path: PathBuf,
        /// What is wrong, naming the bad value, in both languages.
        reason: Label,
    },
    /// Some rows are invalid and `--skip-invalid` was not given.
    #[error("{path}: {} of {rows} rows invalid, nothing imported (fix them, or pass --skip-invalid to import the rest)", problems.len())]
    Refused {
        /// The file.
        path: PathBuf,
        /// Rows read.
        rows: u64,
        /// Every invalid row.
        problems: Vec<RowProblem>,
    },
    /// The ledger could not answer or refused the events.
    #[error(transparent)]
    Ledger(#[from] anfang_ledger::LedgerError),
}
