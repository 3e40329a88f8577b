//! Findings recorded under a name the office later mapped to a registered
//! unit are reviewed as that unit: they show under its current name, and
//! filtering by any of its names finds them. The name as typed stays on the
//! row, because the record must show what was written in the field.

use crate::error::LedgerError;
use rusqlite::Connection;

/// The registered unit's current name for a finding (`f`) whose typed
/// unit the office mapped, by the mapping that holds (the highest version,
/// then the larger event id); NULL when unmapped or when that unit is not
/// in the register.
pub(super) const MAPPED_NAME: &str = "(SELECT u.name FROM units u WHERE u.unit_id =
   (SELECT m.unit_id FROM unit_mappings m WHERE m.typed = f.unit AND m.counts
     ORDER BY m.version DESC, m.event_id DESC LIMIT 1))";

/// The names that hold for each typed name, as a table expression: the
/// mapping with the highest version, then the larger event id.
pub(super) const CURRENT_MAPPINGS: &str = "(SELECT typed, unit_id FROM unit_mappings m
   WHERE counts AND event_id = (SELECT event_id FROM unit_mappings WHERE typed = m.typed AND counts
                                 ORDER BY version DESC, event_id DESC LIMIT 1))";

/// Every name findings of the unit `name` means are recorded under: `name`
/// itself and, when it is a registered unit's name, alias or former name or
/// a name the office mapped to one, that unit's names and aliases and the
/// typed names currently mapped to it.
pub(super) fn names_meaning(conn: &Connection, name: &str) -> Result<Vec<String>, LedgerError> {
    let sql = format!(
        "WITH hit AS (SELECT DISTINCT unit_id FROM unit_versions v
                       WHERE counts AND (name = ?1 OR EXISTS
                             (SELECT 1 FROM json_each(v.aliases) WHERE value = ?1))
                      UNION SELECT unit_id FROM {CURRENT_MAPPINGS} WHERE typed = ?1)
         SELECT ?1
         UNION SELECT name FROM unit_versions WHERE counts AND unit_id IN hit
         UNION SELECT a.value FROM unit_versions v, json_each(v.aliases) a
                WHERE v.counts AND v.unit_id IN hit
         UNION SELECT typed FROM {CURRENT_MAPPINGS} WHERE unit_id IN hit"
    );
    let names = conn
        .prepare_cached(&sql)?
        .query_map([name], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(names)
}

/// `column IN (?, ?, …)` for `count` names.
pub(super) fn unit_in(column: &str, count: usize) -> String {
    let marks = vec!["?"; count.max(1)];
    format!("{column} IN ({})", marks.join(", "))
}
