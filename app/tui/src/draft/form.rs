//! The new-visit form's draft: the typed fields with their carets, the
//! kind, the checklists chosen, the focus, and the visit id it will open.

use super::Text;
use crate::screens::new_visit::{Field, NewVisitState, Offered};
use anfang_core::visit::{Unit, VisitKind};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The form as it stood.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormDraft {
    /// The id the visit will be opened under (to tell, after a crash,
    /// whether it was opened already).
    pub visit_id: Uuid,
    /// Unit name.
    pub unit: Text,
    /// Department.
    pub department: Text,
    /// Kind of visit.
    pub kind: VisitKind,
    /// Team.
    pub team: Text,
    /// Selected suggestion.
    pub suggestion: usize,
    /// Checklists on offer and whether each is chosen.
    pub checklists: Vec<Offered>,
    /// Selected checklist row.
    pub checklist: usize,
    /// The focused field.
    pub focus: Field,
}

impl FormDraft {
    /// The draft of a form.
    pub fn of(form: &NewVisitState) -> FormDraft {
        FormDraft {
            visit_id: form.visit_id,
            unit: Text::of(&form.unit),
            department: Text::of(&form.department),
            kind: form.kind,
            team: Text::of(&form.team),
            suggestion: form.suggestion,
            checklists: form.checklists.clone(),
            checklist: form.checklist,
            focus: form.focus,
        }
    }

    /// The form this draft was taken from, suggesting the `known` units.
    pub fn form(&self, known: Vec<Unit>) -> NewVisitState {
        NewVisitState::restored(
            self.visit_id,
            [self.unit.line(), self.department.line(), self.team.line()],
            self.kind,
            known,
            (self.checklists.clone(), self.suggestion, self.checklist),
            self.focus,
        )
    }
}
