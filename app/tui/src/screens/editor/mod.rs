//! Finding editor: result, count, who/where, evidence note, observation
//! time and whatever the item's rule needs. Leaving the editor saves; there
//! is no separate save step. A correction supersedes the version it edits.

use crate::command::Command;
use crate::effect::Effect;
use crate::i18n::{t, tf};
use crate::model::FindingView;
use crate::screens::{Ctx, Nav, Out};
use crate::widgets::{chrome, field, time};
use anfang_core::finding::{FindingRecord, FindingResult};
use anfang_core::manifest::{ChecklistSnapshot, Item, ItemRef};
use anfang_core::rule::{InputField, InputType, Rule, RuleInput};
use anfang_core::{Label, Points};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui_textarea::TextArea;
use uuid::Uuid;

mod view;

pub use view::view;

/// The editor's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Violation, compliant, not applicable.
    Result,
    /// Person-times, cases, ….
    Count,
    /// Points per count within a range rule's bounds.
    Chosen,
    /// The percentage of a below-threshold rule.
    Percent,
    /// One input of a computed rule.
    Input(usize),
    /// Points entered by hand, used if the plugin cannot compute them.
    HandPoints,
    /// Badge number, name or window.
    Subject,
    /// When it was observed.
    Observed,
    /// The evidence note.
    Note,
}

/// The editor's state.
#[derive(Debug, Clone)]
pub struct EditorState {
    /// The visit.
    pub visit_id: Uuid,
    /// The finding (kept across corrections).
    pub finding_id: Uuid,
    /// The event id of the version this edit corrects.
    pub supersedes: Option<String>,
    /// The version being corrected (to detect "nothing changed").
    pub original: Option<FindingRecord>,
    /// Which version this edit will be.
    pub version: u32,
    /// The item.
    pub item: ItemRef,
    /// The item's label.
    pub label: Label,
    /// The item's rule.
    pub rule: Rule,
    /// The result.
    pub result: FindingResult,
    /// Count field.
    pub count: TextArea<'static>,
    /// The next digit typed replaces the count rather than adding to it
    /// (set when the count gets the focus or is stepped).
    pub count_fresh: bool,
    /// Range rule: points per count.
    pub chosen: TextArea<'static>,
    /// Below-threshold rule: percentage.
    pub percent: TextArea<'static>,
    /// Computed rule: its inputs.
    pub inputs: Vec<(InputField, TextArea<'static>)>,
    /// Computed rule: fallback points.
    pub hand_points: TextArea<'static>,
    /// Who or where.
    pub subject: TextArea<'static>,
    /// Observation time.
    pub observed: TextArea<'static>,
    /// The evidence note.
    pub note: TextArea<'static>,
    /// Focused field.
    pub focus: Field,
    /// Waiting for the ledger to confirm the save.
    pub saving: bool,
}

impl EditorState {
    /// A new finding on `item`; `quick` starts in the note (the common
    /// violation: `v`, type the note, Esc).
    pub fn new_finding(
        ctx: &Ctx<'_>,
        visit_id: Uuid,
        checklist: &ChecklistSnapshot,
        item: &Item,
        quick: bool,
    ) -> EditorState {
        let mut editor = EditorState::blank(
            ctx,
            visit_id,
            Uuid::now_v7(),
            checklist.item_ref(item),
            item,
        );
        editor.focus = if quick { Field::Note } else { Field::Result };
        editor
    }

    /// A correction of `finding`'s current version.
    pub fn correct(
        ctx: &Ctx<'_>,
        checklist: &ChecklistSnapshot,
        item: &Item,
        finding: &FindingView,
    ) -> EditorState {
        let r = &finding.record;
        let mut editor = EditorState::blank(
            ctx,
            r.visit_id,
            r.finding_id,
            checklist.item_ref(item),
            item,
        );
        // The finding keeps the item reference it was recorded under.
        editor.item = r.item.clone();
        editor.supersedes = Some(finding.event_id.clone());
        editor.original = Some(r.clone());
        editor.version = finding.versions + 1;
        editor.result = r.result;
        editor.count = field::line(&r.input.count.to_string());
        if let Some(chosen) = r.input.chosen {
            editor.chosen = field::line(&chosen.to_string());
        }
        if let Some(percent) = r.input.percent {
            editor.percent = field::line(&percent.to_string());
        }
        for (input, area) in &mut editor.inputs {
            if let Some(value) = r.input.values.get(&input.id) {
                *area = field::line(&value.to_string());
            }
        }
        if r.points_by_hand {
            editor.hand_points = field::line(&r.points.to_string());
        }
        editor.subject = field::line(r.subject.as_deref().unwrap_or(""));
        editor.observed = field::line(&time::show(r.observed_at, ctx.tz));
        editor.note = field::note(&r.note);
        editor.focus = Field::Note;
        editor
    }

