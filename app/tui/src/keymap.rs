//! The one keymap: a default embedded in the binary, overridden key by key
//! by the user's `<config>/keymap.toml`. Input handling and the `?` help
//! both read it, so the help can never disagree with the keys.
//!
//! Format (one table per context, yazi style):
//!
//! ```toml
//! [home]
//! keymap = [
//!   { on = "n", run = "new_visit", desc = { zh = "新建检查", en = "New visit" } },
//! ]
//! ```
//!
//! A user entry replaces the default bound to the same key in the same
//! context; `run = "none"` unbinds a key; `desc` may be left out.

use crate::command::Command;
use anfang_core::Label;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use thiserror::Error;

/// The default keymap, embedded.
pub const DEFAULT_KEYMAP: &str = include_str!("../keymap.toml");

/// Where keys are looked up; a screen names its contexts, most specific first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    /// Keys valid on every screen.
    Global,
    /// The home screen.
    Home,
    /// Setting up a new visit.
    NewVisit,
    /// Walking a visit's checklists.
    Visit,
    /// Editing a finding.
    Editor,
    /// A finding's history.
    History,
    /// The plugins screen.
    Plugins,
    /// A yes/no question.
    Prompt,
    /// Choosing from a pop-up list (e.g. a checklist to add).
    Picker,
    /// Typing a one-line value in a pop-up (e.g. a file path).
    Entry,
    /// Merging bundles.
    Merge,
    /// While a merge runs.
    Merging,
    /// The export form.
    Export,
    /// The review table.
    Review,
    /// The review screen's search, filter and decision forms.
    ReviewForm,
    /// Scores and ranking.
    Scores,
}

impl Context {
    /// Every context with its table name in the keymap file.
    pub const ALL: &[(Context, &'static str)] = &[
        (Context::Global, "global"),
        (Context::Home, "home"),
        (Context::NewVisit, "new_visit"),
        (Context::Visit, "visit"),
        (Context::Editor, "editor"),
        (Context::History, "history"),
        (Context::Plugins, "plugins"),
        (Context::Prompt, "prompt"),
        (Context::Picker, "picker"),
        (Context::Entry, "entry"),
        (Context::Merge, "merge"),
        (Context::Merging, "merging"),
        (Context::Export, "export"),
        (Context::Review, "review"),
        (Context::ReviewForm, "review_form"),
        (Context::Scores, "scores"),
    ];

    /// The context's table name in the keymap file.
    pub fn name(self) -> &'static str {
        Context::ALL
            .iter()
            .find(|(c, _)| *c == self)
            .map_or("global", |(_, n)| n)
    }

    fn from_name(name: &str) -> Option<Context> {
        Context::ALL
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(c, _)| *c)
    }
}

/// A key with its modifiers, normalised so that `N` is `N` whether or not
/// the terminal also reports Shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    code: KeyCode,
    mods: KeyModifiers,
}

impl Key {
    /// The key of a terminal key event.
    pub fn from_event(event: &KeyEvent) -> Key {
        Key::normalised(event.code, event.modifiers)
    }

    fn normalised(code: KeyCode, mods: KeyModifiers) -> Key {
        let mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let mods = match code {
            KeyCode::Char(_) | KeyCode::BackTab => mods - KeyModifiers::SHIFT,
            _ => mods,
        };
        Key { code, mods }
    }

    /// Parses `n`, `N`, `?`, `enter`, `esc`, `tab`, `backtab`, `space`,
    /// `up`, `pgdn`, `f2`, `ctrl-s`, `alt-x`, `shift-up`.
    pub fn parse(text: &str) -> Option<Key> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-") {
                mods |= KeyModifiers::CONTROL;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-") {
                mods |= KeyModifiers::ALT;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("shift-") {
                mods |= KeyModifiers::SHIFT;
                rest = r;
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => match rest {
                "enter" => KeyCode::Enter,
                "esc" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "space" => KeyCode::Char(' '),
                "backspace" => KeyCode::Backspace,
                "delete" => KeyCode::Delete,
                "insert" => KeyCode::Insert,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pgup" => KeyCode::PageUp,
                "pgdn" => KeyCode::PageDown,
                f if f.starts_with('f') => {
                    KeyCode::F(f[1..].parse().ok().filter(|n| (1..=24).contains(n))?)
                }
                _ => return None,
            },
        };
        Some(Key::normalised(code, mods))
    }

    /// Whether typing this key into a text field should insert a character.
    pub fn is_text(&self) -> bool {
        matches!(self.code, KeyCode::Char(_))
            && !self
                .mods
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    }
}

/// One binding, as the help screen lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    /// The key as written in the keymap (`ctrl-s`).
    pub on: String,
    /// Its parsed form.
    pub key: Key,
    /// What it runs.
    pub command: Command,
    /// What it does, in both languages.
    pub desc: Label,
}

