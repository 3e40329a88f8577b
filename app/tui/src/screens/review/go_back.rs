//! Asking before a decision moves a finding back in its life (verified to
//! confirmed, dismissed to confirmed, rectified to rectification required
//! …): the form names what will change and takes the reason recorded with
//! the decision. Esc records nothing.

use crate::i18n::{t, tf};
use crate::widgets::field;
use anfang_core::Lang;
use anfang_core::review::ReviewStatus;
use anfang_ledger::review_query::ReviewRow;
use ratatui_textarea::TextArea;
use uuid::Uuid;

use super::decide::Kind;

/// The open question.
#[derive(Debug, Clone)]
pub struct GoBackForm {
    /// The finding.
    pub finding_id: Uuid,
    /// The decision asked for.
    pub kind: Kind,
    /// Where the finding stands.
    pub from: ReviewStatus,
    /// Where the decision takes it.
    pub to: ReviewStatus,
    /// The finding, one line.
    pub about: String,
    /// The reason typed so far.
    pub reason: TextArea<'static>,
    /// Set when Enter was pressed with no reason.
    pub error: Option<String>,
}

impl GoBackForm {
    /// The question for `kind` on `row`.
    pub fn open(kind: Kind, row: &ReviewRow, lang: Lang) -> GoBackForm {
        let unit = if row.unit.is_empty() { "?" } else { &row.unit };
        GoBackForm {
            finding_id: row.finding_id,
            kind,
            from: row.status(),
            to: kind.leads_to(),
            about: format!("{unit} / {}", row.item.get(lang)),
            reason: field::line(""),
            error: None,
        }
    }

    /// The reason, when one is typed.
    pub fn reason(&self) -> Option<String> {
        let typed = field::text(&self.reason).trim().to_string();
        (!typed.is_empty()).then_some(typed)
    }

    /// What the decision changes, one line each: the status, then whether
    /// the finding counts in the score, then what becomes of a
    /// rectification already ordered, reported or verified.
    pub fn changes(&self, lang: Lang) -> Vec<String> {
        let mut lines = vec![tf(
            lang,
            "review.back.status",
            &[
                ("from", &self.from.label().get(lang)),
                ("to", &self.to.label().get(lang)),
            ],
        )];
        if self.from.counts() && !self.to.counts() {
            lines.push(t(lang, "review.back.stops_counting").to_string());
        } else if !self.from.counts() && self.to.counts() {
            lines.push(t(lang, "review.back.counts_again").to_string());
        }
        let rectification = |s: ReviewStatus| {
            matches!(
                s,
                ReviewStatus::RectificationRequired
                    | ReviewStatus::Rectified
                    | ReviewStatus::Verified
            )
        };
        let undone = match self.from {
            ReviewStatus::Verified => Some("review.back.undoes_verification"),
            ReviewStatus::Rectified => Some("review.back.undoes_report"),
            ReviewStatus::RectificationRequired if !rectification(self.to) => {
                Some("review.back.undoes_order")
            }
            _ => None,
        };
        if let Some(key) = undone {
            lines.push(t(lang, key).to_string());
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::screens::review::fixtures::row;
    use anfang_core::review_state::ReviewState;

    fn in_status(status: ReviewStatus) -> ReviewRow {
        let mut r = row(0);
        r.state = ReviewState {
            status,
            points_per_count: None,
            deadline: None,
        };
        r
    }

    #[test]
    fn the_form_names_what_changes() {
        let verified =
            GoBackForm::open(Kind::Confirm, &in_status(ReviewStatus::Verified), Lang::Zh);
        assert_eq!(
            verified.changes(Lang::Zh),
            [
                "状态：已验收 → 已确认",
                "整改验收结果作废，须重新整改验收。"
            ]
        );
        let dismissed =
            GoBackForm::open(Kind::Confirm, &in_status(ReviewStatus::Dismissed), Lang::En);
        assert_eq!(
            dismissed.changes(Lang::En),
            [
                "Status: dismissed → confirmed",
                "The finding counts against the unit's score again."
            ]
        );
        assert_eq!(dismissed.reason(), None);
    }
}
