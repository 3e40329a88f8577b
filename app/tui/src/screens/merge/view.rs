//! Drawing the merge screen: the path field, the files, the gauge and the
//! report. `areas` is shared with clicks and scrolling so they agree.

use super::{Focus, MergeState, Running, report};
use crate::command::Command;
use crate::i18n::{t, tf};
use crate::state::State;
use crate::text;
use crate::widgets::{chrome, field, gauge, list};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// Cells for the path field's label.
const LABEL_W: u16 = 18;

/// Where each part of the screen is drawn.
#[derive(Debug, Clone, Copy)]
pub struct Areas {
    /// The label and path field.
    pub path: Rect,
    /// The hint under the field.
    pub hint: Rect,
    /// The file list, title row included.
    pub files: Rect,
    /// The progress gauge.
    pub gauge: Rect,
    /// The report, title row included.
    pub report: Rect,
}

/// The screen's parts for a terminal of `size`.
pub fn areas(merge: &MergeState, size: (u16, u16)) -> Areas {
    let (_, body, _) = chrome::split(Rect::new(0, 0, size.0, size.1));
    let inner = body.inner(Margin::new(1, 0));
    let most = (inner.height / 3).max(3);
    let rows = u16::try_from(merge.files.len()).unwrap_or(u16::MAX).max(1);
    let files_h = rows.min(most) + 1;
    let [path, hint, files, _, gauge, report] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(files_h),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(2),
    ])
    .areas(inner);
    Areas {
        path,
        hint,
        files,
        gauge,
        report,
    }
}

/// The report's text width and visible lines.
pub fn report_size(merge: &MergeState, size: (u16, u16)) -> (usize, usize) {
    let report = areas(merge, size).report;
    (
        usize::from(report.width),
        usize::from(report.height.saturating_sub(1)),
    )
}

/// Draws the merge screen.
pub fn view(merge: &MergeState, state: &State, frame: &mut Frame<'_>) {
    let lang = state.lang;
    let (title, _, footer) = chrome::split(frame.area());
    let chosen = merge.files.iter().filter(|f| f.chosen).count();
    chrome::title(
        frame,
        title,
        t(lang, "merge.title"),
        &tf(lang, "merge.chosen", &[("n", &chosen)]),
    );
    let hints: &[Command] = match merge.focus {
        _ if merge.busy() => &[Command::Back],
        Focus::Path => &[
            Command::Select,
            Command::Run,
            Command::NextField,
            Command::Back,
        ],
        Focus::Files => &[
            Command::Toggle,
            Command::ChooseAll,
            Command::Run,
            Command::Back,
        ],
        Focus::Report => &[Command::Down, Command::Run, Command::Back],
    };
    chrome::footer(frame, footer, state, hints);
    let a = areas(merge, (frame.area().width, frame.area().height));
    draw_path(merge, state, frame, a);
    draw_files(merge, state, frame, a.files);
    draw_gauge(merge, state, frame, a.gauge);
    draw_report(merge, state, frame, a.report);
}

fn focus_style(focused: bool) -> Style {
    if focused {
        Style::default()
            .fg(Color::Yellow)
            .add_modifier(Modifier::BOLD)
    } else {
        Style::default().add_modifier(Modifier::BOLD)
    }
}

fn draw_path(merge: &MergeState, state: &State, frame: &mut Frame<'_>, a: Areas) {
    let lang = state.lang;
    let focused = merge.focus == Focus::Path;
    frame.render_widget(
        Paragraph::new(Span::styled(
            text::fit(t(lang, "merge.path"), usize::from(LABEL_W)),
            focus_style(focused),
        )),
        a.path,
    );
    let value = Rect::new(
        a.path.x + LABEL_W,
        a.path.y,
        a.path.width.saturating_sub(LABEL_W),
        1,
    );
    field::draw(
        frame,
        value,
        &merge.path,
        focused && !merge.busy(),
        Style::default().bg(Color::DarkGray),
    );
    frame.render_widget(
        Paragraph::new(Span::styled(
            text::truncate(t(lang, "merge.path_hint"), usize::from(a.hint.width)),
            Style::default().fg(Color::DarkGray),
        )),
        a.hint,
    );
}

/// A size in bytes for people.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

