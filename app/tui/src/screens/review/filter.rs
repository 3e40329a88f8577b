//! The filter form: period, unit, department, checklist, item, status,
//! inspector, overdue-only and accountability outcome, turned into the ledger's `ReviewFilter`.

use crate::i18n::{t, tf};
use crate::widgets::field;
use anfang_core::Lang;
use anfang_core::outcome::OutcomeKind;
use anfang_core::period::{Period, parse_date};
use anfang_core::review::ReviewStatus;
use anfang_ledger::review_query::{ReviewChoices, ReviewFilter};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use ratatui_textarea::TextArea;

/// What the review window is filtered by, as the user set it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Observed within these days.
    pub period: Option<Period>,
    /// Unit name.
    pub unit: Option<String>,
    /// Department.
    pub department: Option<String>,
    /// Checklist id.
    pub checklist: Option<String>,
    /// Item id.
    pub item: Option<String>,
    /// Review status.
    pub status: Option<ReviewStatus>,
    /// Lead inspector.
    pub inspector: Option<String>,
    /// Only rectifications past their deadline.
    pub overdue: bool,
    /// Only findings with an accountability outcome of this kind.
    pub outcome: Option<OutcomeKind>,
    /// Search words.
    pub search: Option<String>,
}

impl Filters {
    /// The ledger's filter; `today` decides what is overdue, `tz` the period's days.
    pub fn to_query(&self, today: Date, tz: &TimeZone) -> ReviewFilter {
        ReviewFilter {
            observed: self.period.map(|p| p.instants(tz)),
            unit: self.unit.clone(),
            department: self.department.clone(),
            checklist: self.checklist.clone(),
            item: self.item.clone(),
            status: self.status,
            inspector: self.inspector.clone(),
            overdue_on: self.overdue.then_some(today),
            search: self.search.clone(),
            outcome: self.outcome,
        }
    }

    /// Whether anything filters.
    pub fn any(&self) -> bool {
        *self != Filters::default()
    }

    /// A one-line summary, e.g. `状态=待审核 单位=市财政局 搜索="短视频"`.
    pub fn summary(&self, lang: Lang) -> String {
        let mut parts = Vec::new();
        if let Some(p) = self.period {
            parts.push(format!(
                "{}={}",
                t(lang, "review.filter.period"),
                p.short_label()
            ));
        }
        let mut named = |key: &'static str, value: &Option<String>| {
            if let Some(v) = value {
                parts.push(format!("{}={v}", t(lang, key)));
            }
        };
        named("review.filter.unit", &self.unit);
        named("review.filter.department", &self.department);
        named("review.filter.checklist", &self.checklist);
        named("review.filter.item", &self.item);
        named("review.filter.inspector", &self.inspector);
        if let Some(s) = self.status {
            parts.push(format!(
                "{}={}",
                t(lang, "review.filter.status"),
                s.label().get(lang)
            ));
        }
        if self.overdue {
            parts.push(t(lang, "review.filter.overdue").to_string());
        }
        if let Some(kind) = self.outcome {
            parts.push(format!(
                "{}={}",
                t(lang, "review.filter.outcome"),
                kind.label().get(lang)
            ));
        }
        if let Some(s) = &self.search {
            parts.push(format!("{}=\"{s}\"", t(lang, "review.search")));
        }
        parts.join("  ")
    }
}

/// One field of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// First day.
    From,
    /// Last day.
    To,
    /// Unit name (typed).
    Unit,
    /// Department (chosen).
    Department,
    /// Checklist (chosen).
    Checklist,
    /// Item (chosen).
    Item,
    /// Status (chosen).
    Status,
    /// Inspector (chosen).
    Inspector,
    /// Overdue only (toggled).
    Overdue,
    /// Accountability outcome (chosen).
    Outcome,
}

impl Field {
    /// Every field in form order.
    pub const ALL: [Field; 10] = [
        Field::From,
        Field::To,
        Field::Unit,
        Field::Department,
        Field::Checklist,
        Field::Item,
        Field::Status,
        Field::Inspector,
        Field::Overdue,
        Field::Outcome,
    ];

    /// The field's label key.
    pub fn label(self) -> &'static str {
        match self {
            Field::From => "review.filter.from",
            Field::To => "review.filter.to",
            Field::Unit => "review.filter.unit",
            Field::Department => "review.filter.department",
            Field::Checklist => "review.filter.checklist",
            Field::Item => "review.filter.item",
            Field::Status => "review.filter.status",
            Field::Inspector => "review.filter.inspector",
            Field::Overdue => "review.filter.overdue",
            Field::Outcome => "review.filter.outcome",
        }
    }

    /// Whether the field is typed into.
    pub fn is_text(self) -> bool {
        matches!(self, Field::From | Field::To | Field::Unit)
    }
}

/// A value chosen from a list; index 0 is "all".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Choice {
    /// (value, label) pairs after "all".
    pub options: Vec<(String, String)>,
    /// 0 = all, i = options[i - 1].
    pub index: usize,
}

