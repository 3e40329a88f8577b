//! Draws the scores screen: the ranking, the selected unit's breakdown, a
//! bar chart of deductions by category over all units, and the selected
//! unit's trend. Bars are coloured blank cells: block glyphs have an
//! ambiguous width in Chinese terminals.

use super::appraisal::AppraisalForm;
use super::deduction::{DeductionForm, FIELDS};
use super::{ScoresState, trend_span};
use crate::command::Command;
use crate::i18n::{t, tf};
use crate::state::State;
use crate::text;
use crate::widgets::{chrome, field, list};
use anfang_core::score::Grade;
use anfang_core::tally::{Ranking, UnitScore};
use anfang_core::{Lang, Points};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table};

/// The parts of the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// The line about provisional findings.
    pub notice: Rect,
    /// The ranking table, header included.
    pub ranking: Rect,
    /// The selected unit's breakdown by item.
    pub breakdown: Rect,
    /// Deductions by category.
    pub categories: Rect,
    /// The selected unit's trend.
    pub trend: Rect,
}

impl Areas {
    /// Units the ranking shows.
    pub fn ranking_rows(&self) -> usize {
        usize::from(self.ranking.height.saturating_sub(1)).max(1)
    }
}

/// The areas for a terminal of `size`.
pub fn areas(size: (u16, u16)) -> Areas {
    let (_, body, _) = chrome::split(Rect::new(0, 0, size.0, size.1));
    let notice = Rect {
        height: 1.min(body.height),
        ..body
    };
    let rest = Rect {
        y: body.y + notice.height,
        height: body.height.saturating_sub(notice.height),
        ..body
    };
    if rest.width >= 120 {
        let left = rest.width * 11 / 20;
        let right = Rect {
            x: rest.x + left,
            width: rest.width - left,
            ..rest
        };
        let breakdown_h = right.height * 9 / 20;
        let categories_h = (right.height - breakdown_h) / 2;
        Areas {
            notice,
            ranking: Rect {
                width: left,
                ..rest
            },
            breakdown: Rect {
                height: breakdown_h,
                ..right
            },
            categories: Rect {
                y: right.y + breakdown_h,
                height: categories_h,
                ..right
            },
            trend: Rect {
                y: right.y + breakdown_h + categories_h,
                height: right.height - breakdown_h - categories_h,
                ..right
            },
        }
    } else {
        let top = (rest.height * 9 / 20).max(4).min(rest.height);
        let bottom = Rect {
            y: rest.y + top,
            height: rest.height - top,
            ..rest
        };
        let half = bottom.width / 2;
        let side = Rect {
            x: bottom.x + half,
            width: bottom.width - half,
            ..bottom
        };
        let categories_h = side.height / 2;
        Areas {
            notice,
            ranking: Rect {
                height: top,
                ..rest
            },
            breakdown: Rect {
                width: half,
                ..bottom
            },
            categories: Rect {
                height: categories_h,
                ..side
            },
            trend: Rect {
                y: side.y + categories_h,
                height: side.height - categories_h,
                ..side
            },
        }
    }
}

fn appraisal_form(
    form: &AppraisalForm,
    formula: Option<&str>,
    lang: Lang,
    frame: &mut Frame<'_>,
    area: Rect,
) {
    let title = tf(
        lang,
        "scores.appraisal_title",
        &[
            ("unit", &form.unit.name),
            ("period", &form.period.short_label()),
        ],
    );
    let inner = pane(title, area, frame);
    if inner.height == 0 {
        return;
    }
    field::draw(
        frame,
        Rect { height: 1, ..inner },
        &form.entry,
        true,
        Style::default().bg(Color::DarkGray),
    );
    let (message, style) = match &form.error {
        Some(e) => (e.clone(), Style::default().fg(Color::Red)),
        // The one formula votes are scored by, and what it does above 20.
        None => (
            match formula {
                Some(f) => {
                    let gap = if lang == Lang::Zh { "。" } else { ". " };
                    format!("{}{gap}{f}", t(lang, "scores.appraisal_hint"))
                }
                None => t(lang, "scores.appraisal_hint").to_string(),
            },
            Style::default().fg(Color::Gray),
        ),
    };
    let lines: Vec<Line> = text::wrap(&message, usize::from(inner.width).max(4))
        .into_iter()
        .map(|l| Line::from(Span::styled(l, style)))
        .collect();
    let rest = Rect {
        y: inner.y + 1,
        height: inner.height - 1,
        ..inner
    };
    frame.render_widget(Paragraph::new(lines), rest);
}

