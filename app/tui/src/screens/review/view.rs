//! Draws the review screen: title with the count and sort, the filter line
//! (or the search field), the table of the rows in view, the detail pane
//! and any open form. Overdue rectifications are drawn in red with a `!`,
//! those whose deadline is near in yellow.

use super::batch::BatchForm;
use super::columns::{Column, columns, widths};
use super::decide::DecisionForm;
use super::filter::{Field, FilterForm};
use super::go_back::GoBackForm;
use super::layout::{Areas, areas};
use super::{COUNT_CAP, Mode, ReviewState, today};
use crate::command::Command;
use crate::convert;
use crate::i18n::{t, tf};
use crate::screens::history;
use crate::state::State;
use crate::text;
use crate::widgets::{chrome, field, time};
use anfang_core::Lang;
use anfang_ledger::review_query::{ReviewDetail, ReviewRow, SortKey};
use jiff::civil::Date;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table};

/// The column's name.
pub fn sort_label(key: SortKey, lang: Lang) -> &'static str {
    t(
        lang,
        match key {
            SortKey::Time => "review.col.time",
            SortKey::Unit => "review.col.unit",
            SortKey::Department => "review.col.department",
            SortKey::Item => "review.col.item",
            SortKey::Count => "review.col.count",
            SortKey::Points => "review.col.points",
            SortKey::Inspector => "review.col.inspector",
            SortKey::Status => "review.col.status",
            SortKey::Deadline => "review.col.deadline",
        },
    )
}

fn ctx_today(state: &State) -> Date {
    today(&state.ctx())
}

fn count_text(review: &ReviewState, lang: Lang) -> String {
    match review.count {
        None => t(lang, "common.loading").to_string(),
        Some((n, false)) => tf(lang, "review.count", &[("n", &n)]),
        Some((_, true)) => tf(lang, "review.count_more", &[("n", &COUNT_CAP)]),
    }
}

/// Draws the review screen.
pub fn view(review: &ReviewState, state: &State, frame: &mut Frame<'_>) {
    let lang = state.lang;
    let size = frame.area();
    let (title, _, footer) = chrome::split(size);
    let order = t(
        lang,
        if review.sort.descending {
            "review.desc"
        } else {
            "review.asc"
        },
    );
    let position = review
        .window
        .position()
        .map(|p| format!("#{} ", p + 1))
        .unwrap_or_default();
    chrome::title(
        frame,
        title,
        &format!("{}: {}", t(lang, "review.title"), count_text(review, lang)),
        &format!(
            "{position}{} {} {order}",
            t(lang, "review.sorted_by"),
            sort_label(review.sort.key, lang)
        ),
    );
    let hints: &[Command] = match review.mode {
        // With the detail open, the steps the finding's status allows next.
        Mode::Table if review.show_detail => detail_hints(review),
        Mode::Table => &[
            Command::Select,
            Command::Search,
            Command::Filter,
            Command::Overdue,
            Command::SortNext,
            Command::Confirm,
            Command::Dismiss,
            Command::Rectify,
            Command::Back,
        ],
        _ => &[Command::Select, Command::Back],
    };
    chrome::footer(frame, footer, state, hints);
    let a = areas((size.width, size.height), review);
    summary_line(review, state, frame, &a);
    table(review, state, frame, a.table);
    if let Some(area) = a.detail {
        detail(review, state, frame, area);
    }
    if let Some(area) = a.form {
        match &review.mode {
            Mode::Filter(form) => filter_form(form, state, frame, area),
            Mode::Decide(form) => decision_form(form, state, frame, area),
            Mode::Table | Mode::Search(_) | Mode::GoBack(_) | Mode::Batch(_) => {}
        }
    }
    if let Mode::GoBack(form) = &review.mode {
        go_back_popup(form, state, frame);
    }
    if let Mode::Batch(form) = &review.mode {
        batch_popup(form, state, frame);
    }
}

