//! A unit's score for a period and the ranking of units: 100 minus the
//! deductions of counted findings and public appraisal, never below 0, with
//! deductions still pending review kept apart as provisional.

use crate::event::AppraisalEntered;
use crate::label::Label;
use crate::method::Method;
use crate::period::Period;
use crate::points::Points;
use crate::score::{Appraisal, Grade, score};
use crate::visit::Unit;
use serde::Serialize;
use std::collections::BTreeMap;

/// The checklist item a breakdown line is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ItemKey {
    /// Plugin id (`core` for built-in items).
    pub plugin_id: String,
    /// Checklist id within the plugin: the deduction category.
    pub checklist_id: String,
    /// Item id within the plugin.
    pub item_id: String,
}

/// One item's findings in a unit for a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemLine {
    /// Which item.
    pub key: ItemKey,
    /// The item's label.
    pub item: Label,
    /// The label of its checklist (the category).
    pub checklist: Label,
    /// How many findings.
    pub findings: u32,
    /// Person-times, cases, times or items counted across them.
    pub count: u32,
    /// Points they deduct.
    pub points: Points,
}

/// Deductions summed over one checklist: a category of the bar chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryLine {
    /// Plugin id.
    pub plugin_id: String,
    /// Checklist id.
    pub checklist_id: String,
    /// The checklist's label.
    pub label: Label,
    /// How many findings.
    pub findings: u32,
    /// Points deducted.
    pub points: Points,
}

/// Public appraisal results counted in a unit's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppraisalLine {
    /// The appraisal's own period.
    pub period: Period,
    /// The results as entered.
    pub appraisal: Appraisal,
    /// Overall satisfaction in percent, when it can be computed.
    pub satisfaction: Option<Points>,
    /// What it deducts (1 point per percentage point below 90 %).
    pub points: Points,
}

/// A deduction line beside the checklist items: an office deduction; other
/// kinds of line (a bulletin's, a subordinate unit's) are added the same way.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BreakdownLine {
    /// The method row's section (`四(四)1`).
    pub section: String,
    /// The method row's id.
    pub item: String,
    /// The row's label.
    pub label: Label,
    /// Why, as entered.
    pub reason: String,
    /// Units counted.
    pub count: u32,
    /// Points deducted.
    pub points: Points,
    /// Where it comes from: `office` for an office deduction.
    pub source: String,
    /// The day it is about.
    pub date: Option<jiff::civil::Date>,
    /// The event it comes from.
    pub event_id: String,
}

/// The method a ranking was scored by, as scores and exports name it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MethodTag {
    /// Its version.
    pub version: u32,
    /// Its title with the version, in both languages.
    pub citation: Label,
    /// Its rounding rules in words.
    pub rounding: Label,
    /// Its public appraisal formula in words.
    pub appraisal: Label,
    /// Whether it is the built-in method (no method published).
    pub builtin: bool,
}

impl MethodTag {
    /// The tag of `method`.
    pub fn of(method: &Method, builtin: bool) -> MethodTag {
        MethodTag {
            version: method.version,
            citation: method.citation(),
            rounding: method.rounding.describe(),
            appraisal: method.appraisal.describe(),
            builtin,
        }
    }
}

/// An appraisal event as the ledger holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct DatedAppraisal {
    /// The event's id (hex SHA-256).
    pub event_id: String,
    /// The time the entering device claimed.
    pub claimed_time: jiff::Timestamp,
    /// What was entered.
    pub entry: AppraisalEntered,
}

/// The appraisals that count in `period`, per unit.
///
/// The rule: an appraisal counts in the period that holds its last day, so
/// consecutive periods never count it twice. Entries for the same unit and
/// the same appraisal period correct each other, ordered as review decisions
/// are ([`crate::authority::settle`]): each names the entry it follows, the
/// head of the longest chain holds, and two that follow the same entry fall
/// to the smaller event id. No claimed time decides, except among entries
/// made before chains, which keep their order by claimed time.
pub fn appraisals_in(
    period: &Period,
    entries: &[DatedAppraisal],
    method: &Method,
) -> BTreeMap<(String, String), Vec<AppraisalLine>> {
    let mut groups: BTreeMap<(String, String, Period), Vec<&DatedAppraisal>> = BTreeMap::new();
    for entry in entries.iter().filter(|e| period.contains(e.entry.to)) {
        let own = Period {
            from: entry.entry.from,
            to: entry.entry.to,
        };
        let key = (
            entry.entry.unit.name.clone(),
            entry.entry.unit.department.clone(),
            own,
        );
        groups.entry(key).or_default().push(entry);
    }
    let mut out: BTreeMap<(String, String), Vec<AppraisalLine>> = BTreeMap::new();
    for ((name, department, own), group) in groups {
        let Some(entry) = appraisal_head(&group) else {
            continue;
        };
        let appraisal = entry.entry.appraisal.clone();
        out.entry((name, department))
            .or_default()
            .push(AppraisalLine {
                period: own,
                satisfaction: method.appraisal.satisfaction(&appraisal),
                points: method.appraisal.deduction(&appraisal, method.rounding),
                appraisal,
            });
    }
    out
}