    fn blank(
        ctx: &Ctx<'_>,
        visit_id: Uuid,
        finding_id: Uuid,
        item_ref: ItemRef,
        item: &Item,
    ) -> EditorState {
        let inputs = match &item.rule {
            Rule::Computed { inputs, .. } => inputs
                .iter()
                .map(|i| (i.clone(), field::line("")))
                .collect(),
            _ => Vec::new(),
        };
        let chosen = match item.rule {
            Rule::Range { min, .. } => min.to_string(),
            _ => String::new(),
        };
        EditorState {
            visit_id,
            finding_id,
            supersedes: None,
            original: None,
            version: 1,
            item: item_ref,
            label: item.label.clone(),
            rule: item.rule.clone(),
            result: FindingResult::Violation,
            count: field::line("1"),
            count_fresh: true,
            chosen: field::line(&chosen),
            percent: field::line(""),
            inputs,
            hand_points: field::line(""),
            subject: field::line(""),
            observed: field::line(&time::show(ctx.now, ctx.tz)),
            note: field::note(""),
            focus: Field::Note,
            saving: false,
        }
    }

    /// The fields this item's rule shows, in order. The rule's fields come
    /// right before the note, so from the note (where `v` starts) one
    /// Shift-Tab reaches the count.
    pub fn fields(&self) -> Vec<Field> {
        let mut fields = vec![Field::Result, Field::Subject, Field::Observed];
        match &self.rule {
            Rule::PerCount { .. } => fields.push(Field::Count),
            Rule::Range { .. } => fields.extend([Field::Count, Field::Chosen]),
            Rule::BelowThreshold { .. } => fields.push(Field::Percent),
            Rule::Computed { inputs, .. } => {
                fields.extend((0..inputs.len()).map(Field::Input));
                fields.push(Field::HandPoints);
            }
        }
        fields.push(Field::Note);
        fields
    }

    /// The focused text field and whether it takes several lines.
    pub fn field_mut(&mut self) -> Option<(&mut TextArea<'static>, bool)> {
        Some(match self.focus {
            Field::Result => return None,
            Field::Count => (&mut self.count, false),
            Field::Chosen => (&mut self.chosen, false),
            Field::Percent => (&mut self.percent, false),
            Field::Input(i) => (&mut self.inputs.get_mut(i)?.1, false),
            Field::HandPoints => (&mut self.hand_points, false),
            Field::Subject => (&mut self.subject, false),
            Field::Observed => (&mut self.observed, false),
            Field::Note => (&mut self.note, true),
        })
    }

    fn field(&self, f: Field) -> Option<&TextArea<'static>> {
        Some(match f {
            Field::Result => return None,
            Field::Count => &self.count,
            Field::Chosen => &self.chosen,
            Field::Percent => &self.percent,
            Field::Input(i) => &self.inputs.get(i)?.1,
            Field::HandPoints => &self.hand_points,
            Field::Subject => &self.subject,
            Field::Observed => &self.observed,
            Field::Note => &self.note,
        })
    }

    fn counts(&self) -> bool {
        self.rule.count_unit().is_some()
    }

