//! Streaming reads for exports and imports.
//!
//! Findings are handed to a callback one by one, straight from the SQLite
//! cursor, so a million-row export never holds more than one row (plus
//! small caches of checklist labels and visit teams). The SQL is public so
//! office IT, and the export benchmark, can run the same query with the
//! `sqlite3` tool.

use crate::Ledger;
use crate::canonical::format_time;
use crate::error::LedgerError;
use crate::names;
use anfang_core::finding::{FindingRecord, FindingResult, ImportSource};
use anfang_core::manifest::{ChecklistSnapshot, ItemRef};
use anfang_core::review::ReviewStatus;
use anfang_core::rule::{CountUnit, RuleInput};
use anfang_core::visit::{Unit, VisitKind};
use anfang_core::{Label, Points};
use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row};
use std::collections::HashMap;
use std::rc::Rc;
use uuid::Uuid;

/// Which findings to read: observed in `[from, until)`, of one unit, one
/// department, one status, when given.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExportFilter {
    /// Observed at or after.
    pub from: Option<Timestamp>,
    /// Observed before.
    pub until: Option<Timestamp>,
    /// Exact unit name.
    pub unit: Option<String>,
    /// Exact department name.
    pub department: Option<String>,
    /// Current review status.
    pub status: Option<ReviewStatus>,
}

/// One finding in its current version, with what exports show of it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportFinding {
    /// Stable id across versions.
    pub finding_id: Uuid,
    /// The visit.
    pub visit_id: Uuid,
    /// The event that recorded the current version.
    pub event_id: String,
    /// The device that recorded it.
    pub device_id: String,
    /// When observed.
    pub observed_at: Timestamp,
    /// Unit name ('' while the visit's opening event has not arrived).
    pub unit: String,
    /// Department.
    pub department: String,
    /// Unannounced or open.
    pub visit_kind: VisitKind,
    /// The visit's team, lead first.
    pub team: Vec<String>,
    /// Plugin, version, checklist, item.
    pub item: ItemRef,
    /// The checklist's title as walked (the item id when unknown).
    pub checklist_label: Label,
    /// The item's title as walked (the item id when unknown).
    pub item_label: Label,
    /// What the item's rule counts.
    pub count_unit: Option<CountUnit>,
    /// Violation, compliant, not applicable.
    pub result: FindingResult,
    /// Count, chosen value, percentage, computed inputs.
    pub input: RuleInput,
    /// The deduction as it counts: the recorded points, or the points per
    /// count a reviewer settled on when confirming (range rules) × count.
    pub points: Points,
    /// The points as recorded.
    pub recorded_points: Points,
    /// Entered by hand because a computed rule failed.
    pub points_by_hand: bool,
    /// Who or where.
    pub subject: Option<String>,
    /// Evidence note.
    pub note: String,
    /// Current status.
    pub status: ReviewStatus,
    /// Deadline of the latest rectification order.
    pub deadline: Option<Date>,
    /// The imported file and row, for imported findings.
    pub source: Option<ImportSource>,
    /// Versions recorded.
    pub versions: u32,
    /// Concurrent corrections exist.
    pub conflict: bool,
    /// Evidence files attached.
    pub evidence_files: u32,
}

/// A finding whose rectification was ordered, with how it went.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRectification {
    /// The finding.
    pub finding_id: Uuid,
    /// Unit name.
    pub unit: String,
    /// Department.
    pub department: String,
    /// The item.
    pub item: ItemRef,
    /// The item's title.
    pub item_label: Label,
    /// Who or where.
    pub subject: Option<String>,
    /// Evidence note.
    pub note: String,
    /// When observed.
    pub observed_at: Timestamp,
    /// When the latest rectification order was decided (claimed time).
    pub ordered_at: Timestamp,
    /// Who ordered it.
    pub ordered_by: String,
    /// Its deadline.
    pub deadline: Date,
    /// Current status.
    pub status: ReviewStatus,
    /// The latest "rectified" note after the order.
    pub rectified_note: Option<String>,
    /// When it was reported.
    pub rectified_at: Option<Timestamp>,
    /// When the latest verification after the order was decided.
    pub verified_at: Option<Timestamp>,
}

