//! Visit: walk the checklists, one tab per checklist, with a progress gauge
//! per checklist and the running tally of points the visit deducts.

use crate::command::Command;
use crate::effect::Effect;
use crate::i18n::{t, tf};
use crate::model::{FindingView, VisitView};
use crate::screens::editor::EditorState;
use crate::screens::history::HistoryState;
use crate::screens::overlay::{Overlay, Question};
use crate::screens::{Ctx, Nav, Out};
use crate::state::{Screen, State};
use crate::text;
use crate::widgets::{chrome, field, list, time};
use anfang_core::finding::{FindingRecord, FindingResult};
use anfang_core::manifest::{ChecklistSnapshot, Item};
use anfang_core::rule::{Rule, RuleInput};
use anfang_core::{Lang, Points};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Gauge, Paragraph, Row, Table};
use uuid::Uuid;

/// Which list has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    /// The checklist's items.
    #[default]
    Items,
    /// The findings on the selected item.
    Findings,
}

/// The visit screen's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VisitState {
    /// The visit.
    pub visit_id: Uuid,
    /// The visit as last read; `None` while loading.
    pub view: Option<VisitView>,
    /// Selected checklist.
    pub tab: usize,
    /// Selected item.
    pub item: usize,
    /// Focused list.
    pub pane: Pane,
    /// Selected finding on the item.
    pub finding: usize,
}

impl VisitState {
    /// A visit about to be read.
    pub fn loading(visit_id: Uuid) -> VisitState {
        VisitState {
            visit_id,
            ..VisitState::default()
        }
    }

    /// Takes a freshly read visit, keeping the selection where it can.
    pub fn loaded(&mut self, view: VisitView) {
        self.tab = self.tab.min(view.checklists.len().saturating_sub(1));
        self.view = Some(view);
        self.clamp();
    }

    fn clamp(&mut self) {
        let items = self
            .checklist()
            .map(|c| c.checklist.items.len())
            .unwrap_or(0);
        self.item = self.item.min(items.saturating_sub(1));
        let findings = self.item_findings().len();
        self.finding = self.finding.min(findings.saturating_sub(1));
        if findings == 0 {
            self.pane = Pane::Items;
        }
    }

    /// The selected checklist.
    pub fn checklist(&self) -> Option<&ChecklistSnapshot> {
        self.view.as_ref()?.checklists.get(self.tab)
    }

    /// The selected item with its checklist.
    pub fn selected_item(&self) -> Option<(&ChecklistSnapshot, &Item)> {
        let checklist = self.checklist()?;
        Some((checklist, checklist.checklist.items.get(self.item)?))
    }

    /// The findings on the selected item.
    pub fn item_findings(&self) -> Vec<&FindingView> {
        match (self.view.as_ref(), self.selected_item()) {
            (Some(view), Some((checklist, item))) => view.findings_on(checklist, item),
            _ => Vec::new(),
        }
    }

    /// The finding a command applies to: the selected one in the findings
    /// pane, else the item's latest.
    pub fn selected_finding(&self) -> Option<&FindingView> {
        let findings = self.item_findings();
        match self.pane {
            Pane::Findings => findings.get(self.finding).copied(),
            Pane::Items => findings.last().copied(),
        }
    }

    fn closed(&self) -> bool {
        self.view.as_ref().is_some_and(VisitView::closed)
    }
}

/// Shows a rule in one line, with ASCII in place of the dash and `≤`, whose
/// East Asian width is ambiguous (two cells in some Chinese terminals).
pub fn rule_text(rule: &Rule, lang: Lang) -> String {
    crate::text::plain(&rule.describe(lang)).into_owned()
}

