//! Scores and ranking: units ranked by the 100-point deduction method for a
//! month, quarter or year, with each unit's breakdown by item, a bar chart
//! of deductions by category, its trend over the months or quarters before,
//! and a drill-down into the unit's findings on the review screen.

pub mod appraisal;
pub mod deduction;
pub mod view;

use crate::command::Command;
use crate::effect::Effect;
use crate::keymap::Context;
use crate::screens::review::filter::Filters;
use crate::screens::review::{self, today};
use crate::screens::{Ctx, Nav, Out};
use crate::state::Screen;
use crate::widgets::field;
use crate::widgets::list;
use anfang_core::event::AppraisalEntered;
use anfang_core::period::{Period, Step};
use anfang_core::tally::{Ranking, UnitScore};
use appraisal::AppraisalForm;
use crossterm::event::KeyEvent;
use deduction::{DeductionForm, DeductionRequest};
use jiff::ToSpan;

pub use view::view;

/// How long the scored period is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Length {
    /// A calendar month.
    Month,
    /// A calendar quarter.
    Quarter,
    /// A calendar year.
    #[default]
    Year,
}

impl Length {
    /// The period of this length holding `day`.
    pub fn around(self, day: jiff::civil::Date) -> Period {
        match self {
            Length::Month => Period::month_of(day),
            Length::Quarter => Period::quarter_of(day),
            Length::Year => Period::year_of(day),
        }
    }

    /// The next longer length, wrapping round.
    pub fn next(self) -> Length {
        match self {
            Length::Month => Length::Quarter,
            Length::Quarter => Length::Year,
            Length::Year => Length::Month,
        }
    }

    fn span(self) -> jiff::Span {
        match self {
            Length::Month => 1.month(),
            Length::Quarter => 3.months(),
            Length::Year => 1.year(),
        }
    }
}

/// The trend shown beside a period: the 12 months or 8 quarters up to its end.
pub fn trend_span(period: Period, step: Step) -> Period {
    let back = match step {
        Step::Month => 11.months(),
        Step::Quarter => 21.months(),
    };
    let end = match step {
        Step::Month => Period::month_of(period.to).from,
        Step::Quarter => Period::quarter_of(period.to).from,
    };
    let from = end.checked_sub(back).unwrap_or(end);
    Period {
        from,
        to: period.to,
    }
}

/// I/O the scores screen asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum ScoresEffect {
    /// Score a period and its trend. `None`: the period of `length` holding
    /// the latest day anything was observed (today's if nothing was).
    Load {
        /// Answers to an older request are dropped.
        token: u64,
        /// The period.
        period: Option<Period>,
        /// Its length, when the latest is looked up.
        length: Length,
        /// The trend's step.
        step: Step,
    },
    /// Record public appraisal results, then score `reload` again.
    EnterAppraisal {
        /// What was entered.
        entry: AppraisalEntered,
        /// Answers to an older request are dropped.
        token: u64,
        /// The period shown.
        reload: Period,
        /// Its length.
        length: Length,
        /// The trend's step.
        step: Step,
    },
    /// Decide on a pending office deduction, then score `reload` again.
    DecideDeduction {
        /// The decision.
        verdict: DeductionVerdict,
        /// Answers to an older request are dropped.
        token: u64,
        /// The period shown.
        reload: Period,
        /// Its length.
        length: Length,
        /// The trend's step.
        step: Step,
    },
    /// Read the method's office rows to open the deduction form for `unit`.
    OpenDeduction {
        /// The unit the form is for.
        unit: anfang_core::visit::Unit,
    },
    /// Record an office deduction, pending review, then score `reload` again.
    EnterDeduction {
        /// What was entered.
        request: Box<DeductionRequest>,
        /// Answers to an older request are dropped.
        token: u64,
        /// The period shown.
        reload: Period,
        /// Its length.
        length: Length,
        /// The trend's step.
        step: Step,
    },
}

/// A decision on one pending office deduction, asked of the worker.
#[derive(Debug, Clone, PartialEq)]
pub struct DeductionVerdict {
    /// The event that entered the deduction.
    pub event_id: String,
    /// Who decides, as the user is named.
    pub reviewer: String,
    /// `None` confirms; `Some(reason)` dismisses.
    pub dismiss: Option<String>,
}

