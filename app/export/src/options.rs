//! What to export: format, period, filters, language, pseudonyms.

use crate::anonymize::PseudonymKey;
use crate::error::ExportError;
use anfang_core::Lang;
use anfang_core::review::ReviewStatus;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// The file formats an export can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// CSV, UTF-8 with a byte-order mark, one finding per row.
    Csv,
    /// An Excel workbook: findings, scores and ranking, deductions, rectifications.
    Xlsx,
    /// JSON described by `schemas/export.schema.json`.
    Json,
    /// A bulletin (通报) draft as a printable web page.
    Html,
    /// A bulletin (通报) draft as a Word document.
    Docx,
}

impl Format {
    /// Every format, in the order the command line lists them.
    pub const ALL: [Format; 5] = [
        Format::Csv,
        Format::Xlsx,
        Format::Json,
        Format::Html,
        Format::Docx,
    ];

    /// The format's name as on the command line (`csv`, `xlsx`, …).
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Json => "json",
            Format::Html => "html",
            Format::Docx => "docx",
        }
    }

    /// Parses a format name.
    pub fn parse(name: &str) -> Result<Format, ExportError> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| {
                ExportError::BadOption(format!(
                    "unknown format '{name}' (csv, xlsx, json, html, docx)"
                ))
            })
    }
}

/// Which findings an export takes. Dates are whole days in `tz`, both ends included.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportOptions {
    /// First day of the period.
    pub from: Option<Date>,
    /// Last day of the period.
    pub to: Option<Date>,
    /// Only this unit (exact name).
    pub unit: Option<String>,
    /// Only this department (exact name).
    pub department: Option<String>,
    /// Only findings in this review status.
    pub status: Option<ReviewStatus>,
    /// Replace staff names and badge numbers with pseudonyms.
    pub anonymize: bool,
    /// Language of headers, labels and the bulletin.
    pub lang: Lang,
    /// Time zone in which dates and times are shown and periods are cut.
    pub tz: TimeZone,
    /// "Today", for overdue rectifications.
    pub today: Date,
    /// When the export is made, by the caller's clock: a Word document's
    /// creation time.
    pub now: Timestamp,
    /// Days before its deadline from which a rectification is shown as due
    /// soon (yellow); the office's `deadline_warning_days` setting.
    pub deadline_warning_days: u32,
    /// Who issues the bulletin (the office's name), shown at its end.
    pub issuer: Option<String>,
    /// The office's document settings for the bulletin: 主送, 抄送, 文号.
    pub office_docs: OfficeDocs,
    /// The office's secret for stable pseudonyms (see `PseudonymKey`);
    /// without one, an anonymized export uses a random key of its own.
    pub pseudonym_key: Option<PseudonymKey>,
    /// The XLSX findings sheet lists compliant and not-applicable results
    /// too, not only violations (other formats always list every result).
    pub include_compliant: bool,
    /// Rows per XLSX worksheet, header included, before the rest continues
    /// on a next sheet: at most Excel's 1,048,576 (the default).
    pub rows_per_sheet: u32,
}

/// What an office writes on every bulletin it issues, from `settings.toml`
/// or the export form and command line. Unset parts take the usual words.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OfficeDocs {
    /// 主送: who the bulletin is addressed to (default 各有关单位).
    pub addressees: Option<String>,
    /// 抄送: who receives a copy; none when unset.
    pub copies: Option<String>,
    /// 文号 pattern: `{year}` becomes the bulletin's year and `{n}` its
    /// serial number (left blank to be filled in by hand when not given),
    /// e.g. `X效办〔{year}〕{n}号`.
    pub number_pattern: Option<String>,
    /// The serial number of this bulletin, for `{n}`.
    pub serial: Option<String>,
    /// 印发机关: the office that prints and sends it (default: the issuer).
    pub printer: Option<String>,
}

/// The most rows an XLSX worksheet holds.
pub const XLSX_MAX_ROWS: u32 = 1_048_576;

impl ExportOptions {
    /// Everything, in the system time zone, today as of now.
    pub fn new(lang: Lang) -> ExportOptions {
        let tz = TimeZone::try_system().unwrap_or(TimeZone::UTC);
        let now = Timestamp::now();
        let today = tz.to_datetime(now).date();
        ExportOptions {
            from: None,
            to: None,
            unit: None,
            department: None,
            status: None,
            anonymize: false,
            lang,
            tz,
            today,
            now,
            deadline_warning_days: 3,
            issuer: None,
            office_docs: OfficeDocs::default(),
            include_compliant: false,
            pseudonym_key: None,
            rows_per_sheet: XLSX_MAX_ROWS,
        }
    }

