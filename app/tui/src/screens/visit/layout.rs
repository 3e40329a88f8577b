//! Where the visit screen's parts go: tabs, gauge, items and the detail
//! pane, and how the checklist tabs share one line.

use crate::model::VisitView;
use crate::text;
use anfang_core::Lang;
use anfang_core::manifest::ChecklistSnapshot;
use ratatui::layout::{Constraint, Layout, Rect};

/// The screen body's parts, top to bottom.
pub(super) struct Areas {
    /// The checklist tabs.
    pub(super) tabs: Rect,
    /// The checklist's progress and the visit's tally.
    pub(super) gauge: Rect,
    /// The checklist's items.
    pub(super) items: Rect,
    /// The selected item's rule and findings.
    pub(super) detail: Rect,
}

/// Splits the screen body; a tall terminal gets a taller detail pane.
pub(super) fn areas(body: Rect) -> Areas {
    let detail_h = if body.height >= 30 { 12 } else { 8 };
    let [tabs, gauge, items, detail] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(detail_h),
    ])
    .areas(body);
    Areas {
        tabs,
        gauge,
        items,
        detail,
    }
}

/// Rows the detail pane gives the item's rule before its findings.
pub(super) const DETAIL_RULE_ROWS: u16 = 2;

/// A tab's title; brackets mark the selected one where colours are lost
/// (text captures, monochrome terminals).
fn tab_title(view: &VisitView, c: &ChecklistSnapshot, lang: Lang, selected: bool) -> String {
    let (done, total) = view.progress(c);
    let (open, close) = if selected { ("[", "]") } else { (" ", " ") };
    format!(
        "{open}{} {done}/{total}{close}",
        c.checklist.label.get(lang)
    )
}

/// Where each visible tab goes: (index, start column, width, title).
/// A narrow terminal shows the selected tab and its neighbours rather than
/// cutting it off; `<` and `>` mark hidden tabs.
pub(super) fn tab_layout(
    view: &VisitView,
    selected: usize,
    lang: Lang,
    width: u16,
) -> Vec<(usize, u16, u16, String)> {
    let titles: Vec<String> = view
        .checklists
        .iter()
        .enumerate()
        .map(|(i, c)| tab_title(view, c, lang, i == selected))
        .collect();
    let width = usize::from(width);
    let mut first = 0;
    while first < selected
        && 1 + titles[first..=selected]
            .iter()
            .map(|t| text::width(t) + 1)
            .sum::<usize>()
            > width
    {
        first += 1;
    }
    let mut out = Vec::new();
    let mut used = usize::from(first > 0);
    for (i, title) in titles.into_iter().enumerate().skip(first) {
        let w = text::width(&title);
        if used + w + 2 > width && i + 1 < view.checklists.len() || used + w > width {
            break;
        }
        out.push((i, used as u16, w as u16, title));
        used += w + 1;
    }
    out
}
