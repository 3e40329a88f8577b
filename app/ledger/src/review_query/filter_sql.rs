//! A review filter as SQL conditions: each filter, the search terms (a
//! trigram index for long terms, LIKE for short ones) and numbered
//! placeholders.

use super::ReviewFilter;
use crate::canonical::format_time;
use crate::error::LedgerError;
use rusqlite::Connection;
use rusqlite::types::Value;

/// A filter rendered as SQL conditions with their parameters.
pub(super) struct Conditions {
    /// Each condition with the number of parameters it takes.
    pub(super) parts: Vec<(String, usize)>,
    /// The parameters, in order.
    pub(super) params: Vec<Value>,
    /// Few findings match the search: read them by row id rather than
    /// walking an index and testing each row.
    pub(super) few_hits: bool,
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
pub(super) fn like_pattern(term: &str) -> String {
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
pub(super) const FEW_HITS: i64 = 5000;

/// Above this many visits an inspector's findings are common enough that
/// walking an index in sort order beats reading all of them and sorting.
pub(super) const MANY_VISITS: i64 = 200;

pub(super) const LIKE_ANY_COLUMN: &str =
    "(f.note LIKE ?1 ESCAPE '\\' OR f.subject LIKE ?1 ESCAPE '\\' OR f.unit LIKE ?1 ESCAPE '\\')";

/// A search word in a note, subject or unit, or in the title (either
/// language) of the finding's item.
const LIKE_ANY_COLUMN_OR_TITLE: &str = "(f.note LIKE ?1 ESCAPE '\\' OR f.subject LIKE ?1 ESCAPE '\\' OR f.unit LIKE ?1 ESCAPE '\\'
  OR (f.plugin_id, f.checklist_id, f.item_id) IN
     (SELECT plugin_id, checklist_id, item_id FROM item_titles WHERE zh LIKE ?1 ESCAPE '\\' OR en LIKE ?1 ESCAPE '\\'))";

/// Whether `term` occurs in any item's title. Titles are a few hundred
/// rows, so this is cheap, and a word that names no item keeps the
/// full-text index's fast path.
fn names_an_item(conn: &Connection, term: &str) -> Result<bool, LedgerError> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM item_titles WHERE zh LIKE ?1 ESCAPE '\\' OR en LIKE ?1 ESCAPE '\\')",
        )?
        .query_row([like_pattern(term)], |r| r.get(0))?)
}

/// Every name of the registered units that `term` names (by a name, an
/// alias or a former name): their names, aliases and the names the office
/// currently mapped to them, so a search for `税务一分局` finds the findings recorded
/// under `市税务局第一分局`. Empty when the term names no registered unit.
fn names_of_units_named(conn: &Connection, term: &str) -> Result<Vec<String>, LedgerError> {
    let mut stmt = conn.prepare_cached(&format!(
        "WITH hit AS (SELECT DISTINCT unit_id FROM unit_versions
                       WHERE counts AND (name LIKE ?1 ESCAPE '\\' OR aliases LIKE ?1 ESCAPE '\\'))
         SELECT name FROM unit_versions WHERE counts AND unit_id IN hit
         UNION SELECT a.value FROM unit_versions v, json_each(v.aliases) a
                WHERE v.counts AND v.unit_id IN hit
         UNION SELECT typed FROM {} WHERE unit_id IN hit",
        super::mapped::CURRENT_MAPPINGS
    ))?;
    let names = stmt
        .query_map([like_pattern(term)], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(names)
}

/// `base` (a condition on `?1`) or the finding's unit being one of `names`.
fn or_unit_in(base: &str, names: &[String]) -> String {
    let list: Vec<String> = (0..names.len()).map(|i| format!("?{}", i + 2)).collect();
    format!("({base} OR f.unit IN ({}))", list.join(", "))
}

/// The deadline of a finding's latest rectification order, as ReviewState
/// has it (`YYYY-MM-DD`, so text order is date order; NULL without one).
pub(super) const DEADLINE: &str = "(SELECT json_extract(r.detail, '$.deadline') FROM reviews r
   WHERE r.finding_id = f.finding_id AND r.counts AND r.decision = 'require_rectification'
   ORDER BY r.claimed_time DESC, r.event_id DESC LIMIT 1)";

/// What the conditions are for: a page walks an index in sort order and
/// stops after a page; a count reads every match, so it should start from
/// the smallest set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Purpose {
    Page,
    Count,
}

pub(super) fn conditions(
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
    if let Some(unit) = &filter.unit {
        // Any name of the unit finds it, and findings recorded under a
        // name the office mapped to it.
        let names = super::mapped::names_meaning(conn, unit)?;
        c.push(
            super::mapped::unit_in("f.unit", names.len()),
            names.into_iter().map(Value::Text),
        );
    }
    for (column, value) in [
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
    if let Some(kind) = filter.outcome {
        c.push(
            "f.finding_id IN (SELECT finding_id FROM outcomes WHERE counts AND kind = ?)",
            [text(kind.as_str())],
        );
    }
    if let Some(today) = filter.overdue_on {
        c.push(
            format!("f.status = 'rectification_required' AND {DEADLINE} < ?"),
            [Value::Text(today.to_string())],
        );
    }
    if let Some(search) = &filter.search {
        // A word that is part of an item's title matches that item's
        // findings as well as notes, subjects and units holding it.
        let mut titled = Vec::new();
        let mut long = Vec::new();
        let mut short = Vec::new();
        for term in search.split_whitespace() {
            let units = names_of_units_named(conn, term)?;
            if !units.is_empty() {
                // A word that names a registered unit matches its findings
                // under any of its names, besides notes and subjects.
                let base = if names_an_item(conn, term)? {
                    LIKE_ANY_COLUMN_OR_TITLE
                } else {
                    LIKE_ANY_COLUMN
                };
                let params = std::iter::once(Value::Text(like_pattern(term)))
                    .chain(units.iter().cloned().map(Value::Text));
                c.push(or_unit_in(base, &units), params);
            } else if names_an_item(conn, term)? {
                titled.push(term);
            } else if term.chars().count() >= TRIGRAM {
                long.push(term);
            } else {
                short.push(term);
            }
        }
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
        for term in titled {
            c.push(LIKE_ANY_COLUMN_OR_TITLE, [Value::Text(like_pattern(term))]);
        }
    }
    Ok(c)
}

/// Renumbers `?` and `?1` placeholders into one sequence, so conditions can
/// be written on their own and joined. `?1` inside a condition refers to
/// that condition's first parameter.
pub(super) fn number_placeholders(parts: &[(String, usize)]) -> String {
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
