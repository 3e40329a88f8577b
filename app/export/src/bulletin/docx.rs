//! The bulletin as a Word document: a zip of WordprocessingML parts.
//!
//! Written by hand from templates rather than with a DOCX library: the
//! bulletin is a fixed, small document (headings, paragraphs, three
//! tables), and this keeps one zip version in the build (the one the XLSX
//! writer uses). Fonts: body 仿宋, headings 黑体, title 宋体, declared as
//! East Asian fonts in the styles and the font table, language zh-CN, so
//! Word and WPS pick Chinese faces instead of substituting a Latin one.

use crate::error::ExportError;
use crate::paper::Paper;
use std::io::{Seek, Write};
use zip::write::SimpleFileOptions;

const CORE: &str = include_str!("docx_parts/core.xml");

/// Static parts: (path in the package, content).
const STATIC_PARTS: [(&str, &str); 8] = [
    (
        "[Content_Types].xml",
        include_str!("docx_parts/content_types.xml"),
    ),
    ("_rels/.rels", include_str!("docx_parts/rels.xml")),
    (
        "word/_rels/document.xml.rels",
        include_str!("docx_parts/document_rels.xml"),
    ),
    ("word/styles.xml", include_str!("docx_parts/styles.xml")),
    ("word/settings.xml", include_str!("docx_parts/settings.xml")),
    // Page numbers, "— 1 —": odd pages at the right, even at the left,
    // as GB/T 9704 places them.
    ("word/footer1.xml", include_str!("docx_parts/footer.xml")),
    (
        "word/footer2.xml",
        include_str!("docx_parts/footer_even.xml"),
    ),
    (
        "word/fontTable.xml",
        include_str!("docx_parts/font_table.xml"),
    ),
];

/// Packs a Word document from its generated `word/document.xml` and
/// `docProps/core.xml` and the parts every document here shares (styles
/// with Chinese fonts, settings, font table).
pub(crate) fn write_package<W: Write + Seek>(
    out: W,
    document: &str,
    core: &str,
) -> Result<(), ExportError> {
    let mut zip = zip::ZipWriter::new(out);
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let app = include_str!("docx_parts/app.xml");
    let parts = STATIC_PARTS.iter().copied().chain([
        ("word/document.xml", document),
        ("docProps/core.xml", core),
        ("docProps/app.xml", app),
    ]);
    for (name, content) in parts {
        zip.start_file(name, options)?;
        zip.write_all(content.as_bytes())?;
    }
    let mut file = zip.finish()?;
    file.flush()?;
    Ok(())
}

/// Renders `docProps/core.xml`: title, author and when made (the time the
/// paper was made by its caller's clock, not the machine's).
pub(crate) fn core_part(paper: &Paper) -> Result<String, ExportError> {
    let mut env = minijinja::Environment::new();
    env.add_template("core.xml", CORE)?;
    let created = paper.made.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    Ok(env.get_template("core.xml")?.render(minijinja::context! {
        title => &paper.title,
        issuer => &paper.issuer,
        lang => paper.lang,
        created => created,
    })?)
}
