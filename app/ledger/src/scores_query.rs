//! Scores and ranking for a period, from the derived tables: per unit, the
//! deductions of counted findings by item, pending ones apart as
//! provisional, and public appraisal; the arithmetic is `anfang_core::tally`.
//!
//! Which findings belong to a period: those observed within its days in the
//! given time zone. Which units are ranked: those visited in the period, or
//! with findings or an appraisal counted in it.

use crate::Ledger;
use crate::canonical::{format_time, parse_time};
use crate::derive::decisions_of;
use crate::error::LedgerError;
use crate::review_query::ensure_indexes;
use anfang_core::Points;
use anfang_core::event::AppraisalEntered;
use anfang_core::label::Label;
use anfang_core::manifest::ChecklistSnapshot;
use anfang_core::office_deduction::DeductionStatus;
use anfang_core::period::{Period, Step};
use anfang_core::review::ReviewStatus;
use anfang_core::review_state::ReviewState;
use anfang_core::score::Appraisal;
use anfang_core::tally::{
    DatedAppraisal, ItemKey, ItemLine, MethodTag, Ranking, UnitScore, appraisals_in,
};
use anfang_core::visit::Unit;
use jiff::tz::TimeZone;
use rusqlite::{Connection, OptionalExtension};
use std::collections::{BTreeMap, HashMap};

use crate::scores_extra::{Canon, UnitKey, extra_lines};
use anfang_core::method::Method;

/// Per unit and item: counted and provisional lines.
#[derive(Default)]
struct UnitLines {
    counted: BTreeMap<ItemKey, ItemLine>,
    provisional: BTreeMap<ItemKey, ItemLine>,
}

