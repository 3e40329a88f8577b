//! Reading the office's records beside the register: names mapped to
//! registered units, issued bulletins, checklists published as data; and
//! whether this device may add to them.

use crate::Ledger;
use crate::derive::{BULLETIN_ROLES, grant_any};
use crate::error::LedgerError;
use anfang_core::authority::{Refusal, Role};
use anfang_core::bulletin::BulletinIssued;
use anfang_core::visit::Unit;
use rusqlite::{Connection, OptionalExtension};
use uuid::Uuid;

/// An issued bulletin as the ledger holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedBulletin {
    /// The `bulletin_issued` event's id.
    pub event_id: String,
    /// What it recorded.
    pub record: BulletinIssued,
}

/// A checklist published as data, its current version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedChecklist {
    /// The checklist's id.
    pub checklist_id: String,
    /// Its version number.
    pub version: u32,
    /// Its JSON text.
    pub document: String,
}

/// The names mapped to registered units: (typed name, unit id), the
/// mapping that holds for each name.
pub(crate) fn mappings_of(conn: &Connection) -> Result<Vec<(String, Uuid)>, LedgerError> {
    let rows: Vec<(String, String)> = conn
        .prepare_cached(
            "SELECT typed, unit_id FROM unit_mappings m WHERE counts AND event_id =
               (SELECT event_id FROM unit_mappings WHERE typed = m.typed AND counts
                 ORDER BY version DESC, event_id DESC LIMIT 1)
             ORDER BY typed",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|(typed, id)| {
            let id = id
                .parse()
                .map_err(|_| LedgerError::Damaged(format!("unit mapping: bad unit id '{id}'")))?;
            Ok((typed, id))
        })
        .collect()
}

/// The issued bulletins that hold (for one number, the one with the
/// smaller event id), by date then number.
pub(crate) fn bulletins_of(conn: &Connection) -> Result<Vec<IssuedBulletin>, LedgerError> {
    let rows: Vec<(String, String)> = conn
        .prepare_cached(
            "SELECT event_id, body FROM bulletins b WHERE counts AND event_id =
               (SELECT min(event_id) FROM bulletins WHERE number = b.number AND counts)
             ORDER BY issued, number",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    rows.into_iter()
        .map(|(event_id, body)| {
            let record = serde_json::from_str(&body).map_err(|_| {
                LedgerError::Damaged(format!("bulletin: bad record in event {event_id}"))
            })?;
            Ok(IssuedBulletin { event_id, record })
        })
        .collect()
}

impl Ledger {
    /// The names typed on visits that the office mapped to registered units.
    pub fn unit_mappings(&self) -> Result<Vec<(String, Uuid)>, LedgerError> {
        mappings_of(&self.conn)
    }

    /// The number the next mapping of `typed` takes.
    pub fn next_mapping_version(&self, typed: &str) -> Result<u32, LedgerError> {
        next_version(&self.conn, "unit_mappings", "typed", typed)
    }

    /// The issued bulletins that hold, by date then number.
    pub fn bulletins(&self) -> Result<Vec<IssuedBulletin>, LedgerError> {
        bulletins_of(&self.conn)
    }

    /// The issued bulletin with this number, when one holds.
    pub fn bulletin(&self, number: &str) -> Result<Option<IssuedBulletin>, LedgerError> {
        Ok(self
            .bulletins()?
            .into_iter()
            .find(|b| b.record.number == number.trim()))
    }

    /// The checklists published as data, each at its current version.
    pub fn published_checklists(&self) -> Result<Vec<PublishedChecklist>, LedgerError> {
        let rows: Vec<(String, i64, String)> = self
            .conn
            .prepare_cached(
                "SELECT checklist_id, version, document FROM published_checklists p
                  WHERE counts AND event_id =
                    (SELECT event_id FROM published_checklists WHERE checklist_id = p.checklist_id AND counts
                      ORDER BY version DESC, event_id DESC LIMIT 1)
                  ORDER BY checklist_id",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        Ok(rows
            .into_iter()
            .map(|(checklist_id, version, document)| PublishedChecklist {
                checklist_id,
                version: u32::try_from(version).unwrap_or(u32::MAX),
                document,
            })
            .collect())
    }

    /// The number the next publication of checklist `id` takes.
    pub fn next_checklist_version(&self, id: &str) -> Result<u32, LedgerError> {
        next_version(&self.conn, "published_checklists", "checklist_id", id)
    }

    /// Whether this device's next event may record an issued bulletin
    /// (a reviewer or the admin; any device with no office).
    pub fn may_issue_bulletin(&self, number: &str) -> Result<Result<(), Refusal>, LedgerError> {
        let seq = self.last_seq_of(self.device_id())? + 1;
        let about = Unit {
            name: number.to_string(),
            department: String::new(),
        };
        Ok(grant_any(
            &self.authority,
            self.device_id(),
            seq,
            &BULLETIN_ROLES,
            &about,
        )
        .map(|_| ()))
    }

    /// Whether this device's next event may publish the office's reference
    /// data (mappings, checklists): the admin, any device with no office.
    pub fn may_publish_office_data(&self, what: &str) -> Result<Result<(), Refusal>, LedgerError> {
        let seq = self.last_seq_of(self.device_id())? + 1;
        let about = Unit {
            name: what.to_string(),
            department: String::new(),
        };
        Ok(self
            .authority
            .grant(self.device_id(), seq, Role::Admin, &about)
            .map(|_| ()))
    }
}

/// One more than the highest version of `key` in `table`, counted or not,
/// so a new publication always supersedes what this ledger has seen.
fn next_version(
    conn: &Connection,
    table: &str,
    column: &str,
    key: &str,
) -> Result<u32, LedgerError> {
    let max: Option<i64> = conn
        .query_row(
            &format!("SELECT max(version) FROM {table} WHERE {column} = ?1"),
            [key],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    Ok(u32::try_from(max.unwrap_or(0)).unwrap_or(u32::MAX - 1) + 1)
}
