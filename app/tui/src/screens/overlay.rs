//! Pop-ups over a screen: the key help, yes/no questions, a chooser and a
//! one-line entry. They span the full width on purpose: clearing a
//! rectangle whose edge cuts a wide (Chinese) glyph garbles the border.

use crate::command::Command;
use crate::effect::Effect;
use crate::i18n::t;
use crate::keymap::Context;
use crate::screens::review::ReviewEffect;
use crate::screens::{Ctx, Out};
use crate::state::State;
use crate::state::Status;
use crate::text;
use crate::widgets::{field, list};
use anfang_core::event::{ChecklistAdded, VisitClosed};
use anfang_core::manifest::ChecklistSnapshot;
use anfang_core::review::Decision;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use ratatui_textarea::TextArea;
use std::path::PathBuf;
use uuid::Uuid;

/// A pop-up.
// Only a handful of these exist at any time; boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Overlay {
    /// The keys of the screen below, from the keymap.
    Help {
        /// The screen's contexts.
        contexts: Vec<Context>,
        /// First line shown.
        scroll: usize,
    },
    /// A yes/no question.
    Question(Question),
    /// Choose a checklist to add to a visit.
    AddChecklist {
        /// The visit.
        visit_id: Uuid,
        /// Title and snapshot of each checklist not yet in the visit.
        options: Vec<(String, ChecklistSnapshot)>,
        /// The selected option.
        selected: usize,
    },
    /// Type the path of a file to attach.
    AttachPath {
        /// The finding.
        finding_id: Uuid,
        /// The visit (reloaded afterwards).
        visit_id: Uuid,
        /// The path typed so far.
        path: TextArea<'static>,
    },
    /// Ask the user's name before it signs a review decision: the login
    /// name is only a guess, and a decision is evidence of who decided.
    AskName {
        /// The name typed so far.
        name: TextArea<'static>,
        /// The finding decided on.
        finding_id: Uuid,
        /// The decision waiting for a name.
        decision: Decision,
        /// Why the decision moves the finding back, if it does.
        reason: Option<String>,
    },
}

/// What a yes/no question is about.
#[derive(Debug, Clone, PartialEq)]
pub enum Question {
    /// Resume an unfinished visit at start.
    Resume {
        /// The visit.
        visit_id: Uuid,
        /// The question, in the user's language.
        text: String,
    },
    /// Leave the new-visit form, dropping what was typed.
    Abandon {
        /// The question, in the user's language.
        text: String,
    },
    /// Mark every unchecked item of a checklist compliant.
    CompliantRest {
        /// The visit (read again afterwards).
        visit_id: Uuid,
        /// One compliant finding per unchecked item.
        records: Vec<anfang_core::finding::FindingRecord>,
        /// The question, in the user's language.
        text: String,
    },
    /// Close a visit (it becomes read-only).
    Close {
        /// The visit.
        visit_id: Uuid,
        /// The question, in the user's language.
        text: String,
    },
}

impl Overlay {
    /// The keymap contexts while this pop-up is open.
    pub fn contexts(&self) -> Vec<Context> {
        match self {
            Overlay::Help { .. } => vec![Context::Picker, Context::Global],
            Overlay::Question(_) => vec![Context::Prompt],
            Overlay::AddChecklist { .. } => vec![Context::Picker, Context::Global],
            Overlay::AttachPath { .. } | Overlay::AskName { .. } => vec![Context::Entry],
        }
    }

    /// The commands the footer offers while this pop-up is open.
    pub fn hint_commands(&self) -> &'static [Command] {
        match self {
            Overlay::Help { .. } => &[Command::Down, Command::Back],
            Overlay::Question(_) => &[Command::Yes, Command::No],
            Overlay::AddChecklist { .. } | Overlay::AttachPath { .. } | Overlay::AskName { .. } => {
                &[Command::Select, Command::Back]
            }
        }
    }

    /// The text field typed into, if any.
    pub fn field_mut(&mut self) -> Option<&mut TextArea<'static>> {
        match self {
            Overlay::AttachPath { path, .. } => Some(path),
            Overlay::AskName { name, .. } => Some(name),
            _ => None,
        }
    }
}