/// The deduction form's field labels, after the row's.
const FIELD_KEYS: [&str; FIELDS] = [
    "scores.deduct_count",
    "scores.deduct_points",
    "scores.deduct_date",
    "scores.deduct_reason",
    "scores.deduct_evidence",
];

fn deduction_form(form: &DeductionForm, lang: Lang, frame: &mut Frame<'_>, area: Rect) {
    let title = tf(lang, "scores.deduct_title", &[("unit", &form.unit.name)]);
    let inner = pane(title, area, frame);
    let labels: Vec<&str> = std::iter::once("scores.deduct_item")
        .chain(FIELD_KEYS)
        .map(|k| t(lang, k))
        .collect();
    let gutter = labels
        .iter()
        .map(|l| text::width(l))
        .max()
        .unwrap_or(0)
        .saturating_add(1);
    let gutter = u16::try_from(gutter)
        .unwrap_or(u16::MAX)
        .min(inner.width / 2);
    let focus = Style::default().add_modifier(Modifier::REVERSED);
    let mut y = inner.y;
    let bottom = inner.y + inner.height;
    for (i, label) in labels.iter().enumerate() {
        if y >= bottom {
            return;
        }
        let label_area = Rect {
            y,
            height: 1,
            width: gutter,
            ..inner
        };
        let value_area = Rect {
            x: inner.x + gutter,
            y,
            height: 1,
            width: inner.width - gutter,
        };
        let style = if form.focus == i {
            focus
        } else {
            Style::default()
        };
        frame.render_widget(Paragraph::new(Span::styled(*label, style)), label_area);
        match i.checked_sub(1) {
            None => {
                let row = match form.chosen() {
                    Some(r) => format!("◀ {} {} ▶", r.section, r.label.get(lang)),
                    None => t(lang, "scores.deduct_no_rows").to_string(),
                };
                let row = text::truncate(&row, usize::from(value_area.width));
                frame.render_widget(Paragraph::new(row), value_area);
            }
            Some(f) => {
                let dim = f == 1 && !form.ranged();
                let style = if dim {
                    Style::default().fg(Color::DarkGray)
                } else {
                    Style::default().bg(Color::DarkGray)
                };
                field::draw(frame, value_area, &form.fields[f], form.focus == i, style);
            }
        }
        y += 1;
    }
    let (message, style) = match &form.error {
        Some(e) => (e.clone(), Style::default().fg(Color::Red)),
        None => (
            t(lang, "scores.deduct_hint").to_string(),
            Style::default().fg(Color::Gray),
        ),
    };
    let lines: Vec<Line> = text::wrap(&message, usize::from(inner.width).max(4))
        .into_iter()
        .map(|l| Line::from(Span::styled(l, style)))
        .collect();
    let rest = Rect {
        y,
        height: bottom - y,
        ..inner
    };
    frame.render_widget(Paragraph::new(lines), rest);
}

fn grade_style(grade: Grade) -> Style {
    match grade {
        Grade::Excellent => Style::default().fg(Color::Green),
        Grade::Good => Style::default().fg(Color::Cyan),
        Grade::Pass => Style::default().fg(Color::Yellow),
        Grade::Fail => Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
    }
}

