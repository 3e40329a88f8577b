//! The runtime: carries out effects against the ledger and the plugin
//! registry, and runs the event loop. The only part of the TUI that does I/O.

use crate::action::Action;
use crate::convert;
use crate::effect::Effect;
use crate::i18n::{t, tf};
use crate::input::translate;
use crate::keymap::Keymap;
use crate::screens::home;
use crate::screens::review::{COUNT_CAP, ReviewEffect, ReviewReply};
use crate::screens::scores::{ScoresEffect, ScoresReply, trend_span};
use crate::state::State;
use crate::update::update;
use crate::view::view;
use crate::{TuiError, TuiOptions};
use anfang_core::Lang;
use anfang_core::event::EventBody;
use anfang_core::review::ReviewRecord;
use anfang_ledger::Ledger;
use anfang_plugin_host::Registry;
use crossterm::event::Event;
use ratatui::Terminal;
use ratatui::backend::Backend;
use std::collections::VecDeque;
use std::path::PathBuf;
use std::time::Duration;

pub mod clock;
mod draft_file;
mod folder;
mod jobs;
mod ledger_error;
mod plugin_error;
mod settings;
mod viewing;

/// Overdue rectifications are counted up to this on Home ("999+" beyond):
/// the number is a warning, and counting past it would slow every return home.
const HOME_OVERDUE_CAP: u64 = 999;

/// The state together with the ledger and registry effects run against.
pub struct App {
    /// The state drawn.
    pub state: State,
    ledger: Ledger,
    registry: Registry,
    viewing: viewing::ViewingFolder,
    /// Whether opened evidence is handed to the desktop's viewer (off in tests).
    pub open_files: bool,
    /// The folder relative file names are taken from (the working folder;
    /// tests set their own).
    pub work_dir: std::path::PathBuf,
    /// Merges and exports under way on workers.
    jobs: jobs::Jobs,
    /// Put counts off until the frame is drawn (the event loop); tests run
    /// everything at once.
    pub defer_counts: bool,
    /// Counts put off until after the next frame.
    deferred: Vec<Effect>,
    /// Where a name the user gives is kept for the next start.
    pub settings_path: Option<PathBuf>,
    /// Where the time comes from: the state is ticked from it.
    clock: clock::Clock,
    /// The data folder: the draft of what is being typed lives there.
    data_dir: PathBuf,
}

impl App {
    /// A new app on the machine's clock; reads the home screen and offers to
    /// resume an unfinished visit.
    pub fn new(
        ledger: Ledger,
        registry: Registry,
        lang: Lang,
        user_name: &str,
        tz: jiff::tz::TimeZone,
        keymap: Keymap,
    ) -> App {
        let clock = clock::system();
        App::with_clock(ledger, registry, lang, user_name, tz, keymap, clock)
    }

    /// A new app that reads the time from `clock`.
    pub fn with_clock(
        ledger: Ledger,
        registry: Registry,
        lang: Lang,
        user_name: &str,
        tz: jiff::tz::TimeZone,
        keymap: Keymap,
        clock: clock::Clock,
    ) -> App {
        let catalog = convert::catalog(&registry, lang);
        let state = State::new(lang, user_name, tz, clock(), keymap, catalog);
        // Workers open their own connection to the same ledger.
        let data_dir = ledger
            .path()
            .parent()
            .map(PathBuf::from)
            .unwrap_or_default();
        let jobs = jobs::Jobs::new(data_dir.clone());
        let mut app = App {
            data_dir,
            jobs,
            state,
            ledger,
            registry,
            viewing: viewing::ViewingFolder::default(),
            open_files: true,
            work_dir: std::env::current_dir().unwrap_or_default(),
            defer_counts: false,
            deferred: Vec::new(),
            settings_path: None,
            clock,
        };
        app.dispatch(Action::Command(crate::command::Command::None));
        // What was being typed when anfang stopped comes back first; only
        // without it is resuming a visit offered.
        let draft = app.draft_left();
        app.run_effects(vec![Effect::LoadHome {
            offer_resume: draft.is_none(),
        }]);
        if let Some(draft) = draft {
            app.dispatch(Action::DraftFound(draft));
        }
        app
    }

