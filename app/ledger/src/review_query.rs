//! The office's review window: findings across every merged visit, filtered,
//! searched and sorted, read one page at a time with keyset queries on
//! indexes, so that a ledger of a million findings never loads whole.
//!
//! A page is asked for by anchor: the first page, the last page, or the rows
//! after (or before) the sort key of a row already shown. Each sort orders
//! by its column, then by time, then by finding id, so every row has one
//! place and a page boundary never skips or repeats a row.

use crate::Ledger;
use crate::canonical::{format_time, parse_time};
use crate::error::LedgerError;
use crate::types::FindingHistory;
use anfang_core::finding::EvidenceRecord;
use anfang_core::label::Label;
use anfang_core::manifest::ChecklistSnapshot;
use anfang_core::review::{DatedDecision, Decision, ReviewStatus};
use anfang_core::review_state::ReviewState;
use anfang_core::rule::Rule;
use anfang_core::visit::Unit;
use anfang_core::{Lang, Points};
use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params_from_iter};
use std::collections::HashMap;
use uuid::Uuid;

/// Indexes the review window and the scores need beyond those the derived
/// tables are created with. Created on first use (and again after a
/// rebuild, which drops them with their tables). Only violations are
/// reviewed and scored, so most are partial.
const REVIEW_INDEXES: &str = "
CREATE INDEX IF NOT EXISTS findings_by_count ON findings(count, observed_at, finding_id)
    WHERE result = 'violation';
CREATE INDEX IF NOT EXISTS findings_by_points ON findings(points, observed_at, finding_id)
    WHERE result = 'violation';
CREATE INDEX IF NOT EXISTS findings_by_checklist ON findings(checklist_id, observed_at, finding_id);
CREATE INDEX IF NOT EXISTS findings_by_visit_time ON findings(visit_id, observed_at, finding_id);
CREATE INDEX IF NOT EXISTS findings_tally
    ON findings(unit, department, plugin_id, checklist_id, item_id, status, observed_at, count, points)
    WHERE result = 'violation';
CREATE INDEX IF NOT EXISTS visits_by_lead ON visits(lead, visit_id);
CREATE INDEX IF NOT EXISTS reviews_deadlines
    ON reviews(finding_id, claimed_time, event_id, json_extract(detail, '$.deadline'))
    WHERE decision = 'require_rectification';
CREATE INDEX IF NOT EXISTS reviews_chosen_points ON reviews(finding_id)
    WHERE decision = 'confirm' AND detail <> '{\"decision\":\"confirm\"}';
";

/// The names [`REVIEW_INDEXES`] creates, to tell cheaply whether they exist.
const REVIEW_INDEX_NAMES: &[&str] = &[
    "findings_by_count",
    "findings_by_points",
    "findings_by_checklist",
    "findings_by_visit_time",
    "findings_tally",
    "visits_by_lead",
    "reviews_deadlines",
    "reviews_chosen_points",
];

/// Statistics for the query planner, from a sample of each index: without
/// them SQLite cannot tell that one unit holds a thousandth of the findings
/// and one status a third, and walks the wrong index.
const PLANNER_STATISTICS: &str =
    "PRAGMA analysis_limit = 1000; ANALYZE findings; ANALYZE visits; ANALYZE reviews;";

/// A column the review table can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SortKey {
    /// When the finding was observed.
    #[default]
    Time,
    /// Unit name.
    Unit,
    /// Department.
    Department,
    /// Checklist item.
    Item,
    /// Person-times or cases counted.
    Count,
    /// Points as recorded.
    Points,
    /// The visit's lead inspector.
    Inspector,
    /// Review status.
    Status,
}

impl SortKey {
    /// Every sortable column, in table order.
    pub const ALL: [SortKey; 8] = [
        SortKey::Time,
        SortKey::Unit,
        SortKey::Department,
        SortKey::Item,
        SortKey::Count,
        SortKey::Points,
        SortKey::Inspector,
        SortKey::Status,
    ];

    /// The key columns: the sorted column, then time, then finding id. The
    /// inspector sort groups by visit (visit ids are time-ordered UUIDs).
    fn columns(self) -> &'static [&'static str] {
        match self {
            SortKey::Time => &["f.observed_at", "f.finding_id"],
            SortKey::Unit => &["f.unit", "f.observed_at", "f.finding_id"],
            SortKey::Department => &["f.department", "f.observed_at", "f.finding_id"],
            SortKey::Item => &["f.item_id", "f.observed_at", "f.finding_id"],
            SortKey::Count => &["f.count", "f.observed_at", "f.finding_id"],
            SortKey::Points => &["f.points", "f.observed_at", "f.finding_id"],
            SortKey::Inspector => &["v.lead", "v.visit_id", "f.observed_at", "f.finding_id"],
            SortKey::Status => &["f.status", "f.observed_at", "f.finding_id"],
        }
    }

    /// Whether the sorted column can be empty (a finding whose visit has
    /// not arrived yet has no unit, department or inspector).
    fn nullable(self) -> bool {
        matches!(
            self,
            SortKey::Unit | SortKey::Department | SortKey::Inspector
        )
    }
}