/// The entry that holds among corrections of one unit's appraisal for one
/// period: the head of their chain, settled as review decisions are.
pub fn appraisal_head<'a>(group: &[&'a DatedAppraisal]) -> Option<&'a DatedAppraisal> {
    use crate::authority::{DecisionNode, settle};
    use crate::review::Decision;
    let nodes: Vec<DecisionNode> = group
        .iter()
        .map(|e| DecisionNode {
            event_id: e.event_id.clone(),
            person: String::new(),
            // All alike, so a conflict falls to chain length, then event id.
            decision: Decision::Confirm { points: None },
            follows: e.entry.follows.clone(),
            claimed_time: e.claimed_time,
            counts: true,
        })
        .collect();
    let head = settle(&nodes, Points::ZERO, None).head?;
    group.iter().copied().find(|e| e.event_id == head)
}

/// One unit's score for a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitScore {
    /// The unit.
    pub unit: Unit,
    /// Counted findings (confirmed, under or after rectification), by item.
    pub counted: Vec<ItemLine>,
    /// Findings still pending review, by item: shown, not counted.
    pub provisional: Vec<ItemLine>,
    /// Public appraisal results counted.
    pub appraisals: Vec<AppraisalLine>,
    /// Office deductions and other lines beside the checklist items.
    pub lines: Vec<BreakdownLine>,
    /// Appraisal questionnaires recorded on a visit for a unit and period
    /// whose appraisal was entered on the Scores screen: counted once, there.
    pub appraisal_duplicates: Vec<ItemLine>,
    /// Deductions from outside the unit's own findings (bulletins, rules
    /// across units), each naming its section and source.
    pub extra: Vec<crate::cross_unit::ExtraLine>,
    /// Office deductions entered and not yet reviewed: shown, not counted.
    pub pending_lines: Vec<BreakdownLine>,
    /// Everything deducted: counted findings, appraisals, office lines and extra lines.
    pub deducted: Points,
    /// What pending findings and pending office deductions would deduct
    /// if confirmed as recorded.
    pub provisional_points: Points,
    /// 100 minus `deducted`, never below 0.
    pub score: Points,
    /// `score` rounded as the method states, the grade read from it.
    pub graded_score: Points,
    /// The grade of `graded_score`.
    pub grade: Grade,
}

fn sum_points(lines: &[ItemLine]) -> Points {
    lines.iter().map(|l| l.points).sum()
}

fn sum_findings(lines: &[ItemLine]) -> u32 {
    lines.iter().map(|l| l.findings).sum()
}

impl UnitScore {
    /// Scores a unit from its breakdown lines and appraisals by the built-in method.
    pub fn new(
        unit: Unit,
        counted: Vec<ItemLine>,
        provisional: Vec<ItemLine>,
        appraisals: Vec<AppraisalLine>,
    ) -> UnitScore {
        UnitScore::scored(
            unit,
            counted,
            provisional,
            appraisals,
            Vec::new(),
            &crate::method::builtin::method(),
        )
    }

