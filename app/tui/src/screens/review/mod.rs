//! Review: findings across every merged visit, filtered, searched and
//! sorted, with a detail pane and the office's decisions. The table holds a
//! window of rows around the cursor (`window`) and pages through the ledger
//! by keyset; a decision is one signed event, recorded by the runtime.

pub mod batch;
pub mod columns;
pub mod decide;
pub mod filter;
pub mod go_back;
pub mod layout;
pub mod notice;
pub mod recheck;
pub mod view;
pub mod window;

#[cfg(test)]
pub(crate) mod fixtures;

use crate::command::Command;
use crate::effect::Effect;
use crate::i18n::{t, tf};
use crate::keymap::Context;
use crate::screens::history::HistoryState;
use crate::screens::overlay::Overlay;
use crate::screens::{Ctx, Nav, Out};
use crate::state::{Screen, Status};
use crate::widgets::field;
use anfang_core::review::Decision;
use anfang_ledger::review_query::{
    Anchor, ReviewChoices, ReviewDetail, ReviewFilter, ReviewPage, Sort, SortKey,
};
use batch::BatchForm;
use crossterm::event::KeyEvent;
use decide::{DecisionForm, Kind};
use filter::{FilterForm, Filters};
use go_back::GoBackForm;
use jiff::civil::Date;
use ratatui_textarea::TextArea;
use uuid::Uuid;
use window::{Need, Window, page_size};

pub use view::view;

/// The title's count stops at this many findings: counting further would
/// hold up the frame on a large ledger.
pub const COUNT_CAP: u64 = 10_000;

/// Where a page that arrives goes in the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A fresh start at the top.
    First,
    /// A fresh start at the bottom.
    Last,
    /// After the window.
    After,
    /// Before the window.
    Before,
    /// The window read again in place.
    Reload,
}

/// I/O the review screen asks the runtime for.
#[derive(Debug, Clone, PartialEq)]
pub enum ReviewEffect {
    /// Read a page.
    Page {
        /// Answers to an older request are dropped.
        token: u64,
        /// Which findings.
        filter: ReviewFilter,
        /// In which order.
        sort: Sort,
        /// From where.
        anchor: Anchor,
        /// At most this many rows.
        limit: usize,
        /// Where they go.
        place: Place,
    },
    /// Count the findings (up to [`COUNT_CAP`]).
    Count {
        /// Answers to an older request are dropped.
        token: u64,
        /// Which findings.
        filter: ReviewFilter,
    },
    /// Read one finding's detail.
    Detail(Uuid),
    /// Read the values the filters can take.
    Choices,
    /// Record a decision, signed by this laptop.
    Decide {
        /// The finding.
        finding_id: Uuid,
        /// Who decides (the user of this laptop).
        reviewer: String,
        /// What.
        decision: Decision,
        /// Why, when the decision moves the finding back in its life.
        reason: Option<String>,
    },
    /// Read a visit's pending findings, to confirm them together.
    VisitPending(Uuid),
    /// Confirm each finding with its own signed decision.
    ConfirmEach {
        /// The findings.
        finding_ids: Vec<Uuid>,
        /// Who decides.
        reviewer: String,
    },
}

/// The runtime's answers.
#[derive(Debug, Clone, PartialEq)]
pub enum ReviewReply {
    /// A page was read.
    Page {
        /// The request's token.
        token: u64,
        /// Where it goes.
        place: Place,
        /// The rows.
        page: ReviewPage,
    },
    /// The findings were counted: `(n, more than n)`.
    Counted {
        /// The request's token.
        token: u64,
        /// The count.
        count: (u64, bool),
    },
    /// A finding's detail was read.
    Detail(Box<ReviewDetail>),
    /// The filter values were read.
    Choices(ReviewChoices),
    /// A visit's pending findings with their points were read.
    VisitPending {
        /// The visit.
        visit_id: Uuid,
        /// Each pending finding and its points.
        findings: Vec<(Uuid, anfang_core::Points)>,
    },
    /// A batch confirmation was recorded.
    Confirmed(anfang_ledger::BatchOutcome),
    /// A decision was recorded.
    Decided {
        /// The finding.
        finding_id: Uuid,
    },
}

