//! Merging a bundle: verify everything, then a set union of events and
//! blobs inside one transaction. A refused bundle changes nothing.

use crate::Ledger;
use crate::bundle::open_bundle;
use crate::canonical::{format_time, is_hex64, sha256_hex};
use crate::checks::outside_link;
use crate::error::LedgerError;
use crate::flags::AddedChain;
use crate::reading::{self, Checked};
use crate::refusal::{Problem, RefusalKind};
use crate::types::{DeviceReport, Flag, FlagKind, FlagTimes, MergeProgress, MergeReport};
use crate::{derive, flags};
use anfang_core::event::EventBody;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::mpsc::sync_channel;

/// How often progress is reported, in events.
const PROGRESS_EVERY: u64 = 1000;

impl Ledger {
    /// Verifies a bundle and merges it into this ledger in one transaction.
    /// Any problem refuses the whole bundle and leaves the ledger as it was.
    /// Call [`Ledger::sync`] after a batch (see [`Ledger::merge_unless`]).
    pub fn merge(
        &mut self,
        bundle: &Path,
        progress: &mut dyn FnMut(MergeProgress),
    ) -> Result<MergeReport, LedgerError> {
        self.merge_unless(bundle, progress, &|| false)
    }

    /// [`Ledger::merge`], which gives up, changing nothing, as soon as `stop`
    /// says so (asked every thousand events and before the commit).
    ///
    /// The commit does not wait for the disk: call [`Ledger::sync`] after a
    /// batch of merges, before reporting it done.
    pub fn merge_unless(
        &mut self,
        bundle: &Path,
        progress: &mut dyn FnMut(MergeProgress),
        stop: &dyn Fn() -> bool,
    ) -> Result<MergeReport, LedgerError> {
        self.without_waiting(|ledger| ledger.merge_one(bundle, progress, stop))
    }

    fn merge_one(
        &mut self,
        bundle: &Path,
        progress: &mut dyn FnMut(MergeProgress),
        stop: &dyn Fn() -> bool,
    ) -> Result<MergeReport, LedgerError> {
        let refuse = |problem: Problem| LedgerError::BadBundle {
            path: bundle.to_path_buf(),
            kind: problem.kind,
            reason: problem.text,
        };
        let src = open_bundle(bundle).map_err(refuse)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (report, rosters_added) =
            match merge_in(&tx, &self.authority, src, bundle, progress, stop) {
                Ok(merged) => merged,
                Err(Refusal::Bundle(problem)) => return Err(refuse(problem)),
                Err(Refusal::Ledger(e)) => return Err(e),
                Err(Refusal::Stopped) => {
                    return Err(LedgerError::MergeStopped(bundle.to_path_buf()));
                }
            };
        if stop() {
            return Err(LedgerError::MergeStopped(bundle.to_path_buf()));
        }
        tx.commit()?;
        // A roster that arrived was derived under inside the transaction;
        // without one the authority is what it was (reading the roster
        // again, and checking its signatures, cost 2 % of a merge).
        if rosters_added {
            self.authority = crate::office::load(&self.conn)?;
        }
        Ok(report)
    }
}

/// Why a merge stopped: the bundle is bad, the ledger itself failed, or
/// the caller asked it to stop.
enum Refusal {
    Bundle(Problem),
    Ledger(LedgerError),
    Stopped,
}

impl From<LedgerError> for Refusal {
    fn from(e: LedgerError) -> Self {
        Refusal::Ledger(e)
    }
}

impl From<rusqlite::Error> for Refusal {
    fn from(e: rusqlite::Error) -> Self {
        Refusal::Ledger(e.into())
    }
}

/// Reading the bundle failed: that is the bundle's fault.
fn bundle_read(e: rusqlite::Error) -> Refusal {
    Refusal::Bundle(reading::unreadable(e))
}

/// What the merging thread gathers from the events it writes.
struct Tally<'a> {
    /// The office the ledger answered to when the merge began.
    auth: &'a anfang_core::authority::Authority,
    /// A roster version was added: everything is derived again at the end.
    rosters_added: bool,
    /// This machine's clock when the merge began.
    now: jiff::Timestamp,
    /// Claimed times past this are flagged as in the future.
    future_limit: String,
    devices: BTreeMap<String, DeviceReport>,
    /// The device whose events are going in (they come device by device, in
    /// sequence order): the first sequence number added and the events
    /// added. Its flags are brought up to date as soon as the next begins.
    noting: Option<(String, i64, AddedChain)>,
    future: Vec<Flag>,
    wanted_blobs: BTreeSet<String>,
    added: u64,
    done: u64,
}