    /// Scores a unit by `method`: its checklist items, appraisals and other
    /// lines. A questionnaire recorded on a visit does not count when the
    /// unit's appraisal for the period was entered on the Scores screen.
    pub fn scored(
        unit: Unit,
        counted: Vec<ItemLine>,
        mut provisional: Vec<ItemLine>,
        appraisals: Vec<AppraisalLine>,
        mut lines: Vec<BreakdownLine>,
        method: &Method,
    ) -> UnitScore {
        let (mut appraisal_duplicates, mut counted): (Vec<ItemLine>, Vec<ItemLine>) =
            counted.into_iter().partition(|l| {
                !appraisals.is_empty() && method.is_appraisal_item(&l.key.plugin_id, &l.key.item_id)
            });
        // Largest deductions first; the key settles ties so the order is stable.
        let order = |a: &ItemLine, b: &ItemLine| b.points.cmp(&a.points).then(a.key.cmp(&b.key));
        counted.sort_by(order);
        provisional.sort_by(order);
        appraisal_duplicates.sort_by(order);
        lines.sort_by(|a, b| {
            (a.date, &a.section, &a.event_id).cmp(&(b.date, &b.section, &b.event_id))
        });
        let deducted = sum_points(&counted)
            + appraisals.iter().map(|a| a.points).sum::<Points>()
            + lines.iter().map(|l| l.points).sum::<Points>();
        let score = score([deducted]);
        UnitScore {
            extra: Vec::new(),
            pending_lines: Vec::new(),
            provisional_points: sum_points(&provisional),
            graded_score: method.rounding.graded_score(score),
            grade: method.grade(score),
            score,
            deducted,
            unit,
            counted,
            provisional,
            appraisals,
            lines,
            appraisal_duplicates,
        }
    }

    /// The same score with `lines` appended to its breakdown and counted.
    pub fn with_extra(
        mut self,
        lines: Vec<crate::cross_unit::ExtraLine>,
        method: &Method,
    ) -> UnitScore {
        let added: Points = lines.iter().map(|l| l.points).sum();
        self.extra.extend(lines);
        self.deducted = self.deducted + added;
        self.score = score([self.deducted]);
        self.graded_score = method.rounding.graded_score(self.score);
        self.grade = method.grade(self.score);
        self
    }

    /// The same score with office deductions still pending review shown
    /// apart, as pending findings are: provisional, not counted.
    pub fn with_pending_lines(mut self, mut lines: Vec<BreakdownLine>) -> UnitScore {
        lines.sort_by(|a, b| {
            (a.date, &a.section, &a.event_id).cmp(&(b.date, &b.section, &b.event_id))
        });
        self.provisional_points =
            self.provisional_points + lines.iter().map(|l| l.points).sum::<Points>();
        self.pending_lines.extend(lines);
        self
    }

    /// Findings counted in the score.
    pub fn counted_findings(&self) -> u32 {
        sum_findings(&self.counted)
    }

    /// Findings pending review.
    pub fn pending_findings(&self) -> u32 {
        sum_findings(&self.provisional)
    }

    /// Counted deductions summed per checklist.
    pub fn by_category(&self) -> Vec<CategoryLine> {
        categories(self.counted.iter())
    }
}

fn categories<'a>(lines: impl Iterator<Item = &'a ItemLine>) -> Vec<CategoryLine> {
    let mut sums: BTreeMap<(String, String), CategoryLine> = BTreeMap::new();
    for line in lines {
        let key = (line.key.plugin_id.clone(), line.key.checklist_id.clone());
        let entry = sums.entry(key).or_insert_with(|| CategoryLine {
            plugin_id: line.key.plugin_id.clone(),
            checklist_id: line.key.checklist_id.clone(),
            label: line.checklist.clone(),
            findings: 0,
            points: Points::ZERO,
        });
        entry.findings += line.findings;
        entry.points = entry.points + line.points;
    }
    let mut out: Vec<CategoryLine> = sums.into_values().collect();
    out.sort_by(|a, b| {
        b.points
            .cmp(&a.points)
            .then_with(|| (&a.plugin_id, &a.checklist_id).cmp(&(&b.plugin_id, &b.checklist_id)))
    });
    out
}

/// Units ranked for a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranking {
    /// The period scored.
    pub period: Period,
    /// The method scored by.
    pub method: MethodTag,
    /// Units, best score first; equal scores (a tie, one rank) with fewer
    /// counted findings first, then by unit name, then department
    /// ([`TIE_RULE`]).
    pub units: Vec<UnitScore>,
}

/// How units with equal scores are shown, as the screens and `anfang
/// scores --help` state it.
pub const TIE_RULE: (&str, &str) = (
    "同分同名次，标“并列”；并列单位按计入扣分的问题数少者在前，再按单位名称排列。",
    "Equal scores share a rank, marked \"tied\"; tied units are listed with fewer counted findings first, then by unit name.",
);

