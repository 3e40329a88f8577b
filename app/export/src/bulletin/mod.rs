//! The bulletin (通报) for a period as a 公文 an office can issue after
//! light editing (GB/T 9704's layout): the issuer's mark, 文号, title with
//! the period and the visit kinds, 主送, the problems unit by unit in prose
//! with the handling of each, the rectification summary with the overdue
//! items, requirements with a reporting date, 落款, and the 版记. It is
//! built as a [`crate::paper::Paper`], so the web page and the Word
//! document say the same words.

mod compose;
mod docx;
mod period;
mod tally;

pub(crate) use docx::{core_part, write_package};

use crate::error::ExportError;
use crate::export::Job;
use crate::paper::{Paper, render_docx_document, render_html};
use anfang_core::Lang;
use jiff::civil::Date;
use std::io::{Seek, Write};

/// A date as people write it: 2026年3月2日, 2 March 2026.
pub(crate) fn date_words(date: Date, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月{}日", date.year(), date.month(), date.day()),
        Lang::En => date.strftime("%-d %B %Y").to_string(),
    }
}

/// What a bulletin names for work-style problems: every unit whose
/// confirmed problems its prose tells, and the findings it tells of.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Named {
    /// (unit, department) as recorded, each once, heaviest first.
    pub units: Vec<(String, String)>,
    /// The findings its prose tells, unit by unit, in the order told.
    pub findings: Vec<uuid::Uuid>,
}

/// What the bulletin of `job` names, gathered exactly as its text is.
pub(crate) fn named(job: &mut Job<'_>) -> Result<Named, ExportError> {
    let tally = tally::Tally::gather(job)?;
    let mut named = Named::default();
    for (_, unit) in tally.units_by_points() {
        named.units.push(unit.key.clone());
        named.findings.extend(unit.facts.iter().map(|f| f.finding));
    }
    Ok(named)
}

/// Gathers the bulletin of `job`.
pub(crate) fn bulletin(job: &mut Job<'_>) -> Result<Paper, ExportError> {
    let tally = tally::Tally::gather(job)?;
    let scores = job.unit_scores()?;
    Ok(compose::compose(&tally, &scores, job.options))
}

/// Writes the bulletin of `job` as HTML.
pub(crate) fn write_html(job: &mut Job<'_>, out: &mut dyn Write) -> Result<(), ExportError> {
    let paper = bulletin(job)?;
    out.write_all(render_html(&paper)?.as_bytes())?;
    Ok(())
}

/// Writes the bulletin of `job` as DOCX.
pub(crate) fn write_docx<W: Write + Seek>(job: &mut Job<'_>, out: W) -> Result<(), ExportError> {
    let paper = bulletin(job)?;
    let document = render_docx_document(&paper)?;
    let core = core_part(&paper)?;
    write_package(out, &document, &core)
}
