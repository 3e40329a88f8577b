//! Merge: bring bundles from other laptops (or a lower office) into this
//! ledger. Type or paste a bundle's path, or a folder's to list its files
//! and choose several; the runtime merges them one by one (each in its own
//! transaction) while a gauge shows progress; then each file's report lists
//! what it added per device and inspector and every flag, or the one-line
//! reason it was refused, in which case the ledger is unchanged.

pub mod report;
pub mod view;

use crate::command::Command;
use crate::effect::Effect;
use crate::i18n::{t, tf};
use crate::screens::{Ctx, Nav, Out};
use crate::state::Status;
use crate::widgets::{field, list};
use anfang_ledger::{MergeProgress, MergeReport};
use crossterm::event::KeyEvent;
use ratatui_textarea::TextArea;
use std::path::{Path, PathBuf};

pub use view::view;

/// The extension bundles are written with; such files are chosen when a
/// folder is listed.
pub const BUNDLE_EXTENSION: &str = "bundle";

/// Where the keys go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The path being typed.
    Path,
    /// The list of files.
    Files,
    /// The report, scrolled.
    Report,
}

/// One file offered for merging.
#[derive(Debug, Clone, PartialEq)]
pub struct FileRow {
    /// The file.
    pub path: PathBuf,
    /// Its size, when the folder was listed (unknown for pasted paths).
    pub size: Option<u64>,
    /// Whether it will be merged.
    pub chosen: bool,
    /// After a merge: whether it went in (`Some(true)`) or was refused.
    pub merged: Option<bool>,
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The file.
    pub path: PathBuf,
    /// What it added, or why it was refused (one line).
    pub result: Result<MergeReport, String>,
}

/// A merge in progress.
#[derive(Debug, Clone, PartialEq)]
pub struct Running {
    /// The files, in the order they are merged.
    pub files: Vec<PathBuf>,
    /// The file being merged.
    pub index: usize,
    /// How far that file has come.
    pub progress: Option<MergeProgress>,
    /// Whether stopping was asked for.
    pub stopping: bool,
    /// The file the run stopped at, once it has.
    pub stopped_at: Option<PathBuf>,
}

impl Running {
    /// A run of `files` about to start.
    pub fn new(files: Vec<PathBuf>) -> Running {
        Running {
            files,
            index: 0,
            progress: None,
            stopping: false,
            stopped_at: None,
        }
    }

    /// The share of the whole run done: finished files, plus the current
    /// file's events (most of the work) and evidence files.
    pub fn ratio(&self) -> f64 {
        let within = match self.progress {
            None | Some(MergeProgress::Opened { .. }) => 0.0,
            Some(MergeProgress::Events { done, total }) => {
                0.8 * crate::widgets::gauge::ratio(done, total)
            }
            Some(MergeProgress::Blobs { done, total }) => {
                0.8 + 0.2 * crate::widgets::gauge::ratio(done, total)
            }
        };
        let files = self.files.len().max(1) as f64;
        ((self.index as f64) + within) / files
    }
}

/// The merge screen's state.
#[derive(Debug, Clone)]
pub struct MergeState {
    /// A bundle file or a folder, typed or pasted.
    pub path: TextArea<'static>,
    /// The folder last listed.
    pub folder: Option<PathBuf>,
    /// Files offered: the folder's, and any chosen elsewhere before.
    pub files: Vec<FileRow>,
    /// The selected file row.
    pub selected: usize,
    /// Where the keys go.
    pub focus: Focus,
    /// The merge under way, if any.
    pub running: Option<Running>,
    /// What each merged or refused file did, in order.
    pub outcomes: Vec<Outcome>,
    /// The file the last run stopped at, when it was stopped.
    pub stopped_at: Option<PathBuf>,
    /// First report line shown.
    pub scroll: usize,
}

impl Default for MergeState {
    fn default() -> Self {
        MergeState::new()
    }
}

impl MergeState {
    /// An empty screen, the path field focused.
    pub fn new() -> MergeState {
        MergeState {
            path: field::line(""),
            folder: None,
            files: Vec::new(),
            selected: 0,
            focus: Focus::Path,
            running: None,
            outcomes: Vec::new(),
            stopped_at: None,
            scroll: 0,
        }
    }

    /// The files that will be merged.
    pub fn chosen(&self) -> Vec<PathBuf> {
        self.files
            .iter()
            .filter(|f| f.chosen)
            .map(|f| f.path.clone())
            .collect()
    }

