//! The bulletin (通报) draft for a period: summary figures, ranking with
//! grades, typical problems, the rectification list. One model, rendered
//! as a printable web page and as a Word document with the same words.

mod docx;
mod html;
mod model;
mod texts;

pub(crate) use docx::{core_part, write_docx, write_package};
pub(crate) use html::write_html;
pub(crate) use model::date_words;
pub use model::{Bulletin, Named};
