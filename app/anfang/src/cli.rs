//! The command line: a contract that scripts rely on. Later features extend
//! it; nothing here is renamed or removed.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// anfang (暗访): unannounced-visit inspections, recorded offline and merged
/// into one signed ledger.
#[derive(Debug, Parser)]
#[command(name = "anfang", version, about, long_about = None)]
pub struct Cli {
    /// Data folder (ledger, device key, plugins, logs); default: the
    /// platform data folder.
    #[arg(long, global = true, env = "ANFANG_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Language of the interface and of exports: zh-CN or en; default: the
    /// system locale.
    #[arg(long, global = true, env = "ANFANG_LANG", value_name = "zh-CN|en")]
    pub lang: Option<String>,

    /// Extra folder to search for checklist plugins (repeatable).
    #[arg(long = "plugin-dir", global = true, value_name = "DIR")]
    pub plugin_dirs: Vec<PathBuf>,

    /// What to do; without a command the terminal interface opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add realistic, deterministic demo data to the ledger.
    Demo(DemoArgs),
    /// List, check and trust checklist plugins.
    Plugins(PluginsArgs),
    /// Write this ledger's events and evidence to a bundle file.
    Bundle(BundleArgs),
    /// Merge bundle files into this ledger.
    Merge(MergeArgs),
    /// Check the whole ledger: ids, hash chains and signatures.
    Verify(VerifyArgs),
    /// Rebuild the derived tables from the events.
    Rebuild,
    /// Print units ranked by score for a period.
    Scores(ScoresArgs),
    /// Export findings (spreadsheets, JSON, a bulletin draft).
    Export(ExportArgs),
    /// Import findings reported outside the app (XLSX, CSV or JSON), or write a template.
    Import(ImportArgs),
    /// Load one plugin and report on it (used by `plugins check` in a child process).
    #[command(hide = true)]
    PluginProbe(PluginProbeArgs),
}

/// `anfang demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many visits to add (1–100000).
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub visits: u32,
    /// Seed for the generator: the same seed gives the same data.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
}

/// `anfang plugins`.
#[derive(Debug, Args)]
pub struct PluginsArgs {
    /// What to do with plugins.
    #[command(subcommand)]
    pub action: PluginsAction,
}

/// The `plugins` subcommands.
#[derive(Debug, Subcommand)]
pub enum PluginsAction {
    /// Every plugin found, with its status.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Load one plugin in a child process and report everything wrong with it.
    Check {
        /// The plugin library.
        file: PathBuf,
    },
    /// Add a plugin's SHA-256 to the trust list.
    Trust {
        /// The plugin library.
        file: PathBuf,
    },
}

/// `anfang plugin-probe` (hidden).
#[derive(Debug, Args)]
pub struct PluginProbeArgs {
    /// The plugin library.
    pub file: PathBuf,
}

/// `anfang bundle`.
#[derive(Debug, Args)]
pub struct BundleArgs {
    /// The bundle file to write.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// `anfang merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Bundle files to merge, in any order.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// `anfang verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Check every signature, not one per device segment.
    #[arg(long)]
    pub full: bool,
}

/// `anfang scores`.
#[derive(Debug, Args)]
pub struct ScoresArgs {
    /// First day of the period (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last day of the period (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// CSV, UTF-8 with a byte-order mark.
    Csv,
    /// An Excel workbook.
    Xlsx,
    /// JSON described by schemas/export.schema.json.
    Json,
    /// A bulletin draft as a web page.
    Html,
    /// A bulletin draft as a Word document.
    Docx,
}

/// `anfang export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// The file to write.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// First day of the period (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last day of the period (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only this unit.
    #[arg(long, value_name = "NAME")]
    pub unit: Option<String>,
    /// Only this department.
    #[arg(long, value_name = "NAME")]
    pub department: Option<String>,
    /// Only this review status (pending, confirmed, dismissed, rectification_required, rectified, verified).
    #[arg(long, value_name = "S")]
    pub status: Option<String>,
    /// Replace staff names and badge numbers with stable pseudonyms.
    #[arg(long)]
    pub anonymize: bool,
}

/// `anfang import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The XLSX, CSV (UTF-8 or GBK) or JSON file.
    #[arg(required_unless_present = "template")]
    pub file: Option<PathBuf>,
    /// Import the valid rows and list the skipped ones.
    #[arg(long)]
    pub skip_invalid: bool,
    /// The XLSX sheet to read, by name (default: the first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Write a template workbook to hand out (units, items, drop-downs) instead.
    #[arg(long, value_name = "FILE.xlsx", conflicts_with_all = ["file", "skip_invalid", "sheet"])]
    pub template: Option<PathBuf>,
}