/// Runs a command in a pop-up. Returns whether the pop-up closes.
pub fn update(overlay: &mut Overlay, ctx: &Ctx<'_>, command: Command) -> (bool, Out) {
    match overlay {
        Overlay::Help { scroll, .. } => match command {
            Command::Up => *scroll = scroll.saturating_sub(1),
            Command::Down => *scroll += 1,
            Command::PageUp => *scroll = scroll.saturating_sub(10),
            Command::PageDown => *scroll += 10,
            Command::Top => *scroll = 0,
            _ => return (true, Out::none()),
        },
        Overlay::Question(question) => match command {
            Command::Yes => {
                let out = match question {
                    Question::Resume { visit_id, .. } => crate::screens::home::open(*visit_id),
                    Question::Abandon { .. } => Out::nav(crate::screens::Nav::Pop),
                    Question::CompliantRest {
                        visit_id, records, ..
                    } => Out::effect(Effect::RecordMany {
                        visit_id: *visit_id,
                        records: std::mem::take(records),
                    }),
                    Question::Close { visit_id, .. } => {
                        Out::effect(Effect::CloseVisit(VisitClosed {
                            visit_id: *visit_id,
                            closed_at: ctx.now,
                        }))
                    }
                };
                return (true, out);
            }
            Command::No | Command::Back | Command::Quit => return (true, Out::none()),
            _ => {}
        },
        Overlay::AddChecklist {
            visit_id,
            options,
            selected,
        } => match command {
            Command::Up => *selected = list::step(*selected, -1, options.len()),
            Command::Down => *selected = list::step(*selected, 1, options.len()),
            Command::Select => {
                let Some((_, snapshot)) = options.get(*selected) else {
                    return (true, Out::none());
                };
                let effect = Effect::AddChecklist(ChecklistAdded {
                    visit_id: *visit_id,
                    checklist: snapshot.clone(),
                });
                return (true, Out::effect(effect));
            }
            Command::Back | Command::Quit => return (true, Out::none()),
            _ => {}
        },
        Overlay::AttachPath {
            finding_id,
            visit_id,
            path,
        } => match command {
            Command::Select => {
                let typed = field::text(path);
                let typed = typed.trim();
                if typed.is_empty() {
                    return (true, Out::none());
                }
                let effect = Effect::Attach {
                    finding_id: *finding_id,
                    visit_id: *visit_id,
                    path: PathBuf::from(typed),
                };
                return (true, Out::effect(effect));
            }
            Command::Back => return (true, Out::none()),
            _ => {}
        },
        Overlay::AskName {
            name,
            finding_id,
            decision,
            reason,
        } => match command {
            Command::Select => {
                let typed = field::text(name).trim().to_string();
                if typed.is_empty() {
                    return (false, Out::none());
                }
                let decide = Effect::Review(ReviewEffect::Decide {
                    finding_id: *finding_id,
                    reviewer: typed.clone(),
                    decision: decision.clone(),
                    reason: reason.clone(),
                });
                let mut out = Out::effect(Effect::SaveName(typed));
                out.effects.push(decide);
                return (true, out);
            }
            Command::Back => {
                let mut out = Out::none();
                out.status = Some(Status::Info(t(ctx.lang, "name.not_decided").to_string()));
                return (true, out);
            }
            _ => {}
        },
    }
    (false, Out::none())
}

/// A band across the full width, `height` rows tall, centred vertically.
fn band(area: Rect, height: u16) -> Rect {
    let height = height.min(area.height);
    let y = area.y + (area.height - height) / 2;
    Rect::new(area.x, y, area.width, height)
}