/// Draws the scores screen.
pub fn view(scores: &ScoresState, state: &State, frame: &mut Frame<'_>) {
    let lang = state.lang;
    let size = frame.area();
    let (title, _, footer) = chrome::split(size);
    let period = scores.period.map(|p| p.short_label()).unwrap_or_default();
    let right = scores
        .ranking
        .as_ref()
        .map(|r| {
            tf(
                lang,
                "scores.counted",
                &[
                    ("counted", &r.counted_findings()),
                    ("pending", &r.pending_findings()),
                ],
            )
        })
        .unwrap_or_default();
    chrome::title(
        frame,
        title,
        &format!("{} {period}", t(lang, "scores.title")),
        &right,
    );
    let hints: &[Command] = if scores.form.is_some() {
        &[Command::Select, Command::Back]
    } else if scores.deduct.is_some() {
        &[
            Command::Select,
            Command::Down,
            Command::NextTab,
            Command::Back,
        ]
    } else {
        &[
            Command::Select,
            Command::PrevTab,
            Command::NextTab,
            Command::PeriodLength,
            Command::TrendStep,
            Command::Appraisal,
            Command::Deduct,
            Command::Back,
        ]
    };
    chrome::footer(frame, footer, state, hints);
    let a = areas((size.width, size.height));
    let Some(ranking) = &scores.ranking else {
        frame.render_widget(Paragraph::new(t(lang, "common.loading")), a.ranking);
        return;
    };
    notice(ranking, lang, frame, a.notice);
    if ranking.units.is_empty() {
        let lines: Vec<Line> =
            text::wrap(t(lang, "scores.empty"), usize::from(a.ranking.width).max(2))
                .into_iter()
                .map(Line::from)
                .collect();
        frame.render_widget(Paragraph::new(lines), a.ranking);
        return;
    }
    table(scores, ranking, lang, frame, a.ranking);
    if let Some(form) = &scores.deduct {
        // The form takes the whole lower half: it has six lines and a message.
        let wide = Rect {
            width: (a.categories.x + a.categories.width).saturating_sub(a.breakdown.x),
            ..a.breakdown
        };
        deduction_form(form, lang, frame, wide);
        if !wide.intersects(a.categories) {
            categories(ranking, lang, frame, a.categories);
            trend(scores, lang, frame, a.trend);
        }
        return;
    }
    match (&scores.form, scores.current()) {
        (Some(form), _) => appraisal_form(
            form,
            Some(ranking.method.appraisal.get(lang)),
            lang,
            frame,
            a.breakdown,
        ),
        (None, Some(unit)) => breakdown(unit, scores, lang, frame, a.breakdown),
        (None, None) => {}
    }
    categories(ranking, lang, frame, a.categories);
    trend(scores, lang, frame, a.trend);
}

fn notice(ranking: &Ranking, lang: Lang, frame: &mut Frame<'_>, area: Rect) {
    let pending = ranking.pending_findings();
    let (message, style) = if ranking.unreviewed_only() {
        (
            t(lang, "scores.unreviewed_only").to_string(),
            Style::default()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
        )
    } else if pending > 0 {
        let points: Points = ranking.units.iter().map(|u| u.provisional_points).sum();
        (
            tf(
                lang,
                "scores.provisional",
                &[("n", &pending), ("points", &points)],
            ),
            Style::default().fg(Color::Yellow),
        )
    } else {
        // Nothing pending: the line names the method scores are read by.
        (
            format!(
                "{} {}",
                ranking.method.citation.get(lang),
                ranking.method.rounding.get(lang)
            ),
            Style::default().fg(Color::Gray),
        )
    };
    frame.render_widget(
        Paragraph::new(text::truncate(
            &format!(" {message}"),
            usize::from(area.width),
        ))
        .style(style),
        area,
    );
}

/// "3" or, shared with another unit, "3 并列" / "3 tied", fitted to `width`.
fn rank_text(rank: usize, tied: bool, width: usize, lang: Lang) -> String {
    let tie = if tied { t(lang, "scores.tied") } else { "" };
    text::fit(&format!("{rank:>3} {tie}"), width)
}