impl Tally<'_> {
    /// Writes one checked event (unless the ledger has it) and what derives from it.
    fn take(&mut self, tx: &Connection, checked: Checked) -> Result<(), Refusal> {
        let Checked {
            ev,
            body,
            claimed,
            unseen_prev,
        } = checked;
        if let Some(prev) = unseen_prev
            && let Some(problem) = outside_link(tx, &ev, &prev)?
        {
            return Err(Refusal::Bundle(problem));
        }
        if ev.claimed_time > self.future_limit {
            let now = self.now;
            self.future.push(Flag {
                kind: FlagKind::Future,
                device_id: ev.device.clone(),
                seq: ev.seq,
                event_id: ev.id.clone(),
                other: None,
                detail: format!(
                    "claims {}, in the future of this machine's clock ({now})",
                    ev.claimed_time
                ),
                times: claimed.map(|claimed| FlagTimes {
                    claimed,
                    reference: now,
                }),
            });
        }
        let entry = self
            .devices
            .entry(ev.device.clone())
            .or_insert_with(|| DeviceReport {
                device_id: ev.device.clone(),
                inspectors: Vec::new(),
                events_added: 0,
                visits_added: 0,
                findings_added: 0,
                evidence_added: 0,
                reviews_added: 0,
            });
        self.done += 1;
        // Evidence files are taken only when an event names them.
        if let EventBody::EvidenceAttached(e) = &body {
            self.wanted_blobs.insert(e.sha256.clone());
        }
        // An office deduction carries its supporting file.
        if let EventBody::OfficeDeduction(d) = &body
            && let Some(file) = &d.evidence
        {
            self.wanted_blobs.insert(file.sha256.clone());
        }
        // A unit's report or appeal carries its files in the decision.
        if let EventBody::ReviewDecided(r) = &body {
            for file in r.decision.files() {
                self.wanted_blobs.insert(file.sha256.clone());
            }
        }
        if !ev.insert_or_ignore(tx)? {
            return Ok(());
        }
        if self
            .noting
            .as_ref()
            .is_none_or(|(device, ..)| *device != ev.device)
        {
            if let Some((device, first, added)) = self.noting.take() {
                flags::refresh_device_after(tx, &device, first, added)?;
            }
            self.noting = Some((ev.device.clone(), ev.seq, AddedChain::default()));
        }
        if let Some((_, _, added)) = self.noting.as_mut() {
            added.note(&ev, claimed);
        }
        self.added += 1;
        entry.events_added += 1;
        match &body {
            EventBody::VisitOpened(_) => entry.visits_added += 1,
            EventBody::FindingRecorded(_) => entry.findings_added += 1,
            EventBody::EvidenceAttached(_) => entry.evidence_added += 1,
            EventBody::RosterPublished(_) => self.rosters_added = true,
            EventBody::ReviewDecided(_) => entry.reviews_added += 1,
            _ => {}
        }
        derive::apply(tx, self.auth, &ev, &body)?;
        Ok(())
    }

    /// Brings the flags of the last device written up to date.
    fn finish_devices(&mut self, tx: &Connection) -> Result<(), LedgerError> {
        if let Some((device, first, added)) = self.noting.take() {
            flags::refresh_device_after(tx, &device, first, added)?;
        }
        Ok(())
    }
}

