//! Tables of text cells, read one record at a time so that a file of a
//! million rows is never held whole: CSV (already decoded to UTF-8) with
//! the csv crate, XLSX with calamine's cell-by-cell reader.
//!
//! Row numbers are the spreadsheet's: the first record (the header) is
//! row 1, as Excel and WPS show it.

use super::dates::from_excel_serial;
use super::error::{RowProblem, said};
use anfang_core::label::Label;
use calamine::{DataRef, Reader, Xlsx};
use std::io::Read;
use std::path::Path;

/// Called with each record's row number and cells.
pub(crate) type OnRecord<'a> = dyn FnMut(u64, &[String]) -> Result<(), Label> + 'a;

/// Reads CSV records from UTF-8 text; a record that cannot be read goes
/// to `on_bad` (or is an `Err` when it is the header).
pub(crate) fn each_csv_record(
    text: impl Read,
    on_record: &mut OnRecord<'_>,
    on_bad: &mut dyn FnMut(RowProblem),
) -> Result<(), Label> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(text);
    let mut record = csv::StringRecord::new();
    let mut cells: Vec<String> = Vec::new();
    let mut row = 0u64;
    loop {
        row += 1;
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                cells.clear();
                cells.extend(record.iter().map(str::to_owned));
                on_record(row, &cells)?;
            }
            Err(e) if row == 1 => {
                return Err(said(
                    format!("无法读取表头行：{e}"),
                    format!("the header row cannot be read: {e}"),
                ));
            }
            // An I/O error ends the file; a bad record is one bad row.
            Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => {
                return Err(said(
                    format!("读取中断：{e}"),
                    format!("reading stopped: {e}"),
                ));
            }
            Err(e) => on_bad(RowProblem {
                row,
                reason: said(format!("无法读取：{e}"), format!("unreadable: {e}")),
            }),
        }
    }
}

/// Reads the records of one sheet of an XLSX workbook: `sheet` by name,
/// or the first. Rows with no cell are skipped; dates come as
/// `2026-11-09 09:10:00` in the sheet's local time.
pub(crate) fn each_xlsx_record(
    path: &Path,
    sheet: Option<&str>,
    on_record: &mut OnRecord<'_>,
) -> Result<(), Label> {
    let unreadable = |e: calamine::XlsxError| {
        said(
            format!("无法作为 XLSX 工作簿读取：{e}"),
            format!("cannot be read as an XLSX workbook: {e}"),
        )
    };
    let mut book: Xlsx<_> = calamine::open_workbook(path).map_err(unreadable)?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.trim() == wanted.trim())
            .cloned()
            .ok_or_else(|| {
                said(
                    format!("没有名为'{wanted}'的工作表（有：{}）", names.join("、")),
                    format!(
                        "no sheet named '{wanted}' (there are: {})",
                        names.join(", ")
                    ),
                )
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| said("工作簿中没有工作表", "the workbook has no sheet"))?,
    };
    let mut cells_reader = book.worksheet_cells_reader(&name).map_err(unreadable)?;
    let mut cells: Vec<String> = Vec::new();
    let mut current: Option<u32> = None;
    while let Some(cell) = cells_reader.next_cell().map_err(unreadable)? {
        let (row, col) = cell.get_position();
        if current != Some(row) {
            if let Some(done) = current {
                on_record(u64::from(done) + 1, &cells)?;
            }
            cells.clear();
            current = Some(row);
        }
        let col = col as usize;
        if cells.len() <= col {
            cells.resize(col + 1, String::new());
        }
        cells[col] = text_of(cell.get_value());
    }
    if let Some(done) = current {
        on_record(u64::from(done) + 1, &cells)?;
    }
    Ok(())
}

/// A cell's value as the text a CSV would hold.
fn text_of(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Empty => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Int(n) => n.to_string(),
        // Whole numbers typed in a cell are stored as floats.
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(dt) => match from_excel_serial(dt.as_f64()) {
            Some(local) => local.strftime("%Y-%m-%d %H:%M:%S").to_string(),
            None => dt.as_f64().to_string(),
        },
        DataRef::Error(e) => format!("#{e:?}"),
    }
}