/// Why a keymap file was refused.
#[derive(Debug, Error, PartialEq)]
pub enum KeymapError {
    /// Not TOML, or not shaped like a keymap.
    #[error("keymap {file}: {message}")]
    Syntax {
        /// The file.
        file: String,
        /// The parser's message, one line.
        message: String,
    },
    /// A table name that is not a context.
    #[error("keymap {file}: unknown context [{context}] (known: {known})")]
    UnknownContext {
        /// The file.
        file: String,
        /// The bad table name.
        context: String,
        /// The valid names.
        known: String,
    },
    /// A key that cannot be parsed.
    #[error("keymap {file}: [{context}] unknown key \"{key}\"")]
    BadKey {
        /// The file.
        file: String,
        /// The context.
        context: String,
        /// The bad key.
        key: String,
    },
    /// An action that does not exist.
    #[error("keymap {file}: [{context}] key \"{key}\" runs unknown action \"{run}\"")]
    BadAction {
        /// The file.
        file: String,
        /// The context.
        context: String,
        /// The key.
        key: String,
        /// The bad action.
        run: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileContext {
    keymap: Vec<FileEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileEntry {
    on: String,
    run: String,
    #[serde(default)]
    desc: Option<Label>,
}

/// The keymap in force.
#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    contexts: BTreeMap<Context, Vec<Binding>>,
}

impl Keymap {
    /// The embedded default keymap.
    pub fn default_keymap() -> Keymap {
        // The embedded file is checked by a test; an empty keymap is never
        // reached in a build that passed its tests.
        Keymap::parse(DEFAULT_KEYMAP, "<default>", None).unwrap_or(Keymap {
            contexts: BTreeMap::new(),
        })
    }

    /// The default keymap with the user's file laid over it, if the file exists.
    pub fn load(user_file: Option<&Path>) -> Result<Keymap, KeymapError> {
        let mut keymap = Keymap::default_keymap();
        if let Some(path) = user_file
            && path.exists()
        {
            let file = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|e| KeymapError::Syntax {
                file: file.clone(),
                message: e.to_string(),
            })?;
            keymap = Keymap::parse(&text, &file, Some(keymap))?;
        }
        Ok(keymap)
    }

    /// Parses a keymap file, laying it over `base` if given.
    pub fn parse(text: &str, file: &str, base: Option<Keymap>) -> Result<Keymap, KeymapError> {
        let tables: BTreeMap<String, FileContext> =
            toml::from_str(text).map_err(|e| KeymapError::Syntax {
                file: file.to_string(),
                message: e.message().replace('\n', " "),
            })?;
        let defaults = base.as_ref();
        let mut contexts = base.clone().map(|k| k.contexts).unwrap_or_default();
        for (name, table) in tables {
            let context = Context::from_name(&name).ok_or_else(|| KeymapError::UnknownContext {
                file: file.to_string(),
                context: name.clone(),
                known: Context::ALL
                    .iter()
                    .map(|(_, n)| *n)
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
            let bindings = contexts.entry(context).or_default();
            for entry in table.keymap {
                let key = Key::parse(&entry.on).ok_or_else(|| KeymapError::BadKey {
                    file: file.to_string(),
                    context: name.clone(),
                    key: entry.on.clone(),
                })?;
                let command =
                    Command::from_name(&entry.run).ok_or_else(|| KeymapError::BadAction {
                        file: file.to_string(),
                        context: name.clone(),
                        key: entry.on.clone(),
                        run: entry.run.clone(),
                    })?;
                let desc = entry
                    .desc
                    .or_else(|| defaults.and_then(|d| d.describe(command)))
                    .unwrap_or_else(|| Label::new(entry.run.clone(), entry.run.clone()));
                if defaults.is_some() {
                    bindings.retain(|b| b.key != key);
                }
                if command != Command::None {
                    bindings.push(Binding {
                        on: entry.on,
                        key,
                        command,
                        desc,
                    });
                }
            }
        }
        Ok(Keymap { contexts })
    }

    /// The command `event` runs, looking through `contexts` in order.
    pub fn lookup(&self, contexts: &[Context], event: &KeyEvent) -> Option<Command> {
        let key = Key::from_event(event);
        contexts.iter().find_map(|context| {
            self.contexts
                .get(context)?
                .iter()
                .find(|b| b.key == key)
                .map(|b| b.command)
        })
    }

    /// The bindings of one context, in file order.
    pub fn bindings(&self, context: Context) -> &[Binding] {
        self.contexts
            .get(&context)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The first key bound to `command` in any of `contexts`, for hints.
    pub fn key_for(&self, contexts: &[Context], command: Command) -> Option<&str> {
        contexts.iter().find_map(|context| {
            self.bindings(*context)
                .iter()
                .find(|b| b.command == command)
                .map(|b| b.on.as_str())
        })
    }

    fn describe(&self, command: Command) -> Option<Label> {
        self.contexts
            .values()
            .flatten()
            .find(|b| b.command == command)
            .map(|b| b.desc.clone())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crossterm::event::KeyEventKind;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new_with_kind(code, mods, KeyEventKind::Press)
    }

    #[test]
    fn default_keymap_parses_and_binds_the_basics() {
        let keymap = Keymap::parse(DEFAULT_KEYMAP, "<default>", None).unwrap();
        let home = [Context::Home, Context::Global];
        assert_eq!(
            keymap.lookup(&home, &key(KeyCode::Char('n'), KeyModifiers::NONE)),
            Some(Command::NewVisit)
        );
        assert_eq!(
            keymap.lookup(&home, &key(KeyCode::Char('?'), KeyModifiers::SHIFT)),
            Some(Command::Help)
        );
        let visit = [Context::Visit, Context::Global];
        assert_eq!(
            keymap.lookup(&visit, &key(KeyCode::Char('v'), KeyModifiers::NONE)),
            Some(Command::Violation)
        );
        for (context, _) in Context::ALL {
            for binding in keymap.bindings(*context) {
                assert!(
                    !binding.desc.zh.is_empty() && !binding.desc.en.is_empty(),
                    "{}",
                    binding.on
                );
            }
        }
    }

    #[test]
    fn user_file_overrides_single_keys_and_keeps_the_rest() {
        let user = r#"
            [home]
            keymap = [
              { on = "a", run = "new_visit" },
              { on = "n", run = "none" },
            ]
        "#;
        let keymap = Keymap::parse(user, "keymap.toml", Some(Keymap::default_keymap())).unwrap();
        let home = [Context::Home, Context::Global];
        assert_eq!(
            keymap.lookup(&home, &key(KeyCode::Char('a'), KeyModifiers::NONE)),
            Some(Command::NewVisit)
        );
        assert_eq!(
            keymap.lookup(&home, &key(KeyCode::Char('n'), KeyModifiers::NONE)),
            None
        );
        // Untouched defaults stay.
        assert_eq!(
            keymap.lookup(&home, &key(KeyCode::Char('p'), KeyModifiers::NONE)),
            Some(Command::Plugins)
        );
        // The description of an overriding entry comes from the default.
        let binding = keymap
            .bindings(Context::Home)
            .iter()
            .find(|b| b.on == "a")
            .unwrap();
        assert_eq!(
            binding.desc,
            Keymap::default_keymap()
                .describe(Command::NewVisit)
                .unwrap()
        );
    }

    #[test]
    fn user_file_can_rebind_with_modifiers() {
        let user = "[visit]\nkeymap = [{ on = \"ctrl-v\", run = \"violation\", desc = { zh = \"违规\", en = \"Violation\" } }]";
        let keymap = Keymap::parse(user, "k", Some(Keymap::default_keymap())).unwrap();
        assert_eq!(
            keymap.lookup(
                &[Context::Visit],
                &key(KeyCode::Char('v'), KeyModifiers::CONTROL)
            ),
            Some(Command::Violation)
        );
    }

    #[test]
    fn bad_user_files_name_the_bad_value_in_one_line() {
        let base = || Some(Keymap::default_keymap());
        let err = Keymap::parse(
            "[home]\nkeymap = [{ on = \"n\", run = \"frobnicate\" }]",
            "k.toml",
            base(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "keymap k.toml: [home] key \"n\" runs unknown action \"frobnicate\""
        );
        let err = Keymap::parse(
            "[home]\nkeymap = [{ on = \"hyper-q\", run = \"quit\" }]",
            "k.toml",
            base(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "keymap k.toml: [home] unknown key \"hyper-q\""
        );
        let err = Keymap::parse("[hom]\nkeymap = []", "k.toml", base()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("keymap k.toml: unknown context [hom]")
        );
        let err = Keymap::parse("[home\n", "k.toml", base()).unwrap_err();
        assert!(!err.to_string().contains('\n'));
    }

    #[test]
    fn load_reads_the_user_file_from_disk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keymap.toml");
        assert_eq!(Keymap::load(Some(&path)).unwrap(), Keymap::default_keymap());
        std::fs::write(
            &path,
            "[global]\nkeymap = [{ on = \"f1\", run = \"help\" }]",
        )
        .unwrap();
        let keymap = Keymap::load(Some(&path)).unwrap();
        assert_eq!(
            keymap.lookup(&[Context::Global], &key(KeyCode::F(1), KeyModifiers::NONE)),
            Some(Command::Help)
        );
    }

    #[test]
    fn keys_parse_and_normalise() {
        assert_eq!(
            Key::parse("N"),
            Some(Key::from_event(&key(
                KeyCode::Char('N'),
                KeyModifiers::SHIFT
            )))
        );
        assert_eq!(
            Key::parse("ctrl-s").map(|k| k.mods),
            Some(KeyModifiers::CONTROL)
        );
        assert_eq!(Key::parse("f2").map(|k| k.code), Some(KeyCode::F(2)));
        assert_eq!(Key::parse("f99"), None);
        assert_eq!(Key::parse("wat"), None);
    }
}
