//! Drawing the finding editor: one row per field, the note below, and what
//! the item's rule adds (its input fields and the points they give).

use super::{EditorState, Field, layout};
use crate::command::Command;
use crate::i18n::{t, tf};
use crate::screens::Ctx;
use crate::screens::visit::rule_text;
use crate::state::State;
use crate::text;
use crate::widgets::{chrome, field};
use anfang_core::finding::FindingResult;
use anfang_core::rule::Rule;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

/// Width of the field labels' column.
const LABEL_W: u16 = 14;

/// The locale key of a field's label.
fn label_key(f: Field) -> &'static str {
    match f {
        Field::Result => "editor.result",
        Field::Count => "editor.count",
        Field::Chosen => "editor.chosen",
        Field::Percent => "editor.percent",
        Field::Input(_) => "editor.input",
        Field::HandPoints => "editor.hand_points",
        Field::Subject => "editor.subject",
        Field::Observed => "editor.observed",
        Field::Note => "editor.note",
    }
}

/// Draws the editor.
pub fn view(editor: &EditorState, state: &State, frame: &mut Frame<'_>) {
    let lang = state.lang;
    let ctx = state.ctx();
    let (title, body, footer) = chrome::split(frame.area());
    let heading = if editor.original.is_some() {
        tf(
            lang,
            "editor.title_correct",
            &[("item", &editor.label.get(lang)), ("n", &editor.version)],
        )
    } else {
        tf(
            lang,
            "editor.title_new",
            &[("item", &editor.label.get(lang))],
        )
    };
    chrome::title(frame, title, &heading, &rule_text(&editor.rule, lang));
    // The count keys are shown wherever the item counts (person-times, cases).
    let hints: &[Command] = if editor.rule.count_unit().is_some() {
        &[
            Command::Back,
            Command::NextField,
            Command::CountUp,
            Command::CountDown,
            Command::Discard,
        ]
    } else {
        &[Command::Back, Command::NextField, Command::Discard]
    };
    chrome::footer(frame, footer, state, hints);

    let (rows, note_area) = layout(editor, body);
    let focus_style = Style::default()
        .fg(Color::Yellow)
        .add_modifier(Modifier::BOLD);
    let input_style = Style::default().bg(Color::DarkGray);
    for (f, row) in &rows {
        let focused = editor.focus == *f;
        let name = match f {
            Field::Input(i) => editor
                .inputs
                .get(*i)
                .map(|(spec, _)| spec.label.get(lang).to_string())
                .unwrap_or_default(),
            _ => t(lang, label_key(*f)).to_string(),
        };
        frame.render_widget(
            Paragraph::new(Span::styled(
                text::fit(&name, usize::from(LABEL_W)),
                if focused {
                    focus_style
                } else {
                    Style::default()
                },
            )),
            Rect::new(row.x, row.y, LABEL_W.min(row.width), 1),
        );
        let value = Rect::new(row.x + LABEL_W, row.y, row.width.saturating_sub(LABEL_W), 1);
        match f {
            Field::Result => {
                let spans: Vec<Span> = [
                    FindingResult::Violation,
                    FindingResult::Compliant,
                    FindingResult::NotApplicable,
                ]
                .into_iter()
                .flat_map(|r| {
                    let chosen = r == editor.result;
                    let mark = if chosen { "(*) " } else { "( ) " };
                    let style = if chosen {
                        Style::default().add_modifier(Modifier::BOLD)
                    } else {
                        Style::default().fg(Color::Gray)
                    };
                    [
                        Span::styled(format!("{mark}{}", r.label().get(lang)), style),
                        Span::raw("  "),
                    ]
                })
                .collect();
                frame.render_widget(Paragraph::new(Line::from(spans)), value);
            }
            _ => {
                let extra = extra_text(editor, &ctx, *f);
                let extra_w = (text::width(&extra) as u16).min(value.width / 2);
                let [input, side] =
                    Layout::horizontal([Constraint::Min(4), Constraint::Length(extra_w)])
                        .areas(value);
                if let Some(area) = editor.field(*f) {
                    field::draw(frame, input, area, focused && !editor.saving, input_style);
                }
                frame.render_widget(
                    Paragraph::new(Span::styled(
                        text::truncate(&extra, usize::from(extra_w)),
                        Style::default().fg(Color::Gray),
                    )),
                    side,
                );
            }
        }
    }

    let focused = editor.focus == Field::Note;
    let block = Block::bordered()
        .title(Line::from(t(lang, "editor.note")).style(if focused {
            focus_style
        } else {
            Style::default()
        }))
        .border_style(if focused {
            Style::default().fg(Color::Yellow)
        } else {
            Style::default()
        });
    let inner = block.inner(note_area);
    frame.render_widget(block, note_area);
    field::draw(
        frame,
        inner,
        &editor.note,
        focused && !editor.saving,
        Style::default(),
    );
}

/// The text right of a field: the count unit, the bounds, the points.
fn extra_text(editor: &EditorState, ctx: &Ctx<'_>, f: Field) -> String {
    let lang = ctx.lang;
    match (f, &editor.rule) {
        (Field::Count, rule) => {
            let unit = rule
                .count_unit()
                .map(|u| u.label().get(lang).to_string())
                .unwrap_or_default();
            let points = match editor.draft(ctx) {
                Ok((record, None)) => tf(lang, "editor.points_now", &[("points", &record.points)]),
                Ok((_, Some(_))) => String::new(),
                Err(_) => t(lang, "editor.points_unknown").to_string(),
            };
            format!(" {unit}   {points}")
        }
        (Field::Chosen, Rule::Range { min, max, .. }) => format!(" {min}-{max}"),
        (Field::Percent, Rule::BelowThreshold { threshold, .. }) => {
            let points = match editor.draft(ctx) {
                Ok((record, _)) => tf(lang, "editor.points_now", &[("points", &record.points)]),
                Err(_) => t(lang, "editor.points_unknown").to_string(),
            };
            format!(
                "{}   {points}",
                tf(lang, "editor.threshold", &[("threshold", threshold)])
            )
        }
        (Field::HandPoints, Rule::Computed { max, .. }) => {
            tf(lang, "editor.hand_points_hint", &[("max", max)])
        }
        (Field::Subject, _) => t(lang, "editor.subject_hint").to_string(),
        (Field::Observed, _) => " YYYY-MM-DD HH:MM".to_string(),
        _ => String::new(),
    }
}