/// The question before a visit's pending findings are confirmed together.
fn batch_popup(form: &BatchForm, state: &State, frame: &mut Frame<'_>) {
    let lang = state.lang;
    let width = frame.area().width.saturating_sub(4).min(76);
    let inner_w = usize::from(width.saturating_sub(2)).max(4);
    let summary = tf(
        lang,
        "review.batch.summary",
        &[("n", &form.findings.len()), ("points", &form.total())],
    );
    let mut lines = vec![Line::from(text::truncate(&form.about, inner_w))];
    let bold = Style::default().add_modifier(Modifier::BOLD);
    for (text, style) in [
        (summary.as_str(), bold),
        (t(lang, "review.batch.each"), Style::default()),
        (
            t(lang, "review.batch.hint"),
            Style::default().fg(Color::Gray),
        ),
    ] {
        lines.extend(
            text::wrap(text, inner_w)
                .into_iter()
                .map(|l| Line::from(Span::styled(l, style))),
        );
    }
    popup(frame, t(lang, "review.batch.title"), width, lines);
}

/// A bordered pop-up `width` wide in the middle of the screen holding
/// `lines`; returns the area inside its border.
fn popup(frame: &mut Frame<'_>, title: &str, width: u16, lines: Vec<Line<'static>>) -> Rect {
    let area = frame.area();
    let height = u16::try_from(lines.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let popup = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + area.height.saturating_sub(height) / 2,
        width,
        height,
    );
    frame.render_widget(ratatui::widgets::Clear, popup);
    let block = Block::bordered().title(
        Line::from(title.to_string()).style(
            Style::default()
                .add_modifier(Modifier::BOLD)
                .fg(Color::Yellow),
        ),
    );
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    frame.render_widget(Paragraph::new(lines), inner);
    inner
}

/// The question before a decision moves a finding back: what changes, the
/// reason, and how to go on or cancel.
fn go_back_popup(form: &GoBackForm, state: &State, frame: &mut Frame<'_>) {
    let lang = state.lang;
    let area = frame.area();
    let width = area.width.saturating_sub(4).min(76);
    let inner_w = usize::from(width.saturating_sub(2)).max(4);
    let changes = form.changes(lang);
    let (message, message_style) = match &form.error {
        Some(e) => (e.clone(), Style::default().fg(Color::Red)),
        None => (
            t(lang, "review.back.hint").to_string(),
            Style::default().fg(Color::Gray),
        ),
    };
    let message = text::wrap(&message, inner_w);
    let mut lines: Vec<Line> = vec![Line::from(text::truncate(&form.about, inner_w))];
    for (i, change) in changes.iter().enumerate() {
        let style = if i == 0 {
            Style::default()
                .add_modifier(Modifier::BOLD)
                .fg(Color::Yellow)
        } else {
            Style::default()
        };
        lines.extend(
            text::wrap(change, inner_w)
                .into_iter()
                .map(|l| Line::from(Span::styled(l, style))),
        );
    }
    let reason_y = lines.len();
    lines.push(Line::from(""));
    lines.extend(
        message
            .into_iter()
            .map(|l| Line::from(Span::styled(l, message_style))),
    );
    let inner = popup(frame, t(lang, "review.back.title"), width, lines);
    let y = inner.y + u16::try_from(reason_y).unwrap_or(0);
    if y < inner.y + inner.height {
        labelled_field(
            frame,
            inner,
            y,
            t(lang, "review.back.reason"),
            &form.reason,
            true,
        );
    }
}

/// `label: [field]` on line `y` of `inner`.
/// The footer with the detail open: the next steps of the selected
/// finding's life, then history, evidence and the way back.
fn detail_hints(review: &ReviewState) -> &'static [Command] {
    use anfang_core::review::ReviewStatus::*;
    match review.window.current().map(|r| r.status()) {
        Some(Confirmed) => &[
            Command::Rectify,
            Command::Appeal,
            Command::AppealUphold,
            Command::AppealDeny,
            Command::History,
            Command::Back,
        ],
        Some(RectificationRequired) => &[
            Command::MarkRectified,
            Command::Recheck,
            Command::History,
            Command::OpenEvidence,
            Command::Back,
        ],
        Some(Rectified) => &[
            Command::Verify,
            Command::RejectRectification,
            Command::Recheck,
            Command::History,
            Command::Back,
        ],
        _ => &[
            Command::Select,
            Command::SwitchPane,
            Command::History,
            Command::OpenEvidence,
            Command::Confirm,
            Command::Dismiss,
            Command::Rectify,
            Command::Back,
        ],
    }
}