/// What has the keyboard.
#[derive(Debug, Clone)]
pub enum Mode {
    /// The table.
    Table,
    /// Typing search words.
    Search(Box<TextArea<'static>>),
    /// The filter form.
    Filter(Box<FilterForm>),
    /// A decision form.
    Decide(Box<DecisionForm>),
    /// Asking why a decision moves the finding back, before its form.
    GoBack(Box<GoBackForm>),
    /// Asking before a visit's pending findings are confirmed together.
    Batch(Box<BatchForm>),
}

/// The review screen's state.
#[derive(Debug, Clone)]
pub struct ReviewState {
    /// Filters in force.
    pub filters: Filters,
    /// The sort.
    pub sort: Sort,
    /// Rows held around the cursor.
    pub window: Window,
    /// Findings the filters let through, up to [`COUNT_CAP`].
    pub count: Option<(u64, bool)>,
    /// The first page has arrived.
    pub loaded: bool,
    /// The selected finding's detail, when read.
    pub detail: Option<Box<ReviewDetail>>,
    /// The detail pane is open.
    pub show_detail: bool,
    /// The keys scroll the detail pane rather than move the cursor.
    pub detail_focus: bool,
    /// First line of the detail pane shown.
    pub detail_scroll: usize,
    /// Filter values, once read.
    pub choices: Option<ReviewChoices>,
    /// What has the keyboard.
    pub mode: Mode,
    /// The filter form opens when the choices arrive.
    pub want_filter_form: bool,
    /// The finding whose detail was asked for last.
    detail_for: Option<Uuid>,
    /// Whether the sort was last chosen for the overdue view: turning the
    /// view on sorts by deadline, turning it off goes back to the newest first.
    sorted_for_overdue: bool,
    page_token: u64,
    count_token: u64,
}

impl ReviewState {
    /// A review screen with these filters, not yet read.
    pub fn new(filters: Filters) -> ReviewState {
        ReviewState {
            filters,
            sort: Sort::default(),
            window: Window::default(),
            count: None,
            loaded: false,
            detail: None,
            show_detail: false,
            detail_focus: false,
            detail_scroll: 0,
            choices: None,
            mode: Mode::Table,
            want_filter_form: false,
            detail_for: None,
            sorted_for_overdue: false,
            page_token: 0,
            count_token: 0,
        }
    }

    /// The keymap contexts: the forms take their own keys.
    pub fn contexts(&self) -> Vec<Context> {
        match self.mode {
            Mode::Table => vec![Context::Review, Context::Global],
            Mode::Search(_)
            | Mode::Filter(_)
            | Mode::Decide(_)
            | Mode::GoBack(_)
            | Mode::Batch(_) => {
                vec![Context::ReviewForm]
            }
        }
    }

    /// The focused text field, if one has the keyboard.
    pub fn text_field(&mut self) -> Option<&mut TextArea<'static>> {
        match &mut self.mode {
            Mode::Table => None,
            Mode::Search(area) => Some(area),
            Mode::Filter(form) => form.text_mut(),
            Mode::Decide(form) => form.focused(),
            Mode::GoBack(form) => Some(&mut form.reason),
            Mode::Batch(_) => None,
        }
    }

    /// Whether a text field has the focus (for the input translation).
    pub fn typing(&self) -> bool {
        match &self.mode {
            Mode::Table => false,
            Mode::Search(_) => true,
            Mode::Filter(form) => form.focus.is_text(),
            Mode::Decide(form) => form.field.is_some(),
            Mode::GoBack(_) => true,
            Mode::Batch(_) => false,
        }
    }

    fn table_height(&self, ctx: &Ctx<'_>) -> usize {
        layout::areas(ctx.size, self).table_rows()
    }

    /// Reads the window afresh from the top (filters or sort changed).
    fn restart(&mut self, ctx: &Ctx<'_>) -> Out {
        if self.filters.overdue != self.sorted_for_overdue {
            // Most overdue first: the oldest deadline on top.
            self.sort = if self.filters.overdue {
                Sort {
                    key: SortKey::Deadline,
                    descending: false,
                }
            } else {
                Sort::default()
            };
            self.sorted_for_overdue = self.filters.overdue;
        }
        self.page_token += 1;
        self.count_token += 1;
        self.count = None;
        self.detail = None;
        self.detail_for = None;
        let filter = self.query(ctx);
        let mut out = Out::none();
        out.effects.push(Effect::Review(ReviewEffect::Page {
            token: self.page_token,
            filter: filter.clone(),
            sort: self.sort,
            anchor: Anchor::First,
            limit: page_size(self.table_height(ctx)),
            place: Place::First,
        }));
        out.effects.push(Effect::Review(ReviewEffect::Count {
            token: self.count_token,
            filter,
        }));
        out
    }

