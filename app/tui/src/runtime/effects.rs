//! What the worker does: carries out effects against the ledger and the
//! plugin registry it owns, and answers with actions. Nothing here touches
//! the state; what an effect needs of it comes along in a [`Context`].

use super::clock::Clock;
use super::{draft_file, folder, ledger_error, plugin_error, settings, viewing};
use crate::action::Action;
use crate::convert;
use crate::effect::Effect;
use crate::i18n::{t, tf};
use crate::screens::home;
use crate::screens::merge::MergeEffect;
use crate::screens::review::{COUNT_CAP, ReviewEffect, ReviewReply};
use crate::screens::scores::{ScoresEffect, ScoresReply, trend_span};
use anfang_core::Lang;
use anfang_core::event::EventBody;
use anfang_core::office_deduction::{DeductionDecision, DeductionEvidence};
use anfang_core::review::{Decision, ReviewRecord};
use anfang_ledger::Ledger;
use anfang_plugin_host::Registry;
use std::path::PathBuf;

/// Overdue rectifications are counted up to this on Home ("999+" beyond):
/// the number is a warning, and counting past it would slow every return home.
const HOME_OVERDUE_CAP: u64 = 999;

/// What an effect needs of the state and the app's settings, copied when
/// the effect is handed over (the worker never sees the state).
#[derive(Debug, Clone)]
pub(crate) struct Context {
    /// The user's language.
    pub(crate) lang: Lang,
    /// The user's time zone.
    pub(crate) tz: jiff::tz::TimeZone,
    /// The state's time (ticked from the app's clock).
    pub(crate) now: jiff::Timestamp,
    /// How many visits Home shows, so a reload keeps the selection.
    pub(crate) home_rows: usize,
    /// Days before a deadline counted as "due soon".
    pub(crate) deadline_warning_days: u32,
    /// Whether opened evidence goes to the desktop's viewer.
    pub(crate) open_files: bool,
    /// The folder relative file names are taken from.
    pub(crate) work_dir: PathBuf,
    /// Where a name the user gives is kept.
    pub(crate) settings_path: Option<PathBuf>,
}

/// The ledger and the plugin registry, owned by the worker thread.
pub(crate) struct Effects {
    pub(crate) ledger: Ledger,
    pub(crate) registry: Registry,
    pub(crate) viewing: viewing::ViewingFolder,
    pub(crate) clock: Clock,
    pub(crate) data_dir: PathBuf,
    /// Plugins whose children to start after the current answer is sent.
    pub(crate) warm: Vec<String>,
}

/// Writes or removes the draft in `data_dir` (the only effects that do not
/// need the ledger: they run on their own thread, so a draft is saved even
/// while the ledger is busy).
pub(crate) fn draft(effect: Effect, data_dir: &std::path::Path, lang: Lang) -> Vec<Action> {
    match effect {
        Effect::SaveDraft(draft) => match draft_file::write(data_dir, &draft) {
            Ok(()) => Vec::new(),
            Err(e) => vec![Action::DraftFailed(tf(
                lang,
                "draft.save_failed",
                &[("error", &e)],
            ))],
        },
        Effect::DiscardDraft => match draft_file::remove(data_dir) {
            Ok(()) => Vec::new(),
            Err(e) => vec![Action::Failed(tf(
                lang,
                "draft.save_failed",
                &[("error", &e)],
            ))],
        },
        _ => Vec::new(),
    }
}

impl Effects {
    /// Starts the children of the plugins a visit just shown offers, so
    /// their first score does not wait for a start (after the answer is
    /// sent: the screen does not wait for this either).
    pub(crate) fn warm_up(&mut self) {
        let ids = std::mem::take(&mut self.warm);
        self.registry.start_plugins(ids.iter().map(String::as_str));
    }

