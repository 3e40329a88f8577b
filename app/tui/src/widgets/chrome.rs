//! The frame around every screen: a title line, the body, a footer with the
//! screen's main keys (from the keymap) or the latest status message.

use crate::command::Command;
use crate::state::{State, Status};
use crate::text;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Splits the terminal into title, body and footer.
pub fn split(area: Rect) -> (Rect, Rect, Rect) {
    let [title, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    (title, body, footer)
}

/// The title line: `left` and `right`, cut in display cells so they never overlap.
pub fn title(frame: &mut Frame<'_>, area: Rect, left: &str, right: &str) {
    let width = usize::from(area.width);
    let right = text::truncate(right, width / 2);
    let room = width.saturating_sub(text::width(&right) + 1);
    let left = text::fit(&format!(" {left}"), room);
    let line = Line::from(vec![Span::raw(left), Span::raw(" "), Span::raw(right)]);
    frame.render_widget(
        Paragraph::new(line).style(
            Style::default()
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD),
        ),
        area,
    );
}

/// The footer: the status message if there is one, else `key desc` hints
/// for `commands` as bound in the keymap for the current contexts.
pub fn footer(frame: &mut Frame<'_>, area: Rect, state: &State, commands: &[Command]) {
    let width = usize::from(area.width);
    let line = match &state.status {
        Some(Status::Info(message)) => Line::from(Span::styled(
            text::truncate(&format!(" {message}"), width),
            Style::default().fg(Color::Green),
        )),
        Some(Status::Error(message)) => Line::from(Span::styled(
            text::truncate(&format!(" {message}"), width),
            Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
        )),
        None => {
            let commands = state
                .overlay
                .as_ref()
                .map_or(commands, |o| o.hint_commands());
            hints(state, commands, width)
        }
    };
    let line = if state.awaiting > 0 {
        busy(state, line)
    } else {
        line
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The footer led by a busy marker: a result is awaited from the worker
/// (the keys still work meanwhile).
fn busy(state: &State, line: Line<'static>) -> Line<'static> {
    let marker = format!(" ⋯ {} ", crate::i18n::t(state.lang, "busy.working"));
    // The rest is cut at the footer's edge by the paragraph.
    let mut spans = vec![Span::styled(
        marker,
        Style::default().fg(Color::Black).bg(Color::Yellow),
    )];
    spans.extend(line.spans);
    Line::from(spans)
}

fn hints(state: &State, commands: &[Command], width: usize) -> Line<'static> {
    let contexts = state.contexts();
    let mut spans = Vec::new();
    let mut used = 0;
    let help = (!contexts.contains(&crate::keymap::Context::Prompt)).then_some(&Command::Help);
    for command in commands.iter().chain(help) {
        let Some(binding) = contexts.iter().find_map(|c| {
            state
                .keymap
                .bindings(*c)
                .iter()
                .find(|b| b.command == *command)
        }) else {
            continue;
        };
        let desc = binding.desc.get(state.lang).to_string();
        let piece = text::width(&binding.on) + text::width(&desc) + 3;
        if used + piece > width {
            break;
        }
        used += piece;
        spans.push(Span::raw(" "));
        spans.push(Span::styled(
            binding.on.clone(),
            Style::default().fg(Color::Black).bg(Color::Gray),
        ));
        spans.push(Span::raw(format!(" {desc} ")));
    }
    Line::from(spans)
}
