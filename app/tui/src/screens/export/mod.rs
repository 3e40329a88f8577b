//! Export: findings to the office's formats (CSV, XLSX, JSON, and a
//! bulletin draft as HTML or DOCX), with the same filters as `anfang
//! export`; for a bulletin also the office's 发文机关, 主送, 抄送 and 文号,
//! started from its settings. The form is checked here, naming any bad
//! value; the runtime writes the file while a gauge shows progress, then
//! the screen shows how many findings went to which file, or the one-line
//! reason it failed.

pub mod documents;
pub mod view;

use crate::command::Command;
use crate::effect::Effect;
use crate::i18n::{t, tf};
use crate::screens::{Ctx, Nav, Out};
use crate::widgets::field;
use anfang_core::review::ReviewStatus;
use anfang_core::visit::Unit;
use anfang_export::Format;
use crossterm::event::KeyEvent;
use jiff::civil::Date;
use ratatui_textarea::TextArea;
use std::path::PathBuf;

pub use documents::{DocumentDefaults, DocumentFields};
pub use view::view;

/// The fields of the form, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The file format.
    Format,
    /// The file to write.
    Out,
    /// First day (YYYY-MM-DD), empty for no start.
    From,
    /// Last day, empty for no end.
    To,
    /// One unit's exact name, empty for all.
    Unit,
    /// One department's exact name, empty for all.
    Department,
    /// One review status, or all.
    Status,
    /// Pseudonyms for staff names and badge numbers.
    Anonymize,
    /// XLSX: compliant and not-applicable results too, not only violations.
    Compliant,
    /// Bulletin: the issuing office (发文机关).
    Issuer,
    /// Bulletin: who it is addressed to (主送).
    Addressees,
    /// Bulletin: who receives a copy (抄送).
    Copies,
    /// Bulletin: the 文号 pattern.
    NumberPattern,
    /// Bulletin: its serial number, for `{n}` in the pattern.
    Serial,
}

/// The fields every format has, in the order Tab visits them; the
/// bulletin's follow them while a bulletin format is chosen.
pub const FIELDS: [Field; 9] = [
    Field::Format,
    Field::Out,
    Field::From,
    Field::To,
    Field::Unit,
    Field::Department,
    Field::Status,
    Field::Anonymize,
    Field::Compliant,
];

/// What a finished export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    /// The file, as an absolute path.
    pub path: PathBuf,
    /// Rows written, one per checklist result (compliant ones included).
    pub rows: u64,
    /// Of those, violations: the findings Review counts.
    pub violations: u64,
}

/// One export, checked and ready to run.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRequest {
    /// The format.
    pub format: Format,
    /// The file to write (relative paths are taken from the working folder).
    pub out: PathBuf,
    /// First day.
    pub from: Option<Date>,
    /// Last day.
    pub to: Option<Date>,
    /// One unit.
    pub unit: Option<String>,
    /// One department.
    pub department: Option<String>,
    /// One review status.
    pub status: Option<ReviewStatus>,
    /// Pseudonyms for people.
    pub anonymize: bool,
    /// XLSX: list compliant and not-applicable results too.
    pub include_compliant: bool,
    /// Today, for overdue rectifications.
    pub today: Date,
    /// Now, by the screen's clock: when the file is made.
    pub now: jiff::Timestamp,
    /// Bulletin: the issuing office; the usual name when `None`.
    pub issuer: Option<String>,
    /// Bulletin: 主送, 抄送, 文号 pattern and serial, 印发机关.
    pub office_docs: anfang_export::OfficeDocs,
}

/// I/O the export screen asks the runtime for.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportEffect {
    /// Write the export.
    Run(ExportRequest),
}

/// What the runtime answers.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportReply {
    /// Findings written so far.
    Progress {
        /// Written.
        done: u64,
        /// To write.
        total: u64,
    },
    /// The export finished, or failed (the reason in one line).
    Done(Result<Exported, String>),
}

