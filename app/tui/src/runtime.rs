//! The runtime: runs the event loop. The interface thread turns input into
//! actions, updates the state and draws; every effect goes to the worker
//! (worker.rs), which owns the ledger and the plugin registry and answers
//! with actions. The only part of the TUI that does I/O.

use crate::action::Action;
use crate::convert;
use crate::effect::Effect;
use crate::i18n::tf;
use crate::input::translate;
use crate::keymap::Keymap;
use crate::screens::merge::MergeEffect;
use crate::screens::review::ReviewEffect;
use crate::state::State;
use crate::update::update;
use crate::view::view;
use crate::{TuiError, TuiOptions};
use anfang_core::Lang;
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
mod effects;
mod folder;
mod jobs;
mod ledger_error;
mod plugin_error;
mod priority;
mod settings;
mod viewing;
mod worker;

/// The state, and the worker that owns the ledger and registry effects run against.
pub struct App {
    /// The state drawn.
    pub state: State,
    /// The ledger and plugins, on their own thread.
    worker: worker::Worker,
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
    /// Wait for the worker's answer to each effect before going on, so the
    /// state is final when `dispatch` returns (tests, and the start). The
    /// event loop turns this off: answers then arrive through [`App::pump`].
    pub wait_for_answers: bool,
    /// Counts put off until after the next frame.
    deferred: Vec<Effect>,
    /// Where a name the user gives is kept for the next start.
    pub settings_path: Option<PathBuf>,
    /// Where the time comes from: the state is ticked from it.
    clock: clock::Clock,
    /// The ledger file (tests open their own connection to check it).
    #[cfg_attr(not(test), allow(dead_code))]
    ledger_path: PathBuf,
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
        let ledger_path = ledger.path().to_path_buf();
        // What was being typed when anfang stopped comes back first; only
        // without it is resuming a visit offered.
        let (draft, unreadable) = draft_left(&ledger, &data_dir, lang);
        let jobs = jobs::Jobs::new(data_dir.clone());
        let effects = effects::Effects {
            ledger,
            registry,
            viewing: viewing::ViewingFolder::default(),
            clock: clock.clone(),
            data_dir: data_dir.clone(),
            warm: Vec::new(),
        };
        let mut app = App {
            worker: worker::Worker::start(effects, data_dir),
            jobs,
            state,
            open_files: true,
            work_dir: std::env::current_dir().unwrap_or_default(),
            defer_counts: false,
            wait_for_answers: true,
            deferred: Vec::new(),
            settings_path: None,
            clock,
            ledger_path,
        };
        app.dispatch(Action::Command(crate::command::Command::None));
        if let Some(message) = unreadable {
            app.dispatch(Action::Failed(message));
        }
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

    /// Moves the state's time to the clock's (the event loop does this
    /// after every input and every half second); whether the screen may
    /// show something else now: another second, or work the tick asked for
    /// (a draft written).
    pub fn tick(&mut self) -> bool {
        let now = self.now();
        let new_second = now.as_second() != self.state.now.as_second();
        let effects = update(&mut self.state, Action::Tick(now));
        let asked = !effects.is_empty();
        self.run_effects(effects);
        new_second || asked
    }