    /// Whether a merge is under way (the screen cannot be left then).
    pub fn busy(&self) -> bool {
        self.running.is_some()
    }

    /// Adds a file (or marks it chosen if already listed) and selects it.
    fn offer(&mut self, path: PathBuf, size: Option<u64>) {
        match self.files.iter().position(|f| f.path == path) {
            Some(i) => {
                self.files[i].chosen = true;
                self.selected = i;
            }
            None => {
                self.files.push(FileRow {
                    path,
                    size,
                    chosen: true,
                    merged: None,
                });
                self.selected = self.files.len() - 1;
            }
        }
    }

    /// Takes a folder's listing: its files replace the rows, except chosen
    /// rows from elsewhere, which stay. Bundles are chosen; `pick`, if
    /// given, is the one file chosen instead.
    fn listed(&mut self, folder: PathBuf, files: Vec<(PathBuf, u64)>, pick: Option<PathBuf>) {
        let kept: Vec<FileRow> = self
            .files
            .drain(..)
            .filter(|f| f.chosen && !files.iter().any(|(p, _)| *p == f.path))
            .collect();
        self.files = kept;
        for (path, size) in files {
            let chosen = match &pick {
                Some(pick) => *pick == path,
                None => is_bundle(&path),
            };
            self.files.push(FileRow {
                path,
                size: Some(size),
                chosen,
                merged: None,
            });
        }
        self.selected = pick
            .and_then(|p| self.files.iter().position(|f| f.path == p))
            .or_else(|| self.files.iter().position(|f| f.chosen))
            .unwrap_or(0);
        self.folder = Some(folder);
    }
}

/// Whether a file is named like a bundle.
pub fn is_bundle(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(BUNDLE_EXTENSION))
}

/// I/O the merge screen asks the runtime for.
#[derive(Debug, Clone, PartialEq)]
pub enum MergeEffect {
    /// Look at a typed path: list a folder's files, or take one file.
    Browse(PathBuf),
    /// Merge these files into the ledger, one transaction each, in order.
    Run(Vec<PathBuf>),
    /// Stop the merge under way: the file being merged changes nothing.
    Stop,
}

/// What the runtime answers.
#[derive(Debug, Clone, PartialEq)]
pub enum MergeReply {
    /// A folder's files (not hidden, not folders), by name, with sizes.
    Listed {
        /// The folder.
        folder: PathBuf,
        /// Its files.
        files: Vec<(PathBuf, u64)>,
        /// The file typed, when a file rather than a folder was typed.
        pick: Option<PathBuf>,
    },
    /// The typed path could not be looked at; the text names it.
    BrowseFailed(String),
    /// Merging file `index` began.
    Started {
        /// Its place in the run.
        index: usize,
    },
    /// File `index` has come this far.
    Progress {
        /// Its place in the run.
        index: usize,
        /// How far.
        progress: MergeProgress,
    },
    /// File `index` was merged, or refused (the reason in one line).
    Done {
        /// Its place in the run.
        index: usize,
        /// What it added, or why not.
        result: Result<MergeReport, String>,
    },
    /// The run stopped as asked, at file `index`, which changed nothing;
    /// it and the files after it were not merged.
    Stopped {
        /// Its place in the run.
        index: usize,
    },
    /// Every file of the run is done (or the run stopped). `unsaved` says,
    /// in one line, why the files merged may not have reached the disk.
    Finished {
        /// The failure to write them out, if any.
        unsaved: Option<String>,
    },
}

/// The path typed, cleaned of what pasting a file from a file manager
/// brings: surrounding quotes, a `file://` prefix, blanks.
pub fn clean_path(text: &str) -> String {
    let mut text = text.trim();
    for quote in ['\'', '"'] {
        if text.len() >= 2 && text.starts_with(quote) && text.ends_with(quote) {
            text = &text[1..text.len() - 1];
        }
    }
    let text = text.strip_prefix("file://").unwrap_or(text);
    text.trim().to_string()
}

/// A key typed into the path field.
pub fn input(merge: &mut MergeState, key: KeyEvent) {
    if merge.focus == Focus::Path {
        field::feed(&mut merge.path, key, false);
    }
}

/// Pasted text: one path goes into the field; several lines (several files
/// copied at once) are each offered as a chosen file.
pub fn paste(merge: &mut MergeState, text: &str) {
    let paths: Vec<String> = text
        .lines()
        .map(clean_path)
        .filter(|p| !p.is_empty())
        .collect();
    match paths.as_slice() {
        [] => {}
        [one] => {
            merge.focus = Focus::Path;
            merge.path.insert_str(one);
        }
        many => {
            for path in many {
                merge.offer(PathBuf::from(path), None);
            }
            merge.focus = Focus::Files;
        }
    }
}

