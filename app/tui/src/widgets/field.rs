//! Text fields on top of ratatui-textarea, with the terminal cursor put at
//! the caret in display cells so an input method's candidate window opens
//! where the text goes.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

/// A one-line field holding `text`, caret at the end.
pub fn line(text: &str) -> TextArea<'static> {
    let mut area = TextArea::new(vec![text.to_string()]);
    plain(&mut area);
    area.set_wrap_mode(WrapMode::None);
    area.move_cursor(CursorMove::End);
    area
}

/// A multi-line note holding `text`, soft-wrapped at word or glyph
/// boundaries (Chinese has no spaces), caret at the end.
pub fn note(text: &str) -> TextArea<'static> {
    let lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let mut area = TextArea::new(lines);
    plain(&mut area);
    area.set_wrap_mode(WrapMode::WordOrGlyph);
    area.move_cursor(CursorMove::Bottom);
    area.move_cursor(CursorMove::End);
    area
}

fn plain(area: &mut TextArea<'static>) {
    // The real terminal cursor marks the caret (input methods follow it);
    // the widget's own painted cursor and line highlight would double it.
    area.set_cursor_style(Style::default().add_modifier(Modifier::UNDERLINED));
    area.set_cursor_line_style(Style::default());
}

/// The field's text, lines joined with `\n`.
pub fn text(area: &TextArea<'_>) -> String {
    area.lines().join("\n")
}

/// Whether a key that reached a focused field edits it (as opposed to
/// running a keymap command). `multiline` fields also take Enter and the
/// vertical arrows.
pub fn edits(key: &KeyEvent, multiline: bool) -> bool {
    match key.code {
        KeyCode::Backspace
        | KeyCode::Delete
        | KeyCode::Left
        | KeyCode::Right
        | KeyCode::Home
        | KeyCode::End => true,
        KeyCode::Enter | KeyCode::Up | KeyCode::Down => multiline,
        _ => false,
    }
}

/// Feeds a key to a field; a one-line field ignores Enter.
pub fn feed(area: &mut TextArea<'static>, key: KeyEvent, multiline: bool) {
    if !multiline && matches!(key.code, KeyCode::Enter) {
        return;
    }
    area.input(key);
}

/// Draws a field and, when focused, stands the terminal cursor at its caret.
pub fn draw(frame: &mut Frame<'_>, area: Rect, field: &TextArea<'_>, focused: bool, style: Style) {
    let mut shown = field.clone();
    shown.set_style(style);
    if !focused {
        shown.set_cursor_style(style);
    }
    frame.render_widget(&shown, area);
    if focused && let Some(position) = caret(&shown, area) {
        frame.set_cursor_position(position);
    }
}

/// The caret's screen cell: the widget maps the caret (a char index) to a
/// display column after wrapping; the scroll offset recorded while drawing
/// turns that into a cell inside `area`. Must be called after rendering.
pub fn caret(field: &TextArea<'_>, area: Rect) -> Option<Position> {
    let screen = field.screen_cursor();
    let (top_row, top_col) = field.scroll_offset();
    let row = u16::try_from(screen.row).ok()?.checked_sub(top_row)?;
    let col = u16::try_from(screen.col).ok()?.checked_sub(top_col)?;
    (row < area.height && col <= area.width)
        .then(|| Position::new(area.x + col.min(area.width.saturating_sub(1)), area.y + row))
}