    /// The time now, by the app's clock.
    pub fn now(&self) -> jiff::Timestamp {
        (self.clock)()
    }

    /// The office the ledger answers to (its short fingerprint) and how many
    /// events it refused.
    fn office_standing(&self) -> Result<crate::model::OfficeStanding, anfang_ledger::LedgerError> {
        Ok(crate::model::OfficeStanding {
            office: self
                .ledger
                .office_fingerprint()?
                .map(|f| f.chars().take(8).collect()),
            refused: self.ledger.refused_count()?,
        })
    }

    /// Moves the state's time to the clock's (the event loop does this
    /// after every input and every half second).
    pub fn tick(&mut self) {
        let now = self.now();
        self.dispatch(Action::Tick(now));
    }

    /// The draft left in the data folder, unless what it holds was saved
    /// already (anfang stopped between saving it and removing the file).
    fn draft_left(&mut self) -> Option<crate::draft::Draft> {
        use crate::draft::Draft;
        let draft = match draft_file::read(&self.data_dir) {
            draft_file::Found::Nothing => return None,
            draft_file::Found::Draft(draft) => draft,
            draft_file::Found::Unreadable { moved_to, error } => {
                let message = tf(
                    self.state.lang,
                    "draft.unreadable",
                    &[("file", &moved_to.display()), ("error", &error)],
                );
                self.dispatch(Action::Failed(message));
                return None;
            }
        };
        let done = match &draft {
            Draft::Finding(d) => match self.ledger.finding_history(d.finding_id) {
                Ok(history) => history
                    .versions
                    .iter()
                    .any(|v| v.record.supersedes == d.supersedes),
                Err(_) => false,
            },
            Draft::NewVisit(d) => matches!(self.ledger.visit(d.visit_id), Ok(Some(_))),
        };
        if done {
            // Nothing to bring back; a failure to remove is retried later.
            let _ = draft_file::remove(&self.data_dir);
            return None;
        }
        Some(draft)
    }

    /// The ledger (for tests that check what was written).
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// Applies an action and everything it leads to.
    pub fn dispatch(&mut self, action: Action) {
        let effects = update(&mut self.state, action);
        self.run_effects(effects);
    }

    /// Handles one terminal event.
    pub fn handle(&mut self, event: Event) {
        if let Some(action) = translate(&self.state, event) {
            self.dispatch(action);
        }
    }

    fn run_effects(&mut self, effects: Vec<Effect>) {
        let mut queue: VecDeque<Effect> = effects.into();
        while let Some(effect) = queue.pop_front() {
            // Counting a large ledger's findings may take longer than a frame:
            // the rows are drawn first, the count fills the title after.
            if self.defer_counts && matches!(effect, Effect::Review(ReviewEffect::Count { .. })) {
                // A newer count makes an older one pointless.
                self.deferred.clear();
                self.deferred.push(effect);
                continue;
            }
            for action in self.run(effect) {
                queue.extend(update(&mut self.state, action));
            }
        }
    }

    /// Runs the effects put off until the frame was drawn; whether there were any.
    pub fn run_deferred(&mut self) -> bool {
        let deferred = std::mem::take(&mut self.deferred);
        let any = !deferred.is_empty();
        for effect in deferred {
            for action in self.run(effect) {
                let more = update(&mut self.state, action);
                self.run_effects(more);
            }
        }
        any
    }

    /// Draws the state.
    pub fn draw<B: Backend>(&self, terminal: &mut Terminal<B>) -> Result<(), TuiError> {
        terminal
            .draw(|frame| view(&self.state, frame))
            .map(|_| ())
            .map_err(|e| TuiError::Terminal(e.to_string()))
    }

