//! What every command needs to know: where the data lives, which language
//! to speak, where to look for plugins, and who is using this laptop.

use anfang_core::Lang;
use anyhow::{Context as _, bail};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Resolved settings for one run of the program.
#[derive(Debug, Clone)]
pub struct Context {
    /// The data folder: ledger, device key, user plugins, trust list, logs.
    pub data_dir: PathBuf,
    /// The config folder: `keymap.toml`, `settings.toml`.
    pub config_dir: PathBuf,
    /// Interface and export language.
    pub lang: Lang,
    /// Plugin folders from `--plugin-dir` and `ANFANG_PLUGIN_PATH`, in that order.
    pub plugin_dirs: Vec<PathBuf>,
    /// The name of the person using this laptop (reviewer, inspector).
    pub user_name: String,
    /// Whether that name is the one in `settings.toml` rather than a guess.
    pub user_name_set: bool,
    /// Days before a rectification's deadline from which it is shown as
    /// due (yellow), as the office sets it; 3 unless set.
    pub deadline_warning_days: u32,
    /// What the office writes on the documents it issues (`[documents]`).
    pub documents: DocumentSettings,
}

/// `[documents]` in `settings.toml`: the office's name and what it writes
/// on every bulletin (主送, 抄送, 文号 pattern, 印发机关). The export
/// command's flags override each one.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentSettings {
    /// 发文机关: the office's full name.
    pub issuer: Option<String>,
    /// 主送.
    pub addressees: Option<String>,
    /// 抄送.
    pub copies: Option<String>,
    /// 文号 pattern with `{year}` and `{n}`.
    pub number_pattern: Option<String>,
    /// 印发机关, when another office than the issuer prints it.
    pub printer: Option<String>,
}

impl DocumentSettings {
    /// The settings as the export form starts from them; blank ones unset.
    pub fn defaults(&self) -> anfang_tui::screens::export::DocumentDefaults {
        let set = |v: &Option<String>| v.clone().filter(|v| !v.trim().is_empty());
        anfang_tui::screens::export::DocumentDefaults {
            issuer: set(&self.issuer),
            office: anfang_export::OfficeDocs {
                addressees: set(&self.addressees),
                copies: set(&self.copies),
                number_pattern: set(&self.number_pattern),
                serial: None,
                printer: set(&self.printer),
            },
        }
    }
}

/// The settings file's name in the config folder.
const SETTINGS_FILE: &str = "settings.toml";

/// `<config>/settings.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    /// The user's name as it appears on findings and decisions.
    name: Option<String>,
    /// Days of warning before a rectification's deadline.
    deadline_warning_days: Option<u32>,
    /// The office's document settings.
    #[serde(default)]
    documents: DocumentSettings,
}

impl Context {
    /// Resolves folders, language and user from the command line, the
    /// environment and the platform defaults.
    pub fn resolve(
        data_dir: Option<PathBuf>,
        lang: Lang,
        plugin_dirs: Vec<PathBuf>,
    ) -> anyhow::Result<Context> {
        let dirs = directories::ProjectDirs::from("org", "anfang", "anfang");
        let (data_dir, config_dir) = match (data_dir, dirs) {
            // An explicit data folder keeps everything, config included, in
            // one place: a laptop's whole state can be copied or wiped at once.
            (Some(dir), _) => (dir.clone(), dir.join("config")),
            (None, Some(dirs)) => (
                dirs.data_dir().to_path_buf(),
                dirs.config_dir().to_path_buf(),
            ),
            (None, None) => bail!("no home folder found: pass --data-dir DIR"),
        };
        let mut all_plugin_dirs = plugin_dirs;
        if let Some(path) = std::env::var_os("ANFANG_PLUGIN_PATH") {
            all_plugin_dirs
                .extend(std::env::split_paths(&path).filter(|p| !p.as_os_str().is_empty()));
        }
        let settings = read_settings(&config_dir.join(SETTINGS_FILE))?;
        let user_name_set = settings
            .name
            .as_deref()
            .is_some_and(|name| !name.trim().is_empty());
        let user_name = settings
            .name
            .or_else(|| std::env::var("USER").ok())
            .filter(|name| !name.trim().is_empty())
            .unwrap_or_else(|| "inspector".to_string());
        let deadline_warning_days = settings
            .deadline_warning_days
            .unwrap_or(anfang_tui::state::DEADLINE_WARNING_DAYS);
        Ok(Context {
            deadline_warning_days,
            documents: settings.documents,
            data_dir,
            config_dir,
            lang,
            plugin_dirs: all_plugin_dirs,
            user_name,
            user_name_set,
        })
    }

