//! Plugins: every plugin file found, loaded or refused, with the reason.

use crate::command::Command;
use crate::i18n::t;
use crate::screens::{Ctx, Nav, Out};
use crate::state::State;
use crate::text;
use crate::widgets::{chrome, list};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table};

/// The plugins screen's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PluginsState {
    /// Selected row.
    pub selected: usize,
}

/// Runs a command on the plugins screen.
pub fn update(plugins: &mut PluginsState, ctx: &Ctx<'_>, command: Command) -> Out {
    let len = ctx.catalog.plugins.len();
    match command {
        Command::Up => plugins.selected = list::step(plugins.selected, -1, len),
        Command::Down => plugins.selected = list::step(plugins.selected, 1, len),
        Command::Top => plugins.selected = 0,
        Command::Bottom => plugins.selected = len.saturating_sub(1),
        Command::Back | Command::Quit => return Out::nav(Nav::Pop),
        _ => {}
    }
    Out::none()
}

fn areas(body: Rect) -> (Rect, Rect) {
    let [table, detail] = Layout::vertical([Constraint::Min(3), Constraint::Length(6)]).areas(body);
    (table, detail)
}

/// A click selects the plugin under it.
pub fn click(plugins: &mut PluginsState, ctx: &Ctx<'_>, x: u16, y: u16) {
    let (_, body, _) = chrome::split(Rect::new(0, 0, ctx.size.0, ctx.size.1));
    let (table, _) = areas(body);
    if let Some(i) = list::hit(table, 1, x, y, plugins.selected, ctx.catalog.plugins.len()) {
        plugins.selected = i;
    }
}

/// Draws the plugins screen.
pub fn view(plugins: &PluginsState, state: &State, frame: &mut Frame<'_>) {
    let lang = state.lang;
    let rows_data = &state.catalog.plugins;
    let (title, body, footer) = chrome::split(frame.area());
    let loaded = rows_data.iter().filter(|p| p.loaded).count();
    chrome::title(
        frame,
        title,
        t(lang, "plugins.title"),
        &crate::i18n::tf(
            lang,
            "plugins.summary",
            &[("loaded", &loaded), ("all", &rows_data.len())],
        ),
    );
    chrome::footer(frame, footer, state, &[Command::Down, Command::Back]);
    let (table_area, detail_area) = areas(body);
    if rows_data.is_empty() {
        frame.render_widget(
            Paragraph::new(
                text::wrap(t(lang, "plugins.none"), usize::from(body.width))
                    .into_iter()
                    .map(Line::from)
                    .collect::<Vec<_>>(),
            ),
            body,
        );
        return;
    }
    let (id_w, ver_w, status_w) = (18, 8, 8);
    let dept_w = usize::from(table_area.width)
        .saturating_sub(id_w + ver_w + status_w + 3)
        .max(4);
    let header = Row::new(vec![
        text::fit(t(lang, "plugins.col.id"), id_w),
        text::fit(t(lang, "plugins.col.version"), ver_w),
        text::fit(t(lang, "plugins.col.departments"), dept_w),
        text::fit(t(lang, "plugins.col.status"), status_w),
    ])
    .style(Style::default().add_modifier(Modifier::BOLD));
    let height = usize::from(table_area.height.saturating_sub(1));
    let offset = list::offset(plugins.selected, height);
    let rows = rows_data
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, p)| {
            let (status, color) = if p.loaded {
                (t(lang, "plugins.loaded"), Color::Green)
            } else {
                (t(lang, "plugins.refused"), Color::Red)
            };
            let row = Row::new(vec![
                text::fit(if p.id.is_empty() { "?" } else { &p.id }, id_w),
                text::fit(&p.version, ver_w),
                text::fit(&p.departments, dept_w),
                text::fit(status, status_w),
            ]);
            if i == plugins.selected {
                row.style(Style::default().add_modifier(Modifier::REVERSED))
            } else {
                row.style(Style::default().fg(color))
            }
        });
    let widths = [id_w, ver_w, dept_w, status_w].map(|w| Constraint::Length(w as u16));
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        table_area,
    );

    let Some(p) = rows_data.get(plugins.selected) else {
        return;
    };
    let block = Block::new().borders(Borders::TOP);
    let inner = block.inner(detail_area);
    frame.render_widget(block, detail_area);
    let width = usize::from(inner.width);
    let mut lines = vec![
        Line::from(text::truncate(
            &format!("{}: {}", t(lang, "plugins.file"), p.file),
            width,
        )),
        Line::from(text::truncate(&format!("SHA-256: {}", p.sha256), width)),
    ];
    if let Some(reason) = &p.reason {
        let reason = format!("{}: {reason}", t(lang, "plugins.reason"));
        lines.extend(
            text::wrap(&reason, width)
                .into_iter()
                .map(|l| Line::from(Span::styled(l, Style::default().fg(Color::Red)))),
        );
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