/// Runs a command on the visit screen.
pub fn update(visit: &mut VisitState, ctx: &Ctx<'_>, command: Command) -> Out {
    let lang = ctx.lang;
    let Some(view) = visit.view.as_ref() else {
        return match command {
            Command::Back | Command::Quit => Out::nav(Nav::Pop).with(Effect::LoadHome {
                offer_resume: false,
            }),
            _ => Out::none(),
        };
    };
    let tabs = view.checklists.len();
    let writes = matches!(
        command,
        Command::Violation
            | Command::Compliant
            | Command::NotApplicable
            | Command::AddFinding
            | Command::Attach
            | Command::AddChecklist
            | Command::CloseVisit
    );
    if writes && visit.closed() {
        return Out::error(t(lang, "visit.read_only"));
    }
    let page = isize::try_from(ctx.size.1.saturating_sub(12))
        .unwrap_or(1)
        .max(1);
    let items = visit
        .checklist()
        .map(|c| c.checklist.items.len())
        .unwrap_or(0);
    let findings = visit.item_findings().len();
    let (sel, len) = match visit.pane {
        Pane::Items => (visit.item, items),
        Pane::Findings => (visit.finding, findings),
    };
    let moved = match command {
        Command::Up => Some(list::step(sel, -1, len)),
        Command::Down => Some(list::step(sel, 1, len)),
        Command::PageUp => Some(list::step(sel, -page, len)),
        Command::PageDown => Some(list::step(sel, page, len)),
        Command::Top => Some(0),
        Command::Bottom => Some(len.saturating_sub(1)),
        _ => None,
    };
    if let Some(to) = moved {
        match visit.pane {
            Pane::Items => {
                visit.item = to;
                visit.finding = 0;
            }
            Pane::Findings => visit.finding = to,
        }
        return Out::none();
    }
    match command {
        Command::NextTab | Command::PrevTab if tabs > 0 => {
            let delta = if command == Command::NextTab {
                1
            } else {
                tabs - 1
            };
            visit.tab = (visit.tab + delta) % tabs;
            visit.item = 0;
            visit.finding = 0;
            visit.pane = Pane::Items;
            Out::none()
        }
        Command::SwitchPane => {
            visit.pane = match visit.pane {
                Pane::Items if findings > 0 => Pane::Findings,
                _ => Pane::Items,
            };
            Out::none()
        }
        Command::Violation => new_finding(visit, ctx, true),
        Command::AddFinding => new_finding(visit, ctx, false),
        Command::Compliant | Command::NotApplicable => {
            if findings > 0 {
                return Out::error(t(lang, "visit.already_recorded"));
            }
            let result = if command == Command::Compliant {
                FindingResult::Compliant
            } else {
                FindingResult::NotApplicable
            };
            quick_record(visit, ctx, result)
        }
        Command::Select => {
            if visit.closed() {
                return history(visit);
            }
            match (visit.pane, findings) {
                (Pane::Items, 0) => new_finding(visit, ctx, false),
                (Pane::Items, 1) | (Pane::Findings, _) => correct(visit, ctx),
                (Pane::Items, _) => {
                    visit.pane = Pane::Findings;
                    Out::none()
                }
            }
        }
        Command::History => history(visit),
        Command::Attach => match visit.selected_finding() {
            Some(f) => Out::nav(Nav::Overlay(Overlay::AttachPath {
                finding_id: f.record.finding_id,
                visit_id: visit.visit_id,
                path: field::line(""),
            })),
            None => Out::error(t(lang, "visit.no_finding")),
        },
        Command::OpenEvidence => match visit.selected_finding().and_then(|f| f.evidence.last()) {
            Some(e) => Out::effect(Effect::OpenEvidence {
                sha256: e.sha256.clone(),
                file_name: e.file_name.clone(),
            }),
            None => Out::error(t(lang, "visit.no_evidence")),
        },
        Command::AddChecklist => {
            let options = ctx
                .catalog
                .manifests
                .iter()
                .flat_map(|m| m.snapshots().into_iter().map(move |s| (m, s)))
                .filter(|(_, s)| {
                    !view
                        .checklists
                        .iter()
                        .any(|c| c.plugin_id == s.plugin_id && c.checklist.id == s.checklist.id)
                })
                .map(|(m, s)| {
                    (
                        format!("{} - {}", s.checklist.label.get(lang), m.name.get(lang)),
                        s,
                    )
                })
                .collect();
            Out::nav(Nav::Overlay(Overlay::AddChecklist {
                visit_id: visit.visit_id,
                options,
                selected: 0,
            }))
        }
        Command::CloseVisit => {
            let text = tf(
                lang,
                "visit.close_question",
                &[
                    ("unit", &view.summary.unit.name),
                    ("findings", &view.summary.findings),
                    ("points", &view.tally()),
                ],
            );
            Out::nav(Nav::Overlay(Overlay::Question(Question::Close {
                visit_id: visit.visit_id,
                text,
            })))
        }
        Command::Back | Command::Quit => Out::nav(Nav::Pop).with(Effect::LoadHome {
            offer_resume: false,
        }),
        _ => Out::none(),
    }
}