    fn query(&self, ctx: &Ctx<'_>) -> ReviewFilter {
        self.filters.to_query(today(ctx), ctx.tz)
    }

    fn page(&self, ctx: &Ctx<'_>, anchor: Anchor, place: Place) -> Effect {
        Effect::Review(ReviewEffect::Page {
            token: self.page_token,
            filter: self.query(ctx),
            sort: self.sort,
            anchor,
            limit: page_size(self.table_height(ctx)),
            place,
        })
    }

    /// After the cursor moved: pages to read, and the detail of the new row.
    fn moved(&mut self, ctx: &Ctx<'_>) -> Out {
        let height = self.table_height(ctx);
        self.window.scroll_into_view(height);
        let mut out = Out::none();
        for need in self.window.needs(height) {
            let effect = match need {
                Need::After(anchor) => self.page(ctx, anchor, Place::After),
                Need::Before(anchor) => self.page(ctx, anchor, Place::Before),
            };
            out.effects.push(effect);
        }
        let now = self.window.current().map(|r| r.finding_id);
        if self.show_detail && now != self.detail_for {
            self.detail = None;
            self.detail_scroll = 0;
            self.detail_for = now;
            if let Some(id) = now {
                out.effects.push(Effect::Review(ReviewEffect::Detail(id)));
            }
        }
        out
    }
}

/// Today in the laptop's time zone: what "overdue" is measured against.
pub fn today(ctx: &Ctx<'_>) -> Date {
    ctx.tz.to_datetime(ctx.now).date()
}

/// Opens the review screen with `filters` and reads its first page.
pub fn open(filters: Filters, ctx: &Ctx<'_>) -> Out {
    let mut state = ReviewState::new(filters);
    let out = state.restart(ctx);
    Out {
        nav: Some(Nav::Push(Screen::Review(Box::new(state)))),
        ..out
    }
}

/// The sort a column starts with: newest, largest first; names A to Z.
fn default_descending(key: SortKey) -> bool {
    matches!(key, SortKey::Time | SortKey::Count | SortKey::Points)
}

