//! The rectification notice (整改通知书) to the unit of the finding under
//! the cursor, written as a Word document to the working folder: what
//! `anfang export --notice UNIT` writes, dated today.

use super::{ReviewState, today};
use crate::effect::Effect;
use crate::i18n::t;
use crate::screens::{Ctx, Out};

/// Asks for the notice to the current finding's unit.
pub fn write(review: &ReviewState, ctx: &Ctx<'_>) -> Out {
    let Some(row) = review.window.current() else {
        return Out::none();
    };
    Out::effect(Effect::WriteNotice {
        unit: row.unit.clone(),
        out: file_name(&row.unit, today(ctx), ctx),
    })
}

/// `整改通知书-<unit>-<day>.docx`, the unit's name made safe for a file name.
fn file_name(unit: &str, day: jiff::civil::Date, ctx: &Ctx<'_>) -> std::path::PathBuf {
    let unit: String = unit
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let what = t(ctx.lang, "review.notice_file");
    std::path::PathBuf::from(format!("{what}-{unit}-{day}.docx"))
}
