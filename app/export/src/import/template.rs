//! `anfang import --template FILE.xlsx`: a workbook to hand to volunteer
//! supervisors. Its first sheet is what an import reads: the header row and
//! two example rows (their 序号 is 示例, so an import leaves them out),
//! with drop-down lists of the units this ledger knows and of the items
//! (core and plugins), each listed on a sheet of its own.

use super::catalog::Catalog;
use crate::error::ExportError;
use anfang_core::visit::Unit;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, ExcelDateTime, Format, FormatBorder, Formula,
    Workbook, XlsxError,
};
use std::collections::HashMap;
use std::path::Path;

/// The 序号 of an example row: an import leaves such rows out.
pub const EXAMPLE_MARK: &str = "示例";

/// The data sheet's columns: header, width, help shown when a cell is chosen.
const COLUMNS: &[(&str, f64, &str)] = &[
    ("序号", 6.0, "可留空；写\"示例\"的行不导入"),
    ("单位", 34.0, "从下拉列表选择（见\"单位\"表）"),
    ("部门", 12.0, "同名单位属于不同部门时必填"),
    ("检查项", 30.0, "从下拉列表选择（见\"检查项\"表）"),
    ("发现时间", 18.0, "如 2026/11/9 9:10；只写日期按 9:00 计"),
    ("数量", 8.0, "人次、件次等，整数，至少 1"),
    ("对象", 14.0, "姓名、工号或窗口号"),
    ("情况说明", 44.0, "看到的情况"),
    ("监督员", 12.0, "报告人姓名，多人用、分隔"),
    ("检查方式", 10.0, "暗访（默认）或明察"),
    ("结果", 8.0, "违规（默认）、合规或不适用"),
    ("备注", 20.0, "不导入"),
];

/// Rows of the data sheet that carry drop-down lists.
const LAST_ROW: u32 = 5000;