fn new_finding(visit: &VisitState, ctx: &Ctx<'_>, quick: bool) -> Out {
    let Some((checklist, item)) = visit.selected_item() else {
        return Out::none();
    };
    let editor = EditorState::new_finding(ctx, visit.visit_id, checklist, item, quick);
    Out::nav(Nav::Push(Screen::Editor(Box::new(editor))))
}

fn correct(visit: &VisitState, ctx: &Ctx<'_>) -> Out {
    let (Some((checklist, item)), Some(finding)) =
        (visit.selected_item(), visit.selected_finding())
    else {
        return Out::none();
    };
    let editor = EditorState::correct(ctx, checklist, item, finding);
    Out::nav(Nav::Push(Screen::Editor(Box::new(editor))))
}

fn history(visit: &VisitState) -> Out {
    match visit.selected_finding() {
        Some(f) => {
            let id = f.record.finding_id;
            Out::nav(Nav::Push(Screen::History(HistoryState::loading(id))))
                .with(Effect::LoadHistory(id))
        }
        None => Out::none(),
    }
}

fn quick_record(visit: &VisitState, ctx: &Ctx<'_>, result: FindingResult) -> Out {
    let Some((checklist, item)) = visit.selected_item() else {
        return Out::none();
    };
    let record = FindingRecord {
        finding_id: Uuid::now_v7(),
        visit_id: visit.visit_id,
        item: checklist.item_ref(item),
        result,
        input: RuleInput::default(),
        subject: None,
        note: String::new(),
        observed_at: ctx.now,
        points: Points::ZERO,
        points_by_hand: false,
        supersedes: None,
        source: None,
    };
    Out::effect(Effect::RecordFinding {
        record,
        compute: None,
    })
}

struct Areas {
    tabs: Rect,
    gauge: Rect,
    items: Rect,
    detail: Rect,
}

fn areas(body: Rect) -> Areas {
    let detail_h = if body.height >= 30 { 12 } else { 8 };
    let [tabs, gauge, items, detail] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(detail_h),
    ])
    .areas(body);
    Areas {
        tabs,
        gauge,
        items,
        detail,
    }
}

/// A click selects an item, a finding or a tab.
pub fn click(visit: &mut VisitState, ctx: &Ctx<'_>, x: u16, y: u16) {
    let (_, body, _) = chrome::split(Rect::new(0, 0, ctx.size.0, ctx.size.1));
    let a = areas(body);
    let items = visit
        .checklist()
        .map(|c| c.checklist.items.len())
        .unwrap_or(0);
    if let Some(i) = list::hit(a.items, 1, x, y, visit.item, items) {
        visit.item = i;
        visit.finding = 0;
        visit.pane = Pane::Items;
    } else if y == a.tabs.y {
        let Some(view) = &visit.view else { return };
        let hit = tab_layout(view, visit.tab, ctx.lang, a.tabs.width)
            .into_iter()
            .find(|(_, start, w, _)| x >= a.tabs.x + start && x < a.tabs.x + start + w);
        if let Some((i, ..)) = hit {
            visit.tab = i;
            visit.item = 0;
            visit.finding = 0;
            visit.pane = Pane::Items;
        }
    } else {
        let findings = visit.item_findings().len();
        let top = a.detail.y + 1 + DETAIL_RULE_ROWS;
        if y >= top && y < a.detail.y + a.detail.height && usize::from(y - top) < findings {
            visit.pane = Pane::Findings;
            visit.finding = usize::from(y - top);
        }
    }
}