fn table(scores: &ScoresState, ranking: &Ranking, lang: Lang, frame: &mut Frame<'_>, area: Rect) {
    // Wide enough for " 12 并列" / " 12 tied".
    let (rank_w, dept_w, score_w, grade_w, ded_w, prov_w) = (8, 6, 6, 9, 6, 6);
    let unit_w = usize::from(area.width)
        .saturating_sub(rank_w + dept_w + score_w + grade_w + ded_w + prov_w + 6)
        .max(6);
    let header = Row::new(vec![
        text::fit(t(lang, "scores.col.rank"), rank_w),
        text::fit(t(lang, "review.col.unit"), unit_w),
        text::fit(t(lang, "review.col.department"), dept_w),
        text::fit(t(lang, "scores.col.score"), score_w),
        text::fit(t(lang, "scores.col.grade"), grade_w),
        text::fit(t(lang, "scores.col.deducted"), ded_w),
        text::fit(t(lang, "scores.col.provisional"), prov_w),
    ])
    .style(Style::default().add_modifier(Modifier::BOLD));
    let height = usize::from(area.height.saturating_sub(1));
    let offset = list::offset(scores.selected, height);
    let ranks = ranking.ranks();
    let tied = ranking.tied();
    let rows = ranking
        .units
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, u)| {
            let provisional = if u.provisional_points > Points::ZERO {
                format!("({})", u.provisional_points)
            } else {
                String::new()
            };
            let row = Row::new(vec![
                rank_text(ranks[i], tied[i], rank_w, lang),
                text::fit(&u.unit.name, unit_w),
                text::fit(&u.unit.department, dept_w),
                format!("{:>w$}", u.score.to_string(), w = score_w),
                text::fit(u.grade.label().get(lang), grade_w),
                format!("{:>w$}", u.deducted.to_string(), w = ded_w),
                format!("{:>w$}", text::truncate(&provisional, prov_w), w = prov_w),
            ]);
            if i == scores.selected {
                row.style(Style::default().add_modifier(Modifier::REVERSED))
            } else {
                row.style(grade_style(u.grade))
            }
        });
    let widths = [rank_w, unit_w, dept_w, score_w, grade_w, ded_w, prov_w]
        .map(|w| Constraint::Length(w as u16));
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        area,
    );
}

