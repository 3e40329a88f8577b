//! The application state: plain data, changed only by `update`.

use crate::catalog::Catalog;
use crate::keymap::{Context, Keymap};
use crate::screens::{
    editor::EditorState, history::HistoryState, home::HomeState, new_visit::NewVisitState,
    overlay::Overlay, plugins::PluginsState, visit::VisitState,
};
use anfang_core::Lang;

/// One screen on the stack. Home is always at the bottom.
// Only a handful of these exist at any time; boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone)]
pub enum Screen {
    /// Unfinished and recent visits.
    Home(HomeState),
    /// Setting up a visit.
    NewVisit(NewVisitState),
    /// Walking a visit.
    Visit(VisitState),
    /// Editing one finding.
    Editor(Box<EditorState>),
    /// One finding's versions and decisions.
    History(HistoryState),
    /// Loaded and refused plugins.
    Plugins(PluginsState),
    /// Merging bundles from other laptops.
    Merge(Box<crate::screens::merge::MergeState>),
    /// Exporting findings to files.
    Export(Box<crate::screens::export::ExportState>),
    /// The office's review of findings.
    Review(Box<crate::screens::review::ReviewState>),
    /// Scores and ranking.
    Scores(Box<crate::screens::scores::ScoresState>),
}

impl Screen {
    /// The keymap contexts of this screen, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        let own = match self {
            Screen::Home(_) => Context::Home,
            Screen::NewVisit(_) => Context::NewVisit,
            Screen::Visit(_) => Context::Visit,
            Screen::Editor(_) => Context::Editor,
            Screen::History(_) => Context::History,
            Screen::Plugins(_) => Context::Plugins,
            Screen::Merge(m) if m.busy() => {
                return vec![Context::Merging, Context::Merge, Context::Global];
            }
            Screen::Merge(_) => Context::Merge,
            Screen::Export(_) => Context::Export,
            Screen::Review(r) => return r.contexts(),
            Screen::Scores(s) => return s.contexts(),
        };
        vec![own, Context::Global]
    }
}

/// A one-line message under the screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// Something went as asked.
    Info(String),
    /// Something failed; the text names what.
    Error(String),
}

/// Everything the TUI knows.
#[derive(Debug, Clone)]
pub struct State {
    /// The language of every text drawn.
    pub lang: Lang,
    /// The inspector using this laptop (default team lead).
    pub user_name: String,
    /// The name is only guessed: ask for it before it signs a decision.
    pub ask_name: bool,
    /// Time zone for showing and entering times.
    pub tz: jiff::tz::TimeZone,
    /// The clock, as of the last tick.
    pub now: jiff::Timestamp,
    /// The keys in force.
    pub keymap: Keymap,
    /// Checklists and plugins loaded at start.
    pub catalog: Catalog,
    /// The screens, home at the bottom, the visible one on top.
    pub stack: Vec<Screen>,
    /// A pop-up over the screen (help, question, chooser, path entry).
    pub overlay: Option<Overlay>,
    /// The message line.
    pub status: Option<Status>,
    /// Terminal size, for mapping mouse clicks to rows.
    pub size: (u16, u16),
    /// Set when the user asked to leave.
    pub quit: bool,
    /// The draft last written to disk.
    pub drafts: crate::draft::DraftSync,
    /// Days before a rectification's deadline from which it is shown as
    /// due (yellow); the office's `deadline_warning_days` setting.
    pub deadline_warning_days: u32,
    /// Answers the worker still owes (a busy marker shows while any do).
    pub awaiting: usize,
    /// What the office writes on its bulletins (`[documents]` settings).
    pub documents: crate::screens::export::DocumentDefaults,
}

/// Days of warning before a deadline unless the office sets another number.
pub const DEADLINE_WARNING_DAYS: u32 = 3;

impl State {
    /// What screens read while updating or drawing, borrowed from here.
    pub fn ctx(&self) -> crate::screens::Ctx<'_> {
        crate::screens::Ctx {
            lang: self.lang,
            now: self.now,
            tz: &self.tz,
            user_name: &self.user_name,
            ask_name: self.ask_name,
            catalog: &self.catalog,
            size: self.size,
            documents: &self.documents,
        }
    }

    /// A fresh state showing the (not yet loaded) home screen.
    pub fn new(
        lang: Lang,
        user_name: impl Into<String>,
        tz: jiff::tz::TimeZone,
        now: jiff::Timestamp,
        keymap: Keymap,
        catalog: Catalog,
    ) -> State {
        State {
            lang,
            user_name: user_name.into(),
            ask_name: false,
            tz,
            now,
            keymap,
            catalog,
            stack: vec![Screen::Home(HomeState::default())],
            overlay: None,
            status: None,
            size: (80, 24),
            quit: false,
            drafts: crate::draft::DraftSync::default(),
            deadline_warning_days: DEADLINE_WARNING_DAYS,
            awaiting: 0,
            documents: Default::default(),
        }
    }

    /// The visible screen.
    pub fn screen(&self) -> &Screen {
        // The stack is never empty: home cannot be popped.
        &self.stack[self.stack.len() - 1]
    }

    /// The keymap contexts in force, overlay first.
    pub fn contexts(&self) -> Vec<Context> {
        match &self.overlay {
            Some(overlay) => overlay.contexts(),
            None => self.screen().contexts(),
        }
    }

    /// The home screen's state.
    pub fn home(&self) -> &HomeState {
        match &self.stack[0] {
            Screen::Home(home) => home,
            // Home is pushed first and never replaced.
            _ => unreachable_home(),
        }
    }
}

fn unreachable_home() -> &'static HomeState {
    static EMPTY: std::sync::OnceLock<HomeState> = std::sync::OnceLock::new();
    EMPTY.get_or_init(HomeState::default)
}