fn labelled_field(
    frame: &mut Frame<'_>,
    inner: Rect,
    y: u16,
    label: &str,
    area: &ratatui_textarea::TextArea<'static>,
    focused: bool,
) {
    let label = format!("{label}: ");
    let lw = u16::try_from(text::width(&label))
        .unwrap_or(0)
        .min(inner.width);
    frame.render_widget(Paragraph::new(label), Rect::new(inner.x, y, lw, 1));
    field::draw(
        frame,
        Rect::new(inner.x + lw, y, inner.width - lw, 1),
        area,
        focused,
        Style::default().bg(Color::DarkGray),
    );
}

fn summary_line(review: &ReviewState, state: &State, frame: &mut Frame<'_>, a: &Areas) {
    let lang = state.lang;
    let area = a.summary;
    if let Mode::Search(words) = &review.mode {
        let label = format!(" {}: ", t(lang, "review.search"));
        let w = u16::try_from(text::width(&label))
            .unwrap_or(0)
            .min(area.width);
        frame.render_widget(Paragraph::new(label), Rect { width: w, ..area });
        let input = Rect {
            x: area.x + w,
            width: area.width - w,
            ..area
        };
        field::draw(
            frame,
            input,
            words,
            true,
            Style::default().bg(Color::DarkGray),
        );
        return;
    }
    let shown = if review.filters.any() {
        format!(
            " {} {}",
            t(lang, "review.filtered"),
            review.filters.summary(lang)
        )
    } else {
        format!(" {}", t(lang, "review.unfiltered"))
    };
    frame.render_widget(
        Paragraph::new(text::truncate(&shown, usize::from(area.width)))
            .style(Style::default().fg(Color::Cyan)),
        area,
    );
}

/// Red once a rectification is overdue, yellow from the set number of days
/// before its deadline.
pub fn deadline_style(row: &ReviewRow, today: Date, warn_days: u32) -> Style {
    if row.overdue(today) {
        Style::default().fg(Color::Red).add_modifier(Modifier::BOLD)
    } else if row.state.due_soon(today, warn_days) {
        Style::default().fg(Color::Yellow)
    } else {
        Style::default()
    }
}

/// One cell of the table, fitted to its width.
fn cell(
    r: &ReviewRow,
    col: Column,
    width: usize,
    wide: bool,
    state: &State,
    today: Date,
) -> String {
    let lang = state.lang;
    // Padded by display width: a Chinese character takes two cells.
    let right = |text: String| {
        let text = text::truncate(&text, width);
        format!(
            "{}{text}",
            " ".repeat(width.saturating_sub(text::width(&text)))
        )
    };
    match col {
        Column::Sorted(SortKey::Time) => {
            let when = if wide {
                time::show(r.observed_at, &state.tz)
            } else {
                time::short(r.observed_at, &state.tz)
            };
            text::fit(&when, width)
        }
        Column::Sorted(SortKey::Unit) => {
            text::fit(if r.unit.is_empty() { "?" } else { &r.unit }, width)
        }
        Column::Sorted(SortKey::Department) => text::fit(&r.department, width),
        Column::Sorted(SortKey::Item) => text::fit(&text::plain(r.item.get(lang)), width),
        Column::Sorted(SortKey::Count) => right(r.count.to_string()),
        Column::Sorted(SortKey::Points) => right(r.points.to_string()),
        Column::Sorted(SortKey::Inspector) => text::fit(&r.inspector, width),
        Column::Sorted(SortKey::Status) => text::fit(&status_text(r, today, lang), width),
        Column::Sorted(SortKey::Deadline) => text::fit(
            &r.state.deadline.map(|d| d.to_string()).unwrap_or_default(),
            width,
        ),
        Column::DaysOverdue => right(
            r.state
                .days_overdue(today)
                .map(|n| tf(lang, "review.days_overdue", &[("n", &n)]))
                .unwrap_or_default(),
        ),
    }
}

fn status_text(row: &ReviewRow, today: Date, lang: Lang) -> String {
    let label = row.status().label().get(lang).to_string();
    if row.overdue(today) {
        format!("{label}!")
    } else {
        label
    }
}

