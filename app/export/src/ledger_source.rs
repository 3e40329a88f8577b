//! The ledger as an export source: findings and rectifications stream from
//! its derived tables; scores come from its ranking query, so an export
//! ranks units exactly as `anfang scores` does.

use crate::error::ExportError;
use crate::options::Filter;
use crate::row::{ExportRow, RectificationRow, UnitScore, VisitRow};
use crate::source::{Each, ExportSource};
use anfang_core::Points;
use anfang_core::authority::Authority;
use anfang_core::period::Period;
use anfang_ledger::Ledger;
use anfang_ledger::export_query::{ExportFilter, ExportFinding, ExportRectification};
use jiff::tz::TimeZone;

/// Reads an export from a ledger; `tz` cuts the period into days for scores.
#[derive(Debug)]
pub struct LedgerSource<'a> {
    ledger: &'a Ledger,
    tz: TimeZone,
}

impl<'a> LedgerSource<'a> {
    /// A source over `ledger`, with days counted in `tz`.
    pub fn new(ledger: &'a Ledger, tz: TimeZone) -> LedgerSource<'a> {
        LedgerSource { ledger, tz }
    }

    /// The period scores are computed for: the filter's days, completed by
    /// the first and last day anything was observed.
    fn period(&self, filter: &Filter) -> Result<Option<Period>, ExportError> {
        let span = self.ledger.observed_span(&self.tz)?;
        let from = filter.from_date.or(span.map(|p| p.from));
        let to = filter.to_date.or(span.map(|p| p.to));
        Ok(match (from, to) {
            (Some(from), Some(to)) => Period::new(from, to.max(from)).ok(),
            _ => None,
        })
    }
}

fn ledger_filter(filter: &Filter) -> ExportFilter {
    ExportFilter {
        from: filter.from,
        until: filter.until,
        unit: filter.unit.clone(),
        department: filter.department.clone(),
        status: filter.status,
    }
}

/// One finding as an export row, its recording device named by `authority`.
fn export_row(f: ExportFinding, authority: &Authority) -> ExportRow {
    ExportRow {
        finding_id: f.finding_id,
        visit_id: f.visit_id,
        event_id: f.event_id,
        recorded_by: authority.signer(&f.device_id),
        device_id: f.device_id,
        observed_at: f.observed_at,
        unit: f.unit,
        department: f.department,
        visit_kind: f.visit_kind,
        inspectors: f.team,
        item: f.item,
        checklist_label: f.checklist_label,
        item_label: f.item_label,
        result: f.result,
        input: f.input,
        count_unit: f.count_unit,
        points: f.points,
        subject: f.subject,
        note: f.note,
        status: f.status,
        deadline: f.deadline,
        source: f.source,
        versions: f.versions,
        conflict: f.conflict,
        evidence_files: f.evidence_files,
    }
}

impl From<ExportRectification> for RectificationRow {
    fn from(r: ExportRectification) -> RectificationRow {
        RectificationRow {
            finding_id: r.finding_id,
            unit: r.unit,
            department: r.department,
            item_label: r.item_label,
            subject: r.subject,
            note: r.note,
            observed_at: r.observed_at,
            ordered_at: r.ordered_at,
            ordered_by: r.ordered_by,
            deadline: r.deadline,
            status: r.status,
            rectified_note: r.rectified_note,
            rectified_at: r.rectified_at,
            verified_at: r.verified_at,
        }
    }
}

impl ExportSource for LedgerSource<'_> {
    fn count_findings(&self, filter: &Filter) -> Result<u64, ExportError> {
        Ok(self.ledger.export_count(&ledger_filter(filter))?)
    }

    fn for_each_finding(
        &self,
        filter: &Filter,
        each: Each<'_, ExportRow>,
    ) -> Result<(), ExportError> {
        self.ledger
            .export_findings(&ledger_filter(filter), |finding| {
                each(export_row(finding, self.ledger.authority()))
            })
    }

    fn unit_scores(&self, filter: &Filter) -> Result<Vec<UnitScore>, ExportError> {
        let Some(period) = self.period(filter)? else {
            return Ok(Vec::new());
        };
        let ranking = self.ledger.ranking(period, &self.tz)?;
        let ranks = ranking.ranks();
        Ok(ranking
            .units
            .into_iter()
            .zip(ranks)
            .filter(|(unit, _)| {
                // A unit keeps its place among all units when others are filtered out.
                filter.unit.as_deref().is_none_or(|u| u == unit.unit.name)
                    && filter
                        .department
                        .as_deref()
                        .is_none_or(|d| d == unit.unit.department)
            })
            .map(|(unit, rank)| UnitScore {
                rank: u32::try_from(rank).unwrap_or(u32::MAX),
                counted: u64::from(unit.counted_findings()),
                pending: u64::from(unit.pending_findings()),
                appraisal: unit.appraisals.iter().map(|a| a.points).sum::<Points>(),
                unit: unit.unit.name,
                department: unit.unit.department,
                score: unit.score,
                grade: unit.grade,
                deducted: unit.deducted,
                pending_points: unit.provisional_points,
                deductions: unit.counted,
            })
            .collect())
    }

    fn for_each_rectification(
        &self,
        filter: &Filter,
        each: Each<'_, RectificationRow>,
    ) -> Result<(), ExportError> {
        self.ledger
            .export_rectifications(&ledger_filter(filter), |r| each(RectificationRow::from(r)))
    }

    fn visits(&self, filter: &Filter) -> Result<Vec<VisitRow>, ExportError> {
        Ok(self
            .ledger
            .visits_started(filter.from, filter.until)?
            .into_iter()
            .filter(|v| {
                filter.unit.as_deref().is_none_or(|u| u == v.unit.name)
                    && filter
                        .department
                        .as_deref()
                        .is_none_or(|d| d == v.unit.department)
            })
            .map(|v| VisitRow {
                visit_id: v.visit_id,
                kind: v.kind,
                unit: v.unit.name,
                department: v.unit.department,
            })
            .collect())
    }

    fn device_id(&self) -> String {
        self.ledger.device_id().to_owned()
    }

    fn method(&self) -> Result<anfang_core::tally::MethodTag, ExportError> {
        let in_force = self.ledger.method_in_force()?;
        Ok(anfang_core::tally::MethodTag::of(
            &in_force.method,
            in_force.builtin,
        ))
    }
}
