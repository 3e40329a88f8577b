//! Reading one page by keyset: rows whose sort column is empty and rows
//! where it is set are two stretches of the order, each read with one query
//! from the anchor on.

use super::filter_sql::{Conditions, Purpose, conditions, number_placeholders};
use super::rows::{LabelCache, load_rows};
use super::{Anchor, ReviewFilter, ReviewPage, RowKey, Sort, SortKey};
use crate::error::LedgerError;
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

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

pub(super) fn review_page(
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
            if let Some(unit) = &filter.unit {
                let names = super::mapped::names_meaning(conn, unit)?;
                parts.push((super::mapped::unit_in("v.unit", names.len()), names.len()));
                params.extend(names.into_iter().map(Value::Text));
            }
            if let Some(department) = &filter.department {
                parts.push(("v.department = ?".into(), 1));
                params.push(Value::Text(department.clone()));
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