    /// Who issues documents: the office's name as set, or the usual one.
    pub fn issuer_name(&self) -> String {
        self.issuer.clone().unwrap_or_else(|| match self.lang {
            Lang::Zh => "作风效能建设领导小组办公室".to_owned(),
            Lang::En => "Work-style and Efficiency Office".to_owned(),
        })
    }

    /// Parses a `YYYY-MM-DD` date given for `--from` or `--to`.
    pub fn parse_date(option: &str, value: &str) -> Result<Date, ExportError> {
        value.trim().parse::<Date>().map_err(|_| {
            ExportError::BadOption(format!("{option} '{value}' is not a date (YYYY-MM-DD)"))
        })
    }

    /// Parses a review status given for `--status`.
    pub fn parse_status(value: &str) -> Result<ReviewStatus, ExportError> {
        ReviewStatus::parse(value.trim()).ok_or_else(|| {
            let names: Vec<&str> = ReviewStatus::ALL.iter().map(|s| s.as_str()).collect();
            ExportError::BadOption(format!("unknown status '{value}' ({})", names.join(", ")))
        })
    }

    /// The filter these options select, with the period turned into instants.
    pub fn filter(&self) -> Result<Filter, ExportError> {
        if let (Some(from), Some(to)) = (self.from, self.to)
            && from > to
        {
            return Err(ExportError::BadOption(format!(
                "--from {from} is after --to {to}"
            )));
        }
        let start = |date: Date| -> Result<Timestamp, ExportError> {
            date.to_zoned_datetime(self.tz.clone())
                .map(|z| z.timestamp())
                .map_err(|e| ExportError::BadOption(format!("date {date}: {e}")))
        };
        let after = |date: Date| -> Result<Timestamp, ExportError> {
            let next = date
                .tomorrow()
                .map_err(|e| ExportError::BadOption(format!("date {date}: {e}")))?;
            start(next)
        };
        Ok(Filter {
            from_date: self.from,
            to_date: self.to,
            from: self.from.map(start).transpose()?,
            until: self.to.map(after).transpose()?,
            unit: self.unit.clone(),
            department: self.department.clone(),
            status: self.status,
        })
    }
}

/// The findings a source hands out: observed in `[from, until)`, of a unit,
/// a department and a status when given.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Filter {
    /// The first day of the period, as given.
    pub from_date: Option<Date>,
    /// The last day of the period, as given.
    pub to_date: Option<Date>,
    /// Observed at or after this instant.
    pub from: Option<Timestamp>,
    /// Observed before this instant.
    pub until: Option<Timestamp>,
    /// Exact unit name.
    pub unit: Option<String>,
    /// Exact department name.
    pub department: Option<String>,
    /// Review status.
    pub status: Option<ReviewStatus>,
}

impl Filter {
    /// The same filter for every status: scores always count all statuses.
    pub fn any_status(&self) -> Filter {
        Filter {
            status: None,
            ..self.clone()
        }
    }

    /// Whether a finding passes (for sources that filter in memory).
    pub fn accepts(
        &self,
        observed_at: Timestamp,
        unit: &str,
        department: &str,
        status: ReviewStatus,
    ) -> bool {
        self.from.is_none_or(|from| observed_at >= from)
            && self.until.is_none_or(|until| observed_at < until)
            && self.unit.as_deref().is_none_or(|u| u == unit)
            && self.department.as_deref().is_none_or(|d| d == department)
            && self.status.is_none_or(|s| s == status)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn period_covers_whole_local_days() {
        let mut options = ExportOptions::new(Lang::Zh);
        options.tz = TimeZone::get("Asia/Shanghai").unwrap();
        options.from = Some(jiff::civil::date(2026, 3, 1));
        options.to = Some(jiff::civil::date(2026, 3, 15));
        let filter = options.filter().unwrap();
        assert_eq!(filter.from.unwrap().to_string(), "2026-02-28T16:00:00Z");
        assert_eq!(filter.until.unwrap().to_string(), "2026-03-15T16:00:00Z");
    }

    #[test]
    fn bad_values_are_named() {
        let err = ExportOptions::parse_date("--from", "2026-13-01").unwrap_err();
        assert!(err.to_string().contains("2026-13-01"), "{err}");
        let err = ExportOptions::parse_status("done").unwrap_err();
        assert!(err.to_string().contains("'done'"), "{err}");
        let err = Format::parse("pdf").unwrap_err();
        assert!(err.to_string().contains("'pdf'"), "{err}");
        let mut options = ExportOptions::new(Lang::En);
        options.from = Some(jiff::civil::date(2026, 3, 2));
        options.to = Some(jiff::civil::date(2026, 3, 1));
        assert!(
            options
                .filter()
                .unwrap_err()
                .to_string()
                .contains("2026-03-02")
        );
    }
}