/// The columns of the findings export query, in [`ExportFinding`] order;
/// `EXPORT_FINDINGS_FROM` and a `WHERE`/`ORDER BY` complete it.
pub const EXPORT_FINDINGS_SELECT: &str = "SELECT f.finding_id, f.visit_id, f.event_id, f.device, f.observed_at,
       coalesce(f.unit, ''), coalesce(f.department, ''), coalesce(v.kind, 'unannounced'), coalesce(v.team, '[]'),
       f.plugin_id, f.plugin_version, f.checklist_id, f.item_id, f.result, f.count, f.points, f.points_by_hand,
       f.subject, f.note, f.status, f.versions, f.conflict,
       json_extract(e.body, '$.input.chosen'), json_extract(e.body, '$.input.percent'),
       json_extract(e.body, '$.input.values'), json_extract(e.body, '$.source'),
       (SELECT count(*) FROM evidence ev WHERE ev.finding_id = f.finding_id),
       (SELECT json_extract(r.detail, '$.deadline') FROM reviews r
         WHERE r.finding_id = f.finding_id AND r.counts AND r.decision = 'require_rectification'
         ORDER BY r.claimed_time DESC, r.event_id DESC LIMIT 1),
       (SELECT json_extract(r.detail, '$.points') FROM reviews r
         WHERE r.finding_id = f.finding_id AND r.counts AND r.decision = 'confirm' AND json_extract(r.detail, '$.points') IS NOT NULL
         ORDER BY r.claimed_time DESC, r.event_id DESC LIMIT 1)";

/// The tables of the findings export query.
pub const EXPORT_FINDINGS_FROM: &str = "FROM findings f
  JOIN events e ON e.id = f.event_id
  LEFT JOIN visits v ON v.visit_id = f.visit_id";

/// The order findings are exported in.
pub const EXPORT_FINDINGS_ORDER: &str = "ORDER BY f.observed_at, f.finding_id";

const RECTIFICATIONS_SQL: &str = "SELECT f.finding_id, coalesce(f.unit, ''), coalesce(f.department, ''),
       f.visit_id, f.plugin_id, f.plugin_version, f.checklist_id, f.item_id, f.subject, f.note, f.observed_at, f.status,
       r.claimed_time, r.reviewer, json_extract(r.detail, '$.deadline'),
       (SELECT json_extract(m.detail, '$.note') || char(31) || m.claimed_time FROM reviews m
         WHERE m.finding_id = f.finding_id AND m.counts AND m.decision = 'mark_rectified'
           AND (m.claimed_time, m.event_id) > (r.claimed_time, r.event_id)
         ORDER BY m.claimed_time DESC, m.event_id DESC LIMIT 1),
       (SELECT y.claimed_time FROM reviews y
         WHERE y.finding_id = f.finding_id AND y.counts AND y.decision = 'verify_rectification'
           AND (y.claimed_time, y.event_id) > (r.claimed_time, r.event_id)
         ORDER BY y.claimed_time DESC, y.event_id DESC LIMIT 1)
  FROM findings f
  JOIN reviews r ON r.event_id = (SELECT r2.event_id FROM reviews r2
         WHERE r2.finding_id = f.finding_id AND r2.counts AND r2.decision = 'require_rectification'
         ORDER BY r2.claimed_time DESC, r2.event_id DESC LIMIT 1)";