fn table(review: &ReviewState, state: &State, frame: &mut Frame<'_>, area: Rect) {
    let lang = state.lang;
    if !review.loaded {
        frame.render_widget(Paragraph::new(t(lang, "common.loading")), area);
        return;
    }
    if review.window.rows.is_empty() {
        let lines: Vec<Line> = text::wrap(t(lang, "review.empty"), usize::from(area.width).max(2))
            .into_iter()
            .map(Line::from)
            .collect();
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    let wide = area.width >= 110;
    let cols = columns(review.filters.overdue);
    let w = widths(&cols, usize::from(area.width), wide);
    let header = Row::new(
        cols.iter()
            .zip(&w)
            .map(|(col, width)| {
                let mut name = match col {
                    Column::Sorted(key) => sort_label(*key, lang).to_string(),
                    Column::DaysOverdue => t(lang, "review.col.days_overdue").to_string(),
                };
                if *col == Column::Sorted(review.sort.key) {
                    // The marker always shows: a narrow column gives up the
                    // end of its name, not the sign it is sorted by.
                    let marker = if review.sort.descending { " v" } else { " ^" };
                    let room = width.saturating_sub(text::width(marker));
                    if text::width(&name) > room {
                        name = text::cut(&name, room);
                    }
                    name.push_str(marker);
                }
                text::fit(&name, *width)
            })
            .collect::<Vec<_>>(),
    )
    .style(Style::default().add_modifier(Modifier::BOLD));
    let today = ctx_today(state);
    let height = usize::from(area.height.saturating_sub(1));
    let window = &review.window;
    let rows = window
        .rows
        .iter()
        .enumerate()
        .skip(window.offset)
        .take(height)
        .map(|(i, r)| {
            let cells: Vec<String> = cols
                .iter()
                .zip(&w)
                .map(|(col, width)| cell(r, *col, *width, wide, state, today))
                .collect();
            let style = if i == window.selected {
                Style::default().add_modifier(Modifier::REVERSED)
            } else {
                deadline_style(r, today, state.deadline_warning_days)
            };
            Row::new(cells).style(style)
        });
    let constraints: Vec<Constraint> = w.iter().map(|c| Constraint::Length(*c as u16)).collect();
    frame.render_widget(
        Table::new(rows, constraints)
            .header(header)
            .column_spacing(1),
        area,
    );
}

/// The detail pane's lines: the finding, its status, the whole note, and
/// its history (every version, the evidence, every decision).
pub fn detail_lines(d: &ReviewDetail, state: &State, width: usize) -> Vec<Line<'static>> {
    let lang = state.lang;
    let r = &d.row;
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let mut out: Vec<Line<'static>> = Vec::new();
    let wrapped = |out: &mut Vec<Line<'static>>, line: String, style: Style| {
        out.extend(
            text::wrap(&text::plain(&line), width.max(4))
                .into_iter()
                .map(|l| Line::from(Span::styled(l, style))),
        );
    };
    let unit = if r.unit.is_empty() {
        "?".to_string()
    } else {
        format!("{} ({})", r.unit, r.department)
    };
    wrapped(&mut out, unit, bold);
    if let Some(typed) = &r.unit_typed {
        // The record shows what was written in the field before the office mapped it.
        wrapped(
            &mut out,
            tf(lang, "review.detail.unit_typed", &[("name", typed)]),
            Style::default(),
        );
    }
    let rule = r
        .rule
        .as_ref()
        .map(|rule| rule.describe(lang))
        .unwrap_or_default();
    wrapped(
        &mut out,
        format!("{} / {}  {rule}", r.checklist.get(lang), r.item.get(lang)),
        Style::default(),
    );
    let points = if r.points == r.recorded_points {
        tf(
            lang,
            "review.detail.points",
            &[("count", &r.count), ("points", &r.points)],
        )
    } else {
        tf(
            lang,
            "review.detail.points_reviewed",
            &[
                ("count", &r.count),
                ("points", &r.points),
                ("recorded", &r.recorded_points),
            ],
        )
    };
    wrapped(&mut out, points, Style::default());
    wrapped(
        &mut out,
        format!(
            "{} {}  {} {}",
            t(lang, "review.detail.observed"),
            time::show(r.observed_at, &state.tz),
            t(lang, "review.detail.team"),
            d.team.join(if lang == Lang::Zh { "、" } else { ", " })
        ),
        Style::default(),
    );
    if let Some(subject) = &r.subject {
        wrapped(
            &mut out,
            format!("{}: {subject}", t(lang, "editor.subject")),
            Style::default(),
        );
    }
    let today = ctx_today(state);
    let mut status = format!(
        "{}: {}",
        t(lang, "review.col.status"),
        r.status().label().get(lang)
    );
    if let Some(deadline) = r.state.deadline {
        status.push_str(&format!(
            "  {} {deadline}",
            t(lang, "review.detail.deadline")
        ));
    }
    let overdue = r.overdue(today);
    if overdue {
        status.push_str(&format!("  {}", t(lang, "review.detail.overdue")));
    }
    let status_style = deadline_style(r, today, state.deadline_warning_days).patch(bold);
    wrapped(&mut out, status, status_style);
    out.push(Line::from(""));
    wrapped(&mut out, d.note.clone(), Style::default().fg(Color::Yellow));
    out.push(Line::from(""));
    let view = convert::history(r.finding_id, d.history.clone());
    out.extend(history::lines(&view, state, width));
    for (visit, started) in &d.rechecks {
        let id = visit.to_string();
        let started = started
            .parse::<jiff::Timestamp>()
            .map_or_else(|_| started.clone(), |at| time::show(at, &state.tz));
        wrapped(
            &mut out,
            tf(
                lang,
                "review.detail.recheck",
                &[("visit", &id), ("started", &started)],
            ),
            Style::default().fg(Color::Cyan),
        );
    }
    if !d.refused.is_empty() {
        // Shown, never hidden: what someone tried that does not count.
        out.push(Line::from(""));
        let heading = anfang_core::Label::new(
            "未计入的事件（未授权或无效）",
            "Not counted (unauthorized or invalid)",
        );
        wrapped(&mut out, heading.get(lang).to_string(), bold.fg(Color::Red));
        for refused in &d.refused {
            let reason = match lang {
                anfang_core::Lang::Zh => &refused.reason_zh,
                anfang_core::Lang::En => &refused.reason,
            };
            let who = anfang_ledger::short(&refused.device);
            wrapped(
                &mut out,
                format!("{} {who}#{}: {reason}", refused.kind, refused.seq),
                Style::default().fg(Color::Red),
            );
        }
    }
    out
}

