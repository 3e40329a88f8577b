//! The export screen: `update` fed with keys (no I/O), drawn in both
//! languages and sizes, and run for real: a CSV written from a ledger
//! through the screen's effect and read back.

use super::fixtures::*;
use super::merge::{app, record_visit, run};
use super::snapshots::{check, ctx, home_state};
use crate::action::Action;
use crate::effect::Effect;
use crate::screens::export::{ExportEffect, ExportReply, ExportState, Exported, Field};
use crate::state::{Screen, State, Status};
use crate::update::update;
use crate::widgets::field;
use anfang_core::Lang;
use anfang_core::review::ReviewStatus;
use anfang_export::Format;
use anfang_ledger::Ledger;
use crossterm::event::KeyCode;
use std::path::PathBuf;

fn form(state: &State) -> &ExportState {
    match state.screen() {
        Screen::Export(form) => form,
        other => panic!("not on the export screen: {other:?}"),
    }
}

fn on_export(lang: Lang) -> State {
    let mut state = state(lang);
    feed(&mut state, [key('x')]);
    form(&state);
    state
}

fn clear() -> Vec<crossterm::event::Event> {
    let mut events = vec![code(KeyCode::End)];
    events.extend(std::iter::repeat_n(code(KeyCode::Backspace), 120));
    events
}

#[test]
fn home_x_opens_a_form_for_everything_as_csv_named_for_today() {
    let mut state = on_export(Lang::Zh);
    let f = form(&state);
    assert_eq!(f.format, Format::Csv);
    assert_eq!(field::text(&f.out), "anfang-2026-11-24.csv");
    assert_eq!(f.focus, Field::Format);
    // Space and the arrows change the format; the file name follows.
    feed(&mut state, [key(' '), code(KeyCode::Right)]);
    assert_eq!(form(&state).format, Format::Json);
    assert_eq!(field::text(&form(&state).out), "anfang-2026-11-24.json");
    feed(&mut state, [code(KeyCode::Left)]);
    assert_eq!(form(&state).format, Format::Xlsx);
    assert_eq!(field::text(&form(&state).out), "anfang-2026-11-24.xlsx");
}

#[test]
fn a_bad_date_is_named_and_nothing_runs() {
    let mut state = on_export(Lang::En);
    // Format, output, from: type a month that does not exist.
    let mut events = vec![code(KeyCode::Tab), code(KeyCode::Tab)];
    events.extend(typed("2026-13-01"));
    events.push(ctrl('s'));
    let effects = feed(&mut state, events);
    assert!(effects.is_empty());
    assert!(
        matches!(&state.status, Some(Status::Error(m)) if m.contains("\"2026-13-01\"") && m.contains("From")),
        "{:?}",
        state.status
    );
    assert_eq!(form(&state).focus, Field::From);
    assert!(matches!(&form(&state).outcome, Some(Err(m)) if m.contains("2026-13-01")));
    // A period that ends before it starts names both days; focus on "to".
    let mut events = clear();
    events.extend(typed("2026-11-30"));
    events.push(code(KeyCode::Tab));
    events.extend(typed("2026-11-01"));
    events.push(code(KeyCode::F(2)));
    let effects = feed(&mut state, events);
    assert!(effects.is_empty());
    assert!(
        matches!(&state.status, Some(Status::Error(m)) if m.contains("2026-11-30") && m.contains("2026-11-01")),
        "{:?}",
        state.status
    );
    assert_eq!(form(&state).focus, Field::To);
    // An empty output file is named too.
    let mut events = vec![code(KeyCode::BackTab), code(KeyCode::BackTab)];
    events.extend(clear());
    events.push(ctrl('s'));
    assert!(feed(&mut state, events).is_empty());
    assert_eq!(form(&state).focus, Field::Out);
}

