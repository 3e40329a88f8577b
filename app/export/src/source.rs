//! Where export rows come from. The ledger is the real source; a list in
//! memory serves callers that already hold rows (and the format tests).

use crate::error::ExportError;
use crate::options::Filter;
use crate::row::{ExportRow, RectificationRow, UnitScore, VisitRow};
use crate::scoreboard::Scoreboard;
use anfang_core::Points;

/// Called once per row; an error stops the stream.
pub type Each<'a, T> = &'a mut dyn FnMut(T) -> Result<(), ExportError>;

/// A source of findings, scores and rectifications for an export.
///
/// Findings are streamed, never collected: a ledger may hold millions.
pub trait ExportSource {
    /// How many findings pass the filter (for progress).
    fn count_findings(&self, filter: &Filter) -> Result<u64, ExportError>;

    /// Hands every finding that passes the filter to `each`, in order of
    /// observation time.
    fn for_each_finding(
        &self,
        filter: &Filter,
        each: Each<'_, ExportRow>,
    ) -> Result<(), ExportError>;

    /// Units ranked by score for the filter's period, unit and department.
    /// Scores count every status (only confirmed ones deduct; pending ones
    /// show apart), whatever status the filter names.
    fn unit_scores(&self, filter: &Filter) -> Result<Vec<UnitScore>, ExportError>;

    /// Every finding that passes the filter and was ordered rectified, in
    /// order of deadline.
    fn for_each_rectification(
        &self,
        filter: &Filter,
        each: Each<'_, RectificationRow>,
    ) -> Result<(), ExportError>;

    /// Every visit started in the filter's period, of its unit and
    /// department, whether it found anything or not, each once. A source
    /// that holds only findings knows only the visits they were found in.
    fn visits(&self, filter: &Filter) -> Result<Vec<VisitRow>, ExportError> {
        let mut seen = std::collections::HashSet::new();
        let mut visits = Vec::new();
        self.for_each_finding(&filter.any_status(), &mut |row| {
            if seen.insert(row.visit_id) {
                visits.push(VisitRow {
                    visit_id: row.visit_id,
                    kind: row.visit_kind,
                    unit: row.unit,
                    department: row.department,
                });
            }
            Ok(())
        })?;
        Ok(visits)
    }

    /// The device that makes the export (named in the JSON header).
    fn device_id(&self) -> String;

    /// The assessment method the scores are computed by (named in the
    /// JSON header and the scores sheet's title): the built-in one unless
    /// the source knows of a published one.
    fn method(&self) -> Result<anfang_core::tally::MethodTag, ExportError> {
        Ok(anfang_core::tally::MethodTag::of(
            &anfang_core::method::builtin::method(),
            true,
        ))
    }
}

/// Rows already in memory, filtered on the way out.
#[derive(Debug, Clone, Default)]
pub struct MemorySource {
    /// The findings.
    pub rows: Vec<ExportRow>,
    /// The rectifications.
    pub rectifications: Vec<RectificationRow>,
    /// Appraisal deductions per unit: (unit, department, points).
    pub appraisals: Vec<(String, String, Points)>,
    /// The exporting device.
    pub device: String,
}

impl ExportSource for MemorySource {
    fn count_findings(&self, filter: &Filter) -> Result<u64, ExportError> {
        Ok(self
            .rows
            .iter()
            .filter(|r| filter.accepts(r.observed_at, &r.unit, &r.department, r.status))
            .count() as u64)
    }

    fn for_each_finding(
        &self,
        filter: &Filter,
        each: Each<'_, ExportRow>,
    ) -> Result<(), ExportError> {
        let mut rows: Vec<&ExportRow> = self
            .rows
            .iter()
            .filter(|r| filter.accepts(r.observed_at, &r.unit, &r.department, r.status))
            .collect();
        rows.sort_by_key(|r| (r.observed_at, r.finding_id));
        rows.into_iter().try_for_each(|r| each(r.clone()))
    }

    fn unit_scores(&self, filter: &Filter) -> Result<Vec<UnitScore>, ExportError> {
        let mut board = Scoreboard::default();
        self.for_each_finding(&filter.any_status(), &mut |row| {
            board.add(&row);
            Ok(())
        })?;
        for (unit, department, points) in &self.appraisals {
            if filter.unit.as_deref().is_none_or(|u| u == unit)
                && filter.department.as_deref().is_none_or(|d| d == department)
            {
                board.add_appraisal(unit, department, *points);
            }
        }
        Ok(board.ranking())
    }

    fn for_each_rectification(
        &self,
        filter: &Filter,
        each: Each<'_, RectificationRow>,
    ) -> Result<(), ExportError> {
        let mut rows: Vec<&RectificationRow> = self
            .rectifications
            .iter()
            .filter(|r| filter.accepts(r.observed_at, &r.unit, &r.department, r.status))
            .collect();
        rows.sort_by_key(|r| (r.deadline, r.observed_at, r.finding_id));
        rows.into_iter().try_for_each(|r| each(r.clone()))
    }

    fn device_id(&self) -> String {
        self.device.clone()
    }
}
