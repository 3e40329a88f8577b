//! New visit: the unit (chosen from those seen before or typed), kind,
//! team and checklists. The start time is the clock's.
//!
//! When the office keeps a register of units, the form offers its units
//! (typing filters by name, alias and former name), records a unit reached
//! by another name under its registered name, and does not let a name
//! outside the register become a new unit unnoticed: the form names the
//! nearest registered names, and only starting again with the same name
//! records it as a new unit.

use crate::command::Command;
use crate::effect::Effect;
use crate::i18n::{t, tf};
use crate::screens::overlay::{Overlay, Question};
use crate::screens::{Ctx, Nav, Out};
use crate::state::State;
use crate::text;
use crate::widgets::{chrome, field, list, time};
use anfang_core::Lang;
use anfang_core::event::VisitOpened;
use anfang_core::manifest::ChecklistSnapshot;
use anfang_core::register::{Register, UnitRegistered};
use anfang_core::unit_match;
use anfang_core::visit::{Unit, VisitKind};
use anfang_export::import::closest;
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui_textarea::TextArea;

/// The fields of the form, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Unit name, with suggestions from known units.
    Unit,
    /// The unit's department.
    Department,
    /// Unannounced or open.
    Kind,
    /// Team members, separated by commas.
    Team,
    /// Checklists to walk.
    Checklists,
}

const FIELDS: [Field; 5] = [
    Field::Unit,
    Field::Department,
    Field::Kind,
    Field::Team,
    Field::Checklists,
];

/// One checklist offered for the visit.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Offered {
    /// The checklist.
    pub snapshot: ChecklistSnapshot,
    /// The plugin's name, for display.
    pub source: String,
    /// Whether it will be walked.
    pub chosen: bool,
}

/// The form's state.
#[derive(Debug, Clone)]
pub struct NewVisitState {
    /// The id the visit will be opened under: chosen with the form, so a
    /// draft restored after a crash can tell whether it was opened already.
    pub visit_id: uuid::Uuid,
    /// Unit name.
    pub unit: TextArea<'static>,
    /// Department.
    pub department: TextArea<'static>,
    /// Kind of visit.
    pub kind: VisitKind,
    /// Team, comma separated.
    pub team: TextArea<'static>,
    /// Units seen before.
    pub known: Vec<Unit>,
    /// Selected suggestion among the known units matching the typed name.
    pub suggestion: usize,
    /// Checklists on offer.
    pub checklists: Vec<Offered>,
    /// Selected checklist row.
    pub checklist: usize,
    /// The office's register of units; empty without one.
    pub register: Register,
    /// A name outside the register the user chose to record as a new unit.
    pub new_unit: Option<String>,
    /// The finding this visit re-checks (复查), when opened from Review.
    pub rechecks: Option<uuid::Uuid>,
    /// Department the default choice was made for.
    defaults_for: String,
    /// Focused field.
    pub focus: Field,
}

impl NewVisitState {
    /// A blank form; the team defaults to the last visit's team, or the user.
    pub fn new(ctx: &Ctx<'_>, known: Vec<Unit>, last_team: Option<&[String]>) -> NewVisitState {
        let sep = if ctx.lang == Lang::Zh { "、" } else { ", " };
        let team = match last_team {
            Some(team) if !team.is_empty() => team.join(sep),
            _ => ctx.user_name.to_string(),
        };
        let mut state = NewVisitState {
            visit_id: uuid::Uuid::now_v7(),
            unit: field::line(""),
            department: field::line(""),
            kind: VisitKind::Unannounced,
            team: field::line(&team),
            known,
            suggestion: 0,
            checklists: Vec::new(),
            checklist: 0,
            register: Register::default(),
            new_unit: None,
            rechecks: None,
            defaults_for: String::from("\u{0}"),
            focus: Field::Unit,
        };
        state.offer(ctx);
        state
    }

    /// A follow-up visit (复查) of `unit`, linked to the finding it
    /// re-checks; the team is asked for first.
    pub fn recheck(ctx: &Ctx<'_>, known: Vec<Unit>, unit: &Unit, finding_id: uuid::Uuid) -> Self {
        let mut state = NewVisitState::new(ctx, known, None);
        state.unit = field::line(&unit.name);
        state.department = field::line(&unit.department);
        state.rechecks = Some(finding_id);
        state.focus = Field::Team;
        state.offer(ctx);
        state
    }

