//! Visit: walk the checklists, one tab per checklist, with a progress gauge
//! per checklist and the running tally of points the visit deducts.

use crate::command::Command;
use crate::effect::Effect;
use crate::i18n::{t, tf};
use crate::model::{FindingView, VisitView};
use crate::screens::editor::EditorState;
use crate::screens::history::HistoryState;
use crate::screens::overlay::{Overlay, Question};
use crate::screens::{Ctx, Nav, Out};
use crate::state::Screen;
use crate::widgets::{chrome, field, list};
use anfang_core::finding::{FindingRecord, FindingResult};
use anfang_core::manifest::{ChecklistSnapshot, Item};
use anfang_core::rule::{Rule, RuleInput};
use anfang_core::{Lang, Points};
use ratatui::layout::Rect;
use uuid::Uuid;

mod close;
mod layout;
mod view;

use layout::{DETAIL_RULE_ROWS, areas, tab_layout};
pub use view::view;

/// Which list has the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    /// The checklist's items.
    #[default]
    Items,
    /// The findings on the selected item.
    Findings,
}

/// The visit screen's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VisitState {
    /// The visit.
    pub visit_id: Uuid,
    /// The visit as last read; `None` while loading.
    pub view: Option<VisitView>,
    /// Selected checklist.
    pub tab: usize,
    /// Selected item.
    pub item: usize,
    /// Focused list.
    pub pane: Pane,
    /// Selected finding on the item.
    pub finding: usize,
    /// The item to select once the visit is read (a restored draft's).
    pub want: Option<anfang_core::manifest::ItemRef>,
}

impl VisitState {
    /// A visit about to be read.
    pub fn loading(visit_id: Uuid) -> VisitState {
        VisitState {
            visit_id,
            ..VisitState::default()
        }
    }

    /// Takes a freshly read visit, keeping the selection where it can.
    pub fn loaded(&mut self, view: VisitView) {
        if let Some(want) = self.want.take() {
            let at = view.checklists.iter().enumerate().find_map(|(tab, c)| {
                let item = c
                    .checklist
                    .items
                    .iter()
                    .position(|i| c.item_ref(i) == want)?;
                Some((tab, item))
            });
            if let Some((tab, item)) = at {
                self.tab = tab;
                self.item = item;
            }
        }
        self.tab = self.tab.min(view.checklists.len().saturating_sub(1));
        self.view = Some(view);
        self.clamp();
    }

    fn clamp(&mut self) {
        let items = self
            .checklist()
            .map(|c| c.checklist.items.len())
            .unwrap_or(0);
        self.item = self.item.min(items.saturating_sub(1));
        let findings = self.item_findings().len();
        self.finding = self.finding.min(findings.saturating_sub(1));
        if findings == 0 {
            self.pane = Pane::Items;
        }
    }

    /// The selected checklist.
    pub fn checklist(&self) -> Option<&ChecklistSnapshot> {
        self.view.as_ref()?.checklists.get(self.tab)
    }

    /// The selected item with its checklist.
    pub fn selected_item(&self) -> Option<(&ChecklistSnapshot, &Item)> {
        let checklist = self.checklist()?;
        Some((checklist, checklist.checklist.items.get(self.item)?))
    }

    /// The findings on the selected item.
    pub fn item_findings(&self) -> Vec<&FindingView> {
        match (self.view.as_ref(), self.selected_item()) {
            (Some(view), Some((checklist, item))) => view.findings_on(checklist, item),
            _ => Vec::new(),
        }
    }

    /// The finding a command applies to: the selected one in the findings
    /// pane, else the item's latest.
    pub fn selected_finding(&self) -> Option<&FindingView> {
        let findings = self.item_findings();
        match self.pane {
            Pane::Findings => findings.get(self.finding).copied(),
            Pane::Items => findings.last().copied(),
        }
    }

    fn closed(&self) -> bool {
        self.view.as_ref().is_some_and(VisitView::closed)
    }
}

/// Shows a rule in one line, with ASCII in place of the dash and `≤`, whose
/// East Asian width is ambiguous (two cells in some Chinese terminals).
pub fn rule_text(rule: &Rule, lang: Lang) -> String {
    crate::text::plain(&rule.describe(lang)).into_owned()
}