    /// Carries out one effect and answers with actions.
    fn run(&mut self, effect: Effect) -> Vec<Action> {
        let lang = self.state.lang;
        // Events claim the time of the app's clock.
        let now = self.now();
        let failed = |key: &'static str, e: &dyn std::fmt::Display| {
            vec![Action::Failed(tf(lang, key, &[("error", e)]))]
        };
        match effect {
            Effect::LoadHome { offer_resume } => {
                // As many as were read before, so the selection stays put.
                let limit = home::PAGE.max(self.state.home().visits.len());
                let visits = self.ledger.home_visits(limit);
                let units = self
                    .ledger
                    .known_units()
                    .and_then(|u| Ok((u, self.ledger.register()?)));
                // The state's time, ticked from the app's clock.
                let today = self.state.tz.to_datetime(self.state.now).date();
                let overdue = self.ledger.overdue_count(today, HOME_OVERDUE_CAP);
                // Due within the warning days: overdue by the day after the
                // last of them, and not overdue today.
                let warn = i64::from(self.state.deadline_warning_days) + 1;
                let horizon = today.saturating_add(jiff::Span::new().days(warn));
                let due_soon = overdue.as_ref().ok().and_then(|now| {
                    let then = self.ledger.overdue_count(horizon, HOME_OVERDUE_CAP + now.0);
                    then.ok().map(|then| (then.0.saturating_sub(now.0), then.1))
                });
                // Only a visit this device opened is offered for resuming.
                let resume = if offer_resume {
                    self.ledger
                        .own_unfinished_visit()
                        .and_then(|id| match id {
                            Some(id) => self.ledger.visit(id),
                            None => Ok(None),
                        })
                        .map(|detail| detail.map(|d| convert::visit_row(d.summary)))
                } else {
                    Ok(None)
                };
                let standing = self.office_standing();
                match (visits, units, overdue, resume, standing) {
                    (Ok(visits), Ok((units, register)), Ok(overdue), Ok(resume), Ok(standing)) => {
                        vec![
                            Action::HomeLoaded {
                                more: visits.len() == limit,
                                visits: visits.into_iter().map(convert::visit_row).collect(),
                                units,
                                register,
                                resume,
                                overdue,
                                due_soon: due_soon.unwrap_or_default(),
                            },
                            Action::OfficeRead(standing),
                        ]
                    }
                    (Err(e), ..)
                    | (_, Err(e), ..)
                    | (_, _, Err(e), ..)
                    | (.., Err(e), _)
                    | (.., Err(e)) => failed("error.read", &ledger_error::explain(lang, &e)),
                }
            }
            Effect::LoadMoreVisits(after) => {
                match self.ledger.home_visits_after(after, home::PAGE) {
                    Ok(visits) => vec![Action::HomeMore {
                        after: after.visit_id,
                        more: visits.len() == home::PAGE,
                        visits: visits.into_iter().map(convert::visit_row).collect(),
                    }],
                    Err(e) => failed("error.read", &ledger_error::explain(lang, &e)),
                }
            }
            Effect::OpenVisit(opened) => {
                let visit_id = opened.visit_id;
                match self.ledger.append_at(&EventBody::VisitOpened(opened), now) {
                    Ok(_) => vec![Action::VisitOpened(visit_id)],
                    Err(e) => failed("error.write", &ledger_error::explain(lang, &e)),
                }
            }
            Effect::LoadVisit(visit_id) => match self.ledger.visit(visit_id) {
                Ok(Some(detail)) => vec![Action::VisitLoaded(convert::visit(detail))],
                Ok(None) => failed("error.no_visit", &visit_id),
                Err(e) => failed("error.read", &ledger_error::explain(lang, &e)),
            },
            Effect::RecordFinding {
                mut record,
                compute,
            } => {
                let mut note = None;
                if compute.is_some() {
                    let values = serde_json::Value::Object(record.input.values.clone());
                    match self
                        .registry
                        .score(&record.item.plugin_id, &record.item.item_id, &values)
                    {
                        Ok(points) => {
                            record.points = points;
                            record.points_by_hand = false;
                        }
                        // Never a silent 0: without points by hand nothing
                        // is saved and the editor asks for them.
                        Err(e) if !record.points_by_hand => {
                            return vec![Action::ScoreFailed(tf(
                                lang,
                                "editor.score_needs_hand",
                                &[("error", &plugin_error::explain(lang, &e))],
                            ))];
                        }
                        Err(e) => {
                            let why = plugin_error::explain(lang, &e);
                            // The plugin's reason stays with the finding.
                            let kept = tf(lang, "editor.score_reason", &[("error", &why)]);
                            if !record.note.contains(&kept) {
                                if !record.note.is_empty() {
                                    record.note.push('\n');
                                }
                                record.note.push_str(&kept);
                            }
                            note = Some(tf(
                                lang,
                                "editor.score_failed",
                                &[("error", &why), ("points", &record.points)],
                            ));
                        }
                    }
                }
                let finding_id = record.finding_id;
                let visit_id = record.visit_id;
                match self
                    .ledger
                    .append_at(&EventBody::FindingRecorded(record), now)
                {
                    Ok(_) => vec![Action::FindingSaved {
                        finding_id,
                        visit_id,
                        note,
                    }],
                    Err(e) => vec![Action::SaveFailed(tf(
                        lang,
                        "error.write",
                        &[("error", &ledger_error::explain(lang, &e))],
                    ))],
                }
            }
            Effect::RecordMany { visit_id, records } => {
                let n = records.len();
                let batch: Vec<_> = records
                    .into_iter()
                    .map(|r| (None, EventBody::FindingRecorded(r), now))
                    .collect();
                match self.ledger.append_batch(&batch) {
                    Ok(_) => {
                        self.reload(visit_id, &tf(lang, "visit.marked_compliant", &[("n", &n)]))
                    }
                    Err(e) => failed("error.write", &ledger_error::explain(lang, &e)),
                }
            }
            Effect::SaveDraft(draft) => match draft_file::write(&self.data_dir, &draft) {
                Ok(()) => Vec::new(),
                Err(e) => vec![Action::DraftFailed(tf(
                    lang,
                    "draft.save_failed",
                    &[("error", &e)],
                ))],
            },
            Effect::DiscardDraft => match draft_file::remove(&self.data_dir) {
                Ok(()) => Vec::new(),
                Err(e) => failed("draft.save_failed", &e),
            },
            Effect::AddChecklist(added) => {
                let visit_id = added.visit_id;
                match self
                    .ledger
                    .append_at(&EventBody::ChecklistAdded(added), now)
                {
                    Ok(_) => self.reload(visit_id, t(lang, "visit.checklist_added")),
                    Err(e) => failed("error.write", &ledger_error::explain(lang, &e)),
                }
            }
            Effect::CloseVisit(closed) => {
                let visit_id = closed.visit_id;
                match self.ledger.append_at(&EventBody::VisitClosed(closed), now) {
                    Ok(_) => self.reload(visit_id, t(lang, "visit.closed_now")),
                    Err(e) => failed("error.write", &ledger_error::explain(lang, &e)),
                }
            }
            Effect::LoadHistory(finding_id) => match self.ledger.finding_history(finding_id) {
                Ok(history) => vec![Action::HistoryLoaded(convert::history(finding_id, history))],
                Err(e) => failed("error.read", &ledger_error::explain(lang, &e)),
            },
            Effect::Attach {
                finding_id,
                visit_id,
                path,
            } => match self.ledger.attach_evidence_at(finding_id, &path, now) {
                Ok(record) => self.reload(
                    visit_id,
                    &tf(lang, "visit.attached", &[("file", &record.file_name)]),
                ),
                Err(e) => failed("error.attach", &ledger_error::explain(lang, &e)),
            },
            Effect::SaveName(name) => match &self.settings_path {
                Some(path) => match settings::save_name(path, &name) {
                    Ok(()) => vec![Action::NameSaved(name)],
                    Err(e) => failed("name.save_failed", &e),
                },
                None => vec![Action::NameSaved(name)],
            },
            Effect::Review(effect) => self.run_review(effect),
            Effect::Merge(effect) => self.run_merge(effect),
            Effect::Export(effect) => self.run_export(effect),
            Effect::Scores(effect) => self.run_scores(effect),
            Effect::WriteVisitRecord { visit_id, out } => {
                match self.write_visit_record(visit_id, &out) {
                    Ok(path) => vec![Action::Info(tf(
                        lang,
                        "visit.record_written",
                        &[("file", &path.display())],
                    ))],
                    Err(e) => failed("visit.record_failed", &e),
                }
            }
            Effect::WriteNotice { unit, out } => match self.write_notice(&unit, &out) {
                Ok(path) => vec![Action::Info(tf(
                    lang,
                    "review.notice_written",
                    &[("file", &path.display())],
                ))],
                Err(e) => failed("review.notice_failed", &e),
            },
            Effect::OpenEvidence { sha256, file_name } => {
                let dir = match self.viewing.path() {
                    Ok(dir) => dir,
                    Err(e) => return failed("visit.viewing_folder_failed", &e),
                };
                match self.ledger.export_evidence(&sha256, &file_name, dir) {
                    Ok(path) => {
                        if self.open_files {
                            open_with_desktop(&path);
                        }
                        vec![Action::Info(tf(
                            lang,
                            "visit.opened_file",
                            &[("file", &path.display())],
                        ))]
                    }
                    Err(e) => failed("error.read", &ledger_error::explain(lang, &e)),
                }
            }
        }
    }

    /// Writes the record of `visit_id` to `out` (made absolute from the
    /// working folder), dated in the user's time zone.
    fn write_visit_record(
        &self,
        visit_id: uuid::Uuid,
        out: &std::path::Path,
    ) -> Result<std::path::PathBuf, String> {
        let path = std::path::absolute(self.work_dir.join(out))
            .map_err(|e| format!("{}: {e}", out.display()))?;
        let mut options = anfang_export::ExportOptions::new(self.state.lang);
        options.tz = self.state.tz.clone();
        options.today = self.state.tz.to_datetime(self.state.now).date();
        let record = anfang_export::paper::visit_record(&self.ledger, visit_id, &options)
            .map_err(|e| e.to_string())?;
        anfang_export::paper::write_paper(&record, anfang_export::Format::Docx, &path)
            .map_err(|e| e.to_string())?;
        Ok(path)
    }

    /// Writes the rectification notice to `unit` to `out` (made absolute
    /// from the working folder), dated today in the user's time zone.
    fn write_notice(
        &self,
        unit: &str,
        out: &std::path::Path,
    ) -> Result<std::path::PathBuf, String> {
        let path = std::path::absolute(self.work_dir.join(out))
            .map_err(|e| format!("{}: {e}", out.display()))?;
        let mut options = anfang_export::ExportOptions::new(self.state.lang);
        options.tz = self.state.tz.clone();
        options.today = self.state.tz.to_datetime(self.state.now).date();
        let source = anfang_export::LedgerSource::new(&self.ledger, options.tz.clone());
        let notice =
            anfang_export::paper::notice(&source, unit, &options).map_err(|e| e.to_string())?;
        anfang_export::paper::write_paper(&notice, anfang_export::Format::Docx, &path)
            .map_err(|e| e.to_string())?;
        Ok(path)
    }

    /// Carries out the review screen's I/O.
    fn run_review(&mut self, effect: ReviewEffect) -> Vec<Action> {
        let lang = self.state.lang;
        let now = self.now();
        let failed = |key: &'static str, e: &dyn std::fmt::Display| {
            vec![Action::Failed(tf(lang, key, &[("error", e)]))]
        };
        let answer = |reply: ReviewReply| vec![Action::Review(reply)];
        match effect {
            ReviewEffect::Page {
                token,
                filter,
                sort,
                anchor,
                limit,
                place,
            } => {
                // Cheap once the indexes exist; builds them on a ledger that lacks them.
                let page = self
                    .ledger
                    .ensure_review_indexes()
                    .and_then(|()| self.ledger.review_page(&filter, sort, &anchor, limit));
                match page {
                    Ok(page) => answer(ReviewReply::Page { token, place, page }),
                    Err(e) => failed("error.read", &ledger_error::explain(lang, &e)),
                }
            }
            ReviewEffect::Count { token, filter } => {
                match self.ledger.review_count_upto(&filter, COUNT_CAP) {
                    Ok(count) => answer(ReviewReply::Counted { token, count }),
                    Err(e) => failed("error.read", &ledger_error::explain(lang, &e)),
                }
            }
            ReviewEffect::Detail(finding_id) => match self.ledger.review_detail(finding_id) {
                Ok(Some(detail)) => answer(ReviewReply::Detail(Box::new(detail))),
                Ok(None) => failed("error.no_finding", &finding_id),
                Err(e) => failed("error.read", &ledger_error::explain(lang, &e)),
            },
            ReviewEffect::Choices => match self.ledger.review_choices() {
                Ok(choices) => answer(ReviewReply::Choices(choices)),
                Err(e) => failed("error.read", &ledger_error::explain(lang, &e)),
            },
            ReviewEffect::VisitPending(visit_id) => match self.ledger.pending_of_visit(visit_id) {
                Ok(findings) => answer(ReviewReply::VisitPending { visit_id, findings }),
                Err(e) => failed("error.read", &ledger_error::explain(lang, &e)),
            },
            ReviewEffect::ConfirmEach {
                finding_ids,
                reviewer,
            } => match self.ledger.confirm_each(&finding_ids, &reviewer, now) {
                Ok(outcome) => answer(ReviewReply::Confirmed(outcome)),
                Err(e) => failed("error.write", &ledger_error::explain(lang, &e)),
            },
            ReviewEffect::Decide {
                finding_id,
                reviewer,
                decision,
                reason,
            } => {
                // The decision follows the last one this ledger holds.
                let follows = match self.ledger.decision_follows(finding_id) {
                    Ok(follows) => follows,
                    Err(e) => return failed("error.write", &ledger_error::explain(lang, &e)),
                };
                let body = EventBody::ReviewDecided(ReviewRecord {
                    finding_id,
                    reviewer,
                    decision,
                    follows: Some(follows),
                    reason,
                });
                match self.ledger.append_at(&body, now) {
                    Ok(_) => answer(ReviewReply::Decided { finding_id }),
                    Err(e) => failed("error.write", &ledger_error::explain(lang, &e)),
                }
            }
        }
    }

    /// Carries out the scores screen's I/O.
    fn run_scores(&mut self, effect: ScoresEffect) -> Vec<Action> {
        let lang = self.state.lang;
        let now = self.now();
        let mut actions = Vec::new();
        let (token, period, length, step) = match effect {
            ScoresEffect::Load {
                token,
                period,
                length,
                step,
            } => (token, period, length, step),
            ScoresEffect::EnterAppraisal {
                mut entry,
                token,
                reload,
                length,
                step,
            } => {
                let appended = self
                    .ledger
                    .appraisal_follows(&entry.unit, entry.from, entry.to)
                    .and_then(|follows| {
                        entry.follows = Some(follows);
                        self.ledger
                            .append_at(&EventBody::AppraisalEntered(entry), now)
                    });
                if let Err(e) = appended {
                    return vec![Action::Failed(tf(
                        lang,
                        "error.write",
                        &[("error", &ledger_error::explain(lang, &e))],
                    ))];
                }
                actions.push(Action::Info(t(lang, "scores.appraisal_saved").to_string()));
                (token, Some(reload), length, step)
            }
        };
        let tz = self.state.tz.clone();
        let failed = |e: &anfang_ledger::LedgerError| {
            let error = ledger_error::explain(lang, e);
            vec![Action::Failed(tf(lang, "error.read", &[("error", &error)]))]
        };
        let period = match period {
            Some(period) => period,
            None => match self.ledger.observed_span(&tz) {
                Ok(span) => length
                    .around(span.map_or_else(|| tz.to_datetime(self.state.now).date(), |s| s.to)),
                Err(e) => return failed(&e),
            },
        };
        let ranking = self.ledger.ranking(period, &tz);
        let trend = self
            .ledger
            .ranking_trend(trend_span(period, step), step, &tz);
        match (ranking, trend) {
            (Ok(ranking), Ok(trend)) => {
                actions.push(Action::Scores(ScoresReply::Loaded {
                    token,
                    period,
                    ranking,
                    trend,
                }));
                actions
            }
            (Err(e), _) | (_, Err(e)) => failed(&e),
        }
    }

    fn reload(&self, visit_id: uuid::Uuid, message: &str) -> Vec<Action> {
        let mut actions = vec![Action::Info(message.to_string())];
        match self.ledger.visit(visit_id) {
            Ok(Some(detail)) => actions.push(Action::VisitLoaded(convert::visit(detail))),
            Ok(None) => {}
            Err(e) => actions.push(Action::Failed(tf(
                self.state.lang,
                "error.read",
                &[("error", &e)],
            ))),
        }
        actions
    }
}

