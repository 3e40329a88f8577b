//! What the bulletin says, gathered in one pass over the findings.

use super::texts::Texts;
use crate::error::ExportError;
use crate::export::Job;
use crate::row::ExportRow;
use anfang_core::review::ReviewStatus;
use anfang_core::score::Grade;
use anfang_core::{Lang, Points};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// Typical problems shown at most, and at most this many per unit.
const TYPICAL_MAX: usize = 10;
const TYPICAL_PER_UNIT: usize = 3;
/// Rectifications listed at most; the rest are counted.
const RECTIFICATIONS_MAX: usize = 1000;

/// The bulletin's content, ready for a template.
#[derive(Debug, Clone, Serialize)]
pub struct Bulletin {
    /// Language tag of the text.
    pub lang: &'static str,
    /// Fixed words (headings, column titles).
    pub t: Texts,
    /// The title.
    pub title: String,
    /// Who issues it.
    pub issuer: String,
    /// The period, in words.
    pub period: String,
    /// Date of the draft, in words.
    pub issued: String,
    /// The overview paragraph.
    pub summary: String,
    /// Units ranked.
    pub ranking: Vec<RankLine>,
    /// Whether any unit has findings pending review.
    pub has_pending: bool,
    /// The typical problems.
    pub typical: Vec<TypicalLine>,
    /// The rectification list.
    pub rectifications: Vec<RectificationLine>,
    /// Rectifications not listed.
    pub more_rectifications: String,
    /// Staff names were replaced by pseudonyms.
    pub anonymized: bool,
    /// The units and findings it names as typical problems, for the
    /// record of an issued bulletin.
    #[serde(skip)]
    pub named: Named,
}

/// What a bulletin names for work-style problems: the units of its
/// typical problems, and those findings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Named {
    /// (unit, department), each once, in the order first named.
    pub units: Vec<(String, String)>,
    /// The findings of the typical problems, in the order shown.
    pub findings: Vec<uuid::Uuid>,
}

/// One unit in the ranking.
#[derive(Debug, Clone, Serialize)]
pub struct RankLine {
    /// Place.
    pub rank: u32,
    /// Unit name.
    pub unit: String,
    /// Department.
    pub department: String,
    /// Score.
    pub score: String,
    /// Grade in words.
    pub grade: String,
    /// `excellent`, `good`, `pass` or `fail`.
    pub grade_key: &'static str,
    /// Points deducted.
    pub deducted: String,
    /// Findings pending review (not counted).
    pub pending: u64,
}

/// One typical problem.
#[derive(Debug, Clone, Serialize)]
pub struct TypicalLine {
    /// Unit name.
    pub unit: String,
    /// When, in local time.
    pub time: String,
    /// The day of `time`.
    pub date: String,
    /// The clock time of `time`.
    pub clock: String,
    /// The item.
    pub problem: String,
    /// Who or where.
    pub subject: String,
    /// The evidence note, line by line.
    pub note: Vec<String>,
    /// Points deducted.
    pub points: String,
}

/// One ordered rectification.
#[derive(Debug, Clone, Serialize)]
pub struct RectificationLine {
    /// Unit name.
    pub unit: String,
    /// The item.
    pub problem: String,
    /// Who or where.
    pub subject: String,
    /// Last day.
    pub deadline: String,
    /// Status in words.
    pub status: String,
    /// Past the deadline and not rectified.
    pub overdue: bool,
}

/// Drops characters that XML 1.0 forbids (a DOCX with one is refused).
pub(crate) fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect()
}

fn note_lines(note: &str) -> Vec<String> {
    clean(note).lines().map(str::to_owned).collect()
}

/// A date as people write it: 2026年3月2日, 2 March 2026.
pub(crate) fn date_words(date: Date, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月{}日", date.year(), date.month(), date.day()),
        Lang::En => date.strftime("%-d %B %Y").to_string(),
    }
}

#[derive(Default)]
struct Tally {
    visits: HashSet<uuid::Uuid>,
    units: HashSet<(String, String)>,
    violations: u64,
    counted: u64,
    pending: u64,
    dismissed: u64,
    points: Points,
    first: Option<Date>,
    last: Option<Date>,
}

/// A candidate typical problem, best first by points, then earliest.
struct Candidate {
    points: Points,
    observed: jiff::Timestamp,
    finding: uuid::Uuid,
    unit: (String, String),
    line: TypicalLine,
}