/// A sort: column and direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sort {
    /// The column.
    pub key: SortKey,
    /// Largest (latest) first.
    pub descending: bool,
}

impl Default for Sort {
    /// Newest findings first.
    fn default() -> Self {
        Sort {
            key: SortKey::Time,
            descending: true,
        }
    }
}

/// Which findings the review window shows. Empty fields do not filter.
/// Only violations are reviewed; compliant and not-applicable results are
/// never in the window.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReviewFilter {
    /// Observed at or after the first instant and before the second.
    pub observed: Option<(Timestamp, Timestamp)>,
    /// Unit name.
    pub unit: Option<String>,
    /// Department.
    pub department: Option<String>,
    /// Checklist id.
    pub checklist: Option<String>,
    /// Item id.
    pub item: Option<String>,
    /// Review status.
    pub status: Option<ReviewStatus>,
    /// The visit's lead inspector.
    pub inspector: Option<String>,
    /// Only rectifications still awaited whose deadline is before this day.
    pub overdue_on: Option<Date>,
    /// Words to find in notes, subjects (names, badges, windows) and unit
    /// names; every word must occur.
    pub search: Option<String>,
}

/// The sort key of one row: where a page starts or ends. The default (empty)
/// key belongs to rows built by hand (tests); pages never hand one out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RowKey(Vec<Value>);

/// Where a page is read from.
#[derive(Debug, Clone, PartialEq)]
pub enum Anchor {
    /// The first rows in sort order.
    First,
    /// The last rows in sort order.
    Last,
    /// The rows after this key.
    After(RowKey),
    /// The rows before this key (returned in sort order).
    Before(RowKey),
    /// This row and those after it: reloading a window in place.
    From(RowKey),
}

/// One line of the review table.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRow {
    /// The finding.
    pub finding_id: Uuid,
    /// The event of its current version.
    pub event_id: String,
    /// Its visit.
    pub visit_id: Uuid,
    /// When it was observed.
    pub observed_at: Timestamp,
    /// The unit (empty while the visit's opening has not arrived).
    pub unit: String,
    /// The unit's department.
    pub department: String,
    /// Plugin id of the item.
    pub plugin_id: String,
    /// Checklist id of the item.
    pub checklist_id: String,
    /// Item id.
    pub item_id: String,
    /// The item's label as recorded with the visit (the id when unknown).
    pub item: Label,
    /// The checklist's label.
    pub checklist: Label,
    /// The item's rule as recorded with the visit.
    pub rule: Option<Rule>,
    /// Person-times, cases, times or items.
    pub count: u32,
    /// Points as recorded.
    pub recorded_points: Points,
    /// Points after review (a range confirmed at the reviewer's value).
    pub points: Points,
    /// Lead inspector of the visit.
    pub inspector: String,
    /// Review state: status, chosen points, rectification deadline.
    pub state: ReviewState,
    /// Who or where (badge, name, window).
    pub subject: Option<String>,
    /// The start of the evidence note.
    pub note: String,
    /// How many versions the finding has (1 = never corrected).
    pub versions: u32,
    /// Concurrent corrections stand side by side.
    pub conflict: bool,
    /// This row's key in the sort it was read with.
    pub key: RowKey,
}

impl ReviewRow {
    /// Status shortcut.
    pub fn status(&self) -> ReviewStatus {
        self.state.status
    }

    /// A rectification still awaited after its deadline.
    pub fn overdue(&self, today: Date) -> bool {
        self.state.overdue(today)
    }

    /// Item label in a language, falling back to the id.
    pub fn item_label(&self, lang: Lang) -> &str {
        self.item.get(lang)
    }
}

/// A page of rows in sort order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReviewPage {
    /// The rows.
    pub rows: Vec<ReviewRow>,
    /// Whether more rows lie beyond this page in the direction read
    /// (after it for `First`/`After`/`From`, before it for `Last`/`Before`).
    pub more: bool,
}

/// Everything the detail pane shows about one finding.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewDetail {
    /// The table row, with the note in full.
    pub row: ReviewRow,
    /// The whole evidence note.
    pub note: String,
    /// The visit's team, lead first.
    pub team: Vec<String>,
    /// Files attached as evidence.
    pub evidence: Vec<EvidenceRecord>,
    /// Every version and every decision with who and when.
    pub history: FindingHistory,
}

/// The values the filters can take, for choosing from lists.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReviewChoices {
    /// Units with visits, by name.
    pub units: Vec<Unit>,
    /// Departments, by name.
    pub departments: Vec<String>,
    /// Lead inspectors, by name.
    pub inspectors: Vec<String>,
    /// Items with findings: (plugin id, checklist id, item id, item label, checklist label).
    pub items: Vec<ChoiceItem>,
}

/// An item that has findings, for the item and checklist filters.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceItem {
    /// Plugin id.
    pub plugin_id: String,
    /// Checklist id.
    pub checklist_id: String,
    /// Item id.
    pub item_id: String,
    /// Item label.
    pub item: Label,
    /// Checklist label.
    pub checklist: Label,
}