/// Hands a file to the desktop's viewer without waiting for it; the
/// viewer's output would scribble over the screen, so it goes nowhere.
fn open_with_desktop(path: &std::path::Path) {
    use std::process::{Command, Stdio};
    let child = Command::new("xdg-open")
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    if let Ok(mut child) = child {
        std::thread::spawn(move || child.wait());
    }
}

/// Runs the TUI until the user quits. The caller owns the terminal's modes
/// (raw mode, alternate screen, mouse capture) and restores them.
pub fn run<B: Backend>(
    terminal: &mut Terminal<B>,
    ledger: Ledger,
    registry: Registry,
    options: TuiOptions,
) -> Result<(), TuiError> {
    let keymap = Keymap::load(options.keymap_override_path.as_deref())?;
    let tz = jiff::tz::TimeZone::system();
    let mut app = App::new(
        ledger,
        registry,
        options.lang,
        &options.user_name,
        tz,
        keymap,
    );
    app.settings_path = options.settings_path.clone();
    app.state.ask_name = !options.user_name_set;
    app.state.deadline_warning_days = options.deadline_warning_days;
    let size = terminal
        .size()
        .map_err(|e| TuiError::Terminal(e.to_string()))?;
    app.defer_counts = true;
    app.dispatch(Action::Resize(size.width, size.height));
    while !app.state.quit {
        app.draw(terminal)?;
        // Counts wait for the frame, and for keys already typed.
        let typed = crossterm::event::poll(Duration::ZERO)
            .map_err(|e| TuiError::Terminal(e.to_string()))?;
        if !typed && app.run_deferred() {
            app.draw(terminal)?;
        }
        // While a worker runs, look at its news often so the gauge moves;
        // while a draft waits to be written, tick soon so it is on disk
        // well within a second.
        let wait = if app.busy() || crate::draft::pending(&app.state) {
            50
        } else {
            500
        };
        let ready = crossterm::event::poll(Duration::from_millis(wait))
            .map_err(|e| TuiError::Terminal(e.to_string()))?;
        if ready {
            let event = crossterm::event::read().map_err(|e| TuiError::Terminal(e.to_string()))?;
            app.handle(event);
        }
        app.pump();
        app.tick();
    }
    // A merge or export still running finishes (or fails) whole.
    app.wait();
    Ok(())
}