impl Choice {
    fn new(options: Vec<(String, String)>, current: Option<&str>) -> Choice {
        let index = current
            .and_then(|c| options.iter().position(|(v, _)| v == c))
            .map_or(0, |i| i + 1);
        Choice { options, index }
    }

    /// The chosen value; `None` for all.
    pub fn value(&self) -> Option<&str> {
        self.index
            .checked_sub(1)
            .and_then(|i| self.options.get(i))
            .map(|(v, _)| v.as_str())
    }

    /// The label shown.
    pub fn shown(&self, lang: Lang) -> String {
        match self.index.checked_sub(1).and_then(|i| self.options.get(i)) {
            Some((_, label)) => label.clone(),
            None => t(lang, "review.filter.all").to_string(),
        }
    }

    /// Steps to the next (`forward`) or previous option, wrapping round.
    pub fn cycle(&mut self, forward: bool) {
        let n = self.options.len() + 1;
        self.index = if forward {
            (self.index + 1) % n
        } else {
            (self.index + n - 1) % n
        };
    }
}

/// The form.
#[derive(Debug, Clone)]
pub struct FilterForm {
    /// First day typed.
    pub from: TextArea<'static>,
    /// Last day typed.
    pub to: TextArea<'static>,
    /// Unit typed (exact name, or part of exactly one name).
    pub unit: TextArea<'static>,
    /// Department.
    pub department: Choice,
    /// Checklist.
    pub checklist: Choice,
    /// Item.
    pub item: Choice,
    /// Status.
    pub status: Choice,
    /// Inspector.
    pub inspector: Choice,
    /// Overdue only.
    pub overdue: bool,
    /// Accountability outcome.
    pub outcome: Choice,
    /// The focused field.
    pub focus: Field,
    /// Units known, to complete a typed name.
    pub units: Vec<String>,
    /// What is wrong with the values, if applying failed.
    pub error: Option<String>,
}

impl FilterForm {
    /// The form showing the filters in force, with the values the ledger offers.
    pub fn new(current: &Filters, choices: &ReviewChoices, lang: Lang) -> FilterForm {
        let (from, to) = current.period.map_or((String::new(), String::new()), |p| {
            (p.from.to_string(), p.to.to_string())
        });
        let mut checklists: Vec<(String, String)> = Vec::new();
        for i in &choices.items {
            if !checklists.iter().any(|(id, _)| *id == i.checklist_id) {
                checklists.push((i.checklist_id.clone(), i.checklist.get(lang).to_string()));
            }
        }
        let items = choices
            .items
            .iter()
            .map(|i| (i.item_id.clone(), i.item.get(lang).to_string()))
            .collect();
        let same = |v: &String| (v.clone(), v.clone());
        FilterForm {
            from: field::line(&from),
            to: field::line(&to),
            unit: field::line(current.unit.as_deref().unwrap_or("")),
            department: Choice::new(
                choices.departments.iter().map(same).collect(),
                current.department.as_deref(),
            ),
            checklist: Choice::new(checklists, current.checklist.as_deref()),
            item: Choice::new(items, current.item.as_deref()),
            status: Choice::new(
                ReviewStatus::ALL
                    .iter()
                    .map(|s| (s.as_str().to_string(), s.label().get(lang).to_string()))
                    .collect(),
                current.status.map(ReviewStatus::as_str),
            ),
            inspector: Choice::new(
                choices.inspectors.iter().map(same).collect(),
                current.inspector.as_deref(),
            ),
            overdue: current.overdue,
            outcome: Choice::new(
                OutcomeKind::ALL
                    .iter()
                    .map(|k| (k.as_str().to_string(), k.label().get(lang).to_string()))
                    .collect(),
                current.outcome.map(OutcomeKind::as_str),
            ),
            focus: Field::From,
            units: choices.units.iter().map(|u| u.name.clone()).collect(),
            error: None,
        }
    }

