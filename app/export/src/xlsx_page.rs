//! What makes a worksheet a printout: the line above the header that says
//! what the sheet holds (period, filter, anonymized or not), and the page
//! setup (A4 landscape, one page wide, header repeated, page numbers).

use crate::options::ExportOptions;
use anfang_core::{Label, Lang};
use rust_xlsxwriter::{Worksheet, XlsxError};

/// Rows above the header: the title line.
pub(crate) const TITLE_ROWS: u32 = 1;

/// The sheet's header row.
pub(crate) const HEADER_ROW: u32 = TITLE_ROWS;

/// Excel's paper size code for A4.
const A4: u8 = 9;

/// Which findings a sheet lists, for its title line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rows {
    /// The findings sheet: violations only, or every result.
    Findings,
    /// Scores, deductions and rectifications: not cut by result.
    Other,
}

/// The title line of a sheet: its name, the period, the filter and whether
/// names were replaced, so a printed page says what it is on its own.
pub(crate) fn title_line(options: &ExportOptions, sheet: &str, rows: Rows) -> String {
    let lang = options.lang;
    let said = |zh: &str, en: &str| Label::new(zh, en).get(lang).to_owned();
    let period = match (options.from, options.to) {
        (None, None) => said("全部日期", "all dates"),
        (Some(from), Some(to)) => match lang {
            Lang::Zh => format!("{from} 至 {to}"),
            Lang::En => format!("{from} to {to}"),
        },
        (Some(from), None) => match lang {
            Lang::Zh => format!("{from} 起"),
            Lang::En => format!("from {from}"),
        },
        (None, Some(to)) => match lang {
            Lang::Zh => format!("截至 {to}"),
            Lang::En => format!("until {to}"),
        },
    };
    let mut filter: Vec<String> = Vec::new();
    if let Some(unit) = &options.unit {
        filter.push(format!("{}{unit}", said("单位：", "unit: ")));
    }
    if let Some(department) = &options.department {
        filter.push(format!("{}{department}", said("部门：", "department: ")));
    }
    if let Some(status) = options.status {
        filter.push(format!(
            "{}{}",
            said("状态：", "status: "),
            status.label().get(lang)
        ));
    }
    if rows == Rows::Findings {
        filter.push(if options.include_compliant {
            said(
                "违规、合规及不适用均列出",
                "violations, compliant and not applicable",
            )
        } else {
            said("仅列违规问题", "violations only")
        });
    }
    if filter.is_empty() {
        filter.push(said("无", "none"));
    }
    let names = if options.anonymize {
        said("人员已匿名化", "names anonymized")
    } else {
        said("人员未匿名化", "names as recorded")
    };
    match lang {
        Lang::Zh => format!(
            "{sheet}　期间：{period}　筛选：{}　{names}",
            filter.join("；")
        ),
        Lang::En => format!(
            "{sheet} — period: {period} — filter: {} — {names}",
            filter.join("; ")
        ),
    }
}

/// A4 landscape, fit to one page wide (as many pages tall as it takes),
/// the header row printed on every page, and "page n of m" at the foot.
pub(crate) fn set_up_printing(worksheet: &mut Worksheet, lang: Lang) -> Result<(), XlsxError> {
    worksheet.set_paper_size(A4);
    worksheet.set_landscape();
    worksheet.set_print_fit_to_pages(1, 0);
    worksheet.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    let footer = match lang {
        Lang::Zh => "&C第 &P 页，共 &N 页",
        Lang::En => "&CPage &P of &N",
    };
    worksheet.set_footer(footer);
    Ok(())
}