    /// The record this editor would save, with, for a computed rule, the
    /// maximum the plugin's answer is held to. The error names the bad value.
    pub fn draft(&self, ctx: &Ctx<'_>) -> Result<(FindingRecord, Option<Points>), String> {
        let lang = ctx.lang;
        let violation = self.result == FindingResult::Violation;
        let count_text = field::text(&self.count);
        let count = if self.counts() {
            match count_text.trim().parse::<u32>() {
                Ok(n) if n >= 1 || !violation => n,
                _ => {
                    return Err(tf(
                        lang,
                        "editor.bad_count",
                        &[("value", &count_text.trim())],
                    ));
                }
            }
        } else {
            1
        };
        let observed_text = field::text(&self.observed);
        let observed_at = time::parse(&observed_text, ctx.tz).ok_or_else(|| {
            tf(
                lang,
                "editor.bad_time",
                &[
                    ("value", &observed_text.trim()),
                    ("format", &"YYYY-MM-DD HH:MM"),
                ],
            )
        })?;
        let mut input = RuleInput {
            count,
            ..RuleInput::default()
        };
        let number =
            |area: &TextArea<'static>, key: &'static str| -> Result<Option<Points>, String> {
                let raw = field::text(area);
                let raw = raw.trim();
                if raw.is_empty() {
                    return Ok(None);
                }
                raw.parse::<f64>()
                    .ok()
                    .and_then(Points::from_f64)
                    .map(Some)
                    .ok_or_else(|| tf(lang, key, &[("value", &raw)]))
            };
        let mut compute = None;
        let mut points = Points::ZERO;
        match &self.rule {
            Rule::Range { .. } => input.chosen = number(&self.chosen, "editor.bad_number")?,
            Rule::BelowThreshold { .. } => {
                input.percent = number(&self.percent, "editor.bad_number")?
            }
            Rule::Computed { max, .. } => {
                for (spec, area) in &self.inputs {
                    let raw = field::text(area);
                    let raw = raw.trim();
                    if raw.is_empty() {
                        continue;
                    }
                    let value = match spec.input_type {
                        InputType::Integer => raw.parse::<u64>().ok().map(serde_json::Value::from),
                        InputType::Number | InputType::Percent => raw
                            .parse::<f64>()
                            .ok()
                            .filter(|v| {
                                v.is_finite()
                                    && (spec.input_type != InputType::Percent
                                        || (0.0..=100.0).contains(v))
                            })
                            .and_then(serde_json::Number::from_f64)
                            .map(serde_json::Value::Number),
                    }
                    .ok_or_else(|| {
                        tf(
                            lang,
                            "editor.bad_input",
                            &[("field", &spec.label.get(lang)), ("value", &raw)],
                        )
                    })?;
                    input.values.insert(spec.id.clone(), value);
                }
                if violation {
                    compute = Some(*max);
                    points =
                        number(&self.hand_points, "editor.bad_number")?.unwrap_or(Points::ZERO);
                }
            }
            Rule::PerCount { .. } => {}
        }
        if violation && compute.is_none() {
            points = self
                .rule
                .deduction(&input)
                .map_err(|e| tf(lang, "editor.rule_error", &[("error", &e)]))?;
        }
        let subject = field::text(&self.subject).trim().to_string();
        let record = FindingRecord {
            finding_id: self.finding_id,
            visit_id: self.visit_id,
            item: self.item.clone(),
            result: self.result,
            input,
            subject: (!subject.is_empty()).then_some(subject),
            note: field::text(&self.note).trim_end().to_string(),
            observed_at,
            points,
            // By hand only when the hand field holds points: with it empty a
            // failed computation asks for them rather than saving 0.
            points_by_hand: compute.is_some() && !field::text(&self.hand_points).trim().is_empty(),
            supersedes: self.supersedes.clone(),
            source: self.original.as_ref().and_then(|o| o.source.clone()),
        };
        Ok((record, compute))
    }

    /// Whether `record` says the same as the version being corrected.
    fn unchanged(&self, record: &FindingRecord) -> bool {
        self.original.as_ref().is_some_and(|o| {
            o.result == record.result
                && o.input == record.input
                && o.subject == record.subject
                && o.note == record.note
                && o.observed_at == record.observed_at
                && (o.points == record.points
                    || o.points_by_hand != record.points_by_hand
                    || matches!(self.rule, Rule::Computed { .. }))
        })
    }
}

/// A key typed into the editor.
pub fn input(editor: &mut EditorState, key: KeyEvent) {
    if editor.saving {
        return;
    }
    match editor.focus {
        Field::Result => match key.code {
            KeyCode::Char('v') => editor.result = FindingResult::Violation,
            KeyCode::Char('c') => editor.result = FindingResult::Compliant,
            KeyCode::Char('n') => editor.result = FindingResult::NotApplicable,
            _ => {}
        },
        Field::Count => match key.code {
            KeyCode::Char('+') => step_count(editor, 1),
            KeyCode::Char('-') => step_count(editor, -1),
            KeyCode::Char(c) if !c.is_ascii_digit() => {}
            // The default 1 (or a stepped count) is replaced, not extended
            // to 13; further digits add to the new number.
            KeyCode::Char(c) if editor.count_fresh => {
                editor.count = field::line(&c.to_string());
                editor.count_fresh = false;
            }
            _ => {
                editor.count_fresh = false;
                field::feed(&mut editor.count, key, false)
            }
        },
        _ => {
            if let Some((area, multiline)) = editor.field_mut() {
                field::feed(area, key, multiline);
            }
        }
    }
}