#[test]
fn a_filled_form_asks_for_the_export_and_shows_how_it_ended() {
    let mut state = on_export(Lang::Zh);
    let mut events = vec![code(KeyCode::Tab)];
    events.extend(clear());
    events.extend(typed("/tmp/通报.csv"));
    events.push(code(KeyCode::Tab));
    events.extend(typed("2026-11-01"));
    events.push(code(KeyCode::Tab));
    events.extend(typed("2026-11-30"));
    events.push(code(KeyCode::Tab));
    events.extend(typed("市规划局"));
    events.extend([code(KeyCode::Tab), code(KeyCode::Tab)]);
    // Status: all -> pending -> confirmed.
    events.extend([key(' '), code(KeyCode::Right)]);
    // Anonymize on, compliant rows too; Enter on the last field exports.
    events.extend([code(KeyCode::Down), key(' ')]);
    events.extend([code(KeyCode::Down), key(' '), code(KeyCode::Enter)]);
    let effects = feed(&mut state, events);
    let [Effect::Export(ExportEffect::Run(request))] = effects.as_slice() else {
        panic!("{effects:?} {:?}", state.status)
    };
    assert_eq!(request.format, Format::Csv);
    assert_eq!(request.out, PathBuf::from("/tmp/通报.csv"));
    assert_eq!(request.from, Some(jiff::civil::date(2026, 11, 1)));
    assert_eq!(request.to, Some(jiff::civil::date(2026, 11, 30)));
    assert_eq!(request.unit.as_deref(), Some("市规划局"));
    assert_eq!(request.department, None);
    assert_eq!(request.status, Some(ReviewStatus::Confirmed));
    assert!(request.anonymize);
    assert!(request.include_compliant);
    assert_eq!(request.today, jiff::civil::date(2026, 11, 24));
    assert!(form(&state).busy());
    // Running: the screen stays and starts nothing else.
    assert!(feed(&mut state, [code(KeyCode::Esc), ctrl('s')]).is_empty());
    assert!(matches!(state.screen(), Screen::Export(_)));
    update(
        &mut state,
        Action::Export(ExportReply::Progress {
            done: 4096,
            total: 10_000,
        }),
    );
    assert_eq!(form(&state).running, Some((4096, 10_000)));
    let done = Exported {
        path: PathBuf::from("/tmp/通报.csv"),
        rows: 10_000,
        violations: 4_000,
    };
    update(
        &mut state,
        Action::Export(ExportReply::Done(Ok(done.clone()))),
    );
    assert!(!form(&state).busy());
    assert_eq!(form(&state).outcome, Some(Ok(done)));
    assert!(
        matches!(&state.status, Some(Status::Info(m)) if m.contains("10000") && m.contains("/tmp/通报.csv")),
        "{:?}",
        state.status
    );
    // A failure is shown as one line; then the screen can be left.
    feed(&mut state, [ctrl('s')]);
    update(
        &mut state,
        Action::Export(ExportReply::Done(
            Err("Folder /nope does not exist.".into()),
        )),
    );
    assert!(matches!(&state.status, Some(Status::Error(m)) if m.contains("/nope")));
    feed(&mut state, [code(KeyCode::Esc)]);
    assert!(matches!(state.screen(), Screen::Home(_)));
}

#[test]
fn pasted_text_goes_into_the_focused_field_on_one_line() {
    let mut state = on_export(Lang::En);
    feed(&mut state, [code(KeyCode::Tab)]);
    feed(&mut state, clear());
    update(
        &mut state,
        Action::Paste("/home/王/exports/\nweek 47.xlsx\n".into()),
    );
    assert_eq!(
        field::text(&form(&state).out),
        "/home/王/exports/ week 47.xlsx"
    );
    // Paste on a choice does nothing.
    feed(&mut state, [code(KeyCode::BackTab)]);
    update(&mut state, Action::Paste("docx".into()));
    assert_eq!(form(&state).format, Format::Csv);
}

// Snapshots.

fn export_state(lang: Lang, size: (u16, u16), build: impl FnOnce(&mut ExportState)) -> State {
    let mut state = home_state(lang, size);
    let units = rows().into_iter().map(|r| r.unit).collect();
    let mut form = ExportState::new(&ctx(&state), units);
    build(&mut form);
    state.stack.push(Screen::Export(Box::new(form)));
    state
}

fn filled(form: &mut ExportState) {
    form.format = Format::Xlsx;
    form.out = field::line("/home/王检查/导出/2026年11月通报.xlsx");
    form.from = field::line("2026-11-01");
    form.to = field::line("2026-11-30");
    form.unit = field::line("市税务局第一税务分局办税服务厅");
    form.status = Some(ReviewStatus::RectificationRequired);
    form.anonymize = true;
    form.include_compliant = true;
    form.focus = Field::Unit;
}

#[test]
fn snapshot_fresh() {
    check("export_fresh", |lang, size| {
        export_state(lang, size, |_| {})
    });
}