impl ExportFilter {
    /// The `WHERE` clause and its parameters. Only the conditions given are
    /// written, so SQLite can use the matching `findings_*` index.
    pub fn where_clause(&self) -> (String, Vec<Value>) {
        let mut conditions = Vec::new();
        let mut values = Vec::new();
        let mut add = |condition: &str, value: Value| {
            values.push(value);
            conditions.push(format!("{condition} ?{}", values.len()));
        };
        if let Some(from) = self.from {
            add("f.observed_at >=", Value::Text(format_time(from)));
        }
        if let Some(until) = self.until {
            add("f.observed_at <", Value::Text(format_time(until)));
        }
        if let Some(unit) = &self.unit {
            add("f.unit =", Value::Text(unit.clone()));
        }
        if let Some(department) = &self.department {
            add("f.department =", Value::Text(department.clone()));
        }
        if let Some(status) = self.status {
            add("f.status =", Value::Text(status.as_str().to_owned()));
        }
        if conditions.is_empty() {
            (String::new(), values)
        } else {
            (format!("WHERE {}", conditions.join(" AND ")), values)
        }
    }

    /// The whole findings export query for this filter, with its parameters.
    pub fn findings_sql(&self) -> (String, Vec<Value>) {
        let (clause, values) = self.where_clause();
        (
            format!(
                "{EXPORT_FINDINGS_SELECT}\n{EXPORT_FINDINGS_FROM}\n{clause}\n{EXPORT_FINDINGS_ORDER}"
            ),
            values,
        )
    }
}