fn draw_files(merge: &MergeState, state: &State, frame: &mut Frame<'_>, area: Rect) {
    let lang = state.lang;
    let focused = merge.focus == Focus::Files;
    let heading = match &merge.folder {
        Some(folder) => tf(
            lang,
            "merge.files_in",
            &[("folder", &folder.display().to_string())],
        ),
        None => t(lang, "merge.files").to_string(),
    };
    let block = Block::new().title(Line::from(Span::styled(
        text::truncate(&heading, usize::from(area.width)),
        focus_style(focused),
    )));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if merge.files.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(
                text::truncate(t(lang, "merge.no_files"), usize::from(inner.width)),
                Style::default().fg(Color::DarkGray),
            )),
            inner,
        );
        return;
    }
    let width = usize::from(inner.width);
    let (size_w, tag_w) = (10, 10);
    let name_w = width.saturating_sub(4 + size_w + tag_w + 2).max(4);
    let height = usize::from(inner.height);
    let offset = list::offset(merge.selected, height);
    let lines: Vec<Line> = merge
        .files
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, row)| {
            let mark = if row.chosen { "[x] " } else { "[ ] " };
            let name = match (&merge.folder, row.path.parent()) {
                (Some(folder), Some(parent)) if folder == parent => report::file_name(&row.path),
                _ => row.path.display().to_string(),
            };
            let size = row.size.map(human_size).unwrap_or_default();
            let (tag, color) = match row.merged {
                Some(true) => (t(lang, "merge.tag_merged"), Color::Green),
                Some(false) => (t(lang, "merge.tag_refused"), Color::Red),
                None => ("", Color::Reset),
            };
            let text = format!(
                "{mark}{} {:>size_w$} {}",
                text::fit(&name, name_w),
                size,
                text::fit(tag, tag_w)
            );
            let style = if focused && i == merge.selected {
                Style::default().add_modifier(Modifier::REVERSED)
            } else if i == merge.selected {
                Style::default().add_modifier(Modifier::UNDERLINED)
            } else {
                Style::default().fg(color)
            };
            Line::styled(text::truncate(&text, width), style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn running_label(running: &Running, lang: anfang_core::Lang) -> String {
    let file = running
        .files
        .get(running.index)
        .map(|p| report::file_name(p))
        .unwrap_or_default();
    let step = match running.progress {
        None => t(lang, "merge.step_opening").to_string(),
        Some(anfang_ledger::MergeProgress::Opened { events }) => {
            tf(lang, "merge.step_opened", &[("events", &events)])
        }
        Some(anfang_ledger::MergeProgress::Events { done, total }) => tf(
            lang,
            "merge.step_events",
            &[("done", &done), ("total", &total)],
        ),
        Some(anfang_ledger::MergeProgress::Blobs { done, total }) => tf(
            lang,
            "merge.step_blobs",
            &[("done", &done), ("total", &total)],
        ),
    };
    format!(
        "{}/{} {file}: {step}",
        running.index + 1,
        running.files.len()
    )
}

fn draw_gauge(merge: &MergeState, state: &State, frame: &mut Frame<'_>, area: Rect) {
    let lang = state.lang;
    match &merge.running {
        Some(running) => gauge::draw(
            frame,
            area,
            running.ratio(),
            &running_label(running, lang),
            Color::Blue,
        ),
        None if !merge.outcomes.is_empty() || merge.stopped_at.is_some() => {
            let (label, refused) = super::summary(merge, lang);
            let color = match (refused, &merge.stopped_at) {
                (1.., _) => Color::Red,
                (0, Some(_)) => Color::Yellow,
                (0, None) => Color::Green,
            };
            gauge::draw(frame, area, 1.0, &label, color);
        }
        None => {}
    }
}

fn draw_report(merge: &MergeState, state: &State, frame: &mut Frame<'_>, area: Rect) {
    let lang = state.lang;
    let focused = merge.focus == Focus::Report;
    let block = Block::new()
        .borders(Borders::TOP)
        .title(Line::from(Span::styled(
            t(lang, "merge.report"),
            focus_style(focused),
        )));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    if merge.outcomes.is_empty() {
        let lines: Vec<Line> = text::wrap(t(lang, "merge.report_empty"), width)
            .into_iter()
            .map(|l| Line::styled(l, Style::default().fg(Color::DarkGray)))
            .collect();
        frame.render_widget(Paragraph::new(lines), inner);
        return;
    }
    let lines = report::lines(&merge.outcomes, lang, width);
    let height = usize::from(inner.height);
    let scroll = merge.scroll.min(lines.len().saturating_sub(height));
    let shown: Vec<Line> = lines.into_iter().skip(scroll).take(height).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}