/// Runs a command on the review screen.
pub fn update(review: &mut ReviewState, ctx: &Ctx<'_>, command: Command) -> Out {
    match &mut review.mode {
        Mode::Table => table_command(review, ctx, command),
        Mode::Search(area) => match command {
            Command::Select => {
                let words = field::text(area).trim().to_string();
                review.filters.search = (!words.is_empty()).then_some(words);
                review.mode = Mode::Table;
                review.restart(ctx)
            }
            Command::Back | Command::Quit => {
                review.mode = Mode::Table;
                Out::none()
            }
            _ => Out::none(),
        },
        Mode::Filter(form) => match command {
            Command::NextField | Command::Down => {
                form.focus_step(true);
                Out::none()
            }
            Command::PrevField | Command::Up => {
                form.focus_step(false);
                Out::none()
            }
            Command::NextTab | Command::Toggle => {
                form.cycle(true);
                Out::none()
            }
            Command::PrevTab => {
                form.cycle(false);
                Out::none()
            }
            Command::Select => match form.filters(review.filters.search.clone(), ctx.lang) {
                Ok(filters) => {
                    review.filters = filters;
                    review.mode = Mode::Table;
                    review.restart(ctx)
                }
                Err(message) => {
                    form.error = Some(message);
                    Out::none()
                }
            },
            Command::Back | Command::Quit => {
                review.mode = Mode::Table;
                Out::none()
            }
            _ => Out::none(),
        },
        Mode::Decide(form) => match command {
            Command::NextField | Command::PrevField | Command::Down | Command::Up => {
                form.switch_field();
                Out::none()
            }
            Command::Select => match form.decision(today(ctx), ctx.lang) {
                Ok(decision) => {
                    let finding_id = form.finding_id;
                    let reason = form.back_reason.clone();
                    review.mode = Mode::Table;
                    if ctx.ask_name {
                        return Out::nav(Nav::Overlay(Overlay::AskName {
                            name: field::line(""),
                            finding_id,
                            decision,
                            reason,
                        }));
                    }
                    Out::effect(Effect::Review(ReviewEffect::Decide {
                        finding_id,
                        reviewer: ctx.user_name.to_string(),
                        decision,
                        reason,
                    }))
                }
                Err(message) => {
                    form.error = Some(message);
                    Out::none()
                }
            },
            Command::Back | Command::Quit => {
                review.mode = Mode::Table;
                Out::none()
            }
            _ => Out::none(),
        },
        Mode::Batch(_) => batch::command(review, ctx, command),
        Mode::GoBack(form) => match command {
            Command::Select => match form.reason() {
                Some(reason) => {
                    let next = review
                        .window
                        .current()
                        .filter(|row| row.finding_id == form.finding_id)
                        .map(|row| DecisionForm::open(form.kind, row, today(ctx), ctx.lang));
                    match next {
                        Some(mut next) => {
                            next.back_reason = Some(reason);
                            review.mode = Mode::Decide(Box::new(next));
                            Out::none()
                        }
                        None => {
                            review.mode = Mode::Table;
                            Out::error(t(ctx.lang, "review.nothing_selected"))
                        }
                    }
                }
                None => {
                    form.error = Some(t(ctx.lang, "review.back.no_reason").to_string());
                    Out::none()
                }
            },
            Command::Back | Command::Quit => {
                let kept = form.from.label().get(ctx.lang).to_string();
                review.mode = Mode::Table;
                Out::info(tf(ctx.lang, "review.back.cancelled", &[("status", &kept)]))
            }
            _ => Out::none(),
        },
    }
}

fn table_command(review: &mut ReviewState, ctx: &Ctx<'_>, command: Command) -> Out {
    let height = review.table_height(ctx);
    if review.detail_focus && review.show_detail {
        let page = layout::areas(ctx.size, review)
            .detail
            .map_or(1, |a| usize::from(a.height.saturating_sub(2)).max(1));
        let scroll = &mut review.detail_scroll;
        match command {
            Command::Up => *scroll = scroll.saturating_sub(1),
            Command::Down => *scroll += 1,
            Command::PageUp => *scroll = scroll.saturating_sub(page),
            Command::PageDown => *scroll += page,
            Command::Top => *scroll = 0,
            _ => return table_keys(review, ctx, command, height),
        }
        return Out::none();
    }
    table_keys(review, ctx, command, height)
}