    /// The focused text field, if the focus is on one.
    pub fn text_mut(&mut self) -> Option<&mut TextArea<'static>> {
        match self.focus {
            Field::From => Some(&mut self.from),
            Field::To => Some(&mut self.to),
            Field::Unit => Some(&mut self.unit),
            _ => None,
        }
    }

    /// Moves the focus.
    pub fn focus_step(&mut self, forward: bool) {
        let n = Field::ALL.len();
        let i = Field::ALL
            .iter()
            .position(|f| *f == self.focus)
            .unwrap_or(0);
        self.focus = Field::ALL[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }];
    }

    /// Changes the focused choice (or toggles overdue-only).
    pub fn cycle(&mut self, forward: bool) {
        match self.focus {
            Field::Department => self.department.cycle(forward),
            Field::Checklist => self.checklist.cycle(forward),
            Field::Item => self.item.cycle(forward),
            Field::Status => self.status.cycle(forward),
            Field::Inspector => self.inspector.cycle(forward),
            Field::Overdue => self.overdue = !self.overdue,
            Field::Outcome => self.outcome.cycle(forward),
            Field::From | Field::To | Field::Unit => {}
        }
    }

    /// The filters the form asks for, keeping `search` as it was; a clear
    /// message naming the bad value otherwise.
    pub fn filters(&self, search: Option<String>, lang: Lang) -> Result<Filters, String> {
        let date = |area: &TextArea<'_>| -> Result<Option<Date>, String> {
            let text = field::text(area);
            let text = text.trim();
            if text.is_empty() {
                return Ok(None);
            }
            parse_date(text)
                .map(Some)
                .map_err(|_| tf(lang, "review.filter.bad_date", &[("value", &text)]))
        };
        // A missing end stops at the end of the year, a missing start begins the year.
        let span = match (date(&self.from)?, date(&self.to)?) {
            (None, None) => None,
            (Some(from), None) => Some((from, from.last_of_year())),
            (None, Some(to)) => Some((to.first_of_year(), to)),
            (Some(from), Some(to)) => Some((from, to)),
        };
        let period = span
            .map(|(from, to)| {
                Period::new(from, to).map_err(|_| {
                    tf(
                        lang,
                        "review.filter.reversed",
                        &[("from", &from), ("to", &to)],
                    )
                })
            })
            .transpose()?;
        let typed = field::text(&self.unit);
        let typed = typed.trim();
        let unit = if typed.is_empty() {
            None
        } else if self.units.iter().any(|u| u == typed) {
            Some(typed.to_string())
        } else {
            let matching: Vec<&String> = self.units.iter().filter(|u| u.contains(typed)).collect();
            match matching.as_slice() {
                [one] => Some((*one).clone()),
                [] => return Err(tf(lang, "review.filter.no_unit", &[("value", &typed)])),
                many => {
                    return Err(tf(
                        lang,
                        "review.filter.many_units",
                        &[("value", &typed), ("n", &many.len())],
                    ));
                }
            }
        };
        let owned = |c: &Choice| c.value().map(str::to_string);
        Ok(Filters {
            period,
            unit,
            department: owned(&self.department),
            checklist: owned(&self.checklist),
            item: owned(&self.item),
            status: self.status.value().and_then(ReviewStatus::parse),
            inspector: owned(&self.inspector),
            overdue: self.overdue,
            outcome: self.outcome.value().and_then(OutcomeKind::parse),
            search,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use anfang_core::visit::Unit;

    fn choices() -> ReviewChoices {
        ReviewChoices {
            units: ["市财政局", "市税务局第一分局", "市税务局第二分局"]
                .into_iter()
                .map(|n| Unit {
                    name: n.into(),
                    department: "x".into(),
                })
                .collect(),
            departments: vec!["税务".into(), "财政".into()],
            inspectors: vec!["张伟".into()],
            items: vec![],
        }
    }

    #[test]
    fn typed_values_become_filters_or_a_named_error() {
        let mut form = FilterForm::new(&Filters::default(), &choices(), Lang::En);
        form.from = field::line("2026-03-01");
        form.unit = field::line("财政");
        form.focus = Field::Status;
        form.cycle(true);
        let f = form.filters(None, Lang::En).unwrap();
        assert_eq!(f.period.unwrap().to.to_string(), "2026-12-31");
        assert_eq!(f.unit.as_deref(), Some("市财政局"));
        assert_eq!(f.status, Some(ReviewStatus::Pending));
        form.unit = field::line("税务局");
        assert!(form.filters(None, Lang::En).unwrap_err().contains("税务局"));
        form.unit = field::line("");
        form.to = field::line("2026-02-30");
        assert!(
            form.filters(None, Lang::En)
                .unwrap_err()
                .contains("2026-02-30")
        );
    }

    #[test]
    fn an_outcome_kind_filters_the_ledger_by_its_id() {
        let mut form = FilterForm::new(&Filters::default(), &choices(), Lang::Zh);
        form.focus = Field::Outcome;
        form.cycle(true);
        let f = form.filters(None, Lang::Zh).unwrap();
        let first = OutcomeKind::ALL[0];
        assert_eq!(f.outcome, Some(first));
        let query = f.to_query(Date::constant(2026, 3, 1), &TimeZone::UTC);
        assert_eq!(query.outcome, Some(first));
        assert!(f.summary(Lang::Zh).contains(&first.label().zh));
        // The form opened again shows the filter in force.
        let again = FilterForm::new(&f, &choices(), Lang::Zh);
        assert_eq!(again.outcome.value(), Some(first.as_str()));
    }

    #[test]
    fn choices_wrap_round_through_all() {
        let mut form = FilterForm::new(&Filters::default(), &choices(), Lang::Zh);
        form.focus = Field::Department;
        form.cycle(false);
        assert_eq!(form.department.value(), Some("财政"));
        form.cycle(true);
        assert_eq!(form.department.value(), None);
        assert_eq!(form.department.shown(Lang::En), "all");
    }
}
