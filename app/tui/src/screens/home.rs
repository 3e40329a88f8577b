//! Home: unfinished visits first, then recent ones.

use crate::command::Command;
use crate::effect::Effect;
use crate::i18n::t;
use crate::model::{OfficeStanding, VisitRow};
use crate::screens::new_visit::NewVisitState;
use crate::screens::overlay::{Overlay, Question};
use crate::screens::plugins::PluginsState;
use crate::screens::visit::VisitState;
use crate::screens::{Ctx, Nav, Out};
use crate::state::{Screen, State};
use crate::text;
use crate::widgets::{chrome, list, time};
use anfang_core::Lang;
use anfang_core::visit::Unit;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Row, Table};

/// How many visits Home reads at a time; the next page is read as the
/// selection nears the end of those read.
pub const PAGE: usize = 500;

/// How close to the last visit read the selection comes before the next
/// page is asked for.
const AHEAD: usize = 100;

/// The home screen's data.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HomeState {
    /// Unfinished visits first (newest first), then closed ones: the pages
    /// read so far.
    pub visits: Vec<VisitRow>,
    /// Whether more visits may follow those read.
    pub more: bool,
    /// Whether the next page is being read.
    pub fetching: bool,
    /// Units seen in the ledger.
    pub units: Vec<Unit>,
    /// The office's register of units (empty when it has none).
    pub register: anfang_core::register::Register,
    /// The selected row.
    pub selected: usize,
    /// Whether the rows have been read yet.
    pub loaded: bool,
    /// Rectifications past their deadline, and whether the count was capped.
    pub overdue: (u64, bool),
    /// The office and its refused events; `None` until read.
    pub office: Option<OfficeStanding>,
    /// Rectifications whose deadline is near, counted alike.
    pub due_soon: (u64, bool),
}

impl HomeState {
    /// The team of the most recent visit, to start the next one with.
    pub fn last_team(&self) -> Option<&[String]> {
        self.visits
            .iter()
            .max_by_key(|v| v.started_at)
            .map(|v| v.team.as_slice())
    }

    /// Takes freshly read rows, keeping the selection on the same visit;
    /// `more` says whether more may follow them.
    pub fn loaded(&mut self, visits: Vec<VisitRow>, units: Vec<Unit>, more: bool) {
        let keep = self.visits.get(self.selected).map(|v| v.visit_id);
        self.selected = keep
            .and_then(|id| visits.iter().position(|v| v.visit_id == id))
            .unwrap_or(0);
        self.visits = visits;
        self.units = units;
        self.more = more;
        self.fetching = false;
        self.loaded = true;
    }

    /// Takes the page read after visit `after`, unless the rows were read
    /// afresh meanwhile (then it no longer follows them).
    pub fn appended(&mut self, after: uuid::Uuid, visits: Vec<VisitRow>, more: bool) {
        if self.visits.last().map(|v| v.visit_id) != Some(after) {
            return;
        }
        self.visits.extend(visits);
        self.more = more;
        self.fetching = false;
    }

    /// Asks for the next page when the selection has come near the end of
    /// the visits read and more may follow.
    pub fn next_page(&mut self) -> Option<Effect> {
        let last = self.visits.last()?;
        if !self.more || self.fetching || self.selected + AHEAD < self.visits.len() {
            return None;
        }
        self.fetching = true;
        Some(Effect::LoadMoreVisits(anfang_ledger::HomeKey {
            closed: last.closed_at.is_some(),
            started_at: last.started_at,
            visit_id: last.visit_id,
        }))
    }
}

/// The question asked at start when this device left a visit unfinished.
pub fn resume_offer(open: &VisitRow, lang: Lang, tz: &jiff::tz::TimeZone) -> Overlay {
    Overlay::Question(Question::Resume {
        visit_id: open.visit_id,
        text: crate::i18n::tf(
            lang,
            "home.resume_question",
            &[
                ("unit", &open.unit.name),
                ("time", &time::show(open.started_at, tz)),
                ("findings", &open.findings),
            ],
        ),
    })
}

