//! The question asked before a visit is closed: what is still unchecked,
//! the violations recorded and the points they deduct — a closed visit
//! opens read-only, so this is the last look.

use crate::i18n::{t, tf};
use crate::model::VisitView;
use anfang_core::Lang;
use anfang_core::finding::FindingResult;

/// Item names listed per checklist before "and N more".
const NAMES: usize = 3;
/// Violations listed one per line before "and N more".
const VIOLATIONS: usize = 4;

/// The question's text, one line per paragraph.
pub fn question(view: &VisitView, lang: Lang) -> String {
    let mut lines = vec![tf(
        lang,
        "visit.close_title",
        &[("unit", &view.summary.unit.name)],
    )];
    let mut unchecked_total = 0;
    let mut per_checklist = Vec::new();
    for checklist in &view.checklists {
        let items = &checklist.checklist.items;
        let unchecked: Vec<&str> = items
            .iter()
            .filter(|item| view.findings_on(checklist, item).is_empty())
            .map(|item| item.label.get(lang))
            .collect();
        if unchecked.is_empty() {
            continue;
        }
        unchecked_total += unchecked.len();
        let mut names = unchecked
            .iter()
            .take(NAMES)
            .copied()
            .collect::<Vec<_>>()
            .join(t(lang, "list.separator"));
        if unchecked.len() > NAMES {
            names.push_str(&tf(
                lang,
                "visit.close_more",
                &[("n", &(unchecked.len() - NAMES))],
            ));
        }
        per_checklist.push(tf(
            lang,
            "visit.close_checklist",
            &[
                ("checklist", &checklist.checklist.label.get(lang)),
                ("n", &unchecked.len()),
                ("total", &items.len()),
                ("items", &names),
            ],
        ));
    }
    if unchecked_total == 0 {
        lines.push(t(lang, "visit.close_all_checked").to_string());
    } else {
        lines.push(tf(
            lang,
            "visit.close_unchecked",
            &[("n", &unchecked_total)],
        ));
        lines.extend(per_checklist);
    }
    let violations: Vec<_> = view
        .findings
        .iter()
        .filter(|f| f.record.result == FindingResult::Violation)
        .collect();
    lines.push(tf(
        lang,
        "visit.close_violations",
        &[("n", &violations.len()), ("points", &view.tally())],
    ));
    for f in violations.iter().take(VIOLATIONS) {
        let r = &f.record;
        let label = view
            .checklists
            .iter()
            .filter(|c| c.plugin_id == r.item.plugin_id && c.checklist.id == r.item.checklist_id)
            .flat_map(|c| c.checklist.items.iter())
            .find(|i| i.id == r.item.item_id)
            .map_or(r.item.item_id.as_str(), |i| i.label.get(lang));
        lines.push(tf(
            lang,
            "visit.close_violation",
            &[
                ("item", &label),
                ("count", &r.input.count),
                ("points", &r.points),
            ],
        ));
    }
    if violations.len() > VIOLATIONS {
        lines.push(format!(
            "  {}",
            tf(
                lang,
                "visit.close_more",
                &[("n", &(violations.len() - VIOLATIONS))]
            )
            .trim()
        ));
    }
    lines.push(t(lang, "visit.close_read_only").to_string());
    lines.join("\n")
}
