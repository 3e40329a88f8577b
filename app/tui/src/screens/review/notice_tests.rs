//! `N` on Review writes the rectification notice to the current finding's
//! unit, through the runtime with a real ledger: refused by name while
//! nothing is ordered, then written as a Word document to the working
//! folder once a rectification is, in both languages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::tests::runtime::{app, ledger_with_findings, run, today_of};
use super::tests::{code, key, typed};
use crate::state::Status;
use anfang_core::Lang;
use crossterm::event::KeyCode;
use std::io::Read;

const UNIT: &str = "市税务局第一税务分局办税服务厅";

fn notice_for(lang: Lang) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let ledger = ledger_with_findings(dir.path(), 3);
    let mut app = app(ledger);
    app.state.lang = lang;
    app.work_dir = work.path().to_path_buf();
    app.dispatch(crate::action::Action::Resize(80, 24));
    run(&mut app, vec![key('r')]);
    // Nothing ordered yet: said, and no file.
    run(&mut app, vec![key('N')]);
    let Some(Status::Error(refused)) = app.state.status.clone() else {
        panic!("{:?}", app.state.status);
    };
    assert!(refused.contains(UNIT), "{refused}");
    assert_eq!(std::fs::read_dir(work.path()).unwrap().count(), 0);
    // Order a rectification, then write the notice.
    let deadline = today_of(&app.state) + jiff::Span::new().days(10);
    let mut events = vec![key('r')];
    events.extend(vec![code(KeyCode::Backspace); 10]);
    events.extend(typed(&deadline.to_string()));
    events.push(code(KeyCode::Enter));
    run(&mut app, events);
    run(&mut app, vec![key('N')]);
    let Some(Status::Info(said)) = app.state.status.clone() else {
        panic!("{:?}", app.state.status);
    };
    let file = std::fs::read_dir(work.path())
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let mut xml = String::new();
    zip::ZipArchive::new(std::fs::File::open(&file).unwrap())
        .unwrap()
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains(UNIT), "{xml}");
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    assert!(said.contains(&name), "{said}");
    (said, name)
}

#[test]
fn n_writes_the_rectification_notice_for_the_findings_unit() {
    let (said, name) = notice_for(Lang::Zh);
    assert!(said.starts_with("已写出整改通知书："), "{said}");
    assert!(name.starts_with(&format!("整改通知书-{UNIT}-")), "{name}");
    let (said, name) = notice_for(Lang::En);
    assert!(
        said.starts_with("Wrote the rectification notice to "),
        "{said}"
    );
    assert!(
        name.starts_with(&format!("rectification-notice-{UNIT}-")),
        "{name}"
    );
}

/// The Review help lists the notice key with the others, in both languages.
#[test]
fn review_help_lists_the_notice_key() {
    use crate::screens::overlay::Overlay;
    super::tests::check("review_help", |lang, size| {
        let mut state = super::tests::opened(lang, size);
        state.overlay = Some(Overlay::Help {
            contexts: state.screen().contexts(),
            scroll: 0,
        });
        state
    });
}