impl Ledger {
    /// How many findings pass the filter.
    pub fn export_count(&self, filter: &ExportFilter) -> Result<u64, LedgerError> {
        let (clause, values) = filter.where_clause();
        let sql = format!("SELECT count(*) FROM findings f {clause}");
        let n: i64 = self
            .conn
            .prepare(&sql)?
            .query_row(rusqlite::params_from_iter(values), |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Hands every finding that passes the filter to `each`, ordered by
    /// observation time; the first error (the ledger's or the callback's) stops.
    pub fn export_findings<E: From<LedgerError>>(
        &self,
        filter: &ExportFilter,
        mut each: impl FnMut(ExportFinding) -> Result<(), E>,
    ) -> Result<(), E> {
        let (sql, values) = filter.findings_sql();
        let mut stmt = self.conn.prepare(&sql).map_err(LedgerError::from)?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(values))
            .map_err(LedgerError::from)?;
        let mut labels = Labels::default();
        let mut teams = Teams::default();
        while let Some(row) = rows.next().map_err(LedgerError::from)? {
            let finding = finding_from(&self.conn, row, &mut labels, &mut teams)?;
            each(finding)?;
        }
        Ok(())
    }

    /// Hands every finding that passes the filter and was ordered rectified
    /// to `each`, ordered by deadline.
    pub fn export_rectifications<E: From<LedgerError>>(
        &self,
        filter: &ExportFilter,
        mut each: impl FnMut(ExportRectification) -> Result<(), E>,
    ) -> Result<(), E> {
        let (clause, values) = filter.where_clause();
        let sql = format!(
            "{RECTIFICATIONS_SQL}\n{clause}\nORDER BY json_extract(r.detail, '$.deadline'), f.observed_at, f.finding_id"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(LedgerError::from)?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(values))
            .map_err(LedgerError::from)?;
        let mut labels = Labels::default();
        while let Some(row) = rows.next().map_err(LedgerError::from)? {
            let rectification = rectification_from(&self.conn, row, &mut labels)?;
            each(rectification)?;
        }
        Ok(())
    }

    /// Public-appraisal deductions whose period lies within `[from, to]`
    /// (all when no bound is given), for the filter's unit and department.
    pub fn export_appraisals(
        &self,
        from: Option<Date>,
        to: Option<Date>,
        unit: Option<&str>,
        department: Option<&str>,
    ) -> Result<Vec<(Unit, Points)>, LedgerError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT unit, department, deduction FROM appraisals
              WHERE counts AND (?1 IS NULL OR period_from >= ?1) AND (?2 IS NULL OR period_to <= ?2)
                AND (?3 IS NULL OR unit = ?3) AND (?4 IS NULL OR department = ?4)
              ORDER BY unit, department, period_from, event_id",
        )?;
        let rows = stmt.query_map(
            rusqlite::params![
                from.map(|d| d.to_string()),
                to.map(|d| d.to_string()),
                unit,
                department
            ],
            |r| {
                Ok((
                    Unit {
                        name: r.get(0)?,
                        department: r.get(1)?,
                    },
                    Points::from_hundredths(r.get(2)?),
                ))
            },
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The rows (1-based) already imported from the file with this SHA-256,
    /// in any version of any finding, from any device.
    pub fn imported_rows(&self, file_sha256: &str) -> Result<Vec<u64>, LedgerError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT json_extract(body, '$.source.row') FROM events
              WHERE kind = 'finding_recorded' AND instr(body, ?1) > 0
                AND json_extract(body, '$.source.file_sha256') = ?1
              ORDER BY 1",
        )?;
        let rows = stmt.query_map([file_sha256], |r| r.get::<_, i64>(0))?;
        rows.map(|r| Ok(u64::try_from(r?).unwrap_or(0))).collect()
    }

    /// Every imported finding recorded in the ledger (any version), with
    /// its visit's unit: what an import compares new rows against.
    pub fn imported_findings<E: From<LedgerError>>(
        &self,
        mut each: impl FnMut(Unit, FindingRecord) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT e.id, e.body, coalesce(v.unit, ''), coalesce(v.department, '') FROM events e
                   LEFT JOIN visits v ON v.visit_id = json_extract(e.body, '$.visit_id')
                  WHERE e.kind = 'finding_recorded' AND instr(e.body, '\"source\"') > 0
                    AND json_extract(e.body, '$.source') IS NOT NULL
                  ORDER BY e.id",
            )
            .map_err(LedgerError::from)?;
        let mut rows = stmt.query([]).map_err(LedgerError::from)?;
        while let Some(row) = rows.next().map_err(LedgerError::from)? {
            let id: String = row.get(0).map_err(LedgerError::from)?;
            let body: String = row.get(1).map_err(LedgerError::from)?;
            let record: FindingRecord = serde_json::from_str(&body)
                .map_err(|e| LedgerError::Damaged(format!("finding event {id}: {e}")))?;
            let unit = Unit {
                name: row.get(2).map_err(LedgerError::from)?,
                department: row.get(3).map_err(LedgerError::from)?,
            };
            each(unit, record)?;
        }
        Ok(())
    }

    /// Whether a finding with this id is recorded.
    pub fn has_finding(&self, finding_id: Uuid) -> Result<bool, LedgerError> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM findings WHERE finding_id = ?1")?
            .query_row([finding_id.to_string()], |_| Ok(()))
            .optional()?
            .is_some())
    }
}

/// A checklist's title and its items' titles and count units.
#[derive(Debug)]
struct ChecklistLabels {
    label: Label,
    items: HashMap<String, (Label, Option<CountUnit>)>,
}

/// Checklist labels by (visit, plugin, version, checklist) as walked.
/// Visits walking the same plugin version share one entry.
#[derive(Debug, Default)]
struct Labels {
    by_version: HashMap<(String, String, String), Option<Rc<ChecklistLabels>>>,
}