/// A filter rendered as SQL conditions with their parameters.
struct Conditions {
    /// Each condition with the number of parameters it takes.
    parts: Vec<(String, usize)>,
    params: Vec<Value>,
    /// Few findings match the search: read them by row id rather than
    /// walking an index and testing each row.
    few_hits: bool,
}

impl Conditions {
    fn push(&mut self, sql: impl Into<String>, params: impl IntoIterator<Item = Value>) {
        let before = self.params.len();
        self.params.extend(params);
        self.parts.push((sql.into(), self.params.len() - before));
    }
}

/// Terms shorter than this cannot use the trigram index.
const TRIGRAM: usize = 3;

/// Escapes `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`.
fn like_pattern(term: &str) -> String {
    let mut out = String::with_capacity(term.len() + 2);
    out.push('%');
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// The full-text query for one term: every trigram of it, each quoted so
/// that no character is read as query syntax, joined by AND. The index keeps
/// no token positions (`detail = 'none'`, a third of the size), so it finds
/// the rows holding all of a term's trigrams anywhere; LIKE then keeps those
/// that hold the term itself.
pub fn trigram_query(term: &str) -> String {
    let chars: Vec<char> = term.chars().collect();
    let trigrams: Vec<String> = chars
        .windows(TRIGRAM)
        .map(|w| format!("\"{}\"", w.iter().collect::<String>().replace('"', "\"\"")))
        .collect();
    trigrams.join(" AND ")
}

/// Below this many full-text matches the matches drive the query (read by
/// row id, then sorted); above it an index is walked in sort order and each
/// row tested with LIKE, which finds a page of a common word within a few
/// hundred rows. Both find exactly the same rows: the trigram index only
/// narrows the rows that LIKE then tests.
const FEW_HITS: i64 = 5000;

/// Above this many visits an inspector's findings are common enough that
/// walking an index in sort order beats reading all of them and sorting.
const MANY_VISITS: i64 = 200;

const LIKE_ANY_COLUMN: &str =
    "(f.note LIKE ?1 ESCAPE '\\' OR f.subject LIKE ?1 ESCAPE '\\' OR f.unit LIKE ?1 ESCAPE '\\')";

/// What the conditions are for: a page walks an index in sort order and
/// stops after a page; a count reads every match, so it should start from
/// the smallest set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Page,
    Count,
}

fn conditions(
    conn: &Connection,
    filter: &ReviewFilter,
    purpose: Purpose,
) -> Result<Conditions, LedgerError> {
    let mut c = Conditions {
        parts: vec![("f.result = 'violation'".into(), 0)],
        params: Vec::new(),
        few_hits: false,
    };
    let text = |s: &str| Value::Text(s.to_string());
    for (column, value) in [
        ("f.unit", &filter.unit),
        ("f.department", &filter.department),
        ("f.checklist_id", &filter.checklist),
        ("f.item_id", &filter.item),
    ] {
        if let Some(value) = value {
            c.push(format!("{column} = ?"), [text(value)]);
        }
    }
    if let Some((start, end)) = filter.observed {
        c.push(
            "f.observed_at >= ? AND f.observed_at < ?",
            [
                Value::Text(format_time(start)),
                Value::Text(format_time(end)),
            ],
        );
    }
    if let Some(status) = filter.status {
        c.push("f.status = ?", [text(status.as_str())]);
    }
    if let Some(inspector) = &filter.inspector {
        let visits: i64 = conn
            .prepare_cached("SELECT count(*) FROM (SELECT 1 FROM visits WHERE lead = ?1 LIMIT ?2)")?
            .query_row(rusqlite::params![inspector, MANY_VISITS], |r| r.get(0))?;
        // `+` keeps SQLite from reading every finding of the inspector's visits first.
        let sql = if visits >= MANY_VISITS && purpose == Purpose::Page {
            "+f.visit_id IN (SELECT visit_id FROM visits WHERE lead = ?)"
        } else {
            "f.visit_id IN (SELECT visit_id FROM visits WHERE lead = ?)"
        };
        c.push(sql, [text(inspector)]);
    }
    if let Some(today) = filter.overdue_on {
        // The deadline of the latest rectification order, as ReviewState has it.
        c.push(
            "f.status = 'rectification_required' AND
             (SELECT json_extract(r.detail, '$.deadline') FROM reviews r
               WHERE r.finding_id = f.finding_id AND r.decision = 'require_rectification'
               ORDER BY r.claimed_time DESC, r.event_id DESC LIMIT 1) < ?",
            [Value::Text(today.to_string())],
        );
    }
    if let Some(search) = &filter.search {
        let (long, short): (Vec<&str>, Vec<&str>) = search
            .split_whitespace()
            .partition(|term| term.chars().count() >= TRIGRAM);
        if !long.is_empty() {
            let query: Vec<String> = long.iter().map(|t| trigram_query(t)).collect();
            let query = query.join(" AND ");
            let hits: i64 = conn
                .prepare_cached("SELECT count(*) FROM (SELECT 1 FROM findings_fts WHERE findings_fts MATCH ?1 LIMIT ?2)")?
                .query_row(rusqlite::params![query, FEW_HITS], |r| r.get(0))?;
            if hits < FEW_HITS || purpose == Purpose::Count {
                c.few_hits = hits < FEW_HITS;
                c.push(
                    "f.row_id IN (SELECT rowid FROM findings_fts WHERE findings_fts MATCH ?)",
                    [Value::Text(query)],
                );
            }
            for term in &long {
                c.push(LIKE_ANY_COLUMN, [Value::Text(like_pattern(term))]);
            }
        }
        for term in short {
            // Trigrams need three characters: shorter terms scan with LIKE.
            c.push(LIKE_ANY_COLUMN, [Value::Text(like_pattern(term))]);
        }
    }
    Ok(c)
}

