//! Scores and ranking summed from a stream of findings, by the 100-point
//! deduction method: only counted statuses deduct, pending ones show apart.

use crate::row::{ExportRow, ItemDeduction, UnitScore};
use anfang_core::manifest::ItemRef;
use anfang_core::score::{Grade, score};
use anfang_core::{Label, Points};
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
    items: BTreeMap<(String, String), (ItemRef, Label, u64, Points)>,
}

impl Scoreboard {
    /// Adds one finding (any status; only counted ones deduct).
    pub fn add(&mut self, row: &ExportRow) {
        let tally = self.units.entry((row.unit.clone(), row.department.clone())).or_default();
        if row.counts() {
            tally.counted += 1;
            let key = (row.item.plugin_id.clone(), row.item.item_id.clone());
            let entry = tally
                .items
                .entry(key)
                .or_insert_with(|| (row.item.clone(), row.item_label.clone(), 0, Points::ZERO));
            entry.2 += u64::from(row.input.count.max(1));
            entry.3 = entry.3 + row.points;
        } else if row.provisional() {
            tally.pending += 1;
            tally.pending_points = tally.pending_points + row.points;
        }
    }

    /// Adds a public-appraisal deduction for a unit.
    pub fn add_appraisal(&mut self, unit: &str, department: &str, points: Points) {
        let tally = self.units.entry((unit.to_owned(), department.to_owned())).or_default();
        tally.appraisal = tally.appraisal + points;
    }

    /// Units by score, best first; equal scores share a place.
    pub fn ranking(self) -> Vec<UnitScore> {
        let mut scores: Vec<UnitScore> = self
            .units
            .into_iter()
            .map(|((unit, department), tally)| {
                let mut deductions: Vec<ItemDeduction> = tally
                    .items
                    .into_values()
                    .map(|(item, label, count, points)| ItemDeduction {
                        item,
                        label,
                        count,
                        points,
                    })
                    .collect();
                deductions.sort_by(|a, b| b.points.cmp(&a.points).then_with(|| a.item.item_id.cmp(&b.item.item_id)));
                let deducted = deductions.iter().map(|d| d.points).sum::<Points>() + tally.appraisal;
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