/// The statuses that count, as SQL: `'confirmed', 'rectification_required', …`.
pub(crate) fn counted_statuses() -> String {
    ReviewStatus::ALL
        .into_iter()
        .filter(|s| s.counts())
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Ledger {
    /// Units ranked for `period`, its days taken in `tz`.
    pub fn ranking(&self, period: Period, tz: &TimeZone) -> Result<Ranking, LedgerError> {
        ensure_indexes(&self.conn)?;
        ranking(&self.conn, period, tz)
    }

    /// One ranking per month or quarter of `period`, oldest first.
    pub fn ranking_trend(
        &self,
        period: Period,
        step: Step,
        tz: &TimeZone,
    ) -> Result<Vec<Ranking>, LedgerError> {
        ensure_indexes(&self.conn)?;
        rankings(&self.conn, &period.steps(step), tz)
    }

    /// The first and last day anything was observed or visited, in `tz`:
    /// the default period for scores. `None` for an empty ledger.
    pub fn observed_span(&self, tz: &TimeZone) -> Result<Option<Period>, LedgerError> {
        let span: (Option<String>, Option<String>) = self.conn.query_row(
            "SELECT min(t), max(t) FROM (
                SELECT min(observed_at) AS t FROM findings UNION ALL SELECT max(observed_at) FROM findings
                UNION ALL SELECT min(started_at) FROM visits UNION ALL SELECT max(started_at) FROM visits)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let day = |text: Option<String>| {
            text.as_deref()
                .and_then(parse_time)
                .map(|t| tz.to_datetime(t).date())
        };
        Ok(match (day(span.0), day(span.1)) {
            (Some(from), Some(to)) => Period::new(from, to).ok(),
            _ => None,
        })
    }
}

/// Small integer ids for the few distinct names a million rows repeat, so
/// that rows are tallied without allocating.
#[derive(Default)]
struct Names {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

impl Names {
    fn id(&mut self, name: &str) -> u32 {
        if let Some(id) = self.ids.get(name) {
            return *id;
        }
        let id = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.ids.insert(name.to_string(), id);
        self.names.push(name.to_string());
        id
    }

    fn name(&self, id: u32) -> String {
        self.names.get(id as usize).cloned().unwrap_or_default()
    }
}

/// One tally line: period, unit, department, plugin, checklist, item, pending.
type TallyKey = (usize, u32, u32, u32, u32, u32, bool);

/// A group of rows: unit, department, plugin, checklist, item ids, pending.
type GroupIds = (u32, u32, u32, u32, u32, bool);

#[derive(Default)]
struct Tally {
    findings: u32,
    count: u32,
    points: i64,
}

fn text<'a>(row: &'a rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'a str> {
    row.get_ref(i)?.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn bytes<'a>(row: &'a rusqlite::Row<'_>, i: usize) -> rusqlite::Result<&'a [u8]> {
    row.get_ref(i)?.as_bytes().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn ranking(conn: &Connection, period: Period, tz: &TimeZone) -> Result<Ranking, LedgerError> {
    Ok(rankings(conn, &[period], tz)?
        .pop()
        .unwrap_or_else(|| Ranking::new(period, Vec::new())))
}

/// The rankings of several periods (in order, not overlapping), tallied in one pass.
fn rankings(
    conn: &Connection,
    periods: &[Period],
    tz: &TimeZone,
) -> Result<Vec<Ranking>, LedgerError> {
    let bounds: Vec<(String, String)> = periods
        .iter()
        .map(|p| {
            let (start, end) = p.instants(tz);
            (format_time(start), format_time(end))
        })
        .collect();
    let (Some(lo), Some(hi)) = (
        bounds.iter().map(|b| b.0.clone()).min(),
        bounds.iter().map(|b| b.1.clone()).max(),
    ) else {
        return Ok(Vec::new());
    };
    let counted = counted_statuses();
    let mut names = Names::default();
    let mut tallies: HashMap<TallyKey, Tally> = HashMap::new();
    // One sample visit per item, to read its labels from the checklist recorded with it.
    let mut samples: HashMap<ItemKey, String> = HashMap::new();
    // The tally index holds every column needed: the table itself (notes and all) is never read.
    let sql = format!(
        "SELECT f.observed_at, f.unit, f.department, f.plugin_id, f.checklist_id, f.item_id, f.status,
                f.count, f.points
           FROM findings f INDEXED BY findings_tally
          WHERE f.observed_at >= ?1 AND f.observed_at < ?2 AND f.result = 'violation'
            AND f.status IN ('pending', {counted}) AND f.unit IS NOT NULL"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query([&lo, &hi])?;
    // The index keeps each unit-item-status group's rows together: names are
    // looked up once per group, and rows only add to the group's per-period sums.
    let mut group: Option<([String; 6], GroupIds)> = None;
    let mut sums: Vec<Tally> = periods.iter().map(|_| Tally::default()).collect();
    let flush = |tallies: &mut HashMap<TallyKey, Tally>, ids: GroupIds, sums: &mut [Tally]| {
        for (i, sum) in sums.iter_mut().enumerate().filter(|(_, s)| s.findings > 0) {
            let t = tallies
                .entry((i, ids.0, ids.1, ids.2, ids.3, ids.4, ids.5))
                .or_default();
            t.findings += sum.findings;
            t.count = t.count.saturating_add(sum.count);
            t.points += sum.points;
            *sum = Tally::default();
        }
    };
    while let Some(r) = rows.next()? {
        // Raw bytes: the stored times and names are compared, not decoded, row by row.
        let observed = bytes(r, 0)?;
        // The last period starting at or before the time; it holds it unless the time is past its end.
        let i = bounds.partition_point(|(start, _)| start.as_bytes() <= observed);
        let Some(i) = i
            .checked_sub(1)
            .filter(|i| observed < bounds[*i].1.as_bytes())
        else {
            continue;
        };
        let same = match &group {
            Some((held, _)) => {
                (0..6).all(|k| bytes(r, k + 1).is_ok_and(|b| b == held[k].as_bytes()))
            }
            None => false,
        };
        if !same {
            if let Some((_, ids)) = group.take() {
                flush(&mut tallies, ids, &mut sums);
            }
            let mut held: [String; 6] = Default::default();
            for (k, slot) in held.iter_mut().enumerate() {
                *slot = text(r, k + 1)?.to_string();
            }
            let ids = (
                names.id(&held[0]),
                names.id(&held[1]),
                names.id(&held[2]),
                names.id(&held[3]),
                names.id(&held[4]),
                held[5] == "pending",
            );
            group = Some((held, ids));
        }
        let sum = &mut sums[i];
        sum.findings += 1;
        sum.count = sum
            .count
            .saturating_add(u32::try_from(r.get::<_, i64>(7)?).unwrap_or(0));
        sum.points += r.get::<_, i64>(8)?;
    }
    drop(rows);
    if let Some((_, ids)) = group.take() {
        flush(&mut tallies, ids, &mut sums);
    }

    for (_, _, _, plugin, checklist, item, _) in tallies.keys() {
        let key = ItemKey {
            plugin_id: names.name(*plugin),
            checklist_id: names.name(*checklist),
            item_id: names.name(*item),
        };
        if let std::collections::hash_map::Entry::Vacant(slot) = samples.entry(key) {
            let key = slot.key();
            let visit: Option<String> = conn
                .prepare_cached(
                    "SELECT visit_id FROM findings WHERE item_id = ?1 AND plugin_id = ?2 AND checklist_id = ?3 LIMIT 1",
                )?
                .query_row([&key.item_id, &key.plugin_id, &key.checklist_id], |r| r.get(0))
                .optional()?;
            if let Some(visit) = visit {
                slot.insert(visit);
            }
        }
    }
    let mut per_period: Vec<BTreeMap<UnitKey, UnitLines>> =
        periods.iter().map(|_| BTreeMap::new()).collect();
    for ((i, unit, department, plugin, checklist, item, pending), t) in tallies {
        let key = ItemKey {
            plugin_id: names.name(plugin),
            checklist_id: names.name(checklist),
            item_id: names.name(item),
        };
        let line = ItemLine {
            key: key.clone(),
            item: Label::default(),
            checklist: Label::default(),
            findings: t.findings,
            count: t.count,
            points: Points::from_hundredths(t.points),
        };
        let lines = per_period[i]
            .entry((names.name(unit), names.name(department)))
            .or_default();
        let side = if pending {
            &mut lines.provisional
        } else {
            &mut lines.counted
        };
        side.insert(key, line);
    }

    // Range items confirmed at the reviewer's value: replace the points recorded.
    let sql = format!(
        "SELECT DISTINCT f.finding_id, f.observed_at, f.unit, f.department, f.plugin_id, f.checklist_id,
                f.item_id, f.count, f.points
           FROM reviews r JOIN findings f ON f.finding_id = r.finding_id
          WHERE r.counts AND r.decision = 'confirm' AND r.detail <> '{{\"decision\":\"confirm\"}}'
            AND f.observed_at >= ?1 AND f.observed_at < ?2 AND f.result = 'violation'
            AND f.status IN ({counted}) AND f.unit IS NOT NULL"
    );
    type Chosen = (
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        i64,
        i64,
    );
    let chosen: Vec<Chosen> = conn
        .prepare_cached(&sql)?
        .query_map([&lo, &hi], |r| r.try_into())?
        .collect::<Result<_, _>>()?;
    for (finding_id, observed, unit, department, plugin_id, checklist_id, item_id, count, points) in
        chosen
    {
        let i = bounds.partition_point(|(start, _)| start.as_str() <= observed.as_str());
        let Some(i) = i.checked_sub(1).filter(|i| observed < bounds[*i].1) else {
            continue;
        };
        // Only counted findings are read here; their points per count are
        // what the decisions settle.
        let state = ReviewState::of(
            anfang_core::review::ReviewStatus::Confirmed,
            &decisions_of(conn, &finding_id)?,
        );
        let recorded = Points::from_hundredths(points);
        let reviewed = state.points(recorded, u32::try_from(count).unwrap_or(0));
        let key = ItemKey {
            plugin_id,
            checklist_id,
            item_id,
        };
        if let Some(line) = per_period[i]
            .get_mut(&(unit, department))
            .and_then(|l| l.counted.get_mut(&key))
        {
            line.points = line.points + reviewed - recorded;
        }
    }

    // Units inspected in a period rank in it even with nothing found.
    let mut stmt = conn.prepare_cached(
        "SELECT started_at, unit, department FROM visits WHERE started_at >= ?1 AND started_at < ?2",
    )?;
    let mut rows = stmt.query([&lo, &hi])?;
    while let Some(r) = rows.next()? {
        let started = text(r, 0)?;
        let i = bounds.partition_point(|(start, _)| start.as_str() <= started);
        if let Some(i) = i.checked_sub(1).filter(|i| started < bounds[*i].1.as_str()) {
            per_period[i]
                .entry((text(r, 1)?.to_string(), text(r, 2)?.to_string()))
                .or_default();
        }
    }
    drop(rows);

    let labels = item_labels(conn, &samples)?;
    let label_lines = |lines: BTreeMap<ItemKey, ItemLine>| -> Vec<ItemLine> {
        lines
            .into_values()
            .map(|mut line| {
                if let Some((item, checklist)) = labels.get(&line.key) {
                    line.item = item.clone();
                    line.checklist = checklist.clone();
                }
                line
            })
            .collect()
    };
    let in_force = crate::method_query::method_in_force(conn)?;
    let method = &in_force.method;
    let tag = MethodTag::of(method, in_force.builtin);
    // Names that mean one registered unit (its id, aliases, former names,
    // the office's mappings) are scored as that unit.
    let canon = Canon::load(conn)?;
    let per_period: Vec<BTreeMap<UnitKey, UnitLines>> = per_period
        .into_iter()
        .map(|units| {
            let mut merged: BTreeMap<UnitKey, UnitLines> = BTreeMap::new();
            for (key, lines) in units {
                let into = merged.entry(canon.key(key)).or_default();
                merge_lines(&mut into.counted, lines.counted);
                merge_lines(&mut into.provisional, lines.provisional);
            }
            merged
        })
        .collect();
    let mut out = Vec::with_capacity(periods.len());
    for ((period, mut units), bound) in periods.iter().zip(per_period).zip(&bounds) {
        let mut appraisals: BTreeMap<UnitKey, Vec<anfang_core::tally::AppraisalLine>> =
            BTreeMap::new();
        for (key, lines) in appraisals_in(period, &appraisal_entries(conn, period)?, method) {
            appraisals.entry(canon.key(key)).or_default().extend(lines);
        }
        let mut office: BTreeMap<UnitKey, Vec<anfang_core::tally::BreakdownLine>> = BTreeMap::new();
        for (key, lines) in
            crate::method_query::office_lines(conn, period, method, DeductionStatus::Confirmed)?
        {
            office.entry(canon.key(key)).or_default().extend(lines);
        }
        let mut office_pending: BTreeMap<UnitKey, Vec<anfang_core::tally::BreakdownLine>> =
            BTreeMap::new();
        for (key, lines) in
            crate::method_query::office_lines(conn, period, method, DeductionStatus::Pending)?
        {
            office_pending
                .entry(canon.key(key))
                .or_default()
                .extend(lines);
        }
        for unit in appraisals
            .keys()
            .chain(office.keys())
            .chain(office_pending.keys())
        {
            units.entry(unit.clone()).or_default();
        }
        let scores = units
            .into_iter()
            .map(|((name, department), lines)| {
                let own = appraisals
                    .get(&(name.clone(), department.clone()))
                    .cloned()
                    .unwrap_or_default();
                let extra = office
                    .remove(&(name.clone(), department.clone()))
                    .unwrap_or_default();
                let pending = office_pending
                    .remove(&(name.clone(), department.clone()))
                    .unwrap_or_default();
                UnitScore::scored(
                    Unit { name, department },
                    label_lines(lines.counted),
                    label_lines(lines.provisional),
                    own,
                    extra,
                    method,
                )
                .with_pending_lines(pending)
            })
            .collect::<Vec<UnitScore>>();
        out.push(Ranking::by(
            *period,
            with_extra_lines(conn, &canon, period, bound, scores, method)?,
            tag.clone(),
        ));
    }
    Ok(out)
}

/// Adds one unit's item lines to another's: a unit seen under two names.
fn merge_lines(into: &mut BTreeMap<ItemKey, ItemLine>, from: BTreeMap<ItemKey, ItemLine>) {
    for (key, line) in from {
        match into.get_mut(&key) {
            Some(held) => {
                held.findings += line.findings;
                held.count = held.count.saturating_add(line.count);
                held.points = held.points + line.points;
            }
            None => {
                into.insert(key, line);
            }
        }
    }
}

/// The scores with the lines of `scores_extra` appended; a unit that only
/// an extra line reaches (a parent unit, a named department) is ranked too.
fn with_extra_lines(
    conn: &Connection,
    canon: &Canon,
    period: &Period,
    bound: &(String, String),
    scores: Vec<UnitScore>,
    method: &Method,
) -> Result<Vec<UnitScore>, LedgerError> {
    let mut extra = extra_lines(conn, canon, period, (&bound.0, &bound.1), &scores)?;
    let mut out: Vec<UnitScore> = scores
        .into_iter()
        .map(|score| {
            let key = (score.unit.name.clone(), score.unit.department.clone());
            match extra.remove(&key) {
                Some(lines) => score.with_extra(lines, method),
                None => score,
            }
        })
        .collect();
    for ((name, department), lines) in extra {
        out.push(
            UnitScore::scored(
                Unit { name, department },
                vec![],
                vec![],
                vec![],
                vec![],
                method,
            )
            .with_extra(lines, method),
        );
    }
    Ok(out)
}

impl Ledger {
    /// What a new appraisal of `unit` for `from`..=`to` follows: the entry
    /// that holds now for that unit and period, or `First`.
    pub fn appraisal_follows(
        &self,
        unit: &anfang_core::visit::Unit,
        from: jiff::civil::Date,
        to: jiff::civil::Date,
    ) -> Result<anfang_core::review::Follows, LedgerError> {
        let ending = Period { from: to, to };
        let entries = appraisal_entries(&self.conn, &ending)?;
        let group: Vec<&DatedAppraisal> = entries
            .iter()
            .filter(|e| e.entry.unit == *unit && e.entry.from == from)
            .collect();
        Ok(match anfang_core::tally::appraisal_head(&group) {
            Some(head) => anfang_core::review::Follows::Decision(head.event_id.clone()),
            None => anfang_core::review::Follows::First,
        })
    }
}

/// Appraisals whose own period ends within `period`.
fn appraisal_entries(
    conn: &Connection,
    period: &Period,
) -> Result<Vec<DatedAppraisal>, LedgerError> {
    type Columns = (
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        Option<String>,
    );
    let rows: Vec<Columns> = conn
        .prepare_cached(
            "SELECT event_id, claimed_time, unit, department, period_from, period_to, appraisal, follows
               FROM appraisals WHERE counts AND period_to >= ?1 AND period_to <= ?2",
        )?
        .query_map([period.from.to_string(), period.to.to_string()], |r| {
            r.try_into()
        })?
        .collect::<Result<_, _>>()?;
    let bad =
        |what: &str, value: &str| LedgerError::Damaged(format!("appraisal: bad {what} '{value}'"));
    rows.into_iter()
        .map(
            |(event_id, claimed, name, department, from, to, appraisal, follows)| {
                let appraisal: Appraisal =
                    serde_json::from_str(&appraisal).map_err(|_| bad("results", &event_id))?;
                Ok(DatedAppraisal {
                    claimed_time: parse_time(&claimed).ok_or_else(|| bad("time", &claimed))?,
                    entry: AppraisalEntered {
                        unit: Unit { name, department },
                        from: from.parse().map_err(|_| bad("date", &from))?,
                        to: to.parse().map_err(|_| bad("date", &to))?,
                        appraisal,
                        follows: crate::derive::follows_from_column(follows),
                    },
                    event_id,
                })
            },
        )
        .collect()
}

/// Item and checklist labels, read from the checklist recorded with a sample visit.
fn item_labels(
    conn: &Connection,
    samples: &HashMap<ItemKey, String>,
) -> Result<HashMap<ItemKey, (Label, Label)>, LedgerError> {
    let mut parsed: HashMap<(String, String), Option<ChecklistSnapshot>> = HashMap::new();
    let mut out = HashMap::new();
    for (key, visit_id) in samples {
        let cache_key = (visit_id.clone(), key.checklist_id.clone());
        if !parsed.contains_key(&cache_key) {
            let text: Option<String> = conn
                .prepare_cached(
                    "SELECT snapshot FROM visit_checklist_snapshots WHERE visit_id = ?1 AND plugin_id = ?2 AND checklist_id = ?3
                      ORDER BY claimed_time, event_id, position LIMIT 1",
                )?
                .query_row([visit_id, &key.plugin_id, &key.checklist_id], |r| r.get(0))
                .optional()?;
            let snapshot = text.and_then(|t| serde_json::from_str::<ChecklistSnapshot>(&t).ok());
            parsed.insert(cache_key.clone(), snapshot);
        }
        let snapshot = parsed.get(&cache_key).and_then(Option::as_ref);
        let item = snapshot.and_then(|s| s.item(&key.item_id)).map_or_else(
            || Label::new(key.item_id.clone(), key.item_id.clone()),
            |i| i.label.clone(),
        );
        let checklist = snapshot.map_or_else(
            || Label::new(key.checklist_id.clone(), key.checklist_id.clone()),
            |s| s.checklist.label.clone(),
        );
        out.insert(key.clone(), (item, checklist));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn counted_statuses_follow_the_core_rule() {
        let sql = counted_statuses();
        assert!(sql.contains("'confirmed'"));
        assert!(sql.contains("'verified'"));
        assert!(!sql.contains("'pending'"));
        assert!(!sql.contains("'dismissed'"));
    }
}