/// Renumbers `?` and `?1` placeholders into one sequence, so conditions can
/// be written on their own and joined. `?1` inside a condition refers to
/// that condition's first parameter.
fn number_placeholders(parts: &[(String, usize)]) -> String {
    let mut out = Vec::new();
    let mut next = 1;
    for (sql, count) in parts {
        let mut text = String::with_capacity(sql.len());
        let mut chars = sql.chars().peekable();
        let base = next;
        let mut own = 0;
        while let Some(ch) = chars.next() {
            if ch != '?' {
                text.push(ch);
                continue;
            }
            if chars.peek().is_some_and(|c| c.is_ascii_digit()) {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|c| c.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                let n: usize = digits.parse().unwrap_or(1);
                own = own.max(n);
                text.push_str(&format!("?{}", base + n - 1));
            } else {
                own += 1;
                text.push_str(&format!("?{}", base + own - 1));
            }
        }
        next = base + own.max(*count);
        out.push(text);
    }
    out.join(" AND ")
}

/// One stretch of the sort order, read with one query: rows whose sorted
/// column is empty, or rows where it is set.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Segment {
    Empty,
    Set,
}

/// What one segment query reads past, if anything.
enum Bound<'a> {
    None,
    Strict(&'a [Value]),
    Inclusive(&'a [Value]),
}

fn key_value_is_null(key: &RowKey) -> bool {
    matches!(key.0.first(), Some(Value::Null))
}

impl Ledger {
    /// Creates the indexes the review window and scores rely on, when they
    /// are missing (first use, or after a rebuild dropped them). Takes
    /// seconds on a large ledger the first time; nothing afterwards.
    pub fn ensure_review_indexes(&self) -> Result<(), LedgerError> {
        ensure_indexes(&self.conn)
    }

    /// A page of the review window, at most `limit` rows, in sort order.
    pub fn review_page(
        &self,
        filter: &ReviewFilter,
        sort: Sort,
        anchor: &Anchor,
        limit: usize,
    ) -> Result<ReviewPage, LedgerError> {
        ensure_indexes(&self.conn)?;
        review_page(&self.conn, filter, sort, anchor, limit)
    }

    /// How many findings the filter lets through.
    pub fn review_count(&self, filter: &ReviewFilter) -> Result<u64, LedgerError> {
        ensure_indexes(&self.conn)?;
        let c = conditions(&self.conn, filter, Purpose::Count)?;
        let sql = format!(
            "SELECT count(*) FROM findings f WHERE {}",
            number_placeholders(&c.parts)
        );
        let n: i64 = self
            .conn
            .prepare_cached(&sql)?
            .query_row(params_from_iter(c.params.iter()), |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// How many findings the filter lets through, counting no further than
    /// `cap`: `(n, true)` means "more than `cap`". Bounded work, for a title
    /// line that must not hold up the frame.
    pub fn review_count_upto(
        &self,
        filter: &ReviewFilter,
        cap: u64,
    ) -> Result<(u64, bool), LedgerError> {
        ensure_indexes(&self.conn)?;
        let c = conditions(&self.conn, filter, Purpose::Count)?;
        let sql = format!(
            "SELECT count(*) FROM (SELECT 1 FROM findings f WHERE {} LIMIT {})",
            number_placeholders(&c.parts),
            cap.saturating_add(1)
        );
        let n: i64 = self
            .conn
            .prepare_cached(&sql)?
            .query_row(params_from_iter(c.params.iter()), |r| r.get(0))?;
        let n = u64::try_from(n).unwrap_or(0);
        Ok((n.min(cap), n > cap))
    }

    /// Rectifications still awaited whose deadline is before `today`,
    /// counted no further than `cap` (for the home screen: `(n, true)` means
    /// more than `n`).
    pub fn overdue_count(&self, today: Date, cap: u64) -> Result<(u64, bool), LedgerError> {
        self.review_count_upto(
            &ReviewFilter {
                overdue_on: Some(today),
                ..ReviewFilter::default()
            },
            cap,
        )
    }

    /// One finding with its whole note, evidence, team and history.
    pub fn review_detail(&self, finding_id: Uuid) -> Result<Option<ReviewDetail>, LedgerError> {
        let row_id: Option<i64> = self
            .conn
            .prepare_cached("SELECT row_id FROM findings WHERE finding_id = ?1")?
            .query_row([finding_id.to_string()], |r| r.get(0))
            .optional()?;
        let Some(row_id) = row_id else {
            return Ok(None);
        };
        let mut labels = LabelCache::default();
        let Some(row) = load_row(&self.conn, row_id, RowKey(Vec::new()), &mut labels)? else {
            return Ok(None);
        };
        let (note, team): (String, Option<String>) = self
            .conn
            .prepare_cached(
                "SELECT f.note, v.team FROM findings f LEFT JOIN visits v ON v.visit_id = f.visit_id
                  WHERE f.row_id = ?1",
            )?
            .query_row([row_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let team = team
            .map(|t| serde_json::from_str(&t).map_err(|_| damaged("team", &t)))
            .transpose()?
            .unwrap_or_default();
        Ok(Some(ReviewDetail {
            note,
            team,
            evidence: self.evidence_of(finding_id)?,
            history: self.finding_history(finding_id)?,
            row,
        }))
    }

    /// The values the filters can take.
    pub fn review_choices(&self) -> Result<ReviewChoices, LedgerError> {
        review_choices(&self.conn)
    }
}

pub(crate) fn ensure_indexes(conn: &Connection) -> Result<(), LedgerError> {
    let have: i64 = conn.query_row(
        &format!(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN ({})",
            vec!["?"; REVIEW_INDEX_NAMES.len()].join(", ")
        ),
        params_from_iter(REVIEW_INDEX_NAMES.iter()),
        |r| r.get(0),
    )?;
    if usize::try_from(have).unwrap_or(0) < REVIEW_INDEX_NAMES.len() {
        conn.execute_batch(&format!("BEGIN IMMEDIATE; {REVIEW_INDEXES} COMMIT;"))?;
    }
    // Statistics are taken again when the findings have more than doubled since.
    let has_stats: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_stat1')",
        [],
        |r| r.get(0),
    )?;
    let sampled: i64 = if has_stats {
        let stat: Option<String> = conn
            .query_row(
                "SELECT stat FROM sqlite_stat1 WHERE tbl = 'findings' AND idx = 'findings_observed'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        stat.and_then(|s| s.split(' ').next().and_then(|n| n.parse().ok()))
            .unwrap_or(0)
    } else {
        0
    };
    let now: i64 = conn.query_row("SELECT coalesce(max(row_id), 0) FROM findings", [], |r| {
        r.get(0)
    })?;
    if now > 2 * sampled + 1000 {
        conn.execute_batch(PLANNER_STATISTICS)?;
    }
    Ok(())
}

fn damaged(what: &str, value: &str) -> LedgerError {
    LedgerError::Damaged(format!("bad {what} '{value}'"))
}

fn review_page(
    conn: &Connection,
    filter: &ReviewFilter,
    sort: Sort,
    anchor: &Anchor,
    limit: usize,
) -> Result<ReviewPage, LedgerError> {
    // Reading backwards means reading the reversed order forwards.
    let backwards = matches!(anchor, Anchor::Last | Anchor::Before(_));
    let ascending = sort.descending == backwards;
    // In ascending order SQLite puts empty values first.
    let segments: Vec<Segment> = if !sort.key.nullable() {
        vec![Segment::Set]
    } else if ascending {
        vec![Segment::Empty, Segment::Set]
    } else {
        vec![Segment::Set, Segment::Empty]
    };
    let key = match anchor {
        Anchor::After(k) | Anchor::Before(k) | Anchor::From(k) => Some(k),
        Anchor::First | Anchor::Last => None,
    };
    let inclusive = matches!(anchor, Anchor::From(_));
    let want = limit + 1;
    let mut found: Vec<(i64, Vec<Value>)> = Vec::new();
    // The anchor lies in one segment; segments before it in reading order are skipped.
    let mut reached = key.is_none();
    for segment in segments {
        if found.len() >= want {
            break;
        }
        let bound = match key {
            Some(k) if !reached => {
                let in_segment = match segment {
                    Segment::Empty => key_value_is_null(k),
                    Segment::Set => !key_value_is_null(k) || !sort.key.nullable(),
                };
                if !in_segment {
                    continue;
                }
                reached = true;
                let values: &[Value] = match segment {
                    // The empty column is not part of the comparison.
                    Segment::Empty => &k.0[1..],
                    Segment::Set => &k.0,
                };
                if inclusive {
                    Bound::Inclusive(values)
                } else {
                    Bound::Strict(values)
                }
            }
            _ => Bound::None,
        };
        let rows = segment_rows(
            conn,
            filter,
            sort.key,
            segment,
            ascending,
            &bound,
            want - found.len(),
        )?;
        found.extend(rows);
    }
    let more = found.len() > limit;
    found.truncate(limit);
    if backwards {
        found.reverse();
    }
    let mut labels = LabelCache::default();
    let found = found
        .into_iter()
        .map(|(id, key)| (id, RowKey(key)))
        .collect();
    let rows = load_rows(conn, found, &mut labels)?;
    Ok(ReviewPage { rows, more })
}

/// Row ids and key values of one segment, in reading order.
fn segment_rows(
    conn: &Connection,
    filter: &ReviewFilter,
    key: SortKey,
    segment: Segment,
    ascending: bool,
    bound: &Bound<'_>,
    limit: usize,
) -> Result<Vec<(i64, Vec<Value>)>, LedgerError> {
    let all = key.columns();
    let lead = all[0];
    let Conditions {
        mut parts,
        mut params,
        few_hits,
    } = conditions(conn, filter, Purpose::Page)?;
    // Few search matches: read them by row id, never walk an index for them.
    let findings = if few_hits {
        "findings f NOT INDEXED"
    } else {
        "findings f"
    };
    let (from, columns): (String, &[&str]) = match (key, segment) {
        (SortKey::Inspector, Segment::Set) => {
            // Visits in inspector order drive the findings (CROSS JOIN fixes the
            // order); unit and department filters are checked on the visit first.
            for (column, value) in [
                ("v.unit", &filter.unit),
                ("v.department", &filter.department),
            ] {
                if let Some(value) = value {
                    parts.push((format!("{column} = ?"), 1));
                    params.push(Value::Text(value.clone()));
                }
            }
            if few_hits {
                // The few search matches drive instead, each joined to its visit.
                (
                    format!("{findings} CROSS JOIN visits v ON v.visit_id = f.visit_id"),
                    all,
                )
            } else {
                (
                    format!("visits v CROSS JOIN {findings} ON f.visit_id = v.visit_id"),
                    all,
                )
            }
        }
        // A finding without its visit has no unit; that is the only way to lack a lead.
        (SortKey::Inspector, Segment::Empty) => {
            parts.push(("f.unit IS NULL".into(), 0));
            (
                findings.to_string(),
                &["f.visit_id", "f.observed_at", "f.finding_id"],
            )
        }
        (_, Segment::Empty) => {
            parts.push((format!("{lead} IS NULL"), 0));
            (findings.to_string(), &all[1..])
        }
        (_, Segment::Set) => {
            if key.nullable() {
                parts.push((format!("{lead} IS NOT NULL"), 0));
            }
            (findings.to_string(), all)
        }
    };
    let (strict, inclusive) = if ascending { (">", ">=") } else { ("<", "<=") };
    let values = match bound {
        Bound::None => None,
        Bound::Strict(v) => Some((*v, strict)),
        Bound::Inclusive(v) => Some((*v, inclusive)),
    };
    if let Some((values, op)) = values {
        let tuple = |cols: &[&str]| format!("({})", cols.join(", "));
        let marks = |n: usize| format!("({})", vec!["?"; n].join(", "));
        if key == SortKey::Inspector && segment == Segment::Set {
            // Lets SQLite seek the visits_lead index before comparing the whole key.
            parts.push((
                format!("{} {inclusive} {}", tuple(&columns[..2]), marks(2)),
                2,
            ));
            params.extend(values[..2].iter().cloned());
        }
        parts.push((
            format!("{} {op} {}", tuple(columns), marks(columns.len())),
            columns.len(),
        ));
        params.extend(values.iter().cloned());
    }
    let dir = if ascending { "ASC" } else { "DESC" };
    let order: Vec<String> = columns.iter().map(|col| format!("{col} {dir}")).collect();
    // The key is always read whole; an empty segment reads its empty column as NULL.
    let select = match segment {
        Segment::Set => columns.join(", "),
        Segment::Empty => format!("NULL, {}", columns.join(", ")),
    };
    let sql = format!(
        "SELECT f.row_id, {select} FROM {from} WHERE {} ORDER BY {} LIMIT {limit}",
        number_placeholders(&parts),
        order.join(", "),
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let width = all.len();
    let rows = stmt.query_map(params_from_iter(params.iter()), |r| {
        let mut key = Vec::with_capacity(width);
        for i in 0..width {
            key.push(r.get::<_, Value>(i + 1)?);
        }
        Ok((r.get::<_, i64>(0)?, key))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Checklist snapshots already parsed while building one page.
#[derive(Default)]
struct LabelCache {
    snapshots: HashMap<(String, String, String), Option<ChecklistSnapshot>>,
}

impl LabelCache {
    fn snapshot(
        &mut self,
        conn: &Connection,
        visit_id: &str,
        plugin_id: &str,
        plugin_version: &str,
        checklist_id: &str,
    ) -> Result<Option<&ChecklistSnapshot>, LedgerError> {
        let key = (
            plugin_id.to_string(),
            plugin_version.to_string(),
            checklist_id.to_string(),
        );
        if !self.snapshots.contains_key(&key) {
            let text: Option<String> = conn
                .prepare_cached(
                    "SELECT snapshot FROM visit_checklist_snapshots
                      WHERE visit_id = ?1 AND plugin_id = ?2 AND checklist_id = ?3
                      ORDER BY claimed_time, event_id, position LIMIT 1",
                )?
                .query_row([visit_id, plugin_id, checklist_id], |r| r.get(0))
                .optional()?;
            let parsed = text
                .map(|t| {
                    serde_json::from_str::<ChecklistSnapshot>(&t)
                        .map_err(|_| damaged("checklist snapshot", visit_id))
                })
                .transpose()?;
            self.snapshots.insert(key.clone(), parsed);
        }
        Ok(self.snapshots.get(&key).and_then(Option::as_ref))
    }
}

/// The rows of a page, by row id: one query for the rows, one for the
/// decisions of those already decided.
const ROWS_SELECT: &str =
    "SELECT f.row_id, f.finding_id, f.event_id, f.visit_id, f.observed_at, f.unit, f.department,
        f.plugin_id, f.plugin_version, f.checklist_id, f.item_id, f.count, f.points, f.status,
        f.subject, substr(f.note, 1, 200), f.versions, f.conflict, v.lead
   FROM findings f LEFT JOIN visits v ON v.visit_id = f.visit_id
  WHERE f.row_id IN (SELECT value FROM json_each(?1))";

const DECISIONS_SELECT: &str = "SELECT finding_id, event_id, claimed_time, detail FROM reviews
  WHERE finding_id IN (SELECT value FROM json_each(?1))";

/// The columns of [`ROWS_SELECT`].
struct RowColumns {
    finding_id: String,
    event_id: String,
    visit_id: String,
    observed_at: String,
    unit: Option<String>,
    department: Option<String>,
    plugin_id: String,
    plugin_version: String,
    checklist_id: String,
    item_id: String,
    count: i64,
    points: i64,
    status: String,
    subject: Option<String>,
    note: String,
    versions: i64,
    conflict: bool,
    lead: Option<String>,
}

fn json_list<T: serde::Serialize>(values: &[T]) -> Result<String, LedgerError> {
    serde_json::to_string(values).map_err(|e| LedgerError::Encode(e.to_string()))
}

/// The rows with these row ids, in the order given (missing ones left out).
fn load_rows(
    conn: &Connection,
    found: Vec<(i64, RowKey)>,
    labels: &mut LabelCache,
) -> Result<Vec<ReviewRow>, LedgerError> {
    let ids: Vec<i64> = found.iter().map(|(id, _)| *id).collect();
    let mut columns: HashMap<i64, RowColumns> = HashMap::with_capacity(ids.len());
    let mut stmt = conn.prepare_cached(ROWS_SELECT)?;
    let mut rows = stmt.query([json_list(&ids)?])?;
    while let Some(r) = rows.next()? {
        columns.insert(
            r.get(0)?,
            RowColumns {
                finding_id: r.get(1)?,
                event_id: r.get(2)?,
                visit_id: r.get(3)?,
                observed_at: r.get(4)?,
                unit: r.get(5)?,
                department: r.get(6)?,
                plugin_id: r.get(7)?,
                plugin_version: r.get(8)?,
                checklist_id: r.get(9)?,
                item_id: r.get(10)?,
                count: r.get(11)?,
                points: r.get(12)?,
                status: r.get(13)?,
                subject: r.get(14)?,
                note: r.get(15)?,
                versions: r.get(16)?,
                conflict: r.get(17)?,
                lead: r.get(18)?,
            },
        );
    }
    drop(rows);
    // Pending means no decision has been made: only the others are read.
    let decided: Vec<&str> = columns
        .values()
        .filter(|c| c.status != ReviewStatus::Pending.as_str())
        .map(|c| c.finding_id.as_str())
        .collect();
    let mut decisions: HashMap<String, Vec<DatedDecision>> = HashMap::new();
    if !decided.is_empty() {
        let mut stmt = conn.prepare_cached(DECISIONS_SELECT)?;
        let mut rows = stmt.query([json_list(&decided)?])?;
        while let Some(r) = rows.next()? {
            let (finding_id, event_id, time, detail): (String, String, String, String) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            let claimed_time = parse_time(&time).ok_or_else(|| damaged("time", &time))?;
            let decision: Decision =
                serde_json::from_str(&detail).map_err(|_| damaged("decision", &event_id))?;
            decisions
                .entry(finding_id)
                .or_default()
                .push(DatedDecision {
                    event_id,
                    claimed_time,
                    decision,
                });
        }
    }
    let mut out = Vec::with_capacity(found.len());
    for (row_id, key) in found {
        if let Some(c) = columns.remove(&row_id) {
            let state =
                ReviewState::of(decisions.get(&c.finding_id).map_or(&[][..], Vec::as_slice));
            out.push(build_row(conn, c, state, key, labels)?);
        }
    }
    Ok(out)
}

fn load_row(
    conn: &Connection,
    row_id: i64,
    key: RowKey,
    labels: &mut LabelCache,
) -> Result<Option<ReviewRow>, LedgerError> {
    Ok(load_rows(conn, vec![(row_id, key)], labels)?.pop())
}

fn build_row(
    conn: &Connection,
    c: RowColumns,
    state: ReviewState,
    key: RowKey,
    labels: &mut LabelCache,
) -> Result<ReviewRow, LedgerError> {
    let snapshot = labels.snapshot(
        conn,
        &c.visit_id,
        &c.plugin_id,
        &c.plugin_version,
        &c.checklist_id,
    )?;
    let item = snapshot.and_then(|s| s.item(&c.item_id));
    let count = u32::try_from(c.count).unwrap_or(0);
    let recorded_points = Points::from_hundredths(c.points);
    Ok(ReviewRow {
        finding_id: Uuid::parse_str(&c.finding_id)
            .map_err(|_| damaged("finding id", &c.finding_id))?,
        visit_id: Uuid::parse_str(&c.visit_id).map_err(|_| damaged("visit id", &c.visit_id))?,
        observed_at: parse_time(&c.observed_at).ok_or_else(|| damaged("time", &c.observed_at))?,
        item: item.map_or_else(
            || Label::new(c.item_id.clone(), c.item_id.clone()),
            |i| i.label.clone(),
        ),
        checklist: snapshot.map_or_else(
            || Label::new(c.checklist_id.clone(), c.checklist_id.clone()),
            |s| s.checklist.label.clone(),
        ),
        rule: item.map(|i| i.rule.clone()),
        event_id: c.event_id,
        unit: c.unit.unwrap_or_default(),
        department: c.department.unwrap_or_default(),
        plugin_id: c.plugin_id,
        checklist_id: c.checklist_id,
        item_id: c.item_id,
        count,
        points: state.points(recorded_points, count),
        recorded_points,
        inspector: c.lead.unwrap_or_default(),
        state,
        subject: c.subject,
        note: c.note,
        versions: u32::try_from(c.versions).unwrap_or(1),
        conflict: c.conflict,
        key,
    })
}

/// Distinct values of an indexed column, one index seek per value (a
/// million findings hold a few dozen items).
fn distinct(conn: &Connection, table: &str, column: &str) -> Result<Vec<String>, LedgerError> {
    let sql = format!(
        "WITH RECURSIVE seen(value) AS (
            SELECT min({column}) FROM {table}
            UNION ALL
            SELECT (SELECT min({column}) FROM {table} WHERE {column} > seen.value) FROM seen
             WHERE seen.value IS NOT NULL)
         SELECT value FROM seen WHERE value IS NOT NULL"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let values = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(values)
}

fn review_choices(conn: &Connection) -> Result<ReviewChoices, LedgerError> {
    let units: Vec<Unit> = conn
        .prepare_cached("SELECT DISTINCT unit, department FROM visits ORDER BY unit, department")?
        .query_map([], |r| {
            Ok(Unit {
                name: r.get(0)?,
                department: r.get(1)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut departments: Vec<String> = units.iter().map(|u| u.department.clone()).collect();
    departments.sort();
    departments.dedup();
    let inspectors: Vec<String> = distinct(conn, "visits", "lead")?
        .into_iter()
        .filter(|name| !name.is_empty())
        .collect();
    let mut labels = LabelCache::default();
    let mut items = Vec::new();
    for item_id in distinct(conn, "findings", "item_id")? {
        let sample: Option<(String, String, String, String)> = conn
            .prepare_cached(
                "SELECT visit_id, plugin_id, plugin_version, checklist_id FROM findings
                  WHERE item_id = ?1 LIMIT 1",
            )?
            .query_row([&item_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })
            .optional()?;
        let Some((visit_id, plugin_id, version, checklist_id)) = sample else {
            continue;
        };
        let snapshot = labels.snapshot(conn, &visit_id, &plugin_id, &version, &checklist_id)?;
        let fallback = |id: &str| Label::new(id, id);
        items.push(ChoiceItem {
            item: snapshot
                .and_then(|s| s.item(&item_id))
                .map_or_else(|| fallback(&item_id), |i| i.label.clone()),
            checklist: snapshot
                .map_or_else(|| fallback(&checklist_id), |s| s.checklist.label.clone()),
            plugin_id,
            checklist_id,
            item_id,
        });
    }
    items.sort_by(|a, b| {
        (&a.plugin_id, &a.checklist_id, &a.item_id).cmp(&(
            &b.plugin_id,
            &b.checklist_id,
            &b.item_id,
        ))
    });
    Ok(ReviewChoices {
        units,
        departments,
        inspectors,
        items,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn placeholders_are_numbered_across_conditions() {
        let sql = number_placeholders(&[
            ("a = ? AND b = ?".into(), 2),
            ("(c LIKE ?1 OR d LIKE ?1)".into(), 1),
            ("(e, f) > (?, ?)".into(), 2),
        ]);
        assert_eq!(
            sql,
            "a = ?1 AND b = ?2 AND (c LIKE ?3 OR d LIKE ?3) AND (e, f) > (?4, ?5)"
        );
    }

    #[test]
    fn search_terms_cannot_inject_syntax() {
        assert_eq!(
            trigram_query("a\"b OR"),
            "\"a\"\"b\" AND \"\"\"b \" AND \"b O\" AND \" OR\""
        );
        assert_eq!(trigram_query("短视频"), "\"短视频\"");
        assert_eq!(trigram_query("短视"), "");
        assert_eq!(like_pattern("5%_\\"), "%5\\%\\_\\\\%");
    }
}