impl Labels {
    fn get(
        &mut self,
        conn: &Connection,
        visit_id: &str,
        item: &ItemRef,
    ) -> Result<Option<Rc<ChecklistLabels>>, LedgerError> {
        let key = (
            item.plugin_id.clone(),
            item.plugin_version.clone(),
            item.checklist_id.clone(),
        );
        if let Some(found) = self.by_version.get(&key) {
            return Ok(found.clone());
        }
        let snapshot: Option<String> = conn
            .prepare_cached(
                "SELECT snapshot FROM visit_checklist_snapshots
                  WHERE visit_id = ?1 AND plugin_id = ?2 AND plugin_version = ?3 AND checklist_id = ?4
                  ORDER BY claimed_time, event_id, position LIMIT 1",
            )?
            .query_row(
                rusqlite::params![visit_id, item.plugin_id, item.plugin_version, item.checklist_id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(snapshot) = snapshot else {
            // The visit's checklists have not arrived yet: ask again next time.
            return Ok(None);
        };
        let snapshot: ChecklistSnapshot = serde_json::from_str(&snapshot)
            .map_err(|e| LedgerError::Damaged(format!("checklist of visit {visit_id}: {e}")))?;
        let labels = Rc::new(ChecklistLabels {
            label: snapshot.checklist.label.clone(),
            items: snapshot
                .checklist
                .items
                .iter()
                .map(|i| (i.id.clone(), (i.label.clone(), i.rule.count_unit())))
                .collect(),
        });
        self.by_version.insert(key, Some(labels.clone()));
        Ok(Some(labels))
    }
}

/// Visit teams by team JSON text, parsed once each.
#[derive(Debug, Default)]
struct Teams {
    parsed: HashMap<String, Vec<String>>,
}

impl Teams {
    fn get(&mut self, json: String) -> Result<Vec<String>, LedgerError> {
        if let Some(team) = self.parsed.get(&json) {
            return Ok(team.clone());
        }
        let team: Vec<String> = serde_json::from_str(&json)
            .map_err(|_| LedgerError::Damaged(format!("bad team '{json}'")))?;
        // Teams repeat; a ledger with very many distinct ones just parses again.
        if self.parsed.len() < 10_000 {
            self.parsed.insert(json, team.clone());
        }
        Ok(team)
    }
}

fn damaged(what: &str, value: &str) -> LedgerError {
    LedgerError::Damaged(format!("bad {what} '{value}'"))
}

fn timestamp(text: &str) -> Result<Timestamp, LedgerError> {
    text.parse().map_err(|_| damaged("time", text))
}

fn uuid(text: &str) -> Result<Uuid, LedgerError> {
    Uuid::parse_str(text).map_err(|_| damaged("id", text))
}

fn status(text: &str) -> Result<ReviewStatus, LedgerError> {
    ReviewStatus::parse(text).ok_or_else(|| damaged("status", text))
}

fn points(value: Option<f64>) -> Option<Points> {
    value.and_then(Points::from_f64)
}

fn date(text: Option<String>) -> Result<Option<Date>, LedgerError> {
    text.map(|t| t.parse().map_err(|_| damaged("date", &t)))
        .transpose()
}

fn finding_from(
    conn: &Connection,
    row: &Row<'_>,
    labels: &mut Labels,
    teams: &mut Teams,
) -> Result<ExportFinding, LedgerError> {
    let text = |i: usize| row.get::<_, String>(i);
    let finding_id: String = text(0)?;
    let visit_id: String = text(1)?;
    let item = ItemRef {
        plugin_id: text(9)?,
        plugin_version: text(10)?,
        checklist_id: text(11)?,
        item_id: text(12)?,
    };
    let found = labels.get(conn, &visit_id, &item)?;
    let (checklist_label, item_label, count_unit) = match found.as_deref() {
        Some(list) => match list.items.get(&item.item_id) {
            Some((label, unit)) => (list.label.clone(), label.clone(), *unit),
            None => (
                list.label.clone(),
                Label::new(&item.item_id, &item.item_id),
                None,
            ),
        },
        None => (
            Label::new(&item.checklist_id, &item.checklist_id),
            Label::new(&item.item_id, &item.item_id),
            None,
        ),
    };
    let kind: String = text(7)?;
    let result: String = text(13)?;
    let count: i64 = row.get(14)?;
    let recorded_points = Points::from_hundredths(row.get(15)?);
    let values: Option<String> = row.get(24)?;
    let input = RuleInput {
        count: u32::try_from(count).unwrap_or(0),
        chosen: points(row.get(22)?),
        percent: points(row.get(23)?),
        values: match values {
            Some(json) => serde_json::from_str(&json).map_err(|_| damaged("rule inputs", &json))?,
            None => serde_json::Map::new(),
        },
    };
    let source: Option<String> = row.get(25)?;
    let confirmed_per_count = points(row.get(28)?);
    let points = match confirmed_per_count {
        Some(per_count) => per_count * input.count,
        None => recorded_points,
    };
    let status_text: String = text(19)?;
    Ok(ExportFinding {
        finding_id: uuid(&finding_id)?,
        visit_id: uuid(&visit_id)?,
        event_id: text(2)?,
        device_id: text(3)?,
        observed_at: timestamp(&text(4)?)?,
        unit: text(5)?,
        department: text(6)?,
        visit_kind: names::parse_visit_kind(&kind).ok_or_else(|| damaged("visit kind", &kind))?,
        team: teams.get(text(8)?)?,
        item,
        checklist_label,
        item_label,
        count_unit,
        result: match result.as_str() {
            "violation" => FindingResult::Violation,
            "compliant" => FindingResult::Compliant,
            "not_applicable" => FindingResult::NotApplicable,
            _ => return Err(damaged("result", &result)),
        },
        input,
        points,
        recorded_points,
        points_by_hand: row.get(16)?,
        subject: row.get(17)?,
        note: text(18)?,
        status: status(&status_text)?,
        deadline: date(row.get(27)?)?,
        source: source
            .map(|json| serde_json::from_str(&json).map_err(|_| damaged("import source", &json)))
            .transpose()?,
        versions: u32::try_from(row.get::<_, i64>(20)?).unwrap_or(u32::MAX),
        conflict: row.get(21)?,
        evidence_files: u32::try_from(row.get::<_, i64>(26)?).unwrap_or(u32::MAX),
    })
}

fn rectification_from(
    conn: &Connection,
    row: &Row<'_>,
    labels: &mut Labels,
) -> Result<ExportRectification, LedgerError> {
    let text = |i: usize| row.get::<_, String>(i);
    let finding_id: String = text(0)?;
    let visit_id: String = text(3)?;
    let item = ItemRef {
        plugin_id: text(4)?,
        plugin_version: text(5)?,
        checklist_id: text(6)?,
        item_id: text(7)?,
    };
    let item_label = labels
        .get(conn, &visit_id, &item)?
        .and_then(|list| {
            list.items
                .get(&item.item_id)
                .map(|(label, _)| label.clone())
        })
        .unwrap_or_else(|| Label::new(&item.item_id, &item.item_id));
    let deadline: Option<String> = row.get(14)?;
    let deadline =
        date(deadline)?.ok_or_else(|| damaged("rectification deadline of finding", &finding_id))?;
    let rectified: Option<String> = row.get(15)?;
    let (rectified_note, rectified_at) = match rectified {
        Some(joined) => {
            let (note, time) = joined
                .rsplit_once('\u{1f}')
                .unwrap_or((joined.as_str(), ""));
            (Some(note.to_owned()), Some(timestamp(time)?))
        }
        None => (None, None),
    };
    let verified: Option<String> = row.get(16)?;
    let status_text: String = text(11)?;
    Ok(ExportRectification {
        finding_id: uuid(&finding_id)?,
        unit: text(1)?,
        department: text(2)?,
        item,
        item_label,
        subject: row.get(8)?,
        note: text(9)?,
        observed_at: timestamp(&text(10)?)?,
        ordered_at: timestamp(&text(12)?)?,
        ordered_by: text(13)?,
        deadline,
        status: status(&status_text)?,
        rectified_note,
        rectified_at,
        verified_at: verified.as_deref().map(timestamp).transpose()?,
    })
}