    /// A form restored from a draft: `[unit, department, team]`, and the
    /// checklists on offer with the selected suggestion and checklist row.
    pub fn restored(
        visit_id: uuid::Uuid,
        [unit, department, team]: [TextArea<'static>; 3],
        kind: VisitKind,
        known: Vec<Unit>,
        (checklists, suggestion, checklist): (Vec<Offered>, usize, usize),
        focus: Field,
    ) -> NewVisitState {
        // The choices were made for what is typed: keep them.
        let defaults_for = format!(
            "{}\n{}",
            field::text(&department).trim(),
            field::text(&unit).trim()
        );
        NewVisitState {
            visit_id,
            unit,
            department,
            kind,
            team,
            known,
            suggestion,
            checklists,
            checklist,
            register: Register::default(),
            new_unit: None,
            rechecks: None,
            defaults_for,
            focus,
        }
    }

    /// Whether the user typed a unit or department (leaving then asks first).
    pub fn typed(&self) -> bool {
        !field::text(&self.unit).trim().is_empty()
            || !field::text(&self.department).trim().is_empty()
    }

    /// The units on offer that what was typed picks: the register's, by
    /// the characters or pinyin initials of a name, alias or former name
    /// (`swj` → 税务局), or without a register the units seen before whose
    /// name contains it.
    pub fn suggestions(&self) -> Vec<Unit> {
        let typed = field::text(&self.unit);
        let typed = typed.trim();
        if !self.register.is_empty() {
            return self
                .register
                .units
                .iter()
                .filter(|u| {
                    u.names().any(|n| unit_match::matches(typed, n))
                        || u.department.contains(typed)
                        || self
                            .register
                            .former_names
                            .iter()
                            .any(|(id, n)| *id == u.unit_id && unit_match::matches(typed, n))
                })
                .map(UnitRegistered::unit)
                .collect();
        }
        self.known
            .iter()
            .filter(|u| typed.is_empty() || u.name.contains(typed) || u.department.contains(typed))
            .cloned()
            .collect()
    }

    /// With a register, the typed name when the register does not know it,
    /// and the nearest registered names (at most three).
    pub fn outside_register(&self) -> Option<(String, Vec<String>)> {
        let typed = field::text(&self.unit).trim().to_string();
        if self.register.is_empty() || typed.is_empty() || self.register.resolve(&typed).is_some() {
            return None;
        }
        let mut near: Vec<String> = Vec::new();
        for name in closest(&typed, self.register.all_names(), 6) {
            if let Some(unit) = self.register.resolve(name)
                && !near.contains(&unit.name)
            {
                near.push(unit.name.clone());
            }
        }
        near.truncate(3);
        Some((typed, near))
    }

    /// Re-offers the checklists when the department changed.
    fn offer(&mut self, ctx: &Ctx<'_>) {
        let department = field::text(&self.department).trim().to_string();
        let unit = field::text(&self.unit).trim().to_string();
        let key = format!("{department}\n{unit}");
        if key == self.defaults_for {
            return;
        }
        self.defaults_for = key;
        self.checklists = ctx
            .catalog
            .offer(&department, &unit)
            .into_iter()
            .map(|(snapshot, chosen)| {
                let source = ctx
                    .catalog
                    .manifests
                    .iter()
                    .find(|m| m.id == snapshot.plugin_id)
                    .map(|m| m.name.get(ctx.lang).to_string())
                    .unwrap_or_default();
                Offered {
                    snapshot,
                    source,
                    chosen,
                }
            })
            .collect();
        self.checklist = self.checklist.min(self.checklists.len().saturating_sub(1));
    }

    /// The focused text field, if the focus is on one.
    pub fn field_mut(&mut self) -> Option<&mut TextArea<'static>> {
        match self.focus {
            Field::Unit => Some(&mut self.unit),
            Field::Department => Some(&mut self.department),
            Field::Team => Some(&mut self.team),
            Field::Kind | Field::Checklists => None,
        }
    }

    fn move_focus(&mut self, ctx: &Ctx<'_>, delta: isize) {
        let i = FIELDS.iter().position(|f| *f == self.focus).unwrap_or(0);
        let next = (i as isize + delta).rem_euclid(FIELDS.len() as isize) as usize;
        self.focus = FIELDS[next];
        self.offer(ctx);
    }

    fn pick_suggestion(&mut self, ctx: &Ctx<'_>) {
        if let Some(unit) = self.suggestions().get(self.suggestion).cloned() {
            self.unit = field::line(&unit.name);
            self.department = field::line(&unit.department);
            self.offer(ctx);
        }
    }
}

