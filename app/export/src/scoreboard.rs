//! Scores and ranking summed from a stream of findings, by the 100-point
//! deduction method: only counted statuses deduct, pending ones show apart.

use crate::row::{ExportRow, UnitScore};
use anfang_core::Points;
use anfang_core::score::{Grade, score};
use anfang_core::tally::{ItemKey, ItemLine};
use std::collections::BTreeMap;

/// Running totals per unit; memory grows with units and items, not findings.
#[derive(Debug, Default)]
pub struct Scoreboard {
    units: BTreeMap<(String, String), Tally>,
}

#[derive(Debug, Default)]
struct Tally {
    counted: u64,
    pending: u64,
    pending_points: Points,
    appraisal: Points,
    items: BTreeMap<ItemKey, ItemLine>,
}

impl Scoreboard {
    /// Adds one finding (any status; only counted ones deduct).
    pub fn add(&mut self, row: &ExportRow) {
        let tally = self
            .units
            .entry((row.unit.clone(), row.department.clone()))
            .or_default();
        if row.counts() {
            tally.counted += 1;
            let key = ItemKey {
                plugin_id: row.item.plugin_id.clone(),
                checklist_id: row.item.checklist_id.clone(),
                item_id: row.item.item_id.clone(),
            };
            let line = tally.items.entry(key.clone()).or_insert_with(|| ItemLine {
                key,
                item: row.item_label.clone(),
                checklist: row.checklist_label.clone(),
                findings: 0,
                count: 0,
                points: Points::ZERO,
            });
            line.findings += 1;
            line.count += row.input.count;
            line.points = line.points + row.points;
        } else if row.provisional() {
            tally.pending += 1;
            tally.pending_points = tally.pending_points + row.points;
        }
    }

    /// Adds a public-appraisal deduction for a unit.
    pub fn add_appraisal(&mut self, unit: &str, department: &str, points: Points) {
        let tally = self
            .units
            .entry((unit.to_owned(), department.to_owned()))
            .or_default();
        tally.appraisal = tally.appraisal + points;
    }

    /// Units by score, best first; equal scores share a place.
    pub fn ranking(self) -> Vec<UnitScore> {
        let mut scores: Vec<UnitScore> = self
            .units
            .into_iter()
            .map(|((unit, department), tally)| {
                let mut deductions: Vec<ItemLine> = tally.items.into_values().collect();
                deductions.sort_by(|a, b| b.points.cmp(&a.points).then_with(|| a.key.cmp(&b.key)));
                let deducted =
                    deductions.iter().map(|d| d.points).sum::<Points>() + tally.appraisal;
                let total = score([deducted]);
                UnitScore {
                    rank: 0,
                    unit,
                    department,
                    score: total,
                    grade: Grade::of(total),
                    deducted,
                    appraisal: tally.appraisal,
                    counted: tally.counted,
                    pending: tally.pending,
                    pending_points: tally.pending_points,
                    deductions,
                }
            })
            .collect();
        rank(&mut scores);
        scores
    }
}

/// Sorts best first and numbers the places (1, 1, 3 for a tie at the top).
pub fn rank(scores: &mut [UnitScore]) {
    scores.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then_with(|| a.unit.cmp(&b.unit))
            .then_with(|| a.department.cmp(&b.department))
    });
    let mut previous: Option<(Points, u32)> = None;
    for (index, unit) in scores.iter_mut().enumerate() {
        let place = u32::try_from(index + 1).unwrap_or(u32::MAX);
        unit.rank = match previous {
            Some((score, rank)) if score == unit.score => rank,
            _ => place,
        };
        previous = Some((unit.score, unit.rank));
    }
}
