//! XLSX: findings, scores and ranking, deductions by item, rectifications.
//!
//! Every sheet streams in constant memory (rows go to a temporary file
//! beside the output as they are written); a sheet that reaches Excel's
//! 1,048,576 rows continues on a next sheet with the same header. Widths
//! come from display width (a Chinese character is two columns), measured
//! while streaming and set when a sheet is finished. Text that starts like a
//! formula is written as text with Excel's quote prefix, never as a formula.
//!
//! Each sheet is also a printout (see `xlsx_page`): a title line above the
//! header, an autofilter on the header, text longer than its column wrapped.
//! The findings sheet lists violations only unless compliant rows are asked for.

use crate::cell::{Cell, display_width};
use crate::columns::Column;
use crate::error::ExportError;
use crate::export::Job;
use crate::formula_guard::is_formula_like;
use crate::options::XLSX_MAX_ROWS;
use crate::row::{RectificationRow, UnitScore};
use crate::xlsx_page::{HEADER_ROW, Rows, TITLE_ROWS, set_up_printing, title_line};
use anfang_core::{Label, Lang};
use jiff::tz::TimeZone;
use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatBorder, Workbook, XlsxError};
use std::borrow::Cow;
use std::path::Path;

/// Characters a cell holds.
const CELL_MAX_CHARS: usize = 32_767;

/// Height of one line of wrapped text, in points (CJK text at 11 points).
const LINE_HEIGHT: f64 = 15.0;

/// Most lines a row is made tall enough for (Excel's limit is 409 points).
const MAX_LINES: u16 = 27;

/// Lines `text` takes in a column `width` narrow characters wide.
fn wrapped_lines(text: &str, width: usize) -> usize {
    // A column's width counts the digit 0 of the default font; CJK text
    // takes a little less than two of those per character.
    let usable = width.max(1);
    text.split('\n')
        .map(|line| display_width(line).div_ceil(usable).max(1))
        .sum()
}

/// Writes the workbook of `job` to `path`.
pub(crate) fn write(job: &mut Job<'_>, path: &Path) -> Result<(), ExportError> {
    let rows_per_sheet = job.options.rows_per_sheet.clamp(2, XLSX_MAX_ROWS);
    let lang = job.options.lang;
    let tz = job.options.tz.clone();
    let mut workbook = Workbook::new();
    // Temporary row files go beside the output, not to a /tmp that may live in memory.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        workbook.set_tempdir(dir)?;
    }
    let styles = Styles::new();

    let headers: Vec<Label> = Column::ALL.iter().map(|c| c.header()).collect();
    let limits: Vec<usize> = Column::ALL.iter().map(|c| c.max_width()).collect();
    let name = sheet_name(lang, "问题清单", "Findings");
    let title = title_line(job.options, &name, Rows::Findings);
    let mut sheet = Sheet::start(
        &mut workbook,
        &styles,
        Titles { name, title, lang },
        &headers,
        limits,
        rows_per_sheet,
    )?
    .print_columns(Column::ALL.iter().take_while(|c| c.printed()).count());
    job.violations_only = !job.options.include_compliant;
    job.each_finding(&mut |row| {
        let cells: Vec<Cell<'_>> = Column::ALL.iter().map(|c| c.cell(row, lang, &tz)).collect();
        sheet
            .push(&mut workbook, &styles, &cells)
            .map_err(ExportError::from)
    })?;
    sheet.finish(&mut workbook)?;
    job.violations_only = false;

    let scores = job.unit_scores()?;
    let method = job.source.method()?;
    let titled = |zh: &str, en: &str| {
        let name = sheet_name(lang, zh, en);
        let title = title_line(job.options, &name, Rows::Other);
        Titles { name, title, lang }
    };
    let mut scores_titles = titled("得分排名", "Scores and ranking");
    // The scores sheet names the method and its rounding, as the Scores screen does.
    scores_titles.title = format!(
        "{} | {} {}",
        scores_titles.title,
        method.citation.get(lang),
        method.rounding.get(lang)
    );
    write_scores(
        &mut workbook,
        &styles,
        scores_titles,
        &scores,
        rows_per_sheet,
    )?;
    write_deductions(
        &mut workbook,
        &styles,
        titled("扣分明细", "Deductions by item"),
        &scores,
        rows_per_sheet,
    )?;

    let today = job.options.today;
    let warn = job.options.deadline_warning_days;
    let (headers, limits) = rectification_columns();
    let mut sheet = Sheet::start(
        &mut workbook,
        &styles,
        titled("整改情况", "Rectifications"),
        &headers,
        limits,
        rows_per_sheet,
    )?
    .print_columns(headers.len() - 1);
    job.each_rectification(&mut |row| {
        let cells = rectification_cells(row, lang, &tz, today, warn);
        let emphasis = if row.overdue(today) {
            Some((OVERDUE_COLUMN, &styles.overdue))
        } else if row.due_soon(today, warn) {
            Some((OVERDUE_COLUMN, &styles.due_soon))
        } else {
            None
        };
        sheet
            .push_styled(&mut workbook, &styles, &cells, emphasis)
            .map_err(ExportError::from)
    })?;
    sheet.finish(&mut workbook)?;

    workbook.save(path)?;
    Ok(())
}

