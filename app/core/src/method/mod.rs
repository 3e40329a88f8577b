//! The assessment method (考评办法) as data: every row of the point table
//! with its unit, points and section, the grade bands, the rounding rules
//! and the public appraisal's formula. The office publishes its own; the
//! built-in default is the source's ([`builtin`]).

mod appraisal;
pub mod builtin;
mod check;
mod deduct;
mod rounding;

pub use appraisal::{AboveAspectMax, AppraisalRule};
pub use check::MethodProblem;
pub use deduct::DeductionError;
pub use rounding::{PartPoints, Rounding, ScoreRounding};

use crate::label::Label;
use crate::points::Points;
use crate::score::Grade;
use serde::{Deserialize, Serialize};

/// A versioned assessment method.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Method {
    /// The version number; a published method holds over lower ones.
    pub version: u32,
    /// The method's title as the office names it.
    pub title: Label,
    /// Every row of the point table, in the document's order.
    pub rows: Vec<MethodRow>,
    /// The grade bands, best first.
    pub grades: Vec<GradeBand>,
    /// How part points are deducted and how a score is rounded before its grade is read.
    pub rounding: Rounding,
    /// The public appraisal questionnaire's formula.
    pub appraisal: AppraisalRule,
}

/// What a row's count is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountUnit {
    /// 人次: person-times.
    PersonTime,
    /// 件次: cases.
    Case,
    /// 次: times.
    Time,
    /// 项: items.
    Item,
    /// 百分点: percentage points.
    PercentagePoint,
}

impl CountUnit {
    /// The unit's name in both languages.
    pub fn label(self) -> Label {
        match self {
            CountUnit::PersonTime => Label::new("人次", "person-times"),
            CountUnit::Case => Label::new("件次", "cases"),
            CountUnit::Time => Label::new("次", "times"),
            CountUnit::Item => Label::new("项", "items"),
            CountUnit::PercentagePoint => Label::new("百分点", "percentage points"),
        }
    }
}

/// Where a row's deductions come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowSource {
    /// Observed on a visit: a checklist item.
    Visit,
    /// From the office's own records: entered as an office deduction.
    Office,
    /// From the public appraisal questionnaire.
    Appraisal,
}

impl RowSource {
    /// Stable machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            RowSource::Visit => "visit",
            RowSource::Office => "office",
            RowSource::Appraisal => "appraisal",
        }
    }
}

/// How many points a row deducts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum RowPoints {
    /// `points` for every `per` units counted (每少5个百分点扣2分: 2 per 5).
    Per {
        /// Points deducted per step.
        points: Points,
        /// Units per step (1 for "each").
        per: u32,
    },
    /// Between `min` and `max` per unit counted, chosen by severity.
    Range {
        /// Fewest points per unit.
        min: Points,
        /// Most points per unit.
        max: Points,
    },
}

/// One row of the point table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MethodRow {
    /// Stable id (`task-overdue`), what `anfang deduct --item` takes.
    pub id: String,
    /// The section it is in: `四(一)1`.
    pub section: String,
    /// What is deducted for, in both languages.
    pub label: Label,
    /// What its count is counted in.
    pub unit: CountUnit,
    /// Its points.
    pub points: RowPoints,
    /// Observed on a visit, from the office's records, or from the appraisal.
    pub source: RowSource,
    /// Points deducted from the supervising unit as well, per unit counted,
    /// when the person belongs to a subordinate unit (四(四)3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_points: Option<Points>,
    /// Checklist items (`plugin/item`) that record this row on a visit; for
    /// an appraisal row, a questionnaire entered on a visit, counted once
    /// with one entered on the Scores screen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checklist_items: Vec<String>,
}

/// The lowest score of a grade.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeBand {
    /// The grade.
    pub grade: Grade,
    /// Its lowest score (after rounding).
    pub min: Points,
}

impl Method {
    /// The row with this id.
    pub fn row(&self, id: &str) -> Option<&MethodRow> {
        self.rows.iter().find(|r| r.id == id)
    }

    /// The grade of a score: rounded as the method states, then read from the bands.
    pub fn grade(&self, score: Points) -> Grade {
        let graded = self.rounding.graded_score(score);
        self.grades
            .iter()
            .find(|b| graded >= b.min)
            .map_or(Grade::Fail, |b| b.grade)
    }

    /// Whether a checklist item records the public appraisal.
    pub fn is_appraisal_item(&self, plugin_id: &str, item_id: &str) -> bool {
        let key = format!("{plugin_id}/{item_id}");
        self.rows
            .iter()
            .filter(|r| r.source == RowSource::Appraisal)
            .any(|r| r.checklist_items.contains(&key))
    }

    /// The method's name with its version, as scores and exports cite it.
    pub fn citation(&self) -> Label {
        Label::new(
            format!("{}（第{}版）", self.title.zh, self.version),
            format!("{} (version {})", self.title.en, self.version),
        )
    }
}