impl Bulletin {
    /// Gathers the bulletin of `job` in one pass over its findings.
    pub(crate) fn gather(job: &mut Job<'_>) -> Result<Bulletin, ExportError> {
        let options = job.options;
        let lang = options.lang;
        let tz = options.tz.clone();
        let mut tally = Tally::default();
        let mut per_unit: BTreeMap<String, Vec<Candidate>> = BTreeMap::new();
        job.each_finding(&mut |row: &ExportRow| {
            let day = tz.to_datetime(row.observed_at).date();
            tally.first = Some(tally.first.map_or(day, |d| d.min(day)));
            tally.last = Some(tally.last.map_or(day, |d| d.max(day)));
            tally.visits.insert(row.visit_id);
            tally
                .units
                .insert((row.unit.clone(), row.department.clone()));
            if row.result != anfang_core::finding::FindingResult::Violation {
                return Ok(());
            }
            tally.violations += 1;
            match row.status {
                ReviewStatus::Pending => tally.pending += 1,
                ReviewStatus::Dismissed => tally.dismissed += 1,
                _ => {
                    tally.counted += 1;
                    tally.points = tally.points + row.points;
                    let list = per_unit.entry(row.unit.clone()).or_default();
                    let better = list.len() < TYPICAL_PER_UNIT
                        || list.last().is_some_and(|worst| {
                            (row.points, std::cmp::Reverse(row.observed_at))
                                > (worst.points, std::cmp::Reverse(worst.observed))
                        });
                    if better {
                        let local = tz.to_datetime(row.observed_at);
                        list.push(Candidate {
                            points: row.points,
                            observed: row.observed_at,
                            finding: row.finding_id,
                            unit: (row.unit.clone(), row.department.clone()),
                            line: TypicalLine {
                                unit: clean(&row.unit),
                                time: local.strftime("%Y-%m-%d %H:%M").to_string(),
                                date: local.date().to_string(),
                                clock: local.strftime("%H:%M").to_string(),
                                problem: clean(row.item_label.get(lang)),
                                subject: clean(row.subject.as_deref().unwrap_or("")),
                                note: note_lines(&row.note),
                                points: row.points.to_string(),
                            },
                        });
                        list.sort_by(|a, b| {
                            b.points.cmp(&a.points).then(a.observed.cmp(&b.observed))
                        });
                        list.truncate(TYPICAL_PER_UNIT);
                    }
                }
            }
            Ok(())
        })?;
        let mut typical: Vec<Candidate> = per_unit.into_values().flatten().collect();
        typical.sort_by(|a, b| b.points.cmp(&a.points).then(a.observed.cmp(&b.observed)));
        typical.truncate(TYPICAL_MAX);
        let mut named = Named::default();
        for c in &typical {
            named.findings.push(c.finding);
            if !named.units.contains(&c.unit) {
                named.units.push(c.unit.clone());
            }
        }

        let scores = job.unit_scores()?;
        let ranking: Vec<RankLine> = scores
            .iter()
            .map(|u| RankLine {
                rank: u.rank,
                unit: clean(&u.unit),
                department: clean(&u.department),
                score: u.score.to_string(),
                grade: u.grade.label().get(lang).to_owned(),
                grade_key: u.grade.as_str(),
                deducted: u.deducted.to_string(),
                pending: u.pending,
            })
            .collect();
        let failed = scores.iter().filter(|u| u.grade == Grade::Fail).count();

        let today = options.today;
        let mut rectifications = Vec::new();
        let (mut ordered, mut open, mut overdue, mut done) = (0u64, 0u64, 0u64, 0u64);
        job.each_rectification(&mut |row| {
            ordered += 1;
            let late = row.overdue(today);
            match row.status {
                ReviewStatus::RectificationRequired => open += 1,
                ReviewStatus::Rectified | ReviewStatus::Verified => done += 1,
                _ => {}
            }
            overdue += u64::from(late);
            if rectifications.len() < RECTIFICATIONS_MAX {
                rectifications.push(RectificationLine {
                    unit: clean(&row.unit),
                    problem: clean(row.item_label.get(lang)),
                    subject: clean(row.subject.as_deref().unwrap_or("")),
                    deadline: row.deadline.to_string(),
                    status: row.status.label().get(lang).to_owned(),
                    overdue: late,
                });
            }
            Ok(())
        })?;
        let t = Texts::of(lang);
        let more = ordered.saturating_sub(rectifications.len() as u64);
        let more_rectifications = if more > 0 {
            t.more.replace("{n}", &more.to_string())
        } else {
            String::new()
        };

        let from = options.from.or(tally.first);
        let to = options.to.or(tally.last);
        let period = match (from, to) {
            (Some(from), Some(to)) => match lang {
                Lang::Zh => format!("{}至{}", date_words(from, lang), date_words(to, lang)),
                Lang::En => format!("{} to {}", date_words(from, lang), date_words(to, lang)),
            },
            _ => match lang {
                Lang::Zh => "本期".to_owned(),
                Lang::En => "this period".to_owned(),
            },
        };
        let title = match lang {
            Lang::Zh => format!("关于{period}作风效能暗访检查情况的通报"),
            Lang::En => format!("Bulletin on work-style and efficiency inspections, {period}"),
        };
        let (visits, units) = (tally.visits.len(), tally.units.len());
        let (violations, counted, points) = (tally.violations, tally.counted, &tally.points);
        let (pending, dismissed) = (tally.pending, tally.dismissed);
        let summary = match lang {
            Lang::Zh => format!(
                "{period}，共开展检查{visits}次，涉及单位{units}个，发现问题{violations}个。其中经审核确认计分{counted}个，扣分合计{points}分；待审核{pending}个；不予认定{dismissed}个。考评不合格单位{failed}个。下达整改通知{ordered}件，已整改{done}件，尚在整改{open}件，其中逾期未整改{overdue}件。"
            ),
            Lang::En => format!(
                "From {period}, {visits} visits covered {units} units and found {violations} problems: {counted} confirmed and counted, {points} points deducted in all; {pending} pending review; {dismissed} dismissed. {failed} units failed. Rectification was ordered in {ordered} cases: {done} rectified, {open} still open, {overdue} of them overdue."
            ),
        };
        let issuer = options.issuer_name();
        Ok(Bulletin {
            lang: lang.tag(),
            title: clean(&title),
            issuer: clean(&issuer),
            period,
            issued: date_words(today, lang),
            summary,
            has_pending: scores.iter().any(|u| u.pending > 0),
            ranking,
            typical: typical.into_iter().map(|c| c.line).collect(),
            rectifications,
            more_rectifications,
            anonymized: options.anonymize,
            named,
            t,
        })
    }
}