fn detail(review: &ReviewState, state: &State, frame: &mut Frame<'_>, area: Rect) {
    let lang = state.lang;
    let title = if review.detail_focus {
        format!(
            "{} ({})",
            t(lang, "review.detail.title"),
            t(lang, "review.detail.scrolling")
        )
    } else {
        t(lang, "review.detail.title").to_string()
    };
    let border = if review.detail_focus {
        Color::Cyan
    } else {
        Color::Reset
    };
    let block = Block::new()
        .borders(Borders::TOP | Borders::LEFT)
        .border_style(Style::default().fg(border))
        .title(Line::from(title).style(Style::default().add_modifier(Modifier::BOLD)));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(d) = &review.detail else {
        frame.render_widget(Paragraph::new(t(lang, "common.loading")), inner);
        return;
    };
    let all = detail_lines(d, state, usize::from(inner.width));
    let skip = review
        .detail_scroll
        .min(all.len().saturating_sub(usize::from(inner.height)));
    let lines: Vec<Line> = all
        .into_iter()
        .skip(skip)
        .take(usize::from(inner.height))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn form_block(title: String, area: Rect, frame: &mut Frame<'_>) -> Rect {
    let block = Block::new().borders(Borders::TOP).title(
        Line::from(text::truncate(&title, usize::from(area.width))).style(
            Style::default()
                .add_modifier(Modifier::BOLD)
                .fg(Color::Cyan),
        ),
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

fn filter_form(form: &FilterForm, state: &State, frame: &mut Frame<'_>, area: Rect) {
    let lang = state.lang;
    let inner = form_block(t(lang, "review.filter.title").to_string(), area, frame);
    let label_w = Field::ALL
        .iter()
        .map(|f| text::width(t(lang, f.label())))
        .max()
        .unwrap_or(8)
        + 3;
    for (i, f) in Field::ALL.iter().enumerate() {
        let y = inner.y + i as u16;
        if y >= inner.y + inner.height {
            break;
        }
        let focused = form.focus == *f;
        let marker = if focused { ">" } else { " " };
        let label = text::fit(&format!("{marker} {}", t(lang, f.label())), label_w);
        let label_w16 = u16::try_from(label_w).unwrap_or(0).min(inner.width);
        let style = if focused {
            Style::default().add_modifier(Modifier::BOLD)
        } else {
            Style::default()
        };
        frame.render_widget(
            Paragraph::new(Span::styled(label, style)),
            Rect::new(inner.x, y, label_w16, 1),
        );
        let value_area = Rect::new(inner.x + label_w16, y, inner.width - label_w16, 1);
        let text_field = match f {
            Field::From => Some(&form.from),
            Field::To => Some(&form.to),
            Field::Unit => Some(&form.unit),
            _ => None,
        };
        if let Some(area_field) = text_field {
            field::draw(
                frame,
                value_area,
                area_field,
                focused,
                Style::default().bg(Color::DarkGray),
            );
            continue;
        }
        let value = match f {
            Field::Department => form.department.shown(lang),
            Field::Checklist => form.checklist.shown(lang),
            Field::Item => form.item.shown(lang),
            Field::Status => form.status.shown(lang),
            Field::Inspector => form.inspector.shown(lang),
            Field::Outcome => form.outcome.shown(lang),
            Field::Overdue => t(
                lang,
                if form.overdue {
                    "review.filter.yes"
                } else {
                    "review.filter.no"
                },
            )
            .to_string(),
            Field::From | Field::To | Field::Unit => String::new(),
        };
        let shown = if focused {
            format!("< {value} >")
        } else {
            format!("  {value}")
        };
        frame.render_widget(
            Paragraph::new(text::truncate(&shown, usize::from(value_area.width))).style(style),
            value_area,
        );
    }
    let last = inner.y + inner.height.saturating_sub(1);
    let message = match &form.error {
        Some(e) => Span::styled(e.clone(), Style::default().fg(Color::Red)),
        None => Span::styled(
            t(lang, "review.filter.hint").to_string(),
            Style::default().fg(Color::Gray),
        ),
    };
    if inner.height as usize > Field::ALL.len() {
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(
                text::truncate(&message.content, usize::from(inner.width)),
                message.style,
            ))),
            Rect::new(inner.x, last, inner.width, 1),
        );
    }
}

