//! The export form's bulletin fields: offered only for a bulletin format,
//! started from the office's settings, checked by name, drawn in both
//! languages and sizes, and passed into a real bulletin written from a
//! ledger, where the issuer, 主送, 抄送 and 文号 are found.

use super::fixtures::*;
use super::merge::{app, record_visit, run};
use super::snapshots::{check, ctx, home_state};
use crate::effect::Effect;
use crate::screens::export::{DocumentDefaults, ExportEffect, ExportState, Exported, Field};
use crate::state::{Screen, State, Status};
use crate::widgets::field;
use anfang_core::Lang;
use anfang_export::{Format, OfficeDocs};
use anfang_ledger::Ledger;
use crossterm::event::KeyCode;
use std::io::Read;

/// The office's settings as `[documents]` in `settings.toml` gives them.
fn office() -> DocumentDefaults {
    DocumentDefaults {
        issuer: Some("滨江市作风效能建设领导小组办公室".into()),
        office: OfficeDocs {
            addressees: Some("各县（区）效能办，市直各单位".into()),
            copies: Some("市纪委监委".into()),
            number_pattern: Some("滨效办〔{year}〕{n}号".into()),
            serial: None,
            printer: None,
        },
    }
}

fn form(state: &State) -> &ExportState {
    match state.screen() {
        Screen::Export(form) => form,
        other => panic!("not on the export screen: {other:?}"),
    }
}

/// The export screen opened from Home with the office's settings.
fn on_export(lang: Lang) -> State {
    let mut state = state(lang);
    state.documents = office();
    feed(&mut state, [key('x')]);
    state
}

fn clear() -> Vec<crossterm::event::Event> {
    let mut events = vec![code(KeyCode::End)];
    events.extend(std::iter::repeat_n(code(KeyCode::Backspace), 60));
    events
}

#[test]
fn the_office_fields_show_only_for_a_bulletin_and_start_from_the_settings() {
    let mut state = on_export(Lang::Zh);
    // CSV: the last field is the XLSX one; Tab goes round to the format.
    assert!(!form(&state).fields().contains(&Field::Issuer));
    feed(&mut state, [code(KeyCode::BackTab)]);
    assert_eq!(form(&state).focus, Field::Compliant);
    feed(&mut state, [code(KeyCode::Tab)]);
    assert_eq!(form(&state).focus, Field::Format);
    // HTML, then DOCX: the five office fields follow, filled in.
    feed(
        &mut state,
        [
            code(KeyCode::Right),
            code(KeyCode::Right),
            code(KeyCode::Right),
        ],
    );
    assert_eq!(form(&state).format, Format::Html);
    assert_eq!(
        form(&state).fields()[9..],
        [
            Field::Issuer,
            Field::Addressees,
            Field::Copies,
            Field::NumberPattern,
            Field::Serial
        ]
    );
    let docs = &form(&state).documents;
    assert_eq!(
        field::text(&docs.issuer),
        "滨江市作风效能建设领导小组办公室"
    );
    assert_eq!(
        field::text(&docs.addressees),
        "各县（区）效能办，市直各单位"
    );
    assert_eq!(field::text(&docs.copies), "市纪委监委");
    assert_eq!(field::text(&docs.number_pattern), "滨效办〔{year}〕{n}号");
    assert_eq!(field::text(&docs.serial), "");
    feed(&mut state, [code(KeyCode::BackTab)]);
    assert_eq!(form(&state).focus, Field::Serial);
    // Typed into and written as the command line's flags would be.
    feed(&mut state, typed("12"));
    feed(&mut state, [code(KeyCode::BackTab), code(KeyCode::BackTab)]);
    assert_eq!(form(&state).focus, Field::Copies);
    feed(&mut state, typed("，市委组织部"));
    let effects = feed(&mut state, [ctrl('s')]);
    let [Effect::Export(ExportEffect::Run(request))] = effects.as_slice() else {
        panic!("{effects:?} {:?}", state.status)
    };
    assert_eq!(request.format, Format::Html);
    assert_eq!(
        request.issuer.as_deref(),
        Some("滨江市作风效能建设领导小组办公室")
    );
    assert_eq!(
        request.office_docs,
        OfficeDocs {
            addressees: Some("各县（区）效能办，市直各单位".into()),
            copies: Some("市纪委监委，市委组织部".into()),
            number_pattern: Some("滨效办〔{year}〕{n}号".into()),
            serial: Some("12".into()),
            printer: None,
        }
    );
}

#[test]
fn a_spreadsheet_export_carries_no_office_fields() {
    let mut state = on_export(Lang::En);
    let effects = feed(&mut state, [ctrl('s')]);
    let [Effect::Export(ExportEffect::Run(request))] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(request.format, Format::Csv);
    assert_eq!(request.issuer, None);
    assert_eq!(request.office_docs, OfficeDocs::default());
}

