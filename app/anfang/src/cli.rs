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
    ///
    /// Equal scores share a rank, marked "tied" (并列); tied units are
    /// listed with fewer counted findings first, then by unit name.
    Scores(ScoresArgs),
    /// Write the year's summary: visits by kind, problems, rectification
    /// notices done and overdue, units by grade, accountability outcomes.
    Report(ReportArgs),
    /// Export findings (spreadsheets, JSON, a bulletin draft).
    Export(ExportArgs),
    /// Import findings reported outside the app (XLSX, CSV or JSON), or write a template.
    Import(ImportArgs),
    /// Pin this ledger to an office: `init` on the office machine, `join` on a laptop.
    Office(OfficeArgs),
    /// Write an enrollment request for this laptop, for the office to add to its roster.
    Enroll(EnrollArgs),
    /// The office's roster: who may record, decide and change.
    Roster(RosterArgs),
    /// Review findings from the shell: list them, or decide on one.
    Review(ReviewArgs),
    /// The office's register of units: list, add, import, export.
    Units(UnitsArgs),
    /// Checklists: list every one, check or publish a checklist written as data.
    Checklists(ChecklistsArgs),
    /// Issued bulletins (通报): record one as issued, list them, show one.
    Bulletin(BulletinArgs),
    /// The assessment method (考评办法): show the one in force, check or publish a method file.
    Method(MethodArgs),
    /// Take points from a unit for what the office's own records show (an office deduction).
    Deduct(DeductArgs),
}

/// `anfang method`.
#[derive(Debug, Args)]
pub struct MethodArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: MethodAction,
}

/// The `method` subcommands.
#[derive(Debug, Subcommand)]
pub enum MethodAction {
    /// The method in force: every row, the grade bands, the rounding and the appraisal formula.
    Show {
        /// Print the method document (JSON, as `check` and `publish` take it).
        #[arg(long)]
        json: bool,
    },
    /// Check a method file against schemas/method.schema.json and the domain's rules.
    Check {
        /// The method file (JSON).
        file: PathBuf,
    },
    /// Publish a method file as the office's method (the office's admin; any device in open mode).
    Publish {
        /// The method file (JSON).
        file: PathBuf,
    },
}

/// `anfang deduct`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct DeductArgs {
    /// List, show, confirm or dismiss deductions; without one, enter a deduction.
    #[command(subcommand)]
    pub action: Option<DeductAction>,
    /// The unit (its registered name or an alias, or a unit already in the ledger).
    #[arg(long, value_name = "U", required = true)]
    pub unit: Option<String>,
    /// The method row (`anfang method show` lists them), e.g. meeting-absent.
    #[arg(long, value_name = "ITEM", required = true)]
    pub item: Option<String>,
    /// How many times, cases, items or percentage points (default 1).
    #[arg(long, value_name = "N")]
    pub count: Option<u32>,
    /// Points per case, for a row with a range (四(五)1: 10–20).
    #[arg(long, value_name = "P")]
    pub points: Option<f64>,
    /// The day of what is deducted for (YYYY-MM-DD); it counts in the period holding it.
    #[arg(long, value_name = "YYYY-MM-DD", required = true)]
    pub date: Option<String>,
    /// Why, in the reviewer's words.
    #[arg(long, value_name = "TEXT", required = true)]
    pub reason: Option<String>,
    /// A supporting file, stored in the ledger like a finding's evidence.
    #[arg(long, value_name = "FILE")]
    pub evidence: Option<PathBuf>,
}

