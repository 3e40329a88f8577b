//! Drawing the export form, its gauge and the result. `field_rows` is
//! shared with clicks so they agree.

use super::{ExportState, Field};
use crate::command::Command;
use crate::i18n::{t, tf};
use crate::state::State;
use crate::text;
use crate::widgets::{chrome, field, gauge};
use anfang_core::Lang;
use anfang_export::Format;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Cells for the field labels.
const LABEL_W: u16 = 14;

struct Areas {
    fields: Vec<(Field, Rect)>,
    out_hint: Rect,
    suggest: Rect,
    gauge: Rect,
    result: Rect,
}

fn areas(form: &ExportState, size: (u16, u16)) -> Areas {
    let (_, body, _) = chrome::split(Rect::new(0, 0, size.0, size.1));
    let inner = body.inner(Margin::new(1, 0));
    let shown = form.fields();
    // The fields, the output's hint, the suggestions, the gauge.
    let n = shown.len() + 3;
    let mut constraints = vec![Constraint::Length(1); n];
    constraints.push(Constraint::Min(1));
    let rows = Layout::vertical(constraints).split(inner);
    // Format, output, its hint, then one row per remaining field.
    let mut fields = vec![(shown[0], rows[0]), (shown[1], rows[1])];
    for (i, f) in shown[2..].iter().enumerate() {
        fields.push((*f, rows[3 + i]));
    }
    Areas {
        fields,
        out_hint: rows[2],
        suggest: rows[n - 2],
        gauge: rows[n - 1],
        result: rows[n],
    }
}

/// Each shown field's row for a terminal of `size`.
pub fn field_rows(form: &ExportState, size: (u16, u16)) -> Vec<(Field, Rect)> {
    areas(form, size).fields
}

fn label_key(field: Field) -> &'static str {
    match field {
        Field::Format => "export.format",
        Field::Out => "export.out",
        Field::From => "export.from",
        Field::To => "export.to",
        Field::Unit => "export.unit",
        Field::Department => "export.department",
        Field::Status => "export.status",
        Field::Anonymize => "export.anonymize",
        Field::Compliant => "export.include_compliant",
        Field::Issuer => "export.issuer",
        Field::Addressees => "export.addressees",
        Field::Copies => "export.copies",
        Field::NumberPattern => "export.number_pattern",
        Field::Serial => "export.serial",
    }
}

/// What leaving a bulletin field empty means.
fn empty_key(field: Field) -> &'static str {
    match field {
        Field::Issuer => "export.issuer_empty",
        Field::Addressees => "export.addressees_empty",
        Field::Copies => "export.copies_empty",
        Field::NumberPattern => "export.number_pattern_empty",
        _ => "export.serial_empty",
    }
}

/// A format's name as offered.
pub fn format_label(format: Format) -> String {
    format.name().to_uppercase()
}

/// Draws the export screen.
pub fn view(form: &ExportState, state: &State, frame: &mut Frame<'_>) {
    let lang = state.lang;
    let (title, _, footer) = chrome::split(frame.area());
    chrome::title(
        frame,
        title,
        t(lang, "export.title"),
        &format_label(form.format),
    );
    let hints: &[Command] = if form.busy() {
        &[]
    } else if form.typing() {
        &[Command::NextField, Command::Run, Command::Back]
    } else {
        &[
            Command::NextField,
            Command::Toggle,
            Command::Run,
            Command::Back,
        ]
    };
    chrome::footer(frame, footer, state, hints);
    let a = areas(form, (frame.area().width, frame.area().height));
    for (f, row) in &a.fields {
        draw_field(form, lang, frame, *f, *row);
    }
    frame.render_widget(
        Paragraph::new(Span::styled(
            text::truncate(
                t(lang, "export.out_hint"),
                usize::from(a.out_hint.width.saturating_sub(LABEL_W)),
            ),
            Style::default().fg(Color::DarkGray),
        )),
        value_area(a.out_hint),
    );
    draw_suggestions(form, lang, frame, value_area(a.suggest));
    draw_progress(form, lang, frame, a.gauge, a.result);
}

/// Known units or departments matching what is typed, under the form.
fn draw_suggestions(form: &ExportState, lang: Lang, frame: &mut Frame<'_>, area: Rect) {
    if form.busy()
        || form.known.is_empty()
        || !matches!(form.focus, Field::Unit | Field::Department)
    {
        return;
    }
    let names = form.suggestions();
    let line = if names.is_empty() {
        t(lang, "export.no_match").to_string()
    } else {
        let sep = if lang == Lang::Zh { "、" } else { ", " };
        tf(lang, "export.known", &[("names", &names.join(sep))])
    };
    frame.render_widget(
        Paragraph::new(Span::styled(
            text::truncate(&line, usize::from(area.width)),
            Style::default().fg(Color::Gray),
        )),
        area,
    );
}

fn value_area(row: Rect) -> Rect {
    Rect::new(
        row.x + LABEL_W,
        row.y,
        row.width.saturating_sub(LABEL_W),
        row.height,
    )
}