fn table_keys(review: &mut ReviewState, ctx: &Ctx<'_>, command: Command, height: usize) -> Out {
    let page = isize::try_from(height).unwrap_or(1).max(1);
    let step = |review: &mut ReviewState, delta: isize| {
        review.window.step(delta, height);
        review.moved(ctx)
    };
    match command {
        Command::Up => step(review, -1),
        Command::Down => step(review, 1),
        Command::PageUp => step(review, -page),
        Command::PageDown => step(review, page),
        Command::Top => Out::effect(review.page(ctx, Anchor::First, Place::First)),
        Command::Bottom => Out::effect(review.page(ctx, Anchor::Last, Place::Last)),
        Command::Select => {
            review.show_detail = !review.show_detail;
            review.detail = None;
            review.detail_for = None;
            review.detail_focus = false;
            review.moved(ctx)
        }
        Command::SwitchPane if review.show_detail => {
            review.detail_focus = !review.detail_focus;
            Out::none()
        }
        Command::Search => {
            review.mode = Mode::Search(Box::new(field::line(
                review.filters.search.as_deref().unwrap_or(""),
            )));
            Out::none()
        }
        Command::Filter => match &review.choices {
            Some(choices) => {
                review.mode = Mode::Filter(Box::new(FilterForm::new(
                    &review.filters,
                    choices,
                    ctx.lang,
                )));
                Out::none()
            }
            None => {
                review.want_filter_form = true;
                Out::effect(Effect::Review(ReviewEffect::Choices))
            }
        },
        Command::ClearFilters => {
            review.filters = Filters::default();
            review.restart(ctx)
        }
        Command::Overdue => {
            review.filters.overdue = !review.filters.overdue;
            review.restart(ctx)
        }
        Command::SortNext => {
            let i = SortKey::ALL
                .iter()
                .position(|k| *k == review.sort.key)
                .unwrap_or(0);
            let key = SortKey::ALL[(i + 1) % SortKey::ALL.len()];
            review.sort = Sort {
                key,
                descending: default_descending(key),
            };
            review.restart(ctx)
        }
        Command::SortReverse => {
            review.sort.descending = !review.sort.descending;
            review.restart(ctx)
        }
        Command::Confirm => decide(review, ctx, Kind::Confirm),
        Command::ConfirmVisit => batch::ask(review, ctx),
        Command::Dismiss => decide(review, ctx, Kind::Dismiss),
        Command::Rectify => decide(review, ctx, Kind::Rectify),
        Command::MarkRectified => decide(review, ctx, Kind::MarkRectified),
        Command::Verify => decide(review, ctx, Kind::Verify),
        Command::RejectRectification => decide(review, ctx, Kind::Reject),
        Command::Appeal => decide(review, ctx, Kind::Appeal),
        Command::AppealUphold => decide(review, ctx, Kind::AppealUphold),
        Command::AppealDeny => decide(review, ctx, Kind::AppealDeny),
        Command::Recheck => recheck::start(review, ctx),
        Command::RectificationNotice => notice::write(review, ctx),
        Command::History => match review.window.current() {
            Some(row) => Out::nav(Nav::Push(Screen::History(HistoryState::loading(
                row.finding_id,
            ))))
            .with(Effect::LoadHistory(row.finding_id)),
            None => Out::none(),
        },
        Command::OpenEvidence => {
            let current = review.window.current().map(|r| r.finding_id);
            let evidence = review
                .detail
                .as_ref()
                .filter(|d| Some(d.row.finding_id) == current)
                .and_then(|d| d.evidence.last());
            match evidence {
                Some(e) => Out::effect(Effect::OpenEvidence {
                    sha256: e.sha256.clone(),
                    file_name: e.file_name.clone(),
                }),
                None if review.show_detail => Out::error(t(ctx.lang, "visit.no_evidence")),
                None => Out::error(t(ctx.lang, "review.open_detail_first")),
            }
        }
        Command::Back | Command::Quit => Out::nav(Nav::Pop),
        _ => Out::none(),
    }
}

fn decide(review: &mut ReviewState, ctx: &Ctx<'_>, kind: Kind) -> Out {
    match review.window.current() {
        // Backwards, the reason is asked for first, naming what changes.
        Some(row) if row.status().goes_back_to(kind.leads_to()) && !kind.says_why() => {
            review.mode = Mode::GoBack(Box::new(GoBackForm::open(kind, row, ctx.lang)));
            Out::none()
        }
        Some(row) => {
            let rechecks = review
                .detail
                .as_ref()
                .filter(|d| d.row.finding_id == row.finding_id)
                .map(|d| d.rechecks.iter().map(|(id, _)| *id).collect())
                .unwrap_or_default();
            let loaded = review
                .detail
                .as_ref()
                .is_some_and(|d| d.row.finding_id == row.finding_id);
            let finding_id = row.finding_id;
            review.mode = Mode::Decide(Box::new(
                DecisionForm::open(kind, row, today(ctx), ctx.lang).with_rechecks(rechecks),
            ));
            // The follow-up visits come with the detail: read it when the
            // form may name one (the reply fills them in).
            if !loaded && matches!(kind, Kind::Verify | Kind::Reject) {
                return Out::effect(Effect::Review(ReviewEffect::Detail(finding_id)));
            }
            Out::none()
        }
        None => Out::error(t(ctx.lang, "review.nothing_selected")),
    }
}

/// A key typed into the focused field.
pub fn input(review: &mut ReviewState, key: KeyEvent) {
    if let Some(area) = review.text_field() {
        field::feed(area, key, false);
    }
}

/// Text pasted into the focused field.
pub fn paste(review: &mut ReviewState, text: &str) {
    if let Some(area) = review.text_field() {
        area.insert_str(text.replace(['\n', '\r'], " "));
    }
}