/// Runs a command on the visit screen.
pub fn update(visit: &mut VisitState, ctx: &Ctx<'_>, command: Command) -> Out {
    let lang = ctx.lang;
    let Some(view) = visit.view.as_ref() else {
        return match command {
            Command::Back | Command::Quit => Out::nav(Nav::Pop).with(Effect::LoadHome {
                offer_resume: false,
            }),
            _ => Out::none(),
        };
    };
    let tabs = view.checklists.len();
    let writes = matches!(
        command,
        Command::Violation
            | Command::Compliant
            | Command::CompliantRest
            | Command::NotApplicable
            | Command::AddFinding
            | Command::Attach
            | Command::AddChecklist
            | Command::CloseVisit
    );
    if writes && visit.closed() {
        return Out::error(t(lang, "visit.read_only"));
    }
    let page = isize::try_from(ctx.size.1.saturating_sub(12))
        .unwrap_or(1)
        .max(1);
    let items = visit
        .checklist()
        .map(|c| c.checklist.items.len())
        .unwrap_or(0);
    let findings = visit.item_findings().len();
    let (sel, len) = match visit.pane {
        Pane::Items => (visit.item, items),
        Pane::Findings => (visit.finding, findings),
    };
    let moved = match command {
        Command::Up => Some(list::step(sel, -1, len)),
        Command::Down => Some(list::step(sel, 1, len)),
        Command::PageUp => Some(list::step(sel, -page, len)),
        Command::PageDown => Some(list::step(sel, page, len)),
        Command::Top => Some(0),
        Command::Bottom => Some(len.saturating_sub(1)),
        _ => None,
    };
    if let Some(to) = moved {
        match visit.pane {
            Pane::Items => {
                visit.item = to;
                visit.finding = 0;
            }
            Pane::Findings => visit.finding = to,
        }
        return Out::none();
    }
    match command {
        Command::NextTab | Command::PrevTab if tabs > 0 => {
            let delta = if command == Command::NextTab {
                1
            } else {
                tabs - 1
            };
            visit.tab = (visit.tab + delta) % tabs;
            visit.item = 0;
            visit.finding = 0;
            visit.pane = Pane::Items;
            Out::none()
        }
        Command::SwitchPane => {
            visit.pane = match visit.pane {
                Pane::Items if findings > 0 => Pane::Findings,
                _ => Pane::Items,
            };
            Out::none()
        }
        Command::Violation => new_finding(visit, ctx, true),
        Command::AddFinding => new_finding(visit, ctx, false),
        Command::Compliant | Command::NotApplicable => {
            if findings > 0 {
                return Out::error(t(lang, "visit.already_recorded"));
            }
            let result = if command == Command::Compliant {
                FindingResult::Compliant
            } else {
                FindingResult::NotApplicable
            };
            let out = quick_record(visit, ctx, result);
            // On to the next item, as the inspector walks the list.
            visit.item = list::step(visit.item, 1, items);
            visit.finding = 0;
            out
        }
        Command::CompliantRest => compliant_rest(visit, ctx),
        Command::Select => {
            if visit.closed() {
                return history(visit);
            }
            match (visit.pane, findings) {
                (Pane::Items, 0) => new_finding(visit, ctx, false),
                (Pane::Items, 1) | (Pane::Findings, _) => correct(visit, ctx),
                (Pane::Items, _) => {
                    visit.pane = Pane::Findings;
                    Out::none()
                }
            }
        }
        Command::History => history(visit),
        Command::Attach => match visit.selected_finding() {
            Some(f) => Out::nav(Nav::Overlay(Overlay::AttachPath {
                finding_id: f.record.finding_id,
                visit_id: visit.visit_id,
                path: field::line(""),
            })),
            None => Out::error(t(lang, "visit.no_finding")),
        },
        Command::OpenEvidence => match visit.selected_finding().and_then(|f| f.evidence.last()) {
            Some(e) => Out::effect(Effect::OpenEvidence {
                sha256: e.sha256.clone(),
                file_name: e.file_name.clone(),
            }),
            None => Out::error(t(lang, "visit.no_evidence")),
        },
        Command::AddChecklist => {
            let options = ctx
                .catalog
                .manifests
                .iter()
                .flat_map(|m| m.snapshots().into_iter().map(move |s| (m, s)))
                .filter(|(_, s)| {
                    !view
                        .checklists
                        .iter()
                        .any(|c| c.plugin_id == s.plugin_id && c.checklist.id == s.checklist.id)
                })
                .map(|(m, s)| {
                    (
                        format!("{} - {}", s.checklist.label.get(lang), m.name.get(lang)),
                        s,
                    )
                })
                .collect();
            Out::nav(Nav::Overlay(Overlay::AddChecklist {
                visit_id: visit.visit_id,
                options,
                selected: 0,
            }))
        }
        Command::VisitRecord => Out::effect(Effect::WriteVisitRecord {
            visit_id: visit.visit_id,
            out: record_file(view, ctx),
        }),
        Command::CloseVisit => {
            let text = close::question(view, lang);
            Out::nav(Nav::Overlay(Overlay::Question(Question::Close {
                visit_id: visit.visit_id,
                text,
            })))
        }
        Command::Back | Command::Quit => Out::nav(Nav::Pop).with(Effect::LoadHome {
            offer_resume: false,
        }),
        _ => Out::none(),
    }
}

