//! The decision form: confirm (with the points per count for a range
//! item), dismiss with a reason, order rectification by a deadline, record
//! the unit's report, verify it or send it back naming what was checked,
//! record an appeal and decide it. Checked with the core's rules before
//! anything is recorded.

use crate::i18n::{t, tf};
use crate::widgets::field;
use anfang_core::review::{Checked, Decision, Rejection, ReviewStatus};
use anfang_core::review_state::{DecisionError, ReviewState, check_decision};
use anfang_core::rule::Rule;
use anfang_core::{Lang, Points};
use anfang_ledger::review_query::ReviewRow;
use jiff::ToSpan;
use jiff::civil::Date;
use ratatui_textarea::TextArea;
use uuid::Uuid;

/// Days given for a rectification unless the reviewer types another deadline.
pub const DEFAULT_RECTIFICATION_DAYS: i64 = 15;

/// Which decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Confirm.
    Confirm,
    /// Dismiss, with a reason.
    Dismiss,
    /// Require rectification by a deadline.
    Rectify,
    /// Rectification reported, with a note.
    MarkRectified,
    /// Rectification verified, naming what was checked.
    Verify,
    /// The reported rectification sent back with a new deadline.
    Reject,
    /// The unit's appeal recorded, with its reasons.
    Appeal,
    /// The appeal upheld: the finding is dismissed.
    AppealUphold,
    /// The appeal rejected: the finding stays confirmed.
    AppealDeny,
}

impl Kind {
    /// The form's title key.
    pub fn title(self) -> &'static str {
        match self {
            Kind::Confirm => "review.decide.confirm",
            Kind::Dismiss => "review.decide.dismiss",
            Kind::Rectify => "review.decide.rectify",
            Kind::MarkRectified => "review.decide.rectified",
            Kind::Verify => "review.decide.verify",
            Kind::Reject => "review.decide.reject",
            Kind::Appeal => "review.decide.appeal",
            Kind::AppealUphold => "review.decide.appeal_uphold",
            Kind::AppealDeny => "review.decide.appeal_deny",
        }
    }

    /// Whether the decision carries its own reason for moving the finding
    /// back (see [`Decision::says_why`]): no separate reason is asked first.
    pub fn says_why(self) -> bool {
        matches!(self, Kind::Reject | Kind::AppealUphold | Kind::AppealDeny)
    }

    /// The status the decision leads to.
    pub fn leads_to(self) -> ReviewStatus {
        match self {
            Kind::Confirm => ReviewStatus::Confirmed,
            Kind::Dismiss => ReviewStatus::Dismissed,
            Kind::Rectify => ReviewStatus::RectificationRequired,
            Kind::MarkRectified => ReviewStatus::Rectified,
            Kind::Verify => ReviewStatus::Verified,
            Kind::Reject => ReviewStatus::RectificationRequired,
            Kind::Appeal | Kind::AppealDeny => ReviewStatus::Confirmed,
            Kind::AppealUphold => ReviewStatus::Dismissed,
        }
    }
}

/// What a reviewer types to name what was checked: `report` (报告), or
/// `recheck:` (复查:) and a follow-up visit's id.
pub fn parse_checked(typed: &str) -> Option<Checked> {
    let typed = typed.trim();
    if matches!(typed, "report" | "报告" | "整改报告") {
        return Some(Checked::Report);
    }
    let id = typed
        .strip_prefix("recheck:")
        .or_else(|| typed.strip_prefix("复查:"))
        .or_else(|| typed.strip_prefix("复查："))?;
    id.trim()
        .parse()
        .ok()
        .map(|visit_id| Checked::Recheck { visit_id })
}

/// How a re-check visit is typed into the form.
pub fn recheck_text(visit_id: Uuid) -> String {
    format!("recheck:{visit_id}")
}

/// The open form.
#[derive(Debug, Clone)]
pub struct DecisionForm {
    /// The finding decided on.
    pub finding_id: Uuid,
    /// Which decision.
    pub kind: Kind,
    /// What the finding is, one line.
    pub about: String,
    /// Points, reason, deadline or note; `None` when nothing is typed.
    pub field: Option<TextArea<'static>>,
    /// The label key of the field.
    pub field_label: &'static str,
    /// The item's rule (for a range's bounds).
    pub rule: Option<Rule>,
    /// Where the finding stands.
    pub state: ReviewState,
    /// What is wrong, after a refused attempt.
    pub error: Option<String>,
    /// Why the decision moves the finding back, typed before this form.
    pub back_reason: Option<String>,
    /// A second field (a rejection's new deadline), with its label key.
    pub second: Option<(TextArea<'static>, &'static str)>,
    /// The second field has the keyboard.
    pub on_second: bool,
    /// The follow-up visits opened as re-checks of the finding: the only
    /// visits a verification may name.
    pub rechecks: Vec<Uuid>,
}