/// The runtime's answers.
#[derive(Debug, Clone, PartialEq)]
pub enum ScoresReply {
    /// A period was scored.
    Loaded {
        /// The request's token.
        token: u64,
        /// The period scored.
        period: Period,
        /// Units ranked.
        ranking: Ranking,
        /// Rankings of the trend's months or quarters, oldest first.
        trend: Vec<Ranking>,
    },
    /// The method in force, to open the deduction form with.
    DeductionRows {
        /// The unit the form is for.
        unit: anfang_core::visit::Unit,
        /// The method in force.
        method: Box<anfang_core::method::Method>,
        /// Today, from the worker's clock.
        today: jiff::civil::Date,
    },
}

/// The scores screen's state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScoresState {
    /// The period scored; `None` until the first answer.
    pub period: Option<Period>,
    /// Its length.
    pub length: Length,
    /// The trend's step.
    pub step: Step,
    /// Units ranked, when read.
    pub ranking: Option<Ranking>,
    /// The trend's rankings.
    pub trend: Vec<Ranking>,
    /// The selected unit (index into the ranking).
    pub selected: usize,
    /// The appraisal form, when open.
    pub form: Option<AppraisalForm>,
    /// The office deduction form, when open.
    pub deduct: Option<DeductionForm>,
    /// The selected pending office deduction of the selected unit.
    pub pending: usize,
    /// The reason typed for dismissing the selected pending deduction.
    pub dismiss: Option<deduction::DismissReason>,
    token: u64,
}

impl ScoresState {
    /// The keymap contexts.
    pub fn contexts(&self) -> Vec<Context> {
        if self.form.is_some() || self.deduct.is_some() || self.dismiss.is_some() {
            vec![Context::ReviewForm]
        } else {
            vec![Context::Scores, Context::Global]
        }
    }

    /// Whether the appraisal field has the keyboard.
    pub fn typing(&self) -> bool {
        self.form.is_some()
            || self.dismiss.is_some()
            || self.deduct.as_ref().is_some_and(|d| d.focus > 0)
    }

    /// The selected unit's score.
    pub fn current(&self) -> Option<&UnitScore> {
        self.ranking
            .as_ref()
            .and_then(|r| r.units.get(self.selected))
    }

    fn load(&mut self, period: Option<Period>) -> Out {
        self.token += 1;
        Out::effect(crate::effect::Effect::Scores(ScoresEffect::Load {
            token: self.token,
            period,
            length: self.length,
            step: self.step,
        }))
    }

    /// The selected unit's scores over the trend, oldest first.
    pub fn unit_trend(&self) -> Vec<(Period, Option<&UnitScore>)> {
        let Some(unit) = self.current().map(|u| &u.unit) else {
            return Vec::new();
        };
        self.trend
            .iter()
            .map(|r| (r.period, r.units.iter().find(|u| &u.unit == unit)))
            .collect()
    }
}

/// Opens the scores screen on the latest period with findings.
pub fn open() -> Out {
    let mut state = ScoresState::default();
    let out = state.load(None);
    Out {
        nav: Some(Nav::Push(Screen::Scores(Box::new(state)))),
        ..out
    }
}

/// Rows of units the ranking table shows in a terminal of `size`.
pub fn table_rows(size: (u16, u16)) -> usize {
    view::areas(size).ranking_rows()
}

/// A key typed into the appraisal field.
pub fn input(scores: &mut ScoresState, key: KeyEvent) {
    if let Some(form) = &mut scores.form {
        field::feed(&mut form.entry, key, false);
    } else if let Some(entry) = scores.deduct.as_mut().and_then(DeductionForm::focused) {
        field::feed(entry, key, false);
    } else if let Some(reason) = &mut scores.dismiss {
        field::feed(&mut reason.0, key, false);
    }
}

/// Text pasted into the appraisal field.
pub fn paste(scores: &mut ScoresState, text: &str) {
    if let Some(form) = &mut scores.form {
        form.entry.insert_str(text.replace(['\n', '\r'], " "));
    } else if let Some(entry) = scores.deduct.as_mut().and_then(DeductionForm::focused) {
        entry.insert_str(text.replace(['\n', '\r'], " "));
    } else if let Some(reason) = &mut scores.dismiss {
        reason.0.insert_str(text.replace(['\n', '\r'], " "));
    }
}

