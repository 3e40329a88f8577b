//! Finding history: every version (oldest first), every review decision
//! and the accountability outcomes (问责) recorded.

use crate::command::Command;
use crate::effect::Effect;
use crate::i18n::{t, tf};
use crate::model::{FindingView, HistoryView};
use crate::screens::{Ctx, Nav, Out};
use crate::state::State;
use crate::text;
use crate::widgets::{chrome, time};
use anfang_core::Lang;
use anfang_core::finding::FindingResult;
use anfang_core::outcome::OutcomeRecorded;
use anfang_core::review::{AttachedFile, Checked, Decision};
use ratatui::Frame;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use uuid::Uuid;

/// The history screen's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HistoryState {
    /// The finding.
    pub finding_id: Uuid,
    /// What was read; `None` while loading.
    pub view: Option<HistoryView>,
    /// First line shown.
    pub scroll: usize,
}

impl HistoryState {
    /// A history about to be read.
    pub fn loading(finding_id: Uuid) -> HistoryState {
        HistoryState {
            finding_id,
            ..HistoryState::default()
        }
    }
}

/// Runs a command on the history screen.
pub fn update(history: &mut HistoryState, ctx: &Ctx<'_>, command: Command) -> Out {
    let page = usize::from(ctx.size.1.saturating_sub(4)).max(1);
    match command {
        Command::Up => history.scroll = history.scroll.saturating_sub(1),
        Command::Down => history.scroll += 1,
        Command::PageUp => history.scroll = history.scroll.saturating_sub(page),
        Command::PageDown => history.scroll += page,
        Command::Top => history.scroll = 0,
        Command::OpenEvidence => {
            let evidence = history
                .view
                .as_ref()
                .and_then(|v| v.versions.last())
                .and_then(|f| f.evidence.last());
            return match evidence {
                Some(e) => Out::effect(Effect::OpenEvidence {
                    sha256: e.sha256.clone(),
                    file_name: e.file_name.clone(),
                }),
                None => Out::error(t(ctx.lang, "visit.no_evidence")),
            };
        }
        Command::Back | Command::Quit => return Out::nav(Nav::Pop),
        _ => {}
    }
    Out::none()
}

fn short(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

/// The history as wrapped lines, `width` cells wide.
pub fn lines(view: &HistoryView, state: &State, width: usize) -> Vec<Line<'static>> {
    let lang = state.lang;
    let tz = &state.tz;
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let dim = Style::default().fg(Color::Gray);
    let mut out: Vec<Line> = Vec::new();
    let indent = "    ";
    let push_wrapped = |out: &mut Vec<Line<'static>>, label: &str, value: &str| {
        let head = format!("  {label}: ");
        let body_w = width.saturating_sub(text::width(indent)).max(8);
        if text::width(&head) + text::width(value) <= width && !value.contains('\n') {
            out.push(Line::from(format!("{head}{value}")));
        } else {
            out.push(Line::from(head));
            out.extend(
                text::wrap(value, body_w)
                    .into_iter()
                    .map(|l| Line::from(format!("{indent}{l}"))),
            );
        }
    };
    for (i, v) in view.versions.iter().enumerate() {
        let r = &v.record;
        let head = tf(
            lang,
            "history.version",
            &[("n", &(i + 1)), ("time", &time::show(v.claimed_time, tz))],
        );
        out.push(Line::from(Span::styled(
            text::truncate(&head, width),
            bold.fg(Color::Cyan),
        )));
        out.push(Line::from(Span::styled(
            text::truncate(
                &format!("  {} {}", t(lang, "history.event"), short(&v.event_id)),
                width,
            ),
            dim,
        )));
        out.push(Line::from(Span::styled(
            text::truncate(
                &format!(
                    "  {} {}",
                    t(lang, "history.recorded_by"),
                    view.signer(lang, &v.device_id, "")
                ),
                width,
            ),
            dim,
        )));
        if let Some(old) = &r.supersedes {
            out.push(Line::from(Span::styled(
                text::truncate(
                    &format!("  {} {}", t(lang, "history.supersedes"), short(old)),
                    width,
                ),
                dim,
            )));
        }
        let mut result = r.result.label().get(lang).to_string();
        if r.result == FindingResult::Violation {
            result.push_str(&format!("  x{}  -{}", r.input.count, r.points));
            if r.points_by_hand {
                result.push_str(&format!(" {}", t(lang, "history.by_hand")));
            }
        }
        push_wrapped(&mut out, t(lang, "editor.result"), &result);
        if let Some(subject) = &r.subject {
            push_wrapped(&mut out, t(lang, "editor.subject"), subject);
        }
        push_wrapped(
            &mut out,
            t(lang, "editor.observed"),
            &time::show(r.observed_at, tz),
        );
        if !r.note.is_empty() {
            push_wrapped(&mut out, t(lang, "editor.note"), &r.note);
        }
        if let Some(source) = &r.source {
            push_wrapped(
                &mut out,
                t(lang, "history.source"),
                &format!("{} #{}", short(&source.file_sha256), source.row),
            );
        }
        if v.conflict {
            out.push(Line::from(Span::styled(
                format!("  {}", t(lang, "visit.conflict")),
                Style::default().fg(Color::Red),
            )));
        }
        out.push(Line::from(""));
    }
    if let Some(current) = view.versions.last() {
        evidence_lines(&mut out, current, lang, width);
    }
    out.push(Line::from(Span::styled(
        t(lang, "history.decisions").to_string(),
        bold.fg(Color::Cyan),
    )));
    if view.decisions.is_empty() {
        out.push(Line::from(Span::styled(
            format!("  {}", t(lang, "history.no_decisions")),
            dim,
        )));
    }
    for (record, dated, device) in &view.decisions {
        let what = match &dated.decision {
            Decision::Confirm { points: Some(p) } => {
                format!("{} ({p})", t(lang, "history.confirm"))
            }
            Decision::Confirm { points: None } => t(lang, "history.confirm").to_string(),
            Decision::Dismiss { reason } => format!("{}: {reason}", t(lang, "history.dismiss")),
            Decision::RequireRectification {
                deadline,
                rejected: None,
            } => {
                format!("{}: {deadline}", t(lang, "history.rectify"))
            }
            Decision::RequireRectification {
                deadline,
                rejected: Some(rejection),
            } => tf(
                lang,
                "history.rejected",
                &[
                    ("checked", &checked(lang, &rejection.checked)),
                    ("reason", &rejection.reason),
                    ("deadline", deadline),
                ],
            ),
            Decision::MarkRectified { note, evidence } => format!(
                "{}: {note}{}",
                t(lang, "history.rectified"),
                files(lang, evidence.as_deref())
            ),
            Decision::VerifyRectification { checked: None } => {
                t(lang, "history.verified").to_string()
            }
            Decision::VerifyRectification { checked: Some(c) } => {
                format!("{} ({})", t(lang, "history.verified"), checked(lang, c))
            }
            Decision::Appeal { reason, evidence } => format!(
                "{}: {reason}{}",
                t(lang, "history.appeal"),
                files(lang, evidence.as_deref())
            ),
            Decision::DecideAppeal { upheld, reason } => format!(
                "{}: {reason}",
                t(
                    lang,
                    if *upheld {
                        "history.appeal_upheld"
                    } else {
                        "history.appeal_rejected"
                    }
                )
            ),
        };
        let mut line = format!(
            "  {} {} {what}",
            time::show(dated.claimed_time, tz),
            view.signer(lang, device, &record.reviewer)
        );
        if let Some(reason) = &record.reason {
            line.push_str(&tf(lang, "history.back_reason", &[("reason", reason)]));
        }
        out.extend(text::wrap(&line, width).into_iter().map(Line::from));
    }
    outcome_lines(&mut out, &view.outcomes, lang, width);
    out
}