#[test]
fn a_bad_pattern_or_serial_is_named_and_nothing_runs() {
    let mut state = on_export(Lang::En);
    feed(&mut state, [code(KeyCode::Left)]);
    assert_eq!(form(&state).format, Format::Docx);
    // Blank fields take the usual words; a blank serial is left to the hand.
    feed(&mut state, [code(KeyCode::BackTab), code(KeyCode::BackTab)]);
    assert_eq!(form(&state).focus, Field::NumberPattern);
    let mut events = clear();
    events.extend(typed("滨效办〔{yaer}〕{n}号"));
    events.push(ctrl('s'));
    assert!(feed(&mut state, events).is_empty());
    assert!(
        matches!(&state.status, Some(Status::Error(m))
            if m.contains("\"滨效办〔{yaer}〕{n}号\"") && m.contains("\"{yaer}\"") && !m.contains('\n')),
        "{:?}",
        state.status
    );
    assert_eq!(form(&state).focus, Field::NumberPattern);
    let mut events = clear();
    events.extend(typed("滨效办〔{year}〕{n}号"));
    events.push(code(KeyCode::Tab));
    events.extend(typed("十二"));
    events.push(code(KeyCode::F(2)));
    assert!(feed(&mut state, events).is_empty());
    assert!(
        matches!(&state.status, Some(Status::Error(m)) if m.contains("\"十二\"") && m.contains("Serial")),
        "{:?}",
        state.status
    );
    assert_eq!(form(&state).focus, Field::Serial);
    // Fixed, Enter on the last field writes.
    let mut events = clear();
    events.extend(typed("12"));
    events.push(code(KeyCode::Enter));
    let effects = feed(&mut state, events);
    assert!(
        matches!(effects.as_slice(), [Effect::Export(ExportEffect::Run(r))] if r.office_docs.serial.as_deref() == Some("12")),
        "{effects:?}"
    );
}

// Snapshots.

fn bulletin_state(lang: Lang, size: (u16, u16), build: impl FnOnce(&mut ExportState)) -> State {
    let mut state = home_state(lang, size);
    state.documents = office();
    let mut form = ExportState::new(&ctx(&state), Vec::new());
    form.format = Format::Docx;
    form.out = field::line("/home/王检查/导出/2026年第三季度通报.docx");
    form.from = field::line("2026-07-01");
    form.to = field::line("2026-09-30");
    build(&mut form);
    state.stack.push(Screen::Export(Box::new(form)));
    state
}

#[test]
fn snapshot_bulletin() {
    check("export_bulletin", |lang, size| {
        bulletin_state(lang, size, |form| {
            form.documents.serial = field::line("12");
            form.focus = Field::Copies;
        })
    });
}

#[test]
fn snapshot_bulletin_unset() {
    // Nothing set: each field says what leaving it empty means.
    check("export_bulletin_unset", |lang, size| {
        let mut state = bulletin_state(lang, size, |form| form.focus = Field::Format);
        if let Some(Screen::Export(form)) = state.stack.last_mut() {
            form.documents = crate::screens::export::DocumentFields::new(&Default::default());
        }
        state
    });
}

#[test]
fn snapshot_bulletin_bad_serial() {
    check("export_bulletin_bad_serial", |lang, size| {
        let mut state = bulletin_state(lang, size, |form| {
            form.documents.serial = field::line("十二");
            form.focus = Field::Format;
        });
        feed(&mut state, [ctrl('s')]);
        state
    });
}

// The runtime, for real.

fn docx_text(path: &std::path::Path) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

#[test]
fn a_bulletin_written_from_the_form_carries_the_office_fields() {
    let data = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    {
        let mut ledger = Ledger::open(data.path()).unwrap();
        record_visit(
            &mut ledger,
            "市税务局第一税务分局办税服务厅",
            &["九点零五分到岗"],
        );
    }
    let mut app = app(data.path(), Lang::Zh);
    app.state.documents = office();
    let out = out_dir.path().join("通报.docx");
    // DOCX (one to the left of CSV), then the file.
    let mut events = vec![key('x'), code(KeyCode::Left), code(KeyCode::Tab)];
    events.extend(clear());
    events.extend(clear());
    events.extend(typed(&out.display().to_string()));
    // Back round past the format to the serial, the last field, and to
    // the 主送 before it.
    events.extend([code(KeyCode::BackTab), code(KeyCode::BackTab)]);
    events.extend(typed("12"));
    events.extend([
        code(KeyCode::BackTab),
        code(KeyCode::BackTab),
        code(KeyCode::BackTab),
    ]);
    events.extend(clear());
    events.extend(typed("市直各单位"));
    events.push(ctrl('s'));
    run(&mut app, events);
    app.wait();
    let Screen::Export(form) = app.state.screen() else {
        panic!("{:?}", app.state.status)
    };
    assert!(
        matches!(&form.outcome, Some(Ok(Exported { path, .. })) if *path == out),
        "{:?} {:?}",
        form.outcome,
        app.state.status
    );
    let xml = docx_text(&out);
    // The 文号 carries the year of the day it is dated (the clock's).
    let year = crate::screens::export::today(&app.state.ctx()).year();
    for expected in [
        "滨江市作风效能建设领导小组办公室".to_string(),
        "市直各单位：".to_string(),
        "抄送：市纪委监委。".to_string(),
        format!("滨效办〔{year}〕12号"),
    ] {
        assert!(xml.contains(&expected), "{expected} not in the bulletin");
    }
    assert!(
        !xml.contains("各县（区）效能办"),
        "the 主送 typed replaces the setting"
    );
}