const DETAIL_RULE_ROWS: u16 = 2;

/// A tab's title; brackets mark the selected one where colours are lost
/// (text captures, monochrome terminals).
fn tab_title(view: &VisitView, c: &ChecklistSnapshot, lang: Lang, selected: bool) -> String {
    let (done, total) = view.progress(c);
    let (open, close) = if selected { ("[", "]") } else { (" ", " ") };
    format!(
        "{open}{} {done}/{total}{close}",
        c.checklist.label.get(lang)
    )
}

/// Where each visible tab goes: (index, start column, width, title).
/// A narrow terminal shows the selected tab and its neighbours rather than
/// cutting it off; `<` and `>` mark hidden tabs.
fn tab_layout(
    view: &VisitView,
    selected: usize,
    lang: Lang,
    width: u16,
) -> Vec<(usize, u16, u16, String)> {
    let titles: Vec<String> = view
        .checklists
        .iter()
        .enumerate()
        .map(|(i, c)| tab_title(view, c, lang, i == selected))
        .collect();
    let width = usize::from(width);
    let mut first = 0;
    while first < selected
        && 1 + titles[first..=selected]
            .iter()
            .map(|t| text::width(t) + 1)
            .sum::<usize>()
            > width
    {
        first += 1;
    }
    let mut out = Vec::new();
    let mut used = usize::from(first > 0);
    for (i, title) in titles.into_iter().enumerate().skip(first) {
        let w = text::width(&title);
        if used + w + 2 > width && i + 1 < view.checklists.len() || used + w > width {
            break;
        }
        out.push((i, used as u16, w as u16, title));
        used += w + 1;
    }
    out
}

fn mark(findings: &[&FindingView]) -> (&'static str, Style) {
    if findings
        .iter()
        .any(|f| f.record.result == FindingResult::Violation)
    {
        (
            "[!]",
            Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
        )
    } else if findings
        .iter()
        .any(|f| f.record.result == FindingResult::Compliant)
    {
        ("[v]", Style::default().fg(Color::Green))
    } else if findings.is_empty() {
        ("[ ]", Style::default())
    } else {
        ("[-]", Style::default().fg(Color::DarkGray))
    }
}

/// Draws the visit screen.
pub fn view(visit: &VisitState, state: &State, frame: &mut Frame<'_>) {
    let lang = state.lang;
    let (title, body, footer) = chrome::split(frame.area());
    chrome::footer(
        frame,
        footer,
        state,
        &[
            Command::Violation,
            Command::Select,
            Command::NextTab,
            Command::CloseVisit,
            Command::Back,
        ],
    );
    let Some(view) = &visit.view else {
        chrome::title(frame, title, t(lang, "visit.title"), "");
        frame.render_widget(Paragraph::new(t(lang, "common.loading")), body);
        return;
    };
    let s = &view.summary;
    let sep = if lang == Lang::Zh { "、" } else { ", " };
    chrome::title(
        frame,
        title,
        &format!("{} ({})", s.unit.name, s.unit.department),
        &format!(
            "{} {} {}",
            s.kind.label().get(lang),
            time::show(s.started_at, &state.tz),
            s.team.join(sep)
        ),
    );
    let a = areas(body);
    draw_tabs(frame, a.tabs, view, visit.tab, lang);
    draw_gauge(frame, a.gauge, view, visit, lang);
    draw_items(frame, a.items, view, visit, lang);
    draw_detail(frame, a.detail, visit, state);
}