/// Draws the pop-up.
pub fn view(overlay: &Overlay, state: &State, frame: &mut Frame<'_>) {
    let lang = state.lang;
    let area = frame.area();
    match overlay {
        Overlay::Help { contexts, scroll } => {
            let rect = Rect::new(
                area.x,
                area.y + 1,
                area.width,
                area.height.saturating_sub(2),
            );
            frame.render_widget(Clear, rect);
            let block = Block::bordered().title(Line::from(t(lang, "help.title")).style(bold()));
            let inner = block.inner(rect);
            frame.render_widget(block, rect);
            // Side by side when the list would not fit one column.
            let total: usize = contexts
                .iter()
                .map(|c| help_lines(state, &[*c], inner.width).len() + 1)
                .sum();
            if total > usize::from(inner.height) && contexts.len() > 1 && inner.width >= 60 {
                let columns =
                    Layout::horizontal(contexts.iter().map(|_| Constraint::Fill(1))).split(inner);
                for (context, column) in contexts.iter().zip(columns.iter()) {
                    let lines = help_lines(state, &[*context], column.width.saturating_sub(1));
                    let visible: Vec<Line> = lines
                        .into_iter()
                        .skip(*scroll)
                        .take(usize::from(column.height))
                        .collect();
                    frame.render_widget(Paragraph::new(visible), *column);
                }
            } else {
                let lines = help_lines(state, contexts, inner.width);
                let visible: Vec<Line> = lines
                    .into_iter()
                    .skip(*scroll)
                    .take(usize::from(inner.height))
                    .collect();
                frame.render_widget(Paragraph::new(visible), inner);
            }
        }
        Overlay::Question(question) => {
            let text = match question {
                Question::Resume { text, .. }
                | Question::Abandon { text }
                | Question::CompliantRest { text, .. }
                | Question::Close { text, .. } => text,
            };
            let width = usize::from(area.width.saturating_sub(4));
            let mut lines: Vec<Line> = text::wrap(text, width)
                .into_iter()
                .map(Line::from)
                .collect();
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(t(lang, "prompt.yes_no"), bold())));
            let rect = band(area, lines.len() as u16 + 2);
            frame.render_widget(Clear, rect);
            let block = Block::bordered().border_style(Style::default().fg(Color::Yellow));
            let inner = block.inner(rect);
            frame.render_widget(block, rect);
            frame.render_widget(
                Paragraph::new(lines),
                inner.inner(ratatui::layout::Margin::new(1, 0)),
            );
        }
        Overlay::AddChecklist {
            options, selected, ..
        } => {
            let rect = band(
                area,
                (options.len() as u16 + 2).clamp(3, area.height.saturating_sub(4)),
            );
            frame.render_widget(Clear, rect);
            let block =
                Block::bordered().title(Line::from(t(lang, "visit.add_checklist")).style(bold()));
            let inner = block.inner(rect);
            frame.render_widget(block, rect);
            if options.is_empty() {
                frame.render_widget(Paragraph::new(t(lang, "visit.no_more_checklists")), inner);
                return;
            }
            let height = usize::from(inner.height);
            let offset = list::offset(*selected, height);
            let lines: Vec<Line> = options
                .iter()
                .enumerate()
                .skip(offset)
                .take(height)
                .map(|(i, (title, _))| {
                    let line = text::fit(&format!(" {title}"), usize::from(inner.width));
                    if i == *selected {
                        Line::from(Span::styled(
                            line,
                            Style::default().add_modifier(Modifier::REVERSED),
                        ))
                    } else {
                        Line::from(line)
                    }
                })
                .collect();
            frame.render_widget(Paragraph::new(lines), inner);
        }
        Overlay::AttachPath { path, .. } => draw_entry(
            frame,
            area,
            t(lang, "visit.attach_prompt"),
            path,
            t(lang, "visit.attach_hint"),
        ),
        Overlay::AskName { name, .. } => draw_entry(
            frame,
            area,
            t(lang, "name.prompt"),
            name,
            t(lang, "name.hint"),
        ),
    }
}

/// A one-line entry in a band: the title on its border, the field, a hint.
fn draw_entry(
    frame: &mut Frame<'_>,
    area: Rect,
    title: &str,
    entry: &TextArea<'static>,
    hint: &str,
) {
    let rect = band(area, 4);
    frame.render_widget(Clear, rect);
    let block = Block::bordered().title(Line::from(title).style(bold()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [field_row, hint_row] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(inner);
    field::draw(frame, field_row, entry, true, Style::default());
    frame.render_widget(
        Paragraph::new(Span::styled(hint, Style::default().fg(Color::DarkGray))),
        hint_row,
    );
}

fn bold() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}

/// The help text: each context's bindings, a heading per context.
pub fn help_lines(state: &State, contexts: &[Context], width: u16) -> Vec<Line<'static>> {
    let lang = state.lang;
    let key_w = 9;
    let mut lines = Vec::new();
    for context in contexts {
        let bindings = state.keymap.bindings(*context);
        if bindings.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(Line::from(""));
        }
        let heading = match context {
            Context::Global => t(lang, "help.global"),
            _ => t(lang, "help.screen"),
        };
        lines.push(Line::from(Span::styled(
            heading.to_string(),
            bold().fg(Color::Cyan),
        )));
        // One line per command, its keys together: `right ]  Next checklist`.
        let mut seen: Vec<crate::command::Command> = Vec::new();
        for b in bindings {
            if seen.contains(&b.command) {
                continue;
            }
            seen.push(b.command);
            let keys: Vec<&str> = bindings
                .iter()
                .filter(|o| o.command == b.command)
                .map(|o| o.on.as_str())
                .collect();
            let keys = keys.join(" ");
            let key_w = key_w.max(text::width(&keys).min(usize::from(width) / 3));
            let desc_w = usize::from(width).saturating_sub(key_w + 2);
            lines.push(Line::from(vec![
                Span::styled(format!(" {}", text::fit(&keys, key_w)), bold()),
                Span::raw(" "),
                Span::raw(text::truncate(b.desc.get(lang), desc_w)),
            ]));
        }
        // The ranking's rule for ties, where the ranking is shown.
        if *context == Context::Scores {
            let rule = anfang_core::tally::TIE_RULE;
            let rule = if lang == anfang_core::Lang::Zh {
                rule.0
            } else {
                rule.1
            };
            lines.extend(
                text::wrap(rule, usize::from(width).saturating_sub(1).max(4))
                    .into_iter()
                    .map(|l| Line::from(format!(" {l}"))),
            );
        }
    }
    lines
}