/// The file the visit's record goes to, in the working folder: named for
/// the unit and the day, with what a file name cannot hold replaced.
fn record_file(view: &VisitView, ctx: &Ctx<'_>) -> std::path::PathBuf {
    let day = ctx.tz.to_datetime(view.summary.started_at).date();
    let unit: String = view
        .summary
        .unit
        .name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let what = t(ctx.lang, "visit.record_file");
    std::path::PathBuf::from(format!("{what}-{unit}-{day}.docx"))
}

fn new_finding(visit: &VisitState, ctx: &Ctx<'_>, quick: bool) -> Out {
    let Some((checklist, item)) = visit.selected_item() else {
        return Out::none();
    };
    let editor = EditorState::new_finding(ctx, visit.visit_id, checklist, item, quick);
    Out::nav(Nav::Push(Screen::Editor(Box::new(editor))))
}

fn correct(visit: &VisitState, ctx: &Ctx<'_>) -> Out {
    let (Some((checklist, item)), Some(finding)) =
        (visit.selected_item(), visit.selected_finding())
    else {
        return Out::none();
    };
    let editor = EditorState::correct(ctx, checklist, item, finding);
    Out::nav(Nav::Push(Screen::Editor(Box::new(editor))))
}

fn history(visit: &VisitState) -> Out {
    match visit.selected_finding() {
        Some(f) => {
            let id = f.record.finding_id;
            Out::nav(Nav::Push(Screen::History(HistoryState::loading(id))))
                .with(Effect::LoadHistory(id))
        }
        None => Out::none(),
    }
}

fn quick_record(visit: &VisitState, ctx: &Ctx<'_>, result: FindingResult) -> Out {
    let Some((checklist, item)) = visit.selected_item() else {
        return Out::none();
    };
    Out::effect(Effect::RecordFinding {
        record: plain_record(visit.visit_id, checklist, item, result, ctx.now),
        compute: None,
    })
}

/// Asks to mark every item of the checklist that has no finding compliant.
fn compliant_rest(visit: &VisitState, ctx: &Ctx<'_>) -> Out {
    let lang = ctx.lang;
    let (Some(view), Some(checklist)) = (visit.view.as_ref(), visit.checklist()) else {
        return Out::none();
    };
    let records: Vec<FindingRecord> = checklist
        .checklist
        .items
        .iter()
        .filter(|item| view.findings_on(checklist, item).is_empty())
        .map(|item| {
            plain_record(
                visit.visit_id,
                checklist,
                item,
                FindingResult::Compliant,
                ctx.now,
            )
        })
        .collect();
    if records.is_empty() {
        return Out::info(t(lang, "visit.nothing_unchecked"));
    }
    let text = tf(
        lang,
        "visit.compliant_rest_question",
        &[
            ("n", &records.len()),
            ("checklist", &checklist.checklist.label.get(lang)),
        ],
    );
    Out::nav(Nav::Overlay(Overlay::Question(Question::CompliantRest {
        visit_id: visit.visit_id,
        records,
        text,
    })))
}

/// A finding with nothing to price: compliant or not applicable.
fn plain_record(
    visit_id: Uuid,
    checklist: &ChecklistSnapshot,
    item: &Item,
    result: FindingResult,
    now: jiff::Timestamp,
) -> FindingRecord {
    FindingRecord {
        finding_id: Uuid::now_v7(),
        visit_id,
        item: checklist.item_ref(item),
        result,
        input: RuleInput::default(),
        subject: None,
        note: String::new(),
        observed_at: now,
        points: Points::ZERO,
        points_by_hand: false,
        supersedes: None,
        source: None,
    }
}

/// A click selects an item, a finding or a tab.
pub fn click(visit: &mut VisitState, ctx: &Ctx<'_>, x: u16, y: u16) {
    let (_, body, _) = chrome::split(Rect::new(0, 0, ctx.size.0, ctx.size.1));
    let a = areas(body);
    let items = visit
        .checklist()
        .map(|c| c.checklist.items.len())
        .unwrap_or(0);
    if let Some(i) = list::hit(a.items, 1, x, y, visit.item, items) {
        visit.item = i;
        visit.finding = 0;
        visit.pane = Pane::Items;
    } else if y == a.tabs.y {
        let Some(view) = &visit.view else { return };
        let hit = tab_layout(view, visit.tab, ctx.lang, a.tabs.width)
            .into_iter()
            .find(|(_, start, w, _)| x >= a.tabs.x + start && x < a.tabs.x + start + w);
        if let Some((i, ..)) = hit {
            visit.tab = i;
            visit.item = 0;
            visit.finding = 0;
            visit.pane = Pane::Items;
        }
    } else {
        let findings = visit.item_findings().len();
        let top = a.detail.y + 1 + DETAIL_RULE_ROWS;
        if y >= top && y < a.detail.y + a.detail.height && usize::from(y - top) < findings {
            visit.pane = Pane::Findings;
            visit.finding = usize::from(y - top);
        }
    }
}