    /// The time now, by the app's clock.
    fn now(&self) -> jiff::Timestamp {
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

    /// Carries out one effect and answers with actions.
    pub(super) fn run(&mut self, effect: Effect, ctx: &Context) -> Vec<Action> {
        let lang = ctx.lang;
        // Events claim the time of the app's clock.
        let now = self.now();
        let failed = |key: &'static str, e: &dyn std::fmt::Display| {
            vec![Action::Failed(tf(lang, key, &[("error", e)]))]
        };
        match effect {
            Effect::LoadHome { offer_resume } => {
                // As many as were read before, so the selection stays put.
                let limit = home::PAGE.max(ctx.home_rows);
                let visits = self.ledger.home_visits(limit);
                let units = self
                    .ledger
                    .known_units()
                    .and_then(|u| Ok((u, self.ledger.register()?)));
                // The state's time, ticked from the app's clock.
                let today = ctx.tz.to_datetime(ctx.now).date();
                let overdue = self.ledger.overdue_count(today, HOME_OVERDUE_CAP);
                // Due within the warning days: overdue by the day after the
                // last of them, and not overdue today.
                let warn = i64::from(ctx.deadline_warning_days) + 1;
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
                Ok(Some(detail)) => {
                    // The visit offers these plugins' checklists: their
                    // children start once the visit is shown.
                    self.warm = detail
                        .checklists
                        .iter()
                        .map(|c| c.plugin_id.clone())
                        .collect();
                    vec![Action::VisitLoaded(convert::visit(detail))]
                }
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
                    Ok(_) => self.reload(
                        visit_id,
                        &tf(lang, "visit.marked_compliant", &[("n", &n)]),
                        lang,
                    ),
                    Err(e) => failed("error.write", &ledger_error::explain(lang, &e)),
                }
            }
            Effect::SaveDraft(_) | Effect::DiscardDraft => draft(effect, &self.data_dir, lang),
            Effect::AddChecklist(added) => {
                let visit_id = added.visit_id;
                match self
                    .ledger
                    .append_at(&EventBody::ChecklistAdded(added), now)
                {
                    Ok(_) => self.reload(visit_id, t(lang, "visit.checklist_added"), lang),
                    Err(e) => failed("error.write", &ledger_error::explain(lang, &e)),
                }
            }
            Effect::CloseVisit(closed) => {
                let visit_id = closed.visit_id;
                match self.ledger.append_at(&EventBody::VisitClosed(closed), now) {
                    Ok(_) => self.reload(visit_id, t(lang, "visit.closed_now"), lang),
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
                    lang,
                ),
                Err(e) => failed("error.attach", &ledger_error::explain(lang, &e)),
            },
            Effect::SaveName(name) => match &ctx.settings_path {
                Some(path) => match settings::save_name(path, &name) {
                    Ok(()) => vec![Action::NameSaved(name)],
                    Err(e) => failed("name.save_failed", &e),
                },
                None => vec![Action::NameSaved(name)],
            },
            Effect::Review(effect) => self.run_review(effect, ctx),
            Effect::Merge(MergeEffect::Browse(path)) => {
                vec![Action::Merge(folder::browse(&path, lang))]
            }
            // Merges and exports run on their own threads with their own
            // connection, started by the interface thread (jobs.rs).
            Effect::Merge(_) | Effect::Export(_) => Vec::new(),
            Effect::Scores(effect) => self.run_scores(effect, ctx),
            Effect::WriteVisitRecord { visit_id, out } => {
                match self.write_visit_record(ctx, visit_id, &out) {
                    Ok(path) => vec![Action::Info(tf(
                        lang,
                        "visit.record_written",
                        &[("file", &path.display())],
                    ))],
                    Err(e) => failed("visit.record_failed", &e),
                }
            }
            Effect::WriteNotice { unit, out } => match self.write_notice(ctx, &unit, &out) {
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
                        if ctx.open_files {
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
        ctx: &Context,
        visit_id: uuid::Uuid,
        out: &std::path::Path,
    ) -> Result<std::path::PathBuf, String> {
        write_paper_for(ctx, out, |options| {
            anfang_export::paper::visit_record(&self.ledger, visit_id, options)
        })
    }

    /// Writes the rectification notice to `unit` to `out` (made absolute
    /// from the working folder), dated today in the user's time zone.
    fn write_notice(
        &self,
        ctx: &Context,
        unit: &str,
        out: &std::path::Path,
    ) -> Result<std::path::PathBuf, String> {
        write_paper_for(ctx, out, |options| {
            let source = anfang_export::LedgerSource::new(&self.ledger, options.tz.clone());
            anfang_export::paper::notice(&source, unit, options)
        })
    }

    /// Carries out the review screen's I/O.
    fn run_review(&mut self, effect: ReviewEffect, ctx: &Context) -> Vec<Action> {
        let lang = ctx.lang;
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
                // An appeal is decided only while one awaits, and by
                // someone other than whoever confirmed the finding: refused
                // here rather than written and listed as refused.
                if matches!(decision, Decision::DecideAppeal { .. }) {
                    match self.ledger.pending_appeal(finding_id) {
                        Ok(true) => {}
                        Ok(false) => {
                            return vec![Action::Failed(
                                t(lang, "review.decide.no_appeal").to_string(),
                            )];
                        }
                        Err(e) => return failed("error.read", &ledger_error::explain(lang, &e)),
                    }
                    match self.ledger.may_decide_on(finding_id, &decision) {
                        Ok(Ok(_)) => {}
                        Ok(Err(refusal)) => return vec![Action::Failed(refusal.text(lang))],
                        Err(e) => return failed("error.read", &ledger_error::explain(lang, &e)),
                    }
                }
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

    /// Signs and stores an office deduction with its evidence file, when
    /// this device may enter one for the unit.
    fn enter_deduction(
        &mut self,
        request: crate::screens::scores::deduction::DeductionRequest,
        lang: Lang,
        now: jiff::Timestamp,
    ) -> Result<(), String> {
        let write = |e: &anfang_ledger::LedgerError| {
            tf(
                lang,
                "error.write",
                &[("error", &ledger_error::explain(lang, e))],
            )
        };
        let mut entry = request.entry;
        match self.ledger.may_deduct(&entry.unit) {
            Ok(Ok(_)) => {}
            Ok(Err(refusal)) => {
                return Err(tf(
                    lang,
                    "scores.deduct_refused",
                    &[("reason", &refusal.text(lang))],
                ));
            }
            Err(e) => return Err(write(&e)),
        }
        let file = match request.evidence.as_deref() {
            Some(path) => Some(anfang_ledger::read_decision_file(path).map_err(|e| write(&e))?),
            None => None,
        };
        entry.evidence = file.as_ref().map(|f| DeductionEvidence {
            name: f.file.file_name.clone(),
            sha256: f.file.sha256.clone(),
            size: f.file.size,
        });
        entry.deduction_id = uuid::Uuid::now_v7();
        self.ledger
            .enter_deduction(&entry, file.as_ref(), now)
            .map(|_| ())
            .map_err(|e| write(&e))
    }

    /// Confirms or dismisses a pending office deduction, when this device
    /// may decide on it.
    fn decide_deduction(
        &mut self,
        verdict: crate::screens::scores::DeductionVerdict,
        lang: Lang,
        now: jiff::Timestamp,
    ) -> Result<(), String> {
        let write = |e: &anfang_ledger::LedgerError| {
            tf(
                lang,
                "error.write",
                &[("error", &ledger_error::explain(lang, e))],
            )
        };
        let rows = self.ledger.deductions(None).map_err(|e| write(&e))?;
        let Some(row) = rows.iter().find(|r| r.event_id == verdict.event_id) else {
            return Err(tf(lang, "scores.decide_gone", &[("id", &verdict.event_id)]));
        };
        let refused = |reason: &str| tf(lang, "scores.decide_refused", &[("reason", &reason)]);
        let person = match self.ledger.may_review_deduction(row.deduction_id) {
            Ok(Ok(person)) => person,
            Ok(Err(refusal)) => return Err(refused(&refusal.text(lang))),
            Err(e) => return Err(write(&e)),
        };
        let reviewer = if person.is_empty() {
            verdict.reviewer
        } else {
            person
        };
        let decision = match verdict.dismiss {
            Some(reason) => DeductionDecision::Dismiss { reason },
            None => DeductionDecision::Confirm,
        };
        let event = self
            .ledger
            .review_deduction(row.deduction_id, &reviewer, decision, now)
            .map_err(|e| write(&e))?;
        match self.ledger.refusal_of(&event).map_err(|e| write(&e))? {
            Some((en, zh)) => Err(refused(if lang == Lang::Zh { &zh } else { &en })),
            None => Ok(()),
        }
    }

    /// Carries out the scores screen's I/O.
    fn run_scores(&mut self, effect: ScoresEffect, ctx: &Context) -> Vec<Action> {
        let lang = ctx.lang;
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
            ScoresEffect::DecideDeduction {
                verdict,
                token,
                reload,
                length,
                step,
            } => {
                if let Err(message) = self.decide_deduction(verdict, lang, now) {
                    return vec![Action::Failed(message)];
                }
                actions.push(Action::Info(t(lang, "scores.decided").to_string()));
                (token, Some(reload), length, step)
            }
            ScoresEffect::OpenDeduction { unit } => {
                return match self.ledger.method_in_force() {
                    Ok(m) => vec![Action::Scores(ScoresReply::DeductionRows {
                        unit,
                        method: Box::new(m.method),
                        today: ctx.tz.to_datetime(now).date(),
                    })],
                    Err(e) => vec![Action::Failed(tf(
                        lang,
                        "error.read",
                        &[("error", &ledger_error::explain(lang, &e))],
                    ))],
                };
            }
            ScoresEffect::EnterDeduction {
                request,
                token,
                reload,
                length,
                step,
            } => {
                if let Err(message) = self.enter_deduction(*request, lang, now) {
                    return vec![Action::Failed(message)];
                }
                actions.push(Action::Info(t(lang, "scores.deduct_saved").to_string()));
                (token, Some(reload), length, step)
            }
        };
        let tz = ctx.tz.clone();
        let failed = |e: &anfang_ledger::LedgerError| {
            let error = ledger_error::explain(lang, e);
            vec![Action::Failed(tf(lang, "error.read", &[("error", &error)]))]
        };
        let period = match period {
            Some(period) => period,
            None => match self.ledger.observed_span(&tz) {
                Ok(span) => {
                    length.around(span.map_or_else(|| tz.to_datetime(ctx.now).date(), |s| s.to))
                }
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

    fn reload(&self, visit_id: uuid::Uuid, message: &str, lang: Lang) -> Vec<Action> {
        let mut actions = vec![Action::Info(message.to_string())];
        match self.ledger.visit(visit_id) {
            Ok(Some(detail)) => actions.push(Action::VisitLoaded(convert::visit(detail))),
            Ok(None) => {}
            Err(e) => actions.push(Action::Failed(tf(lang, "error.read", &[("error", &e)]))),
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

/// Makes a paper with `make` under this user's language, time zone and day,
/// and writes it as DOCX to `out` made absolute from the working folder.
fn write_paper_for(
    ctx: &Context,
    out: &std::path::Path,
    make: impl FnOnce(
        &anfang_export::ExportOptions,
    ) -> Result<anfang_export::paper::Paper, anfang_export::ExportError>,
) -> Result<std::path::PathBuf, String> {
    let path = std::path::absolute(ctx.work_dir.join(out))
        .map_err(|e| format!("{}: {e}", out.display()))?;
    let mut options = anfang_export::ExportOptions::new(ctx.lang);
    options.tz = ctx.tz.clone();
    options.today = ctx.tz.to_datetime(ctx.now).date();
    options.now = ctx.now;
    let paper = make(&options).map_err(|e| e.to_string())?;
    anfang_export::paper::write_paper(&paper, anfang_export::Format::Docx, &path)
        .map_err(|e| e.to_string())?;
    Ok(path)
}