fn draw_tabs(frame: &mut Frame<'_>, area: Rect, view: &VisitView, selected: usize, lang: Lang) {
    let layout = tab_layout(view, selected, lang, area.width);
    let mut spans = Vec::new();
    if layout.first().is_some_and(|(i, ..)| *i > 0) {
        spans.push(Span::raw("<"));
    }
    for (n, (i, _, _, title)) in layout.iter().enumerate() {
        if n > 0 {
            spans.push(Span::raw("|"));
        }
        let style = if *i == selected {
            Style::default()
                .bg(Color::Cyan)
                .fg(Color::Black)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().fg(Color::Gray)
        };
        spans.push(Span::styled(title.clone(), style));
    }
    if layout
        .last()
        .is_some_and(|(i, ..)| i + 1 < view.checklists.len())
    {
        spans.push(Span::raw(">"));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_gauge(frame: &mut Frame<'_>, area: Rect, view: &VisitView, visit: &VisitState, lang: Lang) {
    let tally = tf(
        lang,
        "visit.tally",
        &[
            ("points", &view.tally()),
            ("findings", &view.summary.findings),
        ],
    );
    let closed = if view.closed() {
        format!(" {}", t(lang, "visit.closed_read_only"))
    } else {
        String::new()
    };
    let right = format!("{tally}{closed}");
    let right_w = (text::width(&right) as u16 + 1).min(area.width * 3 / 5);
    let [gauge_area, right_area] =
        Layout::horizontal([Constraint::Min(10), Constraint::Length(right_w)]).areas(area);
    if let Some(c) = visit.checklist() {
        let (done, total) = view.progress(c);
        let ratio = if total == 0 {
            0.0
        } else {
            done as f64 / total as f64
        };
        let label = tf(
            lang,
            "visit.progress",
            &[("done", &done), ("total", &total)],
        );
        let gauge = Gauge::default()
            .ratio(ratio)
            .label(label)
            .gauge_style(Style::default().fg(Color::Green).bg(Color::DarkGray));
        frame.render_widget(gauge, gauge_area);
    }
    let style = if view.closed() {
        Style::default().fg(Color::Yellow)
    } else {
        Style::default().add_modifier(Modifier::BOLD)
    };
    frame.render_widget(
        Paragraph::new(Span::styled(
            format!(" {}", text::truncate(&right, usize::from(right_w) - 1)),
            style,
        )),
        right_area,
    );
}

fn draw_items(frame: &mut Frame<'_>, area: Rect, view: &VisitView, visit: &VisitState, lang: Lang) {
    let Some(checklist) = visit.checklist() else {
        return;
    };
    let wide = area.width >= 110;
    let rule_w = match (lang, wide) {
        (Lang::Zh, false) => 14,
        (Lang::En, false) => 20,
        (_, true) => 24,
    };
    let points_w = 6;
    let mark_w = 3;
    let label_w = usize::from(area.width)
        .saturating_sub(mark_w + rule_w + points_w + 3)
        .max(4);
    let header = Row::new(vec![
        "".to_string(),
        text::fit(t(lang, "visit.col.item"), label_w),
        text::fit(t(lang, "visit.col.rule"), rule_w),
        text::fit(t(lang, "visit.col.points"), points_w),
    ])
    .style(Style::default().add_modifier(Modifier::BOLD));
    let height = usize::from(area.height.saturating_sub(1));
    let offset = list::offset(visit.item, height);
    let rows = checklist
        .checklist
        .items
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, item)| {
            let findings = view.findings_on(checklist, item);
            let (mark, mark_style) = mark(&findings);
            let points: Points = findings
                .iter()
                .filter(|f| f.record.result == FindingResult::Violation)
                .map(|f| f.record.points)
                .sum();
            let points = if points == Points::ZERO {
                String::new()
            } else {
                format!("-{points}")
            };
            let mut row = Row::new(vec![
                ratatui::widgets::Cell::from(Span::styled(mark, mark_style)),
                ratatui::widgets::Cell::from(text::fit(item.label.get(lang), label_w)),
                ratatui::widgets::Cell::from(text::fit(&rule_text(&item.rule, lang), rule_w)),
                ratatui::widgets::Cell::from(format!("{points:>points_w$}")),
            ]);
            if i == visit.item {
                let style = if visit.pane == Pane::Items {
                    Style::default().add_modifier(Modifier::REVERSED)
                } else {
                    Style::default().add_modifier(Modifier::UNDERLINED)
                };
                row = row.style(style);
            }
            row
        });
    let widths = [
        Constraint::Length(mark_w as u16),
        Constraint::Length(label_w as u16),
        Constraint::Length(rule_w as u16),
        Constraint::Length(points_w as u16),
    ];
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        area,
    );
}

