//! The method in force and the office deductions of a period.

use crate::Ledger;
use crate::error::LedgerError;
use anfang_core::authority::{Refusal, Role};
use anfang_core::method::{Method, builtin};
use anfang_core::office_deduction::DeductionStatus;
use anfang_core::period::Period;
use anfang_core::tally::BreakdownLine;
use anfang_core::visit::Unit;
use anfang_core::{Label, Points};
use rusqlite::Connection;
use std::collections::BTreeMap;

/// The method in force and whether it is the built-in one.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodInForce {
    /// The method.
    pub method: Method,
    /// True when no published method counts.
    pub builtin: bool,
}

/// The published method of highest version that counts and reads as a
/// method without problems (then the larger event id); else the built-in.
pub(crate) fn method_in_force(conn: &Connection) -> Result<MethodInForce, LedgerError> {
    let docs: Vec<String> = conn
        .prepare_cached(
            "SELECT document FROM methods WHERE counts ORDER BY version DESC, event_id DESC",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for doc in docs {
        if let Ok(method) = serde_json::from_str::<Method>(&doc)
            && method.problems().is_empty()
        {
            return Ok(MethodInForce {
                method,
                builtin: false,
            });
        }
    }
    Ok(MethodInForce {
        method: builtin::method(),
        builtin: true,
    })
}

/// Office deductions entered by a reviewer with their day in `period` and
/// their review at `status` (confirmed ones count; pending ones are shown
/// apart), per unit.
pub(crate) fn office_lines(
    conn: &Connection,
    period: &Period,
    method: &Method,
    status: DeductionStatus,
) -> Result<BTreeMap<(String, String), Vec<BreakdownLine>>, LedgerError> {
    type Columns = (
        String,
        String,
        String,
        String,
        String,
        i64,
        i64,
        String,
        String,
    );
    let rows: Vec<Columns> = conn
        .prepare_cached(
            "SELECT event_id, unit, department, item, section, count, points, day, reason
               FROM office_deductions WHERE counts AND day >= ?1 AND day <= ?2 AND status = ?3",
        )?
        .query_map(
            [
                period.from.to_string(),
                period.to.to_string(),
                status.as_str().to_string(),
            ],
            |r| r.try_into(),
        )?
        .collect::<Result<_, _>>()?;
    let mut out: BTreeMap<(String, String), Vec<BreakdownLine>> = BTreeMap::new();
    for (event_id, unit, department, item, section, count, points, day, reason) in rows {
        let label = method.row(&item).map_or_else(
            || Label::new(item.clone(), item.clone()),
            |r| r.label.clone(),
        );
        out.entry((unit, department))
            .or_default()
            .push(BreakdownLine {
                section,
                item,
                label,
                reason,
                count: u32::try_from(count).unwrap_or(0),
                points: Points::from_hundredths(points),
                source: "office".into(),
                date: day.parse().ok(),
                event_id,
            });
    }
    Ok(out)
}

impl Ledger {
    /// The assessment method in force.
    pub fn method_in_force(&self) -> Result<MethodInForce, LedgerError> {
        method_in_force(&self.conn)
    }

    /// Whether this device's next event may publish a method.
    pub fn may_publish_method(&self) -> Result<Result<(), Refusal>, LedgerError> {
        let seq = self.last_seq_of(self.device_id())? + 1;
        Ok(self
            .authority
            .grant(
                self.device_id(),
                seq,
                Role::Admin,
                &crate::derive::method_subject(),
            )
            .map(|_| ()))
    }

    /// Whether this device's next event may enter an office deduction for `unit`.
    pub fn may_deduct(&self, unit: &Unit) -> Result<Result<(), Refusal>, LedgerError> {
        let seq = self.last_seq_of(self.device_id())? + 1;
        Ok(self
            .authority
            .grant(self.device_id(), seq, Role::Reviewer, unit)
            .map(|_| ()))
    }

    /// Office deductions of `period` at `status` (confirmed ones count), per unit.
    pub fn office_deductions(
        &self,
        period: &Period,
        status: DeductionStatus,
    ) -> Result<BTreeMap<(String, String), Vec<BreakdownLine>>, LedgerError> {
        let method = method_in_force(&self.conn)?.method;
        office_lines(&self.conn, period, &method, status)
    }
}