/// Runs a command on the home screen.
pub fn update(home: &mut HomeState, ctx: &Ctx<'_>, command: Command) -> Out {
    let len = home.visits.len();
    let page = isize::try_from(ctx.size.1.saturating_sub(5))
        .unwrap_or(1)
        .max(1);
    match command {
        Command::Up => home.selected = list::step(home.selected, -1, len),
        Command::Down => home.selected = list::step(home.selected, 1, len),
        Command::PageUp => home.selected = list::step(home.selected, -page, len),
        Command::PageDown => home.selected = list::step(home.selected, page, len),
        Command::Top => home.selected = 0,
        Command::Bottom => home.selected = len.saturating_sub(1),
        Command::Select => {
            if let Some(row) = home.visits.get(home.selected) {
                return open(row.visit_id);
            }
        }
        Command::NewVisit => {
            let mut state = NewVisitState::new(ctx, home.units.clone(), home.last_team());
            state.register = home.register.clone();
            return Out::nav(Nav::Push(Screen::NewVisit(state)));
        }
        Command::Plugins => return Out::nav(Nav::Push(Screen::Plugins(PluginsState::default()))),
        Command::Review => return crate::screens::review::open(Default::default(), ctx),
        // The banner's key: the overdue rectifications, most overdue first.
        Command::Overdue => {
            let overdue = crate::screens::review::filter::Filters {
                overdue: true,
                ..Default::default()
            };
            return crate::screens::review::open(overdue, ctx);
        }
        Command::Scores => return crate::screens::scores::open(),
        Command::Merge => {
            let merge = crate::screens::merge::MergeState::new();
            return Out::nav(Nav::Push(Screen::Merge(Box::new(merge))));
        }
        Command::Export => {
            let export = crate::screens::export::ExportState::new(ctx, home.units.clone());
            return Out::nav(Nav::Push(Screen::Export(Box::new(export))));
        }
        Command::Quit => return Out::nav(Nav::Quit),
        _ => {}
    }
    match home.next_page() {
        Some(effect) => Out::effect(effect),
        None => Out::none(),
    }
}

/// Opens a visit: show it as loading and read it.
pub fn open(visit_id: uuid::Uuid) -> Out {
    Out::nav(Nav::Push(Screen::Visit(VisitState::loading(visit_id))))
        .with(Effect::LoadVisit(visit_id))
}

/// A click selects the row under the mouse.
pub fn click(home: &mut HomeState, size: (u16, u16), x: u16, y: u16) {
    let (_, body, _) = chrome::split(Rect::new(0, 0, size.0, size.1));
    if let Some(i) = list::hit(table_area(body), 2, x, y, home.selected, home.visits.len()) {
        home.selected = i;
    }
}

fn table_area(body: Rect) -> Rect {
    body
}

