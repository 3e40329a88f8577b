//! The rectification loop's reading and writing: a unit's report or appeal
//! with its files, follow-up visits (复查) linked to findings, and whether a
//! decision would count before it is written.

use crate::Ledger;
use crate::append::append_in;
use crate::canonical::sha256_hex;
use crate::error::LedgerError;
use crate::evidence::MAX_EVIDENCE_BYTES;
use anfang_core::authority::Refusal;
use anfang_core::event::{EventBody, VisitOpened};
use anfang_core::review::{AttachedFile, Decision, ReviewRecord};
use rusqlite::{OptionalExtension, TransactionBehavior, params};
use std::io::Read;
use std::path::Path;
use uuid::Uuid;

/// A file read for a decision to carry: its reference and its bytes.
#[derive(Debug, Clone)]
pub struct DecisionFile {
    /// What the decision names.
    pub file: AttachedFile,
    pub(crate) data: Vec<u8>,
}

/// Reads an evidence file (a finding's, a report's or an appeal's),
/// refusing what is not a regular file or is larger than
/// [`MAX_EVIDENCE_BYTES`].
pub fn read_decision_file(path: &Path) -> Result<DecisionFile, LedgerError> {
    let too_large = |size| LedgerError::EvidenceTooLarge {
        path: path.to_path_buf(),
        size,
        max: MAX_EVIDENCE_BYTES,
    };
    let meta = std::fs::metadata(path).map_err(|e| LedgerError::io("read", path, e))?;
    if !meta.is_file() {
        return Err(LedgerError::io(
            "read",
            path,
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file"),
        ));
    }
    if meta.len() > MAX_EVIDENCE_BYTES {
        return Err(too_large(meta.len()));
    }
    let mut data = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_EVIDENCE_BYTES + 1).read_to_end(&mut data))
        .map_err(|e| LedgerError::io("read", path, e))?;
    let size = data.len() as u64;
    if size > MAX_EVIDENCE_BYTES {
        return Err(too_large(size));
    }
    Ok(DecisionFile {
        file: AttachedFile {
            sha256: sha256_hex(&data),
            file_name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "evidence".into()),
            size,
        },
        data,
    })
}

/// A follow-up visit as the ledger holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecheckVisit {
    /// The visit.
    pub visit_id: Uuid,
    /// The unit's name.
    pub unit: String,
    /// The findings it re-checks.
    pub rechecks: Vec<Uuid>,
}

impl Ledger {
    /// Appends a decision together with the files it carries, stored like
    /// evidence, in one transaction: both or neither.
    pub fn append_decision_with_files(
        &mut self,
        record: &ReviewRecord,
        files: &[DecisionFile],
        claimed: jiff::Timestamp,
    ) -> Result<String, LedgerError> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for f in files {
            tx.prepare_cached(
                "INSERT OR IGNORE INTO blobs (sha256, size, data) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![f.file.sha256, f.file.size as i64, f.data])?;
        }
        let body = EventBody::ReviewDecided(record.clone());
        let id = append_in(&tx, &self.authority, &self.key, &body, claimed)?;
        tx.commit()?;
        self.after_append(&body)?;
        Ok(id)
    }

