//! The values each review filter can take, read from the ledger.

use super::rows::LabelCache;
use super::{ChoiceItem, ReviewChoices};
use crate::error::LedgerError;
use anfang_core::label::Label;
use rusqlite::{Connection, OptionalExtension};

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

pub(super) fn review_choices(conn: &Connection) -> Result<ReviewChoices, LedgerError> {
    let units = crate::read::known_units(conn)?;
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