/// Pasted text goes into the focused field; none while a save is awaited,
/// as with typed keys, so nothing lands in a form that is about to close.
pub fn paste(editor: &mut EditorState, text: &str) {
    if editor.saving {
        return;
    }
    if let Some((area, multiline)) = editor.field_mut() {
        let text = if multiline {
            text.replace('\r', "")
        } else {
            text.replace(['\n', '\r'], " ")
        };
        area.insert_str(text);
    }
}

fn step_count(editor: &mut EditorState, delta: i64) {
    let now = field::text(&editor.count)
        .trim()
        .parse::<i64>()
        .unwrap_or(0);
    let next = (now + delta).clamp(0, i64::from(u32::MAX));
    editor.count = field::line(&next.to_string());
    editor.count_fresh = true;
}

/// Runs a command in the editor.
pub fn update(editor: &mut EditorState, ctx: &Ctx<'_>, command: Command) -> Out {
    if editor.saving {
        return Out::none();
    }
    let fields = editor.fields();
    let at = fields.iter().position(|f| *f == editor.focus).unwrap_or(0);
    let before = editor.focus;
    let out = command_in(editor, ctx, command, &fields, at);
    if editor.focus != before && editor.focus == Field::Count {
        editor.count_fresh = true;
    }
    out
}

fn command_in(
    editor: &mut EditorState,
    ctx: &Ctx<'_>,
    command: Command,
    fields: &[Field],
    at: usize,
) -> Out {
    match command {
        Command::NextField => editor.focus = fields[(at + 1) % fields.len()],
        Command::PrevField => editor.focus = fields[(at + fields.len() - 1) % fields.len()],
        Command::Up if editor.focus != Field::Note => editor.focus = fields[at.saturating_sub(1)],
        Command::Down if editor.focus != Field::Note => {
            editor.focus = fields[(at + 1).min(fields.len() - 1)]
        }
        Command::Toggle if editor.focus == Field::Result => {
            editor.result = match editor.result {
                FindingResult::Violation => FindingResult::Compliant,
                FindingResult::Compliant => FindingResult::NotApplicable,
                FindingResult::NotApplicable => FindingResult::Violation,
            }
        }
        Command::CountUp => step_count(editor, 1),
        Command::CountDown => step_count(editor, -1),
        Command::Discard => {
            let mut out = Out::nav(Nav::Pop);
            out.status = Some(crate::state::Status::Info(
                t(ctx.lang, "editor.discarded").to_string(),
            ));
            return out;
        }
        Command::Back | Command::Quit => return leave(editor, ctx),
        _ => {}
    }
    Out::none()
}

/// Leaving saves: an unchanged correction writes nothing; anything else
/// becomes one FindingRecorded event. The editor stays open until the
/// ledger confirms, so a failed save loses nothing typed.
pub fn leave(editor: &mut EditorState, ctx: &Ctx<'_>) -> Out {
    match editor.draft(ctx) {
        Err(message) => Out::error(message),
        Ok((record, _)) if editor.unchanged(&record) => Out::nav(Nav::Pop),
        Ok((record, compute)) => {
            editor.saving = true;
            Out::effect(Effect::RecordFinding { record, compute })
        }
    }
}

/// The screen rows of the one-line fields and the note, for drawing and clicks.
pub(super) fn layout(editor: &EditorState, body: Rect) -> (Vec<(Field, Rect)>, Rect) {
    let fields = editor.fields();
    let singles: Vec<Field> = fields
        .iter()
        .copied()
        .filter(|f| *f != Field::Note)
        .collect();
    let mut constraints: Vec<Constraint> = singles.iter().map(|_| Constraint::Length(1)).collect();
    constraints.push(Constraint::Min(3));
    let rows = Layout::vertical(constraints).split(body.inner(ratatui::layout::Margin::new(1, 0)));
    let placed = singles.iter().copied().zip(rows.iter().copied()).collect();
    (placed, rows[rows.len() - 1])
}

/// A click focuses the field under it.
pub fn click(editor: &mut EditorState, ctx: &Ctx<'_>, _x: u16, y: u16) {
    let (_, body, _) = chrome::split(Rect::new(0, 0, ctx.size.0, ctx.size.1));
    let (rows, note) = layout(editor, body);
    if let Some((f, _)) = rows.iter().find(|(_, r)| r.y == y) {
        editor.count_fresh |= editor.focus != *f && *f == Field::Count;
        editor.focus = *f;
    } else if y >= note.y && y < note.y + note.height {
        editor.focus = Field::Note;
    }
}