fn merge_in(
    tx: &Connection,
    auth: &anfang_core::authority::Authority,
    src: Connection,
    path: &Path,
    progress: &mut dyn FnMut(MergeProgress),
    stop: &dyn Fn() -> bool,
) -> Result<(MergeReport, bool), Refusal> {
    // What a visit's findings each ask of the ledger, asked once a visit.
    let _memo = crate::derive::memo::Scope::begin();
    crate::fts::begin(tx)?;
    let total: i64 = src
        .query_row("SELECT count(*) FROM events", [], |r| r.get(0))
        .map_err(bundle_read)?;
    let total = u64::try_from(total).unwrap_or(0);
    progress(MergeProgress::Opened { events: total });
    let now = jiff::Timestamp::now();
    let mut tally = Tally {
        auth,
        rosters_added: false,
        now,
        future_limit: format_time(now + flags::CLOCK_TOLERANCE),
        devices: BTreeMap::new(),
        noting: None,
        future: Vec::new(),
        wanted_blobs: BTreeSet::new(),
        added: 0,
        done: 0,
    };
    // The bundle is read and checked on a second thread; this one writes.
    let (src, signatures) = std::thread::scope(|scope| -> Result<_, Refusal> {
        let (sender, batches) = sync_channel::<Vec<Checked>>(reading::READ_AHEAD);
        let reader = scope.spawn(move || {
            let read = reading::read_checked(&src, &sender);
            (src, read)
        });
        for checked in batches.iter().flatten() {
            tally.take(tx, checked)?;
            if tally.done.is_multiple_of(PROGRESS_EVERY) {
                if stop() {
                    return Err(Refusal::Stopped);
                }
                progress(MergeProgress::Events {
                    done: tally.done,
                    total,
                });
            }
        }
        let (src, read) = reader
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        Ok((src, read.map_err(Refusal::Bundle)?))
    })?;
    tally.finish_devices(tx)?;
    let Tally {
        mut devices,
        future,
        wanted_blobs,
        added,
        done,
        rosters_added,
        ..
    } = tally;
    progress(MergeProgress::Events { done, total });

    crate::fts::flush(tx)?;
    if rosters_added && crate::office::pinned(tx)?.is_some() {
        // A new roster version changes what counts: derive it all again.
        crate::rebuild::rebuild_in(tx)?;
    }
    let blobs_added = merge_blobs(tx, &src, &wanted_blobs, progress)?;
    for sha in &wanted_blobs {
        let present: Option<i64> = tx
            .prepare_cached("SELECT 1 FROM blobs WHERE sha256 = ?1")?
            .query_row([sha], |r| r.get(0))
            .optional()?;
        if present.is_none() {
            return Err(Refusal::Bundle(Problem::new(
                RefusalKind::BadEvidence,
                format!(
                    "an evidence event names file {sha}, which neither the bundle nor this ledger holds"
                ),
            )));
        }
    }

    // Rows lost on the way leave valid chains behind: only the maker's
    // manifest shows them. Checked last, so a damaged event or a missing
    // file is named as such first.
    crate::bundle_manifest::check(&src, crate::office::pinned(tx)?.is_some())
        .map_err(Refusal::Bundle)?;

    let mut all_flags = Vec::new();
    for (device, report) in devices.iter_mut() {
        report.inspectors = tx
            .prepare_cached(
                "SELECT DISTINCT lead FROM visits WHERE device = ?1 AND lead <> '' ORDER BY lead",
            )?
            .query_map([device], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        all_flags.extend(flags::load(tx, Some(device))?);
    }
    all_flags.extend(future);
    tx.prepare_cached(
        "INSERT INTO merges (merged_at, bundle_file, events_in_bundle, events_added, blobs_added)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        format_time(now),
        path.to_string_lossy(),
        total as i64,
        added as i64,
        blobs_added as i64
    ])?;
    let report = MergeReport {
        bundle: path.to_path_buf(),
        events_in_bundle: total,
        events_added: added,
        blobs_added,
        signatures_checked: signatures,
        devices: devices
            .into_values()
            .filter(|d| d.events_added > 0)
            .collect(),
        flags: all_flags,
    };
    Ok((report, rosters_added))
}

/// Copies the bundle's evidence files this ledger lacks, each checked
/// against its hash. A file no evidence event (nor report or appeal) of
/// the bundle or the ledger names is left out: a bundle cannot grow the ledger with bytes nothing
/// refers to.
fn merge_blobs(
    tx: &Connection,
    src: &Connection,
    wanted: &BTreeSet<String>,
    progress: &mut dyn FnMut(MergeProgress),
) -> Result<u64, Refusal> {
    let listed: Vec<(String, i64)> = src
        .prepare("SELECT sha256, size FROM blobs ORDER BY sha256")
        .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
        .map_err(bundle_read)?;
    let total = listed.len() as u64;
    let mut added = 0;
    for (done, (sha, size)) in listed.iter().enumerate() {
        if !is_hex64(sha) {
            return Err(Refusal::Bundle(Problem::new(
                RefusalKind::BadEvidence,
                format!("evidence file key '{sha}' is not a SHA-256"),
            )));
        }
        if u64::try_from(*size).map_or(true, |s| s > crate::MAX_EVIDENCE_BYTES) {
            return Err(Refusal::Bundle(Problem::new(
                RefusalKind::BadEvidence,
                format!(
                    "evidence file {sha} is {size} bytes; the limit is {} bytes",
                    crate::MAX_EVIDENCE_BYTES
                ),
            )));
        }
        let present: Option<i64> = tx
            .prepare_cached("SELECT 1 FROM blobs WHERE sha256 = ?1")?
            .query_row([sha], |r| r.get(0))
            .optional()?;
        let named = wanted.contains(sha) || {
            let known: Option<i64> = tx
                .prepare_cached("SELECT 1 FROM evidence WHERE sha256 = ?1 LIMIT 1")?
                .query_row([sha], |r| r.get(0))
                .optional()?;
            known.is_some()
        };
        if present.is_none() && named {
            let data: Vec<u8> = src
                .query_row("SELECT data FROM blobs WHERE sha256 = ?1", [sha], |r| {
                    r.get(0)
                })
                .map_err(bundle_read)?;
            let actual = sha256_hex(&data);
            if &actual != sha || data.len() as i64 != *size {
                return Err(Refusal::Bundle(Problem::new(
                    RefusalKind::BadEvidence,
                    format!(
                        "evidence file {sha} does not match its hash (its {} bytes hash to {actual})",
                        data.len()
                    ),
                )));
            }
            tx.prepare_cached("INSERT INTO blobs (sha256, size, data) VALUES (?1, ?2, ?3)")?
                .execute(params![sha, size, data])?;
            added += 1;
        }
        progress(MergeProgress::Blobs {
            done: done as u64 + 1,
            total,
        });
    }
    Ok(added)
}