/// The `deduct` subcommands: reviewing deductions as findings are reviewed.
#[derive(Debug, Subcommand)]
pub enum DeductAction {
    /// Office deductions with their status (pending, confirmed, dismissed).
    List {
        /// Only this unit's.
        #[arg(long, value_name = "U")]
        unit: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// One deduction: what it is, its evidence file and its decisions.
    Show {
        /// The deduction's id (or its first 8 or more characters).
        id: String,
        /// Write its evidence file into this folder.
        #[arg(long, value_name = "DIR")]
        save_evidence: Option<PathBuf>,
    },
    /// Confirm a pending deduction: it counts in the unit's score.
    Confirm {
        /// The deduction's id (or its first 8 or more characters).
        id: String,
    },
    /// Dismiss a deduction: it never counts.
    Dismiss {
        /// The deduction's id (or its first 8 or more characters).
        id: String,
        /// Why it does not stand.
        #[arg(long, value_name = "TEXT")]
        reason: String,
    },
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
    /// Report everything wrong with one plugin: static checks first, then
    /// its code runs only in the plugin sandbox.
    Check {
        /// The plugin library.
        file: PathBuf,
    },
    /// Show a plugin's SHA-256 and what it declares, ask, and add the hash
    /// to the trust list.
    Trust {
        /// The plugin library.
        file: PathBuf,
        /// Trust without asking (for scripts).
        #[arg(long)]
        yes: bool,
    },
}

/// `anfang checklists`.
#[derive(Debug, Args)]
pub struct ChecklistsArgs {
    /// What to do with checklists.
    #[command(subcommand)]
    pub action: ChecklistsAction,
}

/// The `checklists` subcommands.
#[derive(Debug, Subcommand)]
pub enum ChecklistsAction {
    /// Every checklist a visit can use, with its source (built in, plugin,
    /// data file), and data files that were refused.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Check a checklist written as data (JSON) and print its items and
    /// rules; exit 1 with the reason when it is bad.
    Check {
        /// The checklist file.
        file: PathBuf,
    },
    /// Check a data checklist and copy it into the data folder's
    /// checklists folder, where visits find it.
    Publish {
        /// The checklist file.
        file: PathBuf,
    },
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

/// `anfang report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The year summed up (e.g. 2026).
    #[arg(long, value_parser = clap::value_parser!(i16).range(2000..=2200))]
    pub year: i16,
    /// Output format.
    #[arg(long, value_enum, default_value = "md")]
    pub format: ReportFormat,
    /// The file to write (default: print Markdown to the terminal).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The day the summary is dated and rectifications counted overdue on (YYYY-MM-DD; default: today).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
}

/// Formats of the year summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Markdown.
    Md,
    /// A web page.
    Html,
    /// A Word document.
    Docx,
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
    /// XLSX: list compliant and not-applicable results too, not only violations.
    #[arg(long)]
    pub include_compliant: bool,
    /// The day documents are dated and rectifications counted overdue on (YYYY-MM-DD; default: today).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Bulletin: the issuing office (发文机关; default: `[documents] issuer` in settings.toml).
    #[arg(long, value_name = "NAME")]
    pub issuer: Option<String>,
    /// Bulletin: who it is addressed to (主送; default: settings, else 各有关单位).
    #[arg(long, value_name = "TEXT")]
    pub addressees: Option<String>,
    /// Bulletin: who receives a copy (抄送; default: settings, else none).
    #[arg(long, value_name = "TEXT")]
    pub copies: Option<String>,
    /// Bulletin: the 文号 pattern, `{year}` and `{n}` filled in (default: settings, else 效能办〔{year}〕{n}号).
    #[arg(long, value_name = "PATTERN")]
    pub number_pattern: Option<String>,
    /// Bulletin: its serial number, for `{n}` (default: left blank to fill in by hand).
    #[arg(long, value_name = "N")]
    pub serial: Option<String>,
    /// Instead: the record of this visit with its list of evidence (html or docx).
    #[arg(long, value_name = "ID", conflicts_with_all = ["from", "to", "unit", "department", "status", "anonymize", "include_compliant", "addressees", "copies", "number_pattern", "serial"])]
    pub visit: Option<String>,
    /// Instead: the issued bulletin with this number (文号), cut and dated as it was issued (html or docx).
    #[arg(long, value_name = "文号", conflicts_with_all = ["visit", "notice", "from", "to", "unit", "department", "status", "include_compliant", "date"])]
    pub bulletin: Option<String>,
    /// Instead: the rectification notice (整改通知书) to this unit (html or docx).
    #[arg(long, value_name = "UNIT", conflicts_with_all = ["visit", "from", "to", "unit", "department", "status", "anonymize", "include_compliant", "addressees", "copies", "number_pattern", "serial"])]
    pub notice: Option<String>,
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

/// `anfang office`.
#[derive(Debug, Args)]
pub struct OfficeArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: OfficeAction,
}

