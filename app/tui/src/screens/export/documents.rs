//! The bulletin's office fields on the export form (发文机关, 主送, 抄送,
//! 文号 pattern and serial): offered only for the bulletin formats,
//! started from the office's `[documents]` settings, and turned into the
//! export's options the way the command line's flags are.

use super::Field;
use crate::i18n::tf;
use crate::widgets::field;
use anfang_core::Lang;
use anfang_export::{BadOfficeDoc, Format, OfficeDocs};
use ratatui_textarea::TextArea;

/// What the office writes on its bulletins, as `settings.toml` sets it:
/// the form's starting values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentDefaults {
    /// 发文机关.
    pub issuer: Option<String>,
    /// 主送, 抄送, 文号 pattern and 印发机关 (a serial is never a setting).
    pub office: OfficeDocs,
}

/// The office fields as typed.
#[derive(Debug, Clone)]
pub struct DocumentFields {
    /// 发文机关.
    pub issuer: TextArea<'static>,
    /// 主送.
    pub addressees: TextArea<'static>,
    /// 抄送.
    pub copies: TextArea<'static>,
    /// 文号 pattern, `{year}` and `{n}` filled in.
    pub number_pattern: TextArea<'static>,
    /// The serial number for `{n}`.
    pub serial: TextArea<'static>,
    /// 印发机关 from the settings; not on the form, passed on as set.
    printer: Option<String>,
}

/// The fields shown only while a bulletin format is chosen.
pub const BULLETIN_FIELDS: [Field; 5] = [
    Field::Issuer,
    Field::Addressees,
    Field::Copies,
    Field::NumberPattern,
    Field::Serial,
];

/// Whether `format` writes a bulletin (通报).
pub fn is_bulletin(format: Format) -> bool {
    matches!(format, Format::Html | Format::Docx)
}

/// A value as typed: trimmed, and `None` when blank (the usual words then).
fn value(area: &TextArea<'_>) -> Option<String> {
    let text = field::text(area).trim().to_string();
    (!text.is_empty()).then_some(text)
}

impl DocumentFields {
    /// The fields filled in from the office's settings.
    pub fn new(defaults: &DocumentDefaults) -> DocumentFields {
        let line = |v: &Option<String>| field::line(v.as_deref().unwrap_or(""));
        DocumentFields {
            issuer: line(&defaults.issuer),
            addressees: line(&defaults.office.addressees),
            copies: line(&defaults.office.copies),
            number_pattern: line(&defaults.office.number_pattern),
            serial: line(&defaults.office.serial),
            printer: defaults.office.printer.clone(),
        }
    }

    /// The text field of `focus`, if it is one of these.
    pub fn area_mut(&mut self, focus: Field) -> Option<&mut TextArea<'static>> {
        match focus {
            Field::Issuer => Some(&mut self.issuer),
            Field::Addressees => Some(&mut self.addressees),
            Field::Copies => Some(&mut self.copies),
            Field::NumberPattern => Some(&mut self.number_pattern),
            Field::Serial => Some(&mut self.serial),
            _ => None,
        }
    }

    /// The text field of `f`, if it is one of these.
    pub fn area(&self, f: Field) -> Option<&TextArea<'static>> {
        match f {
            Field::Issuer => Some(&self.issuer),
            Field::Addressees => Some(&self.addressees),
            Field::Copies => Some(&self.copies),
            Field::NumberPattern => Some(&self.number_pattern),
            Field::Serial => Some(&self.serial),
            _ => None,
        }
    }

    /// The issuer and office parts for the export, checked as the command
    /// line checks its flags; a bad value gives its field and a message
    /// naming it.
    pub fn options(&self, lang: Lang) -> Result<(Option<String>, OfficeDocs), (Field, String)> {
        let office = OfficeDocs {
            addressees: value(&self.addressees),
            copies: value(&self.copies),
            number_pattern: value(&self.number_pattern),
            serial: value(&self.serial),
            printer: self.printer.clone(),
        };
        match office.check() {
            Ok(()) => Ok((value(&self.issuer), office)),
            Err(BadOfficeDoc::Placeholder {
                pattern,
                placeholder,
            }) => Err((
                Field::NumberPattern,
                tf(
                    lang,
                    "export.bad_pattern",
                    &[("pattern", &pattern), ("placeholder", &placeholder)],
                ),
            )),
            Err(BadOfficeDoc::Serial(serial)) => Err((
                Field::Serial,
                tf(lang, "export.bad_serial", &[("value", &serial)]),
            )),
        }
    }
}
