//! CSV: one finding per row, headers in the chosen language, UTF-8 with a
//! byte-order mark so that Excel and WPS on Chinese Windows read it as UTF-8.
//! Text that a spreadsheet would run as a formula is quoted ([`guard`]).

use crate::cell::Cell;
use crate::columns::Column;
use crate::error::ExportError;
use crate::export::Job;
use crate::formula_guard::guard;
use std::io::Write;

/// The UTF-8 byte-order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Writes the findings of `job` as CSV.
pub(crate) fn write(job: &mut Job<'_>, out: &mut dyn Write) -> Result<(), ExportError> {
    out.write_all(BOM)?;
    let mut writer = csv::WriterBuilder::new()
        .buffer_capacity(1 << 16)
        .from_writer(out);
    let lang = job.options.lang;
    writer.write_record(Column::ALL.iter().map(|c| c.header().get(lang).to_owned()))?;
    let tz = job.options.tz.clone();
    let mut text = String::new();
    job.each_finding(&mut |row| {
        for column in Column::ALL {
            let cell = column.cell(row, lang, &tz);
            cell.write_text(&mut text);
            // Text only: numbers and times are never formulas.
            if matches!(cell, Cell::Text(_)) {
                writer.write_field(guard(&text).as_bytes())?;
            } else {
                writer.write_field(&text)?;
            }
        }
        writer.write_record(None::<&[u8]>)?;
        Ok(())
    })?;
    writer.flush()?;
    Ok(())
}
