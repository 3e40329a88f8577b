//! The finding editor's draft: every field with its caret, the focus, and
//! the finding, item and version the edit belongs to.

use super::Text;
use crate::screens::editor::{EditorState, Field};
use anfang_core::Label;
use anfang_core::finding::{FindingRecord, FindingResult};
use anfang_core::manifest::ItemRef;
use anfang_core::rule::{InputField, Rule};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The editor as it stood.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingDraft {
    /// The visit.
    pub visit_id: Uuid,
    /// The finding.
    pub finding_id: Uuid,
    /// The event id of the version being corrected.
    pub supersedes: Option<String>,
    /// The version being corrected.
    pub original: Option<FindingRecord>,
    /// Which version the edit will be.
    pub version: u32,
    /// The item.
    pub item: ItemRef,
    /// The item's label.
    pub label: Label,
    /// The item's rule.
    pub rule: Rule,
    /// The result chosen.
    pub result: FindingResult,
    /// The count.
    pub count: Text,
    /// Whether the next digit replaces the count.
    pub count_fresh: bool,
    /// Range rule: points per count.
    pub chosen: Text,
    /// Below-threshold rule: the percentage.
    pub percent: Text,
    /// Computed rule: its inputs.
    pub inputs: Vec<(InputField, Text)>,
    /// Computed rule: fallback points.
    pub hand_points: Text,
    /// Who or where.
    pub subject: Text,
    /// Observation time.
    pub observed: Text,
    /// The evidence note.
    pub note: Text,
    /// The focused field.
    pub focus: Field,
}

impl FindingDraft {
    /// The draft of an editor.
    pub fn of(e: &EditorState) -> FindingDraft {
        FindingDraft {
            visit_id: e.visit_id,
            finding_id: e.finding_id,
            supersedes: e.supersedes.clone(),
            original: e.original.clone(),
            version: e.version,
            item: e.item.clone(),
            label: e.label.clone(),
            rule: e.rule.clone(),
            result: e.result,
            count: Text::of(&e.count),
            count_fresh: e.count_fresh,
            chosen: Text::of(&e.chosen),
            percent: Text::of(&e.percent),
            inputs: e
                .inputs
                .iter()
                .map(|(spec, area)| (spec.clone(), Text::of(area)))
                .collect(),
            hand_points: Text::of(&e.hand_points),
            subject: Text::of(&e.subject),
            observed: Text::of(&e.observed),
            note: Text::of(&e.note),
            focus: e.focus,
        }
    }

    /// The editor this draft was taken from.
    pub fn editor(&self) -> EditorState {
        EditorState {
            visit_id: self.visit_id,
            finding_id: self.finding_id,
            supersedes: self.supersedes.clone(),
            original: self.original.clone(),
            version: self.version,
            item: self.item.clone(),
            label: self.label.clone(),
            rule: self.rule.clone(),
            result: self.result,
            count: self.count.line(),
            count_fresh: self.count_fresh,
            chosen: self.chosen.line(),
            percent: self.percent.line(),
            inputs: self
                .inputs
                .iter()
                .map(|(spec, text)| (spec.clone(), text.line()))
                .collect(),
            hand_points: self.hand_points.line(),
            subject: self.subject.line(),
            observed: self.observed.line(),
            note: self.note.note(),
            focus: self.focus,
            saving: false,
        }
    }
}