fn form_command(scores: &mut ScoresState, ctx: &Ctx<'_>, command: Command) -> Out {
    let Some(form) = &mut scores.form else {
        return Out::none();
    };
    match command {
        Command::Select => match appraisal::parse(&field::text(&form.entry), ctx.lang) {
            Ok(results) => {
                let entry = AppraisalEntered {
                    unit: form.unit.clone(),
                    from: form.period.from,
                    to: form.period.to,
                    appraisal: results,
                    // The runtime names the entry this one corrects.
                    follows: None,
                };
                let reload = form.period;
                scores.form = None;
                scores.token += 1;
                Out::effect(Effect::Scores(ScoresEffect::EnterAppraisal {
                    entry,
                    token: scores.token,
                    reload,
                    length: scores.length,
                    step: scores.step,
                }))
            }
            Err(message) => {
                form.error = Some(message);
                Out::none()
            }
        },
        Command::Back | Command::Quit => {
            scores.form = None;
            Out::none()
        }
        _ => Out::none(),
    }
}

fn deduct_command(scores: &mut ScoresState, ctx: &Ctx<'_>, command: Command) -> Out {
    let Some(form) = &mut scores.deduct else {
        return Out::none();
    };
    let rows = form.rows.len();
    match command {
        Command::Down | Command::NextField => {
            form.focus = (form.focus + 1) % (deduction::FIELDS + 1)
        }
        Command::Up | Command::PrevField => {
            form.focus = (form.focus + deduction::FIELDS) % (deduction::FIELDS + 1);
        }
        Command::NextTab | Command::Toggle if form.focus == 0 => {
            form.row = list::step(form.row, 1, rows);
        }
        Command::PrevTab if form.focus == 0 => form.row = list::step(form.row, -1, rows),
        Command::Select => match (form.read(ctx.lang), scores.period) {
            (Ok(request), Some(reload)) => {
                scores.deduct = None;
                scores.token += 1;
                return Out::effect(Effect::Scores(ScoresEffect::EnterDeduction {
                    request: Box::new(request),
                    token: scores.token,
                    reload,
                    length: scores.length,
                    step: scores.step,
                }));
            }
            (Ok(_), None) => {}
            (Err(message), _) => form.error = Some(message),
        },
        Command::Back | Command::Quit => scores.deduct = None,
        _ => {}
    }
    Out::none()
}

/// Asks the worker to decide on the selected pending deduction.
fn decide(scores: &mut ScoresState, ctx: &Ctx<'_>, dismiss: Option<String>) -> Out {
    let event_id = scores
        .current()
        .and_then(|u| u.pending_lines.get(scores.pending))
        .map(|l| l.event_id.clone());
    let (Some(event_id), Some(reload)) = (event_id, scores.period) else {
        return Out::none();
    };
    scores.token += 1;
    Out::effect(Effect::Scores(ScoresEffect::DecideDeduction {
        verdict: DeductionVerdict {
            event_id,
            reviewer: ctx.user_name.to_string(),
            dismiss,
        },
        token: scores.token,
        reload,
        length: scores.length,
        step: scores.step,
    }))
}

fn dismiss_command(scores: &mut ScoresState, ctx: &Ctx<'_>, command: Command) -> Out {
    let Some(reason) = &mut scores.dismiss else {
        return Out::none();
    };
    match command {
        Command::Select => {
            let text = field::text(&reason.0).trim().to_string();
            if text.is_empty() {
                return Out::none();
            }
            scores.dismiss = None;
            decide(scores, ctx, Some(text))
        }
        Command::Back | Command::Quit => {
            scores.dismiss = None;
            Out::none()
        }
        _ => Out::none(),
    }
}