/// The accountability outcomes (问责), when any were recorded.
fn outcome_lines(
    out: &mut Vec<Line<'static>>,
    outcomes: &[OutcomeRecorded],
    lang: Lang,
    width: usize,
) {
    if outcomes.is_empty() {
        return;
    }
    out.push(Line::from(""));
    out.push(Line::from(Span::styled(
        t(lang, "history.outcomes").to_string(),
        Style::default()
            .add_modifier(Modifier::BOLD)
            .fg(Color::Cyan),
    )));
    for o in outcomes {
        let mut line = format!("  {}  {}  {}", o.date, o.kind.label().get(lang), o.person);
        if let Some(number) = &o.number {
            line.push_str(&format!("  {number}"));
        }
        if let Some(note) = &o.note {
            line.push_str(&format!("  {note}"));
        }
        out.extend(text::wrap(&line, width).into_iter().map(Line::from));
    }
}

fn evidence_lines(out: &mut Vec<Line<'static>>, current: &FindingView, lang: Lang, width: usize) {
    out.push(Line::from(Span::styled(
        t(lang, "history.evidence").to_string(),
        Style::default()
            .add_modifier(Modifier::BOLD)
            .fg(Color::Cyan),
    )));
    if current.evidence.is_empty() {
        out.push(Line::from(Span::styled(
            format!("  {}", t(lang, "history.no_evidence")),
            Style::default().fg(Color::Gray),
        )));
    }
    for e in &current.evidence {
        let line = format!("  {} ({} B) {}", e.file_name, e.size, short(&e.sha256));
        out.push(Line::from(text::truncate(&line, width)));
    }
    out.push(Line::from(""));
}

/// Draws the history screen.
pub fn view(history: &HistoryState, state: &State, frame: &mut Frame<'_>) {
    let lang = state.lang;
    let (title, body, footer) = chrome::split(frame.area());
    chrome::footer(
        frame,
        footer,
        state,
        &[Command::Down, Command::OpenEvidence, Command::Back],
    );
    let Some(view) = &history.view else {
        chrome::title(frame, title, t(lang, "history.title"), "");
        frame.render_widget(Paragraph::new(t(lang, "common.loading")), body);
        return;
    };
    let item = view
        .versions
        .last()
        .map(|v| v.record.item.item_id.clone())
        .unwrap_or_default();
    chrome::title(
        frame,
        title,
        &format!("{} - {item}", t(lang, "history.title")),
        &tf(lang, "history.count", &[("n", &view.versions.len())]),
    );
    let area = body.inner(ratatui::layout::Margin::new(1, 0));
    let all = lines(view, state, usize::from(area.width));
    let max_scroll = all.len().saturating_sub(usize::from(area.height));
    let shown: Vec<Line> = all
        .into_iter()
        .skip(history.scroll.min(max_scroll))
        .take(usize::from(area.height))
        .collect();
    frame.render_widget(Paragraph::new(shown), area);
}

/// What a reviewer checked, in words: the report, or the re-check visit.
fn checked(lang: Lang, checked: &Checked) -> String {
    match checked {
        Checked::Report => t(lang, "history.checked_report").to_string(),
        // In full: visit ids made the same day share their first digits.
        Checked::Recheck { visit_id } => {
            tf(lang, "history.checked_recheck", &[("visit", visit_id)])
        }
    }
}

/// How many evidence files came with a report or an appeal, when any did.
fn files(lang: Lang, evidence: Option<&[AttachedFile]>) -> String {
    match evidence {
        Some(list) if !list.is_empty() => tf(lang, "history.with_files", &[("n", &list.len())]),
        _ => String::new(),
    }
}