/// A click on a row selects it.
pub fn click(review: &mut ReviewState, ctx: &Ctx<'_>, x: u16, y: u16) -> Out {
    if !matches!(review.mode, Mode::Table) {
        return Out::none();
    }
    let areas = layout::areas(ctx.size, review);
    let height = areas.table_rows();
    let table = areas.table;
    if x < table.x || x >= table.x + table.width || y <= table.y || y >= table.y + table.height {
        return Out::none();
    }
    let index = review.window.offset + usize::from(y - table.y - 1);
    if index >= review.window.rows.len() {
        return Out::none();
    }
    review.window.selected = index;
    review.window.scroll_into_view(height);
    review.moved(ctx)
}

/// Takes an answer from the runtime.
pub fn reply(review: &mut ReviewState, ctx: &Ctx<'_>, reply: ReviewReply) -> Out {
    match reply {
        ReviewReply::Page { token, place, page } => {
            if token != review.page_token {
                return Out::none();
            }
            match place {
                Place::First => review.window.first(page),
                Place::Last => {
                    let total = review.count.filter(|(_, more)| !more).map(|(n, _)| n);
                    review.window.last(page, total);
                }
                Place::After => review.window.append(page),
                Place::Before => review.window.prepend(page),
                Place::Reload => review.window.reloaded(page),
            }
            review.loaded = true;
            review.moved(ctx)
        }
        ReviewReply::Counted { token, count } => {
            if token == review.count_token {
                review.count = Some(count);
            }
            Out::none()
        }
        ReviewReply::Detail(detail) => {
            if let Mode::Decide(form) = &mut review.mode
                && form.finding_id == detail.row.finding_id
                && form.rechecks.is_empty()
            {
                let rechecks = detail.rechecks.iter().map(|(id, _)| *id).collect();
                **form = (**form).clone().with_rechecks(rechecks);
            }
            if review.window.current().map(|r| r.finding_id) == Some(detail.row.finding_id) {
                review.detail = Some(detail);
            }
            Out::none()
        }
        ReviewReply::Choices(choices) => {
            if review.want_filter_form {
                review.want_filter_form = false;
                review.mode = Mode::Filter(Box::new(FilterForm::new(
                    &review.filters,
                    &choices,
                    ctx.lang,
                )));
            }
            review.choices = Some(choices);
            Out::none()
        }
        ReviewReply::VisitPending { visit_id, findings } => {
            batch::pending_read(review, ctx, visit_id, findings)
        }
        ReviewReply::Confirmed(outcome) => {
            let mut out = review.reload_in_place(ctx);
            out.status = Some(batch::outcome_status(&outcome, ctx.lang));
            out
        }
        ReviewReply::Decided { finding_id } => {
            let mut out = review.reload_in_place(ctx);
            if review.show_detail {
                review.detail = None;
                review.detail_for = Some(finding_id);
                out.effects
                    .push(Effect::Review(ReviewEffect::Detail(finding_id)));
            }
            out.status = Some(Status::Info(t(ctx.lang, "review.decided").to_string()));
            out
        }
    }
}

impl ReviewState {
    /// Reads the window again in place after decisions: the status, points
    /// and order may have changed.
    fn reload_in_place(&mut self, ctx: &Ctx<'_>) -> Out {
        let review = self;
        review.count_token += 1;
        let anchor = review
            .window
            .rows
            .first()
            .map_or(Anchor::First, |r| Anchor::From(r.key.clone()));
        let limit = review
            .window
            .rows
            .len()
            .max(page_size(review.table_height(ctx)));
        Out::effect(Effect::Review(ReviewEffect::Page {
            token: review.page_token,
            filter: review.query(ctx),
            sort: review.sort,
            anchor,
            limit,
            place: Place::Reload,
        }))
        .with(Effect::Review(ReviewEffect::Count {
            token: review.count_token,
            filter: review.query(ctx),
        }))
    }
}

#[cfg(test)]
pub(crate) mod tests;

#[cfg(test)]
mod deadline_tests;

#[cfg(test)]
mod go_back_tests;

#[cfg(test)]
mod batch_tests;

#[cfg(test)]
mod loop_tests;
#[cfg(test)]
mod notice_tests;
