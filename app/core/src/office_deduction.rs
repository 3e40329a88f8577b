//! Office deductions: points a reviewer takes from a unit for what the
//! office's own records show (meetings missed, tasks overdue, 信访 overdue,
//! discipline cases …), one row of the method each.

use crate::points::Points;
use crate::visit::Unit;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A file offered as evidence for an office deduction, named by its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeductionEvidence {
    /// The file's name as given.
    pub name: String,
    /// Its SHA-256 (64 hex digits).
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
}

/// An office deduction entered by a reviewer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficeDeductionEntered {
    /// The deduction's id (UUID v7).
    pub deduction_id: Uuid,
    /// The unit it is taken from.
    pub unit: Unit,
    /// The method row (`meeting-absent`).
    pub item: String,
    /// The row's section as the method had it (`四(四)1`).
    pub section: String,
    /// The version of the method it was computed by.
    pub method_version: u32,
    /// Units counted (times, cases …); absent means 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// For a range row, the points per unit chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points_each: Option<Points>,
    /// The points it deducts, as the method computed them.
    pub points: Points,
    /// The day of what is deducted for; it counts in the period holding it.
    pub date: jiff::civil::Date,
    /// Why, in the reviewer's words.
    pub reason: String,
    /// A supporting file, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<DeductionEvidence>,
}

/// A published assessment method: the document's JSON text exactly as published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MethodPublished {
    /// The method's version, as the document states it.
    pub version: u32,
    /// The method document (JSON).
    pub document: String,
}