fn sheet_name(lang: Lang, zh: &str, en: &str) -> String {
    Label::new(zh, en).get(lang).to_owned()
}

/// A sheet's name, its title line and the language of both.
struct Titles {
    name: String,
    title: String,
    lang: Lang,
}

/// The cell formats of the workbook.
struct Styles {
    title: Format,
    header: Format,
    time: Format,
    date: Format,
    overdue: Format,
    due_soon: Format,
    quoted: Format,
    wrapped: Format,
    quoted_wrapped: Format,
}

impl Styles {
    fn new() -> Styles {
        let wrapped = Format::new().set_text_wrap();
        Styles {
            title: Format::new().set_bold().set_font_size(12),
            quoted_wrapped: wrapped.clone().set_quote_prefix(),
            wrapped,
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_border_bottom(FormatBorder::Thin),
            time: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            overdue: Format::new()
                .set_font_color(Color::RGB(0xC00000))
                .set_bold(),
            due_soon: Format::new()
                .set_background_color(Color::RGB(0xFFEB9C))
                .set_font_color(Color::RGB(0x9C5700))
                .set_bold(),
            quoted: Format::new().set_quote_prefix(),
        }
    }
}

/// A worksheet being streamed, continued on a new sheet when full.
struct Sheet {
    base_name: String,
    title: String,
    lang: Lang,
    part: u32,
    index: usize,
    next_row: u32,
    rows_per_sheet: u32,
    headers: Vec<String>,
    widths: Vec<usize>,
    limits: Vec<usize>,
    /// Columns on the printed page, from the first: ids and fingerprints
    /// are for machines and would shrink the page to nothing.
    printed: usize,
    text: String,
}

impl Sheet {
    fn start(
        workbook: &mut Workbook,
        styles: &Styles,
        titles: Titles,
        headers: &[Label],
        limits: Vec<usize>,
        rows_per_sheet: u32,
    ) -> Result<Sheet, XlsxError> {
        let Titles { name, title, lang } = titles;
        let headers: Vec<String> = headers.iter().map(|h| h.get(lang).to_owned()).collect();
        let mut sheet = Sheet {
            base_name: name,
            title,
            lang,
            part: 0,
            index: 0,
            next_row: 0,
            // The title line comes on top of the rows asked for, within
            // what a worksheet holds.
            rows_per_sheet: rows_per_sheet
                .max(2)
                .saturating_add(TITLE_ROWS)
                .min(XLSX_MAX_ROWS),
            widths: Vec::new(),
            headers,
            printed: limits.len(),
            limits,
            text: String::new(),
        };
        sheet.open_part(workbook, styles)?;
        Ok(sheet)
    }