impl DecisionForm {
    /// A form for `kind` on `row`.
    pub fn open(kind: Kind, row: &ReviewRow, today: Date, lang: Lang) -> DecisionForm {
        let range = matches!(row.rule, Some(Rule::Range { .. }));
        let per_count = |row: &ReviewRow| {
            row.state.points_per_count.unwrap_or_else(|| {
                let count = i64::from(row.count.max(1));
                Points::from_hundredths(row.recorded_points.hundredths() / count)
            })
        };
        let (field, field_label) = match kind {
            Kind::Confirm if range => (
                Some(field::line(&per_count(row).to_string())),
                "review.decide.points",
            ),
            Kind::Confirm => (None, ""),
            Kind::Verify => (Some(field::line("report")), "review.decide.checked"),
            Kind::Dismiss | Kind::AppealUphold | Kind::AppealDeny => {
                (Some(field::line("")), "review.decide.reason")
            }
            Kind::Reject => (Some(field::line("")), "review.decide.reject_reason"),
            Kind::Appeal => (Some(field::line("")), "review.decide.appeal_reason"),
            Kind::Rectify => (
                Some(field::line(&default_deadline(row, today).to_string())),
                "review.decide.deadline",
            ),
            Kind::MarkRectified => (Some(field::line("")), "review.decide.note"),
        };
        let second = (kind == Kind::Reject).then(|| {
            // Counted afresh from today: the old deadline has usually passed.
            let deadline = today
                .checked_add(DEFAULT_RECTIFICATION_DAYS.days())
                .unwrap_or(today);
            (
                field::line(&deadline.to_string()),
                "review.decide.new_deadline",
            )
        });
        let about = format!(
            "{} / {} x{} -{}",
            if row.unit.is_empty() {
                "?"
            } else {
                row.unit.as_str()
            },
            row.item.get(lang),
            row.count,
            row.points
        );
        DecisionForm {
            finding_id: row.finding_id,
            kind,
            about,
            field,
            field_label,
            rule: row.rule.clone(),
            state: row.state,
            error: None,
            back_reason: None,
            second,
            on_second: false,
            rechecks: Vec::new(),
        }
    }

    /// Names the follow-up visits of the finding; a verification then
    /// defaults to the latest of them rather than the report.
    pub fn with_rechecks(mut self, rechecks: Vec<Uuid>) -> DecisionForm {
        let untouched = self
            .field
            .as_ref()
            .is_some_and(|f| field::text(f).trim() == "report");
        if let (Kind::Verify, Some(last), true) = (self.kind, rechecks.last(), untouched) {
            self.field = Some(field::line(&recheck_text(*last)));
        }
        self.rechecks = rechecks;
        self
    }

    /// The field that has the keyboard.
    pub fn focused(&mut self) -> Option<&mut TextArea<'static>> {
        match &mut self.second {
            Some((area, _)) if self.on_second => Some(area),
            _ => self.field.as_mut(),
        }
    }

    /// Moves the keyboard to the other field, when there are two.
    pub fn switch_field(&mut self) {
        self.on_second = self.second.is_some() && !self.on_second;
    }

    fn checked(&self, typed: &str, lang: Lang) -> Result<Checked, String> {
        match parse_checked(typed) {
            Some(Checked::Recheck { visit_id }) if !self.rechecks.contains(&visit_id) => Err(tf(
                lang,
                "review.decide.not_a_recheck",
                &[("value", &visit_id)],
            )),
            Some(checked) => Ok(checked),
            None => Err(tf(lang, "review.decide.bad_checked", &[("value", &typed)])),
        }
    }

    fn typed(&self) -> String {
        self.field
            .as_ref()
            .map(field::text)
            .unwrap_or_default()
            .trim()
            .to_string()
    }

    /// The decision the form asks for, checked; or a message naming the bad value.
    pub fn decision(&self, today: Date, lang: Lang) -> Result<Decision, String> {
        let typed = self.typed();
        let decision = match self.kind {
            Kind::Confirm if self.field.is_some() => {
                let points = typed
                    .parse::<f64>()
                    .ok()
                    .and_then(Points::from_f64)
                    .ok_or_else(|| tf(lang, "review.decide.bad_points", &[("value", &typed)]))?;
                Decision::Confirm {
                    points: Some(points),
                }
            }
            Kind::Confirm => Decision::Confirm { points: None },
            Kind::Dismiss => Decision::Dismiss { reason: typed },
            Kind::Rectify => Decision::RequireRectification {
                deadline: typed
                    .parse()
                    .map_err(|_| tf(lang, "review.filter.bad_date", &[("value", &typed)]))?,
                rejected: None,
            },
            Kind::MarkRectified => Decision::MarkRectified {
                note: typed,
                evidence: None,
            },
            Kind::Verify => Decision::VerifyRectification {
                checked: Some(self.checked(&typed, lang)?),
            },
            Kind::Reject => {
                let deadline = self
                    .second
                    .as_ref()
                    .map(|(area, _)| field::text(area).trim().to_string())
                    .unwrap_or_default();
                Decision::RequireRectification {
                    deadline: deadline
                        .parse()
                        .map_err(|_| tf(lang, "review.filter.bad_date", &[("value", &deadline)]))?,
                    rejected: Some(Rejection {
                        // Sent back after reading the report, or after the
                        // latest follow-up visit when there was one.
                        checked: match self.rechecks.last() {
                            Some(visit_id) => Checked::Recheck {
                                visit_id: *visit_id,
                            },
                            None => Checked::Report,
                        },
                        reason: typed,
                    }),
                }
            }
            Kind::Appeal => Decision::Appeal {
                reason: typed,
                evidence: None,
            },
            Kind::AppealUphold | Kind::AppealDeny => Decision::DecideAppeal {
                upheld: self.kind == Kind::AppealUphold,
                reason: typed,
            },
        };
        check_decision(&decision, self.rule.as_ref(), &self.state, today)
            .map_err(|e| explain(&e, lang))?;
        Ok(decision)
    }
}

