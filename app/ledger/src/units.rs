//! Reading the register of units, and what a new version of a unit would be.

use crate::Ledger;
use crate::error::LedgerError;
use anfang_core::authority::{Refusal, Role};
use anfang_core::register::{Register, UnitRegistered};
use rusqlite::Row;
use uuid::Uuid;

/// Columns of `units` and `unit_versions` that make a [`UnitRegistered`].
const COLUMNS: &str =
    "unit_id, version, name, department, kind, parent, aliases, active_from, active_to";

fn damaged(what: &str, text: &str) -> LedgerError {
    LedgerError::Damaged(format!("register: bad {what} '{text}'"))
}

/// One row of [`COLUMNS`].
fn unit_of(row: &Row<'_>) -> Result<UnitRegistered, LedgerError> {
    let id: String = row.get(0)?;
    let parent: Option<String> = row.get(5)?;
    let aliases: String = row.get(6)?;
    let date = |text: Option<String>| -> Result<Option<jiff::civil::Date>, LedgerError> {
        text.map(|t| t.parse().map_err(|_| damaged("date", &t)))
            .transpose()
    };
    Ok(UnitRegistered {
        unit_id: id.parse().map_err(|_| damaged("unit id", &id))?,
        version: u32::try_from(row.get::<_, i64>(1)?).unwrap_or(u32::MAX),
        name: row.get(2)?,
        department: row.get(3)?,
        kind: row.get(4)?,
        parent: parent
            .map(|p| p.parse().map_err(|_| damaged("parent", &p)))
            .transpose()?,
        aliases: serde_json::from_str(&aliases).map_err(|_| damaged("aliases", &aliases))?,
        active_from: date(row.get(7)?)?,
        active_to: date(row.get(8)?)?,
    })
}

impl Ledger {
    /// The register: each unit's current version (by department, then
    /// name) and the names its earlier versions that count had.
    pub fn register(&self) -> Result<Register, LedgerError> {
        register_of(&self.conn)
    }

    /// Every version of one unit that counts, oldest first: its history.
    pub fn unit_history(&self, unit_id: Uuid) -> Result<Vec<UnitRegistered>, LedgerError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM unit_versions WHERE unit_id = ?1 AND counts ORDER BY version, event_id"
        ))?;
        let mut rows = stmt.query([unit_id.to_string()])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(unit_of(row)?);
        }
        Ok(out)
    }

    /// Whether this device's next event may publish `unit` to the register.
    pub fn may_register(&self, unit: &UnitRegistered) -> Result<Result<(), Refusal>, LedgerError> {
        let seq = self.last_seq_of(self.device_id())? + 1;
        Ok(self
            .authority
            .grant(self.device_id(), seq, Role::Admin, &unit.unit())
            .map(|_| ()))
    }
}

/// The register as `conn` holds it: see [`Ledger::register`].
pub(crate) fn register_of(conn: &rusqlite::Connection) -> Result<Register, LedgerError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM units ORDER BY department, name, unit_id"
    ))?;
    let mut rows = stmt.query([])?;
    let mut units = Vec::new();
    while let Some(row) = rows.next()? {
        units.push(unit_of(row)?);
    }
    let former: Vec<(String, String)> = conn
        .prepare_cached(
            "SELECT DISTINCT v.unit_id, v.name FROM unit_versions v JOIN units u USING (unit_id)
              WHERE v.counts AND v.name <> u.name ORDER BY v.unit_id, v.name",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    let former_names = former
        .into_iter()
        .map(|(id, name)| {
            Ok((
                id.parse::<Uuid>().map_err(|_| damaged("unit id", &id))?,
                name,
            ))
        })
        .collect::<Result<_, LedgerError>>()?;
    Ok(Register {
        units,
        former_names,
    })
}
