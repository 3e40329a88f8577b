//! Checking a whole ledger: storage, ids, chains, signatures, evidence files
//! and (with `full`) that the derived tables match a fresh rebuild.

use crate::Ledger;
use crate::canonical::sha256_hex;
use crate::checks::{Chain, PrevLink, check_event, check_signature, outside_link};
use crate::error::LedgerError;
use crate::event::{EVENT_COLUMNS, StoredEvent};
use crate::types::{VerifyReport, short};
use crate::{flags, rebuild};

/// Problems beyond this many are summarised in one line.
const MAX_PROBLEMS: usize = 200;

impl Ledger {
    /// Checks the whole ledger. Without `full`: SQLite's quick check, every
    /// id against its bytes, every hash link, one signature per device
    /// segment, and that every evidence file named is stored. With `full`:
    /// SQLite's integrity check, every signature, every evidence file's hash,
    /// and the derived tables against a rebuild from the events.
    pub fn verify(&self, full: bool) -> Result<VerifyReport, LedgerError> {
        let mut report = VerifyReport::default();
        let mut problems = Vec::new();
        let pragma = if full {
            "integrity_check"
        } else {
            "quick_check"
        };
        let lines: Vec<String> = self
            .conn
            .prepare(&format!("PRAGMA {pragma}"))?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        if lines != ["ok"] {
            problems.extend(lines.into_iter().map(|l| format!("SQLite {pragma}: {l}")));
        }
        self.verify_events(full, &mut report, &mut problems)?;
        self.verify_blobs(full, &mut report, &mut problems)?;
        if full {
            self.verify_derived(&mut problems)?;
        }
        report.flags = flags::load(&self.conn, None)?;
        report
            .flags
            .extend(flags::future(&self.conn, None, jiff::Timestamp::now())?);
        if problems.len() > MAX_PROBLEMS {
            let more = problems.len() - MAX_PROBLEMS;
            problems.truncate(MAX_PROBLEMS);
            problems.push(format!("… and {more} more problems"));
        }
        report.problems = problems;
        Ok(report)
    }

    /// SQLite's own `PRAGMA integrity_check`: empty when the file is sound,
    /// else each line SQLite reports.
    pub fn integrity_check(&self) -> Result<Vec<String>, LedgerError> {
        let lines: Vec<String> = self
            .conn
            .prepare("PRAGMA integrity_check")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(if lines == ["ok"] { Vec::new() } else { lines })
    }

    fn verify_events(
        &self,
        full: bool,
        report: &mut VerifyReport,
        problems: &mut Vec<String>,
    ) -> Result<(), LedgerError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {EVENT_COLUMNS} FROM events ORDER BY device, seq, id"
        ))?;
        let mut rows = stmt.query([])?;
        let mut chain: Option<Chain> = None;
        let finish =
            |chain: Option<Chain>, report: &mut VerifyReport, problems: &mut Vec<String>| {
                if let Some(chain) = chain.filter(|_| !full) {
                    match chain.check_heads() {
                        Ok(n) => report.signatures_checked += n,
                        Err(p) => problems.push(p.text),
                    }
                }
            };
        while let Some(row) = rows.next()? {
            let ev = StoredEvent::from_row(row)?;
            report.events += 1;
            let id = match check_event(&ev) {
                Ok((id, _)) => id,
                Err(problem) => {
                    problems.push(problem.text);
                    continue;
                }
            };
            if chain.as_ref().is_none_or(|c| c.device != ev.device) {
                finish(chain.take(), report, problems);
                report.devices += 1;
                chain = Some(Chain::new(&ev.device));
            }
            let current = chain.get_or_insert_with(|| Chain::new(&ev.device));
            match current.add(&ev, id) {
                Ok(PrevLink::Unseen(prev)) => {
                    if let Some(problem) = outside_link(&self.conn, &ev, &prev)? {
                        problems.push(problem.text);
                    }
                }
                Ok(_) => {}
                Err(problem) => problems.push(problem.text),
            }
            if full {
                report.signatures_checked += 1;
                if let Err(problem) = check_signature(&ev.device, &id, ev.seq, &ev.signature) {
                    problems.push(problem.text);
                }
            }
        }
        finish(chain.take(), report, problems);
        Ok(())
    }

    fn verify_blobs(
        &self,
        full: bool,
        report: &mut VerifyReport,
        problems: &mut Vec<String>,
    ) -> Result<(), LedgerError> {
        let missing: Vec<(String, String)> = self
            .conn
            .prepare(
                "SELECT e.event_id, e.sha256 FROM evidence e
                 WHERE NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = e.sha256) ORDER BY e.event_id",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (event, sha) in missing {
            problems.push(format!(
                "evidence event {} names file {sha}, which is not stored",
                short(&event)
            ));
        }
        let missing: Vec<(String, String)> = self
            .conn
            .prepare(
                "SELECT d.event_id, d.evidence FROM office_deductions d
                 WHERE d.evidence IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = d.evidence) ORDER BY d.event_id",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        for (event, sha) in missing {
            problems.push(format!(
                "office deduction {} names file {sha}, which is not stored",
                short(&event)
            ));
        }
        if !full {
            return Ok(());
        }
        let shas: Vec<String> = self
            .conn
            .prepare("SELECT sha256 FROM blobs ORDER BY sha256")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for sha in shas {
            let (size, data): (i64, Vec<u8>) = self.conn.query_row(
                "SELECT size, data FROM blobs WHERE sha256 = ?1",
                [&sha],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            report.blobs_checked += 1;
            let actual = sha256_hex(&data);
            if actual != sha || size != data.len() as i64 {
                problems.push(format!(
                    "evidence file {sha}: its {} bytes hash to {actual} (damaged)",
                    data.len()
                ));
            }
        }
        Ok(())
    }

    /// Rebuilds inside a transaction that is rolled back, and compares.
    fn verify_derived(&self, problems: &mut Vec<String>) -> Result<(), LedgerError> {
        let tx = self.conn.unchecked_transaction()?;
        if let Err(e) = tx.execute(
            "INSERT INTO findings_fts(findings_fts, rank) VALUES ('integrity-check', 1)",
            [],
        ) {
            problems.push(format!(
                "full-text index of findings is damaged ({e}); run `anfang rebuild`"
            ));
        }
        let before = self.derived_dump()?;
        rebuild::rebuild_in(&tx)?;
        let after = self.derived_dump()?;
        drop(tx);
        if before != after {
            let first = before
                .lines()
                .zip(after.lines())
                .find(|(a, b)| a != b)
                .map(|(a, b)| format!("stored '{}' but the events give '{}'", clip(a), clip(b)))
                .unwrap_or_else(|| "a different number of rows".into());
            problems.push(format!(
                "derived tables differ from a rebuild from the events: {first}; run `anfang rebuild`"
            ));
        }
        Ok(())
    }
}

fn clip(line: &str) -> String {
    line.chars().take(120).collect()
}
