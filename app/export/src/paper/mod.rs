//! Documents for the file, printed and signed: the record of a visit and
//! the rectification notice to a unit. Each is built as a list of blocks
//! (title, headings, paragraphs, tables, signature lines) and that one list
//! is rendered as a printable web page and as a Word document, so both say
//! the same words. The Word parts (styles, Chinese fonts) are the bulletin's.

mod markdown;
mod notice;
mod visit_record;
mod year_summary;

pub use markdown::{render_markdown, write_markdown};
pub use notice::notice;
pub use visit_record::visit_record;
pub use year_summary::{OutcomeCounts, YearRecords, year_summary};

use crate::bulletin::{core_part, write_package};
use crate::error::ExportError;
use crate::options::Format;
use serde::Serialize;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

const HTML: &str = include_str!("paper.html");
const DOCUMENT: &str = include_str!("document.xml");

/// The width of an A4 page's text in DOCX (twentieths of a point), between
/// the margins `document.xml` sets.
const TEXT_TWIPS: u32 = 11_906 - 1_588 - 1_474;

/// A document: its title and what it says, in order.
#[derive(Debug, Clone, Serialize)]
pub struct Paper {
    /// Language tag of the text (`zh-CN`, `en`).
    pub lang: &'static str,
    /// The title, also the document's property.
    pub title: String,
    /// Who issues it, the document's author property.
    pub issuer: String,
    /// The content.
    pub blocks: Vec<Block>,
    /// When it was made, the Word document's creation time.
    pub made: jiff::Timestamp,
}

/// One part of a document.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// The title, centred.
    Title {
        /// Its text.
        text: String,
    },
    /// A section heading.
    Heading {
        /// Its text.
        text: String,
    },
    /// A body paragraph.
    Para {
        /// Its text.
        text: String,
    },
    /// A paragraph without the first-line indent (the addressee, 主送).
    Flush {
        /// Its text.
        text: String,
    },
    /// A line set to the right (issuer, date).
    Right {
        /// Its text.
        text: String,
    },
    /// A small-print remark.
    Remark {
        /// Its text.
        text: String,
    },
    /// Lines to be typed as they are (commands).
    Code {
        /// The lines.
        lines: Vec<String>,
    },
    /// Label and value pairs.
    Fields {
        /// (label, value).
        rows: Vec<(String, String)>,
    },
    /// A table with a header repeated on each page.
    Table {
        /// Column titles.
        headers: Vec<String>,
        /// Relative widths, percent of the page's text width.
        widths: Vec<u32>,
        /// The same widths in twentieths of a point, for DOCX.
        twips: Vec<u32>,
        /// Columns set in a fixed-width font (hashes, ids).
        code: Vec<bool>,
        /// Cells, each a list of lines.
        rows: Vec<Vec<Vec<String>>>,
    },
    /// The 版头 of a 公文: the issuer's mark in red, the 文号 under it and
    /// the red line that closes the head.
    Masthead {
        /// 发文机关标志: the issuing office.
        issuer: String,
        /// 文号.
        number: String,
    },
    /// The 版记 at the end of a 公文: who gets copies (抄送), who prints it
    /// and when (印发机关, 印发日期), between rules.
    Colophon {
        /// The 抄送 line, when there is one.
        copies: Option<String>,
        /// 印发机关.
        printer: String,
        /// 印发日期 with its word (…印发).
        printed: String,
    },
    /// Lines to sign on.
    Signatures {
        /// One per signer.
        lines: Vec<String>,
    },
}

impl Block {
    /// A table: `columns` gives each column's title, width (percent) and
    /// whether it is set in a fixed-width font.
    pub fn table(columns: &[(String, u32, bool)], rows: Vec<Vec<Vec<String>>>) -> Block {
        let total: u32 = columns.iter().map(|c| c.1).sum::<u32>().max(1);
        Block::Table {
            headers: columns.iter().map(|c| c.0.clone()).collect(),
            widths: columns.iter().map(|c| c.1 * 100 / total).collect(),
            twips: columns.iter().map(|c| TEXT_TWIPS * c.1 / total).collect(),
            code: columns.iter().map(|c| c.2).collect(),
            rows,
        }
    }
}

/// Renders `paper` as an HTML page.
pub fn render_html(paper: &Paper) -> Result<String, ExportError> {
    let mut env = minijinja::Environment::new();
    // The name's extension turns on HTML escaping of every value.
    env.add_template("paper.html", HTML)?;
    Ok(env
        .get_template("paper.html")?
        .render(minijinja::Value::from(minijinja::value::Serde(paper)))?)
}

/// Renders `paper`'s `word/document.xml`.
pub fn render_docx_document(paper: &Paper) -> Result<String, ExportError> {
    let mut env = minijinja::Environment::new();
    env.add_template("document.xml", DOCUMENT)?;
    Ok(env
        .get_template("document.xml")?
        .render(minijinja::Value::from(minijinja::value::Serde(paper)))?)
}

/// Writes `paper` to `out` as HTML or DOCX. The file is written beside
/// `out` under a temporary name and renamed into place when complete.
pub fn write_paper(paper: &Paper, format: Format, out: &Path) -> Result<(), ExportError> {
    if !matches!(format, Format::Html | Format::Docx) {
        return Err(ExportError::BadOption(format!(
            "a record or notice is written as html or docx, not {}",
            format.name()
        )));
    }
    crate::export::write_whole(out, |path| {
        let io_error = |source| ExportError::Io {
            path: path.to_path_buf(),
            source,
        };
        let file = File::create(path).map_err(io_error)?;
        let mut writer = BufWriter::new(file);
        if format == Format::Html {
            writer.write_all(render_html(paper)?.as_bytes())?;
        } else {
            let document = render_docx_document(paper)?;
            let core = core_part(paper)?;
            write_package(&mut writer, &document, &core)?;
        }
        let file = writer.into_inner().map_err(|e| io_error(e.into_error()))?;
        file.sync_all().map_err(io_error)
    })
}
