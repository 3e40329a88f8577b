//! Drawing the visit screen: the checklist tabs, the gauge and tally, the
//! items with their marks, and the selected item's rule and findings.

use super::layout::{DETAIL_RULE_ROWS, areas, tab_layout};
use super::{Pane, VisitState, rule_text};
use crate::command::Command;
use crate::i18n::{t, tf};
use crate::model::{FindingView, VisitView};
use crate::state::State;
use crate::text;
use crate::widgets::{chrome, list, time};
use anfang_core::finding::FindingResult;
use anfang_core::{Lang, Points};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Gauge, Paragraph, Row, Table};

/// How an item's findings mark it in the list: a violation, all compliant,
/// nothing yet, or not applicable.
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
