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
    let help = (!contexts.contains(&crate::keymap::Context::Prompt)).then_some(&Command::Help);
    let pieces: Vec<(Command, String, String)> = commands
        .iter()
        .chain(help)
        .filter_map(|command| {
            let (context, binding) = contexts.iter().find_map(|c| {
                state
                    .keymap
                    .bindings(*c)
                    .iter()
                    .find(|b| b.command == *command)
                    .map(|b| (*c, b))
            })?;
            let desc = crate::i18n::hint(state.lang, context.name(), command.name())
                .map_or_else(|| binding.desc.get(state.lang).to_string(), str::to_string);
            Some((*command, binding.on.clone(), desc))
        })
        .collect();
    let size = |(_, on, desc): &(Command, String, String)| text::width(on) + text::width(desc) + 3;
    // The way back and `?` are kept whatever the width: the others take
    // the room left, in the order given, and the first that does not fit
    // ends the line (so what is shown keeps its order of importance).
    let essential = |c: Command| matches!(c, Command::Back | Command::Quit | Command::Help);
    let mut reserved: usize = pieces.iter().filter(|p| essential(p.0)).map(size).sum();
    let mut used = 0;
    let mut full = false;
    let mut spans = Vec::new();
    for piece in &pieces {
        let w = size(piece);
        if essential(piece.0) {
            reserved -= w;
            if used + w > width {
                continue;
            }
        } else if full || used + w + reserved > width {
            full = true;
            continue;
        }
        used += w;
        spans.push(Span::raw(" "));
        spans.push(Span::styled(
            piece.1.clone(),
            Style::default().fg(Color::Black).bg(Color::Gray),
        ));
        spans.push(Span::raw(format!(" {} ", piece.2)));
    }
    Line::from(spans)
}