/// The `office` subcommands.
#[derive(Debug, Subcommand)]
pub enum OfficeAction {
    /// Create the office on this machine: its root keys (created when the
    /// files do not exist), its first roster, and the pin.
    Init {
        /// Root key files (created if missing), kept apart from any laptop.
        #[arg(long = "root-key", required = true, value_name = "FILE")]
        root_keys: Vec<PathBuf>,
        /// How many root keys must sign each roster version (default: a majority).
        #[arg(long, value_name = "K")]
        threshold: Option<u32>,
        /// Enroll every device already in the ledger with the roles its events show.
        #[arg(long)]
        adopt_existing: bool,
        /// Read the root keys' passphrases from this file (one line each, or one for all).
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
        /// The office's name.
        #[arg(
            long,
            default_value = "作风效能建设领导小组办公室",
            value_name = "NAME"
        )]
        name: String,
        /// The office's pseudonym secret, used by every laptop's anonymized
        /// exports (created if missing; default: pseudonym.key beside the first root key).
        #[arg(long, value_name = "FILE")]
        pseudonym_key: Option<PathBuf>,
    },
    /// Join the office whose roster a bundle carries.
    Join {
        /// A bundle from the office.
        bundle: PathBuf,
        /// The office fingerprint, as `office init` printed it (for scripts).
        #[arg(long, value_name = "HEX")]
        fingerprint: Option<String>,
        /// The office's pseudonym secret (the file `office init` made), so
        /// anonymized exports here give the office's pseudonyms.
        #[arg(long, value_name = "FILE")]
        pseudonym_key: Option<PathBuf>,
    },
}

/// `anfang enroll`.
#[derive(Debug, Args)]
pub struct EnrollArgs {
    /// The name of the person who uses this laptop.
    #[arg(long, value_name = "NAME")]
    pub name: String,
    /// The request file to write.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// `anfang roster`.
#[derive(Debug, Args)]
pub struct RosterArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: RosterAction,
}

/// The `roster` subcommands.
#[derive(Debug, Subcommand)]
pub enum RosterAction {
    /// Enroll the device of an enrollment request with roles.
    Add {
        /// The request file `anfang enroll` wrote.
        request: PathBuf,
        /// inspector, reviewer or admin (repeatable).
        #[arg(long = "role", required = true, value_name = "ROLE")]
        roles: Vec<String>,
        /// Root key files that sign the new version.
        #[arg(long = "root-key", required = true, value_name = "FILE")]
        root_keys: Vec<PathBuf>,
        /// Read the root keys' passphrases from this file.
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
    },
    /// End a device's authority after a sequence number (a lost laptop).
    Revoke {
        /// The device (its key, or a unique start of it).
        device: String,
        /// Its last event that still counts (default: the last this ledger holds).
        #[arg(long, value_name = "N")]
        after_seq: Option<u64>,
        /// Root key files that sign the new version.
        #[arg(long = "root-key", required = true, value_name = "FILE")]
        root_keys: Vec<PathBuf>,
        /// Read the root keys' passphrases from this file.
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
    },
    /// Trust a lower office (a city under a province) for its own units:
    /// what its roster authorizes there counts here, and nothing beyond.
    Delegate {
        /// The lower office's name.
        #[arg(long, value_name = "NAME")]
        name: String,
        /// What the lower office's `anfang roster list --json` printed.
        #[arg(long = "roster", value_name = "FILE")]
        roster: PathBuf,
        /// A unit it answers for (repeatable).
        #[arg(long = "unit", value_name = "UNIT")]
        units: Vec<String>,
        /// A department it answers for (repeatable).
        #[arg(long = "department", value_name = "DEPARTMENT")]
        departments: Vec<String>,
        /// Root key files that sign the new version.
        #[arg(long = "root-key", required = true, value_name = "FILE")]
        root_keys: Vec<PathBuf>,
        /// Read the root keys' passphrases from this file.
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
    },
    /// The roster in force.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `anfang review`.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: ReviewAction,
}

