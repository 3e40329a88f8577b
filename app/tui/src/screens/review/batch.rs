//! Confirming a visit's pending findings together: `C` on any of the
//! visit's rows reads them, a pop-up shows how many and their points, and
//! Enter confirms each with its own signed decision. Findings this laptop
//! may not decide on are not written; the status line says how many and why.

use super::{Mode, ReviewEffect, ReviewState};
use crate::command::Command;
use crate::effect::Effect;
use crate::i18n::{t, tf};
use crate::screens::{Ctx, Out};
use crate::state::Status;
use anfang_core::{Lang, Points};
use anfang_ledger::BatchOutcome;
use uuid::Uuid;

/// The open question.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchForm {
    /// The visit.
    pub visit_id: Uuid,
    /// The visit's unit and day, one line.
    pub about: String,
    /// Its pending findings with their points.
    pub findings: Vec<(Uuid, Points)>,
}

impl BatchForm {
    /// The points of all the findings together.
    pub fn total(&self) -> Points {
        self.findings
            .iter()
            .fold(Points::ZERO, |sum, (_, points)| sum + *points)
    }
}

/// `C`: reads the pending findings of the selected finding's visit.
pub fn ask(review: &mut ReviewState, ctx: &Ctx<'_>) -> Out {
    match review.window.current() {
        Some(row) => Out::effect(Effect::Review(ReviewEffect::VisitPending(row.visit_id))),
        None => Out::error(t(ctx.lang, "review.nothing_selected")),
    }
}

/// The pending findings arrived: ask, or say there are none.
pub fn pending_read(
    review: &mut ReviewState,
    ctx: &Ctx<'_>,
    visit_id: Uuid,
    findings: Vec<(Uuid, Points)>,
) -> Out {
    let Some(row) = review.window.rows.iter().find(|r| r.visit_id == visit_id) else {
        return Out::none();
    };
    if findings.is_empty() {
        return Out::info(t(ctx.lang, "review.batch.none"));
    }
    let day = ctx.tz.to_datetime(row.observed_at).date();
    let unit = if row.unit.is_empty() { "?" } else { &row.unit };
    review.mode = Mode::Batch(Box::new(BatchForm {
        visit_id,
        about: format!("{unit}  {day}"),
        findings,
    }));
    Out::none()
}

/// Enter confirms them all; Esc records nothing.
pub fn command(review: &mut ReviewState, ctx: &Ctx<'_>, command: Command) -> Out {
    let Mode::Batch(form) = &review.mode else {
        return Out::none();
    };
    match command {
        Command::Select if ctx.ask_name => {
            review.mode = Mode::Table;
            Out::error(t(ctx.lang, "review.batch.name_first"))
        }
        Command::Select => {
            let finding_ids = form.findings.iter().map(|(id, _)| *id).collect();
            review.mode = Mode::Table;
            Out::effect(Effect::Review(ReviewEffect::ConfirmEach {
                finding_ids,
                reviewer: ctx.user_name.to_string(),
            }))
        }
        Command::Back | Command::Quit => {
            review.mode = Mode::Table;
            Out::info(t(ctx.lang, "review.batch.cancelled"))
        }
        _ => Out::none(),
    }
}

/// "12 confirmed; 3 not recorded: why" for the status line.
pub fn outcome_status(outcome: &BatchOutcome, lang: Lang) -> Status {
    let confirmed = outcome.confirmed.len();
    match outcome.refused.first() {
        None => Status::Info(tf(lang, "review.batch.done", &[("n", &confirmed)])),
        Some((_, why)) => Status::Error(tf(
            lang,
            "review.batch.partly",
            &[
                ("n", &confirmed),
                ("refused", &outcome.refused.len()),
                ("why", &why.get(lang)),
            ],
        )),
    }
}