/// Splits a typed team list at commas (ASCII or Chinese) and 、.
pub fn parse_team(text: &str) -> Vec<String> {
    text.split([',', '，', '、', ';', '；'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A key typed into the focused field.
pub fn input(form: &mut NewVisitState, ctx: &Ctx<'_>, key: KeyEvent) {
    if let Some(area) = form.field_mut() {
        field::feed(area, key, false);
    }
    if form.focus == Field::Unit {
        form.suggestion = 0;
    }
    if matches!(form.focus, Field::Unit | Field::Department) {
        form.offer(ctx);
    }
}

/// Pasted text goes into the focused field.
pub fn paste(form: &mut NewVisitState, ctx: &Ctx<'_>, text: &str) {
    if let Some(area) = form.field_mut() {
        area.insert_str(text.replace(['\n', '\r'], " "));
    }
    form.offer(ctx);
}

/// Runs a command on the form.
pub fn update(form: &mut NewVisitState, ctx: &Ctx<'_>, command: Command) -> Out {
    let lang = ctx.lang;
    match (command, form.focus) {
        (Command::Back | Command::Quit, _) if form.typed() => {
            // What was typed is dropped only when the user says so.
            return Out::nav(Nav::Overlay(Overlay::Question(Question::Abandon {
                text: t(lang, "new_visit.abandon_question").to_string(),
            })));
        }
        (Command::Back | Command::Quit, _) => return Out::nav(Nav::Pop),
        (Command::NextField, _) => form.move_focus(ctx, 1),
        (Command::PrevField, _) => form.move_focus(ctx, -1),
        (Command::Up, Field::Unit) => form.suggestion = form.suggestion.saturating_sub(1),
        (Command::Down, Field::Unit) => {
            form.suggestion = list::step(form.suggestion, 1, form.suggestions().len())
        }
        (Command::Select, Field::Unit) => {
            form.pick_suggestion(ctx);
            form.move_focus(ctx, 1);
            if !field::text(&form.department).trim().is_empty() {
                form.move_focus(ctx, 1);
            }
        }
        (Command::Toggle, Field::Kind) => {
            form.kind = match form.kind {
                VisitKind::Unannounced => VisitKind::Open,
                VisitKind::Open => VisitKind::Unannounced,
            }
        }
        (Command::Up, Field::Checklists) => {
            form.checklist = list::step(form.checklist, -1, form.checklists.len())
        }
        (Command::Down, Field::Checklists) => {
            form.checklist = list::step(form.checklist, 1, form.checklists.len())
        }
        (Command::Toggle, Field::Checklists) => {
            if let Some(offered) = form.checklists.get_mut(form.checklist) {
                offered.chosen = !offered.chosen;
            }
        }
        (Command::Select, Field::Checklists) | (Command::StartVisit, _) => return start(form, ctx),
        (Command::Select, _) => form.move_focus(ctx, 1),
        (Command::Up, _) => form.move_focus(ctx, -1),
        (Command::Down, _) => form.move_focus(ctx, 1),
        _ => {}
    }
    Out::none()
}

/// Checks the form and asks the runtime to record the visit.
pub fn start(form: &mut NewVisitState, ctx: &Ctx<'_>) -> Out {
    let lang = ctx.lang;
    form.offer(ctx);
    let mut name = field::text(&form.unit).trim().to_string();
    let mut department = field::text(&form.department).trim().to_string();
    // A registered unit, by whatever name it was reached, is recorded
    // under its registered name and department.
    if let Some(unit) = form.register.resolve(&name) {
        name = unit.name.clone();
        department = unit.department.clone();
        form.unit = field::line(&name);
        form.department = field::line(&department);
    }
    let team = parse_team(&field::text(&form.team));
    if let Some((typed, near)) = form.outside_register()
        && form.new_unit.as_deref() != Some(typed.as_str())
    {
        form.new_unit = Some(typed.clone());
        form.focus = Field::Unit;
        let key = if near.is_empty() {
            "new_visit.not_registered"
        } else {
            "new_visit.not_registered_near"
        };
        return Out::error(tf(
            lang,
            key,
            &[("name", &typed), ("near", &near.join("、"))],
        ));
    }
    let (missing, focus) = if name.is_empty() {
        (Some(t(lang, "new_visit.need_unit")), Field::Unit)
    } else if department.is_empty() {
        (
            Some(t(lang, "new_visit.need_department")),
            Field::Department,
        )
    } else if team.is_empty() {
        (Some(t(lang, "new_visit.need_team")), Field::Team)
    } else if !form.checklists.iter().any(|c| c.chosen) {
        (Some(t(lang, "new_visit.need_checklist")), Field::Checklists)
    } else {
        (None, form.focus)
    };
    if let Some(message) = missing {
        form.focus = focus;
        return Out::error(message);
    }
    // The register's id, so the visit's findings follow the unit through renames.
    let unit_id = form.register.resolve(&name).map(|u| u.unit_id);
    let opened = VisitOpened {
        rechecks: form.rechecks.map(|finding_id| vec![finding_id]),
        unit_id,
        visit_id: form.visit_id,
        unit: Unit { name, department },
        kind: form.kind,
        team,
        started_at: ctx.now,
        checklists: form
            .checklists
            .iter()
            .filter(|c| c.chosen)
            .map(|c| c.snapshot.clone())
            .collect(),
    };
    Out::effect(Effect::OpenVisit(opened))
}

struct Areas {
    unit: Rect,
    suggestions: Rect,
    department: Rect,
    kind: Rect,
    team: Rect,
    start: Rect,
    checklists: Rect,
}

const LABEL_W: u16 = 14;

fn areas(body: Rect) -> Areas {
    let [unit, suggestions, department, kind, team, start, checklists] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(4),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
    ])
    .areas(body.inner(ratatui::layout::Margin::new(1, 0)));
    Areas {
        unit,
        suggestions,
        department,
        kind,
        team,
        start,
        checklists,
    }
}

fn value(row: Rect) -> Rect {
    Rect::new(
        row.x + LABEL_W,
        row.y,
        row.width.saturating_sub(LABEL_W),
        row.height,
    )
}

/// A click focuses a field or selects a suggestion or checklist.
pub fn click(form: &mut NewVisitState, ctx: &Ctx<'_>, x: u16, y: u16) {
    let (_, body, _) = chrome::split(Rect::new(0, 0, ctx.size.0, ctx.size.1));
    let a = areas(body);
    let on = |r: Rect| y >= r.y && y < r.y + r.height;
    if on(a.unit) {
        form.focus = Field::Unit;
    } else if on(a.suggestions) {
        let i = usize::from(y - a.suggestions.y);
        if i < form.suggestions().len() {
            form.suggestion = i;
            form.pick_suggestion(ctx);
        }
    } else if on(a.department) {
        form.focus = Field::Department;
    } else if on(a.kind) {
        form.focus = Field::Kind;
    } else if on(a.team) {
        form.focus = Field::Team;
    } else if let Some(i) = list::hit(a.checklists, 1, x, y, form.checklist, form.checklists.len())
    {
        form.focus = Field::Checklists;
        form.checklist = i;
    }
    form.offer(ctx);
}

/// Draws the form.
pub fn view(form: &NewVisitState, state: &State, frame: &mut Frame<'_>) {
    let lang = state.lang;
    let (title, body, footer) = chrome::split(frame.area());
    let heading = match form.rechecks {
        Some(finding_id) => {
            let id = finding_id.to_string();
            tf(
                lang,
                "new_visit.recheck_title",
                &[("finding", &id.get(..8).unwrap_or(&id))],
            )
        }
        None => t(lang, "new_visit.title").to_string(),
    };
    chrome::title(frame, title, &heading, &time::show(state.now, &state.tz));
    chrome::footer(
        frame,
        footer,
        state,
        &[
            Command::NextField,
            Command::Toggle,
            Command::StartVisit,
            Command::Back,
        ],
    );
    let a = areas(body);
    let label = |frame: &mut Frame<'_>, row: Rect, key: &'static str, focused: bool| {
        let style = if focused {
            Style::default()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default()
        };
        frame.render_widget(
            Paragraph::new(Span::styled(
                text::fit(t(lang, key), usize::from(LABEL_W)),
                style,
            )),
            row,
        );
    };
    let input_style = Style::default().bg(Color::DarkGray);

    label(frame, a.unit, "new_visit.unit", form.focus == Field::Unit);
    field::draw(
        frame,
        value(a.unit),
        &form.unit,
        form.focus == Field::Unit,
        input_style,
    );

    let suggestions = form.suggestions();
    let dim = Style::default().fg(Color::DarkGray);
    // A name outside the register is said once nothing on offer matches it.
    let outside = form.outside_register().filter(|_| suggestions.is_empty());
    let lines: Vec<Line> = if let Some((typed, near)) = outside {
        let width = usize::from(value(a.suggestions).width);
        let mut lines = vec![Line::from(Span::styled(
            text::fit(
                &tf(lang, "new_visit.outside_register", &[("name", &typed)]),
                width,
            ),
            Style::default().fg(Color::Yellow),
        ))];
        if !near.is_empty() {
            lines.push(Line::from(Span::styled(
                text::fit(
                    &tf(lang, "new_visit.nearest", &[("near", &near.join("、"))]),
                    width,
                ),
                dim,
            )));
        }
        lines.push(Line::from(Span::styled(
            text::fit(t(lang, "new_visit.record_as_new"), width),
            dim,
        )));
        lines
    } else if form.known.is_empty() && form.register.is_empty() {
        vec![Line::from(Span::styled(
            t(lang, "new_visit.no_known_units"),
            Style::default().fg(Color::DarkGray),
        ))]
    } else {
        let height = usize::from(a.suggestions.height);
        let offset = list::offset(form.suggestion, height);
        suggestions
            .iter()
            .enumerate()
            .skip(offset)
            .take(height)
            .map(|(i, u)| {
                let text = text::fit(
                    &format!("  {} ({})", u.name, u.department),
                    usize::from(value(a.suggestions).width),
                );
                if i == form.suggestion && form.focus == Field::Unit {
                    Line::from(Span::styled(
                        text,
                        Style::default().add_modifier(Modifier::REVERSED),
                    ))
                } else {
                    Line::from(Span::styled(text, Style::default().fg(Color::Gray)))
                }
            })
            .collect()
    };
    frame.render_widget(Paragraph::new(lines), value(a.suggestions));
    if form.focus == Field::Unit && !(form.known.is_empty() && form.register.is_empty()) {
        let hint = if form.register.is_empty() {
            "new_visit.known_hint"
        } else {
            "new_visit.register_hint"
        };
        frame.render_widget(
            Paragraph::new(Span::styled(
                text::fit(t(lang, hint), usize::from(LABEL_W)),
                Style::default().fg(Color::DarkGray),
            )),
            Rect::new(a.suggestions.x, a.suggestions.y, LABEL_W, 1),
        );
    }

    label(
        frame,
        a.department,
        "new_visit.department",
        form.focus == Field::Department,
    );
    field::draw(
        frame,
        value(a.department),
        &form.department,
        form.focus == Field::Department,
        input_style,
    );

    label(frame, a.kind, "new_visit.kind", form.focus == Field::Kind);
    let kinds: Vec<Span> = [VisitKind::Unannounced, VisitKind::Open]
        .into_iter()
        .flat_map(|k| {
            let chosen = k == form.kind;
            let mark = if chosen { "(*) " } else { "( ) " };
            let style = if chosen {
                Style::default().add_modifier(Modifier::BOLD)
            } else {
                Style::default()
            };
            [
                Span::styled(format!("{mark}{}", k.label().get(lang)), style),
                Span::raw("   "),
            ]
        })
        .collect();
    frame.render_widget(Paragraph::new(Line::from(kinds)), value(a.kind));

    label(frame, a.team, "new_visit.team", form.focus == Field::Team);
    field::draw(
        frame,
        value(a.team),
        &form.team,
        form.focus == Field::Team,
        input_style,
    );

    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::raw(text::fit(
                t(lang, "new_visit.start_time"),
                usize::from(LABEL_W),
            )),
            Span::raw(time::show(state.now, &state.tz)),
        ])),
        a.start,
    );

    let focused = form.focus == Field::Checklists;
    let title_style = if focused {
        Style::default()
            .fg(Color::Yellow)
            .add_modifier(Modifier::BOLD)
    } else {
        Style::default().add_modifier(Modifier::BOLD)
    };
    let block = Block::new().title(Line::from(t(lang, "new_visit.checklists")).style(title_style));
    let inner = block.inner(a.checklists);
    frame.render_widget(block, a.checklists);
    let height = usize::from(inner.height);
    let offset = list::offset(form.checklist, height);
    let width = usize::from(inner.width);
    let lines: Vec<Line> = form
        .checklists
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, c)| {
            let mark = if c.chosen { "[x]" } else { "[ ]" };
            let items = crate::i18n::tf(
                lang,
                "new_visit.items",
                &[("n", &c.snapshot.checklist.items.len())],
            );
            let text = text::fit(
                &format!(
                    "{mark} {} - {} ({items})",
                    c.snapshot.checklist.label.get(lang),
                    c.source
                ),
                width,
            );
            if focused && i == form.checklist {
                Line::from(Span::styled(
                    text,
                    Style::default().add_modifier(Modifier::REVERSED),
                ))
            } else {
                Line::from(text)
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
