//! Entering an office deduction for a unit: the method's office row, the
//! count, points each for a range row, the day, the reason and an optional
//! evidence file. It stays pending until a reviewer confirms it.

use crate::i18n::tf;
use crate::widgets::field;
use anfang_core::method::{MethodRow, Rounding, RowPoints, RowSource};
use anfang_core::office_deduction::OfficeDeductionEntered;
use anfang_core::visit::Unit;
use anfang_core::{Lang, Points};
use ratatui_textarea::TextArea;
use std::path::PathBuf;

/// The form's text fields, in order after the row choice.
pub const FIELDS: usize = 5;

/// The open form.
#[derive(Debug, Clone)]
pub struct DeductionForm {
    /// The unit the points are taken from.
    pub unit: Unit,
    /// The method's office rows.
    pub rows: Vec<MethodRow>,
    /// The method's version.
    pub method_version: u32,
    /// How part points are deducted.
    pub rounding: Rounding,
    /// The chosen row (index into `rows`).
    pub row: usize,
    /// 0: the row; 1–5: count, points each, date, reason, evidence.
    pub focus: usize,
    /// Count, points each, date, reason, evidence path.
    pub fields: [TextArea<'static>; FIELDS],
    /// What is wrong, after a refused attempt.
    pub error: Option<String>,
}

impl PartialEq for DeductionForm {
    fn eq(&self, other: &Self) -> bool {
        self.unit == other.unit
            && self.rows == other.rows
            && self.row == other.row
            && self.focus == other.focus
            && self.error == other.error
            && self
                .fields
                .iter()
                .zip(&other.fields)
                .all(|(a, b)| field::text(a) == field::text(b))
    }
}

/// What the form asks the worker to write.
#[derive(Debug, Clone, PartialEq)]
pub struct DeductionRequest {
    /// The entry, signed by the worker.
    pub entry: OfficeDeductionEntered,
    /// The evidence file to read and store with it.
    pub evidence: Option<PathBuf>,
}

impl DeductionForm {
    /// A form for `unit` over the office rows of a method; the date starts at `today`.
    pub fn new(
        unit: Unit,
        rows: Vec<MethodRow>,
        method_version: u32,
        rounding: Rounding,
        today: jiff::civil::Date,
    ) -> DeductionForm {
        let rows = rows
            .into_iter()
            .filter(|r| r.source == RowSource::Office)
            .collect();
        DeductionForm {
            unit,
            rows,
            method_version,
            rounding,
            row: 0,
            focus: 0,
            fields: [
                field::line("1"),
                field::line(""),
                field::line(&today.to_string()),
                field::line(""),
                field::line(""),
            ],
            error: None,
        }
    }

    /// The chosen row.
    pub fn chosen(&self) -> Option<&MethodRow> {
        self.rows.get(self.row)
    }

    /// Whether the chosen row takes points within a range.
    pub fn ranged(&self) -> bool {
        matches!(
            self.chosen().map(|r| r.points),
            Some(RowPoints::Range { .. })
        )
    }

    /// The focused text field, when a text field has the focus.
    pub fn focused(&mut self) -> Option<&mut TextArea<'static>> {
        self.focus
            .checked_sub(1)
            .and_then(|i| self.fields.get_mut(i))
    }

    /// Reads the form; a message naming the bad value otherwise.
    pub fn read(&self, lang: Lang) -> Result<DeductionRequest, String> {
        let bad = |key: &'static str, value: &str| tf(lang, key, &[("value", &value)]);
        let row = self
            .chosen()
            .ok_or_else(|| bad("scores.deduct_no_rows", ""))?;
        let [count, points, date, reason, evidence] = self.fields.each_ref().map(field::text);
        let count = match count.trim() {
            "" => None,
            c => Some(
                c.parse::<u32>()
                    .map_err(|_| bad("scores.deduct_bad_count", c))?,
            ),
        };
        let points_each = match points.trim() {
            "" => None,
            p => Some(
                p.parse::<f64>()
                    .ok()
                    .and_then(Points::from_f64)
                    .filter(|p| *p > Points::ZERO)
                    .ok_or_else(|| bad("scores.deduct_bad_points", p))?,
            ),
        };
        let date = date
            .trim()
            .parse::<jiff::civil::Date>()
            .map_err(|_| bad("scores.deduct_bad_date", date.trim()))?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(bad("scores.deduct_no_reason", ""));
        }
        let total = row
            .deduction(count, points_each, self.rounding)
            .map_err(|e| e.text(lang))?;
        let evidence = evidence.trim();
        Ok(DeductionRequest {
            entry: OfficeDeductionEntered {
                // The worker gives the entry its id when it signs it.
                deduction_id: uuid::Uuid::nil(),
                unit: self.unit.clone(),
                item: row.id.clone(),
                section: row.section.clone(),
                method_version: self.method_version,
                count,
                points_each,
                points: total,
                date,
                reason: reason.to_string(),
                evidence: None,
            },
            evidence: (!evidence.is_empty()).then(|| PathBuf::from(evidence)),
        })
    }
}

/// The reason typed for dismissing a pending office deduction.
#[derive(Debug, Clone)]
pub struct DismissReason(pub TextArea<'static>);

impl PartialEq for DismissReason {
    fn eq(&self, other: &Self) -> bool {
        field::text(&self.0) == field::text(&other.0)
    }
}