fn pane(title: String, area: Rect, frame: &mut Frame<'_>) -> Rect {
    let block = Block::new().borders(Borders::ALL).title(
        Line::from(text::truncate(
            &title,
            usize::from(area.width.saturating_sub(2)),
        ))
        .style(Style::default().add_modifier(Modifier::BOLD)),
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

fn breakdown(
    unit: &UnitScore,
    scores: &ScoresState,
    lang: Lang,
    frame: &mut Frame<'_>,
    area: Rect,
) {
    let title = format!(
        "{}  {} {}",
        unit.unit.name,
        unit.score,
        unit.grade.label().get(lang)
    );
    let inner = pane(title, area, frame);
    let width = usize::from(inner.width);
    let points_w = 6;
    let count_w = 4;
    let label_w = width.saturating_sub(points_w + count_w + 2).max(4);
    let line = |label: &str, count: String, points: String| {
        format!(
            "{} {:>count_w$} {:>points_w$}",
            text::fit(&text::plain(label), label_w),
            count,
            text::truncate(&points, points_w)
        )
    };
    let mut lines: Vec<Line> = Vec::new();
    if unit.counted.is_empty()
        && unit.appraisals.is_empty()
        && unit.lines.is_empty()
        && unit.extra.is_empty()
    {
        lines.push(Line::from(Span::styled(
            text::truncate(t(lang, "scores.nothing_counted"), width),
            Style::default().fg(Color::Gray),
        )));
    }
    for l in &unit.counted {
        lines.push(Line::from(line(
            l.item.get(lang),
            format!("x{}", l.count),
            format!("-{}", l.points),
        )));
    }
    for a in &unit.appraisals {
        let label = match a.satisfaction {
            Some(s) => tf(lang, "scores.appraisal", &[("percent", &s)]),
            None => t(lang, "scores.appraisal_none").to_string(),
        };
        lines.push(Line::from(line(
            &label,
            String::new(),
            format!("-{}", a.points),
        )));
    }
    for l in &unit.lines {
        lines.push(Line::from(line(
            &format!("{} {}", l.section, l.label.get(lang)),
            format!("x{}", l.count),
            format!("-{}", l.points),
        )));
    }
    // Bulletins and rules across units, each with its section of the method.
    for e in &unit.extra {
        let points = if e.points < anfang_core::Points::ZERO {
            format!("+{}", anfang_core::Points::ZERO - e.points)
        } else {
            format!("-{}", e.points)
        };
        lines.push(Line::from(line(
            &format!("[{}] {}", e.section, e.reason.get(lang)),
            String::new(),
            points,
        )));
    }
    if !unit.provisional.is_empty() || !unit.pending_lines.is_empty() {
        lines.push(Line::from(Span::styled(
            text::truncate(&format!("{}:", t(lang, "scores.provisional_items")), width),
            Style::default().fg(Color::Yellow),
        )));
        for l in &unit.provisional {
            lines.push(Line::from(Span::styled(
                line(
                    l.item.get(lang),
                    format!("x{}", l.count),
                    format!("({})", l.points),
                ),
                Style::default().fg(Color::Gray),
            )));
        }
        // Office deductions entered and not yet confirmed, as pending findings
        // are; the selected one is what c and x decide on.
        for (i, l) in unit.pending_lines.iter().enumerate() {
            let style = if i == scores.pending {
                Style::default().add_modifier(Modifier::REVERSED)
            } else {
                Style::default().fg(Color::Gray)
            };
            lines.push(Line::from(Span::styled(
                line(
                    &format!("{} {}", l.section, l.label.get(lang)),
                    format!("x{}", l.count),
                    format!("({})", l.points),
                ),
                style,
            )));
        }
        if !unit.pending_lines.is_empty() {
            let (message, style) = match &scores.dismiss {
                Some(_) => (
                    t(lang, "scores.dismiss_prompt"),
                    Style::default().fg(Color::Yellow),
                ),
                None => (
                    t(lang, "scores.pending_keys"),
                    Style::default().fg(Color::Gray),
                ),
            };
            lines.push(Line::from(Span::styled(
                text::truncate(message, width),
                style,
            )));
        }
    }
    let used = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(reason) = &scores.dismiss
        && used < inner.height
    {
        let at = Rect {
            y: inner.y + used,
            height: 1,
            ..inner
        };
        field::draw(
            frame,
            at,
            &reason.0,
            true,
            Style::default().bg(Color::DarkGray),
        );
    }
}

/// A bar `cells` wide of coloured blanks, then the value.
fn bar(label: &str, label_w: usize, cells: usize, value: String, color: Color) -> Line<'static> {
    Line::from(vec![
        Span::raw(format!("{} ", text::fit(&text::plain(label), label_w))),
        Span::styled(" ".repeat(cells), Style::default().bg(color)),
        Span::raw(format!(" {value}")),
    ])
}

fn categories(ranking: &Ranking, lang: Lang, frame: &mut Frame<'_>, area: Rect) {
    let inner = pane(t(lang, "scores.categories").to_string(), area, frame);
    let all = ranking.by_category();
    let width = usize::from(inner.width);
    let label_w = (width / 3).clamp(4, 16);
    let room = width.saturating_sub(label_w + 9);
    let max = all
        .iter()
        .map(|c| c.points.hundredths())
        .max()
        .unwrap_or(0)
        .max(1);
    let lines: Vec<Line> = all
        .iter()
        .take(usize::from(inner.height))
        .map(|c| {
            let cells = usize::try_from(c.points.hundredths() * room as i64 / max).unwrap_or(0);
            bar(
                c.label.get(lang),
                label_w,
                cells,
                c.points.to_string(),
                Color::Red,
            )
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

fn trend(scores: &ScoresState, lang: Lang, frame: &mut Frame<'_>, area: Rect) {
    let span = scores
        .period
        .map(|p| trend_span(p, scores.step).short_label())
        .unwrap_or_default();
    let inner = pane(tf(lang, "scores.trend", &[("span", &span)]), area, frame);
    let width = usize::from(inner.width);
    let label_w = 7;
    let room = width.saturating_sub(label_w + 8);
    let series = scores.unit_trend();
    // The most recent periods when they do not all fit.
    let skip = series.len().saturating_sub(usize::from(inner.height));
    let lines: Vec<Line> = series
        .iter()
        .skip(skip)
        .map(|(period, unit)| match unit {
            Some(u) => {
                let cells =
                    usize::try_from(u.score.hundredths() * room as i64 / 10_000).unwrap_or(0);
                let color = match u.grade {
                    Grade::Excellent => Color::Green,
                    Grade::Good => Color::Cyan,
                    Grade::Pass => Color::Yellow,
                    Grade::Fail => Color::Red,
                };
                bar(
                    &period.short_label(),
                    label_w,
                    cells,
                    u.score.to_string(),
                    color,
                )
            }
            None => Line::from(format!(
                "{} {}",
                text::fit(&period.short_label(), label_w),
                t(lang, "scores.not_inspected")
            )),
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
