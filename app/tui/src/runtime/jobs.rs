//! Long work — merging bundles, writing an export — runs on a worker thread
//! with its own connection to the ledger, so the screen keeps drawing and
//! the gauge moves. The worker's news comes back through a channel; the
//! event loop hands it to `update` as actions.

use super::App;
use super::folder;
use crate::action::Action;
use crate::i18n::tf;
use crate::screens::export::{ExportEffect, ExportReply, ExportRequest, Exported};
use crate::screens::merge::{MergeEffect, MergeReply};
use anfang_core::Lang;
use anfang_export::{ExportOptions, LedgerSource, PseudonymKey};
use anfang_ledger::Ledger;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::thread::JoinHandle;
use std::time::Duration;

/// News from a worker.
#[derive(Debug)]
pub(crate) enum News {
    /// For the merge screen.
    Merge(MergeReply),
    /// For the export screen.
    Export(ExportReply),
}

impl From<News> for Action {
    fn from(news: News) -> Action {
        match news {
            News::Merge(reply) => Action::Merge(reply),
            News::Export(reply) => Action::Export(reply),
        }
    }
}

/// The workers under way and the channel they report on.
#[derive(Debug)]
pub(crate) struct Jobs {
    /// The data folder workers open the ledger in.
    data_dir: PathBuf,
    sender: Sender<News>,
    receiver: Receiver<News>,
    workers: Vec<JoinHandle<()>>,
    /// Set to ask the merge under way to stop; a new merge clears it.
    stop_merge: Arc<AtomicBool>,
}

impl Jobs {
    /// No work yet; workers will open the ledger in `data_dir`.
    pub(crate) fn new(data_dir: PathBuf) -> Jobs {
        let (sender, receiver) = channel();
        Jobs {
            data_dir,
            sender,
            receiver,
            workers: Vec::new(),
            stop_merge: Arc::new(AtomicBool::new(false)),
        }
    }

    fn spawn(&mut self, work: impl FnOnce(PathBuf, &Sender<News>) + Send + 'static) {
        let sender = self.sender.clone();
        let dir = self.data_dir.clone();
        // Below the interface thread's priority, with every thread the job
        // starts (see priority.rs).
        self.workers.push(std::thread::spawn(move || {
            super::priority::lower_this_thread();
            work(dir, &sender)
        }));
    }

    fn busy(&mut self) -> bool {
        self.workers.retain(|w| !w.is_finished());
        !self.workers.is_empty()
    }
}

/// Sends `last` when dropped unless `sent` was set: a worker that panics
/// still tells its screen it stopped, so the screen does not wait forever.
struct Last<'a> {
    sender: &'a Sender<News>,
    last: Option<News>,
}

impl Drop for Last<'_> {
    fn drop(&mut self) {
        if let Some(news) = self.last.take() {
            let _ = self.sender.send(news);
        }
    }
}

impl App {
    /// Carries out the merge screen's I/O: a folder is listed at once; a
    /// merge starts on a worker.
    pub(super) fn run_merge(&mut self, effect: MergeEffect) -> Vec<Action> {
        let lang = self.state.lang;
        match effect {
            // Listed by the worker (effects.rs); only here if sent directly.
            MergeEffect::Browse(path) => vec![Action::Merge(folder::browse(&path, lang))],
            MergeEffect::Run(files) => {
                let stop = Arc::new(AtomicBool::new(false));
                self.jobs.stop_merge = Arc::clone(&stop);
                self.jobs
                    .spawn(move |dir, sender| merge(&dir, &files, lang, &stop, sender));
                Vec::new()
            }
            MergeEffect::Stop => {
                self.jobs.stop_merge.store(true, Ordering::Relaxed);
                Vec::new()
            }
        }
    }

    /// Starts the export screen's export on a worker.
    pub(super) fn run_export(&mut self, effect: ExportEffect) -> Vec<Action> {
        let lang = self.state.lang;
        let tz = self.state.tz.clone();
        let warn = self.state.deadline_warning_days;
        let ExportEffect::Run(request) = effect;
        self.jobs.spawn(move |dir, sender| {
            let mut last = Last {
                sender,
                last: Some(News::Export(ExportReply::Done(Err(tf(
                    lang,
                    "export.stopped",
                    &[],
                ))))),
            };
            let mut progress = |done, total| {
                let _ = sender.send(News::Export(ExportReply::Progress { done, total }));
            };
            let result = export(&dir, &request, lang, warn, tz, &mut progress);
            last.last = Some(News::Export(ExportReply::Done(result)));
        });
        Vec::new()
    }

    /// Whether a worker is still merging or exporting.
    pub fn busy(&mut self) -> bool {
        self.jobs.busy()
    }

    /// Hands the workers' news and answers so far to `update`; returns
    /// whether there was any.
    pub fn pump(&mut self) -> bool {
        let mut any = self.take_answers();
        while let Ok(news) = self.jobs.receiver.try_recv() {
            any = true;
            self.dispatch(news.into());
        }
        any
    }

    /// Waits until every worker has finished, handing over their news.
    pub fn wait(&mut self) {
        self.settle();
        loop {
            match self.jobs.receiver.recv_timeout(Duration::from_millis(20)) {
                Ok(news) => self.dispatch(news.into()),
                Err(RecvTimeoutError::Timeout) if !self.jobs.busy() => {
                    self.pump();
                    self.settle();
                    return;
                }
                Err(_) => {}
            }
        }
    }
}

