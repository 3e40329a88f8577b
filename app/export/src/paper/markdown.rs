//! A document as Markdown: for pasting into a report or a message, where
//! neither a web page nor a Word file fits.

use super::{Block, Paper};
use crate::error::ExportError;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

/// A table cell on one line, with the characters Markdown reads as table
/// syntax escaped.
fn cell(lines: &[String]) -> String {
    lines
        .join(" ")
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

/// Renders `paper` as Markdown.
pub fn render_markdown(paper: &Paper) -> String {
    let mut out = String::new();
    for block in &paper.blocks {
        // Writing to a String cannot fail.
        let _ = match block {
            Block::Title { text } => writeln!(out, "# {text}\n"),
            Block::Heading { text } => writeln!(out, "## {text}\n"),
            Block::Para { text } | Block::Flush { text } => writeln!(out, "{text}\n"),
            Block::Right { text } => writeln!(out, "<p align=\"right\">{text}</p>\n"),
            Block::Remark { text } => writeln!(out, "*{text}*\n"),
            Block::Code { lines } => writeln!(out, "```\n{}\n```\n", lines.join("\n")),
            Block::Fields { rows } => {
                let mut text = String::new();
                for (label, value) in rows {
                    let _ = writeln!(text, "- **{label}**: {value}");
                }
                writeln!(out, "{text}")
            }
            Block::Table { headers, rows, .. } => {
                let mut text = format!("| {} |\n", headers.join(" | "));
                let _ = writeln!(text, "|{}", "---|".repeat(headers.len()));
                for row in rows {
                    let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
                    let _ = writeln!(text, "| {} |", cells.join(" | "));
                }
                writeln!(out, "{text}")
            }
            Block::Masthead { issuer, number } => {
                writeln!(out, "**{issuer}**\n\n{number}\n\n---\n")
            }
            Block::Colophon {
                copies,
                printer,
                printed,
            } => {
                let copies = copies
                    .as_deref()
                    .map(|c| format!("{c}\n\n"))
                    .unwrap_or_default();
                writeln!(out, "---\n\n{copies}{printer}　{printed}\n")
            }
            Block::Signatures { lines } => writeln!(out, "{}\n", lines.join("\n\n")),
        };
    }
    out
}

/// Writes `paper` as Markdown to `out`, whole or not at all.
pub fn write_markdown(paper: &Paper, out: &Path) -> Result<(), ExportError> {
    crate::export::write_whole(out, |path| {
        let io_error = |source| ExportError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut file = std::fs::File::create(path).map_err(io_error)?;
        file.write_all(render_markdown(paper).as_bytes())
            .map_err(io_error)?;
        file.sync_all().map_err(io_error)
    })
}
