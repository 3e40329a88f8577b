//! What scores take from beyond a unit's own findings: which registered
//! unit a visited name means (its id on the visit, the register's names and
//! aliases, the office's mappings), and the extra lines of
//! `anfang_core::cross_unit` (bulletins, the parent unit, the service
//! center's approval items).

use crate::error::LedgerError;
use crate::office_records::{bulletins_of, mappings_of};
use crate::units::register_of;
use anfang_core::Points;
use anfang_core::cross_unit::{
    ExtraLine, NOT_MOVED_ITEM, bulletin_line, counts_for_parent, moved_lines, parent_line,
};
use anfang_core::period::Period;
use anfang_core::register::{Register, UnitRegistered};
use anfang_core::tally::UnitScore;
use rusqlite::Connection;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// A unit as scores key it: name, department.
pub(crate) type UnitKey = (String, String);

/// Which registered unit a name seen on visits and findings means.
pub(crate) struct Canon {
    register: Register,
    mappings: HashMap<String, Uuid>,
    visit_ids: HashMap<UnitKey, Uuid>,
}

impl Canon {
    /// Reads the register, the mappings and the ids visits recorded.
    pub(crate) fn load(conn: &Connection) -> Result<Canon, LedgerError> {
        let mut visit_ids = HashMap::new();
        let mut stmt = conn.prepare_cached(
            "SELECT DISTINCT unit, department, unit_id FROM visits WHERE unit_id IS NOT NULL
              ORDER BY unit, department, unit_id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(2)?;
            if let Ok(id) = id.parse::<Uuid>() {
                visit_ids.entry((r.get(0)?, r.get(1)?)).or_insert(id);
            }
        }
        Ok(Canon {
            register: register_of(conn)?,
            mappings: mappings_of(conn)?.into_iter().collect(),
            visit_ids,
        })
    }

    /// The registered unit a visited name means: by the id its visits
    /// recorded, then by name, alias or former name, then by the office's
    /// mapping of the name as typed.
    pub(crate) fn unit(&self, key: &UnitKey) -> Option<&UnitRegistered> {
        self.visit_ids
            .get(key)
            .and_then(|id| self.register.get(*id))
            .or_else(|| self.register.resolve(&key.0))
            .or_else(|| {
                self.mappings
                    .get(key.0.trim())
                    .and_then(|id| self.register.get(*id))
            })
    }

    /// The key scores use for a visited name: the registered unit's
    /// current name and department, or the name as it is.
    pub(crate) fn key(&self, key: UnitKey) -> UnitKey {
        match self.unit(&key) {
            Some(u) => (u.name.clone(), u.department.clone()),
            None => key,
        }
    }

    fn key_of_id(&self, id: Uuid) -> Option<UnitKey> {
        self.register
            .get(id)
            .map(|u| (u.name.clone(), u.department.clone()))
    }
}

/// The extra lines of each unit for `period`, given its scores so far
/// (keyed as [`Canon::key`] keys them); `lo`..`hi` are the period's
/// instants as stored.
pub(crate) fn extra_lines(
    conn: &Connection,
    canon: &Canon,
    period: &Period,
    (lo, hi): (&str, &str),
    scores: &[UnitScore],
) -> Result<BTreeMap<UnitKey, Vec<ExtraLine>>, LedgerError> {
    let mut out: BTreeMap<UnitKey, Vec<ExtraLine>> = BTreeMap::new();
    // 四(四)3: a subordinate unit's person-times also cost its parent.
    for score in scores {
        let key = (score.unit.name.clone(), score.unit.department.clone());
        let Some(parent) = canon
            .unit(&key)
            .and_then(|u| u.parent)
            .and_then(|p| canon.key_of_id(p))
        else {
            continue;
        };
        for line in &score.counted {
            if counts_for_parent(&line.key.plugin_id, &line.key.item_id) && line.count > 0 {
                out.entry(parent.clone()).or_default().push(parent_line(
                    &score.unit.name,
                    &line.item,
                    line.count,
                ));
            }
        }
    }
    // 四(二): approval items not moved are the department's, not the center's.
    let counted = crate::scores_query::counted_statuses();
    let sql = format!(
        "SELECT finding_id, unit, department, subject, points FROM findings
          WHERE plugin_id = ?1 AND item_id = ?2 AND result = 'violation' AND status IN ({counted})
            AND observed_at >= ?3 AND observed_at < ?4 AND unit IS NOT NULL AND subject IS NOT NULL
          ORDER BY finding_id"
    );
    type Moved = (String, String, String, String, i64);
    let moved: Vec<Moved> = conn
        .prepare_cached(&sql)?
        .query_map(
            rusqlite::params![NOT_MOVED_ITEM.0, NOT_MOVED_ITEM.1, lo, hi],
            |r| r.try_into(),
        )?
        .collect::<Result<_, _>>()?;
    for (finding_id, unit, department, subject, points) in moved {
        let center = canon.key((unit, department));
        let Some(owner) = canon.unit(&(subject.trim().to_string(), String::new())) else {
            continue;
        };
        let owner = (owner.name.clone(), owner.department.clone());
        if owner == center {
            continue;
        }
        let (to, from) = moved_lines(
            &center.0,
            &owner.0,
            Points::from_hundredths(points),
            &finding_id,
        );
        out.entry(owner).or_default().push(to);
        out.entry(center).or_default().push(from);
    }
    // 四(四)2: each issued bulletin naming a unit costs it 10, once.
    for bulletin in bulletins_of(conn)? {
        let record = &bulletin.record;
        if !period.contains(record.date) {
            continue;
        }
        let mut named: Vec<UnitKey> = record
            .named
            .iter()
            .map(|n| {
                n.unit_id
                    .and_then(|id| canon.key_of_id(id))
                    .unwrap_or_else(|| canon.key((n.name.clone(), n.department.clone())))
            })
            .collect();
        named.sort();
        named.dedup();
        for key in named {
            out.entry(key).or_default().push(bulletin_line(
                &record.number,
                record.date,
                &bulletin.event_id,
            ));
        }
    }
    Ok(out)
}