fn draw_detail(frame: &mut Frame<'_>, area: Rect, visit: &VisitState, state: &State) {
    let lang = state.lang;
    let Some((_, item)) = visit.selected_item() else {
        return;
    };
    let block = Block::new().borders(Borders::TOP).title(
        Line::from(text::truncate(
            item.label.get(lang),
            usize::from(area.width).saturating_sub(2),
        ))
        .style(Style::default().add_modifier(Modifier::BOLD)),
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let mut lines: Vec<Line> = Vec::new();
    let hint = item
        .hint
        .as_ref()
        .map(|h| h.get(lang).to_string())
        .unwrap_or_default();
    let rule_line = format!("{}  {hint}", rule_text(&item.rule, lang));
    let mut rule_lines = text::wrap(&rule_line, width);
    rule_lines.truncate(usize::from(DETAIL_RULE_ROWS));
    while rule_lines.len() < usize::from(DETAIL_RULE_ROWS) {
        rule_lines.push(String::new());
    }
    lines.extend(
        rule_lines
            .into_iter()
            .map(|l| Line::from(Span::styled(l, Style::default().fg(Color::Gray)))),
    );
    let findings = visit.item_findings();
    if findings.is_empty() {
        lines.push(Line::from(Span::styled(
            t(lang, "visit.no_findings_on_item"),
            Style::default().fg(Color::DarkGray),
        )));
    }
    for (i, f) in findings.iter().enumerate() {
        let line = text::fit(&finding_line(f, state), width);
        let style = if visit.pane == Pane::Findings && i == visit.finding {
            Style::default().add_modifier(Modifier::REVERSED)
        } else if f.record.result == FindingResult::Violation {
            Style::default().fg(Color::Red)
        } else {
            Style::default()
        };
        lines.push(Line::from(Span::styled(line, style)));
    }
    // The selected finding's whole note, pre-wrapped in display cells, in
    // whatever rows are left (the editor and history show all of it).
    let room = usize::from(inner.height).saturating_sub(lines.len());
    if let Some(f) = visit
        .selected_finding()
        .filter(|f| !f.record.note.trim().is_empty() && room > 0)
    {
        {
            let mut note = text::wrap(f.record.note.trim(), width.saturating_sub(2));
            if note.len() > room {
                note.truncate(room);
                if let Some(last) = note.last_mut() {
                    // Mark that the note goes on, even if this line was short.
                    let keep = width.saturating_sub(2 + text::width(text::ELLIPSIS));
                    *last = format!("{}{}", text::cut(last, keep), text::ELLIPSIS);
                }
            }
            lines.extend(note.into_iter().map(|l| {
                Line::from(Span::styled(
                    format!("  {l}"),
                    Style::default().fg(Color::Gray),
                ))
            }));
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// One finding in one line: time, result, count, points, who, note.
pub fn finding_line(f: &FindingView, state: &State) -> String {
    let lang = state.lang;
    let r = &f.record;
    let mut parts = vec![
        r.observed_at
            .to_zoned_datetime(state.tz.clone())
            .strftime("%H:%M")
            .to_string(),
        r.result.label().get(lang).to_string(),
    ];
    if r.result == FindingResult::Violation {
        parts.push(format!("x{}", r.input.count));
        parts.push(format!("-{}", r.points));
    }
    if let Some(subject) = r.subject.as_deref().filter(|s| !s.is_empty()) {
        parts.push(subject.to_string());
    }
    if f.versions > 1 {
        parts.push(tf(lang, "visit.version", &[("n", &f.versions)]));
    }
    if !f.evidence.is_empty() {
        parts.push(tf(lang, "visit.files", &[("n", &f.evidence.len())]));
    }
    if f.conflict {
        parts.push(t(lang, "visit.conflict").to_string());
    }
    let note = text::first_line(&r.note);
    if !note.is_empty() {
        parts.push(note.to_string());
    }
    parts.join(" ")
}