fn draw_field(form: &ExportState, lang: Lang, frame: &mut Frame<'_>, f: Field, row: Rect) {
    let focused = form.focus == f && !form.busy();
    let label_style = if focused {
        Style::default()
            .fg(Color::Yellow)
            .add_modifier(Modifier::BOLD)
    } else {
        Style::default()
    };
    frame.render_widget(
        Paragraph::new(Span::styled(
            text::fit(t(lang, label_key(f)), usize::from(LABEL_W)),
            label_style,
        )),
        row,
    );
    let value = value_area(row);
    let input = Style::default().bg(Color::DarkGray);
    let chosen = |on: bool| {
        let mut style = if on {
            Style::default().add_modifier(Modifier::BOLD)
        } else {
            Style::default()
        };
        if on && focused {
            style = style.add_modifier(Modifier::REVERSED);
        }
        style
    };
    match f {
        Field::Format => {
            let spans: Vec<Span> = Format::ALL
                .into_iter()
                .flat_map(|format| {
                    let on = format == form.format;
                    let mark = if on { "(*) " } else { "( ) " };
                    [
                        Span::styled(format!("{mark}{}", format_label(format)), chosen(on)),
                        Span::raw("  "),
                    ]
                })
                .collect();
            frame.render_widget(Paragraph::new(Line::from(spans)), value);
        }
        Field::Status => {
            let name = match form.status {
                None => t(lang, "export.all").to_string(),
                Some(status) => status.label().get(lang).to_string(),
            };
            let line = Line::from(vec![
                Span::styled(format!("< {name} >"), chosen(true)),
                Span::styled(
                    format!("  {}", t(lang, "export.status_hint")),
                    Style::default().fg(Color::DarkGray),
                ),
            ]);
            frame.render_widget(Paragraph::new(line), value);
        }
        Field::Anonymize => {
            let hint = t(lang, "export.anonymize_hint");
            check_box(
                frame,
                value,
                form.anonymize,
                chosen(form.anonymize || focused),
                hint,
            );
        }
        Field::Compliant => {
            let hint = t(lang, "export.include_compliant_hint");
            let style = chosen(form.include_compliant || focused);
            check_box(frame, value, form.include_compliant, style, hint);
        }
        Field::Out => field::draw(frame, value, &form.out, focused, input),
        Field::From => text_field(frame, value, &form.from, focused, "YYYY-MM-DD"),
        Field::To => text_field(frame, value, &form.to, focused, "YYYY-MM-DD"),
        Field::Unit => text_field(frame, value, &form.unit, focused, t(lang, "export.all")),
        Field::Department => text_field(
            frame,
            value,
            &form.department,
            focused,
            t(lang, "export.all"),
        ),
        other => {
            if let Some(area) = form.documents.area(other) {
                text_field(frame, value, area, focused, t(lang, empty_key(other)));
            }
        }
    }
}

/// A box ticked or not, with what ticking it does.
fn check_box(frame: &mut Frame<'_>, area: Rect, on: bool, style: Style, hint: &str) {
    let mark = if on { "[x] " } else { "[ ] " };
    let text = text::truncate(&format!("{mark}{hint}"), usize::from(area.width));
    frame.render_widget(Paragraph::new(Span::styled(text, style)), area);
}

/// A text field that shows what leaving it empty means. The widget's own
/// placeholder would start one cell in, after its cursor; this one lines
/// up with the other values until the field is focused.
fn text_field(
    frame: &mut Frame<'_>,
    area: Rect,
    area_field: &ratatui_textarea::TextArea<'_>,
    focused: bool,
    empty: &str,
) {
    let input = Style::default().bg(Color::DarkGray);
    field::draw(frame, area, area_field, focused, input);
    if field::text(area_field).is_empty() {
        let skip = u16::from(focused);
        let hint = Rect::new(area.x + skip, area.y, area.width.saturating_sub(skip), 1);
        frame.render_widget(
            Paragraph::new(Span::styled(
                text::truncate(empty, usize::from(hint.width)),
                input.fg(Color::Gray),
            )),
            hint,
        );
    }
}

fn draw_progress(form: &ExportState, lang: Lang, frame: &mut Frame<'_>, bar: Rect, result: Rect) {
    let width = usize::from(result.width);
    if let Some((done, total)) = form.running {
        let label = tf(
            lang,
            "export.progress",
            &[("done", &done), ("total", &total)],
        );
        gauge::draw(frame, bar, gauge::ratio(done, total), &label, Color::Blue);
        return;
    }
    let (lines, style) = match &form.outcome {
        None => (
            text::wrap(t(lang, "export.ready"), width),
            Style::default().fg(Color::DarkGray),
        ),
        Some(Ok(done)) => {
            let label = tf(lang, "export.written", &[("n", &done.rows)]);
            gauge::draw(frame, bar, 1.0, &label, Color::Green);
            (
                text::wrap(&super::done_message(done, lang), width),
                Style::default().fg(Color::Green),
            )
        }
        Some(Err(message)) => (
            text::wrap(&tf(lang, "export.failed", &[("error", message)]), width),
            Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
        ),
    };
    let lines: Vec<Line> = lines.into_iter().map(|l| Line::styled(l, style)).collect();
    frame.render_widget(Paragraph::new(lines), result);
}