impl Ranking {
    /// Ranks the units scored by the built-in method.
    pub fn new(period: Period, units: Vec<UnitScore>) -> Ranking {
        Ranking::by(
            period,
            units,
            MethodTag::of(&crate::method::builtin::method(), true),
        )
    }

    /// Ranks the units scored by the method `method` names.
    pub fn by(period: Period, mut units: Vec<UnitScore>, method: MethodTag) -> Ranking {
        units.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then_with(|| a.counted_findings().cmp(&b.counted_findings()))
                .then_with(|| a.unit.name.cmp(&b.unit.name))
                .then_with(|| a.unit.department.cmp(&b.unit.department))
        });
        Ranking {
            period,
            method,
            units,
        }
    }

    /// Competition ranks (1, 2, 2, 4): equal scores share a place.
    pub fn ranks(&self) -> Vec<usize> {
        let mut out = Vec::with_capacity(self.units.len());
        for (i, unit) in self.units.iter().enumerate() {
            let rank = match (i, out.last()) {
                (0, _) | (_, None) => 1,
                (_, Some(&prev)) if self.units[i - 1].score == unit.score => prev,
                _ => i + 1,
            };
            out.push(rank);
        }
        out
    }

    /// Whether each unit shares its rank with another: a tie.
    pub fn tied(&self) -> Vec<bool> {
        let same = |i: usize, j: usize| self.units[i].score == self.units[j].score;
        (0..self.units.len())
            .map(|i| (i > 0 && same(i - 1, i)) || (i + 1 < self.units.len() && same(i, i + 1)))
            .collect()
    }

    /// Findings counted across all units.
    pub fn counted_findings(&self) -> u32 {
        self.units.iter().map(UnitScore::counted_findings).sum()
    }

    /// Findings pending review across all units.
    pub fn pending_findings(&self) -> u32 {
        self.units.iter().map(UnitScore::pending_findings).sum()
    }

    /// True when findings exist but none has been reviewed: every score
    /// would read 100 and means nothing yet.
    pub fn unreviewed_only(&self) -> bool {
        self.counted_findings() == 0
            && self.pending_findings() > 0
            && self
                .units
                .iter()
                .all(|u| u.appraisals.is_empty() && u.lines.is_empty())
    }

    /// Counted deductions per checklist over all units.
    pub fn by_category(&self) -> Vec<CategoryLine> {
        categories(self.units.iter().flat_map(|u| u.counted.iter()))
    }

    /// The position of a unit in the ranking.
    pub fn position(&self, unit: &Unit) -> Option<usize> {
        self.units.iter().position(|u| &u.unit == unit)
    }
}