fn decision_form(form: &DecisionForm, state: &State, frame: &mut Frame<'_>, area: Rect) {
    let lang = state.lang;
    let inner = form_block(
        format!("{}: {}", t(lang, form.kind.title()), form.about),
        area,
        frame,
    );
    let width = usize::from(inner.width);
    let mut y = inner.y;
    let bottom = inner.y + inner.height;
    if let Some(f) = &form.field {
        labelled_field(
            frame,
            inner,
            y,
            t(lang, form.field_label),
            f,
            !form.on_second,
        );
        y += 1;
    }
    if let Some((f, label)) = &form.second
        && y < bottom
    {
        labelled_field(frame, inner, y, t(lang, label), f, form.on_second);
        y += 1;
    }
    if let Some(rule) = &form.rule
        && y < bottom
    {
        frame.render_widget(
            Paragraph::new(text::truncate(
                &format!(
                    "{}: {}",
                    t(lang, "review.decide.rule"),
                    text::plain(&rule.describe(lang))
                ),
                width,
            ))
            .style(Style::default().fg(Color::Gray)),
            Rect::new(inner.x, y, inner.width, 1),
        );
        y += 1;
    }
    let (message, style) = match &form.error {
        Some(e) => (e.clone(), Style::default().fg(Color::Red)),
        None if form.second.is_some() => (
            t(lang, "review.decide.hint_two").to_string(),
            Style::default().fg(Color::Gray),
        ),
        None => (
            t(lang, "review.decide.hint").to_string(),
            Style::default().fg(Color::Gray),
        ),
    };
    let lines: Vec<Line> = text::wrap(&message, width.max(4))
        .into_iter()
        .map(|l| Line::from(Span::styled(l, style)))
        .collect();
    if y < bottom {
        frame.render_widget(
            Paragraph::new(lines),
            Rect::new(inner.x, y, inner.width, bottom - y),
        );
    }
}