    /// Opens a follow-up visit (复查) of the unit of `finding_id`, walking
    /// the checklists of the visit that found it, linked to the finding.
    pub fn open_recheck_visit(
        &mut self,
        finding_id: Uuid,
        team: Vec<String>,
        at: jiff::Timestamp,
    ) -> Result<Uuid, LedgerError> {
        let body: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT e.body FROM findings f JOIN visits v ON v.visit_id = f.visit_id
                   JOIN events e ON e.id = v.event_id WHERE f.finding_id = ?1",
            )?
            .query_row([finding_id.to_string()], |r| r.get(0))
            .optional()?;
        let Some(body) = body else {
            return Err(LedgerError::NoSuchFinding(finding_id));
        };
        let first: VisitOpened = serde_json::from_str(&body)
            .map_err(|e| LedgerError::Damaged(format!("visit of finding {finding_id}: {e}")))?;
        let visit_id = Uuid::now_v7();
        let opened = VisitOpened {
            rechecks: Some(vec![finding_id]),
            unit_id: first.unit_id,
            visit_id,
            unit: first.unit,
            kind: first.kind,
            team,
            started_at: at,
            checklists: first.checklists,
        };
        self.append_at(&EventBody::VisitOpened(opened), at)?;
        Ok(visit_id)
    }

    /// A visit with the findings it re-checks (none for an ordinary one);
    /// `None` when the ledger holds no such visit.
    pub fn recheck_visit(&self, visit_id: Uuid) -> Result<Option<RecheckVisit>, LedgerError> {
        let row: Option<(String, Option<String>)> = self
            .conn
            .prepare_cached(
                "SELECT v.unit, json_extract(e.body, '$.rechecks') FROM visits v
                   JOIN events e ON e.id = v.event_id WHERE v.visit_id = ?1",
            )?
            .query_row([visit_id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((unit, rechecks)) = row else {
            return Ok(None);
        };
        let rechecks = match rechecks {
            None => Vec::new(),
            Some(text) => serde_json::from_str(&text)
                .map_err(|e| LedgerError::Damaged(format!("rechecks of visit {visit_id}: {e}")))?,
        };
        Ok(Some(RecheckVisit {
            visit_id,
            unit,
            rechecks,
        }))
    }

    /// The follow-up visits opened as re-checks of a finding, oldest first.
    pub fn rechecks_of(&self, finding_id: Uuid) -> Result<Vec<(Uuid, String)>, LedgerError> {
        let rows: Vec<(String, String)> = self
            .conn
            .prepare_cached(
                "SELECT v.visit_id, v.started_at FROM visits v
                   JOIN events e ON e.id = v.event_id
                  WHERE json_extract(e.body, '$.rechecks') IS NOT NULL
                    AND EXISTS (SELECT 1 FROM json_each(json_extract(e.body, '$.rechecks')) j
                                 WHERE j.value = ?1)
                  ORDER BY v.started_at, v.visit_id",
            )?
            .query_map([finding_id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        rows.into_iter()
            .map(|(id, at)| {
                id.parse()
                    .map(|id| (id, at))
                    .map_err(|_| LedgerError::Damaged(format!("bad visit id '{id}'")))
            })
            .collect()
    }

    /// Whether the finding's decisions end on an appeal not yet decided.
    pub fn pending_appeal(&self, finding_id: Uuid) -> Result<bool, LedgerError> {
        let head = crate::derive::head_of(&self.conn, &self.authority, &finding_id.to_string())?;
        let Some(head) = head else {
            return Ok(false);
        };
        let kind: Option<String> = self
            .conn
            .prepare_cached("SELECT decision FROM reviews WHERE event_id = ?1")?
            .query_row([head], |r| r.get(0))
            .optional()?;
        Ok(kind.as_deref()
            == Some(crate::names::decision(&Decision::Appeal {
                reason: String::new(),
                evidence: None,
            })))
    }

    /// Whether `decision` by this device on the finding would count: the
    /// name it counts under, or why not. Beyond the roster, an appeal is
    /// decided by someone other than whoever confirmed the finding.
    pub fn may_decide_on(
        &self,
        finding_id: Uuid,
        decision: &Decision,
    ) -> Result<Result<String, Refusal>, LedgerError> {
        let person = match self.may_decide(finding_id)? {
            Ok(person) => person,
            Err(refusal) => return Ok(Err(refusal)),
        };
        if !matches!(decision, Decision::DecideAppeal { .. }) {
            return Ok(Ok(person));
        }
        let confirmers: Vec<(String, Option<String>)> = self
            .conn
            .prepare_cached(
                "SELECT device, person FROM reviews
                  WHERE finding_id = ?1 AND counts AND decision = 'confirm'",
            )?
            .query_map([finding_id.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let office = self.authority.is_office();
        let mine = confirmers.iter().any(|(device, who)| {
            if office {
                who.as_deref() == Some(person.as_str())
            } else {
                device == self.device_id()
            }
        });
        if mine {
            let named = if office {
                person
            } else {
                format!("{}…", crate::short(self.device_id()))
            };
            return Ok(Err(Refusal::OwnConfirmation { person: named }));
        }
        Ok(Ok(person))
    }
}