/// The `review` subcommands.
#[derive(Debug, Subcommand)]
pub enum ReviewAction {
    /// Findings (violations) with their status.
    List {
        /// Only this status (pending, confirmed, dismissed, rectification_required, rectified, verified).
        #[arg(long, value_name = "S")]
        status: Option<String>,
        /// Only this unit.
        #[arg(long, value_name = "U")]
        unit: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// The day deadlines are judged on (due soon, overdue); today without it.
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<String>,
        /// Only findings with an accountability outcome of this kind
        /// (批评教育 criticism-education, 诫勉谈话 admonishment-talk, 通报批评
        /// circulated-criticism, 党政纪处分 disciplinary-sanction, 组织处理
        /// organizational-handling).
        #[arg(long, value_name = "KIND")]
        outcome: Option<String>,
    },
    /// One finding's history: its versions, every decision with who and
    /// when (reports, re-checks, appeals), the follow-up visits linked to it
    /// and the decisions refused.
    History {
        /// The finding.
        finding_id: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Confirm a finding.
    Confirm(DecideArgs),
    /// Dismiss a finding (needs --reason).
    Dismiss(DecideArgs),
    /// Order rectification by a deadline (needs --deadline).
    Rectify(DecideArgs),
    /// Record the unit's report that it rectified (needs --report, or
    /// --reason: what was done; --evidence FILE for each file it sent).
    Rectified(DecideArgs),
    /// Accept a rectification, naming what was checked (needs --checked
    /// report|recheck:VISIT_ID).
    Verify(DecideArgs),
    /// Send a reported rectification back (needs --deadline, --reason, and
    /// --checked report|recheck:VISIT_ID).
    Reject(DecideArgs),
    /// Record the unit's appeal (申诉) of a confirmed finding (needs
    /// --reason; --evidence FILE for each file it sent).
    Appeal(DecideArgs),
    /// Decide an appeal (复核), as a reviewer other than the one who
    /// confirmed the finding (needs --uphold or --reject, and --reason).
    AppealDecide(AppealDecideArgs),
    /// Record what was done about a person concerned by a confirmed
    /// finding (问责): --person, --kind, --date, optional --number (文号)
    /// and --note.
    Outcome(OutcomeArgs),
    /// Open a follow-up visit (复查) of the finding's unit, linked to the
    /// finding; prints the visit's id.
    Recheck(RecheckArgs),
}

/// `anfang review outcome`.
#[derive(Debug, Args)]
pub struct OutcomeArgs {
    /// The finding (confirmed or further on).
    pub finding_id: String,
    /// The person concerned.
    #[arg(long, value_name = "NAME")]
    pub person: String,
    /// What was done: 批评教育 criticism-education, 诫勉谈话
    /// admonishment-talk, 通报批评 circulated-criticism, 党政纪处分
    /// disciplinary-sanction, 组织处理 organizational-handling.
    #[arg(long, value_name = "KIND")]
    pub kind: String,
    /// The day it was decided.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: String,
    /// The document number (文号).
    #[arg(long, value_name = "文号")]
    pub number: Option<String>,
    /// A note.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
}

/// `anfang review appeal-decide`.
#[derive(Debug, Args)]
pub struct AppealDecideArgs {
    /// The finding.
    pub finding_id: String,
    /// The appeal stands: the finding is dismissed.
    #[arg(long, conflicts_with = "reject", required_unless_present = "reject")]
    pub uphold: bool,
    /// The appeal does not stand: the finding stays confirmed.
    #[arg(long)]
    pub reject: bool,
    /// Why.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
}

/// `anfang review recheck`.
#[derive(Debug, Args)]
pub struct RecheckArgs {
    /// The finding re-checked.
    pub finding_id: String,
    /// The team of the follow-up visit, lead first (repeatable); the name
    /// in settings.toml without it.
    #[arg(long = "team", value_name = "NAME")]
    pub team: Vec<String>,
}

/// A decision on one finding.
#[derive(Debug, Args)]
pub struct DecideArgs {
    /// The finding.
    pub finding_id: String,
    /// Why (dismiss), or what was done (rectified).
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// The rectification deadline (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub deadline: Option<String>,
    /// Points per count settled on (range rules).
    #[arg(long, value_name = "P")]
    pub points: Option<String>,
    /// Why the decision moves the finding back in its life (verified or
    /// dismissed to confirmed, rectified to rectification required …):
    /// needed for such a decision, and signed with it.
    #[arg(long, value_name = "TEXT")]
    pub back_reason: Option<String>,
    /// The unit's report of what was done (rectified; same as --reason).
    #[arg(long, value_name = "TEXT", conflicts_with = "reason")]
    pub report: Option<String>,
    /// A file the unit sent with its report or appeal (repeatable).
    #[arg(long = "evidence", value_name = "FILE")]
    pub evidence: Vec<PathBuf>,
    /// What was checked before verifying or rejecting: `report`, or
    /// `recheck:VISIT_ID` for a follow-up visit opened as a re-check.
    #[arg(long, value_name = "WHAT")]
    pub checked: Option<String>,
    /// The day the decision is made on (deadlines may not be before it);
    /// today without it.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
}

/// `anfang units`.
#[derive(Debug, Args)]
pub struct UnitsArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: UnitsAction,
}

