//! The merge report as lines of text: per file what it added (per device
//! and inspector) and every flag, or the reason it was refused. Pure, so
//! scrolling and drawing count the same lines.

use super::Outcome;
use crate::i18n::{t, tf};
use crate::text;
use anfang_core::Lang;
use anfang_ledger::{DeviceReport, Flag, MergeReport, short};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;

/// Every report line, wrapped to `width` cells.
pub fn lines(outcomes: &[Outcome], lang: Lang, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for outcome in outcomes {
        let name = file_name(&outcome.path);
        match &outcome.result {
            Ok(report) => merged(&mut out, lang, width, &name, report),
            Err(reason) => {
                let head = tf(lang, "merge.refused", &[("file", &name)]);
                push(&mut out, width, "", &head, bold(Color::Red));
                push(
                    &mut out,
                    width,
                    "  ",
                    reason,
                    Style::default().fg(Color::Red),
                );
            }
        }
    }
    out
}

fn merged(out: &mut Vec<Line<'static>>, lang: Lang, width: usize, name: &str, r: &MergeReport) {
    let head = tf(
        lang,
        "merge.merged",
        &[
            ("file", &name),
            ("added", &r.events_added),
            ("events", &r.events_in_bundle),
            ("blobs", &r.blobs_added),
            ("signatures", &r.signatures_checked),
        ],
    );
    push(out, width, "", &head, bold(Color::Green));
    if r.devices.is_empty() {
        push(out, width, "  ", t(lang, "merge.nothing_new"), dim());
    }
    for device in &r.devices {
        push(
            out,
            width,
            "  ",
            &device_line(lang, device),
            Style::default(),
        );
    }
    if r.flags.is_empty() {
        push(out, width, "  ", t(lang, "merge.no_flags"), dim());
    }
    for flag in &r.flags {
        push(
            out,
            width,
            "  ",
            &flag_line(lang, flag),
            Style::default().fg(Color::Yellow),
        );
    }
}

/// One device's additions, with the inspectors who led its visits.
pub fn device_line(lang: Lang, d: &DeviceReport) -> String {
    let inspectors = if d.inspectors.is_empty() {
        "-".to_string()
    } else {
        d.inspectors
            .join(if lang == Lang::Zh { "、" } else { ", " })
    };
    tf(
        lang,
        "merge.device",
        &[
            ("device", &short(&d.device_id)),
            ("inspectors", &inspectors),
            ("visits", &d.visits_added),
            ("findings", &d.findings_added),
            ("evidence", &d.evidence_added),
            ("reviews", &d.reviews_added),
        ],
    )
}

/// One flag: its kind in words, where it is, and what is odd about it.
pub fn flag_line(lang: Lang, flag: &Flag) -> String {
    format!("! {}", flag.line(lang))
}

/// A file's name for the report (the whole path when it has none).
pub fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Wraps `text` to `width`, every line after `indent`.
fn push(out: &mut Vec<Line<'static>>, width: usize, indent: &str, text: &str, style: Style) {
    let room = width.saturating_sub(text::width(indent)).max(8);
    for piece in text::wrap(text, room) {
        out.push(Line::styled(format!("{indent}{piece}"), style));
    }
}

fn bold(color: Color) -> Style {
    Style::default().fg(color).add_modifier(Modifier::BOLD)
}

fn dim() -> Style {
    Style::default().fg(Color::DarkGray)
}