/// The export screen's state.
#[derive(Debug, Clone)]
pub struct ExportState {
    /// The format.
    pub format: Format,
    /// The file to write.
    pub out: TextArea<'static>,
    /// First day.
    pub from: TextArea<'static>,
    /// Last day.
    pub to: TextArea<'static>,
    /// Unit name.
    pub unit: TextArea<'static>,
    /// Department name.
    pub department: TextArea<'static>,
    /// Review status, `None` for every status.
    pub status: Option<ReviewStatus>,
    /// Pseudonyms for people.
    pub anonymize: bool,
    /// XLSX: list compliant and not-applicable results too.
    pub include_compliant: bool,
    /// The focused field.
    pub focus: Field,
    /// Findings written and to write, while the export runs.
    pub running: Option<(u64, u64)>,
    /// How the last export ended.
    pub outcome: Option<Result<Exported, String>>,
    /// Units the ledger knows, offered while a unit or department is typed.
    pub known: Vec<Unit>,
    /// Bulletin: the office's fields.
    pub documents: DocumentFields,
}

impl ExportState {
    /// A form for everything, as CSV, to `anfang-<today>.csv`; `known`
    /// units are offered as the unit or department is typed.
    pub fn new(ctx: &Ctx<'_>, known: Vec<Unit>) -> ExportState {
        let today = today(ctx);
        ExportState {
            format: Format::Csv,
            out: field::line(&format!("anfang-{today}.csv")),
            from: field::line(""),
            to: field::line(""),
            unit: field::line(""),
            department: field::line(""),
            status: None,
            anonymize: false,
            include_compliant: false,
            focus: Field::Format,
            running: None,
            outcome: None,
            known,
            documents: DocumentFields::new(ctx.documents),
        }
    }

    /// The fields shown for the chosen format, in the order Tab visits them.
    pub fn fields(&self) -> Vec<Field> {
        let bulletin = documents::is_bulletin(self.format);
        FIELDS
            .into_iter()
            .chain(documents::BULLETIN_FIELDS.into_iter().filter(|_| bulletin))
            .collect()
    }

    /// Known names matching what is typed in the focused unit or
    /// department field (all of them while it is empty), without repeats.
    pub fn suggestions(&self) -> Vec<&str> {
        let (typed, names): (String, Vec<&str>) = match self.focus {
            Field::Unit => (
                field::text(&self.unit),
                self.known.iter().map(|u| u.name.as_str()).collect(),
            ),
            Field::Department => (
                field::text(&self.department),
                self.known.iter().map(|u| u.department.as_str()).collect(),
            ),
            _ => return Vec::new(),
        };
        let typed = typed.trim();
        let mut out: Vec<&str> = Vec::new();
        for name in names {
            if name.contains(typed) && !out.contains(&name) {
                out.push(name);
            }
        }
        out
    }

    /// Completes a typed unit or department to the first known name that
    /// contains it; returns whether anything changed.
    fn complete(&mut self) -> bool {
        let typed = self.field_mut().map(|f| field::text(f)).unwrap_or_default();
        let typed = typed.trim().to_string();
        let suggestions = self.suggestions();
        if typed.is_empty() || suggestions.contains(&typed.as_str()) {
            return false;
        }
        let Some(first) = suggestions.first().map(|s| s.to_string()) else {
            return false;
        };
        if let Some(area) = self.field_mut() {
            *area = field::line(&first);
        }
        true
    }