/// Writes the template to `path`: `units` are the units the ledger knows,
/// `now` and `tz` date the example rows.
pub fn write_template(
    path: &Path,
    units: &[Unit],
    catalog: &Catalog,
    now: Timestamp,
    tz: &TimeZone,
) -> Result<(), ExportError> {
    let mut workbook = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_border_bottom(FormatBorder::Thin);
    let time = Format::new().set_num_format("yyyy/m/d h:mm");

    // Items: a title that names one item, else its plugin:item id.
    let mut titles: HashMap<&str, usize> = HashMap::new();
    for item in catalog.items() {
        *titles.entry(item.item.label.zh.trim()).or_default() += 1;
    }
    let item_names: Vec<String> = catalog
        .items()
        .iter()
        .map(|c| {
            let title = c.item.label.zh.trim();
            if titles.get(title) == Some(&1) {
                title.to_owned()
            } else {
                format!("{}:{}", c.checklist.plugin_id, c.item.id)
            }
        })
        .collect();

    let data = workbook.add_worksheet();
    data.set_name("问题记录")?;
    data.set_freeze_panes(1, 0)?;
    for (col, (name, width, help)) in (0u16..).zip(COLUMNS) {
        data.write_string_with_format(0, col, *name, &header)?;
        data.set_column_width(col, *width)?;
        let prompt = DataValidation::new()
            .allow_any_value()
            .set_input_message(*help)?;
        if !matches!(*name, "单位" | "检查项" | "检查方式" | "结果") {
            data.add_data_validation(1, col, LAST_ROW, col, &prompt)?;
        }
    }
    let unit_of = |i: usize| units.get(i).or_else(|| units.first());
    let example_day = tz
        .to_datetime(now)
        .date()
        .yesterday()
        .unwrap_or(tz.to_datetime(now).date());
    let examples = [
        (
            item_names.first(),
            "8:45",
            "1",
            "王五",
            "王五8:45到岗，签到表已签到",
        ),
        (
            item_names.get(1),
            "9:30",
            "1",
            "3号窗口",
            "窗口无人，\"暂停服务\"牌未放",
        ),
    ];
    for (i, (item, clock, count, subject, note)) in examples.into_iter().enumerate() {
        let row = i as u32 + 1;
        let (hour, minute) = clock.split_once(':').unwrap_or(("9", "0"));
        let at = ExcelDateTime::from_ymd(
            u16::try_from(example_day.year()).unwrap_or(2000),
            example_day.month().unsigned_abs(),
            example_day.day().unsigned_abs(),
        )?
        .and_hms(
            hour.parse::<u16>().unwrap_or(9),
            minute.parse::<u8>().unwrap_or(0),
            0,
        )?;
        data.write_string(row, 0, EXAMPLE_MARK)?;
        match unit_of(i) {
            Some(unit) => {
                data.write_string(row, 1, &unit.name)?;
                data.write_string(row, 2, &unit.department)?;
            }
            None => {
                data.write_string(row, 1, "（本台账还没有单位）")?;
            }
        }
        if let Some(item) = item {
            data.write_string(row, 3, item)?;
        }
        data.write_datetime_with_format(row, 4, at, &time)?;
        data.write_string(row, 5, count)?;
        data.write_string(row, 6, subject)?;
        data.write_string(row, 7, note)?;
        data.write_string(row, 8, "刘义务")?;
        data.write_string(row, 9, "暗访")?;
        data.write_string(row, 10, "违规")?;
        data.write_string(row, 11, "示例行，填写时请删除")?;
    }
    let list = |sheet: &str, n: usize, help: &str| -> Result<DataValidation, XlsxError> {
        DataValidation::new()
            .allow_list_formula(Formula::new(format!("='{sheet}'!$A$2:$A${}", n.max(1) + 1)))
            .set_input_message(help)?
            .set_error_message(format!("请从\"{sheet}\"表的列表中选择"))
    };
    data.add_data_validation(1, 1, LAST_ROW, 1, &list("单位", units.len(), COLUMNS[1].2)?)?;
    data.add_data_validation(
        1,
        3,
        LAST_ROW,
        3,
        &list("检查项", item_names.len(), COLUMNS[3].2)?,
    )?;
    let choices = |values: &[&str], help: &str| -> Result<DataValidation, XlsxError> {
        Ok(DataValidation::new()
            .allow_list_strings(values)?
            .set_input_message(help)?
            .set_error_style(DataValidationErrorStyle::Stop))
    };
    data.add_data_validation(
        1,
        9,
        LAST_ROW,
        9,
        &choices(&["暗访", "明察"], COLUMNS[9].2)?,
    )?;
    data.add_data_validation(
        1,
        10,
        LAST_ROW,
        10,
        &choices(&["违规", "合规", "不适用"], COLUMNS[10].2)?,
    )?;

    let sheet = workbook.add_worksheet();
    sheet.set_name("单位")?;
    sheet.write_string_with_format(0, 0, "单位", &header)?;
    sheet.write_string_with_format(0, 1, "部门", &header)?;
    sheet.set_column_width(0, 40)?;
    sheet.set_column_width(1, 16)?;
    for (row, unit) in (1u32..).zip(units) {
        sheet.write_string(row, 0, &unit.name)?;
        sheet.write_string(row, 1, &unit.department)?;
    }

    let sheet = workbook.add_worksheet();
    sheet.set_name("检查项")?;
    for (col, (name, width)) in (0u16..).zip([
        ("检查项", 36.0),
        ("检查项编号", 30.0),
        ("检查表", 16.0),
        ("English", 36.0),
    ]) {
        sheet.write_string_with_format(0, col, name, &header)?;
        sheet.set_column_width(col, width)?;
    }
    for ((row, item), name) in (1u32..).zip(catalog.items()).zip(&item_names) {
        sheet.write_string(row, 0, name)?;
        sheet.write_string(
            row,
            1,
            format!("{}:{}", item.checklist.plugin_id, item.item.id),
        )?;
        sheet.write_string(row, 2, item.checklist.checklist.label.zh.trim())?;
        sheet.write_string(row, 3, item.item.label.en.trim())?;
    }

    workbook.save(path)?;
    Ok(())
}