/// The average score of the ranked units, for a trend line.
pub fn average_score(units: &[UnitScore]) -> Option<Points> {
    let n = i64::try_from(units.len()).ok().filter(|n| *n > 0)?;
    let total: i64 = units.iter().map(|u| u.score.hundredths()).sum();
    Some(Points::from_hundredths((total * 2 + n) / (n * 2)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn unit(name: &str) -> Unit {
        Unit {
            name: name.into(),
            department: "税务".into(),
        }
    }

    fn line(checklist: &str, item: &str, findings: u32, points: i64) -> ItemLine {
        ItemLine {
            key: ItemKey {
                plugin_id: "core".into(),
                checklist_id: checklist.into(),
                item_id: item.into(),
            },
            item: Label::new(item, item),
            checklist: Label::new(checklist, checklist),
            findings,
            count: findings,
            points: Points::whole(points),
        }
    }

    fn day(s: &str) -> jiff::civil::Date {
        s.parse().unwrap()
    }

    fn period() -> Period {
        Period::new(day("2026-01-01"), day("2026-12-31")).unwrap()
    }

    #[test]
    fn provisional_points_do_not_count() {
        let u = UnitScore::new(
            unit("a"),
            vec![line("attendance", "late", 2, 2)],
            vec![line("conduct", "games", 1, 4)],
            vec![],
        );
        assert_eq!(u.score, Points::whole(98));
        assert_eq!(u.provisional_points, Points::whole(4));
        assert_eq!(u.grade, Grade::Excellent);
    }

    #[test]
    fn ranking_shares_places_and_breaks_ties_by_name() {
        let r = Ranking::new(
            period(),
            vec![
                UnitScore::new(unit("c"), vec![line("x", "i", 1, 5)], vec![], vec![]),
                UnitScore::new(unit("b"), vec![], vec![], vec![]),
                UnitScore::new(unit("a"), vec![line("x", "i", 1, 5)], vec![], vec![]),
            ],
        );
        let names: Vec<_> = r.units.iter().map(|u| u.unit.name.as_str()).collect();
        assert_eq!(names, ["b", "a", "c"]);
        assert_eq!(r.ranks(), [1, 2, 2]);
        assert_eq!(r.tied(), [false, true, true]);
    }

    #[test]
    fn tied_units_with_fewer_findings_come_first() {
        // All three lose 10 points: one rank, "a" with two findings last.
        let r = Ranking::new(
            period(),
            vec![
                UnitScore::new(unit("a"), vec![line("x", "i", 2, 10)], vec![], vec![]),
                UnitScore::new(unit("c"), vec![line("x", "j", 1, 10)], vec![], vec![]),
                UnitScore::new(unit("b"), vec![line("x", "j", 1, 10)], vec![], vec![]),
                UnitScore::new(unit("d"), vec![line("x", "j", 1, 20)], vec![], vec![]),
            ],
        );
        let names: Vec<_> = r.units.iter().map(|u| u.unit.name.as_str()).collect();
        assert_eq!(names, ["b", "c", "a", "d"]);
        assert_eq!(r.ranks(), [1, 1, 1, 4]);
        assert_eq!(r.tied(), [true, true, true, false]);
    }

    #[test]
    fn unreviewed_only_is_told_apart() {
        let r = Ranking::new(
            period(),
            vec![UnitScore::new(
                unit("a"),
                vec![],
                vec![line("x", "i", 3, 3)],
                vec![],
            )],
        );
        assert!(r.unreviewed_only());
        let empty = Ranking::new(period(), vec![]);
        assert!(!empty.unreviewed_only());
    }

    #[test]
    fn categories_sum_items_of_one_checklist() {
        let u = UnitScore::new(
            unit("a"),
            vec![
                line("attendance", "late", 2, 2),
                line("attendance", "early", 1, 1),
                line("window", "four-ones", 1, 5),
            ],
            vec![],
            vec![],
        );
        let cats = u.by_category();
        assert_eq!(cats.len(), 2);
        assert_eq!(cats[0].checklist_id, "window");
        assert_eq!(cats[1].points, Points::whole(3));
        assert_eq!(cats[1].findings, 3);
    }

    #[test]
    fn appraisal_counts_in_the_period_of_its_last_day_and_latest_entry_wins() {
        let entry = |id: &str, second: i64, percent: i64, to: &str| DatedAppraisal {
            event_id: id.into(),
            claimed_time: jiff::Timestamp::from_second(second).unwrap(),
            entry: AppraisalEntered {
                unit: unit("a"),
                from: day("2026-01-01"),
                to: day(to),
                appraisal: Appraisal::Rate {
                    percent: Points::whole(percent),
                },
                follows: None,
            },
        };
        let entries = [
            entry("aa", 10, 80, "2026-06-30"),
            entry("bb", 20, 85, "2026-06-30"),
            entry("cc", 5, 10, "2027-01-31"),
        ];
        let got = appraisals_in(&period(), &entries, &crate::method::builtin::method());
        let lines = &got[&("a".to_string(), "税务".to_string())];
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].points, Points::whole(5));
        let u = UnitScore::new(unit("a"), vec![], vec![], lines.clone());
        assert_eq!(u.score, Points::whole(95));
    }

    #[test]
    fn extra_lines_count_in_the_score_and_grade() {
        let u = UnitScore::new(unit("a"), vec![line("x", "i", 1, 5)], vec![], vec![]);
        let named = crate::cross_unit::bulletin_line("3号", day("2026-09-28"), "ab");
        let u = u.with_extra(vec![named], &crate::method::builtin::method());
        assert_eq!(u.deducted, Points::whole(15));
        assert_eq!(u.score, Points::whole(85));
        assert_eq!(u.grade, Grade::Good);
        assert_eq!(u.extra.len(), 1);
    }

    #[test]
    fn average_rounds_half_up() {
        let a = UnitScore::new(unit("a"), vec![line("x", "i", 1, 5)], vec![], vec![]);
        let b = UnitScore::new(unit("b"), vec![], vec![], vec![]);
        assert_eq!(average_score(&[a, b]), Some(Points::from_hundredths(9750)));
        assert_eq!(average_score(&[]), None);
    }
}
