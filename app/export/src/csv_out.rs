//! CSV: one finding per row, headers in the chosen language, UTF-8 with a
//! byte-order mark so that Excel and WPS on Chinese Windows read it as UTF-8.

use crate::columns::Column;
use crate::error::ExportError;
use crate::export::Job;
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
            column.cell(row, lang, &tz).write_text(&mut text);
            writer.write_field(&text)?;
        }
        writer.write_record(None::<&[u8]>)?;
        Ok(())
    })?;
    writer.flush()?;
    Ok(())
}
