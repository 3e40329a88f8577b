//! What a bulletin reports, gathered in one pass over the findings and one
//! over the rectification orders. Only confirmed findings (counted ones)
//! are kept with their facts: pending and dismissed ones are only counted,
//! so they can never put a name into the text.

use super::period::is_open;
use crate::error::ExportError;
use crate::export::Job;
use crate::row::ExportRow;
use anfang_core::Points;
use anfang_core::finding::FindingResult;
use anfang_core::review::ReviewStatus;
use jiff::civil::Date;
use std::collections::{BTreeMap, HashSet};

/// Facts told per unit at most; the rest of the unit's problems are counted.
pub(crate) const FACTS_PER_UNIT: usize = 6;
/// Overdue items listed at most; the rest are counted.
pub(crate) const OVERDUE_MAX: usize = 200;

/// One confirmed problem, as the prose tells it.
#[derive(Debug, Clone)]
pub(crate) struct Fact {
    pub(crate) finding: uuid::Uuid,
    pub(crate) observed: jiff::Timestamp,
    pub(crate) problem: String,
    pub(crate) subject: String,
    pub(crate) note: String,
    pub(crate) points: Points,
}

/// One unit's confirmed problems.
#[derive(Debug, Clone, Default)]
pub(crate) struct UnitProblems {
    /// The unit and department as recorded (not cleaned for print), so an
    /// issued bulletin's record names the unit the scores know.
    pub(crate) key: (String, String),
    pub(crate) department: String,
    pub(crate) count: u64,
    pub(crate) points: Points,
    /// The heaviest first, then the earliest; at most `FACTS_PER_UNIT`.
    pub(crate) facts: Vec<Fact>,
}

/// One unit's rectification orders.
#[derive(Debug, Clone, Default)]
pub(crate) struct UnitOrders {
    pub(crate) ordered: u64,
    pub(crate) done: u64,
    pub(crate) open: u64,
    pub(crate) overdue: u64,
    pub(crate) last_open_deadline: Option<Date>,
}

/// One order past its deadline and not rectified.
#[derive(Debug, Clone)]
pub(crate) struct OverdueItem {
    pub(crate) unit: String,
    pub(crate) problem: String,
    pub(crate) subject: String,
    pub(crate) deadline: Date,
    pub(crate) days: i64,
}

/// Everything counted.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    pub(crate) visits: u64,
    pub(crate) open_visits: u64,
    pub(crate) units: u64,
    pub(crate) violations: u64,
    pub(crate) counted: u64,
    pub(crate) pending: u64,
    pub(crate) dismissed: u64,
    pub(crate) points: Points,
    pub(crate) first: Option<Date>,
    pub(crate) last: Option<Date>,
    pub(crate) problems: BTreeMap<String, UnitProblems>,
    pub(crate) orders: BTreeMap<String, UnitOrders>,
    pub(crate) overdue: Vec<OverdueItem>,
    pub(crate) overdue_total: u64,
}

/// Drops characters that XML 1.0 forbids (a DOCX with one is refused).
pub(crate) fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect()
}

impl Tally {
    /// Counts the findings and orders of `job`.
    pub(crate) fn gather(job: &mut Job<'_>) -> Result<Tally, ExportError> {
        let lang = job.options.lang;
        let tz = job.options.tz.clone();
        let today = job.options.today;
        let mut tally = Tally::default();
        let mut visits = HashSet::new();
        let mut units = HashSet::new();
        job.each_finding(&mut |row: &ExportRow| {
            let day = tz.to_datetime(row.observed_at).date();
            tally.first = Some(tally.first.map_or(day, |d| d.min(day)));
            tally.last = Some(tally.last.map_or(day, |d| d.max(day)));
            if visits.insert(row.visit_id) {
                tally.visits += 1;
                tally.open_visits += u64::from(is_open(row.visit_kind));
            }
            units.insert(row.unit.clone());
            if row.result != FindingResult::Violation {
                return Ok(());
            }
            tally.violations += 1;
            match row.status {
                ReviewStatus::Pending => tally.pending += 1,
                ReviewStatus::Dismissed => tally.dismissed += 1,
                _ => {
                    tally.counted += 1;
                    tally.points = tally.points + row.points;
                    let unit = tally.problems.entry(clean(&row.unit)).or_default();
                    unit.key = (row.unit.clone(), row.department.clone());
                    unit.department = clean(&row.department);
                    unit.count += 1;
                    unit.points = unit.points + row.points;
                    unit.facts.push(Fact {
                        finding: row.finding_id,
                        observed: row.observed_at,
                        problem: clean(row.item_label.get(lang)),
                        subject: clean(row.subject.as_deref().unwrap_or("")),
                        note: clean(&row.note),
                        points: row.points,
                    });
                    unit.facts
                        .sort_by(|a, b| b.points.cmp(&a.points).then(a.observed.cmp(&b.observed)));
                    unit.facts.truncate(FACTS_PER_UNIT);
                }
            }
            Ok(())
        })?;
        tally.units = units.len() as u64;
        job.each_rectification(&mut |row| {
            let unit = tally.orders.entry(clean(&row.unit)).or_default();
            unit.ordered += 1;
            match row.status {
                ReviewStatus::RectificationRequired => {
                    unit.open += 1;
                    unit.last_open_deadline = Some(
                        unit.last_open_deadline
                            .map_or(row.deadline, |d| d.max(row.deadline)),
                    );
                }
                ReviewStatus::Rectified | ReviewStatus::Verified => unit.done += 1,
                _ => {}
            }
            if row.overdue(today) {
                unit.overdue += 1;
                tally.overdue_total += 1;
                if tally.overdue.len() < OVERDUE_MAX {
                    tally.overdue.push(OverdueItem {
                        unit: clean(&row.unit),
                        problem: clean(row.item_label.get(lang)),
                        subject: clean(row.subject.as_deref().unwrap_or("")),
                        deadline: row.deadline,
                        days: (today - row.deadline).get_days().into(),
                    });
                }
            }
            Ok(())
        })?;
        tally
            .overdue
            .sort_by(|a, b| a.deadline.cmp(&b.deadline).then(a.unit.cmp(&b.unit)));
        Ok(tally)
    }

    /// Rectification orders in all, done, still open, overdue.
    pub(crate) fn orders_total(&self) -> (u64, u64, u64, u64) {
        self.orders.values().fold((0, 0, 0, 0), |t, u| {
            (t.0 + u.ordered, t.1 + u.done, t.2 + u.open, t.3 + u.overdue)
        })
    }

    /// Units with confirmed problems, the most points first, then by name.
    pub(crate) fn units_by_points(&self) -> Vec<(&String, &UnitProblems)> {
        let mut units: Vec<_> = self.problems.iter().collect();
        units.sort_by(|a, b| b.1.points.cmp(&a.1.points).then(a.0.cmp(b.0)));
        units
    }
}