/// Merges `files` one by one, each in its own transaction, reporting each,
/// until `stop` is set: the file under way then changes nothing, and the
/// rest are left for another run. The run ends by waiting for the disk once
/// (the merges' commits do not), before it says it is finished.
fn merge(dir: &Path, files: &[PathBuf], lang: Lang, stop: &AtomicBool, sender: &Sender<News>) {
    let mut last = Last {
        sender,
        last: Some(News::Merge(MergeReply::Finished { unsaved: None })),
    };
    let send = |reply| {
        let _ = sender.send(News::Merge(reply));
    };
    let mut ledger = match Ledger::open(dir) {
        Ok(ledger) => ledger,
        Err(e) => {
            let message = one_line(&tf(
                lang,
                "error.read",
                &[("error", &super::ledger_error::explain(lang, &e))],
            ));
            for index in 0..files.len() {
                send(MergeReply::Done {
                    index,
                    result: Err(message.clone()),
                });
            }
            return;
        }
    };
    merge_files(&mut ledger, files, lang, stop, &send);
    if let Err(e) = ledger.sync() {
        let unsaved = one_line(&tf(lang, "merge.unsaved", &[("error", &e)]));
        last.last = Some(News::Merge(MergeReply::Finished {
            unsaved: Some(unsaved),
        }));
    }
}

/// The loop of [`merge`]: each file merged or refused, until `stop` is set.
fn merge_files(
    ledger: &mut Ledger,
    files: &[PathBuf],
    lang: Lang,
    stop: &AtomicBool,
    send: &dyn Fn(MergeReply),
) {
    let stopped = || stop.load(Ordering::Relaxed);
    for (index, file) in files.iter().enumerate() {
        if stopped() {
            send(MergeReply::Stopped { index });
            return;
        }
        send(MergeReply::Started { index });
        let path = folder::expand_home(file);
        let result = ledger.merge_unless(
            &path,
            &mut |progress| send(MergeReply::Progress { index, progress }),
            &stopped,
        );
        if let Err(anfang_ledger::LedgerError::MergeStopped(_)) = result {
            send(MergeReply::Stopped { index });
            return;
        }
        // The report names the file already: a refusal says only why.
        let result = result.map_err(|e| match e {
            anfang_ledger::LedgerError::BadBundle { kind, reason, .. } => {
                one_line(&refusal(lang, kind, &reason))
            }
            other => one_line(&super::ledger_error::explain(lang, &other)),
        });
        send(MergeReply::Done { index, result });
    }
}

/// Why a bundle was refused: in Chinese the kind in words first, then the
/// ledger's sentence, which names the bad value.
fn refusal(lang: Lang, kind: anfang_ledger::RefusalKind, reason: &str) -> String {
    match lang {
        Lang::Zh => format!("{}（{reason}）", kind.label(lang)),
        Lang::En => reason.to_string(),
    }
}

/// Writes one export; the error, in one line, names the bad value.
fn export(
    dir: &Path,
    request: &ExportRequest,
    lang: Lang,
    warning_days: u32,
    tz: jiff::tz::TimeZone,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Exported, String> {
    let out = std::path::absolute(folder::expand_home(&request.out))
        .map_err(|e| format!("{}: {e}", request.out.display()))?;
    if out.is_dir() {
        return Err(tf(lang, "export.is_folder", &[("file", &out.display())]));
    }
    if let Some(parent) = out.parent()
        && !parent.is_dir()
    {
        return Err(tf(
            lang,
            "export.no_folder",
            &[("folder", &parent.display())],
        ));
    }
    let ledger = Ledger::open(dir).map_err(|e| {
        one_line(&tf(
            lang,
            "error.read",
            &[("error", &super::ledger_error::explain(lang, &e))],
        ))
    })?;
    if request.unit.is_some() || request.department.is_some() {
        // A name the ledger has never seen would give an empty export that
        // looks like good news: refuse it by name instead, as the command does.
        let units = ledger.known_units().map_err(|e| {
            one_line(&tf(
                lang,
                "error.read",
                &[("error", &super::ledger_error::explain(lang, &e))],
            ))
        })?;
        if let Some(unit) = &request.unit
            && !units.iter().any(|u| &u.name == unit)
        {
            return Err(tf(lang, "export.no_unit", &[("unit", unit)]));
        }
        if let Some(department) = &request.department
            && !units.iter().any(|u| &u.department == department)
        {
            return Err(tf(
                lang,
                "export.no_department",
                &[("department", department)],
            ));
        }
    }
    let mut options = ExportOptions::new(lang);
    options.tz = tz.clone();
    options.today = request.today;
    options.now = request.now;
    options.deadline_warning_days = warning_days;
    options.from = request.from;
    options.to = request.to;
    options.unit = request.unit.clone();
    options.department = request.department.clone();
    options.status = request.status;
    options.anonymize = request.anonymize;
    options.include_compliant = request.include_compliant;
    options.issuer = request.issuer.clone();
    options.office_docs = request.office_docs.clone();
    if request.anonymize {
        // The office's own key: the same person, the same pseudonym, in
        // every export made from this data folder.
        let key = PseudonymKey::load_or_create(dir).map_err(|e| one_line(&e.to_string()))?;
        options.pseudonym_key = Some(key);
    }
    let source = LedgerSource::new(&ledger, tz);
    anfang_export::export(&source, &options, request.format, &out, progress)
        .map(|summary| Exported {
            path: summary.path,
            rows: summary.rows,
            violations: summary.violations,
        })
        .map_err(|e| one_line(&e.to_string()))
}

/// A message on one line: the status bar and report have no room for more.
pub(crate) fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