/// Runs a command on the scores screen.
pub fn update(scores: &mut ScoresState, ctx: &Ctx<'_>, command: Command) -> Out {
    if scores.form.is_some() {
        return form_command(scores, ctx, command);
    }
    if scores.deduct.is_some() {
        return deduct_command(scores, ctx, command);
    }
    if scores.dismiss.is_some() {
        return dismiss_command(scores, ctx, command);
    }
    let pending = scores.current().map_or(0, |u| u.pending_lines.len());
    let len = scores.ranking.as_ref().map_or(0, |r| r.units.len());
    let page = isize::try_from(table_rows(ctx.size)).unwrap_or(1).max(1);
    let shift = |scores: &mut ScoresState, forward: bool| {
        let base = scores.period.map_or_else(|| today(ctx), |p| p.from);
        let span = scores.length.span();
        let moved = if forward {
            base.checked_add(span)
        } else {
            base.checked_sub(span)
        };
        let period = scores.length.around(moved.unwrap_or(base));
        scores.load(Some(period))
    };
    match command {
        Command::Up => {
            scores.selected = list::step(scores.selected, -1, len);
            scores.pending = 0;
        }
        Command::Down => {
            scores.selected = list::step(scores.selected, 1, len);
            scores.pending = 0;
        }
        Command::NextField if pending > 0 => scores.pending = (scores.pending + 1) % pending,
        Command::Confirm if pending > 0 => return decide(scores, ctx, None),
        Command::Dismiss if pending > 0 => {
            scores.dismiss = Some(deduction::DismissReason(field::line("")))
        }
        Command::PageUp => scores.selected = list::step(scores.selected, -page, len),
        Command::PageDown => scores.selected = list::step(scores.selected, page, len),
        Command::Top => scores.selected = 0,
        Command::Bottom => scores.selected = len.saturating_sub(1),
        Command::NextTab => return shift(scores, true),
        Command::PrevTab => return shift(scores, false),
        Command::PeriodLength => {
            scores.length = scores.length.next();
            let day = scores.period.map_or_else(|| today(ctx), |p| p.to);
            let period = scores.length.around(day);
            return scores.load(Some(period));
        }
        Command::TrendStep => {
            scores.step = match scores.step {
                Step::Month => Step::Quarter,
                Step::Quarter => Step::Month,
            };
            return scores.load(scores.period);
        }
        Command::Select => {
            if let (Some(unit), Some(period)) = (scores.current(), scores.period) {
                let filters = Filters {
                    period: Some(period),
                    unit: Some(unit.unit.name.clone()),
                    ..Filters::default()
                };
                return review::open(filters, ctx);
            }
        }
        Command::Appraisal => {
            if let (Some(unit), Some(period)) = (scores.current(), scores.period) {
                scores.form = Some(AppraisalForm::new(unit.unit.clone(), period));
            }
        }
        Command::Deduct => {
            if let Some(unit) = scores.current() {
                return Out::effect(Effect::Scores(ScoresEffect::OpenDeduction {
                    unit: unit.unit.clone(),
                }));
            }
        }
        Command::Back | Command::Quit => return Out::nav(Nav::Pop),
        _ => {}
    }
    Out::none()
}

/// A click selects the unit under the mouse.
pub fn click(scores: &mut ScoresState, ctx: &Ctx<'_>, x: u16, y: u16) {
    let len = scores.ranking.as_ref().map_or(0, |r| r.units.len());
    if let Some(i) = list::hit(view::areas(ctx.size).ranking, 1, x, y, scores.selected, len) {
        scores.selected = i;
    }
}

/// Takes an answer from the runtime.
pub fn reply(scores: &mut ScoresState, reply: ScoresReply) {
    match reply {
        ScoresReply::Loaded {
            token,
            period,
            ranking,
            trend,
        } => {
            if token != scores.token {
                return;
            }
            // Keep the same unit selected when it is still ranked.
            let keep = scores.current().map(|u| u.unit.clone());
            scores.selected = keep.and_then(|unit| ranking.position(&unit)).unwrap_or(0);
            scores.period = Some(period);
            scores.ranking = Some(ranking);
            scores.trend = trend;
            let pending = scores.current().map_or(0, |u| u.pending_lines.len());
            scores.pending = scores.pending.min(pending.saturating_sub(1));
        }
        ScoresReply::DeductionRows {
            unit,
            method,
            today,
        } => {
            scores.deduct = Some(DeductionForm::new(
                unit,
                method.rows,
                method.version,
                method.rounding,
                today,
            ));
        }
    }
}

#[cfg(test)]
mod tests;