    /// The language from `--lang`/`ANFANG_LANG`, else the system locale,
    /// else Chinese. An unknown tag is an error naming it.
    pub fn language(tag: Option<&str>) -> anyhow::Result<Lang> {
        match tag {
            Some(tag) => Lang::from_tag(tag)
                .with_context(|| format!("unknown language '{tag}': use zh-CN or en")),
            None => Ok(sys_locale::get_locale()
                .and_then(|tag| Lang::from_tag(&tag))
                .unwrap_or_default()),
        }
    }

    /// Creates the data folder if needed (owner-only: it holds the device key).
    pub fn ensure_data_dir(&self) -> anyhow::Result<()> {
        create_private_dir(&self.data_dir)
    }

    /// Opens this laptop's ledger, creating it and the device key on first use.
    pub fn open_ledger(&self) -> anyhow::Result<anfang_ledger::Ledger> {
        self.ensure_data_dir()?;
        let file = self.data_dir.join(anfang_ledger::LEDGER_FILE);
        // An upgrade may rebuild every derived table: say so before the wait.
        if let Ok(Some(found)) = anfang_ledger::schema_version(&file)
            && (1..anfang_ledger::LEDGER_SCHEMA_VERSION).contains(&found)
        {
            let to = anfang_ledger::LEDGER_SCHEMA_VERSION;
            eprintln!(
                "{}",
                match self.lang {
                    Lang::Zh => format!(
                        "anfang: 正在把账本升级到第 {to} 版（仅此一次；百万条问题记录约需两分钟）……"
                    ),
                    Lang::En => format!(
                        "anfang: upgrading the ledger to schema version {to} (once; about two minutes for a million findings)…"
                    ),
                }
            );
        }
        anfang_ledger::Ledger::open(&self.data_dir)
            .with_context(|| format!("cannot open the ledger in {}", self.data_dir.display()))
    }

    /// Finds, trusts and loads the checklist plugins, then the data
    /// checklists; refused ones are listed in the registry with their
    /// reasons and the app goes on without them.
    pub fn load_plugins(&self) -> anfang_plugin_host::Registry {
        let config = anfang_plugin_host::HostConfig::standard(&self.plugin_dirs, &self.data_dir);
        let mut registry = anfang_plugin_host::Registry::load(&config);
        // Checklists the office published (perhaps on another laptop) are
        // offered like the data files placed here by hand.
        if let Err(err) = crate::cmd::checklists_sync::place_published(self) {
            tracing::warn!("published checklists not placed: {err:#}");
        }
        registry.add_data_checklists(&anfang_plugin_host::data::standard_dirs(&self.data_dir));
        registry
    }

    /// The user's keymap file, which may override single keys.
    pub fn keymap_path(&self) -> PathBuf {
        self.config_dir.join("keymap.toml")
    }

    /// `<config>/settings.toml`.
    pub fn settings_path(&self) -> PathBuf {
        self.config_dir.join(SETTINGS_FILE)
    }
}

fn read_settings(path: &Path) -> anyhow::Result<Settings> {
    match std::fs::read_to_string(path) {
        Ok(text) => toml::from_str(&text).map_err(|err| {
            anyhow::anyhow!(
                "bad settings file {}: {}",
                path.display(),
                one_line(&err.to_string())
            )
        }),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Settings::default()),
        Err(err) => Err(err).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// Collapses a multi-line message (toml's come with a source excerpt) into one line.
pub fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|line| {
            !line.is_empty()
                && !line.starts_with('|')
                && !line.chars().all(|c| c == '^' || c == ' ')
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .with_context(|| format!("cannot create the data folder {}", dir.display()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn the_office_sets_the_days_of_warning_before_a_deadline() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        std::fs::create_dir_all(&config).unwrap();
        let resolve = || Context::resolve(Some(dir.path().into()), Lang::Zh, Vec::new());
        assert_eq!(resolve().unwrap().deadline_warning_days, 3);
        std::fs::write(config.join(SETTINGS_FILE), "deadline_warning_days = 7\n").unwrap();
        assert_eq!(resolve().unwrap().deadline_warning_days, 7);
        std::fs::write(config.join(SETTINGS_FILE), "deadline_warning_days = -1\n").unwrap();
        let err = resolve().unwrap_err().to_string();
        assert!(
            err.contains("deadline_warning_days") || err.contains("-1"),
            "{err}"
        );
        assert!(err.contains("settings.toml"), "{err}");
    }
}