/// Runs a command on the merge screen.
pub fn update(merge: &mut MergeState, ctx: &Ctx<'_>, command: Command) -> Out {
    let lang = ctx.lang;
    if let Some(running) = merge.running.as_mut() {
        return match command {
            Command::Back if running.stopping => Out::info(t(lang, "merge.stopping")),
            Command::Back => {
                running.stopping = true;
                Out {
                    status: Some(Status::Info(t(lang, "merge.stopping").to_string())),
                    ..Out::effect(Effect::Merge(MergeEffect::Stop))
                }
            }
            Command::Quit | Command::Run | Command::Select => Out::error(t(lang, "merge.wait")),
            Command::Up | Command::Down | Command::PageUp | Command::PageDown => {
                scroll(merge, ctx, command);
                Out::none()
            }
            _ => Out::none(),
        };
    }
    let len = merge.files.len();
    match (command, merge.focus) {
        (Command::Back | Command::Quit, _) => return Out::nav(Nav::Pop),
        (Command::NextField, _) => merge.focus = next_focus(merge.focus, 1),
        (Command::PrevField, _) => merge.focus = next_focus(merge.focus, -1),
        (Command::Run, _) => return run(merge, ctx),
        (Command::Select, Focus::Path) => return browse(merge, ctx),
        (Command::Select, Focus::Files) => return run(merge, ctx),
        (Command::Down, Focus::Path) => merge.focus = Focus::Files,
        (Command::Up, Focus::Files) if merge.selected == 0 => merge.focus = Focus::Path,
        (Command::Up, Focus::Files) => merge.selected = list::step(merge.selected, -1, len),
        (Command::Down, Focus::Files) => merge.selected = list::step(merge.selected, 1, len),
        (Command::PageUp, Focus::Files) => merge.selected = list::step(merge.selected, -5, len),
        (Command::PageDown, Focus::Files) => merge.selected = list::step(merge.selected, 5, len),
        (Command::Top, Focus::Files) => merge.selected = 0,
        (Command::Bottom, Focus::Files) => merge.selected = len.saturating_sub(1),
        (Command::Toggle, Focus::Files) => {
            if let Some(row) = merge.files.get_mut(merge.selected) {
                row.chosen = !row.chosen;
            }
        }
        (Command::ChooseAll, Focus::Files) => {
            let all = merge.files.iter().all(|f| f.chosen);
            for row in &mut merge.files {
                row.chosen = !all;
            }
        }
        (
            Command::Up
            | Command::Down
            | Command::PageUp
            | Command::PageDown
            | Command::Top
            | Command::Bottom,
            Focus::Report,
        ) => scroll(merge, ctx, command),
        _ => {}
    }
    Out::none()
}

fn next_focus(focus: Focus, delta: isize) -> Focus {
    const ORDER: [Focus; 3] = [Focus::Path, Focus::Files, Focus::Report];
    let i = ORDER.iter().position(|f| *f == focus).unwrap_or(0) as isize;
    ORDER[(i + delta).rem_euclid(ORDER.len() as isize) as usize]
}

fn scroll(merge: &mut MergeState, ctx: &Ctx<'_>, command: Command) {
    let (width, height) = view::report_size(merge, ctx.size);
    let lines = report::lines(&merge.outcomes, ctx.lang, width).len();
    let last = lines.saturating_sub(height);
    let page = height.max(1);
    merge.scroll = match command {
        Command::Up => merge.scroll.saturating_sub(1),
        Command::Down => merge.scroll + 1,
        Command::PageUp => merge.scroll.saturating_sub(page),
        Command::PageDown => merge.scroll + page,
        Command::Top => 0,
        Command::Bottom => last,
        _ => merge.scroll,
    }
    .min(last);
}

/// Asks the runtime to look at the typed path.
fn browse(merge: &mut MergeState, ctx: &Ctx<'_>) -> Out {
    let path = clean_path(&field::text(&merge.path));
    if path.is_empty() {
        return Out::error(t(ctx.lang, "merge.need_path"));
    }
    Out::effect(Effect::Merge(MergeEffect::Browse(PathBuf::from(path))))
}

