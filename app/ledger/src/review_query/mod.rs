//! The office's review window: findings across every merged visit, filtered,
//! searched and sorted, read one page at a time with keyset queries on
//! indexes, so that a ledger of a million findings never loads whole.
//!
//! A page is asked for by anchor: the first page, the last page, or the rows
//! after (or before) the sort key of a row already shown. Each sort orders
//! by its column, then by time, then by finding id, so every row has one
//! place and a page boundary never skips or repeats a row.

use crate::Ledger;
use crate::error::LedgerError;
use crate::types::FindingHistory;
use anfang_core::finding::EvidenceRecord;
use anfang_core::label::Label;
use anfang_core::review::ReviewStatus;
use anfang_core::review_state::ReviewState;
use anfang_core::rule::Rule;
use anfang_core::visit::Unit;
use anfang_core::{Lang, Points};
use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params_from_iter};
use uuid::Uuid;

mod choices;
mod filter_sql;
mod indexes;
mod list;
mod mapped;
mod paging;
mod rows;

use choices::review_choices;
pub use filter_sql::trigram_query;
use filter_sql::{Purpose, conditions, number_placeholders};
pub(crate) use indexes::ensure_indexes;
pub use list::ListedFinding;
use paging::review_page;
use rows::{LabelCache, load_row};

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
    /// The deadline of the latest rectification order (empty without
    /// one). Not among [`SortKey::ALL`]: it is the overdue view's order, read
    /// without an index, so it is offered only where few findings are listed.
    Deadline,
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
            SortKey::Deadline => &[filter_sql::DEADLINE, "f.observed_at", "f.finding_id"],
        }
    }

    /// Whether the sorted column can be empty (a finding whose visit has
    /// not arrived yet has no unit, department or inspector).
    fn nullable(self) -> bool {
        matches!(
            self,
            SortKey::Unit | SortKey::Department | SortKey::Inspector | SortKey::Deadline
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
    /// Only findings with a counting accountability outcome of this kind.
    pub outcome: Option<anfang_core::outcome::OutcomeKind>,
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
    /// The unit (empty while the visit's opening has not arrived): the
    /// registered unit's name when the office mapped the name typed.
    pub unit: String,
    /// The unit's name as typed on the visit, when the office mapped it to
    /// a registered unit of another name.
    pub unit_typed: Option<String>,
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
    /// Events about this finding kept but not counted (unauthorized or
    /// invalid decisions, corrections and evidence), with who made them.
    pub refused: Vec<crate::office::RefusedEvent>,
    /// Follow-up visits (复查) opened as re-checks of it, with when they
    /// started, oldest first.
    pub rechecks: Vec<(Uuid, String)>,
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
            refused: self.refused_about(&finding_id.to_string())?,
            rechecks: self.rechecks_of(finding_id)?,
            row,
        }))
    }

    /// The values the filters can take.
    pub fn review_choices(&self) -> Result<ReviewChoices, LedgerError> {
        review_choices(&self.conn)
    }
}

pub(super) fn damaged(what: &str, value: &str) -> LedgerError {
    LedgerError::Damaged(format!("bad {what} '{value}'"))
}
