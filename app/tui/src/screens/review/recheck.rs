//! A follow-up visit (复查) started from the finding in Review: the new
//! visit form of the finding's unit, linked to the finding.

use super::ReviewState;
use crate::i18n::t;
use crate::screens::new_visit::NewVisitState;
use crate::screens::{Ctx, Nav, Out, Screen};
use anfang_core::visit::Unit;

/// Opens the new visit form for a re-check of the selected finding.
pub fn start(review: &ReviewState, ctx: &Ctx<'_>) -> Out {
    let Some(row) = review.window.current() else {
        return Out::error(t(ctx.lang, "review.nothing_selected"));
    };
    let unit = Unit {
        name: row.unit.clone(),
        department: row.department.clone(),
    };
    // The filter's list of units when it was read; the finding's own unit
    // at least, so the form offers it rather than saying none is known.
    let known = review
        .choices
        .as_ref()
        .map(|c| c.units.clone())
        .filter(|units| !units.is_empty())
        .unwrap_or_else(|| vec![unit.clone()]);
    let form = NewVisitState::recheck(ctx, known, &unit, row.finding_id);
    Out::nav(Nav::Push(Screen::NewVisit(form)))
}