/// Starts merging the chosen files; with none chosen, the selected one, or
/// else the path typed.
fn run(merge: &mut MergeState, ctx: &Ctx<'_>) -> Out {
    let mut files = merge.chosen();
    if files.is_empty() && merge.focus == Focus::Files {
        files.extend(merge.files.get(merge.selected).map(|f| f.path.clone()));
    }
    if files.is_empty() {
        let typed = clean_path(&field::text(&merge.path));
        if !typed.is_empty() {
            files.push(PathBuf::from(typed));
        }
    }
    if files.is_empty() {
        return Out::error(t(ctx.lang, "merge.need_files"));
    }
    merge.outcomes.clear();
    merge.stopped_at = None;
    merge.scroll = 0;
    merge.running = Some(Running::new(files.clone()));
    Out::effect(Effect::Merge(MergeEffect::Run(files)))
}

/// Takes the runtime's answer.
pub fn reply(merge: &mut MergeState, ctx: &Ctx<'_>, reply: MergeReply) -> Out {
    let lang = ctx.lang;
    match reply {
        MergeReply::Listed {
            folder,
            files,
            pick,
        } => {
            let count = files.len();
            merge.listed(folder.clone(), files, pick);
            merge.focus = Focus::Files;
            if count == 0 {
                return Out::info(tf(
                    lang,
                    "merge.empty_folder",
                    &[("folder", &folder.display())],
                ));
            }
        }
        MergeReply::BrowseFailed(message) => return Out::error(message),
        MergeReply::Started { index } => {
            if let Some(running) = merge.running.as_mut() {
                running.index = index;
                running.progress = None;
            }
        }
        MergeReply::Progress { index, progress } => {
            if let Some(running) = merge.running.as_mut() {
                running.index = index;
                running.progress = Some(progress);
            }
        }
        MergeReply::Done { index, result } => {
            let path = merge
                .running
                .as_ref()
                .and_then(|r| r.files.get(index).cloned())
                .unwrap_or_default();
            let ok = result.is_ok();
            for row in merge.files.iter_mut().filter(|f| f.path == path) {
                row.merged = Some(ok);
                // A merged file is done with; a refused one stays chosen
                // so it can be retried once fixed.
                row.chosen = !ok;
            }
            merge.outcomes.push(Outcome { path, result });
        }
        MergeReply::Stopped { index } => {
            if let Some(running) = merge.running.as_mut() {
                running.stopped_at = running.files.get(index).cloned();
            }
        }
        MergeReply::Finished { unsaved } => {
            merge.stopped_at = merge.running.take().and_then(|r| r.stopped_at);
            merge.focus = Focus::Report;
            merge.scroll = 0;
            let (message, refused) = summary(merge, lang);
            let status = match unsaved {
                Some(unsaved) => Status::Error(unsaved),
                None if refused > 0 => Status::Error(message),
                None => Status::Info(message),
            };
            // Home lists the visits that came in.
            return Out {
                status: Some(status),
                ..Out::effect(Effect::LoadHome {
                    offer_resume: false,
                })
            };
        }
    }
    Out::none()
}

/// The last run in one line — how many files were merged and refused, and
/// where it stopped if it was stopped — and the number refused.
pub fn summary(merge: &MergeState, lang: anfang_core::Lang) -> (String, usize) {
    let merged = merge.outcomes.iter().filter(|o| o.result.is_ok()).count();
    let refused = merge.outcomes.len() - merged;
    let counts = [
        ("merged", &merged as &dyn std::fmt::Display),
        ("refused", &refused),
    ];
    let text = match &merge.stopped_at {
        Some(file) => {
            let name = report::file_name(file);
            let mut args = counts.to_vec();
            args.push(("file", &name));
            tf(lang, "merge.stopped", &args)
        }
        None => tf(lang, "merge.finished", &counts),
    };
    (text, refused)
}

/// A click focuses the path, selects (and with a second click toggles) a
/// file, or focuses the report.
pub fn click(merge: &mut MergeState, ctx: &Ctx<'_>, x: u16, y: u16) {
    if merge.busy() {
        return;
    }
    let areas = view::areas(merge, ctx.size);
    let inside =
        |r: ratatui::layout::Rect| x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height;
    if inside(areas.path) {
        merge.focus = Focus::Path;
    } else if let Some(i) = list::hit(areas.files, 1, x, y, merge.selected, merge.files.len()) {
        if merge.focus == Focus::Files
            && merge.selected == i
            && let Some(row) = merge.files.get_mut(i)
        {
            row.chosen = !row.chosen;
        }
        merge.focus = Focus::Files;
        merge.selected = i;
    } else if inside(areas.report) {
        merge.focus = Focus::Report;
    }
}