/// Draws the home screen.
pub fn view(home: &HomeState, state: &State, frame: &mut Frame<'_>) {
    let lang = state.lang;
    let (title, body, footer) = chrome::split(frame.area());
    chrome::title(frame, title, t(lang, "app.title"), &state.user_name);
    // Most used first: what does not fit on a narrow terminal is left off
    // from the end, and `?` lists it; `q` and `?` always stay.
    let hints: &[Command] = &[
        Command::NewVisit,
        Command::Select,
        Command::Review,
        Command::Overdue,
        Command::Scores,
        Command::Export,
        Command::Merge,
        Command::Plugins,
        Command::Quit,
    ];
    chrome::footer(frame, footer, state, hints);

    let area = table_area(body);
    if !home.loaded {
        frame.render_widget(Paragraph::new(t(lang, "common.loading")), area);
        return;
    }
    if home.visits.is_empty() {
        let block = Block::new().title(
            Line::from(t(lang, "home.title")).style(Style::default().add_modifier(Modifier::BOLD)),
        );
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let lines: Vec<Line> = text::wrap(t(lang, "home.empty"), usize::from(inner.width))
            .into_iter()
            .map(Line::from)
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
        return;
    }

    let wide = area.width >= 110;
    let status_w = 8;
    let time_w = if wide { 16 } else { 11 };
    let team_w = if wide { 20 } else { 8 };
    let count_w = 4;
    let points_w = 5;
    let fixed = status_w + time_w + team_w + count_w + points_w + 5;
    let unit_w = usize::from(area.width).saturating_sub(fixed).max(4);
    let header = Row::new(vec![
        text::fit(t(lang, "home.col.status"), status_w),
        text::fit(t(lang, "home.col.unit"), unit_w),
        text::fit(t(lang, "home.col.time"), time_w),
        text::fit(t(lang, "home.col.team"), team_w),
        text::fit(t(lang, "home.col.findings"), count_w),
        text::fit(t(lang, "home.col.points"), points_w),
    ])
    .style(Style::default().add_modifier(Modifier::BOLD));
    // The title and header lines, and the office's line under the rows.
    let chrome_rows = 2 + u16::from(home.office.is_some());
    let height = usize::from(area.height.saturating_sub(chrome_rows));
    let offset = list::offset(home.selected, height);
    let rows = home
        .visits
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, v)| {
            let (status, color) = match v.closed_at {
                None => (t(lang, "home.unfinished"), Color::Yellow),
                Some(_) => (t(lang, "home.closed"), Color::Reset),
            };
            let when = if wide {
                time::show(v.started_at, &state.tz)
            } else {
                time::short(v.started_at, &state.tz)
            };
            let unit = format!("{} ({})", v.unit.name, v.unit.department);
            let row = Row::new(vec![
                text::fit(status, status_w),
                text::fit(&unit, unit_w),
                text::fit(&when, time_w),
                text::fit(
                    &v.team.join(if lang == Lang::Zh { "、" } else { ", " }),
                    team_w,
                ),
                format!("{:>count_w$}", v.findings),
                format!("{:>points_w$}", v.points.to_string()),
            ]);
            let style = if i == home.selected {
                Style::default().add_modifier(Modifier::REVERSED)
            } else {
                Style::default().fg(color)
            };
            row.style(style)
        });
    let widths = [
        Constraint::Length(status_w as u16),
        Constraint::Length(unit_w as u16),
        Constraint::Length(time_w as u16),
        Constraint::Length(team_w as u16),
        Constraint::Length(count_w as u16),
        Constraint::Length(points_w as u16),
    ];
    let title =
        Line::from(t(lang, "home.title")).style(Style::default().add_modifier(Modifier::BOLD));
    let mut block = Block::new().title(title);
    if let Some(warning) = overdue_warning(home, state) {
        block = block.title_top(warning.right_aligned());
    }
    if let Some(standing) = &home.office {
        block = block.title_bottom(office_line(standing, lang));
    }
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .block(block);
    frame.render_widget(table, area);
}

/// Under the list: which office decides what counts (or that none does),
/// and, in red, how many events were refused, so nobody takes a ledger with
/// refused events for a clean one.
fn office_line(standing: &OfficeStanding, lang: Lang) -> Line<'static> {
    use ratatui::text::Span;
    let mut spans = Vec::new();
    // The warning comes first: on a narrow terminal the rest is cut.
    if standing.refused > 0 {
        let n = standing.refused.to_string();
        spans.push(Span::styled(
            crate::i18n::tf(lang, "home.refused", &[("n", &n)]),
            Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
        ));
    }
    spans.push(match &standing.office {
        Some(fingerprint) => Span::raw(crate::i18n::tf(
            lang,
            "home.office",
            &[("fingerprint", fingerprint)],
        )),
        None => Span::styled(
            t(lang, "home.open_mode"),
            Style::default().fg(Color::Yellow),
        ),
    });
    Line::from(spans)
}

/// "3 overdue rectifications" in red on the title line, and those due
/// within the warning days in yellow, so a supervisor sees deadlines come
/// and pass without opening Review.
fn overdue_warning(home: &HomeState, state: &State) -> Option<Line<'static>> {
    let shown = |(count, capped): (u64, bool)| {
        if capped {
            format!("{count}+")
        } else {
            count.to_string()
        }
    };
    let mut spans = Vec::new();
    if home.due_soon.0 > 0 {
        let text = crate::i18n::tf(
            state.lang,
            "home.due_soon",
            &[
                ("n", &shown(home.due_soon)),
                ("days", &state.deadline_warning_days),
            ],
        );
        spans.push(Span::styled(text, Style::default().fg(Color::Yellow)));
    }
    if home.overdue.0 > 0 {
        if !spans.is_empty() {
            spans.push(Span::raw("  "));
        }
        let text = crate::i18n::tf(state.lang, "home.overdue", &[("n", &shown(home.overdue))]);
        spans.push(Span::styled(
            text,
            Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
        ));
    }
    (!spans.is_empty()).then(|| Line::from(spans))
}
