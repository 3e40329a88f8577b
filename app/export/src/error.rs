//! What can go wrong while exporting.

use std::path::PathBuf;
use thiserror::Error;

/// An export failed; the message names the bad value or file.
#[derive(Debug, Error)]
pub enum ExportError {
    /// An option's value is not usable.
    #[error("{0}")]
    BadOption(String),
    /// The folder the export should go into is not there.
    #[error("folder {0} does not exist")]
    NoFolder(PathBuf),
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Writing the output stream failed.
    #[error("writing the export: {0}")]
    Write(#[from] std::io::Error),
    /// The CSV writer failed.
    #[error("writing CSV: {0}")]
    Csv(#[from] csv::Error),
    /// The XLSX writer failed.
    #[error("writing XLSX: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// A bulletin template failed to render.
    #[error("rendering the bulletin: {0}")]
    Template(#[from] minijinja::Error),
    /// Packing the DOCX failed.
    #[error("writing DOCX: {0}")]
    Zip(#[from] zip::result::ZipError),
    /// Writing JSON failed.
    #[error("writing JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The ledger could not answer.
    #[error(transparent)]
    Ledger(#[from] anfang_ledger::LedgerError),
}