#[test]
fn snapshot_filled() {
    check("export_filled", |lang, size| {
        export_state(lang, size, filled)
    });
}

#[test]
fn snapshot_running() {
    check("export_running", |lang, size| {
        export_state(lang, size, |form| {
            filled(form);
            form.running = Some((409_600, 1_000_000));
        })
    });
}

#[test]
fn snapshot_done() {
    check("export_done", |lang, size| {
        export_state(lang, size, |form| {
            filled(form);
            form.focus = Field::Anonymize;
            form.outcome = Some(Ok(Exported {
                path: PathBuf::from("/home/王检查/导出/2026年11月通报.xlsx"),
                rows: 1234,
                violations: 567,
            }));
        })
    });
}

#[test]
fn snapshot_error() {
    check("export_error", |lang, size| {
        let mut state = export_state(lang, size, |form| {
            form.from = field::line("2026-02-30");
            form.focus = Field::Anonymize;
        });
        feed(&mut state, [ctrl('s')]);
        state
    });
}

// The runtime, for real.

#[test]
fn a_csv_written_through_the_screen_reads_back() {
    let data = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    {
        let mut ledger = Ledger::open(data.path()).unwrap();
        let visit_id = record_visit(
            &mut ledger,
            "市税务局第一税务分局办税服务厅",
            &["九点零五分到岗", "窗口无人，群众等候十分钟"],
        );
        // A compliant result too: a row of the export, not a finding of Review.
        let mut record = finding(
            9,
            "attendance",
            "not-on-post",
            anfang_core::finding::FindingResult::Compliant,
            1,
            0,
            "",
        )
        .record;
        record.visit_id = visit_id;
        ledger
            .append(&anfang_core::event::EventBody::FindingRecorded(record))
            .unwrap();
        record_visit(&mut ledger, "市规划局", &["上班时间玩手机"]);
    }
    let mut app = app(data.path(), Lang::Zh);
    let out = out_dir.path().join("十一月.csv");
    let mut events = vec![key('x'), code(KeyCode::Tab)];
    events.extend(clear());
    events.extend(typed(&out.display().to_string()));
    // To the unit field: only the tax hall.
    events.extend([code(KeyCode::Tab), code(KeyCode::Tab), code(KeyCode::Tab)]);
    events.extend(typed("市税务局第一税务分局办税服务厅"));
    events.push(ctrl('s'));
    run(&mut app, events);
    app.wait();
    let Screen::Export(form) = app.state.screen() else {
        panic!("{:?}", app.state.status)
    };
    assert_eq!(
        form.outcome,
        Some(Ok(Exported {
            path: out.clone(),
            rows: 3,
            violations: 2,
        })),
        "{:?}",
        app.state.status
    );
    // The findings are counted and worded as Review counts them for the same unit.
    let Some(Status::Info(message)) = &app.state.status else {
        panic!("{:?}", app.state.status)
    };
    assert!(
        message.starts_with("已导出 3 行到") && message.ends_with("：2 条问题，合规/不适用 1 行"),
        "{message}"
    );
    let same_unit = anfang_ledger::review_query::ReviewFilter {
        unit: Some("市税务局第一税务分局办税服务厅".into()),
        ..Default::default()
    };
    assert_eq!(app.ledger().review_count(&same_unit).unwrap(), 2);
    assert_eq!(
        crate::i18n::tf(Lang::Zh, "review.count", &[("n", &2)]),
        "2 条问题"
    );
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(anfang_export::BOM), "no byte-order mark");
    let mut reader = csv::Reader::from_reader(&bytes[anfang_export::BOM.len()..]);
    let headers = reader.headers().unwrap().clone();
    assert!(headers.iter().any(|h| h == "情况说明"), "{headers:?}");
    let note = headers.iter().position(|h| h == "情况说明").unwrap();
    let unit = headers.iter().position(|h| h == "单位").unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(
        rows.len(),
        3,
        "one row per result, the compliant one included"
    );
    let mut notes: Vec<&str> = rows.iter().map(|r| &r[note]).collect();
    notes.sort();
    assert_eq!(notes, ["", "九点零五分到岗", "窗口无人，群众等候十分钟"]);
    assert!(
        rows.iter()
            .all(|r| &r[unit] == "市税务局第一税务分局办税服务厅")
    );
    // The result is on screen.
    let terminal = render(&app.state, 120, 40);
    let shown: String = (0..40)
        .map(|y| row_text(terminal.backend().buffer(), y))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(shown.contains("：2 条问题，合规/不适用 1 行"), "{shown}");
}