    /// A second connection to the ledger file, to check what was written.
    #[cfg(test)]
    #[allow(clippy::expect_used)]
    pub(crate) fn ledger(&self) -> Ledger {
        let dir = self
            .ledger_path
            .parent()
            .expect("a ledger file has a folder");
        Ledger::open(dir).expect("open the ledger again")
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

    /// What an effect needs of the state, copied for the worker.
    fn context(&self) -> effects::Context {
        effects::Context {
            lang: self.state.lang,
            tz: self.state.tz.clone(),
            now: self.state.now,
            home_rows: self.state.home().visits.len(),
            deadline_warning_days: self.state.deadline_warning_days,
            open_files: self.open_files,
            work_dir: self.work_dir.clone(),
            settings_path: self.settings_path.clone(),
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
            let actions = match effect {
                // Merges and exports start their own thread at once.
                Effect::Merge(merge @ (MergeEffect::Run(_) | MergeEffect::Stop)) => {
                    self.run_merge(merge)
                }
                Effect::Export(export) => self.run_export(export),
                effect => {
                    self.worker.send(effect, self.context());
                    self.state.awaiting = self.worker.owed();
                    if !self.wait_for_answers {
                        continue;
                    }
                    let answer = self.worker.answer().unwrap_or_default();
                    self.state.awaiting = self.worker.owed();
                    answer
                }
            };
            for action in actions {
                queue.extend(update(&mut self.state, action));
            }
        }
    }

    /// Hands the worker's answers so far to `update`; returns whether there were any.
    fn take_answers(&mut self) -> bool {
        let mut any = false;
        while let Some(actions) = self.worker.try_answer() {
            any = true;
            self.state.awaiting = self.worker.owed();
            for action in actions {
                let effects = update(&mut self.state, action);
                self.run_effects(effects);
            }
        }
        self.state.awaiting = self.worker.owed();
        any
    }

    /// Waits until the worker has answered everything asked of it so far,
    /// and everything those answers asked in turn, handing each answer to
    /// `update`: after it the state is what it would be once the worker is
    /// idle. Merges and exports are waited for by [`App::wait`].
    pub fn settle(&mut self) {
        while let Some(actions) = self.worker.answer() {
            self.state.awaiting = self.worker.owed();
            for action in actions {
                let effects = update(&mut self.state, action);
                self.run_effects(effects);
            }
        }
        self.state.awaiting = self.worker.owed();
    }

    /// Hands `effect` over as if `update` had asked for it (scripted runs
    /// and benchmarks that load the worker).
    pub fn request(&mut self, effect: Effect) {
        self.run_effects(vec![effect]);
    }

    /// Whether an answer from the worker is still awaited.
    pub fn awaiting(&self) -> bool {
        self.worker.owed() > 0
    }

    /// Runs the effects put off until the frame was drawn; whether there were any.
    pub fn run_deferred(&mut self) -> bool {
        let deferred = std::mem::take(&mut self.deferred);
        let any = !deferred.is_empty();
        let defer = std::mem::replace(&mut self.defer_counts, false);
        self.run_effects(deferred);
        self.defer_counts = defer;
        any
    }

    /// Draws the state.
    pub fn draw<B: Backend>(&self, terminal: &mut Terminal<B>) -> Result<(), TuiError> {
        terminal
            .draw(|frame| view(&self.state, frame))
            .map(|_| ())
            .map_err(|e| TuiError::Terminal(e.to_string()))
    }
}

/// The draft left in the data folder, unless what it holds was saved
/// already (anfang stopped between saving it and removing the file), and
/// the message to show when the draft file could not be read.
fn draft_left(
    ledger: &Ledger,
    data_dir: &std::path::Path,
    lang: Lang,
) -> (Option<crate::draft::Draft>, Option<String>) {
    use crate::draft::Draft;
    let draft = match draft_file::read(data_dir) {
        draft_file::Found::Nothing => return (None, None),
        draft_file::Found::Draft(draft) => draft,
        draft_file::Found::Unreadable { moved_to, error } => {
            let message = tf(
                lang,
                "draft.unreadable",
                &[("file", &moved_to.display()), ("error", &error)],
            );
            return (None, Some(message));
        }
    };
    let done = match &draft {
        Draft::Finding(d) => match ledger.finding_history(d.finding_id) {
            Ok(history) => history
                .versions
                .iter()
                .any(|v| v.record.supersedes == d.supersedes),
            Err(_) => false,
        },
        Draft::NewVisit(d) => matches!(ledger.visit(d.visit_id), Ok(Some(_))),
    };
    if done {
        // Nothing to bring back; a failure to remove is retried later.
        let _ = draft_file::remove(data_dir);
        return (None, None);
    }
    (Some(draft), None)
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
    app.state.documents = options.documents.clone();
    let size = terminal
        .size()
        .map_err(|e| TuiError::Terminal(e.to_string()))?;
    app.dispatch(Action::Resize(size.width, size.height));
    run_loop(&mut app, terminal, &mut TerminalEvents)
}

/// Where the event loop reads its input: the terminal, or a script.
pub trait Events {
    /// Whether an event is ready, waiting up to `wait` for one.
    fn ready(&mut self, wait: Duration) -> Result<bool, TuiError>;
    /// The next event (called after [`Events::ready`] said one is there).
    fn read(&mut self) -> Result<Event, TuiError>;
}

/// The terminal's events, through crossterm.
pub struct TerminalEvents;

impl Events for TerminalEvents {
    fn ready(&mut self, wait: Duration) -> Result<bool, TuiError> {
        crossterm::event::poll(wait).map_err(|e| TuiError::Terminal(e.to_string()))
    }

    fn read(&mut self) -> Result<Event, TuiError> {
        crossterm::event::read().map_err(|e| TuiError::Terminal(e.to_string()))
    }
}

/// The event loop: draw, read a key, hand over what the workers answered,
/// until the user quits. Nothing in it waits for the ledger or a plugin:
/// effects go to the worker and their answers are taken when they come.
pub fn run_loop<B: Backend>(
    app: &mut App,
    terminal: &mut Terminal<B>,
    events: &mut dyn Events,
) -> Result<(), TuiError> {
    app.defer_counts = true;
    app.wait_for_answers = false;
    let mut changed = true;
    while !app.state.quit {
        // A frame only when what it shows may have changed: while the
        // worker owes an answer the loop wakes every 10 ms, and drawing the
        // whole screen each time would take a core from the worker and
        // delay the frame of the next key.
        if changed {
            app.draw(terminal)?;
        }
        // Counts wait for the frame, and for keys already typed.
        let typed = events.ready(Duration::ZERO)?;
        if !typed && app.run_deferred() {
            app.draw(terminal)?;
        }
        // While the worker owes an answer, look for it often so the result
        // shows soon after it is ready; while a merge runs, often enough
        // that the gauge moves; while a draft waits to be written, tick soon
        // so it is on disk well within a second.
        let wait = if app.awaiting() {
            10
        } else if app.busy() || crate::draft::pending(&app.state) {
            50
        } else {
            500
        };
        changed = false;
        if events.ready(Duration::from_millis(wait))? {
            let event = events.read()?;
            app.handle(event);
            changed = true;
        }
        changed |= app.pump();
        changed |= app.tick();
    }
    // A merge or export still running finishes (or fails) whole, and what
    // the worker was given is written.
    app.wait();
    Ok(())
}