    fn open_part(&mut self, workbook: &mut Workbook, styles: &Styles) -> Result<(), XlsxError> {
        self.part += 1;
        let name = match self.part {
            1 => self.base_name.clone(),
            n => format!("{} ({n})", self.base_name),
        };
        workbook.add_worksheet_with_constant_memory()?;
        self.index = workbook.worksheets_mut().len() - 1;
        let worksheet = workbook.worksheet_from_index(self.index)?;
        worksheet.set_name(&name)?;
        // Left of an empty row, the title runs on over the next cells.
        worksheet.write_string_with_format(0, 0, &self.title, &styles.title)?;
        worksheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
        set_up_printing(worksheet, self.lang)?;
        for (col, header) in (0u16..).zip(&self.headers) {
            worksheet.write_string_with_format(HEADER_ROW, col, header, &styles.header)?;
        }
        // Header text sets the least width; bold counts a little wider.
        self.widths = self.headers.iter().map(|h| display_width(h) + 2).collect();
        self.next_row = HEADER_ROW + 1;
        Ok(())
    }

    fn push(
        &mut self,
        workbook: &mut Workbook,
        styles: &Styles,
        cells: &[Cell<'_>],
    ) -> Result<(), XlsxError> {
        if self.next_row >= self.rows_per_sheet {
            self.finish(workbook)?;
            self.open_part(workbook, styles)?;
        }
        let row = self.next_row;
        let mut lines = 1;
        let worksheet = workbook.worksheet_from_index(self.index)?;
        for (((col, cell), width), limit) in (0u16..)
            .zip(cells)
            .zip(self.widths.iter_mut())
            .zip(&self.limits)
        {
            match cell {
                Cell::Empty => continue,
                Cell::Text(text) => {
                    // Formula-like text keeps its characters and gets Excel's
                    // own form of a typed leading quote (quotePrefix), so that
                    // editing the cell never turns it into a formula. Text
                    // wider than its column wraps instead of being cut off.
                    let wraps = display_width(text) + 2 > *limit || text.contains('\n');
                    if wraps {
                        lines = lines.max(wrapped_lines(text, *limit));
                    }
                    let format = match (is_formula_like(text), wraps) {
                        (true, true) => Some(&styles.quoted_wrapped),
                        (true, false) => Some(&styles.quoted),
                        (false, true) => Some(&styles.wrapped),
                        (false, false) => None,
                    };
                    match format {
                        Some(format) => {
                            worksheet.write_string_with_format(row, col, clip(text), format)?
                        }
                        None => worksheet.write_string(row, col, clip(text))?,
                    };
                }
                Cell::Int(n) => {
                    // Whole numbers under 2^53 are exact as doubles.
                    worksheet.write_number(row, col, *n as f64)?;
                }
                Cell::Points(p) => {
                    worksheet.write_number(row, col, p.as_f64())?;
                }
                Cell::Time(t) => {
                    worksheet.write_datetime_with_format(
                        row,
                        col,
                        excel_time(*t)?,
                        &styles.time,
                    )?;
                }
                Cell::Date(d) => {
                    worksheet.write_datetime_with_format(
                        row,
                        col,
                        excel_date(*d)?,
                        &styles.date,
                    )?;
                }
            }
            cell.write_text(&mut self.text);
            *width = (*width).max(display_width(&self.text) + 2);
        }
        // Spreadsheets do not all grow a row for wrapped text (LibreOffice
        // keeps the default height), so the height is set here.
        if lines > 1 {
            let lines = u16::try_from(lines).unwrap_or(u16::MAX).min(MAX_LINES);
            worksheet.set_row_height(row, LINE_HEIGHT * f64::from(lines))?;
        }
        self.next_row += 1;
        Ok(())
    }

    fn push_styled(
        &mut self,
        workbook: &mut Workbook,
        styles: &Styles,
        cells: &[Cell<'_>],
        emphasis: Option<(usize, &Format)>,
    ) -> Result<(), XlsxError> {
        self.push(workbook, styles, cells)?;
        if let Some((col, format)) = emphasis
            && let Some(Cell::Text(text)) = cells.get(col)
        {
            let worksheet = workbook.worksheet_from_index(self.index)?;
            let col = u16::try_from(col).unwrap_or(0);
            worksheet.write_string_with_format(self.next_row - 1, col, clip(text), format)?;
        }
        Ok(())
    }

    /// Prints only the first `columns` columns.
    fn print_columns(mut self, columns: usize) -> Sheet {
        self.printed = columns;
        self
    }

    fn finish(&mut self, workbook: &mut Workbook) -> Result<(), XlsxError> {
        let worksheet = workbook.worksheet_from_index(self.index)?;
        let last_col = u16::try_from(self.headers.len().saturating_sub(1)).unwrap_or(u16::MAX);
        let last_row = (self.next_row - 1).max(HEADER_ROW);
        worksheet.autofilter(HEADER_ROW, 0, last_row, last_col)?;
        let last_printed = u16::try_from(self.printed.saturating_sub(1)).unwrap_or(last_col);
        worksheet.set_print_area(0, 0, last_row, last_printed.min(last_col))?;
        for ((col, width), limit) in (0u16..).zip(&self.widths).zip(&self.limits) {
            let width =
                (*width).min((*limit).max(display_width(&self.headers[usize::from(col)]) + 2));
            worksheet.set_column_width(col, width as f64)?;
        }
        Ok(())
    }
}

/// Cuts text to what a cell holds, saying so at the end (the JSON export
/// keeps every character).
fn clip(text: &str) -> Cow<'_, str> {
    if text.chars().count() <= CELL_MAX_CHARS {
        return Cow::Borrowed(text);
    }
    let kept: String = text.chars().take(CELL_MAX_CHARS - 3).collect();
    Cow::Owned(kept + "…")
}

fn excel_date(date: jiff::civil::Date) -> Result<ExcelDateTime, XlsxError> {
    let year = u16::try_from(date.year())
        .map_err(|_| XlsxError::DateTimeRangeError(format!("year {}", date.year())))?;
    ExcelDateTime::from_ymd(year, date.month().unsigned_abs(), date.day().unsigned_abs())
}

fn excel_time(time: jiff::civil::DateTime) -> Result<ExcelDateTime, XlsxError> {
    excel_date(time.date())?.and_hms(
        time.hour().unsigned_abs() as u16,
        time.minute().unsigned_abs(),
        f64::from(time.second()),
    )
}

fn score_headers() -> Vec<Label> {
    vec![
        Label::new("名次", "Rank"),
        Label::new("单位", "Unit"),
        Label::new("部门", "Department"),
        Label::new("得分", "Score"),
        Label::new("等级", "Grade"),
        Label::new("扣分合计", "Points deducted"),
        Label::new("其中民主评议扣分", "Of which public appraisal"),
        Label::new("计分问题数", "Findings counted"),
        Label::new("待审核问题数", "Findings pending review"),
        Label::new("待审核问题暂计扣分", "Provisional points pending review"),
    ]
}

fn write_scores(
    workbook: &mut Workbook,
    styles: &Styles,
    titles: Titles,
    scores: &[UnitScore],
    rows_per_sheet: u32,
) -> Result<(), ExportError> {
    let lang = titles.lang;
    let headers = score_headers();
    let limits = vec![40; headers.len()];
    let mut sheet = Sheet::start(workbook, styles, titles, &headers, limits, rows_per_sheet)?;
    for unit in scores {
        let cells = [
            Cell::Int(i64::from(unit.rank)),
            Cell::Text(Cow::Borrowed(&unit.unit)),
            Cell::Text(Cow::Borrowed(&unit.department)),
            Cell::Points(unit.score),
            Cell::Text(Cow::Owned(unit.grade.label().get(lang).to_owned())),
            Cell::Points(unit.deducted),
            Cell::Points(unit.appraisal),
            Cell::Int(i64::try_from(unit.counted).unwrap_or(i64::MAX)),
            Cell::Int(i64::try_from(unit.pending).unwrap_or(i64::MAX)),
            Cell::Points(unit.pending_points),
        ];
        let fail = (unit.grade == anfang_core::score::Grade::Fail).then_some((4, &styles.overdue));
        sheet.push_styled(workbook, styles, &cells, fail)?;
    }
    sheet.finish(workbook)?;
    Ok(())
}

fn write_deductions(
    workbook: &mut Workbook,
    styles: &Styles,
    titles: Titles,
    scores: &[UnitScore],
    rows_per_sheet: u32,
) -> Result<(), ExportError> {
    let lang = titles.lang;
    let headers = vec![
        Label::new("单位", "Unit"),
        Label::new("部门", "Department"),
        Label::new("检查项", "Item"),
        Label::new("检查项编号", "Item id"),
        Label::new("问题数", "Findings"),
        Label::new("数量", "Count"),
        Label::new("扣分", "Points"),
    ];
    let limits = vec![40; headers.len()];
    let mut sheet = Sheet::start(workbook, styles, titles, &headers, limits, rows_per_sheet)?;
    for unit in scores {
        for deduction in &unit.deductions {
            let cells = [
                Cell::Text(Cow::Borrowed(&unit.unit)),
                Cell::Text(Cow::Borrowed(&unit.department)),
                Cell::Text(Cow::Borrowed(deduction.item.get(lang))),
                Cell::Text(Cow::Owned(format!(
                    "{}:{}",
                    deduction.key.plugin_id, deduction.key.item_id
                ))),
                Cell::Int(i64::from(deduction.findings)),
                Cell::Int(i64::from(deduction.count)),
                Cell::Points(deduction.points),
            ];
            sheet.push(workbook, styles, &cells)?;
        }
    }
    sheet.finish(workbook)?;
    Ok(())
}

fn rectification_columns() -> (Vec<Label>, Vec<usize>) {
    let headers = vec![
        Label::new("单位", "Unit"),
        Label::new("部门", "Department"),
        Label::new("检查项", "Item"),
        Label::new("对象", "Subject"),
        Label::new("情况说明", "Note"),
        Label::new("发现时间", "Observed at"),
        Label::new("下达时间", "Ordered at"),
        Label::new("下达人", "Ordered by"),
        Label::new("整改期限", "Deadline"),
        Label::new("状态", "Status"),
        Label::new("是否逾期", "Overdue"),
        Label::new("整改情况", "Rectification note"),
        Label::new("整改时间", "Rectified at"),
        Label::new("验收时间", "Verified at"),
        Label::new("问题编号", "Finding id"),
    ];
    let mut limits = vec![40; headers.len()];
    limits[4] = 60;
    limits[11] = 60;
    (headers, limits)
}

/// Overdue is column 10.
const OVERDUE_COLUMN: usize = 10;

fn rectification_cells<'a>(
    row: &'a RectificationRow,
    lang: Lang,
    tz: &TimeZone,
    today: jiff::civil::Date,
    warn: u32,
) -> Vec<Cell<'a>> {
    let time = |t: jiff::Timestamp| Cell::Time(tz.to_datetime(t));
    let overdue = row.overdue(today);
    let due_soon = row.due_soon(today, warn);
    vec![
        Cell::Text(Cow::Borrowed(&row.unit)),
        Cell::Text(Cow::Borrowed(&row.department)),
        Cell::Text(Cow::Borrowed(row.item_label.get(lang))),
        row.subject
            .as_deref()
            .map_or(Cell::Empty, |s| Cell::Text(Cow::Borrowed(s))),
        Cell::Text(Cow::Borrowed(&row.note)),
        time(row.observed_at),
        time(row.ordered_at),
        Cell::Text(Cow::Borrowed(&row.ordered_by)),
        Cell::Date(row.deadline),
        Cell::Text(Cow::Owned(row.status.label().get(lang).to_owned())),
        if overdue {
            Cell::Text(Cow::Owned(
                Label::new("逾期", "overdue").get(lang).to_owned(),
            ))
        } else if due_soon {
            Cell::Text(Cow::Owned(
                Label::new("临期", "due soon").get(lang).to_owned(),
            ))
        } else {
            Cell::Empty
        },
        row.rectified_note
            .as_deref()
            .map_or(Cell::Empty, |s| Cell::Text(Cow::Borrowed(s))),
        row.rectified_at.map_or(Cell::Empty, time),
        row.verified_at.map_or(Cell::Empty, time),
        Cell::Text(Cow::Owned(row.finding_id.to_string())),
    ]
}