#[test]
fn bad_names_and_folders_are_refused_by_name_and_write_nothing() {
    let data = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    {
        let mut ledger = Ledger::open(data.path()).unwrap();
        record_visit(&mut ledger, "市规划局", &["上班时间玩手机"]);
    }
    let mut app = app(data.path(), Lang::En);
    let out = out_dir.path().join("out.csv");
    let mut events = vec![key('x'), code(KeyCode::Tab)];
    events.extend(clear());
    events.extend(typed(&out.display().to_string()));
    events.extend([code(KeyCode::Tab), code(KeyCode::Tab), code(KeyCode::Tab)]);
    events.extend(typed("市规划"));
    events.push(ctrl('s'));
    run(&mut app, events);
    app.wait();
    let Screen::Export(form) = app.state.screen() else {
        panic!()
    };
    assert!(
        matches!(&form.outcome, Some(Err(m)) if m.contains("\"市规划\"")),
        "{:?}",
        form.outcome
    );
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(out_dir.path()).unwrap().count(), 0);
    // A folder that does not exist is named.
    let missing = out_dir.path().join("no-such-folder");
    // Clear the unit, then back to the output file.
    let mut events = clear();
    events.extend([
        code(KeyCode::BackTab),
        code(KeyCode::BackTab),
        code(KeyCode::BackTab),
    ]);
    events.extend(clear());
    events.extend(typed(&missing.join("out.csv").display().to_string()));
    events.push(ctrl('s'));
    run(&mut app, events);
    app.wait();
    let Screen::Export(form) = app.state.screen() else {
        panic!()
    };
    assert!(
        matches!(&form.outcome, Some(Err(m)) if m.contains(&missing.display().to_string())),
        "{:?}",
        form.outcome
    );
}

#[test]
fn enter_on_a_partly_typed_unit_takes_the_first_known_match() {
    let mut state = home_state(Lang::Zh, (80, 24));
    if let Screen::Home(home) = &mut state.stack[0] {
        home.units = rows().into_iter().map(|r| r.unit).collect();
    }
    feed(&mut state, [key('x')]);
    let mut events = vec![code(KeyCode::Tab); 4];
    events.extend(typed("规划"));
    feed(&mut state, events);
    assert_eq!(form(&state).focus, Field::Unit);
    assert_eq!(form(&state).suggestions(), ["市规划局"]);
    feed(&mut state, [code(KeyCode::Enter)]);
    assert_eq!(field::text(&form(&state).unit), "市规划局");
    assert_eq!(form(&state).focus, Field::Unit);
    // A known name is kept; Enter moves on.
    feed(&mut state, [code(KeyCode::Enter)]);
    assert_eq!(form(&state).focus, Field::Department);
    assert_eq!(form(&state).suggestions(), ["税务", "规划", "政务服务"]);
    // Nothing matches: Enter moves on and the name is left as typed.
    feed(&mut state, typed("交通"));
    feed(&mut state, [code(KeyCode::Enter)]);
    assert_eq!(field::text(&form(&state).department), "交通");
    assert_eq!(form(&state).focus, Field::Status);
}

#[test]
fn snapshot_suggestions() {
    check("export_suggest", |lang, size| {
        export_state(lang, size, |form| {
            form.unit = field::line("市");
            form.focus = Field::Unit;
        })
    });
}

#[test]
fn a_name_for_another_format_is_named_not_obeyed() {
    let mut state = on_export(Lang::En);
    let mut events = vec![code(KeyCode::Tab)];
    events.extend(clear());
    events.extend(typed("report.DOCX"));
    events.push(ctrl('s'));
    assert!(feed(&mut state, events).is_empty());
    assert!(
        matches!(&state.status, Some(Status::Error(m)) if m.contains("report.DOCX") && m.contains("CSV")),
        "{:?}",
        state.status
    );
    // Another extension is the user's business; the matching one is fine.
    for name in ["report.txt", "report.csv"] {
        let mut events = clear();
        events.extend(typed(name));
        events.push(ctrl('s'));
        let effects = feed(&mut state, events);
        assert_eq!(effects.len(), 1, "{name}: {:?}", state.status);
        update(
            &mut state,
            Action::Export(ExportReply::Done(Err("stop".into()))),
        );
    }
}