/// The deadline a new rectification order starts from: the one in force
/// when it has not passed, or [`DEFAULT_RECTIFICATION_DAYS`] from today.
fn default_deadline(row: &ReviewRow, today: Date) -> Date {
    row.state
        .deadline
        .filter(|d| *d >= today)
        .unwrap_or_else(|| {
            today
                .checked_add(DEFAULT_RECTIFICATION_DAYS.days())
                .unwrap_or(today)
        })
}

/// A refused decision in the user's language.
pub fn explain(error: &DecisionError, lang: Lang) -> String {
    match error {
        DecisionError::OutOfRange { chosen, min, max } => tf(
            lang,
            "review.decide.out_of_range",
            &[("value", chosen), ("min", min), ("max", max)],
        ),
        DecisionError::NotARange(points) => {
            tf(lang, "review.decide.not_range", &[("value", points)])
        }
        DecisionError::NoReason => t(lang, "review.decide.no_reason").to_string(),
        DecisionError::NoNote => t(lang, "review.decide.no_note").to_string(),
        DecisionError::PastDeadline { deadline, today } => tf(
            lang,
            "review.decide.past_deadline",
            &[("value", deadline), ("today", today)],
        ),
        DecisionError::OutOfOrder { status, .. } => {
            let shown = anfang_core::review::ReviewStatus::parse(status)
                .map(|s| s.label().get(lang).to_string())
                .unwrap_or_else(|| (*status).to_string());
            tf(lang, "review.decide.out_of_order", &[("status", &shown)])
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::screens::review::fixtures::{range_row, row};

    fn today() -> Date {
        "2026-11-24".parse().unwrap()
    }

    #[test]
    fn a_range_item_is_confirmed_at_the_typed_points_within_bounds() {
        let row = range_row();
        let mut form = DecisionForm::open(Kind::Confirm, &row, today(), Lang::En);
        assert_eq!(field::text(form.field.as_ref().unwrap()), "10");
        form.field = Some(field::line("15"));
        assert_eq!(
            form.decision(today(), Lang::En),
            Ok(Decision::Confirm {
                points: Some(Points::whole(15))
            })
        );
        form.field = Some(field::line("25"));
        let err = form.decision(today(), Lang::En).unwrap_err();
        assert!(
            err.contains("25") && err.contains("10") && err.contains("20"),
            "{err}"
        );
        form.field = Some(field::line("十五"));
        assert!(
            form.decision(today(), Lang::Zh)
                .unwrap_err()
                .contains("十五")
        );
    }

    #[test]
    fn rectification_defaults_to_fifteen_days_and_refuses_the_past() {
        let form = DecisionForm::open(Kind::Rectify, &row(1), today(), Lang::En);
        assert_eq!(field::text(form.field.as_ref().unwrap()), "2026-12-09");
        let mut past = form.clone();
        past.field = Some(field::line("2026-11-01"));
        assert!(
            past.decision(today(), Lang::En)
                .unwrap_err()
                .contains("2026-11-01")
        );
    }

    #[test]
    fn steps_out_of_order_and_empty_reasons_are_refused() {
        let verify = DecisionForm::open(Kind::Verify, &row(1), today(), Lang::En);
        assert!(verify.decision(today(), Lang::En).is_err());
        let dismiss = DecisionForm::open(Kind::Dismiss, &row(1), today(), Lang::En);
        assert!(dismiss.decision(today(), Lang::En).is_err());
        let confirm = DecisionForm::open(Kind::Confirm, &row(1), today(), Lang::En);
        assert_eq!(
            confirm.decision(today(), Lang::En),
            Ok(Decision::Confirm { points: None })
        );
    }
}