    /// The focused text field, if the focus is on one.
    pub fn field_mut(&mut self) -> Option<&mut TextArea<'static>> {
        match self.focus {
            Field::Out => Some(&mut self.out),
            Field::From => Some(&mut self.from),
            Field::To => Some(&mut self.to),
            Field::Unit => Some(&mut self.unit),
            Field::Department => Some(&mut self.department),
            Field::Format | Field::Status | Field::Anonymize | Field::Compliant => None,
            other => self.documents.area_mut(other),
        }
    }

    /// Whether the focus is on a text field.
    pub fn typing(&self) -> bool {
        !matches!(
            self.focus,
            Field::Format | Field::Status | Field::Anonymize | Field::Compliant
        )
    }

    /// Whether an export is under way (the screen cannot be left then).
    pub fn busy(&self) -> bool {
        self.running.is_some()
    }

    fn move_focus(&mut self, delta: isize) {
        let fields = self.fields();
        let i = fields.iter().position(|f| *f == self.focus).unwrap_or(0) as isize;
        self.focus = fields[(i + delta).rem_euclid(fields.len() as isize) as usize];
    }

    /// Whether the focus is on the form's last field (Enter there writes).
    fn on_last_field(&self) -> bool {
        self.fields().last() == Some(&self.focus)
    }

    /// Changes the format; an output name ending in the old format's
    /// extension takes the new one.
    fn cycle_format(&mut self, delta: isize) {
        let i = Format::ALL
            .iter()
            .position(|f| *f == self.format)
            .unwrap_or(0) as isize;
        let next = Format::ALL[(i + delta).rem_euclid(Format::ALL.len() as isize) as usize];
        let out = field::text(&self.out);
        let old = format!(".{}", self.format.name());
        if let Some(stem) = out.strip_suffix(&old) {
            self.out = field::line(&format!("{stem}.{}", next.name()));
        }
        self.format = next;
    }

    fn cycle_status(&mut self, delta: isize) {
        let choices: Vec<Option<ReviewStatus>> = std::iter::once(None)
            .chain(ReviewStatus::ALL.into_iter().map(Some))
            .collect();
        let i = choices.iter().position(|s| *s == self.status).unwrap_or(0) as isize;
        self.status = choices[(i + delta).rem_euclid(choices.len() as isize) as usize];
    }

    fn cycle(&mut self, delta: isize) {
        match self.focus {
            Field::Format => self.cycle_format(delta),
            Field::Status => self.cycle_status(delta),
            Field::Anonymize => self.anonymize = !self.anonymize,
            Field::Compliant => self.include_compliant = !self.include_compliant,
            _ => {}
        }
    }
}

/// Today in the user's time zone.
pub fn today(ctx: &Ctx<'_>) -> Date {
    ctx.tz.to_datetime(ctx.now).date()
}

/// Checks the form. A bad value gives the field to focus and a message
/// naming the value.
pub fn request(form: &ExportState, ctx: &Ctx<'_>) -> Result<ExportRequest, (Field, String)> {
    let lang = ctx.lang;
    let out = field::text(&form.out).trim().to_string();
    if out.is_empty() {
        return Err((Field::Out, t(lang, "export.need_out").to_string()));
    }
    // `report.docx` written as CSV would open as garbage: a name ending in
    // another format's extension is a slip, named rather than obeyed.
    let extension = std::path::Path::new(&out)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase());
    if let Some(other) = Format::ALL
        .into_iter()
        .find(|f| Some(f.name()) == extension.as_deref())
        && other != form.format
    {
        return Err((
            Field::Out,
            tf(
                lang,
                "export.wrong_extension",
                &[
                    ("file", &out),
                    ("format", &form.format.name().to_uppercase()),
                ],
            ),
        ));
    }
    let date = |area: &TextArea<'_>, which: Field, label: &'static str| {
        let value = field::text(area).trim().to_string();
        if value.is_empty() {
            return Ok(None);
        }
        value.parse::<Date>().map(Some).map_err(|_| {
            (
                which,
                tf(
                    lang,
                    "export.bad_date",
                    &[("field", &t(lang, label)), ("value", &value)],
                ),
            )
        })
    };
    let from = date(&form.from, Field::From, "export.from")?;
    let to = date(&form.to, Field::To, "export.to")?;
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        return Err((
            Field::To,
            tf(lang, "export.reversed", &[("from", &from), ("to", &to)]),
        ));
    }
    let name = |area: &TextArea<'_>| {
        let value = field::text(area).trim().to_string();
        (!value.is_empty()).then_some(value)
    };
    // The office fields count only for a bulletin, the only format that
    // prints them (and the only one showing them).
    let (issuer, office_docs) = if documents::is_bulletin(form.format) {
        form.documents.options(lang)?
    } else {
        Default::default()
    };
    Ok(ExportRequest {
        format: form.format,
        out: PathBuf::from(out),
        from,
        to,
        unit: name(&form.unit),
        department: name(&form.department),
        status: form.status,
        anonymize: form.anonymize,
        include_compliant: form.include_compliant,
        today: today(ctx),
        now: ctx.now,
        issuer,
        office_docs,
    })
}