/// The `units` subcommands.
#[derive(Debug, Subcommand)]
pub enum UnitsAction {
    /// Every registered unit.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Register one new unit.
    Add {
        /// Its name.
        #[arg(long, value_name = "N")]
        name: String,
        /// Its department.
        #[arg(long, value_name = "D")]
        department: String,
        /// What kind of unit (机关, 窗口, 下属单位 …).
        #[arg(long, value_name = "K")]
        kind: String,
        /// The registered unit it answers to, by name or alias.
        #[arg(long, value_name = "P")]
        parent: Option<String>,
        /// Another name it is known by (repeatable).
        #[arg(long = "alias", value_name = "A")]
        aliases: Vec<String>,
    },
    /// Register the units of an XLSX or CSV file (columns 单位/name,
    /// 部门/department, 类型/kind, 上级单位/parent, 别名/aliases separated
    /// by 、): all of them, or none if any row is wrong.
    Import {
        /// The file.
        file: PathBuf,
    },
    /// Write the register as CSV that `units import` reads back unchanged.
    Export {
        /// The file to write; standard output without it.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Map a unit name typed on visits (not in the register) to a
    /// registered unit: its findings follow the mapping.
    Map {
        /// The name exactly as typed on the visits.
        typed: String,
        /// The registered unit it means, by name, alias or id.
        #[arg(long, value_name = "UNIT")]
        to: String,
    },
}

/// `anfang bulletin`.
#[derive(Debug, Args)]
pub struct BulletinArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: BulletinAction,
}

/// The `bulletin` subcommands.
#[derive(Debug, Subcommand)]
pub enum BulletinAction {
    /// Record the bulletin draft of a period as issued under a number
    /// (文号): the units and findings it names, signed. Each unit named
    /// loses 10 points (四(四)2) in the period holding the issue date.
    Issue {
        /// The document number (文号).
        #[arg(long, value_name = "文号")]
        number: String,
        /// The day it was issued (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        date: String,
        /// First day of the period it covers (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        from: Option<String>,
        /// Last day of the period it covers (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        to: Option<String>,
        /// Only this unit.
        #[arg(long, value_name = "NAME")]
        unit: Option<String>,
        /// Only this department.
        #[arg(long, value_name = "NAME")]
        department: Option<String>,
    },
    /// Every issued bulletin.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// One issued bulletin: its period, the units and findings it named.
    /// `anfang export --bulletin 文号` writes its text again.
    Show {
        /// The document number (文号).
        number: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}