/// A key typed into the focused field.
pub fn input(form: &mut ExportState, key: KeyEvent) {
    if let Some(area) = form.field_mut() {
        field::feed(area, key, false);
    }
}

/// Pasted text goes into the focused field, on one line.
pub fn paste(form: &mut ExportState, text: &str) {
    if let Some(area) = form.field_mut() {
        area.insert_str(text.replace(['\n', '\r'], " ").trim());
    }
}

/// Runs a command on the form.
pub fn update(form: &mut ExportState, ctx: &Ctx<'_>, command: Command) -> Out {
    if form.busy() {
        return match command {
            Command::Back | Command::Quit | Command::Run | Command::Select => {
                Out::error(t(ctx.lang, "export.wait"))
            }
            _ => Out::none(),
        };
    }
    match command {
        Command::Back | Command::Quit => return Out::nav(Nav::Pop),
        Command::NextField | Command::Down => form.move_focus(1),
        Command::PrevField | Command::Up => form.move_focus(-1),
        Command::Toggle | Command::NextTab => form.cycle(1),
        Command::PrevTab => form.cycle(-1),
        Command::Select if form.on_last_field() => return run(form, ctx),
        Command::Select => {
            // Enter on a partly typed unit or department first takes the
            // first known name that contains it.
            let completed = form.complete();
            if !completed {
                form.move_focus(1);
            }
        }
        Command::Run => return run(form, ctx),
        _ => {}
    }
    Out::none()
}

/// Checks the form and asks the runtime to write the file.
fn run(form: &mut ExportState, ctx: &Ctx<'_>) -> Out {
    match request(form, ctx) {
        Ok(request) => {
            form.running = Some((0, 0));
            form.outcome = None;
            Out::effect(Effect::Export(ExportEffect::Run(request)))
        }
        Err((field, message)) => {
            form.focus = field;
            form.outcome = Some(Err(message.clone()));
            Out::error(message)
        }
    }
}

/// "Wrote 1634 rows to file: 787 findings, 847 compliant or not
/// applicable": the findings worded and counted as Review counts them.
pub fn done_message(done: &Exported, lang: anfang_core::Lang) -> String {
    let findings = tf(lang, "review.count", &[("n", &done.violations)]);
    tf(
        lang,
        "export.done",
        &[
            ("rows", &done.rows),
            ("file", &done.path.display()),
            ("findings", &findings),
            ("other", &done.rows.saturating_sub(done.violations)),
        ],
    )
}

/// Takes the runtime's answer.
pub fn reply(form: &mut ExportState, ctx: &Ctx<'_>, reply: ExportReply) -> Out {
    let lang = ctx.lang;
    match reply {
        ExportReply::Progress { done, total } => {
            if form.running.is_some() {
                form.running = Some((done, total));
            }
            Out::none()
        }
        ExportReply::Done(result) => {
            form.running = None;
            let out = match &result {
                Ok(done) => Out::info(done_message(done, lang)),
                Err(message) => Out::error(message.clone()),
            };
            form.outcome = Some(result);
            out
        }
    }
}

/// A click focuses the field on that row; on a choice it also moves the
/// choice on.
pub fn click(form: &mut ExportState, ctx: &Ctx<'_>, _x: u16, y: u16) {
    if form.busy() {
        return;
    }
    let rows = view::field_rows(form, ctx.size);
    if let Some((field, _)) = rows.iter().find(|(_, r)| r.y == y) {
        if form.focus == *field {
            form.cycle(1);
        }
        form.focus = *field;
    }
}
